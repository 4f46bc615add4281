//! Typed, borrowing view of the parts of a plan document trustgate reads. Attribute bags stay raw JSON
//! (`&RawValue`) and are only looked into for catalogued resource types.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, Visitor};
use serde_json::value::RawValue;

/// `managed` (a resource) or `data` (a data source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceMode {
    Managed,
    Data,
    /// Anything newer (e.g. `list`/`ephemeral` modes of future Terraform versions).
    #[serde(other)]
    Other,
}

/// The `index` of a `count` (number) or `for_each` (string) instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceKey<'a> {
    Int(i64),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for InstanceKey<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = InstanceKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an instance index (number or string)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(InstanceKey::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v)
                    .map(InstanceKey::Int)
                    .map_err(|_| E::custom("instance index out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // Terraform writes count indexes as integers; tolerate `1.0` from re-serialising tools.
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(InstanceKey::Int(v as i64))
                } else {
                    Err(E::custom("instance index is not an integer"))
                }
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(InstanceKey::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(InstanceKey::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(InstanceKey::Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// One `resource_changes` entry as it is written in the document.
#[derive(Debug, Deserialize)]
pub(crate) struct RawResourceChange<'a> {
    #[serde(borrow)]
    pub address: Cow<'a, str>,
    #[serde(borrow, default)]
    pub previous_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub module_address: Option<Cow<'a, str>>,
    pub mode: ResourceMode,
    #[serde(borrow, rename = "type")]
    pub resource_type: Cow<'a, str>,
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow, default)]
    pub index: Option<InstanceKey<'a>>,
    #[serde(borrow, default)]
    pub provider_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub change: RawChange<'a>,
    #[serde(borrow, default)]
    pub action_reason: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawChange<'a> {
    #[serde(borrow)]
    pub actions: Vec<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub before: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after_unknown: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub before_sensitive: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after_sensitive: Option<&'a RawValue>,
}

/// A state representation (`prior_state`, or the output of `terraform show -json` on a state).
#[derive(Debug, Default, Deserialize)]
pub struct StateRepresentation<'a> {
    #[serde(borrow, default)]
    pub format_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub values: Option<StateValues<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct StateValues<'a> {
    #[serde(borrow, default)]
    pub root_module: Option<StateModule<'a>>,
}

/// A module in a value representation; child modules nest recursively.
#[derive(Debug, Default, Deserialize)]
pub struct StateModule<'a> {
    #[serde(borrow, default)]
    pub address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub resources: Vec<StateResource<'a>>,
    #[serde(borrow, default)]
    pub child_modules: Vec<StateModule<'a>>,
}

impl<'a> StateModule<'a> {
    /// This module's resources and those of all descendants, depth first.
    pub fn all_resources(&self) -> Vec<&StateResource<'a>> {
        let mut found = Vec::new();
        let mut pending = vec![self];
        while let Some(module) = pending.pop() {
            found.extend(module.resources.iter());
            pending.extend(module.child_modules.iter().rev());
        }
        found
    }
}

#[derive(Debug, Deserialize)]
pub struct StateResource<'a> {
    #[serde(borrow)]
    pub address: Cow<'a, str>,
    pub mode: ResourceMode,
    #[serde(borrow, rename = "type")]
    pub resource_type: Cow<'a, str>,
    #[serde(borrow, default)]
    pub name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub index: Option<InstanceKey<'a>>,
    #[serde(borrow, default)]
    pub values: Option<&'a RawValue>,
}

/// The whole document as written. Keys that tell plans apart from other JSON (state files) are read as
/// `IgnoredAny` so that we can say what the document looks like when it is not a plan.
#[derive(Debug, Deserialize)]
pub(crate) struct RawPlan<'a> {
    #[serde(borrow, default)]
    pub format_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub terraform_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub variables: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub resource_changes: Option<Vec<RawResourceChange<'a>>>,
    #[serde(borrow, default)]
    pub prior_state: Option<StateRepresentation<'a>>,
    #[serde(borrow, default)]
    pub configuration: Option<&'a RawValue>,
    /// `true` when terraform stopped planning on an error (1.6+): the plan may leave out changes.
    #[serde(default)]
    pub errored: Option<bool>,
    /// `false` when applying the plan leaves changes for a later plan (`-target`, deferrals; 1.8+).
    #[serde(default)]
    pub complete: Option<bool>,
    /// Changes terraform put off to a later plan (1.9+, experimental deferrals).
    #[serde(borrow, default)]
    pub deferred_changes: Option<Vec<RawDeferredChange<'a>>>,
    #[serde(default)]
    pub planned_values: Option<IgnoredAny>,
    #[serde(default)]
    pub output_changes: Option<IgnoredAny>,
    /// Present in state representations (`terraform show -json` of a state).
    #[serde(default)]
    pub values: Option<IgnoredAny>,
    /// Present in raw state files (`terraform.tfstate`, `"version": 4`).
    #[serde(default)]
    pub version: Option<IgnoredAny>,
    #[serde(default)]
    pub lineage: Option<IgnoredAny>,
}

/// One `deferred_changes` entry: only what a message needs (the reason and the address).
#[derive(Debug, Deserialize)]
pub(crate) struct RawDeferredChange<'a> {
    #[serde(borrow, default)]
    pub reason: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub resource_change: Option<DeferredAddress<'a>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeferredAddress<'a> {
    #[serde(borrow, default)]
    pub address: Option<Cow<'a, str>>,
}

/// Only the version, for explaining a document that failed to parse as a plan.
#[derive(Debug, Deserialize)]
pub(crate) struct VersionProbe<'a> {
    #[serde(borrow, default)]
    pub format_version: Option<Cow<'a, str>>,
}
