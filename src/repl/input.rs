//! Turns the lines a REPL reads into complete entries and `:` commands, numbering lines.

use crate::syntax::ast::StmtKind;
use crate::syntax::{self, Scope, SourceFile};

/// What one line of input completed.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// A complete entry: statements or function definitions.
    Entry(Entry),
    /// A `:` command line (trimmed), with its line number.
    Command(String, usize),
}

/// The text of one entry and the session line it starts on (1-based).
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    pub text: String,
    pub first_line: usize,
}

/// Collects lines until they form a complete entry. An entry is complete when the parser
/// no longer says it ended early; one whose last statement is an `if` without `else` waits
/// for the next line too, which runs it unless that line starts with `else`.
#[derive(Default)]
pub struct Input {
    buf: String,
    first_line: usize,
    lines_read: usize,
    awaiting_else: bool,
}

impl Input {
    pub fn new() -> Input {
        Input::default()
    }

    /// True while an entry is open: the REPL shows its continuation prompt.
    pub fn pending(&self) -> bool {
        !self.buf.is_empty()
    }

    /// Drop the open entry (Ctrl-C at the prompt).
    pub fn cancel(&mut self) {
        self.buf.clear();
        self.awaiting_else = false;
    }

    /// Read one line (without its line end).
    pub fn line(&mut self, line: &str) -> Vec<Step> {
        self.lines_read += 1;
        let number = self.lines_read;
        let mut steps = Vec::new();
        if self.awaiting_else {
            self.awaiting_else = false;
            if !starts_with_word(line.trim_start(), "else") {
                steps.extend(self.take());
            }
        }
        if self.buf.is_empty() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                return steps;
            }
            if trimmed.starts_with(':') {
                steps.push(Step::Command(trimmed.to_string(), number));
                return steps;
            }
            self.first_line = number;
        } else {
            self.buf.push('\n');
        }
        self.buf.push_str(line.strip_suffix('\r').unwrap_or(line));
        if syntax::is_incomplete(&self.buf) {
            return steps;
        }
        if ends_with_open_if(&self.buf) {
            self.awaiting_else = true;
            return steps;
        }
        steps.extend(self.take());
        steps
    }

    /// The input ended: whatever is open becomes an entry (an unfinished one then fails to
    /// parse and says what it was waiting for).
    pub fn finish(&mut self) -> Option<Step> {
        self.awaiting_else = false;
        self.take()
    }

    fn take(&mut self) -> Option<Step> {
        if self.buf.trim().is_empty() {
            self.buf.clear();
            return None;
        }
        let text = std::mem::take(&mut self.buf);
        Some(Step::Entry(Entry { text, first_line: self.first_line }))
    }
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word))
        && !text[word.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
}

/// True when the text parses and its last statement is an `if` with no `else` branch.
fn ends_with_open_if(text: &str) -> bool {
    let src = SourceFile::new("", text);
    match syntax::parse_with_scope(&src, &mut Scope::new()) {
        Ok(script) => {
            matches!(script.main.stmts.last(), Some(s) if matches!(&s.node, StmtKind::If { otherwise: None, .. }))
        }
        Err(_) => false,
    }
}
