//! The formatter's tokens: Deluge source cut into words, literals, punctuation and comments,
//! each with the line breaks that preceded it, so layout can keep comments and blank lines.

/// What a token is, as far as layout cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An identifier or keyword.
    Word,
    /// A number or a quoted text (kept byte for byte).
    Literal,
    /// The key of an `invokeurl`/`sendmail` pair, as the parser saw it (`content type`).
    Key,
    /// `// ...` to the end of its line (a `\r` before the line end dropped).
    LineComment,
    /// `/* ... */`, kept byte for byte.
    BlockComment,
    /// An operator or bracket.
    Punct,
}

#[derive(Clone, Debug)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Byte offset in the source.
    pub start: usize,
    /// Line breaks between the previous token and this one.
    pub breaks: usize,
}

impl Token<'_> {
    pub fn is(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }
    pub fn word(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(w)
    }
    pub fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
}

const TWO_CHAR: [&str; 10] = ["==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/="];

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\u{FEFF}' | '\u{A0}' | '\u{0C}')
}

/// Cut `text` into tokens. `keys` are the byte ranges of block-pair keys (sorted by start):
/// each becomes one `Key` token. Never fails: a character it does not know is one `Punct`.
pub fn tokens<'a>(text: &'a str, keys: &[(usize, usize)]) -> Vec<Token<'a>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut breaks = 0;
    let mut key = keys.iter().peekable();
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        if c == '\n' {
            breaks += 1;
            i += 1;
            continue;
        }
        if is_space(c) {
            i += c.len_utf8();
            continue;
        }
        while key.peek().is_some_and(|k| k.0 < i) {
            key.next();
        }
        let start = i;
        let kind;
        if let Some(&&(_, ke)) = key.peek().filter(|k| k.0 == i && k.1 > i && text.is_char_boundary(k.1)) {
            kind = Kind::Key;
            i = ke;
            key.next();
        } else if text[i..].starts_with("//") {
            kind = Kind::LineComment;
            i = text[i..].find('\n').map_or(text.len(), |n| i + n);
        } else if text[i..].starts_with("/*") {
            kind = Kind::BlockComment;
            i = text[i + 2..].find("*/").map_or(text.len(), |n| i + 2 + n + 2);
        } else if c == '"' || c == '\'' {
            kind = Kind::Literal;
            i += 1;
            while i < bytes.len() && bytes[i] != c as u8 {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(text.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
        } else if c.is_ascii_digit() || (c == '.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            kind = Kind::Literal;
            i = number_end(bytes, i);
        } else if c.is_ascii_alphabetic() || c == '_' {
            kind = Kind::Word;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        } else {
            kind = Kind::Punct;
            i += if TWO_CHAR.iter().any(|op| text[i..].starts_with(op)) { 2 } else { c.len_utf8() };
        }
        let mut tok = &text[start..i];
        if kind == Kind::LineComment {
            tok = tok.trim_end_matches('\r');
        }
        out.push(Token { kind, text: tok, start, breaks });
        breaks = 0;
    }
    out
}

/// The end of the number starting at `i`: digits, `.digits`, an exponent (the grammar's `number`).
fn number_end(b: &[u8], mut i: usize) -> usize {
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    i = digits(i);
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            i = digits(j);
        }
    }
    i
}

/// The text of every comment in `text`, for the "no comment is lost" checks.
pub fn comments(text: &str) -> Vec<String> {
    tokens(text, &[]).into_iter().filter(Token::is_comment).map(|t| t.text.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_words_literals_and_comments() {
        let t = tokens("x=1.5e3;// hi  \r\n/* a\nb */ y = \"a\\\"b\" + 'c';", &[]);
        let texts: Vec<_> = t.iter().map(|t| t.text).collect();
        assert_eq!(texts, ["x", "=", "1.5e3", ";", "// hi  ", "/* a\nb */", "y", "=", "\"a\\\"b\"", "+", "'c'", ";"]);
        assert_eq!(t[5].breaks, 1);
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for s in ["\"", "'\\", "/*", "é\u{A0}x", "1e", ".", "\\"] {
            let _ = tokens(s, &[(0, 1)]);
        }
    }
}
