//! The line editor's helper: completion from `complete`, and syntax colours for the line
//! being typed (keywords, strings, numbers, comments).

use super::complete::{self, Known};
use rustyline::completion::Completer;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;

pub struct ReplHelper {
    pub known: Known,
    pub colour: bool,
}

impl Completer for ReplHelper {
    type Candidate = String;
    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(complete::complete(line, pos, &self.known))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Validator for ReplHelper {}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if self.colour {
            Cow::Owned(highlight(line))
        } else {
            Cow::Borrowed(line)
        }
    }
    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.colour
    }
}

impl Helper for ReplHelper {}

const KEYWORDS: &[&str] = &[
    "info",
    "if",
    "else",
    "for",
    "each",
    "in",
    "index",
    "return",
    "try",
    "catch",
    "break",
    "continue",
    "invokeurl",
    "sendmail",
    "true",
    "false",
    "null",
    "void",
];

const KEYWORD: &str = "\x1b[35m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[90m";
const RESET: &str = "\x1b[0m";

/// The line with ANSI colours around keywords, strings, numbers and comments.
pub fn highlight(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 32);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let (len, colour) = if rest.starts_with("//") {
            (rest.len(), Some(COMMENT))
        } else if let Some(body) = rest.strip_prefix("/*") {
            (body.find("*/").map_or(rest.len(), |i| i + 4), Some(COMMENT))
        } else if c == '"' || c == '\'' {
            (string_len(rest, c), Some(STRING))
        } else if c.is_ascii_digit() {
            (rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len()), Some(NUMBER))
        } else if c.is_alphabetic() || c == '_' {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            let word = &rest[..len];
            let after_dot = out.ends_with('.');
            (len, (!after_dot && KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))).then_some(KEYWORD))
        } else {
            (c.len_utf8(), None)
        };
        match colour {
            Some(colour) => {
                out.push_str(colour);
                out.push_str(&rest[..len]);
                out.push_str(RESET);
            }
            None => out.push_str(&rest[..len]),
        }
        rest = &rest[len..];
    }
    out
}

/// The length of a string literal from its opening quote (to the end when unclosed).
fn string_len(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return i + c.len_utf8();
        }
    }
    text.len()
}
