//! The sandbox's SQLite store: records as JSON text keyed by (product, module, id), OAuth tokens
//! and grant codes, and the id counter. WAL with `synchronous=FULL` and one transaction per write,
//! so an acknowledged write survives `kill -9`; seeded on first use (`seed.rs`).

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// One record: a JSON object, in the order its keys were put in.
pub type Record = Map<String, Value>;

/// The sandbox user: owner, creator and modifier of every record.
pub const USER_NAME: &str = "Sandbox User";
pub const USER_EMAIL: &str = "sandbox@example.com";
pub const USER_ID: &str = "5843000000000100001";
/// Record ids count up from here: 19 digits, like Zoho's.
const FIRST_ID: i64 = 5_843_000_000_000_200_000;

/// The store. Cheap to clone (one connection shared behind a mutex); `Send + Sync`.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    product TEXT NOT NULL, module TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
    UNIQUE (product, module, id));
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, scopes TEXT NOT NULL,
    expires INTEGER, parent TEXT, revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_parent ON tokens (parent);
";

fn sql(e: rusqlite::Error) -> String {
    format!("sandbox store: {e}")
}

/// Do records of this product carry Zoho's CRM-style system fields (id, Owner, times)?
fn crm_like(product: &str) -> bool {
    matches!(product, "crm" | "bigin" | "fsm")
}

/// Now, as Zoho writes record times: `2026-11-23T10:15:00+00:00`.
pub fn now_text() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

fn now_secs() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn user(with_email: bool) -> Value {
    if with_email {
        json!({"name": USER_NAME, "id": USER_ID, "email": USER_EMAIL})
    } else {
        json!({"name": USER_NAME, "id": USER_ID})
    }
}

/// `First_Name Last_Name` (or `Last_Name` alone) for Contacts and Leads.
fn set_full_name(module: &str, r: &mut Record) {
    if !matches!(module, "Contacts" | "Leads") {
        return;
    }
    let text = |k: &str| r.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let full = match (text("First_Name"), text("Last_Name")) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        (None, Some(l)) => l.to_string(),
        (Some(f), None) => f.to_string(),
        (None, None) => return,
    };
    r.insert("Full_Name".into(), Value::String(full));
}

/// One stored record, read inside a plain connection or a write transaction.
fn select_record(conn: &Connection, product: &str, module: &str, id: &str) -> Result<Option<Record>, String> {
    let data: Option<String> = conn
        .query_row(
            "SELECT data FROM records WHERE product = ?1 AND module = ?2 AND id = ?3",
            params![product, module, id],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql)?;
    data.as_deref().map(parse).transpose()
}

fn parse(data: &str) -> Result<Record, String> {
    match serde_json::from_str(data) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err("sandbox store: a stored record is not a JSON object".into()),
    }
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh token in Zoho's shape: `1000.<32 hex>.<32 hex>`.
pub(super) fn random_token() -> Result<String, String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| format!("sandbox: no random source: {e}"))?;
    let hex = |s: &[u8]| s.iter().map(|b| format!("{b:02x}")).collect::<String>();
    Ok(format!("1000.{}.{}", hex(&b[..16]), hex(&b[16..])))
}

/// The next record id, inside a write transaction.
pub(super) fn next_id_tx(tx: &Transaction) -> Result<String, String> {
    let id: i64 = tx
        .query_row(
            "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'last_id' RETURNING CAST(value AS INTEGER)",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    Ok(id.to_string())
}

/// Insert inside a write transaction. `id`: the caller's (Books, seeds); otherwise a record
/// of crm/bigin/fsm gets a fresh one, and a Books record uses `id` or its first `*_id` text.
/// `now` stamps Created_Time/Modified_Time of crm/bigin/fsm records.
pub(super) fn insert_tx(
    tx: &Transaction,
    product: &str,
    module: &str,
    id: Option<&str>,
    mut record: Record,
    now: &str,
) -> Result<Record, String> {
    let id = match id {
        Some(id) => id.to_string(),
        None if crm_like(product) => next_id_tx(tx)?,
        None => {
            let own = record.get("id").and_then(Value::as_str).or_else(|| {
                record.iter().find(|(k, v)| k.ends_with("_id") && v.is_string()).and_then(|(_, v)| v.as_str())
            });
            match own {
                Some(own) if !own.is_empty() => own.to_string(),
                _ => next_id_tx(tx)?,
            }
        }
    };
    if crm_like(product) {
        let mut r = Record::new();
        if !record.contains_key("Owner") {
            r.insert("Owner".into(), user(true));
        }
        for key in ["id", "Created_Time", "Modified_Time", "Created_By", "Modified_By", "Full_Name"] {
            record.remove(key);
        }
        r.append(&mut record);
        set_full_name(module, &mut r);
        r.insert("id".into(), Value::String(id.clone()));
        r.insert("Created_Time".into(), Value::String(now.to_string()));
        r.insert("Modified_Time".into(), Value::String(now.to_string()));
        r.insert("Created_By".into(), user(false));
        r.insert("Modified_By".into(), user(false));
        record = r;
    }
    let text = Value::Object(record.clone()).to_string();
    let added = tx
        .execute(
            "INSERT INTO records (product, module, id, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![product, module, id, text],
        )
        .map_err(sql)?;
    if added == 0 {
        return Err(format!("sandbox store: {product} {module} already has a record with id {id}"));
    }
    Ok(record)
}

impl Db {
    /// Open (creating) the store at `path`: tables, WAL, `synchronous=FULL`; seeds when new.
    pub fn open(path: &Path) -> Result<Db, String> {
        let conn =
            Connection::open(path).map_err(|e| format!("cannot open the sandbox store {}: {e}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!("sandbox store: cannot switch {} to WAL mode", path.display()));
        }
        conn.execute_batch("PRAGMA synchronous = FULL;").map_err(sql)?;
        conn.execute_batch(SCHEMA).map_err(sql)?;
        let db = Db { conn: Arc::new(Mutex::new(conn)) };
        db.write(|tx| {
            let seeded =
                tx.query_row("SELECT 1 FROM meta WHERE key = 'seeded'", [], |_| Ok(())).optional().map_err(sql)?;
            if seeded.is_some() {
                return Ok(());
            }
            tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('last_id', ?1)", params![FIRST_ID.to_string()])
                .map_err(sql)?;
            super::seed::seed(tx)?;
            tx.execute("INSERT INTO meta (key, value) VALUES ('seeded', '1')", []).map_err(sql)?;
            Ok(())
        })?;
        Ok(db)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolls back).
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// One write transaction (BEGIN IMMEDIATE ... COMMIT): all of `f` or nothing.
    fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T, String>) -> Result<T, String> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        let out = f(&tx)?;
        tx.commit().map_err(sql)?;
        Ok(out)
    }

    /// One page of a module's records in insertion order, and whether more follow.
    pub fn list(
        &self,
        product: &str,
        module: &str,
        page: usize,
        per_page: usize,
    ) -> Result<(Vec<Record>, bool), String> {
        let per_page = per_page.clamp(1, 100_000);
        let offset = page.max(1).saturating_sub(1).saturating_mul(per_page).min(i64::MAX as usize) as i64;
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT data FROM records WHERE product = ?1 AND module = ?2 ORDER BY seq LIMIT ?3 OFFSET ?4",
            )
            .map_err(sql)?;
        let rows = stmt
            .query_map(params![product, module, (per_page + 1) as i64, offset], |r| r.get::<_, String>(0))
            .map_err(sql)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(parse(&row.map_err(sql)?)?);
        }
        let more = out.len() > per_page;
        out.truncate(per_page);
        Ok((out, more))
    }

    /// Every record of a module, in insertion order (for searches and related records).
    pub fn all(&self, product: &str, module: &str) -> Result<Vec<Record>, String> {
        let (records, _) = self.list(product, module, 1, 100_000)?;
        Ok(records)
    }

    /// How many records a module holds.
    #[cfg(test)]
    pub fn count(&self, product: &str, module: &str) -> Result<usize, String> {
        let conn = self.lock();
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM records WHERE product = ?1 AND module = ?2",
                params![product, module],
                |r| r.get(0),
            )
            .map_err(sql)?;
        Ok(n as usize)
    }

    pub fn get(&self, product: &str, module: &str, id: &str) -> Result<Option<Record>, String> {
        select_record(&self.lock(), product, module, id)
    }

    /// Store a new record and return it as stored. crm/bigin/fsm: a fresh `id`, `Owner`,
    /// `Created_Time`, `Modified_Time`, `Created_By`, `Modified_By`, `Full_Name` (Contacts,
    /// Leads). Books: the record keeps its own id key (`contact_id`), set by the caller.
    pub fn insert(&self, product: &str, module: &str, record: Record) -> Result<Record, String> {
        let now = now_text();
        self.write(|tx| insert_tx(tx, product, module, None, record, &now))
    }

    /// Store a new record under the caller's id.
    pub fn insert_with_id(&self, product: &str, module: &str, id: &str, record: Record) -> Result<Record, String> {
        let now = now_text();
        self.write(|tx| insert_tx(tx, product, module, Some(id), record, &now))
    }

    /// Merge `changes` into a record (top-level keys replaced); crm/bigin/fsm records get a
    /// new `Modified_Time` and `Full_Name`, and keep their id, creator and creation time.
    /// `None` when there is no such record.
    pub fn update(&self, product: &str, module: &str, id: &str, changes: Record) -> Result<Option<Record>, String> {
        let now = now_text();
        self.write(|tx| {
            let Some(mut record) = select_record(tx, product, module, id)? else { return Ok(None) };
            let fixed: &[&str] = if crm_like(product) {
                &["id", "Created_Time", "Created_By", "Modified_Time", "Modified_By", "Full_Name"]
            } else {
                &[]
            };
            for (k, v) in changes {
                if !fixed.contains(&k.as_str()) {
                    record.insert(k, v);
                }
            }
            if crm_like(product) {
                set_full_name(module, &mut record);
                record.insert("Modified_Time".into(), Value::String(now.clone()));
                record.insert("Modified_By".into(), user(false));
            }
            tx.execute(
                "UPDATE records SET data = ?4 WHERE product = ?1 AND module = ?2 AND id = ?3",
                params![product, module, id, Value::Object(record.clone()).to_string()],
            )
            .map_err(sql)?;
            Ok(Some(record))
        })
    }

    /// Remove a record; false when there was none.
    pub fn delete(&self, product: &str, module: &str, id: &str) -> Result<bool, String> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "DELETE FROM records WHERE product = ?1 AND module = ?2 AND id = ?3",
                    params![product, module, id],
                )
                .map_err(sql)?;
            Ok(n > 0)
        })
    }

    /// A fresh 19-digit id (Books callers put it in their own id key).
    pub fn next_id(&self) -> Result<String, String> {
        self.write(next_id_tx)
    }

    /// The next value (1, 2, ...) of a named counter, e.g. FSM's `REQ1`, `WO1` record names.
    pub fn next_number(&self, counter: &str) -> Result<u64, String> {
        let key = format!("counter:{counter}");
        self.write(|tx| {
            tx.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?1, '0')", params![key]).map_err(sql)?;
            let n: i64 = tx
                .query_row(
                    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ?1 RETURNING CAST(value AS INTEGER)",
                    params![key],
                    |r| r.get(0),
                )
                .map_err(sql)?;
            Ok(n.max(0) as u64)
        })
    }

    fn add_token(
        tx: &Transaction,
        kind: &str,
        scopes: &[String],
        expires: Option<i64>,
        parent: Option<&str>,
    ) -> Result<String, String> {
        let token = random_token()?;
        let scopes = Value::from(scopes.to_vec()).to_string();
        tx.execute(
            "INSERT INTO tokens (hash, kind, scopes, expires, parent) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![hash(&token), kind, scopes, expires, parent],
        )
        .map_err(sql)?;
        Ok(token)
    }

    /// A new refresh token and an access token (lasting `lifetime_secs`) for `scopes`.
    pub fn issue_token(&self, scopes: &[String], lifetime_secs: i64) -> Result<(String, String), String> {
        let now = now_secs();
        self.write(|tx| {
            // forget tokens that expired a day ago: the store stays small
            tx.execute("DELETE FROM tokens WHERE expires IS NOT NULL AND expires < ?1", params![now - 86_400])
                .map_err(sql)?;
            let refresh = Self::add_token(tx, "refresh", scopes, None, None)?;
            let access =
                Self::add_token(tx, "access", scopes, Some(now.saturating_add(lifetime_secs)), Some(&hash(&refresh)))?;
            Ok((access, refresh))
        })
    }

    /// A new access token from a refresh token; `None` when it is unknown or revoked.
    pub fn refresh_token(&self, refresh: &str, lifetime_secs: i64) -> Result<Option<String>, String> {
        let now = now_secs();
        let parent = hash(refresh);
        self.write(|tx| {
            let scopes: Option<String> = tx
                .query_row(
                    "SELECT scopes FROM tokens WHERE hash = ?1 AND kind = 'refresh' AND revoked = 0",
                    params![parent],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql)?;
            let Some(scopes) = scopes else { return Ok(None) };
            let scopes: Vec<String> = serde_json::from_str(&scopes).unwrap_or_default();
            Self::add_token(tx, "access", &scopes, Some(now.saturating_add(lifetime_secs)), Some(&parent)).map(Some)
        })
    }

    /// The scopes of a live access token; `None` when unknown, expired or revoked.
    pub fn token_scopes(&self, access: &str) -> Result<Option<Vec<String>>, String> {
        let conn = self.lock();
        let scopes: Option<String> = conn
            .query_row(
                "SELECT scopes FROM tokens WHERE hash = ?1 AND kind = 'access' AND revoked = 0 AND (expires IS NULL OR expires > ?2)",
                params![hash(access), now_secs()],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?;
        Ok(scopes.map(|s| serde_json::from_str(&s).unwrap_or_default()))
    }

    /// Revoke an access or refresh token (a refresh token takes its access tokens with it).
    /// False when the token is unknown.
    pub fn revoke(&self, token: &str) -> Result<bool, String> {
        let h = hash(token);
        self.write(|tx| {
            let n = tx
                .execute("UPDATE tokens SET revoked = 1 WHERE hash = ?1 AND kind != 'code'", params![h])
                .map_err(sql)?;
            tx.execute("UPDATE tokens SET revoked = 1 WHERE parent = ?1", params![h]).map_err(sql)?;
            Ok(n > 0)
        })
    }

    /// A single-use grant code for `scopes`, valid `lifetime_secs`.
    pub fn issue_code(&self, scopes: &[String], lifetime_secs: i64) -> Result<String, String> {
        let expires = now_secs().saturating_add(lifetime_secs);
        self.write(|tx| Self::add_token(tx, "code", scopes, Some(expires), None))
    }

    /// Use up a grant code: its scopes, or `None` when unknown, used or expired.
    pub fn take_code(&self, code: &str) -> Result<Option<Vec<String>>, String> {
        let h = hash(code);
        let now = now_secs();
        self.write(|tx| {
            let row: Option<(String, Option<i64>)> = tx
                .query_row(
                    "DELETE FROM tokens WHERE hash = ?1 AND kind = 'code' RETURNING scopes, expires",
                    params![h],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql)?;
            Ok(row
                .filter(|(_, exp)| exp.is_none_or(|e| e > now))
                .map(|(s, _)| serde_json::from_str(&s).unwrap_or_default()))
        })
    }

    /// The sandbox's own access token (never expires): created once per store, its scopes
    /// set to `scopes` on every call.
    pub fn master_token(&self, scopes: &[String]) -> Result<String, String> {
        let list = Value::from(scopes.to_vec()).to_string();
        self.write(|tx| {
            let known: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = 'master_token'", [], |r| r.get(0))
                .optional()
                .map_err(sql)?;
            let token = match known {
                Some(t) => t,
                None => {
                    let t = Self::add_token(tx, "access", scopes, None, None)?;
                    tx.execute("INSERT INTO meta (key, value) VALUES ('master_token', ?1)", params![t]).map_err(sql)?;
                    t
                }
            };
            tx.execute("UPDATE tokens SET scopes = ?2, revoked = 0 WHERE hash = ?1", params![hash(&token), list])
                .map_err(sql)?;
            Ok(token)
        })
    }
}

#[cfg(test)]
#[path = "db_tests.rs"]
mod tests;
