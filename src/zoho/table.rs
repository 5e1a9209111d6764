//! THE table of Zoho products and integration tasks dg runs. A task is one row: its signature
//! as Zoho's page documents it, its REST call, and what it returns. `dg run`, `dg check`, the
//! REPL's completion, the language server and the sandbox all read these rows (through
//! `tasks.rs`), so a new task of a known product is one row plus a golden.
//!
//! REST templates: `METHOD /path/{i}` (argument `i`, URL-encoded; `{i|lower}` lower-cased),
//! `?name={i}` (a query parameter, left out when the argument is absent or null; `{i*}` takes a
//! map argument's entries instead), `?{i*}` (a map's entries, or an `a=1&b=2` text),
//! `@data=[{i}]` (the JSON body `{"data":[arg]}`), `@data={i}` (`{"data":arg}`), `@json={i}`,
//! `@JSONString={i}` (Books' form field), `@form={i}` (form fields), `@message={i}` (Cliq: text
//! becomes `{"text":...}`), `@file={i}` / `@file:FIELD={i}` (multipart), `@+{i}` (a map merged into
//! the JSON body) and `H:Name={i}` (a header).

use super::tasks::{
    Answer::{self, *},
    Conn::{self, *},
    Row,
};

/// A Zoho product whose tasks the table holds.
pub struct Product {
    /// `crm`, `books`, ..., `creator.v2_1` (the `zoho.` path before the task name).
    pub id: &'static str,
    pub name: &'static str,
    /// Its service in the catalog (`services.toml`).
    pub service: &'static str,
    /// The API's host label on the data center's Zoho domain (`desk` -> `desk.zoho.com`);
    /// `None` for the data center's API domain (`www.zohoapis.com`).
    pub host: Option<&'static str>,
    /// The REST path prefixes its API owns (lower-case), for the sandbox's routing.
    pub prefixes: &'static [&'static str],
    /// The scope when the module is not known before the run (`{op}` is the operation).
    pub scope: &'static str,
    /// The scope of a known module no URL rule of the catalog covers (`{module}` lower-case).
    pub module_scope: Option<&'static str>,
    /// Zoho's page listing the product's tasks.
    pub page: &'static str,
}

const PRODUCTS: &[Product] = &[
    Product {
        id: "crm",
        name: "Zoho CRM",
        service: "zohocrm",
        host: None,
        prefixes: &["/crm/"],
        scope: "ZohoCRM.modules.{op}",
        module_scope: None,
        page: "https://www.zoho.com/crm/developer/docs/functions/integration-tasks.html",
    },
    Product {
        id: "bigin",
        name: "Bigin",
        service: "zohobigin",
        host: None,
        prefixes: &["/bigin/"],
        scope: "ZohoBigin.modules.{op}",
        module_scope: None,
        page: "https://www.zoho.com/deluge/help/bigin-tasks.html",
    },
    Product {
        id: "fsm",
        name: "Zoho FSM",
        service: "zohofsm",
        host: None,
        prefixes: &["/fsm/"],
        scope: "ZohoFSM.modules.{op}",
        module_scope: None,
        page: "https://www.zoho.com/deluge/help/fsm-tasks.html",
    },
    Product {
        id: "books",
        name: "Zoho Books",
        service: "zohobooks",
        host: None,
        prefixes: &["/books/", "/api/v3/"],
        scope: "ZohoBooks.fullaccess.all",
        module_scope: Some("ZohoBooks.{module}.{op}"),
        page: "https://www.zoho.com/deluge/help/books-tasks.html",
    },
    Product {
        id: "inventory",
        name: "Zoho Inventory",
        service: "zohoinventory",
        host: None,
        prefixes: &["/inventory/"],
        scope: "ZohoInventory.FullAccess.all",
        module_scope: Some("ZohoInventory.{module}.{op}"),
        page: "https://www.zoho.com/deluge/help/inventory-tasks.html",
    },
    Product {
        id: "desk",
        name: "Zoho Desk",
        service: "zohodesk",
        host: Some("desk"),
        prefixes: &["/api/v1/"],
        scope: "Desk.tickets.{op}",
        module_scope: Some("Desk.{module}.{op}"),
        page: "https://www.zoho.com/deluge/help/desk-tasks.html",
    },
    Product {
        id: "creator",
        name: "Zoho Creator",
        service: "zohocreator",
        host: None,
        prefixes: &["/creator/"],
        scope: "ZohoCreator.report.{op}",
        module_scope: None,
        page: "https://www.zoho.com/deluge/help/creator-tasks.html",
    },
    Product {
        id: "creator.v2_1",
        name: "Zoho Creator (v2.1 tasks)",
        service: "zohocreator",
        host: None,
        prefixes: &["/creator/"],
        scope: "ZohoCreator.report.{op}",
        module_scope: None,
        page: "https://www.zoho.com/deluge/help/get-records-v2.1.html",
    },
    Product {
        id: "cliq",
        name: "Zoho Cliq",
        service: "zohocliq",
        host: Some("cliq"),
        prefixes: &["/api/v2/"],
        scope: "ZohoCliq.Webhooks.CREATE",
        module_scope: None,
        page: "https://www.zoho.com/deluge/help/cliq-tasks.html",
    },
    Product {
        id: "projects",
        name: "Zoho Projects",
        service: "zohoprojects",
        host: Some("projectsapi"),
        prefixes: &["/restapi/"],
        scope: "ZohoProjects.projects.{op}",
        module_scope: None,
        page: "https://www.zoho.com/deluge/help/projects-tasks.html",
    },
];

/// The products, in the table's order.
pub fn products() -> &'static [Product] {
    PRODUCTS
}

const fn row(
    product: &'static str,
    name: &'static str,
    sig: &'static str,
    rest: &'static str,
    answer: Answer,
    conn: Conn,
    page: &'static str,
) -> Row {
    Row { product, name, sig, rest, answer, conn, page }
}

const CRM: &str = "https://www.zoho.com/crm/developer/docs/functions/integration-tasks.html";
const CRM_V8: &str = "https://www.zoho.com/crm/developer/docs/functions/language-guide/deluge.html";
const DESK_GET: &str = "https://www.zoho.com/deluge/help/desk/get-records.html";
const DESK_CREATE: &str = "https://www.zoho.com/deluge/help/desk/create-record.html";
const CREATOR: &str = "https://www.zoho.com/deluge/help/creator-get-records.html";
const CREATOR_UPDATE: &str = "https://www.zoho.com/deluge/help/creator-update-records.html";
const CREATOR_21: &str = "https://www.zoho.com/deluge/help/get-records-v2.1.html";
const CREATOR_UPDATES: &str = "https://www.zoho.com/deluge/help/creator/update-records.html";
const CREATOR_21_UPDATES: &str = "https://www.zoho.com/deluge/help/update-records-v2.1.html";
const CLIQ: &str = "https://www.zoho.com/deluge/help/cliq/posting-to-zoho-cliq.html";
const CLIQ_BOT: &str = "https://www.zoho.com/deluge/help/cliq/post-to-bot.html";
const PROJECTS_GET: &str = "https://www.zoho.com/deluge/help/projects/get-records.html";
const PROJECTS_CREATE: &str = "https://www.zoho.com/deluge/help/projects/create.html";
const PROJECTS_UPDATE: &str = "https://www.zoho.com/deluge/help/projects/update.html";
const BOOKS_GET: &str = "https://www.zoho.com/creator/help/script/get-records-zoho-books.html";
const BOOKS_BY_ID: &str = "https://www.zoho.com/deluge/help/books/fetch-record-by-id.html";
const BOOKS: &str = "https://www.zoho.com/deluge/help/books-tasks.html";
const BIGIN: &str = "https://www.zoho.com/deluge/help/bigin-tasks.html";
const INVENTORY: &str = "https://www.zoho.com/deluge/help/inventory-tasks.html";
const FSM: &str = "https://www.zoho.com/deluge/help/fsm-tasks.html";

/// Every task dg runs.
#[rustfmt::skip]
pub const ROWS: &[Row] = &[
    // --- Zoho CRM (v8 API; `zoho.crm.v8.*` is the same rows) ---------------------------------
    row("crm", "getRecordById", "module, id, [query_value:map]", "GET /crm/v8/{0}/{1} ?{2*}", FirstRecord, Optional, CRM),
    row("crm", "getRecords", "module, [page:number], [per_page:number], [query_value:map]", "GET /crm/v8/{0} ?page={1} ?per_page={2} ?{3*}", RecordList, Optional, CRM),
    row("crm", "searchRecords", "module, criteria, [page:number], [per_page:number], [query_value:map]", "GET /crm/v8/{0}/search ?criteria={1} ?page={2} ?per_page={3} ?{4*}", RecordList, Optional, CRM),
    row("crm", "createRecord", "module, record:map, [options:map]", "POST /crm/v8/{0} @data=[{1}] @+{2}", WriteDetails, Optional, CRM),
    row("crm", "updateRecord", "module, id, record:map, [options:map]", "PUT /crm/v8/{0}/{1} @data=[{2}] @+{3}", WriteDetails, Optional, CRM),
    row("crm", "deleteRecord", "module, id", "DELETE /crm/v8/{0}/{1}", FirstEntry, Optional, CRM),
    row("crm", "getRelatedRecords", "relation, parent_module, parent_id, [page:number], [per_page:number], [query_value:map]", "GET /crm/v8/{1}/{2}/{0} ?page={3} ?per_page={4} ?{5*}", RecordList, Optional, CRM),
    row("crm", "updateRelatedRecord", "relation, related_id, parent_module, parent_id, record:map", "PUT /crm/v8/{2}/{3}/{0}/{1} @data=[{4}]", FirstEntry, Optional, CRM),
    row("crm", "upsert", "module, record:map, [options:map]", "POST /crm/v8/{0}/upsert @data=[{1}] @+{2}", WriteDetails, Optional, CRM),
    row("crm", "bulkCreate", "module, records:list, [options:map]", "POST /crm/v8/{0} @data=[{1}] @+{2}", Whole, Optional, CRM_V8),
    row("crm", "bulkUpdate", "module, records:list, [options:map]", "PUT /crm/v8/{0} @data=[{1}] @+{2}", Whole, Optional, CRM_V8),
    row("crm", "convertLead", "lead_id, [record:map]", "POST /crm/v8/Leads/{0}/actions/convert @data=[{1}]", FirstEntry, Optional, CRM_V8),
    // The v1 names `create` and `update`, still found in scripts, make the same calls.
    row("crm", "create", "module, record:map, [options:map]", "POST /crm/v8/{0} @data=[{1}] @+{2}", WriteDetails, Optional, CRM),
    row("crm", "update", "module, id, record:map, [options:map]", "PUT /crm/v8/{0}/{1} @data=[{2}] @+{3}", WriteDetails, Optional, CRM),
    row("crm", "attachFile", "module, id, file:file", "POST /crm/v8/{0}/{1}/Attachments @file={2}", FirstEntry, Optional, CRM_V8),
    row("crm", "getOrgVariable", "name", "GET /crm/v8/settings/variables/{0}", OrgVariable, Optional, CRM),
    // --- Bigin (v2 API) --------------------------------------------------------------------
    row("bigin", "getRecordById", "module, id, [query_value:map]", "GET /bigin/v2/{0}/{1} ?{2*}", Whole, Optional, BIGIN),
    row("bigin", "getRecords", "module, [page:number], [per_page:number], [query_value:map]", "GET /bigin/v2/{0} ?page={1} ?per_page={2} ?{3*}", Whole, Optional, BIGIN),
    row("bigin", "searchRecords", "module, criteria, [page:number], [per_page:number], [query_value:map]", "GET /bigin/v2/{0}/search ?criteria={1} ?page={2} ?per_page={3} ?{4*}", Whole, Optional, BIGIN),
    row("bigin", "createRecord", "module, record:map, [query_value:map]", "POST /bigin/v2/{0} @data=[{1}] @+{2}", Whole, Optional, BIGIN),
    row("bigin", "updateRecord", "module, id, record:map, [query_value:map]", "PUT /bigin/v2/{0}/{1} @data=[{2}] @+{3}", Whole, Optional, BIGIN),
    row("bigin", "deleteRecord", "module, id", "DELETE /bigin/v2/{0}/{1}", Whole, Optional, BIGIN),
    row("bigin", "getRelatedRecords", "relation, parent_module, parent_id, [page:number], [per_page:number], [query_value:map]", "GET /bigin/v2/{1}/{2}/{0} ?page={3} ?per_page={4} ?{5*}", Whole, Optional, BIGIN),
    row("bigin", "updateRelatedRecord", "relation, related_id, parent_module, parent_id, record:map", "PUT /bigin/v2/{2}/{3}/{0}/{1} @data=[{4}]", Whole, Optional, BIGIN),
    // --- Zoho FSM (v1 API) -----------------------------------------------------------------
    row("fsm", "getRecordById", "module, id, [query_value:map]", "GET /fsm/v1/{0}/{1} ?{2*}", Whole, Optional, FSM),
    row("fsm", "getRecords", "module, [page:number], [per_page:number], [query_value:map]", "GET /fsm/v1/{0} ?page={1} ?per_page={2} ?{3*}", Whole, Optional, FSM),
    row("fsm", "searchRecords", "module, criteria, [page:number], [per_page:number], [query_value:map]", "GET /fsm/v1/{0}/search ?criteria={1} ?page={2} ?per_page={3} ?{4*}", Whole, Optional, FSM),
    row("fsm", "searchRecordsByField", "module, field, value, [query_value:map]", "GET /fsm/v1/{0}/search ?criteria=({1}:equals:{2}) ?{3*}", Whole, Optional, FSM),
    row("fsm", "createRecord", "module, record:map, [query_value:map]", "POST /fsm/v1/{0} ?{2*} @data=[{1}]", Whole, Optional, FSM),
    row("fsm", "updateRecord", "module, id, record:map, [query_value:map]", "PUT /fsm/v1/{0}/{1} ?{3*} @data=[{2}]", Whole, Optional, FSM),
    row("fsm", "deleteRecord", "module, id", "DELETE /fsm/v1/{0}/{1}", Whole, Optional, FSM),
    row("fsm", "getRelatedRecords", "relation, parent_module, parent_id, [page:number], [per_page:number], [query_value:map]", "GET /fsm/v1/{1}/{2}/{0} ?page={3} ?per_page={4} ?{5*}", Whole, Optional, FSM),
    row("fsm", "getTransitions", "module, id, [query_value:map]", "GET /fsm/v1/{0}/{1}/actions/blueprint/transitions ?{2*}", Whole, Optional, FSM),
    row("fsm", "updateTransitions", "module, id, transition:map, [query_value:map]", "PUT /fsm/v1/{0}/{1}/actions/blueprint ?{3*} @blueprint=[{2}]", Whole, Optional, FSM),
    // --- Zoho Books (v3 API; module names are lower-cased as Books' URLs are) ---------------
    row("books", "getRecords", "module, org_id, [search:any]", "GET /books/v3/{0|lower} ?organization_id={1} ?{2*}", Whole, Optional, BOOKS_GET),
    row("books", "getRecordsByID", "module, org_id, id", "GET /books/v3/{0|lower}/{2} ?organization_id={1}", Whole, Optional, BOOKS_BY_ID),
    row("books", "createRecord", "module, org_id, record:map", "POST /books/v3/{0|lower} ?organization_id={1} @JSONString={2}", Whole, Optional, BOOKS),
    row("books", "updateRecord", "module, org_id, id, record:map", "PUT /books/v3/{0|lower}/{2} ?organization_id={1} @JSONString={3}", Whole, Optional, BOOKS),
    row("books", "markStatus", "module, org_id, id, status", "POST /books/v3/{0|lower}/{2}/status/{3|lower} ?organization_id={1}", Whole, Optional, BOOKS),
    row("books", "getTemplates", "module, org_id", "GET /books/v3/{0|lower}/templates ?organization_id={1}", Whole, Optional, BOOKS),
    row("books", "attachFile", "module, org_id, id, file:file", "POST /books/v3/{0|lower}/{2}/attachment ?organization_id={1} @file:attachment={3}", Whole, Optional, BOOKS),
    // --- Zoho Inventory (v1 API, Books' shapes; the sandbox does not serve it) ----------------
    row("inventory", "getRecords", "module, org_id, [search:any]", "GET /inventory/v1/{0|lower} ?organization_id={1} ?{2*}", Whole, Optional, INVENTORY),
    row("inventory", "getRecordsByID", "module, org_id, id", "GET /inventory/v1/{0|lower}/{2} ?organization_id={1}", Whole, Optional, INVENTORY),
    row("inventory", "createRecord", "module, org_id, record:map", "POST /inventory/v1/{0|lower} ?organization_id={1} @JSONString={2}", Whole, Optional, INVENTORY),
    row("inventory", "updateRecord", "module, org_id, id, record:map", "PUT /inventory/v1/{0|lower}/{2} ?organization_id={1} @JSONString={3}", Whole, Optional, INVENTORY),
    row("inventory", "markStatus", "module, org_id, id, status", "POST /inventory/v1/{0|lower}/{2}/status/{3|lower} ?organization_id={1}", Whole, Optional, INVENTORY),
    // --- Zoho Desk (v1 API; `orgId` goes in a header) ---------------------------------------
    row("desk", "getRecords", "org_id, module, [from:number], [limit:number], [query_value:map]", "GET /api/v1/{1|lower} H:orgId={0} ?from={2} ?limit={3} ?{4*}", Whole, Optional, DESK_GET),
    row("desk", "getRecordById", "org_id, module, id", "GET /api/v1/{1|lower}/{2} H:orgId={0}", Whole, Optional, DESK_GET),
    row("desk", "searchRecords", "org_id, module, search:map, [from:number], [limit:number]", "GET /api/v1/{1|lower}/search H:orgId={0} ?{2*} ?from={3} ?limit={4}", Whole, Optional, DESK_GET),
    row("desk", "create", "org_id, module, record:map", "POST /api/v1/{1|lower} H:orgId={0} @json={2}", Whole, Optional, DESK_CREATE),
    row("desk", "update", "org_id, module, id, record:map", "PATCH /api/v1/{1|lower}/{2} H:orgId={0} @json={3}", Whole, Optional, DESK_CREATE),
    row("desk", "getRelatedRecords", "org_id, module, parent_module, parent_id, [from:number], [limit:number], [query_value:map]", "GET /api/v1/{2|lower}/{3}/{1|lower} H:orgId={0} ?from={4} ?limit={5} ?{6*}", Whole, Optional, DESK_GET),
    row("desk", "createRelatedRecord", "org_id, module, parent_module, parent_id, record:map", "POST /api/v1/{2|lower}/{3}/{1|lower} H:orgId={0} @json={4}", Whole, Optional, DESK_CREATE),
    row("desk", "updateRelatedRecord", "org_id, module, id, parent_module, parent_id, record:map", "PATCH /api/v1/{3|lower}/{4}/{1|lower}/{2} H:orgId={0} @json={5}", Whole, Optional, DESK_CREATE),
    // --- Zoho Creator (the v2 tasks, sent to the v2.1 API) ----------------------------------
    row("creator", "getRecords", "owner, app, report, [criteria], [from:number], [limit:number]", "GET /creator/v2.1/data/{0}/{1}/report/{2} ?criteria={3} ?from={4} ?limit={5}", Whole, Required, CREATOR),
    row("creator", "getRecordById", "owner, app, report, id", "GET /creator/v2.1/data/{0}/{1}/report/{2}/{3}", Whole, Required, CREATOR),
    row("creator", "createRecord", "owner, app, form, record:map, [options:map]", "POST /creator/v2.1/data/{0}/{1}/form/{2} @data={3} @+{4}", Whole, Required, CREATOR),
    row("creator", "updateRecord", "owner, app, report, id, record:map, [options:map]", "PATCH /creator/v2.1/data/{0}/{1}/report/{2}/{3} @data={4} @+{5}", Whole, Required, CREATOR_UPDATE),
    row("creator", "deleteRecord", "owner, app, report, id", "DELETE /creator/v2.1/data/{0}/{1}/report/{2}/{3}", Whole, Required, CREATOR),
    row("creator", "updateRecords", "owner, app, report, criteria, record:map, [options:map]", "PATCH /creator/v2.1/data/{0}/{1}/report/{2} ?criteria={3} @data={4} @+{5}", Whole, Required, CREATOR_UPDATES),
    row("creator", "deleteRecords", "owner, app, report, criteria, [options:map]", "DELETE /creator/v2.1/data/{0}/{1}/report/{2} ?criteria={3} ?{4*}", Whole, Required, CREATOR),
    // --- Zoho Creator v2.1 tasks (`zoho.creator.v2_1.*`: a configuration map) ---------------
    row("creator.v2_1", "getRecords", "owner, app, report, [configuration:map]", "GET /creator/v2.1/data/{0}/{1}/report/{2} ?{3*}", Whole, Required, CREATOR_21),
    row("creator.v2_1", "getRecordById", "owner, app, report, id, [configuration:map]", "GET /creator/v2.1/data/{0}/{1}/report/{2}/{3} ?{4*}", Whole, Required, CREATOR_21),
    row("creator.v2_1", "createRecord", "owner, app, form, record:map, [configuration:map]", "POST /creator/v2.1/data/{0}/{1}/form/{2} @data={3} @+{4}", Whole, Required, CREATOR_21),
    row("creator.v2_1", "updateRecordById", "owner, app, report, id, record:map, [configuration:map]", "PATCH /creator/v2.1/data/{0}/{1}/report/{2}/{3} @data={4} @+{5}", Whole, Required, CREATOR_21),
    row("creator.v2_1", "updateRecords", "owner, app, report, criteria, record:map, [configuration:map]", "PATCH /creator/v2.1/data/{0}/{1}/report/{2} ?criteria={3} @data={4} @+{5}", Whole, Required, CREATOR_21_UPDATES),
    row("creator.v2_1", "deleteRecords", "owner, app, report, criteria, [configuration:map]", "DELETE /creator/v2.1/data/{0}/{1}/report/{2} ?criteria={3} ?{4*}", Whole, Required, CREATOR_21),
    row("creator.v2_1", "deleteRecordById", "owner, app, report, id, [configuration:map]", "DELETE /creator/v2.1/data/{0}/{1}/report/{2}/{3} ?{4*}", Whole, Required, CREATOR_21),
    // --- Zoho Cliq (v2 API) ----------------------------------------------------------------
    row("cliq", "postToChannel", "channel, message:any", "POST /api/v2/channelsbyname/{0}/message @message={1}", Whole, Optional, CLIQ),
    row("cliq", "postToChannelAsBot", "channel, bot, message:any", "POST /api/v2/channelsbyname/{0}/message ?bot_unique_name={1} @message={2}", Whole, Optional, CLIQ),
    row("cliq", "postToUser", "user, message:any", "POST /api/v2/buddies/{0}/message @message={1}", Whole, Optional, CLIQ),
    row("cliq", "postToChat", "chat_id, message:any", "POST /api/v2/chats/{0}/message @message={1}", Whole, Optional, CLIQ),
    row("cliq", "postToBot", "bot, message:any", "POST /api/v2/bots/{0}/message @message={1}", Whole, Optional, CLIQ_BOT),
    row("cliq", "createRecord", "database, record:map", "POST /api/v2/storages/{0}/records @values={1}", Whole, Optional, CLIQ),
    row("cliq", "getRecords", "database, [query_value:map]", "GET /api/v2/storages/{0}/records ?{1*}", Whole, Optional, CLIQ),
    row("cliq", "getRecordById", "database, id", "GET /api/v2/storages/{0}/records/{1}", Whole, Optional, CLIQ),
    row("cliq", "updateRecord", "database, id, record:map", "PUT /api/v2/storages/{0}/records/{1} @values={2}", Whole, Optional, CLIQ),
    row("cliq", "deleteRecord", "database, id", "DELETE /api/v2/storages/{0}/records/{1}", Whole, Optional, CLIQ),
    // --- Zoho Projects (restapi; form bodies) ----------------------------------------------
    row("projects", "getPortals", "", "GET /restapi/portals/", Whole, Optional, PROJECTS_GET),
    row("projects", "getProjectDetails", "portal, project_id", "GET /restapi/portal/{0}/projects/{1}/", Whole, Optional, PROJECTS_GET),
    row("projects", "createProject", "portal, record:map", "POST /restapi/portal/{0}/projects/ @form={1}", Whole, Optional, PROJECTS_CREATE),
    row("projects", "getRecords", "portal, project_id, module, [index:any], [range:number]", "GET /restapi/portal/{0}/projects/{1}/{2|lower}/ ?index={3*} ?range={4}", Whole, Optional, PROJECTS_GET),
    row("projects", "getRecordById", "portal, project_id, module, id", "GET /restapi/portal/{0}/projects/{1}/{2|lower}/{3}/", Whole, Optional, PROJECTS_GET),
    row("projects", "create", "portal, project_id, module, record:map", "POST /restapi/portal/{0}/projects/{1}/{2|lower}/ @form={3}", Whole, Optional, PROJECTS_CREATE),
    row("projects", "update", "portal, project_id, module, id, record:map", "POST /restapi/portal/{0}/projects/{1}/{2|lower}/{3}/ @form={4}", Whole, Optional, PROJECTS_UPDATE),
];
