//! Code actions: replace a misspelt name by the one "did you mean" names, and add a scope a
//! task or `invokeurl` needs to its connection in the connections file.

use lsp_types::*;
use std::collections::HashMap;
use std::path::Path;

/// The quick fixes for the diagnostics the client sends back.
pub fn code_actions(p: &CodeActionParams, connections: Option<&Path>) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in &p.context.diagnostics {
        let fix = did_you_mean(d, &p.text_document.uri).or_else(|| add_scope(d, connections));
        if let Some((title, uri, edit)) = fix {
            // lsp-types' own map type: a URI is its key (its inner cell only caches parsing)
            #[allow(clippy::mutable_key_type)]
            let changes = HashMap::from([(uri, vec![edit])]);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }),
                is_preferred: Some(true),
                ..Default::default()
            }));
        }
    }
    out
}

fn did_you_mean(d: &Diagnostic, uri: &Uri) -> Option<(String, Uri, TextEdit)> {
    let rest = d.message.split("did you mean '").nth(1)?;
    let name = rest.split('\'').next().filter(|n| !n.is_empty())?;
    Some((format!("Change to '{name}'"), uri.clone(), TextEdit { range: d.range, new_text: name.to_string() }))
}

/// `... needs scope S, which connection 'L' does not grant ...`: put S in L's `scopes`.
fn add_scope(d: &Diagnostic, connections: Option<&Path>) -> Option<(String, Uri, TextEdit)> {
    let scope = d.message.split("needs scope ").nth(1)?.split(',').next()?.trim();
    let link = d.message.split("which connection '").nth(1)?.split('\'').next()?;
    let state = crate::integrations::store::state_dir().ok();
    let path = crate::integrations::config::locate(connections, state.as_deref())?;
    let text = std::fs::read_to_string(&path).ok()?;
    let edit = scope_edit(&text, link, scope)?;
    let abs = std::fs::canonicalize(&path).ok()?;
    let uri: Uri = format!("file://{}", abs.display()).parse().ok()?;
    Some((format!("Add {scope} to connection '{link}'"), uri, edit))
}

fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    Position { line, character: text[start..offset].encode_utf16().count() as u32 }
}

/// The edit that adds `scope` to the `scopes` array of `[connections.LINK]` in `text`.
fn scope_edit(text: &str, link: &str, scope: &str) -> Option<TextEdit> {
    let headers = [format!("[connections.{link}]"), format!("[connections.\"{link}\"]")];
    let mut offset = 0;
    let mut table = None;
    for line in text.split_inclusive('\n') {
        if headers.iter().any(|h| line.trim() == h) {
            table = Some(offset + line.len());
            break;
        }
        offset += line.len();
    }
    let body_start = table?;
    let body_end = text[body_start..].find("\n[").map_or(text.len(), |i| body_start + i + 1);
    let body = &text[body_start..body_end];
    let insert = |at: usize, new_text: String| {
        let p = position(text, at);
        Some(TextEdit { range: Range { start: p, end: p }, new_text })
    };
    let Some(key) = body
        .lines()
        .scan(0, |o, l| {
            let at = *o;
            *o += l.len() + 1;
            Some((at, l))
        })
        .find(|(_, l)| l.trim_start().starts_with("scopes"))
        .map(|(at, _)| body_start + at)
    else {
        return insert(body_start, format!("scopes = [\"{scope}\"]\n"));
    };
    let close = key + text[key..body_end].find(']')?;
    let last = text[key..close].trim_end().chars().last()?;
    let new_text = match last {
        '[' => format!("\"{scope}\""),
        ',' => format!(" \"{scope}\""),
        _ => format!(", \"{scope}\""),
    };
    let at = key + text[key..close].trim_end().len();
    insert(at, new_text)
}

#[cfg(test)]
mod tests {
    use super::scope_edit;

    fn apply(text: &str, link: &str) -> String {
        let e = scope_edit(text, link, "ZohoCRM.modules.ALL").expect("an edit");
        let line_start: usize = text.split_inclusive('\n').take(e.range.start.line as usize).map(str::len).sum();
        let at = line_start + e.range.start.character as usize;
        format!("{}{}{}", &text[..at], e.new_text, &text[at..])
    }

    #[test]
    fn a_scope_joins_its_connections_array() {
        let text = "[connections.crm]\nservice = \"zohocrm\"\nscopes = [\"ZohoCRM.users.READ\"]\n\n[connections.b]\nscopes = []\n";
        assert!(apply(text, "crm")
            .contains("scopes = [\"ZohoCRM.users.READ\", \"ZohoCRM.modules.ALL\"]\n\n[connections.b]"));
        assert!(apply(text, "b").ends_with("scopes = [\"ZohoCRM.modules.ALL\"]\n"));
        let bare = "[connections.c]\nservice = \"zohocrm\"\n";
        assert_eq!(apply(bare, "c"), "[connections.c]\nscopes = [\"ZohoCRM.modules.ALL\"]\nservice = \"zohocrm\"\n");
        assert!(scope_edit(bare, "nope", "S").is_none());
    }
}
