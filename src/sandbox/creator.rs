//! The sandbox's Zoho Creator (v2.1 data API, `www.zohoapis.com/creator/v2.1/data/...`): the
//! app `sandbox/inventory` with the form `Order` and its report `All_Orders`; records by
//! criteria (`(Qty > 2 && Status == "Open")`), paging (`from`, `limit`, at most 1000), get
//! by id, create through the form, update and delete through the report. Answers carry
//! Creator's `code`: 3000 on success, 3100 when no record matches, 2892/2894 for an app or
//! report that does not exist, 3001 for a missing mandatory field.
//! https://www.zoho.com/creator/help/api/v2.1/

use super::db::{now_text, Db, Record};
use super::server::{check, internal, json_response, param, parse_query, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use serde_json::{json, Value};

pub const OWNER: &str = "sandbox";
pub const APP: &str = "inventory";
/// Forms, each with its report and its mandatory fields.
const FORMS: &[(&str, &str, &[&str])] = &[("Order", "All_Orders", &["Item"]), ("Customer", "All_Customers", &["Name"])];

pub fn routes() -> Router<AppState> {
    Router::new().route("/creator/{version}/data/{*rest}", any(dispatch))
}

fn answer(status: StatusCode, code: u32, message: &str) -> Response {
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
        .split('/')
        .filter(|s| !s.is_empty())
        .skip(3)
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let [owner, app, kind, name, rest @ ..] = seg.as_slice() else {
        return answer(StatusCode::NOT_FOUND, 2930, "Invalid URL");
    };
    if !owner.eq_ignore_ascii_case(OWNER) || !app.eq_ignore_ascii_case(APP) {
        return answer(StatusCode::NOT_FOUND, 2892, &format!("No application named {app} found for {owner}."));
    }
    let db = &state.db;
    let result = match kind.as_str() {
        "form" => match FORMS.iter().find(|(f, _, _)| f.eq_ignore_ascii_case(name)) {
            None => Ok(answer(StatusCode::NOT_FOUND, 2893, &format!("No form named {name} found."))),
            Some(form) => match (method.as_str(), rest) {
                ("POST", []) => create(db, form, &body),
                _ => Ok(answer(StatusCode::METHOD_NOT_ALLOWED, 2930, "Invalid URL")),
            },
        },
        "report" => match FORMS.iter().find(|(_, r, _)| r.eq_ignore_ascii_case(name)) {
            None => Ok(answer(StatusCode::NOT_FOUND, 2894, &format!("No report named {name} found."))),
            Some(form) => match (method.as_str(), rest) {
                ("GET", []) => list(db, form.0, &query),
                ("PATCH", []) => many(db, form.0, &query, Some(&body)),
                ("DELETE", []) => many(db, form.0, &query, None),
                ("GET", [id]) => get(db, form.0, id),
                ("PATCH", [id]) => update(db, form.0, id, &body),
                ("DELETE", [id]) => delete(db, form.0, id),
                _ => Ok(answer(StatusCode::METHOD_NOT_ALLOWED, 2930, "Invalid URL")),
            },
        },
        _ => Ok(answer(StatusCode::NOT_FOUND, 2930, "Invalid URL")),
    };
    result.unwrap_or_else(internal)
}

fn no_data() -> Response {
    answer(StatusCode::OK, 3100, "No Data Available")
}

fn list(db: &Db, form: &str, query: &[(String, String)]) -> Result<Response, String> {
    let criteria = match param(query, "criteria").map(parse_criteria) {
        Some(Ok(c)) => Some(c),
        Some(Err(why)) => return Ok(answer(StatusCode::BAD_REQUEST, 3330, &format!("Invalid criteria: {why}"))),
        None => None,
    };
    let from = param(query, "from").and_then(|f| f.parse::<usize>().ok()).unwrap_or(1).max(1);
    let limit = param(query, "limit")
        .or_else(|| param(query, "max_records"))
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(200)
        .clamp(1, 1000);
    let found: Vec<Value> = db
        .all("creator", form)?
        .into_iter()
        .filter(|r| criteria.as_ref().is_none_or(|c| c.iter().any(|all| all.iter().all(|cond| cond.holds(r)))))
        .skip(from - 1)
        .take(limit)
        .map(Value::Object)
        .collect();
    if found.is_empty() {
        return Ok(no_data());
    }
    Ok(json_response(StatusCode::OK, json!({"code": 3000, "data": found})))
}

/// `PATCH` (with `{"data": ...}`) or `DELETE` on a report: every record the `criteria`
/// matches, each with its own result, as Creator's bulk answers are.
fn many(db: &Db, form: &str, query: &[(String, String)], body: Option<&[u8]>) -> Result<Response, String> {
    let criteria = match param(query, "criteria").map(parse_criteria) {
        Some(Ok(c)) => c,
        Some(Err(why)) => return Ok(answer(StatusCode::BAD_REQUEST, 3330, &format!("Invalid criteria: {why}"))),
        None => return Ok(answer(StatusCode::BAD_REQUEST, 3330, "The criteria is missing")),
    };
    let changes = match body {
        Some(b) => match data_of(b) {
            Some(c) => Some(c),
            None => return Ok(answer(StatusCode::BAD_REQUEST, 3001, "Invalid data")),
        },
        None => None,
    };
    let matched: Vec<String> = db
        .all("creator", form)?
        .into_iter()
        .filter(|r| criteria.iter().any(|all| all.iter().all(|cond| cond.holds(r))))
        .filter_map(|r| r.get("ID").and_then(Value::as_str).map(str::to_string))
        .collect();
    if matched.is_empty() {
        return Ok(no_data());
    }
    let mut result = Vec::new();
    for id in matched {
        let message = match &changes {
            Some(c) => {
                let mut c = c.clone();
                c.remove("ID");
                db.update("creator", form, &id, c)?;
                "Data Updated Successfully"
            }
            None => {
                db.delete("creator", form, &id)?;
                "Data Deleted Successfully"
            }
        };
        result.push(json!({"code": 3000, "data": {"ID": id}, "message": message}));
    }
    Ok(json_response(StatusCode::OK, json!({"code": 3000, "result": result})))
}

fn get(db: &Db, form: &str, id: &str) -> Result<Response, String> {
    Ok(match db.get("creator", form, id)? {
        Some(r) => json_response(StatusCode::OK, json!({"code": 3000, "data": r})),
        None => no_data(),
    })
}

fn data_of(body: &[u8]) -> Option<Record> {
    serde_json::from_slice::<Value>(body).ok()?.get("data")?.as_object().cloned()
}

fn create(db: &Db, form: &(&str, &str, &[&str]), body: &[u8]) -> Result<Response, String> {
    let Some(mut r) = data_of(body) else { return Ok(answer(StatusCode::BAD_REQUEST, 3001, "Invalid data")) };
    let missing: Vec<&str> =
        form.2.iter().copied().filter(|f| r.get(*f).is_none_or(|v| v.is_null() || v == &json!(""))).collect();
    if !missing.is_empty() {
        let error: Vec<String> = missing.iter().map(|f| format!("{f} : Enter a value for {f}")).collect();
        return Ok(json_response(StatusCode::OK, json!({"code": 3001, "error": error, "message": "Invalid data"})));
    }
    let id = db.next_id()?;
    r.insert("ID".into(), Value::String(id.clone()));
    r.insert("Added_Time".into(), Value::String(now_text()));
    db.insert_with_id("creator", form.0, &id, r)?;
    Ok(json_response(StatusCode::OK, json!({"code": 3000, "data": {"ID": id}, "message": "Data Added Successfully"})))
}

fn update(db: &Db, form: &str, id: &str, body: &[u8]) -> Result<Response, String> {
    let Some(mut changes) = data_of(body) else { return Ok(answer(StatusCode::BAD_REQUEST, 3001, "Invalid data")) };
    changes.remove("ID");
    changes.insert("Modified_Time".into(), Value::String(now_text()));
    Ok(match db.update("creator", form, id, changes)? {
        Some(_) => json_response(
            StatusCode::OK,
            json!({"code": 3000, "data": {"ID": id}, "message": "Data Updated Successfully"}),
        ),
        None => no_data(),
    })
}

fn delete(db: &Db, form: &str, id: &str) -> Result<Response, String> {
    Ok(if db.delete("creator", form, id)? {
        json_response(StatusCode::OK, json!({"code": 3000, "data": {"ID": id}, "message": "Data Deleted Successfully"}))
    } else {
        no_data()
    })
}

/// One comparison of Creator's criteria: `Field op value`.
struct Cond {
    field: String,
    op: String,
    value: String,
}

impl Cond {
    fn holds(&self, r: &Record) -> bool {
        let have = match r.get(&self.field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let num = |s: &str| s.trim().parse::<f64>().ok();
        let ord = match (num(&have), num(&self.value)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => Some(have.to_lowercase().cmp(&self.value.to_lowercase())),
        };
        use std::cmp::Ordering::*;
        match self.op.as_str() {
            "==" => ord == Some(Equal),
            "!=" => ord != Some(Equal),
            ">" => ord == Some(Greater),
            "<" => ord == Some(Less),
            ">=" => matches!(ord, Some(Greater | Equal)),
            "<=" => matches!(ord, Some(Less | Equal)),
            _ => have.to_lowercase().contains(&self.value.to_lowercase()),
        }
    }
}

/// `(A == "x" && B > 2) || C != 3`: alternatives (`||`) of conjunctions (`&&`); parentheses
/// only group a whole criteria (nesting beyond that is not emulated).
fn parse_criteria(text: &str) -> Result<Vec<Vec<Cond>>, String> {
    let t = text.trim();
    let t = t.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(t);
    t.split("||")
        .map(|alt| {
            alt.split("&&")
                .map(|c| {
                    let c = c.trim().trim_start_matches('(').trim_end_matches(')').trim();
                    let op = ["==", "!=", ">=", "<=", ">", "<", ".contains("]
                        .into_iter()
                        .find(|op| c.contains(op))
                        .ok_or_else(|| format!("'{c}' has no comparison"))?;
                    let (field, value) = c.split_once(op).unwrap_or_default();
                    let value = value.trim().trim_end_matches(')').trim().trim_matches('"').to_string();
                    Ok(Cond { field: field.trim().to_string(), op: op.trim_end_matches('(').to_string(), value })
                })
                .collect()
        })
        .collect()
}

/// Creator's seed: three orders.
pub(super) fn seed(add: &mut dyn FnMut(&str, Value) -> Result<Record, String>) -> Result<(), String> {
    for (item, qty, status) in [("Widget", 2, "Open"), ("Gadget", 5, "Open"), ("Sprocket", 1, "Shipped")] {
        add("Order", json!({"Item": item, "Qty": qty, "Status": status}))?;
    }
    add("Customer", json!({"Name": "Zylker Inc", "Email": "buyer@zylker.example.com"}))?;
    Ok(())
}
