//! Own federated identities: which OIDC subjects belong to the team (config `boundary` block, EKS clusters
//! of the plan), and whether a trust statement's conditions provably confine a provider's subject to them.
//!
//! Subject formats (each provider's documentation):
//! - GitHub Actions: `sub` = `repo:OWNER/REPO:ref:refs/heads/BRANCH`, `repo:OWNER/REPO:environment:NAME`,
//!   `repo:OWNER/REPO:pull_request`, …; issuer `token.actions.githubusercontent.com`, on GitHub Enterprise
//!   Server `HOST/_services/token` (docs.github.com, "OpenID Connect reference"). Custom subject templates
//!   start with a claim name, so a `sub` beginning `repo:OWNER/` always names a repository of OWNER (owner
//!   names contain no `/`). `repository_owner` is the owner; `job_workflow_ref` is `OWNER/REPO/…@REF`.
//! - GitLab CI ID tokens: `sub` = `project_path:GROUP[/SUBGROUP…]/PROJECT:ref_type:…:ref:…`; issuer the
//!   instance (docs.gitlab.com, "OpenID Connect (OIDC) Authentication Using ID Tokens"); customised
//!   subjects must still start with `project_path`.
//! - HCP Terraform / Terraform Enterprise workload identity: `sub` =
//!   `organization:ORG:project:PROJECT:workspace:WS:run_phase:PHASE`; issuer `app.terraform.io` or the TFE
//!   host (developer.hashicorp.com, "Workload identity tokens").
//! - Bitbucket Pipelines: the issuer itself names the workspace
//!   (`api.bitbucket.org/2.0/workspaces/WORKSPACE/pipelines-config/identity/oidc`), so every subject of that
//!   issuer is the workspace's own.
//! - An EKS cluster's issuer (`oidc.eks.REGION.amazonaws.com/id/ID`): every subject is a service account of
//!   that cluster.
//!
//! A condition confines the subject only when it is a strict positive string test (no IfExists, no
//! ForAllValues, not negated) of which every value is confined; a `StringLike` value counts by its literal
//! text before the first wildcard, so `repo:acme/*` is confined to owner `acme` while `repo:acme*` is not (it
//! matches `repo:acme-evil/…`).

use crate::policy::{ConditionEntry, OperatorBase, StringMode};

use super::Boundary;

pub const GITHUB_ISSUER: &str = "token.actions.githubusercontent.com";
pub const GITLAB_ISSUER: &str = "gitlab.com";
pub const TERRAFORM_ISSUER: &str = "app.terraform.io";

/// One declared (or detected) own federated identity. Hosts are issuer hosts without `https://`, lower case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum OwnIdentity {
    GithubOwner {
        issuer: String,
        owner: String,
    },
    GitlabGroup {
        issuer: String,
        group: String,
    },
    TerraformOrganization {
        issuer: String,
        organization: String,
        project: Option<String>,
    },
    /// Every subject of this issuer is own (Bitbucket workspace, EKS cluster, a declared issuer).
    Issuer {
        issuer: String,
        why: String,
    },
}

fn is_host(text: &str) -> bool {
    text.contains('.')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
}

fn is_name(text: &str, extra: &[u8]) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_') || extra.contains(&b))
}

/// `https://host/path/` → `host/path`, lower case.
pub fn normalize_issuer(text: &str) -> String {
    let text = text.trim();
    let text = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or(text);
    text.trim_end_matches('/').to_lowercase()
}

impl OwnIdentity {
    /// `OWNER` (github.com) or `HOST/OWNER` (GitHub Enterprise Server at HOST).
    pub fn github(text: &str) -> Result<OwnIdentity, String> {
        let (issuer, owner) = match text.split_once('/') {
            Some((host, owner)) if is_host(host) => {
                (format!("{}/_services/token", host.to_lowercase()), owner)
            }
            Some(_) => return Err(format!("\"{text}\" is not a GitHub owner (OWNER or HOST/OWNER)")),
            None => (GITHUB_ISSUER.to_string(), text),
        };
        if !is_name(owner, &[]) {
            return Err(format!("\"{text}\" is not a GitHub owner (OWNER or HOST/OWNER)"));
        }
        Ok(OwnIdentity::GithubOwner {
            issuer,
            owner: owner.to_lowercase(),
        })
    }

    /// `GROUP[/SUBGROUP…]` (gitlab.com) or `HOST/GROUP[/SUBGROUP…]` when the first segment is a host name.
    pub fn gitlab(text: &str) -> Result<OwnIdentity, String> {
        let (issuer, group) = match text.split_once('/') {
            Some((host, group)) if is_host(host) => (host.to_lowercase(), group),
            _ => (GITLAB_ISSUER.to_string(), text),
        };
        let valid = !group.is_empty() && group.split('/').all(|segment| is_name(segment, b"."));
        if !valid {
            return Err(format!(
                "\"{text}\" is not a GitLab group (GROUP or HOST/GROUP, subgroups with /)"
            ));
        }
        Ok(OwnIdentity::GitlabGroup {
            issuer,
            group: group.to_lowercase(),
        })
    }

    /// `ORG`, `ORG/PROJECT`, or either behind `HOST/` (Terraform Enterprise).
    pub fn terraform(text: &str) -> Result<OwnIdentity, String> {
        let mut parts: Vec<&str> = text.split('/').collect();
        let issuer = if parts.len() > 1 && is_host(parts[0]) {
            parts.remove(0).to_lowercase()
        } else {
            TERRAFORM_ISSUER.to_string()
        };
        let bad =
            || format!("\"{text}\" is not a Terraform organization (ORG, ORG/PROJECT, HOST/ORG[/PROJECT])");
        match parts.as_slice() {
            [org] if is_name(org, &[]) => Ok(OwnIdentity::TerraformOrganization {
                issuer,
                organization: org.to_string(),
                project: None,
            }),
            [org, project] if is_name(org, &[]) && !project.is_empty() && !project.contains(':') => {
                Ok(OwnIdentity::TerraformOrganization {
                    issuer,
                    organization: org.to_string(),
                    project: Some(project.to_string()),
                })
            }
            _ => Err(bad()),
        }
    }

    /// A Bitbucket workspace: its issuer is own.
    pub fn bitbucket(text: &str) -> Result<OwnIdentity, String> {
        if !is_name(text, &[]) {
            return Err(format!("\"{text}\" is not a Bitbucket workspace id"));
        }
        Ok(OwnIdentity::Issuer {
            issuer: format!(
                "api.bitbucket.org/2.0/workspaces/{}/pipelines-config/identity/oidc",
                text.to_lowercase()
            ),
            why: format!("Bitbucket workspace {text}"),
        })
    }

    /// An OIDC issuer whose every subject is own.
    pub fn issuer(text: &str, why: &str) -> Result<OwnIdentity, String> {
        let issuer = normalize_issuer(text);
        let host = issuer.split('/').next().unwrap_or_default();
        if !is_host(host) || issuer.contains(char::is_whitespace) {
            return Err(format!("\"{text}\" is not an OIDC issuer URL"));
        }
        Ok(OwnIdentity::Issuer {
            issuer,
            why: why.to_string(),
        })
    }

    pub fn issuer_host(&self) -> &str {
        match self {
            OwnIdentity::GithubOwner { issuer, .. }
            | OwnIdentity::GitlabGroup { issuer, .. }
            | OwnIdentity::TerraformOrganization { issuer, .. }
            | OwnIdentity::Issuer { issuer, .. } => issuer,
        }
    }

    /// Short text for reports: `github:acme`, `gitlab:gitlab.com/platform`, `issuer:oidc.eks…`.
    pub fn describe(&self) -> String {
        match self {
            OwnIdentity::GithubOwner { issuer, owner } if issuer == GITHUB_ISSUER => {
                format!("github:{owner}")
            }
            OwnIdentity::GithubOwner { issuer, owner } => format!("github:{issuer}/{owner}"),
            OwnIdentity::GitlabGroup { issuer, group } => format!("gitlab:{issuer}/{group}"),
            OwnIdentity::TerraformOrganization {
                issuer,
                organization,
                project,
            } => match project {
                Some(project) => format!("terraform:{issuer}/{organization}/{project}"),
                None => format!("terraform:{issuer}/{organization}"),
            },
            OwnIdentity::Issuer { issuer, why } => format!("issuer:{issuer} ({why})"),
        }
    }

    /// The claim key suffixes and value prefixes that confine a subject to this identity.
    fn confining(&self) -> Vec<(&'static str, String)> {
        match self {
            OwnIdentity::GithubOwner { owner, .. } => vec![
                ("sub", format!("repo:{owner}/")),
                ("repository_owner", owner.clone()),
                ("job_workflow_ref", format!("{owner}/")),
            ],
            OwnIdentity::GitlabGroup { group, .. } => vec![("sub", format!("project_path:{group}/"))],
            OwnIdentity::TerraformOrganization {
                organization,
                project,
                ..
            } => match project {
                Some(project) => vec![(
                    "sub",
                    format!(
                        "organization:{}:project:{}:",
                        organization.to_lowercase(),
                        project.to_lowercase()
                    ),
                )],
                None => vec![("sub", format!("organization:{}:", organization.to_lowercase()))],
            },
            OwnIdentity::Issuer { .. } => Vec::new(),
        }
    }
}

/// The literal text of a value that every matching string starts with (lower case), or None when the value
/// cannot be read (policy variable). For `StringEquals` the whole value; for `StringLike` the text before the
/// first wildcard, with `exact` false.
fn literal_prefix(entry: &ConditionEntry, value: &str) -> Option<(String, bool)> {
    if value.contains("${") {
        return None;
    }
    let like = matches!(
        entry.operator.base,
        OperatorBase::Text {
            mode: StringMode::Like,
            ..
        }
    );
    if like {
        let end = value.find(['*', '?']).unwrap_or(value.len());
        Some((value[..end].to_lowercase(), end == value.len()))
    } else {
        Some((value.to_lowercase(), true))
    }
}

/// Is every value of the entry confined: starts with `prefix`, or (for a prefix without a trailing
/// separator, such as an owner name) equals it exactly.
fn entry_confined(entry: &ConditionEntry, prefix: &str) -> bool {
    let string_test = matches!(
        entry.operator.base,
        OperatorBase::Text {
            mode: StringMode::Exact | StringMode::IgnoreCase | StringMode::Like,
            negated: false
        }
    );
    if !string_test || !entry.operator.is_strict_positive() || entry.values.is_empty() {
        return false;
    }
    let separated = prefix.ends_with('/') || prefix.ends_with(':');
    entry
        .values
        .iter()
        .all(|value| match literal_prefix(entry, value) {
            Some((literal, exact)) if separated => {
                literal.starts_with(prefix) && (exact || literal.len() >= prefix.len())
            }
            Some((literal, exact)) => exact && literal == prefix,
            None => false,
        })
}

/// The own identity a federated grant is confined to, if its conditions prove it. `provider` is the
/// principal text (`arn:…:oidc-provider/HOST`, possibly a symbolic reference from the sources); SAML and
/// built-in web identity providers are never own.
///
/// A claim key `HOST:claim` is carried only by a request through the provider whose URL is HOST, so a strict
/// positive test of it proves which provider the request came through even when the principal's ARN is known
/// only after apply: without that provider the key is absent and the test fails.
pub(crate) fn own_identity<'b>(
    provider: &str,
    conditions: &[ConditionEntry],
    boundary: &'b Boundary,
) -> Option<&'b OwnIdentity> {
    if provider.contains(":saml-provider/") {
        return None;
    }
    let provider_host = provider
        .split_once(":oidc-provider/")
        .map(|(_, host)| normalize_issuer(host));
    let proves_issuer = |issuer: &str| {
        provider_host.as_deref() == Some(issuer)
            || conditions.iter().any(|entry| {
                entry.operator.is_strict_positive()
                    && entry
                        .key
                        .strip_prefix(issuer)
                        .is_some_and(|rest| rest.starts_with(':') && !rest[1..].contains(['/', ':']))
            })
    };
    for identity in &boundary.federated {
        let issuer = identity.issuer_host();
        if matches!(identity, OwnIdentity::Issuer { .. }) {
            if proves_issuer(issuer) {
                return Some(identity);
            }
            continue;
        }
        let confined = identity.confining().iter().any(|(claim, prefix)| {
            let key = format!("{issuer}:{claim}");
            conditions
                .iter()
                .any(|entry| entry.key == key && entry_confined(entry, prefix))
        });
        if confined {
            return Some(identity);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Operator;

    fn entry(op: &str, key: &str, values: &[&str]) -> ConditionEntry {
        ConditionEntry {
            operator: Operator::parse(op),
            key: key.to_lowercase(),
            key_text: key.to_string(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn boundary(identities: Vec<OwnIdentity>) -> Boundary {
        Boundary {
            federated: identities,
            ..Boundary::default()
        }
    }

    const GH: &str = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";

    #[test]
    fn github_subjects_confined_only_by_an_owner_prefix() {
        let b = boundary(vec![OwnIdentity::github("acme").unwrap()]);
        let sub = "token.actions.githubusercontent.com:sub";
        let inside = |op: &str, values: &[&str]| own_identity(GH, &[entry(op, sub, values)], &b).is_some();
        assert!(inside("StringLike", &["repo:acme/*"]));
        assert!(inside("StringLike", &["repo:acme/infra:ref:refs/heads/main"]));
        assert!(inside("StringEquals", &["repo:Acme/infra:environment:prod"]));
        assert!(inside("StringLike", &["repo:acme/a:*", "repo:acme/b:*"]));
        assert!(!inside("StringLike", &["repo:acme*"]));
        assert!(!inside("StringLike", &["repo:acme/*", "repo:other/*"]));
        assert!(!inside("StringLike", &["*"]));
        assert!(!inside("StringLike", &["repo:*/infra:*"]));
        assert!(!inside("StringEquals", &["repo:acme"]));
        assert!(!inside("StringLikeIfExists", &["repo:acme/*"]));
        assert!(!inside("ForAllValues:StringLike", &["repo:acme/*"]));
        assert!(!inside("StringNotLike", &["repo:acme/*"]));
        assert!(!inside("StringLike", &["repo:${aws:username}/*"]));
        // No sub condition at all.
        assert!(own_identity(GH, &[], &b).is_none());
        // The owner claim.
        let owner = [entry(
            "StringEquals",
            "token.actions.githubusercontent.com:repository_owner",
            &["acme"],
        )];
        assert!(own_identity(GH, &owner, &b).is_some());
        let owner_like = [entry(
            "StringLike",
            "token.actions.githubusercontent.com:repository_owner",
            &["acme*"],
        )];
        assert!(own_identity(GH, &owner_like, &b).is_none());
        // A symbolic provider ARN (known after apply): the claim key names the provider.
        assert!(
            own_identity(
                "${aws_iam_openid_connect_provider.gh.arn}",
                &[entry("StringLike", sub, &["repo:acme/*"])],
                &b
            )
            .is_some()
        );
        let ghes = "arn:aws:iam::111111111111:oidc-provider/ghe.example.com/_services/token";
        let b = boundary(vec![OwnIdentity::github("ghe.example.com/acme").unwrap()]);
        let ghes_sub = "ghe.example.com/_services/token:sub";
        assert!(own_identity(ghes, &[entry("StringLike", ghes_sub, &["repo:acme/*"])], &b).is_some());
    }

    #[test]
    fn gitlab_terraform_bitbucket_and_issuers() {
        let b = boundary(vec![
            OwnIdentity::gitlab("gitlab.example.com/platform").unwrap(),
            OwnIdentity::terraform("acme-corp/infra").unwrap(),
            OwnIdentity::bitbucket("acme").unwrap(),
            OwnIdentity::issuer("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC", "EKS cluster x").unwrap(),
        ]);
        let gl = "arn:aws:iam::1:oidc-provider/gitlab.example.com";
        let gl_sub = "gitlab.example.com:sub";
        assert!(
            own_identity(
                gl,
                &[entry("StringLike", gl_sub, &["project_path:platform/*"])],
                &b
            )
            .is_some()
        );
        assert!(
            own_identity(
                gl,
                &[entry("StringLike", gl_sub, &["project_path:platform*"])],
                &b
            )
            .is_none()
        );
        let tfc = "arn:aws:iam::1:oidc-provider/app.terraform.io";
        let tfc_sub = "app.terraform.io:sub";
        let pinned = "organization:acme-corp:project:infra:workspace:*:run_phase:*";
        assert!(own_identity(tfc, &[entry("StringLike", tfc_sub, &[pinned])], &b).is_some());
        let other_project = "organization:acme-corp:project:*";
        assert!(own_identity(tfc, &[entry("StringLike", tfc_sub, &[other_project])], &b).is_none());
        let any_org = "organization:*:project:infra:workspace:*:run_phase:*";
        assert!(own_identity(tfc, &[entry("StringLike", tfc_sub, &[any_org])], &b).is_none());
        let bb = "arn:aws:iam::1:oidc-provider/api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc";
        assert!(own_identity(bb, &[], &b).is_some());
        let eks = "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC";
        assert!(own_identity(eks, &[], &b).is_some());
        let other_eks = "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/DEF";
        assert!(own_identity(other_eks, &[], &b).is_none());
        // The issuer proven by a claim key of an unknown provider ARN.
        let aud = [entry(
            "StringEquals",
            "oidc.eks.eu-west-1.amazonaws.com/id/abc:aud",
            &["sts.amazonaws.com"],
        )];
        assert!(own_identity("${x.arn}", &aud, &b).is_some());
        let weak = [entry(
            "StringEqualsIfExists",
            "oidc.eks.eu-west-1.amazonaws.com/id/abc:aud",
            &["sts.amazonaws.com"],
        )];
        assert!(own_identity("${x.arn}", &weak, &b).is_none());
        assert!(own_identity("arn:aws:iam::1:saml-provider/okta", &[], &b).is_none());
    }

    #[test]
    fn declarations_are_validated() {
        assert!(OwnIdentity::github("acme/infra").is_err());
        assert!(OwnIdentity::github("").is_err());
        assert!(OwnIdentity::gitlab("gitlab.com/a/b").is_ok());
        assert!(OwnIdentity::terraform("a/b/c/d").is_err());
        assert!(OwnIdentity::terraform("tfe.example.com/acme").is_ok());
        assert!(OwnIdentity::issuer("not a url", "x").is_err());
    }
}
