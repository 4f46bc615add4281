terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# Planned before the error: a role anyone may assume.
resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}

# The precondition fails, so terraform stops planning and saves an errored plan.
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  lifecycle {
    precondition {
      condition     = length(aws_iam_role.partner.name) > 10
      error_message = "the role name is longer than ten characters here"
    }
  }
}
