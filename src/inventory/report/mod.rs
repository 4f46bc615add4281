//! Inventory emitters: each is a pure function of an `Inventory`, one file per format.

pub mod csv;
pub mod dot;
pub mod human;
pub mod json;
pub mod markdown;
pub mod mermaid;

use super::{Inventory, PathStatus, TrustPath};

/// Output formats of `trustgate inventory`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum InventoryFormat {
    /// Grouped by external party, for people.
    Human,
    /// Stable, versioned JSON (`trustgate/inventory/v1`).
    Json,
    /// Markdown for an issue or a job summary (with the Mermaid diagram when it is small enough).
    Markdown,
    /// One row per trust path, for spreadsheets.
    Csv,
    /// A Mermaid flowchart: external parties → what they reach.
    Mermaid,
    /// A Graphviz DOT graph: external parties → what they reach.
    Dot,
}

impl InventoryFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            InventoryFormat::Human => "human",
            InventoryFormat::Json => "json",
            InventoryFormat::Markdown => "markdown",
            InventoryFormat::Csv => "csv",
            InventoryFormat::Mermaid => "mermaid",
            InventoryFormat::Dot => "dot",
        }
    }

    pub fn parse(text: &str) -> Option<InventoryFormat> {
        [
            InventoryFormat::Human,
            InventoryFormat::Json,
            InventoryFormat::Markdown,
            InventoryFormat::Csv,
            InventoryFormat::Mermaid,
            InventoryFormat::Dot,
        ]
        .into_iter()
        .find(|f| f.as_str() == text)
    }
}

/// Renders the inventory in a format. `color` only affects human output.
pub fn render(inventory: &Inventory, format: InventoryFormat, color: bool) -> String {
    match format {
        InventoryFormat::Human => human::render(inventory, color),
        InventoryFormat::Json => json::render(inventory),
        InventoryFormat::Markdown => markdown::render(inventory),
        InventoryFormat::Csv => csv::render(inventory),
        InventoryFormat::Mermaid => mermaid::render(inventory),
        InventoryFormat::Dot => dot::render(inventory),
    }
}

/// The diagram's edges: (party, target node label, actions label, worst status), one per (party, file,
/// address) with the actions of all its paths merged, in a stable order.
pub(crate) struct Edge {
    pub party: String,
    /// `address` (plus the file when several files were read).
    pub target: String,
    pub actions: String,
    pub status: PathStatus,
}

pub(crate) fn edges(inventory: &Inventory) -> Vec<Edge> {
    let several_files = inventory.files.len() > 1;
    let mut merged: std::collections::BTreeMap<(String, String), (Vec<String>, PathStatus)> =
        std::collections::BTreeMap::new();
    for path in inventory.paths() {
        let target = if several_files {
            format!("{} ({})", path.address, path.file.display())
        } else {
            path.address.clone()
        };
        let entry = merged
            .entry((path.party(), target))
            .or_insert_with(|| (Vec::new(), path.status));
        entry.0.extend(path.actions.iter().cloned());
        entry.1 = worst(entry.1, path.status);
    }
    merged
        .into_iter()
        .map(|((party, target), (mut actions, status))| {
            actions.sort();
            actions.dedup();
            Edge {
                party,
                target,
                actions: short_actions(&actions),
                status,
            }
        })
        .collect()
}

/// The status that needs attention first: unannotated, invalid, expired, expiring, approved.
pub(crate) fn worst(a: PathStatus, b: PathStatus) -> PathStatus {
    let rank = |s: PathStatus| match s {
        PathStatus::Approved => 0,
        PathStatus::Expiring => 1,
        PathStatus::Expired => 2,
        PathStatus::Invalid => 3,
        PathStatus::Unannotated => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// At most three actions, then `+N more`; `access` when none is named.
pub(crate) fn short_actions(actions: &[String]) -> String {
    match actions.len() {
        0 => "access".to_string(),
        1..=3 => actions.join(", "),
        n => format!("{} +{} more", actions[..3].join(", "), n - 3),
    }
}

/// Colour of a status in diagrams (hex, readable on white and dark backgrounds).
pub(crate) fn status_colour(status: PathStatus) -> &'static str {
    match status {
        PathStatus::Approved => "#2da44e",
        PathStatus::Expiring => "#bf8700",
        PathStatus::Expired => "#cf222e",
        PathStatus::Invalid => "#cf222e",
        PathStatus::Unannotated => "#8250df",
    }
}

/// `12 h` for a session length.
pub(crate) fn session_text(path: &TrustPath) -> Option<String> {
    path.session_seconds.map(|seconds| {
        if seconds.is_multiple_of(3600) {
            format!("{} h", seconds / 3600)
        } else {
            format!("{} min", seconds / 60)
        }
    })
}

/// `owner @x, expires 2027-01-31 (in 40 days)`; `expired 2 days ago` for the past.
pub(crate) fn expiry_text(path: &TrustPath) -> Option<String> {
    let expiry = path.annotation.as_ref()?.expiry.as_deref()?;
    Some(match path.expires_in_days {
        Some(days) if days < 0 => format!("{expiry} ({} days ago)", -days),
        Some(0) => format!("{expiry} (today)"),
        Some(days) => format!("{expiry} (in {days} days)"),
        None => expiry.to_string(),
    })
}

#[cfg(test)]
pub(crate) fn example_inventory() -> Inventory {
    use std::path::Path;
    let config = crate::config::parse(
        include_str!("../../../testdata/real/inventory-estate/.trustgate.hcl"),
        Path::new("testdata/real/inventory-estate/.trustgate.hcl"),
    )
    .expect("the fixture config parses");
    let catalog = crate::catalog::Catalog::builtin();
    let today = crate::date::Date::parse_iso("2026-12-03").expect("date");
    let options = super::InventoryOptions {
        flag_accounts: &[],
        flag_orgs: &[],
        config: &config,
        catalog: &catalog,
        today,
        warn_days: 30,
        source_dir: Some(Path::new("testdata/real/inventory-estate/config")),
    };
    let file = super::inventory_text(
        include_str!("../../../testdata/real/inventory-estate/state.json"),
        Path::new("testdata/real/inventory-estate/state.json"),
        &options,
    )
    .expect("the fixture state reads");
    Inventory {
        today,
        warn_days: 30,
        fail_on: vec![PathStatus::Expired, PathStatus::Invalid, PathStatus::Unannotated],
        files: vec![file],
    }
}
