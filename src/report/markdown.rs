//! Markdown for `$GITHUB_STEP_SUMMARY` and a pull-request comment: a hidden marker (so one sticky comment
//! can be found and updated), the verdict first, a table of widenings, then per resource a collapsible
//! before → after view of who can reach it. Every untrusted string goes through `escape::markdown`, and the
//! whole text stays within GitHub's comment limit by leaving out whole rows and sections, never cutting one.

use std::fmt::Write;

use super::escape::markdown as md;
use crate::analysis::{Access, Reach};
use crate::judge::{BoundarySource, Finding, Report, SideView, SiteView, Status, account_of};

/// The first line of every Markdown report; the Action finds its own comment by it.
pub const MARKER: &str = "<!-- trustgate -->";

/// GitHub's limit on the body of an issue or pull-request comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Room kept for the truncation lines and the footer.
const RESERVE: usize = 1_024;

/// Longest annotation text (and list of gained actions) one table row shows, in characters; the rest of
/// a long justification is in the SARIF and JSON reports. Keeps one approved row from crowding out a
/// violation.
const CELL_TEXT_LIMIT: usize = 200;

pub fn render(report: &Report) -> String {
    render_limited(report, COMMENT_LIMIT)
}

/// Renders within `limit` characters (whole rows and sections only).
pub fn render_limited(report: &Report, limit: usize) -> String {
    let head = head(report);
    let footer = footer(report);
    let budget = limit.saturating_sub(RESERVE.min(limit / 2));
    let mut used = chars(&head) + chars(&footer);
    let mut out = head;

    if !report.findings.is_empty() {
        let header = "| | Resource | Who gains access | Rule | Status | Annotation / expiry |\n\
                      |---|---|---|---|---|---|\n";
        out.push_str(header);
        used += chars(header);
        // Every violation before any approved row: when the size limit cuts the table, it cuts approvals.
        let ordered = report
            .findings
            .iter()
            .filter(|f| f.status == Status::Violation)
            .chain(report.findings.iter().filter(|f| f.status != Status::Violation));
        let mut shown = 0;
        let mut violations_shown = 0;
        for f in ordered {
            let row = row(f);
            let size = chars(&row);
            if used + size > budget {
                break;
            }
            out.push_str(&row);
            used += size;
            shown += 1;
            if f.status == Status::Violation {
                violations_shown += 1;
            }
        }
        let left_out = report.findings.len() - shown;
        if left_out > 0 {
            let violations_left = report.summary.violations.saturating_sub(violations_shown);
            let which = if violations_left > 0 {
                format!(
                    " ({} among them)",
                    plural(violations_left, "violation", "violations")
                )
            } else {
                " (all of them approved)".to_string()
            };
            let line = format!(
                "\n> [!WARNING]\n> **{left_out} of {} findings were left out**{which} of this table to keep the \
                 comment within GitHub's {COMMENT_LIMIT}-character limit. Run `trustgate check` or read the SARIF \
                 or JSON report for all of them.\n",
                report.findings.len()
            );
            used += chars(&line);
            out.push_str(&line);
        }

        let mut views = String::from("\n#### Before → after\n\n");
        let mut views_used = chars(&views);
        let mut shown_views = 0;
        let violated: Vec<bool> = report
            .sites
            .iter()
            .map(|site| site_violated(site, report))
            .collect();
        let ordered_sites = (0..report.sites.len())
            .filter(|&i| violated[i])
            .chain((0..report.sites.len()).filter(|&i| !violated[i]));
        for i in ordered_sites {
            let site = &report.sites[i];
            let section = site_section(site, violated[i]);
            let size = chars(&section);
            if used + views_used + size > budget {
                break;
            }
            views.push_str(&section);
            views_used += size;
            shown_views += 1;
        }
        if shown_views > 0 {
            out.push_str(&views);
            used += views_used;
        }
        let views_left = report.sites.len() - shown_views;
        if views_left > 0 {
            let line = format!(
                "\n_{views_left} of {} before → after views were left out to keep within the size limit._\n",
                report.sites.len()
            );
            used += chars(&line);
            out.push_str(&line);
        }
    }
    let _ = used;
    // One blank line before the footer, whatever came last.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out.push_str(&footer);
    out
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn head(report: &Report) -> String {
    let s = &report.summary;
    let mut out = format!("{MARKER}\n");
    if s.violations > 0 {
        let _ = writeln!(
            out,
            "### ❌ trustgate: {} widen{} who can reach your AWS accounts",
            plural(s.violations, "violation", "violations"),
            if s.violations == 1 { "s" } else { "" }
        );
    } else if s.widenings > 0 {
        let _ = writeln!(
            out,
            "### ✅ trustgate: nothing blocks this plan ({} approved)",
            s.approved
        );
    } else {
        let _ = writeln!(
            out,
            "### ✅ trustgate: no widening of who can reach your AWS accounts"
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "**{}** in {} of {}: **{}**, {} approved.",
        plural(s.widenings, "widening", "widenings"),
        plural(s.policies, "policy", "policies"),
        plural(s.resources, "resource", "resources"),
        plural(s.violations, "violation", "violations"),
        s.approved
    );
    out.push('\n');
    let _ = writeln!(out, "{}", boundary_line(report));
    out.push('\n');
    if let Some(warning) = super::detected_boundary_warning(report) {
        let _ = writeln!(out, "> [!WARNING]\n> {}\n", md(&warning));
    }
    if !report.stale_approvals.is_empty() {
        let blocking = report.stale_approvals_fail && report.stale_approvals.iter().any(|s| s.expired);
        let kind = if blocking { "CAUTION" } else { "WARNING" };
        let _ = writeln!(
            out,
            "> [!{kind}]\n> **Approvals on resources this plan does not change** (review or renew them):"
        );
        for stale in &report.stale_approvals {
            let mark = if stale.expired { "❌" } else { "⏳" };
            let _ = writeln!(out, "> - {mark} {}", md(&stale.message()));
        }
        out.push('\n');
    }
    out
}

fn boundary_line(report: &Report) -> String {
    let b = &report.boundary;
    let members: Vec<String> = b
        .boundary
        .members()
        .map(|m| format!("<code>{}</code>", md(m)))
        .collect();
    match b.source {
        BoundarySource::None => format!("Trust boundary: **none** — {}.", md(&b.detail)),
        source => format!(
            "Trust boundary: {} (from {}: {}).",
            members.join(", "),
            source.as_str(),
            md(&b.detail)
        ),
    }
}

fn row(f: &Finding) -> String {
    let mark = match f.status {
        Status::Violation => "❌",
        Status::Approved => "✅",
    };
    let who = if f.widening.principal.is_empty() {
        md(&shorten(&f.widening.reason, CELL_TEXT_LIMIT))
    } else {
        let mut who = format!("<code>{}</code>", md(&f.widening.principal));
        if let Some(vendor) = account_of(&f.widening.principal).and_then(crate::vendors::vendor_name) {
            let _ = write!(who, " ({})", md(vendor));
        }
        if !f.widening.actions.is_empty() {
            let _ = write!(
                who,
                "<br>gains {}",
                md(&shorten(&f.widening.actions.join(", "), CELL_TEXT_LIMIT))
            );
        }
        who
    };
    let annotation = match (&f.annotation, f.status) {
        (Some(a), Status::Approved) => {
            let mut text = md(&shorten(&super::annotation_text(a), CELL_TEXT_LIMIT));
            if f.provenance == Some(crate::judge::Provenance::ThisChange) {
                text.push_str("<br>🆕 **approved by an annotation added in this change**");
            }
            text
        }
        (Some(_), Status::Violation) => format!(
            "**rejected:** {}",
            md(&shorten(&f.annotation_problems.join("; "), CELL_TEXT_LIMIT))
        ),
        (None, _) => "—".to_string(),
    };
    let annotation = match &f.approvers {
        Some(approvers) => format!(
            "{annotation}<br>👤 {}",
            md(&shorten(&approvers.sentence(), CELL_TEXT_LIMIT))
        ),
        None => annotation,
    };
    format!(
        "| {mark} | <code>{}</code> | {who} | {} {} | {} | {annotation} |\n",
        md(&f.address),
        md(&f.rule.id),
        md(&f.rule.name),
        f.status.as_str(),
    )
}

fn site_violated(site: &SiteView, report: &Report) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.address == site.address && f.attribute == site.attribute && f.status == Status::Violation)
}

/// At most `limit` characters of `text`, ending in `…` when something was cut (before escaping, so that
/// an escape sequence is never cut in half).
fn shorten(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut short: String = text.chars().take(limit.saturating_sub(1)).collect();
    short.push('…');
    short
}

fn site_section(site: &SiteView, violated: bool) -> String {
    let mut out = format!(
        "<details><summary>{} <code>{}</code> ({}, {})</summary>\n\n",
        if violated { "❌" } else { "✅" },
        md(&site.address),
        site.change.as_str(),
        md(&site.attribute)
    );
    out.push_str("| | Principal | Reach | Actions | Conditions |\n|---|---|---|---|---|\n");
    side_rows(&mut out, "before", &site.before);
    side_rows(&mut out, "after", &site.after);
    out.push_str("\n</details>\n\n");
    out
}

fn side_rows(out: &mut String, label: &str, side: &SideView) {
    match side {
        SideView::Absent => {
            let _ = writeln!(out, "| {label} | _no policy_ | | | |");
        }
        SideView::Unknown => {
            let _ = writeln!(out, "| {label} | _known after apply_ | | | |");
        }
        SideView::Invalid(error) => {
            let _ = writeln!(out, "| {label} | _invalid policy:_ {} | | | |", md(error));
        }
        SideView::Known(accesses) if accesses.is_empty() => {
            let _ = writeln!(out, "| {label} | _nobody_ | | | |");
        }
        SideView::Known(accesses) => {
            for (i, access) in accesses.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    if i == 0 { label } else { "" },
                    access_cells(access)
                );
            }
        }
    }
}

fn access_cells(access: &Access) -> String {
    let reach = match access.reach {
        Reach::Internal => "internal",
        Reach::Public => "**public**",
        Reach::ExternalAccount => "external account",
        Reach::Federated => "federated",
        Reach::Service => "service",
    };
    let mut principal = format!("<code>{}</code>", md(&access.principal));
    if let Some(vendor) = account_of(&access.principal).and_then(crate::vendors::vendor_name) {
        let _ = write!(principal, " ({})", md(vendor));
    }
    format!(
        "{principal} | {reach} | {} | {}",
        md(&access.actions.join(", ")),
        md(&access.conditions.join(" and "))
    )
}

fn footer(report: &Report) -> String {
    let mut out = String::new();
    if !report.diagnostics.is_empty() || !report.notes.is_empty() {
        out.push('\n');
        for diagnostic in &report.diagnostics {
            let _ = writeln!(out, "- ⚠️ {}", md(diagnostic));
        }
        for note in &report.notes {
            let _ = writeln!(out, "- {}", md(note));
        }
    }
    if report.summary.violations > 0 {
        out.push_str(
            "\nTo approve an intended widening, tag the resource with `trustgate:owner`, `trustgate:expiry` \
             (YYYY-MM-DD) and `trustgate:justification`, or add an `exception` block to `.trustgate.hcl`.\n",
        );
    }
    let _ = writeln!(
        out,
        "\n<sub>trustgate {} · expiries judged on {}</sub>",
        env!("CARGO_PKG_VERSION"),
        report.today
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_first_after_the_marker() {
        let out = render(&crate::report::example_report());
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some(MARKER));
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("### ❌ trustgate: 5 violations")
        );
    }

    #[test]
    fn small_limits_leave_out_whole_rows_and_say_so() {
        let report = crate::report::example_report();
        let full = render(&report);
        for limit in [600, 1_500, 2_500, 4_000] {
            let out = render_limited(&report, limit);
            assert!(out.len() < full.len(), "{limit}");
            assert!(out.contains("were left out"), "{limit}: {out}");
            for line in out.lines().filter(|l| l.starts_with("| ")) {
                assert!(full.lines().any(|f| f == line), "a cut row: {line}");
            }
        }
        assert_eq!(render_limited(&report, COMMENT_LIMIT), full);
    }

    /// 300 approved rows with long justifications and one violation: the violation is in the table, the
    /// approvals are what is left out, and no row carries the whole justification.
    #[test]
    fn every_violation_comes_before_any_approved_row() {
        let mut report = crate::report::example_report();
        let approved = report
            .findings
            .iter()
            .find(|f| f.status == Status::Approved)
            .expect("the example has an approved finding")
            .clone();
        let violation = report
            .findings
            .iter()
            .find(|f| f.status == Status::Violation)
            .expect("the example has a violation")
            .clone();
        let mut findings = Vec::new();
        for i in 0..300 {
            let mut f = approved.clone();
            f.address = format!("aws_iam_role.approved_{i}");
            if let Some(a) = f.annotation.as_mut() {
                a.justification = Some(format!("SEC-{i} {}", "a long justification ".repeat(40)));
            }
            findings.push(f);
        }
        findings.push(violation.clone());
        report.findings = findings;
        report.summary.widenings = 301;
        report.summary.approved = 300;
        report.summary.violations = 1;

        let out = render(&report);
        assert!(chars(&out) <= COMMENT_LIMIT);
        let rows: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("| ❌") || l.starts_with("| ✅"))
            .collect();
        assert!(
            rows[0].starts_with("| ❌"),
            "the violation is the first row: {}",
            rows[0]
        );
        assert!(rows[0].contains(&md(&violation.address)));
        assert!(rows.iter().skip(1).all(|r| r.starts_with("| ✅")));
        assert!(
            rows.iter().all(|r| chars(r) < 1_000),
            "long annotation text is shortened per row"
        );
        assert!(out.contains("…"));
        assert!(
            out.contains("(all of them approved)"),
            "{}",
            &out[out.len() - 2_000..]
        );
    }

    #[test]
    fn shorten_cuts_by_characters_and_marks_the_cut() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcdé", 4), "abc…");
        assert_eq!(shorten("ééééé", 2), "é…");
    }
}
