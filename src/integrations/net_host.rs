//! The host of runs that may use the network: output goes to an inner host, invokeurl and
//! integration tasks go through the connection registry (created on first use, so scripts
//! that never touch the network pay nothing for it).

use super::http::{refusal, Net};
pub use super::http::{SandboxTarget, StartSandbox, Throttle};
use crate::error::Error;
use crate::host::{Host, HttpRequest};
use crate::value::Value;
use crate::zoho::{catalog, scopes, tasks};

pub struct NetHost<'a> {
    inner: &'a mut dyn Host,
    net: Net,
    /// `--sandbox`: Zoho is served by the offline sandbox.
    sandbox: bool,
}

impl<'a> NetHost<'a> {
    pub fn new(
        inner: &'a mut dyn Host,
        connections: Option<std::path::PathBuf>,
        trace: bool,
        sandbox: Option<StartSandbox>,
    ) -> NetHost<'a> {
        NetHost { inner, net: Net::new(connections, trace, sandbox), sandbox: sandbox.is_some() }
    }

    /// The calls this run made to Zoho's APIs (for `--credits`).
    pub fn zoho_calls(&self) -> &[super::http::ZohoCall] {
        &self.net.calls
    }

    /// `--timeout`: requests still running at the run's deadline end with the limit error.
    pub fn with_deadline(mut self, timeout: Option<std::time::Duration>) -> NetHost<'a> {
        self.restart_deadline(timeout);
        self
    }

    /// `dg batch --timeout`: the deadline counts from now (each record's run).
    pub fn restart_deadline(&mut self, timeout: Option<std::time::Duration>) {
        if let Some(limit) = timeout {
            self.net.set_deadline(std::time::Instant::now() + limit, limit);
        }
    }

    /// `dg batch`: every request of this host goes through the batch's throttle.
    pub fn with_throttle(mut self, throttle: std::sync::Arc<dyn Throttle>) -> NetHost<'a> {
        self.net.throttle = Some(throttle);
        self
    }

    /// `--record FILE`: keep every exchange, scrubbed, for `save_cassette`.
    pub fn record_to(&mut self, path: &std::path::Path) {
        self.net.cassette = Some(std::sync::Mutex::new(super::cassette::Cassette::record(path)));
    }

    /// `--replay FILE`: answer every request from the cassette, offline; a malformed file is
    /// an error naming its line.
    pub fn replay_from(&mut self, path: &std::path::Path) -> Result<(), Error> {
        self.net.cassette = Some(std::sync::Mutex::new(super::cassette::Cassette::replay(path)?));
        Ok(())
    }

    /// Write the recording (`--record`); how many exchanges it holds.
    pub fn save_cassette(&self) -> Result<usize, Error> {
        match &self.net.cassette {
            Some(c) => {
                let c = c.lock().map_err(|_| Error::runtime("the cassette is unusable after a panic"))?;
                c.save()?;
                Ok(c.recorded())
            }
            None => Ok(0),
        }
    }

    /// Which connection a task uses: the argument after its signature (by position, from the
    /// task table), else the service's system connection (in the sandbox, a built-in one
    /// holding every scope of the service). A link the sandbox does not find declared is lent
    /// the sandbox's own connection by the pipeline.
    fn task_connection(&mut self, task: &tasks::Task, given: Option<String>) -> Result<String, Error> {
        let service = task.product.service;
        if let Some(link) = given {
            return Ok(link);
        }
        if task.row.conn == tasks::Conn::Required && !self.sandbox {
            return Err(Error::runtime(format!(
                "{} needs its connection argument: Zoho's page marks it mandatory outside {} ({}): {}",
                task.full_name(),
                task.product.name,
                task.row.page,
                task.signature()
            )));
        }
        let registry = self.net.registry()?;
        match registry.file.system_connection(service) {
            Some(c) => Ok(c.link.clone()),
            None if self.sandbox => Ok(super::offline::system_link(service)),
            None => Err(Error::runtime(format!(
                "{} needs a connection: pass its link name as argument {}, or declare one with `system = true` for service '{service}'",
                task.full_name(),
                task.max_args()
            ))),
        }
    }
}

impl Host for NetHost<'_> {
    fn info(&mut self, line: &str) {
        self.inner.info(line)
    }
    fn note(&mut self, line: &str) {
        self.inner.note(line)
    }
    fn system_value(&mut self, name: &str) -> Option<Value> {
        self.inner.system_value(name)
    }
    fn flush(&mut self) {
        self.inner.flush()
    }

    fn invoke_url(&mut self, req: &HttpRequest) -> Result<Value, Error> {
        let inner = &mut *self.inner;
        self.net.invoke(req, &mut |line| inner.note(line))
    }

    fn zoho_task(&mut self, path: &str, args: &[Value]) -> Result<Value, Error> {
        let Some(task) = tasks::lookup(path) else {
            return Err(Error::runtime(format!("zoho.{path} is not an integration task dg knows")));
        };
        let (data, given) = tasks::split_args(task, args)?;
        let link = self.task_connection(task, given)?;
        // The task's own scope is checked first, before its REST call is even built.
        let service = task.product.service;
        let sandbox_lends =
            link.starts_with('@') || (self.sandbox && !self.net.registry()?.file.connections.contains_key(&link));
        let (granted, data_center) = if sandbox_lends {
            // The sandbox's own connection holds its service's whole scope family, as the
            // sandbox's master token does: a misspelt module reaches the sandbox, which
            // answers as Zoho would.
            let mut full: Vec<String> = Vec::new();
            for scope in catalog::service(service).map(|s| s.scopes.as_slice()).unwrap_or_default() {
                let family = format!("{}.fullaccess.ALL", scope.split('.').next().unwrap_or_default());
                if !full.contains(&family) {
                    full.push(family);
                }
            }
            (full, None)
        } else {
            let conn = self.net.registry()?.connection(&link)?;
            (conn.scopes.clone(), conn.data_center.clone())
        };
        let texts: Vec<Option<String>> = data
            .iter()
            .map(|v| match v {
                Value::Null => None,
                Value::Text(t) if t.is_empty() => None,
                v => Some(v.to_text()),
            })
            .collect();
        let needed = task.scope(&texts);
        if !scopes::grants(&granted, &needed) {
            return Err(refusal(&task.full_name(), &link, &needed, &granted));
        }
        let dc = catalog::data_center(data_center.as_deref().unwrap_or("com"))
            .ok_or_else(|| Error::runtime("unknown data center"))?;
        let req = tasks::request(task, data, &tasks::api_base(task.product, &dc), &link)?;
        let inner = &mut *self.inner;
        let answer = self.net.invoke(&req, &mut |line| inner.note(line))?;
        tasks::shape(task, answer).map_err(|why| Error::runtime(format!("{}: {why}", task.full_name())))
    }
}
