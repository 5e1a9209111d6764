//! `cargo bench`: parse speed on a large script, start-up time, text building
//! (`benches/text_append.dg`), and the shared peer benchmark (`../shared/bench/run.sh` with the
//! release `dg`), which only a checkout beside the project's `../shared` has: without it that
//! part prints a note and is skipped.
//!
//! `cargo bench -- parse` or `-- startup` or `-- text` or `-- peers` runs one part; `RUNS=N` is passed on
//! to run.sh. The peer table is the one quoted in the README.

use deluge::{parse, SourceFile};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    // cargo passes `--bench`; anything else selects parts by name.
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let runs = |part: &str| wanted.is_empty() || wanted.iter().any(|w| part.contains(w.as_str()));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if runs("parse") {
        parse_speed(root);
    }
    if runs("startup") {
        startup(root);
    }
    if runs("text") {
        text_append(root);
    }
    if runs("peers") {
        peers(root);
    }
}

/// Parse throughput on a script of many functions whose bodies are the real scripts of
/// `tests/corpus`, repeated to about 8 MB.
fn parse_speed(root: &Path) {
    let mut bodies = Vec::new();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(root.join("tests/corpus")).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "dg")) {
        let text = std::fs::read_to_string(path).unwrap();
        let wrapped = format!("void automation.f(map input)\n{{\n{text}\n}}\n");
        if parse(&SourceFile::new("probe.dg", wrapped.as_str())).is_ok() {
            bodies.push(text);
        }
    }
    let mut big = String::new();
    let mut n = 0;
    while big.len() < 8 << 20 {
        for body in &bodies {
            big.push_str(&format!("void automation.f{n}(map input)\n{{\n{body}\n}}\n"));
            n += 1;
        }
    }
    let src = SourceFile::new("big.dg", big.as_str());
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let script = parse(&src).expect("the generated script parses");
        best = best.min(start.elapsed());
        assert_eq!(script.functions.len(), n);
    }
    let mb = big.len() as f64 / 1e6;
    println!(
        "parse: {mb:.1} MB, {n} functions from {} corpus scripts: best of 5 {:.0} ms = {:.1} MB/s",
        bodies.len(),
        best.as_secs_f64() * 1e3,
        mb / best.as_secs_f64()
    );
}

/// `dg run` of a one-line script: the median of 51 whole-process runs.
fn startup(root: &Path) {
    let dir = std::env::temp_dir().join(format!("dg-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("one.dg");
    std::fs::write(&script, "info 1 + 1;\n").unwrap();
    let mut times: Vec<Duration> = (0..51)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_dg")).arg("run").arg(&script).env("DG_HOME", &dir).output();
            let took = start.elapsed();
            assert_eq!(out.unwrap().stdout, b"2\n");
            took
        })
        .collect();
    times.sort();
    println!("startup: `dg run` of a one-line script, median of 51: {:.2} ms", times[25].as_secs_f64() * 1e3);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = root;
}

/// `dg run benches/text_append.dg`: 16,000 appends of 1 KB to a variable's own text; best of 5.
fn text_append(root: &Path) {
    let script = root.join("benches/text_append.dg");
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_dg")).arg("run").arg(&script).output().expect("dg runs");
        best = best.min(start.elapsed());
        assert_eq!(out.stdout, b"16384000\n");
    }
    println!("text: 16,000 appends of 1 KB (16 MB), best of 5: {:.0} ms", best.as_secs_f64() * 1e3);
}

/// The shared peer benchmark, when `../shared/bench/run.sh` exists.
fn peers(root: &Path) {
    let run_sh = root.join("../shared/bench/run.sh");
    if !run_sh.exists() {
        println!("peers: skipped: {} is not here (it lives beside the project, not in a clone)", run_sh.display());
        return;
    }
    let status = Command::new("bash").arg(&run_sh).arg(env!("CARGO_BIN_EXE_dg")).status().expect("run.sh starts");
    if !status.success() {
        println!("peers: run.sh exited with {status}");
    }
}
