//! Issue 12: inputs that used to crash, stall or leak — devices and FIFOs where a file is expected, files
//! with a BOM, and control characters in workflow-command output.

mod common;

use std::path::Path;

use common::{TODAY, run};

fn assert_refused(args: &[&str], named: &str) {
    let out = run(args);
    assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
    let line = out.stderr.trim_end();
    assert!(!line.contains('\n'), "one line: {line}");
    assert!(line.contains(named), "names {named}: {line}");
    assert!(line.contains("not a regular file"), "{line}");
}

#[cfg(unix)]
#[test]
fn devices_are_refused_before_reading() {
    let plan = "testdata/plans/update-trust-policy-external-account.json";
    assert_refused(&["check", "/dev/zero"], "/dev/zero");
    assert_refused(&["check", "--config", "/dev/zero", plan], "/dev/zero");
    assert_refused(&["check", "--catalog", "/dev/zero", plan], "/dev/zero");
}

#[cfg(unix)]
#[test]
fn a_fifo_config_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let fifo = fifo.to_string_lossy().to_string();
    assert_refused(
        &[
            "check",
            "--config",
            &fifo,
            "testdata/plans/update-trust-policy-external-account.json",
        ],
        &fifo,
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_plan_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("plan.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let plan = std::fs::read(common::root().join("testdata/plans/update-trust-policy-external-account.json"))
        .unwrap();
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || std::fs::write(writer_path, plan).unwrap());
    let out = run(&["check", "--format", "json", &fifo.to_string_lossy()]);
    writer.join().unwrap();
    assert_eq!(out.code, 1, "{}", out.stderr);
}

fn with_bom(path: &Path, text: &str) {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn config_and_catalog_are_read_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bom.trustgate.hcl");
    with_bom(
        &config,
        "boundary {\n  accounts = [\"111122223333\", \"444455556666\"]\n}\n",
    );
    let catalog = dir.path().join("bom-catalog.hcl");
    with_bom(
        &catalog,
        "resource \"aws_example_thing\" {\n  policy \"policy\" {\n    role    = \"resource\"\n    service = \"example\"\n  }\n}\n",
    );
    let out = run(&[
        "check",
        "--format",
        "json",
        "--config",
        &config.to_string_lossy(),
        "--catalog",
        &catalog.to_string_lossy(),
        "testdata/plans/update-trust-policy-external-account.json",
    ]);
    // 444455556666 is inside the boundary the config names: nothing widens.
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn workflow_commands_escape_controls_and_bidi_overrides() {
    let fixture = common::root().join("testdata/plans/update-trust-policy-external-account.json");
    let text = std::fs::read_to_string(fixture).unwrap();
    let hostile = "arn:aws:iam::444455556666:role/x\\\\u001b[2J\\\\u0007\\\\u0000\\\\u202eevil";
    let text = text.replace("arn:aws:iam::444455556666:root", hostile);
    assert!(text.contains("u001b"), "fixture carries the principal");
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("hostile.json");
    std::fs::write(&plan, text).unwrap();
    let out = run(&[
        "check",
        "--format",
        "github",
        "--today",
        TODAY,
        &plan.to_string_lossy(),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("::error"), "{}", out.stdout);
    for c in out.stdout.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {:?} in {}",
            c,
            out.stdout
        );
    }
    assert!(out.stdout.contains("\\u{1b}"), "{}", out.stdout);
    assert!(out.stdout.contains("\\u{202e}"), "{}", out.stdout);
}

#[test]
fn deep_nesting_gives_a_diagnostic_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("infra");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(
        sources.join("parens.tf"),
        format!(
            "locals {{\n  x = {}1{}\n}}\n",
            "(".repeat(5_000),
            ")".repeat(5_000)
        ),
    )
    .unwrap();
    std::fs::write(
        sources.join("lists.tf"),
        format!("locals {{\n  y = {}\n}}\n", "[".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(sources.join("blocks.tf"), "a {\n".repeat(20_000)).unwrap();
    let out = run(&[
        "check",
        "--format",
        "json",
        "--source",
        &sources.to_string_lossy(),
        "testdata/plans/update-trust-policy-external-account.json",
    ]);
    assert!(matches!(out.code, 1 | 2), "exit {}: {}", out.code, out.stderr);
    let all = format!("{}{}", out.stdout, out.stderr);
    for file in ["parens.tf", "lists.tf", "blocks.tf"] {
        assert!(all.contains(file), "{file} named: {all}");
    }
    assert!(all.contains("nests deeper than 64 levels"), "{all}");

    let config = dir.path().join("deep.trustgate.hcl");
    std::fs::write(
        &config,
        format!("boundary {{\n  accounts = {}\n}}\n", "[".repeat(100_000)),
    )
    .unwrap();
    let out = run(&[
        "check",
        "--config",
        &config.to_string_lossy(),
        "testdata/plans/update-trust-policy-external-account.json",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("deep.trustgate.hcl: line 2: nests deeper"),
        "{}",
        out.stderr
    );
    let catalog = dir.path().join("deep-catalog.hcl");
    std::fs::write(&catalog, "resource \"x\" {\n".repeat(20_000)).unwrap();
    let out = run(&[
        "check",
        "--catalog",
        &catalog.to_string_lossy(),
        "testdata/plans/update-trust-policy-external-account.json",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("deep-catalog.hcl: line"), "{}", out.stderr);
}

#[test]
fn oversized_config_and_catalog_files_are_refused_before_reading() {
    // Sparse files: 17 MiB long, no disk blocks; refused by size, not read.
    let dir = tempfile::tempdir().unwrap();
    let plan = "testdata/plans/update-trust-policy-external-account.json";
    for (flag, name) in [
        ("--config", "big.trustgate.hcl"),
        ("--catalog", "big-catalog.hcl"),
    ] {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .set_len(17 * 1024 * 1024)
            .unwrap();
        let path = path.to_string_lossy().to_string();
        let out = run(&["check", flag, &path, plan]);
        assert_eq!(out.code, 2, "{flag}: {}", out.stderr);
        let line = out.stderr.trim_end();
        assert!(!line.contains('\n'), "one line: {line}");
        assert!(line.contains(&path) && line.contains("too large"), "{line}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_catalog_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("catalog.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let fifo = fifo.to_string_lossy().to_string();
    assert_refused(
        &[
            "check",
            "--catalog",
            &fifo,
            "testdata/plans/update-trust-policy-external-account.json",
        ],
        &fifo,
    );
}
