//! What dg knows about Zoho, as data and pure functions with no I/O: the service catalog and
//! data centers, scopes and their URL rules, the connections file's rules, and the one table of
//! integration tasks. `run`, `check`, the REPL, the language server and the sandbox read it.

pub mod catalog;
pub mod connections;
pub mod limits;
pub mod scopes;
pub mod service;
mod table;
pub mod tasks;
