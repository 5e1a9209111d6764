//! Regex text built-ins (`replaceAll`, `replaceFirst`, their `IgnoreCase` forms, `matches`)
//! with Java's regex dialect mapped onto the `regex` crate, and Java's `$1` replacements.
//!
//! Patterns are compiled once and cached per thread. A pattern without metacharacters and a
//! replacement without `$` or `\` take a plain `str::replace` path. Java forms the `regex`
//! crate lacks are translated: escapes of non-alphanumeric characters (`\@`, `\-`, `\<`),
//! `\Q...\E` quoting and the POSIX classes `\p{Alpha}`, `\p{Punct}`... (ASCII, as in Java).
//! Look-around and back-references are not supported: such a pattern is an invalid-regex error.
//!
//! Decisions: with the optional third argument `true` both the pattern and the replacement are
//! taken literally (Zoho: "true denotes escaping the regular expression").

use super::{recv, str_arg};
use crate::builtins::bool_arg;
use crate::deadline::Steps;
use crate::error::{Error, Result};
use crate::value::Value;
use regex::{Captures, Regex, RegexBuilder};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// Cached regexes beyond this count are dropped (all at once: scripts use few patterns).
const CACHE_LIMIT: usize = 256;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Search = 0,
    IgnoreCase = 1,
    Whole = 2,
}

thread_local! {
    /// Pattern text -> its regex per `Mode` (looked up by `&str`: no allocation on a hit).
    static CACHE: RefCell<HashMap<String, [Option<Regex>; 3]>> = RefCell::new(HashMap::new());
}

/// The compiled regex for a Java pattern, from the cache when it was seen before.
fn compile(pattern: &str, mode: Mode, func: &str) -> Result<Regex> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(pattern).and_then(|slots| slots[mode as usize].clone())) {
        return Ok(re);
    }
    let java = translate(pattern);
    let source = match mode {
        Mode::Whole => Cow::Owned(format!(r"\A(?:{java})\z")),
        _ => java,
    };
    let re = RegexBuilder::new(&source).case_insensitive(mode == Mode::IgnoreCase).build().map_err(|e| {
        let text = e.to_string();
        let why = text.lines().rev().find_map(|l| l.trim().strip_prefix("error: ")).unwrap_or(text.trim());
        Error::runtime(format!("Invalid regular expression '{pattern}' in {func}: {why}"))
    })?;
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.entry(pattern.to_string()).or_default()[mode as usize] = Some(re.clone());
    });
    Ok(re)
}

/// Java regex syntax to `regex` crate syntax (see the module docs).
fn translate(p: &str) -> Cow<'_, str> {
    if !p.contains('\\') {
        return Cow::Borrowed(p);
    }
    let mut out = String::with_capacity(p.len() + 8);
    let mut class_depth = 0usize;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            '\\' => match chars.next() {
                None => out.push('\\'),
                Some('Q') => {
                    let mut lit = String::new();
                    while let Some(q) = chars.next() {
                        if q == '\\' && chars.peek() == Some(&'E') {
                            chars.next();
                            break;
                        }
                        lit.push(q);
                    }
                    out.push_str(&regex::escape(&lit));
                }
                Some(k @ ('p' | 'P')) if chars.peek() == Some(&'{') => {
                    let mut name = String::new();
                    let mut closed = false;
                    chars.next();
                    for n in chars.by_ref() {
                        if n == '}' {
                            closed = true;
                            break;
                        }
                        name.push(n);
                    }
                    match posix_class(&name).filter(|_| closed) {
                        Some(posix) => {
                            let neg = if k == 'P' { "^" } else { "" };
                            if class_depth > 0 {
                                out.push_str(&format!("[:{neg}{posix}:]"));
                            } else {
                                out.push_str(&format!("[[:{neg}{posix}:]]"));
                            }
                        }
                        None if closed => out.push_str(&format!("\\{k}{{{name}}}")),
                        None => out.push_str(&format!("\\{k}{{{name}")),
                    }
                }
                Some(e) if e.is_ascii_alphanumeric() => {
                    out.push('\\');
                    out.push(e);
                }
                // `\<` and `\>` are word boundaries in the regex crate, literals in Java.
                Some(e @ ('<' | '>')) => out.push(e),
                Some(e) if e.is_ascii() => {
                    out.push('\\');
                    out.push(e);
                }
                // Java allows escaping any non-alphabetic character; none is special here.
                Some(e) => out.push(e),
            },
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Java's ASCII POSIX classes (`\p{Alpha}`) as `regex` crate POSIX class names.
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "lower",
        "Upper" => "upper",
        "ASCII" => "ascii",
        "Alpha" => "alpha",
        "Digit" => "digit",
        "Alnum" => "alnum",
        "Punct" => "punct",
        "Graph" => "graph",
        "Print" => "print",
        "Blank" => "blank",
        "Cntrl" => "cntrl",
        "XDigit" => "xdigit",
        "Space" => "space",
        _ => return None,
    })
}

/// No character with a meaning in a Java regex.
fn is_plain(pattern: &str) -> bool {
    !pattern.bytes().any(|b| {
        matches!(b, b'\\' | b'^' | b'$' | b'.' | b'|' | b'?' | b'*' | b'+' | b'(' | b')' | b'[' | b']' | b'{' | b'}')
    })
}

/// One piece of a Java replacement text.
enum Part<'r> {
    Lit(Cow<'r, str>),
    Group(usize),
    Named(String),
}

/// Java's `Matcher.appendReplacement` rules: `$n` (as many digits as name an existing group),
/// `${name}`, `\x` for a literal `x`.
fn parse_replacement<'r>(rep: &'r str, re: &Regex, func: &str) -> Result<Vec<Part<'r>>> {
    let bad = |why: String| Error::runtime(format!("Invalid replacement text '{rep}' in {func}: {why}"));
    if !rep.contains(['$', '\\']) {
        return Ok(vec![Part::Lit(Cow::Borrowed(rep))]);
    }
    let groups = re.captures_len() - 1;
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = rep.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e) => lit.push(e),
                None => return Err(bad("character to be escaped is missing".into())),
            },
            '$' => {
                let part = match chars.next() {
                    Some('{') => {
                        let mut name = String::new();
                        loop {
                            match chars.next() {
                                Some('}') => break,
                                Some(n) if n.is_ascii_alphanumeric() => name.push(n),
                                _ => return Err(bad("named capturing group is missing trailing '}'".into())),
                            }
                        }
                        if !re.capture_names().any(|n| n == Some(name.as_str())) {
                            return Err(bad(format!("No group with name {{{name}}}")));
                        }
                        Part::Named(name)
                    }
                    Some(d) if d.is_ascii_digit() => {
                        let mut n = d as usize - '0' as usize;
                        if n > groups {
                            return Err(bad(format!("No group {n}")));
                        }
                        while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                            let next = n.saturating_mul(10).saturating_add(d as usize);
                            if next > groups {
                                break;
                            }
                            n = next;
                            chars.next();
                        }
                        Part::Group(n)
                    }
                    _ => return Err(bad("Illegal group reference".into())),
                };
                if !lit.is_empty() {
                    parts.push(Part::Lit(Cow::Owned(std::mem::take(&mut lit))));
                }
                parts.push(part);
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit(Cow::Owned(lit)));
    }
    Ok(parts)
}

/// Append one match's replacement (an unmatched group appends nothing, as in Java).
fn expand(parts: &[Part], caps: &Captures, out: &mut String) {
    for p in parts {
        match p {
            Part::Lit(s) => out.push_str(s),
            Part::Group(n) => out.push_str(caps.get(*n).map_or("", |m| m.as_str())),
            Part::Named(n) => out.push_str(caps.name(n).map_or("", |m| m.as_str())),
        }
    }
}

/// The shared body of the four replace built-ins.
fn replace(a: &[Value], func: &str, ignore_case: bool, all: bool) -> Result<Value> {
    let t = recv(a, func)?;
    let pattern = str_arg(a, 1, func)?;
    let rep = str_arg(a, 2, func)?;
    let literal = match a.get(3) {
        Some(_) => bool_arg(a, 3, func)?,
        None => false,
    };
    let plain_rep = !rep.bytes().any(|b| b == b'$' || b == b'\\');
    if !ignore_case && !pattern.is_empty() && (literal || (is_plain(&pattern) && plain_rep)) {
        return Ok(super::replace_plain(t, &pattern, &rep, all).unwrap_or_else(|| a[0].clone()));
    }
    let mode = if ignore_case { Mode::IgnoreCase } else { Mode::Search };
    let (re, parts) = if literal {
        let re = compile(&regex::escape(&pattern), mode, func)?;
        (re, vec![Part::Lit(Cow::Borrowed(&*rep))])
    } else {
        let re = compile(&pattern, mode, func)?;
        let parts = parse_replacement(&rep, &re, func)?;
        (re, parts)
    };
    // Java's Matcher.find loop: after an empty match the search moves on one character, and an
    // empty match right after a non-empty one counts (`"aaa".replaceAll("a*", "X")` is `XX`).
    let mut out = String::with_capacity(t.len());
    let (mut last, mut pos, mut matched) = (0, 0, false);
    let mut steps = Steps::default();
    while pos <= t.len() {
        steps.step()?;
        let Some(caps) = re.captures_at(t, pos) else { break };
        let m = caps.get(0).expect("group 0 always matches");
        out.push_str(&t[last..m.start()]);
        expand(&parts, &caps, &mut out);
        last = m.end();
        matched = true;
        pos = if m.is_empty() { m.end() + t[m.end()..].chars().next().map_or(1, char::len_utf8) } else { m.end() };
        if !all {
            break;
        }
    }
    if !matched {
        return Ok(a[0].clone());
    }
    out.push_str(&t[last..]);
    Ok(Value::from_string(out))
}

/// `"item-1".replaceAll("item", "obj")` is `obj-1`; `"a1b22".replaceAll("([0-9]+)", "<$1>")` is
/// `a<1>b<22>`; the pattern is a Java regex.
pub(super) fn replace_all(a: &[Value]) -> Result<Value> {
    replace(a, "replaceAll", false, true)
}

/// `"a-b-c".replaceFirst("-", "+")` is `a+b-c`.
pub(super) fn replace_first(a: &[Value]) -> Result<Value> {
    replace(a, "replaceFirst", false, false)
}

/// `"Zoho zoho ZOHO".replaceAllIgnoreCase("zoho", "Z")` is `Z Z Z`.
pub(super) fn replace_all_ignore_case(a: &[Value]) -> Result<Value> {
    replace(a, "replaceAllIgnoreCase", true, true)
}

/// `"Zoho zoho".replaceFirstIgnoreCase("ZOHO", "Z")` is `Z zoho`.
pub(super) fn replace_first_ignore_case(a: &[Value]) -> Result<Value> {
    replace(a, "replaceFirstIgnoreCase", true, false)
}

/// `"abc123".matches("[a-z]+[0-9]+")` is true: the whole text must match.
pub(super) fn matches(a: &[Value]) -> Result<Value> {
    let t = recv(a, "matches")?;
    let pattern = str_arg(a, 1, "matches")?;
    Ok(Value::Bool(compile(&pattern, Mode::Whole, "matches")?.is_match(t)))
}
