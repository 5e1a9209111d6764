//! How values print: `info` and `toString()` text, and JSON for maps and nested lists.
//! Golden-critical: every format here is fixed by deluge-reference.md section 4.

use super::number::write_decimal;
use super::time::{format_date, format_datetime};
use super::{Items, Key, Value};
use std::fmt::Write;

/// Nesting deeper than this (or a list that contains itself) prints as `...`.
const MAX_DEPTH: usize = 128;

/// Append the `info` text of `v`.
pub fn write_text(out: &mut String, v: &Value) {
    match v {
        Value::Text(t) => out.push_str(t),
        Value::Coll(c) => {
            let data = c.borrow();
            match &data.items {
                Items::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        match item {
                            Value::Coll(_) => json(out, item, 1),
                            other => write_text(out, other),
                        }
                    }
                }
                Items::Map(_) => {
                    drop(data);
                    json(out, v, 0)
                }
            }
        }
        other => scalar(out, other),
    }
}

/// Append `v` as compact JSON (text quoted and escaped, dates as quoted text).
pub fn write_json(out: &mut String, v: &Value) {
    json(out, v, 0)
}

fn scalar(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::Dec(d) => write_decimal(out, *d),
        Value::Text(t) => out.push_str(t),
        Value::Date(d) => out.push_str(&format_date(*d)),
        Value::DateTime(d) => out.push_str(&format_datetime(*d)),
        Value::File(f) => out.push_str(&f.borrow().name),
        Value::Coll(_) => json(out, v, 0),
    }
}

fn json(out: &mut String, v: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        out.push_str("...");
        return;
    }
    match v {
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Dec(_) => scalar(out, v),
        Value::Text(t) => quote(out, t),
        Value::Date(_) | Value::DateTime(_) | Value::File(_) => {
            let mut s = String::new();
            scalar(&mut s, v);
            quote(out, &s);
        }
        Value::Coll(c) => {
            let data = c.borrow();
            match &data.items {
                Items::List(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        json(out, item, depth + 1);
                    }
                    out.push(']');
                }
                Items::Map(m) => {
                    out.push('{');
                    for (i, (k, item)) in m.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        key(out, k);
                        out.push(':');
                        json(out, item, depth + 1);
                    }
                    out.push('}');
                }
            }
        }
    }
}

fn key(out: &mut String, k: &Key) {
    match k.value() {
        Value::Text(t) => quote(out, t),
        other => {
            let mut s = String::new();
            scalar(&mut s, other);
            quote(out, &s);
        }
    }
}

/// JSON string quoting.
fn quote(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Most text needs no escapes: one pass to check, one copy.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push_str(s);
        out.push('"');
        return;
    }
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}
