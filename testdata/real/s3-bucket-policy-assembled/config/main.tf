terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

variable "deny_insecure_transport" {
  type    = bool
  default = true
}

variable "readers" {
  type    = map(string)
  default = { ci = "ci-reader" }
}

# Buckets built the way S3 modules build them: the policy is assembled with source_policy_documents from
# counted / for_each'd documents, each over the bucket's ARN (known only after apply).
resource "aws_s3_bucket" "logs" {
  bucket = "assembled-logs"
}

resource "aws_s3_bucket" "shared" {
  bucket = "assembled-shared"
}

data "aws_iam_policy_document" "deny_insecure" {
  count = var.deny_insecure_transport ? 1 : 0
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "reader" {
  for_each = var.readers
  statement {
    sid     = "Read${each.key}"
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${each.value}"]
    }
    resources = ["${aws_s3_bucket.logs.arn}/*"]
  }
}

data "aws_iam_policy_document" "logs" {
  source_policy_documents = compact(concat(
    data.aws_iam_policy_document.deny_insecure[*].json,
    [for d in data.aws_iam_policy_document.reader : d.json],
  ))
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}

# The hostile counterpart: the same assembly, with an override that lets another account read.
data "aws_iam_policy_document" "partner" {
  statement {
    sid     = "PartnerRead"
    actions = ["s3:GetObject"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }
    resources = ["${aws_s3_bucket.shared.arn}/*"]
  }
}

data "aws_iam_policy_document" "shared" {
  source_policy_documents   = data.aws_iam_policy_document.deny_insecure[*].json
  override_policy_documents = [data.aws_iam_policy_document.partner.json]
}

resource "aws_s3_bucket_policy" "shared" {
  bucket = aws_s3_bucket.shared.id
  policy = data.aws_iam_policy_document.shared.json
}
