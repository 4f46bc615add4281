//! Escaping untrusted text (policy strings, addresses, tag values) for each place it is shown.

use std::fmt::Write;

/// For a terminal: control characters (C0, DEL, C1) and bidirectional overrides become visible `\u{…}`
/// escapes, so a policy string cannot move the cursor, recolour the screen or reorder what is shown.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(needs_terminal_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_terminal_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_terminal_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_controls_and_bidi_but_keeps_text() {
        assert_eq!(terminal("arn:aws:iam::1:role/x"), "arn:aws:iam::1:role/x");
        assert_eq!(terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal("x\ny\tz\u{7f}\u{9b}"), "x\\u{a}y\\u{9}z\\u{7f}\\u{9b}");
        assert_eq!(terminal("evil\u{202E}txt"), "evil\\u{202e}txt");
        assert_eq!(terminal("Zürich ✓"), "Zürich ✓");
    }
}
