#!/usr/bin/env python3
"""Generates a tree of Terraform `.tf` files for the HCL index benchmark (issue 5).

Standard library only, deterministic for a given (--files, --seed). Files are spread over one directory per
module (`modules/svc_<i>/`), called from a root `main.tf`, and look like real AWS configurations: IAM roles with jsonencode trust
policies, heredoc bucket policies, locals, variables, for_each and count, comments.

  gentf.py --files 10000 --out /tmp/tf
"""

import argparse
import os
import random

SERVICES = ["billing", "orders", "payments", "search", "auth", "catalog", "ledger", "notify", "ingest"]
ACCOUNT = "111122223333"
ORG_ACCOUNTS = ["210987654321", "345678901234", "456789012345"]


def role_block(r, name):
    principal = r.choice(ORG_ACCOUNTS + [ACCOUNT])
    return '''resource "aws_iam_role" "%(n)s" {
  name = "${var.service}-%(n)s"
  # Trust policy: who may assume this role.
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Assume"
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::%(p)s:root" }
      Condition = {
        StringEquals = { "sts:ExternalId" = "%(x)s" }
      }
    }]
  })
  tags = merge(local.tags, { Name = "%(n)s" })
}
''' % {"n": name, "p": principal, "x": "ext-%06d" % r.randrange(10 ** 6)}


def bucket_block(r, name):
    return '''resource "aws_s3_bucket" "%(n)s" {
  bucket = "${var.service}-%(n)s-${var.env}"
  tags   = local.tags
}

resource "aws_s3_bucket_policy" "%(n)s" {
  bucket = aws_s3_bucket.%(n)s.id
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "OrgRead",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::%(p)s:root"},
          "Action": ["s3:GetObject", "s3:ListBucket"],
          "Resource": ["arn:aws:s3:::${var.service}-%(n)s-${var.env}/*"]
        }
      ]
    }
  POLICY
}
''' % {"n": name, "p": r.choice(ORG_ACCOUNTS)}


def instance_block(r, name):
    return '''resource "aws_instance" "%(n)s" {
  for_each      = toset(var.zones)
  ami           = data.aws_ami.base.id
  instance_type = var.env == "prod" ? "m6i.large" : "t3.micro"
  subnet_id     = module.network.subnet_ids[each.key]

  root_block_device {
    volume_size = %(v)d
    encrypted   = true
  }

  tags = merge(local.tags, { Name = "%(n)s-${each.key}" })
}
''' % {"n": name, "v": r.choice([20, 40, 80])}


HEADER = '''variable "service" {
  type    = string
  default = "%(s)s"
}

variable "env" {
  type    = string
  default = "prod"
}

locals {
  tags = { Service = var.service, Env = var.env, Owner = "team-%(s)s" }
}
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, required=True)
    parser.add_argument("--per-module", type=int, default=25, help="files per module directory")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    r = random.Random(args.seed)
    total = 0
    for i in range(args.files):
        module = i // args.per_module
        directory = os.path.join(args.out, "modules", "svc_%04d" % module)
        os.makedirs(directory, exist_ok=True)
        service = SERVICES[module % len(SERVICES)]
        parts = [HEADER % {"s": service}] if i % args.per_module == 0 else []
        # About 2 kB per file: a few resource blocks of mixed kinds.
        while sum(len(p) for p in parts) < 1750:
            kind = r.choice([role_block, bucket_block, instance_block])
            parts.append(kind(r, "r%d_%d" % (i, len(parts))))
        text = "\n".join(parts)
        with open(os.path.join(directory, "f%05d.tf" % i), "w") as f:
            f.write(text)
        total += len(text)
    # The root module calls every module directory, so that an indexer that follows module blocks reads all.
    modules = (args.files + args.per_module - 1) // args.per_module
    root = "".join('module "svc_%04d" {\n  source = "./modules/svc_%04d"\n}\n\n' % (m, m) for m in range(modules))
    with open(os.path.join(args.out, "main.tf"), "w") as f:
        f.write(root)
    total += len(root)
    print("wrote %d .tf files, %d bytes (%.1f MB) under %s" % (args.files, total, total / 1e6, args.out))


if __name__ == "__main__":
    main()
