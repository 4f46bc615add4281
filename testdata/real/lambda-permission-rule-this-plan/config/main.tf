terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# A second provider configuration that works in another account (999988887777) through an assumed role.
# __REALTF_ENDPOINT__ is replaced by regen.sh with the local AWS endpoint.
provider "aws" {
  alias      = "peer"
  region     = "eu-west-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/deploy"
  }
  endpoints {
    sts         = "__REALTF_ENDPOINT__"
    iam         = "__REALTF_ENDPOINT__"
    events      = "__REALTF_ENDPOINT__"
    eventbridge = "__REALTF_ENDPOINT__"
  }
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "fn" {
  name = "nightly-fn"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "nightly" {
  function_name = "nightly"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "${path.module}/fn.zip"
}

# A schedule in this account (default provider).
resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 3 * * ? *)"
}

# A schedule in the peer account (999988887777).
resource "aws_cloudwatch_event_rule" "peer" {
  provider            = aws.peer
  name                = "peer-nightly"
  schedule_expression = "cron(0 4 * * ? *)"
}

# The principal is known; only source_arn waits for apply, and the rule is this account's: inside.
resource "aws_lambda_permission" "nightly" {
  statement_id  = "AllowNightlyRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.nightly.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.nightly.arn
}

# The same shape for the peer account's rule: EventBridge in 999988887777 may invoke the function.
resource "aws_lambda_permission" "peer" {
  statement_id  = "AllowPeerRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.nightly.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.peer.arn
}
