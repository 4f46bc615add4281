//! Judging: compares each policy site, attaches annotations to its widenings, and decides each finding's
//! status. The result, a `Report`, is the single value every output format is rendered from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::analysis::{self, Access, Boundary, Context, PolicyRole, Widening, WideningKind};
use crate::annotation::{self, Annotation, CommentAnnotation};
use crate::config::Config;
use crate::date::Date;
use crate::extract::{PolicySite, PolicyValue};
use crate::plan::ChangeAction;
use crate::policy::{self, Policy};
use crate::rules;
use crate::symbol::{over_budget, symbols_in, whole_symbol};

/// Where the boundary came from, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BoundarySource {
    Flags,
    Config,
    Detected,
    None,
}

impl BoundarySource {
    pub fn as_str(self) -> &'static str {
        match self {
            BoundarySource::Flags => "flags",
            BoundarySource::Config => "config",
            BoundarySource::Detected => "detected",
            BoundarySource::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundaryInfo {
    pub boundary: Boundary,
    pub source: BoundarySource,
    /// Where exactly, e.g. "--account", ".trustgate.hcl", "data.aws_caller_identity.current in prior_state".
    pub detail: String,
}

impl BoundaryInfo {
    /// Picks the boundary: flags, then config, then detection, else none.
    pub fn choose(
        flag_accounts: &[String],
        flag_orgs: &[String],
        config: &Config,
        detected: Option<&(Boundary, String)>,
    ) -> BoundaryInfo {
        let mut info = BoundaryInfo::choose_accounts(flag_accounts, flag_orgs, config, detected);
        // Own federated identities of the config, and the EKS clusters detected in the plan's state, join
        // whichever accounts were chosen.
        let detected_federated = detected
            .map(|(boundary, _)| boundary.federated.as_slice())
            .unwrap_or_default();
        for identity in config.federated.iter().chain(detected_federated) {
            if !info.boundary.federated.contains(identity) {
                info.boundary.federated.push(identity.clone());
            }
        }
        info
    }

    fn choose_accounts(
        flag_accounts: &[String],
        flag_orgs: &[String],
        config: &Config,
        detected: Option<&(Boundary, String)>,
    ) -> BoundaryInfo {
        if !flag_accounts.is_empty() || !flag_orgs.is_empty() {
            return BoundaryInfo {
                boundary: boundary_of(flag_accounts, flag_orgs),
                source: BoundarySource::Flags,
                detail: "--account/--org".to_string(),
            };
        }
        if !config.accounts.is_empty() || !config.organizations.is_empty() {
            let detail = config
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| crate::config::DEFAULT_FILE_NAME.to_string());
            return BoundaryInfo {
                boundary: boundary_of(&config.accounts, &config.organizations),
                source: BoundarySource::Config,
                detail,
            };
        }
        if let Some((boundary, detail)) = detected
            && !boundary.accounts.is_empty()
        {
            return BoundaryInfo {
                boundary: boundary.clone(),
                source: BoundarySource::Detected,
                detail: detail.clone(),
            };
        }
        BoundaryInfo {
            boundary: Boundary::default(),
            source: BoundarySource::None,
            detail: "no --account, no config boundary, nothing detected in the plan: every principal is \
                     treated as external"
                .to_string(),
        }
    }
}

fn boundary_of(accounts: &[String], orgs: &[String]) -> Boundary {
    Boundary {
        accounts: accounts.iter().cloned().collect(),
        organizations: orgs.iter().cloned().collect(),
        federated: Vec::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Violation,
    Approved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Violation => "violation",
            Status::Approved => "approved",
        }
    }
}

/// A file position a finding points at (the `.tf` source once the HCL sources are read).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    pub file: PathBuf,
    /// Line of the resource block.
    pub line: usize,
    /// Line of the statement (a `statement` block or a statement object) the widening comes from, when the
    /// sources show it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_line: Option<usize>,
    /// File of that statement when it is not `file` (a policy document in another file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_file: Option<PathBuf>,
    /// For a resource inside a module: the root module's `module` block it comes from, where a comment
    /// approves that call's instances (and where approve hints point).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module_call: Option<CallLocation>,
}

/// The place of a root `module` block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CallLocation {
    pub file: PathBuf,
    pub line: usize,
}

impl Location {
    /// The most precise place: the statement when it is known, else the resource block.
    pub fn precise(&self) -> (&std::path::Path, usize) {
        match (&self.statement_file, self.statement_line) {
            (Some(file), Some(line)) => (file, line),
            (None, Some(line)) => (&self.file, line),
            _ => (&self.file, self.line),
        }
    }
}

/// One widening with its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static rules::Rule,
    /// What widened: kind, principal, actions, resources, reason, statement.
    pub widening: Widening,
    pub address: String,
    pub resource_type: String,
    pub attribute: String,
    pub change: ChangeAction,
    pub status: Status,
    /// The annotation that was considered (valid or not).
    pub annotation: Option<Annotation>,
    /// What is wrong with the annotation; empty when it is valid or absent.
    pub annotation_problems: Vec<String>,
    /// Tags that look like annotations but are not read (e.g. `trustgate:Owner`), as hint sentences.
    pub hints: Vec<String>,
    pub location: Option<Location>,
    /// The plan knows this policy only after apply; it was evaluated from the HCL sources.
    pub resolved_from_source: bool,
    /// Whether this change wrote the annotation that was considered (None without one).
    pub provenance: Option<Provenance>,
    /// For a role: why its permissions are admin-equivalent (see `crate::blast`); empty when they are not.
    pub privileged: Vec<String>,
    /// For a violation, when the repository has a CODEOWNERS file: who owns the file its approval goes in.
    pub approvers: Option<crate::codeowners::Approvers>,
}

pub use crate::annotation::Provenance;

impl Finding {
    /// The file an approval of this finding is written in, when the sources show it: the root `module`
    /// block's for a module instance, else the resource block's.
    pub fn approval_file(&self) -> Option<&std::path::Path> {
        let location = self.location.as_ref()?;
        Some(match &location.module_call {
            Some(call) => call.file.as_path(),
            None => location.file.as_path(),
        })
    }

    /// One sentence: who gains what, and why.
    pub fn message(&self) -> String {
        let who = match self.widening.kind {
            WideningKind::Unverifiable | WideningKind::InvalidPolicy => return self.widening.reason.clone(),
            _ => self.widening.principal.as_str(),
        };
        if self.widening.kind == WideningKind::SessionLengthened {
            let whom = match crate::vendors::vendor_name(account_of(who).unwrap_or_default()) {
                Some(vendor) => format!("{who} ({vendor})"),
                None => who.to_string(),
            };
            return format!("{whom} keeps its sessions longer: {}", self.widening.reason);
        }
        let what = if self.widening.actions.is_empty() {
            "access".to_string()
        } else {
            self.widening.actions.join(", ")
        };
        let whom = match crate::vendors::vendor_name(account_of(who).unwrap_or_default()) {
            Some(vendor) => format!("{who} ({vendor})"),
            None => who.to_string(),
        };
        format!("{whom} gains {what}: {}", self.widening.reason)
    }
}

/// The 12-digit account of an IAM ARN or bare id, if it has one.
pub fn account_of(principal: &str) -> Option<&str> {
    let account = if principal.starts_with("arn:") {
        principal.split(':').nth(4)?
    } else {
        principal
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// The before → after view of one policy site, for human and Markdown output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteView {
    pub address: String,
    pub resource_type: String,
    pub attribute: String,
    pub change: ChangeAction,
    pub before: SideView,
    pub after: SideView,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideView {
    Absent,
    Unknown,
    Invalid(String),
    Known(Vec<Access>),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub resources: usize,
    pub policies: usize,
    pub widenings: usize,
    pub violations: usize,
    pub approved: usize,
}

/// Everything a report needs; every output format is a pure function of this.
#[derive(Debug, Clone)]
pub struct Report {
    /// What was checked (the plan path, or `<stdin>`).
    pub input: PathBuf,
    pub boundary: BoundaryInfo,
    pub today: Date,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    /// Sites that have at least one finding, in address order.
    pub sites: Vec<SiteView>,
    /// Grants judged inside the boundary for a reason an auditor should see (PassRole service, own
    /// federated identity, pinned or never-matching service grant), in site order.
    pub inside: Vec<InsideGrant>,
    /// Problems with the inputs that did not stop the check (a `.tf` file that does not parse, a malformed
    /// annotation comment), one sentence each naming the file and place.
    pub diagnostics: Vec<String>,
    /// Things not read (modules not on disk), one sentence each.
    pub notes: Vec<String>,
    /// The command that produced the report (`check`, `diff`), for headings.
    pub command: &'static str,
    /// Approvals on policies the plan leaves unchanged that expired or expire soon (see
    /// `inventory::stale_approvals`).
    pub stale_approvals: Vec<StaleApproval>,
    /// `review { expired_unchanged = "fail" }`: an expired approval among them is blocking.
    pub stale_approvals_fail: bool,
}

/// An approval, on a policy the plan does not change, that has expired or expires within the review's
/// `warn_days`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleApproval {
    pub address: String,
    pub attribute: String,
    pub principal: String,
    /// True: expired; false: expiring.
    pub expired: bool,
    /// Days from today to the expiry (negative when expired).
    pub days: i64,
    pub annotation: Annotation,
    pub location: Option<Location>,
}

impl StaleApproval {
    /// One sentence for every format.
    pub fn message(&self) -> String {
        let expiry = self.annotation.expiry.as_deref().unwrap_or("?");
        let owner = self.annotation.owner.as_deref().unwrap_or("?");
        let when = if self.expired {
            format!("expired on {expiry}, {} days ago", -self.days)
        } else {
            format!("expires on {expiry}, in {} days", self.days)
        };
        format!(
            "the approval of {} for {} (owner {owner}) {when}; the plan does not change this resource",
            self.principal, self.address
        )
    }
}

impl Report {
    pub fn exit_code(&self) -> i32 {
        let stale_blocks = self.stale_approvals_fail && self.stale_approvals.iter().any(|s| s.expired);
        if self.summary.violations > 0 || stale_blocks {
            1
        } else {
            0
        }
    }
}

/// A grant judged inside the boundary, at its site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InsideGrant {
    pub address: String,
    pub attribute: String,
    #[serde(flatten)]
    pub grant: analysis::Inside,
}

/// What judging needs besides the sites.
pub struct JudgeInput<'a> {
    pub input: PathBuf,
    pub resources: usize,
    pub boundary: BoundaryInfo,
    pub config: &'a Config,
    pub today: Date,
    /// What the HCL sources behind the plan say, when they were read (`--source`): locations, comment
    /// annotations, policies evaluated from source.
    pub sources: Option<&'a SourceFacts<'a>>,
}

/// What the HCL sources tell the judge, as plain data: built by the pipeline's source stage, so that judging
/// needs nothing of how sources are read.
pub struct SourceFacts<'a> {
    /// Every policy comes from the sources (`trustgate diff`, no plan).
    pub all_from_source: bool,
    /// (site address, attribute) → what the sources say about that site; sites they say nothing about are
    /// absent.
    pub sites: BTreeMap<(String, String), SiteSource>,
    /// Whether a reference (`aws_iam_role.ci.arn`, `module.a["k"].aws_iam_role.x[0].arn`) is the ARN of a
    /// resource managed in this configuration.
    pub is_managed_arn: &'a (dyn Fn(&str) -> bool + Sync),
    /// The account of a managed resource whose ARN a reference is (`None`: not managed here; `Some(None)`:
    /// managed through a provider whose account is not known offline; see `source::providers`).
    pub managed_arn_account: &'a (dyn Fn(&str) -> Option<Option<String>> + Sync),
    /// The resource part (`role/path/name`) of a managed resource's ARN that the plan determines although
    /// it shows the ARN unknown (see `source::arns`).
    pub predicted_arn: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// (site module instance, reference) → the EKS cluster whose OIDC issuer the reference stands for.
    pub cluster_issuer: &'a (dyn Fn(&str, &str) -> Option<crate::source::ClusterIssuer> + Sync),
}

impl SourceFacts<'_> {
    fn site(&self, address: &str, attribute: &str) -> Option<&SiteSource> {
        self.sites.get(&(address.to_string(), attribute.to_string()))
    }

    /// The policy of this site as evaluated from source, when it was.
    fn resolution(&self, address: &str, attribute: &str) -> Option<&SourceResolution> {
        self.site(address, attribute)?.resolution.as_ref()
    }
}

/// What the sources say about one policy site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSource {
    /// The resource block that sets the policy.
    pub block: Option<SourceBlock>,
    /// The policy evaluated from source, for a site the plan only knows after apply.
    pub resolution: Option<SourceResolution>,
    /// For a resource inside a module: the root module's `module` block it comes from.
    pub module_call: Option<SourceCall>,
}

/// A root `module` block as written: where, and its comment annotation, which approves the widenings of
/// every resource of that call's instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCall {
    pub file: PathBuf,
    pub line: usize,
    pub annotation: Option<CommentAnnotation>,
    pub annotation_provenance: Provenance,
}

/// A resource block as written: where, its comment annotation, and the statements of the site's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceBlock {
    pub file: PathBuf,
    pub line: usize,
    pub annotation: Option<CommentAnnotation>,
    /// Whether the base revision has the same comment annotation on this block (`Unknown` without a base).
    pub annotation_provenance: Provenance,
    pub statements: Vec<SourceStatement>,
}

impl SourceBlock {
    /// The statement that produced the statement with this index and Sid in the resulting policy: by Sid
    /// first, else by index.
    fn statement(&self, index: Option<usize>, sid: Option<&str>) -> Option<&SourceStatement> {
        if let Some(sid) = sid.filter(|s| !s.is_empty())
            && let Some(found) = self.statements.iter().find(|s| s.sid.as_deref() == Some(sid))
        {
            return Some(found);
        }
        let index = index?;
        self.statements.iter().find(|s| s.index == Some(index))
    }
}

/// A statement written in HCL, with its comment annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatement {
    /// Index in the resulting policy's `Statement` list, when the source fixes it.
    pub index: Option<usize>,
    pub sid: Option<String>,
    pub file: PathBuf,
    pub line: usize,
    pub annotation: Option<CommentAnnotation>,
    /// Whether the base revision has the same comment annotation on this statement.
    pub annotation_provenance: Provenance,
}

/// A policy evaluated from source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceResolution {
    /// The references the evaluation left unresolved.
    pub symbols: Vec<String>,
    /// False when the evaluated policy could not be used soundly: the site stays unverifiable.
    pub used: bool,
}

/// Compares every site (in parallel), annotates, and builds the report.
pub fn judge(sites: &[PolicySite], input: JudgeInput<'_>) -> Report {
    let analysed: Vec<(Vec<Finding>, Option<SiteView>, Vec<InsideGrant>)> =
        sites.par_iter().map(|site| judge_site(site, &input)).collect();
    let mut findings = Vec::new();
    let mut views = Vec::new();
    let mut inside = Vec::new();
    for (site_findings, view, site_inside) in analysed {
        inside.extend(site_inside);
        if !site_findings.is_empty()
            && let Some(view) = view
        {
            views.push(view);
        }
        findings.extend(site_findings);
    }
    findings.sort_by(|a, b| {
        (
            &a.address,
            &a.attribute,
            a.status,
            &a.widening.principal,
            a.widening.kind,
        )
            .cmp(&(
                &b.address,
                &b.attribute,
                b.status,
                &b.widening.principal,
                b.widening.kind,
            ))
    });
    views.sort_by(|a, b| (&a.address, &a.attribute).cmp(&(&b.address, &b.attribute)));
    let approved = findings.iter().filter(|f| f.status == Status::Approved).count();
    let summary = Summary {
        resources: input.resources,
        policies: sites.iter().filter(|s| is_judged(s.role)).count(),
        widenings: findings.len(),
        violations: findings.len() - approved,
        approved,
    };
    Report {
        input: input.input,
        boundary: input.boundary,
        today: input.today,
        summary,
        findings,
        sites: views,
        inside,
        diagnostics: Vec::new(),
        notes: Vec::new(),
        command: "check",
        stale_approvals: Vec::new(),
        stale_approvals_fail: false,
    }
}

/// One finding per real policy: where a policy resource and its parent's own policy argument write the same
/// policy (`extract::SharedSite`) and both are unverifiable as a whole (nothing of either is known), with
/// the same status, the parent's finding is folded into the policy resource's, which names both. Anything
/// else (either side decided, or with its own principal or statement) stays as it is, so no unknown that
/// could widen is dropped: the one finding still blocks, for both.
pub fn fold_shared(report: &mut Report, shared: &[crate::extract::SharedSite]) {
    let whole_unknown = |f: &Finding| {
        f.widening.kind == WideningKind::Unverifiable
            && f.widening.principal.is_empty()
            && f.widening.statement.is_none()
    };
    for link in shared {
        let on = |f: &Finding, (address, attribute): &(String, String)| {
            &f.address == address && &f.attribute == attribute
        };
        let site: Vec<usize> = (0..report.findings.len())
            .filter(|&i| on(&report.findings[i], &link.site))
            .collect();
        let parent: Vec<usize> = (0..report.findings.len())
            .filter(|&i| on(&report.findings[i], &link.parent))
            .collect();
        let (&[site], &[parent]) = (site.as_slice(), parent.as_slice()) else {
            continue;
        };
        let (kept, folded) = (&report.findings[site], &report.findings[parent]);
        if !whole_unknown(kept) || !whole_unknown(folded) || kept.status != folded.status {
            continue;
        }
        let note = format!(
            "; {} `{}` writes the same policy and is known only after apply too (one finding for both)",
            folded.address, folded.attribute
        );
        let folded = report.findings.remove(parent);
        let site = if parent < site { site - 1 } else { site };
        report.findings[site].widening.reason.push_str(&note);
        report.summary.widenings -= 1;
        if folded.status == Status::Approved {
            report.summary.approved -= 1;
        } else {
            report.summary.violations -= 1;
        }
        let (address, attribute) = &link.parent;
        if !report
            .findings
            .iter()
            .any(|f| &f.address == address && &f.attribute == attribute)
        {
            report
                .sites
                .retain(|v| !(&v.address == address && &v.attribute == attribute));
        }
    }
}

/// Only trust and resource policies can let outsiders in.
fn is_judged(role: PolicyRole) -> bool {
    matches!(role, PolicyRole::Trust | PolicyRole::Resource)
}

/// Does this change put a new policy in place that must be compared?
fn introduces_policy(change: ChangeAction) -> bool {
    match change {
        ChangeAction::Create
        | ChangeAction::Update
        | ChangeAction::ReplaceDeleteFirst
        | ChangeAction::ReplaceCreateFirst
        | ChangeAction::ReplaceForget => true,
        ChangeAction::Delete | ChangeAction::NoOp | ChangeAction::Read | ChangeAction::Forget => false,
    }
}

enum Parsed {
    Absent,
    Unknown,
    Unverifiable(String),
    Invalid(policy::PolicyError),
    Known(Policy),
}

fn parse_side(value: &PolicyValue) -> Parsed {
    match value {
        PolicyValue::Absent => Parsed::Absent,
        PolicyValue::Unknown => Parsed::Unknown,
        PolicyValue::Unverifiable(reason) => Parsed::Unverifiable(reason.clone()),
        PolicyValue::Known(text) => match policy::parse_policy(text) {
            Ok(policy) => Parsed::Known(policy),
            Err(error) => Parsed::Invalid(error),
        },
    }
}

fn judge_site(
    site: &PolicySite,
    input: &JudgeInput<'_>,
) -> (Vec<Finding>, Option<SiteView>, Vec<InsideGrant>) {
    if !is_judged(site.role) || !introduces_policy(site.change) {
        return (Vec::new(), None, Vec::new());
    }
    let mut inside = Vec::new();
    let ctx = Context {
        boundary: &input.boundary.boundary,
        role: site.role,
        partition: &site.partition,
    };
    let before = parse_side(&site.before);
    let after = parse_side(&site.after);
    let resolution = input
        .sources
        .and_then(|sources| sources.resolution(&site.address, &site.attribute));
    let grant_decision = match &after {
        Parsed::Unknown => grant_holes(site, &before, &ctx, input),
        _ => None,
    };
    let widenings: Vec<Widening> = match &after {
        Parsed::Absent => Vec::new(),
        Parsed::Unknown if grant_decision.is_some() => grant_decision.unwrap_or_default(),
        Parsed::Unknown => {
            let unresolved = resolution
                .map(|r| r.symbols.clone())
                .filter(|symbols| !symbols.is_empty());
            let reason = match unresolved {
                Some(symbols) if symbols.iter().any(|s| over_budget(s)) => format!(
                    "{} is known only after apply, and evaluating it from the HCL sources takes more work \
                     than trustgate allows ({} not evaluated), so the new policy cannot be checked",
                    site.attribute,
                    symbols.join(", ")
                ),
                Some(symbols) => format!(
                    "{} is known only after apply, and the HCL sources leave {} unresolved, so the new \
                     policy cannot be checked",
                    site.attribute,
                    symbols.join(", ")
                ),
                None if input.sources.is_some_and(|s| s.all_from_source) => format!(
                    "{} cannot be evaluated from the HCL sources, so the new policy cannot be checked",
                    site.attribute
                ),
                None => format!(
                    "{} is known only after apply, so the new policy cannot be checked",
                    site.attribute
                ),
            };
            vec![site_level(WideningKind::Unverifiable, reason)]
        }
        Parsed::Unverifiable(reason) => vec![site_level(WideningKind::Unverifiable, reason.clone())],
        Parsed::Invalid(error) => vec![site_level(
            WideningKind::InvalidPolicy,
            format!("{} is not a valid IAM policy: {error}", site.attribute),
        )],
        Parsed::Known(new) => {
            // An old policy that is unknown or does not parse cannot vouch for anything: compare the new
            // one against nothing, which reports every external grant (sound).
            let old = match &before {
                Parsed::Known(old) => Some(old),
                _ => None,
            };
            let comparison = analysis::compare(old, new, &ctx);
            inside = comparison
                .inside
                .into_iter()
                .map(|grant| InsideGrant {
                    address: site.address.clone(),
                    attribute: site.attribute.clone(),
                    grant,
                })
                .collect();
            let widenings = comparison.widenings;
            let from_source = resolution.is_some() || input.sources.is_some_and(|s| s.all_from_source);
            let holes = match (&site.after, input.sources) {
                (PolicyValue::Known(text), Some(sources)) if from_source => {
                    symbolic::decide_site(old, text, (&site.module_address, &site.attribute), &ctx, sources)
                }
                _ => None,
            };
            match holes {
                Some(decision) => {
                    if let Some(grants) = decision.inside {
                        inside = grants
                            .into_iter()
                            .map(|grant| InsideGrant {
                                address: site.address.clone(),
                                attribute: site.attribute.clone(),
                                grant,
                            })
                            .collect();
                    }
                    decision.widenings
                }
                None if from_source => symbolic_principals(widenings, input),
                None => widenings,
            }
        }
    };
    let mut widenings = widenings;
    if let Parsed::Known(new) = &after {
        widenings.extend(session_widenings(site, new, &ctx));
    }
    if widenings.is_empty() {
        return (Vec::new(), None, inside);
    }
    let view = SiteView {
        address: site.address.clone(),
        resource_type: site.resource_type.clone(),
        attribute: site.attribute.clone(),
        change: site.change,
        before: side_view(&before, &ctx),
        after: symbolic_view(side_view(&after, &ctx), input),
    };
    let findings = widenings
        .into_iter()
        .map(|w| finding_for(site, w, input))
        .collect();
    (findings, Some(view), inside)
}

/// A grant whose fields known only after apply stand as holes in its policy (`GrantFields`): decided by
/// `analysis::symbolic` like any policy with holes; None when the grant has no such template.
fn grant_holes(
    site: &PolicySite,
    before: &Parsed,
    ctx: &Context<'_>,
    input: &JudgeInput<'_>,
) -> Option<Vec<Widening>> {
    let grant = site.grant.as_ref().filter(|g| !g.template.is_empty())?;
    let old = match before {
        Parsed::Known(old) => Some(old),
        _ => None,
    };
    let symbols: Vec<String> = grant.holes.iter().map(|(_, symbol)| symbol.clone()).collect();
    symbolic::decide_holes(
        old,
        &grant.template,
        &symbols,
        &site.attribute,
        ctx,
        input.sources,
    )
}

/// For a policy evaluated from source: a principal that is the symbolic ARN of a resource managed in this
/// configuration in an account inside the boundary (`${aws_iam_role.ci.arn}`) is inside, so its widening is dropped; any other
/// principal that depends on an unresolved reference cannot be classified and becomes unverifiable, naming
/// the reference.
fn symbolic_principals(widenings: Vec<Widening>, input: &JudgeInput<'_>) -> Vec<Widening> {
    let Some(sources) = input.sources else {
        return widenings;
    };
    widenings
        .into_iter()
        .filter_map(|mut widening| {
            let symbols = symbols_in(&widening.principal);
            // A federated identity is an external population whatever its provider: the unknown provider
            // ARN does not change the kind.
            if symbols.is_empty() || widening.kind == WideningKind::Federated {
                return Some(widening);
            }
            let managed = whole_symbol(&widening.principal)
                .is_some_and(|s| symbolic::managed_inside(&s, &input.boundary.boundary, sources));
            if managed {
                return None;
            }
            widening.kind = WideningKind::Unverifiable;
            widening.reason = if symbols.iter().any(|s| over_budget(s)) {
                format!(
                    "principal {} depends on {}: the configuration takes more evaluation work than \
                     trustgate allows, so it was not evaluated",
                    widening.principal,
                    symbols.join(", ")
                )
            } else {
                format!(
                    "principal {} depends on {}, which is known only after apply",
                    widening.principal,
                    symbols.join(", ")
                )
            };
            Some(widening)
        })
        .collect()
}

/// A role trusted from outside the boundary whose sessions are longer than one hour, newly (created so) or
/// more than before: one `session-lengthened` widening per external principal of the new trust policy.
fn session_widenings(site: &PolicySite, new: &Policy, ctx: &Context<'_>) -> Vec<Widening> {
    let Some(session) = site.session else {
        return Vec::new();
    };
    let Some(after) = session.after else {
        return Vec::new();
    };
    let default = crate::extract::DEFAULT_SESSION_SECONDS;
    let created = site.change == ChangeAction::Create || site.before == PolicyValue::Absent;
    let before = if created {
        None
    } else {
        Some(session.before.unwrap_or(default))
    };
    let lengthened = after > default && before.is_none_or(|before| after > before);
    if !lengthened {
        return Vec::new();
    }
    let reason = match before {
        None => format!(
            "the role is created with max_session_duration {} for a principal outside the boundary",
            duration_text(after)
        ),
        Some(before) => format!(
            "max_session_duration raised from {} to {} on a role assumed from outside the boundary",
            duration_text(before),
            duration_text(after)
        ),
    };
    analysis::compare(None, new, ctx)
        .widenings
        .into_iter()
        .filter(|w| {
            matches!(
                w.kind,
                WideningKind::Public
                    | WideningKind::ExternalAccount
                    | WideningKind::Federated
                    | WideningKind::Service
            )
        })
        .map(|w| Widening {
            kind: WideningKind::SessionLengthened,
            resources: Vec::new(),
            reason: reason.clone(),
            ..w
        })
        .collect()
}

/// `43200 s (12 h)`.
pub fn duration_text(seconds: u64) -> String {
    if seconds.is_multiple_of(3600) {
        format!("{seconds} s ({} h)", seconds / 3600)
    } else {
        format!("{seconds} s ({} min)", seconds / 60)
    }
}

fn site_level(kind: WideningKind, reason: String) -> Widening {
    Widening {
        kind,
        principal: String::new(),
        actions: Vec::new(),
        resources: Vec::new(),
        reason,
        statement: None,
        sid: None,
    }
}

/// In the view of a policy evaluated from source, the symbolic ARN of a resource managed in this
/// configuration in an account inside the boundary is shown as internal, as the comparison treats it.
fn symbolic_view(view: SideView, input: &JudgeInput<'_>) -> SideView {
    let Some(sources) = input.sources else {
        return view;
    };
    match view {
        SideView::Known(mut accesses) => {
            for access in &mut accesses {
                if whole_symbol(&access.principal)
                    .is_some_and(|s| symbolic::managed_inside(&s, &input.boundary.boundary, sources))
                {
                    access.reach = analysis::Reach::Internal;
                }
            }
            SideView::Known(accesses)
        }
        other => other,
    }
}

fn side_view(parsed: &Parsed, ctx: &Context<'_>) -> SideView {
    match parsed {
        Parsed::Absent => SideView::Absent,
        Parsed::Unknown | Parsed::Unverifiable(_) => SideView::Unknown,
        Parsed::Invalid(error) => SideView::Invalid(error.to_string()),
        Parsed::Known(policy) => SideView::Known(analysis::access(policy, ctx)),
    }
}

fn finding_for(site: &PolicySite, widening: Widening, input: &JudgeInput<'_>) -> Finding {
    let settings = &input.config.annotations;
    let site_source = input
        .sources
        .and_then(|sources| sources.site(&site.address, &site.attribute));
    let entry = site_source.and_then(|s| s.block.as_ref());
    let call = site_source.and_then(|s| s.module_call.as_ref());
    let statement = entry.and_then(|e| e.statement(widening.statement, widening.sid.as_deref()));
    let location = entry.map(|e| Location {
        file: e.file.clone(),
        line: e.line,
        statement_line: statement.map(|s| s.line),
        statement_file: statement.filter(|s| s.file != e.file).map(|s| s.file.clone()),
        module_call: call.map(|c| CallLocation {
            file: c.file.clone(),
            line: c.line,
        }),
    });
    // Precedence: exception > statement comment > resource comment > module call comment > tags.
    let matched_exception = annotation::matching_exception(
        &input.config.exceptions,
        &site.address,
        &widening.principal,
        widening.kind,
    );
    let from_exception = matched_exception.map(|exception| {
        let provenance = match exception.at_base {
            Some(true) => Provenance::Earlier,
            Some(false) => Provenance::ThisChange,
            None => Provenance::Unknown,
        };
        (exception.annotation.clone(), Vec::new(), provenance)
    });
    let from_comment = |comment: Option<&CommentAnnotation>, provenance: Provenance| {
        comment.map(|c| (c.annotation.clone(), c.problems.clone(), provenance))
    };
    let inline = || {
        if !settings.inline {
            return None;
        }
        statement
            .and_then(|s| from_comment(s.annotation.as_ref(), s.annotation_provenance))
            .or_else(|| entry.and_then(|e| from_comment(e.annotation.as_ref(), e.annotation_provenance)))
            .or_else(|| call.and_then(|c| from_comment(c.annotation.as_ref(), c.annotation_provenance)))
            .or_else(|| {
                annotation::from_tags(&site.tags).map(|a| {
                    let provenance = if site.tags_changed {
                        Provenance::ThisChange
                    } else {
                        Provenance::Earlier
                    };
                    (a, Vec::new(), provenance)
                })
            })
    };
    let (annotation, mut annotation_problems, provenance) = match from_exception.or_else(inline) {
        Some((annotation, problems, provenance)) => (Some(annotation), problems, Some(provenance)),
        None => (None, Vec::new(), None),
    };
    if let Some(a) = &annotation {
        annotation_problems.extend(annotation::validate(a, settings, input.today));
        if settings.from_base && provenance != Some(Provenance::Earlier) {
            annotation_problems.push(format!(
                "annotations {{ from = \"base\" }}: this annotation ({}) {}, so it does not approve; it must be \
                 approved in the base branch first, by the owners of the file that holds it (CODEOWNERS)",
                origin_name(&a.origin),
                match provenance {
                    Some(Provenance::ThisChange) => "was added or changed in this change",
                    _ => "cannot be compared with the base revision",
                }
            ));
        } else if provenance == Some(Provenance::Earlier) && replaces_a_policy(site) {
            // An annotation approves the widenings present when it was written: this one is new in this
            // plan, and the annotation was not written or renewed by this change.
            match &a.origin {
                annotation::Origin::Tags => annotation_problems.push(
                    "the trustgate:* tags are unchanged in this change, so they were given for the earlier \
                     policy, not for this new widening: renew them in this change (a new trustgate:expiry is \
                     enough) or add an exception that names the principal or kind"
                        .to_string(),
                ),
                annotation::Origin::Comment { .. } => annotation_problems.push(
                    "this comment is unchanged in this change, so it was given for the earlier policy, not for \
                     this new widening: renew it in this change (a new expiry= is enough) or add an exception \
                     that names the principal or kind"
                        .to_string(),
                ),
                annotation::Origin::Exception { .. }
                    if matched_exception.is_some_and(|e| !e.names_what_it_approves()) =>
                {
                    annotation_problems.push(
                        "this exception names no principal and no kind and was there before this change, so it \
                         approves only the widenings present when it was written: add `principal` or `kind` for \
                         this one"
                            .to_string(),
                    )
                }
                _ => {}
            }
        }
    }
    let hints = if settings.inline {
        annotation::near_miss_tags(&site.tags)
    } else {
        Vec::new()
    };
    let status = if annotation.is_some() && annotation_problems.is_empty() {
        Status::Approved
    } else {
        Status::Violation
    };
    let resolved_from_source = input
        .sources
        .and_then(|sources| sources.resolution(&site.address, &site.attribute))
        .is_some_and(|r| r.used);
    let mut widening = widening;
    if resolved_from_source {
        widening.reason.push_str(
            " (the plan knows this policy only after apply; it was evaluated from the HCL sources)",
        );
    }
    Finding {
        rule: rules::for_kind(widening.kind),
        widening,
        address: site.address.clone(),
        resource_type: site.resource_type.clone(),
        attribute: site.attribute.clone(),
        change: site.change,
        status,
        annotation,
        annotation_problems,
        hints,
        location,
        resolved_from_source,
        provenance,
        privileged: Vec::new(),
        approvers: None,
    }
}

fn origin_name(origin: &annotation::Origin) -> String {
    match origin {
        annotation::Origin::Tags => "trustgate:* tags".to_string(),
        annotation::Origin::Exception { file, line } => format!("exception at {}:{line}", file.display()),
        annotation::Origin::Comment { file, line, .. } => format!("comment at {}:{line}", file.display()),
    }
}

/// True when the resource had a policy on this attribute before the change (an update or a replace of
/// something that existed): its widenings are new in this plan, after any annotation written for it.
fn replaces_a_policy(site: &PolicySite) -> bool {
    !matches!(site.before, PolicyValue::Absent)
        && matches!(
            site.change,
            ChangeAction::Update
                | ChangeAction::ReplaceDeleteFirst
                | ChangeAction::ReplaceCreateFirst
                | ChangeAction::ReplaceForget
        )
}

/// Policies evaluated from source that still hold values known only after apply (`${reference}`): the
/// managed-resource ARNs whose account is known and inside the boundary are filled in, the rest is decided
/// by `analysis::symbolic` (docs/unknown-values.md).
mod symbolic {
    use serde_json::Value;

    use super::SourceFacts;
    use crate::analysis::symbolic::{Decision, Hole, decide, fill_outside, for_each_string};
    use crate::analysis::{Context, Inside, OwnIdentity, Widening, WideningKind};
    use crate::policy::Policy;
    use crate::source::eval::symbols_in;

    /// What a site's policy with evaluator symbols gives: its widenings, and (when own EKS cluster issuers
    /// were filled in) the grants judged inside.
    pub(super) struct SiteDecision {
        pub widenings: Vec<Widening>,
        pub inside: Option<Vec<Inside>>,
    }

    /// The widenings of a site whose policy text has evaluator symbols; None when it has none (or is not
    /// a JSON document), so the plain comparison applies. `module_address`: the site's module instance.
    pub(super) fn decide_site(
        old: Option<&Policy>,
        text: &str,
        site: (&str, &str),
        ctx: &Context<'_>,
        sources: &SourceFacts<'_>,
    ) -> Option<SiteDecision> {
        let (module_address, attribute) = site;
        // Policy variables (`${aws:username}`, `${*}`) are IAM's own, not values from Terraform.
        let symbols: Vec<String> = symbols_in(text)
            .into_iter()
            .filter(|s| !s.contains(':') && !matches!(s.as_str(), "*" | "?" | "$"))
            .collect();
        if symbols.is_empty() {
            return None;
        }
        let mut document: Value = serde_json::from_str(text).ok()?;
        let own = |account: Option<String>| own_account(account, ctx.boundary, sources);
        let predicted = fill_predicted(&mut document, &symbols, ctx, sources);
        let inside = |reference: &str| -> Option<String> { own((sources.managed_arn_account)(reference)?) };
        fill_managed(&mut document, &symbols, ctx.partition, &inside);
        // A resource managed here through a provider whose account is known and outside the boundary.
        let outside = |reference: &str| -> Option<String> {
            let account = (sources.managed_arn_account)(reference)??;
            (crate::annotation::is_account_id(&account) && !ctx.boundary.accounts.contains(&account))
                .then_some(account)
        };
        let stand_ins = fill_outside(old, &mut document, &symbols, ctx.partition, &outside);
        let issuers = fill_cluster_issuers(&mut document, &symbols, module_address, ctx, sources, &own);
        let mut boundary = ctx.boundary.clone();
        boundary.federated.extend(issuers.iter().cloned());
        let ctx = &Context {
            boundary: &boundary,
            ..*ctx
        };
        let mut decision = finish(old, &document, &symbols, attribute, ctx, Some(sources))?;
        if issuers.is_empty() {
            decision.inside = None;
        }
        explain_stand_ins(&mut decision.widenings, &document, &stand_ins);
        for widening in &mut decision.widenings {
            if let Some((_, reference)) = predicted.iter().find(|(arn, _)| *arn == widening.principal) {
                widening.reason.push_str(&format!(
                    " (the ARN of {reference}, from its planned name and path and its provider's account)"
                ));
            }
        }
        Some(decision)
    }

    /// Replaces `${x.arn}` of a role or user created here whose ARN the plan determines (its name, path and
    /// provider account are known) with that ARN, wherever it stands as a whole value: it is not unknown.
    fn fill_predicted(
        document: &mut Value,
        symbols: &[String],
        ctx: &Context<'_>,
        sources: &SourceFacts<'_>,
    ) -> Vec<(String, String)> {
        let exact = |reference: &str| -> Option<String> {
            let part = (sources.predicted_arn)(reference)?;
            let account = match (sources.managed_arn_account)(reference)?? {
                account if account == crate::source::providers::CALLER => match ctx.boundary.accounts.len() {
                    1 => ctx.boundary.accounts.first()?.clone(),
                    _ => return None,
                },
                account => account,
            };
            crate::annotation::is_account_id(&account)
                .then(|| format!("arn:{}:iam::{account}:{part}", ctx.partition))
        };
        let fills: Vec<(String, String)> = symbols
            .iter()
            .filter_map(|s| Some((format!("${{{s}}}"), exact(s)?)))
            .collect();
        if fills.is_empty() {
            return fills;
        }
        fn walk(value: &mut Value, fills: &[(String, String)]) {
            match value {
                Value::String(text) => {
                    if let Some((_, arn)) = fills.iter().find(|(hole, _)| hole == text) {
                        *text = arn.clone();
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(|v| walk(v, fills)),
                Value::Object(map) => map.values_mut().for_each(|v| walk(v, fills)),
                _ => {}
            }
        }
        walk(document, &fills);
        fills
            .into_iter()
            .map(|(hole, arn)| {
                (arn, {
                    let reference = hole.trim_start_matches("${").trim_end_matches('}');
                    reference.strip_suffix(".arn").unwrap_or(reference).to_string()
                })
            })
            .collect()
    }

    /// Says, in the reason of a widening that rests on a stand-in of `fill_outside`, what it stands for.
    fn explain_stand_ins(widenings: &mut [Widening], document: &Value, stand_ins: &[String]) {
        for widening in widenings {
            let statement = widening
                .statement
                .and_then(|index| statement_at(document, index))
                .map(Value::to_string)
                .unwrap_or_default();
            for stand_in in stand_ins {
                let account = stand_in.split(':').nth(4).unwrap_or_default();
                let what = stand_in
                    .rsplit_once('(')
                    .and_then(|(_, rest)| rest.strip_suffix(')'))
                    .unwrap_or(stand_in);
                let note = if widening.principal == *stand_in {
                    format!(
                        " ({what} is created here through a provider in account {account}: its name is known \
                         only after apply, and whatever it is, it is an identity of that account)"
                    )
                } else if widening.kind != WideningKind::Unverifiable && statement.contains(stand_in.as_str())
                {
                    format!(
                        " (aws:SourceArn is {what}, created here through a provider in account {account}, \
                         outside the trust boundary, whatever its name)"
                    )
                } else {
                    continue;
                };
                if !widening.reason.contains(&note) {
                    widening.reason.push_str(&note);
                }
            }
        }
    }

    /// The account a managed resource lives in (as `SourceFacts::managed_arn_account` gives it), when it
    /// is inside the boundary.
    pub(super) fn own_account(
        account: Option<String>,
        boundary: &crate::analysis::Boundary,
        sources: &SourceFacts<'_>,
    ) -> Option<String> {
        let account = match account {
            Some(account) if account == crate::source::providers::CALLER => match boundary.accounts.len() {
                1 => boundary.accounts.first()?.clone(),
                _ => return None,
            },
            Some(account) => account,
            // `trustgate diff` has no plan and so no provider configurations: a resource of the
            // configuration is taken to be in the owner's account, as before.
            None if sources.all_from_source => boundary.accounts.first()?.clone(),
            None => return None,
        };
        boundary.accounts.contains(&account).then_some(account)
    }

    /// Whether `reference` is the ARN of a resource managed here in an account inside the boundary.
    pub(super) fn managed_inside(
        reference: &str,
        boundary: &crate::analysis::Boundary,
        sources: &SourceFacts<'_>,
    ) -> bool {
        (sources.managed_arn_account)(reference)
            .is_some_and(|account| own_account(account, boundary, sources).is_some())
    }

    /// The widenings of a policy (`text`) whose holes are exactly `symbols`, filled with nothing: a grant
    /// whose fields the plan knows only after apply, with or without sources.
    pub(super) fn decide_holes(
        old: Option<&Policy>,
        text: &str,
        symbols: &[String],
        attribute: &str,
        ctx: &Context<'_>,
        sources: Option<&SourceFacts<'_>>,
    ) -> Option<Vec<Widening>> {
        let document: Value = serde_json::from_str(text).ok()?;
        finish(old, &document, symbols, attribute, ctx, sources).map(|d| d.widenings)
    }

    /// Decides `document` with its holes; `inside` is the comparison's inside grants when decided.
    fn finish(
        old: Option<&Policy>,
        document: &Value,
        symbols: &[String],
        attribute: &str,
        ctx: &Context<'_>,
        sources: Option<&SourceFacts<'_>>,
    ) -> Option<SiteDecision> {
        let decision = decide(old, document, symbols, ctx).ok()?;
        Some(match decision {
            Decision::Decided { comparison, .. } => SiteDecision {
                widenings: comparison.widenings,
                inside: Some(comparison.inside),
            },
            Decision::Unverifiable { holes } => {
                // A federated identity is an external population whatever its provider: an unknown
                // provider ARN does not change the kind (kept from the plain comparison).
                if holes
                    .iter()
                    .all(|h| h.element == "Principal" && federated(document, h))
                {
                    return None;
                }
                SiteDecision {
                    widenings: vec![unverifiable(attribute, &holes, document, ctx, sources)],
                    inside: None,
                }
            }
        })
    }

    /// Replaces references that stand for the OIDC issuer of an EKS cluster of this configuration whose
    /// account (and its IAM OIDC provider's) is inside the boundary, in `Federated` principals and in
    /// condition keys (`ISSUER:sub`), with a name for that issuer; returns the own identity each name is
    /// (every subject of the cluster's issuer is a service account of the own cluster). A cluster through
    /// a provider alias into another account, or whose account is not known, is left alone.
    fn fill_cluster_issuers(
        document: &mut Value,
        symbols: &[String],
        module_address: &str,
        ctx: &Context<'_>,
        sources: &SourceFacts<'_>,
        own: &dyn Fn(Option<String>) -> Option<String>,
    ) -> Vec<OwnIdentity> {
        let mut identities: Vec<OwnIdentity> = Vec::new();
        // (symbol, replacement when the whole string is the symbol, replacement inside a string)
        let mut fills: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for symbol in symbols {
            let Some(fact) = (sources.cluster_issuer)(module_address, symbol) else {
                continue;
            };
            let Some(accounts) = fact
                .accounts
                .iter()
                .map(|a| own(a.clone()))
                .collect::<Option<Vec<String>>>()
            else {
                continue;
            };
            let issuer = format!("{}.identity[0].oidc[0].issuer", fact.cluster).to_lowercase();
            let identity = OwnIdentity::Issuer {
                issuer: issuer.clone(),
                why: format!(
                    "own EKS cluster issuer: {} in account {}",
                    fact.cluster,
                    accounts.first().cloned().unwrap_or_default()
                ),
            };
            if !identities.contains(&identity) {
                identities.push(identity);
            }
            let account = accounts.last().cloned().unwrap_or_default();
            fills.push(if fact.provider_arn {
                let arn = format!("arn:{}:iam::{account}:oidc-provider/{issuer}", ctx.partition);
                (symbol.clone(), Some(arn), None)
            } else {
                (symbol.clone(), None, Some(issuer))
            });
        }
        if fills.is_empty() {
            return identities;
        }
        let fill = |text: &str| -> Option<String> {
            let mut out = text.to_string();
            for (symbol, whole, part) in &fills {
                let hole = format!("${{{symbol}}}");
                match (whole, part) {
                    (Some(whole), _) if out == hole => out = whole.clone(),
                    (_, Some(part)) => out = out.replace(&hole, part),
                    _ => {}
                }
            }
            (out != text).then_some(out)
        };
        let statements: Vec<&mut Value> = match document.get_mut("Statement") {
            Some(Value::Array(list)) => list.iter_mut().collect(),
            Some(single) => vec![single],
            None => Vec::new(),
        };
        for statement in statements {
            if let Some(Value::Object(principal)) = statement.get_mut("Principal")
                && let Some(federated) = principal.get_mut("Federated")
            {
                for_each_string(federated, &mut |text| fill(text));
            }
            if let Some(Value::Object(operators)) = statement.get_mut("Condition") {
                for entries in operators.values_mut() {
                    if let Value::Object(entries) = entries {
                        let renamed: serde_json::Map<String, Value> = std::mem::take(entries)
                            .into_iter()
                            .map(|(key, value)| (fill(&key).unwrap_or(key), value))
                            .collect();
                        *entries = renamed;
                    }
                }
            }
        }
        identities
    }

    fn federated(document: &Value, hole: &Hole) -> bool {
        statement_at(document, hole.statement)
            .and_then(|s| s.get("Principal"))
            .and_then(|p| p.get("Federated"))
            .is_some_and(|f| f.to_string().contains(&hole.value))
    }

    fn statement_at(document: &Value, index: usize) -> Option<&Value> {
        match document.get("Statement")? {
            Value::Array(list) => list.get(index),
            single => (index == 0).then_some(single),
        }
    }

    /// Replaces `${x.arn}` of a resource managed here, in an account inside the boundary, where only its
    /// account matters: an `AWS` principal (any identity of an own account is inside) and an
    /// `aws:SourceArn` condition value (pinning reads only the account).
    fn fill_managed(
        document: &mut Value,
        symbols: &[String],
        partition: &str,
        inside: &dyn Fn(&str) -> Option<String>,
    ) {
        let whole = |text: &str| -> Option<&String> { symbols.iter().find(|s| text == format!("${{{s}}}")) };
        let statements: Vec<&mut Value> = match document.get_mut("Statement") {
            Some(Value::Array(list)) => list.iter_mut().collect(),
            Some(single) => vec![single],
            None => Vec::new(),
        };
        for statement in statements {
            if let Some(Value::Object(principal)) = statement.get_mut("Principal")
                && let Some(aws) = principal.get_mut("AWS")
            {
                for_each_string(aws, &mut |text| {
                    let account = whole(text).and_then(|r| inside(r))?;
                    Some(format!("arn:{partition}:iam::{account}:root"))
                });
            }
            if let Some(Value::Object(operators)) = statement.get_mut("Condition") {
                for entries in operators.values_mut() {
                    for (key, values) in entries.as_object_mut().into_iter().flatten() {
                        if !key.eq_ignore_ascii_case("aws:SourceArn") {
                            continue;
                        }
                        for_each_string(values, &mut |text| {
                            let reference = whole(text)?;
                            let account = inside(reference)?;
                            let service = reference
                                .rsplit('.')
                                .nth(2)
                                .and_then(|t| t.strip_prefix("aws_"))
                                .and_then(|t| t.split('_').next())
                                .unwrap_or("unknown");
                            Some(format!("arn:{partition}:{service}:*:{account}:{reference}"))
                        });
                    }
                }
            }
        }
    }

    fn unverifiable(
        attribute: &str,
        holes: &[Hole],
        document: &Value,
        ctx: &Context<'_>,
        sources: Option<&SourceFacts<'_>>,
    ) -> Widening {
        let mut parts: Vec<String> = Vec::new();
        for hole in holes {
            let statement = match &hole.sid {
                Some(sid) => format!("statement \"{sid}\""),
                None => format!("statement {}", hole.statement + 1),
            };
            let why = sources.map(|s| why(hole, ctx, s)).unwrap_or_default();
            let matters = matters(hole, document);
            let part = format!("{} {} of {statement} ({why}{matters})", hole.element, hole.value);
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        let mut references: Vec<String> = holes.iter().flat_map(|h| symbols_in(&h.value)).collect();
        references.sort();
        references.dedup();
        let principal = holes
            .iter()
            .find(|h| h.element == "Principal" || h.element == "NotPrincipal")
            .map(|h| h.value.clone())
            .unwrap_or_default();
        Widening {
            kind: WideningKind::Unverifiable,
            principal,
            actions: Vec::new(),
            resources: Vec::new(),
            reason: format!(
                "{attribute}: {} {} known only after apply (it depends on {}), and the verdict depends on {} \
                 (some values would let someone outside the trust boundary in, others would not)",
                parts.join("; "),
                if parts.len() == 1 { "is" } else { "are" },
                references.join(", "),
                if parts.len() == 1 { "it" } else { "them" }
            ),
            statement: holes.first().map(|h| h.statement),
            sid: holes.first().and_then(|h| h.sid.clone()),
        }
    }

    /// Why the element a hole sits in matters to the verdict, in a few words.
    fn matters(hole: &Hole, document: &Value) -> String {
        let statement = statement_at(document, hole.statement);
        let deny = statement
            .and_then(|s| s.get("Effect"))
            .and_then(Value::as_str)
            .is_some_and(|e| e == "Deny");
        let element = hole.element.as_str();
        if matches!(element, "Principal" | "NotPrincipal") {
            return "it says who is granted access".to_string();
        }
        if element == "Effect" {
            return "it says whether the statement allows or denies".to_string();
        }
        if deny {
            return "it says what the Deny takes away".to_string();
        }
        if let Some(condition) = element.strip_prefix("Condition ") {
            let key = condition.rsplit(' ').next().unwrap_or(condition);
            let source_key = [
                "aws:SourceArn",
                "aws:SourceAccount",
                "aws:SourceOrgID",
                "aws:SourceOrgPaths",
            ]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(key));
            let services: Vec<String> = statement
                .and_then(|s| s.get("Principal"))
                .and_then(|p| p.get("Service"))
                .map(|s| match s {
                    Value::String(one) => vec![one.clone()],
                    Value::Array(list) => list
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default();
            return if source_key && !services.is_empty() {
                format!(
                    "it says whether {} acts only for resources inside the trust boundary",
                    services.join(", ")
                )
            } else {
                format!("the condition on {key} limits who is granted access")
            };
        }
        "read at its widest, the statement grants access outside the trust boundary".to_string()
    }

    /// Why a hole where a managed resource's account would be enough (an `AWS` principal, an
    /// `aws:SourceArn` value) could not be filled in (ending in `; `), or nothing.
    fn why(hole: &Hole, ctx: &Context<'_>, sources: &SourceFacts<'_>) -> String {
        let fillable = matches!(hole.element.as_str(), "Principal" | "NotPrincipal")
            || hole
                .element
                .rsplit(' ')
                .next()
                .is_some_and(|key| key.eq_ignore_ascii_case("aws:SourceArn"));
        let reference = symbols_in(&hole.value);
        let [reference] = reference.as_slice() else {
            return String::new();
        };
        if !fillable {
            return String::new();
        }
        match (sources.managed_arn_account)(reference) {
            Some(None) => "managed here through a provider whose account is not known offline; ".to_string(),
            Some(Some(account)) if account == crate::source::providers::CALLER => {
                "managed here through the default provider, whose account the plan does not say; ".to_string()
            }
            Some(Some(account)) if !ctx.boundary.accounts.contains(&account) => {
                format!(
                    "managed here in account {account}, \
                         outside the trust boundary; "
                )
            }
            Some(Some(account)) => format!("managed here in account {account}; "),
            None => String::new(),
        }
    }
}
