# expect: line 8: exception is missing owner
exception {
  address       = "aws_iam_role.a"
  owner         = "@a"
  expiry        = "2027-03-31"
  justification = "long enough reason"
}
exception {
  address       = "aws_iam_role.b"
  expiry        = "2027-03-31"
  justification = "long enough reason"
}
