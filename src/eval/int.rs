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

/// An operand computed in place (no call): a variable, a constant, `variable * constant`,
/// `variable % constant`; or a nested node.
enum Leaf {
    Slot(usize),
    Const(i64),
    Scaled(usize, i64),
    Rem(usize, i64),
    Node(IFn),
}

#[inline(always)]
fn int_at(f: &Frame, s: usize) -> Option<i64> {
    match &f[s] {
        Some(Value::Int(n)) => Some(*n),
        _ => None,
    }
}

impl Leaf {
    #[inline(always)]
    fn get(&self, f: &Frame) -> Option<i64> {
        match self {
            Leaf::Slot(s) => int_at(f, *s),
            Leaf::Const(n) => Some(*n),
            Leaf::Scaled(s, k) => int_at(f, *s)?.checked_mul(*k),
            Leaf::Rem(s, k) => Some(int_at(f, *s)? % *k),
            Leaf::Node(g) => g(f),
        }
    }

    fn into_fn(self) -> IFn {
        match self {
            Leaf::Node(g) => g,
            leaf => ifn(move |f| leaf.get(f)),
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

fn int_op(op: BinOp) -> Option<IntOp> {
    Some(match op {
        BinOp::Add => IntOp::Add,
        BinOp::Sub => IntOp::Sub,
        BinOp::Mul => IntOp::Mul,
        BinOp::Mod => IntOp::Mod,
        _ => return None,
    })
}

impl Compiler<'_> {
    fn leaf(&self, e: &Expr) -> Option<Leaf> {
        let slot_const = |a: &Expr, b: &Expr| match (&a.node, &b.node) {
            (ExprKind::Var(v), ExprKind::Lit(Lit::Int(k))) => Some((v.slot as usize, *k)),
            _ => None,
        };
        Some(match &e.node {
            ExprKind::Var(v) => Leaf::Slot(v.slot as usize),
            ExprKind::Lit(Lit::Int(n)) => Leaf::Const(*n),
            ExprKind::Binary(BinOp::Mul, l, r) if slot_const(l, r).or_else(|| slot_const(r, l)).is_some() => {
                let (s, k) = slot_const(l, r).or_else(|| slot_const(r, l))?;
                Leaf::Scaled(s, k)
            }
            ExprKind::Binary(BinOp::Mod, l, r) if matches!(slot_const(l, r), Some((_, k)) if k > 0) => {
                let (s, k) = slot_const(l, r)?;
                Leaf::Rem(s, k)
            }
            _ => Leaf::Node(self.int_node(e)?),
        })
    }

    /// The integer version of `e`, when `e` is made only of variables, integer literals and
    /// `+ - * %` (and unary minus).
    pub(crate) fn int_expr(&self, e: &Expr) -> Option<IFn> {
        self.leaf(e).map(Leaf::into_fn)
    }

    fn int_node(&self, e: &Expr) -> Option<IFn> {
        match &e.node {
            ExprKind::Unary(UnOp::Neg, x) => {
                let x = self.leaf(x)?;
                Some(ifn(move |f| x.get(f)?.checked_neg()))
            }
            // `a + b - c + ...`: the left spine in one closure, in the order written (the
            // same intermediate results, so the same overflows, as the general path).
            ExprKind::Binary(BinOp::Add | BinOp::Sub, l, _)
                if matches!(l.node, ExprKind::Binary(BinOp::Add | BinOp::Sub, ..)) =>
            {
                let mut rest = Vec::new();
                let mut cur = e;
                while let ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub), l, r) = &cur.node {
                    rest.push((*op == BinOp::Sub, self.leaf(r)?));
                    cur = l;
                }
                let first = self.leaf(cur)?;
                rest.reverse();
                Some(ifn(move |f| {
                    let mut acc = first.get(f)?;
                    for (minus, t) in &rest {
                        let v = t.get(f)?;
                        acc = if *minus { acc.checked_sub(v)? } else { acc.checked_add(v)? };
                    }
                    Some(acc)
                }))
            }
            ExprKind::Binary(op, l, r) => {
                let op = int_op(*op)?;
                let (l, r) = (self.leaf(l)?, self.leaf(r)?);
                Some(ifn(move |f| apply(op, l.get(f)?, r.get(f)?)))
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
