//! Record and replay against an independent loopback server: `dg run --record` and
//! `dg test --record` write a cassette with no secret in it (API key, Basic password, OAuth
//! tokens, cookies); with the server gone and no connection connected, `dg test` replays it
//! offline and passes; a changed URL fails naming the new URL and the nearest recorded one.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `dg ARGS` in `dir`, with state in `home` and no connections file from the environment
/// (the tests' own `connections.toml` sits beside them).
fn dg_in(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(args)
        .current_dir(dir)
        .env("DG_HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("DG_CONNECTIONS")
        .env_remove("DG_MASTER_KEY")
        .output()
        .expect("run dg")
}

fn connections(server: &MockServer) -> String {
    format!(
        r#"{crm}
[connections.rates]
service = "ratesvc"
[connections.intranet]
service = "intranet"
[services.ratesvc]
auth = "api_key"
param_type = "query"
params = ["apikey"]
[services.intranet]
auth = "basic"
"#,
        crm = zoho_crm(server, "\"ZohoCRM.modules.ALL\"")
    )
}

fn script(u: &str) -> String {
    format!(
        r#"r = invokeurl [ url: "{u}/rates?base=USD" type: GET connection: "rates" ];
info r.get("rates").get("EUR");
first = invokeurl [ url: "{u}/orders" type: POST parameters: {{"item": "pen"}} connection: "intranet" ];
again = invokeurl [ url: "{u}/orders" type: POST parameters: {{"item": "pen"}} connection: "intranet" ];
info first + " then " + again;
leads = invokeurl [ url: "https://www.zohoapis.com/crm/v8/Leads" type: GET connection: "crm" ];
info leads.get("data").get(0).get("Last_Name");
"#
    )
}

async fn mount_api(server: &MockServer) {
    // an API that echoes the key it was given, and sets a session cookie
    Mock::given(method("GET"))
        .and(path("/rates"))
        .respond_with(ResponseTemplate::new(200).insert_header("set-cookie", "session=sess-COOKIE-7777").set_body_json(
            serde_json::json!({"base": "USD", "rates": {"EUR": 0.92}, "echo": format!("key {API_KEY}")}),
        ))
        .mount(server)
        .await;
    // the same request twice: two different answers, replayed in the recorded order
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(201).set_body_string("order-1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/orders"))
        .respond_with(ResponseTemplate::new(201).set_body_string("order-2"))
        .with_priority(2)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"id": "1", "Last_Name": "Ada"}]})),
        )
        .mount(server)
        .await;
}

fn text(o: &Output) -> String {
    format!("{}{}", out(o), err(o))
}

#[tokio::test(flavor = "multi_thread")]
async fn record_scrubs_every_secret_and_replay_runs_offline() {
    let server = MockServer::start().await;
    mount_api(&server).await;
    mount_token(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), 3600, &server.uri())),
    )
    .await;
    let env = Env::new(&connections(&server));
    let dir = env.dir.path();
    let c = env.dg(&["connections", "connect", "rates", "--value", &format!("apikey={API_KEY}")]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    let c = env.dg(&[
        "connections",
        "connect",
        "intranet",
        "--value",
        "username=ada",
        "--value",
        &format!("password={PASSWORD}"),
    ]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    let c = env.dg(&["connections", "connect", "crm", "--code", CODE]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));

    let u = server.uri();
    std::fs::write(dir.join("t.dg"), script(&u)).unwrap();
    std::fs::write(dir.join("plain.dg"), "info 1 + 1;\n").unwrap();
    std::fs::write(dir.join("plain.out"), "2\n").unwrap();

    // dg run --record
    let o = dg_in(dir, &env.home(), &["run", "t.dg", "--record", "t.cassette.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let printed = out(&o);
    assert_eq!(printed, "0.92\norder-1 then order-2\nAda\n");
    std::fs::write(dir.join("t.out"), &printed).unwrap();
    let recorded = std::fs::read_to_string(dir.join("t.cassette.json")).unwrap();

    // dg test --record rewrites every cassette in one go, and writes none for a test without requests
    std::fs::remove_file(dir.join("t.cassette.json")).unwrap();
    server.reset().await;
    mount_api(&server).await;
    let o = dg_in(dir, &env.home(), &["test", "--record"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out(&o).trim_end().ends_with("2 passed, 0 failed"), "{}", text(&o));
    assert!(!dir.join("plain.cassette.json").exists());
    let cassette = std::fs::read_to_string(dir.join("t.cassette.json")).unwrap();
    assert_eq!(cassette, recorded, "the same exchanges, recorded the same way");

    // no secret in the cassette: key, password, its Basic form, tokens, the grant code, the cookie
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("ada:{PASSWORD}"));
    for secret in [API_KEY, PASSWORD, &basic, ACCESS, REFRESH, CODE, CLIENT_SECRET, "sess-COOKIE-7777"] {
        assert!(!cassette.contains(secret), "the cassette holds {secret}:\n{cassette}");
    }
    assert!(!cassette.contains("/oauth/"), "no token exchange is recorded:\n{cassette}");
    let v: serde_json::Value = serde_json::from_str(&cassette).unwrap();
    let urls: Vec<&str> =
        v["interactions"].as_array().unwrap().iter().map(|i| i["request"]["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            format!("{u}/rates?base=USD&apikey=***").as_str(),
            &format!("{u}/orders"),
            &format!("{u}/orders"),
            "https://www.zohoapis.com/crm/v8/Leads"
        ],
        "in order; the CRM request as the script named it, before api_url moved it"
    );
    assert_eq!(v["interactions"][1]["request"]["body"], "item=pen");

    // the server is gone, the state directory is new (nothing connected): replay is offline
    let before = server.received_requests().await.unwrap().len();
    drop(server);
    let fresh = dir.join("fresh-state");
    let o = dg_in(dir, &fresh, &["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out(&o).trim_end().ends_with("2 passed, 0 failed"), "{}", text(&o));
    assert!(before > 0);

    // a changed URL fails the test, naming the new URL and the nearest recorded request
    std::fs::write(dir.join("t.dg"), script(&u).replace("/rates?", "/rate?")).unwrap();
    let o = dg_in(dir, &fresh, &["test"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let report = out(&o);
    assert!(report.contains("test t ... FAILED"), "{report}");
    assert!(
        report.contains(&format!("GET {u}/rate?base=USD&apikey=***: not in the cassette t.cassette.json")),
        "{report}"
    );
    assert!(report.contains(&format!("the nearest recorded request is GET {u}/rates?base=USD&apikey=***")), "{report}");
    assert!(report.trim_end().ends_with("1 passed, 1 failed"), "{report}");
}

#[test]
fn a_malformed_cassette_fails_its_test_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.dg"), "info 1;\n").unwrap();
    std::fs::write(dir.path().join("t.out"), "1\n").unwrap();
    std::fs::write(dir.path().join("t.cassette.json"), "{\n  \"dg_cassette\": 1,\n  \"interactions\": {}\n}\n")
        .unwrap();
    let o = dg_in(dir.path(), &dir.path().join("state"), &["test"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(out(&o).contains("t.cassette.json:3:"), "{}", out(&o));
    assert!(out(&o).contains("expected a dg cassette"), "{}", out(&o));
}

#[test]
fn skipped_tests_are_counted_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.dg"), "info 1;\n").unwrap();
    std::fs::write(dir.path().join("a.out"), "1\n").unwrap();
    std::fs::write(dir.path().join("b.dg"), "// dg-skip: waits for a live server\ninfo 2;\n").unwrap();
    std::fs::write(dir.path().join("b.out"), "not what it prints\n").unwrap();
    let o = dg_in(dir.path(), &dir.path().join("state"), &["test", "--junit", "r.xml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out(&o).contains("test b ... skipped: waits for a live server"), "{}", out(&o));
    assert!(out(&o).trim_end().ends_with("1 passed, 0 failed, 1 skipped"), "{}", out(&o));
    let xml = std::fs::read_to_string(dir.path().join("r.xml")).unwrap();
    assert!(xml.contains("skipped=\"1\"") && xml.contains("<skipped message=\"waits for a live server\"/>"), "{xml}");
}

#[test]
fn a_hanging_test_is_stopped_by_the_timeout_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    // 10^9 additions: far more than any build does in the half second allowed
    let d = "d = {0,1,2,3,4,5,6,7,8,9};\nn = 0;\n";
    let loops = "for each a in d { for each b in d { for each c in d { for each e in d { for each f in d { for each g in d { for each h in d { for each i in d { for each j in d { n = n + 1; } } } } } } } } }\n";
    std::fs::write(dir.path().join("hang.dg"), format!("{d}{loops}")).unwrap();
    std::fs::write(dir.path().join("hang.out"), "").unwrap();
    let o = dg_in(dir.path(), &dir.path().join("state"), &["test", "--timeout", "0.5"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(out(&o).contains("Execution time limit exceeded"), "{}", out(&o));
    assert!(out(&o).trim_end().ends_with("0 passed, 1 failed"), "{}", out(&o));
}
