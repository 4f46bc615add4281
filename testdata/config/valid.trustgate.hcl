# A complete config as in DESIGN section 6.
boundary {
  accounts      = ["111111111111"]
  organizations = ["o-a1b2c3d4e5"]
}

annotations {
  max_expiry_days          = 365
  min_justification_length = 10
  inline                   = true # comments and tags count
}

exception {
  address       = "module.vendor[\"datadog\"].aws_iam_role.this"
  principal     = "arn:aws:iam::464622532012:root"
  owner         = "@platform/observability"
  expiry        = "2027-03-31"
  justification = "Datadog integration, SEC-1234"
}

# Any principal, any CI role; expired on purpose so validation has something to say.
exception {
  address       = "aws_iam_role.ci_*"
  owner         = "@platform/ci"
  expiry        = "2026-01-31"
  justification = "GitHub OIDC for CI"
}
