//! `toWords(language)`: a number in words, as Zoho's page shows it (the same spell-out rules
//! as ICU's, which Zoho's examples match): `1989.toWords("en-us")` is "one thousand nine
//! hundred eighty-nine", `1989.13` adds "point one three", `-12` is "minus twelve", and
//! `en-in` counts in lakh and crore (`10000000` is "one crore").
//! https://www.zoho.com/deluge/help/functions/number/towords.html
//!
//! dg speaks English (`en-us`, `en-gb`, `en-in`); Zoho's other languages (`fr`, `de`, `it`,
//! `ja`, `ko`, `zh`, `es`) are an error that says so.

use super::{arg_type_error, b, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::Value;

pub const BUILTINS: &[Builtin] = &[b("toWords", Recv::Num, 1, 1, to_words)];

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// 0..=999 in words.
fn below_thousand(n: u64, out: &mut Vec<String>) {
    let (h, rest) = (n / 100, n % 100);
    if h > 0 {
        out.push(format!("{} hundred", ONES[h as usize]));
    }
    if rest > 0 || h == 0 {
        out.push(match rest {
            0..=19 => ONES[rest as usize].to_string(),
            _ if rest % 10 == 0 => TENS[(rest / 10) as usize].to_string(),
            _ => format!("{}-{}", TENS[(rest / 10) as usize], ONES[(rest % 10) as usize]),
        });
    }
}

/// A whole number in words, in thousands (million, billion, ...) or, for `en-in`, in lakh and
/// crore (a count of crores above 99 is itself spelled out: "one hundred crore").
fn whole(n: u64, indian: bool) -> String {
    if n == 0 {
        return "zero".to_string();
    }
    let mut out: Vec<String> = Vec::new();
    if indian {
        indian_words(n, &mut out);
    } else {
        const SCALES: [&str; 7] = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"];
        let mut groups = Vec::new();
        let mut m = n;
        while m > 0 {
            groups.push(m % 1000);
            m /= 1000;
        }
        for (i, g) in groups.iter().enumerate().rev() {
            if *g == 0 {
                continue;
            }
            below_thousand(*g, &mut out);
            if !SCALES[i].is_empty() {
                out.push(SCALES[i].to_string());
            }
        }
    }
    out.join(" ")
}

fn indian_words(n: u64, out: &mut Vec<String>) {
    let crore = n / 10_000_000;
    let lakh = (n / 100_000) % 100;
    let thousand = (n / 1000) % 100;
    let rest = n % 1000;
    if crore > 0 {
        indian_words(crore, out);
        out.push("crore".to_string());
    }
    for (count, name) in [(lakh, "lakh"), (thousand, "thousand")] {
        if count > 0 {
            below_thousand(count, out);
            out.push(name.to_string());
        }
    }
    if rest > 0 {
        below_thousand(rest, out);
    }
}

fn to_words(a: &[Value]) -> Result<Value> {
    let lang = match &a[1] {
        Value::Text(t) => t.trim().to_ascii_lowercase(),
        other => return Err(arg_type_error("toWords", 1, "TEXT", other)),
    };
    let indian = match lang.as_str() {
        "en-us" | "en-gb" | "en" => false,
        "en-in" => true,
        "fr" | "de" | "it" | "ja" | "ko" | "zh" | "es" => {
            return Err(Error::runtime(format!(
                "toWords: dg spells numbers in English only (en-us, en-gb, en-in), not '{lang}'"
            )))
        }
        _ => {
            return Err(Error::runtime(format!(
                "toWords: '{lang}' is not a language Zoho supports (en-gb, en-us, en-in, fr, de, it, ja, ko, zh, es)"
            )))
        }
    };
    let text = match &a[0] {
        Value::Int(n) => n.to_string(),
        v @ Value::Dec(_) => v.to_text(),
        other => return Err(arg_type_error("toWords", 0, "NUMBER", other)),
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text.as_str()),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.len() > 18 || int_part.len() + frac_part.len() > 18 {
        return Err(Error::runtime("toWords: Zoho takes numbers of up to 18 digits"));
    }
    let n: u64 = int_part.parse().map_err(|_| Error::runtime(format!("toWords: '{text}' is not a number")))?;
    let mut words = whole(n, indian);
    if negative {
        words = format!("minus {words}");
    }
    let frac_part = frac_part.trim_end_matches('0');
    if !frac_part.is_empty() {
        words.push_str(" point");
        for d in frac_part.bytes() {
            words.push(' ');
            words.push_str(ONES[(d - b'0') as usize]);
        }
    }
    Ok(Value::from_string(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: Value, lang: &str) -> String {
        to_words(&[v, Value::text(lang)]).unwrap().to_text()
    }

    #[test]
    fn zohos_examples() {
        assert_eq!(words(Value::Int(1989), "en-us"), "one thousand nine hundred eighty-nine");
        assert_eq!(words(Value::Dec(1989.13), "en-us"), "one thousand nine hundred eighty-nine point one three");
        assert_eq!(words(Value::Int(-12), "en-gb"), "minus twelve");
        assert_eq!(words(Value::Int(10_000_000), "en-gb"), "ten million");
        assert_eq!(words(Value::Int(10_000_000), "en-in"), "one crore");
    }

    #[test]
    fn groups_and_edges() {
        assert_eq!(words(Value::Int(0), "en-us"), "zero");
        assert_eq!(words(Value::Int(100), "en-us"), "one hundred");
        assert_eq!(words(Value::Int(1_000_001), "en-us"), "one million one");
        assert_eq!(words(Value::Int(123_456), "en-in"), "one lakh twenty-three thousand four hundred fifty-six");
        assert_eq!(words(Value::Int(1_000_000_000), "en-in"), "one hundred crore");
        assert_eq!(words(Value::Int(999_999_999_999_999_999), "en-us").split(' ').next(), Some("nine"));
        assert!(to_words(&[Value::Int(i64::MAX), Value::text("en-us")]).is_err(), "19 digits");
        assert!(to_words(&[Value::Int(1), Value::text("fr")]).is_err());
        assert!(to_words(&[Value::Int(1), Value::text("xx")]).is_err());
    }
}
