//! The GitHub Action's shell half (`scripts/github-action.sh check`) run in a faked runner: `GITHUB_OUTPUT`,
//! `GITHUB_STEP_SUMMARY`, `GITHUB_EVENT_PATH` with a pull_request event, and a fake `gh` on `PATH` that
//! records its calls, answers who the token is, and filters a canned comment listing with the script's own
//! jq expression. Covers the modes (check, diff on a two-commit repository, inventory), several plans in one
//! run, and the sticky comment's identity rule. Also checks that `action.yml` declares and maps every input
//! the script reads and pins every action it uses. The install step: `tests/action_install.rs`.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{git, root};

const FAKE_GH: &str = r#"#!/usr/bin/env bash
# Records each call (arguments joined by spaces) and the body file of a create or update. The token's
# identity comes from FAKE_GH_LOGIN (REST /user) or FAKE_GH_VIEWER (GraphQL viewer); the comment listing
# applies the --jq filter, with the real jq, to the comments in FAKE_GH_COMMENTS.
printf '%s\n' "$*" >>"$FAKE_GH_LOG"
filter=""
previous=""
for arg in "$@"; do
  case "$arg" in
    body=@*) cp "${arg#body=@}" "$FAKE_GH_LOG.body" ;;
  esac
  if [ "$previous" = --jq ]; then filter="$arg"; fi
  previous="$arg"
done
case "$*" in
  "api user "*)
    if [ -n "${FAKE_GH_LOGIN:-}" ]; then printf '%s\n' "$FAKE_GH_LOGIN"; else echo "HTTP 403" >&2; exit 1; fi
    ;;
  "api graphql "*)
    if [ -n "${FAKE_GH_VIEWER:-}" ]; then printf '%s\n' "$FAKE_GH_VIEWER"; else echo "HTTP 403" >&2; exit 1; fi
    ;;
  *--paginate*)
    if [ -n "${FAKE_GH_FAIL_LIST:-}" ]; then echo "HTTP 403" >&2; exit 1; fi
    if [ -n "${FAKE_GH_COMMENTS:-}" ]; then printf '%s' "$FAKE_GH_COMMENTS" | jq -r "$filter"; fi
    ;;
esac
"#;

struct Runner {
    dir: tempfile::TempDir,
    env: BTreeMap<String, String>,
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: BTreeMap<String, String>,
    summary: String,
    /// The calls to gh, without the ones that ask who the token is.
    gh_calls: Vec<String>,
    gh_identity_calls: Vec<String>,
    gh_body: Option<String>,
}

impl Runner {
    /// A runner with a workspace holding `plan` (a path under the repository root) as `plan.json`, for a
    /// pull_request event on PR 42 of `octo/infra`.
    fn new(plan: &str) -> Runner {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for sub in ["workspace", "bin", "temp", "home"] {
            std::fs::create_dir(p.join(sub)).unwrap();
        }
        std::fs::copy(root().join(plan), p.join("workspace/plan.json")).unwrap();
        let gh = p.join("bin/gh");
        std::fs::write(&gh, FAKE_GH).unwrap();
        make_executable(&gh);
        std::fs::write(p.join("output"), "").unwrap();
        std::fs::write(p.join("summary"), "# earlier summary\n").unwrap();
        std::fs::write(
            p.join("event.json"),
            r#"{"action": "synchronize", "number": 42, "pull_request": {"number": 42, "title": "x"}}"#,
        )
        .unwrap();
        let path = format!(
            "{}:{}",
            p.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let s = |v: &Path| v.to_string_lossy().to_string();
        let env = BTreeMap::from([
            ("PATH".to_string(), path),
            ("HOME".to_string(), s(&p.join("home"))),
            ("GITHUB_OUTPUT".to_string(), s(&p.join("output"))),
            ("GITHUB_STEP_SUMMARY".to_string(), s(&p.join("summary"))),
            ("GITHUB_EVENT_PATH".to_string(), s(&p.join("event.json"))),
            ("GITHUB_REPOSITORY".to_string(), "octo/infra".to_string()),
            ("GITHUB_ACTION_PATH".to_string(), s(&root())),
            ("RUNNER_TEMP".to_string(), s(&p.join("temp"))),
            ("FAKE_GH_LOG".to_string(), s(&p.join("gh.log"))),
            (
                "TRUSTGATE_BIN".to_string(),
                env!("CARGO_BIN_EXE_trustgate").to_string(),
            ),
            ("INPUT_PLAN".to_string(), "plan.json".to_string()),
            ("INPUT_WORKING_DIRECTORY".to_string(), s(&p.join("workspace"))),
            (
                "INPUT_SARIF_FILE".to_string(),
                "reports/trustgate.sarif".to_string(),
            ),
            ("INPUT_COMMENT".to_string(), "true".to_string()),
            ("INPUT_FAIL_ON_VIOLATION".to_string(), "true".to_string()),
            ("TRUSTGATE_DEFAULT_TOKEN".to_string(), "true".to_string()),
        ]);
        Runner { dir, env }
    }

    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.to_string(), value.to_string());
        self
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs the script; the outputs file and the gh log start empty for each run.
    fn run(&self, command: &str) -> Outcome {
        std::fs::write(self.path("output"), "").unwrap();
        let _ = std::fs::remove_file(self.path("gh.log"));
        let _ = std::fs::remove_file(self.path("gh.log.body"));
        let out = Command::new("bash")
            .arg(root().join("scripts/github-action.sh"))
            .arg(command)
            .env_clear()
            .envs(&self.env)
            .current_dir(self.dir.path())
            .output()
            .expect("bash runs the script");
        let gh_log: Vec<String> = std::fs::read_to_string(self.path("gh.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect();
        let outputs = std::fs::read_to_string(self.path("output"))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            outputs,
            summary: std::fs::read_to_string(self.path("summary")).unwrap(),
            gh_calls: gh_log.iter().filter(|c| !is_identity_call(c)).cloned().collect(),
            gh_identity_calls: gh_log.iter().filter(|c| is_identity_call(c)).cloned().collect(),
            gh_body: std::fs::read_to_string(self.path("gh.log.body")).ok(),
        }
    }
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn event_readable() -> bool {
    ["jq", "python3"].iter().any(|tool| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn is_identity_call(call: &str) -> bool {
    call.starts_with("api user ") || call.starts_with("api graphql ")
}

/// The comment listing, filtered to the marker comments written by `login` (its REST form).
fn list_call(login: &str) -> String {
    format!(
        "api --paginate repos/octo/infra/issues/42/comments --jq .[] | select(.user.login == \"{login}\" \
         and (.body | startswith(\"<!-- trustgate -->\"))) | .id"
    )
}

const LIST_CALL: &str = "api --paginate repos/octo/infra/issues/42/comments --jq .[] | select(.user.login == \
                         \"github-actions[bot]\" and (.body | startswith(\"<!-- trustgate -->\"))) | .id";

/// A comment listing as the REST API returns it.
fn comments(list: &[(u64, &str, &str)]) -> String {
    let items: Vec<serde_json::Value> = list
        .iter()
        .map(|(id, login, body)| serde_json::json!({"id": id, "user": {"login": login}, "body": body}))
        .collect();
    serde_json::Value::Array(items).to_string()
}

fn has_jq() -> bool {
    Command::new("sh")
        .args(["-c", "command -v jq"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn violations_create_the_comment_and_fail_the_step() {
    let runner = Runner::new("testdata/example/plan.json");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "stdout {}\nstderr {}", out.stdout, out.stderr);
    // Outputs from the run's counts.
    assert_eq!(out.outputs["widenings"], "6");
    assert_eq!(out.outputs["violations"], "5");
    assert_eq!(out.outputs["approved"], "1");
    assert_eq!(out.outputs["exit-code"], "1");
    let sarif = runner.path("workspace/reports/trustgate.sarif");
    assert_eq!(
        PathBuf::from(&out.outputs["sarif-file"]),
        sarif.canonicalize().unwrap()
    );
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    // Without GITHUB_WORKSPACE the locations stay relative to the working directory.
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "plan.json");
    let json_file = std::fs::read_to_string(&out.outputs["json-file"]).unwrap();
    assert!(json_file.contains("trustgate/check/v1"));
    // Annotations in the log.
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("::error ")).count(),
        5
    );
    assert_eq!(
        out.stdout.lines().filter(|l| l.starts_with("::notice ")).count(),
        1
    );
    // The summary is appended after what was there.
    let markdown = std::fs::read_to_string(&out.outputs["markdown-file"]).unwrap();
    assert_eq!(out.summary, format!("# earlier summary\n{markdown}"));
    assert!(markdown.starts_with("<!-- trustgate -->\n### ❌"));
    // The comment: looked up, then created with the Markdown as its body.
    if event_readable() {
        assert_eq!(
            out.gh_calls,
            [
                LIST_CALL.to_string(),
                format!(
                    "api --method POST repos/octo/infra/issues/42/comments -F body=@{}",
                    out.outputs["markdown-file"]
                )
            ]
        );
        assert_eq!(out.gh_body.as_deref(), Some(markdown.as_str()));
    } else {
        assert!(out.stdout.contains("neither jq nor python3"), "{}", out.stdout);
    }
}

/// SARIF paths are made relative to the repository root (GITHUB_WORKSPACE) when the working directory is
/// inside it, so code scanning finds the files.
#[test]
fn sarif_locations_are_relative_to_the_workspace() {
    let mut runner = Runner::new("testdata/example/plan.json");
    let workspace = runner.dir.path().to_string_lossy().to_string();
    runner
        .set("GITHUB_WORKSPACE", &workspace)
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = std::fs::read_to_string(&out.outputs["sarif-file"]).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    for result in results {
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert_eq!(uri, "workspace/plan.json");
    }
    let direct = common::run_in(
        Some(&runner.path("workspace")),
        &["check", "plan.json", "--format", "sarif", "--color", "never"],
        None,
    );
    // Only the uris changed, and the run got its category.
    let mut unchanged: serde_json::Value =
        serde_json::from_str(&text.replace("\"uri\": \"workspace/plan.json\"", "\"uri\": \"plan.json\""))
            .unwrap();
    let run = unchanged["runs"][0].as_object_mut().unwrap();
    assert_eq!(
        run.remove("automationDetails"),
        Some(serde_json::json!({"id": "trustgate/workspace/plan.json/"}))
    );
    let direct: serde_json::Value = serde_json::from_str(&direct.stdout).unwrap();
    assert_eq!(unchanged, direct, "only the uris changed");
}

#[test]
fn an_existing_comment_is_updated_not_duplicated() {
    if !has_jq() {
        eprintln!("SKIPPED: the fake gh needs jq");
        return;
    }
    let mut runner = Runner::new("testdata/example/plan.json");
    runner
        .set(
            "FAKE_GH_COMMENTS",
            &comments(&[
                (666, "octocat", "nice"),
                (777, "github-actions[bot]", "<!-- trustgate -->\nold"),
                (888, "github-actions[bot]", "<!-- trustgate -->\nolder"),
            ]),
        )
        .set("TRUSTGATE_PR_NUMBER", "42");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.gh_calls.len(), 2, "{:?}", out.gh_calls);
    assert_eq!(out.gh_calls[0], LIST_CALL);
    assert!(
        out.gh_calls[1].starts_with("api --method PATCH repos/octo/infra/issues/comments/777 -F body=@"),
        "{:?}",
        out.gh_calls
    );
    assert!(out.gh_body.unwrap().starts_with("<!-- trustgate -->"));
}

#[test]
fn a_passing_plan_updates_the_old_comment_but_creates_none() {
    let mut runner = Runner::new("testdata/plans/lambda-permission-source-account.json");
    runner.set("TRUSTGATE_PR_NUMBER", "42");
    let out = runner.run("check");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.outputs["widenings"], "0");
    assert_eq!(out.outputs["violations"], "0");
    assert_eq!(out.gh_calls, [LIST_CALL]);
    assert!(out.stdout.contains("nothing to post"));

    if !has_jq() {
        eprintln!("SKIPPED: the fake gh needs jq");
        return;
    }
    runner.set(
        "FAKE_GH_COMMENTS",
        &comments(&[(555, "github-actions[bot]", "<!-- trustgate -->\n### ❌")]),
    );
    let out = runner.run("check");
    assert_eq!(out.code, 0);
    assert!(
        out.gh_calls
            .last()
            .unwrap()
            .contains("PATCH repos/octo/infra/issues/comments/555")
    );
    assert!(out.gh_body.unwrap().contains("### ✅"));
}

#[test]
fn approved_only_passes_and_comments() {
    let mut runner = Runner::new("testdata/plans/tags-trustgate-annotations.json");
    runner.set("TRUSTGATE_PR_NUMBER", "42");
    let out = runner.run("check");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        (
            out.outputs["widenings"].as_str(),
            out.outputs["violations"].as_str(),
            out.outputs["approved"].as_str()
        ),
        ("1", "0", "1")
    );
    assert!(out.gh_calls[1].contains("POST"), "{:?}", out.gh_calls);
}

#[test]
fn fail_on_violation_false_and_comment_false() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner
        .set("INPUT_FAIL_ON_VIOLATION", "False")
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.outputs["violations"], "5");
    assert!(out.gh_calls.is_empty(), "{:?}", out.gh_calls);

    runner.set("INPUT_COMMENT", "maybe");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("input comment must be true or false"),
        "{}",
        out.stdout
    );
}

#[test]
fn not_a_pull_request_means_no_comment() {
    let runner = Runner::new("testdata/example/plan.json");
    std::fs::write(
        runner.path("event.json"),
        r#"{"ref": "refs/heads/main", "after": "abc"}"#,
    )
    .unwrap();
    let out = runner.run("check");
    assert_eq!(out.code, 1);
    assert!(out.gh_calls.is_empty(), "{:?}", out.gh_calls);
    assert!(out.summary.contains("<!-- trustgate -->"));
}

#[test]
fn a_comment_that_cannot_be_listed_warns_and_the_check_still_decides() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner
        .set("FAKE_GH_FAIL_LIST", "1")
        .set("TRUSTGATE_PR_NUMBER", "42");
    let out = runner.run("check");
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("::warning title=trustgate action::could not list"),
        "{}",
        out.stdout
    );
}

#[test]
fn boundary_inputs_are_split_and_never_globbed() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner.set("INPUT_ACCOUNTS", "111111111111,\n  222222222222");
    let out = runner.run("check");
    assert_eq!(
        out.outputs["widenings"], "5",
        "222222222222 is inside now: {}",
        out.stderr
    );

    std::fs::write(runner.path("workspace/111111111111"), "").unwrap();
    runner.set("INPUT_ACCOUNTS", "1111111111*");
    let out = runner.run("check");
    assert_eq!(
        out.code, 2,
        "an invalid account is a usage error, not a file name: {}",
        out.stderr
    );
    assert!(out.stderr.contains("12 digits"), "{}", out.stderr);
    assert_eq!(out.outputs["exit-code"], "2");
    assert!(!out.outputs.contains_key("violations"));
    assert!(
        out.stdout
            .contains("::error title=trustgate action::trustgate could not check")
    );
}

#[test]
fn a_missing_plan_is_an_error() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner.set("INPUT_PLAN", "nope.json");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.json"), "{}", out.stderr);
    assert_eq!(
        out.summary, "# earlier summary\n",
        "nothing is added to the summary"
    );
}

/// `action.yml` is valid YAML, a composite action with the inputs and outputs the issue names; every
/// variable the script reads from outside is mapped in an `env:` block, each `INPUT_X` from its declared
/// input, and no `run:` splices `${{ }}` into shell code.
#[test]
fn action_yml_declares_and_maps_everything_the_script_reads() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_norway::Value = serde_norway::from_str(&text).expect("action.yml is valid YAML");
    let inputs = action["inputs"].as_mapping().expect("inputs");
    let input_names: Vec<&str> = inputs.keys().filter_map(|k| k.as_str()).collect();
    for name in [
        "mode",
        "plan",
        "base",
        "config-ref",
        "working-directory",
        "config",
        "accounts",
        "organizations",
        "sarif-file",
        "comment",
        "fail-on-violation",
    ] {
        assert!(input_names.contains(&name), "input {name} is declared");
    }
    let outputs = action["outputs"].as_mapping().expect("outputs");
    for name in [
        "violations",
        "widenings",
        "approved",
        "sarif-file",
        "exit-code",
        "json-file",
        "markdown-file",
        "reports-dir",
    ] {
        let value = outputs
            .get(name)
            .and_then(|o| o["value"].as_str())
            .unwrap_or_else(|| panic!("output {name}"));
        assert_eq!(value, format!("${{{{ steps.check.outputs.{name} }}}}"));
    }
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_sequence().expect("steps");

    let mut env: BTreeMap<String, String> = BTreeMap::new();
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "no expression inside run: {run}");
            assert!(
                run.contains("$GITHUB_ACTION_PATH/scripts/github-action.sh"),
                "{run}"
            );
            assert_eq!(step["shell"], "bash");
        }
        if let Some(map) = step["env"].as_mapping() {
            for (k, v) in map {
                env.insert(
                    k.as_str().unwrap().to_string(),
                    v.as_str().unwrap_or_default().to_string(),
                );
            }
        }
    }
    let cache = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache@"))
        })
        .expect("a cache step");
    let key = cache["with"]["key"].as_str().unwrap();
    assert_eq!(key, "${{ steps.resolve.outputs.key }}");
    // Every step is named; every action it uses is pinned to a full commit SHA.
    let pinned = regex::Regex::new(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$").unwrap();
    for step in steps {
        assert!(
            step["name"].as_str().is_some_and(|n| !n.is_empty()),
            "unnamed step {step:?}"
        );
        if let Some(uses) = step["uses"].as_str() {
            assert!(pinned.is_match(uses), "{uses} is not pinned to a commit");
        }
    }
    // The check step runs the binary the install step verified, by path and checksum.
    assert_eq!(env["TRUSTGATE_BIN"], "${{ steps.install.outputs.bin }}");
    assert_eq!(env["TRUSTGATE_BIN_SHA256"], "${{ steps.install.outputs.sha256 }}");

    let script = std::fs::read_to_string(root().join("scripts/github-action.sh")).unwrap();
    let read = regex::Regex::new(r"\$\{?([A-Z][A-Z0-9_]*)").unwrap();
    let provided_by_runner = |name: &str| {
        name.starts_with("GITHUB_")
            || name.starts_with("RUNNER_")
            || name.starts_with("BASH_")
            || ["HOME", "PATH", "TMPDIR"].contains(&name)
    };
    let mut checked = 0;
    for name in read.captures_iter(&script).map(|c| c[1].to_string()) {
        if provided_by_runner(&name) || name == "TRUSTGATE_DOWNLOAD_BASE" {
            continue; // TRUSTGATE_DOWNLOAD_BASE is for tests (and mirrors), set in the job's environment.
        }
        let mapped = env
            .get(&name)
            .unwrap_or_else(|| panic!("the script reads {name}, which no env: block of action.yml sets"));
        if let Some(rest) = name.strip_prefix("INPUT_") {
            let input = rest.to_ascii_lowercase().replace('_', "-");
            assert!(input_names.contains(&input.as_str()), "{name}: no input {input}");
            assert_eq!(mapped, &format!("${{{{ inputs.{input} }}}}"), "{name}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} variable reads found");
    // And every input reaches the script.
    for input in &input_names {
        assert!(
            env.values().any(|v| v == &format!("${{{{ inputs.{input} }}}}")),
            "input {input} is never passed to the script"
        );
    }
}

/// A folder of wrappers for the tools the script needs, found on this machine's PATH, so a test can run the
/// script without jq (and without python3).
fn tools_without(dir: &Path, missing: &[&str]) -> String {
    let tools = dir.join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    for tool in [
        "bash", "basename", "dirname", "mktemp", "mkdir", "cat", "cp", "tr", "mv", "python3", "jq",
    ] {
        if missing.contains(&tool) {
            continue;
        }
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
        // A Python found through a version manager's shim needs that manager: use the interpreter itself.
        let found = match (tool, found) {
            ("python3", Some(shim)) => Command::new(&shim)
                .args(["-c", "import sys; print(sys.executable)"])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()),
            (_, found) => found,
        };
        if let Some(path) = found {
            let wrapper = tools.join(tool);
            std::fs::write(&wrapper, format!("#!/bin/sh\nexec '{path}' \"$@\"\n")).unwrap();
            make_executable(&wrapper);
        }
    }
    format!("{}:{}", dir.join("bin").display(), tools.display())
}

#[test]
fn the_event_is_read_with_python_when_jq_is_missing() {
    let mut runner = Runner::new("testdata/example/plan.json");
    let path = tools_without(runner.dir.path(), &["jq"]);
    if !Path::new(&path.split(':').nth(1).unwrap().to_string())
        .join("python3")
        .exists()
    {
        eprintln!("SKIPPED: no python3 on this machine");
        return;
    }
    runner.set("PATH", &path);
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.gh_calls.first().map(String::as_str),
        Some(LIST_CALL),
        "{}",
        out.stdout
    );
    assert!(out.gh_calls[1].contains("POST repos/octo/infra/issues/42/comments"));
}

#[test]
fn without_jq_or_python_the_comment_is_skipped_with_a_warning() {
    let mut runner = Runner::new("testdata/example/plan.json");
    let path = tools_without(runner.dir.path(), &["jq", "python3"]);
    runner.set("PATH", &path);
    let out = runner.run("check");
    assert_eq!(out.code, 1, "the check still decides: {}", out.stderr);
    assert!(out.stdout.contains("neither jq nor python3"), "{}", out.stdout);
    assert!(out.gh_calls.is_empty());
    assert_eq!(out.outputs["violations"], "5");
}

#[test]
fn an_output_value_cannot_forge_another_output() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner
        .set("INPUT_SARIF_FILE", "x.sarif\nviolations=0")
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let text = std::fs::read_to_string(runner.path("output")).unwrap();
    assert!(!text.contains("violations=0"), "{text}");
    assert_eq!(out.outputs["violations"], "5");
    assert!(!out.outputs.contains_key("sarif-file"));
    assert!(
        out.stdout.contains("output sarif-file is not set"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_plan_named_like_an_option_is_still_a_plan() {
    let mut runner = Runner::new("testdata/example/plan.json");
    std::fs::rename(
        runner.path("workspace/plan.json"),
        runner.path("workspace/--help"),
    )
    .unwrap();
    runner.set("INPUT_PLAN", "--help").set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.outputs["violations"], "5");
}

/// A stand-in for trustgate that reports a finding with a source location (as it will once the HCL sources
/// are read): writes the --output files and prints workflow commands with file= and line=.
const FAKE_TRUSTGATE: &str = r#"#!/usr/bin/env bash
for arg in "$@"; do
  case "$arg" in
    json=*) printf '{"schema": "trustgate/check/v1"}\n' >"${arg#json=}" ;;
    markdown=*) printf '<!-- trustgate -->\nfake\n' >"${arg#markdown=}" ;;
    sarif=*)
      printf '%s\n' '{' '  "runs": [' '    {"locations": [' \
        '      {' '        "uri": "modules/iam/main.tf",' '        "x": 1' '      },' \
        '      {' '        "uri": "/abs/main.tf"' '      },' \
        '      {' '        "uri": "file:///abs/x.tf"' '      }' '    ]}' '  ]' '}' >"${arg#sarif=}"
      ;;
  esac
done
echo '::error file=modules/iam/main.tf,line=12,title=TG002 x%3A y::a "uri": "z" message'
echo '::notice file=/abs/main.tf,line=1,title=t::m'
echo '::notice title=t::no file'
echo 'trustgate: 3 widenings: 1 violation, 2 approved'
exit 1
"#;

#[test]
fn source_locations_are_made_relative_to_the_repository_root() {
    let mut runner = Runner::new("testdata/example/plan.json");
    let fake = runner.path("bin/trustgate-fake");
    std::fs::write(&fake, FAKE_TRUSTGATE).unwrap();
    make_executable(&fake);
    let workspace = runner.dir.path().to_string_lossy().to_string();
    runner
        .set("TRUSTGATE_BIN", &fake.to_string_lossy())
        .set("GITHUB_WORKSPACE", &workspace)
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "::error file=workspace/modules/iam/main.tf,line=12,title=TG002 x%3A y::a \"uri\": \"z\" message",
            "::notice file=/abs/main.tf,line=1,title=t::m",
            "::notice title=t::no file",
        ]
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out.outputs["sarif-file"]).unwrap()).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        uris,
        [
            "workspace/modules/iam/main.tf",
            "/abs/main.tf",
            "file:///abs/x.tf"
        ],
        "relative paths prefixed, absolute paths and URIs with a scheme left alone"
    );
    assert_eq!(out.outputs["approved"], "2");

    // The working directory is the workspace itself: nothing to prefix.
    runner.set("GITHUB_WORKSPACE", &runner.path("workspace").to_string_lossy());
    let out = runner.run("check");
    assert!(
        out.stdout.starts_with("::error file=modules/iam/main.tf,"),
        "{}",
        out.stdout
    );
}

#[path = "common/json_schema.rs"]
mod json_schema;

fn sarif_schema_errors(sarif: &serde_json::Value) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("testdata/schemas/sarif-schema-2.1.0.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    json_schema::Validator::new(&schema).validate(sarif)
}

/// A monorepo: one glob names three plans; one comment holds each under its own heading, the SARIF has one
/// run per plan with its own automationDetails category, and the outputs add up.
#[test]
fn several_plans_are_one_comment_and_one_sarif_run_each() {
    let mut runner = Runner::new("testdata/example/plan.json");
    for (env, plan) in [
        ("prod", "testdata/example/plan.json"),
        ("dev", "testdata/plans/lambda-permission-source-account.json"),
        ("stage", "testdata/plans/one-violation-one-approved.json"),
    ] {
        let dir = runner.path(&format!("workspace/envs/{env}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(root().join(plan), dir.join("plan.json")).unwrap();
    }
    let workspace = runner.dir.path().to_string_lossy().to_string();
    runner
        .set("GITHUB_WORKSPACE", &workspace)
        .set("TRUSTGATE_PR_NUMBER", "42")
        // A file named twice (directly and by the glob) is checked once.
        .set("INPUT_PLAN", "envs/prod/plan.json\n  envs/*/plan.json  \n");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "stdout {}\nstderr {}", out.stdout, out.stderr);

    let each: Vec<serde_json::Value> = ["dev", "prod", "stage"]
        .iter()
        .map(|env| {
            let direct = common::run_in(
                Some(&runner.path("workspace")),
                &["check", &format!("envs/{env}/plan.json"), "--format", "json"],
                None,
            );
            serde_json::from_str(&direct.stdout).unwrap()
        })
        .collect();
    let total = |key: &str| -> u64 { each.iter().map(|r| r["summary"][key].as_u64().unwrap()).sum() };
    assert_eq!(out.outputs["widenings"], total("widenings").to_string());
    assert_eq!(out.outputs["violations"], total("violations").to_string());
    assert_eq!(out.outputs["approved"], total("approved").to_string());
    assert_eq!(out.outputs["exit-code"], "1");
    assert!(
        !out.outputs.contains_key("json-file"),
        "one JSON file per plan, in reports-dir"
    );

    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out.outputs["sarif-file"]).unwrap()).unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    let runs = sarif["runs"].as_array().unwrap();
    let ids: Vec<&str> = runs
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "trustgate/workspace/envs/prod/plan.json/",
            "trustgate/workspace/envs/dev/plan.json/",
            "trustgate/workspace/envs/stage/plan.json/"
        ]
    );
    // In the order given: prod named first, then the glob's matches (sorted) that were not named yet.
    for (run, env) in runs.iter().zip(["prod", "dev", "stage"]) {
        for result in run["results"].as_array().unwrap() {
            let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
            assert_eq!(uri, &format!("workspace/envs/{env}/plan.json"));
        }
    }
    assert_eq!(runs[0]["results"].as_array().unwrap().len(), 6);

    let markdown = std::fs::read_to_string(&out.outputs["markdown-file"]).unwrap();
    assert!(
        markdown.starts_with("<!-- trustgate -->\n## trustgate: 3 plans, "),
        "{markdown}"
    );
    assert_eq!(
        markdown.matches("<!-- trustgate -->").count(),
        1,
        "one marker: {markdown}"
    );
    let headings: Vec<&str> = markdown.lines().filter(|l| l.starts_with("## `")).collect();
    assert_eq!(
        headings,
        [
            "## `envs/prod/plan.json`",
            "## `envs/dev/plan.json`",
            "## `envs/stage/plan.json`"
        ]
    );
    assert_eq!(
        markdown.matches("\n### ").count(),
        3,
        "each plan's own verdict line"
    );
    assert!(out.summary.ends_with(&markdown));
    if has_jq() {
        assert_eq!(out.gh_calls.len(), 2, "{:?}", out.gh_calls);
        assert!(out.gh_calls[1].contains("POST"));
        assert_eq!(out.gh_body.as_deref(), Some(markdown.as_str()));
    }
}

#[test]
fn a_plan_glob_that_matches_nothing_or_a_broken_plan_fails_the_step() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner
        .set("INPUT_PLAN", "envs/*/plan.json")
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("'envs/*/plan.json' matches no file"),
        "{}",
        out.stdout
    );

    std::fs::write(runner.path("workspace/broken.json"), "{not json").unwrap();
    runner.set("INPUT_PLAN", "plan.json\nbroken.json");
    let out = runner.run("check");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("trustgate could not check broken.json (exit 2)"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("broken.json"), "{}", out.stderr);
    assert_eq!(out.summary, "# earlier summary\n", "no partial report");
    assert!(!out.outputs.contains_key("violations"));
}

const ROLE_OWN: &str = r#"
resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111111111111:root" }
      Action    = "sts:AssumeRole"
    }]
  })
}
"#;

/// Mode diff on a fork pull request's shape: a shallow clone that holds only the head commit, the base
/// commit named by the event; the script fetches the base by id and runs `trustgate diff --base`.
#[test]
fn diff_mode_fetches_the_base_commit_and_reports_the_widening() {
    let mut runner = Runner::new("testdata/example/plan.json");
    let origin = runner.path("origin");
    std::fs::create_dir_all(origin.join("infra")).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    git(
        &origin,
        &["config", "uploadpack.allowReachableSHA1InWant", "true"],
    );
    std::fs::write(origin.join("infra/main.tf"), ROLE_OWN).unwrap();
    git(&origin, &["add", "."]);
    git(&origin, &["commit", "-q", "-m", "base"]);
    let base = git(&origin, &["rev-parse", "HEAD"]);
    std::fs::write(
        origin.join("infra/main.tf"),
        ROLE_OWN.replace("111111111111:root", "999999999999:root"),
    )
    .unwrap();
    git(&origin, &["commit", "-q", "-am", "head"]);
    let clone = runner.path("clone");
    let url = format!("file://{}", origin.display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&clone)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !Command::new("git")
            .arg("-C")
            .arg(&clone)
            .args(["cat-file", "-e", &format!("{base}^{{commit}}")])
            .output()
            .unwrap()
            .status
            .success(),
        "the shallow clone lacks the base commit"
    );

    std::fs::write(
        runner.path("event.json"),
        format!(r#"{{"number": 42, "pull_request": {{"number": 42, "base": {{"sha": "{base}"}}}}}}"#),
    )
    .unwrap();
    let workspace = clone.to_string_lossy().to_string();
    runner
        .set("INPUT_MODE", "diff")
        .set("INPUT_PLAN", "")
        .set("INPUT_WORKING_DIRECTORY", &clone.join("infra").to_string_lossy())
        .set("INPUT_ACCOUNTS", "111111111111")
        .set("GITHUB_WORKSPACE", &workspace)
        .set("INPUT_COMMENT", "false");
    if !event_readable() {
        runner.set("INPUT_BASE", &base);
    }
    let out = runner.run("check");
    assert_eq!(out.code, 1, "stdout {}\nstderr {}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!("fetching the base commit {base}")),
        "{}",
        out.stdout
    );
    assert_eq!(out.outputs["widenings"], "1");
    assert_eq!(out.outputs["violations"], "1");
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("::error file=infra/main.tf,")),
        "annotation relative to the repository root: {}",
        out.stdout
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out.outputs["sarif-file"]).unwrap()).unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "trustgate/diff/infra/"
    );
    assert!(out.summary.contains("999999999999"), "{}", out.summary);

    // Run again: the base is there now, nothing is fetched.
    let out = runner.run("check");
    assert_eq!(out.code, 1);
    assert!(!out.stdout.contains("fetching"), "{}", out.stdout);

    // Not a pull request and no base input: a clear error.
    std::fs::write(runner.path("event.json"), r#"{"ref": "refs/heads/main"}"#).unwrap();
    runner.set("INPUT_BASE", "");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("mode diff needs a base commit"),
        "{}",
        out.stdout
    );
    runner.set("INPUT_BASE", "--output=x");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("is not a git revision"), "{}", out.stdout);
}

/// Mode check on a pull request passes the base commit to `check --base`: under the base's
/// `from = "base"`, an exception the pull request adds to its own .trustgate.hcl approves nothing, while
/// the same workspace without a base (a push) reads the working tree's config. Input config-ref `base`
/// reads the config from the base commit.
#[test]
fn check_mode_compares_approvals_with_the_pull_requests_base() {
    let mut runner = Runner::new("testdata/real/default-tags-approve-nothing/plan.json");
    let workspace = runner.path("workspace");
    let exception = "exception {\n  address = \"aws_iam_role.partner\"\n  principal = \"999988887777\"\n  \
                     owner = \"@author\"\n  expiry = \"2027-01-31\"\n  justification = \"I approve my own change\"\n}\n";
    std::fs::write(
        workspace.join(".trustgate.hcl"),
        "annotations {\n  from = \"base\"\n}\n",
    )
    .unwrap();
    git(&workspace, &["init", "-q", "-b", "main"]);
    git(&workspace, &["add", ".trustgate.hcl"]);
    git(&workspace, &["commit", "-q", "-m", "base"]);
    let base = git(&workspace, &["rev-parse", "HEAD"]);
    std::fs::write(
        workspace.join(".trustgate.hcl"),
        format!("annotations {{\n  from = \"any\"\n}}\n{exception}"),
    )
    .unwrap();
    runner
        .set("INPUT_COMMENT", "false")
        .set("GITHUB_WORKSPACE", &workspace.to_string_lossy());

    // A push: no base, the working tree's config (and its exception) decides.
    std::fs::write(runner.path("event.json"), r#"{"ref": "refs/heads/feature"}"#).unwrap();
    let out = runner.run("check");
    assert_eq!(out.code, 0, "stdout {}\nstderr {}", out.stdout, out.stderr);
    assert_eq!(out.outputs["approved"], "1");

    // The pull request: its base decides.
    std::fs::write(
        runner.path("event.json"),
        format!(r#"{{"number": 42, "pull_request": {{"number": 42, "base": {{"sha": "{base}"}}}}}}"#),
    )
    .unwrap();
    if !event_readable() {
        runner.set("INPUT_BASE", &base);
    }
    let out = runner.run("check");
    assert_eq!(out.code, 1, "stdout {}\nstderr {}", out.stdout, out.stderr);
    assert_eq!(out.outputs["violations"], "1");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out.outputs["json-file"]).unwrap()).unwrap();
    assert_eq!(report["findings"][0]["annotation"], serde_json::Value::Null);

    // config-ref base: the config comes from the base commit even when the base does not ask for it.
    std::fs::write(workspace.join(".trustgate.hcl"), "").unwrap();
    git(&workspace, &["commit", "-q", "-am", "empty base config"]);
    let base = git(&workspace, &["rev-parse", "HEAD"]);
    std::fs::write(workspace.join(".trustgate.hcl"), exception).unwrap();
    runner.set("INPUT_BASE", &base);
    let out = runner.run("check");
    assert_eq!(
        out.code, 0,
        "without config-ref the working tree's exception approves: {}",
        out.stdout
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out.outputs["json-file"]).unwrap()).unwrap();
    assert_eq!(report["findings"][0]["annotation"]["provenance"], "this-change");
    runner.set("INPUT_CONFIG_REF", "base");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "stdout {}\nstderr {}", out.stdout, out.stderr);
    runner.set("INPUT_CONFIG_REF", "-x");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("input config-ref '-x' is not a git revision"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unknown_mode_is_an_error() {
    let mut runner = Runner::new("testdata/example/plan.json");
    runner.set("INPUT_MODE", "apply");
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("input mode must be check, diff or inventory"),
        "{}",
        out.stdout
    );
}

/// Mode inventory calls `trustgate inventory` with the files of the plan input; a trustgate without that
/// command fails the step with a message that says so, rather than reporting anything.
#[test]
fn inventory_mode_runs_trustgate_inventory_or_says_it_cannot() {
    let mut runner = Runner::new("testdata/example/plan.json");
    let fake = runner.path("bin/trustgate-old");
    std::fs::write(
        &fake,
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'trustgate 0.0.1'; exit 0; fi\n\
         echo \"error: unrecognized subcommand '$1'\" >&2; exit 2\n",
    )
    .unwrap();
    make_executable(&fake);
    runner
        .set("INPUT_MODE", "inventory")
        .set("TRUSTGATE_BIN", &fake.to_string_lossy());
    let out = runner.run("check");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains(
            "mode inventory needs the 'trustgate inventory' command, which this trustgate (trustgate 0.0.1) does not have"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(out.summary, "# earlier summary\n");

    // A trustgate that has the command: called with the boundary, the formats and the files.
    let recorder = runner.path("bin/trustgate-inventory");
    std::fs::write(
        &recorder,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >>\"$FAKE_GH_LOG.inventory\"\n\
         [ \"$2\" = --help ] && exit 0\n\
         for a in \"$@\"; do case \"$a\" in json=*) echo '{}' >\"${a#json=}\" ;; esac; done\n\
         echo '<!-- trustgate --> inventory'; exit 1\n",
    )
    .unwrap();
    make_executable(&recorder);
    std::fs::copy(
        root().join("testdata/example/plan.json"),
        runner.path("workspace/b.json"),
    )
    .unwrap();
    runner
        .set("TRUSTGATE_BIN", &recorder.to_string_lossy())
        .set("INPUT_PLAN", "*.json")
        .set("INPUT_ACCOUNTS", "111111111111");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "expired paths fail the step: {}", out.stdout);
    let calls = std::fs::read_to_string(runner.path("gh.log.inventory")).unwrap();
    let call = calls.lines().last().unwrap();
    assert!(
        call.starts_with("inventory --account 111111111111 --color never --format markdown --output json="),
        "{call}"
    );
    assert!(call.ends_with(" -- b.json plan.json"), "{call}");
    assert!(
        out.summary.ends_with("<!-- trustgate --> inventory\n"),
        "{}",
        out.summary
    );
    assert_eq!(out.outputs["exit-code"], "1");

    // And with this build's own binary, whichever it is.
    runner.set("TRUSTGATE_BIN", env!("CARGO_BIN_EXE_trustgate"));
    let out = runner.run("check");
    let has_inventory = Command::new(env!("CARGO_BIN_EXE_trustgate"))
        .args(["inventory", "--help"])
        .output()
        .unwrap()
        .status
        .success();
    if has_inventory {
        assert!(out.code == 0 || out.code == 1, "{}\n{}", out.stdout, out.stderr);
        let json = std::fs::read_to_string(&out.outputs["json-file"]).unwrap();
        assert!(json.contains("trustgate/inventory/v1"), "{json}");
    } else {
        assert_eq!(out.code, 2);
        assert!(
            out.stdout.contains("needs the 'trustgate inventory' command"),
            "{}",
            out.stdout
        );
    }
}

/// The sticky comment is only ever one the token's own account wrote: a PR author's comment that starts
/// with the marker is neither updated nor taken as a reason not to post.
#[test]
fn only_a_comment_written_by_the_tokens_account_is_updated() {
    if !has_jq() {
        eprintln!("SKIPPED: the fake gh needs jq");
        return;
    }
    let mut runner = Runner::new("testdata/example/plan.json");
    runner.set("TRUSTGATE_PR_NUMBER", "42").set(
        "FAKE_GH_COMMENTS",
        &comments(&[
            (100, "mallory", "<!-- trustgate -->\n### ✅ all good"),
            (
                101,
                "github-actions",
                "<!-- trustgate -->\nnot a bot, a user named so",
            ),
        ]),
    );
    // GITHUB_TOKEN: /user fails, GraphQL's viewer answers the app's login ("github-actions"), whose
    // comments REST shows as "github-actions[bot]": the user named "github-actions" is not the app.
    runner
        .set("TRUSTGATE_DEFAULT_TOKEN", "false")
        .set("FAKE_GH_VIEWER", "github-actions");
    let out = runner.run("check");
    assert_eq!(out.code, 1);
    assert_eq!(out.gh_identity_calls.len(), 2, "{:?}", out.gh_identity_calls);
    assert_eq!(out.gh_calls[0], LIST_CALL);
    assert!(
        out.gh_calls[1].starts_with("api --method POST repos/octo/infra/issues/42/comments"),
        "neither 100 nor 101 is ours: {:?}",
        out.gh_calls
    );
    runner.set(
        "FAKE_GH_COMMENTS",
        &comments(&[
            (100, "mallory", "<!-- trustgate -->\n### ✅ all good"),
            (102, "github-actions[bot]", "<!-- trustgate -->\nours"),
        ]),
    );
    let out = runner.run("check");
    assert!(
        out.gh_calls[1].contains("PATCH repos/octo/infra/issues/comments/102"),
        "{:?}",
        out.gh_calls
    );

    // A personal token: /user answers; only that user's marker comment counts.
    runner.set("FAKE_GH_LOGIN", "trustgate-bot").set(
        "FAKE_GH_COMMENTS",
        &comments(&[
            (200, "mallory", "<!-- trustgate -->\nforged"),
            (201, "trustgate-bot", "unrelated"),
            (202, "trustgate-bot", "<!-- trustgate -->\nours"),
        ]),
    );
    let out = runner.run("check");
    assert_eq!(out.gh_calls[0], list_call("trustgate-bot"));
    assert!(
        out.gh_calls[1].contains("PATCH repos/octo/infra/issues/comments/202"),
        "{:?}",
        out.gh_calls
    );

    // Only the PR author's forged comment: a new one is created, the forged one left alone.
    runner.set(
        "FAKE_GH_COMMENTS",
        &comments(&[(300, "mallory", "<!-- trustgate -->\nforged")]),
    );
    let out = runner.run("check");
    assert!(
        out.gh_calls[1].starts_with("api --method POST repos/octo/infra/issues/42/comments"),
        "{:?}",
        out.gh_calls
    );

    // Identity unknown (a token that answers neither, not the workflow's own): no comment at all.
    runner.env.remove("FAKE_GH_LOGIN");
    runner.env.remove("FAKE_GH_VIEWER");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "the check still decides");
    assert!(out.gh_calls.is_empty(), "{:?}", out.gh_calls);
    assert!(
        out.stdout
            .contains("could not find out which account the github-token belongs to"),
        "{}",
        out.stdout
    );
}

/// The README's table of the action's inputs names exactly the inputs `action.yml` declares, with the same
/// defaults where the default is a plain value.
#[test]
fn the_readme_documents_every_input() {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let declared: BTreeMap<String, String> = action["inputs"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().unwrap().to_string(),
                v["default"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("### Inputs and outputs")
        .nth(1)
        .expect("the README has an inputs section");
    let row = regex::Regex::new(r"(?m)^\| `([a-z-]+)` \|([^|]*)\|").unwrap();
    let documented: BTreeMap<String, String> = row
        .captures_iter(section.split("\nOutputs:").next().unwrap())
        .map(|c| (c[1].to_string(), c[2].trim().to_string()))
        .collect();
    assert_eq!(
        documented.keys().collect::<Vec<_>>(),
        declared.keys().collect::<Vec<_>>(),
        "README inputs table vs action.yml"
    );
    for (name, default) in &declared {
        if !default.is_empty() && !default.contains("${{") {
            assert_eq!(documented[name], format!("`{default}`"), "default of {name}");
        }
    }
}

/// Many plans: the one comment stays within GitHub's limit; plans whose report no longer fits keep their
/// heading with a line that says where to read them, and every plan still has its SARIF run.
#[test]
fn many_plans_stay_within_the_comment_limit() {
    let mut runner = Runner::new("testdata/example/plan.json");
    for i in 0..20 {
        let dir = runner.path(&format!("workspace/envs/e{i:02}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(root().join("testdata/example/plan.json"), dir.join("plan.json")).unwrap();
    }
    runner
        .set("INPUT_PLAN", "envs/**/plan.json")
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.outputs["violations"], "100");
    let markdown = std::fs::read_to_string(&out.outputs["markdown-file"]).unwrap();
    assert!(
        markdown.chars().count() <= 65_536,
        "{} characters",
        markdown.chars().count()
    );
    let headings = markdown.lines().filter(|l| l.starts_with("## `envs/e")).count();
    assert_eq!(headings, 20, "every plan keeps its heading");
    let left_out = markdown.matches("report did not fit in the comment").count();
    assert!(left_out > 0 && left_out < 20, "{left_out} plans left out");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out.outputs["sarif-file"]).unwrap()).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 20);
}
