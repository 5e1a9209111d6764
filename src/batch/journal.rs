//! The batch journal: one SQLite row per record (pending, done with its `info` output and
//! result, failed with the error), committed before the record counts as done.

use crate::error::Error;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// What the journal holds about one record.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: i64,
    pub status: String,
    pub info: String,
    pub result: Option<String>,
    pub error: Option<String>,
}

/// Record counts by status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub done: u64,
    pub failed: u64,
    pub pending: u64,
}

/// One connection to the journal (each worker has its own; SQLite's WAL lets them write in turn).
pub struct Journal {
    db: Connection,
}

fn err(path: &Path, e: rusqlite::Error) -> Error {
    Error::runtime(format!("journal {}: {e}", path.display()))
}

impl Journal {
    /// Open (or create) the journal at `path`.
    pub fn open(path: &Path) -> Result<Journal, Error> {
        let db = Connection::open(path).map_err(|e| err(path, e))?;
        db.busy_timeout(std::time::Duration::from_secs(60)).map_err(|e| err(path, e))?;
        // WAL with NORMAL sync: a commit survives the process being killed (kill -9)
        db.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS records (
                line INTEGER PRIMARY KEY, input_hash TEXT NOT NULL, status TEXT NOT NULL,
                info TEXT NOT NULL DEFAULT '', result TEXT, error TEXT, runs INTEGER NOT NULL DEFAULT 0);",
        )
        .map_err(|e| err(path, e))?;
        Ok(Journal { db })
    }

    /// Open a journal that must exist (`dg batch status`).
    pub fn open_existing(path: &Path) -> Result<Journal, Error> {
        if !path.is_file() {
            return Err(Error::usage(format!("no journal at {}", path.display())));
        }
        let j = Journal::open(path)?;
        if j.meta("input_hash")?.is_none() {
            return Err(Error::usage(format!("{} is not a dg batch journal", path.display())));
        }
        Ok(j)
    }

    fn sql(e: rusqlite::Error) -> Error {
        Error::runtime(format!("journal: {e}"))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, Error> {
        self.db
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| Error::usage(format!("not a dg batch journal ({e})")))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), Error> {
        self.db
            .execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", [key, value])
            .map(|_| ())
            .map_err(Self::sql)
    }

    pub fn counts(&self) -> Result<Counts, Error> {
        let mut c = Counts::default();
        let mut st = self.db.prepare("SELECT status, COUNT(*) FROM records GROUP BY status").map_err(Self::sql)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?))).map_err(Self::sql)?;
        for row in rows {
            let (status, n) = row.map_err(Self::sql)?;
            match status.as_str() {
                "done" => c.done = n,
                "failed" => c.failed = n,
                _ => c.pending += n,
            }
        }
        Ok(c)
    }

    /// The status of every record the journal knows, by line.
    pub fn statuses(&self) -> Result<std::collections::HashMap<i64, String>, Error> {
        let mut st = self.db.prepare("SELECT line, status FROM records").map_err(Self::sql)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(Self::sql)?;
        rows.collect::<Result<_, _>>().map_err(Self::sql)
    }

    /// Mark these records pending (they are about to run), in one transaction.
    pub fn mark_pending(&mut self, records: &[(i64, String)]) -> Result<(), Error> {
        let tx = self.db.transaction().map_err(Self::sql)?;
        {
            let mut st = tx
                .prepare(
                    "INSERT INTO records (line, input_hash, status) VALUES (?1, ?2, 'pending')
                     ON CONFLICT(line) DO UPDATE SET status = 'pending', input_hash = ?2",
                )
                .map_err(Self::sql)?;
            for (line, hash) in records {
                st.execute(params![line, hash]).map_err(Self::sql)?;
            }
        }
        tx.commit().map_err(Self::sql)
    }

    /// A record's outcome, committed at once.
    pub fn finish(&self, row: &Row, input_hash: &str) -> Result<(), Error> {
        self.db
            .execute(
                "INSERT INTO records (line, input_hash, status, info, result, error, runs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
                 ON CONFLICT(line) DO UPDATE SET status = ?3, info = ?4, result = ?5, error = ?6,
                 runs = runs + 1, input_hash = ?2",
                params![row.line, input_hash, row.status, row.info, row.result, row.error],
            )
            .map(|_| ())
            .map_err(Self::sql)
    }

    /// Every row, by line (`--out`, `status`).
    pub fn rows(&self) -> Result<Vec<Row>, Error> {
        let mut st = self
            .db
            .prepare("SELECT line, status, info, result, error FROM records ORDER BY line")
            .map_err(Self::sql)?;
        let rows = st
            .query_map([], |r| {
                Ok(Row { line: r.get(0)?, status: r.get(1)?, info: r.get(2)?, result: r.get(3)?, error: r.get(4)? })
            })
            .map_err(Self::sql)?;
        rows.collect::<Result<_, _>>().map_err(Self::sql)
    }
}

/// `dg batch status JOURNAL`: what the journal holds.
pub fn status(path: &Path) -> Result<String, Error> {
    let j = Journal::open_existing(path)?;
    let c = j.counts()?;
    let mut out = format!("journal: {}\n", path.display());
    for (key, label) in [("input", "input"), ("script", "script"), ("function", "function")] {
        if let Some(v) = j.meta(key)? {
            out.push_str(&format!("{label}: {v}\n"));
        }
    }
    out.push_str(&format!(
        "records: {} ({} done, {} failed, {} pending)",
        c.done + c.failed + c.pending,
        c.done,
        c.failed,
        c.pending
    ));
    let failed: Vec<Row> = j.rows()?.into_iter().filter(|r| r.status == "failed").collect();
    if !failed.is_empty() {
        out.push_str("\nfailed:");
        for r in failed.iter().take(20) {
            out.push_str(&format!("\n  line {}: {}", r.line, super::first_line(r.error.as_deref().unwrap_or(""))));
        }
        if failed.len() > 20 {
            out.push_str(&format!("\n  ... and {} more", failed.len() - 20));
        }
    }
    Ok(out)
}
