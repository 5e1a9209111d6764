//! `dg fmt`: lays a parsed script out as Zoho's editor saves it, proving before it answers
//! that the result parses to the same tree and keeps every comment.

pub mod cli;
mod layout;
pub(crate) mod lex;

use crate::error::Error;
use crate::syntax::ast::{Block, BlockPair, ExprKind, Script, StmtKind};
use crate::syntax::{self, print, SourceFile};

pub use lex::comments;

/// The formatted text of `src`. A syntax error is returned as is; an internal failure (the
/// layout would change the tree or lose a comment) is a runtime error naming the file, so
/// callers leave the file as it was.
pub fn format_source(src: &SourceFile) -> Result<String, Error> {
    let script = syntax::parse(src)?;
    let keys = key_spans(&script);
    let tokens = lex::tokens(src.text(), &keys);
    let out = layout::layout(&tokens);
    let again = SourceFile::new(src.name(), out.clone());
    let same = match syntax::parse(&again) {
        Ok(after) => print::script(&after) == print::script(&script),
        Err(_) => false,
    };
    if !same || comments(&out) != comments(src.text()) {
        return Err(Error::runtime(format!(
            "dg fmt could not lay out {} without changing it (left as it was; please report this)",
            src.name()
        )));
    }
    Ok(out)
}

/// Byte ranges of every `key` of `invokeurl`, `invokeapi` and `sendmail` blocks, sorted.
fn key_spans(script: &Script) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for f in &script.functions {
        block_keys(&f.body.stmts, &mut out);
    }
    block_keys(&script.main.stmts, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

fn block_keys(stmts: &Block, out: &mut Vec<(usize, usize)>) {
    let push = |pairs: &[BlockPair], out: &mut Vec<(usize, usize)>| {
        out.extend(pairs.iter().map(|p| (p.key_span.start as usize, p.key_span.end as usize)));
    };
    crate::check::visit::each_expr(stmts, &mut |e| {
        if let ExprKind::InvokeUrl(p) | ExprKind::InvokeApi(p) = &e.node {
            push(p, out);
        }
    });
    for s in stmts {
        match &s.node {
            StmtKind::SendMail(p) => push(p, out),
            StmtKind::If { branches, otherwise } => {
                branches.iter().for_each(|(_, b)| block_keys(b, out));
                if let Some(b) = otherwise {
                    block_keys(b, out);
                }
            }
            StmtKind::ForEach { body, .. } | StmtKind::ForIndex { body, .. } => block_keys(body, out),
            StmtKind::Try { body, handler, .. } => {
                block_keys(body, out);
                block_keys(handler, out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format_source(&SourceFile::new("t.dg", text)).unwrap_or_else(|e| e.render(None))
    }

    #[test]
    fn blocks_get_their_own_lines_and_tabs() {
        assert_eq!(fmt("if(x>1){info \"a\";}else{y=-1;}"), "if(x > 1)\n{\n\tinfo \"a\";\n}\nelse\n{\n\ty = -1;\n}\n");
    }

    #[test]
    fn invokeurl_has_one_key_a_line() {
        assert_eq!(
            fmt("r = invokeurl [ url: \"u\" type: GET connection:\"c\" ];"),
            "r = invokeurl\n[\n\turl :\"u\"\n\ttype :GET\n\tconnection:\"c\"\n];\n"
        );
    }

    #[test]
    fn for_each_and_collections() {
        assert_eq!(fmt("for each x in {1, 2} { m = {\"a\" : x}; }"), "for each  x in {1,2}\n{\n\tm = {\"a\":x};\n}\n");
    }

    #[test]
    fn comments_and_blank_lines_stay() {
        assert_eq!(fmt("x = 1; // one\n\n\n// two\ny = 2;"), "x = 1; // one\n\n// two\ny = 2;\n");
    }
}

#[cfg(test)]
mod messed {
    //! Every script of the suite and the corpus, laid out badly on purpose (all on one line, or
    //! one token a line), must format to a stable text with the same tree.
    use super::*;
    use std::path::Path;

    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "dg") {
                out.push(p);
            }
        }
    }

    /// The tokens of `text` joined by `sep` (a line comment always ends its line).
    fn mess(text: &str, keys: &[(usize, usize)], sep: &str) -> String {
        let mut out = String::new();
        for t in lex::tokens(text, keys) {
            out.push_str(t.text);
            out.push_str(if t.kind == lex::Kind::LineComment { "\n" } else { sep });
        }
        out
    }

    #[test]
    fn badly_laid_out_scripts_format_stably() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut all = Vec::new();
        files(&root.join("scripts"), &mut all);
        files(&root.join("tests/corpus"), &mut all);
        let mut failures = Vec::new();
        for p in all {
            let Ok(text) = std::fs::read_to_string(&p) else { continue };
            let src = SourceFile::new(p.display().to_string(), text);
            let Ok(script) = syntax::parse(&src) else { continue };
            let keys = key_spans(&script);
            for sep in [" ", "\n"] {
                let messy = SourceFile::new(src.name(), mess(src.text(), &keys, sep));
                let Ok(m) = syntax::parse(&messy) else { continue };
                if print::script(&m) != print::script(&script) {
                    continue; // the mess itself changed the script (a key split over lines)
                }
                match format_source(&messy) {
                    Ok(once) => match format_source(&SourceFile::new(src.name(), once.clone())) {
                        Ok(twice) if twice == once => {}
                        _ => failures.push(format!("{} ({sep:?}): not stable", src.name())),
                    },
                    Err(e) => failures.push(format!("{} ({sep:?}): {}", src.name(), e.message())),
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
