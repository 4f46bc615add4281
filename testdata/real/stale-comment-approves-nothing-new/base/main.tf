terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# A vendor's integration role: the vendor's account may assume it with the per-customer external id.
# trustgate: owner=@platform/integrations expiry=2027-06-30 justification="Vendor integration, ExternalId enforced, SEC-5120"
resource "aws_iam_role" "vendor" {
  name = "vendor-integration"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Vendor"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "acme-7f3c9e" } }
    }]
  })
}
