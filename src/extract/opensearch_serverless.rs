//! `aws_opensearchserverless_access_policy.policy` is not IAM grammar: it is a JSON list of
//! `{"Rules":[{"ResourceType","Resource":[…],"Permission":[…]}],"Principal":[…]}`. Each element grants
//! every listed permission on every listed resource to every listed principal, which is one IAM Allow
//! statement. Principals are IAM ARNs, or `saml/<account>/<provider>/(user|group)/<name>` (federated).

use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccessRuleSet {
    #[serde(default)]
    rules: Vec<AccessRule>,
    principal: OneOrMany,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccessRule {
    resource: OneOrMany,
    permission: OneOrMany,
}

/// The equivalent IAM policy JSON, or `None` if the text is not an access policy (the caller then passes
/// the text on unchanged, and policy parsing reports it).
pub(crate) fn to_iam_policy(text: &str, partition: &str) -> Option<String> {
    let rule_sets: Vec<AccessRuleSet> = serde_json::from_str(text).ok()?;
    let statements: Vec<Value> = rule_sets
        .into_iter()
        .map(|set| {
            let (mut actions, mut resources) = (Vec::new(), Vec::new());
            for rule in set.rules {
                actions.extend(rule.permission.into_vec());
                resources.extend(
                    rule.resource
                        .into_vec()
                        .into_iter()
                        .map(|r| format!("arn:{partition}:aoss:*:*:{r}")),
                );
            }
            let (federated, aws): (Vec<String>, Vec<String>) = set
                .principal
                .into_vec()
                .into_iter()
                .partition(|p| p.starts_with("saml/"));
            let mut principal = serde_json::Map::new();
            if !aws.is_empty() {
                principal.insert("AWS".into(), json!(aws));
            }
            if !federated.is_empty() {
                principal.insert("Federated".into(), json!(federated));
            }
            json!({ "Action": actions, "Effect": "Allow", "Principal": principal, "Resource": resources })
        })
        .collect();
    Some(json!({ "Statement": statements, "Version": "2012-10-17" }).to_string())
}
