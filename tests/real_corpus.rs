//! The real-terraform corpus (`testdata/real/`): plans that real `terraform` and the real AWS provider produced
//! against a local AWS (moto), each with the exact findings it must give. A false alarm and a missed widening both
//! fail. `testdata/real/regen.sh` regenerates the plans; these tests only read the committed JSON, so they run
//! where terraform is absent.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{TODAY, root, run};
use serde_json::Value;

/// (address, kind, principal, status) of one finding.
type Key = (String, String, String, String);

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("testdata/real"))
        .expect("testdata/real exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn text(value: &Value, field: &str) -> String {
    value[field].as_str().unwrap_or_default().to_string()
}

fn rel(path: &Path) -> String {
    common::relative(path)
}

fn check_case(dir: &Path) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expect.json")).map_err(|e| format!("{name}: expect.json: {e}"))?,
    )
    .map_err(|e| format!("{name}: expect.json: {e}"))?;
    let plan = dir.join("plan.json");
    if !plan.is_file() {
        return Err(format!(
            "{name}: no plan.json (run testdata/real/regen.sh {name})"
        ));
    }
    let plan = rel(&plan);
    let mut args: Vec<String> = vec![
        "check".into(),
        plan,
        "--format".into(),
        "json".into(),
        "--today".into(),
        TODAY.into(),
    ];
    if expect["source"].as_bool() == Some(true) {
        let source = if dir.join("head").is_dir() {
            "head"
        } else {
            "config"
        };
        args.push("--source".into());
        args.push(rel(&dir.join(source)));
    }
    for arg in expect["args"].as_array().into_iter().flatten() {
        args.push(arg.as_str().expect("args are strings").to_string());
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&argv);
    let want_exit = expect["exit"].as_i64().expect("expect.json has exit") as i32;
    if out.code != want_exit {
        return Err(format!(
            "{name}: exit {} (want {want_exit}); stderr: {}; stdout: {}",
            out.code, out.stderr, out.stdout
        ));
    }
    if want_exit == 2 {
        // Not judged at all (e.g. an incomplete plan): the one error line must give the reason.
        let reason = expect["stderr"]
            .as_str()
            .ok_or_else(|| format!("{name}: an exit-2 case names the reason in \"stderr\""))?;
        if !out.stderr.contains(reason) || !out.stdout.is_empty() {
            return Err(format!(
                "{name}: exit 2 without the reason {reason:?}; stderr: {}; stdout: {}",
                out.stderr, out.stdout
            ));
        }
        return Ok(());
    }
    let report: Value =
        serde_json::from_str(&out.stdout).map_err(|e| format!("{name}: output is not JSON: {e}"))?;
    let got: BTreeSet<Key> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                text(f, "address"),
                text(f, "kind"),
                text(f, "principal"),
                text(f, "status"),
            )
        })
        .collect();
    let want: BTreeSet<Key> = expect["findings"]
        .as_array()
        .expect("expect.json has findings")
        .iter()
        .map(|f| {
            (
                text(f, "address"),
                text(f, "kind"),
                text(f, "principal"),
                text(f, "status"),
            )
        })
        .collect();
    if got != want {
        let false_alarms: Vec<&Key> = got.difference(&want).collect();
        let missed: Vec<&Key> = want.difference(&got).collect();
        return Err(format!(
            "{name}: findings differ\n  not expected (false alarms?): {false_alarms:?}\n  missing (misses?): {missed:?}"
        ));
    }
    Ok(())
}

#[test]
fn every_real_case_gives_exactly_its_expected_findings() {
    let dirs = case_dirs();
    assert!(!dirs.is_empty(), "testdata/real has cases");
    let failures: Vec<String> = dirs.iter().filter_map(|dir| check_case(dir).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_is_complete() {
    for dir in case_dirs() {
        let name = dir.display();
        let shape_create = dir.join("config").is_dir();
        let shape_update = dir.join("base").is_dir() && dir.join("head").is_dir();
        assert!(shape_create ^ shape_update, "{name}: config/, or base/ + head/");
        assert!(dir.join("plan.json").is_file(), "{name}: plan.json");
        assert!(dir.join("expect.json").is_file(), "{name}: expect.json");
        assert!(dir.join("README.md").is_file(), "{name}: README.md");
        if dir.join("state").is_file() {
            assert!(dir.join("state.json").is_file(), "{name}: state.json");
        }
        let plan: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap())
            .unwrap_or_else(|e| panic!("{name}: plan.json: {e}"));
        assert!(
            plan["terraform_version"].as_str().is_some(),
            "{name}: plan.json comes from terraform show -json"
        );
    }
}

/// Create cases re-planned for real by `live_replan_matches_committed_plans` (a few, for CI's time).
const LIVE_CASES: &[&str] = &["bucket-policy-foreign-account", "service-roles-passrole"];

/// Re-plans a few cases for real when terraform, the AWS provider mirror and realtf are on this machine, and
/// checks that terraform still produces the committed plan's resource changes. Says so and passes where they
/// are absent (the committed JSON is still checked above).
#[test]
fn live_replan_matches_committed_plans() {
    let realtf = root().join("../shared/tools/realtf/realtf.sh");
    let have_terraform = std::process::Command::new("terraform")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_terraform || !realtf.is_file() || std::env::var_os("TRUSTGATE_SKIP_LIVE").is_some() {
        eprintln!(
            "live re-plan skipped: terraform on PATH: {have_terraform}, realtf at {}: {}",
            realtf.display(),
            realtf.is_file()
        );
        return;
    }
    // moto's venv is kept under target/ so that it installs once per checkout; the port is a free one.
    let state = root().join("target/realtf-live");
    std::fs::create_dir_all(&state).expect("target/realtf-live");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
        .to_string();
    let work = tempfile::tempdir().expect("temp dir");
    for case in LIVE_CASES {
        let dir = root().join("testdata/real").join(case);
        let out = work.path().join(format!("{case}.json"));
        let status = std::process::Command::new("bash")
            .arg(&realtf)
            .arg("plan")
            .arg(dir.join("config"))
            .arg(&out)
            .env("REALTF_STATE", &state)
            .env("REALTF_PORT", &port)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("realtf runs");
        if !status.success() {
            let _ = std::process::Command::new("bash")
                .arg(&realtf)
                .arg("stop")
                .env("REALTF_STATE", &state)
                .status();
            panic!("{case}: realtf plan failed ({status})");
        }
        let fresh: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
        let changes = |plan: &Value| -> Vec<(String, Value)> {
            plan["resource_changes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| (text(c, "address"), c["change"]["actions"].clone()))
                .collect()
        };
        assert_eq!(
            changes(&fresh),
            changes(&committed),
            "{case}: re-planned for real"
        );
    }
    let _ = std::process::Command::new("bash")
        .arg(&realtf)
        .arg("stop")
        .env("REALTF_STATE", &state)
        .status();
}
