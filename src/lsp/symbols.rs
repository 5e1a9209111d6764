//! Names in a document, found from its tokens so they work while the text does not parse:
//! function definitions and their regions, variables (where assigned, where used) and a
//! variable's inferred type at a point.

use crate::fmt::lex::{self, Kind, Token};
use crate::syntax::ast::{BinOp, ExprKind, Lit, StmtKind, UnOp};
use crate::syntax::{self, SourceFile};
use crate::value::types::Ty;

const KEYWORDS: &[&str] = &[
    "if",
    "else",
    "for",
    "each",
    "index",
    "in",
    "break",
    "continue",
    "try",
    "catch",
    "return",
    "info",
    "invokeurl",
    "sendmail",
    "true",
    "false",
    "null",
    "not",
    "while",
    "zoho",
    "thisapp",
    "standalone",
    "automation",
    "input",
];

/// A function defined in the document.
#[derive(Clone, Debug)]
pub struct FunctionDef {
    pub name: String,
    /// `string standalone.f(map m)` as written, one line.
    pub header: String,
    /// Byte range of the name, and of the whole definition.
    pub name_at: (usize, usize),
    pub range: (usize, usize),
    pub params: Vec<(String, String)>,
}

/// The tokens of a document and what they define.
pub struct Symbols<'a> {
    pub toks: Vec<Token<'a>>,
    pub functions: Vec<FunctionDef>,
    /// token indexes of variable definitions: (token index, declared type for parameters)
    defs: Vec<(usize, Option<String>)>,
}

fn is_assign(t: &Token) -> bool {
    t.kind == Kind::Punct && matches!(t.text, "=" | "+=" | "-=" | "*=" | "/=")
}

fn is_name(t: &Token) -> bool {
    t.kind == Kind::Word && !KEYWORDS.iter().any(|k| t.text.eq_ignore_ascii_case(k))
}

impl<'a> Symbols<'a> {
    pub fn new(text: &'a str) -> Symbols<'a> {
        let toks: Vec<Token> = lex::tokens(text, &[]).into_iter().filter(|t| !t.is_comment()).collect();
        let mut s = Symbols { toks, functions: Vec::new(), defs: Vec::new() };
        s.find_functions(text);
        s.find_defs();
        s
    }

    /// The index of the token that closes the bracket opened at `i` (or the last token).
    fn matching(&self, i: usize) -> usize {
        let mut depth = 0usize;
        for (j, t) in self.toks.iter().enumerate().skip(i) {
            if t.is("(") || t.is("[") || t.is("{") {
                depth += 1;
            } else if t.is(")") || t.is("]") || t.is("}") {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return j;
                }
            }
        }
        self.toks.len().saturating_sub(1)
    }

    fn find_functions(&mut self, text: &str) {
        let t = &self.toks;
        let mut i = 0;
        let mut depth = 0usize;
        while i < t.len() {
            let head = depth == 0 && t[i].kind == Kind::Word && t.get(i + 1).is_some_and(|n| n.kind == Kind::Word);
            if head {
                // type name[.name] ( params ) {
                let mut j = i + 1;
                if t.get(j + 1).is_some_and(|d| d.is(".")) && t.get(j + 2).is_some_and(|n| n.kind == Kind::Word) {
                    j += 2;
                }
                if t.get(j + 1).is_some_and(|p| p.is("(")) {
                    let close = self.matching(j + 1);
                    if t.get(close + 1).is_some_and(|b| b.is("{")) {
                        let end_tok = self.matching(close + 1);
                        let end = t.get(end_tok).map_or(text.len(), |e| e.start + e.text.len());
                        let header_end = t[close].start + 1;
                        let header: Vec<&str> =
                            text.get(t[i].start..header_end).unwrap_or("").split_whitespace().collect();
                        let params = t[j + 2..close]
                            .split(|x| x.is(","))
                            .filter_map(|p| match p {
                                [.., ty, name] if name.kind == Kind::Word => {
                                    Some((ty.text.to_string(), name.text.to_string()))
                                }
                                _ => None,
                            })
                            .collect();
                        self.functions.push(FunctionDef {
                            name: t[j].text.to_string(),
                            header: header.join(" "),
                            name_at: (t[j].start, t[j].start + t[j].text.len()),
                            range: (t[i].start, end),
                            params,
                        });
                        i = end_tok + 1;
                        continue;
                    }
                }
            }
            if t[i].is("{") {
                depth += 1;
            } else if t[i].is("}") {
                depth = depth.saturating_sub(1);
            }
            i += 1;
        }
    }

    fn find_defs(&mut self) {
        let t = &self.toks;
        for (i, tok) in t.iter().enumerate() {
            if !is_name(tok) {
                continue;
            }
            let prev = i.checked_sub(1).map(|p| &t[p]);
            let next = t.get(i + 1);
            let stmt_start = prev.is_none_or(|p| p.is(";") || p.is("{") || p.is("}"));
            let assigned = stmt_start && next.is_some_and(is_assign);
            let loop_var =
                prev.is_some_and(|p| p.word("each") || p.word("index")) && next.is_some_and(|n| n.word("in"));
            let caught = prev.is_some_and(|p| p.is("(")) && i >= 2 && t[i - 2].word("catch");
            if assigned || loop_var || caught {
                self.defs.push((i, None));
            }
        }
        for f in &self.functions {
            for (ty, name) in &f.params {
                if let Some(i) = t.iter().position(|x| x.start > f.name_at.0 && x.text == name && x.start < f.range.1) {
                    self.defs.push((i, Some(ty.clone())));
                }
            }
        }
        self.defs.sort_by_key(|d| d.0);
    }

    /// The byte range a name at `offset` is visible in: its function, or the top level.
    pub fn region(&self, offset: usize) -> (usize, usize) {
        match self.functions.iter().find(|f| f.range.0 <= offset && offset <= f.range.1) {
            Some(f) => f.range,
            None => (0, usize::MAX),
        }
    }

    fn in_region(&self, at: usize, region: (usize, usize)) -> bool {
        if region.1 != usize::MAX {
            return region.0 <= at && at <= region.1;
        }
        !self.functions.iter().any(|f| f.range.0 <= at && at <= f.range.1)
    }

    /// The token at (or just before) a byte offset.
    pub fn token_at(&self, offset: usize) -> Option<usize> {
        self.toks.iter().position(|t| t.start <= offset && offset <= t.start + t.text.len() && t.kind != Kind::Punct)
    }

    /// Variables visible at `offset`, each once, with their first definition's token.
    pub fn variables(&self, offset: usize) -> Vec<(&'a str, usize)> {
        let region = self.region(offset);
        let mut out: Vec<(&str, usize)> = Vec::new();
        for &(i, _) in &self.defs {
            let t = &self.toks[i];
            if self.in_region(t.start, region) && !out.iter().any(|(n, _)| *n == t.text) {
                out.push((t.text, i));
            }
        }
        out
    }

    /// Is the token at `i` a use of a variable (not a method, a call or a field)?
    fn is_var_use(&self, i: usize) -> bool {
        let t = &self.toks[i];
        is_name(t)
            && !i.checked_sub(1).is_some_and(|p| self.toks[p].is("."))
            && !self.toks.get(i + 1).is_some_and(|n| n.is("("))
    }

    /// Where the name at token `i` is defined: a variable's first assignment, a function's name.
    pub fn definition(&self, i: usize) -> Option<(usize, usize)> {
        let t = &self.toks[i];
        if self.toks.get(i + 1).is_some_and(|n| n.is("(")) {
            let f = self.functions.iter().find(|f| f.name.eq_ignore_ascii_case(t.text))?;
            return Some(f.name_at);
        }
        if !self.is_var_use(i) {
            return None;
        }
        let (_, d) = self.variables(t.start).into_iter().find(|(n, _)| *n == t.text)?;
        let d = &self.toks[d];
        Some((d.start, d.start + d.text.len()))
    }

    /// Every occurrence of the name at token `i` (the definition included).
    pub fn references(&self, i: usize) -> Vec<(usize, usize)> {
        let t = &self.toks[i];
        let call =
            self.toks.get(i + 1).is_some_and(|n| n.is("(")) || self.functions.iter().any(|f| f.name_at.0 == t.start);
        let span = |x: &Token| (x.start, x.start + x.text.len());
        if call {
            return self
                .toks
                .iter()
                .enumerate()
                .filter(|(j, x)| {
                    x.kind == Kind::Word
                        && x.text.eq_ignore_ascii_case(t.text)
                        && (self.toks.get(j + 1).is_some_and(|n| n.is("(")))
                })
                .map(|(_, x)| span(x))
                .collect();
        }
        let region = self.region(t.start);
        (0..self.toks.len())
            .filter(|&j| {
                self.toks[j].text == t.text && self.is_var_use(j) && self.in_region(self.toks[j].start, region)
            })
            .map(|j| span(&self.toks[j]))
            .collect()
    }

    /// The type of variable `name` at `offset`: its declared parameter type, or what the
    /// last assignment before `offset` gives it.
    pub fn type_of(&self, text: &str, name: &str, offset: usize, depth: usize) -> Option<Ty> {
        if depth > 4 {
            return None;
        }
        let region = self.region(offset);
        let (i, declared) = self
            .defs
            .iter()
            .rev()
            .find(|(i, _)| {
                let t = &self.toks[*i];
                t.text == name && t.start < offset && self.in_region(t.start, region)
            })
            .cloned()?;
        if let Some(ty) = declared {
            return Ty::declared(&ty);
        }
        if !self.toks.get(i + 1).is_some_and(|n| n.is("=")) {
            return None;
        }
        // the right-hand side up to its `;`, parsed on its own
        let from = self.toks.get(i + 2)?.start;
        let mut depth_b = 0i32;
        let end = self.toks[i + 2..]
            .iter()
            .find(|t| {
                if t.is("(") || t.is("[") || t.is("{") {
                    depth_b += 1;
                } else if t.is(")") || t.is("]") || t.is("}") {
                    depth_b -= 1;
                }
                depth_b <= 0 && t.is(";") || depth_b < 0
            })
            .map_or(text.len(), |t| t.start);
        let rhs = text.get(from..end)?;
        let src = SourceFile::new("rhs", format!("__v = {rhs};"));
        let script = syntax::parse(&src).ok()?;
        let StmtKind::Assign { value, .. } = &script.main.stmts.first()?.node else { return None };
        self.infer(text, value, self.toks[i].start, depth)
    }

    fn infer(&self, text: &str, e: &crate::syntax::ast::Expr, at: usize, depth: usize) -> Option<Ty> {
        use crate::builtins;
        Some(match &e.node {
            ExprKind::Lit(Lit::Text(_)) => Ty::Text,
            ExprKind::Lit(Lit::Int(_)) => Ty::Int,
            ExprKind::Lit(Lit::Dec(_)) => Ty::Dec,
            ExprKind::Lit(Lit::Bool(_)) => Ty::Bool,
            ExprKind::Lit(Lit::DateText(_)) => Ty::Date,
            ExprKind::List(_) => Ty::List,
            ExprKind::Map(_) => Ty::Map,
            ExprKind::EmptyCollection => Ty::Collection,
            ExprKind::Var(v) => return self.type_of(text, &v.name, at, depth + 1),
            ExprKind::TypedCtor { kind, .. } => return Ty::declared(kind),
            ExprKind::Unary(UnOp::Not, _) => Ty::Bool,
            ExprKind::Binary(BinOp::Add, a, b) => {
                let (a, b) = (self.infer(text, a, at, depth), self.infer(text, b, at, depth));
                match (a, b) {
                    (Some(Ty::Text), _) | (_, Some(Ty::Text)) => Ty::Text,
                    (Some(Ty::Int), Some(Ty::Int)) => Ty::Int,
                    _ => return None,
                }
            }
            ExprKind::Binary(BinOp::Sub | BinOp::Mul | BinOp::Mod | BinOp::Div, ..) => return None,
            ExprKind::Binary(..) => Ty::Bool,
            ExprKind::Call { name, .. } => match name.to_ascii_lowercase().as_str() {
                "map" => Ty::Map,
                "list" => Ty::List,
                "collection" => Ty::Collection,
                _ => return builtins::return_type(name),
            },
            ExprKind::Method { name, .. } => return builtins::return_type(name),
            ExprKind::ZohoTask { path, .. } => {
                let lower = path.to_ascii_lowercase();
                match lower.rsplit('.').next().unwrap_or("") {
                    _ if lower.starts_with("encryption.") => Ty::Text,
                    "getrecordbyid" | "createrecord" | "updaterecord" => Ty::Map,
                    "getrecords" | "getrelatedrecords" | "searchrecords" => Ty::List,
                    _ => return None,
                }
            }
            ExprKind::ZohoValue(v) if v.as_ref() == "currentdate" => Ty::Date,
            ExprKind::ZohoValue(v) if v.as_ref() == "currenttime" => Ty::DateTime,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_functions_variables_and_types() {
        let text = "string f(map m, int n)\n{\n\tx = \"a\";\n\ty = x.length();\n\tz = m;\n\treturn x;\n}\n";
        let s = Symbols::new(text);
        assert_eq!(s.functions.len(), 1);
        assert_eq!(s.functions[0].header, "string f(map m, int n)");
        let end = text.len() - 3;
        let vars: Vec<&str> = s.variables(end).into_iter().map(|(n, _)| n).collect();
        assert_eq!(vars, ["m", "n", "x", "y", "z"]);
        assert_eq!(s.type_of(text, "x", end, 0), Some(Ty::Text));
        assert_eq!(s.type_of(text, "y", end, 0), Some(Ty::Int));
        assert_eq!(s.type_of(text, "z", end, 0), Some(Ty::Map));
        let ret = text.find("return x").unwrap() + 7;
        let i = s.token_at(ret).unwrap();
        assert_eq!(s.definition(i), Some((text.find("x =").unwrap(), text.find("x =").unwrap() + 1)));
        assert_eq!(s.references(i).len(), 3);
    }
}
