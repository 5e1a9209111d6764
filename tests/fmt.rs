//! `dg fmt` on every script of the golden suite and the real-world corpus that parses: the
//! tree printed by `--dump-ast` is the same, no comment is lost, and a second pass changes
//! nothing.

use deluge::{format_source, parse, print, SourceFile};
use std::path::{Path, PathBuf};

fn dg_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            dg_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "dg") {
            out.push(p);
        }
    }
}

/// Check one file; `None` when it does not parse (nothing to format).
fn property(path: &Path) -> Option<Result<(), String>> {
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    let name = path.display().to_string();
    let src = SourceFile::new(name.clone(), text);
    let before = parse(&src).ok()?;
    let once = match format_source(&src) {
        Ok(t) => t,
        Err(e) => return Some(Err(e.render(Some(&src)))),
    };
    let formatted = SourceFile::new(name.clone(), once.clone());
    let after = match parse(&formatted) {
        Ok(s) => s,
        Err(e) => {
            return Some(Err(format!("{name}: the formatted text does not parse:\n{}", e.render(Some(&formatted)))))
        }
    };
    if print::script(&before) != print::script(&after) {
        return Some(Err(format!("{name}: the tree changed")));
    }
    for c in deluge::fmt_comments(src.text()) {
        if !once.contains(c.as_str()) {
            return Some(Err(format!("{name}: lost the comment {c:?}")));
        }
    }
    match format_source(&formatted) {
        Ok(twice) if twice == once => Some(Ok(())),
        Ok(twice) => {
            let diff = similar::TextDiff::from_lines(&once, &twice).unified_diff().to_string();
            Some(Err(format!("{name}: a second pass changed it:\n{diff}")))
        }
        Err(e) => Some(Err(e.render(Some(&formatted)))),
    }
}

fn run_over(dir: &str, at_least: usize) {
    let mut files = Vec::new();
    dg_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    let mut formatted = 0;
    let mut failures = Vec::new();
    for f in &files {
        match property(f) {
            Some(Ok(())) => formatted += 1,
            Some(Err(e)) => failures.push(e),
            None => {}
        }
    }
    eprintln!("{dir}: {formatted} of {} files formatted, {} failed", files.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(formatted >= at_least, "only {formatted} files of {dir} parsed");
}

#[test]
fn every_golden_script_keeps_its_tree_comments_and_is_stable() {
    run_over("scripts", 300);
}

#[test]
fn every_corpus_script_keeps_its_tree_comments_and_is_stable() {
    run_over("tests/corpus", 40);
}

#[test]
fn dash_formats_stdin_to_stdout() {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run dg");
    child.stdin.take().unwrap().write_all(b"if(a){b=1;}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "if(a)\n{\n\tb = 1;\n}\n");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_file_is_rewritten_in_place_and_check_then_passes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.dg");
    std::fs::write(&path, "x=1;").unwrap();
    let dg = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_dg")).args(args).output().unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(dg(&["fmt", "--check", p]).status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "x=1;");
    assert_eq!(dg(&["fmt", p]).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "x = 1;\n");
    assert_eq!(dg(&["fmt", "--check", p]).status.code(), Some(0));
}

/// Scripts saved from Zoho's editor are already in its layout: `dg fmt` leaves them as they are.
#[test]
fn scripts_saved_by_zoho_are_left_as_they_are() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for name in [
        "016_books_walk_in_invoice_to_crm.dg",
        "042_recruit_update_app_status_bulk.dg",
        "057_inventory_fsm_sync_items.dg",
        "067_books_button_create_transfer_trip.dg",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let src = SourceFile::new(name, text.clone());
        let out = format_source(&src).unwrap_or_else(|e| panic!("{}", e.render(Some(&src))));
        if out != text {
            let diff = similar::TextDiff::from_lines(&text, &out).unified_diff().to_string();
            panic!("{name} changed:\n{diff}");
        }
    }
}
