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

/// For Markdown (GitHub Flavored, in a table cell or a paragraph, optionally inside `<code>`): control
/// characters become visible escapes (as for a terminal), then every character that could start markup,
/// HTML, an entity, a table cell or a link becomes a numeric character reference, and `@` and `#` are
/// followed by a word joiner so `@org/team` renders as text without notifying anyone and `#123` links nothing. Safe to cut between characters of
/// the result only at the boundaries of whole escaped strings (callers never cut inside one).
pub fn markdown(text: &str) -> String {
    let visible = terminal(text);
    let mut out = String::with_capacity(visible.len() + 8);
    for c in visible.chars() {
        match c {
            '&' | '<' | '>' | '|' | '`' | '*' | '_' | '[' | ']' | '\\' | '~' | '!' | '"' | '\'' | '$' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            '#' => out.push_str("&#35;\u{2060}"),
            // A word joiner after `@` and `#` keeps `@org/team` from notifying anyone and `#123` from
            // linking (and cross-referencing) an issue.
            '@' => out.push_str("@\u{2060}"),
            _ => out.push(c),
        }
    }
    out
}

/// For the message part of a GitHub workflow command (`::error …::MESSAGE`): `%`, CR and LF as the
/// runner expects them (`%25`, `%0D`, `%0A`), and every other control character (C0, DEL, C1) and
/// bidirectional override as a visible `\u{…}` escape, as for a terminal: the job log renders ANSI
/// sequences and would otherwise let a policy string recolour or reorder it.
pub fn workflow_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if needs_terminal_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            _ => out.push(c),
        }
    }
    out
}

/// For a property value of a GitHub workflow command (`file=…,title=…`): as for the message, and also
/// `:` and `,`, which would otherwise end the value.
pub fn workflow_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in workflow_data(text).chars() {
        match c {
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

/// A file path as a relative URI reference (SARIF `artifactLocation.uri`): `/`-separated, every byte
/// outside the unreserved set and `/` percent-encoded.
pub fn uri_path(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
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
    #[test]
    fn markdown_neutralises_markup_html_pipes_and_mentions() {
        assert_eq!(markdown("aws_iam_role.x"), "aws&#95;iam&#95;role.x");
        let hostile = "a|b `c` <script>alert(1)</script> @org/team [x](y) *z* \r\n";
        let out = markdown(hostile);
        for bad in ["|", "`", "<", ">", "[", "]", "*", "\r", "\n", "@o"] {
            assert!(!out.contains(bad), "{bad:?} survives in {out}");
        }
        assert!(out.contains("@\u{2060}org/team"));
        assert_eq!(markdown("see #12"), "see &#35;\u{2060}12");
        assert!(out.contains("&#92;u{d}&#92;u{a}"), "controls are shown: {out}");
    }

    #[test]
    fn workflow_escapes() {
        assert_eq!(workflow_data("50% a\r\nb::c"), "50%25 a%0D%0Ab::c");
        assert_eq!(
            workflow_data("x\u{1b}[2J\u{7}\u{0}\u{202e}y"),
            "x\\u{1b}[2J\\u{7}\\u{0}\\u{202e}y"
        );
        assert_eq!(workflow_property("a\u{1b}:b"), "a\\u{1b}%3Ab");
        assert_eq!(
            workflow_property("arn:aws:iam::1:root,x%"),
            "arn%3Aaws%3Aiam%3A%3A1%3Aroot%2Cx%25"
        );
    }

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("testdata/plans/a b.json"), "testdata/plans/a%20b.json");
        assert_eq!(uri_path("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri_path("dir\\main.tf"), "dir/main.tf");
        assert_eq!(uri_path("Zürich.tf"), "Z%C3%BCrich.tf");
    }
}
