//! The real-terraform corpus (`testdata/real/`): plans that real `terraform` and the real AWS provider produced
//! against a local AWS (moto), each with the exact findings it must give. A false alarm and a missed widening both
//! fail. `testdata/real/regen.sh` regenerates the plans; these tests only read the committed JSON, so they run
//! where terraform is absent.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{TODAY, root, run};
use serde_json::Value;

/// (address, kind, principal, status) of one finding.
type Key = (String, String, String, String);

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/real"))
        .expect("testdata/real exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().to_string()
}

fn rel(path: &Path) -> String {
    common::relative(path)
}

fn check_case(dir: &Path) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expect.json")).map_err(|e| format!("{name}: expect.json: {e}"))?,
    )
    .map_err(|e| format!("{name}: expect.json: {e}"))?;
    let plan = dir.join("plan.json");
    if !plan.is_file() {
        return Err(format!(
            "{name}: no plan.json (run testdata/real/regen.sh {name})"
        ));
    }
    let plan = rel(&plan);
    let mut args: Vec<String> = vec![
        "check".into(),
        plan,
        "--format".into(),
        "json".into(),
        "--today".into(),
        TODAY.into(),
    ];
    if expect["source"].as_bool() == Some(true) {
        let source = if dir.join("head").is_dir() {
            "head"
        } else {
            "config"
        };
        args.push("--source".into());
        args.push(rel(&dir.join(source)));
    }
    for arg in expect["args"].as_array().into_iter().flatten() {
        args.push(arg.as_str().expect("args are strings").to_string());
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&argv);
    let want_exit = expect["exit"].as_i64().expect("expect.json has exit") as i32;
    if out.code != want_exit {
        return Err(format!(
            "{name}: exit {} (want {want_exit}); stderr: {}; stdout: {}",
            out.code, out.stderr, out.stdout
        ));
    }
    if want_exit == 2 {
        // Not judged at all (e.g. an incomplete plan): the one error line must give the reason.
        let reason = expect["stderr"]
            .as_str()
            .ok_or_else(|| format!("{name}: an exit-2 case names the reason in \"stderr\""))?;
        if !out.stderr.contains(reason) || !out.stdout.is_empty() {
            return Err(format!(
                "{name}: exit 2 without the reason {reason:?}; stderr: {}; stdout: {}",
                out.stderr, out.stdout
            ));
        }
        return Ok(());
    }
    let report: Value =
        serde_json::from_str(&out.stdout).map_err(|e| format!("{name}: output is not JSON: {e}"))?;
    let got: BTreeSet<Key> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                text(f, "address"),
                text(f, "kind"),
                text(f, "principal"),
                text(f, "status"),
            )
        })
        .collect();
    let want: BTreeSet<Key> = expect["findings"]
        .as_array()
        .expect("expect.json has findings")
        .iter()
        .map(|f| {
            (
                text(f, "address"),
                text(f, "kind"),
                text(f, "principal"),
                text(f, "status"),
            )
        })
        .collect();
    if got != want {
        let false_alarms: Vec<&Key> = got.difference(&want).collect();
        let missed: Vec<&Key> = want.difference(&got).collect();
        return Err(format!(
            "{name}: findings differ\n  not expected (false alarms?): {false_alarms:?}\n  missing (misses?): {missed:?}"
        ));
    }
    Ok(())
}

#[test]
fn every_real_case_gives_exactly_its_expected_findings() {
    let dirs = case_dirs();
    assert!(!dirs.is_empty(), "testdata/real has cases");
    let failures: Vec<String> = dirs.iter().filter_map(|dir| check_case(dir).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_is_complete() {
    for dir in case_dirs() {
        let name = dir.display();
        let shape_create = dir.join("config").is_dir();
        let shape_update = dir.join("base").is_dir() && dir.join("head").is_dir();
        assert!(shape_create ^ shape_update, "{name}: config/, or base/ + head/");
        assert!(dir.join("plan.json").is_file(), "{name}: plan.json");
        assert!(dir.join("expect.json").is_file(), "{name}: expect.json");
        assert!(dir.join("README.md").is_file(), "{name}: README.md");
        if dir.join("state").is_file() {
            assert!(dir.join("state.json").is_file(), "{name}: state.json");
        }
        let plan: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap())
            .unwrap_or_else(|e| panic!("{name}: plan.json: {e}"));
        assert!(
            plan["terraform_version"].as_str().is_some(),
            "{name}: plan.json comes from terraform show -json"
        );
    }
}

/// Create cases re-planned for real by `live_replan_matches_committed_plans` (a few, for CI's time).
const LIVE_CASES: &[&str] = &["bucket-policy-foreign-account", "service-roles-passrole"];

/// Re-plans a few cases for real when terraform, the AWS provider mirror and realtf are on this machine, and
/// checks that terraform still produces the committed plan's resource changes. Says so and passes where they
/// are absent (the committed JSON is still checked above).
#[test]
fn live_replan_matches_committed_plans() {
    let realtf = root().join("../shared/tools/realtf/realtf.sh");
    let have_terraform = std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_terraform || !realtf.is_file() || std::env::var_os("TRUSTGATE_SKIP_LIVE").is_some() {
        eprintln!(
            "live re-plan skipped: terraform on PATH: {have_terraform}, realtf at {}: {}",
            realtf.display(),
            realtf.is_file()
        );
        return;
    }
    // moto's venv is kept under target/ so that it installs once per checkout; the port is a free one.
    let state = root().join("target/realtf-live");
    std::fs::create_dir_all(&state).expect("target/realtf-live");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
        .to_string();
    let work = tempfile::tempdir().expect("temp dir");
    for case in LIVE_CASES {
        let dir = root().join("testdata/real").join(case);
        let out = work.path().join(format!("{case}.json"));
        let status = std::process::Command::new("bash")
            .arg(&realtf)
            .arg("plan")
            .arg(dir.join("config"))
            .arg(&out)
            .env("REALTF_STATE", &state)
            .env("REALTF_PORT", &port)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("realtf runs");
        if !status.success() {
            let _ = std::process::Command::new("bash")
                .arg(&realtf)
                .arg("stop")
                .env("REALTF_STATE", &state)
                .status();
            panic!("{case}: realtf plan failed ({status})");
        }
        let fresh: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
        let changes = |plan: &Value| -> Vec<(String, Value)> {
            plan["resource_changes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| (text(c, "address"), c["change"]["actions"].clone()))
                .collect()
        };
        assert_eq!(
            changes(&fresh),
            changes(&committed),
            "{case}: re-planned for real"
        );
    }
    let _ = std::process::Command::new("bash")
        .arg(&realtf)
        .arg("stop")
        .env("REALTF_STATE", &state)
        .status();
}

/// (address, kind) pairs, or (address, reason).
type Pairs = BTreeSet<(String, String)>;

/// (address, kind) of each finding of `check` on `plan` (a path), with the reasons by address.
fn findings_of(plan: &str) -> (Pairs, Vec<(String, String)>) {
    let out = run(&["check", plan, "--format", "json", "--today", TODAY]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    (
        findings
            .iter()
            .map(|f| (text(f, "address"), text(f, "kind")))
            .collect(),
        findings
            .iter()
            .map(|f| (text(f, "address"), text(f, "reason")))
            .collect(),
    )
}

/// Without `--source`, a topic whose own `policy` and whose `aws_sns_topic_policy` are both known only after
/// apply is one real policy: one TG008, on the policy resource, naming the topic's argument too.
#[test]
fn the_plan_alone_gives_one_finding_per_real_policy() {
    let plan = rel(&root().join("testdata/real/sns-topic-policy-null/plan.json"));
    let (findings, reasons) = findings_of(&plan);
    let want: BTreeSet<(String, String)> = [
        ("aws_sns_topic.shared", "external-account"),
        ("aws_sns_topic_policy.events[0]", "unverifiable"),
    ]
    .map(|(a, k)| (a.to_string(), k.to_string()))
    .into();
    assert_eq!(findings, want);
    let reason = &reasons
        .iter()
        .find(|(a, _)| a == "aws_sns_topic_policy.events[0]")
        .unwrap()
        .1;
    assert!(
        reason.contains("aws_sns_topic.events `policy` writes the same policy"),
        "{reason}"
    );
}

/// Folding never drops what could widen: a parent whose own policy is known (and widens) or a policy
/// resource that is decided keeps its own finding next to the other side's TG008.
#[test]
fn a_shared_policy_is_folded_only_when_both_sides_are_wholly_unknown() {
    let change = |address: &str, kind: &str, name: &str, after: &str, unknown: &str| {
        format!(
            r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"{name}",
            "provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,
            "after":{after},"after_unknown":{unknown},"before_sensitive":false,"after_sensitive":{{}}}}}}"#
        )
    };
    let external = r#"{"policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sns:Publish\",\"Resource\":\"*\"}]}"}"#;
    let config = r#""configuration":{"root_module":{"resources":[
        {"address":"aws_sns_topic.t","expressions":{"policy":{"references":["var.p"]}}},
        {"address":"aws_sns_topic_policy.p","expressions":{"arn":{"references":["aws_sns_topic.t.arn","aws_sns_topic.t"]},
         "policy":{"references":["var.q"]}}}]}}"#;
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    let write = |changes: [String; 2]| {
        std::fs::write(
            &plan,
            format!(
                r#"{{"format_version":"1.2","resource_changes":[{}],{config}}}"#,
                changes.join(",")
            ),
        )
        .unwrap();
    };
    let pair = |a: &str, b: &str| -> BTreeSet<(String, String)> {
        [("aws_sns_topic.t", a), ("aws_sns_topic_policy.p", b)]
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .into()
    };
    // The topic's own policy is known and grants another account: both findings stay.
    write([
        change("aws_sns_topic.t", "aws_sns_topic", "t", external, "{}"),
        change(
            "aws_sns_topic_policy.p",
            "aws_sns_topic_policy",
            "p",
            "{}",
            r#"{"policy":true}"#,
        ),
    ]);
    let plan_text = plan.to_str().unwrap();
    assert_eq!(findings_of(plan_text).0, pair("external-account", "unverifiable"));
    // The policy resource is known and grants another account, the topic's argument is unknown: both stay.
    write([
        change(
            "aws_sns_topic.t",
            "aws_sns_topic",
            "t",
            "{}",
            r#"{"policy":true}"#,
        ),
        change(
            "aws_sns_topic_policy.p",
            "aws_sns_topic_policy",
            "p",
            external,
            "{}",
        ),
    ]);
    assert_eq!(findings_of(plan_text).0, pair("unverifiable", "external-account"));
    // Both wholly unknown: one finding, on the policy resource.
    write([
        change(
            "aws_sns_topic.t",
            "aws_sns_topic",
            "t",
            "{}",
            r#"{"policy":true}"#,
        ),
        change(
            "aws_sns_topic_policy.p",
            "aws_sns_topic_policy",
            "p",
            "{}",
            r#"{"policy":true}"#,
        ),
    ]);
    let (findings, _) = findings_of(plan_text);
    assert_eq!(
        findings,
        BTreeSet::from([("aws_sns_topic_policy.p".to_string(), "unverifiable".to_string())])
    );
}

/// A finding decided through the stand-in of a resource created in another account says what it stands for.
#[test]
fn stand_ins_say_what_they_stand_for() {
    let dir = root().join("testdata/real/existing-policies-new-arns-update");
    let (plan, head) = (rel(&dir.join("plan.json")), rel(&dir.join("head")));
    let out = run(&[
        "check", &plan, "--source", &head, "--format", "json", "--today", TODAY,
    ]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stderr));
    let reason = |address: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["address"] == address)
            .map(|f| text(f, "reason"))
            .unwrap_or_default()
    };
    assert!(
        reason("aws_s3_bucket_policy.batch").contains(
            "aws_iam_role.peer_batch is created here through a provider in account 999988887777: its name is \
             known only after apply"
        ),
        "{}",
        reason("aws_s3_bucket_policy.batch")
    );
    assert!(
        reason("aws_s3_bucket_policy.reports").contains(
            "the ARN of aws_iam_role.peer_reader, from its planned name and path and its provider's account"
        ),
        "{}",
        reason("aws_s3_bucket_policy.reports")
    );
    assert!(
        reason("aws_sqs_queue_policy.feed").contains(
            "aws:SourceArn is aws_sns_topic.peer_alerts, created here through a provider in account 999988887777"
        ),
        "{}",
        reason("aws_sqs_queue_policy.feed")
    );
}
