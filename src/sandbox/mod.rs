//! The offline Zoho sandbox: a real HTTP server on 127.0.0.1 (accounts server, CRM, Bigin, FSM
//! and Books APIs) over a SQLite store in the state directory; in-process (`start`), in the
//! foreground (`serve`), and `reset`.

mod accounts;
mod blueprint;
mod books;
mod cliq;
mod creator;
mod criteria;
mod crm_actions;
mod db;
mod desk;
mod fixture;
mod idle;
mod limits;
mod projects;
mod records;
mod schema;
mod seed;
mod server;

pub use db::Db;
pub use fixture::seed_fixture;
pub use server::AppState;

use crate::error::Error;
pub use crate::zoho::limits::Edition;
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
    /// The one OAuth client the accounts server gives tokens to (made at start).
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .field("token", &"<redacted>")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// A connection that sends nothing for this long is closed (a client holding sockets open
/// cannot exhaust the sandbox).
const IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

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
    let client_secret = db::random_token().map_err(Error::runtime)?;
    let client_id = format!("1000.{}", client_secret.split('.').nth(1).unwrap_or_default().to_ascii_uppercase());
    let client_secret = client_secret.rsplit('.').next().unwrap_or_default().to_string();
    Ok((db, listener, Sandbox { url: format!("http://{addr}"), token, client_id, client_secret }))
}

fn state(db: Db, sb: &Sandbox, edition: Edition) -> AppState {
    AppState {
        db,
        client_id: sb.client_id.as_str().into(),
        client_secret: sb.client_secret.as_str().into(),
        limits: std::sync::Arc::new(limits::Limiter::new(edition, limits::Limiter::wall_clock())),
    }
}

/// Serve `app` on `listener`: HTTP/1.1 (keep-alive), every connection closed once it has
/// been `idle` (nothing read or written) that long.
async fn serve_on(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    idle: std::time::Duration,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;
    loop {
        let (stream, _) = listener.accept().await?;
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = Builder::new(TokioExecutor::new());
            builder.http1().timer(TokioTimer::new()).header_read_timeout(idle).keep_alive(true);
            let stream = idle::IdleStream::new(stream, idle);
            let _ = builder.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::runtime(format!("sandbox: cannot start its runtime: {e}")))
}

/// Serve on `listener` until the process ends.
async fn run(app: axum::Router, listener: TcpListener) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    serve_on(listener, app, IDLE_TIMEOUT).await
}

/// Start the sandbox in this process: binds 127.0.0.1 on a free port and serves from a
/// background thread (its own current-thread runtime) that ends with the process. Returns once
/// the server accepts connections.
#[cfg(test)]
pub fn start(state_dir: &Path) -> Result<Sandbox, Error> {
    start_edition(state_dir, Edition::Professional)
}

/// `start` with the limits of `edition`.
pub fn start_edition(state_dir: &Path, edition: Edition) -> Result<Sandbox, Error> {
    let (db, listener, sandbox) = prepare(state_dir, 0)?;
    let app = server::router(state(db, &sandbox, edition));
    let rt = runtime()?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("dg-sandbox".into())
        .spawn(move || {
            rt.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        let _ = ready_tx.send(Ok(()));
                        let _ = serve_on(listener, app, IDLE_TIMEOUT).await;
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
pub fn serve(state_dir: &Path, port: u16, edition: Edition, out: &mut dyn FnMut(&str)) -> Result<(), Error> {
    let (db, listener, sandbox) = prepare(state_dir, port)?;
    let app = server::router(state(db, &sandbox, edition));
    let rt = runtime()?;
    out(&format!("url: {}", sandbox.url));
    out(&format!("token: {}", sandbox.token));
    out(&format!("client_id: {}", sandbox.client_id));
    out(&format!("client_secret: {}", sandbox.client_secret));
    rt.block_on(run(app, listener)).map_err(|e| Error::runtime(format!("sandbox: {e}")))
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
