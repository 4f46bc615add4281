//! Issue 12, catalog coverage end to end: every input that can carry trust is read, or its site is
//! unverifiable. Each case compares the exact set of (address, kind, principal, status) with the JSON
//! output, so a miss and a false alarm both fail.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

type Finding = (String, String, String, String);

fn findings(json: &Value) -> BTreeSet<Finding> {
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    json["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                text(f, "address"),
                text(f, "kind"),
                text(f, "principal"),
                text(f, "status"),
            )
        })
        .collect()
}

/// Runs `check --format json` on `plan` with the args of `expect` and compares with its findings.
fn assert_case(plan: &str, expect: &Value) {
    let mut args = vec!["check", "--format", "json", "--today", common::TODAY];
    let extra: Vec<&str> = expect["args"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    args.extend(extra);
    args.push(plan);
    let out = common::run(&args);
    assert_eq!(
        out.code,
        expect["exit"].as_i64().unwrap() as i32,
        "{plan}: {}",
        out.stderr
    );
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON output");
    let want = findings(expect);
    let got = findings(&json);
    assert_eq!(got, want, "{plan}");
}

#[test]
fn awscc_cloudcontrol_and_uncatalogued_types_are_reported() {
    let expect = serde_json::json!({
        "args": [],
        "exit": 1,
        "findings": [
            {"address": "aws_cloudcontrolapi_resource.queue_policy", "kind": "public", "principal": "*", "status": "violation"},
            {"address": "aws_cloudcontrolapi_resource.role", "kind": "external-account", "principal": "arn:aws:iam::999988887777:root", "status": "violation"},
            {"address": "aws_cloudcontrolapi_resource.share", "kind": "unverifiable", "principal": "", "status": "violation"},
            {"address": "aws_ram_resource_share.subnets", "kind": "unverifiable", "principal": "", "status": "violation"},
            {"address": "awscc_iam_role.cross", "kind": "external-account", "principal": "arn:aws:iam::999988887777:root", "status": "violation"},
            {"address": "awscc_kms_key.shared", "kind": "external-account", "principal": "arn:aws:iam::999988887777:root", "status": "violation"},
            {"address": "awscc_lambda_permission.ext", "kind": "external-account", "principal": "arn:aws:iam::999988887777:root", "status": "violation"},
            {"address": "awscc_newsvc_widget.gap", "kind": "unverifiable", "principal": "", "status": "violation"},
            {"address": "awscc_s3_bucket_policy.public", "kind": "public", "principal": "*", "status": "violation"}
        ]
    });
    assert_case("testdata/plans/awscc-cloudcontrol-and-uncatalogued.json", &expect);
}

#[test]
fn unverifiable_reasons_name_the_gap() {
    let out = common::run(&[
        "check",
        "--format",
        "json",
        "testdata/plans/awscc-cloudcontrol-and-uncatalogued.json",
    ]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let reason = |address: &str| -> String {
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["address"] == address)
            .map(|f| f["reason"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(
        reason("awscc_newsvc_widget.gap").contains("awscc_newsvc_widget is not in the catalog"),
        "{}",
        reason("awscc_newsvc_widget.gap")
    );
    assert!(reason("aws_cloudcontrolapi_resource.share").contains("AWS::RAM::ResourceShare"));
    assert!(reason("aws_ram_resource_share.subnets").contains("allow_external_principals"));
}

#[test]
fn duplicate_keys_in_a_policy_are_an_invalid_policy_naming_the_key() {
    let out = common::run(&[
        "check",
        "--format",
        "json",
        "--account",
        "123456789012",
        "testdata/plans/policy-duplicate-keys.json",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["kind"], "invalid-policy");
    assert_eq!(findings[0]["rule"], "TG009");
    let reason = findings[0]["reason"].as_str().unwrap();
    assert!(reason.contains("duplicate key \"Effect\""), "{reason}");

    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(&old, r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    std::fs::write(
        &new,
        r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Principal":"*","Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    let out = common::run(&["compare", &old.to_string_lossy(), &new.to_string_lossy()]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("duplicate key \"Principal\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("new.json: line 1, column"), "{}", out.stderr);
}
