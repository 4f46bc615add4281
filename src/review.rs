//! Review of standing approvals: the status of an external grant that stands (judged as `check` judges a
//! newly created one), shared by `trustgate inventory` and by `check`'s report of approvals that lapse on
//! resources a plan does not change.
//!
//! INTERFACE CONTRACT: `PathStatus`, `path_status`, `standing`, `stale_approvals`.

use crate::analysis::WideningKind;
use crate::date::Date;
use crate::extract::{PolicySite, PolicyValue};
use crate::judge::{self, Finding, JudgeInput};
use crate::plan::ChangeAction;

/// The review status of one trust path: exactly one of five.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathStatus {
    /// A valid annotation whose expiry is more than `warn_days` away.
    Approved,
    /// A valid annotation that expires within `warn_days` (today included).
    Expiring,
    /// The annotation's expiry is in the past.
    Expired,
    /// An annotation that is wrong otherwise (missing field, short justification, bad date, too far ahead).
    Invalid,
    /// No annotation at all.
    Unannotated,
}

impl PathStatus {
    pub const ALL: [PathStatus; 5] = [
        PathStatus::Approved,
        PathStatus::Expiring,
        PathStatus::Expired,
        PathStatus::Invalid,
        PathStatus::Unannotated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PathStatus::Approved => "approved",
            PathStatus::Expiring => "expiring",
            PathStatus::Expired => "expired",
            PathStatus::Invalid => "invalid",
            PathStatus::Unannotated => "unannotated",
        }
    }

    pub fn parse(text: &str) -> Option<PathStatus> {
        PathStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A site as a standing policy: created from nothing, so every external grant is reported.
pub fn standing(mut site: PolicySite) -> PolicySite {
    site.before = PolicyValue::Absent;
    site.change = ChangeAction::Create;
    if let Some(session) = &mut site.session {
        session.before = None;
    }
    site
}

/// The review status of a standing grant judged as `check` judges it, and the days to its expiry.
pub fn path_status(finding: &Finding, today: Date, warn_days: u32) -> (PathStatus, Option<i64>) {
    let expires_in_days = finding
        .annotation
        .as_ref()
        .and_then(|a| a.expiry.as_deref())
        .and_then(|e| Date::parse_iso(e.trim()))
        .map(|expiry| today.days_until(expiry));
    let status = match (&finding.annotation, finding.status) {
        (None, _) => PathStatus::Unannotated,
        (Some(_), _) if expires_in_days.is_some_and(|days| days < 0) => PathStatus::Expired,
        (Some(_), judge::Status::Violation) => PathStatus::Invalid,
        (Some(_), judge::Status::Approved) => {
            if expires_in_days.is_some_and(|days| days <= i64::from(warn_days)) {
                PathStatus::Expiring
            } else {
                PathStatus::Approved
            }
        }
    };
    (status, expires_in_days)
}

/// For `check`: the approvals on policies the plan leaves unchanged (no-op) that have expired or expire
/// within `warn_days` — nothing in the change looks at them otherwise.
pub fn stale_approvals(
    sites: &[PolicySite],
    input: JudgeInput<'_>,
    warn_days: u32,
) -> Vec<judge::StaleApproval> {
    let unchanged: Vec<PolicySite> = sites
        .iter()
        .filter(|s| s.change == ChangeAction::NoOp)
        .cloned()
        .map(standing)
        .collect();
    if unchanged.is_empty() {
        return Vec::new();
    }
    let today = input.today;
    let report = judge::judge(&unchanged, input);
    report
        .findings
        .iter()
        .filter(|f| f.widening.kind != WideningKind::SessionLengthened)
        .filter_map(|finding| {
            let (status, days) = path_status(finding, today, warn_days);
            let expired = match status {
                PathStatus::Expired => true,
                PathStatus::Expiring => false,
                _ => return None,
            };
            let annotation = finding.annotation.clone()?;
            Some(judge::StaleApproval {
                address: finding.address.clone(),
                attribute: finding.attribute.clone(),
                principal: finding.widening.principal.clone(),
                expired,
                days: days.unwrap_or_default(),
                annotation,
                location: finding.location.clone(),
            })
        })
        .collect()
}
