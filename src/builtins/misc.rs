//! Built-ins on any value (`toString`, `isNull`, `isEmpty`, `equals`, `randomNumber`, ...),
//! typed-list conversion and the `zoho.encryption.*` tasks that run locally.

use super::{arg_type_error, arity_error, b, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::number::{parse_number, Num};
use crate::value::time::{parse_moment, Moment};
use crate::value::{equals, ElemType, Value};
use jiff::civil::Time;
use std::cell::Cell;

pub const BUILTINS: &[Builtin] = &[
    b("size", Recv::Any, 0, 0, size),
    b("toString", Recv::Any, 0, 0, to_string),
    b("toText", Recv::Any, 0, 0, to_string),
    b("isNull", Recv::Any, 0, 0, is_null),
    b("isEmpty", Recv::Any, 0, 0, is_empty),
    b("isBlank", Recv::Any, 0, 0, is_blank),
    b("isValidObject", Recv::Any, 0, 0, is_valid_object),
    b("equals", Recv::Any, 1, 1, equals_any),
    b("equalsIgnoreCase", Recv::Any, 1, 1, equals_ignore_case),
    b("ifnull", Recv::Any, 1, 1, if_null),
    b("randomNumber", Recv::Any, 1, 1, random_number),
];

/// `{1,2}.size()` is 2; also maps.
fn size(a: &[Value]) -> Result<Value> {
    match &a[0] {
        Value::Coll(c) => Ok(Value::Int(c.len() as i64)),
        other => {
            Err(Error::runtime(format!("The function 'size' cannot be used on a value of type {}", other.type_name())))
        }
    }
}

/// `{"a":1}.toString()` is `{"a":1}`; `5.toString()` is `5`; `null.toString()` is `null`.
/// `toText` is the same function (Zoho's page gives both spellings one syntax).
fn to_string(a: &[Value]) -> Result<Value> {
    Ok(match &a[0] {
        Value::Text(t) => Value::Text(t.clone()),
        other => Value::from_string(other.to_text()),
    })
}

/// `isNull("")` is true, `" ".isNull()` is false: null and the empty text are null.
fn is_null(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(match &a[0] {
        Value::Null => true,
        Value::Text(t) => t.is_empty(),
        _ => false,
    }))
}

/// `" ".isEmpty()` is false, `Collection().isEmpty()` is true; null is empty, numbers are not.
fn is_empty(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(match &a[0] {
        Value::Null => true,
        Value::Text(t) => t.is_empty(),
        Value::Coll(c) => c.is_empty(),
        _ => false,
    }))
}

/// `" ".isBlank()` is true, `isBlank({})` is true: null, whitespace-only text, empty collections.
fn is_blank(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(match &a[0] {
        Value::Null => true,
        Value::Text(t) => t.trim().is_empty(),
        Value::Coll(c) => c.is_empty(),
        _ => false,
    }))
}

/// `"x".isValidObject()` is true, `null.isValidObject()` is false: any value but null.
fn is_valid_object(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(!a[0].is_null()))
}

/// `"a".equals("a")` is true, `1.equals(1.0)` is true, `"1".equals(1)` is false (`==` rules).
fn equals_any(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(equals(&a[0], &a[1])))
}

/// `"Zoho".equalsIgnoreCase("ZOHO")` is true; values that are not both text compare as `==`.
fn equals_ignore_case(a: &[Value]) -> Result<Value> {
    Ok(Value::Bool(match (&a[0], &a[1]) {
        (Value::Text(x), Value::Text(y)) => {
            x.eq_ignore_ascii_case(y) || (!(x.is_ascii() && y.is_ascii()) && x.to_lowercase() == y.to_lowercase())
        }
        (x, y) => equals(x, y),
    }))
}

/// `x.ifnull("dflt")`: the method form (the two-argument call is a lazy expression).
fn if_null(a: &[Value]) -> Result<Value> {
    Ok(if a[0].is_null() { a[1].clone() } else { a[0].clone() })
}

/// `randomNumber(1, 3)` is 1 or 2: from the start up to, not including, the end (Zoho's
/// note); a Decimal when either limit is one.
fn random_number(a: &[Value]) -> Result<Value> {
    let limit = |i: usize| match &a[i] {
        Value::Int(n) => Ok(Num::Int(*n)),
        Value::Dec(d) if d.is_finite() => Ok(Num::Dec(*d)),
        Value::Text(t) => parse_number(t).ok_or_else(|| arg_type_error("randomNumber", i + 1, "a number", &a[i])),
        other => Err(arg_type_error("randomNumber", i + 1, "a number", other)),
    };
    let (lo, hi) = (limit(0)?, limit(1)?);
    let out_of_order = || {
        Error::runtime(format!(
            "randomNumber: the start limit {} is greater than the end limit {}",
            a[0].to_text(),
            a[1].to_text()
        ))
    };
    match (lo, hi) {
        (Num::Int(lo), Num::Int(hi)) => {
            if lo > hi {
                return Err(out_of_order());
            }
            let span = (hi as i128 - lo as i128) as u128;
            if span == 0 {
                return Ok(Value::Int(lo));
            }
            Ok(Value::Int((lo as i128 + (next_random() as u128 % span) as i128) as i64))
        }
        (lo, hi) => {
            let (lo, hi) = (num_f64(lo), num_f64(hi));
            if lo > hi {
                return Err(out_of_order());
            }
            let unit = (next_random() >> 11) as f64 / (1u64 << 53) as f64;
            Ok(Value::Dec(lo + unit * (hi - lo)))
        }
    }
}

fn num_f64(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Dec(d) => d,
    }
}

thread_local! {
    static RANDOM_STATE: Cell<u64> = const { Cell::new(0) };
}

/// xorshift64*, seeded once per thread from the clock: scripts get no reproducible sequence.
fn next_random() -> u64 {
    RANDOM_STATE.with(|s| {
        let mut x = s.get();
        if x == 0 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
            x = (nanos ^ 0x9E37_79B9_7F4A_7C15) | 1;
        }
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        s.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

/// Convert a value added to a typed list (`List:String()` holds text, `List:Int()` numbers).
/// Null stays null; a value that cannot be converted is a runtime error naming it.
pub fn convert_elem(elem: Option<ElemType>, v: Value) -> Result<Value> {
    let Some(elem) = elem else { return Ok(v) };
    if v.is_null() {
        return Ok(v);
    }
    let converted = match (elem, &v) {
        (ElemType::Text, Value::Text(_)) => return Ok(v),
        (ElemType::Text, other) => Some(Value::from_string(other.to_text())),
        (ElemType::Int, Value::Int(_)) => return Ok(v),
        (ElemType::Int, Value::Dec(d)) => dec_to_int(*d),
        (ElemType::Int, Value::Text(t)) => match parse_number(t) {
            Some(Num::Int(n)) => Some(Value::Int(n)),
            Some(Num::Dec(d)) => dec_to_int(d),
            None => None,
        },
        (ElemType::Decimal, Value::Dec(_)) => return Ok(v),
        (ElemType::Decimal, Value::Int(n)) => Some(Value::Dec(*n as f64)),
        (ElemType::Decimal, Value::Text(t)) => parse_number(t).map(|n| Value::Dec(num_f64(n))),
        (ElemType::Bool, Value::Bool(_)) => return Ok(v),
        (ElemType::Bool, Value::Text(t)) if t.trim().eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
        (ElemType::Bool, Value::Text(t)) if t.trim().eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
        (ElemType::Date, Value::Date(_)) => return Ok(v),
        (ElemType::Date, Value::DateTime(dt)) => Some(Value::Date(dt.date())),
        (ElemType::Date, Value::Text(t)) => parse_moment(t).map(|m| match m {
            Moment::Date(d) => Value::Date(d),
            Moment::DateTime(dt) => Value::Date(dt.date()),
        }),
        (ElemType::DateTime, Value::DateTime(_)) => return Ok(v),
        (ElemType::DateTime, Value::Date(d)) => Some(Value::DateTime(d.to_datetime(Time::midnight()))),
        (ElemType::DateTime, Value::Text(t)) => parse_moment(t).map(|m| Value::DateTime(m.to_datetime())),
        _ => None,
    };
    converted.ok_or_else(|| {
        let want = match elem {
            ElemType::Text => "TEXT",
            ElemType::Int => "BIGINT",
            ElemType::Decimal => "DECIMAL",
            ElemType::Bool => "BOOLEAN",
            ElemType::Date | ElemType::DateTime => "TIMESTAMP",
        };
        let shown = match &v {
            Value::Coll(_) => v.to_json(),
            other => other.to_text(),
        };
        Error::runtime(format!("Cannot add the {} value '{shown}' to a list of {want} values", v.type_name()))
    })
}

/// A Decimal added to a `List:Int()` is truncated toward zero.
fn dec_to_int(d: f64) -> Option<Value> {
    (d.is_finite() && d.abs() < 9.2e18).then(|| Value::Int(d.trunc() as i64))
}

/// `zoho.encryption.*` tasks, which run locally; `None` for every other `zoho.` task.
/// `path` is the lower-case text after `zoho.` (`encryption.base64encode`).
pub fn zoho_local(path: &str, args: &[Value]) -> Option<Result<Value>> {
    let name = path.strip_prefix("encryption.")?;
    Some(encryption(name, args))
}

/// The `zoho.encryption` tasks dg runs: (lower-case name, Zoho's spelling, min and max arguments).
const ENCRYPTION: &[(&str, &str, usize, usize)] = &[
    ("base64encode", "base64Encode", 1, 1),
    ("base64decode", "base64Decode", 1, 1),
    ("base32encode", "base32Encode", 1, 2),
    ("base32decode", "base32Decode", 1, 2),
    ("urlencode", "urlEncode", 1, 1),
    ("urldecode", "urlDecode", 1, 1),
    ("md5", "md5", 1, 2),
    ("sha1", "sha1", 1, 2),
    ("sha256", "sha256", 1, 2),
    ("sha512", "sha512", 1, 2),
    ("hmacsha1", "hmacsha1", 2, 3),
    ("hmacsha256", "hmacsha256", 2, 3),
    ("hmacsha512", "hmacsha512", 2, 3),
];

/// The `zoho.encryption` task names in Zoho's spelling (`base64Encode`, ...).
pub fn encryption_tasks() -> impl Iterator<Item = &'static str> {
    ENCRYPTION.iter().map(|e| e.1)
}

/// A `zoho.encryption` task dg runs (lower-case name): Zoho's spelling and its argument counts.
pub fn encryption_task(name: &str) -> Option<(&'static str, usize, usize)> {
    ENCRYPTION.iter().find(|e| e.0 == name).map(|&(_, zoho, min, max)| (zoho, min, max))
}

fn encryption(name: &str, args: &[Value]) -> Result<Value> {
    let Some(&(_, zoho_name, min, max)) = ENCRYPTION.iter().find(|e| e.0 == name) else {
        return Err(Error::runtime(format!("zoho.encryption.{name} is not supported by dg")));
    };
    if !(min..=max).contains(&args.len()) {
        return Err(arity_error(zoho_name));
    }
    match name {
        "base64encode" => Ok(codec_arg(args).map_or(Value::Null, |t| Value::from_string(base64_encode(t.as_bytes())))),
        "base64decode" => match codec_arg(args) {
            Some(t) => base64_decode(&t).map(Value::from_string),
            None => Ok(Value::Null),
        },
        "base32encode" => match codec_arg(args) {
            Some(t) => {
                let bytes = charset(args.get(1), zoho_name)?.encode(&t);
                Ok(Value::from_string(base32_encode(&bytes)))
            }
            None => Ok(Value::Null),
        },
        "base32decode" => match codec_arg(args) {
            Some(t) => {
                let set = charset(args.get(1), zoho_name)?;
                let bytes = base32_decode(&t)
                    .ok_or_else(|| Error::runtime(format!("base32Decode: '{t}' is not valid Base32 text")))?;
                Ok(Value::from_string(set.decode(&bytes)))
            }
            None => Ok(Value::Null),
        },
        // Zoho: "Except TEXT, all other data types will return null."
        "urlencode" => Ok(match &args[0] {
            Value::Text(t) => Value::from_string(url_encode(t)),
            _ => Value::Null,
        }),
        "urldecode" => Ok(match &args[0] {
            Value::Text(t) => Value::from_string(url_decode(t)),
            _ => Value::Null,
        }),
        "md5" => digest::<md5::Md5>(args, zoho_name),
        "sha1" => digest::<sha1::Sha1>(args, zoho_name),
        "sha256" => digest::<sha2::Sha256>(args, zoho_name),
        "sha512" => digest::<sha2::Sha512>(args, zoho_name),
        "hmacsha1" => hmac_digest::<sha1::Sha1>(args, zoho_name),
        "hmacsha512" => hmac_digest::<sha2::Sha512>(args, zoho_name),
        _ => hmac_digest::<sha2::Sha256>(args, zoho_name),
    }
}

/// `zoho.encryption.sha256("hello")`: the digest of the text as it prints, lower-case hex by
/// default (`md5`, `sha1`, `sha512` alike).
fn digest<D: sha2::Digest>(args: &[Value], func: &str) -> Result<Value> {
    let data = hash_arg(args, 0, func)?;
    output(&D::digest(data.as_bytes()), args.get(1), "hex", func)
}

/// `zoho.encryption.hmacsha256(key, text)`: Base64 by default (`hmacsha1`, `hmacsha512` alike).
fn hmac_digest<D>(args: &[Value], func: &str) -> Result<Value>
where
    D: sha2::digest::core_api::CoreProxy,
    D::Core: sha2::digest::HashMarker
        + sha2::digest::core_api::UpdateCore
        + sha2::digest::core_api::FixedOutputCore
        + sha2::digest::core_api::BufferKindUser<BufferKind = sha2::digest::block_buffer::Eager>
        + Default
        + Clone,
    <D::Core as sha2::digest::core_api::BlockSizeUser>::BlockSize:
        sha2::digest::typenum::IsLess<sha2::digest::typenum::U256>,
    sha2::digest::typenum::Le<
        <D::Core as sha2::digest::core_api::BlockSizeUser>::BlockSize,
        sha2::digest::typenum::U256,
    >: sha2::digest::typenum::NonZero,
{
    use hmac::Mac;
    let key = hash_arg(args, 0, func)?;
    let data = hash_arg(args, 1, func)?;
    let mut mac =
        hmac::Hmac::<D>::new_from_slice(key.as_bytes()).map_err(|_| Error::runtime(format!("{func}: invalid key")))?;
    mac.update(data.as_bytes());
    output(&mac.finalize().into_bytes(), args.get(2), "base64", func)
}

/// The character sets `base32Encode`/`base32Decode` accept (Zoho: UTF-8, the default,
/// UTF-16LE and UTF-16BE).
#[derive(Clone, Copy)]
enum Charset {
    Utf8,
    Utf16Le,
    Utf16Be,
}

fn charset(v: Option<&Value>, func: &str) -> Result<Charset> {
    let name = match v {
        None | Some(Value::Null) => return Ok(Charset::Utf8),
        Some(v) => v.to_text().trim().to_ascii_uppercase(),
    };
    match name.as_str() {
        "UTF-8" | "UTF8" => Ok(Charset::Utf8),
        "UTF-16LE" => Ok(Charset::Utf16Le),
        "UTF-16BE" => Ok(Charset::Utf16Be),
        _ => Err(Error::runtime(format!(
            "{func}: unknown character set '{name}' (use \"UTF-8\", \"UTF-16LE\" or \"UTF-16BE\")"
        ))),
    }
}

impl Charset {
    fn encode(self, t: &str) -> Vec<u8> {
        match self {
            Charset::Utf8 => t.as_bytes().to_vec(),
            Charset::Utf16Le => t.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Charset::Utf16Be => t.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        }
    }

    /// Bytes back to text; what does not decode is replaced with U+FFFD.
    fn decode(self, bytes: &[u8]) -> String {
        let units = |f: fn([u8; 2]) -> u16| -> Vec<u16> { bytes.chunks_exact(2).map(|p| f([p[0], p[1]])).collect() };
        match self {
            Charset::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Charset::Utf16Le => String::from_utf16_lossy(&units(u16::from_le_bytes)),
            Charset::Utf16Be => String::from_utf16_lossy(&units(u16::from_be_bytes)),
        }
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 Base32 with `=` padding (Zoho: `"john@zylker.com"` is `NJXWQ3SAPJ4WY23FOIXGG33N`).
fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        let used = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < used {
                out.push(BASE32[((bits >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// RFC 4648 Base32, either case, padding and whitespace optional; `None` when not Base32.
fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut nbits) = (0u64, 0u32);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            continue;
        }
        let v = BASE32.iter().position(|&d| d == c.to_ascii_uppercase())? as u64;
        acc = acc << 5 | v;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            out.push((acc >> nbits) as u8);
            acc &= (1 << nbits) - 1;
        }
    }
    Some(out)
}

/// The text to encode or decode: null gives `None` (the task returns null); other values
/// are taken as they print.
fn codec_arg(args: &[Value]) -> Option<String> {
    match &args[0] {
        Value::Null => None,
        Value::Text(t) => Some(t.to_string()),
        other => Some(other.to_text()),
    }
}

/// Text to hash: any value but null, taken as it prints.
fn hash_arg(args: &[Value], i: usize, func: &str) -> Result<String> {
    match &args[i] {
        Value::Null => Err(arg_type_error(func, i + 1, "TEXT", &args[i])),
        Value::Text(t) => Ok(t.to_string()),
        other => Ok(other.to_text()),
    }
}

/// A digest as lower-case hex or Base64, by the optional output type argument.
fn output(digest: &[u8], kind: Option<&Value>, default: &str, func: &str) -> Result<Value> {
    let kind = match kind {
        None | Some(Value::Null) => default.to_string(),
        Some(v) => v.to_text().trim().to_ascii_lowercase(),
    };
    match kind.as_str() {
        "hex" => {
            let mut s = String::with_capacity(digest.len() * 2);
            for byte in digest {
                s.push_str(&format!("{byte:02x}"));
            }
            Ok(Value::from_string(s))
        }
        "base64" => Ok(Value::from_string(base64_encode(digest))),
        "binary" => Err(Error::runtime(format!("{func}: the output type 'binary' is not supported by dg"))),
        other => Err(Error::runtime(format!("{func}: unknown output type '{other}' (use \"hex\" or \"base64\")"))),
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard or URL-safe alphabet, padding optional, line breaks ignored (as Java's decoders
/// accept); bytes that are not UTF-8 are replaced.
fn base64_decode(text: &str) -> Result<String> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    const CONFIG: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, CONFIG);
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = STANDARD
        .decode(&compact)
        .or_else(|_| URL_SAFE.decode(&compact))
        .map_err(|_| Error::runtime(format!("base64Decode: '{text}' is not valid Base64 text")))?;
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Java's `URLEncoder` (UTF-8) with the space as `%20`: letters, digits and `.-*_` stay.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Java's `URLDecoder` (UTF-8): `%XX` sequences and `+` as a space; a malformed `%` stays
/// as it is.
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(&hi), Some(&lo)) if hex_pair(hi, lo).is_some() => {
                    out.extend(hex_pair(hi, lo));
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex_pair(hi: u8, lo: u8) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    Some(digit(hi)? * 16 + digit(lo)?)
}
