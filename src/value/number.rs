//! Number and Decimal helpers: Java-style decimal printing, `round`/`truncate`/`frac` on the
//! shortest decimal text, the DecimalFormat subset behind `text(pattern)`, and number parsing.
//!
//! Decisions (dg decides where Zoho is silent):
//! - `round`/`truncate` of NaN or an infinity: `None` when `n <= 0`, the value when `n > 0`.
//! - `frac` of NaN or an infinity is NaN; a zero result is always `0.0` (never `-0.0`).
//! - `parse_number` trims whitespace and accepts `[+-]digits[.digits][(e|E)[+-]digits]`, also
//!   `.5` and `5.`; exponents are accepted so that dg's own `1.0E7` reads back. Text that
//!   overflows i64 or has a point or exponent is a Decimal; hex, `NaN`, `Infinity`, grouping
//!   commas and results that overflow to infinity are not numbers.
//! - `decimal_format` is JDK 8+ DecimalFormat (HALF_EVEN on the exact binary value, `-0.00`
//!   for small negatives), checked against Java 25; it reads doubles' shortest digits, so past
//!   about 10^15 it can differ from Java's legacy 17th digit. Exponent patterns (`0.###E0`)
//!   are an error; `¤` prints `$`.

use std::fmt::{self, Write as _};
use std::io;

/// A Deluge Number (i64) or Decimal (f64).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    Int(i64),
    Dec(f64),
}

/// Formats into a stack buffer (no allocation); the text must fit in 64 bytes.
fn fmt_into<'a>(buf: &'a mut [u8; 64], args: fmt::Arguments) -> &'a str {
    let n = {
        let mut rest = &mut buf[..];
        let _ = io::Write::write_fmt(&mut rest, args);
        64 - rest.len()
    };
    std::str::from_utf8(&buf[..n]).unwrap_or("")
}

/// Shortest round-trip digits of a finite non-zero |x|, no leading or trailing zeros:
/// |x| = d0.d1d2... x 10^exp.
struct Shortest {
    digits: [u8; 24],
    len: usize,
    exp: i32,
}

impl Shortest {
    fn of(x: f64) -> Shortest {
        let a = x.abs();
        let s = Self::sci(format_args!("{a:e}"));
        // Java picks the closest of the 1- and 2-digit candidates (4.9E-324, not 5e-324); this
        // can only differ from Rust's shortest output for subnormals.
        if s.len == 1 && a < f64::MIN_POSITIVE {
            let two = Self::sci(format_args!("{a:.1e}"));
            if two.is(a) {
                return two;
            }
        }
        // When x lies exactly halfway between two shortest candidates (possible only with 16+
        // digits), Java takes the one with an even last digit; Rust takes the upper one.
        let len = s.len;
        if len >= 16 && s.digits[len - 1] % 2 == 1 {
            let mid = Self::sci(format_args!("{a:.len$e}"));
            if mid.len == len + 1 && mid.digits[len] == b'5' && mid.is_exactly(a) {
                let prec = len - 1;
                let even = Self::sci(format_args!("{a:.prec$e}"));
                if even.is(a) {
                    return even;
                }
            }
        }
        s
    }

    /// Whether these digits read back as `a`.
    fn is(&self, a: f64) -> bool {
        scaled(digits_u64(self.digits()), self.place()) == a
    }

    /// Whether these digits (odd, ending in 5) are exactly the double `a`: t x 10^p is a
    /// double when its odd part t x 5^p is an integer below 2^53.
    fn is_exactly(&self, a: f64) -> bool {
        let (mut t, p) = (u128::from(digits_u64(self.digits())), self.place());
        for _ in 0..p.unsigned_abs() {
            if p > 0 && t < 1 << 53 {
                t *= 5;
            } else if p < 0 && t % 5 == 0 {
                t /= 5;
            } else {
                return false;
            }
        }
        t < 1 << 53 && self.is(a)
    }

    fn sci(args: fmt::Arguments) -> Shortest {
        let mut buf = [0; 64];
        let text = fmt_into(&mut buf, args);
        let (mant, exp) = text.split_once('e').unwrap_or((text, "0"));
        let mut s = Shortest { digits: [b'0'; 24], len: 0, exp: exp.parse().unwrap_or(0) };
        for c in mant.bytes().filter(u8::is_ascii_digit).take(24) {
            s.digits[s.len] = c;
            s.len += 1;
        }
        while s.len > 1 && s.digits[s.len - 1] == b'0' {
            s.len -= 1;
        }
        s
    }

    fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// The power of ten of the last digit.
    fn place(&self) -> i128 {
        i128::from(self.exp) - self.len as i128 + 1
    }
}

fn digits_u64(ds: &[u8]) -> u64 {
    ds.iter().fold(0, |m: u64, &d| m.wrapping_mul(10).wrapping_add(u64::from(d - b'0')))
}

/// The double nearest to m x 10^place (correctly rounded, via the std parser).
fn scaled(m: u64, place: i128) -> f64 {
    let mut buf = [0; 64];
    let place = place.clamp(-1000, 1000);
    fmt_into(&mut buf, format_args!("{m}e{place}")).parse().unwrap_or(f64::NAN)
}

/// Java's `Double.toString`, appended to `out`.
pub fn write_decimal(out: &mut String, x: f64) {
    if x.is_nan() {
        return out.push_str("NaN");
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    if x.is_infinite() || x == 0.0 {
        return out.push_str(if x == 0.0 { "0.0" } else { "Infinity" });
    }
    let s = Shortest::of(x);
    let ds = s.digits();
    if (-3..0).contains(&s.exp) {
        out.push_str(["0.", "0.0", "0.00"][(-s.exp - 1) as usize]);
        ds.iter().for_each(|&d| out.push(char::from(d)));
        return;
    }
    let plain = (0..7).contains(&s.exp);
    let int_len = if plain { s.exp as usize + 1 } else { 1 };
    for i in 0..ds.len().max(int_len + 1) {
        if i == int_len {
            out.push('.');
        }
        out.push(ds.get(i).map_or('0', |&d| char::from(d)));
    }
    if !plain {
        let _ = write!(out, "E{}", s.exp);
    }
}

/// `write_decimal` into a new String.
#[cfg(test)]
pub fn format_decimal(x: f64) -> String {
    let mut s = String::new();
    write_decimal(&mut s, x);
    s
}

/// `round(n)`: half away from zero on the shortest text. Int when `n <= 0`, Dec when `n > 0`;
/// None when the integer result does not fit i64.
pub fn round_decimal(x: f64, n: i64) -> Option<Num> {
    scale_decimal(x, n, true)
}

/// `truncate(n)`: toward zero on the shortest text; same result types as `round_decimal`.
pub fn truncate_decimal(x: f64, n: i64) -> Option<Num> {
    scale_decimal(x, n, false)
}

fn scale_decimal(x: f64, n: i64, half_up: bool) -> Option<Num> {
    if !x.is_finite() {
        return if n > 0 { Some(Num::Dec(x)) } else { None };
    }
    if x == 0.0 {
        return Some(if n > 0 { Num::Dec(0.0) } else { Num::Int(0) });
    }
    let s = Shortest::of(x);
    let ds = s.digits();
    let k = ds.len() as i128;
    // Digits with a place value of at least 10^-n.
    let keep = i128::from(s.exp) + i128::from(n) + 1;
    let (m, place) = if keep >= k {
        if n > 0 {
            return Some(Num::Dec(x));
        }
        (digits_u64(ds), i128::from(s.exp) - k + 1)
    } else {
        let kept = keep.max(0) as usize;
        let mut m = digits_u64(&ds[..kept]);
        if half_up && keep >= 0 && ds[kept] >= b'5' {
            m += 1;
        }
        (m, -i128::from(n))
    };
    let neg = x < 0.0;
    if n > 0 {
        let v = scaled(m, place);
        return Some(Num::Dec(if neg && m != 0 { -v } else { v }));
    }
    // m != 0 here means keep >= 0, so place <= 309.
    let v = match m {
        0 => 0,
        _ => (0..place).try_fold(i128::from(m), |v, _| v.checked_mul(10))?,
    };
    i64::try_from(if neg { -v } else { v }).ok().map(Num::Int)
}

/// Integer `round(n)`: unchanged for `n >= 0`, else half away from zero at 10^-n.
pub fn round_int(x: i64, n: i64) -> Option<i64> {
    scale_int(x, n, true)
}

/// Integer `truncate(n)`: unchanged for `n >= 0`, else toward zero at 10^-n.
pub fn truncate_int(x: i64, n: i64) -> Option<i64> {
    scale_int(x, n, false)
}

fn scale_int(x: i64, n: i64, half_up: bool) -> Option<i64> {
    match n.unsigned_abs() {
        _ if n >= 0 => Some(x),
        m @ 0..=20 => {
            let (p, a) = (10i128.pow(m as u32), i128::from(x).abs());
            let q = a / p + i128::from(half_up && (a % p) * 2 >= p);
            i64::try_from(q * p * i128::from(x.signum())).ok()
        }
        _ => Some(0),
    }
}

/// `frac()`: the fractional digits of the shortest text, with the sign of `x`.
pub fn frac(x: f64) -> f64 {
    if !x.is_finite() {
        return f64::NAN;
    }
    let s = Shortest::of(x);
    let start = (s.exp + 1).max(0) as usize;
    match digits_u64(s.digits().get(start..).unwrap_or(&[])) {
        0 => 0.0,
        m => scaled(m, s.place()).copysign(x),
    }
}

/// A parsed DecimalFormat pattern (the non-exponential part of java.text.DecimalFormat).
#[derive(Default)]
struct Pattern {
    /// Prefix and suffix for positive and for negative numbers.
    pos: (String, String),
    neg: (String, String),
    min_int: i64,
    max_frac: usize,
    min_frac: usize,
    grouping: i64,
    multiplier: u32,
    always_point: bool,
}

fn parse_pattern(pattern: &str) -> Result<Pattern, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let bad = |what: &str| Err(format!("{what} in pattern \"{pattern}\""));
    // An empty pattern keeps DecimalFormat's defaults.
    let mut pat = Pattern { max_frac: 340, grouping: 3, multiplier: 1, ..Pattern::default() };
    let mut got_negative = false;
    let mut start = 0;
    for positive in [true, false] {
        if start >= chars.len() {
            break;
        }
        let (mut prefix, mut suffix) = (String::new(), String::new());
        let (mut in_quote, mut phase, mut multiplier) = (false, 0, 1u32);
        let (mut left, mut zero, mut right, mut decimal_pos, mut grouping) = (0i64, 0i64, 0i64, -1i64, -1i64);
        let mut pos = start;
        start = chars.len();
        while pos < chars.len() {
            let ch = chars[pos];
            let next_is_quote = chars.get(pos + 1) == Some(&'\'');
            if phase != 1 {
                let affix = if phase == 0 { &mut prefix } else { &mut suffix };
                match ch {
                    '\'' if next_is_quote => {
                        affix.push('\'');
                        pos += 1;
                    }
                    '\'' => in_quote = !in_quote,
                    _ if in_quote => affix.push(ch),
                    '#' | '0' | ',' | '.' => {
                        phase = 1;
                        continue;
                    }
                    '\u{a4}' if chars.get(pos + 1) == Some(&'\u{a4}') => {
                        affix.push_str("USD");
                        pos += 1;
                    }
                    '\u{a4}' => affix.push('$'),
                    ';' if phase == 0 || !positive => return bad("Unquoted special character ';'"),
                    ';' => {
                        start = pos + 1;
                        break;
                    }
                    '%' | '\u{2030}' => {
                        if multiplier != 1 {
                            return bad("Too many percent/per mille characters");
                        }
                        multiplier = if ch == '%' { 100 } else { 1000 };
                        affix.push(ch);
                    }
                    _ => affix.push(ch),
                }
            } else if !positive {
                // The negative subpattern only contributes its prefix and suffix.
                if !matches!(ch, '#' | '0' | ',' | '.' | 'E') {
                    phase = 2;
                    continue;
                }
            } else {
                if matches!(ch, '#' | '0') && grouping >= 0 && decimal_pos < 0 {
                    grouping += 1;
                }
                match ch {
                    '#' if zero > 0 => right += 1,
                    '#' => left += 1,
                    '0' if right > 0 => return bad("Unexpected '0'"),
                    '0' => zero += 1,
                    ',' => grouping = 0,
                    '.' if decimal_pos >= 0 => return bad("Multiple decimal separators"),
                    '.' => decimal_pos = left + zero + right,
                    'E' => return bad("Exponent notation is not supported"),
                    _ => {
                        phase = 2;
                        continue;
                    }
                }
            }
            pos += 1;
        }
        // "##.###" means "#0.###" and ".###" means ".0##" (as Java reads them).
        if zero == 0 && left > 0 && decimal_pos >= 0 {
            let n = decimal_pos.max(1);
            right = left - n;
            left = n - 1;
            zero = 1;
        }
        if (decimal_pos < 0 && right > 0)
            || (decimal_pos >= 0 && (decimal_pos < left || decimal_pos > left + zero))
            || grouping == 0
            || in_quote
        {
            return Err(format!("Malformed pattern \"{pattern}\""));
        }
        if positive {
            let total = left + zero + right;
            let effective_point = if decimal_pos >= 0 { decimal_pos } else { total };
            pat.min_int = (effective_point - left).min(309);
            let frac_digits = |n: i64| (n * i64::from(decimal_pos >= 0)).clamp(0, 340) as usize;
            pat.max_frac = frac_digits(total - decimal_pos);
            pat.min_frac = frac_digits(left + zero - decimal_pos);
            pat.grouping = grouping.max(0);
            pat.multiplier = multiplier;
            pat.always_point = decimal_pos == 0 || decimal_pos == total;
            pat.pos = (prefix, suffix);
        } else {
            got_negative = true;
            pat.neg = (prefix, suffix);
        }
    }
    if !got_negative || pat.neg == pat.pos {
        pat.neg = (format!("-{}", pat.pos.0), pat.pos.1.clone());
    }
    Ok(pat)
}

/// DecimalFormat's digit list of a plain decimal text: digits without leading or trailing
/// zeros, and the position of the decimal point among them (0 for zero).
fn digit_list(text: &str) -> (Vec<u8>, i64) {
    let point = text.find('.').unwrap_or(text.len()) as i64;
    let mut digits: Vec<u8> = text.bytes().filter(u8::is_ascii_digit).collect();
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..lead);
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    let point = if digits.is_empty() { 0 } else { point - lead as i64 };
    (digits, point)
}

/// The digit list of |v| (finite) rounded HALF_EVEN to `max_frac` places.
fn fixed_digits(v: f64, max_frac: usize) -> (Vec<u8>, i64) {
    if v == 0.0 {
        return (Vec::new(), 0);
    }
    let s = Shortest::of(v);
    if -s.place() <= max_frac as i128 {
        return (s.digits().to_vec(), i64::from(s.exp) + 1);
    }
    // Java (JDK 8+) rounds the exact binary value, ties to even; so does Rust's fixed format.
    digit_list(&format!("{:.*}", max_frac, v.abs()))
}

/// Java DecimalFormat subset for `text(pattern)` (see the module docs).
pub fn decimal_format(x: Num, pattern: &str) -> Result<String, String> {
    let p = parse_pattern(pattern)?;
    let (neg, digits, point) = match x {
        Num::Dec(f) if f.is_nan() => return Ok("NaN".to_string()),
        Num::Dec(f) => {
            let (v, neg) = (f * f64::from(p.multiplier), f.is_sign_negative());
            if v.is_infinite() {
                let (prefix, suffix) = if neg { &p.neg } else { &p.pos };
                return Ok(format!("{prefix}\u{221e}{suffix}"));
            }
            let (digits, point) = fixed_digits(v, p.max_frac);
            (neg, digits, point)
        }
        Num::Int(i) => {
            let mag = i128::from(i).unsigned_abs() * u128::from(p.multiplier);
            let (digits, point) = digit_list(&mag.to_string());
            (mag != 0 && i < 0, digits, point)
        }
    };
    let (prefix, suffix) = if neg { &p.neg } else { &p.pos };
    let mut out = prefix.clone();
    let mut idx = 0;
    for i in (0..p.min_int.max(point)).rev() {
        if i < point && idx < digits.len() {
            out.push(char::from(digits[idx]));
            idx += 1;
        } else {
            out.push('0');
        }
        if p.grouping > 0 && i > 0 && i % p.grouping == 0 {
            out.push(',');
        }
    }
    let fraction_present = p.min_frac > 0 || idx < digits.len();
    if !fraction_present && out.len() == prefix.len() {
        out.push('0');
    }
    if p.always_point || fraction_present {
        out.push('.');
    }
    for i in 0..p.max_frac {
        if i >= p.min_frac && idx >= digits.len() {
            break;
        }
        if (i as i64) < -point || idx >= digits.len() {
            out.push('0');
        } else {
            out.push(char::from(digits[idx]));
            idx += 1;
        }
    }
    out.push_str(suffix);
    Ok(out)
}

/// Parses Deluge number text (see the module docs for the accepted forms).
pub fn parse_number(s: &str) -> Option<Num> {
    let t = s.trim();
    // With only these characters, std's float grammar is exactly the accepted one.
    let allowed = |c: u8| c.is_ascii_digit() || b"+-.eE".contains(&c);
    if !t.bytes().all(allowed) {
        return None;
    }
    let v: f64 = t.parse().ok()?;
    if !t.bytes().any(|c| b".eE".contains(&c)) {
        if let Ok(i) = t.parse::<i64>() {
            return Some(Num::Int(i));
        }
    }
    v.is_finite().then_some(Num::Dec(v))
}

#[cfg(test)]
#[path = "number_tests.rs"]
mod tests;
