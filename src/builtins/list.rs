//! List built-ins (`add`, `get`, `contains`, `sort`, ...): receiver is a List.

use super::{b, coll_arg, int_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::{equals, Value};

pub const BUILTINS: &[Builtin] = &[
    b("add", Recv::List, 1, 1, add),
    b("get", Recv::List, 1, 1, get),
    b("contains", Recv::List, 1, 1, contains),
];

/// `l.add("x")` appends in place.
fn add(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "add")?;
    let v = crate::builtins::misc::convert_elem(c.elem_type(), a[1].clone())?;
    c.list_mut().expect("list receiver").push(v);
    Ok(Value::Null)
}

/// `{"a","b"}.get(1)` is `b`; 0-based.
fn get(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "get")?;
    let i = int_arg(a, 1, "get")?;
    let list = c.list_mut().expect("list receiver");
    if i < 0 || i as usize >= list.len() {
        return Err(Error::runtime(format!("Given index {i} is greater than the list size")));
    }
    Ok(list[i as usize].clone())
}

/// `{1,2}.contains(2)` is true.
fn contains(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "contains")?;
    let list = c.list_mut().expect("list receiver");
    Ok(Value::Bool(list.iter().any(|v| equals(v, &a[1]))))
}
