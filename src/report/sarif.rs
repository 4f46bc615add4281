//! SARIF 2.1.0 (for GitHub code scanning and other SARIF viewers): one rule per widening kind, one result
//! per finding with a stable fingerprint, and approved widenings as results with an accepted suppression.

use serde_json::{Value, json};

use super::escape::uri_path;
use crate::analysis::WideningKind;
use crate::judge::{Finding, Report, Status};
use crate::rules::{self, Rule};

pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of the fingerprint in `partialFingerprints`; bump the suffix if what is hashed ever changes.
pub const FINGERPRINT_KEY: &str = "trustgateFinding/v1";

pub fn render(report: &Report) -> String {
    let rules = rules::all();
    let results: Vec<Value> = report.findings.iter().map(|f| result(f, report, rules)).collect();
    let mut driver = json!({
        "name": "trustgate",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules.iter().map(rule).collect::<Vec<_>>(),
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }
    let mut invocation = json!({ "executionSuccessful": true });
    if let Some(warning) = super::detected_boundary_warning(report) {
        invocation["toolExecutionNotifications"] = json!([{
            "level": "warning",
            "descriptor": { "id": "trustgate/boundary-detected" },
            "message": { "text": warning },
        }]);
    }
    let sarif = json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [invocation],
            "results": results,
            "properties": {
                "trustgate": {
                    "summary": report.summary,
                    "boundarySource": report.boundary.source.as_str(),
                    "today": report.today.to_string(),
                }
            }
        }]
    });
    let mut text = serde_json::to_string_pretty(&sarif).expect("SARIF values always serialise");
    text.push('\n');
    text
}

/// The project's address, when Cargo.toml names one.
fn information_uri() -> Option<&'static str> {
    [
        option_env!("CARGO_PKG_HOMEPAGE"),
        option_env!("CARGO_PKG_REPOSITORY"),
    ]
    .into_iter()
    .flatten()
    .find(|uri| !uri.is_empty())
}

/// GitHub code scanning reads `security-severity` (0.0–10.0) to rank alerts.
fn security_severity(kind: WideningKind) -> &'static str {
    match kind {
        WideningKind::Public => "9.5",
        WideningKind::ExternalAccount | WideningKind::Federated => "8.0",
        WideningKind::ConditionWeakened | WideningKind::DenyRemoved => "7.5",
        WideningKind::Service => "7.0",
        WideningKind::AccessBroadened | WideningKind::SessionLengthened => "6.5",
        WideningKind::Unverifiable | WideningKind::InvalidPolicy => "5.0",
    }
}

/// The help of a rule split into what it means and how to fix it, each unwrapped to one paragraph.
fn help_parts(rule: &Rule) -> (String, String) {
    let unwrap = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    match rule.help.split_once("\nFix:") {
        Some((meaning, fix)) => (unwrap(meaning), unwrap(fix)),
        None => (unwrap(&rule.help), String::new()),
    }
}

const APPROVE_TEXT: &str = "If the widening is intended, approve it: tag the resource with trustgate:owner, \
     trustgate:expiry (YYYY-MM-DD) and trustgate:justification, or add an exception block (address, \
     principal, owner, expiry, justification) to .trustgate.hcl. An approved widening is reported as a \
     suppressed result.";

fn rule(rule: &Rule) -> Value {
    let (meaning, fix) = help_parts(rule);
    let text = format!("{meaning}\n\nFix: {fix}\n\n{APPROVE_TEXT}");
    let markdown = format!(
        "{meaning}\n\n**Fix:** {fix}\n\n**Approve an intended widening** with tags on the resource:\n\n\
         ```hcl\ntags = {{\n  \"trustgate:owner\"         = \"team-name\"\n  \
         \"trustgate:expiry\"        = \"2027-03-31\"\n  \
         \"trustgate:justification\" = \"TICKET-123: why this access is needed\"\n}}\n```\n\n\
         or an `exception` block in `.trustgate.hcl`:\n\n\
         ```hcl\nexception {{\n  address       = \"aws_iam_role.example\"\n  \
         principal     = \"arn:aws:iam::999988887777:root\"\n  owner         = \"team-name\"\n  \
         expiry        = \"2027-03-31\"\n  justification = \"TICKET-123: why this access is needed\"\n}}\n```"
    );
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": meaning },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": "error" },
        "properties": {
            "tags": ["security", "iam", "cross-account", rule.kind.as_str()],
            "precision": "high",
            "security-severity": security_severity(rule.kind),
        }
    })
}

fn result(f: &Finding, report: &Report, rules: &[Rule]) -> Value {
    let rule_index = rules.iter().position(|r| r.id == f.rule.id).unwrap_or(0);
    let (file, line) = match &f.location {
        Some(location) => {
            let (file, line) = location.precise();
            (file.display().to_string(), line.max(1))
        }
        None => (report.input.display().to_string(), 1),
    };
    let mut text = format!("{}: {}", f.address, f.message());
    if !f.annotation_problems.is_empty() {
        text.push_str(&format!(
            " (annotation rejected: {})",
            f.annotation_problems.join("; ")
        ));
    }
    if let Some(approvers) = &f.approvers {
        text.push_str(&format!(" ({})", approvers.sentence()));
    }
    let mut value = json!({
        "ruleId": f.rule.id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": match f.status {
            Status::Violation => "error",
            Status::Approved => "note",
        },
        "message": { "text": text },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&file) },
                "region": { "startLine": line },
            },
            "logicalLocations": [{
                "name": f.address,
                "fullyQualifiedName": format!("{}.{}", f.address, f.attribute),
                "kind": "resource",
            }],
        }],
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(f) },
        "properties": {
            "address": f.address,
            "resourceType": f.resource_type,
            "attribute": f.attribute,
            "change": f.change.as_str(),
            "principal": f.widening.principal,
            "actions": f.widening.actions,
            "widening": f.widening.kind.as_str(),
            "status": f.status.as_str(),
            "annotationProvenance": f.provenance.map(|p| p.as_str()),
        }
    });
    if let Some(approvers) = &f.approvers {
        value["properties"]["approvers"] = json!(approvers.owners);
    }
    if let (Status::Approved, Some(annotation)) = (f.status, &f.annotation) {
        value["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": super::approval_text(f, annotation),
        }]);
    }
    value
}

/// A stable identity for a finding across runs and platforms: FNV-1a (64-bit) of the address, the
/// principal and the kind, separated by NUL bytes, as 16 hex digits.
pub fn fingerprint(f: &Finding) -> String {
    format!(
        "{:016x}",
        fnv1a64(&[
            f.address.as_bytes(),
            f.widening.principal.as_bytes(),
            f.widening.kind.as_str().as_bytes()
        ])
    )
}

fn fnv1a64(parts: &[&[u8]]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A NUL separator byte: xor with 0 leaves the hash as it is, then the multiply.
            hash = hash.wrapping_mul(PRIME);
        }
        for &byte in *part {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(&[b"foobar"]), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn parts_are_separated() {
        assert_ne!(fnv1a64(&[b"ab", b"c"]), fnv1a64(&[b"a", b"bc"]));
        assert_eq!(fnv1a64(&[b"a", b"b"]), fnv1a64(&[b"a\0b"]));
    }

    #[test]
    fn a_source_location_is_used_when_known() {
        let mut report = crate::report::example_report();
        report.findings[1].location = Some(crate::judge::Location {
            file: "modules/iam roles/main.tf".into(),
            line: 12,
            statement_line: None,
            statement_file: None,
            module_call: None,
        });
        let sarif: Value = serde_json::from_str(&render(&report)).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let at = |i: usize| &results[i]["locations"][0]["physicalLocation"];
        assert_eq!(at(1)["artifactLocation"]["uri"], "modules/iam%20roles/main.tf");
        assert_eq!(at(1)["region"]["startLine"], 12);
        assert_eq!(at(0)["artifactLocation"]["uri"], "testdata/example/plan.json");
        assert_eq!(at(0)["region"]["startLine"], 1);
    }

    #[test]
    fn approved_results_are_suppressed_with_the_annotation() {
        let report = crate::report::example_report();
        let sarif: Value = serde_json::from_str(&render(&report)).unwrap();
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let approved: Vec<&Value> = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .collect();
        assert_eq!(approved.len(), report.summary.approved);
        let suppression = &approved[0]["suppressions"][0];
        assert_eq!(suppression["kind"], "external");
        assert_eq!(suppression["status"], "accepted");
        assert!(
            suppression["justification"]
                .as_str()
                .unwrap()
                .contains("expires 2027-03-31")
        );
    }

    #[test]
    fn every_rule_splits_into_meaning_and_fix() {
        for rule in rules::all() {
            let (meaning, fix) = help_parts(rule);
            assert!(!meaning.is_empty() && !fix.is_empty(), "{}", rule.id);
        }
    }
}
