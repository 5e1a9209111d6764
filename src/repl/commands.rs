//! The REPL's `:` commands: `:help`, `:vars`, `:connections`, `:reset`, `:load FILE`, `:quit`.

use super::session::Session;
use crate::host::Host;
use crate::value::Value;
use std::path::Path;

/// What a command asks of the loop.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The command failed: its message (rendered) and exit code.
    Failed(String, i32),
    Quit,
}

pub const HELP: &str = "\
Type Deluge statements; each runs once it is complete, and variables stay for the session.
An unfinished statement (an open brace, bracket or string) continues on the next line.
After an `if` block, the REPL waits one line for an `else`: press Enter to run it.
Function definitions (`int twice(int n) { return n * 2; }`) can be called by later lines.

  :help              this text
  :vars              the variables: name, type and value
  :connections       the connections declared in the connections file
  :reset             forget every variable and function
  :load FILE         run a .dg file in this session
  :quit              leave (Ctrl-D too)

Tab completes variables, functions, methods after `.`, `zoho.` tasks and, inside a string,
connection link names. Ctrl-C drops the line being typed, or interrupts a running statement.";

/// Run one command line (starting with `:`).
pub fn run(line: &str, number: usize, session: &mut Session, connections: Option<&Path>) -> Outcome {
    let (name, arg) = match line.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (line, ""),
    };
    let say = |session: &mut Session, text: &str| {
        for l in text.lines() {
            session.host.info(l);
        }
        session.flush();
    };
    match name {
        ":help" | ":h" | ":?" => say(session, HELP),
        ":vars" => {
            let text = vars_table(&session.vars());
            say(session, &text);
        }
        ":connections" => {
            let listed = crate::integrations::registry::Registry::open(connections)
                .and_then(|reg| crate::integrations::commands::list(&reg));
            match listed {
                Ok(text) => say(session, &text),
                Err(e) => return Outcome::Failed(e.render(None), e.exit_code()),
            }
        }
        ":reset" => {
            session.reset();
            say(session, "reset: every variable and function is forgotten");
        }
        ":load" if !arg.is_empty() => {
            let path = Path::new(arg);
            let text = match std::fs::read(path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    return Outcome::Failed(format!("error: cannot read {}: {e}\n", path.display()), 2);
                }
            };
            if let Err((msg, code)) = session.run(&path.display().to_string(), 1, &text) {
                return Outcome::Failed(msg, code);
            }
        }
        ":quit" | ":q" | ":exit" => return Outcome::Quit,
        _ => {
            let what = if name == ":load" {
                "`:load` needs a file: `:load FILE`".to_string()
            } else {
                format!("unknown command '{name}': :help lists the commands")
            };
            return Outcome::Failed(format!("error: {what}\n  --> <repl>:{number}\n"), 2);
        }
    }
    Outcome::Done
}

/// One row per variable: name, type and the value cut to one short line.
pub fn vars_table(vars: &[(std::rc::Rc<str>, Value)]) -> String {
    const WIDTH: usize = 60;
    let name_w = vars.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0);
    let type_w = vars.iter().map(|(_, v)| type_word(v).len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, v) in vars {
        let kind = type_word(v);
        let mut shown: String = v.to_text().replace('\n', "\\n");
        if shown.chars().count() > WIDTH {
            shown = shown.chars().take(WIDTH - 3).collect::<String>() + "...";
        }
        let row = format!("{name:name_w$}  {kind:type_w$}  {shown}");
        out.push_str(row.trim_end());
        out.push('\n');
    }
    if vars.is_empty() {
        out.push_str("no variables yet\n");
    }
    out
}

/// The Deluge type word of a value, as a script's declarations spell it.
fn type_word(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "Boolean",
        Value::Int(_) => "Number",
        Value::Dec(_) => "Decimal",
        Value::Text(_) => "Text",
        Value::Date(_) => "Date",
        Value::DateTime(_) => "DateTime",
        Value::Coll(c) if c.is_undecided() => "Collection",
        Value::Coll(c) if c.is_list() => "List",
        Value::Coll(_) => "Map",
        Value::File(_) => "File",
    }
}
