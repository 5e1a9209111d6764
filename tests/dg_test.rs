//! `dg test` end to end (the real binary): discovery, ok/FAILED, the diff, the summary line,
//! exit codes, --filter, --bless, --junit, a missing `.out`, sandbox tests isolated, and
//! line coverage (--coverage, --coverage-out).

use std::path::Path;
use std::process::{Command, Output};

fn dg(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DG_HOME", dir.join(".dg-home"))
        .env_remove("DG_CONNECTIONS")
        .output()
        .expect("run dg")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dgtest");
    for sub in ["pass", "fail"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap().flatten() {
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    dir
}

#[test]
fn passing_tests_exit_0_with_the_summary() {
    let dir = fixtures();
    let o = dg(&["test", "pass"], dir.path());
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("test pass/a ... ok ("), "{out}");
    assert!(out.contains("test pass/b ... ok ("), "{out}");
    assert!(out.trim_end().ends_with("2 passed, 0 failed"), "{out}");
    // stable order: a before b
    assert!(out.find("pass/a").unwrap() < out.find("pass/b").unwrap());
}

#[test]
fn a_changed_line_fails_with_a_diff_and_a_missing_out_is_reported() {
    let dir = fixtures();
    let o = dg(&["test"], dir.path());
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("test fail/c ... FAILED"), "{out}");
    assert!(out.contains("-three\n+two\n"), "{out}");
    assert!(out.contains("test fail/nout ... FAILED (no fail/nout.out"), "{out}");
    assert!(!out.contains('\x1b'), "NO_COLOR: plain diff\n{out}");
    assert!(out.trim_end().ends_with("2 passed, 2 failed"), "{out}");
}

#[test]
fn filter_bless_and_junit() {
    let dir = fixtures();
    let o = dg(&["test", "--filter", "fail/c", "--junit", "report.xml"], dir.path());
    assert!(text(&o).trim_end().ends_with("0 passed, 1 failed"), "{}", text(&o));
    let xml = std::fs::read_to_string(dir.path().join("report.xml")).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 1, "{xml}");
    assert!(xml.contains("<failure") && xml.contains("+two"), "{xml}");

    let o = dg(&["test", "--bless", "--filter", "fail/c"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("fail/c.out")).unwrap(), "one\ntwo\n");
    let o = dg(&["test", "fail/c.dg", "--junit", "r2.xml", "--verbose"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("slowest"), "{}", text(&o));
    let xml = std::fs::read_to_string(dir.path().join("r2.xml")).unwrap();
    assert!(xml.contains("<testcase name=\"fail/c\"") && !xml.contains("<failure"), "{xml}");
}

#[test]
fn sandbox_tests_each_start_from_a_fresh_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    // both create the same lead and count them: with a shared sandbox one would see two
    let script = "// dg: run --sandbox\nr = zoho.crm.createRecord(\"Leads\", {\"Last_Name\":\"Solo\"});\n\
                  found = zoho.crm.searchRecords(\"Leads\", \"(Last_Name:equals:Solo)\");\ninfo found.size();\n";
    for name in ["s1", "s2"] {
        std::fs::write(dir.path().join(format!("{name}.dg")), script).unwrap();
        std::fs::write(dir.path().join(format!("{name}.out")), "1\n").unwrap();
    }
    let o = dg(&["test"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o), String::from_utf8_lossy(&o.stderr));
    assert!(text(&o).trim_end().ends_with("2 passed, 0 failed"), "{}", text(&o));
}

#[test]
fn a_fixture_seeds_that_tests_sandbox_only() {
    let dir = tempfile::tempdir().unwrap();
    let script = "// dg: run --sandbox\nfound = zoho.crm.searchRecords(\"Leads\", \"(Last_Name:equals:Fixturia)\");\ninfo found.size();\n";
    for (name, want) in [("with", "1\n"), ("without", "0\n")] {
        std::fs::write(dir.path().join(format!("{name}.dg")), script).unwrap();
        std::fs::write(dir.path().join(format!("{name}.out")), want).unwrap();
    }
    std::fs::write(
        dir.path().join("with.fixture.json"),
        r#"{"crm": {"Leads": [{"Last_Name": "Fixturia", "Company": "F"}]}}"#,
    )
    .unwrap();
    let o = dg(&["test"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o), String::from_utf8_lossy(&o.stderr));
    // a malformed fixture names the file and line
    std::fs::write(dir.path().join("with.fixture.json"), "{\n  \"crm\": [\n").unwrap();
    let o = dg(&["test", "--filter", "with"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("with.fixture.json:3"), "{}", text(&o));
}

/// The example project of the README's walkthrough passes as it is (offline: the sandbox, a
/// fixture and recorded cassettes); one changed expected line fails it with the diff.
#[test]
fn the_example_project_passes_and_a_changed_line_fails_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["test", "scripts/examples/testing", "--junit"])
        .arg(home.path().join("report.xml"))
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("DG_HOME", home.path())
        .env_remove("DG_CONNECTIONS")
        .output()
        .expect("run dg");
    let report = text(&o);
    assert_eq!(o.status.code(), Some(0), "{report}{}", String::from_utf8_lossy(&o.stderr));
    let last = report.trim_end().lines().last().unwrap_or_default().to_string();
    let n: usize = last.strip_suffix(" passed, 0 failed").and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(n >= 5, "{report}");
    let xml = std::fs::read_to_string(home.path().join("report.xml")).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), n, "{xml}");

    // a copy with one expected line changed
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("scripts/examples/testing");
    std::fs::create_dir_all(&copy).unwrap();
    for e in std::fs::read_dir(root.join("scripts/examples/testing")).unwrap().flatten() {
        std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
    }
    let out = copy.join("exchange_rates.out");
    let changed = std::fs::read_to_string(&out).unwrap().replace("1.0842", "1.0843");
    std::fs::write(&out, changed).unwrap();
    let o = dg(&["test", "scripts/examples/testing"], dir.path());
    let report = text(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(
        report.contains("-rate EUR->USD on 2026-12-07: 1.0843\n+rate EUR->USD on 2026-12-07: 1.0842\n"),
        "{report}"
    );
    assert!(report.trim_end().ends_with(&format!("{} passed, 1 failed", n - 1)), "{report}");
}

/// `tests/dgtest/coverage` copied into a fresh directory.
fn coverage_fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dgtest/coverage");
    std::fs::create_dir_all(dir.path().join("coverage")).unwrap();
    for e in std::fs::read_dir(src).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join("coverage").join(e.file_name())).unwrap();
    }
    dir
}

#[test]
fn coverage_names_the_lines_of_the_branch_never_taken() {
    let dir = coverage_fixtures();
    let o = dg(&["test", "coverage", "--coverage"], dir.path());
    let out = text(&o);
    // the script that does not parse is a failed test with no coverage, not a panic
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("test coverage/broken ... FAILED"), "{out}");
    let row = |name: &str| out.lines().find(|l| l.trim_start().starts_with(name)).unwrap_or("").to_string();
    // branch.dg: the `if` body (lines 5-6) and the inner `if` body (16) never ran
    let branch = row("coverage/branch.dg");
    let words: Vec<&str> = branch.split_whitespace().collect();
    assert_eq!(words, ["coverage/branch.dg", "6/9", "66.7%", "not", "run:", "5-6,", "16"], "{out}");
    // a function never called counts as lines never run
    assert!(row("coverage/helper.dg").ends_with("2/3  66.7%  not run: 12"), "{out}");
    assert!(row("coverage/broken.dg").ends_with("no coverage: does not parse (line 2)"), "{out}");
    // a sandbox test runs as its own process and still reports its lines
    assert!(row("coverage/sandboxed.dg").ends_with("2/3  66.7%  not run: 5"), "{out}");
    assert!(row("total").contains("10/15"), "{out}");
    assert!(out.trim_end().ends_with("3 passed, 1 failed"), "{out}");
}

#[test]
fn coverage_out_writes_an_lcov_tracefile() {
    let dir = coverage_fixtures();
    let o = dg(&["test", "coverage", "--filter", "branch", "--coverage-out", "lcov.info"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // without --coverage the report is not printed
    assert!(!text(&o).contains("coverage ("), "{}", text(&o));
    let lcov = std::fs::read_to_string(dir.path().join("lcov.info")).unwrap();
    let script = dir.path().canonicalize().unwrap().join("coverage/branch.dg");
    let want = format!(
        "TN:\nSF:{}\nDA:2,1\nDA:3,1\nDA:5,0\nDA:6,0\nDA:10,1\nDA:12,1\nDA:14,2\nDA:16,0\nDA:19,1\n\
         LF:9\nLH:6\nend_of_record\n",
        script.display()
    );
    assert_eq!(lcov, want);
}

#[test]
fn dg_run_coverage_prints_on_stderr_and_writes_lcov() {
    let dir = coverage_fixtures();
    let o = dg(
        &["run", "coverage/branch.dg", "--arg", "amount=500", "--coverage", "--coverage-out", "run.info"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    // stdout is only what the script printed
    assert_eq!(text(&o), "big order\n490\n");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("coverage/branch.dg  7/9  77.8%  not run: 10, 16"), "{err}");
    let lcov = std::fs::read_to_string(dir.path().join("run.info")).unwrap();
    assert!(lcov.contains("DA:5,1\nDA:6,1\n") && lcov.contains("DA:10,0\n") && lcov.contains("LH:7\n"), "{lcov}");
}
