//! Text built-ins that keep or drop character classes (`getAlpha`, `removeAllAlphaNumeric`, ...),
//! `concat`, and the hexadecimal pair `textToHex`/`hexToText`.
//!
//! Decisions (dg decides where Zoho is silent):
//! - A letter is a Unicode letter and a digit a Unicode decimal digit (`"Crème 5".getAlpha()` is
//!   `Crème`); ASCII text takes a byte-wise fast path.
//! - Zoho's pages show `" 5"` for `"Zoho Creator 5".removeAllAlpha()`: the browser collapses the
//!   two spaces the function returns. dg returns both (`"  5"`), as the page's text describes.
//! - `textToHex` writes the UTF-8 bytes as lower-case hex; `hexToText` reads hex pairs in either
//!   case (an odd count or a non-hex character is an error) and bytes that are not UTF-8 are
//!   replaced with U+FFFD.
//! - `concat`'s argument may be a number, boolean or date (joined as it prints); null, lists and
//!   maps are an argument-type error.

use super::{recv, str_arg};
use crate::error::{Error, Result};
use crate::value::Value;

/// Keep (or drop) the characters for which `class` holds.
fn filter(a: &[Value], func: &str, keep: bool, ascii: fn(u8) -> bool, class: fn(char) -> bool) -> Result<Value> {
    let t = recv(a, func)?;
    if t.is_ascii() {
        let bytes: Vec<u8> = t.bytes().filter(|&b| ascii(b) == keep).collect();
        // Only ASCII bytes were kept, so the bytes are UTF-8.
        return Ok(Value::from_string(String::from_utf8(bytes).unwrap_or_default()));
    }
    Ok(Value::from_string(t.chars().filter(|&c| class(c) == keep).collect()))
}

fn is_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn is_letter_or_digit(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// `"Your joining date is January 25th, 2019".getAlpha()` is `YourjoiningdateisJanuaryth`.
pub(super) fn get_alpha(a: &[Value]) -> Result<Value> {
    filter(a, "getAlpha", true, |b| b.is_ascii_alphabetic(), is_letter)
}

/// `"Your joining date is 25-01-2019".getAlphaNumeric()` is `Yourjoiningdateis25012019`.
pub(super) fn get_alpha_numeric(a: &[Value]) -> Result<Value> {
    filter(a, "getAlphaNumeric", true, |b| b.is_ascii_alphanumeric(), is_letter_or_digit)
}

/// `"Zoho Creator 5".removeAllAlpha()` is `"  5"` (the spaces stay).
pub(super) fn remove_all_alpha(a: &[Value]) -> Result<Value> {
    filter(a, "removeAllAlpha", false, |b| b.is_ascii_alphabetic(), is_letter)
}

/// `"Zoho Creator 5 is here!".removeAllAlphaNumeric()` is `"    !"`.
pub(super) fn remove_all_alpha_numeric(a: &[Value]) -> Result<Value> {
    filter(a, "removeAllAlphaNumeric", false, |b| b.is_ascii_alphanumeric(), is_letter_or_digit)
}

/// `"Zoho".concat("Deluge")` is `ZohoDeluge`.
pub(super) fn concat(a: &[Value]) -> Result<Value> {
    let t = recv(a, "concat")?;
    let tail = str_arg(a, 1, "concat")?;
    let mut out = String::with_capacity(t.len() + tail.len());
    out.push_str(t);
    out.push_str(&tail);
    Ok(Value::from_string(out))
}

/// `"Zoho Creator".textToHex()` is `5a6f686f2043726561746f72`.
pub(super) fn text_to_hex(a: &[Value]) -> Result<Value> {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let t = recv(a, "textToHex")?;
    let mut out = String::with_capacity(t.len() * 2);
    for b in t.bytes() {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    Ok(Value::from_string(out))
}

/// `"5a6f686f2043726561746f72".hexToText()` is `Zoho Creator`.
pub(super) fn hex_to_text(a: &[Value]) -> Result<Value> {
    let t = recv(a, "hexToText")?;
    let bad = || Error::runtime(format!("hexToText: '{t}' is not hexadecimal text"));
    if t.len() % 2 != 0 {
        return Err(bad());
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut bytes = Vec::with_capacity(t.len() / 2);
    for pair in t.as_bytes().chunks_exact(2) {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(hi), Some(lo)) => bytes.push(hi * 16 + lo),
            _ => return Err(bad()),
        }
    }
    Ok(Value::from_string(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }))
}
