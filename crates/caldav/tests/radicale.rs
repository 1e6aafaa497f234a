//! The CalDAV client against a real Radicale 3 on loopback, each test with its own server in its
//! own folder, plus the two failures a shop's calendar really has: a server that is down and
//! one that hangs.
//!
//! Radicale is found through `FRONTDESK_RADICALE` (a python that can `import radicale`), else
//! the venv at `/work/.venv-peers` (`python3 -m venv /work/.venv-peers &&
//! /work/.venv-peers/bin/pip install 'radicale==3.*'`, or `scripts/peers/radicale.sh`). Without
//! one these tests say why and pass, unless `FRONTDESK_REQUIRE_PEERS=1`, when they fail.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use frontdesk_caldav::{CalDav, Error, Event, feed_ics, parse_events};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A Radicale server of our own, stopped and its folder removed when dropped.
struct Radicale {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Radicale {
    /// A fresh server that lets anyone in, or `None` (with the reason printed) when Radicale is
    /// not installed.
    fn start() -> Option<Radicale> {
        Radicale::launch(false)
    }

    /// A fresh server that checks passwords (`shop:secret`, `stranger:secret`) and keeps each
    /// user to their own collections.
    fn start_with_passwords() -> Option<Radicale> {
        Radicale::launch(true)
    }

    fn launch(passwords: bool) -> Option<Radicale> {
        let Some(python) = radicale_python() else {
            let reason = "radicale is not installed: set FRONTDESK_RADICALE to a python with radicale, \
                          or run scripts/peers/radicale.sh";
            if std::env::var("FRONTDESK_REQUIRE_PEERS").is_ok_and(|v| v == "1") {
                panic!("FRONTDESK_REQUIRE_PEERS=1 but {reason}");
            }
            eprintln!("skipped: {reason}");
            return None;
        };
        static SERIAL: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "frontdesk-caldav-{}-{}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("collections")).expect("temp dir");
        let port = free_port();
        let log = std::fs::File::create(dir.join("radicale.log")).expect("log file");
        let mut command = Command::new(&python);
        command
            .args(["-m", "radicale", "--config", ""])
            .args(["--server-hosts", &format!("127.0.0.1:{port}")])
            .arg("--storage-filesystem-folder")
            .arg(dir.join("collections"))
            .args(["--rights-type", "owner_only"]);
        if passwords {
            std::fs::write(dir.join("users"), "shop:secret\nstranger:secret\n")
                .expect("users file");
            command
                .args([
                    "--auth-type",
                    "htpasswd",
                    "--auth-htpasswd-encryption",
                    "plain",
                    "--auth-delay",
                    "0",
                ])
                .arg("--auth-htpasswd-filename")
                .arg(dir.join("users"));
        } else {
            command.args(["--auth-type", "none"]);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("start radicale");
        let mut server = Radicale { child, dir, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("radicale exited with {status}: {}", server.log());
            }
            if started.elapsed() > Duration::from_secs(20) {
                panic!(
                    "radicale did not listen on port {port} within 20s: {}",
                    server.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }

    /// The shop's calendar as frontdesk sees it (user `shop`).
    fn shop(&self) -> CalDav {
        CalDav::new(
            &self.url("shop/calendar/"),
            Some("shop"),
            Some("secret"),
            Duration::from_secs(5),
        )
        .expect("client")
        .with_time_zone(TimeZone::get("America/Chicago").unwrap())
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("radicale.log")).unwrap_or_default()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn radicale_python() -> Option<PathBuf> {
    let candidates = match std::env::var_os("FRONTDESK_RADICALE") {
        Some(explicit) => vec![PathBuf::from(explicit)],
        None => vec![
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../.venv-peers/bin/python"),
            PathBuf::from("/work/.venv-peers/bin/python"),
        ],
    };
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import radicale"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn booking(uid: &str, start: &str, end: &str) -> Event {
    Event {
        uid: uid.into(),
        start: ts(start),
        end: ts(end),
        summary: "Oil change: Jane Roe".into(),
        description: "2014 Honda Civic\nbooked by phone".into(),
        location: Some("Main St Auto".into()),
    }
}

/// Writes raw iCalendar text as another client (the owner's phone) would.
async fn owner_puts(server: &Radicale, uid: &str, ics: &str) {
    let answer = reqwest::Client::new()
        .put(server.url(&format!("shop/calendar/{uid}.ics")))
        .basic_auth("shop", Some("phone"))
        .header("Content-Type", "text/calendar; charset=utf-8")
        .body(ics.replace('\n', "\r\n"))
        .send()
        .await
        .expect("owner's put");
    assert!(
        answer.status().is_success(),
        "owner's put: {}",
        answer.status()
    );
}

async fn owner_deletes(server: &Radicale, uid: &str) {
    let answer = reqwest::Client::new()
        .delete(server.url(&format!("shop/calendar/{uid}.ics")))
        .basic_auth("shop", Some("phone"))
        .send()
        .await
        .expect("owner's delete");
    assert!(
        answer.status().is_success(),
        "owner's delete: {}",
        answer.status()
    );
}

const CHICAGO: &str = "BEGIN:VTIMEZONE
TZID:America/Chicago
BEGIN:DAYLIGHT
TZOFFSETFROM:-0600
TZOFFSETTO:-0500
TZNAME:CDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0500
TZOFFSETTO:-0600
TZNAME:CST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE";

#[tokio::test]
async fn a_new_shop_calendar_is_created_and_creating_it_again_is_fine() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    assert!(!shop.is_calendar().await.unwrap());
    shop.ensure_calendar().await.unwrap();
    assert!(shop.is_calendar().await.unwrap());
    shop.ensure_calendar().await.unwrap();
}

#[tokio::test]
async fn a_booking_appears_in_the_owners_calendar_for_its_window_and_not_outside_it() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    let etag = shop
        .put_event(&booking(
            "appt-1",
            "2026-11-24T15:00:00Z",
            "2026-11-24T16:00:00Z",
        ))
        .await
        .unwrap();
    assert!(!etag.is_empty());

    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].uid, "appt-1");
    assert_eq!(
        (seen[0].start, seen[0].end),
        (ts("2026-11-24T15:00:00Z"), ts("2026-11-24T16:00:00Z"))
    );
    assert_eq!(seen[0].summary, "Oil change: Jane Roe");
    assert_eq!(seen[0].etag.as_deref(), Some(etag.as_str()));
    assert!(seen[0].is_busy());

    let before = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-24T15:00:00Z"))
        .await
        .unwrap();
    let after = shop
        .events(ts("2026-11-24T16:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert!(before.is_empty(), "{before:?}");
    assert!(after.is_empty(), "{after:?}");
}

#[tokio::test]
async fn a_retried_booking_leaves_one_event() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    let event = booking("appt-retry", "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z");
    shop.put_event(&event).await.unwrap();
    shop.put_event(&event).await.unwrap();
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        seen.iter().filter(|e| e.uid == "appt-retry").count(),
        1,
        "{seen:?}"
    );
}

#[tokio::test]
async fn an_event_the_owner_moved_is_read_at_its_new_time() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    let etag = shop
        .put_event(&booking(
            "appt-move",
            "2026-11-24T15:00:00Z",
            "2026-11-24T16:00:00Z",
        ))
        .await
        .unwrap();
    owner_puts(
        &server,
        "appt-move",
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//iPhone OS 18.1//EN
BEGIN:VEVENT
UID:appt-move
DTSTAMP:20261124T120000Z
DTSTART:20261124T190000Z
DTEND:20261124T200000Z
SUMMARY:Oil change: Jane Roe
SEQUENCE:1
END:VEVENT
END:VCALENDAR
",
    )
    .await;
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].start, ts("2026-11-24T19:00:00Z"));
    assert_eq!(seen[0].end, ts("2026-11-24T20:00:00Z"));
    assert_ne!(
        seen[0].etag.as_deref(),
        Some(etag.as_str()),
        "the move changes the etag"
    );
}

#[tokio::test]
async fn an_event_the_owner_deleted_disappears() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    shop.put_event(&booking(
        "appt-gone",
        "2026-11-24T15:00:00Z",
        "2026-11-24T16:00:00Z",
    ))
    .await
    .unwrap();
    owner_deletes(&server, "appt-gone").await;
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert!(seen.is_empty(), "{seen:?}");
}

#[tokio::test]
async fn a_cancelled_booking_is_deleted_and_deleting_it_again_is_fine() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    shop.put_event(&booking(
        "appt-cancel",
        "2026-11-24T15:00:00Z",
        "2026-11-24T16:00:00Z",
    ))
    .await
    .unwrap();
    shop.delete_event("appt-cancel").await.unwrap();
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert!(seen.is_empty(), "{seen:?}");
    shop.delete_event("appt-cancel").await.unwrap();
    shop.delete_event("never-existed").await.unwrap();
}

#[tokio::test]
async fn a_booking_whose_uid_has_colons_and_at_signs_is_written_and_deleted() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    let uids = [
        "urn:uuid:0193-appt/7@frontdesk.example",
        "appt-8@frontdesk.example",
    ];
    for uid in uids {
        let event = booking(uid, "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z");
        shop.put_event(&event).await.unwrap();
    }
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    let got: Vec<&str> = seen.iter().map(|e| e.uid.as_str()).collect();
    assert_eq!(got, [uids[1], uids[0]]);
    for uid in uids {
        shop.delete_event(uid).await.unwrap();
    }
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert!(seen.is_empty(), "{seen:?}");
}

#[tokio::test]
async fn an_all_day_event_blocks_the_shops_whole_local_day() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    owner_puts(
        &server,
        "thanksgiving",
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
BEGIN:VEVENT
UID:thanksgiving
DTSTAMP:20261101T120000Z
DTSTART;VALUE=DATE:20261126
DTEND;VALUE=DATE:20261127
SUMMARY:Closed: Thanksgiving
END:VEVENT
END:VCALENDAR
",
    )
    .await;
    // 16:00 Chicago time, the afternoon of the holiday.
    let seen = shop
        .events(ts("2026-11-26T22:00:00Z"), ts("2026-11-26T23:00:00Z"))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].start, ts("2026-11-26T06:00:00Z"));
    assert_eq!(seen[0].end, ts("2026-11-27T06:00:00Z"));
    assert!(seen[0].is_busy());
    // The next morning in Chicago is free.
    let next = shop
        .events(ts("2026-11-27T06:00:00Z"), ts("2026-11-27T18:00:00Z"))
        .await
        .unwrap();
    assert!(next.is_empty(), "{next:?}");
}

#[tokio::test]
async fn a_chicago_local_event_is_read_at_the_right_instant_on_both_sides_of_daylight_saving() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    // US daylight saving ends Sunday 2026-11-01: 09:00 is 14:00Z before, 15:00Z after.
    for (uid, day) in [("before-dst", "20261030"), ("after-dst", "20261102")] {
        owner_puts(
            &server,
            uid,
            &format!(
                "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.1//EN
{CHICAGO}
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20261020T120000Z
DTSTART;TZID=America/Chicago:{day}T090000
DTEND;TZID=America/Chicago:{day}T103000
SUMMARY:Fleet van inspection
END:VEVENT
END:VCALENDAR
"
            ),
        )
        .await;
    }
    let seen = shop
        .events(ts("2026-10-30T00:00:00Z"), ts("2026-11-03T00:00:00Z"))
        .await
        .unwrap();
    let times: Vec<(&str, Timestamp, Timestamp)> = seen
        .iter()
        .map(|e| (e.uid.as_str(), e.start, e.end))
        .collect();
    assert_eq!(
        times,
        [
            (
                "before-dst",
                ts("2026-10-30T14:00:00Z"),
                ts("2026-10-30T15:30:00Z")
            ),
            (
                "after-dst",
                ts("2026-11-02T15:00:00Z"),
                ts("2026-11-02T16:30:00Z")
            ),
        ]
    );
    // The server's time-range filter agrees: a window holding only 14:00Z-15:00Z on Nov 2 is free.
    let gap = shop
        .events(ts("2026-11-02T14:00:00Z"), ts("2026-11-02T15:00:00Z"))
        .await
        .unwrap();
    assert!(gap.is_empty(), "{gap:?}");
}

#[tokio::test]
async fn a_weekly_lunch_break_is_busy_every_week_at_local_noon() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    owner_puts(
        &server,
        "lunch",
        &format!(
            "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.1//EN
{CHICAGO}
BEGIN:VEVENT
UID:lunch
DTSTAMP:20261001T120000Z
DTSTART;TZID=America/Chicago:20261006T120000
DTEND;TZID=America/Chicago:20261006T130000
RRULE:FREQ=WEEKLY;BYDAY=TU,TH
EXDATE;TZID=America/Chicago:20261105T120000
SUMMARY:Lunch
END:VEVENT
END:VCALENDAR
"
        ),
    )
    .await;
    // Week of 2026-11-02 (after daylight saving ended): Tuesday at 18:00Z, Thursday excluded.
    let seen = shop
        .events(ts("2026-11-02T00:00:00Z"), ts("2026-11-09T00:00:00Z"))
        .await
        .unwrap();
    let starts: Vec<Timestamp> = seen.iter().map(|e| e.start).collect();
    assert_eq!(starts, [ts("2026-11-03T18:00:00Z")], "{seen:?}");
    // A week in October (daylight time): Tuesday and Thursday at 17:00Z.
    let october = shop
        .events(ts("2026-10-12T00:00:00Z"), ts("2026-10-19T00:00:00Z"))
        .await
        .unwrap();
    let starts: Vec<Timestamp> = october.iter().map(|e| e.start).collect();
    assert_eq!(
        starts,
        [ts("2026-10-13T17:00:00Z"), ts("2026-10-15T17:00:00Z")]
    );
}

#[tokio::test]
async fn a_first_monday_staff_meeting_is_expanded_by_the_server() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    owner_puts(
        &server,
        "staff",
        &format!(
            "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 15.1//EN
{CHICAGO}
BEGIN:VEVENT
UID:staff
DTSTAMP:20261001T120000Z
DTSTART;TZID=America/Chicago:20261005T080000
DTEND;TZID=America/Chicago:20261005T090000
RRULE:FREQ=MONTHLY;BYDAY=1MO
SUMMARY:Staff meeting
END:VEVENT
END:VCALENDAR
"
        ),
    )
    .await;
    let seen = shop
        .events(ts("2026-11-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"))
        .await
        .unwrap();
    let got: Vec<(&str, Timestamp, Timestamp)> = seen
        .iter()
        .map(|e| (e.uid.as_str(), e.start, e.end))
        .collect();
    assert_eq!(
        got,
        [
            (
                "staff",
                ts("2026-11-02T14:00:00Z"),
                ts("2026-11-02T15:00:00Z")
            ),
            (
                "staff",
                ts("2026-12-07T14:00:00Z"),
                ts("2026-12-07T15:00:00Z")
            ),
        ]
    );
    assert!(
        seen.iter()
            .all(|e| e.etag.is_some() && e.summary == "Staff meeting")
    );
}

#[tokio::test]
async fn a_transparent_event_is_flagged_as_not_busy() {
    let Some(server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    owner_puts(
        &server,
        "reminder",
        "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
BEGIN:VEVENT
UID:reminder
DTSTAMP:20261101T120000Z
DTSTART:20261124T150000Z
DTEND:20261124T160000Z
SUMMARY:Order filters
TRANSP:TRANSPARENT
END:VEVENT
END:VCALENDAR
",
    )
    .await;
    let seen = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].transparent);
    assert!(!seen[0].is_busy());
}

#[tokio::test]
async fn a_wrong_password_or_another_owners_calendar_is_refused_and_not_worth_retrying() {
    let Some(server) = Radicale::start_with_passwords() else {
        return;
    };
    server.shop().ensure_calendar().await.unwrap();
    let event = booking("appt-x", "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z");

    let wrong = CalDav::new(
        &server.url("shop/calendar/"),
        Some("shop"),
        Some("guess"),
        Duration::from_secs(5),
    )
    .unwrap();
    let refused = wrong.put_event(&event).await.unwrap_err();
    assert!(
        matches!(refused, Error::Http { status: 401, .. }),
        "{refused:?}"
    );
    assert!(!refused.is_retryable());

    let stranger = CalDav::new(
        &server.url("shop/calendar/"),
        Some("stranger"),
        Some("secret"),
        Duration::from_secs(5),
    )
    .unwrap();
    let refused = stranger.put_event(&event).await.unwrap_err();
    assert!(
        matches!(refused, Error::Http { status: 403, .. }),
        "{refused:?}"
    );
    assert!(!refused.is_retryable());

    server.shop().put_event(&event).await.unwrap();
}

#[tokio::test]
async fn a_stopped_calendar_server_is_unreachable_at_once() {
    let port = free_port();
    let shop = CalDav::new(
        &format!("http://127.0.0.1:{port}/shop/calendar/"),
        Some("shop"),
        None,
        Duration::from_secs(5),
    )
    .unwrap();
    let started = Instant::now();
    let failed = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(failed, Error::Unreachable(_)), "{failed:?}");
    assert!(failed.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_radicale_that_was_stopped_is_unreachable() {
    let Some(mut server) = Radicale::start() else {
        return;
    };
    let shop = server.shop();
    shop.ensure_calendar().await.unwrap();
    server.stop();
    let started = Instant::now();
    let failed = shop
        .put_event(&booking(
            "appt-down",
            "2026-11-24T15:00:00Z",
            "2026-11-24T16:00:00Z",
        ))
        .await
        .unwrap_err();
    assert!(matches!(failed, Error::Unreachable(_)), "{failed:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_calendar_server_that_never_answers_times_out_within_the_deadline() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts every connection, reads nothing, answers nothing, holds it open.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(8) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let deadline = Duration::from_millis(800);
    let shop = CalDav::new(
        &format!("http://127.0.0.1:{port}/shop/calendar/"),
        Some("shop"),
        None,
        deadline,
    )
    .unwrap();
    let started = Instant::now();
    let failed = shop
        .events(ts("2026-11-24T00:00:00Z"), ts("2026-11-25T00:00:00Z"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(failed, Error::Timeout), "{failed:?}");
    assert!(failed.is_retryable());
    assert!(
        took >= deadline && took < deadline + Duration::from_secs(2),
        "took {took:?}"
    );
    let failed = shop
        .put_event(&booking(
            "appt-hang",
            "2026-11-24T15:00:00Z",
            "2026-11-24T16:00:00Z",
        ))
        .await
        .unwrap_err();
    assert!(matches!(failed, Error::Timeout), "{failed:?}");
}

/// Reads one HTTP request (headers and a `Content-Length` body) from `stream`.
fn read_request(stream: &mut TcpStream) {
    use std::io::Read;
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).unwrap_or(0);
        if n == 0 {
            return;
        }
        seen.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&seen);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if seen.len() >= end + 4 + length {
                return;
            }
        }
    }
}

#[tokio::test]
async fn a_call_that_needs_two_requests_still_answers_within_one_deadline() {
    use std::io::Write;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let deadline = Duration::from_millis(1200);
    // The first request (the calendar-query) is answered after 700 ms with an event only the
    // server can expand; the second (the multiget) is never answered.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for (i, stream) in listener.incoming().take(4).enumerate() {
            let Ok(mut stream) = stream else { continue };
            read_request(&mut stream);
            if i == 0 {
                std::thread::sleep(Duration::from_millis(700));
                let body = "<?xml version=\"1.0\"?><multistatus xmlns=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\
                    <response><href>/shop/calendar/m.ics</href><propstat><prop><getetag>\"1\"</getetag><C:calendar-data>\
                    BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART:20261005T130000Z\r\nDTEND:20261005T140000Z\r\n\
                    RRULE:FREQ=MONTHLY;BYDAY=1MO\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n\
                    </C:calendar-data></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>";
                let _ = write!(
                    stream,
                    "HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            } else {
                held.push(stream);
            }
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let shop = CalDav::new(
        &format!("http://127.0.0.1:{port}/shop/calendar/"),
        Some("shop"),
        None,
        deadline,
    )
    .unwrap();
    let started = Instant::now();
    let failed = shop
        .events(ts("2026-11-01T00:00:00Z"), ts("2026-12-01T00:00:00Z"))
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(failed, Error::Timeout), "{failed:?}");
    assert!(
        took < deadline + Duration::from_millis(400),
        "took {took:?}"
    );
}

#[test]
fn the_feed_reads_back_with_our_parser_and_the_icalendar_crate() {
    let events = [
        booking("appt-1", "2026-11-24T15:00:00Z", "2026-11-24T16:00:00Z"),
        booking("appt-2", "2026-11-25T15:00:00Z", "2026-11-25T17:30:00Z"),
    ];
    let feed = feed_ics("Main St Auto; bays 1, 2", &events);
    let ours = parse_events(&feed);
    assert_eq!(
        ours.iter()
            .map(|e| (e.uid.as_str(), e.start, e.end))
            .collect::<Vec<_>>(),
        [
            (
                "appt-1",
                ts("2026-11-24T15:00:00Z"),
                ts("2026-11-24T16:00:00Z")
            ),
            (
                "appt-2",
                ts("2026-11-25T15:00:00Z"),
                ts("2026-11-25T17:30:00Z")
            ),
        ]
    );
    let theirs: icalendar::Calendar = feed.parse().expect("the icalendar crate reads the feed");
    assert_eq!(theirs.get_name(), Some("Main St Auto; bays 1, 2"));
    assert_eq!(theirs.property_value("PRODID"), Some("-//frontdesk//EN"));
    use icalendar::Component as _;
    let summaries: Vec<_> = theirs
        .events()
        .map(|e| e.get_summary().unwrap_or_default())
        .collect();
    assert_eq!(summaries, ["Oil change: Jane Roe", "Oil change: Jane Roe"]);
    assert!(feed.lines().all(|l| l.len() <= 75), "lines are folded");
}
