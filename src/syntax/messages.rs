//! Turns pest's parse errors into "expected ..." messages in words, never raw rule names.

use super::Rule;
use crate::error::Error;
use crate::syntax::Span;
use pest::error::{ErrorVariant, InputLocation};

/// What a grammar rule means to a reader, or `None` for rules that say nothing useful.
fn rule_words(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        expr | operand | number | dq_text | sq_text | kw_true | kw_false | kw_null | brace_lit | bracket_lit
        | paren | inline_if | invokeurl | invokeapi | insert_into | typed_ctor | call | qualified | variable
        | op_not | op_neg | op_pos | item | type_head | qual_head => "an expression",
        op_or | op_and | op_eq | op_ne | op_le | op_ge | op_lt | op_gt | op_in | op_not_in | op_add | op_sub
        | op_mul | op_div | op_mod | method_call | field | index => "an operator",
        if_stmt | for_stmt | try_stmt | while_stmt | c_for_stmt | return_stmt | break_stmt | continue_stmt
        | info_stmt | sendmail_stmt | delete_stmt | alert_stmt | cancel_stmt | incdec_stmt | field_ui_stmt
        | client_ui_stmt | clear_stmt | assign_stmt | expr_stmt | empty_stmt | func_def | target => "a statement",
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
    let mut pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // pest's rule positives describe the furthest *rule* position; its token attempts may
    // have got further (`if x` fails after `if`): report the furthest point.
    let attempts = err.parse_attempts();
    let mut use_positives = true;
    let orig = skip_trivia(text, pos);
    if let Some(a) = &attempts {
        let at = a.max_position.min(text.len());
        // Only at a token boundary: a keyword that matched part of a word (`in` of `info`)
        // is not progress.
        let boundary = !text.is_char_boundary(at)
            || at == 0
            || !(text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                && text[at..].starts_with(|c: char| c.is_alphanumeric() || c == '_'));
        if at > pos && text.is_char_boundary(at) && boundary && !starts_unterminated(text, orig) {
            pos = at;
            use_positives = false;
        }
    }
    // Move past trivia so the caret points at the offending token.
    let pos = skip_trivia(text, pos);
    let span = Span::new(pos, pos + 1);
    let found = text[pos..].chars().next();
    if let ErrorVariant::CustomError { message } = &err.variant {
        return Error::syntax(format!("the script cannot be parsed here ({message}); is it nested too deeply?"), span);
    }
    if starts_unterminated(text, pos) {
        let what = if text[pos..].starts_with("/*") { "comment" } else { "text" };
        return Error::syntax(format!("unterminated {what}: it is never closed"), span);
    }
    if text[orig..].starts_with("else") && !text[orig + 4..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return Error::syntax("'else' without an 'if' before it", Span::new(orig, orig + 4));
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
    if let Some(attempts) = &attempts {
        for token in attempts.expected_tokens() {
            if let Some(w) = token_words(&token) {
                push(w);
            }
        }
        for stack in &attempts.call_stacks {
            if let Some(w) = stack.deepest.get_rule().and_then(|r| rule_words(*r)) {
                push(w.to_string());
            }
        }
    }
    if let (true, ErrorVariant::ParsingError { positives, .. }) = (use_positives, &err.variant) {
        for rule in positives {
            if let Some(w) = rule_words(*rule) {
                push(w.to_string());
            }
        }
    }
    // Keep the list readable: the punctuation and the broad categories. Operator tokens
    // ('+', '==', 'in' ...) are all covered by "an operator".
    let has_operator = wanted.iter().any(|w| w == "an operator");
    let starts_something = wanted.iter().any(|w| w == "an expression");
    wanted.retain(|w| {
        let covered = (has_operator && is_operator_token(w)) || (starts_something && starts_expression(w));
        w.len() <= 40 && !covered && !matches!(w.as_str(), "'_'" | "'++'" | "'--'")
    });
    if wanted.iter().any(|w| w == "a statement") {
        wanted.retain(|w| w != "a name" && w != "a type name" && w != "an expression");
    }
    // Wherever an expression could go on, a statement could also end: say so, unless we are
    // inside brackets (then a closing bracket or ',' is what is missing).
    let in_brackets = wanted.iter().any(|w| matches!(w.as_str(), "')'" | "']'" | "'}'" | "','" | "':'"));
    if has_operator && !in_brackets && !wanted.iter().any(|w| w == "';'") {
        wanted.push("';'".to_string());
    }
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

/// Tokens that open an expression or statement: covered by "an expression"/"a statement".
fn starts_expression(w: &str) -> bool {
    matches!(w, "'!'" | "'('" | "'+'" | "'-'" | "'['" | "'{'" | "'if'" | "'.'")
}

fn is_operator_token(w: &str) -> bool {
    matches!(
        w,
        "'+'"
            | "'-'"
            | "'*'"
            | "'/'"
            | "'%'"
            | "'=='"
            | "'='"
            | "'!='"
            | "'<'"
            | "'<='"
            | "'>'"
            | "'>='"
            | "'&&'"
            | "'||'"
            | "'in'"
            | "'['"
            | "'.'"
            | "'!'"
    )
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
