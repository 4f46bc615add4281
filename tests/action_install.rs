//! The Action's install step (`scripts/github-action.sh resolve` and `install`) end to end: a download
//! server on 127.0.0.1 (a thread of this test, on a free port) serves a release archive made from the
//! freshly built binary with its `.sha256` file; a fake `cargo` on `PATH` records whether the step fell
//! back to building from source; a fake `gh` answers the build-provenance check. The last test runs
//! action.yml itself, step by step with its expressions resolved, from the first step to the verdict.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use common::root;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const TARGET: &str = "x86_64-unknown-linux-musl";

fn archive() -> String {
    format!("trustgate-v{VERSION}-{TARGET}.tar.gz")
}

/// A static file server: GET /path answers the file under `dir`, or 404; every request path is logged.
/// With `fail_with` set, every request gets that status instead.
struct Server {
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
    fail_with: Arc<Mutex<Option<u16>>>,
}

impl Server {
    fn start(dir: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let fail_with = Arc::new(Mutex::new(None));
        let (thread_log, thread_fail) = (log.clone(), fail_with.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &dir, &thread_log, &thread_fail);
            }
        });
        Server { port, log, fail_with }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

fn serve(
    stream: TcpStream,
    dir: &Path,
    log: &Mutex<Vec<String>>,
    fail_with: &Mutex<Option<u16>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    log.lock().unwrap().push(path.clone());
    let file = dir.join(path.trim_start_matches('/'));
    let forced = *fail_with.lock().unwrap();
    let (status, body) = match forced {
        Some(code) => (code, b"forced failure\n".to_vec()),
        None if !path.contains("..") && file.is_file() => {
            let mut body = Vec::new();
            std::fs::File::open(&file)?.read_to_end(&mut body)?;
            (200, body)
        }
        None => (404, b"Not Found\n".to_vec()),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

const FAKE_CARGO: &str = r#"#!/usr/bin/env bash
# Records the call; `cargo install ... --root R` puts the real test binary at R/bin/trustgate.
printf '%s\n' "$*" >>"$FAKE_CARGO_LOG"
root=""
while [ "$#" -gt 0 ]; do
  if [ "$1" = --root ]; then root="$2"; fi
  shift
done
mkdir -p "$root/bin"
cp "$FAKE_CARGO_BINARY" "$root/bin/trustgate"
"#;

const FAKE_GH: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >>"$FAKE_GH_LOG"
case "$*" in
  "attestation verify --help") exit 0 ;;
  "attestation verify "*) exit "${FAKE_GH_ATTEST_EXIT:-0}" ;;
esac
exit 1
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
    cargo_calls: Vec<String>,
    gh_calls: Vec<String>,
    github_path: String,
}

fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum runs");
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

/// Packs `binary` as `trustgate` at the root of a release archive in `dir`, beside README.md, CHANGELOG.md
/// and LICENSE, and writes its `.sha256` file (a sha256sum line); returns the archive's checksum.
fn make_release(dir: &Path, binary: &Path) -> String {
    let stage = tempfile::tempdir().unwrap();
    std::fs::copy(binary, stage.path().join("trustgate")).unwrap();
    make_executable(&stage.path().join("trustgate"));
    for file in ["README.md", "CHANGELOG.md", "LICENSE"] {
        std::fs::copy(root().join(file), stage.path().join(file)).unwrap();
    }
    std::fs::create_dir_all(dir).unwrap();
    let tarball = dir.join(archive());
    // gzip -1: the debug binary is large, and the test is about the bytes, not the ratio.
    let status = Command::new("sh")
        .arg("-c")
        .arg(r#"tar -cf - -C "$1" trustgate README.md CHANGELOG.md LICENSE | gzip -1 >"$2""#)
        .arg("sh")
        .arg(stage.path())
        .arg(&tarball)
        .status()
        .unwrap();
    assert!(status.success());
    let sum = sha256(&tarball);
    std::fs::write(
        dir.join(format!("{}.sha256", archive())),
        format!("{sum}  {}\n", archive()),
    )
    .unwrap();
    sum
}

/// The freshly built binary, without its debug info where `strip` exists (a tenth of the size, so packing,
/// hashing and extracting it stay quick), copied once under cargo's scratch folder for integration tests.
fn built_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("action-install-binary");
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("trustgate");
        std::fs::copy(env!("CARGO_BIN_EXE_trustgate"), &copy).unwrap();
        let _ = Command::new("strip").arg(&copy).status();
        assert_eq!(
            version_of(&copy.to_string_lossy()),
            format!("trustgate {VERSION}")
        );
        copy
    })
}

/// The release of the freshly built binary, packed once for all tests of this file and copied into `dir`;
/// returns the archive's checksum.
fn real_release(dir: &Path) -> String {
    static PACKED: OnceLock<(PathBuf, String)> = OnceLock::new();
    let (packed, sum) = PACKED.get_or_init(|| {
        // Under cargo's scratch folder for integration tests, replaced on every run.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("action-install-release");
        let _ = std::fs::remove_dir_all(&dir);
        let sum = make_release(&dir, built_binary());
        (dir, sum)
    });
    std::fs::create_dir_all(dir).unwrap();
    for name in [archive(), format!("{}.sha256", archive())] {
        std::fs::copy(packed.join(&name), dir.join(&name)).unwrap();
    }
    sum.clone()
}

impl Runner {
    fn new(base: &str) -> Runner {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        for sub in ["bin", "temp", "home"] {
            std::fs::create_dir(p.join(sub)).unwrap();
        }
        for (name, text) in [("cargo", FAKE_CARGO), ("gh", FAKE_GH)] {
            std::fs::write(p.join("bin").join(name), text).unwrap();
            make_executable(&p.join("bin").join(name));
        }
        let s = |v: &Path| v.to_string_lossy().to_string();
        let path = format!(
            "{}:{}",
            p.join("bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let env = BTreeMap::from([
            ("PATH".to_string(), path),
            ("HOME".to_string(), s(&p.join("home"))),
            ("RUNNER_OS".to_string(), "Linux".to_string()),
            ("RUNNER_ARCH".to_string(), "X64".to_string()),
            ("RUNNER_TEMP".to_string(), s(&p.join("temp"))),
            ("GITHUB_OUTPUT".to_string(), s(&p.join("output"))),
            ("GITHUB_PATH".to_string(), s(&p.join("github_path"))),
            ("GITHUB_ACTION_PATH".to_string(), s(&root())),
            (
                "TRUSTGATE_INSTALL_ROOT".to_string(),
                "~/.cache/trustgate-action".to_string(),
            ),
            ("TRUSTGATE_DOWNLOAD_BASE".to_string(), base.to_string()),
            ("FAKE_CARGO_LOG".to_string(), s(&p.join("cargo.log"))),
            ("FAKE_GH_LOG".to_string(), s(&p.join("gh.log"))),
            ("FAKE_CARGO_BINARY".to_string(), s(built_binary())),
        ]);
        Runner { dir, env }
    }

    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        self.env.insert(key.to_string(), value.to_string());
        self
    }

    fn unset(&mut self, key: &str) -> &mut Self {
        self.env.remove(key);
        self
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn cache(&self) -> PathBuf {
        self.path("home/.cache/trustgate-action")
    }

    fn run(&self, command: &str) -> Outcome {
        for file in ["output", "github_path", "cargo.log", "gh.log"] {
            std::fs::write(self.path(file), "").unwrap();
        }
        let out = Command::new("bash")
            .arg(root().join("scripts/github-action.sh"))
            .arg(command)
            .env_clear()
            .envs(&self.env)
            .current_dir(self.dir.path())
            .output()
            .expect("bash runs the script");
        let lines = |file: &str| -> Vec<String> {
            std::fs::read_to_string(self.path(file))
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        };
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            outputs: lines("output")
                .iter()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            cargo_calls: lines("cargo.log"),
            gh_calls: lines("gh.log"),
            github_path: std::fs::read_to_string(self.path("github_path")).unwrap(),
        }
    }
}

fn version_of(bin: &str) -> String {
    let out = Command::new(bin)
        .arg("--version")
        .output()
        .expect("the installed binary runs");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_release_is_downloaded_verified_cached_and_reverified() {
    let files = tempfile::tempdir().unwrap();
    let release = files.path().join("v");
    let sum = real_release(&release);
    let server = Server::start(files.path().to_path_buf());
    let runner = Runner::new(&server.url("/v"));

    // Cold: checksum, then the archive; no cargo; the binary runs from a fresh folder, not the cache.
    let out = runner.run("install");
    assert_eq!(out.code, 0, "stdout {}\nstderr {}", out.stdout, out.stderr);
    assert_eq!(
        server.take_log(),
        [format!("/v/{}.sha256", archive()), format!("/v/{}", archive())]
    );
    assert!(out.cargo_calls.is_empty(), "{:?}", out.cargo_calls);
    assert!(
        out.stdout
            .contains(&format!("downloaded {}, sha256 {sum} verified", archive())),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("build provenance not checked"),
        "{}",
        out.stdout
    );
    let bin = out.outputs["bin"].clone();
    assert!(
        bin.starts_with(&runner.path("temp").to_string_lossy().to_string()),
        "{bin}"
    );
    assert_eq!(version_of(&bin), format!("trustgate {VERSION}"));
    assert_eq!(out.outputs["sha256"], sha256(built_binary()));
    assert_eq!(
        out.github_path,
        format!("{}\n", Path::new(&bin).parent().unwrap().display())
    );
    let cached = runner.cache().join(archive());
    assert_eq!(sha256(&cached), sum);

    // Warm: only the checksum is fetched; the cached archive is verified against it.
    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(server.take_log(), [format!("/v/{}.sha256", archive())]);
    assert!(
        out.stdout
            .contains(&format!("{} restored from the cache, sha256 verified", archive())),
        "{}",
        out.stdout
    );
    assert_ne!(out.outputs["bin"], bin, "every run extracts into its own folder");
    assert_eq!(version_of(&out.outputs["bin"]), format!("trustgate {VERSION}"));

    // Code that ran earlier in the job replaced the cached archive with one holding a fake trustgate:
    // the mismatch is noticed, the real release downloaded again, and the fake never runs.
    let fake_dir = tempfile::tempdir().unwrap();
    let fake = fake_dir.path().join("fake");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho 'trustgate: 0 widenings: 0 violations, 0 approved'\n",
    )
    .unwrap();
    make_release(fake_dir.path(), &fake);
    std::fs::copy(fake_dir.path().join(archive()), &cached).unwrap();
    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("does not match the release checksum; downloading it again"),
        "{}",
        out.stdout
    );
    assert_eq!(
        server.take_log(),
        [format!("/v/{}.sha256", archive()), format!("/v/{}", archive())]
    );
    assert_eq!(sha256(&cached), sum);
    assert_eq!(version_of(&out.outputs["bin"]), format!("trustgate {VERSION}"));
}

#[test]
fn a_wrong_checksum_installs_nothing() {
    let files = tempfile::tempdir().unwrap();
    real_release(files.path());
    let wrong = "0".repeat(64);
    std::fs::write(
        files.path().join(format!("{}.sha256", archive())),
        format!("{wrong}  {}\n", archive()),
    )
    .unwrap();
    let server = Server::start(files.path().to_path_buf());
    let runner = Runner::new(&server.url(""));
    let out = runner.run("install");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout.contains(&format!(
            "::error title=trustgate action::checksum mismatch for {}: the release says {wrong}",
            archive()
        )),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("nothing was installed"));
    assert!(!out.outputs.contains_key("bin"), "{:?}", out.outputs);
    assert!(out.github_path.is_empty());
    assert!(
        out.cargo_calls.is_empty(),
        "a mismatch never falls back to building"
    );
    assert!(
        !runner.cache().join(archive()).exists(),
        "nothing is cached either"
    );
    assert!(
        std::fs::read_dir(runner.path("temp"))
            .unwrap()
            .flatten()
            .all(|e| !e.path().join("trustgate").exists()),
        "no binary was extracted"
    );

    // A checksum file for another archive, or not a checksum at all, is refused the same way.
    for text in [
        format!("{}  trustgate-other.tar.gz\n", "a".repeat(64)),
        "<html>not found</html>\n".to_string(),
    ] {
        std::fs::write(files.path().join(format!("{}.sha256", archive())), text).unwrap();
        let out = runner.run("install");
        assert_eq!(out.code, 2);
        assert!(out.stdout.contains("is not a sha256sum line"), "{}", out.stdout);
        assert!(!out.outputs.contains_key("bin"));
    }
}

#[test]
fn a_missing_release_falls_back_to_cargo_install_with_a_notice() {
    let files = tempfile::tempdir().unwrap();
    let server = Server::start(files.path().to_path_buf());
    let runner = Runner::new(&server.url("/none"));
    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!(
            "::notice title=trustgate action::no trustgate release v{VERSION} for {TARGET} at {} (HTTP 404); \
             building it from the action's source with cargo install",
            server.url("/none")
        )),
        "{}",
        out.stdout
    );
    let source_root = runner.cache().join("source");
    assert_eq!(
        out.cargo_calls,
        [format!(
            "install --locked --path {} --root {}",
            root().display(),
            source_root.display()
        )]
    );
    assert_eq!(version_of(&out.outputs["bin"]), format!("trustgate {VERSION}"));

    // The built binary is cached with its checksum: the next run builds nothing.
    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.cargo_calls.is_empty(), "{:?}", out.cargo_calls);
    assert!(
        out.stdout.contains("restored from the cache (sha256 verified)"),
        "{}",
        out.stdout
    );

    // A replaced cached binary is built again, never run.
    std::fs::write(source_root.join("bin/trustgate"), "#!/bin/sh\necho fake\n").unwrap();
    let out = runner.run("install");
    assert_eq!(out.cargo_calls.len(), 1, "{}", out.stdout);
    assert_eq!(version_of(&out.outputs["bin"]), format!("trustgate {VERSION}"));

    // No runner target built by the release (e.g. Linux on 32-bit ARM): straight to cargo, with a notice.
    let mut runner = Runner::new(&server.url("/none"));
    runner.set("RUNNER_ARCH", "ARM");
    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("no trustgate release is built for Linux ARM"),
        "{}",
        out.stdout
    );
    assert_eq!(out.cargo_calls.len(), 1);
}

#[test]
fn a_server_error_is_not_a_missing_release() {
    let files = tempfile::tempdir().unwrap();
    real_release(files.path());
    let server = Server::start(files.path().to_path_buf());
    *server.fail_with.lock().unwrap() = Some(503);
    let runner = Runner::new(&server.url(""));
    let out = runner.run("install");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("(HTTP 503)"), "{}", out.stdout);
    assert!(out.cargo_calls.is_empty());
    assert!(!out.outputs.contains_key("bin"));
}

/// The default download base is the action repository's release for its version, read from where the
/// runner put the action (`_actions/OWNER/REPO/REF`); the cache key carries that ref; the archive's build
/// provenance is checked with `gh attestation verify`, and a failed check installs nothing.
#[test]
fn default_base_cache_key_and_provenance() {
    let files = tempfile::tempdir().unwrap();
    let release = files
        .path()
        .join(format!("octo/trustgate/releases/download/v{VERSION}"));
    real_release(&release);
    let server = Server::start(files.path().to_path_buf());

    let actions = tempfile::tempdir().unwrap();
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let action = actions.path().join("_actions/octo/trustgate").join(sha);
    std::fs::create_dir_all(action.join("scripts")).unwrap();
    for file in [
        "action.yml",
        "Cargo.toml",
        "Cargo.lock",
        "scripts/github-action.sh",
    ] {
        std::fs::copy(root().join(file), action.join(file)).unwrap();
    }

    let mut runner = Runner::new("");
    runner
        .unset("TRUSTGATE_DOWNLOAD_BASE")
        .set("GITHUB_ACTION_PATH", &action.to_string_lossy())
        .set("GITHUB_SERVER_URL", &server.url(""))
        .set("GH_TOKEN", "t");
    let out = runner.run("resolve");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.outputs["version"], VERSION);
    assert_eq!(out.outputs["target"], TARGET);
    assert_eq!(out.outputs["archive"], archive());
    let key = out.outputs["key"].clone();
    let key_re = regex::Regex::new(&format!(
        "^trustgate-v{}-{TARGET}-{sha}-[0-9a-f]{{16}}$",
        regex::escape(VERSION)
    ))
    .unwrap();
    assert!(key_re.is_match(&key), "{key}");

    // The same version and ref with other action files: another key.
    std::fs::write(action.join("scripts/extra.sh"), "# changed\n").unwrap();
    let out = runner.run("resolve");
    assert_ne!(out.outputs["key"], key, "the key follows the action's files");

    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let cached = format!("/octo/trustgate/releases/download/v{VERSION}/{}", archive());
    assert_eq!(server.take_log(), [format!("{cached}.sha256"), cached.clone()]);
    let attest: Vec<&String> = out
        .gh_calls
        .iter()
        .filter(|c| c.starts_with("attestation verify ") && !c.ends_with("--help"))
        .collect();
    assert_eq!(attest.len(), 1, "{:?}", out.gh_calls);
    assert!(
        attest[0].ends_with(&format!("{} --repo octo/trustgate", archive())),
        "{}",
        attest[0]
    );
    assert!(out.stdout.contains("build provenance verified"), "{}", out.stdout);

    // Provenance that does not verify: nothing is installed or cached.
    std::fs::remove_dir_all(runner.cache()).unwrap();
    runner.set("FAKE_GH_ATTEST_EXIT", "1");
    let out = runner.run("install");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("build provenance"), "{}", out.stdout);
    assert!(!out.outputs.contains_key("bin"));
    assert!(!runner.cache().join(archive()).exists());
}

/// The check step runs only the binary the install step verified: a binary swapped in between is refused.
#[test]
fn the_check_step_refuses_a_binary_changed_after_install() {
    let files = tempfile::tempdir().unwrap();
    real_release(files.path());
    let server = Server::start(files.path().to_path_buf());
    let mut runner = Runner::new(&server.url(""));
    let out = runner.run("install");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (bin, sum) = (out.outputs["bin"].clone(), out.outputs["sha256"].clone());
    std::fs::copy(
        root().join("testdata/example/plan.json"),
        runner.path("plan.json"),
    )
    .unwrap();
    runner
        .set("TRUSTGATE_BIN", &bin)
        .set("TRUSTGATE_BIN_SHA256", &sum)
        .set("INPUT_PLAN", "plan.json")
        .set("INPUT_COMMENT", "false");
    let out = runner.run("check");
    assert_eq!(out.code, 1, "the verified binary runs: {}", out.stderr);
    assert_eq!(out.outputs["violations"], "5");

    std::fs::write(
        &bin,
        "#!/bin/sh\necho 'trustgate: 0 widenings: 0 violations, 0 approved'\n",
    )
    .unwrap();
    let out = runner.run("check");
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stdout.contains("changed after the install step verified it"),
        "{}",
        out.stdout
    );
    assert!(!out.outputs.contains_key("violations"));
}

/// Resolves the `${{ … }}` expressions action.yml uses: `inputs.X`, `steps.ID.outputs.Y`, `github.token`,
/// `github.event.pull_request.number`, `runner.os`, and `A == B` of two of those. Anything else panics, so
/// a new kind of expression in action.yml needs this test to learn it.
fn resolve_expression(
    text: &str,
    inputs: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, BTreeMap<String, String>>,
) -> String {
    let value = |term: &str| -> String {
        let term = term.trim();
        if let Some(name) = term.strip_prefix("inputs.") {
            return inputs.get(name).cloned().unwrap_or_default();
        }
        if let Some(rest) = term.strip_prefix("steps.") {
            let (id, name) = rest.split_once(".outputs.").expect("steps.ID.outputs.NAME");
            return outputs
                .get(id)
                .and_then(|o| o.get(name))
                .cloned()
                .unwrap_or_default();
        }
        match term {
            "github.token" => "the-workflow-token".to_string(),
            "github.event.pull_request.number" => String::new(),
            "runner.os" => "Linux".to_string(),
            other => panic!("action.yml uses an expression this test does not know: {other}"),
        }
    };
    let expr = regex::Regex::new(r"\$\{\{(.*?)\}\}").unwrap();
    expr.replace_all(text, |c: &regex::Captures| match c[1].split_once("==") {
        Some((a, b)) => (value(a) == value(b)).to_string(),
        None => value(&c[1]),
    })
    .into_owned()
}

/// action.yml as the runner executes it: every step in order, `run:` steps with their `env:` resolved from
/// the inputs (with their declared defaults) and earlier steps' outputs, the cache step as the cache folder
/// that stays between runs; then the action's own outputs. Returns the action outputs and the last exit code.
fn run_action(runner: &Runner, given: &[(&str, &str)]) -> (i32, BTreeMap<String, String>, String) {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let action: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let mut inputs: BTreeMap<String, String> = action["inputs"]
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
    for (k, v) in given {
        assert!(inputs.contains_key(*k), "no input {k}");
        inputs.insert(k.to_string(), v.to_string());
    }
    // Default inputs may be expressions themselves (github-token: ${{ github.token }}).
    let empty = BTreeMap::new();
    for value in inputs.values_mut() {
        *value = resolve_expression(value, &BTreeMap::new(), &empty);
    }
    let mut outputs: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut log = String::new();
    let mut code = 0;
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        let Some(run) = step["run"].as_str() else {
            let uses = step["uses"].as_str().unwrap();
            assert!(uses.starts_with("actions/cache@"), "{uses}");
            let key = resolve_expression(step["with"]["key"].as_str().unwrap(), &inputs, &outputs);
            assert!(key.starts_with("trustgate-v"), "the cache key is resolved: {key}");
            continue;
        };
        let output_file = runner.path("step-output");
        std::fs::write(&output_file, "").unwrap();
        let mut command = Command::new("bash");
        command
            .arg("-c")
            .arg(run)
            .env_clear()
            .envs(&runner.env)
            .env("GITHUB_OUTPUT", &output_file)
            .current_dir(runner.dir.path());
        if let Some(env) = step["env"].as_mapping() {
            for (k, v) in env {
                let value = resolve_expression(v.as_str().unwrap_or_default(), &inputs, &outputs);
                command.env(k.as_str().unwrap(), value);
            }
        }
        let out = command.output().unwrap();
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        code = out.status.code().unwrap_or(-1);
        if let Some(id) = step["id"].as_str() {
            let written = std::fs::read_to_string(&output_file).unwrap();
            outputs.insert(
                id.to_string(),
                written
                    .lines()
                    .filter_map(|l| l.split_once('='))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            );
        }
        if code != 0 {
            break;
        }
    }
    let declared = action["outputs"].as_mapping().unwrap();
    let action_outputs = declared
        .iter()
        .map(|(k, v)| {
            let value = resolve_expression(v["value"].as_str().unwrap(), &inputs, &outputs);
            (k.as_str().unwrap().to_string(), value)
        })
        .collect();
    (code, action_outputs, log)
}

/// The whole action.yml, first step to verdict, cold then warm, against the download server.
#[test]
fn action_yml_runs_from_the_first_step_to_the_verdict() {
    let files = tempfile::tempdir().unwrap();
    real_release(files.path());
    let server = Server::start(files.path().to_path_buf());
    let runner = Runner::new(&server.url(""));
    std::fs::create_dir(runner.path("infra")).unwrap();
    std::fs::copy(
        root().join("testdata/example/plan.json"),
        runner.path("infra/plan.json"),
    )
    .unwrap();
    let inputs = [
        ("working-directory", "infra"),
        ("plan", "plan.json"),
        ("comment", "false"),
    ];

    for round in ["cold", "warm"] {
        let (code, outputs, log) = run_action(&runner, &inputs);
        assert_eq!(code, 1, "{round}: the violations fail the step\n{log}");
        assert_eq!(outputs["violations"], "5", "{round}: {log}");
        assert_eq!(outputs["widenings"], "6");
        assert_eq!(outputs["approved"], "1");
        assert_eq!(outputs["exit-code"], "1");
        assert!(
            outputs["sarif-file"].ends_with("infra/trustgate.sarif"),
            "{outputs:?}"
        );
        assert_eq!(version_of(&outputs["trustgate"]), format!("trustgate {VERSION}"));
        assert!(
            log.contains("trustgate: 5 violation(s) block this change"),
            "{log}"
        );
        let fetched = server.take_log();
        match round {
            "cold" => assert_eq!(fetched.len(), 2, "checksum and archive: {fetched:?}"),
            _ => assert_eq!(fetched, [format!("/{}.sha256", archive())], "warm: checksum only"),
        }
    }
    let (code, outputs, log) = run_action(
        &runner,
        &[
            ("working-directory", "infra"),
            ("plan", "plan.json"),
            ("comment", "false"),
            ("fail-on-violation", "false"),
        ],
    );
    assert_eq!(code, 0, "fail-on-violation: false passes the step: {log}");
    assert_eq!(outputs["violations"], "5");
}
