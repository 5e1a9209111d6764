//! invokeurl: builds the HTTP request from the block's keys, checks the connection's scope
//! before anything is sent, attaches the credential, sends it with reqwest on tokio and turns
//! the answer into a Deluge value.

use super::oauth::oauth1;
use super::registry::{Credential, Registry};
use super::response::{self, Failure, Response};
use super::store::Secrets;
use crate::error::Error;
use crate::host::HttpRequest;
use crate::value::Value;
use crate::zoho::scopes;
use crate::zoho::service::{AuthType, ParamType};
use secrecy::ExposeSecret;
use std::time::{Duration, Instant};

/// Zoho's timeout for one invokeurl call.
pub const INVOKE_TIMEOUT: Duration = Duration::from_secs(40);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn parse(s: &str) -> Option<Method> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
    pub(super) fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
    fn reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

pub(super) enum Body {
    None,
    Form(Vec<(String, String)>),
    Raw(String),
    /// `files:` (with any `parameters:` as text parts): multipart/form-data.
    Multipart(Vec<(String, String)>, Vec<Part>),
}

/// One file of a multipart upload: form field, file name, content type (with charset), bytes.
#[derive(Clone)]
pub(super) struct Part {
    pub(super) field: String,
    pub(super) name: String,
    pub(super) content_type: String,
    pub(super) bytes: Vec<u8>,
}

/// The files of `files: f` or `files: {f1, f2}` as parts (field `file` unless `setParamName`).
fn parts_of(v: &Value) -> Result<Vec<Part>, Error> {
    let one = |f: &crate::value::FileData| {
        let f = f.borrow();
        let content_type = match &f.charset {
            Some(cs) if !f.content_type.is_empty() => format!("{}; charset={cs}", f.content_type),
            _ => f.content_type.clone(),
        };
        Part {
            field: f.param_name.clone().unwrap_or_else(|| "file".into()),
            name: f.name.clone(),
            content_type,
            bytes: f.bytes.clone(),
        }
    };
    match v {
        Value::File(f) => Ok(vec![one(f)]),
        Value::Coll(c) => {
            let items: Vec<Value> = match (c.list(), c.map()) {
                (Some(l), _) => l.clone(),
                (None, Some(m)) => m.values().cloned().collect(),
                _ => Vec::new(),
            };
            items
                .iter()
                .map(|i| match i {
                    Value::File(f) => Ok(one(f)),
                    other => {
                        Err(Error::runtime(format!("invokeurl 'files' must hold files, not {}", other.type_name())))
                    }
                })
                .collect()
        }
        other => Err(Error::runtime(format!(
            "invokeurl 'files' must be a file or a list of files, not {}",
            other.type_name()
        ))),
    }
}

/// An invokeurl block, validated.
pub(super) struct Prepared {
    method: Method,
    pub(super) url: reqwest::Url,
    /// The URL as the script named it, before a connection's `api_url`, Zoho's `api_domain`
    /// or the sandbox moved it: what a cassette records and matches.
    pub(super) named_url: reqwest::Url,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    pub(super) body: Body,
    pub(super) connection: Option<String>,
    pub(super) detailed: bool,
    pub(super) as_file: bool,
    /// Zoho's download cap for the URL the script wrote.
    download_cap: usize,
}

fn get<'a>(req: &'a HttpRequest, key: &str) -> Option<&'a Value> {
    req.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn pairs_of(v: &Value) -> Vec<(String, String)> {
    match v {
        Value::Coll(c) => match c.map() {
            Some(m) => m.iter().map(|(k, v)| (k.as_str().to_string(), v.to_text())).collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

impl Prepared {
    pub(super) fn method_name(&self) -> &'static str {
        self.method.name()
    }
}

fn prepare(req: &HttpRequest) -> Result<Prepared, Error> {
    let url_text = match get(req, "url") {
        Some(Value::Text(t)) => t.to_string(),
        Some(other) => return Err(Error::runtime(format!("invokeurl 'url' must be text, not {}", other.type_name()))),
        None => return Err(Error::runtime("invokeurl needs a 'url'")),
    };
    let url = reqwest::Url::parse(url_text.trim())
        .map_err(|e| Error::runtime(format!("invokeurl: '{}' is not a valid URL ({e})", redact_url_text(&url_text))))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::runtime(format!(
            "invokeurl: only http and https URLs are supported, not '{}'",
            url.scheme()
        )));
    }
    let method = match get(req, "type") {
        None | Some(Value::Null) => Method::Get,
        Some(v) => {
            let t = v.to_text();
            Method::parse(&t).ok_or_else(|| {
                Error::runtime(format!("invokeurl 'type' must be GET, POST, PUT, PATCH or DELETE, not '{t}'"))
            })?
        }
    };
    let mut headers = match get(req, "headers") {
        Some(v @ Value::Coll(_)) => pairs_of(v),
        None | Some(Value::Null) => Vec::new(),
        Some(other) => {
            return Err(Error::runtime(format!("invokeurl 'headers' must be a map, not {}", other.type_name())))
        }
    };
    if let Some(ct) = get(req, "content-type").filter(|v| !v.is_null()) {
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
        headers.push(("Content-Type".to_string(), ct.to_text()));
    }
    let json_body =
        headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("content-type") && v.to_ascii_lowercase().contains("json"));
    let mut query = Vec::new();
    let mut body = Body::None;
    match get(req, "parameters") {
        None | Some(Value::Null) => {}
        Some(Value::Text(t)) => body = Body::Raw(t.to_string()),
        Some(v @ Value::Coll(c)) if c.is_map() => {
            if matches!(method, Method::Get | Method::Delete) {
                query = pairs_of(v);
            } else if json_body {
                body = Body::Raw(crate::value::to_wire_json(v));
            } else {
                body = Body::Form(pairs_of(v));
            }
        }
        Some(other) => body = Body::Raw(other.to_text()),
    }
    if let Some(b) = get(req, "body").filter(|v| !v.is_null()) {
        body = Body::Raw(match b {
            Value::Coll(_) => crate::value::to_wire_json(b),
            other => other.to_text(),
        });
    }
    if let Some(files) = get(req, "files").filter(|v| !v.is_null()) {
        let parts = parts_of(files)?;
        let fields = match get(req, "parameters") {
            Some(v @ Value::Coll(c)) if c.is_map() => pairs_of(v),
            _ => Vec::new(),
        };
        // the multipart boundary goes in the content type reqwest writes
        headers.retain(|(k, _)| !k.eq_ignore_ascii_case("content-type"));
        query.clear();
        body = Body::Multipart(fields, parts);
    }
    let connection = match get(req, "connection") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.to_text()).filter(|s| !s.is_empty()),
    };
    let detailed = matches!(get(req, "detailed"), Some(Value::Bool(true)))
        || matches!(get(req, "detailed"), Some(Value::Text(t)) if t.eq_ignore_ascii_case("true"));
    let as_file = get(req, "response-format").is_some_and(|v| v.to_text().eq_ignore_ascii_case("file"));
    let download_cap = response::download_cap(&url);
    let named_url = url.clone();
    Ok(Prepared { method, url, named_url, headers, query, body, connection, detailed, as_file, download_cap })
}

/// One call this run made to a Zoho API (for `--credits`).
#[derive(Clone, Debug)]
pub struct ZohoCall {
    pub method: &'static str,
    /// The REST path (`/crm/v8/Leads/search`): it names the product and the kind of call.
    pub path: String,
    pub bytes: usize,
    /// Records a JSON body's `data` carries (CRM charges writes by ten records).
    pub records: usize,
}

/// The offline sandbox as the pipeline sees it: where it is, its access token with every
/// scope, and the OAuth client its accounts server gives declared connections tokens for.
#[derive(Clone)]
pub struct SandboxTarget {
    pub url: String,
    pub token: String,
    pub client_id: String,
    pub client_secret: String,
}

/// Starts the offline sandbox (`--sandbox`; the CLI owns the sandbox, the pipeline only
/// sends to it).
pub type StartSandbox = fn() -> Result<SandboxTarget, Error>;

/// A hold on every request of a run, set by `dg batch`: `acquire` before each send (a rate
/// limit), `after_429` when the answer is 429: `Some(wait)` sends the request again after
/// that wait (it was not processed), `None` returns the 429 as it is.
pub trait Throttle: Send + Sync {
    fn acquire(&self, connection: Option<&str>, url: &str);
    fn after_429(&self, attempt: u32, retry_after: Option<&str>) -> Option<Duration>;
}

/// The network side of a run: the registry, a lazily created runtime and HTTP client.
pub struct Net {
    connections: Option<std::path::PathBuf>,
    registry: Option<Registry>,
    rt: Option<tokio::runtime::Runtime>,
    http: Option<reqwest::Client>,
    /// Token requests never follow redirects (a redirect could carry the client secret away).
    token_http: Option<reqwest::Client>,
    pub trace: bool,
    /// `--sandbox`: Zoho hosts go to the sandbox this function starts (on first use) ...
    pub(super) offline: Option<StartSandbox>,
    /// ... there.
    pub(super) sandbox: Option<SandboxTarget>,
    /// Sandbox access tokens of declared connections, by link name.
    pub(super) sandbox_tokens: std::collections::HashMap<String, String>,
    /// `--timeout`: when the run must end, and the limit as given (for the message).
    deadline: Option<(Instant, Duration)>,
    /// Connections refreshed this run after a 401 `INVALID_TOKEN`: a fresh token refused
    /// again is not refreshed again (no refresh storm), the 401 is returned as data.
    refreshed_on_401: std::collections::HashSet<String>,
    /// Every call to a Zoho API this run, in order.
    pub calls: Vec<ZohoCall>,
    /// `dg batch`: the batch's rate limit and 429 retries.
    pub throttle: Option<std::sync::Arc<dyn Throttle>>,
    /// `--record` / `--replay`: every exchange is kept in, or answered from, a cassette.
    pub cassette: Option<std::sync::Mutex<super::cassette::Cassette>>,
}

impl Net {
    pub fn new(connections: Option<std::path::PathBuf>, trace: bool, offline: Option<StartSandbox>) -> Net {
        Net {
            connections,
            registry: None,
            rt: None,
            http: None,
            token_http: None,
            trace,
            offline,
            sandbox: None,
            sandbox_tokens: std::collections::HashMap::new(),
            deadline: None,
            refreshed_on_401: std::collections::HashSet::new(),
            calls: Vec::new(),
            throttle: None,
            cassette: None,
        }
    }

    /// Answering from a cassette: nothing reaches the network, no token is fetched.
    pub(super) fn replaying(&self) -> bool {
        self.cassette.as_ref().is_some_and(|c| c.lock().is_ok_and(|c| c.replaying()))
    }

    /// End every request by `at` (the run's `--timeout`), with the limit error.
    pub fn set_deadline(&mut self, at: Instant, limit: Duration) {
        self.deadline = Some((at, limit));
    }

    /// How long the next request may take: Zoho's 40 s, or less when the run's deadline is
    /// nearer (then `true`).
    fn time_allowed(&self) -> (Duration, bool) {
        match self.deadline {
            Some((at, _)) => {
                let left = at.saturating_duration_since(Instant::now());
                if left < INVOKE_TIMEOUT {
                    (left, true)
                } else {
                    (INVOKE_TIMEOUT, false)
                }
            }
            None => (INVOKE_TIMEOUT, false),
        }
    }

    /// The error of a run that reached `--timeout` (the interpreter's own words).
    fn deadline_error(&self) -> Error {
        let secs = self.deadline.map(|(_, d)| d.as_secs_f64()).unwrap_or_default();
        let secs = if secs.fract() == 0.0 { format!("{}", secs as u64) } else { format!("{secs}") };
        Error::limit(format!("Execution time limit exceeded: the script ran for more than {secs} seconds"))
    }

    pub(super) fn runtime_and_token_client(&self) -> (&tokio::runtime::Runtime, &reqwest::Client) {
        (self.rt.as_ref().expect("runtime"), self.token_http.as_ref().expect("client"))
    }

    pub fn registry(&mut self) -> Result<&Registry, Error> {
        if self.registry.is_none() {
            self.registry = Some(Registry::open(self.connections.as_deref())?);
        }
        Ok(self.registry.as_ref().expect("set above"))
    }

    pub(super) fn client(&mut self) -> Result<(), Error> {
        if self.rt.is_none() {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::runtime(format!("cannot start the network runtime: {e}")))?;
            self.rt = Some(rt);
        }
        if self.http.is_none() {
            // no client timeout: each request gets its own (40 s, or less near the deadline)
            // Redirects are followed by `send`, which knows which credentials to drop.
            let http = reqwest::Client::builder()
                .connect_timeout(INVOKE_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(|e| Error::runtime(format!("cannot start the HTTP client: {e}")))?;
            self.http = Some(http);
        }
        if self.token_http.is_none() {
            let http = reqwest::Client::builder()
                .timeout(INVOKE_TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::runtime(format!("cannot start the HTTP client: {e}")))?;
            self.token_http = Some(http);
        }
        Ok(())
    }

    /// Run one invokeurl block; `note` receives `--trace` lines.
    pub fn invoke(&mut self, req: &HttpRequest, note: &mut dyn FnMut(&str)) -> Result<Value, Error> {
        let mut p = prepare(req)?;
        self.client()?;
        let zoho = super::offline::is_zoho_host(p.url.host_str().unwrap_or_default());
        let mut cred =
            if self.offline.is_some() { self.sandbox_target(&mut p, note)? } else { self.zoho_target(&mut p, note)? };
        let mut response = self.send(&p, cred.as_ref(), note)?;
        // Zoho: an expired or revoked access token answers 401 INVALID_TOKEN: refresh once
        // (once per connection and run: a fresh token refused again is not the token's age).
        // The sandbox's tokens do not expire.
        if response.status == 401 && is_invalid_token(&response.body) && self.offline.is_none() && !self.replaying() {
            if let (Some(link), Some(c)) = (&p.connection, &cred) {
                if c.service.auth == AuthType::OAuth2 && !self.refreshed_on_401.insert(link.clone()) {
                    if self.trace {
                        note(&format!(
                            "trace: connection '{link}' was refreshed once this run already: the 401 is returned as it is"
                        ));
                    }
                } else if c.service.auth == AuthType::OAuth2 {
                    let (rt, http) = (self.rt.as_ref().expect("runtime"), self.token_http.as_ref().expect("client"));
                    let registry = self.registry.as_ref().expect("registry");
                    let refused = match &c.secrets {
                        Secrets::OAuth2 { access_token, .. } => access_token.expose_secret().to_string(),
                        _ => String::new(),
                    };
                    let trace = self.trace;
                    let deadline = self.deadline.map(|(at, _)| at);
                    let limit = self.deadline_error();
                    cred = Some(
                        registry
                            .credential(link, rt, http, Some(&refused), deadline, &mut |l| {
                                if trace {
                                    note(l)
                                }
                            })
                            .map_err(|e| if e.kind() == crate::ErrorKind::Limit { limit } else { e })?,
                    );
                    response = self.send(&p, cred.as_ref(), note)?;
                }
            }
        }
        if zoho {
            let records = match &p.body {
                Body::Raw(text) => serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| v.get("data").and_then(serde_json::Value::as_array).map(Vec::len))
                    .unwrap_or(0),
                _ => 0,
            };
            self.calls.push(ZohoCall {
                method: p.method.name(),
                path: p.url.path().to_string(),
                bytes: response.body.len(),
                records,
            });
        }
        Ok(response.into_value(&p))
    }

    /// The real target's step of the pipeline: the connection's scope check (before anything
    /// touches the network), its credential, and the URL retargeted to its data center.
    fn zoho_target(&mut self, p: &mut Prepared, note: &mut dyn FnMut(&str)) -> Result<Option<Credential>, Error> {
        let mut cred = None;
        if let Some(link) = &p.connection {
            let registry = self.registry()?;
            let conn = registry.connection(link)?;
            let service = registry.file.service_of(conn)?;
            // The scope check comes before anything touches the network.
            if let Some(needed) = scopes::scope_for_request(&service, p.method.name(), p.url.as_str()) {
                if !scopes::grants(&conn.scopes, &needed) {
                    return Err(refusal(
                        &format!("{} {}", p.method.name(), redact(&p.url, &[])),
                        link,
                        &needed,
                        &conn.scopes,
                    ));
                }
            }
            if self.trace {
                note(&format!("trace: using connection '{link}' ({})", service.id));
            }
            if self.replaying() {
                // a stand-in: the cassette answers, so no token is read, refreshed or sent
                cred = Some(super::cassette::stand_in(service));
            } else {
                let (rt, http) = (self.rt.as_ref().expect("runtime"), self.token_http.as_ref().expect("client"));
                let registry = self.registry.as_ref().expect("registry");
                let trace = self.trace;
                let deadline = self.deadline.map(|(at, _)| at);
                let limit = self.deadline_error();
                cred = Some(
                    registry
                        .credential(link, rt, http, None, deadline, &mut |l| {
                            if trace {
                                note(l)
                            }
                        })
                        .map_err(|e| if e.kind() == crate::ErrorKind::Limit { limit } else { e })?,
                );
            }
        }
        if let (Some(link), Some(c)) = (&p.connection, &cred) {
            let conn = self.registry.as_ref().expect("registry").connection(link)?;
            if let Some(url) = retarget(&p.url, conn.api_url.as_deref(), c.api_domain.as_deref(), &c.service) {
                if self.trace {
                    note(&format!("trace: {} goes to {}", redact(&p.url, &[]), redact(&url, &[])));
                }
                p.url = url;
            }
        }
        Ok(cred)
    }

    /// Send a prepared request, following up to five redirects by hand: on the same origin
    /// with the connection's credential again, to another origin with none of it (no header,
    /// query or form credential, no `Authorization` or `Cookie` the script set, no `Referer`).
    /// 303 (and 301/302 after a POST) become a GET without a body, as browsers do.
    pub(super) fn send(
        &self,
        p: &Prepared,
        cred: Option<&Credential>,
        note: &mut dyn FnMut(&str),
    ) -> Result<Response, Error> {
        let origin = p.url.origin();
        let mut hop = Hop { url: p.url.clone(), method: p.method, body: true, first: true, cred, foreign: false };
        for n in 0..=MAX_REDIRECTS {
            let r = self.throttled_exchange(p, &hop, note)?;
            let location = r.headers.iter().find(|(k, _)| k == "location").map(|(_, v)| v.clone());
            let (true, Some(location)) =
                (matches!(r.status, 301 | 302 | 303 | 307 | 308) && n < MAX_REDIRECTS, location)
            else {
                return Ok(r);
            };
            let Ok(next) = hop.url.join(&location) else { return Ok(r) };
            if !matches!(next.scheme(), "http" | "https") {
                return Ok(r);
            }
            let foreign = hop.foreign || next.origin() != origin;
            if self.trace {
                let what = if foreign { " (another origin: no credential goes with it)" } else { "" };
                note(&format!("trace: redirect {} -> {}{what}", r.status, redact(&next, &[])));
            }
            let to_get = r.status == 303 || (matches!(r.status, 301 | 302) && hop.method == Method::Post);
            hop = Hop {
                url: next,
                method: if to_get { Method::Get } else { hop.method },
                body: hop.body && !to_get,
                first: false,
                cred: if foreign { None } else { cred },
                foreign,
            };
        }
        unreachable!("the loop returns on its last hop")
    }

    /// One request through the batch's throttle, when there is one: a token before each send,
    /// and a 429 sent again after the throttle's wait.
    fn throttled_exchange(&self, p: &Prepared, hop: &Hop, note: &mut dyn FnMut(&str)) -> Result<Response, Error> {
        let Some(t) = &self.throttle else { return self.exchange(p, hop, note) };
        for attempt in 0.. {
            t.acquire(p.connection.as_deref(), hop.url.as_str());
            let r = self.exchange(p, hop, note)?;
            match (r.status == 429).then(|| t.after_429(attempt, response::retry_after(&r))).flatten() {
                Some(wait) => std::thread::sleep(wait),
                None => return Ok(r),
            }
        }
        unreachable!("the loop returns")
    }

    /// One request and its answer.
    fn exchange(&self, p: &Prepared, hop: &Hop, note: &mut dyn FnMut(&str)) -> Result<Response, Error> {
        let (rt, http) = (self.rt.as_ref().expect("runtime"), self.http.as_ref().expect("client"));
        let mut url = hop.url.clone();
        if hop.first && !p.query.is_empty() {
            url.query_pairs_mut().extend_pairs(p.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        let mut headers = p.headers.clone();
        if hop.foreign {
            headers.retain(|(k, _)| {
                !["authorization", "proxy-authorization", "cookie"].contains(&k.to_ascii_lowercase().as_str())
            });
        }
        let mut body_form = match &p.body {
            Body::Form(f) if hop.body => Some(f.clone()),
            _ => None,
        };
        let mut secret_params: Vec<String> = Vec::new();
        if let Some(c) = hop.cred {
            attach(c, p, &mut url, &mut headers, &mut body_form, &mut secret_params)?;
        }
        let method = hop.method;
        let kept = self.cassette.as_ref().map(|_| super::cassette::request_of(p, hop, &url, &body_form, &headers));
        if let (Some(c), Some((key, _))) = (&self.cassette, &kept) {
            let mut c = c.lock().map_err(|_| Error::runtime("the cassette is unusable after a panic"))?;
            if c.replaying() {
                let r = c.answer(key)?;
                if self.trace {
                    note(&format!("trace: {} {} -> {} from the cassette", method.name(), key.url, r.status));
                }
                return Ok(r);
            }
        }
        let mut rb = http.request(method.reqwest(), url.clone());
        for (k, v) in &headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        rb = match (&p.body, body_form) {
            (_, Some(form)) => rb.form(&form),
            (_, None) if !hop.body => rb,
            (Body::Raw(text), None) => rb.body(text.clone()),
            (Body::Multipart(fields, parts), None) => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in fields {
                    form = form.text(k.clone(), v.clone());
                }
                for part in parts {
                    let mut pt = reqwest::multipart::Part::bytes(part.bytes.clone()).file_name(part.name.clone());
                    if !part.content_type.is_empty() {
                        pt = pt.mime_str(&part.content_type).map_err(|e| {
                            Error::runtime(format!("invokeurl: bad file type '{}' ({e})", part.content_type))
                        })?;
                    }
                    form = form.part(part.field.clone(), pt);
                }
                rb.multipart(form)
            }
            _ => rb,
        };
        let shown = redact(&url, &secret_params);
        let (allowed, by_deadline) = self.time_allowed();
        if by_deadline && allowed.is_zero() {
            return Err(self.deadline_error());
        }
        let started = Instant::now();
        let cap = p.download_cap;
        let result = rt.block_on(async {
            let exchange = async { response::read(rb.send().await.map_err(Failure::Transport)?, cap).await };
            tokio::time::timeout(allowed, exchange).await.unwrap_or(Err(Failure::TimedOut))
        });
        let ms = started.elapsed().as_millis();
        let why = match result {
            Ok(r) => {
                if let (Some(c), Some((key, secrets))) = (&self.cassette, kept) {
                    if let Ok(mut c) = c.lock() {
                        c.keep(key, &r, &secrets);
                    }
                }
                if self.trace {
                    let retry = response::retry_after(&r).map(|s| format!(" (Retry-After: {s})")).unwrap_or_default();
                    note(&format!("trace: {} {shown} -> {} in {ms} ms{retry}", method.name(), r.status));
                }
                return Ok(r);
            }
            Err(Failure::TimedOut) if by_deadline => {
                if self.trace {
                    note(&format!("trace: {} {shown} -> stopped by --timeout after {ms} ms", method.name()));
                }
                return Err(self.deadline_error());
            }
            Err(Failure::TimedOut) => {
                format!("timed out: no full answer within {} s (Zoho's limit)", INVOKE_TIMEOUT.as_secs())
            }
            Err(Failure::TooLarge(cap)) => format!(
                "the answer is larger than {} MB, Zoho's download limit for {}",
                cap / (1024 * 1024),
                if cap == response::ZOHO_DOWNLOAD_CAP { "Zoho's hosts" } else { "hosts outside Zoho" }
            ),
            Err(Failure::Transport(e)) => response::explain(&e),
        };
        if self.trace {
            note(&format!("trace: {} {shown} -> {why} after {ms} ms", method.name()));
        }
        Err(Error::runtime(format!("invokeurl {} {shown}: {why}", method.name())))
    }
}

/// Redirects followed per request, as reqwest's default policy did.
const MAX_REDIRECTS: usize = 5;

/// One hop of a request: where it goes, how, and with what.
pub(super) struct Hop<'c> {
    url: reqwest::Url,
    pub(super) method: Method,
    /// The body is sent (not after a 303).
    pub(super) body: bool,
    /// The script's own URL: its query parameters are added.
    pub(super) first: bool,
    pub(super) cred: Option<&'c Credential>,
    /// A redirect left the request's origin: the script's own credentials stay behind too.
    foreign: bool,
}

/// Where a request to one of the service's hosts really goes: a connection's `api_url`
/// replaces scheme, host and port of any of the service's API URLs; otherwise Zoho's
/// `api_domain` from the token answer replaces `https://www.zohoapis.<dc>`. Paths are kept.
fn retarget(
    url: &reqwest::Url,
    api_url: Option<&str>,
    api_domain: Option<&str>,
    svc: &crate::zoho::service::Service,
) -> Option<reqwest::Url> {
    let host = url.host_str()?;
    let ours = svc.hosts.iter().any(|h| scopes::host_matches(h, host, url.port_or_known_default()));
    let base = match (api_url, api_domain) {
        (Some(a), _) if ours => a,
        (None, Some(d)) if svc.zoho && host.starts_with("www.zohoapis.") => d,
        _ => return None,
    };
    let base = reqwest::Url::parse(base).ok()?;
    if base.host_str() == Some(host)
        && base.port_or_known_default() == url.port_or_known_default()
        && base.scheme() == url.scheme()
    {
        return None;
    }
    let mut out = url.clone();
    out.set_scheme(base.scheme()).ok()?;
    out.set_host(base.host_str()).ok()?;
    out.set_port(base.port()).ok()?;
    Some(out)
}

/// The scope refusal: names the request, the connection, the scope needed and those granted.
pub fn refusal(what: &str, link: &str, needed: &str, granted: &[String]) -> Error {
    let granted = if granted.is_empty() { "none".to_string() } else { granted.join(", ") };
    Error::runtime(format!(
        "{what} needs scope {needed}, which connection '{link}' does not grant (granted: {granted}); nothing was sent"
    ))
}

/// Put the credential where the service wants it.
fn attach(
    c: &Credential,
    p: &Prepared,
    url: &mut reqwest::Url,
    headers: &mut Vec<(String, String)>,
    form: &mut Option<Vec<(String, String)>>,
    secret_params: &mut Vec<String>,
) -> Result<(), Error> {
    let svc = &c.service;
    match (&c.secrets, svc.auth) {
        (Secrets::ApiKey(values), _) => {
            for (name, value) in values {
                let v = value.expose_secret().to_string();
                match svc.param_type {
                    ParamType::Header => {
                        // A key named like a header (`Authorization`, `X-Api-Key`) goes in it,
                        // after the service's prefix when it has one (`Bearer sk_...`).
                        let v = if svc.token_prefix.is_empty() { v } else { format!("{} {v}", svc.token_prefix) };
                        headers.push((name.clone(), v));
                    }
                    ParamType::Query => {
                        secret_params.push(name.clone());
                        url.query_pairs_mut().append_pair(name, &v);
                    }
                    ParamType::Form => form.get_or_insert_with(Vec::new).push((name.clone(), v)),
                }
            }
        }
        (Secrets::Basic { username, password }, _) => {
            use base64::Engine;
            let raw = format!("{username}:{}", password.expose_secret());
            let enc = base64::engine::general_purpose::STANDARD.encode(raw);
            headers.push(("Authorization".to_string(), format!("Basic {enc}")));
        }
        (Secrets::OAuth1 { token, token_secret }, _) => {
            let consumer_key = svc
                .consumer_key
                .as_ref()
                .map(|v| super::config::read_value(v, "consumer_key"))
                .transpose()?
                .ok_or_else(|| Error::runtime(format!("service '{}' has no consumer_key", svc.id)))?;
            let consumer_secret = svc
                .consumer_secret
                .as_ref()
                .map(|v| super::config::read_value(v, "consumer_secret"))
                .transpose()?
                .ok_or_else(|| Error::runtime(format!("service '{}' has no consumer_secret", svc.id)))?;
            let params: Vec<(String, String)> = form.clone().unwrap_or_default();
            let header = oauth1::authorization_header(
                p.method.name(),
                url.as_str(),
                &params,
                consumer_key.expose_secret(),
                &consumer_secret,
                Some(token.expose_secret()),
                Some(token_secret),
                &oauth1::new_nonce(),
                super::registry::now() as u64,
            );
            headers.push(("Authorization".to_string(), header));
        }
        (Secrets::OAuth2 { access_token, .. }, _) => {
            let value = format!("{} {}", svc.token_prefix, access_token.expose_secret());
            headers.push(("Authorization".to_string(), value));
        }
        (Secrets::None, _) => {}
    }
    Ok(())
}

/// A URL for messages and traces: query values of secret-looking parameters hidden.
pub fn redact(url: &reqwest::Url, secret_params: &[String]) -> String {
    let mut shown = url.clone();
    if !shown.username().is_empty() {
        let _ = shown.set_username("***");
    }
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if pairs.is_empty() {
        return shown.to_string();
    }
    // OAuth endpoints carry codes and client credentials in their query; other URLs keep a
    // script's harmless `code=` or `key=` as they are.
    let oauth = url.path().to_ascii_lowercase().contains("/oauth");
    shown.set_query(None);
    {
        let mut q = shown.query_pairs_mut();
        for (k, v) in &pairs {
            let secret = secret_params.iter().any(|s| s.eq_ignore_ascii_case(k)) || looks_secret(k, oauth);
            q.append_pair(k, if secret { "***" } else { v });
        }
    }
    shown.to_string()
}

/// A URL the script wrote that does not parse: its query and any `user:password@` are left out.
fn redact_url_text(s: &str) -> String {
    let s = match s.find('?') {
        Some(i) => format!("{}?...", &s[..i]),
        None => s.to_string(),
    };
    let start = s.find("://").map_or(0, |i| i + 3);
    let end = s[start..].find('/').map_or(s.len(), |i| start + i);
    match s[start..end].rfind('@') {
        Some(at) => format!("{}***@{}", &s[..start], &s[start + at + 1..]),
        None => s,
    }
}

pub(super) fn looks_secret(name: &str, oauth: bool) -> bool {
    let n = name.to_ascii_lowercase();
    let always = ["token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "signature", "authtoken"];
    always.iter().any(|s| n.contains(s))
        || matches!(n.as_str(), "key" | "appid" | "app_id" | "sig" | "auth")
        || (oauth && matches!(n.as_str(), "code" | "client_id" | "refresh_token"))
}

fn is_invalid_token(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    text.contains("INVALID_TOKEN") || text.contains("invalid_token")
}
