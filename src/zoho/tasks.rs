//! The integration tasks as data: each row of `table.rs` names a task, its documented
//! signature, its REST call and the shape of its answer. This file reads those rows: looking a
//! task up, matching a call's arguments to the signature (the optional connection by position),
//! building the request and shaping Zoho's answer, errors included.

use super::{catalog, scopes};
use crate::error::Error;
use crate::host::HttpRequest;
use crate::value::{new_map, Key, Value};
use std::sync::OnceLock;

pub use super::table::{products, Product};

/// What a task's answer becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Zoho's whole answer (an empty map for an empty body).
    Whole,
    /// CRM getRecordById: `data[0]`.
    FirstRecord,
    /// CRM getRecords, searchRecords, getRelatedRecords: the `data` list (empty on 204).
    RecordList,
    /// CRM createRecord, updateRecord, upsert: `data[0].details` on success, else `data[0]`.
    WriteDetails,
    /// `data[0]` as it is (CRM convertLead, updateRelatedRecord, attachFile).
    FirstEntry,
    /// CRM getOrgVariable: `variables[0].value`.
    OrgVariable,
}

/// Whether a task's connection argument may be left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conn {
    /// Left out: the service's system connection (in the sandbox, its built-in one).
    Optional,
    /// Zoho's page marks it mandatory outside the product itself.
    Required,
}

/// One row of the table, as written.
pub struct Row {
    pub product: &'static str,
    pub name: &'static str,
    /// `module, id, [query_value:map]`: names with an optional `:type` (text when left out;
    /// `module` is the text argument the scope depends on), optional ones in brackets. The
    /// connection is not listed: it is always the argument after these.
    pub sig: &'static str,
    /// `METHOD /path/{0}/{1|lower} ?name={2} ?{3*} @data=[{2}] H:orgId={0}` (see `Rest`).
    pub rest: &'static str,
    pub answer: Answer,
    pub conn: Conn,
    /// The Zoho help page the signature comes from.
    pub page: &'static str,
}

/// The type a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Map,
    List,
    File,
    /// Text or a map (Cliq messages, Books' search), or a number or a map (Projects' index).
    Any,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "TEXT",
            Kind::Number => "NUMBER",
            Kind::Map => "KEY-VALUE",
            Kind::List => "LIST",
            Kind::File => "FILE",
            Kind::Any => "ANY",
        }
    }
    /// Does an argument of this value fit (null fits every parameter)?
    pub fn accepts(self, v: &Value) -> bool {
        match (self, v) {
            (_, Value::Null) | (Kind::Any, _) => true,
            (Kind::Text, Value::Text(_) | Value::Int(_) | Value::Dec(_) | Value::Bool(_)) => true,
            (Kind::Number, Value::Int(_) | Value::Dec(_)) => true,
            (Kind::Number, Value::Text(t)) => t.trim().parse::<f64>().is_ok(),
            (Kind::Map, Value::Coll(c)) => c.is_map(),
            (Kind::List, Value::Coll(c)) => c.is_list() || c.is_map(),
            (Kind::File, Value::File(_)) => true,
            (Kind::File, Value::Coll(c)) => c.is_list(),
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub kind: Kind,
    pub optional: bool,
}

/// A part of a REST template: literal text or an argument (`{2}`, `{2|lower}`).
#[derive(Clone, Debug)]
enum Piece {
    Lit(String),
    Arg(usize, bool),
}

#[derive(Clone, Debug)]
struct Template(Vec<Piece>);

#[derive(Clone, Debug)]
enum Query {
    /// `?name={i}`: skipped when the argument is absent or null. `?name={i*}`: a map argument's
    /// entries instead of `name`.
    Pair(String, Template, Option<usize>),
    /// `?{i*}`: a map's entries, or a `a=1&b=2` text.
    Spread(usize),
}

#[derive(Clone, Debug)]
enum Body {
    None,
    /// `@KEY=[{i}]`: `{"KEY": [arg]}` (a list argument as it is); `@KEY={i}`: `{"KEY": arg}`.
    Wrap(String, usize, bool),
    /// `@json={i}`: the argument as the JSON body.
    Json(usize),
    /// `@JSONString={i}`: Books' form with the `JSONString` field.
    JsonString(usize),
    /// `@form={i}`: a map's entries as form fields (Projects).
    Form(usize),
    /// `@message={i}`: Cliq: a text becomes `{"text": ...}`, a map is sent as it is.
    Message(usize),
    /// `@file={i}` or `@file:FIELD={i}`: a multipart upload.
    File(String, usize),
}

/// A row's REST call, parsed.
#[derive(Clone, Debug)]
pub struct Rest {
    pub method: &'static str,
    path: Template,
    query: Vec<Query>,
    body: Body,
    /// `@+{i}`: a map's entries merged into the JSON body (CRM's `trigger`).
    merge: Option<usize>,
    headers: Vec<(String, Template)>,
}

/// A task: its row with the signature and REST call parsed.
pub struct Task {
    pub row: &'static Row,
    pub product: &'static Product,
    pub params: Vec<Param>,
    pub rest: Rest,
}

impl Task {
    pub fn name(&self) -> &'static str {
        self.row.name
    }
    /// `zoho.crm.getRecordById`
    pub fn full_name(&self) -> String {
        format!("zoho.{}.{}", self.row.product, self.row.name)
    }
    /// How many arguments it needs (without the connection).
    pub fn required(&self) -> usize {
        self.params.iter().filter(|p| !p.optional).count()
    }
    /// The most arguments it takes, the connection included.
    pub fn max_args(&self) -> usize {
        self.params.len() + 1
    }
    /// Where the connection is among `n` arguments: the argument after every listed parameter;
    /// or, when the last of them is text where the signature takes no text (a map, a list, a
    /// number), that argument: Zoho's overloads take `getRecordById("Leads", id, "conn")`, and
    /// no data argument can be taken for a connection that way.
    pub fn connection_at(&self, n: usize, last: Option<&Value>) -> Option<usize> {
        if n == self.max_args() {
            return Some(n - 1);
        }
        match (last, self.params.get(n.checked_sub(1)?)) {
            (Some(v @ Value::Text(_)), Some(p)) if n > self.required() && !p.kind.accepts(v) => Some(n - 1),
            _ => None,
        }
    }
    /// The argument the scope depends on.
    pub fn module_arg(&self) -> Option<usize> {
        self.params.iter().position(|p| p.name == "module" || p.name == "parent_module")
    }
    /// `zoho.crm.getRecordById(module, id, [query_value], [connection])`
    pub fn signature(&self) -> String {
        let mut parts: Vec<String> =
            self.params.iter().map(|p| if p.optional { format!("[{}]", p.name) } else { p.name.clone() }).collect();
        parts.push(if self.row.conn == Conn::Required { "connection".into() } else { "[connection]".into() });
        format!("{}({})", self.full_name(), parts.join(", "))
    }
    /// The scope operation (READ, CREATE, UPDATE, DELETE) from the task's name.
    pub fn op(&self) -> &'static str {
        scopes::task_op(self.row.name).unwrap_or_else(|| scopes::op_for_method(self.rest.method))
    }
    /// The scope the task needs: the catalog's URL rule for its REST path with the module
    /// given (`None` when it is not known before the run: the product's module-wide scope).
    pub fn scope(&self, args: &[Option<String>]) -> String {
        let op = self.op();
        let module_known = self.module_arg().is_none_or(|i| args.get(i).is_some_and(|a| a.is_some()));
        if module_known {
            let service = catalog::service(self.product.service);
            let rule = |path: &str| {
                let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
                service.and_then(|s| scopes::scope_for_path(s, scopes::method_for_op(op), &segments))
            };
            let path = self.rest.path.render_with(|i| args.get(i).cloned().flatten().unwrap_or_else(|| "0".into()));
            if let Some(s) = rule(&path) {
                return s;
            }
            let module = self.module_arg().and_then(|i| args.get(i).cloned().flatten());
            if let Some(m) = &module {
                // The module's own collection under the API's prefix (`/api/v1/accounts` for
                // Desk's related records of an account).
                if let Some(s) = rule(&format!("{}{}", self.rest.path.literal_prefix(), m.to_ascii_lowercase())) {
                    return s;
                }
            }
            if let (Some(template), Some(m)) = (self.product.module_scope, module) {
                return template.replace("{module}", &m.to_ascii_lowercase()).replace("{op}", op);
            }
        }
        self.product.scope.replace("{op}", op)
    }
}

fn parse_sig(sig: &str) -> Result<Vec<Param>, String> {
    let mut out = Vec::new();
    for raw in sig.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (optional, inner) = match raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(inner) => (true, inner),
            None => (false, raw),
        };
        if !optional && out.iter().any(|p: &Param| p.optional) {
            return Err(format!("'{raw}' is required but follows an optional parameter"));
        }
        let (name, kind) = inner.split_once(':').unwrap_or((inner, "text"));
        let kind = match kind {
            "text" => Kind::Text,
            "number" => Kind::Number,
            "map" => Kind::Map,
            "list" => Kind::List,
            "file" => Kind::File,
            "any" => Kind::Any,
            other => return Err(format!("unknown type '{other}'")),
        };
        out.push(Param { name: name.to_string(), kind, optional });
    }
    Ok(out)
}

fn parse_template(t: &str, n: usize) -> Result<Template, String> {
    let mut pieces = Vec::new();
    let mut rest = t;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            pieces.push(Piece::Lit(rest[..start].to_string()));
        }
        let end = rest[start..].find('}').ok_or_else(|| format!("unclosed '{{' in '{t}'"))? + start;
        let inner = &rest[start + 1..end];
        let (idx, lower) = match inner.strip_suffix("|lower") {
            Some(i) => (i, true),
            None => (inner, false),
        };
        let i: usize = idx.parse().map_err(|_| format!("bad argument '{inner}' in '{t}'"))?;
        if i >= n {
            return Err(format!("argument {i} in '{t}' is past the signature"));
        }
        pieces.push(Piece::Arg(i, lower));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Lit(rest.to_string()));
    }
    Ok(Template(pieces))
}

fn arg_index(t: &str, n: usize) -> Result<(usize, bool), String> {
    let inner = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')).ok_or_else(|| format!("'{t}' is not {{i}}"))?;
    let (idx, spread) = match inner.strip_suffix('*') {
        Some(i) => (i, true),
        None => (inner, false),
    };
    let i: usize = idx.parse().map_err(|_| format!("bad argument '{t}'"))?;
    if i >= n {
        return Err(format!("argument {i} is past the signature"));
    }
    Ok((i, spread))
}

fn parse_rest(rest: &str, n: usize) -> Result<Rest, String> {
    let mut words = rest.split_whitespace();
    let method = match words.next() {
        Some("GET") => "GET",
        Some("POST") => "POST",
        Some("PUT") => "PUT",
        Some("PATCH") => "PATCH",
        Some("DELETE") => "DELETE",
        other => return Err(format!("bad method {other:?}")),
    };
    let path = parse_template(words.next().ok_or("no path")?, n)?;
    let mut out = Rest { method, path, query: Vec::new(), body: Body::None, merge: None, headers: Vec::new() };
    for w in words {
        if let Some(q) = w.strip_prefix('?') {
            match q.split_once('=') {
                Some((name, value)) if value.ends_with("*}") => {
                    let (i, _) = arg_index(value, n)?;
                    let t = parse_template(&value.replace('*', ""), n)?;
                    out.query.push(Query::Pair(name.to_string(), t, Some(i)));
                }
                Some((name, value)) => out.query.push(Query::Pair(name.to_string(), parse_template(value, n)?, None)),
                None => out.query.push(Query::Spread(arg_index(q, n)?.0)),
            }
        } else if let Some(h) = w.strip_prefix("H:") {
            let (name, value) = h.split_once('=').ok_or_else(|| format!("bad header '{w}'"))?;
            out.headers.push((name.to_string(), parse_template(value, n)?));
        } else if let Some(b) = w.strip_prefix("@+") {
            out.merge = Some(arg_index(b, n)?.0);
        } else if let Some(b) = w.strip_prefix('@') {
            let (key, value) = b.split_once('=').ok_or_else(|| format!("bad body '{w}'"))?;
            let (list, value) = match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                Some(v) => (true, v),
                None => (false, value),
            };
            let (i, _) = arg_index(value, n)?;
            out.body = match key {
                "json" => Body::Json(i),
                "JSONString" => Body::JsonString(i),
                "form" => Body::Form(i),
                "message" => Body::Message(i),
                "file" => Body::File("file".into(), i),
                k if k.starts_with("file:") => Body::File(k[5..].to_string(), i),
                k => Body::Wrap(k.to_string(), i, list),
            };
        } else {
            return Err(format!("unknown part '{w}'"));
        }
    }
    Ok(out)
}

impl Template {
    fn render_with(&self, arg: impl Fn(usize) -> String) -> String {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Piece::Lit(l) => s.push_str(l),
                Piece::Arg(i, lower) => {
                    let v = arg(*i);
                    s.push_str(&if *lower { v.to_ascii_lowercase() } else { v })
                }
            }
        }
        s
    }
    /// The literal text before the first argument (`/api/v1/`).
    fn literal_prefix(&self) -> &str {
        match self.0.first() {
            Some(Piece::Lit(l)) => l,
            _ => "",
        }
    }
    fn args(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().filter_map(|p| match p {
            Piece::Arg(i, _) => Some(*i),
            Piece::Lit(_) => None,
        })
    }
}

fn table() -> &'static [Task] {
    static TABLE: OnceLock<Vec<Task>> = OnceLock::new();
    TABLE.get_or_init(|| match parse_table() {
        Ok(t) => t,
        // The rows are part of the source; a unit test parses every one on each test run.
        Err(e) => panic!("the built-in task table is invalid: {e}"),
    })
}

fn parse_table() -> Result<Vec<Task>, String> {
    super::table::ROWS
        .iter()
        .map(|row| {
            let product = products()
                .iter()
                .find(|p| p.id == row.product)
                .ok_or_else(|| format!("{}.{}: unknown product", row.product, row.name))?;
            let params = parse_sig(row.sig).map_err(|e| format!("{}.{}: {e}", row.product, row.name))?;
            let rest = parse_rest(row.rest, params.len()).map_err(|e| format!("{}.{}: {e}", row.product, row.name))?;
            Ok(Task { row, product, params, rest })
        })
        .collect()
}

/// Every task, in table order.
pub fn all() -> &'static [Task] {
    table()
}

/// The task of a path after `zoho.` (`crm.getRecordById`, `crm.v8.upsert`,
/// `creator.v2_1.getRecords`); names compare without regard to case, as Zoho's do. A version
/// segment picks the versioned rows when there are some (`creator.v2_1`), else the product's
/// own rows (CRM's `v8` forms are its current tasks).
pub fn lookup(path: &str) -> Option<&'static Task> {
    let path = path.strip_prefix("zoho.").unwrap_or(path);
    let parts: Vec<&str> = path.split('.').collect();
    let (product, name) = match parts.as_slice() {
        [p, n] => (p.to_string(), *n),
        [p, v, n] if is_version(v) => {
            let versioned = format!("{p}.{v}").to_ascii_lowercase();
            if table().iter().any(|t| t.row.product == versioned) {
                (versioned, *n)
            } else {
                (p.to_string(), *n)
            }
        }
        _ => return None,
    };
    table().iter().find(|t| t.row.product.eq_ignore_ascii_case(&product) && t.row.name.eq_ignore_ascii_case(name))
}

fn is_version(v: &str) -> bool {
    v.len() > 1 && v.starts_with(['v', 'V']) && v[1..].bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// The tasks of a product (`crm`, `creator.v2_1`).
pub fn of_product(product: &str) -> impl Iterator<Item = &'static Task> + '_ {
    table().iter().filter(move |t| t.row.product.eq_ignore_ascii_case(product))
}

/// A call's arguments split by the signature: the data arguments and the connection (the
/// argument after every listed parameter, by position). Errors name the task and say what
/// Zoho's signature expects.
pub fn split_args<'v>(task: &Task, args: &'v [Value]) -> Result<(&'v [Value], Option<String>), Error> {
    let name = task.full_name();
    if args.len() < task.required() || args.len() > task.max_args() {
        return Err(Error::runtime(format!(
            "{name} takes {} to {} arguments, but {} given: {}",
            task.required(),
            task.max_args(),
            args.len(),
            task.signature()
        )));
    }
    let (data, conn) = if task.connection_at(args.len(), args.last()).is_some() {
        let conn = match &args[args.len() - 1] {
            Value::Null => None,
            Value::Text(t) if t.is_empty() => None,
            Value::Text(t) => Some(t.to_string()),
            other => {
                return Err(Error::runtime(format!(
                    "{name}: the connection (argument {}) must be text, not {}",
                    args.len(),
                    other.type_name()
                )))
            }
        };
        (&args[..args.len() - 1], conn)
    } else {
        (args, None)
    };
    for (i, (p, v)) in task.params.iter().zip(data).enumerate() {
        if !p.kind.accepts(v) {
            let hint = match v {
                Value::Text(_) if i + 1 == data.len() && p.optional => format!(
                    " (a connection goes after all {} arguments: pass {} for the ones before it)",
                    task.params.len(),
                    if p.kind == Kind::Map { "{}" } else { "null" }
                ),
                _ => String::new(),
            };
            return Err(Error::runtime(format!(
                "{name}: argument {} ({}) must be {}, not {}{hint}",
                i + 1,
                p.name,
                p.kind.name(),
                v.type_name()
            )));
        }
    }
    Ok((data, conn))
}

fn text_of(v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.to_text()),
    }
}

fn map_pairs(v: &Value) -> Vec<(String, String)> {
    match v {
        Value::Coll(c) => {
            c.map().map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), v.to_text())).collect()).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// What a URL part keeps as it is: letters, digits and RFC 3986's other unreserved `-._~`.
const ESCAPED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, ESCAPED).to_string()
}

/// The request a task makes: an invokeurl block for `base` (the product's API origin for the
/// connection's data center) through `connection`, so tasks and invokeurl share one pipeline.
pub fn request(task: &Task, args: &[Value], base: &str, connection: &str) -> Result<HttpRequest, Error> {
    let name = task.full_name();
    for i in task.rest.path.args() {
        if text_of(args.get(i)).is_none_or(|t| t.is_empty()) {
            let p = &task.params[i];
            return Err(Error::runtime(format!("{name}: argument {} ({}) is missing", i + 1, p.name)));
        }
    }
    let seg = |i: usize| enc(&text_of(args.get(i)).unwrap_or_default());
    let mut url = format!("{}{}", base.trim_end_matches('/'), task.rest.path.render_with(seg));
    let mut query: Vec<(String, String)> = Vec::new();
    for q in &task.rest.query {
        match q {
            Query::Pair(name, t, spread) => {
                if let Some(i) = spread {
                    if let Some(v @ Value::Coll(_)) = args.get(*i) {
                        query.extend(map_pairs(v));
                        continue;
                    }
                }
                if t.args().all(|i| text_of(args.get(i)).is_some()) {
                    query.push((name.clone(), t.render_with(|i| text_of(args.get(i)).unwrap_or_default())));
                }
            }
            Query::Spread(i) => match args.get(*i) {
                Some(v @ Value::Coll(_)) => query.extend(map_pairs(v)),
                Some(Value::Text(t)) => {
                    for part in t.trim_start_matches('?').split('&').filter(|s| !s.is_empty()) {
                        let (k, v) = part.split_once('=').unwrap_or((part, ""));
                        query.push((k.to_string(), v.to_string()));
                    }
                }
                _ => {}
            },
        }
    }
    if !query.is_empty() {
        let q: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
        url = format!("{url}?{}", q.join("&"));
    }
    let mut pairs = vec![
        ("url".to_string(), Value::from_string(url)),
        ("type".to_string(), Value::text(task.rest.method)),
        ("connection".to_string(), Value::text(connection)),
        ("detailed".to_string(), Value::Bool(true)),
    ];
    if !task.rest.headers.is_empty() {
        let mut h = new_map(task.rest.headers.len());
        for (k, t) in &task.rest.headers {
            h.insert(Key::text(k), Value::from_string(t.render_with(|i| text_of(args.get(i)).unwrap_or_default())));
        }
        pairs.push(("headers".to_string(), Value::map(h)));
    }
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    let json = |v: Value| {
        if let (Some(m), Value::Coll(c)) = (task.rest.merge, &v) {
            if let (Some(Value::Coll(extra)), Some(mut body)) = (args.get(m), c.map_mut()) {
                if let Some(extra) = extra.map() {
                    for (k, x) in extra.iter() {
                        body.insert(k.clone(), x.clone());
                    }
                }
            }
        }
        vec![
            ("content-type".to_string(), Value::text("application/json")),
            ("body".to_string(), Value::from_string(crate::value::to_wire_json(&v))),
        ]
    };
    match &task.rest.body {
        Body::None => {}
        Body::Json(i) => pairs.extend(json(arg(*i))),
        Body::Wrap(key, i, list) => {
            let v = arg(*i);
            let inner = match (&v, list) {
                (Value::Coll(c), true) if c.is_list() => v.clone(),
                (_, true) => Value::list(vec![v.clone()]),
                (_, false) => v.clone(),
            };
            let mut m = new_map(1);
            m.insert(Key::text(key), inner);
            pairs.extend(json(Value::map(m)));
        }
        Body::Message(i) => {
            let v = match arg(*i) {
                v @ Value::Coll(_) => v,
                other => {
                    let mut m = new_map(1);
                    m.insert(Key::text("text"), Value::from_string(other.to_text()));
                    Value::map(m)
                }
            };
            pairs.extend(json(v));
        }
        Body::JsonString(i) => {
            let mut form = new_map(1);
            form.insert(Key::text("JSONString"), Value::from_string(crate::value::to_wire_json(&arg(*i))));
            pairs.push(("parameters".to_string(), Value::map(form)));
        }
        Body::Form(i) => pairs.push(("parameters".to_string(), arg(*i))),
        Body::File(field, i) => {
            let v = arg(*i);
            if let Value::File(f) = &v {
                if f.borrow().param_name.is_none() {
                    f.borrow_mut().param_name = Some(field.clone());
                }
            }
            pairs.push(("files".to_string(), v));
        }
    }
    Ok(HttpRequest { pairs })
}

fn field(v: &Value, k: &str) -> Option<Value> {
    match v {
        Value::Coll(c) => c.map().and_then(|m| m.get(k).cloned()),
        _ => None,
    }
}

fn first_of_data(v: &Value) -> Option<Value> {
    match field(v, "data") {
        Some(Value::Coll(l)) => l.list().and_then(|l| l.first().cloned()),
        _ => None,
    }
}

/// Shape a detailed answer (`responseCode`, `responseText`) as the task returns it. Zoho's error
/// answers come back as the task's value (`{"code":"INVALID_MODULE",...}`), as Zoho's tasks
/// return them; an answer that is not JSON is an error that says so.
pub fn shape(task: &Task, detailed: Value) -> Result<Value, String> {
    let status = match field(&detailed, "responseCode") {
        Some(Value::Int(n)) => n,
        _ => 200,
    };
    let body = field(&detailed, "responseText").unwrap_or(Value::Null);
    let empty = || Value::map(new_map(0));
    if let Value::Text(t) = &body {
        if t.trim().is_empty() {
            return Ok(match task.row.answer {
                Answer::RecordList if status < 400 => Value::list(Vec::new()),
                _ => empty(),
            });
        }
        let content_type = field(&detailed, "responseHeader").and_then(|h| field(&h, "content-type"));
        let snippet: String = t.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(80).collect();
        return Err(format!(
            "the API answered HTTP {status} with {} instead of JSON: {snippet}",
            content_type.map(|c| c.to_text()).unwrap_or_else(|| "text".to_string())
        ));
    }
    if body.is_null() {
        return Ok(empty());
    }
    let is_error = |v: &Value| matches!(field(v, "status"), Some(Value::Text(s)) if &*s == "error");
    if status >= 400 {
        // CRM puts a write's refusal inside `data`: a task that unwraps `data` returns that
        // entry; one that returns Zoho's whole answer returns it whole.
        return Ok(match first_of_data(&body) {
            Some(entry) if is_error(&entry) && task.row.answer != Answer::Whole => entry,
            _ => body,
        });
    }
    Ok(match task.row.answer {
        Answer::Whole => body,
        Answer::FirstRecord => first_of_data(&body).unwrap_or_else(empty),
        Answer::RecordList => match field(&body, "data") {
            Some(v @ Value::Coll(_)) => v,
            _ => Value::list(Vec::new()),
        },
        Answer::FirstEntry => first_of_data(&body).unwrap_or(body),
        Answer::OrgVariable => match field(&body, "variables") {
            Some(Value::Coll(l)) => {
                l.list().and_then(|l| l.first().and_then(|v| field(v, "value"))).unwrap_or(Value::Null)
            }
            _ => body,
        },
        Answer::WriteDetails => match first_of_data(&body) {
            Some(rec) if matches!(field(&rec, "status"), Some(Value::Text(t)) if &*t == "success") => {
                field(&rec, "details").unwrap_or(rec)
            }
            Some(rec) => rec,
            None => body,
        },
    })
}

/// The API origin of a product for a data center (`https://www.zohoapis.com`,
/// `https://desk.zoho.eu`).
pub fn api_base(product: &Product, dc: &catalog::DataCenter) -> String {
    match product.host {
        None => dc.api_domain.clone(),
        Some(sub) => format!("https://{sub}.{}", dc.domain),
    }
}

/// The product whose REST API a path belongs to (`/crm/v8/Leads` is CRM, `/api/v1/tickets`
/// Desk), by the longest matching prefix; the sandbox routes and checks scopes with it.
pub fn product_for_path(path: &str) -> Option<&'static Product> {
    let path = path.to_ascii_lowercase();
    products()
        .iter()
        .flat_map(|p| p.prefixes.iter().map(move |pre| (p, *pre)))
        .filter(|(_, pre)| path.starts_with(pre))
        .max_by_key(|(_, pre)| pre.len())
        .map(|(p, _)| p)
}

#[cfg(test)]
#[path = "tasks_tests.rs"]
mod tests;

/// What a task returns, in words (for the reference page).
fn answer_words(a: Answer) -> &'static str {
    match a {
        Answer::Whole => "Zoho's whole answer",
        Answer::FirstRecord => "the record (`data[0]`)",
        Answer::RecordList => "the list of records (`data`; `[]` when none)",
        Answer::WriteDetails => "the record's `details` (its id) on success",
        Answer::FirstEntry => "the entry of `data[0]`",
        Answer::OrgVariable => "the variable's value",
    }
}

/// `docs/tasks.md` (`dg services tasks`): every product and task of the table, generated from
/// it (a test keeps the file current; `BLESS=1` rewrites it); with a product, only its tasks
/// (`None` for a product the table does not have).
pub fn reference_markdown(only: Option<&str>) -> Option<String> {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# Integration tasks\n\nGenerated from dg's task table (`src/zoho/table.rs`) by `BLESS=1 cargo test --lib zoho`: \
         every `zoho.*` task dg runs, with its signature, the scope it needs, the REST call it makes and what it \
         returns. Arguments are positional as on Zoho's pages: an optional argument needs the ones before it \
         (`null`, or `{}` for a map). The connection is the argument after them all; a text where the signature \
         takes a map, a list or a number is read as the connection too, as Zoho's overloads do.\n\n\
         On an error, a task returns Zoho's error answer as its value (`{\"code\":\"INVALID_MODULE\",...}`); a task \
         that unwraps `data` returns the refused entry (`{\"code\":\"MANDATORY_NOT_FOUND\",...}`).\n",
    );
    let chosen: Vec<&Product> =
        products().iter().filter(|p| only.is_none_or(|o| p.id.eq_ignore_ascii_case(o))).collect();
    if chosen.is_empty() {
        return None;
    }
    for p in chosen {
        let _ = write!(out, "\n## {} (`zoho.{}`)\n\nZoho's tasks: {}\n\n", p.name, p.id, p.page);
        out.push_str("| task | scope (module not known) | REST call | returns |\n|---|---|---|---|\n");
        for t in of_product(p.id) {
            let unknown: Vec<Option<String>> = vec![None; t.params.len()];
            let _ = writeln!(
                out,
                "| `{}` | `{}` | `{}` | {} |",
                t.signature(),
                t.scope(&unknown),
                t.row.rest,
                answer_words(t.row.answer)
            );
        }
    }
    Some(out)
}
