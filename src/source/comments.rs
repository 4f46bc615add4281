//! Leading comments of HCL blocks and objects, and the `trustgate:` annotations written in them.
//!
//! A comment belongs to the thing directly below it: the contiguous run of comment lines (`#`, `//`, or a
//! `/* … */` block) that ends on the line just above, with no blank line in between. Inside that run, an
//! annotation starts at `trustgate:` and continues over the following comment lines while they hold
//! `key=value` pairs or an open quoted value:
//!
//! ```hcl
//! # trustgate: owner=@platform expiry=2027-03-31
//! #   justification="Datadog integration,
//! #   SEC-1234"
//! resource "aws_iam_role" "datadog" { … }
//! ```

use std::path::Path;

pub use crate::annotation::CommentAnnotation;
use crate::annotation::{Annotation, Origin};

/// The text of the comment lines directly above one-based `line` of `lines`, with comment markers removed,
/// as (line number, text) pairs in file order. Empty when the line above is code or blank.
pub fn comment_above(lines: &[&str], line: usize) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut index = line.saturating_sub(1); // zero-based index of the block's line
    while index > 0 {
        let above = lines.get(index - 1).map_or("", |l| l.trim());
        if let Some(text) = above.strip_prefix('#').or_else(|| above.strip_prefix("//")) {
            found.push((index, text.to_string()));
            index -= 1;
        } else if above.ends_with("*/") {
            // a block comment: walk up to its opening line
            let mut block = Vec::new();
            let mut cursor = index;
            let mut opened = false;
            while cursor > 0 {
                let text = lines.get(cursor - 1).map_or("", |l| l.trim());
                block.push((cursor, text.to_string()));
                cursor -= 1;
                if let Some(at) = text.find("/*") {
                    // `x = 1 /* note */` is a trailing comment of code, not a comment above the block.
                    opened = text[..at].trim().is_empty();
                    break;
                }
            }
            if !opened {
                break;
            }
            for (number, text) in block {
                found.push((number, strip_block_markers(&text)));
            }
            index = cursor;
        } else {
            break;
        }
    }
    found.reverse();
    found
}

/// Removes `/*`, `*/` and a leading `*` (the usual gutter of multi-line block comments).
fn strip_block_markers(text: &str) -> String {
    let text = match text.find("/*") {
        Some(at) => &text[at + 2..],
        None => text,
    };
    let text = text.strip_suffix("*/").unwrap_or(text);
    let trimmed = text.trim_start();
    trimmed.strip_prefix('*').unwrap_or(trimmed).to_string()
}

const KEYS: [&str; 3] = ["owner", "expiry", "justification"];

/// Reads the `trustgate:` annotation in a comment run, if there is one. `file` is the display path used in
/// the origin and in problems.
pub fn parse_annotation(
    comment: &[(usize, String)],
    file: &Path,
    statement: Option<usize>,
) -> Option<CommentAnnotation> {
    let start = comment
        .iter()
        .position(|(_, text)| text.trim_start().starts_with("trustgate:"))?;
    let first_line = comment[start].0;
    let mut annotation = Annotation {
        owner: None,
        expiry: None,
        justification: None,
        origin: Origin::Comment {
            file: file.to_path_buf(),
            line: first_line,
            statement,
        },
    };
    let mut problems = Vec::new();
    let place = |line: usize| format!("{}:{line}", file.display());

    // Gather the annotation's text: the rest of the `trustgate:` line, then continuation lines.
    let mut pieces: Vec<(usize, String)> = Vec::new();
    let head = comment[start].1.trim_start();
    pieces.push((first_line, head["trustgate:".len()..].to_string()));
    let mut open_quote = quote_open(&pieces[0].1);
    for (number, text) in &comment[start + 1..] {
        if open_quote || starts_with_pair(text) {
            pieces.push((*number, text.clone()));
            open_quote ^= quote_open(text);
        } else {
            break;
        }
    }

    // Tokenise `key=value` pairs; quoted values may run over lines (joined with one space).
    let mut chars: Vec<(usize, char)> = Vec::new();
    for (i, (number, text)) in pieces.iter().enumerate() {
        if i > 0 {
            chars.push((*number, '\n'));
        }
        chars.extend(text.trim().chars().map(|c| (*number, c)));
    }
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].1.is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let line = chars[i].0;
        let key_start = i;
        while i < chars.len() && !chars[i].1.is_whitespace() && chars[i].1 != '=' {
            i += 1;
        }
        let key: String = chars[key_start..i].iter().map(|(_, c)| c).collect();
        if i >= chars.len() || chars[i].1 != '=' {
            problems.push(format!(
                "{}: \"{key}\" in the trustgate annotation is not a key=value pair",
                place(line)
            ));
            continue;
        }
        i += 1; // '='
        let mut value = String::new();
        if i < chars.len() && chars[i].1 == '"' {
            i += 1;
            let mut closed = false;
            while i < chars.len() {
                match chars[i].1 {
                    '\\' if i + 1 < chars.len() && chars[i + 1].1 == '"' => {
                        value.push('"');
                        i += 2;
                    }
                    '"' => {
                        closed = true;
                        i += 1;
                        break;
                    }
                    '\n' => {
                        value.push(' ');
                        i += 1;
                    }
                    c => {
                        value.push(c);
                        i += 1;
                    }
                }
            }
            if !closed {
                problems.push(format!(
                    "{}: the quoted value of {key} in the trustgate annotation is not closed",
                    place(line)
                ));
            }
            value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        } else {
            while i < chars.len() && !chars[i].1.is_whitespace() {
                value.push(chars[i].1);
                i += 1;
            }
        }
        let slot = match key.as_str() {
            "owner" => &mut annotation.owner,
            "expiry" => &mut annotation.expiry,
            "justification" => &mut annotation.justification,
            other => {
                let suggestion = KEYS
                    .iter()
                    .find(|k| crate::annotation::edit_distance(&other.to_lowercase(), k) <= 2)
                    .map(|k| format!("; did you mean {k}?"))
                    .unwrap_or_else(|| "; the keys are owner, expiry and justification".to_string());
                problems.push(format!(
                    "{}: unknown key \"{other}\" in the trustgate annotation{suggestion}",
                    place(line)
                ));
                continue;
            }
        };
        if slot.is_some() {
            problems.push(format!(
                "{}: {key} is set twice in the trustgate annotation",
                place(line)
            ));
        }
        *slot = Some(value);
    }
    Some(CommentAnnotation { annotation, problems })
}

/// Whether `text` leaves a double quote open (an odd number of unescaped quotes).
fn quote_open(text: &str) -> bool {
    let mut open = false;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => open = !open,
            _ => {}
        }
        escaped = false;
    }
    open
}

/// Whether a comment line starts with `word=`, i.e. continues an annotation's pairs.
fn starts_with_pair(text: &str) -> bool {
    let text = text.trim_start();
    let key_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    key_len > 0 && text[key_len..].starts_with('=')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn above(text: &str, line: usize) -> Vec<(usize, String)> {
        let lines: Vec<&str> = text.lines().collect();
        comment_above(&lines, line)
    }

    fn parse(text: &str, line: usize) -> Option<CommentAnnotation> {
        parse_annotation(&above(text, line), Path::new("main.tf"), None)
    }

    #[test]
    fn hash_slash_and_block_comments_are_collected() {
        let text = "x = 1\n# a\n// b\n/* c\n * d */\nresource \"r\" \"n\" {}\n";
        assert_eq!(
            above(text, 6),
            vec![
                (2, " a".to_string()),
                (3, " b".to_string()),
                (4, "c".to_string()),
                (5, " d ".to_string())
            ]
        );
        assert!(above("# a\n\nresource {}\n", 3).is_empty());
        assert!(above("resource {}\n", 1).is_empty());
        assert!(above("x */\nresource {}\n", 2).is_empty());
        assert!(above("# a\nx = 1 /* trailing */\nresource {}\n", 3).is_empty());
    }

    #[test]
    fn reads_an_annotation_over_several_lines() {
        let text = "# Role for Datadog.\n# trustgate: owner=@platform expiry=2027-03-31\n\
                    #   justification=\"Datadog integration,\n#   SEC-1234\"\n# unrelated prose\nresource {}\n";
        let found = parse(text, 6).unwrap();
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert_eq!(found.annotation.owner.as_deref(), Some("@platform"));
        assert_eq!(found.annotation.expiry.as_deref(), Some("2027-03-31"));
        assert_eq!(
            found.annotation.justification.as_deref(),
            Some("Datadog integration, SEC-1234")
        );
        assert_eq!(
            found.annotation.origin,
            Origin::Comment {
                file: "main.tf".into(),
                line: 2,
                statement: None
            }
        );
    }

    #[test]
    fn block_comment_annotation() {
        let text = "/* trustgate: owner=@a expiry=2027-01-01 justification=\"long enough text\" */\nr {}\n";
        let found = parse(text, 2).unwrap();
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert_eq!(
            found.annotation.justification.as_deref(),
            Some("long enough text")
        );
    }

    #[test]
    fn malformed_annotations_name_their_line() {
        let found = parse(
            "# trustgate: ownr=@a expiry=2027-01-01 justification=\"open\nr {}\n",
            2,
        )
        .unwrap();
        assert_eq!(
            found.problems,
            vec![
                "main.tf:1: unknown key \"ownr\" in the trustgate annotation; did you mean owner?",
                "main.tf:1: the quoted value of justification in the trustgate annotation is not closed",
            ]
        );
        let found = parse("# trustgate: owner\nr {}\n", 2).unwrap();
        assert_eq!(
            found.problems,
            vec!["main.tf:1: \"owner\" in the trustgate annotation is not a key=value pair"]
        );
        assert!(parse("# just a comment\nr {}\n", 2).is_none());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "[#/*\\\"= a-z\\n:]{0,80}", line in 0usize..12) {
            let lines: Vec<&str> = text.lines().collect();
            let comment = comment_above(&lines, line);
            let _ = parse_annotation(&comment, Path::new("f.tf"), Some(1));
            let prefixed: Vec<(usize, String)> =
                comment.into_iter().map(|(n, t)| (n, format!("trustgate: {t}"))).collect();
            let _ = parse_annotation(&prefixed, Path::new("f.tf"), None);
        }
    }
}
