# expect: line 4, column 1: unknown block "exceptions"; did you mean "exception"?
boundary {
}
exceptions {
  address = "x"
}
