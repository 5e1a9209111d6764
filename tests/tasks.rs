//! The task table's REST calls against a real loopback server (wiremock), as they would reach
//! real Zoho: for each task, the method, the path and query, the body, and the scope it needs
//! (a connection without it is refused before anything is sent).

mod common;

use common::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A connection `LINK` to `service` holding `scopes`, whose API and accounts server is `server`.
fn connection(server: &MockServer, link: &str, service: &str, scopes: &str) -> String {
    format!(
        "[connections.{link}]\nservice = \"{service}\"\nscopes = [{scopes}]\nclient_id = \"1000.C\"\nclient_secret = \"{CLIENT_SECRET}\"\naccounts_url = \"{u}\"\napi_url = \"{u}\"\n",
        u = server.uri()
    )
}

/// Every request the server saw, as `METHOD path?query body` lines (bodies of multipart
/// uploads shortened to the part names).
async fn seen(server: &MockServer) -> Vec<String> {
    let mut out = Vec::new();
    for r in server.received_requests().await.unwrap_or_default() {
        if r.url.path() == "/oauth/v2/token" {
            continue;
        }
        let q = r.url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let body = String::from_utf8_lossy(&r.body).into_owned();
        let ct = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = if ct.starts_with("multipart/") {
            let names: Vec<&str> = body.split("name=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
            format!("multipart:{}", names.join(","))
        } else {
            body
        };
        let org =
            r.headers.get("orgId").and_then(|v| v.to_str().ok()).map(|o| format!(" orgId={o}")).unwrap_or_default();
        out.push(format!("{} {}{q}{org} {body}", r.method, r.url.path()).trim_end().to_string());
    }
    out
}

async fn connected(server: &MockServer, conns: &[(&str, &str, &str)]) -> Env {
    token_endpoint(server, ACCESS, Some(REFRESH), 3600).await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/settings/variables/Tax_Rate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"variables": [{"api_name": "Tax_Rate", "value": "7.5", "type": "text"}]}),
        ))
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"data": [{"code": "SUCCESS", "details": {"id": "1"}, "status": "success"}]}),
        ))
        .mount(server)
        .await;
    let text: String = conns.iter().map(|(l, s, sc)| connection(server, l, s, sc)).collect::<Vec<_>>().join("\n");
    let env = Env::new(&text);
    for (link, _, _) in conns {
        let c = env.dg(&["connections", "connect", link, "--code", CODE]);
        assert_eq!(c.status.code(), Some(0), "{}", err(&c));
    }
    env
}

async fn check_calls(conns: &[(&str, &str, &str)], script: &str, want: &[&str]) {
    let server = MockServer::start().await;
    let env = connected(&server, conns).await;
    let file = env.script("t.dg", script);
    let o = env.run(&file, &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let got = seen(&server).await;
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want, "stdout: {}", out(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn desk_tasks() {
    check_calls(
        &[("desk", "zohodesk", "\"Desk.tickets.ALL\", \"Desk.contacts.ALL\"")],
        r#"org = 641;
zoho.desk.getRecords(org, "Tickets", 0, 50, {"sortBy": "createdTime"}, "desk");
zoho.desk.getRecordById(org, "tickets", "10", "desk");
zoho.desk.searchRecords(org, "contacts", {"email": "a@b.c"}, 0, 10, "desk");
zoho.desk.create(org, "tickets", {"subject": "Hi", "departmentId": "5", "contactId": "7"}, "desk");
zoho.desk.update(org, "tickets", "10", {"status": "Closed"}, "desk");
zoho.desk.getRelatedRecords(org, "tickets", "contacts", "7", 0, 20, {}, "desk");
zoho.desk.createRelatedRecord(org, "comments", "tickets", "10", {"content": "ok"}, "desk");
zoho.desk.updateRelatedRecord(org, "comments", "3", "tickets", "10", {"content": "edited"}, "desk");
"#,
        &[
            "GET /api/v1/tickets?from=0&limit=50&sortBy=createdTime orgId=641",
            "GET /api/v1/tickets/10 orgId=641",
            "GET /api/v1/contacts/search?email=a%40b.c&from=0&limit=10 orgId=641",
            r#"POST /api/v1/tickets orgId=641 {"subject":"Hi","departmentId":"5","contactId":"7"}"#,
            r#"PATCH /api/v1/tickets/10 orgId=641 {"status":"Closed"}"#,
            "GET /api/v1/contacts/7/tickets?from=0&limit=20 orgId=641",
            r#"POST /api/v1/tickets/10/comments orgId=641 {"content":"ok"}"#,
            r#"PATCH /api/v1/tickets/10/comments/3 orgId=641 {"content":"edited"}"#,
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn creator_tasks() {
    check_calls(
        &[("creator", "zohocreator", "\"ZohoCreator.report.ALL\", \"ZohoCreator.form.CREATE\"")],
        r#"zoho.creator.getRecords("jo", "crm_app", "All_Orders", "(Qty > 2)", 1, 100, "creator");
zoho.creator.getRecordById("jo", "crm_app", "All_Orders", "42", "creator");
zoho.creator.createRecord("jo", "crm_app", "Order", {"Qty": 3}, {}, "creator");
zoho.creator.updateRecord("jo", "crm_app", "All_Orders", "42", {"Qty": 4}, {}, "creator");
zoho.creator.deleteRecord("jo", "crm_app", "All_Orders", "42", "creator");
zoho.creator.v2_1.getRecords("jo", "crm_app", "All_Orders", {"criteria": "(Qty > 2)", "max_records": 200}, "creator");
zoho.creator.v2_1.getRecordById("jo", "crm_app", "All_Orders", "42", {}, "creator");
zoho.creator.v2_1.createRecord("jo", "crm_app", "Order", {"Qty": 3}, {"result": {"fields": ["Qty"]}}, "creator");
zoho.creator.v2_1.updateRecordById("jo", "crm_app", "All_Orders", "42", {"Qty": 5}, {}, "creator");
zoho.creator.v2_1.deleteRecordById("jo", "crm_app", "All_Orders", "42", {}, "creator");
"#,
        &[
            "GET /creator/v2.1/data/jo/crm_app/report/All_Orders?criteria=%28Qty%20%3E%202%29&from=1&limit=100",
            "GET /creator/v2.1/data/jo/crm_app/report/All_Orders/42",
            r#"POST /creator/v2.1/data/jo/crm_app/form/Order {"data":{"Qty":3}}"#,
            r#"PATCH /creator/v2.1/data/jo/crm_app/report/All_Orders/42 {"data":{"Qty":4}}"#,
            "DELETE /creator/v2.1/data/jo/crm_app/report/All_Orders/42",
            "GET /creator/v2.1/data/jo/crm_app/report/All_Orders?criteria=%28Qty%20%3E%202%29&max_records=200",
            "GET /creator/v2.1/data/jo/crm_app/report/All_Orders/42",
            r#"POST /creator/v2.1/data/jo/crm_app/form/Order {"data":{"Qty":3},"result":{"fields":["Qty"]}}"#,
            r#"PATCH /creator/v2.1/data/jo/crm_app/report/All_Orders/42 {"data":{"Qty":5}}"#,
            "DELETE /creator/v2.1/data/jo/crm_app/report/All_Orders/42",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cliq_tasks() {
    check_calls(
        &[("cliq", "zohocliq", "\"ZohoCliq.Webhooks.CREATE\", \"ZohoCliq.StorageData.ALL\"")],
        r#"zoho.cliq.postToChannel("general", "hello", "cliq");
zoho.cliq.postToChannelAsBot("general", "helper", {"text": "from the bot"}, "cliq");
zoho.cliq.postToUser("ann@example.com", "hi Ann", "cliq");
zoho.cliq.postToChat("2230642502700000000", "in the chat", "cliq");
zoho.cliq.postToBot("helper", "to the bot", "cliq");
zoho.cliq.createRecord("cities", {"name": "Lyon"}, "cliq");
zoho.cliq.getRecords("cities", {"criteria": "name==Lyon"}, "cliq");
zoho.cliq.getRecordById("cities", "9", "cliq");
zoho.cliq.updateRecord("cities", "9", {"name": "Paris"}, "cliq");
zoho.cliq.deleteRecord("cities", "9", "cliq");
"#,
        &[
            r#"POST /api/v2/channelsbyname/general/message {"text":"hello"}"#,
            r#"POST /api/v2/channelsbyname/general/message?bot_unique_name=helper {"text":"from the bot"}"#,
            r#"POST /api/v2/buddies/ann%40example.com/message {"text":"hi Ann"}"#,
            r#"POST /api/v2/chats/2230642502700000000/message {"text":"in the chat"}"#,
            r#"POST /api/v2/bots/helper/message {"text":"to the bot"}"#,
            r#"POST /api/v2/storages/cities/records {"values":{"name":"Lyon"}}"#,
            "GET /api/v2/storages/cities/records?criteria=name%3D%3DLyon",
            "GET /api/v2/storages/cities/records/9",
            r#"PUT /api/v2/storages/cities/records/9 {"values":{"name":"Paris"}}"#,
            "DELETE /api/v2/storages/cities/records/9",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn projects_tasks() {
    check_calls(
        &[("projects", "zohoprojects", "\"ZohoProjects.portals.READ\", \"ZohoProjects.projects.ALL\", \"ZohoProjects.tasks.ALL\", \"ZohoProjects.bugs.ALL\"")],
        r#"zoho.projects.getPortals("projects");
zoho.projects.getProjectDetails("acme", "170", "projects");
zoho.projects.createProject("acme", {"name": "Launch"}, "projects");
zoho.projects.getRecords("acme", "170", "tasks", 0, 50, "projects");
zoho.projects.getRecords("acme", "170", "bugs", {"status": "open"}, null, "projects");
zoho.projects.getRecordById("acme", "170", "tasks", "9", "projects");
zoho.projects.create("acme", "170", "tasks", {"name": "Write docs"}, "projects");
zoho.projects.update("acme", "170", "bugs", "8", {"title": "Fixed"}, "projects");
"#,
        &[
            "GET /restapi/portals/",
            "GET /restapi/portal/acme/projects/170/",
            "POST /restapi/portal/acme/projects/ name=Launch",
            "GET /restapi/portal/acme/projects/170/tasks/?index=0&range=50",
            "GET /restapi/portal/acme/projects/170/bugs/?status=open",
            "GET /restapi/portal/acme/projects/170/tasks/9/",
            "POST /restapi/portal/acme/projects/170/tasks/ name=Write+docs",
            "POST /restapi/portal/acme/projects/170/bugs/8/ title=Fixed",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn crm_and_books_tasks() {
    check_calls(
        &[
            ("crm", "zohocrm", "\"ZohoCRM.modules.ALL\", \"ZohoCRM.settings.variables.READ\""),
            ("books", "zohobooks", "\"ZohoBooks.fullaccess.all\""),
        ],
        r#"zoho.crm.updateRelatedRecord("Products", "5", "Deals", "6", {"Quantity": 2}, "crm");
zoho.crm.bulkUpdate("Leads", [{"id": "1", "Rating": "Hot"}], {}, "crm");
zoho.crm.convertLead("77", {"overwrite": true}, "crm");
zoho.crm.attachFile("Leads", "1", "a,b".toFile("list.csv"), "crm");
info zoho.crm.getOrgVariable("Tax_Rate", "crm");
zoho.crm.v8.getRecords("Deals", 1, 10, {"fields": "Deal_Name"}, "crm");
zoho.books.markStatus("Invoices", "700000001", "123", "sent", "books");
zoho.books.getTemplates("invoices", "700000001", "books");
zoho.books.attachFile("invoices", "700000001", "123", "pdf".toFile("a.pdf"), "books");
"#,
        &[
            r#"PUT /crm/v8/Deals/6/Products/5 {"data":[{"Quantity":2}]}"#,
            r#"PUT /crm/v8/Leads {"data":[{"id":"1","Rating":"Hot"}]}"#,
            r#"POST /crm/v8/Leads/77/actions/convert {"data":[{"overwrite":true}]}"#,
            "POST /crm/v8/Leads/1/Attachments multipart:file,list.csv",
            "GET /crm/v8/settings/variables/Tax_Rate",
            "GET /crm/v8/Deals?page=1&per_page=10&fields=Deal_Name",
            "POST /books/v3/invoices/123/status/sent?organization_id=700000001",
            "GET /books/v3/invoices/templates?organization_id=700000001",
            "POST /books/v3/invoices/123/attachment?organization_id=700000001 multipart:attachment,a.pdf",
        ],
    )
    .await;
}

/// A task's scope is checked against the connection before its REST call is built.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_scope_is_refused_before_sending() {
    let server = MockServer::start().await;
    let env = connected(&server, &[("desk", "zohodesk", "\"Desk.contacts.READ\"")]).await;
    let file = env.script("t.dg", "r = zoho.desk.create(641, \"tickets\", {\"subject\": \"x\"}, \"desk\");\n");
    let o = env.run(&file, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("zoho.desk.create needs scope Desk.tickets.CREATE"), "{}", err(&o));
    assert!(seen(&server).await.is_empty(), "nothing may be sent");
}

/// Where Zoho's page marks the connection mandatory (Creator's tasks outside Creator), dg says
/// so when it is left out.
#[tokio::test(flavor = "multi_thread")]
async fn a_mandatory_connection_left_out_is_named() {
    let server = MockServer::start().await;
    let env = connected(&server, &[("creator", "zohocreator", "\"ZohoCreator.report.ALL\"")]).await;
    let file = env.script("t.dg", "r = zoho.creator.getRecords(\"jo\", \"app\", \"All\");\n");
    let o = env.run(&file, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("zoho.creator.getRecords needs its connection argument"), "{}", err(&o));
}
