//! Tests of the sandbox's Books API: the handler logic over a real `sandbox.db`.

use super::*;

fn open_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("sandbox.db")).expect("open sandbox.db");
    (dir, db)
}

fn call(db: &Db, method: Method, path: &str, query: &str, content_type: Option<&str>, body: &str) -> Answer {
    let request = BooksRequest {
        method,
        path: path.to_string(),
        query: query.to_string(),
        org_header: None,
        content_type: content_type.map(str::to_string),
        body: body.as_bytes().to_vec(),
    };
    dispatch(db, &request)
}

fn get(db: &Db, path: &str, query: &str) -> Answer {
    call(db, Method::GET, path, query, None, "")
}

fn form(json: &Value) -> String {
    let text = json.to_string();
    format!("JSONString={}", percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC))
}

fn post_form(db: &Db, path: &str, json: Value) -> Answer {
    call(db, Method::POST, path, "", Some("application/x-www-form-urlencoded"), &form(&json))
}

fn post_json(db: &Db, path: &str, json: Value) -> Answer {
    call(db, Method::POST, path, "", Some("application/json"), &json.to_string())
}

fn new_contact(db: &Db, json: Value) -> String {
    let answer = post_json(db, "/contacts", json);
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    answer.body["contact"]["contact_id"].as_str().expect("contact_id").to_string()
}

fn names(answer: &Answer) -> Vec<String> {
    let list = answer.body["contacts"].as_array().expect("contacts array");
    list.iter().map(|c| c["contact_name"].as_str().unwrap_or("").to_string()).collect()
}

#[test]
fn list_has_books_shape() {
    let (_dir, db) = open_db();
    let answer = get(&db, "/contacts", "organization_id=700000001");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["code"], 0);
    assert_eq!(answer.body["message"], "success");
    assert!(answer.body["contacts"].is_array());
    let page = &answer.body["page_context"];
    assert_eq!(page["page"], 1);
    assert_eq!(page["per_page"], 200);
    assert_eq!(page["has_more_page"], false);
}

#[test]
fn create_from_jsonstring_form() {
    let (_dir, db) = open_db();
    let answer =
        post_form(&db, "/contacts", json!({"contact_name": "Bowman & Co", "company_name": "Bowman Furniture"}));
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    assert_eq!(answer.body["code"], 0);
    assert_eq!(answer.body["message"], "The contact has been added.");
    let contact = &answer.body["contact"];
    assert_eq!(contact["contact_name"], "Bowman & Co");
    assert_eq!(contact["company_name"], "Bowman Furniture");
    assert_eq!(contact["contact_type"], "customer");
    assert_eq!(contact["status"], "active");
    let id = contact["contact_id"].as_str().expect("id is text");
    assert_eq!(id.len(), 19);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    let created = contact["created_time"].as_str().expect("created_time");
    assert_eq!(created.len(), "2026-11-23T10:15:00+0000".len(), "{created}");
    assert_eq!(contact["last_modified_time"], contact["created_time"]);
}

#[test]
fn create_from_json_body_and_query_jsonstring() {
    let (_dir, db) = open_db();
    let answer = post_json(&db, "/contacts", json!({"contact_name": "Json Body", "contact_type": "vendor"}));
    assert_eq!(answer.status, 201);
    assert_eq!(answer.body["contact"]["contact_type"], "vendor");
    let query = form(&json!({"contact_name": "In Query"}));
    let answer = call(&db, Method::POST, "/contacts", &query, None, "");
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    assert_eq!(answer.body["contact"]["contact_name"], "In Query");
}

#[test]
fn create_without_contact_name_is_refused() {
    let (_dir, db) = open_db();
    for body in [json!({"company_name": "No Name"}), json!({"contact_name": "  "})] {
        let answer = post_json(&db, "/contacts", body);
        assert_eq!(answer.status, 400);
        assert_eq!(answer.body, json!({"code": 4, "message": "Invalid value passed for contact_name"}));
    }
    let answer = post_json(&db, "/items", json!({"rate": 10}));
    assert_eq!(answer.body["message"], "Invalid value passed for name");
}

#[test]
fn bad_body_is_invalid_jsonstring() {
    let (_dir, db) = open_db();
    let expected = json!({"code": 4, "message": "Invalid value passed for JSONString"});
    for (ct, body) in
        [(Some("application/x-www-form-urlencoded"), "name=x"), (None, ""), (Some("application/json"), "[1]")]
    {
        let answer = call(&db, Method::POST, "/contacts", "", ct, body);
        assert_eq!((answer.status, &answer.body), (400, &expected), "{body}");
    }
}

#[test]
fn get_update_delete_round_trip() {
    let (_dir, db) = open_db();
    let id = new_contact(&db, json!({"contact_name": "Round Trip", "email": "rt@example.com"}));
    let path = format!("/contacts/{id}");
    let answer = get(&db, &path, "");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["message"], "success");
    assert_eq!(answer.body["contact"]["contact_id"], id.as_str());

    let body = form(&json!({"company_name": "Round Trip Ltd", "contact_id": "1"}));
    let answer = call(&db, Method::PUT, &path, "", Some("application/x-www-form-urlencoded"), &body);
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    assert_eq!(answer.body["message"], "Contact information has been saved.");
    let contact = &answer.body["contact"];
    assert_eq!(contact["company_name"], "Round Trip Ltd");
    assert_eq!(contact["contact_name"], "Round Trip");
    assert_eq!(contact["contact_id"], id.as_str());
    assert_eq!(get(&db, &path, "").body["contact"]["company_name"], "Round Trip Ltd");

    let answer = call(&db, Method::DELETE, &path, "", None, "");
    assert_eq!(answer.body, json!({"code": 0, "message": "The contact has been deleted."}));
    let missing = json!({"code": 1002, "message": "Contact does not exist."});
    for method in [Method::GET, Method::DELETE] {
        let answer = call(&db, method, &path, "", None, "");
        assert_eq!((answer.status, &answer.body), (404, &missing));
    }
    let answer = call(&db, Method::PUT, &path, "", Some("application/json"), "{}");
    assert_eq!(answer.status, 404);
}

#[test]
fn update_cannot_blank_the_name() {
    let (_dir, db) = open_db();
    let id = new_contact(&db, json!({"contact_name": "Keep Me"}));
    let answer = call(&db, Method::PUT, &format!("/contacts/{id}"), "", None, r#"{"contact_name":""}"#);
    assert_eq!(answer.status, 400);
    assert_eq!(get(&db, &format!("/contacts/{id}"), "").body["contact"]["contact_name"], "Keep Me");
}

#[test]
fn search_text_matches_name_company_email_and_phone() {
    let (_dir, db) = open_db();
    new_contact(
        &db,
        json!({"contact_name": "Zyx Alpha", "company_name": "Qwv Widgets", "email": "alpha@zyx-test.example", "phone": "+1 555 0199"}),
    );
    new_contact(&db, json!({"contact_name": "Zyx Beta", "email": "beta@zyx-test.example", "phone": "+1 555 0288"}));
    let search = |text: &str| names(&get(&db, "/contacts", &format!("search_text={text}")));
    assert_eq!(search("zyx"), ["Zyx Alpha", "Zyx Beta"]);
    assert_eq!(search("ALPHA%40ZYX-TEST.EXAMPLE"), ["Zyx Alpha"]);
    assert_eq!(search("qwv"), ["Zyx Alpha"]);
    assert_eq!(search("555+0288"), ["Zyx Beta"]);
    assert!(search("no-such-text-anywhere").is_empty());
    let answer = get(&db, "/contacts", "search_text=zyx");
    assert_eq!(answer.body["page_context"]["search_criteria"][0]["search_text"], "zyx");
}

#[test]
fn email_and_name_filters_are_exact() {
    let (_dir, db) = open_db();
    new_contact(&db, json!({"contact_name": "Filter One", "email": "one@filter.example"}));
    new_contact(&db, json!({"contact_name": "Filter One Two", "email": "onetwo@filter.example"}));
    let list = |q: &str| names(&get(&db, "/contacts", q));
    assert_eq!(list("email=ONE%40filter.example"), ["Filter One"]);
    assert_eq!(list("contact_name=filter+one"), ["Filter One"]);
    assert_eq!(list("contact_name_startswith=Filter+One"), ["Filter One", "Filter One Two"]);
    assert_eq!(list("email_contains=filter.example&contact_name_contains=two"), ["Filter One Two"]);
    assert!(list("email=nobody%40filter.example").is_empty());
}

#[test]
fn pages_of_a_search() {
    let (_dir, db) = open_db();
    for n in 1..=5 {
        new_contact(&db, json!({"contact_name": format!("Pager {n}")}));
    }
    let answer = get(&db, "/contacts", "search_text=pager&per_page=2&page=2");
    assert_eq!(names(&answer), ["Pager 3", "Pager 4"]);
    assert_eq!(answer.body["page_context"]["has_more_page"], true);
    let answer = get(&db, "/contacts", "search_text=pager&per_page=2&page=3");
    assert_eq!(names(&answer), ["Pager 5"]);
    assert_eq!(answer.body["page_context"]["has_more_page"], false);
    let answer = get(&db, "/contacts", "search_text=pager&sort_column=contact_name&sort_order=D&per_page=1");
    assert_eq!(names(&answer), ["Pager 5"]);
}

#[test]
fn other_organization_gets_6041() {
    let (_dir, db) = open_db();
    for (method, path) in [(Method::GET, "/contacts"), (Method::GET, "/contacts/1"), (Method::POST, "/contacts")] {
        let answer = call(&db, method, path, "organization_id=12345", None, r#"{"contact_name":"x"}"#);
        assert_eq!(answer.status, 400);
        assert_eq!(
            answer.body,
            json!({"code": 6041, "message": "This user is not associated with the CompanyID/CompanyName:12345."})
        );
    }
    assert_eq!(get(&db, "/contacts", "organization_id=700000001").status, 200);
    assert_eq!(get(&db, "/contacts", "").status, 200);
    let mut request = BooksRequest { method: Method::GET, path: "/contacts".into(), ..BooksRequest::default() };
    request.org_header = Some("999".into());
    assert_eq!(dispatch(&db, &request).body["code"], 6041);
}

#[test]
fn contact_persons_and_top_level_fields_agree() {
    let (_dir, db) = open_db();
    let answer = post_json(&db, "/contacts", json!({"contact_name": "Top", "email": "top@example.com"}));
    let persons = answer.body["contact"]["contact_persons"].as_array().expect("persons").clone();
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["email"], "top@example.com");
    assert_eq!(persons[0]["is_primary_contact"], true);
    assert_eq!(persons[0]["contact_person_id"].as_str().map(str::len), Some(19));

    let answer = post_json(
        &db,
        "/contacts",
        json!({"contact_name": "Persons", "contact_persons": [
        {"first_name": "Ann", "email": "ann@persons.example"}, {"first_name": "Bo", "email": "bo@persons.example"}]}),
    );
    let contact = &answer.body["contact"];
    assert_eq!(contact["email"], "ann@persons.example");
    assert_eq!(contact["first_name"], "Ann");
    let found = names(&get(&db, "/contacts", "email=bo%40persons.example"));
    assert_eq!(found, ["Persons"]);

    let id = contact["contact_id"].as_str().expect("id");
    let answer = call(&db, Method::PUT, &format!("/contacts/{id}"), "", None, r#"{"email":"ann2@persons.example"}"#);
    assert_eq!(answer.body["contact"]["contact_persons"][0]["email"], "ann2@persons.example");
    assert_eq!(answer.body["contact"]["contact_persons"][1]["email"], "bo@persons.example");
}

#[test]
fn invoices_and_items_use_their_own_keys() {
    let (_dir, db) = open_db();
    let customer = new_contact(&db, json!({"contact_name": "Invoiced Customer"}));
    let answer = post_form(
        &db,
        "/invoices",
        json!({"customer_id": customer,
        "line_items": [{"name": "Widget", "rate": 12.5, "quantity": 2}, {"name": "Fee", "rate": 5}]}),
    );
    assert_eq!(answer.status, 201, "{:?}", answer.body);
    assert_eq!(answer.body["message"], "The invoice has been created.");
    let invoice = &answer.body["invoice"];
    assert_eq!(invoice["customer_name"], "Invoiced Customer");
    assert_eq!(invoice["status"], "draft");
    assert_eq!(invoice["total"], 30.0);
    assert!(invoice["invoice_number"].as_str().is_some_and(|n| n.starts_with("INV-")));
    let id = invoice["invoice_id"].as_str().expect("invoice_id").to_string();
    let answer = get(&db, "/invoices", "");
    assert!(answer.body["invoices"].as_array().expect("invoices").iter().any(|i| i["invoice_id"] == id.as_str()));
    let answer = call(&db, Method::PUT, &format!("/invoices/{id}"), "", None, r#"{"status":"sent"}"#);
    assert_eq!(answer.body["message"], "Invoice information has been updated.");
    assert_eq!(
        get(&db, "/invoices", &format!("status=sent&customer_id={customer}")).body["invoices"].as_array().map(Vec::len),
        Some(1)
    );

    let answer = post_json(&db, "/items", json!({"name": "Hard Drive", "rate": 120}));
    assert_eq!(answer.body["message"], "The item has been added.");
    assert!(answer.body["item"]["item_id"].is_string());
    let answer = get(&db, "/items/1", "");
    assert_eq!(answer.body, json!({"code": 1002, "message": "Item does not exist."}));
    for module in ["estimates", "salesorders", "bills", "Contacts"] {
        assert_eq!(get(&db, &format!("/{module}"), "").status, 200, "{module}");
    }
}

#[test]
fn unknown_paths_and_methods() {
    let (_dir, db) = open_db();
    let invalid = json!({"code": 5, "message": "Invalid URL Passed"});
    for path in ["/nosuchmodule", "/", "/contacts/1/x/y"] {
        let answer = get(&db, path, "");
        assert_eq!((answer.status, &answer.body), (404, &invalid), "{path}");
    }
    let answer = call(&db, Method::PATCH, "/contacts", "", None, "");
    assert_eq!(answer.status, 405);
    assert_eq!(answer.body["code"], 37);
}

/// Through a real server (`super::super::start`): both prefixes, the token and scope check,
/// the organization, and the JSONString form as reqwest sends it.
mod http {
    use serde_json::{json, Value};

    struct Client {
        rt: tokio::runtime::Runtime,
        http: reqwest::Client,
        url: String,
        token: String,
        creds: String,
        _dir: tempfile::TempDir,
    }

    struct Reply {
        status: u16,
        content_type: String,
        body: Value,
    }

    fn client() -> Client {
        let dir = tempfile::tempdir().expect("temp dir");
        let sandbox = crate::sandbox::start(dir.path()).expect("sandbox starts");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let creds = format!("client_id={}&client_secret={}", sandbox.client_id, sandbox.client_secret);
        Client { rt, http: reqwest::Client::new(), url: sandbox.url, token: sandbox.token, creds, _dir: dir }
    }

    impl Client {
        fn send(&self, token: Option<&str>, method: &str, path: &str, body: Option<(&str, String)>) -> Reply {
            let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let mut req = self.http.request(method, format!("{}{path}", self.url));
            if let Some(token) = token {
                req = req.header("Authorization", format!("Zoho-oauthtoken {token}"));
            }
            if let Some((content_type, text)) = body {
                req = req.header("Content-Type", content_type).body(text);
            }
            self.rt.block_on(async {
                let res = req.send().await.expect("request");
                let status = res.status().as_u16();
                let content_type =
                    res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let text = res.text().await.expect("body");
                let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
                Reply { status, content_type, body }
            })
        }

        fn api(&self, method: &str, path: &str) -> Reply {
            self.send(Some(&self.token), method, path, None)
        }

        fn form(&self, token: Option<&str>, method: &str, path: &str, json: Value) -> Reply {
            self.send(token, method, path, Some(("application/x-www-form-urlencoded", super::form(&json))))
        }

        fn scoped_token(&self, scopes: &str) -> String {
            let body = format!("grant_type=client_credentials&{}&scope={scopes}", self.creds);
            let reply = self.send(None, "POST", "/oauth/v2/token", Some(("application/x-www-form-urlencoded", body)));
            reply.body["access_token"].as_str().expect("access token").to_string()
        }
    }

    #[test]
    fn both_prefixes_serve_the_same_records() {
        let c = client();
        let token = Some(c.token.as_str());
        let created = c.form(
            token,
            "POST",
            "/books/v3/contacts?organization_id=700000001",
            json!({"contact_name": "Prefix Test", "email": "prefix@example.com"}),
        );
        assert_eq!(created.status, 201, "{}", created.body);
        assert!(created.content_type.starts_with("application/json"));
        assert_eq!(created.body["message"], "The contact has been added.");
        let id = created.body["contact"]["contact_id"].as_str().expect("id").to_string();

        let got = c.api("GET", &format!("/api/v3/contacts/{id}?organization_id=700000001"));
        assert_eq!(got.status, 200, "{}", got.body);
        assert_eq!(got.body["contact"]["contact_name"], "Prefix Test");
        let found = c.api("GET", "/api/v3/contacts?search_text=PREFIX%40example");
        assert_eq!(found.body["contacts"][0]["contact_id"], id.as_str());
        let seeded = c.api("GET", "/books/v3/contacts");
        assert!(seeded.body["contacts"].as_array().expect("contacts").len() >= 2, "{}", seeded.body);

        let updated = c.form(token, "PUT", &format!("/api/v3/contacts/{id}"), json!({"phone": "+1 555 0777"}));
        assert_eq!(updated.body["message"], "Contact information has been saved.");
        let by_phone = c.api("GET", "/books/v3/contacts?search_text=0777");
        assert_eq!(by_phone.body["contacts"][0]["contact_id"], id.as_str());

        let deleted = c.api("DELETE", &format!("/books/v3/contacts/{id}"));
        assert_eq!(deleted.body, json!({"code": 0, "message": "The contact has been deleted."}));
        let gone = c.api("GET", &format!("/api/v3/contacts/{id}"));
        assert_eq!((gone.status, gone.body["code"].clone()), (404, json!(1002)));
    }

    #[test]
    fn organization_and_paths() {
        let c = client();
        for prefix in ["/books/v3", "/api/v3"] {
            let reply = c.api("GET", &format!("{prefix}/contacts?organization_id=42"));
            assert_eq!(reply.status, 400);
            assert_eq!(
                reply.body,
                json!({"code": 6041, "message": "This user is not associated with the CompanyID/CompanyName:42."})
            );
            for path in ["/nosuchmodule", "/contacts/1/extra/segments"] {
                let reply = c.api("GET", &format!("{prefix}{path}"));
                assert_eq!(
                    (reply.status, &reply.body),
                    (404, &json!({"code": 5, "message": "Invalid URL Passed"})),
                    "{path}"
                );
            }
        }
        let reply = c.send(Some(&c.token), "POST", "/books/v3/contacts", Some(("application/json", "{}".into())));
        assert_eq!(reply.body, json!({"code": 4, "message": "Invalid value passed for contact_name"}));
    }

    #[test]
    fn tokens_and_scopes_are_checked_first() {
        let c = client();
        let reply = c.send(None, "GET", "/books/v3/contacts", None);
        assert_eq!(reply.status, 401, "{}", reply.body);
        let reply = c.send(Some("1000.bad.token"), "GET", "/api/v3/contacts?organization_id=42", None);
        assert_eq!((reply.status, reply.body["code"].clone()), (401, json!("INVALID_TOKEN")));

        let read_only = c.scoped_token("ZohoBooks.contacts.READ");
        for prefix in ["/books/v3", "/api/v3"] {
            let reply = c.send(Some(&read_only), "GET", &format!("{prefix}/contacts"), None);
            assert_eq!(reply.status, 200, "{prefix}: {}", reply.body);
            let reply = c.form(Some(&read_only), "POST", &format!("{prefix}/contacts"), json!({"contact_name": "No"}));
            assert_eq!((reply.status, reply.body["code"].clone()), (401, json!("OAUTH_SCOPE_MISMATCH")), "{prefix}");
            let reply = c.send(Some(&read_only), "GET", &format!("{prefix}/invoices"), None);
            assert_eq!(reply.status, 401, "{prefix}: {}", reply.body);
        }
        let crm_only = c.scoped_token("ZohoCRM.modules.ALL");
        let reply = c.send(Some(&crm_only), "GET", "/books/v3/contacts", None);
        assert_eq!((reply.status, reply.body["code"].clone()), (401, json!("OAUTH_SCOPE_MISMATCH")));
    }
}
