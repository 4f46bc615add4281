//! Stable rule ids and documentation for each widening kind, loaded from `policies/rules.hcl`
//! (embedded in the binary).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::WideningKind;

const BUILTIN_RULES: &str = include_str!("../policies/rules.hcl");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `TG002`.
    pub id: String,
    pub kind: WideningKind,
    /// Stable short name, e.g. `external-account-access`.
    pub name: String,
    /// One sentence.
    pub summary: String,
    /// What it means, how to fix it (several lines).
    pub help: String,
}

#[derive(Deserialize)]
struct RulesFile {
    rule: std::collections::BTreeMap<String, RuleBody>,
}

#[derive(Deserialize)]
struct RuleBody {
    kind: String,
    name: String,
    summary: String,
    help: String,
}

/// All rules, ordered by id. The embedded file is checked by a unit test, so a failure here is a
/// build defect, not an input error.
pub fn all() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| parse_rules(BUILTIN_RULES).expect("built-in policies/rules.hcl is valid"))
}

/// The rule for a kind.
pub fn for_kind(kind: WideningKind) -> &'static Rule {
    all()
        .iter()
        .find(|rule| rule.kind == kind)
        .expect("every widening kind has a rule (checked by a unit test)")
}

fn parse_rules(text: &str) -> Result<Vec<Rule>, String> {
    let file: RulesFile = hcl::from_str(text).map_err(|e| e.to_string())?;
    let mut rules = Vec::new();
    for (id, body) in file.rule {
        let kind = WideningKind::ALL
            .into_iter()
            .find(|k| k.as_str() == body.kind)
            .ok_or_else(|| format!("rule {id}: unknown kind {:?}", body.kind))?;
        rules.push(Rule {
            id,
            kind,
            name: body.name,
            summary: body.summary,
            help: body.help.trim_end().to_string(),
        });
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_rule_with_unique_ids() {
        let rules = parse_rules(BUILTIN_RULES).unwrap();
        for kind in WideningKind::ALL {
            assert_eq!(rules.iter().filter(|r| r.kind == kind).count(), 1, "{kind:?}");
        }
        let mut ids: Vec<_> = rules.iter().map(|r| r.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), rules.len());
        assert!(rules.iter().all(|r| r.id.starts_with("TG") && !r.help.is_empty()));
    }

    #[test]
    fn unknown_kind_is_rejected() {
        let err =
            parse_rules("rule \"X1\" {\n kind = \"nope\"\n name = \"n\"\n summary = \"s\"\n help = \"h\"\n}")
                .unwrap_err();
        assert!(err.contains("unknown kind"), "{err}");
    }
}
