//! Tests of the scope rules: implication, host wildcards, URL rules, task scopes, validation.

use super::*;
use crate::zoho::catalog;

fn g(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn at(service: &str, method: &str, url: &str) -> Option<String> {
    scope_for_request(catalog::service(service).expect("service"), method, url)
}

#[test]
fn exact_scopes_grant_themselves() {
    assert!(grants(&g(&["ZohoCRM.modules.leads.READ"]), "ZohoCRM.modules.leads.READ"));
    assert!(grants(&g(&["ZohoCRM.modules.leads.read"]), "ZohoCRM.modules.leads.READ"), "operation case");
    assert!(!grants(&g(&["ZohoCRM.modules.Leads.READ"]), "ZohoCRM.modules.leads.READ"), "names compare exactly");
    assert!(!grants(&g(&["zohocrm.modules.leads.READ"]), "ZohoCRM.modules.leads.READ"), "services compare exactly");
    assert!(!grants(&[], "ZohoCRM.modules.leads.READ"));
    assert!(!grants(&g(&["ZohoCRM.modules.leads.READ"]), "ZohoCRM.modules.leads.CREATE"));
}

#[test]
fn all_grants_every_operation_below() {
    let all = g(&["ZohoCRM.modules.leads.ALL"]);
    for op in ["READ", "CREATE", "UPDATE", "DELETE", "WRITE", "ALL", "read"] {
        assert!(grants(&all, &format!("ZohoCRM.modules.leads.{op}")), "{op}");
    }
    assert!(!grants(&all, "ZohoCRM.modules.contacts.READ"));
    assert!(!grants(&all, "ZohoCRM.modules.leadsx.READ"), "whole names only");
    assert!(!grants(&all, "ZohoCRM.modules.READ"), "a narrower grant does not cover a wider need");
    let modules = g(&["ZohoCRM.modules.ALL"]);
    assert!(grants(&modules, "ZohoCRM.modules.leads.READ"));
    assert!(grants(&modules, "ZohoCRM.modules.custom.DELETE"));
    assert!(grants(&modules, "ZohoCRM.modules.READ"));
    assert!(!grants(&modules, "ZohoCRM.settings.fields.READ"));
    assert!(grants(&g(&["ZohoBigin.modules.ALL"]), "ZohoBigin.modules.contacts.UPDATE"));
    assert!(grants(&g(&["ZohoFSM.modules.ALL"]), "ZohoFSM.modules.WorkOrders.READ"));
}

#[test]
fn group_scopes_grant_the_same_operation_below() {
    assert!(grants(&g(&["ZohoCRM.modules.READ"]), "ZohoCRM.modules.deals.READ"));
    assert!(!grants(&g(&["ZohoCRM.modules.READ"]), "ZohoCRM.modules.deals.CREATE"));
    assert!(grants(&g(&["ZohoCRM.settings.READ"]), "ZohoCRM.settings.fields.READ"));
    assert!(grants(&g(&["ZohoCRM.settings.ALL"]), "ZohoCRM.settings.layouts.UPDATE"));
}

#[test]
fn write_grants_create_update_delete() {
    let w = g(&["ZohoCRM.modules.leads.WRITE"]);
    for op in ["CREATE", "UPDATE", "DELETE", "WRITE"] {
        assert!(grants(&w, &format!("ZohoCRM.modules.leads.{op}")), "{op}");
    }
    assert!(!grants(&w, "ZohoCRM.modules.leads.READ"));
    assert!(!grants(&w, "ZohoCRM.modules.leads.ALL"));
    assert!(grants(&g(&["ZohoCRM.modules.WRITE"]), "ZohoCRM.modules.leads.UPDATE"));
    assert!(!grants(&g(&["ZohoCRM.modules.leads.CREATE"]), "ZohoCRM.modules.leads.WRITE"));
    assert!(!grants(
        &g(&["ZohoCRM.modules.leads.CREATE", "ZohoCRM.modules.leads.UPDATE"]),
        "ZohoCRM.modules.leads.ALL"
    ));
}

#[test]
fn fullaccess_grants_the_whole_service() {
    for fa in ["ZohoBooks.fullaccess.ALL", "ZohoBooks.fullaccess.all"] {
        let f = g(&[fa]);
        assert!(grants(&f, "ZohoBooks.contacts.READ"));
        assert!(grants(&f, "ZohoBooks.settings.DELETE"));
        assert!(grants(&f, "ZohoBooks.invoices.CREATE"));
        assert!(!grants(&f, "ZohoInventory.items.READ"), "another service");
        assert!(!grants(&f, "ZohoCRM.modules.leads.READ"));
    }
    assert!(grants(&g(&["ZohoInventory.FullAccess.all"]), "ZohoInventory.items.UPDATE"));
    let read_only = g(&["ZohoSubscriptions.fullaccess.READ"]);
    assert!(grants(&read_only, "ZohoSubscriptions.plans.READ"));
    assert!(!grants(&read_only, "ZohoSubscriptions.plans.CREATE"));
}

#[test]
fn other_providers_scopes_match_exactly() {
    assert!(grants(&g(&["chat:write"]), "chat:write"));
    assert!(!grants(&g(&["chat:write"]), "chat:write.public"));
    let drive = "https://www.googleapis.com/auth/drive";
    assert!(grants(&g(&[drive]), drive));
    assert!(!grants(&g(&[drive]), "https://www.googleapis.com/auth/drive.readonly"));
    assert!(grants(&g(&[" ZohoCRM.coql.READ "]), "ZohoCRM.coql.READ"), "surrounding space is ignored");
}

#[test]
fn host_wildcards() {
    for h in ["www.zohoapis.com", "www.zohoapis.eu", "www.zohoapis.com.au", "www.zohoapis.com.cn", "WWW.ZohoAPIs.in"] {
        assert!(host_matches("www.zohoapis.*", h, Some(443)), "{h}");
    }
    assert!(!host_matches("www.zohoapis.*", "www.zohoapis", Some(443)));
    assert!(!host_matches("www.zohoapis.*", "api.zohoapis.com", Some(443)));
    assert!(!host_matches("www.zohoapis.*", "evil.com", Some(443)));
    assert!(host_matches("*.myshopify.com", "acme.myshopify.com", Some(443)));
    assert!(host_matches("*.myshopify.com", "a.b.myshopify.com", Some(443)));
    assert!(!host_matches("*.myshopify.com", "myshopify.com", Some(443)));
    assert!(!host_matches("*.myshopify.com", "acme.myshopify.com.evil.io", Some(443)));
    assert!(host_matches("api.github.com", "api.github.com", Some(443)));
    assert!(host_matches("127.0.0.1:8080", "127.0.0.1", Some(8080)));
    assert!(!host_matches("127.0.0.1:8080", "127.0.0.1", Some(8081)));
    assert!(host_matches("127.0.0.1", "127.0.0.1", Some(9)), "no port in the pattern: any port");
}

#[test]
fn crm_url_rules() {
    let z = "https://www.zohoapis.com/crm/v8";
    assert_eq!(at("zohocrm", "GET", &format!("{z}/Leads")).as_deref(), Some("ZohoCRM.modules.leads.READ"));
    assert_eq!(
        at("zohocrm", "GET", &format!("{z}/Leads/123?fields=Email")).as_deref(),
        Some("ZohoCRM.modules.leads.READ")
    );
    assert_eq!(at("zohocrm", "POST", &format!("{z}/Contacts")).as_deref(), Some("ZohoCRM.modules.contacts.CREATE"));
    assert_eq!(at("zohocrm", "put", &format!("{z}/Deals/1")).as_deref(), Some("ZohoCRM.modules.deals.UPDATE"));
    assert_eq!(at("zohocrm", "PATCH", &format!("{z}/Deals/1")).as_deref(), Some("ZohoCRM.modules.deals.UPDATE"));
    assert_eq!(at("zohocrm", "DELETE", &format!("{z}/Accounts/1")).as_deref(), Some("ZohoCRM.modules.accounts.DELETE"));
    assert_eq!(at("zohocrm", "GET", &format!("{z}/Sales_Orders")).as_deref(), Some("ZohoCRM.modules.salesorders.READ"));
    assert_eq!(at("zohocrm", "GET", &format!("{z}/Price_Books")).as_deref(), Some("ZohoCRM.modules.pricebooks.READ"));
    assert_eq!(at("zohocrm", "POST", &format!("{z}/Leads/upsert")).as_deref(), Some("ZohoCRM.modules.leads.CREATE"));
    assert_eq!(
        at("zohocrm", "GET", &format!("{z}/leads")).as_deref(),
        Some("ZohoCRM.modules.leads.READ"),
        "module names in URLs ignore case"
    );
    assert_eq!(at("zohocrm", "GET", &format!("{z}/Properties__c")).as_deref(), Some("ZohoCRM.modules.custom.READ"));
    assert_eq!(at("zohocrm", "POST", &format!("{z}/coql")).as_deref(), Some("ZohoCRM.coql.READ"));
    assert_eq!(at("zohocrm", "GET", &format!("{z}/users?type=AllUsers")).as_deref(), Some("ZohoCRM.users.READ"));
    assert_eq!(at("zohocrm", "GET", &format!("{z}/org")).as_deref(), Some("ZohoCRM.org.READ"));
    assert_eq!(
        at("zohocrm", "GET", &format!("{z}/settings/fields?module=Leads")).as_deref(),
        Some("ZohoCRM.settings.fields.READ")
    );
    assert_eq!(at("zohocrm", "POST", &format!("{z}/actions/watch")).as_deref(), Some("ZohoCRM.notifications.CREATE"));
    assert_eq!(at("zohocrm", "GET", &format!("{z}/settings")), None);
    assert_eq!(at("zohocrm", "GET", &format!("{z}/__features")), None);
    assert_eq!(
        at("zohocrm", "GET", "https://www.zohoapis.com/crm/v2/Leads").as_deref(),
        Some("ZohoCRM.modules.leads.READ")
    );
    assert_eq!(
        at("zohocrm", "GET", "https://www.zohoapis.eu/crm/v8/Leads").as_deref(),
        Some("ZohoCRM.modules.leads.READ")
    );
    assert_eq!(
        at("zohocrm", "GET", "https://crm.zoho.com.au/crm/v8/Leads").as_deref(),
        Some("ZohoCRM.modules.leads.READ")
    );
    assert_eq!(at("zohocrm", "GET", "https://example.com/crm/v8/Leads"), None, "other hosts are not checked");
    assert_eq!(at("zohocrm", "GET", "https://www.zohoapis.com/books/v3/invoices"), None, "no rule, no check");
    assert_eq!(at("zohocrm", "GET", "not a url"), None);
}

#[test]
fn fsm_bigin_books_url_rules() {
    assert_eq!(
        at("zohofsm", "GET", "https://fsm.zoho.com/fsm/v1/Work_Orders").as_deref(),
        Some("ZohoFSM.modules.WorkOrders.READ")
    );
    assert_eq!(
        at("zohofsm", "POST", "https://fsm.zoho.eu/fsm/v1/Service_Appointments").as_deref(),
        Some("ZohoFSM.modules.ServiceAppointments.CREATE")
    );
    assert_eq!(
        at("zohofsm", "PUT", "https://www.zohoapis.com.au/fsm/v1/Requests/5").as_deref(),
        Some("ZohoFSM.modules.Requests.UPDATE")
    );
    assert_eq!(at("zohofsm", "GET", "https://fsm.zohocloud.ca/fsm/v1/users/1").as_deref(), Some("ZohoFSM.users.READ"));
    assert_eq!(
        at("zohobigin", "GET", "https://www.zohoapis.com/bigin/v2/Contacts/1").as_deref(),
        Some("ZohoBigin.modules.contacts.READ")
    );
    assert_eq!(
        at("zohobigin", "DELETE", "https://www.zohoapis.in/bigin/v2/Accounts/1").as_deref(),
        Some("ZohoBigin.modules.accounts.DELETE")
    );
    assert_eq!(
        at("zohobigin", "GET", "https://www.zohoapis.com/bigin/v2/settings/modules").as_deref(),
        Some("ZohoBigin.settings.modules.READ")
    );
    let books = [
        ("GET", "https://www.zohoapis.com/books/v3/invoices?organization_id=1", "ZohoBooks.invoices.READ"),
        ("POST", "https://books.zoho.com/api/v3/contacts?organization_id=1", "ZohoBooks.contacts.CREATE"),
        ("PUT", "https://books.zoho.eu/api/v3/contacts/9/contactpersons/2", "ZohoBooks.contacts.UPDATE"),
        ("GET", "https://www.zohoapis.com/books/v3/items", "ZohoBooks.settings.READ"),
        ("POST", "https://www.zohoapis.com/books/v3/recurringinvoices", "ZohoBooks.invoices.CREATE"),
        ("DELETE", "https://www.zohoapis.com/books/v3/vendorcredits/1", "ZohoBooks.debitnotes.DELETE"),
        ("POST", "https://www.zohoapis.com/books/v3/invoices/1/status/sent", "ZohoBooks.invoices.CREATE"),
        ("GET", "https://www.zohoapis.com/books/v3/chartofaccounts", "ZohoBooks.accountants.READ"),
    ];
    for (m, u, want) in books {
        assert_eq!(at("zohobooks", m, u).as_deref(), Some(want), "{m} {u}");
    }
    assert_eq!(at("zohobooks", "GET", "https://www.zohoapis.com/books/v3/reports/profitandloss"), None);
}

#[test]
fn other_zoho_url_rules() {
    let cases = [
        ("zohodesk", "GET", "https://desk.zoho.com/api/v1/tickets/1", "Desk.tickets.READ"),
        ("zohodesk", "POST", "https://desk.zoho.eu/api/v1/accounts", "Desk.contacts.CREATE"),
        (
            "zohoprojects",
            "POST",
            "https://projectsapi.zoho.com/restapi/portal/1/projects/2/tasks/",
            "ZohoProjects.tasks.CREATE",
        ),
        ("zohoprojects", "GET", "https://projectsapi.zoho.com/api/v3/portal/1/projects", "ZohoProjects.projects.READ"),
        ("zohoprojects", "GET", "https://projectsapi.zoho.com/restapi/portals/", "ZohoProjects.portals.READ"),
        (
            "zohocreator",
            "GET",
            "https://www.zohoapis.com/creator/v2.1/data/jo/app/report/All_Orders",
            "ZohoCreator.report.READ",
        ),
        ("zohocreator", "POST", "https://creator.zoho.com/api/v2/jo/app/form/Order", "ZohoCreator.form.CREATE"),
        (
            "zohocreator",
            "PATCH",
            "https://creator.zoho.com/api/v2/jo/app/report/All_Orders/1",
            "ZohoCreator.report.UPDATE",
        ),
        ("zohocliq", "POST", "https://cliq.zoho.com/api/v2/channelsbyname/general/message", "ZohoCliq.Webhooks.CREATE"),
        ("zohocliq", "GET", "https://cliq.zoho.com/api/v2/channels", "ZohoCliq.Channels.READ"),
        ("zohomail", "POST", "https://mail.zoho.com/api/accounts/1/messages", "ZohoMail.messages.CREATE"),
        ("zohorecruit", "GET", "https://recruit.zoho.com/recruit/v2/Candidates", "ZohoRecruit.modules.candidate.READ"),
        ("zohoinventory", "GET", "https://www.zohoapis.com/inventory/v1/itemgroups", "ZohoInventory.items.READ"),
        ("zohoinventory", "GET", "https://inventory.zoho.com/api/v1/salesorders", "ZohoInventory.salesorders.READ"),
        ("zohoworkdrive", "GET", "https://www.zohoapis.com/workdrive/api/v1/files/abc", "WorkDrive.files.READ"),
        (
            "zohopeople",
            "POST",
            "https://people.zoho.com/people/api/forms/json/employee/updateRecord",
            "ZOHOPEOPLE.forms.UPDATE",
        ),
        (
            "zohoanalytics",
            "POST",
            "https://analyticsapi.zoho.com/restapi/v2/workspaces/1/views/2/rows",
            "ZohoAnalytics.data.CREATE",
        ),
        ("zohoanalytics", "GET", "https://analyticsapi.zoho.com/restapi/v2/workspaces", "ZohoAnalytics.metadata.read"),
        ("zohomeeting", "POST", "https://meeting.zoho.com/api/v2/123/sessions.json", "ZohoMeeting.meeting.CREATE"),
    ];
    for (s, m, u, want) in cases {
        assert_eq!(at(s, m, u).as_deref(), Some(want), "{s} {m} {u}");
    }
}

#[test]
fn method_operations() {
    assert_eq!(op_for_method("GET"), "READ");
    assert_eq!(op_for_method("head"), "READ");
    assert_eq!(op_for_method("POST"), "CREATE");
    assert_eq!(op_for_method("PUT"), "UPDATE");
    assert_eq!(op_for_method("patch"), "UPDATE");
    assert_eq!(op_for_method("DELETE"), "DELETE");
}

#[test]
fn validation_of_zoho_scopes() {
    for ok in [
        "ZohoCRM.modules.ALL",
        "ZohoCRM.modules.leads.read",
        "ZohoBooks.fullaccess.all",
        "ZohoCRM.settings.custom_views.READ",
        "Desk.tickets.WRITE",
        "WorkDrive.teamfolders.sharing.CREATE",
        "ZOHOPEOPLE.forms.ALL",
        "ZohoFSM.modules.WorkOrders.DELETE",
    ] {
        assert_eq!(validate(ok), Ok(()), "{ok}");
    }
    for (bad, wanted) in [
        ("", "empty"),
        ("ZohoCRM.modules", "Service.scope.OPERATION"),
        ("ZohoCRM", "Service.scope.OPERATION"),
        ("Desk.tickets", "Service.scope.OPERATION"),
        ("ZohoCRM.modules.leads.FETCH", "'FETCH' is not an operation"),
        ("ZohoCRM..READ", "not a scope name"),
        ("ZohoCRM.modules.ALL,ZohoCRM.users.ALL", "commas"),
        ("ZohoCRM.modules.ALL ZohoCRM.users.ALL", "spaces"),
        ("ZohoCRM.mod*les.ALL", "not a scope name"),
    ] {
        let err = validate(bad).unwrap_err();
        assert!(err.contains(wanted), "{bad:?}: {err}");
    }
}

#[test]
fn validation_accepts_other_providers_scopes() {
    for ok in [
        "chat:write",
        "repo",
        "https://www.googleapis.com/auth/spreadsheets",
        "crm.objects.contacts.read",
        "com.intuit.quickbooks.accounting",
        "Files.ReadWrite.All",
        "offline_access",
    ] {
        assert_eq!(validate(ok), Ok(()), "{ok}");
    }
    assert!(validate("read write").is_err());
}

#[test]
fn rule_checks() {
    assert!(check_rule("/a/{m}/**", "x.{m|lower|nounderscore}.{op}").is_ok());
    assert!(check_rule("/a/b*|c", "").is_ok());
    assert!(check_rule("a", "x").unwrap_err().contains("'/'"));
    assert!(check_rule("/a/{m}", "x.{n}.READ").unwrap_err().contains("{n}"));
    assert!(check_rule("/a/{m}", "x.{m|title}.READ").unwrap_err().contains("title"));
    assert!(check_rule("/a/{m}", "x.{m.READ").unwrap_err().contains("unclosed"));
    assert!(check_rule("/a/x{m}", "x").unwrap_err().contains("whole segment"));
    assert!(check_rule("/a/{}", "x").unwrap_err().contains("bad capture"));
}

#[test]
fn path_patterns() {
    let segs = |p: &str| -> Vec<String> { p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect() };
    assert!(match_path("/crm/v*/{m}", &segs("/crm/v8/Leads/1/Notes")).is_some(), "rules are prefixes");
    assert!(match_path("/crm/v*/{m}", &segs("/crm/v8")).is_none());
    assert!(match_path("/a/**", &segs("/a")).is_some());
    assert!(match_path("/books|api/v3/x", &segs("/api/v3/x")).is_some());
    assert!(match_path("/books|api/v3/x", &segs("/apix/v3/x")).is_none());
    assert_eq!(match_path("/a/{m}", &segs("/a/B_c")).unwrap(), vec![("m".to_string(), "B_c".to_string())]);
    assert!(glob(b"sessions*", b"sessions.json"));
    assert!(glob(b"__*", b"__features"));
    assert!(!glob(b"__*", b"_x"));
}
