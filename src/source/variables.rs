//! The values of the root module's input variables when there is no plan (`trustgate diff`), taken from the
//! places `terraform plan` takes them from, later ones winning
//! (<https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence>):
//!
//! 1. `TF_VAR_name` environment variables;
//! 2. `terraform.tfvars`, then `terraform.tfvars.json`;
//! 3. every `*.auto.tfvars` and `*.auto.tfvars.json`, in lexical order of their names;
//! 4. `-var NAME=VALUE` and `-var-file FILE` (here `--var`, `--var-file`), in the order given.
//!
//! A value given as text (environment, `--var`) is taken literally for a variable whose type constraint is
//! a primitive type or absent, and parsed as an HCL expression otherwise
//! (<https://developer.hashicorp.com/terraform/language/values/variables#complex-typed-values>). `-var` options
//! trustgate cannot see (in `TF_CLI_ARGS`, `TF_CLI_ARGS_plan`, `TF_CLI_ARGS_apply`) leave every root variable
//! unknown, as does a variable definitions file that does not parse (Terraform would stop): what depends on
//! them is then unverifiable, never judged from a value terraform would not use.

use std::path::{Path, PathBuf};

use hcl::{Map, Value};

use super::functions;

/// One `--var` or `--var-file`, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignment {
    /// `--var NAME=VALUE`.
    Value { name: String, value: String },
    /// `--var-file FILE`.
    File(PathBuf),
}

/// Where root variables get values besides their defaults and the module's variable definitions files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputVariables {
    /// `TF_VAR_name` → text.
    pub environment: Vec<(String, String)>,
    /// `--var` and `--var-file`, in order.
    pub assignments: Vec<Assignment>,
    /// Why some values are not visible (`TF_CLI_ARGS_plan` names `-var`): every root variable is unknown.
    pub hidden: Option<String>,
}

impl InputVariables {
    /// The `TF_VAR_*` variables of this process's environment (and whether `TF_CLI_ARGS*` hide `-var`
    /// options), with `assignments` from the command line.
    pub fn from_environment(assignments: Vec<Assignment>) -> InputVariables {
        let mut environment = Vec::new();
        let mut hidden = None;
        for (name, value) in std::env::vars_os() {
            let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
                continue;
            };
            if let Some(variable) = name.strip_prefix("TF_VAR_") {
                environment.push((variable.to_string(), value.to_string()));
            } else if ["TF_CLI_ARGS", "TF_CLI_ARGS_plan", "TF_CLI_ARGS_apply"].contains(&name)
                && value.contains("-var")
            {
                hidden = Some(format!(
                    "{name} passes -var options to terraform that trustgate does not read"
                ));
            }
        }
        environment.sort();
        InputVariables {
            environment,
            assignments,
            hidden,
        }
    }
}

/// A variable definitions file that cannot be read or does not parse: (file, place, message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionsError {
    pub file: PathBuf,
    pub place: String,
    pub message: String,
}

/// The variable definitions files Terraform reads by itself in `dir`, in its order.
pub fn definitions_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["terraform.tfvars", "terraform.tfvars.json"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file())
        .collect();
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|name| {
                        name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")
                    }) && p.is_file()
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    files.extend(auto);
    files
}

/// The assignments of one variable definitions file (`.json`: JSON syntax, else native), in file order.
pub fn read_file(path: &Path) -> Result<Vec<(String, Value)>, DefinitionsError> {
    let error = |place: &str, message: String| DefinitionsError {
        file: path.to_path_buf(),
        place: place.to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| error("file", format!("cannot read: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if path.to_string_lossy().ends_with(".json") {
        let value = super::json_syntax::parse_strict(text).map_err(|e| error("JSON syntax", e))?;
        let serde_json::Value::Object(map) = value else {
            return Err(error("JSON syntax", "the root must be an object".to_string()));
        };
        return Ok(map.iter().map(|(k, v)| (k.clone(), json_value(v))).collect());
    }
    crate::nesting::check(text).map_err(|e| error("nesting", e.to_string()))?;
    let edit = hcl::edit::parser::parse_body(text).map_err(|e| {
        let at = e.location();
        error(
            &format!("line {}, column {}", at.line(), at.column()),
            format!("does not parse: {}", e.message()),
        )
    })?;
    if let Some(block) = edit.blocks().next() {
        return Err(error(
            "content",
            format!(
                "a variable definitions file holds only assignments, not a {} block",
                block.ident.as_str()
            ),
        ));
    }
    let body = hcl::parse(text).map_err(|e| error("syntax", format!("does not parse: {e}")))?;
    let ctx = hcl::eval::Context::new();
    Ok(body
        .attributes()
        .map(|attribute| {
            let name = attribute.key.as_str().to_string();
            let value = constant(&attribute.expr, &ctx).unwrap_or_else(|| unknown(&name));
            (name, value)
        })
        .collect())
}

/// The errors of the variable definitions files `terraform plan` would read in `dir` with `inputs`: the
/// first file that cannot be read or does not parse.
pub fn check(dir: &Path, inputs: &InputVariables) -> Result<(), DefinitionsError> {
    let given = inputs.assignments.iter().filter_map(|a| match a {
        Assignment::File(path) => Some(path.clone()),
        Assignment::Value { .. } => None,
    });
    for file in definitions_files(dir).into_iter().chain(given) {
        read_file(&file)?;
    }
    Ok(())
}

/// How one root variable's type constraint takes a value given as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsing {
    /// No type constraint, or a primitive one: the text itself.
    Literal,
    /// Any other: the text is an HCL expression.
    Expression,
}

/// The parsing mode of a `variable` block.
pub fn parsing(block: &hcl::Block) -> Parsing {
    let Some(constraint) = block.body.attributes().find(|a| a.key.as_str() == "type") else {
        return Parsing::Literal;
    };
    let keyword = match &constraint.expr {
        hcl::Expression::Variable(name) => name.as_str(),
        hcl::Expression::String(name) => name.as_str(),
        _ => "",
    };
    if ["string", "number", "bool"].contains(&keyword) {
        Parsing::Literal
    } else {
        Parsing::Expression
    }
}

/// `value` converted to the type constraint of the `variable` block where the conversion changes what an
/// expression sees: a set type holds its elements in set order, duplicates removed (strings sort
/// lexicographically: <https://developer.hashicorp.com/terraform/language/expressions/type-constraints#collection-types>).
/// A set with an element not known offline has no known order, so the whole value is unknown.
pub fn conform(block: &hcl::Block, value: Value) -> Value {
    let Some(constraint) = block.body.attributes().find(|a| a.key.as_str() == "type") else {
        return value;
    };
    // Text given for a bool or number (environment, `--var`, a quoted default) is converted as Terraform
    // converts it; text that does not convert stays (Terraform would reject it).
    if let (hcl::Expression::Variable(keyword), Value::String(text)) = (&constraint.expr, &value) {
        match (keyword.as_str(), text.as_str()) {
            ("bool", "true") => return Value::Bool(true),
            ("bool", "false") => return Value::Bool(false),
            ("number", number) => {
                if let Ok(parsed) = number.parse::<f64>()
                    && let Some(number) = hcl::Number::from_f64(parsed)
                {
                    return Value::Number(number);
                }
            }
            _ => {}
        }
    }
    let hcl::Expression::FuncCall(call) = &constraint.expr else {
        return value;
    };
    if call.name.name.as_str() != "set" {
        return value;
    }
    let Value::Array(mut items) = value else {
        return value;
    };
    let name = block.labels.first().map_or("", |l| l.as_str());
    // Strings sort lexicographically and numbers numerically; a set of anything else (or of elements not
    // known offline) is not ordered here.
    if items
        .iter()
        .all(|v| v.as_str().is_some_and(|t| !t.contains("${")))
    {
        items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    } else if items.iter().all(|v| v.as_f64().is_some()) {
        items.sort_by(|a, b| {
            a.as_f64()
                .partial_cmp(&b.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    } else {
        return unknown(name);
    }
    items.dedup();
    Value::Array(items)
}

/// Sets the root variables in `vars` (their defaults) from every input after the defaults: the environment,
/// the definitions files of `dir`, then `inputs`' assignments. `declared` gives each root variable's parsing
/// mode; values for undeclared names are ignored, as Terraform ignores them. A file that does not parse, or
/// hidden `-var` options, leave every root variable unknown.
pub fn apply(
    vars: &mut Map<String, Value>,
    declared: &[(String, Parsing)],
    dir: &Path,
    inputs: Option<&InputVariables>,
) {
    let mode = |name: &str| declared.iter().find(|(n, _)| n == name).map(|(_, m)| *m);
    let set = |vars: &mut Map<String, Value>, name: &str, value: Value| {
        if mode(name).is_some() {
            vars.insert(name.to_string(), value);
        }
    };
    if let Some(inputs) = inputs {
        for (name, text) in &inputs.environment {
            if let Some(mode) = mode(name) {
                set(vars, name, from_text(name, text, mode));
            }
        }
    }
    let mut files: Vec<PathBuf> = definitions_files(dir);
    let assignments = inputs.map_or(&[][..], |i| i.assignments.as_slice());
    let mut broken = false;
    for file in files.drain(..) {
        match read_file(&file) {
            Ok(values) => values.into_iter().for_each(|(n, v)| set(vars, &n, v)),
            Err(_) => broken = true,
        }
    }
    for assignment in assignments {
        match assignment {
            Assignment::Value { name, value } => {
                if let Some(mode) = mode(name) {
                    set(vars, name, from_text(name, value, mode));
                }
            }
            Assignment::File(path) => match read_file(path) {
                Ok(values) => values.into_iter().for_each(|(n, v)| set(vars, &n, v)),
                Err(_) => broken = true,
            },
        }
    }
    if broken || inputs.is_some_and(|i| i.hidden.is_some()) {
        for (name, _) in declared {
            vars.insert(name.clone(), unknown(name));
        }
    }
}

/// A value given as text, as Terraform takes it for a variable of this parsing mode; unknown when the text
/// is not an expression trustgate evaluates.
fn from_text(name: &str, text: &str, mode: Parsing) -> Value {
    match mode {
        Parsing::Literal => Value::String(text.to_string()),
        Parsing::Expression => {
            let assignment = format!("value = {text}\n");
            if crate::nesting::check(&assignment).is_err() {
                return unknown(name);
            }
            let Ok(body) = hcl::parse(&assignment) else {
                return unknown(name);
            };
            let ctx = hcl::eval::Context::new();
            body.attributes()
                .next()
                .and_then(|a| constant(&a.expr, &ctx))
                .unwrap_or_else(|| unknown(name))
        }
    }
}

/// The value of an expression of a variable definitions file or of a `-var` value, object keys in lexical
/// order. Evaluated with no functions and no variables, as Terraform evaluates them: what needs one does not
/// evaluate (the variable is then unknown).
fn constant(expr: &hcl::Expression, ctx: &hcl::eval::Context<'_>) -> Option<Value> {
    use hcl::eval::Evaluate;
    expr.evaluate(ctx).ok().map(functions::key_order)
}

/// A JSON value as an HCL value, object keys in lexical order.
fn json_value(value: &serde_json::Value) -> Value {
    functions::key_order(serde_json::from_value(value.clone()).unwrap_or(Value::Null))
}

/// The stand-in for a variable whose value is not known here.
fn unknown(name: &str) -> Value {
    Value::String(format!("${{var.{name}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(names: &[(&str, Parsing)]) -> Vec<(String, Parsing)> {
        names.iter().map(|(n, m)| (n.to_string(), *m)).collect()
    }

    #[test]
    fn later_inputs_win_in_terraform_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("terraform.tfvars"),
            "a = \"tfvars\"\nb = \"tfvars\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("x.auto.tfvars.json"), "{\"b\": \"auto\"}").unwrap();
        std::fs::write(dir.path().join("given.tfvars"), "c = \"file\"\n").unwrap();
        let inputs = InputVariables {
            environment: vec![
                ("a".into(), "env".into()),
                ("d".into(), "env".into()),
                ("undeclared".into(), "env".into()),
            ],
            assignments: vec![
                Assignment::Value {
                    name: "c".into(),
                    value: "var".into(),
                },
                Assignment::File(dir.path().join("given.tfvars")),
            ],
            hidden: None,
        };
        let mut vars = Map::new();
        let names = declared(&[
            ("a", Parsing::Literal),
            ("b", Parsing::Literal),
            ("c", Parsing::Literal),
            ("d", Parsing::Literal),
        ]);
        apply(&mut vars, &names, dir.path(), Some(&inputs));
        let get = |n: &str| vars.get(n).and_then(Value::as_str).map(str::to_string);
        assert_eq!(get("a").as_deref(), Some("tfvars"));
        assert_eq!(get("b").as_deref(), Some("auto"));
        assert_eq!(get("c").as_deref(), Some("file"));
        assert_eq!(get("d").as_deref(), Some("env"));
        assert!(!vars.contains_key("undeclared"));
    }

    #[test]
    fn text_values_are_literal_or_expressions_by_type_constraint() {
        assert_eq!(
            from_text("v", "[\"a\"]", Parsing::Literal),
            Value::String("[\"a\"]".into())
        );
        assert_eq!(
            from_text("v", "[\"a\"]", Parsing::Expression),
            Value::Array(vec![Value::String("a".into())])
        );
        assert_eq!(
            from_text("v", "[unclosed", Parsing::Expression),
            Value::String("${var.v}".into())
        );
        let block = |text: &str| hcl::parse(text).unwrap().blocks().next().unwrap().clone();
        assert_eq!(parsing(&block("variable \"x\" {}")), Parsing::Literal);
        assert_eq!(
            parsing(&block("variable \"x\" {\n type = string\n}")),
            Parsing::Literal
        );
        assert_eq!(
            parsing(&block("variable \"x\" {\n type = list(string)\n}")),
            Parsing::Expression
        );
        assert_eq!(
            parsing(&block("variable \"x\" {\n type = any\n}")),
            Parsing::Expression
        );
    }

    #[test]
    fn set_typed_values_are_in_set_order() {
        let block = |text: &str| hcl::parse(text).unwrap().blocks().next().unwrap().clone();
        let set = block("variable \"s\" {\n type = set(string)\n}");
        let list = block("variable \"l\" {\n type = list(string)\n}");
        let strings =
            |items: &[&str]| Value::Array(items.iter().map(|s| Value::String(s.to_string())).collect());
        assert_eq!(conform(&set, strings(&["b", "a", "b"])), strings(&["a", "b"]));
        assert_eq!(
            conform(&list, strings(&["b", "a", "b"])),
            strings(&["b", "a", "b"])
        );
        assert_eq!(
            conform(&set, strings(&["b", "${aws_iam_role.x.arn}"])),
            Value::String("${var.s}".into())
        );
        let flag = block("variable \"f\" {\n type = bool\n}");
        assert_eq!(conform(&flag, Value::String("false".into())), Value::Bool(false));
        assert_eq!(
            conform(&flag, Value::String("no".into())),
            Value::String("no".into())
        );
        let count = block("variable \"c\" {\n type = number\n}");
        assert_eq!(conform(&count, Value::String("2".into())), Value::from(2));
        let numbers = block("variable \"n\" {\n type = set(number)\n}");
        assert_eq!(
            conform(
                &numbers,
                Value::Array(vec![Value::from(10), Value::from(9), Value::from(9)])
            ),
            Value::Array(vec![Value::from(9), Value::from(10)])
        );
    }

    #[test]
    fn broken_files_and_hidden_options_leave_every_variable_unknown() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("terraform.tfvars"), "a = \"x\"\na = \"y\"\n").unwrap();
        let names = declared(&[("a", Parsing::Literal)]);
        let mut vars = Map::new();
        apply(&mut vars, &names, dir.path(), None);
        assert_eq!(vars.get("a"), Some(&Value::String("${var.a}".into())));
        assert!(check(dir.path(), &InputVariables::default()).is_err());

        let clean = tempfile::tempdir().unwrap();
        let inputs = InputVariables {
            hidden: Some("TF_CLI_ARGS".into()),
            ..InputVariables::default()
        };
        let mut vars = Map::new();
        vars.insert("a".to_string(), Value::String("default".into()));
        apply(&mut vars, &names, clean.path(), Some(&inputs));
        assert_eq!(vars.get("a"), Some(&Value::String("${var.a}".into())));
    }
}
