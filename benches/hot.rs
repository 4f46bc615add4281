//! Criterion benchmarks of trustgate's hot inner parts (issue 5): plan deserialisation, policy parsing,
//! glob inclusion, and comparison of two large policies. Run with `cargo bench --bench hot`; they are not
//! part of `cargo test` or CI. The end-to-end figures come from `bench/run.sh`.
//!
//! The plan benchmark builds a synthetic plan in memory; set `TRUSTGATE_BENCH_PLAN=path/to/plan.json`
//! (for example a plan from `genplan.py`) to measure a real file instead.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use trustgate::analysis::{self, Boundary, Context, PolicyRole};
use trustgate::catalog::Catalog;
use trustgate::config::Config;
use trustgate::date::Date;
use trustgate::pipeline::{CheckOptions, check_plan_text};
use trustgate::policy::{self, glob};

const ACCOUNT: &str = "111122223333";

fn trust_policy(index: usize, external: bool) -> String {
    let account = if external { "999988887777" } else { ACCOUNT };
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "Assume",
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:role/svc-{index}")},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": format!("ext-{index}")}}
        }]
    })
    .to_string()
}

/// A plan with `count` resource changes: one in five an IAM role (a catalogued policy site), the others
/// instances with a bag of attributes the catalog does not name.
fn synthetic_plan(count: usize) -> String {
    let changes: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let address = format!("module.svc_{}.aws_iam_role.r{i}", i % 20);
            if i % 5 == 0 {
                let before = json!({"name": format!("r{i}"), "assume_role_policy": trust_policy(i, false),
                    "arn": format!("arn:aws:iam::{ACCOUNT}:role/r{i}"), "tags": {"team": "core"}});
                let after = json!({"name": format!("r{i}"), "assume_role_policy": trust_policy(i, i % 50 == 0),
                    "arn": format!("arn:aws:iam::{ACCOUNT}:role/r{i}"), "tags": {"team": "core"}});
                json!({"address": address, "module_address": format!("module.svc_{}", i % 20),
                    "mode": "managed", "type": "aws_iam_role", "name": format!("r{i}"),
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {"actions": ["update"], "before": before, "after": after,
                        "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}})
            } else {
                let bag = json!({"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro",
                    "subnet_id": format!("subnet-{i:08x}"), "tags": {"Name": format!("i{i}")},
                    "root_block_device": [{"volume_size": 20, "volume_type": "gp3", "encrypted": true}],
                    "vpc_security_group_ids": ["sg-0a", "sg-0b"], "user_data": "#!/bin/sh\necho hello\n"});
                json!({"address": format!("module.svc_{}.aws_instance.i{i}", i % 20),
                    "module_address": format!("module.svc_{}", i % 20), "mode": "managed",
                    "type": "aws_instance", "name": format!("i{i}"),
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {"actions": ["no-op"], "before": bag, "after": bag,
                        "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}})
            }
        })
        .collect();
    json!({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes}).to_string()
}

fn plan_text() -> String {
    match std::env::var_os("TRUSTGATE_BENCH_PLAN") {
        Some(path) => std::fs::read_to_string(&path).expect("TRUSTGATE_BENCH_PLAN is readable UTF-8"),
        None => synthetic_plan(5_000),
    }
}

fn bench_plan(c: &mut Criterion) {
    let text = plan_text();
    let path = Path::new("plan.json");
    let mut group = c.benchmark_group("plan");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("parse_plan", |b| {
        b.iter(|| trustgate::plan::parse_plan(black_box(&text), path).unwrap())
    });
    let catalog = Catalog::builtin();
    let plan = trustgate::plan::parse_plan(&text, path).unwrap();
    group.bench_function("extract_scan", |b| {
        b.iter(|| trustgate::extract::scan(black_box(&plan), &catalog))
    });
    let config = Config::default();
    let accounts = [ACCOUNT.to_string()];
    let options = CheckOptions {
        display_path: path.to_path_buf(),
        flag_accounts: &accounts,
        flag_orgs: &[],
        config: &config,
        catalog: &catalog,
        today: Date::new(2026, 1, 1).unwrap(),
        source_dir: None,
    };
    group.bench_function("check_plan_text", |b| {
        b.iter(|| check_plan_text(black_box(&text), &options).unwrap())
    });
    group.finish();
}

/// A resource policy with `count` statements over distinct principals, actions and resources.
fn big_policy(count: usize, extra: Option<serde_json::Value>) -> String {
    let mut statements: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            json!({
                "Sid": format!("S{i}"),
                "Effect": if i % 10 == 9 { "Deny" } else { "Allow" },
                "Principal": {"AWS": [format!("arn:aws:iam::{}:role/app-{i}", 210987654321u64 + (i as u64 % 7)),
                    format!("arn:aws:iam::{ACCOUNT}:role/local-{i}")]},
                "Action": [format!("s3:Get{}*", ["Object", "Bucket", "Acl"][i % 3]), "s3:ListBucket"],
                "Resource": [format!("arn:aws:s3:::bucket-{}/prefix-{i}/*", i % 13)],
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-7k2m9q4x1z"}}
            })
        })
        .collect();
    statements.extend(extra);
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn bench_policy(c: &mut Criterion) {
    let mut group = c.benchmark_group("policy");
    let small = trust_policy(1, true);
    group.bench_function("parse_trust_policy", |b| {
        b.iter(|| policy::parse_policy(black_box(&small)).unwrap())
    });
    let large = big_policy(300, None);
    group.bench_function("parse_300_statements", |b| {
        b.iter(|| policy::parse_policy(black_box(&large)).unwrap())
    });

    let widened = big_policy(
        300,
        Some(
            json!({"Sid": "New", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:root"},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-1/*"}),
        ),
    );
    let old = policy::parse_policy(&large).unwrap();
    let new = policy::parse_policy(&widened).unwrap();
    let boundary = Boundary {
        accounts: [ACCOUNT.to_string()].into_iter().collect(),
        organizations: ["o-7k2m9q4x1z".to_string()].into_iter().collect(),
        federated: Vec::new(),
    };
    let ctx = Context {
        boundary: &boundary,
        role: PolicyRole::Resource,
        partition: "aws",
    };
    group.sample_size(20);
    group.bench_function("compare_300_vs_300", |b| {
        b.iter(|| analysis::compare(Some(black_box(&old)), black_box(&old), &ctx))
    });
    group.bench_function("compare_300_vs_301_widened", |b| {
        b.iter(|| analysis::compare(Some(black_box(&old)), black_box(&new), &ctx))
    });
    group.finish();
}

fn bench_glob(c: &mut Criterion) {
    let mut group = c.benchmark_group("glob");
    let cases = [
        (
            "literal_in_star",
            "arn:aws:s3:::bucket-1/prefix-7/key",
            "arn:aws:s3:::bucket-1/*",
        ),
        (
            "star_in_star",
            "arn:aws:s3:::bucket-1/prefix-*/*",
            "arn:aws:s3:::bucket-*/*",
        ),
        (
            "not_included",
            "arn:aws:s3:::bucket-*/*",
            "arn:aws:s3:::bucket-1/prefix-*/*",
        ),
        (
            "question_marks",
            "arn:aws:iam::1111222233?3:role/a*b?c*",
            "arn:aws:iam::1111222233??:role/*",
        ),
    ];
    for (name, a, b_pattern) in cases {
        group.bench_function(name, |b| {
            b.iter(|| glob::glob_included(black_box(a), black_box(b_pattern)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_plan, bench_policy, bench_glob);
criterion_main!(benches);
