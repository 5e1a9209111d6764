//! Everything that reaches the network: services, connections, scopes, OAuth, the token
//! store and invokeurl. The only code that uses tokio and reqwest.

pub mod catalog;
pub mod commands;
pub mod config;
mod http;
pub mod net_host;
pub mod oauth;
mod offline;
pub mod registry;
mod response;
pub mod scopes;
pub mod service;
pub mod store;
pub mod tasks;
