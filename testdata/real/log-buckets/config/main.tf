locals {
  account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket" "trail" {
  bucket = "acme-cloudtrail-logs"
}

# The CloudTrail bucket policy of the CloudTrail User Guide, pinned by aws:SourceArn to the own trail.
resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = aws_s3_bucket.trail.arn
        Condition = { StringEquals = { "aws:SourceArn" = "arn:aws:cloudtrail:eu-west-1:${local.account}:trail/main" } }
      },
      {
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.trail.arn}/AWSLogs/${local.account}/*"
        Condition = {
          StringEquals = {
            "s3:x-amz-acl"  = "bucket-owner-full-control"
            "aws:SourceArn" = "arn:aws:cloudtrail:eu-west-1:${local.account}:trail/main"
          }
        }
      }
    ]
  })
}

resource "aws_s3_bucket" "config" {
  bucket = "acme-config-logs"
}

# AWS Config delivery, pinned by aws:SourceAccount.
resource "aws_s3_bucket_policy" "config" {
  bucket = aws_s3_bucket.config.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSConfigBucketPermissionsCheck"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = ["s3:GetBucketAcl", "s3:ListBucket"]
        Resource  = aws_s3_bucket.config.arn
        Condition = { StringEquals = { "AWS:SourceAccount" = local.account } }
      },
      {
        Sid       = "AWSConfigBucketDelivery"
        Effect    = "Allow"
        Principal = { Service = "config.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.config.arn}/AWSLogs/${local.account}/Config/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control", "AWS:SourceAccount" = local.account } }
      }
    ]
  })
}

resource "aws_s3_bucket" "alb" {
  bucket = "acme-alb-logs"
}

# ALB access logs in a newer region: the log delivery service principal, pinned by aws:SourceAccount; and
# the classic form, the regional ELB account of eu-west-1 (an AWS-owned account outside the boundary).
resource "aws_s3_bucket_policy" "alb" {
  bucket = aws_s3_bucket.alb.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "LogDelivery"
        Effect    = "Allow"
        Principal = { Service = "logdelivery.elasticloadbalancing.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.alb.arn}/alb/AWSLogs/${local.account}/*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
      },
      {
        Sid       = "ElbAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::156460612806:root" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.alb.arn}/alb/AWSLogs/${local.account}/*"
      }
    ]
  })
}

# A log bucket that lets the CloudTrail service write for anyone: the confused-deputy finding stays.
resource "aws_s3_bucket" "open" {
  bucket = "acme-open-logs"
}

resource "aws_s3_bucket_policy" "open" {
  bucket = aws_s3_bucket.open.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AnyTrail"
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "s3:PutObject"
      Resource  = "${aws_s3_bucket.open.arn}/*"
    }]
  })
}
