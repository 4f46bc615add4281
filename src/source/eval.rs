//! Static evaluation of policy expressions the plan only knows after apply.
//!
//! The expression behind a policy attribute is evaluated with `hcl::eval` in a context built for the module
//! instance: variables (defaults, the variable definitions files and, for `diff`, the environment and
//! `--var`/`--var-file` (see `variables`), the plan's `variables`, module call
//! arguments), locals, `aws_iam_policy_document` data sources (rendered as the provider renders them),
//! `each`/`count`, `path.module`, and other resources' values where the plan knows them. What cannot be
//! known stays symbolic: a string `${aws_iam_role.ci.arn}` in place of the value, so that the policy can
//! still be read and the unresolved reference named.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use hcl::eval::{Context, Evaluate};
use hcl::{Block, Body, Expression, Map, Value};
use rayon::prelude::*;
use serde_json::value::RawValue;

use super::functions;
use super::index::{ModuleSources, SourceIndex};
use super::locals::{Graph, OVER_BUDGET, Outcome, References, WORK_BUDGET as LOCALS_WORK_BUDGET};
use super::variables::{self, InputVariables};
use crate::analysis::PolicyRole;
use crate::catalog::{Catalog, PathStep, PolicySource};
use crate::plan::{Plan, ResourceMode};
pub use crate::symbol::symbols_in;

/// A policy evaluated from source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The policy JSON.
    pub policy: String,
    /// References that stayed symbolic (`aws_iam_role.ci.arn`, `var.partner`), sorted, without `${ }`.
    pub symbols: Vec<String>,
    /// Whether `policy` is JSON at all (a reference that stayed symbolic as a whole is not).
    pub valid_json: bool,
}

/// What the plan knows that expressions may refer to.
#[derive(Debug, Default)]
struct PlanFacts<'p> {
    /// Instance address → known values (resource_changes `after`, or prior_state values for data sources),
    /// raw: only those the sources refer to are ever parsed.
    values: BTreeMap<String, &'p RawValue>,
    /// Root module input values from the plan.
    variables: Map<String, Value>,
}

/// Evaluates policy attributes of resources in the source index.
pub struct Evaluator<'a, 'p> {
    index: &'a SourceIndex,
    facts: PlanFacts<'p>,
    /// Parsed bodies per module path (hcl-rs form, for evaluation).
    bodies: BTreeMap<Vec<String>, Vec<Body>>,
    /// Contexts already built, by module instance address.
    contexts: Mutex<BTreeMap<String, Context<'static>>>,
    /// Terraform would reject the configuration (an object defined twice, an override of nothing): no
    /// policy is evaluated.
    rejected: bool,
    /// Root variable values from outside the configuration (`diff`: no plan to take them from).
    inputs: Option<InputVariables>,
}

/// Attributes commonly referenced across resources; unknown ones become symbols.
const SYMBOLIC_ATTRIBUTES: [&str; 14] = [
    "arn",
    "execution_arn",
    "id",
    "name",
    "unique_id",
    "account_id",
    "url",
    "invoke_arn",
    "bucket",
    "key_id",
    "json",
    "partition",
    "dns_suffix",
    "region",
];

/// At most this many module instances are expanded (a module that calls itself would never end).
const MAX_MODULE_INSTANCES: usize = 2000;
/// Module calls nested deeper than this are not expanded.
const MAX_MODULE_DEPTH: usize = 8;

impl<'a, 'p> Evaluator<'a, 'p> {
    pub fn new(index: &'a SourceIndex, plan: Option<&Plan<'p>>) -> Evaluator<'a, 'p> {
        let mut facts = PlanFacts::default();
        if let Some(plan) = plan {
            for change in &plan.resource_changes {
                if change.mode == ResourceMode::Managed
                    && change.deposed.is_none()
                    && let Some(after) = change.change.after
                {
                    facts.values.insert(change.address.to_string(), after);
                }
            }
            if let Some(prior) = &plan.prior_state {
                for resource in prior.all_resources() {
                    if let Some(values) = resource.values {
                        facts.values.entry(resource.address.to_string()).or_insert(values);
                    }
                }
            }
            if let Some(variables) = plan.variables {
                facts.variables = plan_variables(variables);
            }
        }
        // Parsed again in hcl-rs form (the index keeps no syntax trees), every file on the rayon pool.
        // Override files are merged into the primary files as Terraform merges them.
        let bodies = index
            .modules
            .par_iter()
            .map(|(path, module)| {
                let parse = |overriding: bool| -> Vec<Body> {
                    module
                        .files
                        .par_iter()
                        .filter(|f| f.parsed && f.is_override == overriding)
                        .filter_map(|f| hcl::parse(&f.text).ok())
                        .collect()
                };
                (path.clone(), super::overrides::merge(parse(false), parse(true)))
            })
            .collect();
        Evaluator {
            index,
            facts,
            bodies,
            contexts: Mutex::new(BTreeMap::new()),
            rejected: !index.conflicts().is_empty(),
            inputs: None,
        }
    }

    /// Takes root variables also from `inputs` (environment, `--var`, `--var-file`), as `terraform plan`
    /// would; only where there is no plan, whose values win.
    pub fn with_inputs(mut self, inputs: &InputVariables) -> Self {
        self.inputs = Some(inputs.clone());
        self
    }

    /// The policy behind `attribute` of the resource instance `address` in `module_address`, when the
    /// sources yield a string.
    pub fn resolve(&self, module_address: &str, address: &str, attribute: &str) -> Option<Resolved> {
        functions::with_readable_dirs(&self.module_dirs(), || {
            self.resolve_here(module_address, address, attribute)
        })
    }

    /// The directories of the modules read: the only places `file()` may read from.
    fn module_dirs(&self) -> Vec<PathBuf> {
        self.index.modules.values().map(|m| m.dir.clone()).collect()
    }

    /// Whether `attribute` of the resource instance evaluates to `null` from source (a conditional such as
    /// `var.create_policy ? null : var.policy` whose condition is known): terraform then leaves the argument
    /// unset, so the change writes no policy there.
    pub fn is_null(&self, module_address: &str, address: &str, attribute: &str) -> bool {
        functions::with_readable_dirs(&self.module_dirs(), || {
            self.value_here(module_address, address, attribute)
        }) == Some(Value::Null)
    }

    fn resolve_here(&self, module_address: &str, address: &str, attribute: &str) -> Option<Resolved> {
        let policy = match self.value_here(module_address, address, attribute)? {
            Value::String(text) => text,
            _ => return None,
        };
        let symbols = symbols_in(&policy);
        let valid_json = serde_json::from_str::<serde_json::Value>(&policy).is_ok();
        Some(Resolved {
            policy,
            symbols,
            valid_json,
        })
    }

    fn value_here(&self, module_address: &str, address: &str, attribute: &str) -> Option<Value> {
        if self.rejected {
            return None;
        }
        let segments = module_segments(module_address)?;
        let scope = self.scope(&segments)?;
        let local = if module_address.is_empty() {
            address
        } else {
            address.strip_prefix(module_address)?.strip_prefix('.')?
        };
        let (config_address, key) = split_instance(local)?;
        let (kind, name) = config_address.split_once('.')?;
        let block = self.block(&scope.path, "resource", kind, name)?;
        let mut ctx = self.cached_context(&scope);
        self.declare_instance(&mut ctx, block, key.as_ref())?;
        let body = expand_dynamic(&block.body, &ctx);
        let expression = attribute_expression(&body, attribute)?;
        eval(expression, &ctx)
    }

    /// The context of a module instance, built once per instance.
    fn cached_context(&self, scope: &Scope) -> Context<'static> {
        if let Ok(cache) = self.contexts.lock()
            && let Some(ctx) = cache.get(&scope.address)
        {
            return ctx.clone();
        }
        let ctx = self.full_context(scope);
        if let Ok(mut cache) = self.contexts.lock() {
            cache.insert(scope.address.clone(), ctx.clone());
        }
        ctx
    }

    /// The context of a module instance including `module.<name>` outputs of the local modules it calls.
    fn full_context(&self, scope: &Scope) -> Context<'static> {
        let mut plain = self.context(scope, None);
        if scope.segments.len() >= MAX_MODULE_DEPTH {
            return plain;
        }
        let calls: Vec<&Block> = self
            .blocks(&scope.path)
            .filter(|b| b.identifier() == "module" && b.labels.len() == 1)
            .collect();
        if calls.is_empty() {
            return plain;
        }
        let mut modules = Map::new();
        for call in calls {
            let name = call.labels[0].as_str().to_string();
            let mut child_path = scope.path.clone();
            child_path.push(name.clone());
            if self.module(&child_path).is_none() {
                continue;
            }
            let outputs = |key: Option<Key>| -> Value {
                let mut segments = scope.segments.clone();
                segments.push((name.clone(), key));
                match self.scope(&segments) {
                    Some(child) => self.outputs(&child),
                    None => Value::Null,
                }
            };
            let has = |attribute: &str| call.body.attributes().any(|a| a.key.as_str() == attribute);
            let keys = self.instance_keys(call, &mut plain);
            let value = if has("for_each") {
                Value::Object(
                    keys.into_iter()
                        .filter_map(|key| match key {
                            Some(Key::Str(k)) => Some((k.clone(), outputs(Some(Key::Str(k))))),
                            _ => None,
                        })
                        .collect(),
                )
            } else if has("count") {
                Value::Array(keys.into_iter().map(outputs).collect())
            } else {
                outputs(None)
            };
            modules.insert(name, value);
        }
        self.context(scope, Some(Value::Object(modules)))
    }

    /// The `output` values of a module instance; those that do not evaluate are symbolic.
    fn outputs(&self, scope: &Scope) -> Value {
        let ctx = self.cached_context(scope);
        let mut out = Map::new();
        for block in self.blocks(&scope.path).filter(|b| b.identifier() == "output") {
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            let value = block
                .body
                .attributes()
                .find(|a| a.key.as_str() == "value")
                .and_then(|a| eval(&a.expr, &ctx))
                .unwrap_or_else(|| symbol(&format!("{}.{name}", scope.address)));
            out.insert(name, value);
        }
        Value::Object(out)
    }

    /// Every policy attribute the catalog names on every resource instance the sources declare (instances
    /// from `count`/`for_each` where they evaluate), with its value evaluated from source. Used where there
    /// is no plan (`trustgate diff`).
    pub fn policy_attributes(&self, catalog: &Catalog) -> Vec<SourcePolicy> {
        functions::with_readable_dirs(&self.module_dirs(), || self.policy_attributes_here(catalog))
    }

    fn policy_attributes_here(&self, catalog: &Catalog) -> Vec<SourcePolicy> {
        let mut out = Vec::new();
        let mut pending: Vec<Vec<(String, Option<Key>)>> = vec![Vec::new()];
        let mut budget = MAX_MODULE_INSTANCES;
        let mut kept_unexpanded = std::collections::BTreeSet::new();
        while let Some(segments) = pending.pop() {
            if segments.len() > MAX_MODULE_DEPTH || budget == 0 {
                // Past the limits: every policy below stays, unevaluated, at a `[*]` address, so nothing
                // disappears from the comparison (and an unevaluated policy is never passed).
                if let Some(((name, _), parent)) = segments.split_last()
                    && let Some(parent_scope) = self.scope(parent)
                {
                    let mut child = parent_scope.path.clone();
                    child.push(name.clone());
                    if kept_unexpanded.insert((parent_scope.address.clone(), child.clone())) {
                        self.unknown_instances(&parent_scope.address, &child, catalog, &mut out);
                    }
                }
                continue;
            }
            budget -= 1;
            let Some(scope) = self.scope(&segments) else {
                continue;
            };
            let mut ctx = self.context(&scope, None);
            let blocks: Vec<&Block> = self.blocks(&scope.path).collect();
            for block in blocks {
                match (block.identifier(), block.labels.as_slice()) {
                    ("module", [name]) => {
                        let mut child = scope.path.clone();
                        child.push(name.as_str().to_string());
                        if self.module(&child).is_none() {
                            continue;
                        }
                        match self.evaluable_keys(block, &mut ctx) {
                            Some(keys) => {
                                for key in keys {
                                    let mut next = segments.clone();
                                    next.push((name.as_str().to_string(), key));
                                    pending.push(next);
                                }
                            }
                            // Instances unknown: every policy below stays, unevaluated, at a `[*]` address,
                            // so that nothing disappears from the comparison.
                            None => self.unknown_instances(&scope.address, &child, catalog, &mut out),
                        }
                    }
                    ("resource", [kind, name]) => {
                        let Some(entry) = catalog.entry(kind.as_str()) else {
                            continue;
                        };
                        let keys = match self.evaluable_keys(block, &mut ctx) {
                            Some(keys) => keys,
                            None => {
                                let local = format!("{}.{}[*]", kind.as_str(), name.as_str());
                                let address = join_address(&scope.address, &local);
                                push_unknown(&mut out, &scope.address, &address, kind.as_str(), block, entry);
                                continue;
                            }
                        };
                        for key in keys {
                            let local = format!(
                                "{}.{}{}",
                                kind.as_str(),
                                name.as_str(),
                                key.as_ref().map(Key::suffix).unwrap_or_default()
                            );
                            let address = if scope.address.is_empty() {
                                local
                            } else {
                                format!("{}.{local}", scope.address)
                            };
                            // `dynamic` nested blocks expanded where their `for_each` is known.
                            let mut instance = ctx.clone();
                            let body = match self.declare_instance(&mut instance, block, key.as_ref()) {
                                Some(()) => expand_dynamic(&block.body, &instance),
                                None => block.body.clone(),
                            };
                            for attribute in &entry.attributes {
                                if attribute.source != PolicySource::IamJson {
                                    continue;
                                }
                                for path in concrete_paths(&body, &attribute.path) {
                                    let value = self
                                        .resolve_here(&scope.address, &address, &path)
                                        .filter(|r| r.valid_json);
                                    out.push(SourcePolicy {
                                        tags: self.resource_tags(&scope, block, key.as_ref()),
                                        module_address: scope.address.clone(),
                                        address: address.clone(),
                                        resource_type: kind.as_str().to_string(),
                                        attribute: path,
                                        role: attribute.role,
                                        service: attribute.service.clone(),
                                        value,
                                    });
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        out.sort_by(|a, b| (&a.address, &a.attribute).cmp(&(&b.address, &b.attribute)));
        out
    }

    /// The `tags` of a resource instance, where they evaluate to strings (for tag annotations).
    fn resource_tags(&self, scope: &Scope, block: &Block, key: Option<&Key>) -> BTreeMap<String, String> {
        let mut ctx = self.cached_context(scope);
        if self.declare_instance(&mut ctx, block, key).is_none() {
            return BTreeMap::new();
        }
        let tags = block
            .body
            .attributes()
            .find(|a| a.key.as_str() == "tags")
            .and_then(|a| eval(&a.expr, &ctx));
        match tags {
            Some(Value::Object(map)) => map
                .into_iter()
                .filter_map(|(k, v)| match v {
                    Value::String(text) => Some((k, text)),
                    _ => None,
                })
                .collect(),
            _ => BTreeMap::new(),
        }
    }

    /// Instance keys of a block: `None` alone without count/for_each; nothing when they do not evaluate.
    fn instance_keys(&self, block: &Block, ctx: &mut Context<'_>) -> Vec<Option<Key>> {
        self.evaluable_keys(block, ctx).unwrap_or_default()
    }

    /// Instance keys of a block, or None when its count/for_each does not evaluate.
    fn evaluable_keys(&self, block: &Block, ctx: &mut Context<'_>) -> Option<Vec<Option<Key>>> {
        let attribute = |name: &str| block.body.attributes().find(|a| a.key.as_str() == name);
        if let Some(for_each) = attribute("for_each") {
            return match eval(&for_each.expr, ctx)? {
                Value::Object(map) => Some(map.keys().map(|k| Some(Key::Str(k.clone()))).collect()),
                Value::Array(items) => items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .filter(|k| !k.contains("${"))
                            .map(|k| Some(Key::Str(k.to_string())))
                    })
                    .collect(),
                _ => None,
            };
        }
        if let Some(count) = attribute("count") {
            let n = eval(&count.expr, ctx)?.as_u64()?;
            return Some((0..n.min(1000)).map(|i| Some(Key::Int(i))).collect());
        }
        Some(vec![None])
    }

    /// The policies of every resource in the module at `child` and below, at `[*]` addresses with no value:
    /// the module's instances are not known.
    fn unknown_instances(
        &self,
        parent_address: &str,
        child: &[String],
        catalog: &Catalog,
        out: &mut Vec<SourcePolicy>,
    ) {
        for path in self.index.modules.keys().filter(|p| p.starts_with(child)) {
            let mut module_address = parent_address.to_string();
            for name in &path[child.len() - 1..] {
                module_address = join_address(&module_address, &format!("module.{name}[*]"));
            }
            for block in self.blocks(path).filter(|b| b.identifier() == "resource") {
                let [kind, name] = block.labels.as_slice() else {
                    continue;
                };
                let Some(entry) = catalog.entry(kind.as_str()) else {
                    continue;
                };
                let address = join_address(&module_address, &format!("{}.{}", kind.as_str(), name.as_str()));
                push_unknown(out, &module_address, &address, kind.as_str(), block, entry);
            }
        }
    }

    fn module(&self, path: &[String]) -> Option<&ModuleSources> {
        self.index.modules.get(path)
    }

    fn blocks<'b>(&'b self, path: &[String]) -> impl Iterator<Item = &'b Block> + 'b {
        self.bodies
            .get(path)
            .into_iter()
            .flatten()
            .flat_map(|body| body.blocks())
    }

    fn block(&self, path: &[String], ident: &str, kind: &str, name: &str) -> Option<&Block> {
        self.blocks(path).find(|b| {
            b.identifier() == ident
                && b.labels.len() == 2
                && b.labels[0].as_str() == kind
                && b.labels[1].as_str() == name
        })
    }

    /// Variables, locals and data of one module instance, built from the root down.
    fn scope(&self, segments: &[(String, Option<Key>)]) -> Option<Scope> {
        let root_dir = self.module(&[])?.dir.clone();
        let mut vars = self.variable_defaults(&[]);
        let declared: Vec<(String, variables::Parsing)> = self
            .blocks(&[])
            .filter(|b| b.identifier() == "variable")
            .filter_map(|b| Some((b.labels.first()?.as_str().to_string(), variables::parsing(b))))
            .collect();
        variables::apply(&mut vars, &declared, &root_dir, self.inputs.as_ref());
        for (name, value) in &self.facts.variables {
            vars.insert(name.clone(), value.clone());
        }
        self.conform_variables(&[], &mut vars);
        let mut scope = Scope {
            segments: Vec::new(),
            path: Vec::new(),
            address: String::new(),
            dir: root_dir,
            vars,
        };
        for (name, key) in segments {
            let call = self.blocks(&scope.path).find(|b| {
                b.identifier() == "module" && b.labels.first().is_some_and(|l| l.as_str() == name)
            })?;
            let mut ctx = self.context(&scope, None);
            self.declare_instance(&mut ctx, call, key.as_ref())?;
            let mut child_path = scope.path.clone();
            child_path.push(name.clone());
            let module = self.module(&child_path)?;
            let mut vars = self.variable_defaults(&child_path);
            for attribute in call.body.attributes() {
                let key = attribute.key.as_str();
                if [
                    "source",
                    "version",
                    "for_each",
                    "count",
                    "providers",
                    "depends_on",
                ]
                .contains(&key)
                {
                    continue;
                }
                if let Some(value) = eval(&attribute.expr, &ctx) {
                    vars.insert(key.to_string(), value);
                }
            }
            self.conform_variables(&child_path, &mut vars);
            let address = format!(
                "{}{}module.{name}{}",
                scope.address,
                if scope.address.is_empty() { "" } else { "." },
                key.as_ref().map(Key::suffix).unwrap_or_default()
            );
            let mut segments = scope.segments.clone();
            segments.push((name.clone(), key.clone()));
            scope = Scope {
                segments,
                path: child_path,
                address,
                dir: module.dir.clone(),
                vars,
            };
        }
        Some(scope)
    }

    /// Each variable's value converted to its type constraint (`variables::conform`).
    fn conform_variables(&self, path: &[String], vars: &mut Map<String, Value>) {
        for block in self.blocks(path).filter(|b| b.identifier() == "variable") {
            let Some(name) = block.labels.first().map(|l| l.as_str()) else {
                continue;
            };
            if let Some(value) = vars.get_mut(name) {
                *value = variables::conform(block, std::mem::replace(value, Value::Null));
            }
        }
    }

    /// Declared variables with their defaults; those without a default are symbolic.
    fn variable_defaults(&self, path: &[String]) -> Map<String, Value> {
        let mut vars = Map::new();
        let ctx = functions::context();
        for block in self.blocks(path).filter(|b| b.identifier() == "variable") {
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            let default = block
                .body
                .attributes()
                .find(|a| a.key.as_str() == "default")
                .and_then(|a| eval(&a.expr, &ctx));
            vars.insert(
                name.clone(),
                default.unwrap_or_else(|| symbol(&format!("var.{name}"))),
            );
        }
        vars
    }

    /// The evaluation context of a module instance: functions, var, path, local, data, resources.
    fn context(&self, scope: &Scope, modules: Option<Value>) -> Context<'static> {
        let mut ctx = functions::context();
        if let Some(modules) = modules {
            ctx.declare_var("module", modules);
        }
        ctx.declare_var("var", Value::Object(scope.vars.clone()));
        let dir = scope.dir.to_string_lossy().into_owned();
        let mut path = Map::new();
        path.insert("module".to_string(), Value::String(dir.clone()));
        let root = self
            .module(&[])
            .map(|m| m.dir.to_string_lossy().into_owned())
            .unwrap_or_default();
        path.insert("root".to_string(), Value::String(root.clone()));
        path.insert("cwd".to_string(), Value::String(root));
        ctx.declare_var("path", Value::Object(path));

        // Resources: known plan values over symbolic common attributes.
        let mut resources: Map<String, Map<String, Value>> = Map::new();
        let mut data: Map<String, Map<String, Value>> = Map::new();
        for block in self.blocks(&scope.path) {
            let (ident, [kind, name]) = (block.identifier(), block.labels.as_slice()) else {
                continue;
            };
            let (kind, name) = (kind.as_str(), name.as_str());
            let (prefix, target) = match ident {
                "resource" => ("", &mut resources),
                "data" => ("data.", &mut data),
                _ => continue,
            };
            let local = format!("{prefix}{kind}.{name}");
            let address = if scope.address.is_empty() {
                local.clone()
            } else {
                format!("{}.{local}", scope.address)
            };
            let counted = block
                .body
                .attributes()
                .any(|a| a.key.as_str() == "count" || a.key.as_str() == "for_each");
            // Symbols name the absolute address, so that they say which module's resource they are.
            let value = if counted {
                self.instances_value(block, &address, &address, &ctx)
            } else {
                self.resource_value(&address, &address)
            };
            target
                .entry(kind.to_string())
                .or_default()
                .insert(name.to_string(), value);
        }
        for (kind, names) in resources {
            ctx.declare_var(kind.as_str(), Value::Object(names.into_iter().collect()));
        }

        // Locals and policy documents can refer to each other: each is evaluated once, after what it refers
        // to, within a work budget (`locals`). An evaluation sees `local` and `data.aws_iam_policy_document`
        // holding only what it refers to, so that a reference does not copy every other value.
        let local_attributes: Vec<(String, Expression)> = self
            .blocks(&scope.path)
            .filter(|b| b.identifier() == "locals")
            .flat_map(|b| b.body.attributes())
            .map(|a| (a.key.as_str().to_string(), a.expr.clone()))
            .collect();
        let document_blocks: Vec<&Block> = self
            .blocks(&scope.path)
            .filter(|b| {
                b.identifier() == "data"
                    && b.labels.len() == 2
                    && b.labels[0].as_str() == "aws_iam_policy_document"
            })
            .collect();
        let graph = Graph::new(
            local_attributes
                .iter()
                .map(|(name, expr)| (name.clone(), References::of_expression(expr)))
                .collect(),
            document_blocks
                .iter()
                .map(|b| (b.labels[1].as_str().to_string(), References::of_body(&b.body)))
                .collect(),
        );
        let data_value = |data: &Map<String, Map<String, Value>>| {
            Value::Object(
                data.iter()
                    .map(|(k, v)| (k.clone(), Value::Object(v.clone().into_iter().collect())))
                    .collect(),
            )
        };
        // What the plan (or the symbols) say of each document, where its evaluation gives nothing better.
        let base_documents = data.shift_remove("aws_iam_policy_document").unwrap_or_default();
        let other_data = data_value(&data);
        let local_value = |name: &str, outcome: Option<&Outcome>| match outcome {
            Some(Outcome::Value(value)) => value.clone(),
            Some(Outcome::OverBudget) => symbol(&format!("local.{name}{OVER_BUDGET}")),
            // Not evaluable, or still being evaluated (a cycle): symbolic.
            Some(Outcome::Failed) | None => symbol(&format!("local.{name}")),
        };
        let document_value = |name: &str, outcome: Option<&Outcome>| match outcome {
            Some(Outcome::Value(value)) => Some(value.clone()),
            Some(Outcome::OverBudget) => {
                let text = symbol(&format!("data.aws_iam_policy_document.{name}{OVER_BUDGET}"));
                let mut value = Map::new();
                value.insert("json".to_string(), text.clone());
                value.insert("minified_json".to_string(), text);
                Some(Value::Object(value))
            }
            Some(Outcome::Failed) | None => base_documents.get(name).cloned(),
        };
        let with_documents = |mut data: Value, documents: Map<String, Value>| {
            if !documents.is_empty()
                && let Value::Object(kinds) = &mut data
            {
                kinds.insert("aws_iam_policy_document".to_string(), Value::Object(documents));
            }
            data
        };
        let outcomes = graph.evaluate(LOCALS_WORK_BUDGET, |node, inputs| {
            let locals: Map<String, Value> = inputs
                .locals
                .iter()
                .map(|(name, outcome)| (name.to_string(), local_value(name, *outcome)))
                .collect();
            let documents: Map<String, Value> = inputs
                .documents
                .iter()
                .filter_map(|(name, outcome)| Some((name.to_string(), document_value(name, *outcome)?)))
                .collect();
            ctx.declare_var("local", Value::Object(locals));
            ctx.declare_var("data", with_documents(other_data.clone(), documents));
            match node.checked_sub(local_attributes.len()) {
                None => eval(&local_attributes[node].1, &ctx),
                Some(document) => self.document_value(document_blocks[document], &mut ctx),
            }
        });
        let mut locals = Map::new();
        let mut documents: Map<String, Value> = base_documents.clone().into_iter().collect();
        for (node, outcome) in outcomes.iter().enumerate() {
            if !graph.is_current(node) {
                continue;
            }
            match node.checked_sub(local_attributes.len()) {
                None => {
                    let name = &local_attributes[node].0;
                    locals.insert(name.clone(), local_value(name, Some(outcome)));
                }
                Some(document) => {
                    let name = document_blocks[document].labels[1].as_str();
                    if let Some(value) = document_value(name, Some(outcome)) {
                        documents.insert(name.to_string(), value);
                    }
                }
            }
        }
        ctx.declare_var("local", Value::Object(locals));
        ctx.declare_var("data", with_documents(other_data, documents));
        ctx
    }

    /// The value of a `data "aws_iam_policy_document"`: `{json, minified_json}`, or a map (for_each) or list
    /// (count) of those.
    fn document_value(&self, block: &Block, ctx: &mut Context<'_>) -> Option<Value> {
        let rendered = |ctx: &Context<'_>| {
            let json = policy_document(&block.body, ctx)?;
            let mut value = Map::new();
            value.insert("json".to_string(), Value::String(json.clone()));
            value.insert("minified_json".to_string(), Value::String(json));
            Some(Value::Object(value))
        };
        let attribute = |name: &str| block.body.attributes().find(|a| a.key.as_str() == name);
        if let Some(for_each) = attribute("for_each") {
            let keys: Vec<String> = match eval(&for_each.expr, ctx)? {
                Value::Object(map) => map.keys().cloned().collect(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                _ => return None,
            };
            let mut out = Map::new();
            for key in keys {
                self.declare_instance(ctx, block, Some(&Key::Str(key.clone())))?;
                out.insert(key, rendered(ctx)?);
            }
            return Some(Value::Object(out));
        }
        if let Some(count) = attribute("count") {
            let n = eval(&count.expr, ctx)?.as_u64()?;
            let mut out = Vec::new();
            for index in 0..n.min(1000) {
                self.declare_instance(ctx, block, Some(&Key::Int(index)))?;
                out.push(rendered(ctx)?);
            }
            return Some(Value::Array(out));
        }
        rendered(ctx)
    }

    /// A resource with `count` (a list of instances) or `for_each` (a map): the instances the plan has, else
    /// those its count/for_each evaluates to, each with what the plan knows over symbols.
    fn instances_value(&self, block: &Block, address: &str, local: &str, ctx: &Context<'_>) -> Value {
        let prefix = format!("{address}[");
        let mut keys: Vec<Key> = self
            .facts
            .values
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, _)| parse_key(&k[address.len()..]).map(|(key, _)| key))
            .collect();
        if keys.is_empty() {
            let mut ctx = ctx.clone();
            keys = self
                .instance_keys(block, &mut ctx)
                .into_iter()
                .flatten()
                .collect();
        }
        let instance = |key: &Key| {
            let suffix = key.suffix();
            self.resource_value(&format!("{address}{suffix}"), &format!("{local}{suffix}"))
        };
        if keys.iter().all(|k| matches!(k, Key::Int(_)))
            && block.body.attributes().any(|a| a.key.as_str() == "count")
        {
            let mut numbered: Vec<(u64, Value)> = keys
                .iter()
                .filter_map(|k| match k {
                    Key::Int(n) => Some((*n, instance(k))),
                    Key::Str(_) => None,
                })
                .collect();
            numbered.sort_by_key(|(n, _)| *n);
            Value::Array(numbered.into_iter().map(|(_, v)| v).collect())
        } else {
            Value::Object(
                keys.iter()
                    .filter_map(|k| match k {
                        Key::Str(s) => Some((s.clone(), instance(k))),
                        Key::Int(_) => None,
                    })
                    .collect(),
            )
        }
    }

    /// A resource's value: what the plan knows, over symbols for the commonly referenced attributes.
    fn resource_value(&self, address: &str, local: &str) -> Value {
        let mut object: Map<String, Value> = SYMBOLIC_ATTRIBUTES
            .iter()
            .map(|attribute| (attribute.to_string(), symbol(&format!("{local}.{attribute}"))))
            .collect();
        let known = self
            .facts
            .values
            .get(address)
            .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw.get()).ok());
        if let Some(serde_json::Value::Object(known)) = known {
            for (key, value) in known {
                if !value.is_null() {
                    object.insert(key, json_to_value(&value));
                }
            }
        }
        Value::Object(object)
    }

    /// Declares `count.index` or `each.key`/`each.value` for an instance of a block with `count`/`for_each`.
    fn declare_instance(&self, ctx: &mut Context<'_>, block: &Block, key: Option<&Key>) -> Option<()> {
        let Some(key) = key else { return Some(()) };
        match key {
            Key::Int(n) => {
                let mut count = Map::new();
                count.insert("index".to_string(), Value::from(*n));
                ctx.declare_var("count", Value::Object(count));
            }
            Key::Str(k) => {
                let for_each = block.body.attributes().find(|a| a.key.as_str() == "for_each")?;
                let value = match eval(&for_each.expr, ctx)? {
                    Value::Object(map) => map.get(k).cloned()?,
                    Value::Array(items) => items.into_iter().find(|v| v.as_str() == Some(k.as_str()))?,
                    _ => return None,
                };
                let mut each = Map::new();
                each.insert("key".to_string(), Value::String(k.clone()));
                each.insert("value".to_string(), value);
                ctx.declare_var("each", Value::Object(each));
            }
        }
        Some(())
    }
}

/// A policy attribute found in the sources, with its value evaluated (None when it does not evaluate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePolicy {
    pub module_address: String,
    pub address: String,
    pub resource_type: String,
    pub attribute: String,
    pub role: PolicyRole,
    pub service: String,
    pub value: Option<Resolved>,
    /// The resource's `tags` (string values only), for tag annotations.
    pub tags: BTreeMap<String, String>,
}

fn join_address(module_address: &str, local: &str) -> String {
    if module_address.is_empty() {
        local.to_string()
    } else {
        format!("{module_address}.{local}")
    }
}

/// The policy attributes of a resource whose instances are not known, each with no value.
fn push_unknown(
    out: &mut Vec<SourcePolicy>,
    module_address: &str,
    address: &str,
    kind: &str,
    block: &Block,
    entry: &crate::catalog::CatalogEntry,
) {
    for attribute in entry
        .attributes
        .iter()
        .filter(|a| a.source == PolicySource::IamJson)
    {
        for path in concrete_paths(&block.body, &attribute.path) {
            out.push(SourcePolicy {
                module_address: module_address.to_string(),
                address: address.to_string(),
                resource_type: kind.to_string(),
                attribute: path,
                role: attribute.role,
                service: attribute.service.clone(),
                value: None,
                tags: BTreeMap::new(),
            });
        }
    }
}

/// The concrete paths of a catalog attribute path in one resource body: `assume_role_policy` when the body
/// sets it; `inline_policy[*].policy` → one path per nested block that sets `policy` (`a[0].b`, `a.b`: that
/// block). A nested block may also be written as an argument holding an object or a list of objects (a
/// `.tf.json` file, whose reader knows only the built-in catalog's nested blocks). A deeper path that the body
/// touches is kept as written, so that it is never dropped (it does not evaluate: unverifiable).
fn concrete_paths(body: &Body, path: &crate::catalog::AttributePath) -> Vec<String> {
    let has = |elements: &[Nested<'_>], at: usize, name: &str| {
        elements
            .get(at)
            .is_some_and(|element| element.member(name).is_some())
    };
    // A `dynamic` block of the nested type left unexpanded (its `for_each` not known): the policies it
    // writes cannot be listed, so the path stands as written.
    if let [PathStep::Key(outer), _, ..] = path.steps.as_slice()
        && body
            .blocks()
            .any(|b| b.identifier() == "dynamic" && b.labels.first().is_some_and(|l| l.as_str() == outer))
    {
        return vec![path.to_string()];
    }
    match path.steps.as_slice() {
        [PathStep::Key(name)] => body
            .attributes()
            .any(|a| a.key.as_str() == name)
            .then(|| name.clone())
            .into_iter()
            .collect(),
        [PathStep::Key(outer), PathStep::EachElement, PathStep::Key(name)] => {
            let elements = nested(body, outer);
            (0..elements.len())
                .filter(|&i| has(&elements, i, name))
                .map(|i| format!("{outer}[{i}].{name}"))
                .collect()
        }
        [PathStep::Key(outer), PathStep::Index(at), PathStep::Key(name)] => {
            has(&nested(body, outer), *at, name)
                .then(|| format!("{outer}[{at}].{name}"))
                .into_iter()
                .collect()
        }
        [PathStep::Key(outer), PathStep::Key(name)] => has(&nested(body, outer), 0, name)
            .then(|| format!("{outer}.{name}"))
            .into_iter()
            .collect(),
        [PathStep::Key(first), ..] => (body.attributes().any(|a| a.key.as_str() == first)
            || body.blocks().any(|b| b.identifier() == first))
        .then(|| path.to_string())
        .into_iter()
        .collect(),
        _ => Vec::new(),
    }
}

/// `body` with each `dynamic` nested block whose `for_each` is known replaced by the blocks it writes, in
/// place (Terraform keeps static and dynamic blocks in source order), their arguments evaluated with the
/// iterator; an argument that does not evaluate stays as written (it then does not evaluate either). A
/// `dynamic` block whose `for_each` is not known stays.
fn expand_dynamic(body: &Body, ctx: &Context<'_>) -> Body {
    if !body.blocks().any(|b| b.identifier() == "dynamic") {
        return body.clone();
    }
    let mut out = Vec::with_capacity(body.0.len());
    for structure in &body.0 {
        let hcl::Structure::Block(block) = structure else {
            out.push(structure.clone());
            continue;
        };
        let name = match block.labels.first() {
            Some(label) if block.identifier() == "dynamic" => label.as_str().to_string(),
            _ => {
                out.push(structure.clone());
                continue;
            }
        };
        let alone = Body(vec![structure.clone()]);
        let Some(expanded) = expand_blocks(&alone, &name, ctx) else {
            out.push(structure.clone());
            continue;
        };
        for (content, child) in expanded {
            let written = content
                .0
                .iter()
                .map(|inner| match inner {
                    hcl::Structure::Attribute(attribute) => match eval(&attribute.expr, &child) {
                        Some(value) => hcl::Structure::Attribute(hcl::Attribute::new(
                            attribute.key.clone(),
                            Expression::from(value),
                        )),
                        None => inner.clone(),
                    },
                    other => other.clone(),
                })
                .collect();
            let mut nested = Block::new(hcl::Identifier::sanitized(&name));
            nested.body = Body(written);
            out.push(hcl::Structure::Block(nested));
        }
    }
    Body(out)
}

/// One element of a nested block type: a block, or an object in an argument of that name.
enum Nested<'b> {
    Block(&'b Body),
    Object(&'b hcl::expr::Object<hcl::expr::ObjectKey, Expression>),
}

impl<'b> Nested<'b> {
    /// The expression of the argument `name` of this element.
    fn member(&self, name: &str) -> Option<&'b Expression> {
        match self {
            Nested::Block(body) => body
                .attributes()
                .find(|a| a.key.as_str() == name)
                .map(|a| &a.expr),
            Nested::Object(object) => object.iter().find_map(|(key, value)| {
                let key = match key {
                    hcl::expr::ObjectKey::Identifier(id) => id.as_str(),
                    hcl::expr::ObjectKey::Expression(Expression::String(text)) => text.as_str(),
                    _ => return None,
                };
                (key == name).then_some(value)
            }),
        }
    }
}

/// The elements of the nested block type `name` in `body`: its blocks, else the objects of an argument of
/// that name (one object, or a list of objects).
fn nested<'b>(body: &'b Body, name: &str) -> Vec<Nested<'b>> {
    let blocks: Vec<Nested<'b>> = body
        .blocks()
        .filter(|b| b.identifier() == name)
        .map(|b| Nested::Block(&b.body))
        .collect();
    if !blocks.is_empty() {
        return blocks;
    }
    let object = |expr: &'b Expression| match expr {
        Expression::Object(object) => Some(Nested::Object(object)),
        _ => None,
    };
    match body
        .attributes()
        .find(|a| a.key.as_str() == name)
        .map(|a| &a.expr)
    {
        Some(Expression::Array(items)) => items.iter().filter_map(object).collect(),
        Some(other) => object(other).into_iter().collect(),
        None => Vec::new(),
    }
}

struct Scope {
    segments: Vec<(String, Option<Key>)>,
    path: Vec<String>,
    /// Module instance address (`module.a["k"]`), empty at the root.
    address: String,
    dir: PathBuf,
    vars: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Int(u64),
    Str(String),
}

impl Key {
    fn suffix(&self) -> String {
        match self {
            Key::Int(n) => format!("[{n}]"),
            Key::Str(s) => format!("[{}]", serde_json::Value::String(s.clone())),
        }
    }
}

/// Evaluates an expression (after resolving `try` and `can`, whose arguments may fail), with object keys
/// in lexical order as Terraform keeps them.
fn eval(expr: &Expression, ctx: &Context<'_>) -> Option<Value> {
    prepare(expr, ctx).evaluate(ctx).ok().map(sorted)
}

/// Wraps an expression whose value can be an object in the function that sorts its keys, so that
/// `values()`, `keys()` and `for` see every object in Terraform's lexicographic key order, not in the order
/// it was written (`values({z = 1, a = 2})` is `[2, 1]`).
fn in_key_order(expr: Expression) -> Expression {
    let mut call = hcl::expr::FuncCall::new(hcl::Identifier::sanitized(functions::SORTED));
    call.args.push(expr);
    Expression::FuncCall(Box::new(call))
}

/// Replaces `try(…)` by its first argument that evaluates and `can(…)` by whether it does; hcl-rs would
/// evaluate every argument first and fail on the first that cannot be.
fn prepare(expr: &Expression, ctx: &Context<'_>) -> Expression {
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "try" => call
            .args
            .iter()
            .find_map(|arg| prepare(arg, ctx).evaluate(ctx).ok())
            .map(|value| Expression::from(sorted(value)))
            .unwrap_or_else(|| expr.clone()),
        Expression::FuncCall(call) if call.name.name.as_str() == "can" => {
            let ok = call
                .args
                .first()
                .is_some_and(|arg| prepare(arg, ctx).evaluate(ctx).is_ok());
            Expression::Bool(ok)
        }
        Expression::FuncCall(call) => {
            let mut call = call.clone();
            call.args = call.args.iter().map(|arg| prepare(arg, ctx)).collect();
            in_key_order(Expression::FuncCall(call))
        }
        Expression::Array(items) => Expression::Array(items.iter().map(|e| prepare(e, ctx)).collect()),
        Expression::Object(object) => in_key_order(Expression::Object(
            object
                .iter()
                .map(|(key, value)| (key.clone(), prepare(value, ctx)))
                .collect(),
        )),
        Expression::Traversal(traversal) => {
            let mut traversal = traversal.clone();
            traversal.expr = prepare(&traversal.expr, ctx);
            Expression::Traversal(traversal)
        }
        Expression::TemplateExpr(template) => prepare_template(template, ctx).unwrap_or_else(|| expr.clone()),
        Expression::ForExpr(for_expr) => {
            let mut for_expr = for_expr.clone();
            for_expr.collection_expr = in_key_order(prepare(&for_expr.collection_expr, ctx));
            for_expr.value_expr = prepare(&for_expr.value_expr, ctx);
            if let Some(key) = &for_expr.key_expr {
                for_expr.key_expr = Some(prepare(key, ctx));
            }
            if let Some(cond) = &for_expr.cond_expr {
                for_expr.cond_expr = Some(prepare(cond, ctx));
            }
            Expression::ForExpr(for_expr)
        }
        Expression::Parenthesis(inner) => Expression::Parenthesis(Box::new(prepare(inner, ctx))),
        Expression::Conditional(conditional) => {
            let mut conditional = conditional.clone();
            conditional.cond_expr = prepare(&conditional.cond_expr, ctx);
            conditional.true_expr = prepare(&conditional.true_expr, ctx);
            conditional.false_expr = prepare(&conditional.false_expr, ctx);
            Expression::Conditional(conditional)
        }
        other => other.clone(),
    }
}

/// A template (quoted or heredoc) with its interpolations and directives prepared, so that objects built
/// inside `${…}` and iterated by `%{for}` are in key order too; None when nothing changes. The result is a
/// quoted template of the same text: hcl-rs evaluates both kinds from their template text alike.
fn prepare_template(template: &hcl::expr::TemplateExpr, ctx: &Context<'_>) -> Option<Expression> {
    use hcl::template::Template;
    let parsed = Template::from_expr(template).ok()?;
    let prepared = prepare_elements(&parsed, ctx);
    if prepared == parsed {
        return None;
    }
    let rebuilt = prepared.to_string();
    // Only when the text reads back as the same template (the formatter writes literals as they are).
    (rebuilt.parse::<Template>().ok()? == prepared)
        .then(|| Expression::TemplateExpr(Box::new(hcl::expr::TemplateExpr::QuotedString(rebuilt))))
}

fn prepare_elements(template: &hcl::template::Template, ctx: &Context<'_>) -> hcl::template::Template {
    use hcl::template::{Directive, Element, Template};
    template
        .elements()
        .iter()
        .map(|element| match element {
            Element::Literal(_) => element.clone(),
            Element::Interpolation(interpolation) => {
                let mut interpolation = interpolation.clone();
                interpolation.expr = prepare(&interpolation.expr, ctx);
                Element::Interpolation(interpolation)
            }
            Element::Directive(directive) => match &**directive {
                Directive::If(branch) => {
                    let mut branch = branch.clone();
                    branch.cond_expr = prepare(&branch.cond_expr, ctx);
                    branch.true_template = prepare_elements(&branch.true_template, ctx);
                    branch.false_template = branch.false_template.as_ref().map(|t| prepare_elements(t, ctx));
                    Element::Directive(Box::new(Directive::If(branch)))
                }
                Directive::For(each) => {
                    let mut each = each.clone();
                    each.collection_expr = in_key_order(prepare(&each.collection_expr, ctx));
                    each.template = prepare_elements(&each.template, ctx);
                    Element::Directive(Box::new(Directive::For(each)))
                }
            },
        })
        .collect::<Template>()
}

/// Object keys in lexical order, recursively (Terraform maps and objects are ordered so).
fn sorted(value: Value) -> Value {
    functions::key_order(value)
}

fn symbol(reference: &str) -> Value {
    Value::String(format!("${{{reference}}}"))
}

fn json_to_value(value: &serde_json::Value) -> Value {
    serde_json::from_value(value.clone()).unwrap_or(Value::Null)
}

fn plan_variables(raw: &RawValue) -> Map<String, Value> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(raw.get()) else {
        return Map::new();
    };
    map.into_iter()
        .filter_map(|(name, entry)| Some((name, json_to_value(entry.get("value")?))))
        .collect()
}

/// `module.a["k"].module.b[0]` → `[("a", Some("k")), ("b", Some(0))]`.
fn module_segments(module_address: &str) -> Option<Vec<(String, Option<Key>)>> {
    let mut out = Vec::new();
    let mut rest = module_address;
    while !rest.is_empty() {
        rest = rest.strip_prefix("module.")?;
        let end = rest.find(['[', '.']).unwrap_or(rest.len());
        let name = rest[..end].to_string();
        rest = &rest[end..];
        let (key, after) = if rest.starts_with('[') {
            let (key, len) = parse_key(rest)?;
            (Some(key), &rest[len..])
        } else {
            (None, rest)
        };
        out.push((name, key));
        rest = after.strip_prefix('.').unwrap_or(after);
    }
    Some(out)
}

/// `module.a["k"].aws_iam_role.x[0]` → (`module.a["k"]`, `aws_iam_role.x[0]`).
pub fn split_module_address(address: &str) -> Option<(String, &str)> {
    let mut rest = address;
    let mut module = String::new();
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['[', '.'])?;
        let (name, tail) = after.split_at(end);
        let (key, tail) = if tail.starts_with('[') {
            let (key, len) = parse_key(tail)?;
            (Some(key), &tail[len..])
        } else {
            (None, tail)
        };
        if !module.is_empty() {
            module.push('.');
        }
        module.push_str("module.");
        module.push_str(name);
        module.push_str(&key.as_ref().map(Key::suffix).unwrap_or_default());
        rest = tail.strip_prefix('.')?;
    }
    Some((module, rest))
}

/// `aws_iam_role.x[0]` → (`aws_iam_role.x`, Some(0)).
fn split_instance(local: &str) -> Option<(&str, Option<Key>)> {
    match local.find('[') {
        None => Some((local, None)),
        Some(at) => {
            let (key, len) = parse_key(&local[at..])?;
            (len == local.len() - at).then_some((&local[..at], Some(key)))
        }
    }
}

/// A leading `[0]` or `["key"]` and its length.
fn parse_key(text: &str) -> Option<(Key, usize)> {
    let inner = text.strip_prefix('[')?;
    if inner.starts_with('"') {
        let mut de = serde_json::Deserializer::from_str(inner).into_iter::<String>();
        let key = de.next()?.ok()?;
        let used = de.byte_offset();
        inner[used..]
            .starts_with(']')
            .then_some((Key::Str(key), used + 2))
    } else {
        let end = inner.find(']')?;
        let n = inner[..end].parse().ok()?;
        Some((Key::Int(n), end + 2))
    }
}

/// The expression of `inline_policy[0].policy` (the first-level attribute, or one of a nested block, written
/// as a block or as an object in an argument of the block's name).
fn attribute_expression<'b>(body: &'b Body, attribute: &str) -> Option<&'b Expression> {
    let mut parts = attribute.split('.');
    let first = parts.next()?;
    match parts.next() {
        None => body
            .attributes()
            .find(|a| a.key.as_str() == first)
            .map(|a| &a.expr),
        Some(inner) => {
            let (block_name, index) = match first.split_once('[') {
                Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()?),
                None => (first, 0),
            };
            if parts.next().is_some() {
                return None;
            }
            nested(body, block_name).get(index)?.member(inner)
        }
    }
}

/// Renders an `aws_iam_policy_document` body as the provider does; None when it uses what is not
/// supported here (a failed expression, a `dynamic` block whose `for_each` is not known).
pub fn policy_document(body: &Body, ctx: &Context<'_>) -> Option<String> {
    let attribute = |name: &str| -> Option<Option<Value>> {
        match body.attributes().find(|a| a.key.as_str() == name) {
            None => Some(None),
            Some(a) => eval(&a.expr, ctx).map(Some),
        }
    };
    let documents = |name: &str| -> Option<Vec<Vec<serde_json::Value>>> {
        let Some(value) = attribute(name)? else {
            return Some(Vec::new());
        };
        let Value::Array(items) = value else { return None };
        items
            .iter()
            .map(|item| {
                let text = item.as_str()?;
                let parsed: serde_json::Value = serde_json::from_str(text).ok()?;
                Some(match parsed.get("Statement")? {
                    serde_json::Value::Array(list) => list.clone(),
                    single => vec![single.clone()],
                })
            })
            .collect()
    };
    let sources = documents("source_policy_documents")?;
    let overrides = documents("override_policy_documents")?;
    let mut statements: Vec<serde_json::Value> = sources.into_iter().flatten().collect();
    for (block, ctx) in expand_blocks(body, "statement", ctx)? {
        let statement = render_statement(block, &ctx)?;
        place(&mut statements, statement);
    }
    for statement in overrides.into_iter().flatten() {
        place(&mut statements, statement);
    }
    let mut document = serde_json::Map::new();
    let version = match attribute("version")? {
        Some(Value::String(v)) => v,
        _ => "2012-10-17".to_string(),
    };
    document.insert("Version".to_string(), serde_json::Value::String(version));
    if let Some(Value::String(id)) = attribute("policy_id")? {
        document.insert("Id".to_string(), serde_json::Value::String(id));
    }
    document.insert("Statement".to_string(), serde_json::Value::Array(statements));
    serde_json::to_string(&document).ok()
}

/// A statement with a Sid replaces the one with the same Sid; any other is appended.
fn place(statements: &mut Vec<serde_json::Value>, statement: serde_json::Value) {
    let sid = statement
        .get("Sid")
        .and_then(|s| s.as_str())
        .filter(|s| !s.is_empty());
    if let Some(sid) = sid
        && let Some(existing) = statements
            .iter_mut()
            .find(|s| s.get("Sid").and_then(|x| x.as_str()) == Some(sid))
    {
        *existing = statement;
        return;
    }
    statements.push(statement);
}

fn strings(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// One string as a string, several as a sorted list (the provider stores these as sets).
fn string_or_list(mut items: Vec<String>) -> serde_json::Value {
    items.sort();
    items.dedup();
    if items.len() == 1 {
        serde_json::Value::String(items.remove(0))
    } else {
        serde_json::Value::Array(items.into_iter().map(serde_json::Value::String).collect())
    }
}

/// The blocks called `name` in `body`, in order, each with the context its content is evaluated in: a
/// plain block as it is, and a `dynamic "name"` block once per element of its `for_each`, with the iterator
/// (`name`, or its `iterator` attribute) declared as `{key, value}`. None when a `for_each` is not known
/// (fails, is symbolic, or has symbolic keys): the blocks it would write cannot be known, so the document
/// must stay unknown rather than lose them.
fn expand_blocks<'b, 'c>(
    body: &'b Body,
    name: &str,
    ctx: &Context<'c>,
) -> Option<Vec<(&'b Body, Context<'c>)>> {
    let mut out = Vec::new();
    for block in body.blocks() {
        if block.identifier() == name && block.labels.is_empty() {
            out.push((&block.body, ctx.clone()));
            continue;
        }
        if block.identifier() != "dynamic" || block.labels.first().map(|l| l.as_str()) != Some(name) {
            continue;
        }
        let attribute = |key: &str| block.body.attributes().find(|a| a.key.as_str() == key);
        let iterator = match attribute("iterator") {
            None => name.to_string(),
            Some(a) => match &a.expr {
                Expression::Variable(v) => v.as_str().to_string(),
                _ => return None,
            },
        };
        let for_each = eval(&attribute("for_each")?.expr, ctx)?;
        let elements: Vec<(Value, Value)> = match for_each {
            Value::Null => Vec::new(),
            Value::Object(map) => {
                if map.keys().any(|k| k.contains("${")) {
                    return None;
                }
                map.into_iter().map(|(k, v)| (Value::String(k), v)).collect()
            }
            Value::Array(items) => {
                // A set of values, some of them unknown, could have fewer elements than it seems.
                if items.iter().any(|v| v.as_str().is_some_and(|s| s.contains("${"))) {
                    return None;
                }
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| (Value::from(i as u64), v))
                    .collect()
            }
            _ => return None,
        };
        let content = block
            .body
            .blocks()
            .find(|b| b.identifier() == "content" && b.labels.is_empty())?;
        for (key, value) in elements {
            let mut child = ctx.clone();
            let mut each = Map::new();
            each.insert("key".to_string(), key);
            each.insert("value".to_string(), value);
            child.declare_var(iterator.clone(), Value::Object(each));
            out.push((&content.body, child));
        }
    }
    Some(out)
}

fn render_statement(body: &Body, ctx: &Context<'_>) -> Option<serde_json::Value> {
    let mut out = serde_json::Map::new();
    let value = |name: &str| -> Option<Option<Value>> {
        match body.attributes().find(|a| a.key.as_str() == name) {
            None => Some(None),
            Some(a) => eval(&a.expr, ctx).map(Some),
        }
    };
    if let Some(Value::String(sid)) = value("sid")?
        && !sid.is_empty()
    {
        out.insert("Sid".to_string(), serde_json::Value::String(sid));
    }
    let effect = match value("effect")? {
        Some(Value::String(e)) => e,
        None => "Allow".to_string(),
        Some(_) => return None,
    };
    out.insert("Effect".to_string(), serde_json::Value::String(effect));
    for (attribute, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = value(attribute)? {
            let items = strings(&v)?;
            if !items.is_empty() {
                out.insert(key.to_string(), string_or_list(items));
            }
        }
    }
    for (block_name, key) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
        let mut by_type: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (block, ctx) in expand_blocks(body, block_name, ctx)? {
            let inner = |name: &str| {
                block
                    .attributes()
                    .find(|a| a.key.as_str() == name)
                    .and_then(|a| eval(&a.expr, &ctx))
            };
            let kind = inner("type")?.as_str()?.to_string();
            let identifiers = strings(&inner("identifiers")?)?;
            by_type.entry(kind).or_default().extend(identifiers);
        }
        if by_type.is_empty() {
            continue;
        }
        let principal = if by_type.len() == 1 && by_type.get("*").is_some_and(|ids| ids == &["*"]) {
            serde_json::Value::String("*".to_string())
        } else {
            serde_json::Value::Object(
                by_type
                    .into_iter()
                    .map(|(kind, ids)| (kind, string_or_list(ids)))
                    .collect(),
            )
        };
        out.insert(key.to_string(), principal);
    }
    let mut conditions: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
    for (block, ctx) in expand_blocks(body, "condition", ctx)? {
        let inner = |name: &str| {
            block
                .attributes()
                .find(|a| a.key.as_str() == name)
                .and_then(|a| eval(&a.expr, &ctx))
        };
        let test = inner("test")?.as_str()?.to_string();
        let variable = inner("variable")?.as_str()?.to_string();
        let values = strings(&inner("values")?)?;
        let entry = conditions.entry(test).or_default();
        // Two conditions with the same test and variable: the provider merges their values.
        let mut merged = match entry.remove(&variable) {
            Some(serde_json::Value::String(s)) => vec![s],
            Some(serde_json::Value::Array(list)) => list
                .into_iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        merged.extend(values);
        entry.insert(variable, string_or_list(merged));
    }
    if !conditions.is_empty() {
        out.insert(
            "Condition".to_string(),
            serde_json::Value::Object(
                conditions
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::Object(v)))
                    .collect(),
            ),
        );
    }
    Some(serde_json::Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_modules_and_keys() {
        assert_eq!(
            module_segments("module.a[\"k.x]\"].module.b[0]").unwrap(),
            vec![
                ("a".to_string(), Some(Key::Str("k.x]".to_string()))),
                ("b".to_string(), Some(Key::Int(0)))
            ]
        );
        assert_eq!(module_segments("").unwrap(), vec![]);
        assert!(module_segments("module.a[\"open").is_none());
        assert_eq!(
            split_instance("aws_iam_role.x[\"k\"]").unwrap(),
            ("aws_iam_role.x", Some(Key::Str("k".to_string())))
        );
        assert_eq!(
            split_instance("aws_iam_role.x").unwrap(),
            ("aws_iam_role.x", None)
        );
    }

    #[test]
    fn module_prefixes_split_off() {
        assert_eq!(
            split_module_address("module.a[\"k.x\"].module.b[0].aws_iam_role.r[1]").unwrap(),
            ("module.a[\"k.x\"].module.b[0]".to_string(), "aws_iam_role.r[1]")
        );
        assert_eq!(
            split_module_address("aws_iam_role.r").unwrap(),
            (String::new(), "aws_iam_role.r")
        );
        assert!(split_module_address("module.a").is_none());
    }

    #[test]
    fn objects_are_iterated_in_key_order_also_inside_templates() {
        let body = hcl::parse(
            r#"a = "q\"${[for k, v in { z = "own", a = "ext" } : v][0]}-${keys({ b = 1, a = 2 })[0]}\\"
b = [for k, v in { z = "own", a = "ext" } : "${k}=${v}"]
c = values({ z = "own", a = "ext" })[0]
"#,
        )
        .unwrap();
        let ctx = functions::context();
        let value = |name: &str| {
            let attribute = body.attributes().find(|a| a.key.as_str() == name).unwrap();
            eval(&attribute.expr, &ctx).unwrap()
        };
        assert_eq!(value("a"), Value::String("q\"ext-a\\".to_string()));
        assert_eq!(
            value("b"),
            Value::Array(vec![Value::String("a=ext".into()), Value::String("z=own".into())])
        );
        assert_eq!(value("c"), Value::String("ext".into()));
    }

    #[test]
    fn symbols_are_listed() {
        assert_eq!(
            symbols_in("a ${x.y} b ${var.z} ${x.y} ${open"),
            vec!["var.z".to_string(), "x.y".to_string()]
        );
    }

    fn document(source: &str) -> serde_json::Value {
        let body = hcl::parse(source).unwrap();
        let mut ctx = functions::context();
        let mut var = Map::new();
        var.insert("account".to_string(), Value::String("222222222222".to_string()));
        ctx.declare_var("var", Value::Object(var));
        serde_json::from_str(&policy_document(&body, &ctx).unwrap()).unwrap()
    }

    #[test]
    fn renders_policy_documents_like_the_provider() {
        let json = document(
            r#"
            source_policy_documents = [jsonencode({Statement = [{Sid = "A", Effect = "Allow", Action = "s3:Get*", Resource = "*"},
                                                               {Sid = "B", Effect = "Allow", Action = "s3:Put*", Resource = "*"}]})]
            override_policy_documents = [jsonencode({Statement = {Sid = "B", Effect = "Deny", Action = "s3:*", Resource = "*"}})]
            statement {
              sid = "A"
              actions = ["sts:AssumeRole", "sts:TagSession", "sts:AssumeRole"]
              principals {
                type = "AWS"
                identifiers = ["arn:aws:iam::${var.account}:root"]
              }
              condition {
                test = "StringEquals"
                variable = "sts:ExternalId"
                values = ["x"]
              }
            }
            statement {
              not_actions = ["iam:*"]
              not_resources = ["arn:aws:s3:::b"]
              principals {
                type = "*"
                identifiers = ["*"]
              }
            }
            "#,
        );
        assert_eq!(
            json,
            serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "A", "Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"],
                     "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                     "Condition": {"StringEquals": {"sts:ExternalId": "x"}}},
                    {"Sid": "B", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
                    {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b", "Principal": "*"}
                ]
            })
        );
    }

    #[test]
    fn dynamic_blocks_are_not_guessed() {
        // A for_each known only after apply (a symbol, or a map keyed by one): the document stays unknown,
        // never reduced to its static statements.
        for for_each in ["var.unknown", "{ (var.unknown) = 1 }", "[var.unknown]"] {
            let source = format!(
                "statement {{\n actions = [\"s3:GetObject\"]\n}}\n\
                 dynamic \"statement\" {{\n for_each = {for_each}\n content {{\n actions = [\"s3:*\"]\n }}\n}}\n"
            );
            let body = hcl::parse(&source).unwrap();
            let mut ctx = functions::context();
            let mut var = Map::new();
            var.insert("unknown".to_string(), Value::String("${var.unknown}".to_string()));
            ctx.declare_var("var", Value::Object(var));
            assert!(policy_document(&body, &ctx).is_none(), "{for_each}");
        }
    }

    #[test]
    fn dynamic_blocks_with_known_for_each_are_expanded_in_place() {
        let json = document(
            r#"
            statement {
              sid = "First"
              actions = ["s3:GetObject"]
            }
            dynamic "statement" {
              for_each = { b = { actions = ["sqs:SendMessage"], ids = ["arn:aws:iam::${var.account}:root"] },
                           a = { actions = ["sqs:ReceiveMessage"], ids = [] } }
              iterator = s
              content {
                sid = s.key
                actions = s.value.actions
                dynamic "principals" {
                  for_each = length(s.value.ids) > 0 ? [s.value.ids] : []
                  content {
                    type = "AWS"
                    identifiers = principals.value
                  }
                }
                dynamic "condition" {
                  for_each = s.key == "a" ? { k = "v" } : {}
                  content {
                    test = "StringEquals"
                    variable = "aws:${condition.key}"
                    values = [condition.value]
                  }
                }
              }
            }
            dynamic "statement" {
              for_each = []
              content {
                actions = ["*"]
              }
            }
            "#,
        );
        assert_eq!(
            json["Statement"],
            serde_json::json!([
                {"Sid": "First", "Effect": "Allow", "Action": "s3:GetObject"},
                {"Sid": "a", "Effect": "Allow", "Action": "sqs:ReceiveMessage",
                 "Condition": {"StringEquals": {"aws:k": "v"}}},
                {"Sid": "b", "Effect": "Allow", "Action": "sqs:SendMessage",
                 "Principal": {"AWS": "arn:aws:iam::222222222222:root"}},
            ])
        );
    }
}
