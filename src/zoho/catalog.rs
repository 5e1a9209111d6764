//! The default service catalog (`services.toml`, compiled in and parsed on first use), the Zoho
//! data centers, custom `[services.NAME]` tables, data-center resolution and `dg services` text.

use super::scopes;
use super::service::{AuthType, Endpoint, GrantType, ParamType, Service, ValueSource};
use std::fmt::Write as _;
use std::sync::OnceLock;

/// The catalog as data: read only when a script or command first asks for a service.
const CATALOG_TOML: &str = include_str!("services.toml");

/// One Zoho data center: where its accounts server and APIs live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataCenter {
    /// `com`, `eu`, `in`, `com.au`, `com.cn`, `jp`, `sa`, `ca`.
    pub id: String,
    /// `United States`, `Europe`, ...
    pub name: String,
    /// `https://accounts.zoho.com` (`https://accounts.zohocloud.ca` for `ca`).
    pub accounts_url: String,
    /// `https://www.zohoapis.com`.
    pub api_domain: String,
    /// The Zoho domain product hosts use: `zoho.com`, `zoho.eu`, ..., `zohocloud.ca`.
    pub domain: String,
}

struct Catalog {
    data_centers: Vec<DataCenter>,
    zoho_defaults: toml::Table,
    services: Vec<Service>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match parse_catalog(CATALOG_TOML) {
        Ok(c) => c,
        // services.toml is part of the source; catalog_tests parses it on every test run.
        Err(e) => panic!("the built-in services.toml is invalid: {e}"),
    })
}

/// A data center by id (`com`, `eu`, ...; `us`, `au` and `cn` are accepted too); `None` if unknown.
pub fn data_center(id: &str) -> Option<DataCenter> {
    let id = id.trim().to_ascii_lowercase();
    let id = match id.as_str() {
        "us" => "com",
        "au" => "com.au",
        "cn" => "com.cn",
        other => other,
    };
    catalog().data_centers.iter().find(|d| d.id == id).cloned()
}

/// The data centers, in the order of connections.md's table.
pub fn data_centers() -> Vec<DataCenter> {
    catalog().data_centers.clone()
}

/// A default service by id (lower-case).
pub fn service(id: &str) -> Option<&'static Service> {
    let id = id.trim().to_ascii_lowercase();
    catalog().services.iter().find(|s| s.id == id)
}

/// Every default service: Zoho products first.
pub fn services() -> &'static [Service] {
    &catalog().services
}

/// A service with its `{accounts}`, `{api}` and `{domain}` templates filled for a data center
/// (default `com`; Zoho services only), then the connection's overrides: `accounts_url`
/// replaces the scheme, host and port of the authorize, token, refresh and revoke URLs (paths
/// kept), `api_url` those of the API base URL, and its host joins `hosts` so the scope rules
/// still apply there.
pub fn resolve(
    service: &Service,
    dc: Option<&str>,
    accounts_url: Option<&str>,
    api_url: Option<&str>,
) -> Result<Service, String> {
    let mut s = service.clone();
    if s.zoho {
        let id = dc.unwrap_or("com");
        let dc = data_center(id).ok_or_else(|| {
            let ids: Vec<String> = catalog().data_centers.iter().map(|d| d.id.clone()).collect();
            format!("unknown data center '{id}' (one of {})", ids.join(", "))
        })?;
        let fill = |u: &mut Option<String>| {
            if let Some(v) = u {
                *v = v
                    .replace("{accounts}", &dc.accounts_url)
                    .replace("{api}", &dc.api_domain)
                    .replace("{domain}", &dc.domain);
            }
        };
        for u in [
            &mut s.authorize_url,
            &mut s.token_url,
            &mut s.refresh_url,
            &mut s.revoke_url,
            &mut s.request_token_url,
            &mut s.access_token_url,
            &mut s.base_url,
        ] {
            fill(u);
        }
    }
    if let Some(raw) = accounts_url {
        let origin = origin_of(raw, "accounts_url")?;
        for u in [
            &mut s.authorize_url,
            &mut s.token_url,
            &mut s.refresh_url,
            &mut s.revoke_url,
            &mut s.request_token_url,
            &mut s.access_token_url,
        ]
        .into_iter()
        .flatten()
        {
            *u = replace_origin(u, &origin.0);
        }
    }
    if let Some(raw) = api_url {
        let (origin, host) = origin_of(raw, "api_url")?;
        s.base_url = Some(match &s.base_url {
            Some(b) => replace_origin(b, &origin),
            None => origin.clone(),
        });
        if !s.hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
            s.hosts.push(host);
        }
    }
    if matches!(s.auth, AuthType::OAuth1 | AuthType::OAuth2) {
        for (key, u) in auth_urls(&s) {
            if let Some(u) = u {
                if let Some(p) = placeholder(u) {
                    return Err(format!(
                        "service '{}' needs your own address for {p} in its {key} ({u}): set accounts_url in the connection",
                        s.id
                    ));
                }
            }
        }
    }
    Ok(s)
}

/// A service's authorization endpoints by key name (OAuth 2.0 and OAuth 1.0).
fn auth_urls(s: &Service) -> [(&'static str, &Option<String>); 6] {
    [
        ("authorize_url", &s.authorize_url),
        ("token_url", &s.token_url),
        ("refresh_url", &s.refresh_url),
        ("revoke_url", &s.revoke_url),
        ("request_token_url", &s.request_token_url),
        ("access_token_url", &s.access_token_url),
    ]
}

/// `scheme://host[:port]` of an override, and `host[:port]` for `hosts`.
fn origin_of(raw: &str, key: &str) -> Result<(String, String), String> {
    let bad = |why: &str| format!("{key} '{raw}' {why}");
    let url = reqwest::Url::parse(raw.trim()).map_err(|e| bad(&format!("is not a URL ({e})")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(bad("must start with http:// or https://"));
    }
    let host = url.host_str().ok_or_else(|| bad("has no host"))?;
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must be only a scheme, host and port (the service keeps its paths)"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // never echo the URL: it holds a password
        return Err(format!("{key} must not carry credentials (user:password@)"));
    }
    let host_port = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    Ok((format!("{}://{host_port}", url.scheme()), host_port.to_ascii_lowercase()))
}

/// Put `origin` in place of a URL's scheme, host and port (also of a leading `{template}`).
fn replace_origin(url: &str, origin: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => &url[i + 3..],
        None if url.starts_with('{') => url,
        None => return url.to_string(),
    };
    let cut = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    format!("{origin}{}", &rest[cut..])
}

/// The first `{name}` left in a text.
fn placeholder(s: &str) -> Option<&str> {
    let start = s.find('{')?;
    let end = s[start..].find('}')?;
    Some(&s[start..start + end + 1])
}

/// A custom `[services.NAME]` table of the connections file.
pub fn custom_service(name: &str, table: &toml::Table) -> Result<Service, String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        return Err(format!("bad service name '{name}': use lower-case letters, digits, '_' and '-'"));
    }
    parse_service(name, table, &catalog().zoho_defaults, Origin::Custom)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Catalog,
    Custom,
}

const KEYS: &[&str] = &[
    "auth",
    "name",
    "zoho",
    "hosts",
    "token_prefix",
    "param_type",
    "params",
    "base_url",
    "grant_type",
    "authorize_url",
    "token_url",
    "refresh_url",
    "revoke_url",
    "scope_delimiter",
    "scopes",
    "client_id",
    "client_secret",
    "consumer_key",
    "consumer_secret",
    "request_token_url",
    "access_token_url",
    "endpoints",
];

fn parse_catalog(text: &str) -> Result<Catalog, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut cat = Catalog { data_centers: Vec::new(), zoho_defaults: toml::Table::new(), services: Vec::new() };
    for key in doc.keys() {
        if !["data_centers", "zoho_defaults", "services"].contains(&key.as_str()) {
            return Err(format!("unknown table '{key}'"));
        }
    }
    if let Some(dcs) = doc.get("data_centers").and_then(|v| v.as_table()) {
        for (id, v) in dcs {
            let t = v.as_table().ok_or_else(|| format!("data center '{id}' is not a table"))?;
            let text = |k: &str| {
                t.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| format!("data center '{id}': missing key '{k}'"))
            };
            cat.data_centers.push(DataCenter {
                id: id.clone(),
                name: text("name")?,
                accounts_url: text("accounts")?,
                api_domain: text("api")?,
                domain: text("domain")?,
            });
        }
    }
    if let Some(d) = doc.get("zoho_defaults").and_then(|v| v.as_table()) {
        cat.zoho_defaults = d.clone();
    }
    let services = doc.get("services").and_then(|v| v.as_table()).ok_or("no [services]")?;
    for (id, v) in services {
        let t = v.as_table().ok_or_else(|| format!("service '{id}' is not a table"))?;
        let s =
            parse_service(id, t, &cat.zoho_defaults, Origin::Catalog).map_err(|e| format!("service '{id}': {e}"))?;
        cat.services.push(s);
    }
    Ok(cat)
}

/// A service table: the same keys for the catalog and the connections file.
fn parse_service(
    id: &str,
    table: &toml::Table,
    zoho_defaults: &toml::Table,
    origin: Origin,
) -> Result<Service, String> {
    for key in table.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Err(format!("unknown key '{key}' (known keys: {})", KEYS.join(", ")));
        }
    }
    let zoho = match table.get("zoho") {
        None => false,
        Some(v) => v.as_bool().ok_or("key 'zoho' must be true or false")?,
    };
    let get = |key: &str| table.get(key).or_else(|| if zoho { zoho_defaults.get(key) } else { None });
    let text = |key: &str| -> Result<Option<String>, String> {
        match get(key) {
            None => Ok(None),
            Some(v) => v.as_str().map(|s| Some(s.to_string())).ok_or_else(|| format!("key '{key}' must be a text")),
        }
    };
    let list = |key: &str| -> Result<Vec<String>, String> {
        match get(key) {
            None => Ok(Vec::new()),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(|| format!("key '{key}' must be a list of texts")))
                .collect(),
            Some(_) => Err(format!("key '{key}' must be a list of texts")),
        }
    };
    let url = |key: &str| -> Result<Option<String>, String> {
        let v = text(key)?;
        if let Some(u) = &v {
            if !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with('{')) {
                return Err(format!("key '{key}' must be an http:// or https:// URL, not '{u}'"));
            }
        }
        Ok(v)
    };
    let auth = match text("auth")?.as_deref() {
        Some("api_key") => AuthType::ApiKey,
        Some("basic") => AuthType::Basic,
        Some("oauth1") => AuthType::OAuth1,
        Some("oauth2") => AuthType::OAuth2,
        Some(other) => return Err(format!("key 'auth' must be api_key, basic, oauth1 or oauth2, not '{other}'")),
        None => return Err("missing key 'auth' (api_key, basic, oauth1 or oauth2)".to_string()),
    };
    let param_type = match text("param_type")?.as_deref() {
        Some("header") => ParamType::Header,
        Some("query") => ParamType::Query,
        Some("form") => ParamType::Form,
        Some(other) => return Err(format!("key 'param_type' must be header, query or form, not '{other}'")),
        None if auth == AuthType::ApiKey => {
            return Err("missing key 'param_type' (where the key goes: header, query or form)".to_string())
        }
        None => ParamType::Header,
    };
    let grant_type = match text("grant_type")?.as_deref() {
        None | Some("authorization_code") => GrantType::AuthorizationCode,
        Some("client_credentials") => GrantType::ClientCredentials,
        Some(other) => {
            return Err(format!("key 'grant_type' must be authorization_code or client_credentials, not '{other}'"))
        }
    };
    let default_delimiter = if origin == Origin::Catalog { " " } else { "," };
    let scope_delimiter = text("scope_delimiter")?.unwrap_or_else(|| default_delimiter.to_string());
    if ![",", " ", "+"].contains(&scope_delimiter.as_str()) {
        return Err(format!("key 'scope_delimiter' must be \",\", \" \" or \"+\", not {scope_delimiter:?}"));
    }
    let params = list("params")?;
    if auth == AuthType::ApiKey && params.is_empty() {
        return Err("missing key 'params' (the names of the API key parameters, e.g. [\"appid\"])".to_string());
    }
    let scopes = list("scopes")?;
    // (The catalog's own scopes are checked by its tests: validating them here would ask the
    // catalog, which is still being built, which Zoho service names exist.)
    if origin == Origin::Custom {
        for s in &scopes {
            scopes::validate(s).map_err(|m| format!("key 'scopes': {m}"))?;
        }
    }
    let token_url = url("token_url")?;
    let authorize_url = url("authorize_url")?;
    let base_url = url("base_url")?;
    let value =
        |key: &str| -> Result<Option<ValueSource>, String> { Ok(text(key)?.as_deref().map(ValueSource::parse)) };
    let service = Service {
        id: id.to_string(),
        name: text("name")?.unwrap_or_else(|| id.to_string()),
        auth,
        param_type,
        params,
        grant_type,
        refresh_url: url("refresh_url")?.or_else(|| if auth == AuthType::OAuth2 { token_url.clone() } else { None }),
        authorize_url,
        token_url,
        revoke_url: url("revoke_url")?,
        request_token_url: url("request_token_url")?,
        access_token_url: url("access_token_url")?,
        scope_delimiter,
        scopes,
        hosts: hosts(list("hosts")?, base_url.as_deref()),
        base_url,
        endpoints: endpoints(get("endpoints"))?,
        token_prefix: text("token_prefix")?.unwrap_or_else(|| {
            if auth == AuthType::OAuth2 {
                "Bearer".to_string()
            } else {
                String::new()
            }
        }),
        zoho,
        client_id: value("client_id")?,
        client_secret: value("client_secret")?,
        consumer_key: value("consumer_key")?,
        consumer_secret: value("consumer_secret")?,
    };
    let required: &[(&str, bool)] = match auth {
        AuthType::OAuth2 => &[
            ("token_url", service.token_url.is_some()),
            ("authorize_url", service.authorize_url.is_some() || service.grant_type == GrantType::ClientCredentials),
        ],
        AuthType::OAuth1 => &[
            ("request_token_url", service.request_token_url.is_some()),
            ("authorize_url", service.authorize_url.is_some()),
            ("access_token_url", service.access_token_url.is_some()),
            ("consumer_key", service.consumer_key.is_some() || origin == Origin::Catalog),
            ("consumer_secret", service.consumer_secret.is_some() || origin == Origin::Catalog),
        ],
        AuthType::ApiKey | AuthType::Basic => &[],
    };
    if let Some((key, _)) = required.iter().find(|(_, present)| !present) {
        return Err(format!("missing key '{key}' (needed by auth = \"{}\")", auth.name()));
    }
    Ok(service)
}

/// Host patterns: as given, else the host of a base URL without templates in it.
fn hosts(given: Vec<String>, base_url: Option<&str>) -> Vec<String> {
    if !given.is_empty() {
        return given.into_iter().map(|h| h.to_ascii_lowercase()).collect();
    }
    let Some(url) = base_url.and_then(|b| reqwest::Url::parse(b).ok()) else { return Vec::new() };
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => vec![format!("{h}:{p}")],
        (Some(h), None) => vec![h.to_string()],
        _ => Vec::new(),
    }
}

/// `endpoints = [{ method, path | paths, scope }, ...]`.
fn endpoints(value: Option<&toml::Value>) -> Result<Vec<Endpoint>, String> {
    let Some(value) = value else { return Ok(Vec::new()) };
    let entries = value.as_array().ok_or("key 'endpoints' must be a list of tables ([[services.NAME.endpoints]])")?;
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let n = i + 1;
        let t = entry.as_table().ok_or_else(|| format!("endpoint {n} must be a table of method, path and scope"))?;
        for key in t.keys() {
            if !["method", "path", "paths", "scope"].contains(&key.as_str()) {
                return Err(format!("endpoint {n}: unknown key '{key}' (method, path, scope)"));
            }
        }
        let method = match t.get("method") {
            None => None,
            Some(v) => {
                let m = v
                    .as_str()
                    .ok_or_else(|| format!("endpoint {n}: key 'method' must be a text"))?
                    .to_ascii_uppercase();
                if !["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(&m.as_str()) {
                    return Err(format!("endpoint {n}: unknown method '{m}'"));
                }
                Some(m)
            }
        };
        let scope = t
            .get("scope")
            .ok_or_else(|| format!("endpoint {n}: missing key 'scope'"))?
            .as_str()
            .ok_or_else(|| format!("endpoint {n}: key 'scope' must be a text"))?
            .to_string();
        let mut paths = Vec::new();
        match (t.get("path"), t.get("paths")) {
            (Some(p), None) => {
                paths.push(p.as_str().ok_or_else(|| format!("endpoint {n}: key 'path' must be a text"))?)
            }
            (None, Some(toml::Value::Array(a))) => {
                for p in a {
                    paths.push(p.as_str().ok_or_else(|| format!("endpoint {n}: key 'paths' must be a list of texts"))?);
                }
            }
            (None, Some(_)) => return Err(format!("endpoint {n}: key 'paths' must be a list of texts")),
            (Some(_), Some(_)) => return Err(format!("endpoint {n}: give 'path' or 'paths', not both")),
            (None, None) => return Err(format!("endpoint {n}: missing key 'path'")),
        }
        for path in paths {
            scopes::check_rule(path, &scope).map_err(|m| format!("endpoint {n}: {m}"))?;
            out.push(Endpoint { method: method.clone(), path: path.to_string(), scope: scope.clone() });
        }
    }
    Ok(out)
}

/// `dg services list`: one line per default service (id, auth type, name).
pub fn list_text() -> String {
    let mut out = String::new();
    for s in services() {
        let _ = writeln!(out, "{:<16} {:<8} {}", s.id, s.auth.name(), s.name);
    }
    out
}

/// `dg services show ID`: everything about a service but secrets.
pub fn show_text(s: &Service) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: &str| {
        let _ = writeln!(out, "{k:<18}{v}");
    };
    line("id:", &s.id);
    line("name:", &s.name);
    line("auth:", s.auth.name());
    if s.zoho {
        line("zoho:", "true");
    }
    let place = match s.param_type {
        ParamType::Header => "header",
        ParamType::Query => "query",
        ParamType::Form => "form",
    };
    match s.auth {
        AuthType::ApiKey => {
            line("param_type:", place);
            line("params:", &s.params.join(", "));
        }
        AuthType::OAuth2 => {
            let grant = match s.grant_type {
                GrantType::AuthorizationCode => "authorization_code",
                GrantType::ClientCredentials => "client_credentials",
            };
            line("grant_type:", grant);
        }
        AuthType::Basic | AuthType::OAuth1 => {}
    }
    if !s.token_prefix.is_empty() {
        line("token_prefix:", &s.token_prefix);
    }
    if let Some(v) = &s.base_url {
        line("base_url:", v);
    }
    for (k, v) in auth_urls(s) {
        if let Some(v) = v {
            line(&format!("{k}:"), v);
        }
    }
    if s.auth == AuthType::OAuth2 {
        line("scope_delimiter:", &format!("{:?}", s.scope_delimiter));
    }
    if !s.hosts.is_empty() {
        line("hosts:", &s.hosts.join(", "));
    }
    for (k, v) in [
        ("client_id:", &s.client_id),
        ("client_secret:", &s.client_secret),
        ("consumer_key:", &s.consumer_key),
        ("consumer_secret:", &s.consumer_secret),
    ] {
        match v {
            Some(ValueSource::Env(name)) => line(k, &format!("env:{name}")),
            Some(ValueSource::Literal(_)) => line(k, "(set in the connections file)"),
            None => {}
        }
    }
    let templated = [&s.base_url, &s.authorize_url, &s.token_url].iter().any(|u| {
        u.as_deref().is_some_and(|u| u.contains("{accounts}") || u.contains("{api}") || u.contains("{domain}"))
    });
    if s.zoho && templated {
        out.push_str("data centers:     ({accounts}, {api} and {domain} by the connection's data_center)\n");
        for dc in &catalog().data_centers {
            let _ = writeln!(out, "  {:<8} {:<32} {:<30} {}", dc.id, dc.accounts_url, dc.api_domain, dc.domain);
        }
    }
    out.push_str(if s.scopes.is_empty() { "scopes:           (none listed)\n" } else { "scopes:\n" });
    for sc in &s.scopes {
        let _ = writeln!(out, "  {sc}");
    }
    if !s.endpoints.is_empty() {
        out.push_str("endpoints:        (first match wins)\n");
        for e in &s.endpoints {
            let scope = if e.scope.is_empty() { "(no scope check)" } else { e.scope.as_str() };
            let _ = writeln!(out, "  {:<7} {} -> {scope}", e.method.as_deref().unwrap_or("ANY"), e.path);
        }
    }
    out
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;
