//! The project's own GitHub workflows, read as YAML: every step is named, every action is pinned to a full
//! commit SHA, the release builds exactly the targets the Action downloads, with the archive names, the
//! checksum files, the archive contents and the attestation the Action relies on.

mod common;

use std::collections::BTreeSet;

use common::root;
use serde_norway::Value;

fn workflow(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join(".github/workflows").join(name)).unwrap();
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{name} is valid YAML: {e}"))
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_sequence().expect("a job has steps")
}

fn assert_named_and_pinned(name: &str) {
    let wf = workflow(name);
    let pinned = regex::Regex::new(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$").unwrap();
    let jobs = wf["jobs"].as_mapping().expect("jobs");
    assert!(!jobs.is_empty());
    for (id, job) in jobs {
        assert!(job["name"].as_str().is_some(), "{name}: job {id:?} is named");
        for step in steps(job) {
            assert!(
                step["name"].as_str().is_some_and(|n| !n.is_empty()),
                "{name}: unnamed step {step:?}"
            );
            if let Some(uses) = step["uses"].as_str() {
                assert!(
                    pinned.is_match(uses),
                    "{name}: {uses} is not pinned to a commit SHA"
                );
            }
        }
    }
    // Least privilege by default; jobs widen it where they need to.
    assert_eq!(wf["permissions"]["contents"], "read", "{name}");
}

#[test]
fn every_step_is_named_and_every_action_pinned() {
    assert_named_and_pinned("ci.yml");
    assert_named_and_pinned("release.yml");
}

#[test]
fn ci_runs_the_ci_script_on_linux_and_tests_on_macos_and_windows() {
    let wf = workflow("ci.yml");
    let linux = &wf["jobs"]["linux"];
    assert!(steps(linux).iter().any(|s| s["run"] == "bash .ci/run"));
    let other = &wf["jobs"]["other-platforms"];
    let oses: BTreeSet<&str> = other["strategy"]["matrix"]["os"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(oses, BTreeSet::from(["macos-latest", "windows-latest"]));
    assert!(steps(other).iter().any(|s| s["run"] == "cargo test --locked"));
}

#[test]
fn the_release_builds_what_the_action_downloads() {
    let wf = workflow("release.yml");
    assert_eq!(wf["on"]["push"]["tags"][0], "v*");
    let build = &wf["jobs"]["build"];
    let targets: BTreeSet<&str> = build["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|e| e["target"].as_str())
        .collect();
    // The targets scripts/github-action.sh maps RUNNER_OS/RUNNER_ARCH to.
    let script = std::fs::read_to_string(root().join("scripts/github-action.sh")).unwrap();
    let mapped: BTreeSet<&str> = regex::Regex::new(r"\) echo ([a-z0-9_]+-[a-z0-9_-]+) ;;")
        .unwrap()
        .captures_iter(&script)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert_eq!(targets, mapped);
    assert_eq!(targets.len(), 5);

    let pack = steps(build)
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/upload-rust-binary-action@"))
        })
        .expect("the pack step");
    // trustgate-v{version}-{target}: the tag is v{version}.
    assert_eq!(pack["with"]["archive"], "$bin-$tag-$target");
    assert_eq!(pack["with"]["bin"], "trustgate");
    assert_eq!(pack["with"]["include"], "README.md,CHANGELOG.md,LICENSE");
    assert!(root().join("LICENSE").is_file());
    let checksum = steps(build)
        .iter()
        .find(|s| s["id"] == "checksum")
        .expect("the checksum step");
    let run = checksum["run"].as_str().unwrap();
    assert!(
        run.contains(r#"sha256sum "$ARCHIVE" >"$ARCHIVE.sha256""#),
        "{run}"
    );
    assert!(steps(build).iter().any(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with("actions/attest-build-provenance@"))
    }));
    assert_eq!(build["permissions"]["attestations"], "write");
    assert_eq!(build["permissions"]["id-token"], "write");
    let upload = steps(build)
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.starts_with("gh release upload"))
        })
        .expect("the upload step");
    assert!(
        upload["run"]
            .as_str()
            .unwrap()
            .contains(r#""$ARCHIVE" "$ARCHIVE.sha256""#)
    );

    // Notes from the CHANGELOG; published only after every target is up.
    let create = &wf["jobs"]["create-release"];
    let notes = steps(create)
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("taiki-e/create-gh-release-action@"))
        })
        .unwrap();
    assert_eq!(notes["with"]["changelog"], "CHANGELOG.md");
    assert_eq!(notes["with"]["draft"], true);
    assert_eq!(wf["jobs"]["publish"]["needs"], "build");
}
