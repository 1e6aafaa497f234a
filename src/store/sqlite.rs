//! The SQLite implementation of [`Store`](super::Store): one file in WAL mode, the default for a
//! single shop. Writers are serialised by SQLite itself; booking takes the write lock up front
//! (`BEGIN IMMEDIATE`) so its check and its insert see the same calendar, and job claims are a
//! compare-and-set on the row's state.

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
    pool: SqlitePool,
}

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
            .foreign_keys(true);
        // Each connection to `:memory:` is its own database: keep exactly one.
        let pool = SqlitePoolOptions::new()
            .max_connections(if in_memory { 1 } else { 8 })
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(if in_memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if in_memory {
                None
            } else {
                Some(Duration::from_secs(3600))
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
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
                 ORDER BY run_at_us, id LIMIT 1",
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
            .fetch_optional(&self.pool)
            .await?;
            if let Some(row) = taken {
                return Ok(Some(row.into_job()?));
            }
        }
        Ok(None)
    }
});
