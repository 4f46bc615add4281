provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "b" {
  bucket = "tg-dup"
}

# A hand-written policy string: the reviewer reads "Deny", but JSON parsers keep the last "Effect".
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Deny",
          "Principal": "*",
          "Action": "s3:GetObject",
          "Resource": "arn:aws:s3:::tg-dup/*",
          "Effect": "Allow"
        }
      ]
    }
  JSON
}
