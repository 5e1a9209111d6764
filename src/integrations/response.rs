//! An invokeurl answer: read within Zoho's download caps, failures explained in one line
//! (never with the URL, which may hold a key), and turned into a Deluge value.

use super::http::Prepared;
use crate::value::{from_json, new_map, FileData, Key, Value};
use std::rc::Rc;

/// Zoho's download cap for answers from Zoho's own hosts (outside Creator) ...
pub const ZOHO_DOWNLOAD_CAP: usize = 15 * 1024 * 1024;
/// ... and for every other host.
pub const OTHER_DOWNLOAD_CAP: usize = 5 * 1024 * 1024;

/// The download cap for a request to `url` (decided on the URL the script wrote, before a
/// connection's `api_url` or the sandbox retargets it).
pub fn download_cap(url: &reqwest::Url) -> usize {
    match url.host_str() {
        Some(h) if super::offline::is_zoho_host(h) => ZOHO_DOWNLOAD_CAP,
        _ => OTHER_DOWNLOAD_CAP,
    }
}

pub(super) struct Response {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

/// Why an answer could not be had.
pub(super) enum Failure {
    Transport(reqwest::Error),
    /// The answer is larger than the cap (in bytes).
    TooLarge(usize),
    /// No full answer before the time allowed ran out.
    TimedOut,
}

/// Read an answer's status, headers and body, stopping as soon as the body passes `cap`.
pub(super) async fn read(mut resp: reqwest::Response, cap: usize) -> Result<Response, Failure> {
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(Failure::TooLarge(cap));
    }
    let status = resp.status().as_u16();
    let headers: Vec<(String, String)> = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(Failure::Transport)? {
        if body.len() + chunk.len() > cap {
            return Err(Failure::TooLarge(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response { status, headers, body })
}

/// A transport failure in words: what went wrong, then the innermost cause (an OS or TLS
/// message such as "Connection refused" or "invalid peer certificate: UnknownIssuer").
pub(super) fn explain(e: &reqwest::Error) -> String {
    let mut cause = None;
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = Some(s.to_string());
        source = s.source();
    }
    // a cause that quotes a URL could carry a key: leave it out; the OS error number is noise
    let cause = cause.filter(|c| !c.contains("://")).map(|c| match c.find(" (os error ") {
        Some(i) if c.ends_with(')') => c[..i].to_string(),
        _ => c,
    });
    // rustls's words for a failed handshake
    let tls = cause.as_deref().is_some_and(|c| {
        let c = c.to_ascii_lowercase();
        ["certificate", "tls", "handshake", "corrupt message", "fatal alert", "peer is incompatible", "peer misbehaved"]
            .iter()
            .any(|w| c.contains(w))
    });
    let what = if e.is_timeout() {
        "timed out"
    } else if tls {
        "the TLS handshake failed"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else if e.is_redirect() {
        "too many redirects"
    } else {
        "the request failed"
    };
    match cause {
        Some(c) => format!("{what} ({c})"),
        None => what.to_string(),
    }
}

/// `Retry-After` of a 429 or 503 answer, for `--trace`.
pub(super) fn retry_after(r: &Response) -> Option<&str> {
    if !matches!(r.status, 429 | 503) {
        return None;
    }
    r.headers.iter().find(|(k, _)| k == "retry-after").map(|(_, v)| v.as_str())
}

impl Response {
    /// JSON answers become maps and lists, other text stays text, binary becomes a File;
    /// `detailed: true` wraps it with the status and lower-case headers.
    pub(super) fn into_value(self, p: &Prepared) -> Value {
        let content_type = self
            .headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.to_ascii_lowercase())
            .unwrap_or_default();
        let text = std::str::from_utf8(&self.body).ok();
        let is_text_type = content_type.is_empty()
            || content_type.starts_with("text/")
            || content_type.contains("json")
            || content_type.contains("xml")
            || content_type.contains("javascript")
            || content_type.contains("x-www-form-urlencoded");
        let value = match text {
            Some(t) if !p.as_file && is_text_type => {
                let trimmed = t.trim_start();
                if content_type.contains("json") || trimmed.starts_with('{') || trimmed.starts_with('[') {
                    from_json(t).unwrap_or_else(|_| Value::text(t))
                } else {
                    Value::text(t)
                }
            }
            _ => Value::File(Rc::new(FileData::new(file_name(&p.url, &self.headers), content_type, self.body.clone()))),
        };
        if !p.detailed {
            return value;
        }
        let mut hdrs = new_map(self.headers.len());
        for (k, v) in &self.headers {
            let v = if k == "authorization" || k == "proxy-authorization" { "***".to_string() } else { v.clone() };
            hdrs.insert(Key::text(k), Value::from_string(v));
        }
        let mut m = new_map(3);
        m.insert(Key::text("responseText"), value);
        m.insert(Key::text("responseHeader"), Value::map(hdrs));
        m.insert(Key::text("responseCode"), Value::Int(self.status as i64));
        Value::map(m)
    }
}

fn file_name(url: &reqwest::Url, headers: &[(String, String)]) -> String {
    if let Some((_, cd)) = headers.iter().find(|(k, _)| k == "content-disposition") {
        if let Some(i) = cd.find("filename=") {
            return cd[i + 9..].trim_matches(|c| c == '"' || c == ';' || c == ' ').to_string();
        }
    }
    url.path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "download".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoho_hosts_get_the_larger_cap() {
        let cap = |u: &str| download_cap(&reqwest::Url::parse(u).unwrap());
        assert_eq!(cap("https://www.zohoapis.com/crm/v8/Leads"), ZOHO_DOWNLOAD_CAP);
        assert_eq!(cap("https://workdrive.zoho.eu/api/v1/download/x"), ZOHO_DOWNLOAD_CAP);
        assert_eq!(cap("https://api.example.com/file"), OTHER_DOWNLOAD_CAP);
        assert_eq!(cap("https://zoho.example.com/file"), OTHER_DOWNLOAD_CAP);
        assert_eq!(cap("http://127.0.0.1:8080/file"), OTHER_DOWNLOAD_CAP);
    }
}
