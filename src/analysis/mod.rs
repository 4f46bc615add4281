//! Semantic comparison of two policies against a trust boundary (docs/iam-semantics.md section 4).
//! Pure: no I/O.
//!
//! INTERFACE CONTRACT (used by judge/cli/report): everything `pub` in this file. Internals (principal
//! classification, coverage, condition implication) live in submodules and are free to change.

use std::collections::BTreeSet;

use crate::policy::Policy;

/// The zone of trust: the owner's accounts and organizations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Boundary {
    /// 12-digit account ids.
    pub accounts: BTreeSet<String>,
    /// `o-…` organization ids.
    pub organizations: BTreeSet<String>,
}

/// What a policy document governs; decides e.g. which actions are meaningful and whether `NotPrincipal`
/// is legal. Comes from the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyRole {
    /// A role trust policy (`assume_role_policy`): the role is the resource, actions are `sts:*`.
    Trust,
    /// A resource-based policy (bucket, key, topic, …).
    Resource,
    /// An identity policy: cannot grant anything to principals outside the account. Parsed, not compared.
    Identity,
    /// A policy that can only restrict (SCP, VPC endpoint policy). Parsed, not compared.
    Guardrail,
}

/// Context of one comparison.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub boundary: &'a Boundary,
    pub role: PolicyRole,
    /// ARN partition of the resource (`aws`, `aws-cn`, `aws-us-gov`); used to expand bare account ids.
    pub partition: &'a str,
}

/// Kinds of widening; each has a stable rule id (see `crate::rules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WideningKind {
    /// Anyone, including anonymous callers (`*` without a condition that pins callers inside the boundary).
    Public,
    /// A principal of another AWS account (account, role, user, session, canonical user).
    ExternalAccount,
    /// A federated identity (OIDC, SAML, web identity).
    Federated,
    /// An AWS service principal not pinned to the boundary by source keys.
    Service,
    /// The same external principal, with a narrowing condition removed or broadened.
    ConditionWeakened,
    /// The same external principal, with more actions or resources.
    AccessBroadened,
    /// A Deny that protected external access was removed or loosened.
    DenyRemoved,
    /// The tool cannot decide (unknown value, policy variable, unsupported operator, …).
    Unverifiable,
    /// The policy text is not a valid IAM policy document.
    InvalidPolicy,
}

impl WideningKind {
    pub const ALL: [WideningKind; 9] = [
        WideningKind::Public,
        WideningKind::ExternalAccount,
        WideningKind::Federated,
        WideningKind::Service,
        WideningKind::ConditionWeakened,
        WideningKind::AccessBroadened,
        WideningKind::DenyRemoved,
        WideningKind::Unverifiable,
        WideningKind::InvalidPolicy,
    ];

    /// The kebab-case name used in JSON output and docs.
    pub fn as_str(self) -> &'static str {
        match self {
            WideningKind::Public => "public",
            WideningKind::ExternalAccount => "external-account",
            WideningKind::Federated => "federated",
            WideningKind::Service => "service",
            WideningKind::ConditionWeakened => "condition-weakened",
            WideningKind::AccessBroadened => "access-broadened",
            WideningKind::DenyRemoved => "deny-removed",
            WideningKind::Unverifiable => "unverifiable",
            WideningKind::InvalidPolicy => "invalid-policy",
        }
    }
}

/// One grant that lets someone outside the boundary do something they could not do before.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Widening {
    pub kind: WideningKind,
    /// Canonical principal text, e.g. `arn:aws:iam::222222222222:root`, `*`,
    /// `service:events.amazonaws.com`, `federated:token.actions.githubusercontent.com`.
    pub principal: String,
    /// Actions newly reachable (canonical, lower-case; `NotAction` rendered as `not:…`).
    pub actions: Vec<String>,
    /// Resources newly reachable (`*` when the policy names none, as in trust policies).
    pub resources: Vec<String>,
    /// Human explanation, e.g. "sts:ExternalId condition removed" or "new principal".
    pub reason: String,
    /// Index of the statement in the NEW policy that grants it (for statement-level annotations).
    pub statement: Option<usize>,
    /// `Sid` of that statement, if any.
    pub sid: Option<String>,
}

/// Overall verdict of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Widening,
    NoWidening,
    Narrowing,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Widening => "widening",
            Verdict::NoWidening => "no-widening",
            Verdict::Narrowing => "narrowing",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Comparison {
    pub verdict: Verdict,
    pub widenings: Vec<Widening>,
}

/// Compares `old` (None = the policy did not exist) with `new`. Widenings are deduplicated and sorted
/// (by principal, then kind). Identity/guardrail roles never widen.
pub fn compare(_old: Option<&Policy>, _new: &Policy, _ctx: &Context<'_>) -> Comparison {
    unimplemented!("analysis")
}

/// Where a principal sits relative to the boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// Inside the boundary (own account/org, or a service pinned to it).
    Internal,
    /// Outside: the same categories as the first four widening kinds.
    Public,
    ExternalAccount,
    Federated,
    Service,
}

/// One line of the "who can reach it" view: an Allow principal with what it may do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Access {
    pub principal: String,
    pub reach: Reach,
    pub actions: Vec<String>,
    /// Short rendering of the conditions that narrow it, e.g. `sts:ExternalId = "abc"`; empty when none.
    pub conditions: Vec<String>,
}

/// Who the policy lets in (Allow statements only), one entry per distinct principal, sorted.
pub fn access(_policy: &Policy, _ctx: &Context<'_>) -> Vec<Access> {
    unimplemented!("analysis")
}
