//! `dg check` golden tests: each `tests/check/NAME.dg` (or each directory `tests/check/NAME/`,
//! whose `.dg` files are checked together) is checked as `dg check` would, and what it prints
//! (stdout, then `--- stderr ---` and `--- exit N ---` when there are any) is compared with
//! `NAME.txt`; when `NAME.json` exists, the same with `--format json`.
//!
//! Every case uses `--connections tests/check/connections.toml` unless its first line,
//! `// check: FLAGS`, names other flags (and files) to add. `BLESS=1 cargo test --test check`
//! rewrites the expected files (create an empty `NAME.json` to start a JSON one). Two more
//! tests: every real script of `tests/corpus/` (a golden of its own), and a 1,000-line script
//! checked within a time bound.

mod common;

use common::golden::{on_big_stack, run_in_process as run};
use libtest_mimic::{Arguments, Failed, Trial};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const CONNECTIONS: &str = "tests/check/connections.toml";

/// The files of a case and the flags from the first file's `// check:` line.
fn command(files: &[PathBuf], json: bool) -> Vec<OsString> {
    command_with(files, json, CONNECTIONS)
}

fn command_with(files: &[PathBuf], json: bool, connections: &str) -> Vec<OsString> {
    let text = std::fs::read_to_string(&files[0]).unwrap_or_default();
    let flags: Vec<String> = match text.lines().next().and_then(|l| l.trim().strip_prefix("// check:")) {
        Some(f) => f.split_whitespace().map(str::to_string).collect(),
        None => Vec::new(),
    };
    let mut args: Vec<OsString> = vec!["check".into()];
    if !flags.iter().any(|f| f == "--connections") {
        args.extend(["--connections".into(), connections.into()]);
    }
    if json {
        args.extend(["--format".into(), "json".into()]);
    }
    args.extend(flags.into_iter().map(OsString::from));
    args.extend(files.iter().map(|f| f.as_os_str().to_owned()));
    args
}

fn compare(expected_path: &Path, actual: &str) -> Result<(), Failed> {
    common::golden::compare(expected_path, actual, "check")
}

fn case(stem: PathBuf, files: Vec<PathBuf>) -> Result<(), Failed> {
    let args = command(&files, false);
    compare(&stem.with_extension("txt"), &on_big_stack(move || run(args))?)?;
    let json = stem.with_extension("json");
    if json.exists() {
        let args = command(&files, true);
        compare(&json, &on_big_stack(move || run(args))?)?;
    }
    Ok(())
}

fn dg_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "dg")).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The real scripts of `tests/corpus/`, with no connection declared: what check says about
/// them is a golden of its own, so a new false error shows up as a diff.
fn corpus() -> Result<(), Failed> {
    let files = dg_files(Path::new("tests/corpus"));
    if files.len() < 40 {
        return Err(format!("tests/corpus has only {} scripts", files.len()).into());
    }
    let args = command_with(&files, false, "tests/check/no_connections.toml");
    compare(Path::new("tests/check/corpus.txt"), &on_big_stack(move || run(args))?)
}

/// A 1,000-line script of the usual statements, with one error in it.
fn thousand_lines() -> String {
    let mut s = String::from("// generated: 1,000 lines for the timing test\ntotal = 0;\nnames = List();\n");
    let mut i = 0;
    while s.lines().count() < 990 {
        s.push_str(&format!(
            "rec{i} = {{\"id\": {i}, \"name\": \"n{i}\", \"tags\": {{\"a\", \"b\"}}}};\n\
             if (rec{i}.get(\"id\") % 2 == 0 && rec{i}.get(\"name\").length() > 1)\n{{\n\
             \ttotal = total + rec{i}.get(\"id\");\n\tnames.add(rec{i}.get(\"name\").toUpperCase());\n}}\n\
             else\n{{\n\tfor each t in rec{i}.get(\"tags\")\n\t{{\n\t\tnames.add(t.trim() + \"-\" + {i});\n\t}}\n}}\n\
             r{i} = zoho.crm.getRecordById(\"Leads\", {i}, \"crm\");\n"
        ));
        i += 1;
    }
    s.push_str("info names.sizee();\n");
    while s.lines().count() < 1000 {
        s.push_str("info total;\n");
    }
    s
}

/// `dg check` on 1,000 lines must be fast enough to run on save (< 50 ms in a release build).
/// A debug build is many times slower and the machine may be busy, so the bound here is
/// generous; the best of five runs is measured.
fn timing() -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| Failed::from(e.to_string()))?;
    let file = dir.path().join("thousand.dg");
    let text = thousand_lines();
    if text.lines().count() != 1000 {
        return Err(format!("the generated script has {} lines", text.lines().count()).into());
    }
    let line = text.lines().position(|l| l.contains("sizee")).unwrap_or(0) + 1;
    std::fs::write(&file, text).map_err(|e| Failed::from(e.to_string()))?;
    let args = command(std::slice::from_ref(&file), false);
    let (best, out) = on_big_stack(move || {
        let mut best = Duration::MAX;
        let mut out = String::new();
        for _ in 0..5 {
            let start = Instant::now();
            out = run(args.clone());
            best = best.min(start.elapsed());
        }
        (best, out)
    })?;
    let finding = format!("thousand.dg:{line}:12: error: unknown method 'sizee'; did you mean 'size'?");
    if !out.contains(&finding) || !out.ends_with("--- exit 1 ---\n") {
        return Err(format!("unexpected output:\n{out}").into());
    }
    let bound = if cfg!(debug_assertions) { Duration::from_millis(2000) } else { Duration::from_millis(50) };
    eprintln!("dg check on 1,000 lines: {best:?} (bound {bound:?})");
    if best > bound {
        return Err(format!("dg check took {best:?} on 1,000 lines (bound {bound:?})").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("cd to the crate root");
    // Never the user's state: an empty state directory and no connections file from the environment.
    let state = std::env::temp_dir().join(format!("dg-check-{}", std::process::id()));
    std::env::set_var("DG_HOME", &state);
    std::env::remove_var("DG_CONNECTIONS");
    let mut trials = Vec::new();
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir("tests/check").expect("tests/check exists").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if p.is_dir() {
            let files = dg_files(&p);
            trials.push(Trial::test(name, move || case(p, files)));
        } else if p.extension().is_some_and(|e| e == "dg") {
            let stem = p.with_extension("");
            trials.push(Trial::test(name, move || case(stem, vec![p])));
        }
    }
    trials.push(Trial::test("corpus", corpus));
    trials.push(Trial::test("timing_1000_lines", timing));
    let conclusion = libtest_mimic::run(&args, trials);
    let _ = std::fs::remove_dir_all(&state);
    conclusion.exit();
}
