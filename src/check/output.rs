//! `dg check`'s two renderings: `FILE:LINE:COL: error|warning: message` lines then the
//! connections section, or one JSON document with the field names the README documents.

use super::{Report, Severity};
use serde_json::json;

/// One line per finding, then (when scripts name connections) what each connection must grant.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let (line, col) = d.start;
            out.push_str(&format!(
                "{}:{line}:{col}: {}: {}\n",
                f.name,
                d.diagnostic.severity.word(),
                d.diagnostic.message
            ));
        }
    }
    if !report.connections.is_empty() {
        out.push_str("connections:\n");
        for (link, u) in &report.connections {
            let service = u.service.as_deref();
            let head = match (u.declared, service) {
                (true, Some(s)) => format!("{link} ({s})"),
                (true, None) => link.to_string(),
                (false, Some(s)) => format!("{link} (not declared; {s})"),
                (false, None) => format!("{link} (not declared)"),
            };
            let scopes: Vec<String> = u
                .needed
                .iter()
                .map(|s| {
                    let state = if !u.declared {
                        "needed"
                    } else if u.missing.contains(s) {
                        "missing"
                    } else {
                        "granted"
                    };
                    format!("{s} {state}")
                })
                .collect();
            let scopes = if scopes.is_empty() { "no scope inferred".to_string() } else { scopes.join(", ") };
            out.push_str(&format!("  {head}: {scopes}\n"));
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The same as one JSON document.
pub fn json(report: &Report) -> String {
    let files: Vec<serde_json::Value> = report
        .files
        .iter()
        .map(|f| {
            let diagnostics: Vec<serde_json::Value> = f
                .diagnostics
                .iter()
                .map(|d| {
                    json!({
                        "severity": d.diagnostic.severity.word(),
                        "line": d.start.0,
                        "column": d.start.1,
                        "end_line": d.end.0,
                        "end_column": d.end.1,
                        "code": d.diagnostic.code,
                        "message": d.diagnostic.message,
                    })
                })
                .collect();
            json!({ "file": f.name, "diagnostics": diagnostics })
        })
        .collect();
    let connections: Vec<serde_json::Value> = report
        .connections
        .iter()
        .map(|(link, u)| {
            json!({
                "link": link,
                "service": u.service,
                "declared": u.declared,
                "scopes_needed": u.needed,
                "missing": u.missing,
            })
        })
        .collect();
    let doc = json!({
        "files": files,
        "connections": connections,
        "errors": report.count(Severity::Error),
        "warnings": report.count(Severity::Warning),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}
