//! dg: a fast, local implementation of Zoho's Deluge scripting language.
//!
//! Engine flow: `syntax::parse` turns a `SourceFile` into a slot-resolved `Script`;
//! `Interp` walks it, calling `builtins` and asking its `Host` for output, the clock and the
//! network; `value` holds Deluge's types and its printing and operator rules.

pub(crate) mod batch;
mod builtins;
mod check;
pub mod cli;
mod error;
mod eval;
#[doc(hidden)]
pub mod fuzz;
mod host;
pub(crate) mod integrations;
pub(crate) mod repl;
pub(crate) mod sandbox;
mod syntax;
mod value;
pub(crate) mod zoho;

pub use error::{Error, ErrorKind, Result};
pub use eval::{Frame, Interp, Limits};
pub use host::{CaptureHost, Host, HttpRequest, StdHost};
pub use syntax::{is_incomplete, parse, parse_with_scope, print, Scope, Script, SourceFile};
pub use value::{from_json, Value};
