//! `trustgate inventory`: every trust path that crosses the boundary today (a state) or after apply (a plan),
//! with its owner, expiry, session length and blast radius, and a review status.
//!
//! INTERFACE CONTRACT: `Inventory`, `FileInventory`, `TrustPath`, `PathStatus`, `PrincipalClass`,
//! `InventoryOptions`, `inventory_text`, `Inventory::exit_code`.
//!
//! A trust path is one external grant of one standing policy: (address, policy attribute, external principal,
//! actions, narrowing conditions). They are found exactly as `check` finds the widenings of a newly created
//! resource — the standing policy compared against no policy — so classification, annotation precedence
//! (exception > statement comment > resource comment > tags) and validation are `check`'s own.

pub mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::analysis::{Reach, WideningKind};
use crate::annotation::Annotation;
use crate::blast::{self, Grant};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::date::Date;
use crate::error::Result;
use crate::extract;
use crate::judge::{self, BoundaryInfo, Finding, Location, SideView};
use crate::pipeline::{self, Settings, StandingInput};

pub use crate::plan::standing::DocumentKind;
pub use crate::review::PathStatus;

/// The class of the external principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrincipalClass {
    /// A principal of another AWS account (the account itself, a role, a user, a session).
    Account,
    /// Anyone.
    Public,
    /// A federated identity (OIDC, SAML, web identity).
    Federated,
    /// An AWS service acting for anyone (not pinned to the boundary).
    Service,
    /// The policy cannot be read offline (not valid, or known only after apply): who it reaches is unknown.
    Unknown,
}

impl PrincipalClass {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalClass::Account => "account",
            PrincipalClass::Public => "public",
            PrincipalClass::Federated => "federated",
            PrincipalClass::Service => "service",
            PrincipalClass::Unknown => "unknown",
        }
    }

    fn of(kind: WideningKind) -> PrincipalClass {
        match kind {
            WideningKind::Public => PrincipalClass::Public,
            WideningKind::Federated => PrincipalClass::Federated,
            WideningKind::Service => PrincipalClass::Service,
            WideningKind::ExternalAccount
            | WideningKind::ConditionWeakened
            | WideningKind::AccessBroadened
            | WideningKind::DenyRemoved => PrincipalClass::Account,
            _ => PrincipalClass::Unknown,
        }
    }
}

/// One trust path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustPath {
    /// The file it came from, as given.
    pub file: PathBuf,
    pub address: String,
    pub resource_type: String,
    pub attribute: String,
    pub class: PrincipalClass,
    /// Canonical principal text (`arn:aws:iam::464622532012:root`, `*`, `service:…`, `federated:…`);
    /// empty for an unknown class.
    pub principal: String,
    /// The principal's 12-digit account, when it has one.
    pub account: Option<String>,
    /// The external party's name from the known-accounts list (`Datadog`).
    pub vendor: Option<String>,
    pub actions: Vec<String>,
    /// The conditions that narrow it (rendered), empty when none.
    pub conditions: Vec<String>,
    /// A whole account (or everyone) is trusted rather than one role or user.
    pub broad: bool,
    /// How to narrow a broad path.
    pub fix: Option<String>,
    /// Why nothing is known about who it reaches (unknown class), else empty.
    pub reason: String,
    /// For a role: `max_session_duration` in seconds.
    pub session_seconds: Option<u64>,
    /// For a role: what it can do once assumed.
    pub permissions: Option<Vec<Grant>>,
    /// For a role: why it is admin-equivalent; empty when it is not.
    pub privileged: Vec<String>,
    pub annotation: Option<Annotation>,
    /// What is wrong with the annotation; empty when it is valid or absent.
    pub annotation_problems: Vec<String>,
    pub status: PathStatus,
    /// Days from today to the annotation's expiry (negative: expired), when it has a readable one.
    pub expires_in_days: Option<i64>,
    pub location: Option<Location>,
}

impl TrustPath {
    /// The external party paths are grouped by: the vendor name, else the account, else the principal.
    pub fn party(&self) -> String {
        match (&self.vendor, &self.account) {
            (Some(vendor), Some(account)) => format!("{vendor} ({account})"),
            (None, Some(account)) => format!("account {account}"),
            _ if self.class == PrincipalClass::Unknown => "unknown (policy not readable)".to_string(),
            _ if self.principal == "*" => "everyone (public)".to_string(),
            _ => self.principal.clone(),
        }
    }
}

/// The inventory of one file.
#[derive(Debug, Clone)]
pub struct FileInventory {
    pub file: PathBuf,
    pub kind: DocumentKind,
    pub boundary: BoundaryInfo,
    /// Managed resources read.
    pub resources: usize,
    pub paths: Vec<TrustPath>,
    /// Problems with the inputs that did not stop the run (a `.tf` file that does not parse).
    pub diagnostics: Vec<String>,
    pub notes: Vec<String>,
}

/// The whole inventory: every output format is a pure function of this.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub today: Date,
    pub warn_days: u32,
    /// Statuses that make the run fail.
    pub fail_on: Vec<PathStatus>,
    /// In the order the files were given.
    pub files: Vec<FileInventory>,
}

impl Inventory {
    /// Every path of every file, in file order then address order.
    pub fn paths(&self) -> impl Iterator<Item = &TrustPath> {
        self.files.iter().flat_map(|f| f.paths.iter())
    }

    pub fn count(&self, status: PathStatus) -> usize {
        self.paths().filter(|p| p.status == status).count()
    }

    /// 1 when a path has a status in `fail_on`, else 0.
    pub fn exit_code(&self) -> i32 {
        if self.paths().any(|p| self.fail_on.contains(&p.status)) {
            1
        } else {
            0
        }
    }

    /// Paths grouped by external party (sorted by party name), each group in file and address order.
    pub fn by_party(&self) -> Vec<(String, Vec<&TrustPath>)> {
        let mut groups: BTreeMap<String, Vec<&TrustPath>> = BTreeMap::new();
        for path in self.paths() {
            groups.entry(path.party()).or_default().push(path);
        }
        groups.into_iter().collect()
    }
}

/// Everything an inventory of one file needs besides its text.
pub struct InventoryOptions<'a> {
    pub flag_accounts: &'a [String],
    pub flag_orgs: &'a [String],
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    pub today: Date,
    pub warn_days: u32,
    /// Directory of the root module's `.tf` files (`--source`): locations and comment annotations.
    pub source_dir: Option<&'a Path>,
}

/// The inventory of one state or plan document.
pub fn inventory_text(text: &str, display: &Path, options: &InventoryOptions<'_>) -> Result<FileInventory> {
    let settings = Settings {
        flag_accounts: options.flag_accounts,
        flag_orgs: options.flag_orgs,
        config: options.config,
        catalog: options.catalog,
        today: options.today,
    };
    let standing = pipeline::judge_standing(
        StandingInput {
            text,
            display_path: display.to_path_buf(),
            source_dir: options.source_dir.map(Path::to_path_buf),
        },
        &settings,
    )?;
    let report = &standing.report;
    let sessions: BTreeMap<(&str, &str), Option<u64>> = standing
        .sites
        .iter()
        .filter_map(|s| Some(((s.address.as_str(), s.attribute.as_str()), s.session?.after)))
        .collect();
    let conditions: BTreeMap<(&str, &str, &str), &[String]> = report
        .sites
        .iter()
        .filter_map(|view| match &view.after {
            SideView::Known(accesses) => Some(accesses.iter().filter(|a| a.reach != Reach::Internal).map(
                move |a| {
                    (
                        (
                            view.address.as_str(),
                            view.attribute.as_str(),
                            a.principal.as_str(),
                        ),
                        a.conditions.as_slice(),
                    )
                },
            )),
            _ => None,
        })
        .flatten()
        .collect();
    let paths = report
        .findings
        .iter()
        .filter(|f| !matches!(f.widening.kind, WideningKind::SessionLengthened))
        .map(|finding| {
            let key = (finding.address.as_str(), finding.attribute.as_str());
            let conditions = conditions
                .get(&(key.0, key.1, finding.widening.principal.as_str()))
                .map(|c| c.to_vec())
                .unwrap_or_default();
            let session = sessions
                .get(&key)
                .map(|s| s.unwrap_or(extract::DEFAULT_SESSION_SECONDS));
            let role =
                (finding.resource_type == "aws_iam_role").then(|| standing.permissions.get(&finding.address));
            trust_path(display, finding, conditions, session, role.flatten(), options)
        })
        .collect();
    Ok(FileInventory {
        file: display.to_path_buf(),
        kind: standing.kind,
        boundary: report.boundary.clone(),
        resources: report.summary.resources,
        paths,
        diagnostics: report.diagnostics.clone(),
        notes: report.notes.clone(),
    })
}

fn trust_path(
    file: &Path,
    finding: &Finding,
    conditions: Vec<String>,
    session_seconds: Option<u64>,
    permissions: Option<&blast::RolePermissions>,
    options: &InventoryOptions<'_>,
) -> TrustPath {
    let widening = &finding.widening;
    let class = PrincipalClass::of(widening.kind);
    let account = judge::account_of(&widening.principal).map(str::to_string);
    let vendor = account
        .as_deref()
        .and_then(crate::vendors::vendor_name)
        .map(str::to_string);
    let whole_account = class == PrincipalClass::Account && widening.principal.ends_with(":root");
    let public = class == PrincipalClass::Public;
    let fix = if whole_account {
        Some("name the role or user".to_string())
    } else if public {
        Some("name the principals that need access, or pin callers with aws:PrincipalOrgID or aws:SourceAccount".to_string())
    } else {
        None
    };
    let (status, expires_in_days) = crate::review::path_status(finding, options.today, options.warn_days);
    TrustPath {
        file: file.to_path_buf(),
        address: finding.address.clone(),
        resource_type: finding.resource_type.clone(),
        attribute: finding.attribute.clone(),
        class,
        principal: widening.principal.clone(),
        account,
        vendor,
        actions: widening.actions.clone(),
        conditions,
        broad: whole_account || public,
        fix,
        reason: if class == PrincipalClass::Unknown {
            widening.reason.clone()
        } else {
            String::new()
        },
        session_seconds,
        permissions: permissions.map(|p| p.grants.clone()),
        privileged: permissions.map(|p| p.privileged()).unwrap_or_default(),
        annotation: finding.annotation.clone(),
        annotation_problems: finding.annotation_problems.clone(),
        status,
        expires_in_days,
        location: finding.location.clone(),
    }
}
