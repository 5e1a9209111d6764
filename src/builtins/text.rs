//! Text built-ins (`length`, `subString`, `indexOf`, `getPrefix`, `proper`, ...): receiver is Text.
//!
//! Indexes count characters, not bytes, are 0-based and ranges exclude their end (Zoho). ASCII
//! text (the common case) takes byte-indexed fast paths. Regex built-ins live in `text/regex.rs`,
//! conversions (`toList`, `toMap`, `toNumber`, `isDate`, `encodeUrl`, ...) in `text/convert.rs`,
//! character classes, `concat` and hex (`getAlpha`, `textToHex`, ...) in `text/letters.rs`.
//!
//! Decisions (dg decides where Zoho is silent):
//! - Search arguments may be numbers, booleans or dates (they are searched as their text); null,
//!   lists and maps are an argument-type error.
//! - `remove(s)` removes every occurrence; `getOccurenceCount(s)` counts non-overlapping ones and
//!   is 0 for the empty text.
//! - `proper` upper-cases the first letter after whitespace and lower-cases every other letter.
//! - `leftpad(n)`/`rightpad(n)` pad with spaces up to a total length of `n` characters; a
//!   shorter `n` (or a negative one) leaves the text unchanged; `n` above 100,000 is an error.
//! - `repeat(n)` with `n <= 0` gives the empty text; a result above 10,000,000 characters is an
//!   error.
//! - `trim`/`ltrim`/`rtrim` remove Unicode whitespace.
//! - The `...IgnoreCase` searches compare characters by their lower-case form.

mod convert;
mod letters;
mod regex;

use super::{arg_type_error, b, int_arg, text_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::{Text, Value};
use std::borrow::Cow;

pub const BUILTINS: &[Builtin] = &[
    b("length", Recv::Text, 0, 0, length),
    b("len", Recv::Text, 0, 0, length),
    b("toUpperCase", Recv::Text, 0, 0, to_upper),
    b("upper", Recv::Text, 0, 0, to_upper),
    b("toLowerCase", Recv::Text, 0, 0, to_lower),
    b("lower", Recv::Text, 0, 0, to_lower),
    b("trim", Recv::Text, 0, 0, trim),
    b("ltrim", Recv::Text, 0, 0, ltrim),
    b("rtrim", Recv::Text, 0, 0, rtrim),
    b("subString", Recv::Text, 1, 2, sub_string),
    b("substring", Recv::Text, 1, 2, sub_string),
    b("mid", Recv::Text, 1, 2, sub_string),
    b("subText", Recv::Text, 1, 2, sub_string),
    b("left", Recv::Text, 1, 1, left),
    b("right", Recv::Text, 1, 1, right),
    b("indexOf", Recv::Text, 1, 1, index_of),
    b("find", Recv::Text, 1, 1, index_of),
    b("lastIndexOf", Recv::Text, 1, 1, last_index_of),
    b("contains", Recv::Text, 1, 1, contains),
    b("notContains", Recv::Text, 1, 1, not_contains),
    b("containsIgnoreCase", Recv::Text, 1, 1, contains_ignore_case),
    b("startsWith", Recv::Text, 1, 1, starts_with),
    b("endsWith", Recv::Text, 1, 1, ends_with),
    b("startsWithIgnoreCase", Recv::Text, 1, 1, starts_with_ignore_case),
    b("endsWithIgnoreCase", Recv::Text, 1, 1, ends_with_ignore_case),
    b("getPrefix", Recv::Text, 1, 1, get_prefix),
    b("getSuffix", Recv::Text, 1, 1, get_suffix),
    b("getPrefixIgnoreCase", Recv::Text, 1, 1, get_prefix_ignore_case),
    b("getSuffixIgnoreCase", Recv::Text, 1, 1, get_suffix_ignore_case),
    b("remove", Recv::Text, 1, 1, remove),
    b("removeFirstOccurence", Recv::Text, 1, 1, remove_first),
    b("removeLastOccurence", Recv::Text, 1, 1, remove_last),
    b("replaceAll", Recv::Text, 2, 3, regex::replace_all),
    b("replaceFirst", Recv::Text, 2, 3, regex::replace_first),
    b("replaceAllIgnoreCase", Recv::Text, 2, 3, regex::replace_all_ignore_case),
    b("replaceFirstIgnoreCase", Recv::Text, 2, 3, regex::replace_first_ignore_case),
    b("matches", Recv::Text, 1, 1, regex::matches),
    b("repeat", Recv::Text, 1, 1, repeat),
    b("reverse", Recv::Text, 0, 0, reverse),
    b("proper", Recv::Text, 0, 0, proper),
    b("leftpad", Recv::Text, 1, 1, leftpad),
    b("rightpad", Recv::Text, 1, 1, rightpad),
    b("getOccurenceCount", Recv::Text, 1, 1, occurence_count),
    b("isAscii", Recv::Text, 0, 0, is_ascii),
    b("concat", Recv::Text, 1, 1, letters::concat),
    b("getAlpha", Recv::Text, 0, 0, letters::get_alpha),
    b("getAlphaNumeric", Recv::Text, 0, 0, letters::get_alpha_numeric),
    b("removeAllAlpha", Recv::Text, 0, 0, letters::remove_all_alpha),
    b("removeAllAlphaNumeric", Recv::Text, 0, 0, letters::remove_all_alpha_numeric),
    b("textToHex", Recv::Text, 0, 0, letters::text_to_hex),
    b("hexToText", Recv::Text, 0, 0, letters::hex_to_text),
    b("toList", Recv::Text, 0, 1, convert::to_list),
    b("toListString", Recv::Text, 0, 0, convert::to_list_string),
    b("toMap", Recv::Text, 0, 0, convert::to_map),
    b("toMap", Recv::Map, 0, 0, convert::same),
    b("toJSONList", Recv::Text, 0, 0, convert::to_json_list),
    b("toJSONList", Recv::List, 0, 0, convert::same),
    b("getJSON", Recv::Text, 1, 1, convert::get_json),
    b("getJson", Recv::Text, 1, 1, convert::get_json),
    b("toNumber", Recv::Text, 0, 0, convert::to_long),
    b("toLong", Recv::Text, 0, 0, convert::to_long),
    b("toDecimal", Recv::Text, 0, 0, convert::to_decimal),
    b("isNumber", Recv::Any, 0, 0, convert::is_number),
    b("isText", Recv::Any, 0, 0, convert::is_text),
    b("isDate", Recv::Any, 0, 0, convert::is_date),
    b("encodeUrl", Recv::Text, 0, 0, convert::encode_url),
    b("urlEncode", Recv::Text, 0, 0, convert::url_encode),
    b("urlDecode", Recv::Text, 0, 0, convert::url_decode),
    b("text", Recv::Text, 1, 1, convert::text_pattern),
];

// ---- helpers shared with the submodules ----

/// The receiver's text.
fn recv<'a>(a: &'a [Value], func: &str) -> Result<&'a str> {
    Ok(text_arg(a, 0, func)?)
}

/// `a[i]` as text to search for: text as is, numbers, booleans and dates as they print.
#[inline]
fn str_arg<'a>(a: &'a [Value], i: usize, func: &str) -> Result<Cow<'a, str>> {
    match &a[i] {
        Value::Text(t) => Ok(Cow::Borrowed(t)),
        v @ (Value::Int(_) | Value::Dec(_) | Value::Bool(_) | Value::Date(_) | Value::DateTime(_)) => {
            Ok(Cow::Owned(v.to_text()))
        }
        other => Err(arg_type_error(func, i, "TEXT", other)),
    }
}

/// The byte offset of the first `needle` in `hay` at or after `from`. Texts up to 64 bytes
/// (most field values) are scanned byte by byte: memchr's vector set-up costs more than such a
/// scan. Longer ones use memchr for the first byte and a compare, and above 256 bytes memchr's
/// `memmem`; std's two-way searcher costs more to set up than any of these.
pub(super) fn find_from(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = &hay.as_bytes()[from..];
    let n = needle.as_bytes();
    let Some((&first, rest)) = n.split_first() else { return Some(from) };
    if n.len() > h.len() {
        return None;
    }
    if h.len() <= 64 {
        if rest.is_empty() {
            return h.iter().position(|&b| b == first).map(|i| from + i);
        }
        let last = h.len() - n.len();
        return (0..=last).find(|&i| h[i] == first && h[i + 1..i + n.len()] == *rest).map(|i| from + i);
    }
    if rest.is_empty() {
        return memchr::memchr(first, h).map(|i| from + i);
    }
    if h.len() > 256 {
        return memchr::memmem::find(h, n).map(|i| from + i);
    }
    let mut i = 0;
    while let Some(p) = memchr::memchr(first, &h[i..]) {
        let at = i + p;
        if h[at..].starts_with(n) {
            return Some(from + at);
        }
        i = at + 1;
    }
    None
}

pub(super) fn find(hay: &str, needle: &str) -> Option<usize> {
    find_from(hay, needle, 0)
}

/// `hay` with `needle` (not empty) replaced by `rep` (every time, or the first); `None` when
/// `needle` does not occur, so the caller can keep its text.
pub(super) fn replace_plain(hay: &str, needle: &str, rep: &str, all: bool) -> Option<Value> {
    let first = find(hay, needle)?;
    SCRATCH.with_borrow_mut(|out| {
        out.clear();
        replace_into(out, hay, needle, rep, all, first);
        Some(Value::text(out))
    })
}

thread_local! {
    /// A reused buffer for text built by a built-in: the result is copied once into its value
    /// (inline when short), and no temporary `String` is allocated per call.
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn replace_into(out: &mut String, hay: &str, needle: &str, rep: &str, all: bool, first: usize) {
    out.push_str(&hay[..first]);
    out.push_str(rep);
    let mut rest = first + needle.len();
    if all {
        while let Some(at) = find_from(hay, needle, rest) {
            out.push_str(&hay[rest..at]);
            out.push_str(rep);
            rest = at + needle.len();
        }
    }
    out.push_str(&hay[rest..]);
}

/// Number of characters.
fn char_len(t: &str) -> usize {
    if t.is_ascii() {
        t.len()
    } else {
        t.chars().count()
    }
}

/// Character index of byte offset `byte` (a char boundary).
fn char_index(t: &str, byte: usize) -> i64 {
    let head = &t[..byte];
    (if head.is_ascii() { byte } else { head.chars().count() }) as i64
}

/// Byte offset of character index `idx` (`idx <= char_len(t)`).
fn byte_offset(t: &str, idx: usize) -> usize {
    if t.is_ascii() {
        idx
    } else {
        t.char_indices().nth(idx).map_or(t.len(), |(b, _)| b)
    }
}

/// The lower-case form used by the `...IgnoreCase` comparisons.
fn fold(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// Byte length of the match of `needle` at the start of `hay`, ignoring case.
fn match_ci_at(hay: &str, needle: &str) -> Option<usize> {
    let mut hay_chars = hay.char_indices();
    for n in needle.chars() {
        let (_, h) = hay_chars.next()?;
        if fold(h) != fold(n) {
            return None;
        }
    }
    Some(hay_chars.next().map_or(hay.len(), |(b, _)| b))
}

/// Byte range of the first (or last) occurrence of `needle` in `hay`, ignoring case.
fn find_ci(hay: &str, needle: &str, last: bool) -> Option<(usize, usize)> {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        if n.len() > h.len() {
            return None;
        }
        let hit = |&s: &usize| h[s..s + n.len()].eq_ignore_ascii_case(n);
        let mut starts = 0..=h.len() - n.len();
        let s = if last { starts.rev().find(hit) } else { starts.find(hit) }?;
        return Some((s, s + n.len()));
    }
    let mut starts = hay.char_indices().map(|(b, _)| b).chain(std::iter::once(hay.len()));
    let probe = |s: usize| match_ci_at(&hay[s..], needle).map(|len| (s, s + len));
    if last {
        starts.collect::<Vec<_>>().into_iter().rev().find_map(probe)
    } else {
        starts.find_map(probe)
    }
}

fn index_error(func: &str, detail: String) -> Error {
    Error::runtime(format!("Invalid index for {func}: {detail}"))
}

// ---- case, trim, length ----

/// `"abc".length()` is 3 (characters, not bytes).
fn length(a: &[Value]) -> Result<Value> {
    Ok(Value::Int(char_len(recv(a, "length")?) as i64))
}

/// `"abc".toUpperCase()` is `ABC`.
fn to_upper(a: &[Value]) -> Result<Value> {
    let t = recv(a, "toUpperCase")?;
    if t.is_ascii() {
        return Ok(Value::Text(Text::ascii_case(t, true)));
    }
    Ok(Value::from_string(t.to_uppercase()))
}

/// `"Zoho CRM".toLowerCase()` is `zoho crm`.
fn to_lower(a: &[Value]) -> Result<Value> {
    let t = recv(a, "toLowerCase")?;
    if t.is_ascii() {
        return Ok(Value::Text(Text::ascii_case(t, false)));
    }
    Ok(Value::from_string(t.to_lowercase()))
}

/// Keep the receiver when nothing changes (no allocation).
fn same_or(a: &[Value], t: &str, out: &str) -> Value {
    if out.len() == t.len() {
        a[0].clone()
    } else {
        Value::text(out)
    }
}

/// `"  Zoho  ".trim()` is `Zoho`.
fn trim(a: &[Value]) -> Result<Value> {
    let t = recv(a, "trim")?;
    Ok(same_or(a, t, t.trim()))
}

/// `"  Zoho  ".ltrim()` is `Zoho  `.
fn ltrim(a: &[Value]) -> Result<Value> {
    let t = recv(a, "ltrim")?;
    Ok(same_or(a, t, t.trim_start()))
}

/// `"  Zoho  ".rtrim()` is `  Zoho`.
fn rtrim(a: &[Value]) -> Result<Value> {
    let t = recv(a, "rtrim")?;
    Ok(same_or(a, t, t.trim_end()))
}

// ---- slicing ----

/// `"Deluge".subString(1, 3)` is `el`: 0-based, end excluded; a negative end means "to the end"
/// (Zoho); a start or end past the text, or an end before the start, is an error.
fn sub_string(a: &[Value]) -> Result<Value> {
    let t = recv(a, "subString")?;
    let len = char_len(t) as i64;
    let start = int_arg(a, 1, "subString")?;
    let end = match a.get(2) {
        Some(_) => int_arg(a, 2, "subString")?,
        None => len,
    };
    let end = if end < 0 { len } else { end };
    if start < 0 || start > len || end > len || end < start {
        return Err(index_error("subString", format!("start {start}, end {end}, text length {len}")));
    }
    let (s, e) = (byte_offset(t, start as usize), byte_offset(t, end as usize));
    Ok(Value::text(&t[s..e]))
}

/// `"Zoho Creator".left(4)` is `Zoho`; a negative count gives the whole text (Zoho), a count
/// above the length is an error.
fn left(a: &[Value]) -> Result<Value> {
    let t = recv(a, "left")?;
    let n = int_arg(a, 1, "left")?;
    let len = char_len(t) as i64;
    if n < 0 {
        return Ok(a[0].clone());
    }
    if n > len {
        return Err(index_error("left", format!("count {n}, text length {len}")));
    }
    Ok(Value::text(&t[..byte_offset(t, n as usize)]))
}

/// `"Zoho Creator".right(7)` is `Creator`; a negative count or one above the length is an
/// error (Zoho).
fn right(a: &[Value]) -> Result<Value> {
    let t = recv(a, "right")?;
    let n = int_arg(a, 1, "right")?;
    let len = char_len(t) as i64;
    if n < 0 || n > len {
        return Err(index_error("right", format!("count {n}, text length {len}")));
    }
    Ok(Value::text(&t[byte_offset(t, (len - n) as usize)..]))
}

// ---- searching ----

/// `"a-b".indexOf("-")` is 1; -1 when absent (case-sensitive).
fn index_of(a: &[Value]) -> Result<Value> {
    let t = recv(a, "indexOf")?;
    let needle = str_arg(a, 1, "indexOf")?;
    Ok(Value::Int(find(t, &needle).map_or(-1, |byte| char_index(t, byte))))
}

/// `"a-b-c".lastIndexOf("-")` is 3; -1 when absent.
fn last_index_of(a: &[Value]) -> Result<Value> {
    let t = recv(a, "lastIndexOf")?;
    let needle = str_arg(a, 1, "lastIndexOf")?;
    Ok(Value::Int(t.rfind(&*needle).map_or(-1, |byte| char_index(t, byte))))
}

/// `"Zoho Creator".contains("Cre")` is true (case-sensitive).
fn contains(a: &[Value]) -> Result<Value> {
    let t = recv(a, "contains")?;
    Ok(Value::Bool(find(t, &str_arg(a, 1, "contains")?).is_some()))
}

/// `"Zoho".notContains("x")` is true.
fn not_contains(a: &[Value]) -> Result<Value> {
    let t = recv(a, "notContains")?;
    Ok(Value::Bool(find(t, &str_arg(a, 1, "notContains")?).is_none()))
}

/// `"Zoho Creator".containsIgnoreCase("CREATOR")` is true.
fn contains_ignore_case(a: &[Value]) -> Result<Value> {
    let t = recv(a, "containsIgnoreCase")?;
    Ok(Value::Bool(find_ci(t, &str_arg(a, 1, "containsIgnoreCase")?, false).is_some()))
}

/// `"Zoho".startsWith("Zo")` is true.
fn starts_with(a: &[Value]) -> Result<Value> {
    let t = recv(a, "startsWith")?;
    Ok(Value::Bool(t.starts_with(&*str_arg(a, 1, "startsWith")?)))
}

/// `"Zoho".endsWith("ho")` is true.
fn ends_with(a: &[Value]) -> Result<Value> {
    let t = recv(a, "endsWith")?;
    Ok(Value::Bool(t.ends_with(&*str_arg(a, 1, "endsWith")?)))
}

/// `"Zoho".startsWithIgnoreCase("zO")` is true.
fn starts_with_ignore_case(a: &[Value]) -> Result<Value> {
    let t = recv(a, "startsWithIgnoreCase")?;
    Ok(Value::Bool(match_ci_at(t, &str_arg(a, 1, "startsWithIgnoreCase")?).is_some()))
}

/// `"Zoho".endsWithIgnoreCase("HO")` is true.
fn ends_with_ignore_case(a: &[Value]) -> Result<Value> {
    let t = recv(a, "endsWithIgnoreCase")?;
    let needle = str_arg(a, 1, "endsWithIgnoreCase")?;
    Ok(Value::Bool(find_ci(t, &needle, true).is_some_and(|(_, end)| end == t.len())))
}

/// `"Zoho Creator, apps".getPrefix(",")` is `Zoho Creator`; null when absent.
fn get_prefix(a: &[Value]) -> Result<Value> {
    let t = recv(a, "getPrefix")?;
    let needle = str_arg(a, 1, "getPrefix")?;
    Ok(find(t, &needle).map_or(Value::Null, |s| Value::text(&t[..s])))
}

/// `"apps with Zoho".getSuffix("with")` is ` Zoho`; null when absent.
fn get_suffix(a: &[Value]) -> Result<Value> {
    let t = recv(a, "getSuffix")?;
    let needle = str_arg(a, 1, "getSuffix")?;
    Ok(find(t, &needle).map_or(Value::Null, |s| Value::text(&t[s + needle.len()..])))
}

/// `"Split and get".getPrefixIgnoreCase("AND")` is `Split ` (with its space); null when absent.
fn get_prefix_ignore_case(a: &[Value]) -> Result<Value> {
    let t = recv(a, "getPrefixIgnoreCase")?;
    let needle = str_arg(a, 1, "getPrefixIgnoreCase")?;
    Ok(find_ci(t, &needle, false).map_or(Value::Null, |(s, _)| Value::text(&t[..s])))
}

/// `"Split and get".getSuffixIgnoreCase("AND")` is ` get`; null when absent.
fn get_suffix_ignore_case(a: &[Value]) -> Result<Value> {
    let t = recv(a, "getSuffixIgnoreCase")?;
    let needle = str_arg(a, 1, "getSuffixIgnoreCase")?;
    Ok(find_ci(t, &needle, false).map_or(Value::Null, |(_, e)| Value::text(&t[e..])))
}

/// `"Zoho Creator".getOccurenceCount("o")` is 3 (non-overlapping, case-sensitive).
fn occurence_count(a: &[Value]) -> Result<Value> {
    let t = recv(a, "getOccurenceCount")?;
    let needle = str_arg(a, 1, "getOccurenceCount")?;
    Ok(Value::Int(if needle.is_empty() { 0 } else { t.matches(&*needle).count() as i64 }))
}

// ---- removing ----

/// `"Zoho Creator".remove("o")` is `Zh Creatr`: every occurrence.
fn remove(a: &[Value]) -> Result<Value> {
    let t = recv(a, "remove")?;
    let needle = str_arg(a, 1, "remove")?;
    if needle.is_empty() {
        return Ok(a[0].clone());
    }
    Ok(replace_plain(t, &needle, "", true).unwrap_or_else(|| a[0].clone()))
}

/// `"Zoho Creator 5".removeFirstOccurence("o")` is `Zho Creator 5`.
fn remove_first(a: &[Value]) -> Result<Value> {
    let t = recv(a, "removeFirstOccurence")?;
    let needle = str_arg(a, 1, "removeFirstOccurence")?;
    Ok(match find(t, &needle) {
        Some(s) if !needle.is_empty() => Value::from_string([&t[..s], &t[s + needle.len()..]].concat()),
        _ => a[0].clone(),
    })
}

/// `"an app, an app builder".removeLastOccurence("app")` is `an app, an  builder`.
fn remove_last(a: &[Value]) -> Result<Value> {
    let t = recv(a, "removeLastOccurence")?;
    let needle = str_arg(a, 1, "removeLastOccurence")?;
    Ok(match t.rfind(&*needle) {
        Some(s) if !needle.is_empty() => Value::from_string([&t[..s], &t[s + needle.len()..]].concat()),
        _ => a[0].clone(),
    })
}

// ---- building ----

const MAX_REPEAT_CHARS: i64 = 10_000_000;
const MAX_PAD: i64 = 100_000;

/// `"ab".repeat(3)` is `ababab`.
fn repeat(a: &[Value]) -> Result<Value> {
    let t = recv(a, "repeat")?;
    let n = int_arg(a, 1, "repeat")?;
    if n <= 0 || t.is_empty() {
        return Ok(Value::text(""));
    }
    let total = (char_len(t) as i64).saturating_mul(n);
    if total > MAX_REPEAT_CHARS {
        return Err(Error::runtime(format!(
            "repeat: the result would have {total} characters (at most {MAX_REPEAT_CHARS})"
        )));
    }
    Ok(Value::from_string(t.repeat(n as usize)))
}

/// `"Zoho".reverse()` is `ohoZ` (by character).
fn reverse(a: &[Value]) -> Result<Value> {
    let t = recv(a, "reverse")?;
    Ok(Value::from_string(t.chars().rev().collect()))
}

/// `"zoho CREATOR".proper()` is `Zoho Creator`.
fn proper(a: &[Value]) -> Result<Value> {
    let t = recv(a, "proper")?;
    let mut out = String::with_capacity(t.len());
    let mut word_start = true;
    for c in t.chars() {
        if word_start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        word_start = c.is_whitespace();
    }
    Ok(Value::from_string(out))
}

/// How many spaces `leftpad`/`rightpad` add.
fn pad_count(a: &[Value], func: &str) -> Result<usize> {
    let t = recv(a, func)?;
    let n = int_arg(a, 1, func)?;
    if n > MAX_PAD {
        return Err(Error::runtime(format!("{func}: the length {n} is above the maximum {MAX_PAD}")));
    }
    Ok(n.saturating_sub(char_len(t) as i64).max(0) as usize)
}

/// `"Left".leftpad(6)` is `  Left` (spaces up to 6 characters).
fn leftpad(a: &[Value]) -> Result<Value> {
    let pad = pad_count(a, "leftpad")?;
    if pad == 0 {
        return Ok(a[0].clone());
    }
    Ok(Value::from_string(" ".repeat(pad) + recv(a, "leftpad")?))
}

/// `"Right".rightpad(7)` is `Right  `.
fn rightpad(a: &[Value]) -> Result<Value> {
    let pad = pad_count(a, "rightpad")?;
    if pad == 0 {
        return Ok(a[0].clone());
    }
    Ok(Value::from_string(recv(a, "rightpad")?.to_string() + &" ".repeat(pad)))
}

/// `"Hello$World123".isAscii()` is true; `"ß".isAscii()` is false; empty text is true.
fn is_ascii(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(recv(a, "isAscii")?.is_ascii()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find_from` against std's search, on both sides of the 64- and 256-byte paths.
    #[test]
    fn find_from_agrees_with_std() {
        let needles = ["", "a", "ab", "aab", "zz", "é", "b-", "x".repeat(70).leak()];
        for len in [0, 1, 2, 5, 63, 64, 65, 100, 255, 256, 257, 600] {
            let hay: String = (0..len)
                .map(|i| {
                    if i % 7 == 6 {
                        'b'
                    } else if i % 3 == 0 {
                        '-'
                    } else {
                        'a'
                    }
                })
                .collect();
            let hay = format!("{hay}zé");
            for n in &needles {
                for from in [0, 1, hay.len() / 2, hay.len() - 3] {
                    let want = hay[from..].find(n).map(|i| from + i);
                    assert_eq!(find_from(&hay, n, from), want, "{len} {n:?} from {from}");
                }
            }
        }
    }

    #[test]
    fn ascii_case_keeps_other_text() {
        let long = "item-".repeat(10) + "é";
        assert_eq!(&*Text::ascii_case("item-1é", true), "ITEM-1é");
        assert_eq!(&*Text::ascii_case(&long, true), "ITEM-".repeat(10) + "é");
        assert_eq!(&*Text::ascii_case("ABC", false), "abc");
    }
}
