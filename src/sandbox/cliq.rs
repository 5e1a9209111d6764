//! The sandbox's Zoho Cliq (`cliq.zoho.com/api/v2`): messages posted to a channel (by unique
//! name), a user, a chat or a bot are stored and listable; Cliq databases
//! (`/storages/{db}/records`) keep records (create, list with `criteria`, get, update,
//! delete). Posting answers 204 as Cliq does; errors are Cliq's `{"code","message"}`.
//! https://www.zoho.com/cliq/help/restapi/v2/

use super::db::{now_text, Db, Record};
use super::server::{check, internal, json_response, no_content, param, parse_query, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use serde_json::{json, Value};

/// The sandbox's channels (unique names) and bots.
const CHANNELS: &[&str] = &["general", "sales", "support"];
const BOTS: &[&str] = &["helper"];

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v2/{*rest}", any(dispatch))
}

fn cliq_error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(status, json!({"code": code, "message": message}))
}

async fn dispatch(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(denied) = check(&state, &headers, &method, uri.path()) {
        return denied;
    }
    let query = parse_query(uri.query().unwrap_or_default());
    let seg: Vec<String> = uri
        .path()
        .trim_start_matches("/api/v2/")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let db = &state.db;
    let seg: Vec<&str> = seg.iter().map(String::as_str).collect();
    let result = match (method.as_str(), seg.as_slice()) {
        ("POST", ["channelsbyname", name, "message"]) => {
            if !CHANNELS.iter().any(|c| c.eq_ignore_ascii_case(name)) {
                Ok(cliq_error(
                    StatusCode::BAD_REQUEST,
                    "channel_not_exist",
                    &format!("No channel named {name} exists."),
                ))
            } else {
                post(db, &format!("channel:{}", name.to_lowercase()), &body, param(&query, "bot_unique_name"))
            }
        }
        ("GET", ["channelsbyname", name, "messages"]) => messages(db, &format!("channel:{}", name.to_lowercase())),
        ("POST", ["buddies", user, "message"]) => post(db, &format!("user:{}", user.to_lowercase()), &body, None),
        ("GET", ["buddies", user, "messages"]) => messages(db, &format!("user:{}", user.to_lowercase())),
        ("POST", ["chats", chat, "message"]) => post(db, &format!("chat:{chat}"), &body, None),
        ("GET", ["chats", chat, "messages"]) => messages(db, &format!("chat:{chat}")),
        ("POST", ["bots", bot, "message" | "incoming"]) => {
            if !BOTS.iter().any(|b| b.eq_ignore_ascii_case(bot)) {
                Ok(cliq_error(StatusCode::BAD_REQUEST, "bot_not_exist", &format!("No bot named {bot} exists.")))
            } else {
                post(db, &format!("bot:{}", bot.to_lowercase()), &body, None)
            }
        }
        ("GET", ["bots", bot, "messages"]) => messages(db, &format!("bot:{}", bot.to_lowercase())),
        (_, ["storages", name, "records", rest @ ..]) => storage(db, &method, name, rest, &query, &body),
        _ => Ok(cliq_error(StatusCode::NOT_FOUND, "url_not_found", "The requested URL was not found.")),
    };
    result.unwrap_or_else(internal)
}

/// Store a message: text (`{"text": ...}`) or a card; `bot` posts as that bot.
fn post(db: &Db, to: &str, body: &[u8], bot: Option<&str>) -> Result<Response, String> {
    let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(body) else {
        return Ok(cliq_error(StatusCode::BAD_REQUEST, "invalid_message", "The message is not a JSON object."));
    };
    if m.get("text").is_none_or(|t| t.as_str().is_some_and(|s| s.is_empty())) && !m.contains_key("card") {
        return Ok(cliq_error(StatusCode::BAD_REQUEST, "input_text_empty", "The message text is empty."));
    }
    let id = db.next_id()?;
    m.insert("id".into(), Value::String(id.clone()));
    m.insert("to".into(), Value::String(to.to_string()));
    m.insert("sender".into(), Value::String(bot.map_or("Sandbox User".to_string(), |b| format!("bot:{b}"))));
    m.insert("time".into(), Value::String(now_text()));
    db.insert_with_id("cliq", "messages", &id, m)?;
    Ok(no_content())
}

fn messages(db: &Db, to: &str) -> Result<Response, String> {
    let data: Vec<Value> = db
        .all("cliq", "messages")?
        .into_iter()
        .filter(|m| m.get("to").and_then(Value::as_str) == Some(to))
        .map(Value::Object)
        .collect();
    Ok(json_response(StatusCode::OK, json!({ "data": data })))
}

fn values(body: &[u8]) -> Option<Record> {
    serde_json::from_slice::<Value>(body).ok()?.get("values")?.as_object().cloned()
}

/// A database's records, stored as module `db:NAME`. `criteria` is `field==value` (joined by
/// `&&`), as Cliq's database filter reads.
fn storage(
    db: &Db,
    method: &Method,
    name: &str,
    rest: &[&str],
    query: &[(String, String)],
    body: &[u8],
) -> Result<Response, String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Ok(cliq_error(StatusCode::BAD_REQUEST, "invalid_database", &format!("No database named {name}.")));
    }
    let module = format!("db:{}", name.to_lowercase());
    let ok = |data: Value| json_response(StatusCode::OK, json!({"status": "SUCCESS", "data": data}));
    let missing = || cliq_error(StatusCode::BAD_REQUEST, "record_not_found", "The record does not exist.");
    Ok(match (method.as_str(), rest) {
        ("POST", []) => match values(body) {
            Some(mut v) => {
                let id = db.next_id()?;
                v.insert("id".into(), Value::String(id.clone()));
                ok(Value::Object(db.insert_with_id("cliq", &module, &id, v)?))
            }
            None => cliq_error(StatusCode::BAD_REQUEST, "invalid_values", "The record's values are missing."),
        },
        ("GET", []) => {
            let conds: Vec<(String, String)> = param(query, "criteria")
                .map(|c| {
                    c.split("&&")
                        .filter_map(|p| p.split_once("=="))
                        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let list: Vec<Value> = db
                .all("cliq", &module)?
                .into_iter()
                .filter(|r| {
                    conds.iter().all(|(k, v)| match r.get(k) {
                        Some(Value::String(s)) => s.eq_ignore_ascii_case(v),
                        Some(other) => v.as_str() == other.to_string().as_str(),
                        None => false,
                    })
                })
                .map(Value::Object)
                .collect();
            json_response(StatusCode::OK, json!({"status": "SUCCESS", "list": list}))
        }
        ("GET", [id]) => match db.get("cliq", &module, id)? {
            Some(r) => ok(Value::Object(r)),
            None => missing(),
        },
        ("PUT" | "PATCH", [id]) => match values(body) {
            Some(mut v) => {
                v.remove("id");
                match db.update("cliq", &module, id, v)? {
                    Some(r) => ok(Value::Object(r)),
                    None => missing(),
                }
            }
            None => cliq_error(StatusCode::BAD_REQUEST, "invalid_values", "The record's values are missing."),
        },
        ("DELETE", [id]) => {
            if db.delete("cliq", &module, id)? {
                json_response(StatusCode::OK, json!({"status": "SUCCESS"}))
            } else {
                missing()
            }
        }
        _ => cliq_error(StatusCode::NOT_FOUND, "url_not_found", "The requested URL was not found."),
    })
}
