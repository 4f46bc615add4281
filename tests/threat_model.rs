//! End-to-end tests of the bypasses a hostile pull-request author would try (issue 11), each on the plans
//! real terraform wrote (`testdata/real/`, `testdata/partial/`) or on git repositories made here for a base
//! and a head revision. Each of them passed with exit 0 before the fix.

mod common;

use common::{TODAY, git, run};
use serde_json::Value;

fn check_json(args: &[&str]) -> (i32, Value, String) {
    let mut argv = vec!["check"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--format", "json", "--today", TODAY]);
    let out = run(&argv);
    let value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    (out.code, value, out.stderr)
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["address"].as_str().unwrap_or_default().to_string(),
                f["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The provider's default_tags carry the three trustgate keys: they approve nothing, and a note says so.
#[test]
fn default_tags_approve_nothing() {
    let (code, report, stderr) = check_json(&["testdata/real/default-tags-approve-nothing/plan.json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        statuses(&report),
        [("aws_iam_role.partner".to_string(), "violation".to_string())]
    );
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("default_tags") && notes.contains("aws_iam_role.partner"),
        "{notes}"
    );
}

/// A caller identity in a module, read through a provider alias, does not join the detected boundary.
#[test]
fn a_module_caller_identity_through_an_alias_does_not_widen_the_boundary() {
    let (code, report, stderr) =
        check_json(&["testdata/real/boundary-module-alias-caller-identity/plan.json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        report["boundary"]["accounts"],
        serde_json::json!(["123456789012"])
    );
    assert_eq!(
        statuses(&report),
        [("aws_iam_role.peer_admin".to_string(), "violation".to_string())]
    );
}

/// An `arn` argument the author writes does not make its account "own".
#[test]
fn an_arn_argument_does_not_widen_the_boundary() {
    let (code, report, stderr) = check_json(&["testdata/real/boundary-arn-argument/plan.json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["boundary"]["source"], "none");
    assert_eq!(
        statuses(&report),
        [("aws_iam_role.forwarder".to_string(), "violation".to_string())]
    );
}

/// Accounts that disagree stop the check unless the boundary is declared; declaring it decides.
#[test]
fn disagreeing_detected_accounts_ask_for_a_declared_boundary() {
    let plan = "testdata/real/boundary-accounts-disagree/plan.json";
    let (code, _, stderr) = check_json(&[plan]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--account") && stderr.contains("999988887777"),
        "{stderr}"
    );
    let (code, report, stderr) = check_json(&[plan, "--account", "123456789012"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        statuses(&report),
        [("aws_iam_role.shared_reader".to_string(), "violation".to_string())]
    );
    let (code, _, stderr) = check_json(&[plan, "--account", "123456789012", "--account", "999988887777"]);
    assert_eq!(code, 0, "{stderr}");
}

/// Partial plans are never judged as whole, in any format.
#[test]
fn partial_plans_fail_closed() {
    for format in ["human", "json", "sarif", "github", "markdown"] {
        for (plan, reason) in [
            (
                "testdata/real/target-plan-incomplete/plan.json",
                "\"complete\": false",
            ),
            (
                "testdata/partial/errored-precondition/plan.json",
                "\"errored\": true",
            ),
        ] {
            let out = run(&["check", plan, "--account", "123456789012", "--format", format]);
            assert_eq!(out.code, 2, "{plan} {format}: {}", out.stderr);
            assert!(out.stderr.contains(reason), "{plan}: {}", out.stderr);
            assert!(
                out.stdout.is_empty(),
                "{plan} {format}: no report for a partial plan"
            );
        }
    }
    // deferred_changes (experimental in terraform 1.9+, not produced by a release build): synthetic.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("deferred.json");
    std::fs::write(
        &plan,
        r#"{"format_version":"1.2","terraform_version":"1.10.0","complete":false,"resource_changes":[],
        "deferred_changes":[{"reason":"instance_count_unknown","resource_change":{"address":"aws_iam_role.r[\"x\"]",
        "mode":"managed","type":"aws_iam_role","name":"r","change":{"actions":["create"],"before":null,
        "after":{"assume_role_policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"}}}}]}"#,
    )
    .unwrap();
    let out = run(&["check", plan.to_str().unwrap(), "--account", "123456789012"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("defers changes") && out.stderr.contains("instance_count_unknown"),
        "{}",
        out.stderr
    );
}

/// With 300 long approved rows and 1 violation, the Markdown report shows the violation.
#[test]
fn markdown_shows_the_violation_among_many_approvals() {
    let dir = tempfile::tempdir().unwrap();
    let mut changes = Vec::new();
    let justification = "Vendor integration reviewed by the security team, ticket SEC-5120. ".repeat(8);
    for i in 0..300 {
        changes.push(format!(
            r#"{{"address":"aws_iam_role.vendor_{i}","mode":"managed","type":"aws_iam_role","name":"vendor_{i}",
            "change":{{"actions":["create"],"before":null,"after":{{"name":"vendor_{i}",
            "assume_role_policy":"{{\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::999988887777:root\"}},\"Action\":\"sts:AssumeRole\"}}]}}",
            "tags":{{"trustgate:owner":"@security","trustgate:expiry":"2027-01-31","trustgate:justification":"{justification}"}}}},
            "after_unknown":{{}}}}}}"#
        ));
    }
    changes.push(
        r#"{"address":"aws_iam_role.zz_open","mode":"managed","type":"aws_iam_role","name":"zz_open",
        "change":{"actions":["create"],"before":null,"after":{"name":"zz_open",
        "assume_role_policy":"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}"},
        "after_unknown":{}}}"#
            .to_string(),
    );
    let plan = dir.path().join("many.json");
    std::fs::write(
        &plan,
        format!(
            r#"{{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[{}]}}"#,
            changes.join(",")
        ),
    )
    .unwrap();
    let out = run(&[
        "check",
        plan.to_str().unwrap(),
        "--account",
        "123456789012",
        "--format",
        "markdown",
        "--today",
        TODAY,
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.chars().count() <= 65_536);
    let first_row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("| ❌") || l.starts_with("| ✅"))
        .expect("a table row");
    assert!(
        first_row.starts_with("| ❌") && first_row.contains("zz&#95;open"),
        "{first_row}"
    );
    assert!(out.stdout.contains("(all of them approved)"));
}

/// Valid tags left in place approve nothing new: removing sts:ExternalId under unchanged tags is a
/// violation; renewing the tags in the same change approves it, and every format says so.
#[test]
fn a_stale_tag_annotation_does_not_approve_a_new_widening() {
    let (code, report, stderr) = check_json(&["testdata/real/stale-tags-approve-nothing-new/plan.json"]);
    assert_eq!(code, 1, "{stderr}");
    let finding = &report["findings"][0];
    assert_eq!(finding["status"], "violation");
    assert_eq!(finding["annotation"]["provenance"], "earlier");
    assert!(
        finding["annotation"]["problems"]
            .to_string()
            .contains("renew them in this change"),
        "{finding}"
    );

    let plan = "testdata/real/renewed-tags-approve-new-widening/plan.json";
    let (code, report, stderr) = check_json(&[plan]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["status"], "approved");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "this-change");
    for (format, needle) in [
        ("human", "an annotation added in this change"),
        ("markdown", "approved by an annotation added in this change"),
        ("github", "approved by an annotation added in this change"),
        ("sarif", "approved by an annotation added in this change"),
    ] {
        let out = run(&[
            "check", plan, "--format", format, "--color", "never", "--today", TODAY,
        ]);
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert!(out.stdout.contains(needle), "{format}: {}", out.stdout);
    }
}

/// A repository whose `main` holds `base_config` as .trustgate.hcl, with `head_config` in the working tree.
fn repository(base_config: &str, head_config: &str) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(repo.path().join(".trustgate.hcl"), base_config).unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    std::fs::write(repo.path().join(".trustgate.hcl"), head_config).unwrap();
    repo
}

const FROM_BASE: &str = "annotations {\n  from = \"base\"\n}\n";
const PARTNER_EXCEPTION: &str = r#"
exception {
  address       = "aws_iam_role.partner"
  principal     = "arn:aws:iam::999988887777:root"
  owner         = "@author"
  expiry        = "2027-01-31"
  justification = "I approve my own change, PR-1"
}
"#;

fn check_in(dir: &std::path::Path, plan: &str, extra: &[&str]) -> (i32, Value, String) {
    let plan = common::root().join(plan);
    let mut argv = vec![
        "check",
        plan.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        TODAY,
    ];
    argv.extend_from_slice(extra);
    let out = common::run_in(Some(dir), &argv, None);
    (
        out.code,
        serde_json::from_str(&out.stdout).unwrap_or(Value::Null),
        out.stderr,
    )
}

/// The pull request adds the exception that approves its own widening: with --config-ref it is not in
/// the config at all; once merged into the base first, it approves.
#[test]
fn an_exception_added_by_the_change_does_not_approve_with_config_ref() {
    let plan = "testdata/real/default-tags-approve-nothing/plan.json";
    let head = format!("{FROM_BASE}{PARTNER_EXCEPTION}");
    let repo = repository(FROM_BASE, &head);
    // Read from the working tree under from = "base", an exception nothing can be compared with does not
    // approve either.
    let (code, report, stderr) = check_in(repo.path(), plan, &[]);
    assert_eq!(
        (code, report["findings"][0]["status"].as_str()),
        (1, Some("violation")),
        "{stderr}"
    );
    let (code, report, stderr) = check_in(repo.path(), plan, &["--config-ref", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["findings"][0]["status"], "violation");
    assert_eq!(report["findings"][0]["annotation"], Value::Null);

    // Merged into main first (reviewed there), the same exception approves.
    let repo = repository(&head, &head);
    let (code, report, stderr) = check_in(repo.path(), plan, &["--config-ref", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "earlier");
}

/// With from = "base", tags this change adds or renews do not approve, and the change cannot switch the
/// setting off: --config-ref reads the base's.
#[test]
fn from_base_rejects_annotations_written_by_the_change() {
    let plan = "testdata/real/renewed-tags-approve-new-widening/plan.json";
    let repo = repository(FROM_BASE, "annotations {\n  from = \"any\"\n}\n");
    let (code, _, stderr) = check_in(repo.path(), plan, &[]);
    assert_eq!(code, 0, "the working tree's from = \"any\": {stderr}");
    let (code, report, stderr) = check_in(repo.path(), plan, &["--config-ref", "main"]);
    assert_eq!(code, 1, "{stderr}");
    let problems = report["findings"][0]["annotation"]["problems"].to_string();
    assert!(
        problems.contains("from = \\\"base\\\"") && problems.contains("added or changed in this change"),
        "{problems}"
    );
}

/// A repository whose `main` holds the `base/` sources of real case `case` (and `base_config` as
/// .trustgate.hcl, when given), with the case's `head/` sources, changed by `edit`, in the working tree
/// (and `head_config`).
fn case_repository(
    case: &str,
    edit: &dyn Fn(String) -> String,
    base_config: Option<&str>,
    head_config: Option<&str>,
) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    let case = common::root().join("testdata/real").join(case);
    let copy = |side: &str, edit: &dyn Fn(String) -> String| {
        for entry in std::fs::read_dir(case.join(side)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(repo.path().join(path.file_name().unwrap()), edit(text)).unwrap();
        }
    };
    copy("base", &|text| text);
    if let Some(config) = base_config {
        std::fs::write(repo.path().join(".trustgate.hcl"), config).unwrap();
    }
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    copy("head", edit);
    if let Some(config) = head_config {
        std::fs::write(repo.path().join(".trustgate.hcl"), config).unwrap();
    }
    repo
}

const STALE_COMMENT: &str = "stale-comment-approves-nothing-new";
const STALE_COMMENT_PLAN: &str = "testdata/real/stale-comment-approves-nothing-new/plan.json";

/// A `# trustgate:` comment left unchanged while the change removes sts:ExternalId approves nothing new
/// once `check --base` can see that the comment was there before.
#[test]
fn a_stale_comment_does_not_approve_a_new_widening_with_base() {
    let repo = case_repository(STALE_COMMENT, &|text| text, None, None);
    // Without --base the comment cannot be told apart from a fresh one (the residual risk README names).
    let (code, report, stderr) = check_in(repo.path(), STALE_COMMENT_PLAN, &["--source", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "unknown");

    let (code, report, stderr) = check_in(
        repo.path(),
        STALE_COMMENT_PLAN,
        &["--source", ".", "--base", "main"],
    );
    assert_eq!(code, 1, "{stderr}");
    let finding = &report["findings"][0];
    assert_eq!(finding["kind"], "condition-weakened");
    assert_eq!(finding["status"], "violation");
    assert_eq!(finding["annotation"]["provenance"], "earlier");
    assert_eq!(finding["annotation"]["origin"]["type"], "comment");
    assert!(
        finding["annotation"]["problems"]
            .to_string()
            .contains("this comment is unchanged in this change"),
        "{finding}"
    );
    // The working tree is untouched by reading the base.
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "M main.tf");
}

fn renew(text: String) -> String {
    text.replace("expiry=2027-06-30", "expiry=2027-07-31")
}

/// Renewing the comment in the change approves the new widening, and every format says the approval was
/// written by this change.
#[test]
fn a_renewed_comment_approves_and_every_format_says_so() {
    let repo = case_repository(STALE_COMMENT, &renew, None, None);
    let (code, report, stderr) = check_in(
        repo.path(),
        STALE_COMMENT_PLAN,
        &["--source", ".", "--base", "main"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["status"], "approved");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "this-change");
    let plan = common::root().join(STALE_COMMENT_PLAN);
    for (format, needle) in [
        ("human", "an annotation added in this change"),
        ("markdown", "approved by an annotation added in this change"),
        ("github", "approved by an annotation added in this change"),
        ("sarif", "approved by an annotation added in this change"),
    ] {
        let out = common::run_in(
            Some(repo.path()),
            &[
                "check",
                plan.to_str().unwrap(),
                "--source",
                ".",
                "--base",
                "main",
                "--format",
                format,
                "--color",
                "never",
                "--today",
                TODAY,
            ],
            None,
        );
        assert_eq!(out.code, 0, "{format}: {}", out.stderr);
        assert!(out.stdout.contains(needle), "{format}: {}", out.stdout);
    }
}

/// With the base's `from = "base"`, a comment the change adds or renews does not approve, and the change
/// cannot switch the setting off in its own .trustgate.hcl: with --base the base's `from` decides.
#[test]
fn from_base_rejects_a_comment_written_by_the_change() {
    let repo = case_repository(
        STALE_COMMENT,
        &renew,
        Some(FROM_BASE),
        Some("annotations {\n  from = \"any\"\n}\n"),
    );
    let (code, _, stderr) = check_in(repo.path(), STALE_COMMENT_PLAN, &["--source", "."]);
    assert_eq!(code, 0, "the working tree's from = \"any\" alone: {stderr}");
    let (code, report, stderr) = check_in(
        repo.path(),
        STALE_COMMENT_PLAN,
        &["--source", ".", "--base", "main"],
    );
    assert_eq!(code, 1, "{stderr}");
    let finding = &report["findings"][0];
    assert_eq!(finding["annotation"]["provenance"], "this-change");
    assert!(
        finding["annotation"]["problems"]
            .to_string()
            .contains("was added or changed in this change"),
        "{finding}"
    );
}

/// An exception the change adds to the working tree's .trustgate.hcl is marked as written by this change
/// with --base (no --config-ref), and does not approve under from = "base".
#[test]
fn base_tells_an_exception_added_by_the_change() {
    let plan = "testdata/real/default-tags-approve-nothing/plan.json";
    let head = PARTNER_EXCEPTION.to_string();
    let repo = repository("", &head);
    let (code, report, stderr) = check_in(repo.path(), plan, &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "this-change");

    // Under the base's from = "base" the whole config is the base's: the exception is not there at all.
    let repo = repository(FROM_BASE, &head);
    let (code, report, stderr) = check_in(repo.path(), plan, &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["findings"][0]["annotation"], Value::Null);

    // A working tree that turns from = "base" on itself is held to it: its own new exception does not
    // approve.
    let repo = repository("", &format!("{FROM_BASE}{PARTNER_EXCEPTION}"));
    let (code, report, stderr) = check_in(repo.path(), plan, &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "this-change");

    // The same exception merged into main first is `earlier` and approves.
    let repo = repository(
        &format!("{FROM_BASE}{PARTNER_EXCEPTION}"),
        &format!("{FROM_BASE}{PARTNER_EXCEPTION}"),
    );
    let (code, report, stderr) = check_in(repo.path(), plan, &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "earlier");
}

/// `--base` names a revision that is not there: one line, exit 2.
#[test]
fn an_unknown_base_is_a_usage_error() {
    let repo = case_repository(STALE_COMMENT, &|text| text, None, None);
    let (code, _, stderr) = check_in(
        repo.path(),
        STALE_COMMENT_PLAN,
        &["--source", ".", "--base", "no-such-branch"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-branch"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// Puts `base` as .github/CODEOWNERS into `main` of `repo` (amending its one commit) and `head` into the
/// working tree.
fn with_codeowners(repo: &std::path::Path, base: &str, head: &str) {
    std::fs::create_dir_all(repo.join(".github")).unwrap();
    std::fs::write(repo.join(".github/CODEOWNERS"), base).unwrap();
    git(repo, &["add", ".github/CODEOWNERS"]);
    git(repo, &["commit", "-q", "--amend", "--no-edit"]);
    std::fs::write(repo.join(".github/CODEOWNERS"), head).unwrap();
}

const BASE_OWNERS: &str = "* @acme/platform\n/main.tf @acme/security\n/.trustgate.hcl @acme/security\n";

/// The violation says who must approve: the code owners of the file its approval goes in, from the base's
/// CODEOWNERS (the one GitHub requests reviews from), which the change cannot rewrite to name its author.
#[test]
fn a_violation_names_its_code_owners_from_the_base() {
    let repo = case_repository(STALE_COMMENT, &|text| text, None, None);
    with_codeowners(repo.path(), BASE_OWNERS, "* @author\n");
    let args = ["--source", ".", "--base", "main"];
    let (code, report, stderr) = check_in(repo.path(), STALE_COMMENT_PLAN, &args);
    assert_eq!(code, 1, "{stderr}");
    let approvers = &report["findings"][0]["approvers"];
    assert_eq!(
        approvers["owners"],
        serde_json::json!(["@acme/security"]),
        "{report}"
    );
    assert_eq!(approvers["path"], "main.tf");
    assert_eq!(approvers["codeowners"], "main:.github/CODEOWNERS");
    assert_eq!(approvers["line"], 2);

    let plan = common::root().join(STALE_COMMENT_PLAN);
    let needle =
        "must be approved by @acme/security (code owners of main.tf, main:.github/CODEOWNERS line 2)";
    for format in ["human", "markdown", "github", "sarif"] {
        let mut argv = vec![
            "check",
            plan.to_str().unwrap(),
            "--format",
            format,
            "--today",
            TODAY,
        ];
        argv.extend_from_slice(&args);
        let out = common::run_in(Some(repo.path()), &argv, None);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        // Markdown keeps a word joiner after `@` so that the comment does not notify anyone.
        let text = out.stdout.replace("@\u{2060}", "@");
        assert!(text.contains(needle), "{format}: {}", out.stdout);
    }

    // Without sources that place the resource, the approval goes in the config file.
    std::fs::create_dir(repo.path().join("elsewhere")).unwrap();
    let (_, report, _) = check_in(
        repo.path(),
        STALE_COMMENT_PLAN,
        &["--source", "elsewhere", "--base", "main"],
    );
    let approvers = &report["findings"][0]["approvers"];
    assert_eq!(approvers["path"], ".trustgate.hcl");
    assert_eq!(approvers["owners"], serde_json::json!(["@acme/security"]));
    // Approved findings name no approvers (here without --base: the comment's provenance is unknown).
    let (_, report, _) = check_in(repo.path(), STALE_COMMENT_PLAN, &["--source", "."]);
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1));
    assert_eq!(report["findings"][0]["status"], "approved");
    assert_eq!(report["findings"][0]["approvers"], Value::Null);
}

/// Under the base's from = "base", `check --base` reads the whole config from the base: the change can
/// neither declare its partner's account as own nor add the exception that approves it.
#[test]
fn with_base_a_from_base_config_cannot_be_edited_by_the_change() {
    let plan = "testdata/real/default-tags-approve-nothing/plan.json";
    let head =
        format!("boundary {{\n  accounts = [\"123456789012\", \"999988887777\"]\n}}\n{PARTNER_EXCEPTION}");
    let repo = repository(FROM_BASE, &head);
    let (code, report, stderr) = check_in(repo.path(), plan, &[]);
    assert_eq!(
        (code, report["summary"]["widenings"].as_u64()),
        (0, Some(0)),
        "{stderr}"
    );
    let (code, report, stderr) = check_in(repo.path(), plan, &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(report["boundary"]["source"], "detected");
    assert_eq!(report["findings"][0]["status"], "violation");
    assert_eq!(report["findings"][0]["annotation"], Value::Null);
}
