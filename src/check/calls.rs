//! Calls: unknown functions and methods (with a "did you mean" for near names), argument
//! counts of built-ins, constructors and the script's own functions, and `zoho.*` tasks dg
//! does not know.

use super::visit::each_expr;
use super::{Diagnostic, Findings};
use crate::builtins::{self, Builtin};
use crate::eval::{CREATOR_FUNCTIONS, WEB_FUNCTIONS};
use crate::integrations::scopes;
use crate::syntax::ast::{Arg, Body, Expr, ExprKind, Function, Span};
use crate::syntax::SourceFile;
use std::collections::HashMap;

/// The constructors callable by name.
const CONSTRUCTORS: &[&str] = &["Map", "List", "Collection"];

/// What calls can reach: the script's functions by lower-case short name.
pub struct Known<'a> {
    functions: HashMap<String, &'a Function>,
}

impl<'a> Known<'a> {
    pub fn new(functions: &'a [Function]) -> Known<'a> {
        let mut map = HashMap::new();
        for f in functions {
            map.entry(f.name.to_ascii_lowercase()).or_insert(f);
        }
        Known { functions: map }
    }
    /// A script function by name as called (`f`, `thisapp.ns.f`), case-insensitive.
    pub fn function(&self, name: &str) -> Option<&'a Function> {
        let short = name.rsplit('.').next().unwrap_or(name);
        self.functions.get(&short.to_ascii_lowercase()).copied()
    }
}

/// Check every call in a body. `creator` tells whether a receiver is Creator's: a form name
/// (`Form.Subform()` builds a row) or fetched records (`Form[criteria].count()`), whose methods
/// are Creator's own.
pub fn check_body(
    src: &SourceFile,
    body: &Body,
    known: &Known,
    creator: &dyn Fn(&Expr) -> Creator,
    out: &mut Findings,
) {
    each_expr(&body.stmts, &mut |e: &Expr| match &e.node {
        ExprKind::Call { name, args } => {
            let at = Span::new(e.span.start as usize, (e.span.start as usize + name.len()).min(e.span.end as usize));
            call(at, name, args, known, out)
        }
        ExprKind::UserCall { name, args } => match known.function(name) {
            Some(f) => script_arity(name_span(src, e.span, name), f, args, out),
            None => out.push(Diagnostic::warning(
                e.span,
                "unknown-function",
                format!("function '{name}' is not defined in this file (dg run cannot call it)"),
            )),
        },
        ExprKind::TypedCtor { kind, args, .. } if &**kind == "map" => ctor_arity(e.span, "Map", args, out),
        ExprKind::Method { recv, name, args } => {
            let at = method_name_span(src, recv.span, name).unwrap_or(e.span);
            match builtins::lookup(name) {
                Some(entries) => builtin_arity(at, name, entries, count(args), false, out),
                // A form's subform (`Form.Subform()`) is silent, unless the name is a near miss
                // of a built-in: then it is far more likely a typo on a variable never assigned.
                None => match creator(recv) {
                    Creator::Records => {}
                    Creator::Form => {
                        let hint = did_you_mean(name, builtins::names());
                        if !hint.is_empty() && !is_record_method(name) {
                            out.push(Diagnostic::warning(
                                at,
                                "unknown-method",
                                format!(
                                    "unknown method '{name}'{hint} (the receiver is never assigned, so only a \
                                     Creator form's subform row would fit, which dg run cannot build)"
                                ),
                            ))
                        }
                    }
                    Creator::No if is_not_in_dg(name) => out.push(not_in_dg(at, name)),
                    Creator::No => out.push(Diagnostic::error(
                        at,
                        "unknown-method",
                        format!("unknown method '{name}'{}", did_you_mean(name, builtins::names())),
                    )),
                },
            }
        }
        ExprKind::ZohoTask { path, args } => {
            let end = (e.span.start as usize + "zoho.".len() + path.len()).min(e.span.end as usize);
            task(Span::new(e.span.start as usize, end), path, args, out)
        }
        _ => {}
    });
}

/// `name(args)`: a script function, a constructor, a built-in, a Creator function.
fn call(span: Span, name: &str, args: &[Arg], known: &Known, out: &mut Findings) {
    if let Some(f) = known.function(name) {
        return script_arity(span, f, args, out);
    }
    if name.eq_ignore_ascii_case("map") {
        return ctor_arity(span, "Map", args, out);
    }
    if name.eq_ignore_ascii_case("list") || name.eq_ignore_ascii_case("collection") {
        return;
    }
    if let Some(entries) = builtins::lookup(name) {
        return builtin_arity(span, name, entries, count(args), true, out);
    }
    if CREATOR_FUNCTIONS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
        return;
    }
    if let Some(&(zoho, min, max)) = WEB_FUNCTIONS.iter().find(|w| w.0.eq_ignore_ascii_case(name)) {
        let n = count(args);
        if !(min..=max).contains(&n) {
            let message = format!("'{zoho}' takes {}, but {} given", takes(min, max), given(n));
            out.push(Diagnostic::error(span, "arity", message));
        }
        return;
    }
    if is_not_in_dg(name) {
        return out.push(not_in_dg(span, name));
    }
    let mut candidates: Vec<&str> = builtins::names().chain(CONSTRUCTORS.iter().copied()).collect();
    candidates.extend(known.functions.values().map(|f| &*f.name));
    out.push(Diagnostic::error(
        span,
        "unknown-function",
        format!("unknown function '{name}'{}", did_you_mean(name, candidates.into_iter())),
    ));
}

/// What a method's receiver is to Creator.
pub enum Creator {
    /// An ordinary value: its methods are dg's built-ins.
    No,
    /// Records fetched from a form (`Form[criteria]`, or a variable holding them).
    Records,
    /// A name never assigned: a Creator form, or a typo.
    Form,
}

/// Methods of Creator's fetched records (`rows.count()`), never typos of a built-in.
fn is_record_method(name: &str) -> bool {
    ["count", "getall", "sum", "avg", "average", "minimum", "maximum", "distinct", "delete"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(name))
}

fn is_not_in_dg(name: &str) -> bool {
    builtins::not_implemented(name).is_some()
}

fn not_in_dg(span: Span, name: &str) -> Diagnostic {
    let why = builtins::not_implemented(name).unwrap_or("");
    let message = builtins::not_implemented_message(name, why);
    Diagnostic::warning(span, "not-in-dg", format!("{message} (dg run would stop here)"))
}

/// Arguments as the interpreter passes them: a `key: value` argument passes two.
fn count(args: &[Arg]) -> usize {
    args.iter().map(|a| if a.key.is_some() { 2 } else { 1 }).sum()
}

/// `n` arguments to a built-in; as a function (`left(t, 2)`) the first is the receiver, and
/// the message counts it.
fn builtin_arity(span: Span, name: &str, entries: &[&Builtin], n: usize, function: bool, out: &mut Findings) {
    let after = if function { n.checked_sub(1) } else { Some(n) };
    if after.is_some_and(|a| entries.iter().any(|e| (e.min..=e.max).contains(&a))) {
        return;
    }
    let extra = usize::from(function);
    let min = entries.iter().map(|e| e.min).min().unwrap_or(0) + extra;
    let max = entries.iter().map(|e| e.max).max().unwrap_or(0) + extra;
    let zoho = entries.first().map_or(name, |e| e.name);
    let message = format!("'{zoho}' takes {}, but {} given", takes(min, max), given(n));
    out.push(Diagnostic::error(span, "arity", message));
}

fn script_arity(span: Span, f: &Function, args: &[Arg], out: &mut Findings) {
    let (want, n) = (f.params.len(), args.len());
    if want != n {
        let message = format!("'{}' takes {}, but {} given", f.name, takes(want, want), given(n));
        out.push(Diagnostic::error(span, "arity", message));
    }
}

fn ctor_arity(span: Span, name: &str, args: &[Arg], out: &mut Findings) {
    let n = count(args);
    if n > 1 {
        out.push(Diagnostic::error(span, "arity", format!("'{name}()' takes {}, but {} given", takes(0, 1), given(n))));
    }
}

fn takes(min: usize, max: usize) -> String {
    let noun = |n: usize| if n == 1 { "argument" } else { "arguments" };
    match (min, max) {
        (0, 0) => "no arguments".to_string(),
        (a, b) if a == b => format!("{a} {}", noun(a)),
        (a, b) if b == a + 1 => format!("{a} or {b} arguments"),
        (a, b) => format!("{a} to {b} arguments"),
    }
}

fn given(n: usize) -> String {
    match n {
        0 => "none was".to_string(),
        1 => "1 was".to_string(),
        n => format!("{n} were"),
    }
}

/// `zoho.encryption.*` tasks dg runs itself; other tasks must be ones dg can route.
fn task(span: Span, path: &str, args: &[Arg], out: &mut Findings) {
    let lower = path.to_ascii_lowercase();
    if let Some(name) = lower.strip_prefix("encryption.") {
        match builtins::encryption_task(name) {
            Some((zoho, min, max)) if !(min..=max).contains(&args.len()) => {
                let message =
                    format!("'zoho.encryption.{zoho}' takes {}, but {} given", takes(min, max), given(args.len()));
                out.push(Diagnostic::error(span, "arity", message));
            }
            Some(_) => {}
            None => out.push(Diagnostic::warning(
                span,
                "unknown-task",
                format!("zoho.{path} is not a task dg knows (dg run would stop here)"),
            )),
        }
    } else if scopes::task_scope(path, None).is_none() {
        out.push(Diagnostic::warning(
            span,
            "unknown-task",
            format!("zoho.{path} is not an integration task dg knows (dg run would stop here)"),
        ));
    }
}

pub use crate::builtins::did_you_mean;

/// The span of `name` in `recv.name(...)`: after the receiver, a `.` and the name.
fn method_name_span(src: &SourceFile, recv: Span, name: &str) -> Option<Span> {
    let text = src.text();
    let rest = text.get(recv.end as usize..)?;
    let after_dot = rest.trim_start().strip_prefix('.')?;
    let name_at = text.len() - after_dot.trim_start().len();
    text[name_at..].starts_with(name).then(|| Span::new(name_at, name_at + name.len()))
}

/// The span of the last `name` in `thisapp.ns.name(...)`.
fn name_span(src: &SourceFile, call: Span, name: &str) -> Span {
    let text = src.text().get(call.start as usize..call.end as usize).unwrap_or("");
    let open = text.find('(').unwrap_or(text.len());
    match text[..open].rfind(name) {
        Some(i) => Span::new(call.start as usize + i, call.start as usize + i + name.len()),
        None => call,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested() {
        assert_eq!(did_you_mean("sizee", builtins::names()), "; did you mean 'size'?");
        assert_eq!(did_you_mean("TOSTRNG", builtins::names()), "; did you mean 'toString'?");
        assert_eq!(did_you_mean("frobnicate", builtins::names()), "");
    }

    #[test]
    fn argument_counts_read_like_english() {
        assert_eq!(takes(0, 0), "no arguments");
        assert_eq!(takes(1, 1), "1 argument");
        assert_eq!(takes(1, 2), "1 or 2 arguments");
        assert_eq!(takes(0, 1), "0 or 1 arguments");
        assert_eq!(takes(0, 3), "0 to 3 arguments");
        assert_eq!(given(0), "none was");
        assert_eq!(given(3), "3 were");
    }
}
