//! The Zoho built-ins dg does not implement, each with the reason: one list, so `dg check`
//! (a warning: the script is fine in Zoho) and `dg run` (an error where it would stop) say the
//! same words. docs/functions.md is the whole table of Zoho's index.

/// Zoho's name -> why dg does not run it.
const NOT_IMPLEMENTED: &[(&str, &str)] = &[
    ("addBusinessHour", "not built yet: it needs Zoho's business-hours map"),
    ("getDate", "no Zoho help page found to build it from"),
    ("getDateTime", "no Zoho help page found to build it from"),
    ("timeBetween", "no Zoho help page found to build it from"),
    ("toDateTimeString", "no Zoho help page found to build it from"),
    ("getAsString", "no Zoho help page found to build it from"),
    ("convertToPDF", "it needs a document renderer"),
];

/// Why dg does not implement this Zoho built-in (case-insensitive), if it is one of them.
pub fn not_implemented(name: &str) -> Option<&'static str> {
    NOT_IMPLEMENTED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, why)| why)
}

/// The words `dg run` and `dg check` both use.
pub fn not_implemented_message(name: &str, why: &str) -> String {
    let zoho = NOT_IMPLEMENTED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or(name, |(n, _)| n);
    format!("'{zoho}' is a Zoho built-in that dg does not implement ({why})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_listed_is_implemented() {
        for (name, _) in NOT_IMPLEMENTED {
            assert!(super::super::lookup(name).is_none(), "'{name}' is implemented: take it off the list");
        }
    }
}
