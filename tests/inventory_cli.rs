//! `trustgate inventory` end to end, on the state and plans real terraform wrote against moto
//! (`testdata/real/inventory-estate`, `expired-unchanged`, `partner-session-lengthened`; regenerate them with
//! `testdata/real/regen.sh`). Dates are fixed with `--today`.

mod common;

use std::collections::BTreeSet;

use common::{run, run_in};
use serde_json::Value;

const TODAY: &str = "2026-12-03";
const ESTATE: &str = "testdata/real/inventory-estate";

fn estate_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "inventory",
        "testdata/real/inventory-estate/state.json",
        "--today",
        TODAY,
        "--source",
        "testdata/real/inventory-estate/config",
        "--config",
        "testdata/real/inventory-estate/.trustgate.hcl",
    ];
    args.extend_from_slice(extra);
    args
}

fn json_of(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn statuses(report: &Value) -> BTreeSet<(String, String, String)> {
    report["paths"]
        .as_array()
        .expect("paths")
        .iter()
        .map(|p| {
            (
                p["address"].as_str().unwrap().to_string(),
                p["principal"].as_str().unwrap().to_string(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_real_state_shows_every_status() {
    let out = run(&estate_args(&["--format", "json"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json_of(&out.stdout);
    assert_eq!(report["schema"], "trustgate/inventory/v1");
    let want: BTreeSet<(String, String, String)> = [
        (
            "aws_iam_role.datadog",
            "arn:aws:iam::464622532012:root",
            "approved",
        ),
        (
            "aws_iam_role.github_deploy",
            "federated:token.actions.githubusercontent.com",
            "approved",
        ),
        (
            "aws_iam_role.partner_admin",
            "arn:aws:iam::222222222222:root",
            "unannotated",
        ),
        (
            "aws_iam_role.spacelift",
            "arn:aws:iam::324880187172:role/spacelift-worker",
            "expired",
        ),
        (
            "aws_kms_key.shared",
            "arn:aws:iam::333333333333:role/analytics",
            "expiring",
        ),
        (
            "aws_s3_bucket_policy.reports",
            "arn:aws:iam::999988887777:role/auditor",
            "approved",
        ),
        (
            "aws_sns_topic.alerts",
            "arn:aws:iam::444455556666:root",
            "invalid",
        ),
    ]
    .into_iter()
    .map(|(a, p, s)| (a.to_string(), p.to_string(), s.to_string()))
    .collect();
    assert_eq!(statuses(&report), want);
    let path = |address: &str| {
        report["paths"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["address"] == address)
            .unwrap_or_else(|| panic!("no path for {address}"))
            .clone()
    };
    // Vendor names, scope and fix, session length, blast radius, annotation origins.
    let datadog = path("aws_iam_role.datadog");
    assert_eq!(datadog["vendor"], "Datadog");
    assert_eq!(datadog["class"], "account");
    assert_eq!(datadog["broad"], true);
    assert_eq!(datadog["fix"], "name the role or user");
    assert_eq!(
        datadog["conditions"][0],
        "StringEquals sts:externalid = \"acme-dd-7f3a\""
    );
    assert_eq!(datadog["privileged"], false);
    assert_eq!(datadog["annotation"]["origin"]["type"], "tags");
    let partner = path("aws_iam_role.partner_admin");
    assert_eq!(partner["session_seconds"], 43200);
    assert_eq!(partner["privileged"], true);
    assert!(
        partner["privileged_because"][0]
            .as_str()
            .unwrap()
            .starts_with("AdministratorAccess via")
    );
    let spacelift = path("aws_iam_role.spacelift");
    assert_eq!(spacelift["vendor"], "Spacelift");
    assert_eq!(spacelift["broad"], false);
    assert_eq!(spacelift["privileged"], true);
    assert_eq!(spacelift["expires_in_days"], -2);
    assert_eq!(path("aws_iam_role.github_deploy")["class"], "federated");
    assert_eq!(
        path("aws_iam_role.github_deploy")["annotation"]["origin"]["type"],
        "exception"
    );
    assert_eq!(
        path("aws_s3_bucket_policy.reports")["annotation"]["origin"]["type"],
        "comment"
    );
    assert_eq!(path("aws_kms_key.shared")["expires_in_days"], 17);
    assert_eq!(path("aws_kms_key.shared")["session_seconds"], Value::Null);
    // Paths inside the boundary are not listed: the key's own-account statement is not a path, nor the Lambda
    // execution role (the service acts for this account only).
    assert!(!out.stdout.contains("arn:aws:iam::123456789012:root"));
    assert!(!out.stdout.contains("aws_iam_role.lambda_exec"));
    assert_eq!(report["files"][0]["kind"], "state");
    assert_eq!(report["files"][0]["boundary"]["accounts"][0], "123456789012");
}

#[test]
fn every_format_of_the_real_state() {
    for format in ["human", "json", "markdown", "csv", "mermaid", "dot"] {
        let out = run(&estate_args(&["--format", format, "--color", "never"]));
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        insta::assert_snapshot!(format!("inventory_estate__{format}"), out.stdout);
    }
}

#[test]
fn output_files_hold_the_other_formats() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("inventory.csv");
    let dot = dir.path().join("inventory.dot");
    let csv_arg = format!("csv={}", csv.display());
    let dot_arg = format!("dot={}", dot.display());
    let out = run(&estate_args(&[
        "--format", "json", "--output", &csv_arg, "--output", &dot_arg,
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let direct = run(&estate_args(&["--format", "csv"]));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), direct.stdout);
    assert!(std::fs::read_to_string(&dot).unwrap().starts_with("digraph"));
}

#[test]
fn several_files_at_once_each_path_names_its_file() {
    let out = run(&[
        "inventory",
        "testdata/real/inventory-estate/state.json",
        "testdata/real/inventory-estate/plan.json",
        "testdata/real/expired-unchanged/plan.json",
        "testdata/real/partner-session-lengthened/plan.json",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report = json_of(&out.stdout);
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "testdata/real/inventory-estate/state.json",
            "testdata/real/inventory-estate/plan.json",
            "testdata/real/expired-unchanged/plan.json",
            "testdata/real/partner-session-lengthened/plan.json",
        ]
    );
    let kinds: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["state", "plan", "plan", "plan"]);
    let paths = report["paths"].as_array().unwrap();
    for file in &files {
        assert!(paths.iter().any(|p| p["file"] == *file), "no path names {file}");
    }
    let expired_datadog = paths
        .iter()
        .find(|p| p["file"] == "testdata/real/expired-unchanged/plan.json")
        .unwrap();
    assert_eq!(expired_datadog["status"], "expired");
    let partner = paths
        .iter()
        .find(|p| p["file"] == "testdata/real/partner-session-lengthened/plan.json")
        .unwrap();
    assert_eq!(
        partner["session_seconds"], 43200,
        "a plan lists what stands after apply"
    );
    assert_eq!(report["summary"]["paths"].as_u64().unwrap() as usize, paths.len());
    // The human view groups by party across files and says which file each path is in.
    let human = run(&[
        "inventory",
        "testdata/real/inventory-estate/state.json",
        "testdata/real/expired-unchanged/plan.json",
        "--today",
        TODAY,
    ]);
    assert!(
        human.stdout.contains("Datadog (464622532012) — 2 paths"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains(" in testdata/real/expired-unchanged/plan.json")
    );
}

#[test]
fn standard_input_and_bad_input() {
    let state = std::fs::read(common::root().join(ESTATE).join("state.json")).unwrap();
    let out = run_in(
        None,
        &["inventory", "-", "--today", TODAY, "--format", "json"],
        Some(&state),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(json_of(&out.stdout)["files"][0]["file"], "<stdin>");

    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("broken.json");
    std::fs::write(&garbage, "{\"format_version\": ").unwrap();
    let garbage = garbage.to_string_lossy().to_string();
    let out = run(&["inventory", "testdata/real/inventory-estate/state.json", &garbage]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("broken.json") && out.stderr.lines().count() == 1,
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());

    let out = run(&["inventory", "does-not-exist.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does-not-exist.json"), "{}", out.stderr);

    let out = run_in(None, &["inventory", "-", "-"], Some(b"{}"));
    assert_eq!(out.code, 2);

    let raw = dir.path().join("terraform.tfstate");
    std::fs::write(&raw, r#"{"version":4,"lineage":"x","serial":1,"resources":[]}"#).unwrap();
    let raw = raw.to_string_lossy().to_string();
    let out = run(&["inventory", &raw, "--terraform-bin", "/nonexistent/terraform"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("raw state file"), "{}", out.stderr);
}

#[test]
fn review_config_changes_warn_days_and_what_fails() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("review.hcl");
    let exception = std::fs::read_to_string(common::root().join(ESTATE).join(".trustgate.hcl")).unwrap();
    let write = |review: &str| {
        std::fs::write(&config, format!("{exception}\nreview {{\n{review}\n}}\n")).unwrap();
        config.to_string_lossy().to_string()
    };
    let base = |config: &str, extra: &[&str]| {
        let mut args = vec![
            "inventory".to_string(),
            "testdata/real/inventory-estate/state.json".to_string(),
            "--today".to_string(),
            TODAY.to_string(),
            "--source".to_string(),
            "testdata/real/inventory-estate/config".to_string(),
            "--config".to_string(),
            config.to_string(),
            "--format".to_string(),
            "json".to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&argv)
    };
    // Only expiring paths fail: there is one (the KMS key), so exit 1; with warn_days 10 it is approved.
    let path = write("  fail_on = [\"expiring\"]");
    assert_eq!(base(&path, &[]).code, 1);
    let path = write("  fail_on = [\"expiring\"]\n  warn_days = 10");
    let out = base(&path, &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(json_of(&out.stdout)["summary"]["expiring"], 0);
    // --warn-days wins over the config.
    let out = base(&path, &["--warn-days", "20"]);
    assert_eq!(out.code, 1);
    // Nothing fails.
    let path = write("  fail_on = []");
    assert_eq!(base(&path, &[]).code, 0);
    // A bad status is a config error naming the line.
    let path = write("  fail_on = [\"late\"]");
    let out = base(&path, &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("review.hcl") && out.stderr.contains("\"late\""),
        "{}",
        out.stderr
    );
}

#[test]
fn check_reports_the_session_widening_and_the_privileged_role() {
    let out = run(&[
        "check",
        "testdata/real/inventory-estate/plan.json",
        "--today",
        common::TODAY,
        "--color",
        "never",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("TG010 session-lengthened"), "{}", out.stdout);
    assert!(
        out.stdout.contains("max_session_duration 43200 s (12 h)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "privileged once assumed: AdministratorAccess via aws_iam_role_policy_attachment.partner_admin"
        ),
        "{}",
        out.stdout
    );
    let raised = run(&[
        "check",
        "testdata/real/partner-session-lengthened/plan.json",
        "--today",
        common::TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(raised.code, 1);
    let report = json_of(&raised.stdout);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "TG010");
    assert_eq!(findings[0]["kind"], "session-lengthened");
    assert!(
        findings[0]["reason"]
            .as_str()
            .unwrap()
            .contains("raised from 3600 s (1 h) to 43200 s (12 h)")
    );
}

#[test]
fn check_warns_about_expired_approvals_on_unchanged_resources() {
    let plan = "testdata/real/expired-unchanged/plan.json";
    let out = run(&["check", plan, "--today", TODAY, "--format", "json"]);
    assert_eq!(out.code, 0, "a warning by default: {}", out.stdout);
    let report = json_of(&out.stdout);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    let stale = &report["stale_approvals"][0];
    assert_eq!(stale["address"], "aws_iam_role.datadog");
    assert_eq!(stale["status"], "expired");
    assert_eq!(stale["blocking"], false);
    // Before the expiry it is expiring.
    let early = json_of(&run(&["check", plan, "--today", "2026-11-24", "--format", "json"]).stdout);
    assert_eq!(early["stale_approvals"][0]["status"], "expiring");
    let human = run(&["check", plan, "--today", TODAY, "--color", "never"]);
    assert!(
        human
            .stdout
            .contains("warning: expired: the approval of arn:aws:iam::464622532012:root"),
        "{}",
        human.stdout
    );
    let github = run(&["check", plan, "--today", TODAY, "--format", "github"]);
    assert!(
        github
            .stdout
            .contains("::warning title=trustgate%3A approval expired::"),
        "{}",
        github.stdout
    );
    let markdown = run(&["check", plan, "--today", TODAY, "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .contains("Approvals on resources this plan does not change")
    );

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("fail.hcl");
    std::fs::write(&config, "review {\n  expired_unchanged = \"fail\"\n}\n").unwrap();
    let config = config.to_string_lossy().to_string();
    let out = run(&[
        "check", plan, "--today", TODAY, "--config", &config, "--format", "json",
    ]);
    assert_eq!(out.code, 1, "blocking with expired_unchanged = \"fail\"");
    assert_eq!(json_of(&out.stdout)["stale_approvals"][0]["blocking"], true);
    // Expiring is never blocking.
    let out = run(&["check", plan, "--today", "2026-11-24", "--config", &config]);
    assert_eq!(out.code, 0);
}
