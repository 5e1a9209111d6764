//! XML built-ins: `toXml` (JSON to XML as Zoho's org.json does it), `toXmlList` and
//! `executeXPath` (an XPath 1.0 subset over roxmltree; matched nodes come back as XML text).
//!
//! Pages: https://www.zoho.com/deluge/help/functions/xml/toxml.html, .../toxmllist.html and
//! https://www.zoho.com/creator/newhelp/script/built-in-functions/built-in-function-xml-execute.html

use super::{b, text_arg, Builtin, Recv};
use crate::error::{Error, Result};
use crate::value::Value;
use roxmltree::{Document, Node};

pub const BUILTINS: &[Builtin] = &[
    b("toXml", Recv::Text, 0, 0, to_xml),
    b("toXml", Recv::Map, 0, 0, to_xml),
    b("toXml", Recv::List, 0, 0, to_xml),
    b("toXmlList", Recv::Text, 0, 0, to_xml_list),
    b("executeXPath", Recv::Text, 1, 1, execute_xpath),
];

// ---- toXml: lenient JSON (org.json's JSONTokener) to XML (org.json's XML.toString) ----

/// JSON as org.json reads it: objects keep Java `HashMap` order (see `java_order`).
enum Json {
    Obj(Vec<(String, Json)>),
    Arr(Vec<Json>),
    /// A quoted string, or an unquoted word or number (both print as their text).
    Str(String),
    Null,
}

struct Lenient<'a> {
    s: &'a [u8],
    i: usize,
}

impl Lenient<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }
    fn fail(&self, what: &str) -> Error {
        Error::runtime(format!("toXml: the text is not JSON ({what} at character {})", self.i + 1))
    }
    fn value(&mut self, depth: usize) -> Result<Json> {
        if depth > 128 {
            return Err(self.fail("nested too deeply"));
        }
        self.ws();
        match self.s.get(self.i) {
            None => Err(self.fail("unexpected end")),
            Some(b'{') => {
                self.i += 1;
                let mut items: Vec<(String, Json)> = Vec::new();
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        return Ok(Json::Obj(items));
                    }
                    let key = match self.value(depth + 1)? {
                        Json::Str(k) => k,
                        Json::Null => "null".into(),
                        _ => return Err(self.fail("a key must be text")),
                    };
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b':') | Some(b'=') => self.i += 1,
                        _ => return Err(self.fail("expected ':'")),
                    }
                    let v = self.value(depth + 1)?;
                    match items.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = v,
                        None => items.push((key, v)),
                    }
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') | Some(b';') => self.i += 1,
                        Some(b'}') => {}
                        _ => return Err(self.fail("expected ',' or '}'")),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b']') {
                        self.i += 1;
                        return Ok(Json::Arr(items));
                    }
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {}
                        _ => return Err(self.fail("expected ',' or ']'")),
                    }
                }
            }
            Some(&q @ (b'"' | b'\'')) => {
                self.i += 1;
                let mut out = Vec::new();
                loop {
                    match self.s.get(self.i) {
                        None => return Err(self.fail("unterminated string")),
                        Some(&c) if c == q => {
                            self.i += 1;
                            break;
                        }
                        Some(b'\\') => {
                            self.i += 1;
                            let c = *self.s.get(self.i).ok_or_else(|| self.fail("unterminated string"))?;
                            self.i += 1;
                            match c {
                                b'n' => out.push(b'\n'),
                                b't' => out.push(b'\t'),
                                b'r' => out.push(b'\r'),
                                b'b' => out.push(8),
                                b'f' => out.push(12),
                                b'u' => {
                                    let hex = self.s.get(self.i..self.i + 4).ok_or_else(|| self.fail("bad \\u"))?;
                                    let n = u32::from_str_radix(std::str::from_utf8(hex).unwrap_or(""), 16)
                                        .map_err(|_| self.fail("bad \\u"))?;
                                    self.i += 4;
                                    let ch = char::from_u32(n).unwrap_or('\u{fffd}');
                                    out.extend_from_slice(ch.to_string().as_bytes());
                                }
                                other => out.push(other),
                            }
                        }
                        Some(&c) => {
                            out.push(c);
                            self.i += 1;
                        }
                    }
                }
                Ok(Json::Str(String::from_utf8_lossy(&out).into_owned()))
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len() && !b",:]}/\\\"[{;=#".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let word = String::from_utf8_lossy(&self.s[start..self.i]).trim().to_string();
                if word.is_empty() {
                    return Err(self.fail("missing value"));
                }
                Ok(if word == "null" { Json::Null } else { Json::Str(word) })
            }
        }
    }
}

/// Java's `String.hashCode`, spread as `HashMap` does.
fn java_hash(s: &str) -> u32 {
    let h = s.encode_utf16().fold(0u32, |h, c| h.wrapping_mul(31).wrapping_add(c as u32));
    h ^ (h >> 16)
}

/// The order a Java `HashMap` (default capacity 16, load factor 0.75) iterates `keys` in:
/// by bucket, then by insertion within a bucket. org.json's JSONObject is such a map.
fn java_order(keys: &[(String, Json)]) -> Vec<usize> {
    let mut cap = 16usize;
    while keys.len() * 4 > cap * 3 {
        cap *= 2;
    }
    let mut idx: Vec<usize> = (0..keys.len()).collect();
    idx.sort_by_key(|&i| (java_hash(&keys[i].0) as usize & (cap - 1), i));
    idx
}

fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// org.json's `XML.toString(value, tag)`.
fn write_xml(out: &mut String, v: &Json, tag: Option<&str>) {
    match v {
        Json::Obj(items) => {
            if let Some(t) = tag {
                out.push('<');
                out.push_str(t);
                out.push('>');
            }
            for i in java_order(items) {
                let (k, item) = &items[i];
                match item {
                    Json::Arr(elems) => {
                        for e in elems {
                            if let Json::Arr(_) = e {
                                out.push_str(&format!("<{k}>"));
                                write_xml(out, e, None);
                                out.push_str(&format!("</{k}>"));
                            } else {
                                write_xml(out, e, Some(k));
                            }
                        }
                    }
                    Json::Str(s) if s.is_empty() => out.push_str(&format!("<{k}/>")),
                    other => write_xml(out, other, Some(k)),
                }
            }
            if let Some(t) = tag {
                out.push_str(&format!("</{t}>"));
            }
        }
        Json::Arr(elems) => {
            for e in elems {
                write_xml(out, e, Some(tag.unwrap_or("array")));
            }
        }
        Json::Str(_) | Json::Null => {
            let mut s = String::new();
            escape(&mut s, if let Json::Str(t) = v { t } else { "null" });
            match tag {
                None => {
                    out.push('"');
                    out.push_str(&s);
                    out.push('"');
                }
                Some(t) if s.is_empty() => out.push_str(&format!("<{t}/>")),
                Some(t) => out.push_str(&format!("<{t}>{s}</{t}>")),
            }
        }
    }
}

/// JSON text (or a map or list) as Zoho's XML: everything inside `<root>`.
fn json_to_xml(text: &str) -> Result<String> {
    let mut p = Lenient { s: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.fail("text after the value"));
    }
    let mut out = String::new();
    match &v {
        Json::Obj(_) => write_xml(&mut out, &v, Some("root")),
        _ => {
            out.push_str("<root>");
            write_xml(&mut out, &v, None);
            out.push_str("</root>");
        }
    }
    Ok(out)
}

/// `"{Name:'Lia Shelton', OrderNo:[343,443,577]}".toXML()` is
/// `<root><OrderNo>343</OrderNo><OrderNo>443</OrderNo><OrderNo>577</OrderNo><Name>Lia Shelton</Name></root>`:
/// keys in the order Zoho's Java map holds them, a list repeats its key.
fn to_xml(a: &[Value]) -> Result<Value> {
    let text = match &a[0] {
        Value::Text(t) => t.to_string(),
        other => other.to_json(),
    };
    Ok(Value::from_string(json_to_xml(&text)?))
}

// ---- parsing XML text ----

/// The text without a leading BOM or `<?xml ...?>` declaration.
fn strip_prolog(s: &str) -> &str {
    let s = s.trim_start_matches('\u{feff}').trim_start();
    if s.starts_with("<?xml") {
        if let Some(end) = s.find("?>") {
            return s[end + 2..].trim_start();
        }
    }
    s
}

fn parse<'t>(text: &'t str, func: &str) -> Result<Document<'t>> {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    Document::parse_with_options(text, opts)
        .map_err(|e| Error::runtime(format!("{func}: the text is not valid XML ({e})")))
}

/// `xml.executeXPath("/CATALOG/CD").toXmlList()` is a list of the `<CD>` elements, each as
/// XML text; any top-level elements in the text are the list's items.
fn to_xml_list(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "toXmlList")?;
    let body = strip_prolog(t);
    const OPEN: &str = "<dg-fragment>";
    let wrapped = format!("{OPEN}{body}</dg-fragment>");
    let doc = parse(&wrapped, "toXmlList")?;
    let items =
        doc.root_element().children().filter(|n| n.is_element()).map(|n| Value::text(&wrapped[n.range()])).collect();
    Ok(Value::list(items))
}

// ---- executeXPath ----

#[derive(Clone, Copy, PartialEq)]
enum Axis {
    Child,
    Descendant,
    Parent,
    SelfNode,
    Attribute,
}

#[derive(Clone, PartialEq)]
enum Test {
    Name(String),
    Any,
    Text,
    Node,
}

#[derive(Clone, PartialEq)]
enum Pred {
    Index(usize),
    Last,
    /// A relative path (`@id`, `title`, `text()`), compared with `=`/`!=` to a literal or
    /// just tested for existence.
    Cmp(Vec<Step>, Option<(bool, String)>),
}

#[derive(Clone, PartialEq)]
struct Step {
    axis: Axis,
    test: Test,
    preds: Vec<Pred>,
}

struct Path {
    absolute: bool,
    steps: Vec<Step>,
}

enum Expr {
    Path(Vec<Path>),
    Count(Vec<Path>),
}

struct XParser<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> XParser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    fn eat(&mut self, tok: &str) -> bool {
        self.ws();
        if self.rest().starts_with(tok) {
            self.i += tok.len();
            true
        } else {
            false
        }
    }
    fn ws(&mut self) {
        let t = self.rest();
        self.i += t.len() - t.trim_start().len();
    }
    fn fail(&self) -> Error {
        Error::runtime(format!("executeXPath: invalid XPath '{}' (at character {})", self.s, self.i + 1))
    }
    fn name(&mut self) -> Option<&'a str> {
        self.ws();
        let t = self.rest();
        let end = t
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
            .map_or(t.len(), |(i, _)| i);
        if end == 0 {
            return None;
        }
        self.i += end;
        Some(&t[..end])
    }
    fn expr(&mut self) -> Result<Expr> {
        self.ws();
        if self.rest().starts_with("count(") {
            self.i += "count(".len();
            let paths = self.union()?;
            if !self.eat(")") {
                return Err(self.fail());
            }
            return Ok(Expr::Count(paths));
        }
        Ok(Expr::Path(self.union()?))
    }
    fn union(&mut self) -> Result<Vec<Path>> {
        let mut paths = vec![self.path()?];
        while self.eat("|") {
            paths.push(self.path()?);
        }
        Ok(paths)
    }
    fn path(&mut self) -> Result<Path> {
        self.ws();
        let mut steps = Vec::new();
        let absolute = self.rest().starts_with('/');
        let mut axis = Axis::Child;
        if self.eat("//") {
            axis = Axis::Descendant;
        } else if self.eat("/") {
            self.ws();
            if self.rest().is_empty() || self.rest().starts_with(['|', ')']) {
                return Ok(Path { absolute, steps });
            }
        }
        loop {
            steps.push(self.step(axis)?);
            if self.eat("//") {
                axis = Axis::Descendant;
            } else if self.eat("/") {
                axis = Axis::Child;
            } else {
                break;
            }
        }
        Ok(Path { absolute, steps })
    }
    fn step(&mut self, axis: Axis) -> Result<Step> {
        self.ws();
        let (axis, test) = if self.eat("..") {
            (Axis::Parent, Test::Node)
        } else if self.eat(".") {
            (Axis::SelfNode, Test::Node)
        } else if self.eat("@") {
            if self.eat("*") {
                (Axis::Attribute, Test::Any)
            } else {
                (Axis::Attribute, Test::Name(self.name().ok_or_else(|| self.fail())?.to_string()))
            }
        } else if self.eat("*") {
            (axis, Test::Any)
        } else if self.eat("text()") {
            (axis, Test::Text)
        } else if self.eat("node()") {
            (axis, Test::Node)
        } else {
            let n = self.name().ok_or_else(|| self.fail())?;
            (axis, Test::Name(n.to_string()))
        };
        let mut preds = Vec::new();
        while self.eat("[") {
            preds.push(self.pred()?);
            if !self.eat("]") {
                return Err(self.fail());
            }
        }
        Ok(Step { axis, test, preds })
    }
    fn pred(&mut self) -> Result<Pred> {
        self.ws();
        if self.eat("last()") {
            return Ok(Pred::Last);
        }
        let t = self.rest();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            self.i += digits;
            let n: usize = t[..digits].parse().map_err(|_| self.fail())?;
            return Ok(Pred::Index(n));
        }
        let rel = self.path()?;
        if rel.absolute {
            return Err(self.fail());
        }
        let cmp = if self.eat("!=") {
            Some((false, self.literal()?))
        } else if self.eat("=") {
            Some((true, self.literal()?))
        } else {
            None
        };
        Ok(Pred::Cmp(rel.steps, cmp))
    }
    fn literal(&mut self) -> Result<String> {
        self.ws();
        let t = self.rest();
        let q = t.chars().next().ok_or_else(|| self.fail())?;
        if q == '"' || q == '\'' {
            let end = t[1..].find(q).ok_or_else(|| self.fail())?;
            self.i += end + 2;
            return Ok(t[1..=end].to_string());
        }
        let n = t.find([']', ' ']).unwrap_or(t.len());
        self.i += n;
        Ok(t[..n].to_string())
    }
}

/// A node an XPath step can reach: a tree node, or one attribute of an element.
#[derive(Clone, Copy)]
enum Hit<'a, 'i> {
    Node(Node<'a, 'i>),
    Attr(Node<'a, 'i>, roxmltree::Attribute<'a, 'i>),
}

impl Hit<'_, '_> {
    fn same(&self, other: &Hit) -> bool {
        match (self, other) {
            (Hit::Node(a), Hit::Node(b)) => a.id() == b.id(),
            (Hit::Attr(a, x), Hit::Attr(b, y)) => a.id() == b.id() && x.name() == y.name(),
            _ => false,
        }
    }
    /// XPath's string value: the text of every descendant text node, or the attribute's value.
    fn string(&self) -> String {
        match self {
            Hit::Node(n) => n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect(),
            Hit::Attr(_, a) => a.value().to_string(),
        }
    }
}

fn matches(n: &Node, test: &Test) -> bool {
    match test {
        Test::Name(name) => n.is_element() && n.tag_name().name() == name,
        Test::Any => n.is_element(),
        Test::Text => n.is_text(),
        Test::Node => true,
    }
}

fn apply<'a, 'i>(from: &[Hit<'a, 'i>], step: &Step) -> Vec<Hit<'a, 'i>> {
    let mut out: Vec<Hit> = Vec::new();
    for h in from {
        let Hit::Node(n) = h else { continue };
        let mut found: Vec<Hit> = match step.axis {
            Axis::Child => n.children().filter(|c| matches(c, &step.test)).map(Hit::Node).collect(),
            Axis::Descendant => n.descendants().skip(1).filter(|c| matches(c, &step.test)).map(Hit::Node).collect(),
            Axis::Parent => n.parent().map(Hit::Node).into_iter().collect(),
            Axis::SelfNode => vec![Hit::Node(*n)],
            Axis::Attribute => n
                .attributes()
                .filter(|a| match &step.test {
                    Test::Name(name) => a.name() == name,
                    _ => true,
                })
                .map(|a| Hit::Attr(*n, a))
                .collect(),
        };
        // predicates count positions among the hits of this one context node
        for p in &step.preds {
            let len = found.len();
            found = found
                .into_iter()
                .enumerate()
                .filter(|(i, hit)| match p {
                    Pred::Index(k) => i + 1 == *k,
                    Pred::Last => i + 1 == len,
                    Pred::Cmp(rel, cmp) => {
                        let mut cur = vec![*hit];
                        for s in rel {
                            cur = apply(&cur, s);
                        }
                        match cmp {
                            None => !cur.is_empty(),
                            Some((eq, lit)) => cur.iter().any(|c| (c.string() == *lit) == *eq),
                        }
                    }
                })
                .map(|(_, h)| h)
                .collect();
        }
        for f in found {
            if !out.iter().any(|o| o.same(&f)) {
                out.push(f);
            }
        }
    }
    out
}

fn eval<'a, 'i>(doc: &'a Document<'i>, paths: &[Path]) -> Vec<Hit<'a, 'i>> {
    let mut out: Vec<Hit> = Vec::new();
    for p in paths {
        // relative paths start at the document element, as Zoho's examples read `CATALOG/CD`
        let mut cur = vec![Hit::Node(if p.absolute { doc.root() } else { doc.root_element() })];
        for s in &p.steps {
            cur = apply(&cur, s);
        }
        for h in cur {
            if !out.iter().any(|o| o.same(&h)) {
                out.push(h);
            }
        }
    }
    out
}

/// `xml.executeXPath("/CATALOG/CD/TITLE")` is the matched `<TITLE>` elements as XML text,
/// one after another; `text()` gives the text itself; an attribute `@href` comes back as
/// `<href>value</href>`. JSON text is read as `<root>`-wrapped XML (`/root/address/city`).
fn execute_xpath(a: &[Value]) -> Result<Value> {
    let t = text_arg(a, 0, "executeXPath")?;
    let xpath = text_arg(a, 1, "executeXPath")?;
    let mut xp = XParser { s: xpath, i: 0 };
    let expr = xp.expr()?;
    xp.ws();
    if !xp.rest().is_empty() {
        return Err(xp.fail());
    }
    let trimmed = t.trim_start();
    let owned;
    let text: &str = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        owned = json_to_xml(trimmed)?;
        &owned
    } else {
        strip_prolog(t)
    };
    let doc = parse(text, "executeXPath")?;
    let (paths, count) = match &expr {
        Expr::Path(p) => (p, false),
        Expr::Count(p) => (p, true),
    };
    let hits = eval(&doc, paths);
    if count {
        return Ok(Value::Int(hits.len() as i64));
    }
    let mut out = String::new();
    for h in &hits {
        match h {
            Hit::Node(n) if n.is_root() => out.push_str(text),
            Hit::Node(n) if n.is_text() => out.push_str(n.text().unwrap_or("")),
            Hit::Node(n) => out.push_str(&text[n.range()]),
            Hit::Attr(_, attr) => {
                out.push('<');
                out.push_str(attr.name());
                out.push('>');
                escape(&mut out, attr.value());
                out.push_str("</");
                out.push_str(attr.name());
                out.push('>');
            }
        }
    }
    Ok(Value::from_string(out))
}
