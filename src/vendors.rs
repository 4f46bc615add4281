//! Names of known third-party and AWS-owned accounts (facts from the public known_aws_accounts list), so a
//! report can say "324880187172 (Spacelift)".
//!
//! INTERFACE CONTRACT: `vendor_name`.

/// The vendor that owns a 12-digit account id, if known.
pub fn vendor_name(_account_id: &str) -> Option<&'static str> {
    None
}
