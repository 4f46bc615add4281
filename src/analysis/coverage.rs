//! Coverage of new external grants by old ones, and Deny handling (docs/iam-semantics.md section 4.2
//! steps 2, 4 and 5).
//!
//! Old statements stay whole ("grants"); new statements are split into atoms (one principal × one
//! action × one resource × one choice of alternative condition values). A new external atom is proven old
//! when a single old grant covers it; union coverage is not attempted (sound: reported as a widening).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::policy::{ConditionEntry, Effect, PatternSet, Policy, Principal, Statement};

use super::facts::{derived_facts, principal_facts};
use super::grant::Grant;
use super::implication::{Decision, Variables, conditions_hold, conditions_imply};
use super::normalize::{normalize, subtract_denies};
use super::pattern::{
    Pattern, Tri, action_included, actions_overlap, patterns, resource_included, resources_overlap,
};
use super::principal::{Subject, classify, inside_reason, subject_text};
use super::principal_index::{SubjectIndex, SubjectOverlap};
use super::services::knowledge;
use super::{Context, Inside, PolicyRole, Reach, Widening, WideningKind};

/// At most this many condition blocks come from splitting alternative condition values; beyond it the
/// block is kept whole (sound, only less precise).
const MAX_CONDITION_SPLITS: usize = 64;
/// Splitting is also skipped when a statement would yield more atoms than this in total.
const MAX_ATOMS_PER_STATEMENT: usize = 20_000;

fn grants<'p>(policy: &'p Policy, effect: Effect, partition: &str) -> Vec<Grant<'p>> {
    policy
        .statements()
        .iter()
        .filter(|s| s.effect == effect)
        .map(|s| Grant::new(s, partition))
        .collect()
}

/// Splits alternative values of positive entries into separate condition blocks (an OR of ANDs).
pub(crate) fn split_conditions(conditions: &[ConditionEntry], max_blocks: usize) -> Vec<Vec<ConditionEntry>> {
    let mut blocks: Vec<Vec<ConditionEntry>> = vec![Vec::new()];
    let combinations: usize = conditions
        .iter()
        .filter(|e| e.operator.values_are_alternatives())
        .map(|e| e.values.len())
        .fold(1usize, |acc, n| acc.saturating_mul(n));
    if combinations > max_blocks.min(MAX_CONDITION_SPLITS) {
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

/// Interned action/resource patterns of the new policy, so pattern tests run once per distinct pattern
/// rather than once per atom.
#[derive(Default)]
struct Interner {
    ids: HashMap<Pattern, usize>,
    patterns: Vec<Pattern>,
}

impl Interner {
    fn id(&mut self, pattern: &Pattern) -> usize {
        if let Some(id) = self.ids.get(pattern) {
            return *id;
        }
        self.patterns.push(pattern.clone());
        self.ids.insert(pattern.clone(), self.patterns.len() - 1);
        self.patterns.len() - 1
    }
}

/// A new external atom, kept after coverage for Deny handling.
struct ExternalAtom<'p> {
    statement: &'p Statement,
    subject: Subject,
    action: usize,
    resource: usize,
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

/// Grants (old Allows, or new Denies) indexed by principal bucket, so a new atom is only checked against
/// grants that could contain its principal, with per-pattern inclusion answers cached per grant.
struct GrantTable<'p> {
    grants: Vec<Grant<'p>>,
    /// Per grant, per subject: does that subject reach outside the boundary under the grant's conditions?
    external: Vec<Vec<bool>>,
    /// Per grant, its subjects indexed (a grant may list thousands of principals).
    subjects: Vec<SubjectIndex>,
    by_bucket: HashMap<String, Vec<usize>>,
    vars: Variables,
    action_rows: HashMap<usize, Vec<bool>>,
    resource_rows: HashMap<usize, Vec<Tri>>,
}

impl<'p> GrantTable<'p> {
    fn new(grants: Vec<Grant<'p>>, ctx: &Context<'_>, vars: Variables) -> GrantTable<'p> {
        let mut by_bucket: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, grant) in grants.iter().enumerate() {
            for subject in &grant.subjects {
                by_bucket.entry(subject_bucket(subject)).or_default().push(i);
            }
        }
        for list in by_bucket.values_mut() {
            list.dedup();
        }
        let external = grants
            .iter()
            .map(|grant| {
                grant
                    .subjects
                    .iter()
                    .map(|s| {
                        classify(s, &grant.statement.conditions, ctx.boundary, ctx.partition).0
                            != Reach::Internal
                    })
                    .collect()
            })
            .collect();
        let subjects = grants.iter().map(|g| SubjectIndex::new(&g.subjects)).collect();
        GrantTable {
            grants,
            external,
            subjects,
            by_bucket,
            vars,
            action_rows: HashMap::new(),
            resource_rows: HashMap::new(),
        }
    }

    fn ensure_rows(
        &mut self,
        actions: &Interner,
        action_ids: &[usize],
        resources: &Interner,
        resource_ids: &[usize],
    ) {
        for &id in action_ids {
            if !self.action_rows.contains_key(&id) {
                let pattern = &actions.patterns[id];
                let row = self
                    .grants
                    .iter()
                    .map(|g| action_included(pattern, &g.statement.actions))
                    .collect();
                self.action_rows.insert(id, row);
            }
        }
        for &id in resource_ids {
            if !self.resource_rows.contains_key(&id) {
                let pattern = &resources.patterns[id];
                let row = self
                    .grants
                    .iter()
                    .map(|g| resource_included(pattern, &g.resources, self.vars))
                    .collect();
                self.resource_rows.insert(id, row);
            }
        }
    }

    /// Old grants with a subject that contains the new subject (or the principal it is pinned to).
    fn candidates(&self, subject: &Subject, pinned: Option<&Principal>) -> Vec<Candidate> {
        let mut keys = vec!["*".to_string(), subject_bucket(subject)];
        if let Some(pinned) = pinned {
            keys.push(bucket(pinned));
        }
        let mut found: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.by_bucket.get(k))
            .flat_map(|list| list.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        let pinned_subject = pinned.map(|p| Subject::One(p.clone()));
        found
            .into_iter()
            .filter_map(|grant| {
                let index = &self.subjects[grant];
                let mut matching = index.containing(subject);
                if let Some(pinned) = &pinned_subject {
                    matching.extend(index.containing(pinned));
                }
                (!matching.is_empty()).then(|| Candidate {
                    grant,
                    external: matching.iter().any(|&i| self.external[grant][i]),
                    conditions: None,
                })
            })
            .collect()
    }
}

/// An old grant whose principal covers a new subject; the condition answer is computed on first use.
struct Candidate {
    grant: usize,
    /// An old grant that only reached the boundary does not make this "the same external principal".
    external: bool,
    /// Whether the atom's conditions imply the grant's (computed on first use).
    conditions: Option<bool>,
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
    fn add(
        &mut self,
        statement: &Statement,
        subject: &Subject,
        grant: (&Pattern, &Pattern),
        kind: WideningKind,
        reason: String,
    ) {
        let key = (subject_text(subject, self.partition), kind, statement.index);
        let entry = self.found.entry(key).or_insert_with(|| Found {
            sid: statement.sid.clone(),
            actions: BTreeSet::new(),
            resources: BTreeSet::new(),
            reasons: Vec::new(),
        });
        entry.actions.insert(grant.0.render());
        entry.resources.insert(grant.1.render());
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

fn new_principal_reason(
    subject: &Subject,
    reach: Reach,
    conditions: &[ConditionEntry],
) -> (WideningKind, String) {
    match (subject, reach) {
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
            format!(
                "federated identity provider newly trusted; {}",
                federated_detail(conditions)
            ),
        ),
        (_, Reach::Service) => (
            WideningKind::Service,
            "service principal not pinned to the trust boundary by aws:SourceAccount, aws:SourceArn or \
             aws:SourceOrgID"
                .to_string(),
        ),
        (Subject::One(Principal::Any), _) => match foreign_orgs(conditions) {
            Some(orgs) => (
                WideningKind::ExternalAccount,
                format!(
                    "any principal in organization {orgs}, which is outside the trust boundary, newly trusted"
                ),
            ),
            None => (
                WideningKind::ExternalAccount,
                "principal outside the trust boundary newly trusted".to_string(),
            ),
        },
        _ => (
            WideningKind::ExternalAccount,
            "principal outside the trust boundary newly trusted".to_string(),
        ),
    }
}

/// The organizations a strict `aws:PrincipalOrgID` test names, for the message of a `*` confined to them.
fn foreign_orgs(conditions: &[ConditionEntry]) -> Option<String> {
    let entry = conditions
        .iter()
        .find(|e| e.key == "aws:principalorgid" && e.operator.is_strict_positive())?;
    Some(entry.values.iter().cloned().collect::<Vec<_>>().join(", "))
}

/// Which claim of a federated grant is missing or too wide.
fn federated_detail(conditions: &[ConditionEntry]) -> String {
    let subs: Vec<&ConditionEntry> = conditions
        .iter()
        .filter(|e| e.key.ends_with(":sub") && e.operator.is_strict_positive())
        .collect();
    if subs.is_empty() {
        return "no condition on the sub claim: every identity of the provider may assume it".to_string();
    }
    let values: Vec<&String> = subs.iter().flat_map(|e| e.values.iter()).collect();
    let rendered = values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The owner is complete when a separator follows it before the first wildcard (`repo:acme/…`).
    let owner_complete = |value: &str| {
        let literal = &value[..value.find(['*', '?']).unwrap_or(value.len())];
        literal
            .split_once(':')
            .is_some_and(|(_, rest)| rest.contains(['/', ':']) || !value.contains(['*', '?']))
    };
    if values.iter().all(|v| !v.contains(['*', '?'])) {
        format!(
            "the sub claim is pinned ({rendered}), but not to an owner declared in the boundary block \
             (github_owners, gitlab_groups, terraform_organizations)"
        )
    } else if values.iter().all(|v| owner_complete(v)) {
        format!(
            "the sub claim {rendered} is confined to an owner, but not to one declared in the boundary block \
             (github_owners, gitlab_groups, terraform_organizations)"
        )
    } else {
        format!(
            "the sub claim {rendered} is too wide: a wildcard inside or before the owner's name matches other \
             owners too"
        )
    }
}

/// Every external Allow atom of `new` that no single old Allow grant covers, plus Deny regressions.
pub(crate) fn widenings(old: &Policy, new: &Policy, ctx: &Context<'_>) -> (Vec<Widening>, Vec<Inside>) {
    let (old, new) = (&normalize(old), &normalize(new));
    let partition = ctx.partition;
    let vars = Variables {
        new_active: new.version().has_policy_variables(),
        old_active: old.version().has_policy_variables(),
    };
    let mut old_allows = GrantTable::new(grants(old, Effect::Allow, partition), ctx, vars);
    // A new atom that a new Deny fully covers grants nothing.
    let deny_vars = Variables {
        new_active: vars.new_active,
        old_active: vars.new_active,
    };
    let mut new_denies = GrantTable::new(grants(new, Effect::Deny, partition), ctx, deny_vars);
    let (mut actions, mut resources) = (Interner::default(), Interner::default());
    let mut collector = Collector {
        partition,
        found: BTreeMap::new(),
    };
    let mut external_atoms: Vec<ExternalAtom> = Vec::new();
    let mut inside = InsideCollector::default();
    // A role is handed to a PassRole service only within its own account (policies/services.hcl): these
    // are the actions such a service performs on the role.
    let passrole_actions = PatternSet::Only(PASSROLE_ACTIONS.iter().map(|a| a.to_string()).collect());

    // The new policy's own Denies subtracted from its Allows, where that is exact.
    let new_allows = subtract_denies(new, partition, deny_vars);
    for grant in new_allows.iter().map(|s| Grant::new(s, partition)) {
        let action_ids: Vec<usize> = patterns(&grant.statement.actions)
            .iter()
            .map(|p| actions.id(p))
            .collect();
        let resource_ids: Vec<usize> = patterns(&grant.resources)
            .iter()
            .map(|p| resources.id(p))
            .collect();
        old_allows.ensure_rows(&actions, &action_ids, &resources, &resource_ids);
        new_denies.ensure_rows(&actions, &action_ids, &resources, &resource_ids);
        let atoms_per_block = (grant.subjects.len() * action_ids.len() * resource_ids.len()).max(1);
        let max_blocks = (MAX_ATOMS_PER_STATEMENT / atoms_per_block).max(1);
        for block in split_conditions(&grant.statement.conditions, max_blocks) {
            for subject in &grant.subjects {
                let (reach, pinned) = classify(subject, &block, ctx.boundary, partition);
                // Inside for a reason an auditor should see: listed where it would otherwise be new access.
                let subject_inside = if reach == Reach::Internal {
                    match inside_reason(subject, &block, ctx.boundary) {
                        Some(reason) => Some(reason),
                        None => continue,
                    }
                } else {
                    None
                };
                let passrole = ctx.role == PolicyRole::Trust
                    && matches!(subject, Subject::One(Principal::Service(name)) if knowledge().is_passrole(name));
                let mut facts = block.clone();
                facts.extend(derived_facts(&block));
                for principal in [subject_principal(subject), pinned.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    facts.extend(principal_facts(principal, partition));
                }
                let mut candidates = old_allows.candidates(subject, pinned.as_ref());
                let mut denials = new_denies.candidates(subject, pinned.as_ref());
                for &action in &action_ids {
                    let atom_inside = subject_inside.clone().or_else(|| {
                        (passrole && action_included(&actions.patterns[action], &passrole_actions))
                            .then(|| "passrole-service".to_string())
                    });
                    for &resource in &resource_ids {
                        if covered(&new_denies, &mut denials, &facts, action, resource) {
                            continue;
                        }
                        let gap = coverage_gap(&old_allows, &mut candidates, &facts, action, resource);
                        if let Some(reason) = &atom_inside {
                            if gap.is_some() {
                                inside.note(grant.statement, subject, partition, reason.clone());
                            }
                            continue;
                        }
                        let grant_patterns = (&actions.patterns[action], &resources.patterns[resource]);
                        if let Some(gap) = gap {
                            let (kind, reason) = match gap {
                                Gap::Unverifiable(reason) => (WideningKind::Unverifiable, reason),
                                Gap::ConditionWeakened(reason) => (WideningKind::ConditionWeakened, reason),
                                Gap::AccessBroadened(reason) => (WideningKind::AccessBroadened, reason),
                                Gap::NewPrincipal => new_principal_reason(subject, reach, &block),
                            };
                            collector.add(grant.statement, subject, grant_patterns, kind, reason);
                        }
                        external_atoms.push(ExternalAtom {
                            statement: grant.statement,
                            subject: subject.clone(),
                            action,
                            resource,
                        });
                    }
                }
            }
        }
    }

    let interned = (&actions, &resources);
    deny_regressions(
        old,
        new,
        partition,
        vars,
        (&external_atoms, interned),
        &mut collector,
    );
    (collector.into_widenings(), inside.into_list())
}

/// The actions a PassRole service performs on a role it was handed.
const PASSROLE_ACTIONS: [&str; 3] = ["sts:assumerole", "sts:tagsession", "sts:setsourceidentity"];

/// Grants of the new policy judged inside the boundary for a reason worth showing an auditor.
#[derive(Default)]
struct InsideCollector {
    found: BTreeMap<(String, usize, String), Option<String>>,
}

impl InsideCollector {
    fn note(&mut self, statement: &Statement, subject: &Subject, partition: &str, reason: String) {
        self.found
            .entry((subject_text(subject, partition), statement.index, reason))
            .or_insert_with(|| statement.sid.clone());
    }

    fn into_list(self) -> Vec<Inside> {
        self.found
            .into_iter()
            .map(|((principal, statement, reason), sid)| Inside {
                principal,
                statement,
                sid,
                reason,
            })
            .collect()
    }
}

fn subject_principal(subject: &Subject) -> Option<&Principal> {
    match subject {
        Subject::One(principal) => Some(principal),
        Subject::AllExcept(_) => None,
    }
}

/// Does a single grant of the table contain the atom (principal, action, resource and conditions)?
/// Cheap checks only; the condition answer is cached per candidate.
fn covered(
    table: &GrantTable,
    candidates: &mut [Candidate],
    conditions: &[ConditionEntry],
    action: usize,
    resource: usize,
) -> bool {
    let (action_row, resource_row) = (&table.action_rows[&action], &table.resource_rows[&resource]);
    candidates.iter_mut().any(|candidate| {
        action_row[candidate.grant]
            && resource_row[candidate.grant] == Tri::Yes
            && *candidate.conditions.get_or_insert_with(|| {
                conditions_hold(
                    conditions,
                    &table.grants[candidate.grant].statement.conditions,
                    table.vars,
                )
            })
    })
}

/// `None` when some old grant covers the atom; otherwise the most specific explanation.
fn coverage_gap(
    old: &GrantTable,
    candidates: &mut [Candidate],
    conditions: &[ConditionEntry],
    action: usize,
    resource: usize,
) -> Option<Gap> {
    let (action_row, resource_row) = (&old.action_rows[&action], &old.resource_rows[&resource]);
    let mut best: Option<Gap> = None;
    let mut note = |gap: Gap| {
        if best.as_ref().is_none_or(|current| gap < *current) {
            best = Some(gap);
        }
    };
    if covered(old, candidates, conditions, action, resource) {
        return None;
    }
    // Only for uncovered atoms: the most specific explanation, only for uncovered atoms: the most specific explanation.
    for candidate in candidates.iter().filter(|c| c.external) {
        let (action_ok, resource_ok) = (action_row[candidate.grant], resource_row[candidate.grant]);
        if action_ok && resource_ok == Tri::Yes {
            let old_conditions = &old.grants[candidate.grant].statement.conditions;
            match conditions_imply(conditions, old_conditions, old.vars) {
                Decision::Holds => {}
                Decision::Unknown(reason) => note(Gap::Unverifiable(reason)),
                Decision::Fails(reason) => note(Gap::ConditionWeakened(reason)),
            }
        } else {
            if action_ok && resource_ok == Tri::Unknown {
                note(Gap::Unverifiable(
                    "resource uses a policy variable and cannot be compared".to_string(),
                ));
            } else {
                note(Gap::AccessBroadened(
                    "more actions or resources for a principal trusted before".to_string(),
                ));
            }
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
    (atoms, (actions, resources)): (&[ExternalAtom], (&Interner, &Interner)),
    collector: &mut Collector,
) {
    if atoms.is_empty() {
        return;
    }
    // The old deny plays the "new" side of the implication: region(old deny) ⊆ region(new deny).
    let deny_vars = Variables {
        new_active: vars.old_active,
        old_active: vars.new_active,
    };
    let new_denies = grants(new, Effect::Deny, partition);
    let new_deny_subjects: Vec<SubjectIndex> = new_denies
        .iter()
        .map(|d| SubjectIndex::new(&d.subjects))
        .collect();
    for old_deny in grants(old, Effect::Deny, partition) {
        let mut conditions_ok: Vec<Option<bool>> = vec![None; new_denies.len()];
        let label = match &old_deny.statement.sid {
            Some(sid) => format!("Deny statement {} ({sid:?})", old_deny.statement.index),
            None => format!("Deny statement {}", old_deny.statement.index),
        };
        for action in patterns(&old_deny.statement.actions) {
            for resource in patterns(&old_deny.resources) {
                // The new Denies that still cover this action and resource under the old Deny's conditions;
                // an old subject inside one of them is preserved.
                let covering: Vec<usize> = (0..new_denies.len())
                    .filter(|&i| {
                        let d = &new_denies[i];
                        action_included(&action, &d.statement.actions)
                            && resource_included(&resource, &d.resources, deny_vars) == Tri::Yes
                            && *conditions_ok[i].get_or_insert_with(|| {
                                conditions_hold(
                                    &old_deny.statement.conditions,
                                    &d.statement.conditions,
                                    deny_vars,
                                )
                            })
                    })
                    .collect();
                let open = SubjectOverlap::new(old_deny.subjects.iter().filter(|subject| {
                    !covering
                        .iter()
                        .any(|&i| !new_deny_subjects[i].containing(subject).is_empty())
                }));
                if open.is_empty() {
                    continue;
                }
                let action_overlap: Vec<bool> = actions
                    .patterns
                    .iter()
                    .map(|p| actions_overlap(p, &action))
                    .collect();
                let resource_overlap: Vec<bool> = resources
                    .patterns
                    .iter()
                    .map(|p| resources_overlap(p, &resource))
                    .collect();
                for atom in atoms {
                    if action_overlap[atom.action]
                        && resource_overlap[atom.resource]
                        && open.overlaps(&atom.subject)
                    {
                        collector.add(
                            atom.statement,
                            &atom.subject,
                            (&actions.patterns[atom.action], &resources.patterns[atom.resource]),
                            WideningKind::DenyRemoved,
                            format!("{label} of the old policy no longer applies to this grant"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Operator;

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
        let blocks = split_conditions(
            &[
                entry("StringEquals", "a", &["1", "2"]),
                entry("StringLike", "b", &["x", "y", "z"]),
                entry("StringNotEquals", "c", &["p", "q"]),
            ],
            MAX_CONDITION_SPLITS,
        );
        assert_eq!(blocks.len(), 6);
        assert!(blocks.iter().all(|b| b.len() == 3));
        let many: Vec<String> = (0..70).map(|i| format!("v{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            split_conditions(&[entry("StringEquals", "a", &many)], MAX_CONDITION_SPLITS).len(),
            1
        );
        assert_eq!(
            split_conditions(&[entry("StringEquals", "a", &["1", "2"])], 1).len(),
            1
        );
    }
}
