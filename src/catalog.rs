//! The catalog of AWS resource types that carry trust or resource policies, loaded from the HCL files in
//! `policies/` (embedded in the binary; readable and overridable by users).
//!
//! INTERFACE CONTRACT: `Catalog::builtin`, `Catalog::len`.

use crate::error::Result;

#[derive(Debug, Clone)]
pub struct Catalog {
    _private: (),
}

impl Catalog {
    /// The built-in catalog compiled into the binary.
    pub fn builtin() -> Catalog {
        unimplemented!("catalog")
    }

    /// Loads a catalog file (same format as the built-in one), for users who override it.
    pub fn from_file(_path: &std::path::Path) -> Result<Catalog> {
        unimplemented!("catalog")
    }

    /// Number of resource types covered.
    pub fn len(&self) -> usize {
        unimplemented!("catalog")
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
