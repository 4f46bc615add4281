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
    iam = "__REALTF_ENDPOINT__"
  }
}

data "aws_caller_identity" "current" {}
