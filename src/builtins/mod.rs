//! The built-in functions: one registration table over the per-type files, looked up by
//! lower-case name, with one place for arity and receiver checks so errors read alike.
//!
//! Every built-in is callable as a method (`x.trim()`) and as a function (`trim(x)`): in
//! both forms `args[0]` is the receiver and the rest are the arguments.

mod args;
mod file;
mod list;
mod map;
mod misc;
mod missing;
mod number;
mod returns;
mod text;
mod time;
mod words;
mod xml;

pub use args::*;
pub use misc::{convert_elem, encryption_task, encryption_tasks, zoho_local};
pub use missing::{not_implemented, not_implemented_message};
pub use returns::return_type;

use crate::error::{Error, Result};
use crate::value::{Items, Value};
use std::collections::HashMap;

/// A built-in's Rust function: `args[0]` is the receiver.
pub type Func = fn(&[Value]) -> Result<Value>;

/// Which receivers a built-in accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recv {
    /// Any value, null included.
    Any,
    Text,
    /// Number or Decimal.
    Num,
    /// A list (or an undecided empty `{}`).
    List,
    /// A map (or an undecided empty `{}`).
    Map,
    /// A list made by `collection(...)` or an undecided empty `{}` (the key-value collection
    /// functions: a plain list refuses `keys()` as Zoho's does).
    Collection,
    /// Date or DateTime.
    Time,
    /// A FILE.
    File,
}

impl Recv {
    fn accepts(self, v: &Value) -> bool {
        match (self, v) {
            (Recv::Any, _) => true,
            (Recv::Text, Value::Text(_)) => true,
            (Recv::Num, Value::Int(_) | Value::Dec(_)) => true,
            (Recv::Time, Value::Date(_) | Value::DateTime(_)) => true,
            (Recv::File, Value::File(_)) => true,
            (Recv::List, Value::Coll(c)) => {
                let data = c.borrow();
                data.undecided || matches!(data.items, Items::List(_))
            }
            (Recv::Map, Value::Coll(c)) => matches!(c.borrow().items, Items::Map(_)),
            (Recv::Collection, Value::Coll(c)) => {
                let data = c.borrow();
                data.undecided || (data.collection && matches!(data.items, Items::List(_)))
            }
            _ => false,
        }
    }
}

/// One table entry. `min`/`max` count the arguments after the receiver.
pub struct Builtin {
    pub name: &'static str,
    pub recv: Recv,
    pub min: usize,
    pub max: usize,
    pub func: Func,
}

/// Shorthand for table rows: `b("trim", Recv::Text, 0, 0, trim)`.
pub const fn b(name: &'static str, recv: Recv, min: usize, max: usize, func: Func) -> Builtin {
    Builtin { name, recv, min, max, func }
}

type Table = HashMap<String, Vec<&'static Builtin>, foldhash::fast::FixedState>;

fn table() -> &'static Table {
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = HashMap::default();
        // Order matters where a name has several receivers: the first that accepts wins, so
        // the table is filled in `all()`'s order.
        for entry in all() {
            t.entry(entry.name.to_ascii_lowercase()).or_default().push(entry);
        }
        t
    })
}

/// Every entry, in table order (the REPL completes names from it).
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    [
        text::BUILTINS,
        number::BUILTINS,
        list::BUILTINS,
        map::BUILTINS,
        time::BUILTINS,
        misc::BUILTINS,
        file::BUILTINS,
        xml::BUILTINS,
        words::BUILTINS,
    ]
    .into_iter()
    .flatten()
}

/// The entries of a built-in name (case-insensitive), if it is one.
pub fn lookup(name: &str) -> Option<&'static [&'static Builtin]> {
    let mut buf = [0u8; 48];
    match lower(name, &mut buf) {
        Some(key) => table().get(key),
        None => table().get(&name.to_ascii_lowercase()),
    }
    .map(|v| v.as_slice())
}

/// Lower-case short names into a stack buffer (no allocation on the hot path).
fn lower<'b>(name: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    if name.len() > buf.len() || !name.is_ascii() {
        return None;
    }
    let b = &mut buf[..name.len()];
    b.copy_from_slice(name.as_bytes());
    b.make_ascii_lowercase();
    std::str::from_utf8(b).ok()
}

/// The entries that take `n` arguments after the receiver: a call site knows its argument
/// count when it is compiled, so only the receiver's type is left to check per call.
pub fn fitting(entries: &[&'static Builtin], n: usize) -> Box<[&'static Builtin]> {
    entries.iter().filter(|e| (e.min..=e.max).contains(&n)).copied().collect()
}

/// Call the first of `fit` (from `fitting`) that accepts the receiver `args[0]`; when none
/// does, `dispatch` over all the name's entries gives the error.
#[inline]
pub fn call_fitting(
    name: &str,
    entries: &[&'static Builtin],
    fit: &[&'static Builtin],
    args: &[Value],
) -> Result<Value> {
    if let Some(recv) = args.first() {
        for e in fit {
            if e.recv.accepts(recv) {
                return (e.func)(args);
            }
        }
    }
    dispatch(name, entries, args)
}

/// Call a name's entries (the evaluator may cache `lookup`'s answer).
pub fn dispatch(name: &str, entries: &[&'static Builtin], args: &[Value]) -> Result<Value> {
    let n = args.len().saturating_sub(1);
    // Zoho reports a wrong argument count before it looks at the receiver's type.
    if args.is_empty() || !entries.iter().any(|e| (e.min..=e.max).contains(&n)) {
        return Err(arity_error(name));
    }
    let recv = &args[0];
    let mut type_ok = false;
    for e in entries {
        if e.recv.accepts(recv) {
            type_ok = true;
            if (e.min..=e.max).contains(&n) {
                return (e.func)(args);
            }
        }
    }
    if type_ok {
        return Err(arity_error(name));
    }
    Err(match recv {
        Value::Null => Error::runtime(format!("Cannot call '{name}' on a null value")),
        other => {
            Error::runtime(format!("The function '{name}' cannot be used on a value of type {}", other.type_name()))
        }
    })
}

/// Every built-in's name as Zoho spells it, once per lower-case name (for "did you mean").
pub fn names() -> impl Iterator<Item = &'static str> {
    table().values().filter_map(|entries| entries.first().map(|e| e.name))
}

/// "; did you mean 'size'?" for the nearest candidate, or nothing when none is near.
pub fn did_you_mean<'n>(name: &str, candidates: impl Iterator<Item = &'n str>) -> String {
    let lower = name.to_ascii_lowercase();
    let limit = match lower.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase());
        if d <= limit && best.is_none_or(|(bd, bn)| (d, c) < (bd, bn)) {
            best = Some((d, c));
        }
    }
    match best {
        Some((_, c)) => format!("; did you mean '{c}'?"),
        None => String::new(),
    }
}
