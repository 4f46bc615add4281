//! The inventory as a Mermaid flowchart (GitHub renders it in job summaries, comments and issues): external
//! parties on the left, the roles and resources they reach on the right, each edge labelled with its actions
//! and coloured by status.
//!
//! Labels are untrusted text (addresses, principals, actions from policies). Every character outside a small
//! safe set becomes a Mermaid entity code (`#35;`), so a label cannot close its quotes, start a new
//! statement, inject HTML or end the Markdown code fence it is embedded in.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{edges, status_colour};
use crate::inventory::{Inventory, PathStatus};

pub fn render(inventory: &Inventory) -> String {
    let mut out = String::from("flowchart LR\n");
    let edges = edges(inventory);
    if edges.is_empty() {
        out.push_str("  none[\"no trust paths cross the boundary\"]\n");
        return out;
    }
    let mut parties: BTreeMap<&str, usize> = BTreeMap::new();
    let mut targets: BTreeMap<&str, usize> = BTreeMap::new();
    for edge in &edges {
        let next = parties.len();
        parties.entry(&edge.party).or_insert(next);
        let next = targets.len();
        targets.entry(&edge.target).or_insert(next);
    }
    for (party, id) in &parties {
        let _ = writeln!(out, "  p{id}([\"{}\"])", label(party));
    }
    for (target, id) in &targets {
        let _ = writeln!(out, "  r{id}[\"{}\"]", label(target));
    }
    for edge in &edges {
        let _ = writeln!(
            out,
            "  p{} -->|\"{} · {}\"| r{}",
            parties[edge.party.as_str()],
            label(&edge.actions),
            edge.status.as_str(),
            targets[edge.target.as_str()]
        );
    }
    for (index, edge) in edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "  linkStyle {index} stroke:{},stroke-width:2px",
            status_colour(edge.status)
        );
    }
    let legend: Vec<String> = PathStatus::ALL
        .into_iter()
        .filter(|s| edges.iter().any(|e| e.status == *s))
        .map(|s| s.as_str().to_string())
        .collect();
    let _ = writeln!(out, "  %% statuses: {}", legend.join(", "));
    out
}

/// Text for inside a quoted Mermaid label.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " _.:/()*,-+=[]{}@".contains(c) {
            // Brackets are harmless inside quotes; keep them readable.
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out() {
        assert_eq!(label("a\"b"), "a#34;b");
        assert_eq!(label("x]) --> y"), "x]) --#62; y");
        assert_eq!(label("<img src=x>"), "#60;img src=x#62;");
        assert_eq!(label("```"), "#96;#96;#96;");
        assert_eq!(label("a\nb;c|d"), "a b#59;c#124;d");
        assert_eq!(label("#35;"), "#35;35#59;");
    }

    #[test]
    fn draws_each_party_once_and_colours_every_edge() {
        let inventory = super::super::example_inventory();
        let text = render(&inventory);
        let edges = text.matches(" -->|").count();
        assert_eq!(text.matches("linkStyle").count(), edges);
        assert_eq!(text.matches("Datadog").count(), 1);
    }
}
