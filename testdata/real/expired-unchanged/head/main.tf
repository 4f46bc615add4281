terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# Datadog's integration role; its approval ends on 2026-12-01.
resource "aws_iam_role" "datadog" {
  name = "datadog-integration"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::464622532012:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "acme-dd-7f3a" } }
    }]
  })
  tags = {
    "trustgate:owner"         = "@platform/observability"
    "trustgate:expiry"        = "2026-12-01"
    "trustgate:justification" = "Datadog AWS integration, SEC-1234"
  }
}

# The change under review: an unrelated queue.
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}
