//! The "who can reach it" view: Allow principals with their reach, actions and narrowing conditions.

use std::collections::{BTreeMap, BTreeSet};

use crate::policy::{Effect, Policy, PrincipalClause};

use super::pattern::{Pattern, patterns};
use super::principal::{Subject, classify, principal_text, resolve, subject_text};
use super::{Access, Context, Reach};

/// One entry per distinct principal, sorted by principal text.
pub(crate) fn access(policy: &Policy, ctx: &Context<'_>) -> Vec<Access> {
    let mut by_principal: BTreeMap<String, (Reach, BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for statement in policy.statements().iter().filter(|s| s.effect == Effect::Allow) {
        let mut subjects: Vec<(Subject, Option<String>)> = Vec::new();
        match &statement.principal {
            PrincipalClause::Only(set) => {
                subjects.extend(
                    set.iter()
                        .map(|p| (Subject::One(resolve(p, ctx.partition)), None)),
                );
            }
            PrincipalClause::AllExcept(set) => {
                let except: Vec<String> = set.iter().map(|p| principal_text(p, ctx.partition)).collect();
                let resolved = set.iter().map(|p| resolve(p, ctx.partition)).collect();
                subjects.push((
                    Subject::AllExcept(resolved),
                    Some(format!("except {}", except.join(", "))),
                ));
            }
            PrincipalClause::Absent => {}
        }
        let actions: Vec<String> = patterns(&statement.actions).iter().map(Pattern::render).collect();
        for (subject, except) in subjects {
            let (reach, _) = classify(&subject, &statement.conditions, ctx.boundary, ctx.partition);
            let text = subject_text(&subject, ctx.partition);
            let entry = by_principal
                .entry(text)
                .or_insert((reach, BTreeSet::new(), BTreeSet::new()));
            // The same principal can be internal in one statement and external in another: keep external.
            if entry.0 == Reach::Internal {
                entry.0 = reach;
            }
            entry.1.extend(actions.iter().cloned());
            entry.2.extend(statement.conditions.iter().map(|c| c.render()));
            entry.2.extend(except);
        }
    }
    by_principal
        .into_iter()
        .map(|(principal, (reach, actions, conditions))| Access {
            principal,
            reach,
            actions: actions.into_iter().collect(),
            conditions: conditions.into_iter().collect(),
        })
        .collect()
}
