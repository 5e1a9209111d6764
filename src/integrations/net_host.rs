//! The host of runs that may use the network: output goes to an inner host, invokeurl and
//! integration tasks go through the connection registry (created on first use, so scripts
//! that never touch the network pay nothing for it).

use super::http::{refusal, Net};
use super::scopes;
use crate::error::Error;
use crate::host::{Host, HttpRequest};
use crate::value::Value;

pub struct NetHost<'a> {
    inner: &'a mut dyn Host,
    net: Net,
    /// `--sandbox` was asked for; until the sandbox exists nothing may leave the machine.
    sandbox: bool,
}

impl<'a> NetHost<'a> {
    pub fn new(
        inner: &'a mut dyn Host,
        connections: Option<std::path::PathBuf>,
        trace: bool,
        sandbox: bool,
    ) -> NetHost<'a> {
        NetHost { inner, net: Net::new(connections, trace), sandbox }
    }

    fn refuse_in_sandbox(&self, what: &str) -> Result<(), Error> {
        if self.sandbox {
            return Err(Error::runtime(format!(
                "{what}: the offline sandbox (--sandbox) is not built yet in this version of dg, and nothing leaves the machine in sandbox mode"
            )));
        }
        Ok(())
    }

    /// Which connection a task uses: its last argument when that names a declared
    /// connection, else the service's system connection.
    fn task_connection(&mut self, path: &str, service: &str, args: &[Value]) -> Result<String, Error> {
        let registry = self.net.registry()?;
        if let Some(Value::Text(t)) = args.last() {
            if !t.is_empty() && registry.file.connections.contains_key(&**t) {
                return Ok(t.to_string());
            }
            if !t.is_empty() && args.len() > 2 && super::config::valid_link(t) {
                return Err(registry.connection(t).err().unwrap_or_else(|| Error::runtime("unknown connection")));
            }
        }
        match registry.file.system_connection(service) {
            Some(c) => Ok(c.link.clone()),
            None => Err(Error::runtime(format!(
                "zoho.{path} needs a connection: pass its link name as the last argument, or declare one with `system = true` for service '{service}'"
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
        self.refuse_in_sandbox("invokeurl")?;
        let inner = &mut *self.inner;
        self.net.invoke(req, &mut |line| inner.note(line))
    }

    fn zoho_task(&mut self, path: &str, args: &[Value]) -> Result<Value, Error> {
        let module =
            scopes::module_arg(path).and_then(|i| args.get(i)).and_then(|v| v.as_text()).map(|t| t.to_string());
        let Some((service, needed)) = scopes::task_scope(path, module.as_deref()) else {
            return Err(Error::runtime(format!("zoho.{path} is not an integration task dg knows")));
        };
        self.refuse_in_sandbox(&format!("zoho.{path}"))?;
        let link = self.task_connection(path, service, args)?;
        let registry = self.net.registry()?;
        let conn = registry.connection(&link)?;
        if !scopes::grants(&conn.scopes, &needed) {
            return Err(refusal(&format!("zoho.{path}"), &link, &needed, &conn.scopes));
        }
        Err(Error::runtime(format!(
            "zoho.{path} is not available in this version of dg: integration tasks are not built yet (its scope {needed} is granted by '{link}')"
        )))
    }
}
