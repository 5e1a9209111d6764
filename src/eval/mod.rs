//! The interpreter: the slot-resolved AST is compiled once into a tree of closures (each node
//! specialised for its operator and operand shapes), which then runs against a host, with the
//! statement budget, the call-depth limit and the wall-clock deadline.

mod budget;
mod call;
mod code;
mod expr;
mod int;
mod ops;
mod stmt;

pub use budget::Budget;
pub(crate) use call::{CREATOR_FUNCTIONS, WEB_FUNCTIONS};

use crate::error::{Error, Result};
use crate::host::Host;
use crate::syntax::ast::{Body, Function, Script, Span};
use crate::syntax::SourceFile;
use crate::value::{new_map, Key, Value};
use code::{Block, Compiler};
use std::collections::HashMap;
use std::rc::Rc;

/// Function calls nest at most this deep (Zoho).
pub const MAX_CALL_DEPTH: usize = 75;

/// How a run is limited.
#[derive(Clone, Debug, Default)]
pub struct Limits {
    /// `--statement-limit N`
    pub statements: Option<u64>,
    /// `--timeout SECONDS`
    pub timeout: Option<std::time::Duration>,
}

/// A variable frame: one slot per name of the body; `None` = never assigned.
pub type Frame = Vec<Option<Value>>;

/// Control flow out of a statement.
pub(crate) enum Flow {
    Next,
    Break,
    Continue,
    Return(Value),
}

/// A script function and its compiled body (compiled on its first call).
struct FnEntry {
    def: Rc<Function>,
    code: Option<Rc<Block>>,
}

/// Runs one script's functions against a host.
pub struct Interp<'h> {
    host: &'h mut dyn Host,
    source: Rc<SourceFile>,
    /// Script functions, and their index by lower-case short name.
    fns: Vec<FnEntry>,
    fn_index: HashMap<String, usize>,
    pub budget: Budget,
    depth: usize,
    /// Reused buffer for `info` text.
    line: String,
    /// Zoho's 500 KB cap on a run's `info` output, kept here so every host has it.
    info_cap: crate::host::InfoCap,
    /// Reused buffer for text built by `+` (the result is copied out once, into its value).
    scratch: String,
    /// Reused argument stack for built-in calls (no allocation per call).
    stack: Vec<Value>,
    /// Frames of returned calls, kept for the next call (no allocation per call).
    spare_frames: Vec<Frame>,
    /// `zoho.*` values given on the command line (`--arg zoho.loginuserid=...`).
    system: Vec<(String, Value)>,
    /// The process ends after this run: the script's variables are not freed one by one.
    exit_after_run: bool,
    /// Line coverage, when counted: statements run per 1-based line of the source.
    line_hits: Option<Vec<u64>>,
}

impl<'h> Interp<'h> {
    pub fn new(host: &'h mut dyn Host, source: Rc<SourceFile>, limits: Limits) -> Interp<'h> {
        Interp {
            host,
            source,
            fns: Vec::new(),
            fn_index: HashMap::new(),
            budget: Budget::new(limits),
            depth: 0,
            line: String::new(),
            info_cap: crate::host::InfoCap::default(),
            scratch: String::new(),
            stack: Vec::with_capacity(64),
            spare_frames: Vec::new(),
            system: Vec::new(),
            exit_after_run: false,
            line_hits: None,
        }
    }

    /// Count, per line of the source, the statements that begin there as they run (line
    /// coverage). Call before running anything: code compiled earlier is not counted.
    pub fn count_lines(&mut self) {
        self.line_hits.get_or_insert_with(Vec::new);
    }

    /// Statements run per line (index = 1-based line), when `count_lines` was called.
    pub fn line_hits(&self) -> Option<&[u64]> {
        self.line_hits.as_deref()
    }

    fn hit_line(&mut self, line: usize) {
        if let Some(hits) = &mut self.line_hits {
            if hits.len() <= line {
                hits.resize(line + 1, 0);
            }
            hits[line] += 1;
        }
    }

    /// The process exits when the run ends (`dg run`): the top-level variables are left for
    /// the OS to reclaim, as freeing a large data set value by value can take longer than
    /// building it.
    pub fn exit_after_run(&mut self) {
        self.exit_after_run = true;
    }

    /// Make the script's function definitions callable by name.
    pub fn define(&mut self, script: &Script) {
        for f in &script.functions {
            let entry = FnEntry { def: Rc::new(f.clone()), code: None };
            match self.fn_index.get(&f.name.to_ascii_lowercase()) {
                Some(&i) => self.fns[i] = entry,
                None => {
                    self.fn_index.insert(f.name.to_ascii_lowercase(), self.fns.len());
                    self.fns.push(entry);
                }
            }
        }
    }

    /// Set a `zoho.NAME` value (`loginuserid`, `adminuserid`, ...).
    pub fn set_system_value(&mut self, name: &str, v: Value) {
        self.system.push((name.to_ascii_lowercase(), v));
    }

    /// Print a value as `info` would (a function's return value).
    pub fn print_value(&mut self, v: &Value) {
        let text = v.to_text();
        let host = &mut *self.host;
        self.info_cap.pass(&text, &mut |l| host.info(l));
    }

    pub fn source(&self) -> &SourceFile {
        &self.source
    }

    /// Run a body of statements; `inputs` bind variables by name before it starts.
    pub fn run_body(&mut self, body: &Body, inputs: &[(String, Value)]) -> Result<Option<Value>> {
        let mut frame: Frame = vec![None; body.slots.len()];
        for (name, v) in inputs {
            if let Some(i) = body.slots.iter().position(|s| &**s == name) {
                frame[i] = Some(v.clone());
            }
        }
        let result = self.run_in_frame(body, &mut frame);
        if self.exit_after_run {
            std::mem::forget(frame);
        }
        result
    }

    /// Run a body in an existing frame (the REPL keeps one across entries).
    pub fn run_in_frame(&mut self, body: &Body, frame: &mut Frame) -> Result<Option<Value>> {
        if frame.len() < body.slots.len() {
            frame.resize(body.slots.len(), None);
        }
        let code = self.compiler().block(&body.stmts);
        match code.run(self, frame)? {
            Flow::Return(v) => Ok(Some(v)),
            _ => Ok(None),
        }
    }

    /// Find a defined function by name (with or without its namespace).
    pub fn function(&self, name: &str) -> Option<Rc<Function>> {
        self.function_index(name).map(|i| self.fns[i].def.clone())
    }

    fn function_index(&self, name: &str) -> Option<usize> {
        if self.fns.is_empty() {
            return None;
        }
        let short = name.rsplit('.').next().unwrap_or(name);
        self.fn_index.get(&short.to_ascii_lowercase()).copied()
    }

    /// Call a defined function with named inputs (`--arg NAME=VALUE` binds parameters).
    pub fn call_named(&mut self, f: &Function, inputs: &[(String, Value)]) -> Result<Value> {
        let args: Vec<Value> = f
            .params
            .iter()
            .map(|p| inputs.iter().find(|(n, _)| *n == *p.var.name).map(|(_, v)| v.clone()).unwrap_or(Value::Null))
            .collect();
        match self.function_index(&f.name) {
            Some(i) => self.call_function(i, args, f.span),
            _ => {
                // A function that was not defined in this interpreter: define it first.
                self.define(&Script { main: Body::default(), functions: vec![f.clone()] });
                let i = self.function_index(&f.name).expect("just defined");
                self.call_function(i, args, f.span)
            }
        }
    }

    /// A note on stderr when the run passed Zoho's statement limits (section 8).
    pub fn limit_note(&mut self) {
        if let Some(note) = self.budget.zoho_note() {
            self.host.note(&note);
        }
    }

    pub fn flush(&mut self) {
        self.host.flush();
    }

    fn compiler(&self) -> Compiler<'_> {
        let coverage = self.line_hits.is_some().then_some(&*self.source);
        Compiler { fn_index: &self.fn_index, coverage }
    }

    fn line_of(&self, span: Span) -> i64 {
        self.source.line_of(span.start as usize) as i64
    }

    /// The map a `catch (e)` variable holds.
    fn error_value(&self, err: &Error) -> Value {
        let mut m = new_map(2);
        let line = err.span().map(|s| self.line_of(s)).unwrap_or(0);
        m.insert(Key::text("lineNo"), Value::Int(line));
        m.insert(Key::text("message"), Value::text(err.message()));
        Value::map(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::{CaptureHost, INFO_TRUNCATED};

    /// The 500 KB cap is the interpreter's, so a host without the network (tests, the fuzzer,
    /// an embedding) cuts `info` output exactly as `dg run` does.
    #[test]
    fn info_output_is_capped_in_every_host() {
        let src = Rc::new(SourceFile::new(
            "cap.dg",
            "big = \"x\".leftpad(1000); t = {1,2,3,4,5,6,7,8,9,10};\n\
             for each a in t { for each b in t { for each c in t { info big; } } }",
        ));
        let script = crate::syntax::parse(&src).expect("parses");
        let mut host = CaptureHost::default();
        let mut interp = Interp::new(&mut host, src.clone(), Limits::default());
        interp.define(&script);
        interp.run_body(&script.main, &[]).expect("runs");
        drop(interp);
        assert!(host.out.ends_with(&format!("{INFO_TRUNCATED}\n")), "{}", &host.out[host.out.len() - 200..]);
        assert!(host.out.len() <= crate::host::INFO_CAP + INFO_TRUNCATED.len() + 1);
    }
}
