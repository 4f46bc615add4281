//! The one path every judging command takes: load → extract → resolve from sources → judge → report.
//!
//! Each command feeds its own inputs (`Inputs`): `check` and the terraform wrapper the JSON text of a plan
//! and, when there are any, the `.tf` sources behind it; `diff --base` two trees of `.tf` sources. Only the
//! load and extract stages depend on the inputs; what follows (the table of what the sources say, judging,
//! writing the report) is one sequence for every command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::analysis::Boundary;
use crate::blast::{self, RolePermissions};
use crate::catalog::Catalog;
use crate::codeowners;
use crate::config::Config;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::extract::{self, PolicySite};
use crate::judge::{
    self, BoundaryInfo, JudgeInput, Report, SiteSource, SourceBlock, SourceCall, SourceFacts,
    SourceResolution, SourceStatement,
};
use crate::plan::{self, standing, standing::DocumentKind};
use crate::report::output::{self, Destinations};
use crate::review;
use crate::source::diff::{self, DiffSites};
use crate::source::provenance;
use crate::source::{PreparedIndex, SourceIndex, Sources};

/// How every command judges: the boundary given on the command line, the config, the catalog, the date.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    /// Boundary accounts and organizations from the command line (they win over config and detection).
    pub flag_accounts: &'a [String],
    pub flag_orgs: &'a [String],
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    /// The date expiries are judged against.
    pub today: Date,
}

/// What one command feeds the pipeline.
pub enum Inputs<'a> {
    /// A plan (`check`, the terraform wrapper).
    Plan(PlanInput<'a>),
    /// The HCL of a directory at a git revision against the working tree (`diff --base`).
    Diff(DiffInput<'a>),
}

/// A plan's JSON text, and the directory of the `.tf` sources behind it.
pub struct PlanInput<'a> {
    pub text: &'a str,
    /// Name of the plan in messages and reports (a path, or `<stdin>`).
    pub display_path: PathBuf,
    /// Directory of the root module's `.tf` files; None: the plan alone.
    pub source_dir: Option<PathBuf>,
    /// The git revision the change under review starts from (`check --base REV`): the sources at that
    /// revision say which comment annotations this change wrote. Needs `source_dir`.
    pub base: Option<&'a str>,
}

/// `diff --base REV DIR`.
pub struct DiffInput<'a> {
    /// The git revision to compare against (`main`, `HEAD~1`, a commit id).
    pub base: &'a str,
    /// The root module directory (in a git work tree).
    pub dir: &'a Path,
    /// Root variable values from the environment and `--var`/`--var-file`.
    pub variables: &'a crate::source::variables::InputVariables,
}

/// Runs every stage, writes the report to `destinations` (files all or none, then standard output), and
/// returns it.
pub fn run(
    inputs: Inputs<'_>,
    settings: &Settings<'_>,
    destinations: &Destinations,
    color: bool,
) -> Result<Report> {
    let report = judge_inputs(inputs, settings)?;
    output::emit(&report, destinations, color)?;
    Ok(report)
}

/// Every stage but the last: the report, not written anywhere.
pub fn judge_inputs(inputs: Inputs<'_>, settings: &Settings<'_>) -> Result<Report> {
    judge_inputs_observed(inputs, settings, &|_| {})
}

/// The two loads of a plan's check, which run at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Load {
    /// Parsing the plan JSON (and finding its policy sites).
    Plan,
    /// Reading and indexing the `.tf` sources.
    Sources,
}

/// `judge_inputs`, calling `on_load` as each load starts, on the thread that runs it (a test hook: it
/// shows that the two loads of a plan run at the same time).
pub fn judge_inputs_observed(
    inputs: Inputs<'_>,
    settings: &Settings<'_>,
    on_load: &(dyn Fn(Load) + Sync),
) -> Result<Report> {
    let extracted = match inputs {
        Inputs::Plan(input) => from_plan(input, settings.catalog, on_load)?,
        Inputs::Diff(input) => from_diff(input, settings.catalog)?,
    };
    judge_extracted(extracted, settings)
}

/// What the load, extract and resolve stages leave for judging, whatever the inputs.
struct Extracted {
    /// What was checked, for reports.
    input: PathBuf,
    /// The command, for headings.
    command: &'static str,
    sites: Vec<PolicySite>,
    resources: usize,
    detected_boundary: Option<(Boundary, String)>,
    /// Why detection could not pick one boundary (several accounts disagree), if it could not.
    boundary_conflict: Option<String>,
    /// The HCL sources, when read.
    sources: Option<Sources>,
    /// The HCL sources at the base revision (`check --base`, `diff --base`), to tell which comment
    /// annotations this change wrote.
    base_index: Option<SourceIndex>,
    /// The git revision the change under review starts from, when given (`--base`).
    base_revision: Option<String>,
    /// Problems with the inputs that did not stop the check, and things not read.
    diagnostics: Vec<String>,
    notes: Vec<String>,
    /// What each role of the plan can do once assumed (empty for `diff`).
    permissions: BTreeMap<String, RolePermissions>,
    /// Sites that write the same real policy as a parent's own policy argument.
    shared: Vec<extract::SharedSite>,
}

/// A plan: parse it and read its sources (load), find its policy sites (extract), and evaluate from the
/// sources what the plan only knows after apply (resolve).
///
/// The `.tf` files do not need the plan to be read, parsed and indexed, so that runs on a thread of its
/// own while the plan is parsed and scanned; the two are tied afterwards (the module tree the plan's
/// `configuration` gives, then the unknown values).
fn from_plan(input: PlanInput<'_>, catalog: &Catalog, on_load: &(dyn Fn(Load) + Sync)) -> Result<Extracted> {
    let PlanInput {
        text,
        display_path,
        source_dir,
        base,
    } = input;
    // The base revision's sources, read before anything else: a revision that is not there is a usage error.
    let base_index = match (base, source_dir.as_deref()) {
        (Some(rev), Some(dir)) => Some(base_sources(dir, rev)?),
        _ => None,
    };
    std::thread::scope(|scope| {
        let mut reading = source_dir.as_deref().map(|dir| {
            scope.spawn(move || {
                on_load(Load::Sources);
                SourceIndex::prepare(dir)
            })
        });
        // For the benchmark of the concurrent load (bench/run.sh): the two loads one after the other.
        let sequential = std::env::var_os("TRUSTGATE_BENCH_SEQUENTIAL_LOAD")
            .is_some()
            .then(|| reading.take().map(|handle| handle.join()))
            .flatten();
        on_load(Load::Plan);
        let parsed = plan::parse_plan(text, &display_path).map(|plan| {
            let scan = extract::scan(&plan, catalog);
            (plan, scan)
        });
        let prepared = reading
            .map(|handle| handle.join())
            .or(sequential)
            .map(|joined| joined.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        let (plan, scan) = parsed?;
        let mut extracted = resolve_plan(display_path.clone(), plan, scan, prepared);
        extracted.base_index = base_index;
        extracted.base_revision = base.map(str::to_string);
        Ok(extracted)
    })
}

/// The `.tf` sources of `dir` as they are at git revision `rev`, read without touching the working tree.
fn base_sources(dir: &Path, rev: &str) -> Result<SourceIndex> {
    let tree = diff::check_out_base(dir, rev)?;
    Ok(SourceIndex::load(&tree.dir, None))
}

/// Ties the sources read ahead to the plan, and evaluates from them what the plan only knows after apply.
fn resolve_plan(
    display_path: PathBuf,
    plan: plan::Plan<'_>,
    mut scan: extract::PlanScan,
    prepared: Option<PreparedIndex>,
) -> Extracted {
    let mut sources = prepared.map(|prepared| {
        let mut sources = Sources::tie(prepared, &plan);
        sources.resolve_unknown(&mut scan.sites, &plan);
        sources
    });
    let (diagnostics, mut notes) = match &mut sources {
        Some(sources) => (
            std::mem::take(&mut sources.index.diagnostics),
            std::mem::take(&mut sources.index.notes),
        ),
        None => (Vec::new(), Vec::new()),
    };
    notes.extend(default_tags_note(&scan.default_tag_annotations));
    Extracted {
        input: display_path,
        command: "check",
        sites: scan.sites,
        resources: scan.resources,
        detected_boundary: scan.detected_boundary,
        boundary_conflict: scan.boundary_conflict,
        sources,
        base_index: None,
        base_revision: None,
        diagnostics,
        notes,
        permissions: blast::role_permissions(&plan),
        shared: scan.shared,
    }
}

/// A state or a plan as it stands (`trustgate inventory`): its JSON text and the `.tf` sources behind it.
pub struct StandingInput<'a> {
    pub text: &'a str,
    pub display_path: PathBuf,
    pub source_dir: Option<PathBuf>,
}

/// Every external grant of the policies that stand, judged as `check` judges a newly created resource.
pub struct Standing {
    pub report: Report,
    pub kind: DocumentKind,
    /// The standing sites (compared against nothing), for what the report does not carry (session lengths).
    pub sites: Vec<PolicySite>,
    pub permissions: BTreeMap<String, RolePermissions>,
}

/// The pipeline for what stands: load a state (or a plan's planned values), extract and resolve as for a
/// plan, then judge every standing policy against no policy, so every external grant is one finding.
pub fn judge_standing(input: StandingInput<'_>, settings: &Settings<'_>) -> Result<Standing> {
    let configuration: Option<Box<serde_json::value::RawValue>>;
    let (mut plan, kind) = standing::parse(input.text, &input.display_path)?;
    if kind == DocumentKind::State {
        configuration = standing::state_configuration(&plan)
            .and_then(|text| serde_json::value::RawValue::from_string(text).ok());
        plan.configuration = configuration.as_deref();
    }
    let prepared = input.source_dir.as_deref().map(SourceIndex::prepare);
    let scan = extract::scan(&plan, settings.catalog);
    let mut extracted = resolve_plan(input.display_path, plan, scan, prepared);
    extracted.command = "inventory";
    extracted.sites = extracted.sites.into_iter().map(review::standing).collect();
    let sites = extracted.sites.clone();
    let permissions = extracted.permissions.clone();
    let report = judge_extracted(extracted, settings)?;
    Ok(Standing {
        report,
        kind,
        sites,
        permissions,
    })
}

/// `diff --base`: check out the base revision and read both trees (load), and pair their policies into
/// sites (extract). Every policy comes from source, so there is nothing left to resolve.
fn from_diff(input: DiffInput<'_>, catalog: &Catalog) -> Result<Extracted> {
    let base_tree = diff::check_out_base(input.dir, input.base)?;
    let (base_index, work_index) = rayon::join(
        || SourceIndex::load(&base_tree.dir, None),
        || SourceIndex::load(input.dir, None),
    );
    // No plan to fall back on: a working-tree file that does not parse stops the check.
    if let Some(error) = diff::unparsable(&work_index) {
        return Err(error);
    }
    if let Some(error) = diff::unparsable_definitions(input.dir, input.variables) {
        return Err(error);
    }
    let DiffSites { sites, resources } = diff::sites(
        &base_index,
        &work_index,
        catalog,
        input.variables,
        base_tree.incomplete.is_none(),
    );
    // Without a plan no provider configuration says which account a cluster is in: only clusters (and IAM
    // OIDC providers) of the default provider, the configuration's own account as `diff` takes it, are own.
    let issuers = crate::source::eks::ClusterIssuers::from_index_default_provider(&work_index);
    let mut sources = Sources {
        index: work_index,
        resolved: BTreeMap::new(),
        all_from_source: true,
        accounts: Default::default(),
        issuers,
        arns: Default::default(),
    };
    let mut diagnostics = base_tree.relabel(&base_index.diagnostics);
    if let Some(why) = &base_tree.incomplete {
        diagnostics.push(format!(
            "the base revision {} is not read whole ({why}), so its policies vouch for nothing: every grant of \
             the working tree is checked as new",
            input.base
        ));
    }
    diagnostics.append(&mut sources.index.diagnostics);
    // The index notes modules that are not on disk; with no plan, each is an unverifiable site instead.
    sources.index.notes.clear();
    let notes: Vec<String> = input
        .variables
        .hidden
        .iter()
        .map(|why| format!("{why}: every root module variable is taken as unknown"))
        .collect();
    Ok(Extracted {
        input: PathBuf::from(format!("{} ({} → working tree)", input.dir.display(), input.base)),
        command: "diff",
        sites,
        resources,
        detected_boundary: None,
        boundary_conflict: None,
        sources: Some(sources),
        base_index: Some(base_index),
        base_revision: Some(input.base.to_string()),
        diagnostics,
        notes,
        permissions: BTreeMap::new(),
        shared: Vec::new(),
    })
}

/// One note when provider `default_tags` put `trustgate:*` keys on resources: they approve nothing.
fn default_tags_note(addresses: &[String]) -> Option<String> {
    let first = addresses.first()?;
    let more = match addresses.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!(
        "trustgate:* tags that come from the provider's default_tags (in tags_all, not in the resource's own \
         tags) approve nothing: {first}{more}; put the annotation on the resource itself"
    ))
}

/// Chooses the boundary, tells the judge what the sources say, and judges every site.
fn judge_extracted(extracted: Extracted, settings: &Settings<'_>) -> Result<Report> {
    let Extracted {
        input,
        command,
        sites,
        resources,
        detected_boundary,
        boundary_conflict,
        sources,
        base_index,
        base_revision,
        diagnostics,
        notes,
        permissions,
        shared,
    } = extracted;
    let declared = !settings.flag_accounts.is_empty()
        || !settings.flag_orgs.is_empty()
        || !settings.config.accounts.is_empty()
        || !settings.config.organizations.is_empty();
    if !declared && let Some(conflict) = boundary_conflict {
        return Err(Error::invalid(&input, "trust boundary", conflict));
    }
    let boundary = BoundaryInfo::choose(
        settings.flag_accounts,
        settings.flag_orgs,
        settings.config,
        detected_boundary.as_ref(),
    );
    let is_managed_arn = |reference: &str| sources.as_ref().is_some_and(|s| s.is_managed_arn(reference));
    let managed_arn_account = |reference: &str| {
        sources
            .as_ref()
            .and_then(|s| s.managed_arn_account(reference).map(|a| a.map(str::to_string)))
    };
    let predicted_arn = |reference: &str| {
        sources
            .as_ref()
            .and_then(|s| s.predicted_arn(reference).map(str::to_string))
    };
    let cluster_issuer = |site_module: &str, symbol: &str| {
        sources
            .as_ref()
            .and_then(|s| s.cluster_issuer(site_module, symbol))
    };
    let facts = sources.as_ref().map(|sources| {
        source_facts(
            sources,
            base_index.as_ref(),
            &sites,
            &is_managed_arn,
            &managed_arn_account,
            &predicted_arn,
            &cluster_issuer,
        )
    });
    let mut report = judge::judge(
        &sites,
        JudgeInput {
            input: input.clone(),
            resources,
            boundary: boundary.clone(),
            config: settings.config,
            today: settings.today,
            sources: facts.as_ref(),
        },
    );
    judge::fold_shared(&mut report, &shared);
    // Blast radius: a role that is admin-equivalent once assumed says so in its findings.
    for finding in &mut report.findings {
        if finding.resource_type == "aws_iam_role"
            && let Some(role) = permissions.get(&finding.address)
        {
            finding.privileged = role.privileged();
        }
    }
    let revision = base_revision.as_deref().or(settings.config.revision.as_deref());
    assign_approvers(&mut report.findings, settings.config, revision);
    report.stale_approvals = review::stale_approvals(
        &sites,
        JudgeInput {
            input,
            resources,
            boundary,
            config: settings.config,
            today: settings.today,
            sources: facts.as_ref(),
        },
        settings.config.review.warn_days,
    );
    report.stale_approvals_fail = settings.config.review.expired_unchanged_fails;
    report.diagnostics = diagnostics;
    report.notes = notes;
    report.command = command;
    Ok(report)
}

/// Names, on each violation, the code owners of the file its approval goes in (the resource's `.tf` file,
/// else the config file), from the CODEOWNERS of `revision` (the base: the one GitHub uses) or of the
/// working tree. Nothing when the working directory is not in a git work tree or there is no CODEOWNERS.
fn assign_approvers(findings: &mut [judge::Finding], config: &Config, revision: Option<&str>) {
    if findings.iter().all(|f| f.status != judge::Status::Violation) {
        return;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return;
    };
    let Some(root) = codeowners::repository_root(&cwd) else {
        return;
    };
    let Some(owners) = codeowners::CodeOwners::load(&root, revision) else {
        return;
    };
    let config_file = config
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::config::DEFAULT_FILE_NAME));
    for finding in findings
        .iter_mut()
        .filter(|f| f.status == judge::Status::Violation)
    {
        let file = finding.approval_file().unwrap_or(&config_file);
        finding.approvers =
            codeowners::repository_path(&root, &cwd, file).map(|path| owners.owners_of(&path));
    }
}

/// The table of what the sources say about each site: its resource block (file, line, comment
/// annotations and whether the base revision has them, statements) and the policy evaluated from source.
fn source_facts<'a>(
    sources: &Sources,
    base: Option<&SourceIndex>,
    sites: &[PolicySite],
    is_managed_arn: &'a (dyn Fn(&str) -> bool + Sync),
    managed_arn_account: &'a (dyn Fn(&str) -> Option<Option<String>> + Sync),
    predicted_arn: &'a (dyn Fn(&str) -> Option<String> + Sync),
    cluster_issuer: &'a (dyn Fn(&str, &str) -> Option<crate::source::ClusterIssuer> + Sync),
) -> SourceFacts<'a> {
    let mut table = BTreeMap::new();
    for site in sites {
        let base_entry = base.and_then(|index| index.resource(&site.module_address, &site.address));
        let block = sources
            .index
            .resource(&site.module_address, &site.address)
            .map(|entry| SourceBlock {
                file: entry.file.clone(),
                line: entry.line,
                annotation: entry.annotation.clone(),
                annotation_provenance: provenance::of_comment(
                    base.is_some(),
                    entry.annotation.as_ref(),
                    base_entry.and_then(|b| b.annotation.as_ref()),
                ),
                statements: entry
                    .statements_of(&site.attribute)
                    .iter()
                    .map(|s| SourceStatement {
                        index: s.index,
                        sid: s.sid.clone(),
                        file: s.file.clone(),
                        line: s.line,
                        annotation: s.annotation.clone(),
                        annotation_provenance: provenance::of_comment(
                            base.is_some(),
                            s.annotation.as_ref(),
                            base_entry
                                .and_then(|b| provenance::same_statement(b.statements_of(&site.attribute), s))
                                .and_then(|b| b.annotation.as_ref()),
                        ),
                    })
                    .collect(),
            });
        let resolution = sources
            .resolution(&site.address, &site.attribute)
            .map(|r| SourceResolution {
                symbols: r.resolved.symbols.clone(),
                used: r.used,
            });
        let module_call = sources
            .index
            .root_call(&site.module_address)
            .map(|call| SourceCall {
                file: call.file.clone(),
                line: call.line,
                annotation: call.annotation.clone(),
                annotation_provenance: provenance::of_comment(
                    base.is_some(),
                    call.annotation.as_ref(),
                    base.and_then(|index| index.root_call(&site.module_address))
                        .and_then(|b| b.annotation.as_ref()),
                ),
            });
        if block.is_some() || resolution.is_some() || module_call.is_some() {
            table.insert(
                (site.address.clone(), site.attribute.clone()),
                SiteSource {
                    block,
                    resolution,
                    module_call,
                },
            );
        }
    }
    SourceFacts {
        all_from_source: sources.all_from_source,
        sites: table,
        is_managed_arn,
        managed_arn_account,
        predicted_arn,
        cluster_issuer,
    }
}

/// Everything a check needs besides the plan text, in one value (for library callers).
pub struct CheckOptions<'a> {
    /// Name of the plan in messages and reports (a path, or `<stdin>`).
    pub display_path: PathBuf,
    /// Boundary accounts and organizations from the command line (they win over config and detection).
    pub flag_accounts: &'a [String],
    pub flag_orgs: &'a [String],
    pub config: &'a Config,
    pub catalog: &'a Catalog,
    /// The date expiries are judged against.
    pub today: Date,
    /// Directory of the root module's `.tf` files (`--source`), as given; None: the plan alone.
    pub source_dir: Option<PathBuf>,
}

impl<'a> CheckOptions<'a> {
    pub fn settings(&self) -> Settings<'a> {
        Settings {
            flag_accounts: self.flag_accounts,
            flag_orgs: self.flag_orgs,
            config: self.config,
            catalog: self.catalog,
            today: self.today,
        }
    }
}

/// Parses plan JSON text, extracts its policy sites, and judges them (`judge_inputs` for a plan).
pub fn check_plan_text(text: &str, options: &CheckOptions<'_>) -> Result<Report> {
    let input = PlanInput {
        text,
        display_path: options.display_path.clone(),
        source_dir: options.source_dir.clone(),
        base: None,
    };
    judge_inputs(Inputs::Plan(input), &options.settings())
}

#[cfg(test)]
mod tests {
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    use super::*;

    /// A meeting point for two threads that gives up after a while instead of waiting forever.
    struct Rendezvous {
        arrived: Mutex<usize>,
        all_here: Condvar,
    }

    impl Rendezvous {
        /// Waits until a second caller arrives; false when none came in time.
        fn meet(&self) -> bool {
            let mut arrived = self.arrived.lock().unwrap();
            *arrived += 1;
            self.all_here.notify_all();
            let (_arrived, wait) = self
                .all_here
                .wait_timeout_while(arrived, Duration::from_secs(20), |n| *n < 2)
                .unwrap();
            !wait.timed_out()
        }
    }

    fn modules_check(on_load: &(dyn Fn(Load) + Sync)) -> Report {
        let text = std::fs::read_to_string("testdata/hcl/modules/plan.json").unwrap();
        let config = Config::default();
        let catalog = Catalog::builtin();
        let settings = Settings {
            flag_accounts: &[],
            flag_orgs: &[],
            config: &config,
            catalog: &catalog,
            today: Date::parse_iso("2026-11-24").unwrap(),
        };
        let input = PlanInput {
            text: &text,
            display_path: PathBuf::from("plan.json"),
            source_dir: Some(PathBuf::from("testdata/hcl/modules")),
            base: None,
        };
        judge_inputs_observed(Inputs::Plan(input), &settings, on_load).unwrap()
    }

    #[test]
    fn the_plan_and_the_sources_load_at_the_same_time() {
        let rendezvous = Rendezvous {
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        };
        let met = Mutex::new(Vec::new());
        // Each load waits at the rendezvous before it starts: had they run one after the other, the first
        // would wait in vain.
        let report = modules_check(&|load| {
            let other_came = rendezvous.meet();
            met.lock().unwrap().push((load, other_came));
        });
        let mut met = met.into_inner().unwrap();
        met.sort();
        assert_eq!(met, vec![(Load::Plan, true), (Load::Sources, true)]);
        // The sources were used: findings carry their .tf locations, as without the hook.
        assert!(report.findings.iter().any(|f| f.location.is_some()));
        let plain = modules_check(&|_| {});
        assert_eq!(format!("{:?}", report.findings), format!("{:?}", plain.findings));
        assert_eq!(report.notes, plain.notes);
        assert_eq!(report.diagnostics, plain.diagnostics);
    }

    #[test]
    fn without_sources_only_the_plan_loads() {
        let loads = Mutex::new(Vec::new());
        let text = std::fs::read_to_string("testdata/hcl/modules/plan.json").unwrap();
        let config = Config::default();
        let catalog = Catalog::builtin();
        let options = CheckOptions {
            display_path: PathBuf::from("plan.json"),
            flag_accounts: &[],
            flag_orgs: &[],
            config: &config,
            catalog: &catalog,
            today: Date::parse_iso("2026-11-24").unwrap(),
            source_dir: None,
        };
        let input = PlanInput {
            text: &text,
            display_path: options.display_path.clone(),
            source_dir: None,
            base: None,
        };
        let report = judge_inputs_observed(Inputs::Plan(input), &options.settings(), &|load| {
            loads.lock().unwrap().push(load)
        })
        .unwrap();
        assert_eq!(loads.into_inner().unwrap(), vec![Load::Plan]);
        assert!(report.findings.iter().all(|f| f.location.is_none()));
    }
}
