//! Annotations (owner, expiry, justification) that approve a widening, from tags, config exceptions, and
//! (with the HCL sources issue) comments; and their validation (DESIGN section 5).
//!
//! INTERFACE CONTRACT: everything `pub` in this file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::AnnotationSettings;
use crate::date::Date;

/// Where an annotation was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Origin {
    /// `trustgate:owner|expiry|justification` tags on the resource.
    Tags,
    /// An `exception` block in the config file.
    Exception { file: PathBuf, line: usize },
    /// A `# trustgate:` comment (HCL sources issue). `statement` is set when it annotates one statement.
    Comment {
        file: PathBuf,
        line: usize,
        statement: Option<usize>,
    },
}

/// An annotation as written; fields may be missing or invalid — `validate` says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Annotation {
    pub owner: Option<String>,
    pub expiry: Option<String>,
    pub justification: Option<String>,
    pub origin: Origin,
}

/// An `exception` block from the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// Glob over resource addresses (`*` any run, `?` one character).
    pub address: String,
    /// Exact canonical principal, or None for any principal.
    pub principal: Option<String>,
    pub annotation: Annotation,
}

/// Reads the three `trustgate:*` tags; None when none of them is present.
pub fn from_tags(_tags: &BTreeMap<String, String>) -> Option<Annotation> {
    unimplemented!("annotation")
}

/// The first exception matching the address and principal (principal compared canonically: a bare
/// account id equals its `:root` ARN).
pub fn matching_exception<'a>(
    _exceptions: &'a [Exception],
    _address: &str,
    _principal: &str,
) -> Option<&'a Exception> {
    unimplemented!("annotation")
}

/// Every problem with the annotation, as short sentences ("expiry 2025-01-01 is in the past",
/// "owner is missing", …); empty means valid.
pub fn validate(_annotation: &Annotation, _settings: &AnnotationSettings, _today: Date) -> Vec<String> {
    unimplemented!("annotation")
}
