//! Number and Decimal built-ins (`round`, `abs`, `toDecimal`, ...): receiver is numeric.

use super::Builtin;

pub const BUILTINS: &[Builtin] = &[];
