//! Durable jobs: everything that leaves the process later (texts, emails, webhooks, calendar
//! writes, follow-ups) is a row in the store's job queue, taken under a lease by a [`Worker`].
//! A worker that dies loses nothing (its lease runs out and another takes the job); a failing job
//! backs off and, after its last attempt, stays visible as dead. [`Worker::run_next`] runs exactly
//! one job so tests can drive the queue step by step.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use crate::clock::Clock;
use crate::store::{Job, NewJob, Store, StoreError};

/// How a job failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Worth another try later (timeouts, 429, 5xx).
    #[error("{0}")]
    Retry(String),
    /// Will not get better by retrying (a 400, an unknown recipient): dead at once.
    #[error("{0}")]
    Permanent(String),
    /// Worth another try, but not before this long (the outcome of the last attempt is unknown,
    /// and the next one first looks at what happened).
    #[error("{0}")]
    RetryAfter(String, SignedDuration),
}

/// Runs one kind of job.
#[async_trait]
pub trait Handler: Send + Sync + 'static {
    async fn run(&self, job: &Job) -> Result<(), JobError>;
}

/// The wait before retry number `attempt` (1-based): 10 s, 20 s, 40 s, … capped at one hour.
pub fn backoff(attempt: i64) -> SignedDuration {
    let exp = attempt.clamp(1, 20) - 1;
    let secs = 10i64.saturating_mul(1i64 << exp).min(3600);
    SignedDuration::from_secs(secs)
}

/// A new job with the usual defaults: due now, 8 attempts.
pub fn job(kind: &str, payload: Value, run_at: Timestamp) -> NewJob {
    NewJob {
        priority: crate::store::PRIORITY_LATER,
        business_id: None,
        kind: kind.to_string(),
        payload,
        run_at,
        max_attempts: 8,
        idempotency_key: None,
    }
}

/// What one step of the worker did.
#[derive(Debug, Clone, PartialEq)]
pub enum Ran {
    Done(Job),
    /// Failed and queued again for the given time.
    Retrying(Job, Timestamp),
    /// Failed for the last time, or permanently.
    Dead(Job),
}

/// Takes jobs from the store and runs them with the registered handlers.
pub struct Worker {
    id: String,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    handlers: HashMap<String, Arc<dyn Handler>>,
    lease: SignedDuration,
    wake: Option<Arc<tokio::sync::Notify>>,
    concurrency: usize,
}

impl Worker {
    pub fn new(id: impl Into<String>, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            id: id.into(),
            store,
            clock,
            handlers: HashMap::new(),
            lease: SignedDuration::from_secs(60),
            wake: None,
            concurrency: 8,
        }
    }

    /// How long a claimed job stays this worker's before others may take it.
    pub fn with_lease(mut self, lease: SignedDuration) -> Self {
        self.lease = lease;
        self
    }

    /// Wakes the idle loop as soon as this is notified (a job was queued in this process),
    /// instead of at the next poll.
    pub fn woken_by(mut self, wake: Arc<tokio::sync::Notify>) -> Self {
        self.wake = Some(wake);
        self
    }

    pub fn handle(mut self, kind: &str, handler: Arc<dyn Handler>) -> Self {
        self.handlers.insert(kind.to_string(), handler);
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// How many jobs the loop runs at once (default 8), so one slow call to Twilio or a
    /// calendar never holds up the others.
    pub fn with_concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Claims and runs at most one due job. `Ok(None)` when nothing is due.
    pub async fn run_next(&self) -> Result<Option<Ran>, StoreError> {
        match self.claim().await? {
            Some(job) => self.execute(job).await.map(Some),
            None => Ok(None),
        }
    }

    /// Claims the most urgent due job (replies before follow-ups), under this worker's lease.
    async fn claim(&self) -> Result<Option<Job>, StoreError> {
        self.store
            .claim_job(&self.id, self.clock.now(), self.lease)
            .await
    }

    /// Runs a claimed job and records how it went.
    async fn execute(&self, job: Job) -> Result<Ran, StoreError> {
        let started = std::time::Instant::now();
        let outcome = match self.handlers.get(&job.kind) {
            Some(handler) => {
                // A handler may not outlive its lease: past it, another worker may take the job.
                let limit = Duration::try_from(self.lease).unwrap_or(Duration::from_secs(60));
                match tokio::time::timeout(limit, handler.run(&job)).await {
                    Ok(result) => result,
                    Err(_) => Err(JobError::Retry(format!(
                        "timed out after {}s",
                        limit.as_secs()
                    ))),
                }
            }
            None => Err(JobError::Permanent(format!(
                "no handler for job kind {:?}",
                job.kind
            ))),
        };
        let kind = job.kind.clone();
        metrics::histogram!("frontdesk_job_seconds", "kind" => kind.clone())
            .record(started.elapsed().as_secs_f64());
        let now = self.clock.now();
        match outcome {
            Ok(()) => {
                self.store.complete_job(job.id, &self.id, now).await?;
                metrics::counter!("frontdesk_jobs_done_total", "kind" => kind).increment(1);
                Ok(Ran::Done(job))
            }
            Err(err) => {
                metrics::counter!("frontdesk_job_failures_total", "kind" => kind.clone())
                    .increment(1);
                let wait = match &err {
                    JobError::Retry(_) => Some(backoff(job.attempts)),
                    JobError::RetryAfter(_, at_least) => Some(backoff(job.attempts).max(*at_least)),
                    JobError::Permanent(_) => None,
                };
                let retry_at = wait
                    .filter(|_| job.attempts < job.max_attempts)
                    .map(|w| now.checked_add(w).unwrap_or(now));
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %err,
                    retry_at = ?retry_at, "job failed");
                self.store
                    .fail_job(job.id, &self.id, &err.to_string(), retry_at, now)
                    .await?;
                match retry_at {
                    Some(at) => Ok(Ran::Retrying(job, at)),
                    None => {
                        metrics::counter!("frontdesk_jobs_dead_total", "kind" => kind).increment(1);
                        Ok(Ran::Dead(job))
                    }
                }
            }
        }
    }

    /// Runs due jobs until none is left; returns what ran.
    pub async fn run_until_idle(&self) -> Result<Vec<Ran>, StoreError> {
        let mut ran = Vec::new();
        while let Some(r) = self.run_next().await? {
            ran.push(r);
        }
        Ok(ran)
    }

    /// The worker loop: runs up to [`with_concurrency`](Self::with_concurrency) jobs at once as
    /// they fall due, until `shutdown` fires; then lets running jobs finish for a few seconds
    /// and gives back its leases. Jobs still running after that are cut off and keep theirs.
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, concurrency = self.concurrency, "jobs worker started");
        let worker = Arc::new(self);
        let slots = Arc::new(tokio::sync::Semaphore::new(worker.concurrency));
        let mut running = tokio::task::JoinSet::new();
        loop {
            while running.try_join_next().is_some() {}
            if *shutdown.borrow() {
                break;
            }
            let permit = tokio::select! {
                p = slots.clone().acquire_owned() => match p {
                    Ok(p) => p,
                    Err(_) => break,
                },
                _ = shutdown.changed() => continue,
            };
            match worker.claim().await {
                Ok(Some(job)) => {
                    let w = worker.clone();
                    running.spawn(async move {
                        let _slot = permit;
                        if let Err(e) = w.execute(job).await {
                            tracing::error!(error = %e, "jobs worker could not record a job's outcome");
                        }
                    });
                    continue;
                }
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "jobs worker could not reach the store"),
            }
            drop(permit);
            let woken = async {
                match &worker.wake {
                    Some(n) => n.notified().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                _ = woken => {}
                _ = shutdown.changed() => {}
            }
        }
        let drained = tokio::time::timeout(Duration::from_secs(10), async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            // Cut off mid-run: their outcome is unknown, so they keep their leases (and their
            // attempt count) and are taken again when the leases run out, when the outbox looks
            // a text up before sending it again.
            running.abort_all();
            tracing::warn!(worker = %worker.id, "jobs worker stopped with jobs cut off mid-run");
            return;
        }
        match worker
            .store
            .release_leases(&worker.id, worker.clock.now())
            .await
        {
            Ok(n) => tracing::info!(worker = %worker.id, released = n, "jobs worker stopped"),
            Err(e) => tracing::error!(error = %e, "could not release job leases"),
        }
    }
}

/// Posts a JSON body to a URL: the `webhook.post` job. A 2xx is done; 429 and 5xx retry;
/// other 4xx are permanent.
pub struct WebhookPost {
    http: reqwest::Client,
}

impl WebhookPost {
    pub fn new(http: reqwest::Client) -> Self {
        Self { http }
    }
}

#[async_trait]
impl Handler for WebhookPost {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        let url = job
            .payload
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| JobError::Permanent("webhook job has no \"url\"".into()))?;
        let mut req = self
            .http
            .post(url)
            .json(job.payload.get("body").unwrap_or(&Value::Null));
        if let Some(headers) = job.payload.get("headers").and_then(Value::as_object) {
            for (k, v) in headers {
                if let Some(v) = v.as_str() {
                    req = req.header(k.as_str(), v);
                }
            }
        }
        let resp = req
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map_err(|e| JobError::Retry(format!("post to {url:?} failed: {e}")))?;
        classify_status(resp.status().as_u16(), url)
    }
}

/// The retry rule for an HTTP answer: 2xx done, 408/429/5xx again later, other 4xx never.
pub fn classify_status(status: u16, url: &str) -> Result<(), JobError> {
    match status {
        200..=299 => Ok(()),
        408 | 429 | 500..=599 => Err(JobError::Retry(format!("{url:?} answered {status}"))),
        _ => Err(JobError::Permanent(format!("{url:?} answered {status}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(backoff(1), SignedDuration::from_secs(10));
        assert_eq!(backoff(2), SignedDuration::from_secs(20));
        assert_eq!(backoff(4), SignedDuration::from_secs(80));
        assert_eq!(backoff(40), SignedDuration::from_secs(3600));
    }

    #[test]
    fn rate_limits_and_server_errors_retry_but_bad_requests_do_not() {
        assert!(classify_status(204, "u").is_ok());
        assert!(matches!(classify_status(429, "u"), Err(JobError::Retry(_))));
        assert!(matches!(classify_status(503, "u"), Err(JobError::Retry(_))));
        assert!(matches!(
            classify_status(400, "u"),
            Err(JobError::Permanent(_))
        ));
    }
}
