//! Map built-ins (`put`, `get`, `keys`, ...): receiver is a Map.

use super::{b, coll_arg, Builtin, Recv};
use crate::error::Result;
use crate::value::{Key, Value};

pub const BUILTINS: &[Builtin] = &[
    b("put", Recv::Map, 2, 2, put),
    b("get", Recv::Map, 1, 1, get),
    b("keys", Recv::Map, 0, 0, keys),
];

/// `m.put("k", 1)` sets a key in place (a repeated key keeps its position).
fn put(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "put")?;
    c.map_mut().expect("map receiver").insert(Key::new(a[1].clone()), a[2].clone());
    Ok(Value::Null)
}

/// `m.get("k")`; a missing key gives null.
fn get(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "get")?;
    let m = c.map().expect("map receiver");
    let found = match &a[1] {
        Value::Text(t) => m.get(&**t),
        other => m.get(&Key::new(other.clone())),
    };
    Ok(found.cloned().unwrap_or(Value::Null))
}

/// `m.keys()` is a new list of the keys in insertion order.
fn keys(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "keys")?;
    let m = c.map().expect("map receiver");
    Ok(Value::list(m.keys().map(|k| k.value().clone()).collect()))
}
