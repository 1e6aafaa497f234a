//! The SQLite implementation of [`Store`](super::Store): one file in WAL mode, the default for a
//! single shop. Reads share a small pool of read-only connections; every statement that writes
//! goes through one writer connection, so this process's writers queue in order (FIFO, no
//! polling) instead of meeting on SQLite's lock and sleeping in its busy handler, which was the
//! slow tail under load. Another process on the same file (a `--worker-only` node) still waits
//! on the busy timeout. Booking takes the write lock up front (`BEGIN IMMEDIATE`) so its check
//! and its insert see the same calendar, and job claims are a compare-and-set on the row's
//! state.

use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use uuid::Uuid;

use super::common::impl_store;
use super::rows::*;
use super::*;

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    /// Read-only connections (the writer itself for an in-memory database).
    pool: SqlitePool,
    /// The one connection that writes.
    writer: SqlitePool,
}

/// Read connections: a few per core is plenty for reads that take microseconds.
const READERS: u32 = 4;
/// Pages of the file mapped into memory: readers then share the OS page cache instead of
/// copying pages in again after every write.
const MMAP_BYTES: &str = "268435456";

impl SqliteStore {
    /// Opens (and migrates) the database at a `sqlite:` URL. A file that does not exist is an
    /// error unless the URL says `mode=rwc`.
    pub async fn open(url: &str) -> Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let create = url.contains("mode=rwc");
        if !in_memory && !create && !options.get_filename().exists() {
            return Err(StoreError::Missing(
                options.get_filename().display().to_string(),
            ));
        }
        let parent = options
            .get_filename()
            .parent()
            .filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = parent.filter(|d| create && !d.exists()) {
            return Err(StoreError::Missing(dir.display().to_string()));
        }
        let options = options
            .journal_mode(if in_memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            .pragma("mmap_size", MMAP_BYTES);
        // Each connection to `:memory:` is its own database: keep exactly one, for both.
        let writer = Self::pool(1, in_memory)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        if in_memory {
            return Ok(Self {
                pool: writer.clone(),
                writer,
            });
        }
        let pool = Self::pool(READERS, false)
            .connect_with(options.read_only(true).create_if_missing(false))
            .await?;
        Ok(Self { pool, writer })
    }

    fn pool(size: u32, in_memory: bool) -> SqlitePoolOptions {
        let options = SqlitePoolOptions::new()
            .max_connections(size)
            .min_connections(if in_memory { 1 } else { 0 });
        if in_memory {
            options.idle_timeout(None).max_lifetime(None)
        } else {
            options
                .idle_timeout(Some(Duration::from_secs(600)))
                .max_lifetime(Some(Duration::from_secs(3600)))
        }
    }

    /// Opens the write transaction for a booking: `BEGIN IMMEDIATE` takes SQLite's write lock
    /// at once, so the capacity check and the insert see the same calendar.
    async fn begin_write(
        pool: &SqlitePool,
        _business_id: &str,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

impl_store!(SqliteStore, sqlx::Sqlite, "sqlite", {
    /// The whole turn in one round trip to the writer: one transaction whose version check gates
    /// each write (`changes()` is what the statement before changed), so a turn that lost the
    /// race writes nothing. Turns are what SQLite writes most, and each statement sent on its own
    /// costs a wake-up of the writer's thread.
    async fn commit_turn(&self, c: &TurnCommit) -> Result<bool> {
        let r = &c.reply;
        let mut conn = self.writer.acquire().await?;
        // The one row returned is the conversation's new version: no row, no write.
        let done: std::result::Result<Vec<(i64,)>, sqlx::Error> = sqlx::query_as(
            "BEGIN IMMEDIATE;
             UPDATE conversations SET state = $1, version = version + 1 WHERE id = $2 AND version = $3
             RETURNING version;
             INSERT INTO turns (id, conversation_id, seq, speaker, text, understanding, flow, effects,
                                processing_us, dedupe_key, created_at_us)
             SELECT $4, $2, COALESCE(MAX(seq), 0) + 1, $5, $6, NULL, $7, $8, $9, $10, $11
             FROM turns WHERE conversation_id = $2 HAVING changes() = 1
             ON CONFLICT DO NOTHING;
             UPDATE turns SET understanding = $12
             WHERE conversation_id = $2 AND dedupe_key = $13 AND changes() = 1;
             COMMIT;",
        )
        .bind(to_text(&c.state))
        .bind(c.conversation_id.to_string())
        .bind(c.version)
        .bind(Uuid::now_v7().to_string())
        .bind(name_of(&r.speaker))
        .bind(&r.text)
        .bind(&r.flow)
        .bind(to_text(&r.effects))
        .bind(r.processing_us)
        .bind(&r.dedupe_key)
        .bind(us(r.at))
        .bind(c.understanding.as_ref().map(to_text))
        .bind(c.caller_key.clone().unwrap_or_default())
        .fetch_all(&mut *conn)
        .await;
        match done {
            // The state and the reply were written together, or nothing was.
            Ok(rows) => Ok(!rows.is_empty()),
            Err(e) => {
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                Err(e.into())
            }
        }
    }

    async fn lock_conversation(&self, _id: Uuid) -> Result<TurnLock> {
        Ok(TurnLock::none())
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: jiff::SignedDuration,
    ) -> Result<Option<Job>> {
        let lease_until = now.checked_add(lease).unwrap_or(now);
        // Compare-and-set: pick a candidate, then take it only if nobody changed it meanwhile.
        for _ in 0..16 {
            let candidate: Option<(String, String, i64)> = sqlx::query_as(
                "SELECT id, status, COALESCE(lease_until_us, 0) FROM jobs
                 WHERE (status = 'queued' AND run_at_us <= $1) OR (status = 'running' AND lease_until_us < $1)
                 ORDER BY priority, run_at_us, id LIMIT 1",
            )
            .bind(us(now))
            .fetch_optional(&self.pool)
            .await?;
            let Some((id, status, old_lease)) = candidate else {
                return Ok(None);
            };
            let taken = sqlx::query_as::<_, JobRow>(
                "UPDATE jobs SET status = 'running', lease_until_us = $1, leased_by = $2, attempts = attempts + 1,
                 updated_at_us = $3
                 WHERE id = $4 AND status = $5 AND COALESCE(lease_until_us, 0) = $6 RETURNING *",
            )
            .bind(us(lease_until))
            .bind(worker)
            .bind(us(now))
            .bind(&id)
            .bind(&status)
            .bind(old_lease)
            .fetch_optional(&self.writer)
            .await?;
            if let Some(row) = taken {
                return Ok(Some(row.into_job()?));
            }
        }
        Ok(None)
    }
});
