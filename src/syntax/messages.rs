//! Turns pest's parse errors into "expected ..." messages in words, never raw rule names.

use super::Rule;
use crate::error::Error;
use crate::syntax::Span;
use pest::error::{ErrorVariant, InputLocation};

/// What a grammar rule means to a reader, or `None` for rules that say nothing useful.
fn rule_words(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        expr | operand | number | dq_text | sq_text | kw_true | kw_false | kw_null | brace_lit
        | bracket_lit | paren | inline_if | invokeurl | insert_into | typed_ctor | call
        | qualified | variable | op_not | op_neg | op_pos | item | type_head | qual_head => {
            "an expression"
        }
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_in | op_add
        | op_sub | op_mul | op_div | op_mod | method_call | field | index => "an operator",
        if_stmt | for_stmt | try_stmt | while_stmt | c_for_stmt | return_stmt | break_stmt
        | continue_stmt | info_stmt | sendmail_stmt | delete_stmt | alert_stmt | cancel_stmt
        | incdec_stmt | assign_stmt | expr_stmt | empty_stmt | func_def | target => "a statement",
        block => "'{'",
        assign_op => "'='",
        block_pair | block_key => "a key such as 'url:'",
        insert_field => "a field assignment such as 'Name = value'",
        param | params => "a parameter such as 'map contact'",
        func_name => "a function name",
        type_name => "a type name",
        name | ident => "a name",
        kw_in => "'in'",
        kw_each => "'each'",
        kw_catch => "'catch'",
        kw_into => "'into'",
        kw_from => "'from'",
        kw_if => "'if'",
        EOI => "end of input",
        _ => return None,
    })
}

/// Punctuation tokens pest expected (`;`, `)` ...); words and ranges are covered by rules.
fn token_words(token: &impl std::fmt::Display) -> Option<String> {
    let t = token.to_string();
    let punct = !t.is_empty() && t.len() <= 2 && t.chars().all(|c| c.is_ascii_punctuation());
    if !punct || t == "//" || t == "/*" || t == "\\" || t == "\"" || t == "'" || t == "." {
        return None;
    }
    Some(format!("'{t}'"))
}

/// True when the text at `pos` opens a string or comment that never closes.
pub fn starts_unterminated(text: &str, pos: usize) -> bool {
    let rest = &text[pos.min(text.len())..];
    let rest = rest.trim_start();
    if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut escaped = false;
        for c in rest[1..].chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                return false;
            }
        }
        return true;
    }
    rest.starts_with("/*") && !rest[2..].contains("*/")
}

/// Build dg's syntax error from a pest error (parsed with error detail on).
pub fn syntax_error(text: &str, err: pest::error::Error<Rule>) -> Error {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // Move past trivia so the caret points at the offending token.
    let pos = skip_trivia(text, pos);
    let span = Span::new(pos, pos + 1);
    let found = text[pos..].chars().next();
    if let ErrorVariant::CustomError { message } = &err.variant {
        return Error::syntax(
            format!("the script cannot be parsed here ({message}); is it nested too deeply?"),
            span,
        );
    }
    if starts_unterminated(text, pos) {
        let what = if text[pos..].starts_with("/*") { "comment" } else { "text" };
        return Error::syntax(format!("unterminated {what}: it is never closed"), span);
    }
    match found {
        Some('?') => return Error::syntax("Unexpected token found '?'", span),
        Some('+') if text[pos..].starts_with("++") => {
            return Error::syntax("'++' is not Deluge: write 'x = x + 1;'", span)
        }
        Some('-') if text[pos..].starts_with("--") => {
            return Error::syntax("'--' is not Deluge: write 'x = x - 1;'", span)
        }
        _ => {}
    }

    let mut wanted: Vec<String> = Vec::new();
    let mut push = |w: String| {
        if !wanted.contains(&w) {
            wanted.push(w);
        }
    };
    if let Some(attempts) = err.parse_attempts() {
        for token in attempts.expected_tokens() {
            if let Some(w) = token_words(&token) {
                push(w);
            }
        }
    }
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            if let Some(w) = rule_words(*rule) {
                push(w.to_string());
            }
        }
    }
    // Keep the list readable: the punctuation and the broad categories.
    wanted.retain(|w| w.len() <= 40);
    order(&mut wanted);
    let expected = match wanted.len() {
        0 => "something else".to_string(),
        1 => wanted[0].clone(),
        n => format!("{} or {}", wanted[..n - 1].join(", "), wanted[n - 1]),
    };
    let found = match found {
        None => "the end of the file".to_string(),
        Some(c) => format!("'{}'", token_at(text, pos, c)),
    };
    Error::syntax(format!("expected {expected}, found {found}"), span)
}

/// Punctuation first, then the categories, in a fixed order for stable messages.
fn order(words: &mut [String]) {
    let rank = |w: &str| match w {
        "';'" => 0,
        "')'" => 1,
        "']'" => 2,
        "'}'" => 3,
        "','" => 4,
        "':'" => 5,
        _ if w.starts_with('\'') => 6,
        "an operator" => 8,
        "an expression" => 9,
        "a statement" => 10,
        "end of input" => 12,
        _ => 11,
    };
    words.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
}

fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while pos < bytes.len() && (bytes[pos] as char).is_ascii_whitespace() {
            pos += 1;
        }
        if text[pos..].starts_with("//") {
            while pos < bytes.len() && bytes[pos] != b'\n' {
                pos += 1;
            }
        } else if text[pos..].starts_with("/*") && text[pos + 2..].contains("*/") {
            pos += 2 + text[pos + 2..].find("*/").unwrap_or(0) + 2;
        } else {
            return pos;
        }
    }
}

/// The word or single character at `pos`, for "found ..." in messages.
fn token_at(text: &str, pos: usize, first: char) -> String {
    if first.is_alphanumeric() || first == '_' {
        text[pos..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').take(30).collect()
    } else {
        first.to_string()
    }
}
