terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# A second provider configuration that works in another account (999988887777) through an assumed role.
# __REALTF_ENDPOINT__ is replaced by regen.sh with the local AWS endpoint.
provider "aws" {
  alias      = "peer"
  region     = "eu-west-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/deploy"
  }
  endpoints {
    sts = "__REALTF_ENDPOINT__"
    iam = "__REALTF_ENDPOINT__"
  }
}

data "aws_caller_identity" "current" {}

locals {
  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_kms_key" "data" {
  description = "data key"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Owner"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

# Created in this plan by the default provider: the caller's own account.
resource "aws_iam_role" "lambda" {
  name               = "data-reader"
  assume_role_policy = local.lambda_trust
}

# Created in this plan through the peer provider: account 999988887777.
resource "aws_iam_role" "peer" {
  provider           = aws.peer
  name               = "peer-reader"
  assume_role_policy = local.lambda_trust
}

# The role's ARN is known only after apply, but the role lives in this account: inside the boundary.
resource "aws_kms_grant" "lambda_decrypt" {
  name              = "lambda-decrypt"
  key_id            = aws_kms_key.data.key_id
  grantee_principal = aws_iam_role.lambda.arn
  operations        = ["Decrypt", "GenerateDataKey"]
}

resource "aws_kms_grant" "lambda_retire" {
  name               = "lambda-encrypt"
  key_id             = aws_kms_key.data.key_id
  grantee_principal  = aws_iam_role.lambda.arn
  retiring_principal = aws_iam_role.lambda.arn
  operations         = ["Encrypt"]
}

# The same shape for the peer account's role: outside the boundary, so it must still be reported.
resource "aws_kms_grant" "peer_decrypt" {
  name              = "peer-decrypt"
  key_id            = aws_kms_key.data.key_id
  grantee_principal = aws_iam_role.peer.arn
  operations        = ["Decrypt"]
}
