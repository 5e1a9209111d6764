//! The files beside a test and its header's extras: `NAME.cassette.json` (replayed, or
//! recorded with `--record`), a `connections.toml` in the test's folder, `NAME.fixture.json`
//! (seeded into its sandbox), the `// dg-skip` line, and the per-test statistics file.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How a test's command line is completed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras {
    /// `dg test --record`: run live and rewrite the cassette.
    pub record: bool,
    /// The per-test `--timeout` when the header gives none.
    pub timeout: Option<f64>,
}

/// The cassette beside a test script.
pub fn cassette_of(script: &Path) -> PathBuf {
    script.with_extension("cassette.json")
}

/// The command line of a test (without the leading `dg`): its header's, and for `run`
/// without `--sandbox`: `--replay NAME.cassette.json` when the cassette exists (with
/// `record`: `--record` it instead); `--connections DIR/connections.toml` when the header
/// names no connections file and one sits in the test's folder; the default `--timeout`.
pub fn command(path: &Path, text: &str, extras: Extras) -> Vec<OsString> {
    let mut argv = super::command_line(path, text);
    if argv.first().is_none_or(|a| a != "run") {
        return argv;
    }
    let script = argv.pop().expect("the path is last");
    let has = |flag: &str| argv.iter().any(|a| a == flag || a.to_string_lossy().starts_with(&format!("{flag}=")));
    let mut add: Vec<OsString> = Vec::new();
    if !has("--connections") {
        let beside = path.parent().unwrap_or(Path::new("")).join("connections.toml");
        if beside.is_file() {
            add.extend(["--connections".into(), beside.into_os_string()]);
        }
    }
    if let Some(t) = extras.timeout.filter(|_| !has("--timeout")) {
        add.extend(["--timeout".into(), t.to_string().into()]);
    }
    if !has("--sandbox") && !has("--record") && !has("--replay") {
        let cassette = cassette_of(path);
        if extras.record {
            add.extend(["--record".into(), cassette.into_os_string()]);
        } else if cassette.is_file() {
            add.extend(["--replay".into(), cassette.into_os_string()]);
        }
    }
    argv.extend(add);
    argv.push(script);
    argv
}

/// Seed the sandbox state directory of a `--sandbox` test with its `NAME.fixture.json`.
pub fn seed(script: &Path, state_dir: &Path) -> Result<(), crate::Error> {
    let fixture = script.with_extension("fixture.json");
    if fixture.is_file() {
        crate::sandbox::seed_fixture(state_dir, &fixture)?;
    }
    Ok(())
}

/// `// dg-skip` or `// dg-skip: REASON` among the comment lines that open the script: the
/// test is reported as skipped and not run. The reason, `""` when none is given.
pub fn skip_reason(text: &str) -> Option<String> {
    for line in text.trim_start_matches('\u{feff}').lines() {
        let line = line.trim();
        if !line.starts_with("//") {
            return None;
        }
        if let Some(rest) = line.strip_prefix("// dg-skip") {
            return Some(rest.trim_start_matches(':').trim().to_string());
        }
    }
    None
}

/// What one run spent: statements executed, Zoho API calls and CRM credits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub statements: u64,
    pub zoho_calls: usize,
    pub crm_credits: u64,
}

/// `dg run --stats FILE` (hidden; `dg test --verbose` reads it).
pub fn write_stats(path: &Path, stats: Stats) {
    if let Ok(text) = serde_json::to_string(&stats) {
        let _ = std::fs::write(path, text);
    }
}

pub fn read_stats(path: &Path) -> Option<Stats> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_lines_are_read_from_the_opening_comments_only() {
        assert_eq!(
            skip_reason("// dg: run\n// dg-skip: needs a live server\ninfo 1;"),
            Some("needs a live server".into())
        );
        assert_eq!(skip_reason("// dg-skip\ninfo 1;"), Some(String::new()));
        assert_eq!(skip_reason("info 1;\n// dg-skip\n"), None);
    }

    #[test]
    fn a_cassette_and_a_connections_file_beside_the_test_join_its_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("t.dg");
        std::fs::write(dir.path().join("t.cassette.json"), "{}").unwrap();
        std::fs::write(dir.path().join("connections.toml"), "").unwrap();
        let words = |e: Extras, text: &str| -> Vec<String> {
            command(&script, text, e).iter().map(|a| a.to_string_lossy().into_owned()).collect()
        };
        let w = words(Extras { record: false, timeout: Some(30.0) }, "info 1;");
        assert_eq!(w[0], "run");
        assert!(w.contains(&"--replay".to_string()) && w.contains(&"--connections".to_string()), "{w:?}");
        assert_eq!(w[w.iter().position(|a| a == "--timeout").unwrap() + 1], "30");
        assert!(w.last().unwrap().ends_with("t.dg"));
        let w = words(Extras { record: true, timeout: None }, "// dg: run --timeout 5\ninfo 1;");
        assert!(w.contains(&"--record".to_string()) && !w.contains(&"--replay".to_string()), "{w:?}");
        assert_eq!(w.iter().filter(|a| *a == "--timeout").count(), 1);
        let w = words(Extras::default(), "// dg: run --sandbox\ninfo 1;");
        assert!(!w.contains(&"--replay".to_string()), "{w:?}");
    }
}
