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

/// Runs one test body on a fresh SQLite database and on a fresh PostgreSQL database.
macro_rules! on_both_databases {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_sqlite() {
                super::$name(crate::support::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_postgres() {
                if let Some(db) = crate::support::postgres().await {
                    super::$name(db).await;
                }
            }
        }
    };
}
pub(crate) use on_both_databases;

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

/// A python that can import `module`, named by `env` (default: the peers venv), or `None` with a
/// printed reason. With `FRONTDESK_REQUIRE_PEERS=1` (CI) a missing one fails the test instead.
fn python_with(module: &str, env: &str) -> Option<String> {
    let python = std::env::var(env).unwrap_or_else(|_| "/work/.venv-peers/bin/python".into());
    let ok = std::process::Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    if std::env::var("FRONTDESK_REQUIRE_PEERS").is_ok_and(|v| v == "1") {
        panic!("{module} required but not found with {python}");
    }
    eprintln!("skipped: no python with {module} at {python} (set {env})");
    None
}

/// A free port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits (up to 10 s) until something listens on `port`.
fn wait_for_port(port: u16) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A peer process killed when the test ends.
struct Peer(std::process::Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(python: &str, args: &[&str]) -> Peer {
    Peer(
        std::process::Command::new(python)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start a peer"),
    )
}

/// A real SMTP sink (aiosmtpd, storing into a Maildir), or `None` with a printed reason.
pub struct SmtpSink {
    pub url: String,
    pub maildir: std::path::PathBuf,
    _peer: Peer,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    pub fn start() -> Option<SmtpSink> {
        let python = python_with("aiosmtpd", "FRONTDESK_AIOSMTPD")?;
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let maildir = dir.path().join("mail");
        let listen = format!("127.0.0.1:{port}");
        let peer = spawn(
            &python,
            &[
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &listen,
                "-c",
                "aiosmtpd.handlers.Mailbox",
                maildir.to_str().unwrap(),
            ],
        );
        wait_for_port(port);
        Some(SmtpSink {
            url: format!("smtp://{listen}"),
            maildir,
            _peer: peer,
            _dir: dir,
        })
    }

    /// Every stored message, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }
}

/// A real Radicale CalDAV server on loopback with a fresh storage folder, or `None` with a
/// printed reason.
pub struct Radicale {
    pub base: String,
    _peer: Peer,
    _dir: tempfile::TempDir,
}

impl Radicale {
    pub fn start() -> Option<Radicale> {
        let python = python_with("radicale", "FRONTDESK_RADICALE")?;
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let hosts = format!("127.0.0.1:{port}");
        let storage = dir.path().join("collections");
        let peer = spawn(
            &python,
            &[
                "-m",
                "radicale",
                "--config",
                "",
                "--server-hosts",
                &hosts,
                "--storage-filesystem-folder",
                storage.to_str().unwrap(),
                "--auth-type",
                "none",
                "--rights-type",
                "owner_only",
            ],
        );
        wait_for_port(port);
        Some(Radicale {
            base: format!("http://{hosts}"),
            _peer: peer,
            _dir: dir,
        })
    }
}

/// The value of a form field in a page (`name="csrf" value="..."`), when the page has one.
pub fn field(html: &str, name: &str) -> Option<String> {
    let pat = format!("name=\"{name}\" value=\"");
    let at = html.find(&pat)? + pat.len();
    Some(html[at..].split('"').next()?.to_string())
}

/// The CSRF token of a page's form (a page without one fails the test).
pub fn csrf_of(html: &str) -> String {
    field(html, "csrf").expect("a form with a csrf token")
}

/// A `Set-Cookie` header's cookie (`name=value`), without its attributes.
pub fn first_cookie(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or("").to_string()
}
