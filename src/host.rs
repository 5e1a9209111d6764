//! What a script may ask of the world: the output sink, diagnostics, the clock, system
//! values and the network. The interpreter stays synchronous and never does I/O itself.

use crate::error::{Error, Result};
use crate::value::Value;
use std::io::Write;

/// One `invokeurl [...]` block, its keys evaluated (key names lower-case).
#[derive(Debug, Default)]
pub struct HttpRequest {
    pub pairs: Vec<(String, Value)>,
}

/// The services a running script uses. Tests capture output with `CaptureHost`.
pub trait Host {
    /// One `info` line (without its newline).
    fn info(&mut self, line: &str);
    /// A diagnostic line for stderr (sendmail previews, limit notes).
    fn note(&mut self, line: &str);
    /// `zoho.loginuserid` and other `zoho.*` values the host knows; `None` = unknown.
    fn system_value(&mut self, _name: &str) -> Option<Value> {
        None
    }
    /// Run an `invokeurl` block.
    fn invoke_url(&mut self, _req: &HttpRequest) -> Result<Value> {
        Err(Error::runtime(
            "invokeurl is not available in this version of dg: HTTP calls through connections are not built yet",
        ))
    }
    /// Run an integration task such as `crm.getRecordById` (the path after `zoho.`).
    fn zoho_task(&mut self, path: &str, _args: &[Value]) -> Result<Value> {
        Err(Error::runtime(format!(
            "zoho.{path} is not available in this version of dg: integration tasks are not built yet"
        )))
    }
    /// Flush buffered output (called when a run ends, successfully or not).
    fn flush(&mut self) {}
}

/// The host of `dg run`: `info` to stdout (buffered), notes to stderr.
pub struct StdHost {
    out: std::io::BufWriter<std::io::Stdout>,
    pub system: Vec<(String, Value)>,
}

impl StdHost {
    pub fn new() -> StdHost {
        StdHost { out: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout()), system: Vec::new() }
    }
}

impl Default for StdHost {
    fn default() -> Self {
        StdHost::new()
    }
}

impl Host for StdHost {
    fn info(&mut self, line: &str) {
        let _ = self.out.write_all(line.as_bytes());
        let _ = self.out.write_all(b"\n");
    }
    fn note(&mut self, line: &str) {
        let _ = self.out.flush();
        eprintln!("{line}");
    }
    fn system_value(&mut self, name: &str) -> Option<Value> {
        self.system.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }
    fn flush(&mut self) {
        let _ = self.out.flush();
    }
}

/// A host that keeps output in memory (tests, the golden suite).
#[derive(Default)]
pub struct CaptureHost {
    pub out: String,
    pub notes: String,
}

impl Host for CaptureHost {
    fn info(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }
    fn note(&mut self, line: &str) {
        self.notes.push_str(line);
        self.notes.push('\n');
    }
}
