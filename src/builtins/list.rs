//! List built-ins (`add`, `get`, `contains`, `sort`, `percentile`, ...): receiver is a List.
//!
//! An undecided `{}` reaches these rows too: `add`/`addAll` make it a list, reads see it as an
//! empty collection (`get` gives null, as on an empty map). Borrow rule: never call `equals`
//! or print a value while a `list_mut()` is held (the argument may be the list itself).

use super::{arg_type_error, b, bool_arg, coll_arg, int_arg, text_of, Builtin, Recv};
use crate::deadline::Steps;
use crate::error::{Error, Result};
use crate::value::number::{parse_number, Num};
use crate::value::{arith, compare, equals, write_json, write_text, ArithOp, Coll, Value};
use std::cmp::Ordering;

pub const BUILTINS: &[Builtin] = &[
    b("add", Recv::List, 1, 1, add),
    b("addAll", Recv::List, 1, 1, add_all),
    b("get", Recv::List, 1, 1, get),
    b("size", Recv::List, 0, 0, size),
    b("isEmpty", Recv::List, 0, 0, is_empty),
    b("clear", Recv::List, 0, 0, clear),
    b("contains", Recv::List, 1, 1, contains),
    b("notContains", Recv::List, 1, 1, not_contains),
    b("indexOf", Recv::List, 1, 1, index_of),
    b("lastIndexOf", Recv::List, 1, 1, last_index_of),
    b("remove", Recv::List, 1, 1, remove),
    b("removeElement", Recv::List, 1, 1, remove_element),
    b("removeAll", Recv::List, 1, 1, remove_all),
    b("subList", Recv::List, 1, 2, sub_list),
    b("sort", Recv::List, 0, 1, sort),
    b("distinct", Recv::List, 0, 0, distinct),
    b("intersect", Recv::List, 1, 1, intersect),
    b("toString", Recv::List, 0, 1, to_string),
    b("sum", Recv::List, 0, 0, sum),
    b("average", Recv::List, 0, 0, average),
    b("median", Recv::List, 0, 0, median),
    b("largest", Recv::List, 0, 0, largest),
    b("smallest", Recv::List, 0, 0, smallest),
    b("nthLargest", Recv::List, 1, 1, nth_largest),
    b("nthSmallest", Recv::List, 1, 1, nth_smallest),
    b("percentile", Recv::List, 1, 1, percentile),
    b("rank", Recv::List, 1, 2, rank),
];

// ---- shared helpers (also used by map.rs for the Collection functions) ----

/// Zoho's text for an index past the end.
pub(super) fn index_error(i: i64) -> Error {
    Error::runtime(format!("Given index {i} is greater than the list size"))
}

/// A valid index into a list of `len` elements from `args[i]`.
pub(super) fn index_arg(a: &[Value], i: usize, func: &str, len: usize) -> Result<usize> {
    let n = int_arg(a, i, func)?;
    if n < 0 {
        return Err(Error::runtime(format!("Given index {n} is negative")));
    }
    if n as u64 >= len as u64 {
        return Err(index_error(n));
    }
    Ok(n as usize)
}

/// A copy of the list in `args[i]` (an undecided `{}` is empty). Copying first keeps
/// `l.addAll(l)` and `l.removeAll(l)` clear of borrow conflicts.
pub(super) fn list_items(a: &[Value], i: usize, func: &str) -> Result<Vec<Value>> {
    if let Value::Coll(c) = &a[i] {
        if let Some(l) = c.list() {
            return Ok(l.clone());
        }
        if c.is_undecided() {
            return Ok(Vec::new());
        }
    }
    Err(arg_type_error(func, i, "a LIST", &a[i]))
}

/// The list inside `c`, or `None` for an undecided `{}` (which reads as empty).
fn items(c: &Coll) -> Option<std::cell::Ref<'_, Vec<Value>>> {
    c.list()
}

/// Add `v` to the list `c` (converted for a typed list), as `add` and `insert` do.
pub(super) fn push(c: &Coll, v: Value) -> Result<()> {
    let v = crate::builtins::convert_elem(c.elem_type(), v)?;
    match c.list_mut() {
        Some(mut l) => {
            // Small lists (tags, a record's few values: the common case) grow one slot at a
            // time instead of jumping to four; longer ones double as usual.
            if l.len() < 4 && l.len() == l.capacity() {
                l.reserve_exact(1);
            }
            l.push(v);
            Ok(())
        }
        None => Err(Error::runtime("Cannot add an element to a key-value collection")),
    }
}

/// Position of the first (or last) element equal to `x`.
pub(super) fn position(c: &Coll, x: &Value, last: bool) -> Option<usize> {
    let l = items(c)?;
    if last {
        l.iter().rposition(|v| equals(v, x))
    } else {
        l.iter().position(|v| equals(v, x))
    }
}

/// `{1,2}.size()` is 2; `{}.size()` is 0; also maps (`{"a":1}.size()` is 1).
pub(super) fn size(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(coll_arg(a, 0, "size")?.len() as i64))
}

/// `{}.isEmpty()` is true; `{0}.isEmpty()` is false; also maps.
pub(super) fn is_empty(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(coll_arg(a, 0, "isEmpty")?.is_empty()))
}

/// `l.clear()` empties a list or a map in place (a cleared map still prints `{}`).
pub(super) fn clear(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "clear")?;
    if c.is_list() {
        if let Some(mut l) = c.list_mut() {
            l.clear();
        }
    } else if !c.is_undecided() {
        if let Some(mut m) = c.map_mut() {
            m.clear();
        }
    }
    Ok(Value::Null)
}

// ---- adding and reading ----

/// `l.add("x")` appends in place; on a `List:String()` `add(1)` adds `"1"`.
fn add(a: &[Value]) -> Result<Value> {
    push(coll_arg(a, 0, "add")?, a[1].clone())?;
    Ok(Value::Null)
}

/// `l = {1}; l.addAll({2, 3});` appends every element: `l` is `1,2,3`.
fn add_all(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "addAll")?;
    let src = list_items(a, 1, "addAll")?;
    let elem = c.elem_type();
    let src = match elem {
        None => src,
        Some(_) => src.into_iter().map(|v| crate::builtins::convert_elem(elem, v)).collect::<Result<_>>()?,
    };
    match c.list_mut() {
        Some(mut l) => l.extend(src),
        None => return Err(Error::runtime("Cannot add elements to a key-value collection")),
    }
    Ok(Value::Null)
}

/// `{"a","b"}.get(1)` is `b`; 0-based; past the end: `Given index 2 is greater than the list size`.
/// On an undecided `{}` a number is an index past the end and anything else a missing key.
fn get(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "get")?;
    let Some(l) = items(c) else {
        return match a[1] {
            Value::Int(_) | Value::Dec(_) => Err(index_error(int_arg(a, 1, "get")?)),
            _ => Ok(Value::Null),
        };
    };
    let i = index_arg(a, 1, "get", l.len())?;
    Ok(l[i].clone())
}

/// `{1,2}.contains(2)` is true; `{"1"}.contains(1)` is false (types differ).
fn contains(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(position(coll_arg(a, 0, "contains")?, &a[1], false).is_some()))
}

/// `{1,2}.notContains(3)` is true.
fn not_contains(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(position(coll_arg(a, 0, "notContains")?, &a[1], false).is_none()))
}

/// `{"a","b","a"}.indexOf("a")` is 0; -1 when absent.
fn index_of(a: &[Value]) -> Result<Value> {
    let p = position(coll_arg(a, 0, "indexOf")?, &a[1], false);
    Ok(Value::Int(p.map_or(-1, |p| p as i64)))
}

/// `{"a","b","a"}.lastIndexOf("a")` is 2; -1 when absent.
fn last_index_of(a: &[Value]) -> Result<Value> {
    let p = position(coll_arg(a, 0, "lastIndexOf")?, &a[1], true);
    Ok(Value::Int(p.map_or(-1, |p| p as i64)))
}

// ---- removing ----

/// `{"Creator","CRM","Projects"}.remove(1)` removes and returns `CRM`.
fn remove(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "remove")?;
    let len = match items(c) {
        Some(l) => l.len(),
        None => return Ok(Value::Null),
    };
    let i = index_arg(a, 1, "remove", len)?;
    Ok(c.list_mut().map(|mut l| l.remove(i)).unwrap_or(Value::Null))
}

/// `l.removeElement("CRM")` removes the first element equal to `"CRM"` (none: no change).
fn remove_element(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "removeElement")?;
    if let Some(i) = position(c, &a[1], false) {
        if let Some(mut l) = c.list_mut() {
            l.remove(i);
        }
    }
    Ok(Value::Null)
}

/// `products.removeAll({"CRM", "Projects"})` removes every equal element: of
/// `{"Creator", "CRM", "Projects", "CRM"}` it leaves `Creator`.
fn remove_all(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "removeAll")?;
    let gone = list_items(a, 1, "removeAll")?;
    let keep: Vec<bool> = match items(c) {
        Some(l) => l.iter().map(|v| !gone.iter().any(|g| equals(v, g))).collect(),
        None => return Ok(Value::Null),
    };
    if let Some(mut l) = c.list_mut() {
        let mut k = keep.iter();
        l.retain(|_| *k.next().unwrap_or(&true));
    }
    Ok(Value::Null)
}

// ---- new lists ----

/// `{1,2,3,4}.subList(0, 3)` is `1,2,3`; `subList(2)` runs to the end: `3,4`.
fn sub_list(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "subList")?;
    let l = items(c);
    let l: &[Value] = l.as_deref().map_or(&[], |v| v.as_slice());
    let start = int_arg(a, 1, "subList")?;
    let end = if a.len() > 2 { int_arg(a, 2, "subList")? } else { l.len() as i64 };
    for n in [start, end] {
        if n < 0 {
            return Err(Error::runtime(format!("Given index {n} is negative")));
        }
        if n as u64 > l.len() as u64 {
            return Err(index_error(n));
        }
    }
    if start > end {
        return Err(Error::runtime(format!("Start index {start} is greater than end index {end}")));
    }
    Ok(Value::list(l[start as usize..end as usize].to_vec()))
}

/// Sort group of a value: lists sort only when every element is in one group.
fn sort_group(v: &Value) -> Option<u8> {
    Some(match v {
        Value::Int(_) | Value::Dec(_) => 0,
        Value::Text(_) => 1,
        Value::Date(_) | Value::DateTime(_) => 2,
        Value::Bool(_) => 3,
        _ => return None,
    })
}

/// `{3,1,2}.sort()` is a new list `1,2,3`; `sort(false)` is descending; the receiver is
/// unchanged. Texts sort by character code (capitals first); mixed types give null.
fn sort(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "sort")?;
    let asc = if a.len() > 1 { bool_arg(a, 1, "sort")? } else { true };
    let mut v: Vec<Value> = items(c).map(|l| l.clone()).unwrap_or_default();
    if let Some(first) = v.first() {
        let g = sort_group(first);
        if g.is_none() || v.iter().any(|x| sort_group(x) != g) {
            return Ok(Value::Null);
        }
    }
    // --timeout ends a long sort: past the deadline every comparison is "equal" (cheap), then
    // the run stops with the timeout error
    let mut steps = Steps::default();
    let mut cmp = |x: &Value, y: &Value| {
        if steps.over() {
            return Ordering::Equal;
        }
        compare(x, y, "sort").unwrap_or(Ordering::Equal)
    };
    if asc {
        v.sort_by(&mut cmp);
    } else {
        v.sort_by(|x, y| cmp(y, x));
    }
    steps.result()?;
    // A list made by `collection(...)` is sorted in place ("collection becomes ..."),
    // https://www.zoho.com/deluge/help/functions/collection/sort.html
    if c.borrow().collection {
        if let Some(mut list) = c.list_mut() {
            *list = v;
        }
        return Ok(a[0].clone());
    }
    Ok(Value::list(v))
}

/// A scalar as a hashable identity that agrees with `equals` (numbers by value, dates by
/// instant); `None` for lists, maps and files, which are compared one by one.
#[derive(PartialEq, Eq, Hash)]
enum Identity {
    Null,
    Bool(bool),
    Int(i64),
    Dec(u64),
    Text(crate::value::Text),
    Time(jiff::civil::DateTime),
}

fn identity(v: &Value) -> Option<Identity> {
    Some(match v {
        Value::Null => Identity::Null,
        Value::Bool(b) => Identity::Bool(*b),
        Value::Int(n) => Identity::Int(*n),
        // A whole decimal equals the Number of the same value (and -0.0 equals 0).
        Value::Dec(d) if d.fract() == 0.0 && d.abs() < 9.0e18 => Identity::Int(*d as i64),
        Value::Dec(d) => Identity::Dec(d.to_bits()),
        Value::Text(t) => Identity::Text(t.clone()),
        Value::Date(d) => Identity::Time(d.to_datetime(jiff::civil::Time::midnight())),
        Value::DateTime(d) => Identity::Time(*d),
        Value::Coll(_) | Value::File(_) => return None,
    })
}

/// Keep the first of each group of equal values (text `"1"` and number `1` stay apart).
fn dedupe(values: impl Iterator<Item = Value>) -> Vec<Value> {
    let mut seen = std::collections::HashSet::<Identity>::new();
    let mut out: Vec<Value> = Vec::new();
    for v in values {
        let fresh = match identity(&v) {
            Some(id) => seen.insert(id),
            None => !out.iter().any(|o| equals(o, &v)),
        };
        if fresh {
            out.push(v);
        }
    }
    out
}

/// `{1,"1",2,1,2.0}.distinct()` is `1,1,2`: a new list, first occurrences in order.
fn distinct(a: &[Value]) -> Result<Value> {
    let v = items(coll_arg(a, 0, "distinct")?).map(|l| l.clone()).unwrap_or_default();
    Ok(Value::list(dedupe(v.into_iter())))
}

/// `{"Creator","CRM","Books"}.intersect({"CRM","Mail","Creator"})` is `Creator,CRM`: the
/// receiver's elements also in the argument, in the receiver's order, each once.
fn intersect(a: &[Value]) -> Result<Value> {
    let mine = items(coll_arg(a, 0, "intersect")?).map(|l| l.clone()).unwrap_or_default();
    let other = list_items(a, 1, "intersect")?;
    Ok(Value::list(dedupe(mine.into_iter().filter(|v| other.iter().any(|o| equals(o, v))))))
}

/// `{"a","b"}.toString()` is `a,b`; `{"a","b"}.toString("-")` is `a-b` (maps and lists
/// inside print as JSON).
fn to_string(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "toString")?;
    if a.len() == 1 {
        return Ok(Value::from_string(a[0].to_text()));
    }
    let sep = text_of(a, 1);
    let mut out = String::new();
    if let Some(l) = items(c) {
        for (i, v) in l.iter().enumerate() {
            if i > 0 {
                out.push_str(&sep);
            }
            match v {
                Value::Coll(_) => write_json(&mut out, v),
                other => write_text(&mut out, other),
            }
        }
    }
    Ok(Value::from_string(out))
}

// ---- statistics: numbers, decimals, or texts holding numbers ----

/// An element as a Number or Decimal value (text holding a number is converted).
fn number(v: &Value, func: &str) -> Result<Value> {
    match v {
        Value::Int(_) | Value::Dec(_) => Ok(v.clone()),
        Value::Text(t) => match parse_number(t.trim()) {
            Some(Num::Int(n)) => Ok(Value::Int(n)),
            Some(Num::Dec(d)) => Ok(Value::Dec(d)),
            None => Err(not_numeric(func, v)),
        },
        other => Err(not_numeric(func, other)),
    }
}

fn not_numeric(func: &str, v: &Value) -> Error {
    Error::runtime(format!("{func} needs a list of numbers, but it holds '{}' of type {}", v.to_text(), v.type_name()))
}

/// The elements paired with their numeric values, sorted ascending by value (stable).
fn ranked(a: &[Value], func: &str) -> Result<Vec<(Value, Value)>> {
    let c = coll_arg(a, 0, func)?;
    let l = items(c).map(|l| l.clone()).unwrap_or_default();
    let mut out = Vec::with_capacity(l.len());
    for v in l {
        let n = number(&v, func)?;
        out.push((v, n));
    }
    let mut steps = Steps::default();
    out.sort_by(
        |x, y| if steps.over() { Ordering::Equal } else { compare(&x.1, &y.1, "<").unwrap_or(Ordering::Equal) },
    );
    steps.result()?;
    Ok(out)
}

/// `{1,2,3.5}.sum()` is `6.5`; all Numbers give a Number (`{1,2}.sum()` is 3); empty: 0.
fn sum(a: &[Value]) -> Result<Value> {
    let c = coll_arg(a, 0, "sum")?;
    let mut total = Value::Int(0);
    if let Some(l) = items(c) {
        for v in l.iter() {
            total = arith(ArithOp::Add, &total, &number(v, "sum")?)?;
        }
    }
    Ok(total)
}

/// `{1,2,3,4}.average()` is `2.5` (sum divided by size as `/` does); empty: null.
fn average(a: &[Value]) -> Result<Value> {
    let n = coll_arg(a, 0, "average")?.len();
    if n == 0 {
        return Ok(Value::Null);
    }
    arith(ArithOp::Div, &sum(a)?, &Value::Int(n as i64))
}

/// `{5,1,3}.median()` is 3; an even count averages the middle two (`{1,2,3,4}` gives 2.5).
fn median(a: &[Value]) -> Result<Value> {
    let r = ranked(a, "median")?;
    let n = r.len();
    if n == 0 {
        return Ok(Value::Null);
    }
    if n % 2 == 1 {
        return Ok(r[n / 2].0.clone());
    }
    let s = arith(ArithOp::Add, &r[n / 2 - 1].1, &r[n / 2].1)?;
    arith(ArithOp::Div, &s, &Value::Int(2))
}

/// `{1,5,2,3}.largest()` is 5 (the element itself); empty: null.
fn largest(a: &[Value]) -> Result<Value> {
    Ok(ranked(a, "largest")?.pop().map_or(Value::Null, |e| e.0))
}

/// `{4,1.5,9}.smallest()` is `1.5`; empty: null.
fn smallest(a: &[Value]) -> Result<Value> {
    Ok(ranked(a, "smallest")?.into_iter().next().map_or(Value::Null, |e| e.0))
}

/// The element of 1-based rank `args[1]` among the sorted elements (`from_top`: descending).
fn nth(a: &[Value], func: &str, from_top: bool) -> Result<Value> {
    let mut r = ranked(a, func)?;
    let n = int_arg(a, 1, func)?;
    if n < 1 {
        return Err(Error::runtime(format!("{func} counts from 1, but {n} was given")));
    }
    if n as u64 > r.len() as u64 {
        return Err(Error::runtime(format!("Given index {n} is greater than the list size")));
    }
    let i = if from_top { r.len() - n as usize } else { n as usize - 1 };
    Ok(r.swap_remove(i).0)
}

/// `{300,455,124,926,780}.nthLargest(2)` is 780; `nthLargest(5)` is 124.
fn nth_largest(a: &[Value]) -> Result<Value> {
    nth(a, "nthLargest", true)
}

/// `{300,455,124,926,780}.nthSmallest(2)` is 300.
fn nth_smallest(a: &[Value]) -> Result<Value> {
    nth(a, "nthSmallest", false)
}

/// `{300,455,124,926,780}.percentile(50)` is 455: nearest rank, ceil(p × size / 100),
/// p in (0, 100]; the element keeps its type; empty: null.
fn percentile(a: &[Value]) -> Result<Value> {
    let mut r = ranked(a, "percentile")?;
    let p = super::f64_arg(a, 1, "percentile")?;
    if !(p > 0.0 && p <= 100.0) {
        return Err(Error::runtime(format!(
            "percentile needs a value greater than 0 and at most 100, but {} was given",
            a[1].to_text()
        )));
    }
    if r.is_empty() {
        return Ok(Value::Null);
    }
    let k = ((p * r.len() as f64 / 100.0).ceil() as usize).clamp(1, r.len());
    Ok(r.swap_remove(k - 1).0)
}

/// `{300,455,124,926,780}.rank(300)` is 4 (1 = largest); `rank(300, "asc")` is 2.
/// Equal values share the better rank; a value not in the list is an error.
fn rank(a: &[Value]) -> Result<Value> {
    let r = ranked(a, "rank")?;
    let x = number(&a[1], "rank")?;
    let asc = a.len() > 2 && text_of(a, 2).eq_ignore_ascii_case("asc");
    let found =
        if asc { r.iter().position(|e| equals(&e.1, &x)) } else { r.iter().rev().position(|e| equals(&e.1, &x)) };
    match found {
        Some(i) => Ok(Value::Int(i as i64 + 1)),
        None => Err(Error::runtime(format!("rank: {} is not in the list", a[1].to_text()))),
    }
}
