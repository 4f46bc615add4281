locals {
  oidc_host = "token.actions.githubusercontent.com"
  subjects  = [for repo in var.github_repos : "repo:${repo}:ref:refs/heads/main"]
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://${local.oidc_host}"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "github" {
  statement {
    sid     = "GitHubActions"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "${local.oidc_host}:sub"
      values   = local.subjects
    }
  }
}

resource "aws_iam_role" "ci" {
  name               = "github-ci"
  assume_role_policy = data.aws_iam_policy_document.github.json
}

resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "FromCi"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.ci.arn }
        Action    = "sts:AssumeRole"
      },
      {
        Sid       = "Partner"
        Effect    = "Allow"
        Principal = { AWS = format("arn:aws:iam::%s:root", var.trusted_account) }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

data "aws_iam_role" "partner" {
  name       = "partner-broker"
  depends_on = [aws_iam_role.ci]
}

resource "aws_iam_role" "partner" {
  name = "partner"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = data.aws_iam_role.partner.arn }
      Action    = "sts:AssumeRole"
    }]
  })
}
