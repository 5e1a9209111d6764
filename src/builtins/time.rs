//! Date and DateTime built-ins (`addDay`, `toString(pattern)`, `daysBetween`, ...).

use super::Builtin;

pub const BUILTINS: &[Builtin] = &[];
