terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

variable "create_topic_policy" {
  type    = bool
  default = true
}

variable "topic_policy" {
  type    = string
  default = null
}

variable "share_with_partner" {
  type    = bool
  default = true
}

# The topic's own policy argument is null whenever the separate policy resource is used (the usual module
# switch); the separate resource below carries the one real policy.
resource "aws_sns_topic" "events" {
  name   = "events"
  policy = var.create_topic_policy ? null : var.topic_policy
}

resource "aws_cloudwatch_event_rule" "hourly" {
  name                = "hourly"
  schedule_expression = "rate(1 hour)"
}

data "aws_iam_policy_document" "events" {
  statement {
    sid     = "Owner"
    actions = ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
    resources = [aws_sns_topic.events.arn]
  }

  statement {
    sid     = "HourlyRule"
    actions = ["sns:Publish"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    resources = [aws_sns_topic.events.arn]
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.hourly.arn]
    }
  }
}

resource "aws_sns_topic_policy" "events" {
  count  = var.create_topic_policy ? 1 : 0
  arn    = aws_sns_topic.events.arn
  policy = data.aws_iam_policy_document.events.json
}

# The hostile counterpart: the same switch, but its true branch shares the topic with another account.
resource "aws_sns_topic" "shared" {
  name = "shared"
  policy = var.share_with_partner ? jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Partner"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sns:Publish"
      Resource  = "arn:aws:sns:eu-west-1:${data.aws_caller_identity.current.account_id}:shared"
    }]
  }) : null
}
