//! Where reports go: `--format` to standard output, `--output FORMAT=PATH` (repeatable) to files. Files are
//! written whole or not at all, and a run that cannot write every file leaves none of its files behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Format;
use crate::error::{Error, Result};
use crate::judge::Report;

/// One `--output` value: `FORMAT=PATH`, or a bare `PATH` meaning the `--format` format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    pub format: Option<Format>,
    pub path: PathBuf,
}

/// Parses an `--output` value. A prefix before `=` that is a single word must be a format name, so a typo
/// such as `jsno=out.json` is an error rather than a file named `jsno=out.json` (write `./jsno=out.json`).
pub fn parse_spec(value: &str) -> std::result::Result<OutputSpec, String> {
    let (format, path) = match value.split_once('=') {
        Some((name, path)) if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic()) => {
            let format = Format::ALL
                .into_iter()
                .find(|f| f.as_str().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    format!(
                        "unknown format {name:?} in FORMAT=PATH (one of {}); for a file name with `=`, write ./{value}",
                        Format::ALL.map(Format::as_str).join(", ")
                    )
                })?;
            (Some(format), path)
        }
        _ => (None, value),
    };
    if path.is_empty() {
        return Err("the output path is empty".to_string());
    }
    Ok(OutputSpec {
        format,
        path: PathBuf::from(path),
    })
}

/// What one run writes: the format for standard output (none when a bare `--output PATH` took it) and the
/// files with their formats, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destinations {
    pub stdout: Option<Format>,
    pub files: Vec<(Format, PathBuf)>,
}

impl Destinations {
    pub fn new(format: Format, specs: &[OutputSpec]) -> Result<Destinations> {
        let mut stdout = Some(format);
        let mut files: Vec<(Format, PathBuf)> = Vec::new();
        for spec in specs {
            if spec.format.is_none() {
                stdout = None;
            }
            if files.iter().any(|(_, path)| *path == spec.path) {
                return Err(Error::Usage(format!(
                    "{} is given to --output twice",
                    spec.path.display()
                )));
            }
            files.push((spec.format.unwrap_or(format), spec.path.clone()));
        }
        Ok(Destinations { stdout, files })
    }

    /// Standard output alone, in `format`.
    pub fn stdout(format: Format) -> Destinations {
        Destinations {
            stdout: Some(format),
            files: Vec::new(),
        }
    }
}

/// Writes the report's files (all or none), then standard output.
pub fn emit(report: &Report, destinations: &Destinations, color: bool) -> Result<()> {
    let files: Vec<(PathBuf, String)> = destinations
        .files
        .iter()
        .map(|(format, path)| (path.clone(), super::render(report, *format, false)))
        .collect();
    write_all(&files)?;
    if let Some(format) = destinations.stdout {
        write_stdout(&super::render(report, format, color));
    }
    Ok(())
}

/// Writes to standard output; a closed pipe (`trustgate … | head`) ends the output quietly.
pub fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Writes one file whole or not at all: a temporary file beside the target, renamed over it.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    write_all(&[(path.to_path_buf(), text.to_string())])
}

/// Writes every file whole, or none of them: all are first written to temporary files beside their
/// targets, then renamed into place. On any failure the temporary files, and targets this run already
/// renamed into place, are removed.
pub fn write_all(files: &[(PathBuf, String)]) -> Result<()> {
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, &Path)]| {
        for (temp, _) in temps {
            let _ = std::fs::remove_file(temp);
        }
    };
    for (i, (path, text)) in files.iter().enumerate() {
        let result = temp_path(path, i).and_then(|temp| {
            std::fs::write(&temp, text)
                .map(|()| temp.clone())
                .inspect_err(|_| {
                    let _ = std::fs::remove_file(&temp);
                })
                .map_err(|e| unwritable(path, &e))
        });
        match result {
            Ok(temp) => temps.push((temp, path)),
            Err(error) => {
                cleanup(&temps);
                return Err(error);
            }
        }
    }
    for (i, (temp, path)) in temps.iter().enumerate() {
        if let Err(e) = std::fs::rename(temp, path) {
            cleanup(&temps[i..]);
            for (_, done) in &temps[..i] {
                let _ = std::fs::remove_file(done);
            }
            return Err(unwritable(path, &e));
        }
    }
    Ok(())
}

fn unwritable(path: &Path, e: &std::io::Error) -> Error {
    Error::Unwritable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn temp_path(path: &Path, index: usize) -> Result<PathBuf> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| unwritable(path, &std::io::Error::other("not a file name")))?;
    Ok(dir.join(format!(
        ".{}.trustgate-{}-{index}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_format_prefixed_and_bare_paths() {
        let spec = parse_spec("sarif=out/results.sarif").unwrap();
        assert_eq!(spec.format, Some(Format::Sarif));
        assert_eq!(spec.path, PathBuf::from("out/results.sarif"));
        assert_eq!(parse_spec("report.json").unwrap().format, None);
        assert_eq!(
            parse_spec("./a=b.json").unwrap().path,
            PathBuf::from("./a=b.json")
        );
        assert_eq!(
            parse_spec("Markdown=x.md").unwrap().format,
            Some(Format::Markdown)
        );
        assert!(parse_spec("jsno=x.json").unwrap_err().contains("unknown format"));
        assert!(parse_spec("json=").is_err());
        assert!(parse_spec("").is_err());
    }

    #[test]
    fn bare_output_takes_standard_output() {
        let specs = [
            parse_spec("a.json").unwrap(),
            parse_spec("sarif=b.sarif").unwrap(),
        ];
        let d = Destinations::new(Format::Json, &specs).unwrap();
        assert_eq!(d.stdout, None);
        assert_eq!(
            d.files,
            vec![
                (Format::Json, PathBuf::from("a.json")),
                (Format::Sarif, PathBuf::from("b.sarif"))
            ]
        );
        let d = Destinations::new(Format::Github, &specs[1..]).unwrap();
        assert_eq!(d.stdout, Some(Format::Github));
        let twice = [parse_spec("a").unwrap(), parse_spec("json=a").unwrap()];
        assert!(Destinations::new(Format::Human, &twice).is_err());
    }

    #[test]
    fn all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.json");
        let bad = dir.path().join("missing-dir/b.sarif");
        let err = write_all(&[(good.clone(), "a".into()), (bad, "b".into())]).unwrap_err();
        assert!(err.to_string().contains("missing-dir"), "{err}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "nothing left behind: {left:?}");
        write_all(&[(good.clone(), "a".into())]).unwrap();
        assert_eq!(std::fs::read_to_string(&good).unwrap(), "a");
    }
}
