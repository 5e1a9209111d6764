//! Connections and scopes: for each `zoho.*` task and `invokeurl` naming a connection by a
//! literal, the scope it needs (the same rules `dg run` applies) and whether the declared
//! connection grants it. Nothing touches the network; the connections file is read once, the
//! first time a script names a connection.

use super::visit::each_expr;
use super::{Diagnostic, Findings};
use crate::error::Error;
use crate::syntax::ast::{Arg, AssignOp, BinOp, BlockPair, Body, Expr, ExprKind, Lit, Span, StmtKind};
use crate::zoho::connections::ConnectionsFile;
use crate::zoho::{catalog, scopes, tasks};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// What the scripts need from one connection.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Usage {
    /// The service: the declared connection's, else the one the URL or task points to.
    pub service: Option<String>,
    pub declared: bool,
    /// Scopes needed, in the order first met.
    pub needed: Vec<String>,
    /// Needed scopes the connection does not grant (all of them when it is not declared).
    pub missing: Vec<String>,
}

/// Reads the connections file: `--connections PATH`, or the one `dg run` would use.
pub type LoadConnections = fn(Option<&std::path::Path>) -> Result<ConnectionsFile, Error>;

/// The connections file (read on first use) and what the scripts need, by link name.
pub struct Connections {
    explicit: Option<PathBuf>,
    load: Option<LoadConnections>,
    file: Option<Result<ConnectionsFile, Error>>,
    pub usage: BTreeMap<String, Usage>,
}

impl Connections {
    pub fn new(explicit: Option<PathBuf>, load: Option<LoadConnections>) -> Connections {
        Connections { explicit, load, file: None, usage: BTreeMap::new() }
    }

    /// The connections file could not be read: the error (reported once, by the caller).
    pub fn error(&self) -> Option<&Error> {
        self.file.as_ref().and_then(|r| r.as_ref().err())
    }

    fn file(&mut self) -> Option<&ConnectionsFile> {
        let (explicit, load) = (self.explicit.as_deref(), self.load);
        self.file
            .get_or_insert_with(|| match load {
                Some(load) => load(explicit),
                None => Ok(ConnectionsFile::default()),
            })
            .as_ref()
            .ok()
    }

    /// Check every task and invokeurl of a body.
    pub fn check_body(&mut self, body: &Body, out: &mut Findings) {
        let consts = constants(body);
        each_expr(&body.stmts, &mut |e: &Expr| match &e.node {
            ExprKind::ZohoTask { path, args } => self.task(e.span, path, args, &consts, out),
            ExprKind::InvokeUrl(pairs) => self.invoke(e.span, pairs, &consts, out),
            _ => {}
        });
    }

    fn task(&mut self, span: Span, path: &str, args: &[Arg], consts: &Consts, out: &mut Findings) {
        let Some(t) = tasks::lookup(path) else { return };
        let service = t.product.service;
        let Some(file) = self.file() else { return };
        // The connection is the argument after the task's signature, by position; without it
        // (or with `""`), the service's system connection is used.
        let last = args.last().and_then(|a| text_of(&a.value, consts)).map(crate::value::Value::from_string);
        let given = if t.connection_at(args.len(), last.as_ref()).is_some() || args.len() == t.max_args() {
            match text_of(&args[args.len() - 1].value, consts) {
                Some(link) => Some(link),
                // A connection that is not a literal: known only when the script runs.
                None => return,
            }
        } else {
            None
        };
        let data = if given.is_some() { args.len() - 1 } else { args.len().min(t.params.len()) };
        let link = match given.filter(|l| !l.is_empty()) {
            Some(link) => link,
            None => match file.system_connection(service) {
                Some(c) => c.link.clone(),
                None => return,
            },
        };
        let texts: Vec<Option<String>> = args[..data].iter().map(|a| text_of(&a.value, consts)).collect();
        let needed = match t.module_arg() {
            // A module that is not a literal: its scope is known only when the script runs.
            Some(i) if i < data && texts[i].is_none() => None,
            _ => Some(t.scope(&texts)),
        };
        self.record(span, &link, Some(service.to_string()), needed, &format!("zoho.{path}"), out);
    }

    fn invoke(&mut self, span: Span, pairs: &[BlockPair], consts: &Consts, out: &mut Findings) {
        let get = |key: &str| pairs.iter().find(|p| &*p.key == key).map(|p| &p.value);
        let Some(link) = get("connection").and_then(|v| text_of(v, consts)).filter(|l| !l.is_empty()) else {
            return;
        };
        let method = match get("type") {
            None => Some("GET".to_string()),
            Some(e) => text_of(e, consts).or_else(|| match &e.node {
                ExprKind::Var(v) => Some(v.name.to_string()),
                _ => None,
            }),
        }
        .map(|m| m.to_ascii_uppercase())
        .filter(|m| ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&m.as_str()));
        let url = get("url").and_then(|u| prefix_of(u, consts, 0)).and_then(|(p, whole)| url_for_scope(&p, whole));
        let Some(file) = self.file() else { return };
        let (service, needed) = match file.connections.get(&link) {
            Some(conn) => {
                let service = file.service_of(conn).ok();
                let needed = match (&service, &method, &url) {
                    (Some(s), Some(m), Some((u, _))) => scopes::scope_for_request(s, m, u),
                    _ => None,
                };
                (Some(conn.service_id.clone()), needed)
            }
            None => match (&method, &url) {
                // Not declared: the service whose hosts and URL rules the URL matches.
                (Some(m), Some((u, _))) => catalog::services()
                    .iter()
                    .filter(|s| !s.hosts.is_empty())
                    .find_map(|s| scopes::scope_for_request(s, m, u).map(|scope| (Some(s.id.clone()), Some(scope))))
                    .unwrap_or((None, None)),
                _ => (None, None),
            },
        };
        let what = match (&method, &url) {
            (Some(m), Some((u, shown))) => {
                format!("invokeurl {m} {}", if *shown { u.clone() } else { format!("{u}...") })
            }
            _ => "invokeurl".to_string(),
        };
        self.record(span, &link, service, needed, &what, out);
    }

    /// Note what `what` needs from connection `link`, and report a scope it lacks.
    fn record(
        &mut self,
        span: Span,
        link: &str,
        service: Option<String>,
        needed: Option<String>,
        what: &str,
        out: &mut Findings,
    ) {
        let Some(file) = self.file() else { return };
        let conn = file.connections.get(link).cloned();
        let place = match &file.path {
            Some(p) => format!("in {}", p.display()),
            None => "(there is no connections file)".to_string(),
        };
        let usage = self.usage.entry(link.to_string()).or_default();
        let Some(conn) = conn else {
            usage.service = usage.service.take().or(service);
            let message = match &needed {
                Some(scope) => {
                    format!("connection '{link}' is not declared {place}: {what} needs scope {scope}, which cannot be checked")
                }
                None => format!("connection '{link}' is not declared {place}"),
            };
            if let Some(scope) = needed {
                push_unique(&mut usage.needed, &scope);
                push_unique(&mut usage.missing, &scope);
            }
            out.push(Diagnostic::warning(span, "undeclared-connection", message));
            return;
        };
        usage.declared = true;
        usage.service = Some(conn.service_id.clone());
        let Some(scope) = needed else { return };
        push_unique(&mut usage.needed, &scope);
        if !scopes::grants(&conn.scopes, &scope) {
            push_unique(&mut usage.missing, &scope);
            let granted = if conn.scopes.is_empty() { "none".to_string() } else { conn.scopes.join(", ") };
            out.push(Diagnostic::error(
                span,
                "missing-scope",
                format!("{what} needs scope {scope}, which connection '{link}' does not grant (granted: {granted})"),
            ));
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// Variables assigned exactly once, by `=`: their value expression.
type Consts<'a> = HashMap<u32, &'a Expr>;

fn constants(body: &Body) -> Consts<'_> {
    let mut count: HashMap<u32, (usize, Option<&Expr>)> = HashMap::new();
    fn walk<'a>(stmts: &'a [crate::syntax::ast::Stmt], count: &mut HashMap<u32, (usize, Option<&'a Expr>)>) {
        for s in stmts {
            match &s.node {
                StmtKind::Assign { var, op, value } => {
                    let c = count.entry(var.slot).or_insert((0, None));
                    c.0 += 1;
                    c.1 = (*op == AssignOp::Set).then_some(value);
                }
                StmtKind::If { branches, otherwise } => {
                    branches.iter().for_each(|(_, b)| walk(b, count));
                    if let Some(b) = otherwise {
                        walk(b, count);
                    }
                }
                StmtKind::ForEach { var, body, .. } | StmtKind::ForIndex { var, body, .. } => {
                    count.entry(var.slot).or_insert((0, None)).0 += 2;
                    walk(body, count);
                }
                StmtKind::Try { body, err, handler } => {
                    count.entry(err.slot).or_insert((0, None)).0 += 2;
                    walk(body, count);
                    walk(handler, count);
                }
                _ => {}
            }
        }
    }
    walk(&body.stmts, &mut count);
    count.into_iter().filter_map(|(slot, (n, e))| if n == 1 { e.map(|e| (slot, e)) } else { None }).collect()
}

/// The text of a literal (or of a variable assigned a literal once).
fn text_of(e: &Expr, consts: &Consts) -> Option<String> {
    match prefix_of(e, consts, 0)? {
        (text, true) => Some(text),
        _ => None,
    }
}

/// The literal start of a text expression (`"https://host/path/" + id`), and whether that is
/// all of it.
fn prefix_of(e: &Expr, consts: &Consts, depth: usize) -> Option<(String, bool)> {
    if depth > 8 {
        return None;
    }
    match &e.node {
        ExprKind::Lit(Lit::Text(t)) => Some((t.to_string(), true)),
        ExprKind::Var(v) => prefix_of(consts.get(&v.slot)?, consts, depth + 1),
        ExprKind::Binary(BinOp::Add, l, r) => {
            let (mut text, whole) = prefix_of(l, consts, depth + 1)?;
            if !whole {
                return Some((text, false));
            }
            match prefix_of(r, consts, depth + 1) {
                Some((more, whole)) => {
                    text.push_str(&more);
                    Some((text, whole))
                }
                None => Some((text, false)),
            }
        }
        _ => None,
    }
}

/// The URL to infer a scope from, and whether it is the whole URL: a partial URL keeps its
/// complete path segments (the query, if it has started, is not needed).
fn url_for_scope(prefix: &str, whole: bool) -> Option<(String, bool)> {
    let prefix = prefix.trim();
    if whole {
        return Some((prefix.split('?').next().unwrap_or(prefix).to_string(), true));
    }
    if let Some(q) = prefix.find('?') {
        return Some((prefix[..q].to_string(), true));
    }
    let host_at = prefix.find("://")? + 3;
    let slash = prefix[host_at..].rfind('/')?;
    Some((prefix[..host_at + slash + 1].to_string(), false))
}

#[cfg(test)]
mod tests {
    use super::url_for_scope;

    #[test]
    fn partial_urls_keep_their_whole_segments() {
        let u = |p: &str, w: bool| url_for_scope(p, w).map(|(u, whole)| format!("{u} {whole}"));
        assert_eq!(u("https://h/crm/v8/Leads?x=1", true).as_deref(), Some("https://h/crm/v8/Leads true"));
        assert_eq!(u("https://h/crm/v8/Leads/", false).as_deref(), Some("https://h/crm/v8/Leads/ false"));
        assert_eq!(u("https://h/crm/v8/Le", false).as_deref(), Some("https://h/crm/v8/ false"));
        assert_eq!(
            u("https://h/books/v3/contacts?organization_id=", false).as_deref(),
            Some("https://h/books/v3/contacts true")
        );
        assert_eq!(u("https://www.zoho", false), None);
    }
}
