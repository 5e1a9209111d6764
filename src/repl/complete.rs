//! Tab completion for the REPL: variables, built-in functions, methods after `.` (only those
//! of the receiver's type when it is a known variable), `zoho.` tasks and values, and
//! connection link names inside a string.

use crate::builtins::{self, Recv};
use crate::value::Value;

/// What the completer knows about the session; refreshed after every entry.
#[derive(Default, Clone, Debug)]
pub struct Known {
    pub vars: Vec<(String, Kind)>,
    pub functions: Vec<String>,
    pub links: Vec<String>,
}

/// A variable's type, as far as method completion cares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Text,
    Num,
    List,
    Map,
    /// `{}` before it became a list or a map
    Undecided,
    Time,
    Other,
}

impl Kind {
    pub fn of(v: &Value) -> Kind {
        match v {
            Value::Text(_) => Kind::Text,
            Value::Int(_) | Value::Dec(_) => Kind::Num,
            Value::Date(_) | Value::DateTime(_) => Kind::Time,
            Value::Coll(c) if c.is_undecided() => Kind::Undecided,
            Value::Coll(c) if c.is_list() => Kind::List,
            Value::Coll(_) => Kind::Map,
            _ => Kind::Other,
        }
    }

    fn takes(self, recv: Recv) -> bool {
        matches!(
            (recv, self),
            (Recv::Any, _)
                | (Recv::Text, Kind::Text)
                | (Recv::Num, Kind::Num)
                | (Recv::Time, Kind::Time)
                | (Recv::List, Kind::List | Kind::Undecided)
                | (Recv::Map, Kind::Map | Kind::Undecided)
                | (Recv::Collection, Kind::Undecided)
        )
    }
}

/// Statement words and constructors offered with variable names.
const WORDS: &[&str] = &[
    "info",
    "return",
    "if",
    "else",
    "for each",
    "try",
    "catch",
    "break",
    "continue",
    "invokeurl",
    "sendmail",
    "true",
    "false",
    "null",
    "Map()",
    "List()",
    "Collection()",
];

/// `zoho.*` values the interpreter knows.
const ZOHO_VALUES: &[&str] = &[
    "currentdate",
    "currenttime",
    "loginuserid",
    "adminuserid",
    "loginuser",
    "adminuser",
    "appname",
    "appuri",
    "ipaddress",
];

/// Every `zoho.` name: values, `zoho.encryption.*` and the integration tasks.
pub fn zoho_names() -> Vec<String> {
    let mut out: Vec<String> = ZOHO_VALUES.iter().map(|v| format!("zoho.{v}")).collect();
    out.extend(builtins::encryption_tasks().map(|t| format!("zoho.encryption.{t}")));
    out.extend(crate::zoho::tasks::all().iter().map(|t| t.full_name()));
    out
}

/// The start of the word being completed and the candidates that replace it.
pub fn complete(line: &str, pos: usize, known: &Known) -> (usize, Vec<String>) {
    let before = line.get(..pos).unwrap_or(line);
    if let Some(quote) = open_string(before) {
        let prefix = &before[quote + 1..];
        return (quote + 1, matching(known.links.iter().map(String::as_str), prefix));
    }
    let start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[start..];
    if word.len() >= 4 && word[..4].eq_ignore_ascii_case("zoho") {
        return (start, matching(zoho_names().iter().map(String::as_str), word));
    }
    if let Some(dot) = word.rfind('.') {
        let receiver = &word[..dot];
        let kind = if receiver.is_empty() {
            // `"abc".` or `x.get("a").`: only a string literal tells its type
            before[..start].ends_with(['"', '\'']).then_some(Kind::Text)
        } else if receiver.bytes().all(|b| b.is_ascii_digit()) {
            Some(Kind::Num)
        } else {
            known.vars.iter().find(|(n, _)| n == receiver).map(|(_, k)| *k)
        };
        let methods = builtins::all().filter(|b| kind.is_none_or(|k| k.takes(b.recv))).map(|b| b.name);
        return (start + dot + 1, matching(methods, &word[dot + 1..]));
    }
    if word.is_empty() {
        return (pos, Vec::new());
    }
    let names = known
        .vars
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(known.functions.iter().map(String::as_str))
        .chain(WORDS.iter().copied())
        .chain(std::iter::once("zoho."))
        .chain(builtins::all().map(|b| b.name));
    (start, matching(names, word))
}

/// The names that start with `prefix` (ignoring case), each once, in the order given.
fn matching<'a>(names: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    let lower = prefix.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    names
        .filter(|n| n.to_lowercase().starts_with(&lower) && seen.insert(n.to_lowercase()))
        .map(str::to_string)
        .collect()
}

/// The byte offset of the quote that opens a string still open at the end of `text`.
fn open_string(text: &str) -> Option<usize> {
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match open {
            Some((_, q)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    open = None;
                }
            }
            None if c == '"' || c == '\'' => open = Some((i, c)),
            None => {}
        }
    }
    open.map(|(i, _)| i)
}
