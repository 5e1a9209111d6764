//! The sandbox's accounts server: `/oauth/v2/auth` (the sandbox user always consents),
//! `/oauth/v2/token` (authorization_code, refresh_token, client_credentials) and
//! `/oauth/v2/token/revoke`, with Zoho's answers (errors are HTTP 200 `{"error": ...}`).

use super::server::{internal, json_response, param, parse_query, AppState};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::{json, Value};

/// Access tokens last one hour, as Zoho's do.
pub const ACCESS_LIFETIME_SECS: i64 = 3600;
/// Grant codes are good for ten minutes, once.
const CODE_LIFETIME_SECS: i64 = 600;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/v2/auth", get(authorize))
        .route("/oauth/v2/token", post(token))
        .route("/oauth/v2/token/revoke", post(revoke))
}

/// Scopes as sent: separated by commas (Zoho) or spaces.
pub fn split_scopes(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// `http://<Host>`: where this server was reached, for `api_domain` and `accounts-server`.
fn origin(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// Zoho's token-endpoint error: HTTP 200 with `{"error": code}`.
fn oauth_error(code: &str) -> Response {
    json_response(StatusCode::OK, json!({ "error": code }))
}

fn bad_request(code: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, json!({ "error": code }))
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// The sandbox's registered redirect URIs: any `http://` loopback address (RFC 8252's native
/// app redirect), so a code never leaves the machine.
fn loopback_redirect(uri: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(uri) else { return false };
    url.scheme() == "http"
        && url.username().is_empty()
        && url.host_str().is_some_and(|h| super::server::loopback_host(h.trim_start_matches('[').trim_end_matches(']')))
}

/// The client sent (`client_id`, and `client_secret` where the grant needs it) is the one this
/// sandbox printed at start; Zoho answers `invalid_client` otherwise.
fn client_ok(state: &AppState, q: &[(String, String)], secret_needed: bool) -> bool {
    param(q, "client_id") == Some(&*state.client_id)
        && (!secret_needed || param(q, "client_secret") == Some(&*state.client_secret))
}

/// GET: consent is implied; redirect back to `redirect_uri` with `state`, `code`, `location`
/// and `accounts-server`, as Zoho does. Only the sandbox's client gets a code, and only at a
/// loopback redirect URI.
async fn authorize(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let q = parse_query(raw.as_deref().unwrap_or_default());
    if !client_ok(&state, &q, false) {
        return bad_request("invalid_client");
    }
    let Some(redirect) = param(&q, "redirect_uri").filter(|r| loopback_redirect(r)) else {
        return bad_request("invalid_redirect_uri");
    };
    if param(&q, "response_type").is_some_and(|t| t != "code") {
        return bad_request("unsupported_response_type");
    }
    let scopes = split_scopes(param(&q, "scope").unwrap_or_default());
    if scopes.is_empty() {
        return bad_request("invalid_scope");
    }
    let code = match state.db.issue_code(&scopes, CODE_LIFETIME_SECS) {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    let mut location = String::from(redirect);
    location.push(if redirect.contains('?') { '&' } else { '?' });
    if let Some(st) = param(&q, "state") {
        location.push_str(&format!("state={}&", enc(st)));
    }
    location.push_str(&format!("code={}&location=us&accounts-server={}", enc(&code), enc(&origin(&headers))));
    let mut res = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(&location) {
        Ok(v) => {
            res.headers_mut().insert(header::LOCATION, v);
            res
        }
        Err(_) => bad_request("invalid_redirect_uri"),
    }
}

/// The token answer: `access_token`, `refresh_token` (not on refresh), `scope`, `api_domain`,
/// `token_type`, `expires_in`.
fn token_answer(headers: &HeaderMap, access: String, refresh: Option<String>, scopes: Option<&[String]>) -> Response {
    let mut body = serde_json::Map::new();
    body.insert("access_token".into(), Value::String(access));
    if let Some(r) = refresh {
        body.insert("refresh_token".into(), Value::String(r));
    }
    if let Some(s) = scopes {
        body.insert("scope".into(), Value::String(s.join(" ")));
    }
    body.insert("api_domain".into(), Value::String(origin(headers)));
    body.insert("token_type".into(), Value::String("Bearer".into()));
    body.insert("expires_in".into(), Value::from(ACCESS_LIFETIME_SECS));
    json_response(StatusCode::OK, Value::Object(body))
}

/// POST: the parameters may come in the form body or (as Zoho's examples send them) the query.
async fn token(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery, body: Bytes) -> Response {
    let mut q = parse_query(raw.as_deref().unwrap_or_default());
    q.extend(parse_query(&String::from_utf8_lossy(&body)));
    if !client_ok(&state, &q, true) {
        return oauth_error("invalid_client");
    }
    let db = &state.db;
    match param(&q, "grant_type").unwrap_or_default() {
        "authorization_code" => {
            let code = param(&q, "code").unwrap_or_default();
            match db.take_code(code) {
                Ok(Some(scopes)) => match db.issue_token(&scopes, ACCESS_LIFETIME_SECS) {
                    Ok((access, refresh)) => token_answer(&headers, access, Some(refresh), Some(&scopes)),
                    Err(e) => internal(e),
                },
                Ok(None) => oauth_error("invalid_code"),
                Err(e) => internal(e),
            }
        }
        "refresh_token" => match db.refresh_token(param(&q, "refresh_token").unwrap_or_default(), ACCESS_LIFETIME_SECS)
        {
            Ok(Some(access)) => token_answer(&headers, access, None, None),
            Ok(None) => oauth_error("invalid_code"),
            Err(e) => internal(e),
        },
        "client_credentials" => {
            let scopes = split_scopes(param(&q, "scope").unwrap_or_default());
            if scopes.is_empty() {
                return oauth_error("invalid_scope");
            }
            match db.issue_token(&scopes, ACCESS_LIFETIME_SECS) {
                Ok((access, refresh)) => token_answer(&headers, access, Some(refresh), Some(&scopes)),
                Err(e) => internal(e),
            }
        }
        _ => oauth_error("unsupported_grant_type"),
    }
}

/// POST `?token=...`: revokes an access or refresh token. Like RFC 7009, an unknown token is
/// not an error.
async fn revoke(State(state): State<AppState>, RawQuery(raw): RawQuery, body: Bytes) -> Response {
    let mut q = parse_query(raw.as_deref().unwrap_or_default());
    q.extend(parse_query(&String::from_utf8_lossy(&body)));
    let Some(token) = param(&q, "token").filter(|t| !t.is_empty()) else {
        return oauth_error("invalid_request");
    };
    match state.db.revoke(token) {
        Ok(_) => json_response(StatusCode::OK, json!({"status": "success"})),
        Err(e) => internal(e),
    }
}
