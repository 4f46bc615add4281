//! A bound on how deeply HCL text nests, checked before a parser sees it. The HCL parsers recurse once per
//! level of `(`, `[`, `{` and template interpolation, so 5,000 parentheses overflowed the stack (SIGABRT,
//! no message); text nesting deeper than [`MAX_DEPTH`] is refused with a diagnostic instead.
//!
//! The scan is a small lexer: it skips comments and the literal parts of quoted strings and heredocs, and
//! counts `${` / `%{` inside them as a level, so brackets in a string (`"arn:…[*]"`) do not count but an
//! expression nested inside a template does.

/// Deepest nesting accepted: the limit hcl-edit applies to expressions ("expected at most 64 nested
/// levels"), here for every kind of level, blocks included. Real configurations nest a dozen at most.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Code,
    /// Inside `"…"`.
    Quoted,
    /// Inside a heredoc body; the terminator word is matched at the start of a line.
    Heredoc,
}

/// `Err` with a message naming the line when `text` nests deeper than [`MAX_DEPTH`].
pub fn check(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    // Each open level remembers the mode to return to when it closes.
    let mut stack: Vec<Mode> = Vec::new();
    let mut mode = Mode::Code;
    let mut heredoc_ends: Vec<String> = Vec::new();
    let mut line = 1usize;
    let mut i = 0usize;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        if b == b'\n' {
            line += 1;
            line_start = true;
            i += 1;
            continue;
        }
        let at_line_start = line_start;
        line_start = false;
        match mode {
            Mode::Code => match b {
                b'#' => i = skip_to_line_end(bytes, i),
                b'/' if next == Some(b'/') => i = skip_to_line_end(bytes, i),
                b'/' if next == Some(b'*') => {
                    let end = text[i + 2..].find("*/").map_or(bytes.len(), |e| i + 2 + e + 2);
                    line += text[i..end].matches('\n').count();
                    i = end;
                }
                b'"' => {
                    stack.push(Mode::Code);
                    mode = Mode::Quoted;
                    i += 1;
                }
                b'<' if next == Some(b'<') => {
                    let mut j = i + 2;
                    if bytes.get(j) == Some(&b'-') {
                        j += 1;
                    }
                    let word: String = text[j..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if word.is_empty() {
                        i += 2;
                    } else {
                        heredoc_ends.push(word.clone());
                        stack.push(Mode::Code);
                        mode = Mode::Heredoc;
                        i = skip_to_line_end(bytes, j + word.len());
                    }
                }
                b'(' | b'[' | b'{' => {
                    stack.push(Mode::Code);
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    mode = stack.pop().unwrap_or(Mode::Code);
                    i += 1;
                }
                _ => i += 1,
            },
            Mode::Quoted | Mode::Heredoc => {
                if mode == Mode::Heredoc && at_line_start {
                    let rest = text[i..].trim_start_matches([' ', '\t']);
                    let end = heredoc_ends.last().map(String::as_str).unwrap_or_default();
                    let word: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !end.is_empty() && word == end {
                        heredoc_ends.pop();
                        mode = stack.pop().unwrap_or(Mode::Code);
                        i = skip_to_line_end(bytes, i);
                        continue;
                    }
                }
                match b {
                    b'\\' if mode == Mode::Quoted => i += 2,
                    b'"' if mode == Mode::Quoted => {
                        mode = stack.pop().unwrap_or(Mode::Code);
                        i += 1;
                    }
                    b'$' | b'%' if next == Some(b'{') => {
                        if bytes.get(i.wrapping_sub(1)) == Some(&b) && i > 0 {
                            // `$${` / `%%{` is an escaped literal.
                            i += 2;
                            continue;
                        }
                        stack.push(mode);
                        mode = Mode::Code;
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
        }
        if stack.len() > MAX_DEPTH {
            return Err(format!("line {line}: nests deeper than {MAX_DEPTH} levels"));
        }
    }
    Ok(())
}

fn skip_to_line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_configurations_pass() {
        let text = "resource \"a\" \"b\" {\n  x = [for k, v in var.m : { (k) = \"${v[\"y\"]}\" }]\n  # [[[[[\n  s = \"[[[[[[\"\n  p = <<-EOF\n    {\"a\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  EOF\n}\n";
        assert_eq!(check(text), Ok(()));
    }

    #[test]
    fn deep_nesting_is_refused_with_the_line() {
        for text in [
            format!("x = {}1{}\n", "(".repeat(5_000), ")".repeat(5_000)),
            format!("x = {}\n", "[".repeat(100_000)),
            "a {\n".repeat(20_000),
            format!("x = \"{}\"\n", "${\"".repeat(40)),
        ] {
            let err = check(&text).unwrap_err();
            assert!(err.contains("nests deeper than"), "{err}");
        }
        let err = check(&format!("\n\nx = {}", "(".repeat(65))).unwrap_err();
        assert!(err.starts_with("line 3:"), "{err}");
    }

    #[test]
    fn the_limit_parses_without_overflow_on_a_small_stack() {
        // The parsers run on rayon threads (2 MiB stacks): the deepest accepted text must parse there.
        let text = format!("x = {}1{}\n", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(check(&text), Ok(()));
        let blocks = format!("{}{}", "a {\n".repeat(MAX_DEPTH), "}\n".repeat(MAX_DEPTH));
        assert_eq!(check(&blocks), Ok(()));
        let lists = format!("x = {}1{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                // Parsed or rejected, but returned: an overflow would abort the test binary.
                let _ = hcl::edit::parser::parse_body(&text);
                let _ = hcl::parse(&text);
                assert!(hcl::edit::parser::parse_body(&blocks).is_ok());
                let _ = hcl::parse(&blocks);
                let _ = hcl::parse(&lists);
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
