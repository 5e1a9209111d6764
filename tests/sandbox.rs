//! The offline sandbox end to end through the `dg` binary: the examples against it, the
//! sync's create-then-update, scope refusals, persistence across processes, reset, and
//! `dg sandbox serve` answering like Zoho (and losing no acknowledged write to kill -9).

mod common;

use common::start_sandbox;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dg(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(args)
        .current_dir(root())
        .env("DG_HOME", home)
        .env_remove("DG_CONNECTIONS")
        .output()
        .expect("run dg")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn bigin_books_sync_creates_then_updates() {
    let home = tempfile::tempdir().unwrap();
    let first = dg(home.path(), &["run", "scripts/examples/bigin_books_sync.dg", "--sandbox", "--arg", "contact=null"]);
    assert_eq!(first.status.code(), Some(0), "{}", err(&first));
    assert!(out(&first).contains("created Books contact"), "{}", out(&first));
    let second =
        dg(home.path(), &["run", "scripts/examples/bigin_books_sync.dg", "--sandbox", "--arg", "contact=null"]);
    assert_eq!(second.status.code(), Some(0), "{}", err(&second));
    assert!(out(&second).contains("updated Books contact"), "{}", out(&second));
    // no duplicate: the same email appears once in Books
    let count = "r = invokeurl [ url: \"https://www.zohoapis.com/books/v3/contacts?organization_id=700000001\" type: GET connection: \"books\" ];\n\
                 emails = List();\nfor each c in r.get(\"contacts\") { emails.add(c.get(\"email\")); }\ninfo emails.size() == emails.distinct().size();\n";
    let p = home.path().join("count.dg");
    std::fs::write(&p, count).unwrap();
    let o = dg(home.path(), &["run", p.to_str().unwrap(), "--sandbox"]);
    assert_eq!(out(&o).trim(), "true", "{}", err(&o));
}

#[test]
fn records_persist_across_processes_and_reset_starts_over() {
    let home = tempfile::tempdir().unwrap();
    let create = home.path().join("create.dg");
    std::fs::write(
        &create,
        "r = zoho.crm.createRecord(\"Leads\", {\"Last_Name\": \"Persisted\", \"Company\": \"Acme\"});\ninfo r.get(\"id\").length();\n",
    )
    .unwrap();
    let o = dg(home.path(), &["run", create.to_str().unwrap(), "--sandbox"]);
    assert_eq!(out(&o).trim(), "19", "{}", err(&o));
    let find = home.path().join("find.dg");
    std::fs::write(&find, "info zoho.crm.searchRecords(\"Leads\", \"(Last_Name:equals:Persisted)\").size();\n")
        .unwrap();
    let o = dg(home.path(), &["run", find.to_str().unwrap(), "--sandbox"]);
    assert_eq!(out(&o).trim(), "1", "{}", err(&o));
    let r = dg(home.path(), &["sandbox", "reset"]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    let o = dg(home.path(), &["run", find.to_str().unwrap(), "--sandbox"]);
    assert_eq!(out(&o).trim(), "0", "{}", err(&o));
}

#[test]
fn scopes_are_refused_in_the_sandbox_too() {
    let home = tempfile::tempdir().unwrap();
    let conns = home.path().join("connections.toml");
    std::fs::write(&conns, "[connections.fsm]\nservice = \"zohofsm\"\nscopes = [\"ZohoFSM.modules.Requests.READ\"]\n")
        .unwrap();
    let p = home.path().join("s.dg");
    std::fs::write(&p, "info zoho.fsm.getRecords(\"Requests\", 1, 10, Map(), \"fsm\").get(\"data\").size() > 0;\nr = zoho.fsm.createRecord(\"Work_Orders\", {\"Summary\": \"x\"}, Map(), \"fsm\");\n").unwrap();
    let o = dg(home.path(), &["run", p.to_str().unwrap(), "--sandbox", "--connections", conns.to_str().unwrap()]);
    assert_eq!(out(&o), "true\n", "{}", err(&o));
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("ZohoFSM.modules.WorkOrders.CREATE"), "{}", err(&o));
}

#[test]
fn other_hosts_are_refused_offline() {
    let home = tempfile::tempdir().unwrap();
    let p = home.path().join("x.dg");
    std::fs::write(&p, "r = invokeurl [ url: \"https://api.github.com/user\" type: GET ];\n").unwrap();
    let o = dg(home.path(), &["run", p.to_str().unwrap(), "--sandbox"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("offline") && err(&o).contains("api.github.com"), "{}", err(&o));
}

/// `dg sandbox serve`: prints url and token, answers like Zoho, and an acknowledged write
/// survives kill -9.
#[test]
fn serve_answers_like_zoho_and_survives_kill_9() {
    let home = tempfile::tempdir().unwrap();
    let start = || start_sandbox(home.path());
    let (mut child, url, token) = start();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let http = reqwest::Client::new();
    let call =
        |method: reqwest::Method, url: String, auth: &str, body: Option<serde_json::Value>| -> serde_json::Value {
            rt.block_on(async {
                let mut rb = http.request(method, url).header("Authorization", auth);
                if let Some(b) = body {
                    rb = rb.header("Content-Type", "application/json").body(b.to_string());
                }
                let text = rb.send().await.unwrap().text().await.unwrap();
                serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
            })
        };
    let auth = format!("Zoho-oauthtoken {token}");
    // Zoho's error for a bad token
    let bad = call(reqwest::Method::GET, format!("{url}/crm/v8/Leads"), "Zoho-oauthtoken nope", None);
    assert_eq!(bad["code"], "INVALID_TOKEN");
    // 40 acknowledged writes, then kill -9
    let mut ids = Vec::new();
    for i in 0..40 {
        let body = serde_json::json!({"data": [{"Last_Name": format!("Durable{i}")}]});
        let v = call(reqwest::Method::POST, format!("{url}/crm/v8/Leads"), &auth, Some(body));
        assert_eq!(v["data"][0]["status"], "success", "{v}");
        ids.push(v["data"][0]["details"]["id"].as_str().unwrap().to_string());
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (mut child, url, token) = start();
    let auth = format!("Zoho-oauthtoken {token}");
    for id in &ids {
        let v = call(reqwest::Method::GET, format!("{url}/crm/v8/Leads/{id}"), &auth, None);
        assert_eq!(v["data"][0]["id"].as_str(), Some(id.as_str()), "{v}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
