terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# The partner's account: its own account by default; the variable definitions files set it (the last one
# Terraform reads, b.auto.tfvars.json, wins).
variable "partner_account" {
  type    = string
  default = "123456789012"
}

resource "aws_iam_role" "ci" {
  name = "file-rules-ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

# As written here the deployer trusts only the CI role; main_override.tf replaces the whole argument.
resource "aws_iam_role" "deployer" {
  name = "file-rules-deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = aws_iam_role.ci.arn }
    }]
  })
}

data "aws_iam_policy_document" "partner_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.ci.arn, "arn:aws:iam::${var.partner_account}:root"]
    }
  }
}

resource "aws_iam_role" "partner" {
  name               = "file-rules-partner"
  assume_role_policy = data.aws_iam_policy_document.partner_trust.json
}
