# trustgate rules: one per kind of widening. Ids are stable; names and texts may be improved.
# Each rule says what the finding means, how to fix it, and how to approve it when it is intended.

rule "TG001" {
  kind    = "public"
  name    = "public-access"
  summary = "Grants access to anyone, including anonymous callers"
  help    = <<-EOT
    The policy now allows a request from a principal of "*" (or an Allow with NotPrincipal) that no
    condition pins inside your accounts or organization. Anyone on the internet, or any AWS account,
    can make it.
    Fix: name the principals that need access, or add a condition such as aws:PrincipalOrgID,
    aws:SourceAccount or aws:SourceArn with values inside your boundary.
  EOT
}

rule "TG002" {
  kind    = "external-account"
  name    = "external-account-access"
  summary = "Grants access to a principal in another AWS account"
  help    = <<-EOT
    The policy now allows a principal of an account outside the trust boundary (an account root, a role,
    a user, a session or an S3 canonical user). An account principal delegates to every identity its
    administrators choose.
    Fix: remove the principal, narrow it to one role, or add sts:ExternalId / aws:PrincipalArn conditions.
  EOT
}

rule "TG003" {
  kind    = "federated"
  name    = "federated-identity-access"
  summary = "Grants access to a federated identity (OIDC, SAML, web identity)"
  help    = <<-EOT
    The policy now lets identities of an external identity provider in (GitHub Actions, EKS service
    accounts, Terraform Cloud, Cognito, SAML). Without precise claim conditions every user of that provider
    can assume the role.
    Fix: pin the provider's aud and sub claims with StringEquals to exactly the repositories, branches,
    workspaces or service accounts that need access.
  EOT
}

rule "TG004" {
  kind    = "service"
  name    = "unscoped-service-access"
  summary = "Grants access to an AWS service on behalf of any account"
  help    = <<-EOT
    The policy now allows an AWS service principal without aws:SourceAccount, aws:SourceArn or
    aws:SourceOrgID values inside your boundary, so the service can act for resources of any customer
    (the confused deputy problem).
    Fix: add aws:SourceAccount (or aws:SourceArn / aws:SourceOrgID) with your own values.
  EOT
}

rule "TG005" {
  kind    = "condition-weakened"
  name    = "condition-weakened"
  summary = "A condition that narrowed external access was removed or broadened"
  help    = <<-EOT
    The same external principal was trusted before, but a condition that limited it (an ExternalId, an
    OIDC sub claim, a source IP range, an organization id, ...) is gone, broader, or now passes when the key
    is absent (IfExists, ForAllValues).
    Fix: restore the condition, or make it at least as strict as before.
  EOT
}

rule "TG006" {
  kind    = "access-broadened"
  name    = "access-broadened"
  summary = "An external principal may now do more, or reach more resources"
  help    = <<-EOT
    An external principal that already had access gains actions (for example sts:AssumeRole became sts:*,
    or sts:TagSession was added) or resources (a narrower ARN became a wildcard).
    Fix: grant only the actions and resources that are needed.
  EOT
}

rule "TG007" {
  kind    = "deny-removed"
  name    = "deny-removed"
  summary = "A Deny that protected against external access was removed or loosened"
  help    = <<-EOT
    A Deny statement (for example an organization guard) no longer covers requests it used to block, and
    an Allow in the policy lets external principals make them.
    Fix: restore the Deny, or make the Allow it protected as narrow as the Deny was.
  EOT
}

rule "TG008" {
  kind    = "unverifiable"
  name    = "unverifiable-policy"
  summary = "The change cannot be proven not to widen access"
  help    = <<-EOT
    trustgate cannot decide whether this change widens access: the policy is known only after apply, or it
    uses constructs that cannot be evaluated offline (policy variables, unsupported operators, unique ids).
    It fails closed.
    Fix: make the policy known at plan time (avoid values computed during apply), simplify it, or annotate
    the resource once you have reviewed the policy by hand.
  EOT
}

rule "TG009" {
  kind    = "invalid-policy"
  name    = "invalid-policy"
  summary = "The policy is not a valid IAM policy document"
  help    = <<-EOT
    The policy text does not parse as an IAM policy document, so nothing can be said about who it lets in.
    AWS would most likely reject it at apply time.
    Fix: correct the policy document at the place the message names.
  EOT
}

rule "TG010" {
  kind    = "session-lengthened"
  name    = "session-lengthened"
  summary = "A role trusted from outside the boundary allows sessions longer than one hour"
  help    = <<-EOT
    The role is assumable by a principal outside the trust boundary, and its max_session_duration is now
    above 3600 seconds (created that way, or raised). Credentials an outsider obtains stay valid up to 12 hours,
    so revoking their access (a vendor offboarding, a leaked key) takes that much longer to take effect: AWS
    does not end sessions already issued when the trust policy changes (IAM User Guide, "Revoking IAM role
    temporary security credentials"; MaxSessionDuration in the IAM API Reference, CreateRole).
    Fix: keep max_session_duration at 3600 (the default) for roles assumed from outside, or approve the longer
    sessions with an annotation.
  EOT
}
