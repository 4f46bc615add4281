locals {
  account = data.aws_caller_identity.current.account_id
}

resource "aws_iam_role" "fn" {
  name = "thumbnails-fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "thumbnails" {
  function_name = "thumbnails"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "${path.module}/fn.zip"
}

# S3 may invoke the function for any bucket of any account: no source_account / source_arn.
resource "aws_lambda_permission" "s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.thumbnails.function_name
  principal     = "s3.amazonaws.com"
}

# Pinned by source_account: inside.
resource "aws_lambda_permission" "events" {
  statement_id   = "AllowEvents"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.thumbnails.function_name
  principal      = "events.amazonaws.com"
  source_account = local.account
}

# A public function URL.
resource "aws_lambda_function_url" "public" {
  function_name      = aws_lambda_function.thumbnails.function_name
  authorization_type = "NONE"
}

resource "aws_ecr_repository" "images" {
  name = "images"
}

# Another account may pull.
resource "aws_ecr_repository_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PartnerPull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    }]
  })
}

resource "aws_secretsmanager_secret" "db" {
  name = "db-password"
}

# Only roles of the own organization: aws:PrincipalOrgID is not in the boundary here, so outside.
resource "aws_secretsmanager_secret_policy" "db" {
  secret_arn = aws_secretsmanager_secret.db.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Org"
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders"
}

# A partner account may put events on the bus.
resource "aws_cloudwatch_event_bus_policy" "orders" {
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PartnerPut"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "events:PutEvents"
      Resource  = aws_cloudwatch_event_bus.orders.arn
    }]
  })
}

# Route 53 query logging into CloudWatch Logs, for any account's hosted zone: the finding stays.
resource "aws_cloudwatch_log_resource_policy" "route53" {
  policy_name = "route53-query-logging"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "route53.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "arn:aws:logs:*:*:log-group:/aws/route53/*"
    }]
  })
}

# Pinned by aws:SourceAccount: inside.
resource "aws_cloudwatch_log_resource_policy" "delivery" {
  policy_name = "delivery"
  policy_document = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "delivery.logs.amazonaws.com" }
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = "arn:aws:logs:eu-west-1:${local.account}:log-group:/aws/vendedlogs/*"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
    }]
  })
}
