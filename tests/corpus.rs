//! Real-world scripts: at least 90% of the public Deluge scripts in tests/corpus/ must
//! parse (`dg check --syntax` semantics). Each failure is listed with its error.

use std::path::Path;

#[test]
fn parses_at_least_90_percent_of_real_scripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "dg"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "the corpus has only {} scripts", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let src = deluge::SourceFile::new(path.file_name().unwrap().to_string_lossy(), text);
        if let Err(e) = deluge::parse(&src) {
            failures.push(e.render(Some(&src)));
        }
    }
    let parsed = files.len() - failures.len();
    let share = parsed as f64 / files.len() as f64;
    eprintln!("corpus: {parsed} of {} scripts parse ({:.1}%)", files.len(), share * 100.0);
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(share >= 0.90, "only {:.1}% of the corpus parses", share * 100.0);
}
