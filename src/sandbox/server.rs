//! The sandbox's axum Router (accounts server, CRM/Bigin/FSM and Books APIs), its shared
//! state, the API token and scope check, and the small helpers every route file uses.

use super::db::Db;
use crate::zoho::{catalog, scopes};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

/// What every handler gets: the store, and the one OAuth client the accounts server serves
/// (its id and secret, made at start and printed by `dg sandbox serve`).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub client_id: std::sync::Arc<str>,
    pub client_secret: std::sync::Arc<str>,
    /// Zoho's API limits for the sandbox's edition.
    pub limits: std::sync::Arc<super::limits::Limiter>,
}

/// Count the request against its product's limits (the task table names the product by
/// path) and refuse it as Zoho does past them.
async fn enforce_limits(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_string();
    let Some(product) = crate::zoho::tasks::product_for_path(&path) else { return next.run(req).await };
    let method = req.method().as_str().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "LIMIT_EXCEEDED", "the request body is too large", json!({}));
    };
    let records = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| v.get("data").and_then(Value::as_array).map(Vec::len))
        .unwrap_or(0);
    let slot = match state.limits.admit(product.id, &method, &path, &query, records) {
        Ok(slot) => slot,
        Err(refused) => return refused,
    };
    let answer = next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await;
    drop(slot);
    answer
}

/// Is `host` (a `Host` header: name and optional port) a loopback name? The sandbox answers
/// only those, so a web page cannot reach it through DNS rebinding.
pub fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(h, p)| if p.bytes().all(|b| b.is_ascii_digit()) { h } else { host })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Refuse a request whose `Host` is not a loopback name (421, as for a misdirected request).
async fn only_loopback(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    if !loopback_host(host) {
        return error(
            StatusCode::MISDIRECTED_REQUEST,
            "INVALID_HOST",
            "the sandbox answers only loopback host names",
            json!({ "host": host }),
        );
    }
    next.run(req).await
}

/// The whole sandbox: accounts routes, the record APIs, Books at `/books/v3` and `/api/v3`,
/// and Zoho's `INVALID_URL_PATTERN` for anything else.
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(super::accounts::routes())
        .merge(super::records::routes())
        .merge(super::desk::routes())
        .merge(super::creator::routes())
        .merge(super::cliq::routes())
        .merge(super::projects::routes());
    let app = mount_books(app);
    app.fallback(|| async {
        error(
            StatusCode::NOT_FOUND,
            "INVALID_URL_PATTERN",
            "Please check if the URL trying to access is a correct one",
            json!({}),
        )
    })
    .layer(axum::middleware::from_fn_with_state(state.clone(), enforce_limits))
    .layer(axum::middleware::from_fn(only_loopback))
    .with_state(state)
}

/// Books at both of its prefixes: `www.zohoapis.com/books/v3` and `books.zoho.com/api/v3`.
fn mount_books(app: Router<AppState>) -> Router<AppState> {
    app.nest("/books/v3", super::books::routes()).nest("/api/v3", super::books::routes())
}

/// A JSON answer.
pub fn json_response(status: StatusCode, body: Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json;charset=UTF-8"));
    res
}

/// Zoho's error shape: `{"code","details","message","status":"error"}`.
pub fn error(status: StatusCode, code: &str, message: &str, details: Value) -> Response {
    json_response(status, json!({"code": code, "details": details, "message": message, "status": "error"}))
}

/// HTTP 204 with an empty body (Zoho's answer when nothing matches).
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// A store failure: HTTP 500 `INTERNAL_ERROR`.
pub fn internal(msg: String) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", &msg, json!({}))
}

/// `a=1&b=x%20y` (also form bodies) as pairs, decoded (`+` is a space).
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The first value of a query parameter.
pub fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The catalog service whose API a sandbox path belongs to (the task table's products own
/// their REST prefixes); a path relative to the Books mount (`/contacts`) counts as Books.
fn service_for(path: &str) -> &'static str {
    crate::zoho::tasks::product_for_path(path).map_or("zohobooks", |p| p.service)
}

/// The API auth check: `Authorization: Zoho-oauthtoken <token>` (or `Bearer`) must name a live
/// token holding the scope the request needs (from the catalog's URL rules). `path` is the full
/// request path (`/crm/v8/Leads/123`; `/contacts` is taken as a Books path). Errors are Zoho's
/// answers: 401 `INVALID_TOKEN`, 401 `OAUTH_SCOPE_MISMATCH`, 401 `AUTHENTICATION_FAILURE`
/// without a token.
// The refusal is handed straight back to axum, so its size does not matter.
#[allow(clippy::result_large_err)]
pub fn check(state: &AppState, headers: &HeaderMap, method: &Method, path: &str) -> Result<(), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .and_then(|v| v.split_once(' '))
        .filter(|(kind, _)| kind.eq_ignore_ascii_case("Zoho-oauthtoken") || kind.eq_ignore_ascii_case("Bearer"))
        .map(|(_, t)| t.trim())
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(error(StatusCode::UNAUTHORIZED, "AUTHENTICATION_FAILURE", "Authentication failed", json!({})));
    };
    let granted = match state.db.token_scopes(token) {
        Ok(Some(g)) => g,
        Ok(None) => return Err(error(StatusCode::UNAUTHORIZED, "INVALID_TOKEN", "invalid oauth token", json!({}))),
        Err(e) => return Err(internal(e)),
    };
    let Some(service) = catalog::service(service_for(path)) else { return Ok(()) };
    let path = if service.id == "zohobooks" && !path.starts_with("/books/") && !path.starts_with("/api/") {
        format!("/books/v3{path}")
    } else {
        path.to_string()
    };
    // The product's own API host (www.zohoapis.com, desk.zoho.com, cliq.zoho.com, ...), so the
    // catalog's rules, which name their hosts, apply as is.
    let origin = match crate::zoho::tasks::product_for_path(&path).and_then(|p| p.host) {
        Some(sub) => format!("https://{sub}.zoho.com"),
        None => "https://www.zohoapis.com".to_string(),
    };
    let url = format!("{origin}{path}");
    match scopes::scope_for_request(service, method.as_str(), &url) {
        Some(needed) if !scopes::grants(&granted, &needed) => Err(error(
            StatusCode::UNAUTHORIZED,
            "OAUTH_SCOPE_MISMATCH",
            "invalid oauth scope to access this URL",
            json!({}),
        )),
        _ => Ok(()),
    }
}
