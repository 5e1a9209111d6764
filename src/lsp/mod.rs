//! `dg lsp`: the language server over stdio (being built).

use std::path::PathBuf;

/// Serve the Language Server Protocol on stdin/stdout until the client exits.
pub fn serve(_log: bool, _connections: Option<PathBuf>) -> i32 {
    eprintln!("error: dg lsp is not built yet");
    2
}
