//! Parsing: source text in, `ast::Script` out; pest's `Rule`/`Pair` never leave this folder.

pub mod ast;
mod build;
mod messages;
mod precedence;
pub mod print;

pub use ast::{Script, Span};
pub use build::Scope;

use crate::error::{Error, Result};
use pest::Parser;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/deluge.pest"]
struct DelugeParser;

/// Deepest bracket nesting accepted; deeper input is refused before the recursive parser runs.
pub const MAX_NESTING: usize = 200;

/// A loaded script: its display name, its text (byte-order mark removed) and line starts.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let mut text = text.into();
        if text.starts_with('\u{FEFF}') {
            text.drain(..'\u{FEFF}'.len_utf8());
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile { name: name.into(), text, line_starts }
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, col)
    }
    /// The text of a 1-based line, without its line end.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line - 1).copied().unwrap_or(self.text.len());
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e - 1);
        self.text.get(start..end.max(start)).unwrap_or("").trim_end_matches('\r')
    }
    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_col(offset).0
    }
}

/// Parse a whole file.
pub fn parse(src: &SourceFile) -> Result<Script> {
    check_nesting(src.text())?;
    let pairs = run_parser(Rule::file, src.text())?;
    build::build_file(pairs)
}

/// Parse one REPL entry, resolving variables against (and adding to) a persistent scope.
pub fn parse_with_scope(src: &SourceFile, scope: &mut Scope) -> Result<Script> {
    check_nesting(src.text())?;
    let pairs = run_parser(Rule::repl_input, src.text())?;
    build::build_repl(pairs, scope)
}

/// True when the parse failed only because the input ended early (an open brace, bracket,
/// string or block, or a function definition still waiting for its body): the REPL asks for
/// another line then.
pub fn is_incomplete(text: &str) -> bool {
    match ended_early(Rule::repl_input, text) {
        Some(early) => early || ended_early(Rule::file, text).unwrap_or(false),
        None => false,
    }
}

/// `None` when `text` parses as `rule`, else whether the parse failed only at its end.
fn ended_early(rule: Rule, text: &str) -> Option<bool> {
    let e = DelugeParser::parse(rule, text).err()?;
    let at_end = |pos: usize| text[pos.min(text.len())..].trim().is_empty() || messages::starts_unterminated(text, pos);
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    if at_end(pos) {
        return Some(true);
    }
    // Without error detail pest reports where the last rule began (`invokeurl` of
    // `r = invokeurl`); its token attempts tell how far the input really got.
    pest::set_error_detail(true);
    let detailed = DelugeParser::parse(rule, text);
    pest::set_error_detail(false);
    let furthest = detailed.err().and_then(|e| e.parse_attempts()).map(|a| a.max_position);
    Some(furthest.is_some_and(at_end))
}

fn run_parser(rule: Rule, text: &str) -> Result<pest::iterators::Pairs<'_, Rule>> {
    match DelugeParser::parse(rule, text) {
        Ok(pairs) => Ok(pairs),
        Err(_) => {
            // Parse again with error detail on: slower, but only on the error path.
            pest::set_error_detail(true);
            let detailed = DelugeParser::parse(rule, text);
            pest::set_error_detail(false);
            Err(match detailed {
                Ok(_) => Error::syntax("the parser failed", Span::default()),
                Err(e) => messages::syntax_error(text, e),
            })
        }
    }
}

/// Refuse bracket nesting deeper than `MAX_NESTING` (strings and comments skipped), so that
/// no input can exhaust the stack of the recursive parser.
fn check_nesting(text: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Error::syntax(
                        format!("nesting too deep: more than {MAX_NESTING} levels of brackets"),
                        Span::new(i, i + 1),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}
