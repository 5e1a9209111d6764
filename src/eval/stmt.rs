//! Compiling statements: assignment, `if`, `for each`, `try/catch`, `info`, `return` and
//! friends, with the run-time parts of loops and field assignment.

use super::code::{sfn, Block, Compiler, SFn, XFn};
use super::{Flow, Frame, Interp};
use crate::error::{Error, ErrorKind, Result};
use crate::syntax::ast::{AssignOp, BinOp, Expr, ExprKind, Span, Stmt, StmtKind};
use crate::value::{append_in_place, arith, ArithOp, Items, Key, Value};
use std::rc::Rc;

impl Compiler<'_> {
    pub(crate) fn stmt(&self, s: &Stmt) -> SFn {
        let span = s.span;
        match &s.node {
            StmtKind::Assign { var, op: AssignOp::Set, value } => {
                let slot = var.slot as usize;
                // `s = s + c` first: it appends to text in place, and adds integers in place
                if let Some(code) = self.accumulate(slot, value) {
                    return code;
                }
                if let Some(code) = self.int_assign(slot, value) {
                    return code;
                }
                let x = self.expr(value);
                sfn(move |cx, f| {
                    let v = x(cx, f)?;
                    f[slot] = Some(v);
                    Ok(Flow::Next)
                })
            }
            StmtKind::Assign { var, op, value } => {
                let (slot, name, at) = (var.slot as usize, var.name.clone(), value.span);
                let (x, op) = (self.expr(value), arith_op(*op));
                sfn(move |cx, f| {
                    let v = x(cx, f)?;
                    let Some(old) = &mut f[slot] else {
                        return Err(Error::runtime(format!("Variable '{name}' is not defined")).with_span(at));
                    };
                    if op == ArithOp::Add && append_in_place(old, &v) {
                        return Ok(Flow::Next);
                    }
                    f[slot] = Some(arith(op, old, &v).map_err(|e| e.with_span(span))?);
                    Ok(Flow::Next)
                })
            }
            StmtKind::SetField { var, path, op, value } => {
                let (slot, name, path, op) = (var.slot as usize, var.name.clone(), path.clone(), *op);
                let x = self.expr(value);
                sfn(move |cx, f| {
                    let v = x(cx, f)?;
                    set_field(f, slot, &name, &path, op, v).map_err(|e| e.with_span(span))?;
                    Ok(Flow::Next)
                })
            }
            StmtKind::Expr(e) => {
                let x = self.expr(e);
                sfn(move |cx, f| {
                    x(cx, f)?;
                    Ok(Flow::Next)
                })
            }
            StmtKind::Info(e) => {
                let x = self.expr(e);
                sfn(move |cx, f| {
                    let v = x(cx, f)?;
                    let mut line = std::mem::take(&mut cx.line);
                    line.clear();
                    crate::value::write_text(&mut line, &v);
                    let host = &mut *cx.host;
                    cx.info_cap.pass(&line, &mut |l| host.info(l));
                    cx.line = line;
                    Ok(Flow::Next)
                })
            }
            StmtKind::If { branches, otherwise } => {
                let branches: Vec<_> = branches.iter().map(|(c, body)| (self.condition(c), self.block(body))).collect();
                let otherwise = otherwise.as_ref().map(|b| self.block(b));
                sfn(move |cx, f| {
                    for (cond, body) in &branches {
                        if cond(cx, f)? {
                            return body.run(cx, f);
                        }
                    }
                    match &otherwise {
                        Some(body) => body.run(cx, f),
                        None => Ok(Flow::Next),
                    }
                })
            }
            StmtKind::ForEach { var, iter, body } => self.for_each(var.slot as usize, iter, body, false),
            StmtKind::ForIndex { var, iter, body } => self.for_each(var.slot as usize, iter, body, true),
            StmtKind::Try { body, err, handler } => {
                let (body, slot, handler) = (self.block(body), err.slot as usize, self.block(handler));
                sfn(move |cx, f| match body.run(cx, f) {
                    Ok(flow) => Ok(flow),
                    Err(e) if e.kind() == ErrorKind::Runtime => {
                        f[slot] = Some(cx.error_value(&e));
                        handler.run(cx, f)
                    }
                    Err(e) => Err(e),
                })
            }
            StmtKind::Return(e) => match e {
                Some(e) => {
                    let x = self.expr(e);
                    sfn(move |cx, f| Ok(Flow::Return(x(cx, f)?)))
                }
                None => sfn(|_, _| Ok(Flow::Return(Value::Null))),
            },
            StmtKind::Break => sfn(|_, _| Ok(Flow::Break)),
            StmtKind::Continue => sfn(|_, _| Ok(Flow::Continue)),
            StmtKind::SendMail(pairs) => {
                let pairs = self.pairs(pairs);
                sfn(move |cx, f| {
                    // `sendmail [...]` never sends: it prints the mail to stderr.
                    let mut text = String::from("sendmail (not sent, dg never sends mail):");
                    for p in &pairs {
                        let (key, v) = p.eval(cx, f)?;
                        text.push_str(&format!("\n  {key}: {}", v.to_text()));
                    }
                    cx.host.note(&text);
                    Ok(Flow::Next)
                })
            }
            StmtKind::CreatorOnly(what) => {
                let what = *what;
                sfn(move |_, _| {
                    Err(Error::runtime(format!("'{what}' is not supported outside Zoho Creator")).with_span(span))
                })
            }
        }
    }

    /// `x = x + e` on a number variable adds in place (no read, clone and store of `x`); any
    /// other value takes the general path with the same errors as `x + e`.
    fn accumulate(&self, slot: usize, value: &Expr) -> Option<SFn> {
        let ExprKind::Binary(BinOp::Add, l, r) = &value.node else { return None };
        let ExprKind::Var(v) = &l.node else { return None };
        if v.slot as usize != slot || matches!(r.node, ExprKind::Binary(BinOp::Add, ..)) {
            return None;
        }
        let (name, var_span, span) = (v.name.clone(), l.span, value.span);
        let r: XFn = self.expr(r);
        Some(sfn(move |cx, f| {
            if f[slot].is_none() {
                cx.unset(&name, var_span)?;
            }
            let b = r(cx, f)?;
            let new = match (&mut f[slot], &b) {
                (Some(Value::Int(a)), Value::Int(b)) if a.checked_add(*b).is_some() => {
                    *a += b;
                    return Ok(Flow::Next);
                }
                (Some(a @ Value::Text(_)), _) => {
                    append_in_place(a, &b);
                    return Ok(Flow::Next);
                }
                (Some(a), _) => arith(ArithOp::Add, a, &b),
                // `today`/`now` read before assignment
                (None, _) => arith(ArithOp::Add, &cx.unset(&name, var_span)?, &b),
            };
            f[slot] = Some(new.map_err(|e| e.with_span(span))?);
            Ok(Flow::Next)
        }))
    }

    fn for_each(&self, slot: usize, iter: &Expr, body: &[Stmt], indexed: bool) -> SFn {
        let (x, iter_span, body) = (self.expr(iter), iter.span, self.block(body));
        sfn(move |cx, f| {
            let coll = x(cx, f)?;
            for_each(cx, f, slot, coll, iter_span, &body, indexed)
        })
    }
}

fn for_each(
    cx: &mut Interp<'_>,
    f: &mut Frame,
    slot: usize,
    coll: Value,
    iter_span: Span,
    body: &Block,
    indexed: bool,
) -> Result<Flow> {
    let coll = match coll {
        Value::Coll(c) => c,
        other => {
            return Err(Error::runtime(format!(
                "'for each' needs a LIST or MAP, but the value is of type {}",
                other.type_name()
            ))
            .with_span(iter_span))
        }
    };
    // A snapshot, as Zoho iterates: a map's keys, a list's elements as the loop began, so a
    // body that adds to the list it walks ends (and one that removes still sees each element).
    let items: Vec<Value> = if indexed {
        Vec::new()
    } else {
        match &coll.borrow().items {
            Items::Map(m) => m.keys().map(|k| k.value().clone()).collect(),
            Items::List(v) => v.to_vec(),
        }
    };
    let total = if indexed { coll.len() } else { items.len() };
    let mut i = 0;
    loop {
        if i >= total {
            break;
        }
        let item = if indexed { Value::Int(i as i64) } else { items[i].clone() };
        i += 1;
        f[slot] = Some(item);
        match body.run(cx, f)? {
            Flow::Break => break,
            Flow::Return(v) => return Ok(Flow::Return(v)),
            Flow::Next | Flow::Continue => {}
        }
    }
    Ok(Flow::Next)
}

/// `a.b.c = v`: put key `c` in the map reached by `a.b`.
fn set_field(f: &Frame, slot: usize, name: &str, path: &[Rc<str>], op: AssignOp, v: Value) -> Result<()> {
    let mut target = match &f[slot] {
        Some(v) => v.clone(),
        None => return Err(Error::runtime(format!("Variable '{name}' is not defined"))),
    };
    let (last, init) = path.split_last().expect("a field path");
    for name in init {
        target = field_of(&target, name)?;
    }
    let Value::Coll(c) = &target else {
        return Err(Error::runtime(format!("Cannot set field '{last}' on a value of type {}", target.type_name())));
    };
    let mut map =
        c.map_mut().ok_or_else(|| Error::runtime(format!("Cannot set field '{last}' on a value of type LIST")))?;
    let key = Key::text(last);
    let v = match op {
        AssignOp::Set => v,
        op => arith(arith_op(op), map.get(&key).unwrap_or(&Value::Null), &v)?,
    };
    map.insert(key, v);
    Ok(())
}

/// `recv.name` on a map: the key's value (null when absent).
pub(crate) fn field_of(v: &Value, name: &str) -> Result<Value> {
    match v {
        Value::Coll(c) => match c.map() {
            Some(m) => Ok(m.get(name).cloned().unwrap_or(Value::Null)),
            None => Err(Error::runtime(format!("Cannot read field '{name}' of a value of type LIST"))),
        },
        Value::Null => Err(Error::runtime(format!("Cannot read field '{name}' of a null value"))),
        other => Err(Error::runtime(format!("Cannot read field '{name}' of a value of type {}", other.type_name()))),
    }
}

fn arith_op(op: AssignOp) -> ArithOp {
    match op {
        AssignOp::Add | AssignOp::Set => ArithOp::Add,
        AssignOp::Sub => ArithOp::Sub,
        AssignOp::Mul => ArithOp::Mul,
        AssignOp::Div => ArithOp::Div,
    }
}
