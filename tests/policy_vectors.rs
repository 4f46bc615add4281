//! Runs every case of `testdata/policy-vectors.jsonl` through `parse_policy_value` + `compare` and checks
//! the expected verdict. All failures are collected and reported together, by name.

use std::collections::BTreeSet;

use serde_json::Value;
use trustgate::analysis::{Boundary, Context, PolicyRole, compare};
use trustgate::policy::parse_policy_value;

const VECTORS: &str = include_str!("../testdata/policy-vectors.jsonl");

fn string_set(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Trust policies are the ones whose actions are all `sts:*` actions; everything else is a resource policy.
fn role_of(documents: &[&Value]) -> PolicyRole {
    let mut actions = documents
        .iter()
        .filter_map(|d| d.get("Statement"))
        .flat_map(|s| match s {
            Value::Array(items) => items.clone(),
            single => vec![single.clone()],
        })
        .filter_map(|statement| {
            statement
                .get("Action")
                .or_else(|| statement.get("NotAction"))
                .cloned()
        })
        .flat_map(|a| match a {
            Value::Array(items) => items,
            single => vec![single],
        })
        .filter_map(|a| a.as_str().map(str::to_lowercase))
        .peekable();
    if actions.peek().is_some() && actions.all(|a| a.starts_with("sts:")) {
        PolicyRole::Trust
    } else {
        PolicyRole::Resource
    }
}

#[test]
fn every_policy_vector_has_the_expected_verdict() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (line_number, line) in VECTORS.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        count += 1;
        let case: Value = match serde_json::from_str(line) {
            Ok(case) => case,
            Err(e) => {
                failures.push(format!("line {}: unreadable vector: {e}", line_number + 1));
                continue;
            }
        };
        let name = case["name"].as_str().unwrap_or("?").to_string();
        let expected = case["expected"].as_str().unwrap_or("?").to_string();
        let boundary = Boundary {
            accounts: string_set(&case["owner_accounts"]),
            organizations: string_set(&case["owner_orgs"]),
            federated: Vec::new(),
        };
        let (old, new) = match (parse_policy_value(&case["old"]), parse_policy_value(&case["new"])) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                failures.push(format!(
                    "{name}: parse error old={:?} new={:?}",
                    old.err(),
                    new.err()
                ));
                continue;
            }
        };
        let role = role_of(&[&case["old"], &case["new"]]);
        let ctx = Context {
            boundary: &boundary,
            role,
            partition: "aws",
        };
        let comparison = compare(Some(&old), &new, &ctx);
        // The verdict must not depend on reading the document as a trust or a resource policy.
        let as_resource = compare(
            Some(&old),
            &new,
            &Context {
                role: PolicyRole::Resource,
                ..ctx
            },
        );
        if comparison.verdict.as_str() != expected {
            failures.push(format!(
                "{name}: expected {expected}, got {} ({:?})",
                comparison.verdict.as_str(),
                comparison.widenings
            ));
        } else if as_resource.verdict != comparison.verdict {
            failures.push(format!(
                "{name}: verdict differs between trust and resource reading"
            ));
        }
    }
    assert_eq!(count, 50, "expected 50 vectors");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
