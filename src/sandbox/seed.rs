//! The sandbox's first-use data set: a few realistic CRM, Bigin, FSM and Books records,
//! linked to each other by lookups as Zoho links them, and Desk's, Creator's and Projects'.

use super::db::{insert_tx, next_id_tx, Record};
use rusqlite::{params, Transaction};
use serde_json::{json, Value};

/// Every seeded record was created (and last modified) at this time.
const SEED_TIME: &str = "2026-01-05T09:00:00+00:00";
/// Books writes its times without the colon in the offset.
const BOOKS_TIME: &str = "2026-01-05T09:00:00+0000";

fn obj(v: Value) -> Record {
    match v {
        Value::Object(m) => m,
        _ => Record::new(),
    }
}

/// A lookup to a stored record: `{"name": <its name_key>, "id": <its id>}`.
fn link(r: &Record, name_key: &str) -> Value {
    json!({"name": r.get(name_key).cloned().unwrap_or(Value::Null), "id": r.get("id").cloned().unwrap_or(Value::Null)})
}

struct Seeder<'a> {
    tx: &'a Transaction<'a>,
}

impl Seeder<'_> {
    fn add(&self, product: &str, module: &str, v: Value) -> Result<Record, String> {
        insert_tx(self.tx, product, module, None, obj(v), SEED_TIME)
    }

    fn counter(&self, name: &str, value: u64) -> Result<(), String> {
        self.tx
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![format!("counter:{name}"), value.to_string()],
            )
            .map(|_| ())
            .map_err(|e| format!("sandbox store: {e}"))
    }
}

/// Insert the seed data (inside the store's first write transaction).
pub(super) fn seed(tx: &Transaction) -> Result<(), String> {
    let s = Seeder { tx };
    crm(&s)?;
    bigin(&s)?;
    fsm(&s)?;
    books(&s)?;
    for (product, id_key) in [("desk", "id"), ("creator", "ID"), ("projects", "id")] {
        let mut add = |module: &str, v: Value| -> Result<Record, String> {
            let id = next_id_tx(s.tx)?;
            let mut r = obj(v);
            r.insert(id_key.into(), Value::String(id.clone()));
            if product == "projects" {
                r.insert("id_string".into(), Value::String(id.clone()));
            }
            insert_tx(s.tx, product, module, Some(&id), r, SEED_TIME)
        };
        match product {
            "desk" => super::desk::seed(&mut add)?,
            "creator" => super::creator::seed(&mut add)?,
            _ => super::projects::seed(&mut add)?,
        }
    }
    s.counter("desk-ticket", 102)
}

fn crm(s: &Seeder) -> Result<(), String> {
    let zylker = s.add(
        "crm",
        "Accounts",
        json!({
            "Account_Name": "Zylker Inc", "Phone": "+1 555 0100", "Website": "https://zylker.example.com",
            "Industry": "Manufacturing", "Billing_City": "Austin", "Billing_Country": "United States",
        }),
    )?;
    let acme = s.add(
        "crm",
        "Accounts",
        json!({
            "Account_Name": "Acme Field Services", "Phone": "+1 555 0200", "Website": "https://acme.example.com",
            "Industry": "Construction", "Billing_City": "Denver", "Billing_Country": "United States",
        }),
    )?;
    let ada = s.add(
        "crm",
        "Contacts",
        json!({
            "First_Name": "Ada", "Last_Name": "Lovelace", "Email": "ada@zylker.example.com", "Phone": "+1 555 0101",
            "Title": "CTO", "Account_Name": link(&zylker, "Account_Name"), "Mailing_City": "Austin",
        }),
    )?;
    s.add(
        "crm",
        "Contacts",
        json!({
            "First_Name": "Grace", "Last_Name": "Hopper", "Email": "grace@zylker.example.com", "Phone": "+1 555 0102",
            "Title": "Head of Operations", "Account_Name": link(&zylker, "Account_Name"), "Mailing_City": "Austin",
        }),
    )?;
    let alan = s.add(
        "crm",
        "Contacts",
        json!({
            "First_Name": "Alan", "Last_Name": "Turing", "Email": "alan@acme.example.com", "Phone": "+1 555 0201",
            "Title": "Purchasing Manager", "Account_Name": link(&acme, "Account_Name"), "Mailing_City": "Denver",
        }),
    )?;
    for (first, last, company, email, source, status) in [
        ("Margaret", "Hamilton", "Apollo Outfitters", "margaret@apollo.example.com", "Web Download", "Not Contacted"),
        ("Linus", "Pauling", "Bonding Labs", "linus@bonding.example.com", "Trade Show", "Contacted"),
        (
            "Katherine",
            "Johnson",
            "Orbit Analytics",
            "katherine@orbit.example.com",
            "Advertisement",
            "Attempted to Contact",
        ),
    ] {
        s.add(
            "crm",
            "Leads",
            json!({
                "First_Name": first, "Last_Name": last, "Company": company, "Email": email,
                "Phone": "+1 555 0300", "Lead_Source": source, "Lead_Status": status,
            }),
        )?;
    }
    s.add("crm", "Deals", json!({
        "Deal_Name": "Zylker plant maintenance contract", "Stage": "Qualification", "Amount": 48000,
        "Closing_Date": "2026-03-31", "Account_Name": link(&zylker, "Account_Name"), "Contact_Name": link(&ada, "Full_Name"),
    }))?;
    s.add("crm", "Deals", json!({
        "Deal_Name": "Acme fleet sensors", "Stage": "Negotiation/Review", "Amount": 12500,
        "Closing_Date": "2026-02-15", "Account_Name": link(&acme, "Account_Name"), "Contact_Name": link(&alan, "Full_Name"),
    }))?;
    Ok(())
}

fn bigin(s: &Seeder) -> Result<(), String> {
    let north = s.add(
        "bigin",
        "Accounts",
        json!({
            "Account_Name": "Northwind Traders", "Phone": "+1 555 0400", "Website": "https://northwind.example.com",
            "Billing_City": "Seattle",
        }),
    )?;
    let blue = s.add(
        "bigin",
        "Accounts",
        json!({
            "Account_Name": "Blue Yonder Airlines", "Phone": "+1 555 0500", "Website": "https://blueyonder.example.com",
            "Billing_City": "Chicago",
        }),
    )?;
    let nancy = s.add("bigin", "Contacts", json!({
        "First_Name": "Nancy", "Last_Name": "Davolio", "Email": "nancy@northwind.example.com", "Phone": "+1 555 0401",
        "Mobile": "+1 555 0411", "Title": "Sales Representative", "Account_Name": link(&north, "Account_Name"),
    }))?;
    s.add("bigin", "Contacts", json!({
        "First_Name": "Andrew", "Last_Name": "Fuller", "Email": "andrew@northwind.example.com", "Phone": "+1 555 0402",
        "Mobile": "+1 555 0412", "Title": "Vice President, Sales", "Account_Name": link(&north, "Account_Name"),
    }))?;
    let janet = s.add("bigin", "Contacts", json!({
        "First_Name": "Janet", "Last_Name": "Leverling", "Email": "janet@blueyonder.example.com", "Phone": "+1 555 0501",
        "Mobile": "+1 555 0511", "Title": "Operations Manager", "Account_Name": link(&blue, "Account_Name"),
    }))?;
    let pipeline = json!({"name": "Sales Pipeline Standard", "id": "5843000000000100101"});
    s.add("bigin", "Pipelines", json!({
        "Deal_Name": "Northwind spring order", "Stage": "Qualification", "Amount": 8200, "Closing_Date": "2026-04-10",
        "Pipeline": pipeline, "Sub_Pipeline": "Sales Pipeline Standard",
        "Account_Name": link(&north, "Account_Name"), "Contact_Name": link(&nancy, "Full_Name"),
    }))?;
    s.add(
        "bigin",
        "Pipelines",
        json!({
            "Deal_Name": "Blue Yonder catering renewal", "Stage": "Proposal/Price Quote", "Amount": 15000,
            "Closing_Date": "2026-02-28", "Pipeline": pipeline, "Sub_Pipeline": "Sales Pipeline Standard",
            "Account_Name": link(&blue, "Account_Name"), "Contact_Name": link(&janet, "Full_Name"),
        }),
    )?;
    Ok(())
}

fn address(street: &str, city: &str, state: &str, zip: &str) -> Value {
    json!({"Service_Street_1": street, "Service_City": city, "Service_State": state,
           "Service_Zip_Code": zip, "Service_Country": "United States"})
}

fn fsm(s: &Seeder) -> Result<(), String> {
    let territory =
        s.add("fsm", "Territories", json!({"Name": "Default Territory", "Description": "The whole service area"}))?;
    s.add("fsm", "Work_Types", json!({"Name": "Installation", "Duration": 2, "Duration_Unit": "Hours"}))?;
    s.add(
        "fsm",
        "Service_And_Parts",
        json!({"Name": "AC Repair", "Type": "Service", "Unit_Price": 120, "Unit": "Hour"}),
    )?;
    s.add("fsm", "Service_And_Parts", json!({"Name": "Air Filter", "Type": "Part", "Unit_Price": 35, "Unit": "Each"}))?;
    let contoso = s.add(
        "fsm",
        "Companies",
        json!({
            "Company_Name": "Contoso Facilities", "Phone": "+1 555 0600", "Email": "facilities@contoso.example.com",
            "Website": "https://contoso.example.com", "Currency": "USD",
        }),
    )?;
    let fabrikam = s.add(
        "fsm",
        "Companies",
        json!({
            "Company_Name": "Fabrikam Foods", "Phone": "+1 555 0700", "Email": "ops@fabrikam.example.com",
            "Website": "https://fabrikam.example.com", "Currency": "USD",
        }),
    )?;
    let maria = s.add(
        "fsm",
        "Contacts",
        json!({
            "First_Name": "Maria", "Last_Name": "Garcia", "Email": "maria@contoso.example.com", "Phone": "+1 555 0601",
            "Mobile": "+1 555 0611", "Company": link(&contoso, "Company_Name"),
            "Service_Address": address("12 Harbor Rd", "Portland", "Oregon", "97201"),
        }),
    )?;
    s.add(
        "fsm",
        "Contacts",
        json!({
            "First_Name": "James", "Last_Name": "Smith", "Email": "james@contoso.example.com", "Phone": "+1 555 0602",
            "Mobile": "+1 555 0612", "Company": link(&contoso, "Company_Name"),
            "Service_Address": address("12 Harbor Rd", "Portland", "Oregon", "97201"),
        }),
    )?;
    let wei = s.add(
        "fsm",
        "Contacts",
        json!({
            "First_Name": "Wei", "Last_Name": "Chen", "Email": "wei@fabrikam.example.com", "Phone": "+1 555 0701",
            "Mobile": "+1 555 0711", "Company": link(&fabrikam, "Company_Name"),
            "Service_Address": address("400 Mill St", "Salem", "Oregon", "97301"),
        }),
    )?;
    let rooftop = s.add(
        "fsm",
        "Assets",
        json!({
            "Name": "Rooftop AC unit", "Serial_Number": "AC-2291-R", "Product": "CoolAir 5000",
            "Contact": link(&maria, "Full_Name"), "Company": link(&contoso, "Company_Name"),
        }),
    )?;
    s.add(
        "fsm",
        "Assets",
        json!({
            "Name": "Walk-in freezer", "Serial_Number": "FZ-1180-W", "Product": "FrostLine 80",
            "Contact": link(&wei, "Full_Name"), "Company": link(&fabrikam, "Company_Name"),
        }),
    )?;
    let req1 = s.add("fsm", "Requests", json!({
        "Name": "REQ1", "Summary": "Rooftop AC is blowing warm air", "Status": "New", "Priority": "High",
        "Due_Date": "2026-01-09", "Contact": link(&maria, "Full_Name"), "Company": link(&contoso, "Company_Name"),
        "Email": "maria@contoso.example.com", "Phone": "+1 555 0601", "Asset": link(&rooftop, "Name"),
        "Territory": link(&territory, "Name"), "Service_Address": address("12 Harbor Rd", "Portland", "Oregon", "97201"),
    }))?;
    let req2 = s.add("fsm", "Requests", json!({
        "Name": "REQ2", "Summary": "Freezer temperature alarm", "Status": "Converted", "Priority": "Medium",
        "Due_Date": "2026-01-12", "Contact": link(&wei, "Full_Name"), "Company": link(&fabrikam, "Company_Name"),
        "Email": "wei@fabrikam.example.com", "Phone": "+1 555 0701",
        "Territory": link(&territory, "Name"), "Service_Address": address("400 Mill St", "Salem", "Oregon", "97301"),
    }))?;
    let line =
        |name: &str, qty: u32, price: u32| json!([{"Service": {"name": name}, "Quantity": qty, "List_Price": price}]);
    let wo1 = s.add("fsm", "Work_Orders", json!({
        "Name": "WO1", "Summary": "Repair rooftop AC", "Type": "Service", "Status": "Scheduled", "Priority": "High",
        "Contact": link(&maria, "Full_Name"), "Company": link(&contoso, "Company_Name"), "Request": link(&req1, "Name"),
        "Asset": link(&rooftop, "Name"), "Territory": link(&territory, "Name"),
        "Service_Line_Items": line("AC Repair", 2, 120), "Grand_Total": 240,
    }))?;
    let wo2 = s.add("fsm", "Work_Orders", json!({
        "Name": "WO2", "Summary": "Inspect freezer compressor", "Type": "Inspection", "Status": "New", "Priority": "Medium",
        "Contact": link(&wei, "Full_Name"), "Company": link(&fabrikam, "Company_Name"), "Request": link(&req2, "Name"),
        "Territory": link(&territory, "Name"), "Service_Line_Items": line("AC Repair", 1, 120), "Grand_Total": 120,
    }))?;
    for (name, wo, contact, status, start, end) in [
        ("AP1", &wo1, &maria, "Dispatched", "2026-01-08T09:00:00+00:00", "2026-01-08T11:00:00+00:00"),
        ("AP2", &wo1, &maria, "Scheduled", "2026-01-15T09:00:00+00:00", "2026-01-15T10:00:00+00:00"),
        ("AP3", &wo2, &wei, "Completed", "2026-01-06T13:00:00+00:00", "2026-01-06T14:30:00+00:00"),
    ] {
        s.add(
            "fsm",
            "Service_Appointments",
            json!({
                "Name": name, "Status": status, "Work_Order": link(wo, "Name"), "Contact": link(contact, "Full_Name"),
                "Appointment_Start_Time": start, "Appointment_End_Time": end, "Territory": link(&territory, "Name"),
            }),
        )?;
    }
    for (module, n) in [("Requests", 2), ("Work_Orders", 2), ("Service_Appointments", 3)] {
        s.counter(&format!("fsm:{module}"), n)?;
    }
    Ok(())
}

fn books(s: &Seeder) -> Result<(), String> {
    for (first, last, company, email, phone) in [
        ("Nancy", "Davolio", "Northwind Traders", "nancy@northwind.example.com", "+1 555 0401"),
        ("Ada", "Lovelace", "Zylker Inc", "ada@zylker.example.com", "+1 555 0101"),
        ("Maria", "Garcia", "Contoso Facilities", "maria@contoso.example.com", "+1 555 0601"),
    ] {
        let id = next_id_tx(s.tx)?;
        let record = obj(json!({
            "contact_id": id, "contact_name": format!("{first} {last}"), "company_name": company,
            "first_name": first, "last_name": last, "email": email, "phone": phone,
            "contact_type": "customer", "status": "active", "currency_code": "USD",
            "created_time": BOOKS_TIME, "last_modified_time": BOOKS_TIME,
        }));
        insert_tx(s.tx, "books", "contacts", Some(&id), record, SEED_TIME)?;
    }
    Ok(())
}
