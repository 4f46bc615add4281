#!/usr/bin/env python3
"""Two trust policies with N AWS principals each (issue 12: principal sets compared in near-linear time).

    bench/genprincipals.py --principals 20000 --out DIR

writes DIR/old.json and DIR/new.json. Both list N principals in N/4 accounts (account roots, roles, users
and role sessions); new.json lists them in reverse order and adds one external account, 999988887777, so
`trustgate compare DIR/old.json DIR/new.json --role trust --account 111122223333` reports exactly one
external-account widening. Standard library only.
"""

import argparse
import json
import os


def principals(n):
    out = []
    for i in range(n):
        account = f"{200000000000 + i // 4:012d}"
        kind = i % 4
        if kind == 0:
            out.append(f"arn:aws:iam::{account}:root")
        elif kind == 1:
            out.append(f"arn:aws:iam::{account}:role/path/deploy-{i}")
        elif kind == 2:
            out.append(f"arn:aws:iam::{account}:user/u-{i}")
        else:
            out.append(f"arn:aws:sts::{account}:assumed-role/deploy-{i - 2}/session")
    return out


def policy(aws):
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": aws}, "Action": "sts:AssumeRole"}],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--principals", type=int, default=20000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    old = principals(args.principals)
    new = list(reversed(old)) + ["arn:aws:iam::999988887777:root"]
    with open(os.path.join(args.out, "old.json"), "w") as f:
        json.dump(policy(old), f)
    with open(os.path.join(args.out, "new.json"), "w") as f:
        json.dump(policy(new), f)


if __name__ == "__main__":
    main()
