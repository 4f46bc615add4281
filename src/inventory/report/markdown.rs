//! The inventory as Markdown, for an issue or `$GITHUB_STEP_SUMMARY`: the counts, the Mermaid diagram when
//! it is small enough to read (at most `DIAGRAM_MAX_EDGES` edges), then one table row per trust path.
//! Untrusted text is escaped with `report::escape::markdown` (no markup, no HTML, no @-mentions).

use std::fmt::Write;

use super::{edges, expiry_text, mermaid, session_text};
use crate::inventory::{Inventory, PathStatus, TrustPath};
use crate::report::escape::markdown as md;

/// Larger graphs are not drawn: they are too dense to read.
pub const DIAGRAM_MAX_EDGES: usize = 50;
/// GitHub's job summary holds at most 1 MiB; whole rows past this are left out, with a line saying so.
pub const SUMMARY_LIMIT: usize = 1_000_000;

pub fn render(inventory: &Inventory) -> String {
    let mut out = String::from("<!-- trustgate-inventory -->\n");
    let total = inventory.paths().count();
    let verdict = if inventory.exit_code() == 0 { "✅" } else { "❌" };
    let _ = writeln!(
        out,
        "### {verdict} trustgate inventory: {total} trust path{} cross the boundary on {}\n",
        if total == 1 { "" } else { "s" },
        inventory.today
    );
    let counts: Vec<String> = PathStatus::ALL
        .into_iter()
        .map(|s| format!("**{}** {}", inventory.count(s), s.as_str()))
        .collect();
    let _ = writeln!(out, "{}\n", counts.join(" · "));
    for file in &inventory.files {
        let boundary: Vec<String> = file.boundary.boundary.members().map(|id| md(id)).collect();
        let _ = writeln!(
            out,
            "- {} ({}, {} resources, {} paths) — boundary {} ({})",
            md(&file.file.display().to_string()),
            file.kind.as_str(),
            file.resources,
            file.paths.len(),
            if boundary.is_empty() {
                "none".to_string()
            } else {
                boundary.join(", ")
            },
            file.boundary.source.as_str()
        );
    }
    out.push('\n');
    let edge_count = edges(inventory).len();
    if edge_count > 0 && edge_count <= DIAGRAM_MAX_EDGES {
        out.push_str("```mermaid\n");
        out.push_str(&mermaid::render(inventory));
        out.push_str("```\n\n");
    } else if edge_count > DIAGRAM_MAX_EDGES {
        let _ = writeln!(
            out,
            "_The diagram has {edge_count} edges (more than {DIAGRAM_MAX_EDGES}); run `trustgate inventory --format \
             mermaid` or `--format dot` for it._\n"
        );
    }
    if total == 0 {
        out.push_str("No trust path crosses the boundary.\n");
        return out;
    }
    let several_files = inventory.files.len() > 1;
    out.push_str(
        "| Status | External party | Principal | Reaches | Actions | Session | Blast radius | Owner / expiry |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let mut shown = 0;
    for (_, paths) in inventory.by_party() {
        for path in paths {
            let row = row(path, several_files);
            if out.len() + row.len() > SUMMARY_LIMIT {
                break;
            }
            out.push_str(&row);
            shown += 1;
        }
    }
    if shown < total {
        let _ = writeln!(
            out,
            "\n> [!WARNING]\n> **{} of {total} trust paths were left out** to stay within GitHub's summary limit; \
             use `--format json` or `--format csv` for all of them.",
            total - shown
        );
    }
    out
}

fn row(p: &TrustPath, several_files: bool) -> String {
    let status = match p.status {
        PathStatus::Approved => "✅ approved",
        PathStatus::Expiring => "⏳ expiring",
        PathStatus::Expired => "❌ expired",
        PathStatus::Invalid => "❌ invalid",
        PathStatus::Unannotated => "❌ unannotated",
    };
    let mut principal = format!("<code>{}</code> ({})", md(&p.principal), p.class.as_str());
    if p.broad {
        let _ = write!(
            principal,
            "<br>⚠️ broad: {}",
            md(p.fix.as_deref().unwrap_or_default())
        );
    }
    if !p.conditions.is_empty() {
        let _ = write!(principal, "<br>if {}", md(&p.conditions.join(" and ")));
    }
    let mut reaches = format!("<code>{}</code>", md(&format!("{}.{}", p.address, p.attribute)));
    if several_files {
        let _ = write!(reaches, "<br>in {}", md(&p.file.display().to_string()));
    }
    let blast = if !p.privileged.is_empty() {
        format!("🔥 privileged: {}", md(&p.privileged.join("; ")))
    } else if let Some(grants) = &p.permissions {
        let names: Vec<String> = grants
            .iter()
            .map(|g| md(crate::blast::short_policy(&g.policy)))
            .collect();
        if names.is_empty() {
            "no policies".to_string()
        } else {
            names.join(", ")
        }
    } else {
        String::new()
    };
    let owner = match &p.annotation {
        None => "—".to_string(),
        Some(a) => {
            let mut text = format!(
                "{}, {}",
                md(a.owner.as_deref().unwrap_or("?")),
                md(&expiry_text(p).unwrap_or_else(|| "?".to_string()))
            );
            for problem in &p.annotation_problems {
                let _ = write!(text, "<br>{}", md(problem));
            }
            text
        }
    };
    format!(
        "| {status} | {} | {principal} | {reaches} | {} | {} | {blast} | {owner} |\n",
        md(&p.party()),
        md(&super::short_actions(&p.actions)),
        session_text(p).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_the_diagram_and_one_row_per_path() {
        let inventory = super::super::example_inventory();
        let text = render(&inventory);
        assert!(text.starts_with("<!-- trustgate-inventory -->\n"));
        assert!(text.contains("```mermaid\nflowchart LR\n"));
        let rows = text
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Status"))
            .count();
        assert_eq!(rows, inventory.paths().count());
    }
}
