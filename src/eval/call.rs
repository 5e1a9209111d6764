//! Calls: built-in methods and functions, constructors, script functions, `zoho.*` tasks.

use super::{Flow, Frame, Interp, MAX_CALL_DEPTH};
use crate::builtins;
use crate::error::{Error, Result};
use crate::syntax::ast::{Arg, Expr, ExprKind, Function, Span};
use crate::value::{new_map, Coll, ElemType, Items, Key, Value};

/// Functions that exist only inside Zoho Creator.
const CREATOR_FUNCTIONS: &[&str] = &["openurl", "getfieldnames", "thisapp", "reloadpage"];

impl Interp<'_> {
    /// `recv.name(args)`
    pub(crate) fn method(
        &mut self,
        recv: &Expr,
        name: &str,
        args: &[Arg],
        frame: &mut Frame,
        span: Span,
    ) -> Result<Value> {
        let entries = self.builtin(name);
        if entries.is_none() {
            // Creator's `Form.Subform()` row constructor: an undefined name with a call on it.
            if let ExprKind::Var(v) = &recv.node {
                if frame[v.slot as usize].is_none() {
                    return Err(Error::runtime(format!(
                        "'{}.{name}()' (a Creator subform row) is not supported outside Zoho Creator",
                        v.name
                    ))
                    .with_span(span));
                }
            }
        }
        let base = self.stack.len();
        let result = (|| {
            let r = self.eval(recv, frame)?;
            self.stack.push(r);
            self.push_args(args, frame)?;
            match entries {
                Some(entries) => builtins::dispatch(name, entries, &self.stack[base..]),
                None => Err(Error::runtime(format!(
                    "Unknown function '{name}' for a value of type {}",
                    self.stack[base].type_name()
                ))),
            }
        })();
        self.stack.truncate(base);
        result.map_err(|e| e.with_span(span))
    }

    /// Evaluate arguments onto the stack; a `key: value` argument (`c.insert("CRM": 5)`)
    /// passes its key and its value as two arguments.
    fn push_args(&mut self, args: &[Arg], frame: &mut Frame) -> Result<()> {
        for a in args {
            if let Some(k) = &a.key {
                let k = self.eval(k, frame)?;
                self.stack.push(k);
            }
            let v = self.eval(&a.value, frame)?;
            self.stack.push(v);
        }
        Ok(())
    }

    /// `name(args)`: a script function, a constructor or a built-in, in that order.
    pub(crate) fn call(&mut self, name: &str, args: &[Arg], frame: &mut Frame, span: Span) -> Result<Value> {
        if let Some(f) = self.function(name) {
            return self.call_script(&f, args, frame, span);
        }
        if name.eq_ignore_ascii_case("map") {
            return self.map_ctor(args, frame, span);
        } else if name.eq_ignore_ascii_case("list") {
            return self.list_ctor(None, args, frame, span);
        } else if name.eq_ignore_ascii_case("collection") {
            return self.collection_ctor(args, frame, span);
        }
        if let Some(entries) = self.builtin(name) {
            let base = self.stack.len();
            let result =
                self.push_args(args, frame).and_then(|_| builtins::dispatch(name, entries, &self.stack[base..]));
            self.stack.truncate(base);
            return result.map_err(|e| e.with_span(span));
        }
        if CREATOR_FUNCTIONS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
            return Err(Error::runtime(format!("'{name}' is not supported outside Zoho Creator")).with_span(span));
        }
        Err(Error::runtime(format!("Function '{name}' is not defined")).with_span(span))
    }

    /// `thisapp.name(..)`, `standalone.name(..)`, `automation.name(..)`
    pub(crate) fn user_call(&mut self, name: &str, args: &[Arg], frame: &mut Frame, span: Span) -> Result<Value> {
        match self.function(name) {
            Some(f) => self.call_script(&f, args, frame, span),
            None => Err(Error::runtime(format!("Function '{name}' is not defined")).with_span(span)),
        }
    }

    fn call_script(&mut self, f: &Function, args: &[Arg], frame: &mut Frame, span: Span) -> Result<Value> {
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(self.eval(&a.value, frame)?);
        }
        if values.len() != f.params.len() {
            return Err(builtins::arity_error(&f.name).with_span(span));
        }
        self.call_function(f, values, span)
    }

    /// Run a script function with evaluated arguments.
    pub(crate) fn call_function(&mut self, f: &Function, args: Vec<Value>, span: Span) -> Result<Value> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Error::limit(format!(
                "Maximum function call depth of {MAX_CALL_DEPTH} exceeded (calling '{}')",
                f.name
            ))
            .with_span(span));
        }
        let mut frame: Frame = vec![None; f.body.slots.len()];
        for (p, v) in f.params.iter().zip(args) {
            frame[p.var.slot as usize] = Some(v);
        }
        self.depth += 1;
        let result = self.block(&f.body.stmts, &mut frame);
        self.depth -= 1;
        match result? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Null),
        }
    }

    fn eval_args(&mut self, args: &[Arg], frame: &mut Frame) -> Result<Vec<(Option<Value>, Value)>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            let k = match &a.key {
                Some(k) => Some(self.eval(k, frame)?),
                None => None,
            };
            out.push((k, self.eval(&a.value, frame)?));
        }
        Ok(out)
    }

    /// `Map()`, `Map(otherMap)`: a new map (a copy of the argument's entries).
    fn map_ctor(&mut self, args: &[Arg], frame: &mut Frame, span: Span) -> Result<Value> {
        let vals = self.eval_args(args, frame)?;
        match vals.as_slice() {
            [] => Ok(Value::map(new_map(0))),
            [(None, Value::Coll(c))] if c.is_map() => Ok(Value::map(c.map().map(|m| m.clone()).unwrap_or_default())),
            [(None, Value::Text(t))] => match crate::value::from_json(t) {
                Ok(v @ Value::Coll(_)) => Ok(v),
                _ => Err(Error::runtime("Map() needs a map or JSON text").with_span(span)),
            },
            _ => Err(builtins::arity_error("Map").with_span(span)),
        }
    }

    /// `List()`, `List(otherList)`, `List:String()`.
    fn list_ctor(&mut self, elem: Option<ElemType>, args: &[Arg], frame: &mut Frame, _span: Span) -> Result<Value> {
        let vals = self.eval_args(args, frame)?;
        let coll = match elem {
            Some(e) => Coll::typed_list(e),
            None => Coll::new(Items::List(Vec::new())),
        };
        {
            let mut list = coll.list_mut().expect("a new list");
            let items: Vec<Value> = match vals.as_slice() {
                [(None, Value::Coll(c))] if c.is_list() => c.list().map(|l| l.clone()).unwrap_or_default(),
                _ => vals.into_iter().map(|(_, v)| v).collect(),
            };
            for v in items {
                list.push(builtins::convert_elem(elem, v)?);
            }
        }
        Ok(Value::Coll(coll))
    }

    /// `Collection()`, `Collection("a", "b")`, `Collection("k": "v", ...)`.
    fn collection_ctor(&mut self, args: &[Arg], frame: &mut Frame, span: Span) -> Result<Value> {
        let vals = self.eval_args(args, frame)?;
        if vals.is_empty() {
            return Ok(Value::empty_collection());
        }
        if vals.iter().all(|(k, _)| k.is_some()) {
            let mut m = new_map(vals.len());
            for (k, v) in vals {
                m.insert(Key::new(k.unwrap_or(Value::Null)), v);
            }
            return Ok(Value::map(m));
        }
        if vals.iter().all(|(k, _)| k.is_none()) {
            return Ok(Value::list(vals.into_iter().map(|(_, v)| v).collect()));
        }
        Err(Error::runtime("Collection(...) takes either values or key: value pairs, not both").with_span(span))
    }

    /// `List:String()`, `Map:String()` ...
    pub(crate) fn typed_ctor(
        &mut self,
        kind: &str,
        elem: &str,
        args: &[Arg],
        frame: &mut Frame,
        span: Span,
    ) -> Result<Value> {
        match kind {
            "list" => {
                let e = elem_type(elem);
                self.list_ctor(e, args, frame, span)
            }
            "map" => self.map_ctor(args, frame, span),
            _ => self.collection_ctor(args, frame, span),
        }
    }

    /// `zoho.encryption.*` run here; other tasks go to the host.
    pub(crate) fn zoho_task(&mut self, path: &str, args: &[Arg], frame: &mut Frame, span: Span) -> Result<Value> {
        let base = self.stack.len();
        let result = self.push_args(args, frame).and_then(|_| {
            let lower = path.to_ascii_lowercase();
            let args = &self.stack[base..];
            match builtins::zoho_local(&lower, args) {
                Some(r) => r,
                None => {
                    let args = args.to_vec();
                    self.budget.check_clock()?;
                    self.host.zoho_task(path, &args)
                }
            }
        });
        self.stack.truncate(base);
        result.map_err(|e| e.with_span(span))
    }
}

fn elem_type(name: &str) -> Option<ElemType> {
    Some(match name.to_ascii_lowercase().as_str() {
        "string" | "text" => ElemType::Text,
        "int" | "bigint" | "long" | "number" => ElemType::Int,
        "decimal" | "float" | "double" => ElemType::Decimal,
        "bool" | "boolean" => ElemType::Bool,
        "date" => ElemType::Date,
        "datetime" | "timestamp" => ElemType::DateTime,
        _ => return None,
    })
}
