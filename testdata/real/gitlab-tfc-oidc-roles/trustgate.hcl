boundary {
  gitlab_groups = ["gitlab.example.com/platform"]
  terraform_organizations = ["acme-corp/infra"]
}
