terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# No caller identity data source: the quick start relies on detection from the resources' ARNs.
resource "aws_cloudwatch_event_rule" "forward" {
  name          = "forward-to-partner"
  event_pattern = jsonencode({ source = ["app.orders"] })
}

# `arn` here is an argument the author writes (the target's ARN), not the ARN AWS computed for this resource.
resource "aws_cloudwatch_event_target" "partner_bus" {
  rule     = aws_cloudwatch_event_rule.forward.name
  arn      = "arn:aws:events:eu-west-1:999988887777:event-bus/default"
  role_arn = aws_iam_role.forwarder.arn
}

resource "aws_iam_role" "forwarder" {
  name = "forwarder"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
