//! OAuth 2.0 with Zoho's quirks: authorize URL (PKCE, state), code exchange, refresh, revoke, redirect.
// Until the connection registry and `dg connections` call into this module.

#[path = "oauth1.rs"]
pub mod oauth1;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::url::{form_urlencoded, Url};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, HttpRequest,
    HttpResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long one token or revocation request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest token endpoint answer we read.
const MAX_BODY: usize = 1 << 20;
/// Zoho's access tokens last one hour; used when an answer has no `expires_in`.
const ZOHO_TOKEN_LIFETIME: u64 = 3600;

/// One OAuth 2.0 client of one service: what the token requests need.
#[derive(Clone, Debug)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub authorize_url: Option<String>,
    pub token_url: String,
    /// Where refresh requests go; `token_url` when `None`.
    pub refresh_url: Option<String>,
    /// Zoho: `{token_url}/revoke` when `None`.
    pub revoke_url: Option<String>,
    pub scopes: Vec<String>,
    /// "," (Zoho), " " or "+" (a space, which URL-encodes as `+`).
    pub scope_delimiter: String,
    /// Client credentials in the form body (else HTTP Basic), `access_type=offline` and
    /// `prompt=consent` in the authorization URL, revocation with the token in the query.
    pub zoho: bool,
    pub redirect_url: Option<String>,
}

/// The answer of a token endpoint. `Debug` shows no secret (`SecretString` redacts).
#[derive(Clone, Debug)]
pub struct TokenSet {
    pub access_token: SecretString,
    /// On refresh, the refresh token sent when the answer carries none (Zoho never does).
    pub refresh_token: Option<SecretString>,
    /// Seconds the access token lasts, from the moment of the answer.
    pub expires_in: Option<u64>,
    /// Zoho: where this user's API calls go (`https://www.zohoapis.eu`).
    pub api_domain: Option<String>,
    /// The granted scopes as the server wrote them.
    pub scope: Option<String>,
    /// Lower case: `bearer`.
    pub token_type: Option<String>,
}

/// Where to send the user, and what to keep until the redirect comes back.
#[derive(Debug)]
pub struct AuthorizeRequest {
    pub url: String,
    /// The `state` sent; the redirect must carry the same.
    pub state: String,
    /// The PKCE verifier for [`exchange_code`].
    pub pkce_verifier: SecretString,
}

/// A failed OAuth step. The message never holds a secret: no client secret, code, token,
/// verifier or request body.
#[derive(Clone, Debug)]
pub struct OAuthError {
    /// The provider's error code (`invalid_code`, `invalid_client`), when it sent one.
    pub code: Option<String>,
    pub message: String,
}

impl OAuthError {
    fn new(message: impl Into<String>) -> OAuthError {
        OAuthError { code: None, message: message.into() }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OAuthError {}

impl From<OAuthError> for crate::error::Error {
    fn from(e: OAuthError) -> crate::error::Error {
        crate::error::Error::runtime(e.message)
    }
}

/// Fields of a token answer that RFC 6749 does not name but we keep.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
struct ExtraFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_domain: Option<String>,
}

impl oauth2::ExtraTokenFields for ExtraFields {}

type Tokens = StandardTokenResponse<ExtraFields, BasicTokenType>;
type Client<HasAuth, HasToken> = oauth2::Client<
    BasicErrorResponse,
    Tokens,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuth,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    HasToken,
>;

/// The authorization URL with PKCE (S256), a random `state`, the scopes joined with the
/// service's delimiter, and `extra` parameters. Zoho also gets `access_type=offline` and
/// `prompt=consent` (so a refresh token comes back) unless `extra` sets them.
pub fn authorize(c: &OAuthClient, extra: &[(&str, &str)]) -> Result<AuthorizeRequest, OAuthError> {
    let Some(raw) = &c.authorize_url else {
        return Err(OAuthError::new("the service has no authorization URL"));
    };
    let auth_url = AuthUrl::new(raw.clone())
        .map_err(|_| OAuthError::new(format!("the authorization URL `{raw}` is not a URL")))?;
    let client = base_client(c)?.set_auth_uri(auth_url);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(CsrfToken::new_random).set_pkce_challenge(challenge);
    if !c.scopes.is_empty() {
        request = request.add_extra_param("scope", join_scopes(c));
    }
    if c.zoho {
        for (name, value) in [("access_type", "offline"), ("prompt", "consent")] {
            if !extra.iter().any(|(n, _)| *n == name) {
                request = request.add_extra_param(name, value);
            }
        }
    }
    for (name, value) in extra {
        request = request.add_extra_param(*name, *value);
    }
    let (url, state) = request.url();
    Ok(AuthorizeRequest {
        url: url.to_string(),
        state: state.secret().clone(),
        pkce_verifier: SecretString::from(verifier.secret().clone()),
    })
}

/// Exchange an authorization code (from the redirect, or Zoho's Self Client) for tokens.
pub async fn exchange_code(
    http: &reqwest::Client,
    c: &OAuthClient,
    code: &str,
    pkce_verifier: Option<&SecretString>,
) -> Result<TokenSet, OAuthError> {
    let client = token_client(c, &c.token_url)?;
    let mut request = client.exchange_code(AuthorizationCode::new(code.to_string()));
    if let Some(v) = pkce_verifier {
        request = request.set_pkce_verifier(PkceCodeVerifier::new(v.expose_secret().to_string()));
    }
    let answer = request.request_async(&|req| send(http, req)).await;
    let mut secrets = vec![code];
    secrets.extend(pkce_verifier.map(|v| v.expose_secret()));
    finish(c, answer, None, &secrets)
}

/// The client credentials grant: a token for the client itself, with the client's scopes.
pub async fn client_credentials(http: &reqwest::Client, c: &OAuthClient) -> Result<TokenSet, OAuthError> {
    let client = token_client(c, &c.token_url)?;
    let mut request = client.exchange_client_credentials();
    if !c.scopes.is_empty() {
        request = request.add_extra_param("scope", join_scopes(c));
    }
    let answer = request.request_async(&|req| send(http, req)).await;
    finish(c, answer, None, &[])
}

/// A new access token from a refresh token, at `refresh_url` or `token_url`. The answer's
/// refresh token when it has one (rotation), else the one sent.
pub async fn refresh(
    http: &reqwest::Client,
    c: &OAuthClient,
    refresh_token: &SecretString,
) -> Result<TokenSet, OAuthError> {
    let url = c.refresh_url.as_deref().unwrap_or(&c.token_url);
    let client = token_client(c, url)?;
    let token = RefreshToken::new(refresh_token.expose_secret().to_string());
    let answer = client.exchange_refresh_token(&token).request_async(&|req| send(http, req)).await;
    finish(c, answer, Some(refresh_token), &[refresh_token.expose_secret()])
}

/// Revoke a token at the provider. Zoho: `POST {revoke_url}?token=...`; others: RFC 7009, a
/// form `POST` of `token=...` with the client's credentials.
pub async fn revoke(http: &reqwest::Client, c: &OAuthClient, token: &SecretString) -> Result<(), OAuthError> {
    let fail = |m: String| OAuthError::new(format!("the token revocation failed: {m}"));
    let raw = match (&c.revoke_url, c.zoho) {
        (Some(url), _) => url.clone(),
        (None, true) => format!("{}/revoke", c.token_url.trim_end_matches('/')),
        (None, false) => return Err(fail("the service has no revocation URL".into())),
    };
    let mut url = Url::parse(&raw).map_err(|_| fail(format!("the revocation URL `{raw}` is not a URL")))?;
    let mut form = form_urlencoded::Serializer::new(String::new());
    let mut request = if c.zoho {
        url.query_pairs_mut().append_pair("token", token.expose_secret());
        http.post(url)
    } else {
        form.append_pair("token", token.expose_secret());
        let request = http.post(url);
        match &c.client_secret {
            Some(secret) => request.basic_auth(encode_form(&c.client_id), Some(encode_form(secret.expose_secret()))),
            None => {
                form.append_pair("client_id", &c.client_id);
                request
            }
        }
    };
    request = request
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(form.finish())
        .timeout(REQUEST_TIMEOUT);
    let response = request.send().await.map_err(|e| fail(describe(&e)))?;
    let status = response.status();
    let body = response.bytes().await.unwrap_or_default();
    if let Some(code) = json_error(&body) {
        let mut e = fail(redact(&code, &secrets_of(c, &[token.expose_secret()])));
        e.code = Some(code);
        return Err(e);
    }
    if !status.is_success() {
        return Err(fail(format!("HTTP {}", status.as_u16())));
    }
    Ok(())
}

fn base_client(c: &OAuthClient) -> Result<Client<EndpointNotSet, EndpointNotSet>, OAuthError> {
    let auth = if c.zoho { oauth2::AuthType::RequestBody } else { oauth2::AuthType::BasicAuth };
    let mut client = Client::new(ClientId::new(c.client_id.clone())).set_auth_type(auth);
    if let Some(secret) = &c.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_string()));
    }
    if let Some(raw) = &c.redirect_url {
        let url = RedirectUrl::new(raw.clone())
            .map_err(|_| OAuthError::new(format!("the redirect URL `{raw}` is not a URL")))?;
        client = client.set_redirect_uri(url);
    }
    Ok(client)
}

fn token_client(c: &OAuthClient, url: &str) -> Result<Client<EndpointNotSet, EndpointSet>, OAuthError> {
    let token_url =
        TokenUrl::new(url.to_string()).map_err(|_| OAuthError::new(format!("the token URL `{url}` is not a URL")))?;
    Ok(base_client(c)?.set_token_uri(token_url))
}

fn join_scopes(c: &OAuthClient) -> String {
    let delimiter = match c.scope_delimiter.as_str() {
        "" | "+" => " ",
        d => d,
    };
    c.scopes.join(delimiter)
}

/// `application/x-www-form-urlencoded` encoding, as RFC 6749 section 2.3.1 wants for Basic.
fn encode_form(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Turn oauth2's answer into a `TokenSet`, or an error that names no secret.
fn finish(
    c: &OAuthClient,
    answer: Result<Tokens, RequestTokenError<Transport, BasicErrorResponse>>,
    old_refresh: Option<&SecretString>,
    sent: &[&str],
) -> Result<TokenSet, OAuthError> {
    let tokens = answer.map_err(|e| token_error(e, &secrets_of(c, sent)))?;
    let refresh_token = match tokens.refresh_token() {
        Some(t) => Some(SecretString::from(t.secret().clone())),
        None => old_refresh.cloned(),
    };
    let expires_in = tokens.expires_in().map(|d| d.as_secs());
    Ok(TokenSet {
        access_token: SecretString::from(tokens.access_token().secret().clone()),
        refresh_token,
        expires_in: expires_in.or(c.zoho.then_some(ZOHO_TOKEN_LIFETIME)),
        api_domain: tokens.extra_fields().api_domain.clone(),
        scope: tokens.scopes().map(|s| s.iter().map(|scope| scope.as_str()).collect::<Vec<_>>().join(" ")),
        token_type: Some(tokens.token_type().as_ref().to_ascii_lowercase()),
    })
}

fn token_error(e: RequestTokenError<Transport, BasicErrorResponse>, secrets: &[&str]) -> OAuthError {
    let (code, detail) = match e {
        RequestTokenError::ServerResponse(r) => {
            let code = r.error().as_ref().to_string();
            let detail = match r.error_description() {
                Some(d) if !d.is_empty() => format!("{code} ({d})"),
                _ => code.clone(),
            };
            (Some(code), detail)
        }
        RequestTokenError::Request(t) => (None, t.to_string()),
        RequestTokenError::Parse(e, _body) => {
            let inner = e.inner();
            let why = if !inner.is_data() {
                "it is not JSON".to_string()
            } else if inner.to_string().starts_with("missing field") {
                inner.to_string().split(" at line").next().unwrap_or_default().to_string()
            } else {
                format!("unreadable field `{}`", e.path())
            };
            (None, format!("the answer is not a token response: {why}"))
        }
        RequestTokenError::Other(m) => (None, m),
    };
    OAuthError { code, message: format!("the token request failed: {}", redact(&detail, secrets)) }
}

/// Every secret value that an error text must not show.
fn secrets_of<'a>(c: &'a OAuthClient, sent: &[&'a str]) -> Vec<&'a str> {
    let mut all: Vec<&str> = sent.to_vec();
    all.extend(c.client_secret.as_ref().map(|s| s.expose_secret()));
    all
}

/// Replace any secret found in text a server wrote (an error description).
fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s, "[redacted]");
    }
    out
}

/// The `error` string of a JSON object answer, if it has one.
fn json_error(body: &[u8]) -> Option<String> {
    match serde_json::from_slice::<serde_json::Value>(body).ok()?.get("error")? {
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Why a token endpoint could not be used (never the URL or body, which may hold secrets).
#[derive(Debug)]
enum Transport {
    Send(String),
    /// A non-2xx answer without an OAuth error, and its `Retry-After` if it has one.
    Status(u16, Option<String>),
    TooLarge,
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transport::Send(m) => write!(f, "{m}"),
            Transport::Status(code, None) => write!(f, "HTTP {code} without an OAuth error code"),
            Transport::Status(code, Some(after)) => {
                let unit = if after.bytes().all(|b| b.is_ascii_digit()) { " s" } else { "" };
                write!(f, "HTTP {code} without an OAuth error code (the provider asks to retry after {after}{unit})")
            }
            Transport::TooLarge => write!(f, "the answer is larger than 1 MiB"),
        }
    }
}

impl std::error::Error for Transport {}

/// A reqwest error and its causes, without the URL (a Zoho revocation URL holds the token).
fn describe(e: &reqwest::Error) -> String {
    let mut out = if e.is_timeout() {
        "the request timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "the request could not be sent".to_string()
    };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        out.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    out
}

/// oauth2's HTTP client: send with reqwest, then smooth over providers' quirks so oauth2's
/// parser sees RFC 6749 answers: a 200 carrying `{"error": ...}` (Zoho) becomes a 400, a
/// form-encoded token answer becomes JSON, a string `expires_in` a number, and a missing
/// `token_type` `Bearer`. Non-2xx answers without an `error` become a `Transport` error.
/// (The caller's `reqwest::Client` should not follow redirects.)
async fn send(http: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, Transport> {
    let mut request =
        reqwest::Request::try_from(request).map_err(|_| Transport::Send("the token URL is not a valid URL".into()))?;
    if request.timeout().is_none() {
        *request.timeout_mut() = Some(REQUEST_TIMEOUT);
    }
    let mut response = http.execute(request).await.map_err(|e| Transport::Send(describe(&e)))?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().filter(|c| c.is_ascii_alphanumeric() || " :,-".contains(*c)).take(40).collect());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| Transport::Send(describe(&e)))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(Transport::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    let json = parse_answer(&body);
    let has_error = json.as_ref().is_some_and(|j| j.contains_key("error"));
    let code = match (status.is_success(), has_error) {
        (_, true) => 400,
        (true, false) => 200,
        (false, false) => return Err(Transport::Status(status.as_u16(), retry_after)),
    };
    let body = match json {
        Some(mut map) if !has_error => {
            if let Some(serde_json::Value::String(s)) = map.get("expires_in") {
                if let Ok(n) = s.trim().parse::<u64>() {
                    map.insert("expires_in".into(), n.into());
                }
            }
            if map.contains_key("access_token") && !map.contains_key("token_type") {
                map.insert("token_type".into(), "Bearer".into());
            }
            serde_json::Value::Object(map).to_string().into_bytes()
        }
        Some(map) => serde_json::Value::Object(map).to_string().into_bytes(),
        None => body,
    };
    oauth2::http::Response::builder()
        .status(code)
        .header(oauth2::http::header::CONTENT_TYPE, "application/json")
        .body(body)
        .map_err(|_| Transport::Send("the answer could not be read".into()))
}

/// A token endpoint's answer as a JSON object: JSON, or a form-encoded body (`a=1&b=2`).
fn parse_answer(body: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
        return Some(map);
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    let pairs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes()).into_owned().collect();
    if !pairs.iter().any(|(k, _)| k == "access_token" || k == "error") {
        return None;
    }
    Some(pairs.into_iter().map(|(k, v)| (k, serde_json::Value::String(v))).collect())
}

/// A loopback listener for the authorization redirect (`GET /callback?code=..&state=..`).
pub struct RedirectListener {
    listener: TcpListener,
    port: u16,
}

/// What the redirect brought back.
#[derive(Debug)]
pub struct Redirect {
    pub code: SecretString,
    /// Zoho: the user's accounts server (`accounts-server=https://accounts.zoho.eu`), where
    /// the code must be exchanged.
    pub accounts_server: Option<String>,
}

/// Listen on `127.0.0.1:port` (0: any free port; read it back with `port()`).
pub async fn bind_redirect_listener(port: u16) -> std::io::Result<RedirectListener> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let port = listener.local_addr()?.port();
    Ok(RedirectListener { listener, port })
}

/// The outcome of one browser request to the listener.
enum Visit {
    /// Not the callback (`/favicon.ico`, an idle preconnect): keep waiting.
    Ignored,
    Done(Result<Redirect, OAuthError>),
}

/// How long one browser connection may take to send its request.
const VISIT_TIMEOUT: Duration = Duration::from_secs(10);

impl RedirectListener {
    #[cfg(test)]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/callback`: the redirect URL to register and send.
    pub fn redirect_url(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Wait for the redirect, answer the browser with a short page, and return the code.
    /// A wrong or missing `state`, an `error` parameter or the timeout is an error.
    pub async fn wait_for_code(self, expected_state: &str, timeout: Duration) -> Result<Redirect, OAuthError> {
        let deadline = tokio::time::Instant::now() + timeout;
        // Browsers open idle speculative connections: serve each on its own task.
        let mut visits = tokio::task::JoinSet::new();
        let waiting = async {
            loop {
                tokio::select! {
                    accepted = self.listener.accept() => {
                        let (stream, _) = accepted.map_err(|e| {
                            OAuthError::new(format!("the authorization redirect failed: {e}"))
                        })?;
                        let state = expected_state.to_string();
                        visits.spawn(async move {
                            tokio::time::timeout(VISIT_TIMEOUT, visit(stream, &state))
                                .await
                                .unwrap_or(Visit::Ignored)
                        });
                    }
                    Some(joined) = visits.join_next(), if !visits.is_empty() => {
                        if let Ok(Visit::Done(result)) = joined {
                            return result;
                        }
                    }
                }
            }
        };
        tokio::time::timeout_at(deadline, waiting).await.unwrap_or_else(|_| {
            Err(OAuthError::new(format!("the authorization redirect did not come within {} s", timeout.as_secs())))
        })
    }
}

/// Read one HTTP request, answer it, and say what it brought.
async fn visit(mut stream: TcpStream, expected_state: &str) -> Visit {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let text = String::from_utf8_lossy(&buf);
    let target = match text.lines().next().unwrap_or_default().split(' ').collect::<Vec<_>>()[..] {
        ["GET", target, ..] => target.to_string(),
        _ => return Visit::Ignored,
    };
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    if path != "/callback" {
        respond(&mut stream, "404 Not Found", "Not found.").await;
        return Visit::Ignored;
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let fail = |m: &str| OAuthError::new(format!("the authorization failed: {m}"));
    let result = if let Some(error) = get("error") {
        let shown: String = error.chars().filter(|c| c.is_ascii_graphic()).take(64).collect();
        Err(OAuthError { code: Some(shown.clone()), ..fail(&format!("the provider answered {shown}")) })
    } else if !get("state").is_some_and(|s| same(&s, expected_state)) {
        Err(fail("the redirect's `state` does not match the one sent (a forged or stale redirect)"))
    } else if let Some(code) = get("code").filter(|c| !c.is_empty()) {
        Ok(Redirect { code: SecretString::from(code), accounts_server: get("accounts-server") })
    } else {
        Err(fail("the redirect carries no `code`"))
    };
    match &result {
        Ok(_) => respond(&mut stream, "200 OK", "dg is connected. You may close this window.").await,
        Err(_) => respond(&mut stream, "400 Bad Request", "dg could not connect: see the terminal.").await,
    }
    Visit::Done(result)
}

async fn respond(stream: &mut TcpStream, status: &str, message: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>dg</title></head>\
         <body><p>{message}</p></body></html>"
    );
    let answer = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Compare without an early exit, so timing does not reveal how much of `state` matched.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[path = "oauth_tests.rs"]
mod tests;
