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
    if let Some(warning) = super::detected_boundary_warning(report) {
        let _ = writeln!(
            out,
            "::warning title=trustgate boundary::{}",
            workflow_data(&warning)
        );
    }
    for diagnostic in &report.diagnostics {
        let _ = writeln!(out, "::warning title=trustgate::{}", workflow_data(diagnostic));
    }
    for note in &report.notes {
        let _ = writeln!(out, "::notice title=trustgate::{}", workflow_data(note));
    }
    for stale in &report.stale_approvals {
        let level = if stale.expired && report.stale_approvals_fail {
            "error"
        } else {
            "warning"
        };
        let title = if stale.expired {
            "trustgate: approval expired"
        } else {
            "trustgate: approval expiring"
        };
        let place = match &stale.location {
            Some(l) => format!(
                "file={},line={},",
                workflow_property(&l.file.display().to_string()),
                l.line
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "::{level} {place}title={}::{}",
            workflow_property(title),
            workflow_data(&stale.message())
        );
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
            let _ = write!(message, "\nApproved: {}", super::approval_text(f, annotation));
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
    if let Some(approvers) = &f.approvers {
        let _ = write!(message, "\nApproval: {}", approvers.sentence());
    }
    let mut properties = Vec::new();
    if let Some(location) = &f.location {
        let (file, line) = location.precise();
        properties.push(format!(
            "file={}",
            workflow_property(&file.display().to_string().replace('\\', "/"))
        ));
        properties.push(format!("line={}", line.max(1)));
    }
    properties.push(format!("title={}", workflow_property(&title)));
    format!("::{name} {}::{}", properties.join(","), workflow_data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::Location;

    #[test]
    fn file_and_line_when_the_location_is_known() {
        let mut report = crate::report::example_report();
        report.findings[1].location = Some(Location {
            file: "stacks/a,b:c/main.tf".into(),
            line: 7,
            statement_line: None,
            statement_file: None,
            module_call: None,
        });
        let out = render(&report);
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[1].starts_with("::error file=stacks/a%2Cb%3Ac/main.tf,line=7,title=TG002 "),
            "{}",
            lines[1]
        );
        assert!(
            lines[0].starts_with("::notice title="),
            "no file or line when unknown: {}",
            lines[0]
        );
    }

    #[test]
    fn one_line_per_finding_and_a_summary() {
        let report = crate::report::example_report();
        let out = render(&report);
        // The example's boundary is detected: one warning line says so.
        assert_eq!(out.lines().count(), report.findings.len() + 2);
        assert!(
            out.contains(
                "::warning title=trustgate boundary::the trust boundary (111111111111) was detected"
            )
        );
        assert_eq!(
            out.lines().last().unwrap(),
            "trustgate: 6 widenings: 5 violations, 1 approved"
        );
    }
}
