//! The source index: every resource block of the root module and the local modules it calls, with its file,
//! line span, leading-comment annotation, and the statements of the policies it sets.

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

use hcl::edit::Span;
use hcl::edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl::edit::structure::{Block, BlockLabel, Body, Structure};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::comments::{self, CommentAnnotation};

/// One parsed (or unparsable) `.tf` file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path shown in reports (the source directory as given, joined with the file's relative path).
    pub display: PathBuf,
    /// The text as read (for evaluation, which parses it again only when a policy is unknown).
    pub text: String,
    /// Whether the text parses (its syntax tree is not kept: the index holds what it needs).
    pub parsed: bool,
    /// An override file (`override.tf`, `*_override.tf`, `.tf.json` forms), merged after the primary files.
    pub is_override: bool,
    /// Why the file does not parse (place, message), when it does not.
    pub syntax_error: Option<(String, String)>,
}

/// A statement of a policy written in HCL (a `statement` block of `aws_iam_policy_document`, or a statement
/// object inside `jsonencode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementEntry {
    /// Index in the resulting policy's `Statement` list, when the source fixes it (None when source or
    /// override documents or dynamic blocks can move statements: then only the `Sid` identifies it).
    pub index: Option<usize>,
    pub sid: Option<String>,
    pub file: PathBuf,
    pub line: usize,
    pub annotation: Option<CommentAnnotation>,
}

/// A `resource` (or `data`) block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceEntry {
    pub file: PathBuf,
    pub line: usize,
    pub end_line: usize,
    pub annotation: Option<CommentAnnotation>,
    /// Statements per policy attribute path with indexes removed (`assume_role_policy`,
    /// `inline_policy.policy`).
    pub policies: BTreeMap<String, Vec<StatementEntry>>,
}

impl ResourceEntry {
    /// The statements of `attribute` (a site attribute such as `inline_policy[0].policy`), as written.
    pub fn statements_of(&self, attribute: &str) -> &[StatementEntry] {
        self.policies
            .get(&strip_indexes(attribute))
            .map_or(&[], Vec::as_slice)
    }
}

/// One module directory of the configuration.
#[derive(Debug, Clone, Default)]
pub struct ModuleSources {
    /// Directory on disk.
    pub dir: PathBuf,
    pub files: Vec<SourceFile>,
    /// `type.name` → entry.
    pub resources: BTreeMap<String, ResourceEntry>,
    /// `type.name` of data sources → entry.
    pub data: BTreeMap<String, ResourceEntry>,
    /// Why Terraform would reject this module's files (an object defined twice, an override with nothing to
    /// override): then no policy of the configuration can be evaluated from source.
    pub conflicts: Vec<String>,
    /// Name of each `module` block → its place and comment annotation (no policies).
    pub calls: BTreeMap<String, ResourceEntry>,
}

/// Module call path (names without instance keys) → sources.
#[derive(Debug, Clone, Default)]
pub struct SourceIndex {
    pub modules: BTreeMap<Vec<String>, ModuleSources>,
    /// Files that do not parse, one sentence each with file, line and column.
    pub diagnostics: Vec<String>,
    /// Things not read (modules that are not on disk), one sentence each.
    pub notes: Vec<String>,
    /// Module calls whose module was not read (not on disk, or nested past the depth limit).
    pub unread: Vec<UnreadModule>,
}

/// A module call whose module was not read, so its resources are not in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadModule {
    /// Module call path (names without instance keys).
    pub path: Vec<String>,
    pub source: String,
    /// Why it was not read, as a sentence fragment.
    pub reason: String,
}

/// Module calls nested deeper than this are not read.
pub const MAX_MODULE_NESTING: usize = 32;

impl SourceIndex {
    /// Why the configuration would not load in Terraform (objects defined twice, overrides with nothing to
    /// override), if it would not.
    pub fn conflicts(&self) -> Vec<&str> {
        self.modules
            .values()
            .flat_map(|m| m.conflicts.iter().map(String::as_str))
            .collect()
    }
}

/// Whether Terraform skips a file of this name in a module directory: hidden files (`.x.tf`), editor backups
/// (`x.tf~`) and Emacs lock/autosave files (`#x.tf#`), as `IsIgnoredFile` in Terraform's configuration loader
/// (internal/configs/parser_config_dir.go) decides.
pub fn is_ignored_file(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// Whether a file of this name is a configuration file of its module (`.tf` or `.tf.json`, not ignored).
pub fn is_configuration_file(name: &str) -> bool {
    (name.ends_with(".tf") || name.ends_with(".tf.json")) && !is_ignored_file(name)
}

impl SourceIndex {
    /// Reads the root module in `dir` (shown as `dir` as given) and every local module it calls. Module
    /// sources come from the plan's `configuration` section when there is one, else from `module` blocks.
    ///
    /// Modules are read one call depth at a time, the modules of one depth in parallel (and the files of
    /// each module in parallel), so that a configuration of many small modules keeps every thread busy.
    pub fn load(dir: &Path, configuration: Option<&RawValue>) -> SourceIndex {
        SourceIndex::prepare(dir).tie(configuration)
    }

    /// Reads what can be read before the plan is known: the root module in `dir` and the modules its
    /// `module` blocks (and `.terraform/modules/modules.json`) lead to. `PreparedIndex::tie` then builds the
    /// index that `load` builds, reading only what the plan's `configuration` adds.
    pub fn prepare(dir: &Path) -> PreparedIndex {
        let mut reads: Reads = HashMap::new();
        walk(dir, None, &mut HashMap::new(), &mut |_, module_dir, read| {
            reads.entry(module_dir).or_default().push(read);
        });
        PreparedIndex {
            dir: dir.to_path_buf(),
            reads,
        }
    }

    /// The root module's `module` block that an instance address lies under (`module.a` of
    /// `module.a["k"].module.b.aws_iam_role.x`); None for a root resource.
    pub fn root_call(&self, module_address: &str) -> Option<&ResourceEntry> {
        let path = crate::extract::module_call_path(module_address)?;
        let name = path.first()?;
        self.modules.get(&Vec::new())?.calls.get(name)
    }

    /// The resource block behind an instance address (`module.a["k"].aws_iam_role.x[0]`).
    pub fn resource(&self, module_address: &str, address: &str) -> Option<&ResourceEntry> {
        let path = crate::extract::module_call_path(module_address)?;
        let local = if module_address.is_empty() {
            address
        } else {
            address.strip_prefix(module_address)?.strip_prefix('.')?
        };
        let local = local.split(" (deposed").next().unwrap_or(local);
        let config_address = local.split('[').next().unwrap_or(local);
        self.modules.get(&path)?.resources.get(config_address)
    }
}

/// One module as read from disk: its sources, its module calls, and the problems found in its files.
type ModuleRead = (ModuleSources, ModuleCalls, Vec<String>);

/// Modules read ahead, by directory (a directory called twice is read twice).
type Reads = HashMap<PathBuf, Vec<ModuleRead>>;

/// The `.tf` files of a configuration, read before its plan is known (`SourceIndex::prepare`).
pub struct PreparedIndex {
    dir: PathBuf,
    reads: Reads,
}

impl PreparedIndex {
    /// The index of the configuration, its module tree as the plan's `configuration` section (when given)
    /// says: the modules read ahead are used where the tree has them, anything else is read now.
    pub fn tie(mut self, configuration: Option<&RawValue>) -> SourceIndex {
        let plan_calls = configuration.and_then(plan_module_sources);
        let mut index = SourceIndex::default();
        let (notes, unread) = walk(&self.dir, plan_calls.as_ref(), &mut self.reads, &mut |path,
                                                                                          _,
                                                                                          (
            module,
            _,
            diagnostics,
        )| {
            index.diagnostics.extend(diagnostics);
            index.modules.insert(path, module);
        });
        index.notes = notes;
        index.unread = unread;
        index.diagnostics.sort();
        index.notes.sort();
        index.notes.dedup();
        index
    }
}

/// Walks the module tree from the root module in `dir`, one call depth at a time, and hands every module
/// read to `visit` (path, directory, what was read); returns the notes on modules that are not on disk.
/// A module is taken from `ahead` when it was read there, else read now (the modules of one depth in
/// parallel).
fn walk(
    dir: &Path,
    plan_calls: Option<&BTreeMap<Vec<String>, String>>,
    ahead: &mut Reads,
    visit: &mut dyn FnMut(Vec<String>, PathBuf, ModuleRead),
) -> (Vec<String>, Vec<UnreadModule>) {
    let downloaded = downloaded_modules(dir);
    let mut visited = std::collections::BTreeSet::new();
    let mut notes = Vec::new();
    let mut unread = Vec::new();
    let mut level = vec![(Vec::<String>::new(), dir.to_path_buf())];
    while !level.is_empty() {
        // The same path can be called twice from one module (two blocks with one name): the later call
        // wins, as it did when modules were read one by one from a stack.
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<(Vec<String>, PathBuf)> = Vec::new();
        for (path, module_dir) in level.into_iter().rev() {
            if visited.contains(&path) || !seen.insert(path.clone()) {
                continue;
            }
            if path.len() > MAX_MODULE_NESTING {
                unread.push(UnreadModule {
                    path: path.clone(),
                    source: module_dir.display().to_string(),
                    reason: format!("it is nested deeper than {MAX_MODULE_NESTING} module calls"),
                });
                continue;
            }
            todo.push((path, module_dir));
        }
        todo.reverse();
        let early: Vec<Option<ModuleRead>> = todo
            .iter()
            .map(|(_, module_dir)| ahead.get_mut(module_dir).and_then(Vec::pop))
            .collect();
        let read: Vec<_> = todo
            .into_par_iter()
            .zip(early)
            .map(|((path, module_dir), early)| {
                let read = early.unwrap_or_else(|| read_module(&module_dir));
                (path, module_dir, read)
            })
            .collect();
        let mut next = Vec::new();
        for (path, module_dir, read) in read {
            for (name, block_source) in &read.1 {
                let mut child = path.clone();
                child.push(name.clone());
                let source = plan_calls
                    .and_then(|calls| calls.get(&child).cloned())
                    .or_else(|| block_source.clone())
                    .unwrap_or_default();
                let key = child.join(".");
                if let Some(found) = downloaded.get(&key).map(|d| dir.join(d)).filter(|d| d.is_dir()) {
                    next.push((child, found));
                } else if source.starts_with("./") || source.starts_with("../") {
                    next.push((child, module_dir.join(&source)));
                } else {
                    notes.push(format!(
                        "module.{} (source \"{source}\") was not read: it is not on disk (run terraform init to \
                         download it); its resources are checked from the plan alone",
                        child.join(".module.")
                    ));
                    unread.push(UnreadModule {
                        path: child.clone(),
                        source: source.clone(),
                        reason: "it is not on disk (run terraform init to download it)".to_string(),
                    });
                }
            }
            visited.insert(path.clone());
            visit(path, module_dir, read);
        }
        level = next;
    }
    (notes, unread)
}

/// Parses every `.tf` file of one directory (one rayon task per file) and indexes its blocks. Returns the
/// module, its calls (name → `source` attribute) and parse diagnostics.
/// Module calls of one module: name → `source` attribute (when it is a plain string).
type ModuleCalls = Vec<(String, Option<String>)>;

/// What one file adds to its module, found in the same rayon task that reads and parses it.
struct FileIndex {
    file: SourceFile,
    problem: Option<String>,
    /// `type.name` of data sources → entry, in block order.
    data: Vec<(String, ResourceEntry)>,
    /// `type.name` of resources → entry and its policy attributes, in block order. A policy that refers to
    /// an `aws_iam_policy_document` is linked once every file of the module is read.
    resources: Vec<(String, ResourceEntry, PolicyAttributes)>,
    calls: ModuleCalls,
    /// Every object the file declares (`resource aws_iam_role.r`, `local.x`, `module.m`), with its line.
    declared: Vec<(String, usize)>,
    /// For each resource block (by `type.name`): its argument names and nested block types, which an
    /// override file replaces.
    written: Vec<(String, Vec<String>, Vec<String>)>,
    /// Name of each `module` block → its entry, in block order.
    call_entries: Vec<(String, ResourceEntry)>,
}

/// Policy attributes of one resource block (path without indexes → statements), in source order.
type PolicyAttributes = Vec<(String, PolicyStatements)>;

/// The statements of one policy attribute, as far as one file knows them.
enum PolicyStatements {
    Found(Vec<StatementEntry>),
    /// The `json` of this `aws_iam_policy_document` (`type.name`), which may be written in another file.
    Document(String),
}

fn read_module(dir: &Path) -> ModuleRead {
    let mut names: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_configuration_file)
                    && p.is_file()
            })
            .collect(),
        Err(error) => {
            return (
                ModuleSources::default(),
                Vec::new(),
                vec![format!("{}: cannot read the directory: {error}", dir.display())],
            );
        }
    };
    // Primary files in name order, then override files in name order (Terraform's loading order).
    let overriding = |p: &PathBuf| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(super::overrides::is_override)
    };
    names.sort_by(|a, b| (overriding(a), a).cmp(&(overriding(b), b)));
    let files: Vec<FileIndex> = names.par_iter().map(|path| index_file(path)).collect();
    let conflicts = conflicts(&files);
    let mut module = ModuleSources {
        dir: dir.to_path_buf(),
        ..ModuleSources::default()
    };
    let mut diagnostics = Vec::new();
    let mut calls = Vec::new();
    let mut resources = Vec::new();
    let mut kept = Vec::with_capacity(files.len());
    let mut overriding = Vec::new();
    let mut override_calls = Vec::new();
    // Data sources first (of every file), so that resources can link to the policy documents they use.
    for file in files {
        diagnostics.extend(file.problem);
        if file.file.is_override {
            // Merged into the primary blocks below; their policy statements replace those they override.
            overriding.push((file.resources, file.written));
            // A module call's `source` can be overridden too.
            override_calls.extend(file.calls);
            kept.push(file.file);
            continue;
        }
        module.data.extend(file.data);
        module.calls.extend(file.call_entries);
        calls.extend(file.calls);
        resources.extend(file.resources);
        kept.push(file.file);
    }
    for (name, source) in override_calls {
        if let Some(call) = calls.iter_mut().find(|(n, _)| *n == name)
            && source.is_some()
        {
            call.1 = source;
        }
    }
    let mut overridden: Vec<(String, PolicyAttributes, Vec<String>, Vec<String>)> = Vec::new();
    for (file_resources, written) in overriding {
        for ((key, _, policies), (_, attributes, blocks)) in file_resources.into_iter().zip(written) {
            overridden.push((key, policies, attributes, blocks));
        }
    }
    for (key, mut entry, policies) in resources {
        for (attribute, statements) in policies {
            let statements = match statements {
                PolicyStatements::Found(statements) => Some(statements),
                PolicyStatements::Document(name) => module
                    .data
                    .get(&name)
                    .and_then(|document| document.policies.get("json"))
                    .cloned(),
            };
            if let Some(statements) = statements {
                entry.policies.insert(attribute, statements);
            }
        }
        module.resources.insert(key, entry);
    }
    for (key, policies, attributes, blocks) in overridden {
        let Some(entry) = module.resources.get_mut(&key) else {
            continue;
        };
        // An argument of the override replaces the original's; a nested block type replaces all its blocks.
        entry.policies.retain(|path, _| {
            let (first, nested) = match path.split_once('.') {
                Some((block, _)) => (block, true),
                None => (path.as_str(), false),
            };
            !(if nested {
                blocks.iter().any(|b| b == first)
            } else {
                attributes.iter().any(|a| a == first)
            })
        });
        for (attribute, statements) in policies {
            let statements = match statements {
                PolicyStatements::Found(statements) => Some(statements),
                PolicyStatements::Document(name) => module
                    .data
                    .get(&name)
                    .and_then(|document| document.policies.get("json"))
                    .cloned(),
            };
            if let Some(statements) = statements {
                entry.policies.insert(attribute, statements);
            }
        }
    }
    // An object defined twice: no block may stand for it (Terraform rejects the configuration).
    for conflict in &conflicts {
        if let Some(key) = conflict.key.strip_prefix("resource ") {
            module.resources.remove(key);
        } else if let Some(key) = conflict.key.strip_prefix("data ") {
            module.data.remove(key);
        } else if let Some(name) = conflict.key.strip_prefix("module ") {
            // Nor may either block's comment approve the call's instances.
            module.calls.remove(name);
        }
    }
    module.conflicts = conflicts.iter().map(|c| c.message.clone()).collect();
    diagnostics.extend(module.conflicts.iter().cloned());
    // Malformed annotation comments are reported whether or not a widening needs them.
    let mut problems = std::collections::BTreeSet::new();
    for entry in module
        .resources
        .values()
        .chain(module.data.values())
        .chain(module.calls.values())
    {
        let statements = entry
            .policies
            .values()
            .flatten()
            .filter_map(|s| s.annotation.as_ref());
        for annotation in entry.annotation.iter().chain(statements) {
            problems.extend(annotation.problems.iter().cloned());
        }
    }
    diagnostics.extend(problems);
    module.files = kept;
    (module, calls, diagnostics)
}

/// One object that makes Terraform reject a module's files.
struct Conflict {
    /// The object (`resource aws_iam_role.r`, `local.x`).
    key: String,
    message: String,
}

/// Objects declared twice in the primary files of a module, and override blocks with no primary block.
fn conflicts(files: &[FileIndex]) -> Vec<Conflict> {
    let mut primary: BTreeMap<&str, Vec<(&Path, usize)>> = BTreeMap::new();
    for file in files.iter().filter(|f| !f.file.is_override) {
        for (key, line) in &file.declared {
            primary.entry(key).or_default().push((&file.file.display, *line));
        }
    }
    let mut out = Vec::new();
    for (key, places) in &primary {
        if places.len() > 1 {
            let places: Vec<String> = places
                .iter()
                .map(|(file, line)| format!("{}:{line}", file.display()))
                .collect();
            out.push(Conflict {
                key: key.to_string(),
                message: format!(
                    "{}: {key} is defined {} times ({}); Terraform rejects the configuration, so no policy of \
                     it is evaluated from source",
                    places[0].rsplit_once(':').map_or("", |(f, _)| f),
                    places.len(),
                    places.join(", ")
                ),
            });
        }
    }
    for file in files.iter().filter(|f| f.file.is_override) {
        for (key, line) in &file.declared {
            if !primary.contains_key(key.as_str()) {
                out.push(Conflict {
                    key: String::new(),
                    message: format!(
                        "{}:{line}: {key} overrides nothing (no primary file declares it); Terraform rejects the \
                         configuration, so no policy of it is evaluated from source",
                        file.file.display.display()
                    ),
                });
            }
        }
    }
    out
}

/// Reads, parses and indexes one file. The syntax tree is dropped here: the index keeps what it needs.
fn index_file(path: &Path) -> FileIndex {
    let display = display_path(path);
    let mut out = FileIndex {
        file: SourceFile {
            path: path.to_path_buf(),
            display,
            text: String::new(),
            parsed: false,
            is_override: path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(super::overrides::is_override),
            syntax_error: None,
        },
        problem: None,
        data: Vec::new(),
        resources: Vec::new(),
        calls: Vec::new(),
        declared: Vec::new(),
        written: Vec::new(),
        call_entries: Vec::new(),
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        },
        Err(error) => {
            out.problem = Some(format!("{}: cannot read: {error}", out.file.display.display()));
            return out;
        }
    };
    let text = if path.to_string_lossy().ends_with(".tf.json") {
        match super::json_syntax::to_native(&text) {
            Ok(native) => native,
            Err(reason) => {
                out.file.syntax_error = Some(("JSON syntax".to_string(), reason.clone()));
                out.problem = Some(format!(
                    "{}: does not parse as Terraform JSON syntax, so its resources are checked from the plan \
                     alone: {reason}",
                    out.file.display.display()
                ));
                out.file.text = text;
                return out;
            }
        }
    } else {
        text
    };
    if let Err(reason) = crate::nesting::check(&text) {
        out.file.syntax_error = Some(("nesting".to_string(), reason.to_string()));
        out.problem = Some(format!(
            "{}: {reason}, so it is not parsed and its resources are checked from the plan alone",
            out.file.display.display()
        ));
        out.file.text = text;
        return out;
    }
    match hcl::edit::parser::parse_body(&text) {
        Ok(body) => {
            let display = out.file.display.clone();
            let file = Text::new(&text, &display);
            index_body(&body, &file, &mut out);
            out.file.parsed = true;
        }
        Err(error) => {
            let location = error.location();
            out.file.syntax_error = Some((
                format!("line {}, column {}", location.line(), location.column()),
                format!("does not parse: {}", error.message()),
            ));
            out.problem = Some(format!(
                "{}:{}:{}: does not parse, so its resources are checked from the plan alone: {}",
                out.file.display.display(),
                location.line(),
                location.column(),
                error.message()
            ));
        }
    }
    out.file.text = text;
    out
}

fn index_body(body: &Body, file: &Text<'_>, out: &mut FileIndex) {
    for block in body.blocks() {
        let line = file.line(block.ident.span().map_or(0, |s| s.start));
        let labels: Vec<&str> = block.labels.iter().map(label_text).collect();
        match (block.ident.as_str(), labels.as_slice()) {
            ("resource" | "data", [kind, name]) => {
                out.declared
                    .push((format!("{} {kind}.{name}", block.ident.as_str()), line));
            }
            ("module" | "variable" | "output", [name]) => {
                out.declared
                    .push((format!("{} {name}", block.ident.as_str()), line));
            }
            ("locals", []) => {
                for attribute in block.body.attributes() {
                    let at = file.line(attribute.key.span().map_or(0, |s| s.start));
                    out.declared
                        .push((format!("local {}", attribute.key.as_str()), at));
                }
            }
            _ => {}
        }
        match block.ident.as_str() {
            "data" => {
                let Some((kind, name)) = two_labels(block) else {
                    continue;
                };
                let mut entry = block_entry(block, file);
                if kind == "aws_iam_policy_document" {
                    entry
                        .policies
                        .insert("json".to_string(), document_statements(block, file));
                }
                out.data.push((format!("{kind}.{name}"), entry));
            }
            "resource" => {
                let Some((kind, name)) = two_labels(block) else {
                    continue;
                };
                let entry = block_entry(block, file);
                let mut policies = Vec::new();
                collect_policies(&block.body, "", file, &mut policies);
                out.written.push((
                    format!("{kind}.{name}"),
                    block
                        .body
                        .attributes()
                        .map(|a| a.key.as_str().to_string())
                        .collect(),
                    block
                        .body
                        .blocks()
                        .map(|b| b.ident.as_str().to_string())
                        .collect(),
                ));
                out.resources.push((format!("{kind}.{name}"), entry, policies));
            }
            "module" => {
                let Some(name) = block.labels.first().map(label_text) else {
                    continue;
                };
                let source = block
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_string);
                out.calls.push((name.to_string(), source));
                out.call_entries
                    .push((name.to_string(), block_entry(block, file)));
            }
            _ => {}
        }
    }
}

/// A file's text with its line starts, for line numbers of byte offsets and the comments above a line.
struct Text<'t> {
    text: &'t str,
    display: &'t Path,
    /// Byte offsets of every `\n`.
    newlines: Vec<usize>,
    lines: Vec<&'t str>,
}

impl<'t> Text<'t> {
    fn new(text: &'t str, display: &'t Path) -> Text<'t> {
        Text {
            text,
            display,
            newlines: text
                .bytes()
                .enumerate()
                .filter_map(|(i, b)| (b == b'\n').then_some(i))
                .collect(),
            lines: text.lines().collect(),
        }
    }

    /// One-based line of a byte offset (as `line_of`).
    fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.newlines.partition_point(|&at| at < offset) + 1
    }
}

fn label_text(label: &BlockLabel) -> &str {
    label.as_str()
}

fn two_labels(block: &Block) -> Option<(&str, &str)> {
    match block.labels.as_slice() {
        [kind, name] => Some((label_text(kind), label_text(name))),
        _ => None,
    }
}

/// One-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

fn block_entry(block: &Block, file: &Text<'_>) -> ResourceEntry {
    let start = block.ident.span().map_or(0, |s| s.start);
    let end = block.span().map_or(start, |s| s.end.saturating_sub(1).max(start));
    let line = file.line(start);
    let comment = comments::comment_above(&file.lines, line);
    ResourceEntry {
        file: file.display.to_path_buf(),
        line,
        end_line: file.line(end),
        annotation: comments::parse_annotation(&comment, file.display, None),
        policies: BTreeMap::new(),
    }
}

/// Finds policy attributes (`jsonencode` with a `Statement` list, or a reference to an
/// `aws_iam_policy_document`) in a resource body and its nested blocks.
fn collect_policies(body: &Body, prefix: &str, file: &Text<'_>, out: &mut Vec<(String, PolicyStatements)>) {
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key = format!("{prefix}{}", attribute.key.as_str());
                if let Some(statements) = expression_statements(&attribute.value, file) {
                    out.push((key, statements));
                }
            }
            Structure::Block(block) if prefix.is_empty() => {
                let nested = format!("{}.", block.ident.as_str());
                collect_policies(&block.body, &nested, file, out);
            }
            Structure::Block(_) => {}
        }
    }
}

fn expression_statements(expr: &Expression, file: &Text<'_>) -> Option<PolicyStatements> {
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" => {
            let object = call.args.iter().next()?.as_object()?;
            let statements = object.iter().find_map(|(key, value)| {
                (object_key_text(key).as_deref() == Some("Statement")).then_some(value.expr())
            })?;
            let elements: Vec<&Expression> = match statements {
                Expression::Array(array) => array.iter().collect(),
                Expression::Object(_) => vec![statements],
                _ => return None,
            };
            Some(PolicyStatements::Found(
                elements
                    .into_iter()
                    .enumerate()
                    .map(|(index, element)| {
                        let line = file.line(element.span().map_or(0, |s| s.start));
                        let sid = element.as_object().and_then(|o| {
                            o.iter().find_map(|(k, v)| {
                                (object_key_text(k).as_deref() == Some("Sid"))
                                    .then(|| v.expr().as_str().map(str::to_string))
                                    .flatten()
                            })
                        });
                        let comment = comments::comment_above(&file.lines, line);
                        StatementEntry {
                            index: Some(index),
                            sid,
                            file: file.display.to_path_buf(),
                            line,
                            annotation: comments::parse_annotation(&comment, file.display, Some(index)),
                        }
                    })
                    .collect(),
            ))
        }
        Expression::Traversal(traversal) => {
            let mut names = Vec::new();
            names.push(traversal.expr.as_variable()?.as_str().to_string());
            for operator in &traversal.operators {
                match operator.value() {
                    TraversalOperator::GetAttr(ident) => names.push(ident.as_str().to_string()),
                    // `data.aws_iam_policy_document.x[each.key].json`: every instance has the same blocks.
                    TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_) => {}
                    _ => return None,
                }
            }
            match names.as_slice() {
                [data, kind, name, json]
                    if data == "data"
                        && kind == "aws_iam_policy_document"
                        && (json == "json" || json == "minified_json") =>
                {
                    Some(PolicyStatements::Document(format!("{kind}.{name}")))
                }
                _ => None,
            }
        }
        Expression::Parenthesis(inner) => expression_statements(inner.inner(), file),
        _ => None,
    }
}

fn object_key_text(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_string()),
        ObjectKey::Expression(expr) => expr.as_str().map(str::to_string),
    }
}

/// The `statement` blocks of an `aws_iam_policy_document`, in block order (which is the order of the
/// generated JSON). Indexes are left out when other documents or dynamic blocks can shift them.
fn document_statements(block: &Block, file: &Text<'_>) -> Vec<StatementEntry> {
    let body = &block.body;
    let shifting = [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ]
    .iter()
    .any(|key| body.get_attribute(key).is_some())
        || body.get_blocks("dynamic").next().is_some();
    body.get_blocks("statement")
        .enumerate()
        .map(|(index, statement)| {
            let line = file.line(statement.ident.span().map_or(0, |s| s.start));
            let comment = comments::comment_above(&file.lines, line);
            let index = (!shifting).then_some(index);
            StatementEntry {
                index,
                sid: statement
                    .body
                    .get_attribute("sid")
                    .and_then(|a| a.value.as_str())
                    .map(str::to_string),
                file: file.display.to_path_buf(),
                line,
                annotation: comments::parse_annotation(&comment, file.display, index),
            }
        })
        .collect()
}

/// `inline_policy[0].policy` → `inline_policy.policy`.
fn strip_indexes(attribute: &str) -> String {
    let mut out = String::with_capacity(attribute.len());
    let mut depth = 0usize;
    for c in attribute.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The path shown for a file: the source directory as given joined with the file's path inside it,
/// normalised lexically (`./` and `dir/../` removed).
pub(crate) fn display_path(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[derive(Deserialize)]
struct PlanConfiguration {
    root_module: Option<PlanModule>,
}

#[derive(Deserialize)]
struct PlanModule {
    #[serde(default)]
    module_calls: BTreeMap<String, PlanModuleCall>,
}

#[derive(Deserialize)]
struct PlanModuleCall {
    source: Option<String>,
    module: Option<PlanModule>,
}

/// Module call path → `source`, from the plan's configuration section.
fn plan_module_sources(configuration: &RawValue) -> Option<BTreeMap<Vec<String>, String>> {
    let parsed: PlanConfiguration = serde_json::from_str(configuration.get()).ok()?;
    let mut out = BTreeMap::new();
    fn walk(module: &PlanModule, path: &mut Vec<String>, out: &mut BTreeMap<Vec<String>, String>) {
        for (name, call) in &module.module_calls {
            path.push(name.clone());
            if let Some(source) = &call.source {
                out.insert(path.clone(), source.clone());
            }
            if let Some(child) = &call.module {
                walk(child, path, out);
            }
            path.pop();
        }
    }
    if let Some(root) = &parsed.root_module {
        walk(root, &mut Vec::new(), &mut out);
    }
    Some(out)
}

#[derive(Deserialize)]
struct ModulesJson {
    #[serde(rename = "Modules", default)]
    modules: Vec<ModulesJsonEntry>,
}

#[derive(Deserialize)]
struct ModulesJsonEntry {
    #[serde(rename = "Key", default)]
    key: String,
    #[serde(rename = "Dir", default)]
    dir: String,
}

/// `.terraform/modules/modules.json`: module key (`a.b`) → directory relative to the root module.
fn downloaded_modules(root: &Path) -> BTreeMap<String, PathBuf> {
    let Ok(text) = std::fs::read_to_string(root.join(".terraform/modules/modules.json")) else {
        return BTreeMap::new();
    };
    let Ok(parsed) = serde_json::from_str::<ModulesJson>(&text) else {
        return BTreeMap::new();
    };
    parsed
        .modules
        .into_iter()
        .filter(|m| !m.key.is_empty() && !m.dir.is_empty())
        .map(|m| (m.key, PathBuf::from(m.dir)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_indexes_and_normalises_paths() {
        assert_eq!(strip_indexes("inline_policy[0].policy"), "inline_policy.policy");
        assert_eq!(strip_indexes("policy"), "policy");
        assert_eq!(
            display_path(Path::new("./a/../modules/x/main.tf")),
            PathBuf::from("modules/x/main.tf")
        );
        assert_eq!(
            display_path(Path::new("../x/./main.tf")),
            PathBuf::from("../x/main.tf")
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Whatever a `.tf` file holds, loading it never panics.
        #[test]
        fn loading_any_text_never_panics(text in r##"[a-z_ {}\[\]()="#/*\n.,:$0-9"-]{0,160}"##) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("main.tf"), &text).unwrap();
            let index = SourceIndex::load(dir.path(), None);
            let _ = crate::source::Evaluator::new(&index, None)
                .policy_attributes(&crate::catalog::Catalog::builtin());
        }
    }

    #[test]
    fn loads_structured_random_blocks_without_panicking() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("main.tf"),
            "# trustgate: owner=\"\nresource \"aws_iam_role\" \"r\" {\n  assume_role_policy = jsonencode({Statement = \
             {}})\n}\nmodule \"m\" {\n source = \"../../../../nope\"\n}\n",
        )
        .unwrap();
        let index = SourceIndex::load(dir.path(), None);
        assert!(index.resource("", "aws_iam_role.r").is_some());
    }

    #[test]
    fn downloaded_modules_are_read_through_modules_json() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("main.tf"),
            "module \"iam\" {\n  source = \"terraform-aws-modules/iam/aws\"\n}\n\
             module \"git\" {\n  source = \"git::https://example.com/m.git\"\n}\n",
        )
        .unwrap();
        let downloaded = root.join(".terraform/modules/iam");
        std::fs::create_dir_all(&downloaded).unwrap();
        std::fs::write(
            downloaded.join("role.tf"),
            "resource \"aws_iam_role\" \"this\" {\n  count = 1\n}\n",
        )
        .unwrap();
        std::fs::write(
            root.join(".terraform/modules/modules.json"),
            r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
                {"Key":"iam","Source":"registry.terraform.io/terraform-aws-modules/iam/aws","Dir":".terraform/modules/iam"}]}"#,
        )
        .unwrap();
        let index = SourceIndex::load(root, None);
        let entry = index
            .resource("module.iam", "module.iam.aws_iam_role.this[0]")
            .expect("the downloaded module is indexed");
        assert_eq!(entry.line, 1);
        assert!(entry.file.ends_with(".terraform/modules/iam/role.tf"));
        assert_eq!(index.notes.len(), 1, "{:?}", index.notes);
        assert!(
            index.notes[0].starts_with("module.git (source \"git::https://example.com/m.git\") was not read")
        );
    }

    #[test]
    fn sources_read_ahead_are_tied_to_the_module_tree_of_the_plan() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("main.tf"), "module \"m\" {\n  source = \"./a\"\n}\n").unwrap();
        for (sub, name) in [("a", "from_block"), ("b", "from_plan")] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
            std::fs::write(
                root.join(sub).join("main.tf"),
                format!("resource \"aws_iam_role\" \"{name}\" {{}}\n"),
            )
            .unwrap();
        }
        let roles = |index: &SourceIndex| -> Vec<String> {
            index.modules[&vec!["m".to_string()]]
                .resources
                .keys()
                .cloned()
                .collect()
        };
        // Read ahead, the module blocks lead to ./a; the plan says the call's source is ./b.
        let configuration: Box<RawValue> =
            serde_json::from_str(r#"{"root_module":{"module_calls":{"m":{"source":"./b","module":{}}}}}"#)
                .unwrap();
        let tied = SourceIndex::prepare(root).tie(Some(&configuration));
        assert_eq!(roles(&tied), ["aws_iam_role.from_plan"]);
        assert_eq!(
            roles(&SourceIndex::load(root, Some(&configuration))),
            ["aws_iam_role.from_plan"]
        );
        let planless = SourceIndex::prepare(root).tie(None);
        assert_eq!(roles(&planless), ["aws_iam_role.from_block"]);
        assert_eq!(planless.modules.len(), 2);
    }

    /// Shapes that hcl-edit 0.8 rejected (a conditional nested in a function call inside a conditional, as in
    /// terraform-aws-modules' lambda `iam.tf`): both parsers read them.
    #[test]
    fn nested_conditionals_inside_calls_parse() {
        let shapes = [
            "locals {\n  a = var.a == 1 ? f(var.x ? \"y\" : \"u\") : \"z\"\n}\n",
            "locals {\n  a = var.b ? format(\"%s\", var.c ? \"x\" : \"y\") : null\n}\n",
            "locals {\n  a = var.n > 0 ? concat([var.p ? \"a\" : \"b\"], [for s in var.l : s.x ? 1 : 2]) : []\n}\n",
        ];
        for shape in shapes {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("main.tf"), shape).unwrap();
            let index = SourceIndex::load(dir.path(), None);
            let module = index.modules.values().next().expect("the root module");
            assert!(module.files.iter().all(|f| f.parsed), "{shape}");
            assert!(hcl::parse(shape).is_ok(), "{shape}");
        }
    }

    #[test]
    fn line_numbers() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
        let text = "a\r\nb\n\nc\n";
        let file = Text::new(text, Path::new("x.tf"));
        for offset in 0..=text.len() + 2 {
            assert_eq!(file.line(offset), line_of(text, offset), "offset {offset}");
        }
    }
}
