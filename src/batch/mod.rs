//! `dg batch`: a function run once per JSONL record on worker threads (each with its own
//! interpreter), under a shared rate limit, with every outcome kept in a SQLite journal.

mod journal;
mod limiter;
mod progress;

use crate::error::Error;
use crate::eval::{Interp, Limits};
use crate::host::Host;
use crate::integrations::net_host::{NetHost, StartSandbox};
use crate::syntax::{self, ast::Script, SourceFile};
use journal::{Journal, Row};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};

pub use journal::status;

/// What `dg batch` was asked to do.
pub struct Options {
    pub file: PathBuf,
    /// The JSONL file, or `-` for stdin.
    pub over: String,
    pub function: Option<String>,
    pub param: Option<String>,
    pub concurrency: usize,
    pub rate: Option<String>,
    pub sandbox: Option<StartSandbox>,
    pub connections: Option<PathBuf>,
    pub timeout: Option<f64>,
    pub statement_limit: Option<u64>,
    pub journal: Option<PathBuf>,
    pub resume: bool,
    pub retry_failed: bool,
    pub out: Option<PathBuf>,
    pub engine: Option<String>,
}

/// One record to run.
struct Job {
    line: i64,
    text: String,
    hash: String,
}

/// What every worker shares.
struct Shared {
    script_name: String,
    script_text: String,
    function: String,
    param: String,
    limits: Limits,
    connections: Option<PathBuf>,
    sandbox: Option<StartSandbox>,
    limiter: Arc<limiter::Limiter>,
    journal: PathBuf,
    jobs: Vec<Job>,
    next: AtomicUsize,
}

enum Event {
    Finished { line: i64, error: Option<String> },
    Fatal(String),
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Run the batch; the final summary goes to `out`, errors to `err`. Returns the exit code.
pub fn run(opts: &Options, out: &mut dyn FnMut(&str), err: &mut String) -> i32 {
    match run_inner(opts, out, err) {
        Ok(code) => code,
        Err(e) => {
            err.push_str(&e.render(None));
            e.exit_code()
        }
    }
}

fn run_inner(opts: &Options, out: &mut dyn FnMut(&str), err: &mut String) -> Result<i32, Error> {
    if let Some(engine) = &opts.engine {
        return Err(match engine.strip_prefix("temporal://") {
            Some(_) => Error::usage(format!(
                "--engine {engine}: the Temporal engine is not built yet; dg batch runs on its local runner only (leave out --engine)"
            )),
            None => Error::usage(format!("--engine {engine}: unknown engine (only temporal://HOST:PORT is planned)")),
        });
    }
    if opts.concurrency == 0 {
        return Err(Error::usage("--concurrency needs at least 1"));
    }
    if opts.resume && opts.retry_failed {
        return Err(Error::usage(
            "--resume and --retry-failed do not go together (--resume reruns failed records too)",
        ));
    }
    if let Some(t) = opts.timeout {
        if !(t > 0.0 && t.is_finite()) {
            return Err(Error::usage("--timeout needs a positive number of seconds"));
        }
    }
    let rate = opts.rate.as_deref().map(limiter::parse_rate).transpose()?;
    let text = std::fs::read_to_string(&opts.file)
        .map_err(|e| Error::usage(format!("cannot read {}: {e}", opts.file.display())))?;
    let src = SourceFile::new(opts.file.display().to_string(), text.clone());
    let script = syntax::parse(&src)
        .map_err(|e| Error::usage(e.render(Some(&src)).trim_end().trim_start_matches("error: ").to_string()))?;
    let (function, param) = pick_function(&script, opts, &src)?;

    let input = read_input(&opts.over)?;
    let input_hash = sha256(&input);
    let _temp; // a journal for stdin without --journal lives as long as the run
    let journal_path = match (&opts.journal, opts.over.as_str()) {
        (Some(p), _) => p.clone(),
        (None, "-") => {
            let t = tempfile::NamedTempFile::new().map_err(|e| Error::runtime(format!("journal: {e}")))?;
            let p = t.path().to_path_buf();
            _temp = t;
            p
        }
        (None, over) => PathBuf::from(format!("{over}.journal")),
    };
    let mut journal = Journal::open(&journal_path)?;
    let known = journal.statuses()?;
    match journal.meta("input_hash")? {
        Some(h) if h != input_hash => {
            return Err(Error::usage(format!(
                "journal {} was written for another input (its records' file has changed or is another file): use another --journal, or delete it to start over",
                journal_path.display()
            )))
        }
        Some(_) if !known.is_empty() && !opts.resume && !opts.retry_failed => {
            return Err(Error::usage(format!(
                "journal {} already holds {} records of this input: --resume skips the done ones, --retry-failed reruns the failed ones (or delete it to start over)",
                journal_path.display(),
                known.len()
            )))
        }
        _ => {
            journal.set_meta("input_hash", &input_hash)?;
            journal.set_meta("input", &opts.over)?;
            journal.set_meta("script", &opts.file.display().to_string())?;
            journal.set_meta("function", &function)?;
        }
    }

    // Which records run, and which lines are set aside as malformed.
    let mut jobs = Vec::new();
    let mut malformed = Vec::new();
    let mut skipped = 0u64;
    for (i, raw) in input.split(|b| *b == b'\n').enumerate() {
        let line = i as i64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let runs = match known.get(&line).map(String::as_str) {
            Some("done") => !opts.resume && !opts.retry_failed,
            Some("failed") => true,
            Some(_) | None => !opts.retry_failed,
        };
        if !runs {
            skipped += 1;
            continue;
        }
        let hash = sha256(raw);
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                malformed.push((
                    line,
                    hash,
                    format!("not UTF-8 text (invalid byte at column {})", e.valid_up_to() + 1),
                ));
                continue;
            }
        };
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
            Ok(_) => jobs.push(Job { line, text: text.to_string(), hash }),
            Err(e) if e.is_data() => {
                malformed.push((line, hash, "not a JSON object (each line must be one {...})".into()))
            }
            Err(e) => malformed.push((line, hash, format!("not JSON: {e}"))),
        }
    }
    let total = (jobs.len() + malformed.len()) as u64;
    let mut progress = progress::Progress::new(total);
    let mut failed = 0u64;
    for (line, hash, why) in &malformed {
        progress.println(&format!("error: {} line {line}: {why}", opts.over_name()));
        journal.finish(
            &Row { line: *line, status: "failed".into(), info: String::new(), result: None, error: Some(why.clone()) },
            hash,
        )?;
        failed += 1;
        progress.record(false);
    }
    let pending: Vec<(i64, String)> = jobs.iter().map(|j| (j.line, j.hash.clone())).collect();
    journal.mark_pending(&pending)?;

    let limiter = Arc::new(limiter::Limiter::new(rate));
    let sandbox = opts.sandbox.map(|start| {
        let _ = SANDBOX_START.set(start);
        shared_sandbox as StartSandbox
    });
    let workers = opts.concurrency.min(jobs.len());
    let shared = Arc::new(Shared {
        script_name: src.name().to_string(),
        script_text: text,
        function,
        param,
        limits: Limits {
            statements: opts.statement_limit,
            timeout: opts.timeout.map(std::time::Duration::from_secs_f64),
        },
        connections: opts.connections.clone(),
        sandbox,
        limiter: limiter.clone(),
        journal: journal_path.clone(),
        jobs,
        next: AtomicUsize::new(0),
    });
    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::new();
    for n in 0..workers {
        let (shared, tx) = (shared.clone(), tx.clone());
        let h = std::thread::Builder::new()
            .name(format!("dg-batch-{n}"))
            .spawn(move || worker(&shared, &tx))
            .map_err(|e| Error::runtime(format!("cannot start a worker thread: {e}")))?;
        handles.push(h);
    }
    drop(tx);
    let mut done = 0u64;
    let mut fatal = None;
    for ev in rx {
        match ev {
            Event::Finished { error: None, .. } => {
                done += 1;
                progress.record(true);
            }
            Event::Finished { line, error: Some(e) } => {
                failed += 1;
                progress.record(false);
                progress.println(&format!("error: {} line {line}: {}", opts.over_name(), first_line(&e)));
            }
            Event::Fatal(e) => {
                fatal.get_or_insert(e);
                shared.next.store(usize::MAX / 2, Ordering::SeqCst);
            }
        }
    }
    for h in handles {
        let _ = h.join();
    }
    progress.finish();
    if let Some(e) = fatal {
        return Err(Error::runtime(e));
    }
    if let Some(path) = &opts.out {
        write_out(&journal, path)?;
    }
    let mut summary = format!("{done} done, {failed} failed, {} retried (429)", limiter.retried());
    if skipped > 0 {
        summary.push_str(&format!("; {skipped} records skipped (already in the journal)"));
    }
    out(&summary);
    let _ = err;
    let c = journal.counts()?;
    Ok(if c.failed + c.pending > 0 { 1 } else { 0 })
}

/// An error's first line, with where in the script it happened (`f.dg:6:7`).
pub(crate) fn first_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or("").trim_start_matches("error: ").to_string();
    match lines.next().and_then(|l| l.trim().strip_prefix("--> ")) {
        Some(at) => format!("{first} ({at})"),
        None => first,
    }
}

impl Options {
    fn over_name(&self) -> &str {
        if self.over == "-" {
            "stdin"
        } else {
            &self.over
        }
    }
}

fn read_input(over: &str) -> Result<Vec<u8>, Error> {
    if over == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| Error::usage(format!("cannot read the records from stdin: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(over).map_err(|e| Error::usage(format!("cannot read {over}: {e}")))
}

/// The function to call and the parameter each record is bound to.
fn pick_function(script: &Script, opts: &Options, src: &SourceFile) -> Result<(String, String), Error> {
    let f = match &opts.function {
        Some(name) => {
            let short = name.rsplit('.').next().unwrap_or(name);
            script.functions.iter().find(|f| f.name.eq_ignore_ascii_case(short)).ok_or_else(|| {
                Error::usage(format!("no function named '{name}' in {}", src.name()))
            })?
        }
        None => script.functions.first().ok_or_else(|| {
            Error::usage(format!(
                "{} defines no function: dg batch calls a function once per record, such as `void process(map record) {{ ... }}`",
                src.name()
            ))
        })?,
    };
    let list = f.params.iter().map(|p| format!("{} {}", p.type_name, p.var.name)).collect::<Vec<_>>().join(", ");
    let shown = format!("{}({list})", f.name);
    let param = match (&opts.param, f.params.as_slice()) {
        (Some(name), params) => params
            .iter()
            .find(|p| p.var.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::usage(format!("--param {name}: {shown} has no parameter of that name")))?,
        (None, [p]) => p,
        (None, []) => {
            return Err(Error::usage(format!(
                "{shown} takes no parameter: dg batch binds each record (a map) to the function's map parameter"
            )))
        }
        (None, _) => {
            return Err(Error::usage(format!(
                "{shown} takes several parameters: name the one each record is bound to with --param NAME"
            )))
        }
    };
    if !param.type_name.eq_ignore_ascii_case("map") {
        return Err(Error::usage(format!(
            "{shown}: parameter '{}' is a {}, but each record is a map: declare it `map {}`",
            param.var.name, param.type_name, param.var.name
        )));
    }
    Ok((f.name.to_string(), param.var.name.to_string()))
}

/// `--sandbox`: one sandbox for the whole batch, started by the first worker that needs it.
static SANDBOX_START: OnceLock<StartSandbox> = OnceLock::new();
static SANDBOX: OnceLock<Result<crate::integrations::net_host::SandboxTarget, String>> = OnceLock::new();

fn shared_sandbox() -> Result<crate::integrations::net_host::SandboxTarget, Error> {
    SANDBOX
        .get_or_init(|| match SANDBOX_START.get() {
            Some(start) => start().map_err(|e| e.message().to_string()),
            None => Err("the sandbox was not set up".into()),
        })
        .clone()
        .map_err(Error::runtime)
}

/// A worker's output sink: `info` lines of the record being run.
struct Sink(Rc<RefCell<Vec<String>>>);

impl Host for Sink {
    fn info(&mut self, line: &str) {
        self.0.borrow_mut().push(line.to_string());
    }
    fn note(&mut self, _line: &str) {}
}

/// One worker thread: its own parse, interpreter per record, network host and journal
/// connection; it takes the next record until none is left.
fn worker(shared: &Shared, tx: &mpsc::Sender<Event>) {
    let journal = match Journal::open(&shared.journal) {
        Ok(j) => j,
        Err(e) => {
            let _ = tx.send(Event::Fatal(e.message().to_string()));
            return;
        }
    };
    let src = Rc::new(SourceFile::new(shared.script_name.clone(), shared.script_text.clone()));
    let script = match syntax::parse(&src) {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(Event::Fatal(e.message().to_string()));
            return;
        }
    };
    let lines = Rc::new(RefCell::new(Vec::new()));
    let mut sink = Sink(lines.clone());
    let throttle: Arc<dyn crate::integrations::net_host::Throttle> = shared.limiter.clone();
    let mut net = NetHost::new(&mut sink, shared.connections.clone(), false, shared.sandbox).with_throttle(throttle);
    loop {
        let i = shared.next.fetch_add(1, Ordering::SeqCst);
        let Some(job) = shared.jobs.get(i) else { return };
        net.restart_deadline(shared.limits.timeout);
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_record(&mut net, &src, &script, shared, job)))
                .unwrap_or_else(|_| Err("internal error: the interpreter panicked on this record".into()));
        let info = std::mem::take(&mut *lines.borrow_mut()).join("\n");
        let row = match &result {
            Ok(v) => Row { line: job.line, status: "done".into(), info, result: v.clone(), error: None },
            Err(e) => Row { line: job.line, status: "failed".into(), info, result: None, error: Some(e.clone()) },
        };
        if let Err(e) = journal.finish(&row, &job.hash) {
            let _ = tx.send(Event::Fatal(e.message().to_string()));
            return;
        }
        if tx.send(Event::Finished { line: job.line, error: result.err() }).is_err() {
            return;
        }
    }
}

/// Call the function on one record: its result as JSON (none for a void function), or the
/// error as `dg run` renders it.
fn run_record(
    net: &mut NetHost,
    src: &Rc<SourceFile>,
    script: &Script,
    shared: &Shared,
    job: &Job,
) -> Result<Option<String>, String> {
    let record = crate::value::from_json(&job.text).map_err(|e| format!("error: not JSON: {}", e.0))?;
    let mut interp = Interp::new(net, src.clone(), shared.limits.clone());
    interp.define(script);
    let f = interp.function(&shared.function).ok_or("error: the function is gone")?;
    let v = interp
        .call_named(&f, &[(shared.param.clone(), record)])
        .map_err(|e| e.render(Some(src)).trim_end().to_string())?;
    Ok((!f.return_type.eq_ignore_ascii_case("void")).then(|| v.to_json()))
}

/// `--out FILE`: every record of the journal as one JSON line.
fn write_out(journal: &Journal, path: &Path) -> Result<(), Error> {
    let mut text = String::new();
    for r in journal.rows()? {
        let result: serde_json::Value = r
            .result
            .as_deref()
            .map(|t| serde_json::from_str(t).unwrap_or_else(|_| serde_json::Value::String(t.to_string())))
            .unwrap_or(serde_json::Value::Null);
        let mut obj = serde_json::Map::new();
        obj.insert("line".into(), r.line.into());
        obj.insert("status".into(), r.status.into());
        obj.insert("result".into(), result);
        obj.insert("info".into(), r.info.into());
        obj.insert("error".into(), r.error.map(serde_json::Value::String).unwrap_or(serde_json::Value::Null));
        text.push_str(&serde_json::Value::Object(obj).to_string());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| Error::usage(format!("cannot write {}: {e}", path.display())))
}
