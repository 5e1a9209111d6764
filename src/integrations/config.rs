//! The connections file (TOML): declared connections and custom services, validated with
//! errors that name the file and line.

use super::catalog;
use super::service::{Service, ValueSource};
use crate::error::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One `[connections.NAME]` table.
#[derive(Debug, Clone)]
pub struct Connection {
    pub link: String,
    /// The service id as written (a default service or a custom one).
    pub service_id: String,
    pub scopes: Vec<String>,
    pub data_center: Option<String>,
    pub client_id: Option<ValueSource>,
    pub client_secret: Option<ValueSource>,
    pub system: bool,
    pub accounts_url: Option<String>,
    pub api_url: Option<String>,
    /// The user the connection acts for (`zoho.loginuserid` when it is used).
    pub user: Option<String>,
    /// 1-based line of the table in the file.
    pub line: usize,
}

/// A loaded connections file.
#[derive(Debug, Default)]
pub struct ConnectionsFile {
    pub path: Option<PathBuf>,
    pub connections: BTreeMap<String, Connection>,
    pub services: BTreeMap<String, Service>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    connections: BTreeMap<String, Spanned<ConnDoc>>,
    #[serde(default)]
    services: BTreeMap<String, Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnDoc {
    service: Spanned<String>,
    #[serde(default)]
    scopes: Vec<Spanned<String>>,
    data_center: Option<Spanned<String>>,
    client_id: Option<String>,
    client_secret: Option<String>,
    #[serde(default)]
    system: bool,
    accounts_url: Option<String>,
    api_url: Option<String>,
    user: Option<String>,
}

/// Where the connections file is: `--connections PATH`, `$DG_CONNECTIONS`,
/// `./connections.toml` when it exists, then `dg/connections.toml` in the XDG config directory
/// (`$XDG_CONFIG_HOME`, `~/.config`) when it exists, else `connections.toml` in the state directory.
pub fn locate(explicit: Option<&Path>, state_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("DG_CONNECTIONS") {
        return Some(PathBuf::from(p));
    }
    let local = PathBuf::from("connections.toml");
    if local.exists() {
        return Some(local);
    }
    if let Some(xdg) = dirs::config_dir().map(|d| d.join("dg").join("connections.toml")).filter(|p| p.exists()) {
        return Some(xdg);
    }
    state_dir.map(|d| d.join("connections.toml"))
}

/// Is `name` a valid link name (lower-case letters, digits, `_`)?
pub fn valid_link(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl ConnectionsFile {
    /// Load and validate a file; a missing file that was not named explicitly is empty.
    pub fn load(path: Option<PathBuf>, explicit: bool) -> Result<ConnectionsFile, Error> {
        let Some(path) = path else { return Ok(ConnectionsFile::default()) };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Ok(ConnectionsFile { path: Some(path), ..Default::default() })
            }
            Err(e) => return Err(Error::usage(format!("cannot read {}: {e}", path.display()))),
        };
        Self::parse(&text, &path)
    }

    /// Parse the text of a connections file named `path` (for messages).
    pub fn parse(text: &str, path: &Path) -> Result<ConnectionsFile, Error> {
        let at = |offset: usize| -> String {
            let line = text[..offset.min(text.len())].matches('\n').count() + 1;
            format!("{}:{line}", path.display())
        };
        let doc: FileDoc = toml::from_str(text).map_err(|e| {
            let place = e.span().map(|s| at(s.start)).unwrap_or_else(|| path.display().to_string());
            let msg = e.message().trim().replace('\n', " ");
            Error::usage(format!("{place}: invalid connections file: {msg}"))
        })?;
        let mut file = ConnectionsFile { path: Some(path.to_path_buf()), ..Default::default() };
        for (name, table) in doc.services {
            let place = at(table.span().start);
            let service = catalog::custom_service(&name, table.get_ref())
                .map_err(|m| Error::usage(format!("{place}: service '{name}': {m}")))?;
            file.services.insert(name, service);
        }
        for (link, doc) in doc.connections {
            let span = doc.span();
            let doc = doc.into_inner();
            let place = at(span.start);
            if !valid_link(&link) {
                return Err(Error::usage(format!(
                    "{place}: bad link name '{link}': use lower-case letters, digits and '_'"
                )));
            }
            let service_id = doc.service.get_ref().clone();
            if catalog::service(&service_id).is_none() && !file.services.contains_key(&service_id) {
                return Err(Error::usage(format!(
                    "{}: connection '{link}': unknown service '{service_id}' (see `dg services list`, or declare [services.{service_id}])",
                    at(doc.service.span().start)
                )));
            }
            if let Some(dc) = &doc.data_center {
                if catalog::data_center(dc.get_ref()).is_none() {
                    let known: Vec<String> = catalog::data_centers().into_iter().map(|d| d.id).collect();
                    return Err(Error::usage(format!(
                        "{}: connection '{link}': unknown data_center '{}' (one of {})",
                        at(dc.span().start),
                        dc.get_ref(),
                        known.join(", ")
                    )));
                }
            }
            let mut scopes = Vec::new();
            for s in doc.scopes {
                if let Err(m) = super::scopes::validate(s.get_ref()) {
                    return Err(Error::usage(format!("{}: connection '{link}': {m}", at(s.span().start))));
                }
                scopes.push(s.into_inner());
            }
            let conn = Connection {
                link: link.clone(),
                service_id,
                scopes,
                data_center: doc.data_center.map(|d| d.into_inner()),
                client_id: doc.client_id.as_deref().map(ValueSource::parse),
                client_secret: doc.client_secret.as_deref().map(ValueSource::parse),
                system: doc.system,
                accounts_url: doc.accounts_url,
                api_url: doc.api_url,
                user: doc.user,
                line: text[..span.start.min(text.len())].matches('\n').count() + 1,
            };
            file.connections.insert(link, conn);
        }
        Ok(file)
    }

    /// The service a connection uses, resolved for its data center and URL overrides.
    pub fn service_of(&self, conn: &Connection) -> Result<Service, Error> {
        let base = match self.services.get(&conn.service_id) {
            Some(s) => s.clone(),
            None => catalog::service(&conn.service_id)
                .cloned()
                .ok_or_else(|| Error::runtime(format!("unknown service '{}'", conn.service_id)))?,
        };
        catalog::resolve(&base, conn.data_center.as_deref(), conn.accounts_url.as_deref(), conn.api_url.as_deref())
            .map_err(|m| Error::runtime(format!("connection '{}': {m}", conn.link)))
    }

    /// The system connection of a service (`system = true`), if one is declared.
    pub fn system_connection(&self, service_id: &str) -> Option<&Connection> {
        self.connections.values().find(|c| c.system && c.service_id == service_id)
    }
}

/// Read a `ValueSource`: a literal, or an environment variable that must be set.
pub fn read_value(v: &ValueSource, what: &str) -> Result<secrecy::SecretString, Error> {
    match v {
        ValueSource::Literal(s) => Ok(s.clone()),
        ValueSource::Env(name) => std::env::var(name).map(secrecy::SecretString::from).map_err(|_| {
            Error::runtime(format!("{what} comes from the environment variable {name}, which is not set"))
        }),
    }
}
