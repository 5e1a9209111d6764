//! `dg repl` on a terminal: a pseudo-terminal types a multi-line block, Tab completions,
//! Ctrl-C at the prompt and during a running statement, and reads what the screen shows.
#![cfg(unix)]

use rexpect::session::{spawn_with_options, Options, PtySession};
use std::process::Command;

fn start(home: &std::path::Path, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dg"));
    cmd.arg("repl").args(args).env("DG_HOME", home).env("TERM", "xterm").env_remove("DG_CONNECTIONS");
    cmd.current_dir(home);
    let options = Options::new().timeout_ms(Some(20_000)).strip_ansi_escape_codes(true);
    spawn_with_options(cmd, options).expect("start dg repl in a pseudo-terminal")
}

/// Type keys without Enter.
fn keys(p: &mut PtySession, text: &str) {
    p.send(text).unwrap();
    p.flush().unwrap();
}

/// Type a line and Enter, then wait until the editor has taken it and shows `prompt`.
fn enter(p: &mut PtySession, line: &str, prompt: &str) {
    p.send_line(line).unwrap();
    // the editor shows the whole line once more, then a line end, when it takes the line
    p.exp_regex(&format!(r"{}\r*\n", regex::escape(line))).unwrap();
    p.exp_string(prompt).unwrap();
}

#[test]
fn a_typed_session_with_blocks_completion_and_history() {
    let home = tempfile::tempdir().unwrap();
    let mut p = start(home.path(), &[]);
    p.exp_string("dg> ").unwrap();
    enter(&mut p, "tally = 0;", "dg> ");
    // a block over several lines: each unfinished line gets the continuation prompt
    enter(&mut p, "for each n in {1, 2, 3}", "... ");
    enter(&mut p, "{", "... ");
    enter(&mut p, "  tally = tally + n;", "... ");
    enter(&mut p, "}", "dg> ");
    // Tab completes a variable name (`tally`: `tot` would also match totalMonths/totalYears)...
    keys(&mut p, "info tal");
    keys(&mut p, "\t");
    p.exp_string("info tally").unwrap();
    p.send_line(" * 10;").unwrap();
    p.exp_string("60\r\n").unwrap();
    p.exp_string("dg> ").unwrap();
    // ...and a method of the variable's type
    enter(&mut p, "name = \"ada\";", "dg> ");
    keys(&mut p, "info name.toUpp");
    keys(&mut p, "\t");
    p.exp_string("name.toUpperCase").unwrap();
    p.send_line("();").unwrap();
    p.exp_string("ADA\r\n").unwrap();
    // Ctrl-C drops the unfinished entry and gives a fresh prompt
    enter(&mut p, "m = {", "... ");
    p.send_control('c').unwrap();
    p.exp_string("dg> ").unwrap();
    p.send_line("info \"fresh\";").unwrap();
    p.exp_string("fresh\r\n").unwrap();
    // an error prints with the session's line and the session goes on
    p.send_line("info nope;").unwrap();
    p.exp_string("--> <repl>:11:6").unwrap();
    p.send_line(":vars").unwrap();
    p.exp_string("tally  Number  6").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let history = std::fs::read_to_string(home.path().join("repl_history")).expect("history file");
    assert!(history.contains("tally = tally + n;"), "{history}");
    assert!(history.contains(":vars"), "{history}");
}

#[test]
fn ctrl_d_on_an_unfinished_entry_says_so_and_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let mut p = start(home.path(), &[]);
    p.exp_string("dg> ").unwrap();
    enter(&mut p, "m = {", "... ");
    p.send_control('d').unwrap();
    p.exp_string("unfinished entry; it was not run").unwrap();
    p.exp_eof().unwrap();
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => assert_eq!(code, 2),
        other => panic!("dg did not exit: {other:?}"),
    }
}

#[test]
fn ctrl_c_stops_a_statement_at_its_next_call() {
    let home = tempfile::tempdir().unwrap();
    let mut p = start(home.path(), &["--sandbox"]);
    p.exp_string("dg> ").unwrap();
    enter(&mut p, "n = 0;", "dg> ");
    let ten = "{1,2,3,4,5,6,7,8,9,10}";
    p.send_line(&format!(
        "for each a in {ten} {{ for each b in {ten} {{ for each c in {ten} {{ n = n + 1; info \"call \" + n; r = zoho.crm.getRecords(\"Leads\"); }} }} }}"
    ))
    .unwrap();
    p.exp_string("call 3\r\n").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string("dg> ").unwrap();
    // the variables survive: the loop stopped well before its 1000th call
    p.send_line("info n < 1000;").unwrap();
    p.exp_string("true\r\n").unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_stops_a_loop_that_calls_nothing() {
    let home = tempfile::tempdir().unwrap();
    let mut p = start(home.path(), &[]);
    p.exp_string("dg> ").unwrap();
    enter(&mut p, "n = 0;", "dg> ");
    enter(&mut p, "ten = {1,2,3,4,5,6,7,8,9,10};", "dg> ");
    // 10^9 iterations: minutes of work unless Ctrl-C stops it
    p.send_line(
        "for each a in ten { for each b in ten { for each c in ten { for each d in ten { for each e in ten { \
         for each f in ten { for each g in ten { for each h in ten { for each i in ten { n = n + 1; } } } } } } } } }",
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.exp_string("dg> ").unwrap();
    p.send_line("info n > 0 && n < 1000000000;").unwrap();
    p.exp_string("true\r\n").unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn colours_the_line_being_typed() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dg"));
    cmd.arg("repl").env("DG_HOME", home.path()).env("TERM", "xterm").env_remove("NO_COLOR");
    let mut p = spawn_with_options(cmd, Options::new().timeout_ms(Some(20_000))).unwrap();
    p.exp_string("dg> ").unwrap();
    keys(&mut p, "info \"hi\";");
    // the keyword in magenta, the string in green
    p.exp_string("\x1b[35minfo\x1b[0m \x1b[32m\"hi\"\x1b[0m").unwrap();
    p.send_line("").unwrap();
    p.exp_string("hi\r\n").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
}
