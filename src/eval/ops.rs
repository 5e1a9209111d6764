//! Compiling operators. Each arithmetic or comparison node becomes one closure specialised
//! for its operator (a const parameter) and for the shape of each operand (a variable slot,
//! a constant, or another expression), so the common `i % 3 == 0` runs as a few direct reads
//! and one integer fast path, with Deluge's general rules (`value::ops`) as the fallback.

use super::code::{cfn, xfn, CFn, Compiler, XFn};
use super::{Frame, Interp};
use crate::error::Result;
use crate::syntax::ast::{BinOp, Expr, ExprKind, Lit, Span};
use crate::value::{arith, compare, contains_value, equals, type_error, write_text, ArithOp, Value};
use std::cmp::Ordering;
use std::ops::Deref;
use std::rc::Rc;

const ADD: u8 = 0;
const SUB: u8 = 1;
const MUL: u8 = 2;
const DIV: u8 = 3;
const MOD: u8 = 4;
const EQ: u8 = 5;
const NE: u8 = 6;
const LT: u8 = 7;
const LE: u8 = 8;
const GT: u8 = 9;
const GE: u8 = 10;

/// An operand read without cloning where it can be: a variable is borrowed from the frame,
/// a constant from the closure; only a computed value is owned.
trait Operand: 'static {
    type Out<'a>: Deref<Target = Value>;
    fn get<'a>(&'a self, cx: &mut Interp<'_>, f: &'a Frame) -> Result<Self::Out<'a>>;
}

pub(super) struct Slot {
    slot: usize,
    name: Rc<str>,
    span: Span,
}

impl Operand for Slot {
    type Out<'a> = Val<'a>;
    #[inline(always)]
    fn get<'a>(&'a self, cx: &mut Interp<'_>, f: &'a Frame) -> Result<Val<'a>> {
        match &f[self.slot] {
            Some(v) => Ok(Val::Ref(v)),
            None => cx.unset(&self.name, self.span).map(Val::Own),
        }
    }
}

pub(super) struct Const(Value);

impl Operand for Const {
    type Out<'a> = &'a Value;
    #[inline(always)]
    fn get<'a>(&'a self, _: &mut Interp<'_>, _: &'a Frame) -> Result<&'a Value> {
        Ok(&self.0)
    }
}

pub(super) struct Computed(XFn);

impl Operand for Computed {
    type Out<'a> = Val<'a>;
    #[inline(always)]
    fn get<'a>(&'a self, cx: &mut Interp<'_>, f: &'a Frame) -> Result<Val<'a>> {
        (self.0)(cx, f).map(Val::Own)
    }
}

/// A borrowed or owned operand value.
pub(super) enum Val<'a> {
    Ref(&'a Value),
    Own(Value),
}

impl Deref for Val<'_> {
    type Target = Value;
    #[inline(always)]
    fn deref(&self) -> &Value {
        match self {
            Val::Ref(v) => v,
            Val::Own(v) => v,
        }
    }
}

/// An operand before its shape is chosen.
pub(super) enum Shape {
    Slot(Slot),
    Const(Const),
    Computed(Computed),
}

impl Shape {
    #[inline(always)]
    pub(super) fn get<'a>(&'a self, cx: &mut Interp<'_>, f: &'a Frame) -> Result<Val<'a>> {
        match self {
            Shape::Slot(s) => s.get(cx, f),
            Shape::Const(c) => c.get(cx, f).map(Val::Ref),
            Shape::Computed(c) => c.get(cx, f),
        }
    }
}

/// Build `$make::<L, R, OP>(l, r, span)` for the operand shapes at hand.
macro_rules! by_shape {
    ($l:expr, $r:expr, $make:ident, $op:expr, $span:expr) => {
        match ($l, $r) {
            (Shape::Slot(a), Shape::Slot(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Slot(a), Shape::Const(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Slot(a), Shape::Computed(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Const(a), Shape::Slot(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Const(a), Shape::Const(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Const(a), Shape::Computed(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Computed(a), Shape::Slot(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Computed(a), Shape::Const(b)) => $make::<_, _, $op>(a, b, $span),
            (Shape::Computed(a), Shape::Computed(b)) => $make::<_, _, $op>(a, b, $span),
        }
    };
}

/// Integer arithmetic without overflow; `None` sends the operands to the general rules
/// (which report overflow, division by zero, or give a decimal for an inexact `/`).
#[inline(always)]
fn int_arith<const OP: u8>(a: i64, b: i64) -> Option<i64> {
    match OP {
        ADD => a.checked_add(b),
        SUB => a.checked_sub(b),
        MUL => a.checked_mul(b),
        MOD if b > 0 => Some(a % b),
        _ => None,
    }
}

fn arith_op(op: u8) -> ArithOp {
    match op {
        ADD => ArithOp::Add,
        SUB => ArithOp::Sub,
        MUL => ArithOp::Mul,
        DIV => ArithOp::Div,
        _ => ArithOp::Mod,
    }
}

fn arith_fn<L: Operand, R: Operand, const OP: u8>(l: L, r: R, span: Span) -> XFn {
    xfn(move |cx, f| {
        let a = l.get(cx, f)?;
        let b = r.get(cx, f)?;
        match (&*a, &*b) {
            (Value::Int(x), Value::Int(y)) => {
                if let Some(v) = int_arith::<OP>(*x, *y) {
                    return Ok(Value::Int(v));
                }
            }
            (Value::Text(_), _) | (_, Value::Text(_)) if OP == ADD => {
                // Joined in the reused buffer, then copied once into the new text.
                let mut buf = std::mem::take(&mut cx.scratch);
                buf.clear();
                push_text(&mut buf, &a);
                push_text(&mut buf, &b);
                let text = Value::text(&buf);
                cx.scratch = buf;
                return Ok(text);
            }
            _ => {}
        }
        arith(arith_op(OP), &a, &b).map_err(|e| e.with_span(span))
    })
}

#[inline(always)]
fn ordering_is<const OP: u8>(o: Ordering) -> bool {
    match OP {
        LT => o == Ordering::Less,
        LE => o != Ordering::Greater,
        GT => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

fn compare_fn<L: Operand, R: Operand, const OP: u8>(l: L, r: R, span: Span) -> CFn {
    cfn(move |cx, f| {
        let a = l.get(cx, f)?;
        let b = r.get(cx, f)?;
        if let (Value::Int(x), Value::Int(y)) = (&*a, &*b) {
            return Ok(match OP {
                EQ => x == y,
                NE => x != y,
                _ => ordering_is::<OP>(x.cmp(y)),
            });
        }
        match OP {
            EQ => Ok(equals(&a, &b)),
            NE => Ok(!equals(&a, &b)),
            _ => {
                let symbol = match OP {
                    LT => "<",
                    LE => "<=",
                    GT => ">",
                    _ => ">=",
                };
                compare(&a, &b, symbol).map(ordering_is::<OP>).map_err(|e| e.with_span(span))
            }
        }
    })
}

/// A boolean operand of `&&`/`||`: known to be boolean, or checked when it arrives.
enum Logic {
    Known(CFn),
    Checked(XFn),
}

impl Logic {
    /// The boolean, or the value that is not one.
    #[inline(always)]
    fn get(&self, cx: &mut Interp<'_>, f: &Frame) -> Result<std::result::Result<bool, Value>> {
        match self {
            Logic::Known(c) => c(cx, f).map(Ok),
            Logic::Checked(x) => x(cx, f).map(|v| match v {
                Value::Bool(b) => Ok(b),
                other => Err(other),
            }),
        }
    }
}

impl Compiler<'_> {
    pub(super) fn shape(&self, e: &Expr) -> Shape {
        match &e.node {
            ExprKind::Var(v) => Shape::Slot(Slot { slot: v.slot as usize, name: v.name.clone(), span: e.span }),
            ExprKind::Lit(Lit::Int(n)) => Shape::Const(Const(Value::Int(*n))),
            ExprKind::Lit(Lit::Dec(d)) => Shape::Const(Const(Value::Dec(*d))),
            ExprKind::Lit(Lit::Text(t)) => Shape::Const(Const(Value::Text(t.clone().into()))),
            _ => Shape::Computed(Computed(self.expr(e))),
        }
    }

    pub(crate) fn binary(&self, op: BinOp, l: &Expr, r: &Expr, whole: &Expr) -> XFn {
        let span = whole.span;
        match op {
            BinOp::Add if matches!(l.node, ExprKind::Binary(BinOp::Add, ..)) => self.add_chain(whole),
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
                let (a, b) = (self.shape(l), self.shape(r));
                match op {
                    BinOp::Add => by_shape!(a, b, arith_fn, ADD, span),
                    BinOp::Sub => by_shape!(a, b, arith_fn, SUB, span),
                    BinOp::Mul => by_shape!(a, b, arith_fn, MUL, span),
                    BinOp::Div => by_shape!(a, b, arith_fn, DIV, span),
                    _ => by_shape!(a, b, arith_fn, MOD, span),
                }
            }
            _ => {
                let c = self.known_bool(whole).expect("comparisons and logic give booleans");
                xfn(move |cx, f| c(cx, f).map(Value::Bool))
            }
        }
    }

    pub(crate) fn comparison(&self, op: BinOp, l: &Expr, r: &Expr, span: Span) -> CFn {
        match self.int_compare(op, l, r, span) {
            Some(c) => c,
            None => self.comparison_general(op, l, r, span),
        }
    }

    pub(crate) fn comparison_general(&self, op: BinOp, l: &Expr, r: &Expr, span: Span) -> CFn {
        let (a, b) = (self.shape(l), self.shape(r));
        match op {
            BinOp::Eq => by_shape!(a, b, compare_fn, EQ, span),
            BinOp::Ne => by_shape!(a, b, compare_fn, NE, span),
            BinOp::Lt => by_shape!(a, b, compare_fn, LT, span),
            BinOp::Le => by_shape!(a, b, compare_fn, LE, span),
            BinOp::Gt => by_shape!(a, b, compare_fn, GT, span),
            _ => by_shape!(a, b, compare_fn, GE, span),
        }
    }

    /// `x in c`
    pub(crate) fn membership(&self, l: &Expr, r: &Expr, span: Span) -> CFn {
        let (l, r) = (self.expr(l), self.expr(r));
        cfn(move |cx, f| {
            let x = l(cx, f)?;
            let c = r(cx, f)?;
            contains_value(&c, &x).map_err(|e| e.with_span(span))
        })
    }

    /// `&&` and `||`: both sides must be booleans; the right one is evaluated only when needed.
    pub(crate) fn logic(&self, op: BinOp, l: &Expr, r: &Expr, span: Span) -> CFn {
        let side = |e: &Expr| match self.known_bool(e) {
            Some(c) => Logic::Known(c),
            None => Logic::Checked(self.expr(e)),
        };
        let (l, r) = (side(l), side(r));
        let is_and = op == BinOp::And;
        cfn(move |cx, f| {
            let lb = match l.get(cx, f)? {
                Ok(b) => b,
                Err(lv) => return Err(type_error(&lv, &Value::Bool(true), op.symbol()).with_span(span)),
            };
            if lb != is_and {
                return Ok(lb);
            }
            match r.get(cx, f)? {
                Ok(rb) => Ok(rb),
                Err(rv) => Err(type_error(&Value::Bool(lb), &rv, op.symbol()).with_span(span)),
            }
        })
    }

    /// `a + b + c + ...`, left to right with the usual rules, except that once the running
    /// value is text every further operand is appended to one buffer: building a line of many
    /// pieces copies it once instead of once per `+`.
    fn add_chain(&self, whole: &Expr) -> XFn {
        // The operands left to right; `spans[k]` is the span of the `+` that adds operand k+1.
        let mut operands = Vec::new();
        let mut spans = Vec::new();
        let mut cur = whole;
        while let ExprKind::Binary(BinOp::Add, l, r) = &cur.node {
            operands.push(self.shape(r));
            spans.push(cur.span);
            cur = l;
        }
        operands.push(self.shape(cur));
        operands.reverse();
        spans.reverse();
        xfn(move |cx, f| {
            // Variables and constants are read in place: a text variable that starts the
            // chain (`line = line + ...`) is copied into the buffer, never cloned.
            let first = operands[0].get(cx, f)?;
            if let Value::Text(t) = &*first {
                return join_text(cx, f, t, &operands[1..]);
            }
            let mut acc = first.clone();
            drop(first);
            for (k, operand) in operands[1..].iter().enumerate() {
                let v = operand.get(cx, f)?;
                match (&acc, &*v) {
                    (Value::Int(a), Value::Int(b)) if a.checked_add(*b).is_some() => acc = Value::Int(a + b),
                    _ => acc = arith(ArithOp::Add, &acc, &v).map_err(|e| e.with_span(spans[k]))?,
                }
                match &acc {
                    Value::Text(t) if k + 2 < operands.len() => {
                        let t = t.clone();
                        return join_text(cx, f, &t, &operands[k + 2..]);
                    }
                    _ => {}
                }
            }
            Ok(acc)
        })
    }
}

/// `head` followed by each of `rest` as text, built in the interpreter's reused buffer.
fn join_text(cx: &mut Interp<'_>, f: &Frame, head: &str, rest: &[Shape]) -> Result<Value> {
    let mut buf = std::mem::take(&mut cx.scratch);
    buf.clear();
    buf.push_str(head);
    for operand in rest {
        match operand.get(cx, f) {
            Ok(v) => push_text(&mut buf, &v),
            Err(e) => {
                cx.scratch = buf;
                return Err(e);
            }
        }
    }
    let text = Value::text(&buf);
    cx.scratch = buf;
    Ok(text)
}

/// Append an operand to text being built by `+` (null adds nothing).
#[inline]
fn push_text(buf: &mut String, v: &Value) {
    if let Value::Text(t) = v {
        buf.push_str(t);
    } else if !v.is_null() {
        write_text(buf, v);
    }
}
