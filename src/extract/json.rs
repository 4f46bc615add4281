//! Small helpers to look into raw JSON attribute bags without building a DOM for the whole plan.

use std::collections::HashMap;

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

pub(crate) fn member<'a>(raw: &'a RawValue, key: &str) -> Option<&'a RawValue> {
    object_members(raw)?.remove(key)
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
