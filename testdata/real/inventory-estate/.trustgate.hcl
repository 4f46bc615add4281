exception {
  address       = "aws_iam_role.github_deploy"
  owner         = "@platform/delivery"
  expiry        = "2027-02-28"
  justification = "GitHub Actions deploys acme/infra main, SEC-3100"
}
