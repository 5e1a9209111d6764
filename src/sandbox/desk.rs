//! The sandbox's Zoho Desk (`desk.zoho.com/api/v1`): tickets, contacts, accounts, tasks and
//! products with list (`from`, `limit`), get, create, update, search, and related records
//! (ticket threads and comments, a contact's or account's tickets), for the organization
//! `641000001` given in the `orgId` header. Errors are Desk's `{"errorCode","message"}`.
//! https://desk.zoho.com/DeskAPIDocument

use super::db::{now_text, Db, Record};
use super::server::{check, internal, json_response, param, parse_query, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use serde_json::{json, Value};

/// The sandbox's Desk organization.
pub const ORG_ID: &str = "641000001";
const MODULES: &[&str] = &["tickets", "contacts", "accounts", "tasks", "products", "departments", "agents"];
/// Sub-resources of a record: (parent module, related module).
const RELATED: &[(&str, &str)] = &[
    ("tickets", "threads"),
    ("tickets", "comments"),
    ("tickets", "tasks"),
    ("contacts", "tickets"),
    ("accounts", "tickets"),
    ("accounts", "contacts"),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/{*rest}", any(dispatch))
}

fn desk_error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(status, json!({"errorCode": code, "message": message}))
}

fn not_found() -> Response {
    desk_error(StatusCode::NOT_FOUND, "URL_NOT_FOUND", "The URL you requested could not be found.")
}

fn no_record() -> Response {
    desk_error(StatusCode::NOT_FOUND, "RESOURCE_NOT_FOUND", "The requested resource does not exist.")
}

/// The fields each module needs on create (Desk's 422 `INVALID_DATA` otherwise).
fn mandatory(module: &str) -> &'static [&'static str] {
    match module {
        "tickets" => &["subject", "departmentId", "contactId"],
        "contacts" => &["lastName"],
        "accounts" => &["accountName"],
        "tasks" => &["subject", "departmentId"],
        "products" => &["productName"],
        "comments" => &["content"],
        "threads" => &["content"],
        _ => &[],
    }
}

fn missing_fields(module: &str, r: &Record) -> Response {
    let errors: Vec<Value> = mandatory(module)
        .iter()
        .filter(|f| {
            r.get(**f).is_none_or(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()))
                && !(**f == "contactId" && r.contains_key("contact"))
        })
        .map(|f| json!({"fieldName": format!("/{f}"), "errorType": "missing", "errorMessage": ""}))
        .collect();
    json_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({"errorCode": "INVALID_DATA", "message": "The data is invalid due to validation restrictions", "errors": errors}),
    )
}

fn body_map(body: &[u8]) -> Option<Record> {
    serde_json::from_slice::<Value>(body).ok().and_then(|v| v.as_object().cloned())
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
    match headers.get("orgId").and_then(|v| v.to_str().ok()) {
        Some(org) if org.trim() == ORG_ID => {}
        Some(_) => {
            return desk_error(StatusCode::UNPROCESSABLE_ENTITY, "INVALID_ORG", "The organization given is not valid.")
        }
        None => {
            return desk_error(StatusCode::BAD_REQUEST, "INVALID_DATA", "The orgId header is missing.");
        }
    }
    let query = parse_query(uri.query().unwrap_or_default());
    let seg: Vec<String> = uri
        .path()
        .trim_start_matches("/api/v1/")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().to_lowercase())
        .collect();
    let db = &state.db;
    let Some(module) = seg.first().map(String::as_str).filter(|m| MODULES.contains(m)) else { return not_found() };
    let answer = match (method.as_str(), &seg[1..]) {
        ("GET", []) => list(db, module, None, &query),
        ("POST", []) => create(db, module, None, &body),
        ("GET", [s]) if s == "search" => search(db, module, &query),
        ("GET", [id]) => get(db, module, id),
        ("PATCH", [id]) => update(db, module, id, &body),
        ("GET", [id, related]) => with_parent(db, module, id, related, |rel| list(db, rel, Some((module, id)), &query)),
        ("POST", [id, related]) => {
            with_parent(db, module, id, related, |rel| create(db, rel, Some((module, id)), &body))
        }
        ("PATCH", [id, related, rid]) => with_parent(db, module, id, related, |rel| update(db, rel, rid, &body)),
        _ => Ok(not_found()),
    };
    answer.unwrap_or_else(internal)
}

fn with_parent(
    db: &Db,
    module: &str,
    id: &str,
    related: &str,
    then: impl FnOnce(&str) -> Result<Response, String>,
) -> Result<Response, String> {
    let Some(&(_, rel)) = RELATED.iter().find(|(p, r)| *p == module && *r == related) else { return Ok(not_found()) };
    if db.get("desk", module, id)?.is_none() {
        return Ok(no_record());
    }
    then(rel)
}

/// The key a record of `module` uses to point at its parent (`ticketId`, `contactId`, ...).
fn parent_key(parent: &str) -> String {
    format!("{}Id", parent.trim_end_matches('s'))
}

fn page(records: Vec<Record>, query: &[(String, String)]) -> Response {
    let from = param(query, "from").and_then(|f| f.parse::<usize>().ok()).unwrap_or(0);
    let limit = param(query, "limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(10).clamp(1, 100);
    let data: Vec<Value> = records.into_iter().skip(from).take(limit).map(Value::Object).collect();
    json_response(StatusCode::OK, json!({ "data": data }))
}

fn list(db: &Db, module: &str, parent: Option<(&str, &str)>, query: &[(String, String)]) -> Result<Response, String> {
    let mut records = db.all("desk", module)?;
    if let Some((p, id)) = parent {
        let key = parent_key(p);
        records.retain(|r| r.get(&key).and_then(Value::as_str) == Some(id));
    }
    Ok(page(records, query))
}

fn get(db: &Db, module: &str, id: &str) -> Result<Response, String> {
    Ok(match db.get("desk", module, id)? {
        Some(r) => json_response(StatusCode::OK, Value::Object(r)),
        None => no_record(),
    })
}

fn create(db: &Db, module: &str, parent: Option<(&str, &str)>, body: &[u8]) -> Result<Response, String> {
    let Some(mut r) = body_map(body) else {
        return Ok(desk_error(StatusCode::BAD_REQUEST, "INVALID_DATA", "The data is not a JSON object."));
    };
    if mandatory(module).iter().any(|f| {
        r.get(*f).is_none_or(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()))
            && !(*f == "contactId" && r.contains_key("contact"))
    }) {
        return Ok(missing_fields(module, &r));
    }
    let id = db.next_id()?;
    r.insert("id".into(), Value::String(id.clone()));
    if let Some((p, pid)) = parent {
        r.insert(parent_key(p), Value::String(pid.to_string()));
    }
    r.insert("createdTime".into(), Value::String(now_text()));
    if module == "tickets" {
        r.entry("status").or_insert(Value::String("Open".into()));
        let number = db.next_number("desk-ticket")?;
        r.insert("ticketNumber".into(), Value::String(number.to_string()));
    }
    let made = db.insert_with_id("desk", module, &id, r)?;
    Ok(json_response(StatusCode::OK, Value::Object(made)))
}

fn update(db: &Db, module: &str, id: &str, body: &[u8]) -> Result<Response, String> {
    let Some(mut changes) = body_map(body) else {
        return Ok(desk_error(StatusCode::BAD_REQUEST, "INVALID_DATA", "The data is not a JSON object."));
    };
    changes.remove("id");
    changes.insert("modifiedTime".into(), Value::String(now_text()));
    Ok(match db.update("desk", module, id, changes)? {
        Some(r) => json_response(StatusCode::OK, Value::Object(r)),
        None => no_record(),
    })
}

/// `GET /{module}/search?field=value&...`: every given field matches (`*` at either end of a
/// value for "starts/ends with"), as Desk's search does; `from` and `limit` page the result.
fn search(db: &Db, module: &str, query: &[(String, String)]) -> Result<Response, String> {
    let filters: Vec<&(String, String)> =
        query.iter().filter(|(k, _)| !matches!(k.as_str(), "from" | "limit" | "sortBy")).collect();
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.to_lowercase(),
        Some(other) => other.to_string().to_lowercase(),
        None => String::new(),
    };
    let found: Vec<Record> = db
        .all("desk", module)?
        .into_iter()
        .filter(|r| {
            filters.iter().all(|(k, want)| {
                let have = text(r.get(k));
                let want = want.to_lowercase();
                match (want.strip_prefix('*'), want.strip_suffix('*')) {
                    (Some(w), _) if w.ends_with('*') => have.contains(w.trim_end_matches('*')),
                    (Some(w), _) => have.ends_with(w),
                    (None, Some(w)) => have.starts_with(w),
                    (None, None) => have == want,
                }
            })
        })
        .collect();
    if found.is_empty() {
        return Ok(super::server::no_content());
    }
    Ok(page(found, query))
}

/// Desk's seed: a department, two contacts of one account, and two tickets.
pub(super) fn seed(add: &mut dyn FnMut(&str, Value) -> Result<Record, String>) -> Result<(), String> {
    let dept = add("departments", json!({"name": "Support", "isEnabled": true}))?;
    let dept_id = dept.get("id").cloned().unwrap_or(Value::Null);
    let account = add("accounts", json!({"accountName": "Zylker Inc", "website": "https://zylker.example.com"}))?;
    let account_id = account.get("id").cloned().unwrap_or(Value::Null);
    let ada = add(
        "contacts",
        json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@zylker.example.com", "accountId": account_id}),
    )?;
    add(
        "contacts",
        json!({"firstName": "Grace", "lastName": "Hopper", "email": "grace@zylker.example.com", "accountId": account_id}),
    )?;
    let ada_id = ada.get("id").cloned().unwrap_or(Value::Null);
    for (subject, status, number) in [("Printer offline", "Open", "101"), ("Invoice copy", "Closed", "102")] {
        add(
            "tickets",
            json!({"subject": subject, "status": status, "ticketNumber": number, "departmentId": dept_id,
                   "contactId": ada_id, "accountId": account_id, "channel": "Email"}),
        )?;
    }
    Ok(())
}
