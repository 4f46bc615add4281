//! Every real plan in `testdata/corpus/plans/` goes through input → plan → extract without panicking,
//! plus known facts about individual files.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use trustgate::analysis::PolicyRole;
use trustgate::catalog::Catalog;
use trustgate::extract::{PlanScan, PolicySite, PolicyValue, scan};
use trustgate::input::{Source, decode_text, read_text};
use trustgate::plan::{ChangeAction, parse_plan};

const WRAPPER_FILE: &str = "format-infracost-setup-terraform-wrapper-polluted.txt.json";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/corpus/plans")
}

fn load(path: &Path) -> Result<PlanScan, trustgate::error::Error> {
    let text = read_text(&Source::File(path.to_path_buf()))?;
    let plan = parse_plan(&text, path)?;
    Ok(scan(&plan, &Catalog::builtin()))
}

fn corpus(name: &str) -> PlanScan {
    load(&corpus_dir().join(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn site<'s>(scan: &'s PlanScan, address: &str, attribute: &str) -> &'s PolicySite {
    scan.sites
        .iter()
        .find(|s| s.address == address && s.attribute == attribute)
        .unwrap_or_else(|| panic!("no site {address} {attribute}"))
}

#[test]
fn every_corpus_plan_loads_except_the_wrapper_capture() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 34);
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let result = load(&file);
        if name == WRAPPER_FILE {
            let err = result.unwrap_err().to_string();
            assert!(
                err.contains("line 1: this is output captured through the hashicorp/setup-terraform wrapper"),
                "{err}"
            );
            assert!(err.contains("terraform_wrapper: false"), "{err}");
            assert!(!err.contains('\n'), "{err}");
        } else {
            let scan = result.unwrap_or_else(|err| panic!("{name}: {err}"));
            assert!(!scan.format_version.is_empty(), "{name}");
        }
    }
}

#[test]
fn sns_topic_policy_granting_another_account() {
    let scan = corpus("tfc-issue307-sns-topic-policy-two-accounts.json");
    let site = site(&scan, "aws_sns_topic_policy.default", "policy");
    assert_eq!(
        (site.role, site.service.as_str(), site.change),
        (PolicyRole::Resource, "sns", ChangeAction::Create)
    );
    assert_eq!(site.before, PolicyValue::Absent);
    let PolicyValue::Known(text) = &site.after else {
        panic!("{:?}", site.after)
    };
    assert!(
        text.contains("111122223333") && text.contains("444455556666"),
        "{text}"
    );
    assert_eq!(scan.format_version, "0.1");
}

#[test]
fn github_oidc_trust_from_deferred_data_source_is_unknown() {
    let scan = corpus("checkov-github-oidc-trust-data-read-unknown.json");
    let trusts: Vec<&PolicySite> = scan
        .sites
        .iter()
        .filter(|s| s.attribute == "assume_role_policy")
        .collect();
    assert_eq!(trusts.len(), 4);
    assert!(
        trusts
            .iter()
            .all(|s| s.after == PolicyValue::Unknown && s.role == PolicyRole::Trust)
    );
    let role = site(&scan, "module.poc.aws_iam_role.r1[\"p1\"]", "assume_role_policy");
    assert_eq!(role.module_address, "module.poc");
    assert!(
        !scan.sites.iter().any(|s| s.address.starts_with("data.")),
        "data sources are not sites"
    );
}

#[test]
fn noop_with_null_before_and_after_is_absent_on_both_sides() {
    let scan = corpus("tfc-issue522-delete-update-lambda-permission.json");
    let noop = site(
        &scan,
        "aws_lambda_permission.allow_alert_event_bridge_to_call_monitor_metric_lambdas_frequent[0]",
        "principal",
    );
    assert_eq!(
        (noop.change, &noop.before, &noop.after),
        (ChangeAction::NoOp, &PolicyValue::Absent, &PolicyValue::Absent)
    );
    let created = site(
        &scan,
        "aws_lambda_permission.allow_metric_event_bridge_to_call_monitor_metric_lambda",
        "principal",
    );
    assert_eq!(
        created.after,
        PolicyValue::Known(
            r#"{"Statement":[{"Action":"lambda:InvokeFunction","Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Resource":"arn:aws:lambda:*:*:function:metrics-lambda-primary-lambda"}],"Version":"2012-10-17"}"#
                .to_string()
        )
    );
    assert_eq!(
        scan.detected_boundary
            .unwrap()
            .0
            .accounts
            .into_iter()
            .collect::<Vec<_>>(),
        ["553479592532"]
    );
}

#[test]
fn utf16_capture_parses() {
    let scan = corpus("checkov-utf16-bom-iam-role-policy.json");
    let policy = site(&scan, "aws_iam_role_policy.fail_1", "policy");
    assert_eq!(policy.role, PolicyRole::Identity);
    assert!(matches!(&policy.after, PolicyValue::Known(text) if text.contains("\"Resource\":\"*\"")));
}

#[test]
fn overmind_real_estate_detects_its_account_and_vendor_trust() {
    let scan = corpus("overmind-real-infra-154-resources-oidc-cross-account.json");
    let (boundary, source) = scan.detected_boundary.clone().unwrap();
    assert_eq!(
        boundary.accounts.into_iter().collect::<Vec<_>>(),
        ["540044833068"]
    );
    assert!(
        source.starts_with("data.aws_caller_identity.current") && source.ends_with("in prior_state"),
        "{source}"
    );
    assert_eq!(scan.resources, 154);
    let trust = site(&scan, "aws_iam_role.deploy_role", "assume_role_policy");
    assert_eq!(trust.change, ChangeAction::NoOp);
    assert_eq!(trust.before, trust.after);
    assert!(matches!(&trust.after, PolicyValue::Known(text) if text.contains("324880187172")));
    let queue = site(
        &scan,
        "module.heritage[0].aws_sqs_queue_policy.my_queue_policy",
        "policy",
    );
    assert_eq!(queue.module_address, "module.heritage[0]");
}

#[test]
fn replace_delete_and_for_each_shapes() {
    let scan = corpus("checkov-secretsmanager-secret-replace-create-delete.json");
    let secret = site(&scan, "aws_secretsmanager_secret.default", "policy");
    // The secret's configuration sets only `name`: the unknown `policy` is computed by AWS, not written here.
    assert_eq!(
        (secret.change, &secret.after),
        (ChangeAction::ReplaceCreateFirst, &PolicyValue::Absent)
    );

    let scan = corpus("snykcli-destroy-iam-roles-policies.json");
    let role = site(&scan, "aws_iam_role.terra_ci_job", "assume_role_policy");
    assert_eq!(role.change, ChangeAction::Delete);
    assert!(matches!(role.before, PolicyValue::Known(_)));
    assert_eq!(role.after, PolicyValue::Absent);
    assert!(
        scan.sites
            .iter()
            .any(|s| s.attribute == "inline_policy[0].policy")
    );

    let scan = corpus("tfc-issue456-for-each-modules-iam-roles.json");
    site(
        &scan,
        "aws_iam_role.test_iam_role[\"repository_1\"]",
        "assume_role_policy",
    );
    assert_eq!(scan.resources, 32);
}

#[test]
fn public_lambda_permission_and_many_resource_policy_types() {
    let scan = corpus("tipv-public-access-many-resource-policies.json");
    let permission = site(&scan, "aws_lambda_permission.with_sns", "principal");
    assert!(matches!(&permission.after, PolicyValue::Known(text) if text.contains(r#""Principal":"*""#)));
    let types: std::collections::BTreeSet<&str> =
        scan.sites.iter().map(|s| s.resource_type.as_str()).collect();
    for expected in [
        "aws_iam_role",
        "aws_s3_bucket_policy",
        "aws_sns_topic_policy",
        "aws_api_gateway_rest_api_policy",
        "aws_backup_vault_policy",
        "aws_codeartifact_domain_permissions_policy",
        "aws_dynamodb_resource_policy",
        "aws_kinesis_resource_policy",
        "aws_opensearch_domain_policy",
        "aws_s3tables_table_bucket_policy",
        "aws_s3tables_table_policy",
    ] {
        assert!(types.contains(expected), "{expected} missing from {types:?}");
    }
}

#[test]
fn plans_without_changes_or_version_keys() {
    let scan = corpus("snykpe-data-source-policy-document-prior-state.json");
    assert!(scan.sites.is_empty());
    assert_eq!(scan.resources, 0);
    let scan = corpus("format-tfjson-action-invocations.json");
    assert_eq!(scan.terraform_version, None);
    let scan = corpus("regula-cloudtrail-noop-bucket-policy-real-account.json");
    assert_eq!(
        scan.detected_boundary
            .unwrap()
            .0
            .accounts
            .into_iter()
            .collect::<Vec<_>>(),
        ["622401240280"]
    );
}

fn small_corpus_files() -> Vec<Vec<u8>> {
    [
        "tfc-issue307-sns-topic-policy-two-accounts.json",
        "tipv-role-inline-assume-policy-no-prior-state.json",
        "checkov-secretsmanager-secret-replace-create-delete.json",
        "tfc-issue796-lambda-permission-module-tf1.14.json",
    ]
    .iter()
    .map(|name| std::fs::read(corpus_dir().join(name)).unwrap())
    .collect()
}

fn run_pipeline(bytes: Vec<u8>) {
    let path = Path::new("mutated.json");
    if let Ok(text) = decode_text(bytes, path)
        && let Ok(plan) = parse_plan(&text, path)
    {
        let _ = scan(&plan, &Catalog::builtin());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Byte flips, truncations and splices of real plans never panic anywhere in the pipeline.
    #[test]
    fn mutated_corpus_bytes_never_panic(
        file in 0usize..4,
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let mut bytes = small_corpus_files().swap_remove(file);
        for (position, byte, kind) in edits {
            if bytes.is_empty() { break; }
            let at = position.index(bytes.len());
            match kind {
                0 => bytes[at] = byte,
                1 => bytes.truncate(at),
                2 => { bytes.remove(at); }
                _ => bytes.insert(at, *b"{}[]\",:ntf0\\".get(byte as usize % 13).unwrap_or(&b'x')),
            }
        }
        run_pipeline(bytes);
    }
}

// ---- Hand-written fixtures in testdata/plans/ (what the corpus lacks) ----

fn fixture(name: &str) -> PlanScan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/plans")
        .join(name);
    load(&path).unwrap_or_else(|err| panic!("{name}: {err}"))
}

fn known_text(value: &PolicyValue) -> &str {
    match value {
        PolicyValue::Known(text) => text,
        other => panic!("expected a known policy, got {other:?}"),
    }
}

#[test]
fn fixture_update_trust_policy_external_account() {
    let scan = fixture("update-trust-policy-external-account.json");
    let trust = site(&scan, "aws_iam_role.app_runner", "assume_role_policy");
    assert_eq!(trust.change, ChangeAction::Update);
    assert!(!known_text(&trust.before).contains("444455556666"));
    assert!(known_text(&trust.after).contains("arn:aws:iam::444455556666:root"));
    let (boundary, source) = scan.detected_boundary.unwrap();
    assert_eq!(
        boundary.accounts.into_iter().collect::<Vec<_>>(),
        ["111122223333"]
    );
    assert_eq!(source, "data.aws_caller_identity.current in prior_state");
}

#[test]
fn fixture_update_bucket_policy_public_read() {
    let scan = fixture("update-bucket-policy-public-read.json");
    let policy = site(&scan, "aws_s3_bucket_policy.reports", "policy");
    assert_eq!(
        (policy.change, policy.role, policy.service.as_str()),
        (ChangeAction::Update, PolicyRole::Resource, "s3")
    );
    assert!(known_text(&policy.after).contains(r#""Principal":"*""#));
}

#[test]
fn fixture_replace_delete_create_kms_key() {
    let scan = fixture("replace-delete-create-kms-key.json");
    let key = site(&scan, "aws_kms_key.backups", "policy");
    assert_eq!(
        (key.change, key.change.as_str()),
        (ChangeAction::ReplaceDeleteFirst, "replace")
    );
    assert!(known_text(&key.before).contains("EnableIAMUserPermissions"));
    assert!(known_text(&key.after).contains("444455556666:role/backup-reader"));
}

#[test]
fn fixture_module_for_each_addresses() {
    let scan = fixture("module-for-each-sqs-queue-policies.json");
    assert_eq!(scan.sites.len(), 4);
    let queue = site(
        &scan,
        r#"module.queues["orders"].aws_sqs_queue_policy.this["dlq"]"#,
        "policy",
    );
    assert_eq!(queue.module_address, r#"module.queues["orders"]"#);
    assert!(known_text(&queue.after).contains("orders-dlq"));
}

#[test]
fn fixture_unknown_trust_policy() {
    let scan = fixture("unknown-trust-policy-from-data-source.json");
    assert_eq!(scan.sites.len(), 2, "{:?}", scan.sites);
    let trust = site(&scan, "aws_iam_role.ci_deployer", "assume_role_policy");
    assert_eq!(
        (&trust.before, &trust.after),
        (&PolicyValue::Absent, &PolicyValue::Unknown)
    );
    // `inline_policy` is not in the role's configuration, so its unknown value is not this change's policy.
    let inline = site(&scan, "aws_iam_role.ci_deployer", "inline_policy[*].policy");
    assert_eq!(inline.after, PolicyValue::Absent);
    assert_eq!(scan.resources, 1);
}

#[test]
fn fixture_lambda_permission_source_account() {
    let scan = fixture("lambda-permission-source-account.json");
    let permission = site(&scan, "aws_lambda_permission.allow_bucket", "principal");
    assert_eq!(
        known_text(&permission.after),
        r#"{"Statement":[{"Action":"lambda:InvokeFunction","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::acme-uploads"},"StringEquals":{"aws:SourceAccount":"111122223333"}},"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Resource":"arn:aws:lambda:*:*:function:thumbnailer","Sid":"AllowExecutionFromS3Bucket"}],"Version":"2012-10-17"}"#
    );
}

#[test]
fn fixture_trustgate_tags() {
    let scan = fixture("tags-trustgate-annotations.json");
    let trust = site(&scan, "aws_iam_role.vendor_audit", "assume_role_policy");
    assert_eq!(
        trust.tags.get("trustgate:owner").map(String::as_str),
        Some("platform-security")
    );
    assert_eq!(
        trust.tags.get("trustgate:expiry").map(String::as_str),
        Some("2027-03-31")
    );
    assert!(
        trust
            .tags
            .get("trustgate:justification")
            .is_some_and(|j| j.starts_with("SEC-1234"))
    );
}

#[test]
fn fixture_one_widening_of_each_kind() {
    let scan = fixture("widenings-one-of-each-kind.json");
    let expected = [
        ("aws_s3_bucket_policy.assets", "policy"),
        ("aws_iam_role.data_export", "assume_role_policy"),
        ("aws_iam_role.github_actions", "assume_role_policy"),
        ("aws_sns_topic_policy.alerts", "policy"),
        ("aws_iam_role.vendor_access", "assume_role_policy"),
        ("aws_iam_role.partner_sync", "assume_role_policy"),
        ("aws_s3_bucket_policy.shared", "policy"),
    ];
    for (address, attribute) in expected {
        let found = site(&scan, address, attribute);
        known_text(&found.after);
    }
    let github = site(&scan, "aws_iam_role.github_actions", "assume_role_policy");
    assert_eq!(
        (github.change, &github.before),
        (ChangeAction::Create, &PolicyValue::Absent)
    );
    assert!(known_text(&github.after).contains("token.actions.githubusercontent.com:aud"));
    assert!(!known_text(&github.after).contains(":sub"));
    let vendor = site(&scan, "aws_iam_role.vendor_access", "assume_role_policy");
    assert!(
        known_text(&vendor.before).contains("sts:ExternalId")
            && !known_text(&vendor.after).contains("sts:ExternalId")
    );
    let shared = site(&scan, "aws_s3_bucket_policy.shared", "policy");
    assert!(known_text(&shared.before).contains("Deny") && !known_text(&shared.after).contains("Deny"));
    assert_eq!(
        scan.detected_boundary
            .unwrap()
            .0
            .accounts
            .into_iter()
            .collect::<Vec<_>>(),
        ["111122223333"]
    );
}

/// Timing probe for large plans: `BIG_PLAN=/path/plan.json cargo test --release --test plan_corpus -- --ignored`.
#[test]
#[ignore]
fn timing_of_a_large_plan() {
    let Some(path) = std::env::var_os("BIG_PLAN") else {
        return;
    };
    let path = PathBuf::from(path);
    let started = std::time::Instant::now();
    let text = read_text(&Source::File(path.clone())).unwrap();
    let read = started.elapsed();
    let started = std::time::Instant::now();
    let floor: serde::de::IgnoredAny = serde_json::from_str(&text).unwrap();
    let _ = floor;
    let floor = started.elapsed();
    let started = std::time::Instant::now();
    let plan = parse_plan(&text, &path).unwrap();
    let parsed = started.elapsed();
    let started = std::time::Instant::now();
    let scanned = scan(&plan, &Catalog::builtin());
    let scanning = started.elapsed();
    println!(
        "read {read:?}, floor (IgnoredAny) {floor:?}, parse_plan {parsed:?}, scan {scanning:?}: {} sites, boundary {:?}",
        scanned.sites.len(),
        scanned.detected_boundary.map(|b| b.1)
    );
}

#[test]
fn error_messages_are_single_lines_naming_file_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 6] = [
        ("truncated.json", b"{\"format_version\":\"1.2\",\n\"resource_changes\":[{\"address\":"),
        ("v2.json", b"{\"format_version\":\"2.0\",\"resource_changes\":[]}"),
        ("state.json", b"{\"format_version\":\"1.0\",\"terraform_version\":\"1.9.8\",\"values\":{\"root_module\":{}}}"),
        ("terraform.tfstate", b"{\"version\":4,\"terraform_version\":\"1.9.8\",\"serial\":1,\"lineage\":\"x\",\"resources\":[]}"),
        ("surrogate.json", b"\xFF\xFE{\x00\x00\xD8}\x00"),
        ("actions.json", b"{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":\"a.b\",\"mode\":\"managed\",\"type\":\"a\",\"name\":\"b\",\"change\":{\"actions\":[\"explode\"]}}]}"),
    ];
    let mut lines = Vec::new();
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains(name) && !err.contains('\n'), "{err}");
        lines.push(err.replace(&format!("{}/", dir.path().display()), ""));
    }
    let err = load(&corpus_dir().join(WRAPPER_FILE)).unwrap_err().to_string();
    lines.push(err.replace(&format!("{}/", corpus_dir().display()), ""));
    let err = load(&dir.path().join("missing.json")).unwrap_err().to_string();
    lines.push(err.replace(&format!("{}/", dir.path().display()), ""));
    for line in &lines {
        println!("{line}");
    }
    assert!(
        lines[0]
            .starts_with("truncated.json: line 2, column 31: unexpected end of input while reading a value"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("v2.json: format_version: unsupported plan format_version \"2.0\""),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("looks like a Terraform state"), "{}", lines[2]);
    assert!(lines[3].contains("raw Terraform state file"), "{}", lines[3]);
    assert!(
        lines[4].starts_with("surrogate.json: byte offset 4: invalid UTF-16LE"),
        "{}",
        lines[4]
    );
    assert!(
        lines[5].starts_with("actions.json: resource_changes[0].change.actions: unknown action list"),
        "{}",
        lines[5]
    );
    assert_eq!(lines[7], "missing.json: cannot read: No such file or directory");
}
