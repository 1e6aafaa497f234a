//! The durable job queue: backoff to a visible dead state, leases that outlive a dead worker,
//! one run per job across concurrent workers, and a SIGKILLed process that loses nothing.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::jobs::{Handler, JobError, Ran, Worker};
use frontdesk::store::{Job, JobStatus, NewJob, Store};
use jiff::SignedDuration;
use serde_json::json;

use crate::support::{on_both_stores, tuesday_evening};

/// Records every job it runs; fails while `fail` says so.
#[derive(Default)]
struct Recorder {
    ran: Mutex<Vec<uuid::Uuid>>,
    fail: bool,
}

#[async_trait]
impl Handler for Recorder {
    async fn run(&self, job: &Job) -> Result<(), JobError> {
        self.ran.lock().unwrap().push(job.id);
        tokio::task::yield_now().await;
        if self.fail {
            Err(JobError::Retry("twilio answered 503".into()))
        } else {
            Ok(())
        }
    }
}

fn new_job(key: Option<String>, max_attempts: i64) -> NewJob {
    NewJob {
        priority: frontdesk::store::PRIORITY_LATER,
        business_id: Some("joes-auto".into()),
        kind: "test.record".into(),
        payload: json!({"to": "+15125550143"}),
        run_at: tuesday_evening(),
        max_attempts,
        idempotency_key: key,
    }
}

async fn a_failing_job_backs_off_and_ends_dead_where_the_operator_sees_it(store: Arc<dyn Store>) {
    let clock = Arc::new(ManualClock::new(tuesday_evening()));
    let handler = Arc::new(Recorder {
        fail: true,
        ..Default::default()
    });
    let worker = Worker::new("w1", store.clone(), clock.clone() as Arc<dyn Clock>)
        .handle("test.record", handler.clone());
    let (job, _) = store.enqueue(&new_job(None, 3)).await.unwrap();

    let Some(Ran::Retrying(_, at1)) = worker.run_next().await.unwrap() else {
        panic!("first failure retries")
    };
    assert_eq!(
        at1,
        tuesday_evening()
            .checked_add(SignedDuration::from_secs(10))
            .unwrap()
    );
    assert!(
        worker.run_next().await.unwrap().is_none(),
        "not due before its backoff"
    );
    clock.advance(SignedDuration::from_secs(10));
    let Some(Ran::Retrying(_, at2)) = worker.run_next().await.unwrap() else {
        panic!("second failure retries")
    };
    assert_eq!(
        at2,
        clock
            .now()
            .checked_add(SignedDuration::from_secs(20))
            .unwrap()
    );
    clock.advance(SignedDuration::from_secs(20));
    assert!(matches!(
        worker.run_next().await.unwrap(),
        Some(Ran::Dead(_))
    ));
    clock.advance(SignedDuration::from_hours(24));
    assert!(
        worker.run_next().await.unwrap().is_none(),
        "a dead job never runs again"
    );

    assert_eq!(handler.ran.lock().unwrap().len(), 3);
    let dead = store.jobs(JobStatus::Dead, 10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].id, job.id);
    assert_eq!(dead[0].attempts, 3);
    assert_eq!(dead[0].last_error.as_deref(), Some("twilio answered 503"));
    assert_eq!(store.job_counts().await.unwrap().dead, 1);
}
on_both_stores!(a_failing_job_backs_off_and_ends_dead_where_the_operator_sees_it);

async fn a_job_of_unknown_kind_is_dead_at_once_with_a_reason(store: Arc<dyn Store>) {
    let clock = Arc::new(ManualClock::new(tuesday_evening()));
    let worker = Worker::new("w1", store.clone(), clock as Arc<dyn Clock>);
    store.enqueue(&new_job(None, 5)).await.unwrap();
    assert!(matches!(
        worker.run_next().await.unwrap(),
        Some(Ran::Dead(_))
    ));
    let dead = store.jobs(JobStatus::Dead, 1).await.unwrap();
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("no handler for job kind \"test.record\"")
    );
}
on_both_stores!(a_job_of_unknown_kind_is_dead_at_once_with_a_reason);

async fn a_job_whose_worker_died_is_taken_again_after_its_lease(store: Arc<dyn Store>) {
    let clock = Arc::new(ManualClock::new(tuesday_evening()));
    let (job, _) = store.enqueue(&new_job(None, 5)).await.unwrap();
    // Worker A takes the job and dies without a word.
    let claimed = store
        .claim_job("dead-worker", clock.now(), SignedDuration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(claimed.map(|j| j.id), Some(job.id));

    let handler = Arc::new(Recorder::default());
    let b = Worker::new("w2", store.clone(), clock.clone() as Arc<dyn Clock>)
        .handle("test.record", handler.clone());
    assert!(
        b.run_next().await.unwrap().is_none(),
        "the lease still holds"
    );
    clock.advance(SignedDuration::from_secs(61));
    assert!(matches!(b.run_next().await.unwrap(), Some(Ran::Done(_))));
    assert_eq!(*handler.ran.lock().unwrap(), vec![job.id]);
    // The dead worker's late word changes nothing.
    assert!(
        !store
            .complete_job(job.id, "dead-worker", clock.now())
            .await
            .unwrap()
    );
    assert_eq!(
        store.job(job.id).await.unwrap().unwrap().status,
        JobStatus::Done
    );
}
on_both_stores!(a_job_whose_worker_died_is_taken_again_after_its_lease);

async fn two_workers_never_run_the_same_job_twice(store: Arc<dyn Store>) {
    let clock = Arc::new(ManualClock::new(tuesday_evening()));
    for i in 0..120 {
        store
            .enqueue(&new_job(Some(format!("k{i}")), 3))
            .await
            .unwrap();
    }
    let handler = Arc::new(Recorder::default());
    let workers: Vec<_> = ["w1", "w2", "w3"]
        .into_iter()
        .map(|id| {
            Arc::new(
                Worker::new(id, store.clone(), clock.clone() as Arc<dyn Clock>)
                    .handle("test.record", handler.clone()),
            )
        })
        .collect();
    let runs: Vec<_> = workers
        .iter()
        .map(|w| {
            let w = w.clone();
            tokio::spawn(async move { w.run_until_idle().await.unwrap().len() })
        })
        .collect();
    let mut total = 0;
    for r in runs {
        total += r.await.unwrap();
    }
    let ran = handler.ran.lock().unwrap().clone();
    let unique: HashSet<_> = ran.iter().collect();
    assert_eq!(ran.len(), 120, "every job ran");
    assert_eq!(unique.len(), 120, "no job ran twice");
    assert_eq!(total, 120);
    assert_eq!(store.job_counts().await.unwrap().done, 120);
}
on_both_stores!(two_workers_never_run_the_same_job_twice);

async fn a_graceful_stop_gives_leases_back_for_the_next_worker(store: Arc<dyn Store>) {
    let clock = Arc::new(ManualClock::new(tuesday_evening()));
    let (job, _) = store.enqueue(&new_job(None, 5)).await.unwrap();
    store
        .claim_job("stopping", clock.now(), SignedDuration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(
        store.release_leases("stopping", clock.now()).await.unwrap(),
        1
    );
    let again = store
        .claim_job("next", clock.now(), SignedDuration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, job.id);
    assert_eq!(again.attempts, 1, "the interrupted attempt does not count");
}
on_both_stores!(a_graceful_stop_gives_leases_back_for_the_next_worker);

/// A process killed while it holds a lease: after restart the job runs to completion.
async fn a_worker_process_killed_mid_job_loses_no_job(db_url: String, store: Arc<dyn Store>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // A webhook receiver that stalls on the first delivery and accepts the next.
    let hits = Arc::new(AtomicUsize::new(0));
    let hits2 = hits.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let hits = hits2.clone();
            async move {
                if hits.fetch_add(1, Ordering::SeqCst) == 0 {
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let (job, _) = store
        .enqueue(&NewJob {
            priority: frontdesk::store::PRIORITY_LATER,
            business_id: None,
            kind: "webhook.post".into(),
            payload: json!({"url": format!("http://{addr}/hook"), "body": {"event": "appointment.booked"}}),
            run_at: jiff::Timestamp::now(),
            max_attempts: 5,
            idempotency_key: Some("hook:1".into()),
        })
        .await
        .unwrap();

    let mut child = crate::support::bin()
        .args(["serve", "--worker-only", "--db", &db_url, "--profile"])
        .arg(crate::support::root().join("examples/auto-shop.toml"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start frontdesk");
    // Wait until the child holds the job (and the receiver has the stalled request).
    let mut held = None;
    for _ in 0..200 {
        let j = store.job(job.id).await.unwrap().unwrap();
        if j.status == JobStatus::Running && hits.load(Ordering::SeqCst) == 1 {
            held = Some(j);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let held = held.expect("the worker process took the job");
    // SIGKILL: no chance to give the lease back.
    child.kill().expect("kill");
    let _ = child.wait();
    assert_eq!(
        store.job(job.id).await.unwrap().unwrap().status,
        JobStatus::Running
    );

    // After the lease runs out, the next worker (here, in this process) takes it and finishes.
    let after_lease = held
        .lease_until
        .unwrap()
        .checked_add(SignedDuration::from_secs(1))
        .unwrap();
    let clock = Arc::new(ManualClock::new(after_lease));
    let app = crate::support::app(store.clone(), clock);
    let worker = frontdesk::serve::worker(&app);
    assert!(matches!(
        worker.run_next().await.unwrap(),
        Some(Ran::Done(_))
    ));
    let done = store.job(job.id).await.unwrap().unwrap();
    assert_eq!(done.status, JobStatus::Done);
    assert_eq!(done.attempts, 2);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_process_killed_mid_job_loses_no_job_on_sqlite() {
    let db = crate::support::sqlite().await;
    a_worker_process_killed_mid_job_loses_no_job(db.url.replace("?mode=rwc", ""), db.store.clone())
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_process_killed_mid_job_loses_no_job_on_postgres() {
    if let Some(db) = crate::support::postgres().await {
        a_worker_process_killed_mid_job_loses_no_job(db.url.clone(), db.store.clone()).await;
    }
}
