# Fail closed: the statements come from a `dynamic` block whose for_each is known only after apply (keyed by
# the queue's ARN), and they grant another account. The document must stay unverifiable: neither dropped nor
# reduced to its static statement.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_sqs_queue" "this" {
  name = "partner-feed"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "Owner"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.this.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
  }

  dynamic "statement" {
    for_each = { for arn in [aws_sqs_queue.this.arn] : arn => "arn:aws:iam::999988887777:root" }
    content {
      actions   = ["sqs:SendMessage"]
      resources = [statement.key]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.url
  policy    = data.aws_iam_policy_document.this.json
}
