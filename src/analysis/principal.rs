//! Principals against the trust boundary (docs/iam-semantics.md section 4.2 step 3): which class a
//! principal falls in, how conditions pin `*` to accounts/organisations, and principal inclusion.

use crate::policy::arn::split_arn;
use crate::policy::glob::has_wildcards;
use crate::policy::{AwsPrincipal, ConditionEntry, Principal};

use super::{Boundary, Reach};

/// Who an atom is granted to: one principal, or everyone except a set (`NotPrincipal`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Subject {
    One(Principal),
    AllExcept(Vec<Principal>),
}

/// Fills in the partition of bare account ids so that `222…` and `arn:aws:iam::222…:root` compare equal.
pub(crate) fn resolve(principal: &Principal, partition: &str) -> Principal {
    match principal {
        Principal::Aws(aws) if aws.partition.is_none() => Principal::Aws(AwsPrincipal {
            partition: Some(partition.to_string()),
            ..aws.clone()
        }),
        other => other.clone(),
    }
}

/// Canonical principal text used in widenings: `*`, the full ARN for AWS principals,
/// `service:<name>`, `canonical:<id>`, and `federated:<provider>` where an `oidc-provider` ARN is
/// shortened to its provider host (the form its condition keys use, e.g.
/// `federated:token.actions.githubusercontent.com`); SAML provider ARNs and built-in web identity providers
/// (`cognito-identity.amazonaws.com`) are kept as written.
pub(crate) fn principal_text(principal: &Principal, partition: &str) -> String {
    match principal {
        Principal::Any => "*".to_string(),
        Principal::Aws(aws) => aws.arn(partition),
        Principal::UniqueId(id) | Principal::Opaque(id) => id.clone(),
        Principal::Canonical(id) => format!("canonical:{id}"),
        Principal::Service(name) => format!("service:{name}"),
        Principal::Federated(provider) => format!("federated:{}", federated_provider_name(provider)),
    }
}

/// The host of an OIDC provider ARN, or the provider text itself.
pub(crate) fn federated_provider_name(provider: &str) -> &str {
    provider
        .split_once(":oidc-provider/")
        .map_or(provider, |(_, host)| host)
}

pub(crate) fn subject_text(subject: &Subject, partition: &str) -> String {
    match subject {
        Subject::One(principal) => principal_text(principal, partition),
        // A NotPrincipal Allow reaches everyone else, anonymous callers included: it is public.
        Subject::AllExcept(_) => "*".to_string(),
    }
}

/// `a ⊆ b` for single principals: an identity is inside its account, a session inside its role.
pub(crate) fn principal_included(a: &Principal, b: &Principal) -> bool {
    match (a, b) {
        (_, Principal::Any) => true,
        (Principal::Aws(a), Principal::Aws(b)) => {
            a.partition == b.partition
                && a.account == b.account
                && (b.is_account() || a.resource == b.resource || session_of_role(a, b))
        }
        (Principal::Service(a), Principal::Service(b)) => a == b,
        _ => a == b,
    }
}

/// `assumed-role/NAME/SESSION` is a session of `role/PATH/NAME` (the session ARN drops the path).
fn session_of_role(session: &AwsPrincipal, role: &AwsPrincipal) -> bool {
    let Some(rest) = session.resource.strip_prefix("assumed-role/") else {
        return false;
    };
    let Some(role_path) = role.resource.strip_prefix("role/") else {
        return false;
    };
    let session_role = rest.split('/').next().unwrap_or_default();
    role_path.rsplit('/').next() == Some(session_role)
}

/// Could the two principals denote a common caller? Unmappable ids may belong to any account (sound).
pub(crate) fn principals_overlap(a: &Principal, b: &Principal) -> bool {
    if principal_included(a, b) || principal_included(b, a) {
        return true;
    }
    let unmappable = |p: &Principal| {
        matches!(
            p,
            Principal::UniqueId(_) | Principal::Canonical(_) | Principal::Opaque(_)
        )
    };
    let account_like = |p: &Principal| matches!(p, Principal::Aws(_)) || unmappable(p);
    (unmappable(a) && account_like(b)) || (unmappable(b) && account_like(a))
}

/// `a ⊆ b` for subjects, using complements for `NotPrincipal` (section 4.2 step 4).
///
/// `NotPrincipal` exemptions are compared by exact membership: AWS documents that exempting a role
/// session needs the session, role and account ARNs listed together, so listing an account does not
/// reliably exempt its roles. Exact membership is sound under any such reading, because adding entries
/// to a `NotPrincipal` list can only grow the exempted set.
///
/// The definition that `principal_index::SubjectIndex` answers by lookups (its property test compares
/// the two).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn subject_included(a: &Subject, b: &Subject) -> bool {
    match (a, b) {
        (Subject::One(a), Subject::One(b)) => principal_included(a, b),
        (Subject::AllExcept(_), Subject::One(b)) => *b == Principal::Any,
        (Subject::One(a), Subject::AllExcept(excluded)) => !excluded.iter().any(|x| principals_overlap(a, x)),
        // not(A) ⊆ not(B) iff B ⊆ A.
        (Subject::AllExcept(a), Subject::AllExcept(b)) => b.iter().all(|x| a.contains(x)),
    }
}

/// Could some caller be matched by both? For `NotPrincipal` only an exactly listed single identity is
/// certainly exempt (see [`subject_included`]); everything else may overlap. The definition that
/// `principal_index::SubjectOverlap` answers by lookups (its property test compares the two).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn subjects_overlap(a: &Subject, b: &Subject) -> bool {
    match (a, b) {
        (Subject::One(a), Subject::One(b)) => principals_overlap(a, b),
        (Subject::One(p), Subject::AllExcept(excluded)) | (Subject::AllExcept(excluded), Subject::One(p)) => {
            !(is_single_identity(p) && excluded.contains(p))
        }
        (Subject::AllExcept(_), Subject::AllExcept(_)) => true,
    }
}

/// A principal that denotes one caller identity rather than a population (account, role's sessions).
pub(crate) fn is_single_identity(principal: &Principal) -> bool {
    match principal {
        Principal::Any => false,
        Principal::Aws(aws) => !aws.is_account() && !aws.resource.starts_with("role/"),
        _ => true,
    }
}

/// Condition keys that restrict *who* the caller is (section 3).
/// (`aws:userid` is the account id for the root user; other values are unique ids and cannot pin.)
const CALLER_ACCOUNT_KEYS: [&str; 3] = ["aws:principalaccount", "kms:calleraccount", "aws:userid"];
/// Condition keys that restrict on whose behalf a service principal acts.
const SOURCE_ACCOUNT_KEYS: [&str; 2] = ["aws:sourceaccount", "aws:sourceowner"];

pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// What a set of pinning conditions proves about the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pin {
    /// Every caller is inside the boundary.
    Internal,
    /// Callers are confined to one specific external account/identity (used for coverage).
    To(Principal),
    /// Callers are confined to something specific but outside the boundary (a foreign org).
    External,
    /// Nothing pins the caller.
    None,
}

/// A value usable as a fixed pin: no policy variable and, for glob operators, no wildcard.
fn fixed(entry: &ConditionEntry, value: &str) -> bool {
    use crate::policy::{OperatorBase, StringMode};
    let glob = matches!(
        entry.operator.base,
        OperatorBase::Text {
            mode: StringMode::Like | StringMode::Arn,
            ..
        }
    );
    let variable = value.contains("${");
    let wildcard = glob && has_wildcards(value);
    !variable && !wildcard
}

/// The one account id a value of an account-valued key can match: the value itself when fixed, or for a
/// glob the literal digits when they are exactly 12 and no `?` occurs (account ids have exactly 12 digits, so
/// every `*` must match nothing: `StringLike "111111111111*"` matches only 111111111111).
pub(crate) fn fixed_account(entry: &ConditionEntry, value: &str) -> Option<String> {
    use crate::policy::{OperatorBase, StringMode};
    if value.contains("${") {
        return None;
    }
    let glob = matches!(
        entry.operator.base,
        OperatorBase::Text {
            mode: StringMode::Like | StringMode::Arn,
            ..
        }
    );
    if !glob || !has_wildcards(value) {
        return Some(value.to_string());
    }
    if value.contains('?') {
        return None;
    }
    let literal: String = value.chars().filter(|c| *c != '*').collect();
    is_account_id(&literal).then_some(literal)
}

/// Entries that can pin: positive string/ARN tests without IfExists or ForAllValues.
fn pinning_entries<'c>(
    conditions: &'c [ConditionEntry],
    keys: &'c [&str],
) -> impl Iterator<Item = &'c ConditionEntry> {
    use crate::policy::OperatorBase;
    conditions.iter().filter(move |entry| {
        entry.operator.is_strict_positive()
            && matches!(entry.operator.base, OperatorBase::Text { .. })
            && keys.contains(&entry.key.as_str())
    })
}

/// The account an ARN condition value confines matches to (empty for ARNs without an account, such as
/// S3 buckets). It must be literal, and under `StringLike` no wildcard may precede it: there `*` crosses
/// `:` and could shift the components.
pub(crate) fn arn_value_account<'v>(entry: &ConditionEntry, arn: &'v str) -> Option<&'v str> {
    use crate::policy::{OperatorBase, StringMode};
    let components = split_arn(arn)?;
    if arn.contains("${") {
        return None;
    }
    let like = matches!(
        entry.operator.base,
        OperatorBase::Text {
            mode: StringMode::Like,
            ..
        }
    );
    if like && components[..4].iter().any(|c| has_wildcards(c)) {
        return None;
    }
    let account = components[4];
    (!has_wildcards(account)).then_some(account)
}

/// The account an ARN pattern fixes for values that have exactly five `:` (a service's ARNs whose region and
/// names never contain one), under any text operator: the prefix `arn:PARTITION:SERVICE:` literal and the
/// account literal. Each literal `:` of the pattern must meet a `:` of the value, in order; past the prefix
/// the value has two, so the pattern's account (between its next two `:`) is the value's account whatever
/// the region wildcard matches. None when the pattern has a third `:` after the prefix, or a wildcard before.
pub(crate) fn colon_free_arn_account(arn: &str) -> Option<&str> {
    let components = split_arn(arn)?;
    if arn.contains("${") || components[..3].iter().any(|c| has_wildcards(c)) || components[5].contains(':') {
        return None;
    }
    let account = components[4];
    (!has_wildcards(account)).then_some(account)
}

/// The org id at the start of an org path pattern (`o-abc/r-…/ou-…/*`), when literal.
fn org_of_path(path: &str) -> Option<&str> {
    let org = path.split('/').next()?;
    (!org.is_empty() && !has_wildcards(org) && !org.contains("${")).then_some(org)
}

/// How conditions pin an AWS caller (for `*`, `NotPrincipal` and account principals).
pub(crate) fn caller_pin(conditions: &[ConditionEntry], boundary: &Boundary, partition: &str) -> Pin {
    let mut best = Pin::None;
    let mut consider = |pin: Pin| match (&best, &pin) {
        (_, Pin::Internal) => best = Pin::Internal,
        (Pin::None | Pin::External, Pin::To(_)) => best = pin,
        (Pin::None, Pin::External) => best = pin,
        _ => {}
    };
    for entry in pinning_entries(conditions, &CALLER_ACCOUNT_KEYS) {
        let accounts: Vec<Option<String>> = entry
            .values
            .iter()
            .map(|a| {
                if entry.key == "aws:userid" {
                    fixed(entry, a).then(|| a.clone())
                } else {
                    fixed_account(entry, a)
                }
            })
            .collect();
        if accounts
            .iter()
            .all(|a| a.as_ref().is_some_and(|a| boundary.accounts.contains(a.as_str())))
        {
            consider(Pin::Internal);
        } else if let [Some(single)] = accounts.as_slice()
            && is_account_id(single)
        {
            consider(Pin::To(Principal::Aws(AwsPrincipal::account_root(
                Some(partition.to_string()),
                single,
            ))));
        }
    }
    // aws:SourceAccount / SourceArn / SourceOrgID are carried only by a service principal acting for a
    // resource's owner, so own values confine every caller to services acting for the boundary.
    if source_pinned_internal(conditions, boundary, false) {
        consider(Pin::Internal);
    }
    for entry in pinning_entries(conditions, &["aws:principalorgid"]) {
        if entry
            .values
            .iter()
            .all(|o| fixed(entry, o) && boundary.organizations.contains(o.as_str()))
        {
            consider(Pin::Internal);
        } else if entry.values.iter().all(|o| fixed(entry, o)) {
            consider(Pin::External);
        }
    }
    for entry in pinning_entries(conditions, &["aws:principalorgpaths"]) {
        let orgs: Option<Vec<&str>> = entry.values.iter().map(|p| org_of_path(p)).collect();
        if let Some(orgs) = orgs {
            if orgs.iter().all(|o| boundary.organizations.contains(*o)) {
                consider(Pin::Internal);
            } else {
                consider(Pin::External);
            }
        }
    }
    for entry in pinning_entries(conditions, &["aws:principalarn"]) {
        let accounts: Option<Vec<&str>> = entry
            .values
            .iter()
            .map(|arn| arn_value_account(entry, arn))
            .collect();
        let Some(accounts) = accounts else { continue };
        if accounts
            .iter()
            .all(|a| !a.is_empty() && boundary.accounts.contains(*a))
        {
            consider(Pin::Internal);
        } else if let ([single_arn], [account]) = (
            entry.values.iter().collect::<Vec<_>>().as_slice(),
            accounts.as_slice(),
        ) && !account.is_empty()
        {
            // A literal ARN pins to that identity; a pattern still pins to its account.
            let pinned = if fixed(entry, single_arn) {
                crate::policy::parse_aws_principal_value(single_arn).ok()
            } else {
                None
            };
            let pinned = pinned.unwrap_or_else(|| {
                Principal::Aws(AwsPrincipal::account_root(Some(partition.to_string()), account))
            });
            consider(Pin::To(resolve(&pinned, partition)));
        }
    }
    best
}

/// Is a service principal pinned to the boundary by source keys (confused-deputy protection)?
pub(crate) fn service_pinned_internal(conditions: &[ConditionEntry], boundary: &Boundary) -> bool {
    source_pinned_internal(conditions, boundary, true)
}

/// Source keys with own values only; `with_owner` also counts `aws:SourceOwner` (for service principals).
fn source_pinned_internal(conditions: &[ConditionEntry], boundary: &Boundary, with_owner: bool) -> bool {
    let in_accounts = |a: &str| boundary.accounts.contains(a);
    let keys: &[&str] = if with_owner {
        &SOURCE_ACCOUNT_KEYS
    } else {
        &SOURCE_ACCOUNT_KEYS[..1]
    };
    let by_account = pinning_entries(conditions, keys).any(|entry| {
        entry
            .values
            .iter()
            .all(|a| fixed_account(entry, a).is_some_and(|a| in_accounts(&a)))
    });
    // S3 bucket ARNs carry no account, so such a SourceArn does not pin (the account is "").
    let by_arn = pinning_entries(conditions, &["aws:sourcearn"]).any(|entry| {
        entry
            .values
            .iter()
            .all(|arn| arn_value_account(entry, arn).is_some_and(|a| !a.is_empty() && in_accounts(a)))
    });
    let by_org = pinning_entries(conditions, &["aws:sourceorgid"]).any(|entry| {
        entry
            .values
            .iter()
            .all(|o| fixed(entry, o) && boundary.organizations.contains(o.as_str()))
    });
    let by_path = pinning_entries(conditions, &["aws:sourceorgpaths"]).any(|entry| {
        entry
            .values
            .iter()
            .all(|p| org_of_path(p).is_some_and(|o| boundary.organizations.contains(o)))
    });
    by_account || by_arn || by_org || by_path
}

/// The reach of a subject under a condition block, and the principal it is pinned to (if any).
pub(crate) fn classify(
    subject: &Subject,
    conditions: &[ConditionEntry],
    boundary: &Boundary,
    partition: &str,
) -> (Reach, Option<Principal>) {
    let caller_pinned = |unpinned: Reach| match caller_pin(conditions, boundary, partition) {
        Pin::Internal => (Reach::Internal, None),
        Pin::To(principal) => {
            let reach = if principal_is_internal(&principal, boundary) {
                Reach::Internal
            } else {
                Reach::ExternalAccount
            };
            (reach, Some(principal))
        }
        Pin::External if unpinned == Reach::Public => (Reach::ExternalAccount, None),
        Pin::External | Pin::None => (unpinned, None),
    };
    match subject {
        Subject::AllExcept(_) | Subject::One(Principal::Any) => caller_pinned(Reach::Public),
        Subject::One(Principal::Aws(aws)) => {
            if boundary.accounts.contains(&aws.account) {
                (Reach::Internal, None)
            } else if pinned_elsewhere(aws, conditions, boundary, partition) {
                // Every request of this principal carries its own account in aws:PrincipalAccount and
                // aws:PrincipalArn (IAM User Guide, reference_policies_condition-keys.html#condition-keys-principalaccount
                // and #condition-keys-principalarn): a strict test confining the caller to another account
                // can never hold, so the statement grants this principal nothing.
                (Reach::Internal, None)
            } else if tests_federated_claim(conditions) || tests_service_source(conditions) {
                (Reach::Internal, None)
            } else {
                let (reach, _) = caller_pinned(Reach::ExternalAccount);
                (reach, None)
            }
        }
        Subject::One(Principal::UniqueId(_) | Principal::Canonical(_))
            if tests_federated_claim(conditions) || tests_service_source(conditions) =>
        {
            (Reach::Internal, None)
        }
        Subject::One(Principal::UniqueId(_) | Principal::Canonical(_) | Principal::Opaque(_)) => {
            let (reach, _) = caller_pinned(Reach::ExternalAccount);
            (reach, None)
        }
        Subject::One(Principal::Service(name)) => {
            if service_pinned_internal(conditions, boundary)
                || service_pinned_by_data(name, conditions, boundary)
                || service_never_matches(name, conditions)
            {
                (Reach::Internal, None)
            } else {
                (Reach::Service, None)
            }
        }
        // Federated identities are an external population whatever the provider's account, unless the
        // conditions confine the subject to an own identity declared in the boundary.
        Subject::One(Principal::Federated(provider)) => {
            if super::federated::own_identity(provider, conditions, boundary).is_some()
                || tests_service_source(conditions)
            {
                (Reach::Internal, None)
            } else {
                (Reach::Federated, None)
            }
        }
    }
}

/// Is the caller pinned (aws:PrincipalAccount, kms:CallerAccount, aws:userid, aws:PrincipalArn) to one
/// account other than this AWS principal's own? Both accounts must be 12-digit ids.
fn pinned_elsewhere(
    aws: &AwsPrincipal,
    conditions: &[ConditionEntry],
    boundary: &Boundary,
    partition: &str,
) -> bool {
    match caller_pin(conditions, boundary, partition) {
        Pin::To(Principal::Aws(pinned)) => {
            is_account_id(&pinned.account) && is_account_id(&aws.account) && pinned.account != aws.account
        }
        _ => false,
    }
}

/// Does the block test a key that this service's requests never carry (policies/services.hcl), or a claim
/// of a federated identity provider, with an operator that is false when the key is absent? Then the
/// statement grants the service nothing.
pub(crate) fn service_never_matches(service: &str, conditions: &[ConditionEntry]) -> bool {
    let knowledge = super::services::knowledge();
    tests_federated_claim(conditions)
        || conditions
            .iter()
            .any(|entry| entry.operator.is_strict_positive() && knowledge.never_carries(service, &entry.key))
}

/// Does the block strictly test (false when the key is absent) a claim of an OIDC identity provider, a
/// key `HOST:claim` whose part before the first `:` is the provider's host name (it has a dot, which no
/// AWS service prefix and not `aws:` has)? Such a key is in the request context only of
/// `sts:AssumeRoleWithWebIdentity` through that provider (IAM User Guide, "Available keys for AWS OIDC
/// federation", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif),
/// so a request made with AWS credentials, or by a service principal, never carries it: the statement
/// grants such a principal nothing.
/// Does the block strictly test (false when the key is absent) `aws:SourceAccount`? AWS: "the
/// aws:SourceAccount condition key is only available when the call to your resource is made directly by an
/// AWS service principal" (IAM User Guide, "AWS global condition context keys",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html), so the statement
/// grants an AWS account, role or user, or a federated identity, nothing.
pub(crate) fn tests_service_source(conditions: &[ConditionEntry]) -> bool {
    conditions
        .iter()
        .any(|entry| entry.operator.is_strict_positive() && entry.key == "aws:sourceaccount")
}

pub(crate) fn tests_federated_claim(conditions: &[ConditionEntry]) -> bool {
    conditions.iter().any(|entry| {
        entry.operator.is_strict_positive()
            && entry
                .key
                .split_once(':')
                .is_some_and(|(host, claim)| host.contains('.') && !host.contains('$') && !claim.is_empty())
    })
}

/// Service-specific pins documented by AWS (policies/services.hcl), such as
/// `kms:EncryptionContext:aws:logs:arn` for CloudWatch Logs.
pub(crate) fn service_pinned_by_data(
    service: &str,
    conditions: &[ConditionEntry],
    boundary: &Boundary,
) -> bool {
    use super::services::PinValue;
    let knowledge = super::services::knowledge();
    conditions.iter().any(|entry| {
        let Some(pin) = knowledge.pin(service, &entry.key) else {
            return false;
        };
        let text_test = entry.operator.is_strict_positive()
            && matches!(entry.operator.base, crate::policy::OperatorBase::Text { .. });
        text_test
            && !entry.values.is_empty()
            && entry.values.iter().all(|value| match pin.value {
                PinValue::Arn => {
                    let account = if pin.names_without_colon.is_some() {
                        colon_free_arn_account(value)
                    } else {
                        arn_value_account(entry, value)
                    };
                    account.is_some_and(|a| !a.is_empty() && boundary.accounts.contains(a))
                }
                PinValue::Account => {
                    fixed_account(entry, value).is_some_and(|a| boundary.accounts.contains(&a))
                }
            })
    })
}

/// Why an internal subject is inside the boundary, for the judgments an auditor should see (those this
/// tool added on top of "own account, org or pinned service"): `own-federated: …` and
/// `service-key-absent`. `passrole-service` is decided per action by the caller.
pub(crate) fn inside_reason(
    subject: &Subject,
    conditions: &[ConditionEntry],
    boundary: &Boundary,
) -> Option<String> {
    match subject {
        Subject::One(Principal::Federated(provider)) => {
            super::federated::own_identity(provider, conditions, boundary)
                .map(|identity| format!("own-federated: {}", identity.describe()))
        }
        Subject::One(Principal::Service(name)) => {
            let pinned = service_pinned_internal(conditions, boundary)
                || service_pinned_by_data(name, conditions, boundary);
            (!pinned && service_never_matches(name, conditions)).then(|| "service-key-absent".to_string())
        }
        _ => None,
    }
}

fn principal_is_internal(principal: &Principal, boundary: &Boundary) -> bool {
    matches!(principal, Principal::Aws(aws) if boundary.accounts.contains(&aws.account))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Operator, parse_aws_principal_value};
    use std::collections::BTreeSet;

    fn aws(text: &str) -> Principal {
        resolve(
            &parse_aws_principal_value(text).unwrap_or_else(|e| panic!("{e}")),
            "aws",
        )
    }

    fn entry(op: &str, key: &str, values: &[&str]) -> ConditionEntry {
        ConditionEntry {
            operator: Operator::parse(op),
            key: key.to_lowercase(),
            key_text: key.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn boundary() -> Boundary {
        Boundary {
            accounts: BTreeSet::from(["111111111111".to_string()]),
            organizations: BTreeSet::from(["o-own1234567".to_string()]),
            federated: Vec::new(),
        }
    }

    #[test]
    fn a_caller_pinned_to_another_account_than_the_principal_is_granted_nothing() {
        let b = boundary();
        let reach = |principal: &str, conditions: &[ConditionEntry]| {
            classify(&Subject::One(aws(principal)), conditions, &b, "aws").0
        };
        let arn_in = |account: &str| {
            entry(
                "ArnLike",
                "aws:PrincipalArn",
                &[&format!("arn:aws:iam::{account}:role/*")],
            )
        };
        assert_eq!(
            reach("arn:aws:iam::333333333333:role/ci", &[arn_in("222222222222")]),
            Reach::Internal
        );
        assert_eq!(
            reach(
                "222222222222",
                &[entry("StringEquals", "aws:PrincipalAccount", &["333333333333"])]
            ),
            Reach::Internal
        );
        // The same pin on the principal's own account leaves it outside, and so does a pattern whose
        // account is not fixed, several accounts, or a test that may hold when the key is absent.
        assert_eq!(
            reach("arn:aws:iam::222222222222:role/x", &[arn_in("222222222222")]),
            Reach::ExternalAccount
        );
        assert_eq!(reach("222222222222", &[arn_in("*")]), Reach::ExternalAccount);
        assert_eq!(
            reach(
                "222222222222",
                &[entry(
                    "StringEquals",
                    "aws:PrincipalAccount",
                    &["333333333333", "222222222222"]
                )]
            ),
            Reach::ExternalAccount
        );
        assert_eq!(
            reach(
                "222222222222",
                &[entry(
                    "StringEqualsIfExists",
                    "aws:PrincipalAccount",
                    &["333333333333"]
                )]
            ),
            Reach::ExternalAccount
        );
        assert_eq!(
            reach(
                "222222222222",
                &[entry(
                    "StringNotEquals",
                    "aws:PrincipalAccount",
                    &["333333333333"]
                )]
            ),
            Reach::ExternalAccount
        );
    }

    #[test]
    fn a_federated_claim_key_grants_aws_and_service_principals_nothing() {
        let b = boundary();
        let sub = |op: &str| entry(op, "token.actions.githubusercontent.com:sub", &["repo:o/*"]);
        let eks = entry(
            "StringEquals",
            "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub",
            &["system:serviceaccount:a:b"],
        );
        let reach = |subject: Principal, conditions: &[ConditionEntry]| {
            classify(&Subject::One(subject), conditions, &b, "aws").0
        };
        let service = || Principal::Service("events.amazonaws.com".into());
        assert_eq!(reach(aws("222222222222"), &[sub("StringLike")]), Reach::Internal);
        assert_eq!(reach(aws("222222222222"), &[eks]), Reach::Internal);
        assert_eq!(reach(service(), &[sub("StringLike")]), Reach::Internal);
        // A test that holds when the key is absent, a negated one, an AWS key, and the federated principal
        // itself or anyone (`*` includes federated callers) stay outside.
        assert_eq!(
            reach(aws("222222222222"), &[sub("StringLikeIfExists")]),
            Reach::ExternalAccount
        );
        assert_eq!(
            reach(aws("222222222222"), &[sub("StringNotLike")]),
            Reach::ExternalAccount
        );
        assert_eq!(
            reach(
                aws("222222222222"),
                &[entry("StringEquals", "aws:SourceVpc", &["vpc-1"])]
            ),
            Reach::ExternalAccount
        );
        assert_eq!(
            reach(service(), &[sub("ForAllValues:StringLike")]),
            Reach::Service
        );
        assert_eq!(
            reach(
                Principal::Federated(
                    "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com".into()
                ),
                &[sub("StringLike")]
            ),
            Reach::Federated
        );
        assert_eq!(reach(Principal::Any, &[sub("StringLike")]), Reach::Public);
    }

    #[test]
    fn aws_source_account_grants_aws_and_federated_principals_nothing() {
        let b = boundary();
        let source = |op: &str| entry(op, "aws:SourceAccount", &["222222222222"]);
        let reach = |subject: Principal, conditions: &[ConditionEntry]| {
            classify(&Subject::One(subject), conditions, &b, "aws").0
        };
        let github = || {
            Principal::Federated(
                "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com".into(),
            )
        };
        assert_eq!(
            reach(aws("222222222222"), &[source("StringEquals")]),
            Reach::Internal
        );
        assert_eq!(reach(github(), &[source("StringEquals")]), Reach::Internal);
        // Services carry it (a foreign account leaves them outside); IfExists and negated tests hold without it.
        assert_eq!(
            reach(
                Principal::Service("events.amazonaws.com".into()),
                &[source("StringEquals")]
            ),
            Reach::Service
        );
        assert_eq!(
            reach(aws("222222222222"), &[source("StringEqualsIfExists")]),
            Reach::ExternalAccount
        );
        assert_eq!(reach(github(), &[source("StringNotEquals")]), Reach::Federated);
    }

    #[test]
    fn cloudtrail_pin_with_a_wildcard_region_fixes_the_account() {
        let service = Subject::One(Principal::Service("cloudtrail.amazonaws.com".into()));
        let reach = |op: &str, value: &str| {
            let pin = [entry(op, "kms:EncryptionContext:aws:cloudtrail:arn", &[value])];
            classify(&service, &pin, &boundary(), "aws").0
        };
        // The shape of AWS's CloudTrail key policy: any region, the own account, any trail.
        assert_eq!(
            reach("StringLike", "arn:aws:cloudtrail:*:111111111111:trail/*"),
            Reach::Internal
        );
        assert_eq!(
            reach(
                "StringEquals",
                "arn:aws:cloudtrail:eu-west-1:111111111111:trail/t"
            ),
            Reach::Internal
        );
        // Another account, a wildcard account or prefix, an extra `:` (a value with more than five `:` could
        // shift the account), a negated or IfExists test: not pinned.
        for (op, value) in [
            ("StringLike", "arn:aws:cloudtrail:*:222222222222:trail/*"),
            ("StringLike", "arn:aws:cloudtrail:*:*:trail/*"),
            ("StringLike", "arn:aws:cloud*:*:111111111111:trail/*"),
            ("StringLike", "arn:aws:cloudtrail:*:111111111111:trail/*:x"),
            ("StringNotLike", "arn:aws:cloudtrail:*:111111111111:trail/*"),
            ("StringLikeIfExists", "arn:aws:cloudtrail:*:111111111111:trail/*"),
        ] {
            assert_eq!(reach(op, value), Reach::Service, "{op} {value}");
        }
    }

    #[test]
    fn inclusion_between_identities_and_accounts() {
        assert!(principal_included(
            &aws("arn:aws:iam::222222222222:role/x"),
            &aws("222222222222")
        ));
        assert!(!principal_included(
            &aws("222222222222"),
            &aws("arn:aws:iam::222222222222:role/x")
        ));
        assert!(principal_included(
            &aws("arn:aws:sts::222222222222:assumed-role/x/session"),
            &aws("arn:aws:iam::222222222222:role/path/x")
        ));
        assert!(!principal_included(
            &aws("arn:aws:iam::222222222222:role/a"),
            &aws("arn:aws:iam::222222222222:role/b")
        ));
        assert!(!principal_included(
            &aws("arn:aws-cn:iam::222222222222:root"),
            &aws("222222222222")
        ));
        let not_own = Subject::AllExcept(vec![aws("111111111111")]);
        assert!(subject_included(&Subject::One(aws("222222222222")), &not_own));
        assert!(!subject_included(
            &Subject::One(aws("arn:aws:iam::111111111111:role/r")),
            &not_own
        ));
    }

    #[test]
    fn star_pinned_by_owner_org_is_internal() {
        let conditions = [entry("StringEquals", "aws:PrincipalOrgID", &["o-own1234567"])];
        let (reach, _) = classify(&Subject::One(Principal::Any), &conditions, &boundary(), "aws");
        assert_eq!(reach, Reach::Internal);
        let weak = [entry(
            "StringEqualsIfExists",
            "aws:PrincipalOrgID",
            &["o-own1234567"],
        )];
        assert_eq!(
            classify(&Subject::One(Principal::Any), &weak, &boundary(), "aws").0,
            Reach::Public
        );
        let foreign = [entry("StringEquals", "aws:PrincipalOrgID", &["o-other98765"])];
        assert_eq!(
            classify(&Subject::One(Principal::Any), &foreign, &boundary(), "aws").0,
            Reach::ExternalAccount
        );
    }

    #[test]
    fn star_pinned_to_external_account() {
        let conditions = [entry("StringEquals", "kms:CallerAccount", &["222222222222"])];
        let (reach, pin) = classify(&Subject::One(Principal::Any), &conditions, &boundary(), "aws");
        assert_eq!(reach, Reach::ExternalAccount);
        assert_eq!(pin, Some(aws("222222222222")));
    }

    #[test]
    fn service_pins() {
        let service = Subject::One(Principal::Service("s3.amazonaws.com".into()));
        let by_account = [entry("StringEquals", "aws:SourceAccount", &["111111111111"])];
        assert_eq!(
            classify(&service, &by_account, &boundary(), "aws").0,
            Reach::Internal
        );
        let by_bucket = [entry("ArnLike", "aws:SourceArn", &["arn:aws:s3:::own-bucket"])];
        assert_eq!(
            classify(&service, &by_bucket, &boundary(), "aws").0,
            Reach::Service
        );
        let by_rule = [entry(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:events:us-east-1:111111111111:rule/x"],
        )];
        assert_eq!(
            classify(&service, &by_rule, &boundary(), "aws").0,
            Reach::Internal
        );
        assert_eq!(classify(&service, &[], &boundary(), "aws").0, Reach::Service);
        let any_region = [entry(
            "ArnLike",
            "aws:SourceArn",
            &["arn:aws:events:*:111111111111:rule/x"],
        )];
        assert_eq!(
            classify(&service, &any_region, &boundary(), "aws").0,
            Reach::Internal
        );
        // Under StringLike the `*` can swallow "us-east-1:999999999999:x", so the account is not pinned.
        let shifted = [entry(
            "StringLike",
            "aws:SourceArn",
            &["arn:aws:events:*:111111111111:rule/x"],
        )];
        assert_eq!(classify(&service, &shifted, &boundary(), "aws").0, Reach::Service);
    }
}
