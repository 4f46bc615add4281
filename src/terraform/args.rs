//! Terraform's command line as terraform reads it: the global options, the subcommand and its options
//! (Go's `flag` package rules), so that the wrapper can plan, check and apply exactly what was asked.

use std::ffi::OsString;
use std::path::PathBuf;

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
    /// Why trustgate will not run this command at all: `terraform test` (unless it only asks for help),
    /// whose `run` blocks with `command = apply` create and destroy real infrastructure from plans
    /// trustgate never sees.
    pub fn refusal(&self) -> Option<String> {
        let test = self.subcommand.as_ref().and_then(|s| s.to_str()) == Some("test");
        let help = scan(&self.rest)
            .flags
            .iter()
            .any(|f| matches!(f.name.as_str(), "help" | "h"));
        (test && !help).then(|| {
            "refusing `terraform test`: its run blocks can apply real changes from plans trustgate does not \
             see, so it cannot be checked; run `terraform test` without trustgate where that is intended (against \
             a sandbox account), or `trustgate terraform plan` to check a change"
                .to_string()
        })
    }

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

/// Options of `terraform apply` that `terraform plan` does not take.
pub(super) const APPLY_ONLY: &[&str] = &["auto-approve", "backup", "state-out"];

/// Options of `terraform plan` (planning options) that are not allowed when applying a saved plan.
pub(super) const PLAN_ONLY: &[&str] = &[
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
pub(super) struct Flag {
    pub(super) name: String,
    value: Option<OsString>,
    /// Where it starts and how many arguments it spans (2 for `-name value`).
    index: usize,
    len: usize,
}

#[derive(Debug, Default)]
pub(super) struct Scanned {
    pub(super) flags: Vec<Flag>,
    pub(super) positionals: Vec<OsString>,
}

impl Scanned {
    /// A boolean option as Go's `flag` reads it: `-name` is true, `-name=false` (or 0, f, F, FALSE, False)
    /// is false; `None` when absent.
    pub(super) fn bool_flag(&self, name: &str) -> Option<bool> {
        let flag = self.flags.iter().rev().find(|f| f.name == name)?;
        Some(match flag.value.as_ref().and_then(|v| v.to_str()) {
            None => flag.value.is_none(),
            Some(value) => !matches!(value, "0" | "f" | "F" | "false" | "FALSE" | "False"),
        })
    }

    /// The last value given for an option (as Go's `flag` keeps the last).
    pub(super) fn flag_value(&self, name: &str) -> Option<&OsString> {
        self.flags.iter().rev().find(|f| f.name == name)?.value.as_ref()
    }

    /// The arguments of the options `keep` accepts, in their original order and spelling.
    pub(super) fn select(&self, args: &[OsString], keep: impl Fn(&str) -> bool) -> Vec<OsString> {
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
pub(super) fn scan(args: &[OsString]) -> Scanned {
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
}
