//! Semantic comparison of two policies against a trust boundary (docs/iam-semantics.md section 4).
//! Pure: no I/O.
//!
//! INTERFACE CONTRACT (used by judge/cli/report): everything `pub` in this file. Internals (principal
//! classification, coverage, condition implication) live in submodules and are free to change.

use std::collections::BTreeSet;

use crate::policy::Policy;

mod coverage;
mod facts;
pub mod federated;
mod grant;
mod implication;
mod normalize;
mod pattern;
mod principal;
mod principal_index;
pub mod services;
pub mod symbolic;
mod view;

pub use federated::OwnIdentity;

/// The zone of trust: the owner's accounts and organizations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Boundary {
    /// 12-digit account ids.
    pub accounts: BTreeSet<String>,
    /// `o-…` organization ids.
    pub organizations: BTreeSet<String>,
    /// Own federated identities (config `boundary` block; EKS clusters of the plan whose issuer is trusted).
    pub federated: Vec<OwnIdentity>,
}

impl Boundary {
    /// The accounts, then the organizations: what reports list as the boundary's members.
    pub fn members(&self) -> impl Iterator<Item = &String> {
        self.accounts.iter().chain(self.organizations.iter())
    }
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
    /// A role trusted from outside the boundary allows sessions longer than one hour (created so, or its
    /// `max_session_duration` raised).
    SessionLengthened,
}

impl WideningKind {
    pub const ALL: [WideningKind; 10] = [
        WideningKind::Public,
        WideningKind::ExternalAccount,
        WideningKind::Federated,
        WideningKind::Service,
        WideningKind::ConditionWeakened,
        WideningKind::AccessBroadened,
        WideningKind::DenyRemoved,
        WideningKind::Unverifiable,
        WideningKind::InvalidPolicy,
        WideningKind::SessionLengthened,
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
            WideningKind::SessionLengthened => "session-lengthened",
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
    /// Grants of the new policy judged inside the boundary for a reason beyond "own account, org or pinned
    /// service": a PassRole service (`passrole-service`), an own federated identity (`own-federated: …`)
    /// or a statement that a service's request can never match (`service-key-absent`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inside: Vec<Inside>,
}

/// One grant judged inside the boundary, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Inside {
    pub principal: String,
    /// Index of the statement in the new policy.
    pub statement: usize,
    pub sid: Option<String>,
    pub reason: String,
}

/// Compares `old` (None = the policy did not exist) with `new`. Widenings are deduplicated and sorted
/// (by principal, then kind). Identity/guardrail roles never widen.
///
/// `old = None` is the empty policy. The verdict is `Widening` when some external request is newly
/// allowed (or cannot be proven old), `Narrowing` when the reverse comparison finds external access that
/// only `old` allowed, otherwise `NoWidening`.
///
/// One widening per (principal, kind, new statement), with the newly reachable actions and resources
/// merged. Principal texts: `*` (public, also for a `NotPrincipal` Allow), the full ARN for AWS
/// principals (bare account ids expanded with `ctx.partition`), `service:<name>`, `canonical:<id>`,
/// unique ids as written, and `federated:<provider>` where an `oidc-provider` ARN is shortened to its
/// host (`federated:token.actions.githubusercontent.com`) while SAML provider ARNs and built-in web
/// identity providers are kept as written.
pub fn compare(old: Option<&Policy>, new: &Policy, ctx: &Context<'_>) -> Comparison {
    if matches!(ctx.role, PolicyRole::Identity | PolicyRole::Guardrail) {
        return Comparison {
            verdict: Verdict::NoWidening,
            widenings: Vec::new(),
            inside: Vec::new(),
        };
    }
    let empty = Policy::empty();
    let old = old.unwrap_or(&empty);
    let (widenings, inside) = coverage::widenings(old, new, ctx);
    let verdict = if !widenings.is_empty() {
        Verdict::Widening
    } else if !coverage::widenings(new, old, ctx).0.is_empty() {
        Verdict::Narrowing
    } else {
        Verdict::NoWidening
    };
    Comparison {
        verdict,
        widenings,
        inside,
    }
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
/// A `NotPrincipal` Allow is listed as `*` (it reaches everyone else) with an `except …` condition line.
pub fn access(policy: &Policy, ctx: &Context<'_>) -> Vec<Access> {
    view::access(policy, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy_value;
    use serde_json::{Value, json};

    fn boundary() -> Boundary {
        Boundary {
            accounts: BTreeSet::from(["111111111111".to_string()]),
            organizations: BTreeSet::from(["o-own1234567".to_string()]),
            federated: Vec::new(),
        }
    }

    fn policy(value: Value) -> Policy {
        parse_policy_value(&value).unwrap_or_else(|e| panic!("test policy rejected: {e}"))
    }

    fn run(old: Option<Value>, new: Value, role: PolicyRole) -> Comparison {
        let boundary = boundary();
        let ctx = Context {
            boundary: &boundary,
            role,
            partition: "aws",
        };
        let old = old.map(policy);
        compare(old.as_ref(), &policy(new), &ctx)
    }

    fn statement(principal: Value, action: &str) -> Value {
        json!({"Effect": "Allow", "Principal": principal, "Action": action, "Resource": "arn:aws:s3:::b/*"})
    }

    #[test]
    fn created_policy_reports_every_external_grant_merged_per_statement() {
        let new = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Ext", "Effect": "Allow", "Principal": {"AWS": ["222222222222", "111111111111"]},
             "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b"]},
            statement(json!({"Service": "events.amazonaws.com"}), "s3:GetObject"),
        ]});
        let result = run(None, new, PolicyRole::Resource);
        assert_eq!(result.verdict, Verdict::Widening);
        assert_eq!(result.widenings.len(), 2, "{:?}", result.widenings);
        let account = &result.widenings[0];
        assert_eq!(account.principal, "arn:aws:iam::222222222222:root");
        assert_eq!(account.kind, WideningKind::ExternalAccount);
        assert_eq!(account.actions, vec!["s3:getobject", "s3:putobject"]);
        assert_eq!(account.resources, vec!["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
        assert_eq!(
            (account.statement, account.sid.as_deref()),
            (Some(0), Some("Ext"))
        );
        assert_eq!(result.widenings[1].principal, "service:events.amazonaws.com");
        assert_eq!(result.widenings[1].kind, WideningKind::Service);
    }

    #[test]
    fn a_grant_fully_denied_in_the_new_policy_is_not_new_access() {
        let old = json!({"Statement": []});
        let new = json!({"Statement": [
            statement(json!({"AWS": "222222222222"}), "s3:GetObject"),
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "s3:*", "Resource": "*"}
        ]});
        assert_eq!(
            run(Some(old), new, PolicyRole::Resource).verdict,
            Verdict::NoWidening
        );
        // A conditional Deny does not cover it.
        let conditional = json!({"Statement": [
            statement(json!({"AWS": "222222222222"}), "s3:GetObject"),
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]});
        assert_eq!(
            run(None, conditional, PolicyRole::Resource).verdict,
            Verdict::Widening
        );
    }

    #[test]
    fn not_principal_exemptions_compare_by_exact_membership() {
        let with_exempt = |exempt: Value| {
            json!({"Statement": [
                statement(json!("*"), "s3:GetObject"),
                {"Effect": "Deny", "NotPrincipal": {"AWS": exempt}, "Action": "s3:*", "Resource": "*"}
            ]})
        };
        let root_only = with_exempt(json!(["arn:aws:iam::222222222222:root"]));
        // Listing the session (and its role) can exempt it even though the account was listed before.
        let with_session = with_exempt(json!([
            "arn:aws:iam::222222222222:root",
            "arn:aws:iam::222222222222:role/x",
            "arn:aws:sts::222222222222:assumed-role/x/s"
        ]));
        let result = run(
            Some(root_only.clone()),
            with_session.clone(),
            PolicyRole::Resource,
        );
        assert_eq!(result.verdict, Verdict::Widening);
        assert_eq!(result.widenings[0].kind, WideningKind::DenyRemoved);
        assert!(
            result.widenings[0].reason.contains("Deny statement 1"),
            "{}",
            result.widenings[0].reason
        );
        assert_eq!(
            run(Some(with_session), root_only, PolicyRole::Resource).verdict,
            Verdict::Narrowing
        );
    }

    #[test]
    fn identity_and_guardrail_policies_never_widen() {
        let new = json!({"Statement": [statement(json!("*"), "s3:*")]});
        for role in [PolicyRole::Identity, PolicyRole::Guardrail] {
            let result = run(None, new.clone(), role);
            assert_eq!(result.verdict, Verdict::NoWidening);
            assert!(result.widenings.is_empty());
        }
    }

    #[test]
    fn not_principal_allow_is_public() {
        let new = json!({"Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "111111111111"},
                                         "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
        let result = run(None, new, PolicyRole::Resource);
        assert_eq!(result.widenings[0].kind, WideningKind::Public);
        assert_eq!(result.widenings[0].principal, "*");
    }

    #[test]
    fn policy_variables_are_unverifiable_unless_identical() {
        let with_variable = |version: &str| {
            json!({"Version": version, "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"},
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}]})
        };
        let same = run(
            Some(with_variable("2012-10-17")),
            with_variable("2012-10-17"),
            PolicyRole::Resource,
        );
        assert_eq!(same.verdict, Verdict::NoWidening);
        // Under 2008-10-17 the text was literal; under 2012-10-17 it becomes a variable.
        let upgraded = run(
            Some(with_variable("2008-10-17")),
            with_variable("2012-10-17"),
            PolicyRole::Resource,
        );
        assert_eq!(upgraded.verdict, Verdict::Widening);
        assert_eq!(
            upgraded.widenings[0].kind,
            WideningKind::Unverifiable,
            "{:?}",
            upgraded.widenings
        );
    }

    #[test]
    fn unknown_operator_in_old_is_unverifiable() {
        let with = |op: &str, value: &str| {
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole",
                "Condition": {op: {"aws:SomeKey": value}}}]})
        };
        let result = run(
            Some(with("StringFancy", "a")),
            with("StringFancy", "b"),
            PolicyRole::Trust,
        );
        assert_eq!(result.verdict, Verdict::Widening);
        assert_eq!(result.widenings[0].kind, WideningKind::Unverifiable);
        let same = run(
            Some(with("StringFancy", "a")),
            with("StringFancy", "a"),
            PolicyRole::Trust,
        );
        assert_eq!(same.verdict, Verdict::NoWidening);
    }

    #[test]
    fn star_pinned_to_an_account_is_covered_by_that_account() {
        let old = json!({"Statement": [statement(json!({"AWS": "222222222222"}), "s3:GetObject")]});
        let new = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "222222222222"}}}]});
        assert_eq!(
            run(Some(old.clone()), new.clone(), PolicyRole::Resource).verdict,
            Verdict::NoWidening
        );
        // The account principal implies the old aws:PrincipalAccount condition, so the reverse is no wider either.
        assert_eq!(
            run(Some(new), old, PolicyRole::Resource).verdict,
            Verdict::NoWidening
        );
    }

    #[test]
    fn source_arn_implies_its_source_account() {
        let with = |condition: Value| {
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                "Action": "lambda:InvokeFunction", "Resource": "*", "Condition": condition}]})
        };
        let by_account = with(json!({"StringEquals": {"aws:SourceAccount": "222222222222"}}));
        let by_rule =
            with(json!({"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:222222222222:rule/r"}}));
        assert_eq!(
            run(Some(by_account.clone()), by_rule.clone(), PolicyRole::Resource).verdict,
            Verdict::Narrowing
        );
        assert_eq!(
            run(Some(by_rule), by_account, PolicyRole::Resource).verdict,
            Verdict::Widening
        );
    }

    #[test]
    fn service_with_bucket_source_arn_only_is_external() {
        let new = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sns:Publish", "Resource": "*",
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::own-bucket"}}}]});
        let result = run(None, new, PolicyRole::Resource);
        assert_eq!(result.widenings[0].kind, WideningKind::Service);
    }

    #[test]
    fn partition_applies_to_bare_account_ids() {
        let boundary = boundary();
        let ctx = Context {
            boundary: &boundary,
            role: PolicyRole::Trust,
            partition: "aws-cn",
        };
        let old = policy(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}]}),
        );
        let new = policy(json!({"Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws-cn:iam::222222222222:root"}, "Action": "sts:AssumeRole"}]}));
        assert_eq!(compare(Some(&old), &new, &ctx).verdict, Verdict::NoWidening);
        let result = compare(None, &old, &ctx);
        assert_eq!(result.widenings[0].principal, "arn:aws-cn:iam::222222222222:root");
    }

    #[test]
    fn access_view_groups_principals() {
        let boundary = boundary();
        let ctx = Context {
            boundary: &boundary,
            role: PolicyRole::Trust,
            partition: "aws",
        };
        let trust = policy(json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole",
             "Condition": {"StringEquals": {"sts:ExternalId": "abc"}}},
            {"Effect": "Allow", "Principal": {"AWS": ["222222222222", "111111111111"]}, "Action": "sts:TagSession"}
        ]}));
        let view = access(&trust, &ctx);
        assert_eq!(view.len(), 2);
        assert_eq!(view[0].principal, "arn:aws:iam::111111111111:root");
        assert_eq!(view[0].reach, Reach::Internal);
        assert_eq!(view[1].reach, Reach::ExternalAccount);
        assert_eq!(view[1].actions, vec!["sts:assumerole", "sts:tagsession"]);
        assert_eq!(view[1].conditions, vec!["StringEquals sts:externalid = \"abc\""]);
    }

    #[test]
    fn hundreds_of_reordered_statements_widen_nothing() {
        let statements: Vec<Value> = (0..400)
            .map(|i| {
                json!({"Sid": format!("S{i}"), "Effect": if i % 10 == 0 { "Deny" } else { "Allow" },
                    "Principal": {"AWS": [format!("{:012}", 200_000_000_000u64 + i), "*"]},
                    "Action": ["s3:GetObject", format!("s3:Put{i}*"), "kms:*"],
                    "Resource": [format!("arn:aws:s3:::bucket-{i}/*"), "arn:aws:s3:::shared/*"],
                    "Condition": {"StringLike": {"aws:PrincipalTag/team": [format!("t{i}"), "x*"]}}})
            })
            .collect();
        let old = json!({"Version": "2012-10-17", "Statement": statements});
        let mut reversed = statements_of(&old);
        reversed.reverse();
        let new = json!({"Version": "2012-10-17", "Statement": reversed});
        // Speed is measured by `cargo bench --bench hot`, not here: a timed test fails on a loaded machine.
        let result = run(Some(old), new, PolicyRole::Resource);
        assert_eq!(result.verdict, Verdict::NoWidening);
    }

    fn statements_of(policy: &Value) -> Vec<Value> {
        policy["Statement"].as_array().cloned().unwrap_or_default()
    }
}
