//! The ARNs terraform shows as known only after apply but that the plan already determines: an
//! `aws_iam_role` or `aws_iam_user` created in this plan whose `name` and `path` are known has the ARN
//! `arn:<partition>:iam::<account>:role<path><name>` (`user<path><name>`), the account being its provider
//! configuration's (`source::providers`). IAM ARN format:
//! https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::plan::{Plan, ResourceMode};

/// Instance address (`module.a["k"].aws_iam_role.r[0]`) → the ARN's resource part (`role/path/name`).
#[derive(Debug, Default, Clone)]
pub struct PredictedArns {
    by_address: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
    path: Option<String>,
}

#[derive(Deserialize, Default)]
struct NamedUnknown {
    #[serde(default)]
    name: Option<serde_json::Value>,
    #[serde(default)]
    path: Option<serde_json::Value>,
}

impl PredictedArns {
    pub fn from_plan(plan: &Plan<'_>) -> PredictedArns {
        let mut by_address = BTreeMap::new();
        for change in &plan.resource_changes {
            let kind = match change.resource_type.as_ref() {
                "aws_iam_role" => "role",
                "aws_iam_user" => "user",
                _ => continue,
            };
            if change.mode != ResourceMode::Managed || change.deposed.is_some() {
                continue;
            }
            let Some(after) = change.change.after else {
                continue;
            };
            let Ok(named) = serde_json::from_str::<Named>(after.get()) else {
                continue;
            };
            let unknown: NamedUnknown = match change.change.after_unknown {
                // A wholly unknown object (`true`), or one that does not read: nothing is known.
                Some(raw) => match serde_json::from_str(raw.get()) {
                    Ok(unknown) => unknown,
                    Err(_) => continue,
                },
                None => NamedUnknown::default(),
            };
            let is_unknown = |v: &Option<serde_json::Value>| v.as_ref().is_some_and(|v| *v != false);
            if is_unknown(&unknown.name) || is_unknown(&unknown.path) {
                continue;
            }
            let (Some(name), Some(path)) = (named.name, named.path) else {
                continue;
            };
            let valid_name = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
            let valid_path =
                path.starts_with('/') && path.ends_with('/') && path.chars().all(|c| c.is_ascii_graphic());
            if valid_name && valid_path {
                by_address.insert(change.address.to_string(), format!("{kind}{path}{name}"));
            }
        }
        PredictedArns { by_address }
    }

    /// The resource part of the ARN `reference` (`aws_iam_role.r.arn`) stands for, when the plan
    /// determines it.
    pub fn resource_part(&self, reference: &str) -> Option<&str> {
        let address = reference.strip_suffix(".arn")?;
        self.by_address.get(address).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn arns(changes: &str) -> PredictedArns {
        let text = format!(r#"{{"format_version":"1.2","resource_changes":[{changes}]}}"#);
        let plan = crate::plan::parse_plan(&text, Path::new("t.json")).unwrap();
        PredictedArns::from_plan(&plan)
    }

    fn change(address: &str, kind: &str, after: &str, unknown: &str) -> String {
        let name = address.rsplit('.').next().unwrap();
        format!(
            r#"{{"address":"{address}","mode":"managed","type":"{kind}","name":"{name}",
            "change":{{"actions":["create"],"before":null,"after":{after},"after_unknown":{unknown}}}}}"#
        )
    }

    #[test]
    fn a_role_whose_name_and_path_are_known_has_a_known_arn() {
        let predicted = arns(
            &[
                change(
                    "aws_iam_role.a",
                    "aws_iam_role",
                    r#"{"name":"app","path":"/"}"#,
                    r#"{"arn":true}"#,
                ),
                change(
                    "aws_iam_role.b",
                    "aws_iam_role",
                    r#"{"name":"svc","path":"/team/"}"#,
                    r#"{"arn":true}"#,
                ),
                // A name from name_prefix is known only after apply.
                change(
                    "aws_iam_role.c",
                    "aws_iam_role",
                    r#"{"path":"/"}"#,
                    r#"{"arn":true,"name":true}"#,
                ),
                change(
                    "aws_iam_user.d",
                    "aws_iam_user",
                    r#"{"name":"ci","path":"/"}"#,
                    r#"{"arn":true}"#,
                ),
                change(
                    "aws_sqs_queue.e",
                    "aws_sqs_queue",
                    r#"{"name":"q","path":"/"}"#,
                    r#"{"arn":true}"#,
                ),
                change(
                    "aws_iam_role.f",
                    "aws_iam_role",
                    r#"{"name":"x:y","path":"/"}"#,
                    r#"{"arn":true}"#,
                ),
            ]
            .join(","),
        );
        assert_eq!(predicted.resource_part("aws_iam_role.a.arn"), Some("role/app"));
        assert_eq!(
            predicted.resource_part("aws_iam_role.b.arn"),
            Some("role/team/svc")
        );
        assert_eq!(predicted.resource_part("aws_iam_role.c.arn"), None);
        assert_eq!(predicted.resource_part("aws_iam_user.d.arn"), Some("user/ci"));
        assert_eq!(predicted.resource_part("aws_sqs_queue.e.arn"), None);
        assert_eq!(predicted.resource_part("aws_iam_role.f.arn"), None);
        assert_eq!(predicted.resource_part("aws_iam_role.a.name"), None);
    }
}
