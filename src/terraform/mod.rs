//! Running terraform: the binary (`--terraform-bin`, `TRUSTGATE_TERRAFORM`, `terraform` on PATH), the
//! conversion of binary plan files (`convert`, used by `check` too), and the wrapper
//! (`trustgate terraform …`: `wrapper`, reading terraform's command line in `args`).
//!
//! Terraform's own output is streamed (inherited); only `show -json` is captured.

pub mod args;
pub mod convert;
pub mod wrapper;

pub use args::Invocation;
pub use convert::{is_binary_plan, read_plan, read_state_or_plan};
pub use wrapper::{Judge, Verdict, pass_through, run};

use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use crate::error::{Error, Result};
use crate::input::{self, MAX_INPUT_BYTES};

/// Environment variable naming the terraform binary (e.g. `tofu`) when `--terraform-bin` is not given.
pub const ENV_BIN: &str = "TRUSTGATE_TERRAFORM";

/// The terraform (or OpenTofu) binary and the global options that go before every subcommand.
#[derive(Debug, Clone)]
pub struct Terraform {
    program: OsString,
    /// Where the program name came from, for error messages.
    origin: &'static str,
    pub(super) globals: Vec<OsString>,
}

impl Terraform {
    /// `--terraform-bin`, else `TRUSTGATE_TERRAFORM` (when set and not empty), else `terraform` on `PATH`.
    pub fn choose(flag: Option<&Path>) -> Terraform {
        let (program, origin) = match flag {
            Some(path) => (path.as_os_str().to_os_string(), "--terraform-bin"),
            None => match std::env::var_os(ENV_BIN).filter(|v| !v.is_empty()) {
                Some(value) => (value, ENV_BIN),
                None => (OsString::from("terraform"), "PATH"),
            },
        };
        Terraform {
            program,
            origin,
            globals: Vec::new(),
        }
    }

    pub(super) fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(&self.program);
        command.args(&self.globals).args(args);
        command
    }

    /// Why the binary could not be started, e.g. "`terraform` is not on PATH".
    pub(super) fn not_runnable_reason(&self, err: &std::io::Error) -> String {
        let program = self.program.to_string_lossy();
        match (err.kind(), self.origin) {
            (std::io::ErrorKind::NotFound, "PATH") => format!("`{program}` is not on PATH"),
            (std::io::ErrorKind::NotFound, origin) => format!("`{program}` (from {origin}) was not found"),
            (_, origin) => format!(
                "`{program}` (from {origin}) cannot run: {}",
                input::os_reason(err)
            ),
        }
    }

    fn not_runnable(&self, err: &std::io::Error) -> Error {
        Error::Usage(format!(
            "cannot run terraform: {}; install terraform (or OpenTofu), or name the binary with \
             --terraform-bin or TRUSTGATE_TERRAFORM",
            self.not_runnable_reason(err)
        ))
    }

    /// Runs terraform with the terminal's standard streams and returns how it ended.
    pub(super) fn run<I, S>(&self, args: I) -> Result<ExitStatus>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut child = self.command(args).spawn().map_err(|e| self.not_runnable(&e))?;
        child.wait().map_err(|e| self.not_runnable(&e))
    }

    /// `terraform show -json PLAN`: the plan JSON as text. Terraform's error messages reach the terminal.
    pub(super) fn show_json(&self, plan: &OsStr, display: &Path) -> Result<String> {
        self.show_json_or(plan, display, &|e| self.not_runnable(e))
    }

    /// `show_json`, with the error to give when terraform cannot be started at all.
    pub(super) fn show_json_or(
        &self,
        plan: &OsStr,
        display: &Path,
        not_runnable: &dyn Fn(&std::io::Error) -> Error,
    ) -> Result<String> {
        let mut child = self
            .command([OsStr::new("show"), OsStr::new("-json"), plan])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| not_runnable(&e))?;
        let mut bytes = Vec::new();
        let read = match child.stdout.take() {
            Some(stdout) => stdout
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map(|_| ()),
            None => Ok(()),
        };
        let status = child.wait().map_err(|e| self.not_runnable(&e))?;
        let program = self.program.to_string_lossy();
        // Checked first: stopping reading at the limit ends terraform with SIGPIPE.
        if bytes.len() as u64 > MAX_INPUT_BYTES {
            return Err(Error::Unreadable {
                path: display.to_path_buf(),
                reason: format!("`{program} show -json` printed more than {MAX_INPUT_BYTES} bytes"),
            });
        }
        if !status.success() {
            return Err(Error::Usage(format!(
                "{}: `{program} show -json` failed ({}; its message is above); terraform reads a plan with \
                 the providers of its configuration: run where the configuration is, after `{program} init`",
                display.display(),
                describe(status)
            )));
        }
        read.map_err(|e| Error::Unreadable {
            path: display.to_path_buf(),
            reason: format!("reading `{program} show -json`: {}", input::os_reason(&e)),
        })?;
        input::decode_text(bytes, display)
    }
}

/// "exit code 3", or "killed by a signal".
fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_string(),
    }
}

/// The exit code to pass on for a child's status: its own code, or 128 + the signal that ended it.
pub(super) fn exit_code(status: ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    1
}

/// A private (0700 on Unix) temporary directory, removed with everything in it when dropped.
pub(super) fn temp_dir() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("trustgate-")
        .tempdir()
        .map_err(|e| Error::Unwritable {
            path: std::env::temp_dir(),
            reason: format!("cannot create a temporary directory: {}", input::os_reason(&e)),
        })
}
