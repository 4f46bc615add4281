# Roles trusted by services that are not confined to the role's account, or with more than the
# PassRole actions: the confused-deputy finding stays.
resource "aws_iam_role" "unknown_service" {
  name = "mystery"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "mystery.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# A PassRole service, but granted every sts action (sts:* includes more than AssumeRole/TagSession).
resource "aws_iam_role" "too_many_actions" {
  name = "lambda-sts-star"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:*"
    }]
  })
}

# Pinned by aws:SourceAccount: inside.
resource "aws_iam_role" "pinned" {
  name = "mystery-pinned"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "mystery.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

# RDS enhanced monitoring without a pin: AWS documents a confused-deputy risk for this role (RDS User Guide,
# "Protecting against the confused deputy problem"), so it is not a PassRole exemption and keeps its finding.
resource "aws_iam_role" "rds_monitoring" {
  name = "db-monitoring-unpinned"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
