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
    match (product, name) {
        // --- CRM: /crm/v8 ---------------------------------------------------------------
        ("crm", "getrecordbyid") => {
            need(args, 2, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("GET", format!("/crm/v8/{m}/{id}"), opt_query(get(2)), Body::None, Shape::FirstRecord)
        }
        ("crm", "getrecords") => {
            need(args, 1, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            let mut q = page_query(int(get(1)), int(get(2)));
            q.extend(opt_query(get(3)));
            call("GET", format!("/crm/v8/{m}"), q, Body::None, Shape::RecordList)
        }
        ("crm", "searchrecords") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            let mut q = vec![("criteria".to_string(), arg_text(args, 1, "the criteria", task)?)];
            q.extend(page_query(int(get(2)), int(get(3))));
            call("GET", format!("/crm/v8/{m}/search"), q, Body::None, Shape::RecordList)
        }
        ("crm", "createrecord") | ("crm", "create") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            call("POST", format!("/crm/v8/{m}"), Vec::new(), Body::Json(wrap_data(&args[1])), Shape::WriteDetails)
        }
        ("crm", "updaterecord") => {
            need(args, 3, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("PUT", format!("/crm/v8/{m}/{id}"), Vec::new(), Body::Json(wrap_data(&args[2])), Shape::WriteDetails)
        }
        ("crm", "upsert") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            call(
                "POST",
                format!("/crm/v8/{m}/upsert"),
                Vec::new(),
                Body::Json(wrap_data(&args[1])),
                Shape::WriteDetails,
            )
        }
        ("crm", "bulkcreate") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            call("POST", format!("/crm/v8/{m}"), Vec::new(), Body::Json(wrap_data(&args[1])), Shape::Whole)
        }
        ("crm", "getrelatedrecords") => {
            need(args, 3, task)?;
            let (rel, m, id) = (
                arg_text(args, 0, "the relation", task)?,
                arg_text(args, 1, "the module", task)?,
                arg_text(args, 2, "the record id", task)?,
            );
            call(
                "GET",
                format!("/crm/v8/{m}/{id}/{rel}"),
                page_query(int(get(3)), int(get(4))),
                Body::None,
                Shape::RecordList,
            )
        }
        // --- Bigin: /bigin/v2 (answers returned whole) ------------------------------------
        ("bigin", "getrecordbyid") => {
            need(args, 2, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("GET", format!("/bigin/v2/{m}/{id}"), opt_query(get(2)), Body::None, Shape::Whole)
        }
        ("bigin", "getrecords") => {
            need(args, 1, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            let mut q = page_query(int(get(1)), int(get(2)));
            q.extend(opt_query(args.iter().skip(1).find(|v| matches!(v, Value::Coll(_)))));
            call("GET", format!("/bigin/v2/{m}"), q, Body::None, Shape::Whole)
        }
        ("bigin", "searchrecords") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            let mut q = vec![("criteria".to_string(), arg_text(args, 1, "the criteria", task)?)];
            q.extend(page_query(int(get(2)), int(get(3))));
            call("GET", format!("/bigin/v2/{m}/search"), q, Body::None, Shape::Whole)
        }
        ("bigin", "createrecord") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            call("POST", format!("/bigin/v2/{m}"), Vec::new(), Body::Json(wrap_data(&args[1])), Shape::Whole)
        }
        ("bigin", "updaterecord") => {
            need(args, 3, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("PUT", format!("/bigin/v2/{m}/{id}"), Vec::new(), Body::Json(wrap_data(&args[2])), Shape::Whole)
        }
        ("bigin", "deleterecord") => {
            need(args, 2, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("DELETE", format!("/bigin/v2/{m}/{id}"), Vec::new(), Body::None, Shape::Whole)
        }
        ("bigin", "getrelatedrecords") => {
            need(args, 3, task)?;
            let (rel, m, id) = (
                arg_text(args, 0, "the relation", task)?,
                arg_text(args, 1, "the module", task)?,
                arg_text(args, 2, "the record id", task)?,
            );
            call(
                "GET",
                format!("/bigin/v2/{m}/{id}/{rel}"),
                page_query(int(get(3)), int(get(4))),
                Body::None,
                Shape::Whole,
            )
        }
        // --- FSM: /fsm/v1 -------------------------------------------------------------------
        ("fsm", "getrecords") => {
            need(args, 1, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            let mut q = page_query(int(get(1)), int(get(2)));
            q.extend(opt_query(get(3)));
            call("GET", format!("/fsm/v1/{m}"), q, Body::None, Shape::Whole)
        }
        ("fsm", "getrecordbyid") => {
            need(args, 2, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("GET", format!("/fsm/v1/{m}/{id}"), opt_query(get(2)), Body::None, Shape::Whole)
        }
        ("fsm", "getrelatedrecords") => {
            need(args, 3, task)?;
            let (rel, m, id) = (
                arg_text(args, 0, "the relation", task)?,
                arg_text(args, 1, "the module", task)?,
                arg_text(args, 2, "the record id", task)?,
            );
            let mut q = page_query(int(get(3)), int(get(4)));
            q.extend(opt_query(get(5)));
            call("GET", format!("/fsm/v1/{m}/{id}/{rel}"), q, Body::None, Shape::Whole)
        }
        ("fsm", "createrecord") => {
            need(args, 2, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            call("POST", format!("/fsm/v1/{m}"), opt_query(get(2)), Body::Json(wrap_data(&args[1])), Shape::Whole)
        }
        ("fsm", "updaterecord") => {
            need(args, 3, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call("PUT", format!("/fsm/v1/{m}/{id}"), opt_query(get(3)), Body::Json(wrap_data(&args[2])), Shape::Whole)
        }
        ("fsm", "searchrecordsbyfield") => {
            need(args, 3, task)?;
            let m = arg_text(args, 0, "the module", task)?;
            let field = arg_text(args, 1, "the field", task)?;
            let value = text(get(2)).unwrap_or_default();
            let q = vec![("criteria".to_string(), format!("({field}:equals:{value})"))];
            call("GET", format!("/fsm/v1/{m}/search"), q, Body::None, Shape::Whole)
        }
        ("fsm", "gettransitions") => {
            need(args, 2, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            call(
                "GET",
                format!("/fsm/v1/{m}/{id}/actions/blueprint/transitions"),
                opt_query(get(2)),
                Body::None,
                Shape::Whole,
            )
        }
        ("fsm", "updatetransitions") => {
            need(args, 3, task)?;
            let (m, id) = (arg_text(args, 0, "the module", task)?, arg_text(args, 1, "the record id", task)?);
            // FSM's blueprint transition: {"blueprint":[{"transition_id": ..., "data": {...}}]}
            let mut body = new_map(1);
            body.insert(Key::text("blueprint"), Value::list(vec![args[2].clone()]));
            let path = format!("/fsm/v1/{m}/{id}/actions/blueprint");
            call("PUT", path, opt_query(get(3)), Body::Json(Value::map(body)), Shape::Whole)
        }
        // --- Books: /books/v3 ---------------------------------------------------------------
        ("books", "getrecords") => {
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
        ("books", "getrecordsbyid") => {
            need(args, 3, task)?;
            let m = arg_text(args, 0, "the module", task)?.to_ascii_lowercase();
            let org = arg_text(args, 1, "the organization id", task)?;
            let id = arg_text(args, 2, "the record id", task)?;
            call("GET", format!("/books/v3/{m}/{id}"), vec![("organization_id".into(), org)], Body::None, Shape::Whole)
        }
        ("books", "createrecord") => {
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
        ("books", "updaterecord") => {
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

/// Shape a detailed answer (`responseText`, `responseCode`) as the task returns it.
pub fn shape(call: &Call, detailed: Value) -> Value {
    let Value::Coll(c) = &detailed else { return detailed };
    let body = c.map().and_then(|m| m.get("responseText").cloned()).unwrap_or(Value::Null);
    let get = |v: &Value, k: &str| match v {
        Value::Coll(c) => c.map().and_then(|m| m.get(k).cloned()),
        _ => None,
    };
    let first = |v: &Value| match get(v, "data") {
        Some(Value::Coll(l)) => l.list().and_then(|l| l.first().cloned()),
        _ => None,
    };
    match call.shape {
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
    }
}
