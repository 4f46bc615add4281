//! The terraform wrapper and binary plan files, driven through a fake terraform (a bash script that records
//! its arguments and prints known plan JSON). One more test runs a real terraform when it is on `PATH`.

#![cfg(unix)]

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Output, TODAY, root};

const VIOLATION: &str = "testdata/plans/update-trust-policy-external-account.json";
const CLEAN: &str = "testdata/plans/lambda-permission-source-account.json";

/// The fake: every call appends one line to $FAKE_TF_LOG, its arguments separated by tabs. It works in the
/// `-chdir` directory like terraform; `plan` writes a zip-magic file to its `-out` and exits with
/// $FAKE_PLAN_EXIT (after sending SIGINT to trustgate, as Ctrl-C would, when $FAKE_PLAN_SIGINT is set); `show -json FILE` prints $FAKE_SHOW_JSON when FILE exists; everything else exits with
/// $FAKE_EXIT.
const FAKE_TERRAFORM: &str = r#"#!/bin/bash
(IFS=$'\t'; printf '%s\n' "$*") >> "$FAKE_TF_LOG"
while [[ "$1" == -* ]]; do
  case "$1" in -chdir=*) cd "${1#-chdir=}" || exit 1 ;; esac
  shift
done
sub="$1"; shift
for arg in "$@"; do [ "$arg" = -help ] && { echo "fake terraform: help for $sub"; exit 0; }; done
case "$sub" in
  plan)
    out=""
    while [ $# -gt 0 ]; do
      case "$1" in
        -out=*) out="${1#-out=}" ;;
        -out) shift; out="$1" ;;
      esac
      shift
    done
    [ -n "$out" ] || { echo "fake: plan without -out" >&2; exit 9; }
    [ -n "$FAKE_PLAN_NO_FILE" ] || printf 'PK\003\004fake plan' > "$out"
    [ -n "$FAKE_PLAN_SIGINT" ] && kill -INT "$PPID"
    echo "fake terraform: planned"
    exit "${FAKE_PLAN_EXIT:-0}" ;;
  show)
    file="${!#}"
    [ -f "$file" ] || { echo "fake: no plan file $file" >&2; exit 1; }
    cat "$FAKE_SHOW_JSON" ;;
  *)
    echo "fake terraform: $sub"
    exit "${FAKE_EXIT:-0}" ;;
esac
"#;

struct Fake {
    dir: tempfile::TempDir,
}

impl Fake {
    fn new() -> Fake {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("terraform");
        std::fs::write(&script, FAKE_TERRAFORM).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::create_dir(dir.path().join("work")).unwrap();
        Fake { dir }
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("terraform")
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("calls.log")
    }

    /// Every call the fake received, each as its list of arguments.
    fn calls(&self) -> Vec<Vec<String>> {
        std::fs::read_to_string(self.log_path())
            .unwrap_or_default()
            .lines()
            .map(|line| line.split('\t').map(str::to_string).collect())
            .collect()
    }

    /// A trustgate command in the work directory that finds the fake through `--terraform-bin`.
    fn trustgate(&self, show_json: &str, args: &[&str]) -> Command {
        let mut command = self.bare(show_json);
        command
            .arg("terraform")
            .arg("--terraform-bin")
            .arg(self.bin())
            .arg("--today")
            .arg(TODAY)
            .args(args);
        command
    }

    /// A trustgate command in the work directory with the fake's environment, but no arguments.
    fn bare(&self, show_json: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trustgate"));
        command
            .current_dir(self.work())
            .env_remove("TRUSTGATE_TERRAFORM")
            .env("TF_IN_AUTOMATION", "1")
            .env("FAKE_TF_LOG", self.log_path())
            .env("FAKE_SHOW_JSON", root().join(show_json))
            .env("TMPDIR", self.dir.path().join("tmp"));
        std::fs::create_dir_all(self.dir.path().join("tmp")).unwrap();
        command
    }

    /// Temporary files trustgate left behind.
    fn leftovers(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.dir.path().join("tmp"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    }
}

fn output(mut command: Command, stdin: &[u8]) -> Output {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("trustgate runs");
    let mut pipe = child.stdin.take().unwrap();
    let _ = pipe.write_all(stdin);
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().expect("exits normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs `trustgate terraform --today … ARGS` (options before terraform's command line).
fn wrap(fake: &Fake, show_json: &str, options: &[&str], terraform_args: &[&str]) -> Output {
    let mut command = fake.bare(show_json);
    command
        .arg("terraform")
        .arg("--terraform-bin")
        .arg(fake.bin())
        .arg("--today")
        .arg(TODAY)
        .args(options)
        .args(terraform_args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = command.output().unwrap();
    Output {
        code: out.status.code().expect("exits normally"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// The temporary plan path from a `-out=PATH` argument.
fn out_path(call: &[String]) -> String {
    call.iter()
        .find_map(|a| a.strip_prefix("-out="))
        .expect("-out= was added")
        .to_string()
}

#[test]
fn plan_adds_out_checks_and_exits_with_the_check_code() {
    let fake = Fake::new();
    let out = wrap(
        &fake,
        VIOLATION,
        &[],
        &["plan", "-var", "a=1", "-var-file=x.tfvars", "-refresh=false"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("fake terraform: planned"),
        "terraform's output streams: {}",
        out.stdout
    );
    assert!(out.stdout.contains("✗ FAIL"), "{}", out.stdout);
    assert!(
        out.stdout.contains("trustgate check <terraform plan>"),
        "{}",
        out.stdout
    );
    let calls = fake.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    let plan = out_path(&calls[0]);
    assert_eq!(
        calls[0],
        strings(&[
            "plan",
            "-var",
            "a=1",
            "-var-file=x.tfvars",
            "-refresh=false",
            &format!("-out={plan}")
        ])
    );
    assert!(Path::new(&plan).is_absolute());
    assert_eq!(calls[1], strings(&["show", "-json", &plan]));
    assert!(
        fake.leftovers().is_empty(),
        "temporary plan removed: {:?}",
        fake.leftovers()
    );

    let fake = Fake::new();
    let out = wrap(&fake, CLEAN, &[], &["plan"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("PASS"), "{}", out.stdout);
}

#[test]
fn plan_keeps_the_users_out_in_both_spellings() {
    for out_args in [&["-out=mine.tfplan"][..], &["-out", "mine.tfplan"][..]] {
        let fake = Fake::new();
        let mut args = vec!["plan", "-input=false"];
        args.extend_from_slice(out_args);
        let out = wrap(&fake, CLEAN, &[], &args);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        let calls = fake.calls();
        assert_eq!(
            calls[0],
            strings(&args),
            "passed through untouched, no second -out"
        );
        assert_eq!(calls[1], strings(&["show", "-json", "mine.tfplan"]));
        assert!(
            fake.work().join("mine.tfplan").is_file(),
            "the user's plan file is kept"
        );
        assert!(
            out.stdout.contains("trustgate check mine.tfplan"),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn terraform_failure_code_is_passed_on() {
    let fake = Fake::new();
    let mut command = fake.trustgate(VIOLATION, &["plan"]);
    command.env("FAKE_PLAN_EXIT", "7");
    let out = output(command, b"");
    assert_eq!(out.code, 7, "{}{}", out.stdout, out.stderr);
    assert_eq!(fake.calls().len(), 1, "no show after a failed plan");
    assert!(!out.stdout.contains("trustgate check"), "{}", out.stdout);
    assert!(fake.leftovers().is_empty());

    // -detailed-exitcode's 2 means "there are changes", not failure.
    let fake = Fake::new();
    let mut command = fake.trustgate(CLEAN, &["plan", "-detailed-exitcode"]);
    command.env("FAKE_PLAN_EXIT", "2");
    let out = output(command, b"");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(fake.calls().len(), 2);
}

#[test]
fn ctrl_c_during_the_plan_stops_before_the_next_step_and_cleans_up() {
    let fake = Fake::new();
    let mut command = fake.trustgate(CLEAN, &["apply", "-auto-approve"]);
    command.env("FAKE_PLAN_SIGINT", "1");
    let out = output(command, b"");
    assert_eq!(out.code, 130, "{}{}", out.stdout, out.stderr);
    assert_eq!(fake.calls().len(), 1, "no show, no apply: {:?}", fake.calls());
    assert!(fake.leftovers().is_empty(), "{:?}", fake.leftovers());
}

#[test]
fn apply_is_refused_on_violations() {
    let fake = Fake::new();
    let out = wrap(
        &fake,
        VIOLATION,
        &["--color", "never"],
        &["apply", "-auto-approve", "-var", "a=1"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("refusing to apply: 1 violation"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("✗ FAIL"), "{}", out.stdout);
    let calls = fake.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        calls[0][..3],
        strings(&["plan", "-var", "a=1"]),
        "apply-only options stay off the plan"
    );
    assert!(calls.iter().all(|c| c[0] != "apply"), "no apply: {calls:?}");
    assert!(fake.leftovers().is_empty());
}

#[test]
fn apply_applies_exactly_the_checked_plan() {
    let fake = Fake::new();
    let args = [
        "apply",
        "-auto-approve",
        "-var",
        "a=1",
        "-target=aws_iam_role.r",
        "-lock-timeout=5s",
        "-parallelism",
        "3",
    ];
    let out = wrap(&fake, CLEAN, &[], &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let calls = fake.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    let plan = out_path(&calls[0]);
    assert_eq!(
        calls[0],
        strings(&[
            "plan",
            "-var",
            "a=1",
            "-target=aws_iam_role.r",
            "-lock-timeout=5s",
            "-parallelism",
            "3",
            &format!("-out={plan}")
        ])
    );
    assert_eq!(calls[1], strings(&["show", "-json", &plan]));
    assert_eq!(
        calls[2],
        strings(&[
            "apply",
            "-auto-approve",
            "-lock-timeout=5s",
            "-parallelism",
            "3",
            &plan
        ]),
        "planning options are not repeated when applying the saved plan"
    );
    assert!(fake.leftovers().is_empty());
}

#[test]
fn apply_without_auto_approve_asks_first() {
    let fake = Fake::new();
    let out = output(fake.trustgate(CLEAN, &["apply"]), b"no\n");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("Only 'yes' will be accepted"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("apply cancelled"), "{}", out.stderr);
    assert!(fake.calls().iter().all(|c| c[0] != "apply"));

    let fake = Fake::new();
    let out = output(fake.trustgate(CLEAN, &["apply"]), b"yes\n");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let calls = fake.calls();
    assert_eq!(calls[2], strings(&["apply", &out_path(&calls[0])]));

    let fake = Fake::new();
    let out = output(fake.trustgate(CLEAN, &["apply", "-input=false"]), b"");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("-auto-approve"), "{}", out.stderr);
    assert!(fake.calls().is_empty());
}

/// The one call's last argument: the private copy of a saved plan trustgate made.
fn copied_plan(call: &[String]) -> String {
    let copy = call.last().unwrap().clone();
    assert!(
        copy.ends_with("plan.tfplan") && Path::new(&copy).is_absolute(),
        "{call:?}"
    );
    copy
}

#[test]
fn apply_of_a_saved_plan_checks_it_first() {
    let fake = Fake::new();
    std::fs::write(fake.work().join("saved.tfplan"), b"PK\x03\x04").unwrap();
    let out = wrap(&fake, VIOLATION, &[], &["apply", "saved.tfplan"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("refusing to apply: 1 violation in saved.tfplan"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("trustgate check saved.tfplan"),
        "{}",
        out.stdout
    );
    let calls = fake.calls();
    assert_eq!(calls.len(), 1, "no apply: {calls:?}");
    assert_eq!(calls[0][..2], strings(&["show", "-json"]));
    assert!(fake.leftovers().is_empty());

    // The checked copy is what is applied, in the place of the user's argument.
    let fake = Fake::new();
    std::fs::write(fake.work().join("saved.tfplan"), b"PK\x03\x04").unwrap();
    let out = wrap(&fake, CLEAN, &[], &["apply", "-lock=false", "saved.tfplan"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let calls = fake.calls();
    let copy = copied_plan(&calls[0]);
    assert_eq!(
        calls,
        vec![
            strings(&["show", "-json", &copy]),
            strings(&["apply", "-lock=false", &copy])
        ]
    );
    assert!(fake.leftovers().is_empty());
    assert!(
        fake.work().join("saved.tfplan").is_file(),
        "the user's plan stays"
    );

    let fake = Fake::new();
    let out = wrap(&fake, CLEAN, &[], &["apply", "missing.tfplan"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("missing.tfplan"), "{}", out.stderr);
    assert!(fake.calls().is_empty());
}

/// `terraform test` runs `run` blocks that can apply for real: refused, terraform never runs (issue 11).
#[test]
fn terraform_test_is_refused_and_never_runs() {
    for args in [
        &["test"][..],
        &["test", "-filter=tests/apply.tftest.hcl"][..],
        &["-chdir=infra", "test"][..],
    ] {
        let fake = Fake::new();
        let out = wrap(&fake, CLEAN, &[], args);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("refusing `terraform test`"), "{}", out.stderr);
        assert!(
            fake.calls().is_empty(),
            "{args:?}: terraform ran: {:?}",
            fake.calls()
        );
    }
    // Asking for help applies nothing.
    let fake = Fake::new();
    assert_eq!(wrap(&fake, CLEAN, &[], &["test", "-help"]).code, 0);
    assert_eq!(fake.calls(), vec![strings(&["test", "-help"])]);
    // --help says so.
    let fake = Fake::new();
    let mut command = fake.bare(CLEAN);
    command.args(["terraform", "--help"]);
    let help = output(command, b"");
    let help = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("`test` is refused (exit 2)"), "{help}");
}

#[test]
fn other_subcommands_pass_straight_through() {
    for args in [
        &["init", "-upgrade", "-backend=false"][..],
        &["validate", "-json"][..],
        &["fmt", "-check", "-recursive"][..],
        &["state", "list"][..],
        &["destroy", "-auto-approve"][..],
        &["-version"][..],
        &["plan", "-help"][..],
    ] {
        let fake = Fake::new();
        let out = wrap(&fake, VIOLATION, &[], args);
        assert_eq!(out.code, 0, "{args:?}: {}{}", out.stdout, out.stderr);
        assert_eq!(fake.calls(), vec![strings(args)]);
        assert!(!out.stdout.contains("trustgate check"), "{}", out.stdout);
    }
    let fake = Fake::new();
    let mut command = fake.trustgate(CLEAN, &["validate"]);
    command.env("FAKE_EXIT", "3");
    assert_eq!(output(command, b"").code, 3);

    // A pass-through command does not read trustgate's config: a broken one cannot block `init`.
    let fake = Fake::new();
    std::fs::write(fake.work().join(".trustgate.hcl"), "boundary {").unwrap();
    assert_eq!(wrap(&fake, CLEAN, &[], &["init"]).code, 0);
    assert_eq!(wrap(&fake, CLEAN, &[], &["plan"]).code, 2);
}

#[test]
fn chdir_goes_first_on_every_call() {
    let fake = Fake::new();
    std::fs::create_dir(fake.work().join("infra")).unwrap();
    std::fs::write(fake.work().join("infra/saved.tfplan"), b"PK\x03\x04").unwrap();
    let out = wrap(&fake, CLEAN, &[], &["-chdir=infra", "apply", "saved.tfplan"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let calls = fake.calls();
    let copy = copied_plan(&calls[0]);
    assert_eq!(
        calls,
        vec![
            strings(&["-chdir=infra", "show", "-json", &copy]),
            strings(&["-chdir=infra", "apply", &copy])
        ]
    );

    let fake = Fake::new();
    std::fs::create_dir(fake.work().join("infra")).unwrap();
    let out = wrap(&fake, VIOLATION, &[], &["-chdir=infra", "plan", "-out=p.tfplan"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(fake.work().join("infra/p.tfplan").is_file());
    assert_eq!(
        fake.calls()[1],
        strings(&["-chdir=infra", "show", "-json", "p.tfplan"])
    );
}

#[test]
fn trustgate_options_go_before_terraforms_command_line() {
    let fake = Fake::new();
    let options = ["--format", "json", "--account", "111122223333"];
    let out = wrap(&fake, CLEAN, &options, &["plan", "-no-color"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let json_start = out.stdout.find("{\n").expect("a JSON report");
    let report: serde_json::Value = serde_json::from_str(&out.stdout[json_start..]).unwrap();
    assert_eq!(report["schema"], "trustgate/check/v1");
    assert_eq!(report["boundary"]["source"], "flags");
    assert_eq!(fake.calls()[0][..2], strings(&["plan", "-no-color"]));

    // `--` ends trustgate's options; what follows is terraform's even when it looks like ours.
    let fake = Fake::new();
    let out = wrap(&fake, CLEAN, &["--"], &["-chdir=.", "validate", "--format"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(fake.calls(), vec![strings(&["-chdir=.", "validate", "--format"])]);
}

#[test]
fn binary_comes_from_the_environment_too() {
    let fake = Fake::new();
    let mut command = fake.bare(CLEAN);
    command
        .env("TRUSTGATE_TERRAFORM", fake.bin())
        .args(["terraform", "validate"]);
    let out = output(command, b"");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(fake.calls(), vec![strings(&["validate"])]);

    // --terraform-bin wins over the environment.
    let fake = Fake::new();
    let mut command = fake.trustgate(CLEAN, &["validate"]);
    command.env("TRUSTGATE_TERRAFORM", "/nonexistent/tofu");
    assert_eq!(output(command, b"").code, 0);
    assert_eq!(fake.calls().len(), 1);
}

#[test]
fn missing_binary_is_a_clear_error() {
    let fake = Fake::new();
    let mut command = fake.bare(CLEAN);
    command
        .env("TRUSTGATE_TERRAFORM", "/nonexistent/tofu")
        .args(["terraform", "plan"]);
    let out = output(command, b"");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("/nonexistent/tofu") && out.stderr.contains("TRUSTGATE_TERRAFORM"));
    assert!(fake.leftovers().is_empty());
}

#[test]
fn show_output_that_is_not_a_plan_is_an_error() {
    let fake = Fake::new();
    let out = wrap(&fake, "Cargo.toml", &[], &["plan"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("trustgate: error: <terraform plan>"),
        "{}",
        out.stderr
    );
    assert!(fake.leftovers().is_empty());
}

#[test]
fn failing_show_is_a_clear_error() {
    let fake = Fake::new();
    let mut command = fake.trustgate(CLEAN, &["plan"]);
    command.env("FAKE_PLAN_NO_FILE", "1");
    let out = output(command, b"");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    let last = out.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("trustgate: error: <terraform plan>: "),
        "{}",
        out.stderr
    );
    assert!(last.contains("show -json` failed (exit code 1"), "{}", out.stderr);
    assert!(fake.leftovers().is_empty());
}

#[test]
fn check_converts_a_binary_plan() {
    let fake = Fake::new();
    std::fs::write(fake.work().join("plan.bin"), b"PK\x03\x04binary").unwrap();
    let mut command = fake.bare(VIOLATION);
    command
        .args(["check", "plan.bin", "--today", TODAY, "--terraform-bin"])
        .arg(fake.bin());
    let out = output(command, b"");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("trustgate check plan.bin"), "{}", out.stdout);
    assert_eq!(fake.calls(), vec![strings(&["show", "-json", "plan.bin"])]);

    // From standard input, through a private temporary file that is removed afterwards.
    let fake = Fake::new();
    let mut command = fake.bare(CLEAN);
    command
        .env("TRUSTGATE_TERRAFORM", fake.bin())
        .args(["check", "-"]);
    let out = output(command, b"PK\x03\x04binary");
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(fake.calls().len(), 1);
    assert!(fake.leftovers().is_empty());
}

#[test]
fn check_of_a_binary_plan_without_terraform_says_how_to_convert() {
    let fake = Fake::new();
    std::fs::write(fake.work().join("plan.bin"), b"PK\x03\x04binary").unwrap();
    let mut command = fake.bare(CLEAN);
    command
        .env("PATH", fake.dir.path().join("empty"))
        .args(["check", "plan.bin"]);
    let out = output(command, b"");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    for needle in [
        "plan.bin",
        "binary plan file",
        "not on PATH",
        "terraform show -json plan.bin > plan.json",
    ] {
        assert!(out.stderr.contains(needle), "{needle:?} in {}", out.stderr);
    }
}

/// A real terraform on a configuration with only the built-in `terraform_data` resource (no provider
/// download): plan, check and apply, all offline.
#[test]
fn real_terraform_when_available() {
    let available = Command::new("terraform")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        println!("skipped: terraform not on PATH");
        eprintln!("skipped: terraform not on PATH");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    std::fs::write(
        config.join("main.tf"),
        "resource \"terraform_data\" \"marker\" {\n  input = var.name\n}\n\nvariable \"name\" {\n  type = string\n}\n",
    )
    .unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let trustgate = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_trustgate"))
            .current_dir(dir.path())
            .env_remove("TRUSTGATE_TERRAFORM")
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            .env("TF_CLI_CONFIG_FILE", "/dev/null")
            .env("TF_DATA_DIR", dir.path().join("tfdata"))
            .env("TMPDIR", &tmp)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        (out.status.code(), text(out.stdout), text(out.stderr))
    };
    let (code, stdout, stderr) = trustgate(&["terraform", "-chdir=config", "init", "-input=false"]);
    assert_eq!(code, Some(0), "init works offline: {stdout}{stderr}");
    let (code, stdout, stderr) = trustgate(&[
        "terraform",
        "--account",
        "111111111111",
        "-chdir=config",
        "plan",
        "-input=false",
        "-no-color",
        "-var",
        "name=first",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("terraform_data.marker will be created"),
        "{stdout}"
    );
    assert!(stdout.contains("trustgate check <terraform plan>"), "{stdout}");
    let (code, stdout, stderr) = trustgate(&[
        "terraform",
        "--account",
        "111111111111",
        "-chdir=config",
        "apply",
        "-input=false",
        "-auto-approve",
        "-no-color",
        "-var",
        "name=first",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Apply complete! Resources: 1 added"), "{stdout}");
    assert!(config.join("terraform.tfstate").is_file());

    // A saved binary plan: `check` converts it, and `apply PLAN` checks it before applying it.
    let (code, stdout, stderr) = trustgate(&[
        "terraform",
        "-chdir=config",
        "plan",
        "-input=false",
        "-no-color",
        "-var",
        "name=second",
        "-out=saved.tfplan",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let (code, stdout, stderr) = trustgate(&["check", "--account", "111111111111", "config/saved.tfplan"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("trustgate check config/saved.tfplan"), "{stdout}");
    let (code, stdout, stderr) = trustgate(&[
        "terraform",
        "-chdir=config",
        "apply",
        "-input=false",
        "-no-color",
        "saved.tfplan",
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("Apply complete! Resources: 0 added, 1 changed"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "no temporary files left"
    );
}

/// The configuration terraform runs in is read as HCL sources: findings point at `.tf` lines.
#[test]
fn wrapper_reads_the_configuration_it_runs_in_as_sources() {
    let fake = Fake::new();
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(common::root().join("testdata/hcl/modules"))
        .arg(fake.work().join("infra"))
        .status()
        .unwrap();
    assert!(copied.success());
    let out = wrap(
        &fake,
        "testdata/hcl/modules/plan.json",
        &[],
        &["-chdir=infra", "plan"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("main.tf:"),
        "locations from the .tf files: {}",
        out.stdout
    );
}

const STALE: &str = "testdata/real/stale-comment-approves-nothing-new";

/// `work/infra`, a git repository: the base commit (`main`) holds the vendor role with its comment and a
/// config taking approvals only from the base; the change under review renews the comment's expiry (which
/// would approve the update's new widening) and switches its own config to `from = "any"`.
fn stale_comment_repository(fake: &Fake) -> PathBuf {
    let infra = fake.work().join("infra");
    std::fs::create_dir(&infra).unwrap();
    let case = root().join(STALE);
    std::fs::copy(case.join("base/main.tf"), infra.join("main.tf")).unwrap();
    std::fs::write(
        infra.join(".trustgate.hcl"),
        "annotations {\n  from = \"base\"\n}\n",
    )
    .unwrap();
    common::git(&infra, &["init", "-q", "-b", "main"]);
    common::git(&infra, &["add", "-A"]);
    common::git(&infra, &["commit", "-q", "-m", "base"]);
    common::git(&infra, &["checkout", "-q", "-b", "change"]);
    let head = std::fs::read_to_string(case.join("head/main.tf")).unwrap();
    let renewed = regex::Regex::new(r"expiry=\d{4}-\d{2}-\d{2}")
        .unwrap()
        .replace(&head, "expiry=2027-05-31")
        .into_owned();
    assert_ne!(renewed, head, "the head has a comment with an expiry");
    std::fs::write(infra.join("main.tf"), renewed).unwrap();
    std::fs::write(
        infra.join(".trustgate.hcl"),
        "annotations {\n  from = \"any\"\n}\n",
    )
    .unwrap();
    common::git(
        &infra,
        &[
            "commit",
            "-q",
            "-am",
            "renew the comment, approvals from anywhere",
        ],
    );
    infra
}

/// `trustgate terraform --base REV`: as with `check --base`, the base's `from = "base"` decides, so the
/// comment this change renewed does not approve; without `--base` the change's own config lets it approve.
#[test]
fn wrapper_base_takes_approvals_from_the_base() {
    let fake = Fake::new();
    stale_comment_repository(&fake);
    let plan = format!("{STALE}/plan.json");
    let without = wrap(&fake, &plan, &[], &["-chdir=infra", "plan"]);
    assert_eq!(without.code, 0, "{}{}", without.stdout, without.stderr);
    let with = wrap(&fake, &plan, &["--base", "main"], &["-chdir=infra", "plan"]);
    assert_eq!(with.code, 1, "{}{}", with.stdout, with.stderr);
    assert!(
        with.stdout
            .contains("was added or changed in this change, so it does not approve"),
        "{}",
        with.stdout
    );
    let unknown = wrap(
        &fake,
        &plan,
        &["--base", "no-such-rev"],
        &["-chdir=infra", "plan"],
    );
    assert_eq!(unknown.code, 2, "{}{}", unknown.stdout, unknown.stderr);
    assert!(
        unknown.stderr.contains("--base \"no-such-rev\""),
        "{}",
        unknown.stderr
    );
}

/// `--config-ref REV` with `-chdir=DIR` reads DIR's `.trustgate.hcl` at REV, not the working tree's.
#[test]
fn wrapper_config_ref_reads_the_config_where_terraform_runs() {
    let fake = Fake::new();
    stale_comment_repository(&fake);
    let plan = format!("{STALE}/plan.json");
    let out = wrap(&fake, &plan, &["--config-ref", "main"], &["-chdir=infra", "plan"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("annotations { from = \"base\" }"),
        "the base's config is the config: {}",
        out.stdout
    );
}
