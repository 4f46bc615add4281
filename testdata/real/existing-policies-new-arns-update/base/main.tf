locals {
  account = data.aws_caller_identity.current.account_id
}

# Live infrastructure: two queues and a bucket, each with a policy for the own account only.
resource "aws_sqs_queue" "orders" {
  name = "upd-orders"
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OwnSend"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.orders.arn
    }]
  })
}

resource "aws_sqs_queue" "feed" {
  name = "upd-feed"
}

resource "aws_sqs_queue_policy" "feed" {
  queue_url = aws_sqs_queue.feed.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OwnSend"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.feed.arn
    }]
  })
}

resource "aws_s3_bucket" "reports" {
  bucket = "upd-new-arns-reports"
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OwnRead"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.reports.arn}/*"
    }]
  })
}

resource "aws_s3_bucket" "batch" {
  bucket = "upd-new-arns-batch"
}

resource "aws_s3_bucket_policy" "batch" {
  bucket = aws_s3_bucket.batch.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "OwnRead"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account}:root" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.batch.arn}/*"
    }]
  })
}
