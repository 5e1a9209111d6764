//! End-to-end tests of the sandbox: a real server from `start()` in a temporary directory,
//! driven over HTTP with reqwest.

use super::*;
use serde_json::{json, Value};

/// A test client: its own current-thread runtime, the sandbox's URL and master token.
struct Client {
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
    sb: Sandbox,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Client {
    fn new(sb: Sandbox) -> Client {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Client { rt, http, sb }
    }

    fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<(&str, String)>) -> Answer {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.sb.url));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Zoho-oauthtoken {t}"));
        }
        if let Some((kind, text)) = body {
            req = req.header("Content-Type", kind).body(text);
        }
        self.rt.block_on(async {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let headers = res.headers().clone();
            let text = res.text().await.unwrap();
            let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() };
            Answer { status, headers, body }
        })
    }

    fn api(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.send(method, path, Some(&self.sb.token), body.map(|b| ("application/json", b.to_string())))
    }

    fn with(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> Answer {
        self.send(method, path, Some(token), body.map(|b| ("application/json", b.to_string())))
    }

    fn form(&self, path: &str, form: &str) -> Answer {
        self.send("POST", path, None, Some(("application/x-www-form-urlencoded", form.to_string())))
    }

    /// The sandbox's own client, as form fields.
    fn creds(&self) -> String {
        format!("client_id={}&client_secret={}", self.sb.client_id, self.sb.client_secret)
    }

    /// A client-credentials token for `scopes` (comma-separated).
    fn token(&self, scopes: &str) -> String {
        let a = self.form(
            "/oauth/v2/token",
            &format!(
                "grant_type=client_credentials&client_id={}&client_secret={}&scope={scopes}",
                self.sb.client_id, self.sb.client_secret
            ),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.body["access_token"].as_str().unwrap().to_string()
    }
}

fn sandbox() -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().unwrap();
    let sb = start(dir.path()).unwrap();
    (dir, Client::new(sb))
}

/// The id of the seeded record of `module` whose `field` is `value`.
fn seeded_id(c: &Client, path: &str, field: &str, value: &str) -> String {
    let a = c.api("GET", path, None);
    let rec = a.body["data"].as_array().unwrap().iter().find(|r| r[field] == value).unwrap().clone();
    rec["id"].as_str().unwrap().to_string()
}

fn zoho_error(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_eq!(a.body["code"], code, "{}", a.body);
    assert_eq!(a.body["status"], "error");
    assert!(a.body["message"].is_string() && a.body["details"].is_object());
}

#[test]
fn client_credentials_token_carries_its_scopes() {
    let (_dir, c) = sandbox();
    let a = c.form(
        "/oauth/v2/token",
        &format!(
            "grant_type=client_credentials&{}&scope=ZohoCRM.modules.leads.READ,ZohoFSM.modules.WorkOrders.READ",
            c.creds()
        ),
    );
    assert_eq!(a.status, 200);
    for key in ["access_token", "refresh_token", "api_domain", "token_type", "expires_in"] {
        assert!(a.body.get(key).is_some(), "{key} missing from {}", a.body);
    }
    assert_eq!(a.body["api_domain"], c.sb.url.as_str());
    assert_eq!(a.body["token_type"], "Bearer");
    assert_eq!(a.body["expires_in"], 3600);
    let token = a.body["access_token"].as_str().unwrap();
    assert!(token.starts_with("1000."));

    let leads = c.with(token, "GET", "/crm/v8/Leads", None);
    assert_eq!(leads.status, 200, "{}", leads.body);
    assert_eq!(leads.body["data"].as_array().unwrap().len(), 3);
    assert!(leads.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    assert_eq!(c.with(token, "GET", "/fsm/v1/Work_Orders", None).status, 200);

    zoho_error(&c.with(token, "GET", "/crm/v8/Contacts", None), 401, "OAUTH_SCOPE_MISMATCH");
    zoho_error(
        &c.with(token, "POST", "/crm/v8/Leads", Some(json!({"data": [{"Last_Name": "X"}]}))),
        401,
        "OAUTH_SCOPE_MISMATCH",
    );
    zoho_error(&c.with(token, "GET", "/fsm/v1/Requests", None), 401, "OAUTH_SCOPE_MISMATCH");
    let a = c.with(token, "GET", "/crm/v8/Contacts", None);
    assert_eq!(a.body["message"], "invalid oauth scope to access this URL");

    let missing = c.form("/oauth/v2/token", &format!("grant_type=client_credentials&{}", c.creds()));
    assert_eq!(missing.body["error"], "invalid_scope");
    let password = c.form("/oauth/v2/token", &format!("grant_type=password&{}", c.creds()));
    assert_eq!(password.body["error"], "unsupported_grant_type");
}

#[test]
fn bad_tokens_are_refused() {
    let (_dir, c) = sandbox();
    let a = c.with("1000.nope.nope", "GET", "/crm/v8/Leads", None);
    zoho_error(&a, 401, "INVALID_TOKEN");
    assert_eq!(a.body["message"], "invalid oauth token");
    zoho_error(&c.send("GET", "/bigin/v2/Contacts", None, None), 401, "AUTHENTICATION_FAILURE");

    let token = c.token("ZohoCRM.modules.ALL");
    assert_eq!(c.with(&token, "GET", "/crm/v8/Leads", None).status, 200);
    let a = c.send("POST", &format!("/oauth/v2/token/revoke?token={token}"), None, None);
    assert_eq!(a.status, 200);
    zoho_error(&c.with(&token, "GET", "/crm/v8/Leads", None), 401, "INVALID_TOKEN");
    // Bearer is accepted as well as Zoho-oauthtoken
    let fresh = c.token("ZohoCRM.modules.ALL");
    let ok = c.rt.block_on(async {
        c.http.get(format!("{}/crm/v8/Leads", c.sb.url)).bearer_auth(&fresh).send().await.unwrap().status().as_u16()
    });
    assert_eq!(ok, 200);
}

#[test]
fn authorization_code_flow_refresh_and_revoke() {
    let (_dir, c) = sandbox();
    let a = c.send(
        "GET",
        &format!("/oauth/v2/auth?response_type=code&client_id={}&scope=ZohoBigin.modules.ALL&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=s%201&access_type=offline", c.sb.client_id),
        None,
        None,
    );
    assert_eq!(a.status, 302);
    let location = a.headers["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("http://127.0.0.1:9/cb?state=s%201&code="), "{location}");
    let url = reqwest::Url::parse(&location).unwrap();
    let code = url.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();

    let form = format!(
        "grant_type=authorization_code&client_id={}&client_secret={}&redirect_uri=x&code={code}",
        c.sb.client_id, c.sb.client_secret
    );
    let t = c.form("/oauth/v2/token", &form);
    assert_eq!(t.status, 200);
    let access = t.body["access_token"].as_str().unwrap().to_string();
    let refresh = t.body["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(c.with(&access, "GET", "/bigin/v2/Contacts", None).status, 200);
    zoho_error(&c.with(&access, "GET", "/crm/v8/Leads", None), 401, "OAUTH_SCOPE_MISMATCH");
    // a code works once; unknown codes get Zoho's HTTP 200 error
    let again = c.form("/oauth/v2/token", &form);
    assert_eq!((again.status, again.body.clone()), (200, json!({"error": "invalid_code"})));

    // parameters in the query string, as Zoho's examples send them
    let r = c.send(
        "POST",
        &format!("/oauth/v2/token?grant_type=refresh_token&refresh_token={refresh}&{}", c.creds()),
        None,
        None,
    );
    assert_eq!(r.status, 200);
    assert!(r.body.get("refresh_token").is_none());
    let second = r.body["access_token"].as_str().unwrap().to_string();
    assert_ne!(second, access);
    assert_eq!(c.with(&second, "GET", "/bigin/v2/Accounts", None).status, 200);

    c.send("POST", &format!("/oauth/v2/token/revoke?token={refresh}"), None, None);
    let r = c.form("/oauth/v2/token", &format!("grant_type=refresh_token&refresh_token={refresh}&{}", c.creds()));
    assert_eq!(r.body, json!({"error": "invalid_code"}));
    zoho_error(&c.with(&second, "GET", "/bigin/v2/Accounts", None), 401, "INVALID_TOKEN");
    zoho_error(&c.with(&access, "GET", "/bigin/v2/Accounts", None), 401, "INVALID_TOKEN");
}

#[test]
fn create_get_update_search_delete() {
    let (_dir, c) = sandbox();
    let a = c.api(
        "POST",
        "/bigin/v2/Contacts",
        Some(json!({"data": [{"First_Name": "Rosa", "Last_Name": "Parks", "Email": "rosa@example.com"}]})),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let entry = &a.body["data"][0];
    assert_eq!(
        (entry["code"].as_str(), entry["message"].as_str(), entry["status"].as_str()),
        (Some("SUCCESS"), Some("record added"), Some("success"))
    );
    let id = entry["details"]["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 19);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    for key in ["Modified_Time", "Modified_By", "Created_Time", "Created_By"] {
        assert!(entry["details"].get(key).is_some(), "{key}");
    }
    assert_eq!(entry["details"]["Created_By"]["name"], "Sandbox User");

    let got = c.api("GET", &format!("/bigin/v2/Contacts/{id}"), None);
    assert_eq!(got.status, 200);
    let rec = &got.body["data"][0];
    assert_eq!(rec["Full_Name"], "Rosa Parks");
    assert_eq!(rec["id"], id.as_str());
    assert_eq!(rec["Owner"]["email"], "sandbox@example.com");
    let created = rec["Created_Time"].as_str().unwrap();
    assert!(created.len() == 25 && created.ends_with("+00:00") && created.as_bytes()[10] == b'T', "{created}");

    let up = c.api(
        "PUT",
        &format!("/bigin/v2/Contacts/{id}"),
        Some(json!({"data": [{"First_Name": "Rosa L.", "Phone": "555 0199"}]})),
    );
    assert_eq!(up.status, 200, "{}", up.body);
    assert_eq!(up.body["data"][0]["message"], "record updated");
    let rec = c.api("GET", &format!("/bigin/v2/Contacts/{id}"), None).body["data"][0].clone();
    assert_eq!(
        (rec["Full_Name"].as_str(), rec["Phone"].as_str(), rec["Email"].as_str()),
        (Some("Rosa L. Parks"), Some("555 0199"), Some("rosa@example.com"))
    );
    assert_eq!(rec["Created_Time"], created);

    let s = c.api("GET", "/bigin/v2/Contacts/search?criteria=(Email:equals:ROSA@example.com)", None);
    assert_eq!(s.status, 200, "{}", s.body);
    assert_eq!(s.body["data"][0]["id"], id.as_str());
    assert_eq!(s.body["info"]["count"], 1);
    let s = c.api(
        "GET",
        "/bigin/v2/Contacts/search?criteria=((Last_Name:starts_with:par)and(First_Name:equals:Rosa%20L.))",
        None,
    );
    assert_eq!(s.body["data"].as_array().unwrap().len(), 1, "{}", s.body);
    assert_eq!(
        c.api("GET", "/bigin/v2/Contacts/search?email=rosa@example.com", None).body["data"][0]["id"],
        id.as_str()
    );
    assert_eq!(c.api("GET", "/bigin/v2/Contacts/search?phone=5550199", None).status, 200);
    assert_eq!(c.api("GET", "/bigin/v2/Contacts/search?word=rosa", None).status, 200);
    let none = c.api("GET", "/bigin/v2/Contacts/search?criteria=(Email:equals:nobody@example.com)", None);
    assert_eq!((none.status, none.body.clone()), (204, Value::Null));
    zoho_error(&c.api("GET", "/bigin/v2/Contacts/search?criteria=(Email:bogus:x)", None), 400, "INVALID_QUERY");
    zoho_error(&c.api("GET", "/bigin/v2/Contacts/search", None), 400, "REQUIRED_PARAM_MISSING");

    let d = c.api("DELETE", &format!("/bigin/v2/Contacts/{id}"), None);
    assert_eq!(d.status, 200);
    assert_eq!(
        d.body["data"][0],
        json!({"code": "SUCCESS", "details": {"id": id}, "message": "record deleted", "status": "success"})
    );
    zoho_error(&c.api("GET", &format!("/bigin/v2/Contacts/{id}"), None), 400, "INVALID_DATA");
    let again = c.api("PUT", &format!("/bigin/v2/Contacts/{id}"), Some(json!({"data": [{"Phone": "1"}]})));
    assert_eq!(again.status, 400);
    assert_eq!(again.body["data"][0]["code"], "INVALID_DATA");
    assert_eq!(again.body["data"][0]["message"], "the related id given seems to be invalid");
    assert_eq!(c.api("DELETE", &format!("/bigin/v2/Contacts/{id}"), None).body["data"][0]["code"], "INVALID_DATA");
}

#[test]
fn mandatory_fields_and_bad_bodies() {
    let (_dir, c) = sandbox();
    for (path, field) in [
        ("/bigin/v2/Contacts", "Last_Name"),
        ("/crm/v8/Leads", "Last_Name"),
        ("/crm/v8/Accounts", "Account_Name"),
        ("/crm/v8/Deals", "Deal_Name"),
        ("/fsm/v1/Requests", "Summary"),
        ("/fsm/v1/Work_Orders", "Summary"),
        ("/fsm/v1/Companies", "Company_Name"),
    ] {
        let a = c.api("POST", path, Some(json!({"data": [{"Email": "x@example.com"}]})));
        assert_eq!(a.status, 400, "{path}");
        assert_eq!(
            a.body,
            json!({"data": [{"code": "MANDATORY_NOT_FOUND", "details": {"api_name": field}, "message": "required field not found", "status": "error"}]})
        );
    }
    zoho_error(&c.api("POST", "/crm/v8/Leads", Some(json!({"Last_Name": "X"}))), 400, "INVALID_DATA");
    let raw = c.send("POST", "/crm/v8/Leads", Some(&c.sb.token), Some(("application/json", "not json".into())));
    zoho_error(&raw, 400, "INVALID_DATA");
    // one good and one bad record: 207
    let mixed = c.api("POST", "/crm/v8/Leads", Some(json!({"data": [{"Last_Name": "Good"}, {"First_Name": "Bad"}]})));
    assert_eq!(mixed.status, 207);
    assert_eq!(mixed.body["data"][1]["code"], "MANDATORY_NOT_FOUND");
    // blanking a mandatory field on update is refused too
    let lead = seeded_id(&c, "/crm/v8/Leads", "Last_Name", "Hamilton");
    let a = c.api("PUT", &format!("/crm/v8/Leads/{lead}"), Some(json!({"data": [{"Last_Name": ""}]})));
    assert_eq!(a.body["data"][0]["code"], "MANDATORY_NOT_FOUND");
}

#[test]
fn unknown_modules_and_urls() {
    let (_dir, c) = sandbox();
    let a = c.api("GET", "/crm/v8/Nope", None);
    assert_eq!(a.status, 400);
    assert_eq!(
        a.body,
        json!({"code": "INVALID_MODULE", "details": {}, "message": "the module name given seems to be invalid", "status": "error"})
    );
    zoho_error(&c.api("GET", "/fsm/v1/Deals", None), 400, "INVALID_MODULE");
    zoho_error(&c.api("GET", "/nothing/here", None), 404, "INVALID_URL_PATTERN");
    // module names are case-insensitive, as Zoho's are
    assert_eq!(c.api("GET", "/crm/v8/leads", None).body["data"].as_array().unwrap().len(), 3);
}

#[test]
fn paging() {
    let (_dir, c) = sandbox();
    let p1 = c.api("GET", "/crm/v8/Leads?page=1&per_page=2", None);
    assert_eq!(p1.body["info"], json!({"per_page": 2, "count": 2, "page": 1, "more_records": true}));
    let p2 = c.api("GET", "/crm/v8/Leads?page=2&per_page=2", None);
    assert_eq!(p2.body["info"], json!({"per_page": 2, "count": 1, "page": 2, "more_records": false}));
    assert_eq!(p2.body["data"][0]["Last_Name"], "Johnson");
    assert_eq!(c.api("GET", "/crm/v8/Leads?page=3&per_page=2", None).status, 204);
    let all = c.api("GET", "/crm/v8/Leads", None);
    assert_eq!(all.body["info"], json!({"per_page": 200, "count": 3, "page": 1, "more_records": false}));
    let names: Vec<&str> =
        all.body["data"].as_array().unwrap().iter().map(|r| r["Last_Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Hamilton", "Pauling", "Johnson"]);
    let fields = c.api("GET", "/crm/v8/Leads?fields=Last_Name,Email&per_page=1", None);
    let keys: Vec<&String> = fields.body["data"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["Last_Name", "Email", "id"]);
    let sorted = c.api("GET", "/crm/v8/Leads?sort_by=Last_Name&sort_order=asc", None);
    assert_eq!(sorted.body["data"][0]["Last_Name"], "Hamilton");
    assert_eq!(sorted.body["data"][2]["Last_Name"], "Pauling");
    assert_eq!(c.api("GET", "/fsm/v1/Time_Off", None).status, 204);
}

#[test]
fn seed_data_and_related_records() {
    let (_dir, c) = sandbox();
    let count = |path: &str| c.api("GET", path, None).body["data"].as_array().map_or(0, Vec::len);
    for (path, n) in [
        ("/crm/v8/Leads", 3),
        ("/crm/v8/Contacts", 3),
        ("/crm/v8/Accounts", 2),
        ("/crm/v8/Deals", 2),
        ("/bigin/v2/Contacts", 3),
        ("/bigin/v2/Accounts", 2),
        ("/bigin/v2/Pipelines", 2),
        ("/fsm/v1/Companies", 2),
        ("/fsm/v1/Contacts", 3),
        ("/fsm/v1/Requests", 2),
        ("/fsm/v1/Work_Orders", 2),
        ("/fsm/v1/Service_Appointments", 3),
        ("/fsm/v1/Assets", 2),
        ("/fsm/v1/Territories", 1),
        ("/fsm/v1/Estimates", 0),
        ("/fsm/v1/Invoices", 0),
    ] {
        assert_eq!(count(path), n, "{path}");
    }
    let zylker = seeded_id(&c, "/crm/v8/Accounts", "Account_Name", "Zylker Inc");
    let rel = c.api("GET", &format!("/crm/v8/Accounts/{zylker}/Contacts"), None);
    let names: Vec<&str> =
        rel.body["data"].as_array().unwrap().iter().map(|r| r["Full_Name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
    assert_eq!(c.api("GET", &format!("/crm/v8/Accounts/{zylker}/Deals"), None).body["info"]["count"], 1);
    let wo1 = seeded_id(&c, "/fsm/v1/Work_Orders", "Name", "WO1");
    assert_eq!(c.api("GET", &format!("/fsm/v1/Work_Orders/{wo1}/Service_Appointments"), None).body["info"]["count"], 2);
    assert_eq!(c.api("GET", &format!("/fsm/v1/Work_Orders/{wo1}/Estimates"), None).status, 204);
    zoho_error(&c.api("GET", &format!("/fsm/v1/Work_Orders/{wo1}/Nope"), None), 400, "INVALID_DATA");

    // lookups given as an id are stored as {"name","id"}; FSM names its records
    let contact = seeded_id(&c, "/fsm/v1/Contacts", "Last_Name", "Garcia");
    let a = c.api("POST", "/fsm/v1/Requests", Some(json!({"data": [{"Summary": "Leaking pipe", "Contact": contact}]})));
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.body["data"][0]["details"]["id"].as_str().unwrap();
    let rec = c.api("GET", &format!("/fsm/v1/Requests/{id}"), None).body["data"][0].clone();
    assert_eq!(rec["Contact"], json!({"name": "Maria Garcia", "id": contact}));
    assert_eq!(rec["Name"], "REQ3");
    let bad =
        c.api("POST", "/fsm/v1/Requests", Some(json!({"data": [{"Summary": "x", "Company": "1234567890123456789"}]})));
    assert_eq!(bad.body["data"][0]["details"], json!({"api_name": "Company", "expected_data_type": "lookup"}));
}

#[test]
fn crm_upsert_updates_duplicates_and_inserts_the_rest() {
    let (_dir, c) = sandbox();
    let body = json!({"data": [
        {"Last_Name": "Hamilton", "Email": "margaret@apollo.example.com", "Lead_Status": "Contacted"},
        {"Last_Name": "Noether", "Email": "emmy@example.com"},
    ], "duplicate_check_fields": ["Email"]});
    let a = c.api("POST", "/crm/v8/Leads/upsert", Some(body));
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        (a.body["data"][0]["action"].as_str(), a.body["data"][0]["duplicate_field"].as_str()),
        (Some("update"), Some("Email"))
    );
    assert_eq!(a.body["data"][0]["message"], "record updated");
    assert_eq!(
        (a.body["data"][1]["action"].as_str(), a.body["data"][1]["message"].as_str()),
        (Some("insert"), Some("record added"))
    );
    let leads = c.api("GET", "/crm/v8/Leads", None).body["data"].as_array().unwrap().clone();
    assert_eq!(leads.len(), 4);
    assert_eq!(leads[0]["Lead_Status"], "Contacted");
}

#[test]
fn writes_persist_across_starts_and_reset_reseeds() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::new(start(dir.path()).unwrap());
    let a = c.api("POST", "/crm/v8/Accounts", Some(json!({"data": [{"Account_Name": "Persisted Ltd"}]})));
    let id = a.body["data"][0]["details"]["id"].as_str().unwrap().to_string();

    let second = Client::new(start(dir.path()).unwrap());
    assert_eq!(second.sb.token, c.sb.token, "the master token is kept with the store");
    let got = second.api("GET", &format!("/crm/v8/Accounts/{id}"), None);
    assert_eq!(got.body["data"][0]["Account_Name"], "Persisted Ltd");
    assert_eq!(second.api("GET", "/crm/v8/Accounts", None).body["info"]["count"], 3);

    reset(dir.path()).unwrap();
    assert!(!dir.path().join("sandbox.db").exists());
    let third = Client::new(start(dir.path()).unwrap());
    assert_eq!(third.api("GET", &format!("/crm/v8/Accounts/{id}"), None).status, 400);
    assert_eq!(third.api("GET", "/crm/v8/Accounts", None).body["info"]["count"], 2);
    reset(dir.path()).unwrap();
    reset(dir.path()).unwrap(); // nothing to delete is fine
}

#[test]
fn acknowledged_writes_are_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let c = Client::new(start(dir.path()).unwrap());
    for i in 0..40 {
        let a = c.api("POST", "/fsm/v1/Companies", Some(json!({"data": [{"Company_Name": format!("Company {i}")}]})));
        assert_eq!(a.status, 201);
    }
    // a second connection (as another process would) sees every acknowledged write
    let other = Db::open(&dir.path().join("sandbox.db")).unwrap();
    assert_eq!(other.count("fsm", "Companies").unwrap(), 42);
    assert_eq!(other.all("fsm", "Companies").unwrap()[41]["Company_Name"], "Company 39");
}

#[test]
fn serve_prints_url_and_token() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let path = dir.path().to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = |line: &str| tx.send(line.to_string()).unwrap();
        let _ = serve(&path, port, Edition::Professional, &mut out);
    });
    let url = rx.recv().unwrap();
    let token = rx.recv().unwrap();
    assert_eq!(url, format!("url: http://127.0.0.1:{port}"));
    let token = token.strip_prefix("token: ").unwrap().to_string();
    let client_id = rx.recv().unwrap().strip_prefix("client_id: ").unwrap().to_string();
    let client_secret = rx.recv().unwrap().strip_prefix("client_secret: ").unwrap().to_string();
    let c = Client::new(Sandbox { url: url[5..].to_string(), token, client_id, client_secret });
    assert_eq!(c.api("GET", "/fsm/v1/Requests", None).status, 200);
    let busy = serve(dir.path(), port, Edition::Professional, &mut |_| {});
    assert!(busy.unwrap_err().message().contains(&format!("127.0.0.1:{port}")));
}

#[test]
fn books_is_mounted_at_both_prefixes_and_checks_scopes() {
    let (_dir, c) = sandbox();
    for prefix in ["/books/v3", "/api/v3"] {
        let a = c.api("GET", &format!("{prefix}/contacts?organization_id=700000001"), None);
        assert_eq!(a.status, 200, "{prefix}: {}", a.body);
        assert_eq!(a.body["code"], 0);
        assert_eq!(a.body["contacts"].as_array().map(Vec::len), Some(3), "{}", a.body);
    }
    let token = c.token("ZohoBooks.invoices.READ");
    zoho_error(
        &c.with(&token, "GET", "/books/v3/contacts?organization_id=700000001", None),
        401,
        "OAUTH_SCOPE_MISMATCH",
    );
    zoho_error(&c.with("1000.x.y", "GET", "/api/v3/contacts", None), 401, "INVALID_TOKEN");
}

#[test]
fn debug_output_hides_the_token() {
    let sb = Sandbox {
        url: "http://127.0.0.1:1".into(),
        token: "1000.secret.secret".into(),
        client_id: "1000.ID".into(),
        client_secret: "s3cret".into(),
    };
    let shown = format!("{sb:?}");
    assert!(shown.contains("127.0.0.1:1") && !shown.contains("secret.secret") && !shown.contains("s3cret"), "{shown}");
}

/// Only loopback host names are answered, only the sandbox's own client gets tokens and
/// codes, codes go only to loopback redirect URIs.
#[test]
fn the_accounts_server_serves_only_its_client_and_loopback() {
    let (_dir, c) = sandbox();
    let wrong = c
        .form("/oauth/v2/token", "grant_type=client_credentials&client_id=x&client_secret=y&scope=ZohoCRM.modules.ALL");
    assert_eq!(wrong.body, json!({"error": "invalid_client"}));
    let no_secret = c.form(
        "/oauth/v2/token",
        &format!("grant_type=client_credentials&client_id={}&scope=ZohoCRM.modules.ALL", c.sb.client_id),
    );
    assert_eq!(no_secret.body, json!({"error": "invalid_client"}));
    let auth = |client: &str, redirect: &str| {
        c.send(
            "GET",
            &format!("/oauth/v2/auth?response_type=code&client_id={client}&scope=ZohoCRM.modules.ALL&redirect_uri={redirect}"),
            None,
            None,
        )
    };
    assert_eq!(auth("x", "http%3A%2F%2F127.0.0.1%3A9%2Fcb").body, json!({"error": "invalid_client"}));
    for far in
        ["http%3A%2F%2Fevil.example%2Fcb", "https%3A%2F%2F127.0.0.1%2Fcb", "http%3A%2F%2F127.0.0.1.evil.example%2F"]
    {
        assert_eq!(auth(&c.sb.client_id, far).body, json!({"error": "invalid_redirect_uri"}), "{far}");
    }
    assert_eq!(auth(&c.sb.client_id, "http%3A%2F%2Flocalhost%3A9%2Fcb").status, 302);
    // A page on another origin that rebinds its name to 127.0.0.1 is refused.
    let rebound = c.rt.block_on(async {
        c.http.get(format!("{}/crm/v8/Leads", c.sb.url)).header("Host", "evil.example").send().await.unwrap().status()
    });
    assert_eq!(rebound.as_u16(), 421);
    for ok in ["127.0.0.1:80", "localhost", "[::1]:8080", "LOCALHOST."] {
        assert!(server::loopback_host(ok), "{ok}");
    }
    for bad in ["evil.example", "127.0.0.1.evil.example", "10.0.0.1", "localhost.evil.example:1"] {
        assert!(!server::loopback_host(bad), "{bad}");
    }
}

/// A connection that sends nothing is closed after the idle timeout (waited for as an event:
/// the read that returns end-of-file, bounded generously).
#[test]
fn idle_connections_are_closed() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let (db, listener, sb) = prepare(dir.path(), 0).unwrap();
    let app = server::router(state(db, &sb, Edition::Professional));
    let rt = runtime().unwrap();
    std::thread::spawn(move || {
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let _ = serve_on(listener, app, std::time::Duration::from_millis(200)).await;
        })
    });
    let addr = sb.url.trim_start_matches("http://").to_string();
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    // The bound only keeps a broken server from hanging the suite; the close comes long before.
    idle.set_read_timeout(Some(std::time::Duration::from_secs(120))).unwrap();
    let mut buf = [0u8; 256];
    match idle.read(&mut buf) {
        Ok(n) => {
            let text = String::from_utf8_lossy(&buf[..n]);
            assert!(n == 0 || text.starts_with("HTTP/1.1 408"), "the idle connection was closed: {text}");
        }
        Err(e) => assert!(
            !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
            "the sandbox kept an idle connection open: {e}"
        ),
    }
}

/// Desk, Cliq and Projects check scopes on their own API hosts: a token of another product
/// is refused.
#[test]
fn every_product_checks_its_own_scopes() {
    let (_dir, c) = sandbox();
    let books_only = c.token("ZohoBooks.contacts.READ");
    let desk = c.rt.block_on(async {
        c.http
            .get(format!("{}/api/v1/tickets", c.sb.url))
            .header("Authorization", format!("Zoho-oauthtoken {books_only}"))
            .header("orgId", "641000001")
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(desk.as_u16(), 401);
    for path in [
        "/api/v2/chats/1/messages",
        "/restapi/portal/sandbox/projects/",
        "/creator/v2.1/data/sandbox/inventory/report/All_Orders",
    ] {
        assert_eq!(c.with(&books_only, "GET", path, None).status, 401, "{path}");
    }
    let desk_token = c.token("Desk.tickets.READ");
    let ok = c.rt.block_on(async {
        c.http
            .get(format!("{}/api/v1/tickets", c.sb.url))
            .header("Authorization", format!("Zoho-oauthtoken {desk_token}"))
            .header("orgId", "641000001")
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(ok.as_u16(), 200);
}
