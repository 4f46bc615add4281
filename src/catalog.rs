//! The catalog of AWS resource types that carry trust or resource policies, loaded from the HCL files in
//! `policies/` (embedded in the binary; readable and overridable by users).
//!
//! INTERFACE CONTRACT: `Catalog::builtin`, `Catalog::len`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use hcl::{Block, Body, Expression, Structure};

use crate::analysis::PolicyRole;
use crate::error::{Error, Result};

/// The built-in catalog source, compiled into the binary.
pub const BUILTIN_CATALOG_HCL: &str = include_str!("../policies/catalog.hcl");
const BUILTIN_CATALOG_NAME: &str = "<builtin>/policies/catalog.hcl";

#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Arc<HashMap<String, CatalogEntry>>,
}

/// Everything the catalog says about one resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub resource_type: String,
    pub attributes: Vec<PolicyAttribute>,
}

/// One policy-bearing attribute (or field-based grant) of a resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyAttribute {
    pub path: AttributePath,
    pub role: PolicyRole,
    /// Action prefix the policy governs (`sts`, `s3`, …; `*` for any).
    pub service: String,
    pub source: PolicySource,
    /// `presence = "optional"`: an optional, computed attribute, which a resource that does not set it in
    /// its configuration gets from AWS (or from a separate policy resource), so an unknown value there is
    /// absent. Required attributes (the default) are never absent: unknown stays unverifiable.
    pub optional: bool,
    /// `also_in = "<type>.<attribute>"` with `by = "<argument>"`: this resource writes the same policy as that
    /// attribute of the resource its argument `by` names (`aws_sns_topic_policy` and its topic's `policy`).
    pub shared: Option<SharedPolicy>,
}

/// Another resource's attribute that holds the same real policy (see `PolicyAttribute::shared`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedPolicy {
    pub resource_type: String,
    pub attribute: String,
    /// The argument of this resource that names the other one (`arn`, `queue_url`, `bucket`).
    pub by: String,
}

/// How the policy is written in the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicySource {
    /// The attribute holds IAM policy JSON text.
    IamJson,
    /// `aws_opensearchserverless_access_policy`: a JSON list of rules, converted to IAM statements.
    OpenSearchServerless,
    /// Fields of the resource that together make a grant; converted to IAM policy JSON.
    Grant(GrantConverter),
    /// A CloudFormation template (JSON or YAML text): each of its resources is read with the catalog's
    /// `AWS::…` entries.
    CloudFormationTemplate,
    /// `aws_cloudcontrolapi_resource.desired_state`: the properties of one resource of type `type_name`.
    CloudControl,
}

/// The converters for grants written as fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrantConverter {
    LambdaPermission,
    LambdaLayerVersionPermission,
    LambdaFunctionUrl,
    CloudwatchEventPermission,
    RamPrincipalAssociation,
    VpcEndpointServiceAllowedPrincipal,
    VpcEndpointService,
    KmsGrant,
    AmiLaunchPermission,
    SnapshotCreateVolumePermission,
    DbSnapshotSharedAccounts,
    EksAccessEntry,
    SsmDocumentShare,
    ServicecatalogPortfolioShare,
    S3BucketAcl,
    S3PublicAccessBlock,
    LakeformationPermissions,
    OrganizationsDelegatedAdministrator,
    SignerProfilePermission,
    Route53VpcAssociationAuthorization,
    RamResourceShareExternal,
}

impl GrantConverter {
    pub const ALL: [GrantConverter; 21] = [
        GrantConverter::LambdaPermission,
        GrantConverter::LambdaLayerVersionPermission,
        GrantConverter::LambdaFunctionUrl,
        GrantConverter::CloudwatchEventPermission,
        GrantConverter::RamPrincipalAssociation,
        GrantConverter::VpcEndpointServiceAllowedPrincipal,
        GrantConverter::VpcEndpointService,
        GrantConverter::KmsGrant,
        GrantConverter::AmiLaunchPermission,
        GrantConverter::SnapshotCreateVolumePermission,
        GrantConverter::DbSnapshotSharedAccounts,
        GrantConverter::EksAccessEntry,
        GrantConverter::SsmDocumentShare,
        GrantConverter::ServicecatalogPortfolioShare,
        GrantConverter::S3BucketAcl,
        GrantConverter::S3PublicAccessBlock,
        GrantConverter::LakeformationPermissions,
        GrantConverter::OrganizationsDelegatedAdministrator,
        GrantConverter::SignerProfilePermission,
        GrantConverter::Route53VpcAssociationAuthorization,
        GrantConverter::RamResourceShareExternal,
    ];

    /// The name used in catalog files (`converter = "…"`).
    pub fn name(self) -> &'static str {
        match self {
            GrantConverter::LambdaPermission => "lambda_permission",
            GrantConverter::LambdaLayerVersionPermission => "lambda_layer_version_permission",
            GrantConverter::LambdaFunctionUrl => "lambda_function_url",
            GrantConverter::CloudwatchEventPermission => "cloudwatch_event_permission",
            GrantConverter::RamPrincipalAssociation => "ram_principal_association",
            GrantConverter::VpcEndpointServiceAllowedPrincipal => "vpc_endpoint_service_allowed_principal",
            GrantConverter::VpcEndpointService => "vpc_endpoint_service",
            GrantConverter::KmsGrant => "kms_grant",
            GrantConverter::AmiLaunchPermission => "ami_launch_permission",
            GrantConverter::SnapshotCreateVolumePermission => "snapshot_create_volume_permission",
            GrantConverter::DbSnapshotSharedAccounts => "db_snapshot_shared_accounts",
            GrantConverter::EksAccessEntry => "eks_access_entry",
            GrantConverter::SsmDocumentShare => "ssm_document_share",
            GrantConverter::ServicecatalogPortfolioShare => "servicecatalog_portfolio_share",
            GrantConverter::S3BucketAcl => "s3_bucket_acl",
            GrantConverter::S3PublicAccessBlock => "s3_public_access_block",
            GrantConverter::LakeformationPermissions => "lakeformation_permissions",
            GrantConverter::OrganizationsDelegatedAdministrator => "organizations_delegated_administrator",
            GrantConverter::SignerProfilePermission => "signer_profile_permission",
            GrantConverter::Route53VpcAssociationAuthorization => "route53_vpc_association_authorization",
            GrantConverter::RamResourceShareExternal => "ram_resource_share_external",
        }
    }

    fn from_name(name: &str) -> Option<GrantConverter> {
        GrantConverter::ALL
            .into_iter()
            .find(|converter| converter.name() == name)
    }
}

/// A parsed attribute path such as `inline_policy[*].policy`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttributePath {
    pub steps: Vec<PathStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathStep {
    Key(String),
    Index(usize),
    /// `[*]`: every element of a list.
    EachElement,
}

impl AttributePath {
    /// Parses `a`, `a.b`, `a[0].b`, `a[*].b`.
    pub fn parse(text: &str) -> Option<AttributePath> {
        let mut steps = Vec::new();
        for segment in text.split('.') {
            let (key, mut rest) = segment.split_at(segment.find('[').unwrap_or(segment.len()));
            if !is_identifier(key) {
                return None;
            }
            steps.push(PathStep::Key(key.to_string()));
            while !rest.is_empty() {
                let close = rest.find(']')?;
                let inside = rest.get(1..close)?;
                steps.push(match inside {
                    "*" => PathStep::EachElement,
                    digits => PathStep::Index(digits.parse().ok()?),
                });
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return None;
                }
            }
        }
        Some(AttributePath { steps })
    }
}

impl std::fmt::Display for AttributePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (position, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Key(key) if position == 0 => write!(f, "{key}")?,
                PathStep::Key(key) => write!(f, ".{key}")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
                PathStep::EachElement => write!(f, "[*]")?,
            }
        }
        Ok(())
    }
}

/// `snake_case` of a CloudFormation name, as the awscc provider spells it: `AssumeRolePolicyDocument` →
/// `assume_role_policy_document`, `PrincipalOrgID` → `principal_org_id`, `VPCEndpoint` → `vpc_endpoint`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let previous = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let starts_word = match previous {
                None => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => next.is_some_and(|n| n.is_ascii_lowercase()),
                Some(_) => false,
            };
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The awscc resource type generated from a CloudFormation type: `AWS::IAM::Role` → `awscc_iam_role`.
pub fn awscc_type(cloudformation_type: &str) -> Option<String> {
    let mut parts = cloudformation_type.split("::");
    let (Some("AWS"), Some(service), Some(name), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    Some(format!(
        "awscc_{}_{}",
        service.to_ascii_lowercase(),
        snake_case(name)
    ))
}

/// Every `AWS::…` entry also covers its awscc resource type, unless the catalog lists that type itself.
fn add_awscc_mirrors(entries: &mut HashMap<String, CatalogEntry>) {
    let mirrors: Vec<CatalogEntry> = entries
        .values()
        .filter_map(|entry| {
            let resource_type = awscc_type(&entry.resource_type)?;
            let attributes = entry
                .attributes
                .iter()
                .map(|attribute| PolicyAttribute {
                    path: AttributePath {
                        steps: attribute
                            .path
                            .steps
                            .iter()
                            .map(|step| match step {
                                PathStep::Key(key) => PathStep::Key(snake_case(key)),
                                other => other.clone(),
                            })
                            .collect(),
                    },
                    ..attribute.clone()
                })
                .collect();
            Some(CatalogEntry {
                resource_type,
                attributes,
            })
        })
        .collect();
    for mirror in mirrors {
        entries.entry(mirror.resource_type.clone()).or_insert(mirror);
    }
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Catalog {
    /// The built-in catalog compiled into the binary.
    pub fn builtin() -> Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The embedded file is covered by unit tests; failing here is a build defect, not bad input.
                Catalog::from_hcl(BUILTIN_CATALOG_HCL, Path::new(BUILTIN_CATALOG_NAME))
                    .unwrap_or_else(|err| panic!("built-in catalog is invalid: {err}"))
            })
            .clone()
    }

    /// Loads a catalog file (same format as the built-in one), for users who override it.
    pub fn from_file(path: &std::path::Path) -> Result<Catalog> {
        let text = match crate::input::read_settings_file(path, path, "a trustgate catalog file") {
            Ok(text) => text,
            Err(crate::input::SettingsError::NotFound(err)) => {
                return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    reason: crate::input::os_reason(&err),
                });
            }
            Err(crate::input::SettingsError::Other(err)) => return Err(err),
        };
        Catalog::from_hcl(&text, path)
    }

    /// Parses catalog HCL text; `path` is used in error messages.
    pub fn from_hcl(text: &str, path: &Path) -> Result<Catalog> {
        if text.trim().is_empty() {
            return Err(Error::invalid(
                path,
                "line 1",
                "the catalog file is empty; expected resource blocks",
            ));
        }
        if let Err(reason) = crate::nesting::check(text) {
            let (place, message) = reason.split_once(": ").unwrap_or(("line 1", reason.as_str()));
            return Err(Error::invalid(path, place, message));
        }
        let body: Body = hcl::parse(text).map_err(|err| match err {
            hcl::Error::Parse(parse_error) => Error::invalid(
                path,
                format!(
                    "line {}, column {}",
                    parse_error.location().line(),
                    parse_error.location().column()
                ),
                format!("invalid HCL: {}", parse_error.message().replace('\n', " ")),
            ),
            other => Error::invalid(
                path,
                "line 1",
                format!("invalid HCL: {}", other.to_string().replace('\n', " ")),
            ),
        })?;
        let locator = LineLocator { text };
        let mut entries = HashMap::new();
        for structure in body.iter() {
            let block = match structure {
                Structure::Block(block) if block.identifier.as_str() == "resource" => block,
                Structure::Block(block) => {
                    let line = locator.line_of(block.identifier.as_str(), 0);
                    return Err(Error::invalid(
                        path,
                        format!("line {line}"),
                        format!(
                            "unexpected block {:?}; expected `resource \"<type>\" {{ … }}`",
                            block.identifier.as_str()
                        ),
                    ));
                }
                Structure::Attribute(attribute) => {
                    let line = locator.line_of(attribute.key.as_str(), 0);
                    return Err(Error::invalid(
                        path,
                        format!("line {line}"),
                        format!(
                            "unexpected attribute {:?} at top level; expected resource blocks",
                            attribute.key.as_str()
                        ),
                    ));
                }
            };
            let entry = parse_resource_block(block, &locator, path)?;
            if entries.contains_key(&entry.resource_type) {
                let label = format!("\"{}\"", entry.resource_type);
                let line = locator.line_of(&label, locator.offset_of(&label) + 1);
                return Err(Error::invalid(
                    path,
                    format!("line {line}"),
                    format!("resource type {} appears twice", entry.resource_type),
                ));
            }
            entries.insert(entry.resource_type.clone(), entry);
        }
        add_awscc_mirrors(&mut entries);
        Ok(Catalog {
            entries: Arc::new(entries),
        })
    }

    /// This catalog with every entry of `overrides` replacing (or adding) the entry for its resource type.
    pub fn with_overrides(&self, overrides: &Catalog) -> Catalog {
        let mut entries = (*self.entries).clone();
        for (resource_type, entry) in overrides.entries.iter() {
            entries.insert(resource_type.clone(), entry.clone());
        }
        Catalog {
            entries: Arc::new(entries),
        }
    }

    /// What the catalog says about a resource type, if it is covered.
    pub fn entry(&self, resource_type: &str) -> Option<&CatalogEntry> {
        self.entries.get(resource_type)
    }

    /// Covered resource types, sorted.
    pub fn resource_types(&self) -> Vec<&str> {
        let mut types: Vec<&str> = self.entries.keys().map(String::as_str).collect();
        types.sort_unstable();
        types
    }

    /// Number of resource types covered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// hcl-rs does not keep spans for parsed blocks, so semantic errors find their line by searching the text
/// (skipping comment lines, which quote the syntax).
struct LineLocator<'t> {
    text: &'t str,
}

impl LineLocator<'_> {
    /// Byte offset of the first occurrence of `needle` outside comment lines at or after byte `from`.
    fn find(&self, needle: &str, from: usize) -> Option<usize> {
        let mut line_start = self
            .text
            .get(..from.min(self.text.len()))?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        for line in self.text.get(line_start..)?.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let is_comment = trimmed.starts_with('#') || trimmed.starts_with("//");
            if !is_comment && let Some(found) = line.find(needle) {
                let offset = line_start + found;
                if offset >= from {
                    return Some(offset);
                }
            }
            line_start += line.len();
        }
        None
    }

    /// 1-based line of `needle` (see `find`); the line of `from` if not found.
    fn line_of(&self, needle: &str, from: usize) -> usize {
        let offset = self.find(needle, from).unwrap_or(from).min(self.text.len());
        self.text[..offset].matches('\n').count() + 1
    }

    fn offset_of(&self, needle: &str) -> usize {
        self.find(needle, 0).unwrap_or(0)
    }
}

fn parse_resource_block(block: &Block, locator: &LineLocator, path: &Path) -> Result<CatalogEntry> {
    let block_line = || locator.line_of("resource", 0);
    let [label] = block.labels.as_slice() else {
        return Err(Error::invalid(
            path,
            format!("line {}", block_line()),
            "a resource block needs exactly one label, the resource type: resource \"aws_…\" { … }",
        ));
    };
    let resource_type = label.as_str().to_string();
    // Line numbers are only needed for messages: found lazily, as scanning the text for every block and
    // attribute made loading the built-in catalog a visible part of checking a small plan.
    let block_start = || locator.offset_of(&format!("\"{resource_type}\""));
    let at = |needle: &str| format!("line {}", locator.line_of(needle, block_start()));
    let mut attributes = Vec::new();
    for structure in block.body.iter() {
        let Structure::Block(inner) = structure else {
            return Err(Error::invalid(
                path,
                at("="),
                format!(
                    "resource {resource_type}: expected `policy \"<path>\"` or `grant \"<field>\"` blocks"
                ),
            ));
        };
        let kind = inner.identifier.as_str();
        let [inner_label] = inner.labels.as_slice() else {
            return Err(Error::invalid(
                path,
                at(kind),
                format!(
                    "resource {resource_type}: a {kind} block needs exactly one label (the attribute path)"
                ),
            ));
        };
        let path_text = inner_label.as_str();
        let fail = |message: String| {
            let here = at(&format!("\"{path_text}\""));
            Error::invalid(path, here, format!("resource {resource_type}: {message}"))
        };
        let attribute_path = AttributePath::parse(path_text)
            .ok_or_else(|| fail(format!("invalid attribute path {path_text:?}")))?;
        let settings = block_settings(inner).map_err(&fail)?;
        let role = match settings.get("role").copied() {
            Some("trust") => PolicyRole::Trust,
            Some("resource") => PolicyRole::Resource,
            Some("identity") => PolicyRole::Identity,
            Some("guardrail") => PolicyRole::Guardrail,
            Some(other) => {
                return Err(fail(format!(
                    "unknown role {other:?}; expected trust, resource, identity or guardrail"
                )));
            }
            None => return Err(fail("missing `role`".to_string())),
        };
        let service = settings
            .get("service")
            .ok_or_else(|| fail("missing `service`".to_string()))?
            .to_string();
        let allowed: &[&str] = match kind {
            "policy" => &["role", "service", "format", "presence", "also_in", "by"],
            "grant" => &["role", "service", "converter"],
            other => return Err(fail(format!("unknown block {other:?}; expected policy or grant"))),
        };
        if let Some(unknown) = settings.keys().find(|key| !allowed.contains(key)) {
            return Err(fail(format!(
                "unknown setting {unknown:?} in {kind} block; allowed: {}",
                allowed.join(", ")
            )));
        }
        let source = if kind == "policy" {
            match settings.get("format").copied() {
                None | Some("iam") => PolicySource::IamJson,
                Some("opensearch-serverless") => PolicySource::OpenSearchServerless,
                Some("cloudformation-template") => PolicySource::CloudFormationTemplate,
                Some("cloudcontrol") => PolicySource::CloudControl,
                Some(other) => {
                    return Err(fail(format!(
                        "unknown format {other:?}; expected iam, opensearch-serverless, \
                         cloudformation-template or cloudcontrol"
                    )));
                }
            }
        } else {
            let name = settings
                .get("converter")
                .ok_or_else(|| fail("grant block needs `converter`".to_string()))?;
            let converter = GrantConverter::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = GrantConverter::ALL.iter().map(|c| c.name()).collect();
                fail(format!("unknown converter {name:?}; known: {}", known.join(", ")))
            })?;
            PolicySource::Grant(converter)
        };
        let optional = match settings.get("presence").copied() {
            None | Some("required") => false,
            Some("optional") => true,
            Some(other) => {
                return Err(fail(format!(
                    "unknown presence {other:?}; expected required or optional"
                )));
            }
        };
        let shared = match (settings.get("also_in").copied(), settings.get("by").copied()) {
            (None, None) => None,
            (Some(also_in), Some(by)) => {
                let (resource_type, attribute) = also_in
                    .split_once('.')
                    .filter(|(t, a)| !t.is_empty() && !a.is_empty())
                    .ok_or_else(|| {
                        fail(format!(
                            "also_in {also_in:?} must be \"<resource type>.<attribute>\""
                        ))
                    })?;
                Some(SharedPolicy {
                    resource_type: resource_type.to_string(),
                    attribute: attribute.to_string(),
                    by: by.to_string(),
                })
            }
            _ => return Err(fail("`also_in` and `by` go together".to_string())),
        };
        attributes.push(PolicyAttribute {
            path: attribute_path,
            role,
            service,
            source,
            optional,
            shared,
        });
    }
    if attributes.is_empty() {
        return Err(Error::invalid(
            path,
            at(&format!("\"{resource_type}\"")),
            format!("resource {resource_type} has no policy or grant blocks"),
        ));
    }
    Ok(CatalogEntry {
        resource_type,
        attributes,
    })
}

/// The `key = "string"` settings of a policy/grant block.
fn block_settings(block: &Block) -> std::result::Result<HashMap<&str, &str>, String> {
    let mut settings = HashMap::new();
    for structure in block.body.iter() {
        match structure {
            Structure::Attribute(attribute) => match &attribute.expr {
                Expression::String(value) => {
                    settings.insert(attribute.key.as_str(), value.as_str());
                }
                _ => return Err(format!("`{}` must be a quoted string", attribute.key.as_str())),
            },
            Structure::Block(nested) => {
                return Err(format!(
                    "unexpected nested block {:?}",
                    nested.identifier.as_str()
                ));
            }
        }
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Section 12a of docs/terraform-formats.md, one name per resource type.
    const FORMATS_DOC_12A: &[&str] = &[
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_user_policy",
        "aws_iam_group_policy",
        "aws_iam_policy",
        "aws_s3_bucket_policy",
        "aws_s3_bucket",
        "aws_s3_access_point",
        "aws_s3control_access_point_policy",
        "aws_s3control_bucket_policy",
        "aws_s3control_multi_region_access_point_policy",
        "aws_s3control_object_lambda_access_point_policy",
        "aws_s3tables_table_bucket_policy",
        "aws_s3tables_table_policy",
        "aws_kms_key",
        "aws_kms_key_policy",
        "aws_kms_replica_key",
        "aws_kms_external_key",
        "aws_kms_replica_external_key",
        "aws_sns_topic",
        "aws_sns_topic_policy",
        "aws_sqs_queue",
        "aws_sqs_queue_policy",
        "aws_ecr_repository_policy",
        "aws_ecr_registry_policy",
        "aws_ecrpublic_repository_policy",
        "aws_secretsmanager_secret_policy",
        "aws_secretsmanager_secret",
        "aws_glacier_vault",
        "aws_glacier_vault_lock",
        "aws_efs_file_system_policy",
        "aws_cloudwatch_event_bus_policy",
        "aws_cloudwatch_log_resource_policy",
        "aws_cloudwatch_log_destination_policy",
        "aws_backup_vault_policy",
        "aws_opensearch_domain_policy",
        "aws_opensearch_domain",
        "aws_elasticsearch_domain_policy",
        "aws_elasticsearch_domain",
        "aws_opensearchserverless_access_policy",
        "aws_api_gateway_rest_api_policy",
        "aws_api_gateway_rest_api",
        "aws_glue_resource_policy",
        "aws_dynamodb_resource_policy",
        "aws_kinesis_resource_policy",
        "aws_codeartifact_domain_permissions_policy",
        "aws_codeartifact_repository_permissions_policy",
        "aws_codebuild_resource_policy",
        "aws_media_store_container_policy",
        "aws_networkfirewall_resource_policy",
        "aws_sagemaker_model_package_group_policy",
        "aws_ses_identity_policy",
        "aws_vpc_endpoint",
        "aws_msk_cluster_policy",
        "aws_oam_sink_policy",
        "aws_acmpca_policy",
        "aws_redshift_resource_policy",
        "aws_redshiftserverless_resource_policy",
        "aws_vpclattice_resource_policy",
        "aws_vpclattice_auth_policy",
        "aws_xray_resource_policy",
        "aws_schemas_registry_policy",
        "aws_bedrockagentcore_resource_policy",
        "aws_lambda_layer_version_permission",
        "aws_ssoadmin_permission_set_inline_policy",
        "aws_organizations_policy",
        "aws_iot_policy",
        "aws_transfer_access",
        "aws_transfer_user",
    ];

    fn parse(text: &str) -> Result<Catalog> {
        Catalog::from_hcl(text, Path::new("my-catalog.hcl"))
    }

    #[test]
    fn builtin_catalog_parses_and_is_large() {
        let catalog = Catalog::builtin();
        assert!(catalog.len() >= 50, "{}", catalog.len());
        let grants = catalog
            .resource_types()
            .into_iter()
            .filter(|t| {
                catalog
                    .entry(t)
                    .unwrap()
                    .attributes
                    .iter()
                    .any(|a| matches!(a.source, PolicySource::Grant(_)))
            })
            .count();
        assert!(grants >= 6, "{grants}");
    }

    #[test]
    fn every_section_12a_type_is_catalogued() {
        let catalog = Catalog::builtin();
        let missing: Vec<&&str> = FORMATS_DOC_12A
            .iter()
            .filter(|t| catalog.entry(t).is_none())
            .collect();
        assert!(missing.is_empty(), "missing: {missing:?}");
    }

    /// When the shared formats doc is next to the checkout, read section 12a from it directly.
    #[test]
    fn every_type_in_the_formats_doc_table_is_catalogued() {
        let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/docs/terraform-formats.md");
        let Ok(text) = std::fs::read_to_string(doc) else {
            return;
        };
        let Some(start) = text.find("### 12a.") else {
            return;
        };
        let end = text[start..].find("### 12b.").map_or(text.len(), |e| start + e);
        let name = regex::Regex::new(r"aws_[a-z0-9_]+").unwrap();
        let catalog = Catalog::builtin();
        for row in text[start..end].lines().filter(|l| l.starts_with("| aws_")) {
            let first_cell = row.split('|').nth(1).unwrap_or_default();
            for found in name.find_iter(first_cell) {
                assert!(
                    catalog.entry(found.as_str()).is_some(),
                    "{} missing",
                    found.as_str()
                );
            }
        }
    }

    #[test]
    fn key_entries_have_expected_shape() {
        let catalog = Catalog::builtin();
        let role = catalog.entry("aws_iam_role").unwrap();
        assert_eq!(role.attributes[0].path.to_string(), "assume_role_policy");
        assert_eq!(
            (role.attributes[0].role, role.attributes[0].service.as_str()),
            (PolicyRole::Trust, "sts")
        );
        assert_eq!(role.attributes[1].path.to_string(), "inline_policy[*].policy");
        assert_eq!(role.attributes[1].role, PolicyRole::Identity);
        let mrap = catalog
            .entry("aws_s3control_multi_region_access_point_policy")
            .unwrap();
        assert_eq!(
            mrap.attributes[0].path.steps,
            vec![
                PathStep::Key("details".into()),
                PathStep::Index(0),
                PathStep::Key("policy".into())
            ]
        );
        let scp = catalog.entry("aws_organizations_policy").unwrap();
        assert_eq!(
            (scp.attributes[0].path.to_string(), scp.attributes[0].role),
            ("content".into(), PolicyRole::Guardrail)
        );
        let aoss = catalog.entry("aws_opensearchserverless_access_policy").unwrap();
        assert_eq!(aoss.attributes[0].source, PolicySource::OpenSearchServerless);
        let lambda = catalog.entry("aws_lambda_permission").unwrap();
        assert_eq!(
            lambda.attributes[0].source,
            PolicySource::Grant(GrantConverter::LambdaPermission)
        );
        for converter in GrantConverter::ALL {
            let used = catalog.resource_types().iter().any(|t| {
                catalog
                    .entry(t)
                    .unwrap()
                    .attributes
                    .iter()
                    .any(|a| a.source == PolicySource::Grant(converter))
            });
            assert!(used, "{} unused", converter.name());
        }
    }

    #[test]
    fn awscc_names_follow_the_cloudformation_names() {
        assert_eq!(
            snake_case("AssumeRolePolicyDocument"),
            "assume_role_policy_document"
        );
        assert_eq!(snake_case("PrincipalOrgID"), "principal_org_id");
        assert_eq!(snake_case("VPCEndpoint"), "vpc_endpoint");
        assert_eq!(snake_case("KeyPolicy"), "key_policy");
        assert_eq!(awscc_type("AWS::IAM::Role").as_deref(), Some("awscc_iam_role"));
        assert_eq!(
            awscc_type("AWS::OpenSearchServerless::AccessPolicy").as_deref(),
            Some("awscc_opensearchserverless_access_policy")
        );
        assert_eq!(awscc_type("aws_iam_role"), None);
        let catalog = Catalog::builtin();
        let role = catalog.entry("awscc_iam_role").expect("awscc mirror");
        assert_eq!(role.attributes[0].path.to_string(), "assume_role_policy_document");
        assert_eq!(role.attributes[0].role, PolicyRole::Trust);
        assert_eq!(role.attributes[1].path.to_string(), "policies[*].policy_document");
        let table = catalog.entry("awscc_dynamodb_table").expect("awscc mirror");
        assert_eq!(
            table.attributes[0].path.to_string(),
            "resource_policy.policy_document"
        );
    }

    #[test]
    fn attribute_paths_parse_and_print() {
        for text in [
            "policy",
            "inline_policy[*].policy",
            "details[0].policy",
            "a.b.c",
            "a[1][*]",
        ] {
            assert_eq!(AttributePath::parse(text).unwrap().to_string(), text);
        }
        for bad in ["", "a..b", "a[", "a[x]", "a[0]b", "[0]", "a b"] {
            assert!(AttributePath::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn bad_catalogs_report_the_line() {
        let err = parse("resource \"aws_x\" {\n  policy \"policy\" {\n    role = \"trust\"\n").unwrap_err();
        assert!(err.to_string().starts_with("my-catalog.hcl: line "), "{err}");
        assert!(err.to_string().contains("invalid HCL"), "{err}");
        let text = "resource \"aws_a\" {\n  policy \"policy\" {\n    role = \"resource\"\n    service = \"s3\"\n  }\n}\n\
                    resource \"aws_b\" {\n  policy \"policy\" {\n    role = \"owner\"\n    service = \"s3\"\n  }\n}\n";
        let err = parse(text).unwrap_err().to_string();
        assert_eq!(
            err,
            "my-catalog.hcl: line 8: resource aws_b: unknown role \"owner\"; expected trust, resource, identity or guardrail"
        );
        let err = parse("resource \"aws_a\" {\n  grant \"principal\" {\n    role = \"resource\"\n    service = \"x\"\n    converter = \"nope\"\n  }\n}\n").unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.contains("unknown converter \"nope\""),
            "{err}"
        );
        let err = parse(
            "resource \"aws_a\" {\n  policy \"p[\" {\n    role = \"resource\"\n    service = \"x\"\n  }\n}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("invalid attribute path"), "{err}");
        let err = parse(
            "resource \"aws_a\" {\n  policy \"p\" {\n    role = \"resource\"\n    servce = \"x\"\n  }\n}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("missing `service`"), "{err}");
        let twice = "# resource \"aws_a\" is here twice\nresource \"aws_a\" {\n  policy \"p\" {\n    role = \"resource\"\n    service = \"x\"\n  }\n}\nresource \"aws_a\" {\n  policy \"p\" {\n    role = \"resource\"\n    service = \"x\"\n  }\n}\n";
        let err = parse(twice).unwrap_err().to_string();
        assert_eq!(err, "my-catalog.hcl: line 8: resource type aws_a appears twice");
        let err = parse("").unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
        let err = parse("thing = 1\n").unwrap_err().to_string();
        assert!(
            err.contains("line 1") && err.contains("unexpected attribute"),
            "{err}"
        );
    }

    #[test]
    fn shared_policies_name_their_parent() {
        let entry = Catalog::builtin().entry("aws_sqs_queue_policy").cloned().unwrap();
        assert_eq!(
            entry.attributes[0].shared,
            Some(SharedPolicy {
                resource_type: "aws_sqs_queue".to_string(),
                attribute: "policy".to_string(),
                by: "queue_url".to_string(),
            })
        );
        let block = |settings: &str| {
            parse(&format!(
                "resource \"aws_a\" {{\n  policy \"p\" {{\n    role = \"resource\"\n    service = \"x\"\n{settings}  }}\n}}\n"
            ))
        };
        let err = block("    also_in = \"aws_b.policy\"\n").unwrap_err().to_string();
        assert!(err.contains("`also_in` and `by` go together"), "{err}");
        let err = block("    also_in = \"aws_b\"\n    by = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("must be \"<resource type>.<attribute>\""), "{err}");
        assert!(block("    also_in = \"aws_b.policy\"\n    by = \"b\"\n").is_ok());
    }

    #[test]
    fn overrides_replace_builtin_entries() {
        let mine = parse("resource \"aws_sqs_queue\" {\n  policy \"policy\" {\n    role = \"guardrail\"\n    service = \"sqs\"\n  }\n}\nresource \"aws_new_thing\" {\n  policy \"doc\" {\n    role = \"resource\"\n    service = \"new\"\n  }\n}\n").unwrap();
        let merged = Catalog::builtin().with_overrides(&mine);
        assert_eq!(merged.len(), Catalog::builtin().len() + 1);
        assert_eq!(
            merged.entry("aws_sqs_queue").unwrap().attributes[0].role,
            PolicyRole::Guardrail
        );
    }

    #[test]
    fn builtin_parse_is_fast() {
        let started = std::time::Instant::now();
        parse(BUILTIN_CATALOG_HCL).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }
}
