//! The policy parser and comparison: two policy documents (the old one, a NUL byte, the new one; without a
//! NUL the input is the new policy of a resource created now) → parse both → compare them as a trust policy
//! and as a resource policy, in both directions, and list who can reach the new one.
#![no_main]

use std::collections::BTreeSet;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trustgate::analysis::{self, Boundary, Context, PolicyRole};
use trustgate::policy::{self, Policy};

fn boundary() -> &'static Boundary {
    static BOUNDARY: OnceLock<Boundary> = OnceLock::new();
    BOUNDARY.get_or_init(|| Boundary {
        accounts: BTreeSet::from(["111111111111".to_string()]),
        organizations: BTreeSet::from(["o-own1234567".to_string()]),
        federated: Vec::new(),
    })
}

fn parse(bytes: &[u8]) -> Option<Policy> {
    policy::parse_policy(std::str::from_utf8(bytes).ok()?).ok()
}

fuzz_target!(|data: &[u8]| {
    let (old, new) = match data.iter().position(|&b| b == 0) {
        Some(at) => (Some(&data[..at]), &data[at + 1..]),
        None => (None, data),
    };
    let old = old.and_then(parse);
    let Some(new) = parse(new) else {
        return;
    };
    for role in [PolicyRole::Trust, PolicyRole::Resource] {
        let ctx = Context {
            boundary: boundary(),
            role,
            partition: "aws",
        };
        let _ = analysis::compare(old.as_ref(), &new, &ctx);
        if let Some(old) = &old {
            let _ = analysis::compare(Some(&new), old, &ctx);
        }
        let _ = analysis::access(&new, &ctx);
    }
});
