terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

# Repository policies written in the root module with plain statement blocks and passed into a repository
# module as an argument, the way ECR modules' complete examples do.
resource "aws_iam_role" "builder" {
  name = "image-builder"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codebuild.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

data "aws_iam_policy_document" "own_push" {
  statement {
    sid     = "OwnPush"
    actions = ["ecr:BatchGetImage", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:CompleteLayerUpload"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.builder.arn]
    }
  }
  statement {
    sid     = "OwnPull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

module "images" {
  source            = "./modules/repo"
  name              = "images"
  repository_policy = data.aws_iam_policy_document.own_push.json
}

# The hostile counterpart: the same module, a document that lets another account pull.
data "aws_iam_policy_document" "partner_pull" {
  statement {
    sid     = "PartnerPull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }
  }
  statement {
    sid     = "BuilderPush"
    actions = ["ecr:PutImage"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.builder.arn]
    }
  }
}

module "shared" {
  source            = "./modules/repo"
  name              = "shared"
  repository_policy = data.aws_iam_policy_document.partner_pull.json
}
