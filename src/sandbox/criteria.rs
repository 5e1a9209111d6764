//! Zoho search criteria: `(Field:op:value)` groups joined by `and`/`or` (nested in parentheses),
//! values with `\`-escapes and comma-separated alternatives; and matching them against records.

use super::db::Record;
use serde_json::Value;
use std::cmp::Ordering;

#[derive(Debug, PartialEq)]
pub enum Criteria {
    /// `field` may be a path into a lookup (`Account_Name.id`).
    Cond {
        field: String,
        op: Op,
        values: Vec<String>,
    },
    And(Vec<Criteria>),
    Or(Vec<Criteria>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Equals,
    NotEqual,
    StartsWith,
    EndsWith,
    Contains,
    NotContains,
    In,
    NotIn,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    Between,
}

fn op(name: &str) -> Option<Op> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "equals" => Op::Equals,
        "not_equal" => Op::NotEqual,
        "starts_with" => Op::StartsWith,
        "ends_with" => Op::EndsWith,
        "contains" => Op::Contains,
        "not_contains" => Op::NotContains,
        "in" => Op::In,
        "not_in" => Op::NotIn,
        "greater_than" => Op::Greater,
        "greater_equal" => Op::GreaterEqual,
        "less_than" => Op::Less,
        "less_equal" => Op::LessEqual,
        "between" => Op::Between,
        _ => return None,
    })
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

/// Parse a criteria text (a lone `Field:op:value` without parentheses is taken too).
pub fn parse(text: &str) -> Result<Criteria, String> {
    let wrapped;
    let text = if text.trim_start().starts_with('(') {
        text
    } else {
        wrapped = format!("({text})");
        &wrapped
    };
    let mut p = Parser { s: text.as_bytes(), text, pos: 0 };
    let c = p.expr()?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(format!("unexpected text after the criteria at {}", p.pos));
    }
    Ok(c)
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    /// term ((and|or) term)*, `and` binding tighter than `or`.
    fn expr(&mut self) -> Result<Criteria, String> {
        let mut ors = vec![];
        let mut ands = vec![self.term()?];
        loop {
            self.skip_ws();
            let rest = &self.text[self.pos..];
            let word = if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case("and") {
                "and"
            } else if rest.len() >= 2 && rest[..2].eq_ignore_ascii_case("or") {
                "or"
            } else {
                break;
            };
            self.pos += word.len();
            if word == "or" {
                ors.push(group(std::mem::take(&mut ands), Criteria::And));
            }
            ands.push(self.term()?);
        }
        ors.push(group(ands, Criteria::And));
        Ok(group(ors, Criteria::Or))
    }

    /// `(` expr `)` or `(` field:op:value `)`.
    fn term(&mut self) -> Result<Criteria, String> {
        self.skip_ws();
        if self.s.get(self.pos) != Some(&b'(') {
            return Err(format!("expected '(' at {}", self.pos));
        }
        self.pos += 1;
        self.skip_ws();
        if self.s.get(self.pos) == Some(&b'(') {
            let inner = self.expr()?;
            self.skip_ws();
            if self.s.get(self.pos) != Some(&b')') {
                return Err(format!("expected ')' at {}", self.pos));
            }
            self.pos += 1;
            return Ok(inner);
        }
        self.condition()
    }

    /// field:op:value up to the closing `)` (which `\)` escapes).
    fn condition(&mut self) -> Result<Criteria, String> {
        let start = self.pos;
        let mut depth = 0;
        let mut raw = Vec::new();
        loop {
            match self.s.get(self.pos) {
                None => return Err("unclosed '(' in the criteria".into()),
                Some(b'\\') => {
                    raw.extend_from_slice(&self.s[self.pos..(self.pos + 2).min(self.s.len())]);
                    self.pos += 2;
                }
                Some(b'(') => {
                    depth += 1;
                    raw.push(b'(');
                    self.pos += 1;
                }
                Some(b')') if depth > 0 => {
                    depth -= 1;
                    raw.push(b')');
                    self.pos += 1;
                }
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                Some(&c) => {
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let mut parts = raw.splitn(3, ':');
        let (Some(field), Some(name), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!("expected (field:operator:value) at {start}"));
        };
        let op = op(name).ok_or_else(|| format!("unknown operator '{}'", name.trim()))?;
        let field = field.trim();
        if field.is_empty() {
            return Err(format!("missing field name at {start}"));
        }
        Ok(Criteria::Cond { field: field.to_string(), op, values: split_values(value) })
    }
}

fn group(mut items: Vec<Criteria>, make: fn(Vec<Criteria>) -> Criteria) -> Criteria {
    if items.len() == 1 {
        items.remove(0)
    } else {
        make(items)
    }
}

/// Split a value on unescaped commas and remove the escapes.
fn split_values(raw: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.last_mut().into_iter().for_each(|s| s.extend(chars.next())),
            ',' => out.push(String::new()),
            c => out.last_mut().into_iter().for_each(|s| s.push(c)),
        }
    }
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

/// The texts a field holds: a lookup (`{"name","id"}`) answers for both; a path
/// (`Account_Name.id`) reads into it; a list answers for each item.
fn field_texts(r: &Record, field: &str) -> Vec<String> {
    let mut path = field.split('.');
    let mut v = path.next().and_then(|k| r.get(k));
    for key in path {
        v = v.and_then(|v| v.get(key));
    }
    let mut out = Vec::new();
    if let Some(v) = v {
        texts(v, &mut out);
    }
    out
}

fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Null => {}
        Value::String(s) => out.push(s.clone()),
        Value::Object(m) => ["name", "id"].iter().filter_map(|k| m.get(*k)).for_each(|v| texts(v, out)),
        Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
        other => out.push(other.to_string()),
    }
}

/// Numbers compare as numbers, everything else as case-insensitive text (ISO dates sort).
fn compare(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

/// Does a record match?
pub fn matches(c: &Criteria, r: &Record) -> bool {
    match c {
        Criteria::And(items) => items.iter().all(|c| matches(c, r)),
        Criteria::Or(items) => items.iter().any(|c| matches(c, r)),
        Criteria::Cond { field, op, values } => {
            let have = field_texts(r, field);
            let any = |f: &dyn Fn(&str, &str) -> bool| have.iter().any(|h| values.iter().any(|v| f(h, v)));
            let eq = |h: &str, v: &str| compare(h, v) == Ordering::Equal;
            let low = |s: &str| s.to_lowercase();
            match op {
                Op::Equals | Op::In => any(&eq),
                Op::NotEqual | Op::NotIn => !any(&eq),
                Op::StartsWith => any(&|h, v| low(h).starts_with(&low(v))),
                Op::EndsWith => any(&|h, v| low(h).ends_with(&low(v))),
                Op::Contains => any(&|h, v| low(h).contains(&low(v))),
                Op::NotContains => !any(&|h, v| low(h).contains(&low(v))),
                Op::Greater => any(&|h, v| compare(h, v) == Ordering::Greater),
                Op::GreaterEqual => any(&|h, v| compare(h, v) != Ordering::Less),
                Op::Less => any(&|h, v| compare(h, v) == Ordering::Less),
                Op::LessEqual => any(&|h, v| compare(h, v) != Ordering::Greater),
                Op::Between => match values.as_slice() {
                    [lo, hi] => {
                        have.iter().any(|h| compare(h, lo) != Ordering::Less && compare(h, hi) != Ordering::Greater)
                    }
                    _ => false,
                },
            }
        }
    }
}
