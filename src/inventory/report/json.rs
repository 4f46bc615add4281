//! The stable JSON inventory (`trustgate/inventory/v1`). Fields may be added; never renamed or removed.

use serde::Serialize;

use crate::annotation::Annotation;
use crate::blast::Grant;
use crate::inventory::{Inventory, PathStatus, TrustPath};
use crate::judge::Location;

pub const INVENTORY_SCHEMA: &str = "trustgate/inventory/v1";

#[derive(Serialize)]
struct JsonInventory<'a> {
    schema: &'static str,
    today: String,
    warn_days: u32,
    fail_on: Vec<&'static str>,
    summary: JsonSummary,
    files: Vec<JsonFile<'a>>,
    paths: Vec<JsonPath<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    resources: usize,
    paths: usize,
    approved: usize,
    expiring: usize,
    expired: usize,
    invalid: usize,
    unannotated: usize,
    broad: usize,
    privileged: usize,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: String,
    kind: &'static str,
    resources: usize,
    paths: usize,
    boundary: JsonBoundary<'a>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    diagnostics: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonBoundary<'a> {
    accounts: Vec<&'a str>,
    organizations: Vec<&'a str>,
    source: &'static str,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonPath<'a> {
    file: String,
    address: &'a str,
    resource_type: &'a str,
    attribute: &'a str,
    class: &'static str,
    principal: &'a str,
    account: Option<&'a str>,
    vendor: Option<&'a str>,
    party: String,
    actions: &'a [String],
    conditions: &'a [String],
    broad: bool,
    fix: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    reason: &'a str,
    session_seconds: Option<u64>,
    privileged: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    privileged_because: &'a [String],
    permissions: Option<&'a [Grant]>,
    status: &'static str,
    annotation: Option<JsonAnnotation<'a>>,
    expires_in_days: Option<i64>,
    location: Option<&'a Location>,
}

#[derive(Serialize)]
struct JsonAnnotation<'a> {
    #[serde(flatten)]
    annotation: &'a Annotation,
    problems: &'a [String],
}

pub fn render(inventory: &Inventory) -> String {
    let paths: Vec<&TrustPath> = inventory.paths().collect();
    let json = JsonInventory {
        schema: INVENTORY_SCHEMA,
        today: inventory.today.to_string(),
        warn_days: inventory.warn_days,
        fail_on: inventory.fail_on.iter().map(|s| s.as_str()).collect(),
        summary: JsonSummary {
            files: inventory.files.len(),
            resources: inventory.files.iter().map(|f| f.resources).sum(),
            paths: paths.len(),
            approved: inventory.count(PathStatus::Approved),
            expiring: inventory.count(PathStatus::Expiring),
            expired: inventory.count(PathStatus::Expired),
            invalid: inventory.count(PathStatus::Invalid),
            unannotated: inventory.count(PathStatus::Unannotated),
            broad: paths.iter().filter(|p| p.broad).count(),
            privileged: paths.iter().filter(|p| !p.privileged.is_empty()).count(),
        },
        files: inventory
            .files
            .iter()
            .map(|f| JsonFile {
                file: f.file.display().to_string(),
                kind: f.kind.as_str(),
                resources: f.resources,
                paths: f.paths.len(),
                boundary: JsonBoundary {
                    accounts: f.boundary.boundary.accounts.iter().map(String::as_str).collect(),
                    organizations: f
                        .boundary
                        .boundary
                        .organizations
                        .iter()
                        .map(String::as_str)
                        .collect(),
                    source: f.boundary.source.as_str(),
                    detail: &f.boundary.detail,
                },
                diagnostics: &f.diagnostics,
                notes: &f.notes,
            })
            .collect(),
        paths: paths.into_iter().map(path).collect(),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("inventory values always serialise");
    text.push('\n');
    text
}

fn path(p: &TrustPath) -> JsonPath<'_> {
    JsonPath {
        file: p.file.display().to_string(),
        address: &p.address,
        resource_type: &p.resource_type,
        attribute: &p.attribute,
        class: p.class.as_str(),
        principal: &p.principal,
        account: p.account.as_deref(),
        vendor: p.vendor.as_deref(),
        party: p.party(),
        actions: &p.actions,
        conditions: &p.conditions,
        broad: p.broad,
        fix: p.fix.as_deref(),
        reason: &p.reason,
        session_seconds: p.session_seconds,
        privileged: !p.privileged.is_empty(),
        privileged_because: &p.privileged,
        permissions: p.permissions.as_deref(),
        status: p.status.as_str(),
        annotation: p.annotation.as_ref().map(|annotation| JsonAnnotation {
            annotation,
            problems: &p.annotation_problems,
        }),
        expires_in_days: p.expires_in_days,
        location: p.location.as_ref(),
    }
}
