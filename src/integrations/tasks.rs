//! The `zoho.*` integration tasks: each builds the REST call of Zoho's API (paths,
//! `{"data":[...]}` bodies, Books' `JSONString`) and shapes the answer as the task returns it.
//! The call itself goes through invokeurl's path (scope check, credential, refresh, trace).

use crate::error::Error;
use crate::host::HttpRequest;
use crate::value::{new_map, Key, Value};

/// One REST call a task makes.
pub struct Call {
    pub method: &'static str,
    /// Path after the API domain, without the query: `/crm/v8/Leads/123`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
    pub shape: Shape,
}

pub enum Body {
    None,
    /// A JSON body (`{"data":[...]}`).
    Json(Value),
    /// Books: a form with the `JSONString` field.
    JsonString(Value),
}

/// What the task returns from Zoho's answer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The whole answer (Bigin, FSM, Books).
    Whole,
    /// CRM getRecordById: `data[0]`, an empty map when absent.
    FirstRecord,
    /// CRM getRecords/searchRecords/getRelatedRecords: the `data` list, empty when absent.
    RecordList,
    /// CRM createRecord/updateRecord/upsert: `data[0].details` (with the id), else the answer.
    WriteDetails,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Null) | None => None,
        Some(v) => Some(v.to_text()),
    }
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(n)) => Some(*n),
        Some(Value::Dec(d)) => Some(*d as i64),
        Some(Value::Text(t)) => t.trim().parse().ok(),
        _ => None,
    }
}

fn wrap_data(record: &Value) -> Value {
    let mut m = new_map(1);
    let items = match record {
        Value::Coll(c) if c.is_list() => record.clone(),
        other => Value::list(vec![other.clone()]),
    };
    m.insert(Key::text("data"), items);
    Value::map(m)
}

/// Optional-map entries become query parameters (`{"fields": "Last_Name"}` -> `fields=Last_Name`).
fn opt_query(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Coll(c)) => {
            c.map().map(|m| m.iter().map(|(k, v)| (k.as_str().to_string(), v.to_text())).collect()).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn page_query(page: Option<i64>, per_page: Option<i64>) -> Vec<(String, String)> {
    let mut q = Vec::new();
    if let Some(p) = page {
        q.push(("page".to_string(), p.to_string()));
    }
    if let Some(p) = per_page {
        q.push(("per_page".to_string(), p.to_string()));
    }
    q
}

fn need(args: &[Value], n: usize, task: &str) -> Result<(), Error> {
    if args.len() < n {
        let name = task.rsplit('.').next().unwrap_or(task);
        return Err(Error::runtime(format!("No. of arguments mismatches for the function {name}")));
    }
    Ok(())
}

fn arg_text(args: &[Value], i: usize, what: &str, task: &str) -> Result<String, Error> {
    text(args.get(i)).filter(|s| !s.is_empty()).ok_or_else(|| Error::runtime(format!("zoho.{task}: {what} is missing")))
}

/// The REST call of a task; `args` are the evaluated arguments without the connection.
pub fn build(task: &str, args: &[Value]) -> Result<Call, Error> {
    let lower = task.to_ascii_lowercase();
    let (product, name) = lower.split_once('.').unwrap_or(("", &lower));
    let get = |i: usize| args.get(i);
    let call = |method, path: String, query, body, shape| Ok(Call { method, path, query, body, shape });
    // CRM, Bigin and FSM share one REST shape under their own prefix; CRM's tasks return the
    // record, the record list or the write details, the others Zoho's whole answer.
    let prefix = match product {
        "crm" => Some("/crm/v8"),
        "bigin" => Some("/bigin/v2"),
        "fsm" => Some("/fsm/v1"),
        _ => None,
    };
    let crm = product == "crm";
    let pick = |crm_shape: Shape| if crm { crm_shape } else { Shape::Whole };
    let module = |i: usize| arg_text(args, i, "the module", task);
    let record_id = |i: usize| arg_text(args, i, "the record id", task);
    let data = |i: usize| Body::Json(wrap_data(&args[i]));
    // FSM takes an optional map after the data; CRM and Bigin do not.
    let extra = |i: usize| if product == "fsm" { opt_query(get(i)) } else { Vec::new() };
    match (prefix, name) {
        (Some(p), "getrecordbyid") => {
            need(args, 2, task)?;
            let (m, id) = (module(0)?, record_id(1)?);
            call("GET", format!("{p}/{m}/{id}"), opt_query(get(2)), Body::None, pick(Shape::FirstRecord))
        }
        (Some(p), "getrecords") => {
            need(args, 1, task)?;
            let m = module(0)?;
            let mut q = page_query(int(get(1)), int(get(2)));
            q.extend(opt_query(args.iter().skip(1).find(|v| matches!(v, Value::Coll(_)))));
            call("GET", format!("{p}/{m}"), q, Body::None, pick(Shape::RecordList))
        }
        (Some(p), "searchrecords") => {
            need(args, 2, task)?;
            let m = module(0)?;
            let mut q = vec![("criteria".to_string(), arg_text(args, 1, "the criteria", task)?)];
            q.extend(page_query(int(get(2)), int(get(3))));
            call("GET", format!("{p}/{m}/search"), q, Body::None, pick(Shape::RecordList))
        }
        (Some(p), "createrecord" | "create") => {
            need(args, 2, task)?;
            call("POST", format!("{p}/{}", module(0)?), extra(2), data(1), pick(Shape::WriteDetails))
        }
        (Some(p), "updaterecord") => {
            need(args, 3, task)?;
            let (m, id) = (module(0)?, record_id(1)?);
            call("PUT", format!("{p}/{m}/{id}"), extra(3), data(2), pick(Shape::WriteDetails))
        }
        (Some(p), "deleterecord") => {
            need(args, 2, task)?;
            let (m, id) = (module(0)?, record_id(1)?);
            call("DELETE", format!("{p}/{m}/{id}"), Vec::new(), Body::None, Shape::Whole)
        }
        (Some(p), "getrelatedrecords") => {
            need(args, 3, task)?;
            let (rel, m, id) = (arg_text(args, 0, "the relation", task)?, module(1)?, record_id(2)?);
            let mut q = page_query(int(get(3)), int(get(4)));
            q.extend(extra(5));
            call("GET", format!("{p}/{m}/{id}/{rel}"), q, Body::None, pick(Shape::RecordList))
        }
        (Some("/crm/v8"), "upsert") => {
            need(args, 2, task)?;
            call("POST", format!("/crm/v8/{}/upsert", module(0)?), Vec::new(), data(1), Shape::WriteDetails)
        }
        (Some("/crm/v8"), "bulkcreate") => {
            need(args, 2, task)?;
            call("POST", format!("/crm/v8/{}", module(0)?), Vec::new(), data(1), Shape::Whole)
        }
        (Some("/fsm/v1"), "searchrecordsbyfield") => {
            need(args, 3, task)?;
            let m = module(0)?;
            let field = arg_text(args, 1, "the field", task)?;
            let value = text(get(2)).unwrap_or_default();
            let q = vec![("criteria".to_string(), format!("({field}:equals:{value})"))];
            call("GET", format!("/fsm/v1/{m}/search"), q, Body::None, Shape::Whole)
        }
        (Some("/fsm/v1"), "gettransitions") => {
            need(args, 2, task)?;
            let (m, id) = (module(0)?, record_id(1)?);
            call(
                "GET",
                format!("/fsm/v1/{m}/{id}/actions/blueprint/transitions"),
                opt_query(get(2)),
                Body::None,
                Shape::Whole,
            )
        }
        (Some("/fsm/v1"), "updatetransitions") => {
            need(args, 3, task)?;
            let (m, id) = (module(0)?, record_id(1)?);
            // FSM's blueprint transition: {"blueprint":[{"transition_id": ..., "data": {...}}]}
            let mut body = new_map(1);
            body.insert(Key::text("blueprint"), Value::list(vec![args[2].clone()]));
            let path = format!("/fsm/v1/{m}/{id}/actions/blueprint");
            call("PUT", path, opt_query(get(3)), Body::Json(Value::map(body)), Shape::Whole)
        }
        // --- Books: /books/v3 ---------------------------------------------------------------
        (None, "getrecords") if product == "books" => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?.to_ascii_lowercase();
            let mut q = vec![("organization_id".to_string(), arg_text(args, 1, "the organization id", task)?)];
            match get(2) {
                Some(v @ Value::Coll(_)) => q.extend(opt_query(Some(v))),
                Some(Value::Text(t)) if !t.is_empty() => {
                    for part in t.trim_start_matches('?').split('&').filter(|s| !s.is_empty()) {
                        let (k, v) = part.split_once('=').unwrap_or((part, ""));
                        q.push((k.to_string(), v.to_string()));
                    }
                }
                _ => {}
            }
            call("GET", format!("/books/v3/{m}"), q, Body::None, Shape::Whole)
        }
        (None, "getrecordsbyid") if product == "books" => {
            need(args, 3, task)?;
            let m = arg_text(args, 0, "the module", task)?.to_ascii_lowercase();
            let org = arg_text(args, 1, "the organization id", task)?;
            let id = arg_text(args, 2, "the record id", task)?;
            call("GET", format!("/books/v3/{m}/{id}"), vec![("organization_id".into(), org)], Body::None, Shape::Whole)
        }
        (None, "createrecord") if product == "books" => {
            need(args, 3, task)?;
            let m = arg_text(args, 0, "the module", task)?.to_ascii_lowercase();
            let org = arg_text(args, 1, "the organization id", task)?;
            call(
                "POST",
                format!("/books/v3/{m}"),
                vec![("organization_id".into(), org)],
                Body::JsonString(args[2].clone()),
                Shape::Whole,
            )
        }
        (None, "updaterecord") if product == "books" => {
            need(args, 4, task)?;
            let m = arg_text(args, 0, "the module", task)?.to_ascii_lowercase();
            let org = arg_text(args, 1, "the organization id", task)?;
            let id = arg_text(args, 2, "the record id", task)?;
            call(
                "PUT",
                format!("/books/v3/{m}/{id}"),
                vec![("organization_id".into(), org)],
                Body::JsonString(args[3].clone()),
                Shape::Whole,
            )
        }
        _ => Err(Error::runtime(format!("zoho.{task} is not an integration task dg runs yet"))),
    }
}

/// The invokeurl block for a call against `api_domain` with `connection`.
pub fn request(call: &Call, api_domain: &str, connection: &str) -> HttpRequest {
    let mut url = format!("{}{}", api_domain.trim_end_matches('/'), call.path);
    if !call.query.is_empty() {
        let q: Vec<String> = call
            .query
            .iter()
            .map(|(k, v)| {
                let enc =
                    |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
                format!("{}={}", enc(k), enc(v))
            })
            .collect();
        url = format!("{url}?{}", q.join("&"));
    }
    let mut pairs = vec![
        ("url".to_string(), Value::from_string(url)),
        ("type".to_string(), Value::text(call.method)),
        ("connection".to_string(), Value::text(connection)),
        ("detailed".to_string(), Value::Bool(true)),
    ];
    match &call.body {
        Body::None => {}
        Body::Json(v) => {
            pairs.push(("content-type".to_string(), Value::text("application/json")));
            pairs.push(("body".to_string(), Value::from_string(v.to_json())));
        }
        Body::JsonString(v) => {
            let mut form = new_map(1);
            form.insert(Key::text("JSONString"), Value::from_string(v.to_json()));
            pairs.push(("parameters".to_string(), Value::map(form)));
        }
    }
    HttpRequest { pairs }
}

/// Shape a detailed answer (`responseText`, `responseCode`) as the task returns it. An answer
/// that is text but not JSON (an HTML error page from a proxy, say) is an error that says so.
pub fn shape(call: &Call, detailed: Value) -> Result<Value, String> {
    let Value::Coll(c) = &detailed else { return Ok(detailed) };
    let field = |k: &str| c.map().and_then(|m| m.get(k).cloned()).unwrap_or(Value::Null);
    let body = field("responseText");
    if let Value::Text(t) = &body {
        if !t.trim().is_empty() {
            let content_type = match field("responseHeader") {
                Value::Coll(h) => h.map().and_then(|m| m.get("content-type").map(Value::to_text)),
                _ => None,
            };
            let snippet: String = t.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(80).collect();
            return Err(format!(
                "the API answered HTTP {} with {} instead of JSON: {snippet}",
                field("responseCode").to_text(),
                content_type.unwrap_or_else(|| "text".to_string())
            ));
        }
    }
    let get = |v: &Value, k: &str| match v {
        Value::Coll(c) => c.map().and_then(|m| m.get(k).cloned()),
        _ => None,
    };
    let first = |v: &Value| match get(v, "data") {
        Some(Value::Coll(l)) => l.list().and_then(|l| l.first().cloned()),
        _ => None,
    };
    Ok(match call.shape {
        Shape::Whole => match body {
            Value::Text(t) if t.is_empty() => Value::map(new_map(0)),
            other => other,
        },
        Shape::FirstRecord => first(&body).unwrap_or_else(|| Value::map(new_map(0))),
        Shape::RecordList => match get(&body, "data") {
            Some(v @ Value::Coll(_)) => v,
            _ => Value::list(Vec::new()),
        },
        Shape::WriteDetails => match first(&body) {
            Some(rec) if matches!(get(&rec, "status"), Some(Value::Text(t)) if &*t == "success") => {
                get(&rec, "details").unwrap_or(rec)
            }
            Some(rec) => rec,
            None => body,
        },
    })
}
