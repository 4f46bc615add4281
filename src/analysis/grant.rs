//! A statement as the comparison sees it: its principals resolved to subjects and its resources made explicit.
//! Shared by the coverage check and the normal form (Deny subtraction).

use std::collections::BTreeSet;

use crate::policy::{PatternSet, PrincipalClause, Statement};

use super::principal::{Subject, resolve};

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
