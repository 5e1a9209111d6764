//! The connection registry: declared connections, their stored secrets and status, and
//! OAuth refresh (before expiry, once on `INVALID_TOKEN`, single-flight across processes).

use super::config::{read_value, Connection, ConnectionsFile};
use super::oauth::{self, OAuthClient, TokenSet};
use super::store::{Record, Secrets, Status, TokenStore};
use crate::error::Error;
use crate::zoho::service::{AuthType, Service};
use secrecy::{ExposeSecret, SecretString};
use std::cell::OnceCell;
use std::path::{Path, PathBuf};

/// Zoho lets a refresh token mint at most this many access tokens ...
const REFRESH_BUDGET: usize = 10;
/// ... in this many seconds.
const REFRESH_WINDOW: i64 = 600;

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// What a request needs to authenticate: the resolved service and the stored secrets.
pub struct Credential {
    pub service: Service,
    pub secrets: Secrets,
    pub api_domain: Option<String>,
}

pub struct Registry {
    pub file: ConnectionsFile,
    state_dir: PathBuf,
    store: OnceCell<TokenStore>,
}

fn store_err(e: impl std::fmt::Display) -> Error {
    Error::runtime(e.to_string())
}

impl Registry {
    /// Load the connections file (`--connections`, `$DG_CONNECTIONS`, `./connections.toml`,
    /// or the state directory's); the token store is opened only when first needed.
    pub fn open(connections: Option<&Path>) -> Result<Registry, Error> {
        let state_dir = super::store::state_dir().map_err(|e| Error::usage(e.to_string()))?;
        let path = super::config::locate(connections, Some(&state_dir));
        let file = super::config::load(path, connections.is_some())?;
        Ok(Registry { file, state_dir, store: OnceCell::new() })
    }

    pub fn store(&self) -> Result<&TokenStore, Error> {
        if let Some(s) = self.store.get() {
            return Ok(s);
        }
        let s = TokenStore::open(&self.state_dir).map_err(store_err)?;
        Ok(self.store.get_or_init(|| s))
    }

    /// A declared connection, or a clear error naming the file.
    pub fn connection(&self, link: &str) -> Result<&Connection, Error> {
        self.file.connections.get(link).ok_or_else(|| {
            let place = match &self.file.path {
                Some(p) => format!("in {}", p.display()),
                None => "(no connections file)".to_string(),
            };
            Error::runtime(format!("unknown connection '{link}': it is not declared {place}"))
        })
    }

    /// The stored record of a connection and its status (`not_connected` without one).
    pub fn status(&self, link: &str) -> Result<(Status, Option<Record>), Error> {
        let rec = self.store()?.get(link).map_err(store_err)?;
        Ok((rec.as_ref().map_or(Status::NotConnected, |r| r.status), rec))
    }

    /// The OAuth client of a connection: the connection's client, else the service's.
    pub fn oauth_client(&self, conn: &Connection, service: &Service) -> Result<OAuthClient, Error> {
        let id = conn.client_id.as_ref().or(service.client_id.as_ref());
        let secret = conn.client_secret.as_ref().or(service.client_secret.as_ref());
        let client_id = match id {
            Some(v) => {
                use secrecy::ExposeSecret;
                read_value(v, "client_id")?.expose_secret().to_string()
            }
            None => {
                return Err(Error::runtime(format!(
                    "connection '{}' needs a client_id (the OAuth client registered with the provider)",
                    conn.link
                )))
            }
        };
        let client_secret = secret.map(|v| read_value(v, "client_secret")).transpose()?;
        let token_url = service
            .token_url
            .clone()
            .ok_or_else(|| Error::runtime(format!("service '{}' has no token_url", service.id)))?;
        let scopes = if conn.scopes.is_empty() { service.scopes.clone() } else { conn.scopes.clone() };
        Ok(OAuthClient {
            client_id,
            client_secret,
            authorize_url: service.authorize_url.clone(),
            token_url,
            refresh_url: service.refresh_url.clone(),
            revoke_url: service.revoke_url.clone(),
            scopes,
            scope_delimiter: service.scope_delimiter.clone(),
            zoho: service.zoho,
            redirect_url: None,
        })
    }

    /// The credential to use now: the connection must be connected; an OAuth 2.0 token
    /// near expiry, or the access token `refused` with `INVALID_TOKEN`, is refreshed first
    /// (unless the store already holds another token: a sibling refreshed it). `trace`
    /// receives a line for every refresh request sent.
    pub fn credential(
        &self,
        link: &str,
        rt: &tokio::runtime::Runtime,
        http: &reqwest::Client,
        refused: Option<&str>,
        deadline: Option<std::time::Instant>,
        trace: &mut dyn FnMut(&str),
    ) -> Result<Credential, Error> {
        let conn = self.connection(link)?;
        let mut service = self.file.service_of(conn)?;
        // OAuth 1.0 services of the catalog carry no consumer: the connection's client is it.
        if service.auth == AuthType::OAuth1 {
            service.consumer_key = service.consumer_key.take().or_else(|| conn.client_id.clone());
            service.consumer_secret = service.consumer_secret.take().or_else(|| conn.client_secret.clone());
        }
        let (status, rec) = self.status(link)?;
        let fix = format!("run `dg connections connect {link}`");
        let rec = match (status, rec) {
            (Status::Connected, Some(r)) => r,
            (Status::Revoked, _) => return Err(Error::runtime(format!("connection '{link}' was revoked: {fix}"))),
            (Status::Expired, _) => {
                return Err(Error::runtime(format!(
                    "connection '{link}' has expired (its refresh token was refused): {fix}"
                )))
            }
            _ => return Err(Error::runtime(format!("connection '{link}' is not connected: {fix}"))),
        };
        let rec = if service.auth == AuthType::OAuth2 && (refused.is_some() || needs_refresh(&rec)) {
            self.refresh(conn, &service, (rt, http), refused, deadline, trace)?
        } else {
            rec
        };
        Ok(Credential { service, api_domain: rec.api_domain.clone(), secrets: rec.secrets })
    }

    /// Refresh under the store's cross-process lock: whoever gets the lock second finds the
    /// fresh token and uses it (single flight).
    fn refresh(
        &self,
        conn: &Connection,
        service: &Service,
        (rt, http): (&tokio::runtime::Runtime, &reqwest::Client),
        refused: Option<&str>,
        deadline: Option<std::time::Instant>,
        trace: &mut dyn FnMut(&str),
    ) -> Result<Record, Error> {
        let store = self.store()?;
        let link = conn.link.clone();
        let outcome = store
            .locked(|s| {
                let Some(mut rec) = s.get(&link)? else { return Ok(Err(not_connected(&link))) };
                // Another process refreshed while we waited for the lock: after a 401, the store
                // holds another access token than the refused one (compared exactly, not by
                // time); before expiry, the stored one is no longer near it.
                let fresh = match (refused, &rec.secrets) {
                    (Some(bad), Secrets::OAuth2 { access_token, .. }) => access_token.expose_secret() != bad,
                    (Some(_), _) => false,
                    (None, _) => !needs_refresh(&rec),
                };
                if fresh && rec.status == Status::Connected {
                    return Ok(Ok(rec));
                }
                let Secrets::OAuth2 { refresh_token: Some(refresh_token), .. } = &rec.secrets else {
                    return Ok(Err(Error::runtime(format!(
                        "connection '{link}' has an expired access token and no refresh token: run `dg connections connect {link}`"
                    ))));
                };
                let t = now();
                rec.refreshes.retain(|at| t - at < REFRESH_WINDOW);
                if service.zoho && rec.refreshes.len() >= REFRESH_BUDGET {
                    let wait = rec.refreshes.iter().min().map_or(0, |first| REFRESH_WINDOW - (t - first));
                    return Ok(Err(Error::runtime(format!(
                        "connection '{link}': refresh budget used up (Zoho allows {REFRESH_BUDGET} refreshes in 10 minutes); try again in {wait} s"
                    ))));
                }
                let client = match self.oauth_client(conn, service) {
                    Ok(c) => c,
                    Err(e) => return Ok(Err(e)),
                };
                let refresh_token = refresh_token.clone();
                let why = if refused.is_some() { "the API refused its token (401 INVALID_TOKEN)" } else { "its token is about to expire" };
                trace(&format!("trace: refreshing connection '{link}': {why}; POST {}", client.refresh_url.as_deref().unwrap_or(&client.token_url)));
                // `--timeout` cuts a refresh in flight: the run's deadline bounds it too.
                let refreshed = rt.block_on(async {
                    match deadline {
                        Some(at) => {
                            let left = at.saturating_duration_since(std::time::Instant::now());
                            tokio::time::timeout(left, oauth::refresh(http, &client, &refresh_token)).await.ok()
                        }
                        None => Some(oauth::refresh(http, &client, &refresh_token).await),
                    }
                });
                let Some(refreshed) = refreshed else {
                    return Ok(Err(Error::limit("refresh stopped by --timeout")));
                };
                match refreshed {
                    Ok(tokens) => {
                        apply_tokens(&mut rec, tokens, Some(refresh_token));
                        rec.refreshes.push(t);
                        s.put(&link, &rec)?;
                        Ok(Ok(rec))
                    }
                    Err(e) => {
                        let refused = matches!(e.code.as_deref(), Some("invalid_grant" | "invalid_code" | "invalid_token"));
                        if refused {
                            rec.status = Status::Expired;
                            s.put(&link, &rec)?;
                            return Ok(Err(Error::runtime(format!(
                                "connection '{link}' has expired: the provider refused its refresh token ({}); run `dg connections connect {link}`",
                                e.code.as_deref().unwrap_or("error")
                            ))));
                        }
                        Ok(Err(Error::runtime(format!("connection '{link}': {e}"))))
                    }
                }
            })
            .map_err(store_err)?;
        outcome
    }
}

fn not_connected(link: &str) -> Error {
    Error::runtime(format!("connection '{link}' is not connected: run `dg connections connect {link}`"))
}

/// An access token is refreshed when less than min(60 s, half its lifetime) is left.
pub fn needs_refresh(rec: &Record) -> bool {
    let Some(exp) = rec.expires_at else { return false };
    let lifetime = (exp - rec.updated_at).max(0);
    let margin = 60.min(lifetime / 2);
    now() >= exp - margin
}

/// Store a token answer in a record (a refresh answer without a refresh token keeps the old).
pub fn apply_tokens(rec: &mut Record, tokens: TokenSet, old_refresh: Option<SecretString>) {
    let t = now();
    rec.status = Status::Connected;
    rec.expires_at = tokens.expires_in.map(|s| t + s as i64);
    rec.updated_at = t;
    if tokens.api_domain.is_some() {
        rec.api_domain = tokens.api_domain.clone();
    }
    rec.secrets = Secrets::OAuth2 {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token.or(old_refresh),
        token_type: tokens.token_type,
    };
}
