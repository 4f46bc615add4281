//! Terraform's own file rules, end to end through `trustgate diff` (no plan: every policy comes from the
//! sources) and `check --source` (the sources resolve what the plan only knows after apply): override
//! files, `.tf.json`, variable definitions files and their precedence, ignored file names, objects defined
//! twice, `dynamic` children of policy documents, lexicographic key order, and `diff` failing closed.

mod common;

use std::path::Path;

use common::{TODAY, git, run_in};

/// The base revision: a role that trusts its own account, through a policy document and a variable.
const BASE: &str = r#"
variable "partner" {
  default = "111111111111"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.partner}:root"]
    }
  }
}

resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"#;

const EXTERNAL: &str = "arn:aws:iam::999988887777:root";

/// A repository whose `main` commit holds `files`; the working tree is then changed by the test.
fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
    let repo = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        write(repo.path(), name, text);
    }
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    repo
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

struct Diff {
    code: i32,
    /// (address, principal, kind) of every finding.
    findings: Vec<(String, String, String)>,
    json: serde_json::Value,
}

fn diff(repo: &Path) -> Diff {
    let out = run_in(
        Some(repo),
        &[
            "diff",
            "--base",
            "main",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|_| panic!("JSON (exit {}): {}", out.code, out.stderr));
    let findings = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["principal"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Diff {
        code: out.code,
        findings,
        json,
    }
}

fn external(address: &str) -> (String, String, String) {
    (
        address.to_string(),
        EXTERNAL.to_string(),
        "external-account".to_string(),
    )
}

fn unverifiable(address: &str) -> (String, String, String) {
    (address.to_string(), String::new(), "unverifiable".to_string())
}

// ---- 1. override files -------------------------------------------------------------------------------

/// `override.tf` is merged after `main.tf`: its `statement` blocks replace all of the document's.
#[test]
fn override_file_replaces_the_statements_of_a_policy_document() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "override.tf",
        r#"
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }
  }
}
"#,
    );
    let out = diff(repo.path());
    assert_eq!((out.code, out.findings), (1, vec![external("aws_iam_role.r")]));
}

/// The override's `statement` blocks replace the original's, and the original's other arguments stay
/// (`source_policy_documents` here): the override is merged, not put in place of the whole block.
#[test]
fn override_blocks_are_merged_not_substituted() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "main.tf",
        &BASE.replace(
            "data \"aws_iam_policy_document\" \"trust\" {\n",
            "data \"aws_iam_policy_document\" \"trust\" {\n  source_policy_documents = [jsonencode({Version = \"2012-10-17\", Statement = [{Sid = \"Partner\", Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {AWS = \"arn:aws:iam::999988887777:root\"}}]})]\n",
        ),
    );
    write(
        repo.path(),
        "override.tf",
        r#"
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Own"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111111111111:root"]
    }
  }
}
"#,
    );
    let out = diff(repo.path());
    assert_eq!((out.code, out.findings), (1, vec![external("aws_iam_role.r")]));
}

/// An argument of an override block replaces the argument of the same name; override files apply in name
/// order (`b_override.tf` after `a_override.tf`), and `locals` merge value by value.
#[test]
fn override_arguments_and_locals_apply_in_name_order() {
    let main = r#"
locals {
  partner = "111111111111"
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111111111111:root" } }]
  })
}
"#;
    let repo = repository(&[("main.tf", main)]);
    // a_override.tf sorts before main.tf, but is still applied after it.
    write(
        repo.path(),
        "a_override.tf",
        r#"
resource "aws_iam_role" "r" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${local.partner}:root" } }]
  })
}
locals {
  partner = "222222222222"
}
"#,
    );
    write(
        repo.path(),
        "b_override.tf",
        "locals {\n  partner = \"999988887777\"\n}\n",
    );
    let out = diff(repo.path());
    assert_eq!((out.code, out.findings), (1, vec![external("aws_iam_role.r")]));
}

/// An override block with nothing to override is an error in Terraform: every policy is unverifiable.
#[test]
fn override_of_nothing_makes_policies_unverifiable() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "override.tf",
        "resource \"aws_iam_role\" \"missing\" {\n  name = \"x\"\n}\nresource \"aws_iam_role\" \"r\" {\n  name = \"renamed\"\n}\n",
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, &out.findings),
        (1, &vec![unverifiable("aws_iam_role.r")])
    );
    let diagnostics = out.json["diagnostics"].to_string();
    assert!(
        diagnostics.contains("override.tf:1: resource aws_iam_role.missing overrides nothing"),
        "{diagnostics}"
    );
}

// ---- 2. .tf.json -------------------------------------------------------------------------------------

#[test]
fn tf_json_files_are_sources() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "extra.tf.json",
        r#"{
  "resource": {
    "aws_iam_role": {
      "json": {
        "name": "json",
        "assume_role_policy": "${jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {AWS = \"arn:aws:iam::999988887777:root\"}}]})}"
      }
    }
  }
}
"#,
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, &out.findings),
        (1, &vec![external("aws_iam_role.json")])
    );
    assert_eq!(out.json["findings"][0]["location"]["file"], "extra.tf.json");
    assert_eq!(out.json["findings"][0]["location"]["line"], 4);
}

/// `override.tf.json` overrides a policy document's statements, with a `dynamic` block in JSON form.
#[test]
fn tf_json_override_files_are_merged() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "override.tf.json",
        r#"{
  "data": {"aws_iam_policy_document": {"trust": {
    "statement": [{
      "actions": ["sts:AssumeRole"],
      "dynamic": {"principals": {
        "for_each": "${[\"999988887777\"]}",
        "content": {"type": "AWS", "identifiers": ["arn:aws:iam::${principals.value}:root"]}
      }}
    }]
  }}}
}
"#,
    );
    let out = diff(repo.path());
    assert_eq!((out.code, out.findings), (1, vec![external("aws_iam_role.r")]));
}

#[test]
fn a_tf_json_file_that_does_not_parse_stops_diff() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "extra.tf.json",
        "{\"resource\": {\"aws_iam_role\": {\"x\": {\"name\": \"a\", \"name\": \"b\"}}}}",
    );
    let out = run_in(Some(repo.path()), &["diff", "--base", "main"], None);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr
            .contains("extra.tf.json: JSON syntax: the argument \"name\" is defined twice"),
        "{}",
        out.stderr
    );
}

/// A nested block that only a custom catalog names (`--catalog`) is written in `.tf.json` as a property the
/// JSON reader cannot tell from an argument: its policies are still read (block, object or list of objects).
#[test]
fn custom_catalog_nested_blocks_in_tf_json_are_read() {
    let catalog = "resource \"acme_gateway\" {\n  policy \"access[*].policy\" {\n    role    = \"resource\"\n    service = \"execute-api\"\n  }\n}\n";
    let policy = r#"${jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"execute-api:Invoke\", Resource = \"*\", Principal = {AWS = \"arn:aws:iam::999988887777:root\"}}]})}"#;
    for access in [
        format!("[{{\"policy\": \"{policy}\"}}]"),
        format!("{{\"policy\": \"{policy}\"}}"),
    ] {
        let repo = repository(&[("main.tf", BASE), ("catalog.hcl", catalog)]);
        write(
            repo.path(),
            "gateway.tf.json",
            &format!(
                "{{\"resource\": {{\"acme_gateway\": {{\"api\": {{\"name\": \"api\", \"access\": {access}}}}}}}}}"
            ),
        );
        let out = run_in(
            Some(repo.path()),
            &[
                "diff",
                "--base",
                "main",
                "--account",
                "111111111111",
                "--catalog",
                "catalog.hcl",
                "--today",
                TODAY,
                "--format",
                "json",
            ],
            None,
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|_| panic!("JSON (exit {}): {}", out.code, out.stderr));
        let findings: Vec<(String, String)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["address"].as_str().unwrap().to_string(),
                    f["principal"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            (out.code, findings),
            (1, vec![("acme_gateway.api".to_string(), EXTERNAL.to_string())]),
            "{access}"
        );
    }
}

/// A catalog path into one nested block (`details[0].policy` of a multi-region access point policy) is read
/// in `diff` too.
#[test]
fn a_policy_in_an_indexed_nested_block_is_read() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "mrap.tf",
        r#"
resource "aws_s3control_multi_region_access_point_policy" "p" {
  details {
    name   = "mrap"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*", Principal = { AWS = "arn:aws:iam::999988887777:root" } }]
    })
  }
}
"#,
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (
            1,
            vec![external("aws_s3control_multi_region_access_point_policy.p")]
        )
    );
}

/// A nested block written by `dynamic` (not a policy document's) is expanded where its `for_each` is known;
/// where it is not, the policies it writes are unverifiable, never missing.
#[test]
fn dynamic_nested_blocks_of_a_resource_are_expanded_or_unverifiable() {
    let mrap = |for_each: &str| {
        format!(
            r#"
variable "names" {{}}
resource "aws_s3control_multi_region_access_point_policy" "p" {{
  dynamic "details" {{
    for_each = {for_each}
    content {{
      name   = details.value
      policy = jsonencode({{
        Version   = "2012-10-17"
        Statement = [{{ Effect = "Allow", Action = "s3:GetObject", Resource = "*", Principal = {{ AWS = "arn:aws:iam::999988887777:root" }} }}]
      }})
    }}
  }}
}}
"#
        )
    };
    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "mrap.tf", &mrap("[\"mrap\"]"));
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (
            1,
            vec![external("aws_s3control_multi_region_access_point_policy.p")]
        )
    );
    write(repo.path(), "mrap.tf", &mrap("var.names"));
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (
            1,
            vec![unverifiable("aws_s3control_multi_region_access_point_policy.p")]
        )
    );
}

// ---- 3. variable definitions files -------------------------------------------------------------------

#[test]
fn terraform_tfvars_json_sets_a_variable() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "terraform.tfvars.json",
        "{\"partner\": \"999988887777\"}\n",
    );
    let out = diff(repo.path());
    assert_eq!((out.code, out.findings), (1, vec![external("aws_iam_role.r")]));
}

/// `*.auto.tfvars.json` come after `terraform.tfvars`, and `*.auto.tfvars(.json)` go in name order.
#[test]
fn auto_tfvars_files_take_precedence_in_name_order() {
    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "terraform.tfvars", "partner = \"999988887777\"\n");
    write(
        repo.path(),
        "b.auto.tfvars.json",
        "{\"partner\": \"111111111111\"}\n",
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (0, vec![]),
        "b.auto.tfvars.json wins over terraform.tfvars"
    );
    write(repo.path(), "c.auto.tfvars", "partner = \"999988887777\"\n");
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![external("aws_iam_role.r")]),
        "c.auto.tfvars wins over b"
    );
}

/// `diff` reads root variables as `terraform plan` would in the same environment: `TF_VAR_*` first, then
/// the variable definitions files, then `--var-file` and `--var` in the order given.
#[test]
fn tf_var_environment_variables_and_var_options_set_variables() {
    // The base names the own account itself; the change under review takes it from the variable.
    let repo = repository(&[("main.tf", &BASE.replace("${var.partner}", "111111111111"))]);
    write(repo.path(), "main.tf", BASE);
    let diff_with = |args: &[&str], env: &[(&str, &str)]| {
        let mut argv = vec![
            "diff",
            "--base",
            "main",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
        ];
        argv.extend_from_slice(args);
        let out = common::run_in_env(Some(repo.path()), &argv, None, env);
        let json: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|_| panic!("JSON (exit {}): {}", out.code, out.stderr));
        let findings: Vec<(String, String, String)> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["address"].as_str().unwrap().to_string(),
                    f["principal"].as_str().unwrap().to_string(),
                    f["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        (out.code, findings)
    };
    let widened = (1, vec![external("aws_iam_role.r")]);
    let own = (0, vec![]);
    assert_eq!(
        diff_with(&[], &[("TF_VAR_partner", "999988887777")]),
        widened,
        "TF_VAR_"
    );
    // terraform.tfvars comes after the environment.
    write(repo.path(), "terraform.tfvars", "partner = \"111111111111\"\n");
    assert_eq!(
        diff_with(&[], &[("TF_VAR_partner", "999988887777")]),
        own,
        "tfvars over TF_VAR_"
    );
    write(repo.path(), "prod.tfvars", "partner = \"999988887777\"\n");
    write(repo.path(), "own.tfvars.json", "{\"partner\": \"111111111111\"}");
    assert_eq!(
        diff_with(&["--var-file", "prod.tfvars"], &[]),
        widened,
        "--var-file"
    );
    assert_eq!(
        diff_with(
            &["--var-file", "prod.tfvars", "--var", "partner=111111111111"],
            &[]
        ),
        own,
        "--var after --var-file"
    );
    assert_eq!(
        diff_with(
            &["--var", "partner=111111111111", "--var-file", "prod.tfvars"],
            &[]
        ),
        widened,
        "--var-file after --var"
    );
    assert_eq!(
        diff_with(
            &["--var-file", "prod.tfvars", "--var-file", "own.tfvars.json"],
            &[]
        ),
        own,
        "the last --var-file"
    );
    // `-var` options trustgate cannot see (in TF_CLI_ARGS*) leave every root variable unknown.
    assert_eq!(
        diff_with(&[], &[("TF_CLI_ARGS_plan", "-var-file=prod.tfvars")]),
        (
            1,
            vec![(
                "aws_iam_role.r".to_string(),
                "arn:aws:iam::${var.partner}:root".to_string(),
                "unverifiable".to_string()
            )]
        ),
        "TF_CLI_ARGS_plan"
    );
    let out = common::run_in_env(
        Some(repo.path()),
        &["diff", "--base", "main", "--format", "json"],
        None,
        &[("TF_CLI_ARGS_plan", "-var-file=prod.tfvars")],
    );
    assert!(
        out.stdout.contains("TF_CLI_ARGS_plan passes -var options"),
        "the report says why: {}",
        out.stdout
    );
    let out = common::run_in_env(
        Some(repo.path()),
        &["diff", "--base", "main", "--var-file", "missing.tfvars"],
        None,
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("missing.tfvars"), "{}", out.stderr);
}

/// Text for a `bool` or `number` variable (`TF_VAR_*`, `--var`) is converted as Terraform converts it.
#[test]
fn text_values_of_bool_and_number_variables_are_converted() {
    let main = BASE
        .replace(
            "variable \"partner\" {\n  default = \"111111111111\"\n}\n",
            "variable \"internal\" {\n  type    = bool\n  default = true\n}\nvariable \"index\" {\n  type    = number\n  default = 0\n}\n",
        )
        .replace(
            "${var.partner}",
            "${var.internal ? \"111111111111\" : [\"111111111111\", \"999988887777\"][var.index]}",
        );
    // The base names the own account itself; the change under review takes it from the variables.
    let own_base = repository(&[("main.tf", &BASE.replace("${var.partner}", "111111111111"))]);
    write(own_base.path(), "main.tf", &main);
    let out = common::run_in_env(
        Some(own_base.path()),
        &[
            "diff",
            "--base",
            "main",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
            "--var",
            "index=1",
        ],
        None,
        &[("TF_VAR_internal", "false")],
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let findings: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["principal"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!((out.code, findings), (1, vec![external("aws_iam_role.r")]));
}

/// A comment above a module block approves that call's instances (`check --source`); a module called
/// twice (Terraform rejects it) has no one block to take a comment from, whichever file sorts last.
#[test]
fn a_module_called_twice_has_no_comment_that_approves() {
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.11.0",
 "resource_changes": [{"address": "module.partner.aws_iam_role.this", "module_address": "module.partner",
   "mode": "managed", "type": "aws_iam_role", "name": "this",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"name": "partner", "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"}}]}"},
     "after_unknown": {}}}],
 "configuration": {"root_module": {"module_calls": {"partner": {"source": "./modules/partner", "module": {}}}}}}"#;
    let module = "resource \"aws_iam_role\" \"this\" {\n  name = \"partner\"\n}\n";
    let call =
        |comment: &str| format!("{comment}module \"partner\" {{\n  source = \"./modules/partner\"\n}}\n");
    let approve = "# trustgate: owner=@sec expiry=2026-12-31 justification=\"approved partner, SEC-1\"\n";
    let status = |files: &[(&str, &str)]| -> (Vec<String>, String) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            write(dir.path(), name, text);
        }
        write(dir.path(), "modules/partner/main.tf", module);
        write(dir.path(), "plan.json", plan);
        let out = run_in(
            Some(dir.path()),
            &[
                "check",
                "plan.json",
                "--source",
                ".",
                "--account",
                "111111111111",
                "--today",
                TODAY,
                "--format",
                "json",
            ],
            None,
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|_| panic!("JSON (exit {}): {}", out.code, out.stderr));
        let statuses = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["status"].as_str().unwrap().to_string())
            .collect();
        (statuses, json["diagnostics"].to_string())
    };
    let (once, _) = status(&[("main.tf", &call(approve))]);
    assert_eq!(
        once,
        vec!["approved"],
        "the comment approves the call's instances"
    );
    let (twice, diagnostics) = status(&[("a.tf", &call("")), ("b.tf", &call(approve))]);
    assert_eq!(
        twice,
        vec!["violation"],
        "no block stands for a module called twice"
    );
    assert!(
        diagnostics.contains("module partner is defined 2 times"),
        "{diagnostics}"
    );
}

/// `check --source` with a resource defined twice: the plan's known policy is judged, and neither block's
/// comment (resource or statement) approves it, whichever file sorts last.
#[test]
fn a_resource_defined_twice_has_no_comment_that_approves_in_check() {
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.11.0",
 "resource_changes": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"name": "r", "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"}}]}"},
     "after_unknown": {}}}],
 "configuration": {"root_module": {}}}"#;
    let approve = "# trustgate: owner=@sec expiry=2026-12-31 justification=\"approved partner, SEC-1\"\n";
    let role = |comment: &str| {
        format!(
            "{comment}resource \"aws_iam_role\" \"r\" {{\n  name = \"r\"\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [\n      {comment}      {{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ AWS = \"arn:aws:iam::999988887777:root\" }} }}\n    ]\n  }})\n}}\n"
        )
    };
    let statuses = |files: &[(&str, &str)]| -> (Vec<String>, String) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            write(dir.path(), name, text);
        }
        write(dir.path(), "plan.json", plan);
        let out = run_in(
            Some(dir.path()),
            &[
                "check",
                "plan.json",
                "--source",
                ".",
                "--account",
                "111111111111",
                "--today",
                TODAY,
                "--format",
                "json",
            ],
            None,
        );
        let json: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|_| panic!("JSON (exit {}): {}", out.code, out.stderr));
        let statuses = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["status"].as_str().unwrap().to_string())
            .collect();
        (statuses, json["diagnostics"].to_string())
    };
    let (once, _) = statuses(&[("main.tf", &role(approve))]);
    assert_eq!(once, vec!["approved"], "the comment approves");
    let (twice, diagnostics) = statuses(&[("a.tf", &role("")), ("b.tf", &role(approve))]);
    assert_eq!(twice, vec!["violation"]);
    assert!(
        diagnostics.contains("resource aws_iam_role.r is defined 2 times"),
        "{diagnostics}"
    );
}

/// An argument written twice in one block (Terraform: "Attribute redefined") is never resolved first-wins:
/// `diff` stops naming the place; `check --source` reads the file as not parsing, so the policy the plan
/// knows only after apply stays unverifiable.
#[test]
fn an_argument_written_twice_is_not_resolved_first_wins() {
    let own = "jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {AWS = \"arn:aws:iam::111111111111:root\"}}]})";
    let external = own.replace("111111111111", "999988887777");
    let twice_in_resource = format!(
        "resource \"aws_iam_role\" \"r\" {{\n  name = \"r\"\n  assume_role_policy = {own}\n  assume_role_policy = {external}\n}}\n"
    );
    let twice_in_block = BASE.replace(
        "      identifiers = [\"arn:aws:iam::${var.partner}:root\"]\n",
        "      identifiers = [\"arn:aws:iam::${var.partner}:root\"]\n      identifiers = [\"arn:aws:iam::999988887777:root\"]\n",
    );
    for (text, line) in [(&twice_in_resource, 4), (&twice_in_block, 12)] {
        let repo = repository(&[("main.tf", BASE)]);
        write(repo.path(), "main.tf", text);
        let out = run_in(
            Some(repo.path()),
            &["diff", "--base", "main", "--account", "111111111111"],
            None,
        );
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert!(
            out.stderr
                .starts_with(&format!("trustgate: error: main.tf: line {line}, column ")),
            "{}",
            out.stderr
        );
        let checked = check_source(&[("main.tf", text)]);
        assert_eq!(checked, vec![unverifiable("aws_iam_role.r")]);
    }
}

// ---- 4. ignored file names ---------------------------------------------------------------------------

/// Terraform skips `.benign.tf` (hidden), `main.tf~` (backup) and `#main.tf#` (Emacs): none of them may
/// stand in for `main.tf`.
#[test]
fn hidden_and_backup_files_are_not_read() {
    let repo = repository(&[("main.tf", BASE)]);
    let widened = BASE.replace("111111111111", "999988887777");
    write(repo.path(), "main.tf", &widened);
    // Each defines the role again, trusting only its own account (read first, it would win).
    let own_role = "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = [{Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {AWS = \"arn:aws:iam::111111111111:root\"}}]})\n}\n";
    for name in [".benign.tf", "main.tf~", "#main.tf#", "a.tf~"] {
        write(repo.path(), name, own_role);
    }
    write(
        repo.path(),
        ".hidden.tf.json",
        "{\"resource\": {\"aws_iam_role\": {\"r\": {\"name\": \"r\", \"assume_role_policy\": \"{}\"}}}}",
    );
    let out = diff(repo.path());
    assert_eq!((out.code, &out.findings), (1, &vec![external("aws_iam_role.r")]));
    assert!(
        out.json["diagnostics"].as_array().is_none_or(Vec::is_empty),
        "no duplicate: the ignored files are not read: {}",
        out.json
    );
}

// ---- 5. objects defined twice ------------------------------------------------------------------------

#[test]
fn a_resource_defined_twice_is_a_diagnostic_and_unverifiable() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "main.tf",
        &BASE.replace("111111111111", "999988887777"),
    );
    // a.tf sorts first: first-wins would take its own-account role.
    write(
        repo.path(),
        "a.tf",
        "resource \"aws_iam_role\" \"r\" {\n  name = \"r\"\n  assume_role_policy = jsonencode({Version = \"2012-10-17\", Statement = []})\n}\n",
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, &out.findings),
        (1, &vec![unverifiable("aws_iam_role.r")])
    );
    let diagnostics = out.json["diagnostics"].to_string();
    assert!(
        diagnostics.contains("resource aws_iam_role.r is defined 2 times (a.tf:1, main.tf:16)"),
        "{diagnostics}"
    );
}

#[test]
fn a_local_or_variable_defined_twice_makes_policies_unverifiable() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "main.tf",
        &BASE.replace("${var.partner}", "${local.partner}"),
    );
    write(repo.path(), "a.tf", "locals {\n  partner = \"999988887777\"\n}\n");
    write(repo.path(), "b.tf", "locals {\n  partner = \"111111111111\"\n}\n");
    let out = diff(repo.path());
    assert_eq!(
        (out.code, &out.findings),
        (1, &vec![unverifiable("aws_iam_role.r")])
    );
    assert!(
        out.json["diagnostics"]
            .to_string()
            .contains("local partner is defined 2 times")
    );

    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "vars.tf",
        "variable \"partner\" {\n  default = \"999988887777\"\n}\n",
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, &out.findings),
        (1, &vec![unverifiable("aws_iam_role.r")])
    );
    assert!(
        out.json["diagnostics"]
            .to_string()
            .contains("variable partner is defined 2 times")
    );
}

// ---- 6. dynamic children of a policy document --------------------------------------------------------

const DENY_WITH_DYNAMIC_CONDITION: &str = r#"
variable "allowed_orgs" {}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "External"
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::999988887777:root"]
    }
  }
  statement {
    sid       = "DenyOutsideOrg"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    dynamic "condition" {
      for_each = FOR_EACH
      content {
        test     = "StringNotEquals"
        variable = "aws:PrincipalOrgID"
        values   = [condition.value]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = data.aws_iam_policy_document.bucket.json
}
"#;

/// A Deny whose `dynamic "condition"` has an unknown `for_each` must not become "deny everyone" (which
/// would hide the Allow): the document is unverifiable. With a known `for_each` it is expanded.
#[test]
fn dynamic_condition_in_a_static_statement_is_evaluated_or_unverifiable() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "bucket.tf",
        &DENY_WITH_DYNAMIC_CONDITION.replace("FOR_EACH", "var.allowed_orgs"),
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![unverifiable("aws_s3_bucket_policy.b")])
    );
    write(
        repo.path(),
        "bucket.tf",
        &DENY_WITH_DYNAMIC_CONDITION.replace("FOR_EACH", "[\"o-abc123\"]"),
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![external("aws_s3_bucket_policy.b")])
    );
}

#[test]
fn dynamic_principals_in_a_static_statement_are_evaluated_or_unverifiable() {
    let main = |for_each: &str| {
        BASE.replace(
            "    principals {\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::${var.partner}:root\"]\n    }",
            &format!(
                "    dynamic \"principals\" {{\n      for_each = {for_each}\n      content {{\n        type        = \"AWS\"\n        identifiers = [\"arn:aws:iam::${{principals.value}}:root\"]\n      }}\n    }}"
            ),
        )
    };
    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "main.tf", &main("{ a = \"999988887777\" }"));
    let out = diff(repo.path());
    assert_eq!((out.code, out.findings), (1, vec![external("aws_iam_role.r")]));
    write(
        repo.path(),
        "main.tf",
        &format!("{}\nvariable \"later\" {{}}\n", main("var.later")),
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![unverifiable("aws_iam_role.r")])
    );
}

// ---- 7. lexicographic key order ----------------------------------------------------------------------

#[test]
fn objects_iterate_in_lexicographic_key_order() {
    for expression in [
        "values({ z = \"111111111111\", a = \"999988887777\" })[0]",
        "[for k, v in { z = \"111111111111\", a = \"999988887777\" } : v][0]",
        "keys({ \"999988887777\" = 1, \"111111111111\" = 2 })[1]",
        "values(merge({ z = \"111111111111\" }, { a = \"999988887777\" }))[0]",
    ] {
        let repo = repository(&[("main.tf", BASE)]);
        write(
            repo.path(),
            "main.tf",
            &BASE
                .replace("default = \"111111111111\"", "default = \"000000000000\"")
                .replace("${var.partner}", &format!("${{{expression}}}")),
        );
        let out = diff(repo.path());
        assert_eq!(
            (out.code, out.findings),
            (1, vec![external("aws_iam_role.r")]),
            "{expression}"
        );
    }
}

/// Template directives (`%{for}`, `%{if}`) and heredocs see objects in key order too.
#[test]
fn template_directives_and_heredocs_iterate_in_lexicographic_key_order() {
    for principal in [
        // The first value of the object, in Terraform's order, through a `%{for}` directive.
        r#"arn:aws:iam::${split(",", "%{for k, v in { z = "111111111111", a = "999988887777" }}${v},%{endfor}")[0]}:root"#,
        // A `%{if}` on the first key.
        r#"arn:aws:iam::%{if keys({ z = 1, a = 2 })[0] == "a"}999988887777%{else}111111111111%{endif}:root"#,
    ] {
        let repo = repository(&[("main.tf", BASE)]);
        write(
            repo.path(),
            "main.tf",
            &BASE.replace("arn:aws:iam::${var.partner}:root", principal),
        );
        let out = diff(repo.path());
        assert_eq!(
            (out.code, out.findings),
            (1, vec![external("aws_iam_role.r")]),
            "{principal}"
        );
    }
    let heredoc = r#"
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
      "Principal": {"AWS": "arn:aws:iam::${values({ z = "111111111111", a = "999988887777" })[0]}:root"}}]}
  EOT
}
"#;
    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "main.tf", heredoc);
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![external("aws_iam_role.r")]),
        "heredoc"
    );
}

/// A variable of a set type holds its elements in Terraform's set order (strings sorted, duplicates gone),
/// not as written: in a default, a variable definitions file and a module call argument. A set with an
/// element not known offline has no known order: what depends on it is unverifiable.
#[test]
fn set_typed_variables_are_in_set_order() {
    // The second element, in Terraform's order, is the external account; as written, the own one.
    let written = "[\"999988887777\", \"111111111111\", \"111111111111\"]";
    let last = "${tolist(var.accounts)[1]}";
    let root = |default: &str| {
        BASE.replace(
            "variable \"partner\" {\n  default = \"111111111111\"\n}\n",
            &format!("variable \"accounts\" {{\n  type    = set(string)\n  default = {default}\n}}\n"),
        )
        .replace("${var.partner}", last)
    };
    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "main.tf", &root(written));
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![external("aws_iam_role.r")]),
        "default"
    );

    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "main.tf", &root("[]"));
    write(
        repo.path(),
        "terraform.tfvars",
        &format!("accounts = {written}\n"),
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![external("aws_iam_role.r")]),
        "tfvars"
    );

    let module = format!(
        "variable \"accounts\" {{\n  type = set(string)\n}}\n{}",
        &root("[]")[root("[]").find("data \"aws_iam_policy_document\"").unwrap()..]
    );
    let repo = repository(&[("main.tf", BASE)]);
    write(repo.path(), "modules/m/main.tf", &module);
    write(
        repo.path(),
        "main.tf",
        &format!("{BASE}\nmodule \"m\" {{\n  source   = \"./modules/m\"\n  accounts = {written}\n}}\n"),
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, out.findings),
        (1, vec![external("module.m.aws_iam_role.r")]),
        "module argument"
    );

    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "main.tf",
        &format!(
            "{}\nresource \"aws_iam_role\" \"other\" {{\n  name = \"other\"\n}}\n",
            root("[\"999988887777\", aws_iam_role.other.unique_id]")
        ),
    );
    let out = diff(repo.path());
    assert_eq!(out.code, 1, "{}", out.json);
    assert!(
        out.findings.iter().all(|(_, _, kind)| kind == "unverifiable") && !out.findings.is_empty(),
        "unknown element: {:?}",
        out.findings
    );
}

// ---- 8. diff fails closed ----------------------------------------------------------------------------

#[test]
fn an_unparsable_working_tree_file_stops_diff() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "roles.tf",
        "resource \"aws_iam_role\" \"x\" {\n  name = \n",
    );
    let out = run_in(
        Some(repo.path()),
        &["diff", "--base", "main", "--account", "111111111111"],
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.starts_with("trustgate: error: roles.tf: line "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

/// A base revision file that does not parse cannot vouch for anything: here the base's `override.tf`
/// (narrowing the trust to the own account) is broken, so read without it the base would trust the partner
/// already and the working tree's trust would look unchanged. Its policies are compared against nothing.
#[test]
fn an_unparsable_base_file_does_not_hide_a_widening() {
    let wide = BASE.replace("111111111111", "999988887777");
    let broken_override =
        "data \"aws_iam_policy_document\" \"trust\" {\n  statement {\n    actions = [\"sts:AssumeRole\"]\n";
    let repo = repository(&[("main.tf", &wide), ("override.tf", broken_override)]);
    std::fs::remove_file(repo.path().join("override.tf")).unwrap();
    let out = diff(repo.path());
    assert_eq!((out.code, &out.findings), (1, &vec![external("aws_iam_role.r")]));
    let diagnostics = out.json["diagnostics"].to_string();
    assert!(diagnostics.contains("override.tf"), "{diagnostics}");
}

/// A base-revision file too large to read is not silently empty: the base vouches for nothing. Here the
/// base's (padded) `override.tf` narrows the trust to the own account; read without it, the base would
/// already trust the partner and the working tree, which deletes the override, would look unchanged.
#[test]
fn a_base_file_too_large_to_read_does_not_hide_a_widening() {
    let wide = BASE.replace("111111111111", "999988887777");
    let narrowing = format!(
        "{}\ndata \"aws_iam_policy_document\" \"trust\" {{\n  statement {{\n    actions = [\"sts:AssumeRole\"]\n    principals {{\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::111111111111:root\"]\n    }}\n  }}\n}}\n",
        format!("# {}\n", "x".repeat(80)).repeat(110_000)
    );
    assert!(narrowing.len() > 8 << 20);
    let repo = repository(&[("main.tf", &wide), ("override.tf", &narrowing)]);
    std::fs::remove_file(repo.path().join("override.tf")).unwrap();
    let out = diff(repo.path());
    assert_eq!((out.code, &out.findings), (1, &vec![external("aws_iam_role.r")]));
    let diagnostics = out.json["diagnostics"].to_string();
    assert!(
        diagnostics.contains("override.tf is larger than 8 MiB"),
        "{diagnostics}"
    );
}

/// A variable definitions file that does not parse (here a variable set twice, which Terraform rejects as
/// "Attribute redefined") stops `diff`, naming the file, as a `.tf` file does; it is never skipped.
#[test]
fn an_unparsable_tfvars_file_stops_diff() {
    for (name, text) in [
        (
            "terraform.tfvars",
            "partner = \"999988887777\"\npartner = \"111111111111\"\n",
        ),
        ("b.auto.tfvars", "partner = \n"),
        (
            "c.auto.tfvars.json",
            "{\"partner\": \"999988887777\", \"partner\": \"111111111111\"}",
        ),
    ] {
        let repo = repository(&[("main.tf", BASE)]);
        write(repo.path(), name, text);
        let out = run_in(
            Some(repo.path()),
            &["diff", "--base", "main", "--account", "111111111111"],
            None,
        );
        assert_eq!(out.code, 2, "{name}: {}", out.stdout);
        assert!(
            out.stderr.starts_with(&format!("trustgate: error: {name}:")),
            "{name}: {}",
            out.stderr
        );
    }
}

/// A module call whose source is not on disk: with no plan, what it creates is unverifiable (while the call
/// or anything it depends on changes).
#[test]
fn a_module_not_on_disk_is_unverifiable_in_diff() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "partner.tf",
        "module \"partner\" {\n  source  = \"example/partner-role/aws\"\n  account = \"999988887777\"\n}\n",
    );
    let out = diff(repo.path());
    assert_eq!(
        (out.code, &out.findings),
        (1, &vec![unverifiable("module.partner")])
    );
    assert!(
        out.json["findings"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not on disk")
    );
    assert!(
        out.json["notes"].as_array().is_none_or(Vec::is_empty),
        "a finding, not a note: {}",
        out.json
    );
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "module"]);
    let out = run_in(
        Some(repo.path()),
        &["diff", "--base", "HEAD", "--account", "111111111111"],
        None,
    );
    assert_eq!(out.code, 0, "unchanged: {}", out.stdout);
}

/// Local modules nested deeper than the limit are not read: their policies are unverifiable, not gone.
#[test]
fn local_modules_nested_past_the_limit_are_unverifiable() {
    let repo = repository(&[("main.tf", BASE)]);
    write(
        repo.path(),
        "chain.tf",
        "module \"m\" {\n  source = \"./m0\"\n}\n",
    );
    for depth in 0..40 {
        write(
            repo.path(),
            &format!("m{depth}/main.tf"),
            &format!("module \"m\" {{\n  source = \"../m{}\"\n}}\n", depth + 1),
        );
    }
    write(
        repo.path(),
        "m40/main.tf",
        &BASE.replace("111111111111", "999988887777"),
    );
    let out = diff(repo.path());
    assert_eq!(out.code, 1, "{}", out.json);
    assert!(
        out.findings.iter().all(|(_, _, kind)| kind == "unverifiable") && !out.findings.is_empty(),
        "{:?}",
        out.findings
    );
}

// ---- 9. the base copy on a signal --------------------------------------------------------------------

/// `diff` copies the base revision into a private (0700) temporary directory and removes it when stopped
/// by SIGTERM or SIGINT. A `git` wrapper on PATH holds the run inside the copy (`git cat-file` waits) so the
/// signal arrives while the directory exists.
#[cfg(unix)]
#[test]
fn the_base_copy_is_private_and_removed_on_sigterm_and_sigint() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};
    let real_git = String::from_utf8(
        Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let repo = repository(&[("main.tf", BASE)]);
        let tools = tempfile::tempdir().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let wrapper = tools.path().join("git");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nfor a in \"$@\"; do if [ \"$a\" = cat-file ]; then touch \"{}/ready\"; sleep 10; fi; done\nexec {real_git} \"$@\"\n",
                tools.path().display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = format!(
            "{}:{}",
            tools.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_trustgate"))
            .args(["diff", "--base", "main"])
            .current_dir(repo.path())
            .env("PATH", path)
            .env("TMPDIR", tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !tools.path().join("ready").exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "diff never reached git cat-file"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let copies: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(copies.len(), 1, "{copies:?}");
        let mode = std::fs::metadata(&copies[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{mode:o}");
        // SAFETY: kill(2) on the child this test started.
        unsafe {
            libc::kill(child.id() as libc::pid_t, signal);
        }
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        assert!(!copies[0].exists(), "the copy of the base revision is removed");
    }
}

// ---- the same rules in `check --source` --------------------------------------------------------------

/// A plan in which the role's trust policy is known only after apply, so the sources decide it.
const UNKNOWN_TRUST_PLAN: &str = r#"{"format_version": "1.2", "terraform_version": "1.11.0",
 "resource_changes": [{"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null, "after": {"name": "r"},
              "after_unknown": {"assume_role_policy": true}}}],
 "configuration": {"root_module": {}}}"#;

fn check_source(files: &[(&str, &str)]) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    write(dir.path(), "plan.json", UNKNOWN_TRUST_PLAN);
    let out = run_in(
        Some(dir.path()),
        &[
            "check",
            "plan.json",
            "--source",
            ".",
            "--account",
            "111111111111",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|_| panic!("JSON (exit {}): {}", out.code, out.stderr));
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["principal"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_source_follows_overrides_tfvars_json_and_rejects_duplicates() {
    let own = check_source(&[("main.tf", BASE)]);
    assert_eq!(own, vec![], "own account only");
    // `a_override.tf` sorts before `main.tf` but is applied after it.
    let overridden = check_source(&[
        ("main.tf", BASE),
        (
            "a_override.tf",
            "variable \"partner\" {\n  default = \"999988887777\"\n}\n",
        ),
    ]);
    assert_eq!(overridden, vec![external("aws_iam_role.r")]);
    let tfvars = check_source(&[
        ("main.tf", BASE),
        ("terraform.tfvars.json", "{\"partner\": \"999988887777\"}"),
    ]);
    assert_eq!(tfvars, vec![external("aws_iam_role.r")]);
    let json = check_source(&[
        (
            "main.tf",
            &BASE.replace("variable \"partner\" {\n  default = \"111111111111\"\n}\n", ""),
        ),
        (
            "vars.tf.json",
            "{\"variable\": {\"partner\": {\"default\": \"999988887777\"}}}",
        ),
    ]);
    assert_eq!(json, vec![external("aws_iam_role.r")]);
    let twice = check_source(&[
        ("main.tf", BASE),
        (
            "b.tf",
            "variable \"partner\" {\n  default = \"999988887777\"\n}\n",
        ),
    ]);
    assert_eq!(twice, vec![unverifiable("aws_iam_role.r")]);
    let hidden = check_source(&[
        ("main.tf", &BASE.replace("111111111111", "999988887777")),
        (
            ".a.tf",
            "variable \"partner\" {\n  default = \"111111111111\"\n}\n",
        ),
    ]);
    assert_eq!(
        hidden,
        vec![external("aws_iam_role.r")],
        "the hidden file is not read (no duplicate)"
    );
}

// ---- real terraform ----------------------------------------------------------------------------------

/// `testdata/real/terraform-file-rules`, planned and applied by real terraform (`state.json`): an override
/// file replacing a trust policy, a `.tf.json` bucket policy, four variable definitions files and two file
/// names terraform ignores. What `check --source` evaluates from the sources and what `diff` evaluates with
/// no plan are exactly the foreign principals of the policies terraform applied.
#[test]
fn real_terraform_agrees_on_the_file_rules() {
    let case = common::root().join("testdata/real/terraform-file-rules");
    let own = "123456789012";
    // What terraform applied: every AWS principal of each policy outside moto's account.
    let state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("state.json")).unwrap()).unwrap();
    let mut applied = Vec::new();
    for resource in state["values"]["root_module"]["resources"].as_array().unwrap() {
        let values = &resource["values"];
        let Some(policy) = values["assume_role_policy"]
            .as_str()
            .or_else(|| values["policy"].as_str())
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        let policy: serde_json::Value = serde_json::from_str(policy).unwrap();
        for statement in policy["Statement"].as_array().unwrap() {
            let aws = &statement["Principal"]["AWS"];
            let principals: Vec<&str> = match aws {
                serde_json::Value::String(one) => vec![one.as_str()],
                serde_json::Value::Array(many) => many.iter().filter_map(|p| p.as_str()).collect(),
                _ => vec![],
            };
            for principal in principals.into_iter().filter(|p| !p.contains(own)) {
                applied.push((
                    resource["address"].as_str().unwrap().to_string(),
                    principal.to_string(),
                    "external-account".to_string(),
                ));
            }
        }
    }
    applied.sort();
    assert_eq!(
        applied.len(),
        3,
        "terraform applied the override, the .tf.json policy and b.auto.tfvars.json: {applied:?}"
    );
    // The plan knows none of the three, so the sources decide them.
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["variables"]["partner_account"]["value"], "999988887777");
    for (address, _, _) in &applied {
        let change = plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["address"] == address.as_str())
            .unwrap();
        let unknown = &change["change"]["after_unknown"];
        assert!(
            unknown["assume_role_policy"] == true || unknown["policy"] == true,
            "{address} is known only after apply"
        );
    }
    let findings = |json: &serde_json::Value| -> Vec<(String, String, String)> {
        let mut out: Vec<_> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["address"].as_str().unwrap().to_string(),
                    f["principal"].as_str().unwrap().to_string(),
                    f["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let out = run_in(
        Some(&case),
        &[
            "check",
            "plan.json",
            "--source",
            "config",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(findings(&json), applied, "check --source");
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["resolved_from_source"] == true),
        "{json}"
    );

    // `diff` from a base with none of it to the case's configuration.
    let repo = repository(&[("main.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n")]);
    for entry in std::fs::read_dir(case.join("config")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, repo.path().join(path.file_name().unwrap())).unwrap();
    }
    let out = run_in(
        Some(repo.path()),
        &[
            "diff",
            "--base",
            "main",
            "--account",
            own,
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(findings(&json), applied, "diff");
    assert!(
        json["diagnostics"].as_array().is_none_or(Vec::is_empty),
        "no duplicate from the ignored files: {json}"
    );
}

/// (address, principal, kind) of each finding of `--format json` output, sorted.
fn findings(stdout: &str) -> Vec<(String, String, String)> {
    let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
    let mut out: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["address"].as_str().unwrap().to_string(),
                f["principal"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

/// `testdata/real/terraform-var-options`: real terraform planned with `-var` and `-var-file` options whose
/// order decides each variable (`plan-args`), and a set-typed variable written out of set order. `diff` given the same options as `--var`/`--var-file` gives
/// the findings `check --source` gives on the real plan, and the plan's values.
#[test]
fn real_terraform_agrees_on_var_options() {
    let case = common::root().join("testdata/real/terraform-var-options");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["variables"]["partner_account"]["value"], "999988887777");
    assert_eq!(plan["variables"]["audit_account"]["value"], "999988887777");
    let checked = run_in(
        Some(&case),
        &[
            "check",
            "plan.json",
            "--source",
            "config",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    let checked = findings(&checked.stdout);
    assert_eq!(
        plan["variables"]["accounts"]["value"],
        serde_json::json!(["123456789012", "999988887777"]),
        "terraform holds a set in set order"
    );
    assert_eq!(
        checked,
        vec![
            external("aws_iam_role.audit"),
            external("aws_iam_role.ordered"),
            external("aws_iam_role.partner")
        ]
    );

    let repo = repository(&[("main.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n")]);
    for entry in std::fs::read_dir(case.join("config")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, repo.path().join(path.file_name().unwrap())).unwrap();
    }
    // terraform's `-var=…`/`-var-file=…` words, as trustgate's options.
    let words = std::fs::read_to_string(case.join("plan-args")).unwrap();
    let mut args = vec![
        "diff".to_string(),
        "--base".to_string(),
        "main".to_string(),
        "--account".to_string(),
        "123456789012".to_string(),
        "--today".to_string(),
        TODAY.to_string(),
        "--format".to_string(),
        "json".to_string(),
    ];
    for word in words.split_whitespace() {
        let (option, value) = word.trim_start_matches('-').split_once('=').unwrap();
        args.push(format!("--{option}"));
        args.push(value.to_string());
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run_in(Some(repo.path()), &argv, None);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(findings(&out.stdout), checked, "diff with the plan's options");
    // Without them the two variables keep their own-account defaults (the set does not depend on them).
    let out = run_in(Some(repo.path()), &argv[..9], None);
    assert_eq!(
        (out.code, findings(&out.stdout)),
        (1, vec![external("aws_iam_role.ordered")])
    );
}

/// `testdata/real/terraform-var-env`: real terraform planned with `TF_VAR_*` variables (`plan-env`) that the
/// variable definitions files override in part (terraform.tfvars < terraform.tfvars.json < *.auto.tfvars), and
/// a list-typed variable given as HCL in the environment. `diff` run with the same environment gives the
/// findings `check --source` gives on the real plan; the plan's `variables` are terraform's own verdict.
#[test]
fn real_terraform_agrees_on_tf_var_environment() {
    let case = common::root().join("testdata/real/terraform-var-env");
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("plan.json")).unwrap()).unwrap();
    for name in [
        "partner_account",
        "audit_account",
        "backup_account",
        "log_account",
    ] {
        assert_eq!(plan["variables"][name]["value"], "999988887777", "{name}");
    }
    assert_eq!(plan["variables"]["own_account"]["value"], "123456789012");
    let trusted = |key: &str| {
        (
            format!("aws_iam_role.trusted[\"{key}\"]"),
            EXTERNAL.to_string(),
            "external-account".to_string(),
        )
    };
    let want: Vec<_> = ["audit", "backup", "log", "partner", "reader"]
        .into_iter()
        .map(trusted)
        .collect();
    let checked = run_in(
        Some(&case),
        &[
            "check",
            "plan.json",
            "--source",
            "config",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(checked.code, 1, "{}", checked.stderr);
    assert_eq!(findings(&checked.stdout), want, "check --source on the real plan");

    let repo = repository(&[("main.tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n")]);
    for entry in std::fs::read_dir(case.join("config")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, repo.path().join(path.file_name().unwrap())).unwrap();
    }
    let lines = std::fs::read_to_string(case.join("plan-env")).unwrap();
    let env: Vec<(&str, &str)> = lines
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split_once('=').expect("NAME=VALUE"))
        .collect();
    assert_eq!(env.len(), 5, "plan-env sets five variables");
    let argv = [
        "diff",
        "--base",
        "main",
        "--account",
        "123456789012",
        "--today",
        TODAY,
        "--format",
        "json",
    ];
    let out = common::run_in_env(Some(repo.path()), &argv, None, &env);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(findings(&out.stdout), want, "diff in the plan's environment");
    // Without the environment partner_account has no value and reader_accounts is empty: the roles'
    // for_each map cannot be built, and the resource is unverifiable, never passed.
    let out = run_in(Some(repo.path()), &argv, None);
    assert_eq!(
        (out.code, findings(&out.stdout)),
        (
            1,
            vec![(
                "aws_iam_role.trusted[*]".to_string(),
                String::new(),
                "unverifiable".to_string()
            )]
        )
    );
}
