//! The settings readers: the text of a `.trustgate.hcl` → `config::parse`, and the same text as a catalog
//! file (`--catalog`, the format of `policies/catalog.hcl`) → `Catalog::from_hcl`. Both are HCL files a
//! repository carries; bad input must be an `Err` naming the file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use trustgate::catalog::Catalog;
use trustgate::config;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let config_path = Path::new(".trustgate.hcl");
    if let Err(error) = config::parse(text, config_path) {
        common::check_error(&error, config_path);
    }
    let catalog_path = Path::new("catalog.hcl");
    match Catalog::from_hcl(text, catalog_path) {
        Ok(catalog) => {
            let _ = Catalog::builtin().with_overrides(&catalog);
        }
        Err(error) => common::check_error(&error, catalog_path),
    }
});
