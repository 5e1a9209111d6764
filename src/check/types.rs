//! Zoho's save-time type rules, by inference over one body: a variable given values of two
//! types, a typed parameter given an argument of another type, a function returning another
//! type than it declares, and a built-in method called on a receiver type it does not take.
//!
//! Inference is deliberately sure-footed: a type comes from literals, constructors, operators,
//! the built-ins' return-type table, script functions' declared types, task results and typed
//! parameters. Anything else (`m.get("k")`, an `invokeurl` answer) is unknown, and an unknown
//! type is never an error. Zoho's page: https://www.zoho.com/deluge/help/error-messages.html

use super::calls::Known;
use super::visit::each_expr;
use super::{Diagnostic, Findings};
use crate::builtins::{self, Recv};
use crate::syntax::ast::{AssignOp, BinOp, Body, Expr, ExprKind, Function, Lit, Stmt, StmtKind, UnOp};
use crate::value::time::{parse_moment, Moment};
use crate::value::types::Ty;

struct Infer<'a> {
    functions: &'a Known<'a>,
    /// Each slot's type, from its first assignment; `None` once it was first given an
    /// unknown type (then nothing is checked for it).
    slots: Vec<Option<Option<Ty>>>,
    function: Option<&'a Function>,
    out: &'a mut Findings,
}

pub fn check_body(body: &Body, function: Option<&Function>, functions: &Known, out: &mut Findings) {
    let mut cx = Infer { functions, slots: vec![None; body.slots.len()], function, out };
    for p in function.map_or(&[][..], |f| &f.params[..]) {
        if let Some(slot) = cx.slots.get_mut(p.var.slot as usize) {
            // A `string` parameter may hold anything (see `Ty::accepts`): unknown.
            *slot = Some(Ty::declared(&p.type_name).filter(|t| !matches!(t, Ty::Void | Ty::Text)));
        }
    }
    cx.block(&body.stmts);
    // Calls and methods anywhere, with the variable types known after the whole body.
    each_expr(&body.stmts, &mut |e: &Expr| cx.call_site(e));
}

impl Infer<'_> {
    fn block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.node {
            StmtKind::Assign { var, op: AssignOp::Set, value } => {
                let got = self.infer(value);
                let Some(slot) = self.slots.get_mut(var.slot as usize) else { return };
                match (*slot, got) {
                    (None, g) => *slot = Some(g),
                    (Some(Some(had)), Some(g)) if !same_kind(had, g) => {
                        self.out.push(Diagnostic::error(
                            s.span,
                            "type-change",
                            format!(
                                "Variable '{}' is already defined of data type {} but trying to update {} data type",
                                var.name,
                                had.name(),
                                g.name()
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            StmtKind::Return(Some(e)) => {
                let Some(f) = self.function else { return };
                let Some(want) = Ty::declared(&f.return_type).filter(|t| *t != Ty::Void) else { return };
                if let Some(got) = self.infer(e).filter(|g| !want.accepts(*g)) {
                    self.out.push(Diagnostic::error(
                        e.span,
                        "return-type",
                        format!(
                            "Function '{}' must return a value of data type {}, but returns a {} value",
                            f.name,
                            want.name(),
                            got.name()
                        ),
                    ));
                }
            }
            StmtKind::If { branches, otherwise } => {
                for (_, b) in branches {
                    self.block(b);
                }
                if let Some(b) = otherwise {
                    self.block(b);
                }
            }
            StmtKind::ForEach { var, body, .. } | StmtKind::ForIndex { var, body, .. } => {
                if let Some(slot) = self.slots.get_mut(var.slot as usize) {
                    slot.get_or_insert(None);
                }
                self.block(body);
            }
            StmtKind::Try { body, err, handler } => {
                if let Some(slot) = self.slots.get_mut(err.slot as usize) {
                    slot.get_or_insert(None);
                }
                self.block(body);
                self.block(handler);
            }
            _ => {}
        }
    }

    /// The type of an expression, when it is sure.
    fn infer(&self, e: &Expr) -> Option<Ty> {
        match &e.node {
            ExprKind::Lit(lit) => match lit {
                Lit::Null => None,
                Lit::Bool(_) => Some(Ty::Bool),
                Lit::Int(_) => Some(Ty::Int),
                Lit::Dec(_) => Some(Ty::Dec),
                Lit::Text(_) => Some(Ty::Text),
                Lit::DateText(t) => match parse_moment(t) {
                    Some(Moment::Date(_)) => Some(Ty::Date),
                    Some(Moment::DateTime(_)) => Some(Ty::DateTime),
                    None => Some(Ty::Text),
                },
            },
            ExprKind::Var(v) => self.slots.get(v.slot as usize).copied().flatten().flatten(),
            ExprKind::List(_) => Some(Ty::List),
            ExprKind::Map(_) => Some(Ty::Map),
            ExprKind::EmptyCollection => Some(Ty::Collection),
            ExprKind::Unary(UnOp::Not, _) => Some(Ty::Bool),
            ExprKind::Unary(_, x) => self.infer(x).filter(|t| matches!(t, Ty::Int | Ty::Dec)),
            ExprKind::Binary(op, a, b) => match op {
                BinOp::Or
                | BinOp::And
                | BinOp::Eq
                | BinOp::Ne
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::In => Some(Ty::Bool),
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Mod => {
                    let (a, b) = (self.infer(a)?, self.infer(b)?);
                    match (op, a, b) {
                        (BinOp::Add, Ty::Text, _) | (BinOp::Add, _, Ty::Text) => Some(Ty::Text),
                        (_, Ty::Int, Ty::Int) => Some(Ty::Int),
                        (_, Ty::Int | Ty::Dec, Ty::Int | Ty::Dec) => Some(Ty::Dec),
                        _ => None,
                    }
                }
                BinOp::Div => None,
            },
            ExprKind::TypedCtor { kind, .. } => Ty::declared(kind),
            ExprKind::Call { name, .. } => {
                if let Some(f) = self.functions.function(name) {
                    return Ty::declared(&f.return_type).filter(|t| *t != Ty::Void);
                }
                match name.to_ascii_lowercase().as_str() {
                    "map" => Some(Ty::Map),
                    "list" => Some(Ty::List),
                    _ if builtins::lookup(name).is_some() => builtins::return_type(name),
                    _ => None,
                }
            }
            ExprKind::UserCall { name, .. } => {
                let f = self.functions.function(name)?;
                Ty::declared(&f.return_type).filter(|t| *t != Ty::Void)
            }
            // Only on a receiver of known type: Zoho types `m.get("k").toDate()` as unknown.
            ExprKind::Method { recv, name, .. } if builtins::lookup(name).is_some() => {
                self.infer(recv)?;
                builtins::return_type(name)
            }
            ExprKind::ZohoTask { path, .. } => task_result(path),
            _ => None,
        }
    }

    /// Arguments of script functions against their typed parameters, and built-in methods
    /// against the receiver's type.
    fn call_site(&mut self, e: &Expr) {
        match &e.node {
            ExprKind::Call { name, args } | ExprKind::UserCall { name, args } => {
                let Some(f) = self.functions.function(name) else { return };
                if args.len() != f.params.len() {
                    return;
                }
                for (i, (p, a)) in f.params.iter().zip(args).enumerate() {
                    let Some(want) = Ty::declared(&p.type_name) else { continue };
                    if let Some(got) = self.infer(&a.value).filter(|g| !want.accepts(*g)) {
                        self.out.push(Diagnostic::error(
                            a.value.span,
                            "argument-type",
                            format!(
                                "Argument {} of function '{}' must be of data type {}, but a {} value is given \
                                 (parameter '{}')",
                                i + 1,
                                f.name,
                                want.name(),
                                got.name(),
                                p.var.name
                            ),
                        ));
                    }
                }
            }
            ExprKind::Method { recv, name, .. } => {
                let (Some(entries), Some(got)) = (builtins::lookup(name), self.infer(recv)) else { return };
                if !entries.iter().any(|b| recv_takes(b.recv, got)) {
                    let zoho = entries.first().map_or(&**name, |b| b.name);
                    self.out.push(Diagnostic::error(
                        e.span,
                        "receiver-type",
                        format!("The function '{zoho}' cannot be used on a value of type {}", got.name()),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Types a variable may move between without Zoho's save error: a number and a decimal, a date
/// and a date-time, an undecided collection and a list or a map.
fn same_kind(had: Ty, got: Ty) -> bool {
    use Ty::*;
    had == got
        || matches!(
            (had, got),
            (Int | Dec, Int | Dec) | (Date | DateTime, Date | DateTime) | (List | Map | Collection, Collection)
        )
        || (had == Collection && matches!(got, List | Map))
}

/// Whether a built-in's receiver kind takes a value of type `t`.
fn recv_takes(recv: Recv, t: Ty) -> bool {
    match recv {
        Recv::Any => true,
        Recv::Text => t == Ty::Text,
        Recv::Num => matches!(t, Ty::Int | Ty::Dec),
        Recv::List => matches!(t, Ty::List | Ty::Collection),
        Recv::Map => matches!(t, Ty::Map | Ty::Collection),
        Recv::Collection => t == Ty::Collection,
        Recv::Time => matches!(t, Ty::Date | Ty::DateTime),
        Recv::File => t == Ty::File,
    }
}

/// What an integration task answers, where every product documents one shape.
fn task_result(path: &str) -> Option<Ty> {
    let lower = path.to_ascii_lowercase();
    let task = lower.rsplit('.').next()?;
    if lower.starts_with("encryption.") {
        return Some(Ty::Text);
    }
    match task {
        "getrecordbyid" | "createrecord" | "updaterecord" => Some(Ty::Map),
        "getrecords" | "getrelatedrecords" | "searchrecords" => Some(Ty::List),
        _ => None,
    }
}
