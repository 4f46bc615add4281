locals {
  account = data.aws_caller_identity.current.account_id
}

# The key policy of the CloudWatch Logs User Guide: the regional logs service, pinned by
# kms:EncryptionContext:aws:logs:arn to this account's log groups; and a partner account that may decrypt.
resource "aws_kms_key" "logs" {
  description = "log group encryption"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Logs"
        Effect    = "Allow"
        Principal = { Service = "logs.eu-west-1.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:eu-west-1:${local.account}:log-group:*" } }
      },
      {
        Sid       = "PartnerDecrypt"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::999988887777:root" }
        Action    = ["kms:Decrypt", "kms:DescribeKey"]
        Resource  = "*"
      }
    ]
  })
}

# A grant to a role of another account.
resource "aws_kms_grant" "partner" {
  name              = "partner"
  key_id            = aws_kms_key.logs.key_id
  grantee_principal = "arn:aws:iam::999988887777:role/reader"
  operations        = ["Decrypt"]
}
