//! HCL sources behind a plan: where each resource is written (file and line), the `# trustgate:` comment
//! annotations above resources and statements, and (later) policies the plan only knows after apply.
//!
//! Annotation precedence, strongest first: an `exception` in the config file, a comment above the statement
//! that creates the widening, a comment above the resource block, the resource's tags. Comments and tags
//! count only while `annotations { inline = true }` (the default).

pub mod comments;
pub mod index;

pub use comments::CommentAnnotation;
pub use index::{ResourceEntry, SourceIndex, StatementEntry};

use std::path::Path;

/// Whether `dir` holds at least one `.tf` file (the default source directory is the current one when so).
pub fn has_tf_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(Result::ok)
            .any(|e| e.path().extension().is_some_and(|x| x == "tf"))
    })
}
