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

/// Zoho's cap on the `info` output of one run: 500 KB ...
pub const INFO_CAP: usize = 500 * 1024;
/// ... past which the output is cut and ends with this note (Zoho's words).
pub const INFO_TRUNCATED: &str = "The info message has been truncated because its size exceeded 500 KB.";

/// Counts a run's `info` output against `INFO_CAP` (each line with its newline).
#[derive(Default)]
pub struct InfoCap {
    used: usize,
    truncated: bool,
}

impl InfoCap {
    /// Pass `line` on within the cap: past it, the part that fits, then the note, then nothing.
    pub fn pass(&mut self, line: &str, out: &mut dyn FnMut(&str)) {
        if self.truncated {
            return;
        }
        let need = line.len() + 1;
        if self.used + need <= INFO_CAP {
            self.used += need;
            out(line);
            return;
        }
        let mut cut = INFO_CAP.saturating_sub(self.used + 1).min(line.len());
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut > 0 {
            out(&line[..cut]);
        }
        out(INFO_TRUNCATED);
        self.truncated = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[String]) -> String {
        let mut cap = InfoCap::default();
        let mut out = String::new();
        for l in lines {
            cap.pass(l, &mut |s| {
                out.push_str(s);
                out.push('\n');
            });
        }
        out
    }

    #[test]
    fn output_up_to_the_cap_passes_whole() {
        let line = "x".repeat(1023);
        let lines = vec![line; INFO_CAP / 1024];
        assert_eq!(run(&lines).len(), INFO_CAP);
        assert!(!run(&lines).contains(INFO_TRUNCATED));
    }

    #[test]
    fn output_past_the_cap_is_cut_with_zohos_note() {
        let lines = vec!["é".repeat(700); 1000];
        let out = run(&lines);
        assert!(out.ends_with(&format!("{INFO_TRUNCATED}\n")), "{}", &out[out.len() - 100..]);
        assert_eq!(out.matches(INFO_TRUNCATED).count(), 1);
        let kept = out.len() - INFO_TRUNCATED.len() - 1;
        assert!(kept <= INFO_CAP && kept > INFO_CAP - 4, "{kept}");
    }
}
