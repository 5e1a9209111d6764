//! The offline Zoho sandbox: a real HTTP server on 127.0.0.1 (accounts server, CRM, Bigin, FSM
//! and Books APIs) over a SQLite store in the state directory; in-process (`start`), in the
//! foreground (`serve`), and `reset`.

mod accounts;
mod blueprint;
mod books;
mod criteria;
mod db;
mod fixture;
mod records;
mod schema;
mod seed;
mod server;

pub use db::Db;
pub use fixture::seed_fixture;
pub use server::AppState;

use crate::error::Error;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

/// The store's file name in the state directory.
const DB_FILE: &str = "sandbox.db";

/// A running sandbox.
#[derive(Clone)]
pub struct Sandbox {
    /// `http://127.0.0.1:PORT`: the accounts server and every API.
    pub url: String,
    /// An access token holding every scope of every Zoho service (it does not expire).
    pub token: String,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("url", &self.url).field("token", &"<redacted>").finish()
    }
}

fn db_path(state_dir: &Path) -> PathBuf {
    state_dir.join(DB_FILE)
}

/// `S.fullaccess.ALL` for every Zoho scope family of the catalog (`ZohoCRM`, `ZohoFSM`, `Desk`, ...).
fn all_scopes() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for service in crate::zoho::catalog::services().iter().filter(|s| s.zoho) {
        for scope in &service.scopes {
            let family = scope.split('.').next().unwrap_or_default();
            let full = format!("{family}.fullaccess.ALL");
            if !family.is_empty() && !out.contains(&full) {
                out.push(full);
            }
        }
    }
    out
}

/// Open the store (creating the directory) and the listener; the master token.
fn prepare(state_dir: &Path, port: u16) -> Result<(Db, TcpListener, Sandbox), Error> {
    std::fs::create_dir_all(state_dir)
        .map_err(|e| Error::runtime(format!("sandbox: cannot create {}: {e}", state_dir.display())))?;
    let db = Db::open(&db_path(state_dir)).map_err(Error::runtime)?;
    let token = db.master_token(&all_scopes()).map_err(Error::runtime)?;
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .map_err(|e| Error::runtime(format!("sandbox: cannot listen on 127.0.0.1:{port}: {e}")))?;
    listener.set_nonblocking(true).map_err(|e| Error::runtime(format!("sandbox: {e}")))?;
    let addr = listener.local_addr().map_err(|e| Error::runtime(format!("sandbox: {e}")))?;
    Ok((db, listener, Sandbox { url: format!("http://{addr}"), token }))
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime(format!("sandbox: cannot start its runtime: {e}")))
}

/// Serve on `listener` until the process ends.
async fn run(db: Db, listener: TcpListener) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, server::router(AppState { db })).await
}

/// Start the sandbox in this process: binds 127.0.0.1 on a free port and serves from a
/// background thread (its own current-thread runtime) that ends with the process. Returns once
/// the server accepts connections.
pub fn start(state_dir: &Path) -> Result<Sandbox, Error> {
    let (db, listener, sandbox) = prepare(state_dir, 0)?;
    let rt = runtime()?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("dg-sandbox".into())
        .spawn(move || {
            rt.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        let _ = ready_tx.send(Ok(()));
                        let _ = axum::serve(listener, server::router(AppState { db })).await;
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                    }
                }
            })
        })
        .map_err(|e| Error::runtime(format!("sandbox: cannot start its thread: {e}")))?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(sandbox),
        Ok(Err(e)) => Err(Error::runtime(format!("sandbox: {e}"))),
        Err(_) => Err(Error::runtime("sandbox: the server thread ended before it was ready")),
    }
}

/// `dg sandbox serve --port N`: serve in the foreground until killed; prints `url: ...` and
/// `token: ...` through `out` once connections are accepted.
pub fn serve(state_dir: &Path, port: u16, out: &mut dyn FnMut(&str)) -> Result<(), Error> {
    let (db, listener, sandbox) = prepare(state_dir, port)?;
    let rt = runtime()?;
    out(&format!("url: {}", sandbox.url));
    out(&format!("token: {}", sandbox.token));
    rt.block_on(run(db, listener)).map_err(|e| Error::runtime(format!("sandbox: {e}")))
}

/// Delete the store (`sandbox.db` and its `-wal`/`-shm` files): the next use re-seeds.
pub fn reset(state_dir: &Path) -> Result<(), Error> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = state_dir.join(format!("{DB_FILE}{suffix}"));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::runtime(format!("sandbox: cannot delete {}: {e}", path.display()))),
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "sandbox_tests.rs"]
mod tests;
