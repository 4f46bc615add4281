//! Real-world shapes of `.tf` trust-policy code, written for this test in the styles public modules use
//! (GitHub OIDC roles, EKS service-account roles, cross-account roles with ExternalId, heredocs, files and
//! templates), evaluated from source with no plan.

use std::path::Path;

use serde_json::{Value, json};
use trustgate::catalog::Catalog;
use trustgate::source::{Evaluator, SourceIndex};

/// Writes the files into a temporary root module and returns every evaluated policy by address.
fn evaluate(files: &[(&str, &str)]) -> Vec<(String, Option<Value>)> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let index = SourceIndex::load(dir.path(), None);
    assert!(index.diagnostics.is_empty(), "{:?}", index.diagnostics);
    Evaluator::new(&index, None)
        .policy_attributes(&Catalog::builtin())
        .into_iter()
        .map(|p| {
            let policy = p
                .value
                .map(|r| serde_json::from_str(&r.policy).expect("policy JSON"));
            (format!("{} {}", p.address, p.attribute), policy)
        })
        .collect()
}

fn only(files: &[(&str, &str)]) -> Value {
    let mut found = evaluate(files);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0).1.expect("the policy evaluates")
}

#[test]
fn github_oidc_role_in_module_style() {
    let policy = only(&[(
        "main.tf",
        r#"
variable "create" {
  type    = bool
  default = true
}
variable "subjects" {
  type    = list(string)
  default = ["repo:octo-org/app:ref:refs/heads/main", "octo-org/infra:*"]
}
variable "audience" {
  default = "sts.amazonaws.com"
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  provider_url = "token.actions.githubusercontent.com"
  account_id   = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
}

data "aws_iam_policy_document" "this" {
  count = var.create ? 1 : 0

  statement {
    sid     = "GithubOidcAuth"
    effect  = "Allow"
    actions = ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:oidc-provider/${local.provider_url}"]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "${local.provider_url}:aud"
      values   = [var.audience]
    }

    condition {
      test     = "StringLike"
      variable = "${local.provider_url}:sub"
      values   = [for subject in var.subjects : "repo:${trimprefix(subject, "repo:")}"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name               = "github-oidc"
  assume_role_policy = data.aws_iam_policy_document.this[0].json
}
"#,
    )]);
    assert_eq!(
        policy["Statement"][0],
        json!({
            "Sid": "GithubOidcAuth",
            "Effect": "Allow",
            "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
            "Principal": {"Federated": "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com"},
            "Condition": {
                "ForAllValues:StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": [
                    "repo:octo-org/app:ref:refs/heads/main", "repo:octo-org/infra:*"
                ]}
            }
        })
    );
}

#[test]
fn eks_service_account_role_with_regex_replace() {
    let policy = only(&[(
        "irsa.tf",
        r#"
variable "oidc_provider_arn" {
  default = "arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123"
}
variable "service_accounts" {
  default = { "kube-system" = ["aws-load-balancer-controller"], "apps" = ["api", "worker"] }
}

locals {
  issuer = replace(var.oidc_provider_arn, "/^(.*provider/)/", "")
  subjects = flatten([
    for namespace, accounts in var.service_accounts : [
      for account in accounts : "system:serviceaccount:${namespace}:${account}"
    ]
  ])
}

resource "aws_iam_role" "irsa" {
  name = "irsa"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        StringEquals = {
          "${local.issuer}:sub" = local.subjects
          "${local.issuer}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}
"#,
    )]);
    assert_eq!(
        policy["Statement"][0]["Condition"]["StringEquals"],
        json!({
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": [
                "system:serviceaccount:apps:api",
                "system:serviceaccount:apps:worker",
                "system:serviceaccount:kube-system:aws-load-balancer-controller"
            ],
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com"
        })
    );
}

#[test]
fn cross_account_roles_with_external_id_from_tfvars_and_for_each() {
    let found = evaluate(&[
        (
            "variables.tf",
            r#"
variable "vendors" {
  type = map(object({ account_id = string, external_id = string }))
  default = {}
}
variable "mfa" {
  default = false
}
"#,
        ),
        (
            "terraform.tfvars",
            r#"
vendors = {
  datadog = { account_id = "464622532012", external_id = "dd-123" }
  snyk    = { account_id = "198361731867", external_id = "snyk-9" }
}
"#,
        ),
        (
            "roles.tf",
            r#"
resource "aws_iam_role" "vendor" {
  for_each = var.vendors
  name     = "vendor-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [merge(
      {
        Effect    = "Allow"
        Action    = "sts:AssumeRole"
        Principal = { AWS = format("arn:aws:iam::%s:root", each.value.account_id) }
        Condition = { StringEquals = { "sts:ExternalId" = each.value.external_id } }
      },
      var.mfa ? { Sid = "WithMfa" } : {}
    )]
  })
}
"#,
        ),
    ]);
    let addresses: Vec<&str> = found.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "aws_iam_role.vendor[\"datadog\"] assume_role_policy",
            "aws_iam_role.vendor[\"snyk\"] assume_role_policy"
        ]
    );
    let snyk = found[1].1.as_ref().unwrap();
    assert_eq!(
        snyk["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::198361731867:root"
    );
    assert_eq!(
        snyk["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
        "snyk-9"
    );
}

#[test]
fn heredoc_file_and_templatefile_policies() {
    let found = evaluate(&[
        (
            "main.tf",
            r#"
variable "trusted" {
  default = ["222222222222", "333333333333", "222222222222", ""]
}

resource "aws_iam_role" "heredoc" {
  name               = "heredoc"
  assume_role_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"AWS": "arn:aws:iam::${element(var.trusted, 1)}:root"}
      }]
    }
  EOT
}

resource "aws_iam_role" "from_file" {
  name               = "from-file"
  assume_role_policy = file("${path.module}/policies/trust.json")
}

resource "aws_iam_role" "from_template" {
  name = "from-template"
  assume_role_policy = templatefile("${path.module}/policies/trust.json.tftpl", {
    accounts = distinct(compact(var.trusted))
  })
}

resource "aws_sqs_queue" "events" {
  name   = "events"
  policy = jsonencode(jsondecode(file("${path.module}/policies/queue.json")))
}
"#,
        ),
        (
            "policies/trust.json",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}]}"#,
        ),
        (
            "policies/trust.json.tftpl",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":${jsonencode([for a in accounts : "arn:aws:iam::${a}:root"])}}}]}"#,
        ),
        (
            "policies/queue.json",
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}}"#,
        ),
    ]);
    let by_address = |address: &str| -> &Value {
        found
            .iter()
            .find(|(a, _)| a.starts_with(address))
            .and_then(|(_, p)| p.as_ref())
            .unwrap_or_else(|| panic!("{address} in {found:#?}"))
    };
    assert_eq!(
        by_address("aws_iam_role.heredoc ")["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::333333333333:root"
    );
    assert_eq!(
        by_address("aws_iam_role.from_file ")["Statement"][0]["Principal"]["Service"],
        "ec2.amazonaws.com"
    );
    assert_eq!(
        by_address("aws_iam_role.from_template ")["Statement"][0]["Principal"]["AWS"],
        json!(["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"])
    );
    assert_eq!(by_address("aws_sqs_queue.events ")["Statement"]["Principal"], "*");
}

#[test]
fn functions_used_in_policies() {
    let policy = only(&[(
        "main.tf",
        r#"
variable "env" {
  default = "Prod"
}
locals {
  accounts = { prod = "444444444444", dev = "555555555555" }
  base = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*", Principal = { AWS = "arn:aws:iam::${lookup(local.accounts, lower(var.env), "000000000000")}:root" } }]
  extra = length(split(",", "a,b")) == 2 ? [{ Effect = "Deny", Action = "s3:DeleteObject", Resource = "*", Principal = "*" }] : []
}
resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.base, local.extra, tolist([]))
    Id        = join("-", [upper(var.env), coalesce("", "policy"), try(local.missing, "x")])
  })
}
"#,
    )]);
    assert_eq!(
        policy["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::444444444444:root"
    );
    assert_eq!(policy["Statement"][1]["Effect"], "Deny");
}

#[test]
fn unsupported_shapes_stay_unknown() {
    let found = evaluate(&[(
        "main.tf",
        r#"
variable "statements" {}
data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = var.statements
    content {
      actions = ["s3:GetObject"]
    }
  }
}
resource "aws_iam_role" "dynamic" {
  name               = "dynamic"
  assume_role_policy = data.aws_iam_policy_document.dynamic.json
}
resource "aws_iam_role" "remote" {
  name               = "remote"
  assume_role_policy = data.terraform_remote_state.shared.outputs.trust_policy
}
"#,
    )]);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|(_, policy)| policy.is_none()), "{found:#?}");
}

#[test]
fn a_module_that_calls_itself_ends() {
    let found = evaluate(&[(
        "main.tf",
        r#"
module "again" {
  source   = "./"
  for_each = toset(["a", "b"])
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({ Statement = [] })
}
"#,
    )]);
    assert!(!found.is_empty());
    let _ = Path::new(".");
}

#[test]
fn counted_and_for_each_resources_are_referenced_by_instance() {
    let found = evaluate(&[(
        "main.tf",
        r#"
variable "create" {
  default = true
}
resource "aws_iam_role" "ci" {
  count              = var.create ? 1 : 0
  name               = "ci"
  assume_role_policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role" "apps" {
  for_each           = toset(["a", "b"])
  name               = each.key
  assume_role_policy = jsonencode({ Statement = [] })
}
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [aws_iam_role.ci[0].arn, aws_iam_role.apps["b"].arn] }
    }]
  })
}
"#,
    )]);
    let deployer = found
        .iter()
        .find(|(a, _)| a.starts_with("aws_iam_role.deployer "))
        .and_then(|(_, p)| p.as_ref())
        .expect("deployer evaluates");
    assert_eq!(
        deployer["Statement"][0]["Principal"]["AWS"],
        json!(["${aws_iam_role.ci[0].arn}", "${aws_iam_role.apps[\"b\"].arn}"])
    );
}

#[test]
fn file_reads_stay_inside_the_module_directories() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.json");
    std::fs::write(
        &secret,
        r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}"#,
    )
    .unwrap();
    let main = format!(
        r#"
resource "aws_iam_role" "leak" {{
  name               = "leak"
  assume_role_policy = file("{}")
}}
resource "aws_iam_role" "up" {{
  name               = "up"
  assume_role_policy = file("${{path.module}}/../secret.json")
}}
"#,
        secret.display()
    );
    let found = evaluate(&[("main.tf", main.as_str())]);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|(_, policy)| policy.is_none()), "{found:#?}");
}

#[test]
fn module_outputs_are_followed() {
    let found = evaluate(&[
        (
            "main.tf",
            r#"
module "oidc" {
  source = "./modules/oidc"
  host   = "token.actions.githubusercontent.com"
}
module "roles" {
  source   = "./modules/roles"
  for_each = toset(["a"])
}
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = module.oidc.provider_arn, AWS = module.roles["a"].role_arn }
      Condition = { StringEquals = { "${module.oidc.host}:aud" = "sts.amazonaws.com" } }
    }]
  })
}
"#,
        ),
        (
            "modules/oidc/main.tf",
            r#"
variable "host" {}
resource "aws_iam_openid_connect_provider" "this" {
  url = "https://${var.host}"
}
output "provider_arn" {
  value = aws_iam_openid_connect_provider.this.arn
}
output "host" {
  value = var.host
}
"#,
        ),
        (
            "modules/roles/main.tf",
            r#"
resource "aws_iam_role" "this" {
  name               = "inner"
  assume_role_policy = jsonencode({ Statement = [] })
}
output "role_arn" {
  value = aws_iam_role.this.arn
}
"#,
        ),
    ]);
    let deploy = found
        .iter()
        .find(|(a, _)| a.starts_with("aws_iam_role.deploy "))
        .and_then(|(_, p)| p.as_ref())
        .expect("deploy evaluates");
    assert_eq!(
        deploy["Statement"][0]["Principal"],
        json!({
            "Federated": "${module.oidc.aws_iam_openid_connect_provider.this.arn}",
            "AWS": "${module.roles[\"a\"].aws_iam_role.this.arn}"
        })
    );
    assert_eq!(
        deploy["Statement"][0]["Condition"]["StringEquals"],
        json!({"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"})
    );
}

#[test]
fn unknown_instances_keep_their_policies_at_a_star_address() {
    let found = evaluate(&[
        (
            "main.tf",
            r#"
resource "aws_iam_role" "per_account" {
  for_each           = data.aws_organizations_organization.this.accounts
  name               = each.key
  assume_role_policy = jsonencode({ Statement = [] })
}
module "roles" {
  source = "./modules/roles"
  count  = length(data.aws_organizations_organization.this.accounts)
}
"#,
        ),
        (
            "modules/roles/main.tf",
            r#"
resource "aws_iam_role" "this" {
  name               = "inner"
  assume_role_policy = jsonencode({ Statement = [] })
}
"#,
        ),
    ]);
    let addresses: Vec<(&str, bool)> = found.iter().map(|(a, p)| (a.as_str(), p.is_some())).collect();
    assert_eq!(
        addresses,
        [
            ("aws_iam_role.per_account[*] assume_role_policy", false),
            ("module.roles[*].aws_iam_role.this assume_role_policy", false),
        ]
    );
}

/// Modules nested past the expansion limit are not dropped: their policies stay, unevaluated.
#[test]
fn modules_past_the_nesting_limit_keep_their_policies_unevaluated() {
    let mut files: Vec<(String, String)> = Vec::new();
    files.push((
        "main.tf".to_string(),
        "module \"m1\" {\n  source = \"./m1\"\n}\n".to_string(),
    ));
    let depth = 10;
    for level in 1..=depth {
        let dir: Vec<String> = (1..=level).map(|l| format!("m{l}")).collect();
        let dir = dir.join("/");
        let text = if level < depth {
            format!(
                "module \"m{next}\" {{\n  source = \"./m{next}\"\n}}\n",
                next = level + 1
            )
        } else {
            "resource \"aws_iam_role\" \"deep\" {\n  assume_role_policy = jsonencode({\n    Version = \
             \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = \
             { AWS = \"*\" } }]\n  })\n}\n"
                .to_string()
        };
        files.push((format!("{dir}/main.tf"), text));
    }
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let found = evaluate(&borrowed);
    let deep: Vec<_> = found
        .iter()
        .filter(|(a, _)| a.contains("aws_iam_role.deep"))
        .collect();
    assert_eq!(deep.len(), 1, "{found:#?}");
    assert!(
        deep[0].0.contains("[*]"),
        "kept at an unexpanded address: {}",
        deep[0].0
    );
    assert!(deep[0].1.is_none(), "not evaluated past the limit");
}

/// Statement Sids of an evaluated policy, sorted.
fn sids(policy: &Value) -> Vec<String> {
    let mut out: Vec<String> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["Sid"].as_str().unwrap_or_default().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn bucket_policy_assembled_from_counted_and_for_each_documents() {
    let policy = only(&[(
        "main.tf",
        r#"
variable "deny_insecure" {
  default = true
}
variable "readers" {
  default = { ci = "arn:aws:iam::111111111111:role/ci" }
}
resource "aws_s3_bucket" "this" {
  bucket = "logs"
}
data "aws_iam_policy_document" "deny_insecure" {
  count = var.deny_insecure ? 1 : 0
  statement {
    sid     = "DenyInsecure"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.this.arn]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
data "aws_iam_policy_document" "reader" {
  for_each = var.readers
  statement {
    sid       = "Read${each.key}"
    actions   = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = [each.value]
    }
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }
}
data "aws_iam_policy_document" "override" {
  statement {
    sid       = "Readci"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:role/ci"]
    }
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }
}
data "aws_iam_policy_document" "combined" {
  source_policy_documents = compact(concat(
    var.deny_insecure ? data.aws_iam_policy_document.deny_insecure[*].json : [],
    [for d in data.aws_iam_policy_document.reader : d.json],
  ))
  override_policy_documents = [data.aws_iam_policy_document.override.json]
}
resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.combined.json
}
"#,
    )]);
    assert_eq!(sids(&policy), ["DenyInsecure", "Readci"]);
    let read = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "Readci")
        .unwrap();
    assert_eq!(read["Action"], json!(["s3:GetObject", "s3:ListBucket"]));
}

#[test]
fn root_document_passed_to_a_module_as_its_repository_policy() {
    let policy = only(&[
        (
            "main.tf",
            r#"
data "aws_iam_policy_document" "pull" {
  statement {
    sid     = "Pull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }
  }
}
module "repo" {
  source            = "./modules/repo"
  name              = "images"
  repository_policy = data.aws_iam_policy_document.pull.json
}
"#,
        ),
        (
            "modules/repo/main.tf",
            r#"
variable "name" {}
variable "repository_policy" {
  type    = string
  default = null
}
variable "create_repository_policy" {
  default = true
}
resource "aws_ecr_repository" "this" {
  name = var.name
}
resource "aws_ecr_repository_policy" "this" {
  count      = var.create_repository_policy ? 1 : 0
  repository = aws_ecr_repository.this.name
  policy     = var.repository_policy
}
"#,
        ),
    ]);
    assert_eq!(sids(&policy), ["Pull"]);
}

#[test]
fn statements_concatenated_and_flattened_inside_jsonencode() {
    let policy = only(&[(
        "main.tf",
        r#"
variable "extra_statements" {
  default = [[{ Sid = "Extra", Effect = "Allow", Principal = { AWS = "arn:aws:iam::999988887777:root" }, Action = "sqs:SendMessage", Resource = "*" }]]
}
variable "owner" {
  default = null
}
locals {
  base = [{ Sid = "Owner", Effect = "Allow", Principal = { AWS = coalesce(var.owner, "arn:aws:iam::111111111111:root") }, Action = "sqs:*", Resource = "*" }]
}
resource "aws_sqs_queue" "q" {
  name = "q"
}
resource "aws_sqs_queue_policy" "q" {
  queue_url = aws_sqs_queue.q.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = concat(local.base, flatten(var.extra_statements), try(var.missing.statements, []))
  })
}
"#,
    )]);
    assert_eq!(sids(&policy), ["Extra", "Owner"]);
    assert_eq!(
        policy["Statement"][0]["Principal"]["AWS"],
        json!("arn:aws:iam::111111111111:root")
    );
}

#[test]
fn a_conditional_null_policy_is_null_and_only_when_its_condition_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
variable "create_topic_policy" {
  default = true
}
variable "topic_policy" {
  default = null
}
variable "unknown_switch" {}
resource "aws_sns_topic" "own" {
  policy = var.create_topic_policy ? null : var.topic_policy
}
resource "aws_sns_topic" "set" {
  policy = var.create_topic_policy ? "{}" : null
}
resource "aws_sns_topic" "unknown" {
  policy = var.unknown_switch ? null : "{}"
}
"#,
    )
    .unwrap();
    let index = SourceIndex::load(dir.path(), None);
    let evaluator = Evaluator::new(&index, None);
    assert!(evaluator.is_null("", "aws_sns_topic.own", "policy"));
    assert!(!evaluator.is_null("", "aws_sns_topic.set", "policy"));
    // A condition without a value is not guessed.
    assert!(!evaluator.is_null("", "aws_sns_topic.unknown", "policy"));
    assert!(!evaluator.is_null("", "aws_sns_topic.missing", "policy"));
}
