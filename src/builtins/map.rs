//! Map built-ins (`put`, `get`, `keys`, ...) and the Collection functions (`insert`, `getKey`,
//! `deleteKey`, `update`, ...) that work on both kinds: index-value (list) and key-value (map).
//!
//! Borrow rule: keys and values are computed (and argument maps copied) before `map_mut()`
//! is taken, because the argument may be the receiver itself (`m.putAll(m)`, `m.put(m, 1)`).

use super::list::{clear, index_arg, is_empty, list_items, position, push, size};
use super::{arg_type_error, b, coll_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::{equals, Coll, Key, Map, Value};

pub const BUILTINS: &[Builtin] = &[
    b("put", Recv::Map, 2, 2, put),
    b("putAll", Recv::Map, 1, 1, put_all),
    b("get", Recv::Map, 1, 1, get),
    b("getJSON", Recv::Map, 1, 1, get_json),
    b("remove", Recv::Map, 1, 1, remove),
    b("size", Recv::Map, 0, 0, size),
    b("isEmpty", Recv::Map, 0, 0, is_empty),
    b("clear", Recv::Map, 0, 0, clear),
    // Collection functions: one function per name, rows for both receivers; the key-value
    // ones take a list only when collection(...) made it (a plain list has no keys()).
    b("keys", Recv::Map, 0, 0, keys),
    b("keys", Recv::Collection, 0, 0, keys),
    b("values", Recv::Map, 0, 0, values),
    b("values", Recv::Collection, 0, 0, values),
    b("containsKey", Recv::Map, 1, 1, contains_key),
    b("containsKey", Recv::Collection, 1, 1, contains_key),
    b("containKey", Recv::Map, 1, 1, contains_key),
    b("containKey", Recv::Collection, 1, 1, contains_key),
    b("containsValue", Recv::Map, 1, 1, contains_value),
    b("containsValue", Recv::Collection, 1, 1, contains_value),
    b("containValue", Recv::Map, 1, 1, contains_value),
    b("containValue", Recv::Collection, 1, 1, contains_value),
    b("insert", Recv::List, 1, 2, insert),
    b("insert", Recv::Map, 1, 2, insert),
    b("insertAll", Recv::List, 1, 1, insert_all),
    b("insertAll", Recv::Map, 1, 1, insert_all),
    b("getKey", Recv::List, 1, 1, get_key),
    b("getKey", Recv::Map, 1, 1, get_key),
    b("getLastKey", Recv::List, 1, 1, get_last_key),
    b("getLastKey", Recv::Map, 1, 1, get_last_key),
    b("deleteKey", Recv::Collection, 1, 1, delete_key),
    b("deleteKey", Recv::Map, 1, 1, delete_key),
    b("update", Recv::List, 2, 2, update),
    b("update", Recv::Map, 2, 2, update),
    b("delete", Recv::List, 1, 1, delete),
    b("delete", Recv::Map, 1, 1, delete),
    b("deleteAll", Recv::List, 1, 1, delete_all),
    b("deleteAll", Recv::Map, 1, 1, delete_all),
    b("deleteKeys", Recv::Collection, 1, 1, delete_keys),
    b("deleteKeys", Recv::Map, 1, 1, delete_keys),
    b("duplicate", Recv::List, 0, 2, duplicate),
    b("duplicate", Recv::Map, 0, 2, duplicate),
    b("sortKey", Recv::Map, 0, 1, sort_key),
    b("sort", Recv::Map, 0, 1, sort_values),
    b("distinct", Recv::Map, 0, 0, distinct_values),
    b("notContains", Recv::Map, 1, 1, not_contains_value),
];

/// The value under key `k` (text keys are looked up without allocating).
fn lookup(m: &Map, k: &Value) -> Option<Value> {
    match k {
        Value::Text(t) => m.get(&**t),
        other => m.get(&Key::new(other.clone())),
    }
    .cloned()
}

/// Insert pairs into the map `c` (an undecided `{}` becomes a map).
fn put_pairs(c: &Coll, pairs: impl IntoIterator<Item = (Key, Value)>) -> Result<()> {
    match c.map_mut() {
        Some(mut m) => {
            m.extend(pairs);
            Ok(())
        }
        None => Err(Error::runtime("Cannot add a key-value pair to an index-value collection (a list)")),
    }
}

/// Insert one pair (the hot path of `put`).
fn put_pair(c: &Coll, key: Key, v: Value) -> Result<()> {
    match c.map_mut() {
        Some(mut m) => {
            m.insert(key, v);
            Ok(())
        }
        None => Err(Error::runtime("Cannot add a key-value pair to an index-value collection (a list)")),
    }
}

/// The entries of the map in `args[i]`, copied (an undecided `{}` has none).
fn map_entries(a: &[Value], i: usize, func: &str) -> Result<Vec<(Key, Value)>> {
    if let Value::Coll(c) = &a[i] {
        if let Some(m) = c.map() {
            return Ok(m.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
        }
    }
    Err(arg_type_error(func, i, "a MAP", &a[i]))
}

/// `m.put("k", 1)` sets a key in place (a repeated key keeps its position, new value).
fn put(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "put")?;
    let key = Key::new(a[1].clone());
    put_pair(c, key, a[2].clone())?;
    Ok(Value::Null)
}

/// `m = {"a": 1, "b": 2}; m.putAll({"b": 3, "c": 4});` makes `m` `{"a":1,"b":3,"c":4}`
/// (the argument wins).
fn put_all(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "putAll")?;
    let pairs = map_entries(a, 1, "putAll")?;
    put_pairs(c, pairs)?;
    Ok(Value::Null)
}

/// `{"a":1}.get("a")` is 1; a missing key gives null.
fn get(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "get")?;
    Ok(c.map().and_then(|m| lookup(&m, &a[1])).unwrap_or(Value::Null))
}

/// `{"a":{"b":2}}.getJSON("a")` is `{"b":2}`: on a map, the same as `get`.
fn get_json(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "getJSON")?;
    Ok(c.map().and_then(|m| lookup(&m, &a[1])).unwrap_or(Value::Null))
}

/// `m.remove("Version")` removes the key and returns its value (missing key: null, no change).
fn remove(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "remove")?;
    let key = Key::new(a[1].clone());
    let removed = if c.is_undecided() { None } else { c.map_mut().and_then(|mut m| m.shift_remove(&key)) };
    Ok(removed.unwrap_or(Value::Null))
}

/// `{"Creator":5,"CRM":2}.keys()` is `Creator,CRM`; on a list collection, its elements.
fn keys(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "keys")?;
    if let Some(m) = c.map() {
        return Ok(Value::list(m.keys().map(|k| k.value().clone()).collect()));
    }
    Ok(Value::list(c.list().map(|l| l.clone()).unwrap_or_default()))
}

/// `{"Creator":5,"CRM":2}.values()` is `5,2`; on a list collection, its elements.
fn values(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "values")?;
    if let Some(m) = c.map() {
        return Ok(Value::list(m.values().cloned().collect()));
    }
    Ok(Value::list(c.list().map(|l| l.clone()).unwrap_or_default()))
}

/// `{"a":1}.containsKey("a")` is true (alias `containKey`); on a list: a valid index.
fn contains_key(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "containsKey")?;
    if let Some(m) = c.map() {
        let found = match &a[1] {
            Value::Text(t) => m.contains_key(&**t),
            other => m.contains_key(&Key::new(other.clone())),
        };
        return Ok(Value::Bool(found));
    }
    let len = c.len() as i64;
    Ok(Value::Bool(matches!(a[1], Value::Int(i) if i >= 0 && i < len)))
}

/// `{"a":1}.containsValue(1)` is true (alias `containValue`); on a list: an element.
fn contains_value(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "containsValue")?;
    if let Some(m) = c.map() {
        return Ok(Value::Bool(m.values().any(|v| equals(v, &a[1]))));
    }
    Ok(Value::Bool(position(c, &a[1], false).is_some()))
}

/// `products.insert("Analytics")` appends an element; `productVersion.insert("CRM", 5)` puts a
/// pair (Zoho writes `insert("CRM" : 5)`). Elements go into lists, pairs into maps only.
fn insert(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "insert")?;
    if a.len() == 3 {
        put_pair(c, Key::new(a[1].clone()), a[2].clone())?;
    } else if c.is_list() || c.is_undecided() {
        push(c, a[1].clone())?;
    } else if let Value::Coll(arg) = &a[1] {
        // A map argument into a key-value collection: its pairs.
        if arg.is_list() {
            return Err(Error::runtime("Cannot add an element to a key-value collection (a map)"));
        }
        let pairs = map_entries(a, 1, "insert")?;
        put_pairs(c, pairs)?;
    } else {
        return Err(Error::runtime("Cannot add an element to a key-value collection (a map)"));
    }
    Ok(Value::Null)
}

/// `products.insertAll({"Analytics","Connect"})` appends elements;
/// `productVersion.insertAll({"CRM": 5, "Campaigns": 2})` puts pairs.
fn insert_all(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "insertAll")?;
    let arg_is_map = matches!(&a[1], Value::Coll(x) if x.map().is_some() && !x.is_undecided());
    if arg_is_map {
        let pairs = map_entries(a, 1, "insertAll")?;
        put_pairs(c, pairs)?;
        return Ok(Value::Null);
    }
    let items = list_items(a, 1, "insertAll")?;
    if !(c.is_list() || c.is_undecided()) {
        if items.is_empty() {
            return Ok(Value::Null);
        }
        return Err(Error::runtime("Cannot add elements to a key-value collection (a map)"));
    }
    for v in items {
        push(c, v)?;
    }
    Ok(Value::Null)
}

/// The first (or last) key holding `v` in a map, or the index in a list (-1 / null absent).
fn find_key(a: &[Value], func: &str, last: bool) -> Result<Value> {
    let c = coll_arg(a, 0, func)?;
    if c.is_list() {
        return Ok(Value::Int(position(c, &a[1], last).map_or(-1, |p| p as i64)));
    }
    let Some(m) = c.map() else { return Ok(Value::Null) };
    let hit = |e: &(&Key, &Value)| equals(e.1, &a[1]);
    let found = if last { m.iter().rev().find(hit) } else { m.iter().find(hit) };
    Ok(found.map_or(Value::Null, |(k, _)| k.value().clone()))
}

/// `{"Creator":5,"CRM":2,"Mail":5}.getKey(5)` is `Creator`; `{"a","b"}.getKey("b")` is 1.
fn get_key(a: &[Value]) -> Result<Value> {
    find_key(a, "getKey", false)
}

/// `{"Creator":5,"CRM":2,"Mail":5}.getLastKey(5)` is `Mail`; `{"a","b","a"}.getLastKey("a")` is 2.
fn get_last_key(a: &[Value]) -> Result<Value> {
    find_key(a, "getLastKey", true)
}

/// `productVersion.deleteKey("CRM")` removes a pair (missing key: no change);
/// `products.deleteKey(1)` removes the element at index 1 (bad index: error).
fn delete_key(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "deleteKey")?;
    if c.is_list() {
        let i = index_arg(a, 1, "deleteKey", c.len())?;
        if let Some(mut l) = c.list_mut() {
            l.remove(i);
        }
    } else if !c.is_undecided() {
        let key = Key::new(a[1].clone());
        if let Some(mut m) = c.map_mut() {
            m.shift_remove(&key);
        }
    }
    Ok(Value::Null)
}

/// `products.update(2, "Analytics")` replaces the element at index 2 (bad index: error);
/// `productVersion.update("CRM", 3)` sets the key's value (a new key is added).
fn update(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "update")?;
    if c.is_list() {
        let i = index_arg(a, 1, "update", c.len())?;
        let v = crate::builtins::convert_elem(c.elem_type(), a[2].clone())?;
        if let Some(mut l) = c.list_mut() {
            l[i] = v;
        }
        return Ok(Value::Null);
    }
    put_pair(c, Key::new(a[1].clone()), a[2].clone())?;
    Ok(Value::Null)
}

/// Keep the entries (or elements) for which `keep` is true; the rest are deleted in place.
fn retain_values(c: &Coll, gone: &[Value]) {
    let hit = |v: &Value| gone.iter().any(|g| equals(v, g));
    if c.is_list() {
        let keep: Vec<bool> = c.list().map(|l| l.iter().map(|v| !hit(v)).collect()).unwrap_or_default();
        if let Some(mut l) = c.list_mut() {
            let mut k = keep.iter();
            l.retain(|_| *k.next().unwrap_or(&true));
        }
    } else if !c.is_undecided() {
        let keep: Vec<bool> = c.map().map(|m| m.values().map(|v| !hit(v)).collect()).unwrap_or_default();
        if let Some(mut m) = c.map_mut() {
            let mut k = keep.iter();
            m.retain(|_, _| *k.next().unwrap_or(&true));
        }
    }
}

/// `products.delete("CRM")` removes the element `CRM` of `Creator,CRM,Campaigns`;
/// `productVersion.delete(2)` removes the pairs whose value is 2 (`{"Creator":5}` is left).
fn delete(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "delete")?;
    retain_values(c, std::slice::from_ref(&a[1]));
    Ok(Value::Null)
}

/// `products.deleteAll({"CRM", "Campaigns"})` removes those elements; on a key-value
/// collection, the pairs holding those values.
fn delete_all(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "deleteAll")?;
    let gone = list_items(a, 1, "deleteAll")?;
    retain_values(c, &gone);
    Ok(Value::Null)
}

/// `productVersion.deleteKeys({"CRM", "Mail"})` removes those keys; `products.deleteKeys({1, 2})`
/// removes the elements at those indices (a bad index: error, nothing removed).
fn delete_keys(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "deleteKeys")?;
    let keys = list_items(a, 1, "deleteKeys")?;
    if c.is_list() {
        let len = c.len();
        let mut idx = Vec::with_capacity(keys.len());
        for i in 0..keys.len() {
            idx.push(index_arg(&keys, i, "deleteKeys", len)?);
        }
        idx.sort_unstable();
        idx.dedup();
        if let Some(mut l) = c.list_mut() {
            for i in idx.into_iter().rev() {
                l.remove(i);
            }
        }
    } else if !c.is_undecided() {
        let keys: Vec<Key> = keys.into_iter().map(Key::new).collect();
        if let Some(mut m) = c.map_mut() {
            for k in &keys {
                m.shift_remove(k);
            }
        }
    }
    Ok(Value::Null)
}

/// `collection("Creator", "CRM", "Books").duplicate(0, 1)` is a new list `Creator`; with no
/// indices, a copy of all the elements (of a key-value collection: its values).
fn duplicate(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "duplicate")?;
    let items: Vec<Value> = match c.map() {
        Some(m) => m.values().cloned().collect(),
        None => c.list().map(|l| l.clone()).unwrap_or_default(),
    };
    let start = if a.len() > 1 { super::int_arg(a, 1, "duplicate")? } else { 0 };
    let end = if a.len() > 2 { super::int_arg(a, 2, "duplicate")? } else { items.len() as i64 };
    for n in [start, end] {
        if n < 0 {
            return Err(Error::runtime(format!("Given index {n} is negative")));
        }
        if n as u64 > items.len() as u64 {
            return Err(super::list::index_error(n));
        }
    }
    if start > end {
        return Err(Error::runtime(format!("Start index {start} is greater than end index {end}")));
    }
    Ok(Value::list(items[start as usize..end as usize].to_vec()))
}

/// The ascending flag of `sort`/`sortKey` (default true).
fn asc_arg(a: &[Value], func: &str) -> Result<bool> {
    if a.len() > 1 {
        super::bool_arg(a, 1, func)
    } else {
        Ok(true)
    }
}

/// `productVersion.sortKey()` reorders `{"Creator":5,"CRM":2,"Mail":8}` in place to
/// `{"CRM":2,"Creator":5,"Mail":8}`; `sortKey(false)` is descending (keys by character code).
fn sort_key(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "sortKey")?;
    let asc = asc_arg(a, "sortKey")?;
    if !c.is_undecided() {
        if let Some(mut m) = c.map_mut() {
            if asc {
                m.sort_by(|k1, _, k2, _| k1.as_str().cmp(k2.as_str()));
            } else {
                m.sort_by(|k1, _, k2, _| k2.as_str().cmp(k1.as_str()));
            }
        }
    }
    Ok(a[0].clone())
}

/// `productVersion1.sort()` reorders `{"Creator":5,"CRM":2,"Mail":8}` in place by value to
/// `{"CRM":2,"Creator":5,"Mail":8}`; mixed value types leave it unchanged.
fn sort_values(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "sort")?;
    let asc = asc_arg(a, "sort")?;
    if c.is_undecided() {
        return Ok(a[0].clone());
    }
    let mut entries = map_entries(a, 0, "sort")?;
    let same_kind = |v: &Value| match v {
        Value::Int(_) | Value::Dec(_) => 0,
        Value::Text(_) => 1,
        Value::Date(_) | Value::DateTime(_) => 2,
        Value::Bool(_) => 3,
        _ => 9,
    };
    if let Some((_, first)) = entries.first() {
        let g = same_kind(first);
        if g == 9 || entries.iter().any(|(_, v)| same_kind(v) != g) {
            return Ok(a[0].clone());
        }
    }
    let cmp = |x: &Value, y: &Value| crate::value::compare(x, y, "sort").unwrap_or(std::cmp::Ordering::Equal);
    if asc {
        entries.sort_by(|x, y| cmp(&x.1, &y.1));
    } else {
        entries.sort_by(|x, y| cmp(&y.1, &x.1));
    }
    if let Some(mut m) = c.map_mut() {
        m.clear();
        m.extend(entries);
    }
    Ok(a[0].clone())
}

/// `collection("Creator" : 5, "CRM" : 2, "Mail" : 5).distinct()` is the list `5,2`.
fn distinct_values(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "distinct")?;
    let mut out: Vec<Value> = Vec::new();
    if let Some(m) = c.map() {
        for v in m.values() {
            if !out.iter().any(|o| equals(o, v)) {
                out.push(v.clone());
            }
        }
    }
    Ok(Value::list(out))
}

/// `{"a": 1}.notContains(2)` is true: no value equals 2.
fn not_contains_value(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "notContains")?;
    Ok(Value::Bool(!c.map().is_some_and(|m| m.values().any(|v| equals(v, &a[1])))))
}
