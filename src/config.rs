//! `.trustgate.hcl`: boundary, annotation settings, exceptions (DESIGN section 6).
//!
//! INTERFACE CONTRACT: everything `pub` in this file.
//!
//! The file is parsed with hcl-rs's span-keeping parser (`hcl::edit`) so every error names a line, and
//! checked strictly: a typo in a config that gates security changes must fail loudly, not be ignored.
//! Only the shape is checked here (known names, types, id formats, required exception fields); whether an
//! exception's owner/expiry/justification are acceptable is judged per finding by
//! `annotation::validate`, so an expired exception shows up as a violation rather than a broken config.

use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl::edit::Span;
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Block, Structure};

use crate::analysis::{OwnIdentity, WideningKind};
pub use crate::annotation::AnnotationSettings;
use crate::annotation::{self, Annotation, Exception, Origin};
use crate::error::{Error, Result};

pub const DEFAULT_FILE_NAME: &str = ".trustgate.hcl";

/// Statuses of a standing trust path (`trustgate inventory`), as `review { fail_on }` names them.
pub const REVIEW_STATUSES: &[&str] = &["approved", "expiring", "expired", "invalid", "unannotated"];

/// The `review` block: how standing trust is reviewed (`trustgate inventory`, and approvals on resources a
/// plan does not change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSettings {
    /// An approval expiring within this many days is `expiring`.
    pub warn_days: u32,
    /// Path statuses that make `trustgate inventory` exit 1.
    pub fail_on: Vec<String>,
    /// Whether `check` fails (rather than warns) on an expired approval of a resource the plan leaves alone.
    pub expired_unchanged_fails: bool,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings {
            warn_days: 30,
            fail_on: vec!["expired".into(), "invalid".into(), "unannotated".into()],
            expired_unchanged_fails: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from (None for the default config).
    pub path: Option<PathBuf>,
    pub accounts: Vec<String>,
    pub organizations: Vec<String>,
    /// Own federated identities (`github_owners`, `gitlab_groups`, `terraform_organizations`,
    /// `bitbucket_workspaces`, `oidc_issuers`): they join whichever boundary is chosen.
    pub federated: Vec<OwnIdentity>,
    pub annotations: AnnotationSettings,
    pub exceptions: Vec<Exception>,
    /// The git revision the file was read from (`--config-ref REV`); None: the working tree. Exceptions of
    /// a config read from the base revision were there before the change under review.
    pub revision: Option<String>,
    pub review: ReviewSettings,
}

/// Loads `explicit` if given (an error if missing), else `.trustgate.hcl` in `cwd` if it exists, else the
/// default config. Unknown blocks/attributes, wrong types and invalid account/org ids are errors naming
/// the file and line.
///
/// A relative `explicit` path is read relative to `cwd` but reported as given, so messages and exception
/// origins use the path the user typed.
pub fn load(explicit: Option<&Path>, cwd: &Path) -> Result<Config> {
    let (reported_path, read_path) = match explicit {
        Some(path) => (path.to_path_buf(), cwd.join(path)),
        None => (cwd.join(DEFAULT_FILE_NAME), cwd.join(DEFAULT_FILE_NAME)),
    };
    match crate::input::read_settings_file(&read_path, &reported_path, "a trustgate config file") {
        Ok(source) => parse(&source, &reported_path),
        // Only a default file that is truly absent means "use defaults"; one we cannot read (permissions,
        // a directory, a device or FIFO, too large, not UTF-8) is an error, so a present but ignored config
        // never goes unnoticed.
        Err(crate::input::SettingsError::NotFound(_)) if explicit.is_none() => Ok(Config::default()),
        Err(crate::input::SettingsError::NotFound(err)) => Err(Error::Unreadable {
            path: reported_path,
            reason: crate::input::os_reason(&err),
        }),
        Err(crate::input::SettingsError::Other(err)) => Err(err),
    }
}

/// Loads the config file as it is at git revision `rev` (`--config-ref`, or `--base` as `flag` says in
/// messages), through `git show`, never touching the working tree; the default config when the file does
/// not exist at that revision.
pub fn load_at_revision(explicit: Option<&Path>, cwd: &Path, rev: &str, flag: &str) -> Result<Config> {
    let path = explicit.unwrap_or(Path::new(DEFAULT_FILE_NAME));
    let spec = format!("{rev}:./{}", path.display());
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(cwd)
            .args(args)
            .output()
            .map_err(|e| Error::Usage(format!("{flag}: cannot run git: {e}")))
    };
    let verified = git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])?;
    if !verified.status.success() {
        return Err(Error::Usage(format!(
            "{flag} {rev:?}: not a git revision here (fetch it first, e.g. fetch-depth: 0)"
        )));
    }
    let shown = git(&["show", &spec])?;
    let mut config = if shown.status.success() {
        let text = String::from_utf8(shown.stdout).map_err(|_| Error::Unreadable {
            path: PathBuf::from(&spec),
            reason: "not UTF-8".to_string(),
        })?;
        parse(&text, Path::new(&spec))?
    } else if explicit.is_some() {
        return Err(Error::Unreadable {
            path: PathBuf::from(&spec),
            reason: String::from_utf8_lossy(&shown.stderr).trim().to_string(),
        });
    } else {
        Config::default()
    };
    config.revision = Some(rev.to_string());
    for exception in &mut config.exceptions {
        exception.at_base = Some(true);
    }
    Ok(config)
}

impl Config {
    /// Compares this (working tree) config with the config of the base revision (`check --base`): each
    /// exception learns whether the base has it, and the base decides `annotations { from }` (the change
    /// under review can make it stricter, never looser).
    pub fn compare_with_base(&mut self, base: &Config) {
        for exception in &mut self.exceptions {
            exception.at_base = Some(base.exceptions.iter().any(|b| b.same_as(exception)));
        }
        self.annotations.from_base |= base.annotations.from_base;
    }
}

/// Parses and checks the text of a config file; `path` is only used in messages and exception origins.
pub fn parse(source: &str, path: &Path) -> Result<Config> {
    let file = SourceFile::new(source, path);
    if let Err(reason) = crate::nesting::check(source) {
        let (place, message) = reason.split_once(": ").unwrap_or(("line 1", reason.as_str()));
        return Err(file.error_at(place.to_string(), message.to_string()));
    }
    let body = hcl::edit::parser::parse_body(source).map_err(|err| {
        let location = err.location();
        file.error_at(
            format!("line {}, column {}", location.line(), location.column()),
            format!("not valid HCL: {}", err.message()),
        )
    })?;

    let mut config = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    let mut seen_boundary: Option<&Block> = None;
    let mut seen_annotations: Option<&Block> = None;
    let mut seen_review: Option<&Block> = None;
    let mut exception_count = 0;

    for structure in body.iter() {
        let block = match structure {
            Structure::Block(block) => block,
            Structure::Attribute(attribute) => return Err(top_level_attribute_error(&file, attribute)),
        };
        let name = block.ident.as_str();
        match name {
            "boundary" => {
                ensure_first(&file, &mut seen_boundary, block)?;
                read_boundary(&file, block, &mut config)?;
            }
            "annotations" => {
                ensure_first(&file, &mut seen_annotations, block)?;
                config.annotations = read_annotation_settings(&file, block)?;
            }
            "review" => {
                ensure_first(&file, &mut seen_review, block)?;
                config.review = read_review(&file, block)?;
            }
            "exception" => {
                exception_count += 1;
                config
                    .exceptions
                    .push(read_exception(&file, block, exception_count)?);
            }
            other => {
                return Err(file.error(
                    block.ident.span(),
                    format!("unknown block \"{other}\"{}", suggestion(other, TOP_LEVEL_BLOCKS)),
                ));
            }
        }
    }
    Ok(config)
}

const TOP_LEVEL_BLOCKS: &[&str] = &["boundary", "annotations", "review", "exception"];
const REVIEW_ATTRIBUTES: &[&str] = &["warn_days", "fail_on", "expired_unchanged"];
const BOUNDARY_ATTRIBUTES: &[&str] = &[
    "accounts",
    "organizations",
    "github_owners",
    "gitlab_groups",
    "terraform_organizations",
    "bitbucket_workspaces",
    "oidc_issuers",
];
const ANNOTATIONS_ATTRIBUTES: &[&str] = &["max_expiry_days", "min_justification_length", "inline", "from"];
const EXCEPTION_ATTRIBUTES: &[&str] = &["address", "principal", "kind", "owner", "expiry", "justification"];

/// Records `block` as the one block of its kind, or fails naming the line of the earlier one.
fn ensure_first<'b>(file: &SourceFile, seen: &mut Option<&'b Block>, block: &'b Block) -> Result<()> {
    if let Some(first) = seen {
        let first_line = file.line_of_span(first.span(), 0);
        let name = block.ident.as_str();
        return Err(file.error(
            block.span(),
            format!("only one {name} block is allowed; the first is on line {first_line}"),
        ));
    }
    *seen = Some(block);
    Ok(())
}

fn top_level_attribute_error(file: &SourceFile, attribute: &Attribute) -> Error {
    let key = attribute.key.as_str();
    let home = [
        ("boundary", BOUNDARY_ATTRIBUTES),
        ("annotations", ANNOTATIONS_ATTRIBUTES),
        ("exception", EXCEPTION_ATTRIBUTES),
        ("review", REVIEW_ATTRIBUTES),
    ]
    .into_iter()
    .find(|(_, attributes)| attributes.contains(&key));
    let message = match home {
        Some((block, _)) => format!("\"{key}\" must be inside a {block} block, not at the top level"),
        None => format!(
            "unexpected attribute \"{key}\" at the top level; the file holds only boundary, annotations, review and \
             exception blocks"
        ),
    };
    file.error(attribute.span(), message)
}

fn read_boundary(file: &SourceFile, block: &Block, config: &mut Config) -> Result<()> {
    for attribute in checked_attributes(file, block, BOUNDARY_ATTRIBUTES)? {
        let key = attribute.key.as_str();
        let values = string_list(file, attribute)?;
        for (value, span) in values {
            let identity = match key {
                "github_owners" => Some(OwnIdentity::github(&value)),
                "gitlab_groups" => Some(OwnIdentity::gitlab(&value)),
                "terraform_organizations" => Some(OwnIdentity::terraform(&value)),
                "bitbucket_workspaces" => Some(OwnIdentity::bitbucket(&value)),
                "oidc_issuers" => Some(OwnIdentity::issuer(&value, "declared in oidc_issuers")),
                _ => None,
            };
            if let Some(identity) = identity {
                config
                    .federated
                    .push(identity.map_err(|message| file.error(span, message))?);
                continue;
            }
            if key == "accounts" {
                if !annotation::is_account_id(&value) {
                    return Err(file.error(span, format!("\"{value}\" is not a 12-digit AWS account id")));
                }
                config.accounts.push(value);
            } else {
                if !is_organization_id(&value) {
                    return Err(file.error(
                        span,
                        format!(
                            "\"{value}\" is not an AWS organization id (\"o-\" and 10 to 32 lowercase \
                             letters or digits)"
                        ),
                    ));
                }
                config.organizations.push(value);
            }
        }
    }
    Ok(())
}

fn read_annotation_settings(file: &SourceFile, block: &Block) -> Result<AnnotationSettings> {
    let mut settings = AnnotationSettings::default();
    for attribute in checked_attributes(file, block, ANNOTATIONS_ATTRIBUTES)? {
        match attribute.key.as_str() {
            "max_expiry_days" => {
                let days = positive_integer(file, attribute)?;
                settings.max_expiry_days = u32::try_from(days).map_err(|_| {
                    file.error(
                        attribute.value.span(),
                        format!("max_expiry_days {days} is too large"),
                    )
                })?;
            }
            "min_justification_length" => {
                let length = positive_integer(file, attribute)?;
                settings.min_justification_length = usize::try_from(length).map_err(|_| {
                    file.error(
                        attribute.value.span(),
                        format!("min_justification_length {length} is too large"),
                    )
                })?;
            }
            "from" => {
                settings.from_base = match plain_string(file, attribute)?.as_str() {
                    "any" => false,
                    "base" => true,
                    other => {
                        return Err(file.error(
                            attribute.value.span(),
                            format!("from must be \"any\" or \"base\", not {other:?}"),
                        ));
                    }
                }
            }
            _ => settings.inline = boolean(file, attribute)?,
        }
    }
    Ok(settings)
}

fn read_review(file: &SourceFile, block: &Block) -> Result<ReviewSettings> {
    let mut settings = ReviewSettings::default();
    for attribute in checked_attributes(file, block, REVIEW_ATTRIBUTES)? {
        match attribute.key.as_str() {
            "warn_days" => {
                let days = positive_integer(file, attribute)?;
                settings.warn_days = u32::try_from(days).map_err(|_| {
                    file.error(attribute.value.span(), format!("warn_days {days} is too large"))
                })?;
            }
            "fail_on" => {
                let mut statuses = Vec::new();
                for (value, span) in string_list(file, attribute)? {
                    if !REVIEW_STATUSES.contains(&value.as_str()) {
                        return Err(file.error(
                            span,
                            format!(
                                "\"{value}\" is not a trust path status; use {}",
                                join_words(REVIEW_STATUSES, "or")
                            ),
                        ));
                    }
                    statuses.push(value);
                }
                settings.fail_on = statuses;
            }
            _ => {
                let value = plain_string(file, attribute)?;
                settings.expired_unchanged_fails = match value.as_str() {
                    "fail" => true,
                    "warn" => false,
                    _ => {
                        return Err(file.error(
                            attribute.value.span(),
                            format!("expired_unchanged is \"warn\" or \"fail\", not \"{value}\""),
                        ));
                    }
                };
            }
        }
    }
    Ok(settings)
}

fn read_exception(file: &SourceFile, block: &Block, number: usize) -> Result<Exception> {
    let mut address = None;
    let mut principal = None;
    let mut kind = None;
    let mut owner = None;
    let mut expiry = None;
    let mut justification = None;
    for attribute in checked_attributes(file, block, EXCEPTION_ATTRIBUTES)? {
        let value = plain_string(file, attribute)?;
        match attribute.key.as_str() {
            "address" => {
                if value.trim().is_empty() {
                    return Err(file.error(attribute.value.span(), "address must not be empty"));
                }
                address = Some(value);
            }
            "principal" => {
                if value.trim().is_empty() {
                    return Err(file.error(
                        attribute.value.span(),
                        "principal must not be empty; leave it out to match any principal",
                    ));
                }
                principal = Some(annotation::canonical_principal(&value));
            }
            "kind" => {
                let found = WideningKind::ALL.into_iter().find(|k| k.as_str() == value);
                if found.is_none() {
                    let names: Vec<&str> = WideningKind::ALL.iter().map(|k| k.as_str()).collect();
                    return Err(file.error(
                        attribute.value.span(),
                        format!(
                            "kind {value:?} is not a widening kind; use one of {}",
                            names.join(", ")
                        ),
                    ));
                }
                kind = found;
            }
            "owner" => owner = Some(value),
            "expiry" => expiry = Some(value),
            _ => justification = Some(value),
        }
    }

    let line = file.line_of_span(block.span(), 0);
    let missing: Vec<&str> = [
        ("address", address.is_none()),
        ("owner", owner.is_none()),
        ("expiry", expiry.is_none()),
        ("justification", justification.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, is_missing)| is_missing.then_some(name))
    .collect();
    if !missing.is_empty() {
        let place = if line > 0 {
            format!("line {line}")
        } else {
            format!("exception #{number}")
        };
        return Err(file.error_at(
            place,
            format!("exception is missing {}", join_words(&missing, "and")),
        ));
    }

    Ok(Exception {
        address: address.unwrap_or_default(),
        principal,
        kind,
        at_base: None,
        annotation: Annotation {
            owner,
            expiry,
            justification,
            origin: Origin::Exception {
                file: file.path.to_path_buf(),
                line,
            },
        },
    })
}

/// The block's attributes, after checking it has no labels, no nested blocks, only `allowed` names and no
/// name twice.
fn checked_attributes<'b>(
    file: &SourceFile,
    block: &'b Block,
    allowed: &[&str],
) -> Result<Vec<&'b Attribute>> {
    let name = block.ident.as_str();
    if let Some(label) = block.labels.first() {
        return Err(file.error(label.span(), format!("a {name} block takes no labels")));
    }
    let mut attributes: Vec<&Attribute> = Vec::new();
    for structure in block.body.iter() {
        match structure {
            Structure::Block(nested) => {
                let nested_name = nested.ident.as_str();
                return Err(file.error(
                    nested.ident.span(),
                    format!("unexpected block \"{nested_name}\" inside {name}; {name} holds only attributes"),
                ));
            }
            Structure::Attribute(attribute) => {
                let key = attribute.key.as_str();
                if !allowed.contains(&key) {
                    return Err(file.error(
                        attribute.key.span(),
                        format!(
                            "unknown attribute \"{key}\" in {name}{}",
                            suggestion(key, allowed)
                        ),
                    ));
                }
                if let Some(first) = attributes.iter().find(|a| a.key.as_str() == key) {
                    let first_line = file.line_of_span(first.span(), 0);
                    return Err(file.error(
                        attribute.key.span(),
                        format!("{key} is set twice in {name}; the first is on line {first_line}"),
                    ));
                }
                attributes.push(attribute);
            }
        }
    }
    Ok(attributes)
}

fn string_list(file: &SourceFile, attribute: &Attribute) -> Result<Vec<(String, Option<Range<usize>>)>> {
    let key = attribute.key.as_str();
    let Expression::Array(array) = &attribute.value else {
        return Err(file.error(
            attribute.value.span(),
            format!(
                "{key} must be a list of strings, not {}",
                describe(&attribute.value)
            ),
        ));
    };
    array
        .iter()
        .map(|element| match element {
            Expression::String(text) => Ok((text.value().clone(), element.span())),
            other => Err(file.error(
                other.span(),
                format!("{key} must be a list of strings, but holds {}", describe(other)),
            )),
        })
        .collect()
}

fn plain_string(file: &SourceFile, attribute: &Attribute) -> Result<String> {
    match &attribute.value {
        Expression::String(text) => Ok(text.value().clone()),
        other => Err(file.error(
            other.span(),
            format!(
                "{} must be a string, not {}",
                attribute.key.as_str(),
                describe(other)
            ),
        )),
    }
}

fn positive_integer(file: &SourceFile, attribute: &Attribute) -> Result<u64> {
    let key = attribute.key.as_str();
    let number = match &attribute.value {
        Expression::Number(number) => number.value().as_u64(),
        _ => None,
    };
    match number {
        Some(value) if value > 0 => Ok(value),
        _ => {
            let found = match &attribute.value {
                Expression::Number(number) => number.value().to_string(),
                other => describe(other).to_string(),
            };
            Err(file.error(
                attribute.value.span(),
                format!("{key} must be a positive whole number, not {found}"),
            ))
        }
    }
}

fn boolean(file: &SourceFile, attribute: &Attribute) -> Result<bool> {
    match &attribute.value {
        Expression::Bool(value) => Ok(*value.value()),
        other => Err(file.error(
            other.span(),
            format!(
                "{} must be true or false, not {}",
                attribute.key.as_str(),
                describe(other)
            ),
        )),
    }
}

/// A short noun phrase for what an expression is, for "must be X, not Y" messages.
fn describe(expression: &Expression) -> &'static str {
    match expression {
        Expression::Null(_) => "null",
        Expression::Bool(_) => "a bool",
        Expression::Number(_) => "a number",
        Expression::String(_) => "a string",
        Expression::Array(_) => "a list",
        Expression::Object(_) => "an object",
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
            "a template (interpolation is not evaluated in this file)"
        }
        _ => "an expression (references and functions are not evaluated in this file)",
    }
}

fn is_organization_id(text: &str) -> bool {
    text.strip_prefix("o-").is_some_and(|rest| {
        (10..=32).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// "; did you mean \"x\"?" when a known name is close, else the list of known names.
fn suggestion(name: &str, known: &[&str]) -> String {
    let folded = name.to_lowercase();
    let closest = known
        .iter()
        .map(|candidate| (annotation::edit_distance(&folded, candidate), *candidate))
        .min();
    match closest {
        Some((distance, candidate)) if distance <= (candidate.len() / 3).max(1) => {
            format!("; did you mean \"{candidate}\"?")
        }
        _ => format!("; expected {}", join_words(known, "or")),
    }
}

/// "a", "a and b", "a, b and c" (or with another conjunction).
fn join_words(words: &[&str], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [only] => only.to_string(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// The source text with its line starts, to turn byte spans into "line L, column C".
struct SourceFile<'a> {
    text: &'a str,
    path: &'a Path,
    line_starts: Vec<usize>,
}

impl<'a> SourceFile<'a> {
    fn new(text: &'a str, path: &'a Path) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        SourceFile {
            text,
            path,
            line_starts,
        }
    }

    /// One-based (line, column in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (line_index + 1, column + 1)
    }

    fn line_of_span(&self, span: Option<Range<usize>>, fallback: usize) -> usize {
        span.map_or(fallback, |span| self.position(span.start).0)
    }

    fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> Error {
        let place = match span {
            Some(span) => {
                let (line, column) = self.position(span.start);
                format!("line {line}, column {column}")
            }
            None => "somewhere in the file".to_string(),
        };
        self.error_at(place, message)
    }

    fn error_at(&self, place: String, message: impl Into<String>) -> Error {
        Error::invalid(self.path, place, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"# trustgate settings
boundary {
  accounts      = ["111111111111", "222222222222"]
  organizations = ["o-a1b2c3d4e5"]
}

annotations {
  max_expiry_days          = 90
  min_justification_length = 20
  inline                   = false
}

# Datadog reads our metrics.
exception {
  address       = "module.vendor[\"datadog\"].aws_iam_role.this"
  principal     = "464622532012"
  owner         = "@platform/observability"
  expiry        = "2027-03-31"
  justification = "Datadog integration, SEC-1234"
}

exception {
  address       = "aws_iam_role.ci_*"
  owner         = ""
  expiry        = "soon"
  justification = "x"
}
"#;

    fn parse_text(text: &str) -> Result<Config> {
        parse(text, Path::new("conf/.trustgate.hcl"))
    }

    /// The rendered one-line error, with the file path stripped.
    fn error_of(text: &str) -> String {
        match parse_text(text) {
            Ok(config) => panic!("expected an error, got {config:?}"),
            Err(err) => err
                .to_string()
                .trim_start_matches("conf/.trustgate.hcl: ")
                .to_string(),
        }
    }

    #[test]
    fn reads_a_full_config() {
        let config = parse_text(FULL).expect("valid config");
        assert_eq!(config.path, Some(PathBuf::from("conf/.trustgate.hcl")));
        assert_eq!(config.accounts, vec!["111111111111", "222222222222"]);
        assert_eq!(config.organizations, vec!["o-a1b2c3d4e5"]);
        assert_eq!(
            config.annotations,
            AnnotationSettings {
                max_expiry_days: 90,
                min_justification_length: 20,
                inline: false,
                from_base: false,
            }
        );
        assert_eq!(config.exceptions.len(), 2);

        let datadog = &config.exceptions[0];
        assert_eq!(datadog.address, r#"module.vendor["datadog"].aws_iam_role.this"#);
        assert_eq!(
            datadog.principal.as_deref(),
            Some("arn:aws:iam::464622532012:root")
        );
        assert_eq!(
            datadog.annotation.owner.as_deref(),
            Some("@platform/observability")
        );
        assert_eq!(datadog.annotation.expiry.as_deref(), Some("2027-03-31"));
        assert_eq!(
            datadog.annotation.justification.as_deref(),
            Some("Datadog integration, SEC-1234")
        );
        assert_eq!(
            datadog.annotation.origin,
            Origin::Exception {
                file: PathBuf::from("conf/.trustgate.hcl"),
                line: 14,
            }
        );

        // content problems are left for annotation::validate
        let ci = &config.exceptions[1];
        assert_eq!(ci.principal, None);
        assert_eq!(ci.annotation.owner.as_deref(), Some(""));
        assert_eq!(ci.annotation.expiry.as_deref(), Some("soon"));
        assert!(matches!(ci.annotation.origin, Origin::Exception { line: 22, .. }));
    }

    #[test]
    fn absent_blocks_keep_defaults() {
        let config = parse_text("").expect("empty file is valid");
        assert_eq!(config.annotations, AnnotationSettings::default());
        assert!(config.accounts.is_empty() && config.exceptions.is_empty());

        let strict = parse_text("annotations {\n  from = \"base\"\n}\n").expect("valid");
        assert!(strict.annotations.from_base);
        assert!(parse_text("annotations {\n  from = \"head\"\n}\n").is_err());
        let config = parse_text("annotations {\n  inline = false\n}\n").expect("valid");
        assert_eq!(config.annotations.max_expiry_days, 365);
        assert_eq!(config.annotations.min_justification_length, 10);
        assert!(!config.annotations.inline);
    }

    #[test]
    fn syntax_errors_carry_the_parser_position() {
        let message = error_of("boundary {\n  accounts = [\"111111111111\"\n}\n");
        assert!(
            message.starts_with("line 3, column 1: not valid HCL"),
            "{message}"
        );
    }

    #[test]
    fn review_block() {
        let config = parse_text(
            "review {\n  warn_days = 14\n  fail_on = [\"expired\"]\n  expired_unchanged = \"fail\"\n}\n",
        )
        .unwrap();
        assert_eq!(config.review.warn_days, 14);
        assert_eq!(config.review.fail_on, vec!["expired".to_string()]);
        assert!(config.review.expired_unchanged_fails);
        assert_eq!(parse_text("").unwrap().review, ReviewSettings::default());
        assert!(
            error_of("review {\n  fail_on = [\"late\"]\n}\n").contains("\"late\" is not a trust path status")
        );
        assert!(error_of("review {\n  expired_unchanged = \"block\"\n}\n").contains("\"warn\" or \"fail\""));
        assert!(error_of("review {\n}\nreview {\n}\n").contains("only one review block"));
    }

    #[test]
    fn unknown_names_are_errors_with_hints() {
        assert_eq!(
            error_of("boundry {\n}\n"),
            "line 1, column 1: unknown block \"boundry\"; did you mean \"boundary\"?"
        );
        assert_eq!(
            error_of("rules {\n}\n"),
            "line 1, column 1: unknown block \"rules\"; expected boundary, annotations, review or exception"
        );
        assert_eq!(
            error_of("boundary {\n  acounts = []\n}\n"),
            "line 2, column 3: unknown attribute \"acounts\" in boundary; did you mean \"accounts\"?"
        );
        assert_eq!(
            error_of("annotations {\n  max_expiry = 3\n}\n"),
            "line 2, column 3: unknown attribute \"max_expiry\" in annotations; did you mean \"max_expiry_days\"?"
        );
        assert_eq!(
            error_of("annotations {\n  colour = 3\n}\n"),
            "line 2, column 3: unknown attribute \"colour\" in annotations; expected max_expiry_days, \
             min_justification_length, inline or from"
        );
        assert_eq!(
            error_of("\n\naccounts = [\"111111111111\"]\n"),
            "line 3, column 1: \"accounts\" must be inside a boundary block, not at the top level"
        );
        assert_eq!(
            error_of("boundary {\n  extra {\n  }\n}\n"),
            "line 2, column 3: unexpected block \"extra\" inside boundary; boundary holds only attributes"
        );
        assert_eq!(
            error_of("boundary \"main\" {\n}\n"),
            "line 1, column 10: a boundary block takes no labels"
        );
    }

    #[test]
    fn wrong_types_are_errors() {
        assert_eq!(
            error_of("boundary {\n  accounts = \"111111111111\"\n}\n"),
            "line 2, column 14: accounts must be a list of strings, not a string"
        );
        assert_eq!(
            error_of("boundary {\n  accounts = [111111111111]\n}\n"),
            "line 2, column 15: accounts must be a list of strings, but holds a number"
        );
        assert_eq!(
            error_of("annotations {\n  inline = \"yes\"\n}\n"),
            "line 2, column 12: inline must be true or false, not a string"
        );
        assert_eq!(
            error_of("annotations {\n  max_expiry_days = \"365\"\n}\n"),
            "line 2, column 21: max_expiry_days must be a positive whole number, not a string"
        );
        assert_eq!(
            error_of("exception {\n  address = var.address\n}\n"),
            "line 2, column 13: address must be a string, not an expression (references and functions are \
             not evaluated in this file)"
        );
        assert_eq!(
            error_of("exception {\n  owner = \"${local.team}\"\n}\n"),
            "line 2, column 11: owner must be a string, not a template (interpolation is not evaluated in \
             this file)"
        );
    }

    #[test]
    fn numbers_must_be_positive_whole_numbers() {
        for (value, shown) in [("0", "0"), ("1.5", "1.5"), ("-3", "-3")] {
            let message = error_of(&format!(
                "annotations {{\n  min_justification_length = {value}\n}}\n"
            ));
            assert_eq!(
                message,
                format!(
                    "line 2, column 30: min_justification_length must be a positive whole number, not {shown}"
                )
            );
        }
        assert_eq!(
            error_of("annotations {\n  max_expiry_days = 5000000000\n}\n"),
            "line 2, column 21: max_expiry_days 5000000000 is too large"
        );
    }

    #[test]
    fn ids_are_checked() {
        assert_eq!(
            error_of("boundary {\n  accounts = [\"111111111111\", \"12345\"]\n}\n"),
            "line 2, column 31: \"12345\" is not a 12-digit AWS account id"
        );
        assert_eq!(
            error_of("boundary {\n  accounts = [\"11111111111a\"]\n}\n"),
            "line 2, column 15: \"11111111111a\" is not a 12-digit AWS account id"
        );
        for bad in ["o-short", "o-A1B2C3D4E5", "a1b2c3d4e5f6", "o-a1b2c3d4e5-x"] {
            let message = error_of(&format!("boundary {{\n  organizations = [\"{bad}\"]\n}}\n"));
            assert!(
                message.starts_with(&format!(
                    "line 2, column 20: \"{bad}\" is not an AWS organization id"
                )),
                "{message}"
            );
        }
        let long = format!("o-{}", "a".repeat(32));
        assert!(parse_text(&format!("boundary {{\n  organizations = [\"{long}\"]\n}}\n")).is_ok());
    }

    #[test]
    fn repeated_blocks_and_attributes_are_errors() {
        assert_eq!(
            error_of("boundary {\n}\n\nboundary {\n}\n"),
            "line 4, column 1: only one boundary block is allowed; the first is on line 1"
        );
        assert_eq!(
            error_of("annotations {\n}\nannotations {\n}\n"),
            "line 3, column 1: only one annotations block is allowed; the first is on line 1"
        );
        assert_eq!(
            error_of("boundary {\n  accounts = []\n  accounts = []\n}\n"),
            "line 3, column 3: not valid HCL: invalid attribute; expected unique attribute key; found redefined \
             attribute"
        );
    }

    #[test]
    fn exceptions_need_their_fields() {
        assert_eq!(
            error_of("boundary {\n}\n\nexception {\n  address = \"aws_iam_role.x\"\n  owner = \"@a\"\n}\n"),
            "line 4: exception is missing expiry and justification"
        );
        assert_eq!(
            error_of("exception {\n}\n"),
            "line 1: exception is missing address, owner, expiry and justification"
        );
        assert_eq!(
            error_of(
                "exception {\n  address = \" \"\n  owner = \"@a\"\n  expiry = \"2027-01-01\"\n  \
                 justification = \"because\"\n}\n"
            ),
            "line 2, column 13: address must not be empty"
        );
        assert_eq!(
            error_of("exception {\n  principal = \"\"\n}\n"),
            "line 2, column 15: principal must not be empty; leave it out to match any principal"
        );
    }

    #[test]
    fn exception_principals_are_canonical() {
        let text = "exception {\n  address = \"a\"\n  principal = \"arn:aws:iam::464622532012:role/x\"\n  \
                    owner = \"@a\"\n  expiry = \"2027-01-01\"\n  justification = \"because\"\n}\n";
        let config = parse_text(text).expect("valid");
        assert_eq!(
            config.exceptions[0].principal.as_deref(),
            Some("arn:aws:iam::464622532012:role/x")
        );
    }

    #[test]
    fn exception_kinds_are_widening_kinds() {
        let text = "exception {\n  address = \"a\"\n  kind = \"condition-weakened\"\n  \
                    owner = \"@a\"\n  expiry = \"2027-01-01\"\n  justification = \"because\"\n}\n";
        let config = parse_text(text).expect("valid");
        assert_eq!(config.exceptions[0].kind, Some(WideningKind::ConditionWeakened));
        assert_eq!(config.exceptions[0].at_base, None);
        let message = error_of("exception {\n  kind = \"external\"\n}\n");
        assert!(
            message.starts_with(
                "line 2, column 10: kind \"external\" is not a widening kind; use one of public, external-account"
            ),
            "{message}"
        );
    }

    #[test]
    fn the_base_config_marks_exceptions_and_decides_from() {
        let exception = "exception {\n  address = \"a\"\n  principal = \"464622532012\"\n  \
                         owner = \"@a\"\n  expiry = \"2027-01-01\"\n  justification = \"because\"\n}\n";
        let renewed = exception.replace("2027-01-01", "2027-02-01");
        let base = parse_text(&format!("annotations {{\n  from = \"base\"\n}}\n{exception}")).unwrap();
        // The change moves the exception down a line, adds a renewed copy, and tries from = "any".
        let mut head = parse_text(&format!(
            "annotations {{\n  from = \"any\"\n}}\n\n{exception}{renewed}"
        ))
        .unwrap();
        head.compare_with_base(&base);
        assert_eq!(
            head.exceptions.iter().map(|e| e.at_base).collect::<Vec<_>>(),
            vec![Some(true), Some(false)]
        );
        assert!(head.annotations.from_base);
        // A stricter working tree stays strict.
        let mut strict = parse_text("annotations {\n  from = \"base\"\n}\n").unwrap();
        strict.compare_with_base(&Config::default());
        assert!(strict.annotations.from_base);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(
            error_of("boundary {\n  organizations = [\"ä\", \"bad\"]\n}\n"),
            "line 2, column 20: \"ä\" is not an AWS organization id (\"o-\" and 10 to 32 lowercase letters or \
             digits)"
        );
        assert_eq!(
            error_of("boundary {\n  accounts = [\"ä\", \"bad\"]\n}\n")
                .split(':')
                .next(),
            Some("line 2, column 15")
        );
    }

    #[test]
    fn load_uses_cwd_default_or_explicit_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        // nothing in cwd: default config
        let config = load(None, dir.path()).expect("default");
        assert_eq!(config, Config::default());

        // explicit path that does not exist: unreadable
        let missing = load(Some(Path::new("nope.hcl")), dir.path());
        match missing {
            Err(Error::Unreadable { path, .. }) => assert_eq!(path, PathBuf::from("nope.hcl")),
            other => panic!("expected Unreadable, got {other:?}"),
        }

        // the default file in cwd is found
        let default_path = dir.path().join(DEFAULT_FILE_NAME);
        std::fs::write(&default_path, "boundary {\n  accounts = [\"111111111111\"]\n}\n").expect("write");
        let config = load(None, dir.path()).expect("found");
        assert_eq!(config.path, Some(default_path.clone()));
        assert_eq!(config.accounts, vec!["111111111111"]);

        // a default "file" that exists but cannot be read is an error, not silently the defaults
        let odd_dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(odd_dir.path().join(DEFAULT_FILE_NAME)).expect("mkdir");
        assert!(matches!(
            load(None, odd_dir.path()),
            Err(Error::Unreadable { .. })
        ));

        // an explicit relative path is read relative to cwd and reported as given
        std::fs::write(dir.path().join("other.hcl"), "boundry {\n}\n").expect("write");
        let err = load(Some(Path::new("other.hcl")), dir.path()).expect_err("invalid");
        assert_eq!(
            err.to_string(),
            "other.hcl: line 1, column 1: unknown block \"boundry\"; did you mean \"boundary\"?"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
            let _ = parse_text(&text);
        }

        #[test]
        fn never_panics_on_damaged_configs(cut in 0..FULL.len(), insert in "[{}\\[\\]\"=#\n a-z0-9]{0,6}") {
            let mut text: String = FULL.chars().take(cut).collect();
            text.push_str(&insert);
            text.extend(FULL.chars().skip(cut + insert.len()));
            let _ = parse_text(&text);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "\u{0}",
            "boundary {",
            "}",
            "\u{202e}exception {}",
            "a = \"\u{1F600}\"",
            "\n\n\n",
            "{}",
        ] {
            let _ = parse_text(text);
        }
    }
}
