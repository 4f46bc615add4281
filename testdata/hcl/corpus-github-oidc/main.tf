provider "aws" {
  region = "eu-central-1"
  default_tags {
    tags = {
      checkov_uid = "CKV_AWS_358"
      environment = "test"
      managed_by  = "terraform"
    }
  }
}

module "poc" {
  source = "./module"
}
