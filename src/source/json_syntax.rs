//! Terraform's JSON configuration syntax (`.tf.json`), turned into native syntax text so that the index and
//! the evaluator read it as they read a `.tf` file.
//!
//! The mapping follows <https://developer.hashicorp.com/terraform/language/syntax/json>: the root object's
//! properties are block types; `resource` and `data` take two label levels, `module`, `variable`, `output`
//! and `provider` one, `locals` and `terraform` none; a block body is an object (or an array of objects for
//! several blocks); a string in an expression is a string template (`"${var.x}"`), numbers, booleans and
//! null are literals, arrays are tuples and objects are objects; a property named `//` is a comment. Which
//! properties of a body are nested blocks depends on the schema: here the meta-blocks (`lifecycle`,
//! `connection`, `provisioner`, `dynamic`, `content`), the blocks of `aws_iam_policy_document`, and the
//! nested blocks the built-in catalog names for the resource type. `variable` defaults are literal values,
//! and `source`/`version` of a module literal strings, as the page says.
//!
//! A file this cannot convert (not JSON, a property defined twice in one object, a template that does not
//! close) is an error, so that its resources are never silently lost.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::catalog::{Catalog, PathStep};

/// A JSON value that keeps every object property, in order, duplicates included.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Number(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Number(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(Json::Number(v.to_string()))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::String(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::String(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    out.push(item);
                }
                Ok(Json::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut out = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Json>()? {
                    out.push((key, value));
                }
                Ok(Json::Object(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// What the properties of one body are: which are nested blocks (and with how many labels).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Schema<'a> {
    /// The root of a file.
    Root,
    /// A `resource` or `data` body of this type (`data.` prefixed for data sources).
    Resource(&'a str),
    /// A `statement` of an `aws_iam_policy_document`.
    Statement,
    /// A `dynamic` block: its `content` block has the schema of the block it writes.
    Dynamic(&'a str, &'a str),
    /// A `variable` body (its `default` is a literal value).
    Variable,
    /// A `module` body (`source` and `version` are literal strings).
    Module,
    /// Any other body: every property an argument, except the meta-blocks.
    Plain,
}

/// Parses JSON that Terraform reads as attributes (a `.tfvars.json` file): a property defined twice in one
/// object is an error, as in Terraform, not silently the last one.
pub fn parse_strict(text: &str) -> Result<serde_json::Value, String> {
    fn convert(json: Json) -> Result<serde_json::Value, String> {
        Ok(match json {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(b),
            Json::Number(n) => serde_json::from_str(&n).unwrap_or(serde_json::Value::Null),
            Json::String(s) => serde_json::Value::String(s),
            Json::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(convert).collect::<Result<_, _>>()?)
            }
            Json::Object(properties) => {
                let mut map = serde_json::Map::new();
                for (key, value) in properties {
                    if map.contains_key(&key) {
                        return Err(format!("the key {key:?} is defined twice in one object"));
                    }
                    map.insert(key, convert(value)?);
                }
                serde_json::Value::Object(map)
            }
        })
    }
    let root: Json =
        serde_json::from_str(text).map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))?;
    convert(root)
}

/// Converts the text of a `.tf.json` file into native syntax, each top-level block starting (where it can)
/// on the line its name has in the JSON text, so that locations stay near the truth.
pub fn to_native(text: &str) -> Result<String, String> {
    let root: Json =
        serde_json::from_str(text).map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))?;
    let Json::Object(properties) = root else {
        return Err("the root of a .tf.json file must be an object".to_string());
    };
    let mut out = Writer {
        text: String::new(),
        line: 1,
        source: text,
        cursor: 0,
    };
    out.body(&properties, Schema::Root, 0)?;
    Ok(out.text)
}

struct Writer<'s> {
    text: String,
    /// The line the next write starts on.
    line: usize,
    source: &'s str,
    /// Byte offset in `source` after the last name looked up.
    cursor: usize,
}

impl Writer<'_> {
    fn push(&mut self, text: &str) {
        self.line += text.matches('\n').count();
        self.text.push_str(text);
    }

    /// Pads with blank lines up to the line of the next `"name"` key in the source.
    fn align(&mut self, name: &str) {
        let needle = serde_json::to_string(name).unwrap_or_default();
        let Some(found) = self.source.get(self.cursor..).and_then(|rest| rest.find(&needle)) else {
            return;
        };
        let at = self.cursor + found;
        self.cursor = at + needle.len();
        let line = self.source.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        while self.line < line {
            self.push("\n");
        }
    }

    fn body(
        &mut self,
        properties: &[(String, Json)],
        schema: Schema<'_>,
        depth: usize,
    ) -> Result<(), String> {
        let mut seen = BTreeSet::new();
        for (key, value) in properties {
            if key == "//" {
                continue;
            }
            let labels = block_labels(schema, key);
            match labels {
                Some(labels) => self.blocks(key, value, labels, schema, &mut Vec::new(), depth)?,
                None => {
                    if !seen.insert(key.as_str()) {
                        return Err(format!("the argument {key:?} is defined twice in one block"));
                    }
                    if schema == Schema::Root {
                        return Err(format!("{key:?} is not a block type of the Terraform language"));
                    }
                    indent(&mut self.text, depth);
                    let literal = matches!(
                        (schema, key.as_str()),
                        (Schema::Variable, "default" | "description")
                            | (Schema::Module, "source" | "version")
                    );
                    let expr = if literal {
                        literal_value(value)
                    } else if schema_is_dynamic(schema) && key == "iterator" {
                        match value {
                            Json::String(name) if is_identifier(name) => name.clone(),
                            _ => return Err("the iterator of a dynamic block must be a name".to_string()),
                        }
                    } else {
                        expression(value)?
                    };
                    let line = format!("{} = {expr}\n", quote_key(key));
                    self.push(&line);
                }
            }
        }
        Ok(())
    }

    /// Writes the blocks of type `kind`: `value` holds `labels` more label levels, then a body (an object, or
    /// an array of objects).
    fn blocks(
        &mut self,
        kind: &str,
        value: &Json,
        labels: usize,
        parent: Schema<'_>,
        found: &mut Vec<String>,
        depth: usize,
    ) -> Result<(), String> {
        if found.len() < labels {
            let Json::Object(levels) = value else {
                if let Json::Array(items) = value {
                    for item in items {
                        self.blocks(kind, item, labels, parent, found, depth)?;
                    }
                    return Ok(());
                }
                return Err(format!("a {kind} block needs {labels} label(s) as object keys"));
            };
            for (label, inner) in levels {
                if label == "//" {
                    continue;
                }
                if depth == 0 && found.len() + 1 == labels {
                    self.align(label);
                }
                found.push(label.clone());
                self.blocks(kind, inner, labels, parent, found, depth)?;
                found.pop();
            }
            return Ok(());
        }
        let bodies: Vec<&Vec<(String, Json)>> = match value {
            Json::Object(body) => vec![body],
            Json::Array(items) => items
                .iter()
                .map(|item| match item {
                    Json::Object(body) => Ok(body),
                    _ => Err(format!("a {kind} block body must be an object")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(format!("a {kind} block body must be an object")),
        };
        let schema = child_schema(parent, kind, found);
        for body in bodies {
            indent(&mut self.text, depth);
            let mut head = kind.to_string();
            for label in found.iter() {
                head.push(' ');
                head.push_str(&serde_json::to_string(label).unwrap_or_default());
            }
            head.push_str(" {\n");
            self.push(&head);
            self.body(body, schema, depth + 1)?;
            indent(&mut self.text, depth);
            self.push("}\n");
        }
        Ok(())
    }
}

fn schema_is_dynamic(schema: Schema<'_>) -> bool {
    matches!(schema, Schema::Dynamic(..))
}

/// How many labels `key` takes when it is a nested block of a body of `schema`; None when it is an argument.
fn block_labels(schema: Schema<'_>, key: &str) -> Option<usize> {
    match schema {
        Schema::Root => match key {
            "resource" | "data" => Some(2),
            "module" | "variable" | "output" | "provider" => Some(1),
            "locals" | "terraform" | "moved" | "import" | "removed" | "check" => Some(0),
            _ => None,
        },
        Schema::Dynamic(..) => (key == "content").then_some(0),
        _ => match key {
            "dynamic" | "provisioner" => Some(1),
            "lifecycle" | "connection" => Some(0),
            _ => match schema {
                Schema::Resource("data.aws_iam_policy_document") => (key == "statement").then_some(0),
                Schema::Statement => ["principals", "not_principals", "condition"]
                    .contains(&key)
                    .then_some(0),
                Schema::Resource(kind) => nested_blocks(kind).contains(key).then_some(0),
                _ => None,
            },
        },
    }
}

fn child_schema<'a>(parent: Schema<'a>, kind: &'a str, labels: &'a [String]) -> Schema<'a> {
    match (parent, kind) {
        (Schema::Root, "resource") => Schema::Resource(labels.first().map_or("", String::as_str)),
        (Schema::Root, "data") => match labels.first().map(String::as_str) {
            Some("aws_iam_policy_document") => Schema::Resource("data.aws_iam_policy_document"),
            _ => Schema::Plain,
        },
        (Schema::Root, "variable") => Schema::Variable,
        (Schema::Root, "module") => Schema::Module,
        (Schema::Resource(resource), "dynamic") => {
            Schema::Dynamic(resource, labels.first().map_or("", String::as_str))
        }
        (Schema::Statement, "dynamic") => {
            Schema::Dynamic("statement", labels.first().map_or("", String::as_str))
        }
        (Schema::Resource("data.aws_iam_policy_document"), "statement") => Schema::Statement,
        (Schema::Dynamic("data.aws_iam_policy_document", "statement"), "content") => Schema::Statement,
        (Schema::Dynamic(resource, _), "content") if resource != "statement" => Schema::Resource(resource),
        _ => Schema::Plain,
    }
}

/// Nested block names of a resource type, from the built-in catalog (`inline_policy` of `aws_iam_role`).
fn nested_blocks(kind: &str) -> BTreeSet<String> {
    let catalog = Catalog::builtin();
    let Some(entry) = catalog.entry(kind) else {
        return BTreeSet::new();
    };
    entry
        .attributes
        .iter()
        .filter_map(|a| match a.path.steps.as_slice() {
            [PathStep::Key(block), PathStep::EachElement, ..] => Some(block.clone()),
            _ => None,
        })
        .collect()
}

fn indent(text: &mut String, depth: usize) {
    for _ in 0..depth {
        text.push_str("  ");
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn quote_key(key: &str) -> String {
    if is_identifier(key) {
        key.to_string()
    } else {
        // Not a name: kept as a quoted key, which the native parser rejects (Terraform rejects it too).
        serde_json::to_string(key).unwrap_or_default()
    }
}

/// A value taken literally (no templates): strings with `${` and `%{` escaped.
fn literal_value(value: &Json) -> String {
    match value {
        Json::Null => "null".to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.clone(),
        Json::String(s) => literal_string(s),
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(literal_value).collect::<Vec<_>>().join(", ")
        ),
        Json::Object(properties) => format!(
            "{{{}}}",
            properties
                .iter()
                .map(|(k, v)| format!("{} = {}", literal_string(k), literal_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn literal_string(s: &str) -> String {
    let mut out = String::from("\"");
    escape_literal(s, &mut out);
    out = out.replace("${", "$${").replace("%{", "%%{");
    out.push('"');
    out
}

/// Escapes literal text for a native quoted string.
fn escape_literal(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// An expression in JSON syntax as native syntax.
fn expression(value: &Json) -> Result<String, String> {
    Ok(match value {
        Json::Null => "null".to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.clone(),
        Json::String(s) => template(s)?,
        Json::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(expression)
                .collect::<Result<Vec<_>, _>>()?
                .join(", ")
        ),
        Json::Object(properties) => {
            let mut seen = BTreeSet::new();
            let mut parts = Vec::new();
            for (key, value) in properties {
                if !seen.insert(key.as_str()) {
                    return Err(format!("the key {key:?} is defined twice in one object"));
                }
                let key = match template(key)? {
                    quoted if quoted.starts_with('"') => quoted,
                    bare => format!("({bare})"),
                };
                parts.push(format!("{key} = {}", expression(value)?));
            }
            format!("{{{}}}", parts.join(", "))
        }
    })
}

/// A string template in JSON syntax (already JSON-decoded) as a native quoted template: literal parts
/// escaped, `${…}` and `%{…}` sequences kept as written. A template that is one interpolation and nothing
/// else is its expression (native syntax gives it the same value, not a string).
fn template(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut literal = String::new();
    let mut literal_parts = 0usize;
    let mut interpolations: Vec<&str> = Vec::new();
    let mut directives = 0usize;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &s[i..];
        // `$${` and `%%{` are a literal `${` and `%{` in both syntaxes.
        if rest.starts_with("$${") || rest.starts_with("%%{") {
            literal.push_str(&rest[..3]);
            i += 3;
            continue;
        }
        if rest.starts_with("${") || rest.starts_with("%{") {
            if !literal.is_empty() {
                escape_literal(&std::mem::take(&mut literal), &mut out);
                literal_parts += 1;
            }
            let end =
                closing_brace(bytes, i + 2).ok_or_else(|| format!("the template {s:?} does not close"))?;
            out.push_str(&s[i..=end]);
            if rest.starts_with('$') {
                interpolations.push(&s[i + 2..end]);
            } else {
                directives += 1;
            }
            i = end + 1;
            continue;
        }
        let c = rest.chars().next().unwrap_or_default();
        literal.push(c);
        i += c.len_utf8().max(1);
    }
    if !literal.is_empty() {
        escape_literal(&literal, &mut out);
        literal_parts += 1;
    }
    if literal_parts == 0
        && directives == 0
        && let [inner] = interpolations.as_slice()
        && !inner.starts_with('~')
        && !inner.ends_with('~')
    {
        return Ok(format!("({})", inner.trim()));
    }
    Ok(format!("\"{out}\""))
}

/// The index of the `}` that closes a `${` / `%{` whose content starts at `from`, skipping nested braces and
/// quoted strings.
fn closing_brace(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' => depth += 1,
                b'}' if depth == 0 => return Some(i),
                b'}' => depth -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_keep_interpolations_and_escape_literals() {
        assert_eq!(template("plain \"q\"").unwrap(), r#""plain \"q\"""#);
        assert_eq!(template("${var.x}").unwrap(), "(var.x)");
        assert_eq!(template("arn:${var.p}:x").unwrap(), "\"arn:${var.p}:x\"");
        assert_eq!(
            template("${jsonencode({\"a\" = \"}\"})}").unwrap(),
            "(jsonencode({\"a\" = \"}\"}))"
        );
        assert_eq!(template("$${literal}").unwrap(), "\"$${literal}\"");
        assert!(template("${open").is_err());
    }

    #[test]
    fn resources_policy_documents_and_locals_convert() {
        let json = r#"{
  "locals": {"partner": "999988887777"},
  "//": [
    "comments",
    "take lines"
  ],
  "resource": {"aws_iam_role": {"r": {
    "name": "r",
    "assume_role_policy": "${data.aws_iam_policy_document.trust.json}",
    "inline_policy": [{"name": "p", "policy": "{}"}]
  }}},
  "data": {"aws_iam_policy_document": {"trust": {
    "statement": [{"actions": ["sts:AssumeRole"],
                   "principals": {"type": "AWS", "identifiers": ["arn:aws:iam::${local.partner}:root"]}}]
  }}}
}"#;
        let native = to_native(json).unwrap();
        let body = hcl::parse(&native).unwrap_or_else(|e| panic!("{e}\n{native}"));
        let blocks: Vec<String> = body
            .blocks()
            .map(|b| {
                let mut s = b.identifier().to_string();
                for l in &b.labels {
                    s.push(' ');
                    s.push_str(l.as_str());
                }
                s
            })
            .collect();
        assert_eq!(
            blocks,
            [
                "locals",
                "resource aws_iam_role r",
                "data aws_iam_policy_document trust"
            ]
        );
        let role = body.blocks().nth(1).unwrap();
        assert_eq!(
            role.body
                .blocks()
                .filter(|b| b.identifier() == "inline_policy")
                .count(),
            1
        );
        let statement = body.blocks().nth(2).unwrap().body.blocks().next().unwrap();
        assert_eq!(statement.identifier(), "statement");
        assert_eq!(statement.body.blocks().next().unwrap().identifier(), "principals");
        // The role block starts on the line of its name in the JSON text.
        let line = native.lines().position(|l| l.starts_with("resource")).unwrap() + 1;
        assert_eq!(line, 7);
    }

    #[test]
    fn duplicate_properties_and_non_objects_are_errors() {
        assert!(to_native(r#"{"resource": {"aws_iam_role": {"r": {"name": "a", "name": "b"}}}}"#).is_err());
        assert!(to_native("[1]").is_err());
        assert!(to_native("{").is_err());
        assert!(to_native(r#"{"nonsense": 1}"#).is_err());
    }
}
