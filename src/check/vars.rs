//! Definite assignment, by a forward dataflow over one body: a read of a variable that no path
//! has assigned is an error, one that some paths leave unassigned a warning. Also unreachable
//! statements, `return` of a value from a `void` function, and `break`/`continue` outside a loop.
//!
//! Two sets flow through the statements: `must` (assigned on every path) and `may` (assigned
//! on some path). `if` branches meet by intersection (`must`) and union (`may`); a `for each`
//! body may run zero times; a `catch` block may start after any statement of its `try` block.

use super::visit::children;
use super::{Diagnostic, Findings};
use crate::builtins;
use crate::syntax::ast::{AssignOp, Block, BlockPair, Body, Expr, ExprKind, Function, Lit, Stmt, StmtKind, Var};

/// Keys of `invokeurl`/`sendmail` whose bare word is text (`type: GET`), as the interpreter reads them.
/// `invokeapi`'s `service: zohobilling` too.
const BARE_WORD_KEYS: &[&str] =
    &["type", "content type", "content-type", "response-format", "response-decoding", "service"];

/// Names that are system values when never assigned.
fn is_system_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("today") || name.eq_ignore_ascii_case("now")
}

/// A set of slots.
#[derive(Clone, Debug, PartialEq)]
pub struct Slots(Vec<u64>);

impl Slots {
    pub fn new(n: usize) -> Slots {
        Slots(vec![0; n.div_ceil(64)])
    }
    pub fn has(&self, slot: u32) -> bool {
        self.0.get(slot as usize / 64).is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }
    pub fn set(&mut self, slot: u32) {
        if let Some(w) = self.0.get_mut(slot as usize / 64) {
            *w |= 1 << (slot % 64);
        }
    }
    fn union(&mut self, other: &Slots) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }
    fn intersect(&mut self, other: &Slots) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }
}

/// The slots a block assigns anywhere: assignment targets, loop variables, `catch` variables.
pub fn assigned_in(stmts: &[Stmt], into: &mut Slots) {
    for s in stmts {
        match &s.node {
            StmtKind::Assign { var, .. } => into.set(var.slot),
            StmtKind::If { branches, otherwise } => {
                branches.iter().for_each(|(_, b)| assigned_in(b, into));
                if let Some(b) = otherwise {
                    assigned_in(b, into);
                }
            }
            StmtKind::ForEach { var, body, .. } | StmtKind::ForIndex { var, body, .. } => {
                into.set(var.slot);
                assigned_in(body, into);
            }
            StmtKind::Try { body, err, handler } => {
                into.set(err.slot);
                assigned_in(body, into);
                assigned_in(handler, into);
            }
            _ => {}
        }
    }
}

/// What the checker knows at one point of the body.
#[derive(Clone)]
struct State {
    must: Slots,
    may: Slots,
    /// Set once every path has left (`return`, `break`, `continue`): what left.
    dead: Option<&'static str>,
}

impl State {
    fn merge(states: Vec<State>) -> State {
        let mut live = states.iter().filter(|s| s.dead.is_none());
        let Some(first) = live.next() else {
            return states.into_iter().next().expect("at least one state");
        };
        let mut out = first.clone();
        for s in live {
            out.must.intersect(&s.must);
            out.may.union(&s.may);
        }
        out
    }
}

struct Walker<'a> {
    slots: usize,
    /// Slots assigned somewhere in the body (parameters included).
    anywhere: Slots,
    /// A top-level script body: a variable it never assigns is taken as an input.
    top_level: bool,
    /// The name of the `void` function being checked.
    void_fn: Option<&'a str>,
    loops: usize,
    /// Inside `Form[criteria]`.
    in_criteria: bool,
    inputs_reported: Slots,
    out: &'a mut Findings,
}

/// Check one body: the script's statements (`function` is `None`) or a function's.
pub fn check_body(body: &Body, function: Option<&Function>, out: &mut Findings) {
    let n = body.slots.len();
    let mut anywhere = Slots::new(n);
    assigned_in(&body.stmts, &mut anywhere);
    let mut start = State { must: Slots::new(n), may: Slots::new(n), dead: None };
    for p in function.map_or(&[][..], |f| &f.params[..]) {
        anywhere.set(p.var.slot);
        start.must.set(p.var.slot);
        start.may.set(p.var.slot);
    }
    let void_fn = function.filter(|f| f.return_type.eq_ignore_ascii_case("void")).map(|f| &*f.name);
    let mut w = Walker {
        slots: n,
        anywhere,
        top_level: function.is_none(),
        void_fn,
        loops: 0,
        in_criteria: false,
        inputs_reported: Slots::new(n),
        out,
    };
    w.block(&body.stmts, &mut start);
}

impl Walker<'_> {
    fn block(&mut self, stmts: &Block, st: &mut State) {
        let entry_dead = st.dead.is_some();
        let mut reported = false;
        for s in stmts {
            if let (Some(after), false, false) = (st.dead, entry_dead, reported) {
                self.out.push(Diagnostic::warning(
                    s.span,
                    "unreachable",
                    format!("unreachable code: it comes after '{after}'"),
                ));
                reported = true;
            }
            self.stmt(s, st);
        }
    }

    fn stmt(&mut self, s: &Stmt, st: &mut State) {
        match &s.node {
            StmtKind::Assign { var, op, value } => {
                self.expr(value, st);
                if *op != AssignOp::Set {
                    self.read(var, s, st);
                }
                st.must.set(var.slot);
                st.may.set(var.slot);
            }
            StmtKind::SetField { var, value, .. } => {
                self.expr(value, st);
                self.read(var, s, st);
            }
            StmtKind::Expr(e) | StmtKind::Info(e) => self.expr(e, st),
            StmtKind::If { branches, otherwise } => {
                let mut outs = Vec::with_capacity(branches.len() + 1);
                for (cond, body) in branches {
                    self.expr(cond, st);
                    let mut b = st.clone();
                    self.block(body, &mut b);
                    outs.push(b);
                    // `if (true)`: the branch always runs, nothing falls through.
                    if matches!(cond.node, ExprKind::Lit(Lit::Bool(true))) {
                        *st = State::merge(outs);
                        return;
                    }
                }
                match otherwise {
                    Some(body) => {
                        let mut b = st.clone();
                        self.block(body, &mut b);
                        outs.push(b);
                    }
                    None => outs.push(st.clone()),
                }
                *st = State::merge(outs);
            }
            StmtKind::ForEach { var, iter, body } | StmtKind::ForIndex { var, iter, body } => {
                self.expr(iter, st);
                // Later rounds may see what earlier rounds assigned.
                let mut assigned = Slots::new(self.slots);
                assigned_in(body, &mut assigned);
                assigned.set(var.slot);
                let mut b = st.clone();
                b.must.set(var.slot);
                b.may.union(&assigned);
                self.loops += 1;
                self.block(body, &mut b);
                self.loops -= 1;
                st.may.union(&assigned);
            }
            StmtKind::Try { body, err, handler } => {
                let mut b = st.clone();
                self.block(body, &mut b);
                // The handler may start after any statement of the body.
                let mut h = st.clone();
                assigned_in(body, &mut h.may);
                h.must.set(err.slot);
                h.may.set(err.slot);
                self.block(handler, &mut h);
                *st = State::merge(vec![b, h]);
            }
            StmtKind::Return(value) => {
                if let Some(e) = value {
                    self.expr(e, st);
                    if let Some(name) = self.void_fn {
                        self.out.push(Diagnostic::error(
                            s.span,
                            "void-return",
                            format!("'{name}' is a void function: it cannot return a value"),
                        ));
                    }
                }
                st.dead.get_or_insert("return");
            }
            StmtKind::Break | StmtKind::Continue => {
                let word = if matches!(s.node, StmtKind::Break) { "break" } else { "continue" };
                if self.loops == 0 {
                    self.out.push(Diagnostic::error(
                        s.span,
                        "outside-loop",
                        format!("'{word}' outside a loop: it must be inside 'for each'"),
                    ));
                }
                st.dead.get_or_insert(word);
            }
            StmtKind::SendMail(pairs) => self.pairs(pairs, st),
            StmtKind::CreatorOnly(_) => {}
        }
    }

    fn pairs(&mut self, pairs: &[BlockPair], st: &mut State) {
        for p in pairs {
            if let ExprKind::Var(v) = &p.value.node {
                if BARE_WORD_KEYS.contains(&&*p.key) && !st.must.has(v.slot) {
                    continue;
                }
            }
            self.expr(&p.value, st);
        }
    }

    fn expr(&mut self, e: &Expr, st: &mut State) {
        match &e.node {
            ExprKind::Var(v) => self.read(v, e, st),
            // Creator: `Form.Subform()` builds a row; the form is a name, not a variable.
            ExprKind::Method { recv, name, args } if self.is_form(recv) && builtins::lookup(name).is_none() => {
                args.iter().for_each(|a| {
                    if let Some(k) = &a.key {
                        self.expr(k, st);
                    }
                    self.expr(&a.value, st);
                });
            }
            // `Form[criteria]`: the form is a name, and so is a field in the criteria that the
            // body never assigns (`Orders[Status == "Open"]`).
            ExprKind::Index { recv, index } => {
                if !matches!(recv.node, ExprKind::Var(_)) {
                    self.expr(recv, st);
                }
                let outer = std::mem::replace(&mut self.in_criteria, true);
                self.expr(index, st);
                self.in_criteria = outer;
            }
            // `Form[criteria].count(ID)`: the arguments of a method on fetched records are fields.
            ExprKind::Method { recv, .. } if matches!(super::creator_root(recv).node, ExprKind::Index { .. }) => {
                let outer = std::mem::replace(&mut self.in_criteria, true);
                children(e, &mut |c| self.expr(c, st));
                self.in_criteria = outer;
            }
            ExprKind::InvokeUrl(pairs) | ExprKind::InvokeApi(pairs) => self.pairs(pairs, st),
            _ => children(e, &mut |c| self.expr(c, st)),
        }
    }

    fn is_form(&self, recv: &Expr) -> bool {
        matches!(&recv.node, ExprKind::Var(v) if !self.anywhere.has(v.slot))
    }

    fn read(&mut self, var: &Var, at: &crate::syntax::ast::Spanned<impl Sized>, st: &mut State) {
        if st.dead.is_some() || st.must.has(var.slot) || (self.in_criteria && !self.anywhere.has(var.slot)) {
            return;
        }
        let name = &var.name;
        if !st.may.has(var.slot) && is_system_name(name) {
            return;
        }
        if !self.anywhere.has(var.slot) {
            if !self.top_level {
                self.out.push(Diagnostic::error(at.span, "unassigned", format!("variable '{name}' is never assigned")));
            } else if !self.inputs_reported.has(var.slot) {
                self.inputs_reported.set(var.slot);
                self.out.push(Diagnostic::warning(
                    at.span,
                    "input",
                    format!("variable '{name}' is never assigned: taken to be an input (dg run --arg {name}=VALUE)"),
                ));
            }
        } else if !st.may.has(var.slot) {
            self.out.push(Diagnostic::error(
                at.span,
                "unassigned",
                format!("variable '{name}' is used before any assignment"),
            ));
        } else {
            self.out.push(Diagnostic::warning(
                at.span,
                "maybe-unassigned",
                format!("variable '{name}' may be used before assignment: not every path assigns it"),
            ));
        }
        // Once reported, the variable counts as assigned on this path: no cascade.
        st.must.set(var.slot);
        st.may.set(var.slot);
    }
}
