//! Deluge values: the `Value` enum and its payload types (text, collections, files).
//!
//! Lists and maps are shared by reference (`b = a; b.add(1)` changes `a`), as on Zoho's JVM:
//! both live in one `Coll`, an `Rc<RefCell<..>>`, because `{}` and `Collection()` start out
//! undecided and become a list or a map with their first `add` or `put`, for every holder.

mod display;
mod drop;
mod json;
pub mod number;
mod ops;
pub mod time;
pub mod types;

pub use display::{write_json, write_text};
pub use json::{from_json, to_wire_json};
pub use ops::{append_in_place, arith, compare, contains_value, equals, type_error, ArithOp};

use indexmap::IndexMap;
use jiff::civil::{Date, DateTime};
use std::cell::{Ref, RefCell, RefMut};
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

/// The insertion-ordered map type of Deluge maps.
pub type Map = IndexMap<Key, Value, KeyHasher>;

pub fn new_map(capacity: usize) -> Map {
    Map::with_capacity_and_hasher(capacity, KeyHasher)
}

/// foldhash with a fixed seed (scripts are local: no HashDoS concern), as a zero-sized type:
/// every map is 8 bytes smaller than with `FixedState`, which carries its seed.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyHasher;

impl std::hash::BuildHasher for KeyHasher {
    type Hasher = foldhash::fast::FoldHasher<'static>;
    #[inline(always)]
    fn build_hasher(&self) -> Self::Hasher {
        const STATE: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0);
        STATE.build_hasher()
    }
}

/// A Deluge value. 24 bytes (pinned by a test): small scalars inline, text and collections
/// behind one reference-counted pointer, so copying a value never copies its contents.
#[derive(Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Dec(f64),
    Text(Text),
    Date(Date),
    DateTime(DateTime),
    Coll(Coll),
    File(Rc<FileData>),
}

impl Clone for Value {
    #[inline]
    fn clone(&self) -> Value {
        match self {
            Value::Text(Text(TextRepr::Shared(s))) => Value::Text(Text(TextRepr::Shared(s.clone()))),
            Value::Text(Text(TextRepr::Buf(s))) => Value::Text(Text(TextRepr::Buf(s.clone()))),
            Value::Coll(c) => Value::Coll(c.clone()),
            Value::File(f) => Value::File(f.clone()),
            // SAFETY: every other variant (null, booleans, numbers, dates, inline text) owns no
            // heap data, so a bitwise copy is its clone. Copying the 24 bytes as whole words
            // also avoids the stall of reading back inline text written byte field by field.
            _ => unsafe { std::ptr::read(self) },
        }
    }
}

impl Value {
    pub fn text(s: &str) -> Value {
        Value::Text(Text::from(s))
    }
    pub fn from_string(s: String) -> Value {
        Value::Text(Text::from(s))
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::Coll(Coll::new(Items::List(items)))
    }
    pub fn map(m: Map) -> Value {
        Value::Coll(Coll::new(Items::Map(m)))
    }
    /// `{}` / `Collection()`: empty, a list or a map once something is added.
    pub fn empty_collection() -> Value {
        Value::Coll(Coll(Rc::new(RefCell::new(CollData {
            items: Items::Map(new_map(0)),
            elem: None,
            undecided: true,
            collection: false,
        }))))
    }

    /// Zoho's name for the type, as used in operator errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "BOOLEAN",
            Value::Int(_) => "BIGINT",
            Value::Dec(_) => "DECIMAL",
            Value::Text(_) => "TEXT",
            Value::Date(_) | Value::DateTime(_) => "TIMESTAMP",
            Value::Coll(c) => {
                if c.is_list() {
                    "LIST"
                } else {
                    "MAP"
                }
            }
            Value::File(_) => "FILE",
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The text `info` prints for this value.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        write_text(&mut s, self);
        s
    }

    /// The value as JSON text (maps and lists; text quoted).
    pub fn to_json(&self) -> String {
        let mut s = String::new();
        write_json(&mut s, self);
        s
    }

    pub fn as_text(&self) -> Option<&Text> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Immutable text. Up to `INLINE` bytes live inside the value itself (no allocation: keys
/// like `"key123"`, short names and numbers as text); longer text is shared behind an `Rc`.
#[derive(Clone)]
pub struct Text(TextRepr);

/// Bytes of text kept inline: with its length byte and the enum tag, one `Value` (24 bytes).
const INLINE: usize = 22;

#[derive(Clone)]
enum TextRepr {
    /// Invariant: `bytes[..len]` is valid UTF-8 (it is copied from a `&str`).
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Shared(Rc<str>),
    /// Text a variable builds by appending (`s = s + c`): spare capacity, grown in place while
    /// no other value shares it, so building text chunk by chunk is amortised O(1) per chunk.
    Buf(Rc<String>),
}

impl Text {
    fn inline(s: &str) -> Option<Text> {
        if s.len() > INLINE {
            return None;
        }
        let mut bytes = [0u8; INLINE];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Some(Text(TextRepr::Inline { len: s.len() as u8, bytes }))
    }

    /// The text as a growable buffer, for appending in place: the same buffer when no other
    /// value shares it, else a copy with room to double (so repeated appends stay linear).
    pub fn buffer(&mut self, extra: usize) -> &mut String {
        let unique = matches!(&self.0, TextRepr::Buf(b) if Rc::strong_count(b) == 1 && Rc::weak_count(b) == 0);
        if !unique {
            let mut s = String::with_capacity((self.len() + extra).max(self.len() * 2).max(64));
            s.push_str(self);
            self.0 = TextRepr::Buf(Rc::new(s));
        }
        match &mut self.0 {
            TextRepr::Buf(b) => Rc::make_mut(b),
            // just made a buffer above
            _ => unreachable!("a text buffer"),
        }
    }

    /// `s` with its ASCII letters upper- or lower-cased in place in the copy: no UTF-8 check
    /// is needed, as changing ASCII bytes keeps any UTF-8 text valid.
    pub fn ascii_case(s: &str, upper: bool) -> Text {
        let change = if upper { <[u8]>::make_ascii_uppercase } else { <[u8]>::make_ascii_lowercase };
        match Text::inline(s) {
            Some(Text(TextRepr::Inline { len, mut bytes })) => {
                change(&mut bytes[..len as usize]);
                Text(TextRepr::Inline { len, bytes })
            }
            _ => {
                let mut owned = s.to_owned();
                if upper {
                    owned.make_ascii_uppercase()
                } else {
                    owned.make_ascii_lowercase()
                }
                Text(TextRepr::Shared(Rc::from(owned)))
            }
        }
    }
}

impl Deref for Text {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        match &self.0 {
            TextRepr::Inline { len, bytes } => {
                let bytes = &bytes[..*len as usize];
                // SAFETY: inline bytes are always a copy of a whole `&str` (see `Text::inline`).
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            TextRepr::Shared(s) => s,
            TextRepr::Buf(s) => s,
        }
    }
}
impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::inline(s).unwrap_or_else(|| Text(TextRepr::Shared(Rc::from(s))))
    }
}
impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::inline(&s).unwrap_or_else(|| Text(TextRepr::Shared(Rc::from(s))))
    }
}
impl From<Rc<str>> for Text {
    fn from(s: Rc<str>) -> Text {
        Text::inline(&s).unwrap_or(Text(TextRepr::Shared(s)))
    }
}
impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        **self == **other
    }
}
impl Eq for Text {}
impl Hash for Text {
    fn hash<H: Hasher>(&self, h: &mut H) {
        (**self).hash(h)
    }
}
impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

/// Element type of a typed list (`List:String()`): values added are converted to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElemType {
    Text,
    Int,
    Decimal,
    Bool,
    Date,
    DateTime,
}

#[derive(Debug)]
pub enum Items {
    List(Vec<Value>),
    Map(Map),
}

#[derive(Debug)]
pub struct CollData {
    pub items: Items,
    /// `List:String()` and friends convert what is added.
    pub elem: Option<ElemType>,
    /// Created as `{}`/`Collection()` and still empty: may become a list.
    pub undecided: bool,
    /// Made by `collection(...)`: Zoho's collection pages sort such a list in place
    /// (https://www.zoho.com/deluge/help/functions/collection/sort.html).
    pub collection: bool,
}

/// A list or map shared by reference.
#[derive(Clone, Debug)]
pub struct Coll(Rc<RefCell<CollData>>);

impl Coll {
    pub fn new(items: Items) -> Coll {
        Coll(Rc::new(RefCell::new(CollData { items, elem: None, undecided: false, collection: false })))
    }
    pub fn typed_list(elem: ElemType) -> Coll {
        Coll(Rc::new(RefCell::new(CollData {
            items: Items::List(Vec::new()),
            elem: Some(elem),
            undecided: false,
            collection: false,
        })))
    }
    pub fn borrow(&self) -> Ref<'_, CollData> {
        self.0.borrow()
    }
    pub fn borrow_mut(&self) -> RefMut<'_, CollData> {
        self.0.borrow_mut()
    }
    pub fn ptr_eq(&self, other: &Coll) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
    pub fn is_list(&self) -> bool {
        matches!(self.0.borrow().items, Items::List(_))
    }
    /// True for a map, and for an undecided empty collection.
    pub fn is_map(&self) -> bool {
        matches!(self.0.borrow().items, Items::Map(_))
    }
    pub fn len(&self) -> usize {
        match &self.0.borrow().items {
            Items::List(v) => v.len(),
            Items::Map(m) => m.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The list inside, turning an undecided empty collection into a list first.
    pub fn list_mut(&self) -> Option<RefMut<'_, Vec<Value>>> {
        let mut data = self.0.borrow_mut();
        if data.undecided {
            data.undecided = false;
            data.items = Items::List(Vec::new());
        }
        RefMut::filter_map(data, |d| match &mut d.items {
            Items::List(v) => Some(v),
            Items::Map(_) => None,
        })
        .ok()
    }
    /// The map inside; an undecided empty collection becomes a map.
    pub fn map_mut(&self) -> Option<RefMut<'_, Map>> {
        let mut data = self.0.borrow_mut();
        data.undecided = false;
        RefMut::filter_map(data, |d| match &mut d.items {
            Items::Map(m) => Some(m),
            Items::List(_) => None,
        })
        .ok()
    }
    pub fn list(&self) -> Option<Ref<'_, Vec<Value>>> {
        Ref::filter_map(self.0.borrow(), |d| match &d.items {
            Items::List(v) => Some(v),
            Items::Map(_) => None,
        })
        .ok()
    }
    pub fn map(&self) -> Option<Ref<'_, Map>> {
        Ref::filter_map(self.0.borrow(), |d| match &d.items {
            Items::Map(m) => Some(m),
            Items::List(_) => None,
        })
        .ok()
    }
    pub fn is_undecided(&self) -> bool {
        self.0.borrow().undecided
    }
    pub fn elem_type(&self) -> Option<ElemType> {
        self.0.borrow().elem
    }
}

/// A FILE value: downloaded by `invokeurl`, made by `toFile`, `compress` or `extract`. Shared
/// by reference like collections: `f.setFileName("a.txt")` renames the file for every holder.
#[derive(Debug)]
pub struct FileData(RefCell<FileMeta>);

/// What a file holds: its name, content type, bytes, and what `setCharset`/`setParamName` set
/// for an `invokeurl` upload.
#[derive(Clone, Debug, Default)]
pub struct FileMeta {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// `setCharset("UTF-16")`: the encoding of the part in a multipart upload.
    pub charset: Option<String>,
    /// `setParamName("file")`: the form field name of the part in a multipart upload.
    pub param_name: Option<String>,
}

impl FileData {
    pub fn new(name: String, content_type: String, bytes: Vec<u8>) -> FileData {
        FileData(RefCell::new(FileMeta { name, content_type, bytes, charset: None, param_name: None }))
    }
    pub fn borrow(&self) -> Ref<'_, FileMeta> {
        self.0.borrow()
    }
    pub fn borrow_mut(&self) -> RefMut<'_, FileMeta> {
        self.0.borrow_mut()
    }
}

/// A map key. Deluge maps are JSON-like: keys are text, so `put(1, ..)` and `put("1", ..)`
/// name the same entry (dg decides); other values are keyed by the text they print as.
#[derive(Clone, Debug)]
pub struct Key(Value);

impl Key {
    pub fn new(v: Value) -> Key {
        match v {
            Value::Text(_) => Key(v),
            other => Key(Value::from_string(other.to_text())),
        }
    }
    pub fn text(s: &str) -> Key {
        Key(Value::text(s))
    }
    /// The key as a value (always Text).
    pub fn value(&self) -> &Value {
        &self.0
    }
    pub fn into_value(self) -> Value {
        self.0
    }
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Value::Text(t) => t,
            _ => "",
        }
    }
}

// Keys hold only Text, so equality and hashing are those of the text.
impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Key {}
impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl indexmap::Equivalent<Key> for str {
    fn equivalent(&self, key: &Key) -> bool {
        key.as_str() == self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists as deep as JSON may nest compare element by element.
    #[test]
    fn deep_lists_compare_equal() {
        let deep = |n: usize| (0..n).fold(Value::Int(1), |v, _| Value::list(vec![v]));
        assert!(equals(&deep(120), &deep(120)));
        assert!(!equals(&deep(120), &deep(119)));
    }

    /// The value type is copied on every variable read: keep it at three words.
    #[test]
    fn value_size() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
    }

    #[test]
    fn appending_to_unshared_text_reuses_its_buffer() {
        // 16,000 appends of 1 KB: a copy of the whole text at most once per doubling
        let chunk = Value::from_string("x".repeat(1024));
        let mut s = Value::from_string(String::new());
        let (mut moves, mut last) = (0, std::ptr::null());
        for _ in 0..16_000 {
            assert!(super::append_in_place(&mut s, &chunk));
            let Value::Text(t) = &s else { panic!("text") };
            if t.as_ptr() != last {
                moves += 1;
                last = t.as_ptr();
            }
        }
        assert_eq!(s.as_text().map(|t| t.len()), Some(16_000 * 1024));
        assert!(moves <= 20, "the text was copied {moves} times");
        // a shared text is copied, never changed under its other owner
        let kept = s.clone();
        assert!(super::append_in_place(&mut s, &chunk));
        assert_eq!(kept.as_text().map(|t| t.len()), Some(16_000 * 1024));
    }

    /// A list or map is one allocation of `RcBox<RefCell<CollData>>`: keep it at 88 bytes,
    /// so that with malloc's header it fits a 96-byte chunk.
    #[test]
    fn collection_size() {
        assert_eq!(std::mem::size_of::<RefCell<CollData>>() + 16, 88);
    }
}
