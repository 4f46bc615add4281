//! End-to-end tests of `trustgate diff --base REV [DIR]` on a throwaway git repository.

mod common;

use common::{TODAY, git, run_in};

const BASE_MAIN: &str = r#"
variable "partners" {
  default = { alpha = "222222222222" }
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

module "partner" {
  source     = "./modules/partner"
  for_each   = var.partners
  account_id = each.value
}
"#;

const PARTNER_MODULE: &str = r#"
variable "account_id" {}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Partner"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["partner-${var.account_id}"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "partner"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"#;

const WORK_MAIN: &str = r#"
variable "partners" {
  default = { alpha = "222222222222", beta = "444444444444" }
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111111111111:root" }
        Action    = "sts:AssumeRole"
      },
      # trustgate: owner=@team/release expiry=2027-02-01 justification="Release tooling account, REL-9"
      {
        Sid       = "Build"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::555555555555:root" }
        Action    = "sts:AssumeRole"
      },
      {
        Sid       = "Worker"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.worker.arn }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role" "worker" {
  name = "worker"
  tags = {
    "trustgate:owner"         = "@team/compute"
    "trustgate:expiry"        = "2027-01-01"
    "trustgate:justification" = "EC2 instances of the worker fleet"
  }
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

module "partner" {
  source     = "./modules/partner"
  for_each   = var.partners
  account_id = each.value
}
"#;

fn repository() -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("temp dir");
    let infra = repo.path().join("infra");
    std::fs::create_dir_all(infra.join("modules/partner")).unwrap();
    std::fs::write(infra.join("main.tf"), BASE_MAIN).unwrap();
    std::fs::write(infra.join("modules/partner/main.tf"), PARTNER_MODULE).unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    std::fs::write(infra.join("main.tf"), WORK_MAIN).unwrap();
    repo
}

#[test]
fn diff_reports_widenings_between_a_revision_and_the_working_tree() {
    let repo = repository();
    let status_before = git(repo.path(), &["status", "--porcelain"]);
    let out = run_in(
        Some(repo.path()),
        &[
            "diff",
            "--base",
            "main",
            "infra",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        git(repo.path(), &["status", "--porcelain"]),
        status_before,
        "working tree untouched"
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let findings: Vec<(String, String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["principal"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            (
                "aws_iam_role.deploy".to_string(),
                "arn:aws:iam::555555555555:root".to_string(),
                "external-account".to_string(),
                "approved".to_string()
            ),
            (
                "module.partner[\"beta\"].aws_iam_role.this".to_string(),
                "arn:aws:iam::444444444444:root".to_string(),
                "external-account".to_string(),
                "violation".to_string()
            ),
        ]
    );
    // The EC2 worker role is handed to EC2 only with iam:PassRole (same account): inside, and listed as such.
    let inside = json["inside"].as_array().expect("inside grants listed");
    assert!(
        inside.iter().any(|g| g["address"] == "aws_iam_role.worker"
            && g["principal"] == "service:ec2.amazonaws.com"
            && g["reason"] == "passrole-service"),
        "{inside:?}"
    );
    let beta = &json["findings"][1];
    assert_eq!(beta["change"], "create");
    assert_eq!(beta["location"]["file"], "infra/modules/partner/main.tf");
    assert_eq!(beta["location"]["line"], 20);
    assert_eq!(beta["location"]["statement_line"], 5);
}

#[test]
fn diff_human_output() {
    let repo = repository();
    let out = run_in(
        Some(repo.path()),
        &[
            "diff",
            "--base",
            "main",
            "infra",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--color",
            "never",
        ],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("diff_human", out.stdout);
}

#[test]
fn unknown_revision_is_a_usage_error() {
    let repo = repository();
    let out = run_in(Some(repo.path()), &["diff", "--base", "nope", "infra"], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--base nope: not a revision"),
        "{}",
        out.stderr
    );
}

#[test]
fn no_change_means_no_finding() {
    let repo = repository();
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "work"]);
    let out = run_in(
        Some(repo.path()),
        &[
            "diff",
            "--base",
            "HEAD",
            "infra",
            "--account",
            "111111111111",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["findings"], serde_json::json!([]));
}

/// A policy that cannot be evaluated (a dynamic block over a function the evaluator does not know) on either side is reported as unverifiable when
/// something it can depend on changed, and not when nothing did.
#[test]
fn unevaluable_policies_are_unverifiable_only_when_their_inputs_change() {
    let repo = tempfile::tempdir().expect("temp dir");
    let main = r#"
variable "trusted" {
  default = []
}
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = setsubtract(var.trusted, [])
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = ["arn:aws:iam::${statement.value}:root"]
      }
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"#;
    std::fs::write(repo.path().join("main.tf"), main).unwrap();
    std::fs::write(
        repo.path().join("terraform.tfvars"),
        "trusted = [\"111111111111\"]\n",
    )
    .unwrap();
    std::fs::write(repo.path().join("README.md"), "docs\n").unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    let kinds = || -> (i32, Vec<String>) {
        let out = run_in(
            Some(repo.path()),
            &[
                "diff",
                "--base",
                "main",
                "--account",
                "111111111111",
                "--format",
                "json",
            ],
            None,
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
        let kinds = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect();
        (out.code, kinds)
    };
    std::fs::write(repo.path().join("README.md"), "more docs\n").unwrap();
    assert_eq!(kinds(), (0, vec![]), "an unrelated change");
    std::fs::write(
        repo.path().join("terraform.tfvars"),
        "trusted = [\"111111111111\", \"222222222222\"]\n",
    )
    .unwrap();
    assert_eq!(
        kinds(),
        (1, vec!["unverifiable".to_string()]),
        "a new trusted account"
    );
}

/// A comment above the root `module` block approves the widenings of that call's instances (the approve
/// hint points there), and, with the base revision known, says it was added in this change.
#[test]
fn a_comment_above_a_module_call_approves_its_instances() {
    let repo = repository();
    let annotated = WORK_MAIN.replace(
        "module \"partner\" {",
        "# trustgate: owner=@team/partners expiry=2027-02-01 justification=\"Partner accounts, PART-7\"\nmodule \"partner\" {",
    );
    std::fs::write(repo.path().join("infra/main.tf"), annotated).unwrap();
    let out = run_in(
        Some(repo.path()),
        &[
            "diff",
            "--base",
            "main",
            "infra",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let beta = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["address"] == "module.partner[\"beta\"].aws_iam_role.this")
        .expect("beta's finding");
    assert_eq!(beta["status"], "approved");
    assert_eq!(beta["annotation"]["owner"], "@team/partners");
    assert_eq!(beta["annotation"]["origin"]["file"], "infra/main.tf");
    assert_eq!(beta["annotation"]["provenance"], "this-change");
    assert_eq!(beta["location"]["file"], "infra/modules/partner/main.tf");
    assert_eq!(beta["location"]["module_call"]["file"], "infra/main.tf");
}

/// An EKS cluster, its IAM OIDC provider and an IRSA role added in the same change, without a plan: the
/// cluster and provider use the default provider (the configuration's own account in `diff`), so every
/// subject of the issuer is a service account of the own cluster and the role is inside. The same shapes
/// through a provider alias (another account, for all `diff` can tell) stay a finding: unverifiable, as the
/// provider's ARN and issuer are known only after apply.
#[test]
fn diff_knows_an_own_eks_cluster_created_in_the_same_change() {
    let cluster = |name: &str, provider: &str| {
        format!(
            r#"
resource "aws_eks_cluster" "{name}" {{
  {provider}
  name     = "{name}"
  role_arn = "arn:aws:iam::111111111111:role/eks"
  vpc_config {{
    subnet_ids = ["subnet-1", "subnet-2"]
  }}
}}

resource "aws_iam_openid_connect_provider" "{name}" {{
  {provider}
  url             = aws_eks_cluster.{name}.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}}

resource "aws_iam_role" "{name}_irsa" {{
  name = "{name}-irsa"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Federated = aws_iam_openid_connect_provider.{name}.arn }}
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {{
        StringEquals = {{
          "${{replace(aws_iam_openid_connect_provider.{name}.url, "https://", "")}}:sub" = "system:serviceaccount:kube-system:app"
        }}
      }}
    }}]
  }})
}}
"#
        )
    };
    let repo = tempfile::tempdir().expect("temp dir");
    let infra = repo.path().join("infra");
    std::fs::create_dir_all(&infra).unwrap();
    let providers = "provider \"aws\" {}\nprovider \"aws\" {\n  alias = \"other\"\n}\n";
    std::fs::write(infra.join("providers.tf"), providers).unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    let work = cluster("own", "") + &cluster("elsewhere", "provider = aws.other");
    std::fs::write(infra.join("main.tf"), work).unwrap();
    let out = run_in(
        Some(repo.path()),
        &[
            "diff",
            "--base",
            "main",
            "infra",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let findings: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["address"].as_str().unwrap(), f["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        findings,
        vec![("aws_iam_role.elsewhere_irsa", "unverifiable")],
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let inside = json["inside"].as_array().expect("inside grants listed");
    assert!(
        inside.iter().any(|g| {
            g["address"] == "aws_iam_role.own_irsa"
                && g["reason"].as_str().is_some_and(|r| {
                    r.starts_with("own-federated: ")
                        && r.contains("(own EKS cluster issuer: aws_eks_cluster.own in account 111111111111)")
                })
        }),
        "{inside:?}"
    );
}
