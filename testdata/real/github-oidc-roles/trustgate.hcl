boundary {
  github_owners = ["acme"]
}
