//! Lays tokens out the way Zoho's editor saves Deluge: tabs, block braces on their own line,
//! one key a line in `invokeurl`/`sendmail` blocks (`url :`, `connection:`), spaces around
//! operators.
//!
//! Only whitespace between tokens changes; every token is copied as written. Line breaks the
//! author put inside an expression are kept (continuation lines indent one tab per open
//! bracket), and a run of blank lines becomes one blank line.

use super::lex::{Kind, Token};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    /// `{` of an if/for/try/function body
    Block,
    /// `(`, `[` or `{` inside an expression
    Inline,
    /// `[` of invokeurl/invokeapi/sendmail; `stmt` for sendmail, which may end without `;`
    Pairs { stmt: bool },
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    open: Open,
    /// the indentation of the line holding the opener (and its closer)
    indent: usize,
}

const BINARY: [&str; 19] =
    ["==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "=", "<", ">", "+", "-", "*", "/", "%", "!"];
/// Words after which an expression starts (so `{` is a collection and `-` is a sign).
const EXPR_WORDS: [&str; 4] = ["return", "info", "in", "not"];

struct Layout<'a> {
    out: String,
    stack: Vec<Frame>,
    line_indent: usize,
    at_line_start: bool,
    stmt_start: bool,
    pending_break: bool,
    /// the last token that was not a comment, and whether it was a sign (`-x`)
    prev: Option<Token<'a>>,
    prev_unary: bool,
    /// what the last token written was: an opener that forbids a blank line after it
    after_opener: bool,
    after_block_comment: bool,
    after_line_comment: bool,
    /// the kind of the last closed bracket (for `in {1, 2} {`)
    last_closed: Option<Open>,
    /// the indentation of the line where the current statement began
    stmt_line: usize,
}

/// Format a token stream (the whole file).
pub fn layout(tokens: &[Token]) -> String {
    let mut l = Layout {
        out: String::new(),
        stack: Vec::new(),
        line_indent: 0,
        at_line_start: true,
        stmt_start: true,
        pending_break: false,
        prev: None,
        prev_unary: false,
        after_opener: false,
        after_block_comment: false,
        after_line_comment: false,
        last_closed: None,
        stmt_line: 0,
    };
    for (i, t) in tokens.iter().enumerate() {
        l.token(t, tokens.get(i + 1));
    }
    // a line comment keeps its trailing spaces: the text of every comment stays as written
    let mut out = l.out.trim_end_matches(['\n', '\r']).to_string();
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn word_ish(t: &Token) -> bool {
    matches!(t.kind, Kind::Word | Kind::Literal | Kind::Key)
}

fn is_closer(t: &Token) -> bool {
    t.is(")") || t.is("]") || t.is("}")
}

impl<'a> Layout<'a> {
    /// What `{` or `[` would open here.
    fn opener_kind(&self, t: &Token) -> Open {
        let p = self.prev.as_ref();
        if t.is("[") {
            let pairs = p.is_some_and(|p| p.word("invokeurl") || p.word("invokeapi") || p.word("sendmail"));
            return match pairs {
                true => Open::Pairs { stmt: p.is_some_and(|p| p.word("sendmail")) },
                false => Open::Inline,
            };
        }
        if !t.is("{") {
            return Open::Inline;
        }
        let block = match p {
            None => false,
            Some(p) if p.is(")") || p.is("]") => true,
            Some(p) if p.is("}") => self.last_closed == Some(Open::Inline),
            Some(p) if p.kind == Kind::Word => !EXPR_WORDS.iter().any(|w| p.word(w)),
            Some(p) => p.kind == Kind::Literal,
        };
        if block {
            Open::Block
        } else {
            Open::Inline
        }
    }

    fn is_sign(&self, t: &Token) -> bool {
        if t.is("!") {
            return true;
        }
        if !(t.is("-") || t.is("+")) {
            return false;
        }
        match &self.prev {
            None => true,
            Some(p) if p.kind == Kind::Punct => !is_closer(p),
            Some(p) => EXPR_WORDS.iter().any(|w| p.word(w)),
        }
    }

    fn newline(&mut self, indent: usize, blank: bool) {
        if !self.out.is_empty() {
            self.out.push('\n');
            if blank {
                self.out.push('\n');
            }
        }
        self.out.extend(std::iter::repeat_n('\t', indent));
        self.line_indent = indent;
        self.at_line_start = true;
    }

    /// The indentation of a new line that starts with `t`.
    fn indent_for(&self, t: &Token, open: Option<Open>) -> usize {
        if matches!(open, Some(Open::Block)) {
            return self.stmt_line;
        }
        if is_closer(t) {
            if let Some(f) = self.stack.last() {
                return f.indent;
            }
        }
        match self.stack.last() {
            None => usize::from(!self.stmt_start),
            Some(f) => match f.open {
                Open::Block => f.indent + 1 + usize::from(!self.stmt_start),
                Open::Inline => f.indent + 1,
                Open::Pairs { .. } => f.indent + 1 + usize::from(t.kind != Kind::Key && !t.is_comment()),
            },
        }
    }

    /// Whether a block key takes a space before its colon, as Zoho's editor saves them:
    /// `url :` and `type :` in `invokeurl`, every key of `sendmail`; the other `invokeurl`
    /// keys are written `connection:"crm"`, `parameters:m.toString()` (in the public scripts
    /// saved from Zoho, 65 `connection:` against none spaced).
    fn spaced_key(&self, key: &Token) -> bool {
        match self.stack.last().map(|f| f.open) {
            Some(Open::Pairs { stmt: true }) => true,
            _ => key.text.eq_ignore_ascii_case("url") || key.text.eq_ignore_ascii_case("type"),
        }
    }

    fn space(&self, t: &Token, sign: bool) -> &'static str {
        if self.after_block_comment {
            return " ";
        }
        let Some(p) = &self.prev else { return "" };
        let p_binary = p.kind == Kind::Punct && BINARY.contains(&p.text) && !self.prev_unary;
        let t_binary = t.kind == Kind::Punct && BINARY.contains(&t.text) && !sign;
        if p_binary || t_binary {
            return " ";
        }
        if self.prev_unary {
            return if sign && (t.is("-") || t.is("+")) && (p.is("-") || p.is("+")) { " " } else { "" };
        }
        if t.is(":") {
            return if p.kind == Kind::Key && self.spaced_key(p) { " " } else { "" };
        }
        let p_expr_word = p.kind == Kind::Word && EXPR_WORDS.iter().any(|w| p.word(w));
        if word_ish(t) {
            if word_ish(p) {
                return if p.word("each") && !t.word("index") { "  " } else { " " };
            }
            return if is_closer(p) { " " } else { "" };
        }
        if sign {
            return if word_ish(p) || is_closer(p) { " " } else { "" };
        }
        if t.is("(") && (p_expr_word || p.word("catch")) {
            return " ";
        }
        if (t.is("{") || t.is("[")) && p_expr_word {
            return " ";
        }
        ""
    }

    fn token(&mut self, t: &Token<'a>, next: Option<&Token>) {
        let open = if t.is("{") || t.is("[") || t.is("(") { Some(self.opener_kind(t)) } else { None };
        let closing = if is_closer(t) { self.stack.last().copied() } else { None };
        let trailing_comment = t.is_comment() && t.breaks == 0 && !self.at_line_start;
        let forced = self.pending_break
            || self.after_line_comment
            || matches!(open, Some(Open::Block | Open::Pairs { .. }))
            || matches!(closing.map(|f| f.open), Some(Open::Block | Open::Pairs { .. }))
            || t.kind == Kind::Key;
        if trailing_comment {
            self.out.push(' ');
        } else if forced || (t.breaks > 0 && !self.at_line_start) {
            let closes_group = matches!(closing.map(|f| f.open), Some(Open::Block | Open::Pairs { .. }));
            let blank = t.breaks >= 2 && !self.after_opener && !closes_group;
            let indent = match open {
                Some(Open::Pairs { .. }) => self.line_indent,
                _ => self.indent_for(t, open),
            };
            self.newline(indent, blank);
            self.pending_break = false;
        } else if !self.at_line_start {
            let sign = self.is_sign(t);
            let s = self.space(t, sign);
            self.out.push_str(s);
        }
        if !t.is_comment() && self.stmt_start && open != Some(Open::Block) {
            self.stmt_line = self.line_indent;
        }
        self.out.push_str(t.text);
        self.at_line_start = false;
        self.after_opener = false;
        self.after_block_comment = t.kind == Kind::BlockComment;
        self.after_line_comment = t.kind == Kind::LineComment;
        if t.is_comment() {
            return;
        }
        let sign = self.is_sign(t);
        self.stmt_start = false;
        if let Some(open) = open {
            self.stack.push(Frame { open, indent: self.line_indent });
            if open != Open::Inline {
                self.pending_break = true;
                self.after_opener = true;
                self.stmt_start = open == Open::Block;
            }
        } else if let Some(f) = closing {
            self.stack.pop();
            self.last_closed = Some(f.open);
            match f.open {
                Open::Block => {
                    self.pending_break = true;
                    self.stmt_start = true;
                }
                Open::Pairs { stmt: true } if !next.is_some_and(|n| n.is(";")) => {
                    self.pending_break = true;
                    self.stmt_start = true;
                }
                _ => {}
            }
        } else if t.is(";") && matches!(self.stack.last().map(|f| f.open), None | Some(Open::Block)) {
            self.pending_break = true;
            self.stmt_start = true;
        }
        self.prev_unary = sign;
        self.prev = Some(t.clone());
    }
}
