//! `C_new ⇒ C_old`: is the new condition block at least as strict as the old one?
//! (docs/iam-semantics.md section 4.4). Sufficient rule: every old entry is implied by some new entry on
//! the same key; extra new entries only strengthen an AND.

use crate::policy::arn::{arn_included, arn_intersects, arn_matches};
use crate::policy::cidr::Network;
use crate::policy::condition::{parse_date_seconds, render_values};
use crate::policy::glob::{glob_included, glob_intersects, glob_matches, has_wildcards};
use crate::policy::{Comparison, ConditionEntry, OperatorBase, SetQualifier, StringMode};

/// Outcome of an implication check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    Holds,
    /// Provably not implied (or not provable by the sufficient rules); the text says what changed.
    Fails(String),
    /// Cannot be decided offline (policy variables, unsupported operators, unreadable values).
    Unknown(String),
}

/// Whether `${…}` is a policy variable on each side (it is literal text under version 2008-10-17).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Variables {
    pub new_active: bool,
    pub old_active: bool,
}

fn has_variable(entry: &ConditionEntry) -> bool {
    entry.values.iter().any(|v| v.contains("${"))
}

/// Textually the same test, and `${…}` (if any) means the same on both sides.
fn identical(new: &ConditionEntry, old: &ConditionEntry, vars: Variables) -> bool {
    new.same_test(old) && (!has_variable(new) || vars.new_active == vars.old_active)
}

/// Does the AND of `new` imply the AND of `old`?
pub(crate) fn conditions_imply(new: &[ConditionEntry], old: &[ConditionEntry], vars: Variables) -> Decision {
    let mut unknown = None;
    for old_entry in old {
        if new.iter().any(|n| identical(n, old_entry, vars)) {
            continue;
        }
        let mut first_failure = None;
        let mut entry_unknown = None;
        let mut holds = false;
        for new_entry in new.iter().filter(|n| n.key == old_entry.key) {
            match entry_implies(new_entry, old_entry, vars) {
                Decision::Holds => {
                    holds = true;
                    break;
                }
                Decision::Unknown(reason) => entry_unknown = entry_unknown.or(Some(reason)),
                Decision::Fails(reason) => first_failure = first_failure.or(Some(reason)),
            }
        }
        if holds {
            continue;
        }
        match (entry_unknown, first_failure) {
            (Some(reason), _) => unknown = unknown.or(Some(reason)),
            (None, Some(reason)) => return Decision::Fails(reason),
            (None, None) => return Decision::Fails(format!("{} condition removed", old_entry.key_text)),
        }
    }
    unknown.map_or(Decision::Holds, Decision::Unknown)
}

/// Fast, allocation-free conditions check: `true` iff [`conditions_imply`] would answer `Holds`.
pub(crate) fn conditions_hold(new: &[ConditionEntry], old: &[ConditionEntry], vars: Variables) -> bool {
    old.iter().all(|o| {
        new.iter()
            .any(|n| n.key == o.key && entry_check(n, o, vars) == Check::Holds)
    })
}

/// The outcome of one entry pair, before any message is written.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    Holds,
    Variable,
    UnknownOperator,
    Unreadable(String),
    OperatorChanged,
    ValuesDiffer,
}

fn entry_check(new: &ConditionEntry, old: &ConditionEntry, vars: Variables) -> Check {
    if identical(new, old, vars) {
        return Check::Holds;
    }
    if (vars.new_active && has_variable(new)) || (vars.old_active && has_variable(old)) {
        return Check::Variable;
    }
    if [new, old]
        .iter()
        .any(|e| matches!(e.operator.base, OperatorBase::Unknown(_)))
    {
        return Check::UnknownOperator;
    }
    // An IfExists test passes when the key is absent; a plain one does not.
    if new.operator.if_exists && !old.operator.if_exists {
        return Check::OperatorChanged;
    }
    let qualifiers_fit = new.operator.qualifier == old.operator.qualifier
        || (new.operator.qualifier == SetQualifier::Single
            && old.operator.qualifier == SetQualifier::ForAllValues);
    if !qualifiers_fit {
        return Check::OperatorChanged;
    }
    match values_imply(new, old) {
        None => Check::OperatorChanged,
        Some(Decision::Holds) => Check::Holds,
        Some(Decision::Fails(_)) => Check::ValuesDiffer,
        Some(Decision::Unknown(reason)) => Check::Unreadable(reason),
    }
}

/// One new entry against one old entry on the same key, with an explanation when it does not hold.
pub(crate) fn entry_implies(new: &ConditionEntry, old: &ConditionEntry, vars: Variables) -> Decision {
    match entry_check(new, old, vars) {
        Check::Holds => Decision::Holds,
        Check::Variable => Decision::Unknown(format!(
            "policy variable in the {} condition cannot be compared",
            old.key_text
        )),
        Check::UnknownOperator => {
            let unknown = if matches!(new.operator.base, OperatorBase::Unknown(_)) {
                new
            } else {
                old
            };
            Decision::Unknown(format!(
                "unsupported condition operator {} on {}",
                unknown.operator, unknown.key_text
            ))
        }
        Check::Unreadable(reason) => Decision::Unknown(reason),
        Check::OperatorChanged => Decision::Fails(operator_change_message(new, old)),
        Check::ValuesDiffer => describe_value_change(new, old)
            .unwrap_or_else(|| Decision::Fails(operator_change_message(new, old))),
    }
}

fn operator_change_message(new: &ConditionEntry, old: &ConditionEntry) -> String {
    let wildcards_activated = matches!(
        (&old.operator.base, &new.operator.base),
        (
            OperatorBase::Text {
                mode: StringMode::Exact,
                ..
            },
            OperatorBase::Text {
                mode: StringMode::Like | StringMode::Arn,
                ..
            }
        )
    ) && new.values.iter().any(|v| has_wildcards(v));
    let note = if wildcards_activated {
        " (\"*\" and \"?\" now act as wildcards)"
    } else {
        ""
    };
    format!(
        "{} changed to {} on {}{note}",
        old.operator, new.operator, old.key_text
    )
}

/// Explains a failed value test when the values changed (rather than only the operator), e.g.
/// `…:sub broadened from "repo:o/app:ref:refs/heads/main" to "repo:o/app:*" (StringEquals → StringLike)`.
fn describe_value_change(new: &ConditionEntry, old: &ConditionEntry) -> Option<Decision> {
    if new.values == old.values {
        return None;
    }
    let comparable_operators = new.operator == old.operator
        || (matches!(new.operator.base, OperatorBase::Text { .. })
            && matches!(old.operator.base, OperatorBase::Text { .. })
            && new.operator.is_negated() == old.operator.is_negated()
            && new.operator.qualifier == old.operator.qualifier
            && new.operator.if_exists == old.operator.if_exists);
    if !comparable_operators {
        return None;
    }
    let operator_note = if new.operator == old.operator {
        String::new()
    } else {
        format!(" ({} → {})", old.operator, new.operator)
    };
    let (key, before, after) = (
        &old.key_text,
        render_values(&old.values),
        render_values(&new.values),
    );
    let message = if old.operator.is_negated() {
        format!("{key} exclusions changed from {before} to {after}{operator_note}")
    } else if values_imply(old, new) == Some(Decision::Holds) {
        format!("{key} broadened from {before} to {after}{operator_note}")
    } else {
        format!("{key} now accepts {after} (before: {before}){operator_note}")
    };
    Some(Decision::Fails(message))
}

/// The value part of the implication; `None` when the operator families are not comparable.
fn values_imply(new: &ConditionEntry, old: &ConditionEntry) -> Option<Decision> {
    let verdict = |holds: bool| {
        if holds {
            Decision::Holds
        } else {
            Decision::Fails(String::new())
        }
    };
    let result = match (&new.operator.base, &old.operator.base) {
        (
            OperatorBase::Text {
                mode: new_mode,
                negated: new_negated,
            },
            OperatorBase::Text {
                mode: old_mode,
                negated: old_negated,
            },
        ) => {
            let new_sets: Vec<ValueSet> = new.values.iter().map(|v| ValueSet::new(*new_mode, v)).collect();
            let old_sets: Vec<ValueSet> = old.values.iter().map(|v| ValueSet::new(*old_mode, v)).collect();
            verdict(match (new_negated, old_negated) {
                (false, false) => new_sets.iter().all(|n| old_sets.iter().any(|o| n.subset_of(o))),
                // Negated lists mean "none of": the old excluded set must stay excluded.
                (true, true) => old_sets.iter().all(|o| new_sets.iter().any(|n| o.subset_of(n))),
                (false, true) => new_sets
                    .iter()
                    .all(|n| old_sets.iter().all(|o| n.disjoint_from(o))),
                (true, false) => false,
            })
        }
        (OperatorBase::Numeric(n), OperatorBase::Numeric(o)) => {
            return Some(ranges_imply(*n, &new.values, *o, &old.values, |v| {
                v.trim().parse::<f64>().ok()
            }));
        }
        (OperatorBase::Date(n), OperatorBase::Date(o)) => {
            return Some(ranges_imply(*n, &new.values, *o, &old.values, parse_date_seconds));
        }
        (OperatorBase::Bool, OperatorBase::Bool) | (OperatorBase::Binary, OperatorBase::Binary) => {
            verdict(new.values.is_subset(&old.values))
        }
        (OperatorBase::Null, OperatorBase::Null) => verdict(new.values == old.values),
        // A strict positive test needs the key to be present: it implies `Null: false`.
        (_, OperatorBase::Null) => {
            verdict(new.operator.is_strict_positive() && old.values.iter().all(|v| v == "false"))
        }
        (OperatorBase::Ip { negated: new_negated }, OperatorBase::Ip { negated: old_negated }) => {
            let parse = |values: &std::collections::BTreeSet<String>| -> Option<Vec<Network>> {
                values.iter().map(|v| Network::parse(v)).collect()
            };
            let (Some(new_nets), Some(old_nets)) = (parse(&new.values), parse(&old.values)) else {
                return Some(Decision::Unknown(format!(
                    "unreadable IP address in the {} condition",
                    old.key_text
                )));
            };
            verdict(match (new_negated, old_negated) {
                (false, false) => new_nets.iter().all(|n| old_nets.iter().any(|o| o.contains(n))),
                (true, true) => old_nets.iter().all(|o| new_nets.iter().any(|n| n.contains(o))),
                (false, true) => new_nets.iter().all(|n| old_nets.iter().all(|o| !n.overlaps(o))),
                (true, false) => false,
            })
        }
        _ => return None,
    };
    Some(result)
}

/// The set of strings one condition value stands for under its operator.
#[derive(Debug, Clone, Copy)]
enum ValueSet<'a> {
    Literal(&'a str),
    Glob(&'a str),
    Arn(&'a str),
    /// Every case variant of the text.
    Folded(&'a str),
}

impl<'a> ValueSet<'a> {
    fn new(mode: StringMode, value: &'a str) -> ValueSet<'a> {
        match mode {
            StringMode::Exact => ValueSet::Literal(value),
            StringMode::IgnoreCase if value.to_lowercase() == value.to_uppercase() => {
                ValueSet::Literal(value)
            }
            StringMode::IgnoreCase => ValueSet::Folded(value),
            StringMode::Like if !has_wildcards(value) => ValueSet::Literal(value),
            StringMode::Like => ValueSet::Glob(value),
            StringMode::Arn => ValueSet::Arn(value),
        }
    }

    fn subset_of(&self, other: &ValueSet) -> bool {
        use ValueSet::*;
        match (*self, *other) {
            (_, Glob("*")) | (_, Arn("*")) => true,
            (Literal(a), Literal(b)) => a == b,
            (Literal(a), Glob(b)) => glob_matches(b, a),
            (Literal(a), Arn(b)) => arn_matches(b, a),
            (Literal(a), Folded(b)) => a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase(),
            (Glob(a), Glob(b)) => glob_included(a, b),
            // ARN-pattern strings are a subset of the same text read as a whole-string glob.
            (Arn(a), Glob(b)) => glob_included(a, b),
            (Arn(a), Arn(b)) => arn_included(a, b),
            (Arn(a), Literal(b)) => !has_wildcards(a) && a == b,
            (Arn(a), Folded(b)) => !has_wildcards(a) && a.to_lowercase() == b.to_lowercase(),
            (Folded(a), Folded(b)) => a.to_lowercase() == b.to_lowercase(),
            (Glob(_), _) | (Folded(_), _) => false,
        }
    }

    fn disjoint_from(&self, other: &ValueSet) -> bool {
        use ValueSet::*;
        match (*self, *other) {
            (Literal(a), Literal(b)) => a != b,
            (Literal(a), Glob(b)) | (Glob(b), Literal(a)) => !glob_matches(b, a),
            (Literal(a), Arn(b)) | (Arn(b), Literal(a)) => !arn_matches(b, a),
            (Literal(a), Folded(b)) | (Folded(b), Literal(a)) | (Folded(a), Folded(b)) => {
                a.to_lowercase() != b.to_lowercase()
            }
            (Glob(a), Glob(b)) | (Glob(a), Arn(b)) | (Arn(a), Glob(b)) => !glob_intersects(a, b),
            (Arn(a), Arn(b)) => !arn_intersects(a, b),
            (Folded(_), _) | (_, Folded(_)) => false,
        }
    }
}

/// A numeric/date range: bounds with openness; `NotEquals` is handled separately as excluded points.
#[derive(Debug, Clone, Copy)]
struct Range {
    low: f64,
    low_open: bool,
    high: f64,
    high_open: bool,
}

impl Range {
    fn of(comparison: Comparison, v: f64) -> Option<Range> {
        let (inf, open, closed) = (f64::INFINITY, true, false);
        Some(match comparison {
            Comparison::Equals => Range {
                low: v,
                low_open: closed,
                high: v,
                high_open: closed,
            },
            Comparison::LessThan => Range {
                low: -inf,
                low_open: open,
                high: v,
                high_open: open,
            },
            Comparison::LessThanEquals => Range {
                low: -inf,
                low_open: open,
                high: v,
                high_open: closed,
            },
            Comparison::GreaterThan => Range {
                low: v,
                low_open: open,
                high: inf,
                high_open: open,
            },
            Comparison::GreaterThanEquals => Range {
                low: v,
                low_open: closed,
                high: inf,
                high_open: open,
            },
            Comparison::NotEquals => return None,
        })
    }

    fn contains_range(&self, inner: &Range) -> bool {
        let low_ok = self.low < inner.low || (self.low == inner.low && (!self.low_open || inner.low_open));
        let high_ok =
            self.high > inner.high || (self.high == inner.high && (!self.high_open || inner.high_open));
        low_ok && high_ok
    }

    fn contains_point(&self, v: f64) -> bool {
        (self.low < v || (self.low == v && !self.low_open))
            && (v < self.high || (v == self.high && !self.high_open))
    }
}

fn ranges_imply(
    new_comparison: Comparison,
    new_values: &std::collections::BTreeSet<String>,
    old_comparison: Comparison,
    old_values: &std::collections::BTreeSet<String>,
    parse: impl Fn(&str) -> Option<f64>,
) -> Decision {
    let numbers = |values: &std::collections::BTreeSet<String>| -> Option<Vec<f64>> {
        values.iter().map(|v| parse(v)).collect()
    };
    let (Some(new_numbers), Some(old_numbers)) = (numbers(new_values), numbers(old_values)) else {
        return Decision::Unknown("unreadable numeric or date condition value".to_string());
    };
    let holds = match (
        new_comparison == Comparison::NotEquals,
        old_comparison == Comparison::NotEquals,
    ) {
        (false, false) => new_numbers.iter().all(|n| {
            let Some(inner) = Range::of(new_comparison, *n) else {
                return false;
            };
            old_numbers
                .iter()
                .any(|o| Range::of(old_comparison, *o).is_some_and(|outer| outer.contains_range(&inner)))
        }),
        (false, true) => new_numbers.iter().all(|n| {
            Range::of(new_comparison, *n)
                .is_some_and(|inner| old_numbers.iter().all(|o| !inner.contains_point(*o)))
        }),
        (true, true) => old_numbers.iter().all(|o| new_numbers.contains(o)),
        (true, false) => false,
    };
    if holds {
        Decision::Holds
    } else {
        Decision::Fails(String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Operator;

    const VARS: Variables = Variables {
        new_active: true,
        old_active: true,
    };

    fn entry(op: &str, key: &str, values: &[&str]) -> ConditionEntry {
        ConditionEntry {
            operator: Operator::parse(op),
            key: key.to_lowercase(),
            key_text: key.to_string(),
            values: values.iter().map(|v| crate::policy::glob::canonical(v)).collect(),
        }
    }

    fn implies(new: ConditionEntry, old: ConditionEntry) -> bool {
        conditions_imply(&[new], &[old], VARS) == Decision::Holds
    }

    const SUB: &str = "token.actions.githubusercontent.com:sub";

    #[test]
    fn string_rows() {
        assert!(implies(
            entry("StringEquals", SUB, &["a"]),
            entry("StringEquals", SUB, &["a", "b"])
        ));
        assert!(!implies(
            entry("StringEquals", SUB, &["a", "b"]),
            entry("StringEquals", SUB, &["a"])
        ));
        assert!(implies(
            entry("StringEquals", SUB, &["repo:o/app:ref:x"]),
            entry("StringLike", SUB, &["repo:o/app:*"])
        ));
        assert!(implies(
            entry("StringLike", SUB, &["repo:o/app:*"]),
            entry("StringLike", SUB, &["repo:o/*"])
        ));
        assert!(!implies(
            entry("StringLike", SUB, &["repo:o/*"]),
            entry("StringLike", SUB, &["repo:o/app:*"])
        ));
        assert!(implies(
            entry("StringLike", SUB, &["literal"]),
            entry("StringEquals", SUB, &["literal"])
        ));
        assert!(!implies(
            entry("StringLike", SUB, &["repo:*"]),
            entry("StringEquals", SUB, &["repo:*"])
        ));
        assert!(implies(
            entry("StringEquals", SUB, &["Abc"]),
            entry("StringEqualsIgnoreCase", SUB, &["aBC"])
        ));
        assert!(!implies(
            entry("StringEqualsIgnoreCase", SUB, &["abc"]),
            entry("StringEquals", SUB, &["abc"])
        ));
        assert!(implies(
            entry("StringNotEquals", "k", &["a", "b"]),
            entry("StringNotEquals", "k", &["a"])
        ));
        assert!(!implies(
            entry("StringNotEquals", "k", &["a"]),
            entry("StringNotEquals", "k", &["a", "b"])
        ));
        assert!(implies(
            entry("StringNotLike", "k", &["a*"]),
            entry("StringNotLike", "k", &["ab*"])
        ));
        assert!(implies(
            entry("StringEquals", "k", &["x"]),
            entry("StringNotEquals", "k", &["y"])
        ));
    }

    #[test]
    fn if_exists_and_qualifier_rows() {
        let plain = entry("StringEquals", "sts:ExternalId", &["abc"]);
        let if_exists = entry("StringEqualsIfExists", "sts:ExternalId", &["abc"]);
        assert!(implies(plain.clone(), if_exists.clone()));
        assert!(!implies(if_exists.clone(), plain.clone()));
        let reason = conditions_imply(&[if_exists], std::slice::from_ref(&plain), VARS);
        assert_eq!(
            reason,
            Decision::Fails("StringEquals changed to StringEqualsIfExists on sts:ExternalId".to_string())
        );
        let for_all = entry("ForAllValues:StringEquals", "sts:ExternalId", &["abc"]);
        assert!(!implies(for_all.clone(), plain.clone()));
        assert!(implies(for_all.clone(), for_all));
        assert_eq!(
            conditions_imply(&[], &[plain], VARS),
            Decision::Fails("sts:ExternalId condition removed".to_string())
        );
    }

    #[test]
    fn arn_ip_numeric_bool_null_rows() {
        let arn = "aws:PrincipalArn";
        assert!(implies(
            entry("ArnEquals", arn, &["arn:aws:iam::2:role/ci"]),
            entry("ArnLike", arn, &["arn:aws:iam::2:role/*"])
        ));
        assert!(!implies(
            entry("ArnLike", arn, &["arn:aws:iam::2:role/*"]),
            entry("ArnLike", arn, &["arn:aws:iam::2:role/ci"])
        ));
        let ip = "aws:SourceIp";
        assert!(implies(
            entry("IpAddress", ip, &["203.0.113.0/25"]),
            entry("IpAddress", ip, &["203.0.113.0/24"])
        ));
        assert!(!implies(
            entry("IpAddress", ip, &["0.0.0.0/0"]),
            entry("IpAddress", ip, &["203.0.113.0/24"])
        ));
        assert!(implies(
            entry("NotIpAddress", ip, &["10.0.0.0/8"]),
            entry("NotIpAddress", ip, &["10.1.0.0/16"])
        ));
        assert!(implies(
            entry("NumericLessThan", "n", &["5"]),
            entry("NumericLessThanEquals", "n", &["5"])
        ));
        assert!(!implies(
            entry("NumericLessThanEquals", "n", &["5"]),
            entry("NumericLessThan", "n", &["5"])
        ));
        assert!(implies(
            entry("DateLessThan", "d", &["2020-01-01"]),
            entry("DateLessThan", "d", &["2021-01-01T00:00:00Z"])
        ));
        assert!(implies(
            entry("Bool", "b", &["true"]),
            entry("Bool", "b", &["true"])
        ));
        assert!(!implies(
            entry("Bool", "b", &["false"]),
            entry("Bool", "b", &["true"])
        ));
        assert!(implies(
            entry("StringEquals", "k", &["v"]),
            entry("Null", "k", &["false"])
        ));
    }

    #[test]
    fn variables_and_unknown_operators_are_unknown_unless_identical() {
        let with_var = entry("StringLike", "s3:prefix", &["home/${aws:username}/*"]);
        assert!(implies(with_var.clone(), with_var.clone()));
        let other = entry("StringLike", "s3:prefix", &["home/*"]);
        assert!(matches!(
            conditions_imply(std::slice::from_ref(&with_var), &[other], VARS),
            Decision::Unknown(_)
        ));
        let legacy_to_current = Variables {
            new_active: true,
            old_active: false,
        };
        assert!(matches!(
            conditions_imply(
                std::slice::from_ref(&with_var),
                std::slice::from_ref(&with_var),
                legacy_to_current
            ),
            Decision::Unknown(_)
        ));
        let odd = entry("StringFancy", "k", &["v"]);
        assert!(implies(odd.clone(), odd.clone()));
        assert!(matches!(
            conditions_imply(&[odd], &[entry("StringFancy", "k", &["w"])], VARS),
            Decision::Unknown(_)
        ));
    }
}
