//! trustgate: finds Terraform changes that widen who outside the trust boundary can reach an AWS account.
//!
//! The pipeline runs in one direction: `plan` (load) → `extract` (policy sites, via the `catalog`) →
//! `policy` (normalise) → `analysis` (compare) → `judge` (annotations) → `report`.

pub mod analysis;
pub mod annotation;
pub mod blast;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod error;
pub mod extract;
pub mod input;
pub mod inventory;
pub mod judge;
pub mod plan;
pub mod policy;
pub mod report;
pub mod rules;
pub mod source;
pub mod terraform;
pub mod vendors;
