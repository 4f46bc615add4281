#!/usr/bin/env python3
"""Synthetic `terraform show -json` STATE generator for the inventory benchmark (a variant of
../shared/tools/genplan.py: same account, provider and attribute shapes, but a state — `values.root_module` with
child modules — instead of a plan).

Writes FILES state files of RESOURCES managed resources each (plus one data.aws_caller_identity), into OUT_DIR.
About a quarter of the resources carry a policy (roles trusting other accounts or services, bucket, key, queue
and topic policies, Lambda permissions); a third of those carry trustgate:* tags with expiries spread over past
and future, so every inventory status occurs. Standard library only; deterministic for a given --seed.

  genstate.py --files 1000 --resources 100 --seed 1 --out /tmp/states
"""
import argparse
import json
import os
import random

TF_VERSION = "1.11.4"
PROVIDER = "registry.terraform.io/hashicorp/aws"
ACCOUNT = "111122223333"
EXTERNAL = ["464622532012", "324880187172", "999988887777", "444455556666", "222222222222", "135792468024"]
SERVICES = ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "events.amazonaws.com", "states.amazonaws.com"]
REGION = "us-east-1"


def policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":"))


def tags(rng, name):
    base = {"Name": name, "env": rng.choice(["prod", "staging", "dev"])}
    if rng.random() < 0.35:
        month = rng.randint(1, 12)
        year = rng.choice([2026, 2027])
        base.update({
            "trustgate:owner": "@team/" + rng.choice(["platform", "data", "sre", "sec"]),
            "trustgate:expiry": "%d-%02d-%02d" % (year, month, rng.randint(1, 28)),
            "trustgate:justification": rng.choice(["Vendor integration, SEC-%d" % rng.randint(1, 999), "short"]),
        })
    return base


def resource(rng, module, kind, index):
    name = "%s_%d" % (kind.split("_", 1)[1], index)
    address = ("%s." % module if module else "") + "%s.%s" % (kind, name)
    arn_name = "%s-%d-%d" % (kind.replace("_", "-"), index, rng.randint(0, 10**6))
    external = rng.choice(EXTERNAL)
    if kind == "aws_iam_role":
        if rng.random() < 0.5:
            principal = {"AWS": "arn:aws:iam::%s:root" % external}
            cond = {"StringEquals": {"sts:ExternalId": "ext-%d" % index}} if rng.random() < 0.5 else None
        else:
            principal = {"Service": rng.choice(SERVICES)}
            cond = None
        statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
        if cond:
            statement["Condition"] = cond
        values = {
            "arn": "arn:aws:iam::%s:role/%s" % (ACCOUNT, arn_name),
            "assume_role_policy": policy([statement]),
            "description": "", "force_detach_policies": False, "id": arn_name,
            "inline_policy": [], "managed_policy_arns": [],
            "max_session_duration": rng.choice([3600, 3600, 3600, 43200]),
            "name": arn_name, "name_prefix": "", "path": "/", "permissions_boundary": "",
            "tags": tags(rng, arn_name), "tags_all": {}, "unique_id": "AROA%016d" % index,
        }
        values["tags_all"] = dict(values["tags"])
    elif kind == "aws_iam_role_policy_attachment":
        values = {"id": arn_name, "policy_arn": "arn:aws:iam::aws:policy/" + rng.choice(
            ["ReadOnlyAccess", "AdministratorAccess", "AmazonS3ReadOnlyAccess"]), "role": "role-%d" % index}
    elif kind == "aws_s3_bucket_policy":
        bucket = "bucket-%s" % arn_name
        values = {"bucket": bucket, "id": bucket, "policy": policy([{
            "Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:role/reader" % external},
            "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::%s/*" % bucket}])}
    elif kind == "aws_kms_key":
        values = {"arn": "arn:aws:kms:%s:%s:key/%s" % (REGION, ACCOUNT, arn_name), "key_id": arn_name,
                  "description": "key", "enable_key_rotation": True, "id": arn_name, "policy": policy([
                      {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % ACCOUNT},
                       "Action": "kms:*", "Resource": "*"},
                      {"Sid": "Share", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % external},
                       "Action": ["kms:Decrypt"], "Resource": "*"}]),
                  "tags": tags(rng, arn_name)}
        values["tags_all"] = dict(values["tags"])
    elif kind == "aws_sqs_queue":
        url = "https://sqs.%s.amazonaws.com/%s/%s" % (REGION, ACCOUNT, arn_name)
        values = {"arn": "arn:aws:sqs:%s:%s:%s" % (REGION, ACCOUNT, arn_name), "id": url, "name": arn_name,
                  "policy": policy([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                                     "Action": "sqs:SendMessage", "Resource": "*",
                                     "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]),
                  "tags": tags(rng, arn_name), "url": url, "visibility_timeout_seconds": 30}
        values["tags_all"] = dict(values["tags"])
    elif kind == "aws_lambda_permission":
        values = {"action": "lambda:InvokeFunction", "function_name": "fn-%d" % index, "id": arn_name,
                  "principal": rng.choice(["events.amazonaws.com", external]), "source_account": None,
                  "source_arn": None, "statement_id": arn_name}
    elif kind == "aws_instance":
        values = {"ami": "ami-0abcdef%06d" % index, "arn": "arn:aws:ec2:%s:%s:instance/i-%012d" % (
            REGION, ACCOUNT, index), "id": "i-%012d" % index, "instance_type": "t3.micro",
            "subnet_id": "subnet-%08d" % index, "tags": tags(rng, arn_name),
            "vpc_security_group_ids": ["sg-%08d" % index], "root_block_device": [{"volume_size": 8}]}
    else:  # aws_subnet
        values = {"arn": "arn:aws:ec2:%s:%s:subnet/subnet-%08d" % (REGION, ACCOUNT, index),
                  "cidr_block": "10.%d.%d.0/24" % (index // 256 % 256, index % 256), "id": "subnet-%08d" % index,
                  "vpc_id": "vpc-00000001", "tags": {"Name": arn_name}}
    return {"address": address, "mode": "managed", "type": kind, "name": name, "provider_name": PROVIDER,
            "schema_version": 0, "values": values, "sensitive_values": {}}


KINDS = (["aws_iam_role"] * 8 + ["aws_iam_role_policy_attachment"] * 3 + ["aws_s3_bucket_policy"] * 3
         + ["aws_kms_key"] * 2 + ["aws_sqs_queue"] * 3 + ["aws_lambda_permission"] * 2
         + ["aws_instance"] * 30 + ["aws_subnet"] * 49)


def state(rng, resources):
    root = {"resources": [{"address": "data.aws_caller_identity.current", "mode": "data",
                           "type": "aws_caller_identity", "name": "current", "provider_name": PROVIDER,
                           "schema_version": 0, "values": {"account_id": ACCOUNT, "id": ACCOUNT,
                                                           "arn": "arn:aws:iam::%s:user/ci" % ACCOUNT,
                                                           "user_id": "AIDA0000"}, "sensitive_values": {}}],
            "child_modules": []}
    module = {"address": "module.svc", "resources": []}
    for index in range(resources):
        in_module = index % 3 == 0
        target = module if in_module else root
        target["resources"].append(resource(rng, "module.svc" if in_module else None, rng.choice(KINDS), index))
    root["child_modules"].append(module)
    return {"format_version": "1.0", "terraform_version": TF_VERSION, "values": {"root_module": root}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--resources", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for number in range(args.files):
        with open(os.path.join(args.out, "workspace-%04d.json" % number), "w") as out:
            json.dump(state(rng, args.resources), out, separators=(",", ":"))


if __name__ == "__main__":
    main()
