//! EKS clusters of this configuration whose OIDC issuer a trust policy uses before it is known: which
//! references stand for a cluster's issuer (`aws_eks_cluster.C.identity[0].oidc[0].issuer`, a local that is
//! that value with `https://` removed, the `url` of an `aws_iam_openid_connect_provider` set to it) and which
//! for the ARN of an IAM OIDC provider for that issuer.
//!
//! Only exact shapes count, read from the HCL syntax (not from the plan's `references`, which list what an
//! expression mentions, not what it computes): the traversal itself, `replace(ISSUER, "https://", "")`,
//! `trimprefix(ISSUER, "https://")`. Whether the cluster is own (its provider's account inside the boundary)
//! is for the judge to decide; this module only says which cluster a reference stands for.

use std::collections::BTreeMap;

use hcl::{Body, Expression, TraversalOperator};

use super::index::SourceIndex;

/// What a reference stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerReference {
    /// The ARN of an IAM OIDC provider whose URL is the cluster's issuer (false: the issuer text).
    pub provider_arn: bool,
    /// Module call path and configuration address of the cluster (`aws_eks_cluster.main`).
    pub cluster: (Vec<String>, String),
    /// Module call path and configuration address of the IAM OIDC provider, when the reference goes
    /// through one.
    pub provider: Option<(Vec<String>, String)>,
}

/// Per module call path: local name → cluster address; OIDC provider address → cluster address.
#[derive(Debug, Default, Clone)]
pub struct ClusterIssuers {
    locals: BTreeMap<(Vec<String>, String), String>,
    providers: BTreeMap<(Vec<String>, String), String>,
    clusters: BTreeMap<Vec<String>, Vec<String>>,
}

impl ClusterIssuers {
    pub fn from_index(index: &SourceIndex) -> ClusterIssuers {
        ClusterIssuers::read(index).0
    }

    /// For `trustgate diff` (no plan, so no provider configurations' accounts): only the clusters and IAM
    /// OIDC providers that use the default `aws` provider, with no `provider` argument on their block and no
    /// `providers` argument on any module call above them. They share the provider configuration, and so the
    /// account, that `diff` takes every resource of the configuration to be in; a cluster through a provider
    /// alias may be in any account and is left out.
    pub fn from_index_default_provider(index: &SourceIndex) -> ClusterIssuers {
        let (mut out, aliased) = ClusterIssuers::read(index);
        let inherits = |path: &[String]| {
            (0..path.len()).all(|depth| {
                !aliased
                    .calls
                    .contains(&(path[..depth].to_vec(), path[depth].clone()))
            })
        };
        out.clusters.retain(|path, list| {
            list.retain(|cluster| !aliased.resources.contains(&(path.clone(), cluster.clone())));
            inherits(path) && !list.is_empty()
        });
        out.providers.retain(|(path, provider), _| {
            inherits(path) && !aliased.resources.contains(&(path.clone(), provider.clone()))
        });
        out
    }

    fn read(index: &SourceIndex) -> (ClusterIssuers, Aliased) {
        let mut out = ClusterIssuers::default();
        let mut aliased = Aliased::default();
        // Terraform rejects a configuration with an object defined twice: neither definition of a local or
        // provider may say what a reference stands for.
        if !index.conflicts().is_empty() {
            return (out, aliased);
        }
        for (path, module) in &index.modules {
            for file in module.files.iter().filter(|f| f.parsed) {
                let Ok(body) = hcl::parse(&file.text) else {
                    continue;
                };
                aliased.read_body(path, &body);
            }
        }
        for (path, module) in &index.modules {
            if !module.resources.keys().any(|a| a.starts_with("aws_eks_cluster.")) {
                continue;
            }
            out.clusters.insert(
                path.clone(),
                module
                    .resources
                    .keys()
                    .filter(|a| a.starts_with("aws_eks_cluster."))
                    .cloned()
                    .collect(),
            );
            for file in module.files.iter().filter(|f| f.parsed) {
                let Ok(body) = hcl::parse(&file.text) else {
                    continue;
                };
                out.read_body(path, &body);
            }
        }
        (out, aliased)
    }

    fn read_body(&mut self, path: &[String], body: &Body) {
        for block in body.blocks() {
            match (block.identifier(), block.labels.as_slice()) {
                ("locals", []) => {
                    for attribute in block.body.attributes() {
                        if let Some(cluster) = issuer_of(&attribute.expr) {
                            self.locals
                                .insert((path.to_vec(), attribute.key.as_str().to_string()), cluster);
                        }
                    }
                }
                ("resource", [kind, name]) if kind.as_str() == "aws_iam_openid_connect_provider" => {
                    let url = block.body.attributes().find(|a| a.key.as_str() == "url");
                    if let Some(cluster) = url.and_then(|a| issuer_of(&a.expr)) {
                        self.providers.insert(
                            (
                                path.to_vec(),
                                format!("aws_iam_openid_connect_provider.{}", name.as_str()),
                            ),
                            cluster,
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// What the reference `symbol` (as the evaluator writes it: `local.issuer` for a local of the site's
    /// module `site_path`, absolute addresses for resources) stands for, if a cluster issuer.
    pub fn reference(&self, site_path: &[String], symbol: &str) -> Option<IssuerReference> {
        let known = |path: &[String], cluster: &str| {
            self.clusters
                .get(path)
                .is_some_and(|list| list.iter().any(|c| c == cluster))
        };
        if let Some(local) = symbol.strip_prefix("local.") {
            let cluster = self.locals.get(&(site_path.to_vec(), local.to_string()))?;
            return known(site_path, cluster).then(|| IssuerReference {
                provider_arn: false,
                cluster: (site_path.to_vec(), cluster.clone()),
                provider: None,
            });
        }
        let (module_address, local) = super::eval::split_module_address(symbol)?;
        let path = crate::extract::module_call_path(&module_address)?;
        let mut parts = local.splitn(3, '.');
        let (kind, name, rest) = (parts.next()?, parts.next()?, parts.next()?);
        let name = strip_key(name)?;
        match kind {
            "aws_eks_cluster" => {
                let cluster = format!("aws_eks_cluster.{name}");
                (rest == "identity[0].oidc[0].issuer" && known(&path, &cluster)).then(|| IssuerReference {
                    provider_arn: false,
                    cluster: (path.clone(), cluster),
                    provider: None,
                })
            }
            "aws_iam_openid_connect_provider" if rest == "arn" || rest == "url" => {
                let provider = format!("aws_iam_openid_connect_provider.{name}");
                let cluster = self.providers.get(&(path.clone(), provider.clone()))?;
                known(&path, cluster).then(|| IssuerReference {
                    provider_arn: rest == "arn",
                    cluster: (path.clone(), cluster.clone()),
                    provider: Some((path.clone(), provider)),
                })
            }
            _ => None,
        }
    }
}

/// Blocks that choose a provider configuration other than the default one.
#[derive(Debug, Default)]
struct Aliased {
    /// (module path, `type.name`) of resources with a `provider` argument.
    resources: std::collections::BTreeSet<(Vec<String>, String)>,
    /// (module path, call name) of module calls with a `providers` argument.
    calls: std::collections::BTreeSet<(Vec<String>, String)>,
}

impl Aliased {
    fn read_body(&mut self, path: &[String], body: &Body) {
        let has = |block: &hcl::Block, name: &str| block.body.attributes().any(|a| a.key.as_str() == name);
        for block in body.blocks() {
            match (block.identifier(), block.labels.as_slice()) {
                ("resource", [kind, name]) if has(block, "provider") => {
                    self.resources
                        .insert((path.to_vec(), format!("{}.{}", kind.as_str(), name.as_str())));
                }
                ("module", [name]) if has(block, "providers") => {
                    self.calls.insert((path.to_vec(), name.as_str().to_string()));
                }
                _ => {}
            }
        }
    }
}

/// `name`, `name[0]`, `name["k"]` → `name` (every instance of one configuration block has its provider).
fn strip_key(name: &str) -> Option<&str> {
    match name.find('[') {
        Some(at) if name.ends_with(']') => Some(&name[..at]),
        Some(_) => None,
        None => Some(name),
    }
}

/// The cluster (`aws_eks_cluster.NAME`) whose issuer `expr` is exactly, with or without `https://`.
fn issuer_of(expr: &Expression) -> Option<String> {
    match expr {
        Expression::Parenthesis(inner) => issuer_of(inner),
        Expression::Traversal(traversal) => {
            let Expression::Variable(root) = &traversal.expr else {
                return None;
            };
            if root.as_str() != "aws_eks_cluster" {
                return None;
            }
            let ops = traversal.operators.as_slice();
            let (name, rest) = match ops {
                [TraversalOperator::GetAttr(name), rest @ ..] => (name, rest),
                _ => return None,
            };
            // An optional instance key of the cluster, then exactly identity[0].oidc[0].issuer.
            let rest = match rest {
                [
                    TraversalOperator::Index(Expression::Number(_) | Expression::String(_)),
                    rest @ ..,
                ]
                | [TraversalOperator::LegacyIndex(_), rest @ ..] => rest,
                rest => rest,
            };
            let zero = |op: &TraversalOperator| match op {
                TraversalOperator::Index(Expression::Number(n)) => n.as_u64() == Some(0),
                TraversalOperator::LegacyIndex(0) => true,
                _ => false,
            };
            let attr = |op: &TraversalOperator, want: &str| matches!(op, TraversalOperator::GetAttr(a) if a.as_str() == want);
            match rest {
                [identity, i0, oidc, o0, issuer]
                    if attr(identity, "identity")
                        && zero(i0)
                        && attr(oidc, "oidc")
                        && zero(o0)
                        && attr(issuer, "issuer") =>
                {
                    Some(format!("aws_eks_cluster.{}", name.as_str()))
                }
                _ => None,
            }
        }
        Expression::FuncCall(call) if call.name.namespace.is_empty() && !call.expand_final => {
            let scheme = |e: &Expression| matches!(e, Expression::String(s) if s == "https://");
            let empty = |e: &Expression| matches!(e, Expression::String(s) if s.is_empty());
            match (call.name.name.as_str(), call.args.as_slice()) {
                ("replace", [value, from, to]) if scheme(from) && empty(to) => issuer_of(value),
                ("trimprefix", [value, prefix]) if scheme(prefix) => issuer_of(value),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuers(main: &str) -> ClusterIssuers {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), main).unwrap();
        ClusterIssuers::from_index(&SourceIndex::load(dir.path(), None))
    }

    const CLUSTER: &str = "resource \"aws_eks_cluster\" \"main\" {\n  name = \"main\"\n}\n";

    /// `diff` keeps only the clusters and providers of the default provider: not those with a `provider`
    /// argument, nor anything in a module called with `providers`.
    #[test]
    fn without_a_plan_only_default_provider_clusters_count() {
        let dir = tempfile::tempdir().unwrap();
        let eks = "resource \"aws_eks_cluster\" \"main\" {\n  name = \"main\"\n}\n\
                   resource \"aws_eks_cluster\" \"aliased\" {\n  provider = aws.other\n  name = \"a\"\n}\n\
                   resource \"aws_iam_openid_connect_provider\" \"main\" {\n  url = aws_eks_cluster.main.identity[0].oidc[0].issuer\n}\n\
                   resource \"aws_iam_openid_connect_provider\" \"aliased\" {\n  provider = aws.other\n  url = aws_eks_cluster.main.identity[0].oidc[0].issuer\n}\n";
        std::fs::write(dir.path().join("main.tf"), eks).unwrap();
        std::fs::create_dir_all(dir.path().join("m")).unwrap();
        std::fs::write(dir.path().join("m/main.tf"), eks).unwrap();
        let calls = "module \"plain\" {\n  source = \"./m\"\n}\n\
                     module \"moved\" {\n  source = \"./m\"\n  providers = { aws = aws.other }\n}\n";
        std::fs::write(dir.path().join("calls.tf"), calls).unwrap();
        let index = SourceIndex::load(dir.path(), None);
        let all = ClusterIssuers::from_index(&index);
        let own = ClusterIssuers::from_index_default_provider(&index);
        let issuer = "aws_eks_cluster.main.identity[0].oidc[0].issuer";
        let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        for (site, prefix) in [(path(&[]), ""), (path(&["plain"]), "module.plain.")] {
            let found =
                |i: &ClusterIssuers, symbol: &str| i.reference(&site, &format!("{prefix}{symbol}")).is_some();
            assert!(found(&all, issuer) && found(&own, issuer));
            assert!(found(&all, "aws_eks_cluster.aliased.identity[0].oidc[0].issuer"));
            assert!(!found(&own, "aws_eks_cluster.aliased.identity[0].oidc[0].issuer"));
            assert!(found(&own, "aws_iam_openid_connect_provider.main.arn"));
            assert!(found(&all, "aws_iam_openid_connect_provider.aliased.arn"));
            assert!(!found(&own, "aws_iam_openid_connect_provider.aliased.arn"));
        }
        let moved = path(&["moved"]);
        let found = |i: &ClusterIssuers| i.reference(&moved, &format!("module.moved.{issuer}")).is_some();
        assert!(found(&all));
        assert!(!found(&own));
    }

    #[test]
    fn only_the_exact_issuer_shapes_stand_for_the_cluster_issuer() {
        let text = format!(
            "{CLUSTER}
locals {{
  issuer   = replace(aws_eks_cluster.main.identity[0].oidc[0].issuer, \"https://\", \"\")
  trimmed  = trimprefix(aws_eks_cluster.main.identity[0].oidc[0].issuer, \"https://\")
  other    = \"https://evil.example/${{aws_eks_cluster.main.identity[0].oidc[0].issuer}}\"
  replaced = replace(aws_eks_cluster.main.identity[0].oidc[0].issuer, \"oidc\", \"evil\")
  name     = aws_eks_cluster.main.name
  ghost    = aws_eks_cluster.ghost.identity[0].oidc[0].issuer
}}
resource \"aws_iam_openid_connect_provider\" \"cluster\" {{
  url = aws_eks_cluster.main.identity[0].oidc[0].issuer
}}
resource \"aws_iam_openid_connect_provider\" \"templated\" {{
  url = \"${{aws_eks_cluster.main.identity[0].oidc[0].issuer}}\"
}}
resource \"aws_iam_openid_connect_provider\" \"var\" {{
  url = var.issuer
}}
"
        );
        let i = issuers(&text);
        let root: Vec<String> = Vec::new();
        let cluster = (root.clone(), "aws_eks_cluster.main".to_string());
        let text_of = |symbol: &str| i.reference(&root, symbol);
        for symbol in [
            "local.issuer",
            "local.trimmed",
            "aws_eks_cluster.main.identity[0].oidc[0].issuer",
        ] {
            let r = text_of(symbol).unwrap_or_else(|| panic!("{symbol}"));
            assert_eq!(r.cluster, cluster);
            assert!(!r.provider_arn);
        }
        let arn = text_of("aws_iam_openid_connect_provider.cluster.arn").unwrap();
        assert!(arn.provider_arn);
        assert_eq!(arn.cluster, cluster);
        assert!(
            !text_of("aws_iam_openid_connect_provider.cluster.url")
                .unwrap()
                .provider_arn
        );
        assert!(text_of("aws_iam_openid_connect_provider.cluster[0].arn").is_some());
        // Anything else is not the issuer: other text around it, another replacement, another attribute,
        // an undeclared cluster, a variable, a template (not read as the bare value), another module.
        for symbol in [
            "local.other",
            "local.replaced",
            "local.name",
            "local.ghost",
            "local.missing",
            "aws_eks_cluster.main.name",
            "aws_eks_cluster.main.arn",
            "aws_iam_openid_connect_provider.var.arn",
            "aws_iam_openid_connect_provider.templated.arn",
            "aws_iam_openid_connect_provider.cluster.id",
            "module.m.aws_iam_openid_connect_provider.cluster.arn",
            "var.issuer",
        ] {
            assert_eq!(text_of(symbol), None, "{symbol}");
        }
        // A local of another module is not this module's.
        assert_eq!(i.reference(&["m".to_string()], "local.issuer"), None);
    }

    #[test]
    fn a_configuration_terraform_rejects_has_no_issuers() {
        let issuer = "locals {\n  issuer = replace(aws_eks_cluster.main.identity[0].oidc[0].issuer, \"https://\", \"\")\n}\n";
        let root: Vec<String> = Vec::new();
        assert!(
            issuers(&format!("{CLUSTER}{issuer}"))
                .reference(&root, "local.issuer")
                .is_some()
        );
        let twice = format!("{CLUSTER}{issuer}locals {{\n  issuer = \"evil.example\"\n}}\n");
        assert_eq!(issuers(&twice).reference(&root, "local.issuer"), None);
    }
}
