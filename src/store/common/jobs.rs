//! The durable job queue: enqueue once per idempotency key, complete, fail (back to the queue at a
//! later time, or dead), give leases back on shutdown, cancel by key prefix, and the listings and
//! counts for the operator and `/metrics`. Claiming a job differs by dialect (a compare-and-set on
//! SQLite, `FOR UPDATE SKIP LOCKED` on PostgreSQL) and lives in `sqlite.rs` and `postgres.rs`.

/// Hands the jobs methods to [`store_methods!`](super::store_methods).
macro_rules! job_methods {
    ($($chain:tt)*) => {
        $crate::store::common::store_methods! { $($chain)* =>
            async fn enqueue(&self, new: &NewJob) -> Result<(Job, bool)> {
                let id = Uuid::now_v7();
                let inserted = sqlx::query_as::<_, JobRow>(
                    "INSERT INTO jobs (id, business_id, kind, payload, run_at_us, max_attempts, status,
                                       idempotency_key, created_at_us, updated_at_us, priority)
                     VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $8, $9)
                     ON CONFLICT (idempotency_key) DO NOTHING RETURNING *",
                )
                .bind(id.to_string())
                .bind(&new.business_id)
                .bind(&new.kind)
                .bind(to_text(&new.payload))
                .bind(us(new.run_at))
                .bind(new.max_attempts.max(1))
                .bind(&new.idempotency_key)
                .bind(us(Timestamp::now()))
                .bind(new.priority)
                .fetch_optional(&self.writer)
                .await?;
                if let Some(row) = inserted {
                    return Ok((row.into_job()?, true));
                }
                let key = new.idempotency_key.clone().unwrap_or_default();
                let row = sqlx::query_as::<_, JobRow>("SELECT * FROM jobs WHERE idempotency_key = $1")
                    .bind(&key)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or(StoreError::NotFound { what: "job", id: key })?;
                Ok((row.into_job()?, false))
            }

            async fn complete_job(&self, id: Uuid, worker: &str, at: Timestamp) -> Result<bool> {
                let done = sqlx::query(
                    "UPDATE jobs SET status = 'done', lease_until_us = NULL, updated_at_us = $1
                     WHERE id = $2 AND status = 'running' AND leased_by = $3",
                )
                .bind(us(at))
                .bind(id.to_string())
                .bind(worker)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn fail_job(
                &self,
                id: Uuid,
                worker: &str,
                error: &str,
                retry_at: Option<Timestamp>,
                at: Timestamp,
            ) -> Result<bool> {
                let status = if retry_at.is_some() { "queued" } else { "dead" };
                let done = sqlx::query(
                    "UPDATE jobs SET status = $1, run_at_us = COALESCE($2, run_at_us), last_error = $3,
                     lease_until_us = NULL, leased_by = NULL, updated_at_us = $4
                     WHERE id = $5 AND status = 'running' AND leased_by = $6",
                )
                .bind(status)
                .bind(retry_at.map(us))
                .bind(error)
                .bind(us(at))
                .bind(id.to_string())
                .bind(worker)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_leases(&self, worker: &str, at: Timestamp) -> Result<u64> {
                // The attempt that was cut short does not count against the job.
                let done = sqlx::query(
                    "UPDATE jobs SET status = 'queued', lease_until_us = NULL, leased_by = NULL,
                     attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at_us = $1
                     WHERE status = 'running' AND leased_by = $2",
                )
                .bind(us(at))
                .bind(worker)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected())
            }

            async fn job(&self, id: Uuid) -> Result<Option<Job>> {
                sqlx::query_as::<_, JobRow>("SELECT * FROM jobs WHERE id = $1")
                    .bind(id.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(JobRow::into_job)
                    .transpose()
            }

            async fn job_by_key(&self, key: &str) -> Result<Option<Job>> {
                sqlx::query_as::<_, JobRow>("SELECT * FROM jobs WHERE idempotency_key = $1")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?
                    .map(JobRow::into_job)
                    .transpose()
            }

            async fn jobs(&self, status: JobStatus, limit: i64) -> Result<Vec<Job>> {
                let rows = sqlx::query_as::<_, JobRow>(
                    "SELECT * FROM jobs WHERE status = $1 ORDER BY updated_at_us DESC LIMIT $2",
                )
                .bind(name_of(&status))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                collect(rows, JobRow::into_job)
            }

            async fn job_counts(&self) -> Result<JobCounts> {
                let rows: Vec<(String, i64)> =
                    sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status")
                        .fetch_all(&self.pool)
                        .await?;
                let mut counts = JobCounts::default();
                for (status, n) in rows {
                    match status.as_str() {
                        "queued" => counts.queued = n,
                        "running" => counts.running = n,
                        "done" => counts.done = n,
                        "dead" => counts.dead = n,
                        _ => {}
                    }
                }
                Ok(counts)
            }

            async fn cancel_jobs(&self, key_prefix: &str, at: Timestamp) -> Result<u64> {
                let pattern = format!("{}%", key_prefix.replace('%', "").replace('_', "\\_"));
                let done = sqlx::query(
                    "UPDATE jobs SET status = 'dead', last_error = 'cancelled', updated_at_us = $1
                     WHERE status = 'queued' AND idempotency_key LIKE $2 ESCAPE '\\'",
                )
                .bind(us(at))
                .bind(pattern)
                .execute(&self.writer)
                .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

pub(crate) use job_methods;
