//! Finding and reading the connections file, and reading values it takes from the environment.

use crate::error::Error;
pub use crate::zoho::connections::{Connection, ConnectionsFile};
use crate::zoho::service::ValueSource;
use std::path::{Path, PathBuf};

/// Where the connections file is: `--connections PATH`, `$DG_CONNECTIONS`,
/// `./connections.toml` when it exists, then `dg/connections.toml` in the XDG config directory
/// (`$XDG_CONFIG_HOME`, `~/.config`) when it exists, else `connections.toml` in the state directory.
pub fn locate(explicit: Option<&Path>, state_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("DG_CONNECTIONS") {
        return Some(PathBuf::from(p));
    }
    let local = PathBuf::from("connections.toml");
    if local.exists() {
        return Some(local);
    }
    if let Some(xdg) = dirs::config_dir().map(|d| d.join("dg").join("connections.toml")).filter(|p| p.exists()) {
        return Some(xdg);
    }
    state_dir.map(|d| d.join("connections.toml"))
}

/// Load and validate a file; a missing file that was not named explicitly is empty.
pub fn load(path: Option<PathBuf>, explicit: bool) -> Result<ConnectionsFile, Error> {
    let Some(path) = path else { return Ok(ConnectionsFile::default()) };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return Ok(ConnectionsFile { path: Some(path), ..Default::default() })
        }
        Err(e) => return Err(Error::usage(format!("cannot read {}: {e}", path.display()))),
    };
    ConnectionsFile::parse(&text, &path)
}

/// Read a `ValueSource`: a literal, or an environment variable that must be set.
pub fn read_value(v: &ValueSource, what: &str) -> Result<secrecy::SecretString, Error> {
    match v {
        ValueSource::Literal(s) => Ok(s.clone()),
        ValueSource::Env(name) => std::env::var(name).map(secrecy::SecretString::from).map_err(|_| {
            Error::runtime(format!("{what} comes from the environment variable {name}, which is not set"))
        }),
    }
}

/// The connections file `dg run` would use (`--connections PATH` when given), for `dg check`.
pub fn load_for_check(explicit: Option<&Path>) -> Result<ConnectionsFile, Error> {
    let state_dir = super::store::state_dir().map_err(|e| Error::usage(e.to_string()))?;
    load(locate(explicit, Some(&state_dir)), explicit.is_some())
}
