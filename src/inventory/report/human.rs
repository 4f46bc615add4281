//! The inventory for a terminal: grouped by external party, so everything one vendor can reach is one screen.

use std::fmt::Write;

use super::{expiry_text, session_text};
use crate::annotation::Origin;
use crate::inventory::{Inventory, PathStatus, TrustPath};
use crate::report::escape::terminal;
use crate::report::human::Painter;

pub fn render(inventory: &Inventory, color: bool) -> String {
    let p = Painter { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} standing trust on {} ({} file{})",
        p.bold("trustgate inventory:"),
        inventory.today,
        inventory.files.len(),
        if inventory.files.len() == 1 { "" } else { "s" }
    );
    for file in &inventory.files {
        let boundary: Vec<String> = file.boundary.boundary.members().map(|id| terminal(id)).collect();
        let _ = writeln!(
            out,
            "  {} ({}, {} resources, {} paths): boundary {} ({}: {})",
            terminal(&file.file.display().to_string()),
            file.kind.as_str(),
            file.resources,
            file.paths.len(),
            if boundary.is_empty() {
                "none".to_string()
            } else {
                boundary.join(", ")
            },
            file.boundary.source.as_str(),
            terminal(&file.boundary.detail)
        );
        for line in file.diagnostics.iter().chain(file.notes.iter()) {
            let _ = writeln!(out, "    {} {}", p.yellow("note:"), terminal(line));
        }
    }
    let several_files = inventory.files.len() > 1;
    for (party, paths) in inventory.by_party() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} — {} path{}",
            p.bold(&terminal(&party)),
            paths.len(),
            if paths.len() == 1 { "" } else { "s" }
        );
        for path in paths {
            render_path(&mut out, path, several_files, p);
        }
    }
    let _ = writeln!(out);
    let counts: Vec<String> = PathStatus::ALL
        .into_iter()
        .map(|s| format!("{} {}", inventory.count(s), s.as_str()))
        .collect();
    let total = inventory.paths().count();
    let verdict = if inventory.exit_code() == 0 {
        p.green("✓ PASS")
    } else {
        p.red("✗ FAIL")
    };
    let _ = writeln!(out, "{verdict} {total} trust paths: {}", counts.join(", "));
    out
}

fn status_word(status: PathStatus, p: Painter) -> String {
    let word = status.as_str();
    match status {
        PathStatus::Approved => p.green(word),
        PathStatus::Expiring => p.yellow(word),
        PathStatus::Expired | PathStatus::Invalid | PathStatus::Unannotated => p.red(word),
    }
}

fn render_path(out: &mut String, path: &TrustPath, several_files: bool, p: Painter) {
    let place = if several_files {
        format!(" in {}", terminal(&path.file.display().to_string()))
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {} {}.{}{place}",
        status_word(path.status, p),
        terminal(&path.address),
        terminal(&path.attribute),
    );
    let principal = if path.principal.is_empty() {
        "?".to_string()
    } else {
        terminal(&path.principal)
    };
    let _ = writeln!(
        out,
        "      {} {principal} ({}) can {}",
        p.dim("who:"),
        path.class.as_str(),
        terminal(&super::short_actions(&path.actions))
    );
    if !path.reason.is_empty() {
        let _ = writeln!(out, "      {} {}", p.dim("why unknown:"), terminal(&path.reason));
    }
    if !path.conditions.is_empty() {
        let _ = writeln!(
            out,
            "      {} {}",
            p.dim("only if:"),
            terminal(&path.conditions.join(" and "))
        );
    }
    if path.broad {
        let _ = writeln!(
            out,
            "      {} {}",
            p.yellow("broad:"),
            terminal(path.fix.as_deref().unwrap_or("narrow the principal"))
        );
    }
    if let Some(session) = session_text(path) {
        let _ = writeln!(out, "      {} {session}", p.dim("sessions up to:"));
    }
    if let Some(grants) = &path.permissions {
        let names: Vec<String> = grants
            .iter()
            .map(|g| terminal(crate::blast::short_policy(&g.policy)))
            .collect();
        let text = if names.is_empty() {
            "no policies attached".to_string()
        } else {
            names.join(", ")
        };
        let _ = writeln!(out, "      {} {text}", p.dim("once assumed:"));
    }
    for why in &path.privileged {
        let _ = writeln!(out, "      {} {}", p.red("privileged:"), terminal(why));
    }
    match &path.annotation {
        None => {
            let _ = writeln!(out, "      {} none", p.dim("annotation:"));
        }
        Some(annotation) => {
            let owner = annotation.owner.as_deref().unwrap_or("?");
            let expiry = expiry_text(path).unwrap_or_else(|| "?".to_string());
            let _ = writeln!(
                out,
                "      {} owner {}, expires {}, from {}",
                p.dim("annotation:"),
                terminal(owner),
                terminal(&expiry),
                origin_text(&annotation.origin)
            );
            if let Some(justification) = &annotation.justification {
                let _ = writeln!(out, "      {} {}", p.dim("why:"), terminal(justification));
            }
        }
    }
    for problem in &path.annotation_problems {
        let _ = writeln!(out, "      {} {}", p.red("problem:"), terminal(problem));
    }
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::Tags => "tags".to_string(),
        Origin::Exception { file, line } => {
            format!("exception at {}:{line}", terminal(&file.display().to_string()))
        }
        Origin::Comment { file, line, .. } => {
            format!("comment at {}:{line}", terminal(&file.display().to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_party_and_escapes() {
        let inventory = super::super::example_inventory();
        let text = render(&inventory, false);
        assert!(text.contains("Datadog (464622532012) — 1 path"), "{text}");
        assert!(!text.contains('\u{1b}'));
        let coloured = render(&inventory, true);
        assert!(coloured.contains('\u{1b}'));
    }
}
