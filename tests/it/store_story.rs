//! One story through the whole store interface, run on SQLite and on PostgreSQL: a caller rings,
//! is remembered, books, retries, races, reschedules, cancels, gets a task, and the operator's
//! side (jobs, audit, users) sees it all.

use std::sync::Arc;

use frontdesk::store::*;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::support::{on_both_stores, tuesday_evening};

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn appointment(start: &str, end: &str, key: Option<&str>) -> NewAppointment {
    NewAppointment {
        business_id: "joes-auto".into(),
        contact_id: None,
        service_id: "diagnostic".into(),
        start: at(start),
        end: at(end),
        status: AppointmentStatus::Booked,
        source: "voice".into(),
        vehicle: Some(json!({"year": 2008, "make": "Honda", "model": "Civic"})),
        notes: None,
        idempotency_key: key.map(str::to_string),
        at: tuesday_evening(),
    }
}

async fn the_store_keeps_a_whole_call_from_first_ring_to_follow_up(store: Arc<dyn Store>) {
    let now = tuesday_evening();
    store.ping().await.expect("ping");
    store
        .upsert_business("joes-auto", "Joe's Auto Repair", "[business]", now)
        .await
        .unwrap();
    store
        .upsert_business("other-shop", "Other Shop", "[business]", now)
        .await
        .unwrap();
    assert_eq!(
        store
            .business_profile("joes-auto")
            .await
            .unwrap()
            .as_deref(),
        Some("[business]")
    );

    // A new caller becomes a contact once, however many times the number shows up.
    let c1 = store
        .upsert_contact("joes-auto", "+15125550143", now)
        .await
        .unwrap();
    let c2 = store
        .upsert_contact("joes-auto", "+15125550143", now)
        .await
        .unwrap();
    assert_eq!(c1.id, c2.id);
    assert!(
        store
            .contact_by_phone("other-shop", "+15125550143")
            .await
            .unwrap()
            .is_none()
    );
    let mut sam = c1.clone();
    sam.name = Some("Sam Rivera".into());
    sam.vehicles = vec![json!({"year": 2008, "make": "Honda", "model": "Civic"})];
    store.update_contact(&sam, now).await.unwrap();
    let back = store.contact("joes-auto", sam.id).await.unwrap().unwrap();
    assert_eq!(back.name.as_deref(), Some("Sam Rivera"));
    assert_eq!(back.vehicles.len(), 1);
    assert!(
        store.contact("other-shop", sam.id).await.unwrap().is_none(),
        "no data across businesses"
    );

    // The call: a redelivered webhook with the same CallSid finds the same conversation.
    let new = NewConversation {
        business_id: "joes-auto".into(),
        contact_id: Some(sam.id),
        channel: Channel::Voice,
        external_id: Some("CA123".into()),
        started_at: now,
    };
    let conv = store.open_conversation(&new).await.unwrap();
    let again = store.open_conversation(&new).await.unwrap();
    assert_eq!(conv.id, again.id);
    assert_eq!(conv.version, 0);

    // Turns append in order; a duplicate delivery appends nothing.
    let turn = |text: &str, key: &str| NewTurn {
        conversation_id: conv.id,
        speaker: Speaker::Caller,
        text: text.into(),
        understanding: Some(json!({"intents": ["book"]})),
        flow: Some("book".into()),
        effects: vec![json!({"kind": "none"})],
        processing_us: Some(180),
        dedupe_key: Some(key.into()),
        at: now,
    };
    let (t1, fresh1) = store
        .append_turn(&turn("my check engine light is on", "CA123#1"))
        .await
        .unwrap();
    let (t1b, fresh1b) = store
        .append_turn(&turn("my check engine light is on", "CA123#1"))
        .await
        .unwrap();
    let (t2, _) = store
        .append_turn(&turn("Thursday at 2", "CA123#2"))
        .await
        .unwrap();
    assert!(fresh1 && !fresh1b);
    assert_eq!(t1.id, t1b.id);
    let by_key = store
        .turn_by_key(conv.id, "CA123#1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_key.id, t1.id);
    assert!(
        store
            .turn_by_key(conv.id, "CA123#9")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!((t1.seq, t2.seq), (1, 2));
    let turns = store.turns(conv.id).await.unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0].processing_us, Some(180));
    assert_eq!(turns[1].text, "Thursday at 2");

    // State saves are compare-and-set on the version: a stale writer loses.
    assert!(
        store
            .save_state(conv.id, &json!({"step": "offer"}), 0)
            .await
            .unwrap()
    );
    assert!(
        !store
            .save_state(conv.id, &json!({"step": "stale"}), 0)
            .await
            .unwrap()
    );
    let saved = store
        .conversation("joes-auto", conv.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (saved.state["step"].as_str(), saved.version),
        (Some("offer"), 1)
    );

    // Booking: one bay, Thursday 2 PM Central = 20:00 UTC.
    let first = appointment(
        "2026-11-26T20:00:00Z",
        "2026-11-26T21:00:00Z",
        Some("CA123#book"),
    );
    let booked = match store.book(&first, 1).await.unwrap() {
        BookOutcome::Booked(a) => a,
        other => panic!("expected a booking, got {other:?}"),
    };
    assert_eq!(booked.status, AppointmentStatus::Booked);
    assert_eq!(booked.vehicle.as_ref().unwrap()["model"], "Civic");
    // The same request retried returns the first result and books nothing more.
    match store.book(&first, 1).await.unwrap() {
        BookOutcome::Replayed(a) => assert_eq!(a.id, booked.id),
        other => panic!("expected the first result again, got {other:?}"),
    }
    // Someone else wants an overlapping time with one bay: taken. Back to back is fine.
    let overlapping = appointment("2026-11-26T20:30:00Z", "2026-11-26T21:30:00Z", None);
    assert_eq!(
        store.book(&overlapping, 1).await.unwrap(),
        BookOutcome::Taken
    );
    assert!(matches!(
        store.book(&overlapping, 2).await.unwrap(),
        BookOutcome::Booked(_)
    ));
    let back_to_back = appointment("2026-11-26T19:00:00Z", "2026-11-26T20:00:00Z", None);
    assert!(matches!(
        store.book(&back_to_back, 1).await.unwrap(),
        BookOutcome::Booked(_)
    ));
    let thursday = Range {
        from: at("2026-11-26T00:00:00Z"),
        to: at("2026-11-27T00:00:00Z"),
    };
    assert_eq!(
        store
            .appointments("joes-auto", thursday)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .appointments("other-shop", thursday)
            .await
            .unwrap()
            .is_empty()
    );

    // Reschedule into a full time is refused; into a free one it moves, freeing the old time.
    let later = (at("2026-11-27T15:00:00Z"), at("2026-11-27T16:00:00Z"));
    assert_eq!(
        store
            .reschedule(
                "joes-auto",
                booked.id,
                at("2026-11-26T20:30:00Z"),
                at("2026-11-26T21:30:00Z"),
                1,
                now
            )
            .await
            .unwrap(),
        BookOutcome::Taken
    );
    match store
        .reschedule("joes-auto", booked.id, later.0, later.1, 1, now)
        .await
        .unwrap()
    {
        BookOutcome::Booked(a) => assert_eq!((a.start, a.end), later),
        other => panic!("expected the move, got {other:?}"),
    }
    // Cancelling frees the slot for the next caller.
    let cancelled = store
        .set_appointment_status("joes-auto", booked.id, AppointmentStatus::Cancelled, now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
    let moved_slot = NewAppointment {
        start: later.0,
        end: later.1,
        ..appointment("2026-11-27T15:00:00Z", "2026-11-27T16:00:00Z", None)
    };
    assert!(matches!(
        store.book(&moved_slot, 1).await.unwrap(),
        BookOutcome::Booked(_)
    ));
    store
        .set_appointment_external_id(booked.id, "caldav-uid-1")
        .await
        .unwrap();
    assert_eq!(
        store
            .appointment("joes-auto", booked.id)
            .await
            .unwrap()
            .unwrap()
            .external_id
            .as_deref(),
        Some("caldav-uid-1")
    );
    assert!(
        store
            .appointment("other-shop", booked.id)
            .await
            .unwrap()
            .is_none()
    );

    // A callback task for the owner, then done with a note.
    let task = store
        .create_task(&NewTask {
            business_id: "joes-auto".into(),
            contact_id: Some(sam.id),
            conversation_id: Some(conv.id),
            kind: TaskKind::Callback,
            urgency: "normal".into(),
            title: "Call Sam back about a noise".into(),
            context: json!({"transcript": ["weird noise when I turn left in the rain"]}),
            at: now,
            key: None,
        })
        .await
        .unwrap();
    assert_eq!(store.tasks("joes-auto", true).await.unwrap().len(), 1);
    assert!(store.tasks("other-shop", false).await.unwrap().is_empty());
    assert!(
        store
            .complete_task("other-shop", task.id, "nope", now)
            .await
            .unwrap()
            .is_none()
    );
    let done = store
        .complete_task("joes-auto", task.id, "called, booked Friday", now)
        .await
        .unwrap()
        .unwrap();
    assert!(done.done);
    assert!(store.tasks("joes-auto", true).await.unwrap().is_empty());
    assert_eq!(store.tasks("joes-auto", false).await.unwrap().len(), 1);

    // The conversation ends with an outcome and shows up in listings.
    store
        .end_conversation(conv.id, now, "booked", Some("diagnostic Thursday 2 PM"))
        .await
        .unwrap();
    let day = Range {
        from: now.checked_sub(SignedDuration::from_hours(1)).unwrap(),
        to: now.checked_add(SignedDuration::from_hours(1)).unwrap(),
    };
    let listed = store.conversations("joes-auto", day, 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].outcome.as_deref(), Some("booked"));
    assert_eq!(
        store
            .conversations_of_contact("joes-auto", sam.id)
            .await
            .unwrap()
            .len(),
        1
    );
    // With one conversation, Sam is not yet a returning caller; another shop's history does not
    // count.
    assert!(
        !store
            .has_other_conversation("joes-auto", sam.id, listed[0].id)
            .await
            .unwrap()
    );
    assert!(
        store
            .has_other_conversation("joes-auto", sam.id, uuid::Uuid::now_v7())
            .await
            .unwrap()
    );
    assert!(
        !store
            .has_other_conversation("other-shop", sam.id, uuid::Uuid::now_v7())
            .await
            .unwrap()
    );

    // Opting out is remembered.
    let out = store
        .set_opt_out("joes-auto", "+15125550143", true, now)
        .await
        .unwrap();
    assert!(out.opted_out && out.opted_out_at.is_some());
    let back_in = store
        .set_opt_out("joes-auto", "+15125550143", false, now)
        .await
        .unwrap();
    assert!(!back_in.opted_out);
    assert_eq!(store.contacts("joes-auto", 10).await.unwrap().len(), 1);

    // Jobs: one per idempotency key.
    let job = NewJob {
        priority: frontdesk::store::PRIORITY_LATER,
        business_id: Some("joes-auto".into()),
        kind: "sms.send".into(),
        payload: json!({"to": "+15125550143", "body": "You're booked"}),
        run_at: now,
        max_attempts: 5,
        idempotency_key: Some("confirm:CA123".into()),
    };
    let (j1, fresh) = store.enqueue(&job).await.unwrap();
    let (j2, fresh2) = store.enqueue(&job).await.unwrap();
    assert!(fresh && !fresh2);
    assert_eq!(j1.id, j2.id);
    assert_eq!(store.job_counts().await.unwrap().queued, 1);
    assert_eq!(store.cancel_jobs("confirm:", now).await.unwrap(), 1);
    assert_eq!(store.job_counts().await.unwrap().dead, 1);

    // The audit log and dashboard users.
    store
        .audit(
            Some("joes-auto"),
            "system",
            "appointment.booked",
            &json!({"id": booked.id}),
            now,
        )
        .await
        .unwrap();
    let log = store.audit_log(Some("joes-auto"), 10).await.unwrap();
    assert_eq!(log[0].action, "appointment.booked");
    assert!(
        store
            .audit_log(Some("other-shop"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let user = store
        .create_user(
            "Joe@JoesAuto.example",
            "hash1",
            Role::Owner,
            Some("joes-auto"),
            now,
        )
        .await
        .unwrap();
    assert_eq!(user.email, "joe@joesauto.example");
    assert!(
        store
            .set_password("joe@joesauto.example", "hash2")
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .user_by_email("JOE@joesauto.example")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "hash2"
    );
    assert!(store.delete_user("joe@joesauto.example").await.unwrap());
    assert!(
        store
            .user_by_email("joe@joesauto.example")
            .await
            .unwrap()
            .is_none()
    );
}
on_both_stores!(the_store_keeps_a_whole_call_from_first_ring_to_follow_up);

async fn fifty_callers_racing_for_the_last_bay_get_exactly_one_booking(store: Arc<dyn Store>) {
    store
        .upsert_business("joes-auto", "Joe's Auto Repair", "", tuesday_evening())
        .await
        .unwrap();
    // One bay left: the other is already taken.
    let taken = appointment("2026-11-26T20:00:00Z", "2026-11-26T21:00:00Z", None);
    assert!(matches!(
        store.book(&taken, 2).await.unwrap(),
        BookOutcome::Booked(_)
    ));
    let mut racers = Vec::new();
    for i in 0..50 {
        let store = store.clone();
        racers.push(tokio::spawn(async move {
            let mut want = appointment("2026-11-26T20:00:00Z", "2026-11-26T21:00:00Z", None);
            want.idempotency_key = Some(format!("racer-{i}"));
            store.book(&want, 2).await.expect("book")
        }));
    }
    let mut booked = 0;
    for r in racers {
        match r.await.unwrap() {
            BookOutcome::Booked(_) => booked += 1,
            BookOutcome::Taken => {}
            BookOutcome::Replayed(_) => panic!("no key was reused"),
        }
    }
    assert_eq!(booked, 1);
    let thursday = Range {
        from: at("2026-11-26T00:00:00Z"),
        to: at("2026-11-27T00:00:00Z"),
    };
    assert_eq!(
        store
            .appointments("joes-auto", thursday)
            .await
            .unwrap()
            .len(),
        2
    );
}
on_both_stores!(fifty_callers_racing_for_the_last_bay_get_exactly_one_booking);

async fn the_same_booking_sent_twice_at_once_with_one_key_books_once(store: Arc<dyn Store>) {
    store
        .upsert_business("joes-auto", "Joe's Auto Repair", "", tuesday_evening())
        .await
        .unwrap();
    let want = appointment(
        "2026-11-26T20:00:00Z",
        "2026-11-26T21:00:00Z",
        Some("retry-me"),
    );
    let (a, b) = tokio::join!(store.book(&want, 2), store.book(&want, 2));
    let ids: Vec<_> = [a.unwrap(), b.unwrap()]
        .into_iter()
        .map(|o| match o {
            BookOutcome::Booked(a) | BookOutcome::Replayed(a) => a.id,
            BookOutcome::Taken => panic!("two bays, one booking: never taken"),
        })
        .collect();
    assert_eq!(ids[0], ids[1]);
    let thursday = Range {
        from: at("2026-11-26T00:00:00Z"),
        to: at("2026-11-27T00:00:00Z"),
    };
    assert_eq!(
        store
            .appointments("joes-auto", thursday)
            .await
            .unwrap()
            .len(),
        1
    );
}
on_both_stores!(the_same_booking_sent_twice_at_once_with_one_key_books_once);

async fn a_turn_commits_its_reply_understanding_and_state_together_or_not_at_all(
    store: Arc<dyn Store>,
) {
    let now = tuesday_evening();
    store
        .upsert_business("joes-auto", "Joe's Auto Repair", "[business]", now)
        .await
        .unwrap();
    let conv = store
        .open_conversation(&NewConversation {
            business_id: "joes-auto".into(),
            contact_id: None,
            channel: Channel::Sms,
            external_id: Some("sms:+15125550143:2026-11-24".into()),
            started_at: now,
        })
        .await
        .unwrap();
    let said = |text: &str, key: &str, speaker: Speaker| NewTurn {
        conversation_id: conv.id,
        speaker,
        text: text.into(),
        understanding: None,
        flow: None,
        effects: Vec::new(),
        processing_us: None,
        dedupe_key: Some(key.into()),
        at: now,
    };
    let commit = |version: i64| TurnCommit {
        conversation_id: conv.id,
        version,
        state: json!({"step": 1}),
        reply: said("Hello!", "SM1#reply", Speaker::Assistant),
        caller_key: Some("SM1".into()),
        understanding: Some(json!({"intents": ["greet"]})),
    };
    // A stale commit on a conversation with no turn yet writes nothing either.
    assert!(!store.commit_turn(&commit(conv.version + 7)).await.unwrap());
    assert!(store.turns(conv.id).await.unwrap().is_empty());
    store
        .append_turn(&said("hi", "SM1", Speaker::Caller))
        .await
        .unwrap();
    assert_eq!(store.pending_inbound(conv.id).await.unwrap().len(), 1);
    // A turn that read an older version writes nothing.
    assert!(!store.commit_turn(&commit(conv.version + 7)).await.unwrap());
    assert_eq!(store.turns(conv.id).await.unwrap().len(), 1);
    assert_eq!(store.pending_inbound(conv.id).await.unwrap().len(), 1);
    // The right version writes all three.
    assert!(store.commit_turn(&commit(conv.version)).await.unwrap());
    let turns = store.turns(conv.id).await.unwrap();
    assert_eq!(turns.len(), 2);
    assert_eq!(turns[0].understanding, Some(json!({"intents": ["greet"]})));
    assert_eq!(turns[1].text, "Hello!");
    let after = store
        .conversation("joes-auto", conv.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.state, json!({"step": 1}));
    assert_eq!(after.version, conv.version + 1);
    assert!(store.pending_inbound(conv.id).await.unwrap().is_empty());
}
on_both_stores!(a_turn_commits_its_reply_understanding_and_state_together_or_not_at_all);

async fn a_task_made_twice_under_one_key_is_made_once(store: Arc<dyn Store>) {
    let now = tuesday_evening();
    store
        .upsert_business("joes-auto", "Joe's Auto Repair", "[business]", now)
        .await
        .unwrap();
    let new = NewTask {
        business_id: "joes-auto".into(),
        contact_id: None,
        conversation_id: None,
        kind: TaskKind::Callback,
        urgency: "normal".into(),
        title: "Call Sam back about the brakes".into(),
        context: json!({}),
        at: now,
        key: Some("task:conv:SM1:0:2".into()),
    };
    let first = store.create_task(&new).await.unwrap();
    let again = store.create_task(&new).await.unwrap();
    assert_eq!(first.id, again.id);
    let unkeyed = NewTask { key: None, ..new };
    store.create_task(&unkeyed).await.unwrap();
    store.create_task(&unkeyed).await.unwrap();
    assert_eq!(store.tasks("joes-auto", true).await.unwrap().len(), 3);
}
on_both_stores!(a_task_made_twice_under_one_key_is_made_once);
