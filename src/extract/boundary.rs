//! The trust boundary a plan reveals about itself, limited to what the change under review cannot write:
//! the root module's `data.aws_caller_identity` read through the default `aws` provider (a data source in
//! a module or through a provider alias can be pointed at any account), and the account field of the
//! `arn` that AWS computed for a resource already in the prior state (not an `arn` argument the
//! configuration sets, and not the `after` side of a change, which the author writes).
//!
//! Several accounts found this way is not a boundary but a question: detection then yields a conflict,
//! and the check stops (exit 2) asking for `--account` or the config file's `boundary` block.

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde::Deserialize;

use super::configured::{self, ConfiguredAttributes};
use super::json;
use crate::analysis::{Boundary, OwnIdentity};
use crate::plan::{Plan, ResourceMode, StateResource};

/// What detection found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// Nothing the change cannot forge says who owns it.
    Nothing,
    /// One account (and the organizations of the root caller), with a sentence saying where it came from.
    Found(Boundary, String),
    /// The sources disagree; the sentence names the accounts and where each came from.
    Conflict(String),
}

pub(crate) fn detect(plan: &Plan<'_>, configured: Option<&ConfiguredAttributes>) -> Detected {
    let eks = eks_issuers(plan);
    match detect_accounts(plan, configured) {
        Detected::Found(mut boundary, source) => {
            boundary.federated = eks;
            Detected::Found(boundary, source)
        }
        Detected::Nothing if !eks.is_empty() => Detected::Found(
            Boundary {
                federated: eks,
                ..Boundary::default()
            },
            "EKS cluster OIDC issuers in prior_state".to_string(),
        ),
        other => other,
    }
}

/// The OIDC issuers of EKS clusters already in the prior state (AWS computed them; the change cannot write
/// them): every subject of such an issuer is a service account of the own cluster.
fn eks_issuers(plan: &Plan<'_>) -> Vec<OwnIdentity> {
    let mut found = Vec::new();
    for resource in prior_state_resources(plan) {
        if resource.mode != ResourceMode::Managed || resource.resource_type != "aws_eks_cluster" {
            continue;
        }
        let issuer = resource
            .values
            .and_then(|values| json::member(values, "identity"))
            .and_then(json::array_elements)
            .and_then(|identities| identities.first().copied())
            .and_then(|identity| json::member(identity, "oidc"))
            .and_then(json::array_elements)
            .and_then(|oidc| oidc.first().copied())
            .and_then(|oidc| json::member(oidc, "issuer"))
            .and_then(json::as_text);
        if let Some(issuer) = issuer
            && let Ok(identity) = OwnIdentity::issuer(
                &issuer,
                &format!("EKS cluster {} in the plan's state", resource.address),
            )
            && !found.contains(&identity)
        {
            found.push(identity);
        }
    }
    found
}

fn detect_accounts(plan: &Plan<'_>, configured: Option<&ConfiguredAttributes>) -> Detected {
    let Some(configured) = configured else {
        // Without the configuration section nothing tells the default provider from an alias, nor a
        // computed `arn` from an argument.
        return Detected::Nothing;
    };
    let caller = from_caller_identity(plan, configured);
    let arns = from_resource_arns(plan, configured);
    let mut accounts: BTreeSet<&str> = caller.boundary.accounts.iter().map(String::as_str).collect();
    accounts.extend(arns.accounts.iter().map(|(account, _)| account.as_str()));
    if accounts.len() > 1 {
        let mut places = Vec::new();
        for account in &caller.boundary.accounts {
            places.push(format!("{account} ({})", caller.sources.join(", ")));
        }
        for (account, example) in &arns.accounts {
            if !caller.boundary.accounts.contains(account) {
                places.push(format!("{account} (in the ARN of {example})"));
            }
        }
        return Detected::Conflict(format!(
            "the plan shows several accounts that could be its own: {}; say which are inside the trust \
             boundary with --account (and --org), or a `boundary` block in .trustgate.hcl",
            places.join(", ")
        ));
    }
    if let Some(first) = caller.sources.first() {
        let named = match caller.sources.len() {
            1 => first.clone(),
            n => format!("{first} (and {} more)", n - 1),
        };
        return Detected::Found(caller.boundary, format!("{named} in prior_state"));
    }
    let Some((account, _)) = arns.accounts.first() else {
        return Detected::Nothing;
    };
    let boundary = Boundary {
        accounts: [account.clone()].into_iter().collect(),
        ..Boundary::default()
    };
    let noun = if arns.resources == 1 {
        "resource"
    } else {
        "resources"
    };
    Detected::Found(
        boundary,
        format!("account in computed ARNs of {} existing {noun}", arns.resources),
    )
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

/// `type.name` (managed) or `data.type.name` of a state resource: its address without module path and
/// instance key. None for a resource inside a module (its address starts with `module.`).
fn root_config_address(resource: &StateResource<'_>) -> Option<String> {
    if resource.address.starts_with("module.") {
        return None;
    }
    let name = resource.name.as_deref()?;
    let bare = configured::resource_config_address(&resource.resource_type, name);
    Some(match resource.mode {
        ResourceMode::Data => format!("data.{bare}"),
        _ => bare,
    })
}

#[derive(Default)]
struct CallerIdentity {
    boundary: Boundary,
    sources: Vec<String>,
}

/// `data.aws_caller_identity` (account) and `data.aws_organizations_organization` (organization) in
/// prior_state, in the root module, read through the default `aws` provider.
fn from_caller_identity(plan: &Plan<'_>, configured: &ConfiguredAttributes) -> CallerIdentity {
    let mut found = CallerIdentity::default();
    for resource in prior_state_resources(plan) {
        if resource.mode != ResourceMode::Data {
            continue;
        }
        let Some(config_address) = root_config_address(resource) else {
            continue;
        };
        if configured.root_uses_default_aws(&config_address) != Some(true) {
            continue;
        }
        match resource.resource_type.as_ref() {
            "aws_caller_identity" => {
                if let Some(account) = text_value(resource, "account_id").filter(|a| is_account_id(a)) {
                    found.boundary.accounts.insert(account);
                    if !found.sources.iter().any(|s| s == resource.address.as_ref()) {
                        found.sources.push(resource.address.to_string());
                    }
                }
            }
            "aws_organizations_organization" => {
                if let Some(org) = text_value(resource, "id").filter(|id| id.starts_with("o-")) {
                    found.boundary.organizations.insert(org);
                }
            }
            _ => {}
        }
    }
    found
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

struct ArnAccounts {
    /// Each account with the first resource (by address) whose ARN names it.
    accounts: Vec<(String, String)>,
    /// Resources whose computed ARN names an account.
    resources: usize,
}

/// Accounts in the computed `arn` of managed resources in prior_state whose configuration does not set
/// `arn` itself.
fn from_resource_arns(plan: &Plan<'_>, configured: &ConfiguredAttributes) -> ArnAccounts {
    let mut found = prior_state_resources(plan)
        .into_par_iter()
        .filter(|resource| resource.mode == ResourceMode::Managed)
        .filter(|resource| arn_is_computed(resource, configured))
        .filter_map(|resource| Some((account_in_bag(resource.values)?, resource.address.to_string())))
        .collect::<Vec<_>>();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    let resources = found.len();
    let mut accounts: Vec<(String, String)> = Vec::new();
    for (account, address) in found {
        if !accounts.iter().any(|(known, _)| *known == account) {
            accounts.push((account, address));
        }
    }
    accounts.sort();
    ArnAccounts { accounts, resources }
}

/// True when the configuration behind the resource is known and does not set an `arn` argument.
fn arn_is_computed(resource: &StateResource<'_>, configured: &ConfiguredAttributes) -> bool {
    let Some(name) = resource.name.as_deref() else {
        return false;
    };
    let module = module_of(&resource.address);
    let config_address = configured::resource_config_address(&resource.resource_type, name);
    configured.sets(module, &config_address, "arn") == Some(false)
}

/// The module part of an instance address (`module.a["k"]` of `module.a["k"].aws_x.y[0]`), empty in the
/// root module. Module keys may hold dots, so the split is after the last module step.
fn module_of(address: &str) -> &str {
    let mut rest = address;
    let mut end = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        let name_end = after.find(['[', '.']).unwrap_or(after.len());
        let mut step = "module.".len() + name_end;
        let tail = &after[name_end..];
        if tail.starts_with('[') {
            match key_len(tail) {
                Some(len) => step += len,
                None => return "",
            }
        }
        end += step;
        rest = &address[end..];
        match rest.strip_prefix('.') {
            Some(next) if next.starts_with("module.") => {
                end += 1;
                rest = next;
            }
            _ => break,
        }
    }
    &address[..end]
}

fn key_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b']' if !in_string => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_part_of_instance_addresses() {
        assert_eq!(module_of("aws_sqs_queue.q"), "");
        assert_eq!(module_of("module.a.aws_sqs_queue.q"), "module.a");
        assert_eq!(
            module_of("module.a[\"x.y]\"].module.b[0].aws_sqs_queue.q[1]"),
            "module.a[\"x.y]\"].module.b[0]"
        );
    }
}
