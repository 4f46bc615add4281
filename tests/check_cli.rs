//! End-to-end tests of `trustgate check` on the example plan, the real-world corpus and our fixtures.

mod common;

use common::{TODAY, json_files, relative, run, run_in};

#[test]
fn example_plan_human_output() {
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--color",
        "never",
    ]);
    assert_eq!(out.code, 1, "violations exit 1; stderr: {}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    insta::assert_snapshot!("example_human", out.stdout);
}

#[test]
fn example_plan_json_output() {
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(json["schema"], "trustgate/check/v1");
    assert_eq!(json["boundary"]["source"], "detected");
    assert_eq!(json["boundary"]["accounts"], serde_json::json!(["111111111111"]));
    let statuses: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["address"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert!(
        statuses.contains(&("aws_iam_role.datadog", "approved")),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("aws_iam_role.deploy", "violation")),
        "{statuses:?}"
    );
    assert!(
        !statuses.iter().any(|(a, _)| *a == "aws_iam_role.etl"),
        "no-op widens nothing"
    );
    insta::assert_json_snapshot!("example_json", json);
}

#[test]
fn colour_only_when_asked() {
    let plain = run(&["check", "testdata/example/plan.json", "--today", TODAY]);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "stdout is not a terminal: no colour by default"
    );
    let coloured = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--color",
        "always",
    ]);
    assert!(coloured.stdout.contains('\u{1b}'));
}

#[test]
fn flags_override_detected_boundary() {
    let out = run(&[
        "check",
        "testdata/example/plan.json",
        "--today",
        TODAY,
        "--format",
        "json",
        "--account",
        "111111111111",
        "--account",
        "222222222222",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["boundary"]["source"], "flags");
    let principals: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["principal"].as_str())
        .collect();
    assert!(
        !principals.contains(&"arn:aws:iam::222222222222:root"),
        "222222222222 is inside the boundary now: {principals:?}"
    );
}

#[test]
fn reads_standard_input() {
    let plan = std::fs::read(common::root().join("testdata/example/plan.json")).unwrap();
    let out = run_in(
        None,
        &["check", "-", "--today", TODAY, "--format", "json"],
        Some(&plan),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["input"], "<stdin>");
}

/// Every real-world plan: exit 0 or 1 with valid JSON (2 with a clear message for the broken wrapper
/// capture); the findings are snapshotted and were each read by a person.
#[test]
fn corpus_plans() {
    let mut checked = 0;
    for path in json_files("testdata/corpus/plans") {
        let name = relative(&path);
        let out = run(&["check", &name, "--today", TODAY, "--format", "json"]);
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if stem.contains("setup-terraform-wrapper") {
            assert_eq!(out.code, 2, "{name}: {}", out.stderr);
            assert!(out.stdout.is_empty());
            assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
            assert!(out.stderr.contains("setup-terraform"), "{}", out.stderr);
            insta::assert_snapshot!(format!("corpus_error__{stem}"), out.stderr);
            continue;
        }
        assert!(
            matches!(out.code, 0 | 1),
            "{name}: exit {} stderr {}",
            out.code,
            out.stderr
        );
        let json: serde_json::Value =
            serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{name}: invalid JSON: {e}"));
        let violations = json["summary"]["violations"].as_u64().unwrap();
        assert_eq!(
            out.code,
            i32::from(violations > 0),
            "{name}: exit code agrees with the summary"
        );
        insta::assert_json_snapshot!(format!("corpus__{stem}"), json);
        checked += 1;
    }
    assert!(checked >= 33, "only {checked} corpus plans checked");
}

/// Our own fixtures (each widening kind, updates, replaces, modules, annotations, unknown values):
/// human and JSON output snapshotted.
#[test]
fn fixture_plans() {
    let files = json_files("testdata/plans");
    assert!(files.len() >= 5, "fixtures present");
    for path in files {
        let name = relative(&path);
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let human = run(&["check", &name, "--today", TODAY, "--color", "never"]);
        assert!(matches!(human.code, 0 | 1), "{name}: {}", human.stderr);
        insta::assert_snapshot!(format!("fixture_human__{stem}"), human.stdout);
        let json = run(&["check", &name, "--today", TODAY, "--format", "json"]);
        let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        insta::assert_json_snapshot!(format!("fixture_json__{stem}"), value);
    }
}

#[test]
fn services_file_adds_passrole_services_and_bad_files_are_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = "testdata/real/service-role-not-passrole/plan.json";
    let count = |stdout: &str| stdout.matches("\"kind\": \"service\"").count();
    let base = run(&["check", plan, "--format", "json", "--today", TODAY]);
    // mystery.amazonaws.com, the Lambda role granted sts:*, the unpinned RDS enhanced monitoring role.
    assert_eq!(count(&base.stdout), 3, "{}", base.stdout);
    let extra = dir.path().join("services.hcl");
    std::fs::write(
        &extra,
        "passrole_service \"mystery.amazonaws.com\" {\n  source = \"https://docs.aws.amazon.com/example\"\n}\n",
    )
    .unwrap();
    let extra = extra.to_string_lossy().to_string();
    let out = run(&[
        "check",
        plan,
        "--services",
        &extra,
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    // The mystery service is now a PassRole service; the Lambda role granted sts:* and the RDS monitoring
    // role still are findings.
    assert_eq!(count(&out.stdout), 2, "{}", out.stdout);
    let bad = dir.path().join("bad.hcl");
    std::fs::write(&bad, "passrole_service \"x.amazonaws.com\" {}\n").unwrap();
    let bad = bad.to_string_lossy().to_string();
    let out = run(&["check", plan, "--services", &bad]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("source is required"), "{}", out.stderr);
}
