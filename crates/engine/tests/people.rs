//! Someone of the shop asked for by name: the caller is put through, or a person calls back,
//! and the shop hears whom the caller asked for.

mod common;

use common::Call;
use frontdesk_engine::{Channel, Effect};

#[test]
fn a_text_asking_for_maria_makes_a_callback_that_names_her() {
    let mut call = Call::new(
        frontdesk_profile::example(),
        "2026-12-01T10:00",
        Channel::Sms,
    );
    call.start();
    call.say("can I talk to maria");
    let titles: Vec<&str> = call
        .tasks()
        .iter()
        .filter_map(|e| match e {
            Effect::CreateTask { title, .. } => Some(title.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("Maria Lopez")),
        "{titles:?}"
    );
}

#[test]
fn a_call_asking_whether_joe_is_in_is_put_through_saying_whom_they_asked_for() {
    let mut call = Call::new(
        frontdesk_profile::example(),
        "2026-12-01T10:00",
        Channel::Voice,
    );
    call.start();
    call.say("is joe in today?");
    assert!(
        call.transfers().iter().any(|e| matches!(e,
            Effect::Transfer { whisper, .. } if whisper.contains("Joe Martinez"))),
        "{:?}",
        call.replies
    );
    // A name in another sense is no request for a person.
    let mut call = Call::new(
        frontdesk_profile::example(),
        "2026-12-01T10:00",
        Channel::Voice,
    );
    call.start();
    call.say("I need an oil change for my wife maria's car");
    assert!(call.transfers().is_empty());
}
