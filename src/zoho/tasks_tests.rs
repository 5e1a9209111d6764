//! The task table: every row parses, and each task's scope, arguments and REST call.

use super::*;

/// The scope of a task with only its module argument known.
fn task(path: &str, module: Option<&str>) -> Option<(&'static str, String)> {
    let t = lookup(path)?;
    let mut args: Vec<Option<String>> = vec![None; t.params.len()];
    if let (Some(i), Some(m)) = (t.module_arg(), module) {
        args[i] = Some(m.to_string()).filter(|m| !m.is_empty());
    }
    Some((t.product.service, t.scope(&args)))
}

#[test]
fn every_row_parses_and_names_a_catalog_service() {
    let rows = parse_table().expect("the table parses");
    assert_eq!(rows.len(), super::super::table::ROWS.len());
    for t in rows {
        assert!(catalog::service(t.product.service).is_some(), "{}", t.full_name());
        assert!(t.row.page.starts_with("https://www.zoho.com/"), "{}", t.full_name());
    }
    for p in products() {
        assert!(of_product(p.id).next().is_some(), "{} has no rows", p.id);
    }
}

#[test]
fn no_task_is_listed_twice() {
    let mut seen = std::collections::HashSet::new();
    for t in all() {
        assert!(seen.insert(t.full_name().to_ascii_lowercase()), "{}", t.full_name());
    }
}

#[test]
fn lookup_takes_versions_and_any_case() {
    assert_eq!(lookup("crm.v8.getRecords").map(|t| t.full_name()).as_deref(), Some("zoho.crm.getRecords"));
    assert_eq!(lookup("zoho.crm.getrecordbyid").map(|t| t.name()), Some("getRecordById"));
    assert_eq!(lookup("creator.v2_1.getRecords").map(|t| t.row.product), Some("creator.v2_1"));
    assert_eq!(lookup("creator.getRecords").map(|t| t.row.product), Some("creator"));
    assert!(lookup("crm.frobnicate").is_none());
    assert!(lookup("nosuch.getRecords").is_none());
    assert!(lookup("crm").is_none());
    assert!(lookup("").is_none());
}

#[test]
fn the_connection_is_the_argument_after_the_signature() {
    let t = lookup("cliq.postToChannel").unwrap();
    let args = [Value::text("general"), Value::text("hello")];
    let (data, conn) = split_args(t, &args).unwrap();
    assert_eq!((data.len(), conn), (2, None), "the message is data, not a connection");
    let args = [Value::text("general"), Value::text("hello"), Value::text("cliqconn")];
    assert_eq!(split_args(t, &args).unwrap().1.as_deref(), Some("cliqconn"));

    let t = lookup("books.markStatus").unwrap();
    let args = ["invoices", "123", "456", "sent"].map(Value::text);
    assert_eq!(split_args(t, &args).unwrap().1, None);

    // Text where the signature takes a map: Zoho's overloads read it as the connection.
    let t = lookup("crm.getRecordById").unwrap();
    let args = [Value::text("Leads"), Value::Int(1), Value::text("crmconn")];
    assert_eq!(split_args(t, &args).unwrap().1.as_deref(), Some("crmconn"));
    let t = lookup("crm.getRecords").unwrap();
    let args = [Value::text("Leads"), Value::Int(1), Value::Int(2), Value::Int(3)];
    let err = split_args(t, &args).unwrap_err();
    assert!(err.to_string().contains("argument 4 (query_value) must be KEY-VALUE, not BIGINT"), "{err}");
    let err = split_args(t, &[]).unwrap_err();
    assert!(
        err.to_string().contains("zoho.crm.getRecords(module, [page], [per_page], [query_value], [connection])"),
        "{err}"
    );
}

fn url_of(req: &HttpRequest) -> String {
    req.pairs.iter().find(|(k, _)| k == "url").map(|(_, v)| v.to_text()).unwrap_or_default()
}

fn pair(req: &HttpRequest, key: &str) -> Option<String> {
    req.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.to_text())
}

#[test]
fn requests_follow_the_rest_templates() {
    let t = lookup("crm.getRecords").unwrap();
    let mut q = new_map(1);
    q.insert(Key::text("fields"), Value::text("Last_Name"));
    let args = [Value::text("Leads"), Value::Int(2), Value::Int(50), Value::map(q)];
    let req = request(t, &args, "https://www.zohoapis.com", "c").unwrap();
    assert_eq!(url_of(&req), "https://www.zohoapis.com/crm/v8/Leads?page=2&per_page=50&fields=Last_Name");
    assert_eq!(pair(&req, "type").as_deref(), Some("GET"));

    let t = lookup("desk.getRecords").unwrap();
    let req = request(t, &[Value::Int(641), Value::text("Tickets")], "https://desk.zoho.com", "c").unwrap();
    assert_eq!(url_of(&req), "https://desk.zoho.com/api/v1/tickets");
    assert_eq!(pair(&req, "headers").as_deref(), Some("{\"orgId\":\"641\"}"));

    let t = lookup("cliq.postToChannel").unwrap();
    let req = request(t, &[Value::text("general"), Value::text("hi")], "https://cliq.zoho.com", "c").unwrap();
    assert_eq!(url_of(&req), "https://cliq.zoho.com/api/v2/channelsbyname/general/message");
    assert_eq!(pair(&req, "body").as_deref(), Some("{\"text\":\"hi\"}"));

    let t = lookup("fsm.searchRecordsByField").unwrap();
    let args = [Value::text("Contacts"), Value::text("Email"), Value::text("a@b.c")];
    let req = request(t, &args, "https://www.zohoapis.com", "c").unwrap();
    assert_eq!(url_of(&req), "https://www.zohoapis.com/fsm/v1/Contacts/search?criteria=%28Email%3Aequals%3Aa%40b.c%29");

    let t = lookup("books.markStatus").unwrap();
    let args = ["Invoices", "9", "123", "Sent"].map(Value::text);
    let req = request(t, &args, "https://www.zohoapis.com", "c").unwrap();
    assert_eq!(url_of(&req), "https://www.zohoapis.com/books/v3/invoices/123/status/sent?organization_id=9");
    assert_eq!(pair(&req, "type").as_deref(), Some("POST"));

    let t = lookup("crm.createRecord").unwrap();
    let mut rec = new_map(1);
    rec.insert(Key::text("Last_Name"), Value::text("Ann"));
    let mut opts = new_map(1);
    opts.insert(Key::text("trigger"), Value::list(vec![Value::text("workflow")]));
    let req = request(t, &[Value::text("Leads"), Value::map(rec), Value::map(opts)], "https://x", "c").unwrap();
    assert_eq!(pair(&req, "body").as_deref(), Some("{\"data\":[{\"Last_Name\":\"Ann\"}],\"trigger\":[\"workflow\"]}"));

    let t = lookup("crm.getRecordById").unwrap();
    let err = request(t, &[Value::text("Leads"), Value::Null], "https://x", "c").unwrap_err();
    assert!(err.to_string().contains("argument 2 (id) is missing"), "{err}");
}

fn detailed(code: i64, body: &str) -> Value {
    let mut m = new_map(2);
    m.insert(Key::text("responseCode"), Value::Int(code));
    let text = if body.is_empty() { Value::text("") } else { crate::value::from_json(body).unwrap() };
    m.insert(Key::text("responseText"), text);
    Value::map(m)
}

#[test]
fn answers_are_shaped_and_errors_are_zohos_maps() {
    let list = lookup("crm.getRecords").unwrap();
    assert_eq!(shape(list, detailed(200, r#"{"data":[{"id":"1"}]}"#)).unwrap().to_json(), r#"[{"id":"1"}]"#);
    assert_eq!(shape(list, detailed(204, "")).unwrap().to_json(), "[]");
    let err = r#"{"code":"INVALID_MODULE","details":{},"message":"the module name given seems to be invalid","status":"error"}"#;
    assert_eq!(shape(list, detailed(400, err)).unwrap().to_json(), err, "a misspelt module is not 'no records'");
    let create = lookup("crm.createRecord").unwrap();
    let ok = r#"{"data":[{"code":"SUCCESS","details":{"id":"9"},"message":"record added","status":"success"}]}"#;
    assert_eq!(shape(create, detailed(201, ok)).unwrap().to_json(), r#"{"id":"9"}"#);
    let refused = r#"{"data":[{"code":"MANDATORY_NOT_FOUND","details":{"api_name":"Last_Name"},"message":"required field not found","status":"error"}]}"#;
    assert!(shape(create, detailed(400, refused)).unwrap().to_json().starts_with(r#"{"code":"MANDATORY_NOT_FOUND""#));
    let books = lookup("books.getRecords").unwrap();
    let berr = r#"{"code":1002,"message":"Invoice does not exist."}"#;
    assert_eq!(shape(books, detailed(404, berr)).unwrap().to_json(), berr);
}

#[test]
fn products_own_their_paths() {
    let id = |p: &str| product_for_path(p).map(|p| p.id);
    assert_eq!(id("/crm/v8/Leads"), Some("crm"));
    assert_eq!(id("/api/v1/tickets"), Some("desk"));
    assert_eq!(id("/api/v2/channelsbyname/x/message"), Some("cliq"));
    assert_eq!(id("/api/v3/invoices"), Some("books"));
    assert_eq!(id("/restapi/portals/"), Some("projects"));
    assert_eq!(id("/nothing"), None);
}

#[test]
fn task_scopes_of_crm_fsm_bigin_books() {
    let cases: &[(&str, Option<&str>, &str, &str)] = &[
        ("crm.getRecordById", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.READ"),
        ("crm.getRecords", Some("Sales_Orders"), "zohocrm", "ZohoCRM.modules.salesorders.READ"),
        ("crm.searchRecords", Some("Contacts"), "zohocrm", "ZohoCRM.modules.contacts.READ"),
        ("crm.createRecord", Some("Deals"), "zohocrm", "ZohoCRM.modules.deals.CREATE"),
        ("crm.bulkCreate", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.CREATE"),
        ("crm.updateRecord", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.UPDATE"),
        ("crm.bulkUpdate", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.UPDATE"),
        ("crm.upsert", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.CREATE"),
        ("crm.v8.upsert", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.CREATE"),
        ("zoho.crm.deleteRecord", Some("Leads"), "zohocrm", "ZohoCRM.modules.leads.DELETE"),
        ("crm.getRecords", Some("Properties"), "zohocrm", "ZohoCRM.modules.custom.READ"),
        ("crm.getRecords", None, "zohocrm", "ZohoCRM.modules.READ"),
        ("crm.getRecords", Some(""), "zohocrm", "ZohoCRM.modules.READ"),
        ("fsm.getRecords", Some("Work_Orders"), "zohofsm", "ZohoFSM.modules.WorkOrders.READ"),
        ("fsm.getRecordById", Some("Service_And_Parts"), "zohofsm", "ZohoFSM.modules.ServiceAndParts.READ"),
        ("fsm.createRecord", Some("Requests"), "zohofsm", "ZohoFSM.modules.Requests.CREATE"),
        ("fsm.updateRecord", Some("Estimates"), "zohofsm", "ZohoFSM.modules.Estimates.UPDATE"),
        ("fsm.searchRecordsByField", Some("Contacts"), "zohofsm", "ZohoFSM.modules.Contacts.READ"),
        ("fsm.getTransitions", Some("Work_Orders"), "zohofsm", "ZohoFSM.modules.WorkOrders.READ"),
        ("fsm.updateTransitions", Some("Work_Orders"), "zohofsm", "ZohoFSM.modules.WorkOrders.UPDATE"),
        ("bigin.getRecordById", Some("Contacts"), "zohobigin", "ZohoBigin.modules.contacts.READ"),
        ("bigin.createRecord", Some("Pipelines"), "zohobigin", "ZohoBigin.modules.pipelines.CREATE"),
        ("bigin.deleteRecord", Some("Accounts"), "zohobigin", "ZohoBigin.modules.accounts.DELETE"),
        ("books.getRecords", Some("Contacts"), "zohobooks", "ZohoBooks.contacts.READ"),
        ("books.getRecordsByID", Some("Invoices"), "zohobooks", "ZohoBooks.invoices.READ"),
        ("books.createRecord", Some("Invoices"), "zohobooks", "ZohoBooks.invoices.CREATE"),
        ("books.updateRecord", Some("Items"), "zohobooks", "ZohoBooks.settings.UPDATE"),
        ("books.getRecords", Some("VendorCredits"), "zohobooks", "ZohoBooks.debitnotes.READ"),
        ("books.getRecords", Some("Reports"), "zohobooks", "ZohoBooks.reports.READ"),
        ("books.getRecords", None, "zohobooks", "ZohoBooks.fullaccess.all"),
    ];
    for (path, module, service, scope) in cases {
        assert_eq!(task(path, *module), Some((*service, scope.to_string())), "{path} {module:?}");
    }
}

#[test]
fn task_scopes_of_other_products() {
    let cases: &[(&str, Option<&str>, &str, &str)] = &[
        ("desk.getRecordById", Some("tickets"), "zohodesk", "Desk.tickets.READ"),
        ("desk.create", Some("contacts"), "zohodesk", "Desk.contacts.CREATE"),
        ("creator.createRecord", None, "zohocreator", "ZohoCreator.form.CREATE"),
        ("creator.getRecords", None, "zohocreator", "ZohoCreator.report.READ"),
        ("creator.updateRecord", None, "zohocreator", "ZohoCreator.report.UPDATE"),
        ("projects.getPortals", None, "zohoprojects", "ZohoProjects.portals.READ"),
        ("projects.create", Some("Tasks"), "zohoprojects", "ZohoProjects.tasks.CREATE"),
        ("projects.getRecords", Some("Bugs"), "zohoprojects", "ZohoProjects.bugs.READ"),
        ("cliq.postToChannel", None, "zohocliq", "ZohoCliq.Webhooks.CREATE"),
    ];
    for (path, module, service, scope) in cases {
        assert_eq!(task(path, *module), Some((*service, scope.to_string())), "{path} {module:?}");
    }
    assert_eq!(task("crm.frobnicate", Some("Leads")), None);
    assert_eq!(task("nosuch.getRecords", Some("Leads")), None);
    assert_eq!(task("crm", Some("Leads")), None);
    assert_eq!(task("", None), None);
}

#[test]
fn module_arguments() {
    assert_eq!(lookup("crm.getRecords").unwrap().module_arg(), Some(0));
    assert_eq!(lookup("crm.v8.getRecordById").unwrap().module_arg(), Some(0));
    assert_eq!(lookup("crm.getRelatedRecords").unwrap().module_arg(), Some(1));
    assert_eq!(lookup("fsm.getRelatedRecords").unwrap().module_arg(), Some(1));
    assert_eq!(lookup("books.getRecords").unwrap().module_arg(), Some(0));
    assert_eq!(lookup("desk.getRecords").unwrap().module_arg(), Some(1));
    assert_eq!(lookup("projects.getRecords").unwrap().module_arg(), Some(2));
    assert_eq!(lookup("cliq.postToChannel").unwrap().module_arg(), None);
}

#[test]
fn the_tasks_reference_page_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/tasks.md");
    let want = reference_markdown(None).expect("every product");
    assert!(reference_markdown(Some("desk")).unwrap().contains("zoho.desk.getRecords("));
    assert!(reference_markdown(Some("nosuch")).is_none());
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &want).expect("write docs/tasks.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "docs/tasks.md is not the table's: run `BLESS=1 cargo test --lib zoho`");
}

/// The sandbox's built-in system connection holds the catalog's scopes of the service: they
/// must grant every task's scope, with the module known or not.
#[test]
fn the_catalog_grants_every_task_its_scope() {
    for t in all() {
        let modules: &[&str] = match t.product.id {
            "crm" => &["Leads", "Deals", "Sales_Orders"],
            "bigin" => &["Contacts", "Pipelines"],
            "fsm" => &["Work_Orders", "Service_Appointments"],
            "books" | "inventory" => &["contacts", "invoices", "items"],
            "desk" => &["tickets", "contacts", "accounts"],
            "projects" => &["tasks", "bugs"],
            _ => &[],
        };
        let granted = &catalog::service(t.product.service).unwrap().scopes;
        let mut cases = vec![vec![None; t.params.len()]];
        if let Some(i) = t.module_arg() {
            for &m in modules {
                let mut args = vec![None; t.params.len()];
                args[i] = Some(m.to_string());
                cases.push(args);
            }
        }
        for args in cases {
            let needed = t.scope(&args);
            assert!(
                scopes::grants(granted, &needed),
                "{} needs {needed}, which {} does not list",
                t.full_name(),
                t.product.service
            );
        }
    }
}
