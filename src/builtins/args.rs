//! Argument helpers shared by every built-in: one wording for arity and type errors.

use crate::error::{Error, Result};
use crate::value::{Coll, Text, Value};
use jiff::civil::DateTime;

/// Zoho's text for a wrong argument count.
pub fn arity_error(name: &str) -> Error {
    Error::runtime(format!("No. of arguments mismatches for the function {name}"))
}

/// A wrong argument type: names the function, the position and both types.
pub fn arg_type_error(func: &str, pos: usize, want: &str, got: &Value) -> Error {
    Error::runtime(format!(
        "Argument {pos} of {func} must be {want}, but a value of type {} was given",
        got.type_name()
    ))
}

/// The text of `args[i]`.
pub fn text_arg<'a>(args: &'a [Value], i: usize, func: &str) -> Result<&'a Text> {
    match &args[i] {
        Value::Text(t) => Ok(t),
        other => Err(arg_type_error(func, i, "TEXT", other)),
    }
}

/// `args[i]` printed as text (numbers and other scalars accepted where Zoho converts).
pub fn text_of(args: &[Value], i: usize) -> String {
    args[i].to_text()
}

/// A whole number: a Number, a Decimal truncated, or text holding a number.
pub fn int_arg(args: &[Value], i: usize, func: &str) -> Result<i64> {
    match &args[i] {
        Value::Int(n) => Ok(*n),
        Value::Dec(d) if d.is_finite() => Ok(d.trunc() as i64),
        Value::Text(t) => match crate::value::number::parse_number(t) {
            Some(crate::value::number::Num::Int(n)) => Ok(n),
            Some(crate::value::number::Num::Dec(d)) if d.is_finite() => Ok(d.trunc() as i64),
            _ => Err(arg_type_error(func, i, "a number", &args[i])),
        },
        other => Err(arg_type_error(func, i, "a number", other)),
    }
}

/// A number as f64 (Number, Decimal or numeric text).
pub fn f64_arg(args: &[Value], i: usize, func: &str) -> Result<f64> {
    match &args[i] {
        Value::Int(n) => Ok(*n as f64),
        Value::Dec(d) => Ok(*d),
        Value::Text(t) => match crate::value::number::parse_number(t) {
            Some(crate::value::number::Num::Int(n)) => Ok(n as f64),
            Some(crate::value::number::Num::Dec(d)) => Ok(d),
            None => Err(arg_type_error(func, i, "a number", &args[i])),
        },
        other => Err(arg_type_error(func, i, "a number", other)),
    }
}

/// A list or map argument.
pub fn coll_arg<'a>(args: &'a [Value], i: usize, func: &str) -> Result<&'a Coll> {
    match &args[i] {
        Value::Coll(c) => Ok(c),
        other => Err(arg_type_error(func, i, "a LIST or MAP", other)),
    }
}

/// A boolean argument.
pub fn bool_arg(args: &[Value], i: usize, func: &str) -> Result<bool> {
    match &args[i] {
        Value::Bool(b) => Ok(*b),
        Value::Text(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        Value::Text(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(arg_type_error(func, i, "a BOOLEAN", other)),
    }
}

/// A Date or DateTime argument as a DateTime (dates at midnight); text is parsed as a date.
pub fn time_arg(args: &[Value], i: usize, func: &str) -> Result<DateTime> {
    as_datetime(&args[i]).ok_or_else(|| arg_type_error(func, i, "a date", &args[i]))
}

/// A Date or DateTime (or text holding one) as a DateTime.
pub fn as_datetime(v: &Value) -> Option<DateTime> {
    use crate::value::time::{parse_moment, Moment};
    match v {
        Value::Date(d) => Some(d.to_datetime(jiff::civil::Time::midnight())),
        Value::DateTime(d) => Some(*d),
        Value::Text(t) => match parse_moment(t)? {
            Moment::Date(d) => Some(d.to_datetime(jiff::civil::Time::midnight())),
            Moment::DateTime(d) => Some(d),
        },
        _ => None,
    }
}
