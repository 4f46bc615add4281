//! Annotations (owner, expiry, justification) that approve a widening, from tags, config exceptions, and
//! (with the HCL sources issue) comments; and their validation (DESIGN section 5).
//!
//! INTERFACE CONTRACT: everything `pub` in this file.
//!
//! Decisions:
//! - Tag keys are read exactly (`trustgate:owner`, not `trustgate:Owner`): AWS tag keys are case-sensitive,
//!   and a reviewer should see the same key everywhere. `near_miss_tags` lets a report hint at typos.
//! - An expiry equal to today is still valid: it expires at the end of that day (UTC).
//! - Whitespace-only fields count as empty; lengths are counted in characters after trimming.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::analysis::WideningKind;
use crate::date::Date;

pub const OWNER_TAG: &str = "trustgate:owner";
pub const EXPIRY_TAG: &str = "trustgate:expiry";
pub const JUSTIFICATION_TAG: &str = "trustgate:justification";
const ANNOTATION_TAGS: [&str; 3] = [OWNER_TAG, EXPIRY_TAG, JUSTIFICATION_TAG];

/// How annotations are judged (the config file's `annotations` block, which `config` parses into this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationSettings {
    pub max_expiry_days: u32,
    pub min_justification_length: usize,
    /// Whether comments and tags count; false: only exceptions in the config file.
    pub inline: bool,
    /// `from = "base"`: only annotations present unchanged before this change approve; one this change
    /// adds or alters (or one nothing can be compared with) does not.
    pub from_base: bool,
}

impl Default for AnnotationSettings {
    fn default() -> Self {
        AnnotationSettings {
            max_expiry_days: 365,
            min_justification_length: 10,
            inline: true,
            from_base: false,
        }
    }
}

/// Where an annotation was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Origin {
    /// `trustgate:owner|expiry|justification` tags on the resource.
    Tags,
    /// An `exception` block in the config file.
    Exception { file: PathBuf, line: usize },
    /// A `# trustgate:` comment (HCL sources issue). `statement` is set when it annotates one statement.
    Comment {
        file: PathBuf,
        line: usize,
        statement: Option<usize>,
    },
}

/// Where an annotation stands relative to the change under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Added or altered by this change (tags: the resource is new or its `trustgate:*` tags differ between
    /// before and after).
    ThisChange,
    /// Present unchanged before this change.
    Earlier,
    /// Nothing to compare with (comments without `--base`, exceptions without `--base` or `--config-ref`).
    Unknown,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::ThisChange => "this-change",
            Provenance::Earlier => "earlier",
            Provenance::Unknown => "unknown",
        }
    }
}

/// An annotation as written; fields may be missing or invalid — `validate` says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Annotation {
    pub owner: Option<String>,
    pub expiry: Option<String>,
    pub justification: Option<String>,
    pub origin: Origin,
}

/// An annotation comment as read: the annotation (fields possibly missing) and what is malformed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentAnnotation {
    pub annotation: Annotation,
    /// Syntax problems (unknown key, unterminated quote, …), each naming the file and line.
    pub problems: Vec<String>,
}

/// An `exception` block from the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Glob over resource addresses (`*` any run, `?` one character).
    pub address: String,
    /// Exact canonical principal, or None for any principal.
    pub principal: Option<String>,
    /// The one kind of widening it approves (`kind = "condition-weakened"`), or None for any kind.
    pub kind: Option<WideningKind>,
    pub annotation: Annotation,
    /// Whether the same exception (address, principal, kind and the three fields) is in the config of the
    /// base revision: None when there is no base to compare with (no `--base`, no `--config-ref`).
    pub at_base: Option<bool>,
}

impl Exception {
    /// Whether it names what it approves (a principal or a kind), so that it can approve a widening that
    /// is new in this plan even when it was written before.
    pub fn names_what_it_approves(&self) -> bool {
        self.principal.is_some() || self.kind.is_some()
    }

    /// The same exception as `other`, whatever line of which file holds either.
    pub fn same_as(&self, other: &Exception) -> bool {
        self.address == other.address
            && self.principal == other.principal
            && self.kind == other.kind
            && same_fields(&self.annotation, &other.annotation)
    }
}

/// Whether two annotations say the same (owner, expiry, justification), wherever they are written.
pub fn same_fields(a: &Annotation, b: &Annotation) -> bool {
    a.owner == b.owner && a.expiry == b.expiry && a.justification == b.justification
}

/// Reads the three `trustgate:*` tags; None when none of them is present.
pub fn from_tags(tags: &BTreeMap<String, String>) -> Option<Annotation> {
    let owner = tags.get(OWNER_TAG).cloned();
    let expiry = tags.get(EXPIRY_TAG).cloned();
    let justification = tags.get(JUSTIFICATION_TAG).cloned();
    if owner.is_none() && expiry.is_none() && justification.is_none() {
        return None;
    }
    Some(Annotation {
        owner,
        expiry,
        justification,
        origin: Origin::Tags,
    })
}

/// Hints for tag keys that look like annotation tags but are not read, e.g. `trustgate:Owner`,
/// `trustgate-owner` or `trustgate:expires`, as sentences naming the key that would be read. Empty when
/// every such key is exact.
pub fn near_miss_tags(tags: &BTreeMap<String, String>) -> Vec<String> {
    tags.keys()
        .filter(|key| !ANNOTATION_TAGS.contains(&key.as_str()))
        .filter_map(|key| {
            let folded = fold_tag_key(key);
            let field = folded.strip_prefix("trustgate")?;
            let intended = ANNOTATION_TAGS.iter().find(|tag| {
                let tag_field = tag.trim_start_matches("trustgate:");
                field == tag_field || (field.len() >= 4 && edit_distance(field, tag_field) <= 2)
            });
            Some(match intended {
                Some(tag) => format!("tag \"{key}\" is not read; did you mean \"{tag}\"?"),
                None => format!(
                    "tag \"{key}\" is not read; annotation tags are {}",
                    ANNOTATION_TAGS.join(", ")
                ),
            })
        })
        .collect()
}

/// Lowercase with separators removed, so `Trust_Gate-Owner` and `trustgate:owner` compare equal.
fn fold_tag_key(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over characters; inputs here are short identifiers.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The first exception matching the address, principal and kind (principal compared canonically: a bare
/// account id equals its `:root` ARN).
pub fn matching_exception<'a>(
    exceptions: &'a [Exception],
    address: &str,
    principal: &str,
    kind: WideningKind,
) -> Option<&'a Exception> {
    exceptions.iter().find(|exception| {
        glob_matches(&exception.address, address)
            && exception
                .principal
                .as_deref()
                .is_none_or(|wanted| same_principal(wanted, principal))
            && exception.kind.is_none_or(|wanted| wanted == kind)
    })
}

/// Matches `text` against `pattern`, where `*` is any run of characters (including `.`, `[`, `"`) and `?`
/// is exactly one; every other character, brackets and quotes included, is literal.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was and which text position it currently swallows up to; on a mismatch we let
    // that star swallow one more character instead of backtracking further (linear in practice).
    let mut last_star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                last_star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match last_star {
                Some((star_p, star_t)) => {
                    last_star = Some((star_p, star_t + 1));
                    p = star_p + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// A bare 12-digit account id as its root ARN in the `aws` partition; anything else unchanged (trimmed).
pub fn canonical_principal(principal: &str) -> String {
    let principal = principal.trim();
    if is_account_id(principal) {
        format!("arn:aws:iam::{principal}:root")
    } else {
        principal.to_string()
    }
}

/// Whether two principals name the same thing: equal after canonicalisation, or one is a bare account id
/// (or its `aws` root ARN) and the other that account's root in any partition.
pub fn same_principal(a: &str, b: &str) -> bool {
    let (a, b) = (canonical_principal(a), canonical_principal(b));
    if a == b {
        return true;
    }
    match (root_account(&a), root_account(&b)) {
        (Some((a_partition, a_id)), Some((b_partition, b_id))) => {
            a_id == b_id && (a_partition == "aws" || b_partition == "aws")
        }
        _ => false,
    }
}

/// `(partition, account id)` of an `arn:<partition>:iam::<id>:root` principal.
fn root_account(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let id = rest.strip_prefix("iam::")?.strip_suffix(":root")?;
    (is_account_id(id) && !partition.is_empty()).then_some((partition, id))
}

pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Every problem with the annotation, as short sentences ("expiry 2025-01-01 is in the past",
/// "owner is missing", …); empty means valid.
pub fn validate(annotation: &Annotation, settings: &AnnotationSettings, today: Date) -> Vec<String> {
    let mut problems = Vec::new();

    if let Err(problem) = present("owner", annotation.owner.as_deref()) {
        problems.push(problem);
    }

    match present("expiry", annotation.expiry.as_deref()) {
        Err(problem) => problems.push(problem),
        Ok(expiry) => problems.extend(expiry_problem(expiry, settings, today)),
    }

    match present("justification", annotation.justification.as_deref()) {
        Err(problem) => problems.push(problem),
        Ok(justification) => {
            let length = justification.chars().count();
            let minimum = settings.min_justification_length;
            if length < minimum {
                let unit = if length == 1 { "character" } else { "characters" };
                problems.push(format!(
                    "justification is {length} {unit} long; the minimum is {minimum}"
                ));
            }
        }
    }

    problems
}

/// The trimmed value, or the sentence saying it is missing or empty.
fn present<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str, String> {
    match value.map(str::trim) {
        None => Err(format!("{field} is missing")),
        Some("") => Err(format!("{field} is empty")),
        Some(text) => Ok(text),
    }
}

fn expiry_problem(expiry: &str, settings: &AnnotationSettings, today: Date) -> Option<String> {
    let Some(date) = Date::parse_iso(expiry) else {
        return Some(format!("expiry \"{expiry}\" is not a date in YYYY-MM-DD form"));
    };
    let days_ahead = today.days_until(date);
    if days_ahead < 0 {
        let days_ago = -days_ahead;
        let unit = if days_ago == 1 { "day" } else { "days" };
        return Some(format!("expired on {date}, {days_ago} {unit} ago"));
    }
    let maximum = i64::from(settings.max_expiry_days);
    if days_ahead > maximum {
        return Some(format!(
            "expiry {date} is {days_ahead} days ahead; the maximum is {maximum}"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn date(text: &str) -> Date {
        Date::parse_iso(text).expect("test date")
    }

    fn annotation(owner: Option<&str>, expiry: Option<&str>, justification: Option<&str>) -> Annotation {
        Annotation {
            owner: owner.map(String::from),
            expiry: expiry.map(String::from),
            justification: justification.map(String::from),
            origin: Origin::Tags,
        }
    }

    fn exception(address: &str, principal: Option<&str>, owner: &str) -> Exception {
        Exception {
            address: address.to_string(),
            principal: principal.map(canonical_principal),
            kind: None,
            at_base: None,
            annotation: Annotation {
                owner: Some(owner.to_string()),
                expiry: Some("2027-03-31".to_string()),
                justification: Some("Datadog integration, SEC-1234".to_string()),
                origin: Origin::Exception {
                    file: PathBuf::from(".trustgate.hcl"),
                    line: 1,
                },
            },
        }
    }

    const TODAY: &str = "2026-11-24";

    fn problems(owner: Option<&str>, expiry: Option<&str>, justification: Option<&str>) -> Vec<String> {
        validate(
            &annotation(owner, expiry, justification),
            &AnnotationSettings::default(),
            date(TODAY),
        )
    }

    // ---- tags ----

    #[test]
    fn no_annotation_tags_means_no_annotation() {
        assert_eq!(from_tags(&tags(&[])), None);
        assert_eq!(
            from_tags(&tags(&[("Name", "x"), ("trustgate:Owner", "@a")])),
            None
        );
    }

    #[test]
    fn reads_all_three_tags() {
        let found = from_tags(&tags(&[
            ("trustgate:owner", "@platform"),
            ("trustgate:expiry", "2027-03-31"),
            ("trustgate:justification", "Datadog integration"),
            ("Name", "role"),
        ]));
        assert_eq!(
            found,
            Some(annotation(
                Some("@platform"),
                Some("2027-03-31"),
                Some("Datadog integration")
            ))
        );
    }

    #[test]
    fn partial_tags_leave_missing_fields_none() {
        let found = from_tags(&tags(&[("trustgate:expiry", "2027-03-31")]));
        assert_eq!(found, Some(annotation(None, Some("2027-03-31"), None)));
    }

    #[test]
    fn near_miss_tag_keys_are_hinted() {
        let hints = near_miss_tags(&tags(&[
            ("trustgate:Owner", "a"),
            ("trustgate-expiry", "b"),
            ("trustgate:justifcation", "c"),
            ("trustgate:reason", "d"),
            ("trustgate:owner", "exact"),
            ("Name", "unrelated"),
        ]));
        assert_eq!(
            hints,
            vec![
                "tag \"trustgate-expiry\" is not read; did you mean \"trustgate:expiry\"?",
                "tag \"trustgate:Owner\" is not read; did you mean \"trustgate:owner\"?",
                "tag \"trustgate:justifcation\" is not read; did you mean \"trustgate:justification\"?",
                "tag \"trustgate:reason\" is not read; annotation tags are trustgate:owner, trustgate:expiry, \
                 trustgate:justification",
            ]
        );
    }

    #[test]
    fn near_miss_tolerates_odd_unicode() {
        let hints = near_miss_tags(&tags(&[("TRUSTGATE:ÖWNER\u{202e}", "x"), ("\u{0}", "y")]));
        assert_eq!(hints.len(), 1);
    }

    // ---- globs and exceptions ----

    #[test]
    fn glob_treats_brackets_and_quotes_literally() {
        let address = r#"module.vendor["datadog"].aws_iam_role.this"#;
        assert!(glob_matches(address, address));
        assert!(glob_matches(r#"module.vendor["*"].aws_iam_role.this"#, address));
        assert!(glob_matches("module.vendor*", address));
        assert!(glob_matches("*.aws_iam_role.this", address));
        assert!(glob_matches("*", address));
        assert!(glob_matches(
            r#"module.vendor["datadog"].aws_iam_role.thi?"#,
            address
        ));
        assert!(!glob_matches(
            r#"module.vendor[datadog].aws_iam_role.this"#,
            address
        ));
        assert!(!glob_matches(r#"module.vendor["d"].aws_iam_role.this"#, address));
        assert!(!glob_matches("module.vendor", address));
        assert!(!glob_matches("aws_iam_role.this", "aws_iam_role.this2"));
        assert!(glob_matches("aws_iam_role.this[?]", "aws_iam_role.this[0]"));
        assert!(!glob_matches("aws_iam_role.this[?]", "aws_iam_role.this[10]"));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("a*b*c", "aXbYbZ"));
        assert!(glob_matches("", ""));
        assert!(!glob_matches("", "a"));
        assert!(glob_matches("é*ü?", "éxxüß"));
    }

    /// The same glob semantics through the regex crate, as an independent reference.
    fn glob_by_regex(pattern: &str, text: &str) -> bool {
        let mut expression = String::from("(?s)^");
        for c in pattern.chars() {
            match c {
                '*' => expression.push_str(".*"),
                '?' => expression.push('.'),
                other => expression.push_str(&regex::escape(&other.to_string())),
            }
        }
        expression.push('$');
        regex::Regex::new(&expression).is_ok_and(|re| re.is_match(text))
    }

    proptest::proptest! {
        #[test]
        fn glob_agrees_with_a_regex_reference(
            pattern in r#"[ab.\[\]"*?é]{0,10}"#,
            text in r#"[ab.\[\]"*?é]{0,12}"#,
        ) {
            proptest::prop_assert_eq!(glob_matches(&pattern, &text), glob_by_regex(&pattern, &text));
        }

        #[test]
        fn validate_never_panics(owner in ".{0,20}", expiry in ".{0,12}", justification in ".{0,20}") {
            let _ = validate(
                &annotation(Some(&owner), Some(&expiry), Some(&justification)),
                &AnnotationSettings::default(),
                date(TODAY),
            );
        }
    }

    #[test]
    fn first_matching_exception_in_file_order_wins() {
        let exceptions = vec![
            exception("aws_iam_role.other", None, "@first"),
            exception(r#"module.vendor["*"].*"#, Some("464622532012"), "@second"),
            exception(r#"module.vendor["datadog"].*"#, None, "@third"),
        ];
        let address = r#"module.vendor["datadog"].aws_iam_role.this"#;
        let owner = |found: Option<&Exception>| found.and_then(|e| e.annotation.owner.clone());

        let external = WideningKind::ExternalAccount;
        let found = matching_exception(&exceptions, address, "arn:aws:iam::464622532012:root", external);
        assert_eq!(owner(found).as_deref(), Some("@second"));
        let found = matching_exception(&exceptions, address, "arn:aws:iam::999999999999:root", external);
        assert_eq!(owner(found).as_deref(), Some("@third"));
        assert_eq!(
            matching_exception(&exceptions, "aws_s3_bucket.x", "*", WideningKind::Public),
            None
        );
    }

    #[test]
    fn an_exception_with_a_kind_matches_only_that_kind() {
        let mut weakened = exception("aws_iam_role.vendor", None, "@security");
        weakened.kind = Some(WideningKind::ConditionWeakened);
        let exceptions = vec![weakened];
        let principal = "arn:aws:iam::464622532012:root";
        let found = matching_exception(
            &exceptions,
            "aws_iam_role.vendor",
            principal,
            WideningKind::ConditionWeakened,
        );
        assert!(found.is_some_and(Exception::names_what_it_approves));
        for other in [WideningKind::ExternalAccount, WideningKind::Public] {
            assert_eq!(
                matching_exception(&exceptions, "aws_iam_role.vendor", principal, other),
                None
            );
        }
        assert!(!exception("a", None, "@x").names_what_it_approves());
        assert!(exception("a", Some("464622532012"), "@x").names_what_it_approves());
    }

    #[test]
    fn the_same_exception_on_another_line_is_the_same() {
        let a = exception("aws_iam_role.x", Some("464622532012"), "@a");
        let mut b = a.clone();
        b.annotation.origin = Origin::Exception {
            file: PathBuf::from("main:./.trustgate.hcl"),
            line: 40,
        };
        assert!(a.same_as(&b));
        b.annotation.expiry = Some("2027-04-01".to_string());
        assert!(!a.same_as(&b));
        let mut c = a.clone();
        c.kind = Some(WideningKind::Public);
        assert!(!a.same_as(&c));
    }

    #[test]
    fn principals_compare_canonically() {
        assert_eq!(
            canonical_principal("464622532012"),
            "arn:aws:iam::464622532012:root"
        );
        assert_eq!(
            canonical_principal(" 464622532012 "),
            "arn:aws:iam::464622532012:root"
        );
        assert_eq!(canonical_principal("46462253201"), "46462253201");
        assert!(same_principal("464622532012", "arn:aws:iam::464622532012:root"));
        assert!(same_principal("arn:aws:iam::464622532012:root", "464622532012"));
        assert!(same_principal(
            "464622532012",
            "arn:aws-us-gov:iam::464622532012:root"
        ));
        assert!(!same_principal("464622532012", "arn:aws:iam::464622532013:root"));
        assert!(!same_principal(
            "464622532012",
            "arn:aws:iam::464622532012:role/x"
        ));
        assert!(!same_principal(
            "arn:aws-cn:iam::464622532012:root",
            "arn:aws-us-gov:iam::464622532012:root"
        ));
        assert!(same_principal("datadog.amazonaws.com", "datadog.amazonaws.com"));
    }

    // ---- validation ----

    #[test]
    fn complete_annotation_is_valid() {
        assert!(problems(Some("@platform"), Some("2027-03-31"), Some("Datadog integration")).is_empty());
    }

    #[test]
    fn missing_and_empty_fields_are_each_reported() {
        assert_eq!(
            problems(None, None, None),
            vec![
                "owner is missing",
                "expiry is missing",
                "justification is missing"
            ]
        );
        assert_eq!(
            problems(Some("  "), Some(""), Some("\t\n")),
            vec!["owner is empty", "expiry is empty", "justification is empty"]
        );
    }

    #[test]
    fn expiry_must_be_iso() {
        assert_eq!(
            problems(Some("@a"), Some("31/03/2027"), Some("long enough reason")),
            vec!["expiry \"31/03/2027\" is not a date in YYYY-MM-DD form"]
        );
        assert_eq!(
            problems(Some("@a"), Some("2027-02-30"), Some("long enough reason")),
            vec!["expiry \"2027-02-30\" is not a date in YYYY-MM-DD form"]
        );
    }

    #[test]
    fn expiry_boundaries() {
        let ok = |expiry: &str| problems(Some("@a"), Some(expiry), Some("long enough reason"));
        // today is still valid: it expires at the end of the day
        assert!(ok("2026-11-24").is_empty());
        // today + max (365) is valid, one more day is not
        assert!(ok("2027-11-24").is_empty());
        assert_eq!(
            ok("2027-11-25"),
            vec!["expiry 2027-11-25 is 366 days ahead; the maximum is 365"]
        );
        assert_eq!(ok("2026-11-23"), vec!["expired on 2026-11-23, 1 day ago"]);
        assert_eq!(ok("2026-01-31"), vec!["expired on 2026-01-31, 297 days ago"]);
        assert_eq!(
            ok("2030-01-01"),
            vec!["expiry 2030-01-01 is 1134 days ahead; the maximum is 365"]
        );
        // surrounding whitespace (common in tags) is forgiven
        assert!(ok(" 2027-03-31 ").is_empty());
    }

    #[test]
    fn justification_length_counts_trimmed_characters() {
        let check = |text: &str| problems(Some("@a"), Some("2027-03-31"), Some(text));
        assert_eq!(
            check("SEC-1234"),
            vec!["justification is 8 characters long; the minimum is 10"]
        );
        assert_eq!(
            check("   x      "),
            vec!["justification is 1 character long; the minimum is 10"]
        );
        // ten characters, more bytes: counted as characters
        assert!(check("ääääääääää").is_empty());
        assert!(check("  0123456789  ").is_empty());
    }

    #[test]
    fn settings_change_the_limits() {
        let settings = AnnotationSettings {
            max_expiry_days: 30,
            min_justification_length: 3,
            inline: true,
            from_base: false,
        };
        let found = validate(
            &annotation(Some("@a"), Some("2027-03-31"), Some("abc")),
            &settings,
            date(TODAY),
        );
        assert_eq!(
            found,
            vec!["expiry 2027-03-31 is 127 days ahead; the maximum is 30"]
        );
    }
}
