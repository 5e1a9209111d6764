//! Helpers shared by the end-to-end test files: a fresh state directory and connections
//! file, the `dg` binary run against them, known secret values and the check that none of
//! them leaks, and Zoho-style token answers from a wiremock server.
#![allow(dead_code)]

pub mod golden;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const CLIENT_SECRET: &str = "cs-SECRET-9f8e7d";
pub const ACCESS: &str = "at-ACCESS-1111";
pub const ACCESS2: &str = "at-ACCESS-2222";
pub const REFRESH: &str = "rt-REFRESH-3333";
pub const API_KEY: &str = "ak-KEY-4444";
pub const PASSWORD: &str = "pw-PASS-5555";
pub const CODE: &str = "code-GRANT-6666";

/// A fresh state directory, connections file and script folder.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new(connections: &str) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("connections.toml"), connections).unwrap();
        Env { dir }
    }
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("state")
    }
    pub fn dg(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dg"))
            .args(args)
            .env("DG_HOME", self.home())
            .env("DG_CONNECTIONS", self.dir.path().join("connections.toml"))
            .env_remove("DG_MASTER_KEY")
            .output()
            .expect("run dg")
    }
    pub fn script(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }
    pub fn run(&self, script: &str, extra: &[&str]) -> Output {
        let mut args = vec!["run", script];
        args.extend_from_slice(extra);
        self.dg(&args)
    }
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The secret values the tests connect with: none may ever be printed or stored in plain text.
pub const SECRETS: [&str; 7] = [CLIENT_SECRET, ACCESS, ACCESS2, REFRESH, API_KEY, PASSWORD, CODE];

/// No secret in any output, nor in plain text anywhere under the state directory.
pub fn assert_no_secrets(outputs: &[&Output], state: &Path) {
    assert_none_of(&SECRETS, outputs, state);
}

/// None of `secrets` in any output (nor a panic message), nor in any file under `state`.
pub fn assert_none_of(secrets: &[&str], outputs: &[&Output], state: &Path) {
    for o in outputs {
        assert!(!err(o).contains("panicked"), "a panic: {}", err(o));
        for s in secrets {
            assert!(!out(o).contains(s), "stdout leaks {s}: {}", out(o));
            assert!(!err(o).contains(s), "stderr leaks {s}: {}", err(o));
        }
    }
    for entry in walk(state) {
        let bytes = std::fs::read(&entry).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        for s in secrets {
            assert!(!text.contains(s), "{} holds {s} in plain text", entry.display());
        }
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                v.extend(walk(&p));
            } else {
                v.push(p);
            }
        }
    }
    v
}

pub fn zoho_crm(server: &MockServer, scopes: &str) -> String {
    format!(
        r#"[connections.crm]
service = "zohocrm"
scopes = [{scopes}]
client_id = "1000.CLIENTID"
client_secret = "{CLIENT_SECRET}"
accounts_url = "{uri}"
api_url = "{uri}"
"#,
        uri = server.uri()
    )
}

pub fn token_answer(access: &str, refresh: Option<&str>, expires_in: u64, api_domain: &str) -> serde_json::Value {
    let mut v = serde_json::json!({
        "access_token": access,
        "api_domain": api_domain,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    if let Some(r) = refresh {
        v["refresh_token"] = serde_json::json!(r);
    }
    v
}

/// How many refresh-token requests the server received.
pub async fn refresh_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("grant_type=refresh_token"))
        .count()
}

/// Answer token requests of one grant type at Zoho's token endpoint.
/// A token endpoint that answers every grant with `access` (and `refresh`), valid `expires_in` s.
pub async fn token_endpoint(server: &MockServer, access: &str, refresh: Option<&str>, expires_in: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_answer(
            access,
            refresh,
            expires_in,
            &server.uri(),
        )))
        .mount(server)
        .await;
}

/// A connection `crm` to Zoho CRM whose API and accounts server is `server`, connected with
/// an access token that lasts `expires_in` seconds.
pub async fn connected_crm(server: &MockServer, expires_in: u64) -> Env {
    mount_token(
        server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), expires_in, &server.uri())),
    )
    .await;
    let env = Env::new(&zoho_crm(server, "\"ZohoCRM.modules.ALL\""));
    let c = env.dg(&["connections", "connect", "crm", "--code", CODE]);
    assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    env
}

/// A script `NAME` in `env` that prints the CRM's Leads through the connection `crm`.
pub fn leads_script(env: &Env, name: &str, server: &MockServer) -> String {
    env.script(name, &format!("info invokeurl [ url: \"{}/crm/v8/Leads\" connection: \"crm\" ];\n", server.uri()))
}

pub async fn mount_token(server: &MockServer, grant: &str, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains(format!("grant_type={grant}")))
        .respond_with(answer)
        .mount(server)
        .await;
}

pub async fn count(server: &MockServer, p: &str) -> usize {
    server.received_requests().await.unwrap_or_default().iter().filter(|r| r.url.path() == p).count()
}

/// `dg sandbox serve` on a free port with state in `home`: the child, its URL and token.
pub fn start_sandbox(home: &Path) -> (std::process::Child, String, String) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["sandbox", "serve", "--port", "0"])
        .env("DG_HOME", home)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next().unwrap().unwrap();
    let token = lines.next().unwrap().unwrap();
    let url = url.strip_prefix("url: ").expect("url line").to_string();
    let token = token.strip_prefix("token: ").expect("token line").to_string();
    (child, url, token)
}
