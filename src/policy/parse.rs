//! JSON → normalised [`Policy`] (docs/iam-semantics.md section 1 and section 4.2 step 1).
//!
//! The parser never panics; every rejection names the place in the document.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::arn::split_arn;
use super::condition::{ConditionEntry, Operator, OperatorBase, SetQualifier, StringMode};
use super::glob::canonical;
use super::model::{AwsPrincipal, Effect, PatternSet, PolicyVersion, Principal, PrincipalClause, Statement};
use super::{Policy, PolicyError};

fn error(place: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError {
        place: place.into(),
        message: message.into(),
    }
}

/// A short description of a JSON value's type, for messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn parse_text(text: &str) -> Result<Policy, PolicyError> {
    let text = text.trim_start_matches('\u{feff}');
    let Strict(value) = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let message = full
            .find(" at line ")
            .map_or(full.as_str(), |at| &full[..at])
            .to_string();
        let message = if message.starts_with(DUPLICATE_KEY) {
            message
        } else {
            format!("invalid JSON: {message}")
        };
        error(format!("line {}, column {}", e.line(), e.column()), message)
    })?;
    parse_document(&value)
}

const DUPLICATE_KEY: &str = "duplicate key";

/// A JSON value whose objects may not repeat a key anywhere. JSON parsers (serde_json, AWS's own) keep one
/// of the repeated members silently, so `"Effect": "Allow", "Effect": "Deny"` would be read one way by the
/// reviewer and another by trustgate or by AWS: such a document is rejected as an invalid policy.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("{DUPLICATE_KEY} {key:?}")));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

pub(super) fn parse_document(value: &Value) -> Result<Policy, PolicyError> {
    let Value::Object(document) = value else {
        return Err(error(
            "",
            format!(
                "a policy document must be a JSON object, found {}",
                type_name(value)
            ),
        ));
    };
    for key in document.keys() {
        if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
            return Err(error(
                key.as_str(),
                "unknown policy element (expected \"Version\", \"Id\" or \"Statement\")",
            ));
        }
    }
    let version = match document.get("Version") {
        None => PolicyVersion::Unspecified,
        Some(Value::String(v)) if v == "2012-10-17" => PolicyVersion::Current,
        Some(Value::String(v)) if v == "2008-10-17" => PolicyVersion::Legacy,
        Some(Value::String(v)) => {
            return Err(error(
                "Version",
                format!("Version must be \"2012-10-17\" or \"2008-10-17\", found {v:?}"),
            ));
        }
        Some(other) => {
            return Err(error(
                "Version",
                format!("Version must be a string, found {}", type_name(other)),
            ));
        }
    };
    if let Some(id) = document.get("Id")
        && !id.is_string()
    {
        return Err(error(
            "Id",
            format!("Id must be a string, found {}", type_name(id)),
        ));
    }
    let statements = match document.get("Statement") {
        None => return Err(error("Statement", "missing Statement element")),
        Some(Value::Object(single)) => vec![parse_statement(0, "Statement".to_string(), single)?],
        Some(Value::Array(items)) => {
            let mut statements = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let place = format!("Statement[{index}]");
                let Value::Object(object) = item else {
                    return Err(error(
                        place,
                        format!("a statement must be an object, found {}", type_name(item)),
                    ));
                };
                statements.push(parse_statement(index, place, object)?);
            }
            statements
        }
        Some(other) => {
            return Err(error(
                "Statement",
                format!(
                    "Statement must be an object or an array, found {}",
                    type_name(other)
                ),
            ));
        }
    };
    Ok(Policy::from_parts(version, statements))
}

const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

fn parse_statement(
    index: usize,
    place: String,
    object: &Map<String, Value>,
) -> Result<Statement, PolicyError> {
    for key in object.keys() {
        if !STATEMENT_ELEMENTS.contains(&key.as_str()) {
            return Err(error(format!("{place}.{key}"), "unknown statement element"));
        }
    }
    let sid = match object.get("Sid") {
        None => None,
        Some(Value::String(sid)) => Some(sid.clone()),
        Some(other) => {
            return Err(error(
                format!("{place}.Sid"),
                format!("Sid must be a string, found {}", type_name(other)),
            ));
        }
    };
    let effect = match object.get("Effect") {
        Some(Value::String(e)) if e == "Allow" => Effect::Allow,
        Some(Value::String(e)) if e == "Deny" => Effect::Deny,
        Some(Value::String(e)) => {
            return Err(error(
                format!("{place}.Effect"),
                format!("Effect must be \"Allow\" or \"Deny\" (exact case), found {e:?}"),
            ));
        }
        Some(other) => {
            return Err(error(
                format!("{place}.Effect"),
                format!("Effect must be a string, found {}", type_name(other)),
            ));
        }
        None => return Err(error(format!("{place}.Effect"), "missing Effect element")),
    };
    let principal = match (object.get("Principal"), object.get("NotPrincipal")) {
        (Some(_), Some(_)) => {
            return Err(error(
                &place,
                "a statement cannot have both Principal and NotPrincipal",
            ));
        }
        (Some(value), None) => PrincipalClause::Only(parse_principals(&format!("{place}.Principal"), value)?),
        (None, Some(value)) => {
            PrincipalClause::AllExcept(parse_principals(&format!("{place}.NotPrincipal"), value)?)
        }
        (None, None) => PrincipalClause::Absent,
    };
    let actions = match parse_pattern_pair(&place, object, "Action", "NotAction", normalise_action)? {
        Some(actions) => actions,
        None => return Err(error(&place, "missing Action or NotAction element")),
    };
    let resources = parse_pattern_pair(&place, object, "Resource", "NotResource", canonical)?;
    let conditions = match object.get("Condition") {
        None => Vec::new(),
        Some(value) => parse_conditions(&format!("{place}.Condition"), value)?,
    };
    Ok(Statement {
        index,
        sid,
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}

fn normalise_action(action: &str) -> String {
    canonical(&action.to_lowercase())
}

fn parse_pattern_pair(
    place: &str,
    object: &Map<String, Value>,
    positive: &str,
    negative: &str,
    normalise: fn(&str) -> String,
) -> Result<Option<PatternSet>, PolicyError> {
    match (object.get(positive), object.get(negative)) {
        (Some(_), Some(_)) => Err(error(
            place,
            format!("a statement cannot have both {positive} and {negative}"),
        )),
        (Some(value), None) => Ok(Some(PatternSet::Only(string_set(
            &format!("{place}.{positive}"),
            value,
            normalise,
        )?))),
        (None, Some(value)) => Ok(Some(PatternSet::AllExcept(string_set(
            &format!("{place}.{negative}"),
            value,
            normalise,
        )?))),
        (None, None) => Ok(None),
    }
}

/// A string or an array of strings, normalised into a set.
fn string_set(
    place: &str,
    value: &Value,
    normalise: fn(&str) -> String,
) -> Result<BTreeSet<String>, PolicyError> {
    match value {
        Value::String(s) => Ok(BTreeSet::from([normalise(s)])),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(normalise(s)),
                other => Err(error(
                    format!("{place}[{i}]"),
                    format!("expected a string, found {}", type_name(other)),
                )),
            })
            .collect(),
        other => Err(error(
            place,
            format!(
                "expected a string or an array of strings, found {}",
                type_name(other)
            ),
        )),
    }
}

fn parse_principals(place: &str, value: &Value) -> Result<BTreeSet<Principal>, PolicyError> {
    let map = match value {
        Value::String(s) if s == "*" => return Ok(BTreeSet::from([Principal::Any])),
        Value::String(s) => {
            return Err(error(
                place,
                format!(
                    "a principal string must be \"*\", found {s:?} (use {{\"AWS\": …}} for accounts and ARNs)"
                ),
            ));
        }
        Value::Object(map) => map,
        other => {
            return Err(error(
                place,
                format!("Principal must be \"*\" or an object, found {}", type_name(other)),
            ));
        }
    };
    let mut principals = BTreeSet::new();
    for (kind, values) in map {
        let place = format!("{place}.{kind}");
        let parse_one: fn(&str) -> Result<Principal, String> = match kind.as_str() {
            "AWS" => parse_aws_principal,
            "Service" => |s| Ok(Principal::Service(s.to_lowercase())),
            "Federated" => |s| Ok(Principal::Federated(s.to_string())),
            "CanonicalUser" => |s| Ok(Principal::Canonical(s.to_string())),
            _ => {
                return Err(error(
                    place,
                    "unknown principal type (expected \"AWS\", \"Service\", \"Federated\" or \"CanonicalUser\")",
                ));
            }
        };
        let items: Vec<(String, &Value)> = match values {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{place}[{i}]"), v))
                .collect(),
            single => vec![(place.clone(), single)],
        };
        for (item_place, item) in items {
            let Value::String(text) = item else {
                return Err(error(
                    item_place,
                    format!("a principal must be a string, found {}", type_name(item)),
                ));
            };
            let principal = if text == "*" {
                Principal::Any
            } else {
                parse_one(text.trim()).map_err(|message| error(&item_place, message))?
            };
            principals.insert(principal);
        }
    }
    Ok(principals)
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// IAM unique ids: a four-letter prefix such as `AROA`/`AIDA` followed by upper-case letters and digits.
fn is_unique_id(text: &str) -> bool {
    text.len() >= 16
        && text.starts_with('A')
        && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Parses one `AWS` principal value: `*` is handled by the caller.
pub(crate) fn parse_aws_principal(text: &str) -> Result<Principal, String> {
    if is_account_id(text) {
        return Ok(Principal::Aws(AwsPrincipal::account_root(None, text)));
    }
    if text.starts_with("arn:") {
        let Some([_, partition, service, _region, account, resource]) = split_arn(text) else {
            return Err(format!("malformed principal ARN {text:?}"));
        };
        if text.contains(['*', '?']) {
            return Err(format!(
                "wildcards are not allowed in principal ARNs ({text:?}); use \"*\" with an aws:PrincipalArn condition"
            ));
        }
        if account.is_empty() || partition.is_empty() || resource.is_empty() {
            return Err(format!(
                "principal ARN {text:?} lacks a partition, account or resource"
            ));
        }
        return Ok(Principal::Aws(AwsPrincipal {
            partition: Some(partition.to_string()),
            service: service.to_string(),
            account: account.to_string(),
            resource: resource.to_string(),
        }));
    }
    if is_unique_id(text) {
        return Ok(Principal::UniqueId(text.to_string()));
    }
    Ok(Principal::Opaque(text.to_string()))
}

fn parse_conditions(place: &str, value: &Value) -> Result<Vec<ConditionEntry>, PolicyError> {
    let Value::Object(operators) = value else {
        return Err(error(
            place,
            format!("Condition must be an object, found {}", type_name(value)),
        ));
    };
    let mut entries = BTreeSet::new();
    for (operator_name, keys) in operators {
        let place = format!("{place}.{operator_name}");
        let operator = Operator::parse(operator_name);
        let Value::Object(keys) = keys else {
            return Err(error(
                place,
                format!(
                    "a condition operator must map keys to values, found {}",
                    type_name(keys)
                ),
            ));
        };
        for (key, values) in keys {
            let place = format!("{place}.{key}");
            let values = condition_values(&place, values, &operator)?;
            // AWS stores policies with empty value lists (e.g. `"AWS:SourceOwner": []`) but documents no
            // meaning for them: keep the entry as an unknown test, comparable only when identical.
            let operator = if values.is_empty() {
                Operator {
                    qualifier: SetQualifier::Single,
                    base: OperatorBase::Unknown(format!("{operator_name} (empty value list)")),
                    if_exists: false,
                }
            } else {
                operator.clone()
            };
            entries.insert(ConditionEntry {
                operator,
                key: key.to_lowercase(),
                key_text: key.clone(),
                values,
            });
        }
    }
    Ok(entries.into_iter().collect())
}

fn condition_values(
    place: &str,
    value: &Value,
    operator: &Operator,
) -> Result<BTreeSet<String>, PolicyError> {
    let scalar = |place: &str, value: &Value| -> Result<String, PolicyError> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(error(
                    place,
                    format!(
                        "a condition value must be a string, number or boolean, found {}",
                        type_name(other)
                    ),
                ));
            }
        };
        Ok(normalise_condition_value(operator, text))
    };
    let values: BTreeSet<String> = match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| scalar(&format!("{place}[{i}]"), item))
            .collect::<Result<_, _>>()?,
        single => BTreeSet::from([scalar(place, single)?]),
    };
    Ok(values)
}

/// Values of glob operators take the glob canonical form; `Bool`/`Null` values are case-insensitive.
fn normalise_condition_value(operator: &Operator, text: String) -> String {
    match operator.base {
        OperatorBase::Text {
            mode: StringMode::Like | StringMode::Arn,
            ..
        } => canonical(&text),
        OperatorBase::Bool | OperatorBase::Null => text.to_lowercase(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn duplicate_keys_anywhere_are_invalid_and_named() {
        for (text, key) in [
            (
                r#"{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
                "Effect",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"1"},"Principal":"*","Action":"*"}]}"#,
                "Principal",
            ),
            (
                r#"{"Version":"2012-10-17","Version":"2008-10-17","Statement":[]}"#,
                "Version",
            ),
            (
                r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":"1","a":"2"}}}]}"#,
                "a",
            ),
        ] {
            let err = parse_text(text).unwrap_err().to_string();
            assert!(err.contains(&format!("duplicate key \"{key}\"")), "{err}");
            assert!(err.contains("line 1, column"), "{err}");
        }
        // The same key in two different objects is fine.
        parse_text(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Principal":"*"}]}"#).unwrap();
    }

    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Policy {
        parse_document(&value).unwrap_or_else(|e| panic!("unexpected error: {e}"))
    }

    fn parse_err(value: Value) -> PolicyError {
        match parse_document(&value) {
            Ok(policy) => panic!("expected an error, parsed {policy:?}"),
            Err(e) => e,
        }
    }

    fn principals(policy: &Policy) -> BTreeSet<Principal> {
        match &policy.statements()[0].principal {
            PrincipalClause::Only(p) | PrincipalClause::AllExcept(p) => p.clone(),
            PrincipalClause::Absent => BTreeSet::new(),
        }
    }

    #[test]
    fn star_forms_are_identical() {
        let a = parse(json!({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}}));
        let b = parse(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["S3:getobject"]}]}),
        );
        assert_eq!(a, b);
        assert_eq!(a.statement_count(), 1);
    }

    #[test]
    fn principal_forms() {
        let policy = parse(json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Principal": {
                "AWS": ["222222222222", "arn:aws:iam::333333333333:role/path/ci", "AROAEXAMPLEID1234567",
                        "arn:aws:iam::redacted:role/x",
                        "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E123"],
                "Service": ["Events.amazonaws.com"],
                "Federated": "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
                "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
            },
            "Action": "sts:AssumeRole"
        }]}));
        let set = principals(&policy);
        assert!(set.contains(&Principal::Aws(AwsPrincipal::account_root(None, "222222222222"))));
        assert!(set.contains(&Principal::UniqueId("AROAEXAMPLEID1234567".into())));
        assert!(set.contains(&Principal::Service("events.amazonaws.com".into())));
        assert!(
            set.iter()
                .any(|p| matches!(p, Principal::Aws(a) if a.account == "redacted"))
        );
        assert!(
            set.iter()
                .any(|p| matches!(p, Principal::Aws(a) if a.account == "cloudfront"))
        );
        assert_eq!(set.len(), 8);
    }

    #[test]
    fn conditions_are_normalised() {
        let policy = parse(json!({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:*",
            "Condition": {
                "ArnEquals": {"AWS:SourceArn": "arn:aws:events:*:111111111111:rule/**"},
                "Bool": {"aws:SecureTransport": true},
                "NumericLessThan": {"s3:max-keys": [10, 5, 10]}
            }
        }]}));
        let conditions = &policy.statements()[0].conditions;
        assert_eq!(conditions.len(), 3);
        let arn = conditions
            .iter()
            .find(|c| c.key == "aws:sourcearn")
            .unwrap_or_else(|| panic!("missing"));
        assert_eq!(arn.operator.to_string(), "ArnLike");
        assert_eq!(arn.key_text, "AWS:SourceArn");
        assert!(arn.values.contains("arn:aws:events:*:111111111111:rule/*"));
        let numbers = conditions
            .iter()
            .find(|c| c.key == "s3:max-keys")
            .unwrap_or_else(|| panic!("missing"));
        assert_eq!(numbers.values.len(), 2);
        let boolean = conditions
            .iter()
            .find(|c| c.key == "aws:securetransport")
            .unwrap_or_else(|| panic!("missing"));
        assert!(boolean.values.contains("true"));
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse_err(
            json!({"Statement": [{"Effect": "Allow", "Action": "x:y"}, {"Effect": "allow", "Action": "x:y"}]}),
        );
        assert_eq!(e.place, "Statement[1].Effect");
        assert!(e.message.contains("\"allow\""), "{}", e.message);

        let e = parse_err(json!({"Statement": [{"Effect": "Allow", "Principal": 5, "Action": "x:y"}]}));
        assert_eq!(e.place, "Statement[0].Principal");

        let e = parse_err(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": [5]}, "Action": "x:y"}]}),
        );
        assert_eq!(e.place, "Statement[0].Principal.AWS[0]");

        let e = parse_err(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": "x:y"}]}),
        );
        assert!(e.message.contains("wildcards"));

        let e = parse_err(json!({"Version": "2013-01-01", "Statement": []}));
        assert_eq!(e.place, "Version");

        let e = parse_err(json!({"Statement": [{"Effect": "Allow"}]}));
        assert!(e.message.contains("Action"));

        let e = parse_err(json!({"Statement": [{"Effect": "Allow", "Action": "x:y", "Condtion": {}}]}));
        assert_eq!(e.place, "Statement[0].Condtion");

        let e = parse_err(json!([1, 2]));
        assert!(e.message.contains("JSON object"));

        let e = parse_err(
            json!({"Statement": [{"Effect": "Deny", "Principal": "*", "NotPrincipal": "*", "Action": "x:y"}]}),
        );
        assert_eq!(e.place, "Statement[0]");
        assert!(e.message.contains("both Principal and NotPrincipal"));

        let e = parse_err(json!({"Statement": [{"Effect": "Allow", "Action": "x:y", "NotAction": "x:z"}]}));
        assert!(e.message.contains("both Action and NotAction"));

        let e = parse_err(json!({"Statement": {"Effect": "Allow", "Action": "x:y", "Sid": 3}}));
        assert_eq!(e.place, "Statement.Sid");

        let e = parse_err(
            json!({"Statement": [{"Effect": "Allow", "Action": "x:y", "Condition": {"StringEquals": {"k": null}}}]}),
        );
        assert_eq!(e.place, "Statement[0].Condition.StringEquals.k");

        let e = parse_err(
            json!({"Statement": [{"Effect": "Allow", "Principal": {"Group": "x"}, "Action": "x:y"}]}),
        );
        assert_eq!(e.place, "Statement[0].Principal.Group");

        let e = parse_err(
            json!({"Statement": [{"Effect": "Allow", "Principal": "arn:aws:iam::222222222222:root", "Action": "x:y"}]}),
        );
        assert!(e.message.contains("must be \"*\""));
    }

    #[test]
    fn json_syntax_errors_report_line_and_column() {
        let e = parse_text("{\"Statement\": [}")
            .err()
            .unwrap_or_else(|| panic!("expected an error"));
        assert_eq!(e.place, "line 1, column 16");
        assert!(e.message.starts_with("invalid JSON"));
    }

    #[test]
    fn versions_and_variables() {
        let legacy = parse(json!({"Version": "2008-10-17", "Statement": []}));
        assert_eq!(legacy.version(), PolicyVersion::Legacy);
        assert!(!legacy.version().has_policy_variables());
        let unspecified = parse(json!({"Statement": []}));
        assert_eq!(unspecified.version(), PolicyVersion::Unspecified);
        assert!(!unspecified.version().has_policy_variables());
        assert!(
            parse(json!({"Version": "2012-10-17", "Statement": []}))
                .version()
                .has_policy_variables()
        );
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let policy = parse_text("\u{feff}{\"Statement\": []}").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(policy.statement_count(), 0);
    }

    #[test]
    fn empty_condition_value_lists_become_unknown_tests() {
        let policy = parse(
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish",
            "Condition": {"StringEquals": {"AWS:SourceOwner": []}}}]}),
        );
        let entry = &policy.statements()[0].conditions[0];
        assert!(matches!(entry.operator.base, OperatorBase::Unknown(_)));
        assert_eq!(entry.operator.to_string(), "StringEquals (empty value list)");
        assert!(entry.values.is_empty());
    }

    #[test]
    fn missing_principal_is_allowed() {
        let policy = parse(json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}));
        assert_eq!(policy.statements()[0].principal, PrincipalClause::Absent);
    }
}
