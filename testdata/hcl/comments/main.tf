# Every place a trustgate comment can be written, and two that are malformed.

/*
 * trustgate: owner=@data/platform expiry=2027-03-31
 *   justification="Analytics account reads the shared bucket, DATA-41"
 */
resource "aws_s3_bucket_policy" "shared" {
  bucket = "shared-data"
  policy = data.aws_iam_policy_document.shared.json
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "DenyInsecure"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::shared-data/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "shared" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  // trustgate: owner=@data/ml expiry=2027-01-15 justification="ML account trains on the shared data, ML-7"
  statement {
    sid       = "MachineLearning"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::shared-data/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::777777777777:root"]
    }
  }

  statement {
    sid       = "Analytics"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::shared-data/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::888888888888:root"]
    }
  }
}

# trustgate: ownr=@someone expiry=2027-13-01 justification="unterminated
resource "aws_iam_role" "typo" {
  name = "typo"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999999999999:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
