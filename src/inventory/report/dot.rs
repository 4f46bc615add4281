//! The inventory as a Graphviz DOT graph: external parties → the roles and resources they reach, each edge
//! labelled with its actions and coloured by status.
//!
//! Every label is a quoted DOT string: backslashes and quotes are escaped (so `\N`, `\G` or a quote in a
//! principal stay literal text), and control characters become spaces. Node ids are generated.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{edges, status_colour};
use crate::inventory::Inventory;

pub fn render(inventory: &Inventory) -> String {
    let mut out = String::from(
        "digraph trustgate_inventory {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  \
         edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    let edges = edges(inventory);
    let mut parties: BTreeMap<&str, usize> = BTreeMap::new();
    let mut targets: BTreeMap<&str, usize> = BTreeMap::new();
    for edge in &edges {
        let next = parties.len();
        parties.entry(&edge.party).or_insert(next);
        let next = targets.len();
        targets.entry(&edge.target).or_insert(next);
    }
    for (party, id) in &parties {
        let _ = writeln!(out, "  p{id} [label={}, shape=ellipse];", quoted(party));
    }
    for (target, id) in &targets {
        let _ = writeln!(out, "  r{id} [label={}];", quoted(target));
    }
    for edge in &edges {
        let colour = status_colour(edge.status);
        let _ = writeln!(
            out,
            "  p{} -> r{} [label={}, color=\"{colour}\", fontcolor=\"{colour}\"];",
            parties[edge.party.as_str()],
            targets[edge.target.as_str()],
            quoted(&format!("{} ({})", edge.actions, edge.status.as_str())),
        );
    }
    out.push_str("}\n");
    out
}

/// A DOT quoted string.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stay_strings() {
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
        assert_eq!(quoted("\\N\\G"), "\"\\\\N\\\\G\"");
        assert_eq!(quoted("x\ny"), "\"x y\"");
        assert_eq!(quoted("<b>html</b>"), "\"<b>html</b>\"");
    }

    #[test]
    fn every_edge_has_a_colour() {
        let inventory = super::super::example_inventory();
        let text = render(&inventory);
        let edges = text.matches(" -> ").count();
        assert!(edges > 0);
        assert_eq!(text.matches(", color=\"#").count(), edges);
        assert!(text.ends_with("}\n"));
    }
}
