//! Builds the AST from pest pairs, one builder function per grammar rule, resolving
//! variables to slots as it goes.

use super::ast::*;
use super::precedence::pratt;
use super::Rule;
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::rc::Rc;

type Pair<'i> = pest::iterators::Pair<'i, Rule>;
type Pairs<'i> = pest::iterators::Pairs<'i, Rule>;

/// Deepest expression tree accepted (long operator chains nest too).
const MAX_EXPR_DEPTH: u32 = 2000;

/// Names of one function body (or the script, or a REPL session) mapped to slot numbers.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    slots: Vec<Rc<str>>,
    index: HashMap<Rc<str>, u32>,
}

impl Scope {
    pub fn new() -> Scope {
        Scope::default()
    }
    fn var(&mut self, name: &str) -> Var {
        if let Some((k, &slot)) = self.index.get_key_value(name) {
            return Var { name: k.clone(), slot };
        }
        let name: Rc<str> = Rc::from(name);
        let slot = self.slots.len() as u32;
        self.slots.push(name.clone());
        self.index.insert(name.clone(), slot);
        Var { name, slot }
    }
    pub fn slots(&self) -> &[Rc<str>] {
        &self.slots
    }
}

fn span(p: &Pair) -> Span {
    let s = p.as_span();
    Span::new(s.start(), s.end())
}

pub fn build_file(mut pairs: Pairs) -> Result<Script> {
    let file = pairs.next().expect("file rule");
    let mut script = Script::default();
    let mut scope = Scope::new();
    let mut first_stmt: Option<Span> = None;
    for p in file.into_inner() {
        match p.as_rule() {
            Rule::EOI => {}
            Rule::func_def => script.functions.push(func_def(p)?),
            _ => {
                first_stmt.get_or_insert(span(&p));
                if let Some(s) = stmt(p, &mut scope)? {
                    script.main.stmts.push(s);
                }
            }
        }
    }
    if let (Some(s), false) = (first_stmt, script.functions.is_empty()) {
        return Err(Error::syntax(
            "a file holds either statements or function definitions, not both: \
             move this statement into a function",
            s,
        ));
    }
    script.main.slots = scope.slots;
    Ok(script)
}

pub fn build_repl(mut pairs: Pairs, scope: &mut Scope) -> Result<Script> {
    let input = pairs.next().expect("repl rule");
    let mut script = Script::default();
    for p in input.into_inner() {
        if p.as_rule() != Rule::EOI {
            if let Some(s) = stmt(p, scope)? {
                script.main.stmts.push(s);
            }
        }
    }
    script.main.slots = scope.slots.clone();
    Ok(script)
}

fn func_def(p: Pair) -> Result<Function> {
    let sp = span(&p);
    let mut it = p.into_inner();
    let return_type: Rc<str> = Rc::from(it.next().unwrap().as_str());
    let full = it.next().unwrap().as_str();
    let (namespace, name) = match full.split_once('.') {
        Some((ns, n)) => (Some(Rc::from(ns.to_ascii_lowercase())), Rc::from(n)),
        None => (None, Rc::from(full)),
    };
    let mut scope = Scope::new();
    let mut params = Vec::new();
    for param in it.next().unwrap().into_inner() {
        let mut pi = param.into_inner();
        let type_name = Rc::from(pi.next().unwrap().as_str());
        let var = scope.var(pi.next().unwrap().as_str());
        params.push(Param { type_name, var });
    }
    let stmts = block(it.next().unwrap(), &mut scope)?;
    Ok(Function { return_type, namespace, name, params, body: Body { stmts, slots: scope.slots }, span: sp })
}

fn block(p: Pair, scope: &mut Scope) -> Result<Block> {
    let mut out = Vec::new();
    for s in p.into_inner() {
        if let Some(s) = stmt(s, scope)? {
            out.push(s);
        }
    }
    Ok(out)
}

fn stmt(p: Pair, scope: &mut Scope) -> Result<Option<Stmt>> {
    let sp = span(&p);
    let rule = p.as_rule();
    let whole = p.as_str();
    let mut it = p.into_inner();
    let kind = match rule {
        Rule::empty_stmt => return Ok(None),
        Rule::assign_stmt => {
            let mut target = it.next().unwrap().into_inner();
            let op = match it.next().unwrap().as_str() {
                "+=" => AssignOp::Add,
                "-=" => AssignOp::Sub,
                "*=" => AssignOp::Mul,
                "/=" => AssignOp::Div,
                _ => AssignOp::Set,
            };
            let value = expr(it.next().unwrap(), scope)?;
            let head = target.next().unwrap().as_str();
            let path: Vec<Rc<str>> = target.map(|f| Rc::from(f.as_str())).collect();
            let var = scope.var(head);
            if path.is_empty() {
                StmtKind::Assign { var, op, value }
            } else {
                StmtKind::SetField { var, path, op, value }
            }
        }
        Rule::expr_stmt => StmtKind::Expr(expr(it.next().unwrap(), scope)?),
        Rule::info_stmt => {
            it.next();
            StmtKind::Info(expr(it.next().unwrap(), scope)?)
        }
        Rule::return_stmt => {
            it.next();
            StmtKind::Return(it.next().map(|e| expr(e, scope)).transpose()?)
        }
        Rule::break_stmt => StmtKind::Break,
        Rule::continue_stmt => StmtKind::Continue,
        Rule::if_stmt => {
            it.next();
            let cond = expr(it.next().unwrap(), scope)?;
            let body = block(it.next().unwrap(), scope)?;
            let mut branches = vec![(cond, body)];
            let mut otherwise = None;
            for rest in it {
                match rest.as_rule() {
                    Rule::else_if => {
                        let mut ei = rest.into_inner().skip(2);
                        let c = expr(ei.next().unwrap(), scope)?;
                        let b = block(ei.next().unwrap(), scope)?;
                        branches.push((c, b));
                    }
                    _ => otherwise = Some(block(rest.into_inner().nth(1).unwrap(), scope)?),
                }
            }
            StmtKind::If { branches, otherwise }
        }
        Rule::for_stmt => {
            let parts: Vec<Pair> = it.collect();
            let indexed = parts[2].as_rule() == Rule::kw_index;
            let at = if indexed { 3 } else { 2 };
            let var = scope.var(parts[at].as_str());
            let iter = expr(parts[at + 2].clone(), scope)?;
            let body = block(parts[at + 3].clone(), scope)?;
            if indexed {
                StmtKind::ForIndex { var, iter, body }
            } else {
                StmtKind::ForEach { var, iter, body }
            }
        }
        Rule::try_stmt => {
            it.next();
            let body = block(it.next().unwrap(), scope)?;
            it.next();
            let err = scope.var(it.next().unwrap().as_str());
            let handler = block(it.next().unwrap(), scope)?;
            StmtKind::Try { body, err, handler }
        }
        Rule::sendmail_stmt => {
            it.next();
            StmtKind::SendMail(block_pairs(it, scope)?)
        }
        Rule::delete_stmt => {
            let parts: Vec<Pair> = it.collect();
            expr(parts[3].clone(), scope)?;
            StmtKind::CreatorOnly("delete from")
        }
        Rule::alert_stmt => {
            it.next();
            expr(it.next().unwrap(), scope)?;
            StmtKind::CreatorOnly("alert")
        }
        Rule::cancel_stmt => StmtKind::CreatorOnly("cancel submit"),
        Rule::field_ui_stmt => StmtKind::CreatorOnly(match it.next().unwrap().as_str().to_ascii_lowercase().as_str() {
            "hide" => "hide",
            "show" => "show",
            "enable" => "enable",
            _ => "disable",
        }),
        Rule::client_ui_stmt => {
            // The arguments are read (so check sees their variables); the call is Creator's.
            if let Some(p) = it.find(|p| p.as_rule() == Rule::args) {
                args(p, scope)?;
            }
            StmtKind::CreatorOnly("Field:ui.*()")
        }
        Rule::clear_stmt => StmtKind::CreatorOnly("clear Field"),
        Rule::while_stmt => {
            return Err(Error::syntax("'while' loops are not part of Deluge: use 'for each x in list'", sp))
        }
        Rule::c_for_stmt => {
            return Err(Error::syntax(
                "C-style 'for' loops are not part of Deluge: use 'for each x in list' \
                 or 'for each index i in list'",
                sp,
            ))
        }
        Rule::incdec_stmt => {
            let op = if whole.contains("++") { "++" } else { "--" };
            let fix = if op == "++" { "x = x + 1;" } else { "x = x - 1;" };
            return Err(Error::syntax(format!("'{op}' is not Deluge: write '{fix}'"), sp));
        }
        other => unreachable!("statement rule {other:?}"),
    };
    Ok(Some(Spanned { node: kind, span: sp }))
}

fn block_pairs(it: Pairs, scope: &mut Scope) -> Result<Vec<BlockPair>> {
    let mut out = Vec::new();
    for bp in it {
        if bp.as_rule() != Rule::block_pair {
            continue;
        }
        let mut bi = bp.into_inner();
        let key = bi.next().unwrap();
        let key_span = span(&key);
        let words: Vec<&str> = key.as_str().split_whitespace().collect();
        let key = Rc::from(words.join(" ").to_ascii_lowercase());
        let mut next = bi.next().unwrap();
        if next.as_rule() == Rule::attach_kind {
            next = bi.next().unwrap();
        }
        let value = expr(next, scope)?;
        out.push(BlockPair { key, key_span, value });
    }
    Ok(out)
}

/// An expression: operands folded by the precedence table.
fn expr(p: Pair, scope: &mut Scope) -> Result<Expr> {
    let (e, _) = expr_depth(p, scope)?;
    Ok(e)
}

fn expr_depth(p: Pair, scope: &mut Scope) -> Result<(Expr, u32)> {
    // The primary closure needs the scope mutably; infix only combines results.
    let scope = std::cell::RefCell::new(scope);
    pratt()
        .map_primary(|op| operand(op, &mut scope.borrow_mut()))
        .map_infix(|l, op, r| {
            let ((l, dl), (r, dr)) = (l?, r?);
            let depth = dl.max(dr) + 1;
            if depth > MAX_EXPR_DEPTH {
                return Err(Error::syntax("expression too deeply nested", span(&op)));
            }
            let bin = match op.as_rule() {
                Rule::op_or => BinOp::Or,
                Rule::op_and => BinOp::And,
                Rule::op_eq => BinOp::Eq,
                Rule::op_ne => BinOp::Ne,
                Rule::op_lt => BinOp::Lt,
                Rule::op_le => BinOp::Le,
                Rule::op_gt => BinOp::Gt,
                Rule::op_ge => BinOp::Ge,
                Rule::op_in | Rule::op_not_in => BinOp::In,
                Rule::op_add => BinOp::Add,
                Rule::op_sub => BinOp::Sub,
                Rule::op_mul => BinOp::Mul,
                Rule::op_div => BinOp::Div,
                _ => BinOp::Mod,
            };
            let sp = Span { start: l.span.start, end: r.span.end };
            let node = ExprKind::Binary(bin, Box::new(l), Box::new(r));
            if op.as_rule() == Rule::op_not_in {
                // `a not in b` is `!(a in b)`
                let inner = Box::new(Spanned { node, span: sp });
                return Ok((Spanned { node: ExprKind::Unary(UnOp::Not, inner), span: sp }, depth));
            }
            Ok((Spanned { node, span: sp }, depth))
        })
        .parse(p.into_inner())
}

/// prefix* primary postfix*: postfixes bind first, then prefixes from the inside out.
fn operand(p: Pair, scope: &mut Scope) -> Result<(Expr, u32)> {
    let mut prefixes = Vec::new();
    let mut value: Option<Expr> = None;
    let mut depth = 1u32;
    for part in p.into_inner() {
        let sp = span(&part);
        match part.as_rule() {
            Rule::op_not => prefixes.push((UnOp::Not, sp)),
            Rule::op_neg => prefixes.push((UnOp::Neg, sp)),
            Rule::op_pos => prefixes.push((UnOp::Pos, sp)),
            Rule::method_call | Rule::field | Rule::index => {
                let recv = Box::new(value.take().expect("postfix after primary"));
                let start = recv.span.start;
                let mut it = part.clone().into_inner();
                let node = match part.as_rule() {
                    Rule::method_call => {
                        let name = Rc::from(it.next().unwrap().as_str());
                        let args = args(it.next().unwrap(), scope)?;
                        ExprKind::Method { recv, name, args }
                    }
                    Rule::field => ExprKind::Field { recv, name: Rc::from(it.next().unwrap().as_str()) },
                    _ => {
                        let index = Box::new(expr(it.next().unwrap(), scope)?);
                        // `sort by` / `range from .. to ..` only matter inside Creator
                        for opt in it {
                            if opt.as_rule() == Rule::operand {
                                operand(opt, scope)?;
                            }
                        }
                        ExprKind::Index { recv, index }
                    }
                };
                value = Some(Spanned { node, span: Span { start, end: sp.end } });
                depth += 1;
            }
            _ => value = Some(primary(part, scope)?),
        }
    }
    let mut value = value.expect("operand has a primary");
    for (op, sp) in prefixes.into_iter().rev() {
        // Fold `-5` into a literal so that -9223372036854775808 and constant folding work.
        if let (UnOp::Neg, ExprKind::Lit(Lit::Int(n))) = (op, &value.node) {
            value = Spanned { node: ExprKind::Lit(Lit::Int(-n)), span: Span { start: sp.start, end: value.span.end } };
            continue;
        }
        if let (UnOp::Neg, ExprKind::Lit(Lit::Dec(n))) = (op, &value.node) {
            value = Spanned { node: ExprKind::Lit(Lit::Dec(-n)), span: Span { start: sp.start, end: value.span.end } };
            continue;
        }
        let end = value.span.end;
        value = Spanned { node: ExprKind::Unary(op, Box::new(value)), span: Span { start: sp.start, end } };
        depth += 1;
    }
    if depth > MAX_EXPR_DEPTH {
        return Err(Error::syntax("expression too deeply nested", value.span));
    }
    Ok((value, depth))
}

fn primary(p: Pair, scope: &mut Scope) -> Result<Expr> {
    let sp = span(&p);
    let text = p.as_str();
    let node = match p.as_rule() {
        Rule::number => number(text, sp)?,
        Rule::dq_text => ExprKind::Lit(Lit::Text(Rc::from(unescape(&text[1..text.len() - 1])))),
        Rule::sq_text => ExprKind::Lit(Lit::DateText(Rc::from(unescape(&text[1..text.len() - 1])))),
        Rule::kw_true => ExprKind::Lit(Lit::Bool(true)),
        Rule::kw_false => ExprKind::Lit(Lit::Bool(false)),
        Rule::kw_null => ExprKind::Lit(Lit::Null),
        Rule::paren => return expr(p.into_inner().next().unwrap(), scope).map(|e| Spanned { node: e.node, span: sp }),
        Rule::bracket_lit => {
            let items = p.into_inner().map(|e| expr(e, scope)).collect::<Result<Vec<_>>>()?;
            ExprKind::List(items)
        }
        Rule::brace_lit => brace(p, scope)?,
        Rule::inline_if => {
            let mut it = p.into_inner().skip(1);
            let c = expr(it.next().unwrap(), scope)?;
            let a = expr(it.next().unwrap(), scope)?;
            let b = expr(it.next().unwrap(), scope)?;
            ExprKind::IfElse(Box::new(c), Box::new(a), Box::new(b))
        }
        Rule::invokeurl => ExprKind::InvokeUrl(block_pairs(p.into_inner(), scope)?),
        Rule::invokeapi => ExprKind::InvokeApi(block_pairs(p.into_inner(), scope)?),
        Rule::insert_into => {
            let mut it = p.into_inner().skip(2);
            let form = Rc::from(it.next().unwrap().as_str());
            let mut fields = Vec::new();
            for f in it {
                let mut fi = f.into_inner();
                let name = Rc::from(fi.next().unwrap().as_str());
                fields.push((name, expr(fi.next().unwrap(), scope)?));
            }
            ExprKind::InsertInto { form, fields }
        }
        Rule::typed_ctor => {
            let mut it = p.into_inner();
            let kind = Rc::from(it.next().unwrap().as_str().to_ascii_lowercase());
            let elem = Rc::from(it.next().unwrap().as_str());
            ExprKind::TypedCtor { kind, elem, args: args(it.next().unwrap(), scope)? }
        }
        Rule::call => {
            let mut it = p.into_inner();
            let name = it.next().unwrap().as_str();
            let mut args = args(it.next().unwrap(), scope)?;
            if name.eq_ignore_ascii_case("ifnull") && args.len() == 2 && args.iter().all(|a| a.key.is_none()) {
                let b = args.pop().unwrap().value;
                let a = args.pop().unwrap().value;
                ExprKind::IfNull(Box::new(a), Box::new(b))
            } else {
                ExprKind::Call { name: Rc::from(name), args }
            }
        }
        Rule::qualified => return qualified(p, scope),
        Rule::variable => ExprKind::Var(scope.var(text)),
        other => unreachable!("primary rule {other:?}"),
    };
    Ok(Spanned { node, span: sp })
}

/// System values after `zoho.` (everything else after `zoho.` is an integration task).
const ZOHO_VALUES: &[&str] = &[
    "currentdate",
    "currenttime",
    "loginuserid",
    "loginuser",
    "adminuserid",
    "adminuser",
    "appname",
    "appuri",
    "ipaddress",
];

fn qualified(p: Pair, scope: &mut Scope) -> Result<Expr> {
    let sp = span(&p);
    let mut it = p.into_inner();
    let head = it.next().unwrap().as_str().to_ascii_lowercase();
    let mut segs: Vec<(Rc<str>, Span)> = Vec::new();
    let mut call_args: Option<Vec<Arg>> = None;
    for part in it {
        match part.as_rule() {
            Rule::args => call_args = Some(args(part, scope)?),
            _ => segs.push((Rc::from(part.as_str()), span(&part))),
        }
    }
    if head != "zoho" {
        // thisapp.f(..) and, for Creator's namespaced functions, thisapp.Claims.f(..)
        return match (segs.len(), call_args) {
            (1 | 2, Some(args)) => {
                let name = segs[segs.len() - 1].0.clone();
                Ok(Spanned { node: ExprKind::UserCall { name, args }, span: sp })
            }
            _ => Err(Error::syntax(format!("expected a function call such as '{head}.name(...)'"), sp)),
        };
    }
    let first = segs[0].0.to_ascii_lowercase();
    if !ZOHO_VALUES.contains(&first.as_str()) {
        let path: Vec<&str> = segs.iter().map(|(s, _)| &**s).collect();
        let path = Rc::from(path.join("."));
        return Ok(Spanned {
            node: match call_args {
                Some(args) => ExprKind::ZohoTask { path, args },
                None => ExprKind::ZohoValue(path),
            },
            span: sp,
        });
    }
    // zoho.currentdate.addDay(1): the value, then fields and a final method call.
    let mut value =
        Spanned { node: ExprKind::ZohoValue(Rc::from(first)), span: Span { start: sp.start, end: segs[0].1.end } };
    let n = segs.len();
    for (i, (name, s)) in segs.into_iter().enumerate().skip(1) {
        let recv = Box::new(value);
        let node = match (i == n - 1, call_args.take()) {
            (true, Some(args)) => ExprKind::Method { recv, name, args },
            (_, other) => {
                call_args = other;
                ExprKind::Field { recv, name }
            }
        };
        value = Spanned { node, span: Span { start: sp.start, end: s.end.max(if i == n - 1 { sp.end } else { 0 }) } };
    }
    Ok(value)
}

fn brace(p: Pair, scope: &mut Scope) -> Result<ExprKind> {
    let mut list = Vec::new();
    let mut map = Vec::new();
    for item in p.into_inner() {
        let isp = span(&item);
        let mut it = item.into_inner();
        let first = expr(it.next().unwrap(), scope)?;
        match it.next() {
            Some(v) => {
                if !list.is_empty() {
                    return Err(Error::syntax(
                        "a key: value pair in a list: use either a list {a, b} or a map {\"k\": v}",
                        isp,
                    ));
                }
                map.push((first, expr(v, scope)?));
            }
            None => {
                if !map.is_empty() {
                    return Err(Error::syntax("expected ':' and a value: every entry of a map needs one", isp));
                }
                list.push(first);
            }
        }
    }
    Ok(if !map.is_empty() {
        ExprKind::Map(map)
    } else if !list.is_empty() {
        ExprKind::List(list)
    } else {
        ExprKind::EmptyCollection
    })
}

fn args(p: Pair, scope: &mut Scope) -> Result<Vec<Arg>> {
    let mut out = Vec::new();
    for item in p.into_inner() {
        let mut it = item.into_inner();
        let first = expr(it.next().unwrap(), scope)?;
        out.push(match it.next() {
            Some(v) => Arg { key: Some(first), value: expr(v, scope)? },
            None => Arg { key: None, value: first },
        });
    }
    Ok(out)
}

fn number(text: &str, sp: Span) -> Result<ExprKind> {
    if text.contains(['.', 'e', 'E']) {
        let v: f64 = text.parse().map_err(|_| Error::syntax("not a valid decimal number", sp))?;
        Ok(ExprKind::Lit(Lit::Dec(v)))
    } else {
        match text.parse::<i64>() {
            Ok(v) => Ok(ExprKind::Lit(Lit::Int(v))),
            Err(_) => Err(Error::syntax(format!("the number {text} does not fit in a 64-bit integer"), sp)),
        }
    }
}

/// Decode Deluge escapes: \" \' \\ \n \t \r \/; any other `\x` keeps both characters.
pub fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\'') => out.push('\''),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('/') => out.push('/'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}
