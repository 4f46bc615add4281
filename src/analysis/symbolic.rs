//! Deciding a policy that still has holes: values known only after apply, written as `${reference}` symbols
//! by the source evaluator. The rule (docs/unknown-values.md): a policy with holes is decided when every
//! value the holes could take gives the same verdict, and unverifiable otherwise.
//!
//! How, without trying every value:
//! 1. A hole in a `Sid` never matters.
//! 2. An Allow statement whose holes are not in `Effect`/`Principal`/`NotPrincipal` is bounded above by its
//!    *widest* form: a hole in `Action`/`Resource` becomes `*`, a `NotAction`/`NotResource` with a hole becomes
//!    `Action`/`Resource` `*`, a condition entry with a hole is removed (a condition only ever narrows an
//!    Allow). When that widest form alone gives nobody outside the boundary anything, no value of its holes
//!    can: the statement's holes do not matter.
//! 3. The policy with every remaining hole widened (Allows as in 2, Deny statements with holes removed: a
//!    Deny only ever takes access away) bounds every filling from above. Widenings are about access the new
//!    policy allows and the old one did not, so when that upper bound widens nothing, no filling does.
//! 4. A new policy (nothing before it) whose remaining holes are all in the `Resource` lists of Allow
//!    statements with known principals and conditions: every filling grants those principals the statement's
//!    actions on *something*, so who gains access, and as what kind of principal, does not depend on the
//!    holes. The findings are those of the policy as written. Deny statements may be there when each has
//!    holes only in what it covers (Action, Resource): a filling takes away between nothing and what the
//!    Deny at its widest takes away, so when both ends give the verdict as written, every filling does.
//! 5. Anything else stays unverifiable, naming each hole that decides it.
//!
//! `tests::decision_equals_the_verdict_of_every_filling` checks the rule against every filling from a
//! finite universe of values (including those that widen: `*`, another account, a wildcard action).

use serde_json::{Map, Value};

use super::{Comparison, Context, compare};
use crate::policy::{Policy, PolicyError, parse_policy_value};

/// A value known only after apply, where it sits in the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hole {
    /// Index of the statement in the document.
    pub statement: usize,
    pub sid: Option<String>,
    /// The element: `Resource`, `Principal`, `Condition StringEquals aws:SourceArn`, …
    pub element: String,
    /// The value as written, with its `${…}` symbols.
    pub value: String,
}

/// The outcome for a policy with holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Every filling gives these widenings (`holes` lists the ones that did not matter).
    Decided {
        comparison: Comparison,
        ignored: Vec<Hole>,
    },
    /// The verdict depends on these holes.
    Unverifiable { holes: Vec<Hole> },
}

/// Decides `new` (a policy document as JSON, holes as `${symbol}` for the given symbols) against `old`.
pub fn decide(
    old: Option<&Policy>,
    new: &Value,
    symbols: &[String],
    ctx: &Context<'_>,
) -> Result<Decision, PolicyError> {
    let is_hole = |text: &str| symbols.iter().any(|s| text.contains(&format!("${{{s}}}")));
    let literal = parse_policy_value(new)?;
    let statements: Vec<Value> = match new.get("Statement") {
        Some(Value::Array(list)) => list.clone(),
        Some(single @ Value::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    };
    let mut ignored = Vec::new();
    let mut relevant: Vec<Hole> = Vec::new();
    let mut widest: Vec<Value> = Vec::new();
    // Rule 4 applies only while every relevant hole of an Allow is a Resource hole of an otherwise known
    // Allow, no Deny is fully known, and the Denies' holes are only in what they cover (Action, Resource).
    let mut only_resource_holes = true;
    let mut known_deny = false;
    let mut deny_holes_bounded = true;
    // The Denies with holes at their widest (Action and Resource `*`): they take away at least what any
    // filling of them does, whatever the Allows' unknown resources are.
    let mut widest_denies: Vec<(usize, Value)> = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        let Some(object) = statement.as_object() else {
            widest.push(statement.clone());
            continue;
        };
        let sid = object.get("Sid").and_then(Value::as_str).map(str::to_string);
        let deny = object.get("Effect").and_then(Value::as_str) == Some("Deny");
        let holes = holes_of(index, sid.as_deref(), object, &is_hole);
        let (sid_holes, holes): (Vec<Hole>, Vec<Hole>) = holes.into_iter().partition(|h| h.element == "Sid");
        ignored.extend(sid_holes);
        if holes.is_empty() {
            known_deny |= deny;
            widest.push(statement.clone());
            continue;
        }
        let fixed = holes
            .iter()
            .any(|h| matches!(h.element.as_str(), "Effect" | "Principal" | "NotPrincipal"));
        if deny {
            // A Deny with holes is dropped from the upper bound: it can only take access away.
            let covering = holes.iter().all(|h| {
                matches!(
                    h.element.as_str(),
                    "Action" | "NotAction" | "Resource" | "NotResource"
                )
            });
            if covering {
                // At its widest the Deny covers every action on every resource: also whatever an unknown
                // `Resource` of an Allow turns out to be.
                let mut wide = object.clone();
                for not in ["NotAction", "NotResource"] {
                    wide.remove(not);
                }
                for only in ["Action", "Resource"] {
                    wide.insert(only.to_string(), Value::String("*".to_string()));
                }
                widest_denies.push((index, Value::Object(wide)));
            }
            deny_holes_bounded &= covering;
            relevant.extend(holes);
            continue;
        }
        if !fixed {
            let wide = widen(object, &is_hole);
            if grants_nothing_outside(&wide, new, ctx) {
                ignored.extend(holes);
                widest.push(Value::Object(wide));
                continue;
            }
            only_resource_holes &= holes.iter().all(|h| h.element == "Resource");
            relevant.extend(holes);
            widest.push(Value::Object(wide));
        } else {
            only_resource_holes = false;
            relevant.extend(holes);
            widest.push(statement.clone());
        }
    }
    let fixed_hole = relevant
        .iter()
        .any(|h| matches!(h.element.as_str(), "Effect" | "Principal" | "NotPrincipal"));
    if !fixed_hole {
        // The upper bound: what outsiders get from it is what they get from every filling when no hole
        // is relevant (the holes left are in statements that reach nobody outside), and an upper bound of
        // it otherwise.
        let upper = parse_policy_value(&with_statements(new, widest))?;
        let bound = compare(old, &upper, ctx);
        if relevant.is_empty() || bound.widenings.is_empty() {
            ignored.extend(relevant);
            return Ok(Decision::Decided {
                comparison: bound,
                ignored,
            });
        }
    }
    if old.is_none_or(|o| o.statements().is_empty())
        && !known_deny
        && deny_holes_bounded
        && only_resource_holes
    {
        let comparison = compare(old, &literal, ctx);
        // Every Deny has holes, only in what it covers: any filling takes away at most what the Denies at
        // their widest take away, and at least nothing. When both ends give the literal policy's verdict,
        // so does every filling.
        let decided = widest_denies.is_empty() || {
            let deny_indexes: Vec<usize> = widest_denies.iter().map(|(i, _)| *i).collect();
            let without: Vec<Value> = statements
                .iter()
                .enumerate()
                .filter(|(i, _)| !deny_indexes.contains(i))
                .map(|(_, s)| s.clone())
                .collect();
            let mut widest_deny = without.clone();
            widest_deny.extend(widest_denies.iter().map(|(_, s)| s.clone()));
            let ends = [without, widest_deny].map(|list| {
                parse_policy_value(&with_statements(new, list)).map(|p| verdict_of(&compare(old, &p, ctx)))
            });
            let literal_verdict = verdict_of(&comparison);
            ends.iter()
                .all(|end| end.as_ref().is_ok_and(|v| *v == literal_verdict))
        };
        if decided {
            ignored.extend(relevant);
            return Ok(Decision::Decided { comparison, ignored });
        }
    }
    Ok(Decision::Unverifiable { holes: relevant })
}

/// Who gains what kind of access: the verdict that must not depend on the holes.
fn verdict_of(comparison: &Comparison) -> std::collections::BTreeSet<(super::WideningKind, String)> {
    comparison
        .widenings
        .iter()
        .map(|w| (w.kind, w.principal.clone()))
        .collect()
}

/// The holes of one statement, by element.
fn holes_of(
    index: usize,
    sid: Option<&str>,
    statement: &Map<String, Value>,
    is_hole: &dyn Fn(&str) -> bool,
) -> Vec<Hole> {
    let mut out = Vec::new();
    let mut push = |element: String, value: &str| {
        out.push(Hole {
            statement: index,
            sid: sid.map(str::to_string),
            element,
            value: value.to_string(),
        })
    };
    for (key, value) in statement {
        if key == "Condition" {
            for (operator, entries) in value.as_object().into_iter().flatten() {
                for (condition_key, values) in entries.as_object().into_iter().flatten() {
                    let element = format!("Condition {operator} {condition_key}");
                    if is_hole(condition_key) {
                        push(element.clone(), condition_key);
                    }
                    for text in strings_in(values) {
                        if is_hole(&text) {
                            push(element.clone(), &text);
                        }
                    }
                }
                if is_hole(operator) {
                    push(format!("Condition {operator}"), operator);
                }
            }
            continue;
        }
        for text in strings_in(value) {
            if is_hole(&text) {
                push(key.clone(), &text);
            }
        }
        if let Value::Object(map) = value
            && map.keys().any(|k| is_hole(k))
        {
            push(key.clone(), "principal type");
        }
    }
    out
}

fn strings_in(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings_in).collect(),
        Value::Object(map) => map.values().flat_map(strings_in).collect(),
        other => vec![other.to_string()],
    }
}

/// The widest statement every filling of an Allow's holes (outside Effect and Principal) stays within.
fn widen(statement: &Map<String, Value>, is_hole: &dyn Fn(&str) -> bool) -> Map<String, Value> {
    let mut out = statement.clone();
    let any_hole = |value: &Value| strings_in(value).iter().any(|s| is_hole(s));
    for (only, not) in [("Action", "NotAction"), ("Resource", "NotResource")] {
        if out.get(only).is_some_and(any_hole) {
            out.insert(only.to_string(), Value::String("*".to_string()));
        }
        if out.get(not).is_some_and(any_hole) {
            out.remove(not);
            out.insert(only.to_string(), Value::String("*".to_string()));
        }
    }
    if let Some(Value::Object(operators)) = out.get("Condition").cloned() {
        let mut kept = Map::new();
        for (operator, entries) in operators {
            if is_hole(&operator) {
                continue;
            }
            let mut entries_kept = Map::new();
            for (key, values) in entries.as_object().into_iter().flatten() {
                if !is_hole(key) && !any_hole(values) {
                    entries_kept.insert(key.clone(), values.clone());
                }
            }
            if !entries_kept.is_empty() {
                kept.insert(operator, Value::Object(entries_kept));
            }
        }
        if kept.is_empty() {
            out.remove("Condition");
        } else {
            out.insert("Condition".to_string(), Value::Object(kept));
        }
    }
    out
}

/// Whether `statement` on its own lets nobody outside the boundary do anything.
fn grants_nothing_outside(statement: &Map<String, Value>, document: &Value, ctx: &Context<'_>) -> bool {
    let alone = with_statements(document, vec![Value::Object(statement.clone())]);
    match parse_policy_value(&alone) {
        Ok(policy) => compare(None, &policy, ctx).widenings.is_empty(),
        Err(_) => false,
    }
}

fn with_statements(document: &Value, statements: Vec<Value>) -> Value {
    let mut out = document.as_object().cloned().unwrap_or_default();
    out.insert("Statement".to_string(), Value::Array(statements));
    Value::Object(out)
}

/// Replaces `${x.arn}` of a resource managed here in a known account *outside* the boundary, where only
/// its account and kind matter, with a stand-in of that account: an `AWS` principal that is an IAM
/// role's (user's) ARN becomes `arn:<partition>:iam::<account>:role/(<address>)`, an `aws:SourceArn`
/// value `arn:<partition>:<service>:*:<account>:(<address>)`. Every value the hole can take is an
/// identity (resource) of that account that no other text of either policy names, so all of them give
/// the stand-in's verdict. Done only when that holds: the account appears nowhere else in the old or new
/// policy, and neither matches principals or sources by name (`aws:PrincipalArn`, `aws:userid`,
/// `aws:username`, another `aws:SourceArn`), which is where one role of the account could be told from
/// another. Returns the stand-ins used.
pub fn fill_outside(
    old: Option<&Policy>,
    document: &mut Value,
    symbols: &[String],
    partition: &str,
    outside: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    let whole =
        |text: &str| -> Option<String> { symbols.iter().find(|s| text == format!("${{{s}}}")).cloned() };
    // (hole text, stand-in) for every hole in a fillable position; None as soon as a position rules
    // filling out.
    let mut fills: Vec<(String, String)> = Vec::new();
    let statements: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    let mut name_matched = false;
    for statement in &statements {
        if let Some(aws) = statement.get("Principal").and_then(|p| p.get("AWS")) {
            for text in strings(aws) {
                let Some(reference) = whole(&text) else { continue };
                let Some(account) = outside(&reference) else {
                    continue;
                };
                let kind = match resource_type(&reference) {
                    Some("aws_iam_role") => "role",
                    Some("aws_iam_user") => "user",
                    _ => continue,
                };
                let address = reference.strip_suffix(".arn").unwrap_or(&reference);
                fills.push((
                    text.clone(),
                    format!("arn:{partition}:iam::{account}:{kind}/({address})"),
                ));
            }
        }
        for (key, values) in condition_entries(statement) {
            let lower = key.to_ascii_lowercase();
            if matches!(lower.as_str(), "aws:principalarn" | "aws:userid" | "aws:username") {
                name_matched = true;
            }
            if lower != "aws:sourcearn" {
                continue;
            }
            for text in strings(values) {
                let filled = whole(&text).and_then(|reference| {
                    let account = outside(&reference)?;
                    let service = resource_type(&reference)?
                        .strip_prefix("aws_")?
                        .split('_')
                        .next()?;
                    let address = reference.strip_suffix(".arn").unwrap_or(&reference);
                    Some(format!("arn:{partition}:{service}:*:{account}:({address})"))
                });
                match filled {
                    Some(stand_in) => fills.push((text.clone(), stand_in)),
                    None => name_matched = true,
                }
            }
        }
    }
    if fills.is_empty() || name_matched {
        return Vec::new();
    }
    let old_text = old
        .map(|o| format!("{o:?}").to_ascii_lowercase())
        .unwrap_or_default();
    if ["aws:principalarn", "aws:userid", "aws:username", "aws:sourcearn"]
        .iter()
        .any(|key| old_text.contains(key))
    {
        return Vec::new();
    }
    let new_text = document.to_string();
    for (_, stand_in) in &fills {
        let account = stand_in.split(':').nth(4).unwrap_or_default();
        if old_text.contains(account) || new_text.contains(account) {
            return Vec::new();
        }
    }
    let statements: Vec<&mut Value> = match document.get_mut("Statement") {
        Some(Value::Array(list)) => list.iter_mut().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    };
    let fill = |text: &str| -> Option<String> {
        fills
            .iter()
            .find(|(hole, _)| hole == text)
            .map(|(_, stand_in)| stand_in.clone())
    };
    for statement in statements {
        if let Some(Value::Object(principal)) = statement.get_mut("Principal")
            && let Some(aws) = principal.get_mut("AWS")
        {
            for_each_string(aws, &mut |text| fill(text));
        }
        if let Some(Value::Object(operators)) = statement.get_mut("Condition") {
            for entries in operators.values_mut() {
                for (key, values) in entries.as_object_mut().into_iter().flatten() {
                    if key.eq_ignore_ascii_case("aws:SourceArn") {
                        for_each_string(values, &mut |text| fill(text));
                    }
                }
            }
        }
    }
    fills.into_iter().map(|(_, stand_in)| stand_in).collect()
}

/// The resource type of a reference to a managed resource's attribute (`module.a.aws_iam_role.x[0].arn`
/// → `aws_iam_role`).
fn resource_type(reference: &str) -> Option<&str> {
    let mut parts = reference.rsplit('.');
    parts.next()?;
    parts.next()?;
    parts.next().filter(|t| t.starts_with("aws_"))
}

/// Every (key, values) of a statement's `Condition`.
fn condition_entries(statement: &Value) -> Vec<(&String, &Value)> {
    statement
        .get("Condition")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|operators| operators.values())
        .filter_map(Value::as_object)
        .flatten()
        .collect()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Applies `f` to every string of `value` (a string or a list of them), replacing those it maps.
pub fn for_each_string(value: &mut Value, f: &mut dyn FnMut(&str) -> Option<String>) {
    match value {
        Value::String(text) => {
            if let Some(new) = f(text) {
                *text = new;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| for_each_string(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::analysis::{Boundary, PolicyRole, WideningKind};

    const OWN: &str = "111111111111";

    fn boundary() -> Boundary {
        Boundary {
            accounts: BTreeSet::from([OWN.to_string()]),
            organizations: BTreeSet::new(),
            ..Boundary::default()
        }
    }

    fn run(old: Option<Value>, new: Value) -> Decision {
        let boundary = boundary();
        let ctx = Context {
            boundary: &boundary,
            role: PolicyRole::Resource,
            partition: "aws",
        };
        let old = old.map(|o| parse_policy_value(&o).unwrap());
        let symbols = ["h1".to_string(), "h2".to_string()];
        decide(old.as_ref(), &new, &symbols, &ctx).unwrap()
    }

    fn doc(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn kinds(decision: &Decision) -> Option<BTreeSet<(WideningKind, String)>> {
        match decision {
            Decision::Decided { comparison, .. } => Some(verdict(comparison)),
            Decision::Unverifiable { .. } => None,
        }
    }

    fn verdict(comparison: &Comparison) -> BTreeSet<(WideningKind, String)> {
        comparison
            .widenings
            .iter()
            .map(|w| (w.kind, w.principal.clone()))
            .collect()
    }

    #[test]
    fn an_unknown_resource_of_an_own_account_grant_does_not_matter() {
        let decision = run(
            None,
            doc(
                json!([{"Sid": "${h2}", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OWN}:root")},
                        "Action": "sqs:*", "Resource": "${h1}",
                        "Condition": {"StringEquals": {"aws:SourceArn": "${h2}"}}}]),
            ),
        );
        assert_eq!(kinds(&decision), Some(BTreeSet::new()));
        let Decision::Decided { ignored, .. } = decision else {
            unreachable!()
        };
        let elements: BTreeSet<&str> = ignored.iter().map(|h| h.element.as_str()).collect();
        assert_eq!(
            elements,
            BTreeSet::from(["Sid", "Resource", "Condition StringEquals aws:SourceArn"])
        );
    }

    #[test]
    fn an_unknown_principal_stays_unverifiable() {
        let decision = run(
            None,
            doc(
                json!([{"Effect": "Allow", "Principal": {"AWS": "${h1}"}, "Action": "sqs:*", "Resource": "*"}]),
            ),
        );
        let Decision::Unverifiable { holes } = decision else {
            panic!("{decision:?}")
        };
        assert_eq!(holes[0].element, "Principal");
        assert_eq!(holes[0].value, "${h1}");
    }

    #[test]
    fn an_unknown_pinning_condition_of_a_service_grant_stays_unverifiable() {
        let decision = run(
            None,
            doc(
                json!([{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
                        "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "${h1}"}}}]),
            ),
        );
        let Decision::Unverifiable { holes } = decision else {
            panic!("{decision:?}")
        };
        assert_eq!(holes[0].element, "Condition StringEquals aws:SourceAccount");
    }

    #[test]
    fn an_unknown_resource_of_a_new_external_grant_is_still_that_grant() {
        let external = json!({"AWS": "arn:aws:iam::999988887777:root"});
        let decision = run(
            None,
            doc(
                json!([{"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage", "Resource": "${h1}"}]),
            ),
        );
        assert_eq!(
            kinds(&decision),
            Some(BTreeSet::from([(
                WideningKind::ExternalAccount,
                "arn:aws:iam::999988887777:root".to_string()
            )]))
        );
        // With a previous policy, the unknown resource could be the one already granted: unverifiable.
        let old = doc(
            json!([{"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage",
                              "Resource": "arn:aws:sqs:us-east-1:111111111111:q"}]),
        );
        let decision = run(
            Some(old),
            doc(
                json!([{"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage", "Resource": "${h1}"}]),
            ),
        );
        assert!(matches!(decision, Decision::Unverifiable { .. }), "{decision:?}");
    }

    #[test]
    fn an_unknown_deny_is_decided_only_when_dropping_it_widens_nothing() {
        let own = json!({"AWS": format!("arn:aws:iam::{OWN}:root")});
        let decision = run(
            None,
            doc(
                json!([{"Effect": "Allow", "Principal": own, "Action": "s3:*", "Resource": "*"},
                       {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["${h1}", "${h1}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]),
            ),
        );
        assert_eq!(kinds(&decision), Some(BTreeSet::new()));
        let decision = run(
            None,
            doc(
                json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"},
                       {"Effect": "Deny", "NotPrincipal": {"AWS": "${h1}"}, "Action": "*", "Resource": "*"}]),
            ),
        );
        assert!(matches!(decision, Decision::Unverifiable { .. }), "{decision:?}");
    }

    #[test]
    fn an_unknown_deny_that_cannot_take_the_grant_away_leaves_the_grant() {
        // The S3 shape: deny plain HTTP over the bucket's unknown ARN, and a grant to another account over
        // the same unknown ARN. Covered or not, the account keeps TLS access.
        let external = json!({"AWS": "arn:aws:iam::999988887777:root"});
        let decision = run(
            None,
            doc(json!([
                {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": ["${h1}", "${h1}/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
                {"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage", "Resource": "${h1}"}
            ])),
        );
        assert_eq!(
            kinds(&decision),
            Some(BTreeSet::from([(
                WideningKind::ExternalAccount,
                "arn:aws:iam::999988887777:root".to_string()
            )]))
        );
        // Without the condition the Deny could take the whole grant away: unverifiable.
        let decision = run(
            None,
            doc(json!([
                {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "${h1}"},
                {"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage", "Resource": "${h1}"}
            ])),
        );
        assert!(matches!(decision, Decision::Unverifiable { .. }), "{decision:?}");
        // A hole in the Deny's condition is not bounded this way.
        let decision = run(
            None,
            doc(json!([
                {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "${h1}",
                 "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "${h2}"}}},
                {"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage", "Resource": "${h1}"}
            ])),
        );
        assert!(matches!(decision, Decision::Unverifiable { .. }), "{decision:?}");
    }

    #[test]
    fn a_known_deny_keeps_an_unknown_resource_unverifiable() {
        // The unknown Resource could be exactly what the Deny protects.
        let external = json!({"AWS": "arn:aws:iam::999988887777:root"});
        let decision = run(
            None,
            doc(
                json!([{"Effect": "Allow", "Principal": external, "Action": "sqs:SendMessage", "Resource": "${h1}"},
                       {"Effect": "Deny", "Principal": "*", "Action": "sqs:*",
                        "Resource": "arn:aws:sqs:us-east-1:111111111111:q"}]),
            ),
        );
        assert!(matches!(decision, Decision::Unverifiable { .. }), "{decision:?}");
    }

    /// The property below is not vacuous: over a fixed sample, the rule decides a good share of the policies
    /// with holes, some of them with widenings, and leaves some unverifiable.
    #[test]
    fn the_rule_decides_a_fair_share() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let boundary = boundary();
        let ctx = Context {
            boundary: &boundary,
            role: PolicyRole::Resource,
            partition: "aws",
        };
        let symbols = ["h1".to_string(), "h2".to_string()];
        let mut runner = TestRunner::deterministic();
        let strategy = proptest::collection::vec(statement(true), 1..4);
        let (mut holes, mut decided, mut widening, mut unverifiable) = (0, 0, 0, 0);
        for _ in 0..400 {
            let new = doc(Value::Array(strategy.new_tree(&mut runner).unwrap().current()));
            if !new.to_string().contains("${") {
                continue;
            }
            holes += 1;
            match decide(None, &new, &symbols, &ctx) {
                Ok(Decision::Decided { comparison, .. }) => {
                    decided += 1;
                    widening += usize::from(!comparison.widenings.is_empty());
                }
                Ok(Decision::Unverifiable { .. }) => unverifiable += 1,
                Err(_) => {}
            }
        }
        assert!(decided * 5 >= holes, "{decided} of {holes} decided");
        assert!(
            widening > 10 && unverifiable > 10,
            "{widening} widening, {unverifiable} unverifiable"
        );
    }

    /// Values a hole can take, including those that widen.
    const UNIVERSE: [&str; 10] = [
        "arn:aws:iam::111111111111:root",
        "arn:aws:iam::999988887777:root",
        "*",
        "sqs:SendMessage",
        "sqs:*",
        "arn:aws:sqs:us-east-1:111111111111:q",
        "arn:aws:sqs:us-east-1:999988887777:other",
        "111111111111",
        "999988887777",
        "arn:aws:events:us-east-1:111111111111:rule/r",
    ];

    fn principal() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!({"AWS": "arn:aws:iam::111111111111:root"})),
            Just(json!({"AWS": "arn:aws:iam::999988887777:root"})),
            Just(json!("*")),
            Just(json!({"Service": "events.amazonaws.com"})),
            Just(json!({"AWS": "${h1}"})),
        ]
    }

    fn text(options: &'static [&'static str]) -> impl Strategy<Value = Value> {
        proptest::sample::select(options).prop_map(|s| json!(s))
    }

    fn condition() -> impl Strategy<Value = Option<Value>> {
        prop_oneof![
            3 => Just(None),
            1 => text(&["111111111111", "999988887777", "${h1}", "${h2}"])
                .prop_map(|v| Some(json!({"StringEquals": {"aws:SourceAccount": v}}))),
            1 => text(&["arn:aws:events:us-east-1:111111111111:rule/r", "${h2}"])
                .prop_map(|v| Some(json!({"ArnLike": {"aws:SourceArn": v}}))),
            1 => text(&["111111111111", "${h1}"]).prop_map(|v| Some(json!({"StringEquals": {"aws:PrincipalAccount": v}}))),
            1 => Just(Some(json!({"Bool": {"aws:SecureTransport": "false"}}))),
        ]
    }

    fn statement(holes: bool) -> impl Strategy<Value = Value> {
        let actions: &'static [&'static str] = if holes {
            &["sqs:SendMessage", "sqs:*", "${h2}"]
        } else {
            &["sqs:SendMessage", "sqs:*"]
        };
        let resources: &'static [&'static str] = if holes {
            &["arn:aws:sqs:us-east-1:111111111111:q", "*", "${h1}"]
        } else {
            &["arn:aws:sqs:us-east-1:111111111111:q", "*"]
        };
        (
            prop_oneof![2 => Just("Allow"), 1 => Just("Deny")],
            principal(),
            text(actions),
            text(resources),
            proptest::bool::weighted(0.2),
            condition(),
            text(&["S", "${h1}"]),
        )
            .prop_map(
                move |(effect, principal, action, resource, not_resource, condition, sid)| {
                    let principal = if !holes && principal == json!({"AWS": "${h1}"}) {
                        json!({"AWS": "arn:aws:iam::999988887777:root"})
                    } else {
                        principal
                    };
                    let mut s = json!({"Effect": effect, "Principal": principal, "Action": action});
                    s[if not_resource { "NotResource" } else { "Resource" }] = resource;
                    let condition = condition.filter(|c| holes || !c.to_string().contains("${"));
                    if let Some(c) = condition {
                        s["Condition"] = c;
                    }
                    if holes {
                        s["Sid"] = sid;
                    }
                    s
                },
            )
    }

    /// `new` with every `${hN}` replaced by its filling.
    fn fill(new: &Value, h1: &str, h2: &str) -> Value {
        match new {
            Value::String(s) => Value::String(s.replace("${h1}", h1).replace("${h2}", h2)),
            Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, h1, h2)).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), fill(v, h1, h2))).collect())
            }
            other => other.clone(),
        }
    }

    /// A statement that names a resource managed here through a provider in another account: the ARN of a
    /// role as `AWS` principal, or a topic's ARN as `aws:SourceArn` of SNS.
    fn outside_statement() -> impl Strategy<Value = Value> {
        (
            prop_oneof![Just("Allow"), Just("Deny")],
            proptest::bool::ANY,
            text(&["sqs:SendMessage", "sqs:*"]),
            condition(),
            proptest::bool::weighted(0.2),
        )
            .prop_map(|(effect, role, action, condition, by_name)| {
                let mut s = if role {
                    json!({"Effect": effect, "Principal": {"AWS": "${aws_iam_role.r.arn}"}, "Action": action,
                           "Resource": "*"})
                } else {
                    json!({"Effect": effect, "Principal": {"Service": "sns.amazonaws.com"}, "Action": action,
                           "Resource": "*",
                           "Condition": {"ArnEquals": {"aws:SourceArn": "${aws_sns_topic.t.arn}"}}})
                };
                if let Some(Value::Object(extra)) = condition {
                    let mut merged = s["Condition"].as_object().cloned().unwrap_or_default();
                    merged.extend(extra);
                    s["Condition"] = Value::Object(merged);
                }
                if by_name {
                    let mut merged = s["Condition"].as_object().cloned().unwrap_or_default();
                    merged.insert(
                        "ArnLike".to_string(),
                        json!({"aws:PrincipalArn": "arn:aws:iam::*:role/a*"}),
                    );
                    s["Condition"] = Value::Object(merged);
                }
                s
            })
    }

    /// `value` with every string equal to `from` replaced by `to`.
    fn replace_all(value: &Value, from: &str, to: &str) -> Value {
        match value {
            Value::String(s) if s == from => Value::String(to.to_string()),
            Value::Array(items) => Value::Array(items.iter().map(|v| replace_all(v, from, to)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), replace_all(v, from, to)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]
        /// The stand-in of a resource managed in an account outside the boundary is sound: whenever
        /// `fill_outside` fills, the verdict of the filled policy is the verdict of every concrete ARN the
        /// resource could have in that account (roles and topics by other names, one named like a pattern
        /// elsewhere), with the concrete principal read as the stand-in.
        #[test]
        fn an_outside_stand_in_gives_the_verdict_of_every_name(
            special in proptest::collection::vec(outside_statement(), 1..3),
            others in proptest::collection::vec(statement(false), 0..3),
            old in proptest::option::weighted(0.35, proptest::collection::vec(statement(false), 1..3)),
            outside_account in proptest::sample::select(&["444455556666", "999988887777"][..]),
            old_names_a_role in proptest::bool::weighted(0.3),
        ) {
            let boundary = boundary();
            let ctx = Context { boundary: &boundary, role: PolicyRole::Resource, partition: "aws" };
            let mut statements = special;
            statements.extend(others);
            let new = doc(Value::Array(statements));
            let mut old = old;
            if old_names_a_role {
                // The old policy grants one of the roles the hole could be.
                old.get_or_insert_with(Vec::new).push(json!({"Effect": "Allow",
                    "Principal": {"AWS": format!("arn:aws:iam::{outside_account}:role/a")},
                    "Action": "sqs:*", "Resource": "*"}));
            }
            let old = old.map(|o| parse_policy_value(&doc(Value::Array(o))).unwrap());
            let symbols = ["aws_iam_role.r.arn".to_string(), "aws_sns_topic.t.arn".to_string()];
            let outside = |_: &str| Some(outside_account.to_string());
            let mut filled = new.clone();
            fill_outside(old.as_ref(), &mut filled, &symbols, "aws", &outside);
            if filled == new {
                return Ok(());
            }
            let role_stand_in = format!("arn:aws:iam::{outside_account}:role/(aws_iam_role.r)");
            let Ok(filled_policy) = parse_policy_value(&filled) else { return Ok(()) };
            let decided = verdict(&compare(old.as_ref(), &filled_policy, &ctx));
            for role in ["a", "b", "admin"] {
                for topic in ["arn:aws:sns:us-east-1:{A}:t1", "arn:aws:sns:eu-west-1:{A}:a"] {
                    let role_arn = format!("arn:aws:iam::{outside_account}:role/{role}");
                    let topic_arn = topic.replace("{A}", outside_account);
                    let concrete = replace_all(
                        &replace_all(&new, "${aws_iam_role.r.arn}", &role_arn),
                        "${aws_sns_topic.t.arn}",
                        &topic_arn,
                    );
                    let Ok(policy) = parse_policy_value(&concrete) else { continue };
                    let actual: BTreeSet<(WideningKind, String)> = verdict(&compare(old.as_ref(), &policy, &ctx))
                        .into_iter()
                        .map(|(kind, principal)| {
                            let principal = if principal == role_arn { role_stand_in.clone() } else { principal };
                            (kind, principal)
                        })
                        .collect();
                    prop_assert_eq!(&actual, &decided, "role={} topic={} new={}", role, topic_arn, filled);
                }
            }
        }
    }

    /// The stand-ins are filled where the account is all that matters, and not where another text of the
    /// policies could tell one role (topic) of that account from another.
    #[test]
    fn outside_stand_ins_are_filled_only_where_names_do_not_matter() {
        let outside = |_: &str| Some("444455556666".to_string());
        let symbols = [
            "aws_iam_role.r.arn".to_string(),
            "aws_sns_topic.t.arn".to_string(),
        ];
        let role = json!({"Effect": "Allow", "Principal": {"AWS": "${aws_iam_role.r.arn}"}, "Action": "s3:GetObject",
                          "Resource": "*"});
        let mut filled = doc(json!([role.clone()]));
        fill_outside(None, &mut filled, &symbols, "aws", &outside);
        assert_eq!(
            filled["Statement"][0]["Principal"]["AWS"],
            json!("arn:aws:iam::444455556666:role/(aws_iam_role.r)")
        );
        let topic = json!({"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
                           "Resource": "*", "Condition": {"ArnEquals": {"aws:SourceArn": "${aws_sns_topic.t.arn}"}}});
        let mut filled = doc(json!([topic.clone()]));
        fill_outside(None, &mut filled, &symbols, "aws", &outside);
        assert_eq!(
            filled["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
            json!("arn:aws:sns:*:444455556666:(aws_sns_topic.t)")
        );
        // The account named elsewhere (the old policy grants one of its roles), a name-matching condition,
        // another aws:SourceArn: left as holes.
        let old = parse_policy_value(&doc(json!([{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:role/a"}, "Action": "s3:GetObject", "Resource": "*"}])))
        .unwrap();
        for (old, new) in [
            (Some(&old), doc(json!([role.clone()]))),
            (
                None,
                doc(
                    json!([role.clone(), {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/a*"}}}]),
                ),
            ),
            (
                None,
                doc(
                    json!([topic.clone(), {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:a*"}}}]),
                ),
            ),
        ] {
            let mut filled = new.clone();
            fill_outside(old, &mut filled, &symbols, "aws", &outside);
            assert_eq!(filled, new);
        }
        // A reference that is not a role or user is no principal stand-in.
        let mut filled = doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": "${aws_sns_topic.t.arn}"},
            "Action": "s3:GetObject", "Resource": "*"}]),
        );
        let before = filled.clone();
        fill_outside(None, &mut filled, &symbols, "aws", &outside);
        assert_eq!(filled, before);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        /// The rule is sound: when it decides, every concrete filling of the holes from the universe (each a
        /// policy AWS would accept) gives exactly the decided verdict.
        #[test]
        fn decision_equals_the_verdict_of_every_filling(
            new in proptest::collection::vec(statement(true), 1..4),
            old in proptest::option::weighted(0.35, proptest::collection::vec(statement(false), 1..3)),
        ) {
            let boundary = boundary();
            let ctx = Context { boundary: &boundary, role: PolicyRole::Resource, partition: "aws" };
            let new = doc(Value::Array(new));
            let old = old.map(|o| parse_policy_value(&doc(Value::Array(o))).unwrap());
            let symbols = ["h1".to_string(), "h2".to_string()];
            let Ok(decision) = decide(old.as_ref(), &new, &symbols, &ctx) else { return Ok(()) };
            let Decision::Decided { comparison, .. } = decision else { return Ok(()) };
            let decided = verdict(&comparison);
            for h1 in UNIVERSE {
                for h2 in UNIVERSE {
                    let Ok(filled) = parse_policy_value(&fill(&new, h1, h2)) else { continue };
                    let actual = verdict(&compare(old.as_ref(), &filled, &ctx));
                    prop_assert_eq!(&actual, &decided, "h1={} h2={} new={}", h1, h2, new);
                }
            }
        }
    }
}
