//! Statements: assignment, `if`, `for each`, `try/catch`, `info`, `return` and friends.

use super::{Flow, Frame, Interp};
use crate::error::{Error, ErrorKind, Result};
use crate::syntax::ast::{AssignOp, BlockPair, Expr, Stmt, StmtKind, Var};
use crate::value::{arith, ArithOp, Items, Key, Value};

impl Interp<'_> {
    pub(crate) fn block(&mut self, stmts: &[Stmt], frame: &mut Frame) -> Result<Flow> {
        for s in stmts {
            match self.stmt(s, frame)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }

    fn stmt(&mut self, s: &Stmt, frame: &mut Frame) -> Result<Flow> {
        self.budget.tick().map_err(|e| e.with_span(s.span))?;
        match &s.node {
            StmtKind::Assign { var, op, value } => {
                let v = self.eval(value, frame)?;
                let v = match op {
                    AssignOp::Set => v,
                    op => {
                        let old = self.read(var, frame, value)?;
                        arith(arith_op(*op), &old, &v).map_err(|e| e.with_span(s.span))?
                    }
                };
                frame[var.slot as usize] = Some(v);
            }
            StmtKind::SetField { var, path, op, value } => {
                let v = self.eval(value, frame)?;
                self.set_field(var, path, *op, v, frame).map_err(|e| e.with_span(s.span))?;
            }
            StmtKind::Expr(e) => {
                self.eval(e, frame)?;
            }
            StmtKind::Info(e) => {
                let v = self.eval(e, frame)?;
                let mut line = std::mem::take(&mut self.line);
                line.clear();
                crate::value::write_text(&mut line, &v);
                self.host.info(&line);
                self.line = line;
            }
            StmtKind::If { branches, otherwise } => {
                for (cond, body) in branches {
                    if self.condition(cond, frame)? {
                        return self.block(body, frame);
                    }
                }
                if let Some(body) = otherwise {
                    return self.block(body, frame);
                }
            }
            StmtKind::ForEach { var, iter, body } => return self.for_each(var, iter, body, frame, false),
            StmtKind::ForIndex { var, iter, body } => return self.for_each(var, iter, body, frame, true),
            StmtKind::Try { body, err, handler } => match self.block(body, frame) {
                Ok(flow) => return Ok(flow),
                Err(e) if e.kind() == ErrorKind::Runtime => {
                    frame[err.slot as usize] = Some(self.error_value(&e));
                    return self.block(handler, frame);
                }
                Err(e) => return Err(e),
            },
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e, frame)?,
                    None => Value::Null,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
            StmtKind::SendMail(pairs) => self.send_mail(pairs, frame)?,
            StmtKind::CreatorOnly(what) => {
                return Err(Error::runtime(format!("'{what}' is not supported outside Zoho Creator")).with_span(s.span))
            }
        }
        Ok(Flow::Next)
    }

    /// Evaluate a condition: it must be a boolean.
    pub(crate) fn condition(&mut self, e: &Expr, frame: &mut Frame) -> Result<bool> {
        match self.eval(e, frame)? {
            Value::Bool(b) => Ok(b),
            other => Err(Error::runtime(format!(
                "The condition must be of type BOOLEAN, but is of type {}",
                other.type_name()
            ))
            .with_span(e.span)),
        }
    }

    fn for_each(&mut self, var: &Var, iter: &Expr, body: &[Stmt], frame: &mut Frame, indexed: bool) -> Result<Flow> {
        let coll = match self.eval(iter, frame)? {
            Value::Coll(c) => c,
            other => {
                return Err(Error::runtime(format!(
                    "'for each' needs a LIST or MAP, but the value is of type {}",
                    other.type_name()
                ))
                .with_span(iter.span))
            }
        };
        // Over a map: its keys, as a snapshot; over a list: by position, so the body may add.
        let keys: Option<Vec<Value>> = match &coll.borrow().items {
            Items::Map(m) => Some(m.keys().map(|k| k.value().clone()).collect()),
            Items::List(_) => None,
        };
        let total = keys.as_ref().map_or_else(|| coll.len(), |k| k.len());
        let mut i = 0;
        loop {
            let item = if indexed {
                if i >= total {
                    break;
                }
                Value::Int(i as i64)
            } else if let Some(keys) = &keys {
                match keys.get(i) {
                    Some(k) => k.clone(),
                    None => break,
                }
            } else {
                let list = coll.borrow();
                match &list.items {
                    Items::List(v) => match v.get(i) {
                        Some(x) => x.clone(),
                        None => break,
                    },
                    Items::Map(_) => break,
                }
            };
            i += 1;
            frame[var.slot as usize] = Some(item);
            match self.block(body, frame)? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                Flow::Next | Flow::Continue => {}
            }
        }
        Ok(Flow::Next)
    }

    /// `a.b.c = v`: put key `c` in the map reached by `a.b`.
    fn set_field(
        &mut self,
        var: &Var,
        path: &[std::rc::Rc<str>],
        op: AssignOp,
        v: Value,
        frame: &mut Frame,
    ) -> Result<()> {
        let mut target = match &frame[var.slot as usize] {
            Some(v) => v.clone(),
            None => return Err(Error::runtime(format!("Variable '{}' is not defined", var.name))),
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

    /// `sendmail [...]` never sends: it prints the mail to stderr.
    fn send_mail(&mut self, pairs: &[BlockPair], frame: &mut Frame) -> Result<()> {
        let mut text = String::from("sendmail (not sent, dg never sends mail):");
        for p in pairs {
            let v = self.block_value(p, frame)?;
            text.push_str(&format!("\n  {}: {}", p.key, v.to_text()));
        }
        self.host.note(&text);
        Ok(())
    }

    fn read(&self, var: &Var, frame: &Frame, at: &Expr) -> Result<Value> {
        frame[var.slot as usize]
            .clone()
            .ok_or_else(|| Error::runtime(format!("Variable '{}' is not defined", var.name)).with_span(at.span))
    }
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
