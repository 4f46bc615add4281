# expect: line 3, column 36: "11111111111" is not a 12-digit AWS account id
boundary {
  accounts      = ["111111111111", "11111111111"]
}
