//! Blast radius: what a role can do once assumed, from the same plan or state — its attached managed
//! policies (`aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`,
//! `aws_iam_role_policy_attachments_exclusive`, `managed_policy_arns`) and inline policies
//! (`aws_iam_role_policy`, `inline_policy`) — and whether that is admin-equivalent (`privileged`).
//!
//! INTERFACE CONTRACT: `role_permissions`, `RolePermissions`, `Grant`.
//!
//! Admin-equivalent (AWS IAM User Guide, "Security best practices in IAM" and "Granting a user permissions
//! to pass a role to an AWS service"): the AWS managed policies in `policies/privileged-policies.tsv`, or an
//! identity policy with an Allow on every resource (`*`) of `*`, `iam:*`, `iam:PassRole` (pass any role to a
//! service, so act as that role) or `sts:AssumeRole` (become any role that trusts the account). Conditions
//! on such a statement do not clear it: they are shown to the reviewer, not evaluated.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::plan::{ChangeAction, Plan, ResourceMode};
use crate::policy::glob::{glob_included, glob_matches};
use crate::policy::{Effect, PatternSet};

const PRIVILEGED_TSV: &str = include_str!("../policies/privileged-policies.tsv");

/// One permission grant of a role.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Grant {
    /// The resource that grants it (an attachment, an inline policy resource, or the role itself).
    pub via: String,
    /// The managed policy ARN, or `inline:NAME`.
    pub policy: String,
    /// Why it is admin-equivalent; None when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privileged: Option<String>,
}

/// Everything one role is granted, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RolePermissions {
    pub grants: Vec<Grant>,
}

impl RolePermissions {
    /// One sentence per admin-equivalent grant: `AdministratorAccess via aws_iam_role_policy_attachment.x:
    /// full access …`. Empty when the role is not privileged.
    pub fn privileged(&self) -> Vec<String> {
        self.grants
            .iter()
            .filter_map(|grant| {
                let why = grant.privileged.as_ref()?;
                Some(format!(
                    "{} via {}: {why}",
                    short_policy(&grant.policy),
                    grant.via
                ))
            })
            .collect()
    }
}

/// `AdministratorAccess` for an AWS managed policy ARN, the name for a customer policy ARN, `inline:x` as is.
pub fn short_policy(policy: &str) -> &str {
    match policy.split_once(":policy/") {
        Some((_, name)) => name.rsplit('/').next().unwrap_or(name),
        None => policy,
    }
}

/// The permissions of every role in the plan's resulting state (planned values; the state's values for a
/// state), keyed by the role's address. Roles with no grants are present with an empty list.
pub fn role_permissions(plan: &Plan<'_>) -> BTreeMap<String, RolePermissions> {
    let mut roles: BTreeMap<String, RolePermissions> = BTreeMap::new();
    let mut role_by_name: BTreeMap<String, String> = BTreeMap::new();
    // Customer managed policies by ARN and by name: (address, document).
    let mut customer: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut resources: Vec<(&str, &str, IamValues)> = Vec::new();
    for change in &plan.resource_changes {
        if change.mode != ResourceMode::Managed
            || change.deposed.is_some()
            || matches!(change.change.action, ChangeAction::Delete | ChangeAction::Forget)
        {
            continue;
        }
        let relevant = matches!(
            change.resource_type.as_ref(),
            "aws_iam_role"
                | "aws_iam_policy"
                | "aws_iam_role_policy"
                | "aws_iam_role_policy_attachment"
                | "aws_iam_policy_attachment"
                | "aws_iam_role_policy_attachments_exclusive"
        );
        let Some(after) = change.change.after.filter(|_| relevant) else {
            continue;
        };
        // Only the attributes read below are decoded; the rest of the bag is skipped without building it.
        let Ok(value) = serde_json::from_str::<IamValues>(after.get()) else {
            continue;
        };
        match change.resource_type.as_ref() {
            "aws_iam_role" => {
                roles.entry(change.address.to_string()).or_default();
                if let Some(name) = value.name.as_deref() {
                    role_by_name.insert(name.to_string(), change.address.to_string());
                }
            }
            "aws_iam_policy" => {
                if let Some(document) = value.policy.as_deref() {
                    let entry = (change.address.to_string(), document.to_string());
                    if let Some(arn) = value.arn.as_deref() {
                        customer.insert(arn.to_string(), entry.clone());
                    }
                    if let Some(name) = value.name.as_deref() {
                        customer.insert(format!("name:{name}"), entry);
                    }
                }
            }
            _ => {}
        }
        resources.push((&change.address, &change.resource_type, value));
    }
    let mut grant = |role_name: &str, grant: Grant| {
        // `aws_iam_role_policy.role` may be the role's name or its id (which is the name).
        if let Some(address) = role_by_name.get(role_name) {
            roles.entry(address.clone()).or_default().grants.push(grant);
        }
    };
    let managed = |via: &str, arn: &str| Grant {
        via: via.to_string(),
        policy: arn.to_string(),
        privileged: managed_privilege(arn, &customer),
    };
    for (address, resource_type, value) in &resources {
        match *resource_type {
            "aws_iam_role" => {
                let Some(name) = value.name.as_deref() else {
                    continue;
                };
                for arn in value.managed_policy_arns.iter() {
                    grant(name, managed(&format!("{address} (managed_policy_arns)"), arn));
                }
                for inline in value.inline_policy.iter() {
                    let Some(document) = inline.policy.as_deref().filter(|d| !d.trim().is_empty()) else {
                        continue;
                    };
                    grant(
                        name,
                        Grant {
                            via: format!("{address} (inline_policy)"),
                            policy: format!("inline:{}", inline.name.as_deref().unwrap_or_default()),
                            privileged: document_privilege(document),
                        },
                    );
                }
            }
            "aws_iam_role_policy" => {
                let (Some(role), Some(document)) = (value.role.as_deref(), value.policy.as_deref()) else {
                    continue;
                };
                grant(
                    role,
                    Grant {
                        via: address.to_string(),
                        policy: format!("inline:{}", value.name.as_deref().unwrap_or_default()),
                        privileged: document_privilege(document),
                    },
                );
            }
            "aws_iam_role_policy_attachment" => {
                if let (Some(role), Some(arn)) = (value.role.as_deref(), value.policy_arn.as_deref()) {
                    grant(role, managed(address, arn));
                }
            }
            "aws_iam_policy_attachment" => {
                if let Some(arn) = value.policy_arn.as_deref() {
                    for role in value.roles.iter() {
                        grant(role, managed(address, arn));
                    }
                }
            }
            "aws_iam_role_policy_attachments_exclusive" => {
                if let Some(role) = value.role_name.as_deref() {
                    for arn in value.policy_arns.iter() {
                        grant(role, managed(address, arn));
                    }
                }
            }
            _ => {}
        }
    }
    for permissions in roles.values_mut() {
        permissions
            .grants
            .sort_by(|a, b| (&a.policy, &a.via).cmp(&(&b.policy, &b.via)));
        permissions.grants.dedup();
    }
    roles
}

/// The attributes of IAM roles, policies and attachments that blast radius reads. Each is read leniently:
/// a value of another type (or null) is as if absent, as with `Value::as_str`, and never fails the whole
/// resource; every other attribute of the bag is skipped unbuilt.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct IamValues {
    name: Loose<String>,
    policy: Loose<String>,
    arn: Loose<String>,
    role: Loose<String>,
    role_name: Loose<String>,
    policy_arn: Loose<String>,
    roles: LooseStrings,
    policy_arns: LooseStrings,
    managed_policy_arns: LooseStrings,
    inline_policy: LooseList<InlinePolicy>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct InlinePolicy {
    name: Loose<String>,
    policy: Loose<String>,
}

/// A string, or nothing for any other JSON value.
#[derive(Debug, Default)]
struct Loose<T>(Option<T>);

impl Loose<String> {
    fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<'de> serde::Deserialize<'de> for Loose<String> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(Loose(Some(text))),
            _ => Ok(Loose(None)),
        }
    }
}

/// The string elements of an array; nothing for any other JSON value.
#[derive(Debug, Default)]
struct LooseStrings(Vec<String>);

impl LooseStrings {
    fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl<'de> serde::Deserialize<'de> for LooseStrings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(LooseStrings(match Value::deserialize(deserializer)? {
            Value::Array(items) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(text) => Some(text),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }))
    }
}

/// The object elements of an array, each read as `T`; nothing for any other JSON value.
#[derive(Debug)]
struct LooseList<T>(Vec<T>);

impl<T> Default for LooseList<T> {
    fn default() -> Self {
        LooseList(Vec::new())
    }
}

impl<T> LooseList<T> {
    fn iter(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }
}

impl<'de, T: serde::de::DeserializeOwned> serde::Deserialize<'de> for LooseList<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(LooseList(match Value::deserialize(deserializer)? {
            Value::Array(items) => items
                .into_iter()
                .filter(Value::is_object)
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
            _ => Vec::new(),
        }))
    }
}

/// The AWS managed policies the catalog lists as admin-equivalent: (name, why).
fn privileged_managed() -> &'static [(&'static str, &'static str)] {
    static LIST: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    LIST.get_or_init(|| {
        PRIVILEGED_TSV
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| line.split_once('\t'))
            .map(|(name, why)| (name.trim(), why.trim()))
            .collect()
    })
}

/// Why a managed policy ARN is admin-equivalent: an AWS managed policy from the list, or a customer policy
/// of this plan whose document is.
fn managed_privilege(arn: &str, customer: &BTreeMap<String, (String, String)>) -> Option<String> {
    if let Some((prefix, name)) = arn.split_once(":policy/")
        && prefix.starts_with("arn:")
        && prefix.ends_with(":iam::aws")
    {
        return privileged_managed()
            .iter()
            .find(|(listed, _)| *listed == name)
            .map(|(_, why)| (*why).to_string());
    }
    let by_name = arn
        .split_once(":policy/")
        .map(|(_, path)| format!("name:{}", path.rsplit('/').next().unwrap_or(path)));
    let (_, document) = customer
        .get(arn)
        .or_else(|| by_name.and_then(|name| customer.get(&name)))?;
    document_privilege(document)
}

/// Why an identity policy document is admin-equivalent, if it is: the first Allow statement on every
/// resource that grants `*`, `iam:*`, `iam:PassRole` or `sts:AssumeRole` (also through `NotAction`).
pub fn document_privilege(document: &str) -> Option<String> {
    let policy = crate::policy::parse_policy(document).ok()?;
    for statement in policy.statements() {
        if statement.effect != Effect::Allow {
            continue;
        }
        let every_resource = match &statement.resources {
            None | Some(PatternSet::AllExcept(_)) => true,
            Some(PatternSet::Only(set)) => set.iter().any(|r| r == "*"),
        };
        if !every_resource {
            continue;
        }
        let allows = |action: &str| match &statement.actions {
            PatternSet::Only(set) => set.iter().any(|p| glob_matches(p, action)),
            PatternSet::AllExcept(set) => !set.iter().any(|p| glob_matches(p, action)),
        };
        let covers = |pattern: &str| match &statement.actions {
            PatternSet::Only(set) => set.iter().any(|p| glob_included(pattern, p)),
            PatternSet::AllExcept(set) => !set
                .iter()
                .any(|p| crate::policy::glob::glob_intersects(p, pattern)),
        };
        let place = match &statement.sid {
            Some(sid) => format!("statement {sid:?}"),
            None => format!("statement {}", statement.index),
        };
        let why = if covers("*") {
            "allows every action on every resource"
        } else if covers("iam:*") {
            "allows iam:* on every resource"
        } else if allows("iam:passrole") {
            "allows iam:PassRole on every resource"
        } else if allows("sts:assumerole") {
            "allows sts:AssumeRole on every resource"
        } else {
            continue;
        };
        return Some(format!("{place} {why}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(statement: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
    }

    #[test]
    fn admin_equivalent_documents() {
        let star = doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
        assert!(document_privilege(&star).unwrap().contains("every action"));
        let iam = doc(r#"{"Effect":"Allow","Action":"IAM:*","Resource":"*"}"#);
        assert!(document_privilege(&iam).unwrap().contains("iam:*"));
        let pass = doc(r#"{"Sid":"P","Effect":"Allow","Action":"iam:Pass*","Resource":["*"]}"#);
        assert_eq!(
            document_privilege(&pass).as_deref(),
            Some("statement \"P\" allows iam:PassRole on every resource")
        );
        let assume = doc(r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#);
        assert!(document_privilege(&assume).unwrap().contains("sts:AssumeRole"));
        let not_action = doc(r#"{"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"}"#);
        assert!(
            document_privilege(&not_action)
                .unwrap()
                .contains("sts:AssumeRole")
        );
    }

    #[test]
    fn ordinary_documents_are_not_privileged() {
        for statement in [
            r#"{"Effect":"Allow","Action":["logs:PutLogEvents","logs:CreateLogStream"],"Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app"}"#,
            r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
            r#"{"Effect":"Allow","NotAction":["iam:*","sts:*"],"Resource":"*"}"#,
        ] {
            assert_eq!(document_privilege(&doc(statement)), None, "{statement}");
        }
        assert_eq!(document_privilege("not json"), None);
    }

    #[test]
    fn attributes_of_other_types_are_as_if_absent() {
        let change = |address: &str, kind: &str, after: serde_json::Value| {
            serde_json::json!({"address": address, "mode": "managed", "type": kind, "name": "x",
                "change": {"actions": ["create"], "before": null, "after": after}})
        };
        let admin = doc(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
        let plan = serde_json::json!({"format_version": "1.2", "resource_changes": [
            change("aws_iam_role.a", "aws_iam_role", serde_json::json!({"name": "a", "tags": {"k": "v"},
                "managed_policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess", 7, null],
                "inline_policy": [{"name": "i", "policy": admin}, "junk", {"name": 3, "policy": {"no": 1}}]})),
            change("aws_iam_role.b", "aws_iam_role", serde_json::json!({"name": ["not", "a", "string"]})),
            change("aws_iam_role_policy_attachment.a", "aws_iam_role_policy_attachment",
                serde_json::json!({"role": "a", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"})),
            change("aws_iam_policy_attachment.a", "aws_iam_policy_attachment",
                serde_json::json!({"roles": "a", "policy_arn": "arn:aws:iam::aws:policy/IAMFullAccess"})),
        ]})
        .to_string();
        let plan = crate::plan::parse_plan(&plan, std::path::Path::new("p.json")).unwrap();
        let roles = role_permissions(&plan);
        assert_eq!(
            roles.keys().collect::<Vec<_>>(),
            ["aws_iam_role.a", "aws_iam_role.b"]
        );
        let policies: Vec<(&str, bool)> = roles["aws_iam_role.a"]
            .grants
            .iter()
            .map(|g| (g.policy.as_str(), g.privileged.is_some()))
            .collect();
        assert_eq!(
            policies,
            [
                ("arn:aws:iam::aws:policy/AdministratorAccess", true),
                ("arn:aws:iam::aws:policy/ReadOnlyAccess", false),
                ("inline:i", true),
            ]
        );
        assert!(roles["aws_iam_role.b"].grants.is_empty());
    }

    #[test]
    fn aws_managed_policies_from_the_list() {
        let none = BTreeMap::new();
        assert!(managed_privilege("arn:aws:iam::aws:policy/AdministratorAccess", &none).is_some());
        assert!(managed_privilege("arn:aws-us-gov:iam::aws:policy/IAMFullAccess", &none).is_some());
        assert!(managed_privilege("arn:aws:iam::aws:policy/PowerUserAccess", &none).is_some());
        assert_eq!(
            managed_privilege("arn:aws:iam::aws:policy/ReadOnlyAccess", &none),
            None
        );
        // A customer policy that only shares the name is not the AWS one.
        assert_eq!(
            managed_privilege("arn:aws:iam::111111111111:policy/AdministratorAccess", &none),
            None
        );
        assert_eq!(
            short_policy("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
            "ViewOnlyAccess"
        );
    }
}
