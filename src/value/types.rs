//! Zoho's data types as a script declares them (`string name`, `int count`, `map row`) and
//! as `dg check` infers them: which declared types a value fits, and the names Zoho prints.
//!
//! Zoho refuses, at save time, a variable given values of two types and a typed parameter
//! given the wrong type (https://www.zoho.com/deluge/help/error-messages.html); `dg run`
//! refuses a wrong argument at the call site, before the body runs.

use super::Value;

/// A Deluge data type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Text,
    Int,
    Dec,
    Bool,
    Date,
    DateTime,
    List,
    Map,
    /// `collection`: a list or a map.
    Collection,
    File,
    /// `void` (a function's return type only).
    Void,
}

impl Ty {
    /// A declared type name (case-insensitive), when it is one of Zoho's; any other
    /// identifier (`Bills b`, a Creator form name) declares nothing dg can check.
    pub fn declared(name: &str) -> Option<Ty> {
        let lower = name.to_ascii_lowercase();
        // `List:String` declares a list of text: the element type is checked by the list.
        let head = lower.split(':').next().unwrap_or("");
        Some(match head {
            "string" | "text" => Ty::Text,
            "int" | "bigint" | "long" | "number" => Ty::Int,
            "decimal" | "float" | "double" => Ty::Dec,
            "bool" | "boolean" => Ty::Bool,
            "date" => Ty::Date,
            "datetime" | "timestamp" => Ty::DateTime,
            "list" => Ty::List,
            "map" | "keyvalue" => Ty::Map,
            "collection" => Ty::Collection,
            "file" => Ty::File,
            "void" => Ty::Void,
            _ => return None,
        })
    }

    /// The type of a value, when it has a definite one (null has none; `{}` is undecided).
    pub fn of(v: &Value) -> Option<Ty> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => Ty::Bool,
            Value::Int(_) => Ty::Int,
            Value::Dec(_) => Ty::Dec,
            Value::Text(_) => Ty::Text,
            Value::Date(_) => Ty::Date,
            Value::DateTime(_) => Ty::DateTime,
            Value::File(_) => Ty::File,
            Value::Coll(c) => {
                if c.borrow().undecided {
                    Ty::Collection
                } else if c.is_list() {
                    Ty::List
                } else {
                    Ty::Map
                }
            }
        })
    }

    /// Zoho's name of the type, as its messages print it.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Text => "TEXT",
            Ty::Int => "BIGINT",
            Ty::Dec => "DECIMAL",
            Ty::Bool => "BOOLEAN",
            Ty::Date => "DATE",
            Ty::DateTime => "DATE-TIME",
            Ty::List => "LIST",
            Ty::Map => "MAP",
            Ty::Collection => "COLLECTION",
            Ty::File => "FILE",
            Ty::Void => "VOID",
        }
    }

    /// Whether a value of type `got` may be given where this type is declared (a parameter, a
    /// return value): a number is a decimal, a date a date-time (and back), an undecided `{}` a
    /// list or a map, and a list or a map a collection. A `string` takes any value: Zoho saves
    /// and runs `string f() { return true; }`, and CRM passes its request map to a function's
    /// `string crmAPIRequest` parameter.
    pub fn accepts(self, got: Ty) -> bool {
        use Ty::*;
        self == got
            || matches!(
                (self, got),
                (Text, _)
                    | (Dec, Int)
                    | (Date, DateTime)
                    | (DateTime, Date)
                    | (List | Map, Collection)
                    | (Collection, List | Map)
            )
    }

    /// Whether the value fits a parameter of this type; null fits every type.
    pub fn fits(self, v: &Value) -> bool {
        Ty::of(v).is_none_or(|got| self.accepts(got))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_names_are_zohos() {
        assert_eq!(Ty::declared("String"), Some(Ty::Text));
        assert_eq!(Ty::declared("List:String"), Some(Ty::List));
        assert_eq!(Ty::declared("Bills"), None);
        assert!(Ty::Dec.fits(&Value::Int(2)));
        assert!(!Ty::Int.fits(&Value::text("2")));
        assert!(Ty::Text.fits(&Value::Bool(true)));
        assert!(Ty::Text.fits(&Value::Null));
        assert!(Ty::Map.fits(&Value::empty_collection()));
        assert!(!Ty::Map.fits(&Value::list(vec![])));
    }
}
