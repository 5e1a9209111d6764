//! Text conversions: `toList`, `toMap`, `toJSONList`, `getJSON`, `toNumber`, `isDate`,
//! `encodeUrl`, `text(pattern)` and friends.
//!
//! JSON text is read strictly first; when that fails it is read again the way Zoho's (org.json)
//! reader accepts it: single-quoted strings and unquoted keys or words (`{Name:'Lia', n:[1]}`).
//!
//! Decisions (dg decides where Zoho is silent):
//! - `toList(sep)` splits on the separator taken literally, keeping empty pieces (also a trailing
//!   one); the empty text gives an empty list; an empty separator splits into characters.
//! - `toNumber`/`toLong` of text holding a decimal truncate toward zero (`"12.7"` -> `12`), as for
//!   Decimal values; `toDecimal("100")` is the Decimal `100.0`.
//! - `isText` is true for text that is neither a number nor a date, false for numbers and dates,
//!   null for booleans, lists and maps (Zoho); `isNumber`/`isDate` on lists and maps are null.
//! - `encodeUrl` encodes as Java's `URLEncoder` (space as `+`), `urlEncode` the same with space as
//!   `%20` (Zoho); `urlDecode` turns `+` into a space, and a malformed `%` escape is an error.
//! - `toMap()` on a Map and `toJSONList()` on a List return the value itself, so code written for
//!   Zoho's JSON text (`m.getJSON("items").toJSONList()`) runs unchanged.

use super::{recv, str_arg};
use crate::deadline::Steps;
use crate::error::{Error, Result};
use crate::value::number::{decimal_format, parse_number, Num};
use crate::value::time::parse_moment;
use crate::value::{from_json, Items, Key, Value};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// `toMap()` on a Map, `toJSONList()` on a List: the value itself.
pub(super) fn same(a: &[Value]) -> Result<Value> {
    Ok(a[0].clone())
}

/// `"a,b,,c".toList()` is the list `a,b,,c` (4 elements); `"x/y".toList("/")` is `x,y`.
pub(super) fn to_list(a: &[Value]) -> Result<Value> {
    let t = recv(a, "toList")?;
    let sep = match a.get(1) {
        Some(_) => str_arg(a, 1, "toList")?,
        None => ",".into(),
    };
    split(t, &sep)
}

/// `"1,2,3".toListString()` is a list of the texts `1`, `2`, `3`.
pub(super) fn to_list_string(a: &[Value]) -> Result<Value> {
    split(recv(a, "toListString")?, ",")
}

/// `t` split at `sep` (at every character when `sep` is empty); `--timeout` ends a long split.
fn split(t: &str, sep: &str) -> Result<Value> {
    let mut steps = Steps::default();
    let mut out = Vec::new();
    if t.is_empty() {
        return Ok(Value::list(out));
    }
    if sep.is_empty() {
        let mut buf = [0u8; 4];
        for c in t.chars() {
            steps.step()?;
            out.push(Value::text(c.encode_utf8(&mut buf)));
        }
    } else {
        for part in t.split(sep) {
            steps.step()?;
            out.push(Value::text(part));
        }
    }
    Ok(Value::list(out))
}

/// Parse JSON text, strictly or else as Zoho's lenient reader would (see the module docs).
fn parse_json(t: &str, func: &str) -> Result<Value> {
    match from_json(t) {
        Ok(v) => Ok(v),
        Err(strict) => {
            // a parse cut short by --timeout ends the run with the timeout error
            crate::deadline::check()?;
            match lenient(t).and_then(|fixed| from_json(&fixed).ok()) {
                Some(v) => Ok(v),
                None => Err(Error::runtime(format!("Invalid JSON text for {func}: {}", strict.0))),
            }
        }
    }
}

/// Rewrite org.json-style text (single quotes, bare words) as strict JSON; `None` when there
/// is nothing to rewrite.
fn lenient(t: &str) -> Option<String> {
    let mut out = String::with_capacity(t.len() + 16);
    let mut changed = false;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(s) = chars.next() {
                    out.push(s);
                    match s {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                changed = true;
                out.push('"');
                while let Some(s) = chars.next() {
                    match s {
                        '\\' => match chars.next() {
                            Some('\'') => out.push('\''),
                            Some(e) => {
                                out.push('\\');
                                out.push(e);
                            }
                            None => return None,
                        },
                        '\'' => break,
                        '"' => out.push_str("\\\""),
                        _ => out.push(s),
                    }
                }
                out.push('"');
            }
            c if c.is_whitespace() || "{}[]:,".contains(c) => out.push(c),
            c => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || "{}[]:,\"'".contains(n) {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                let keep = matches!(word.as_str(), "true" | "false" | "null")
                    || serde_json::from_str::<serde_json::Number>(&word).is_ok();
                if keep {
                    out.push_str(&word);
                } else {
                    changed = true;
                    out.push_str(&serde_json::Value::String(word).to_string());
                }
            }
        }
    }
    changed.then_some(out)
}

/// `"{\"a\":1,\"b\":[2]}".toMap()` is the map `{"a":1,"b":[2]}` (keys in order).
pub(super) fn to_map(a: &[Value]) -> Result<Value> {
    let v = parse_json(recv(a, "toMap")?, "toMap")?;
    match &v {
        Value::Coll(c) if matches!(c.borrow().items, Items::Map(_)) => Ok(v),
        other => Err(Error::runtime(format!("toMap needs a JSON object, but the text holds a {}", other.type_name()))),
    }
}

/// `"[1,\"a\",{\"b\":2}]".toJSONList()` is a list of `1`, `a` and the map `{"b":2}`.
pub(super) fn to_json_list(a: &[Value]) -> Result<Value> {
    let v = parse_json(recv(a, "toJSONList")?, "toJSONList")?;
    match &v {
        Value::Coll(c) if c.is_list() => Ok(v),
        other => {
            Err(Error::runtime(format!("toJSONList needs a JSON array, but the text holds a {}", other.type_name())))
        }
    }
}

/// `"{\"id\":7}".getJSON("id")` is 7; a missing key is null.
pub(super) fn get_json(a: &[Value]) -> Result<Value> {
    let v = parse_json(recv(a, "getJSON")?, "getJSON")?;
    let Value::Coll(c) = &v else {
        return Err(Error::runtime(format!("getJSON needs a JSON object, but the text holds a {}", v.type_name())));
    };
    let Some(m) = c.map() else {
        return Err(Error::runtime("getJSON needs a JSON object, but the text holds a LIST"));
    };
    let found = match &a[1] {
        Value::Text(k) => m.get(&**k),
        other => m.get(&Key::new(other.clone())),
    };
    Ok(found.cloned().unwrap_or(Value::Null))
}

/// The number a text holds, or the runtime error naming the target type.
fn number_of(a: &[Value], func: &str, target: &str) -> Result<Num> {
    let t = recv(a, func)?;
    parse_number(t).ok_or_else(|| Error::runtime(format!("Cannot convert '{t}' to a {target}")))
}

/// `"1234".toNumber()` is 1234; `"12.7".toLong()` is 12; `"134A123B".toNumber()` is an error.
pub(super) fn to_long(a: &[Value]) -> Result<Value> {
    match number_of(a, "toNumber", "Number")? {
        Num::Int(n) => Ok(Value::Int(n)),
        Num::Dec(d) if d.trunc().abs() < 9.223_372_036_854_775e18 => Ok(Value::Int(d.trunc() as i64)),
        Num::Dec(_) => Err(Error::runtime(format!("Cannot convert '{}' to a Number", recv(a, "toNumber")?))),
    }
}

/// `"100".toDecimal()` is `100.0`.
pub(super) fn to_decimal(a: &[Value]) -> Result<Value> {
    Ok(Value::Dec(match number_of(a, "toDecimal", "Decimal")? {
        Num::Int(n) => n as f64,
        Num::Dec(d) => d,
    }))
}

/// `"12.3".isNumber()` is true; `"24/2*10".isNumber()` is false.
pub(super) fn is_number(a: &[Value]) -> Result<Value> {
    Ok(match &a[0] {
        Value::Int(_) | Value::Dec(_) => Value::Bool(true),
        Value::Text(t) => Value::Bool(parse_number(t).is_some()),
        Value::Coll(_) => Value::Null,
        _ => Value::Bool(false),
    })
}

/// `"01-Jan-2019".isDate()` is true; `"hello".isDate()` is false.
pub(super) fn is_date(a: &[Value]) -> Result<Value> {
    Ok(match &a[0] {
        Value::Date(_) | Value::DateTime(_) => Value::Bool(true),
        Value::Text(t) => Value::Bool(parse_moment(t).is_some()),
        Value::Coll(_) => Value::Null,
        _ => Value::Bool(false),
    })
}

/// `"Hello".isText()` is true; `"123".isText()` is false; `"".isText()` is true.
pub(super) fn is_text(a: &[Value]) -> Result<Value> {
    Ok(match &a[0] {
        Value::Text(t) => Value::Bool(parse_number(t).is_none() && parse_moment(t).is_none()),
        Value::Int(_) | Value::Dec(_) | Value::Date(_) | Value::DateTime(_) | Value::Null => Value::Bool(false),
        _ => Value::Null,
    })
}

/// What Java's `URLEncoder` leaves alone: letters, digits and `.-*_`.
const URL_KEEP: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'-').remove(b'*').remove(b'_');

fn percent_encode(t: &str, space: &str) -> String {
    let mut out = String::with_capacity(t.len() + 8);
    for (i, piece) in t.split(' ').enumerate() {
        if i > 0 {
            out.push_str(space);
        }
        out.extend(utf8_percent_encode(piece, URL_KEEP));
    }
    out
}

/// `"a b&c=d".encodeUrl()` is `a+b%26c%3Dd`.
pub(super) fn encode_url(a: &[Value]) -> Result<Value> {
    Ok(Value::from_string(percent_encode(recv(a, "encodeUrl")?, "+")))
}

/// `"a b&c".urlEncode()` is `a%20b%26c`.
pub(super) fn url_encode(a: &[Value]) -> Result<Value> {
    Ok(Value::from_string(percent_encode(recv(a, "urlEncode")?, "%20")))
}

/// `"a+b%26c%C3%A9".urlDecode()` is `a b&cé`.
pub(super) fn url_decode(a: &[Value]) -> Result<Value> {
    let t = recv(a, "urlDecode")?;
    let bytes = t.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) if hex.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => out.push(b),
                    _ => {
                        return Err(Error::runtime(format!(
                            "urlDecode: invalid escape '{}' in the text",
                            String::from_utf8_lossy(&bytes[i..(i + 3).min(bytes.len())])
                        )))
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(Value::from_string(String::from_utf8_lossy(&out).into_owned()))
}

/// `"2434".text("000000000")` is `000002434`: text holding a number is formatted as that number.
pub(super) fn text_pattern(a: &[Value]) -> Result<Value> {
    let n = number_of(a, "text", "Number")?;
    let pattern = str_arg(a, 1, "text")?;
    decimal_format(n, &pattern).map(Value::from_string).map_err(Error::runtime)
}
