//! HCL sources behind a plan: where each resource is written (file and line), the `# trustgate:` comment
//! annotations above resources and statements, and (later) policies the plan only knows after apply.
//!
//! Annotation precedence, strongest first: an `exception` in the config file, a comment above the statement
//! that creates the widening, a comment above the resource block, the resource's tags. Comments and tags
//! count only while `annotations { inline = true }` (the default).

pub mod arns;
pub mod comments;
pub mod diff;
pub mod eks;
pub mod eval;
pub mod functions;
pub mod index;
pub mod json_syntax;
mod locals;
pub mod overrides;
pub use crate::nesting;
pub mod provenance;
pub mod providers;
pub mod variables;

pub use comments::CommentAnnotation;
pub use index::{PreparedIndex, ResourceEntry, SourceIndex, StatementEntry};

use std::path::Path;

/// Whether `dir` holds at least one `.tf` file (the default source directory is the current one when so).
pub fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
    })
}

use std::collections::BTreeMap;

use crate::extract::{GrantFields, PolicySite, PolicyValue};
use crate::plan::Plan;

pub use eval::{Evaluator, Resolved};

/// What the sources add to one check: the index, and the policies evaluated from source.
#[derive(Debug, Default)]
pub struct Sources {
    pub index: SourceIndex,
    /// (site address, attribute) → the policy evaluated from source, for sites the plan only knows after
    /// apply. Present also when the result was not used (see `used`).
    pub resolved: BTreeMap<(String, String), Resolution>,
    /// Every policy comes from the sources (`trustgate diff`, no plan).
    pub all_from_source: bool,
    /// The account each managed resource lives in (from the plan's provider configurations).
    pub accounts: providers::ResourceAccounts,
    /// References that stand for the OIDC issuer of an EKS cluster of this configuration.
    pub issuers: eks::ClusterIssuers,
    /// ARNs known only after apply that the plan determines (roles and users with known names).
    pub arns: arns::PredictedArns,
}

/// A reference that stands for an EKS cluster's OIDC issuer (see `eks`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterIssuer {
    /// The ARN of an IAM OIDC provider for the issuer (false: the issuer text itself).
    pub provider_arn: bool,
    /// Configuration address of the cluster, with its module path (`module.eks.aws_eks_cluster.this`).
    pub cluster: String,
    /// Account of the cluster, then of the OIDC provider when the reference goes through one; `None` when
    /// not known offline (`source::providers::CALLER` for the default provider's undetected caller).
    pub accounts: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub resolved: Resolved,
    /// False when the evaluated policy could not be used soundly (a Deny statement depends on something
    /// unknown): the site stays unverifiable, and its finding names the unresolved references.
    pub used: bool,
}

impl Sources {
    /// Reads the sources in `dir` for `plan`.
    pub fn load(dir: &Path, plan: &Plan<'_>) -> Sources {
        Sources::tie(SourceIndex::prepare(dir), plan)
    }

    /// The sources of `plan`, from files read before the plan was known (`SourceIndex::prepare`).
    pub fn tie(prepared: PreparedIndex, plan: &Plan<'_>) -> Sources {
        let index = prepared.tie(plan.configuration);
        let issuers = eks::ClusterIssuers::from_index(&index);
        Sources {
            index,
            resolved: BTreeMap::new(),
            all_from_source: false,
            accounts: providers::ResourceAccounts::from_plan(plan),
            issuers,
            arns: arns::PredictedArns::from_plan(plan),
        }
    }

    /// Evaluates from source every policy the plan only knows after apply, and puts what it finds in place
    /// of the unknown (when sound).
    pub fn resolve_unknown(&mut self, sites: &mut [PolicySite], plan: &Plan<'_>) {
        if !sites.iter().any(|s| s.after == PolicyValue::Unknown) {
            return;
        }
        let evaluator = Evaluator::new(&self.index, Some(plan));
        for site in sites.iter_mut().filter(|s| s.after == PolicyValue::Unknown) {
            if let Some(grant) = &site.grant {
                // A grant's attribute names a field, not a policy: the fields known only after apply are
                // evaluated one by one into the grant's holes.
                if let Some(resolved) = resolve_grant(&evaluator, site, grant) {
                    site.after = PolicyValue::Known(resolved.policy.clone());
                    self.resolved.insert(
                        (site.address.clone(), site.attribute.clone()),
                        Resolution { resolved, used: true },
                    );
                }
                continue;
            }
            let Some(resolved) = evaluator.resolve(&site.module_address, &site.address, &site.attribute)
            else {
                // `var.create_policy ? null : var.policy` with a known condition: the argument is left
                // unset, as if not written (see `extract::not_configured`), so this change sets no policy.
                if evaluator.is_null(&site.module_address, &site.address, &site.attribute) {
                    site.after = PolicyValue::Absent;
                }
                continue;
            };
            // Holes (Deny statements with unknowns included) are decided by `analysis::symbolic`.
            let used = resolved.valid_json;
            if used {
                site.after = PolicyValue::Known(resolved.policy.clone());
            }
            self.resolved.insert(
                (site.address.clone(), site.attribute.clone()),
                Resolution { resolved, used },
            );
        }
    }

    /// The resolution of one site, if the sources evaluated it.
    pub fn resolution(&self, address: &str, attribute: &str) -> Option<&Resolution> {
        self.resolved.get(&(address.to_string(), attribute.to_string()))
    }

    /// Whether `reference` (`aws_iam_role.ci.arn`, `module.a["k"].aws_iam_role.x[0].arn`: symbols name
    /// absolute addresses) is the ARN of a resource managed in this configuration.
    pub fn is_managed_arn(&self, reference: &str) -> bool {
        self.managed_location(reference).is_some()
    }

    /// The resource part of the ARN `reference` stands for (`role/path/name`), when it is a resource of this
    /// configuration that the plan determines it for (see `arns`).
    pub fn predicted_arn(&self, reference: &str) -> Option<&str> {
        self.managed_location(reference)?;
        self.arns.resource_part(reference)
    }

    /// The account of the resource whose ARN `reference` is, when it is managed in this configuration:
    /// `Some(None)` when managed but through a provider whose account is not known offline.
    pub fn managed_arn_account(&self, reference: &str) -> Option<Option<&str>> {
        let (path, address) = self.managed_location(reference)?;
        Some(self.accounts.account(&path, &address).flatten())
    }

    /// When `symbol` (in a policy of the module instance `site_module`) stands for the OIDC issuer of an EKS
    /// cluster of this configuration, or the ARN of an IAM OIDC provider for it: the cluster's address and
    /// the accounts of the cluster (and provider) as `source::providers` knows them (`None`: unknown).
    pub fn cluster_issuer(&self, site_module: &str, symbol: &str) -> Option<ClusterIssuer> {
        let site_path = crate::extract::module_call_path(site_module)?;
        let reference = self.issuers.reference(&site_path, symbol)?;
        let address = |(path, local): &(Vec<String>, String)| {
            let mut text: String = path.iter().map(|m| format!("module.{m}.")).collect();
            text.push_str(local);
            text
        };
        let mut accounts = vec![
            self.accounts
                .account(&reference.cluster.0, &reference.cluster.1)
                .flatten(),
        ];
        if let Some((path, provider)) = &reference.provider {
            accounts.push(self.accounts.account(path, provider).flatten());
        }
        Some(ClusterIssuer {
            provider_arn: reference.provider_arn,
            cluster: address(&reference.cluster),
            accounts: accounts.into_iter().map(|a| a.map(str::to_string)).collect(),
        })
    }

    fn managed_location(&self, reference: &str) -> Option<(Vec<String>, String)> {
        let rest = reference.strip_suffix(".arn")?;
        let (module_address, local) = eval::split_module_address(rest)?;
        let path = crate::extract::module_call_path(&module_address)?;
        let module = self.index.modules.get(&path)?;
        let config_address = local.split('[').next().unwrap_or(local);
        (!config_address.starts_with("data.") && module.resources.contains_key(config_address))
            .then(|| (path, config_address.to_string()))
    }
}

/// A grant whose fields known only after apply are holes (`GrantFields`): each hole whose field the sources
/// evaluate to a text with references (`${aws_iam_role.lambda.arn}`, `arn:aws:iam::${var.peer}:root`) is
/// replaced by that text. None when no field evaluates so (the grant stays unknown, decided from its holes).
/// An evaluated text without references is not used: the plan would have known it, so the evaluation and
/// terraform disagree.
fn resolve_grant(evaluator: &Evaluator<'_, '_>, site: &PolicySite, grant: &GrantFields) -> Option<Resolved> {
    let mut document: serde_json::Value = serde_json::from_str(&grant.template).ok()?;
    let mut replaced = false;
    for (field, symbol) in &grant.holes {
        let Some(value) = evaluator.resolve(&site.module_address, &site.address, field) else {
            continue;
        };
        let text = value.policy.trim();
        let usable = !value.symbols.is_empty()
            && (crate::symbol::whole_symbol(text).is_some() || text.starts_with("arn:"));
        if !usable {
            continue;
        }
        let hole = format!("${{{symbol}}}");
        replace_strings(&mut document, &hole, text);
        replaced = true;
    }
    if !replaced {
        return None;
    }
    let policy = document.to_string();
    Some(Resolved {
        symbols: eval::symbols_in(&policy),
        policy,
        valid_json: true,
    })
}

/// Replaces every string (values and object keys' values, not keys) equal to `from` by `to`.
fn replace_strings(value: &mut serde_json::Value, from: &str, to: &str) {
    match value {
        serde_json::Value::String(text) if text == from => *text = to.to_string(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, from, to)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| replace_strings(v, from, to)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managed_arns_are_recognised_by_absolute_address() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("m")).unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            "resource \"aws_iam_role\" \"ci\" {}\ndata \"aws_iam_role\" \"ext\" {}\nmodule \"m\" {\n  source = \"./m\"\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("m/main.tf"),
            "resource \"aws_iam_role\" \"inner\" {}\n",
        )
        .unwrap();
        let sources = Sources {
            index: SourceIndex::load(dir.path(), None),
            ..Sources::default()
        };
        assert!(sources.is_managed_arn("aws_iam_role.ci.arn"));
        assert!(sources.is_managed_arn("aws_iam_role.ci[0].arn"));
        assert!(sources.is_managed_arn("module.m[\"k\"].aws_iam_role.inner.arn"));
        assert!(!sources.is_managed_arn("module.m.aws_iam_role.ci.arn"));
        assert!(!sources.is_managed_arn("aws_iam_role.ci.name"));
        assert!(!sources.is_managed_arn("data.aws_iam_role.ext.arn"));
        assert!(!sources.is_managed_arn("var.role_arn"));
        assert!(!sources.is_managed_arn("aws_iam_role.other.arn"));
    }
}
