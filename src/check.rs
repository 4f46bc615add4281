//! The `check` job as a library call: plan text in, `Report` out. Shared by `trustgate check` and the
//! terraform wrapper, so both judge a plan the same way.

use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::judge::{self, BoundaryInfo, JudgeInput, Report};
use crate::source::Sources;
use crate::{extract, plan};

/// Everything a check needs besides the plan text.
pub struct CheckOptions<'a> {
    /// Name of the plan in messages and reports (a path, or `<stdin>`).
    pub display_path: PathBuf,
    /// Boundary accounts and organizations from the command line (they win over config and detection).
    pub flag_accounts: &'a [String],
    pub flag_orgs: &'a [String],
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    /// The date expiries are judged against.
    pub today: Date,
    /// Directory of the root module's `.tf` files (`--source`), as given; None: the plan alone.
    pub source_dir: Option<PathBuf>,
}

/// Parses plan JSON text, extracts its policy sites, and judges them.
pub fn check_plan_text(text: &str, options: &CheckOptions<'_>) -> Result<Report> {
    let plan = plan::parse_plan(text, &options.display_path)?;
    let mut scan = extract::scan(&plan, options.catalog);
    let sources = options.source_dir.as_deref().map(|dir| {
        let mut sources = Sources::load(dir, &plan);
        sources.resolve_unknown(&mut scan.sites, &plan);
        sources
    });
    let declared = !options.flag_accounts.is_empty()
        || !options.flag_orgs.is_empty()
        || !options.config.accounts.is_empty()
        || !options.config.organizations.is_empty();
    if !declared && let Some(conflict) = &scan.boundary_conflict {
        return Err(Error::invalid(
            &options.display_path,
            "trust boundary",
            conflict.clone(),
        ));
    }
    let boundary = BoundaryInfo::choose(
        options.flag_accounts,
        options.flag_orgs,
        options.config,
        scan.detected_boundary.as_ref(),
    );
    let mut report = judge::judge(
        &scan.sites,
        JudgeInput {
            input: options.display_path.clone(),
            resources: scan.resources,
            boundary: boundary.clone(),
            config: options.config,
            today: options.today,
            sources: sources.as_ref(),
        },
    );
    // Blast radius: a role that is admin-equivalent once assumed says so in its findings.
    let permissions = crate::blast::role_permissions(&plan);
    for finding in &mut report.findings {
        if finding.resource_type == "aws_iam_role"
            && let Some(role) = permissions.get(&finding.address)
        {
            finding.privileged = role.privileged();
        }
    }
    report.stale_approvals = crate::inventory::stale_approvals(
        &scan.sites,
        JudgeInput {
            input: options.display_path.clone(),
            resources: scan.resources,
            boundary,
            config: options.config,
            today: options.today,
            sources: sources.as_ref(),
        },
        options.config.review.warn_days,
    );
    report.stale_approvals_fail = options.config.review.expired_unchanged_fails;
    if let Some(sources) = sources {
        report.diagnostics = sources.index.diagnostics;
        report.notes = sources.index.notes;
    }
    report
        .notes
        .extend(default_tags_note(&scan.default_tag_annotations));
    Ok(report)
}

/// One note when provider `default_tags` put `trustgate:*` keys on resources: they approve nothing.
fn default_tags_note(addresses: &[String]) -> Option<String> {
    let first = addresses.first()?;
    let more = match addresses.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "trustgate:* tags that come from the provider's default_tags (in tags_all, not in the resource's own \
         tags) approve nothing: {first}{more}; put the annotation on the resource itself"
    ))
}
