# trustgate catalog: which attributes of which AWS resource types carry access policies.
#
# trustgate reads this file on every run (it is compiled into the binary). To change it, copy it, edit
# it and pass the copy with the catalog option; entries in your file replace the built-in entry for the
# same resource type.
#
#   resource "<terraform resource type>" {
#     policy "<attribute path>" {   # an attribute holding an IAM policy document as JSON text
#       role    = "resource"        # trust | resource | identity | guardrail (see below)
#       service = "s3"              # action prefix the policy governs ("*" = any service)
#       format  = "iam"             # optional: "iam" (default) or "opensearch-serverless"
#       presence = "optional"       # optional: "required" (default) or "optional" — an optional, computed
#                                   # attribute; when the configuration does not set it, a value unknown in
#                                   # the plan is absent (AWS computes it). Required ones stay unverifiable.
#       also_in = "<type>.<attr>"   # optional, with `by`: this resource writes the same real policy as that
#       by      = "<argument>"      # attribute of the resource its argument `by` references; when both are
#                                   # known only after apply, the report gives one finding for the policy.
#     }
#     grant "<field>" {             # access granted through plain fields, not a document;
#       role      = "resource"      # trustgate writes the equivalent IAM policy itself
#       service   = "lambda"
#       converter = "lambda_permission"
#     }
#   }
#
# Converters (built into trustgate): lambda_permission, lambda_layer_version_permission, lambda_function_url,
# cloudwatch_event_permission, ram_principal_association, vpc_endpoint_service_allowed_principal,
# vpc_endpoint_service, kms_grant, ami_launch_permission, snapshot_create_volume_permission,
# db_snapshot_shared_accounts, eks_access_entry, ssm_document_share, servicecatalog_portfolio_share,
# s3_bucket_acl, s3_public_access_block, lakeformation_permissions, organizations_delegated_administrator,
# signer_profile_permission, route53_vpc_association_authorization, ram_resource_share_external.
# Attribute paths: `a`, `a.b`, `a[0].b`; `a[*].b` means "every element of list a".
# Roles:
#   trust     - a role trust policy: who may assume the role (sts actions).
#   resource  - a resource-based policy: who may use this resource, possibly from other accounts.
#   identity  - an identity policy: what the holder may do; cannot grant outsiders access by itself.
#   guardrail - a policy that can only restrict (SCP/RCP, VPC endpoint policy).

# --------------------------------------------------------------------------------------------------
# IAM: role trust policies and identity policies

# The trust policy is the main cross-account vector; inline policies are identity policies.
resource "aws_iam_role" {
  policy "assume_role_policy" {
    role    = "trust"
    service = "sts"
  }
  policy "inline_policy[*].policy" {
    role    = "identity"
    service = "*"
    presence = "optional"
  }
}

resource "aws_iam_role_policy" {
  policy "policy" {
    role    = "identity"
    service = "*"
  }
}

resource "aws_iam_user_policy" {
  policy "policy" {
    role    = "identity"
    service = "*"
  }
}

resource "aws_iam_group_policy" {
  policy "policy" {
    role    = "identity"
    service = "*"
  }
}

resource "aws_iam_policy" {
  policy "policy" {
    role    = "identity"
    service = "*"
  }
}

resource "aws_ssoadmin_permission_set_inline_policy" {
  policy "inline_policy" {
    role    = "identity"
    service = "*"
  }
}

# --------------------------------------------------------------------------------------------------
# S3

# A bucket has one policy (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html):
# the same policy as the parent's own `policy` argument (also_in), named by `bucket`.
resource "aws_s3_bucket_policy" {
  policy "policy" {
    role    = "resource"
    service = "s3"
    also_in = "aws_s3_bucket.policy"
    by      = "bucket"
  }
}

# Deprecated inline policy; computed (often unknown or "") when aws_s3_bucket_policy is used.
resource "aws_s3_bucket" {
  policy "policy" {
    role    = "resource"
    service = "s3"
    presence = "optional"
  }
}

resource "aws_s3_access_point" {
  policy "policy" {
    role    = "resource"
    service = "s3"
    presence = "optional"
  }
}

resource "aws_s3control_access_point_policy" {
  policy "policy" {
    role    = "resource"
    service = "s3"
  }
}

# S3 on Outposts.
resource "aws_s3control_bucket_policy" {
  policy "policy" {
    role    = "resource"
    service = "s3-outposts"
  }
}

resource "aws_s3control_multi_region_access_point_policy" {
  policy "details[0].policy" {
    role    = "resource"
    service = "s3"
  }
}

resource "aws_s3control_object_lambda_access_point_policy" {
  policy "policy" {
    role    = "resource"
    service = "s3-object-lambda"
  }
}

resource "aws_s3tables_table_bucket_policy" {
  policy "resource_policy" {
    role    = "resource"
    service = "s3tables"
  }
}

resource "aws_s3tables_table_policy" {
  policy "resource_policy" {
    role    = "resource"
    service = "s3tables"
  }
}

# --------------------------------------------------------------------------------------------------
# KMS

resource "aws_kms_key" {
  policy "policy" {
    role    = "resource"
    service = "kms"
    presence = "optional"
  }
}

# A key has one key policy (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html):
# the same policy as the parent's own `policy` argument (also_in), named by `key_id`.
resource "aws_kms_key_policy" {
  policy "policy" {
    role    = "resource"
    service = "kms"
    also_in = "aws_kms_key.policy"
    by      = "key_id"
  }
}

resource "aws_kms_replica_key" {
  policy "policy" {
    role    = "resource"
    service = "kms"
    presence = "optional"
  }
}

resource "aws_kms_external_key" {
  policy "policy" {
    role    = "resource"
    service = "kms"
    presence = "optional"
  }
}

resource "aws_kms_replica_external_key" {
  policy "policy" {
    role    = "resource"
    service = "kms"
    presence = "optional"
  }
}

# --------------------------------------------------------------------------------------------------
# Messaging

resource "aws_sns_topic" {
  policy "policy" {
    role    = "resource"
    service = "sns"
    presence = "optional"
  }
}

# A topic has one policy, its Policy attribute (https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html):
# the same policy as the parent's own `policy` argument (also_in), named by `arn`.
resource "aws_sns_topic_policy" {
  policy "policy" {
    role    = "resource"
    service = "sns"
    also_in = "aws_sns_topic.policy"
    by      = "arn"
  }
}

resource "aws_sqs_queue" {
  policy "policy" {
    role    = "resource"
    service = "sqs"
    presence = "optional"
  }
}

# A queue has one policy, its Policy attribute (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html):
# the same policy as the parent's own `policy` argument (also_in), named by `queue_url`.
resource "aws_sqs_queue_policy" {
  policy "policy" {
    role    = "resource"
    service = "sqs"
    also_in = "aws_sqs_queue.policy"
    by      = "queue_url"
  }
}

resource "aws_cloudwatch_event_bus_policy" {
  policy "policy" {
    role    = "resource"
    service = "events"
  }
}

# EventBridge schema registry.
resource "aws_schemas_registry_policy" {
  policy "policy" {
    role    = "resource"
    service = "schemas"
  }
}

# Stream or stream consumer.
resource "aws_kinesis_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "kinesis"
  }
}

resource "aws_msk_cluster_policy" {
  policy "policy" {
    role    = "resource"
    service = "kafka"
  }
}

# --------------------------------------------------------------------------------------------------
# Containers, artifacts, secrets

resource "aws_ecr_repository_policy" {
  policy "policy" {
    role    = "resource"
    service = "ecr"
  }
}

# Registry level (replication, pull-through cache).
resource "aws_ecr_registry_policy" {
  policy "policy" {
    role    = "resource"
    service = "ecr"
  }
}

resource "aws_ecrpublic_repository_policy" {
  policy "policy" {
    role    = "resource"
    service = "ecr-public"
  }
}

resource "aws_codeartifact_domain_permissions_policy" {
  policy "policy_document" {
    role    = "resource"
    service = "codeartifact"
  }
}

resource "aws_codeartifact_repository_permissions_policy" {
  policy "policy_document" {
    role    = "resource"
    service = "codeartifact"
  }
}

resource "aws_codebuild_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "codebuild"
  }
}

# A secret has one resource policy (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutResourcePolicy.html):
# the same policy as the parent's own `policy` argument (also_in), named by `secret_arn`.
resource "aws_secretsmanager_secret_policy" {
  policy "policy" {
    role    = "resource"
    service = "secretsmanager"
    also_in = "aws_secretsmanager_secret.policy"
    by      = "secret_arn"
  }
}

# Deprecated inline policy.
resource "aws_secretsmanager_secret" {
  policy "policy" {
    role    = "resource"
    service = "secretsmanager"
    presence = "optional"
  }
}

# Private CA sharing.
resource "aws_acmpca_policy" {
  policy "policy" {
    role    = "resource"
    service = "acm-pca"
  }
}

# --------------------------------------------------------------------------------------------------
# Storage and data

resource "aws_glacier_vault" {
  policy "access_policy" {
    role    = "resource"
    service = "glacier"
    presence = "optional"
  }
}

resource "aws_glacier_vault_lock" {
  policy "policy" {
    role    = "resource"
    service = "glacier"
  }
}

resource "aws_efs_file_system_policy" {
  policy "policy" {
    role    = "resource"
    service = "elasticfilesystem"
  }
}

resource "aws_backup_vault_policy" {
  policy "policy" {
    role    = "resource"
    service = "backup"
  }
}

resource "aws_dynamodb_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "dynamodb"
  }
}

# Data Catalog.
resource "aws_glue_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "glue"
  }
}

resource "aws_redshift_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "redshift"
  }
}

resource "aws_redshiftserverless_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "redshift-serverless"
  }
}

resource "aws_media_store_container_policy" {
  policy "policy" {
    role    = "resource"
    service = "mediastore"
  }
}

resource "aws_sagemaker_model_package_group_policy" {
  policy "resource_policy" {
    role    = "resource"
    service = "sagemaker"
  }
}

# --------------------------------------------------------------------------------------------------
# Search

resource "aws_opensearch_domain" {
  policy "access_policies" {
    role    = "resource"
    service = "es"
    presence = "optional"
  }
}

# A domain has one access policy (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html):
# the same policy as the parent's own `access_policies` argument (also_in), named by `domain_name`.
resource "aws_opensearch_domain_policy" {
  policy "access_policies" {
    role    = "resource"
    service = "es"
    also_in = "aws_opensearch_domain.access_policies"
    by      = "domain_name"
  }
}

resource "aws_elasticsearch_domain" {
  policy "access_policies" {
    role    = "resource"
    service = "es"
    presence = "optional"
  }
}

# A domain has one access policy (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html):
# the same policy as the parent's own `access_policies` argument (also_in), named by `domain_name`.
resource "aws_elasticsearch_domain_policy" {
  policy "access_policies" {
    role    = "resource"
    service = "es"
    also_in = "aws_elasticsearch_domain.access_policies"
    by      = "domain_name"
  }
}

# Not IAM grammar: a JSON list of rules with a Principal list; converted to IAM statements (data policies only).
resource "aws_opensearchserverless_access_policy" {
  policy "policy" {
    role    = "resource"
    service = "aoss"
    format  = "opensearch-serverless"
  }
}

# --------------------------------------------------------------------------------------------------
# APIs, networking, observability

resource "aws_api_gateway_rest_api_policy" {
  policy "policy" {
    role    = "resource"
    service = "execute-api"
  }
}

resource "aws_api_gateway_rest_api" {
  policy "policy" {
    role    = "resource"
    service = "execute-api"
    presence = "optional"
  }
}

resource "aws_vpclattice_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "vpc-lattice"
  }
}

resource "aws_vpclattice_auth_policy" {
  policy "policy" {
    role    = "resource"
    service = "vpc-lattice-svcs"
  }
}

resource "aws_networkfirewall_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "network-firewall"
  }
}

resource "aws_cloudwatch_log_resource_policy" {
  policy "policy_document" {
    role    = "resource"
    service = "logs"
  }
}

# Cross-account log subscriptions.
resource "aws_cloudwatch_log_destination_policy" {
  policy "access_policy" {
    role    = "resource"
    service = "logs"
  }
}

# CloudWatch cross-account observability.
resource "aws_oam_sink_policy" {
  policy "policy" {
    role    = "resource"
    service = "oam"
  }
}

resource "aws_xray_resource_policy" {
  policy "policy_document" {
    role    = "resource"
    service = "xray"
  }
}

resource "aws_ses_identity_policy" {
  policy "policy" {
    role    = "resource"
    service = "ses"
  }
}

# New in 2025; attribute name not re-checked against the provider.
resource "aws_bedrockagentcore_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "bedrock-agentcore"
  }
}

# --------------------------------------------------------------------------------------------------
# Guardrails: can only restrict

# SCP / RCP.
resource "aws_organizations_policy" {
  policy "content" {
    role    = "guardrail"
    service = "*"
  }
}

# Endpoint policy; "*" is the default.
resource "aws_vpc_endpoint" {
  policy "policy" {
    role    = "guardrail"
    service = "*"
    presence = "optional"
  }
}

# --------------------------------------------------------------------------------------------------
# Session-style policies: not cross-account trust

resource "aws_iot_policy" {
  policy "policy" {
    role    = "identity"
    service = "iot"
  }
}

resource "aws_transfer_access" {
  policy "policy" {
    role    = "identity"
    service = "*"
  }
}

resource "aws_transfer_user" {
  policy "policy" {
    role    = "identity"
    service = "*"
  }
}

# --------------------------------------------------------------------------------------------------
# Grants written as fields (trustgate synthesises the equivalent IAM policy)

# principal, source_account, source_arn, principal_org_id, event_source_token, function_url_auth_type.
resource "aws_lambda_permission" {
  grant "principal" {
    role      = "resource"
    service   = "lambda"
    converter = "lambda_permission"
  }
}

# principal + organization_id. (The computed `policy` output is not read: it mirrors these fields.)
resource "aws_lambda_layer_version_permission" {
  grant "principal" {
    role      = "resource"
    service   = "lambda"
    converter = "lambda_layer_version_permission"
  }
}

# authorization_type NONE = anyone on the internet can invoke the URL.
resource "aws_lambda_function_url" {
  grant "authorization_type" {
    role      = "resource"
    service   = "lambda"
    converter = "lambda_function_url"
  }
}

# principal + condition { key = "aws:PrincipalOrgID" }.
resource "aws_cloudwatch_event_permission" {
  grant "principal" {
    role      = "resource"
    service   = "events"
    converter = "cloudwatch_event_permission"
  }
}

# Account id, organization / OU ARN, or IAM ARN.
resource "aws_ram_principal_association" {
  grant "principal" {
    role      = "resource"
    service   = "ram"
    converter = "ram_principal_association"
  }
}

# Who may create endpoints to the service (ec2:CreateVpcEndpoint).
resource "aws_vpc_endpoint_service_allowed_principal" {
  grant "principal_arn" {
    role      = "resource"
    service   = "ec2"
    converter = "vpc_endpoint_service_allowed_principal"
  }
}

resource "aws_vpc_endpoint_service" {
  grant "allowed_principals" {
    role      = "resource"
    service   = "ec2"
    converter = "vpc_endpoint_service"
  }
}

# grantee_principal gets kms:<operations>; retiring_principal gets kms:RetireGrant.
resource "aws_kms_grant" {
  grant "grantee_principal" {
    role      = "resource"
    service   = "kms"
    converter = "kms_grant"
  }
}

# account_id, group = "all" (public), organization_arn, organizational_unit_arn.
resource "aws_ami_launch_permission" {
  grant "account_id" {
    role      = "resource"
    service   = "ec2"
    converter = "ami_launch_permission"
  }
}

resource "aws_snapshot_create_volume_permission" {
  grant "account_id" {
    role      = "resource"
    service   = "ec2"
    converter = "snapshot_create_volume_permission"
  }
}

# "all" = public.
resource "aws_db_snapshot" {
  grant "shared_accounts" {
    role      = "resource"
    service   = "rds"
    converter = "db_snapshot_shared_accounts"
  }
}

# "all" = public.
resource "aws_db_cluster_snapshot" {
  grant "shared_accounts" {
    role      = "resource"
    service   = "rds"
    converter = "db_snapshot_shared_accounts"
  }
}

# principal_arn may be a role of another account; it gets Kubernetes API access to the cluster.
resource "aws_eks_access_entry" {
  grant "principal_arn" {
    role      = "resource"
    service   = "eks"
    converter = "eks_access_entry"
  }
}

# permissions = { type = "Share", account_ids = "id,id" | "All" } ("All" = public).
resource "aws_ssm_document" {
  grant "permissions" {
    role      = "resource"
    service   = "ssm"
    converter = "ssm_document_share"
  }
}

# principal_id: account id, organization ARN or OU ARN (type ACCOUNT / ORGANIZATION / ORGANIZATIONAL_UNIT).
resource "aws_servicecatalog_portfolio_share" {
  grant "principal_id" {
    role      = "resource"
    service   = "servicecatalog"
    converter = "servicecatalog_portfolio_share"
  }
}

# --------------------------------------------------------------------------------------------------
# Access granted by other means than a policy document (issue 12)

# Bucket ACLs: canned ACLs and explicit grants to canonical users, e-mail grantees and the S3 groups.
resource "aws_s3_bucket_acl" {
  grant "acl" {
    role      = "resource"
    service   = "s3"
    converter = "s3_bucket_acl"
  }
}

# Block Public Access switched off (or removed) lets a public policy or ACL of the bucket take effect.
resource "aws_s3_bucket_public_access_block" {
  grant "restrict_public_buckets" {
    role      = "resource"
    service   = "s3"
    converter = "s3_public_access_block"
  }
}

resource "aws_lakeformation_permissions" {
  grant "principal" {
    role      = "resource"
    service   = "lakeformation"
    converter = "lakeformation_permissions"
  }
}

resource "aws_organizations_delegated_administrator" {
  grant "account_id" {
    role      = "resource"
    service   = "organizations"
    converter = "organizations_delegated_administrator"
  }
}

resource "aws_signer_signing_profile_permission" {
  grant "principal" {
    role      = "resource"
    service   = "signer"
    converter = "signer_profile_permission"
  }
}

# The VPC's owner account is not in the plan: always reported unverifiable.
resource "aws_route53_vpc_association_authorization" {
  grant "vpc_id" {
    role      = "resource"
    service   = "route53"
    converter = "route53_vpc_association_authorization"
  }
}

resource "aws_ram_resource_share" {
  grant "allow_external_principals" {
    role      = "resource"
    service   = "ram"
    converter = "ram_resource_share_external"
  }
}

# Policy documents in attributes the catalog did not list before (issue 12).
resource "aws_organizations_resource_policy" {
  policy "content" {
    role    = "resource"
    service = "organizations"
  }
}

resource "aws_sesv2_email_identity_policy" {
  policy "policy" {
    role    = "resource"
    service = "ses"
  }
}

resource "aws_ecr_repository_creation_template" {
  policy "repository_policy" {
    role    = "resource"
    service = "ecr"
  }
}

resource "aws_cloudsearch_domain_service_access_policy" {
  policy "access_policy" {
    role    = "resource"
    service = "cloudsearch"
  }
}

resource "aws_cloudwatch_log_delivery_destination_policy" {
  policy "delivery_destination_policy" {
    role    = "resource"
    service = "logs"
  }
}

resource "aws_s3control_access_grants_instance_resource_policy" {
  policy "policy" {
    role    = "resource"
    service = "s3"
  }
}

# --------------------------------------------------------------------------------------------------
# CloudFormation resource types, for templates (aws_cloudformation_stack, aws_cloudformation_stack_set,
# awscc_cloudformation_stack), Cloud Control (aws_cloudcontrolapi_resource desired_state) and the awscc
# provider. Paths are CloudFormation property names. Every `AWS::<Service>::<Type>` entry also stands for
# the awscc resource `awscc_<service>_<type>` with the same paths in snake_case (the awscc provider is
# generated from the CloudFormation schemas that way: AWS::IAM::Role AssumeRolePolicyDocument is
# awscc_iam_role assume_role_policy_document), unless the catalog lists that awscc type itself.
# A template resource of a type not listed here whose properties name a principal is unverifiable.
# Grant converters read the properties in snake_case (Principal -> principal, FunctionName ->
# function_name, PrincipalOrgID -> principal_org_id).

resource "AWS::IAM::Role" {
  policy "AssumeRolePolicyDocument" {
    role    = "trust"
    service = "sts"
  }
  policy "Policies[*].PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::RolePolicy" {
  policy "PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::UserPolicy" {
  policy "PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::GroupPolicy" {
  policy "PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::Policy" {
  policy "PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::ManagedPolicy" {
  policy "PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::User" {
  policy "Policies[*].PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::IAM::Group" {
  policy "Policies[*].PolicyDocument" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::SSO::PermissionSet" {
  policy "InlinePolicy" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::S3::BucketPolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "s3"
  }
}

resource "AWS::S3::AccessPoint" {
  policy "Policy" {
    role    = "resource"
    service = "s3"
  }
}

resource "AWS::S3::MultiRegionAccessPointPolicy" {
  policy "Policy" {
    role    = "resource"
    service = "s3"
  }
}

resource "AWS::S3ObjectLambda::AccessPointPolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "s3-object-lambda"
  }
}

resource "AWS::S3Outposts::BucketPolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "s3-outposts"
  }
}

resource "AWS::S3Express::BucketPolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "s3express"
  }
}

resource "AWS::S3Tables::TableBucketPolicy" {
  policy "ResourcePolicy" {
    role    = "resource"
    service = "s3tables"
  }
}

resource "AWS::KMS::Key" {
  policy "KeyPolicy" {
    role    = "resource"
    service = "kms"
  }
}

resource "AWS::KMS::ReplicaKey" {
  policy "KeyPolicy" {
    role    = "resource"
    service = "kms"
  }
}

resource "AWS::SNS::TopicPolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "sns"
  }
}

resource "AWS::SNS::TopicInlinePolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "sns"
  }
}

resource "AWS::SQS::QueuePolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "sqs"
  }
}

resource "AWS::SQS::QueueInlinePolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "sqs"
  }
}

resource "AWS::Events::EventBus" {
  policy "Policy" {
    role    = "resource"
    service = "events"
  }
}

resource "AWS::EventSchemas::RegistryPolicy" {
  policy "Policy" {
    role    = "resource"
    service = "schemas"
  }
}

resource "AWS::Kinesis::ResourcePolicy" {
  policy "ResourcePolicy" {
    role    = "resource"
    service = "kinesis"
  }
}

resource "AWS::MSK::ClusterPolicy" {
  policy "Policy" {
    role    = "resource"
    service = "kafka"
  }
}

resource "AWS::ECR::Repository" {
  policy "RepositoryPolicyText" {
    role    = "resource"
    service = "ecr"
  }
}

resource "AWS::ECR::RegistryPolicy" {
  policy "PolicyText" {
    role    = "resource"
    service = "ecr"
  }
}

resource "AWS::ECR::PublicRepository" {
  policy "RepositoryPolicyText" {
    role    = "resource"
    service = "ecr-public"
  }
}

resource "AWS::ECR::RepositoryCreationTemplate" {
  policy "RepositoryPolicy" {
    role    = "resource"
    service = "ecr"
  }
}

resource "AWS::CodeArtifact::Domain" {
  policy "PermissionsPolicyDocument" {
    role    = "resource"
    service = "codeartifact"
  }
}

resource "AWS::CodeArtifact::Repository" {
  policy "PermissionsPolicyDocument" {
    role    = "resource"
    service = "codeartifact"
  }
}

resource "AWS::SecretsManager::ResourcePolicy" {
  policy "ResourcePolicy" {
    role    = "resource"
    service = "secretsmanager"
  }
}

resource "AWS::EFS::FileSystem" {
  policy "FileSystemPolicy" {
    role    = "resource"
    service = "elasticfilesystem"
  }
}

resource "AWS::Backup::BackupVault" {
  policy "AccessPolicy" {
    role    = "resource"
    service = "backup"
  }
}

resource "AWS::DynamoDB::Table" {
  policy "ResourcePolicy.PolicyDocument" {
    role    = "resource"
    service = "dynamodb"
  }
}

resource "AWS::DynamoDB::GlobalTable" {
  policy "Replicas[*].ResourcePolicy.PolicyDocument" {
    role    = "resource"
    service = "dynamodb"
  }
}

resource "AWS::MediaStore::Container" {
  policy "Policy" {
    role    = "resource"
    service = "mediastore"
  }
}

resource "AWS::SageMaker::ModelPackageGroup" {
  policy "ModelPackageGroupPolicy" {
    role    = "resource"
    service = "sagemaker"
  }
}

resource "AWS::OpenSearchService::Domain" {
  policy "AccessPolicies" {
    role    = "resource"
    service = "es"
  }
}

resource "AWS::Elasticsearch::Domain" {
  policy "AccessPolicies" {
    role    = "resource"
    service = "es"
  }
}

resource "AWS::OpenSearchServerless::AccessPolicy" {
  policy "Policy" {
    role    = "resource"
    service = "aoss"
    format  = "opensearch-serverless"
  }
}

resource "AWS::ApiGateway::RestApi" {
  policy "Policy" {
    role    = "resource"
    service = "execute-api"
  }
}

resource "AWS::VpcLattice::ResourcePolicy" {
  policy "Policy" {
    role    = "resource"
    service = "vpc-lattice"
  }
}

resource "AWS::VpcLattice::AuthPolicy" {
  policy "Policy" {
    role    = "resource"
    service = "vpc-lattice-svcs"
  }
}

resource "AWS::Logs::ResourcePolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "logs"
  }
}

resource "AWS::Logs::Destination" {
  policy "DestinationPolicy" {
    role    = "resource"
    service = "logs"
  }
}

resource "AWS::Logs::DeliveryDestination" {
  policy "DeliveryDestinationPolicy.DeliveryDestinationPolicy" {
    role    = "resource"
    service = "logs"
  }
}

resource "AWS::Oam::Sink" {
  policy "Policy" {
    role    = "resource"
    service = "oam"
  }
}

resource "AWS::XRay::ResourcePolicy" {
  policy "PolicyDocument" {
    role    = "resource"
    service = "xray"
  }
}

resource "AWS::Organizations::Policy" {
  policy "Content" {
    role    = "guardrail"
    service = "*"
  }
}

resource "AWS::Organizations::ResourcePolicy" {
  policy "Content" {
    role    = "resource"
    service = "organizations"
  }
}

resource "AWS::EC2::VPCEndpoint" {
  policy "PolicyDocument" {
    role    = "guardrail"
    service = "*"
  }
}

resource "AWS::IoT::Policy" {
  policy "PolicyDocument" {
    role    = "identity"
    service = "iot"
  }
}

resource "AWS::Transfer::User" {
  policy "Policy" {
    role    = "identity"
    service = "*"
  }
}

resource "AWS::Glacier::Vault" {
  policy "AccessPolicy" {
    role    = "resource"
    service = "glacier"
  }
}

resource "AWS::Lambda::Permission" {
  grant "Principal" {
    role      = "resource"
    service   = "lambda"
    converter = "lambda_permission"
  }
}

resource "AWS::Lambda::LayerVersionPermission" {
  grant "Principal" {
    role      = "resource"
    service   = "lambda"
    converter = "lambda_layer_version_permission"
  }
}

resource "AWS::Lambda::Url" {
  grant "AuthType" {
    role      = "resource"
    service   = "lambda"
    converter = "lambda_function_url"
  }
}

resource "AWS::EKS::AccessEntry" {
  grant "PrincipalArn" {
    role      = "resource"
    service   = "eks"
    converter = "eks_access_entry"
  }
}

resource "AWS::S3::Bucket" {
  grant "AccessControl" {
    role      = "resource"
    service   = "s3"
    converter = "s3_bucket_acl"
  }
}

# Stacks and Cloud Control resources: the template / desired state is read resource by resource with
# the CloudFormation entries above.
resource "aws_cloudformation_stack" {
  policy "template_body" {
    role    = "resource"
    service = "*"
    format  = "cloudformation-template"
  }
}

resource "aws_cloudformation_stack_set" {
  policy "template_body" {
    role    = "resource"
    service = "*"
    format  = "cloudformation-template"
  }
}

resource "awscc_cloudformation_stack" {
  policy "template_body" {
    role    = "resource"
    service = "*"
    format  = "cloudformation-template"
  }
}

resource "aws_cloudcontrolapi_resource" {
  policy "desired_state" {
    role    = "resource"
    service = "*"
    format  = "cloudcontrol"
  }
}
