terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

variable "owner_principal" {
  type    = string
  default = null
}

variable "extra_statements" {
  type    = any
  default = []
}

variable "partner_statements" {
  type = any
  default = [[{
    Sid       = "PartnerSend"
    Effect    = "Allow"
    Principal = { AWS = "arn:aws:iam::999988887777:root" }
    Action    = "sqs:SendMessage"
  }]]
}

locals {
  own_root = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
}

# Statements as lists, joined with concat / flatten, principals chosen with coalesce, optional parts with try:
# the queue ARN in Resource is known only after apply.
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "Owner"
        Effect    = "Allow"
        Principal = { AWS = coalesce(var.owner_principal, local.own_root) }
        Action    = "sqs:*"
        Resource  = aws_sqs_queue.jobs.arn
      }],
      flatten(var.extra_statements),
      try(var.extra_statements[0].missing, []),
    )
  })
}

# The hostile counterpart: the same assembly, with a nested list of statements that lets another account send.
resource "aws_sqs_queue" "intake" {
  name = "intake"
}

resource "aws_sqs_queue_policy" "intake" {
  queue_url = aws_sqs_queue.intake.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for s in concat(
      [{
        Sid       = "Owner"
        Effect    = "Allow"
        Principal = { AWS = coalesce(var.owner_principal, local.own_root) }
        Action    = "sqs:*"
      }],
      flatten(var.partner_statements),
    ) : merge(s, { Resource = aws_sqs_queue.intake.arn })]
  })
}
