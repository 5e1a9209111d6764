//! What the language server knows by name: built-ins with their doc comments, `zoho.*` tasks
//! with signatures and scopes, `invokeurl`/`sendmail` keys and the connections' link names.
//! Every other part of the server asks here, so a table that moves is re-pointed in one place.

use crate::builtins::{self, Recv};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One `zoho.` task: its path after `zoho.`, its parameters (optional ones in brackets) and
/// the OAuth scope it needs, when dg knows one.
#[derive(Clone, Debug)]
pub struct Task {
    pub path: String,
    pub params: Vec<String>,
    pub scope: Option<String>,
}

impl Task {
    pub fn signature(&self) -> String {
        format!("zoho.{}({})", self.path, self.params.join(", "))
    }
}

/// The tasks dg knows: the integration tasks of the one task table (`crate::zoho::tasks`)
/// and `zoho.encryption`'s table.
pub fn tasks() -> &'static [Task] {
    static TASKS: OnceLock<Vec<Task>> = OnceLock::new();
    TASKS.get_or_init(|| {
        let mut out = Vec::new();
        for t in crate::zoho::tasks::all() {
            let mut params: Vec<String> =
                t.params.iter().map(|p| if p.optional { format!("[{}]", p.name) } else { p.name.clone() }).collect();
            params.push(
                if t.row.conn == crate::zoho::tasks::Conn::Required { "connection" } else { "[connection]" }.into(),
            );
            let path = t.full_name().trim_start_matches("zoho.").to_string();
            out.push(Task { params, path, scope: Some(t.scope(&vec![None; t.params.len()])) });
        }
        for name in builtins::encryption_tasks() {
            let (_, min, max) = builtins::encryption_task(&name.to_ascii_lowercase()).unwrap_or((name, 1, 1));
            let params = (0..max).map(|i| if i < min { ENC_ARGS[i.min(2)] } else { "[key]" }.to_string()).collect();
            out.push(Task { path: format!("encryption.{name}"), params, scope: None });
        }
        out
    })
}

const ENC_ARGS: [&str; 3] = ["text", "key", "algorithm"];

/// A task by its path after `zoho.`, case-insensitive.
pub fn task(path: &str) -> Option<&'static Task> {
    tasks().iter().find(|t| t.path.eq_ignore_ascii_case(path))
}

/// `zoho.` values the interpreter knows (`zoho.currentdate`).
pub const ZOHO_VALUES: &[&str] =
    &["currentdate", "currenttime", "loginuserid", "adminuserid", "loginuser", "adminuser", "appname", "ipaddress"];

/// Keys of an `invokeurl` block.
pub const INVOKEURL_KEYS: &[&str] = &[
    "url",
    "type",
    "parameters",
    "headers",
    "body",
    "files",
    "connection",
    "content-type",
    "detailed",
    "response-format",
];

/// Keys of a `sendmail` block.
pub const SENDMAIL_KEYS: &[&str] =
    &["from", "to", "cc", "bcc", "reply to", "subject", "message", "content type", "attachments"];

/// Statement words and constructors offered with variable names.
pub const WORDS: &[&str] = &[
    "info",
    "return",
    "if",
    "else",
    "for each",
    "try",
    "catch",
    "break",
    "continue",
    "invokeurl",
    "sendmail",
    "true",
    "false",
    "null",
    "Map",
    "List",
    "Collection",
];

/// One built-in name: which receivers take it, its argument counts and its documentation.
pub struct BuiltinInfo {
    pub name: &'static str,
    pub recvs: Vec<Recv>,
    pub min: usize,
    pub max: usize,
}

impl BuiltinInfo {
    /// `text.subString(arg1, [arg2])` as a method; `subString(text, arg1, [arg2])` as a
    /// function, whose first argument is the receiver.
    pub fn signature(&self, method: bool) -> String {
        let mut args: Vec<String> = (0..self.max)
            .map(|i| if i < self.min { format!("arg{}", i + 1) } else { format!("[arg{}]", i + 1) })
            .collect();
        let recv = recv_name(self.recvs[0]);
        if method {
            return format!("{recv}.{}({})", self.name, args.join(", "));
        }
        args.insert(0, recv.to_string());
        format!("{}({})", self.name, args.join(", "))
    }
}

pub fn recv_name(r: Recv) -> &'static str {
    match r {
        Recv::Any => "value",
        Recv::Text => "text",
        Recv::Num => "number",
        Recv::List => "list",
        Recv::Map => "map",
        Recv::Collection => "collection",
        Recv::Time => "date",
        Recv::File => "file",
    }
}

/// Built-ins by name, in table order (each name once).
pub fn builtins() -> &'static [BuiltinInfo] {
    static ALL: OnceLock<Vec<BuiltinInfo>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out: Vec<BuiltinInfo> = Vec::new();
        for b in builtins::all() {
            match out.iter_mut().find(|i| i.name.eq_ignore_ascii_case(b.name)) {
                Some(i) => {
                    i.recvs.push(b.recv);
                    i.min = i.min.min(b.min);
                    i.max = i.max.max(b.max);
                }
                None => out.push(BuiltinInfo { name: b.name, recvs: vec![b.recv], min: b.min, max: b.max }),
            }
        }
        out
    })
}

pub fn builtin(name: &str) -> Option<&'static BuiltinInfo> {
    builtins().iter().find(|b| b.name.eq_ignore_ascii_case(name))
}

/// The doc comment of a built-in's Rust function (lower-case name -> text).
pub fn doc(name: &str) -> Option<&'static str> {
    static DOCS: OnceLock<HashMap<String, String>> = OnceLock::new();
    DOCS.get_or_init(|| {
        let sources = [
            include_str!("../builtins/text.rs"),
            include_str!("../builtins/text/convert.rs"),
            include_str!("../builtins/text/letters.rs"),
            include_str!("../builtins/text/regex.rs"),
            include_str!("../builtins/number.rs"),
            include_str!("../builtins/list.rs"),
            include_str!("../builtins/map.rs"),
            include_str!("../builtins/time.rs"),
            include_str!("../builtins/misc.rs"),
            include_str!("../builtins/file.rs"),
            include_str!("../builtins/xml.rs"),
        ];
        docs_from(&sources)
    })
    .get(&name.to_ascii_lowercase())
    .map(String::as_str)
}

/// Pair table rows `b("name", Recv::X, 0, 1, func)` with the `///` lines above `fn func(`.
fn docs_from(sources: &[&str]) -> HashMap<String, String> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut by_fn: HashMap<String, String> = HashMap::new();
    for src in sources {
        let mut doc: Vec<&str> = Vec::new();
        for line in src.lines() {
            let t = line.trim();
            for row in t.split("b(\"").skip(1) {
                let name = row.split('"').next().unwrap_or("");
                let row = row.trim_end().trim_end_matches(',').trim_end_matches(')');
                if let Some(func) = row.rsplit(',').next().map(|f| f.trim().rsplit("::").next().unwrap_or(f)) {
                    rows.push((name.to_ascii_lowercase(), func.to_string()));
                }
            }
            if let Some(d) = t.strip_prefix("///") {
                doc.push(d.strip_prefix(' ').unwrap_or(d));
                continue;
            }
            if t.starts_with("#[") {
                continue;
            }
            // `pub fn`, `pub(super) fn`, `fn`
            let head = match t.strip_prefix("pub") {
                Some(rest) => rest.split_once(' ').map_or(rest, |(_, r)| r),
                None => t,
            };
            if let Some(rest) = head.strip_prefix("fn ") {
                let func = rest.split(['(', '<']).next().unwrap_or("").trim();
                if !doc.is_empty() {
                    by_fn.entry(func.to_string()).or_insert_with(|| doc.join("\n"));
                }
            }
            doc.clear();
        }
    }
    let mut out = HashMap::new();
    for (name, func) in rows {
        if let Some(d) = by_fn.get(&func) {
            out.entry(name).or_insert_with(|| d.clone());
        }
    }
    out
}

/// The link names of the connections file (`--connections` or the one `dg run` would use).
pub fn connection_links(path: Option<&std::path::Path>) -> Vec<String> {
    match crate::integrations::config::load_for_check(path) {
        Ok(f) => f.connections.keys().cloned().collect(),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn built_ins_have_their_doc_comments() {
        assert!(super::doc("trim").is_some_and(|d| d.contains("trim()")), "{:?}", super::doc("trim"));
    }

    #[test]
    fn crm_tasks_have_signatures_and_scopes() {
        let t = super::task("crm.getRecordById").expect("a crm task");
        assert_eq!(t.signature(), "zoho.crm.getRecordById(module, id, [query_value], [connection])");
        assert!(t.scope.as_deref().is_some_and(|s| s.starts_with("ZohoCRM.")));
    }
}
#[cfg(test)]
mod coverage {
    #[test]
    fn most_built_ins_have_docs() {
        let all = super::builtins();
        let missing: Vec<&str> = all.iter().filter(|b| super::doc(b.name).is_none()).map(|b| b.name).collect();
        eprintln!("{} of {} without docs: {missing:?}", missing.len(), all.len());
        assert!(missing.len() * 4 < all.len(), "{missing:?}");
    }
}
