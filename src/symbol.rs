//! Symbols: the references that evaluating HCL without a plan leaves unresolved. An evaluated policy
//! writes each as `${aws_iam_role.ci.arn}` in place of its value, so that later stages can still tell which
//! reference a principal depends on.

/// Appended to the reference a symbol names when its value was not evaluated because the configuration
/// took more evaluation work than the budget allows (`source::locals`).
pub const OVER_BUDGET: &str = " (not evaluated: past the evaluation work budget)";

/// Whether a symbol (as `symbols_in` lists it) stands for a value left unevaluated for lack of budget.
pub fn over_budget(symbol: &str) -> bool {
    symbol.ends_with(OVER_BUDGET)
}

/// `${…}` references left in evaluated text, sorted and deduplicated.
pub fn symbols_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        found.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    found.sort();
    found.dedup();
    found
}

/// The one reference that `text` consists of (`${aws_iam_role.ci.arn}` → `aws_iam_role.ci.arn`), when the
/// whole text (trimmed) is a single symbol.
pub fn whole_symbol(text: &str) -> Option<String> {
    let symbols = symbols_in(text);
    match symbols.as_slice() {
        [only] if text.trim() == format!("${{{only}}}") => Some(only.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_symbol_is_the_text_and_nothing_else() {
        assert_eq!(
            whole_symbol(" ${aws_iam_role.ci.arn} "),
            Some("aws_iam_role.ci.arn".to_string())
        );
        assert_eq!(whole_symbol("arn:aws:iam::${var.account}:root"), None);
        assert_eq!(whole_symbol("${a.b}${a.b}"), None);
        assert_eq!(whole_symbol("plain"), None);
    }
}
