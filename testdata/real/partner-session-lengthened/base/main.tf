terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# A partner's deploy role, approved long ago with one-hour sessions.
resource "aws_iam_role" "partner" {
  name                 = "partner-deploy"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222222222222:role/deployer" }
      Action    = "sts:AssumeRole"
    }]
  })
}
