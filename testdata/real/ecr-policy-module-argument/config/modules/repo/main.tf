variable "name" {
  type = string
}

variable "repository_policy" {
  type    = string
  default = null
}

variable "create_repository_policy" {
  type    = bool
  default = true
}

resource "aws_ecr_repository" "this" {
  name = var.name
}

resource "aws_ecr_repository_policy" "this" {
  count      = var.create_repository_policy ? 1 : 0
  repository = aws_ecr_repository.this.name
  policy     = var.repository_policy
}
