use super::*;

fn parse(text: &str) -> Result<Plan<'_>> {
    parse_plan(text, Path::new("plan.json"))
}

fn error_line(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

fn plan_with_actions(actions: &str) -> String {
    format!(
        r#"{{"format_version":"1.2","resource_changes":[{{"address":"aws_iam_role.r","mode":"managed",
        "type":"aws_iam_role","name":"r","provider_name":"registry.terraform.io/hashicorp/aws",
        "change":{{"actions":{actions},"before":null,"after":null,"after_unknown":{{}},
        "before_sensitive":false,"after_sensitive":false}}}}]}}"#
    )
}

#[test]
fn every_documented_action_list_maps() {
    let cases = [
        (r#"["no-op"]"#, ChangeAction::NoOp),
        (r#"["create"]"#, ChangeAction::Create),
        (r#"["read"]"#, ChangeAction::Read),
        (r#"["update"]"#, ChangeAction::Update),
        (r#"["delete","create"]"#, ChangeAction::ReplaceDeleteFirst),
        (r#"["create","delete"]"#, ChangeAction::ReplaceCreateFirst),
        (r#"["delete"]"#, ChangeAction::Delete),
        (r#"["forget"]"#, ChangeAction::Forget),
        (r#"["create","forget"]"#, ChangeAction::ReplaceForget),
    ];
    for (actions, expected) in cases {
        let text = plan_with_actions(actions);
        let plan = parse(&text).unwrap();
        assert_eq!(plan.resource_changes[0].change.action, expected, "{actions}");
    }
}

#[test]
fn unknown_action_list_is_rejected_with_its_place() {
    let err = error_line(&plan_with_actions(r#"["explode"]"#));
    assert!(
        err.starts_with("plan.json: resource_changes[0].change.actions: unknown action list [\"explode\"]"),
        "{err}"
    );
    let err = error_line(&plan_with_actions("[]"));
    assert!(err.contains("unknown action list []"), "{err}");
}

#[test]
fn borrows_strings_and_keeps_bags_raw() {
    let text = r#"{"format_version":"1.2","terraform_version":"1.9.0","variables":{"x":{"value":1}},
      "resource_changes":[{"address":"module.m[\"k\"].aws_s3_bucket_policy.p","module_address":"module.m[\"k\"]",
      "previous_address":"aws_s3_bucket_policy.old","mode":"managed","type":"aws_s3_bucket_policy","name":"p",
      "index":"k","deposed":"abc","action_reason":"replace_because_tainted","future_key":{"a":[1]},
      "change":{"actions":["update"],"before":{"policy":"{}"},"after":{"policy":"{\"a\":1}"},
      "after_unknown":true,"before_sensitive":false,"after_sensitive":{"policy":true}}}],
      "configuration":{"root_module":{}}}"#;
    let plan = parse(text).unwrap();
    assert_eq!(plan.format_version, "1.2");
    assert_eq!(plan.terraform_version.as_deref(), Some("1.9.0"));
    let change = &plan.resource_changes[0];
    assert_eq!(change.address, "module.m[\"k\"].aws_s3_bucket_policy.p");
    assert!(
        matches!(change.address, Cow::Owned(_)),
        "escaped strings are copied"
    );
    assert!(
        matches!(change.resource_type, Cow::Borrowed(_)),
        "plain strings are borrowed"
    );
    assert_eq!(change.index, Some(InstanceKey::Str(Cow::Borrowed("k"))));
    assert_eq!(change.deposed.as_deref(), Some("abc"));
    assert_eq!(
        change.previous_address.as_deref(),
        Some("aws_s3_bucket_policy.old")
    );
    assert_eq!(change.change.after_unknown.map(RawValue::get), Some("true"));
    assert_eq!(change.change.before_sensitive.map(RawValue::get), Some("false"));
    assert_eq!(
        change.change.after.map(RawValue::get),
        Some(r#"{"policy":"{\"a\":1}"}"#)
    );
    assert!(plan.variables.is_some() && plan.configuration.is_some());
}

#[test]
fn prior_state_modules_are_walked_recursively() {
    let text = r#"{"format_version":"1.0","prior_state":{"format_version":"1.0","values":{"root_module":{
      "resources":[{"address":"data.aws_caller_identity.c","mode":"data","type":"aws_caller_identity",
      "name":"c","values":{"account_id":"111122223333"}}],
      "child_modules":[{"address":"module.a","resources":[{"address":"module.a.aws_iam_role.r","mode":"managed",
      "type":"aws_iam_role","name":"r","index":0,"values":{}}],"child_modules":[{"address":"module.a.module.b",
      "resources":[{"address":"module.a.module.b.aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue",
      "name":"q","values":null}]}]}]}}}}"#;
    let plan = parse(text).unwrap();
    let root = plan.prior_state.as_ref().unwrap();
    let addresses: Vec<&str> = root.all_resources().iter().map(|r| r.address.as_ref()).collect();
    assert_eq!(
        addresses,
        [
            "data.aws_caller_identity.c",
            "module.a.aws_iam_role.r",
            "module.a.module.b.aws_sqs_queue.q"
        ]
    );
    assert!(plan.resource_changes.is_empty());
}

#[test]
fn format_versions_zero_and_one_are_accepted_others_rejected() {
    for version in ["0.1", "0.2", "1.0", "1.2", "1.9", "1.10"] {
        let text = format!(r#"{{"format_version":"{version}"}}"#);
        assert!(parse(&text).is_ok(), "{version}");
    }
    for version in ["2.0", "abc", "", "1.x", "3"] {
        let text = format!(r#"{{"format_version":"{version}","planned_values":{{}}}}"#);
        let err = error_line(&text);
        assert!(
            err.starts_with("plan.json: format_version: unsupported plan format_version"),
            "{err}"
        );
        assert!(err.contains("0.x and 1.x"), "{err}");
    }
}

#[test]
fn newer_format_with_different_shape_reports_the_version() {
    let err = error_line(r#"{"format_version":"2.0","resource_changes":{"new":"shape"}}"#);
    assert!(err.contains("unsupported plan format_version \"2.0\""), "{err}");
}

#[test]
fn malformed_json_names_line_and_column() {
    let err = error_line("{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,]\n}");
    assert_eq!(
        err,
        "plan.json: line 3, column 24: malformed JSON: expected value"
    );
    let err = error_line("{\"format_version\":\"1.2\"");
    assert!(
        err.starts_with("plan.json: line 1, column 23: unexpected end of input"),
        "{err}"
    );
    let err = error_line("{\"format_version\":\"1.2\"} x");
    assert_eq!(
        err,
        "plan.json: line 1, column 26: unexpected text after the end of the JSON document"
    );
    let err = error_line(r#"{"format_version":"1.2","resource_changes":[{"address":1}]}"#);
    assert!(
        err.contains("line 1, column 56: not a valid plan: invalid type: integer `1`"),
        "{err}"
    );
    let err = error_line("   ");
    assert!(err.contains("empty input"), "{err}");
    let err = error_line("42");
    assert!(err.contains("expected a plan object"), "{err}");
}

#[test]
fn non_plan_documents_say_what_they_look_like() {
    let err =
        error_line(r#"{"format_version":"1.0","terraform_version":"1.5.0","values":{"root_module":{}}}"#);
    assert!(
        err.contains("looks like a Terraform state (`terraform show -json` without a plan file"),
        "{err}"
    );
    let err =
        error_line(r#"{"version":4,"terraform_version":"1.5.0","serial":3,"lineage":"x","resources":[]}"#);
    assert!(err.contains("raw Terraform state file"), "{err}");
    let err = error_line(r#"{"hello":"world"}"#);
    assert!(
        err.contains("not a Terraform plan: there is no \"format_version\" key"),
        "{err}"
    );
    let err = error_line("[1,2]");
    assert!(err.contains("found a JSON array"), "{err}");
}

#[test]
fn setup_terraform_wrapper_capture_is_explained() {
    let text = "[command]/tmp/x/terraform-bin show -json plan.tfplan\n{\"format_version\":\"1.0\"}%0A\n\
                ::set-output name=stderr::\n::set-output name=exitcode::0\n";
    let err = error_line(text);
    assert!(
        err.starts_with("plan.json: line 1: this is output captured through the hashicorp/setup-terraform")
    );
    assert!(err.contains("terraform_wrapper: false") && err.contains("terraform-bin show -json"));
    assert!(!err.contains('\n'));
    let err = error_line("{\"format_version\":\"1.0\"}%0A\n::set-output name=exitcode::0\n");
    assert!(
        err.starts_with("plan.json: line 2: this is output captured"),
        "{err}"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep_bag = format!(
        r#"{{"format_version":"1.2","variables":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let _ = parse(&deep_bag);
    let open = r#"{"child_modules":["#.repeat(5_000);
    let close = "]}".repeat(5_000);
    let deep_modules =
        format!(r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{open}{close}}}}}}}"#);
    let err = error_line(&deep_modules);
    assert!(err.contains("recursion limit"), "{err}");
}

#[test]
fn partial_plans_fail_closed_with_the_reason() {
    let errored = r#"{"format_version":"1.2","errored":true,"complete":false,"resource_changes":[]}"#;
    let line = error_line(errored);
    assert!(
        line.contains("errored") && line.contains("fix the error"),
        "{line}"
    );

    let targeted = r#"{"format_version":"1.2","errored":false,"complete":false,"applyable":true}"#;
    let line = error_line(targeted);
    assert!(
        line.contains("\"complete\": false") && line.contains("-target"),
        "{line}"
    );

    let deferred = r#"{"format_version":"1.2","complete":false,"deferred_changes":[
        {"reason":"instance_count_unknown","resource_change":{"address":"aws_iam_role.r[\"a\"]"}},
        {"reason":"deferred_prereq","resource_change":{"address":"aws_iam_role.s"}}]}"#;
    let line = error_line(deferred);
    assert!(
        line.contains("deferred_changes[0]")
            && line.contains("aws_iam_role.r[\"a\"]")
            && line.contains("instance_count_unknown")
            && line.contains("and 1 more"),
        "{line}"
    );

    // Whole plans still parse, with or without the keys (they are new in 1.6/1.8).
    let whole =
        r#"{"format_version":"1.2","errored":false,"complete":true,"applyable":true,"deferred_changes":[]}"#;
    assert!(parse(whole).is_ok());
    assert!(parse(r#"{"format_version":"1.0","resource_changes":[]}"#).is_ok());
}
