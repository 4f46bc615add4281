//! Issue 12: evaluating locals from the HCL sources is memoised and bounded. A deep chain resolves to the
//! right verdict; a configuration that needs more work than the budget is unverifiable, with a note saying
//! so, instead of stalling the check. (Speed is measured by `bench/bounds.sh`, not here.)

mod common;

use std::path::Path;

use common::{TODAY, run};

/// A plan that creates `aws_iam_role.chained` with its trust policy known only after apply.
const PLAN: &str = r#"{"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [
  {"address": "aws_iam_role.chained", "mode": "managed", "type": "aws_iam_role", "name": "chained",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null, "after": {"name": "chained"},
              "after_unknown": {"arn": true, "id": true, "assume_role_policy": true},
              "before_sensitive": false, "after_sensitive": {}}}]}"#;

fn role(principal: &str) -> String {
    format!(
        r#"
resource "aws_iam_role" "chained" {{
  name = "chained"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ AWS = {principal} }}, Action = "sts:AssumeRole" }}]
  }})
}}
"#
    )
}

fn check(dir: &Path, main_tf: &str) -> (i32, Vec<serde_json::Value>) {
    std::fs::write(dir.join("main.tf"), main_tf).unwrap();
    std::fs::write(dir.join("plan.json"), PLAN).unwrap();
    let plan = dir.join("plan.json").to_string_lossy().to_string();
    let source = dir.to_string_lossy().to_string();
    let out = run(&[
        "check",
        &plan,
        "--source",
        &source,
        "--account",
        "111122223333",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    (out.code, json["findings"].as_array().unwrap().clone())
}

#[test]
fn a_chain_of_4000_locals_resolves_to_its_external_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut tf = String::from("locals {\n  l0 = \"arn:aws:iam::999988887777:root\"\n");
    for i in 1..4000 {
        tf.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    tf.push_str("}\n");
    // Defined out of order: evaluation follows the references, not the file.
    tf.push_str("locals {\n  first = local.l3999\n}\n");
    tf.push_str(&role("local.first"));
    let (code, findings) = check(dir.path(), &tf);
    assert_eq!(code, 1, "{findings:#?}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["kind"], "external-account");
    assert_eq!(findings[0]["principal"], "arn:aws:iam::999988887777:root");
    assert_eq!(findings[0]["resolved_from_source"], true);
}

#[test]
fn a_chain_of_own_accounts_passes() {
    let dir = tempfile::tempdir().unwrap();
    let mut tf = String::from("locals {\n  l0 = \"111122223333\"\n");
    for i in 1..2000 {
        tf.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    tf.push_str("}\n");
    tf.push_str(&role("\"arn:aws:iam::${local.l1999}:root\""));
    let (code, findings) = check(dir.path(), &tf);
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn a_cycle_of_locals_is_unverifiable() {
    let dir = tempfile::tempdir().unwrap();
    let tf = format!("locals {{\n  a = local.b\n  b = local.a\n}}\n{}", role("local.a"));
    let (code, findings) = check(dir.path(), &tf);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["kind"], "unverifiable");
}

#[test]
fn locals_past_the_work_budget_are_unverifiable_with_a_note() {
    // Each local doubles the one before: 2^40 bytes at the end. Past the budget the chain is not evaluated.
    let dir = tempfile::tempdir().unwrap();
    let mut tf = String::from("locals {\n  l0 = \"9\"\n");
    for i in 1..=40 {
        tf.push_str(&format!("  l{i} = \"${{local.l{0}}}${{local.l{0}}}\"\n", i - 1));
    }
    tf.push_str("}\n");
    tf.push_str(&role("\"arn:aws:iam::${local.l40}:root\""));
    let (code, findings) = check(dir.path(), &tf);
    assert_eq!(code, 1, "{findings:#?}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["kind"], "unverifiable");
    let reason = findings[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("local.l40 (not evaluated: past the evaluation work budget)")
            && reason.contains("more evaluation work than trustgate allows"),
        "{reason}"
    );
}
