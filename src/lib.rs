//! dg: a fast, local implementation of Zoho's Deluge scripting language.
//!
//! Engine flow: `syntax::parse` turns a `SourceFile` into a slot-resolved `Script`;
//! `Interp` walks it, calling `builtins` and asking its `Host` for output, the clock and the
//! network; `value` holds Deluge's types and its printing and operator rules.

pub(crate) mod batch;
mod builtins;
mod check;
pub mod cli;
mod deadline;
mod error;
mod eval;
mod fmt;
#[doc(hidden)]
pub mod fuzz;
mod host;
pub(crate) mod integrations;
mod lsp;
pub(crate) mod repl;
pub(crate) mod sandbox;
mod syntax;
pub mod testing;
mod value;
pub(crate) mod zoho;

pub use error::{Error, ErrorKind, Result};
pub use eval::{Frame, Interp, Limits};
pub use fmt::{comments as fmt_comments, format_source};
pub use host::{CaptureHost, Host, HttpRequest, StdHost};
#[doc(hidden)]
pub use lsp::{capabilities as lsp_capabilities, fuzz_edits as lsp_fuzz_edits, Server as LspServer};
pub use syntax::{is_incomplete, parse, parse_with_scope, print, Scope, Script, SourceFile};
pub use value::{from_json, Value};
