//! Cassettes: `dg run --record FILE` keeps every HTTP exchange of the request pipeline, with
//! every credential scrubbed, in a JSON file; `--replay FILE` answers requests from it, offline.

use super::http::{looks_secret, redact, Body, Hop, Part, Prepared};
use super::registry::Credential;
use super::response::Response;
use super::store::Secrets;
use crate::error::Error;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The format's version, the file's first key.
const VERSION: u32 = 1;

/// What stands in for every scrubbed value.
pub const HIDDEN: &str = "***";

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct CassetteFile {
    dg_cassette: u32,
    interactions: Vec<Interaction>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct Interaction {
    request: Request,
    response: Answer,
}

/// A request as it is matched: method, URL and body, all scrubbed.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub method: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl Request {
    fn shown(&self) -> String {
        match &self.body {
            Some(b) => format!("{} {} with body {}", self.method, self.url, clip(b)),
            None => format!("{} {}", self.method, self.url),
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct Answer {
    status: u16,
    /// `name: value`, one a header, in the order they came.
    #[serde(default)]
    headers: Vec<String>,
    /// The answer as text (UTF-8 answers) ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    /// ... or as base64 (anything else).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body_base64: Option<String>,
}

/// A run's cassette: recording into a file, or answering from one.
#[derive(Debug)]
pub struct Cassette {
    path: PathBuf,
    replay: bool,
    interactions: Vec<Interaction>,
    /// Replay: which recorded answers were given already.
    used: Vec<bool>,
}

impl Cassette {
    /// `--record PATH`: the file is written by `save` when the run ends.
    pub fn record(path: &Path) -> Cassette {
        Cassette { path: path.to_path_buf(), replay: false, interactions: Vec::new(), used: Vec::new() }
    }

    /// `--replay PATH`: read it; a malformed file names the file, line and column and what
    /// was expected.
    pub fn replay(path: &Path) -> Result<Cassette, Error> {
        let name = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| Error::usage(format!("cannot read {name}: {e}")))?;
        let file: CassetteFile = serde_json::from_str(&text).map_err(|e| {
            let what = e.to_string();
            let what = what.split(" at line ").next().unwrap_or(&what).to_string();
            Error::usage(format!(
                "{name}:{}:{}: {what} (expected a dg cassette: {{\"dg_cassette\": 1, \"interactions\": [{{\"request\": {{\"method\", \"url\", \"body\"}}, \"response\": {{\"status\", \"headers\": [\"name: value\"], \"body\"}}}}, ...]}})",
                e.line(),
                e.column()
            ))
        })?;
        if file.dg_cassette != VERSION {
            return Err(Error::usage(format!(
                "{name}: dg_cassette is {}, this dg reads version {VERSION}",
                file.dg_cassette
            )));
        }
        let used = vec![false; file.interactions.len()];
        Ok(Cassette { path: path.to_path_buf(), replay: true, interactions: file.interactions, used })
    }

    pub fn replaying(&self) -> bool {
        self.replay
    }

    /// Keep one exchange (recording only); the request is scrubbed already, the answer is
    /// scrubbed here.
    pub(super) fn keep(&mut self, request: Request, r: &Response, secrets: &[String]) {
        if self.replay {
            return;
        }
        let headers = r
            .headers
            .iter()
            .map(|(k, v)| {
                let v = if secret_header(k) { HIDDEN.to_string() } else { scrub_values(v, secrets) };
                format!("{k}: {v}")
            })
            .collect();
        let (body, body_base64) = match std::str::from_utf8(&r.body) {
            Ok(t) => (Some(scrub_body(t, secrets)), None),
            Err(_) => {
                use base64::Engine;
                (None, Some(base64::engine::general_purpose::STANDARD.encode(&r.body)))
            }
        };
        self.interactions
            .push(Interaction { request, response: Answer { status: r.status, headers, body, body_base64 } });
    }

    /// The recorded answer to `request`: the first one not used yet, so repeated identical
    /// requests get their answers in recorded order. A request the cassette does not hold is
    /// an error (never caught by `try`) naming it and the nearest recorded request.
    pub(super) fn answer(&mut self, request: &Request) -> Result<Response, Error> {
        let (path, interactions, used) = (&self.path, &self.interactions, &mut self.used);
        let same: Vec<usize> = (0..interactions.len()).filter(|&i| interactions[i].request == *request).collect();
        if let Some(&i) = same.iter().find(|&&i| !used[i]) {
            used[i] = true;
            let a = &interactions[i].response;
            let body = match (&a.body_base64, &a.body) {
                (Some(b64), _) => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|e| {
                        Error::usage(format!(
                            "{}: interaction {}: body_base64 is not base64 ({e})",
                            path.display(),
                            i + 1
                        ))
                    })?
                }
                (None, Some(t)) => t.clone().into_bytes(),
                (None, None) => Vec::new(),
            };
            let headers = a
                .headers
                .iter()
                .map(|h| {
                    let (k, v) = h.split_once(':').unwrap_or((h, ""));
                    (k.trim().to_ascii_lowercase(), v.trim().to_string())
                })
                .collect();
            return Ok(Response { status: a.status, headers, body });
        }
        let shown = request.shown();
        if !same.is_empty() {
            return Err(Error::limit(format!(
                "{shown}: the cassette {} recorded this request {} time(s), and each recorded answer is used once, in order; this is request {} (record again with --record)",
                path.display(),
                same.len(),
                same.len() + 1
            )));
        }
        let nearest = interactions
            .iter()
            .map(|i| &i.request)
            .min_by_key(|r| strsim::levenshtein(&key_text(r), &key_text(request)))
            .map(|r| format!("; the nearest recorded request is {}", r.shown()))
            .unwrap_or_else(|| "; it holds no requests".to_string());
        Err(Error::limit(format!(
            "{shown}: not in the cassette {}{nearest} (record it again with --record)",
            path.display()
        )))
    }

    /// Write the recording (atomically: a temporary file renamed over it).
    pub fn save(&self) -> Result<(), Error> {
        if self.replay {
            return Ok(());
        }
        let path = &self.path;
        let file = CassetteFile { dg_cassette: VERSION, interactions: self.interactions.clone() };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| Error::runtime(e.to_string()))?;
        text.push('\n');
        let cannot = |e: &dyn std::fmt::Display| Error::runtime(format!("cannot write {}: {e}", path.display()));
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| cannot(&e))?;
        std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| cannot(&e))?;
        tmp.persist(path).map_err(|e| cannot(&e))?;
        Ok(())
    }

    /// How many exchanges it holds.
    pub fn recorded(&self) -> usize {
        self.interactions.len()
    }
}

fn key_text(r: &Request) -> String {
    format!("{} {} {}", r.method, r.url, r.body.as_deref().unwrap_or(""))
}

fn clip(s: &str) -> String {
    if s.chars().count() <= 120 {
        return s.to_string();
    }
    format!("{}...", s.chars().take(120).collect::<String>())
}

/// The request of one hop as a cassette keeps and matches it: the method, the URL as the
/// script named it (for the first hop) with credential parameters, userinfo and secret-looking
/// query values hidden, and the body as sent, scrubbed. Also the secret values seen, for
/// scrubbing the answer.
pub(super) fn request_of(
    p: &Prepared,
    hop: &Hop,
    url: &reqwest::Url,
    form: &Option<Vec<(String, String)>>,
    headers: &[(String, String)],
) -> (Request, Vec<String>) {
    let mut secrets = header_values(headers);
    let mut names = Vec::new();
    if let Some(c) = hop.cred {
        secrets.extend(credential_values(c));
        names.extend(credential_names(c));
    }
    let mut shown = url.clone();
    if hop.first {
        let named = &p.named_url;
        let _ = shown.set_scheme(named.scheme());
        let _ = shown.set_host(named.host_str());
        let _ = shown.set_port(named.port());
    }
    let oauth = url.path().to_ascii_lowercase().contains("/oauth");
    let body = match (&p.body, form) {
        (_, Some(f)) => {
            let pairs: Vec<(String, String)> = f
                .iter()
                .map(|(k, v)| {
                    let hide = names.iter().any(|n| n.eq_ignore_ascii_case(k)) || looks_secret(k, oauth);
                    (k.clone(), if hide { HIDDEN.to_string() } else { scrub_values(v, &secrets) })
                })
                .collect();
            Some(form_encode(&pairs))
        }
        (_, None) if !hop.body => None,
        (Body::Raw(t), None) => Some(scrub_body(t, &secrets)),
        (Body::Multipart(fields, parts), None) => Some(multipart_text(fields, parts, &secrets)),
        _ => None,
    };
    let url = scrub_values(&redact(&shown, &names), &secrets);
    (Request { method: hop.method.name().to_string(), url, body }, secrets)
}

/// A multipart body in words (its boundary is random, so the bytes cannot be matched): each
/// text field, and each file's field, name, type, size and SHA-256.
fn multipart_text(fields: &[(String, String)], parts: &[Part], secrets: &[String]) -> String {
    use sha2::Digest;
    let mut out = String::from("multipart/form-data");
    for (k, v) in fields {
        let v = if looks_secret(k, false) { HIDDEN.to_string() } else { scrub_values(v, secrets) };
        out.push_str(&format!("; {k}={v}"));
    }
    for f in parts {
        let sum: String = sha2::Sha256::digest(&f.bytes).iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&format!(
            "; {}=file {} ({}, {} bytes, sha256 {sum})",
            f.field,
            f.name,
            f.content_type,
            f.bytes.len()
        ));
    }
    out
}

/// The secret values a credential puts on a request (API keys, the password and its Basic
/// form, tokens): any of them found in a URL, body or answer is scrubbed, whatever its name.
pub(super) fn credential_values(c: &Credential) -> Vec<String> {
    let mut out = Vec::new();
    match &c.secrets {
        Secrets::ApiKey(values) => out.extend(values.iter().map(|(_, v)| v.expose_secret().to_string())),
        Secrets::Basic { username, password } => {
            use base64::Engine;
            out.push(password.expose_secret().to_string());
            let raw = format!("{username}:{}", password.expose_secret());
            out.push(base64::engine::general_purpose::STANDARD.encode(raw));
        }
        Secrets::OAuth1 { token, token_secret } => {
            out.push(token.expose_secret().to_string());
            out.push(token_secret.expose_secret().to_string());
        }
        Secrets::OAuth2 { access_token, refresh_token, .. } => {
            out.push(access_token.expose_secret().to_string());
            out.extend(refresh_token.iter().map(|t| t.expose_secret().to_string()));
        }
        Secrets::None => {}
    }
    out
}

/// The parameter names a credential adds to a query or form (API keys).
pub(super) fn credential_names(c: &Credential) -> Vec<String> {
    match &c.secrets {
        Secrets::ApiKey(values) => values.iter().map(|(k, _)| k.clone()).collect(),
        _ => Vec::new(),
    }
}

/// Replay's stand-in for a connection's credential: no store, no token, no refresh; API key
/// parameters are present (their values hidden) so the request is built as it was recorded.
pub(super) fn stand_in(service: crate::zoho::service::Service) -> Credential {
    use crate::zoho::service::AuthType;
    let secrets = match service.auth {
        AuthType::ApiKey => Secrets::ApiKey(
            service.params.iter().map(|p| (p.clone(), secrecy::SecretString::from(HIDDEN.to_string()))).collect(),
        ),
        _ => Secrets::None,
    };
    Credential { service, secrets, api_domain: None }
}

/// The secret values of the request's own headers (an `Authorization` the script set, a
/// header key), with and without their scheme word (`Bearer X` and `X`).
pub(super) fn header_values(headers: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in headers {
        if secret_header(k) {
            out.push(v.clone());
            if let Some((_, rest)) = v.split_once(' ') {
                out.push(rest.trim().to_string());
            }
        }
    }
    out
}

fn secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "www-authenticate")
        || secret_name(&n)
}

/// Names whose values are secrets wherever they appear (JSON keys, headers).
fn secret_name(n: &str) -> bool {
    let n = n.to_ascii_lowercase();
    ["token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "authorization", "signature"]
        .iter()
        .any(|w| n.contains(w))
}

/// `text` with every occurrence of a secret value (and its URL-encoded form) hidden.
pub(super) fn scrub_values(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s.as_str(), HIDDEN);
        let encoded = form_encode(&[(s.clone(), String::new())]);
        let encoded = encoded.trim_end_matches('=');
        if encoded != s {
            out = out.replace(encoded, HIDDEN);
        }
    }
    out
}

/// A body with secret values hidden and, when it is JSON, the values of secret-named keys
/// (`access_token`, `password`, ...) too.
pub(super) fn scrub_body(text: &str, secrets: &[String]) -> String {
    let text = scrub_values(text, secrets);
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&text) else { return text };
    if hide_secret_keys(&mut v) {
        serde_json::to_string(&v).unwrap_or(text)
    } else {
        text
    }
}

fn hide_secret_keys(v: &mut serde_json::Value) -> bool {
    let mut changed = false;
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m.iter_mut() {
                if secret_name(k) && !v.is_null() && v.as_str() != Some(HIDDEN) && !v.is_object() && !v.is_array() {
                    *v = serde_json::Value::String(HIDDEN.into());
                    changed = true;
                } else {
                    changed |= hide_secret_keys(v);
                }
            }
        }
        serde_json::Value::Array(a) => {
            for v in a {
                changed |= hide_secret_keys(v);
            }
        }
        _ => {}
    }
    changed
}

/// `application/x-www-form-urlencoded` text of the pairs, as reqwest sends a form.
pub(super) fn form_encode(pairs: &[(String, String)]) -> String {
    let mut u = reqwest::Url::parse("http://form.invalid/").expect("a valid URL");
    u.query_pairs_mut().extend_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    u.query().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Response {
        Response { status: 200, headers: vec![("set-cookie".into(), "sid=abc".into())], body: body.into() }
    }

    fn req(url: &str) -> Request {
        Request { method: "GET".into(), url: url.into(), body: None }
    }

    #[test]
    fn answers_are_scrubbed_and_replayed_in_recorded_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.cassette.json");
        let mut c = Cassette::record(&path);
        let secrets = vec!["sk-live-123".to_string()];
        c.keep(req("http://x/a"), &answer(r#"{"n":1,"echo":"sk-live-123","access_token":"at"}"#), &secrets);
        c.keep(req("http://x/a"), &answer(r#"{"n":2}"#), &secrets);
        c.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("sk-live-123") && !text.contains("\"at\"") && !text.contains("sid=abc"), "{text}");
        let mut r = Cassette::replay(&path).unwrap();
        let first = r.answer(&req("http://x/a")).unwrap();
        assert!(String::from_utf8_lossy(&first.body).contains("\"n\":1"));
        let second = r.answer(&req("http://x/a")).unwrap();
        assert_eq!(second.body, br#"{"n":2}"#);
        let Err(third) = r.answer(&req("http://x/a")) else { panic!("a third answer") };
        assert!(third.message().contains("recorded this request 2 time(s)"), "{}", third.message());
        let Err(miss) = r.answer(&req("http://x/b")) else { panic!("an answer for /b") };
        assert_eq!(miss.kind(), crate::ErrorKind::Limit);
        assert!(miss.message().contains("GET http://x/b: not in the cassette"), "{}", miss.message());
        assert!(miss.message().contains("nearest recorded request is GET http://x/a"), "{}", miss.message());
    }

    #[test]
    fn a_malformed_cassette_names_file_line_and_what_was_expected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.cassette.json");
        std::fs::write(&path, "{\n  \"dg_cassette\": 1,\n  \"interactions\": [\n    {\"request\": {\"url\": \"x\"}}\n")
            .unwrap();
        let e = Cassette::replay(&path).unwrap_err();
        let m = e.message();
        assert!(m.contains("bad.cassette.json:4:"), "{m}");
        assert!(m.contains("missing field `method`") && m.contains("expected a dg cassette"), "{m}");
    }

    #[test]
    fn secret_values_are_hidden_also_url_encoded() {
        let s = vec!["a b+c/d".to_string()];
        assert_eq!(scrub_values("k=a+b%2Bc%2Fd&x=1", &s), "k=***&x=1");
        assert_eq!(scrub_values("raw a b+c/d", &s), "raw ***");
    }
}
