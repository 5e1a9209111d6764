//! Tests of the sandbox store (ids, computed fields, tokens, durability) and the criteria parser.

use super::super::criteria::{self, Criteria, Op};
use super::*;
use serde_json::json;

fn open() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("sandbox.db")).unwrap();
    (dir, db)
}

fn rec(v: Value) -> Record {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

#[test]
fn ids_are_19_digits_unique_and_increasing() {
    let (_dir, db) = open();
    let a = db.next_id().unwrap();
    let b = db.next_id().unwrap();
    assert_eq!(a.len(), 19);
    assert!(b.parse::<u64>().unwrap() > a.parse::<u64>().unwrap());
    let r = db.insert("crm", "Leads", rec(json!({"Last_Name": "X", "id": "1"}))).unwrap();
    assert!(r["id"].as_str().unwrap().parse::<u64>().unwrap() > b.parse::<u64>().unwrap());
}

#[test]
fn records_get_system_fields_and_full_name() {
    let (_dir, db) = open();
    let r = db.insert("fsm", "Contacts", rec(json!({"First_Name": "Ann", "Last_Name": "Lee"}))).unwrap();
    assert_eq!(r["Full_Name"], "Ann Lee");
    assert_eq!(r["Owner"]["name"], USER_NAME);
    let id = r["id"].as_str().unwrap();
    let only_last = db.insert("crm", "Contacts", rec(json!({"Last_Name": "Solo"}))).unwrap();
    assert_eq!(only_last["Full_Name"], "Solo");
    let u =
        db.update("fsm", "Contacts", id, rec(json!({"Last_Name": "Lee-Park", "Created_Time": "x"}))).unwrap().unwrap();
    assert_eq!(u["Full_Name"], "Ann Lee-Park");
    assert_eq!(u["Created_Time"], r["Created_Time"]);
    assert_eq!(db.get("fsm", "Contacts", id).unwrap().unwrap(), u);
    assert!(db.update("fsm", "Contacts", "1", Record::new()).unwrap().is_none());
    assert!(db.delete("fsm", "Contacts", id).unwrap());
    assert!(!db.delete("fsm", "Contacts", id).unwrap());
}

#[test]
fn books_records_keep_their_own_id() {
    let (_dir, db) = open();
    let seeded = db.all("books", "contacts").unwrap();
    assert_eq!(seeded.len(), 3);
    for c in &seeded {
        for key in ["contact_id", "contact_name", "company_name", "email", "phone"] {
            assert!(c[key].is_string(), "{key}");
        }
        let id = c["contact_id"].as_str().unwrap();
        assert_eq!(db.get("books", "contacts", id).unwrap().as_ref(), Some(c));
    }
    let id = db.next_id().unwrap();
    let r = db.insert("books", "contacts", rec(json!({"contact_id": id, "contact_name": "New"}))).unwrap();
    assert!(r.get("Created_Time").is_none() && r.get("id").is_none());
    let u = db.update("books", "contacts", &id, rec(json!({"email": "n@example.com"}))).unwrap().unwrap();
    assert_eq!(u["email"], "n@example.com");
    let other = db.next_id().unwrap();
    db.insert_with_id("books", "invoices", &other, rec(json!({"invoice_number": "INV-1"}))).unwrap();
    assert!(db.insert_with_id("books", "invoices", &other, Record::new()).is_err());
}

#[test]
fn tokens_expire_refresh_and_revoke() {
    let (_dir, db) = open();
    let scopes = vec!["ZohoCRM.modules.ALL".to_string()];
    let (access, refresh) = db.issue_token(&scopes, 3600).unwrap();
    assert_eq!(db.token_scopes(&access).unwrap(), Some(scopes.clone()));
    assert_eq!(db.token_scopes(&refresh).unwrap(), None, "a refresh token is no access token");
    let (expired, _) = db.issue_token(&scopes, -1).unwrap();
    assert_eq!(db.token_scopes(&expired).unwrap(), None);
    let second = db.refresh_token(&refresh, 3600).unwrap().unwrap();
    assert_eq!(db.token_scopes(&second).unwrap(), Some(scopes.clone()));
    assert!(db.revoke(&refresh).unwrap());
    assert_eq!(db.token_scopes(&second).unwrap(), None);
    assert_eq!(db.token_scopes(&access).unwrap(), None);
    assert_eq!(db.refresh_token(&refresh, 3600).unwrap(), None);
    assert!(!db.revoke("1000.unknown").unwrap());

    let code = db.issue_code(&scopes, 600).unwrap();
    assert_eq!(db.take_code(&code).unwrap(), Some(scopes.clone()));
    assert_eq!(db.take_code(&code).unwrap(), None);
    let stale = db.issue_code(&scopes, -1).unwrap();
    assert_eq!(db.take_code(&stale).unwrap(), None);

    let master = db.master_token(&scopes).unwrap();
    assert_eq!(db.master_token(&["A.b.ALL".to_string()]).unwrap(), master);
    assert_eq!(db.token_scopes(&master).unwrap(), Some(vec!["A.b.ALL".to_string()]));
}

#[test]
fn many_writes_are_all_seen_by_a_second_connection() {
    let (dir, db) = open();
    let writers: Vec<_> = (0..4)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    db.insert("crm", "Tasks", rec(json!({"Subject": format!("task {t}-{i}")}))).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let other = Db::open(&dir.path().join("sandbox.db")).unwrap();
    assert_eq!(other.count("crm", "Tasks").unwrap(), 200);
    let mut ids: Vec<String> =
        other.all("crm", "Tasks").unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 200);
    // the seed ran once: reopening does not add to it
    assert_eq!(other.count("crm", "Leads").unwrap(), 3);
    let (page, more) = other.list("crm", "Tasks", 4, 60).unwrap();
    assert_eq!((page.len(), more), (20, false));
}

#[test]
fn criteria_parse_nesting_escapes_and_alternatives() {
    let c = criteria::parse("((Last_Name:equals:Lee)and(City:starts_with:Port))or(Email:in:a@x.com,b@x.com)").unwrap();
    let Criteria::Or(items) = &c else { panic!("{c:?}") };
    assert!(matches!(&items[0], Criteria::And(v) if v.len() == 2));
    assert_eq!(
        items[1],
        Criteria::Cond { field: "Email".into(), op: Op::In, values: vec!["a@x.com".into(), "b@x.com".into()] }
    );
    let c = criteria::parse(r"(Company:equals:Acme\, Inc \(East\))").unwrap();
    assert_eq!(c, Criteria::Cond { field: "Company".into(), op: Op::Equals, values: vec!["Acme, Inc (East)".into()] });
    assert!(criteria::parse("(Name:equals:x").is_err());
    assert!(criteria::parse("(Name:like:x)").is_err());
    assert!(criteria::parse("(Name)").is_err());
    assert!(criteria::parse("Name:equals:x").is_ok());

    let r = rec(
        json!({"Last_Name": "Lee", "Amount": 1200, "Account_Name": {"name": "Zylker", "id": "42"}, "Closing": "2026-03-01"}),
    );
    for (text, want) in [
        ("(Last_Name:equals:lee)", true),
        ("(Amount:greater_than:999)", true),
        ("(Amount:between:1000,1100)", false),
        ("(Account_Name:equals:Zylker)", true),
        ("(Account_Name.id:equals:42)", true),
        ("(Account_Name.id:equals:43)", false),
        ("(Closing:less_than:2026-04-01)", true),
        ("(Missing:not_equal:x)", true),
        ("((Last_Name:equals:Lee)and(Amount:less_than:10))", false),
        ("((Last_Name:equals:Lee)or(Amount:less_than:10))", true),
        ("(Last_Name:contains:E)", true),
    ] {
        assert_eq!(criteria::matches(&criteria::parse(text).unwrap(), &r), want, "{text}");
    }
}
