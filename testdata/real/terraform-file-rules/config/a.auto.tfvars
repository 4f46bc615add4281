partner_account = "444444444444"
