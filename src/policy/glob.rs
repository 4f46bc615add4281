//! IAM glob patterns (`*` = any run of characters, `?` = exactly one character): matching, exact language
//! inclusion and intersection (docs/iam-semantics.md section 4.3).
//!
//! Inclusion and intersection run on the pattern automata over a finite alphabet: every character that
//! appears literally in either pattern, plus one fresh symbol standing for "any other character" (globs
//! cannot tell unmentioned characters apart, so one representative is enough).

use std::collections::{HashSet, VecDeque};

/// Upper bound on explored automaton states; beyond it inclusion answers "not included" (sound: the
/// caller then reports a possible widening).
const STATE_LIMIT: usize = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Literal(char),
    AnyOne,
    AnyRun,
}

fn tokens(pattern: &str) -> Vec<Token> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyOne,
            other => Token::Literal(other),
        })
        .collect()
}

/// True when the pattern contains `*` or `?`.
pub fn has_wildcards(pattern: &str) -> bool {
    pattern.bytes().any(|b| b == b'*' || b == b'?')
}

/// Canonical form with the same language: runs of `*` collapse to one, and inside a run of wildcards
/// every `?` moves before the `*` (`*?` and `?*` denote the same strings).
pub fn canonical(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut ones = 0usize;
    let mut run = false;
    let flush = |out: &mut String, ones: &mut usize, run: &mut bool| {
        for _ in 0..*ones {
            out.push('?');
        }
        if *run {
            out.push('*');
        }
        *ones = 0;
        *run = false;
    };
    for c in pattern.chars() {
        match c {
            '*' => run = true,
            '?' => ones += 1,
            other => {
                flush(&mut out, &mut ones, &mut run);
                out.push(other);
            }
        }
    }
    flush(&mut out, &mut ones, &mut run);
    out
}

/// Whole-string match of `text` against `pattern` (case-sensitive).
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        return matches_units(pattern.as_bytes(), text.as_bytes(), b'*', b'?');
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    matches_units(&pattern, &text, '*', '?')
}

/// Greedy matcher with backtracking to the last `*`: linear in practice, never exponential.
fn matches_units<T: PartialEq + Copy>(pattern: &[T], text: &[T], run: T, one: T) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut last_star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == one || (pattern[p] != run && pattern[p] == text[t])) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == run {
            last_star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = last_star {
            p = star_p + 1;
            t = star_t + 1;
            last_star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == run)
}

/// Case-insensitive whole-string match (used for actions).
pub fn glob_matches_ignore_case(pattern: &str, text: &str) -> bool {
    glob_matches(&pattern.to_lowercase(), &text.to_lowercase())
}

/// Exact language inclusion: every string matched by `a` is matched by `b`.
pub fn glob_included(a: &str, b: &str) -> bool {
    if a == b || b == "*" {
        return true;
    }
    if !has_wildcards(a) {
        return glob_matches(b, a);
    }
    if !has_wildcards(b) {
        return false;
    }
    // Cheap necessary condition: a's strings all start (end) with a's literal prefix (suffix) and can
    // continue with any character, so b's literal prefix (suffix) must be part of a's.
    let (a_prefix, b_prefix) = (literal_prefix(a), literal_prefix(b));
    let (a_suffix, b_suffix) = (literal_suffix(a), literal_suffix(b));
    if !a_prefix.starts_with(b_prefix) || !a_suffix.ends_with(b_suffix) {
        return false;
    }
    included_tokens(&tokens(a), &tokens(b))
}

/// Case-insensitive inclusion (used for actions).
pub fn glob_included_ignore_case(a: &str, b: &str) -> bool {
    glob_included(&a.to_lowercase(), &b.to_lowercase())
}

/// True when some string is matched by both patterns.
pub fn glob_intersects(a: &str, b: &str) -> bool {
    if a == b || a == "*" || b == "*" {
        return true;
    }
    if !has_wildcards(a) {
        return glob_matches(b, a);
    }
    if !has_wildcards(b) {
        return glob_matches(a, b);
    }
    // Strings of a and b start with their literal prefixes; prefixes that disagree rule out a common one.
    let (a_prefix, b_prefix) = (literal_prefix(a), literal_prefix(b));
    let (a_suffix, b_suffix) = (literal_suffix(a), literal_suffix(b));
    let prefixes_agree = a_prefix.starts_with(b_prefix) || b_prefix.starts_with(a_prefix);
    let suffixes_agree = a_suffix.ends_with(b_suffix) || b_suffix.ends_with(a_suffix);
    if !prefixes_agree || !suffixes_agree {
        return false;
    }
    intersects_tokens(&tokens(a), &tokens(b))
}

/// Case-insensitive intersection (used for actions).
pub fn glob_intersects_ignore_case(a: &str, b: &str) -> bool {
    glob_intersects(&a.to_lowercase(), &b.to_lowercase())
}

/// The text before the first wildcard.
fn literal_prefix(pattern: &str) -> &str {
    // `*` and `?` are ASCII, so byte positions are character boundaries.
    pattern
        .bytes()
        .position(|b| b == b'*' || b == b'?')
        .map_or(pattern, |at| &pattern[..at])
}

/// The text after the last wildcard.
fn literal_suffix(pattern: &str) -> &str {
    pattern
        .bytes()
        .rposition(|b| b == b'*' || b == b'?')
        .map_or(pattern, |at| &pattern[at + 1..])
}

/// Alphabet of the two patterns: their literal characters plus `None` for "any other character".
fn alphabet(a: &[Token], b: &[Token]) -> Vec<Option<char>> {
    let mut chars: Vec<char> = a
        .iter()
        .chain(b)
        .filter_map(|t| match t {
            Token::Literal(c) => Some(*c),
            _ => None,
        })
        .collect();
    chars.sort_unstable();
    chars.dedup();
    let mut symbols: Vec<Option<char>> = chars.into_iter().map(Some).collect();
    symbols.push(None);
    symbols
}

/// Successor of one NFA state on one symbol (a `*` loops, anything else advances).
fn step(pattern: &[Token], state: usize, symbol: Option<char>) -> Option<usize> {
    match pattern.get(state)? {
        Token::AnyRun => Some(state),
        Token::AnyOne => Some(state + 1),
        Token::Literal(c) => (symbol == Some(*c)).then_some(state + 1),
    }
}

/// Adds the epsilon successors (skipping a `*`) of every state in the set.
fn close(pattern: &[Token], set: &mut [bool]) {
    for state in 0..pattern.len() {
        if set[state] && pattern[state] == Token::AnyRun {
            set[state + 1] = true;
        }
    }
}

fn included_tokens(a: &[Token], b: &[Token]) -> bool {
    let symbols = alphabet(a, b);
    let b_accept = b.len();
    let mut start = vec![false; b.len() + 1];
    start[0] = true;
    close(b, &mut start);

    let mut seen: HashSet<(usize, Vec<bool>)> = HashSet::new();
    let mut queue: VecDeque<(usize, Vec<bool>)> = VecDeque::new();
    seen.insert((0, start.clone()));
    queue.push_back((0, start));
    while let Some((a_state, b_set)) = queue.pop_front() {
        if seen.len() > STATE_LIMIT {
            return false;
        }
        // Every glob NFA state can still reach acceptance, so a dead B means a counterexample exists.
        if !b_set.iter().any(|&s| s) {
            return false;
        }
        if a_state == a.len() && !b_set[b_accept] {
            return false;
        }
        let mut successors: Vec<(usize, Vec<bool>)> = Vec::new();
        if a.get(a_state) == Some(&Token::AnyRun) {
            successors.push((a_state + 1, b_set.clone()));
        }
        for &symbol in &symbols {
            let Some(next_a) = step(a, a_state, symbol) else {
                continue;
            };
            let mut next_b = vec![false; b.len() + 1];
            for (state, _) in b_set.iter().enumerate().filter(|(_, on)| **on) {
                if let Some(next) = step(b, state, symbol) {
                    next_b[next] = true;
                }
            }
            close(b, &mut next_b);
            successors.push((next_a, next_b));
        }
        for successor in successors {
            if seen.insert(successor.clone()) {
                queue.push_back(successor);
            }
        }
    }
    true
}

fn intersects_tokens(a: &[Token], b: &[Token]) -> bool {
    let symbols = alphabet(a, b);
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut queue = VecDeque::from([(0usize, 0usize)]);
    seen.insert((0, 0));
    while let Some((i, j)) = queue.pop_front() {
        if i == a.len() && j == b.len() {
            return true;
        }
        let mut successors = Vec::new();
        if a.get(i) == Some(&Token::AnyRun) {
            successors.push((i + 1, j));
        }
        if b.get(j) == Some(&Token::AnyRun) {
            successors.push((i, j + 1));
        }
        for &symbol in &symbols {
            if let (Some(next_i), Some(next_j)) = (step(a, i, symbol), step(b, j, symbol)) {
                successors.push((next_i, next_j));
            }
        }
        for successor in successors {
            if seen.insert(successor) {
                queue.push_back(successor);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_collapses_runs_and_orders_wildcards() {
        assert_eq!(canonical("a**b"), "a*b");
        assert_eq!(canonical("*?"), "?*");
        assert_eq!(canonical("*?*?x"), "??*x");
        assert_eq!(canonical("abc"), "abc");
    }

    #[test]
    fn matching() {
        assert!(glob_matches("repo:o/app:*", "repo:o/app:ref:refs/heads/main"));
        assert!(glob_matches("a?c", "abc"));
        assert!(!glob_matches("a?c", "ac"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "axxbyyc"));
        assert!(!glob_matches("a*b*c", "axxbyy"));
        assert!(glob_matches_ignore_case("S3:Get*", "s3:getobject"));
        assert!(glob_matches("ä?ö*", "äüöxyz"));
        assert!(!glob_matches("ä?ö", "äüüö"));
    }

    #[test]
    fn inclusion_examples_from_the_semantics_brief() {
        assert!(glob_included("repo:o/app:ref:refs/heads/main", "repo:o/app:*"));
        assert!(glob_included("repo:o/app:*", "repo:o/*"));
        assert!(!glob_included("repo:o/*", "repo:o/app:*"));
        assert!(glob_included("a*b*c", "a*c"));
        assert!(!glob_included("a*c", "a*b*c"));
        assert!(glob_included("**", "*") && glob_included("*", "**"));
        assert!(glob_included("?*", "*?") && glob_included("*?", "?*"));
        assert!(!glob_included("*", "?*"));
        assert!(glob_included("ab?", "a*"));
        assert!(!glob_included("a*", "a?"));
    }

    #[test]
    fn adversarial_patterns_stay_bounded() {
        // Subset construction on these patterns is exponential; the state limit answers "not included".
        let many_ones = format!("*{}", "?".repeat(41));
        let anchored = format!("*a{}", "?".repeat(19));
        assert!(!glob_included(&many_ones, &anchored));
        assert!(glob_intersects(&many_ones, &anchored));
    }

    #[test]
    fn intersection_examples() {
        assert!(glob_intersects("a*", "*b"));
        assert!(!glob_intersects("a*", "b*"));
        assert!(!glob_intersects("a?", "a"));
        assert!(glob_intersects("s3:*", "s3:getobject"));
        assert!(glob_intersects_ignore_case("S3:*", "s3:GetObject"));
    }
}
