//! ARN patterns: `arn:partition:service:region:account:resource`. Wildcards never cross `:` in the first
//! five components; the resource component is the rest of the string and may contain `:` itself
//! (docs/iam-semantics.md sections 1.4 and 4.3).

use super::glob::{glob_included, glob_intersects, glob_matches, has_wildcards};

/// The six components of an ARN (or ARN pattern), or `None` when the text is not ARN-shaped.
pub fn split_arn(text: &str) -> Option<[&str; 6]> {
    let mut parts = text.splitn(6, ':');
    let components = [
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    ];
    (components[0] == "arn").then_some(components)
}

/// The account component of an ARN when it is a literal (no wildcard, no policy variable); empty for
/// ARNs without an account such as S3 buckets.
pub fn literal_account(text: &str) -> Option<&str> {
    let account = split_arn(text)?[4];
    (!has_wildcards(account) && !account.contains("${")).then_some(account)
}

/// Does the ARN `value` match the ARN pattern (component-wise, case-sensitive)?
pub fn arn_matches(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match (split_arn(pattern), split_arn(value)) {
        (Some(p), Some(v)) => p.iter().zip(v.iter()).all(|(p, v)| glob_matches(p, v)),
        _ => pattern == value,
    }
}

/// Is every ARN matched by `a` also matched by `b`? Patterns that are not ARN-shaped are only
/// included in themselves and in `*` (sound).
pub fn arn_included(a: &str, b: &str) -> bool {
    if a == b || b == "*" {
        return true;
    }
    if !has_wildcards(b) {
        return false;
    }
    match (split_arn(a), split_arn(b)) {
        (Some(a), Some(b)) => a.iter().zip(b.iter()).all(|(a, b)| glob_included(a, b)),
        _ => false,
    }
}

/// Could some ARN match both patterns? Unparseable patterns are assumed to overlap (sound).
pub fn arn_intersects(a: &str, b: &str) -> bool {
    match (split_arn(a), split_arn(b)) {
        (Some(a), Some(b)) => a.iter().zip(b.iter()).all(|(a, b)| glob_intersects(a, b)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::glob::glob_matches;

    #[test]
    fn splits_six_components_with_colons_in_the_resource() {
        let parts = split_arn("arn:aws:logs:us-east-1:111111111111:log-group:/x:*").unwrap_or_default();
        assert_eq!(parts[4], "111111111111");
        assert_eq!(parts[5], "log-group:/x:*");
        assert!(split_arn("arn:aws:s3").is_none());
        assert!(split_arn("*").is_none());
    }

    #[test]
    fn wildcards_do_not_cross_colons_in_arn_matching_but_do_in_string_like() {
        let pattern = "arn:aws:iam::*:role/x";
        let value = "arn:aws:iam::111111111111:extra:role/x";
        // StringLike: `*` swallows "111111111111:extra".
        assert!(glob_matches(pattern, value));
        // ArnLike: the account component is "111111111111" and the resource is "extra:role/x".
        assert!(!arn_matches(pattern, value));
        assert!(arn_matches(pattern, "arn:aws:iam::111111111111:role/x"));
    }

    #[test]
    fn component_wise_inclusion() {
        assert!(arn_included("arn:aws:s3:::bucket/a/*", "arn:aws:s3:::bucket/*"));
        assert!(!arn_included("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/*"));
        assert!(arn_included(
            "arn:aws:iam::222222222222:role/ci",
            "arn:aws:iam::*:role/*"
        ));
        assert!(!arn_included("*", "arn:aws:s3:::*"));
        assert!(arn_included("arn:aws:s3:::x", "*"));
        assert!(arn_intersects("arn:aws:s3:::b/*", "arn:aws:s3:::*"));
        assert!(!arn_intersects("arn:aws:s3:::a/*", "arn:aws:s3:::b/*"));
    }

    #[test]
    fn literal_account_component() {
        assert_eq!(
            literal_account("arn:aws:events:us-east-1:111111111111:rule/x"),
            Some("111111111111")
        );
        assert_eq!(literal_account("arn:aws:s3:::bucket"), Some(""));
        assert_eq!(literal_account("arn:aws:events:us-east-1:*:rule/x"), None);
    }
}
