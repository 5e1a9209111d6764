//! Completion, hover and signature help: what the cursor's context asks for, answered from
//! `tables` (built-ins, tasks, keys, links) and `symbols` (the document's own names).

use super::doc::Document;
use super::symbols::Symbols;
use super::tables::{self, recv_name};
use crate::builtins::Recv;
use crate::fmt::lex::{self, Kind, Token};
use crate::value::types::Ty;
use lsp_types::*;

fn recv_takes(recv: Recv, t: Ty) -> bool {
    match recv {
        Recv::Any => true,
        Recv::Text => t == Ty::Text,
        Recv::Num => matches!(t, Ty::Int | Ty::Dec),
        Recv::List => matches!(t, Ty::List | Ty::Collection),
        Recv::Map => matches!(t, Ty::Map | Ty::Collection),
        Recv::Collection => matches!(t, Ty::Map | Ty::Collection),
        Recv::Time => matches!(t, Ty::Date | Ty::DateTime),
        Recv::File => t == Ty::File,
    }
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem { label: label.to_string(), kind: Some(kind), detail, ..Default::default() }
}

fn snippet(mut it: CompletionItem, text: String) -> CompletionItem {
    it.insert_text = Some(text);
    it.insert_text_format = Some(InsertTextFormat::SNIPPET);
    it
}

/// For clients without snippet support: `name(${1:module}, $0)` becomes `name(module, )`.
pub fn without_snippets(items: &mut [CompletionItem]) {
    for it in items.iter_mut().filter(|i| i.insert_text_format == Some(InsertTextFormat::SNIPPET)) {
        let text = it.insert_text.take().unwrap_or_default();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            if let Some(inner) = rest.strip_prefix('{') {
                let end = inner.find('}').unwrap_or(inner.len());
                let body = &inner[..end];
                out.push_str(body.split_once(':').map_or("", |(_, t)| t));
                rest = inner.get(end + 1..).unwrap_or("");
            } else {
                rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            }
        }
        out.push_str(rest);
        it.insert_text = Some(out);
        it.insert_text_format = Some(InsertTextFormat::PLAIN_TEXT);
    }
}

fn markdown(text: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value: text })
}

fn starts(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len() && name.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// The byte offset of a quote that opens a string still open at the end of `text`.
fn open_string(text: &str) -> Option<usize> {
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match open {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some((_, q)) if c == q => open = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => open = Some((i, c)),
            None => {}
        }
    }
    open.map(|(i, _)| i)
}

/// Tokens of the text before the cursor, and the innermost bracket still open there.
fn open_bracket<'a>(toks: &[Token<'a>]) -> Option<usize> {
    let mut stack = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.is("(") || t.is("[") || t.is("{") {
            stack.push(i);
        } else if t.is(")") || t.is("]") || t.is("}") {
            stack.pop();
        }
    }
    stack.pop()
}

/// Completion items at `offset`.
pub fn complete(doc: &Document, offset: usize, links: &[String]) -> Vec<CompletionItem> {
    let text = &doc.text;
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // Inside a string: connection link names after `connection:`.
    if let Some(q) = open_string(&before[line_start..]) {
        let head = before[..line_start + q].trim_end();
        let is_conn = head
            .strip_suffix(':')
            .map(str::trim_end)
            .is_some_and(|h| h.get(h.len().saturating_sub(10)..).is_some_and(|k| k.eq_ignore_ascii_case("connection")));
        if !is_conn {
            return Vec::new();
        }
        return links.iter().map(|l| item(l, CompletionItemKind::VALUE, Some("connection".into()))).collect();
    }
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    let partial = word.rsplit('.').next().unwrap_or("");
    if word.len() >= 5 && word[..5].eq_ignore_ascii_case("zoho.") {
        return zoho(&word[5..], partial);
    }
    if let Some(dot) = word.rfind('.') {
        let receiver = &word[..dot];
        let ty = if receiver.is_empty() {
            before[..word_start].ends_with(['"', '\'']).then_some(Ty::Text)
        } else if receiver.bytes().all(|b| b.is_ascii_digit()) {
            Some(Ty::Int)
        } else if !receiver.contains('.') {
            Symbols::new(text).type_of(text, receiver, offset, 0)
        } else {
            None
        };
        return methods(ty, partial);
    }
    let toks = lex::tokens(before, &[]);
    let code: Vec<Token> = toks.into_iter().filter(|t| !t.is_comment()).collect();
    if let Some(open) = open_bracket(&code) {
        let opener = open.checked_sub(1).map(|p| &code[p]);
        let sendmail = opener.is_some_and(|p| p.word("sendmail"));
        if code[open].is("[") && (sendmail || opener.is_some_and(|p| p.word("invokeurl"))) {
            let at_key = before[line_start..word_start].trim().is_empty();
            if at_key {
                let keys = if sendmail { tables::SENDMAIL_KEYS } else { tables::INVOKEURL_KEYS };
                return keys
                    .iter()
                    .filter(|k| starts(k, partial))
                    .map(|k| {
                        // spaced as `dg fmt` (and Zoho's editor) writes them
                        let sep = if sendmail || *k == "url" || *k == "type" { " :" } else { ":" };
                        snippet(item(k, CompletionItemKind::PROPERTY, None), format!("{k}{sep}$0"))
                    })
                    .collect();
            }
        }
    }
    names(text, offset, partial)
}

fn zoho(path: &str, partial: &str) -> Vec<CompletionItem> {
    let depth = path.matches('.').count();
    let mut out = Vec::new();
    if depth == 0 {
        for v in tables::ZOHO_VALUES.iter().filter(|v| starts(v, partial)) {
            out.push(item(v, CompletionItemKind::CONSTANT, Some(format!("zoho.{v}"))));
        }
        let mut products: Vec<&str> = Vec::new();
        for t in tables::tasks() {
            let p = t.path.split('.').next().unwrap_or("");
            if !products.contains(&p) && starts(p, partial) {
                products.push(p);
                out.push(item(p, CompletionItemKind::MODULE, Some(format!("zoho.{p}.*"))));
            }
        }
        return out;
    }
    let product = &path[..path.rfind('.').unwrap_or(0)];
    for t in tables::tasks() {
        let p = t.path.as_bytes();
        let under = p.len() > product.len()
            && p[..product.len()].eq_ignore_ascii_case(product.as_bytes())
            && p[product.len()] == b'.';
        let name = if under { &t.path[product.len() + 1..] } else { continue };
        if name.contains('.') || !starts(name, partial) {
            continue;
        }
        let args: Vec<String> = t
            .params
            .iter()
            .filter(|p| !p.starts_with('['))
            .enumerate()
            .map(|(i, p)| format!("${{{}:{p}}}", i + 1))
            .collect();
        let mut it = item(name, CompletionItemKind::FUNCTION, Some(t.signature()));
        if let Some(s) = &t.scope {
            it.documentation = Some(markdown(format!("`{}`\n\nscope: `{s}`", t.signature())));
        }
        out.push(snippet(it, format!("{name}({})", args.join(", "))));
    }
    out
}

fn methods(ty: Option<Ty>, partial: &str) -> Vec<CompletionItem> {
    tables::builtins()
        .iter()
        .filter(|b| starts(b.name, partial))
        .filter(|b| ty.is_none_or(|t| b.recvs.iter().any(|r| recv_takes(*r, t))))
        .filter(|b| b.recvs.iter().any(|r| *r != Recv::Any) || ty.is_none())
        .map(|b| {
            let mut it = item(b.name, CompletionItemKind::METHOD, Some(b.signature(true)));
            it.documentation = tables::doc(b.name).map(|d| markdown(d.to_string()));
            let body = if b.max == 0 { format!("{}()", b.name) } else { format!("{}($0)", b.name) };
            snippet(it, body)
        })
        .collect()
}

fn names(text: &str, offset: usize, partial: &str) -> Vec<CompletionItem> {
    let s = Symbols::new(text);
    let mut out = Vec::new();
    for (v, _) in s.variables(offset) {
        if starts(v, partial) && v != partial {
            let ty = s.type_of(text, v, offset, 0).map(|t| t.name().to_string());
            out.push(item(v, CompletionItemKind::VARIABLE, ty));
        }
    }
    for f in &s.functions {
        if starts(&f.name, partial) {
            out.push(snippet(
                item(&f.name, CompletionItemKind::FUNCTION, Some(f.header.clone())),
                format!("{}($0)", f.name),
            ));
        }
    }
    for w in tables::WORDS.iter().filter(|w| starts(w, partial)) {
        out.push(item(w, CompletionItemKind::KEYWORD, None));
    }
    if starts("zoho", partial) {
        out.push(item("zoho", CompletionItemKind::MODULE, Some("zoho.* tasks and values".into())));
    }
    // a built-in called as a function takes its receiver first: `daysBetween(d1, d2)`
    for b in tables::builtins().iter().filter(|b| starts(b.name, partial)) {
        let mut it = item(b.name, CompletionItemKind::FUNCTION, Some(b.signature(false)));
        it.documentation = tables::doc(b.name).map(|d| markdown(d.to_string()));
        out.push(it);
    }
    out
}

/// The dotted name ending at token `i` (`zoho.crm.getRecordById`), and whether it is called.
fn dotted(toks: &[Token], i: usize) -> (String, bool) {
    let mut start = i;
    while start >= 2 && toks[start - 1].is(".") && toks[start - 2].kind == Kind::Word {
        start -= 2;
    }
    let path: Vec<&str> = toks[start..=i].iter().filter(|t| !t.is(".")).map(|t| t.text).collect();
    (path.join("."), toks.get(i + 1).is_some_and(|t| t.is("(")))
}

/// Hover text for the name at `offset`.
pub fn hover(doc: &Document, offset: usize) -> Option<Hover> {
    let text = &doc.text;
    let s = Symbols::new(text);
    let i = s.token_at(offset)?;
    let t = &s.toks[i];
    if t.kind != Kind::Word {
        return None;
    }
    let (path, called) = dotted(&s.toks, i);
    let lower = path.to_ascii_lowercase();
    let value = if let Some(rest) = lower.strip_prefix("zoho.") {
        match tables::task(rest) {
            Some(task) => {
                let scope = task.scope.as_deref().map(|s| format!("\n\nscope: `{s}`")).unwrap_or_default();
                format!("```deluge\n{}\n```{scope}", task.signature())
            }
            None if tables::ZOHO_VALUES.contains(&rest) => format!("`zoho.{rest}`: a system value"),
            None => return None,
        }
    } else if let (true, Some(f)) = (called, s.functions.iter().find(|f| f.name.eq_ignore_ascii_case(t.text))) {
        format!("```deluge\n{}\n```", f.header)
    } else if let (true, Some(b)) = (called, tables::builtin(t.text)) {
        let method = i > 0 && s.toks[i - 1].is(".");
        let recvs: Vec<&str> = b.recvs.iter().map(|r| recv_name(*r)).collect();
        let doc = tables::doc(b.name).map(|d| format!("\n\n{d}")).unwrap_or_default();
        format!("```deluge\n{}\n```\non: {}{doc}", b.signature(method), recvs.join(", "))
    } else if s.definition(i).is_some() {
        let ty = s.type_of(text, t.text, t.start + t.text.len(), 0);
        format!("`{}`: {}", t.text, ty.map_or("type not known", |t| t.name()))
    } else {
        return None;
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
        range: Some(doc.range(t.start, t.start + t.text.len())),
    })
}

/// Signature help inside the call around `offset`.
pub fn signature(doc: &Document, offset: usize) -> Option<SignatureHelp> {
    let before = &doc.text[..offset];
    let toks: Vec<Token> = lex::tokens(before, &[]).into_iter().filter(|t| !t.is_comment()).collect();
    let mut depth = 0usize;
    let mut commas = 0u32;
    let mut open = None;
    for (i, t) in toks.iter().enumerate().rev() {
        if t.is(")") || t.is("]") || t.is("}") {
            depth += 1;
        } else if t.is("(") || t.is("[") || t.is("{") {
            if depth == 0 {
                if t.is("(") {
                    open = Some(i);
                }
                break;
            }
            depth -= 1;
        } else if t.is(",") && depth == 0 {
            commas += 1;
        }
    }
    let open = open?;
    let name_at = open.checked_sub(1).filter(|&n| toks[n].kind == Kind::Word)?;
    let (path, _) = dotted(&toks, name_at);
    let lower = path.to_ascii_lowercase();
    let name = toks[name_at].text;
    let (label, params): (String, Vec<String>) = if let Some(task) = lower.strip_prefix("zoho.").and_then(tables::task)
    {
        (task.signature(), task.params.iter().map(|p| p.to_string()).collect())
    } else if let Some(f) = Symbols::new(&doc.text).functions.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
        let params = f.params.iter().map(|(t, n)| format!("{t} {n}")).collect::<Vec<_>>();
        (format!("{}({})", f.name, params.join(", ")), params)
    } else if let Some(b) = tables::builtin(name) {
        let method = name_at > 0 && toks[name_at - 1].is(".");
        let sig = b.signature(method);
        let inner = sig[sig.find('(').map_or(0, |i| i + 1)..sig.len() - 1].to_string();
        (sig, inner.split(", ").filter(|p| !p.is_empty()).map(str::to_string).collect())
    } else {
        return None;
    };
    let parameters = params
        .into_iter()
        .map(|p| ParameterInformation { label: ParameterLabel::Simple(p), documentation: None })
        .collect();
    let documentation = tables::doc(name).map(|d| markdown(d.to_string()));
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation,
            parameters: Some(parameters),
            active_parameter: None,
        }],
        active_signature: Some(0),
        active_parameter: Some(commas),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let doc = Document::new(text.to_string(), 0);
        complete(&doc, text.len(), &["crm".to_string()]).into_iter().map(|i| i.label).collect()
    }

    fn hover_at(text: &str, needle: &str) -> String {
        let doc = Document::new(text.to_string(), 0);
        let h = hover(&doc, text.find(needle).unwrap() + 1).expect("a hover");
        match h.contents {
            HoverContents::Markup(m) => m.value,
            _ => String::new(),
        }
    }

    #[test]
    fn methods_follow_the_receiver_type() {
        let list = labels("l = List();\nl.");
        assert!(list.contains(&"add".to_string()) && !list.contains(&"toUpperCase".to_string()), "{list:?}");
        let text = labels("void f(string s)\n{\n\tinfo s.");
        assert!(text.contains(&"trim".to_string()) && !text.contains(&"add".to_string()), "{text:?}");
        assert!(labels("x = \"a\".").contains(&"length".to_string()));
    }

    #[test]
    fn names_keys_and_links() {
        assert!(labels("total = 1;\ninfo to").contains(&"total".to_string()));
        assert!(labels("r = invokeurl\n[\n\tur").contains(&"url".to_string()));
        assert!(labels("sendmail\n[\n\tsub").contains(&"subject".to_string()));
        assert_eq!(labels("r = invokeurl\n[\n\tconnection :\"c"), ["crm"]);
        assert!(labels("info \"c").is_empty());
        assert!(labels("x = zoho.").contains(&"crm".to_string()));
        assert!(labels("x = zoho.books.get").contains(&"getRecords".to_string()));
        assert!(labels("x = zoho.CRM.").contains(&"getRecordById".to_string()));
        assert!(labels("x = \"é\";\nr = invokeurl\n[\n\té:\"").is_empty());
    }

    #[test]
    fn hover_names_docs_tasks_and_types() {
        assert!(hover_at("x = zoho.crm.getRecordById(\"Leads\", 1);", "getRecordById").contains("scope: `ZohoCRM."));
        assert!(hover_at("x = \"a\";\ny = x.toUpperCase();", "toUpperCase").contains("toUpperCase"));
        assert_eq!(hover_at("x = \"a\";\ninfo x;", " x;"), "`x`: TEXT");
    }

    #[test]
    fn snippets_become_plain_text_for_clients_without_them() {
        let mut items = zoho("crm.", "getRecordById");
        without_snippets(&mut items);
        assert_eq!(items[0].insert_text.as_deref(), Some("getRecordById(module, id)"));
        let mut items = methods(Some(Ty::Text), "subString");
        without_snippets(&mut items);
        assert_eq!(items[0].insert_text.as_deref(), Some("subString()"));
    }

    #[test]
    fn signature_help_tracks_the_argument() {
        let text = "x = \"abc\";\ny = x.subString(1, ";
        let doc = Document::new(text.to_string(), 0);
        let s = signature(&doc, text.len()).expect("help");
        assert_eq!(s.active_parameter, Some(1));
        assert!(s.signatures[0].label.starts_with("text.subString("), "{}", s.signatures[0].label);
        let text = "r = zoho.crm.searchRecords(\"Leads\", ";
        let s = signature(&Document::new(text.to_string(), 0), text.len()).expect("help");
        assert_eq!(
            s.signatures[0].label,
            "zoho.crm.searchRecords(module, criteria, [page], [per_page], [query_value], [connection])"
        );
    }
}
