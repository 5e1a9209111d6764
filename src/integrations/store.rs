//! The encrypted token store: connection secrets at rest in `tokens.json`, one AEAD entry per link.
//!
//! Layout of the state directory (mode 0700):
//! - `tokens.json` (mode 0600): a JSON object `link -> {"nonce": base64, "data": base64}`. Each
//!   `data` is the XChaCha20-Poly1305 encryption of the JSON of one [`Record`] under a fresh
//!   24-byte random nonce, with the link name as associated data: an entry copied under another
//!   link name does not decrypt. Every write rewrites the whole file atomically (a temporary file
//!   in the same directory, written, fsynced, then renamed over the old one), so a crash leaves
//!   either the old store or the new one.
//! - `key` (mode 0600): the key, 64 hex characters, created from 32 random bytes on first use
//!   when `DG_MASTER_KEY` is not set. See [`key_from_text`] for the `DG_MASTER_KEY` formats.
//! - `tokens.lock`: the cross-process lock of [`TokenStore::locked`] (refreshes and writes).

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const STORE_FILE: &str = "tokens.json";
const KEY_FILE: &str = "key";
const LOCK_FILE: &str = "tokens.lock";
const NONCE_LEN: usize = 24;

/// The state of a connection as `dg connections list` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Connected,
    NotConnected,
    Revoked,
    Expired,
}

impl Status {
    /// The name Zoho and `dg connections list` use: `connected`, `not_connected`, ...
    pub fn name(self) -> &'static str {
        match self {
            Status::Connected => "connected",
            Status::NotConnected => "not_connected",
            Status::Revoked => "revoked",
            Status::Expired => "expired",
        }
    }

    fn from_name(name: &str) -> Option<Status> {
        [Status::Connected, Status::NotConnected, Status::Revoked, Status::Expired]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// What connecting obtained, by auth type. `Debug` prints the kind and the names, never a secret.
#[derive(Clone)]
pub enum Secrets {
    None,
    /// The API key parameters in the service's order: (parameter name, value).
    ApiKey(Vec<(String, SecretString)>),
    Basic {
        username: String,
        password: SecretString,
    },
    OAuth1 {
        token: SecretString,
        token_secret: SecretString,
    },
    OAuth2 {
        access_token: SecretString,
        refresh_token: Option<SecretString>,
        token_type: Option<String>,
    },
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secrets::None => f.write_str("None"),
            Secrets::ApiKey(v) => write!(f, "ApiKey({:?}: [REDACTED])", v.iter().map(|(n, _)| n).collect::<Vec<_>>()),
            Secrets::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: [REDACTED] }}"),
            Secrets::OAuth1 { .. } => f.write_str("OAuth1 { [REDACTED] }"),
            Secrets::OAuth2 { refresh_token, token_type, .. } => {
                let refresh = if refresh_token.is_some() { ", refresh_token: [REDACTED]" } else { "" };
                write!(f, "OAuth2 {{ access_token: [REDACTED]{refresh}, token_type: {token_type:?} }}")
            }
        }
    }
}

/// One connection's stored state.
#[derive(Clone, Debug)]
pub struct Record {
    pub status: Status,
    pub secrets: Secrets,
    /// When the access token expires (unix seconds).
    pub expires_at: Option<i64>,
    /// The token response's `api_domain` (Zoho), deciding where API calls go.
    pub api_domain: Option<String>,
    pub granted_scopes: Vec<String>,
    pub user: Option<String>,
    /// Unix seconds of recent refreshes, for Zoho's budget of 10 refreshes in 10 minutes.
    pub refreshes: Vec<i64>,
    /// Unix seconds of the last change.
    pub updated_at: i64,
}

/// A token store failure. The message names files and link names, never a secret or the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(String);

impl StoreError {
    fn new(message: impl Into<String>) -> StoreError {
        StoreError(message.into())
    }
    fn io(what: &str, path: &Path, e: io::Error) -> StoreError {
        StoreError(format!("cannot {what} {}: {e}", path.display()))
    }
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for crate::error::Error {
    fn from(e: StoreError) -> Self {
        crate::error::Error::runtime(e.0)
    }
}

/// The state directory: `$DG_HOME` if set (and not empty), else the platform's data directory
/// (`dirs::data_dir()`) + `dg`; created with mode 0700 if missing.
pub fn state_dir() -> Result<PathBuf, StoreError> {
    let dir = match std::env::var_os("DG_HOME").filter(|v| !v.is_empty()) {
        Some(home) => PathBuf::from(home),
        None => dirs::data_dir()
            .ok_or_else(|| StoreError::new("cannot find the data directory for dg's state: set DG_HOME"))?
            .join("dg"),
    };
    create_private_dir(&dir)?;
    Ok(dir)
}

/// The 32-byte key a `DG_MASTER_KEY` text stands for. Surrounding whitespace is ignored; then:
/// - 64 hexadecimal characters are the key's bytes (e.g. `openssl rand -hex 32`, or the
///   contents of a state directory's `key` file);
/// - base64 (standard or URL-safe alphabet, padded or not) of exactly 32 bytes is the key
///   (e.g. `openssl rand -base64 32`);
/// - any other text is a passphrase, turned into a key with HKDF-SHA256 (RFC 5869; salt
///   `dg token store v1`, info `DG_MASTER_KEY`). HKDF does not slow down guessing, so a
///   passphrase should be long and random; prefer one of the two forms above.
pub fn key_from_text(s: &str) -> [u8; 32] {
    let s = s.trim();
    if let Some(key) = hex_key(s) {
        return key;
    }
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        if let Ok(mut bytes) = engine.decode(s) {
            let key = <[u8; 32]>::try_from(bytes.as_slice()).ok();
            bytes.zeroize();
            if let Some(key) = key {
                return key;
            }
        }
    }
    hkdf_sha256(b"dg token store v1", s.as_bytes(), b"DG_MASTER_KEY")
}

fn hex_key(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// HKDF-SHA256 (RFC 5869) with one 32-byte block of output.
fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    type HmacSha256 = Hmac<sha2::Sha256>;
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let Ok(mut extract) = <HmacSha256 as Mac>::new_from_slice(salt) else { return [0; 32] };
    extract.update(ikm);
    let prk = extract.finalize().into_bytes();
    let Ok(mut expand) = <HmacSha256 as Mac>::new_from_slice(&prk) else { return [0; 32] };
    expand.update(info);
    expand.update(&[1]);
    expand.finalize().into_bytes().into()
}

/// Where the key came from, for the message when it does not match the store.
enum KeySource {
    Env,
    File(PathBuf),
    /// A key handed in directly (tests).
    #[cfg(test)]
    Given,
}

/// The token store of one state directory.
pub struct TokenStore {
    dir: PathBuf,
    cipher: XChaCha20Poly1305,
    source: KeySource,
}

impl fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenStore").field("dir", &self.dir).finish_non_exhaustive()
    }
}

thread_local! {
    /// The lock files this thread holds, so `locked` inside `locked` (and `put` inside it)
    /// does not wait for itself.
    static HELD: RefCell<Vec<PathBuf>> = const { RefCell::new(Vec::new()) };
}

/// Holds `tokens.lock`; releases it (and forgets it in `HELD`) when dropped, even on a panic.
struct LockGuard {
    path: PathBuf,
    file: File,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.file.unlock();
        HELD.with(|h| h.borrow_mut().retain(|p| p != &self.path));
    }
}

impl TokenStore {
    /// Open the store of `state_dir` (created with mode 0700 if missing). The key is
    /// `DG_MASTER_KEY` when set and not empty (see [`key_from_text`]), else the `key` file,
    /// created with 32 random bytes on first use.
    pub fn open(state_dir: &Path) -> Result<TokenStore, StoreError> {
        TokenStore::open_from(state_dir, std::env::var_os("DG_MASTER_KEY"))
    }

    /// `open` with the value of `DG_MASTER_KEY` given (tests use it without the environment).
    fn open_from(state_dir: &Path, master_key: Option<std::ffi::OsString>) -> Result<TokenStore, StoreError> {
        let dir = prepare_dir(state_dir)?;
        match master_key.filter(|v| !v.is_empty()) {
            Some(text) => {
                let text = text.to_str().ok_or_else(|| StoreError::new("DG_MASTER_KEY is not valid UTF-8"))?;
                Ok(TokenStore::with_source(dir, key_from_text(text), KeySource::Env))
            }
            None => {
                let path = dir.join(KEY_FILE);
                let key = load_or_create_key(&dir, &path)?;
                Ok(TokenStore::with_source(dir, key, KeySource::File(path)))
            }
        }
    }

    /// Open the store of `state_dir` with the given key (tests; no environment, no key file).
    #[cfg(test)]
    pub fn open_with_key(state_dir: &Path, key: [u8; 32]) -> Result<TokenStore, StoreError> {
        Ok(TokenStore::with_source(prepare_dir(state_dir)?, key, KeySource::Given))
    }

    fn with_source(dir: PathBuf, mut key: [u8; 32], source: KeySource) -> TokenStore {
        let cipher = XChaCha20Poly1305::new(&key.into());
        key.zeroize();
        TokenStore { dir, cipher, source }
    }

    /// The path of `tokens.json`.
    pub fn path(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    /// The record stored for `link`, if any.
    pub fn get(&self, link: &str) -> Result<Option<Record>, StoreError> {
        let entries = self.read()?;
        let Some(entry) = entries.get(link) else { return Ok(None) };
        match self.decrypt(link, entry) {
            Ok(record) => Ok(Some(record)),
            Err(Failure::Damaged(what)) => Err(self.damaged(what)),
            Err(Failure::Undecryptable) => Err(self.undecryptable(link, &entries)),
        }
    }

    /// Store `record` for `link`, replacing what was there: the whole file is rewritten
    /// atomically under the lock. Refused when the store's other entries were written with
    /// another key (so one file never mixes keys).
    pub fn put(&self, link: &str, record: &Record) -> Result<(), StoreError> {
        self.locked(|s| {
            let mut entries = s.read()?;
            let mut others = entries.iter().filter(|(l, _)| l.as_str() != link).peekable();
            let wrong_key =
                others.peek().is_some() && others.all(|(l, e)| matches!(s.decrypt(l, e), Err(Failure::Undecryptable)));
            if wrong_key {
                return Err(s.key_mismatch());
            }
            let entry = s.encrypt(link, record)?;
            entries.insert(link.to_string(), entry);
            s.write(&entries)
        })
    }

    /// Forget `link`'s record; `false` when there was none.
    pub fn remove(&self, link: &str) -> Result<bool, StoreError> {
        self.locked(|s| {
            let mut entries = s.read()?;
            if entries.shift_remove(link).is_none() {
                return Ok(false);
            }
            s.write(&entries)?;
            Ok(true)
        })
    }

    /// The link names that have a stored record, sorted.
    #[cfg(test)]
    pub fn links(&self) -> Result<Vec<String>, StoreError> {
        let mut links: Vec<String> = self.read()?.keys().cloned().collect();
        links.sort();
        Ok(links)
    }

    /// Run `f` holding the cross-process exclusive lock on `tokens.lock` (blocks until it is
    /// free). Re-read records inside `f`: another process may have changed them while this one
    /// waited. Re-entrant within a thread; other threads and processes wait.
    pub fn locked<T>(&self, f: impl FnOnce(&TokenStore) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let path = self.dir.join(LOCK_FILE);
        if HELD.with(|h| h.borrow().contains(&path)) {
            return f(self);
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(|e| StoreError::io("open the lock file", &path, e))?;
        // std's advisory file lock (flock on unix, LockFileEx on Windows), stable since Rust 1.89.
        file.lock().map_err(|e| StoreError::io("lock", &path, e))?;
        HELD.with(|h| h.borrow_mut().push(path.clone()));
        let _guard = LockGuard { path, file };
        f(self)
    }

    /// The entries of `tokens.json` (empty when it does not exist yet).
    fn read(&self) -> Result<Map<String, Value>, StoreError> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Map::new()),
            Err(e) => return Err(StoreError::io("read the token store", &path, e)),
        };
        match serde_json::from_slice(&bytes) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(self.damaged("it is not a JSON object".into())),
            Err(e) => Err(self.damaged(format!("it is not JSON ({e})"))),
        }
    }

    /// Replace `tokens.json` atomically: temporary file, write, fsync, rename, fsync the dir.
    fn write(&self, entries: &Map<String, Value>) -> Result<(), StoreError> {
        let path = self.path();
        let text = serde_json::to_string(entries)
            .map_err(|e| StoreError::new(format!("cannot write the token store: {e}")))?;
        let mut tmp = private_temp_file(&self.dir, ".tokens.")
            .map_err(|e| StoreError::io("create a temporary file in", &self.dir, e))?;
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| StoreError::io("write", tmp.path(), e))?;
        tmp.persist(&path).map_err(|e| StoreError::io("replace", &path, e.error))?;
        sync_dir(&self.dir);
        Ok(())
    }

    fn encrypt(&self, link: &str, record: &Record) -> Result<Value, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| StoreError::new(format!("cannot get random bytes for a nonce: {e}")))?;
        let mut json = record_to_json(record);
        let mut plain = json.to_string().into_bytes();
        wipe(&mut json);
        let sealed = self.cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: &plain, aad: link.as_bytes() });
        plain.zeroize();
        let data = sealed.map_err(|_| StoreError::new("cannot encrypt a token store entry"))?;
        Ok(json!({ "nonce": STANDARD.encode(nonce), "data": STANDARD.encode(data) }))
    }

    fn decrypt(&self, link: &str, entry: &Value) -> Result<Record, Failure> {
        let field = |name: &str| -> Result<Vec<u8>, Failure> {
            let text = entry.get(name).and_then(Value::as_str);
            let text = text.ok_or_else(|| Failure::Damaged(format!("the entry of '{link}' has no \"{name}\"")))?;
            STANDARD.decode(text).map_err(|_| Failure::Damaged(format!("the \"{name}\" of '{link}' is not base64")))
        };
        let nonce = field("nonce")?;
        if nonce.len() != NONCE_LEN {
            return Err(Failure::Damaged(format!("the nonce of '{link}' is not {NONCE_LEN} bytes")));
        }
        let data = field("data")?;
        let mut plain = self
            .cipher
            .decrypt(XNonce::from_slice(&nonce), Payload { msg: &data, aad: link.as_bytes() })
            .map_err(|_| Failure::Undecryptable)?;
        let parsed = serde_json::from_slice::<Value>(&plain);
        plain.zeroize();
        let mut json = parsed.map_err(|_| Failure::Damaged(format!("the entry of '{link}' is not a record")))?;
        let record = record_from_json(&json).map_err(|what| Failure::Damaged(format!("the entry of '{link}' {what}")));
        wipe(&mut json);
        record
    }

    fn damaged(&self, what: String) -> StoreError {
        StoreError(format!("the token store {} is damaged: {what}; delete it and connect again", self.path().display()))
    }

    /// Why `link`'s entry does not decrypt: another entry that does shows the key is right and
    /// this entry was altered or moved; none doing so means the key is wrong.
    fn undecryptable(&self, link: &str, entries: &Map<String, Value>) -> StoreError {
        let key_ok = entries.iter().any(|(l, e)| l != link && self.decrypt(l, e).is_ok());
        if key_ok {
            return StoreError(format!(
                "the token store entry of '{link}' cannot be decrypted: it was altered or copied from another \
                 link name; run `dg connections connect {link}` again"
            ));
        }
        self.key_mismatch()
    }

    fn key_mismatch(&self) -> StoreError {
        let which = match &self.source {
            KeySource::Env => "DG_MASTER_KEY differs from the key that wrote it".to_string(),
            KeySource::File(p) => {
                format!("the key file {} differs from the key that wrote it (was DG_MASTER_KEY set then?)", p.display())
            }
            #[cfg(test)]
            KeySource::Given => "the key differs from the key that wrote it".to_string(),
        };
        StoreError(format!(
            "the token store cannot be decrypted: {which}; use that key, or delete {} and connect again",
            self.path().display()
        ))
    }
}

/// Why an entry did not decrypt.
enum Failure {
    /// Authentication failed: wrong key, altered bytes, or another link's entry.
    Undecryptable,
    /// Decrypted (or never got that far) but not in the expected shape.
    Damaged(String),
}

/// Zero the strings of a JSON value that held secrets before it is dropped.
fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        _ => {}
    }
}

fn secret(s: &SecretString) -> Value {
    Value::String(s.expose_secret().to_string())
}

fn record_to_json(r: &Record) -> Value {
    let secrets = match &r.secrets {
        Secrets::None => json!({ "kind": "none" }),
        Secrets::ApiKey(values) => json!({
            "kind": "api_key",
            "values": values.iter().map(|(n, v)| json!({ "name": n, "value": secret(v) })).collect::<Vec<_>>(),
        }),
        Secrets::Basic { username, password } => {
            json!({ "kind": "basic", "username": username, "password": secret(password) })
        }
        Secrets::OAuth1 { token, token_secret } => {
            json!({ "kind": "oauth1", "token": secret(token), "token_secret": secret(token_secret) })
        }
        Secrets::OAuth2 { access_token, refresh_token, token_type } => json!({
            "kind": "oauth2",
            "access_token": secret(access_token),
            "refresh_token": refresh_token.as_ref().map(secret),
            "token_type": token_type,
        }),
    };
    json!({
        "status": r.status.name(),
        "secrets": secrets,
        "expires_at": r.expires_at,
        "api_domain": r.api_domain,
        "granted_scopes": r.granted_scopes,
        "user": r.user,
        "refreshes": r.refreshes,
        "updated_at": r.updated_at,
    })
}

/// Read a record back; the error completes "the entry of 'LINK' ...".
fn record_from_json(v: &Value) -> Result<Record, String> {
    let text = |v: &Value, name: &str| v.get(name).and_then(Value::as_str).map(str::to_string);
    let required = |v: &Value, name: &str| text(v, name).ok_or_else(|| format!("has no \"{name}\""));
    let secret = |v: &Value, name: &str| required(v, name).map(SecretString::from);
    let status = required(v, "status")?;
    let status = Status::from_name(&status).ok_or_else(|| format!("has an unknown status \"{status}\""))?;
    let s = v.get("secrets").ok_or("has no \"secrets\"")?;
    let secrets = match required(s, "kind")?.as_str() {
        "none" => Secrets::None,
        "api_key" => {
            let values = s.get("values").and_then(Value::as_array).ok_or("has no API key values")?;
            let pairs = values.iter().map(|p| Ok((required(p, "name")?, secret(p, "value")?)));
            Secrets::ApiKey(pairs.collect::<Result<_, String>>()?)
        }
        "basic" => Secrets::Basic { username: required(s, "username")?, password: secret(s, "password")? },
        "oauth1" => Secrets::OAuth1 { token: secret(s, "token")?, token_secret: secret(s, "token_secret")? },
        "oauth2" => Secrets::OAuth2 {
            access_token: secret(s, "access_token")?,
            refresh_token: text(s, "refresh_token").map(SecretString::from),
            token_type: text(s, "token_type"),
        },
        other => return Err(format!("has an unknown kind of secrets \"{other}\"")),
    };
    let strings = |name: &str| -> Vec<String> {
        let items = v.get(name).and_then(Value::as_array);
        items.map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default()
    };
    let refreshes = v.get("refreshes").and_then(Value::as_array);
    Ok(Record {
        status,
        secrets,
        expires_at: v.get("expires_at").and_then(Value::as_i64),
        api_domain: text(v, "api_domain"),
        granted_scopes: strings("granted_scopes"),
        user: text(v, "user"),
        refreshes: refreshes.map(|a| a.iter().filter_map(Value::as_i64).collect()).unwrap_or_default(),
        updated_at: v.get("updated_at").and_then(Value::as_i64).ok_or("has no \"updated_at\"")?,
    })
}

/// Read the key file, or create it (32 random bytes as hex, mode 0600). Creation goes through
/// a temporary file linked into place without replacing, so two first runs agree on one key.
fn load_or_create_key(dir: &Path, path: &Path) -> Result<[u8; 32], StoreError> {
    if let Some(key) = read_key_file(path)? {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| StoreError::new(format!("cannot get random bytes for a key: {e}")))?;
    let mut text = to_hex(&key) + "\n";
    let written = private_temp_file(dir, ".key.").and_then(|mut tmp| {
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all().map(|()| tmp)
    });
    text.zeroize();
    let tmp = written.map_err(|e| StoreError::io("create the key file in", dir, e))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => sync_dir(dir),
        // Another process created it first: use theirs.
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
            key.zeroize();
            key = read_key_file(path)?.ok_or_else(|| StoreError::new("the key file vanished while being created"))?;
        }
        Err(e) => return Err(StoreError::io("create the key file", path, e.error)),
    }
    Ok(key)
}

/// The key in the key file, `None` when there is no key file.
fn read_key_file(path: &Path) -> Result<Option<[u8; 32]>, StoreError> {
    let mut text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io("read the key file", path, e)),
    };
    let key = hex_key(text.trim());
    text.zeroize();
    let malformed = || StoreError(format!("the key file {} is not 64 hexadecimal characters", path.display()));
    key.map(Some).ok_or_else(malformed)
}

/// Create the state directory if needed and return its canonical path (the key of `HELD`).
fn prepare_dir(dir: &Path) -> Result<PathBuf, StoreError> {
    create_private_dir(dir)?;
    dir.canonicalize().map_err(|e| StoreError::io("open the state directory", dir, e))
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| StoreError::io("create the state directory", dir, e))
}

/// A new temporary file in `dir` readable by the owner only (tempfile's default on unix too).
fn private_temp_file(dir: &Path, prefix: &str) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    builder.tempfile_in(dir)
}

/// Make a rename in `dir` durable (best effort: not every platform can open or fsync a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
