partner_account = "222222222222"
