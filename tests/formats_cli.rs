//! End-to-end tests of the SARIF, GitHub workflow command and Markdown formats, `--output FORMAT=PATH`,
//! and escaping of hostile strings. Every SARIF output is validated against the SARIF 2.1.0 schema.

mod common;
#[path = "common/json_schema.rs"]
mod json_schema;

use std::path::Path;

use common::{TODAY, json_files, relative, root, run, run_in};
use serde_json::{Value, json};

fn sarif_schema() -> Value {
    let text = std::fs::read_to_string(root().join("testdata/schemas/sarif-schema-2.1.0.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Parses and validates SARIF text; panics with every schema violation.
fn validated_sarif(text: &str, what: &str) -> Value {
    let schema = sarif_schema();
    let value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: invalid JSON: {e}"));
    let errors = json_schema::Validator::new(&schema).validate(&value);
    assert!(
        errors.is_empty(),
        "{what}: SARIF schema violations:\n{}",
        errors.join("\n")
    );
    value
}

fn fixtures() -> Vec<String> {
    let mut files = vec!["testdata/example/plan.json".to_string()];
    files.extend(json_files("testdata/plans").iter().map(|p| relative(p)));
    files
}

fn stem(name: &str) -> String {
    if name == "testdata/example/plan.json" {
        "example".to_string()
    } else {
        Path::new(name).file_stem().unwrap().to_string_lossy().to_string()
    }
}

/// The validator itself: a valid document passes, and broken ones fail for the right reason.
#[test]
fn schema_validator_rejects_what_it_should() {
    let schema = sarif_schema();
    let v = json_schema::Validator::new(&schema);
    let minimal = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}}]});
    assert!(v.validate(&minimal).is_empty(), "{:?}", v.validate(&minimal));
    let cases = [
        (json!({"version": "2.0.0", "runs": []}), "is not one of"),
        (json!({"version": "2.1.0"}), "required property \"runs\""),
        (
            json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}),
            "required property \"name\"",
        ),
        (json!({"version": "2.1.0", "runs": [], "extra": 1}), "not allowed"),
        (
            json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
                {"message": {"text": "m"}, "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "a b"}, "region": {"startLine": 0}}}]}]}]}),
            "outside minimum",
        ),
        (
            json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
                {"message": {"text": "m"}, "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": "a b"}}}]}]}]}),
            "not a valid uri-reference",
        ),
        (
            json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
                {"message": {"text": "m"}, "suppressions": [{"kind": "sometimes"}]}]}]}),
            "is not one of",
        ),
    ];
    for (doc, expected) in cases {
        let errors = v.validate(&doc).join("\n");
        assert!(
            errors.contains(expected),
            "expected {expected:?} for {doc}, got {errors:?}"
        );
    }
}

/// SARIF, GitHub workflow commands and Markdown over the example plan and every fixture plan (the same
/// set `check_cli.rs` snapshots in human and JSON). Every SARIF output validates against the schema.
#[test]
fn every_format_over_the_fixtures() {
    let mut validated = 0;
    for name in fixtures() {
        let stem = stem(&name);
        let sarif = run(&["check", &name, "--today", TODAY, "--format", "sarif"]);
        assert!(matches!(sarif.code, 0 | 1), "{name}: {}", sarif.stderr);
        let value = validated_sarif(&sarif.stdout, &name);
        validated += 1;
        let results = value["runs"][0]["results"].as_array().unwrap();
        for result in results {
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert_eq!(uri, name, "without a source location, results point at the plan");
            let fingerprint = result["partialFingerprints"]["trustgateFinding/v1"]
                .as_str()
                .unwrap();
            assert_eq!(fingerprint.len(), 16);
            let suppressed = result.get("suppressions").is_some();
            assert_eq!(suppressed, result["properties"]["status"] == "approved", "{name}");
        }
        // The rules are the same in every run: the whole document once, the results of every fixture.
        if stem == "example" {
            insta::assert_snapshot!("sarif__example", sarif.stdout);
        } else {
            insta::assert_json_snapshot!(format!("sarif_results__{stem}"), value["runs"][0]["results"]);
        }

        let github = run(&["check", &name, "--today", TODAY, "--format", "github"]);
        assert_eq!(github.code, sarif.code, "{name}");
        for line in github.stdout.lines() {
            assert!(
                line.starts_with("::error ")
                    || line.starts_with("::notice ")
                    || line.starts_with("::warning title=trustgate boundary::")
                    || line.starts_with("trustgate: "),
                "{name}: {line}"
            );
        }
        insta::assert_snapshot!(format!("github__{stem}"), github.stdout);

        let markdown = run(&["check", &name, "--today", TODAY, "--format", "markdown"]);
        assert_eq!(markdown.code, sarif.code, "{name}");
        assert!(markdown.stdout.starts_with("<!-- trustgate -->\n"), "{name}");
        insta::assert_snapshot!(format!("markdown__{stem}"), markdown.stdout);
    }
    assert!(validated >= 9, "only {validated} SARIF outputs validated");
    eprintln!("SARIF schema validation: {validated} fixture outputs valid");
}

/// The fingerprint of a finding depends only on address, principal and kind: the same across runs, and
/// a fixed value that would catch a change of the hash on another platform.
#[test]
fn fingerprints_are_stable() {
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--format",
        "sarif",
    ]);
    let again = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        "2026-12-01",
        "--format",
        "sarif",
    ]);
    let prints = |text: &str| -> Vec<(String, String)> {
        let v: Value = serde_json::from_str(text).unwrap();
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["properties"]["address"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["trustgateFinding/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let first = prints(&out.stdout);
    assert_eq!(first, prints(&again.stdout));
    let mut unique: Vec<&String> = first.iter().map(|(_, f)| f).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        first.len(),
        "distinct findings, distinct fingerprints"
    );
    insta::assert_debug_snapshot!("sarif_fingerprints_example", first);
}

/// One run writes several formats; each file equals what `--format` prints for it, and standard output
/// keeps the `--format` report.
#[test]
fn several_outputs_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let plan = root().join("testdata/example/plan.json");
    let plan = plan.to_str().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    let specs = [
        format!("json={}", path("r.json")),
        format!("sarif={}", path("r.sarif")),
        format!("markdown={}", path("r.md")),
        format!("human={}", path("r.txt")),
    ];
    let mut args = vec!["check", plan, "--today", TODAY, "--format", "github"];
    for spec in &specs {
        args.extend(["--output", spec.as_str()]);
    }
    let out = run(&args);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let github = run(&["check", plan, "--today", TODAY, "--format", "github"]);
    assert_eq!(out.stdout, github.stdout);
    for (file, format) in [
        ("r.json", "json"),
        ("r.sarif", "sarif"),
        ("r.md", "markdown"),
        ("r.txt", "human"),
    ] {
        let single = run(&[
            "check", plan, "--today", TODAY, "--format", format, "--color", "always",
        ]);
        let written = std::fs::read_to_string(dir.path().join(file)).unwrap();
        if format == "human" {
            assert!(!written.contains('\u{1b}'), "files are never coloured");
            assert!(single.stdout.contains('\u{1b}'));
        } else {
            assert_eq!(written, single.stdout, "{format}");
        }
    }
    validated_sarif(
        &std::fs::read_to_string(dir.path().join("r.sarif")).unwrap(),
        "r.sarif",
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 4, "no temporary files left: {names:?}");
}

#[test]
fn bare_output_path_keeps_its_old_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--format",
        "sarif",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "the report went to the file");
    validated_sarif(&std::fs::read_to_string(&file).unwrap(), "report.sarif");
}

/// One output that cannot be written: exit 2, one line, and none of the run's files exist.
#[test]
fn outputs_are_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let bad = dir.path().join("no-such-dir/bad.sarif");
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--output",
        &format!("json={}", good.display()),
        "--output",
        &format!("sarif={}", bad.display()),
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("cannot write"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing left behind"
    );

    let typo = run(&["check", "testdata/example/plan.json", "--output", "jsno=x.json"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("unknown format \"jsno\""), "{}", typo.stderr);
}

const HOSTILE: &str = "a|b `c` <script>alert(1)</script> @org/team 100% \r\n::x,y [l](u) *e* _u_";

/// A plan whose resource address, principals and annotation carry hostile text.
fn hostile_plan() -> String {
    let address = format!(
        "module.m[{}].aws_iam_role.this",
        serde_json::to_string(HOSTILE).unwrap()
    );
    let federated = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "sts:AssumeRoleWithWebIdentity", "Principal": {"Federated": HOSTILE}}]});
    let role = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": format!("arn:aws:iam::999988887777:role/{}", HOSTILE.replace('*', "+"))}}]});
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [
            {"address": address, "mode": "managed", "type": "aws_iam_role", "name": "this",
             "change": {"actions": ["create"], "before": null, "after": {
                "assume_role_policy": federated.to_string(),
                "tags": {"trustgate:owner": "@org/team", "trustgate:expiry": "2027-01-31",
                         "trustgate:justification": format!("TICKET-1 {HOSTILE}")}}}},
            {"address": "aws_iam_role.plain", "mode": "managed", "type": "aws_iam_role", "name": "plain",
             "change": {"actions": ["create"], "before": null, "after": {
                "assume_role_policy": role.to_string()}}}
        ]
    });
    plan.to_string()
}

fn run_hostile(format: &str) -> common::Output {
    let plan = hostile_plan();
    run_in(
        None,
        &[
            "check",
            "-",
            "--today",
            TODAY,
            "--account",
            "111111111111",
            "--format",
            format,
        ],
        Some(plan.as_bytes()),
    )
}

#[test]
fn hostile_strings_in_markdown() {
    let out = run_hostile("markdown");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = &out.stdout;
    for bad in [
        "<script",
        "</script",
        "@org/team",
        "`c`",
        "\r",
        "[l](u)",
        "*e*",
        "_u_",
    ] {
        assert!(!md.contains(bad), "{bad:?} survives:\n{md}");
    }
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        let pipes = line.matches('|').count();
        assert!(pipes == 7 || pipes == 6, "a stray pipe splits a cell: {line}");
    }
    assert!(md.contains("@\u{2060}org/team"));
    insta::assert_snapshot!("markdown__hostile", md);
}

#[test]
fn hostile_strings_in_workflow_commands() {
    let out = run_hostile("github");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "one line per finding and the summary: {lines:?}");
    for line in &lines[..2] {
        let rest = line.strip_prefix("::").unwrap();
        let (command, _message) = rest.split_once("::").unwrap();
        assert!(!command.contains('\r') && !line.contains('\r'));
        let (_name, properties) = command.split_once(' ').unwrap();
        for property in properties.split(',') {
            assert!(property.starts_with("title="), "{property}");
            assert!(!property.contains(':'), "{property}");
        }
        assert!(line.contains("100%25"), "{line}");
        assert!(line.contains("%0D%0A"), "{line}");
    }
    insta::assert_snapshot!("github__hostile", out.stdout);
}

#[test]
fn hostile_strings_in_sarif() {
    let out = run_hostile("sarif");
    let value = validated_sarif(&out.stdout, "hostile");
    let results = value["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Cstdin%3E"
    );
    assert!(
        results
            .iter()
            .any(|r| r["properties"]["principal"].as_str().unwrap().contains(HOSTILE))
    );
}

/// A plan with enough findings to pass GitHub's 65,536-character comment limit: whole rows are left out,
/// and a line says how many.
#[test]
fn markdown_stays_within_the_comment_limit() {
    let n = 700;
    let resources: Vec<Value> = (0..n)
        .map(|i| {
            let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                "Principal": {"AWS": format!("arn:aws:iam::{:012}:role/partner-role-with-a-long-name", 300_000_000_000u64 + i)}}]});
            json!({"address": format!("module.tenants[\"tenant-{i:04}\"].aws_iam_role.cross_account_access"),
                   "mode": "managed", "type": "aws_iam_role", "name": "cross_account_access",
                   "change": {"actions": ["create"], "before": null, "after": {"assume_role_policy": policy.to_string()}}})
        })
        .collect();
    let plan = json!({"format_version": "1.2", "resource_changes": resources}).to_string();
    let out = run_in(
        None,
        &[
            "check",
            "-",
            "--today",
            TODAY,
            "--account",
            "111111111111",
            "--format",
            "markdown",
        ],
        Some(plan.as_bytes()),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let md = &out.stdout;
    assert!(md.chars().count() <= 65_536, "{} characters", md.chars().count());
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ❌ | <code>module"))
        .count();
    assert!(rows > 100 && rows < n as usize, "{rows} rows");
    let expected = format!("**{} of {n} findings were left out**", n as usize - rows);
    assert!(md.contains(&expected), "no truncation line {expected:?}");
    assert!(md.contains(&format!("{n} of {n} before → after views were left out")));
    assert!(md.trim_end().ends_with("</sub>"), "the footer is kept");
    // Each row is complete: it ends with its last cell.
    assert!(
        md.lines()
            .filter(|l| l.starts_with("| "))
            .all(|l| l.ends_with(" |"))
    );
}

/// SARIF of every real-world plan in the corpus validates too (no snapshots: `check_cli.rs` snapshots
/// their findings as JSON).
#[test]
fn corpus_sarif_validates() {
    let mut validated = 0;
    for path in json_files("testdata/corpus/plans") {
        let name = relative(&path);
        let out = run(&["check", &name, "--today", TODAY, "--format", "sarif"]);
        if out.code == 2 {
            assert!(out.stdout.is_empty(), "{name}: an error writes no SARIF");
            continue;
        }
        let value = validated_sarif(&out.stdout, &name);
        let results = value["runs"][0]["results"].as_array().unwrap();
        assert!(
            results
                .iter()
                .all(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == name)
        );
        validated += 1;
    }
    assert!(validated >= 33, "only {validated} corpus SARIF outputs validated");
    eprintln!("SARIF schema validation: {validated} corpus outputs valid");
}
