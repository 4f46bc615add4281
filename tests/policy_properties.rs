//! Property tests for the policy parser, glob inclusion and `compare` (each property ≤ 256 cases).

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use trustgate::analysis::{Boundary, Context, PolicyRole, Verdict, compare};
use trustgate::policy::glob::{glob_included, glob_intersects, glob_matches};
use trustgate::policy::{parse_policy, parse_policy_value};

const OWN_ACCOUNT: &str = "111111111111";
const OWN_ORG: &str = "o-own1234567";

/// At most 256 cases per property; no failure-persistence files in the source tree.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn boundary() -> Boundary {
    Boundary {
        accounts: BTreeSet::from([OWN_ACCOUNT.to_string()]),
        organizations: BTreeSet::from([OWN_ORG.to_string()]),
        federated: Vec::new(),
    }
}

fn verdict(old: &Value, new: &Value) -> Verdict {
    let boundary = boundary();
    let ctx = Context {
        boundary: &boundary,
        role: PolicyRole::Resource,
        partition: "aws",
    };
    let old = parse_policy_value(old).unwrap_or_else(|e| panic!("generated old policy rejected: {e}"));
    let new = parse_policy_value(new).unwrap_or_else(|e| panic!("generated new policy rejected: {e}"));
    compare(Some(&old), &new, &ctx).verdict
}

// ---------------------------------------------------------------------------------------------------
// Generated policies

fn principal_pool() -> Vec<(&'static str, &'static str)> {
    vec![
        ("AWS", OWN_ACCOUNT),
        ("AWS", "arn:aws:iam::111111111111:role/app"),
        ("AWS", "222222222222"),
        ("AWS", "arn:aws:iam::333333333333:role/ci"),
        ("AWS", "*"),
        ("Service", "events.amazonaws.com"),
        (
            "Federated",
            "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
        ),
        (
            "CanonicalUser",
            "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
        ),
    ]
}

const ACTIONS: [&str; 6] = [
    "s3:GetObject",
    "s3:Put*",
    "sts:AssumeRole",
    "kms:Decrypt",
    "sqs:*",
    "s3:?etObject",
];
const RESOURCES: [&str; 4] = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/a/*",
    "arn:aws:sqs:us-east-1:111111111111:q",
];

fn condition_pool() -> Vec<Value> {
    vec![
        json!({"StringEquals": {"aws:PrincipalOrgID": OWN_ORG}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/a:*", "repo:o/b:*"]}}),
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}),
        json!({"StringEquals": {"aws:SourceAccount": OWN_ACCOUNT}}),
        json!({"StringNotEquals": {"aws:PrincipalOrgID": [OWN_ORG, "o-other98765"]}}),
        json!({"Bool": {"aws:SecureTransport": true}}),
        json!({"StringEqualsIfExists": {"sts:ExternalId": "abc"}}),
        json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-own1234567/r-ab12/*"}}),
    ]
}

prop_compose! {
    fn statement()(
        allow in prop::bool::weighted(0.75),
        not_principal in prop::bool::weighted(0.1),
        principals in prop::collection::vec(0..8usize, 1..4),
        not_action in prop::bool::weighted(0.1),
        actions in prop::collection::vec(0..ACTIONS.len(), 1..4),
        resources in prop::option::weighted(0.8, prop::collection::vec(0..RESOURCES.len(), 1..3)),
        conditions in prop::collection::vec(0..8usize, 0..3),
        sid in prop::option::of("[A-Z][a-z]{0,5}"),
    ) -> Value {
        let pool = principal_pool();
        let mut principal = Map::new();
        for index in principals {
            let (kind, value) = pool[index];
            let entry = principal.entry(kind).or_insert_with(|| json!([]));
            if let Value::Array(items) = entry {
                items.push(json!(value));
            }
        }
        let mut statement = Map::new();
        statement.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
        // NotPrincipal only in Deny statements (AWS rejects most NotPrincipal Allows).
        let principal_key = if not_principal && !allow { "NotPrincipal" } else { "Principal" };
        statement.insert(principal_key.into(), Value::Object(principal));
        let action_key = if not_action { "NotAction" } else { "Action" };
        statement.insert(action_key.into(), json!(actions.iter().map(|i| ACTIONS[*i]).collect::<Vec<_>>()));
        if let Some(resources) = resources {
            statement.insert("Resource".into(), json!(resources.iter().map(|i| RESOURCES[*i]).collect::<Vec<_>>()));
        }
        if !conditions.is_empty() {
            let pool = condition_pool();
            let mut block = Map::new();
            for index in conditions {
                if let Value::Object(entry) = &pool[index] {
                    for (operator, keys) in entry {
                        let target = block.entry(operator.clone()).or_insert_with(|| json!({}));
                        if let (Value::Object(target), Value::Object(keys)) = (target, keys) {
                            target.extend(keys.clone());
                        }
                    }
                }
            }
            statement.insert("Condition".into(), Value::Object(block));
        }
        if let Some(sid) = sid {
            statement.insert("Sid".into(), json!(sid));
        }
        Value::Object(statement)
    }
}

prop_compose! {
    fn policy()(statements in prop::collection::vec(statement(), 0..6)) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }
}

/// A small deterministic generator so a single `u64` drives every shuffle decision.
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// Reorders and duplicates array entries, and turns one-element arrays into scalars, recursively.
    fn scramble(&mut self, value: &Value) -> Value {
        match value {
            Value::Array(items) => {
                let mut items: Vec<Value> = items.iter().map(|v| self.scramble(v)).collect();
                if !items.is_empty() && self.below(3) == 0 {
                    let copy = items[self.below(items.len())].clone();
                    items.push(copy);
                }
                self.shuffle(&mut items);
                if items.len() == 1 && items[0].is_string() && self.below(2) == 0 {
                    items.remove(0)
                } else {
                    Value::Array(items)
                }
            }
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.clone(), self.scramble(v))).collect())
            }
            other => other.clone(),
        }
    }
}

fn without_not_action(mut policy: Value) -> Value {
    if let Some(Value::Array(statements)) = policy.get_mut("Statement") {
        for statement in statements.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(actions) = statement.remove("NotAction") {
                statement.insert("Action".into(), actions);
            }
        }
    }
    policy
}

/// An external principal value, as a `Principal` element.
fn external_principal() -> impl Strategy<Value = Value> {
    prop_oneof![
        (200_000_000_000u64..999_999_999_999u64).prop_map(|n| json!({"AWS": n.to_string()})),
        Just(json!("*")),
        Just(json!({"AWS": "*"})),
        "[a-z]{3,10}".prop_map(|s| json!({"Service": format!("{s}.amazonaws.com")})),
        "[a-z]{3,10}".prop_map(
            |s| json!({"Federated": format!("arn:aws:iam::111111111111:oidc-provider/{s}.example.com")})
        ),
        "[a-f0-9]{64}".prop_map(|s| json!({"CanonicalUser": s})),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reordering_and_duplicating_never_widens(policy in policy(), seed in 1u64..u64::MAX) {
        let scrambled = Shuffler(seed).scramble(&policy);
        prop_assert_eq!(verdict(&policy, &scrambled), Verdict::NoWidening, "{} vs {}", policy, scrambled);
        prop_assert_eq!(verdict(&scrambled, &policy), Verdict::NoWidening, "{} vs {}", scrambled, policy);
    }

    /// The added grant uses an action no generated statement names; only a `NotAction` Allow could
    /// already cover it (then nothing new is granted), so `NotAction` is turned into `Action` first.
    #[test]
    fn adding_an_external_principal_always_widens(policy in policy(), principal in external_principal()) {
        let policy = without_not_action(policy);
        let mut widened = policy.clone();
        if let Some(Value::Array(statements)) = widened.get_mut("Statement") {
            statements.push(json!({"Effect": "Allow", "Principal": principal, "Action": "fresh:Action", "Resource": "*"}));
        }
        prop_assert_eq!(verdict(&policy, &widened), Verdict::Widening, "{}", widened);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_json(value in arbitrary_json()) {
        let _ = parse_policy_value(&value);
        let _ = parse_policy(&value.to_string());
    }

    #[test]
    fn parser_and_compare_never_panic_on_policy_shaped_json(value in policy_shaped_json()) {
        if let Ok(policy) = parse_policy_value(&value) {
            let boundary = boundary();
            let ctx = Context { boundary: &boundary, role: PolicyRole::Trust, partition: "aws" };
            let _ = compare(Some(&policy), &policy, &ctx);
            let _ = compare(None, &policy, &ctx);
            let _ = trustgate::analysis::access(&policy, &ctx);
        }
    }

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in ".{0,64}") {
        let _ = parse_policy(&text);
    }
}

// ---------------------------------------------------------------------------------------------------
// Condition implication against a reference evaluator

/// Operators exercised by the soundness property.
const OPERATORS: [&str; 10] = [
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringEqualsIfExists",
    "StringLikeIfExists",
    "StringNotEqualsIfExists",
    "Null",
    "StringNotLikeIfExists",
];
const QUALIFIERS: [&str; 2] = ["ForAnyValue:", "ForAllValues:"];
const CONDITION_VALUES: [&str; 8] = ["a", "b", "A", "ab", "a*", "*", "?", "*b"];
const REQUEST_VALUES: [&str; 6] = ["a", "b", "A", "ab", "ba", "c"];

/// One generated condition entry: `k1` is single-valued (plain operators), `k2` multi-valued (qualified).
#[derive(Debug, Clone)]
struct Entry {
    qualifier: Option<&'static str>,
    operator: &'static str,
    values: Vec<&'static str>,
}

impl Entry {
    fn key(&self) -> &'static str {
        if self.qualifier.is_some() { "k2" } else { "k1" }
    }

    fn name(&self) -> String {
        format!("{}{}", self.qualifier.unwrap_or(""), self.operator)
    }

    fn values(&self) -> Vec<String> {
        if self.operator == "Null" {
            vec![
                if self.values[0].len().is_multiple_of(2) {
                    "true"
                } else {
                    "false"
                }
                .to_string(),
            ]
        } else {
            self.values.iter().map(|v| v.to_string()).collect()
        }
    }

    /// AWS semantics (docs/iam-semantics.md section 1.5) on a request value set (`None` = key absent).
    fn evaluate(&self, request: Option<&[&str]>) -> bool {
        let values = self.values();
        if self.operator == "Null" {
            return (values[0] == "true") == request.is_none();
        }
        let negated = self.operator.contains("Not");
        let if_exists = self.operator.ends_with("IfExists");
        let base = self.operator.trim_end_matches("IfExists").replace("Not", "");
        let matches_one = |request_value: &str| {
            values.iter().any(|p| match base.as_str() {
                "StringEquals" => p == request_value,
                "StringLike" => glob_matches(p, request_value),
                "StringEqualsIgnoreCase" => p.to_lowercase() == request_value.to_lowercase(),
                other => panic!("operator {other} not modelled"),
            })
        };
        let test = |request_value: &str| matches_one(request_value) != negated;
        let Some(request) = request else {
            return if_exists || negated || self.qualifier == Some("ForAllValues:");
        };
        match self.qualifier {
            None => test(request[0]),
            Some("ForAnyValue:") => request.iter().any(|v| test(v)),
            Some(_) => request.iter().all(|v| test(v)),
        }
    }
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        prop::option::weighted(0.35, prop::sample::select(QUALIFIERS.to_vec())),
        prop::sample::select(OPERATORS.to_vec()),
        prop::collection::vec(prop::sample::select(CONDITION_VALUES.to_vec()), 1..3),
    )
        .prop_map(|(qualifier, operator, values)| Entry {
            qualifier,
            operator,
            values,
        })
}

fn condition_json(entries: &[Entry]) -> Value {
    let mut block = Map::new();
    for entry in entries {
        let keys = block.entry(entry.name()).or_insert_with(|| json!({}));
        if let Value::Object(keys) = keys {
            keys.insert(entry.key().to_string(), json!(entry.values()));
        }
    }
    Value::Object(block)
}

/// The entries that survive JSON's one-value-per-(operator, key) rule, as the parser sees them.
fn effective(entries: &[Entry]) -> Vec<Entry> {
    let mut kept: Vec<Entry> = Vec::new();
    for entry in entries {
        kept.retain(|e| !(e.name() == entry.name() && e.key() == entry.key()));
        kept.push(entry.clone());
    }
    kept
}

/// Request values for `k1` and `k2` (`None` = key absent).
type KeyValues = (Option<Vec<&'static str>>, Option<Vec<&'static str>>);

fn all_requests() -> Vec<KeyValues> {
    let mut single: Vec<Option<Vec<&str>>> = vec![None];
    single.extend(REQUEST_VALUES.iter().map(|v| Some(vec![*v])));
    let mut multi: Vec<Option<Vec<&str>>> = vec![None];
    for (i, a) in REQUEST_VALUES.iter().enumerate() {
        multi.push(Some(vec![*a]));
        for b in &REQUEST_VALUES[i + 1..] {
            multi.push(Some(vec![*a, *b]));
        }
    }
    single
        .iter()
        .flat_map(|k1| multi.iter().map(move |k2| (k1.clone(), k2.clone())))
        .collect()
}

fn allowed(entries: &[Entry], request: &KeyValues) -> bool {
    effective(entries).iter().all(|entry| {
        let value = if entry.key() == "k1" {
            &request.0
        } else {
            &request.1
        };
        entry.evaluate(value.as_deref())
    })
}

proptest! {
    #![proptest_config(config())]

    /// Soundness of the condition implication: whenever `compare` finds no widening, every request the
    /// new conditions allow was allowed by the old ones (checked against a reference evaluator).
    #[test]
    fn no_widening_means_no_request_newly_allowed(
        old_entries in prop::collection::vec(entry(), 0..3),
        new_entries in prop::collection::vec(entry(), 0..3),
    ) {
        let document = |entries: &[Entry]| json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "s3:GetObject",
            "Resource": "*", "Condition": condition_json(entries)}]});
        let (old, new) = (document(&old_entries), document(&new_entries));
        if verdict(&old, &new) != Verdict::Widening {
            for request in all_requests() {
                prop_assert!(
                    !allowed(&new_entries, &request) || allowed(&old_entries, &request),
                    "request {:?} allowed by new {} but not by old {}", request, new, old
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Glob inclusion against brute force

fn all_strings(max_len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut frontier = vec![String::new()];
    for _ in 0..max_len {
        let mut next = Vec::new();
        for s in &frontier {
            for c in ['a', 'b', 'c'] {
                next.push(format!("{s}{c}"));
            }
        }
        all.extend(next.iter().cloned());
        frontier = next;
    }
    all
}

proptest! {
    #![proptest_config(config())]

    /// If `A ⊆ B` every string of A (up to length 7) matches B. If not, a counterexample exists among
    /// the strings up to length |A|+|B|+2 over {a, b, c} ('c' stands for every unmentioned character).
    /// The bound is safe for this whole domain: an exhaustive breadth-first search over all 116,281
    /// pattern pairs of length ≤ 4 found no shortest counterexample longer than |A|+|B|.
    #[test]
    fn glob_inclusion_agrees_with_brute_force(a in "[ab*?]{0,4}", b in "[ab*?]{0,4}") {
        let included = glob_included(&a, &b);
        if included {
            for s in all_strings(7).iter().filter(|s| glob_matches(&a, s)) {
                prop_assert!(glob_matches(&b, s), "{a:?} ⊆ {b:?} claimed, but {s:?} is a counterexample");
            }
        } else {
            let bound = a.chars().count() + b.chars().count() + 2;
            let counterexample = all_strings(bound).into_iter().find(|s| glob_matches(&a, s) && !glob_matches(&b, s));
            prop_assert!(counterexample.is_some(), "{a:?} ⊄ {b:?} claimed, but no counterexample up to length {bound}");
        }
    }

    /// Two globs intersect iff a common string exists; one exists within |A|+|B| characters.
    #[test]
    fn glob_intersection_agrees_with_brute_force(a in "[ab*?]{0,4}", b in "[ab*?]{0,4}") {
        let bound = a.chars().count() + b.chars().count();
        let witness = all_strings(bound).into_iter().find(|s| glob_matches(&a, s) && glob_matches(&b, s));
        prop_assert_eq!(glob_intersects(&a, &b), witness.is_some(), "{:?} ∩ {:?}", a, b);
    }
}

// ---------------------------------------------------------------------------------------------------
// Arbitrary JSON

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// JSON that uses the real element names, so generation reaches deep parser and analysis paths.
fn policy_shaped_json() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "*",
        "Allow",
        "Deny",
        "allow",
        "2012-10-17",
        "2008-10-17",
        "111111111111",
        "222222222222",
        "arn:aws:iam::222222222222:role/x",
        "arn:aws:iam::*:root",
        "arn:aws:sts::2:assumed-role/r/s",
        "AROAABCDEFGHIJKLMNOP",
        "s3:*",
        "s3:Get?bject",
        "arn:aws:s3:::b/${aws:username}/*",
        "arn:aws:s3",
        "o-own1234567",
        "o-own1234567/r-1/*",
        "10.0.0.0/8",
        "::1/129",
        "2020-01-01T00:00:00Z",
        "true",
        "",
    ]);
    let keys = prop::sample::select(vec![
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "AWS",
        "Service",
        "Federated",
        "CanonicalUser",
        "StringEquals",
        "StringLike",
        "ArnLike",
        "ForAllValues:StringEquals",
        "StringEqualsIfExists",
        "NotIpAddress",
        "NumericLessThan",
        "DateGreaterThan",
        "Null",
        "Bool",
        "Weird",
        "aws:PrincipalOrgID",
        "aws:SourceArn",
        "aws:PrincipalAccount",
        "kms:CallerAccount",
        "aws:SourceIp",
        "aws:PrincipalArn",
    ]);
    let leaf = prop_oneof![
        words.prop_map(|w| json!(w)),
        any::<i32>().prop_map(|n| json!(n)),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(5, 64, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

// ---------------------------------------------------------------------------------------------------
// Whole-policy soundness against a reference evaluator

const BOUNDARY_ACCOUNT: &str = OWN_ACCOUNT;
const GITHUB: &str = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";

/// A concrete caller of the reference model.
#[derive(Debug, Clone)]
enum Who {
    Aws {
        account: &'static str,
        role: Option<&'static str>,
    },
    Anonymous,
    Service {
        source_account: Option<&'static str>,
    },
    Federated {
        sub: &'static str,
    },
}

#[derive(Debug, Clone)]
struct Request {
    who: Who,
    source_ip: &'static str,
    external_id: Option<&'static str>,
    action: &'static str,
    resource: &'static str,
}

impl Request {
    /// Inside the zone of trust: the owner account, or a service acting for an owner resource.
    fn is_internal(&self) -> bool {
        match self.who {
            Who::Aws { account, .. } => account == BOUNDARY_ACCOUNT,
            Who::Service { source_account } => source_account == Some(BOUNDARY_ACCOUNT),
            _ => false,
        }
    }

    fn context(&self, key: &str) -> Option<String> {
        match (key, &self.who) {
            ("aws:principalaccount", Who::Aws { account, .. }) => Some(account.to_string()),
            ("aws:principalaccount", Who::Anonymous) => Some("anonymous".to_string()),
            ("aws:principalorgid", Who::Aws { account, .. }) => match *account {
                "111111111111" => Some(OWN_ORG.to_string()),
                "222222222222" => Some("o-other98765".to_string()),
                _ => None,
            },
            ("aws:principalarn", Who::Aws { account, role }) => Some(match role {
                Some(role) => format!("arn:aws:iam::{account}:role/{role}"),
                None => format!("arn:aws:iam::{account}:root"),
            }),
            ("aws:sourceaccount", Who::Service { source_account }) => source_account.map(str::to_string),
            ("token.actions.githubusercontent.com:sub", Who::Federated { sub }) => Some(sub.to_string()),
            ("aws:sourceip", _) => Some(self.source_ip.to_string()),
            // events.amazonaws.com is a PassRole service, whose requests never carry sts:ExternalId
            // (policies/services.hcl); every other caller may pass one.
            ("sts:externalid", Who::Service { .. }) => None,
            ("sts:externalid", _) => self.external_id.map(str::to_string),
            _ => None,
        }
    }
}

fn all_policy_requests() -> Vec<Request> {
    let callers = [
        Who::Aws {
            account: "111111111111",
            role: None,
        },
        Who::Aws {
            account: "111111111111",
            role: Some("app"),
        },
        Who::Aws {
            account: "222222222222",
            role: None,
        },
        Who::Aws {
            account: "222222222222",
            role: Some("x"),
        },
        Who::Aws {
            account: "333333333333",
            role: Some("ci"),
        },
        Who::Anonymous,
        Who::Service {
            source_account: Some("111111111111"),
        },
        Who::Service {
            source_account: Some("222222222222"),
        },
        Who::Service { source_account: None },
        Who::Federated {
            sub: "repo:o/a:ref:main",
        },
        Who::Federated {
            sub: "repo:o/b:ref:main",
        },
    ];
    let actions = [
        "s3:getobject",
        "s3:putobject",
        "s3:setobject",
        "sts:assumerole",
        "kms:decrypt",
        "sqs:send",
        "fresh:x",
    ];
    let resources = [
        "arn:aws:s3:::b/x",
        "arn:aws:s3:::b/a/y",
        "arn:aws:sqs:us-east-1:111111111111:q",
        "arn:aws:s3:::c/z",
    ];
    let mut requests = Vec::new();
    for who in &callers {
        for source_ip in ["10.1.2.3", "8.8.8.8"] {
            for external_id in [None, Some("abc")] {
                for action in actions {
                    for resource in resources {
                        requests.push(Request {
                            who: who.clone(),
                            source_ip,
                            external_id,
                            action,
                            resource,
                        });
                    }
                }
            }
        }
    }
    requests
}

fn as_strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Does one `Principal` entry name the caller? (`"*"` names everyone, services and anonymous included.)
fn names(kind: &str, value: &str, who: &Who) -> bool {
    if value == "*" {
        return true;
    }
    match (kind, who) {
        ("AWS", Who::Aws { account, role }) => {
            value == *account
                || value == format!("arn:aws:iam::{account}:root")
                || role.is_some_and(|r| value == format!("arn:aws:iam::{account}:role/{r}"))
        }
        ("Service", Who::Service { .. }) => value == "events.amazonaws.com",
        ("Federated", Who::Federated { .. }) => value == GITHUB,
        _ => false,
    }
}

/// Strict `NotPrincipal` reading: a role session is never exempt (its session ARN is never listed);
/// a root user, service or federated caller is exempt when named.
fn exempt(kind: &str, value: &str, who: &Who) -> bool {
    match who {
        Who::Aws { role: Some(_), .. } | Who::Anonymous => value == "*",
        _ => names(kind, value, who),
    }
}

fn principal_matches(statement: &Map<String, Value>, who: &Who) -> bool {
    let entries = |value: &Value| -> Vec<(String, String)> {
        match value {
            Value::String(s) => vec![("AWS".to_string(), s.clone())],
            Value::Object(map) => map
                .iter()
                .flat_map(|(k, v)| as_strings(v).into_iter().map(move |s| (k.clone(), s)))
                .collect(),
            _ => Vec::new(),
        }
    };
    if let Some(principal) = statement.get("Principal") {
        entries(principal)
            .iter()
            .any(|(kind, value)| names(kind, value, who))
    } else if let Some(not_principal) = statement.get("NotPrincipal") {
        !entries(not_principal)
            .iter()
            .any(|(kind, value)| exempt(kind, value, who))
    } else {
        false
    }
}

fn condition_holds(operator: &str, key: &str, values: &[String], request: &Request) -> bool {
    let actual = request.context(&key.to_lowercase());
    if operator == "Null" {
        return (values[0] == "true") == actual.is_none();
    }
    // The reference model's keys are single-valued: ForAnyValue tests the one value, and is false when
    // the key is absent (for the non-negated operators used here).
    let (any_value, operator) = match operator.strip_prefix("ForAnyValue:") {
        Some(rest) => (true, rest),
        None => (false, operator),
    };
    let if_exists = operator.ends_with("IfExists");
    let base = operator.trim_end_matches("IfExists");
    let negated = base.contains("Not");
    let Some(actual) = actual else {
        return !any_value && (if_exists || negated);
    };
    let matches = values.iter().any(|v| match base.replace("Not", "").as_str() {
        "StringEquals" => *v == actual,
        "StringEqualsIgnoreCase" => v.eq_ignore_ascii_case(&actual),
        "StringLike" | "ArnLike" => glob_matches(v, &actual),
        "IpAddress" => v == "10.0.0.0/8" && actual.starts_with("10."),
        other => panic!("operator {other} not modelled"),
    });
    matches != negated
}

fn statement_matches(statement: &Map<String, Value>, request: &Request) -> bool {
    let action_matches = |value: &Value| {
        as_strings(value)
            .iter()
            .any(|p| glob_matches(&p.to_lowercase(), request.action))
    };
    let actions_ok = match (statement.get("Action"), statement.get("NotAction")) {
        (Some(actions), _) => action_matches(actions),
        (None, Some(excluded)) => !action_matches(excluded),
        _ => false,
    };
    let resources_ok = match (statement.get("Resource"), statement.get("NotResource")) {
        (Some(resources), _) => as_strings(resources)
            .iter()
            .any(|p| glob_matches(p, request.resource)),
        (None, Some(excluded)) => !as_strings(excluded)
            .iter()
            .any(|p| glob_matches(p, request.resource)),
        (None, None) => true,
    };
    let conditions_ok = match statement.get("Condition") {
        Some(Value::Object(block)) => block.iter().all(|(operator, keys)| match keys {
            Value::Object(keys) => keys
                .iter()
                .all(|(key, values)| condition_holds(operator, key, &as_strings(values), request)),
            _ => false,
        }),
        _ => true,
    };
    actions_ok && resources_ok && conditions_ok && principal_matches(statement, &request.who)
}

fn policy_allows(policy: &Value, request: &Request) -> bool {
    let statements: Vec<&Map<String, Value>> = policy["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    let matching = |effect: &str| {
        statements
            .iter()
            .any(|s| s.get("Effect") == Some(&json!(effect)) && statement_matches(s, request))
    };
    matching("Allow") && !matching("Deny")
}

fn evaluated_condition_pool() -> Vec<Value> {
    vec![
        json!({"StringEquals": {"aws:PrincipalOrgID": OWN_ORG}}),
        json!({"StringNotEquals": {"aws:PrincipalOrgID": OWN_ORG}}),
        json!({"StringEquals": {"aws:SourceAccount": "111111111111"}}),
        json!({"StringEquals": {"aws:SourceAccount": "222222222222"}}),
        json!({"StringEquals": {"sts:ExternalId": "abc"}}),
        json!({"StringEqualsIfExists": {"sts:ExternalId": "abc"}}),
        json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/a:*"}}),
        json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/*"}}),
        json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/a:ref:main"}}),
        json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}}),
        json!({"StringEquals": {"aws:PrincipalAccount": ["111111111111", "222222222222"]}}),
        json!({"Null": {"sts:ExternalId": "false"}}),
        json!({"ForAnyValue:StringEquals": {"sts:ExternalId": "abc"}}),
        json!({"StringEqualsIgnoreCase": {"aws:PrincipalOrgID": "O-OWN1234567"}}),
        json!({"StringLike": {"aws:PrincipalAccount": "111111111111*"}}),
    ]
}

prop_compose! {
    fn evaluated_statement()(
        allow in prop::bool::weighted(0.7),
        not_principal in prop::bool::weighted(0.15),
        principals in prop::collection::vec(0..7usize, 1..3),
        not_action in prop::bool::weighted(0.1),
        actions in prop::collection::vec(0..ACTIONS.len(), 1..3),
        resources in prop::option::weighted(0.8, prop::collection::vec(0..RESOURCES.len(), 1..3)),
        conditions in prop::collection::vec(0..17usize, 0..3),
    ) -> Value {
        let pool = [
            ("AWS", "111111111111"), ("AWS", "222222222222"), ("AWS", "arn:aws:iam::222222222222:role/x"),
            ("AWS", "arn:aws:iam::333333333333:role/ci"), ("AWS", "*"), ("Service", "events.amazonaws.com"),
            ("Federated", GITHUB),
        ];
        let mut principal = Map::new();
        for index in principals {
            let (kind, value) = pool[index];
            if let Value::Array(items) = principal.entry(kind).or_insert_with(|| json!([])) {
                items.push(json!(value));
            }
        }
        let mut statement = Map::new();
        statement.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
        let principal_key = if not_principal && !allow { "NotPrincipal" } else { "Principal" };
        statement.insert(principal_key.into(), Value::Object(principal));
        let action_key = if not_action { "NotAction" } else { "Action" };
        statement.insert(action_key.into(), json!(actions.iter().map(|i| ACTIONS[*i]).collect::<Vec<_>>()));
        if let Some(resources) = resources {
            statement.insert("Resource".into(), json!(resources.iter().map(|i| RESOURCES[*i]).collect::<Vec<_>>()));
        }
        if !conditions.is_empty() {
            let pool = evaluated_condition_pool();
            let mut block = Map::new();
            for index in conditions {
                if let Value::Object(entry) = &pool[index] {
                    for (operator, keys) in entry {
                        let target = block.entry(operator.clone()).or_insert_with(|| json!({}));
                        if let (Value::Object(target), Value::Object(keys)) = (target, keys) {
                            target.extend(keys.clone());
                        }
                    }
                }
            }
            statement.insert("Condition".into(), Value::Object(block));
        }
        Value::Object(statement)
    }
}

prop_compose! {
    fn evaluated_policy()(statements in prop::collection::vec(evaluated_statement(), 0..4)) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }
}

proptest! {
    #![proptest_config(config())]

    /// End-to-end soundness: when `compare` reports no widening, no external request (caller × context ×
    /// action × resource of the reference model) is allowed by the new policy and denied by the old one.
    #[test]
    fn no_widening_means_no_external_request_newly_allowed(
        old in evaluated_policy(),
        new in evaluated_policy(),
        mutate in any::<bool>(),
    ) {
        // Half of the cases compare a policy with a close variant of itself, where "no widening" is common.
        let new = if mutate {
            let mut variant = old.clone();
            if let (Some(Value::Array(target)), Some(Value::Array(extra))) =
                (variant.get_mut("Statement"), new.get("Statement"))
            {
                target.truncate(target.len().saturating_sub(1));
                target.extend(extra.iter().take(1).cloned());
            }
            variant
        } else {
            new
        };
        if verdict(&old, &new) != Verdict::Widening {
            for request in all_policy_requests().iter().filter(|r| !r.is_internal()) {
                prop_assert!(
                    !policy_allows(&new, request) || policy_allows(&old, request),
                    "{:?} newly allowed:\nold {}\nnew {}", request, old, new
                );
            }
        }
    }
}

/// Is some request outside the boundary allowed by `new` and not by `old`, over the model's finite universe
/// (callers × context × action × resource built from the policies' tokens plus outsiders)?
fn brute_force_widens(old: &Value, new: &Value) -> bool {
    all_policy_requests()
        .iter()
        .filter(|r| !r.is_internal())
        .any(|r| policy_allows(new, r) && !policy_allows(old, r))
}

/// Each root cause of imprecision named in issue 9, with its shape: the verdict must equal the brute-force
/// evaluation (no widening where nothing outside the boundary gains access), and controls that do widen
/// must still widen.
#[test]
fn root_causes_agree_with_brute_force() {
    let empty = json!({"Version": "2012-10-17", "Statement": []});
    let allow = |principal: Value, condition: Value| {
        let mut statement = json!({"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject",
                                   "Resource": "arn:aws:s3:::b/*"});
        if condition != Value::Null {
            statement["Condition"] = condition;
        }
        statement
    };
    let policy = |statements: Vec<Value>| json!({"Version": "2012-10-17", "Statement": statements});
    let cases: Vec<(&str, Value, Value)> = vec![
        (
            "a new Deny subtracted from a new Allow",
            empty.clone(),
            policy(vec![
                allow(json!({"AWS": "222222222222"}), Value::Null),
                json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                   "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": OWN_ORG}}}),
            ]),
        ),
        (
            "NotResource *",
            empty.clone(),
            policy(vec![json!({"Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "NotResource": "*"})]),
        ),
        (
            "NotAction *",
            empty.clone(),
            policy(vec![json!({"Effect": "Allow", "Principal": "*",
            "NotAction": "*", "Resource": "*"})]),
        ),
        (
            "NotPrincipal AWS *",
            empty.clone(),
            policy(vec![json!({"Effect": "Allow",
            "NotPrincipal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"})]),
        ),
        (
            "aws:SourceAccount own pins *",
            empty.clone(),
            policy(vec![allow(
                json!("*"),
                json!({"StringEquals": {"aws:SourceAccount": OWN_ACCOUNT}}),
            )]),
        ),
        (
            "a pattern that only matches the own account",
            empty.clone(),
            policy(vec![allow(
                json!("*"),
                json!({"StringLike": {"aws:PrincipalAccount": "111111111111*"}}),
            )]),
        ),
        (
            "ForAnyValue on a single-valued key",
            policy(vec![allow(
                json!({"AWS": "222222222222"}),
                json!({"StringEquals": {"sts:ExternalId": "abc"}}),
            )]),
            policy(vec![allow(
                json!({"AWS": "222222222222"}),
                json!({"ForAnyValue:StringEquals": {"sts:ExternalId": "abc"}}),
            )]),
        ),
        (
            "IgnoreCase on an organization id",
            policy(vec![allow(
                json!("*"),
                json!({"StringEquals": {"aws:PrincipalOrgID": "o-other98765"}}),
            )]),
            policy(vec![allow(
                json!("*"),
                json!({"StringEqualsIgnoreCase": {"aws:PrincipalOrgID": "O-OTHER98765"}}),
            )]),
        ),
        (
            "a key a service never carries",
            empty.clone(),
            policy(vec![allow(
                json!({"Service": "events.amazonaws.com"}),
                json!({"StringEquals": {"sts:ExternalId": "abc"}}),
            )]),
        ),
        (
            "a caller pinned to another account than the principal's",
            empty.clone(),
            policy(vec![
                allow(
                    json!({"AWS": "arn:aws:iam::333333333333:role/ci"}),
                    json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}}),
                ),
                allow(
                    json!({"AWS": "222222222222"}),
                    json!({"StringEquals": {"aws:PrincipalAccount": "333333333333"}}),
                ),
            ]),
        ),
        (
            "a federated claim key on AWS and service principals",
            empty.clone(),
            policy(vec![allow(
                json!({"AWS": ["222222222222", "arn:aws:iam::333333333333:role/ci"],
                       "Service": "events.amazonaws.com"}),
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/*"}}),
            )]),
        ),
        (
            "aws:SourceAccount on AWS and federated principals",
            empty.clone(),
            policy(vec![allow(
                json!({"AWS": ["222222222222", "arn:aws:iam::333333333333:role/ci"], "Federated": GITHUB}),
                json!({"StringEquals": {"aws:SourceAccount": "222222222222"}}),
            )]),
        ),
    ];
    for (name, old, new) in &cases {
        assert!(
            !brute_force_widens(old, new),
            "{name}: the model itself finds a widening"
        );
        assert_ne!(
            verdict(old, new),
            Verdict::Widening,
            "{name}: reported as widening\nold {old}\nnew {new}"
        );
    }
    // Controls: the same shapes one step wider do widen, and are reported.
    let controls: Vec<(&str, Value, Value)> = vec![
        (
            "Deny that leaves another account in",
            empty.clone(),
            policy(vec![
                allow(json!({"AWS": "222222222222"}), Value::Null),
                json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                   "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-other98765"}}}),
            ]),
        ),
        (
            "a foreign SourceAccount",
            empty.clone(),
            policy(vec![allow(
                json!("*"),
                json!({"StringEquals": {"aws:SourceAccount": "222222222222"}}),
            )]),
        ),
        (
            "a pattern with a wildcard inside the account",
            empty.clone(),
            policy(vec![allow(
                json!("*"),
                json!({"StringLike": {"aws:PrincipalAccount": "2222222222*"}}),
            )]),
        ),
        (
            "ForAnyValue with another external id",
            policy(vec![allow(
                json!({"AWS": "222222222222"}),
                json!({"StringEquals": {"sts:ExternalId": "xyz"}}),
            )]),
            policy(vec![allow(
                json!({"AWS": "222222222222"}),
                json!({"ForAnyValue:StringEquals": {"sts:ExternalId": "abc"}}),
            )]),
        ),
        (
            "a federated claim key on the federated principal",
            empty.clone(),
            policy(vec![allow(
                json!({"Federated": GITHUB}),
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/*"}}),
            )]),
        ),
        (
            "aws:SourceAccount of another account on a service principal",
            empty.clone(),
            policy(vec![allow(
                json!({"Service": "events.amazonaws.com"}),
                json!({"StringEquals": {"aws:SourceAccount": "222222222222"}}),
            )]),
        ),
        (
            "aws:SourceAccount that may be absent (IfExists) on an AWS principal",
            empty.clone(),
            policy(vec![allow(
                json!({"AWS": "222222222222"}),
                json!({"StringEqualsIfExists": {"aws:SourceAccount": "111111111111"}}),
            )]),
        ),
        (
            "a federated claim key that may be absent (IfExists) on an AWS principal",
            empty.clone(),
            policy(vec![allow(
                json!({"AWS": "222222222222"}),
                json!({"StringLikeIfExists": {"token.actions.githubusercontent.com:sub": "repo:o/*"}}),
            )]),
        ),
        (
            "a caller pinned to the principal's own account",
            empty.clone(),
            policy(vec![allow(
                json!({"AWS": "arn:aws:iam::222222222222:role/x"}),
                json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}}),
            )]),
        ),
    ];
    for (name, old, new) in &controls {
        assert!(
            brute_force_widens(old, new),
            "{name}: the model finds no widening"
        );
        assert_eq!(
            verdict(old, new),
            Verdict::Widening,
            "{name}: not reported\nold {old}\nnew {new}"
        );
    }
}

/// The differential run of issue 9: random old/new pairs (half of them close variants, as above) from a
/// fixed seed, each verdict against the brute-force model. No verdict may be unsound (no widening while the
/// model finds an external request newly allowed); the share of "widening" verdicts the model finds nothing
/// new for (false alarms) is printed (`cargo test --test policy_properties differential -- --nocapture`)
/// and must stay at or under the figure measured when this test was written.
#[test]
fn differential_run_is_sound_and_its_false_alarm_rate_stays_low() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    const PAIRS: usize = 2000;
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[9; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = (evaluated_policy(), evaluated_policy(), any::<bool>());
    let (mut widening, mut false_alarms, mut unsound) = (0usize, 0usize, Vec::new());
    for _ in 0..PAIRS {
        let (old, new, mutate) = strategy
            .new_tree(&mut runner)
            .expect("a generated pair")
            .current();
        let new = if mutate {
            let mut variant = old.clone();
            if let (Some(Value::Array(target)), Some(Value::Array(extra))) =
                (variant.get_mut("Statement"), new.get("Statement"))
            {
                target.truncate(target.len().saturating_sub(1));
                target.extend(extra.iter().take(1).cloned());
            }
            variant
        } else {
            new
        };
        let model = brute_force_widens(&old, &new);
        match verdict(&old, &new) {
            Verdict::Widening => {
                widening += 1;
                false_alarms += usize::from(!model);
                if !model && std::env::var_os("TRUSTGATE_SHOW_FALSE_ALARMS").is_some() {
                    eprintln!("false alarm:\nold {old}\nnew {new}\n");
                }
            }
            _ if model => unsound.push(format!("old {old}\nnew {new}")),
            _ => {}
        }
    }
    let rate = 100.0 * false_alarms as f64 / widening.max(1) as f64;
    eprintln!(
        "differential: {PAIRS} pairs, {widening} widening verdicts, {false_alarms} without new external access \
         ({rate:.2}%), {} unsound",
        unsound.len()
    );
    assert!(unsound.is_empty(), "unsound verdicts:\n{}", unsound.join("\n\n"));
    assert!(
        widening > PAIRS / 10,
        "the run exercises widening verdicts ({widening})"
    );
    assert!(
        rate <= MAX_FALSE_ALARM_PERCENT,
        "false-alarm rate {rate:.2}% above {MAX_FALSE_ALARM_PERCENT}%"
    );
}

/// Measured when the differential test was written: 185 of 937 widening verdicts (19.74%) grant nothing new
/// (18.97%, 176 of 928, once a caller pinned to another account than its principal's grants nothing)
/// in the model; in a sample of 15 (`TRUSTGATE_SHOW_FALSE_ALARMS=1`), statements whose conditions contradict
/// their principal (an `aws:PrincipalArn` of another account's roles, GitHub claim keys on AWS or service
/// principals) and new Deny statements that cancel the new grant. 12.46% (107 of 859) once a strict test of
/// an OIDC provider's claim key grants AWS and service principals nothing; in a sample of 12 of those left,
/// keys of AWS credentials (aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount) tested on the
/// federated principal or on services, and new Deny statements that cancel the new grant. 8.18% (67 of 819)
/// once a strict aws:SourceAccount test grants AWS and federated principals nothing; left in a sample of 14:
/// aws:PrincipalAccount/aws:PrincipalOrgID tested on the federated principal, aws:PrincipalArn/PrincipalAccount
/// on a service (AWS does not document those keys' absence for these principals, so they stay), `{"AWS": "*"}`
/// under a GitHub claim, and new Deny statements that cancel the new grant. Lower it as precision improves.
const MAX_FALSE_ALARM_PERCENT: f64 = 8.2;
