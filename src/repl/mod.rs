//! `dg repl`: reads Deluge statements and runs each once it is complete. On a terminal it
//! edits lines with history, completion and colours; otherwise it reads stdin and prints only
//! the outputs, so it can be scripted.

mod commands;
pub(crate) mod complete;
mod editor;
mod host;
mod input;
mod session;

use crate::host::Host;
use crate::integrations::net_host::NetHost;
use commands::Outcome;
use input::{Input, Step};
use session::{Session, REPL_NAME};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// `dg repl [--sandbox] [--connections PATH]`.
pub struct Options {
    /// `--sandbox`: starts the offline sandbox the session's Zoho calls go to.
    pub sandbox: Option<crate::integrations::net_host::StartSandbox>,
    pub connections: Option<PathBuf>,
}

/// Run a session on stdin. Returns the exit code: on a terminal 0 (2 when Ctrl-D left an
/// entry unfinished); otherwise 0 when every
/// entry ran, else the highest exit code of the failures (1 runtime error, 2 syntax error).
pub fn run(opts: &Options, host: &mut dyn Host) -> i32 {
    let interrupted = Arc::new(AtomicBool::new(false));
    let net = NetHost::new(host, opts.connections.clone(), false, opts.sandbox);
    let mut repl = Repl {
        session: Session::new(host::ReplHost::new(net, interrupted.clone())),
        input: Input::new(),
        connections: opts.connections.clone(),
        sandbox: opts.sandbox.is_some(),
        interrupted,
        code: 0,
        colour: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    if std::io::stdin().is_terminal() {
        repl.interactive()
    } else {
        repl.piped();
        repl.code
    }
}

struct Repl<'h> {
    session: Session<'h>,
    input: Input,
    connections: Option<PathBuf>,
    sandbox: bool,
    interrupted: Arc<AtomicBool>,
    /// The highest exit code of a failed entry so far.
    code: i32,
    colour: bool,
}

impl Repl<'_> {
    /// Run what a line completed; false once the session should end.
    fn steps(&mut self, steps: Vec<Step>) -> bool {
        for step in steps {
            self.interrupted.store(false, Ordering::Relaxed);
            let outcome = match step {
                Step::Entry(e) => match self.session.run(REPL_NAME, e.first_line, &e.text) {
                    Ok(()) => Outcome::Done,
                    Err((msg, code)) => Outcome::Failed(msg, code),
                },
                Step::Command(line, number) => {
                    commands::run(&line, number, &mut self.session, self.connections.as_deref())
                }
            };
            self.interrupted.store(false, Ordering::Relaxed);
            match outcome {
                Outcome::Done => {}
                Outcome::Failed(msg, code) => {
                    self.session.flush();
                    let text = if self.colour { crate::cli::colourise(&msg) } else { msg };
                    let _ = std::io::stderr().write_all(text.as_bytes());
                    self.code = self.code.max(code);
                }
                Outcome::Quit => return false,
            }
        }
        true
    }

    /// stdin is not a terminal: no prompts, only what the statements print.
    fn piped(&mut self) {
        let mut stdin = std::io::stdin().lock();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match stdin.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf);
                    let steps = self.input.line(line.strip_suffix('\n').unwrap_or(&line));
                    if !self.steps(steps) {
                        return;
                    }
                }
                Err(e) => {
                    eprintln!("error: cannot read stdin: {e}");
                    self.code = self.code.max(2);
                    break;
                }
            }
        }
        let last = self.input.finish();
        self.steps(last.into_iter().collect());
    }

    /// stdin is a terminal: the line editor with history, completion and colours. Returns the
    /// exit code.
    fn interactive(&mut self) -> i32 {
        use rustyline::error::ReadlineError;
        // Ctrl-C while a statement runs sets the flag; a second one while the flag is still
        // set (the statement did not stop) ends dg with exit code 130.
        let _ = signal_hook::flag::register_conditional_shutdown(
            signal_hook::consts::SIGINT,
            130,
            self.interrupted.clone(),
        );
        let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, self.interrupted.clone());
        // each `info` line shows at once, not when the statement ends
        self.session.host.flush_each_line = true;
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let config = rustyline::Config::builder()
            .auto_add_history(false)
            .completion_type(rustyline::CompletionType::List)
            .color_mode(if colour { rustyline::ColorMode::Enabled } else { rustyline::ColorMode::Disabled })
            .build();
        let mut ed: rustyline::Editor<editor::ReplHelper, rustyline::history::FileHistory> =
            match rustyline::Editor::with_config(config) {
                Ok(ed) => ed,
                Err(e) => {
                    eprintln!("error: cannot start the line editor: {e}");
                    return 2;
                }
            };
        let links = crate::integrations::registry::Registry::open(self.connections.as_deref())
            .map(|r| r.file.connections.keys().cloned().collect())
            .unwrap_or_default();
        ed.set_helper(Some(editor::ReplHelper { known: complete::Known { links, ..Default::default() }, colour }));
        let history = crate::integrations::store::state_dir().ok().map(|d| d.join("repl_history"));
        if let Some(h) = &history {
            let _ = ed.load_history(h);
        }
        let sandbox = if self.sandbox { " (Zoho APIs from the offline sandbox)" } else { "" };
        println!("dg {} Deluge REPL{sandbox}: :help for help, Ctrl-D to leave", env!("CARGO_PKG_VERSION"));
        let mut typed = String::new();
        loop {
            if let Some(helper) = ed.helper_mut() {
                helper.known.vars =
                    self.session.vars().iter().map(|(n, v)| (n.to_string(), complete::Kind::of(v))).collect();
                helper.known.functions = self.session.function_names();
            }
            let prompt = if self.input.pending() { "... " } else { "dg> " };
            let text = match ed.readline(prompt) {
                Ok(text) => text,
                Err(ReadlineError::Interrupted) => {
                    self.input.cancel();
                    typed.clear();
                    continue;
                }
                Err(ReadlineError::Eof) => {
                    // Ctrl-D in the middle of an entry: it is not run, and dg says so
                    if self.input.pending() {
                        eprintln!("error: Ctrl-D ended the session with an unfinished entry; it was not run");
                        return 2;
                    }
                    break;
                }
                Err(e) => {
                    eprintln!("error: cannot read the line: {e}");
                    break;
                }
            };
            let mut go_on = true;
            for line in text.split('\n') {
                if !typed.is_empty() {
                    typed.push('\n');
                }
                typed.push_str(line);
                let steps = self.input.line(line);
                go_on = go_on && self.steps(steps);
            }
            if !self.input.pending() && !typed.trim().is_empty() {
                let _ = ed.add_history_entry(typed.trim_end());
                if let Some(h) = &history {
                    let _ = ed.append_history(h);
                }
                typed.clear();
            }
            if !go_on {
                break;
            }
        }
        0
    }
}

#[cfg(test)]
#[path = "repl_tests.rs"]
mod tests;
