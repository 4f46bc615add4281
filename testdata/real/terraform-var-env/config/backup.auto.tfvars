backup_account = "999988887777"
