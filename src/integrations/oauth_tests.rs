//! Tests of the OAuth 2.0 flows against wiremock loopback servers and a raw-socket "browser".

use super::*;
use base64::prelude::*;
use sha2::{Digest, Sha256};
use std::future::Future;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "client-secret-0123456789";
const CODE: &str = "1000.code.abcdef123456";
const REFRESH: &str = "1000.refresh.fedcba654321";

fn run<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(f)
}

fn client(server: &str, zoho: bool) -> OAuthClient {
    OAuthClient {
        client_id: "1000.CLIENTID".into(),
        client_secret: Some(SecretString::from(SECRET)),
        authorize_url: Some(format!("{server}/oauth/v2/auth")),
        token_url: format!("{server}/oauth/v2/token"),
        refresh_url: None,
        revoke_url: None,
        scopes: vec!["ZohoCRM.modules.ALL".into(), "ZohoBooks.fullaccess.ALL".into()],
        scope_delimiter: if zoho { ",".into() } else { " ".into() },
        zoho,
        redirect_url: Some("http://127.0.0.1:8765/callback".into()),
    }
}

fn json(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json;charset=UTF-8")
}

/// The decoded form body of the one request the server received.
async fn only_request(server: &MockServer) -> (wiremock::Request, Vec<(String, String)>) {
    let mut requests = server.received_requests().await.expect("recording on");
    assert_eq!(requests.len(), 1);
    let request = requests.remove(0);
    let form = form_urlencoded::parse(&request.body).into_owned().collect();
    (request, form)
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn query(url: &str) -> Vec<(String, String)> {
    Url::parse(url).expect("url").query_pairs().into_owned().collect()
}

fn assert_no_secret(message: &str) {
    for secret in [SECRET, CODE, REFRESH, "verifier-", "access-token-"] {
        assert!(!message.contains(secret), "`{message}` shows a secret");
    }
}

#[test]
fn zoho_authorize_url_has_pkce_state_and_comma_scopes() {
    let c = client("https://accounts.zoho.com", true);
    let request = authorize(&c, &[]).unwrap();
    let q = query(&request.url);
    assert!(request.url.starts_with("https://accounts.zoho.com/oauth/v2/auth?"));
    assert_eq!(field(&q, "response_type"), Some("code"));
    assert_eq!(field(&q, "client_id"), Some("1000.CLIENTID"));
    assert_eq!(field(&q, "state"), Some(request.state.as_str()));
    assert!(request.state.len() >= 16);
    assert_eq!(field(&q, "code_challenge_method"), Some("S256"));
    let challenge = BASE64_URL_SAFE_NO_PAD.encode(Sha256::digest(request.pkce_verifier.expose_secret()));
    assert_eq!(field(&q, "code_challenge"), Some(challenge.as_str()));
    assert_eq!(field(&q, "scope"), Some("ZohoCRM.modules.ALL,ZohoBooks.fullaccess.ALL"));
    assert_eq!(field(&q, "access_type"), Some("offline"));
    assert_eq!(field(&q, "prompt"), Some("consent"));
    assert_eq!(field(&q, "redirect_uri"), Some("http://127.0.0.1:8765/callback"));
    assert!(!request.url.contains(SECRET));
    assert_ne!(authorize(&c, &[]).unwrap().state, request.state, "state is random");
}

#[test]
fn authorize_url_of_other_services() {
    let mut c = client("https://example.com", false);
    c.scopes = vec!["read".into(), "write".into()];
    let request = authorize(&c, &[("audience", "api")]).unwrap();
    let q = query(&request.url);
    assert_eq!(field(&q, "scope"), Some("read write"));
    assert_eq!(field(&q, "audience"), Some("api"));
    assert_eq!(field(&q, "access_type"), None);
    c.scope_delimiter = "+".into();
    assert!(authorize(&c, &[]).unwrap().url.contains("scope=read+write"));
    c.authorize_url = None;
    assert!(authorize(&c, &[]).is_err());
    // Zoho's defaults give way to the caller's.
    let c = client("https://accounts.zoho.com", true);
    let q = query(&authorize(&c, &[("prompt", "none")]).unwrap().url);
    assert_eq!(q.iter().filter(|(k, _)| k == "prompt").count(), 1);
    assert_eq!(field(&q, "prompt"), Some("none"));
}

#[test]
fn zoho_code_exchange_sends_credentials_in_the_body_and_keeps_api_domain() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/v2/token"))
            .respond_with(json(
                r#"{"access_token":"access-token-1","refresh_token":"1000.refresh.new","scope":"ZohoCRM.modules.ALL",
                    "api_domain":"https://www.zohoapis.eu","token_type":"Bearer","expires_in":3600}"#,
            ))
            .mount(&server)
            .await;
        let c = client(&server.uri(), true);
        let verifier = SecretString::from("verifier-0123456789");
        let tokens = exchange_code(&reqwest::Client::new(), &c, CODE, Some(&verifier)).await.unwrap();
        assert_eq!(tokens.access_token.expose_secret(), "access-token-1");
        assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose_secret()), Some("1000.refresh.new"));
        assert_eq!(tokens.api_domain.as_deref(), Some("https://www.zohoapis.eu"));
        assert_eq!(tokens.expires_in, Some(3600));
        assert_eq!(tokens.scope.as_deref(), Some("ZohoCRM.modules.ALL"));
        assert_eq!(tokens.token_type.as_deref(), Some("bearer"));
        assert!(!format!("{tokens:?}").contains("access-token-1"), "Debug hides tokens");

        let (request, form) = only_request(&server).await;
        assert!(request.headers.get("authorization").is_none(), "no HTTP Basic for Zoho");
        assert_eq!(field(&form, "grant_type"), Some("authorization_code"));
        assert_eq!(field(&form, "client_id"), Some("1000.CLIENTID"));
        assert_eq!(field(&form, "client_secret"), Some(SECRET));
        assert_eq!(field(&form, "code"), Some(CODE));
        assert_eq!(field(&form, "code_verifier"), Some("verifier-0123456789"));
        assert_eq!(field(&form, "redirect_uri"), Some("http://127.0.0.1:8765/callback"));
    });
}

#[test]
fn other_services_use_http_basic() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json(r#"{"access_token":"access-token-2","token_type":"bearer"}"#))
            .mount(&server)
            .await;
        let c = client(&server.uri(), false);
        let tokens = exchange_code(&reqwest::Client::new(), &c, CODE, None).await.unwrap();
        assert_eq!(tokens.expires_in, None);
        assert_eq!(tokens.api_domain, None);
        let (request, form) = only_request(&server).await;
        let basic = format!("Basic {}", BASE64_STANDARD.encode(format!("1000.CLIENTID:{SECRET}")));
        assert_eq!(request.headers.get("authorization").and_then(|v| v.to_str().ok()), Some(basic.as_str()));
        assert_eq!(field(&form, "client_secret"), None);
        assert_eq!(field(&form, "code_verifier"), None);
    });
}

#[test]
fn zoho_error_with_http_200_is_an_error_quoting_the_code() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(json(r#"{"error":"invalid_code"}"#)).mount(&server).await;
        let c = client(&server.uri(), true);
        let verifier = SecretString::from("verifier-0123456789");
        let err = exchange_code(&reqwest::Client::new(), &c, CODE, Some(&verifier)).await.unwrap_err();
        assert_eq!(err.code.as_deref(), Some("invalid_code"));
        assert_eq!(err.to_string(), "the token request failed: invalid_code");
        assert_no_secret(&err.to_string());
        assert_no_secret(&format!("{err:?}"));
    });
}

#[test]
fn error_descriptions_are_kept_but_secrets_in_them_are_not() {
    run(async {
        let server = MockServer::start().await;
        let body = format!(r#"{{"error":"invalid_client","error_description":"secret {SECRET} is wrong"}}"#);
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(401).set_body_string(body)).mount(&server).await;
        let err = exchange_code(&reqwest::Client::new(), &client(&server.uri(), false), CODE, None).await.unwrap_err();
        assert_eq!(err.code.as_deref(), Some("invalid_client"));
        assert_eq!(err.to_string(), "the token request failed: invalid_client (secret [redacted] is wrong)");
    });
}

#[test]
fn answers_that_are_not_oauth_errors() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(path("/html"))
            .respond_with(ResponseTemplate::new(500).set_body_string("<html>oops</html>"))
            .mount(&server)
            .await;
        Mock::given(path("/notoken")).respond_with(json(r#"{"status":"ok"}"#)).mount(&server).await;
        let http = reqwest::Client::new();
        let mut c = client(&server.uri(), true);
        c.token_url = format!("{}/html", server.uri());
        let err = exchange_code(&http, &c, CODE, None).await.unwrap_err();
        assert_eq!(err.to_string(), "the token request failed: HTTP 500 without an OAuth error code");
        c.token_url = format!("{}/notoken", server.uri());
        let err = exchange_code(&http, &c, CODE, None).await.unwrap_err();
        assert!(err.to_string().contains("missing field `access_token`"), "{err}");
        assert_eq!(err.code, None);
        Mock::given(path("/plain"))
            .respond_with(ResponseTemplate::new(200).set_body_string("hello"))
            .mount(&server)
            .await;
        c.token_url = format!("{}/plain", server.uri());
        let err = exchange_code(&http, &c, CODE, None).await.unwrap_err();
        assert_eq!(err.to_string(), "the token request failed: the answer is not a token response: it is not JSON");
    });
}

#[test]
fn form_encoded_answers_and_string_lifetimes_are_understood() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                b"access_token=access-token-3&expires_in=7200&scope=repo".to_vec(),
                "application/x-www-form-urlencoded",
            ))
            .mount(&server)
            .await;
        let tokens = client_credentials(&reqwest::Client::new(), &client(&server.uri(), false)).await.unwrap();
        assert_eq!(tokens.access_token.expose_secret(), "access-token-3");
        assert_eq!(tokens.expires_in, Some(7200));
        assert_eq!(tokens.token_type.as_deref(), Some("bearer"));
    });
}

#[test]
fn refresh_keeps_the_old_refresh_token_when_none_comes_back() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/refresh"))
            .respond_with(json(
                r#"{"access_token":"access-token-4","api_domain":"https://www.zohoapis.com","token_type":"Bearer","expires_in":3600}"#,
            ))
            .mount(&server)
            .await;
        let mut c = client(&server.uri(), true);
        c.refresh_url = Some(format!("{}/refresh", server.uri()));
        let old = SecretString::from(REFRESH);
        let tokens = refresh(&reqwest::Client::new(), &c, &old).await.unwrap();
        assert_eq!(tokens.access_token.expose_secret(), "access-token-4");
        assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose_secret()), Some(REFRESH));
        assert_eq!(tokens.api_domain.as_deref(), Some("https://www.zohoapis.com"));
        let (request, form) = only_request(&server).await;
        assert!(request.headers.get("authorization").is_none());
        assert_eq!(field(&form, "grant_type"), Some("refresh_token"));
        assert_eq!(field(&form, "refresh_token"), Some(REFRESH));
        assert_eq!(field(&form, "client_id"), Some("1000.CLIENTID"));
        assert_eq!(field(&form, "client_secret"), Some(SECRET));
    });
}

#[test]
fn refresh_takes_a_rotated_refresh_token_and_reports_errors_without_it() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(path("/oauth/v2/token"))
            .respond_with(json(r#"{"access_token":"access-token-5","refresh_token":"rotated","token_type":"bearer"}"#))
            .mount(&server)
            .await;
        let http = reqwest::Client::new();
        let c = client(&server.uri(), false);
        let tokens = refresh(&http, &c, &SecretString::from(REFRESH)).await.unwrap();
        assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose_secret()), Some("rotated"));

        let failing = MockServer::start().await;
        let body = format!(r#"{{"error":"invalid_grant","error_description":"token {REFRESH} expired"}}"#);
        Mock::given(method("POST")).respond_with(json(&body)).mount(&failing).await;
        let err = refresh(&http, &client(&failing.uri(), true), &SecretString::from(REFRESH)).await.unwrap_err();
        assert_eq!(err.code.as_deref(), Some("invalid_grant"));
        assert_no_secret(&err.to_string());
    });
}

#[test]
fn client_credentials_sends_grant_and_scopes() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json(r#"{"access_token":"access-token-6","token_type":"Bearer","expires_in":"3599"}"#))
            .mount(&server)
            .await;
        let mut c = client(&server.uri(), false);
        c.scopes = vec!["read".into(), "write".into()];
        let tokens = client_credentials(&reqwest::Client::new(), &c).await.unwrap();
        assert_eq!(tokens.access_token.expose_secret(), "access-token-6");
        assert_eq!(tokens.expires_in, Some(3599));
        let (request, form) = only_request(&server).await;
        assert!(request.headers.get("authorization").is_some());
        assert_eq!(field(&form, "grant_type"), Some("client_credentials"));
        assert_eq!(field(&form, "scope"), Some("read write"));
    });
}

#[test]
fn zoho_revoke_posts_the_token_in_the_query() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/v2/token/revoke"))
            .and(query_param("token", REFRESH))
            .respond_with(json(r#"{"status":"success"}"#))
            .expect(1)
            .mount(&server)
            .await;
        let http = reqwest::Client::new();
        revoke(&http, &client(&server.uri(), true), &SecretString::from(REFRESH)).await.unwrap();
        server.verify().await;

        let failing = MockServer::start().await;
        Mock::given(method("POST")).respond_with(json(r#"{"error":"invalid_token"}"#)).mount(&failing).await;
        let err = revoke(&http, &client(&failing.uri(), true), &SecretString::from(REFRESH)).await.unwrap_err();
        assert_eq!(err.code.as_deref(), Some("invalid_token"));
        assert_eq!(err.to_string(), "the token revocation failed: invalid_token");
    });
}

#[test]
fn rfc7009_revoke_posts_a_form() {
    run(async {
        let server = MockServer::start().await;
        Mock::given(method("POST")).and(path("/revoke")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
        let mut c = client(&server.uri(), false);
        c.revoke_url = Some(format!("{}/revoke", server.uri()));
        revoke(&reqwest::Client::new(), &c, &SecretString::from(REFRESH)).await.unwrap();
        let (request, form) = only_request(&server).await;
        assert_eq!(field(&form, "token"), Some(REFRESH));
        assert!(request.url.query().is_none());
        assert!(request.headers.get("authorization").is_some());
        c.revoke_url = None;
        assert!(revoke(&reqwest::Client::new(), &c, &SecretString::from(REFRESH)).await.is_err());
    });
}

#[test]
fn unreachable_servers_are_errors_without_secrets() {
    run(async {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let http = reqwest::Client::new();
        let c = client(&format!("http://127.0.0.1:{port}"), true);
        let err = revoke(&http, &c, &SecretString::from(REFRESH)).await.unwrap_err();
        assert!(err.to_string().starts_with("the token revocation failed: could not connect"), "{err}");
        assert_no_secret(&err.to_string());
        let err = refresh(&http, &c, &SecretString::from(REFRESH)).await.unwrap_err();
        assert!(err.to_string().starts_with("the token request failed: could not connect"), "{err}");
        assert_no_secret(&err.to_string());
    });
}

/// Send one raw HTTP GET to the listener and return the answer's status line.
async fn browser(port: u16, target: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn redirect_listener_returns_the_code() {
    run(async {
        let listener = bind_redirect_listener(0).await.unwrap();
        let port = listener.port();
        assert_eq!(listener.redirect_url(), format!("http://127.0.0.1:{port}/callback"));
        let (result, statuses) = tokio::join!(listener.wait_for_code("state-1", Duration::from_secs(10)), async {
            // An idle preconnect and a favicon request must not hold up the callback.
            let _idle = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            let favicon = browser(port, "/favicon.ico").await;
            let callback = browser(
                port,
                "/callback?state=state-1&code=1000.code.abcdef123456&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu",
            )
            .await;
            (favicon, callback)
        });
        let redirect = result.unwrap();
        assert_eq!(redirect.code.expose_secret(), CODE);
        assert_eq!(redirect.accounts_server.as_deref(), Some("https://accounts.zoho.eu"));
        assert_eq!(statuses.0, "HTTP/1.1 404 Not Found");
        assert_eq!(statuses.1, "HTTP/1.1 200 OK");
    });
}

#[test]
fn redirect_listener_rejects_a_wrong_state_and_provider_errors() {
    run(async {
        let listener = bind_redirect_listener(0).await.unwrap();
        let port = listener.port();
        let (result, status) = tokio::join!(
            listener.wait_for_code("state-1", Duration::from_secs(10)),
            browser(port, "/callback?state=forged&code=1000.code.abcdef123456")
        );
        let err = result.unwrap_err();
        assert!(err.to_string().contains("`state` does not match"), "{err}");
        assert_no_secret(&err.to_string());
        assert_eq!(status, "HTTP/1.1 400 Bad Request");

        let listener = bind_redirect_listener(0).await.unwrap();
        let port = listener.port();
        let (result, _) = tokio::join!(
            listener.wait_for_code("state-1", Duration::from_secs(10)),
            browser(port, "/callback?error=access_denied&state=state-1")
        );
        let err = result.unwrap_err();
        assert_eq!(err.code.as_deref(), Some("access_denied"));
        assert_eq!(err.to_string(), "the authorization failed: the provider answered access_denied");
    });
}

#[test]
fn redirect_listener_times_out() {
    run(async {
        let listener = bind_redirect_listener(0).await.unwrap();
        let err = listener.wait_for_code("s", Duration::from_millis(100)).await.unwrap_err();
        assert!(err.to_string().contains("did not come within"), "{err}");
    });
}
