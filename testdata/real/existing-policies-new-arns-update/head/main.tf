locals {
  account = data.aws_caller_identity.current.account_id
}

# New in this change: a topic and a role of the own account (default provider), and a topic and a role
# created through aws.peer, in 999988887777. Their ARNs are known only after apply.
resource "aws_sns_topic" "alerts" {
  name = "upd-alerts"
}

resource "aws_sns_topic" "peer_alerts" {
  provider = aws.peer
  name     = "upd-peer-alerts"
}

resource "aws_iam_role" "reader" {
  name = "upd-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role" "peer_reader" {
  provider = aws.peer
  name     = "upd-peer-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Its name is chosen by AWS at apply (name_prefix): the plan does not know it.
resource "aws_iam_role" "peer_batch" {
  provider    = aws.peer
  name_prefix = "upd-batch-"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_sqs_queue" "orders" {
  name = "upd-orders"
}

# The existing policy gains SNS delivery from the new own-account topic.
resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnSend"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.orders.arn
      },
      {
        Sid       = "FromAlerts"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.orders.arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.alerts.arn } }
      }
    ]
  })
}

resource "aws_sqs_queue" "feed" {
  name = "upd-feed"
}

# The existing policy gains SNS delivery from the topic in 999988887777.
resource "aws_sqs_queue_policy" "feed" {
  queue_url = aws_sqs_queue.feed.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnSend"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.feed.arn
      },
      {
        Sid       = "FromPeerAlerts"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.feed.arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.peer_alerts.arn } }
      }
    ]
  })
}

resource "aws_s3_bucket" "reports" {
  bucket = "upd-new-arns-reports"
}

# The existing policy gains two readers: the new own role, and the new role in 999988887777.
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
        Sid       = "ReaderRole"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.reader.arn }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.reports.arn}/*"
      },
      {
        Sid       = "PeerReaderRole"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.peer_reader.arn }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.reports.arn}/*"
      }
    ]
  })
}

resource "aws_s3_bucket" "batch" {
  bucket = "upd-new-arns-batch"
}

# The existing policy gains the new role in 999988887777 whose name AWS picks at apply.
resource "aws_s3_bucket_policy" "batch" {
  bucket = aws_s3_bucket.batch.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnRead"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.batch.arn}/*"
      },
      {
        Sid       = "PeerBatchRole"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.peer_batch.arn }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.batch.arn}/*"
      }
    ]
  })
}
