//! The scope rules: which scope a request or an integration task needs (from the service's
//! URL rules), whether granted scopes imply it, and what a well-formed scope looks like.
//!
//! Zoho scopes read `Service.scope.OPERATION` (`ZohoCRM.modules.leads.READ`). Service and scope
//! names compare exactly, the operation without regard to case. Implication:
//! - `P.ALL` grants every scope under `P` (`ZohoCRM.modules.ALL` grants `ZohoCRM.modules.leads.READ`),
//!   and more generally `P.OP` grants `P.x.OP` (`ZohoCRM.settings.READ` grants
//!   `ZohoCRM.settings.fields.READ`), as Zoho's group scopes do;
//! - `WRITE` grants `CREATE`, `UPDATE` and `DELETE`; `ALL` grants every operation;
//! - `S.fullaccess.ALL` (any case of `fullaccess`) grants every scope of service `S`.
//!
//! Other scopes (Google's URLs, Slack's `chat:write`) are the providers' own: exact match only.

use super::service::Service;
use std::sync::OnceLock;

/// The operations of Zoho scopes, upper-case.
const OPS: [&str; 6] = ["ALL", "READ", "CREATE", "UPDATE", "DELETE", "WRITE"];

/// The operation a request method needs: READ for GET/HEAD/OPTIONS, CREATE for POST, UPDATE
/// for PUT/PATCH, DELETE for DELETE.
pub fn op_for_method(method: &str) -> &'static str {
    match method.to_ascii_uppercase().as_str() {
        "POST" => "CREATE",
        "PUT" | "PATCH" => "UPDATE",
        "DELETE" => "DELETE",
        _ => "READ",
    }
}

/// The scope a request needs: the first endpoint rule of `service` matching the method and the
/// URL's path, when the URL's host is one of the service's hosts. `None` when no rule applies
/// (then nothing is checked), when the rule marks the URL as needing no scope, or when the URL
/// does not parse.
pub fn scope_for_request(service: &Service, method: &str, url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).ok()?;
    let host = url.host_str()?;
    let port = url.port_or_known_default();
    if !service.hosts.is_empty() && !service.hosts.iter().any(|p| host_matches(p, host, port)) {
        return None;
    }
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.filter(|p| !p.is_empty())
                .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    scope_for_path(service, method, &segments)
}

/// The first matching rule's scope for a method and path segments.
pub(crate) fn scope_for_path(service: &Service, method: &str, segments: &[String]) -> Option<String> {
    for ep in &service.endpoints {
        if ep.method.as_deref().is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
            continue;
        }
        let Some(captures) = match_path(&ep.path, segments) else { continue };
        if ep.scope.is_empty() {
            return None;
        }
        return render(&ep.scope, &captures, op_for_method(method));
    }
    None
}

/// Does a host pattern match `host` (and `port`)? A `*` label stands for one or more labels;
/// a pattern with `:PORT` also needs that port.
pub fn host_matches(pattern: &str, host: &str, port: Option<u16>) -> bool {
    let (pattern, want_port) = match pattern.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':') => {
            (h, p.parse::<u16>().ok())
        }
        _ => (pattern, None),
    };
    if want_port.is_some() && want_port != port {
        return false;
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let h: Vec<&str> = host.split('.').collect();
    labels_match(&p, &h)
}

fn labels_match(p: &[&str], h: &[&str]) -> bool {
    match p.split_first() {
        None => h.is_empty(),
        Some((&"*", rest)) => (1..=h.len()).any(|n| labels_match(rest, &h[n..])),
        Some((label, rest)) => h.first().is_some_and(|f| label.eq_ignore_ascii_case(f)) && labels_match(rest, &h[1..]),
    }
}

/// Match a rule's path pattern against the start of a path (rules are prefixes: the path may go
/// on). Returns the captures.
fn match_path(pattern: &str, segments: &[String]) -> Option<Vec<(String, String)>> {
    let mut captures = Vec::new();
    for (i, p) in pattern.split('/').filter(|p| !p.is_empty()).enumerate() {
        if p == "**" {
            return Some(captures);
        }
        let seg = segments.get(i)?;
        if let Some(name) = p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            captures.push((name.to_string(), seg.clone()));
        } else if p != "*" && !p.split('|').any(|alt| glob(alt.as_bytes(), seg.as_bytes())) {
            return None;
        }
    }
    Some(captures)
}

/// Case-insensitive match of a text against a pattern where `*` stands for any run of bytes.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|n| glob(rest, &s[n..])),
        Some((c, rest)) => s.first().is_some_and(|f| f.eq_ignore_ascii_case(c)) && glob(rest, &s[1..]),
    }
}

/// Fill a scope template: `{op}`, `{capture}`, `{capture|lower|nounderscore|upper}`.
fn render(template: &str, captures: &[(String, String)], op: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}')? + start;
        let mut parts = rest[start + 1..end].split('|');
        let name = parts.next()?;
        let mut value = if name == "op" { op.to_string() } else { captures.iter().find(|(n, _)| n == name)?.1.clone() };
        for filter in parts {
            value = match filter {
                "lower" => value.to_lowercase(),
                "upper" => value.to_uppercase(),
                "nounderscore" => value.replace('_', ""),
                _ => return None,
            };
        }
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Check a URL rule when a service is read: the path is a `/`-pattern, and the scope template
/// uses only `{op}` and the path's captures, with known filters.
pub(crate) fn check_rule(path: &str, scope: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err(format!("path '{path}' must start with '/'"));
    }
    let segments: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut names = vec!["op".to_string()];
    for (i, seg) in segments.iter().enumerate() {
        if *seg == "**" && i + 1 != segments.len() {
            return Err(format!("path '{path}': '**' may only end a path"));
        }
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(format!("path '{path}': bad capture '{seg}'"));
            }
            names.push(name.to_string());
        } else if seg.contains(['{', '}']) {
            return Err(format!("path '{path}': a capture must be a whole segment ({{name}})"));
        }
    }
    let mut rest = scope;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("scope '{scope}': unclosed '{{'"));
        };
        let inner = &rest[start + 1..start + len];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or_default();
        if !names.iter().any(|n| n == name) {
            return Err(format!("scope '{scope}': '{{{name}}}' is neither {{op}} nor a capture of the path"));
        }
        if let Some(f) = parts.find(|f| !["lower", "upper", "nounderscore"].contains(f)) {
            return Err(format!("scope '{scope}': unknown filter '{f}' (lower, upper, nounderscore)"));
        }
        rest = &rest[start + len + 1..];
    }
    if scope.contains('}') && !scope.contains('{') {
        return Err(format!("scope '{scope}': unmatched '}}'"));
    }
    Ok(())
}

/// A Zoho-form scope split into its names and its upper-case operation.
fn split(scope: &str) -> Option<(Vec<&str>, String)> {
    let parts: Vec<&str> = scope.split('.').collect();
    if parts.len() < 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let (op, names) = parts.split_last()?;
    let op = op.to_ascii_uppercase();
    OPS.contains(&op.as_str()).then(|| (names.to_vec(), op))
}

fn op_implies(granted: &str, needed: &str) -> bool {
    granted == "ALL" || granted == needed || (granted == "WRITE" && matches!(needed, "CREATE" | "UPDATE" | "DELETE"))
}

/// True when the granted scopes imply `needed` (see the module comment for the rules).
pub fn grants(granted: &[String], needed: &str) -> bool {
    let needed = needed.trim();
    let parsed = split(needed);
    granted.iter().any(|g| {
        let g = g.trim();
        if g == needed {
            return true;
        }
        let (Some((n_names, n_op)), Some((g_names, g_op))) = (parsed.as_ref(), split(g)) else { return false };
        if g_names[0] != n_names[0] || !op_implies(&g_op, n_op) {
            return false;
        }
        if g_names.len() == 2 && g_names[1].eq_ignore_ascii_case("fullaccess") {
            return true;
        }
        g_names.len() <= n_names.len() && g_names.iter().zip(n_names.iter()).all(|(a, b)| a == b)
    })
}

/// The service names of the catalog's Zoho scopes (`ZohoCRM`, `Desk`, `WorkDrive`, ...).
fn zoho_scope_services() -> &'static [String] {
    // Zoho products whose scopes do not start with `Zoho` (`Desk.tickets.READ`). A fixed
    // list: validate() runs while the catalog itself is being parsed, so it must not ask it.
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        ["Desk", "SalesIQ", "WorkDrive", "Cliq", "Sheet", "Writer"].iter().map(|s| s.to_string()).collect()
    })
}

/// Is a scope well formed? Every scope is one word (no spaces or commas). A Zoho scope (its
/// first name starts with `Zoho` or names a Zoho service, like `Desk` or `WorkDrive`) must read
/// `Service.scope.OPERATION` with an operation among ALL, READ, CREATE, UPDATE, DELETE, WRITE
/// (any case). Other providers' scopes are taken as they are.
pub fn validate(scope: &str) -> Result<(), String> {
    if scope.is_empty() {
        return Err("empty scope".to_string());
    }
    if scope.chars().any(|c| c.is_whitespace() || c == ',') {
        return Err(format!("bad scope '{scope}': a scope has no spaces or commas (list each scope on its own)"));
    }
    let first = scope.split('.').next().unwrap_or_default();
    let zoho = first.to_ascii_lowercase().starts_with("zoho") || zoho_scope_services().iter().any(|n| n == first);
    if !zoho {
        return Ok(());
    }
    let parts: Vec<&str> = scope.split('.').collect();
    let form = "Zoho scopes read Service.scope.OPERATION, e.g. ZohoCRM.modules.leads.READ";
    if parts.len() < 3 {
        return Err(format!("bad scope '{scope}': {form}"));
    }
    if let Some(p) =
        parts.iter().find(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    {
        return Err(format!("bad scope '{scope}': '{p}' is not a scope name ({form})"));
    }
    let op = parts[parts.len() - 1];
    if !OPS.contains(&op.to_ascii_uppercase().as_str()) {
        return Err(format!(
            "bad scope '{scope}': '{op}' is not an operation (ALL, READ, CREATE, UPDATE, DELETE or WRITE)"
        ));
    }
    Ok(())
}

/// The operation a task needs, from its name: READ for get/search, CREATE for create, add,
/// upload and upsert (Zoho's upsert needs CREATE; WRITE or ALL also grant it), UPDATE for update,
/// DELETE for delete.
pub(crate) fn task_op(task: &str) -> Option<&'static str> {
    let t = task.to_ascii_lowercase();
    let starts = |words: &[&str]| words.iter().any(|w| t.starts_with(w));
    if starts(&["bulkcreate", "upsert"]) {
        Some("CREATE")
    } else if starts(&["bulkupdate"]) {
        Some("UPDATE")
    } else if starts(&["bulkdelete"]) {
        Some("DELETE")
    } else if starts(&["get", "search", "fetch", "list", "download", "read", "find", "view", "export", "count"]) {
        Some("READ")
    } else if starts(&[
        "create", "add", "insert", "post", "upload", "send", "submit", "copy", "attach", "clone", "import", "merge",
        "convert", "execute",
    ]) {
        Some("CREATE")
    } else if starts(&[
        "update", "edit", "modify", "rename", "move", "mark", "set", "change", "share", "assign", "void", "approve",
    ]) {
        Some("UPDATE")
    } else if starts(&["delete", "remove", "trash", "recall"]) {
        Some("DELETE")
    } else {
        None
    }
}

pub(crate) fn method_for_op(op: &str) -> &'static str {
    match op {
        "CREATE" => "POST",
        "UPDATE" => "PUT",
        "DELETE" => "DELETE",
        _ => "GET",
    }
}

#[cfg(test)]
#[path = "scopes_tests.rs"]
mod tests;
