# The queue's ARN (unknown until apply) is the Resource of a statement that grants another account: whatever
# the ARN turns out to be, account 999988887777 gains SendMessage, so this is a violation, not a guess.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_sqs_queue" "this" {
  name = "partner-inbox"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "Partner"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.url
  policy    = data.aws_iam_policy_document.this.json
}
