//! JSON text to Deluge values, straight from serde_json's parser (no intermediate tree):
//! objects become maps in key order, arrays lists, integers Numbers, others Decimals.

use super::{new_map, Key, Text, Value};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// Why a text is not JSON (serde_json's message, with line and column).
#[derive(Debug)]
pub struct JsonError(pub String);

/// Parse JSON text into a value.
pub fn from_json(text: &str) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_str(text);
    // Deep documents fail cleanly: serde_json's recursion limit (128) stays on.
    let v = Wrapped::deserialize(&mut de).map_err(|e| JsonError(e.to_string()))?;
    de.end().map_err(|e| JsonError(e.to_string()))?;
    Ok(v.0)
}

struct Wrapped(Value);

impl<'de> Deserialize<'de> for Wrapped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Wrapped, D::Error> {
        d.deserialize_any(ValueVisitor).map(Wrapped)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Int(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(i64::try_from(n).map(Value::Int).unwrap_or(Value::Dec(n as f64)))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Dec(n))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::text(s))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::from_string(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Wrapped(v)) = seq.next_element()? {
            stop_at_deadline()?;
            items.push(v);
        }
        // A parsed document is usually kept as it is: no room left over for growth.
        items.shrink_to_fit();
        Ok(Value::list(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        // Room for a typical record's keys: the map is not rebuilt as it fills.
        let mut m = new_map(access.size_hint().unwrap_or(4));
        while let Some(KeyText(k)) = access.next_key::<KeyText>()? {
            let Wrapped(v) = access.next_value()?;
            stop_at_deadline()?;
            m.insert(Key::new(Value::Text(k)), v);
        }
        Ok(Value::map(m))
    }
}

/// `--timeout` ends a long parse; the caller reports the timeout (`deadline::check`), not this.
fn stop_at_deadline<E: de::Error>() -> Result<(), E> {
    crate::deadline::tick().map_err(|_| E::custom("the run's time limit passed"))
}

/// An object key, made straight from the parser's text (no `String` in between).
struct KeyText(Text);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyText, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyText;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyText, E> {
        Ok(KeyText(Text::from(s)))
    }
}

/// The JSON a request body carries (invokeurl's JSON bodies, the tasks' `{"data":[...]}`,
/// Books' `JSONString`). Its own function, apart from `info`'s printer (`display.rs`): how
/// `info` shows a map can change without changing what is sent to Zoho. Dates go as the text
/// a script sees, files as their names, nesting deeper than serde_json reads back as `null`.
pub fn to_wire_json(v: &Value) -> String {
    let mut out = String::new();
    wire(&mut out, v, 0);
    out
}

fn wire(out: &mut String, v: &Value, depth: usize) {
    use super::Items;
    let text = |out: &mut String, s: &str| match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    };
    if depth > 128 {
        out.push_str("null");
        return;
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(itoa::Buffer::new().format(*n)),
        Value::Dec(d) if d.is_finite() => super::number::write_decimal(out, *d),
        Value::Dec(_) => out.push_str("null"),
        Value::Text(t) => text(out, t),
        Value::Date(d) => text(out, &super::time::format_date(*d)),
        Value::DateTime(d) => text(out, &super::time::format_datetime(*d)),
        Value::File(f) => text(out, &f.borrow().name),
        Value::Coll(c) => {
            let data = c.borrow();
            match &data.items {
                Items::List(items) => {
                    out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        wire(out, item, depth + 1);
                    }
                    out.push(']');
                }
                Items::Map(m) => {
                    out.push('{');
                    for (i, (k, item)) in m.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        match k.value() {
                            Value::Text(t) => text(out, t),
                            other => {
                                let mut s = String::new();
                                wire(&mut s, other, depth + 1);
                                text(out, s.trim_matches('"'));
                            }
                        }
                        out.push(':');
                        wire(out, item, depth + 1);
                    }
                    out.push('}');
                }
            }
        }
    }
}

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn the_wire_encoding_matches_infos_json_today_but_is_its_own() {
        let v = from_json(r#"{"a":[1,2.5,"x\"y\n",null,true],"b":{"c":{}}}"#).unwrap();
        assert_eq!(to_wire_json(&v), r#"{"a":[1,2.5,"x\"y\n",null,true],"b":{"c":{}}}"#);
        assert_eq!(to_wire_json(&v), v.to_json());
        assert_eq!(to_wire_json(&Value::text("\u{1}")), "\"\\u0001\"");
    }
}
