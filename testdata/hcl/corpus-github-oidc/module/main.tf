variable "app_k8s_namespace" {
  type    = set(string)
  default = ["p2", "p1"]
}

resource "aws_iam_openid_connect_provider" "r5" {
  url             = "https://accounts.google.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["cf23df2207d99a74fbe169e3eba035e633b65d94"]
}

data "aws_iam_policy_document" "r3" {
  for_each = var.app_k8s_namespace

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.r5.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.r5.url}:sub"
      values   = ["system:serviceaccount:${each.value}:app"]
    }
    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.r5.url}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "r4" {
  for_each = var.app_k8s_namespace

  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["cognito-identity.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.r5.url}:sub"
      values   = ["system:serviceaccount:${each.value}:app"]
    }
    condition {
      test     = "StringEquals"
      variable = "${aws_iam_openid_connect_provider.r5.url}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "r1" {
  for_each = var.app_k8s_namespace

  name                  = "r2"
  assume_role_policy    = data.aws_iam_policy_document.r3[each.key].json
  force_detach_policies = true

  inline_policy {
    name = "eks_s3_access"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "AllowListingOfUserFolder"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = ["arn:aws:s3:::"]
        Condition = { StringLike = { "s3:prefix" = ["${each.value}/*"] } }
      }]
    })
  }
}

resource "aws_iam_role" "r6" {
  for_each = var.app_k8s_namespace

  name                  = "r8"
  assume_role_policy    = data.aws_iam_policy_document.r4[each.key].json
  force_detach_policies = true

  inline_policy {
    name = "eks_s3_access"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "AllowListingOfUserFolder"
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = ["arn:aws:s3:::"]
        Condition = { StringLike = { "s3:prefix" = ["${each.value}/*"] } }
      }]
    })
  }
}
