# expect: line 3, column 21: max_expiry_days must be a positive whole number, not 0
annotations {
  max_expiry_days = 0
}
