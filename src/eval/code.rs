//! The compiled form: closures for expressions, conditions and statements, and blocks that
//! count each statement against the budget as they run it.

use super::{Flow, Frame, Interp};
use crate::error::Result;
use crate::syntax::ast::{Span, Stmt};
use crate::syntax::SourceFile;
use crate::value::Value;
use std::collections::HashMap;

/// An expression: reads the frame, returns a value. Expressions never assign variables, so
/// they borrow the frame shared; an operand can stay borrowed while the other is evaluated.
pub(crate) type XFn = Box<dyn Fn(&mut Interp<'_>, &Frame) -> Result<Value>>;

/// A condition: an expression known to give a boolean, so no `Value` is built for it.
pub(crate) type CFn = Box<dyn Fn(&mut Interp<'_>, &Frame) -> Result<bool>>;

/// A statement.
pub(crate) type SFn = Box<dyn Fn(&mut Interp<'_>, &mut Frame) -> Result<Flow>>;

/// Box a closure as an expression (closures need an expected signature to be higher-ranked).
pub(crate) fn xfn(f: impl Fn(&mut Interp<'_>, &Frame) -> Result<Value> + 'static) -> XFn {
    Box::new(f)
}

pub(crate) fn cfn(f: impl Fn(&mut Interp<'_>, &Frame) -> Result<bool> + 'static) -> CFn {
    Box::new(f)
}

pub(crate) fn sfn(f: impl Fn(&mut Interp<'_>, &mut Frame) -> Result<Flow> + 'static) -> SFn {
    Box::new(f)
}

/// Statements with their spans (a budget error names the statement it stopped at).
pub(crate) struct Block {
    stmts: Box<[(SFn, Span)]>,
}

impl Block {
    /// Run the statements in order; anything but `Next` ends the block.
    #[inline]
    pub(crate) fn run(&self, cx: &mut Interp<'_>, frame: &mut Frame) -> Result<Flow> {
        for (s, span) in self.stmts.iter() {
            if let Err(e) = cx.budget.tick() {
                return Err(e.with_span(*span));
            }
            match s(cx, frame)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }
}

/// Compiles bodies; function names resolve against the script's functions at compile time.
pub(crate) struct Compiler<'a> {
    pub fn_index: &'a HashMap<String, usize>,
    /// Set when line coverage is counted: the source that gives each statement its line.
    pub coverage: Option<&'a SourceFile>,
}

impl Compiler<'_> {
    pub(crate) fn block(&self, stmts: &[Stmt]) -> Block {
        Block { stmts: stmts.iter().map(|s| (self.counted(self.stmt(s), s.span), s.span)).collect() }
    }

    /// With coverage on, a statement that first counts a hit on its line; else the statement
    /// itself (no cost at run time when coverage is off).
    fn counted(&self, code: SFn, span: Span) -> SFn {
        let Some(src) = self.coverage else { return code };
        let line = src.line_of(span.start as usize);
        sfn(move |cx, f| {
            cx.hit_line(line);
            code(cx, f)
        })
    }

    /// The index of a script function named `name` (with or without its namespace).
    pub(crate) fn function(&self, name: &str) -> Option<usize> {
        if self.fn_index.is_empty() {
            return None;
        }
        let short = name.rsplit('.').next().unwrap_or(name);
        self.fn_index.get(&short.to_ascii_lowercase()).copied()
    }
}
