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
    match syntax::parse(src) {
        Ok(script) => (Some(script), Vec::new()),
        Err(first) => (None, blank_errors(src, first).1),
    }
}

/// Every syntax error of `src`, and the rest of the file: the text with the failing
/// statements blanked out (offsets kept) and its script, when that text parses. The language
/// server checks that rest, so a file with an error still gets its other findings.
pub fn parse_rest(src: &SourceFile) -> (Option<(SourceFile, Script)>, Vec<SyntaxError>) {
    match syntax::parse(src) {
        Ok(script) => (Some((src.clone(), script)), Vec::new()),
        Err(first) => {
            let (text, errors, script) = blank_errors(src, first);
            (script.map(|s| (SourceFile::new(src.name(), text), s)), errors)
        }
    }
}

/// Blank statements until the text parses or recovery stops: the text, the errors, and the
/// script when the text now parses.
fn blank_errors(src: &SourceFile, first: crate::error::Error) -> (String, Vec<SyntaxError>, Option<Script>) {
    let mut parsed = None;
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
            // A block whose `{` is missing (`if (x)` then statements): its `}` is still there.
            let missing_block = errors.last().is_some_and(|x| x.message.starts_with("expected '{'"));
            let (s, e) = statement_around(&text, at, missing_block);
            (s.min(at), e.max(span.end as usize).min(text.len()))
        };
        let token = token_end(&text, at);
        if !blank(&mut text, start, end) && !blank(&mut text, at, token) {
            break;
        }
        match syntax::parse(&SourceFile::new(src.name(), text.as_str())) {
            Err(e) => next = Some(e),
            Ok(script) => parsed = Some(script),
        }
    }
    errors.sort_by_key(|e| e.span.start);
    (text, errors, parsed)
}

/// Errors after which the rest of the file cannot be read sensibly (or there is no rest).
fn ends_recovery(message: &str) -> bool {
    message.ends_with("found the end of the file")
        || message.starts_with("unterminated comment")
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
    /// `}`, and whether it closes a block
    CloseBrace {
        block: bool,
    },
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
    // The kinds of the open braces.
    let mut braces: Vec<bool> = Vec::new();
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
            b'{' => {
                let block = opens_block(text, out.last().copied());
                braces.push(block);
                Tok::Brace { block }
            }
            b'(' | b'[' => Tok::Open,
            b'}' => Tok::CloseBrace { block: braces.pop().unwrap_or(false) },
            b')' | b']' => Tok::Close,
            other => Tok::Punct(other),
        };
        i += 1;
        out.push((tok, start, i));
    }
    out
}

/// Does a `{` after `prev` open a block? Blocks follow `)`, `else`, `try` or a `for each`
/// list; literals follow an operator, `(`, `,`, `:`, `return`/`info`/`in`, or start a
/// statement (Deluge has no bare blocks, so the parser reads `{` there as a literal too).
fn opens_block(text: &str, prev: Option<(Tok, usize, usize)>) -> bool {
    match prev {
        None => false,
        Some((Tok::Punct(_) | Tok::Open | Tok::Semi | Tok::Brace { .. }, ..)) => false,
        // `}` of a block ends a statement; `}` of a literal may end a `for each` list.
        Some((Tok::CloseBrace { block }, ..)) => !block,
        Some((Tok::Word, s, e)) => !["return", "info", "in"].iter().any(|w| text[s..e].eq_ignore_ascii_case(w)),
        Some((Tok::Close, ..)) => true,
    }
}

/// Is the token at `i` the word `else` or `catch` (a block statement goes on after its `}`)?
fn continues(text: &str, toks: &[(Tok, usize, usize)], i: usize) -> bool {
    toks.get(i).is_some_and(|&(t, s, e)| {
        t == Tok::Word && ["else", "catch"].iter().any(|w| text[s..e].eq_ignore_ascii_case(w))
    })
}

/// Where the statement holding offset `at` starts: just after the last statement boundary
/// before it.
fn statement_start(text: &str, at: usize) -> usize {
    let toks = lex(text);
    boundary_before(text, &toks, at)
}

/// Is the token before `i` the word `try` (its block always goes on with `catch`)?
fn after_try(text: &str, toks: &[(Tok, usize, usize)], i: usize) -> bool {
    i > 0 && matches!(toks[i - 1], (Tok::Word, s, e) if text[s..e].eq_ignore_ascii_case("try"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A bracket or literal brace: no statements inside.
    Inner,
    Block,
    /// The block of `try`: the statement goes on after it.
    TryBlock,
}

fn boundary_before(text: &str, toks: &[(Tok, usize, usize)], at: usize) -> usize {
    // Open brackets, each with the statement start outside it.
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut start = 0;
    for (i, &(tok, _, e)) in toks.iter().enumerate().take_while(|(_, t)| t.1 < at) {
        let statement_level = stack.last().is_none_or(|&(o, _)| o != Open::Inner);
        match tok {
            Tok::Semi if statement_level => start = e,
            Tok::Brace { block: true } if statement_level => {
                stack.push((if after_try(text, toks, i) { Open::TryBlock } else { Open::Block }, start));
                start = e;
            }
            Tok::Brace { .. } | Tok::Open => stack.push((Open::Inner, start)),
            Tok::CloseBrace { .. } | Tok::Close => {
                // A block's `}` ends its statement unless `else` or `catch` goes on; a stray `}`
                // at the top ends whatever was before it.
                let closes = match stack.pop() {
                    Some((open, outer)) => {
                        start = outer;
                        open == Open::Block && !continues(text, toks, i + 1)
                    }
                    None => matches!(tok, Tok::CloseBrace { .. }),
                };
                if closes {
                    start = e;
                }
            }
            _ => {}
        }
    }
    start
}

/// The byte range of the statement around offset `at` (see the module comment).
fn statement_around(text: &str, at: usize, missing_block: bool) -> (usize, usize) {
    let toks = lex(text);
    let start = boundary_before(text, &toks, at);
    // Braces opened since the start, and whether the outermost one is a block (not `try`'s).
    let mut braces = usize::from(missing_block);
    let mut outer_block = missing_block;
    let mut i = toks.partition_point(|t| t.1 < start);
    while i < toks.len() {
        let (tok, s, e) = toks[i];
        match tok {
            Tok::Semi if braces == 0 => return (start, e),
            Tok::Brace { block } => {
                if braces == 0 {
                    outer_block = block && !after_try(text, &toks, i);
                }
                braces += 1;
            }
            // The end of the enclosing block, unless the statement goes on after it on the
            // same line (a stray `}` inside the statement: `r.}get(1);`).
            Tok::CloseBrace { .. } if braces == 0 => {
                let goes_on = toks.get(i + 1).is_some_and(|&(t, ns, _)| {
                    !text[e..ns].contains('\n')
                        && !matches!(t, Tok::CloseBrace { .. } | Tok::Semi)
                        && !continues(text, &toks, i + 1)
                });
                if !goes_on {
                    return (start, s.max(at));
                }
            }
            Tok::CloseBrace { .. } => {
                braces -= 1;
                if braces == 0 && outer_block && !continues(text, &toks, i + 1) && s >= at {
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
    fn a_brace_inside_a_statement_is_part_of_it() {
        let e = errors("m.put(\"a\", r.}get(1));\nx = 1 +;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[1].starts_with("2:8:"), "{e:?}");
    }

    #[test]
    fn a_file_cut_short_is_one_error() {
        let e = errors("if (a)\n{\n  x = foo(1,");
        assert_eq!(e.len(), 1, "{e:?}");
    }

    #[test]
    fn a_block_without_its_brace_takes_its_end_along() {
        let e = errors("void f(int a)\n{\n  if (a > 1)\n    info a;\n  }\n  info 2;\n  x = 1 +;\n}\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("4:5: expected '{'"), "{e:?}");
        assert!(e[1].starts_with("7:10:"), "{e:?}");
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
    fn a_try_without_its_catch_is_one_error() {
        let e = errors("try { info 1; } catc (e) { info e; }\ntry { info 2; } catch (e) { info e; }\nx = 1 +;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[1].starts_with("3:8:"), "{e:?}");
    }

    #[test]
    fn a_block_without_its_header_is_one_error() {
        let e = errors("if (a)\n{\n  x = 1;\n}\n{\n  x = 2;\n}\nelse\n{\n  x = 3;\n}\ny = 1 +;\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[1].starts_with("12:8:"), "{e:?}");
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
