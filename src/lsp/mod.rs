//! `dg lsp`: the Language Server Protocol over stdin/stdout. This file is the message loop;
//! `server` holds the handlers, `features`/`symbols`/`tables` what they answer from.

mod actions;
mod doc;
mod features;
mod server;
mod symbols;
mod tables;

pub use server::{capabilities, Server};

use lsp_server::{Connection, Message, Notification, Response};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Instant;

const INTERNAL_ERROR: i32 = -32603;

/// Serve until the client's `exit`: 0 after a `shutdown`, 1 otherwise (the protocol's rule).
/// With `log`, each message and the time its answer took go to stderr (never stdout).
pub fn serve(log: bool, connections: Option<PathBuf>) -> i32 {
    let (conn, io) = Connection::stdio();
    let note = |s: &str| {
        if log {
            eprintln!("dg lsp: {s}");
        }
    };
    let init = match conn.initialize(capabilities()) {
        Ok(params) => params,
        Err(e) => {
            eprintln!("error: dg lsp: {e}");
            return 1;
        }
    };
    note("initialized");
    let mut server = Server::new(connections);
    let snippets = &init["capabilities"]["textDocument"]["completion"]["completionItem"]["snippetSupport"];
    server.snippets = snippets.as_bool().unwrap_or(false);
    let mut code = 1;
    // Diagnostics wait until no message is waiting: a burst of changes is checked once, and
    // requests sent meanwhile are answered first.
    let mut stale: Vec<lsp_types::Uri> = Vec::new();
    loop {
        let msg = if stale.is_empty() {
            match conn.receiver.recv() {
                Ok(m) => m,
                Err(_) => break,
            }
        } else {
            match conn.receiver.try_recv() {
                Ok(m) => m,
                Err(crossbeam_channel::TryRecvError::Empty) => {
                    let started = Instant::now();
                    for uri in stale.drain(..) {
                        let params = catch_unwind(AssertUnwindSafe(|| server.publish(&uri)));
                        if let Ok(p) = params {
                            let n = Notification::new("textDocument/publishDiagnostics".into(), p);
                            let _ = conn.sender.send(n.into());
                        }
                    }
                    note(&format!("diagnostics: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0));
                    continue;
                }
                Err(crossbeam_channel::TryRecvError::Disconnected) => break,
            }
        };
        let started = Instant::now();
        match msg {
            Message::Request(req) => {
                let method = req.method.clone();
                let answer = catch_unwind(AssertUnwindSafe(|| server.request(&req.method, req.params)));
                let resp = match answer {
                    Ok(Ok(v)) => Response::new_ok(req.id, v),
                    Ok(Err((code, message))) => Response::new_err(req.id, code, message),
                    Err(_) => Response::new_err(req.id, INTERNAL_ERROR, format!("dg lsp failed on {method}")),
                };
                let _ = conn.sender.send(resp.into());
                note(&format!("{method}: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0));
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    code = if server.shutdown { 0 } else { 1 };
                    break;
                }
                let method = n.method.clone();
                if let Ok(Some(uri)) = catch_unwind(AssertUnwindSafe(|| server.update(&n.method, n.params))) {
                    if !stale.contains(&uri) {
                        stale.push(uri);
                    }
                }
                note(&format!("{method}: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0));
            }
            Message::Response(_) => {}
        }
    }
    drop(conn);
    if let Err(e) = io.join() {
        note(&format!("stdio closed: {e}"));
    }
    code
}

/// The fuzz target's body: text, then edits cut from the same bytes, each followed by every
/// request at a few positions; nothing may panic.
pub fn fuzz_edits(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut server = Server::new(Some(PathBuf::from("/nonexistent/dg-fuzz-connections.toml")));
    let uri = "file:///fuzz.dg";
    let open = serde_json::json!({"textDocument": {"uri": uri, "languageId": "deluge", "version": 0, "text": ""}});
    server.notification("textDocument/didOpen", open);
    let mut seed: u64 = data.iter().fold(7, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)));
    let mut next = |n: u32| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as u32) % n.max(1)
    };
    let chunks: Vec<&str> = text.split_inclusive(['\n', ';', '.']).collect();
    for (v, chunk) in chunks.iter().enumerate().take(64) {
        let (line, ch) = (next(8), next(40));
        let (line2, ch2) = (line + next(2), next(40));
        let change = serde_json::json!({
            "textDocument": {"uri": uri, "version": v + 1},
            "contentChanges": [{"range": {"start": {"line": line, "character": ch}, "end": {"line": line2, "character": ch2}}, "text": chunk}]
        });
        server.notification("textDocument/didChange", change);
        let pos =
            serde_json::json!({"textDocument": {"uri": uri}, "position": {"line": next(10), "character": next(50)}});
        for m in
            ["textDocument/completion", "textDocument/hover", "textDocument/signatureHelp", "textDocument/definition"]
        {
            let _ = server.request(m, pos.clone());
        }
        let mut refs = pos.clone();
        refs["context"] = serde_json::json!({"includeDeclaration": true});
        let _ = server.request("textDocument/references", refs);
    }
    let doc = serde_json::json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": false}});
    let _ = server.request("textDocument/formatting", doc.clone());
    let _ = server.request("textDocument/documentSymbol", serde_json::json!({"textDocument": {"uri": uri}}));
    let mut range = doc;
    range["range"] = serde_json::json!({"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}});
    let _ = server.request("textDocument/rangeFormatting", range);
}
