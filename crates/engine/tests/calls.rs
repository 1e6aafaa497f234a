//! Whole conversations driven through the engine with an in-memory calendar, one test per thing
//! a caller or the owner would notice.

mod common;

use common::{Call, local};
use frontdesk_engine::{Channel, Effect, Input, Outcome, TaskKind, Urgency};

fn example() -> frontdesk_profile::Profile {
    frontdesk_profile::example()
}

#[test]
fn the_seven_step_call_books_sam_for_thursday_at_two_and_texts_the_confirmation() {
    let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Voice);
    let hello = call.start();
    assert!(hello.contains("closed right now"), "{hello}");

    let offers = call.say("Hi, my check engine light is on");
    assert!(offers.contains("$129"), "{offers}");
    assert!(offers.contains("I have"), "{offers}");
    assert!(offers.contains("tomorrow at 7:30 AM"), "{offers}");

    let thursday = call.say("Do you have anything Thursday at 2 PM?");
    assert!(thursday.contains("Thursday at 2 PM is open"), "{thursday}");
    assert!(thursday.contains("name"), "{thursday}");

    let back = call.say("Sam, 2008 Civic");
    assert!(back.contains("Thursday, November 26 at 2 PM"), "{back}");
    assert!(back.contains("for Sam, 2008 Honda Civic"), "{back}");
    assert!(back.ends_with("Shall I book it?"), "{back}");
    assert!(call.booked().is_empty(), "booked before the yes");

    let done = call.say("Yes");
    assert!(done.contains("all set"), "{done}");
    let booked = call.booked();
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].service_id, "diagnostic");
    assert_eq!(booked[0].start, "2026-11-26T20:00:00Z".parse().unwrap());
    assert_eq!(booked[0].start, local("2026-11-26T14:00"));

    let sms = call.sms();
    assert_eq!(sms.len(), 1);
    assert!(
        sms[0].contains("Sam") && sms[0].contains("November 26"),
        "{}",
        sms[0]
    );
    assert!(call.effects.iter().any(|e| matches!(e,
        Effect::NotifyOwner { urgency: Urgency::Normal, subject, body }
            if subject.contains("New booking") && body.contains("2008 Honda Civic"))));
    assert!(call.effects.iter().any(|e| matches!(e,
        Effect::UpdateContact { name: Some(n), vehicle: Some(_) } if n == "Sam")));
}

#[test]
fn a_caller_who_asks_for_christmas_day_hears_the_shop_is_closed_and_the_nearest_openings() {
    let mut call = Call::new(example(), "2026-12-21T10:00", Channel::Voice);
    call.start();
    call.say("my check engine light is on");
    let reply = call.say("December 25 at 10 AM");
    assert!(reply.contains("closed on Friday, December 25"), "{reply}");
    assert!(reply.contains("The closest I have are"), "{reply}");
    assert!(
        reply.contains("Thursday") && reply.contains("Saturday"),
        "{reply}"
    );
}

#[test]
fn a_caller_who_asks_the_price_of_an_oil_change_hears_the_range_and_what_moves_it() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("how much is an oil change?");
    assert!(
        reply.contains("$49.99") && reply.contains("$89.99"),
        "{reply}"
    );
    assert!(reply.contains("the oil your car takes"), "{reply}");
    let offers = call.say("yes please");
    assert!(offers.contains("I have"), "{offers}");
    assert!(!offers.contains("$49.99"), "price said twice: {offers}");
}

#[test]
fn a_caller_who_asks_price_and_hours_together_hears_both_in_the_order_asked() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("how much is an oil change and when are you open");
    let price = reply.find("$49.99").expect(&reply);
    let hours = reply.find("Monday to Friday").expect(&reply);
    assert!(price < hours, "{reply}");
}

#[test]
fn a_caller_who_asks_the_price_of_something_not_on_the_menu_is_promised_a_quote_callback() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("how much would it cost to paint the hood of my van?");
    assert!(reply.contains("call you"), "{reply}");
    assert!(!reply.contains('$'), "{reply}");
    let ok = call.say("yes");
    assert!(ok.contains("512-555-0199"), "{ok}");
    assert!(matches!(
        call.tasks()[..],
        [Effect::CreateTask {
            task: TaskKind::Callback,
            ..
        }]
    ));
}

#[test]
fn a_caller_who_asks_if_the_shop_is_open_saturday_hears_saturday_hours() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("are you open Saturday?");
    assert!(
        reply.contains("Saturday") && reply.contains("8 AM to 1 PM"),
        "{reply}"
    );
}

#[test]
fn a_caller_who_asks_where_the_shop_is_hears_the_address_and_a_texter_also_gets_the_website() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let said = call.say("where are you located");
    assert!(said.contains("4120 Burnet Rd"), "{said}");
    assert!(!said.contains("http"), "{said}");
    let mut text = Call::new(example(), "2026-11-24T10:00", Channel::Sms);
    let texted = text.say("where are you located");
    assert!(texted.contains("4120 Burnet Rd") && texted.contains("https://joesauto.example"));
}

#[test]
fn a_caller_who_asks_about_the_warranty_hears_the_owners_answer() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("do you offer a warranty?");
    assert!(reply.contains("24 months or 24,000 miles"), "{reply}");
}

#[test]
fn a_weird_noise_gets_a_callback_promise_and_the_owner_gets_the_transcript() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.start();
    let reply = call.say("my car makes a weird noise when I turn left in the rain");
    assert!(reply.contains("call you back"), "{reply}");
    assert!(reply.contains("512-555-0199"), "{reply}");
    call.say("yes that's the best number");
    let [Effect::CreateTask { task, context, .. }] = &call.tasks()[..] else {
        panic!("{:?}", call.effects);
    };
    assert_eq!(*task, TaskKind::Callback);
    assert!(context.to_string().contains("turn left in the rain"));
    assert!(!call.notes().is_empty());
}

#[test]
fn a_smoking_engine_is_transferred_at_once_to_the_on_call_person_with_safety_advice() {
    let mut call = Call::new(example(), "2026-11-24T21:00", Channel::Voice);
    call.start();
    let reply = call.say("my engine is smoking on the highway");
    assert!(
        reply.contains("911") && reply.contains("get away from the car"),
        "{reply}"
    );
    let [Effect::Transfer { to, whisper, .. }] = &call.transfers()[..] else {
        panic!("{:?}", call.effects);
    };
    assert_eq!(to, "+15125550142");
    assert!(
        whisper.contains("smoking") && whisper.contains("512-555-0199"),
        "{whisper}"
    );
}

#[test]
fn when_nobody_takes_the_emergency_transfer_the_owner_gets_an_urgent_callback_task() {
    let mut call = Call::new(example(), "2026-11-24T21:00", Channel::Voice);
    call.say("my engine is smoking on the highway");
    let reply = call.input(Input::Outcome(Outcome::TransferFailed {
        reason: "no answer".to_string(),
    }));
    assert!(reply.contains("call you"), "{reply}");
    assert!(call.effects.iter().any(|e| matches!(
        e,
        Effect::CreateTask {
            task: TaskKind::Callback,
            urgency: Urgency::Emergency,
            ..
        }
    )));
    assert!(call.effects.iter().any(|e| matches!(
        e,
        Effect::NotifyOwner {
            urgency: Urgency::Emergency,
            ..
        }
    )));
}

#[test]
fn a_caller_who_asks_for_a_person_in_open_hours_is_transferred_to_the_shop() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("can I talk to a person");
    assert!(matches!(&call.transfers()[..], [Effect::Transfer { to, .. }] if to == "+15125550101"));
}

#[test]
fn a_caller_who_asks_for_a_person_after_hours_gets_a_callback_task_instead() {
    let mut call = Call::new(example(), "2026-11-24T21:00", Channel::Voice);
    let reply = call.say("can I talk to a person");
    assert!(call.transfers().is_empty());
    assert!(reply.contains("call you back"), "{reply}");
    call.say("yes");
    assert_eq!(call.tasks().len(), 1);
}

#[test]
fn a_caller_who_picks_the_later_one_gets_the_last_time_offered_read_back() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.caller.name = Some("Ana".to_string());
    call.caller.vehicles = vec![frontdesk_nlu::Vehicle {
        year: Some(2015),
        make: Some("Toyota".to_string()),
        model: Some("Camry".to_string()),
    }];
    call.say("I need an oil change");
    let offers = call.state.draft.as_ref().unwrap().offers.clone();
    assert!(offers.len() >= 2);
    let back = call.say("the later one");
    let last = frontdesk_engine::speak::when_full(
        offers.last().unwrap().start,
        &jiff::tz::TimeZone::get("America/Chicago").unwrap(),
    );
    assert!(back.contains(&last), "{back} / {last}");
    assert!(
        back.contains("for Ana, 2015 Toyota Camry"),
        "known details asked again: {back}"
    );
}

#[test]
fn a_caller_who_says_the_first_one_gets_the_first_time_offered() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Sms);
    call.say("I need an oil change");
    let first = call.state.draft.as_ref().unwrap().offers[0];
    call.say("the first one");
    assert_eq!(call.state.draft.as_ref().unwrap().chosen, Some(first));
}

#[test]
fn a_caller_who_asks_for_anything_friday_hears_friday_times() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change");
    let reply = call.say("anything Friday?");
    assert!(reply.contains("Friday at"), "{reply}");
    let offers = &call.state.draft.as_ref().unwrap().offers;
    let zone = jiff::tz::TimeZone::get("America/Chicago").unwrap();
    assert!(!offers.is_empty());
    assert!(
        offers
            .iter()
            .all(|s| zone.to_datetime(s.start).date() == jiff::civil::date(2026, 11, 27))
    );
}

#[test]
fn a_caller_who_says_actually_make_it_friday_at_the_read_back_hears_friday_times() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change, my name is Sam, 2012 Ford Focus");
    call.say("the first one");
    call.say("Sam, 2012 Ford Focus");
    assert_eq!(
        call.state.awaiting,
        frontdesk_engine::state::Awaiting::Confirm
    );
    let reply = call.say("actually make it Friday");
    assert!(reply.contains("Friday at"), "{reply}");
    assert!(call.booked().is_empty());
}

#[test]
fn a_caller_who_switches_to_an_oil_change_keeps_the_time_and_hears_the_new_service_read_back() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    let back = call.say("2008 Honda Civic");
    assert!(back.starts_with("Check engine light diagnostic"), "{back}");
    let back = call.say("no, an oil change instead");
    assert!(
        back.contains("Oil change, Thursday, November 26 at 2 PM"),
        "{back}"
    );
    call.say("yes");
    assert_eq!(call.booked()[0].service_id, "oil_change");
}

#[test]
fn a_time_taken_while_the_caller_decided_is_replaced_by_fresh_offers() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    call.say("2008 Honda Civic");
    call.take_next = true;
    let reply = call.say("yes");
    assert!(reply.contains("just taken"), "{reply}");
    assert!(reply.contains("How about"), "{reply}");
    assert!(call.booked().is_empty());
    let back = call.say("the first one");
    assert!(back.contains("Shall I book it?"), "{back}");
    call.say("yes");
    assert_eq!(call.booked().len(), 1);
    assert_ne!(call.booked()[0].start, local("2026-11-26T14:00"));
}

#[test]
fn when_the_calendar_cannot_be_written_the_caller_hears_a_request_was_put_in() {
    let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    call.say("2008 Honda Civic");
    call.calendar_down = true;
    let reply = call.say("yes");
    assert!(
        reply.contains("put in your request for Thursday at 2 PM"),
        "{reply}"
    );
    assert!(reply.contains("first thing"), "{reply}");
    assert!(matches!(
        call.tasks()[..],
        [Effect::CreateTask {
            task: TaskKind::ManualBooking,
            ..
        }]
    ));
    assert!(!call.notes().is_empty());
}

#[test]
fn when_the_calendar_is_unreachable_before_booking_no_booking_is_attempted() {
    let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    call.say("2008 Honda Civic");
    call.reachable = false;
    call.say("yes");
    assert!(
        !call
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Book { .. }))
    );
    assert!(matches!(
        call.tasks()[..],
        [Effect::CreateTask {
            task: TaskKind::ManualBooking,
            ..
        }]
    ));
}

#[test]
fn a_caller_can_move_their_oil_change_to_friday() {
    let mut call = Call::new(example(), "2026-11-23T10:00", Channel::Voice).with_appointment(
        "apt-1",
        "oil_change",
        "2026-11-25T08:00",
        30,
    );
    let ask = call.say("I need to reschedule my appointment");
    assert!(
        ask.contains("oil change") && ask.contains("Wednesday"),
        "{ask}"
    );
    let offers = call.say("Friday at 9");
    assert!(offers.contains("Move your oil change"), "{offers}");
    let done = call.say("yes");
    assert!(done.contains("now Friday at 9 AM"), "{done}");
    assert_eq!(call.appointments[0].start, local("2026-11-27T09:00"));
}

#[test]
fn a_caller_can_cancel_their_appointment_after_confirming_which_one() {
    let mut call = Call::new(example(), "2026-11-23T10:00", Channel::Voice).with_appointment(
        "apt-1",
        "oil_change",
        "2026-11-25T08:00",
        30,
    );
    let ask = call.say("cancel my appointment");
    assert!(
        ask.contains("cancel your oil change on Wednesday, November 25 at 8 AM"),
        "{ask}"
    );
    assert_eq!(call.appointments.len(), 1, "cancelled before the yes");
    let done = call.say("yes");
    assert!(done.contains("cancelled"), "{done}");
    assert!(call.appointments.is_empty());
}

#[test]
fn a_caller_who_says_say_that_again_hears_the_last_reply_again() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let offers = call.say("I need an oil change");
    assert_eq!(call.say("say that again"), offers);
    // The offer is still open after the repeat.
    let back = call.say("the first one");
    assert!(back.contains("name"), "{back}");
}

#[test]
fn a_silent_caller_is_prompted_once_then_promised_a_callback_and_the_call_ends() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change");
    let prompt = call.input(Input::Silence);
    assert!(prompt.contains("still there"), "{prompt}");
    assert!(!call.done);
    let bye = call.input(Input::Silence);
    assert!(bye.contains("call you back"), "{bye}");
    assert!(call.done);
    assert!(call.effects.contains(&Effect::EndCall));
    assert_eq!(call.tasks().len(), 1);
}

#[test]
fn a_caller_not_understood_twice_is_offered_a_person_not_a_loop() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let first = call.say("blorp");
    assert!(first.contains("didn't catch"), "{first}");
    let second = call.say("zzzt");
    assert!(second.contains("call you back"), "{second}");
    assert!(!second.contains("didn't catch"), "{second}");
    let third = call.say("grmbl");
    let fourth = call.say("hnnn");
    assert!(call.done, "{third} / {fourth}");
    assert_eq!(call.tasks().len(), 1);
}

#[test]
fn a_caller_who_says_thanks_bye_hears_goodbye_and_the_call_ends() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("thanks, bye");
    assert!(reply.contains("Have a great day"), "{reply}");
    assert!(call.done && call.effects.contains(&Effect::EndCall));
}

#[test]
fn a_returning_caller_is_greeted_by_name_and_reminded_of_their_appointment() {
    let mut call = Call::new(example(), "2026-11-23T10:00", Channel::Voice).with_appointment(
        "apt-1",
        "oil_change",
        "2026-11-25T08:00",
        30,
    );
    call.caller.name = Some("Sam".to_string());
    call.caller.returning = true;
    let hello = call.start();
    assert!(
        hello.contains("Sam") && hello.contains("oil change Wednesday at 8 AM"),
        "{hello}"
    );
    assert!(hello.ends_with('?'), "{hello}");
    assert!(!hello.contains("closed"), "{hello}");
}

#[test]
fn a_service_that_needs_a_look_first_is_booked_as_an_inspection_and_the_caller_is_told() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("my car is clunking over bumps, can I bring it in?");
    assert!(reply.contains("technician to look first"), "{reply}");
    assert!(reply.contains("I have"), "{reply}");
    assert!(!reply.contains('$'), "{reply}");
}

#[test]
fn a_booking_retried_after_a_crash_carries_the_same_idempotency_key() {
    let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    call.say("2008 Honda Civic");
    let before = call.state.clone();
    let cal = frontdesk_engine::CalendarView {
        busy: vec![],
        reachable: true,
    };
    let ctx = frontdesk_engine::TurnContext {
        now: call.now,
        channel: Channel::Voice,
        caller: &call.caller,
        calendar: &cal,
    };
    let a = call.engine.turn(&before, Input::Said("yes".into()), &ctx);
    let b = call.engine.turn(&before, Input::Said("yes".into()), &ctx);
    let key = |s: &frontdesk_engine::Step| {
        s.effects.iter().find_map(|e| match e {
            Effect::Book { key, .. } => Some(key.clone()),
            _ => None,
        })
    };
    assert!(key(&a).is_some());
    assert_eq!(key(&a), key(&b));
    assert_eq!(a, b);
}

#[test]
fn the_conversation_state_survives_a_json_round_trip_mid_booking() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change");
    let json = serde_json::to_string(&call.state).unwrap();
    let back: frontdesk_engine::State = serde_json::from_str(&json).unwrap();
    assert_eq!(back, call.state);
    let old: frontdesk_engine::State = serde_json::from_str(r#"{"data": null}"#).unwrap();
    assert_eq!(old, frontdesk_engine::State::default());
}

#[test]
fn a_voice_reply_never_carries_a_link_even_when_the_answer_has_one() {
    let mut p = example();
    p.faqs[0].answer = "See https://joesauto.example/warranty & ask us #1".to_string();
    let mut call = Call::new(p, "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("do you offer a warranty?");
    assert!(
        !reply.contains("http") && !reply.contains('&') && !reply.contains('#'),
        "{reply}"
    );
}

#[test]
fn the_engine_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<frontdesk_engine::Engine>();
}

#[test]
fn a_caller_who_asks_the_price_and_to_book_hears_the_price_once_then_the_openings() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("how much is an oil change, and can I book one for Friday?");
    assert_eq!(reply.matches("$49.99").count(), 1, "{reply}");
    assert!(reply.contains("Friday at"), "{reply}");
}

#[test]
fn an_offer_to_book_after_a_price_comes_after_every_answer() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("how much is an oil change and when are you open");
    assert!(reply.ends_with("Want me to find you a time?"), "{reply}");
}

#[test]
fn after_hours_a_shop_that_takes_no_bookings_promises_a_callback_instead_of_offering_times() {
    let mut p = example();
    p.after_hours.behaviour = frontdesk_profile::AfterHoursBehaviour::CallbackOnly;
    let mut call = Call::new(p, "2026-11-24T21:00", Channel::Voice);
    let hello = call.start();
    assert!(hello.contains("take a message"), "{hello}");
    let reply = call.say("I need an oil change");
    assert!(
        reply.contains("call you back") && !reply.contains("I have"),
        "{reply}"
    );
    call.say("yes");
    assert!(matches!(
        call.tasks()[..],
        [Effect::CreateTask {
            task: TaskKind::Callback,
            ..
        }]
    ));
}

#[test]
fn an_emergency_by_text_alerts_the_on_call_person_at_once() {
    let mut call = Call::new(example(), "2026-11-24T21:00", Channel::Sms);
    let reply = call.say("my car is on fire in the parking lot");
    assert!(reply.contains("911") && reply.contains("Joe"), "{reply}");
    assert!(call.transfers().is_empty());
    assert!(call.effects.iter().any(|e| matches!(
        e,
        Effect::CreateTask {
            task: TaskKind::Callback,
            urgency: Urgency::Emergency,
            ..
        }
    )));
    assert!(call.effects.iter().any(|e| matches!(
        e,
        Effect::NotifyOwner {
            urgency: Urgency::Emergency,
            ..
        }
    )));
}

#[test]
fn a_caller_can_press_zero_for_a_person_and_one_to_confirm() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.input(Input::Dtmf("0".to_string()));
    assert_eq!(call.transfers().len(), 1);

    let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    call.say("2008 Honda Civic");
    let done = call.input(Input::Dtmf("1".to_string()));
    assert!(done.contains("all set"), "{done}");
    assert_eq!(call.booked().len(), 1);
}

#[test]
fn a_caller_with_two_appointments_is_asked_which_one_to_cancel() {
    let mut call = Call::new(example(), "2026-11-23T10:00", Channel::Voice)
        .with_appointment("apt-1", "oil_change", "2026-11-25T08:00", 30)
        .with_appointment("apt-2", "tire_rotation", "2026-11-27T09:00", 30);
    let ask = call.say("I want to cancel my appointment");
    assert!(
        ask.contains("oil change") && ask.contains("tire rotation") && ask.contains("Which one"),
        "{ask}"
    );
    let confirm = call.say("the tire rotation");
    assert!(
        confirm.contains("cancel your tire rotation on Friday"),
        "{confirm}"
    );
    call.say("yes");
    assert_eq!(call.appointments.len(), 1);
    assert_eq!(call.appointments[0].id, "apt-1");
}

#[test]
fn an_understanding_from_a_language_model_is_checked_against_the_menu_before_use() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let u = frontdesk_nlu::Understanding {
        intents: vec![frontdesk_nlu::Intent::Price],
        services: vec!["oil_change".to_string(), "flux_capacitor".to_string()],
        ..Default::default()
    };
    let reply = call.input(Input::Understood {
        text: "price of oil and a flux capacitor".into(),
        understanding: u,
        hints: Default::default(),
    });
    assert!(reply.contains("$49.99"), "{reply}");
    assert!(!reply.to_lowercase().contains("flux"), "{reply}");
}

#[test]
fn a_caller_asking_for_a_time_the_shop_is_closed_hears_why_and_the_nearest_times() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change");
    let reply = call.say("Sunday at 10 AM");
    assert!(reply.contains("closed on Sunday, November 29"), "{reply}");
    assert!(reply.contains("closest I have"), "{reply}");
}

#[test]
fn a_caller_who_says_no_to_anything_else_hears_goodbye() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let answer = call.say("do you offer a warranty?");
    assert!(
        answer.ends_with("Anything else I can help with?"),
        "{answer}"
    );
    let bye = call.say("no");
    assert!(bye.contains("Have a great day"), "{bye}");
    assert!(call.done);
}

#[test]
fn a_bare_hour_at_the_offers_means_the_morning_when_the_shop_is_closed_in_the_evening() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change");
    let reply = call.say("8");
    assert!(reply.contains("Tomorrow at 8 AM"), "{reply}");
}

#[test]
fn a_caller_who_keeps_saying_yes_to_the_offers_gets_the_first_one_read_back_not_a_loop() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.caller.name = Some("Ana".to_string());
    call.caller.vehicles = vec![frontdesk_nlu::Vehicle {
        year: Some(2015),
        make: Some("Toyota".to_string()),
        model: Some("Camry".to_string()),
    }];
    call.say("I need an oil change");
    let first = call.say("yes");
    assert!(first.contains("Which of those"), "{first}");
    let second = call.say("yes");
    assert!(second.contains("Shall I book it?"), "{second}");
}

#[test]
fn a_wish_nothing_fits_is_answered_with_the_soonest_openings() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need a timing belt");
    let reply = call.say("after 5");
    assert!(reply.contains("soonest I have are"), "{reply}");
    assert!(!call.state.draft.as_ref().unwrap().offers.is_empty());
}

#[test]
fn a_bare_time_after_thursday_afternoon_offers_means_that_afternoon() {
    let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Sms);
    call.say("how much for a brake job?");
    call.say("yes");
    call.say("Thursday afternoon");
    let reply = call.say("2:30");
    assert!(reply.contains("Thursday at 2:30 PM is open"), "{reply}");
    let back = call.say("Chris 2016 F150");
    assert!(back.contains("for Chris, 2016 Ford F-150"), "{back}");
}

#[test]
fn a_time_said_before_the_service_is_kept_once_the_service_is_known() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let ask = call.say("book me for Friday at 3");
    assert!(ask.contains("What does the car need"), "{ask}");
    let reply = call.say("oil change");
    assert!(reply.contains("Friday at 3 PM is open"), "{reply}");
}

#[test]
fn an_upset_caller_is_apologised_to_and_put_through_to_a_person() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("I'm so frustrated, you guys messed up my car");
    assert!(reply.contains("sorry"), "{reply}");
    assert_eq!(call.transfers().len(), 1);
}

#[test]
fn an_answer_not_understood_at_the_read_back_hears_the_read_back_again() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    call.say("my check engine light is on");
    call.say("Thursday at 2 PM");
    let back = call.say("2008 Honda Civic");
    let again = call.say("wait, what time was that?");
    assert!(again.ends_with(&back), "{again}");
    assert!(call.booked().is_empty());
}

#[test]
fn a_move_asked_while_the_calendar_is_unreachable_becomes_a_task_for_the_shop() {
    let mut call = Call::new(example(), "2026-11-23T10:00", Channel::Voice).with_appointment(
        "apt-1",
        "oil_change",
        "2026-11-25T08:00",
        30,
    );
    call.say("I need to reschedule my appointment");
    call.say("Friday at 9");
    call.reachable = false;
    let reply = call.say("yes");
    assert!(
        reply.contains("put in your request for Friday at 9 AM"),
        "{reply}"
    );
    assert!(
        !call
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Reschedule { .. }))
    );
    assert!(matches!(
        call.tasks()[..],
        [Effect::CreateTask {
            task: TaskKind::ManualBooking,
            ..
        }]
    ));
    assert_eq!(call.appointments[0].start, local("2026-11-25T08:00"));
}

#[test]
fn a_texter_who_books_gets_the_confirmation_text_without_being_told_they_were_texted() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Sms);
    call.caller.name = Some("Ana".to_string());
    call.say("I need a tire rotation");
    call.say("the first one");
    call.say("2015 Toyota Camry");
    let done = call.say("yes");
    assert!(
        done.contains("all set") && !done.contains("texted"),
        "{done}"
    );
    assert_eq!(call.sms().len(), 1);
}

#[test]
fn a_caller_who_asks_when_the_shop_closes_today_hears_todays_hours() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("What time do you close today?");
    assert!(
        reply.starts_with("Today we're open 7:30 AM to 12 PM and 1 PM to 6 PM"),
        "{reply}"
    );
}

#[test]
fn a_caller_who_does_not_mind_when_gets_the_first_time_offered() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need new tires");
    let first = call.state.draft.as_ref().unwrap().offers[0];
    call.say("I don't know, whenever");
    assert_eq!(call.state.draft.as_ref().unwrap().chosen, Some(first));
}

#[test]
fn a_caller_who_asks_for_the_shops_number_hears_the_front_desk_line() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let reply = call.say("what's your phone number?");
    assert!(reply.contains("512-555-0101"), "{reply}");
}

#[test]
fn a_caller_with_a_hidden_number_is_asked_for_one_and_the_callback_goes_to_it() {
    let mut call = Call::new(example(), "2026-11-24T21:00", Channel::Voice);
    call.caller.phone = None;
    let ask = call.say("can I talk to a person");
    assert!(ask.contains("best number"), "{ask}");
    let ok = call.say("it's 512 555 0123");
    assert!(ok.contains("512-555-0123"), "{ok}");
    let [Effect::CreateTask { context, .. }] = &call.tasks()[..] else {
        panic!("{:?}", call.effects);
    };
    assert_eq!(context["phone"], "+15125550123");
}

#[test]
fn a_caller_who_gives_another_number_for_the_callback_is_called_there() {
    let mut call = Call::new(example(), "2026-11-24T21:00", Channel::Voice);
    call.say("can I talk to a person");
    let no = call.say("no");
    assert!(no.contains("best number"), "{no}");
    call.say("call me at 512-555-0188");
    let [Effect::CreateTask { context, .. }] = &call.tasks()[..] else {
        panic!("{:?}", call.effects);
    };
    assert_eq!(context["phone"], "+15125550188");
}

#[test]
fn a_caller_who_asks_for_anything_later_hears_times_after_the_ones_offered() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    call.say("I need an oil change");
    let before = call.state.draft.as_ref().unwrap().offers.clone();
    let reply = call.say("do you have anything later?");
    let after = &call.state.draft.as_ref().unwrap().offers;
    assert!(reply.contains("I have"), "{reply}");
    assert!(
        after.iter().all(|s| s.start > before.last().unwrap().start),
        "{reply}"
    );
    call.say("anything earlier?");
    assert_eq!(call.state.draft.as_ref().unwrap().offers, before);
    let earliest = call.say("anything earlier?");
    assert!(earliest.contains("earliest I have"), "{earliest}");
}

#[test]
fn two_engines_built_from_the_same_profile_hold_the_same_conversation_word_for_word() {
    let script = [
        "Hi, my check engine light is on",
        "anything Friday?",
        "the later one",
        "Sam, 2008 Civic",
        "how much is it and are you open Saturday?",
        "yes",
    ];
    let run = || {
        let mut call = Call::new(example(), "2026-11-24T19:30", Channel::Voice);
        call.start();
        for line in script {
            call.say(line);
        }
        (
            call.replies.clone(),
            call.effects.clone(),
            call.state.clone(),
        )
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    // The questions at the read-back are answered and the read-back is asked again.
    assert!(
        a.0[5].contains("$129") && a.0[5].contains("Saturday"),
        "{}",
        a.0[5]
    );
    assert!(a.0[5].ends_with("Shall I book it?"), "{}", a.0[5]);
    assert!(
        a.1.iter().any(|e| matches!(e, Effect::Book { .. })),
        "{:?}",
        a.0
    );
}

#[test]
fn the_owners_own_greeting_and_confirmation_wording_is_used() {
    let mut p = example();
    p.templates.greeting = Some("Joe's garage, how can we help?".to_string());
    p.templates.confirmation = Some("See you {when}, {name}! {business}".to_string());
    let mut call = Call::new(p, "2026-11-24T10:00", Channel::Voice);
    call.caller.name = Some("Sam".to_string());
    assert!(call.start().starts_with("Joe's garage"));
    call.say("I need a tire rotation");
    call.say("the first one");
    call.say("2015 Toyota Camry");
    call.say("yes");
    assert!(call.sms()[0].starts_with("See you on "), "{:?}", call.sms());
    assert!(
        call.sms()[0].ends_with("Sam! Joe's Auto Repair"),
        "{:?}",
        call.sms()
    );
}

#[test]
fn a_caller_who_asks_the_price_of_two_services_hears_both_prices() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Voice);
    let u = frontdesk_nlu::Understanding {
        intents: vec![frontdesk_nlu::Intent::Price],
        services: vec!["brake_pads".to_string(), "tire_rotation".to_string()],
        ..Default::default()
    };
    let reply = call.input(Input::Understood {
        text: "how much for brakes and a tire rotation".into(),
        understanding: u,
        hints: Default::default(),
    });
    assert!(
        reply.contains("$189") && reply.contains("$29.99"),
        "{reply}"
    );
    assert!(reply.find("$189") < reply.find("$29.99"), "{reply}");
}

#[test]
fn a_texter_who_answers_yesterdays_offer_today_is_offered_fresh_times_not_past_ones() {
    let mut call = Call::new(example(), "2026-11-24T10:00", Channel::Sms);
    call.caller.name = Some("Ana".to_string());
    call.say("I need a tire rotation");
    call.now = local("2026-11-27T10:00");
    let reply = call.say("the first one");
    assert!(reply.contains("I have"), "{reply}");
    let offers = &call.state.draft.as_ref().unwrap().offers;
    assert!(!offers.is_empty() && offers.iter().all(|s| s.start > call.now));
}
