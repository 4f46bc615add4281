//! Rewrites that keep a policy's meaning but let the comparison see what it really grants
//! (docs/iam-semantics.md section 4.5):
//! - statements that can never match are dropped (`NotAction "*"`, `NotResource "*"`, `NotPrincipal "*"`);
//! - `ForAnyValue:` on a single-valued key is the plain operator (IAM User Guide, "Single-valued vs.
//!   multivalued context keys": for a single value, ForAnyValue tests that value; both are false when the
//!   key is absent). Only non-negated operators: a negated `ForAnyValue` is false on an absent key while the
//!   plain one is true;
//! - `…IgnoreCase` on keys whose values have a fixed lower-case format (account ids, organization ids) is
//!   the exact operator on the lower-cased values;
//! - a new Deny whose principal, actions and resources cover an Allow is subtracted from it: the Allow gets
//!   the negation of the Deny's conditions (when every entry can be negated exactly), one copy per entry of
//!   the Deny (`A ∧ ¬(c1 ∧ c2) = (A ∧ ¬c1) ∨ (A ∧ ¬c2)`).

use crate::policy::{
    ConditionEntry, Effect, OperatorBase, PatternSet, Policy, Principal, PrincipalClause, SetQualifier,
    Statement, StringMode,
};

use super::grant::Grant;
use super::implication::Variables;
use super::pattern::{Tri, action_included, patterns, resource_included};
use super::principal_index::SubjectIndex;

/// Keys that carry one value per request (IAM User Guide, "AWS global condition context keys" and
/// "Single-valued vs. multivalued context keys"; `sts:ExternalId`: IAM condition keys).
pub(crate) const SINGLE_VALUED_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:principalservicename",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceowner",
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:securetransport",
    "aws:userid",
    "aws:username",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:requestedregion",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "kms:calleraccount",
    "kms:viaservice",
    "sts:externalid",
    "sts:sourceidentity",
];

/// Keys whose values are lower-case by format: 12-digit account ids and `o-[a-z0-9]+` organization ids.
const LOWER_CASE_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceowner",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "kms:calleraccount",
];

/// At most this many entries in a Deny that is subtracted (each yields one copy of the Allow).
const MAX_SUBTRACTED_ENTRIES: usize = 4;

fn is_star(set: &std::collections::BTreeSet<String>) -> bool {
    set.contains("*")
}

/// A statement that no request can match.
pub(crate) fn never_matches(statement: &Statement) -> bool {
    let not_any_action = matches!(&statement.actions, PatternSet::AllExcept(set) if is_star(set));
    let not_any_resource = matches!(&statement.resources, Some(PatternSet::AllExcept(set)) if is_star(set));
    let not_anyone =
        matches!(&statement.principal, PrincipalClause::AllExcept(set) if set.contains(&Principal::Any));
    not_any_action || not_any_resource || not_anyone
}

fn normalize_entry(entry: &ConditionEntry) -> ConditionEntry {
    let mut entry = entry.clone();
    let single = SINGLE_VALUED_KEYS.contains(&entry.key.as_str());
    if single && entry.operator.qualifier == SetQualifier::ForAnyValue && !entry.operator.is_negated() {
        entry.operator.qualifier = SetQualifier::Single;
    }
    if LOWER_CASE_KEYS.contains(&entry.key.as_str())
        && let OperatorBase::Text {
            mode: mode @ StringMode::IgnoreCase,
            ..
        } = &mut entry.operator.base
    {
        *mode = StringMode::Exact;
        entry.values = entry.values.iter().map(|v| v.to_lowercase()).collect();
    }
    entry
}

/// The policy with never-matching statements dropped and conditions in normal form.
pub(crate) fn normalize(policy: &Policy) -> Policy {
    let statements = policy
        .statements()
        .iter()
        .filter(|s| !never_matches(s))
        .map(|s| {
            let mut s = s.clone();
            let mut conditions: Vec<ConditionEntry> = s.conditions.iter().map(normalize_entry).collect();
            conditions.sort();
            conditions.dedup();
            s.conditions = conditions;
            s
        })
        .collect();
    Policy::from_parts(policy.version(), statements)
}

/// The exact negation of one entry, when it is a single test on a single-valued key.
fn negate(entry: &ConditionEntry) -> Option<ConditionEntry> {
    if entry.operator.qualifier != SetQualifier::Single
        || !SINGLE_VALUED_KEYS.contains(&entry.key.as_str())
        || entry.values.is_empty()
    {
        return None;
    }
    let mut negated = entry.clone();
    match &mut negated.operator.base {
        // Not(absent or value ∉ V) = present and value ∈ V; IfExists changes nothing for a negated test.
        OperatorBase::Text { negated: flag, .. } if *flag => {
            *flag = false;
            negated.operator.if_exists = false;
        }
        // Not(present and value ∈ V) = absent or value ∉ V.
        OperatorBase::Text { negated: flag, .. } if !entry.operator.if_exists => *flag = true,
        // Not(present and value = b) = absent or value = !b.
        OperatorBase::Bool if !entry.operator.if_exists && entry.values.len() == 1 => {
            let value = entry.values.iter().next()?.to_lowercase();
            let flipped = match value.as_str() {
                "true" => "false",
                "false" => "true",
                _ => return None,
            };
            negated.operator.if_exists = true;
            negated.values = [flipped.to_string()].into();
        }
        OperatorBase::Null if entry.values.len() == 1 => {
            let value = entry.values.iter().next()?.to_lowercase();
            let flipped = match value.as_str() {
                "true" => "false",
                "false" => "true",
                _ => return None,
            };
            negated.values = [flipped.to_string()].into();
        }
        _ => return None,
    }
    Some(negated)
}

/// Does `deny` apply to every request `allow` grants (principal, action and resource)?
fn deny_covers(
    allow: &Grant<'_>,
    (deny, deny_subjects): (&Grant<'_>, &SubjectIndex),
    vars: Variables,
) -> bool {
    !allow.subjects.is_empty()
        && allow
            .subjects
            .iter()
            .all(|s| !deny_subjects.containing(s).is_empty())
        && patterns(&allow.statement.actions)
            .iter()
            .all(|a| action_included(a, &deny.statement.actions))
        && patterns(&allow.resources)
            .iter()
            .all(|r| resource_included(r, &deny.resources, vars) == Tri::Yes)
}

/// The Allow statements of `policy` with the policy's own Denies subtracted where that is exact. A Deny
/// without conditions is left to the coverage step (it removes the whole grant there).
pub(crate) fn subtract_denies(policy: &Policy, partition: &str, vars: Variables) -> Vec<Statement> {
    let denies: Vec<(Grant<'_>, SubjectIndex)> = policy
        .statements()
        .iter()
        .filter(|s| s.effect == Effect::Deny && !s.conditions.is_empty())
        .map(|s| {
            let grant = Grant::new(s, partition);
            let subjects = SubjectIndex::new(&grant.subjects);
            (grant, subjects)
        })
        .collect();
    let mut out = Vec::new();
    for statement in policy.statements().iter().filter(|s| s.effect == Effect::Allow) {
        let mut versions = vec![statement.clone()];
        for (deny, deny_subjects) in &denies {
            if deny.statement.conditions.len() > MAX_SUBTRACTED_ENTRIES {
                continue;
            }
            let Some(negations) = deny
                .statement
                .conditions
                .iter()
                .map(negate)
                .collect::<Option<Vec<ConditionEntry>>>()
            else {
                continue;
            };
            let mut next = Vec::new();
            for version in versions {
                if !deny_covers(&Grant::new(&version, partition), (deny, deny_subjects), vars) {
                    next.push(version);
                    continue;
                }
                for negation in &negations {
                    let mut copy = version.clone();
                    copy.conditions.push(negation.clone());
                    copy.conditions.sort();
                    copy.conditions.dedup();
                    next.push(copy);
                }
            }
            versions = next;
        }
        out.extend(versions);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy_value;
    use serde_json::json;

    #[test]
    fn never_matching_statements_are_dropped() {
        let policy = parse_policy_value(&json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "NotAction": "*", "Resource": "*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "NotResource": "*"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
        ]}))
        .unwrap();
        let normal = normalize(&policy);
        assert_eq!(normal.statements().len(), 1);
        assert_eq!(normal.statements()[0].index, 3);
    }

    #[test]
    fn single_valued_for_any_value_and_fixed_case() {
        let policy = parse_policy_value(&json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole",
             "Condition": {"ForAnyValue:StringEquals": {"sts:ExternalId": "x"},
                           "ForAnyValue:StringNotEquals": {"sts:SourceIdentity": "y"},
                           "StringEqualsIgnoreCase": {"aws:PrincipalOrgID": "O-ABCDEFGHIJ"}}}
        ]}))
        .unwrap();
        let normal = normalize(&policy);
        let conditions = &normal.statements()[0].conditions;
        let find = |key: &str| conditions.iter().find(|e| e.key == key).unwrap();
        assert_eq!(find("sts:externalid").operator.qualifier, SetQualifier::Single);
        assert_eq!(
            find("sts:sourceidentity").operator.qualifier,
            SetQualifier::ForAnyValue
        );
        let org = find("aws:principalorgid");
        assert_eq!(org.operator.to_string(), "StringEquals");
        assert!(org.values.contains("o-abcdefghij"));
    }

    #[test]
    fn denies_are_subtracted_exactly() {
        let vars = Variables {
            new_active: true,
            old_active: true,
        };
        let policy = parse_policy_value(&json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-own1234567"}}}
        ]}))
        .unwrap();
        let allows = subtract_denies(&policy, "aws", vars);
        assert_eq!(allows.len(), 1);
        assert_eq!(allows[0].conditions.len(), 1);
        assert_eq!(allows[0].conditions[0].operator.to_string(), "StringEquals");
        // A Deny on a multi-valued key, or one that does not cover the Allow's actions, is left alone.
        let partial = parse_policy_value(&json!({"Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-own1234567"}}},
            {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "x"}}}
        ]}))
        .unwrap();
        let allows = subtract_denies(&partial, "aws", vars);
        assert_eq!(allows.len(), 1);
        assert!(allows[0].conditions.is_empty());
        // Two entries: two copies, each with one negation.
        let two = parse_policy_value(&json!({"Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}, "StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}
        ]}))
        .unwrap();
        let allows = subtract_denies(&two, "aws", vars);
        assert_eq!(allows.len(), 2);
        let rendered: Vec<String> = allows.iter().map(|s| s.conditions[0].render()).collect();
        assert!(
            rendered.contains(&"BoolIfExists aws:securetransport = \"true\"".to_string()),
            "{rendered:?}"
        );
        assert!(
            rendered.contains(&"StringEquals aws:sourcevpce = \"vpce-1\"".to_string()),
            "{rendered:?}"
        );
    }
}
