//! The benchmark floor (issue 5): read a file into memory and validate it as JSON, nothing else. No checker
//! of a plan can do less, so `bench/run.sh` reports trustgate's time and memory as ratios of this.
//!
//! Usage: `cargo run --release --example floor -- plan.json`

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: floor FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("floor: {}: {err}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    match serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("floor: {}: {err}", path.to_string_lossy());
            ExitCode::from(2)
        }
    }
}
