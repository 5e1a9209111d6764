//! Compiling calls: built-in methods and functions (looked up once, at compile time),
//! constructors, script functions and `zoho.*` tasks; and running script functions.

use super::code::{xfn, Compiler, XFn};
use super::{Frame, Interp, MAX_CALL_DEPTH};
use crate::builtins::{self, Builtin};
use crate::error::{Error, Result};
use crate::host::HttpRequest;
use crate::syntax::ast::{Arg, Expr, ExprKind, Span};
use crate::value::types::Ty;
use crate::value::{new_map, Coll, ElemType, Items, Key, Value};
use std::rc::Rc;

/// Functions that exist only inside Zoho Creator (`dg check` knows them too).
pub(crate) const CREATOR_FUNCTIONS: &[&str] = &["openurl", "getfieldnames", "thisapp", "reloadpage"];

/// The function forms of HTTP calls, with their argument counts: they build the same request
/// as an `invokeurl [...]` block and go through the host's one request pipeline.
/// https://www.zoho.com/deluge/help/web-data/geturl.html,
/// https://www.zoho.com/developer/help/scripting/post-url.html
pub(crate) const WEB_FUNCTIONS: &[(&str, usize, usize)] = &[("invokeUrl", 2, 5), ("getUrl", 1, 3), ("postUrl", 2, 4)];

/// A compiled call argument; `key: value` (`Collection("CRM": 5)`) has both.
pub(crate) struct ArgCode {
    key: Option<XFn>,
    value: XFn,
}

type Entries = &'static [&'static Builtin];

/// A built-in call site: the name's entries, those that take its argument count, its span.
struct Resolved {
    name: Rc<str>,
    entries: Entries,
    fit: Box<[&'static Builtin]>,
    span: Span,
}

impl Resolved {
    #[inline]
    fn run(&self, args: &[Value]) -> Result<Value> {
        builtins::call_fitting(&self.name, self.entries, &self.fit, args).map_err(|e| e.with_span(self.span))
    }
}

impl Resolved {
    /// Run on values borrowed from variables, constants and temporaries: no clone and no drop
    /// per argument, as a built-in only reads its arguments.
    #[inline(always)]
    fn run_on<const N: usize>(&self, values: [&Value; N]) -> Result<Value> {
        // SAFETY: each copy is a bitwise duplicate of a value that stays alive and unchanged
        // for the whole call (the frame is borrowed shared while an expression is evaluated,
        // constants and temporaries outlive `values`). The copies are only read through a
        // shared slice and are never dropped (`ManuallyDrop`), so no reference count moves
        // and nothing is freed twice; `ManuallyDrop<Value>` has the layout of `Value`.
        let copies = values.map(|v| std::mem::ManuallyDrop::new(unsafe { std::ptr::read(v) }));
        let args = unsafe { std::slice::from_raw_parts(copies.as_ptr().cast::<Value>(), N) };
        self.run(args)
    }
}

impl Compiler<'_> {
    fn args(&self, args: &[Arg]) -> Vec<ArgCode> {
        args.iter().map(|a| ArgCode { key: a.key.as_ref().map(|k| self.expr(k)), value: self.expr(&a.value) }).collect()
    }

    /// `recv.name(args)`
    pub(crate) fn method(&self, recv_expr: &Expr, name: &Rc<str>, arg_exprs: &[Arg], span: Span) -> XFn {
        let name = name.clone();
        let Some(entries) = builtins::lookup(&name) else {
            let (recv, args) = (self.expr(recv_expr), self.args(arg_exprs));
            // Creator's `Form.Subform()` row constructor: an undefined name with a call on it.
            let subform = match &recv_expr.node {
                ExprKind::Var(v) => Some((v.slot as usize, v.name.clone())),
                _ => None,
            };
            return xfn(move |cx, f| {
                if let Some((slot, form)) = &subform {
                    if f[*slot].is_none() {
                        return Err(Error::runtime(format!(
                            "'{form}.{name}()' (a Creator subform row) is not supported outside Zoho Creator"
                        ))
                        .with_span(span));
                    }
                }
                let v = recv(cx, f)?;
                cx.with_args(&args, f, |_, _| {
                    Err(Error::runtime(match builtins::not_implemented(&name) {
                        Some(why) => builtins::not_implemented_message(&name, why),
                        None => format!(
                            "Unknown function '{name}' for a value of type {}{}",
                            v.type_name(),
                            builtins::did_you_mean(&name, builtins::names())
                        ),
                    }))
                })
                .map_err(|e| e.with_span(span))
            });
        };
        // Up to two plain arguments: the receiver and arguments are read in place when they
        // are variables or constants (the operand shapes of `ops`), and passed borrowed.
        if arg_exprs.len() <= 2 && arg_exprs.iter().all(|a| a.key.is_none()) {
            let fit = builtins::fitting(entries, arg_exprs.len());
            let call = Resolved { name, entries, fit, span };
            let recv = self.shape(recv_expr);
            let mut plain = arg_exprs.iter().map(|a| self.shape(&a.value));
            let at = |e| move |err: Error| err.with_span(e);
            return match (plain.next(), plain.next()) {
                (None, _) => xfn(move |cx, f| {
                    let r = recv.get(cx, f).map_err(at(call.span))?;
                    call.run_on([&r])
                }),
                (Some(a), None) => xfn(move |cx, f| {
                    let r = recv.get(cx, f).map_err(at(call.span))?;
                    let a = a.get(cx, f).map_err(at(call.span))?;
                    call.run_on([&r, &a])
                }),
                (Some(a), Some(b)) => xfn(move |cx, f| {
                    let r = recv.get(cx, f).map_err(at(call.span))?;
                    let a = a.get(cx, f).map_err(at(call.span))?;
                    let b = b.get(cx, f).map_err(at(call.span))?;
                    call.run_on([&r, &a, &b])
                }),
            };
        }
        let (recv, args) = (self.expr(recv_expr), self.args(arg_exprs));
        let fit = builtins::fitting(entries, arg_count(&args));
        let call = Resolved { name, entries, fit, span };
        xfn(move |cx, f| {
            let base = cx.stack.len();
            let result = match recv(cx, f) {
                Ok(v) => {
                    cx.stack.push(v);
                    cx.push_args(&args, f).and_then(|_| call.run(&cx.stack[base..]))
                }
                Err(e) => Err(e),
            };
            cx.stack.truncate(base);
            result.map_err(|e| e.with_span(call.span))
        })
    }

    /// `name(args)`: a script function, a constructor or a built-in, in that order.
    pub(crate) fn call(&self, name: &Rc<str>, args: &[Arg], span: Span) -> XFn {
        if let Some(index) = self.function(name) {
            return self.script_call(index, args, span);
        }
        let ctor = |kind: &str| self.ctor(kind, "", args, span);
        if name.eq_ignore_ascii_case("map") {
            return ctor("map");
        } else if name.eq_ignore_ascii_case("list") {
            return self.ctor("list", "", args, span);
        } else if name.eq_ignore_ascii_case("collection") {
            return ctor("collection");
        }
        let (args, name) = (self.args(args), name.clone());
        if let Some(entries) = builtins::lookup(&name) {
            return builtin_call(name, entries, args, span);
        }
        if let Some(&(zoho, min, max)) = WEB_FUNCTIONS.iter().find(|w| w.0.eq_ignore_ascii_case(&name)) {
            return xfn(move |cx, f| {
                let values: Vec<Value> = cx.eval_args(&args, f)?.into_iter().map(|(_, v)| v).collect();
                if !(min..=max).contains(&values.len()) {
                    return Err(builtins::arity_error(zoho).with_span(span));
                }
                let (req, simple) = web_request(zoho, values).map_err(|e| e.with_span(span))?;
                cx.budget.check_clock()?;
                let answer = cx.host.invoke_url(&req).map_err(|err| err.with_span(span))?;
                // A simple answer is the response's text, as the pages say, even when it is JSON.
                Ok(match answer {
                    Value::Coll(_) if simple => Value::from_string(answer.to_json()),
                    other => other,
                })
            });
        }
        if let Some(why) = builtins::not_implemented(&name) {
            return xfn(move |_, _| Err(Error::runtime(builtins::not_implemented_message(&name, why)).with_span(span)));
        }
        if CREATOR_FUNCTIONS.iter().any(|c| c.eq_ignore_ascii_case(&name)) {
            return xfn(move |_, _| {
                Err(Error::runtime(format!("'{name}' is not supported outside Zoho Creator")).with_span(span))
            });
        }
        xfn(move |_, _| Err(Error::runtime(format!("Function '{name}' is not defined")).with_span(span)))
    }

    /// `thisapp.name(..)`, `standalone.name(..)`, `automation.name(..)`
    pub(crate) fn user_call(&self, name: &Rc<str>, args: &[Arg], span: Span) -> XFn {
        match self.function(name) {
            Some(index) => self.script_call(index, args, span),
            None => {
                let name = name.clone();
                xfn(move |_, _| Err(Error::runtime(format!("Function '{name}' is not defined")).with_span(span)))
            }
        }
    }

    fn script_call(&self, index: usize, args: &[Arg], span: Span) -> XFn {
        let args: Vec<XFn> = args.iter().map(|a| self.expr(&a.value)).collect();
        xfn(move |cx, f| {
            let mut values = Vec::with_capacity(args.len());
            for a in &args {
                values.push(a(cx, f)?);
            }
            cx.call_function(index, values, span)
        })
    }

    /// `List:String()`, `Map:String()` ...
    pub(crate) fn typed_ctor(&self, kind: &str, elem: &str, args: &[Arg], span: Span) -> XFn {
        self.ctor(kind, elem, args, span)
    }

    /// `Map(..)`, `List(..)`, `List:TYPE(..)`, `Collection(..)`.
    fn ctor(&self, kind: &str, elem: &str, args: &[Arg], span: Span) -> XFn {
        let args = self.args(args);
        match kind {
            "list" => {
                let elem = elem_type(elem);
                xfn(move |cx, f| list_ctor(elem, cx.eval_args(&args, f)?))
            }
            "map" => xfn(move |cx, f| map_ctor(cx.eval_args(&args, f)?, span)),
            _ => xfn(move |cx, f| collection_ctor(cx.eval_args(&args, f)?, span)),
        }
    }

    /// `zoho.encryption.*` run here; other tasks go to the host.
    pub(crate) fn zoho_task(&self, path: &Rc<str>, args: &[Arg], span: Span) -> XFn {
        let (path, lower, args) = (path.clone(), path.to_ascii_lowercase(), self.args(args));
        xfn(move |cx, f| {
            cx.with_args(&args, f, |cx, base| {
                let args = &cx.stack[base..];
                match builtins::zoho_local(&lower, args) {
                    Some(r) => r,
                    None => {
                        let args = args.to_vec();
                        cx.budget.check_clock()?;
                        cx.host.zoho_task(&path, &args)
                    }
                }
            })
            .map_err(|e| e.with_span(span))
        })
    }
}

/// How many values `push_args` pushes for these arguments.
fn arg_count(args: &[ArgCode]) -> usize {
    args.iter().map(|a| 1 + a.key.is_some() as usize).sum()
}

fn builtin_call(name: Rc<str>, entries: Entries, args: Vec<ArgCode>, span: Span) -> XFn {
    // The first argument is the receiver.
    let fit = builtins::fitting(entries, arg_count(&args).saturating_sub(1));
    let call = Resolved { name, entries, fit, span };
    xfn(move |cx, f| {
        let base = cx.stack.len();
        let result = cx.push_args(&args, f).and_then(|_| call.run(&cx.stack[base..]));
        cx.stack.truncate(base);
        result.map_err(|e| e.with_span(call.span))
    })
}

impl Interp<'_> {
    /// Evaluate arguments onto the stack; a `key: value` argument (`c.insert("CRM": 5)`)
    /// passes its key and its value as two arguments.
    #[inline]
    fn push_args(&mut self, args: &[ArgCode], f: &Frame) -> Result<()> {
        for a in args {
            if let Some(k) = &a.key {
                let k = k(self, f)?;
                self.stack.push(k);
            }
            let v = (a.value)(self, f)?;
            self.stack.push(v);
        }
        Ok(())
    }

    /// Push the arguments, run `then` (which finds them on the stack from `base`), pop them.
    fn with_args(
        &mut self,
        args: &[ArgCode],
        f: &Frame,
        then: impl FnOnce(&mut Interp<'_>, usize) -> Result<Value>,
    ) -> Result<Value> {
        let base = self.stack.len();
        let result = self.push_args(args, f).and_then(|_| then(self, base));
        self.stack.truncate(base);
        result
    }

    fn eval_args(&mut self, args: &[ArgCode], f: &Frame) -> Result<Vec<(Option<Value>, Value)>> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            let k = match &a.key {
                Some(k) => Some(k(self, f)?),
                None => None,
            };
            out.push((k, (a.value)(self, f)?));
        }
        Ok(out)
    }

    /// Run script function number `index` with evaluated arguments.
    pub(crate) fn call_function(&mut self, index: usize, args: Vec<Value>, span: Span) -> Result<Value> {
        let def = self.fns[index].def.clone();
        if args.len() != def.params.len() {
            return Err(builtins::arity_error(&def.name).with_span(span));
        }
        if self.depth >= MAX_CALL_DEPTH {
            return Err(Error::limit(format!(
                "Maximum function call depth of {MAX_CALL_DEPTH} exceeded (calling '{}')",
                def.name
            ))
            .with_span(span));
        }
        let code = match &self.fns[index].code {
            Some(code) => code.clone(),
            None => {
                let code = Rc::new(self.compiler().block(&def.body.stmts));
                self.fns[index].code = Some(code.clone());
                code
            }
        };
        let mut frame = self.spare_frames.pop().unwrap_or_default();
        frame.resize(def.body.slots.len(), None);
        for (i, (p, v)) in def.params.iter().zip(args).enumerate() {
            if let Some(want) = Ty::declared(&p.type_name).filter(|t| !t.fits(&v)) {
                frame.clear();
                self.spare_frames.push(frame);
                return Err(param_mismatch(&def.name, i, &p.var.name, want, &v).with_span(span));
            }
            frame[p.var.slot as usize] = Some(v);
        }
        self.depth += 1;
        let result = code.run(self, &mut frame);
        self.depth -= 1;
        frame.clear();
        self.spare_frames.push(frame);
        let value = match result? {
            super::Flow::Return(v) => v,
            _ => Value::Null,
        };
        // "The data-type of the return value should match the data-type defined for the
        // return type. If not, an error will be thrown during runtime."
        // (https://www.zoho.com/deluge/help/misc-statements/return-statement.html)
        match Ty::declared(&def.return_type) {
            Some(want) if want != Ty::Void && !want.fits(&value) => {
                Err(return_mismatch(&def.name, want, &value).with_span(span))
            }
            _ => Ok(value),
        }
    }
}

/// A typed parameter given a value of another type: Zoho refuses the call before the body
/// runs (https://www.zoho.com/creator/newhelp/script/call-function.html).
fn param_mismatch(function: &str, index: usize, param: &str, want: Ty, got: &Value) -> Error {
    let got = Ty::of(got).map_or("NULL", Ty::name);
    Error::runtime(format!(
        "Argument {} of function '{function}' must be of data type {}, but a {got} value was given \
         (parameter '{param}')",
        index + 1,
        want.name()
    ))
}

/// The `invokeurl` block a function form stands for, and whether its answer is simple text.
/// `getUrl(url, [headers], [simple])`, `postUrl(url, body, [headers], [simple])` (a boolean
/// in the headers' place is `simple`), `invokeUrl(url, type, [parameters], [headers], [detailed])`.
fn web_request(name: &str, values: Vec<Value>) -> Result<(HttpRequest, bool)> {
    let mut it = values.into_iter();
    let mut pairs = vec![("url".to_string(), it.next().unwrap_or(Value::Null))];
    let mut simple = true;
    let rest = |pairs: &mut Vec<(String, Value)>, simple: &mut bool, v: Value| match v {
        Value::Bool(b) => *simple = b,
        Value::Null => {}
        headers => pairs.push(("headers".to_string(), headers)),
    };
    match name {
        "getUrl" => {
            pairs.push(("type".to_string(), Value::text("GET")));
            it.for_each(|v| rest(&mut pairs, &mut simple, v));
        }
        "postUrl" => {
            pairs.push(("type".to_string(), Value::text("POST")));
            let body = it.next().unwrap_or(Value::Null);
            pairs.push((if body.as_text().is_some() { "body" } else { "parameters" }.to_string(), body));
            it.for_each(|v| rest(&mut pairs, &mut simple, v));
        }
        _ => {
            pairs.push(("type".to_string(), it.next().unwrap_or(Value::Null)));
            if let Some(params) = it.next().filter(|v| !v.is_null()) {
                pairs.push((if params.as_text().is_some() { "body" } else { "parameters" }.to_string(), params));
            }
            if let Some(headers) = it.next().filter(|v| !v.is_null()) {
                pairs.push(("headers".to_string(), headers));
            }
            if let Some(detailed) = it.next() {
                pairs.push(("detailed".to_string(), detailed));
            }
        }
    }
    if name == "invokeUrl" {
        // invokeurl's own answer: the body (parsed when JSON), or detailed when asked.
        return Ok((HttpRequest { pairs }, false));
    }
    if !simple {
        pairs.push(("detailed".to_string(), Value::Bool(true)));
    }
    Ok((HttpRequest { pairs }, simple))
}

/// A function returning a value of another type than it declares.
pub(crate) fn return_mismatch(function: &str, want: Ty, got: &Value) -> Error {
    let got = Ty::of(got).map_or("NULL", Ty::name);
    Error::runtime(format!(
        "Function '{function}' must return a value of data type {}, but returned a {got} value",
        want.name()
    ))
}

/// `Map()`, `Map(otherMap)`: a new map (a copy of the argument's entries).
fn map_ctor(vals: Vec<(Option<Value>, Value)>, span: Span) -> Result<Value> {
    match vals.as_slice() {
        // Room for a few keys: most maps get some, and are not rebuilt as they fill.
        [] => Ok(Value::map(new_map(4))),
        [(None, Value::Coll(c))] if c.is_map() => Ok(Value::map(c.map().map(|m| m.clone()).unwrap_or_default())),
        [(None, Value::Text(t))] => match crate::value::from_json(t) {
            Ok(v @ Value::Coll(_)) => Ok(v),
            _ => Err(Error::runtime("Map() needs a map or JSON text").with_span(span)),
        },
        _ => Err(builtins::arity_error("Map").with_span(span)),
    }
}

/// `List()`, `List(otherList)`, `List:String()`.
fn list_ctor(elem: Option<ElemType>, vals: Vec<(Option<Value>, Value)>) -> Result<Value> {
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
fn collection_ctor(vals: Vec<(Option<Value>, Value)>, span: Span) -> Result<Value> {
    let made = collection_values(vals, span)?;
    if let Value::Coll(c) = &made {
        c.borrow_mut().collection = true;
    }
    Ok(made)
}

fn collection_values(vals: Vec<(Option<Value>, Value)>, span: Span) -> Result<Value> {
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

/// The element type of `List:TYPE()`: one of Zoho's scalar type names (`Ty::declared`).
fn elem_type(name: &str) -> Option<ElemType> {
    Some(match Ty::declared(name)? {
        Ty::Text => ElemType::Text,
        Ty::Int => ElemType::Int,
        Ty::Dec => ElemType::Decimal,
        Ty::Bool => ElemType::Bool,
        Ty::Date => ElemType::Date,
        Ty::DateTime => ElemType::DateTime,
        _ => return None,
    })
}
