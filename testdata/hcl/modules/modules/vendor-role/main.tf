variable "name" {
  type = string
}

variable "account_id" {
  type = string
}

data "aws_iam_policy_document" "trust" {
  /* trustgate: owner=@security/audit expiry=2027-01-31
     justification="Quarterly access review by the vendor, SEC-77" */
  statement {
    sid     = "Vendor"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  statement {
    sid     = "GitHub"
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:octo-org/*"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = 1

  name               = "vendor-${var.name}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
