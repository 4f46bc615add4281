# More resource-policy types, each once the way teams write it: some stay inside the own account (or pin a
# service to it), some share with another account or with anyone.

locals {
  account = data.aws_caller_identity.current.account_id
}

# KMS key for CloudTrail: the own account's root, and CloudTrail pinned by the encryption context of the own
# account's trails (the AWS-documented pin). Inside.
resource "aws_kms_key" "trail" {
  description = "cloudtrail"
}

resource "aws_kms_key_policy" "trail" {
  key_id = aws_kms_key.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Owner"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudTrail"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringLike = { "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:aws:cloudtrail:*:${local.account}:trail/*" }
        }
      }
    ]
  })
}

# The default event bus opened to a partner account: external-account.
resource "aws_cloudwatch_event_permission" "partner" {
  principal    = "111122223333"
  statement_id = "Partner"
}

# A REST API invocable by anyone from one IP range: the range limits the network, not who calls: public.
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

resource "aws_api_gateway_rest_api_policy" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "${aws_api_gateway_rest_api.api.execution_arn}/*"
      Condition = { IpAddress = { "aws:SourceIp" = "203.0.113.0/24" } }
    }]
  })
}

# An EFS file system mountable by any principal over TLS: TLS limits the transport, not who mounts: public.
resource "aws_efs_file_system" "shared" {
  creation_token = "shared"
}

resource "aws_efs_file_system_policy" "shared" {
  file_system_id = aws_efs_file_system.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
      Resource  = aws_efs_file_system.shared.arn
      Condition = { Bool = { "aws:SecureTransport" = "true" } }
    }]
  })
}

# ECR registry replication into this registry from a build account: external-account.
resource "aws_ecr_registry_policy" "replication" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Replication"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:root" }
      Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
      Resource  = "arn:aws:ecr:eu-west-1:${local.account}:repository/*"
    }]
  })
}

# An S3 access point for the own account's application role only: inside.
resource "aws_s3_bucket" "data" {
  bucket = "orders-data-ap"
}

resource "aws_s3_access_point" "app" {
  bucket = aws_s3_bucket.data.id
  name   = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:role/app" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:eu-west-1:${local.account}:accesspoint/app/object/*"
    }]
  })
}

# A Lambda layer shared with every account of another organization: external-account ("*" under that
# organization's id).
resource "aws_lambda_layer_version" "common" {
  layer_name = "common"
  filename   = "${path.module}/layer.zip"
}

resource "aws_lambda_layer_version_permission" "org" {
  layer_name      = aws_lambda_layer_version.common.layer_arn
  version_number  = aws_lambda_layer_version.common.version
  statement_id    = "other-org"
  action          = "lambda:GetLayerVersion"
  principal       = "*"
  organization_id = "o-zz9zz9zz9z"
}

# The Glue Data Catalog shared with an analytics account: external-account.
resource "aws_glue_resource_policy" "catalog" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::777788889999:root" }
      Action    = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables"]
      Resource  = "arn:aws:glue:eu-west-1:${local.account}:*"
    }]
  })
}

# A DynamoDB table readable by the own account's reporting role: inside.
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_dynamodb_resource_policy" "orders" {
  resource_arn = aws_dynamodb_table.orders.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:role/reporting" }
      Action    = ["dynamodb:GetItem", "dynamodb:Query"]
      Resource  = aws_dynamodb_table.orders.arn
    }]
  })
}

# A Kinesis stream read by a consumer role of another account: external-account.
resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1
}

resource "aws_kinesis_resource_policy" "events" {
  resource_arn = aws_kinesis_stream.events.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222233334444:role/consumer" }
      Action    = ["kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
      Resource  = aws_kinesis_stream.events.arn
    }]
  })
}

# An SES identity the own account's mailer role may send from: inside.
resource "aws_ses_email_identity" "noreply" {
  email = "noreply@example.com"
}

resource "aws_ses_identity_policy" "noreply" {
  identity = aws_ses_email_identity.noreply.arn
  name     = "mailer"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:role/mailer" }
      Action    = ["ses:SendEmail", "ses:SendRawEmail"]
      Resource  = aws_ses_email_identity.noreply.arn
    }]
  })
}
