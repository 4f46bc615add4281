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

fn real_case(name: &str) {
    let dir = common::root().join("testdata/real").join(name);
    let expect: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expect.json")).unwrap()).unwrap();
    assert_case(&dir.join("plan.json").to_string_lossy(), &expect);
}

#[test]
fn uncatalogued_types_from_a_real_plan_are_all_reported() {
    real_case("uncatalogued-types");
}

#[test]
fn public_access_blocks_switched_off_or_removed_are_reported() {
    real_case("guards-switched-off");
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
