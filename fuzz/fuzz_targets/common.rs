//! What the targets check besides "no panic, no abort, no stall".
// Each target includes this file as a module and uses part of it.
#![allow(dead_code)]

use std::path::Path;

use trustgate::error::Error;

/// An error about a file names that file (the binary prints it as the one line of exit code 2, escaped
/// there by `report::escape::terminal`, so raw text from the input inside it is not a defect).
pub fn check_error(error: &Error, file: &Path) {
    match error {
        Error::Invalid { path, .. } | Error::Unreadable { path, .. } => {
            assert!(
                path.starts_with(file),
                "error names {path:?}, not {file:?}: {error}"
            );
        }
        Error::Usage(_) | Error::Unwritable { .. } => {}
    }
}

/// A rendered report for a terminal, a job log or Markdown carries no raw control character but the
/// newlines that end its lines, and no bidirectional override: text from the input is escaped.
pub fn check_rendered(text: &str, format: &str) {
    let bad = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if let Some(at) = text.find(bad) {
        let line = text[..at].matches('\n').count() + 1;
        let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        panic!(
            "{format} report, line {line}: raw {:?}: {:?}",
            &text[at..].chars().next(),
            &text[start..end]
        );
    }
}
