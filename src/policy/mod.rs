//! The canonical IAM policy model and its parser (docs/iam-semantics.md sections 1 and 4.2 step 1).
//!
//! INTERFACE CONTRACT (used by extract/judge/cli): `parse_policy`, `Policy`, `PolicyError`,
//! `Policy::statement_count`. Internals are free to change.

use std::fmt;

/// A parsed, normalised policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    // Filled in by the policy implementation.
    _private: (),
}

impl Policy {
    /// Number of statements in the source document (after `Statement` object → array).
    pub fn statement_count(&self) -> usize {
        unimplemented!("policy model")
    }
}

/// Why a policy text is not a valid IAM policy document. `place` is a JSON pointer-ish path inside the
/// policy (e.g. `Statement[2].Principal.AWS[0]`) or "line L, column C" for JSON syntax errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub place: String,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// Parses a policy document from JSON text (the inner string of a Terraform attribute).
pub fn parse_policy(_text: &str) -> Result<Policy, PolicyError> {
    unimplemented!("policy parser")
}

/// Parses a policy document from an already-decoded JSON value (used by `compare` and tests).
pub fn parse_policy_value(_value: &serde_json::Value) -> Result<Policy, PolicyError> {
    unimplemented!("policy parser")
}
