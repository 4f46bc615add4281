//! Report emitters: each is a pure function of a `judge::Report` (or of a compare result).

pub mod compare;
pub mod escape;
pub mod human;
pub mod json;

use crate::judge::Report;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Coloured, grouped by resource, for people.
    Human,
    /// Stable, versioned JSON (`trustgate/check/v1`).
    Json,
}

/// Renders the report in a format. `color` only affects human output.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(report, color),
        Format::Json => json::render(report),
    }
}
