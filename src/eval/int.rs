//! Integer speculation. An expression made only of variables, integer literals and `+ - * %`
//! is compiled a second time into closures that return `Option<i64>` in registers: no `Value`
//! is built, cloned or dropped. `None` (an operand that is not a number, an overflow, a `%`
//! by zero or less) sends the statement to its general closure, which evaluates it again with
//! Deluge's full rules and errors. Such expressions only read variables, so evaluating them
//! twice is invisible.

use super::code::{cfn, sfn, CFn, Compiler, SFn, XFn};
use super::{Flow, Frame};
use crate::syntax::ast::{BinOp, Expr, ExprKind, Lit, Span, UnOp};
use crate::value::Value;

/// A speculative integer expression.
pub(crate) type IFn = Box<dyn Fn(&Frame) -> Option<i64>>;

fn ifn(f: impl Fn(&Frame) -> Option<i64> + 'static) -> IFn {
    Box::new(f)
}

/// A leaf read in place (no call), or a nested node.
enum Leaf {
    Slot(usize),
    Const(i64),
    Node(IFn),
}

impl Leaf {
    #[inline(always)]
    fn get(&self, f: &Frame) -> Option<i64> {
        match self {
            Leaf::Slot(s) => match &f[*s] {
                Some(Value::Int(n)) => Some(*n),
                _ => None,
            },
            Leaf::Const(n) => Some(*n),
            Leaf::Node(g) => g(f),
        }
    }
}

#[derive(Clone, Copy)]
enum IntOp {
    Add,
    Sub,
    Mul,
    Mod,
}

#[inline(always)]
fn apply(op: IntOp, a: i64, b: i64) -> Option<i64> {
    match op {
        IntOp::Add => a.checked_add(b),
        IntOp::Sub => a.checked_sub(b),
        IntOp::Mul => a.checked_mul(b),
        IntOp::Mod if b > 0 => Some(a % b),
        IntOp::Mod => None,
    }
}

impl Compiler<'_> {
    fn leaf(&self, e: &Expr) -> Option<Leaf> {
        Some(match &e.node {
            ExprKind::Var(v) => Leaf::Slot(v.slot as usize),
            ExprKind::Lit(Lit::Int(n)) => Leaf::Const(*n),
            _ => Leaf::Node(self.int_expr(e)?),
        })
    }

    /// The integer version of `e`, when `e` is made only of variables, integer literals and
    /// `+ - * %` (and unary minus).
    pub(crate) fn int_expr(&self, e: &Expr) -> Option<IFn> {
        match &e.node {
            ExprKind::Var(v) => {
                let s = v.slot as usize;
                Some(ifn(move |f| match &f[s] {
                    Some(Value::Int(n)) => Some(*n),
                    _ => None,
                }))
            }
            ExprKind::Lit(Lit::Int(n)) => {
                let n = *n;
                Some(ifn(move |_| Some(n)))
            }
            ExprKind::Unary(UnOp::Neg, x) => {
                let x = self.leaf(x)?;
                Some(ifn(move |f| x.get(f)?.checked_neg()))
            }
            ExprKind::Binary(op, l, r) => {
                let op = match op {
                    BinOp::Add => IntOp::Add,
                    BinOp::Sub => IntOp::Sub,
                    BinOp::Mul => IntOp::Mul,
                    BinOp::Mod => IntOp::Mod,
                    _ => return None,
                };
                let (l, r) = (self.leaf(l)?, self.leaf(r)?);
                // The common shapes get their own closure, so their leaves are read directly.
                Some(match (l, r) {
                    (Leaf::Slot(a), Leaf::Const(b)) => ifn(move |f| match &f[a] {
                        Some(Value::Int(n)) => apply(op, *n, b),
                        _ => None,
                    }),
                    (Leaf::Node(a), Leaf::Const(b)) => ifn(move |f| apply(op, a(f)?, b)),
                    (Leaf::Node(a), Leaf::Slot(b)) => ifn(move |f| match &f[b] {
                        Some(Value::Int(n)) => apply(op, a(f)?, *n),
                        _ => None,
                    }),
                    (Leaf::Node(a), Leaf::Node(b)) => ifn(move |f| apply(op, a(f)?, b(f)?)),
                    (l, r) => ifn(move |f| apply(op, l.get(f)?, r.get(f)?)),
                })
            }
            _ => None,
        }
    }

    /// `slot = e` with `e` tried as integers first.
    pub(crate) fn int_assign(&self, slot: usize, value: &Expr) -> Option<SFn> {
        if matches!(value.node, ExprKind::Var(_) | ExprKind::Lit(_)) {
            return None;
        }
        let fast = self.int_expr(value)?;
        let general: XFn = self.expr(value);
        Some(sfn(move |cx, f| {
            let v = match fast(f) {
                Some(n) => {
                    if let Some(Value::Int(old)) = &mut f[slot] {
                        *old = n;
                        return Ok(Flow::Next);
                    }
                    Value::Int(n)
                }
                None => general(cx, f)?,
            };
            f[slot] = Some(v);
            Ok(Flow::Next)
        }))
    }

    /// `l OP r` on integers first, for a comparison in a condition.
    pub(crate) fn int_compare(&self, op: BinOp, l: &Expr, r: &Expr, span: Span) -> Option<CFn> {
        if matches!(l.node, ExprKind::Var(_) | ExprKind::Lit(_))
            && matches!(r.node, ExprKind::Var(_) | ExprKind::Lit(_))
        {
            // Already a direct read on both sides.
            return None;
        }
        let (a, b) = (self.leaf(l)?, self.leaf(r)?);
        let general = self.comparison_general(op, l, r, span);
        Some(cfn(move |cx, f| match (a.get(f), b.get(f)) {
            (Some(x), Some(y)) => Ok(match op {
                BinOp::Eq => x == y,
                BinOp::Ne => x != y,
                BinOp::Lt => x < y,
                BinOp::Le => x <= y,
                BinOp::Gt => x > y,
                _ => x >= y,
            }),
            _ => general(cx, f),
        }))
    }
}
