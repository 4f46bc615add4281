//! Report emitters: each is a pure function of a `judge::Report` (or of a compare result).

pub mod compare;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod markdown;
pub mod output;
pub mod sarif;

use crate::annotation::Annotation;
use crate::judge::Report;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Format {
    /// Coloured, grouped by resource, for people.
    Human,
    /// Stable, versioned JSON (`trustgate/check/v1`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub workflow commands (`::error`/`::notice`), which become annotations.
    Github,
    /// Markdown for a job summary or a pull-request comment.
    Markdown,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Markdown => "markdown",
        }
    }
}

/// The warning the CI formats (github, sarif, markdown) carry when the trust boundary was detected from the
/// plan rather than declared: detection reads the provider configuration, which the change under review can
/// rewrite.
pub fn detected_boundary_warning(report: &Report) -> Option<String> {
    if report.boundary.source != crate::judge::BoundarySource::Detected {
        return None;
    }
    let members: Vec<&str> = report.boundary.boundary.members().map(String::as_str).collect();
    Some(format!(
        "the trust boundary ({}) was detected from the plan ({}), not declared; the change under review \
         controls the provider configuration it was read through, so declare the boundary with --account/--org \
         or a boundary block in .trustgate.hcl (read from the base branch with --config-ref)",
        members.join(", "),
        report.boundary.detail
    ))
}

/// Renders the report in a format. `color` only affects human output.
pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human::render(report, color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
    }
}

/// An annotation in one line: `owner X, expires Y: justification`.
pub fn annotation_text(a: &Annotation) -> String {
    format!(
        "owner {}, expires {}: {}",
        a.owner.as_deref().unwrap_or("?"),
        a.expiry.as_deref().unwrap_or("?"),
        a.justification.as_deref().unwrap_or("")
    )
}

/// The annotation text of an approved finding, saying when this change wrote the annotation that
/// approves it (a reviewer should look at who approved what).
pub fn approval_text(f: &crate::judge::Finding, a: &Annotation) -> String {
    let text = annotation_text(a);
    match f.provenance {
        Some(crate::judge::Provenance::ThisChange) => {
            format!("{text} (approved by an annotation added in this change)")
        }
        _ => text,
    }
}

/// The example plan judged on a fixed date, for the emitters' unit tests (the stages below the pipeline,
/// called directly: no sources).
#[cfg(test)]
pub(crate) fn example_report() -> Report {
    let text = include_str!("../../testdata/example/plan.json");
    let path = std::path::Path::new("testdata/example/plan.json");
    let config = crate::config::Config::default();
    let catalog = crate::catalog::Catalog::builtin();
    let plan = crate::plan::parse_plan(text, path).expect("the example plan parses");
    let scan = crate::extract::scan(&plan, &catalog);
    let boundary = crate::judge::BoundaryInfo::choose(&[], &[], &config, scan.detected_boundary.as_ref());
    crate::judge::judge(
        &scan.sites,
        crate::judge::JudgeInput {
            input: path.to_path_buf(),
            resources: scan.resources,
            boundary,
            config: &config,
            today: crate::date::Date::parse_iso("2026-11-24").expect("a valid date"),
            sources: None,
        },
    )
}
