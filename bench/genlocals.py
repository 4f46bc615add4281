#!/usr/bin/env python3
"""A Terraform root module whose one role trusts a principal reached through a chain of N locals
(issue 12: `local.l0 = "..."`, `local.l1 = local.l0`, ...), with a plan in which the trust policy is known
only after apply, so that `trustgate check --source` must evaluate the whole chain.

    bench/genlocals.py --locals 4000 --out DIR

writes DIR/main.tf and DIR/plan.json. The chain starts at account 999988887777 (outside the boundary
111122223333), so the expected verdict is one external-account finding. Standard library only.
"""

import argparse
import json
import os


def main_tf(n):
    lines = ["locals {", '  l0 = "arn:aws:iam::999988887777:root"']
    lines += [f"  l{i} = local.l{i - 1}" for i in range(1, n)]
    lines.append("}")
    lines.append(
        f"""
resource "aws_iam_role" "chained" {{
  name = "chained"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ AWS = local.l{n - 1} }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}
"""
    )
    return "\n".join(lines)


def plan():
    change = {
        "address": "aws_iam_role.chained",
        "mode": "managed",
        "type": "aws_iam_role",
        "name": "chained",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {
            "actions": ["create"],
            "before": None,
            "after": {"name": "chained"},
            "after_unknown": {"arn": True, "id": True, "assume_role_policy": True},
            "before_sensitive": False,
            "after_sensitive": {},
        },
    }
    return {"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": [change]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locals", type=int, default=4000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "main.tf"), "w") as f:
        f.write(main_tf(max(args.locals, 1)))
    with open(os.path.join(args.out, "plan.json"), "w") as f:
        json.dump(plan(), f)


if __name__ == "__main__":
    main()
