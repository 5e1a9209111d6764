//! The golden format shared by `dg test` and the project's own suite: the `// dg:` header,
//! the rendering of a run (stdout, `--- stderr ---`, `--- exit N ---`) and the line diff.

use std::ffi::OsString;
use std::path::Path;

/// What a run printed, as the `.out` files hold it.
pub fn rendered(stdout: &str, stderr: &str, code: i32) -> String {
    let mut out = stdout.to_string();
    if !stderr.is_empty() {
        out.push_str("--- stderr ---\n");
        out.push_str(stderr);
    }
    if code != 0 {
        out.push_str(&format!("--- exit {code} ---\n"));
    }
    out
}

/// The command line a test script asks for (without the leading `dg`): the words after
/// `// dg:` on its first line (default `run`), then the script's path.
pub fn command_line(path: &Path, text: &str) -> Vec<OsString> {
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
    let mut argv: Vec<OsString> = match first.trim().strip_prefix("// dg:") {
        Some(flags) => flags.split_whitespace().map(Into::into).collect(),
        None => vec!["run".into()],
    };
    argv.push(path.as_os_str().to_owned());
    argv
}

/// A unified line diff of `expected` against `actual` (`-` expected, `+` actual), in colour
/// (red/green) when `colour` is set.
pub fn diff(expected: &str, actual: &str, colour: bool) -> String {
    let mut msg = String::new();
    for change in similar::TextDiff::from_lines(expected, actual).iter_all_changes() {
        let (sign, on) = match change.tag() {
            similar::ChangeTag::Delete => ("-", "\x1b[31m"),
            similar::ChangeTag::Insert => ("+", "\x1b[32m"),
            similar::ChangeTag::Equal => (" ", ""),
        };
        let mut line = format!("{sign}{change}");
        if change.missing_newline() {
            line.push('\n');
        }
        if colour && !on.is_empty() {
            let body = line.trim_end_matches('\n');
            line = format!("{on}{body}\x1b[0m\n");
        }
        msg.push_str(&line);
    }
    msg
}
