//! Terraform plan JSON (`terraform show -json`), format versions 0.1 through 1.x, read typed and
//! without building a DOM (docs/terraform-formats.md sections 2–8).
//!
//! INTERFACE CONTRACT: `parse_plan`, `Plan` (fields may grow), `ChangeAction`.

use std::path::Path;

use crate::error::Result;

/// What Terraform will do to one resource instance (normalised from the `actions` list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeAction {
    Create,
    Update,
    Delete,
    /// `["delete","create"]` (destroy before create, the default).
    ReplaceDeleteFirst,
    /// `["create","delete"]` (create_before_destroy).
    ReplaceCreateFirst,
    NoOp,
    Read,
    Forget,
    /// `["create","forget"]`.
    ReplaceForget,
}

impl ChangeAction {
    /// The value used in the JSON report's `change` field.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "create",
            ChangeAction::Update => "update",
            ChangeAction::Delete => "delete",
            ChangeAction::ReplaceDeleteFirst
            | ChangeAction::ReplaceCreateFirst
            | ChangeAction::ReplaceForget => "replace",
            ChangeAction::NoOp => "no-op",
            ChangeAction::Read => "read",
            ChangeAction::Forget => "forget",
        }
    }
}

/// A parsed plan. Borrows from the text it was parsed from.
#[derive(Debug)]
pub struct Plan<'a> {
    _text: std::marker::PhantomData<&'a str>,
}

/// Parses plan JSON text. `path` is only used for error messages.
pub fn parse_plan<'a>(_text: &'a str, _path: &Path) -> Result<Plan<'a>> {
    unimplemented!("plan")
}
