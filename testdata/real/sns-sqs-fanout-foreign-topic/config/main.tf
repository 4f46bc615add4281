terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# A second provider configuration that works in another account (999988887777); moto answers for it through
# the assumed role. __REALTF_ENDPOINT__ is replaced by regen.sh with the local AWS endpoint.
provider "aws" {
  alias      = "peer"
  region     = "eu-west-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/peer"
  }
  endpoints {
    sts = "__REALTF_ENDPOINT__"
    sns = "__REALTF_ENDPOINT__"
  }
}

# The same topic through a provider whose account the plan does not say (no assume_role, no
# allowed_account_ids): where it lives is not known offline.
provider "aws" {
  alias      = "elsewhere"
  region     = "eu-west-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    sts = "__REALTF_ENDPOINT__"
    sns = "__REALTF_ENDPOINT__"
  }
}

data "aws_caller_identity" "current" {}

# The topic is created in account 999988887777 ...
resource "aws_sns_topic" "partner" {
  provider = aws.peer
  name     = "partner-orders"
}

resource "aws_sns_topic" "unknown" {
  provider = aws.elsewhere
  name     = "unknown-orders"
}

resource "aws_sqs_queue" "billing" {
  name = "billing"
}

# ... so "aws:SourceArn = the topic's ARN" lets SNS deliver for another account's topic: outside.
resource "aws_sqs_queue_policy" "billing" {
  queue_url = aws_sqs_queue.billing.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "FromPartnerTopic"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.billing.arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.partner.arn } }
      }
    ]
  })
}

resource "aws_sqs_queue" "audit" {
  name = "audit"
}

# A topic of a provider whose account is unknown: cannot be shown to be own.
resource "aws_sqs_queue_policy" "audit" {
  queue_url = aws_sqs_queue.audit.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "FromUnknownTopic"
        Effect    = "Allow"
        Principal = { Service = "sns.amazonaws.com" }
        Action    = "sqs:SendMessage"
        Resource  = aws_sqs_queue.audit.arn
        Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.unknown.arn } }
      }
    ]
  })
}
