terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# Both default to the own account; plan-args sets them with -var and -var-file, in an order that matters.
variable "partner_account" {
  type    = string
  default = "123456789012"
}

variable "audit_account" {
  type    = string
  default = "123456789012"
}

resource "aws_iam_role" "ci" {
  name = "var-options-ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role" "partner" {
  name = "var-options-partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [aws_iam_role.ci.arn, "arn:aws:iam::${var.partner_account}:root"] }
    }]
  })
}

resource "aws_iam_role" "audit" {
  name = "var-options-audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [aws_iam_role.ci.arn, "arn:aws:iam::${var.audit_account}:root"] }
    }]
  })
}

# A set holds its elements in set order (strings sorted, duplicates gone), not as written: the second
# element is 999988887777.
variable "accounts" {
  type    = set(string)
  default = ["999988887777", "123456789012", "123456789012"]
}

resource "aws_iam_role" "ordered" {
  name = "var-options-ordered"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [aws_iam_role.ci.arn, "arn:aws:iam::${tolist(var.accounts)[1]}:root"] }
    }]
  })
}
