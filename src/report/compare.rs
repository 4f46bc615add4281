//! Output of `trustgate compare`: the verdict and the widenings between two policy documents.

use std::fmt::Write;

use serde::Serialize;

use super::escape::terminal;
use super::human::Painter;
use crate::analysis::{Comparison, Verdict};
use crate::judge::BoundaryInfo;
use crate::rules;

#[derive(Serialize)]
struct JsonCompare<'a> {
    verdict: &'static str,
    widenings: Vec<JsonWidening<'a>>,
    boundary: JsonBoundary<'a>,
}

#[derive(Serialize)]
struct JsonBoundary<'a> {
    accounts: Vec<&'a str>,
    organizations: Vec<&'a str>,
    source: &'static str,
}

#[derive(Serialize)]
struct JsonWidening<'a> {
    rule: &'a str,
    #[serde(flatten)]
    widening: &'a crate::analysis::Widening,
}

pub fn render_json(comparison: &Comparison, boundary: &BoundaryInfo) -> String {
    let json = JsonCompare {
        verdict: comparison.verdict.as_str(),
        widenings: comparison
            .widenings
            .iter()
            .map(|widening| JsonWidening {
                rule: &rules::for_kind(widening.kind).id,
                widening,
            })
            .collect(),
        boundary: JsonBoundary {
            accounts: boundary.boundary.accounts.iter().map(String::as_str).collect(),
            organizations: boundary
                .boundary
                .organizations
                .iter()
                .map(String::as_str)
                .collect(),
            source: boundary.source.as_str(),
        },
    };
    let mut text = serde_json::to_string_pretty(&json).expect("compare values always serialise");
    text.push('\n');
    text
}

pub fn render_human(comparison: &Comparison, boundary: &BoundaryInfo, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let verdict = match comparison.verdict {
        Verdict::Widening => p.red("widening"),
        Verdict::Narrowing => p.green("narrowing"),
        Verdict::NoWidening => p.green("no-widening"),
    };
    let members: Vec<&str> = boundary.boundary.members().map(String::as_str).collect();
    let _ = writeln!(out, "verdict: {verdict}");
    let _ = writeln!(
        out,
        "{}",
        p.dim(&format!(
            "boundary: {} (from {})",
            if members.is_empty() {
                "none".to_string()
            } else {
                terminal(&members.join(", "))
            },
            boundary.source.as_str()
        ))
    );
    for w in &comparison.widenings {
        let rule = rules::for_kind(w.kind);
        let who = if w.principal.is_empty() {
            String::new()
        } else {
            format!("{} ", terminal(&w.principal))
        };
        let _ = writeln!(
            out,
            "  {} {}: {who}{}{}",
            p.dim(&rule.id),
            p.cyan(&rule.name),
            if w.actions.is_empty() {
                String::new()
            } else {
                format!("gains {}: ", terminal(&w.actions.join(", ")))
            },
            terminal(&w.reason)
        );
    }
    out
}
