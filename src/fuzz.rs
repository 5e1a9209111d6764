//! The bodies of the fuzz targets in `fuzz/` and of `tests/fuzz_corpus.rs`, which replays
//! their corpus: each takes arbitrary bytes and must return, whatever they are, without a
//! panic, a stack overflow or a hang. Not a stable API.

use crate::eval::{Interp, Limits};
use crate::host::CaptureHost;
use crate::syntax::{self, SourceFile};
use crate::value::{self, time, Value};
use std::rc::Rc;
use std::time::Duration;

/// Statements one evaluator input may run.
pub const STATEMENT_LIMIT: u64 = 5_000;
/// Wall-clock time one evaluator input may take (a guard: the statement limit comes first).
pub const TIME_LIMIT: Duration = Duration::from_secs(2);

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Parse a script; print its tree when it parses, render the error when it does not.
pub fn parser(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let src = SourceFile::new("fuzz.dg", text);
    let _ = syntax::is_incomplete(text);
    match syntax::parse(&src) {
        Ok(script) => {
            let _ = syntax::print::script(&script);
        }
        Err(e) => {
            let _ = e.render(Some(&src));
        }
    }
}

/// Parse and run a script with Zoho's statement limit and a host without network: its body,
/// or else its first function with no arguments.
pub fn evaluator(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let src = Rc::new(SourceFile::new("fuzz.dg", text));
    let Ok(script) = syntax::parse(&src) else { return };
    let mut host = CaptureHost::default();
    let limits = Limits { statements: Some(STATEMENT_LIMIT), timeout: Some(TIME_LIMIT) };
    let mut interp = Interp::new(&mut host, src.clone(), limits);
    interp.define(&script);
    let result = match script.functions.first() {
        None => interp.run_body(&script.main, &[]).map(|_| ()),
        Some(f) => interp.call_named(f, &[]).map(|v| interp.print_value(&v)),
    };
    interp.flush();
    if let Err(e) = result {
        let _ = e.render(Some(&src));
    }
}

/// JSON text to a value (`toMap`, `--arg`); a value that parsed prints as JSON that parses
/// again to an equal value.
pub fn json(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let Ok(v) = value::from_json(text) else { return };
    let printed = v.to_json();
    match value::from_json(&printed) {
        Ok(again) => assert!(value::equals(&v, &again), "{text:?} printed as {printed:?}, which reads differently"),
        Err(e) => panic!("{text:?} printed as {printed:?}, which is not JSON: {}", e.0),
    }
    let _ = v.to_text();
}

/// A connections file: parsed and validated, then each connection's service resolved.
pub fn connections_file(data: &[u8]) {
    let Some(text) = text(data) else { return };
    use crate::integrations::config::ConnectionsFile;
    match ConnectionsFile::parse(text, std::path::Path::new("fuzz.toml")) {
        Ok(file) => {
            for conn in file.connections.values() {
                let _ = file.service_of(conn);
            }
        }
        Err(e) => {
            let _ = e.render(None);
        }
    }
}

/// Date texts, alone and with a Java pattern (the input is `text NUL pattern`), then what
/// scripts do with a parsed date: print it, format it, shift it, count between.
pub fn dates(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (s, pattern) = text.split_once('\0').unwrap_or((text, "dd-MMM-yyyy HH:mm:ss"));
    let n = s.bytes().fold(0i64, |acc, b| acc.wrapping_mul(31).wrapping_add(b as i64)) % 100_000;
    for m in [time::parse_moment(s), time::parse_with_pattern(s, pattern)].into_iter().flatten() {
        let dt = m.to_datetime();
        let _ = time::format_date(dt.date());
        let _ = time::format_datetime(dt);
        let _ = time::format_pattern(dt, pattern, "UTC", Some("Asia/Kolkata"));
        let _ = time::unix_epoch_millis(dt, Some("America/New_York"));
        let _ = time::week_of_year(dt.date());
        for shifted in [
            time::add_days(dt, n),
            time::add_months(dt, n),
            time::add_years(dt, n / 100),
            time::add_seconds(dt, n * 1000),
            time::add_business_days(dt, n / 10),
        ]
        .into_iter()
        .flatten()
        {
            let _ = time::days_between(dt, shifted);
            let _ = time::months_between(dt, shifted);
            let _ = time::millis_between(dt, shifted);
        }
        let _ = Value::DateTime(dt).to_text();
    }
}

/// Open a document, apply edits cut from the input at pseudo-random positions, and send every
/// request after each edit (`dg lsp`'s document-change path).
pub fn lsp(data: &[u8]) {
    crate::lsp::fuzz_edits(data);
}
