//! GitHub workflow commands: `::error` for each violation and `::notice` for each approved widening, which
//! the runner turns into annotations on the run and, where the file and line are in the diff, on the pull
//! request. Ends with one plain summary line for the log.

use std::fmt::Write;

use super::escape::{workflow_data, workflow_property};
use crate::judge::{Finding, Report, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&command(f));
        out.push('\n');
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "trustgate: {} widening{}: {} violation{}, {} approved",
        s.widenings,
        if s.widenings == 1 { "" } else { "s" },
        s.violations,
        if s.violations == 1 { "" } else { "s" },
        s.approved
    );
    out
}

fn command(f: &Finding) -> String {
    let (name, title, mut message) = match f.status {
        Status::Violation => (
            "error",
            format!("{} {}: {}", f.rule.id, f.rule.name, f.address),
            f.message(),
        ),
        Status::Approved => (
            "notice",
            format!("{} {} (approved): {}", f.rule.id, f.rule.name, f.address),
            f.message(),
        ),
    };
    match (f.status, &f.annotation) {
        (Status::Approved, Some(annotation)) => {
            let _ = write!(message, "\nApproved: {}", super::annotation_text(annotation));
        }
        (Status::Violation, Some(_)) => {
            let _ = write!(
                message,
                "\nAnnotation rejected: {}",
                f.annotation_problems.join("; ")
            );
        }
        (_, None) => {
            let _ = write!(message, "\n{}", f.rule.summary);
        }
    }
    let mut properties = Vec::new();
    if let Some(location) = &f.location {
        properties.push(format!(
            "file={}",
            workflow_property(&location.file.display().to_string().replace('\\', "/"))
        ));
        properties.push(format!("line={}", location.line.max(1)));
    }
    properties.push(format!("title={}", workflow_property(&title)));
    format!("::{name} {}::{}", properties.join(","), workflow_data(&message))
}
