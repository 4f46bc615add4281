audit_account  = "999988887777"
backup_account = "222222222222"
log_account    = "222222222222"
