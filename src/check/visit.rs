//! Walks every expression of a block (statements nested in blocks included), for the checks
//! that look at expressions one by one whatever their order.

use crate::syntax::ast::{Arg, BlockPair, Expr, ExprKind, Stmt, StmtKind};

/// Call `f` on every expression in `stmts`, outer expressions before the ones inside them.
pub fn each_expr<'a>(stmts: &'a [Stmt], f: &mut impl FnMut(&'a Expr)) {
    for s in stmts {
        match &s.node {
            StmtKind::Assign { value, .. } | StmtKind::SetField { value, .. } => walk(value, f),
            StmtKind::Expr(e) | StmtKind::Info(e) | StmtKind::Return(Some(e)) => walk(e, f),
            StmtKind::If { branches, otherwise } => {
                for (cond, body) in branches {
                    walk(cond, f);
                    each_expr(body, f);
                }
                if let Some(body) = otherwise {
                    each_expr(body, f);
                }
            }
            StmtKind::ForEach { iter, body, .. } | StmtKind::ForIndex { iter, body, .. } => {
                walk(iter, f);
                each_expr(body, f);
            }
            StmtKind::Try { body, handler, .. } => {
                each_expr(body, f);
                each_expr(handler, f);
            }
            StmtKind::SendMail(pairs) => pairs.iter().for_each(|p| walk(&p.value, f)),
            StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::CreatorOnly(_) => {}
        }
    }
}

/// Call `f` on `e`, then on every expression inside it.
pub fn walk<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    f(e);
    children(e, &mut |c| walk(c, f));
}

/// The direct sub-expressions of `e`, in source order.
pub fn children<'a>(e: &'a Expr, f: &mut impl FnMut(&'a Expr)) {
    let args = |args: &'a [Arg], f: &mut dyn FnMut(&'a Expr)| {
        for a in args {
            if let Some(k) = &a.key {
                f(k);
            }
            f(&a.value);
        }
    };
    let pairs = |pairs: &'a [BlockPair], f: &mut dyn FnMut(&'a Expr)| pairs.iter().for_each(|p| f(&p.value));
    match &e.node {
        ExprKind::Lit(_) | ExprKind::Var(_) | ExprKind::EmptyCollection | ExprKind::ZohoValue(_) => {}
        ExprKind::List(items) => items.iter().for_each(&mut *f),
        ExprKind::Map(entries) => {
            for (k, v) in entries {
                f(k);
                f(v);
            }
        }
        ExprKind::Unary(_, x) => f(x),
        ExprKind::Binary(_, a, b) | ExprKind::IfNull(a, b) => {
            f(a);
            f(b);
        }
        ExprKind::IfElse(c, a, b) => {
            f(c);
            f(a);
            f(b);
        }
        ExprKind::Call { args: a, .. }
        | ExprKind::UserCall { args: a, .. }
        | ExprKind::TypedCtor { args: a, .. }
        | ExprKind::ZohoTask { args: a, .. } => args(a, f),
        ExprKind::Method { recv, args: a, .. } => {
            f(recv);
            args(a, f);
        }
        ExprKind::Field { recv, .. } => f(recv),
        ExprKind::Index { recv, index } => {
            f(recv);
            f(index);
        }
        ExprKind::InvokeUrl(p) | ExprKind::InvokeApi(p) => pairs(p, f),
        ExprKind::InsertInto { fields, .. } => fields.iter().for_each(|(_, v)| f(v)),
    }
}
