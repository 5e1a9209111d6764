//! Unit tests of `value::number`.
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
