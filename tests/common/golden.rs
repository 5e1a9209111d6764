//! What the golden-style suites (tests/golden.rs, tests/check.rs, tests/repl.rs) share: the
//! rendering of a run (stdout, then `--- stderr ---` and `--- exit N ---` when there are
//! any), `dg` run in-process, a big stack, and the compare-or-bless step with its diff.

use libtest_mimic::Failed;
use std::ffi::OsString;
use std::path::Path;

/// What a run printed, as the `.out` files hold it (the one implementation is `dg test`'s).
pub use deluge::testing::rendered;

/// A finished `dg` process, rendered.
pub fn rendered_process(o: &std::process::Output) -> String {
    let code = o.status.code().unwrap_or(-1);
    rendered(&String::from_utf8_lossy(&o.stdout), &String::from_utf8_lossy(&o.stderr), code)
}

/// Run `dg ARGS` in this process (as the binary would, output captured) and render it.
pub fn run_in_process(args: Vec<OsString>) -> String {
    let argv: Vec<OsString> = std::iter::once(OsString::from("dg")).chain(args).collect();
    let mut host = deluge::CaptureHost::default();
    let mut err = String::new();
    let code = deluge::cli::execute(argv, &mut host, &mut err);
    rendered(&host.out, &format!("{}{}", host.notes, err), code)
}

/// Run on a thread with a big stack, as the binary does (some scripts nest deeply on purpose).
pub fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Failed> {
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .map_err(|_| Failed::from("dg panicked"))
}

/// `actual` against the file at `expected_path`, with a line diff when they differ; with
/// `BLESS` set, write `actual` there instead. `suite` names the test target for the hint.
pub fn compare(expected_path: &Path, actual: &str, suite: &str) -> Result<(), Failed> {
    let bless = format!("BLESS=1 cargo test --test {suite}");
    if std::env::var_os("BLESS").is_some() {
        return std::fs::write(expected_path, actual).map_err(|e| Failed::from(e.to_string()));
    }
    let expected = std::fs::read_to_string(expected_path)
        .map_err(|_| Failed::from(format!("{} is missing: run `{bless}` to create it", expected_path.display())))?;
    if expected == actual {
        return Ok(());
    }
    let mut msg = format!("output differs from {} (- expected, + actual):\n", expected_path.display());
    msg.push_str(&deluge::testing::diff(&expected, actual, false));
    msg.push_str(&format!("if the new output is right, run `{bless}`\n"));
    Err(msg.into())
}
