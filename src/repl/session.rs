//! One REPL session's state: the variables (a slot scope and its frame, kept across
//! entries), the functions defined so far, and where each piece of source text lives so that
//! errors name the session's line.
//!
//! Spans are byte offsets into the text an entry was parsed from. Entries are parsed after a
//! blanked copy of every earlier function definition (the "ledger"), so each definition keeps
//! a range of offsets of its own and an error raised inside it, in a later entry, is still
//! shown with its own line. Typed entries are also preceded by blank lines up to their
//! session line, so that `catch (e)` sees `e.lineNo` as the session's line.

use super::host::ReplHost;
use crate::error::Error;
use crate::eval::{Frame, Interp, Limits};
use crate::host::Host;
use crate::syntax::ast::{Function, Script, Span};
use crate::syntax::{self, Scope, SourceFile};
use crate::value::Value;
use std::rc::Rc;

/// The name errors give typed entries: `--> <repl>:7:5`.
pub const REPL_NAME: &str = "<repl>";

/// A function definition kept for error messages: where its text sits among the offsets.
struct Section {
    name: Rc<str>,
    first_line: usize,
    base: usize,
    text: String,
}

pub struct Session<'h> {
    pub host: ReplHost<'h>,
    scope: Scope,
    frame: Frame,
    functions: Script,
    ledger: String,
    ledger_lines: usize,
    sections: Vec<Section>,
}

impl<'h> Session<'h> {
    pub fn new(host: ReplHost<'h>) -> Session<'h> {
        Session {
            host,
            scope: Scope::new(),
            frame: Frame::new(),
            functions: Script::default(),
            ledger: String::new(),
            ledger_lines: 0,
            sections: Vec::new(),
        }
    }

    /// Forget every variable and function.
    pub fn reset(&mut self) {
        self.scope = Scope::new();
        self.frame.clear();
        self.functions = Script::default();
        self.ledger.clear();
        self.ledger_lines = 0;
        self.sections.clear();
    }

    /// The variables that hold a value, in the order they were first named.
    pub fn vars(&self) -> Vec<(Rc<str>, Value)> {
        self.scope
            .slots()
            .iter()
            .zip(&self.frame)
            .filter_map(|(name, v)| v.as_ref().map(|v| (name.clone(), v.clone())))
            .collect()
    }

    /// The names of the functions defined in the session.
    pub fn function_names(&self) -> Vec<String> {
        self.functions.functions.iter().map(|f| f.name.to_string()).collect()
    }

    /// Run one piece of text: statements (in the session's variables) or function
    /// definitions. `name` is `<repl>` or the file of `:load`; `first_line` its first line.
    /// An error comes back rendered, ready for stderr, with its exit code.
    pub fn run(&mut self, name: &str, first_line: usize, text: &str) -> Result<(), (String, i32)> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let pad = if name == REPL_NAME { first_line.saturating_sub(1).saturating_sub(self.ledger_lines) } else { 0 };
        let mut full = String::with_capacity(self.ledger.len() + pad + text.len());
        full.push_str(&self.ledger);
        full.extend(std::iter::repeat_n('\n', pad));
        let base = full.len();
        full.push_str(text);
        let src = Rc::new(SourceFile::new(name, full));
        let current = Section { name: Rc::from(name), first_line, base, text: text.to_string() };

        let mut script = match syntax::parse_with_scope(&src, &mut self.scope) {
            Ok(script) => script,
            Err(repl_err) => {
                return match syntax::parse(&src) {
                    Ok(defs) if !defs.functions.is_empty() => {
                        self.define(defs.functions, current, pad);
                        Ok(())
                    }
                    // Report whichever parse got further: a broken function body is shown
                    // inside the body, not at the function's first word.
                    Ok(_) => Err(self.render(&repl_err, &current)),
                    Err(file_err) => {
                        let further = file_err.span().map(|s| s.start) > repl_err.span().map(|s| s.start);
                        Err(self.render(if further { &file_err } else { &repl_err }, &current))
                    }
                };
            }
        };
        // A typed entry ending in an expression (`1+1;`, `x;`, `s.length();`) shows its value, as
        // REPLs do: the last statement becomes a `return`, whose value is printed unless null
        // (so `l.add(3);` stays quiet).
        let shows_value = name == REPL_NAME && ends_in_expression(&mut script.main.stmts);
        let flag = self.host.interrupt_flag();
        let mut interp = Interp::new(&mut self.host, src, Limits::default());
        interp.budget.set_interrupt(flag);
        interp.define(&self.functions);
        let result = interp.run_in_frame(&script.main, &mut self.frame);
        if let Ok(Some(v)) = &result {
            if shows_value && !v.is_null() {
                interp.print_value(v);
            }
        }
        interp.flush();
        result.map(|_| ()).map_err(|e| self.render(&e, &current))
    }

    /// Keep new function definitions (a name defined again replaces the old one).
    fn define(&mut self, functions: Vec<Function>, section: Section, pad: usize) {
        for f in functions {
            let key = f.name.to_ascii_lowercase();
            self.functions.functions.retain(|old| old.name.to_ascii_lowercase() != key);
            self.functions.functions.push(f);
        }
        self.ledger.extend(std::iter::repeat_n('\n', pad));
        self.ledger.extend(section.text.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
        self.ledger.push('\n');
        self.ledger_lines += pad + section.text.matches('\n').count() + 1;
        self.sections.push(section);
    }

    /// Render an error against the text its span points into, with that text's own lines.
    fn render(&self, e: &Error, current: &Section) -> (String, i32) {
        let code = e.exit_code();
        let Some(span) = e.span() else {
            return (format!("error: {}\n  --> {}\n", e.message(), current.name), code);
        };
        let start = span.start as usize;
        let section = if start >= current.base {
            current
        } else {
            self.sections.iter().rev().find(|s| s.base <= start && start <= s.base + s.text.len()).unwrap_or(current)
        };
        let lead = section.first_line.saturating_sub(1);
        let mut text = "\n".repeat(lead);
        text.push_str(&section.text);
        let shift = |at: u32| (at as usize).saturating_sub(section.base) + lead;
        let local = Span::new(shift(span.start), shift(span.end.max(span.start)));
        let shown = Error::new(e.kind(), e.message()).with_span(local);
        (shown.render(Some(&SourceFile::new(section.name.to_string(), text))), code)
    }

    pub fn flush(&mut self) {
        self.host.flush();
    }
}

/// Turn a last expression statement into `return EXPR;` (same effect, the value comes back).
fn ends_in_expression(stmts: &mut [crate::syntax::ast::Stmt]) -> bool {
    use crate::syntax::ast::StmtKind;
    let Some(last) = stmts.last_mut() else { return false };
    let StmtKind::Expr(e) = &last.node else { return false };
    last.node = StmtKind::Return(Some(e.clone()));
    true
}
