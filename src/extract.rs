//! Extraction: one `PolicySite` per (resource instance, policy attribute) from a plan, using the catalog.
//! Non-JSON grants (`aws_lambda_permission`, …) are turned into equivalent IAM policy JSON here, so that
//! every later stage sees one kind of input.
//!
//! INTERFACE CONTRACT: everything `pub` in this file.

use std::collections::BTreeMap;

use crate::analysis::{Boundary, PolicyRole};
use crate::catalog::Catalog;
use crate::plan::{ChangeAction, Plan};

/// A policy value on one side of a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyValue {
    /// The policy JSON text (for synthesised grants: JSON we generated).
    Known(String),
    /// Known only after apply.
    Unknown,
    /// No policy on this side (create/delete, or attribute null/empty).
    Absent,
}

/// One policy-bearing attribute of one resource instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySite {
    /// Absolute instance address, e.g. `module.a["k"].aws_iam_role.x[0]`.
    pub address: String,
    /// Module part of the address (`module.a["k"]`), empty for the root module.
    pub module_address: String,
    pub resource_type: String,
    /// Attribute path, e.g. `assume_role_policy`, `inline_policy[0].policy`, `details[0].policy`;
    /// for synthesised grants the field names the grant came from, e.g. `principal`.
    pub attribute: String,
    pub role: PolicyRole,
    /// Service prefix of the actions this policy governs (`sts`, `s3`, `kms`, …).
    pub service: String,
    pub change: ChangeAction,
    pub before: PolicyValue,
    pub after: PolicyValue,
    /// Tags of the resource after the change (before, for deletes), for tag annotations.
    pub tags: BTreeMap<String, String>,
    /// ARN partition of the resource (default `aws`).
    pub partition: String,
    /// `previous_address` when a moved block applied.
    pub previous_address: Option<String>,
}

/// Everything the later stages need from one plan.
#[derive(Debug, Clone, Default)]
pub struct PlanScan {
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// Number of resource instances in `resource_changes` (managed mode).
    pub resources: usize,
    pub sites: Vec<PolicySite>,
    /// Boundary detected from the plan (caller identity data source, own resource ARNs), with a
    /// sentence saying where it came from.
    pub detected_boundary: Option<(Boundary, String)>,
}

/// Walks `resource_changes` and yields the sites the catalog names.
pub fn scan(_plan: &Plan<'_>, _catalog: &Catalog) -> PlanScan {
    unimplemented!("extract")
}
