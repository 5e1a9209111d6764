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
mod tests {
    use super::*;

    fn num(s: &str) -> Num {
        parse_number(s).unwrap_or_else(|| panic!("bad test number {s:?}"))
    }

    /// Cases separated by `|`, fields by whitespace.
    fn table(cases: &str) -> impl Iterator<Item = Vec<&str>> {
        cases.split('|').map(|case| case.split_whitespace().collect())
    }

    fn show(r: Option<Num>) -> String {
        match r {
            Some(Num::Int(i)) => i.to_string(),
            Some(Num::Dec(d)) => format_decimal(d),
            None => "None".to_string(),
        }
    }

    #[test]
    fn java_double_to_string() {
        let cases = "1.0 0.6 -0.1 218.5 0.03287671232876712 100.0 1.0E7 1.0E10 1.0E-4 1.2345E10 \
            -1.5E-5 0.001 9999999.0 1.23456789E7 0.30000000000000004 1.7976931348623157E308 \
            2.2250738585072014E-308 4.9E-324 9.9E-324 1.0E23 0.0 -0.0 NaN Infinity -Infinity \
            1.8476943969726562 1.1920928955078125E-7 -3.9886550903320312";
        for want in cases.split_whitespace() {
            assert_eq!(format_decimal(want.parse().unwrap()), want);
        }
        assert_eq!(format_decimal(0.1 + 0.2), "0.30000000000000004");
        // Exactly halfway between two 17-digit candidates: Java keeps the even one.
        assert_eq!(format_decimal(f64::from_bits(0x3ffd_9028_0000_0000)), "1.8476943969726562");
        let mut s = String::from("x=");
        write_decimal(&mut s, 2.5);
        assert_eq!(s, "x=2.5");
    }

    #[test]
    fn round_and_truncate() {
        // value n round truncate (Int results print bare, Dec results as Java would)
        let cases = "2.675 2 2.68 2.67 | 218.49 1 218.5 218.4 | 1250.0 -2 1300 1200 | 3.6 0 4 3
            | 9789.852 0 9790 9789 | 9789.852 -2 9800 9700 | 9789.852 1 9789.9 9789.8
            | -2.5 0 -3 -2 | -99.9 0 -100 -99 | 0.005 2 0.01 0.0 | -0.005 2 -0.01 0.0
            | -0.004 2 0.0 0.0 | 9.995 2 10.0 9.99 | 0.45 0 0 0 | 0.5 0 1 0 | 0.0 0 0 0
            | -0.0 3 0.0 0.0 | 4.9E-324 2 0.0 0.0 | 1.0E300 0 None None | 9.3E18 0 None None
            | -9.2E18 -1 -9200000000000000000 -9200000000000000000 | 1.0E20 -30 0 0
            | 123.456 9223372036854775807 123.456 123.456 | 123.456 -9223372036854775808 0 0
            | NaN 0 None None | NaN 2 NaN NaN | Infinity 1 Infinity Infinity";
        for f in table(cases) {
            let (x, n) = (f[0].parse().unwrap(), f[1].parse().unwrap());
            assert_eq!(show(round_decimal(x, n)), f[2], "{x}.round({n})");
            assert_eq!(show(truncate_decimal(x, n)), f[3], "{x}.truncate({n})");
        }
        assert_eq!(round_decimal(2.675, 2), Some(Num::Dec(2.68)));
        assert_eq!(truncate_decimal(9789.852, 0), Some(Num::Int(9789)));
        assert_eq!(truncate_decimal(f64::MAX, -300), None);
    }

    #[test]
    fn round_and_truncate_integers() {
        // value n round truncate
        let cases = "1234 -2 1200 1200 | 1250 -2 1300 1200 | -1250 -2 -1300 -1200 | 1249 -2 1200 1200
            | 1234 2 1234 1234 | 9223372036854775807 -1 None 9223372036854775800
            | -9223372036854775808 -1 None -9223372036854775800 | 7 9223372036854775807 7 7
            | 5000000000000000000 -19 None 0 | 4000000000000000000 -19 0 0
            | 9223372036854775807 -9223372036854775808 0 0 | -9223372036854775808 0 -9223372036854775808 -9223372036854775808";
        let show = |r: Option<i64>| r.map_or("None".to_string(), |v| v.to_string());
        for f in table(cases) {
            let (x, n) = (f[0].parse().unwrap(), f[1].parse().unwrap());
            assert_eq!(show(round_int(x, n)), f[2], "{x}.round({n})");
            assert_eq!(show(truncate_int(x, n)), f[3], "{x}.truncate({n})");
        }
    }

    #[test]
    fn fractions() {
        let cases = "24.6 0.6 | -25.1 -0.1 | 5.0 0.0 | -3.0 0.0 | 2.5 0.5 | 5.05 0.05 | 0.25 0.25
            | 1.0E-7 1.0E-7 | 1.0E300 0.0 | NaN NaN | Infinity NaN | -0.0 0.0";
        for f in table(cases) {
            let x: f64 = f[0].parse().unwrap();
            assert_eq!(format_decimal(frac(x)), f[1], "{x}.frac()");
        }
    }

    #[test]
    fn decimal_format_patterns() {
        // value|pattern|expected, two cases a line
        let cases = "2434|000000000|000002434 ~ 1234567.891|#,##0.00|1,234,567.89
            10.0|$#,##0.00|$10.00 ~ 0.5|$#,##0.00|$0.50
            12.5|0.00 per hour|12.50 per hour ~ 10.5678|#.##|10.57
            0.456|#.##|0.46 ~ 3.0|#.##|3
            0.0|#.##|0 ~ 0.5|.##|.5
            5|#.|5. ~ 0.256|0.0%|25.6%
            5|0%|500% ~ 1234567|#,###|1,234,567
            0|#,###|0 ~ 1234567|#,##0.00|1,234,567.00
            -1234|#,##0|-1,234 ~ -9223372036854775808|#,##0|-9,223,372,036,854,775,808
            -1234.5|#,##0.00;(#,##0.00)|(1,234.50) ~ -1234.5|#,##0.00;#,##0.00|-1,234.50
            -0.001|0.00|-0.00 ~ 0.125|0.00|0.12
            0.375|0.00|0.38 ~ 2.675|0.00|2.67
            2.5|0|2 ~ 3.5|0|4
            0.05|0.0|0.1 ~ 0.1|0.0000000000000000000|0.1000000000000000000
            1e20|#,##0|100,000,000,000,000,000,000 ~ 4.9E-324|0.00|0.00
            5|'#'0|#5 ~ 5|0 o''clock|5 o'clock
            7|'Qty: '00|Qty: 07 ~ 7|¤0|$7
            1234.5||1,234.5";
        let df = |x: Num, p: &str| decimal_format(x, p).unwrap_or_else(|e| e);
        for case in cases.lines().flat_map(|l| l.split(" ~ ")) {
            let f: Vec<&str> = case.trim().split('|').collect();
            assert_eq!(df(num(f[0]), f[1]), f[2], "{case}");
        }
        assert_eq!(df(Num::Dec(f64::NAN), "0.00"), "NaN");
        assert_eq!(df(Num::Dec(f64::NEG_INFINITY), "0.0"), "-∞");
        for bad in "0.0.0 #0# 0, 'abc 0E0 0;; ;0 0%% #,##0.0#0".split(' ') {
            assert!(decimal_format(Num::Int(1), bad).is_err(), "{bad}");
        }
        let err = decimal_format(Num::Int(1), "0.0.0").unwrap_err();
        assert_eq!(err, "Multiple decimal separators in pattern \"0.0.0\"");
    }

    #[test]
    fn parse_numbers() {
        let cases = "5=5 +5=5 007=7 -0=0 9223372036854775807=9223372036854775807 3.50=3.5 .5=0.5
            -9223372036854775808=-9223372036854775808 9223372036854775808=9.223372036854776E18
            -.5=-0.5 5.=5.0 1e3=1000.0 1.0E7=1.0E7 2.5e-3=0.0025 +1E+2=100.0 abc=None
            1000abc=None 134A123B=None 1,000=None NaN=None Infinity=None inf=None 1e400=None
            -=None .=None 1e=None 0x10=None --5=None 1.2.3=None e5=None +-1=None";
        for case in cases.split_whitespace() {
            let (text, want) = case.split_once('=').unwrap();
            assert_eq!(show(parse_number(text)), want, "{text:?}");
        }
        assert_eq!(parse_number(" -12 "), Some(Num::Int(-12)));
        assert_eq!(parse_number("3.50"), Some(Num::Dec(3.5)));
        for text in ["", " ", "12 34", "\t"] {
            assert_eq!(parse_number(text), None, "{text:?}");
        }
    }
}
