//! The one error type for bad input and usage. Every variant renders as a single line that names the file
//! and the place; the binary maps any `Error` to exit code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read at all.
    #[error("{path}: cannot read: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    /// A file was read but its content is not what we expected.
    /// `place` is e.g. "line 3, column 14" or "resource_changes[4].change.after.policy".
    #[error("{path}: {place}: {message}")]
    Invalid {
        path: PathBuf,
        place: String,
        message: String,
    },
    /// Wrong use of the command line that clap cannot catch (e.g. a bad --today value).
    #[error("{0}")]
    Usage(String),
    /// An output file could not be written.
    #[error("{path}: cannot write: {reason}")]
    Unwritable { path: PathBuf, reason: String },
}

impl Error {
    pub fn invalid(path: impl Into<PathBuf>, place: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.into(),
            place: place.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
