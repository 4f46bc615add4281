//! Bad input and usage: exit code 2, one clear line naming the file and the place, nothing half-written.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{TODAY, run, run_in};

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn assert_one_line_error(out: &common::Output, needles: &[&str]) {
    assert_eq!(out.code, 2, "stdout {} stderr {}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", out.stdout);
    assert_eq!(
        out.stderr.trim_end().lines().count(),
        1,
        "one line: {}",
        out.stderr
    );
    for needle in needles {
        assert!(out.stderr.contains(needle), "{needle:?} in {}", out.stderr);
    }
}

#[test]
fn malformed_json_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(
        dir.path(),
        "plan.json",
        "{\"format_version\": \"1.2\",\n  \"resource_changes\": [,]}",
    );
    let out = run(&["check", &plan]);
    assert_one_line_error(&out, &["plan.json", "line 2", "column"]);
}

#[test]
fn missing_file_and_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    assert_one_line_error(
        &run(&["check", &missing.to_string_lossy()]),
        &["nope.json", "cannot read"],
    );
    assert_one_line_error(&run(&["check", &dir.path().to_string_lossy()]), &["cannot read"]);
}

#[test]
fn unsupported_format_version() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(
        dir.path(),
        "plan.json",
        r#"{"format_version":"2.0","resource_changes":[]}"#,
    );
    assert_one_line_error(&run(&["check", &plan]), &["plan.json", "2.0"]);
}

#[test]
fn empty_input() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(dir.path(), "plan.json", "");
    assert_one_line_error(&run(&["check", &plan]), &["plan.json"]);
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let out = run(&["check", "testdata/example/plan.json", "--account", "12345"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("12 digits"), "{}", out.stderr);
    let out = run(&["check", "testdata/example/plan.json", "--today", "31/12/2026"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("YYYY-MM-DD"), "{}", out.stderr);
    let out = run(&["frobnicate"]);
    assert_eq!(out.code, 2);
}

#[test]
fn help_and_version_exit_zero() {
    assert_eq!(run(&["--help"]).code, 0);
    assert_eq!(run(&["--version"]).code, 0);
}

#[test]
fn invalid_policy_string_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let plan = write(
        dir.path(),
        "plan.json",
        r#"{"format_version":"1.2","resource_changes":[{"address":"aws_sqs_queue_policy.q","mode":"managed",
        "type":"aws_sqs_queue_policy","name":"q","provider_name":"registry.terraform.io/hashicorp/aws",
        "change":{"actions":["create"],"before":null,"after":{"queue_url":"https://sqs","policy":"{\"Statement\": ["},
        "after_unknown":{"id":true}}}]}"#,
    );
    let out = run(&["check", &plan, "--account", "111111111111", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["kind"], "invalid-policy");
    assert_eq!(json["findings"][0]["rule"], "TG009");
}

#[test]
fn control_characters_in_policies_are_escaped_for_terminals() {
    let dir = tempfile::tempdir().unwrap();
    let policy = r#"{\"Statement\":[{\"Action\":\"sqs:SendMessage\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::222222222222:role/x\\u001b[2J\"},\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"#;
    let plan = write(
        dir.path(),
        "plan.json",
        &format!(
            r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_sqs_queue_policy.q","mode":"managed",
            "type":"aws_sqs_queue_policy","name":"q","provider_name":"registry.terraform.io/hashicorp/aws",
            "change":{{"actions":["create"],"before":null,"after":{{"queue_url":"u","policy":"{policy}"}},
            "after_unknown":{{}}}}}}]}}"#
        ),
    );
    let out = run(&["check", &plan, "--account", "111111111111", "--color", "never"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        !out.stdout.contains('\u{1b}'),
        "raw escape leaked: {}",
        out.stdout
    );
    assert!(out.stdout.contains("\\u{1b}[2J"), "{}", out.stdout);
}

#[test]
fn output_file_is_whole_or_absent() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--format",
        "json",
        "--output",
        &target.to_string_lossy(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let written: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(written["schema"], "trustgate/check/v1");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left behind");

    let unwritable = dir.path().join("missing-dir").join("report.json");
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--output",
        &unwritable.to_string_lossy(),
    ]);
    assert_one_line_error(&out, &["report.json", "cannot write"]);
    assert!(!unwritable.exists());

    // Bad input never touches an existing report.
    let bad = write(dir.path(), "bad.json", "{");
    let out = run(&["check", &bad, "--output", &target.to_string_lossy()]);
    assert_eq!(out.code, 2);
    let still: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(still, written);
}

#[test]
fn closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .args(["check", "testdata/example/plan.json", "--today", TODAY])
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(status.code().is_some(), "not killed by a signal");
    assert!(stderr.is_empty(), "quiet: {stderr}");
}

#[test]
fn no_plan_and_nothing_piped_reads_empty_stdin_as_an_error() {
    let out = run_in(None, &["check"], Some(b""));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("<stdin>"), "{}", out.stderr);
}

#[test]
fn catalog_file_adds_and_replaces_entries() {
    let dir = tempfile::tempdir().unwrap();
    // A resource type the built-in catalog does not know, declared by the user.
    let catalog = write(
        dir.path(),
        "extra.hcl",
        "resource \"acme_shared_bucket\" {\n  policy \"access\" {\n    role    = \"resource\"\n    service = \"s3\"\n  }\n}\n",
    );
    let plan = write(
        dir.path(),
        "plan.json",
        r#"{"format_version":"1.2","resource_changes":[{"address":"acme_shared_bucket.b","mode":"managed",
        "type":"acme_shared_bucket","name":"b","provider_name":"registry.terraform.io/acme/acme",
        "change":{"actions":["create"],"before":null,"after":{"access":"{\"Statement\":[{\"Action\":\"s3:GetObject\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"},
        "after_unknown":{}}}]}"#,
    );
    // Without the entry the type is unknown, but its policy document names a principal: unverifiable,
    // naming the type (issue 12: a coverage gap is never silent).
    let without = run(&["check", &plan, "--account", "111111111111", "--format", "json"]);
    assert_eq!(without.code, 1, "unknown type is reported: {}", without.stderr);
    let json: serde_json::Value = serde_json::from_str(&without.stdout).unwrap();
    assert_eq!(json["findings"][0]["kind"], "unverifiable", "{}", without.stdout);
    assert!(
        json["findings"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("acme_shared_bucket is not in the catalog"),
        "{}",
        without.stdout
    );
    let with = run(&[
        "check",
        &plan,
        "--account",
        "111111111111",
        "--format",
        "json",
        "--catalog",
        &catalog,
    ]);
    assert_eq!(with.code, 1, "{}", with.stderr);
    let json: serde_json::Value = serde_json::from_str(&with.stdout).unwrap();
    assert_eq!(json["findings"][0]["kind"], "public");
    // Built-in entries still apply alongside the user's.
    let example = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--catalog",
        &catalog,
    ]);
    assert_eq!(example.code, 1);
    assert!(example.stdout.contains("aws_iam_role.deploy"));
    let bad = write(
        dir.path(),
        "bad.hcl",
        "resource \"x\" {\n  policy \"p\" {\n    role = \"nope\"\n  }\n}\n",
    );
    assert_one_line_error(&run(&["check", &plan, "--catalog", &bad]), &["bad.hcl", "line"]);
}
