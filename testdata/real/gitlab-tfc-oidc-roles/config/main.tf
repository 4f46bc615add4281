resource "aws_iam_openid_connect_provider" "gitlab" {
  url            = "https://gitlab.example.com"
  client_id_list = ["https://gitlab.example.com"]
}

resource "aws_iam_openid_connect_provider" "tfc" {
  url            = "https://app.terraform.io"
  client_id_list = ["aws.workload.identity"]
}

# Any project of the group platform (and its subgroups) on the team's GitLab instance.
resource "aws_iam_role" "gitlab_deploy" {
  name = "gitlab-deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.gitlab.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "gitlab.example.com:aud" = "https://gitlab.example.com" }
        StringLike   = { "gitlab.example.com:sub" = "project_path:platform/*:ref_type:branch:ref:main" }
      }
    }]
  })
}

# A TFC workspace of the team's organization and project.
resource "aws_iam_role" "tfc_apply" {
  name = "tfc-apply"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.tfc.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "app.terraform.io:aud" = "aws.workload.identity" }
        StringLike   = { "app.terraform.io:sub" = "organization:acme-corp:project:infra:workspace:*:run_phase:*" }
      }
    }]
  })
}

# Another TFC organization: outside.
resource "aws_iam_role" "tfc_foreign" {
  name = "tfc-foreign"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.tfc.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "app.terraform.io:aud" = "aws.workload.identity" }
        StringLike   = { "app.terraform.io:sub" = "organization:*:project:infra:workspace:*:run_phase:*" }
      }
    }]
  })
}
