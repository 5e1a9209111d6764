//! Golden REPL sessions: each `tests/repl/*.in` is piped into `dg repl` and what it prints
//! (stdout, then stderr and the exit code when there are any) is compared with the sibling
//! `.out`. A first line `// dg: repl --sandbox` gives the command line (it is also the
//! session's line 1, a comment); the default is `repl`. Each session gets an empty state
//! directory and the golden connections file. `BLESS=1 cargo test --test repl` rewrites the
//! `.out` files.

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
    let mut out = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr);
    if !stderr.is_empty() {
        out.push_str("--- stderr ---\n");
        out.push_str(&stderr);
    }
    let code = o.status.code().unwrap_or(-1);
    if code != 0 {
        out.push_str(&format!("--- exit {code} ---\n"));
    }
    out
}

fn check(path: PathBuf) -> Result<(), Failed> {
    let actual = render(&path);
    let expected_path = path.with_extension("out");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&expected_path, &actual).map_err(|e| Failed::from(e.to_string()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path).map_err(|_| {
        Failed::from(format!(
            "{} is missing: run `BLESS=1 cargo test --test repl` to create it",
            expected_path.display()
        ))
    })?;
    if expected == actual {
        return Ok(());
    }
    let mut msg = format!("output differs from {} (- expected, + actual):\n", expected_path.display());
    for change in similar::TextDiff::from_lines(&expected, &actual).iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => "-",
            similar::ChangeTag::Insert => "+",
            similar::ChangeTag::Equal => " ",
        };
        msg.push_str(&format!("{sign}{change}"));
        if change.missing_newline() {
            msg.push('\n');
        }
    }
    msg.push_str("if the new output is right, run `BLESS=1 cargo test --test repl`\n");
    Err(msg.into())
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
