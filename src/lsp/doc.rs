//! An open document: its text, edits applied from the client, and byte offsets converted to
//! and from the protocol's line/UTF-16 positions.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

pub struct Document {
    pub text: String,
    pub version: i32,
    line_starts: Vec<usize>,
}

impl Document {
    pub fn new(text: String, version: i32) -> Document {
        let mut d = Document { text, version, line_starts: Vec::new() };
        d.index();
        d
    }

    fn index(&mut self) {
        self.line_starts.clear();
        self.line_starts.push(0);
        self.line_starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
    }

    /// Apply the client's changes in order: a range replaces that part, no range the whole.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for c in changes {
            match c.range {
                Some(r) => {
                    let (a, b) = (self.offset(r.start), self.offset(r.end));
                    let (a, b) = (a.min(b), a.max(b));
                    self.text.replace_range(a..b, &c.text);
                }
                None => self.text = c.text,
            }
            self.index();
        }
        self.version = version;
    }

    /// The byte offset of a position (clamped to the text; never inside a character).
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.line_starts.get(p.line as usize) else { return self.text.len() };
        let end = self.line_starts.get(p.line as usize + 1).map_or(self.text.len(), |&e| e - 1);
        let mut units = 0u32;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= p.character {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.line_starts[line];
        let character = self.text[start..offset].chars().map(|c| c.len_utf16() as u32).sum();
        Position { line: line as u32, character }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range { start: self.position(start), end: self.position(end.max(start)) }
    }

    /// The range of the whole text.
    pub fn full_range(&self) -> Range {
        self.range(0, self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let d = Document::new("a = \"é😀\";\nb".into(), 0);
        let semi = d.text.find(';').unwrap();
        assert_eq!(d.position(semi), Position { line: 0, character: 9 });
        assert_eq!(d.offset(Position { line: 0, character: 9 }), semi);
        assert_eq!(d.offset(Position { line: 1, character: 99 }), d.text.len());
        assert_eq!(d.offset(Position { line: 9, character: 0 }), d.text.len());
    }

    #[test]
    fn ranged_changes_apply() {
        let mut d = Document::new("x = 1;\ny = 2;\n".into(), 0);
        let r = Range { start: Position { line: 1, character: 4 }, end: Position { line: 1, character: 5 } };
        d.apply(vec![TextDocumentContentChangeEvent { range: Some(r), range_length: None, text: "42".into() }], 1);
        assert_eq!(d.text, "x = 1;\ny = 42;\n");
    }
}
