//! End-to-end tests of `--source`: file/line locations, comment annotations, unparsable files.

mod common;
#[path = "common/json_schema.rs"]
mod json_schema;

use common::{TODAY, run};

fn check_json(dir: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let plan = format!("{dir}/plan.json");
    let mut args = vec![
        "check",
        plan.as_str(),
        "--source",
        dir,
        "--today",
        TODAY,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    (out.code, serde_json::from_str(&out.stdout).expect("valid JSON"))
}

fn finding<'a>(json: &'a serde_json::Value, address: &str, principal: &str) -> &'a serde_json::Value {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == address && f["principal"] == principal)
        .unwrap_or_else(|| panic!("no finding for {address} {principal}"))
}

#[test]
fn module_instances_point_at_their_block_and_statement() {
    let (code, json) = check_json("testdata/hcl/modules", &[]);
    assert_eq!(code, 1);
    let vendor = finding(
        &json,
        "module.vendor[\"partner\"].aws_iam_role.this[0]",
        "arn:aws:iam::222222222222:root",
    );
    assert_eq!(
        vendor["location"],
        serde_json::json!({"file": "testdata/hcl/modules/modules/vendor-role/main.tf", "line": 36,
                           "statement_line": 12,
                           "module_call": {"file": "testdata/hcl/modules/main.tf", "line": 52}})
    );
    assert_eq!(vendor["status"], "approved");
    assert_eq!(vendor["annotation"]["origin"]["type"], "comment");
    assert_eq!(vendor["annotation"]["origin"]["statement"], 0);
    let github = finding(
        &json,
        "module.vendor[\"partner\"].aws_iam_role.this[0]",
        "federated:token.actions.githubusercontent.com",
    );
    assert_eq!(github["status"], "violation");
    assert_eq!(github["location"]["statement_line"], 21);
    assert!(github["annotation"].is_null());
    assert_eq!(
        json["notes"].as_array().unwrap().len(),
        1,
        "the registry module is noted once"
    );
}

#[test]
fn statement_comment_approves_one_widening_of_a_policy() {
    let (_, json) = check_json("testdata/hcl/modules", &[]);
    let build = finding(&json, "aws_iam_role.deploy", "arn:aws:iam::555555555555:root");
    let legacy = finding(&json, "aws_iam_role.deploy", "arn:aws:iam::666666666666:root");
    assert_eq!(build["status"], "approved");
    assert_eq!(build["annotation"]["origin"]["line"], 35);
    assert_eq!(legacy["status"], "violation");
    assert_eq!(legacy["location"]["statement_line"], 42);
}

#[test]
fn inline_false_turns_comments_off() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("trustgate.hcl");
    std::fs::write(&config, "annotations {\n  inline = false\n}\n").unwrap();
    let (_, json) = check_json("testdata/hcl/modules", &["--config", config.to_str().unwrap()]);
    assert_eq!(json["summary"]["approved"], 0);
}

#[test]
fn modules_human_output() {
    let out = run(&[
        "check",
        "testdata/hcl/modules/plan.json",
        "--source",
        "testdata/hcl/modules",
        "--today",
        TODAY,
        "--color",
        "never",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("modules_human", out.stdout);
}

#[test]
fn broken_file_is_one_diagnostic_and_the_plan_still_counts() {
    let (code, json) = check_json("testdata/hcl/broken", &["--account", "111111111111"]);
    assert_eq!(code, 1);
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([
            "testdata/hcl/broken/broken.tf:6:3: does not parse, so its resources are checked from the plan \
             alone: invalid expression; expected `\"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit"
        ])
    );
    let broken = finding(&json, "aws_iam_role.broken", "arn:aws:iam::333333333333:root");
    assert!(broken["location"].is_null());
    assert_eq!(broken["status"], "violation");
    let ok = finding(&json, "aws_iam_role.ok", "arn:aws:iam::222222222222:root");
    assert_eq!(ok["location"]["line"], 1);
}

#[test]
fn missing_source_directory_is_a_usage_error() {
    let out = run(&[
        "check",
        "testdata/hcl/modules/plan.json",
        "--source",
        "testdata/hcl/nope",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--source testdata/hcl/nope: not a directory"),
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_policies_are_evaluated_from_source() {
    let (code, json) = check_json("testdata/hcl/unknown", &["--account", "111111111111"]);
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3, "{findings:#?}");
    // The role trusted by the symbolic ARN of a role managed here is inside the boundary: only the
    // partner account (222222222222 from terraform.tfvars, not the default) is reported.
    let worker: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["address"] == "aws_iam_role.worker")
        .collect();
    assert_eq!(worker.len(), 1);
    assert_eq!(worker[0]["principal"], "arn:aws:iam::222222222222:root");
    assert_eq!(worker[0]["resolved_from_source"], true);
    assert_eq!(worker[0]["kind"], "external-account");
    let ci = finding(
        &json,
        "aws_iam_role.ci",
        "federated:${aws_iam_openid_connect_provider.github.arn}",
    );
    assert_eq!(ci["kind"], "federated");
    assert_eq!(ci["resolved_from_source"], true);
    let partner = finding(&json, "aws_iam_role.partner", "${data.aws_iam_role.partner.arn}");
    assert_eq!(partner["kind"], "unverifiable");
    assert!(
        partner["reason"]
            .as_str()
            .unwrap()
            .contains("depends on data.aws_iam_role.partner.arn"),
        "{partner}"
    );
}

#[test]
fn unknown_human_output() {
    let out = run(&[
        "check",
        "testdata/hcl/unknown/plan.json",
        "--source",
        "testdata/hcl/unknown",
        "--account",
        "111111111111",
        "--today",
        TODAY,
        "--color",
        "never",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("unknown_human", out.stdout);
}

#[test]
fn without_sources_the_same_plan_is_all_unverifiable() {
    let out = run(&[
        "check",
        "testdata/hcl/unknown/plan.json",
        "--account",
        "111111111111",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let kinds: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["unverifiable", "unverifiable", "unverifiable"]);
}

/// The share of "known after apply" policies in corpus plans that HCL reconstructed from the plans'
/// `configuration` sections resolves: every unverifiable finding of the plan alone, and how many of them
/// become a classified finding (or none) with the sources.
#[test]
fn corpus_unknown_policies_are_resolved_from_source() {
    let cases = [
        (
            "testdata/corpus/plans/checkov-github-oidc-trust-data-read-unknown.json",
            "testdata/hcl/corpus-github-oidc",
        ),
        (
            "testdata/corpus/plans/checkov-s3-bucket-policy-from-data-document.json",
            "testdata/hcl/corpus-s3-bucket-policy",
        ),
    ];
    let findings = |plan: &str, extra: &[&str]| -> Vec<(String, String, bool)> {
        let mut args = vec!["check", plan, "--today", TODAY, "--format", "json"];
        args.extend_from_slice(extra);
        let out = run(&args);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["address"].as_str().unwrap().to_string(),
                    f["kind"].as_str().unwrap().to_string(),
                    f["resolved_from_source"] == true,
                )
            })
            .collect()
    };
    let (mut unknown, mut resolved) = (0, 0);
    for (plan, source) in cases {
        let plan_only = findings(plan, &[]);
        let unverifiable: Vec<&String> = plan_only
            .iter()
            .filter(|(_, kind, _)| kind == "unverifiable")
            .map(|(address, _, _)| address)
            .collect();
        let with_sources = findings(plan, &["--source", source]);
        for address in &unverifiable {
            let now: Vec<_> = with_sources.iter().filter(|(a, _, _)| a == *address).collect();
            if now
                .iter()
                .all(|(_, kind, from_source)| *from_source && kind != "unverifiable")
            {
                resolved += 1;
            }
        }
        unknown += unverifiable.len();
        assert!(
            with_sources.iter().all(|(_, kind, _)| kind != "unverifiable"),
            "{plan}: {with_sources:?}"
        );
    }
    println!("resolved from source: {resolved} of {unknown} unknown policies");
    assert_eq!((resolved, unknown), (5, 5));
}

#[test]
fn github_and_sarif_point_at_the_statement_and_carry_diagnostics() {
    let out = run(&[
        "check",
        "testdata/hcl/broken/plan.json",
        "--source",
        "testdata/hcl/broken",
        "--account",
        "111111111111",
        "--today",
        TODAY,
        "--format",
        "github",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("::error file=testdata/hcl/broken/main.tf,line=5,title=TG002 "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("::warning title=trustgate::testdata/hcl/broken/broken.tf:6:3: does not parse"),
        "{}",
        out.stdout
    );
    let out = run(&[
        "check",
        "testdata/hcl/modules/plan.json",
        "--source",
        "testdata/hcl/modules",
        "--today",
        TODAY,
        "--format",
        "sarif",
    ]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("testdata/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let errors = json_schema::Validator::new(&schema).validate(&sarif);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let lines: Vec<(String, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let place = &r["locations"][0]["physicalLocation"];
            (
                place["artifactLocation"]["uri"].as_str().unwrap().to_string(),
                place["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        lines.contains(&("testdata/hcl/modules/modules/vendor-role/main.tf".to_string(), 21)),
        "{lines:?}"
    );
}
