//! The REPL's host: the network host of `dg run`, plus the Ctrl-C flag, checked before each
//! HTTP call and integration task so an interrupted statement stops there.

use crate::error::{Error, Result};
use crate::host::{Host, HttpRequest};
use crate::integrations::net_host::NetHost;
use crate::value::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub struct ReplHost<'a> {
    net: NetHost<'a>,
    interrupted: Arc<AtomicBool>,
    /// On a terminal each `info` line is flushed at once.
    pub flush_each_line: bool,
}

impl<'a> ReplHost<'a> {
    pub fn new(net: NetHost<'a>, interrupted: Arc<AtomicBool>) -> ReplHost<'a> {
        ReplHost { net, interrupted, flush_each_line: false }
    }

    /// The Ctrl-C flag, for the interpreter's statement budget.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupted.clone()
    }

    fn check(&self) -> Result<()> {
        if self.interrupted.load(Ordering::Relaxed) {
            return Err(Error::limit("interrupted: Ctrl-C stopped the statement"));
        }
        Ok(())
    }
}

impl Host for ReplHost<'_> {
    fn info(&mut self, line: &str) {
        self.net.info(line);
        if self.flush_each_line {
            self.net.flush();
        }
    }
    fn note(&mut self, line: &str) {
        self.net.note(line)
    }
    fn system_value(&mut self, name: &str) -> Option<Value> {
        self.net.system_value(name)
    }
    fn invoke_url(&mut self, req: &HttpRequest) -> Result<Value> {
        self.check()?;
        self.net.invoke_url(req)
    }
    fn zoho_task(&mut self, path: &str, args: &[Value]) -> Result<Value> {
        self.check()?;
        self.net.zoho_task(path, args)
    }
    fn flush(&mut self) {
        self.net.flush()
    }
}
