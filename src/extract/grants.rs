//! Grants written as resource fields (`aws_lambda_permission`, `aws_kms_grant`, …) turned into the IAM
//! policy JSON that has the same meaning, so that later stages see one kind of input.
//!
//! Choices where AWS has no literal policy (documented here because findings quote them):
//! * `aws_ram_principal_association`: action `ram:*` on the share ARN (the principal gets whatever the
//!   share holds); organization / OU principals become `*` pinned by `aws:PrincipalOrgID` /
//!   `aws:PrincipalOrgPaths`.
//! * `aws_vpc_endpoint_service_allowed_principal`, `aws_vpc_endpoint_service.allowed_principals`: action
//!   `ec2:CreateVpcEndpoint` on the endpoint service.
//! * `aws_ami_launch_permission`: `ec2:RunInstances` on the image; `aws_snapshot_create_volume_permission`:
//!   `ec2:CreateVolume` on the snapshot; `aws_db_snapshot` / `aws_db_cluster_snapshot` `shared_accounts`:
//!   the restore action on the snapshot. `all` / group `all` means `*`.
//! * `aws_eks_access_entry`: `eks:AccessKubernetesApi` on the cluster; `aws_ssm_document` `permissions`:
//!   `ssm:GetDocument` on the document; `aws_servicecatalog_portfolio_share`: `servicecatalog:*` on the
//!   portfolio.
//! * A function, key, bus or share name that is not known yet becomes a `*` in the resource ARN rather
//!   than making the whole grant unknown: who is granted matters more than which instance.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use super::json;
use super::{GrantFields, PolicyValue};
use crate::catalog::GrantConverter;

pub(crate) struct GrantContext<'a> {
    pub resource_type: &'a str,
    pub partition: &'a str,
}

/// Fields that may stand in a synthesised grant as a hole (`${<address>.<field>}`) when they are known only
/// after apply: each is written into the policy as it is (a principal, a condition value), so the hole sits
/// exactly where the value will. Fields a converter branches on (`group = "all"`, an organization ARN
/// turned into a condition) are not here: their unknown keeps the whole grant unknown.
fn hole_fields(converter: GrantConverter) -> &'static [&'static str] {
    match converter {
        GrantConverter::LambdaPermission => {
            &["principal", "source_arn", "source_account", "principal_org_id"]
        }
        GrantConverter::KmsGrant => &["grantee_principal", "retiring_principal"],
        _ => &[],
    }
}

/// The value of one field on one side of a change.
enum Field {
    Unknown,
    Absent,
    Text(String),
}

/// Field access on one side; `unknown` is the side's `after_unknown` bag (none for `before`).
struct Fields<'a> {
    members: std::collections::HashMap<String, &'a RawValue>,
    unknown: Option<std::collections::HashMap<String, &'a RawValue>>,
    wholly_unknown: bool,
    /// (field, hole text) for fields known only after apply that are written as holes.
    holes: Vec<(&'static str, String)>,
}

/// Raised by converters when a field the grant depends on is not known until apply.
struct NotYetKnown;

/// Why a converter produced no policy.
enum Halt {
    NotYetKnown,
    /// The fields grant access trustgate cannot express as a policy; the text says what and why.
    Unverifiable(String),
}

impl From<NotYetKnown> for Halt {
    fn from(_: NotYetKnown) -> Halt {
        Halt::NotYetKnown
    }
}

type Synthesis = Result<Option<Value>, Halt>;

impl<'a> Fields<'a> {
    fn is_unknown(&self, name: &str) -> bool {
        self.wholly_unknown
            || self
                .unknown
                .as_ref()
                .and_then(|u| u.get(name))
                .is_some_and(|v| json::is_true(v))
    }

    fn text(&self, name: &str) -> Field {
        if self.is_unknown(name) {
            return match self.holes.iter().find(|(field, _)| *field == name) {
                Some((_, hole)) => Field::Text(hole.clone()),
                None => Field::Unknown,
            };
        }
        match self.members.get(name).and_then(|raw| json::as_text(raw)) {
            Some(text) if !text.is_empty() => Field::Text(text),
            _ => Field::Absent,
        }
    }

    /// A field the grant cannot be understood without.
    /// A boolean field: `None` when absent or null.
    fn flag(&self, name: &str) -> Result<Option<bool>, NotYetKnown> {
        if self.is_unknown(name) {
            return Err(NotYetKnown);
        }
        Ok(match self.members.get(name).map(|raw| raw.get().trim()) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        })
    }

    fn required(&self, name: &str) -> Result<Option<String>, NotYetKnown> {
        match self.text(name) {
            Field::Unknown => Err(NotYetKnown),
            Field::Absent => Ok(None),
            Field::Text(text) => Ok(Some(text)),
        }
    }

    /// A field that only names the resource: unknown is acceptable and reads as `None`.
    fn optional(&self, name: &str) -> Option<String> {
        match self.text(name) {
            Field::Text(text) => Some(text),
            _ => None,
        }
    }

    /// A list (or set) of strings; unknown if the list or any element is unknown.
    fn text_list(&self, name: &str) -> Result<Vec<String>, NotYetKnown> {
        if self.is_unknown(name) {
            return Err(NotYetKnown);
        }
        let element_unknown = self
            .unknown
            .as_ref()
            .and_then(|u| u.get(name))
            .and_then(|raw| json::array_elements(raw))
            .is_some_and(|items| items.iter().any(|item| json::is_true(item)));
        if element_unknown {
            return Err(NotYetKnown);
        }
        let items = self
            .members
            .get(name)
            .and_then(|raw| json::array_elements(raw))
            .unwrap_or_default();
        Ok(items
            .into_iter()
            .filter_map(json::as_text)
            .filter(|t| !t.is_empty())
            .collect())
    }

    /// A nested block list (`condition`, `constraints`): its elements as field maps.
    fn blocks(&self, name: &str) -> Result<Vec<Fields<'a>>, NotYetKnown> {
        if self.is_unknown(name) {
            return Err(NotYetKnown);
        }
        let unknown_items = self
            .unknown
            .as_ref()
            .and_then(|u| u.get(name))
            .and_then(|raw| json::array_elements(raw))
            .unwrap_or_default();
        let items = self
            .members
            .get(name)
            .and_then(|raw| json::array_elements(raw))
            .unwrap_or_default();
        Ok(items
            .into_iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let unknown_item = unknown_items.get(index).copied();
                Some(Fields {
                    members: json::object_members(item)?,
                    wholly_unknown: unknown_item.is_some_and(json::is_true),
                    unknown: unknown_item.and_then(json::object_members),
                    holes: Vec::new(),
                })
            })
            .collect())
    }

    /// A map of strings (`encryption_context_equals`).
    fn text_map(&self, name: &str) -> Result<BTreeMap<String, String>, NotYetKnown> {
        if self.is_unknown(name) {
            return Err(NotYetKnown);
        }
        let members = self
            .members
            .get(name)
            .and_then(|raw| json::object_members(raw))
            .unwrap_or_default();
        Ok(members
            .into_iter()
            .filter_map(|(k, v)| Some((k, json::as_text(v)?)))
            .collect())
    }
}

/// The synthesised policy for one side of a grant resource.
pub(crate) fn synthesise(
    converter: GrantConverter,
    context: &GrantContext<'_>,
    object: Option<&RawValue>,
    unknown: Option<&RawValue>,
) -> PolicyValue {
    let Some(object) = object else {
        return match unknown {
            Some(bag) if json::is_true(bag) => PolicyValue::Unknown,
            _ => PolicyValue::Absent,
        };
    };
    let Some(members) = json::object_members(object) else {
        return PolicyValue::Absent;
    };
    let fields = Fields {
        members,
        wholly_unknown: unknown.is_some_and(json::is_true),
        unknown: unknown.and_then(json::object_members),
        holes: Vec::new(),
    };
    match convert(converter, &fields, context) {
        Ok(Some(policy)) => PolicyValue::Known(policy.to_string()),
        Ok(None) => PolicyValue::Absent,
        Err(Halt::NotYetKnown) => PolicyValue::Unknown,
        Err(Halt::Unverifiable(reason)) => PolicyValue::Unverifiable(reason),
    }
}

/// For the side of a grant that `synthesise` finds known only after apply: the policy with each unknown
/// field written as the hole `${<address>.<field>}`, when every unknown field is one that can stand as a
/// hole (`hole_fields`), with the (field, symbol) pairs. `analysis::symbolic` then decides whether the
/// holes matter; the sources may put the field's expression in their place.
pub(crate) fn template(
    converter: GrantConverter,
    context: &GrantContext<'_>,
    address: &str,
    object: Option<&RawValue>,
    unknown: Option<&RawValue>,
) -> Option<GrantFields> {
    let members = json::object_members(object?)?;
    if unknown.is_some_and(json::is_true) {
        return None;
    }
    let unknown = unknown.and_then(json::object_members);
    let usable = !address.contains(['{', '}', ':', '$']);
    let holes: Vec<(&'static str, String)> = hole_fields(converter)
        .iter()
        .filter(|field| {
            unknown
                .as_ref()
                .and_then(|u| u.get(**field))
                .is_some_and(|v| json::is_true(v))
        })
        .map(|field| {
            let symbol = if usable {
                format!("{address}.{field}")
            } else {
                field.to_string()
            };
            (*field, symbol)
        })
        .collect();
    if holes.is_empty() {
        return None;
    }
    let fields = Fields {
        members,
        wholly_unknown: false,
        unknown,
        holes: holes
            .iter()
            .map(|(field, symbol)| (*field, format!("${{{symbol}}}")))
            .collect(),
    };
    match convert(converter, &fields, context) {
        Ok(Some(policy)) => Some(GrantFields {
            template: policy.to_string(),
            holes: holes
                .into_iter()
                .map(|(field, symbol)| (field.to_string(), symbol))
                .collect(),
        }),
        _ => None,
    }
}

fn convert(converter: GrantConverter, fields: &Fields, context: &GrantContext<'_>) -> Synthesis {
    match converter {
        GrantConverter::LambdaPermission => lambda_permission(fields, context),
        GrantConverter::LambdaLayerVersionPermission => lambda_layer_version_permission(fields, context),
        GrantConverter::LambdaFunctionUrl => lambda_function_url(fields, context),
        GrantConverter::CloudwatchEventPermission => cloudwatch_event_permission(fields, context),
        GrantConverter::RamPrincipalAssociation => ram_principal_association(fields, context),
        GrantConverter::VpcEndpointServiceAllowedPrincipal => {
            vpc_endpoint_service_allowed_principal(fields, context)
        }
        GrantConverter::VpcEndpointService => vpc_endpoint_service(fields, context),
        GrantConverter::KmsGrant => kms_grant(fields, context),
        GrantConverter::AmiLaunchPermission => ami_launch_permission(fields, context),
        GrantConverter::SnapshotCreateVolumePermission => snapshot_create_volume_permission(fields, context),
        GrantConverter::DbSnapshotSharedAccounts => db_snapshot_shared_accounts(fields, context),
        GrantConverter::EksAccessEntry => eks_access_entry(fields, context),
        GrantConverter::SsmDocumentShare => ssm_document_share(fields, context),
        GrantConverter::ServicecatalogPortfolioShare => servicecatalog_portfolio_share(fields, context),
        GrantConverter::S3BucketAcl => s3_bucket_acl(fields, context),
        GrantConverter::S3PublicAccessBlock => s3_public_access_block(fields, context),
        GrantConverter::LakeformationPermissions => lakeformation_permissions(fields, context),
        GrantConverter::OrganizationsDelegatedAdministrator => {
            organizations_delegated_administrator(fields, context)
        }
        GrantConverter::SignerProfilePermission => signer_profile_permission(fields, context),
        GrantConverter::Route53VpcAssociationAuthorization => route53_vpc_association_authorization(fields),
        GrantConverter::RamResourceShareExternal => ram_resource_share_external(fields),
    }
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The `Principal` element for a principal written as Terraform accepts it in grant fields.
fn principal_element(principal: &str, partition: &str) -> Value {
    if principal.starts_with("${") {
        // A hole (a value known only after apply): `AWS`, the only key `analysis::symbolic` may fill.
        json!({ "AWS": principal })
    } else if principal == "*" {
        json!("*")
    } else if is_account_id(principal) {
        json!({ "AWS": format!("arn:{partition}:iam::{principal}:root") })
    } else if principal.starts_with("arn:") {
        json!({ "AWS": principal })
    } else if principal.contains('.') {
        json!({ "Service": principal })
    } else {
        json!({ "AWS": principal })
    }
}

/// Conditions keyed by operator then condition key, as IAM writes them.
#[derive(Default)]
struct Conditions(BTreeMap<String, BTreeMap<String, Value>>);

impl Conditions {
    fn add(&mut self, operator: &str, key: &str, value: impl Into<Value>) {
        self.0
            .entry(operator.to_string())
            .or_default()
            .insert(key.to_string(), value.into());
    }
}

struct Statement {
    sid: Option<String>,
    principal: Value,
    actions: Value,
    resource: String,
    conditions: Conditions,
}

impl Statement {
    fn new(principal: Value, actions: impl Into<Value>, resource: String) -> Statement {
        Statement {
            sid: None,
            principal,
            actions: actions.into(),
            resource,
            conditions: Conditions::default(),
        }
    }

    fn into_json(self) -> Value {
        let mut statement = Map::new();
        statement.insert("Action".into(), self.actions);
        if !self.conditions.0.is_empty() {
            statement.insert("Condition".into(), json!(self.conditions.0));
        }
        statement.insert("Effect".into(), json!("Allow"));
        statement.insert("Principal".into(), self.principal);
        statement.insert("Resource".into(), json!(self.resource));
        if let Some(sid) = self.sid {
            statement.insert("Sid".into(), json!(sid));
        }
        Value::Object(statement)
    }
}

fn policy(statements: Vec<Statement>) -> Value {
    let statements: Vec<Value> = statements.into_iter().map(Statement::into_json).collect();
    json!({ "Statement": statements, "Version": "2012-10-17" })
}

/// `name` if it is already an ARN, else an ARN built from `template` (with `{name}` replaced), and a
/// `*` in place of a name that is not known.
fn arn_or(name: Option<String>, partition: &str, template: &str) -> String {
    match name {
        Some(arn) if arn.starts_with("arn:") => arn,
        Some(name) => format!("arn:{partition}:{}", template.replace("{name}", &name)),
        None => format!("arn:{partition}:{}", template.replace("{name}", "*")),
    }
}

/// Organization id from an organization ARN (`arn:aws:organizations::111:organization/o-abc`), or the
/// `o-…` / `ou-…` path from an OU ARN (`…:ou/o-abc/ou-xyz` → `o-abc/*/ou-xyz/*`).
enum OrgPrincipal {
    Organization(String),
    OrgPath(String),
}

fn org_principal(arn: &str) -> Option<OrgPrincipal> {
    let resource = arn.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    if let Some(org) = resource.strip_prefix("organization/") {
        return Some(OrgPrincipal::Organization(org.to_string()));
    }
    let path = resource.strip_prefix("ou/")?;
    let (org, ou) = path.split_once('/')?;
    Some(OrgPrincipal::OrgPath(format!("{org}/*/{ou}/*")))
}

/// Principal + conditions for an account id, `*`, IAM ARN, service, or organization / OU ARN.
fn principal_with_org(principal: &str, partition: &str, conditions: &mut Conditions) -> Value {
    match org_principal(principal) {
        Some(OrgPrincipal::Organization(org)) => {
            conditions.add("StringEquals", "aws:PrincipalOrgID", org);
            json!("*")
        }
        Some(OrgPrincipal::OrgPath(path)) => {
            conditions.add("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", path);
            json!("*")
        }
        None => principal_element(principal, partition),
    }
}

fn lambda_permission(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal")? else {
        return Ok(None);
    };
    let action = fields
        .required("action")?
        .unwrap_or_else(|| "lambda:InvokeFunction".to_string());
    let mut resource = arn_or(
        fields.optional("function_name"),
        context.partition,
        "lambda:*:*:function:{name}",
    );
    if let Some(qualifier) = fields.optional("qualifier") {
        resource = format!("{resource}:{qualifier}");
    }
    let mut statement = Statement::new(principal_element(&principal, context.partition), action, resource);
    statement.sid = fields.optional("statement_id");
    let conditions = &mut statement.conditions;
    if let Some(account) = fields.required("source_account")? {
        conditions.add("StringEquals", "aws:SourceAccount", account);
    }
    if let Some(arn) = fields.required("source_arn")? {
        conditions.add("ArnLike", "aws:SourceArn", arn);
    }
    if let Some(org) = fields.required("principal_org_id")? {
        conditions.add("StringEquals", "aws:PrincipalOrgID", org);
    }
    if let Some(token) = fields.required("event_source_token")? {
        conditions.add("StringEquals", "lambda:EventSourceToken", token);
    }
    if let Some(auth_type) = fields.required("function_url_auth_type")? {
        conditions.add("StringEquals", "lambda:FunctionUrlAuthType", auth_type);
    }
    Ok(Some(policy(vec![statement])))
}

fn lambda_layer_version_permission(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal")? else {
        return Ok(None);
    };
    let action = fields
        .required("action")?
        .unwrap_or_else(|| "lambda:GetLayerVersion".to_string());
    let layer = arn_or(
        fields.optional("layer_name"),
        context.partition,
        "lambda:*:*:layer:{name}",
    );
    let version = fields
        .optional("version_number")
        .unwrap_or_else(|| "*".to_string());
    let mut statement = Statement::new(
        principal_element(&principal, context.partition),
        action,
        format!("{layer}:{version}"),
    );
    statement.sid = fields.optional("statement_id");
    if let Some(org) = fields.required("organization_id")? {
        statement
            .conditions
            .add("StringEquals", "aws:PrincipalOrgID", org);
    }
    Ok(Some(policy(vec![statement])))
}

fn lambda_function_url(fields: &Fields, context: &GrantContext) -> Synthesis {
    // `auth_type` in CloudFormation (`AuthType`) and awscc.
    let auth_type = match fields.required("authorization_type")? {
        Some(auth_type) => Some(auth_type),
        None => fields.required("auth_type")?,
    };
    let Some(auth_type) = auth_type else {
        return Ok(None);
    };
    if auth_type != "NONE" {
        // AWS_IAM: callers need an identity policy (same account) or a lambda_permission (other accounts).
        return Ok(None);
    }
    let resource = match fields.optional("function_arn") {
        Some(arn) => arn,
        None => arn_or(
            fields.optional("function_name"),
            context.partition,
            "lambda:*:*:function:{name}",
        ),
    };
    let mut statement = Statement::new(json!("*"), "lambda:InvokeFunctionUrl", resource);
    statement
        .conditions
        .add("StringEquals", "lambda:FunctionUrlAuthType", "NONE");
    Ok(Some(policy(vec![statement])))
}

fn cloudwatch_event_permission(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal")? else {
        return Ok(None);
    };
    let action = fields
        .required("action")?
        .unwrap_or_else(|| "events:PutEvents".to_string());
    let bus = fields
        .optional("event_bus_name")
        .unwrap_or_else(|| "default".to_string());
    let resource = arn_or(Some(bus), context.partition, "events:*:*:event-bus/{name}");
    let mut statement = Statement::new(principal_element(&principal, context.partition), action, resource);
    statement.sid = fields.optional("statement_id");
    for condition in fields.blocks("condition")? {
        let (Some(key), Some(value)) = (condition.required("key")?, condition.required("value")?) else {
            continue;
        };
        let operator = condition
            .required("type")?
            .unwrap_or_else(|| "StringEquals".to_string());
        statement.conditions.add(&operator, &key, value);
    }
    Ok(Some(policy(vec![statement])))
}

fn ram_principal_association(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal")? else {
        return Ok(None);
    };
    let resource = fields
        .optional("resource_share_arn")
        .unwrap_or_else(|| "*".to_string());
    let mut statement = Statement::new(json!(null), "ram:*", resource);
    statement.principal = principal_with_org(&principal, context.partition, &mut statement.conditions);
    Ok(Some(policy(vec![statement])))
}

fn vpc_endpoint_service_resource(service_id: Option<String>, partition: &str) -> String {
    arn_or(service_id, partition, "ec2:*:*:vpc-endpoint-service/{name}")
}

fn vpc_endpoint_service_allowed_principal(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal_arn")? else {
        return Ok(None);
    };
    let resource =
        vpc_endpoint_service_resource(fields.optional("vpc_endpoint_service_id"), context.partition);
    let statement = Statement::new(
        principal_element(&principal, context.partition),
        "ec2:CreateVpcEndpoint",
        resource,
    );
    Ok(Some(policy(vec![statement])))
}

fn vpc_endpoint_service(fields: &Fields, context: &GrantContext) -> Synthesis {
    let mut principals = fields.text_list("allowed_principals")?;
    if principals.is_empty() {
        return Ok(None);
    }
    principals.sort();
    principals.dedup();
    let principal = if principals.iter().any(|p| p == "*") {
        json!("*")
    } else {
        let arns: Vec<String> = principals
            .iter()
            .map(|p| {
                if is_account_id(p) {
                    format!("arn:{}:iam::{p}:root", context.partition)
                } else {
                    p.clone()
                }
            })
            .collect();
        json!({ "AWS": arns })
    };
    let resource = match fields.optional("arn") {
        Some(arn) => arn,
        None => vpc_endpoint_service_resource(fields.optional("id"), context.partition),
    };
    Ok(Some(policy(vec![Statement::new(
        principal,
        "ec2:CreateVpcEndpoint",
        resource,
    )])))
}

fn kms_grant(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(grantee) = fields.required("grantee_principal")? else {
        return Ok(None);
    };
    let mut operations = fields.text_list("operations")?;
    operations.sort();
    let actions: Vec<String> = operations.iter().map(|op| format!("kms:{op}")).collect();
    let key = arn_or(fields.optional("key_id"), context.partition, "kms:*:*:key/{name}");
    let mut grant = Statement::new(
        principal_element(&grantee, context.partition),
        actions,
        key.clone(),
    );
    for constraint in fields.blocks("constraints")? {
        for (name, value) in constraint.text_map("encryption_context_equals")? {
            grant
                .conditions
                .add("StringEquals", &format!("kms:EncryptionContext:{name}"), value);
        }
        for (name, value) in constraint.text_map("encryption_context_subset")? {
            grant
                .conditions
                .add("StringEquals", &format!("kms:EncryptionContext:{name}"), value);
        }
    }
    let mut statements = vec![grant];
    if let Some(retiring) = fields.required("retiring_principal")? {
        statements.push(Statement::new(
            principal_element(&retiring, context.partition),
            "kms:RetireGrant",
            key,
        ));
    }
    Ok(Some(policy(statements)))
}

fn ami_launch_permission(fields: &Fields, context: &GrantContext) -> Synthesis {
    let resource = arn_or(
        fields.optional("image_id"),
        context.partition,
        "ec2:*::image/{name}",
    );
    let mut statement = Statement::new(json!(null), "ec2:RunInstances", resource);
    statement.principal = if let Some(account) = fields.required("account_id")? {
        principal_element(&account, context.partition)
    } else if let Some(group) = fields.required("group")? {
        if group != "all" {
            return Ok(None);
        }
        json!("*")
    } else if let Some(org) = fields.required("organization_arn")? {
        principal_with_org(&org, context.partition, &mut statement.conditions)
    } else if let Some(ou) = fields.required("organizational_unit_arn")? {
        principal_with_org(&ou, context.partition, &mut statement.conditions)
    } else {
        return Ok(None);
    };
    Ok(Some(policy(vec![statement])))
}

fn snapshot_create_volume_permission(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(account) = fields.required("account_id")? else {
        return Ok(None);
    };
    let resource = arn_or(
        fields.optional("snapshot_id"),
        context.partition,
        "ec2:*::snapshot/{name}",
    );
    let statement = Statement::new(
        principal_element(&account, context.partition),
        "ec2:CreateVolume",
        resource,
    );
    Ok(Some(policy(vec![statement])))
}

fn db_snapshot_shared_accounts(fields: &Fields, context: &GrantContext) -> Synthesis {
    let mut accounts = fields.text_list("shared_accounts")?;
    if accounts.is_empty() {
        return Ok(None);
    }
    accounts.sort();
    let (action, arn_field) = if context.resource_type == "aws_db_cluster_snapshot" {
        ("rds:RestoreDBClusterFromSnapshot", "db_cluster_snapshot_arn")
    } else {
        ("rds:RestoreDBInstanceFromDBSnapshot", "db_snapshot_arn")
    };
    let principal = if accounts.iter().any(|a| a == "all") {
        json!("*")
    } else {
        let arns: Vec<String> = accounts
            .iter()
            .map(|a| format!("arn:{}:iam::{a}:root", context.partition))
            .collect();
        json!({ "AWS": arns })
    };
    let resource = fields.optional(arn_field).unwrap_or_else(|| "*".to_string());
    Ok(Some(policy(vec![Statement::new(principal, action, resource)])))
}

fn eks_access_entry(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal_arn")? else {
        return Ok(None);
    };
    let cluster = arn_or(
        fields.optional("cluster_name"),
        context.partition,
        "eks:*:*:cluster/{name}",
    );
    let statement = Statement::new(
        principal_element(&principal, context.partition),
        "eks:AccessKubernetesApi",
        cluster,
    );
    Ok(Some(policy(vec![statement])))
}

/// `permissions = {type = "Share", account_ids = "111122223333,444455556666" | "All"}`.
fn ssm_document_share(fields: &Fields, context: &GrantContext) -> Synthesis {
    if fields.is_unknown("permissions") {
        return Err(Halt::NotYetKnown);
    }
    let Some(permissions) = fields
        .members
        .get("permissions")
        .and_then(|raw| json::object_members(raw))
    else {
        return Ok(None);
    };
    let share_type = permissions.get("type").and_then(|raw| json::as_text(raw));
    let account_ids = permissions
        .get("account_ids")
        .and_then(|raw| json::as_text(raw))
        .unwrap_or_default();
    if !share_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("share"))
        || account_ids.trim().is_empty()
    {
        return Ok(None);
    }
    let mut accounts: Vec<&str> = account_ids
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    accounts.sort_unstable();
    let principal = if accounts.iter().any(|a| a.eq_ignore_ascii_case("all")) {
        json!("*")
    } else {
        let arns: Vec<String> = accounts
            .iter()
            .map(|a| format!("arn:{}:iam::{a}:root", context.partition))
            .collect();
        json!({ "AWS": arns })
    };
    let document = match fields.optional("arn") {
        Some(arn) => arn,
        None => arn_or(
            fields.optional("name"),
            context.partition,
            "ssm:*:*:document/{name}",
        ),
    };
    Ok(Some(policy(vec![Statement::new(
        principal,
        "ssm:GetDocument",
        document,
    )])))
}

fn servicecatalog_portfolio_share(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal_id")? else {
        return Ok(None);
    };
    let portfolio = arn_or(
        fields.optional("portfolio_id"),
        context.partition,
        "catalog:*:*:portfolio/{name}",
    );
    let mut statement = Statement::new(json!(null), "servicecatalog:*", portfolio);
    statement.principal = principal_with_org(&principal, context.partition, &mut statement.conditions);
    Ok(Some(policy(vec![statement])))
}

/// The S3 actions a bucket ACL permission allows on the bucket (Amazon S3 User Guide, "Access control list
/// (ACL) overview", table "Mapping of ACL permissions and access policy permissions": READ lists the
/// bucket, WRITE creates, overwrites and deletes any object, READ_ACP / WRITE_ACP read / write the bucket
/// ACL, FULL_CONTROL is all four). `None` for a permission S3 does not define.
fn acl_actions(permission: &str) -> Option<Vec<&'static str>> {
    const READ: &[&str] = &[
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
        "s3:ListBucketVersions",
    ];
    const WRITE: &[&str] = &["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"];
    const READ_ACP: &[&str] = &["s3:GetBucketAcl"];
    const WRITE_ACP: &[&str] = &["s3:PutBucketAcl"];
    let parts: &[&[&str]] = match permission {
        "READ" => &[READ],
        "WRITE" => &[WRITE],
        "READ_ACP" => &[READ_ACP],
        "WRITE_ACP" => &[WRITE_ACP],
        "FULL_CONTROL" => &[READ, WRITE, READ_ACP, WRITE_ACP],
        _ => return None,
    };
    Some(parts.iter().flat_map(|p| p.iter().copied()).collect())
}

/// `PublicReadWrite` → `public-read-write` (CloudFormation spells canned ACLs in PascalCase).
fn kebab_case(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// The principal an ACL group URI stands for: AllUsers is anyone; AuthenticatedUsers is any AWS account
/// (anyone with credentials, so also `*` for a cross-account gate); LogDelivery is the S3 server access
/// logging service (Amazon S3 User Guide, "Amazon S3 predefined groups").
fn acl_group(uri: &str) -> Option<Value> {
    match uri.trim_end_matches('/') {
        ALL_USERS | AUTHENTICATED_USERS => Some(json!("*")),
        LOG_DELIVERY => Some(json!({ "Service": "logging.s3.amazonaws.com" })),
        _ => None,
    }
}

/// `aws_s3_bucket_acl`: a canned `acl` or `access_control_policy` grants. The owner's own grant (grantee
/// canonical id equal to `owner.id`) is skipped; any other canonical user or e-mail grantee is another
/// account. Canned ACLs as the S3 User Guide's "Canned ACL" table defines them: `private`,
/// `bucket-owner-read`, `bucket-owner-full-control` grant nothing beyond the owner on a bucket;
/// `public-read`(-write) give AllUsers READ (and WRITE); `authenticated-read` gives AuthenticatedUsers
/// READ; `log-delivery-write` gives LogDelivery WRITE and READ_ACP; `aws-exec-read` gives EC2 READ.
fn s3_bucket_acl(fields: &Fields, context: &GrantContext) -> Synthesis {
    let bucket = format!(
        "arn:{}:s3:::{}",
        context.partition,
        fields.optional("bucket").unwrap_or_else(|| "*".to_string())
    );
    let mut grants: Vec<(Value, &'static str, String)> = Vec::new();
    // `AccessControl` in CloudFormation (`PublicRead`) and awscc (`access_control`).
    let canned = match fields.required("acl")? {
        Some(acl) => Some(acl),
        None => fields
            .required("access_control")?
            .map(|pascal| kebab_case(&pascal)),
    };
    if let Some(acl) = canned.clone() {
        let canned: &[(Value, &str)] = &match acl.as_str() {
            "private" | "bucket-owner-read" | "bucket-owner-full-control" => vec![],
            "public-read" => vec![(json!("*"), "READ")],
            "public-read-write" => vec![(json!("*"), "READ"), (json!("*"), "WRITE")],
            "authenticated-read" => vec![(json!("*"), "READ")],
            "log-delivery-write" => {
                let logs = json!({ "Service": "logging.s3.amazonaws.com" });
                vec![(logs.clone(), "WRITE"), (logs, "READ_ACP")]
            }
            "aws-exec-read" => vec![(json!({ "Service": "ec2.amazonaws.com" }), "READ")],
            other => {
                return Err(Halt::Unverifiable(format!(
                    "acl is the canned ACL {other:?}, which trustgate does not know, so who it grants \
                     access to cannot be checked"
                )));
            }
        };
        for (principal, permission) in canned {
            grants.push((principal.clone(), permission, format!("CannedAcl {acl}")));
        }
    }
    // With a canned ACL, the provider computes access_control_policy from it (unknown until apply).
    let explicit = match fields.blocks("access_control_policy") {
        Err(NotYetKnown) if canned.is_some() => Vec::new(),
        other => other?,
    };
    for policy in explicit {
        let owner = policy
            .blocks("owner")?
            .first()
            .and_then(|owner| owner.optional("id"));
        for grant in policy.blocks("grant")? {
            let Some(permission) = grant.required("permission")? else {
                continue;
            };
            let Some(permission) = ["READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"]
                .into_iter()
                .find(|p| *p == permission)
            else {
                return Err(Halt::Unverifiable(format!(
                    "access_control_policy grants the permission {permission:?}, which S3 does not define"
                )));
            };
            for grantee in grant.blocks("grantee")? {
                let kind = grantee.required("type")?.unwrap_or_default();
                let principal = match kind.as_str() {
                    "CanonicalUser" => {
                        let Some(id) = grantee.required("id")? else {
                            continue;
                        };
                        if owner.as_deref() == Some(id.as_str()) {
                            continue;
                        }
                        json!({ "CanonicalUser": id })
                    }
                    "AmazonCustomerByEmail" => {
                        let Some(email) = grantee.required("email_address")? else {
                            continue;
                        };
                        json!({ "CanonicalUser": format!("email:{email}") })
                    }
                    "Group" => {
                        let uri = grantee.required("uri")?.unwrap_or_default();
                        acl_group(&uri).ok_or_else(|| {
                            Halt::Unverifiable(format!(
                                "access_control_policy grants {permission} to the group {uri:?}, which \
                                 trustgate does not know"
                            ))
                        })?
                    }
                    other => {
                        return Err(Halt::Unverifiable(format!(
                            "access_control_policy grants {permission} to a grantee of type {other:?}, \
                             which trustgate does not know"
                        )));
                    }
                };
                grants.push((principal, permission, "AclGrant".to_string()));
            }
        }
    }
    if grants.is_empty() {
        return Ok(None);
    }
    // One statement per grantee, with the actions of all its permissions.
    let mut by_grantee: BTreeMap<String, (Value, Vec<&str>, Vec<String>)> = BTreeMap::new();
    for (principal, permission, origin) in grants {
        let entry = by_grantee
            .entry(principal.to_string())
            .or_insert_with(|| (principal, Vec::new(), Vec::new()));
        entry.1.extend(acl_actions(permission).unwrap_or_default());
        entry.2.push(format!("{origin} {permission}"));
    }
    let statements = by_grantee
        .into_values()
        .map(|(principal, mut actions, origins)| {
            actions.sort_unstable();
            actions.dedup();
            let mut statement = Statement::new(principal, actions, bucket.clone());
            statement.sid = Some(origins.join(", "));
            statement
        })
        .collect();
    Ok(Some(policy(statements)))
}

/// `aws_s3_bucket_public_access_block`, read as the public access it lets through (S3 API reference,
/// `PublicAccessBlockConfiguration`): with `restrict_public_buckets` off, a public bucket policy is
/// honoured; with `ignore_public_acls` off, public ACLs are honoured. (`block_public_policy` and
/// `block_public_acls` only reject new public policies and ACLs; they leave existing ones in force.) The
/// statement is a `*` grant on the bucket, so switching a block off (or removing it) is reported as
/// opening the bucket to the public, whatever its policy says at the moment.
fn s3_public_access_block(fields: &Fields, context: &GrantContext) -> Synthesis {
    let bucket = format!(
        "arn:{}:s3:::{}",
        context.partition,
        fields.optional("bucket").unwrap_or_else(|| "*".to_string())
    );
    let mut open = Vec::new();
    if fields.flag("restrict_public_buckets")? != Some(true) {
        open.push("PublicPolicyNotRestricted");
    }
    if fields.flag("ignore_public_acls")? != Some(true) {
        open.push("PublicAclsNotIgnored");
    }
    if open.is_empty() {
        return Ok(None);
    }
    let mut statement = Statement::new(json!("*"), "s3:*", bucket);
    statement.sid = Some(open.join(" "));
    Ok(Some(policy(vec![statement])))
}

/// `aws_lakeformation_permissions`: `permissions` and `permissions_with_grant_option` as
/// `lakeformation:<PERMISSION>` actions for `principal` on the catalog, database, table or data location.
/// `IAM_ALLOWED_PRINCIPALS` is the group of IAM principals of the catalog's own account (Lake Formation
/// Developer Guide, "Changing the default settings for your data lake"), so it grants no outsider.
fn lakeformation_permissions(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal")? else {
        return Ok(None);
    };
    if principal == "IAM_ALLOWED_PRINCIPALS" {
        return Ok(None);
    }
    let mut permissions = fields.text_list("permissions")?;
    // Computed when not set: unknown then, and it can only repeat permissions the principal holds.
    permissions.extend(
        fields
            .text_list("permissions_with_grant_option")
            .unwrap_or_default(),
    );
    permissions.sort();
    permissions.dedup();
    if permissions.is_empty() {
        return Ok(None);
    }
    let actions: Vec<String> = permissions.iter().map(|p| format!("lakeformation:{p}")).collect();
    let glue = |path: String| format!("arn:{}:glue:*:*:{path}", context.partition);
    let resource = if let Some(table) = fields.blocks("table")?.first() {
        let database = table.optional("database_name").unwrap_or_else(|| "*".into());
        let name = table.optional("name").unwrap_or_else(|| "*".into());
        glue(format!("table/{database}/{name}"))
    } else if let Some(table) = fields.blocks("table_with_columns")?.first() {
        let database = table.optional("database_name").unwrap_or_else(|| "*".into());
        let name = table.optional("name").unwrap_or_else(|| "*".into());
        glue(format!("table/{database}/{name}"))
    } else if let Some(database) = fields.blocks("database")?.first() {
        glue(format!(
            "database/{}",
            database.optional("name").unwrap_or_else(|| "*".into())
        ))
    } else if let Some(location) = fields.blocks("data_location")?.first() {
        location.optional("arn").unwrap_or_else(|| "*".into())
    } else {
        glue("catalog".to_string())
    };
    let mut statement = Statement::new(json!(null), actions, resource);
    statement.principal = principal_with_org(&principal, context.partition, &mut statement.conditions);
    Ok(Some(policy(vec![statement])))
}

/// `aws_organizations_delegated_administrator`: the account becomes an administrator of the service for
/// the whole organization (AWS Organizations User Guide, "Delegated administrator for AWS services"):
/// read access to the organization and the service's own actions.
fn organizations_delegated_administrator(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(account) = fields.required("account_id")? else {
        return Ok(None);
    };
    let service = fields.required("service_principal")?.unwrap_or_default();
    let prefix = service.split('.').next().filter(|p| !p.is_empty()).unwrap_or("*");
    let actions = vec![
        "organizations:Describe*".to_string(),
        "organizations:List*".to_string(),
        format!("{prefix}:*"),
    ];
    let mut statement = Statement::new(
        principal_element(&account, context.partition),
        actions,
        "*".into(),
    );
    statement.sid = Some(format!("DelegatedAdministrator {service}"));
    Ok(Some(policy(vec![statement])))
}

/// `aws_signer_signing_profile_permission`: a statement of the signing profile's resource policy.
fn signer_profile_permission(fields: &Fields, context: &GrantContext) -> Synthesis {
    let Some(principal) = fields.required("principal")? else {
        return Ok(None);
    };
    let action = fields
        .required("action")?
        .unwrap_or_else(|| "signer:StartSigningJob".to_string());
    let mut profile = arn_or(
        fields.optional("profile_name"),
        context.partition,
        "signer:*:*:/signing-profiles/{name}",
    );
    if let Some(version) = fields.optional("profile_version") {
        profile = format!("{profile}/{version}");
    }
    let mut statement = Statement::new(principal_element(&principal, context.partition), action, profile);
    statement.sid = fields.optional("statement_id");
    Ok(Some(policy(vec![statement])))
}

/// `aws_route53_vpc_association_authorization`: lets the owner of the VPC associate it with a private
/// hosted zone. The owner's account is not in the plan (a VPC id names no account), so the grant cannot be
/// placed inside or outside the boundary.
fn route53_vpc_association_authorization(fields: &Fields) -> Synthesis {
    let vpc = match fields.text("vpc_id") {
        Field::Text(vpc) => vpc,
        Field::Unknown => "(known after apply)".to_string(),
        Field::Absent => return Ok(None),
    };
    let zone = fields
        .optional("zone_id")
        .unwrap_or_else(|| "(known after apply)".to_string());
    Err(Halt::Unverifiable(format!(
        "vpc_id {vpc} may associate with the private hosted zone {zone}; the VPC's owner account is not \
         in the plan, so whether it is outside the boundary cannot be checked"
    )))
}

/// `aws_ram_resource_share` with `allow_external_principals = true`: the share may then be associated with
/// principals outside the organization (AWS RAM User Guide, "Sharing your AWS resources"). Which ones is
/// decided by `aws_ram_principal_association` (checked on its own); the setting itself opens the share to
/// any of them, so turning it on is reported for review.
fn ram_resource_share_external(fields: &Fields) -> Synthesis {
    if fields.flag("allow_external_principals")? != Some(true) {
        return Ok(None);
    }
    let name = fields.optional("name").unwrap_or_default();
    Err(Halt::Unverifiable(format!(
        "allow_external_principals = true lets the resource share {name:?} be associated with principals \
         outside the organization"
    )))
}
