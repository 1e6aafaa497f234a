//! Test scaffolding: a fresh database per test on SQLite (a temp file, WAL) and on PostgreSQL
//! (a new database on the server named by `FRONTDESK_TEST_PG`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`), and the app without a socket.

use std::sync::Arc;

use frontdesk::app::{App, Settings};
use frontdesk::clock::{Clock, ManualClock};
use frontdesk::store::Store;
use jiff::Timestamp;

/// A store plus whatever keeps it alive.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let store = frontdesk::store::open(&url).await.expect("open sqlite");
    TestDb {
        store,
        url,
        _dir: Some(dir),
    }
}

fn pg_admin_url() -> String {
    std::env::var("FRONTDESK_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// A fresh PostgreSQL database, or `None` (with a printed reason) when no server is reachable.
/// With `FRONTDESK_REQUIRE_PG=1` (CI) an unreachable server fails the test instead.
pub async fn postgres() -> Option<TestDb> {
    use sqlx::Connection as _;
    let admin = pg_admin_url();
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            if std::env::var("FRONTDESK_REQUIRE_PG").is_ok_and(|v| v == "1") {
                panic!("PostgreSQL required but unreachable at {admin}: {e}");
            }
            eprintln!("skipped: no PostgreSQL at {admin} ({e}); set FRONTDESK_TEST_PG");
            return None;
        }
    };
    let name = format!("fdt_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create test database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    let url = format!("{base}/{name}");
    let store = frontdesk::store::open(&url).await.expect("open postgres");
    Some(TestDb {
        store,
        url,
        _dir: None,
    })
}

/// Expands one `async fn NAME(store: Arc<dyn Store>)` into a module with a test per dialect.
macro_rules! on_both_stores {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_sqlite() {
                let db = crate::support::sqlite().await;
                super::$name(db.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_postgres() {
                if let Some(db) = crate::support::postgres().await {
                    super::$name(db.store.clone()).await;
                }
            }
        }
    };
}
pub(crate) use on_both_stores;

/// A fixed instant: Tuesday 2026-11-24 19:30 in Austin (01:30 UTC the next day).
pub fn tuesday_evening() -> Timestamp {
    "2026-11-25T01:30:00Z".parse().expect("timestamp")
}

/// The app on the example profile with a manual clock, no socket.
pub fn app(store: Arc<dyn Store>, clock: Arc<ManualClock>) -> App {
    let clock: Arc<dyn Clock> = clock;
    App::new(
        store,
        clock,
        vec![frontdesk_profile::example()],
        Settings::default(),
    )
}

/// The `frontdesk` binary built for these tests.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
}

/// The repository root (for examples/).
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
