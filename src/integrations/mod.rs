//! Everything that reaches the network: connections, OAuth, the token store and the one
//! request pipeline for invokeurl and integration tasks. The only code that uses tokio and
//! reqwest. What dg knows about Zoho's products lives in `crate::zoho`.

mod cassette;
pub mod commands;
pub mod config;
mod http;
pub mod net_host;
pub mod oauth;
mod offline;
pub mod registry;
mod response;
pub mod store;
