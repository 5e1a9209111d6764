//! The sandbox as a target of the one request pipeline (`--sandbox`): every Zoho host goes to
//! the offline sandbox the CLI hands over (its URL and token), other hosts are refused, and
//! declared Zoho connections are connected to the sandbox's accounts server automatically,
//! keeping their declared scopes. Only the credential and the URL differ; sending is shared.

use super::http::{redact, refusal, Net, Prepared};
use super::oauth::{self, OAuthClient};
use super::registry::Credential;
use super::store::Secrets;
use crate::error::Error;
use crate::zoho::service::Service;
use crate::zoho::{catalog, scopes};
use secrecy::SecretString;

/// Is this one of Zoho's hosts (APIs, accounts, product hosts, Bigin)? The domain must be
/// Zoho's own: `zoho` or `zohoapis` followed only by a data center's suffix (`.com`, `.eu`,
/// `.com.au`, ...), so `zoho.example.com` is not one.
pub fn is_zoho_host(host: &str) -> bool {
    const SUFFIX_LABELS: [&str; 9] = ["com", "eu", "in", "au", "jp", "cn", "sa", "uk", "ca"];
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "bigin.com" || host.ends_with(".bigin.com") || host == "zohocloud.ca" || host.ends_with(".zohocloud.ca")
    {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    labels.iter().enumerate().any(|(i, label)| {
        matches!(*label, "zoho" | "zohoapis")
            && i + 1 < labels.len()
            && labels[i + 1..].iter().all(|l| SUFFIX_LABELS.contains(l))
    })
}

/// A link name for the sandbox's built-in system connection of a service.
pub fn system_link(service_id: &str) -> String {
    format!("@{service_id}")
}

impl Net {
    /// The sandbox, started on first use by the function the CLI gave.
    fn sandbox(&mut self) -> Result<super::http::SandboxTarget, Error> {
        if self.sandbox.is_none() {
            let start = self.offline.ok_or_else(|| Error::runtime("no sandbox was given"))?;
            self.sandbox = Some(start()?);
        }
        Ok(self.sandbox.clone().expect("started above"))
    }

    /// A service pointed at the sandbox.
    fn offline_service(base: &Service, sandbox_url: &str) -> Result<Service, Error> {
        catalog::resolve(base, None, Some(sandbox_url), Some(sandbox_url)).map_err(Error::runtime)
    }

    /// The sandbox target's step of the pipeline: check the host and the scope, choose the
    /// credential and point the URL at the sandbox.
    pub(super) fn sandbox_target(
        &mut self,
        p: &mut Prepared,
        note: &mut dyn FnMut(&str),
    ) -> Result<Option<Credential>, Error> {
        let host = p.url.host_str().unwrap_or_default().to_string();
        if !is_zoho_host(&host) {
            return Err(Error::runtime(format!(
                "invokeurl {}: the sandbox is offline and serves only Zoho hosts, not {host}; nothing was sent",
                redact(&p.url, &[])
            )));
        }
        let target = self.sandbox()?;
        let (sandbox_url, system_token) = (target.url.clone(), target.token.clone());
        let cred = match p.connection.clone() {
            None => None,
            Some(link) if link.starts_with('@') => {
                let base = catalog::service(&link[1..])
                    .ok_or_else(|| Error::runtime(format!("unknown service '{}'", &link[1..])))?;
                let service = Self::offline_service(base, &sandbox_url)?;
                Some(Credential { service, secrets: token_secrets(&system_token), api_domain: None })
            }
            // A link name the connections file does not declare: the sandbox lends its own
            // connection (every scope) for the Zoho service the URL belongs to.
            Some(link) if !self.registry()?.file.connections.contains_key(&link) => {
                let base = catalog::services()
                    .iter()
                    .filter(|s| s.zoho)
                    .find(|s| scopes::scope_for_request(s, p.method_name(), p.url.as_str()).is_some())
                    .ok_or_else(|| {
                        Error::runtime(format!(
                            "unknown connection '{link}': no Zoho service serves {}",
                            redact(&p.url, &[])
                        ))
                    })?;
                if self.trace {
                    note(&format!(
                        "trace: connection '{link}' is not declared: the sandbox lends its {} connection",
                        base.id
                    ));
                }
                let service = Self::offline_service(base, &sandbox_url)?;
                Some(Credential { service, secrets: token_secrets(&system_token), api_domain: None })
            }
            Some(link) => {
                let registry = self.registry()?;
                let conn = registry.connection(&link)?.clone();
                let declared = registry.file.service_of(&conn)?;
                if !declared.zoho {
                    return Err(Error::runtime(format!(
                        "connection '{link}' uses {}, which is not a Zoho service: the sandbox is offline; nothing was sent",
                        declared.id
                    )));
                }
                if let Some(needed) = scopes::scope_for_request(&declared, p.method_name(), p.url.as_str()) {
                    if !scopes::grants(&conn.scopes, &needed) {
                        let what = format!("{} {}", p.method_name(), redact(&p.url, &[]));
                        return Err(refusal(&what, &link, &needed, &conn.scopes));
                    }
                }
                let token = match self.sandbox_tokens.get(&link) {
                    Some(t) => t.clone(),
                    None => {
                        let t = self.sandbox_token(&target, &conn.scopes, &link)?;
                        self.sandbox_tokens.insert(link.clone(), t.clone());
                        t
                    }
                };
                if self.trace {
                    note(&format!("trace: using connection '{link}' ({}) in the sandbox", declared.id));
                }
                let service = Self::offline_service(&declared, &sandbox_url)?;
                Some(Credential { service, secrets: token_secrets(&token), api_domain: None })
            }
        };
        let target = reqwest::Url::parse(&sandbox_url).map_err(|e| Error::runtime(e.to_string()))?;
        let mut url = p.url.clone();
        let _ = url.set_scheme(target.scheme());
        let _ = url.set_host(target.host_str());
        let _ = url.set_port(target.port());
        if self.trace {
            note(&format!("trace: {} is served by the sandbox", redact(&p.url, &[])));
        }
        p.url = url;
        Ok(cred)
    }

    /// Connect a declared connection to the sandbox's accounts server with its scopes.
    fn sandbox_token(
        &mut self,
        target: &super::http::SandboxTarget,
        scopes: &[String],
        link: &str,
    ) -> Result<String, Error> {
        self.client()?;
        let client = OAuthClient {
            client_id: target.client_id.clone(),
            client_secret: Some(SecretString::from(target.client_secret.clone())),
            authorize_url: None,
            token_url: format!("{}/oauth/v2/token", target.url),
            refresh_url: None,
            revoke_url: None,
            scopes: scopes.to_vec(),
            scope_delimiter: ",".to_string(),
            zoho: true,
            redirect_url: None,
        };
        let (rt, http) = self.runtime_and_token_client();
        let tokens = rt
            .block_on(oauth::client_credentials(http, &client))
            .map_err(|e| Error::runtime(format!("connecting '{link}' to the sandbox failed: {e}")))?;
        use secrecy::ExposeSecret;
        Ok(tokens.access_token.expose_secret().to_string())
    }
}

fn token_secrets(token: &str) -> Secrets {
    Secrets::OAuth2 { access_token: SecretString::from(token.to_string()), refresh_token: None, token_type: None }
}

#[cfg(test)]
mod tests {
    use super::is_zoho_host;

    #[test]
    fn zoho_hosts_are_zohos_own_domains() {
        for h in [
            "www.zohoapis.com",
            "accounts.zoho.eu",
            "www.zohoapis.com.au",
            "crm.zoho.in",
            "www.bigin.com",
            "zohoapis.zohocloud.ca",
            "WWW.ZOHOAPIS.COM",
        ] {
            assert!(is_zoho_host(h), "{h}");
        }
        for h in ["zoho.example.com", "api.example.com", "zoho", "notzoho.com", "zohoapis.com.evil.net", "127.0.0.1"] {
            assert!(!is_zoho_host(h), "{h}");
        }
    }
}
