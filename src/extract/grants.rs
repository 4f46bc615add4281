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

use super::PolicyValue;
use super::json;
use crate::catalog::GrantConverter;

pub(crate) struct GrantContext<'a> {
    pub resource_type: &'a str,
    pub partition: &'a str,
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
}

/// Raised by converters when a field the grant depends on is not known until apply.
struct NotYetKnown;

type Synthesis = Result<Option<Value>, NotYetKnown>;

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
            return Field::Unknown;
        }
        match self.members.get(name).and_then(|raw| json::as_text(raw)) {
            Some(text) if !text.is_empty() => Field::Text(text),
            _ => Field::Absent,
        }
    }

    /// A field the grant cannot be understood without.
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
    };
    let result = match converter {
        GrantConverter::LambdaPermission => lambda_permission(&fields, context),
        GrantConverter::LambdaLayerVersionPermission => lambda_layer_version_permission(&fields, context),
        GrantConverter::LambdaFunctionUrl => lambda_function_url(&fields, context),
        GrantConverter::CloudwatchEventPermission => cloudwatch_event_permission(&fields, context),
        GrantConverter::RamPrincipalAssociation => ram_principal_association(&fields, context),
        GrantConverter::VpcEndpointServiceAllowedPrincipal => {
            vpc_endpoint_service_allowed_principal(&fields, context)
        }
        GrantConverter::VpcEndpointService => vpc_endpoint_service(&fields, context),
        GrantConverter::KmsGrant => kms_grant(&fields, context),
        GrantConverter::AmiLaunchPermission => ami_launch_permission(&fields, context),
        GrantConverter::SnapshotCreateVolumePermission => snapshot_create_volume_permission(&fields, context),
        GrantConverter::DbSnapshotSharedAccounts => db_snapshot_shared_accounts(&fields, context),
        GrantConverter::EksAccessEntry => eks_access_entry(&fields, context),
        GrantConverter::SsmDocumentShare => ssm_document_share(&fields, context),
        GrantConverter::ServicecatalogPortfolioShare => servicecatalog_portfolio_share(&fields, context),
    };
    match result {
        Ok(Some(policy)) => PolicyValue::Known(policy.to_string()),
        Ok(None) => PolicyValue::Absent,
        Err(NotYetKnown) => PolicyValue::Unknown,
    }
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The `Principal` element for a principal written as Terraform accepts it in grant fields.
fn principal_element(principal: &str, partition: &str) -> Value {
    if principal == "*" {
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
    let Some(auth_type) = fields.required("authorization_type")? else {
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
        return Err(NotYetKnown);
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
