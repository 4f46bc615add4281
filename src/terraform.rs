//! The terraform wrapper (`trustgate terraform …`) and the conversion of binary plan files.
//!
//! `plan` and `apply` run terraform, convert the plan with `terraform show -json` and judge it with
//! `check::check_plan_text`, exactly as `trustgate check` does; every other subcommand passes straight
//! through. Terraform's own output is streamed (inherited); only `show -json` is captured.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use crate::catalog::Catalog;
use crate::check::{CheckOptions, check_plan_text};
use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{self, MAX_INPUT_BYTES, Source, Text};
use crate::report::{self, Format};

/// Environment variable naming the terraform binary (e.g. `tofu`) when `--terraform-bin` is not given.
pub const ENV_BIN: &str = "TRUSTGATE_TERRAFORM";

/// The zip magic that starts every binary plan file (`terraform plan -out`).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Name of the plan in reports when it lives in a temporary file.
const TEMP_PLAN_NAME: &str = "<terraform plan>";

/// Whether these bytes are a binary plan file (a zip archive) rather than plan JSON.
pub fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// The terraform (or OpenTofu) binary and the global options that go before every subcommand.
#[derive(Debug, Clone)]
pub struct Terraform {
    program: OsString,
    /// Where the program name came from, for error messages.
    origin: &'static str,
    globals: Vec<OsString>,
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

    fn command<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(&self.program);
        command.args(&self.globals).args(args);
        command
    }

    /// Why the binary could not be started, e.g. "`terraform` is not on PATH".
    fn not_runnable_reason(&self, err: &std::io::Error) -> String {
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
    fn run<I, S>(&self, args: I) -> Result<ExitStatus>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut child = self.command(args).spawn().map_err(|e| self.not_runnable(&e))?;
        child.wait().map_err(|e| self.not_runnable(&e))
    }

    /// `terraform show -json PLAN`: the plan JSON as text. Terraform's error messages reach the terminal.
    fn show_json(&self, plan: &OsStr, display: &Path) -> Result<String> {
        self.show_json_or(plan, display, &|e| self.not_runnable(e))
    }

    /// `show_json`, with the error to give when terraform cannot be started at all.
    fn show_json_or(
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
fn exit_code(status: ExitStatus) -> i32 {
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

/// Reads a plan for `trustgate check`: plan JSON as text, or a binary plan file (zip) converted with
/// `terraform show -json`. A binary plan from standard input is written to a private temporary file first.
pub fn read_plan(source: &Source, terraform: &Terraform) -> Result<Text> {
    let display = source.display_path();
    // A large plan JSON file is mapped rather than copied (see `input::read_text_mapped`).
    if let Some(map) = input::map_large_file(source)
        && !is_binary_plan(&map)
    {
        return input::text_from_map(map, &display);
    }
    let bytes = input::read_raw(source)?;
    if !is_binary_plan(&bytes) {
        return input::decode_text(bytes, &display).map(Text::from);
    }
    let yourself = match source {
        Source::File(path) => format!(
            "`terraform show -json {} > plan.json`",
            shell_word(&path.to_string_lossy())
        ),
        Source::Stdin => "`terraform show -json FILE > plan.json` on the saved file".to_string(),
    };
    let missing = |err: &std::io::Error| {
        Error::invalid(
            &display,
            "top level",
            format!(
                "this is a binary plan file (from `terraform plan -out`); converting it needs terraform, but {}: \
                 install it, name it with --terraform-bin or TRUSTGATE_TERRAFORM, or convert the plan yourself \
                 with {yourself}",
                terraform.not_runnable_reason(err)
            ),
        )
    };
    let convert = |plan: &OsStr| terraform.show_json_or(plan, &display, &missing).map(Text::from);
    match source {
        Source::File(path) => convert(path.as_os_str()),
        Source::Stdin => {
            let dir = temp_dir()?;
            let path = dir.path().join("stdin.tfplan");
            std::fs::write(&path, &bytes).map_err(|e| Error::Unwritable {
                path: path.clone(),
                reason: input::os_reason(&e),
            })?;
            convert(path.as_os_str())
        }
    }
}

/// Reads a state or a plan for `trustgate inventory`: as `read_plan`, and a raw state file
/// (`terraform.tfstate`, which `terraform show -json` turns into the state representation) is converted too.
pub fn read_state_or_plan(source: &Source, terraform: &Terraform) -> Result<Text> {
    let text = read_plan(source, terraform)?;
    if !crate::inventory::load::is_raw_state(&text) {
        return Ok(text);
    }
    let display = source.display_path();
    let missing = |err: &std::io::Error| {
        Error::invalid(
            &display,
            "top level",
            format!(
                "this is a raw state file (terraform.tfstate); converting it needs terraform, but {}: install it, \
                 name it with --terraform-bin or TRUSTGATE_TERRAFORM, or convert it yourself with \
                 `terraform show -json FILE > state.json`",
                terraform.not_runnable_reason(err)
            ),
        )
    };
    match source {
        Source::File(path) => terraform
            .show_json_or(path.as_os_str(), &display, &missing)
            .map(Text::from),
        Source::Stdin => {
            let dir = temp_dir()?;
            let path = dir.path().join("stdin.tfstate");
            std::fs::write(&path, text.as_bytes()).map_err(|e| Error::Unwritable {
                path: path.clone(),
                reason: input::os_reason(&e),
            })?;
            terraform
                .show_json_or(path.as_os_str(), &display, &missing)
                .map(Text::from)
        }
    }
}

/// A private (0700 on Unix) temporary directory, removed with everything in it when dropped.
fn temp_dir() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("trustgate-")
        .tempdir()
        .map_err(|e| Error::Unwritable {
            path: std::env::temp_dir(),
            reason: format!("cannot create a temporary directory: {}", input::os_reason(&e)),
        })
}

/// Quotes a word for a shell command shown in a message, when it needs quoting.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// How the wrapper judges a plan and reports: the same settings `trustgate check` takes.
pub struct Judge<'a> {
    pub flag_accounts: &'a [String],
    pub flag_orgs: &'a [String],
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    pub today: Date,
    pub format: Format,
    pub color: bool,
    /// The configuration terraform runs in (`-chdir=DIR`, else the working directory) when it holds `.tf`
    /// files: read as HCL sources, for file/line locations, comment annotations and unknown policies.
    pub source_dir: Option<PathBuf>,
}

/// The outcome of a check, as far as the wrapper needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub exit_code: i32,
    pub violations: usize,
}

impl Judge<'_> {
    /// Checks plan JSON exactly as `trustgate check` does and prints the report on standard output.
    fn check_and_report(&self, text: &str, display: &Path) -> Result<Verdict> {
        let options = CheckOptions {
            display_path: display.to_path_buf(),
            flag_accounts: self.flag_accounts,
            flag_orgs: self.flag_orgs,
            config: self.config,
            catalog: self.catalog,
            today: self.today,
            // The HCL sources (locations, comment annotations) are not read by the wrapper yet; terraform's
            // working directory (-chdir) would be the natural `--source`.
            source_dir: self.source_dir.clone(),
        };
        let report = check_plan_text(text, &options)?;
        crate::cli::write_stdout(&report::render(&report, self.format, self.color));
        Ok(Verdict {
            exit_code: report.exit_code(),
            violations: report.summary.violations,
        })
    }
}

/// A terraform command line split the way terraform reads it: global options (`-chdir=DIR`, …), the
/// subcommand word, and everything after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub globals: Vec<OsString>,
    pub subcommand: Option<OsString>,
    pub rest: Vec<OsString>,
}

impl Invocation {
    pub fn parse(args: Vec<OsString>) -> Invocation {
        let mut args = args.into_iter();
        let mut globals = Vec::new();
        let mut subcommand = None;
        for arg in args.by_ref() {
            if arg.to_string_lossy().starts_with('-') {
                globals.push(arg);
            } else {
                subcommand = Some(arg);
                break;
            }
        }
        Invocation {
            globals,
            subcommand,
            rest: args.collect(),
        }
    }

    /// The directory terraform works in: `-chdir=DIR` when given.
    pub fn chdir(&self) -> Option<PathBuf> {
        self.globals.iter().rev().find_map(|arg| {
            let text = arg.to_str()?;
            let dir = text
                .strip_prefix("-chdir=")
                .or_else(|| text.strip_prefix("--chdir="))?;
            Some(PathBuf::from(dir))
        })
    }
}

impl Invocation {
    /// Whether trustgate checks a plan in this command (`plan` and `apply`, unless they ask for help);
    /// everything else passes straight through and needs no config or catalog.
    pub fn checks_plans(&self) -> bool {
        let wrapped = matches!(
            self.subcommand.as_ref().and_then(|s| s.to_str()),
            Some("plan" | "apply")
        );
        wrapped
            && !scan(&self.rest)
                .flags
                .iter()
                .any(|f| matches!(f.name.as_str(), "help" | "h"))
    }
}

/// Runs terraform's command line unchanged; returns terraform's exit code.
pub fn pass_through(terraform: &Terraform, invocation: &Invocation) -> Result<i32> {
    interrupt::defer();
    let subcommand = invocation.subcommand.iter();
    let args = invocation
        .globals
        .iter()
        .chain(subcommand)
        .chain(&invocation.rest);
    Ok(exit_code(terraform.run(args)?))
}

/// Runs `trustgate terraform …`; returns the process exit code.
pub fn run(terraform: &Terraform, invocation: &Invocation, judge: &Judge<'_>) -> Result<i32> {
    if !invocation.checks_plans() {
        return pass_through(terraform, invocation);
    }
    let mut terraform = terraform.clone();
    terraform.globals = invocation.globals.clone();
    interrupt::defer();
    let wrapper = Wrapper {
        terraform: &terraform,
        chdir: invocation.chdir(),
        judge,
    };
    if invocation.subcommand.as_ref().is_some_and(|s| s == "apply") {
        wrapper.apply(&invocation.rest)
    } else {
        wrapper.plan(&invocation.rest)
    }
}

struct Wrapper<'a> {
    terraform: &'a Terraform,
    chdir: Option<PathBuf>,
    judge: &'a Judge<'a>,
}

/// A plan file: the user's own (`-out`, or a saved plan given to `apply`), or a temporary one.
struct PlanFile {
    /// As terraform is given it (relative paths are relative to `-chdir`).
    arg: OsString,
    display: PathBuf,
    /// Keeps the temporary directory alive; dropping it removes the plan.
    _temp: Option<tempfile::TempDir>,
}

/// What became of `terraform plan`.
enum Planned {
    File(PlanFile),
    /// Terraform failed: its exit code.
    Failed(i32),
}

impl Wrapper<'_> {
    /// `trustgate terraform plan`: plan (to a temporary file unless `-out` is given), check, report.
    fn plan(&self, args: &[OsString]) -> Result<i32> {
        match self.make_plan(args)? {
            Planned::Failed(code) => Ok(code),
            Planned::File(plan) => Ok(self.check(&plan)?.exit_code),
        }
    }

    /// `trustgate terraform apply`: check a saved plan, or plan to a temporary file and check it; apply
    /// exactly the checked file, and only when the check found no violation.
    fn apply(&self, args: &[OsString]) -> Result<i32> {
        let scanned = scan(args);
        match scanned.positionals.as_slice() {
            [] => {
                let auto_approve = scanned.bool_flag("auto-approve") == Some(true);
                if !auto_approve && scanned.bool_flag("input") == Some(false) {
                    return Err(Error::Usage(
                        "trustgate terraform apply: -input=false needs -auto-approve (there is no one to \
                         confirm the apply)"
                            .to_string(),
                    ));
                }
                let plan_args = scanned.select(args, |name| !APPLY_ONLY.contains(&name));
                let plan = match self.make_plan(&plan_args)? {
                    Planned::Failed(code) => return Ok(code),
                    Planned::File(plan) => plan,
                };
                if let Some(code) = self.refuse(&plan)? {
                    return Ok(code);
                }
                if !auto_approve {
                    match confirm()? {
                        Some(true) => {}
                        Some(false) => {
                            eprintln!("trustgate: apply cancelled.");
                            return Ok(1);
                        }
                        None => return Ok(interrupt::EXIT_CODE),
                    }
                }
                let mut apply_args = scanned.select(args, |name| !PLAN_ONLY.contains(&name));
                apply_args.push(plan.arg.clone());
                self.apply_file(&apply_args)
            }
            [saved] => {
                let plan = self.saved_plan(saved)?;
                if let Some(code) = self.refuse(&plan)? {
                    return Ok(code);
                }
                // Apply the copy that was checked, in the user's argument's place.
                let mut apply_args = args.to_vec();
                if let Some(index) = apply_args.iter().rposition(|a| a == saved) {
                    apply_args[index] = plan.arg.clone();
                }
                self.apply_file(&apply_args)
            }
            [_, extra, ..] => Err(Error::Usage(format!(
                "trustgate terraform apply: expected at most one saved plan file, also got `{}`",
                extra.to_string_lossy()
            ))),
        }
    }

    fn apply_file(&self, args: &[OsString]) -> Result<i32> {
        if interrupt::happened() {
            return Ok(interrupt::EXIT_CODE);
        }
        let status = self
            .terraform
            .run(std::iter::once(OsStr::new("apply")).chain(args.iter().map(|a| a.as_os_str())))?;
        Ok(exit_code(status))
    }

    /// Checks the plan and prints the report; `Some(exit code)` when the apply must not go ahead.
    fn refuse(&self, plan: &PlanFile) -> Result<Option<i32>> {
        if interrupt::happened() {
            return Ok(Some(interrupt::EXIT_CODE));
        }
        let verdict = self.check(plan)?;
        if verdict.exit_code == 0 {
            return Ok(None);
        }
        let noun = if verdict.violations == 1 {
            "violation"
        } else {
            "violations"
        };
        eprintln!(
            "trustgate: refusing to apply: {} {noun} in {} (nothing was applied)",
            verdict.violations,
            plan.display.display()
        );
        Ok(Some(verdict.exit_code))
    }

    fn check(&self, plan: &PlanFile) -> Result<Verdict> {
        let text = self.terraform.show_json(&plan.arg, &plan.display)?;
        self.judge.check_and_report(&text, &plan.display)
    }

    /// A saved plan given to `apply`: it must be a file (relative to `-chdir` when given). It is copied
    /// to a private temporary file, which is then both checked and applied, so that the file cannot change
    /// between the check and the apply.
    fn saved_plan(&self, arg: &OsString) -> Result<PlanFile> {
        let display = PathBuf::from(arg);
        let on_disk = match &self.chdir {
            Some(dir) if display.is_relative() => dir.join(&display),
            _ => display.clone(),
        };
        let problem = match std::fs::metadata(&on_disk) {
            Ok(meta) if meta.is_file() => None,
            Ok(_) => Some(
                "is not a file; `trustgate terraform apply` takes a saved plan file (to apply a configuration \
                 in another directory, use -chdir=DIR)"
                    .to_string(),
            ),
            Err(err) => Some(format!("cannot read the saved plan: {}", input::os_reason(&err))),
        };
        if let Some(message) = problem {
            return Err(Error::invalid(display, "apply", message));
        }
        let dir = temp_dir()?;
        let copy = std::path::absolute(dir.path().join("plan.tfplan")).and_then(|copy| {
            std::fs::copy(&on_disk, &copy)?;
            Ok(copy)
        });
        match copy {
            Err(err) => Err(Error::Unreadable {
                path: display,
                reason: format!("cannot copy the saved plan: {}", input::os_reason(&err)),
            }),
            Ok(copy) => Ok(PlanFile {
                arg: copy.into_os_string(),
                display,
                _temp: Some(dir),
            }),
        }
    }

    /// Runs `terraform plan` with the user's arguments, adding `-out=<temporary file>` unless they gave
    /// `-out`. `-detailed-exitcode`'s 2 ("there are changes") counts as success.
    fn make_plan(&self, args: &[OsString]) -> Result<Planned> {
        let scanned = scan(args);
        let mut full: Vec<OsString> = vec!["plan".into()];
        full.extend(args.iter().cloned());
        let plan = match scanned.flag_value("out") {
            Some(out) => PlanFile {
                arg: out.clone(),
                display: PathBuf::from(out),
                _temp: None,
            },
            None => {
                let dir = temp_dir()?;
                let path =
                    std::path::absolute(dir.path().join("plan.tfplan")).map_err(|e| Error::Unwritable {
                        path: dir.path().to_path_buf(),
                        reason: input::os_reason(&e),
                    })?;
                let mut out = OsString::from("-out=");
                out.push(&path);
                full.push(out);
                PlanFile {
                    arg: path.into_os_string(),
                    display: PathBuf::from(TEMP_PLAN_NAME),
                    _temp: Some(dir),
                }
            }
        };
        let status = self.terraform.run(&full)?;
        if interrupt::happened() {
            eprintln!("trustgate: interrupted; stopping after terraform plan");
            return Ok(Planned::Failed(interrupted_code(status)));
        }
        let changes = status.code() == Some(2) && scanned.bool_flag("detailed-exitcode") == Some(true);
        if status.success() || changes {
            Ok(Planned::File(plan))
        } else {
            Ok(Planned::Failed(exit_code(status)))
        }
    }
}

/// Terraform's own code when it stopped with an error after Ctrl-C, else 130 (the shell's code for SIGINT).
fn interrupted_code(status: ExitStatus) -> i32 {
    match exit_code(status) {
        0 => interrupt::EXIT_CODE,
        code => code,
    }
}

/// Asks for confirmation like terraform does before an apply: `Some(true)` only for "yes", `None` when
/// interrupted (Ctrl-C) while waiting for the answer.
fn confirm() -> Result<Option<bool>> {
    let mut stderr = std::io::stderr();
    let _ = write!(
        stderr,
        "\ntrustgate: no violations. Do you want to apply this plan?\n  Terraform will apply exactly the \
         plan shown above. Only 'yes' will be accepted to approve.\n\n  Enter a value: "
    );
    let _ = stderr.flush();
    // The answer is read on its own thread so that Ctrl-C (which no longer ends trustgate at once) still
    // stops the wait; the thread is left blocked on standard input when that happens.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut answer = String::new();
        let read = std::io::stdin().lock().read_line(&mut answer).map(|_| answer);
        let _ = sender.send(read);
    });
    let answer = loop {
        match receiver.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(read) => break read,
            Err(_) if interrupt::happened() => return Ok(None),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                break Err(std::io::Error::other("the reader stopped"));
            }
        }
    };
    let answer =
        answer.map_err(|e| Error::Usage(format!("cannot read the answer: {}", input::os_reason(&e))))?;
    let _ = writeln!(stderr);
    Ok(Some(answer.trim() == "yes"))
}

/// Ctrl-C while terraform runs: the terminal sends SIGINT to terraform too, which stops gracefully (it may
/// hold the state lock). trustgate must not die first, leaving terraform orphaned and a temporary plan
/// behind, so it only notes the interrupt, waits, and then stops without taking the next step.
#[cfg(unix)]
mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    /// The shell's exit code for a process ended by SIGINT.
    pub const EXIT_CODE: i32 = 130;

    static INTERRUPTED: AtomicBool = AtomicBool::new(false);

    extern "C" fn note(_signal: libc::c_int) {
        INTERRUPTED.store(true, Ordering::SeqCst);
    }

    /// From now on SIGINT is noted instead of ending the process. A handler (unlike SIG_IGN) is reset to
    /// the default in child processes, so terraform still receives and handles its own SIGINT.
    pub fn defer() {
        let handler: extern "C" fn(libc::c_int) = note;
        // SAFETY: `note` only stores to an atomic, which is async-signal-safe; `signal` has no other
        // preconditions.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }

    pub fn happened() -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}

#[cfg(not(unix))]
mod interrupt {
    pub const EXIT_CODE: i32 = 130;

    pub fn defer() {}

    pub fn happened() -> bool {
        false
    }
}

/// Options of `terraform apply` that `terraform plan` does not take.
const APPLY_ONLY: &[&str] = &["auto-approve", "backup", "state-out"];

/// Options of `terraform plan` (planning options) that are not allowed when applying a saved plan.
const PLAN_ONLY: &[&str] = &[
    "var",
    "var-file",
    "target",
    "replace",
    "exclude",
    "refresh",
    "refresh-only",
    "destroy",
    "detailed-exitcode",
    "generate-config-out",
    "out",
];

/// Options of `terraform plan`/`apply` that take a value; written `-name=value` or `-name value`.
const TAKES_VALUE: &[&str] = &[
    "var",
    "var-file",
    "target",
    "replace",
    "exclude",
    "out",
    "state",
    "state-out",
    "backup",
    "lock-timeout",
    "parallelism",
    "generate-config-out",
];

/// One option as terraform (Go's `flag` package) reads it.
#[derive(Debug)]
struct Flag {
    name: String,
    value: Option<OsString>,
    /// Where it starts and how many arguments it spans (2 for `-name value`).
    index: usize,
    len: usize,
}

#[derive(Debug, Default)]
struct Scanned {
    flags: Vec<Flag>,
    positionals: Vec<OsString>,
}

impl Scanned {
    /// A boolean option as Go's `flag` reads it: `-name` is true, `-name=false` (or 0, f, F, FALSE, False)
    /// is false; `None` when absent.
    fn bool_flag(&self, name: &str) -> Option<bool> {
        let flag = self.flags.iter().rev().find(|f| f.name == name)?;
        Some(match flag.value.as_ref().and_then(|v| v.to_str()) {
            None => flag.value.is_none(),
            Some(value) => !matches!(value, "0" | "f" | "F" | "false" | "FALSE" | "False"),
        })
    }

    /// The last value given for an option (as Go's `flag` keeps the last).
    fn flag_value(&self, name: &str) -> Option<&OsString> {
        self.flags.iter().rev().find(|f| f.name == name)?.value.as_ref()
    }

    /// The arguments of the options `keep` accepts, in their original order and spelling.
    fn select(&self, args: &[OsString], keep: impl Fn(&str) -> bool) -> Vec<OsString> {
        let mut out = Vec::new();
        for flag in self.flags.iter().filter(|f| keep(&f.name)) {
            out.extend(args[flag.index..flag.index + flag.len].iter().cloned());
        }
        out
    }
}

/// Splits subcommand arguments into options and positional arguments the way Go's `flag` package does:
/// `-name`, `--name`, `-name=value`, `-name value` for options that take one; parsing stops at the first
/// positional argument or at `--`.
fn scan(args: &[OsString]) -> Scanned {
    let mut scanned = Scanned::default();
    let mut index = 0;
    while index < args.len() {
        let text = args[index].to_string_lossy();
        if text == "--" {
            scanned.positionals.extend(args[index + 1..].iter().cloned());
            break;
        }
        let Some(body) = text
            .strip_prefix("--")
            .or_else(|| text.strip_prefix('-'))
            .filter(|b| !b.is_empty())
        else {
            scanned.positionals.extend(args[index..].iter().cloned());
            break;
        };
        let (name, value, len) = match body.split_once('=') {
            Some((name, value)) => (name.to_string(), Some(OsString::from(value)), 1),
            None if TAKES_VALUE.contains(&body) && index + 1 < args.len() => {
                (body.to_string(), Some(args[index + 1].clone()), 2)
            }
            None => (body.to_string(), None, 1),
        };
        scanned.flags.push(Flag {
            name,
            value,
            index,
            len,
        });
        index += len;
    }
    scanned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn zip_magic_marks_a_binary_plan() {
        assert!(is_binary_plan(b"PK\x03\x04rest"));
        assert!(!is_binary_plan(b"{\"format_version\":\"1.2\"}"));
        assert!(!is_binary_plan(b"PK"));
    }

    #[test]
    fn invocation_splits_globals_subcommand_and_rest() {
        let inv = Invocation::parse(os(&["-chdir=infra", "plan", "-var", "x=1", "-out", "p"]));
        assert_eq!(inv.globals, os(&["-chdir=infra"]));
        assert_eq!(inv.subcommand, Some(OsString::from("plan")));
        assert_eq!(inv.rest, os(&["-var", "x=1", "-out", "p"]));
        assert_eq!(inv.chdir(), Some(PathBuf::from("infra")));
        let inv = Invocation::parse(os(&["-version"]));
        assert_eq!(inv.subcommand, None);
        assert_eq!(inv.chdir(), None);
    }

    #[test]
    fn out_is_found_in_both_spellings() {
        assert_eq!(
            scan(&os(&["-out=a.bin"])).flag_value("out"),
            Some(&OsString::from("a.bin"))
        );
        assert_eq!(
            scan(&os(&["-var", "x=1", "-out", "b.bin"])).flag_value("out"),
            Some(&OsString::from("b.bin"))
        );
        assert_eq!(
            scan(&os(&["--out=c"])).flag_value("out"),
            Some(&OsString::from("c"))
        );
        // `-var`'s value is not an option, even when it looks like one.
        assert_eq!(
            scan(&os(&["-var", "-out=x", "-input=false"])).flag_value("out"),
            None
        );
        assert_eq!(scan(&os(&["-refresh=false"])).flag_value("out"), None);
    }

    #[test]
    fn positionals_start_after_the_options() {
        let scanned = scan(&os(&["-auto-approve", "-lock-timeout", "5s", "saved.tfplan"]));
        assert_eq!(scanned.positionals, os(&["saved.tfplan"]));
        assert_eq!(scanned.bool_flag("auto-approve"), Some(true));
        assert_eq!(scanned.bool_flag("input"), None);
        let scanned = scan(&os(&["-input=false", "--", "-odd-name"]));
        assert_eq!(scanned.positionals, os(&["-odd-name"]));
    }

    #[test]
    fn boolean_options_read_like_go_flags() {
        let scanned = scan(&os(&[
            "-auto-approve=false",
            "-input=0",
            "-detailed-exitcode=true",
            "-lock",
        ]));
        assert_eq!(scanned.bool_flag("auto-approve"), Some(false));
        assert_eq!(scanned.bool_flag("input"), Some(false));
        assert_eq!(scanned.bool_flag("detailed-exitcode"), Some(true));
        assert_eq!(scanned.bool_flag("lock"), Some(true));
        assert_eq!(
            scan(&os(&["-input=false", "-input"])).bool_flag("input"),
            Some(true)
        );
    }

    #[test]
    fn plan_and_apply_options_are_separated() {
        let args = os(&[
            "-var",
            "x=1",
            "-auto-approve",
            "-var-file=a.tfvars",
            "-lock=false",
            "-target",
            "aws_iam_role.r",
            "-parallelism=3",
            "-backup=b",
            "-refresh=false",
        ]);
        let scanned = scan(&args);
        assert_eq!(
            scanned.select(&args, |n| !APPLY_ONLY.contains(&n)),
            os(&[
                "-var",
                "x=1",
                "-var-file=a.tfvars",
                "-lock=false",
                "-target",
                "aws_iam_role.r",
                "-parallelism=3",
                "-refresh=false"
            ])
        );
        assert_eq!(
            scanned.select(&args, |n| !PLAN_ONLY.contains(&n)),
            os(&["-auto-approve", "-lock=false", "-parallelism=3", "-backup=b"])
        );
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("plan.bin"), "plan.bin");
        assert_eq!(shell_word("my plan's.bin"), r"'my plan'\''s.bin'");
    }
}
