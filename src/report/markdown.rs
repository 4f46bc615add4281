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
        let mut shown = 0;
        for f in &report.findings {
            let row = row(f);
            let size = chars(&row);
            if used + size > budget {
                break;
            }
            out.push_str(&row);
            used += size;
            shown += 1;
        }
        let left_out = report.findings.len() - shown;
        if left_out > 0 {
            let line = format!(
                "\n> [!WARNING]\n> **{left_out} of {} findings were left out** of this table to keep the comment \
                 within GitHub's {COMMENT_LIMIT}-character limit. Run `trustgate check` or read the SARIF or \
                 JSON report for all of them.\n",
                report.findings.len()
            );
            used += chars(&line);
            out.push_str(&line);
        }

        let mut views = String::from("\n#### Before → after\n\n");
        let mut views_used = chars(&views);
        let mut shown_views = 0;
        for site in &report.sites {
            let section = site_section(site, report);
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
        .accounts
        .iter()
        .chain(b.boundary.organizations.iter())
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
        md(&f.widening.reason)
    } else {
        let mut who = format!("<code>{}</code>", md(&f.widening.principal));
        if let Some(vendor) = account_of(&f.widening.principal).and_then(crate::vendors::vendor_name) {
            let _ = write!(who, " ({})", md(vendor));
        }
        if !f.widening.actions.is_empty() {
            let _ = write!(who, "<br>gains {}", md(&f.widening.actions.join(", ")));
        }
        who
    };
    let annotation = match (&f.annotation, f.status) {
        (Some(a), Status::Approved) => md(&super::annotation_text(a)),
        (Some(_), Status::Violation) => format!("**rejected:** {}", md(&f.annotation_problems.join("; "))),
        (None, _) => "—".to_string(),
    };
    format!(
        "| {mark} | <code>{}</code> | {who} | {} {} | {} | {annotation} |\n",
        md(&f.address),
        md(&f.rule.id),
        md(&f.rule.name),
        f.status.as_str(),
    )
}

fn site_section(site: &SiteView, report: &Report) -> String {
    let violated = report
        .findings
        .iter()
        .any(|f| f.address == site.address && f.attribute == site.attribute && f.status == Status::Violation);
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
}
