//! The PostgreSQL implementation of [`Store`](super::Store), for several stateless nodes sharing
//! one database. Booking locks the business row (`FOR UPDATE`) so concurrent bookings for one
//! shop are checked one after the other; job claims use `FOR UPDATE SKIP LOCKED` so workers never
//! wait on, or double-take, each other's jobs.

use std::time::Duration;

use jiff::Timestamp;
use serde_json::Value;
use sqlx::postgres::{PgPool, PgPoolOptions};
use uuid::Uuid;

use super::common::impl_store;
use super::rows::*;
use super::*;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// The same pool: PostgreSQL takes concurrent writers itself.
    writer: PgPool,
    /// Connections that hold conversations' turn locks, apart from the others so a node with
    /// many turns in flight can never wait on itself for a connection.
    locks: PgPool,
}

impl PgStore {
    /// Connects to a `postgres://` URL and applies the migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let locks = PgPoolOptions::new()
            .max_connections(24)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(60))
            .connect_lazy(url)?;
        Ok(Self {
            writer: pool.clone(),
            pool,
            locks,
        })
    }

    /// Opens the write transaction for a booking and locks the business row, so concurrent
    /// bookings for one shop are checked one after the other.
    async fn begin_write(
        pool: &PgPool,
        business_id: &str,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>> {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT id FROM businesses WHERE id = $1 FOR UPDATE")
            .bind(business_id)
            .fetch_optional(&mut *tx)
            .await?;
        Ok(tx)
    }
}

impl_store!(PgStore, sqlx::Postgres, "postgres", {
    async fn lock_conversation(&self, id: Uuid) -> Result<TurnLock> {
        // A transaction-scoped advisory lock: released when the guard drops (rollback) or when
        // this node dies and its connection closes, so a crash never leaves a conversation stuck.
        let mut tx = self.locks.begin().await?;
        let key = i64::from_be_bytes(id.as_bytes()[8..].try_into().unwrap_or([0; 8]));
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        Ok(TurnLock::held(tx))
    }

    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: jiff::SignedDuration,
    ) -> Result<Option<Job>> {
        let lease_until = now.checked_add(lease).unwrap_or(now);
        let row = sqlx::query_as::<_, JobRow>(
            "UPDATE jobs SET status = 'running', lease_until_us = $1, leased_by = $2, attempts = attempts + 1,
             updated_at_us = $3
             WHERE id = (
                SELECT id FROM jobs
                WHERE (status = 'queued' AND run_at_us <= $3) OR (status = 'running' AND lease_until_us < $3)
                ORDER BY priority, run_at_us, id LIMIT 1
                FOR UPDATE SKIP LOCKED)
             RETURNING *",
        )
        .bind(us(lease_until))
        .bind(worker)
        .bind(us(now))
        .fetch_optional(&self.writer)
        .await?;
        row.map(JobRow::into_job).transpose()
    }
});
