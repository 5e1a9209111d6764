//! The host of runs that may use the network: output goes to an inner host, invokeurl and
//! integration tasks go through the connection registry (created on first use, so scripts
//! that never touch the network pay nothing for it).

use super::http::{refusal, Net};
use super::{catalog, scopes, tasks};
use crate::error::Error;
use crate::host::{Host, HttpRequest, InfoCap};
use crate::value::Value;

pub struct NetHost<'a> {
    inner: &'a mut dyn Host,
    net: Net,
    /// `--sandbox`: Zoho is served by the offline sandbox.
    sandbox: bool,
    /// Zoho's 500 KB cap on a run's `info` output.
    info_cap: InfoCap,
}

impl<'a> NetHost<'a> {
    pub fn new(
        inner: &'a mut dyn Host,
        connections: Option<std::path::PathBuf>,
        trace: bool,
        sandbox: bool,
    ) -> NetHost<'a> {
        NetHost { inner, net: Net::new(connections, trace, sandbox), sandbox, info_cap: InfoCap::default() }
    }

    /// `--timeout`: requests still running at the run's deadline end with the limit error.
    pub fn with_deadline(mut self, timeout: Option<std::time::Duration>) -> NetHost<'a> {
        if let Some(limit) = timeout {
            self.net.set_deadline(std::time::Instant::now() + limit, limit);
        }
        self
    }

    /// Which connection a task uses, and the arguments left once it is taken off: its last
    /// argument when that names a declared connection (or is `""`), else the service's system
    /// connection (in the sandbox, a built-in one holding every scope of the service).
    fn task_connection<'v>(
        &mut self,
        path: &str,
        service: &str,
        args: &'v [Value],
    ) -> Result<(String, &'v [Value]), Error> {
        let registry = self.net.registry()?;
        let mut rest = args;
        if let Some(Value::Text(t)) = args.last() {
            if registry.file.connections.contains_key(&**t) {
                return Ok((t.to_string(), &args[..args.len() - 1]));
            }
            if t.is_empty() {
                rest = &args[..args.len() - 1];
            }
        }
        match registry.file.system_connection(service) {
            Some(c) => Ok((c.link.clone(), rest)),
            None if self.sandbox => Ok((super::offline::system_link(service), rest)),
            None => Err(Error::runtime(format!(
                "zoho.{path} needs a connection: pass its link name as the last argument, or declare one with `system = true` for service '{service}'"
            ))),
        }
    }
}

impl Host for NetHost<'_> {
    fn info(&mut self, line: &str) {
        let inner = &mut *self.inner;
        self.info_cap.pass(line, &mut |l| inner.info(l))
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
        let module =
            scopes::module_arg(path).and_then(|i| args.get(i)).and_then(|v| v.as_text()).map(|t| t.to_string());
        let Some((service, needed)) = scopes::task_scope(path, module.as_deref()) else {
            return Err(Error::runtime(format!("zoho.{path} is not an integration task dg knows")));
        };
        let (link, args) = self.task_connection(path, service, args)?;
        // The task's own scope is checked first, before its REST call is even built.
        let (granted, data_center) = if link.starts_with('@') {
            (catalog::service(service).map(|s| s.scopes.clone()).unwrap_or_default(), None)
        } else {
            let conn = self.net.registry()?.connection(&link)?;
            (conn.scopes.clone(), conn.data_center.clone())
        };
        if !scopes::grants(&granted, &needed) {
            return Err(refusal(&format!("zoho.{path}"), &link, &needed, &granted));
        }
        let call = tasks::build(path, args)?;
        let dc = catalog::data_center(data_center.as_deref().unwrap_or("com"))
            .ok_or_else(|| Error::runtime("unknown data center"))?;
        let req = tasks::request(&call, &dc.api_domain, &link);
        let inner = &mut *self.inner;
        let answer = self.net.invoke(&req, &mut |line| inner.note(line))?;
        tasks::shape(&call, answer).map_err(|why| Error::runtime(format!("zoho.{path}: {why}")))
    }
}
