//! Binary plan files (`terraform plan -out`): recognised by their zip magic and converted to plan JSON with
//! `terraform show -json`, for `trustgate check` as for the wrapper.

use std::ffi::OsStr;

use super::{Terraform, temp_dir};
use crate::error::{Error, Result};
use crate::input::{self, Source, Text};

/// The zip magic that starts every binary plan file (`terraform plan -out`).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether these bytes are a binary plan file (a zip archive) rather than plan JSON.
pub fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// Reads a plan for `trustgate check`: plan JSON as text, or a binary plan file (zip) converted with
/// `terraform show -json`. A binary plan from standard input is written to a private temporary file first.
pub fn read_plan(source: &Source, terraform: &Terraform) -> Result<Text> {
    let display = source.display_path();
    // A large plan JSON file is mapped rather than copied (see `input::read_text_mapped`).
    if let Some(map) = input::map_large_file(source)
        && !is_binary_plan(&map)
    {
        return input::text_from_map(map, &display);
    }
    let bytes = input::read_raw(source)?;
    if !is_binary_plan(&bytes) {
        return input::decode_text(bytes, &display).map(Text::from);
    }
    let yourself = match source {
        Source::File(path) => format!(
            "`terraform show -json {} > plan.json`",
            shell_word(&path.to_string_lossy())
        ),
        Source::Stdin => "`terraform show -json FILE > plan.json` on the saved file".to_string(),
    };
    let missing = |err: &std::io::Error| {
        Error::invalid(
            &display,
            "top level",
            format!(
                "this is a binary plan file (from `terraform plan -out`); converting it needs terraform, but {}: \
                 install it, name it with --terraform-bin or TRUSTGATE_TERRAFORM, or convert the plan yourself \
                 with {yourself}",
                terraform.not_runnable_reason(err)
            ),
        )
    };
    let convert = |plan: &OsStr| terraform.show_json_or(plan, &display, &missing).map(Text::from);
    match source {
        Source::File(path) => convert(path.as_os_str()),
        Source::Stdin => {
            let dir = temp_dir()?;
            let path = dir.path().join("stdin.tfplan");
            std::fs::write(&path, &bytes).map_err(|e| Error::Unwritable {
                path: path.clone(),
                reason: input::os_reason(&e),
            })?;
            convert(path.as_os_str())
        }
    }
}

/// Reads a state or a plan for `trustgate inventory`: as `read_plan`, and a raw state file
/// (`terraform.tfstate`, which `terraform show -json` turns into the state representation) is converted too.
pub fn read_state_or_plan(source: &Source, terraform: &Terraform) -> Result<Text> {
    let text = read_plan(source, terraform)?;
    if !crate::plan::standing::is_raw_state(&text) {
        return Ok(text);
    }
    let display = source.display_path();
    let missing = |err: &std::io::Error| {
        Error::invalid(
            &display,
            "top level",
            format!(
                "this is a raw state file (terraform.tfstate); converting it needs terraform, but {}: install it, \
                 name it with --terraform-bin or TRUSTGATE_TERRAFORM, or convert it yourself with \
                 `terraform show -json FILE > state.json`",
                terraform.not_runnable_reason(err)
            ),
        )
    };
    match source {
        Source::File(path) => terraform
            .show_json_or(path.as_os_str(), &display, &missing)
            .map(Text::from),
        Source::Stdin => {
            let dir = temp_dir()?;
            let path = dir.path().join("stdin.tfstate");
            std::fs::write(&path, text.as_bytes()).map_err(|e| Error::Unwritable {
                path: path.clone(),
                reason: input::os_reason(&e),
            })?;
            terraform
                .show_json_or(path.as_os_str(), &display, &missing)
                .map(Text::from)
        }
    }
}

/// Quotes a word for a shell command shown in a message, when it needs quoting.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_magic_marks_a_binary_plan() {
        assert!(is_binary_plan(b"PK\x03\x04rest"));
        assert!(!is_binary_plan(b"{\"format_version\":\"1.2\"}"));
        assert!(!is_binary_plan(b"PK"));
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("plan.bin"), "plan.bin");
        assert_eq!(shell_word("my plan's.bin"), r"'my plan'\''s.bin'");
    }
}
