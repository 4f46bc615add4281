//! A focused JSON-Schema draft-04 validator for tests: the keywords the SARIF 2.1.0 schema uses (`type`,
//! `$ref` within the document, `properties`, `additionalProperties`, `required`, `items`, `minItems`,
//! `uniqueItems`, `minimum`, `maximum`, `pattern`, `enum`, `anyOf`, `oneOf`, and the formats `uri`,
//! `uri-reference` and `date-time`). A keyword it does not know fails the validation loudly, so a schema
//! that needs more cannot pass by accident.

#![allow(dead_code)]

use regex::Regex;
use serde_json::Value;

/// Keywords that only annotate.
const IGNORED: &[&str] = &["$schema", "id", "title", "description", "default", "definitions"];

pub struct Validator<'a> {
    root: &'a Value,
}

impl<'a> Validator<'a> {
    pub fn new(root: &'a Value) -> Self {
        Validator { root }
    }

    /// Every violation, as `pointer: problem`; empty when the instance is valid.
    pub fn validate(&self, instance: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(self.root, instance, "", &mut errors);
        errors
    }

    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer)
    }

    fn check(&self, schema: &'a Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(schema) = schema.as_object() else {
            errors.push(format!("{at}: schema is not an object"));
            return;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match self.resolve(reference) {
                Some(target) => self.check(target, value, at, errors),
                None => errors.push(format!("{at}: unresolvable $ref {reference}")),
            }
            return;
        }
        for (keyword, arg) in schema {
            match keyword.as_str() {
                k if IGNORED.contains(&k) => {}
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                        _ => vec![],
                    };
                    if !types.iter().any(|t| has_type(value, t)) {
                        errors.push(format!("{at}: expected type {types:?}, found {value}"));
                    }
                }
                "properties" => {
                    if let (Some(props), Some(object)) = (arg.as_object(), value.as_object()) {
                        for (name, sub) in props {
                            if let Some(v) = object.get(name) {
                                self.check(sub, v, &format!("{at}/{name}"), errors);
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(object) = value.as_object() {
                        let declared = schema.get("properties").and_then(Value::as_object);
                        for (name, v) in object {
                            if declared.is_some_and(|d| d.contains_key(name)) {
                                continue;
                            }
                            match arg {
                                Value::Bool(false) => {
                                    errors.push(format!("{at}: property {name:?} is not allowed"))
                                }
                                Value::Bool(true) => {}
                                sub => self.check(sub, v, &format!("{at}/{name}"), errors),
                            }
                        }
                    }
                }
                "required" => {
                    if let (Some(names), Some(object)) = (arg.as_array(), value.as_object()) {
                        for name in names.iter().filter_map(Value::as_str) {
                            if !object.contains_key(name) {
                                errors.push(format!("{at}: required property {name:?} is missing"));
                            }
                        }
                    }
                }
                "items" => {
                    if let Some(items) = value.as_array() {
                        for (i, item) in items.iter().enumerate() {
                            self.check(arg, item, &format!("{at}/{i}"), errors);
                        }
                    }
                }
                "minItems" => {
                    if let (Some(min), Some(items)) = (arg.as_u64(), value.as_array())
                        && (items.len() as u64) < min
                    {
                        errors.push(format!("{at}: fewer than {min} items"));
                    }
                }
                "uniqueItems" => {
                    if let (Some(true), Some(items)) = (arg.as_bool(), value.as_array()) {
                        for (i, a) in items.iter().enumerate() {
                            if items[..i].contains(a) {
                                errors.push(format!("{at}/{i}: duplicate item"));
                            }
                        }
                    }
                }
                "minimum" | "maximum" => {
                    if let (Some(limit), Some(n)) = (arg.as_f64(), value.as_f64()) {
                        let bad = if keyword == "minimum" {
                            n < limit
                        } else {
                            n > limit
                        };
                        if bad {
                            errors.push(format!("{at}: {n} is outside {keyword} {limit}"));
                        }
                    }
                }
                "pattern" => {
                    if let (Some(pattern), Some(s)) = (arg.as_str(), value.as_str()) {
                        match Regex::new(pattern) {
                            Ok(re) if re.is_match(s) => {}
                            Ok(_) => errors.push(format!("{at}: {s:?} does not match {pattern}")),
                            Err(e) => errors.push(format!("{at}: bad pattern {pattern}: {e}")),
                        }
                    }
                }
                "enum" => {
                    if !arg.as_array().is_some_and(|options| options.contains(value)) {
                        errors.push(format!("{at}: {value} is not one of {arg}"));
                    }
                }
                "anyOf" | "oneOf" => {
                    let options = arg.as_array().map(Vec::as_slice).unwrap_or_default();
                    let passing = options
                        .iter()
                        .filter(|option| {
                            let mut sub = Vec::new();
                            self.check(option, value, at, &mut sub);
                            sub.is_empty()
                        })
                        .count();
                    let ok = if keyword == "anyOf" {
                        passing >= 1
                    } else {
                        passing == 1
                    };
                    if !ok {
                        errors.push(format!("{at}: {passing} of the {keyword} options match"));
                    }
                }
                "format" => {
                    if let (Some(format), Some(s)) = (arg.as_str(), value.as_str())
                        && let Err(problem) = check_format(format, s)
                    {
                        errors.push(format!("{at}: {s:?} is not a valid {format}: {problem}"));
                    }
                }
                other => errors.push(format!(
                    "{at}: the test validator does not know keyword {other:?}"
                )),
            }
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

/// RFC 3986 characters (percent-encoded octets checked separately).
fn uri_chars_ok(s: &str) -> Result<(), String> {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b);
        if !allowed {
            return Err(format!("character {:?} at {i}", b as char));
        }
        if b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(format!("bad percent escape at {i}"));
        }
    }
    Ok(())
}

fn check_format(format: &str, s: &str) -> Result<(), String> {
    match format {
        "uri" => {
            let scheme = Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap();
            if !scheme.is_match(s) {
                return Err("no scheme".to_string());
            }
            uri_chars_ok(s)
        }
        "uri-reference" => uri_chars_ok(s),
        "date-time" => {
            let re = Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
                .unwrap();
            if re.is_match(s) {
                Ok(())
            } else {
                Err("not RFC 3339".to_string())
            }
        }
        other => Err(format!("the test validator does not know format {other:?}")),
    }
}
