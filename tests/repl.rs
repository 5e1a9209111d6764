//! Golden REPL sessions: each `tests/repl/*.in` is piped into `dg repl` and what it prints
//! (stdout, then stderr and the exit code when there are any) is compared with the sibling
//! `.out`. A first line `// dg: repl --sandbox` gives the command line (it is also the
//! session's line 1, a comment); the default is `repl`. Each session gets an empty state
//! directory and the golden connections file. `BLESS=1 cargo test --test repl` rewrites the
//! `.out` files.

mod common;

use common::golden::{compare, rendered_process};
use libtest_mimic::{Arguments, Failed, Trial};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn render(path: &Path) -> String {
    let input = std::fs::read_to_string(path).unwrap_or_default();
    let first = input.lines().next().unwrap_or("");
    let args: Vec<&str> = match first.trim().strip_prefix("// dg:") {
        Some(flags) => flags.split_whitespace().collect(),
        None => vec!["repl"],
    };
    let state = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(&args)
        .env("DG_HOME", state.path())
        .env("DG_CONNECTIONS", "tests/golden_connections.toml")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dg");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let o = child.wait_with_output().expect("wait for dg");
    writer.join().expect("write stdin");
    rendered_process(&o)
}

fn check(path: PathBuf) -> Result<(), Failed> {
    compare(&path.with_extension("out"), &render(&path), "repl")
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("cd to the crate root");
    let mut sessions: Vec<PathBuf> = std::fs::read_dir("tests/repl")
        .expect("tests/repl exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "in"))
        .collect();
    sessions.sort();
    let trials = sessions
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            Trial::test(name, move || check(p))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
