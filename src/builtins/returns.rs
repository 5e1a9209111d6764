//! The one table of what built-ins return, for `dg check`'s type inference: only names whose
//! result has the same type on every receiver (`size` is a number on text, lists and maps;
//! `get` is whatever was stored, so it is not here).

use crate::value::types::Ty;

/// Lower-case name -> the type of its result.
const RETURNS: &[(&str, Ty)] = &[
    // text
    ("tostring", Ty::Text),
    ("towords", Ty::Text),
    ("totext", Ty::Text),
    ("trim", Ty::Text),
    ("touppercase", Ty::Text),
    ("tolowercase", Ty::Text),
    ("upper", Ty::Text),
    ("lower", Ty::Text),
    ("proper", Ty::Text),
    ("left", Ty::Text),
    ("right", Ty::Text),
    ("mid", Ty::Text),
    ("substring", Ty::Text),
    ("replaceall", Ty::Text),
    ("replacefirst", Ty::Text),
    ("removeallalpha", Ty::Text),
    ("removeallnumeric", Ty::Text),
    ("getalpha", Ty::Text),
    ("getalphanumeric", Ty::Text),
    ("getprefix", Ty::Text),
    ("getsuffix", Ty::Text),
    ("leftpad", Ty::Text),
    ("rightpad", Ty::Text),
    ("encodeurl", Ty::Text),
    ("urlencode", Ty::Text),
    ("decodeurl", Ty::Text),
    ("urldecode", Ty::Text),
    ("base64encode", Ty::Text),
    ("base64decode", Ty::Text),
    ("tohex", Ty::Text),
    ("texttohex", Ty::Text),
    ("hextotext", Ty::Text),
    ("getoccurence", Ty::Int),
    ("getoccurrence", Ty::Int),
    ("length", Ty::Int),
    ("len", Ty::Int),
    ("size", Ty::Int),
    ("indexof", Ty::Int),
    ("lastindexof", Ty::Int),
    ("find", Ty::Int),
    // predicates
    ("contains", Ty::Bool),
    ("notcontains", Ty::Bool),
    ("containskey", Ty::Bool),
    ("containsvalue", Ty::Bool),
    ("startswith", Ty::Bool),
    ("endswith", Ty::Bool),
    ("isempty", Ty::Bool),
    ("isnull", Ty::Bool),
    ("isblank", Ty::Bool),
    ("isnumber", Ty::Bool),
    ("istext", Ty::Bool),
    ("isdate", Ty::Bool),
    ("isdatetime", Ty::Bool),
    ("isdecimal", Ty::Bool),
    ("isascii", Ty::Bool),
    ("equalsignorecase", Ty::Bool),
    ("matches", Ty::Bool),
    // numbers
    ("tonumber", Ty::Int),
    ("tolong", Ty::Int),
    ("tointeger", Ty::Int),
    ("todecimal", Ty::Dec),
    // collections
    ("tolist", Ty::List),
    ("tojsonlist", Ty::List),
    ("keys", Ty::List),
    ("values", Ty::List),
    ("sublist", Ty::List),
    ("tomap", Ty::Map),
    // dates
    ("todate", Ty::Date),
    ("todatetime", Ty::DateTime),
    ("getday", Ty::Int),
    ("getmonth", Ty::Int),
    ("getyear", Ty::Int),
    ("gethour", Ty::Int),
    ("getminutes", Ty::Int),
    ("getseconds", Ty::Int),
    ("getdayofweek", Ty::Int),
    ("getweekofyear", Ty::Int),
    ("getdayofyear", Ty::Int),
    ("daysbetween", Ty::Int),
    ("unixepoch", Ty::Int),
];

/// What `name` returns, when it is the same type whatever the receiver.
pub fn return_type(name: &str) -> Option<Ty> {
    RETURNS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, t)| t)
}
