terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# A second account that this workspace also manages (moto answers for 999988887777 through the assumed
# role). __REALTF_ENDPOINT__ is replaced by regen.sh with the local AWS endpoint.
provider "aws" {
  alias      = "shared"
  region     = "eu-west-1"
  access_key = "test"
  secret_key = "test"

  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  assume_role {
    role_arn = "arn:aws:iam::999988887777:role/terraform"
  }
  endpoints {
    sts = "__REALTF_ENDPOINT__"
    sqs = "__REALTF_ENDPOINT__"
  }
}

data "aws_caller_identity" "current" {}

resource "aws_sqs_queue" "shared_events" {
  provider = aws.shared
  name     = "shared-events"
}

resource "aws_iam_role" "shared_reader" {
  name = "shared-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
