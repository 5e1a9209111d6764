//! Prints expressions fully parenthesised (`dg run --dump-ast`, precedence golden tests).

use super::ast::*;
use std::fmt::Write;

/// Every statement of a script, one per line, expressions fully parenthesised.
pub fn script(s: &Script) -> String {
    let mut out = String::new();
    for f in &s.functions {
        let params: Vec<String> = f.params.iter().map(|p| format!("{} {}", p.type_name, p.var.name)).collect();
        let ns = f.namespace.as_deref().map(|n| format!("{n}.")).unwrap_or_default();
        let _ = writeln!(out, "fn {} {ns}{}({})", f.return_type, f.name, params.join(", "));
        block(&mut out, &f.body.stmts, 1);
    }
    block(&mut out, &s.main.stmts, 0);
    out
}

fn block(out: &mut String, stmts: &[Stmt], depth: usize) {
    for s in stmts {
        stmt(out, s, depth);
    }
}

fn stmt(out: &mut String, s: &Stmt, depth: usize) {
    let pad = "  ".repeat(depth);
    match &s.node {
        StmtKind::Assign { var, op, value } => {
            let _ = writeln!(out, "{pad}{} {} {}", var.name, assign_op(*op), expr(value));
        }
        StmtKind::SetField { var, path, op, value } => {
            let _ = writeln!(out, "{pad}{}.{} {} {}", var.name, path.join("."), assign_op(*op), expr(value));
        }
        StmtKind::Expr(e) => {
            let _ = writeln!(out, "{pad}{}", expr(e));
        }
        StmtKind::Info(e) => {
            let _ = writeln!(out, "{pad}info {}", expr(e));
        }
        StmtKind::If { branches, otherwise } => {
            for (i, (c, b)) in branches.iter().enumerate() {
                let kw = if i == 0 { "if" } else { "else if" };
                let _ = writeln!(out, "{pad}{kw} {}", expr(c));
                block(out, b, depth + 1);
            }
            if let Some(b) = otherwise {
                let _ = writeln!(out, "{pad}else");
                block(out, b, depth + 1);
            }
        }
        StmtKind::ForEach { var, iter, body } => {
            let _ = writeln!(out, "{pad}for each {} in {}", var.name, expr(iter));
            block(out, body, depth + 1);
        }
        StmtKind::ForIndex { var, iter, body } => {
            let _ = writeln!(out, "{pad}for each index {} in {}", var.name, expr(iter));
            block(out, body, depth + 1);
        }
        StmtKind::Try { body, err, handler } => {
            let _ = writeln!(out, "{pad}try");
            block(out, body, depth + 1);
            let _ = writeln!(out, "{pad}catch {}", err.name);
            block(out, handler, depth + 1);
        }
        StmtKind::Return(e) => {
            let _ = writeln!(out, "{pad}return {}", e.as_ref().map(expr).unwrap_or_default());
        }
        StmtKind::Break => out.push_str(&format!("{pad}break\n")),
        StmtKind::Continue => out.push_str(&format!("{pad}continue\n")),
        StmtKind::SendMail(pairs) => {
            let _ = writeln!(out, "{pad}sendmail [{}]", pairs_text(pairs));
        }
        StmtKind::CreatorOnly(what) => {
            let _ = writeln!(out, "{pad}creator {what}");
        }
    }
}

fn assign_op(op: AssignOp) -> &'static str {
    match op {
        AssignOp::Set => "=",
        AssignOp::Add => "+=",
        AssignOp::Sub => "-=",
        AssignOp::Mul => "*=",
        AssignOp::Div => "/=",
    }
}

fn pairs_text(pairs: &[BlockPair]) -> String {
    pairs.iter().map(|p| format!("{}: {}", p.key, expr(&p.value))).collect::<Vec<_>>().join(", ")
}

fn args_text(args: &[Arg]) -> String {
    args.iter()
        .map(|a| match &a.key {
            Some(k) => format!("{}: {}", expr(k), expr(&a.value)),
            None => expr(&a.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One expression, every operator application in parentheses.
pub fn expr(e: &Expr) -> String {
    match &e.node {
        ExprKind::Lit(l) => match l {
            Lit::Null => "null".into(),
            Lit::Bool(b) => b.to_string(),
            Lit::Int(n) => n.to_string(),
            Lit::Dec(d) => format!("{d:?}"),
            Lit::Text(t) => format!("{t:?}"),
            Lit::DateText(t) => format!("'{t}'"),
        },
        ExprKind::Var(v) => v.name.to_string(),
        ExprKind::List(items) => format!("[{}]", items.iter().map(expr).collect::<Vec<_>>().join(", ")),
        ExprKind::Map(pairs) => format!(
            "{{{}}}",
            pairs.iter().map(|(k, v)| format!("{}: {}", expr(k), expr(v))).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::EmptyCollection => "{}".into(),
        ExprKind::Unary(op, x) => {
            let s = match op {
                UnOp::Not => "!",
                UnOp::Neg => "-",
                UnOp::Pos => "+",
            };
            format!("({s}{})", expr(x))
        }
        ExprKind::Binary(op, l, r) => format!("({} {} {})", expr(l), op.symbol(), expr(r)),
        ExprKind::IfElse(c, a, b) => format!("if({}, {}, {})", expr(c), expr(a), expr(b)),
        ExprKind::IfNull(a, b) => format!("ifnull({}, {})", expr(a), expr(b)),
        ExprKind::Call { name, args } => format!("{name}({})", args_text(args)),
        ExprKind::UserCall { name, args } => format!("thisapp.{name}({})", args_text(args)),
        ExprKind::TypedCtor { kind, elem, args } => format!("{kind}:{elem}({})", args_text(args)),
        ExprKind::Method { recv, name, args } => format!("{}.{name}({})", expr(recv), args_text(args)),
        ExprKind::Field { recv, name } => format!("{}.{name}", expr(recv)),
        ExprKind::Index { recv, index } => format!("{}[{}]", expr(recv), expr(index)),
        ExprKind::ZohoValue(v) => format!("zoho.{v}"),
        ExprKind::ZohoTask { path, args } => format!("zoho.{path}({})", args_text(args)),
        ExprKind::InvokeUrl(pairs) => format!("invokeurl [{}]", pairs_text(pairs)),
        ExprKind::InvokeApi(pairs) => format!("invokeapi [{}]", pairs_text(pairs)),
        ExprKind::InsertInto { form, fields } => format!(
            "insert into {form} [{}]",
            fields.iter().map(|(k, v)| format!("{k} = {}", expr(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}
