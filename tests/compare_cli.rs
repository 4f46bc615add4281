//! `trustgate compare` end to end: every policy test vector through the real binary.

mod common;

use common::run;

#[test]
fn every_policy_vector_through_compare() {
    let text = std::fs::read_to_string(common::root().join("testdata/policy-vectors.jsonl")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = case["name"].as_str().unwrap();
        let old = dir.path().join(format!("{name}.old.json"));
        let new = dir.path().join(format!("{name}.new.json"));
        std::fs::write(&old, case["old"].to_string()).unwrap();
        std::fs::write(&new, case["new"].to_string()).unwrap();
        let mut args = vec![
            "compare".to_string(),
            old.to_string_lossy().into_owned(),
            new.to_string_lossy().into_owned(),
            "--format".to_string(),
            "json".to_string(),
        ];
        for account in case["owner_accounts"].as_array().unwrap() {
            args.extend(["--account".to_string(), account.as_str().unwrap().to_string()]);
        }
        for org in case["owner_orgs"].as_array().unwrap() {
            args.extend(["--org".to_string(), org.as_str().unwrap().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        let expected = case["expected"].as_str().unwrap();
        let verdict = serde_json::from_str::<serde_json::Value>(&out.stdout)
            .map(|json| json["verdict"].as_str().unwrap_or("?").to_string())
            .unwrap_or_else(|_| format!("no JSON (exit {}, {})", out.code, out.stderr.trim()));
        let expected_code = if expected == "widening" { 1 } else { 0 };
        if verdict != expected || out.code != expected_code {
            failures.push(format!(
                "{name}: expected {expected}, got {verdict} (exit {})",
                out.code
            ));
        }
        count += 1;
    }
    assert_eq!(count, 50);
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn human_output_names_the_widening() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(
        &old,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc"}}}}"#,
    )
    .unwrap();
    std::fs::write(
        &new,
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"sts:AssumeRole"}}"#,
    )
    .unwrap();
    let out = run(&[
        "compare",
        &old.to_string_lossy(),
        &new.to_string_lossy(),
        "--role",
        "trust",
        "--account",
        "111111111111",
        "--color",
        "never",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("compare_externalid_removed", out.stdout);
}

#[test]
fn invalid_policy_file_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    std::fs::write(&old, r#"{"Version":"2012-10-17","Statement":[]}"#).unwrap();
    std::fs::write(
        &new,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}"#,
    )
    .unwrap();
    let out = run(&["compare", &old.to_string_lossy(), &new.to_string_lossy()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("new.json") && out.stderr.contains("Statement[0]"),
        "{}",
        out.stderr
    );
}
