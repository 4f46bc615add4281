//! Reading input files: bytes from a path or stdin, encoding sniffing (UTF-8 with/without BOM,
//! UTF-16 LE/BE with BOM), and recognising captures that are not plain JSON (setup-terraform wrapper).
//!
//! INTERFACE CONTRACT: `Source`, `read_text`.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Inputs larger than this are refused before reading: a plan this large is not something we can hold
/// in memory next to its parsed form, and usually means the wrong file was passed.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Where an input comes from; `-` means standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn from_arg(arg: &Path) -> Source {
        if arg == Path::new("-") {
            Source::Stdin
        } else {
            Source::File(arg.to_path_buf())
        }
    }

    /// The name used in messages (`<stdin>` for standard input).
    pub fn display_path(&self) -> PathBuf {
        match self {
            Source::Stdin => PathBuf::from("<stdin>"),
            Source::File(p) => p.clone(),
        }
    }
}

/// Reads the whole input and returns it as UTF-8 text (BOM removed, UTF-16 transcoded).
pub fn read_text(source: &Source) -> Result<String> {
    let path = source.display_path();
    let bytes = read_bytes(source, &path)?;
    decode_text(bytes, &path)
}

/// Reads the whole input as bytes, undecoded (for callers that sniff the content first).
pub fn read_raw(source: &Source) -> Result<Vec<u8>> {
    read_bytes(source, &source.display_path())
}

fn read_bytes(source: &Source, path: &Path) -> Result<Vec<u8>> {
    let unreadable = |err: std::io::Error| Error::Unreadable {
        path: path.to_path_buf(),
        reason: os_reason(&err),
    };
    match source {
        Source::File(file_path) => {
            let metadata = std::fs::metadata(file_path).map_err(unreadable)?;
            if metadata.is_dir() {
                return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    reason: "is a directory, expected a plan file".to_string(),
                });
            }
            if metadata.len() > MAX_INPUT_BYTES {
                return Err(too_large(path, metadata.len()));
            }
            let file = std::fs::File::open(file_path).map_err(unreadable)?;
            read_limited(file, path, metadata.len() as usize)
        }
        Source::Stdin => read_limited(std::io::stdin().lock(), path, 0),
    }
}

/// Reads at most `MAX_INPUT_BYTES` (+1 to notice overflow), so a pipe that never ends cannot exhaust memory.
fn read_limited(reader: impl Read, path: &Path, size_hint: usize) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(size_hint);
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::Unreadable {
            path: path.to_path_buf(),
            reason: os_reason(&err),
        })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(path: &Path, size: u64) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        reason: format!("file is too large ({size} bytes; the limit is {MAX_INPUT_BYTES} bytes = 4 GiB)"),
    }
}

/// The OS message without Rust's " (os error N)" suffix, e.g. "No such file or directory".
pub(crate) fn os_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Decodes raw input bytes to UTF-8 text according to the byte-order mark (if any).
pub fn decode_text(bytes: Vec<u8>, path: &Path) -> Result<String> {
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => utf8_from(bytes, 3, path),
        [0xFF, 0xFE, ..] => utf16_from(&bytes[2..], 2, path, u16::from_le_bytes, "UTF-16LE"),
        [0xFE, 0xFF, ..] => utf16_from(&bytes[2..], 2, path, u16::from_be_bytes, "UTF-16BE"),
        _ => utf8_from(bytes, 0, path),
    }
}

fn utf8_from(mut bytes: Vec<u8>, skip: usize, path: &Path) -> Result<String> {
    bytes.drain(..skip);
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to() + skip;
        Error::invalid(
            path,
            format!("byte offset {offset}"),
            "invalid UTF-8 (expected UTF-8 text, or UTF-16 with a byte-order mark)",
        )
    })
}

fn utf16_from(
    body: &[u8],
    body_start: usize,
    path: &Path,
    to_unit: fn([u8; 2]) -> u16,
    encoding: &str,
) -> Result<String> {
    if !body.len().is_multiple_of(2) {
        return Err(Error::invalid(
            path,
            format!("byte offset {}", body_start + body.len() - 1),
            format!("{encoding} text has an odd number of bytes (truncated file?)"),
        ));
    }
    let units = body.chunks_exact(2).map(|pair| to_unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(body.len() / 2);
    for (unit_index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(ch) => text.push(ch),
            Err(err) => {
                // A surrogate pair counts as two units; find the offending unit by its value.
                let bad_unit = err.unpaired_surrogate();
                let offset = find_unit_offset(body, to_unit, bad_unit, unit_index);
                return Err(Error::invalid(
                    path,
                    format!("byte offset {}", body_start + offset),
                    format!("invalid {encoding}: unpaired surrogate 0x{bad_unit:04X}"),
                ));
            }
        }
    }
    Ok(text)
}

/// Byte offset (within `body`) of the first occurrence of `unit` at or after the `decoded_chars`-th unit.
fn find_unit_offset(body: &[u8], to_unit: fn([u8; 2]) -> u16, unit: u16, decoded_chars: usize) -> usize {
    body.chunks_exact(2)
        .enumerate()
        .skip(decoded_chars)
        .find(|(_, pair)| to_unit([pair[0], pair[1]]) == unit)
        .map_or(decoded_chars * 2, |(index, _)| index * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<String> {
        decode_text(bytes.to_vec(), Path::new("p.json"))
    }

    fn utf16le(text: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    fn utf16be(text: &str) -> Vec<u8> {
        let mut out = vec![0xFE, 0xFF];
        out.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        out
    }

    #[test]
    fn plain_utf8_passes_through() {
        assert_eq!(decode(b"{\"a\":1}").unwrap(), "{\"a\":1}");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        assert_eq!(decode(b"\xEF\xBB\xBF{}").unwrap(), "{}");
    }

    #[test]
    fn utf16_le_and_be_are_transcoded() {
        let text = "{\"k\":\"h\u{e9}\u{1F600}\"}";
        assert_eq!(decode(&utf16le(text)).unwrap(), text);
        assert_eq!(decode(&utf16be(text)).unwrap(), text);
    }

    #[test]
    fn unpaired_surrogate_names_byte_offset() {
        let mut bytes = utf16le("{}");
        bytes.extend(0xD800u16.to_le_bytes());
        bytes.extend(u16::to_le_bytes(b'x' as u16));
        let err = decode(&bytes).unwrap_err().to_string();
        assert_eq!(
            err,
            "p.json: byte offset 6: invalid UTF-16LE: unpaired surrogate 0xD800"
        );
    }

    #[test]
    fn odd_length_utf16_is_rejected() {
        let mut bytes = utf16be("{}");
        bytes.push(0);
        let err = decode(&bytes).unwrap_err().to_string();
        assert!(
            err.contains("byte offset 6") && err.contains("odd number of bytes"),
            "{err}"
        );
    }

    #[test]
    fn invalid_utf8_names_byte_offset() {
        let err = decode(b"{\"a\":\"\xC3\x28\"}").unwrap_err().to_string();
        assert!(err.starts_with("p.json: byte offset 6: invalid UTF-8"), "{err}");
        let err = decode(b"\xEF\xBB\xBF{\xFF}").unwrap_err().to_string();
        assert!(err.starts_with("p.json: byte offset 4: invalid UTF-8"), "{err}");
    }

    #[test]
    fn missing_file_and_directory_are_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        let missing = Source::File(dir.path().join("nope.json"));
        let err = read_text(&missing).unwrap_err();
        assert!(matches!(err, Error::Unreadable { .. }));
        assert!(
            err.to_string()
                .ends_with("cannot read: No such file or directory"),
            "{err}"
        );
        let err = read_text(&Source::File(dir.path().to_path_buf())).unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
    }

    #[test]
    fn reads_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.json");
        std::fs::write(&file, utf16le("{\"format_version\":\"1.2\"}")).unwrap();
        assert_eq!(
            read_text(&Source::File(file)).unwrap(),
            "{\"format_version\":\"1.2\"}"
        );
    }
}
