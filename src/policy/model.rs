//! The normalised statement model: every list is a sorted, de-duplicated set, so statement order, list
//! order, duplicates and string-vs-array forms are gone after parsing.

use std::collections::BTreeSet;

use super::condition::ConditionEntry;

/// The policy language version; it decides whether `${…}` is a policy variable or literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyVersion {
    /// `2012-10-17`: policy variables are substituted.
    Current,
    /// `2008-10-17`: `${…}` is literal text.
    Legacy,
    /// No `Version` element: AWS applies `2008-10-17`.
    Unspecified,
}

impl PolicyVersion {
    /// True when `${…}` in values and resources is a policy variable.
    pub fn has_policy_variables(self) -> bool {
        self == PolicyVersion::Current
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

/// An AWS-account principal: the account itself (`root`) or one identity inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AwsPrincipal {
    /// `None` for the bare 12-digit form, which takes the resource's partition.
    pub partition: Option<String>,
    /// `iam` or `sts`.
    pub service: String,
    /// Usually 12 digits; kept opaque otherwise (`redacted`, `cloudfront`).
    pub account: String,
    /// `root`, `role/path/name`, `user/name`, `assumed-role/role/session`, `federated-user/name`.
    pub resource: String,
}

impl AwsPrincipal {
    pub fn account_root(partition: Option<String>, account: &str) -> AwsPrincipal {
        AwsPrincipal {
            partition,
            service: "iam".to_string(),
            account: account.to_string(),
            resource: "root".to_string(),
        }
    }

    pub fn is_account(&self) -> bool {
        self.resource == "root"
    }

    /// The full ARN, using `default_partition` for the bare-id form.
    pub fn arn(&self, default_partition: &str) -> String {
        let partition = self.partition.as_deref().unwrap_or(default_partition);
        format!(
            "arn:{partition}:{}::{}:{}",
            self.service, self.account, self.resource
        )
    }
}

/// One entry of a `Principal`/`NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// `"*"` in any form: everyone, including anonymous callers.
    Any,
    Aws(AwsPrincipal),
    /// An IAM unique id (`AROA…`, `AIDA…`); its account cannot be known offline.
    UniqueId(String),
    /// An `AWS` value that is neither an ARN, an account id nor a unique id; kept as written.
    Opaque(String),
    /// An S3 canonical user id.
    Canonical(String),
    /// An AWS service principal, lower-cased (`events.amazonaws.com`).
    Service(String),
    /// An identity provider: an `oidc-provider`/`saml-provider` ARN or a built-in web IdP name.
    Federated(String),
}

/// `Principal` (who is matched) or `NotPrincipal` (everyone except).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrincipalClause {
    /// No principal element (identity policies).
    Absent,
    Only(BTreeSet<Principal>),
    AllExcept(BTreeSet<Principal>),
}

/// `Action`/`Resource` (the listed patterns) or `NotAction`/`NotResource` (everything except them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PatternSet {
    Only(BTreeSet<String>),
    AllExcept(BTreeSet<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Position in the source document's `Statement` array.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: PrincipalClause,
    /// Lower-cased, in glob canonical form.
    pub actions: PatternSet,
    /// `None` when the statement names no resource (trust policies): the governed resource itself.
    pub resources: Option<PatternSet>,
    /// Sorted, de-duplicated entries.
    pub conditions: Vec<ConditionEntry>,
}
