//! Facts a new atom guarantees beyond its written conditions, so that equivalent ways of pinning a
//! caller compare equal (docs/iam-semantics.md section 4.4, "optional exact cross-key facts").

use std::collections::BTreeSet;

use crate::policy::{ConditionEntry, Operator, OperatorBase, Principal, StringMode};

use super::principal::{arn_value_account, is_account_id};

/// Facts the principal itself guarantees about the request, so that e.g. account `222…` satisfies an
/// old `aws:PrincipalAccount = 222…` condition.
pub(crate) fn principal_facts(principal: &Principal, partition: &str) -> Vec<ConditionEntry> {
    let fact = |operator: &str, key: &str, value: String| ConditionEntry {
        operator: Operator::parse(operator),
        key: key.to_lowercase(),
        key_text: key.to_string(),
        values: BTreeSet::from([value]),
    };
    match principal {
        // Only a real account id says what `aws:PrincipalAccount` will be (not `cloudfront`, `redacted`).
        Principal::Aws(aws) if is_account_id(&aws.account) => {
            let mut facts = vec![
                fact("StringEquals", "aws:PrincipalAccount", aws.account.clone()),
                fact("StringEquals", "kms:CallerAccount", aws.account.clone()),
            ];
            if aws.resource.starts_with("role/") || aws.resource.starts_with("user/") {
                facts.push(fact("ArnLike", "aws:PrincipalArn", aws.arn(partition)));
            }
            facts
        }
        Principal::Service(_) => vec![fact("Bool", "aws:PrincipalIsAWSService", "true".to_string())],
        _ => Vec::new(),
    }
}

/// Exact cross-key facts (docs/iam-semantics.md section 4.4): a fixed `aws:SourceArn` carrying account X
/// implies `aws:SourceAccount = X`; a fixed `aws:PrincipalArn` in account X implies
/// `aws:PrincipalAccount = X`.
pub(crate) fn derived_facts(block: &[ConditionEntry]) -> Vec<ConditionEntry> {
    let mut facts = Vec::new();
    for entry in block.iter().filter(|e| e.operator.is_strict_positive()) {
        let OperatorBase::Text {
            mode: StringMode::Exact | StringMode::Arn | StringMode::Like,
            ..
        } = entry.operator.base
        else {
            continue;
        };
        let implied_key = match entry.key.as_str() {
            "aws:sourcearn" => "aws:SourceAccount",
            "aws:principalarn" => "aws:PrincipalAccount",
            _ => continue,
        };
        let accounts: BTreeSet<Option<&str>> = entry
            .values
            .iter()
            .map(|arn| arn_value_account(entry, arn).filter(|a| is_account_id(a)))
            .collect();
        if let [Some(account)] = accounts.into_iter().collect::<Vec<_>>().as_slice() {
            facts.push(ConditionEntry {
                operator: Operator::parse("StringEquals"),
                key: implied_key.to_lowercase(),
                key_text: implied_key.to_string(),
                values: BTreeSet::from([account.to_string()]),
            });
        }
    }
    facts
}
