//! Principal sets indexed by exact principal, so that "which of these subjects contain this one" and "does
//! any of these principals overlap this one" are answered by hash lookups instead of a scan: a policy may
//! list tens of thousands of principals, and scanning one list per principal of the other was quadratic.
//!
//! The answers are exactly those of `principal::subject_included`, `principals_overlap` and
//! `subjects_overlap` (the property tests below compare them with a scan on random sets). Only `"*"` is a wildcard among principals: IAM rejects wildcards
//! inside principal ARNs ("You cannot use a wildcard to match part of a principal name or ARN",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>), which
//! the parser enforces, and any other text with `*` or `?` (a service name, an opaque value) is compared as
//! written, as `principal_included` does. So `"*"` has a bucket of its own and every other principal is
//! found by its exact parts.

use std::collections::{HashMap, HashSet};

use crate::policy::{AwsPrincipal, Principal};

use super::principal::{Subject, is_single_identity};

/// `(partition, account)` of an AWS principal.
type Account = (Option<String>, String);
/// `(partition, account, text)`: a resource (`role/p/x`) or a role name (`x`).
type Named = (Option<String>, String, String);

fn account(aws: &AwsPrincipal) -> Account {
    (aws.partition.clone(), aws.account.clone())
}

fn named(aws: &AwsPrincipal, text: &str) -> Named {
    (aws.partition.clone(), aws.account.clone(), text.to_string())
}

/// The role name a session belongs to: `assumed-role/NAME/SESSION` → `NAME`.
fn session_role(aws: &AwsPrincipal) -> Option<&str> {
    let rest = aws.resource.strip_prefix("assumed-role/")?;
    rest.split('/').next()
}

/// The name of a role: `role/PATH/NAME` → `NAME` (the session ARN drops the path).
fn role_name(aws: &AwsPrincipal) -> Option<&str> {
    let path = aws.resource.strip_prefix("role/")?;
    path.rsplit('/').next()
}

/// Positions of principals in a list, by what `principal_included` compares.
#[derive(Default)]
pub(crate) struct PrincipalIndex {
    any: Vec<usize>,
    /// AWS principals by partition, account and resource (`iam` and `sts` alike, as inclusion ignores it).
    aws: HashMap<Named, Vec<usize>>,
    /// Account roots (`…:root`, bare ids) by partition and account.
    roots: HashMap<Account, Vec<usize>>,
    /// Roles by partition, account and name (their sessions are inside them).
    roles: HashMap<Named, Vec<usize>>,
    /// Sessions by partition, account and the name of their role.
    sessions: HashMap<Named, Vec<usize>>,
    /// Every AWS principal by partition and account.
    accounts: HashMap<Account, Vec<usize>>,
    /// Everything else, by value.
    other: HashMap<Principal, Vec<usize>>,
    /// Unique ids, canonical users, opaque values: they may belong to any account.
    unmappable: bool,
    /// AWS principals or unmappable ones.
    account_like: bool,
}

impl PrincipalIndex {
    pub(crate) fn new<'p>(principals: impl IntoIterator<Item = &'p Principal>) -> PrincipalIndex {
        let mut index = PrincipalIndex::default();
        for (i, principal) in principals.into_iter().enumerate() {
            index.add(i, principal);
        }
        index
    }

    fn add(&mut self, i: usize, principal: &Principal) {
        match principal {
            Principal::Any => self.any.push(i),
            Principal::Aws(aws) => {
                self.account_like = true;
                self.aws.entry(named(aws, &aws.resource)).or_default().push(i);
                self.accounts.entry(account(aws)).or_default().push(i);
                if aws.is_account() {
                    self.roots.entry(account(aws)).or_default().push(i);
                }
                if let Some(name) = role_name(aws) {
                    self.roles.entry(named(aws, name)).or_default().push(i);
                }
                if let Some(name) = session_role(aws) {
                    self.sessions.entry(named(aws, name)).or_default().push(i);
                }
            }
            other => {
                if matches!(
                    other,
                    Principal::UniqueId(_) | Principal::Canonical(_) | Principal::Opaque(_)
                ) {
                    self.unmappable = true;
                    self.account_like = true;
                }
                self.other.entry(other.clone()).or_default().push(i);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.any.is_empty() && self.aws.is_empty() && self.other.is_empty()
    }

    /// Positions `i` with `principal_included(a, list[i])`, unsorted, possibly repeated.
    pub(crate) fn supersets(&self, a: &Principal) -> Vec<usize> {
        let mut out = self.any.clone();
        let mut extend = |list: Option<&Vec<usize>>| out.extend(list.into_iter().flatten().copied());
        match a {
            Principal::Any => {}
            Principal::Aws(aws) => {
                extend(self.aws.get(&named(aws, &aws.resource)));
                extend(self.roots.get(&account(aws)));
                if let Some(name) = session_role(aws) {
                    extend(self.roles.get(&named(aws, name)));
                }
            }
            other => extend(self.other.get(other)),
        }
        out
    }

    /// Whether some principal `x` of the list has `principal_included(x, a)`.
    fn has_subset_of(&self, a: &Principal) -> bool {
        match a {
            Principal::Any => !self.is_empty(),
            Principal::Aws(aws) => {
                if aws.is_account() {
                    return self.accounts.contains_key(&account(aws));
                }
                self.aws.contains_key(&named(aws, &aws.resource))
                    || role_name(aws).is_some_and(|name| self.sessions.contains_key(&named(aws, name)))
            }
            other => self.other.contains_key(other),
        }
    }

    /// Whether `principals_overlap(a, x)` for some principal `x` of the list.
    pub(crate) fn overlaps(&self, a: &Principal) -> bool {
        let unmappable = matches!(
            a,
            Principal::UniqueId(_) | Principal::Canonical(_) | Principal::Opaque(_)
        );
        let account_like = matches!(a, Principal::Aws(_)) || unmappable;
        !self.supersets(a).is_empty()
            || self.has_subset_of(a)
            || (unmappable && self.account_like)
            || (account_like && self.unmappable)
    }
}

/// The subjects of one grant, indexed: which of them contain a given subject.
pub(crate) struct SubjectIndex {
    /// Over the `Subject::One` principals; positions are subject positions.
    one: PrincipalIndex,
    /// `NotPrincipal` subjects: position, their exemptions indexed, and the exemptions as a set.
    all_except: Vec<(usize, PrincipalIndex, HashSet<Principal>)>,
}

impl SubjectIndex {
    pub(crate) fn new(subjects: &[Subject]) -> SubjectIndex {
        let mut one = PrincipalIndex::default();
        let mut all_except = Vec::new();
        for (i, subject) in subjects.iter().enumerate() {
            match subject {
                Subject::One(principal) => one.add(i, principal),
                Subject::AllExcept(excluded) => all_except.push((
                    i,
                    PrincipalIndex::new(excluded),
                    excluded.iter().cloned().collect(),
                )),
            }
        }
        SubjectIndex { one, all_except }
    }

    /// Positions `i` with `subject_included(a, subjects[i])`, ascending and without repeats.
    pub(crate) fn containing(&self, a: &Subject) -> Vec<usize> {
        let mut out = match a {
            Subject::One(principal) => self.one.supersets(principal),
            // Everyone-except is inside no single principal but `*`.
            Subject::AllExcept(_) => self.one.any.clone(),
        };
        for (i, exemptions, set) in &self.all_except {
            let included = match a {
                Subject::One(principal) => !exemptions.overlaps(principal),
                // not(A) ⊆ not(B) iff B ⊆ A.
                Subject::AllExcept(mine) => {
                    let mine: HashSet<&Principal> = mine.iter().collect();
                    set.iter().all(|x| mine.contains(x))
                }
            };
            if included {
                out.push(*i);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A set of subjects, indexed: does any of them overlap a given subject (`subjects_overlap`)?
pub(crate) struct SubjectOverlap<'s> {
    one: PrincipalIndex,
    principals: Vec<&'s Principal>,
    all_except: Vec<HashSet<&'s Principal>>,
}

impl<'s> SubjectOverlap<'s> {
    pub(crate) fn new(subjects: impl IntoIterator<Item = &'s Subject>) -> SubjectOverlap<'s> {
        let mut principals = Vec::new();
        let mut all_except = Vec::new();
        for subject in subjects {
            match subject {
                Subject::One(principal) => principals.push(principal),
                Subject::AllExcept(excluded) => all_except.push(excluded.iter().collect()),
            }
        }
        SubjectOverlap {
            one: PrincipalIndex::new(principals.iter().copied()),
            principals,
            all_except,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.principals.is_empty() && self.all_except.is_empty()
    }

    pub(crate) fn overlaps(&self, a: &Subject) -> bool {
        // Only an exactly exempted single identity is certainly outside an everyone-except.
        let exempt = |p: &Principal, set: &HashSet<&Principal>| is_single_identity(p) && set.contains(p);
        match a {
            Subject::One(p) => self.one.overlaps(p) || self.all_except.iter().any(|set| !exempt(p, set)),
            Subject::AllExcept(excluded) => {
                if !self.all_except.is_empty() {
                    return true;
                }
                let excluded: HashSet<&Principal> = excluded.iter().collect();
                self.principals.iter().any(|p| !exempt(p, &excluded))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::principal::{principals_overlap, subject_included, subjects_overlap};
    use super::*;
    use proptest::prelude::*;

    /// The brute-force answer `SubjectIndex::containing` must give.
    fn containing_by_scan(subjects: &[Subject], a: &Subject) -> Vec<usize> {
        (0..subjects.len())
            .filter(|&i| subject_included(a, &subjects[i]))
            .collect()
    }

    /// A small universe, so that random sets share accounts, roles and sessions; with texts that carry
    /// `*` and `?` where the parser lets them through (service names, opaque values) or not (ARNs).
    fn principal() -> impl Strategy<Value = Principal> {
        let aws = (
            prop::sample::select(vec![Some("aws"), Some("aws-cn"), None]),
            prop::sample::select(vec!["iam", "sts"]),
            prop::sample::select(vec!["111111111111", "222222222222", "*"]),
            prop::sample::select(vec![
                "root",
                "role/a",
                "role/p/a",
                "role/b",
                "role/",
                "role/*",
                "user/a",
                "assumed-role/a/s",
                "assumed-role/a/t",
                "assumed-role/b/s",
                "assumed-role//s",
                "federated-user/a",
            ]),
        )
            .prop_map(|(partition, service, account, resource)| {
                Principal::Aws(AwsPrincipal {
                    partition: partition.map(str::to_string),
                    service: service.to_string(),
                    account: account.to_string(),
                    resource: resource.to_string(),
                })
            });
        let other = prop::sample::select(vec![
            Principal::Any,
            Principal::Service("events.amazonaws.com".into()),
            Principal::Service("*.amazonaws.com".into()),
            Principal::UniqueId("AROAEXAMPLE1234567".into()),
            Principal::Canonical("c1".into()),
            Principal::Opaque("cloudfront*".into()),
            Principal::Federated("cognito-identity.amazonaws.com".into()),
        ]);
        prop_oneof![4 => aws, 1 => other]
    }

    fn subject() -> impl Strategy<Value = Subject> {
        prop_oneof![
            6 => principal().prop_map(Subject::One),
            1 => prop::collection::vec(principal(), 0..5).prop_map(Subject::AllExcept),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn indexed_inclusion_agrees_with_the_scan(
            subjects in prop::collection::vec(subject(), 0..12),
            a in subject(),
        ) {
            let index = SubjectIndex::new(&subjects);
            prop_assert_eq!(index.containing(&a), containing_by_scan(&subjects, &a));
        }

        #[test]
        fn indexed_overlap_agrees_with_the_scan(
            principals in prop::collection::vec(principal(), 0..10),
            a in principal(),
        ) {
            let index = PrincipalIndex::new(&principals);
            prop_assert_eq!(
                index.overlaps(&a),
                principals.iter().any(|x| principals_overlap(&a, x))
            );
        }

        #[test]
        fn indexed_subject_overlap_agrees_with_the_scan(
            subjects in prop::collection::vec(subject(), 0..10),
            a in subject(),
        ) {
            let index = SubjectOverlap::new(&subjects);
            prop_assert_eq!(index.overlaps(&a), subjects.iter().any(|s| subjects_overlap(&a, s)));
        }
    }
}
