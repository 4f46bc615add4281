//! Coverage of new external grants by old ones, and Deny handling (docs/iam-semantics.md section 4.2
//! steps 2, 4 and 5).
//!
//! Old statements stay whole ("grants"); new statements are split into atoms (one principal × one
//! action × one resource × one choice of alternative condition values). A new external atom is proven old
//! when a single old grant covers it; union coverage is not attempted (sound: reported as a widening).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::policy::arn::{arn_included, arn_intersects, split_arn};
use crate::policy::glob::{canonical, glob_included, glob_intersects};
use crate::policy::{
    ConditionEntry, Effect, Operator, PatternSet, Policy, Principal, PrincipalClause, Statement,
};

use super::implication::{Decision, Variables, conditions_imply};
use super::principal::{Subject, classify, resolve, subject_included, subject_text, subjects_overlap};
use super::{Context, Reach, Widening, WideningKind};

/// At most this many atoms per statement come from splitting alternative condition values; beyond it
/// the statement is kept whole (sound, only less precise).
const MAX_CONDITION_SPLITS: usize = 64;

/// One action or resource of an atom.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Pattern {
    One(String),
    AllExcept(BTreeSet<String>),
}

impl Pattern {
    pub(crate) fn render(&self) -> String {
        match self {
            Pattern::One(text) => text.clone(),
            Pattern::AllExcept(set) => format!("not:{}", set.iter().cloned().collect::<Vec<_>>().join(",")),
        }
    }
}

fn patterns(set: &PatternSet) -> Vec<Pattern> {
    match set {
        PatternSet::Only(items) => items.iter().map(|item| Pattern::One(item.clone())).collect(),
        PatternSet::AllExcept(items) => vec![Pattern::AllExcept(items.clone())],
    }
}

/// A statement with its principals resolved; a missing `Resource` means the governed resource (`*`).
pub(crate) struct Grant<'p> {
    pub statement: &'p Statement,
    pub subjects: Vec<Subject>,
    pub resources: PatternSet,
}

impl<'p> Grant<'p> {
    pub(crate) fn new(statement: &'p Statement, partition: &str) -> Grant<'p> {
        let subjects = match &statement.principal {
            PrincipalClause::Only(set) => set.iter().map(|p| Subject::One(resolve(p, partition))).collect(),
            PrincipalClause::AllExcept(set) => {
                vec![Subject::AllExcept(
                    set.iter().map(|p| resolve(p, partition)).collect(),
                )]
            }
            // Resource policies must name a principal; a statement without one grants nobody.
            PrincipalClause::Absent => Vec::new(),
        };
        let resources = statement
            .resources
            .clone()
            .unwrap_or_else(|| PatternSet::Only(BTreeSet::from(["*".to_string()])));
        Grant {
            statement,
            subjects,
            resources,
        }
    }
}

fn grants<'p>(policy: &'p Policy, effect: Effect, partition: &str) -> Vec<Grant<'p>> {
    policy
        .statements()
        .iter()
        .filter(|s| s.effect == effect)
        .map(|s| Grant::new(s, partition))
        .collect()
}

/// Splits alternative values of positive entries into separate condition blocks (an OR of ANDs).
pub(crate) fn split_conditions(conditions: &[ConditionEntry]) -> Vec<Vec<ConditionEntry>> {
    let mut blocks: Vec<Vec<ConditionEntry>> = vec![Vec::new()];
    let combinations: usize = conditions
        .iter()
        .filter(|e| e.operator.values_are_alternatives())
        .map(|e| e.values.len())
        .fold(1usize, |acc, n| acc.saturating_mul(n));
    if combinations > MAX_CONDITION_SPLITS {
        return vec![conditions.to_vec()];
    }
    for entry in conditions {
        if entry.operator.values_are_alternatives() && entry.values.len() > 1 {
            let mut next = Vec::with_capacity(blocks.len() * entry.values.len());
            for block in &blocks {
                for value in &entry.values {
                    let mut block = block.clone();
                    block.push(ConditionEntry {
                        values: BTreeSet::from([value.clone()]),
                        ..entry.clone()
                    });
                    next.push(block);
                }
            }
            blocks = next;
        } else {
            for block in &mut blocks {
                block.push(entry.clone());
            }
        }
    }
    blocks
}

/// Three-valued answer for resource inclusion (policy variables make it undecidable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

fn action_included(action: &Pattern, actions: &PatternSet) -> bool {
    match (action, actions) {
        (Pattern::One(a), PatternSet::Only(set)) => set.iter().any(|b| glob_included(a, b)),
        (Pattern::One(a), PatternSet::AllExcept(set)) => set.iter().all(|b| !glob_intersects(a, b)),
        (Pattern::AllExcept(_), PatternSet::Only(set)) => set.contains("*"),
        // not(A) ⊆ not(B) iff B ⊆ A.
        (Pattern::AllExcept(a), PatternSet::AllExcept(b)) => {
            b.iter().all(|x| a.iter().any(|y| glob_included(x, y)))
        }
    }
}

fn actions_overlap(a: &Pattern, b: &Pattern) -> bool {
    match (a, b) {
        (Pattern::One(a), Pattern::One(b)) => glob_intersects(a, b),
        (Pattern::One(a), Pattern::AllExcept(set)) | (Pattern::AllExcept(set), Pattern::One(a)) => {
            !set.iter().any(|x| glob_included(a, x))
        }
        (Pattern::AllExcept(_), Pattern::AllExcept(_)) => true,
    }
}

fn has_active_variable(text: &str, active: bool) -> bool {
    active && text.contains("${")
}

/// `a ⊆ b` for resource patterns; variables are only comparable when textually identical in meaning.
fn resource_pattern_included(a: &str, b: &str, vars: Variables) -> Tri {
    if b == "*" {
        return Tri::Yes;
    }
    let a_var = has_active_variable(a, vars.new_active);
    let b_var = has_active_variable(b, vars.old_active);
    if a_var || b_var {
        if a == b && a_var == b_var {
            return Tri::Yes;
        }
        // Whatever a variable resolves to, the value is inside the pattern with `*` in its place.
        let widened = if b_var { None } else { variables_as_wildcards(a) };
        return match widened {
            Some(widened) if arn_included(&widened, b) => Tri::Yes,
            _ => Tri::Unknown,
        };
    }
    if arn_included(a, b) { Tri::Yes } else { Tri::No }
}

/// The pattern with every `${…}` in the resource component replaced by `*`; `None` when a variable sits
/// in one of the first five components (where `*` would not cross `:`) or is unterminated.
fn variables_as_wildcards(pattern: &str) -> Option<String> {
    let [_, partition, service, region, account, resource] = split_arn(pattern)?;
    if [partition, service, region, account]
        .iter()
        .any(|c| c.contains("${"))
    {
        return None;
    }
    let mut widened = String::new();
    let mut rest = resource;
    while let Some(start) = rest.find("${") {
        let end = rest[start..].find('}')? + start;
        widened.push_str(&rest[..start]);
        widened.push('*');
        rest = &rest[end + 1..];
    }
    widened.push_str(rest);
    Some(format!(
        "arn:{partition}:{service}:{region}:{account}:{}",
        canonical(&widened)
    ))
}

fn any_tri(results: impl Iterator<Item = Tri>) -> Tri {
    let mut unknown = false;
    for result in results {
        match result {
            Tri::Yes => return Tri::Yes,
            Tri::Unknown => unknown = true,
            Tri::No => {}
        }
    }
    if unknown { Tri::Unknown } else { Tri::No }
}

fn resource_included(resource: &Pattern, resources: &PatternSet, vars: Variables) -> Tri {
    let swapped = Variables {
        new_active: vars.old_active,
        old_active: vars.new_active,
    };
    match (resource, resources) {
        (Pattern::One(a), PatternSet::Only(set)) => {
            any_tri(set.iter().map(|b| resource_pattern_included(a, b, vars)))
        }
        (Pattern::One(a), PatternSet::AllExcept(set)) => {
            if has_active_variable(a, vars.new_active)
                || set.iter().any(|b| has_active_variable(b, vars.old_active))
            {
                Tri::Unknown
            } else if set.iter().all(|b| !arn_intersects(a, b)) {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        (Pattern::AllExcept(_), PatternSet::Only(set)) => {
            if set.contains("*") {
                Tri::Yes
            } else {
                Tri::No
            }
        }
        (Pattern::AllExcept(a), PatternSet::AllExcept(b)) => {
            let all = b
                .iter()
                .map(|x| any_tri(a.iter().map(|y| resource_pattern_included(x, y, swapped))));
            let mut result = Tri::Yes;
            for r in all {
                match r {
                    Tri::No => return Tri::No,
                    Tri::Unknown => result = Tri::Unknown,
                    Tri::Yes => {}
                }
            }
            result
        }
    }
}

/// Could some resource match both? Policy variables are assumed to overlap (sound for Deny handling).
fn resources_overlap(a: &Pattern, b: &Pattern) -> bool {
    match (a, b) {
        (Pattern::One(a), Pattern::One(b)) => a.contains("${") || b.contains("${") || arn_intersects(a, b),
        (Pattern::One(a), Pattern::AllExcept(set)) | (Pattern::AllExcept(set), Pattern::One(a)) => {
            !set.iter().any(|x| !x.contains("${") && arn_included(a, x))
        }
        (Pattern::AllExcept(_), Pattern::AllExcept(_)) => true,
    }
}

/// Facts the principal itself guarantees about the request, so that e.g. account `222…` satisfies an
/// old `aws:PrincipalAccount = 222…` condition.
fn principal_facts(principal: &Principal, partition: &str) -> Vec<ConditionEntry> {
    let fact = |operator: &str, key: &str, value: String| ConditionEntry {
        operator: Operator::parse(operator),
        key: key.to_lowercase(),
        key_text: key.to_string(),
        values: BTreeSet::from([value]),
    };
    match principal {
        Principal::Aws(aws) => {
            let mut facts = vec![
                fact("StringEquals", "aws:PrincipalAccount", aws.account.clone()),
                fact("StringEquals", "kms:CallerAccount", aws.account.clone()),
            ];
            if aws.resource.starts_with("role/") || aws.resource.starts_with("user/") {
                facts.push(fact("ArnLike", "aws:PrincipalArn", aws.arn(partition)));
            }
            facts
        }
        Principal::Service(_) => vec![fact("Bool", "aws:PrincipalIsAWSService", "true".to_string())],
        _ => Vec::new(),
    }
}

/// One new grant unit.
struct Atom<'p> {
    statement: &'p Statement,
    subject: Subject,
    pinned: Option<Principal>,
    reach: Reach,
    action: Pattern,
    resource: Pattern,
    conditions: Vec<ConditionEntry>,
}

fn bucket(principal: &Principal) -> String {
    match principal {
        Principal::Any => "*".to_string(),
        Principal::Aws(aws) => format!("account:{}", aws.account),
        other => format!("{other:?}"),
    }
}

fn subject_bucket(subject: &Subject) -> String {
    match subject {
        Subject::One(principal) => bucket(principal),
        Subject::AllExcept(_) => "*".to_string(),
    }
}

/// Old Allow grants indexed by principal bucket, so a new atom is only checked against grants that
/// could contain its principal.
struct GrantIndex<'p> {
    grants: Vec<Grant<'p>>,
    by_bucket: HashMap<String, Vec<usize>>,
}

impl<'p> GrantIndex<'p> {
    fn new(grants: Vec<Grant<'p>>) -> GrantIndex<'p> {
        let mut by_bucket: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, grant) in grants.iter().enumerate() {
            for subject in &grant.subjects {
                by_bucket.entry(subject_bucket(subject)).or_default().push(i);
            }
        }
        for list in by_bucket.values_mut() {
            list.dedup();
        }
        GrantIndex { grants, by_bucket }
    }

    fn candidates(&self, atom: &Atom) -> Vec<usize> {
        let mut keys = vec!["*".to_string(), subject_bucket(&atom.subject)];
        if let Some(pinned) = &atom.pinned {
            keys.push(bucket(pinned));
        }
        let mut found: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.by_bucket.get(k))
            .flat_map(|list| list.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Why an atom is not covered, most specific first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    Unverifiable(String),
    ConditionWeakened(String),
    AccessBroadened(String),
    NewPrincipal,
}

struct Collector<'a> {
    partition: &'a str,
    found: BTreeMap<(String, WideningKind, usize), Found>,
}

struct Found {
    sid: Option<String>,
    actions: BTreeSet<String>,
    resources: BTreeSet<String>,
    reasons: Vec<String>,
}

impl Collector<'_> {
    fn add(&mut self, atom: &Atom, kind: WideningKind, reason: String) {
        let key = (
            subject_text(&atom.subject, self.partition),
            kind,
            atom.statement.index,
        );
        let entry = self.found.entry(key).or_insert_with(|| Found {
            sid: atom.statement.sid.clone(),
            actions: BTreeSet::new(),
            resources: BTreeSet::new(),
            reasons: Vec::new(),
        });
        entry.actions.insert(atom.action.render());
        entry.resources.insert(atom.resource.render());
        if !entry.reasons.contains(&reason) {
            entry.reasons.push(reason);
        }
    }

    fn into_widenings(self) -> Vec<Widening> {
        self.found
            .into_iter()
            .map(|((principal, kind, statement), found)| Widening {
                kind,
                principal,
                actions: found.actions.into_iter().collect(),
                resources: found.resources.into_iter().collect(),
                reason: found.reasons.join("; "),
                statement: Some(statement),
                sid: found.sid,
            })
            .collect()
    }
}

fn new_principal_reason(atom: &Atom) -> (WideningKind, String) {
    match (&atom.subject, atom.reach) {
        (Subject::AllExcept(_), _) => (
            WideningKind::Public,
            "NotPrincipal with Allow grants everyone else, including anonymous callers".to_string(),
        ),
        (_, Reach::Public) => (
            WideningKind::Public,
            "principal \"*\" is not pinned to the trust boundary (public access)".to_string(),
        ),
        (_, Reach::Federated) => (
            WideningKind::Federated,
            "federated identity provider newly trusted".to_string(),
        ),
        (_, Reach::Service) => (
            WideningKind::Service,
            "service principal not pinned to the trust boundary by aws:SourceAccount, aws:SourceArn or \
             aws:SourceOrgID"
                .to_string(),
        ),
        _ => (
            WideningKind::ExternalAccount,
            "principal outside the trust boundary newly trusted".to_string(),
        ),
    }
}

/// Every external Allow atom of `new` that no single old Allow grant covers, plus Deny regressions.
pub(crate) fn widenings(old: &Policy, new: &Policy, ctx: &Context<'_>) -> Vec<Widening> {
    let partition = ctx.partition;
    let vars = Variables {
        new_active: new.version().has_policy_variables(),
        old_active: old.version().has_policy_variables(),
    };
    let old_allows = GrantIndex::new(grants(old, Effect::Allow, partition));
    let mut collector = Collector {
        partition,
        found: BTreeMap::new(),
    };
    let mut external_atoms: Vec<Atom> = Vec::new();

    for grant in grants(new, Effect::Allow, partition) {
        let actions = patterns(&grant.statement.actions);
        let resources = patterns(&grant.resources);
        for block in split_conditions(&grant.statement.conditions) {
            for subject in &grant.subjects {
                let (reach, pinned) = classify(subject, &block, ctx.boundary, partition);
                if reach == Reach::Internal {
                    continue;
                }
                let mut facts = block.clone();
                for principal in [subject_principal(subject), pinned.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    facts.extend(principal_facts(principal, partition));
                }
                for action in &actions {
                    for resource in &resources {
                        let atom = Atom {
                            statement: grant.statement,
                            subject: subject.clone(),
                            pinned: pinned.clone(),
                            reach,
                            action: action.clone(),
                            resource: resource.clone(),
                            conditions: facts.clone(),
                        };
                        if let Some(gap) = coverage_gap(&atom, &old_allows, ctx, vars) {
                            let (kind, reason) = match gap {
                                Gap::Unverifiable(reason) => (WideningKind::Unverifiable, reason),
                                Gap::ConditionWeakened(reason) => (WideningKind::ConditionWeakened, reason),
                                Gap::AccessBroadened(reason) => (WideningKind::AccessBroadened, reason),
                                Gap::NewPrincipal => new_principal_reason(&atom),
                            };
                            collector.add(&atom, kind, reason);
                        }
                        external_atoms.push(atom);
                    }
                }
            }
        }
    }

    deny_regressions(old, new, partition, vars, &external_atoms, &mut collector);
    collector.into_widenings()
}

fn subject_principal(subject: &Subject) -> Option<&Principal> {
    match subject {
        Subject::One(principal) => Some(principal),
        Subject::AllExcept(_) => None,
    }
}

/// `None` when some old grant covers the atom; otherwise the most specific explanation.
fn coverage_gap(atom: &Atom, old: &GrantIndex, ctx: &Context<'_>, vars: Variables) -> Option<Gap> {
    let mut best: Option<Gap> = None;
    let mut note = |gap: Gap| {
        if best.as_ref().is_none_or(|current| gap < *current) {
            best = Some(gap);
        }
    };
    for index in old.candidates(atom) {
        let grant = &old.grants[index];
        let matching_subjects: Vec<&Subject> = grant
            .subjects
            .iter()
            .filter(|s| {
                subject_included(&atom.subject, s)
                    || atom
                        .pinned
                        .as_ref()
                        .is_some_and(|p| subject_included(&Subject::One(p.clone()), s))
            })
            .collect();
        if matching_subjects.is_empty() {
            continue;
        }
        let action_ok = action_included(&atom.action, &grant.statement.actions);
        let resource_ok = if action_ok {
            resource_included(&atom.resource, &grant.resources, vars)
        } else {
            Tri::No
        };
        let conditions = conditions_imply(&atom.conditions, &grant.statement.conditions, vars);
        if action_ok && resource_ok == Tri::Yes && conditions == Decision::Holds {
            return None;
        }
        // An old grant that only reached the boundary does not make this "the same external principal".
        let old_was_external = matching_subjects.iter().any(|s| {
            classify(s, &grant.statement.conditions, ctx.boundary, ctx.partition).0 != Reach::Internal
        });
        if !old_was_external {
            continue;
        }
        if resource_ok == Tri::Unknown {
            note(Gap::Unverifiable(format!(
                "resource {} uses a policy variable and cannot be compared",
                atom.resource.render()
            )));
            continue;
        }
        match (action_ok && resource_ok == Tri::Yes, conditions) {
            (_, Decision::Unknown(reason)) => note(Gap::Unverifiable(reason)),
            (true, Decision::Fails(reason)) => note(Gap::ConditionWeakened(reason)),
            (false, Decision::Holds) => note(Gap::AccessBroadened(format!(
                "{} on {} newly allowed for the same principal",
                atom.action.render(),
                atom.resource.render()
            ))),
            (false, Decision::Fails(reason)) => note(Gap::AccessBroadened(format!(
                "{} on {} newly allowed for the same principal (and {reason})",
                atom.action.render(),
                atom.resource.render()
            ))),
            (true, Decision::Holds) => {}
        }
    }
    Some(best.unwrap_or(Gap::NewPrincipal))
}

/// Step 5: an old Deny region that no new Deny still covers may open access for new external atoms.
fn deny_regressions(
    old: &Policy,
    new: &Policy,
    partition: &str,
    vars: Variables,
    external_atoms: &[Atom],
    collector: &mut Collector,
) {
    if external_atoms.is_empty() {
        return;
    }
    // The old deny plays the "new" side of the implication: region(old deny) ⊆ region(new deny).
    let deny_vars = Variables {
        new_active: vars.old_active,
        old_active: vars.new_active,
    };
    let new_denies = grants(new, Effect::Deny, partition);
    for old_deny in grants(old, Effect::Deny, partition) {
        let actions = patterns(&old_deny.statement.actions);
        let resources = patterns(&old_deny.resources);
        for subject in &old_deny.subjects {
            for action in &actions {
                for resource in &resources {
                    let preserved = new_denies.iter().any(|d| {
                        d.subjects.iter().any(|s| subject_included(subject, s))
                            && action_included(action, &d.statement.actions)
                            && resource_included(resource, &d.resources, deny_vars) == Tri::Yes
                            && conditions_imply(
                                &old_deny.statement.conditions,
                                &d.statement.conditions,
                                deny_vars,
                            ) == Decision::Holds
                    });
                    if preserved {
                        continue;
                    }
                    let label = match &old_deny.statement.sid {
                        Some(sid) => format!("Deny statement {} ({sid:?})", old_deny.statement.index),
                        None => format!("Deny statement {}", old_deny.statement.index),
                    };
                    for atom in external_atoms {
                        if subjects_overlap(&atom.subject, subject)
                            && actions_overlap(&atom.action, action)
                            && resources_overlap(&atom.resource, resource)
                        {
                            collector.add(
                                atom,
                                WideningKind::DenyRemoved,
                                format!("{label} of the old policy no longer applies to this grant"),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(op: &str, key: &str, values: &[&str]) -> ConditionEntry {
        ConditionEntry {
            operator: Operator::parse(op),
            key: key.to_string(),
            key_text: key.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    #[test]
    fn splitting_alternatives() {
        let blocks = split_conditions(&[
            entry("StringEquals", "a", &["1", "2"]),
            entry("StringLike", "b", &["x", "y", "z"]),
            entry("StringNotEquals", "c", &["p", "q"]),
        ]);
        assert_eq!(blocks.len(), 6);
        assert!(blocks.iter().all(|b| b.len() == 3));
        let many: Vec<String> = (0..70).map(|i| format!("v{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(split_conditions(&[entry("StringEquals", "a", &many)]).len(), 1);
    }

    #[test]
    fn not_action_and_not_resource_inclusion() {
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert!(action_included(
            &Pattern::One("s3:getobject".into()),
            &PatternSet::AllExcept(set(&["s3:delete*"]))
        ));
        assert!(!action_included(
            &Pattern::One("s3:*".into()),
            &PatternSet::AllExcept(set(&["s3:delete*"]))
        ));
        assert!(action_included(
            &Pattern::AllExcept(set(&["s3:*"])),
            &PatternSet::AllExcept(set(&["s3:delete*"]))
        ));
        assert!(!action_included(
            &Pattern::AllExcept(set(&["s3:delete*"])),
            &PatternSet::Only(set(&["s3:*"]))
        ));
        let vars = Variables {
            new_active: true,
            old_active: true,
        };
        let bucket = PatternSet::Only(set(&["arn:aws:s3:::b/*"]));
        assert_eq!(
            resource_included(&Pattern::One("arn:aws:s3:::b/a/*".into()), &bucket, vars),
            Tri::Yes
        );
        let user_home = Pattern::One("arn:aws:s3:::b/${aws:username}".into());
        assert_eq!(resource_included(&user_home, &bucket, vars), Tri::Yes);
        let sub_folder = PatternSet::Only(set(&["arn:aws:s3:::b/a/*"]));
        assert_eq!(resource_included(&user_home, &sub_folder, vars), Tri::Unknown);
        let legacy = Variables {
            new_active: false,
            old_active: false,
        };
        assert_eq!(
            resource_included(
                &Pattern::One("arn:aws:s3:::b/${aws:username}".into()),
                &bucket,
                legacy
            ),
            Tri::Yes
        );
    }
}
