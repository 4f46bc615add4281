trusted_account = "222222222222"
