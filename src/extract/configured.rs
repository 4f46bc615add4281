//! Which attributes each resource's configuration sets, from the plan's `configuration` section.
//!
//! Several policy attributes are optional *and computed* (`aws_s3_bucket.policy`, `aws_sqs_queue.policy`,
//! `aws_kms_key.policy`, …): when the configuration does not set them, a create shows them as "known after
//! apply" although no policy comes from this resource — AWS fills them in from the separate policy resource
//! (which is checked on its own) or from its defaults. Knowing that the attribute is not configured turns
//! such an unknown into "absent" instead of a false `unverifiable` on every new bucket.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct ConfigurationJson<'a> {
    #[serde(borrow)]
    root_module: Option<ModuleJson<'a>>,
}

#[derive(Deserialize)]
struct ModuleJson<'a> {
    #[serde(default, borrow)]
    resources: Vec<ResourceJson<'a>>,
    #[serde(default, borrow)]
    module_calls: BTreeMap<&'a str, ModuleCallJson<'a>>,
}

#[derive(Deserialize)]
struct ModuleCallJson<'a> {
    #[serde(borrow)]
    module: Option<ModuleJson<'a>>,
}

#[derive(Deserialize)]
struct ResourceJson<'a> {
    address: &'a str,
    /// `aws` for the default provider configuration, `aws.other` for an alias (root module).
    #[serde(default)]
    provider_config_key: Option<&'a str>,
    #[serde(default, borrow)]
    expressions: BTreeMap<&'a str, &'a RawValue>,
}

/// The part of an expression this index reads: what it references (absent for constants and blocks).
#[derive(Deserialize)]
struct ExpressionJson {
    #[serde(default)]
    references: Vec<String>,
}

/// Configured attribute names per (module call path, resource config address).
#[derive(Debug, Default)]
pub struct ConfiguredAttributes {
    by_resource: BTreeMap<(Vec<String>, String), BTreeSet<String>>,
    /// What each argument's expression references, per (module call path, resource config address, argument).
    references: BTreeMap<(Vec<String>, String, String), Vec<String>>,
    /// Provider configuration key of each root-module resource and data source (`data.x.y`).
    root_providers: BTreeMap<String, String>,
}

impl ConfiguredAttributes {
    /// Reads the `configuration` section; None when the plan has none or it cannot be read (then nothing
    /// can be said about what is configured, and unknown values stay unknown).
    pub fn from_plan(configuration: Option<&RawValue>) -> Option<ConfiguredAttributes> {
        let parsed: ConfigurationJson<'_> = serde_json::from_str(configuration?.get()).ok()?;
        let mut index = ConfiguredAttributes::default();
        if let Some(root) = parsed.root_module {
            index.add_module(&mut Vec::new(), root);
        }
        Some(index)
    }

    fn add_module(&mut self, path: &mut Vec<String>, module: ModuleJson<'_>) {
        for resource in module.resources {
            if path.is_empty()
                && let Some(key) = resource.provider_config_key
            {
                self.root_providers
                    .insert(resource.address.to_string(), key.to_string());
            }
            for (name, expression) in &resource.expressions {
                if let Ok(parsed) = serde_json::from_str::<ExpressionJson>(expression.get())
                    && !parsed.references.is_empty()
                {
                    self.references.insert(
                        (path.clone(), resource.address.to_string(), name.to_string()),
                        parsed.references,
                    );
                }
            }
            let names = resource.expressions.into_keys().map(str::to_string).collect();
            self.by_resource
                .insert((path.clone(), resource.address.to_string()), names);
        }
        for (name, call) in module.module_calls {
            if let Some(child) = call.module {
                path.push(name.to_string());
                self.add_module(path, child);
                path.pop();
            }
        }
    }

    /// Whether the configuration behind `module_address` / `resource_address` (`aws_s3_bucket.b` without
    /// an instance index) sets `attribute`. None when that resource is not in the configuration section.
    pub fn sets(&self, module_address: &str, resource_address: &str, attribute: &str) -> Option<bool> {
        let path = module_call_path(module_address)?;
        let names = self.by_resource.get(&(path, resource_address.to_string()))?;
        Some(names.contains(attribute))
    }
}

impl ConfiguredAttributes {
    /// What the expression of `argument` of the resource behind `module_address` / `resource_address`
    /// references (`["aws_sns_topic.t.arn", "aws_sns_topic.t"]`), as the plan's configuration lists it.
    pub fn references(&self, module_address: &str, resource_address: &str, argument: &str) -> &[String] {
        module_call_path(module_address)
            .and_then(|path| {
                self.references
                    .get(&(path, resource_address.to_string(), argument.to_string()))
            })
            .map_or(&[], Vec::as_slice)
    }

    /// Whether the root-module resource or data source at `config_address` (`data.aws_caller_identity.me`,
    /// no instance key) uses the default configuration of the `aws` provider (not an alias). None when the
    /// configuration does not name its provider.
    pub fn root_uses_default_aws(&self, config_address: &str) -> Option<bool> {
        let key = self.root_providers.get(config_address)?;
        Some(key == "aws")
    }
}

/// `module.a["k"].module.b[0]` → `["a", "b"]`: the module call names without instance keys.
pub fn module_call_path(module_address: &str) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut rest = module_address;
    while !rest.is_empty() {
        rest = rest.strip_prefix("module.")?;
        let end = rest.find(['[', '.']).unwrap_or(rest.len());
        path.push(rest[..end].to_string());
        rest = &rest[end..];
        if rest.starts_with('[') {
            rest = &rest[instance_key_len(rest)?..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    Some(path)
}

/// Length of a leading `[0]` or `["key"]` (string keys may contain escaped quotes and brackets).
fn instance_key_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    let mut in_string = false;
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

/// The configuration address of a resource instance: `type.name` without module prefix and index.
pub fn resource_config_address(resource_type: &str, name: &str) -> String {
    format!("{resource_type}.{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths_drop_instance_keys() {
        assert_eq!(module_call_path("").unwrap(), Vec::<String>::new());
        assert_eq!(module_call_path("module.a").unwrap(), ["a"]);
        assert_eq!(
            module_call_path("module.a[\"k.x]\\\"\"].module.b[0]").unwrap(),
            ["a", "b"]
        );
        assert!(module_call_path("modul.a").is_none());
        assert!(module_call_path("module.a[\"unterminated").is_none());
    }

    #[test]
    fn finds_configured_attributes_in_nested_modules() {
        let raw: Box<RawValue> = serde_json::from_str(
            r#"{"root_module":{"resources":[{"address":"aws_s3_bucket.b","expressions":{"bucket":{}}}],
                "module_calls":{"m":{"source":"./m","module":{"resources":[
                  {"address":"aws_sqs_queue.q","expressions":{"policy":{"references":["x"]}}}]}}}}}"#,
        )
        .unwrap();
        let index = ConfiguredAttributes::from_plan(Some(&raw)).unwrap();
        assert_eq!(index.sets("", "aws_s3_bucket.b", "policy"), Some(false));
        assert_eq!(index.sets("", "aws_s3_bucket.b", "bucket"), Some(true));
        assert_eq!(
            index.sets("module.m[\"x\"]", "aws_sqs_queue.q", "policy"),
            Some(true)
        );
        assert_eq!(index.sets("", "aws_sqs_queue.q", "policy"), None);
        assert!(ConfiguredAttributes::from_plan(None).is_none());
    }

    #[test]
    fn knows_which_root_resources_use_the_default_aws_provider() {
        let raw: Box<RawValue> = serde_json::from_str(
            r#"{"root_module":{"resources":[
                {"address":"data.aws_caller_identity.me","mode":"data","provider_config_key":"aws"},
                {"address":"data.aws_caller_identity.other","mode":"data","provider_config_key":"aws.other"}],
                "module_calls":{"m":{"module":{"resources":[
                  {"address":"data.aws_caller_identity.me","provider_config_key":"m:aws"}]}}}}}"#,
        )
        .unwrap();
        let index = ConfiguredAttributes::from_plan(Some(&raw)).unwrap();
        assert_eq!(
            index.root_uses_default_aws("data.aws_caller_identity.me"),
            Some(true)
        );
        assert_eq!(
            index.root_uses_default_aws("data.aws_caller_identity.other"),
            Some(false)
        );
        assert_eq!(index.root_uses_default_aws("data.aws_caller_identity.none"), None);
    }
}
