//! Tests of the default service catalog, data centers, custom services and `dg services` text.

use super::*;
use crate::zoho::scopes::scope_for_request;
use secrecy::ExposeSecret;

fn table(text: &str) -> toml::Table {
    toml::from_str(text).expect("test TOML")
}

fn custom(text: &str) -> Result<Service, String> {
    custom_service("svc", &table(text))
}

#[test]
fn catalog_parses_and_has_at_least_60_services() {
    let all = services();
    assert!(all.len() >= 60, "only {} services", all.len());
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    for id in &ids {
        assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{id}");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "duplicate ids");
}

#[test]
fn zoho_products_come_first() {
    let first_other = services().iter().position(|s| !s.zoho).expect("third parties");
    assert!(services()[first_other..].iter().all(|s| !s.zoho));
    assert_eq!(services()[0].id, "zohocrm");
}

#[test]
fn required_services_exist() {
    for id in [
        "zohocrm",
        "zohofsm",
        "zohobigin",
        "zohobooks",
        "zohodesk",
        "zohoprojects",
        "zohocreator",
        "zohoinventory",
        "zohoinvoice",
        "zohomail",
        "zohopeople",
        "zohosign",
        "zohoworkdrive",
        "zohoanalytics",
        "zohocliq",
        "zohorecruit",
        "zohobilling",
        "zohoexpense",
        "zohosalesiq",
        "zohocampaigns",
        "zohosheet",
        "zohowriter",
        "zohocommerce",
        "zohocalendar",
        "googlesheets",
        "googledrive",
        "googlecalendar",
        "gmail",
        "microsoftgraph",
        "slack",
        "github",
        "stripe",
        "twilio",
        "sendgrid",
        "mailchimp",
        "hubspot",
        "salesforce",
        "shopify",
        "dropbox",
        "box",
        "xero",
        "quickbooks",
        "zendesk",
        "jira",
        "asana",
        "trello",
        "notion",
        "airtable",
        "docusign",
        "paypal",
        "twitter",
        "twitter_v1",
        "openai",
        "intercom",
        "pipedrive",
        "freshdesk",
        "zoom",
        "linkedin",
        "facebook",
        "mailgun",
        "clickup",
        "monday",
        "calendly",
        "typeform",
        "eventbrite",
        "square",
        "bitbucket",
        "gitlab",
        "discord",
    ] {
        assert!(service(id).is_some(), "missing {id}");
    }
    assert!(service("ZohoCRM").is_some(), "ids are looked up without regard to case");
    assert!(service("nosuch").is_none());
}

#[test]
fn every_zoho_service_is_complete() {
    for s in services().iter().filter(|s| s.zoho) {
        assert_eq!(s.auth, AuthType::OAuth2, "{}", s.id);
        assert_eq!(s.token_prefix, "Zoho-oauthtoken", "{}", s.id);
        assert_eq!(s.scope_delimiter, ",", "{}", s.id);
        assert_eq!(s.authorize_url.as_deref(), Some("{accounts}/oauth/v2/auth"), "{}", s.id);
        assert_eq!(s.token_url.as_deref(), Some("{accounts}/oauth/v2/token"), "{}", s.id);
        assert_eq!(s.refresh_url.as_deref(), Some("{accounts}/oauth/v2/token"), "{}", s.id);
        assert_eq!(s.revoke_url.as_deref(), Some("{accounts}/oauth/v2/token/revoke"), "{}", s.id);
        assert!(!s.scopes.is_empty(), "{} has no scopes", s.id);
        assert!(!s.endpoints.is_empty(), "{} has no endpoints", s.id);
        assert!(!s.hosts.is_empty(), "{} has no hosts", s.id);
        assert!(s.base_url.is_some(), "{} has no base_url", s.id);
        for sc in &s.scopes {
            crate::zoho::scopes::validate(sc).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        }
        // Every rule with a scope names the product's scope family.
        let families: Vec<&str> = s.scopes.iter().map(|sc| sc.split('.').next().unwrap()).collect();
        for e in s.endpoints.iter().filter(|e| !e.scope.is_empty()) {
            let fam = e.scope.split('.').next().unwrap();
            assert!(families.contains(&fam), "{}: rule {} -> {} is outside its scopes", s.id, e.path, e.scope);
        }
    }
}

#[test]
fn every_third_party_has_urls() {
    for s in services().iter().filter(|s| !s.zoho) {
        assert!(s.base_url.is_some(), "{}", s.id);
        assert!(!s.hosts.is_empty(), "{}", s.id);
        match s.auth {
            AuthType::OAuth2 => {
                assert!(s.token_url.as_deref().is_some_and(|u| u.starts_with("https://")), "{}", s.id);
                assert_eq!(s.refresh_url, s.token_url, "{}: refresh defaults to the token URL", s.id);
                assert_eq!(s.token_prefix, "Bearer", "{}", s.id);
            }
            AuthType::OAuth1 => {
                assert!(s.request_token_url.is_some() && s.access_token_url.is_some(), "{}", s.id);
            }
            AuthType::ApiKey => assert!(!s.params.is_empty(), "{}", s.id),
            AuthType::Basic => {}
        }
    }
    let google = service("googlesheets").unwrap();
    assert_eq!(google.scope_delimiter, " ");
    assert_eq!(service("slack").unwrap().scope_delimiter, ",");
    let stripe = service("stripe").unwrap();
    assert_eq!(
        (stripe.auth, stripe.param_type, stripe.token_prefix.as_str()),
        (AuthType::ApiKey, ParamType::Header, "Bearer")
    );
    assert_eq!(service("trello").unwrap().param_type, ParamType::Query);
    assert_eq!(service("twilio").unwrap().auth, AuthType::Basic);
    assert_eq!(service("twitter_v1").unwrap().auth, AuthType::OAuth1);
    assert_eq!(service("paypal").unwrap().grant_type, GrantType::ClientCredentials);
}

#[test]
fn data_centers_are_the_eight_of_the_contract() {
    let ids: Vec<String> = data_centers().into_iter().map(|d| d.id).collect();
    assert_eq!(ids, ["com", "eu", "in", "com.au", "com.cn", "jp", "sa", "ca"]);
    let ca = data_center("ca").unwrap();
    assert_eq!(ca.accounts_url, "https://accounts.zohocloud.ca");
    assert_eq!(ca.api_domain, "https://www.zohoapis.ca");
    assert_eq!(ca.domain, "zohocloud.ca");
    let au = data_center("com.au").unwrap();
    assert_eq!(
        (au.accounts_url.as_str(), au.api_domain.as_str()),
        ("https://accounts.zoho.com.au", "https://www.zohoapis.com.au")
    );
    assert_eq!(data_center("EU").unwrap().id, "eu");
    assert_eq!(data_center("us").unwrap().id, "com");
    assert!(data_center("xx").is_none());
    assert!(data_center("").is_none());
}

#[test]
fn resolve_fills_the_data_center() {
    let crm = service("zohocrm").unwrap();
    let com = resolve(crm, None, None, None).unwrap();
    assert_eq!(com.token_url.as_deref(), Some("https://accounts.zoho.com/oauth/v2/token"));
    assert_eq!(com.base_url.as_deref(), Some("https://www.zohoapis.com/crm/v8"));
    let eu = resolve(crm, Some("eu"), None, None).unwrap();
    assert_eq!(eu.authorize_url.as_deref(), Some("https://accounts.zoho.eu/oauth/v2/auth"));
    assert_eq!(eu.revoke_url.as_deref(), Some("https://accounts.zoho.eu/oauth/v2/token/revoke"));
    assert_eq!(eu.refresh_url.as_deref(), Some("https://accounts.zoho.eu/oauth/v2/token"));
    let ca = resolve(service("zohofsm").unwrap(), Some("ca"), None, None).unwrap();
    assert_eq!(ca.token_url.as_deref(), Some("https://accounts.zohocloud.ca/oauth/v2/token"));
    assert_eq!(ca.base_url.as_deref(), Some("https://fsm.zohocloud.ca/fsm/v1"));
    let err = resolve(crm, Some("mars"), None, None).unwrap_err();
    assert!(err.contains("mars") && err.contains("com.au"), "{err}");
    // Third parties have no data centers: the argument is ignored.
    let slack = resolve(service("slack").unwrap(), Some("eu"), None, None).unwrap();
    assert_eq!(slack.token_url.as_deref(), Some("https://slack.com/api/oauth.v2.access"));
}

#[test]
fn resolve_applies_overrides() {
    let crm = service("zohocrm").unwrap();
    let s = resolve(crm, Some("eu"), Some("http://127.0.0.1:5000"), Some("http://127.0.0.1:5001/")).unwrap();
    assert_eq!(s.token_url.as_deref(), Some("http://127.0.0.1:5000/oauth/v2/token"));
    assert_eq!(s.authorize_url.as_deref(), Some("http://127.0.0.1:5000/oauth/v2/auth"));
    assert_eq!(s.revoke_url.as_deref(), Some("http://127.0.0.1:5000/oauth/v2/token/revoke"));
    assert_eq!(s.base_url.as_deref(), Some("http://127.0.0.1:5001/crm/v8"));
    assert!(s.hosts.contains(&"127.0.0.1:5001".to_string()));
    assert_eq!(
        scope_for_request(&s, "GET", "http://127.0.0.1:5001/crm/v8/Leads/1").as_deref(),
        Some("ZohoCRM.modules.leads.READ")
    );
    // The original hosts still count.
    assert!(scope_for_request(&s, "GET", "https://www.zohoapis.eu/crm/v8/Leads").is_some());
    // A default port is kept off the host.
    let s = resolve(crm, None, None, Some("https://sandbox.example.com")).unwrap();
    assert!(s.hosts.contains(&"sandbox.example.com".to_string()));
    assert_eq!(s.base_url.as_deref(), Some("https://sandbox.example.com/crm/v8"));
}

#[test]
fn resolve_rejects_bad_overrides() {
    let crm = service("zohocrm").unwrap();
    for (acc, api) in [
        (Some("127.0.0.1:5000"), None),
        (Some("ftp://x.example.com"), None),
        (Some("http://x.example.com/prefix"), None),
        (None, Some("not a url")),
        (None, Some("http://x.example.com/?a=1")),
        (None, Some("http://user:pw@x.example.com")),
    ] {
        let err = resolve(crm, None, acc, api).unwrap_err();
        let key = if acc.is_some() { "accounts_url" } else { "api_url" };
        assert!(err.contains(key), "{err}");
        assert!(!err.contains("pw@"), "no credentials in errors: {err}");
    }
}

#[test]
fn resolve_needs_the_users_own_address() {
    let shop = service("shopify_oauth").unwrap();
    let err = resolve(shop, None, None, None).unwrap_err();
    assert!(err.contains("accounts_url") && err.contains("{shop}"), "{err}");
    let s = resolve(shop, None, Some("https://acme.myshopify.com"), None).unwrap();
    assert_eq!(s.token_url.as_deref(), Some("https://acme.myshopify.com/admin/oauth/access_token"));
    // API keys need no accounts server.
    assert!(resolve(service("shopify").unwrap(), None, None, None).is_ok());
}

#[test]
fn custom_services_of_the_contract_parse() {
    let s = custom("auth = \"api_key\"\nparam_type = \"query\"\nparams = [\"appid\"]\nbase_url = \"https://api.openweathermap.org\"").unwrap();
    assert_eq!((s.auth, s.param_type), (AuthType::ApiKey, ParamType::Query));
    assert_eq!(s.params, ["appid"]);
    assert_eq!(s.hosts, ["api.openweathermap.org"]);
    assert_eq!(s.name, "svc");
    assert!(!s.zoho);

    let s = custom(
        r#"auth = "oauth2"
grant_type = "authorization_code"
authorize_url = "https://example.com/oauth/authorize"
token_url = "https://example.com/oauth/token"
refresh_url = "https://example.com/oauth/token"
revoke_url = "https://example.com/oauth/revoke"
param_type = "header"
scope_delimiter = ","
scopes = ["read", "write"]
client_id = "env:MYOAUTH_CLIENT_ID"
client_secret = "literal-secret-value""#,
    )
    .unwrap();
    assert_eq!(s.auth, AuthType::OAuth2);
    assert_eq!(s.scopes, ["read", "write"]);
    assert_eq!(s.token_prefix, "Bearer");
    assert!(matches!(&s.client_id, Some(ValueSource::Env(n)) if n == "MYOAUTH_CLIENT_ID"));
    assert!(matches!(&s.client_secret, Some(ValueSource::Literal(v)) if v.expose_secret() == "literal-secret-value"));

    let s = custom(
        r#"auth = "oauth1"
consumer_key = "env:LEGACY_CONSUMER_KEY"
consumer_secret = "env:LEGACY_CONSUMER_SECRET"
request_token_url = "https://legacy.example.com/oauth/request_token"
authorize_url = "https://legacy.example.com/oauth/authorize"
access_token_url = "https://legacy.example.com/oauth/access_token""#,
    )
    .unwrap();
    assert_eq!(s.auth, AuthType::OAuth1);
    assert!(matches!(&s.consumer_key, Some(ValueSource::Env(n)) if n == "LEGACY_CONSUMER_KEY"));

    let s = custom("auth = \"basic\"").unwrap();
    assert_eq!(s.auth, AuthType::Basic);
    assert!(s.hosts.is_empty() && s.endpoints.is_empty());
}

#[test]
fn custom_service_defaults() {
    let s = custom("auth = \"oauth2\"\nauthorize_url = \"https://e.com/a\"\ntoken_url = \"https://e.com/t\"").unwrap();
    assert_eq!(s.scope_delimiter, ",", "Zoho's default delimiter");
    assert_eq!(s.refresh_url.as_deref(), Some("https://e.com/t"));
    assert_eq!(s.grant_type, GrantType::AuthorizationCode);
    let s = custom("auth = \"oauth2\"\ngrant_type = \"client_credentials\"\ntoken_url = \"https://e.com/t\"").unwrap();
    assert_eq!(s.grant_type, GrantType::ClientCredentials);
    // A custom Zoho product gets the Zoho defaults.
    let s = custom("zoho = true\nscopes = [\"ZohoVault.secrets.READ\"]\nhosts = [\"vault.zoho.*\"]").unwrap();
    assert_eq!(s.auth, AuthType::OAuth2);
    assert_eq!(s.token_prefix, "Zoho-oauthtoken");
    let r = resolve(&s, Some("jp"), None, None).unwrap();
    assert_eq!(r.token_url.as_deref(), Some("https://accounts.zoho.jp/oauth/v2/token"));
}

#[test]
fn custom_service_endpoints_are_prefix_rules() {
    let s = custom(
        r#"auth = "api_key"
param_type = "header"
params = ["X-Api-Key"]
base_url = "http://127.0.0.1:8080/api"
[[endpoints]]
method = "GET"
path = "/api/orders"
scope = "orders.read"
[[endpoints]]
path = "/api/orders"
scope = "orders.write"
[[endpoints]]
path = "/api/{thing}/x"
scope = "things.{thing|lower}.{op}""#,
    )
    .unwrap();
    assert_eq!(s.hosts, ["127.0.0.1:8080"]);
    let at = |m: &str, u: &str| scope_for_request(&s, m, u);
    assert_eq!(at("GET", "http://127.0.0.1:8080/api/orders/7").as_deref(), Some("orders.read"));
    assert_eq!(at("POST", "http://127.0.0.1:8080/api/orders").as_deref(), Some("orders.write"));
    assert_eq!(at("PUT", "http://127.0.0.1:8080/api/Boxes/x").as_deref(), Some("things.boxes.UPDATE"));
    assert_eq!(at("GET", "http://127.0.0.1:8080/other"), None);
    assert_eq!(at("GET", "http://127.0.0.1:9999/api/orders"), None, "another port is another host");
}

#[test]
fn custom_service_errors_name_the_key() {
    let cases: &[(&str, &str)] = &[
        ("auth = \"basic\"\ncolour = \"red\"", "'colour'"),
        ("param_type = \"query\"", "missing key 'auth'"),
        ("auth = \"magic\"", "'auth'"),
        ("auth = \"api_key\"\nparam_type = \"query\"", "missing key 'params'"),
        ("auth = \"api_key\"\nparams = [\"k\"]", "missing key 'param_type'"),
        ("auth = \"api_key\"\nparam_type = \"body\"\nparams = [\"k\"]", "'param_type'"),
        ("auth = \"api_key\"\nparam_type = \"query\"\nparams = \"k\"", "'params'"),
        ("auth = \"oauth2\"\nauthorize_url = \"https://e.com/a\"", "missing key 'token_url'"),
        ("auth = \"oauth2\"\ntoken_url = \"https://e.com/t\"", "missing key 'authorize_url'"),
        ("auth = \"oauth2\"\ngrant_type = \"password\"\ntoken_url = \"https://e.com/t\"", "'grant_type'"),
        ("auth = \"oauth2\"\ntoken_url = \"e.com/t\"\nauthorize_url = \"https://e.com/a\"", "'token_url'"),
        ("auth = \"oauth2\"\ntoken_url = \"https://e.com/t\"\nauthorize_url = \"https://e.com/a\"\nscope_delimiter = \";\"", "'scope_delimiter'"),
        ("auth = \"oauth2\"\ntoken_url = \"https://e.com/t\"\nauthorize_url = \"https://e.com/a\"\nscopes = [\"ZohoCRM.modules\"]", "'scopes'"),
        ("auth = \"oauth1\"\nrequest_token_url = \"https://e.com/r\"\nauthorize_url = \"https://e.com/a\"\naccess_token_url = \"https://e.com/x\"", "missing key 'consumer_key'"),
        ("auth = \"oauth1\"\nconsumer_key = \"k\"\nconsumer_secret = \"s\"\nauthorize_url = \"https://e.com/a\"\naccess_token_url = \"https://e.com/x\"", "missing key 'request_token_url'"),
        ("auth = \"basic\"\nzoho = \"yes\"", "'zoho'"),
        ("auth = \"basic\"\n[[endpoints]]\npath = \"/a\"", "missing key 'scope'"),
        ("auth = \"basic\"\n[[endpoints]]\nscope = \"a.b.READ\"", "missing key 'path'"),
        ("auth = \"basic\"\n[[endpoints]]\npath = \"a\"\nscope = \"x\"", "must start with '/'"),
        ("auth = \"basic\"\n[[endpoints]]\nmethod = \"FETCH\"\npath = \"/a\"\nscope = \"x\"", "method"),
        ("auth = \"basic\"\n[[endpoints]]\npath = \"/a\"\nscope = \"x\"\nhost = \"h\"", "'host'"),
        ("auth = \"basic\"\n[[endpoints]]\npath = \"/a/{m}\"\nscope = \"x.{module}.{op}\"", "{module}"),
        ("auth = \"basic\"\n[[endpoints]]\npath = \"/a/{m}\"\nscope = \"x.{m|shout}.{op}\"", "shout"),
        ("auth = \"basic\"\n[[endpoints]]\npath = \"/a/**/b\"\nscope = \"x\"", "'**'"),
        ("auth = \"basic\"\nendpoints = \"all\"", "'endpoints'"),
    ];
    for (text, wanted) in cases {
        let err = custom(text).unwrap_err();
        assert!(err.contains(wanted), "for {text:?}: {err}");
    }
    let err = custom_service("Bad Name", &table("auth = \"basic\"")).unwrap_err();
    assert!(err.contains("Bad Name"), "{err}");
}

#[test]
fn custom_service_errors_hide_literal_values() {
    let err =
        custom("auth = \"oauth2\"\nclient_secret = \"s3cr3t-value\"\ntoken_url = \"https://e.com/t\"").unwrap_err();
    assert!(!err.contains("s3cr3t"), "{err}");
}

#[test]
fn list_text_has_one_line_per_service() {
    let text = list_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), services().len());
    assert!(
        lines[0].starts_with("zohocrm ") && lines[0].contains("oauth2") && lines[0].ends_with("Zoho CRM"),
        "{}",
        lines[0]
    );
    assert!(lines.iter().any(|l| l.starts_with("stripe ") && l.contains("api_key")));
    assert_eq!(text, list_text(), "stable");
}

#[test]
fn show_text_of_a_zoho_service() {
    let text = show_text(service("zohofsm").unwrap());
    for wanted in [
        "id:               zohofsm",
        "auth:             oauth2",
        "token_url:        {accounts}/oauth/v2/token",
        "scope_delimiter:  \",\"",
        "token_prefix:     Zoho-oauthtoken",
        "  ZohoFSM.modules.WorkOrders.READ",
        "  ANY     /fsm/v1/{module} -> ZohoFSM.modules.{module|nounderscore}.{op}",
        "  ca       https://accounts.zohocloud.ca",
    ] {
        assert!(text.contains(wanted), "missing {wanted:?} in\n{text}");
    }
}

#[test]
fn show_text_never_prints_secrets() {
    let s = custom(
        "auth = \"oauth2\"\nauthorize_url = \"https://e.com/a\"\ntoken_url = \"https://e.com/t\"\nclient_id = \"env:CID\"\nclient_secret = \"hunter2-literal\"",
    )
    .unwrap();
    let text = show_text(&s);
    assert!(text.contains("client_id:        env:CID"), "{text}");
    assert!(text.contains("client_secret:    (set in the connections file)"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("scopes:           (none listed)"), "{text}");
    let text = show_text(service("stripe").unwrap());
    assert!(text.contains("params:           Authorization") && text.contains("param_type:       header"), "{text}");
}

#[test]
fn the_catalog_is_parsed_from_the_embedded_text() {
    let cat = parse_catalog(CATALOG_TOML).unwrap();
    assert_eq!(cat.services.len(), services().len());
    let err = |t: &str| parse_catalog(t).err().expect("an error");
    assert!(err("[services.x]\nauth = \"nope\"").contains("service 'x'"));
    assert!(err("[oops]\n").contains("oops"));
}
