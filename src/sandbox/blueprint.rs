//! FSM blueprint transitions in the sandbox: which status changes a record may take from its
//! current status (`GET .../actions/blueprint/transitions`) and performing one
//! (`PUT .../actions/blueprint` with `{"blueprint":[{"transition_id":..,"data":{..}}]}`).

use super::db::{Db, Record};
use super::server::{error, json_response};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

/// (transition name, the status it leads to, its id), by current status. Service
/// appointments follow FSM's documented flow; other modules have none.
fn table(module: &str, status: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    if module != "Service_Appointments" {
        return &[];
    }
    match status {
        "Scheduled" => &[
            ("Dispatch", "Dispatched", "5843000000000300001"),
            ("Reschedule", "Scheduled", "5843000000000300002"),
            ("Cancel", "Cancelled", "5843000000000300003"),
        ],
        "Dispatched" => &[
            ("Start Work", "In Progress", "5843000000000300004"),
            ("Terminate", "Cannot Complete", "5843000000000300005"),
            ("Cancel", "Cancelled", "5843000000000300003"),
        ],
        "In Progress" => &[
            ("Complete Work", "Completed", "5843000000000300006"),
            ("Terminate", "Cannot Complete", "5843000000000300005"),
        ],
        _ => &[],
    }
}

fn status_of(r: &Record) -> String {
    r.get("Status").and_then(Value::as_str).unwrap_or_default().to_string()
}

fn not_found(id: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "INVALID_DATA", "the related id given seems to be invalid", json!({ "id": id }))
}

/// The transitions a record can take now.
pub fn transitions(db: &Db, product: &str, module: &str, id: &str) -> Result<Response, String> {
    let Some(record) = db.get(product, module, id)? else { return Ok(not_found(id)) };
    let status = status_of(&record);
    let list: Vec<Value> = table(module, &status)
        .iter()
        .map(|(name, next, tid)| json!({"next_field_value": next, "name": name, "id": tid, "type": "primary", "enabled": true}))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        json!({
            "code": "SUCCESS",
            "process_info": {"api_name": "Status", "field_label": "Status", "name": module.replace('_', " "), "field_value": status},
            "transitions": list,
        }),
    ))
}

/// Perform one transition: the status moves on and the transition's `data` is saved with it.
pub fn perform(db: &Db, product: &str, module: &str, id: &str, body: &[u8]) -> Result<Response, String> {
    let Some(record) = db.get(product, module, id)? else { return Ok(not_found(id)) };
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let step =
        parsed.get("blueprint").and_then(Value::as_array).and_then(|a| a.first()).cloned().unwrap_or(Value::Null);
    let wanted = step.get("transition_id").and_then(Value::as_str).unwrap_or_default();
    let status = status_of(&record);
    let Some((_, next, _)) = table(module, &status).iter().find(|(_, _, tid)| *tid == wanted) else {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            "INVALID_DATA",
            "the transition id given seems to be invalid",
            json!({"transition_id": wanted, "current_status": status}),
        ));
    };
    let mut changes = step.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
    changes.insert("Status".into(), json!(next));
    db.update(product, module, id, changes)?;
    Ok(json_response(
        StatusCode::OK,
        json!({"code": "SUCCESS", "details": {"id": id}, "message": "transition updated successfully", "status": "success"}),
    ))
}
