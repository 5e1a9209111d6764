//! Every syntax error of a file, not only the first: after each error the failing statement
//! is blanked out (replaced by spaces, so every offset stays put) and the file parsed again.
//!
//! The parser stops at its first error. The statement around that error runs from the last
//! statement boundary before it (a `;`, or a block's `{` or `}`, at statement level) to the
//! first `;` after it that is not inside braces opened since, or to the end of the block it is
//! in; a statement with a block (`if (x > 1 {...}`, a function with a bad header) takes its
//! whole block along, so the block's `}` cannot cause a second, bogus error.

use crate::syntax::{self, Script, SourceFile, Span};

/// At most this many syntax errors are reported per file.
const MAX_ERRORS: usize = 50;

/// A syntax error: its span and the parser's message.
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// Parse `src`, reporting every syntax error. The script is returned only when there is none.
pub fn parse_all(src: &SourceFile) -> (Option<Script>, Vec<SyntaxError>) {
    let first = match syntax::parse(src) {
        Ok(script) => return (Some(script), Vec::new()),
        Err(e) => e,
    };
    let mut text = src.text().to_string();
    let mut errors: Vec<SyntaxError> = Vec::new();
    let mut next = Some(first);
    while let Some(e) = next.take() {
        let span = e.span().unwrap_or_default();
        let message = e.message().to_string();
        if errors.iter().any(|x| x.span == span && x.message == message) {
            break;
        }
        let stop = ends_recovery(&message) || errors.len() + 1 >= MAX_ERRORS;
        errors.push(SyntaxError { span, message });
        if stop {
            break;
        }
        let at = (span.start as usize).min(text.len());
        let (start, end) = if errors.last().is_some_and(|x| x.message.starts_with("unterminated text")) {
            (statement_start(&text, at), line_end(&text, at))
        } else {
            let (s, e) = statement_around(&text, at);
            (s.min(at), e.max(span.end as usize).min(text.len()))
        };
        let token = token_end(&text, at);
        if !blank(&mut text, start, end) && !blank(&mut text, at, token) {
            break;
        }
        if let Err(e) = syntax::parse(&SourceFile::new(src.name(), text.as_str())) {
            next = Some(e);
        }
    }
    errors.sort_by_key(|e| e.span.start);
    (None, errors)
}

/// Errors after which the rest of the file cannot be read sensibly.
fn ends_recovery(message: &str) -> bool {
    message.starts_with("unterminated comment")
        || message.starts_with("nesting too deep")
        || message.starts_with("expression too deeply nested")
        || message.starts_with("a file holds either statements or function definitions")
}

/// Replace `text[start..end]` by spaces (line ends kept); false when it held only whitespace.
fn blank(text: &mut String, start: usize, end: usize) -> bool {
    let (start, end) = (floor_char(text, start), floor_char(text, end.min(text.len())));
    if start >= end || text[start..end].chars().all(char::is_whitespace) {
        return false;
    }
    let replaced: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c.to_string() } else { " ".repeat(c.len_utf8()) })
        .collect();
    text.replace_range(start..end, &replaced);
    true
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// The end of the token at `at` (at least one character).
fn token_end(text: &str, at: usize) -> usize {
    let rest = &text[at.min(text.len())..];
    let word = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum::<usize>();
    at + word.max(rest.chars().next().map_or(0, char::len_utf8))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Semi,
    /// `{`: a block (after `)`, `else`, `try`, ...) or a map/list literal (after `=`, `(`, ...).
    Brace {
        block: bool,
    },
    /// `(` or `[`
    Open,
    /// `}`
    CloseBrace,
    /// `)` or `]`
    Close,
    Word,
    Punct(u8),
}

/// The tokens that matter for statement boundaries, with their byte ranges; strings and
/// comments are skipped (an unterminated one ends the list).
fn lex(text: &str) -> Vec<(Tok, usize, usize)> {
    let b = text.as_bytes();
    let mut out: Vec<(Tok, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let tok = match c {
            b'"' | b'\'' => {
                i += 1;
                while i < b.len() && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    break;
                }
                i += 1;
                out.push((Tok::Word, start, i));
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => match text[i + 2..].find("*/") {
                Some(n) => {
                    i += n + 4;
                    continue;
                }
                None => break,
            },
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                    i += 1;
                }
                out.push((Tok::Word, start, i));
                continue;
            }
            b';' => Tok::Semi,
            b'{' => Tok::Brace { block: opens_block(text, out.last().copied()) },
            b'(' | b'[' => Tok::Open,
            b'}' => Tok::CloseBrace,
            b')' | b']' => Tok::Close,
            other => Tok::Punct(other),
        };
        i += 1;
        out.push((tok, start, i));
    }
    out
}

/// Does a `{` after `prev` open a block? Literals follow an operator, `(`, `,`, `:` or
/// `return`/`info`/`in`; blocks follow `)`, `else`, `try`, a `for each` list, or a statement end.
fn opens_block(text: &str, prev: Option<(Tok, usize, usize)>) -> bool {
    match prev {
        None => true,
        Some((Tok::Punct(_) | Tok::Open, ..)) => false,
        Some((Tok::Brace { block }, ..)) => block,
        Some((Tok::Word, s, e)) => !["return", "info", "in"].iter().any(|w| text[s..e].eq_ignore_ascii_case(w)),
        Some(_) => true,
    }
}

/// Where the statement holding offset `at` starts: just after the last statement boundary
/// before it.
fn statement_start(text: &str, at: usize) -> usize {
    let toks = lex(text);
    boundary_before(&toks, at)
}

fn boundary_before(toks: &[(Tok, usize, usize)], at: usize) -> usize {
    // The stack of open brackets: true for a block's brace.
    let mut stack: Vec<bool> = Vec::new();
    let mut start = 0;
    for &(tok, _, e) in toks.iter().take_while(|t| t.1 < at) {
        let statement_level = stack.last().is_none_or(|&block| block);
        match tok {
            Tok::Semi if statement_level => start = e,
            Tok::Brace { block } => {
                if block && statement_level {
                    start = e;
                }
                stack.push(block && statement_level);
            }
            Tok::Open => stack.push(false),
            Tok::CloseBrace | Tok::Close => {
                // A block's `}`, or a stray `}` at the top level.
                let popped = stack.pop();
                if popped == Some(true) || (popped.is_none() && tok == Tok::CloseBrace) {
                    start = e;
                }
            }
            _ => {}
        }
    }
    start
}

/// The byte range of the statement around offset `at` (see the module comment).
fn statement_around(text: &str, at: usize) -> (usize, usize) {
    let toks = lex(text);
    let start = boundary_before(&toks, at);
    // Braces opened since the start, and whether the outermost one is a block.
    let mut braces = 0usize;
    let mut outer_block = false;
    let mut i = toks.partition_point(|t| t.1 < start);
    while i < toks.len() {
        let (tok, s, e) = toks[i];
        match tok {
            Tok::Semi if braces == 0 => return (start, e),
            Tok::Brace { block } => {
                if braces == 0 {
                    outer_block = block;
                }
                braces += 1;
            }
            Tok::CloseBrace if braces == 0 => return (start, s.max(at)),
            Tok::CloseBrace => {
                braces -= 1;
                let chained = toks.get(i + 1).is_some_and(|&(t, ns, ne)| {
                    t == Tok::Word && ["else", "catch"].iter().any(|w| text[ns..ne].eq_ignore_ascii_case(w))
                });
                if braces == 0 && outer_block && !chained && s >= at {
                    return (start, e);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (start, text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        let src = SourceFile::new("t.dg", text);
        let (script, errs) = parse_all(&src);
        assert_eq!(script.is_some(), errs.is_empty());
        errs.iter()
            .map(|e| {
                let (l, c) = src.line_col(e.span.start as usize);
                format!("{l}:{c}: {}", e.message)
            })
            .collect()
    }

    #[test]
    fn a_clean_file_has_no_errors() {
        assert!(errors("x = 1;\nif (x > 0) { info x; }\n").is_empty());
    }

    #[test]
    fn every_statement_level_error_is_reported_once() {
        let e = errors("a = 1 +;\nb = 2;\nc = (3;\nd = 4\ne = 5;\ninfo a;\n");
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("1:8: expected an expression"), "{e:?}");
        assert!(e[1].starts_with("3:7: expected ')'"), "{e:?}");
        assert!(e[2].starts_with("5:1: expected ';'"), "{e:?}");
    }

    #[test]
    fn a_broken_block_header_takes_its_block_along() {
        let e = errors("if (x > 1 {\n  info x;\n}\ny = 1 +;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[1].starts_with("4:8:"), "{e:?}");
    }

    #[test]
    fn errors_inside_blocks_keep_the_block() {
        let e = errors("void f(int a)\n{\n  x = a +;\n  y = [1, 2;\n  return;\n}\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("3:10:"), "{e:?}");
        assert!(e[1].starts_with("4:12:"), "{e:?}");
    }

    #[test]
    fn a_map_literal_over_several_lines_is_one_statement() {
        let e = errors("m = {\n  \"a\": 1\n  \"b\": 2\n};\ninfo m;\nz = ;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("3:3:"), "{e:?}");
        assert!(e[1].starts_with("6:5:"), "{e:?}");
    }

    #[test]
    fn a_stray_closing_brace_is_skipped() {
        let e = errors("x = 1;\n}\ny = 2 +;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("2:1:"), "{e:?}");
        assert!(e[1].starts_with("3:8:"), "{e:?}");
    }

    #[test]
    fn an_unterminated_string_ends_at_its_line() {
        let e = errors("x = \"abc;\ny = 2 +;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("unterminated text"), "{e:?}");
    }

    #[test]
    fn builder_errors_are_recovered_from_too() {
        let e = errors("while (x) { info 1; }\nx++;\ny = 99999999999999999999;\nz = 1 +;\n");
        assert_eq!(e.len(), 4, "{e:?}");
    }

    #[test]
    fn a_missing_brace_at_the_end_is_one_error() {
        let e = errors("if (a) {\n  info 1;\n");
        assert_eq!(e.len(), 1, "{e:?}");
    }
}
