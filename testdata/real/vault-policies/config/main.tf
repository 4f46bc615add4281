terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
}

# A Glacier vault another account may read archives from: a cross-account grant.
resource "aws_glacier_vault" "archive" {
  name = "archive"
  access_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = ["glacier:InitiateJob", "glacier:GetJobOutput"]
        Resource  = "arn:aws:glacier:eu-west-1:${local.account}:vaults/archive"
      },
      {
        Sid       = "AuditorRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::999988887777:root" }
        Action    = ["glacier:InitiateJob", "glacier:GetJobOutput"]
        Resource  = "arn:aws:glacier:eu-west-1:${local.account}:vaults/archive"
      }
    ]
  })
}

resource "aws_backup_vault" "main" {
  name = "main"
}

# A Backup vault that only the own account may copy into, and that nobody may delete recovery points from.
resource "aws_backup_vault_policy" "main" {
  backup_vault_name = aws_backup_vault.main.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnCopies"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "backup:CopyIntoBackupVault"
        Resource  = "*"
      },
      {
        Sid       = "NoDeletes"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "backup:DeleteRecoveryPoint"
        Resource  = "*"
      }
    ]
  })
}

resource "aws_backup_vault" "shared" {
  name = "shared"
}

# A Backup vault another account may copy recovery points into: a cross-account grant.
resource "aws_backup_vault_policy" "shared" {
  backup_vault_name = aws_backup_vault.shared.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PartnerCopies"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "backup:CopyIntoBackupVault"
      Resource  = "*"
    }]
  })
}
