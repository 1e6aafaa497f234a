//! Benchmark 3: booking throughput through `Store::book` on SQLite (a WAL file) and PostgreSQL.
//!
//! Distinct, non-overlapping one-hour appointments for one business, one bay (so every booking
//! runs the full capacity check under the write lock), sequentially and from 8 concurrent tasks.
//! Slots go forward in time, as real bookings do, so the table grows behind them; the last
//! phase books slots *before* everything already stored, to show what the capacity check costs
//! as history accumulates.
//!
//! PostgreSQL: `postgres://postgres@127.0.0.1:5432/postgres` (or `FRONTDESK_BENCH_PG`); a fresh
//! database `fdbench_<random>` is created and dropped after. Skipped with a message when
//! unreachable.
//!
//! Run: `cargo run --release --example bench_booking -- [BOOKINGS_PER_PHASE]` (default 2000).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use frontdesk::store::{AppointmentStatus, BookOutcome, NewAppointment, Store};
use jiff::{SignedDuration, Timestamp};

/// Each phase stops early after this long.
const PHASE_CAP: Duration = Duration::from_secs(15);

fn slot(base: Timestamp, i: i64) -> NewAppointment {
    let start = base + SignedDuration::from_hours(i);
    NewAppointment {
        business_id: "joes-auto".into(),
        contact_id: None,
        service_id: "diagnostic".into(),
        start,
        end: start + SignedDuration::from_hours(1),
        status: AppointmentStatus::Booked,
        source: "bench".into(),
        vehicle: Some(serde_json::json!({"year": 2008, "make": "Honda", "model": "Civic"})),
        notes: None,
        idempotency_key: Some(format!("bench:{}", start.as_microsecond())),
        at: "2026-11-25T01:30:00Z".parse().unwrap(),
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Books slots `first, first+step*1 ..` (`count` of them) from `tasks` tasks; prints the rate.
async fn phase(
    store: &Arc<dyn Store>,
    label: &str,
    base: Timestamp,
    first: i64,
    step: i64,
    count: usize,
    tasks: usize,
) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + PHASE_CAP;
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let store = store.clone();
            let next = next.clone();
            tokio::spawn(async move {
                let mut lat = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count || Instant::now() > deadline {
                        break;
                    }
                    let new = slot(base, first + step * i as i64);
                    let t = Instant::now();
                    match store.book(&new, 1).await {
                        Ok(BookOutcome::Booked(_)) => {}
                        other => panic!("slot {i}: expected a booking, got {other:?}"),
                    }
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut lat = Vec::new();
    for h in handles {
        lat.extend(h.await.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    lat.sort();
    println!(
        "  {label:<44} {:>5} booked in {wall:>5.2} s = {:>7.0}/s  p50={:.2}ms p99={:.2}ms",
        lat.len(),
        lat.len() as f64 / wall,
        pct(&lat, 50.0),
        pct(&lat, 99.0),
    );
    lat.len()
}

async fn bench(store: Arc<dyn Store>, name: &str, count: usize) {
    store
        .upsert_business(
            "joes-auto",
            "Joe's Auto Repair",
            "[business]",
            "2026-11-25T01:30:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    println!("{name} (loadavg {}):", loadavg());
    // Slot 0 = 2027-01-01 00:00 UTC; phases take consecutive, disjoint slot ranges.
    let base: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    let mut stored = 0i64;
    let n = phase(&store, "sequential, empty table", base, stored, 1, count, 1).await;
    stored += n as i64;
    let n = phase(&store, "8 concurrent tasks", base, stored, 1, count, 8).await;
    stored += n as i64;
    let n = phase(
        &store,
        &format!("sequential, after {stored} stored (forward)"),
        base,
        stored,
        1,
        count,
        1,
    )
    .await;
    stored += n as i64;
    phase(
        &store,
        &format!("sequential, before {stored} stored (backward)"),
        base,
        -1,
        -1,
        count,
        1,
    )
    .await;
    println!("  loadavg after: {}", loadavg());
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    println!(
        "bench_booking: Store::book, 1 bay, distinct 1 h slots, {count} per phase (cap {PHASE_CAP:?})"
    );

    {
        let dir = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        );
        let store = frontdesk::store::open(&url).await.expect("open sqlite");
        bench(
            store,
            "SQLite (file, WAL, synchronous=NORMAL, 1 writer + 4 read-only connections)",
            count,
        )
        .await;
    }

    use sqlx::Connection as _;
    let admin = std::env::var("FRONTDESK_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            println!("PostgreSQL skipped: unreachable at {admin} ({e})");
            return;
        }
    };
    let name = format!("fdbench_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create bench database");
    let url = format!(
        "{}/{name}",
        admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin)
    );
    {
        let store = frontdesk::store::open(&url).await.expect("open postgres");
        bench(store, "PostgreSQL (16 connections)", count).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    match sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await
    {
        Ok(_) => println!("dropped {name}"),
        Err(e) => println!("could not drop {name}: {e}"),
    }
}
