//! The inventory as CSV (RFC 4180) for auditors' spreadsheets: a header, then one row per trust path.
//!
//! Every text cell is quoted when it holds a comma, quote or line break, and a text cell that a spreadsheet
//! would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`
//! (OWASP, "CSV Injection"). Numbers trustgate computes itself are written as numbers.

use crate::annotation::Origin;
use crate::inventory::{Inventory, TrustPath};

const HEADER: [&str; 21] = [
    "file",
    "address",
    "resource_type",
    "attribute",
    "class",
    "principal",
    "account",
    "vendor",
    "actions",
    "conditions",
    "broad",
    "session_seconds",
    "privileged",
    "status",
    "owner",
    "expiry",
    "expires_in_days",
    "justification",
    "origin",
    "problems",
    "location",
];

pub fn render(inventory: &Inventory) -> String {
    let mut out = String::new();
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    for path in inventory.paths() {
        out.push_str(&row(path).join(","));
        out.push_str("\r\n");
    }
    out
}

fn row(p: &TrustPath) -> Vec<String> {
    let annotation = p.annotation.as_ref();
    let field = |value: Option<&String>| text(value.map(String::as_str).unwrap_or_default());
    vec![
        text(&p.file.display().to_string()),
        text(&p.address),
        text(&p.resource_type),
        text(&p.attribute),
        text(p.class.as_str()),
        text(&p.principal),
        text(p.account.as_deref().unwrap_or_default()),
        text(p.vendor.as_deref().unwrap_or_default()),
        text(&p.actions.join(" ")),
        text(&p.conditions.join("; ")),
        p.broad.to_string(),
        p.session_seconds.map(|s| s.to_string()).unwrap_or_default(),
        text(&p.privileged.join("; ")),
        text(p.status.as_str()),
        field(annotation.and_then(|a| a.owner.as_ref())),
        field(annotation.and_then(|a| a.expiry.as_ref())),
        p.expires_in_days.map(|d| d.to_string()).unwrap_or_default(),
        field(annotation.and_then(|a| a.justification.as_ref())),
        text(&annotation.map(|a| origin(&a.origin)).unwrap_or_default()),
        text(&p.annotation_problems.join("; ")),
        text(
            &p.location
                .as_ref()
                .map(|l| format!("{}:{}", l.file.display(), l.line))
                .unwrap_or_default(),
        ),
    ]
}

fn origin(origin: &Origin) -> String {
    match origin {
        Origin::Tags => "tags".to_string(),
        Origin::Exception { file, line } => format!("exception {}:{line}", file.display()),
        Origin::Comment { file, line, .. } => format!("comment {}:{line}", file.display()),
    }
}

/// One text cell: formula prefixes neutralised, then quoted when needed.
pub fn text(value: &str) -> String {
    let neutral = match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(text("plain"), "plain");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("+1"), "'+1");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tx"), "'\tx");
    }

    #[test]
    fn one_row_per_path_with_the_same_number_of_cells() {
        let inventory = super::super::example_inventory();
        let text = render(&inventory);
        let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(rows.len(), 1 + inventory.paths().count());
        assert!(rows[0].starts_with("file,address,"));
    }
}
