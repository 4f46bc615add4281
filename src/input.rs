//! Reading input files: bytes from a path or stdin, encoding sniffing (UTF-8 with/without BOM,
//! UTF-16 LE/BE with BOM), and recognising captures that are not plain JSON (setup-terraform wrapper).
//!
//! INTERFACE CONTRACT: `Source`, `read_text`, `read_raw`, `read_text_mapped`, `map_large_file`,
//! `text_from_map`, `Text`.

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

/// Files at least this large are mapped into memory by `read_text_mapped` rather than copied.
pub const MAP_THRESHOLD_BYTES: u64 = 1024 * 1024;

/// Input text, owned or mapped read-only from its file; derefs to `str`.
pub struct Text {
    inner: TextInner,
}

enum TextInner {
    Owned(String),
    /// `map[start..]` is valid UTF-8 (checked when the map was made; `start` skips a UTF-8 byte-order mark).
    Mapped {
        map: memmap2::Mmap,
        start: usize,
    },
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.inner {
            TextInner::Owned(text) => text,
            // SAFETY: validated as UTF-8 in `text_from_map`, and the map is read-only.
            TextInner::Mapped { map, start } => unsafe { std::str::from_utf8_unchecked(&map[*start..]) },
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.inner {
            TextInner::Owned(_) => "owned",
            TextInner::Mapped { .. } => "mapped",
        };
        write!(f, "Text({kind}, {} bytes)", self.len())
    }
}

impl Text {
    /// True when the text is read straight from the file's pages (no copy).
    pub fn is_mapped(&self) -> bool {
        matches!(self.inner, TextInner::Mapped { .. })
    }
}

/// Like `read_text` (same checks, same messages), but a regular UTF-8 file of `MAP_THRESHOLD_BYTES` or more
/// is mapped into memory instead of copied: plans run to hundreds of megabytes, and copying them costs as
/// much time as parsing them and doubles the page faults. UTF-16 files, small files, standard input and
/// anything that cannot be mapped are read as by `read_text`.
///
/// The map is read-only and private, but like every file map it assumes the file is not truncated or
/// rewritten while trustgate runs (a plan file is written before it is checked).
pub fn read_text_mapped(source: &Source) -> Result<Text> {
    if let Some(map) = map_large_file(source) {
        return text_from_map(map, &source.display_path());
    }
    read_text(source).map(Text::from)
}

/// A read-only map of `source` when it is a regular file of `MAP_THRESHOLD_BYTES` up to `MAX_INPUT_BYTES`;
/// `None` for anything else or when mapping fails (the caller then reads the input as usual, and reports
/// any error from there). See `read_text_mapped` for why and for the assumption it makes.
pub fn map_large_file(source: &Source) -> Option<memmap2::Mmap> {
    let Source::File(file_path) = source else {
        return None;
    };
    let metadata = std::fs::metadata(file_path).ok()?;
    if !metadata.is_file() || !(MAP_THRESHOLD_BYTES..=MAX_INPUT_BYTES).contains(&metadata.len()) {
        return None;
    }
    let file = std::fs::File::open(file_path).ok()?;
    // SAFETY: a read-only private map of a regular file; see the note on file changes at `read_text_mapped`.
    unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text {
            inner: TextInner::Owned(text),
        }
    }
}

/// The text of a mapped file, decoded as `decode_text` does (same messages); UTF-8 stays in the map.
pub fn text_from_map(map: memmap2::Mmap, path: &Path) -> Result<Text> {
    let start = match map.as_ref() {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => {
            return decode_text(map.to_vec(), path).map(Text::from);
        }
        [0xEF, 0xBB, 0xBF, ..] => 3,
        _ => 0,
    };
    if let Err(err) = std::str::from_utf8(&map[start..]) {
        return Err(invalid_utf8(err.valid_up_to() + start, path));
    }
    Ok(Text {
        inner: TextInner::Mapped { map, start },
    })
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
            // A device (`/dev/zero`, a terminal) or socket is refused before reading; a FIFO is read, as
            // `check <(terraform show -json plan.bin)` passes one.
            if !metadata.is_file() && !is_fifo(&metadata) {
                return Err(Error::Unreadable {
                    path: path.to_path_buf(),
                    reason: "is not a regular file or a pipe (a device or socket), expected a plan file"
                        .to_string(),
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

#[cfg(unix)]
fn is_fifo(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    metadata.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// Largest config or catalog file read (they are hand-written; anything larger is a mistake or an attack).
pub const MAX_SETTINGS_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a small settings file (config, catalog): a regular file only (a device, FIFO or socket is refused
/// before it is opened, so `/dev/zero` cannot exhaust memory and a FIFO cannot block), at most
/// `MAX_SETTINGS_BYTES`, decoded like plans (UTF-8 with or without BOM, UTF-16 with BOM). `path` is read,
/// `shown` is named in messages; `what` says what the file should be. The io error of a file that is
/// missing is passed on, so a caller can treat an absent default file as "none".
pub fn read_settings_file(
    path: &Path,
    shown: &Path,
    what: &str,
) -> std::result::Result<String, SettingsError> {
    let unreadable = |reason: String| {
        SettingsError::Other(Error::Unreadable {
            path: shown.to_path_buf(),
            reason,
        })
    };
    let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => SettingsError::NotFound(err),
        _ => unreadable(os_reason(&err)),
    })?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a directory"
        } else {
            "not a regular file (a device, FIFO or socket)"
        };
        return Err(unreadable(format!("is {kind}, expected {what}")));
    }
    let limit = MAX_SETTINGS_BYTES;
    if metadata.len() > limit {
        return Err(unreadable(format!(
            "file is too large ({} bytes; the limit for {what} is {limit} bytes = 16 MiB)",
            metadata.len()
        )));
    }
    let file = std::fs::File::open(path).map_err(|err| unreadable(os_reason(&err)))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| unreadable(os_reason(&err)))?;
    if bytes.len() as u64 > limit {
        return Err(unreadable(format!(
            "file is larger than the limit for {what} ({limit} bytes = 16 MiB)"
        )));
    }
    decode_text(bytes, shown).map_err(SettingsError::Other)
}

/// Why a settings file could not be read.
#[derive(Debug)]
pub enum SettingsError {
    NotFound(std::io::Error),
    Other(Error),
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
    String::from_utf8(bytes).map_err(|err| invalid_utf8(err.utf8_error().valid_up_to() + skip, path))
}

fn invalid_utf8(offset: usize, path: &Path) -> Error {
    Error::invalid(
        path,
        format!("byte offset {offset}"),
        "invalid UTF-8 (expected UTF-8 text, or UTF-16 with a byte-order mark)",
    )
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

    /// `read_text_mapped` gives the same text and the same errors as `read_text`, mapped or not.
    #[test]
    fn mapped_reading_agrees_with_read_text() {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(MAP_THRESHOLD_BYTES as usize);
        let cases: Vec<(&str, Vec<u8>, bool)> = vec![
            ("small.json", b"{\"a\":1}".to_vec(), false),
            ("big.json", format!("{{\"a\":\"{big}\"}}").into_bytes(), true),
            (
                "bom.json",
                [b"\xEF\xBB\xBF".as_slice(), format!("\"{big}\"").as_bytes()].concat(),
                true,
            ),
            ("utf16.json", utf16le(&format!("\"{big}\"")), false),
            (
                "bad.json",
                [format!("\"{big}").as_bytes(), b"\xC3\x28\""].concat(),
                true,
            ),
            (
                "bad-bom.json",
                [b"\xEF\xBB\xBF".as_slice(), big.as_bytes(), b"\xFF"].concat(),
                true,
            ),
        ];
        for (name, bytes, mapped) in cases {
            let source = Source::File(dir.path().join(name));
            let Source::File(path) = &source else {
                unreachable!()
            };
            std::fs::write(path, &bytes).unwrap();
            let expected = read_text(&source).map_err(|err| err.to_string());
            let got = read_text_mapped(&source);
            if let Ok(text) = &got {
                assert_eq!(text.is_mapped(), mapped, "{name}");
            }
            assert_eq!(
                got.map(|text| text.to_string()).map_err(|err| err.to_string()),
                expected,
                "{name}"
            );
        }
        let missing = Source::File(dir.path().join("nope.json"));
        assert_eq!(
            read_text_mapped(&missing).unwrap_err().to_string(),
            read_text(&missing).unwrap_err().to_string()
        );
    }

    /// `trustgate check` reads through `terraform::read_plan`: a large plan JSON file is mapped there too.
    #[test]
    fn read_plan_maps_large_json_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        let text = format!("{{\"a\":\"{}\"}}", "x".repeat(MAP_THRESHOLD_BYTES as usize));
        std::fs::write(&path, &text).unwrap();
        let terraform = crate::terraform::Terraform::choose(None);
        let read = crate::terraform::read_plan(&Source::File(path), &terraform).unwrap();
        assert!(read.is_mapped());
        assert_eq!(&*read, text);
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
