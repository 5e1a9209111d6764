//! `cargo bench --bench lsp`: how long `dg lsp` takes to answer each request on a script of
//! more than 1,000 lines (real-world scripts from tests/corpus, repeated), in-process.
//! The goal is 50 ms per answer; each line prints the median and the slowest of the runs.

use deluge::LspServer;
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 15;
const URI: &str = "file:///bench.dg";

fn script(root: &Path) -> String {
    let mut text = String::new();
    let parts = ["016_books_walk_in_invoice_to_crm.dg", "003_inventory_reorder_notifications.dg"];
    while text.lines().count() < 1000 {
        for p in parts {
            text.push_str(&std::fs::read_to_string(root.join("tests/corpus").join(p)).expect("corpus script"));
            text.push('\n');
        }
    }
    // the places the requests ask about
    text.push_str("probe = \"abc\";\nlen = probe.\nr = zoho.crm.\nn = probe.length();\ns = probe.subString(1, \n");
    text
}

fn position(text: &str, needle: &str, after: usize) -> Value {
    let at = text.rfind(needle).expect("probe present") + after;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": col}})
}

fn time(name: &str, mut f: impl FnMut()) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let verdict = if ms(times[RUNS - 1]) <= 50.0 { "ok" } else { "SLOW" };
    println!("{name:<28} median {:>7.2} ms   max {:>7.2} ms   {verdict}", ms(times[RUNS / 2]), ms(times[RUNS - 1]));
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = script(root);
    println!("script: {} lines, {} bytes", text.lines().count(), text.len());
    let mut server = LspServer::new(Some(root.join("tests/golden_connections.toml")));
    // the script without the probes parses: diagnostics are one `dg check`
    let clean = text[..text.rfind("probe = ").unwrap()].to_string();
    let open_clean = json!({"textDocument": {"uri": URI, "languageId": "deluge", "version": 0, "text": clean}});
    time("didOpen, no syntax error", || {
        server.notification("textDocument/didOpen", open_clean.clone());
    });
    // with the probes' syntax errors: recovery, then the rest of the file checked again
    let open = json!({"textDocument": {"uri": URI, "languageId": "deluge", "version": 0, "text": text}});
    time("didOpen, syntax errors", || {
        server.notification("textDocument/didOpen", open.clone());
    });
    let mut version = 1;
    time("didChange, syntax errors", || {
        version += 1;
        let change = json!({"textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": " "}]});
        server.notification("textDocument/didChange", change);
    });
    let requests = [
        ("completion after `probe.`", "textDocument/completion", position(&text, "probe.\n", 6)),
        ("completion after zoho.crm.", "textDocument/completion", position(&text, "zoho.crm.\n", 9)),
        ("completion of a name", "textDocument/completion", position(&text, "len = ", 2)),
        ("hover on a built-in", "textDocument/hover", position(&text, "length()", 2)),
        ("hover on a variable", "textDocument/hover", position(&text, "probe.length", 1)),
        ("signature help", "textDocument/signatureHelp", position(&text, "subString(1, ", 13)),
        ("definition", "textDocument/definition", position(&text, "probe.length", 1)),
        ("references", "textDocument/references", {
            let mut p = position(&text, "probe.length", 1);
            p["context"] = json!({"includeDeclaration": true});
            p
        }),
        ("document symbols", "textDocument/documentSymbol", json!({"textDocument": {"uri": URI}})),
    ];
    for (name, method, params) in requests {
        time(name, || {
            server.request(method, params.clone()).expect("an answer");
        });
    }
    // formatting needs a script that parses: the probes' unfinished lines are removed
    server.notification("textDocument/didOpen", open_clean);
    let fmt = json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": false}});
    time("formatting", || {
        server.request("textDocument/formatting", fmt.clone()).expect("an answer");
    });
    let mut range = fmt.clone();
    range["range"] = json!({"start": {"line": 10, "character": 0}, "end": {"line": 40, "character": 0}});
    time("range formatting", || {
        server.request("textDocument/rangeFormatting", range.clone()).expect("an answer");
    });
}
