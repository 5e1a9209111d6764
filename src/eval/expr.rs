//! Compiling expressions: literals, variables, collections, fields, `if`/`ifnull`, `zoho.*`
//! values and invokeurl (operators are in `ops.rs`, calls in `call.rs`).

use super::code::{xfn, CFn, Compiler, XFn};
use super::stmt::field_of;
use super::{Frame, Interp};
use crate::error::{Error, Result};
use crate::host::HttpRequest;
use crate::syntax::ast::{BinOp, BlockPair, Expr, ExprKind, Lit, Span, UnOp};
use crate::value::time::{now_local, parse_moment, Moment};
use crate::value::{new_map, Key, Value};
use std::rc::Rc;

/// A compiled `key: value` of an `invokeurl [...]`/`sendmail [...]` block.
pub(crate) struct PairCode {
    key: Rc<str>,
    value: XFn,
    /// Keys that name a choice (`type: GET`) take an unassigned bare word as text.
    bare_word: Option<(usize, Rc<str>)>,
}

impl PairCode {
    pub(crate) fn eval(&self, cx: &mut Interp<'_>, f: &Frame) -> Result<(String, Value)> {
        if let Some((slot, name)) = &self.bare_word {
            if f[*slot].is_none() {
                return Ok((self.key.to_string(), Value::text(name)));
            }
        }
        Ok((self.key.to_string(), (self.value)(cx, f)?))
    }
}

impl Compiler<'_> {
    pub(crate) fn expr(&self, e: &Expr) -> XFn {
        let span = e.span;
        match &e.node {
            ExprKind::Var(v) => {
                let (slot, name) = (v.slot as usize, v.name.clone());
                xfn(move |cx, f| match &f[slot] {
                    Some(x) => Ok(x.clone()),
                    None => cx.unset(&name, span),
                })
            }
            ExprKind::Lit(Lit::Int(n)) => {
                let n = *n;
                xfn(move |_, _| Ok(Value::Int(n)))
            }
            ExprKind::Lit(l) => {
                let v = literal(l);
                xfn(move |_, _| Ok(v.clone()))
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e),
            ExprKind::Method { recv, name, args } => self.method(recv, name, args, span),
            ExprKind::Call { name, args } => self.call(name, args, span),
            ExprKind::UserCall { name, args } => self.user_call(name, args, span),
            ExprKind::TypedCtor { kind, elem, args } => self.typed_ctor(kind, elem, args, span),
            ExprKind::ZohoTask { path, args } => self.zoho_task(path, args, span),
            ExprKind::Unary(op, x) => self.unary(*op, x, span),
            ExprKind::List(items) => {
                let items: Vec<XFn> = items.iter().map(|x| self.expr(x)).collect();
                xfn(move |cx, f| {
                    let mut out = Vec::with_capacity(items.len());
                    for item in &items {
                        out.push(item(cx, f)?);
                    }
                    Ok(Value::list(out))
                })
            }
            ExprKind::Map(pairs) => {
                let pairs: Vec<(XFn, XFn)> = pairs.iter().map(|(k, v)| (self.expr(k), self.expr(v))).collect();
                xfn(move |cx, f| {
                    let mut m = new_map(pairs.len());
                    for (k, v) in &pairs {
                        let k = k(cx, f)?;
                        let v = v(cx, f)?;
                        m.insert(Key::new(k), v);
                    }
                    Ok(Value::map(m))
                })
            }
            ExprKind::EmptyCollection => xfn(|_, _| Ok(Value::empty_collection())),
            ExprKind::IfElse(c, a, b) => {
                let (c, a, b) = (self.condition(c), self.expr(a), self.expr(b));
                xfn(move |cx, f| if c(cx, f)? { a(cx, f) } else { b(cx, f) })
            }
            ExprKind::IfNull(a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                xfn(move |cx, f| match a(cx, f)? {
                    Value::Null => b(cx, f),
                    v => Ok(v),
                })
            }
            ExprKind::Field { recv, name } => {
                let (recv, name) = (self.expr(recv), name.clone());
                xfn(move |cx, f| {
                    let v = recv(cx, f)?;
                    field_of(&v, &name).map_err(|err| err.with_span(span))
                })
            }
            ExprKind::Index { recv, .. } => fail(
                format!(
                    "Fetching records with {}[...] is not supported outside Zoho Creator",
                    crate::syntax::print::expr(recv)
                ),
                span,
            ),
            ExprKind::InsertInto { form, .. } => {
                fail(format!("'insert into {form}' is not supported outside Zoho Creator"), span)
            }
            ExprKind::InvokeApi(_) => fail(
                "invokeapi is not available in this version of dg: calls to Zoho's own APIs are not built yet".into(),
                span,
            ),
            ExprKind::ZohoValue(name) => {
                let name = name.clone();
                xfn(move |cx, _| cx.zoho_value(&name).map_err(|err| err.with_span(span)))
            }
            ExprKind::InvokeUrl(pairs) => {
                let pairs = self.pairs(pairs);
                xfn(move |cx, f| {
                    let mut req = HttpRequest::default();
                    for p in &pairs {
                        req.pairs.push(p.eval(cx, f)?);
                    }
                    cx.budget.check_clock()?;
                    cx.host.invoke_url(&req).map_err(|err| err.with_span(span))
                })
            }
        }
    }

    /// The `key: value` pairs of an `invokeurl`/`sendmail` block.
    pub(crate) fn pairs(&self, pairs: &[BlockPair]) -> Vec<PairCode> {
        const BARE_WORD_KEYS: &[&str] =
            &["type", "content type", "content-type", "response-format", "response-decoding"];
        pairs
            .iter()
            .map(|p| PairCode {
                key: p.key.clone(),
                value: self.expr(&p.value),
                bare_word: match &p.value.node {
                    ExprKind::Var(v) if BARE_WORD_KEYS.contains(&&*p.key) => Some((v.slot as usize, v.name.clone())),
                    _ => None,
                },
            })
            .collect()
    }

    fn unary(&self, op: UnOp, x: &Expr, span: Span) -> XFn {
        if op == UnOp::Not {
            if let Some(c) = self.known_bool(x) {
                return xfn(move |cx, f| Ok(Value::Bool(!c(cx, f)?)));
            }
        }
        if let ExprKind::Lit(l) = &x.node {
            // `-1`, `-2.5`: folded once.
            if let Ok(v) = unary(op, literal(l)) {
                return xfn(move |_, _| Ok(v.clone()));
            }
        }
        let x = self.expr(x);
        xfn(move |cx, f| unary(op, x(cx, f)?).map_err(|err| err.with_span(span)))
    }

    /// Evaluate a condition: it must be a boolean.
    pub(crate) fn condition(&self, e: &Expr) -> CFn {
        if let Some(c) = self.known_bool(e) {
            return c;
        }
        let (x, span) = (self.expr(e), e.span);
        Box::new(move |cx: &mut Interp<'_>, f: &Frame| match x(cx, f)? {
            Value::Bool(b) => Ok(b),
            other => Err(Error::runtime(format!(
                "The condition must be of type BOOLEAN, but is of type {}",
                other.type_name()
            ))
            .with_span(span)),
        })
    }

    /// Expressions that can only give a boolean (comparisons, `&&`, `||`, `!`, `true`),
    /// compiled to return it without building a value.
    pub(crate) fn known_bool(&self, e: &Expr) -> Option<CFn> {
        match &e.node {
            ExprKind::Lit(Lit::Bool(b)) => {
                let b = *b;
                Some(Box::new(move |_: &mut Interp<'_>, _: &Frame| Ok(b)))
            }
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), l, r) => Some(self.logic(*op, l, r, e.span)),
            ExprKind::Binary(op @ (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge), l, r) => {
                Some(self.comparison(*op, l, r, e.span))
            }
            ExprKind::Binary(BinOp::In, l, r) => Some(self.membership(l, r, e.span)),
            ExprKind::Unary(UnOp::Not, x) => {
                let c = self.known_bool(x)?;
                Some(Box::new(move |cx: &mut Interp<'_>, f: &Frame| Ok(!c(cx, f)?)))
            }
            _ => None,
        }
    }
}

/// An expression that always fails with a runtime error (Creator-only forms).
fn fail(message: String, span: Span) -> XFn {
    let message: Rc<str> = message.into();
    xfn(move |_, _| Err(Error::runtime(&*message).with_span(span)))
}

impl Interp<'_> {
    /// A name that was never assigned: `today` and `now` are system values.
    #[cold]
    pub(crate) fn unset(&mut self, name: &str, span: Span) -> Result<Value> {
        if name.eq_ignore_ascii_case("today") {
            Ok(Value::Date(now_local().date()))
        } else if name.eq_ignore_ascii_case("now") {
            Ok(Value::DateTime(now_local()))
        } else {
            Err(Error::runtime(format!("Variable '{name}' is not defined")).with_span(span))
        }
    }

    fn zoho_value(&mut self, name: &str) -> Result<Value> {
        let lower = name.to_ascii_lowercase();
        if let Some((_, v)) = self.system.iter().find(|(k, _)| *k == lower) {
            return Ok(v.clone());
        }
        if let Some(v) = self.host.system_value(&lower) {
            return Ok(v);
        }
        match lower.as_str() {
            "currentdate" => Ok(Value::Date(now_local().date())),
            "currenttime" => Ok(Value::DateTime(now_local())),
            "loginuserid" | "adminuserid" => Ok(Value::text("user@example.com")),
            "loginuser" | "adminuser" => Ok(Value::text("user")),
            // Locally there is no Creator app and no request: a fixed app name, its URI as
            // Creator writes one (`/owner/app/`), and the loopback address.
            "appname" => Ok(Value::text("dg_app")),
            "appuri" => Ok(Value::text("/user/dg_app/")),
            "ipaddress" => Ok(Value::text("127.0.0.1")),
            _ => Err(Error::runtime(format!("zoho.{name} is not a value dg knows"))),
        }
    }
}

/// The value of a literal (single-quoted text that reads as a date is a Date/DateTime).
fn literal(l: &Lit) -> Value {
    match l {
        Lit::Null => Value::Null,
        Lit::Bool(b) => Value::Bool(*b),
        Lit::Int(n) => Value::Int(*n),
        Lit::Dec(d) => Value::Dec(*d),
        Lit::Text(t) => Value::Text(t.clone().into()),
        Lit::DateText(t) => match parse_moment(t) {
            Some(Moment::Date(d)) => Value::Date(d),
            Some(Moment::DateTime(d)) => Value::DateTime(d),
            None => Value::Text(t.clone().into()),
        },
    }
}

fn unary(op: UnOp, v: Value) -> Result<Value> {
    match (op, v) {
        (UnOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnOp::Neg, Value::Int(n)) => n
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| Error::runtime(format!("Number overflow: -({n}) does not fit in a 64-bit number"))),
        (UnOp::Neg, Value::Dec(d)) => Ok(Value::Dec(-d)),
        (UnOp::Pos, v @ (Value::Int(_) | Value::Dec(_))) => Ok(v),
        (op, v) => {
            let sym = match op {
                UnOp::Not => "!",
                UnOp::Neg => "-",
                UnOp::Pos => "+",
            };
            Err(Error::runtime(format!("The operator {sym} is not valid for a value of type {}", v.type_name())))
        }
    }
}
