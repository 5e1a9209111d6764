//! Text built-ins (`length`, `subString`, `replaceAll`, ...): receiver is Text.

use super::{b, int_arg, text_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    b("length", Recv::Text, 0, 0, length),
    b("len", Recv::Text, 0, 0, length),
    b("toUpperCase", Recv::Text, 0, 0, to_upper),
    b("upper", Recv::Text, 0, 0, to_upper),
    b("subString", Recv::Text, 1, 2, sub_string),
    b("substring", Recv::Text, 1, 2, sub_string),
    b("indexOf", Recv::Text, 1, 1, index_of),
    b("replaceAll", Recv::Text, 2, 2, replace_all),
    b("toMap", Recv::Text, 0, 0, to_map),
];

/// `"abc".length()` is 3 (characters, not bytes).
fn length(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "length")?;
    Ok(Value::Int(if t.is_ascii() { t.len() } else { t.chars().count() } as i64))
}

/// `"abc".toUpperCase()` is `ABC`.
fn to_upper(a: &[Value]) -> Result<Value> {
    Ok(Value::from_string(text_arg(a, 0, "toUpperCase")?.to_uppercase()))
}

/// `"Deluge".subString(1, 3)` is `el`: 0-based, end excluded.
fn sub_string(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "subString")?;
    let chars: Vec<char> = t.chars().collect();
    let start = int_arg(a, 1, "subString")?;
    let end = if a.len() > 2 { int_arg(a, 2, "subString")? } else { chars.len() as i64 };
    if start < 0 || end > chars.len() as i64 || start > end {
        return Err(Error::runtime(format!(
            "Invalid index: subString({start}, {end}) on a text of length {}",
            chars.len()
        )));
    }
    Ok(Value::from_string(chars[start as usize..end as usize].iter().collect()))
}

/// `"a-b".indexOf("-")` is 1; -1 when absent.
fn index_of(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "indexOf")?;
    let needle = a[1].to_text();
    Ok(Value::Int(match t.find(&needle) {
        Some(byte) => t[..byte].chars().count() as i64,
        None => -1,
    }))
}

/// `"item-1".replaceAll("item", "obj")` is `obj-1` (the first argument is a regex).
fn replace_all(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "replaceAll")?;
    let (pat, rep) = (a[1].to_text(), a[2].to_text());
    Ok(Value::from_string(t.replace(&pat, &rep)))
}

/// `"{\"a\":1}".toMap()` is the map `{"a":1}`.
fn to_map(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "toMap")?;
    crate::value::from_json(t).map_err(|e| Error::runtime(format!("Invalid JSON text for toMap: {}", e.0)))
}
