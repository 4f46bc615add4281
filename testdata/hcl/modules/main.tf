terraform {
  required_version = ">= 1.5"
}

data "aws_caller_identity" "current" {}

# Datadog's AWS integration assumes this role from Datadog's own account.
# trustgate: owner=@platform/observability expiry=2027-03-31
#   justification="Datadog integration, SEC-1234"
resource "aws_iam_role" "datadog" {
  name = "datadog-integration"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::464622532012:root" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "sts:ExternalId" = "a1b2c3" } }
      },
    ]
  })
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
      // trustgate: owner=@team/release expiry=2027-02-01 justification="Release tooling in the build account, REL-9"
      {
        Sid       = "Build"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::555555555555:root" }
        Action    = "sts:AssumeRole"
      },
      {
        Sid       = "Legacy"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::666666666666:root" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

module "vendor" {
  source   = "./modules/vendor-role"
  for_each = { partner = "222222222222", auditor = "333333333333" }

  name       = each.key
  account_id = each.value
}

module "iam_github_oidc" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-github-oidc-role"
  version = "5.44.0"
  subjects = ["octo-org/app:*"]
}
