# trustgate: owner=@a expiry=2027-01-01 justification="never read, the file does not parse"
resource "aws_iam_role" "broken" {
  name = "broken"
  assume_role_policy = jsonencode({
    Statement = [
  })
}
