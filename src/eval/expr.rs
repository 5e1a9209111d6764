//! Expressions: literals, variables, operators, collections, `zoho.*` values and invokeurl.

use super::stmt::field_of;
use super::{Frame, Interp};
use crate::error::{Error, Result};
use crate::host::HttpRequest;
use crate::syntax::ast::{BinOp, BlockPair, Expr, ExprKind, Lit, UnOp};
use crate::value::time::{now_local, parse_moment, Moment};
use crate::value::{arith, compare, contains_value, equals, new_map, type_error, ArithOp, Key, Value};
use std::cmp::Ordering;

impl Interp<'_> {
    /// Evaluate an expression; errors get the expression's span when they have none.
    pub(crate) fn eval(&mut self, e: &Expr, frame: &mut Frame) -> Result<Value> {
        // The hot node kinds are handled here; the rest live in `eval_other` so that this
        // function's stack frame stays small (it recurses for every node).
        match &e.node {
            ExprKind::Var(v) => match &frame[v.slot as usize] {
                Some(x) => Ok(x.clone()),
                None => self.unset(v, e),
            },
            ExprKind::Lit(Lit::Int(n)) => Ok(Value::Int(*n)),
            ExprKind::Lit(l) => Ok(literal(l)),
            ExprKind::Binary(BinOp::Add, l, _) if matches!(l.node, ExprKind::Binary(BinOp::Add, ..)) => {
                self.add_chain(e, frame)
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, frame).map_err(|err| err.with_span(e.span)),
            ExprKind::Method { recv, name, args } => self.method(recv, name, args, frame, e.span),
            _ => self.eval_other(e, frame),
        }
    }

    /// `a + b + c + ...`, left to right with the usual rules, except that once the running
    /// value is text every further operand is appended to one buffer: building a line of many
    /// pieces copies it once instead of once per `+`.
    fn add_chain(&mut self, e: &Expr, frame: &mut Frame) -> Result<Value> {
        Ok(match self.add_acc(e, frame)? {
            Sum::Value(v) => v,
            Sum::Text(b) => Value::from_string(b),
        })
    }

    fn add_acc(&mut self, e: &Expr, frame: &mut Frame) -> Result<Sum> {
        let ExprKind::Binary(BinOp::Add, l, r) = &e.node else {
            return Ok(Sum::Value(self.operand(e, frame)?));
        };
        let left = self.add_acc(l, frame)?;
        let v = self.operand(r, frame)?;
        Ok(match left {
            Sum::Text(mut b) => {
                if !v.is_null() {
                    crate::value::write_text(&mut b, &v);
                }
                Sum::Text(b)
            }
            Sum::Value(Value::Text(t)) => {
                let mut b = String::with_capacity(t.len() + 64);
                b.push_str(&t);
                if !v.is_null() {
                    crate::value::write_text(&mut b, &v);
                }
                Sum::Text(b)
            }
            Sum::Value(Value::Int(a)) if matches!(v, Value::Int(b) if a.checked_add(b).is_some()) => {
                let Value::Int(b) = v else { unreachable!("matched above") };
                Sum::Value(Value::Int(a + b))
            }
            Sum::Value(acc) => Sum::Value(arith(ArithOp::Add, &acc, &v).map_err(|err| err.with_span(e.span))?),
        })
    }

    /// A cheap operand: literals and variables without a call, else `eval`.
    #[inline(always)]
    fn operand(&mut self, e: &Expr, frame: &mut Frame) -> Result<Value> {
        match &e.node {
            ExprKind::Lit(Lit::Int(n)) => Ok(Value::Int(*n)),
            ExprKind::Var(v) => match &frame[v.slot as usize] {
                Some(x) => Ok(x.clone()),
                None => self.unset(v, e),
            },
            _ => self.eval(e, frame),
        }
    }

    #[cold]
    fn unset(&mut self, v: &crate::syntax::ast::Var, e: &Expr) -> Result<Value> {
        self.unset_var(&v.name)
            .ok_or_else(|| Error::runtime(format!("Variable '{}' is not defined", v.name)).with_span(e.span))
    }

    #[inline(never)]
    fn eval_other(&mut self, e: &Expr, frame: &mut Frame) -> Result<Value> {
        match &e.node {
            ExprKind::Var(_) | ExprKind::Lit(_) | ExprKind::Binary(..) | ExprKind::Method { .. } => self.eval(e, frame),
            ExprKind::Call { name, args } => self.call(name, args, frame, e.span),
            ExprKind::UserCall { name, args } => self.user_call(name, args, frame, e.span),
            ExprKind::Unary(op, x) => {
                let v = self.eval(x, frame)?;
                unary(*op, v).map_err(|err| err.with_span(e.span))
            }
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item, frame)?);
                }
                Ok(Value::list(out))
            }
            ExprKind::Map(pairs) => {
                let mut m = new_map(pairs.len());
                for (k, v) in pairs {
                    let k = self.eval(k, frame)?;
                    let v = self.eval(v, frame)?;
                    m.insert(Key::new(k), v);
                }
                Ok(Value::map(m))
            }
            ExprKind::EmptyCollection => Ok(Value::empty_collection()),
            ExprKind::IfElse(c, a, b) => {
                if self.condition(c, frame)? {
                    self.eval(a, frame)
                } else {
                    self.eval(b, frame)
                }
            }
            ExprKind::IfNull(a, b) => match self.eval(a, frame)? {
                Value::Null => self.eval(b, frame),
                v => Ok(v),
            },
            ExprKind::TypedCtor { kind, elem, args } => self.typed_ctor(kind, elem, args, frame, e.span),
            ExprKind::Field { recv, name } => {
                let v = self.eval(recv, frame)?;
                field_of(&v, name).map_err(|err| err.with_span(e.span))
            }
            ExprKind::Index { recv, .. } => Err(Error::runtime(format!(
                "Fetching records with {}[...] is not supported outside Zoho Creator",
                crate::syntax::print::expr(recv)
            ))
            .with_span(e.span)),
            ExprKind::InsertInto { form, .. } => {
                Err(Error::runtime(format!("'insert into {form}' is not supported outside Zoho Creator"))
                    .with_span(e.span))
            }
            ExprKind::InvokeApi(_) => Err(Error::runtime(
                "invokeapi is not available in this version of dg: calls to Zoho's own APIs are not built yet",
            )
            .with_span(e.span)),
            ExprKind::ZohoValue(name) => self.zoho_value(name).map_err(|err| err.with_span(e.span)),
            ExprKind::ZohoTask { path, args } => self.zoho_task(path, args, frame, e.span),
            ExprKind::InvokeUrl(pairs) => {
                let mut req = HttpRequest::default();
                for p in pairs {
                    let v = self.block_value(p, frame)?;
                    req.pairs.push((p.key.to_string(), v));
                }
                self.budget.check_clock()?;
                self.host.invoke_url(&req).map_err(|err| err.with_span(e.span))
            }
        }
    }

    /// The value of a `key: value` in `invokeurl [...]`/`sendmail [...]`: keys that name a
    /// choice (`type: GET`, `content type: HTML`) take a bare word as text.
    pub(crate) fn block_value(&mut self, p: &BlockPair, frame: &mut Frame) -> Result<Value> {
        const BARE_WORD_KEYS: &[&str] =
            &["type", "content type", "content-type", "response-format", "response-decoding"];
        if let ExprKind::Var(v) = &p.value.node {
            if frame[v.slot as usize].is_none() && BARE_WORD_KEYS.contains(&&*p.key) {
                return Ok(Value::text(&v.name));
            }
        }
        self.eval(&p.value, frame)
    }

    /// A name that was never assigned: `today` and `now` are system values.
    fn unset_var(&mut self, name: &str) -> Option<Value> {
        if name.eq_ignore_ascii_case("today") {
            Some(Value::Date(now_local().date()))
        } else if name.eq_ignore_ascii_case("now") {
            Some(Value::DateTime(now_local()))
        } else {
            None
        }
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, frame: &mut Frame) -> Result<Value> {
        match op {
            BinOp::And | BinOp::Or => {
                let lv = self.eval(l, frame)?;
                let Value::Bool(lb) = lv else {
                    return Err(type_error(&lv, &Value::Bool(true), op.symbol()));
                };
                if (op == BinOp::And && !lb) || (op == BinOp::Or && lb) {
                    return Ok(Value::Bool(lb));
                }
                match self.eval(r, frame)? {
                    Value::Bool(rb) => Ok(Value::Bool(rb)),
                    rv => Err(type_error(&lv, &rv, op.symbol())),
                }
            }
            _ => {
                let lv = self.operand(l, frame)?;
                let rv = self.operand(r, frame)?;
                // Fast path: integer arithmetic and comparison without the general rules.
                if let (Value::Int(a), Value::Int(b)) = (&lv, &rv) {
                    let (a, b) = (*a, *b);
                    match op {
                        BinOp::Add => {
                            if let Some(v) = a.checked_add(b) {
                                return Ok(Value::Int(v));
                            }
                        }
                        BinOp::Sub => {
                            if let Some(v) = a.checked_sub(b) {
                                return Ok(Value::Int(v));
                            }
                        }
                        BinOp::Mul => {
                            if let Some(v) = a.checked_mul(b) {
                                return Ok(Value::Int(v));
                            }
                        }
                        BinOp::Mod if b > 0 => return Ok(Value::Int(a % b)),
                        BinOp::Eq => return Ok(Value::Bool(a == b)),
                        BinOp::Ne => return Ok(Value::Bool(a != b)),
                        BinOp::Lt => return Ok(Value::Bool(a < b)),
                        BinOp::Le => return Ok(Value::Bool(a <= b)),
                        BinOp::Gt => return Ok(Value::Bool(a > b)),
                        BinOp::Ge => return Ok(Value::Bool(a >= b)),
                        _ => {}
                    }
                }
                binary_values(op, &lv, &rv)
            }
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
            _ => Err(Error::runtime(format!("zoho.{name} is not a value dg knows"))),
        }
    }
}

/// The running value of an `a + b + ...` chain.
enum Sum {
    Value(Value),
    /// Text being built: every further operand is appended.
    Text(String),
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

/// A binary operator on two evaluated values (all but `&&`/`||`).
pub(crate) fn binary_values(op: BinOp, l: &Value, r: &Value) -> Result<Value> {
    let arith_op = match op {
        BinOp::Add => ArithOp::Add,
        BinOp::Sub => ArithOp::Sub,
        BinOp::Mul => ArithOp::Mul,
        BinOp::Div => ArithOp::Div,
        BinOp::Mod => ArithOp::Mod,
        BinOp::Eq => return Ok(Value::Bool(equals(l, r))),
        BinOp::Ne => return Ok(Value::Bool(!equals(l, r))),
        BinOp::In => return contains_value(r, l).map(Value::Bool),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = compare(l, r, op.symbol())?;
            return Ok(Value::Bool(match op {
                BinOp::Lt => ord == Ordering::Less,
                BinOp::Le => ord != Ordering::Greater,
                BinOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }));
        }
        BinOp::And | BinOp::Or => unreachable!("short-circuit operators are evaluated lazily"),
    };
    arith(arith_op, l, r)
}
