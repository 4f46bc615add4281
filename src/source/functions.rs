//! The Terraform functions that policies use in practice, for static evaluation with `hcl::eval`.
//!
//! Each function takes its arguments as values and fails with a short message on a wrong shape; a failed
//! call makes the whole expression unevaluable, so the policy stays "known after apply" (sound).

use hcl::Value;
use hcl::eval::{Context, FuncArgs, FuncDef, ParamType};

type Result<T> = std::result::Result<T, String>;

/// The function the evaluator wraps around expressions that build objects, so that every object is in
/// Terraform's lexicographic key order (not a Terraform function; the name cannot clash with one).
pub const SORTED: &str = "trustgate_in_key_order";

/// A context with every supported function declared.
pub fn context<'a>() -> Context<'a> {
    let mut ctx = Context::new();
    let functions: [(&str, hcl::eval::Func); 33] = [
        (SORTED, in_key_order),
        ("format", format),
        ("join", join),
        ("split", split),
        ("concat", concat),
        ("distinct", distinct),
        ("flatten", flatten),
        ("merge", merge),
        ("lookup", lookup),
        ("element", element),
        ("length", length),
        ("lower", lower),
        ("upper", upper),
        ("replace", replace),
        ("tolist", identity),
        ("toset", toset),
        ("tostring", tostring),
        ("coalesce", coalesce),
        ("try", try_),
        ("jsondecode", jsondecode),
        ("jsonencode", jsonencode),
        ("compact", compact),
        ("file", file),
        ("templatefile", templatefile),
        ("trimspace", trimspace),
        ("keys", keys),
        ("values", values),
        ("contains", contains),
        ("trimprefix", trimprefix),
        ("trimsuffix", trimsuffix),
        ("startswith", startswith),
        ("endswith", endswith),
        ("one", one),
    ];
    for (name, func) in functions {
        ctx.declare_func(
            name,
            FuncDef::builder().variadic_param(ParamType::Any).build(func),
        );
    }
    ctx
}

fn arg(args: &FuncArgs, index: usize) -> Result<&Value> {
    args.get(index)
        .ok_or_else(|| format!("argument {} is missing", index + 1))
}

fn text(value: &Value) -> Result<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!("expected a string, found {other}")),
    }
}

fn list(value: &Value) -> Result<&Vec<Value>> {
    value.as_array().ok_or_else(|| "expected a list".to_string())
}

fn index_of(value: &Value) -> Result<usize> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| "expected a whole number".to_string()),
        Value::String(s) => s.parse().map_err(|_| "expected a whole number".to_string()),
        _ => Err("expected a whole number".to_string()),
    }
}

fn format(args: FuncArgs) -> Result<Value> {
    let spec = text(arg(&args, 0)?)?;
    let mut out = String::new();
    let mut next = 1;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some('s' | 'd' | 'v' | 'q') => {
                let value = arg(&args, next)?;
                next += 1;
                match value {
                    Value::String(_) | Value::Number(_) | Value::Bool(_) => out.push_str(&text(value)?),
                    other => out.push_str(&serde_json::to_string(other).map_err(|e| e.to_string())?),
                }
            }
            _ => return Err("unsupported format verb".to_string()),
        }
    }
    Ok(Value::String(out))
}

fn join(args: FuncArgs) -> Result<Value> {
    let separator = text(arg(&args, 0)?)?;
    let mut parts = Vec::new();
    for value in args.iter().skip(1) {
        for item in list(value)? {
            parts.push(text(item)?);
        }
    }
    Ok(Value::String(parts.join(&separator)))
}

fn split(args: FuncArgs) -> Result<Value> {
    let separator = text(arg(&args, 0)?)?;
    let whole = text(arg(&args, 1)?)?;
    if separator.is_empty() {
        return Err("empty separator".to_string());
    }
    Ok(Value::Array(
        whole
            .split(&separator)
            .map(|s| Value::String(s.to_string()))
            .collect(),
    ))
}

fn concat(args: FuncArgs) -> Result<Value> {
    let mut out = Vec::new();
    for value in args.iter() {
        out.extend(list(value)?.iter().cloned());
    }
    Ok(Value::Array(out))
}

fn distinct(args: FuncArgs) -> Result<Value> {
    let mut out: Vec<Value> = Vec::new();
    for item in list(arg(&args, 0)?)? {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Ok(Value::Array(out))
}

fn flatten_into(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| flatten_into(item, out)),
        other => out.push(other.clone()),
    }
}

fn flatten(args: FuncArgs) -> Result<Value> {
    let mut out = Vec::new();
    for item in list(arg(&args, 0)?)? {
        flatten_into(item, &mut out);
    }
    Ok(Value::Array(out))
}

fn merge(args: FuncArgs) -> Result<Value> {
    let mut out = hcl::Map::new();
    for value in args.iter() {
        match value {
            Value::Object(map) => out.extend(map.iter().map(|(k, v)| (k.clone(), v.clone()))),
            Value::Null => {}
            _ => return Err("merge takes maps".to_string()),
        }
    }
    Ok(Value::Object(out))
}

fn lookup(args: FuncArgs) -> Result<Value> {
    let map = arg(&args, 0)?
        .as_object()
        .ok_or_else(|| "lookup takes a map".to_string())?;
    let key = text(arg(&args, 1)?)?;
    match (map.get(&key), args.get(2)) {
        (Some(found), _) => Ok(found.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(format!("no key {key:?}")),
    }
}

fn element(args: FuncArgs) -> Result<Value> {
    let items = list(arg(&args, 0)?)?;
    if items.is_empty() {
        return Err("element of an empty list".to_string());
    }
    let index = index_of(arg(&args, 1)?)?;
    Ok(items[index % items.len()].clone())
}

fn length(args: FuncArgs) -> Result<Value> {
    let n = match arg(&args, 0)? {
        Value::Array(items) => items.len(),
        Value::Object(map) => map.len(),
        Value::String(s) => s.chars().count(),
        _ => return Err("length of a value without one".to_string()),
    };
    Ok(Value::from(n as u64))
}

fn lower(args: FuncArgs) -> Result<Value> {
    Ok(Value::String(text(arg(&args, 0)?)?.to_lowercase()))
}

fn upper(args: FuncArgs) -> Result<Value> {
    Ok(Value::String(text(arg(&args, 0)?)?.to_uppercase()))
}

fn trimspace(args: FuncArgs) -> Result<Value> {
    Ok(Value::String(text(arg(&args, 0)?)?.trim().to_string()))
}

fn replace(args: FuncArgs) -> Result<Value> {
    let whole = text(arg(&args, 0)?)?;
    let search = text(arg(&args, 1)?)?;
    let with = text(arg(&args, 2)?)?;
    if search.len() > 2 && search.starts_with('/') && search.ends_with('/') {
        let pattern = regex::Regex::new(&search[1..search.len() - 1]).map_err(|e| e.to_string())?;
        let with = with.replace("$", "$$").replace("$${", "${");
        return Ok(Value::String(
            pattern.replace_all(&whole, with.as_str()).into_owned(),
        ));
    }
    if search.is_empty() {
        return Ok(Value::String(whole));
    }
    Ok(Value::String(whole.replace(&search, &with)))
}

fn identity(args: FuncArgs) -> Result<Value> {
    Ok(arg(&args, 0)?.clone())
}

fn toset(args: FuncArgs) -> Result<Value> {
    let mut items = list(arg(&args, 0)?)?.clone();
    items.sort_by_key(|v| serde_json::to_string(v).unwrap_or_default());
    items.dedup();
    Ok(Value::Array(items))
}

fn tostring(args: FuncArgs) -> Result<Value> {
    Ok(Value::String(text(arg(&args, 0)?)?))
}

fn coalesce(args: FuncArgs) -> Result<Value> {
    args.iter()
        .find(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
        .cloned()
        .ok_or_else(|| "no non-empty argument".to_string())
}

/// Arguments are evaluated before the call, so only the first one that evaluated is seen; a first argument
/// that fails makes the whole expression unevaluable (it stays unknown).
fn try_(args: FuncArgs) -> Result<Value> {
    Ok(arg(&args, 0)?.clone())
}

fn jsondecode(args: FuncArgs) -> Result<Value> {
    serde_json::from_str(&text(arg(&args, 0)?)?).map_err(|e| e.to_string())
}

fn jsonencode(args: FuncArgs) -> Result<Value> {
    serde_json::to_string(arg(&args, 0)?)
        .map(Value::String)
        .map_err(|e| e.to_string())
}

fn compact(args: FuncArgs) -> Result<Value> {
    Ok(Value::Array(
        list(arg(&args, 0)?)?
            .iter()
            .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
            .cloned()
            .collect(),
    ))
}

/// Objects with their keys in lexicographic order, recursively.
pub fn key_order(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().map(|(k, v)| (k, key_order(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(key_order).collect()),
        other => other,
    }
}

fn in_key_order(args: FuncArgs) -> Result<Value> {
    Ok(key_order(arg(&args, 0)?.clone()))
}

/// The keys of a map in lexicographic order, as Terraform's `keys` returns them.
fn keys(args: FuncArgs) -> Result<Value> {
    let map = arg(&args, 0)?.as_object().ok_or("keys takes a map")?;
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    Ok(Value::Array(
        keys.into_iter().map(|k| Value::String(k.clone())).collect(),
    ))
}

/// The values of a map in the lexicographic order of their keys, as Terraform's `values` returns them.
fn values(args: FuncArgs) -> Result<Value> {
    let map = arg(&args, 0)?.as_object().ok_or("values takes a map")?;
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    Ok(Value::Array(
        entries.into_iter().map(|(_, v)| v.clone()).collect(),
    ))
}

fn contains(args: FuncArgs) -> Result<Value> {
    Ok(Value::Bool(list(arg(&args, 0)?)?.contains(arg(&args, 1)?)))
}

fn trimprefix(args: FuncArgs) -> Result<Value> {
    let whole = text(arg(&args, 0)?)?;
    let prefix = text(arg(&args, 1)?)?;
    Ok(Value::String(
        whole.strip_prefix(&prefix).unwrap_or(&whole).to_string(),
    ))
}

fn trimsuffix(args: FuncArgs) -> Result<Value> {
    let whole = text(arg(&args, 0)?)?;
    let suffix = text(arg(&args, 1)?)?;
    Ok(Value::String(
        whole.strip_suffix(&suffix).unwrap_or(&whole).to_string(),
    ))
}

fn startswith(args: FuncArgs) -> Result<Value> {
    Ok(Value::Bool(
        text(arg(&args, 0)?)?.starts_with(&text(arg(&args, 1)?)?),
    ))
}

fn endswith(args: FuncArgs) -> Result<Value> {
    Ok(Value::Bool(
        text(arg(&args, 0)?)?.ends_with(&text(arg(&args, 1)?)?),
    ))
}

fn one(args: FuncArgs) -> Result<Value> {
    match list(arg(&args, 0)?)?.as_slice() {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        _ => Err("one takes a list of at most one element".to_string()),
    }
}

/// Files larger than this are not read (a policy file is a few kilobytes).
const MAX_FILE: u64 = 1 << 20;

thread_local! {
    /// Directories `file` and `templatefile` may read from (the module directories being evaluated). Empty:
    /// nothing may be read. A pull request's HCL must not be able to put the runner's files into a report.
    static READABLE: std::cell::RefCell<Vec<std::path::PathBuf>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with `file`/`templatefile` allowed to read below `dirs` only (on this thread).
pub fn with_readable_dirs<T>(dirs: &[std::path::PathBuf], f: impl FnOnce() -> T) -> T {
    let canonical: Vec<std::path::PathBuf> = dirs.iter().filter_map(|d| d.canonicalize().ok()).collect();
    let previous = READABLE.with(|r| r.replace(canonical));
    let result = f();
    READABLE.with(|r| r.replace(previous));
    result
}

fn read_file(path: &str) -> Result<String> {
    let canonical = std::path::Path::new(path)
        .canonicalize()
        .map_err(|e| format!("{path}: {e}"))?;
    let allowed = READABLE.with(|r| r.borrow().iter().any(|dir| canonical.starts_with(dir)));
    if !allowed {
        return Err(format!("{path}: outside the configuration's module directories"));
    }
    let metadata = std::fs::metadata(path).map_err(|e| format!("{path}: {e}"))?;
    if metadata.len() > MAX_FILE {
        return Err(format!("{path}: larger than a policy file"));
    }
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn file(args: FuncArgs) -> Result<Value> {
    Ok(Value::String(read_file(&text(arg(&args, 0)?)?)?))
}

fn templatefile(args: FuncArgs) -> Result<Value> {
    use hcl::eval::Evaluate;
    let source = read_file(&text(arg(&args, 0)?)?)?;
    let template: hcl::Template = source
        .parse::<hcl::edit::template::Template>()
        .map_err(|e| e.to_string())?
        .into();
    let mut ctx = context();
    if let Some(Value::Object(vars)) = args.get(1) {
        for (name, value) in vars {
            ctx.declare_var(name.as_str(), value.clone());
        }
    }
    template
        .evaluate(&ctx)
        .map(Value::String)
        .map_err(|e| e.to_string())
}
