//! Follow-ups with the clock under the test's control: exact send times (across a daylight-saving
//! change), moved with a reschedule, dropped with a cancellation, C and R replies, one review per
//! period, nothing for opted-out contacts.

use frontdesk::booking::{self, Booking};
use frontdesk::store::{AppointmentStatus, Job, JobStatus};
use jiff::Timestamp;

use crate::twilio::{CALLER, Harness, SHOP_NUMBER};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn book(h: &Harness, service: &str, start: &str) -> frontdesk::store::Appointment {
    let engine = h.app.directory().by_id("joes-auto").unwrap();
    let contact = h
        .store
        .upsert_contact("joes-auto", CALLER, h.clock_now())
        .await
        .unwrap();
    let mut c = contact.clone();
    c.name = Some("Sam".into());
    h.store.update_contact(&c, h.clock_now()).await.unwrap();
    let req = booking::Request {
        service_id: service.into(),
        start: at(start),
        contact_id: Some(contact.id),
        vehicle: None,
        notes: None,
        source: "test".into(),
        idempotency_key: None,
    };
    match booking::book(&h.app, engine.profile(), &req).await.unwrap() {
        Booking::Booked(a) => a,
        other => panic!("not booked: {other:?}"),
    }
}

async fn queued(h: &Harness) -> Vec<(String, Timestamp)> {
    let mut jobs: Vec<Job> = h.store.jobs(JobStatus::Queued, 100).await.unwrap();
    jobs.sort_by_key(|j| j.run_at);
    jobs.iter()
        .filter(|j| j.kind == "followup.send")
        .map(|j| (j.payload["kind"].as_str().unwrap().to_string(), j.run_at))
        .collect()
}

impl Harness {
    fn clock_now(&self) -> Timestamp {
        use frontdesk::clock::Clock;
        self.clock.now()
    }
}

#[tokio::test]
async fn a_booking_schedules_its_reminder_review_and_reengagement_at_local_times() {
    let h = Harness::new(frontdesk_profile::example()).await;
    // Thursday Nov 26, 2 PM Central (20:00 UTC), a one-hour diagnostic.
    let appt = book(&h, "diagnostic", "2026-11-26T20:00:00Z").await;
    let jobs = queued(&h).await;
    assert_eq!(
        jobs,
        vec![
            ("reminder".to_string(), at("2026-11-25T20:00:00Z")), // Wednesday 2 PM
            (
                "review".to_string(),
                at(&format!(
                    "{}",
                    appt.end
                        .checked_add(jiff::SignedDuration::from_hours(2))
                        .unwrap()
                ))
            ),
            (
                "reengage".to_string(),
                appt.end
                    .to_zoned(jiff::tz::TimeZone::get("America/Chicago").unwrap())
                    .checked_add(jiff::Span::new().days(30))
                    .unwrap()
                    .timestamp()
            ),
        ]
    );
}

#[tokio::test]
async fn send_times_keep_the_local_clock_across_the_fall_back_change() {
    let mut profile = frontdesk_profile::example();
    profile.followups.reminder_hours_before = 48;
    let h = Harness::new(profile).await;
    h.clock.set(at("2026-10-28T15:00:00Z"));
    // Monday Nov 2, 9 AM CST (15:00 UTC): two days before is Saturday Oct 31, 9 AM CDT (14:00 UTC),
    // not 48 elapsed hours (which would be 10 AM local).
    book(&h, "oil_change", "2026-11-02T15:00:00Z").await;
    let jobs = queued(&h).await;
    assert_eq!(
        jobs[0],
        ("reminder".to_string(), at("2026-10-31T14:00:00Z"))
    );
    // Saturday Oct 31, 10 AM CDT: thirty days after the visit is Monday Nov 30 at the same local time (CST).
    let h2 = Harness::new(frontdesk_profile::example()).await;
    h2.clock.set(at("2026-10-28T15:00:00Z"));
    let appt = book(&h2, "oil_change", "2026-10-31T15:00:00Z").await;
    let reengage = queued(&h2)
        .await
        .into_iter()
        .find(|(k, _)| k == "reengage")
        .unwrap()
        .1;
    let local_end = appt
        .end
        .to_zoned(jiff::tz::TimeZone::get("America/Chicago").unwrap());
    let local_send = reengage.to_zoned(jiff::tz::TimeZone::get("America/Chicago").unwrap());
    assert_eq!(local_send.time(), local_end.time());
    assert_eq!(local_send.date(), jiff::civil::date(2026, 11, 30));
    assert_eq!(
        reengage.duration_since(appt.end).as_hours(),
        30 * 24 + 1,
        "one hour longer in elapsed time"
    );
}

#[tokio::test]
async fn a_review_request_that_would_land_in_quiet_hours_waits_for_the_morning() {
    let mut profile = frontdesk_profile::example();
    profile.followups.review_delay_hours = 4;
    let h = Harness::new(profile).await;
    // Wednesday 5 PM local visit, one hour: 6 PM + 4 h = 10 PM, inside 21:00-08:00 quiet hours.
    book(&h, "diagnostic", "2026-11-25T23:00:00Z").await;
    let review = queued(&h)
        .await
        .into_iter()
        .find(|(k, _)| k == "review")
        .unwrap()
        .1;
    assert_eq!(review, at("2026-11-26T14:00:00Z"), "Thursday 8 AM local");
}

#[tokio::test]
async fn rescheduling_moves_the_follow_ups_and_cancelling_drops_them() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let appt = book(&h, "diagnostic", "2026-11-26T20:00:00Z").await;
    let engine = h.app.directory().by_id("joes-auto").unwrap();
    let moved = booking::reschedule(
        &h.app,
        engine.profile(),
        appt.id,
        at("2026-11-27T14:00:00Z"),
        "test",
    )
    .await
    .unwrap();
    assert!(matches!(moved, Booking::Booked(_)));
    let jobs = queued(&h).await;
    assert_eq!(jobs.len(), 3);
    assert_eq!(
        jobs[0],
        ("reminder".to_string(), at("2026-11-26T14:00:00Z")),
        "a day before the new time"
    );
    booking::cancel(&h.app, engine.profile(), appt.id, "test")
        .await
        .unwrap();
    assert!(queued(&h).await.is_empty());
}

#[tokio::test]
async fn the_reminder_goes_out_the_day_before_and_c_confirms_while_r_starts_a_reschedule() {
    let h = Harness::new(frontdesk_profile::example()).await;
    let appt = book(&h, "diagnostic", "2026-11-26T20:00:00Z").await;
    h.drain().await;
    assert!(h.fake.texts().is_empty(), "nothing before its time");
    h.clock.set(at("2026-11-25T20:00:00Z"));
    h.drain().await;
    let texts = h.fake.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    let body = texts[0].field("Body").unwrap();
    assert!(body.contains("tomorrow at 2 PM"), "{body}");
    assert!(
        body.contains("Reply C to confirm or R to reschedule"),
        "{body}"
    );

    let sms = |sid: &'static str, text: &'static str| {
        vec![
            ("MessageSid", sid),
            ("AccountSid", "AC00000000000000000000000000000000"),
            ("From", CALLER),
            ("To", SHOP_NUMBER),
            ("Body", text),
            ("NumMedia", "0"),
        ]
    };
    h.post("/twilio/sms", &sms("SM900", "C")).await;
    let confirmed = h
        .store
        .appointment("joes-auto", appt.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(confirmed.status, AppointmentStatus::Confirmed);
    h.post("/twilio/sms", &sms("SM901", "R")).await;
    h.drain().await;
    let last = h
        .fake
        .texts()
        .last()
        .unwrap()
        .field("Body")
        .unwrap()
        .to_lowercase();
    assert!(
        last.contains("resched")
            || last.contains("move")
            || last.contains("what day")
            || last.contains("when"),
        "{last}"
    );
}

#[tokio::test]
async fn a_customer_is_asked_for_a_review_at_most_once_per_period_and_opted_out_ones_never() {
    let h = Harness::new(frontdesk_profile::example()).await;
    book(&h, "oil_change", "2026-11-25T14:00:00Z").await;
    book(&h, "tire_rotation", "2026-11-27T14:00:00Z").await;
    h.clock.set(at("2026-11-28T20:00:00Z"));
    h.drain().await;
    let reviews: Vec<_> = h
        .fake
        .texts()
        .into_iter()
        .filter(|t| t.field("Body").unwrap().contains("review"))
        .collect();
    assert_eq!(reviews.len(), 1, "{reviews:?}");

    let h = Harness::new(frontdesk_profile::example()).await;
    book(&h, "oil_change", "2026-11-25T14:00:00Z").await;
    h.store
        .set_opt_out("joes-auto", CALLER, true, at("2026-11-25T01:00:00Z"))
        .await
        .unwrap();
    h.clock.set(at("2027-01-30T20:00:00Z"));
    h.drain().await;
    assert!(h.fake.texts().is_empty(), "{:?}", h.fake.texts());
}
