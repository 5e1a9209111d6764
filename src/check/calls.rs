//! Calls: unknown functions and methods (with a "did you mean" for near names), argument
//! counts of built-ins, constructors and the script's own functions, and `zoho.*` tasks dg
//! does not know.

use super::visit::each_expr;
use super::{Diagnostic, Findings};
use crate::builtins::{self, Builtin};
use crate::eval::{CREATOR_FUNCTIONS, WEB_FUNCTIONS};
use crate::syntax::ast::{Arg, Body, Expr, ExprKind, Function, Span};
use crate::syntax::SourceFile;
use crate::value::Value;
use crate::zoho::tasks;
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
    } else {
        match tasks::lookup(path) {
            None => {
                let product = lower.split('.').next().unwrap_or_default();
                let names: Vec<&str> = tasks::of_product(product).map(|t| t.name()).collect();
                let hint = did_you_mean(path.rsplit('.').next().unwrap_or(path), names.iter().copied());
                out.push(Diagnostic::warning(
                    span,
                    "unknown-task",
                    format!("zoho.{path} is not an integration task dg knows (dg run would stop here){hint}"),
                ))
            }
            Some(t) if args.len() < t.required() || args.len() > t.max_args() => {
                let message = format!(
                    "'{}' takes {}, but {} given: {}",
                    t.full_name(),
                    takes(t.required(), t.max_args()),
                    given(args.len()),
                    t.signature()
                );
                out.push(Diagnostic::error(span, "arity", message));
            }
            Some(t) => {
                // A literal of the wrong type: most often a connection given before the
                // optional arguments it must follow.
                let last = args.last().and_then(|a| literal_value(&a.value));
                let data = args.len() - usize::from(t.connection_at(args.len(), last.as_ref()).is_some());
                for (i, (p, a)) in t.params.iter().zip(&args[..data]).enumerate() {
                    let Some(v) = literal_value(&a.value) else { continue };
                    if !p.kind.accepts(&v) {
                        let hint = match v {
                            Value::Text(_) if p.optional => format!(
                                "; a connection goes after all {} arguments (pass {} for '{}')",
                                t.params.len(),
                                if p.kind == tasks::Kind::Map { "{}" } else { "null" },
                                p.name
                            ),
                            _ => String::new(),
                        };
                        let message = format!(
                            "'{}' argument {} ({}) must be {}, not {}{hint}",
                            t.full_name(),
                            i + 1,
                            p.name,
                            p.kind.name(),
                            v.type_name()
                        );
                        out.push(Diagnostic::error(a.value.span, "argument-type", message));
                    }
                }
            }
        }
    }
}

/// The value of a literal argument (its type is what counts), `None` for other expressions.
fn literal_value(e: &Expr) -> Option<Value> {
    use crate::syntax::ast::Lit;
    Some(match &e.node {
        ExprKind::Lit(Lit::Text(t)) => Value::text(t),
        ExprKind::Lit(Lit::Int(n)) => Value::Int(*n),
        ExprKind::Lit(Lit::Dec(d)) => Value::Dec(*d),
        ExprKind::Lit(Lit::Bool(b)) => Value::Bool(*b),
        ExprKind::Map(_) => Value::map(crate::value::new_map(0)),
        ExprKind::List(_) => Value::list(Vec::new()),
        _ => return None,
    })
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

    /// `dg check` and `dg run` read the same rows: every task, called with its required
    /// arguments (and with all of them and a connection), passes the check and builds its
    /// request; one argument too many is an arity error in both.
    #[test]
    fn check_and_run_agree_on_every_task() {
        use crate::zoho::tasks::{self, Kind};
        let sample = |k: Kind| match k {
            Kind::Text | Kind::Any => ("\"Leads\"", Value::text("Leads")),
            Kind::Number => ("7", Value::Int(7)),
            Kind::Map => ("{\"a\": 1}", Value::map(crate::value::new_map(0))),
            Kind::List => ("{1, 2}", Value::list(vec![Value::Int(1)])),
            Kind::File => ("x", Value::Null),
        };
        for t in tasks::all() {
            for n in [t.required(), t.params.len()] {
                let mut texts: Vec<&str> = Vec::new();
                let mut values: Vec<Value> = Vec::new();
                for p in &t.params[..n] {
                    let (text, v) = sample(p.kind);
                    texts.push(text);
                    values.push(v);
                }
                // With fewer than all arguments, a text after them is the next argument when
                // that one takes text (Books' `search`): only a full call is sure to end in one.
                for with_conn in [false, n == t.params.len()] {
                    let mut texts = texts.clone();
                    let mut values = values.clone();
                    if with_conn {
                        texts.push("\"conn\"");
                        values.push(Value::text("conn"));
                    }
                    let script =
                        format!("x = \"a\".toFile(\"a.txt\");\nr = {}({});\n", t.full_name(), texts.join(", "));
                    let src = SourceFile::new("t.dg", script.clone());
                    let report = crate::check::check(&[src], &crate::check::Options::default());
                    let codes: Vec<String> = report.files[0]
                        .diagnostics
                        .iter()
                        .filter(|d| ["unknown-task", "arity", "argument-type"].contains(&d.diagnostic.code))
                        .map(|d| d.diagnostic.message.clone())
                        .collect();
                    assert!(codes.is_empty(), "{script}: {codes:?}");
                    let (data, conn) = tasks::split_args(t, &values).unwrap_or_else(|e| panic!("{script}: {e}"));
                    assert_eq!(conn.is_some(), with_conn, "{script}");
                    if t.params.iter().all(|p| p.kind != Kind::File) {
                        tasks::request(t, data, "https://www.zohoapis.com", "conn")
                            .unwrap_or_else(|e| panic!("{script}: {e}"));
                    }
                }
            }
            let too_many: Vec<&str> = vec!["null"; t.max_args() + 1];
            let script = format!("r = {}({});\n", t.full_name(), too_many.join(", "));
            let report =
                crate::check::check(&[SourceFile::new("t.dg", script.clone())], &crate::check::Options::default());
            assert!(report.files[0].diagnostics.iter().any(|d| d.diagnostic.code == "arity"), "{script}");
            assert!(tasks::split_args(t, &vec![Value::Null; t.max_args() + 1]).is_err(), "{script}");
        }
    }
}
