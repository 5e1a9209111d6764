//! The language server's state and handlers: open documents, and one function per request
//! or notification. No I/O here, so tests, the fuzzer and the bench drive it in-process.

use super::doc::Document;
use super::features;
use super::symbols::Symbols;
use super::tables;
use crate::check::{self, Severity};
use crate::syntax::SourceFile;
use lsp_types::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;

/// A request the server could not answer: the protocol's error code and a message.
pub type Failure = (i32, String);

const INVALID_PARAMS: i32 = -32602;
const METHOD_NOT_FOUND: i32 = -32601;

pub struct Server {
    docs: HashMap<String, Document>,
    connections: Option<PathBuf>,
    links: Vec<String>,
    /// whether the client takes snippets in completions (`initialize`'s capabilities)
    pub snippets: bool,
    pub shutdown: bool,
}

/// What the server advertises in its `initialize` answer.
pub fn capabilities() -> Value {
    let caps = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into(), "[".into()]),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    };
    serde_json::to_value(caps).unwrap_or(Value::Null)
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, Failure> {
    serde_json::from_value(params).map_err(|e| (INVALID_PARAMS, format!("invalid parameters: {e}")))
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value, Failure> {
    Ok(serde_json::to_value(v).unwrap_or(Value::Null))
}

/// A display name for messages: the last part of the URI's path.
fn name_of(uri: &str) -> String {
    uri.rsplit('/').next().filter(|s| !s.is_empty()).unwrap_or(uri).to_string()
}

impl Server {
    pub fn new(connections: Option<PathBuf>) -> Server {
        let links = tables::connection_links(connections.as_deref());
        Server { docs: HashMap::new(), connections, links, snippets: true, shutdown: false }
    }

    fn doc(&self, uri: &Uri) -> Result<&Document, Failure> {
        self.docs.get(uri.as_str()).ok_or((INVALID_PARAMS, format!("{} is not open", uri.as_str())))
    }

    fn at(&self, p: &TextDocumentPositionParams) -> Result<(&Document, usize), Failure> {
        let doc = self.doc(&p.text_document.uri)?;
        Ok((doc, doc.offset(p.position)))
    }

    /// Handle a notification and publish the diagnostics it calls for.
    pub fn notification(&mut self, method: &str, params: Value) -> Vec<(String, Value)> {
        match self.update(method, params) {
            Some(uri) => vec![("textDocument/publishDiagnostics".into(), json!(self.publish(&uri)))],
            None => Vec::new(),
        }
    }

    /// Apply a notification (open, change, close); the document whose diagnostics changed.
    pub fn update(&mut self, method: &str, params: Value) -> Option<Uri> {
        match method {
            "textDocument/didOpen" => {
                let d = parse::<DidOpenTextDocumentParams>(params).ok()?.text_document;
                self.docs.insert(d.uri.as_str().to_string(), Document::new(d.text, d.version));
                Some(d.uri)
            }
            "textDocument/didChange" => {
                let p = parse::<DidChangeTextDocumentParams>(params).ok()?;
                let doc = self.docs.get_mut(p.text_document.uri.as_str())?;
                doc.apply(p.content_changes, p.text_document.version);
                Some(p.text_document.uri)
            }
            "textDocument/didClose" => {
                let p = parse::<DidCloseTextDocumentParams>(params).ok()?;
                self.docs.remove(p.text_document.uri.as_str());
                Some(p.text_document.uri)
            }
            _ => None,
        }
    }

    /// The diagnostics to publish for `uri` (none for a document that is not open).
    pub fn publish(&self, uri: &Uri) -> PublishDiagnosticsParams {
        self.diagnostics(uri).unwrap_or(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: vec![],
            version: None,
        })
    }

    /// Every `dg check` finding of an open document.
    pub fn diagnostics(&self, uri: &Uri) -> Option<PublishDiagnosticsParams> {
        let doc = self.docs.get(uri.as_str())?;
        // SourceFile drops a byte-order mark: offsets shift by its length
        let bom = if doc.text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
        let src = SourceFile::new(name_of(uri.as_str()), doc.text.clone());
        let options = check::Options {
            syntax_only: false,
            connections: self.connections.clone(),
            load: Some(crate::integrations::config::load_for_check),
        };
        let found = check::check_recovering(&src, &options);
        let diagnostics = found
            .iter()
            .map(|d| {
                let (start, mut end) = (d.span.start as usize + bom, d.span.end as usize + bom);
                if end <= start {
                    // an empty span marks the character it stops at
                    end = doc.text.get(start..).and_then(|r| r.chars().next()).map_or(start, |c| start + c.len_utf8());
                }
                Diagnostic {
                    range: doc.range(start, end),
                    severity: Some(match d.severity {
                        Severity::Error => DiagnosticSeverity::ERROR,
                        Severity::Warning => DiagnosticSeverity::WARNING,
                    }),
                    code: Some(NumberOrString::String(d.code.to_string())),
                    source: Some("dg".into()),
                    message: d.message.clone(),
                    ..Default::default()
                }
            })
            .collect();
        Some(PublishDiagnosticsParams { uri: uri.clone(), diagnostics, version: Some(doc.version) })
    }

    /// Answer a request.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Failure> {
        match method {
            "shutdown" => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            "textDocument/completion" => {
                let p: CompletionParams = parse(params)?;
                let (doc, at) = self.at(&p.text_document_position)?;
                let mut items = features::complete(doc, at, &self.links);
                if !self.snippets {
                    features::without_snippets(&mut items);
                }
                to_json(CompletionResponse::List(CompletionList { is_incomplete: false, items }))
            }
            "textDocument/hover" => {
                let p: HoverParams = parse(params)?;
                let (doc, at) = self.at(&p.text_document_position_params)?;
                to_json(features::hover(doc, at))
            }
            "textDocument/signatureHelp" => {
                let p: SignatureHelpParams = parse(params)?;
                let (doc, at) = self.at(&p.text_document_position_params)?;
                to_json(features::signature(doc, at))
            }
            "textDocument/definition" => {
                let p: GotoDefinitionParams = parse(params)?;
                let uri = p.text_document_position_params.text_document.uri.clone();
                let (doc, at) = self.at(&p.text_document_position_params)?;
                let s = Symbols::new(&doc.text);
                let found = s.token_at(at).and_then(|i| s.definition(i));
                to_json(found.map(|(a, b)| GotoDefinitionResponse::Scalar(Location { uri, range: doc.range(a, b) })))
            }
            "textDocument/references" => {
                let p: ReferenceParams = parse(params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let (doc, at) = self.at(&p.text_document_position)?;
                let s = Symbols::new(&doc.text);
                let refs = s.token_at(at).map(|i| s.references(i)).unwrap_or_default();
                let locs: Vec<Location> =
                    refs.into_iter().map(|(a, b)| Location { uri: uri.clone(), range: doc.range(a, b) }).collect();
                to_json(locs)
            }
            "textDocument/documentSymbol" => {
                let p: DocumentSymbolParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(DocumentSymbolResponse::Nested(symbols(doc)))
            }
            "textDocument/formatting" => {
                let p: DocumentFormattingParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(format_edits(doc, &p.text_document.uri, None))
            }
            "textDocument/rangeFormatting" => {
                let p: DocumentRangeFormattingParams = parse(params)?;
                let doc = self.doc(&p.text_document.uri)?;
                to_json(format_edits(doc, &p.text_document.uri, Some(p.range)))
            }
            "textDocument/codeAction" => {
                let p: CodeActionParams = parse(params)?;
                to_json(super::actions::code_actions(&p, self.connections.as_deref()))
            }
            _ => Err((METHOD_NOT_FOUND, format!("dg lsp does not handle {method}"))),
        }
    }
}

/// Functions (with the variables they assign) and the top-level variables.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written
fn symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let s = Symbols::new(&doc.text);
    let var = |name: &str, i: usize| {
        let t = &s.toks[i];
        let r = doc.range(t.start, t.start + t.text.len());
        DocumentSymbol {
            name: name.to_string(),
            detail: None,
            kind: SymbolKind::VARIABLE,
            tags: None,
            deprecated: None,
            range: r,
            selection_range: r,
            children: None,
        }
    };
    let mut out: Vec<DocumentSymbol> = Vec::new();
    for f in &s.functions {
        let children = s.variables(f.name_at.1).into_iter().map(|(n, i)| var(n, i)).collect();
        out.push(DocumentSymbol {
            name: f.name.clone(),
            detail: Some(f.header.clone()),
            kind: SymbolKind::FUNCTION,
            tags: None,
            deprecated: None,
            range: doc.range(f.range.0, f.range.1),
            selection_range: doc.range(f.name_at.0, f.name_at.1),
            children: Some(children),
        });
    }
    let top = s.toks.iter().find(|t| !s.functions.iter().any(|f| f.range.0 <= t.start && t.start <= f.range.1));
    if let Some(t) = top {
        out.extend(s.variables(t.start).into_iter().map(|(n, i)| var(n, i)));
    }
    out
}

/// `dg fmt`'s edits: the whole text, or only the changed line hunks that touch `range`.
/// A document that does not parse gets no edits.
fn format_edits(doc: &Document, uri: &Uri, range: Option<Range>) -> Vec<TextEdit> {
    let src = SourceFile::new(name_of(uri.as_str()), doc.text.clone());
    let Ok(formatted) = crate::fmt::format_source(&src) else { return Vec::new() };
    if formatted == doc.text {
        return Vec::new();
    }
    let Some(range) = range else {
        return vec![TextEdit { range: doc.full_range(), new_text: formatted }];
    };
    let diff = similar::TextDiff::from_lines(doc.text.as_str(), formatted.as_str());
    let new_lines: Vec<&str> = formatted.split_inclusive('\n').collect();
    let mut edits = Vec::new();
    for op in diff.ops() {
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let (old, new) = (op.old_range(), op.new_range());
        let touches = old.start as u32 <= range.end.line && (old.end.max(old.start + 1) as u32) > range.start.line;
        if touches {
            let start = Position { line: old.start as u32, character: 0 };
            let end = Position { line: old.end as u32, character: 0 };
            let text: String = new_lines.get(new.clone()).unwrap_or(&[]).concat();
            edits.push(TextEdit { range: Range { start, end }, new_text: text });
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> Server {
        let mut s = Server::new(Some(PathBuf::from("/nonexistent/connections.toml")));
        let doc = json!({"textDocument": {"uri": "file:///a.dg", "languageId": "deluge", "version": 0, "text": text}});
        s.notification("textDocument/didOpen", doc);
        s
    }

    #[test]
    fn range_formatting_edits_only_the_lines_asked_for() {
        let mut s = open("a=1;\nb = 2;\nc=3;\n");
        let range = json!({"textDocument": {"uri": "file:///a.dg"}, "options": {"tabSize": 4, "insertSpaces": false},
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 4}}});
        let edits = s.request("textDocument/rangeFormatting", range).unwrap();
        assert_eq!(
            edits,
            json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 3, "character": 0}}, "newText": "c = 3;\n"}])
        );
    }

    #[test]
    fn symbols_definitions_and_references() {
        let text = "void f(int n)\n{\n\tt = n + 1;\n\tinfo t;\n}\n";
        let mut s = open(text);
        let syms = s.request("textDocument/documentSymbol", json!({"textDocument": {"uri": "file:///a.dg"}})).unwrap();
        assert_eq!(syms[0]["name"], "f");
        let names: Vec<&str> =
            syms[0]["children"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["n", "t"]);
        let at = json!({"textDocument": {"uri": "file:///a.dg"}, "position": {"line": 3, "character": 6}});
        let def = s.request("textDocument/definition", at.clone()).unwrap();
        assert_eq!(def["range"]["start"], json!({"line": 2, "character": 1}));
        let mut refs = at;
        refs["context"] = json!({"includeDeclaration": true});
        assert_eq!(s.request("textDocument/references", refs).unwrap().as_array().unwrap().len(), 2);
    }

    #[test]
    fn unknown_documents_and_methods_are_errors_not_panics() {
        let mut s = open("");
        let at = json!({"textDocument": {"uri": "file:///other.dg"}, "position": {"line": 0, "character": 0}});
        assert!(s.request("textDocument/hover", at).is_err());
        assert!(s.request("textDocument/nothing", Value::Null).is_err());
        assert!(s.request("textDocument/hover", json!({"bad": 1})).is_err());
    }
}
