//! CRM's record actions beyond reading and writing records: convert a lead, attach a file,
//! update a related record, and read an organization variable, with Zoho's answers.
//! https://www.zoho.com/crm/developer/docs/api/v8/convert-lead.html

use super::db::{now_text, Db, Record};
use super::server::{error, json_response};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

/// The sandbox's organization variables (`zoho.crm.getOrgVariable`): name, value.
const ORG_VARIABLES: &[(&str, &str)] = &[("Tax_Rate", "7.5"), ("Company_Code", "ACME")];

fn invalid_id(id: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "INVALID_DATA", "the id given seems to be invalid", json!({ "id": id }))
}

fn text(r: &Record, k: &str) -> Option<String> {
    r.get(k).and_then(Value::as_str).map(str::to_string).filter(|s| !s.trim().is_empty())
}

/// `POST /crm/v8/Leads/{id}/actions/convert`: the lead becomes a contact (and an account
/// when it has a company; a deal when the body gives one); the lead is gone. The answer is
/// `{"data":[{"Contacts": id, "Deals": id or null, "Accounts": id or null}]}`.
pub fn convert_lead(db: &Db, id: &str, body: &[u8]) -> Result<Response, String> {
    let Some(lead) = db.get("crm", "Leads", id)? else { return Ok(invalid_id(id)) };
    let options: Map<String, Value> = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("data").and_then(|d| d.get(0)).cloned())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let stamp = now_text();
    let mut account_id = Value::Null;
    if let Some(company) = text(&lead, "Company") {
        let mut account = Record::new();
        account.insert("Account_Name".into(), Value::String(company.clone()));
        account.insert("Created_Time".into(), Value::String(stamp.clone()));
        let made = db.insert("crm", "Accounts", account)?;
        account_id = made.get("id").cloned().unwrap_or(Value::Null);
    }
    let mut contact = Record::new();
    for k in ["First_Name", "Last_Name", "Email", "Phone", "Mobile", "Description", "Owner"] {
        if let Some(v) = lead.get(k) {
            contact.insert(k.into(), v.clone());
        }
    }
    if let Value::String(aid) = &account_id {
        let name = text(&lead, "Company").unwrap_or_default();
        contact.insert("Account_Name".into(), json!({"name": name, "id": aid}));
    }
    contact.insert("Created_Time".into(), Value::String(stamp.clone()));
    let contact = db.insert("crm", "Contacts", contact)?;
    let contact_id = contact.get("id").cloned().unwrap_or(Value::Null);
    let mut deal_id = Value::Null;
    if let Some(Value::Object(deal_fields)) = options.get("Deals") {
        let mut deal: Record = deal_fields.clone();
        deal.insert("Contact_Name".into(), json!({"id": contact_id}));
        if !account_id.is_null() {
            deal.insert("Account_Name".into(), json!({"id": account_id}));
        }
        deal.insert("Created_Time".into(), Value::String(stamp));
        let made = db.insert("crm", "Deals", deal)?;
        deal_id = made.get("id").cloned().unwrap_or(Value::Null);
    }
    db.delete("crm", "Leads", id)?;
    Ok(json_response(
        StatusCode::OK,
        json!({"data": [{"Contacts": contact_id, "Deals": deal_id, "Accounts": account_id}]}),
    ))
}

/// The file names of a multipart body (`filename="..."`).
fn file_names(body: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(body);
    text.split("filename=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

/// `POST /crm/v8/{module}/{id}/Attachments`: each uploaded file is kept (name and size) as an
/// attachment of the record.
pub fn attach(db: &Db, module: &str, id: &str, body: &[u8]) -> Result<Response, String> {
    if db.get("crm", module, id)?.is_none() {
        return Ok(invalid_id(id));
    }
    let names = file_names(body);
    if names.is_empty() {
        let details = json!({ "param_name": "file" });
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "REQUIRED_PARAM_MISSING",
            "One of the expected parameter is missing",
            details,
        ));
    }
    let mut results = Vec::new();
    for name in names {
        let mut a = Record::new();
        a.insert("File_Name".into(), Value::String(name));
        a.insert("Size".into(), Value::String(body.len().to_string()));
        a.insert("Parent_Id".into(), json!({"id": id, "module": module}));
        a.insert("Created_Time".into(), Value::String(now_text()));
        let made = db.insert("crm", "Attachments", a)?;
        results.push(json!({
            "code": "SUCCESS",
            "details": {"Modified_Time": made.get("Created_Time"), "id": made.get("id")},
            "message": "attachment uploaded successfully",
            "status": "success"
        }));
    }
    Ok(json_response(StatusCode::OK, json!({ "data": results })))
}

/// `GET /crm/v8/{module}/{id}/Attachments`: the record's attachments (204 when none).
pub fn attachments(db: &Db, id: &str) -> Result<Response, String> {
    let found: Vec<Value> = db
        .all("crm", "Attachments")?
        .into_iter()
        .filter(|a| a.get("Parent_Id").and_then(|p| p.get("id")).and_then(Value::as_str) == Some(id))
        .map(Value::Object)
        .collect();
    if found.is_empty() {
        return Ok(super::server::no_content());
    }
    let count = found.len();
    Ok(json_response(StatusCode::OK, json!({"data": found, "info": {"count": count, "more_records": false}})))
}

/// `PUT /{crm|bigin|fsm}/v*/{module}/{id}/{related}/{related_id}`: both records must exist; the related
/// record takes the fields given. The sandbox keeps no other junction data.
pub fn update_related(
    db: &Db,
    product: &str,
    module: &str,
    id: &str,
    related: &str,
    related_id: &str,
    body: &[u8],
) -> Result<Response, String> {
    if db.get(product, module, id)?.is_none() {
        return Ok(invalid_id(id));
    }
    let fields: Record = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| v.get("data").and_then(|d| d.get(0)).cloned())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    let Some(_) = db.update(product, related, related_id, fields)? else {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "INVALID_DATA",
            "the related id given seems to be invalid",
            json!({ "id": related_id }),
        ));
    };
    Ok(json_response(
        StatusCode::OK,
        json!({"data": [{"code": "SUCCESS", "details": {"id": related_id}, "message": "relation updated", "status": "success"}]}),
    ))
}

/// `GET /crm/v8/settings/variables/{name}`: one organization variable.
pub fn org_variable(name: &str) -> Response {
    match ORG_VARIABLES.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some((n, v)) => json_response(
            StatusCode::OK,
            json!({"variables": [{"api_name": n, "name": n.replace('_', " "), "value": v, "type": "text"}]}),
        ),
        None => error(
            StatusCode::BAD_REQUEST,
            "INVALID_DATA",
            "the variable given seems to be invalid",
            json!({"api_name": name}),
        ),
    }
}
