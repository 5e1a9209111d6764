//! Connections end to end, through the `dg` binary against real loopback HTTP servers
//! (wiremock): each auth type's wire format, OAuth code exchange and refresh, scope refusal
//! before sending, revoke, single-flight refresh across processes, and secret hygiene.

mod common;

use common::*;
use std::process::Command;
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test(flavor = "multi_thread")]
async fn api_key_in_query_header_and_form() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/weather"))
        .and(query_param("appid", API_KEY))
        .and(query_param("q", "Chennai"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"temp": 31.5, "city": "Chennai"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/hdr"))
        .and(header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_string("header ok"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/charges"))
        .and(header("authorization", format!("Bearer {API_KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("stripe ok"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/form"))
        .and(body_string_contains(format!("token={API_KEY}")))
        .respond_with(ResponseTemplate::new(200).set_body_string("form ok"))
        .mount(&server)
        .await;
    let env = Env::new(&format!(
        r#"[connections.weather]
service = "openweather"
[connections.hdr]
service = "hdrsvc"
[connections.frm]
service = "formsvc"
[services.openweather]
auth = "api_key"
param_type = "query"
params = ["appid"]
base_url = "{uri}"
[services.hdrsvc]
auth = "api_key"
param_type = "header"
params = ["X-Api-Key"]
[services.formsvc]
auth = "api_key"
param_type = "form"
params = ["token"]
[connections.stripe]
service = "stripe"
api_url = "{uri}"
"#,
        uri = server.uri()
    ));
    let c1 = env.dg(&["connections", "connect", "weather", "--value", &format!("appid={API_KEY}")]);
    assert_eq!(c1.status.code(), Some(0), "{}", err(&c1));
    let c2 = env.dg(&["connections", "connect", "hdr", "--value", &format!("X-Api-Key={API_KEY}")]);
    let c3 = env.dg(&["connections", "connect", "frm", "--value", &format!("token={API_KEY}")]);
    let c4 = env.dg(&["connections", "connect", "stripe", "--value", &format!("Authorization={API_KEY}")]);
    assert_eq!(c4.status.code(), Some(0), "{}", err(&c4));
    let script = env.script(
        "w.dg",
        &format!(
            r#"r = invokeurl [ url: "{uri}/weather" type: GET parameters: {{"q": "Chennai"}} connection: "weather" ];
info r.get("city") + " " + r.get("temp");
info invokeurl [ url: "{uri}/hdr" type: GET connection: "hdr" ];
info invokeurl [ url: "{uri}/form" type: POST parameters: {{"a": "1"}} connection: "frm" ];
info invokeurl [ url: "https://api.stripe.com/v1/charges" connection: "stripe" ];
"#,
            uri = server.uri()
        ),
    );
    let o = env.run(&script, &["--trace"]);
    assert_eq!(out(&o), "Chennai 31.5\nheader ok\nform ok\nstripe ok\n", "{}", err(&o));
    assert!(err(&o).contains("appid=***"), "trace hides the key: {}", err(&o));
    let list = env.dg(&["connections", "list"]);
    assert!(out(&list).contains("weather") && out(&list).contains("connected"), "{}", out(&list));
    assert_no_secrets(&[&c1, &c2, &c3, &c4, &o, &list], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn basic_auth_wire_format() {
    let server = MockServer::start().await;
    // base64("ann:pw-PASS-5555")
    use base64::Engine;
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("ann:{PASSWORD}")));
    Mock::given(method("GET"))
        .and(path("/me"))
        .and(header("authorization", expected.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("hello ann"))
        .mount(&server)
        .await;
    let env = Env::new("[connections.intra]\nservice = \"intranet\"\n[services.intranet]\nauth = \"basic\"\n");
    let c = env.dg(&[
        "connections",
        "connect",
        "intra",
        "--value",
        "username=ann",
        "--value",
        &format!("password={PASSWORD}"),
    ]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    let script =
        env.script("b.dg", &format!("info invokeurl [ url: \"{}/me\" connection: \"intra\" ];\n", server.uri()));
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "hello ann\n", "{}", err(&o));
    let show = env.dg(&["connections", "show", "intra"]);
    assert!(out(&show).contains("user ann"), "{}", out(&show));
    assert_no_secrets(&[&c, &o, &show], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth2_code_exchange_and_zoho_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains(format!("code={CODE}")))
        .and(body_string_contains("client_id=1000.CLIENTID"))
        .and(body_string_contains(format!("client_secret={CLIENT_SECRET}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_answer(
            ACCESS,
            Some(REFRESH),
            3600,
            &server.uri(),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .and(header("authorization", format!("Zoho-oauthtoken {ACCESS}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": [{"id": "4876876000000123456", "Last_Name": "Lee"}]})),
        )
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    let c = env.dg(&["connections", "connect", "crm", "--code", CODE]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    // client credentials go in the form body, never as HTTP Basic
    let reqs: Vec<Request> = server.received_requests().await.unwrap();
    assert!(reqs.iter().all(|r| !r.headers.contains_key("authorization")));
    let script = env.script(
        "crm.dg",
        &format!(
            "r = invokeurl [ url: \"{}/crm/v8/Leads\" type: GET connection: \"crm\" ];\ninfo r.get(\"data\").get(0).get(\"id\");\n\
             r = invokeurl [ url: \"https://www.zohoapis.com/crm/v8/Leads\" type: GET connection: \"crm\" ];\ninfo r.get(\"data\").get(0).get(\"Last_Name\");\n",
            server.uri()
        ),
    );
    // the second call names Zoho's real host: the connection's api_url sends it to the test server
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "4876876000000123456\nLee\n", "{}", err(&o));
    let list = env.dg(&["connections", "list"]);
    assert!(out(&list).contains("connected"), "{}", out(&list));
    assert_no_secrets(&[&c, &o, &list], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_200_with_error_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"error": "invalid_code"})))
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    let c = env.dg(&["connections", "connect", "crm", "--code", CODE]);
    assert_eq!(c.status.code(), Some(1), "{}", err(&c));
    assert!(err(&c).starts_with("error: "), "{}", err(&c));
    assert!(err(&c).contains("invalid_code"), "{}", err(&c));
    let list = env.dg(&["connections", "list"]);
    assert!(out(&list).contains("not_connected"), "{}", out(&list));
    assert_no_secrets(&[&c, &list], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn scope_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    token_endpoint(&server, ACCESS, Some(REFRESH), 3600).await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.contacts.READ\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    let before = server.received_requests().await.unwrap().len();
    let script = env.script(
        "s.dg",
        &format!("r = invokeurl [ url: \"{}/crm/v8/Leads\" type: GET connection: \"crm\" ];\n", server.uri()),
    );
    let o = env.run(&script, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("ZohoCRM.modules.leads.READ") || e.contains("ZohoCRM.modules.Leads.READ"), "{e}");
    assert!(e.contains("'crm'") && e.contains("ZohoCRM.modules.contacts.READ"), "{e}");
    assert_eq!(server.received_requests().await.unwrap().len(), before, "nothing may be sent");
    // a task is refused the same way, also before sending
    let task = env.script("t.dg", "r = zoho.crm.getRecordById(\"Leads\", 4876876000000123456, \"crm\");\n");
    let o2 = env.run(&task, &[]);
    assert_eq!(o2.status.code(), Some(1));
    assert!(err(&o2).contains("zoho.crm.getRecordById"), "{}", err(&o2));
    assert_eq!(server.received_requests().await.unwrap().len(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_before_expiry_and_once_on_invalid_token() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), 2, &server.uri())),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains(format!("refresh_token={REFRESH}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_answer(ACCESS2, None, 3600, &server.uri())))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .and(header("authorization", format!("Zoho-oauthtoken {ACCESS2}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": []})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"code": "INVALID_TOKEN", "message": "invalid oauth token", "status": "error"}),
        ))
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let script = leads_script(&env, "r.dg", &server);
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "{\"data\":[]}\n", "{}", err(&o));
    let refreshes = refresh_count(&server).await;
    assert_eq!(refreshes, 1, "expired token refreshed once before the call");
    assert_no_secrets(&[&o], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_token_refreshes_once_scope_mismatch_never() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), 3600, &server.uri())),
    )
    .await;
    mount_token(
        &server,
        "refresh_token",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS2, None, 3600, &server.uri())),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .and(header("authorization", format!("Zoho-oauthtoken {ACCESS2}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string("fresh"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"code": "INVALID_TOKEN", "status": "error"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Deals"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"code": "OAUTH_SCOPE_MISMATCH", "message": "invalid oauth scope to access this URL", "status": "error"})))
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    let script = env.script(
        "r.dg",
        &format!(
            "info invokeurl [ url: \"{u}/crm/v8/Leads\" connection: \"crm\" ];\ninfo invokeurl [ url: \"{u}/crm/v8/Deals\" connection: \"crm\" ];\n",
            u = server.uri()
        ),
    );
    let o = env.run(&script, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.starts_with("fresh\n"), "{text}");
    assert!(text.contains("OAUTH_SCOPE_MISMATCH"), "4xx answers are returned as data: {text}");
    let refreshes = refresh_count(&server).await;
    assert_eq!(refreshes, 1, "one refresh for INVALID_TOKEN, none for OAUTH_SCOPE_MISMATCH");
}

#[tokio::test(flavor = "multi_thread")]
async fn revoke_at_the_provider() {
    let server = MockServer::start().await;
    token_endpoint(&server, ACCESS, Some(REFRESH), 3600).await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token/revoke"))
        .and(query_param("token", REFRESH))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "success"})))
        .expect(1)
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    let r = env.dg(&["connections", "revoke", "crm"]);
    assert_eq!(r.status.code(), Some(0), "{}", err(&r));
    let list = env.dg(&["connections", "list"]);
    assert!(out(&list).contains("revoked"), "{}", out(&list));
    let script = leads_script(&env, "x.dg", &server);
    let o = env.run(&script, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("dg connections connect crm"), "{}", err(&o));
    assert_eq!(count(&server, "/crm/v8/Leads").await, 0);
    let d = env.dg(&["connections", "delete", "crm"]);
    assert_eq!(d.status.code(), Some(0), "{}", err(&d));
    assert!(out(&env.dg(&["connections", "list"])).contains("not_connected"));
    assert_no_secrets(&[&r, &list, &o, &d], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_processes_make_one_refresh() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), 2, &server.uri())),
    )
    .await;
    mount_token(
        &server,
        "refresh_token",
        ResponseTemplate::new(200)
            .set_body_json(token_answer(ACCESS2, None, 3600, &server.uri()))
            .set_delay(std::time::Duration::from_millis(300)),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let script = leads_script(&env, "c.dg", &server);
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_dg"))
                .args(["run", &script])
                .env("DG_HOME", env.home())
                .env("DG_CONNECTIONS", env.dir.path().join("connections.toml"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(out(&o), "ok\n", "{}", err(&o));
    }
    let refreshes = refresh_count(&server).await;
    assert_eq!(refreshes, 1, "six processes, one refresh");
}

#[tokio::test(flavor = "multi_thread")]
async fn answers_as_data_detailed_and_files() {
    let server = MockServer::start().await;
    Mock::given(path("/err"))
        .respond_with(
            ResponseTemplate::new(500).set_body_string("<html>oops</html>").insert_header("content-type", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/bin"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(vec![0u8, 159, 146, 150])
                .insert_header("content-type", "application/pdf"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/json"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"b": 1, "a": [1, 2]}))
                .insert_header("X-Trace-Id", "t-1"),
        )
        .mount(&server)
        .await;
    let env = Env::new("");
    let script = env.script(
        "d.dg",
        &format!(
            r#"info invokeurl [ url: "{u}/err" type: GET ];
f = invokeurl [ url: "{u}/bin" ];
info f;
d = invokeurl [ url: "{u}/json" type: POST parameters: {{"x": "y"}} detailed: true ];
info d.get("responseCode");
info d.get("responseText");
info d.get("responseHeader").get("x-trace-id");
"#,
            u = server.uri()
        ),
    );
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "<html>oops</html>\nbin\n201\n{\"b\":1,\"a\":[1,2]}\nt-1\n", "{}", err(&o));
}

/// `getUrl`, `postUrl` and `invokeUrl(...)` build the request an `invokeurl` block would and
/// take the same pipeline: method, body, headers and the simple/detailed answers of their pages.
/// https://www.zoho.com/deluge/help/web-data/geturl.html
/// https://www.zoho.com/developer/help/scripting/post-url.html
#[tokio::test(flavor = "multi_thread")]
async fn function_forms_of_http_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/get"))
        .and(header("X-Key", "k1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": "no header"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/post"))
        .and(body_string_contains("name=Ann"))
        .respond_with(ResponseTemplate::new(201).set_body_string("created"))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/put"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({"id": 7})))
        .mount(&server)
        .await;
    let env = Env::new("");
    let script = env.script(
        "web.dg",
        &format!(
            r#"simple = getUrl("{u}/get", {{"X-Key": "k1"}});
info simple;
info simple.toMap().get("ok");
info getUrl("{u}/get");
d = getUrl("{u}/get", false);
info d.get("responseCode");
p = postUrl("{u}/post", {{"name": "Ann"}}, false);
info p.get("responseCode") + " " + p.get("responseText");
info postUrl("{u}/post", {{"name": "Ann"}});
i = invokeUrl("{u}/put", "PUT", {{"a": "b"}});
info i.get("id");
r = invokeUrl("{u}/put", "PUT", {{"a": "b"}}, {{"X-Key": "k1"}}, true);
info r.get("responseCode");
"#,
            u = server.uri()
        ),
    );
    let o = env.run(&script, &[]);
    assert_eq!(
        out(&o),
        "{\"ok\":true}\ntrue\n{\"ok\":\"no header\"}\n200\n201 created\ncreated\n7\n202\n",
        "{}",
        err(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_gives_one_clear_line() {
    // malformed file: the error names the file and line
    let env = Env::new("[connections.crm]\nservice = \"zohocrm\"\nscopes = [\"ZohoCRM.modules.ALL\"]\nbogus = 1\n");
    let o = env.dg(&["connections", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("connections.toml:"), "{}", err(&o));
    assert!(err(&o).contains("bogus"), "{}", err(&o));
    let env = Env::new("[connections.crm]\nservice = \"nosuch\"\n");
    let o = env.dg(&["connections", "list"]);
    assert!(err(&o).contains("unknown service 'nosuch'") && err(&o).contains(":2"), "{}", err(&o));
    let env = Env::new("[connections.Bad-Name]\nservice = \"zohocrm\"\n");
    assert!(err(&env.dg(&["connections", "list"])).contains("bad link name"));
    let env = Env::new("[connections.crm]\nscopes = []\n");
    assert!(err(&env.dg(&["connections", "list"])).contains("service"));
    // unknown link name and a connection that is not connected
    let env =
        Env::new("[connections.crm]\nservice = \"zohocrm\"\nscopes = [\"ZohoCRM.modules.ALL\"]\nclient_id = \"x\"\n");
    let s =
        env.script("u.dg", "info invokeurl [ url: \"https://www.zohoapis.com/crm/v8/Leads\" connection: \"nope\" ];\n");
    let o = env.run(&s, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("unknown connection 'nope'"), "{}", err(&o));
    let s =
        env.script("n.dg", "info invokeurl [ url: \"https://www.zohoapis.com/crm/v8/Leads\" connection: \"crm\" ];\n");
    let o = env.run(&s, &[]);
    assert!(err(&o).contains("is not connected") && err(&o).contains("dg connections connect crm"), "{}", err(&o));
    // provider down: a catchable error
    let s = env.script(
        "down.dg",
        "try { info invokeurl [ url: \"http://127.0.0.1:9/x\" ]; } catch (e) { info \"caught: \" + e.message; }\n",
    );
    let o = env.run(&s, &[]);
    assert!(out(&o).starts_with("caught: invokeurl GET http://127.0.0.1:9/x"), "{}{}", out(&o), err(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn oauth1_requests_are_signed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/1/statuses"))
        .respond_with(ResponseTemplate::new(200).set_body_string("signed"))
        .mount(&server)
        .await;
    let env = Env::new(&format!(
        r#"[connections.legacy]
service = "legacy"
[services.legacy]
auth = "oauth1"
consumer_key = "ck-CONSUMER"
consumer_secret = "{CLIENT_SECRET}"
request_token_url = "{u}/oauth/request_token"
authorize_url = "{u}/oauth/authorize"
access_token_url = "{u}/oauth/access_token"
"#,
        u = server.uri()
    ));
    let c = env.dg(&[
        "connections",
        "connect",
        "legacy",
        "--value",
        "token=tok-PUBLIC",
        "--value",
        &format!("token_secret={PASSWORD}"),
    ]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    let script = env.script(
        "o.dg",
        &format!("info invokeurl [ url: \"{}/1/statuses?count=2\" connection: \"legacy\" ];\n", server.uri()),
    );
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "signed\n", "{}", err(&o));
    let reqs = server.received_requests().await.unwrap();
    let auth = reqs[0].headers.get("authorization").unwrap().to_str().unwrap().to_string();
    for part in [
        "OAuth ",
        "oauth_consumer_key=\"ck-CONSUMER\"",
        "oauth_token=\"tok-PUBLIC\"",
        "oauth_signature_method=\"HMAC-SHA1\"",
        "oauth_signature=\"",
        "oauth_nonce=\"",
        "oauth_timestamp=\"",
        "oauth_version=\"1.0\"",
    ] {
        assert!(auth.contains(part), "{auth} lacks {part}");
    }
    assert!(!auth.contains(PASSWORD) && !auth.contains(CLIENT_SECRET));
    assert_no_secrets(&[&c, &o], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_refresh_marks_the_connection_expired() {
    let server = MockServer::start().await;
    // an access token of 2 s, expired by the time the script runs
    let env = connected_crm(&server, 2).await;
    mount_token(
        &server,
        "refresh_token",
        ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "invalid_grant"})),
    )
    .await;
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let script = leads_script(&env, "e.dg", &server);
    let o = env.run(&script, &[]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(e.contains("invalid_grant") && e.contains("dg connections connect crm"), "{e}");
    assert_eq!(e.lines().filter(|l| l.starts_with("error:")).count(), 1);
    assert!(out(&env.dg(&["connections", "list"])).contains("expired"));
    // the next run says so without asking the provider again
    let before = server.received_requests().await.unwrap().len();
    let o2 = env.run(&script, &[]);
    assert!(err(&o2).contains("has expired"), "{}", err(&o2));
    assert_eq!(server.received_requests().await.unwrap().len(), before);
    assert_no_secrets(&[&o, &o2], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn token_endpoint_answering_html_is_a_clean_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("<html><body>Maintenance</body></html>")
                .insert_header("content-type", "text/html"),
        )
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    let c = env.dg(&["connections", "connect", "crm", "--code", CODE]);
    assert_eq!(c.status.code(), Some(1), "{}", err(&c));
    assert!(err(&c).starts_with("error: "), "{}", err(&c));
    assert!(!err(&c).contains("panicked"));
    assert_no_secrets(&[&c], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn integration_tasks_make_zohos_rest_calls() {
    let server = MockServer::start().await;
    token_endpoint(&server, ACCESS, Some(REFRESH), 3600).await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads/4876876000000123456"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": [{"id": "4876876000000123456", "Last_Name": "Lee"}]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads/search"))
        .and(query_param("criteria", "(Email:equals:ann@x.example)"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/crm/v8/Leads"))
        .and(body_string_contains("{\"data\":[{\"Last_Name\":\"Okafor\"}]}"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"data": [{"code": "SUCCESS", "details": {"id": "4876876000000999999"}, "message": "record added", "status": "success"}]})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/books/v3/contacts"))
        .and(query_param("organization_id", "700000001"))
        .and(body_string_contains("JSONString="))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"code": 0, "message": "The contact has been added.", "contact": {"contact_id": "460000000026049", "contact_name": "Ann"}})))
        .mount(&server)
        .await;
    let env = Env::new(&format!(
        "{}\n[connections.books]\nservice = \"zohobooks\"\nscopes = [\"ZohoBooks.contacts.ALL\"]\nclient_id = \"1000.B\"\naccounts_url = \"{u}\"\napi_url = \"{u}\"\n",
        zoho_crm(&server, "\"ZohoCRM.modules.leads.ALL\""),
        u = server.uri()
    ));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    assert_eq!(env.dg(&["connections", "connect", "books", "--code", CODE]).status.code(), Some(0));
    let script = env.script(
        "t.dg",
        r#"lead = zoho.crm.getRecordById("Leads", 4876876000000123456, "crm");
info lead.get("Last_Name");
found = zoho.crm.searchRecords("Leads", "(Email:equals:ann@x.example)", "crm");
info found.size();
created = zoho.crm.createRecord("Leads", {"Last_Name": "Okafor"}, "crm");
info created.get("id");
contact = zoho.books.createRecord("contacts", "700000001", {"contact_name": "Ann"}, "books");
info contact.get("contact").get("contact_id");
"#,
    );
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "Lee\n0\n4876876000000999999\n460000000026049\n", "{}", err(&o));
}

/// `files:` uploads FILE values as multipart/form-data (field from `setParamName`, type from
/// `setFileType`, `parameters:` as text parts); a binary answer is a FILE the file functions read.
#[tokio::test(flavor = "multi_thread")]
async fn files_upload_as_multipart_and_download_as_file() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .and(header_regex_multipart())
        .and(body_string_contains("name=\"attachment\"; filename=\"notes.txt\""))
        .and(body_string_contains("Content-Type: text/csv"))
        .and(body_string_contains("alpha,beta"))
        .and(body_string_contains("name=\"folder\""))
        .respond_with(ResponseTemplate::new(200).set_body_string("uploaded"))
        .mount(&server)
        .await;
    Mock::given(path("/report.pdf"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(b"%PDF-1.4 x".to_vec())
                .insert_header("content-type", "application/pdf"),
        )
        .mount(&server)
        .await;
    let env = Env::new("");
    let script = env.script(
        "u.dg",
        &format!(
            r#"f = "alpha,beta".toFile("notes.txt");
f.setParamName("attachment");
f.setFileType("text/csv");
info invokeurl [ url: "{u}/upload" type: POST parameters: {{"folder": "docs"}} files: f ];
d = invokeurl [ url: "{u}/report.pdf" type: GET ];
info d.isFile();
info d.getFileName();
info d.getFileType();
info d.getFileSize();
info d.getFileContent();
"#,
            u = server.uri()
        ),
    );
    let o = env.run(&script, &[]);
    assert_eq!(out(&o), "uploaded\ntrue\nreport.pdf\napplication/pdf\n10\n%PDF-1.4 x\n", "{}", err(&o));
}

fn header_regex_multipart() -> wiremock::matchers::HeaderRegexMatcher {
    wiremock::matchers::header_regex("content-type", "^multipart/form-data; boundary=")
}
