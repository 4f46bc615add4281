use std::path::Path;

use super::*;
use crate::plan::parse_plan;

/// A plan with one resource change of `resource_type` at `address`.
fn plan_json(
    resource_type: &str,
    address: &str,
    actions: &str,
    before: &str,
    after: &str,
    unknown: &str,
) -> String {
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[{{"address":"{address}",
        "mode":"managed","type":"{resource_type}","name":"x","provider_name":"registry.terraform.io/hashicorp/aws",
        "change":{{"actions":{actions},"before":{before},"after":{after},"after_unknown":{unknown},
        "before_sensitive":false,"after_sensitive":{{}}}}}}]}}"#
    )
}

fn scan_text(text: &str) -> PlanScan {
    let plan = parse_plan(text, Path::new("t.json")).unwrap_or_else(|err| panic!("{err}"));
    scan(&plan, &Catalog::builtin())
}

fn sites(resource_type: &str, actions: &str, before: &str, after: &str, unknown: &str) -> Vec<PolicySite> {
    scan_text(&plan_json(
        resource_type,
        &format!("{resource_type}.x"),
        actions,
        before,
        after,
        unknown,
    ))
    .sites
}

fn one(resource_type: &str, actions: &str, before: &str, after: &str, unknown: &str) -> PolicySite {
    let mut found = sites(resource_type, actions, before, after, unknown);
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

fn known(text: &str) -> PolicyValue {
    PolicyValue::Known(text.to_string())
}

const TRUST: &str = r#"{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}"#;
const TRUST_DECODED: &str = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}],"Version":"2012-10-17"}"#;

#[test]
fn create_update_delete_sides() {
    let after = format!(r#"{{"assume_role_policy":"{TRUST}","inline_policy":[]}}"#);
    let site = &sites("aws_iam_role", r#"["create"]"#, "null", &after, "{}")[0];
    assert_eq!(
        (site.attribute.as_str(), site.role, site.service.as_str()),
        ("assume_role_policy", PolicyRole::Trust, "sts")
    );
    assert_eq!(
        (site.change, &site.before, &site.after),
        (ChangeAction::Create, &PolicyValue::Absent, &known(TRUST_DECODED))
    );

    let site = &sites("aws_iam_role", r#"["update"]"#, &after, &after, "{}")[0];
    assert_eq!(
        (&site.before, &site.after),
        (&known(TRUST_DECODED), &known(TRUST_DECODED))
    );

    let site = &sites("aws_iam_role", r#"["delete"]"#, &after, "null", "{}")[0];
    assert_eq!(
        (site.change, &site.before, &site.after),
        (ChangeAction::Delete, &known(TRUST_DECODED), &PolicyValue::Absent)
    );

    let site = &sites("aws_iam_role", r#"["delete","create"]"#, &after, &after, "{}")[0];
    assert_eq!(site.change, ChangeAction::ReplaceDeleteFirst);
    assert_eq!(site.change.as_str(), "replace");
}

#[test]
fn unknown_and_absent_are_told_apart() {
    let policy = |after: &str, unknown: &str| {
        one("aws_sqs_queue_policy", r#"["create"]"#, "null", after, unknown).after
    };
    assert_eq!(
        policy(r#"{"policy":null}"#, r#"{"policy":true}"#),
        PolicyValue::Unknown
    );
    assert_eq!(policy(r#"{}"#, r#"{"policy":true}"#), PolicyValue::Unknown);
    assert_eq!(policy(r#"{"queue_url":null}"#, "true"), PolicyValue::Unknown);
    assert_eq!(policy(r#"{"policy":null}"#, "{}"), PolicyValue::Absent);
    assert_eq!(policy(r#"{"policy":""}"#, "{}"), PolicyValue::Absent);
    assert_eq!(policy(r#"{}"#, "{}"), PolicyValue::Absent);
    assert_eq!(policy(r#"{"policy":"{}"}"#, r#"{"policy":false}"#), known("{}"));
    // A no-op whose before and after are both null (seen in TF 1.0 output).
    let site = one("aws_sqs_queue_policy", r#"["no-op"]"#, "null", "null", "{}");
    assert_eq!(
        (site.before, site.after),
        (PolicyValue::Absent, PolicyValue::Absent)
    );
}

#[test]
fn list_paths_expand_per_element() {
    let after = format!(
        r#"{{"assume_role_policy":"{TRUST}","inline_policy":[{{"name":"a","policy":"{{}}"}},{{"name":"b","policy":null}}]}}"#
    );
    let unknown = r#"{"inline_policy":[{"policy":false},{"policy":true}]}"#;
    let found = sites("aws_iam_role", r#"["create"]"#, "null", &after, unknown);
    let inline: Vec<(&str, &PolicyValue)> = found[1..]
        .iter()
        .map(|s| (s.attribute.as_str(), &s.after))
        .collect();
    assert_eq!(
        inline,
        [
            ("inline_policy[0].policy", &known("{}")),
            ("inline_policy[1].policy", &PolicyValue::Unknown)
        ]
    );
    assert!(found[1..].iter().all(|s| s.role == PolicyRole::Identity));

    // The whole list unknown while the old object had one element.
    let before = r#"{"inline_policy":[{"name":"a","policy":"{}"}]}"#;
    let found = sites(
        "aws_iam_role",
        r#"["update"]"#,
        before,
        r#"{"inline_policy":null}"#,
        r#"{"inline_policy":true}"#,
    );
    assert_eq!(
        (found[1].attribute.as_str(), &found[1].before, &found[1].after),
        ("inline_policy[0].policy", &known("{}"), &PolicyValue::Unknown)
    );

    // Unknown list and no elements anywhere: one unresolved site.
    let found = sites(
        "aws_iam_role",
        r#"["create"]"#,
        "null",
        "{}",
        r#"{"inline_policy":true}"#,
    );
    assert_eq!(
        (found[1].attribute.as_str(), &found[1].after),
        ("inline_policy[*].policy", &PolicyValue::Unknown)
    );

    // Empty list: no inline sites at all.
    assert_eq!(
        sites(
            "aws_iam_role",
            r#"["create"]"#,
            "null",
            r#"{"inline_policy":[]}"#,
            "{}"
        )
        .len(),
        1
    );
}

#[test]
fn fixed_index_paths_are_followed() {
    let after = r#"{"details":[{"name":"mrap","policy":"{\"Version\":\"2012-10-17\"}"}]}"#;
    let site = one(
        "aws_s3control_multi_region_access_point_policy",
        r#"["create"]"#,
        "null",
        after,
        "{}",
    );
    assert_eq!(
        (site.attribute.as_str(), site.after),
        ("details[0].policy", known(r#"{"Version":"2012-10-17"}"#))
    );
    let unknown = r#"{"details":[{"policy":true}]}"#;
    let site = one(
        "aws_s3control_multi_region_access_point_policy",
        r#"["create"]"#,
        "null",
        after,
        unknown,
    );
    assert_eq!(site.after, PolicyValue::Unknown);
}

#[test]
fn data_sources_and_uncatalogued_types_are_not_sites() {
    let text = r#"{"format_version":"1.2","resource_changes":[
      {"address":"data.aws_iam_policy_document.d","mode":"data","type":"aws_iam_policy_document","name":"d",
       "change":{"actions":["read"],"before":null,"after":{"json":null},"after_unknown":{"json":true}}},
      {"address":"data.aws_s3_bucket.b","mode":"data","type":"aws_s3_bucket","name":"b",
       "change":{"actions":["read"],"before":null,"after":{"policy":null},"after_unknown":{"policy":true}}},
      {"address":"aws_instance.i","mode":"managed","type":"aws_instance","name":"i",
       "change":{"actions":["create"],"before":null,"after":{},"after_unknown":{}}}]}"#;
    let scanned = scan_text(text);
    assert!(scanned.sites.is_empty());
    assert_eq!(scanned.resources, 1);
    assert_eq!(scanned.format_version, "1.2");
}

#[test]
fn module_index_deposed_and_previous_address_are_kept() {
    let text = r#"{"format_version":"1.2","resource_changes":[{"address":"module.m[\"a\"].aws_sns_topic_policy.p[\"k\"]",
      "module_address":"module.m[\"a\"]","previous_address":"aws_sns_topic_policy.p","mode":"managed",
      "type":"aws_sns_topic_policy","name":"p","index":"k","deposed":"0a1b2c3d",
      "change":{"actions":["delete"],"before":{"policy":"{}"},"after":null,"after_unknown":{}}}]}"#;
    let scanned = scan_text(text);
    let site = &scanned.sites[0];
    assert_eq!(
        site.address,
        "module.m[\"a\"].aws_sns_topic_policy.p[\"k\"] (deposed 0a1b2c3d)"
    );
    assert_eq!(site.module_address, "module.m[\"a\"]");
    assert_eq!(site.previous_address.as_deref(), Some("aws_sns_topic_policy.p"));
    assert_eq!(
        scanned.resources, 0,
        "deposed objects are not counted as instances"
    );
}

/// Only the resource's own `tags` approve: `tags_all` adds the provider's `default_tags`, which one
/// provider block sets for every resource of the workspace.
#[test]
fn tags_are_the_resources_own_never_tags_all() {
    let after =
        r#"{"policy":"{}","tags":{"a":"1"},"tags_all":{"a":"1","trustgate:owner":"team-x","n":null}}"#;
    let scanned = scan_text(&plan_json(
        "aws_sqs_queue",
        "aws_sqs_queue.x",
        r#"["create"]"#,
        "null",
        after,
        "{}",
    ));
    let site = &scanned.sites[0];
    let tags: Vec<(&str, &str)> = site.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tags, [("a", "1")]);
    assert_eq!(scanned.default_tag_annotations, ["aws_sqs_queue.x"]);

    // The resource's own trustgate tags count, and are not reported as coming from default tags.
    let own =
        r#"{"policy":"{}","tags":{"trustgate:owner":"team-y"},"tags_all":{"trustgate:owner":"team-y"}}"#;
    let scanned = scan_text(&plan_json(
        "aws_sqs_queue",
        "aws_sqs_queue.x",
        r#"["create"]"#,
        "null",
        own,
        "{}",
    ));
    assert_eq!(
        scanned.sites[0].tags.get("trustgate:owner").map(String::as_str),
        Some("team-y")
    );
    assert!(scanned.default_tag_annotations.is_empty());

    let site = one(
        "aws_sqs_queue",
        r#"["delete"]"#,
        r#"{"policy":"{}","tags":{"old":"yes"},"tags_all":{"old":"yes","x":"y"}}"#,
        "null",
        "{}",
    );
    assert_eq!(site.tags.get("old").map(String::as_str), Some("yes"));
    assert_eq!(site.tags.get("x"), None);
}

#[test]
fn partition_comes_from_the_resource_arn() {
    let site = one(
        "aws_sqs_queue",
        r#"["no-op"]"#,
        "null",
        r#"{"arn":"arn:aws-cn:sqs:cn-north-1:111122223333:q","policy":"{}"}"#,
        "{}",
    );
    assert_eq!(site.partition, "aws-cn");
    let site = one(
        "aws_sqs_queue",
        r#"["create"]"#,
        "null",
        r#"{"arn":null,"policy":"{}"}"#,
        r#"{"arn":true}"#,
    );
    assert_eq!(site.partition, "aws");
}

fn grant_after(resource_type: &str, after: &str, unknown: &str) -> PolicyValue {
    one(resource_type, r#"["create"]"#, "null", after, unknown).after
}

#[test]
fn lambda_permission_principals_and_conditions() {
    let base = |principal: &str, extra: &str| {
        format!(
            r#"{{"action":"lambda:InvokeFunction","event_source_token":null,"function_name":"fn","principal":"{principal}",
            "principal_org_id":null,"qualifier":null,"source_account":"","source_arn":null,"statement_id":"S1"{extra}}}"#
        )
    };
    let expect = |principal: &str, condition: &str| {
        known(&format!(
            r#"{{"Statement":[{{"Action":"lambda:InvokeFunction",{condition}"Effect":"Allow","Principal":{principal},"Resource":"arn:aws:lambda:*:*:function:fn","Sid":"S1"}}],"Version":"2012-10-17"}}"#
        ))
    };
    assert_eq!(
        grant_after("aws_lambda_permission", &base("*", ""), "{}"),
        expect(r#""*""#, "")
    );
    assert_eq!(
        grant_after("aws_lambda_permission", &base("111122223333", ""), "{}"),
        expect(r#"{"AWS":"arn:aws:iam::111122223333:root"}"#, "")
    );
    assert_eq!(
        grant_after(
            "aws_lambda_permission",
            &base("arn:aws:iam::111122223333:role/r", ""),
            "{}"
        ),
        expect(r#"{"AWS":"arn:aws:iam::111122223333:role/r"}"#, "")
    );
    let with_source = base(
        "s3.amazonaws.com",
        r#","source_account":"444455556666","source_arn":"arn:aws:s3:::b""#,
    );
    let with_source = with_source.replacen(r#""source_account":"","source_arn":null,"#, "", 1);
    assert_eq!(
        grant_after("aws_lambda_permission", &with_source, "{}"),
        expect(
            r#"{"Service":"s3.amazonaws.com"}"#,
            r#""Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::b"},"StringEquals":{"aws:SourceAccount":"444455556666"}},"#
        )
    );
    let url = base("*", "").replace(
        r#""principal_org_id":null"#,
        r#""principal_org_id":"o-abc","function_url_auth_type":"NONE""#,
    );
    assert_eq!(
        grant_after("aws_lambda_permission", &url, "{}"),
        expect(
            r#""*""#,
            r#""Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc","lambda:FunctionUrlAuthType":"NONE"}},"#
        )
    );
    assert_eq!(
        grant_after("aws_lambda_permission", &base("*", ""), r#"{"source_arn":true}"#),
        PolicyValue::Unknown
    );
    assert_eq!(
        grant_after("aws_lambda_permission", &base("*", ""), r#"{"principal":true}"#),
        PolicyValue::Unknown
    );
    // The statement id alone being unknown does not hide the grant.
    assert!(matches!(
        grant_after(
            "aws_lambda_permission",
            &base("*", ""),
            r#"{"statement_id":true}"#
        ),
        PolicyValue::Known(_)
    ));
    let site = one(
        "aws_lambda_permission",
        r#"["create"]"#,
        "null",
        &base("*", ""),
        "{}",
    );
    assert_eq!(
        (site.attribute.as_str(), site.role, site.service.as_str()),
        ("principal", PolicyRole::Resource, "lambda")
    );
}

#[test]
fn other_grants_synthesise_equivalent_policies() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "aws_lambda_layer_version_permission",
            r#"{"action":"lambda:GetLayerVersion","layer_name":"arn:aws:lambda:us-east-1:111122223333:layer:l","organization_id":"o-abc","principal":"*","statement_id":"s","version_number":3}"#,
            r#"{"Statement":[{"Action":"lambda:GetLayerVersion","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}},"Effect":"Allow","Principal":"*","Resource":"arn:aws:lambda:us-east-1:111122223333:layer:l:3","Sid":"s"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_cloudwatch_event_permission",
            r#"{"action":"events:PutEvents","condition":[{"key":"aws:PrincipalOrgID","type":"StringEquals","value":"o-abc"}],"event_bus_name":null,"principal":"*","statement_id":"org"}"#,
            r#"{"Statement":[{"Action":"events:PutEvents","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}},"Effect":"Allow","Principal":"*","Resource":"arn:aws:events:*:*:event-bus/default","Sid":"org"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_ram_principal_association",
            r#"{"principal":"arn:aws:organizations::111122223333:ou/o-abc/ou-ab12-xyz","resource_share_arn":"arn:aws:ram:us-east-1:111122223333:resource-share/s"}"#,
            r#"{"Statement":[{"Action":"ram:*","Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-abc/*/ou-ab12-xyz/*"}},"Effect":"Allow","Principal":"*","Resource":"arn:aws:ram:us-east-1:111122223333:resource-share/s"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_ram_principal_association",
            r#"{"principal":"444455556666","resource_share_arn":null}"#,
            r#"{"Statement":[{"Action":"ram:*","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Resource":"*"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_vpc_endpoint_service_allowed_principal",
            r#"{"principal_arn":"arn:aws:iam::444455556666:root","vpc_endpoint_service_id":"vpce-svc-1"}"#,
            r#"{"Statement":[{"Action":"ec2:CreateVpcEndpoint","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Resource":"arn:aws:ec2:*:*:vpc-endpoint-service/vpce-svc-1"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_vpc_endpoint_service",
            r#"{"allowed_principals":["arn:aws:iam::444455556666:root","arn:aws:iam::111122223333:root"],"arn":"arn:aws:ec2:us-east-1:111122223333:vpc-endpoint-service/vpce-svc-1"}"#,
            r#"{"Statement":[{"Action":"ec2:CreateVpcEndpoint","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root"]},"Resource":"arn:aws:ec2:us-east-1:111122223333:vpc-endpoint-service/vpce-svc-1"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_kms_grant",
            r#"{"constraints":[{"encryption_context_equals":{"dept":"x"},"encryption_context_subset":null}],"grantee_principal":"arn:aws:iam::444455556666:role/r","key_id":"1234abcd","operations":["Encrypt","Decrypt"],"retiring_principal":"arn:aws:iam::111122223333:role/admin"}"#,
            r#"{"Statement":[{"Action":["kms:Decrypt","kms:Encrypt"],"Condition":{"StringEquals":{"kms:EncryptionContext:dept":"x"}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/r"},"Resource":"arn:aws:kms:*:*:key/1234abcd"},{"Action":"kms:RetireGrant","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Resource":"arn:aws:kms:*:*:key/1234abcd"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_lambda_function_url",
            r#"{"authorization_type":"NONE","function_arn":"arn:aws:lambda:us-east-1:111122223333:function:f","function_name":"f"}"#,
            r#"{"Statement":[{"Action":"lambda:InvokeFunctionUrl","Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}},"Effect":"Allow","Principal":"*","Resource":"arn:aws:lambda:us-east-1:111122223333:function:f"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_ami_launch_permission",
            r#"{"account_id":null,"group":"all","image_id":"ami-1","organization_arn":null,"organizational_unit_arn":null}"#,
            r#"{"Statement":[{"Action":"ec2:RunInstances","Effect":"Allow","Principal":"*","Resource":"arn:aws:ec2:*::image/ami-1"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_snapshot_create_volume_permission",
            r#"{"account_id":"444455556666","snapshot_id":"snap-1"}"#,
            r#"{"Statement":[{"Action":"ec2:CreateVolume","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Resource":"arn:aws:ec2:*::snapshot/snap-1"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_db_snapshot",
            r#"{"db_snapshot_arn":"arn:aws:rds:us-east-1:111122223333:snapshot:s","shared_accounts":["all"]}"#,
            r#"{"Statement":[{"Action":"rds:RestoreDBInstanceFromDBSnapshot","Effect":"Allow","Principal":"*","Resource":"arn:aws:rds:us-east-1:111122223333:snapshot:s"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_eks_access_entry",
            r#"{"cluster_name":"prod","principal_arn":"arn:aws:iam::444455556666:role/ops"}"#,
            r#"{"Statement":[{"Action":"eks:AccessKubernetesApi","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/ops"},"Resource":"arn:aws:eks:*:*:cluster/prod"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_ssm_document",
            r#"{"arn":"arn:aws:ssm:us-east-1:111122223333:document/d","permissions":{"account_ids":"444455556666, 222233334444","type":"Share"}}"#,
            r#"{"Statement":[{"Action":"ssm:GetDocument","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::222233334444:root","arn:aws:iam::444455556666:root"]},"Resource":"arn:aws:ssm:us-east-1:111122223333:document/d"}],"Version":"2012-10-17"}"#,
        ),
        (
            "aws_servicecatalog_portfolio_share",
            r#"{"portfolio_id":"port-1","principal_id":"arn:aws:organizations::111122223333:organization/o-abc","type":"ORGANIZATION"}"#,
            r#"{"Statement":[{"Action":"servicecatalog:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}},"Effect":"Allow","Principal":"*","Resource":"arn:aws:catalog:*:*:portfolio/port-1"}],"Version":"2012-10-17"}"#,
        ),
    ];
    for (resource_type, after, expected) in cases {
        assert_eq!(
            grant_after(resource_type, after, "{}"),
            known(expected),
            "{resource_type}"
        );
    }
}

#[test]
fn grants_that_grant_nothing_are_absent_and_unknown_fields_are_unknown() {
    assert_eq!(
        grant_after(
            "aws_lambda_function_url",
            r#"{"authorization_type":"AWS_IAM"}"#,
            "{}"
        ),
        PolicyValue::Absent
    );
    assert_eq!(
        grant_after("aws_vpc_endpoint_service", r#"{"allowed_principals":[]}"#, "{}"),
        PolicyValue::Absent
    );
    assert_eq!(
        grant_after("aws_db_snapshot", r#"{"shared_accounts":null}"#, "{}"),
        PolicyValue::Absent
    );
    assert_eq!(
        grant_after(
            "aws_kms_grant",
            r#"{"grantee_principal":"arn:aws:iam::1:role/r","operations":["Decrypt"]}"#,
            r#"{"operations":[true]}"#
        ),
        PolicyValue::Unknown
    );
    assert_eq!(
        grant_after(
            "aws_cloudwatch_event_permission",
            r#"{"principal":"*","condition":[]}"#,
            r#"{"condition":true}"#
        ),
        PolicyValue::Unknown
    );
    assert_eq!(
        grant_after(
            "aws_ram_principal_association",
            r#"{"principal":null}"#,
            r#"{"principal":true}"#
        ),
        PolicyValue::Unknown
    );
    assert_eq!(
        grant_after("aws_lambda_permission", "{}", "true"),
        PolicyValue::Unknown
    );
}

#[test]
fn opensearch_serverless_rules_become_iam_statements() {
    let rules = r#"[{\"Description\":\"d\",\"Principal\":[\"arn:aws:iam::444455556666:role/r\",\"saml/111122223333/idp/user/ann\"],\"Rules\":[{\"Permission\":[\"aoss:ReadDocument\"],\"Resource\":[\"index/c/*\"],\"ResourceType\":\"index\"}]}]"#;
    let after = format!(r#"{{"name":"p","policy":"{rules}","type":"data"}}"#);
    assert_eq!(
        grant_after("aws_opensearchserverless_access_policy", &after, "{}"),
        known(
            r#"{"Statement":[{"Action":["aoss:ReadDocument"],"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:role/r"],"Federated":["saml/111122223333/idp/user/ann"]},"Resource":["arn:aws:aoss:*:*:index/c/*"]}],"Version":"2012-10-17"}"#
        )
    );
    // Not an access-policy list: passed on unchanged for the policy parser to report.
    assert_eq!(
        grant_after(
            "aws_opensearchserverless_access_policy",
            r#"{"policy":"not json"}"#,
            "{}"
        ),
        known("not json")
    );
}

/// The configuration section of a plan whose root module holds these `(address, provider_config_key,
/// expressions)` resources.
fn configuration(resources: &[(&str, &str, &str)]) -> String {
    let list: Vec<String> = resources
        .iter()
        .map(|(address, key, expressions)| {
            format!(r#"{{"address":"{address}","provider_config_key":"{key}","expressions":{expressions}}}"#)
        })
        .collect();
    format!(
        r#""configuration":{{"root_module":{{"resources":[{}]}}}}"#,
        list.join(",")
    )
}

fn caller_identity(address: &str, account: &str) -> String {
    let name = address.rsplit('.').next().unwrap();
    format!(
        r#"{{"address":"{address}","mode":"data","type":"aws_caller_identity","name":"{name}",
        "values":{{"account_id":"{account}","arn":"arn:aws:iam::{account}:user/u"}}}}"#
    )
}

#[test]
fn boundary_from_the_root_default_provider_caller_identity_only() {
    let root = caller_identity("data.aws_caller_identity.me", "111122223333");
    let config = configuration(&[("data.aws_caller_identity.me", "aws", "{}")]);
    let plan = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[{root}]}}}}}},{config}}}"#
    );
    let (boundary, source) = scan_text(&plan).detected_boundary.unwrap();
    assert_eq!(boundary.accounts.iter().collect::<Vec<_>>(), ["111122223333"]);
    assert_eq!(source, "data.aws_caller_identity.me in prior_state");

    // Through a provider alias, or without a configuration section to tell: not a source.
    let alias = configuration(&[("data.aws_caller_identity.me", "aws.other", "{}")]);
    let plan = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[{root}]}}}}}},{alias}}}"#
    );
    let scanned = scan_text(&plan);
    assert!(scanned.detected_boundary.is_none() && scanned.boundary_conflict.is_none());
    let plan = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[{root}]}}}}}}}}"#
    );
    assert!(scan_text(&plan).detected_boundary.is_none());

    // In a module (whatever provider it uses): not a source, even beside the root one.
    let nested = caller_identity("module.m.data.aws_caller_identity.me", "999988887777");
    let plan = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[{root}],
        "child_modules":[{{"address":"module.m","resources":[{nested}]}}]}}}}}},{config}}}"#
    );
    let (boundary, _) = scan_text(&plan).detected_boundary.unwrap();
    assert_eq!(boundary.accounts.iter().collect::<Vec<_>>(), ["111122223333"]);
}

#[test]
fn boundary_from_computed_arns_of_existing_resources_only() {
    let config = configuration(&[
        ("aws_sqs_queue.q", "aws", r#"{"name":{}}"#),
        ("aws_iam_policy.p", "aws", "{}"),
        ("aws_cloudwatch_event_target.t", "aws", r#"{"arn":{}}"#),
        ("aws_sns_topic.new", "aws", "{}"),
    ]);
    let plan = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[
      {{"address":"aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue","name":"q","values":{{"arn":"arn:aws:sqs:us-east-1:222233334444:q"}}}},
      {{"address":"aws_iam_policy.p","mode":"managed","type":"aws_iam_policy","name":"p","values":{{"arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}},
      {{"address":"aws_cloudwatch_event_target.t","mode":"managed","type":"aws_cloudwatch_event_target","name":"t","values":{{"arn":"arn:aws:events:us-east-1:999988887777:event-bus/x"}}}}]}}}}}},
      "resource_changes":[{{"address":"aws_sns_topic.new","mode":"managed","type":"aws_sns_topic","name":"new",
      "change":{{"actions":["create"],"before":null,"after":{{"arn":"arn:aws:sns:us-east-1:999988887777:t"}},"after_unknown":{{}}}}}}],
      {config}}}"#
    );
    let scanned = scan_text(&plan);
    let (boundary, source) = scanned.detected_boundary.unwrap();
    assert_eq!(boundary.accounts.iter().collect::<Vec<_>>(), ["222233334444"]);
    assert_eq!(source, "account in computed ARNs of 1 existing resource");

    assert!(
        scan_text(r#"{"format_version":"1.2"}"#)
            .detected_boundary
            .is_none()
    );
}

#[test]
fn disagreeing_accounts_are_a_conflict_not_a_boundary() {
    let root = caller_identity("data.aws_caller_identity.me", "111122223333");
    let config = configuration(&[
        ("data.aws_caller_identity.me", "aws", "{}"),
        ("aws_sqs_queue.q", "aws.other", "{}"),
    ]);
    let plan = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[{root},
      {{"address":"aws_sqs_queue.q","mode":"managed","type":"aws_sqs_queue","name":"q","values":{{"arn":"arn:aws:sqs:us-east-1:444455556666:q"}}}}]}}}}}},
      {config}}}"#
    );
    let scanned = scan_text(&plan);
    assert!(scanned.detected_boundary.is_none());
    let conflict = scanned.boundary_conflict.unwrap();
    assert!(
        conflict.contains("111122223333 (data.aws_caller_identity.me)")
            && conflict.contains("444455556666 (in the ARN of aws_sqs_queue.q)")
            && conflict.contains("--account"),
        "{conflict}"
    );
}

/// A computed policy attribute that the configuration does not set is not this change's policy.
#[test]
fn unknown_policy_not_set_in_configuration_is_absent() {
    let plan = |expressions: &str| {
        format!(
            r#"{{"format_version":"1.2","resource_changes":[{{"address":"module.m[\"a\"].aws_s3_bucket.x[0]",
            "module_address":"module.m[\"a\"]","mode":"managed","type":"aws_s3_bucket","name":"x","index":0,
            "change":{{"actions":["create"],"before":null,"after":{{"bucket":"b"}},
            "after_unknown":{{"policy":true}}}}}}],
            "configuration":{{"root_module":{{"module_calls":{{"m":{{"source":"./m","module":{{"resources":[
              {{"address":"aws_s3_bucket.x","mode":"managed","type":"aws_s3_bucket","name":"x",
                "expressions":{expressions}}}]}}}}}}}}}}}}"#
        )
    };
    let unset = scan_text(&plan(r#"{"bucket":{"constant_value":"b"}}"#));
    assert_eq!(unset.sites[0].after, PolicyValue::Absent);
    let set = scan_text(&plan(
        r#"{"bucket":{"constant_value":"b"},"policy":{"references":["data.x.json"]}}"#,
    ));
    assert_eq!(set.sites[0].after, PolicyValue::Unknown);
}

#[test]
fn tags_changed_says_whether_this_change_writes_the_annotation_tags() {
    let tagged =
        r#"{"policy":"{}","tags":{"trustgate:owner":"a","trustgate:expiry":"2027-01-01","Name":"x"}}"#;
    let renewed =
        r#"{"policy":"{}","tags":{"trustgate:owner":"a","trustgate:expiry":"2027-06-01","Name":"x"}}"#;
    let renamed =
        r#"{"policy":"{}","tags":{"trustgate:owner":"a","trustgate:expiry":"2027-01-01","Name":"y"}}"#;
    assert!(one("aws_sqs_queue", r#"["create"]"#, "null", tagged, "{}").tags_changed);
    assert!(!one("aws_sqs_queue", r#"["update"]"#, tagged, tagged, "{}").tags_changed);
    assert!(
        !one("aws_sqs_queue", r#"["update"]"#, tagged, renamed, "{}").tags_changed,
        "other tags do not renew the annotation"
    );
    assert!(one("aws_sqs_queue", r#"["update"]"#, tagged, renewed, "{}").tags_changed);
}

#[test]
fn grant_fields_known_only_after_apply_stand_as_holes_where_they_are_written() {
    let permission = r#"{"action":"lambda:InvokeFunction","event_source_token":null,"function_name":"fn",
        "principal":"events.amazonaws.com","principal_org_id":null,"qualifier":null,"source_account":null,
        "statement_id":"S1"}"#;
    let site = one(
        "aws_lambda_permission",
        r#"["create"]"#,
        "null",
        permission,
        r#"{"source_arn":true}"#,
    );
    assert_eq!(site.after, PolicyValue::Unknown);
    let grant = site.grant.expect("a grant site says so");
    assert_eq!(
        grant.holes,
        vec![(
            "source_arn".to_string(),
            "aws_lambda_permission.x.source_arn".to_string()
        )]
    );
    assert_eq!(
        grant.template,
        r#"{"Statement":[{"Action":"lambda:InvokeFunction","Condition":{"ArnLike":{"aws:SourceArn":"${aws_lambda_permission.x.source_arn}"}},"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Resource":"arn:aws:lambda:*:*:function:fn","Sid":"S1"}],"Version":"2012-10-17"}"#
    );
    // An unknown principal is a hole under `AWS`, whatever it will be.
    let grant = one(
        "aws_kms_grant",
        r#"["create"]"#,
        "null",
        r#"{"constraints":[],"key_id":null,"operations":["Decrypt"]}"#,
        r#"{"grantee_principal":true,"key_id":true}"#,
    )
    .grant
    .expect("a grant site");
    assert_eq!(
        grant.template,
        r#"{"Statement":[{"Action":["kms:Decrypt"],"Effect":"Allow","Principal":{"AWS":"${aws_kms_grant.x.grantee_principal}"},"Resource":"arn:aws:kms:*:*:key/*"}],"Version":"2012-10-17"}"#
    );
}

#[test]
fn grant_fields_a_converter_branches_on_keep_the_grant_unknown() {
    // `group = "all"` makes an AMI public: a hole there could not be placed, so there is no template.
    let site = one(
        "aws_ami_launch_permission",
        r#"["create"]"#,
        "null",
        r#"{"account_id":null,"image_id":"ami-1","organization_arn":null,"organizational_unit_arn":null}"#,
        r#"{"group":true}"#,
    );
    assert_eq!(site.after, PolicyValue::Unknown);
    assert_eq!(site.grant, Some(GrantFields::default()));
    // Operations unknown besides the principal: not a hole field, the grant stays unknown as a whole.
    let site = one(
        "aws_kms_grant",
        r#"["create"]"#,
        "null",
        r#"{"constraints":[],"key_id":"k"}"#,
        r#"{"grantee_principal":true,"operations":true}"#,
    );
    assert_eq!(site.grant, Some(GrantFields::default()));
    // A policy document attribute is no grant.
    let site = one(
        "aws_sqs_queue_policy",
        r#"["create"]"#,
        "null",
        r#"{"queue_url":"u"}"#,
        r#"{"policy":true}"#,
    );
    assert_eq!(site.grant, None);
}

/// A create of `address` (type and name read from it) whose `policy` is known only after apply.
fn unknown_policy_change(address: &str) -> String {
    let local = address.split('[').next().unwrap();
    let (resource_type, name) = local.split_once('.').unwrap();
    let index = address
        .strip_prefix(local)
        .and_then(|k| k.strip_prefix('['))
        .and_then(|k| k.strip_suffix(']'))
        .map(|k| format!(r#""index":{k},"#))
        .unwrap_or_default();
    format!(
        r#"{{"address":"{address}","mode":"managed","type":"{resource_type}","name":"{name}",{index}
        "provider_name":"registry.terraform.io/hashicorp/aws",
        "change":{{"actions":["create"],"before":null,"after":{{}},"after_unknown":{{"policy":true}},
        "before_sensitive":false,"after_sensitive":{{}}}}}}"#
    )
}

#[test]
fn a_policy_resource_is_linked_to_the_one_parent_its_argument_references() {
    let changes = [
        "aws_sns_topic.t",
        "aws_sns_topic_policy.p[0]",
        "aws_sqs_queue.a",
        "aws_sqs_queue.b",
        "aws_sqs_queue_policy.either",
        "aws_sqs_queue_policy.from_var",
        "aws_s3_bucket.m[0]",
        "aws_s3_bucket.m[1]",
        "aws_s3_bucket_policy.second",
        "aws_s3_bucket_policy.any",
    ]
    .map(unknown_policy_change);
    let policy = r#""policy":{"references":["var.p"]}"#;
    let config = configuration(&[
        ("aws_sns_topic.t", "aws", &format!("{{{policy}}}")),
        (
            "aws_sns_topic_policy.p",
            "aws",
            &format!(r#"{{"arn":{{"references":["aws_sns_topic.t.arn","aws_sns_topic.t"]}},{policy}}}"#),
        ),
        ("aws_sqs_queue.a", "aws", &format!("{{{policy}}}")),
        ("aws_sqs_queue.b", "aws", &format!("{{{policy}}}")),
        (
            "aws_sqs_queue_policy.either",
            "aws",
            &format!(
                r#"{{"queue_url":{{"references":["var.x","aws_sqs_queue.a.id","aws_sqs_queue.a","aws_sqs_queue.b.id","aws_sqs_queue.b"]}},{policy}}}"#
            ),
        ),
        (
            "aws_sqs_queue_policy.from_var",
            "aws",
            &format!(r#"{{"queue_url":{{"references":["var.queue_url"]}},{policy}}}"#),
        ),
        ("aws_s3_bucket.m", "aws", &format!("{{{policy}}}")),
        (
            "aws_s3_bucket_policy.second",
            "aws",
            &format!(
                r#"{{"bucket":{{"references":["aws_s3_bucket.m[1].id","aws_s3_bucket.m[1]","aws_s3_bucket.m"]}},{policy}}}"#
            ),
        ),
        (
            "aws_s3_bucket_policy.any",
            "aws",
            &format!(r#"{{"bucket":{{"references":["aws_s3_bucket.m.id","aws_s3_bucket.m"]}},{policy}}}"#),
        ),
    ]);
    let plan = format!(
        r#"{{"format_version":"1.2","resource_changes":[{}],{config}}}"#,
        changes.join(",")
    );
    let scan = scan_text(&plan);
    let links: Vec<(&str, &str)> = scan
        .shared
        .iter()
        .map(|s| (s.site.0.as_str(), s.parent.0.as_str()))
        .collect();
    // Two queues referenced, a variable, and a counted bucket without its index link nothing.
    assert_eq!(
        links,
        [
            ("aws_sns_topic_policy.p[0]", "aws_sns_topic.t"),
            ("aws_s3_bucket_policy.second", "aws_s3_bucket.m[1]"),
        ]
    );
    assert!(
        scan.shared
            .iter()
            .all(|s| s.site.1 == "policy" && s.parent.1 == "policy")
    );
}

#[test]
fn a_policy_resource_in_a_module_instance_is_linked_to_its_own_parent() {
    let change = |module: &str, kind: &str| {
        serde_json::json!({
            "address": format!("{module}.{kind}.this[0]"), "module_address": module, "mode": "managed",
            "type": kind, "name": "this", "index": 0, "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"policy": true},
                       "before_sensitive": false, "after_sensitive": {}}
        })
        .to_string()
    };
    let changes = [
        change("module.sns[\"a\"]", "aws_sns_topic"),
        change("module.sns[\"a\"]", "aws_sns_topic_policy"),
        change("module.sns[\"b\"]", "aws_sns_topic"),
        change("module.sns[\"b\"]", "aws_sns_topic_policy"),
    ];
    let config = r#""configuration":{"root_module":{"module_calls":{"sns":{"module":{"resources":[
        {"address":"aws_sns_topic.this","expressions":{"policy":{"references":["var.p"]}}},
        {"address":"aws_sns_topic_policy.this","expressions":{"arn":{"references":["aws_sns_topic.this[0].arn",
         "aws_sns_topic.this[0]","aws_sns_topic.this"]},"policy":{"references":["var.q"]}}}]}}}}}"#;
    let plan = format!(
        r#"{{"format_version":"1.2","resource_changes":[{}],{config}}}"#,
        changes.join(",")
    );
    let scan = scan_text(&plan);
    let links: Vec<(&str, &str)> = scan
        .shared
        .iter()
        .map(|s| (s.site.0.as_str(), s.parent.0.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "module.sns[\"a\"].aws_sns_topic_policy.this[0]",
                "module.sns[\"a\"].aws_sns_topic.this[0]"
            ),
            (
                "module.sns[\"b\"].aws_sns_topic_policy.this[0]",
                "module.sns[\"b\"].aws_sns_topic.this[0]"
            ),
        ]
    );
}
