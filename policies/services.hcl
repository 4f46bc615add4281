# trustgate service knowledge: what AWS documents about service principals, used to tell a service that can
# only act for the owner's own account from one that may act for anyone (a confused deputy).
#
# trustgate reads this file on every run (it is compiled into the binary). To change it, copy it, edit it and
# pass the copy with the services option; entries in your file replace the built-in entry of the same name and
# add new ones. Every entry cites the AWS documentation it rests on.
#
#   passrole_service "<service principal>" {   # a role is handed to this service only with iam:PassRole
#     source = "<AWS documentation URL>"
#   }
#   absent_key "<condition key>" {             # a key a service principal's request never carries
#     services = "all" | "passrole"             # every service, or only the passrole services above
#     except   = ["<service principal>", ...]   # services documented to carry it after all
#     source   = "<AWS documentation URL>"
#   }
#   service_pin "<condition key>" {            # a service-specific key that pins on whose behalf it acts
#     services = ["<service principal>", ...]   # `*` inside a name: any run of characters (regional names)
#     value    = "arn" | "account"              # the value is an ARN carrying the account, or an account id
#     source   = "<AWS documentation URL>"
#     names_without_colon = "<AWS documentation URL>"  # optional, arn only: the service's ARNs have no `:` in
#                                               # their names, so a StringLike pattern with a wildcard region
#                                               # (`arn:aws:SERVICE:*:ACCOUNT:…`) still fixes the account
#   }
#
# PassRole services. AWS: "You can only use the PassRole permission to pass an IAM role to a service that
# shares the same AWS account" (IAM User Guide, "Grant a user permissions to pass a role to an AWS service",
# https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html). A trust-policy grant of
# sts:AssumeRole / sts:TagSession / sts:SetSourceIdentity to such a service therefore lets only the own
# account's configuration use the role: it is inside the trust boundary. Their grants in resource policies
# (buckets, keys, topics, …) are NOT covered by this: there the service may act for any account.
#
# Left out on purpose: services whose AWS documentation describes a confused-deputy risk for the role itself
# (RDS enhanced monitoring, monitoring.rds.amazonaws.com: "Protecting against the confused deputy problem" in
# https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html; Amazon Data
# Firehose, whose documented trust policy pins sts:ExternalId to the account,
# https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html), and services for which no AWS page
# stating that the role is passed could be confirmed (AWS Batch, CodePipeline, API Gateway's CloudWatch role,
# VPC Flow Logs). Their trust policies keep the finding unless pinned by aws:SourceAccount / aws:SourceArn.

passrole_service "lambda.amazonaws.com" {
  source = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
}

passrole_service "edgelambda.amazonaws.com" {
  source = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-edge-permissions.html"
}

passrole_service "ec2.amazonaws.com" {
  source = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
}

passrole_service "ecs-tasks.amazonaws.com" {
  source = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"
}

passrole_service "states.amazonaws.com" {
  source = "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html"
}

passrole_service "codebuild.amazonaws.com" {
  source = "https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html"
}

passrole_service "codedeploy.amazonaws.com" {
  source = "https://docs.aws.amazon.com/codedeploy/latest/userguide/getting-started-create-service-role.html"
}

passrole_service "glue.amazonaws.com" {
  source = "https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html"
}

passrole_service "sagemaker.amazonaws.com" {
  source = "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html"
}

passrole_service "eks.amazonaws.com" {
  source = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html"
}

passrole_service "pods.eks.amazonaws.com" {
  source = "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html"
}

passrole_service "events.amazonaws.com" {
  source = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-identity-based.html"
}

passrole_service "sns.amazonaws.com" {
  source = "https://docs.aws.amazon.com/sns/latest/dg/msg-status-sdk.html"
}

passrole_service "backup.amazonaws.com" {
  source = "https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html"
}

# Keys that a service principal's request never carries. A strict positive test of such a key (no
# IfExists, no ForAllValues, not negated) is false for every service request, so the statement grants the
# service nothing. Availability of each global key: IAM User Guide, "AWS global condition context keys",
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html

absent_key "aws:MultiFactorAuthPresent" {
  services = "all"
  source   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent"
}

absent_key "aws:MultiFactorAuthAge" {
  services = "all"
  source   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthage"
}

absent_key "aws:PrincipalOrgID" {
  services = "all"
  source   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid"
}

absent_key "aws:PrincipalOrgPaths" {
  services = "all"
  source   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths"
}

absent_key "aws:PrincipalTag/*" {
  services = "all"
  source   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principaltag"
}

# sts:ExternalId is present only when the caller of AssumeRole passes one. Amazon Cognito user pools pass
# the external id configured for their SMS role, so the rule is limited to the PassRole services above and
# Cognito is excepted.
absent_key "sts:ExternalId" {
  services = "passrole"
  except   = ["cognito-idp.amazonaws.com"]
  source   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-sts"
}

# Service-specific pins: keys whose value says on whose behalf the service acts, documented by AWS as the
# way to confine that service; they pin like aws:SourceArn / aws:SourceAccount.

service_pin "kms:EncryptionContext:aws:logs:arn" {
  services = ["logs.amazonaws.com", "logs.*.amazonaws.com"]
  value    = "arn"
  source   = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
}

# CloudTrail's documented key policy pins the trail with StringLike "arn:aws:cloudtrail:*:ACCOUNT:trail/*";
# trail names contain only letters, digits, '.', '_' and '-', so a trail's ARN has exactly five ':'.
service_pin "kms:EncryptionContext:aws:cloudtrail:arn" {
  services            = ["cloudtrail.amazonaws.com"]
  value               = "arn"
  source              = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html"
  names_without_colon = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html"
}
