//! The golden suite: one named test per `scripts/**/*.dg`, comparing what `dg` prints
//! (stdout, then stderr and the exit code when there are any) with the sibling `.out`.
//!
//! A first line `// dg: run --statement-limit 10` gives the command line (the file is
//! appended); the default is `run`. `BLESS=1 cargo test --test golden` rewrites the `.out` files.

mod common;

use common::golden::{compare, on_big_stack, rendered_process, run_in_process};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};

fn scripts(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("scripts/ exists").flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scripts(&p, out);
        } else if p.extension().is_some_and(|e| e == "dg") {
            out.push(p);
        }
    }
}

/// Run one script the way the binary would (with the cassette, fixture and connections file
/// beside it, as `dg test` runs it) and render everything it printed.
fn render(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut argv: Vec<std::ffi::OsString> = vec!["dg".into()];
    argv.extend(deluge::testing::test_command(path, &text, deluge::testing::Extras::default()));
    if argv.iter().any(|a| a == "--sandbox") {
        return render_process(&argv[1..]);
    }
    run_in_process(argv.split_off(1))
}

/// Sandbox scripts run as their own `dg` process with a fresh state directory, so each
/// starts from the sandbox's seed data whatever the other scripts wrote.
fn render_process(args: &[std::ffi::OsString]) -> String {
    let state = tempfile::tempdir().expect("temp dir");
    if let Some(script) = args.last() {
        if let Err(e) = deluge::testing::seed_beside(Path::new(script), state.path()) {
            return deluge::testing::rendered("", &e.render(None), e.exit_code());
        }
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(args)
        .env("DG_HOME", state.path())
        .env_remove("DG_CONNECTIONS")
        .output()
        .expect("run dg");
    rendered_process(&o)
}

fn check(path: PathBuf) -> Result<(), Failed> {
    let p = path.clone();
    let actual = on_big_stack(move || render(&p))?;
    compare(&path.with_extension("out"), &actual, "golden")
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("cd to the crate root");
    // Never the user's own state: an empty state directory and the suite's connections file.
    let state = std::env::temp_dir().join(format!("dg-golden-{}", std::process::id()));
    std::env::set_var("DG_HOME", &state);
    std::env::set_var("DG_CONNECTIONS", "tests/golden_connections.toml");
    std::env::remove_var("DG_MASTER_KEY");
    let mut paths = Vec::new();
    scripts(Path::new("scripts"), &mut paths);
    let trials = paths
        .into_iter()
        .map(|p| {
            let name = p.with_extension("").strip_prefix("scripts").unwrap_or(&p).display().to_string();
            let name = name.trim_start_matches('/').replace('/', "::");
            let skip = deluge::testing::skip_reason(&std::fs::read_to_string(&p).unwrap_or_default()).is_some();
            Trial::test(name, move || check(p)).with_ignored_flag(skip)
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    let _ = std::fs::remove_dir_all(&state);
    conclusion.exit();
}
