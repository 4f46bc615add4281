//! The HCL source reader and evaluator: a configuration as text → files in a scratch directory → the
//! source index (`SourceIndex::load`: parse, index blocks, annotations, local modules) → every policy
//! attribute of the catalog evaluated from source and paired into sites, as `trustgate diff` does against
//! an empty base; then each site resolved by its address, as `check --source` does.
//!
//! The input is one or more files: text up to the first marker line is `main.tf`; a line
//! `#@file PATH` (an HCL comment, so a seed stays readable) starts the file PATH, relative to the root
//! module (`variables.tf`, `terraform.tfvars`, `modules/x/main.tf`, …). `fuzz/seed.sh` turns each directory
//! of `testdata/` into one such input.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trustgate::catalog::Catalog;
use trustgate::source::diff;
use trustgate::source::{Evaluator, SourceIndex};

const MARKER: &str = "#@file ";
const MAX_FILES: usize = 16;

fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a scratch directory"))
        .path()
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::builtin)
}

/// A relative path of plain names (no `..`, no root), or None.
fn relative(name: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = name.trim().split('/').collect();
    let plain = |p: &&str| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    };
    (parts.len() <= 4 && parts.iter().all(plain)).then(|| parts.iter().collect())
}

/// Splits the input into (relative path, text) files.
fn files(text: &str) -> Vec<(PathBuf, &str)> {
    let mut out = Vec::new();
    let mut name = PathBuf::from("main.tf");
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if let Some(next) = line.strip_prefix(MARKER) {
            out.push((name, &text[start..at]));
            name = relative(next).unwrap_or_else(|| PathBuf::from("main.tf"));
            start = at + line.len();
        }
        at += line.len();
    }
    out.push((name, &text[start..]));
    out.truncate(MAX_FILES);
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let root = scratch().join("w").join("root");
    let _ = std::fs::remove_dir_all(scratch().join("w"));
    for (name, body) in files(text) {
        let path = root.join(name);
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            continue;
        }
        // A name that is already a directory (or the parent of a later file) is skipped.
        let _ = std::fs::write(&path, body);
    }
    let index = SourceIndex::load(&root, None);
    let sites = diff::sites(
        &SourceIndex::default(),
        &index,
        catalog(),
        &Default::default(),
        true,
    )
    .sites;
    // Each site again as `check --source` resolves a policy the plan only knows after apply (module outputs
    // included), by its instance address.
    let evaluator = Evaluator::new(&index, None);
    for site in &sites {
        let _ = evaluator.resolve(&site.module_address, &site.address, &site.attribute);
    }
});
