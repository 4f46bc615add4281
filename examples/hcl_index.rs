//! Stand-in for the HCL index benchmark (issue 5) until `trustgate check --source` exists: finds every
//! `.tf` file under a directory, reads it and parses it with `hcl::edit::parser::parse_body`, in parallel
//! with rayon on a pool of the given size. Prints files, bytes, resource blocks and the elapsed time.
//!
//! Usage: `cargo run --release --example hcl_index -- DIR THREADS`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use hcl::edit::parser::parse_body;
use hcl::edit::structure::Structure;
use rayon::prelude::*;

fn tf_files(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            tf_files(&path, found)?;
        } else if path.extension().is_some_and(|ext| ext == "tf") {
            found.push(path);
        }
    }
    Ok(())
}

/// Bytes read and resource blocks found in one file.
fn index_file(path: &Path) -> Result<(usize, usize), String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let body = parse_body(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    let resources = body
        .iter()
        .filter(|structure| match structure {
            Structure::Block(block) => block.ident.as_str() == "resource",
            Structure::Attribute(_) => false,
        })
        .count();
    Ok((text.len(), resources))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, threads] = args.as_slice() else {
        eprintln!("usage: hcl_index DIR THREADS");
        return ExitCode::from(2);
    };
    let Ok(threads) = threads.parse::<usize>() else {
        eprintln!("hcl_index: THREADS must be a number");
        return ExitCode::from(2);
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let start = Instant::now();
    let mut files = Vec::new();
    if let Err(err) = tf_files(Path::new(dir), &mut files) {
        eprintln!("hcl_index: {dir}: {err}");
        return ExitCode::from(2);
    }
    let results: Result<Vec<(usize, usize)>, String> =
        pool.install(|| files.par_iter().map(|path| index_file(path)).collect());
    let elapsed = start.elapsed();
    match results {
        Ok(counts) => {
            let bytes: usize = counts.iter().map(|c| c.0).sum();
            let resources: usize = counts.iter().map(|c| c.1).sum();
            println!(
                "files={} bytes={bytes} resources={resources} threads={threads} seconds={:.4}",
                files.len(),
                elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("hcl_index: {err}");
            ExitCode::from(2)
        }
    }
}
