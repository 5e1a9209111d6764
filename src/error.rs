//! The one error type of dg: kind, message and span, rendered separately (`render`).

use crate::syntax::{SourceFile, Span};
use std::fmt;

/// What went wrong, which decides the exit code and whether `try/catch` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The script does not parse (exit 2).
    Syntax,
    /// An error raised while running: catchable by `try/catch` (exit 1).
    Runtime,
    /// Statement limit, call depth, timeout: ends the run, never caught (exit 1).
    Limit,
    /// The command line is wrong or a file cannot be read (exit 2).
    Usage,
}

/// One error: cheap to pass around on the happy path (a single `Box`).
#[derive(Clone)]
pub struct Error(Box<Repr>);

#[derive(Clone, Debug)]
struct Repr {
    kind: ErrorKind,
    message: String,
    span: Option<Span>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Repr { kind, message: message.into(), span: None }))
    }
    pub fn runtime(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Runtime, message)
    }
    pub fn syntax(message: impl Into<String>, span: Span) -> Error {
        Error::new(ErrorKind::Syntax, message).with_span(span)
    }
    pub fn limit(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Limit, message)
    }
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }
    /// Attach a span unless one is already set (the innermost location wins).
    pub fn with_span(mut self, span: Span) -> Error {
        if self.0.span.is_none() {
            self.0.span = Some(span);
        }
        self
    }
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    pub fn message(&self) -> &str {
        &self.0.message
    }
    pub fn span(&self) -> Option<Span> {
        self.0.span
    }
    /// The exit code `cli.md` gives this error.
    pub fn exit_code(&self) -> i32 {
        match self.0.kind {
            ErrorKind::Syntax | ErrorKind::Usage => 2,
            ErrorKind::Runtime | ErrorKind::Limit => 1,
        }
    }

    /// Render as `cli.md` shows: `error: msg`, `--> FILE:LINE:COL`, the source line and a caret.
    pub fn render(&self, source: Option<&SourceFile>) -> String {
        let mut out = format!("error: {}\n", self.0.message);
        if let (Some(src), Some(span)) = (source, self.0.span) {
            let (line, col) = src.line_col(span.start as usize);
            let (text, col) = window(src.line_text(line), col);
            let text = text.as_str();
            let num = line.to_string();
            let pad = " ".repeat(num.len());
            out.push_str(&format!("{pad}--> {}:{}:{}\n", src.name(), line, col));
            out.push_str(&format!("{pad} |\n"));
            out.push_str(&format!("{num} | {text}\n"));
            let caret_pad: String =
                text.chars().take(col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            out.push_str(&format!("{pad} | {caret_pad}^ {}\n", self.0.message));
        } else if let Some(src) = source {
            out.push_str(&format!("  --> {}\n", src.name()));
        }
        out
    }
}

/// A long source line is cut to about 100 characters around the column (1-based).
fn window(line: &str, col: usize) -> (String, usize) {
    const WIDTH: usize = 100;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WIDTH {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(WIDTH / 2 + 1).min(chars.len().saturating_sub(WIDTH));
    let end = (start + WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut col = col - start;
    if start > 0 {
        text.insert_str(0, "...");
        col += 3;
    }
    if end < chars.len() {
        text.push_str("...");
    }
    (text, col)
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.0.kind, self.0.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
