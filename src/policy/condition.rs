//! Condition operators and entries (docs/iam-semantics.md section 1.5).
//!
//! An operator name is `[ForAnyValue:|ForAllValues:]<Base>[IfExists]`. Operator names are matched exactly
//! (AWS documents case-insensitivity only for key names); an unrecognised base is kept as
//! [`OperatorBase::Unknown`] so the analysis can report it as unverifiable instead of guessing.

use std::collections::BTreeSet;
use std::fmt;

/// How a string-like operator compares values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StringMode {
    /// `StringEquals`: exact, case-sensitive; `*` is a literal character.
    Exact,
    /// `StringEqualsIgnoreCase`.
    IgnoreCase,
    /// `StringLike`: whole-string glob, `*` crosses `:` and `/`.
    Like,
    /// `ArnEquals`/`ArnLike` (normalised to one): component-wise ARN glob.
    Arn,
}

/// Numeric and date comparison kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Comparison {
    Equals,
    NotEquals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

/// The base of an operator, without qualifier and `IfExists`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperatorBase {
    /// String and ARN operators; `negated` for the `Not` forms.
    Text {
        mode: StringMode,
        negated: bool,
    },
    Numeric(Comparison),
    Date(Comparison),
    Bool,
    Binary,
    Ip {
        negated: bool,
    },
    Null,
    /// Not an operator this tool knows; carries the base name as written.
    Unknown(String),
}

/// Multi-valued key qualifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SetQualifier {
    Single,
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Operator {
    pub qualifier: SetQualifier,
    pub base: OperatorBase,
    pub if_exists: bool,
}

const COMPARISONS: [(&str, Comparison); 6] = [
    ("Equals", Comparison::Equals),
    ("NotEquals", Comparison::NotEquals),
    ("LessThan", Comparison::LessThan),
    ("LessThanEquals", Comparison::LessThanEquals),
    ("GreaterThan", Comparison::GreaterThan),
    ("GreaterThanEquals", Comparison::GreaterThanEquals),
];

fn parse_base(name: &str) -> OperatorBase {
    let text = |mode, negated| OperatorBase::Text { mode, negated };
    match name {
        "StringEquals" => text(StringMode::Exact, false),
        "StringNotEquals" => text(StringMode::Exact, true),
        "StringEqualsIgnoreCase" => text(StringMode::IgnoreCase, false),
        "StringNotEqualsIgnoreCase" => text(StringMode::IgnoreCase, true),
        "StringLike" => text(StringMode::Like, false),
        "StringNotLike" => text(StringMode::Like, true),
        "ArnEquals" | "ArnLike" => text(StringMode::Arn, false),
        "ArnNotEquals" | "ArnNotLike" => text(StringMode::Arn, true),
        "Bool" => OperatorBase::Bool,
        "BinaryEquals" => OperatorBase::Binary,
        "IpAddress" => OperatorBase::Ip { negated: false },
        "NotIpAddress" => OperatorBase::Ip { negated: true },
        "Null" => OperatorBase::Null,
        other => {
            let comparison = |rest: &str| COMPARISONS.iter().find(|(n, _)| *n == rest).map(|(_, c)| *c);
            if let Some(c) = other.strip_prefix("Numeric").and_then(comparison) {
                OperatorBase::Numeric(c)
            } else if let Some(c) = other.strip_prefix("Date").and_then(comparison) {
                OperatorBase::Date(c)
            } else {
                OperatorBase::Unknown(other.to_string())
            }
        }
    }
}

impl Operator {
    /// Parses an operator name. Never fails: unknown names become `OperatorBase::Unknown`.
    pub fn parse(name: &str) -> Operator {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (SetQualifier::ForAnyValue, rest)
        } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (SetQualifier::ForAllValues, rest)
        } else {
            (SetQualifier::Single, name)
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) if !base.is_empty() => (base, true),
            _ => (rest, false),
        };
        let mut base = parse_base(base_name);
        // `Null` has no IfExists form; keep the whole name as unknown rather than guess.
        if if_exists && base == OperatorBase::Null {
            base = OperatorBase::Unknown(rest.to_string());
        }
        Operator {
            qualifier,
            base,
            if_exists,
        }
    }

    /// Negated operators are true when the key is absent and their value lists mean "none of".
    pub fn is_negated(&self) -> bool {
        match &self.base {
            OperatorBase::Text { negated, .. } | OperatorBase::Ip { negated } => *negated,
            OperatorBase::Numeric(c) | OperatorBase::Date(c) => *c == Comparison::NotEquals,
            _ => false,
        }
    }

    /// Operators whose value list is a plain OR of single-value tests, so a statement can be split
    /// into one atom per value (docs/iam-semantics.md section 4.2 step 2).
    pub fn values_are_alternatives(&self) -> bool {
        self.qualifier != SetQualifier::ForAllValues
            && !self.is_negated()
            && !matches!(self.base, OperatorBase::Null | OperatorBase::Unknown(_))
    }

    /// A positive test that requires the key to be present and to carry one of the listed values:
    /// no `IfExists`, no `ForAllValues`, not negated.
    pub fn is_strict_positive(&self) -> bool {
        !self.if_exists && self.values_are_alternatives()
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            SetQualifier::Single => {}
            SetQualifier::ForAnyValue => f.write_str("ForAnyValue:")?,
            SetQualifier::ForAllValues => f.write_str("ForAllValues:")?,
        }
        let comparison_name = |c: &Comparison| {
            COMPARISONS
                .iter()
                .find(|(_, x)| x == c)
                .map_or("", |(name, _)| name)
        };
        match &self.base {
            OperatorBase::Text { mode, negated } => {
                let name = match (mode, negated) {
                    (StringMode::Exact, false) => "StringEquals",
                    (StringMode::Exact, true) => "StringNotEquals",
                    (StringMode::IgnoreCase, false) => "StringEqualsIgnoreCase",
                    (StringMode::IgnoreCase, true) => "StringNotEqualsIgnoreCase",
                    (StringMode::Like, false) => "StringLike",
                    (StringMode::Like, true) => "StringNotLike",
                    (StringMode::Arn, false) => "ArnLike",
                    (StringMode::Arn, true) => "ArnNotLike",
                };
                f.write_str(name)?;
            }
            OperatorBase::Numeric(c) => write!(f, "Numeric{}", comparison_name(c))?,
            OperatorBase::Date(c) => write!(f, "Date{}", comparison_name(c))?,
            OperatorBase::Bool => f.write_str("Bool")?,
            OperatorBase::Binary => f.write_str("BinaryEquals")?,
            OperatorBase::Ip { negated: false } => f.write_str("IpAddress")?,
            OperatorBase::Ip { negated: true } => f.write_str("NotIpAddress")?,
            OperatorBase::Null => f.write_str("Null")?,
            OperatorBase::Unknown(name) => f.write_str(name)?,
        }
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// One `(operator, key, values)` test of a condition block. Entries of a block are ANDed; the values of
/// one entry are ORed (for negated operators: "none of").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConditionEntry {
    pub operator: Operator,
    /// Lower-cased key name (key names are case-insensitive).
    pub key: String,
    /// The key as written in the policy, for messages.
    pub key_text: String,
    /// Sorted, de-duplicated values; scalars are converted to their JSON text (`true`, `5`).
    pub values: BTreeSet<String>,
}

impl ConditionEntry {
    /// Same test (operator, key and values), regardless of how the key was spelled.
    pub fn same_test(&self, other: &ConditionEntry) -> bool {
        self.operator == other.operator && self.key == other.key && self.values == other.values
    }

    /// Short rendering such as `StringEquals sts:externalid = "abc"`.
    pub fn render(&self) -> String {
        format!("{} {} = {}", self.operator, self.key, render_values(&self.values))
    }
}

/// `"a"` for one value, `["a", "b"]` for several.
pub fn render_values(values: &BTreeSet<String>) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    if quoted.len() == 1 {
        quoted.join("")
    } else {
        format!("[{}]", quoted.join(", "))
    }
}

/// Parses a date condition value (ISO 8601 date/date-time, or epoch seconds) into epoch seconds.
pub fn parse_date_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<f64>().ok();
    }
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut date_parts = date.splitn(3, '-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) as f64 * 86_400.0;
    if let Some(time) = time {
        let (clock, offset_seconds) = split_zone(time)?;
        let mut clock_parts = clock.splitn(3, ':');
        let hours: f64 = clock_parts.next()?.parse().ok()?;
        let minutes: f64 = clock_parts.next().unwrap_or("0").parse().ok()?;
        let secs: f64 = clock_parts.next().unwrap_or("0").parse().ok()?;
        seconds += hours * 3600.0 + minutes * 60.0 + secs - offset_seconds;
    }
    Some(seconds)
}

/// Splits `HH:MM:SS[.f](Z|±HH:MM|±HHMM)?` into the clock part and the zone offset in seconds.
fn split_zone(time: &str) -> Option<(&str, f64)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, 0.0));
    }
    let Some(sign_at) = time.rfind(['+', '-']) else {
        return Some((time, 0.0));
    };
    let (clock, zone) = time.split_at(sign_at);
    let sign = if zone.starts_with('-') { -1.0 } else { 1.0 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 {
        return None;
    }
    let hours: f64 = digits[..2].parse().ok()?;
    let minutes: f64 = digits[2..].parse().ok()?;
    Some((clock, sign * (hours * 3600.0 + minutes * 60.0)))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualifiers_and_if_exists() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists");
        assert_eq!(op.qualifier, SetQualifier::ForAnyValue);
        assert_eq!(
            op.base,
            OperatorBase::Text {
                mode: StringMode::Like,
                negated: false
            }
        );
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        assert_eq!(Operator::parse("ArnEquals"), Operator::parse("ArnLike"));
        assert_eq!(
            Operator::parse("NumericLessThanEquals").base,
            OperatorBase::Numeric(Comparison::LessThanEquals)
        );
        assert!(matches!(
            Operator::parse("stringequals").base,
            OperatorBase::Unknown(_)
        ));
        assert!(matches!(
            Operator::parse("NullIfExists").base,
            OperatorBase::Unknown(_)
        ));
        assert!(Operator::parse("StringNotEquals").is_negated());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date_seconds("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_date_seconds("1970-01-01T01:00:00Z"), Some(3600.0));
        assert_eq!(parse_date_seconds("1970-01-01T01:00:00+01:00"), Some(0.0));
        assert_eq!(parse_date_seconds("86400"), Some(86_400.0));
        assert_eq!(parse_date_seconds("2019-07-16T12:00:00Z"), Some(1_563_278_400.0));
        assert_eq!(parse_date_seconds("garbage"), None);
    }
}
