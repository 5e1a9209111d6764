//! The sandbox's Zoho Projects (`projectsapi.zoho.com/restapi`): the portal `sandbox` with
//! its projects, and each project's tasks, bugs, milestones and task lists (list with
//! `index`/`range`, get, create and update from form fields, as Projects' API takes them).
//! Answers are Projects' `{"projects":[...]}`, `{"tasks":[...]}`; errors its
//! `{"error":{"code","message"}}`.
//! https://www.zoho.com/projects/help/rest-api/zohoprojectsapi.html

use super::db::{now_text, Db, Record};
use super::server::{check, internal, json_response, param, parse_query, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use serde_json::{json, Value};

pub const PORTAL: &str = "sandbox";
pub const PORTAL_ID: &str = "700000100";
/// A project's modules and the field a new record must have.
const MODULES: &[(&str, &str)] = &[("tasks", "name"), ("bugs", "title"), ("milestones", "name"), ("tasklists", "name")];

pub fn routes() -> Router<AppState> {
    Router::new().route("/restapi/{*rest}", any(dispatch))
}

/// `{"tasks": [...]}`: the answer's key is the module's name.
fn keyed(key: &str, v: Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(key.to_string(), v);
    Value::Object(m)
}

fn projects_error(status: StatusCode, code: u32, message: &str) -> Response {
    json_response(status, json!({"error": {"code": code, "message": message}}))
}

fn not_found(what: &str) -> Response {
    projects_error(StatusCode::NOT_FOUND, 6404, &format!("{what} does not exist."))
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
    let mut params = parse_query(uri.query().unwrap_or_default());
    params.extend(parse_query(&String::from_utf8_lossy(&body)));
    let seg: Vec<String> = uri
        .path()
        .trim_start_matches("/restapi/")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().to_lowercase())
        .collect();
    let seg: Vec<&str> = seg.iter().map(String::as_str).collect();
    let db = &state.db;
    if seg.as_slice() == ["portals"] && method == Method::GET {
        return json_response(
            StatusCode::OK,
            json!({"portals": [{"id": PORTAL_ID, "id_string": PORTAL_ID, "name": PORTAL, "default": true}]}),
        );
    }
    let ["portal", portal, "projects", rest @ ..] = seg.as_slice() else {
        return projects_error(StatusCode::NOT_FOUND, 6500, "Invalid URL.");
    };
    if *portal != PORTAL && *portal != PORTAL_ID {
        return not_found("The portal");
    }
    let result = match (method.as_str(), rest) {
        ("GET", []) => list(db, "projects", None, &params),
        ("POST", []) => create(db, "projects", "name", None, &params),
        ("GET", [pid]) => one(db, "projects", pid, "projects"),
        ("POST", [pid]) => update(db, "projects", pid, &params),
        (_, [pid, module, more @ ..]) => match MODULES.iter().find(|(m, _)| m == module) {
            None => Ok(projects_error(StatusCode::NOT_FOUND, 6500, &format!("Invalid URL: no module '{module}'."))),
            Some(&(module, needed)) => in_project(db, &method, pid, module, needed, more, &params),
        },
        _ => Ok(projects_error(StatusCode::NOT_FOUND, 6500, "Invalid URL.")),
    };
    result.unwrap_or_else(internal)
}

/// A request for one of a project's modules.
fn in_project(
    db: &Db,
    method: &Method,
    pid: &str,
    module: &str,
    needed: &str,
    more: &[&str],
    params: &[(String, String)],
) -> Result<Response, String> {
    if db.get("projects", "projects", pid)?.is_none() {
        return Ok(not_found("The project"));
    }
    match (method.as_str(), more) {
        ("GET", []) => list(db, module, Some(pid), params),
        ("POST", []) => create(db, module, needed, Some(pid), params),
        ("GET", [id]) => one(db, module, id, module),
        ("POST", [id]) => update(db, module, id, params),
        ("DELETE", [id]) => Ok(if db.delete("projects", module, id)? {
            json_response(StatusCode::OK, json!({"response": "Deleted successfully"}))
        } else {
            not_found("The record")
        }),
        _ => Ok(projects_error(StatusCode::NOT_FOUND, 6500, "Invalid URL.")),
    }
}

/// `index` (1-based) and `range` (at most 200) page a list; other parameters filter it by
/// equal field values (`status=open`).
fn list(db: &Db, module: &str, project: Option<&str>, params: &[(String, String)]) -> Result<Response, String> {
    let index = param(params, "index").and_then(|i| i.parse::<usize>().ok()).unwrap_or(1).max(1);
    let range = param(params, "range").and_then(|r| r.parse::<usize>().ok()).unwrap_or(100).clamp(1, 200);
    let filters: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "index" && k != "range").collect();
    let found: Vec<Value> = db
        .all("projects", module)?
        .into_iter()
        .filter(|r| project.is_none_or(|p| r.get("project_id").and_then(Value::as_str) == Some(p)))
        .filter(|r| {
            filters.iter().all(|(k, v)| match r.get(k) {
                Some(Value::String(s)) => s.eq_ignore_ascii_case(v),
                Some(other) => v.as_str() == other.to_string().as_str(),
                None => false,
            })
        })
        .skip(index - 1)
        .take(range)
        .map(Value::Object)
        .collect();
    if found.is_empty() {
        return Ok(super::server::no_content());
    }
    Ok(json_response(StatusCode::OK, keyed(module, Value::Array(found))))
}

fn one(db: &Db, module: &str, id: &str, key: &str) -> Result<Response, String> {
    Ok(match db.get("projects", module, id)? {
        Some(r) => json_response(StatusCode::OK, keyed(key, json!([r]))),
        None => not_found("The record"),
    })
}

fn create(
    db: &Db,
    module: &str,
    needed: &str,
    project: Option<&str>,
    params: &[(String, String)],
) -> Result<Response, String> {
    if param(params, needed).is_none_or(|v| v.trim().is_empty()) {
        return Ok(projects_error(StatusCode::BAD_REQUEST, 6831, &format!("Input Parameter Missing: {needed}")));
    }
    let id = db.next_id()?;
    let mut r = Record::new();
    r.insert("id".into(), Value::String(id.clone()));
    r.insert("id_string".into(), Value::String(id.clone()));
    for (k, v) in params {
        r.insert(k.clone(), Value::String(v.clone()));
    }
    if let Some(p) = project {
        r.insert("project_id".into(), Value::String(p.to_string()));
    }
    r.entry("status").or_insert(Value::String("open".into()));
    r.insert("created_time".into(), Value::String(now_text()));
    let made = db.insert_with_id("projects", module, &id, r)?;
    Ok(json_response(StatusCode::CREATED, keyed(module, json!([made]))))
}

fn update(db: &Db, module: &str, id: &str, params: &[(String, String)]) -> Result<Response, String> {
    let mut changes = Record::new();
    for (k, v) in params.iter().filter(|(k, _)| k != "id") {
        changes.insert(k.clone(), Value::String(v.clone()));
    }
    changes.insert("last_updated_time".into(), Value::String(now_text()));
    Ok(match db.update("projects", module, id, changes)? {
        Some(r) => json_response(StatusCode::OK, keyed(module, json!([r]))),
        None => not_found("The record"),
    })
}

/// Projects' seed: one project with two tasks and a bug.
pub(super) fn seed(add: &mut dyn FnMut(&str, Value) -> Result<Record, String>) -> Result<(), String> {
    let project = add("projects", json!({"name": "Website Relaunch", "status": "active"}))?;
    let pid = project.get("id").cloned().unwrap_or(Value::Null);
    add("tasks", json!({"name": "Draft the sitemap", "status": "open", "project_id": pid}))?;
    add("tasks", json!({"name": "Pick the fonts", "status": "closed", "project_id": pid}))?;
    add("bugs", json!({"title": "Logo is blurry", "status": "open", "project_id": pid}))?;
    Ok(())
}
