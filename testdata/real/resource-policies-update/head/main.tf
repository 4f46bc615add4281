locals {
  account = data.aws_caller_identity.current.account_id
}

resource "aws_iam_role" "fn" {
  name = "upd-fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "upd-fn"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "${path.module}/fn.zip"
}

# The change drops source_account: S3 may invoke for any account's bucket.
resource "aws_lambda_permission" "s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn.function_name
  principal     = "s3.amazonaws.com"
}

resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}

resource "aws_s3_bucket" "reports" {
  bucket = "upd-reports"
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.reports.arn}/*"
      },
      {
        Sid       = "PartnerRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::999988887777:root" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.reports.arn}/*"
      }
    ]
  })
}

resource "aws_s3_bucket" "same" {
  bucket = "upd-same"
}

# The change only renames the Sid and writes the account as a bare id: no new access.
resource "aws_s3_bucket_policy" "same" {
  bucket = aws_s3_bucket.same.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OwnAccountRead"
      Effect    = "Allow"
      Principal = { AWS = local.account }
      Action    = ["s3:GetObject", "s3:ListBucket"]
      Resource  = [aws_s3_bucket.same.arn, "${aws_s3_bucket.same.arn}/*"]
    }]
  })
}

resource "aws_kms_key" "data" {
  description = "data"
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
        Sid       = "PartnerDecrypt"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::999988887777:root" }
        Action    = "kms:Decrypt"
        Resource  = "*"
      }
    ]
  })
}

resource "aws_kms_grant" "reader" {
  name              = "reader"
  key_id            = aws_kms_key.data.key_id
  grantee_principal = "arn:aws:iam::999988887777:role/reader"
  operations        = ["Decrypt"]
}

resource "aws_ecr_repository" "images" {
  name = "upd-images"
}

resource "aws_ecr_repository_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Pull"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::${local.account}:root", "arn:aws:iam::999988887777:root"] }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}

resource "aws_secretsmanager_secret" "db" {
  name = "upd-db"
}

resource "aws_secretsmanager_secret_policy" "db" {
  secret_arn = aws_secretsmanager_secret.db.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Read"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"

    }]
  })
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "upd-orders"
}

resource "aws_cloudwatch_event_bus_policy" "orders" {
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Put"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "events:PutEvents"
      Resource  = aws_cloudwatch_event_bus.orders.arn
    }]
  })
}

resource "aws_cloudwatch_log_resource_policy" "route53" {
  policy_name = "upd-route53"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Route53Logs"
      Effect    = "Allow"
      Principal = { Service = "route53.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "arn:aws:logs:eu-west-1:${local.account}:log-group:/aws/route53/*"

    }]
  })
}

