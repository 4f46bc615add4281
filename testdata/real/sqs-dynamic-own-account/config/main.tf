# A queue module's shape: the policy is assembled from a map of statements with `dynamic` blocks, and its
# Resource is the queue's own ARN, known only after apply. Every principal is this account.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

variable "create_queue_policy" {
  type    = bool
  default = true
}

locals {
  queue_policy_statements = {
    account = {
      sid     = "AccountReadWrite"
      actions = ["sqs:SendMessage", "sqs:ReceiveMessage"]
      principals = [{
        type        = "AWS"
        identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
      }]
    }
  }
}

resource "aws_sqs_queue" "this" {
  name = "orders"
}

data "aws_iam_policy_document" "this" {
  count = var.create_queue_policy ? 1 : 0

  dynamic "statement" {
    for_each = local.queue_policy_statements
    content {
      sid       = try(statement.value.sid, null)
      actions   = try(statement.value.actions, null)
      resources = [aws_sqs_queue.this.arn]

      dynamic "principals" {
        for_each = try(statement.value.principals, [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = try(statement.value.conditions, [])
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  count     = var.create_queue_policy ? 1 : 0
  queue_url = aws_sqs_queue.this.url
  policy    = data.aws_iam_policy_document.this[0].json
}
