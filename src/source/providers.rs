//! Which AWS account each resource of this configuration lives in, from the plan's `configuration`: the
//! provider configuration that manages it (`provider_config_key`) and what that configuration pins.
//!
//! * The default `aws` provider (no alias): the caller account, i.e. the `account_id` of a
//!   `data.aws_caller_identity` read through it at plan time (in prior_state), unless the provider pins
//!   another account with a single `allowed_account_ids`. When the plan has no such data source, the
//!   account is [`CALLER`]: the judge takes it to be the trust boundary's account when the boundary has
//!   exactly one (the owner said which account they run in).
//! * An aliased provider: the one account of its `allowed_account_ids`, else the account of its
//!   `assume_role` `role_arn`, when written as constants; otherwise unknown. An aliased provider is never
//!   assumed to be the caller's account: it exists to reach somewhere else.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::plan::{Plan, ResourceMode};

/// Stands for "the default provider's caller, not detected in the plan"; never a real account id.
pub const CALLER: &str = "caller";

/// Account of each managed resource: (module call path, configuration address) → account, `None` when it
/// cannot be known offline.
#[derive(Debug, Default, Clone)]
pub struct ResourceAccounts {
    accounts: BTreeMap<(Vec<String>, String), Option<String>>,
}

impl ResourceAccounts {
    pub fn from_plan(plan: &Plan<'_>) -> ResourceAccounts {
        let Some(configuration) = plan
            .configuration
            .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
        else {
            return ResourceAccounts::default();
        };
        let caller = caller_account(plan, &configuration);
        let providers = configuration.get("provider_config").and_then(Value::as_object);
        let account_of = |key: &str| -> Option<String> {
            let provider = providers.and_then(|p| p.get(key))?;
            if provider.get("name").and_then(Value::as_str) != Some("aws") {
                return None;
            }
            let expressions = provider.get("expressions");
            let pinned = expressions
                .and_then(|e| e.get("allowed_account_ids"))
                .and_then(|a| a.get("constant_value"))
                .and_then(Value::as_array)
                .filter(|ids| ids.len() == 1)
                .and_then(|ids| ids[0].as_str())
                .filter(|id| is_account_id(id))
                .map(str::to_string);
            if provider.get("alias").is_none() {
                return pinned.or_else(|| Some(caller.clone().unwrap_or_else(|| CALLER.to_string())));
            }
            pinned.or_else(|| {
                let role = expressions?
                    .get("assume_role")?
                    .as_array()?
                    .first()?
                    .get("role_arn")?
                    .get("constant_value")?
                    .as_str()?;
                let account = role.split(':').nth(4)?;
                is_account_id(account).then(|| account.to_string())
            })
        };
        let mut accounts = BTreeMap::new();
        let mut pending: Vec<(Vec<String>, &Value)> = configuration
            .get("root_module")
            .map(|root| vec![(Vec::new(), root)])
            .unwrap_or_default();
        while let Some((path, module)) = pending.pop() {
            for resource in module
                .get("resources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(address), Some(key)) = (
                    resource.get("address").and_then(Value::as_str),
                    resource.get("provider_config_key").and_then(Value::as_str),
                ) else {
                    continue;
                };
                accounts.insert((path.clone(), address.to_string()), account_of(key));
            }
            for (name, call) in module
                .get("module_calls")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(child) = call.get("module") {
                    let mut child_path = path.clone();
                    child_path.push(name.clone());
                    pending.push((child_path, child));
                }
            }
        }
        ResourceAccounts { accounts }
    }

    /// The account of the resource `address` (configuration address, no instance keys) in the module at
    /// `path`: `Some(None)` when it is managed here but its account is not known.
    pub fn account(&self, path: &[String], address: &str) -> Option<Option<&str>> {
        self.accounts
            .get(&(path.to_vec(), address.to_string()))
            .map(|a| a.as_deref())
    }
}

/// The account of a `data.aws_caller_identity` read through the default provider.
fn caller_account(plan: &Plan<'_>, configuration: &Value) -> Option<String> {
    let default_keys = default_provider_identities(configuration);
    let prior = plan.prior_state.as_ref()?;
    prior
        .all_resources()
        .into_iter()
        .filter(|r| r.mode == ResourceMode::Data && r.resource_type == "aws_caller_identity")
        .filter(|r| {
            default_keys
                .iter()
                .any(|a| *a == r.address.split('[').next().unwrap_or(""))
        })
        .find_map(|r| {
            let values: Value = serde_json::from_str(r.values?.get()).ok()?;
            values
                .get("account_id")?
                .as_str()
                .filter(|a| is_account_id(a))
                .map(str::to_string)
        })
}

/// Absolute addresses of the `aws_caller_identity` data sources that use an unaliased aws provider.
fn default_provider_identities(configuration: &Value) -> Vec<String> {
    let providers = configuration.get("provider_config").and_then(Value::as_object);
    let unaliased = |key: &str| {
        providers
            .and_then(|p| p.get(key))
            .is_some_and(|p| p.get("name").and_then(Value::as_str) == Some("aws") && p.get("alias").is_none())
    };
    let mut out = Vec::new();
    let mut pending: Vec<(String, &Value)> = configuration
        .get("root_module")
        .map(|root| vec![(String::new(), root)])
        .unwrap_or_default();
    while let Some((prefix, module)) = pending.pop() {
        for resource in module
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if resource.get("type").and_then(Value::as_str) == Some("aws_caller_identity")
                && resource
                    .get("provider_config_key")
                    .and_then(Value::as_str)
                    .is_some_and(unaliased)
                && let Some(address) = resource.get("address").and_then(Value::as_str)
            {
                out.push(format!("{prefix}{address}"));
            }
        }
        for (name, call) in module
            .get("module_calls")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(child) = call.get("module") {
                pending.push((format!("{prefix}module.{name}."), child));
            }
        }
    }
    out
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts(configuration: &str, prior: &str) -> ResourceAccounts {
        let text = format!(
            r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":{prior}}}}}}},
                "configuration":{configuration}}}"#
        );
        let plan = crate::plan::parse_plan(&text, std::path::Path::new("plan.json")).unwrap();
        ResourceAccounts::from_plan(&plan)
    }

    #[test]
    fn the_default_provider_is_the_caller_and_an_aliased_one_is_only_what_it_pins() {
        let configuration = r#"{
          "provider_config": {
            "aws": {"name": "aws"},
            "aws.peer": {"name": "aws", "alias": "peer",
                         "expressions": {"assume_role": [{"role_arn": {"constant_value": "arn:aws:iam::999988887777:role/deploy"}}]}},
            "aws.other": {"name": "aws", "alias": "other", "expressions": {"profile": {"constant_value": "x"}}},
            "aws.pinned": {"name": "aws", "alias": "pinned",
                           "expressions": {"allowed_account_ids": {"constant_value": ["222233334444"]}}}
          },
          "root_module": {
            "resources": [
              {"address": "data.aws_caller_identity.me", "type": "aws_caller_identity", "provider_config_key": "aws"},
              {"address": "aws_iam_role.own", "type": "aws_iam_role", "provider_config_key": "aws"},
              {"address": "aws_iam_role.peer", "type": "aws_iam_role", "provider_config_key": "aws.peer"},
              {"address": "aws_iam_role.other", "type": "aws_iam_role", "provider_config_key": "aws.other"},
              {"address": "aws_iam_role.pinned", "type": "aws_iam_role", "provider_config_key": "aws.pinned"}
            ],
            "module_calls": {"m": {"module": {"resources": [
              {"address": "aws_sqs_queue.q", "type": "aws_sqs_queue", "provider_config_key": "aws"}]}}}
          }
        }"#;
        let prior = r#"[{"address":"data.aws_caller_identity.me","mode":"data","type":"aws_caller_identity",
                         "name":"me","values":{"account_id":"111111111111"}}]"#;
        let a = accounts(configuration, prior);
        assert_eq!(a.account(&[], "aws_iam_role.own"), Some(Some("111111111111")));
        assert_eq!(a.account(&[], "aws_iam_role.peer"), Some(Some("999988887777")));
        assert_eq!(a.account(&[], "aws_iam_role.other"), Some(None));
        assert_eq!(a.account(&[], "aws_iam_role.pinned"), Some(Some("222233334444")));
        assert_eq!(
            a.account(&["m".to_string()], "aws_sqs_queue.q"),
            Some(Some("111111111111"))
        );
        assert_eq!(a.account(&[], "aws_iam_role.missing"), None);
        // Without a caller identity read through the default provider, its account is unknown.
        let a = accounts(configuration, "[]");
        assert_eq!(a.account(&[], "aws_iam_role.own"), Some(Some(CALLER)));
        assert_eq!(a.account(&[], "aws_iam_role.other"), Some(None));
    }
}
