//! Network faults, through the `dg` binary against loopback servers (wiremock, and raw TCP
//! and TLS servers for what wiremock cannot do): refused connections, a reset or a slow body,
//! an untrusted certificate, 429 and 5xx answers, HTML where JSON was expected, download
//! caps, and tokens that fail. Each must end in one clear outcome, in bounded time.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A raw HTTP server on loopback: each of at most `conns` connections is handed to `serve` on
/// its own thread; it stops accepting after that or after 60 s.
fn raw_server(conns: usize, serve: fn(TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let until = Instant::now() + Duration::from_secs(60);
        let mut served = 0;
        while served < conns && Instant::now() < until {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).unwrap();
                    served += 1;
                    std::thread::spawn(move || serve(stream));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    url
}

/// Read the request's head, so that what the server writes next is the answer to it.
fn read_head(s: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && s.read(&mut byte).unwrap_or(0) == 1 {
        head.push(byte[0]);
    }
}

/// Run a script, and check that it ended within `limit`.
fn run_within(env: &Env, script: &str, extra: &[&str], limit: Duration) -> std::process::Output {
    let started = Instant::now();
    let o = env.run(script, extra);
    assert!(started.elapsed() < limit, "took {:?}: {}", started.elapsed(), err(&o));
    assert!(!err(&o).contains("panicked"), "{}", err(&o));
    o
}

/// The one `error: ` line of stderr (after any `--trace` lines).
fn error_line(o: &std::process::Output) -> String {
    let e = err(o);
    let lines: Vec<&str> = e.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(lines.len(), 1, "{e}");
    lines[0].to_string()
}

#[test]
fn connection_refused_is_a_catchable_error() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let env = Env::new("");
    let caught = env.script(
        "c.dg",
        &format!("try {{ r = invokeurl [ url: \"http://127.0.0.1:{port}/x\" ]; }} catch (e) {{ info \"caught: \" + e.message; }}\ninfo \"went on\";\n"),
    );
    let o = run_within(&env, &caught, &[], Duration::from_secs(10));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("could not connect") && text.contains("refused"), "{text}");
    assert!(text.ends_with("went on\n"), "{text}");
    let uncaught = env.script("u.dg", &format!("r = invokeurl [ url: \"http://127.0.0.1:{port}/x\" ];\n"));
    let o = run_within(&env, &uncaught, &[], Duration::from_secs(10));
    assert_eq!(o.status.code(), Some(1));
    let line = error_line(&o);
    assert!(line.contains(&format!("invokeurl GET http://127.0.0.1:{port}/x: could not connect")), "{line}");
}

#[test]
fn reset_in_the_middle_of_the_body_is_cut_off() {
    let url = raw_server(1, |mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n");
        let _ = s.write_all(&[b'a'; 5000]);
        std::thread::sleep(Duration::from_millis(100));
        // close with a zero linger: the kernel sends a reset, not an orderly end
        let _ = socket2::SockRef::from(&s).set_linger(Some(Duration::ZERO));
        drop(s);
    });
    let env = Env::new("");
    let script = env.script("r.dg", &format!("r = invokeurl [ url: \"{url}/file\" ];\ninfo r.length();\n"));
    let o = run_within(&env, &script, &["--trace"], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(out(&o), "", "nothing half-read is returned");
    let line = error_line(&o);
    assert!(line.contains("the answer was cut off"), "{line}");
    assert!(err(&o).contains("trace: GET"), "{}", err(&o));
}

#[test]
fn timeout_ends_a_slow_body_and_cannot_be_caught() {
    let url = raw_server(1, |mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 600\r\n\r\n");
        // a byte every 100 ms: a minute for the whole answer, unless the client hangs up
        for _ in 0..600 {
            if s.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let env = Env::new("");
    let script = env.script(
        "s.dg",
        &format!(
            "try {{ r = invokeurl [ url: \"{url}/slow\" ]; }} catch (e) {{ info \"caught\"; }}\ninfo \"after\";\n"
        ),
    );
    let o = run_within(&env, &script, &["--timeout", "1.5"], Duration::from_secs(6));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert_eq!(out(&o), "", "a limit error is not caught");
    let line = error_line(&o);
    assert_eq!(line, "error: Execution time limit exceeded: the script ran for more than 1.5 seconds");
}

/// Zoho's own limit, for real: 40 s of silence from the server, then a catchable error.
#[test]
fn a_server_that_never_answers_is_given_up_after_40_s() {
    let url = raw_server(1, |mut s| {
        read_head(&mut s);
        // say nothing; wait for the client to hang up
        let mut byte = [0u8; 1];
        let _ = s.set_read_timeout(Some(Duration::from_secs(90)));
        let _ = s.read(&mut byte);
    });
    let env = Env::new("");
    let script = env.script(
        "silent.dg",
        &format!("try {{ r = invokeurl [ url: \"{url}/silent\" ]; }} catch (e) {{ info e.get(\"message\"); }}\ninfo \"after\";\n"),
    );
    let started = Instant::now();
    let o = run_within(&env, &script, &["--trace"], Duration::from_secs(55));
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(39), "gave up after {took:?}");
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let printed = out(&o);
    assert!(printed.contains("timed out: no full answer within 40 s (Zoho's limit)"), "{printed}");
    assert!(printed.ends_with("after\n"), "{printed}");
    assert!(err(&o).contains("timed out"), "--trace shows it: {}", err(&o));
}

#[test]
fn untrusted_certificate_and_plain_text_on_https_are_refused() {
    // a real TLS server whose certificate no authority signed
    let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/self-signed-localhost.pem")).unwrap();
    use rustls_pki_types::pem::PemObject;
    let certs: Vec<_> =
        rustls_pki_types::CertificateDer::pem_slice_iter(&pem).collect::<Result<_, _>>().expect("certificate");
    let key = rustls_pki_types::PrivateKeyDer::from_pem_slice(&pem).expect("key");
    let provider = std::sync::Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handshakes = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = handshakes.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            listener.set_nonblocking(true).unwrap();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let deadline = tokio::time::sleep(Duration::from_secs(60));
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => break,
                    Ok((tcp, _)) = listener.accept() => {
                        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let _ = acceptor.accept(tcp).await;
                    }
                }
            }
        });
    });
    let env = Env::new("");
    let script = env.script("t.dg", &format!("r = invokeurl [ url: \"https://localhost:{port}/secure\" ];\n"));
    let o = run_within(&env, &script, &[], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let line = error_line(&o);
    assert!(line.contains("the TLS handshake failed") && line.contains("UnknownIssuer"), "{line}");
    assert!(handshakes.load(std::sync::atomic::Ordering::SeqCst) >= 1, "the server saw the attempt");
    // a server that answers plain HTTP where TLS was expected
    let url = raw_server(1, |mut s| {
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        std::thread::sleep(Duration::from_millis(100));
    });
    let https = url.replace("http://", "https://");
    let script = env.script("p.dg", &format!("r = invokeurl [ url: \"{https}/x\" ];\n"));
    let o = run_within(&env, &script, &[], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(1));
    assert!(error_line(&o).contains("the TLS handshake failed"), "{}", err(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limits_and_server_errors_come_back_as_data_and_show_in_trace() {
    let server = MockServer::start().await;
    Mock::given(path("/limited"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "30")
                .set_body_json(serde_json::json!({"code": "TOO_MANY_REQUESTS", "status": "error"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .mount(&server)
        .await;
    Mock::given(path("/broken"))
        .respond_with(ResponseTemplate::new(500).set_body_json(serde_json::json!({"message": "internal"})))
        .mount(&server)
        .await;
    let env = Env::new("");
    let script = env.script(
        "r.dg",
        &format!(
            r#"r = invokeurl [ url: "{u}/limited" type: GET detailed: true ];
info r.get("responseCode") + " " + r.get("responseText").get("code") + " " + r.get("responseHeader").get("retry-after");
info invokeurl [ url: "{u}/down" ];
info invokeurl [ url: "{u}/broken" type: POST ];
"#,
            u = server.uri()
        ),
    );
    let o = run_within(&env, &script, &["--trace"], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "429 TOO_MANY_REQUESTS 30\nService Unavailable\n{\"message\":\"internal\"}\n");
    let e = err(&o);
    assert!(e.contains("/limited -> 429 in") && e.contains("(Retry-After: 30)"), "{e}");
    assert!(e.contains("/down -> 503 in"), "{e}");
    assert!(e.contains("POST") && e.contains("/broken -> 500 in"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn html_where_json_was_expected() {
    let server = MockServer::start().await;
    let page = "<html><head><title>502 Bad Gateway</title></head><body>upstream down</body></html>";
    Mock::given(path("/crm/v8/Leads/4876876000000123456"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    Mock::given(path("/page"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let env = connected_crm(&server, 3600).await;
    // invokeurl returns the page as text, as Zoho does
    let s = env.script(
        "p.dg",
        &format!("r = invokeurl [ url: \"{}/page\" ];\ninfo r.contains(\"Bad Gateway\");\n", server.uri()),
    );
    let o = run_within(&env, &s, &[], Duration::from_secs(15));
    assert_eq!(out(&o), "true\n", "{}", err(&o));
    // an integration task says the API did not answer JSON
    let s = env.script("t.dg", "r = zoho.crm.getRecordById(\"Leads\", 4876876000000123456, \"crm\");\ninfo r;\n");
    let o = run_within(&env, &s, &[], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let line = error_line(&o);
    assert!(
        line.contains("zoho.crm.getRecordById: the API answered HTTP 502 with text/html instead of JSON: <html>"),
        "{line}"
    );
    assert_no_secrets(&[&o], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn downloads_past_zohos_caps_are_refused() {
    let server = MockServer::start().await;
    let mib = 1024 * 1024;
    Mock::given(path("/six"))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 6 * mib]).insert_header("content-type", "text/plain"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/crm/v8/files/six"))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(vec![b'y'; 6 * mib]).insert_header("content-type", "text/plain"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/crm/v8/files/sixteen"))
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(vec![b'z'; 16 * mib]).insert_header("content-type", "text/plain"),
        )
        .mount(&server)
        .await;
    let env = connected_crm(&server, 3600).await;
    let s = env.script("o.dg", &format!("r = invokeurl [ url: \"{}/six\" ];\n", server.uri()));
    let o = run_within(&env, &s, &[], Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(1));
    assert!(error_line(&o).contains("larger than 5 MB, Zoho's download limit for hosts outside Zoho"), "{}", err(&o));
    // a body without a length, ended by closing the connection, is capped while it streams
    let url = raw_server(1, |mut s| {
        read_head(&mut s);
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
        for _ in 0..6 * 16 {
            if s.write_all(&[b'w'; 64 * 1024]).is_err() {
                return;
            }
        }
    });
    let s = env.script("u.dg", &format!("r = invokeurl [ url: \"{url}/stream\" ];\n"));
    let o = run_within(&env, &s, &[], Duration::from_secs(20));
    assert!(error_line(&o).contains("larger than 5 MB"), "{}", err(&o));
    // Zoho's own hosts (here through the connection's api_url) may send up to 15 MB
    let s = env.script(
        "z.dg",
        "r = invokeurl [ url: \"https://www.zohoapis.com/crm/v8/files/six\" connection: \"crm\" ];\ninfo r.length();\n\
         r = invokeurl [ url: \"https://www.zohoapis.com/crm/v8/files/sixteen\" connection: \"crm\" ];\n",
    );
    let o = run_within(&env, &s, &[], Duration::from_secs(30));
    assert_eq!(out(&o), format!("{}\n", 6 * mib), "{}", err(&o));
    assert!(error_line(&o).contains("larger than 15 MB, Zoho's download limit for Zoho's hosts"), "{}", err(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn repeated_invalid_token_answers_make_one_refresh() {
    let server = MockServer::start().await;
    let env = connected_crm(&server, 3600).await;
    mount_token(
        &server,
        "refresh_token",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS2, None, 3600, &server.uri())),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(serde_json::json!({"code": "INVALID_TOKEN", "status": "error"})),
        )
        .mount(&server)
        .await;
    let s = env.script(
        "storm.dg",
        &format!(
            "n = 0;\nfor each i in \"0123456789abcdefghij\".toList(\"\") {{\n  r = invokeurl [ url: \"{}/crm/v8/Leads\" connection: \"crm\" ];\n  if (r.get(\"code\") == \"INVALID_TOKEN\") {{ n = n + 1; }}\n}}\ninfo n;\n",
            server.uri()
        ),
    );
    let o = run_within(&env, &s, &["--trace"], Duration::from_secs(20));
    assert_eq!(out(&o), "20\n", "every 401 comes back as data: {}", err(&o));
    assert_eq!(refresh_count(&server).await, 1, "twenty 401s, one refresh");
    assert!(err(&o).contains("was refreshed once this run already"), "{}", err(&o));
    assert_eq!(count(&server, "/crm/v8/Leads").await, 21, "the refreshed call is retried once");
    assert_no_secrets(&[&o], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_refresh_token_marks_the_connection_expired() {
    let server = MockServer::start().await;
    // an access token of 2 s, expired by the time the script runs
    let env = connected_crm(&server, 2).await;
    // Zoho answers a revoked refresh token with HTTP 200 and an error code
    mount_token(
        &server,
        "refresh_token",
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"error": "invalid_code"})),
    )
    .await;
    std::thread::sleep(Duration::from_millis(2100));
    let s = leads_script(&env, "e.dg", &server);
    let o = run_within(&env, &s, &[], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(1));
    let line = error_line(&o);
    assert!(
        line.contains("has expired") && line.contains("invalid_code") && line.contains("dg connections connect crm"),
        "{line}"
    );
    assert!(out(&env.dg(&["connections", "list"])).contains("expired"));
    assert_no_secrets(&[&o], &env.home());
}

#[tokio::test(flavor = "multi_thread")]
async fn rate_limited_token_endpoint_keeps_the_connection() {
    let server = MockServer::start().await;
    // an access token of 2 s, expired by the time the script runs
    let env = connected_crm(&server, 2).await;
    mount_token(&server, "refresh_token", ResponseTemplate::new(429).insert_header("Retry-After", "60")).await;
    std::thread::sleep(Duration::from_millis(2100));
    let s = leads_script(&env, "e.dg", &server);
    let o = run_within(&env, &s, &[], Duration::from_secs(15));
    assert_eq!(o.status.code(), Some(1));
    let line = error_line(&o);
    assert!(line.contains("HTTP 429") && line.contains("retry after 60 s"), "{line}");
    let list = out(&env.dg(&["connections", "list"]));
    assert!(list.contains("connected") && !list.contains("expired"), "a busy provider does not expire it: {list}");
    assert_no_secrets(&[&o], &env.home());
}
