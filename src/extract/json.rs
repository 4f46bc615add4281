//! Small helpers to look into raw JSON attribute bags without building a DOM for the whole plan.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::catalog::PathStep;

/// A JSON object's members, borrowed as raw values. `None` if `raw` is not an object.
pub(crate) fn object_members(raw: &RawValue) -> Option<HashMap<String, &RawValue>> {
    if !raw.get().trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// The elements of a JSON array, borrowed as raw values. `None` if `raw` is not an array.
pub(crate) fn array_elements(raw: &RawValue) -> Option<Vec<&RawValue>> {
    if !raw.get().trim_start().starts_with('[') {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// The member `key` of a JSON object (the last one, if the key is repeated, as for `object_members`).
/// `None` if `raw` is not an object or has no such member.
///
/// One pass over the object without building a map: keys are compared where they lie in the text (only
/// keys with escapes are decoded) and the other values are skipped unread. This runs several times per
/// catalogued resource, on attribute bags that can be large.
pub(crate) fn member<'a>(raw: &'a RawValue, key: &str) -> Option<&'a RawValue> {
    if !raw.get().trim_start().starts_with('{') {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    de::Deserializer::deserialize_map(&mut deserializer, FindMember { key }).ok()?
}

/// An object key, borrowed from the JSON text unless it contains escapes.
#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

struct FindMember<'k> {
    key: &'k str,
}

impl<'de> Visitor<'de> for FindMember<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(Key(name)) = map.next_key::<Key<'de>>()? {
            if name == self.key {
                found = Some(map.next_value::<&'de RawValue>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

pub(crate) fn is_true(raw: &RawValue) -> bool {
    raw.get().trim() == "true"
}

pub(crate) fn is_null(raw: &RawValue) -> bool {
    raw.get().trim() == "null"
}

/// The string value, or the text of a number (Terraform writes some ids as numbers).
pub(crate) fn as_text(raw: &RawValue) -> Option<String> {
    let text = raw.get().trim();
    if text.starts_with('"') {
        serde_json::from_str::<String>(text).ok()
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Some(text.to_string())
    } else {
        None
    }
}

/// One step down a path; `[*]` never matches (callers expand it first).
pub(crate) fn child<'a>(node: &'a RawValue, step: &PathStep) -> Option<&'a RawValue> {
    match step {
        PathStep::Key(key) => member(node, key),
        PathStep::Index(index) => array_elements(node)?.get(*index).copied(),
        PathStep::EachElement => None,
    }
}

/// Number of elements of the list at `node`, 0 if it is not a list.
pub(crate) fn list_len(node: Option<&RawValue>) -> usize {
    node.and_then(array_elements).map_or(0, |items| items.len())
}

/// True if `unknown` (an `after_unknown` bag) marks the value at `steps` unknown, including when a
/// containing object or list is wholly unknown.
pub(crate) fn unknown_at(unknown: Option<&RawValue>, steps: &[PathStep]) -> bool {
    let mut node = unknown;
    for step in steps {
        match node {
            Some(value) if is_true(value) => return true,
            Some(value) => node = child(value, step),
            None => return false,
        }
    }
    node.is_some_and(is_true)
}

/// The value at `steps`, if present and not null.
pub(crate) fn value_at<'a>(root: Option<&'a RawValue>, steps: &[PathStep]) -> Option<&'a RawValue> {
    let mut node = root?;
    for step in steps {
        node = child(node, step)?;
    }
    (!is_null(node)).then_some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> &RawValue {
        serde_json::from_str(text).unwrap()
    }

    /// `member` answers exactly as a lookup in `object_members` does.
    fn assert_member_agrees(text: &str, key: &str) {
        let value = raw(text);
        let by_map = object_members(value).and_then(|mut members| members.remove(key));
        assert_eq!(
            member(value, key).map(RawValue::get),
            by_map.map(RawValue::get),
            "{text} / {key}"
        );
    }

    #[test]
    fn member_finds_a_key_and_skips_the_rest() {
        let text = r#"{"a": {"arn": "x"}, "arn": "arn:aws:iam::1:role/r", "tags": [1, {"b": null}]}"#;
        assert_eq!(
            member(raw(text), "arn").unwrap().get(),
            r#""arn:aws:iam::1:role/r""#
        );
        assert_eq!(member(raw(text), "tags").unwrap().get(), r#"[1, {"b": null}]"#);
        assert!(member(raw(text), "b").is_none());
        for key in ["a", "arn", "tags", "b", ""] {
            assert_member_agrees(text, key);
        }
    }

    #[test]
    fn member_decodes_escaped_keys_and_takes_the_last_duplicate() {
        let text = r#"{"p\u006flicy": 1, "policy": 2, "x\"y": 3}"#;
        assert_eq!(member(raw(text), "policy").unwrap().get(), "2");
        assert_eq!(member(raw(text), "x\"y").unwrap().get(), "3");
        for key in ["policy", "x\"y", "p\\u006flicy"] {
            assert_member_agrees(text, key);
        }
    }

    #[test]
    fn member_of_a_non_object_is_none() {
        for text in ["[1, 2]", "\"policy\"", "null", "true", "12", " {}"] {
            assert!(member(raw(text), "policy").is_none(), "{text}");
            assert_member_agrees(text, "policy");
        }
    }
}
