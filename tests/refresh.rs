//! A token Zoho invalidates before it expires (a server-side 401 `INVALID_TOKEN`): concurrent
//! runs make one refresh between them, found by the exact token in the store, not by time.
//! Every interleaving of the eight processes must give one refresh: nothing here waits on a
//! clock.

mod common;

use common::*;
use std::process::Command;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test(flavor = "multi_thread")]
async fn eight_runs_after_a_server_side_401_make_one_refresh() {
    let server = MockServer::start().await;
    // The first token lasts an hour, so only the 401 can make a run refresh.
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
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            serde_json::json!({"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}),
        ))
        .mount(&server)
        .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    let script = leads_script(&env, "c.dg", &server);
    let children: Vec<_> = (0..8)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_dg"))
                .args(["run", &script, "--trace"])
                .env("DG_HOME", env.home())
                .env("DG_CONNECTIONS", env.dir.path().join("connections.toml"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut traced = 0;
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert_eq!(out(&o), "ok\n", "{}", err(&o));
        traced += err(&o).matches("trace: refreshing connection 'crm'").count();
    }
    assert_eq!(refresh_count(&server).await, 1, "eight processes, one refresh");
    assert_eq!(traced, 1, "--trace shows the one refresh request");
}

/// `--timeout` cuts a token refresh in flight: a token endpoint that never answers ends the
/// run with the time-limit error (the token client's own 40 s timeout would give another
/// error, so the words tell which stopped it; no clock is read here).
#[tokio::test(flavor = "multi_thread")]
async fn timeout_cuts_a_refresh_in_flight() {
    let server = MockServer::start().await;
    mount_token(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), 0, &server.uri())),
    )
    .await;
    mount_token(
        &server,
        "refresh_token",
        ResponseTemplate::new(200)
            .set_body_json(token_answer(ACCESS2, None, 3600, &server.uri()))
            .set_delay(std::time::Duration::from_secs(600)),
    )
    .await;
    let env = Env::new(&zoho_crm(&server, "\"ZohoCRM.modules.ALL\""));
    assert_eq!(env.dg(&["connections", "connect", "crm", "--code", CODE]).status.code(), Some(0));
    // The access token has expired when it is stored: the run refreshes before its first call.
    let script = leads_script(&env, "t.dg", &server);
    let o = env.run(&script, &["--timeout", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("Execution time limit exceeded"), "{}", err(&o));
}
