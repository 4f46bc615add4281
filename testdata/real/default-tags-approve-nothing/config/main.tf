terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

# One provider block puts the three trustgate keys into the tags_all of every resource in the workspace.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      "trustgate:owner"         = "@platform"
      "trustgate:expiry"        = "2027-06-30"
      "trustgate:justification" = "Workspace-wide default tags, PLAT-1"
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "partner" {
  name = "partner-access"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
