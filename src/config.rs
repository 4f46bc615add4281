//! `.trustgate.hcl`: boundary, annotation settings, exceptions (DESIGN section 6).
//!
//! INTERFACE CONTRACT: everything `pub` in this file.

use std::path::{Path, PathBuf};

use crate::annotation::Exception;
use crate::error::Result;

pub const DEFAULT_FILE_NAME: &str = ".trustgate.hcl";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationSettings {
    pub max_expiry_days: u32,
    pub min_justification_length: usize,
    /// Whether comments and tags count; false: only exceptions in the config file.
    pub inline: bool,
}

impl Default for AnnotationSettings {
    fn default() -> Self {
        AnnotationSettings {
            max_expiry_days: 365,
            min_justification_length: 10,
            inline: true,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from (None for the default config).
    pub path: Option<PathBuf>,
    pub accounts: Vec<String>,
    pub organizations: Vec<String>,
    pub annotations: AnnotationSettings,
    pub exceptions: Vec<Exception>,
}

/// Loads `explicit` if given (an error if missing), else `.trustgate.hcl` in `cwd` if it exists, else the
/// default config. Unknown blocks/attributes, wrong types and invalid account/org ids are errors naming
/// the file and line.
pub fn load(_explicit: Option<&Path>, _cwd: &Path) -> Result<Config> {
    unimplemented!("config")
}
