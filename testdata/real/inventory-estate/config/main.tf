terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# A vendor role: Datadog's integration account, pinned by an ExternalId, approved by tags until mid-2027.
resource "aws_iam_role" "datadog" {
  name = "datadog-integration"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::464622532012:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "acme-dd-7f3a" } }
    }]
  })
  tags = {
    "trustgate:owner"         = "@platform/observability"
    "trustgate:expiry"        = "2027-06-30"
    "trustgate:justification" = "Datadog AWS integration, SEC-1234"
  }
}

resource "aws_iam_role_policy_attachment" "datadog_readonly" {
  role       = aws_iam_role.datadog.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# A partner's whole account may assume an administrator role for twelve hours; nobody approved it.
resource "aws_iam_role" "partner_admin" {
  name                 = "partner-admin"
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "partner_admin" {
  role       = aws_iam_role.partner_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Spacelift's account runs our stacks; the approval lapsed on 2026-12-01.
resource "aws_iam_role" "spacelift" {
  name = "spacelift-runner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::324880187172:role/spacelift-worker" }
      Action    = "sts:AssumeRole"
      Condition = { StringLike = { "sts:ExternalId" = "acme@*" } }
    }]
  })
  inline_policy {
    name = "deploy"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
    })
  }
  tags = {
    "trustgate:owner"         = "@platform/delivery"
    "trustgate:expiry"        = "2026-12-01"
    "trustgate:justification" = "Spacelift stack runner, SEC-2001"
  }
}

# A Lambda execution role: only the Lambda service, acting for this account.
resource "aws_iam_role" "lambda_exec" {
  name = "report-builder"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "lambda_exec" {
  name = "logs"
  role = aws_iam_role.lambda_exec.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "*"
    }]
  })
}

# GitHub Actions deploys from one repository (OIDC); approved by an exception in .trustgate.hcl.
resource "aws_iam_role" "github_deploy" {
  name = "github-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:acme/infra:ref:refs/heads/main" }
      }
    }]
  })
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

# trustgate: owner=@data/reporting expiry=2027-03-31
#   justification="Auditor reads quarterly reports, AUD-88"
resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AuditorRead"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:role/auditor" }
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]
    }]
  })
}

# A KMS key shared with the analytics account; its approval runs out within the month.
resource "aws_kms_key" "shared" {
  description = "shared analytics key"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Owner"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AnalyticsDecrypt"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::333333333333:role/analytics" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
  tags = {
    "trustgate:owner"         = "@data/analytics"
    "trustgate:expiry"        = "2026-12-20"
    "trustgate:justification" = "Analytics reads the shared exports, DATA-12"
  }
}

# A topic another account publishes to; the annotation's justification is too short to count.
resource "aws_sns_topic" "alerts" {
  name = "alerts"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "444455556666" }
      Action    = "sns:Publish"
      Resource  = "arn:aws:sns:eu-west-1:${data.aws_caller_identity.current.account_id}:alerts"
    }]
  })
  tags = {
    "trustgate:owner"         = "@sre"
    "trustgate:expiry"        = "2027-01-31"
    "trustgate:justification" = "alerts"
  }
}
