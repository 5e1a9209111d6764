//! `dg test`: finds `NAME.dg` scripts with a `NAME.out` beside them, runs them in parallel
//! (one per core) in the golden format, and reports ok/FAILED, diffs, a summary, JUnit XML
//! and line coverage.

pub mod beside;
pub mod coverage;
pub mod golden;
mod junit;

pub use beside::{command as test_command, seed as seed_beside, skip_reason, write_stats, Extras, Stats};
pub use golden::{command_line, diff, rendered};

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What `dg test` was asked to do.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub bless: bool,
    pub filter: Option<String>,
    pub junit: Option<PathBuf>,
    pub verbose: bool,
    pub colour: bool,
    /// `--record`: run the tests live and rewrite their cassettes.
    pub record: bool,
    /// Seconds each test may run (`--timeout`, default 30).
    pub timeout: Option<f64>,
    /// `--coverage`: print line coverage per script
    pub coverage: bool,
    /// `--coverage-out FILE`: write line coverage as `lcov.info`
    pub coverage_out: Option<PathBuf>,
}

/// How one test ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ok,
    Blessed,
    /// `// dg-skip`: not run; the reason.
    Skipped(String),
    /// The expected output differs (or the test could not run): plain text, and the same
    /// text with the diff coloured.
    Failed {
        plain: String,
        coloured: String,
    },
}

/// One finished test.
#[derive(Debug, Clone)]
pub struct TestResult {
    pub name: String,
    pub outcome: Outcome,
    pub time: Duration,
    /// What the run spent, when it was a `run`.
    pub stats: Option<Stats>,
    /// The lines the test's script ran, when coverage was asked for and the test is a `run`.
    pub coverage: Option<Result<Vec<coverage::FileCoverage>, String>>,
}

/// Every `NAME.dg` under `paths` (files are taken as given) that has a `NAME.out` beside it,
/// sorted; `.dg` files without one are returned in the second list (reported, never passed).
pub fn discover(paths: &[PathBuf]) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut found = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut found)?;
        } else if p.exists() {
            found.push(p.clone());
        } else {
            return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} does not exist", p.display())));
        }
    }
    let mut found: Vec<PathBuf> =
        found.into_iter().map(|p| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p)).collect();
    found.sort();
    found.dedup();
    Ok(found.into_iter().partition(|p| p.with_extension("out").is_file()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let hidden = p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if p.is_dir() && !hidden && !p.ends_with("target") {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "dg") {
            out.push(p);
        }
    }
    Ok(())
}

/// The test's name: its path without `.dg`.
fn test_name(path: &Path) -> String {
    path.with_extension("").display().to_string()
}

/// Run one script as its header and the files beside it say, and render what it printed.
/// Scripts using `--sandbox` run as their own `dg` process with a fresh state directory, so
/// each starts from the seed data whatever the other tests wrote; the rest run in this process.
pub fn render(path: &Path, extras: Extras) -> (String, Option<Stats>) {
    render_counting(path, extras, None)
}

/// `render`, and when the test is a `dg run` and `lcov` is given, its line coverage is
/// written there (`--coverage-out`).
fn render_counting(path: &Path, extras: Extras, lcov: Option<&Path>) -> (String, Option<Stats>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut args = test_command(path, &text, extras);
    let stats_file = tempfile::NamedTempFile::new().ok();
    if let (Some(f), Some(script)) = (&stats_file, args.pop()) {
        if args.first().is_some_and(|a| a == "run") {
            args.extend(["--stats".into(), f.path().as_os_str().to_owned()]);
            if let Some(file) = lcov {
                args.extend(["--coverage-out".into(), file.as_os_str().to_owned()]);
            }
        }
        args.push(script);
    }
    let had_cassette = beside::cassette_of(path).is_file();
    let out = if args.iter().any(|a| a == "--sandbox") {
        render_process(&args)
    } else {
        let argv: Vec<OsString> = std::iter::once(OsString::from("dg")).chain(args).collect();
        let mut host = crate::CaptureHost::default();
        let mut err = String::new();
        let code = crate::cli::execute(argv, &mut host, &mut err);
        rendered(&host.out, &format!("{}{}", host.notes, err), code)
    };
    // `--record` keeps a new cassette only for a test that made requests
    let cassette = beside::cassette_of(path);
    if extras.record && !had_cassette && cassette.is_file() {
        let empty = std::fs::read_to_string(&cassette).is_ok_and(|t| t.contains("\"interactions\": []"));
        if empty {
            let _ = std::fs::remove_file(&cassette);
        }
    }
    (out, stats_file.and_then(|f| beside::read_stats(f.path())))
}

fn render_process(args: &[OsString]) -> String {
    let exe = std::env::var_os("DG_EXE").map(PathBuf::from).or_else(|| std::env::current_exe().ok());
    let Some(exe) = exe else { return rendered("", "error: cannot find the dg executable\n", 1) };
    let state = match tempfile::tempdir() {
        Ok(s) => s,
        Err(e) => return rendered("", &format!("error: cannot make a state directory: {e}\n"), 1),
    };
    if let Some(script) = args.last() {
        if let Err(e) = seed_beside(Path::new(script), state.path()) {
            return rendered("", &e.render(None), e.exit_code());
        }
    }
    match std::process::Command::new(exe)
        .args(args)
        .env("DG_HOME", state.path())
        .stdin(std::process::Stdio::null())
        .output()
    {
        Ok(o) => rendered(
            &String::from_utf8_lossy(&o.stdout),
            &String::from_utf8_lossy(&o.stderr),
            o.status.code().unwrap_or(-1),
        ),
        Err(e) => rendered("", &format!("error: cannot run dg: {e}\n"), 1),
    }
}

/// Run one test: render it, then compare with (or with `bless`, write) its `.out`.
/// With `coverage`, count the lines it ran.
pub fn run_one(path: &Path, bless: bool, extras: Extras, coverage: bool) -> TestResult {
    let start = Instant::now();
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if let Some(why) = beside::skip_reason(&text) {
        return TestResult {
            name: test_name(path),
            outcome: Outcome::Skipped(why),
            time: Duration::ZERO,
            stats: None,
            coverage: None,
        };
    }
    let p = path.to_path_buf();
    let lcov = if coverage { tempfile::NamedTempFile::new().ok() } else { None };
    let lcov_path = lcov.as_ref().map(|f| f.path().to_path_buf());
    // a big stack, as the binary has: some scripts nest deeply on purpose
    let actual = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || render_counting(&p, extras, lcov_path.as_deref()))
        .map_err(|e| e.to_string())
        .and_then(|h| h.join().map_err(|_| "dg panicked while running the test".to_string()));
    let stats = actual.as_ref().ok().and_then(|(_, s)| *s);
    let actual = actual.map(|(out, _)| out);
    let expected_path = path.with_extension("out");
    let outcome = match actual {
        Err(e) => failed(format!("{e}\n")),
        Ok(actual) if bless => match std::fs::write(&expected_path, &actual) {
            Ok(()) => Outcome::Blessed,
            Err(e) => failed(format!("cannot write {}: {e}\n", expected_path.display())),
        },
        Ok(actual) => match std::fs::read_to_string(&expected_path) {
            Err(e) => failed(format!("cannot read {}: {e}\n", expected_path.display())),
            Ok(expected) if expected == actual => Outcome::Ok,
            Ok(expected) => {
                Outcome::Failed { plain: diff(&expected, &actual, false), coloured: diff(&expected, &actual, true) }
            }
        },
    };
    let coverage = coverage.then(|| counted_lines(path, lcov.as_ref().map(|f| f.path()))).flatten();
    TestResult { name: test_name(path), outcome, time: start.elapsed(), stats, coverage }
}
/// What a test's run wrote to its coverage file; `None` for tests that are not `dg run`.
fn counted_lines(path: &Path, lcov: Option<&Path>) -> Option<Result<Vec<coverage::FileCoverage>, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if command_line(path, &text).first().is_none_or(|a| a != "run") {
        return None;
    }
    let Some(lcov) = lcov else { return Some(Err("no coverage: cannot make a temporary file".into())) };
    let files = std::fs::read_to_string(lcov).map_err(|e| e.to_string()).and_then(|t| coverage::parse_lcov(&t));
    Some(match files {
        Ok(files) if !files.is_empty() => Ok(files),
        Ok(_) => {
            let src = crate::syntax::SourceFile::new(path.display().to_string(), text);
            Err(match crate::syntax::parse(&src) {
                Err(e) => format!(
                    "no coverage: does not parse (line {})",
                    e.span().map_or(0, |s| src.line_of(s.start as usize))
                ),
                Ok(_) => "no coverage: the script did not run".into(),
            })
        }
        Err(e) => Err(format!("no coverage: {e}")),
    })
}

/// Run every test on `workers` threads; results come back in the order of `paths`.
pub fn run_all(paths: &[PathBuf], bless: bool, extras: Extras, coverage: bool, workers: usize) -> Vec<TestResult> {
    let paths: Arc<Vec<PathBuf>> = Arc::new(paths.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let results: Arc<Mutex<Vec<Option<TestResult>>>> = Arc::new(Mutex::new(vec![None; paths.len()]));
    let handles: Vec<_> = (0..workers.max(1).min(paths.len().max(1)))
        .map(|_| {
            let (paths, next, results) = (paths.clone(), next.clone(), results.clone());
            std::thread::spawn(move || loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(p) = paths.get(i) else { break };
                let r = run_one(p, bless, extras, coverage);
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
            })
        })
        .collect();
    for h in handles {
        let _ = h.join();
    }
    let all = results.lock().map(|r| r.clone()).unwrap_or_default();
    all.into_iter()
        .zip(paths.iter())
        .map(|(r, p)| {
            r.unwrap_or_else(|| TestResult {
                name: test_name(p),
                outcome: failed("the test runner stopped before this test finished\n".into()),
                time: Duration::ZERO,
                stats: None,
                coverage: None,
            })
        })
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.0}ms", d.as_secs_f64() * 1000.0)
}

/// `dg test`: returns the report (for stdout), any error text and the exit code.
pub fn run(opts: &Options) -> (String, String, i32) {
    let roots = if opts.paths.is_empty() { vec![PathBuf::from(".")] } else { opts.paths.clone() };
    let (mut tests, mut missing) = match discover(&roots) {
        Ok(t) => t,
        Err(e) => return (String::new(), format!("error: {e}\n"), 2),
    };
    if let Some(f) = &opts.filter {
        tests.retain(|p| test_name(p).contains(f.as_str()));
        missing.retain(|p| test_name(p).contains(f.as_str()));
    }
    if opts.bless {
        // --bless writes the missing `.out` files too (as the report of a missing one says)
        tests.append(&mut missing);
        tests.sort();
    }
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let started = Instant::now();
    let extras = Extras { record: opts.record, timeout: opts.timeout };
    let counting = opts.coverage || opts.coverage_out.is_some();
    let results = run_all(&tests, opts.bless, extras, counting, workers);
    let mut out = String::new();
    let (red, green, reset) = if opts.colour { ("\x1b[31m", "\x1b[32m", "\x1b[0m") } else { ("", "", "") };
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for r in &results {
        match &r.outcome {
            Outcome::Ok => {
                passed += 1;
                out.push_str(&format!("test {} ... {green}ok{reset} ({})\n", r.name, ms(r.time)));
            }
            Outcome::Blessed => {
                passed += 1;
                out.push_str(&format!("test {} ... {green}blessed{reset} ({})\n", r.name, ms(r.time)));
            }
            Outcome::Skipped(why) => {
                skipped += 1;
                let why = if why.is_empty() { String::new() } else { format!(": {why}") };
                out.push_str(&format!("test {} ... skipped{why}\n", r.name));
            }
            Outcome::Failed { .. } => {
                failed += 1;
                out.push_str(&format!("test {} ... {red}FAILED{reset} ({})\n", r.name, ms(r.time)));
            }
        }
    }
    for p in &missing {
        out.push_str(&format!(
            "test {} ... {red}FAILED{reset} (no {}: run `dg test --bless` to create it)\n",
            test_name(p),
            p.with_extension("out").display()
        ));
    }
    failed += missing.len();
    let mut failures = String::new();
    for r in &results {
        if let Outcome::Failed { plain, coloured } = &r.outcome {
            let text = if opts.colour { coloured } else { plain };
            failures.push_str(&format!("\n---- {} (- expected, + actual) ----\n{text}", r.name));
        }
    }
    if !failures.is_empty() {
        out.push_str(&failures);
        out.push('\n');
    }
    if opts.verbose && !results.is_empty() {
        let mut slow: Vec<&TestResult> = results.iter().collect();
        slow.sort_by_key(|t| std::cmp::Reverse(t.time));
        out.push_str(&format!("{} tests in {}; slowest:\n", results.len(), ms(started.elapsed())));
        for r in slow.iter().take(5) {
            out.push_str(&format!("  {} {}{}\n", ms(r.time), r.name, spent(r.stats)));
        }
        let mut costly: Vec<&TestResult> =
            results.iter().filter(|r| r.stats.is_some_and(|s| s.zoho_calls > 0)).collect();
        costly.sort_by_key(|t| std::cmp::Reverse(t.stats.map(|s| (s.crm_credits, s.zoho_calls))));
        if !costly.is_empty() {
            out.push_str("costliest (Zoho API calls, CRM credits):\n");
            for r in costly.iter().take(5) {
                out.push_str(&format!("  {}{}\n", r.name, spent(r.stats)));
            }
        }
    }
    let skipped = if skipped > 0 { format!(", {skipped} skipped") } else { String::new() };
    let mut err = String::new();
    if counting {
        let report = coverage_report(&results, &tests);
        if opts.coverage {
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
            out.push_str(&report.text(shown));
            out.push('\n');
        }
        if let Some(path) = &opts.coverage_out {
            if let Err(e) = std::fs::write(path, report.lcov()) {
                err.push_str(&format!("error: cannot write {}: {e}\n", path.display()));
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed{skipped}\n"));
    if let Some(path) = &opts.junit {
        if let Err(e) = std::fs::write(path, junit::xml(&results, &missing)) {
            err.push_str(&format!("error: cannot write {}: {e}\n", path.display()));
        }
    }
    let code = if failed > 0 || !err.is_empty() { 1 } else { 0 };
    (out, err, code)
}

/// A test's statements, Zoho calls and CRM credits, for `--verbose`.
fn spent(stats: Option<Stats>) -> String {
    let Some(s) = stats else { return String::new() };
    let mut out = format!(" ({} statements", s.statements);
    if s.zoho_calls > 0 {
        out.push_str(&format!(", {} Zoho calls, {} CRM credits", s.zoho_calls, s.crm_credits));
    }
    out.push(')');
    out
}

fn failed(text: String) -> Outcome {
    Outcome::Failed { plain: text.clone(), coloured: text }
}

/// The coverage of every test's script, keyed by absolute path.
fn coverage_report(results: &[TestResult], paths: &[PathBuf]) -> coverage::Report {
    let mut report = coverage::Report::default();
    for (r, p) in results.iter().zip(paths) {
        match &r.coverage {
            Some(Ok(files)) => files.iter().for_each(|f| report.add(f.clone())),
            Some(Err(why)) => report.unmeasured(&absolute(p), why),
            None => {}
        }
    }
    report
}

fn absolute(p: &Path) -> String {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

/// A path as the report shows it: relative to the current directory when inside it.
fn shown(path: &str) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    Path::new(path).strip_prefix(&cwd).map(|p| p.display().to_string()).unwrap_or_else(|_| path.to_string())
}
