//! Reading input files: bytes from a path or stdin, encoding sniffing (UTF-8 with/without BOM,
//! UTF-16 LE/BE with BOM), and recognising captures that are not plain JSON (setup-terraform wrapper).
//!
//! INTERFACE CONTRACT: `Source`, `read_text`.

use std::path::{Path, PathBuf};

use crate::error::Result;

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
pub fn read_text(_source: &Source) -> Result<String> {
    unimplemented!("input")
}
