//! `dg check`: static checks that run nothing. Every syntax error (with recovery), unknown
//! functions and methods, argument counts, variables read before assignment, unreachable code,
//! and the scopes each connection must grant; rendered as text or one JSON document.

mod calls;
pub use calls::did_you_mean;
mod output;
pub(crate) mod recover;
mod scopes;
mod types;
mod vars;
pub(crate) mod visit;

pub use scopes::Usage;

use crate::error::Error;
use crate::syntax::ast::{Body, Expr, ExprKind, Function, Stmt, StmtKind};
use crate::syntax::{Script, SourceFile, Span};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: where, how bad, a stable code (`unknown-method`) and the message.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn error(span: Span, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, span, code, message: message.into() }
    }
    pub fn warning(span: Span, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, span, code, message: message.into() }
    }
}

pub type Findings = Vec<Diagnostic>;

/// What to check.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// Only parse (`--syntax`).
    pub syntax_only: bool,
    /// `--connections PATH`; otherwise the file `dg run` would use.
    pub connections: Option<PathBuf>,
    /// Reads the connections file (the CLI's; `None`: no file, nothing is declared).
    pub load: Option<scopes::LoadConnections>,
}

/// The findings of one file, sorted by position, with 1-based line/column of start and end.
pub struct FileReport {
    pub name: String,
    pub diagnostics: Vec<Located>,
    pub syntax_errors: usize,
}

pub struct Located {
    pub diagnostic: Diagnostic,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

/// Everything `dg check` found.
pub struct Report {
    pub files: Vec<FileReport>,
    /// What the scripts need from each connection, by link name.
    pub connections: BTreeMap<String, Usage>,
    /// The connections file could not be read.
    pub config_error: Option<Error>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.files.iter().flat_map(|f| &f.diagnostics).filter(|d| d.diagnostic.severity == severity).count()
    }
    /// 2 when a file does not parse (or the connections file is broken), 1 on other errors.
    pub fn exit_code(&self) -> i32 {
        if self.config_error.is_some() || self.files.iter().any(|f| f.syntax_errors > 0) {
            2
        } else if self.count(Severity::Error) > 0 {
            1
        } else {
            0
        }
    }
    pub fn text(&self) -> String {
        output::text(self)
    }
    pub fn json(&self) -> String {
        output::json(self)
    }
}

/// Check files that are already read.
pub fn check(sources: &[SourceFile], options: &Options) -> Report {
    let mut conns = scopes::Connections::new(options.connections.clone(), options.load);
    let mut files = Vec::with_capacity(sources.len());
    for src in sources {
        let (script, syntax) = recover::parse_all(src);
        let mut found: Findings =
            syntax.iter().map(|e| Diagnostic::error(e.span, "syntax", e.message.clone())).collect();
        if let (Some(script), false) = (&script, options.syntax_only) {
            check_script(src, script, &mut conns, &mut found);
        }
        found.sort_by_key(|d| (d.span.start, d.severity));
        let diagnostics = found
            .into_iter()
            .map(|d| {
                let start = src.line_col(d.span.start as usize);
                let end = src.line_col(d.span.end.max(d.span.start) as usize);
                Located { diagnostic: d, start, end }
            })
            .collect();
        files.push(FileReport { name: src.name().to_string(), diagnostics, syntax_errors: syntax.len() });
    }
    let config_error = conns.error().cloned();
    Report { files, connections: conns.usage, config_error }
}

/// For the language server: every finding of one file, sorted by position. With syntax
/// errors, the rest of the file (the failing statements blanked out) is checked too, less
/// the findings about variables and reachability that the blanked statements would falsify.
pub fn check_recovering(src: &SourceFile, options: &Options) -> Findings {
    let (rest, syntax) = recover::parse_rest(src);
    let mut found: Findings = syntax.iter().map(|e| Diagnostic::error(e.span, "syntax", e.message.clone())).collect();
    if let (Some((text, script)), false) = (rest, options.syntax_only) {
        let mut conns = scopes::Connections::new(options.connections.clone(), options.load);
        let mut more = Findings::new();
        check_script(&text, &script, &mut conns, &mut more);
        let falsified = ["unassigned", "maybe-unassigned", "unreachable"];
        found.extend(more.into_iter().filter(|d| syntax.is_empty() || !falsified.contains(&d.code)));
    }
    found.sort_by_key(|d| (d.span.start, d.severity));
    found
}

fn check_script(src: &SourceFile, script: &Script, conns: &mut scopes::Connections, out: &mut Findings) {
    let known = calls::Known::new(&script.functions);
    if script.functions.is_empty() {
        check_body(src, &script.main, None, &known, conns, out);
        types::check_body(&script.main, None, &known, out);
    }
    for f in &script.functions {
        check_body(src, &f.body, Some(f), &known, conns, out);
        types::check_body(&f.body, Some(f), &known, out);
    }
}

/// The expression a chain of methods and fields starts from (`Form[c].ID.getAll()` -> `Form[c]`).
pub(crate) fn creator_root(mut e: &Expr) -> &Expr {
    while let ExprKind::Method { recv, .. } | ExprKind::Field { recv, .. } = &e.node {
        e = recv;
    }
    e
}

/// Variables assigned Creator records (`rows = Form[criteria];`).
fn creator_records(body: &Body) -> vars::Slots {
    let mut records = vars::Slots::new(body.slots.len());
    fn walk(stmts: &[Stmt], records: &mut vars::Slots) {
        for s in stmts {
            match &s.node {
                StmtKind::Assign { var, value, .. } => {
                    if matches!(creator_root(value).node, ExprKind::Index { .. }) {
                        records.set(var.slot);
                    }
                }
                StmtKind::If { branches, otherwise } => {
                    branches.iter().for_each(|(_, b)| walk(b, records));
                    if let Some(b) = otherwise {
                        walk(b, records);
                    }
                }
                StmtKind::ForEach { var, iter, body } => {
                    if matches!(creator_root(iter).node, ExprKind::Index { .. }) {
                        records.set(var.slot);
                    }
                    walk(body, records);
                }
                StmtKind::ForIndex { body, .. } => walk(body, records),
                StmtKind::Try { body, handler, .. } => {
                    walk(body, records);
                    walk(handler, records);
                }
                _ => {}
            }
        }
    }
    walk(&body.stmts, &mut records);
    records
}

fn check_body(
    src: &SourceFile,
    body: &Body,
    function: Option<&Function>,
    known: &calls::Known,
    conns: &mut scopes::Connections,
    out: &mut Findings,
) {
    vars::check_body(body, function, out);
    let mut assigned = vars::Slots::new(body.slots.len());
    vars::assigned_in(&body.stmts, &mut assigned);
    for p in function.map_or(&[][..], |f| &f.params[..]) {
        assigned.set(p.var.slot);
    }
    let records = creator_records(body);
    let creator = |recv: &Expr| match &creator_root(recv).node {
        ExprKind::Index { .. } => calls::Creator::Records,
        ExprKind::Var(v) if records.has(v.slot) => calls::Creator::Records,
        ExprKind::Var(v) if !assigned.has(v.slot) => calls::Creator::Form,
        _ => calls::Creator::No,
    };
    calls::check_body(src, body, known, &creator, out);
    conns.check_body(body, out);
}
