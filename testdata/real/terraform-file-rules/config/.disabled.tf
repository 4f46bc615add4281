# Hidden: Terraform does not read this file (read, it would define the partner role twice).
resource "aws_iam_role" "partner" {
  name               = "file-rules-partner"
  assume_role_policy = "{}"
}
