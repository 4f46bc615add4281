//! Names of known third-party and AWS-owned accounts (facts from the public known_aws_accounts list), so a
//! report can say "324880187172 (Spacelift)".
//!
//! INTERFACE CONTRACT: `vendor_name`.
//!
//! The list lives in `policies/known-accounts.tsv` (`account_id<TAB>name`, sorted by id, `#` comments),
//! embedded at build time. Entries the upstream list marks `enabled: false` keep their name with a
//! " (deprecated)" suffix: the account still exists and naming it helps a reviewer more than a bare id.

use std::sync::OnceLock;

const KNOWN_ACCOUNTS_TSV: &str = include_str!("../policies/known-accounts.tsv");

/// The vendor that owns a 12-digit account id, if known.
pub fn vendor_name(account_id: &str) -> Option<&'static str> {
    let accounts = known_accounts();
    accounts
        .binary_search_by(|(id, _)| (*id).cmp(account_id))
        .ok()
        .map(|index| accounts[index].1)
}

/// Every known account as `(id, name)`, sorted by id.
pub fn known_accounts() -> &'static [(&'static str, &'static str)] {
    static ACCOUNTS: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    ACCOUNTS.get_or_init(|| parse_known_accounts(KNOWN_ACCOUNTS_TSV))
}

/// Parses the TSV; malformed lines are skipped (the embedded file is checked by a test), and the result is
/// sorted so lookups stay correct even if the file is edited out of order.
fn parse_known_accounts(text: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut accounts: Vec<(&str, &str)> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| line.split_once('\t'))
        .map(|(id, name)| (id.trim(), name.trim()))
        .collect();
    accounts.sort_unstable();
    accounts.dedup_by(|a, b| a.0 == b.0);
    accounts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_vendors() {
        assert_eq!(vendor_name("324880187172"), Some("Spacelift"));
        assert_eq!(vendor_name("464622532012"), Some("Datadog"));
        assert_eq!(vendor_name("068664126052"), Some("DoIt (deprecated)"));
    }

    #[test]
    fn unknown_or_malformed_ids_have_no_name() {
        assert_eq!(vendor_name("111111111111"), None);
        assert_eq!(vendor_name(""), None);
        assert_eq!(vendor_name("arn:aws:iam::324880187172:root"), None);
    }

    #[test]
    fn embedded_file_is_well_formed_sorted_and_matches_its_header() {
        let mut data_lines = 0;
        let mut previous = "";
        for line in KNOWN_ACCOUNTS_TSV.lines().filter(|l| !l.starts_with('#')) {
            let (id, name) = line.split_once('\t').expect("every data line is id<TAB>name");
            assert!(id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()), "{line}");
            assert!(!name.trim().is_empty(), "{line}");
            assert!(previous < id, "not sorted or duplicate at {id}");
            previous = id;
            data_lines += 1;
        }
        let header = KNOWN_ACCOUNTS_TSV.lines().next().unwrap_or_default();
        assert!(header.ends_with(&format!(", {data_lines} accounts")), "{header}");
        assert_eq!(known_accounts().len(), data_lines);
    }
}
