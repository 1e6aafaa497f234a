//! What a language model heard beyond the understanding, handed to the engine as `Hints`: each
//! is used only where it cannot move a booking, and the caller's own words come first.

mod common;

use common::Call;
use frontdesk_engine::{Channel, Hints, Input};

/// The caller's words with the built-in reading (as the runtime hands a model's merged reading
/// over) and the model's hints beside it.
fn with_hints(call: &mut Call, text: &str, hints: Hints) -> String {
    let understanding = call
        .engine
        .understand_in(text, &call.state.clone(), call.now);
    call.input(Input::Understood {
        text: text.to_string(),
        understanding,
        hints,
    })
}

/// A conversation on the example shop, greeted.
fn greeted(now: &str, channel: Channel) -> Call {
    let mut call = Call::new(frontdesk_profile::example(), now, channel);
    call.start();
    call
}

fn offered_tomorrow_afternoon() -> Call {
    let mut call = greeted("2026-11-30T10:00", Channel::Voice);
    call.say("I need a brake check, they grind when I stop");
    let offers = call.say("tomorrow afternoon");
    assert!(offers.contains("tomorrow at 1 PM"), "{offers}");
    assert!(offers.contains("3 PM"), "{offers}");
    call
}

#[test]
fn a_models_pick_chooses_among_the_offers_and_the_read_back_still_needs_the_callers_yes() {
    let mut call = offered_tomorrow_afternoon();
    let pick = Hints {
        pick: Some(1),
        ..Hints::default()
    };
    let reply = with_hints(&mut call, "whichever one is after I get off work", pick);
    assert!(reply.contains("name"), "{reply}");
    let back = call.say("Ana Ruiz, 2016 Honda Fit");
    assert!(back.contains("3 PM"), "{back}");
    assert!(call.booked().is_empty(), "booked before the yes");
}

#[test]
fn the_callers_own_pick_wins_over_the_models_and_a_pick_past_the_offers_is_ignored() {
    let mut call = offered_tomorrow_afternoon();
    let second = Hints {
        pick: Some(1),
        ..Hints::default()
    };
    with_hints(&mut call, "the first one please", second);
    let back = call.say("Ana Ruiz, 2016 Honda Fit");
    assert!(back.contains("1 PM"), "{back}");

    let mut call = offered_tomorrow_afternoon();
    let past = Hints {
        pick: Some(3),
        ..Hints::default()
    };
    let reply = with_hints(&mut call, "hmm whichever one works for the mechanic", past);
    assert!(
        !reply.contains("name"),
        "a pick past the offers chose one: {reply}"
    );
}

#[test]
fn a_model_hearing_spanish_in_an_english_request_does_not_end_the_conversation() {
    let mut call = greeted("2026-11-30T10:00", Channel::Sms);
    let spanish = Hints {
        spanish: true,
        ..Hints::default()
    };
    let reply = with_hints(
        &mut call,
        "can I get an oil change tomorrow morning",
        spanish.clone(),
    );
    assert!(!reply.contains("Gracias"), "{reply}");
    assert!(reply.contains("oil change"), "{reply}");
    assert!(call.tasks().is_empty());

    let mut call = greeted("2026-11-30T10:00", Channel::Sms);
    let reply = with_hints(
        &mut call,
        "buenas, mi troca hace un ruido raro cuando freno",
        spanish,
    );
    assert!(reply.contains("Gracias"), "{reply}");
    assert_eq!(call.tasks().len(), 1);
}

#[test]
fn a_status_question_or_a_complaint_the_model_heard_goes_to_a_person() {
    for hints in [
        Hints {
            status: true,
            ..Hints::default()
        },
        Hints {
            complaint: true,
            ..Hints::default()
        },
    ] {
        let mut call = greeted("2026-12-02T19:30", Channel::Sms);
        let reply = with_hints(
            &mut call,
            "you guys have had my camry since monday and nobody has told me a thing",
            hints.clone(),
        );
        assert!(!reply.contains("What does the car need"), "{reply}");
        assert_eq!(call.tasks().len(), 1, "{hints:?}: {reply}");
        assert!(call.booked().is_empty());
    }
}

#[test]
fn when_the_day_was_unclear_the_offer_says_so_first() {
    let mut call = greeted("2026-11-30T10:00", Channel::Voice);
    let unclear = Hints {
        day_unclear: true,
        ..Hints::default()
    };
    let reply = with_hints(&mut call, "I need an oil change", unclear.clone());
    assert!(
        reply.starts_with("I didn't catch which day you meant."),
        "{reply}"
    );
    // Not before an answer that offers no time.
    let reply = with_hints(&mut call, "what are your hours", unclear);
    assert!(!reply.contains("which day"), "{reply}");
}
