//! Human output: grouped by resource, a before → after view of who can reach it, each widening with its
//! reason and how to fix or approve it, then a summary line.

use std::fmt::Write;

use owo_colors::OwoColorize;

use super::escape::terminal;
use crate::analysis::{Access, Reach, WideningKind};
use crate::annotation::Origin;
use crate::judge::{BoundarySource, Finding, Location, Report, SideView, SiteView, Status, account_of};

/// Applies colours only when asked, so the same code renders for terminals and files.
#[derive(Clone, Copy)]
pub struct Painter {
    pub color: bool,
}

impl Painter {
    pub fn bold(self, s: &str) -> String {
        if self.color {
            s.bold().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn dim(self, s: &str) -> String {
        if self.color {
            s.dimmed().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn red(self, s: &str) -> String {
        if self.color {
            s.red().bold().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn green(self, s: &str) -> String {
        if self.color {
            s.green().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn yellow(self, s: &str) -> String {
        if self.color {
            s.yellow().to_string()
        } else {
            s.to_string()
        }
    }
    pub fn cyan(self, s: &str) -> String {
        if self.color {
            s.cyan().to_string()
        } else {
            s.to_string()
        }
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        p.bold(&format!("trustgate {}", report.command)),
        terminal(&report.input.display().to_string())
    );
    let _ = writeln!(out, "{}", boundary_line(report, p));
    for site in &report.sites {
        out.push('\n');
        render_site(&mut out, site, report, p);
    }
    if !report.diagnostics.is_empty() || !report.notes.is_empty() {
        out.push('\n');
    }
    for diagnostic in &report.diagnostics {
        let _ = writeln!(out, "{} {}", p.yellow("warning:"), terminal(diagnostic));
    }
    for note in &report.notes {
        let _ = writeln!(out, "{} {}", p.dim("note:"), terminal(note));
    }
    if !report.stale_approvals.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            p.bold("Approvals on resources this plan does not change:")
        );
    }
    for stale in &report.stale_approvals {
        let label = match (stale.expired, report.stale_approvals_fail) {
            (true, true) => p.red("expired (blocking):"),
            (true, false) => p.yellow("warning: expired:"),
            (false, _) => p.yellow("warning: expiring:"),
        };
        let _ = writeln!(out, "{label} {}", terminal(&stale.message()));
    }
    out.push('\n');
    let _ = writeln!(out, "{}", summary_line(report, p));
    out
}

fn boundary_line(report: &Report, p: Painter) -> String {
    let b = &report.boundary;
    let members: Vec<&str> = b.boundary.members().map(String::as_str).collect();
    match b.source {
        BoundarySource::None => format!("{} {}", p.yellow("boundary: none —"), terminal(&b.detail)),
        source => format!(
            "boundary: {} {}",
            terminal(&members.join(", ")),
            p.dim(&format!("(from {}: {})", source.as_str(), terminal(&b.detail)))
        ),
    }
}

fn render_site(out: &mut String, site: &SiteView, report: &Report, p: Painter) {
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.address == site.address && f.attribute == site.attribute)
        .collect();
    let violated = findings.iter().any(|f| f.status == Status::Violation);
    let mark = if violated { p.red("✗") } else { p.green("✓") };
    let _ = writeln!(
        out,
        "{mark} {}  {}",
        p.bold(&terminal(&site.address)),
        p.dim(&format!(
            "({}, {})",
            site.change.as_str(),
            terminal(&site.attribute)
        ))
    );
    let width = [&site.before, &site.after]
        .into_iter()
        .filter_map(|side| match side {
            SideView::Known(accesses) => accesses.iter().map(|a| a.principal.chars().count()).max(),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(60);
    render_side(out, "before", &site.before, width, p);
    render_side(out, "after ", &site.after, width, p);
    if findings.iter().any(|f| f.resolved_from_source) {
        let note = "(after: evaluated from the .tf sources)";
        let _ = writeln!(out, "            {}", p.dim(note));
    }
    for finding in findings {
        render_finding(out, finding, report, p);
    }
}

/// One side of the before → after view; `width` aligns the principal column across both sides.
fn render_side(out: &mut String, label: &str, side: &SideView, width: usize, p: Painter) {
    let label = p.dim(label);
    match side {
        SideView::Absent => {
            let _ = writeln!(out, "    {label}  {}", p.dim("(no policy)"));
        }
        SideView::Unknown => {
            let _ = writeln!(out, "    {label}  {}", p.yellow("(known after apply)"));
        }
        SideView::Invalid(error) => {
            let _ = writeln!(
                out,
                "    {label}  {} {}",
                p.red("(invalid policy)"),
                terminal(error)
            );
        }
        SideView::Known(accesses) if accesses.is_empty() => {
            let _ = writeln!(out, "    {label}  {}", p.dim("(nobody)"));
        }
        SideView::Known(accesses) => {
            for (i, access) in accesses.iter().enumerate() {
                let lead = if i == 0 { label.clone() } else { " ".repeat(6) };
                let _ = writeln!(out, "    {lead}  {}", access_line(access, width, p));
            }
        }
    }
}

fn access_line(access: &Access, width: usize, p: Painter) -> String {
    let principal = terminal(&access.principal);
    let pad = width.saturating_sub(access.principal.chars().count());
    let reach = match access.reach {
        Reach::Internal => p.dim("internal        "),
        Reach::Public => p.red("public          "),
        Reach::ExternalAccount => p.yellow("external account"),
        Reach::Federated => p.yellow("federated       "),
        Reach::Service => p.yellow("service         "),
    };
    let mut line = format!(
        "{principal}{}  {reach}  {}",
        " ".repeat(pad),
        terminal(&access.actions.join(", "))
    );
    if let Some(vendor) = account_of(&access.principal).and_then(crate::vendors::vendor_name) {
        let _ = write!(line, "  {}", p.dim(&format!("({vendor})")));
    }
    if !access.conditions.is_empty() {
        let _ = write!(
            line,
            "  {}",
            p.dim(&format!("if {}", terminal(&access.conditions.join(" and "))))
        );
    }
    line
}

fn render_finding(out: &mut String, f: &Finding, report: &Report, p: Painter) {
    let status = match f.status {
        Status::Violation => p.red("violation"),
        Status::Approved => p.green("approved"),
    };
    let head = match f.widening.kind {
        WideningKind::Unverifiable | WideningKind::InvalidPolicy => p.yellow(&f.rule.name),
        _ => p.cyan(&f.rule.name),
    };
    let _ = writeln!(
        out,
        "    {} {} {head}: {}",
        status,
        p.dim(&f.rule.id),
        terminal(&f.message())
    );
    if let Some(location) = &f.location {
        let _ = writeln!(out, "        {} {}", p.dim("at"), location_text(location));
    }
    if let Some(sid) = &f.widening.sid {
        let _ = writeln!(
            out,
            "        {}",
            p.dim(&format!("in statement {:?}", terminal(sid)))
        );
    }
    if !f.widening.resources.is_empty() && f.widening.resources != ["*"] {
        let _ = writeln!(
            out,
            "        {} {}",
            p.dim("on"),
            terminal(&f.widening.resources.join(", "))
        );
    }
    for hint in &f.hints {
        let _ = writeln!(out, "        {} {}", p.yellow("note:"), terminal(hint));
    }
    for why in &f.privileged {
        let _ = writeln!(
            out,
            "        {} {}",
            p.red("privileged once assumed:"),
            terminal(why)
        );
    }
    match (&f.annotation, f.status) {
        (Some(a), Status::Approved) => {
            let _ = writeln!(
                out,
                "        {} owner {}, expires {}, {} ({})",
                p.dim("approved by"),
                terminal(a.owner.as_deref().unwrap_or_default()),
                terminal(a.expiry.as_deref().unwrap_or_default()),
                terminal(&format!("{:?}", a.justification.as_deref().unwrap_or_default())),
                match f.provenance {
                    Some(crate::judge::Provenance::ThisChange) => format!(
                        "{}, {}",
                        origin_text(&a.origin),
                        p.yellow("an annotation added in this change")
                    ),
                    _ => origin_text(&a.origin),
                }
            );
        }
        (Some(a), Status::Violation) => {
            let _ = writeln!(
                out,
                "        {} {}: {}",
                p.red("annotation rejected"),
                origin_text(&a.origin),
                terminal(&f.annotation_problems.join("; "))
            );
        }
        (None, _) => {
            let _ = writeln!(out, "        {}     {}", p.dim("fix:"), fix_hint(f));
            let [tags, exception] = approve_hints(f, report);
            let _ = writeln!(out, "        {} {tags}", p.dim("approve:"));
            let _ = writeln!(out, "             {} {exception}", p.dim("or"));
        }
    }
    if let Some(approvers) = &f.approvers {
        let _ = writeln!(
            out,
            "        {}     {}",
            p.dim("who:"),
            terminal(&approvers.sentence())
        );
    }
}

/// `main.tf:12` or `main.tf:12, statement at line 20` (or `at policies.tf:20` in another file).
fn location_text(location: &Location) -> String {
    let mut text = format!(
        "{}:{}",
        terminal(&location.file.display().to_string()),
        location.line
    );
    match (&location.statement_file, location.statement_line) {
        (Some(file), Some(line)) => {
            let _ = write!(
                text,
                ", statement at {}:{line}",
                terminal(&file.display().to_string())
            );
        }
        (None, Some(line)) => {
            let _ = write!(text, ", statement at line {line}");
        }
        _ => {}
    }
    text
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::Tags => "tags".to_string(),
        Origin::Exception { file, line } => {
            format!("exception at {}:{line}", terminal(&file.display().to_string()))
        }
        Origin::Comment { file, line, .. } => {
            format!("comment at {}:{line}", terminal(&file.display().to_string()))
        }
    }
}

fn fix_hint(f: &Finding) -> &'static str {
    // A role trust policy, whatever the resource type spells it (aws_iam_role, awscc, Cloud Control).
    let role_trust = f.attribute.to_ascii_lowercase().contains("assumerolepolicy")
        || f.attribute.to_ascii_lowercase().contains("assume_role_policy");
    match f.widening.kind {
        WideningKind::Public if f.resource_type == "aws_lambda_function_url" => {
            "set authorization_type = \"AWS_IAM\" and grant callers with aws_lambda_permission"
        }
        WideningKind::Public => {
            "name the principals that need access, or pin \"*\" with aws:PrincipalOrgID / aws:SourceAccount"
        }
        WideningKind::ExternalAccount if role_trust => {
            "remove the principal, or narrow it to the role that needs access (sts:ExternalId for a vendor assuming a role)"
        }
        WideningKind::ExternalAccount => {
            "remove the principal, or narrow it to the account or role that needs access"
        }
        WideningKind::Federated => {
            "confine the sub claim to your own repositories/projects (e.g. repo:OWNER/…), and declare the owner in the \
             config's boundary block (github_owners, gitlab_groups, terraform_organizations, oidc_issuers)"
        }
        WideningKind::Service if f.resource_type == "aws_lambda_permission" => {
            "set source_account (and source_arn) on the aws_lambda_permission to your own account and resource"
        }
        WideningKind::Service => "add an aws:SourceAccount or aws:SourceArn condition with your own values",
        WideningKind::ConditionWeakened => "restore the condition, or make it at least as strict as before",
        WideningKind::AccessBroadened => "grant only the actions and resources that are needed",
        WideningKind::DenyRemoved => "restore the Deny statement",
        WideningKind::Unverifiable => {
            "make the policy known at plan time, or review it by hand and annotate it"
        }
        WideningKind::InvalidPolicy => "correct the policy document at the place named above",
        WideningKind::SessionLengthened => {
            "keep max_session_duration at 3600 (1 h) for roles assumed from outside, or approve the longer sessions"
        }
    }
}

/// Two ready-to-use ways to approve: tags on the resource, or an exception block in the config file.
fn approve_hints(f: &Finding, report: &Report) -> [String; 2] {
    let expiry = report.today.add_days(90);
    let principal = if f.widening.principal.is_empty() {
        String::new()
    } else {
        format!(" principal = {:?}", f.widening.principal)
    };
    let first = match &f.location {
        // A module instance: above the root module block, which approves that call's instances only (a
        // comment in the module's own source would approve every instance of the module).
        Some(Location {
            module_call: Some(call),
            ..
        }) => terminal(&format!(
            "write `# trustgate: owner=… expiry={expiry} justification=\"…\"` above the module block at {}:{} \
             (it approves that call's instances)",
            call.file.display(),
            call.line
        )),
        // With sources, a comment is the natural place: above the statement when it is known.
        Some(location) => {
            let (file, line) = match (&location.statement_file, location.statement_line) {
                (Some(file), Some(line)) => (file, line),
                (None, Some(line)) => (&location.file, line),
                _ => (&location.file, location.line),
            };
            terminal(&format!(
                "write `# trustgate: owner=… expiry={expiry} justification=\"…\"` above {}:{line}",
                file.display()
            ))
        }
        None => format!(
            "tag the resource trustgate:owner, trustgate:expiry (YYYY-MM-DD, e.g. {expiry}), \
             trustgate:justification"
        ),
    };
    [
        first,
        terminal(&format!(
            "exception {{ address = {:?}{principal} owner = \"…\" expiry = \"{expiry}\" justification = \"…\" }} \
             in .trustgate.hcl",
            f.address
        )),
    ]
}

fn summary_line(report: &Report, p: Painter) -> String {
    let s = &report.summary;
    let counts = format!(
        "{} widening{} in {} polic{} of {} resource{}: {} violation{}, {} approved",
        s.widenings,
        plural(s.widenings),
        s.policies,
        if s.policies == 1 { "y" } else { "ies" },
        s.resources,
        plural(s.resources),
        s.violations,
        plural(s.violations),
        s.approved
    );
    if report.exit_code() != 0 {
        format!("{} {counts}", p.red("✗ FAIL"))
    } else {
        format!("{} {counts}", p.green("✓ PASS"))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
