//! Replays the fuzz corpus (fuzz/corpus/TARGET/*, with the inputs that once crashed) through
//! the fuzz targets' functions on stable Rust: every input must return without a panic.
//! `FUZZ_INPUT=path cargo test --test fuzz_corpus -- TARGET` replays one file.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    if let Ok(one) = std::env::var("FUZZ_INPUT") {
        return vec![PathBuf::from(one)];
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{}: the corpus is missing", dir.display());
    files
}

/// Run every input of `target` on a thread with the `dg` binary's stack (256 MiB), naming
/// the input that fails.
fn replay(target: &'static str, run: fn(&[u8])) {
    let files = inputs(target);
    let n = files.len();
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            for f in files {
                let data = std::fs::read(&f).unwrap();
                eprintln!("{}", f.display());
                run(&data);
            }
        })
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("{target}: an input panicked (its path is the last one printed above)"));
    eprintln!("{target}: {n} inputs replayed");
}

#[test]
fn parser() {
    replay("parser", deluge::fuzz::parser);
}

#[test]
fn evaluator() {
    replay("evaluator", deluge::fuzz::evaluator);
}

#[test]
fn json() {
    replay("json", deluge::fuzz::json);
}

#[test]
fn connections() {
    replay("connections", deluge::fuzz::connections_file);
}

#[test]
fn dates() {
    replay("dates", deluge::fuzz::dates);
}

#[test]
fn lsp() {
    replay("lsp", deluge::fuzz::lsp);
}
