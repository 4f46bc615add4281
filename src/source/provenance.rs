//! Which comment annotations the change under review wrote: the sources of the working tree against the
//! sources at the base revision (`check --base`, `diff --base`).
//!
//! A comment is `Earlier` when the base has an annotation with the same owner, expiry and justification on
//! the same block (the same resource address; for a statement, the statement with the same `Sid`, else at
//! the same position). Anything else is `ThisChange`: a comment moved to another block or statement
//! approves something it was not given for, so it counts as written anew.

use super::StatementEntry;
use crate::annotation::{CommentAnnotation, Provenance, same_fields};

/// The provenance of `comment` (the working tree's) given `at_base`, the base's annotation on the same
/// block or statement; `Unknown` when there is no base to compare with.
pub fn of_comment(
    have_base: bool,
    comment: Option<&CommentAnnotation>,
    at_base: Option<&CommentAnnotation>,
) -> Provenance {
    match (have_base, comment, at_base) {
        (false, _, _) => Provenance::Unknown,
        (true, Some(now), Some(then)) if same_fields(&now.annotation, &then.annotation) => {
            Provenance::Earlier
        }
        _ => Provenance::ThisChange,
    }
}

/// The base's statement that is `statement`: the one with the same `Sid`, else, for statements without
/// one, the one at the same position.
pub fn same_statement<'a>(
    base: &'a [StatementEntry],
    statement: &StatementEntry,
) -> Option<&'a StatementEntry> {
    match statement.sid.as_deref().filter(|sid| !sid.is_empty()) {
        Some(sid) => base.iter().find(|b| b.sid.as_deref() == Some(sid)),
        None => {
            let index = statement.index?;
            base.iter()
                .find(|b| b.index == Some(index) && b.sid.as_deref().is_none_or(str::is_empty))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::annotation::{Annotation, Origin};

    fn comment(expiry: &str, line: usize) -> CommentAnnotation {
        CommentAnnotation {
            annotation: Annotation {
                owner: Some("@security".to_string()),
                expiry: Some(expiry.to_string()),
                justification: Some("Vendor access, SEC-1".to_string()),
                origin: Origin::Comment {
                    file: PathBuf::from("main.tf"),
                    line,
                    statement: None,
                },
            },
            problems: Vec::new(),
        }
    }

    fn statement(index: Option<usize>, sid: Option<&str>) -> StatementEntry {
        StatementEntry {
            index,
            sid: sid.map(String::from),
            file: PathBuf::from("main.tf"),
            line: 1,
            annotation: None,
        }
    }

    #[test]
    fn the_same_fields_on_another_line_were_there_before() {
        let now = comment("2027-01-31", 12);
        assert_eq!(
            of_comment(true, Some(&now), Some(&comment("2027-01-31", 3))),
            Provenance::Earlier
        );
        assert_eq!(
            of_comment(true, Some(&now), Some(&comment("2026-12-31", 12))),
            Provenance::ThisChange
        );
        assert_eq!(of_comment(true, Some(&now), None), Provenance::ThisChange);
        assert_eq!(of_comment(false, Some(&now), Some(&now)), Provenance::Unknown);
    }

    #[test]
    fn statements_pair_by_sid_then_by_position() {
        let base = vec![statement(Some(0), Some("Vendor")), statement(Some(1), None)];
        let found = same_statement(&base, &statement(Some(1), Some("Vendor")));
        assert_eq!(found.and_then(|s| s.sid.as_deref()), Some("Vendor"));
        assert_eq!(
            same_statement(&base, &statement(Some(1), None)).and_then(|s| s.index),
            Some(1)
        );
        // Position 0 holds a statement with a Sid at the base: a new statement without one is not it.
        assert!(same_statement(&base, &statement(Some(0), None)).is_none());
        assert!(same_statement(&base, &statement(Some(0), Some("Other"))).is_none());
        assert!(same_statement(&base, &statement(None, None)).is_none());
    }
}
