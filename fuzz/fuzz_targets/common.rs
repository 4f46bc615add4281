//! What every target checks of an error besides "no panic": the binary prints it as the one line of exit
//! code 2 (src/error.rs), so it must be one line, name the file it is about, and carry no raw control
//! characters from the input (escaped text only: a newline or an ESC would forge log lines).

use std::path::Path;

use trustgate::error::Error;

pub fn check_error(error: &Error, file: &Path) {
    let text = error.to_string();
    if let Some(bad) = text.chars().find(|c| c.is_control()) {
        panic!("error message with a raw control character {bad:?}: {text:?}");
    }
    match error {
        Error::Invalid { path, .. } | Error::Unreadable { path, .. } => {
            assert!(
                path.starts_with(file),
                "error names {path:?}, not {file:?}: {text:?}"
            );
        }
        Error::Usage(_) | Error::Unwritable { .. } => {}
    }
}
