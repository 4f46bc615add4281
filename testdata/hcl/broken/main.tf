resource "aws_iam_role" "ok" {
  name = "ok"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
