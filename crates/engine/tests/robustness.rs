//! Property tests: no utterance (empty, 10 kB, binary junk, other languages, random unicode), no
//! key presses and no outcome arriving at an unexpected moment makes the engine panic, hang or go
//! quiet. Every reply is non-empty unless a Book, Reschedule or Cancel is waiting for its outcome,
//! voice replies never carry a link, every booking it asks for is a slot the scheduler allows, and
//! the state always survives the JSON round trip the runtime puts it through.

use frontdesk_engine::{
    AppointmentView, CalendarView, Caller, Channel, Effect, Engine, Input, Outcome, State,
    TurnContext,
};
use frontdesk_schedule::{Busy, check_slot};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

const PHRASES: &[&str] = &[
    "my check engine light is on",
    "Thursday at 2 PM",
    "anything Friday?",
    "the first one",
    "the later one",
    "2 works",
    "Sam, 2008 Civic",
    "yes",
    "no",
    "actually make it Friday",
    "no, an oil change instead",
    "how much is an oil change and when are you open",
    "are you open Saturday?",
    "where are you",
    "I need to reschedule",
    "cancel my appointment",
    "can I talk to a person",
    "my engine is on fire",
    "say that again",
    "thanks bye",
    "¿Cuánto cuesta un cambio de aceite?",
    "Wie viel kostet ein Ölwechsel?",
    "オイル交換はいくらですか",
    "after 5",
    "ASAP",
    "next week",
    "5125550123",
];

fn utterance() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(PHRASES).prop_map(str::to_string),
        1 => Just(String::new()),
        1 => Just("oil change Thursday 2pm yes ".repeat(400)),
        1 => proptest::collection::vec(any::<u8>(), 0..300)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        2 => "\\PC{0,80}",
        1 => "[0-9#* ]{0,30}",
    ]
}

fn outcome(start: Timestamp) -> impl Strategy<Value = Outcome> {
    let appt = AppointmentView {
        id: "apt-1".to_string(),
        service_id: "oil_change".to_string(),
        start,
        end: start + SignedDuration::from_mins(30),
    };
    prop_oneof![
        Just(Outcome::Booked {
            appointment: appt.clone()
        }),
        Just(Outcome::SlotTaken),
        Just(Outcome::CalendarDown),
        Just(Outcome::Rescheduled { appointment: appt }),
        Just(Outcome::Cancelled {
            appointment_id: "apt-1".to_string()
        }),
        Just(Outcome::TransferFailed {
            reason: "no answer".to_string()
        }),
    ]
}

/// What a language model might hand over: any intents, real and made-up service and FAQ ids.
fn understood() -> impl Strategy<Value = Input> {
    use frontdesk_nlu::{Intent, Understanding};
    const INTENTS: [Intent; 14] = [
        Intent::Book,
        Intent::Reschedule,
        Intent::Cancel,
        Intent::Price,
        Intent::Hours,
        Intent::Location,
        Intent::Human,
        Intent::Emergency,
        Intent::Affirm,
        Intent::Deny,
        Intent::Greet,
        Intent::Goodbye,
        Intent::Thanks,
        Intent::Repeat,
    ];
    const IDS: [&str; 5] = ["oil_change", "suspension", "warranty", "made_up", ""];
    (
        proptest::collection::vec(proptest::sample::select(&INTENTS[..]), 0..4),
        proptest::collection::vec(proptest::sample::select(&IDS[..]), 0..3),
        proptest::collection::vec(proptest::sample::select(&IDS[..]), 0..2),
        utterance(),
        hints(),
    )
        .prop_map(|(intents, services, faqs, text, hints)| Input::Understood {
            text,
            understanding: Understanding {
                intents,
                services: services.into_iter().map(str::to_string).collect(),
                faqs: faqs.into_iter().map(str::to_string).collect(),
                ..Understanding::default()
            },
            hints,
        })
}

/// Whatever a model might report beside its reading: a pick past the offers, every flag.
fn hints() -> impl Strategy<Value = frontdesk_engine::Hints> {
    (
        proptest::option::of(0usize..6),
        proptest::array::uniform4(proptest::bool::ANY),
    )
        .prop_map(|(pick, [status, complaint, spanish, day_unclear])| {
            frontdesk_engine::Hints {
                pick,
                status,
                complaint,
                spanish,
                day_unclear,
            }
        })
}

fn input(start: Timestamp) -> impl Strategy<Value = Input> {
    prop_oneof![
        8 => utterance().prop_map(Input::Said),
        2 => understood(),
        1 => Just(Input::Silence),
        1 => "[0-9#*]{0,12}".prop_map(Input::Dtmf),
        2 => outcome(start).prop_map(Input::Outcome),
    ]
}

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(frontdesk_profile::example()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_sequence_of_inputs_panics_hangs_or_leaves_the_caller_in_silence(
        inputs in proptest::collection::vec(input("2026-11-26T20:00:00Z".parse().unwrap()), 1..10),
        sms in any::<bool>(),
        reachable in any::<bool>(),
        returning in any::<bool>(),
        hour in 0i64..24,
    ) {
        let e = engine();
        let now: Timestamp = "2026-11-24T06:00:00Z".parse::<Timestamp>().unwrap()
            + SignedDuration::from_hours(hour);
        let start: Timestamp = "2026-11-26T20:00:00Z".parse().unwrap();
        let caller = Caller {
            phone: (!sms || returning).then(|| "+15125550199".to_string()),
            name: returning.then(|| "Sam".to_string()),
            upcoming: if returning {
                vec![AppointmentView {
                    id: "apt-1".to_string(),
                    service_id: "oil_change".to_string(),
                    start,
                    end: start + SignedDuration::from_mins(30),
                }]
            } else {
                vec![]
            },
            returning,
            ..Caller::default()
        };
        let calendar = CalendarView {
            busy: vec![Busy::appointment(start, start + SignedDuration::from_mins(30))],
            reachable,
        };
        let channel = if sms { Channel::Sms } else { Channel::Voice };
        let ctx = TurnContext { now, channel, caller: &caller, calendar: &calendar };
        let rules = frontdesk_engine::rules(e.profile());
        let mut state = e.start(&ctx).state;
        for input in inputs {
            let step = e.turn(&state, input, &ctx);
            let waiting = step.effects.iter().any(|x| matches!(x,
                Effect::Book { .. } | Effect::Reschedule { .. } | Effect::Cancel { .. }));
            prop_assert!(waiting || !step.reply.trim().is_empty(), "silent step {step:?}");
            if waiting {
                prop_assert!(step.reply.is_empty(), "spoke while waiting: {}", step.reply);
            }
            if channel == Channel::Voice {
                prop_assert!(!step.reply.contains("http"), "{}", step.reply);
            }
            for effect in &step.effects {
                if let Effect::Book { service_id, start, .. } = effect {
                    let svc = e.profile().service(service_id).expect("a real service");
                    prop_assert!(
                        check_slot(&rules, svc.duration_minutes, &calendar.busy, now, *start).is_ok(),
                        "booked a slot the scheduler refuses: {start}"
                    );
                }
            }
            let json = serde_json::to_string(&step.state).unwrap();
            let back: State = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &step.state);
            prop_assert!(json.len() < 64 * 1024, "state grew to {} bytes", json.len());
            state = step.state;
        }
    }
}
