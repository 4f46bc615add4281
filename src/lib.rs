//! trustgate: finds Terraform changes that widen who outside the trust boundary can reach an AWS account.
//!
//! The pipeline runs in one direction: `plan` and `source` (load, at the same time) → `extract` (policy
//! sites, via the `catalog`) → `source` (resolve what the plan only knows after apply) → `policy`
//! (normalise) → `analysis` (compare) → `judge` (annotations) → `report`. `pipeline` is that sequence, the
//! one every command (`check`, `diff`, the terraform wrapper) runs with its own inputs.

pub mod analysis;
pub mod annotation;
pub mod blast;
pub mod catalog;
pub mod cli;
pub mod codeowners;
pub mod config;
pub mod date;
pub mod error;
pub mod extract;
pub mod input;
pub mod inventory;
pub mod judge;
pub mod nesting;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod report;
pub mod review;
pub mod rules;
pub mod source;
pub mod symbol;
pub mod terraform;
pub mod vendors;

/// The pipeline under its former name (`check::check_plan_text`, `check::CheckOptions`).
pub use pipeline as check;
