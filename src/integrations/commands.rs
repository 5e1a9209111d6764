//! `dg connections ...` and `dg services ...`: connect, list, show, revoke and delete
//! connections; list and show services. Output never contains a secret.

use super::config::Connection;
use super::oauth;
use super::registry::{apply_tokens, now, Registry};
use super::store::{Record, Secrets, Status};
use crate::error::Error;
use crate::zoho::catalog;
use crate::zoho::service::{AuthType, GrantType};
use secrecy::SecretString;
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

/// How long `connect` waits for the browser to come back to the loopback redirect.
const BROWSER_WAIT: Duration = Duration::from_secs(300);

fn runtime() -> Result<(tokio::runtime::Runtime, reqwest::Client), Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime(format!("cannot start the network runtime: {e}")))?;
    let http = reqwest::Client::builder()
        .timeout(super::http::INVOKE_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::runtime(format!("cannot start the HTTP client: {e}")))?;
    Ok((rt, http))
}

fn store_err(e: impl std::fmt::Display) -> Error {
    Error::runtime(e.to_string())
}

/// A time as `2026-11-23 10:00:00 UTC`.
fn when(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|_| unix.to_string())
}

/// `dg connections list`: link name, service, status, scopes, expiry.
pub fn list(reg: &Registry) -> Result<String, Error> {
    if reg.file.connections.is_empty() {
        let place =
            reg.file.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "connections.toml".into());
        return Ok(format!("no connections declared (in {place})"));
    }
    let mut rows = vec![["LINK".to_string(), "SERVICE".into(), "STATUS".into(), "SCOPES".into(), "EXPIRES".into()]];
    for (link, conn) in &reg.file.connections {
        let (status, rec) = reg.status(link)?;
        let expires = rec.as_ref().and_then(|r| r.expires_at).map(when).unwrap_or_else(|| "-".into());
        let scopes = if conn.scopes.is_empty() { "-".to_string() } else { conn.scopes.join(",") };
        rows.push([link.clone(), conn.service_id.clone(), status.name().to_string(), scopes, expires]);
    }
    let widths: Vec<usize> = (0..5).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    Ok(out.trim_end().to_string())
}

/// `dg connections show LINK`
pub fn show(reg: &Registry, link: &str) -> Result<String, Error> {
    let conn = reg.connection(link)?;
    let service = reg.file.service_of(conn)?;
    let (status, rec) = reg.status(link)?;
    let mut out = format!(
        "link:        {link}\nservice:     {} ({})\nauth:        {}\nstatus:      {}\n",
        service.id,
        service.name,
        service.auth.name(),
        status.name()
    );
    out.push_str(&format!(
        "scopes:      {}\n",
        if conn.scopes.is_empty() { "-".into() } else { conn.scopes.join(", ") }
    ));
    if conn.system {
        out.push_str("system:      yes (used by zoho.* tasks without a connection)\n");
    }
    if let Some(dc) = &conn.data_center {
        out.push_str(&format!("data center: {dc}\n"));
    }
    if let Some(r) = &rec {
        if let Some(e) = r.expires_at {
            out.push_str(&format!("expires:     {}\n", when(e)));
        }
        if let Some(d) = &r.api_domain {
            out.push_str(&format!("api domain:  {d}\n"));
        }
        out.push_str(&format!("updated:     {}\n", when(r.updated_at)));
        let held = match &r.secrets {
            Secrets::None => "nothing".to_string(),
            Secrets::ApiKey(v) => {
                format!("API key ({})", v.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", "))
            }
            Secrets::Basic { username, .. } => format!("user name and password (user {username})"),
            Secrets::OAuth1 { .. } => "OAuth 1.0 token and token secret".into(),
            Secrets::OAuth2 { refresh_token, .. } => {
                if refresh_token.is_some() {
                    "access and refresh tokens".into()
                } else {
                    "an access token".into()
                }
            }
        };
        out.push_str(&format!("holds:       {held} (encrypted in the token store)\n"));
    }
    out.push_str(&format!(
        "declared at: {}:{}",
        reg.file.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
        conn.line
    ));
    Ok(out)
}

/// A value for `connect`: `--value NAME=...`, else asked for on a terminal.
/// A value `connect` needs: from `--value NAME=...`; `--value NAME=-` reads it from stdin (so
/// keys stay out of shell history); a value not given is asked for at a terminal, without
/// echo.
fn value_for(values: &[(String, String)], name: &str, link: &str) -> Result<SecretString, Error> {
    match values.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
        Some((_, v)) if v == "-" => read_secret(name, link),
        Some((_, v)) => Ok(SecretString::from(v.clone())),
        None if std::io::stdin().is_terminal() => read_secret(name, link),
        None => Err(Error::usage(format!(
            "connection '{link}' needs {name}: pass --value {name}=... (or --value {name}=- to read it from stdin)"
        ))),
    }
}

/// One line from stdin: at a terminal a prompt that does not echo what is typed.
fn read_secret(name: &str, link: &str) -> Result<SecretString, Error> {
    let line = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{name} for '{link}' (not shown): "))
            .map_err(|e| Error::usage(format!("cannot read {name}: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| Error::usage(format!("cannot read {name}: {e}")))?;
        line
    };
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        return Err(Error::usage(format!("no {name} given for '{link}'")));
    }
    Ok(SecretString::from(line))
}

/// `dg connections connect LINK`: asks for what the auth type needs and stores it encrypted.
pub fn connect(
    reg: &Registry,
    link: &str,
    values: &[(String, String)],
    code: Option<&str>,
    say: &mut dyn FnMut(&str),
) -> Result<String, Error> {
    let conn = reg.connection(link)?;
    let service = reg.file.service_of(conn)?;
    let store = reg.store()?;
    let mut rec = Record {
        status: Status::Connected,
        secrets: Secrets::None,
        expires_at: None,
        api_domain: None,
        granted_scopes: conn.scopes.clone(),
        user: conn.user.clone(),
        refreshes: Vec::new(),
        updated_at: now(),
    };
    match service.auth {
        AuthType::ApiKey => {
            let names = if service.params.is_empty() { vec!["api_key".to_string()] } else { service.params.clone() };
            let mut keys = Vec::new();
            for n in names {
                let v = value_for(values, &n, link)?;
                keys.push((n, v));
            }
            rec.secrets = Secrets::ApiKey(keys);
        }
        AuthType::Basic => {
            use secrecy::ExposeSecret;
            let username = value_for(values, "username", link)?.expose_secret().to_string();
            let password = value_for(values, "password", link)?;
            rec.secrets = Secrets::Basic { username, password };
        }
        AuthType::OAuth1 => {
            let token = value_for(values, "token", link)?;
            let token_secret = value_for(values, "token_secret", link)?;
            rec.secrets = Secrets::OAuth1 { token, token_secret };
        }
        AuthType::OAuth2 => {
            let mut client = reg.oauth_client(conn, &service)?;
            let (rt, http) = runtime()?;
            // `--code -`: the grant code from stdin, out of shell history like the keys.
            let stdin_code = match code {
                Some("-") => Some(secrecy::ExposeSecret::expose_secret(&read_secret("code", link)?).to_string()),
                _ => None,
            };
            let code = stdin_code.as_deref().or(code);
            let tokens = if let Some(code) = code {
                rt.block_on(oauth::exchange_code(&http, &client, code, None))
            } else if service.grant_type == GrantType::ClientCredentials {
                rt.block_on(oauth::client_credentials(&http, &client))
            } else {
                let listener = rt
                    .block_on(oauth::bind_redirect_listener(0))
                    .map_err(|e| Error::runtime(format!("cannot listen for the OAuth redirect: {e}")))?;
                client.redirect_url = Some(listener.redirect_url());
                let extra: &[(&str, &str)] =
                    if service.zoho { &[("access_type", "offline"), ("prompt", "consent")] } else { &[] };
                let auth = oauth::authorize(&client, extra).map_err(|e| Error::runtime(e.to_string()))?;
                say(&format!("Open this address in a browser to connect '{link}':\n  {}\nWaiting for the provider to redirect back ...", auth.url));
                let redirect = rt
                    .block_on(listener.wait_for_code(&auth.state, BROWSER_WAIT))
                    .map_err(|e| Error::runtime(e.to_string()))?;
                // Zoho names the user's own accounts server in the redirect: exchange there.
                // Only a real Zoho accounts host is trusted with the client secret.
                let trusted = |u: &&str| {
                    reqwest::Url::parse(u).ok().and_then(|u| u.host_str().map(str::to_string)).is_some_and(|h| {
                        u.starts_with("https://") && (h.starts_with("accounts.zoho.") || h == "accounts.zohocloud.ca")
                    })
                };
                if let Some(server) = redirect.accounts_server.as_deref().filter(|_| service.zoho).filter(trusted) {
                    client.token_url = format!("{}/oauth/v2/token", server.trim_end_matches('/'));
                }
                use secrecy::ExposeSecret;
                rt.block_on(oauth::exchange_code(
                    &http,
                    &client,
                    redirect.code.expose_secret(),
                    Some(&auth.pkce_verifier),
                ))
            };
            let tokens = tokens.map_err(|e| Error::runtime(format!("connecting '{link}' failed: {e}")))?;
            if let Some(granted) = tokens.scope.as_deref().filter(|s| !s.is_empty()) {
                rec.granted_scopes = granted.split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect();
            }
            apply_tokens(&mut rec, tokens, None);
        }
    }
    store.put(link, &rec).map_err(store_err)?;
    let scopes =
        if conn.scopes.is_empty() { String::new() } else { format!(" with scopes {}", conn.scopes.join(", ")) };
    Ok(format!("connected '{link}' ({}){scopes}", service.id))
}

/// Revoke at the provider (OAuth 2.0) and mark the connection `revoked`.
pub fn revoke(reg: &Registry, link: &str) -> Result<String, Error> {
    let conn = reg.connection(link)?;
    let store = reg.store()?;
    let Some(mut rec) = store.get(link).map_err(store_err)? else {
        return Err(Error::runtime(format!("connection '{link}' is not connected: nothing to revoke")));
    };
    revoke_at_provider(reg, conn, &rec)?;
    rec.status = Status::Revoked;
    rec.secrets = Secrets::None;
    rec.expires_at = None;
    rec.updated_at = now();
    store.put(link, &rec).map_err(store_err)?;
    Ok(format!("revoked '{link}'"))
}

/// Revoke (when there is something to revoke), then forget the stored secrets.
pub fn delete(reg: &Registry, link: &str, say: &mut dyn FnMut(&str)) -> Result<String, Error> {
    let conn = reg.connection(link)?;
    let store = reg.store()?;
    if let Some(rec) = store.get(link).map_err(store_err)? {
        if let Err(e) = revoke_at_provider(reg, conn, &rec) {
            say(&format!("warning: {e}; the stored secrets are deleted anyway"));
        }
    }
    store.remove(link).map_err(store_err)?;
    Ok(format!("deleted the stored secrets of '{link}' (its declaration stays in the connections file)"))
}

fn revoke_at_provider(reg: &Registry, conn: &Connection, rec: &Record) -> Result<(), Error> {
    let Secrets::OAuth2 { access_token, refresh_token, .. } = &rec.secrets else { return Ok(()) };
    let service = reg.file.service_of(conn)?;
    if service.revoke_url.is_none() {
        return Ok(());
    }
    let client = reg.oauth_client(conn, &service)?;
    let (rt, http) = runtime()?;
    let token = refresh_token.as_ref().unwrap_or(access_token);
    rt.block_on(oauth::revoke(&http, &client, token))
        .map_err(|e| Error::runtime(format!("revoking '{}' at the provider failed: {e}", conn.link)))
}

/// `dg services list`
pub fn services_list() -> String {
    catalog::list_text()
}

/// `dg services show ID` (default or custom services).
pub fn services_show(reg: Option<&Registry>, id: &str) -> Result<String, Error> {
    if let Some(s) = reg.and_then(|r| r.file.services.get(id)) {
        return Ok(catalog::show_text(s));
    }
    match catalog::service(id) {
        Some(s) => Ok(catalog::show_text(s)),
        None => Err(Error::usage(format!("unknown service '{id}' (see `dg services list`)"))),
    }
}
