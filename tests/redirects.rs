//! Redirects and secrets in URLs, against real loopback servers: a redirect to another origin
//! carries no credential the connection added (header, query or form), no `Authorization` the
//! script set and no `Referer`; a same-origin redirect keeps the credential; `--trace` shows
//! each hop; `user:password@` never shows in a trace or an error.

mod common;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn redirect(status: u16, to: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", to)
}

/// Connections `q` (key in the query), `h` (in a header) and `f` (in a form body), all to
/// services without a host restriction.
fn key_connections() -> String {
    r#"[connections.q]
service = "qsvc"
[connections.h]
service = "hsvc"
[connections.f]
service = "fsvc"
[services.qsvc]
auth = "api_key"
param_type = "query"
params = ["appid"]
[services.hsvc]
auth = "api_key"
param_type = "header"
params = ["X-Api-Key"]
[services.fsvc]
auth = "api_key"
param_type = "form"
params = ["token"]
"#
    .to_string()
}

fn connect_all(env: &Env) {
    for (link, kv) in [("q", "appid"), ("h", "X-Api-Key"), ("f", "token")] {
        let c = env.dg(&["connections", "connect", link, "--value", &format!("{kv}={API_KEY}")]);
        assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_credential_follows_a_redirect_to_another_origin() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    for (p, status) in [("/q", 302), ("/h", 302), ("/f", 307), ("/f8", 308), ("/own", 302)] {
        Mock::given(path(p))
            .respond_with(redirect(status, &format!("{}/landed{p}", elsewhere.uri())))
            .mount(&home)
            .await;
    }
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("got")).mount(&elsewhere).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("posted"))
        .mount(&elsewhere)
        .await;
    let env = Env::new(&key_connections());
    connect_all(&env);
    let u = home.uri();
    let script = env.script(
        "r.dg",
        &format!(
            r#"info invokeurl [ url: "{u}/q" type: GET connection: "q" ];
info invokeurl [ url: "{u}/h" type: GET connection: "h" ];
info invokeurl [ url: "{u}/f" type: POST parameters: {{"a": "1"}} connection: "f" ];
info invokeurl [ url: "{u}/f8" type: POST parameters: {{"a": "2"}} connection: "f" ];
info invokeurl [ url: "{u}/own" type: GET headers: {{"Authorization": "Bearer {API_KEY}", "X-Plain": "kept"}} ];
"#
        ),
    );
    let o = env.run(&script, &["--trace"]);
    assert_eq!(out(&o), "got\ngot\nposted\nposted\ngot\n", "{}", err(&o));
    let landed = elsewhere.received_requests().await.unwrap();
    assert_eq!(landed.len(), 5);
    for r in &landed {
        let all = format!("{} {:?} {}", r.url, r.headers, String::from_utf8_lossy(&r.body));
        assert!(!all.contains(API_KEY), "a credential crossed origins: {all}");
        assert!(r.headers.get("referer").is_none(), "Referer sent: {all}");
        assert!(r.headers.get("authorization").is_none(), "Authorization sent: {all}");
    }
    // 307 and 308 keep the method and the script's own body.
    let bodies: Vec<String> = landed.iter().map(|r| String::from_utf8_lossy(&r.body).into_owned()).collect();
    assert_eq!(bodies[2], "a=1");
    assert_eq!(bodies[3], "a=2");
    assert!(landed[4].headers.get("x-plain").is_some(), "the script's harmless headers go on");
    let trace = err(&o);
    assert_eq!(trace.matches("trace: redirect").count(), 5, "{trace}");
    assert!(trace.contains("(another origin: no credential goes with it)"), "{trace}");
    assert_no_secrets(&[&o], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_same_origin_redirect_keeps_the_credential_and_303_becomes_get() {
    let server = MockServer::start().await;
    let u = server.uri();
    Mock::given(path("/old")).respond_with(redirect(301, "/new")).mount(&server).await;
    Mock::given(path("/new"))
        .and(wiremock::matchers::header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_string("moved ok"))
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path("/submit")).respond_with(redirect(303, "/done")).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/done"))
        .respond_with(ResponseTemplate::new(200).set_body_string("done"))
        .mount(&server)
        .await;
    let env = Env::new(&key_connections());
    connect_all(&env);
    let script = env.script(
        "s.dg",
        &format!(
            "info invokeurl [ url: \"{u}/old\" type: GET connection: \"h\" ];\n\
             info invokeurl [ url: \"{u}/submit\" type: POST parameters: {{\"a\": \"1\"}} ];\n"
        ),
    );
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "moved ok\ndone\n", "{}", err(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn userinfo_never_shows_in_traces_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("hi")).mount(&server).await;
    let env = Env::new("");
    let with_user = server.uri().replace("http://", "http://bob:s3cret@");
    let script = env.script(
        "u.dg",
        &format!(
            "info invokeurl [ url: \"{with_user}/x?code=42&q=1\" type: GET ];\n\
             info invokeurl [ url: \"http://bob:s3cret@exa mple.com/\" type: GET ];\n"
        ),
    );
    let o = env.run(&script, &["--trace"]);
    let all = format!("{}{}", out(&o), err(&o));
    // The messages dg writes (the error's source excerpt quotes the script as written).
    let said: String = all.lines().filter(|l| l.starts_with("trace:") || l.starts_with("error:")).collect();
    assert!(!said.contains("s3cret") && !said.contains("bob"), "{all}");
    assert!(all.contains("code=42"), "a script's own harmless parameter stays visible: {all}");
    assert!(all.contains("***@"), "{all}");
}

/// `--value NAME=-` reads the secret from stdin, so it never sits in shell history.
#[test]
fn connect_reads_a_secret_given_as_dash_from_stdin() {
    use std::io::Write;
    let env = Env::new(&key_connections());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["connections", "connect", "q", "--value", "appid=-"])
        .env("DG_HOME", env.home())
        .env("DG_CONNECTIONS", env.dir.path().join("connections.toml"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{API_KEY}\n").as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let shown = env.dg(&["connections", "show", "q"]);
    assert!(out(&shown).contains("connected"), "{}", out(&shown));
    assert_no_secrets(&[&o, &shown], &env.home());
    // Nothing on stdin: a clear error, not an empty key.
    let empty = std::process::Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["connections", "connect", "h", "--value", "X-Api-Key=-"])
        .env("DG_HOME", env.home())
        .env("DG_CONNECTIONS", env.dir.path().join("connections.toml"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(2), "{}", err(&empty));
    assert!(err(&empty).contains("no X-Api-Key given for 'h'"), "{}", err(&empty));
}
