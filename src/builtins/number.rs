//! Number and Decimal built-ins (`round`, `abs`, `toDecimal`, ...): receiver is numeric.
//!
//! Decisions (dg decides where Zoho is silent):
//! - `floor`/`ceil` return a Number (Zoho: `10.1.ceil()` is `11`); a result outside 64 bits is an
//!   error. `round(n)`/`truncate(n)` on a Number receiver always return a Number.
//! - `sqrt`, `log` (natural, Zoho), `exp`, trigonometry and `power` with a Decimal side return a
//!   Decimal; a result that is not a number (`sqrt(-1)`, `log(0)`, `asin(2)`) is `null` (Zoho says
//!   so for `sqrt` and `log`); an infinite result is an overflow error.
//! - `power` of a Number by a Number >= 0 stays an exact Number (`3.power(2)` is `9`); overflow is
//!   an error.
//! - `max`/`min` return the chosen value with its own type; on a tie, the receiver.
//! - `isEven`/`isOdd` on a Decimal test its value (`4.0.isEven()` is true, `2.5` is neither).
//! - `frac` of a Number is `0`; `signum` of any zero is `0.0`.
//! - `toHex` takes a Number (Java's `Long.toHexString`: two's complement for negatives).
//! - `y.atan2(x)` (and `atan2(y, x)`) is Java's `Math.atan2(y, x)`: the receiver is the y
//!   coordinate. `degrees`/`radians` convert angles as Java's `Math.toDegrees`/`toRadians`.
//! - The hyperbolic functions and their inverses return Decimals like the other trigonometry;
//!   `acosh` below 1 and `atanh` outside -1..1 (its ends included) are `null`, as `log(0)` is;
//!   `log10` of 0 or less is `null`.

use super::{arg_type_error, b, int_arg, text_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::number::{
    decimal_format, frac as frac_of, parse_number, round_decimal, round_int, truncate_decimal, truncate_int, Num,
};
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[
    b("round", Recv::Num, 1, 1, round),
    b("truncate", Recv::Num, 1, 1, truncate),
    b("floor", Recv::Num, 0, 0, floor),
    b("ceil", Recv::Num, 0, 0, ceil),
    b("abs", Recv::Num, 0, 0, abs),
    b("sqrt", Recv::Num, 0, 0, sqrt),
    b("power", Recv::Num, 1, 1, power),
    b("exp", Recv::Num, 0, 0, exp),
    b("log", Recv::Num, 0, 0, log),
    b("max", Recv::Num, 1, 1, max),
    b("min", Recv::Num, 1, 1, min),
    b("frac", Recv::Num, 0, 0, frac),
    b("signum", Recv::Num, 0, 0, signum),
    b("isEven", Recv::Num, 0, 0, is_even),
    b("isOdd", Recv::Num, 0, 0, is_odd),
    b("toLong", Recv::Num, 0, 0, to_long),
    b("toNumber", Recv::Num, 0, 0, to_long),
    b("toDecimal", Recv::Num, 0, 0, to_decimal),
    b("text", Recv::Num, 1, 1, text),
    b("toHex", Recv::Num, 0, 0, to_hex),
    b("sin", Recv::Num, 0, 0, sin),
    b("cos", Recv::Num, 0, 0, cos),
    b("tan", Recv::Num, 0, 0, tan),
    b("asin", Recv::Num, 0, 0, asin),
    b("acos", Recv::Num, 0, 0, acos),
    b("atan", Recv::Num, 0, 0, atan),
    b("atan2", Recv::Num, 1, 1, atan2),
    b("sinh", Recv::Num, 0, 0, sinh),
    b("cosh", Recv::Num, 0, 0, cosh),
    b("tanh", Recv::Num, 0, 0, tanh),
    b("asinh", Recv::Num, 0, 0, asinh),
    b("acosh", Recv::Num, 0, 0, acosh),
    b("atanh", Recv::Num, 0, 0, atanh),
    b("degrees", Recv::Num, 0, 0, degrees),
    b("radians", Recv::Num, 0, 0, radians),
    b("log10", Recv::Num, 0, 0, log10),
];

/// The numeric receiver (the table only routes numbers here).
fn recv(a: &[Value]) -> Num {
    match a[0] {
        Value::Int(n) => Num::Int(n),
        Value::Dec(d) => Num::Dec(d),
        _ => Num::Dec(f64::NAN),
    }
}

/// `args[i]` as a number: a Number, a Decimal, or text holding one.
fn num_arg(a: &[Value], i: usize, func: &str) -> Result<Num> {
    match &a[i] {
        Value::Int(n) => Ok(Num::Int(*n)),
        Value::Dec(d) => Ok(Num::Dec(*d)),
        Value::Text(t) => parse_number(t).ok_or_else(|| arg_type_error(func, i, "a number", &a[i])),
        other => Err(arg_type_error(func, i, "a number", other)),
    }
}

fn as_f64(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Dec(d) => d,
    }
}

fn num_value(n: Num) -> Value {
    match n {
        Num::Int(i) => Value::Int(i),
        Num::Dec(d) => Value::Dec(d),
    }
}

fn overflow(func: &str, x: impl std::fmt::Display) -> Error {
    Error::runtime(format!("Number overflow: {func} of {x} does not fit in a 64-bit number"))
}

/// A Decimal result: NaN is `null`, an infinity is an overflow error.
fn decimal(func: &str, x: Num, r: f64) -> Result<Value> {
    if r.is_nan() {
        Ok(Value::Null)
    } else if r.is_infinite() && as_f64(x).is_finite() {
        Err(Error::runtime(format!("Number overflow: {func} of {} is not a finite number", shown(x))))
    } else {
        Ok(Value::Dec(if r == 0.0 { 0.0 } else { r }))
    }
}

/// A number as `info` prints it (for error messages).
fn shown(x: Num) -> String {
    num_value(x).to_text()
}

/// A Decimal to a Number, truncating toward zero; `None` when out of range or not a number.
fn dec_to_int(d: f64) -> Option<i64> {
    let t = d.trunc();
    // i64::MAX as f64 rounds up to 2^63, which does not fit.
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t).then_some(t as i64)
}

/// `218.49.round(1)` is `218.5`; `2.5.round(0)` is `3` and `(-2.5).round(0)` is `-3` (half away
/// from zero); `1250.round(-2)` is `1300`.
fn round(a: &[Value]) -> Result<Value> {
    scale(a, "round", round_int, round_decimal)
}

/// `9789.852.truncate(0)` is `9789`; `9789.852.truncate(-2)` is `9700`; `9789.852.truncate(2)`
/// is `9789.85`.
fn truncate(a: &[Value]) -> Result<Value> {
    scale(a, "truncate", truncate_int, truncate_decimal)
}

fn scale(
    a: &[Value],
    func: &str,
    on_int: fn(i64, i64) -> Option<i64>,
    on_dec: fn(f64, i64) -> Option<Num>,
) -> Result<Value> {
    let n = int_arg(a, 1, func)?;
    let x = recv(a);
    let r = match x {
        Num::Int(i) => on_int(i, n).map(Num::Int),
        Num::Dec(d) => on_dec(d, n),
    };
    r.map(num_value).ok_or_else(|| overflow(func, shown(x)))
}

/// `10.1.floor()` is `10`; `(-10.1).floor()` is `-11`.
fn floor(a: &[Value]) -> Result<Value> {
    whole(a, "floor", f64::floor)
}

/// `10.1.ceil()` is `11`; `(-10.9).ceil()` is `-10`.
fn ceil(a: &[Value]) -> Result<Value> {
    whole(a, "ceil", f64::ceil)
}

fn whole(a: &[Value], func: &str, f: fn(f64) -> f64) -> Result<Value> {
    match recv(a) {
        Num::Int(i) => Ok(Value::Int(i)),
        Num::Dec(d) => dec_to_int(f(d)).map(Value::Int).ok_or_else(|| overflow(func, shown(Num::Dec(d)))),
    }
}

/// `(-5).abs()` is `5`; `(-2.5).abs()` is `2.5`.
fn abs(a: &[Value]) -> Result<Value> {
    match recv(a) {
        Num::Int(i) => i.checked_abs().map(Value::Int).ok_or_else(|| overflow("abs", i)),
        Num::Dec(d) => Ok(Value::Dec(d.abs())),
    }
}

/// `9.sqrt()` is `3.0`; `(-4).sqrt()` is `null`.
fn sqrt(a: &[Value]) -> Result<Value> {
    let x = recv(a);
    decimal("sqrt", x, as_f64(x).sqrt())
}

/// `3.power(2)` is `9`; `2.power(0.5)` is `1.4142135623730951`; `2.power(-1)` is `0.5`.
fn power(a: &[Value]) -> Result<Value> {
    let (x, y) = (recv(a), num_arg(a, 1, "power")?);
    if let (Num::Int(b), Num::Int(e)) = (x, y) {
        if e >= 0 {
            return int_pow(b, e).map(Value::Int).ok_or_else(|| {
                Error::runtime(format!("Number overflow: {b} to the power {e} does not fit in a 64-bit number"))
            });
        }
    }
    decimal("power", x, as_f64(x).powf(as_f64(y)))
}

/// `b^e` exactly, `None` on overflow.
fn int_pow(b: i64, e: i64) -> Option<i64> {
    match b {
        0 => Some(i64::from(e == 0)),
        1 => Some(1),
        -1 => Some(if e % 2 == 0 { 1 } else { -1 }),
        _ => b.checked_pow(u32::try_from(e).ok()?),
    }
}

/// `1.exp()` is `2.718281828459045`.
fn exp(a: &[Value]) -> Result<Value> {
    let x = recv(a);
    decimal("exp", x, as_f64(x).exp())
}

/// `90.log()` is `4.499809670330265` (natural logarithm); `0.log()` is `null`.
fn log(a: &[Value]) -> Result<Value> {
    let x = recv(a);
    let v = as_f64(x);
    if v <= 0.0 {
        return Ok(Value::Null);
    }
    decimal("log", x, v.ln())
}

/// `3.max(7)` is `7`; `3.max(2.5)` is `3`.
fn max(a: &[Value]) -> Result<Value> {
    pick(a, "max", std::cmp::Ordering::Less)
}

/// `3.min(7)` is `3`; `3.min(2.5)` is `2.5`.
fn min(a: &[Value]) -> Result<Value> {
    pick(a, "min", std::cmp::Ordering::Greater)
}

/// The argument when the receiver compares as `other_wins` against it, else the receiver.
fn pick(a: &[Value], func: &str, other_wins: std::cmp::Ordering) -> Result<Value> {
    let (x, y) = (recv(a), num_arg(a, 1, func)?);
    let ord = match (x, y) {
        (Num::Int(p), Num::Int(q)) => p.cmp(&q),
        _ => as_f64(x).partial_cmp(&as_f64(y)).unwrap_or(std::cmp::Ordering::Equal),
    };
    Ok(num_value(if ord == other_wins { y } else { x }))
}

/// `24.6.frac()` is `0.6`; `(-25.1).frac()` is `-0.1`; `7.frac()` is `0`.
fn frac(a: &[Value]) -> Result<Value> {
    Ok(match recv(a) {
        Num::Int(_) => Value::Int(0),
        Num::Dec(d) => Value::Dec(frac_of(d)),
    })
}

/// `25.125432.signum()` is `1.0`; `(-12).signum()` is `-1.0`; `0.signum()` is `0.0`.
fn signum(a: &[Value]) -> Result<Value> {
    let v = as_f64(recv(a));
    Ok(if v.is_nan() {
        Value::Dec(v)
    } else if v > 0.0 {
        Value::Dec(1.0)
    } else if v < 0.0 {
        Value::Dec(-1.0)
    } else {
        Value::Dec(0.0)
    })
}

/// `4.isEven()` is `true`; `7.isEven()` is `false`.
fn is_even(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(match recv(a) {
        Num::Int(i) => i % 2 == 0,
        Num::Dec(d) => d % 2.0 == 0.0,
    }))
}

/// `7.isOdd()` is `true`; `(-3).isOdd()` is `true`.
fn is_odd(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(match recv(a) {
        Num::Int(i) => i % 2 != 0,
        Num::Dec(d) => (d % 2.0).abs() == 1.0,
    }))
}

/// `99.9.toLong()` is `99`; `(-99.9).toNumber()` is `-99` (toward zero).
fn to_long(a: &[Value]) -> Result<Value> {
    match recv(a) {
        Num::Int(i) => Ok(Value::Int(i)),
        Num::Dec(d) => dec_to_int(d)
            .map(Value::Int)
            .ok_or_else(|| Error::runtime(format!("Cannot convert {} to a Number", shown(Num::Dec(d))))),
    }
}

/// `5.toDecimal()` is `5.0`.
fn to_decimal(a: &[Value]) -> Result<Value> {
    Ok(Value::Dec(as_f64(recv(a))))
}

/// `2434.text("000000000")` is `000002434`; `1234567.891.text("#,##0.00")` is `1,234,567.89`.
fn text(a: &[Value]) -> Result<Value> {
    let pattern = text_arg(a, 1, "text")?;
    decimal_format(recv(a), pattern).map(Value::from_string).map_err(Error::runtime)
}

/// `100.toHex()` is `64`; `255.toHex()` is `ff`.
fn to_hex(a: &[Value]) -> Result<Value> {
    match a[0] {
        Value::Int(i) => Ok(Value::from_string(format!("{:x}", i as u64))),
        ref other => {
            Err(Error::runtime(format!("The function 'toHex' cannot be used on a value of type {}", other.type_name())))
        }
    }
}

/// `0.sin()` is `0.0`; `(3.141592653589793 / 2).sin()` is `1.0` (radians).
fn sin(a: &[Value]) -> Result<Value> {
    trig(a, "sin", f64::sin)
}

/// `0.cos()` is `1.0`.
fn cos(a: &[Value]) -> Result<Value> {
    trig(a, "cos", f64::cos)
}

/// `1.tan()` is `1.5574077246549023`.
fn tan(a: &[Value]) -> Result<Value> {
    trig(a, "tan", f64::tan)
}

/// `1.asin()` is `1.5707963267948966`; `2.asin()` is `null`.
fn asin(a: &[Value]) -> Result<Value> {
    trig(a, "asin", f64::asin)
}

/// `1.acos()` is `0.0`.
fn acos(a: &[Value]) -> Result<Value> {
    trig(a, "acos", f64::acos)
}

/// `1.atan()` is `0.7853981633974483`.
fn atan(a: &[Value]) -> Result<Value> {
    trig(a, "atan", f64::atan)
}

fn trig(a: &[Value], func: &str, f: fn(f64) -> f64) -> Result<Value> {
    let x = recv(a);
    decimal(func, x, f(as_f64(x)))
}

/// `3.atan2(4)` is `0.6435011087932844` (the receiver is y: Java's `Math.atan2(y, x)`).
fn atan2(a: &[Value]) -> Result<Value> {
    let (y, x) = (recv(a), num_arg(a, 1, "atan2")?);
    decimal("atan2", y, as_f64(y).atan2(as_f64(x)))
}

/// `1.sinh()` is `1.1752011936438014`.
fn sinh(a: &[Value]) -> Result<Value> {
    trig(a, "sinh", f64::sinh)
}

/// `0.cosh()` is `1.0`.
fn cosh(a: &[Value]) -> Result<Value> {
    trig(a, "cosh", f64::cosh)
}

/// `1.tanh()` is `0.7615941559557649`.
fn tanh(a: &[Value]) -> Result<Value> {
    trig(a, "tanh", f64::tanh)
}

/// `1.asinh()` is `0.881373587019543`.
fn asinh(a: &[Value]) -> Result<Value> {
    trig(a, "asinh", f64::asinh)
}

/// `1.acosh()` is `0.0`; `0.5.acosh()` is `null`.
fn acosh(a: &[Value]) -> Result<Value> {
    trig(a, "acosh", f64::acosh)
}

/// `0.5.atanh()` is `0.5493061443340548`; `1.atanh()` is `null`.
fn atanh(a: &[Value]) -> Result<Value> {
    let x = recv(a);
    let v = as_f64(x);
    if !(-1.0 < v && v < 1.0) {
        return Ok(Value::Null);
    }
    decimal("atanh", x, v.atanh())
}

/// `3.141592653589793.degrees()` is `180.0`.
fn degrees(a: &[Value]) -> Result<Value> {
    trig(a, "degrees", f64::to_degrees)
}

/// `180.radians()` is `3.141592653589793`.
fn radians(a: &[Value]) -> Result<Value> {
    trig(a, "radians", f64::to_radians)
}

/// `1000.log10()` is `3.0`; `0.log10()` is `null`.
fn log10(a: &[Value]) -> Result<Value> {
    let x = recv(a);
    let v = as_f64(x);
    if v <= 0.0 {
        return Ok(Value::Null);
    }
    decimal("log10", x, v.log10())
}
