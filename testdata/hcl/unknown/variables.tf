variable "trusted_account" {
  type    = string
  default = "999999999999"
}

variable "github_repos" {
  type    = list(string)
  default = ["octo-org/app"]
}
