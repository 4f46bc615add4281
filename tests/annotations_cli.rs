//! Annotations end to end: tags, config exceptions, `inline = false`, expiry against `--today`.

mod common;

use std::path::Path;

use common::run_in;

fn workdir_with_example(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("testdata/example/plan.json"),
        dir.path().join("plan.json"),
    )
    .unwrap();
    if let Some(text) = config {
        std::fs::write(dir.path().join(".trustgate.hcl"), text).unwrap();
    }
    dir
}

fn findings(dir: &Path, today: &str) -> (i32, Vec<(String, String, String)>) {
    let out = run_in(
        Some(dir),
        &["check", "plan.json", "--today", today, "--format", "json"],
        None,
    );
    assert!(matches!(out.code, 0 | 1), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let list = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string() + " " + &f["annotation"]["problems"].to_string(),
            )
        })
        .collect();
    (out.code, list)
}

fn status_of<'a>(list: &'a [(String, String, String)], address: &str) -> Vec<&'a str> {
    list.iter()
        .filter(|(a, _, _)| a == address)
        .map(|(_, s, _)| s.as_str())
        .collect()
}

#[test]
fn valid_tags_approve_and_expired_tags_do_not() {
    let dir = workdir_with_example(None);
    let (_, list) = findings(dir.path(), "2026-11-24");
    assert_eq!(status_of(&list, "aws_iam_role.datadog"), ["approved"]);
    let (_, list) = findings(dir.path(), "2027-04-01");
    assert_eq!(status_of(&list, "aws_iam_role.datadog"), ["violation"]);
    let problem = &list
        .iter()
        .find(|(a, _, _)| a == "aws_iam_role.datadog")
        .unwrap()
        .2;
    assert!(problem.contains("2027-03-31"), "{problem}");
}

#[test]
fn inline_false_ignores_tags() {
    let dir = workdir_with_example(Some("annotations {\n  inline = false\n}\n"));
    let (_, list) = findings(dir.path(), "2026-11-24");
    assert_eq!(status_of(&list, "aws_iam_role.datadog"), ["violation"]);
}

#[test]
fn config_exceptions_approve_by_address_glob_and_principal() {
    let config = r#"
exception {
  address       = "module.vendors[\"*\"].aws_iam_role.this"
  principal     = "324880187172"
  owner         = "@platform/ci"
  expiry        = "2027-01-31"
  justification = "Spacelift stack role, SEC-42"
}
exception {
  address       = "aws_s3_bucket_policy.reports"
  principal     = "arn:aws:iam::999999999999:root"
  owner         = "@data"
  expiry        = "2027-01-31"
  justification = "does not match the public principal"
}
"#;
    let dir = workdir_with_example(Some(config));
    let (_, list) = findings(dir.path(), "2026-11-24");
    assert_eq!(
        status_of(&list, "module.vendors[\"spacelift\"].aws_iam_role.this"),
        ["approved"]
    );
    assert!(
        status_of(&list, "aws_s3_bucket_policy.reports")
            .iter()
            .all(|s| *s == "violation")
    );
}

#[test]
fn everything_approved_exits_zero() {
    let config = r#"
exception {
  address       = "*"
  owner         = "@security"
  expiry        = "2026-12-31"
  justification = "approved in review SEC-99"
}
"#;
    let dir = workdir_with_example(Some(config));
    let (code, list) = findings(dir.path(), "2026-11-24");
    assert!(!list.is_empty());
    assert!(list.iter().all(|(_, s, _)| s == "approved"), "{list:?}");
    assert_eq!(code, 0);
}

#[test]
fn invalid_config_is_an_input_error() {
    let dir = workdir_with_example(Some("boundary {\n  acounts = [\"111111111111\"]\n}\n"));
    let out = run_in(Some(dir.path()), &["check", "plan.json"], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains(".trustgate.hcl"), "{}", out.stderr);
}
