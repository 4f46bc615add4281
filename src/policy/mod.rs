//! The canonical IAM policy model and its parser (docs/iam-semantics.md sections 1 and 4.2 step 1).
//!
//! INTERFACE CONTRACT (used by extract/judge/cli): `parse_policy`, `Policy`, `PolicyError`,
//! `Policy::statement_count`. Internals are free to change.

use std::fmt;

pub mod arn;
pub mod cidr;
pub mod condition;
pub mod glob;
pub mod model;
mod parse;

pub use condition::{Comparison, ConditionEntry, Operator, OperatorBase, SetQualifier, StringMode};
pub use model::{AwsPrincipal, Effect, PatternSet, PolicyVersion, Principal, PrincipalClause, Statement};

/// A parsed, normalised policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    version: PolicyVersion,
    statements: Vec<Statement>,
}

impl Policy {
    /// Number of statements in the source document (after `Statement` object → array).
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    /// A policy with no statements (what "no policy" means for a comparison).
    pub fn empty() -> Policy {
        Policy {
            version: PolicyVersion::Current,
            statements: Vec::new(),
        }
    }

    pub(crate) fn from_parts(version: PolicyVersion, statements: Vec<Statement>) -> Policy {
        Policy { version, statements }
    }

    pub fn version(&self) -> PolicyVersion {
        self.version
    }

    /// Statements in source order; `Statement::index` is the position in the document.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
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

/// Parses one value of an `AWS` principal (`*`, 12-digit account, ARN, unique id); also used for
/// `aws:PrincipalArn` condition values.
pub fn parse_aws_principal_value(text: &str) -> Result<Principal, String> {
    if text == "*" {
        Ok(Principal::Any)
    } else {
        parse::parse_aws_principal(text)
    }
}

/// Parses a policy document from JSON text (the inner string of a Terraform attribute).
pub fn parse_policy(text: &str) -> Result<Policy, PolicyError> {
    parse::parse_text(text)
}

/// Parses a policy document from an already-decoded JSON value (used by `compare` and tests).
pub fn parse_policy_value(value: &serde_json::Value) -> Result<Policy, PolicyError> {
    parse::parse_document(value)
}
