//! The terraform wrapper (`trustgate terraform …`): `plan` and `apply` run terraform, convert the plan with
//! `terraform show -json` and judge it through the pipeline, exactly as `trustgate check` does; every other
//! subcommand passes straight through. Ctrl-C is left to terraform, and `apply` asks before applying.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use super::args::{APPLY_ONLY, Invocation, PLAN_ONLY, scan};
use super::{Terraform, exit_code, temp_dir};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::input;
use crate::pipeline::{self, Inputs, PlanInput, Settings};
use crate::report::Format;
use crate::report::output::Destinations;

/// Name of the plan in reports when it lives in a temporary file.
const TEMP_PLAN_NAME: &str = "<terraform plan>";

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
    /// `--base REV`: the revision approvals are compared with (as `check --base`).
    pub base: Option<&'a str>,
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
        let settings = Settings {
            flag_accounts: self.flag_accounts,
            flag_orgs: self.flag_orgs,
            config: self.config,
            catalog: self.catalog,
            today: self.today,
        };
        let input = PlanInput {
            text,
            display_path: display.to_path_buf(),
            source_dir: self.source_dir.clone(),
            base: self.base,
        };
        let report = pipeline::run(
            Inputs::Plan(input),
            &settings,
            &Destinations::stdout(self.format),
            self.color,
        )?;
        Ok(Verdict {
            exit_code: report.exit_code(),
            violations: report.summary.violations,
        })
    }
}

/// Runs terraform's command line unchanged; returns terraform's exit code.
pub fn pass_through(terraform: &Terraform, invocation: &Invocation) -> Result<i32> {
    if let Some(refusal) = invocation.refusal() {
        return Err(Error::Usage(refusal));
    }
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
