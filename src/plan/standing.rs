//! Standing resources (`trustgate inventory` inputs): a state (`terraform show -json` without a plan) or a plan (its planned values), both
//! turned into the `Plan` shape extraction reads, where every resource is one standing resource.

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::plan::{self, Change, ChangeAction, Plan, ResourceChange, StateModule};

/// What a file held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// `terraform show -json` of a state: what stands today.
    State,
    /// `terraform show -json` of a plan: what will stand after apply (planned values).
    Plan,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::State => "state",
            DocumentKind::Plan => "plan",
        }
    }
}

#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow, default)]
    format_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    terraform_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    values: Option<plan::StateValues<'a>>,
    #[serde(default)]
    resource_changes: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    planned_values: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    version: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    lineage: Option<serde::de::IgnoredAny>,
}

/// Is this text a raw state file (`terraform.tfstate`: `"version"` and `"lineage"`, no `"format_version"`)?
/// Those need `terraform show -json` first.
pub fn is_raw_state(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('{') {
        return false;
    }
    serde_json::from_str::<Probe>(text)
        .is_ok_and(|p| p.format_version.is_none() && p.version.is_some() && p.lineage.is_some())
}

/// Parses a state or plan document. The result's `resource_changes` are the resources that stand: for a
/// state every resource (as a no-op), for a plan every change that is not a delete or forget, with its
/// planned values as `after`.
pub fn parse<'a>(text: &'a str, path: &Path) -> Result<(Plan<'a>, DocumentKind)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Ok(probe) = serde_json::from_str::<Probe<'a>>(text)
        && probe.format_version.is_some()
        && probe.resource_changes.is_none()
        && probe.planned_values.is_none()
        && let Some(values) = probe.values
    {
        return Ok((
            state_plan(probe.format_version, probe.terraform_version, values.root_module),
            DocumentKind::State,
        ));
    }
    if is_raw_state(text) {
        return Err(Error::invalid(
            path,
            "top level",
            "this is a raw state file (terraform.tfstate); convert it with `terraform show -json FILE` (trustgate \
             does that itself when terraform is available)",
        ));
    }
    let mut plan = plan::parse_plan(text, path).map_err(restate)?;
    plan.resource_changes
        .retain(|change| !matches!(change.change.action, ChangeAction::Delete | ChangeAction::Forget));
    for change in &mut plan.resource_changes {
        // What stands after apply, judged against nothing: every external grant is listed.
        change.change.before = None;
        change.change.before_sensitive = None;
        change.change.action = ChangeAction::Create;
    }
    Ok((plan, DocumentKind::Plan))
}

/// A plan parser message mentions only plans; an inventory also reads states.
fn restate(error: Error) -> Error {
    match error {
        Error::Invalid { path, place, message } => Error::Invalid {
            path,
            place,
            message: message.replace(
                "expected a plan from `terraform show -json <planfile>`",
                "expected a state or plan from `terraform show -json`",
            ),
        },
        other => other,
    }
}

/// For a state: a stand-in `configuration` section naming the root module's `data.aws_caller_identity` and
/// `data.aws_organizations_organization` as read through the default `aws` provider, so that boundary
/// detection (which trusts only those, see `extract::boundary`) can use them. A state records what was
/// applied, not what a change proposes, but its JSON does not say which provider configuration read a data
/// source; a root data source read through an alias is taken for the default one. `--account`/`--org` or
/// the config's boundary block override detection. None when the state has no such data source.
pub fn state_configuration(plan: &Plan<'_>) -> Option<String> {
    let root = plan.prior_state.as_ref()?;
    let entries: Vec<serde_json::Value> = root
        .resources
        .iter()
        .filter(|r| r.mode == crate::plan::ResourceMode::Data)
        .filter(|r| {
            matches!(
                r.resource_type.as_ref(),
                "aws_caller_identity" | "aws_organizations_organization"
            )
        })
        .filter_map(|r| {
            let name = r.name.as_deref()?;
            Some(serde_json::json!({
                "address": format!("data.{}.{name}", r.resource_type),
                "mode": "data",
                "type": r.resource_type.as_ref(),
                "name": name,
                "provider_config_key": "aws",
            }))
        })
        .collect();
    if entries.is_empty() {
        return None;
    }
    Some(serde_json::json!({"root_module": {"resources": entries}}).to_string())
}

fn state_plan<'a>(
    format_version: Option<Cow<'a, str>>,
    terraform_version: Option<Cow<'a, str>>,
    root: Option<StateModule<'a>>,
) -> Plan<'a> {
    let root = root.unwrap_or_default();
    let mut resource_changes = Vec::new();
    let mut pending = vec![&root];
    while let Some(module) = pending.pop() {
        for resource in &module.resources {
            resource_changes.push(ResourceChange {
                address: resource.address.clone(),
                previous_address: None,
                module_address: module.address.clone(),
                mode: resource.mode,
                resource_type: resource.resource_type.clone(),
                name: resource.name.clone().unwrap_or_default(),
                index: resource.index.clone(),
                provider_name: None,
                deposed: None,
                change: Change {
                    action: ChangeAction::Create,
                    before: None,
                    after: resource.values,
                    after_unknown: None,
                    before_sensitive: None,
                    after_sensitive: None,
                },
                action_reason: None,
            });
        }
        pending.extend(module.child_modules.iter().rev());
    }
    Plan {
        format_version: format_version.unwrap_or(Cow::Borrowed("1.0")),
        terraform_version,
        resource_changes,
        // Boundary detection reads the caller identity data source from here.
        prior_state: Some(root),
        variables: None,
        configuration: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_state_with_child_modules() {
        let text = r#"{"format_version":"1.0","terraform_version":"1.11.0","values":{"root_module":{
            "resources":[{"address":"aws_iam_role.a","mode":"managed","type":"aws_iam_role","name":"a","values":{"name":"a"}}],
            "child_modules":[{"address":"module.m","resources":[{"address":"module.m.aws_sqs_queue.q","mode":"managed",
            "type":"aws_sqs_queue","name":"q","values":{}}]}]}}}"#;
        let (plan, kind) = parse(text, Path::new("s.json")).unwrap();
        assert_eq!(kind, DocumentKind::State);
        let addresses: Vec<&str> = plan.resource_changes.iter().map(|c| c.address.as_ref()).collect();
        assert_eq!(addresses, ["aws_iam_role.a", "module.m.aws_sqs_queue.q"]);
        assert_eq!(
            plan.resource_changes[1].module_address.as_deref(),
            Some("module.m")
        );
        assert!(plan.prior_state.is_some());
    }

    #[test]
    fn an_empty_state_has_no_resources() {
        let (plan, kind) = parse(r#"{"format_version":"1.0","values":{}}"#, Path::new("s.json")).unwrap();
        assert_eq!(kind, DocumentKind::State);
        assert!(plan.resource_changes.is_empty());
    }

    #[test]
    fn a_plan_keeps_what_stands_after_apply() {
        let text = r#"{"format_version":"1.2","resource_changes":[
            {"address":"aws_sqs_queue.gone","mode":"managed","type":"aws_sqs_queue","name":"gone",
             "change":{"actions":["delete"],"before":{"policy":"x"},"after":null}},
            {"address":"aws_sqs_queue.kept","mode":"managed","type":"aws_sqs_queue","name":"kept",
             "change":{"actions":["update"],"before":{"policy":"a"},"after":{"policy":"b"}}}]}"#;
        let (plan, kind) = parse(text, Path::new("p.json")).unwrap();
        assert_eq!(kind, DocumentKind::Plan);
        assert_eq!(plan.resource_changes.len(), 1);
        let change = &plan.resource_changes[0].change;
        assert_eq!(
            (change.action, change.before.is_none()),
            (ChangeAction::Create, true)
        );
    }

    #[test]
    fn raw_state_and_garbage_are_errors_naming_the_file() {
        let raw = r#"{"version":4,"lineage":"x","serial":1,"resources":[]}"#;
        assert!(is_raw_state(raw));
        let error = parse(raw, Path::new("terraform.tfstate"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("terraform.tfstate") && error.contains("raw state"),
            "{error}"
        );
        let error = parse("[1]", Path::new("x.json")).unwrap_err().to_string();
        assert!(error.contains("x.json"), "{error}");
    }
}
