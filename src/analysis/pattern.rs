//! Actions and resources of atoms: `Action`/`NotAction` and `Resource`/`NotResource` patterns, their
//! inclusion and overlap (docs/iam-semantics.md sections 1.3, 1.4 and 4.2 step 4), with policy variables
//! in resources handled soundly.

use std::collections::BTreeSet;

use crate::policy::PatternSet;
use crate::policy::arn::{arn_included, arn_intersects, split_arn};
use crate::policy::glob::{canonical, glob_included, glob_intersects};

use super::implication::Variables;

/// One action or resource of an atom.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

pub(crate) fn patterns(set: &PatternSet) -> Vec<Pattern> {
    match set {
        PatternSet::Only(items) => items.iter().map(|item| Pattern::One(item.clone())).collect(),
        PatternSet::AllExcept(items) => vec![Pattern::AllExcept(items.clone())],
    }
}

/// Three-valued answer for resource inclusion (policy variables make it undecidable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    Yes,
    No,
    Unknown,
}

pub(crate) fn action_included(action: &Pattern, actions: &PatternSet) -> bool {
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

pub(crate) fn actions_overlap(a: &Pattern, b: &Pattern) -> bool {
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

pub(crate) fn resource_included(resource: &Pattern, resources: &PatternSet, vars: Variables) -> Tri {
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
pub(crate) fn resources_overlap(a: &Pattern, b: &Pattern) -> bool {
    match (a, b) {
        (Pattern::One(a), Pattern::One(b)) => a.contains("${") || b.contains("${") || arn_intersects(a, b),
        (Pattern::One(a), Pattern::AllExcept(set)) | (Pattern::AllExcept(set), Pattern::One(a)) => {
            a.contains("${") || !set.iter().any(|x| !x.contains("${") && arn_included(a, x))
        }
        (Pattern::AllExcept(_), Pattern::AllExcept(_)) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
