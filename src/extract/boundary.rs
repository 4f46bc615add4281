//! The trust boundary a plan reveals about itself: the caller identity data source when the configuration
//! reads it, else the account field of the resource ARNs it manages.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Deserialize;

use super::json;
use crate::analysis::Boundary;
use crate::plan::{Plan, ResourceMode, StateResource};

pub(crate) fn detect(plan: &Plan<'_>) -> Option<(Boundary, String)> {
    from_caller_identity(plan).or_else(|| from_resource_arns(plan))
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn prior_state_resources<'p, 'a>(plan: &'p Plan<'a>) -> Vec<&'p StateResource<'a>> {
    plan.prior_state
        .as_ref()
        .map(|root| root.all_resources())
        .unwrap_or_default()
}

fn text_value(resource: &StateResource<'_>, key: &str) -> Option<String> {
    json::as_text(json::member(resource.values?, key)?)
}

/// `data.aws_caller_identity` (account) and `data.aws_organizations_organization` (organization) in
/// prior_state, in any module.
fn from_caller_identity(plan: &Plan<'_>) -> Option<(Boundary, String)> {
    let mut boundary = Boundary::default();
    let mut sources = Vec::new();
    for resource in prior_state_resources(plan) {
        if resource.mode != ResourceMode::Data {
            continue;
        }
        match resource.resource_type.as_ref() {
            "aws_caller_identity" => {
                if let Some(account) = text_value(resource, "account_id").filter(|a| is_account_id(a)) {
                    boundary.accounts.insert(account);
                    if !sources.contains(&resource.address.as_ref()) {
                        sources.push(resource.address.as_ref());
                    }
                }
            }
            "aws_organizations_organization" => {
                if let Some(org) = text_value(resource, "id").filter(|id| id.starts_with("o-")) {
                    boundary.organizations.insert(org);
                }
            }
            _ => {}
        }
    }
    if boundary.accounts.is_empty() {
        return None;
    }
    let named = match sources.as_slice() {
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
        [] => return None,
    };
    Some((boundary, format!("{named} in prior_state")))
}

/// Only the `arn` attribute of an attribute bag; the rest is skipped by the parser.
#[derive(Deserialize)]
struct ArnOnly<'a> {
    #[serde(borrow, default)]
    arn: Option<std::borrow::Cow<'a, str>>,
}

fn account_of_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.strip_prefix("arn:")?.splitn(5, ':');
    let (_partition, _service, _region) = (parts.next()?, parts.next()?, parts.next()?);
    let account = parts.next()?;
    parts.next()?; // a well-formed ARN has a resource part
    is_account_id(account).then_some(account)
}

fn account_in_bag(bag: Option<&serde_json::value::RawValue>) -> Option<String> {
    let parsed: ArnOnly = serde_json::from_str(bag?.get()).ok()?;
    account_of_arn(parsed.arn.as_deref()?).map(str::to_string)
}

/// Accounts in the ARNs of managed resources (prior_state, before and after of resource_changes).
fn from_resource_arns(plan: &Plan<'_>) -> Option<(Boundary, String)> {
    let from_state = prior_state_resources(plan)
        .into_par_iter()
        .filter(|resource| resource.mode == ResourceMode::Managed)
        .filter_map(|resource| Some((resource.address.to_string(), account_in_bag(resource.values)?)))
        .collect::<Vec<_>>();
    let from_changes = plan
        .resource_changes
        .par_iter()
        .filter(|change| change.mode == ResourceMode::Managed)
        .flat_map_iter(|change| {
            [change.change.before, change.change.after]
                .into_iter()
                .filter_map(|bag| Some((change.address.to_string(), account_in_bag(bag)?)))
        })
        .collect::<Vec<_>>();
    let mut resources = BTreeSet::new();
    let mut boundary = Boundary::default();
    for (address, account) in from_state.into_iter().chain(from_changes) {
        resources.insert(address);
        boundary.accounts.insert(account);
    }
    if boundary.accounts.is_empty() {
        return None;
    }
    let noun = if resources.len() == 1 {
        "resource"
    } else {
        "resources"
    };
    let label = if boundary.accounts.len() == 1 {
        "account"
    } else {
        "accounts"
    };
    Some((
        boundary,
        format!("{label} in ARNs of {} planned {noun}", resources.len()),
    ))
}
