//! What the sandbox knows of CRM, Bigin and FSM modules: their API names, mandatory fields,
//! lookup fields, FSM's auto-numbered record names and the default upsert duplicate checks.

const CRM: &[&str] = &[
    "Leads",
    "Contacts",
    "Accounts",
    "Deals",
    "Campaigns",
    "Tasks",
    "Cases",
    "Events",
    "Calls",
    "Solutions",
    "Products",
    "Vendors",
    "Price_Books",
    "Quotes",
    "Sales_Orders",
    "Purchase_Orders",
    "Invoices",
    "Notes",
    "Appointments__s",
    "Services__s",
];
const BIGIN: &[&str] = &["Contacts", "Accounts", "Pipelines", "Products", "Tasks", "Events", "Calls", "Notes"];
const FSM: &[&str] = &[
    "Assets",
    "Companies",
    "Contacts",
    "Estimates",
    "Invoices",
    "Requests",
    "Scheduled_Maintenances",
    "Service_And_Parts",
    "Service_Appointments",
    "Territories",
    "Time_Off",
    "Work_Orders",
    "Work_Types",
];

/// The modules a product serves.
pub fn modules(product: &str) -> &'static [&'static str] {
    match product {
        "crm" => CRM,
        "bigin" => BIGIN,
        "fsm" => FSM,
        _ => &[],
    }
}

/// A module's API name as the product spells it (`leads` -> `Leads`), if it has one.
pub fn canonical(product: &str, module: &str) -> Option<&'static str> {
    modules(product).iter().copied().find(|m| m.eq_ignore_ascii_case(module))
}

/// Fields a new record must have (`MANDATORY_NOT_FOUND` otherwise).
pub fn mandatory(product: &str, module: &str) -> &'static [&'static str] {
    match (product, module) {
        (_, "Contacts") => &["Last_Name"],
        ("crm", "Leads") => &["Last_Name"],
        ("crm" | "bigin", "Accounts") => &["Account_Name"],
        ("crm", "Deals") | ("bigin", "Pipelines") => &["Deal_Name"],
        ("crm" | "bigin", "Tasks" | "Cases" | "Calls" | "Quotes" | "Sales_Orders" | "Purchase_Orders" | "Invoices") => {
            &["Subject"]
        }
        ("crm" | "bigin", "Events") => &["Event_Title"],
        ("crm" | "bigin", "Products") => &["Product_Name"],
        ("crm" | "bigin", "Notes") => &["Note_Content"],
        ("crm", "Campaigns") => &["Campaign_Name"],
        ("crm", "Vendors") => &["Vendor_Name"],
        ("crm", "Price_Books") => &["Price_Book_Name"],
        ("crm", "Solutions") => &["Solution_Title"],
        ("fsm", "Requests" | "Estimates" | "Work_Orders") => &["Summary"],
        ("fsm", "Companies") => &["Company_Name"],
        ("fsm", "Assets" | "Service_And_Parts" | "Territories" | "Work_Types") => &["Name"],
        _ => &[],
    }
}

/// One lookup field: `field` holds `{"name", "id"}` of a record of `target`, named by its
/// `name_key`.
pub struct Lookup {
    pub field: &'static str,
    pub target: &'static str,
    pub name_key: &'static str,
}

const fn lk(field: &'static str, target: &'static str, name_key: &'static str) -> Lookup {
    Lookup { field, target, name_key }
}

const ACCOUNT: Lookup = lk("Account_Name", "Accounts", "Account_Name");
const CONTACT: Lookup = lk("Contact_Name", "Contacts", "Full_Name");
const FSM_LOOKUPS: &[Lookup] = &[
    lk("Contact", "Contacts", "Full_Name"),
    lk("Company", "Companies", "Company_Name"),
    lk("Request", "Requests", "Name"),
    lk("Estimate", "Estimates", "Name"),
    lk("Work_Order", "Work_Orders", "Name"),
    lk("Asset", "Assets", "Name"),
    lk("Territory", "Territories", "Name"),
];

/// The lookup fields of a module.
pub fn lookups(product: &str, module: &str) -> &'static [Lookup] {
    match (product, module) {
        ("crm" | "bigin", "Contacts") => std::slice::from_ref(&ACCOUNT),
        ("crm", "Deals") | ("bigin", "Pipelines") => &[ACCOUNT, CONTACT],
        ("fsm", _) => FSM_LOOKUPS,
        _ => &[],
    }
}

/// FSM names new records itself: `REQ1`, `WO1`, `AP1`, `EST1`, `INV1`.
pub fn name_prefix(product: &str, module: &str) -> Option<&'static str> {
    match (product, module) {
        ("fsm", "Requests") => Some("REQ"),
        ("fsm", "Work_Orders") => Some("WO"),
        ("fsm", "Service_Appointments") => Some("AP"),
        ("fsm", "Estimates") => Some("EST"),
        ("fsm", "Invoices") => Some("INV"),
        _ => None,
    }
}

/// The fields an upsert checks for a duplicate when the request names none.
pub fn duplicate_fields(product: &str, module: &str) -> &'static [&'static str] {
    match (product, module) {
        (_, "Leads" | "Contacts") => &["Email"],
        (_, "Accounts") => &["Account_Name"],
        (_, "Deals" | "Pipelines") => &["Deal_Name"],
        (_, "Products") => &["Product_Name"],
        (_, "Vendors") => &["Vendor_Name"],
        (_, "Companies") => &["Company_Name"],
        _ => &[],
    }
}
