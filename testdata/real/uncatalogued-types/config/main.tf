# Resource types that carry trust across accounts without a classic "policy" attribute, or whose policy
# attribute the catalog did not list. Every grant here reaches account 999988887777 (or the public).

resource "aws_s3_bucket" "logs" {
  bucket = "tg-logs"
}

# Canned ACL: everyone may read and write objects.
resource "aws_s3_bucket_acl" "canned" {
  bucket = aws_s3_bucket.logs.id
  acl    = "public-read-write"
}

resource "aws_s3_bucket" "shared" {
  bucket = "tg-shared"
}

# Explicit grants: FULL_CONTROL to another account's canonical user, READ to the AllUsers group.
resource "aws_s3_bucket_acl" "grants" {
  bucket = aws_s3_bucket.shared.id
  access_control_policy {
    owner {
      id = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
    }
    grant {
      grantee {
        type = "CanonicalUser"
        id   = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"
      }
      permission = "FULL_CONTROL"
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
  }
}

# Public access block switched off.
resource "aws_s3_bucket_public_access_block" "off" {
  bucket                  = aws_s3_bucket.shared.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_lakeformation_permissions" "ext" {
  principal   = "999988887777"
  permissions = ["SELECT", "DESCRIBE"]
  table {
    database_name = "sales"
    wildcard      = true
  }
}

resource "aws_organizations_resource_policy" "ext" {
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DelegatePolicies"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = ["organizations:DescribeOrganization", "organizations:CreatePolicy"]
      Resource  = "*"
    }]
  })
}

resource "aws_organizations_delegated_administrator" "ext" {
  account_id        = "999988887777"
  service_principal = "securityhub.amazonaws.com"
}

resource "aws_signer_signing_profile" "p" {
  platform_id = "AWSLambda-SHA384-ECDSA"
  name        = "tgprofile"
}

resource "aws_signer_signing_profile_permission" "ext" {
  profile_name = aws_signer_signing_profile.p.name
  action       = "signer:StartSigningJob"
  principal    = "999988887777"
  statement_id = "ext"
}

resource "aws_sesv2_email_identity" "e" {
  email_identity = "example.com"
}

resource "aws_sesv2_email_identity_policy" "ext" {
  email_identity = aws_sesv2_email_identity.e.email_identity
  policy_name    = "ext"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "ses:SendEmail"
      Resource  = "*"
    }]
  })
}

resource "aws_ecr_repository_creation_template" "ext" {
  prefix               = "team"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "MUTABLE"
  repository_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}

resource "aws_cloudsearch_domain" "d" {
  name = "tgdomain"
}

resource "aws_cloudsearch_domain_service_access_policy" "ext" {
  domain_name = aws_cloudsearch_domain.d.id
  access_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = ["cloudsearch:search", "cloudsearch:document"]
    }]
  })
}

resource "aws_cloudwatch_log_delivery_destination_policy" "ext" {
  delivery_destination_name = "tgdest"
  delivery_destination_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "999988887777" }
      Action    = "logs:CreateDelivery"
      Resource  = "arn:aws:logs:us-east-1:123456789012:delivery-destination:tgdest"
    }]
  })
}

resource "aws_s3control_access_grants_instance_resource_policy" "ext" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "999988887777" }
      Action    = ["s3:ListAccessGrants", "s3:GetDataAccess"]
      Resource  = "arn:aws:s3:us-east-1:123456789012:access-grants/default"
    }]
  })
}

resource "aws_route53_zone" "private" {
  name = "internal.example.com"
  vpc {
    vpc_id = "vpc-0aaaaaaaaaaaaaaaa"
  }
}

# Lets the owner of another account's VPC associate it with this private zone.
resource "aws_route53_vpc_association_authorization" "ext" {
  zone_id = aws_route53_zone.private.id
  vpc_id  = "vpc-0bbbbbbbbbbbbbbbb"
}
