//! Terraform plan JSON (`terraform show -json`), format versions 0.1 through 1.x, read typed and
//! without building a DOM (docs/terraform-formats.md sections 2–8).
//!
//! INTERFACE CONTRACT: `parse_plan`, `Plan` (fields may grow), `ChangeAction`.

mod model;
pub mod standing;

use std::borrow::Cow;
use std::path::Path;

use serde_json::value::RawValue;

use crate::error::{Error, Result};

pub use model::{InstanceKey, ResourceMode, StateModule, StateRepresentation, StateResource, StateValues};

/// What Terraform will do to one resource instance (normalised from the `actions` list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    Create,
    Update,
    Delete,
    /// `["delete","create"]` (destroy before create, the default).
    ReplaceDeleteFirst,
    /// `["create","delete"]` (create_before_destroy).
    ReplaceCreateFirst,
    NoOp,
    Read,
    Forget,
    /// `["create","forget"]`.
    ReplaceForget,
}

impl ChangeAction {
    /// The value used in the JSON report's `change` field.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "create",
            ChangeAction::Update => "update",
            ChangeAction::Delete => "delete",
            ChangeAction::ReplaceDeleteFirst
            | ChangeAction::ReplaceCreateFirst
            | ChangeAction::ReplaceForget => "replace",
            ChangeAction::NoOp => "no-op",
            ChangeAction::Read => "read",
            ChangeAction::Forget => "forget",
        }
    }

    /// Maps a plan's `actions` list; `None` for a list Terraform does not document.
    pub fn from_actions<S: AsRef<str>>(actions: &[S]) -> Option<ChangeAction> {
        let names: Vec<&str> = actions.iter().map(AsRef::as_ref).collect();
        Some(match names.as_slice() {
            ["no-op"] => ChangeAction::NoOp,
            ["create"] => ChangeAction::Create,
            ["read"] => ChangeAction::Read,
            ["update"] => ChangeAction::Update,
            ["delete", "create"] => ChangeAction::ReplaceDeleteFirst,
            ["create", "delete"] => ChangeAction::ReplaceCreateFirst,
            ["delete"] => ChangeAction::Delete,
            ["forget"] => ChangeAction::Forget,
            ["create", "forget"] => ChangeAction::ReplaceForget,
            _ => return None,
        })
    }
}

/// A parsed plan. Borrows from the text it was parsed from.
#[derive(Debug)]
pub struct Plan<'a> {
    pub format_version: Cow<'a, str>,
    /// Absent in some hand-made fixtures.
    pub terraform_version: Option<Cow<'a, str>>,
    pub resource_changes: Vec<ResourceChange<'a>>,
    /// Root module of `prior_state` (state after refresh, including data sources read during plan).
    pub prior_state: Option<StateModule<'a>>,
    /// Root module input values, kept raw (`{"name": {"value": …}}`).
    pub variables: Option<&'a RawValue>,
    /// The `configuration` section, kept raw for static evaluation of unknown values.
    pub configuration: Option<&'a RawValue>,
}

/// One `resource_changes` entry: a planned action on one resource instance (or deposed object).
#[derive(Debug)]
pub struct ResourceChange<'a> {
    /// Absolute instance address, e.g. `module.a["k"].aws_iam_role.r[0]`.
    pub address: Cow<'a, str>,
    pub previous_address: Option<Cow<'a, str>>,
    /// `module.a["k"]`; `None` in the root module.
    pub module_address: Option<Cow<'a, str>>,
    pub mode: ResourceMode,
    pub resource_type: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub index: Option<InstanceKey<'a>>,
    pub provider_name: Option<Cow<'a, str>>,
    /// Key of a deposed object (create_before_destroy leftover).
    pub deposed: Option<Cow<'a, str>>,
    pub change: Change<'a>,
    pub action_reason: Option<Cow<'a, str>>,
}

/// The `change` object. Attribute bags are raw JSON; JSON `null` becomes `None`.
#[derive(Debug)]
pub struct Change<'a> {
    pub action: ChangeAction,
    pub before: Option<&'a RawValue>,
    pub after: Option<&'a RawValue>,
    /// Same shape as `after`, `true` at unknown leaves (or bare `true` for a wholly unknown object).
    pub after_unknown: Option<&'a RawValue>,
    /// Bare `false`/`true` or an object shaped like `before`.
    pub before_sensitive: Option<&'a RawValue>,
    pub after_sensitive: Option<&'a RawValue>,
}

/// Parses plan JSON text. `path` is only used for error messages.
pub fn parse_plan<'a>(text: &'a str, path: &Path) -> Result<Plan<'a>> {
    // `read_text` already removes a byte-order mark; text from elsewhere may still carry one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let expected_object = "expected a JSON object: the output of `terraform show -json <planfile>`";
    match text.trim_start().as_bytes().first() {
        None => {
            return Err(Error::invalid(
                path,
                "line 1, column 1",
                format!("empty input; {expected_object}"),
            ));
        }
        Some(b'[') if setup_terraform_wrapper_line(text).is_none() => {
            return Err(Error::invalid(
                path,
                "top level",
                format!("found a JSON array; {expected_object}"),
            ));
        }
        _ => {}
    }
    let raw: model::RawPlan<'a> = match serde_json::from_str(text) {
        Ok(raw) => raw,
        Err(err) => return Err(explain_parse_failure(text, path, &err)),
    };
    let format_version = classify_document(&raw, path)?;
    check_format_version(&format_version, path)?;
    check_whole(&raw, path)?;

    let resource_changes = raw
        .resource_changes
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(position, change)| convert_change(position, change, path))
        .collect::<Result<Vec<_>>>()?;

    Ok(Plan {
        format_version,
        terraform_version: raw.terraform_version,
        resource_changes,
        prior_state: raw
            .prior_state
            .and_then(|state| state.values)
            .and_then(|values| values.root_module),
        variables: raw.variables,
        configuration: raw.configuration,
    })
}

fn convert_change<'a>(
    position: usize,
    raw: model::RawResourceChange<'a>,
    path: &Path,
) -> Result<ResourceChange<'a>> {
    let action = ChangeAction::from_actions(&raw.change.actions).ok_or_else(|| {
        let listed: Vec<String> = raw.change.actions.iter().map(|a| format!("{a:?}")).collect();
        Error::invalid(
            path,
            format!("resource_changes[{position}].change.actions"),
            format!(
                "unknown action list [{}] for {}; expected one of [\"no-op\"], [\"create\"], [\"read\"], \
                 [\"update\"], [\"delete\",\"create\"], [\"create\",\"delete\"], [\"delete\"], [\"forget\"], \
                 [\"create\",\"forget\"]",
                listed.join(","),
                raw.address
            ),
        )
    })?;
    Ok(ResourceChange {
        address: raw.address,
        previous_address: raw.previous_address,
        module_address: raw.module_address,
        mode: raw.mode,
        resource_type: raw.resource_type,
        name: raw.name,
        index: raw.index,
        provider_name: raw.provider_name,
        deposed: raw.deposed,
        change: Change {
            action,
            before: raw.change.before,
            after: raw.change.after,
            after_unknown: raw.change.after_unknown,
            before_sensitive: raw.change.before_sensitive,
            after_sensitive: raw.change.after_sensitive,
        },
        action_reason: raw.action_reason,
    })
}

/// A plan that is not the whole change fails closed: judging the part that is there would pass whatever
/// the missing part does (an errored plan stops early, a `-target` plan or a deferral leaves changes for
/// a later plan that nobody checks before it is applied).
fn check_whole(raw: &model::RawPlan<'_>, path: &Path) -> Result<()> {
    if raw.errored == Some(true) {
        return Err(Error::invalid(
            path,
            "errored",
            "the plan is errored (\"errored\": true): terraform stopped planning on an error, so the plan \
             may leave out changes; trustgate judges only whole plans: fix the error and plan again",
        ));
    }
    if let Some(deferred) = raw.deferred_changes.as_deref().filter(|d| !d.is_empty()) {
        let first = &deferred[0];
        let address = first
            .resource_change
            .as_ref()
            .and_then(|change| change.address.as_deref())
            .unwrap_or("an unnamed resource");
        let reason = first.reason.as_deref().unwrap_or("no reason given");
        let more = match deferred.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        return Err(Error::invalid(
            path,
            "deferred_changes[0]",
            format!(
                "the plan defers changes to a later plan ({address}, reason {reason:?}{more}); their policies \
                 are not planned yet, so trustgate cannot judge them: apply what this plan allows without \
                 deferrals, then plan again"
            ),
        ));
    }
    if raw.complete == Some(false) {
        return Err(Error::invalid(
            path,
            "complete",
            "the plan is incomplete (\"complete\": false): applying it leaves changes for a later plan \
             (a -target plan, or deferred changes), and trustgate judges only whole plans: plan without -target",
        ));
    }
    Ok(())
}

const EXPECTED_PLAN: &str = "expected a plan from `terraform show -json <planfile>`";

/// Tells a plan apart from the other JSON Terraform writes; returns the plan's `format_version`.
fn classify_document<'a>(raw: &model::RawPlan<'a>, path: &Path) -> Result<Cow<'a, str>> {
    let Some(format_version) = &raw.format_version else {
        let message = if raw.version.is_some() || raw.lineage.is_some() {
            format!(
                "this looks like a raw Terraform state file (terraform.tfstate with \"version\"); {EXPECTED_PLAN}"
            )
        } else {
            format!("not a Terraform plan: there is no \"format_version\" key; {EXPECTED_PLAN}")
        };
        return Err(Error::invalid(path, "top level", message));
    };
    let has_plan_parts = raw.resource_changes.is_some()
        || raw.planned_values.is_some()
        || raw.configuration.is_some()
        || raw.output_changes.is_some()
        || raw.prior_state.is_some();
    if raw.values.is_some() && !has_plan_parts {
        return Err(Error::invalid(
            path,
            "top level",
            format!(
                "this looks like a Terraform state (`terraform show -json` without a plan file: it has \
                 \"values\" but no \"planned_values\" or \"resource_changes\"); {EXPECTED_PLAN}"
            ),
        ));
    }
    Ok(format_version.clone())
}

fn check_format_version(version: &str, path: &Path) -> Result<()> {
    let mut parts = version.splitn(2, '.');
    let major = parts.next().unwrap_or_default();
    let minor_ok = parts
        .next()
        .is_none_or(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    let supported = (major == "0" || major == "1") && minor_ok;
    if supported {
        return Ok(());
    }
    Err(Error::invalid(
        path,
        "format_version",
        format!(
            "unsupported plan format_version {version:?}; trustgate reads plan format versions 0.x and 1.x \
             (Terraform 0.12 and later, OpenTofu)"
        ),
    ))
}

/// Turns a serde failure into one readable line, recognising known non-plan captures first.
fn explain_parse_failure(text: &str, path: &Path, err: &serde_json::Error) -> Error {
    if let Some(line) = setup_terraform_wrapper_line(text) {
        return Error::invalid(
            path,
            format!("line {line}"),
            "this is output captured through the hashicorp/setup-terraform wrapper (a [command] line and \
             ::set-output workflow commands around the JSON), not plain plan JSON; set \
             `terraform_wrapper: false` on hashicorp/setup-terraform, or write the file outside the wrapper \
             with `terraform-bin show -json plan > plan.json`",
        );
    }
    // A structurally different document with a newer format version: say so rather than report a type error.
    if err.is_data()
        && let Ok(probe) = serde_json::from_str::<model::VersionProbe>(text)
        && let Some(version) = probe.format_version
        && let Err(version_error) = check_format_version(&version, path)
    {
        return version_error;
    }
    Error::invalid(
        path,
        format!("line {}, column {}", err.line(), err.column()),
        readable_serde_message(err),
    )
}

/// The 1-based line of the wrapper's tell-tale lines, if the text looks like a setup-terraform capture.
fn setup_terraform_wrapper_line(text: &str) -> Option<usize> {
    let first_line = text
        .trim_start_matches(['\u{feff}', '\n', '\r', ' '])
        .lines()
        .next()?;
    if first_line.starts_with("[command]") {
        return Some(
            text.lines()
                .position(|line| line.starts_with("[command]"))
                .map_or(1, |i| i + 1),
        );
    }
    text.lines()
        .position(|line| line.starts_with("::set-output") || line.starts_with("::debug::"))
        .map(|i| i + 1)
}

fn readable_serde_message(err: &serde_json::Error) -> String {
    let full = err.to_string();
    // serde_json appends " at line L column C"; the place is reported separately.
    let message = match full.rfind(" at line ") {
        Some(cut) => &full[..cut],
        None => full.as_str(),
    };
    let message = match err.classify() {
        serde_json::error::Category::Eof => {
            let what = message.strip_prefix("EOF while parsing ").unwrap_or(message);
            format!("unexpected end of input while reading {what} (is the file truncated?)")
        }
        serde_json::error::Category::Syntax if message == "trailing characters" => {
            "unexpected text after the end of the JSON document".to_string()
        }
        serde_json::error::Category::Syntax => format!("malformed JSON: {message}"),
        _ => format!("not a valid plan: {message}"),
    };
    // Our internal type names mean nothing to users.
    message
        .replace("struct RawPlan", "a plan object")
        .replace("struct RawResourceChange", "a resource change object")
        .replace("struct RawChange", "a change object")
        .replace("struct StateRepresentation", "a state object")
        .replace("struct StateValues", "a state values object")
        .replace("struct StateModule", "a module object")
        .replace("struct StateResource", "a resource object")
}

#[cfg(test)]
mod tests;
