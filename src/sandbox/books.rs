//! Zoho Books v3 in the sandbox: list/search, get, create, update and delete of contacts, invoices, items and the other Books modules, with Books' answers and error codes.
//!
//! Mounted by the server at both `/books/v3` and `/api/v3`. Every request is checked first
//! (token and scope, `server::check`), then its organization (`organization_id`: missing means
//! the sandbox's one organization, any other id gets Books' 6041 answer), then served by
//! [`dispatch`], a plain function over the [`Db`] that the tests drive directly.

use axum::{
    body::to_bytes,
    extract::{NestedPath, Request, State},
    http::{header, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::any,
    Router,
};
use percent_encoding::percent_decode_str;
use serde_json::{json, Map, Value};

use super::db::Db;
use super::server::{check, json_response, param, parse_query, AppState};

/// The sandbox's one Books organization, also the user's default.
pub const ORGANIZATION_ID: &str = "700000001";
const PRODUCT: &str = "books";
/// Bodies larger than this are refused (the sandbox keeps small records).
const MAX_BODY: usize = 4 << 20;
/// Zoho Books pages hold at most 200 records.
const MAX_PER_PAGE: usize = 200;

/// One Books module: its URL name, its singular (the answer key and `<singular>_id`) and the
/// messages Books answers with.
struct Module {
    name: &'static str,
    singular: &'static str,
    id_key: &'static str,
    report: &'static str,
    added: &'static str,
    saved: &'static str,
    deleted: &'static str,
    missing: &'static str,
    /// The field a create must carry (Books' name field).
    required: Option<&'static str>,
    /// The document number Books assigns when the request gives none: (field, prefix).
    number: Option<(&'static str, &'static str)>,
    /// The status a new record starts with.
    status: Option<&'static str>,
}

/// `names`: the URL name, the singular, the id key and the report name; `msgs`: added, saved,
/// deleted and not-found messages.
const fn module(
    names: [&'static str; 4],
    msgs: [&'static str; 4],
    required: Option<&'static str>,
    number: Option<(&'static str, &'static str)>,
    status: Option<&'static str>,
) -> Module {
    let [name, singular, id_key, report] = names;
    let [added, saved, deleted, missing] = msgs;
    Module { name, singular, id_key, report, added, saved, deleted, missing, required, number, status }
}

#[rustfmt::skip]
static MODULES: &[Module] = &[
    module(["contacts", "contact", "contact_id", "Contacts"],
        ["The contact has been added.", "Contact information has been saved.", "The contact has been deleted.", "Contact does not exist."],
        Some("contact_name"), None, Some("active")),
    module(["invoices", "invoice", "invoice_id", "Invoices"],
        ["The invoice has been created.", "Invoice information has been updated.", "The invoice has been deleted.", "Invoice does not exist."],
        None, Some(("invoice_number", "INV-")), Some("draft")),
    module(["estimates", "estimate", "estimate_id", "Estimates"],
        ["The estimate has been created.", "Estimate information has been updated.", "The estimate has been deleted.", "Estimate does not exist."],
        None, Some(("estimate_number", "EST-")), Some("draft")),
    module(["salesorders", "salesorder", "salesorder_id", "Sales Orders"],
        ["Sales Order has been created.", "Sales Order has been updated.", "Sales Order has been deleted.", "Sales Order does not exist."],
        None, Some(("salesorder_number", "SO-")), Some("draft")),
    module(["purchaseorders", "purchaseorder", "purchaseorder_id", "Purchase Orders"],
        ["The purchase order has been created.", "Purchase order information has been updated.", "The purchase order has been deleted.", "Purchase order does not exist."],
        None, Some(("purchaseorder_number", "PO-")), Some("draft")),
    module(["creditnotes", "creditnote", "creditnote_id", "Credit Notes"],
        ["The credit note has been created.", "Credit note information has been updated.", "The credit note has been deleted.", "Credit note does not exist."],
        None, Some(("creditnote_number", "CN-")), Some("draft")),
    module(["bills", "bill", "bill_id", "Bills"],
        ["The bill has been created.", "Bill information has been updated.", "The bill has been deleted.", "Bill does not exist."],
        None, None, Some("open")),
    module(["items", "item", "item_id", "Items"],
        ["The item has been added.", "Item details have been saved.", "The item has been deleted.", "Item does not exist."],
        Some("name"), None, Some("active")),
    module(["customerpayments", "payment", "payment_id", "Payments Received"],
        ["The payment has been created.", "The payment details have been updated.", "The payment has been deleted.", "Payment does not exist."],
        None, None, None),
    module(["expenses", "expense", "expense_id", "Expenses"],
        ["The expense has been recorded.", "Expense information has been updated.", "The expense has been deleted.", "Expense does not exist."],
        None, None, None),
];

fn find_module(name: &str) -> Option<&'static Module> {
    MODULES.iter().find(|m| m.name.eq_ignore_ascii_case(name))
}

/// A Books answer: the HTTP status and the JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    fn ok(body: Value) -> Answer {
        Answer { status: 200, body }
    }
    fn error(status: u16, code: i64, message: impl Into<String>) -> Answer {
        Answer { status, body: json!({"code": code, "message": message.into()}) }
    }
    fn internal() -> Answer {
        Answer::error(500, 1000, "Internal error")
    }
    fn invalid_url() -> Answer {
        Answer::error(404, 5, "Invalid URL Passed")
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        json_response(StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), self.body)
    }
}

/// The Books routes, to be nested at `/books/v3` and at `/api/v3`. Paths the routes do not
/// know get Books' `{"code":5,"message":"Invalid URL Passed"}` (after the token check).
pub fn routes() -> Router<AppState> {
    Router::new().route("/{module}", any(handle)).route("/{module}/{id}", any(handle)).fallback(handle)
}

async fn handle(State(state): State<AppState>, req: Request) -> Response {
    let prefix = req.extensions().get::<NestedPath>().map_or("/books/v3", |p| p.as_str()).to_string();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let full_path = format!("{}{}", prefix.trim_end_matches('/'), path);
    if let Err(refused) = check(&state, &parts.headers, &parts.method, &full_path) {
        return refused;
    }
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return Answer::error(400, 4, "Invalid value passed for JSONString").into_response();
    };
    let header_text = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let request = BooksRequest {
        method: parts.method.clone(),
        path,
        query: parts.uri.query().unwrap_or("").to_string(),
        org_header: header_text("x-com-zoho-books-organizationid"),
        content_type: header_text(header::CONTENT_TYPE.as_str()),
        body: body.to_vec(),
    };
    dispatch(&state.db, &request).into_response()
}

/// One Books request as the handler sees it, after the token check.
#[derive(Debug, Clone, Default)]
pub(crate) struct BooksRequest {
    pub method: Method,
    /// The path under the Books prefix: `/contacts` or `/contacts/{id}`.
    pub path: String,
    /// The raw query string (without `?`).
    pub query: String,
    /// The `X-com-zoho-books-organizationid` header, which Books also accepts.
    pub org_header: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Serves one Books request (the token is already checked): organization, module, then the
/// operation the method and path name.
pub(crate) fn dispatch(db: &Db, req: &BooksRequest) -> Answer {
    let query = parse_query(&req.query);
    if let Err(refused) = check_organization(&query, req.org_header.as_deref()) {
        return refused;
    }
    let segments: Vec<&str> = req.path.trim_matches('/').split('/').collect();
    if let Some(answer) = action(db, req, &segments) {
        return answer;
    }
    let (module, id) = match segments.as_slice() {
        [m] if !m.is_empty() => (*m, None),
        [m, id] if !id.is_empty() => (*m, Some(percent_decode_str(id).decode_utf8_lossy().into_owned())),
        _ => return Answer::invalid_url(),
    };
    let Some(module) = find_module(module) else {
        return Answer::invalid_url();
    };
    let result = match (req.method.as_str(), id) {
        ("GET", None) => list(db, module, &query),
        ("GET", Some(id)) => get_one(db, module, &id),
        ("POST", None) => parse_body(req, &query).and_then(|body| create(db, module, body)),
        ("PUT", Some(id)) => parse_body(req, &query).and_then(|body| update(db, module, &id, body)),
        ("DELETE", Some(id)) => delete(db, module, &id),
        (method, _) => {
            Ok(Answer::error(405, 37, format!("The HTTP method {method} is not allowed for the requested resource")))
        }
    };
    result.unwrap_or_else(|answer| answer)
}

/// A module's templates (`GET /invoices/templates`), a status change
/// (`POST /invoices/{id}/status/sent`) and an attachment (`POST /invoices/{id}/attachment`),
/// as Books answers them; `None` for the record routes.
fn action(db: &Db, req: &BooksRequest, segments: &[&str]) -> Option<Answer> {
    let module = find_module(segments.first()?)?;
    let title = |s: &str| {
        let mut c = s.chars();
        c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
    };
    let exists = |id: &str| db.get(PRODUCT, module.name, id).map_err(internal);
    Some(match (req.method.as_str(), &segments[1..]) {
        ("GET", ["templates"]) => Answer::ok(json!({"code": 0, "message": "success", "templates": [
            {"template_id": "460000000000111", "template_name": "Standard", "template_type": "standard"},
            {"template_id": "460000000000112", "template_name": "Spreadsheet", "template_type": "spreadsheet"},
        ]})),
        ("POST", [id, "status", status]) => match exists(id) {
            Ok(Some(mut record)) => {
                record.insert("status".into(), json!(status.to_ascii_lowercase()));
                match db.update(PRODUCT, module.name, id, record) {
                    Ok(_) => Answer::ok(json!({"code": 0, "message": format!(
                        "{} status has been changed to {}.", title(module.singular), title(status)
                    )})),
                    Err(_) => Answer::internal(),
                }
            }
            Ok(None) => not_found(module),
            Err(a) => a,
        },
        ("POST", [id, "attachment"]) => match exists(id) {
            Ok(Some(mut record)) => {
                let text = String::from_utf8_lossy(&req.body);
                let name = text.split("filename=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_string();
                if name.is_empty() {
                    return Some(Answer::error(400, 4, "Invalid value passed for attachment"));
                }
                record.insert("attachment_name".into(), json!(name));
                match db.update(PRODUCT, module.name, id, record) {
                    Ok(_) => Answer::ok(json!({"code": 0, "message": format!(
                        "Your file has been successfully attached to the {}.", module.singular
                    )})),
                    Err(_) => Answer::internal(),
                }
            }
            Ok(None) => not_found(module),
            Err(a) => a,
        },
        _ => return None,
    })
}

/// `organization_id` (query, else the Books header): absent or empty means the default one.
fn check_organization(query: &[(String, String)], header: Option<&str>) -> Result<(), Answer> {
    let given = param(query, "organization_id").or(header).unwrap_or("").trim();
    if given.is_empty() || given == ORGANIZATION_ID {
        return Ok(());
    }
    Err(Answer::error(400, 6041, format!("This user is not associated with the CompanyID/CompanyName:{given}.")))
}

/// The record a POST/PUT carries: a JSON body, or the `JSONString` form field (body or query)
/// as Books takes it. Anything else is Books' `Invalid value passed for JSONString`.
fn parse_body(req: &BooksRequest, query: &[(String, String)]) -> Result<Map<String, Value>, Answer> {
    let bad = || Answer::error(400, 4, "Invalid value passed for JSONString");
    let text = std::str::from_utf8(&req.body).map_err(|_| bad())?;
    let is_json = req.content_type.as_deref().is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
        || text.trim_start().starts_with('{');
    let json_text = if is_json {
        text.to_string()
    } else {
        let form = parse_query(text);
        let field = param(&form, "JSONString").or_else(|| param(query, "JSONString"));
        field.ok_or_else(bad)?.to_string()
    };
    match serde_json::from_str::<Value>(&json_text) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad()),
    }
}

fn internal(_err: String) -> Answer {
    Answer::internal()
}

fn list(db: &Db, module: &Module, query: &[(String, String)]) -> Result<Answer, Answer> {
    let mut records: Vec<Map<String, Value>> =
        db.all(PRODUCT, module.name).map_err(internal)?.into_iter().filter(|r| matches(r, query)).collect();
    let sort_column = param(query, "sort_column").filter(|c| !c.is_empty());
    let descending = param(query, "sort_order").is_some_and(|o| o.eq_ignore_ascii_case("D"));
    if let Some(column) = sort_column {
        records.sort_by(|a, b| compare_field(a.get(column), b.get(column)));
    }
    if descending {
        records.reverse();
    }
    let number = |key: &str, default: usize| {
        param(query, key).and_then(|v| v.trim().parse::<usize>().ok()).filter(|n| *n > 0).unwrap_or(default)
    };
    let page = number("page", 1);
    let per_page = number("per_page", MAX_PER_PAGE).min(MAX_PER_PAGE);
    let start = (page - 1).saturating_mul(per_page).min(records.len());
    let end = start.saturating_add(per_page).min(records.len());
    let has_more = records.len() > end;
    let shown: Vec<Value> = records.drain(start..end).map(Value::Object).collect();
    let mut page_context = json!({
        "page": page,
        "per_page": per_page,
        "has_more_page": has_more,
        "report_name": module.report,
        "applied_filter": param(query, "filter_by").unwrap_or("Status.All"),
        "sort_column": sort_column.unwrap_or("created_time"),
        "sort_order": if descending { "D" } else { "A" },
    });
    if let Some(text) = param(query, "search_text") {
        page_context["search_criteria"] =
            json!([{"column_name": "search_text", "search_text": text, "comparator": "like"}]);
    }
    let mut body = Map::new();
    body.insert("code".into(), json!(0));
    body.insert("message".into(), json!("success"));
    body.insert(module.name.into(), Value::Array(shown));
    body.insert("page_context".into(), page_context);
    Ok(Answer::ok(Value::Object(body)))
}

/// Fields `search_text` looks in (any that the record has).
const SEARCHED: &[&str] = &[
    "contact_name",
    "company_name",
    "email",
    "phone",
    "mobile",
    "first_name",
    "last_name",
    "name",
    "sku",
    "customer_name",
    "vendor_name",
    "reference_number",
    "invoice_number",
    "estimate_number",
    "salesorder_number",
    "purchaseorder_number",
    "creditnote_number",
    "bill_number",
];

/// Query parameters that filter a list (with Books' `_startswith` / `_contains` variants).
const FILTERS: &[&str] = &[
    "contact_name",
    "company_name",
    "email",
    "phone",
    "mobile",
    "first_name",
    "last_name",
    "contact_type",
    "status",
    "customer_id",
    "customer_name",
    "vendor_id",
    "vendor_name",
    "name",
    "sku",
    "item_id",
    "reference_number",
    "invoice_number",
    "estimate_number",
    "salesorder_number",
    "purchaseorder_number",
    "creditnote_number",
    "bill_number",
    "date",
    "due_date",
    "zcrm_contact_id",
    "zcrm_account_id",
];

/// Keys a contact person carries that Books also shows at the contact's top level.
const PERSON_KEYS: &[&str] = &["salutation", "first_name", "last_name", "email", "phone", "mobile"];

/// The texts a record holds for `field`: the top-level value and, for person fields, every
/// contact person's.
fn field_texts(record: &Map<String, Value>, field: &str) -> Vec<String> {
    let mut texts: Vec<String> = record.get(field).and_then(text_of).into_iter().collect();
    if PERSON_KEYS.contains(&field) {
        if let Some(Value::Array(persons)) = record.get("contact_persons") {
            texts.extend(persons.iter().filter_map(|p| p.get(field)).filter_map(text_of));
        }
    }
    texts
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn matches(record: &Map<String, Value>, query: &[(String, String)]) -> bool {
    query.iter().all(|(key, wanted)| {
        let wanted_lc = wanted.to_lowercase();
        if key == "search_text" {
            return wanted.is_empty()
                || SEARCHED
                    .iter()
                    .any(|f| field_texts(record, f).iter().any(|t| t.to_lowercase().contains(&wanted_lc)));
        }
        if key == "filter_by" {
            return status_filter(record, wanted);
        }
        let (field, op) = if let Some(f) = key.strip_suffix("_startswith") {
            (f, "startswith")
        } else if let Some(f) = key.strip_suffix("_contains") {
            (f, "contains")
        } else {
            (key.as_str(), "equals")
        };
        if !FILTERS.contains(&field) {
            return true; // Books ignores parameters it does not filter on
        }
        field_texts(record, field).iter().any(|text| {
            let text = text.to_lowercase();
            match op {
                "startswith" => text.starts_with(&wanted_lc),
                "contains" => text.contains(&wanted_lc),
                _ => text == wanted_lc,
            }
        })
    })
}

/// `filter_by=Status.Active` (or `Status.All`, `Status.PartiallyPaid`, ...): the record's
/// status with `_` dropped, compared case-insensitively.
fn status_filter(record: &Map<String, Value>, filter: &str) -> bool {
    let wanted = filter.strip_prefix("Status.").unwrap_or(filter).to_lowercase();
    if wanted == "all" || wanted.is_empty() {
        return true;
    }
    let status = record.get("status").and_then(text_of).unwrap_or_default();
    status.replace('_', "").to_lowercase() == wanted
}

fn compare_field(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    let (a, b) = (a.and_then(text_of).unwrap_or_default(), b.and_then(text_of).unwrap_or_default());
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.total_cmp(&y),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

fn one(module: &Module, message: &str, record: Map<String, Value>) -> Value {
    let mut body = Map::new();
    body.insert("code".into(), json!(0));
    body.insert("message".into(), json!(message));
    body.insert(module.singular.into(), Value::Object(record));
    Value::Object(body)
}

fn not_found(module: &Module) -> Answer {
    Answer::error(404, 1002, module.missing)
}

fn get_one(db: &Db, module: &Module, id: &str) -> Result<Answer, Answer> {
    match db.get(PRODUCT, module.name, id).map_err(internal)? {
        Some(record) => Ok(Answer::ok(one(module, "success", record))),
        None => Err(not_found(module)),
    }
}

/// A required field counts as given when it is a non-blank text (or any other non-null value).
fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

fn missing_field(field: &str) -> Answer {
    Answer::error(400, 4, format!("Invalid value passed for {field}"))
}

fn create(db: &Db, module: &Module, mut body: Map<String, Value>) -> Result<Answer, Answer> {
    if let Some(field) = module.required {
        if is_blank(body.get(field)) {
            return Err(missing_field(field));
        }
    }
    let id = db.next_id().map_err(internal)?;
    let now = now_text();
    body.remove(module.id_key);
    let mut record = Map::new();
    record.insert(module.id_key.into(), json!(id));
    record.extend(body.clone());
    if let Some(status) = module.status {
        record.entry("status").or_insert(json!(status));
    }
    if let Some((field, prefix)) = module.number {
        if is_blank(record.get(field)) {
            let n = db.next_number(&format!("books:{}", module.name)).map_err(internal)?;
            record.insert(field.into(), json!(format!("{prefix}{n:06}")));
        }
    }
    if module.name == "contacts" {
        record.entry("contact_type").or_insert(json!("customer"));
        for key in ["company_name", "email", "phone"] {
            record.entry(key).or_insert(json!(""));
        }
    } else if module.name != "items" {
        record.entry("date").or_insert(json!(&now[..10]));
    }
    derive(db, module, &mut record, &body)?;
    record.insert("created_time".into(), json!(now));
    record.insert("last_modified_time".into(), json!(now));
    let stored = db.insert_with_id(PRODUCT, module.name, &id, record).map_err(internal)?;
    Ok(Answer { status: 201, body: one(module, module.added, stored) })
}

fn update(db: &Db, module: &Module, id: &str, mut body: Map<String, Value>) -> Result<Answer, Answer> {
    let Some(mut record) = db.get(PRODUCT, module.name, id).map_err(internal)? else {
        return Err(not_found(module));
    };
    body.remove(module.id_key);
    if let Some(field) = module.required {
        if body.contains_key(field) && is_blank(body.get(field)) {
            return Err(missing_field(field));
        }
    }
    record.extend(body.clone());
    derive(db, module, &mut record, &body)?;
    record.insert("last_modified_time".into(), json!(now_text()));
    match db.update(PRODUCT, module.name, id, record).map_err(internal)? {
        Some(stored) => Ok(Answer::ok(one(module, module.saved, stored))),
        None => Err(not_found(module)),
    }
}

fn delete(db: &Db, module: &Module, id: &str) -> Result<Answer, Answer> {
    if db.delete(PRODUCT, module.name, id).map_err(internal)? {
        Ok(Answer::ok(json!({"code": 0, "message": module.deleted})))
    } else {
        Err(not_found(module))
    }
}

/// The fields Books computes after a write (`given` is what the request sent): a contact's
/// persons and the person fields it shows at the top level, the customer or vendor name a
/// transaction shows, and line item totals.
fn derive(db: &Db, module: &Module, record: &mut Map<String, Value>, given: &Map<String, Value>) -> Result<(), Answer> {
    if module.name == "contacts" {
        return contact_persons(db, record, given);
    }
    for (id_key, name_key) in [("customer_id", "customer_name"), ("vendor_id", "vendor_name")] {
        let Some(contact_id) = given.get(id_key).and_then(text_of) else { continue };
        if given.contains_key(name_key) {
            continue;
        }
        if let Some(contact) = db.get(PRODUCT, "contacts", &contact_id).map_err(internal)? {
            if let Some(name) = contact.get("contact_name") {
                record.insert(name_key.into(), name.clone());
            }
        }
    }
    if let Some(Value::Array(items)) = record.get_mut("line_items") {
        let mut total = 0.0;
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            let number = |v: Option<&Value>, default: f64| {
                v.and_then(text_of).and_then(|t| t.parse::<f64>().ok()).unwrap_or(default)
            };
            let amount = number(item.get("rate"), 0.0) * number(item.get("quantity"), 1.0);
            item.insert("item_total".into(), json!(amount));
            total += amount;
        }
        record.insert("sub_total".into(), json!(total));
        record.insert("total".into(), json!(total));
    }
    Ok(())
}

/// Keeps a contact's `contact_persons` and its top-level person fields in step: persons sent
/// in the request get ids and a primary, and the primary's fields show at the top level;
/// top-level person fields sent alone update (or create) the primary person.
fn contact_persons(db: &Db, record: &mut Map<String, Value>, given: &Map<String, Value>) -> Result<(), Answer> {
    let mut persons: Vec<Value> = match record.remove("contact_persons") {
        Some(Value::Array(list)) => list.into_iter().filter(Value::is_object).collect(),
        _ => Vec::new(),
    };
    for person in persons.iter_mut().filter_map(Value::as_object_mut) {
        if is_blank(person.get("contact_person_id")) {
            person.insert("contact_person_id".into(), json!(db.next_id().map_err(internal)?));
        }
    }
    let primary = persons.iter().position(|p| p.get("is_primary_contact") == Some(&Value::Bool(true)));
    let primary = match primary {
        Some(i) => Some(i),
        None if !persons.is_empty() => {
            persons[0]["is_primary_contact"] = json!(true);
            Some(0)
        }
        None => None,
    };
    let sent_top: Vec<&str> = PERSON_KEYS.iter().copied().filter(|k| given.contains_key(*k)).collect();
    if given.contains_key("contact_persons") {
        if let Some(person) = primary.and_then(|i| persons[i].as_object()) {
            for key in PERSON_KEYS.iter().filter(|k| !given.contains_key(**k)) {
                if let Some(value) = person.get(*key) {
                    record.insert((*key).into(), value.clone());
                }
            }
        }
    } else if !sent_top.is_empty() {
        let index = match primary {
            Some(i) => i,
            None => {
                let id = db.next_id().map_err(internal)?;
                persons.push(json!({"contact_person_id": id, "is_primary_contact": true}));
                persons.len() - 1
            }
        };
        if let Some(person) = persons[index].as_object_mut() {
            for key in sent_top {
                person.insert(key.into(), given[key].clone());
            }
        }
    }
    record.insert("contact_persons".into(), Value::Array(persons));
    Ok(())
}

/// Books' time stamps: `2026-11-23T10:15:00+0000` (the sandbox runs in UTC).
fn now_text() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

#[cfg(test)]
#[path = "books_tests.rs"]
mod tests;
