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
    async fn commit_turn(&self, c: &TurnCommit) -> Result<bool> {
        let conv = c.conversation_id.to_string();
        let mut tx = self.writer.begin().await?;
        let moved = sqlx::query(
            "UPDATE conversations SET state = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(to_text(&c.state))
        .bind(&conv)
        .bind(c.version)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        let r = &c.reply;
        let mut written = false;
        // Another node may append a caller's message meanwhile: take the next seq and try again.
        for _ in 0..8 {
            let inserted: Option<(String,)> = sqlx::query_as(
                "INSERT INTO turns (id, conversation_id, seq, speaker, text, understanding, flow, effects,
                                    processing_us, dedupe_key, created_at_us)
                 SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10
                 FROM turns WHERE conversation_id = $2
                 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(&conv)
            .bind(name_of(&r.speaker))
            .bind(&r.text)
            .bind(r.understanding.as_ref().map(to_text))
            .bind(&r.flow)
            .bind(to_text(&r.effects))
            .bind(r.processing_us)
            .bind(&r.dedupe_key)
            .bind(us(r.at))
            .fetch_optional(&mut *tx)
            .await?;
            if inserted.is_some() {
                written = true;
                break;
            }
            if let Some(key) = &r.dedupe_key {
                let stored: Option<(String,)> = sqlx::query_as(
                    "SELECT id FROM turns WHERE conversation_id = $1 AND dedupe_key = $2",
                )
                .bind(&conv)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
                if stored.is_some() {
                    written = true;
                    break;
                }
            }
        }
        if !written {
            tx.rollback().await?;
            return Err(StoreError::Corrupt {
                what: "turn",
                detail: format!("could not append to conversation {conv:?}"),
            });
        }
        if let (Some(key), Some(u)) = (&c.caller_key, &c.understanding) {
            sqlx::query("UPDATE turns SET understanding = $1 WHERE conversation_id = $2 AND dedupe_key = $3")
                .bind(to_text(u))
                .bind(&conv)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

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
