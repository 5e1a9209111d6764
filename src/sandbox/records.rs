//! The CRM (`/crm/v8`), Bigin (`/bigin/v2`) and FSM (`/fsm/v1`) record APIs: list with paging,
//! get, search, create, update, delete, related records and upsert, in Zoho's shapes.

use super::criteria;
use super::db::{Db, Record};
use super::schema;
use super::server::{check, error, internal, json_response, no_content, param, parse_query, AppState};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use serde_json::{json, Map, Value};
use std::cmp::Ordering;

/// Zoho's page size cap (and default).
const MAX_PER_PAGE: usize = 200;
/// At most this many records per write request.
const MAX_WRITE: usize = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/crm/{version}/{*rest}", any(dispatch))
        .route("/bigin/{version}/{*rest}", any(dispatch))
        .route("/fsm/{version}/{*rest}", any(dispatch))
}

fn invalid_url() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "INVALID_URL_PATTERN",
        "Please check if the URL trying to access is a correct one",
        json!({}),
    )
}

fn invalid_module() -> Response {
    error(StatusCode::BAD_REQUEST, "INVALID_MODULE", "the module name given seems to be invalid", json!({}))
}

/// `v2`, `v8`, ...
fn is_version(v: &str) -> bool {
    v.strip_prefix('v').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn decode(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

/// Every record request: the token and scope check first, then the module, then the route.
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
    let segments: Vec<String> = uri.path().split('/').filter(|s| !s.is_empty()).map(decode).collect();
    let [product, version, module, rest @ ..] = segments.as_slice() else { return invalid_url() };
    if !is_version(version) {
        return invalid_url();
    }
    if product == "crm" && module == "settings" {
        return match (method.as_str(), rest) {
            ("GET", [v, name]) if v == "variables" => super::crm_actions::org_variable(name),
            _ => invalid_url(),
        };
    }
    let Some(module) = schema::canonical(product, module) else { return invalid_module() };
    let api = Api { db: &state.db, product, module, query: parse_query(uri.query().unwrap_or_default()) };
    let answer = match (method.as_str(), rest) {
        ("GET", []) => api.list(),
        ("POST", []) => Ok(api.create(&body)),
        ("PUT" | "PATCH", []) => Ok(api.update(None, &body)),
        ("DELETE", []) => Ok(api.delete_many()),
        ("GET", [s]) if s == "search" => api.search(),
        ("POST", [s]) if s == "upsert" => Ok(api.upsert(&body)),
        ("GET", [id]) => api.get(id),
        ("PUT" | "PATCH", [id]) => Ok(api.update(Some(id), &body)),
        ("DELETE", [id]) => Ok(api.delete(std::slice::from_ref(id))),
        ("GET", [id, a, b, t]) if a == "actions" && b == "blueprint" && t == "transitions" => {
            super::blueprint::transitions(api.db, product, module, id)
        }
        ("PUT", [id, a, b]) if a == "actions" && b == "blueprint" => {
            super::blueprint::perform(api.db, product, module, id, &body)
        }
        ("POST", [id, a, c]) if product == "crm" && module == "Leads" && a == "actions" && c == "convert" => {
            super::crm_actions::convert_lead(api.db, id, &body)
        }
        ("POST", [id, a]) if product == "crm" && a.eq_ignore_ascii_case("Attachments") => {
            super::crm_actions::attach(api.db, module, id, &body)
        }
        ("GET", [id, a]) if product == "crm" && a.eq_ignore_ascii_case("Attachments") => {
            super::crm_actions::attachments(api.db, id)
        }
        ("PUT", [id, related, rid]) => match schema::canonical(product, related) {
            Some(related) => super::crm_actions::update_related(api.db, product, module, id, related, rid, &body),
            None => Ok(invalid_module()),
        },
        ("GET", [id, related]) => api.related(id, related),
        _ => Ok(invalid_url()),
    };
    answer.unwrap_or_else(internal)
}

/// One write's answer entry, in Zoho's `{"code","details","message","status"}` shape.
fn entry_error(code: &str, message: &str, details: Value) -> Value {
    json!({"code": code, "details": details, "message": message, "status": "error"})
}

fn store_error(e: String) -> Value {
    entry_error("INTERNAL_ERROR", &e, json!({}))
}

fn missing_id(id: &str) -> Value {
    entry_error("INVALID_DATA", "the related id given seems to be invalid", json!({ "id": id }))
}

/// A successful write: the record's system fields as `details`.
fn success(r: &Record, message: &str) -> Value {
    let mut details = Map::new();
    for key in ["Modified_Time", "Modified_By", "Created_Time", "id", "Created_By"] {
        if let Some(v) = r.get(key) {
            details.insert(key.into(), v.clone());
        }
    }
    json!({"code": "SUCCESS", "details": details, "message": message, "status": "success"})
}

fn is_success(v: &Value) -> bool {
    v.get("status").and_then(Value::as_str) == Some("success")
}

/// `{"data": results}` with `ok` when all succeeded, 400 when all failed, 207 otherwise.
fn write_answer(results: Vec<Value>, ok: StatusCode) -> Response {
    let good = results.iter().filter(|v| is_success(v)).count();
    let status = match good {
        n if n == results.len() => ok,
        0 => StatusCode::BAD_REQUEST,
        _ => StatusCode::MULTI_STATUS,
    };
    json_response(status, json!({ "data": results }))
}

/// A write body: `{"data": [...]}` (and its other keys), or Zoho's refusal.
#[allow(clippy::result_large_err)] // the refusal goes straight back to axum
fn entries(body: &[u8]) -> Result<(Vec<Value>, Map<String, Value>), Response> {
    let bad = || error(StatusCode::BAD_REQUEST, "INVALID_DATA", "invalid data", json!({}));
    let Ok(Value::Object(mut top)) = serde_json::from_slice::<Value>(body) else { return Err(bad()) };
    let Some(Value::Array(data)) = top.remove("data") else { return Err(bad()) };
    if data.is_empty() {
        return Err(bad());
    }
    if data.len() > MAX_WRITE {
        let details = json!({ "limit": MAX_WRITE });
        return Err(error(
            StatusCode::BAD_REQUEST,
            "LIMIT_EXCEEDED",
            "the number of records exceeds the limit",
            details,
        ));
    }
    Ok((data, top))
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// An id given as text or number.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A field's value as text for comparisons: a lookup by its name.
fn value_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(m)) => value_text(m.get("name")),
        Some(other) => other.to_string(),
    }
}

fn compare_texts(a: &str, b: &str) -> Ordering {
    match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

/// Does a record point at `id` through one of its lookups?
fn refers_to(r: &Record, id: &str) -> bool {
    r.iter().any(|(k, v)| {
        !matches!(k.as_str(), "id" | "Owner" | "Created_By" | "Modified_By")
            && match v {
                Value::Object(m) => m.get("id").and_then(id_text).is_some_and(|x| x == id),
                Value::String(s) => s == id,
                _ => false,
            }
    })
}

/// Digits only, for phone comparisons.
fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

struct Api<'a> {
    db: &'a Db,
    product: &'a str,
    module: &'static str,
    query: Vec<(String, String)>,
}

impl Api<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        param(&self.query, name).map(str::trim).filter(|v| !v.is_empty())
    }

    /// `page` (from 1) and `per_page` (1..=200, default 200).
    fn page(&self) -> (usize, usize) {
        let num = |name| self.param(name).and_then(|v| v.parse::<usize>().ok()).filter(|&n| n >= 1);
        (num("page").unwrap_or(1), num("per_page").unwrap_or(MAX_PER_PAGE).min(MAX_PER_PAGE))
    }

    /// Only the `fields` asked for (and `id`), when the request names some.
    fn project(&self, r: Record) -> Value {
        let Some(fields) = self.param("fields") else { return Value::Object(r) };
        let want: Vec<&str> = fields.split(',').map(str::trim).collect();
        Value::Object(r.into_iter().filter(|(k, _)| k == "id" || want.contains(&k.as_str())).collect())
    }

    /// A page of records with Zoho's `info`; HTTP 204 when there are none.
    fn page_answer(&self, records: Vec<Record>, page: usize, per_page: usize, more: bool) -> Response {
        if records.is_empty() {
            return no_content();
        }
        let count = records.len();
        let data: Vec<Value> = records.into_iter().map(|r| self.project(r)).collect();
        let info = json!({"per_page": per_page, "count": count, "page": page, "more_records": more});
        json_response(StatusCode::OK, json!({"data": data, "info": info}))
    }

    /// Sort (by `sort_by`, `sort_order` desc by default) and cut one page out of `records`.
    fn paginate(&self, mut records: Vec<Record>) -> Response {
        if let Some(field) = self.param("sort_by") {
            let desc = self.param("sort_order").is_none_or(|o| !o.eq_ignore_ascii_case("asc"));
            records.sort_by(|a, b| {
                let o = compare_texts(&value_text(a.get(field)), &value_text(b.get(field)));
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
        }
        let (page, per_page) = self.page();
        let start = (page - 1).saturating_mul(per_page);
        let more = records.len() > start.saturating_add(per_page);
        let items = records.into_iter().skip(start).take(per_page).collect();
        self.page_answer(items, page, per_page, more)
    }

    fn list(&self) -> Result<Response, String> {
        if let Some(ids) = self.param("ids") {
            let mut found = Vec::new();
            for id in ids.split(',').map(str::trim) {
                found.extend(self.db.get(self.product, self.module, id)?);
            }
            return Ok(self.paginate(found));
        }
        if self.param("sort_by").is_some() {
            return Ok(self.paginate(self.db.all(self.product, self.module)?));
        }
        let (page, per_page) = self.page();
        let (records, more) = self.db.list(self.product, self.module, page, per_page)?;
        Ok(self.page_answer(records, page, per_page, more))
    }

    fn get(&self, id: &str) -> Result<Response, String> {
        Ok(match self.db.get(self.product, self.module, id)? {
            Some(r) => json_response(StatusCode::OK, json!({ "data": [self.project(r)] })),
            // Zoho: a record id that does not exist is INVALID_DATA, not an empty answer.
            None => {
                error(StatusCode::BAD_REQUEST, "INVALID_DATA", "the id given seems to be invalid", json!({ "id": id }))
            }
        })
    }

    /// `criteria=(Field:op:value)...`, `email=`, `phone=` or `word=`.
    fn search(&self) -> Result<Response, String> {
        let filter: Box<dyn Fn(&Record) -> bool + '_> = if let Some(c) = self.param("criteria") {
            match criteria::parse(c) {
                Ok(c) => Box::new(move |r| criteria::matches(&c, r)),
                Err(reason) => {
                    let details = json!({ "reason": reason });
                    return Ok(error(StatusCode::BAD_REQUEST, "INVALID_QUERY", "invalid query formed", details));
                }
            }
        } else if let Some(email) = self.param("email") {
            Box::new(move |r| {
                r.iter().any(|(k, v)| k.contains("Email") && value_text(Some(v)).eq_ignore_ascii_case(email))
            })
        } else if let Some(phone) = self.param("phone") {
            let want = digits(phone);
            Box::new(move |r| {
                r.iter().any(|(k, v)| {
                    (k.contains("Phone") || k.contains("Mobile"))
                        && !want.is_empty()
                        && digits(&value_text(Some(v))) == want
                })
            })
        } else if let Some(word) = self.param("word") {
            let word = word.to_lowercase();
            Box::new(move |r| r.iter().any(|(k, v)| k != "id" && value_text(Some(v)).to_lowercase().contains(&word)))
        } else {
            let details = json!({ "param_name": "criteria" });
            return Ok(error(
                StatusCode::BAD_REQUEST,
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                details,
            ));
        };
        let found: Vec<Record> = self.db.all(self.product, self.module)?.into_iter().filter(|r| filter(r)).collect();
        Ok(self.paginate(found))
    }

    /// Check an entry of a write body: an object, mandatory fields (all when `creating`, only
    /// those present otherwise), lookups turned into `{"name","id"}`, FSM's record name.
    fn prepare(&self, entry: Value, creating: bool) -> Result<Record, Value> {
        let Value::Object(mut r) = entry else {
            return Err(entry_error("INVALID_DATA", "invalid data", json!({"expected_data_type": "jsonobject"})));
        };
        for field in schema::mandatory(self.product, self.module) {
            if r.get(*field).map_or(creating, is_blank) {
                return Err(entry_error(
                    "MANDATORY_NOT_FOUND",
                    "required field not found",
                    json!({ "api_name": field }),
                ));
            }
        }
        for lookup in schema::lookups(self.product, self.module) {
            let id = match r.get(lookup.field) {
                Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Object(m)) => match m.get("id").and_then(id_text) {
                    Some(id) => id,
                    None => continue,
                },
                _ => continue,
            };
            match self.db.get(self.product, lookup.target, &id) {
                Ok(Some(target)) => {
                    let name = target.get(lookup.name_key).cloned().unwrap_or(Value::Null);
                    r.insert(lookup.field.into(), json!({"name": name, "id": id}));
                }
                Ok(None) => {
                    let details = json!({"api_name": lookup.field, "expected_data_type": "lookup"});
                    return Err(entry_error("INVALID_DATA", "invalid data", details));
                }
                Err(e) => return Err(store_error(e)),
            }
        }
        if let Some(prefix) = schema::name_prefix(self.product, self.module).filter(|_| creating) {
            if r.get("Name").is_none_or(is_blank) {
                let n = self.db.next_number(&format!("{}:{}", self.product, self.module)).map_err(store_error)?;
                r.insert("Name".into(), Value::String(format!("{prefix}{n}")));
            }
        }
        Ok(r)
    }

    fn insert(&self, entry: Value) -> Result<Record, Value> {
        let r = self.prepare(entry, true)?;
        self.db.insert(self.product, self.module, r).map_err(store_error)
    }

    fn change(&self, id: &str, entry: Value) -> Result<Record, Value> {
        if self.db.get(self.product, self.module, id).map_err(store_error)?.is_none() {
            return Err(missing_id(id));
        }
        let changes = self.prepare(entry, false)?;
        self.db.update(self.product, self.module, id, changes).map_err(store_error)?.ok_or_else(|| missing_id(id))
    }

    fn create(&self, body: &[u8]) -> Response {
        let (data, _) = match entries(body) {
            Ok(d) => d,
            Err(refused) => return refused,
        };
        let results =
            data.into_iter().map(|e| self.insert(e).map_or_else(|err| err, |r| success(&r, "record added"))).collect();
        write_answer(results, StatusCode::CREATED)
    }

    /// `PUT /{module}/{id}` (the first entry) or `PUT /{module}` (each entry names its `id`).
    fn update(&self, path_id: Option<&String>, body: &[u8]) -> Response {
        let (mut data, _) = match entries(body) {
            Ok(d) => d,
            Err(refused) => return refused,
        };
        if path_id.is_some() {
            data.truncate(1);
        }
        let results = data
            .into_iter()
            .map(|e| {
                let id = path_id.cloned().or_else(|| e.get("id").and_then(id_text));
                let Some(id) = id else {
                    return entry_error("MANDATORY_NOT_FOUND", "required field not found", json!({"api_name": "id"}));
                };
                self.change(&id, e).map_or_else(|err| err, |r| success(&r, "record updated"))
            })
            .collect();
        write_answer(results, StatusCode::OK)
    }

    fn delete_many(&self) -> Response {
        let Some(ids) = self.param("ids") else {
            let details = json!({ "param_name": "ids" });
            return error(
                StatusCode::BAD_REQUEST,
                "REQUIRED_PARAM_MISSING",
                "One of the expected parameter is missing",
                details,
            );
        };
        let ids: Vec<String> = ids.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        self.delete(&ids)
    }

    fn delete(&self, ids: &[String]) -> Response {
        let results = ids
            .iter()
            .map(|id| match self.db.delete(self.product, self.module, id) {
                Ok(true) => {
                    json!({"code": "SUCCESS", "details": {"id": id}, "message": "record deleted", "status": "success"})
                }
                Ok(false) => missing_id(id),
                Err(e) => store_error(e),
            })
            .collect();
        write_answer(results, StatusCode::OK)
    }

    /// The fields an upsert checks: the body's `duplicate_check_fields`, the query's, or the
    /// module's default.
    fn duplicate_fields(&self, top: &Map<String, Value>) -> Vec<String> {
        if let Some(Value::Array(fields)) = top.get("duplicate_check_fields") {
            return fields.iter().filter_map(Value::as_str).map(str::to_string).collect();
        }
        if let Some(fields) = self.param("duplicate_check_fields") {
            return fields.split(',').map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect();
        }
        schema::duplicate_fields(self.product, self.module).iter().map(|f| f.to_string()).collect()
    }

    /// The first stored record equal to `entry` on one of `fields` (in order), and that field.
    fn find_duplicate(&self, entry: &Value, fields: &[String]) -> Result<Option<(String, String)>, String> {
        for field in fields {
            let Some(want) = entry.get(field).filter(|v| !is_blank(v)) else { continue };
            let want = match want {
                Value::Object(m) => m.get("id").and_then(id_text).unwrap_or_default(),
                other => value_text(Some(other)),
            };
            for r in self.db.all(self.product, self.module)? {
                let have = match r.get(field) {
                    Some(Value::Object(m)) => m.get("id").and_then(id_text).unwrap_or_default(),
                    other => value_text(other),
                };
                if !want.is_empty() && have.eq_ignore_ascii_case(&want) {
                    return Ok(r.get("id").and_then(id_text).map(|id| (field.clone(), id)));
                }
            }
        }
        Ok(None)
    }

    /// `POST /{module}/upsert`: update the duplicate when there is one, else insert.
    fn upsert(&self, body: &[u8]) -> Response {
        let (data, top) = match entries(body) {
            Ok(d) => d,
            Err(refused) => return refused,
        };
        let fields = self.duplicate_fields(&top);
        let mut inserted_all = true;
        let results = data
            .into_iter()
            .map(|e| {
                let (outcome, action, field) = match self.find_duplicate(&e, &fields) {
                    Err(err) => return store_error(err),
                    Ok(Some((field, id))) => (self.change(&id, e), "update", Value::String(field)),
                    Ok(None) => (self.insert(e), "insert", Value::Null),
                };
                inserted_all &= action == "insert";
                match outcome {
                    Err(err) => err,
                    Ok(r) => {
                        let message = if action == "insert" { "record added" } else { "record updated" };
                        let mut v = success(&r, message);
                        if let Value::Object(m) = &mut v {
                            m.insert("duplicate_field".into(), field);
                            m.insert("action".into(), Value::String(action.into()));
                        }
                        v
                    }
                }
            })
            .collect();
        write_answer(results, if inserted_all { StatusCode::CREATED } else { StatusCode::OK })
    }

    /// `GET /{module}/{id}/{related}`: records of `related` whose lookups point at the record.
    fn related(&self, id: &str, related: &str) -> Result<Response, String> {
        let Some(target) = schema::canonical(self.product, related) else {
            let details = json!({ "api_name": related });
            return Ok(error(
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "the relation name given seems to be invalid",
                details,
            ));
        };
        if self.db.get(self.product, self.module, id)?.is_none() {
            return Ok(error(
                StatusCode::BAD_REQUEST,
                "INVALID_DATA",
                "the related id given seems to be invalid",
                json!({"id": id}),
            ));
        }
        let found: Vec<Record> = self.db.all(self.product, target)?.into_iter().filter(|r| refers_to(r, id)).collect();
        Ok(self.paginate(found))
    }
}
