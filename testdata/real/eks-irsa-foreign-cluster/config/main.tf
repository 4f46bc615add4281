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
    iam = "__REALTF_ENDPOINT__"
    ec2 = "__REALTF_ENDPOINT__"
    eks = "__REALTF_ENDPOINT__"
  }
}

data "aws_caller_identity" "current" {}

# A cluster in another account (999988887777): its pods are not the team's.
resource "aws_vpc" "peer" {
  provider   = aws.peer
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "peer_a" {
  provider          = aws.peer
  vpc_id            = aws_vpc.peer.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "peer_b" {
  provider          = aws.peer
  vpc_id            = aws_vpc.peer.id
  cidr_block        = "10.1.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_iam_role" "peer_cluster" {
  provider = aws.peer
  name     = "eks-cluster"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_eks_cluster" "peer" {
  provider = aws.peer
  name     = "peer"
  role_arn = aws_iam_role.peer_cluster.arn
  vpc_config {
    subnet_ids = [aws_subnet.peer_a.id, aws_subnet.peer_b.id]
  }
}

# The team's account registers the other account's cluster issuer ...
resource "aws_iam_openid_connect_provider" "peer" {
  url             = aws_eks_cluster.peer.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

# ... and a role its service accounts may assume: a federated grant to a population outside the boundary.
resource "aws_iam_role" "peer_pods" {
  name = "peer-pods"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.peer.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${replace(aws_iam_openid_connect_provider.peer.url, "https://", "")}:sub" = "system:serviceaccount:default:app"
        }
      }
    }]
  })
}
