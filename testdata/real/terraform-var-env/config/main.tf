terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# plan-env sets TF_VAR_* for each variable below; the variable definitions files here override some of them.

# Only TF_VAR_partner_account sets it (no default, no file).
variable "partner_account" {
  type = string
}

# TF_VAR_audit_account (333333333333) < terraform.tfvars (999988887777).
variable "audit_account" {
  type    = string
  default = "123456789012"
}

# TF_VAR_backup_account < terraform.tfvars < terraform.tfvars.json < backup.auto.tfvars (999988887777).
variable "backup_account" {
  type    = string
  default = "123456789012"
}

# terraform.tfvars (222222222222) < terraform.tfvars.json (999988887777).
variable "log_account" {
  type    = string
  default = "123456789012"
}

# A list from the environment: TF_VAR_reader_accounts is HCL, `["123456789012", "999988887777"]`.
variable "reader_accounts" {
  type    = list(string)
  default = []
}

# TF_VAR_own_account is the own account and nothing overrides it: no finding.
variable "own_account" {
  type    = string
  default = "999988887777"
}

resource "aws_iam_role" "ci" {
  name = "var-env-ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ec2.amazonaws.com" }
    }]
  })
}

locals {
  trusted = {
    partner = var.partner_account
    audit   = var.audit_account
    backup  = var.backup_account
    log     = var.log_account
    reader  = var.reader_accounts[1]
    own     = var.own_account
  }
}

resource "aws_iam_role" "trusted" {
  for_each = local.trusted
  name     = "var-env-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [aws_iam_role.ci.arn, "arn:aws:iam::${each.value}:root"] }
    }]
  })
}
