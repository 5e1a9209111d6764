//! Deluge's operator rules in one place: arithmetic, `+` joining text, equality, ordering.

use super::{Items, Value};
use crate::error::{Error, Result};
use std::cmp::Ordering;

/// An arithmetic operator (the evaluator maps its AST operators here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

impl ArithOp {
    fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Mod => "%",
        }
    }
}

/// Zoho's operator type error.
pub fn type_error(l: &Value, r: &Value, op: &str) -> Error {
    Error::runtime(format!(
        "Left expression is of type {} and right expression is of type {} and operator {op} is not valid",
        l.type_name(),
        r.type_name()
    ))
}

fn overflow(l: i64, r: i64, op: ArithOp) -> Error {
    Error::runtime(format!("Number overflow: {l} {} {r} does not fit in a 64-bit number", op.symbol()))
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(*n as f64),
        Value::Dec(d) => Some(*d),
        _ => None,
    }
}

/// `l op r` for the arithmetic operators.
pub fn arith(op: ArithOp, l: &Value, r: &Value) -> Result<Value> {
    use Value::*;
    match (l, r) {
        (Int(a), Int(b)) => {
            let (a, b) = (*a, *b);
            let v = match op {
                ArithOp::Add => a.checked_add(b),
                ArithOp::Sub => a.checked_sub(b),
                ArithOp::Mul => a.checked_mul(b),
                ArithOp::Div => {
                    if b == 0 {
                        return Err(Error::runtime("Division by zero"));
                    }
                    // checked_rem first: i64::MIN % -1 overflows like the division itself
                    match a.checked_rem(b) {
                        Some(0) => a.checked_div(b),
                        Some(_) => return Ok(Dec(a as f64 / b as f64)),
                        None => None,
                    }
                }
                ArithOp::Mod => {
                    if b == 0 {
                        return Err(Error::runtime("Division by zero"));
                    }
                    a.checked_rem(b)
                }
            };
            v.map(Int).ok_or_else(|| overflow(a, b, op))
        }
        (Text(_), _) | (_, Text(_)) if op == ArithOp::Add => {
            // Sized once: text joins are the hot path of string building.
            let guess = |v: &Value| match v {
                Text(t) => t.len(),
                _ => 24,
            };
            let mut s = String::with_capacity(guess(l) + guess(r));
            join_text(&mut s, l);
            join_text(&mut s, r);
            Ok(Value::from_string(s))
        }
        (Int(_) | Dec(_), Int(_) | Dec(_)) => {
            let (a, b) = (as_f64(l).unwrap_or(0.0), as_f64(r).unwrap_or(0.0));
            Ok(Dec(match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div | ArithOp::Mod if b == 0.0 => return Err(Error::runtime("Division by zero")),
                ArithOp::Div => a / b,
                ArithOp::Mod => a % b,
            }))
        }
        (DateTime(_) | Date(_), DateTime(_) | Date(_)) if op == ArithOp::Sub => {
            let (a, b) = (as_datetime(l), as_datetime(r));
            Ok(Int(super::time::millis_between(b, a)))
        }
        _ => Err(type_error(l, r, op.symbol())),
    }
}

/// `a = a + b` when `a` is text: appends to `a`'s own buffer (amortised O(1) while no other
/// value shares it). Returns false, doing nothing, when `a` is not text.
pub fn append_in_place(a: &mut Value, b: &Value) -> bool {
    let Value::Text(t) = a else { return false };
    let extra = match b {
        Value::Text(x) => x.len(),
        _ => 24,
    };
    join_text(t.buffer(extra), b);
    true
}

/// Text joining for `+`: null joins as empty text.
fn join_text(out: &mut String, v: &Value) {
    if !v.is_null() {
        super::write_text(out, v);
    }
}

fn as_datetime(v: &Value) -> jiff::civil::DateTime {
    match v {
        Value::Date(d) => d.to_datetime(jiff::civil::Time::midnight()),
        Value::DateTime(d) => *d,
        _ => jiff::civil::DateTime::default(),
    }
}

/// Collections nested deeper than this compare unequal (a guard against lists that contain
/// themselves); as deep as JSON text may nest, so `toMap` results compare fully.
const MAX_EQUALS_DEPTH: usize = 128;

/// `==`: same type and value; numbers by value across Number/Decimal; dates by instant;
/// lists and maps element by element.
pub fn equals(l: &Value, r: &Value) -> bool {
    equals_depth(l, r, 0)
}

fn equals_depth(l: &Value, r: &Value, depth: usize) -> bool {
    use Value::*;
    match (l, r) {
        (Null, Null) => true,
        (Bool(a), Bool(b)) => a == b,
        (Int(a), Int(b)) => a == b,
        (Int(_) | Dec(_), Int(_) | Dec(_)) => as_f64(l) == as_f64(r),
        (Text(a), Text(b)) => a == b,
        (Date(_) | DateTime(_), Date(_) | DateTime(_)) => as_datetime(l) == as_datetime(r),
        (Coll(a), Coll(b)) => {
            if a.ptr_eq(b) {
                return true;
            }
            if depth > MAX_EQUALS_DEPTH {
                return false;
            }
            let (a, b) = (a.borrow(), b.borrow());
            match (&a.items, &b.items) {
                (Items::List(x), Items::List(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equals_depth(p, q, depth + 1))
                }
                (Items::Map(x), Items::Map(y)) => {
                    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equals_depth(v, w, depth + 1)))
                }
                _ => false,
            }
        }
        (File(a), File(b)) => std::rc::Rc::ptr_eq(a, b),
        _ => false,
    }
}

/// Ordering for `<`, `<=`, `>`, `>=` and sorting: numbers, texts, dates, booleans.
pub fn compare(l: &Value, r: &Value, op: &str) -> Result<Ordering> {
    use Value::*;
    match (l, r) {
        (Int(a), Int(b)) => Ok(a.cmp(b)),
        (Int(_) | Dec(_), Int(_) | Dec(_)) => {
            let (a, b) = (as_f64(l).unwrap_or(0.0), as_f64(r).unwrap_or(0.0));
            Ok(a.partial_cmp(&b).unwrap_or(Ordering::Equal))
        }
        (Text(a), Text(b)) => Ok(a.cmp(b)),
        (Date(_) | DateTime(_), Date(_) | DateTime(_)) => Ok(as_datetime(l).cmp(&as_datetime(r))),
        (Bool(a), Bool(b)) => Ok(a.cmp(b)),
        _ => Err(type_error(l, r, op)),
    }
}

/// `x in c`: element of a list, key of a map, or substring of a text.
pub fn contains_value(container: &Value, x: &Value) -> Result<bool> {
    match container {
        Value::Coll(c) => {
            let data = c.borrow();
            Ok(match &data.items {
                Items::List(items) => items.iter().any(|v| equals(v, x)),
                Items::Map(m) => m.contains_key(&super::Key::new(x.clone())),
            })
        }
        Value::Text(t) => Ok(t.contains(&*x.to_text())),
        other => Err(type_error(x, other, "in")),
    }
}
