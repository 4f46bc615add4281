//! Policies inside a document of resources: CloudFormation templates (`aws_cloudformation_stack`
//! `template_body`, JSON or YAML) and Cloud Control desired states (`aws_cloudcontrolapi_resource`). Each
//! resource in them is read with the catalog's `AWS::…` entries; a policy that uses a CloudFormation
//! function trustgate cannot evaluate, a resource type the catalog does not know whose properties name a
//! principal, or a template that cannot be read, is unverifiable — never skipped.
//!
//! Functions in a statement's `Resource` are read soundly instead of failing the document: on the new side
//! an Allow's resource becomes `*` (it may be any resource) and a Deny's becomes a name that matches
//! nothing; on the old side the other way round. Anywhere else (a principal, an action, a condition) a
//! function makes the policy unverifiable.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{PolicyValue, grants};
use crate::analysis::PolicyRole;
use crate::catalog::{Catalog, PathStep, PolicySource, snake_case};

/// One policy found inside the document: where, what it governs, and its value on each side.
pub(crate) struct EmbeddedSite {
    pub attribute: String,
    pub role: PolicyRole,
    pub service: String,
    pub before: PolicyValue,
    pub after: PolicyValue,
}

/// The resources of one side: logical id → (type, properties), or why they cannot be read.
type Resources = Result<BTreeMap<String, (String, Value)>, String>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// What one side holds.
pub(crate) enum Document {
    Absent,
    Unknown,
    /// The text of the template / desired state, and (Cloud Control) the type name.
    Text(String, Option<String>),
    /// Present but not readable here (a template fetched from a URL, a type name known after apply).
    Unreadable(String),
}

/// The sites of one template / desired-state attribute, both sides compared resource by resource.
pub(crate) fn sites(
    attribute: &str,
    source: PolicySource,
    before: Document,
    after: Document,
    catalog: &Catalog,
    partition: &str,
) -> Vec<EmbeddedSite> {
    let whole = |before: PolicyValue, after: PolicyValue| EmbeddedSite {
        attribute: attribute.to_string(),
        role: PolicyRole::Resource,
        service: "*".to_string(),
        before,
        after,
    };
    let read = |document: &Document| -> Option<Resources> {
        match document {
            Document::Absent => Some(Ok(BTreeMap::new())),
            Document::Unknown => None,
            Document::Unreadable(reason) => Some(Err(reason.clone())),
            Document::Text(text, type_name) => Some(match source {
                PolicySource::CloudControl => desired_state(text, type_name.as_deref().unwrap_or_default()),
                _ => template_resources(text).map_err(|reason| format!("{attribute}: {reason}")),
            }),
        }
    };
    let old = read(&before);
    let Some(new) = read(&after) else {
        return vec![whole(PolicyValue::Absent, PolicyValue::Unknown)];
    };
    let new = match new {
        Ok(resources) => resources,
        Err(reason) => {
            let unchanged = matches!(&old, Some(Err(old_reason)) if *old_reason == reason);
            return if unchanged {
                Vec::new()
            } else {
                vec![whole(PolicyValue::Absent, PolicyValue::Unverifiable(reason))]
            };
        }
    };
    // An old side that cannot be read vouches for nothing: compare the new one against nothing (sound).
    let old = old.and_then(Result::ok).unwrap_or_default();
    let mut found: BTreeMap<String, EmbeddedSite> = BTreeMap::new();
    for (side, resources) in [(Side::Old, &old), (Side::New, &new)] {
        for (logical, (resource_type, properties)) in resources {
            for (path, role, service, value) in
                resource_policies(resource_type, properties, catalog, partition, side)
            {
                let label = match source {
                    PolicySource::CloudControl => format!("{attribute}#{path}"),
                    _ => format!("{attribute}#Resources.{logical}.Properties.{path}"),
                };
                let entry = found.entry(label.clone()).or_insert_with(|| EmbeddedSite {
                    attribute: label,
                    role,
                    service,
                    before: PolicyValue::Absent,
                    after: PolicyValue::Absent,
                });
                match side {
                    Side::Old => entry.before = value,
                    Side::New => entry.after = value,
                }
            }
        }
    }
    found
        .into_values()
        .filter(|site| !(matches!(site.after, PolicyValue::Unverifiable(_)) && site.before == site.after))
        .collect()
}

/// Cloud Control: the desired state is the properties of one resource of `type_name`.
fn desired_state(text: &str, type_name: &str) -> Resources {
    let properties: Value = serde_json::from_str(text)
        .map_err(|err| format!("desired_state is not JSON ({err}), so its policies cannot be read"))?;
    Ok(BTreeMap::from([(
        String::new(),
        (type_name.to_string(), properties),
    )]))
}

/// The `Resources` section of a template, JSON or YAML (short-form functions such as `!Sub` become their
/// `Fn::Sub` objects).
fn template_resources(text: &str) -> Resources {
    let document: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(_) => yaml_to_json(text)?,
    };
    let Some(resources) = document.get("Resources").and_then(Value::as_object) else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (logical, resource) in resources {
        let resource_type = resource
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let properties = resource.get("Properties").cloned().unwrap_or(Value::Null);
        out.insert(logical.clone(), (resource_type, properties));
    }
    Ok(out)
}

/// Templates larger than this are not read (a stack's template body is limited to 51,200 bytes by
/// CloudFormation; templates from S3 to 1 MB).
const TEMPLATE_LIMIT: usize = 4 * 1024 * 1024;

fn yaml_to_json(text: &str) -> Result<Value, String> {
    if text.len() > TEMPLATE_LIMIT {
        return Err("the template is larger than 4 MiB".to_string());
    }
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|err| {
        format!(
            "the template is neither JSON nor YAML ({}), so its policies cannot be read",
            err.to_string().replace('\n', " ")
        )
    })?;
    yaml_value(yaml, 0)
}

fn yaml_value(value: serde_norway::Value, depth: usize) -> Result<Value, String> {
    use serde_norway::Value as Y;
    if depth > 128 {
        return Err("the template nests more than 128 levels".to_string());
    }
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::from_str(&n.to_string()).unwrap_or(Value::String(n.to_string())),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(|item| yaml_value(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(mapping) => {
            let mut object = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    _ => return Err("the template has a mapping key that is not a string".to_string()),
                };
                if object
                    .insert(key.clone(), yaml_value(value, depth + 1)?)
                    .is_some()
                {
                    return Err(format!("the template repeats the key {key:?}"));
                }
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let function = if name == "Ref" || name == "Condition" {
                name.to_string()
            } else {
                format!("Fn::{name}")
            };
            let inner = yaml_value(tagged.value, depth + 1)?;
            // `!GetAtt a.b` is `Fn::GetAtt: [a, b]`.
            let inner = match (&*function, inner) {
                ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                    Some((a, b)) => Value::Array(vec![Value::String(a.into()), Value::String(b.into())]),
                    None => Value::String(s),
                },
                (_, other) => other,
            };
            Value::Object(Map::from_iter([(function, inner)]))
        }
    })
}

/// The policies of one template resource: (property path, role, service, value).
fn resource_policies(
    resource_type: &str,
    properties: &Value,
    catalog: &Catalog,
    partition: &str,
    side: Side,
) -> Vec<(String, PolicyRole, String, PolicyValue)> {
    let Some(entry) = catalog
        .entry(resource_type)
        .filter(|_| resource_type.starts_with("AWS::"))
    else {
        return match principal_key(properties, 0) {
            Some(key) => vec![(
                key.clone(),
                PolicyRole::Resource,
                "*".to_string(),
                PolicyValue::Unverifiable(format!(
                    "{} is not in the catalog and its property {key} names a principal, so what it grants \
                     cannot be checked",
                    if resource_type.is_empty() {
                        "a resource without a Type"
                    } else {
                        resource_type
                    }
                )),
            )],
            None => Vec::new(),
        };
    };
    let mut out = Vec::new();
    for attribute in &entry.attributes {
        match attribute.source {
            PolicySource::Grant(converter) => {
                let fields = snake_keys(properties);
                let value = if let Some(function) = first_function(&fields) {
                    PolicyValue::Unverifiable(format!(
                        "{resource_type} uses the CloudFormation function {function}, which trustgate does \
                         not evaluate"
                    ))
                } else {
                    let raw = RawValue::from_string(fields.to_string()).ok();
                    let context = grants::GrantContext {
                        resource_type,
                        partition,
                    };
                    grants::synthesise(converter, &context, raw.as_deref(), None)
                };
                out.push((
                    attribute.path.to_string(),
                    attribute.role,
                    attribute.service.clone(),
                    value,
                ));
            }
            PolicySource::IamJson | PolicySource::OpenSearchServerless => {
                for (path, value) in values_at(properties, &attribute.path.steps, String::new()) {
                    let document = policy_document(value, side);
                    let document = match (attribute.source, document) {
                        (PolicySource::OpenSearchServerless, PolicyValue::Known(text)) => PolicyValue::Known(
                            super::opensearch_serverless::to_iam_policy(&text, partition).unwrap_or(text),
                        ),
                        (_, other) => other,
                    };
                    out.push((path, attribute.role, attribute.service.clone(), document));
                }
            }
            // A template inside a template (nested stacks are separate resources) is not read.
            PolicySource::CloudFormationTemplate | PolicySource::CloudControl => {}
        }
    }
    out
}

/// The values at a CloudFormation property path, `[*]` expanded, with the concrete path text.
fn values_at<'v>(value: &'v Value, steps: &[PathStep], prefix: String) -> Vec<(String, &'v Value)> {
    let Some((step, rest)) = steps.split_first() else {
        return if value.is_null() {
            Vec::new()
        } else {
            vec![(prefix, value)]
        };
    };
    let join = |segment: &str| {
        if prefix.is_empty() || segment.starts_with('[') {
            format!("{prefix}{segment}")
        } else {
            format!("{prefix}.{segment}")
        }
    };
    match step {
        PathStep::Key(key) => match value.get(key) {
            Some(child) => values_at(child, rest, join(key)),
            None => Vec::new(),
        },
        PathStep::Index(index) => match value.get(index) {
            Some(child) => values_at(child, rest, join(&format!("[{index}]"))),
            None => Vec::new(),
        },
        PathStep::EachElement => match value.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .flat_map(|(i, item)| values_at(item, rest, join(&format!("[{i}]"))))
                .collect(),
            // A function that yields the list: which elements it has is unknown.
            None if first_function(value).is_some() => vec![(join("[*]"), value)],
            None => Vec::new(),
        },
    }
}

/// A property holding a policy: an object (or JSON text) with functions resolved or reported.
fn policy_document(value: &Value, side: Side) -> PolicyValue {
    let mut document = match value {
        Value::String(text) if text.trim().is_empty() => return PolicyValue::Absent,
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(parsed) => parsed,
            // Not JSON: the policy parser reports it as an invalid policy.
            Err(_) => return PolicyValue::Known(text.clone()),
        },
        other => other.clone(),
    };
    if let Some(statements) = document.get_mut("Statement") {
        let list: Vec<&mut Value> = match statements {
            Value::Array(items) => items.iter_mut().collect(),
            single => vec![single],
        };
        for statement in list {
            let deny = statement.get("Effect").and_then(Value::as_str) == Some("Deny");
            if let Some(resource) = statement.get_mut("Resource") {
                replace_functions(resource, side, deny);
            }
        }
    }
    match first_function(&document) {
        Some(function) => PolicyValue::Unverifiable(format!(
            "the policy uses the CloudFormation function {function}, which trustgate does not evaluate"
        )),
        None => PolicyValue::Known(document.to_string()),
    }
}

/// Matches no ARN: used where reading a function's result as "nothing" is the sound choice.
const NOTHING: &str = "arn:trustgate:unresolved:::nothing";

/// In a `Resource` value: a function becomes `*` where a broader reading is sound (new Allow, old Deny)
/// and a name that matches nothing where a narrower one is (new Deny, old Allow).
fn replace_functions(resource: &mut Value, side: Side, deny: bool) {
    let broad = matches!((side, deny), (Side::New, false) | (Side::Old, true));
    let replacement = || {
        Value::String(if broad {
            "*".to_string()
        } else {
            NOTHING.to_string()
        })
    };
    match resource {
        Value::Array(items) => {
            for item in items {
                if function_name(item).is_some() {
                    *item = replacement();
                }
            }
        }
        single if function_name(single).is_some() => *single = replacement(),
        _ => {}
    }
}

/// `Ref`, `Condition` or `Fn::…` when `value` is a one-member object naming a CloudFormation function.
fn function_name(value: &Value) -> Option<&str> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let key = object.keys().next()?;
    (key == "Ref" || key.starts_with("Fn::")).then_some(key.as_str())
}

/// The first CloudFormation function anywhere in `value`.
fn first_function(value: &Value) -> Option<String> {
    if let Some(name) = function_name(value) {
        return Some(name.to_string());
    }
    match value {
        Value::Array(items) => items.iter().find_map(first_function),
        Value::Object(object) => object.values().find_map(first_function),
        _ => None,
    }
}

/// The first key naming a principal (`Principal`, `Principals`, `PrincipalArn`, …) anywhere in `value`.
pub(crate) fn principal_key(value: &Value, depth: usize) -> Option<String> {
    if depth > 64 {
        return None;
    }
    match value {
        Value::Object(object) => object.iter().find_map(|(key, child)| {
            if key.to_ascii_lowercase().contains("principal") {
                Some(key.clone())
            } else {
                principal_key(child, depth + 1).map(|inner| format!("{key}.{inner}"))
            }
        }),
        Value::Array(items) => items.iter().find_map(|item| principal_key(item, depth + 1)),
        Value::String(text) if text.contains("Principal") && text.trim_start().starts_with('{') => {
            let parsed: Value = serde_json::from_str(text).ok()?;
            principal_key(&parsed, depth + 1)
        }
        _ => None,
    }
}

/// The properties with their keys in snake_case, as the grant converters read them.
fn snake_keys(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, child)| (snake_case(key), snake_keys(child)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(snake_keys).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template_sites(before: Option<&str>, after: &str) -> Vec<EmbeddedSite> {
        let doc = |text: Option<&str>| match text {
            Some(t) => Document::Text(t.to_string(), None),
            None => Document::Absent,
        };
        sites(
            "template_body",
            PolicySource::CloudFormationTemplate,
            doc(before),
            doc(Some(after)),
            &Catalog::builtin(),
            "aws",
        )
    }

    #[test]
    fn yaml_role_is_read_with_its_trust_policy() {
        let yaml = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: '999988887777'}\n            Action: sts:AssumeRole\n";
        let found = template_sites(None, yaml);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].attribute,
            "template_body#Resources.R.Properties.AssumeRolePolicyDocument"
        );
        assert_eq!(found[0].role, PolicyRole::Trust);
        let PolicyValue::Known(text) = &found[0].after else {
            panic!("known policy expected")
        };
        assert!(text.contains("999988887777"), "{text}");
    }

    #[test]
    fn functions_in_principals_are_unverifiable_and_in_resources_are_read_soundly() {
        let yaml = "Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: !Sub 'arn:aws:iam::${Other}:root'}\n            Action: s3:GetObject\n            Resource: !Sub 'arn:aws:s3:::${B}/*'\n";
        let found = template_sites(None, yaml);
        assert!(
            matches!(&found[0].after, PolicyValue::Unverifiable(r) if r.contains("Fn::Sub")),
            "principal function"
        );
        let allow = serde_json::json!({"Statement": [{"Effect": "Allow", "Resource": {"Ref": "B"}}]});
        let PolicyValue::Known(new) = policy_document(&allow, Side::New) else {
            panic!()
        };
        assert!(new.contains("\"Resource\":\"*\""), "{new}");
        let PolicyValue::Known(old) = policy_document(&allow, Side::Old) else {
            panic!()
        };
        assert!(old.contains(NOTHING), "{old}");
        let deny = serde_json::json!({"Statement": [{"Effect": "Deny", "Resource": [{"Ref": "B"}]}]});
        let PolicyValue::Known(new) = policy_document(&deny, Side::New) else {
            panic!()
        };
        assert!(new.contains(NOTHING), "{new}");
    }

    #[test]
    fn unknown_types_naming_a_principal_are_unverifiable() {
        let json = r#"{"Resources":{"S":{"Type":"AWS::RAM::ResourceShare","Properties":{"Principals":["999988887777"]}}}}"#;
        let found = template_sites(None, json);
        assert_eq!(found.len(), 1);
        assert!(
            matches!(&found[0].after, PolicyValue::Unverifiable(r) if r.contains("AWS::RAM::ResourceShare")),
            "safety net"
        );
        // Unchanged on both sides: nothing to report.
        assert!(template_sites(Some(json), json).is_empty());
    }

    #[test]
    fn lambda_permission_in_a_template_uses_the_grant_converter() {
        let json = r#"{"Resources":{"P":{"Type":"AWS::Lambda::Permission","Properties":{"Principal":"999988887777","Action":"lambda:InvokeFunction","FunctionName":"f"}}}}"#;
        let found = template_sites(None, json);
        let PolicyValue::Known(text) = &found[0].after else {
            panic!("known")
        };
        assert!(text.contains("arn:aws:iam::999988887777:root"), "{text}");
    }

    #[test]
    fn unreadable_templates_are_unverifiable() {
        let found = template_sites(None, "Resources: [unclosed");
        assert!(matches!(&found[0].after, PolicyValue::Unverifiable(_)));
    }
}
