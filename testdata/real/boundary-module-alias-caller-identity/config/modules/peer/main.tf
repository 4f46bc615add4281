terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

data "aws_caller_identity" "this" {}

output "account_id" {
  value = data.aws_caller_identity.this.account_id
}
