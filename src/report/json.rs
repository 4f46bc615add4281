//! The stable JSON report (`trustgate/check/v1`, DESIGN section 6). Fields may be added; never renamed.

use serde::Serialize;

use crate::analysis::OwnIdentity;
use crate::annotation::Annotation;
use crate::judge::{Finding, InsideGrant, Location, Report, Summary};

pub const CHECK_SCHEMA: &str = "trustgate/check/v1";

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    input: String,
    boundary: JsonBoundary<'a>,
    today: String,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    /// Grants judged inside the boundary, and why (`inside: passrole-service`, …).
    #[serde(skip_serializing_if = "<[InsideGrant]>::is_empty")]
    inside: &'a [InsideGrant],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    diagnostics: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    /// Approvals on policies the plan does not change that expired or expire soon.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stale_approvals: Vec<JsonStale<'a>>,
}

#[derive(Serialize)]
struct JsonStale<'a> {
    address: &'a str,
    attribute: &'a str,
    principal: &'a str,
    status: &'static str,
    blocking: bool,
    days: i64,
    annotation: &'a Annotation,
    message: String,
    location: Option<&'a Location>,
}

#[derive(Serialize)]
struct JsonBoundary<'a> {
    accounts: Vec<&'a str>,
    organizations: Vec<&'a str>,
    source: &'static str,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[OwnIdentity]>::is_empty")]
    federated: &'a [OwnIdentity],
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    rule_name: &'a str,
    kind: &'static str,
    address: &'a str,
    resource_type: &'a str,
    attribute: &'a str,
    change: &'static str,
    principal: &'a str,
    actions: &'a [String],
    resources: &'a [String],
    reason: &'a str,
    statement: Option<usize>,
    sid: Option<&'a str>,
    status: &'static str,
    annotation: Option<JsonAnnotation<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    hints: &'a [String],
    message: String,
    location: Option<&'a Location>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    resolved_from_source: bool,
    /// For a role whose permissions are admin-equivalent: why.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    privileged: &'a [String],
    /// For a violation: the code owners of the file its approval goes in (CODEOWNERS).
    #[serde(skip_serializing_if = "Option::is_none")]
    approvers: Option<&'a crate::codeowners::Approvers>,
}

#[derive(Serialize)]
struct JsonAnnotation<'a> {
    #[serde(flatten)]
    annotation: &'a Annotation,
    valid: bool,
    problems: &'a [String],
    /// `this-change`, `earlier` or `unknown`.
    provenance: Option<&'static str>,
}

pub fn render(report: &Report) -> String {
    let json = JsonReport {
        schema: CHECK_SCHEMA,
        input: report.input.display().to_string(),
        boundary: JsonBoundary {
            accounts: report
                .boundary
                .boundary
                .accounts
                .iter()
                .map(String::as_str)
                .collect(),
            organizations: report
                .boundary
                .boundary
                .organizations
                .iter()
                .map(String::as_str)
                .collect(),
            source: report.boundary.source.as_str(),
            detail: &report.boundary.detail,
            federated: &report.boundary.boundary.federated,
        },
        today: report.today.to_string(),
        summary: report.summary,
        findings: report.findings.iter().map(finding).collect(),
        inside: &report.inside,
        diagnostics: &report.diagnostics,
        notes: &report.notes,
        stale_approvals: report
            .stale_approvals
            .iter()
            .map(|s| JsonStale {
                address: &s.address,
                attribute: &s.attribute,
                principal: &s.principal,
                status: if s.expired { "expired" } else { "expiring" },
                blocking: s.expired && report.stale_approvals_fail,
                days: s.days,
                annotation: &s.annotation,
                message: s.message(),
                location: s.location.as_ref(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("report values always serialise");
    text.push('\n');
    text
}

fn finding(f: &Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: &f.rule.id,
        rule_name: &f.rule.name,
        kind: f.widening.kind.as_str(),
        address: &f.address,
        resource_type: &f.resource_type,
        attribute: &f.attribute,
        change: f.change.as_str(),
        principal: &f.widening.principal,
        actions: &f.widening.actions,
        resources: &f.widening.resources,
        reason: &f.widening.reason,
        statement: f.widening.statement,
        sid: f.widening.sid.as_deref(),
        status: f.status.as_str(),
        annotation: f.annotation.as_ref().map(|annotation| JsonAnnotation {
            annotation,
            valid: f.annotation_problems.is_empty(),
            problems: &f.annotation_problems,
            provenance: f.provenance.map(|p| p.as_str()),
        }),
        hints: &f.hints,
        message: f.message(),
        location: f.location.as_ref(),
        resolved_from_source: f.resolved_from_source,
        privileged: &f.privileged,
        approvers: f.approvers.as_ref(),
    }
}
