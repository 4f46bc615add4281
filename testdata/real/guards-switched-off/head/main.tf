provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "a" {
  bucket = "tg-guard-a"
}

# Switched off.
resource "aws_s3_bucket_public_access_block" "a" {
  bucket                  = aws_s3_bucket.a.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket" "b" {
  bucket = "tg-guard-b"
}

# The public access block of bucket b is removed.
