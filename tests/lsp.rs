//! `dg lsp` end to end: a JSON-RPC client written here drives the real binary over stdio
//! (initialize, open, change, diagnostics, completion, hover, formatting, shutdown, exit).
//! A reader thread hands every message to the test, which waits for the one it needs.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// Only a guard against a hung server: no answer is expected to take anywhere near this.
const HANG: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// notifications that arrived while waiting for something else
    pending: Vec<Value>,
    home: tempfile::TempDir,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start() -> Client {
        Client::start_with(&[])
    }

    fn start_with(extra: &[&str]) -> Client {
        let home = tempfile::tempdir().unwrap();
        let conns = home.path().join("connections.toml");
        std::fs::write(&conns, "[connections.crm_conn]\nservice = \"zohocrm\"\nscopes = [\"ZohoCRM.users.READ\"]\n")
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
            .args(["lsp", "--connections", conns.to_str().unwrap()])
            .args(extra)
            .env("DG_HOME", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(home.path().join("stderr.log")).unwrap())
            .spawn()
            .expect("start dg lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, rx, next_id: 1, pending: Vec::new(), home }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.rx.recv_timeout(HANG).expect("dg lsp answers");
            if m["id"] == json!(id) && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
            self.pending.push(m);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.published(uri)["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// The parameters of the next `publishDiagnostics` for `uri`.
    fn published(&mut self, uri: &str) -> Value {
        let is_it = |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.pending.iter().position(is_it) {
            return self.pending.remove(i)["params"].clone();
        }
        loop {
            let m = self.rx.recv_timeout(HANG).expect("dg lsp publishes diagnostics");
            if is_it(&m) {
                return m["params"].clone();
            }
            self.pending.push(m);
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        let doc = json!({"uri": uri, "languageId": "deluge", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({ "textDocument": doc }));
        self.diagnostics(uri)
    }
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]
fn a_session_from_initialize_to_exit() {
    let mut c = Client::start();
    let init = c.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    let caps = &init["capabilities"];
    for cap in ["completionProvider", "hoverProvider", "documentFormattingProvider", "definitionProvider"] {
        assert!(caps.get(cap).is_some(), "no {cap} in {caps}");
    }
    c.notify("initialized", json!({}));

    // a misspelt method: the diagnostic names the method and suggests the right one
    let diags = c.open("file:///t/typo.dg", "x = \"abc\";\ny = x.lenght();\ninfo y;\n");
    let typo = diags.iter().find(|d| d["message"].as_str().unwrap().contains("did you mean 'length'")).expect("typo");
    assert_eq!(typo["range"]["start"], json!({"line": 1, "character": 6}));
    assert_eq!(typo["range"]["end"], json!({"line": 1, "character": 12}));
    // its quick fix
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "file:///t/typo.dg"}, "range": typo["range"], "context": {"diagnostics": [typo]}}),
    );
    let edit = &actions[0]["edit"]["changes"]["file:///t/typo.dg"][0];
    assert_eq!(edit["newText"], "length");

    // a scope the connection lacks: the fix adds it to the connections file
    let diags = c.open("file:///t/scope.dg", "r = zoho.crm.getRecordById(\"Leads\", 1, \"crm_conn\");\ninfo r;\n");
    let scope = diags.iter().find(|d| d["code"] == "missing-scope").expect("a missing scope");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "file:///t/scope.dg"}, "range": scope["range"], "context": {"diagnostics": [scope]}}),
    );
    let changes = actions[0]["edit"]["changes"].as_object().unwrap();
    let (file, edits) = changes.iter().next().unwrap();
    assert!(file.ends_with("/connections.toml"), "{file}");
    assert_eq!(edits[0]["newText"], ", \"ZohoCRM.modules.leads.READ\"");

    // a syntax error, on its line; fixed by a change, after which it is gone
    let diags = c.open("file:///t/broken.dg", "a = 1;\nb = (1 + ;\nc = 2;\n");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["range"]["start"]["line"], 1);
    assert_eq!(diags[0]["severity"], 1);
    let change =
        json!({"range": {"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 9}}, "text": "2)"});
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///t/broken.dg", "version": 2}, "contentChanges": [change]}),
    );
    assert_eq!(c.diagnostics("file:///t/broken.dg"), Vec::<Value>::new());

    // both in one file: the rest of a file with a syntax error is still checked
    let diags = c.open("file:///t/both.dg", "x = \"abc\";\ny = x.lenght();\nz = (1 + ;\ninfo y;\n");
    let lines: Vec<(u64, &str)> =
        diags.iter().map(|d| (d["range"]["start"]["line"].as_u64().unwrap(), d["code"].as_str().unwrap())).collect();
    assert_eq!(lines, [(1, "unknown-method"), (2, "syntax")], "{diags:?}");

    // completion: string methods after `x.` where x is text; crm tasks after `zoho.crm.`
    let text = "x = \"abc\";\nm = Map();\ny = x.\nr = zoho.crm.\nresp = invokeurl\n[\n\turl :\"https://example.com\"\n\tconnection :\"\"\n];\n";
    c.open("file:///t/complete.dg", text);
    let methods = labels(&c.request("textDocument/completion", at("file:///t/complete.dg", 2, 6)));
    for m in ["length", "toUpperCase", "subString", "contains"] {
        assert!(methods.contains(&m.to_string()), "no {m} in {methods:?}");
    }
    assert!(!methods.contains(&"keys".to_string()), "a map method offered on text: {methods:?}");
    let answer = c.request("textDocument/completion", at("file:///t/complete.dg", 3, 13));
    let tasks = labels(&answer);
    // this client did not declare snippet support: plain text with the parameter names
    let get = answer["items"].as_array().unwrap().iter().find(|i| i["label"] == "getRecordById").unwrap();
    assert_eq!(get["insertText"], "getRecordById(module, id)");
    assert_eq!(get["insertTextFormat"], 1);
    for t in ["getRecordById", "searchRecords", "createRecord"] {
        assert!(tasks.contains(&t.to_string()), "no {t} in {tasks:?}");
    }
    let links = labels(&c.request("textDocument/completion", at("file:///t/complete.dg", 7, 14)));
    assert_eq!(links, ["crm_conn"]);

    // hover on a built-in shows its documentation
    c.open("file:///t/hover.dg", "s = \"  Zoho  \".trim();\ninfo s;\n");
    let hover = c.request("textDocument/hover", at("file:///t/hover.dg", 0, 16));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("trim(") && value.contains("is `Zoho`"), "{value}");

    // formatting: edits that give Zoho's layout
    let messy = "if(a>1){info \"big\";}else{b=-1;}\n";
    c.open("file:///t/fmt.dg", messy);
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": "file:///t/fmt.dg"}, "options": {"tabSize": 4, "insertSpaces": false}}),
    );
    assert_eq!(edits.as_array().unwrap().len(), 1);
    assert_eq!(edits[0]["newText"], "if(a > 1)\n{\n\tinfo \"big\";\n}\nelse\n{\n\tb = -1;\n}\n");

    // shutdown, exit: the process ends with 0
    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_burst_of_changes_ends_with_the_last_versions_diagnostics() {
    let mut c = Client::start();
    c.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    c.notify("initialized", json!({}));
    let uri = "file:///t/burst.dg";
    c.open(uri, "");
    // type `x = "abc";` one character at a time, then ask for a completion at once
    let typed = "x = \"abc\";\ny = x.";
    for (i, ch) in typed.chars().enumerate() {
        let (line, col) = if i < 11 { (0, i) } else { (1, i - 11) };
        let change = json!({"range": {"start": {"line": line, "character": col}, "end": {"line": line, "character": col}}, "text": ch.to_string()});
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [change]}),
        );
    }
    let methods = labels(&c.request("textDocument/completion", at(uri, 1, 6)));
    assert!(methods.contains(&"length".to_string()), "{methods:?}");
    let last = typed.chars().count() + 1;
    loop {
        let p = c.published(uri);
        if p["version"] == json!(last) {
            assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 1, "{p}");
            break;
        }
    }
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(0));
}

#[test]
fn log_goes_to_stderr_and_exit_without_shutdown_is_1() {
    let mut c = Client::start_with(&["--log"]);
    c.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    c.notify("initialized", json!({}));
    c.open("file:///t/log.dg", "info 1;\n");
    let hover = c.request("textDocument/hover", at("file:///t/log.dg", 0, 1));
    assert_eq!(hover, Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.child.wait().unwrap().code(), Some(1));
    let log = std::fs::read_to_string(c.home.path().join("stderr.log")).unwrap();
    assert!(log.contains("dg lsp: initialized") && log.contains("textDocument/hover: "), "{log}");
}
