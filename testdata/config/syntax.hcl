# expect: line 3, column 15: not valid HCL: expected `]`
boundary {
  accounts = ["111111111111]
}
