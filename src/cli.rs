//! Command-line interface: argument definitions and the flow of each command. `main` only calls `run`.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::services::{self, ServiceKnowledge};
use crate::analysis::{self, Context, PolicyRole, Verdict};
use crate::catalog::Catalog;
use crate::config::{self, Config};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{self, Source};
use crate::inventory::report::InventoryFormat;
use crate::inventory::{self as inv, Inventory, InventoryOptions, PathStatus};
use crate::judge::BoundaryInfo;
use crate::pipeline::{self, DiffInput, Inputs, PlanInput, Settings};
use crate::policy;
use crate::report::output::{Destinations, write_stdout};
use crate::report::{self, Format};
use crate::terraform::{self, Terraform};

/// Exit code: nothing to block.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one violation (check) or a widening (compare).
pub const EXIT_VIOLATION: i32 = 1;
/// Exit code: usage or input error.
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "trustgate",
    version,
    about = "Stops a Terraform change from quietly widening who can reach an AWS account",
    long_about = "Stops a Terraform change from quietly widening who can reach an AWS account.\n\n\
                  Exit codes: 0 nothing to block, 1 at least one violation, 2 usage or input error."
)]
pub struct Cli {
    /// When to colour output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a Terraform plan (JSON from `terraform show -json`) for trust widenings.
    Check(CheckArgs),
    /// Compare two IAM policy documents: widening, no-widening or narrowing.
    Compare(CompareArgs),
    /// Run terraform; check every plan before it is shown or applied (`terraform plan`, `terraform apply`).
    #[command(long_about = TERRAFORM_ABOUT)]
    Terraform(TerraformArgs),
    /// Compare the policies in the HCL of DIR at a git revision with the working tree (no plan, no
    /// credentials): report widenings exactly as `check` does.
    Diff(DiffArgs),
    /// List every trust path that crosses the boundary today (states) or after apply (plans), with owner,
    /// expiry, session length, blast radius and a review status.
    Inventory(InventoryArgs),
}

#[derive(Args, Debug)]
struct InventoryArgs {
    /// State JSON (`terraform show -json`), plan JSON, a binary plan, a raw terraform.tfstate, or - for
    /// standard input; several files (one per workspace) are read in parallel.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    boundary: BoundaryArgs,
    /// Output format for standard output.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Human)]
    format: InventoryFormat,
    /// Also write FORMAT (human, json, markdown, csv, mermaid, dot) to PATH; repeatable. Files are written
    /// whole or not at all.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_inventory_output)]
    output: Vec<(InventoryFormat, PathBuf)>,
    /// The date expiries are judged against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
    /// An approval expiring within this many days is `expiring` (default: the config's review.warn_days, 30).
    #[arg(long, value_name = "DAYS")]
    warn_days: Option<u32>,
    /// Extra catalog entries (format of policies/catalog.hcl); each replaces the built-in entry for its type.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Directory of the root module's .tf files, read for locations and comment annotations (default: the
    /// current directory when it holds .tf files).
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,
    /// The terraform binary that converts binary plans and raw state files.
    #[arg(long, value_name = "PATH")]
    terraform_bin: Option<PathBuf>,
}

fn parse_inventory_output(value: &str) -> std::result::Result<(InventoryFormat, PathBuf), String> {
    let (format, path) = value
        .split_once('=')
        .ok_or_else(|| "expected FORMAT=PATH, e.g. csv=inventory.csv".to_string())?;
    let format = InventoryFormat::parse(format).ok_or_else(|| {
        format!("unknown format {format:?}; use human, json, markdown, csv, mermaid or dot")
    })?;
    if path.is_empty() {
        return Err("the path after FORMAT= is empty".to_string());
    }
    Ok((format, PathBuf::from(path)))
}

#[derive(Args, Debug)]
struct DiffArgs {
    /// The git revision to compare against (e.g. main, HEAD~1, a commit id).
    #[arg(long, value_name = "REV")]
    base: String,
    /// The root module directory (default: the current directory).
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Sets a root module variable, as `terraform plan -var`; repeatable, applied with --var-file in the
    /// order given, after TF_VAR_* and the variable definitions files.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Reads root module variables from FILE, as `terraform plan -var-file`; repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<PathBuf>,
    /// The command-line order of --var and --var-file (filled in after parsing).
    #[arg(skip)]
    assignments: Vec<crate::source::variables::Assignment>,
    #[command(flatten)]
    boundary: BoundaryArgs,
    #[command(flatten)]
    report: ReportArgs,
}

/// How a check's report is judged and written; shared by `check` and `diff`.
#[derive(Args, Debug)]
struct ReportArgs {
    /// Output format for standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also write FORMAT (human, json, sarif, github, markdown) to PATH; repeatable. A bare PATH writes the
    /// --format report there instead of standard output. Files are written whole or not at all.
    #[arg(long, value_name = "[FORMAT=]PATH", value_parser = report::output::parse_spec)]
    output: Vec<report::output::OutputSpec>,
    /// The date expiries are judged against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
    /// Extra catalog entries (format of policies/catalog.hcl); each replaces the built-in entry for its type.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Extra service knowledge (format of policies/services.hcl); each entry replaces the built-in one of the
    /// same name.
    #[arg(long, value_name = "FILE")]
    services: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
struct BoundaryArgs {
    /// An account inside the trust boundary (12 digits); repeatable. Overrides the config and detection.
    #[arg(long = "account", value_name = "ID", value_parser = parse_account)]
    accounts: Vec<String>,
    /// An organization inside the trust boundary (o-…); repeatable.
    #[arg(long = "org", value_name = "ID", value_parser = parse_org)]
    orgs: Vec<String>,
    /// Config file (default: .trustgate.hcl in the working directory, if present).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Read the config file as it is at this git revision (e.g. the pull request's base) instead of the
    /// working tree, so the change under review cannot edit its own boundary, settings or exceptions.
    #[arg(long, value_name = "REV")]
    config_ref: Option<String>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Plan JSON (`terraform show -json plan.bin > plan.json`), a binary plan file, or - for standard input.
    #[arg(value_name = "PLAN")]
    plan: Option<PathBuf>,
    #[command(flatten)]
    boundary: BoundaryArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// The terraform binary that converts a binary plan file (default: $TRUSTGATE_TERRAFORM, else terraform).
    #[arg(long, value_name = "PATH")]
    terraform_bin: Option<PathBuf>,
    /// Directory of the root module's .tf files, read for file/line locations and comment annotations
    /// (default: the current directory when it holds .tf files).
    #[arg(long, value_name = "DIR")]
    source: Option<PathBuf>,
    /// The git revision the change starts from (e.g. the pull request's base): comment annotations and
    /// exceptions are compared with it, so reports say which approvals this change wrote, and violations
    /// name the base's CODEOWNERS. When the base's config says `annotations { from = "base" }`, the whole
    /// config is read from the base (as with --config-ref).
    #[arg(long, value_name = "REV")]
    base: Option<String>,
}

const TERRAFORM_ABOUT: &str = "Run terraform; check every plan before it is shown or applied.\n\n\
    trustgate's options come first, then terraform's command line, untouched:\n  \
    trustgate terraform [OPTIONS] [-chdir=DIR] plan|apply|SUBCOMMAND [TERRAFORM ARGS]...\n\n\
    `plan` plans to a temporary file (unless -out is given), checks it and exits with the check's code \
    (terraform's own code when terraform fails). `apply` checks a saved plan, or plans to a temporary file \
    and applies exactly the checked file, and refuses to apply when there are violations. `test` is refused \
    (exit 2): its run blocks can apply real changes that trustgate cannot check. Every other subcommand \
    passes straight through. Put `--` before terraform's command line when it starts with an \
    option trustgate also has.";

#[derive(Args, Debug)]
struct TerraformArgs {
    #[command(flatten)]
    boundary: BoundaryArgs,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The date expiries are judged against (default: today, UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
    /// Extra catalog entries (format of policies/catalog.hcl); each replaces the built-in entry for its type.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Extra service knowledge (format of policies/services.hcl); each entry replaces the built-in one of the
    /// same name.
    #[arg(long, value_name = "FILE")]
    services: Option<PathBuf>,
    /// The terraform binary, e.g. tofu (default: $TRUSTGATE_TERRAFORM, else terraform on PATH).
    #[arg(long, value_name = "PATH")]
    terraform_bin: Option<PathBuf>,
    /// The git revision the change starts from (e.g. origin/main), as for `check --base`: comment annotations
    /// and exceptions are compared with it, so reports say which approvals this change wrote, and a base
    /// config saying `annotations { from = "base" }` is read whole from the base.
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// terraform's command line: global options (-chdir=DIR), the subcommand and its arguments.
    #[arg(
        value_name = "TERRAFORM ARGS",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    args: Vec<OsString>,
}

#[derive(Args, Debug)]
struct CompareArgs {
    /// The current policy document (JSON).
    old: PathBuf,
    /// The proposed policy document (JSON).
    new: PathBuf,
    #[command(flatten)]
    boundary: BoundaryArgs,
    /// What the documents are: a role trust policy or a resource policy.
    #[arg(long, value_enum, default_value_t = RoleArg::Resource)]
    role: RoleArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Human)]
    format: CompareFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RoleArg {
    Trust,
    Resource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CompareFormat {
    Human,
    Json,
}

fn parse_account(value: &str) -> std::result::Result<String, String> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(value.to_string())
    } else {
        Err("an account id is exactly 12 digits".to_string())
    }
}

fn parse_org(value: &str) -> std::result::Result<String, String> {
    let rest = value.strip_prefix("o-").unwrap_or_default();
    if (10..=32).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        Ok(value.to_string())
    } else {
        Err(
            "an organization id looks like o-a1b2c3d4e5 (o- and 10 to 32 lower-case letters or digits)"
                .to_string(),
        )
    }
}

fn parse_var(value: &str) -> std::result::Result<(String, String), String> {
    match value.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.to_string())),
        _ => Err("expected NAME=VALUE".to_string()),
    }
}

/// `--var` and `--var-file` of `diff` in the order they were given (Terraform applies them so).
fn assignments(matches: &clap::ArgMatches, args: &DiffArgs) -> Vec<crate::source::variables::Assignment> {
    use crate::source::variables::Assignment;
    let Some(("diff", sub)) = matches.subcommand() else {
        return Vec::new();
    };
    let mut ordered: Vec<(usize, Assignment)> = Vec::new();
    let indices = |id: &str| -> Vec<usize> { sub.indices_of(id).map(Iterator::collect).unwrap_or_default() };
    for (at, (name, value)) in indices("vars").into_iter().zip(&args.vars) {
        ordered.push((
            at,
            Assignment::Value {
                name: name.clone(),
                value: value.clone(),
            },
        ));
    }
    for (at, file) in indices("var_files").into_iter().zip(&args.var_files) {
        ordered.push((at, Assignment::File(file.clone())));
    }
    ordered.sort_by_key(|(at, _)| *at);
    ordered.into_iter().map(|(_, a)| a).collect()
}

fn parse_date(value: &str) -> std::result::Result<Date, String> {
    Date::parse_iso(value).ok_or_else(|| "expected a date in YYYY-MM-DD form".to_string())
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            if let Command::Diff(args) = &mut cli.command {
                args.assignments = assignments(&matches, args);
            }
            cli
        }
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    let color = use_color(cli.color);
    let outcome = match cli.command {
        Command::Check(args) => check(args, color),
        Command::Compare(args) => compare(args, color),
        Command::Diff(args) => diff(args, color),
        Command::Terraform(args) => run_terraform(args, color),
        Command::Inventory(args) => inventory(args, color),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            let message = report::escape::terminal(&error.to_string());
            let _ = writeln!(std::io::stderr(), "trustgate: error: {message}");
            EXIT_ERROR
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    }
}

fn load_config(args: &BoundaryArgs) -> Result<Config> {
    load_config_in(args, &working_directory()?)
}

fn working_directory() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::Usage(format!("cannot read the working directory: {e}")))
}

/// The config (`--config`, else `.trustgate.hcl` in `dir`), from the working tree or from `--config-ref`.
fn load_config_in(args: &BoundaryArgs, dir: &Path) -> Result<Config> {
    match &args.config_ref {
        Some(rev) => config::load_at_revision(args.config.as_deref(), dir, rev, "--config-ref"),
        None => config::load(args.config.as_deref(), dir),
    }
}

/// With `--base REV` (and no `--config-ref`): the base's config when it says `annotations { from = "base" }`
/// (the change under review cannot edit it), else `config` told which of its exceptions the base has.
fn with_base(mut config: Config, args: &BoundaryArgs, dir: &Path, base: Option<&str>) -> Result<Config> {
    if let Some(base) = base
        && args.config_ref.is_none()
    {
        let at_base = config::load_at_revision(args.config.as_deref(), dir, base, "--base")?;
        if at_base.annotations.from_base {
            // The base's config takes approvals only from the base: it is the config, whatever the change
            // under review writes into its own (as with --config-ref).
            config = at_base;
        } else {
            config.compare_with_base(&at_base);
        }
    }
    Ok(config)
}

/// Uses the built-in service knowledge with the entries of `--services FILE` added or replacing built-in ones.
fn install_services(path: Option<&Path>) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    let text = std::fs::read_to_string(path).map_err(|err| Error::Unreadable {
        path: path.to_path_buf(),
        reason: crate::input::os_reason(&err),
    })?;
    let overrides =
        ServiceKnowledge::parse(&text).map_err(|message| Error::invalid(path, "services file", message))?;
    services::install(services::builtin().with_overrides(&overrides));
    Ok(())
}

/// The built-in catalog, with the entries of `--catalog FILE` added or replacing built-in ones.
fn load_catalog(path: Option<&Path>) -> Result<Catalog> {
    match path {
        Some(path) => Ok(Catalog::builtin().with_overrides(&Catalog::from_file(path)?)),
        None => Ok(Catalog::builtin()),
    }
}

fn check(args: CheckArgs, color: bool) -> Result<i32> {
    let today = args.report.today.unwrap_or_else(Date::today_utc);
    let cwd = working_directory()?;
    let config = with_base(
        load_config_in(&args.boundary, &cwd)?,
        &args.boundary,
        &cwd,
        args.base.as_deref(),
    )?;
    let source = match &args.plan {
        Some(path) => Source::from_arg(path),
        None if std::io::stdin().is_terminal() => {
            return Err(Error::Usage(
                "no plan given: run `trustgate check PLAN` with the JSON of `terraform show -json`, or - to read \
                 standard input"
                    .to_string(),
            ));
        }
        None => Source::Stdin,
    };
    let catalog = load_catalog(args.report.catalog.as_deref())?;
    install_services(args.report.services.as_deref())?;
    let display_path = source.display_path();
    let text = terraform::read_plan(&source, &Terraform::choose(args.terraform_bin.as_deref()))?;
    let input = PlanInput {
        text: &text,
        display_path,
        source_dir: source_dir(args.source.as_deref())?,
        base: args.base.as_deref(),
    };
    let settings = Settings {
        flag_accounts: &args.boundary.accounts,
        flag_orgs: &args.boundary.orgs,
        config: &config,
        catalog: &catalog,
        today,
    };
    let destinations = Destinations::new(args.report.format, &args.report.output)?;
    let report = pipeline::run(Inputs::Plan(input), &settings, &destinations, color)?;
    Ok(report.exit_code())
}

fn inventory(args: InventoryArgs, color: bool) -> Result<i32> {
    use rayon::prelude::*;
    let today = args.today.unwrap_or_else(Date::today_utc);
    let config = load_config(&args.boundary)?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    let sources: Vec<Source> = if args.files.is_empty() {
        if std::io::stdin().is_terminal() {
            return Err(Error::Usage(
                "no file given: run `trustgate inventory FILE...` with the JSON of `terraform show -json` (a state \
                 or a plan), or - to read standard input"
                    .to_string(),
            ));
        }
        vec![Source::Stdin]
    } else {
        args.files.iter().map(|f| Source::from_arg(f)).collect()
    };
    if sources.iter().filter(|s| **s == Source::Stdin).count() > 1 {
        return Err(Error::Usage(
            "- (standard input) can be given only once".to_string(),
        ));
    }
    let source_dir = source_dir(args.source.as_deref())?;
    let warn_days = args.warn_days.unwrap_or(config.review.warn_days);
    let options = InventoryOptions {
        flag_accounts: &args.boundary.accounts,
        flag_orgs: &args.boundary.orgs,
        config: &config,
        catalog: &catalog,
        today,
        warn_days,
        source_dir: source_dir.as_deref(),
    };
    let binary = Terraform::choose(args.terraform_bin.as_deref());
    let files = sources
        .par_iter()
        .map(|source| {
            let display = source.display_path();
            let text = terraform::read_state_or_plan(source, &binary)?;
            inv::inventory_text(&text, &display, &options)
        })
        .collect::<Result<Vec<_>>>()?;
    let fail_on = config
        .review
        .fail_on
        .iter()
        .filter_map(|s| PathStatus::parse(s))
        .collect();
    let inventory = Inventory {
        today,
        warn_days,
        fail_on,
        files,
    };
    let outputs: Vec<(PathBuf, String)> = args
        .output
        .iter()
        .map(|(format, path)| (path.clone(), inv::report::render(&inventory, *format, false)))
        .collect();
    report::output::write_all(&outputs)?;
    write_stdout(&inv::report::render(&inventory, args.format, color));
    Ok(inventory.exit_code())
}

fn run_terraform(args: TerraformArgs, color: bool) -> Result<i32> {
    let invocation = terraform::Invocation::parse(args.args);
    let binary = Terraform::choose(args.terraform_bin.as_deref());
    if !invocation.checks_plans() {
        return terraform::pass_through(&binary, &invocation);
    }
    // The default config file is looked for where terraform works (-chdir=DIR); --config is relative to
    // trustgate's own working directory.
    // (with --config-ref or --base, the file at that revision, looked for in the same place).
    let cwd = working_directory()?;
    let config_dir = match (&args.boundary.config, invocation.chdir()) {
        (None, Some(dir)) => cwd.join(dir),
        _ => cwd,
    };
    let config = with_base(
        load_config_in(&args.boundary, &config_dir)?,
        &args.boundary,
        &config_dir,
        args.base.as_deref(),
    )?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    install_services(args.services.as_deref())?;
    let judge = terraform::Judge {
        flag_accounts: &args.boundary.accounts,
        flag_orgs: &args.boundary.orgs,
        config: &config,
        catalog: &catalog,
        today: args.today.unwrap_or_else(Date::today_utc),
        format: args.format,
        color,
        source_dir: {
            let dir = invocation.chdir().unwrap_or_else(|| PathBuf::from("."));
            crate::source::has_tf_files(&dir).then_some(dir)
        },
        base: args.base.as_deref(),
    };
    terraform::run(&binary, &invocation, &judge)
}

fn diff(args: DiffArgs, color: bool) -> Result<i32> {
    let today = args.report.today.unwrap_or_else(Date::today_utc);
    let config = load_config(&args.boundary)?;
    let catalog = load_catalog(args.report.catalog.as_deref())?;
    install_services(args.report.services.as_deref())?;
    let destinations = Destinations::new(args.report.format, &args.report.output)?;
    let variables = crate::source::variables::InputVariables::from_environment(args.assignments.clone());
    let input = DiffInput {
        base: &args.base,
        dir: &args.dir,
        variables: &variables,
    };
    let settings = Settings {
        flag_accounts: &args.boundary.accounts,
        flag_orgs: &args.boundary.orgs,
        config: &config,
        catalog: &catalog,
        today,
    };
    let report = pipeline::run(Inputs::Diff(input), &settings, &destinations, color)?;
    Ok(report.exit_code())
}

/// The `--source` directory, or the current directory when it holds `.tf` files.
fn source_dir(given: Option<&Path>) -> Result<Option<PathBuf>> {
    match given {
        Some(dir) if dir.is_dir() => Ok(Some(dir.to_path_buf())),
        Some(dir) => Err(Error::Usage(format!(
            "--source {}: not a directory",
            dir.display()
        ))),
        None => Ok(crate::source::has_tf_files(Path::new(".")).then(|| PathBuf::from("."))),
    }
}

fn compare(args: CompareArgs, color: bool) -> Result<i32> {
    let config = load_config(&args.boundary)?;
    let boundary = BoundaryInfo::choose(&args.boundary.accounts, &args.boundary.orgs, &config, None);
    let old = read_policy(&args.old)?;
    let new = read_policy(&args.new)?;
    let role = match args.role {
        RoleArg::Trust => PolicyRole::Trust,
        RoleArg::Resource => PolicyRole::Resource,
    };
    let ctx = Context {
        boundary: &boundary.boundary,
        role,
        partition: "aws",
    };
    let comparison = analysis::compare(Some(&old), &new, &ctx);
    let text = match args.format {
        CompareFormat::Human => report::compare::render_human(&comparison, &boundary, color),
        CompareFormat::Json => report::compare::render_json(&comparison, &boundary),
    };
    write_stdout(&text);
    Ok(if comparison.verdict == Verdict::Widening {
        EXIT_VIOLATION
    } else {
        EXIT_OK
    })
}

fn read_policy(path: &Path) -> Result<policy::Policy> {
    let source = Source::from_arg(path);
    let text = input::read_text(&source)?;
    policy::parse_policy(&text).map_err(|e| Error::invalid(source.display_path(), e.place, e.message))
}
