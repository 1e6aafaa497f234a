//! Requests in the caller's own words, applied after the phrase lists: each rule is one small
//! function that adds or removes an intent at a position. Indirect reschedules and
//! cancellations ("can't make it tomorrow, could we do Friday", "sold the car"), hours asked
//! with a verb ("what time you close Saturday"), and yes in another language ("sí").

use crate::normalize::Normalized;
use crate::{Intent, TimeExpr};

/// The intents found so far, with the byte position each was found at.
pub(super) type Found = Vec<(usize, Intent)>;

/// Applies every rule in order.
pub(super) fn apply(n: &Normalized, words: &[&str], time: Option<&TimeExpr>, found: &mut Found) {
    yes_in_spanish(words, found);
    hours_by_verb(n, words, found);
    gave_up_the_slot(n, found);
    no_longer_needed(n, found);
    push_or_move_it(n, words, time, found);
    instead_of_the_booking(n, found);
    wrong_number(n, words, found);
}

/// "oh sorry, wrong number": the call was not for us; a short utterance only ("I entered the
/// wrong number on the form" is something else).
fn wrong_number(n: &Normalized, words: &[&str], found: &mut Found) {
    if words.len() <= 6
        && let Some(at) = n.first_of(&["wrong number", "misdialed", "dialed wrong", "wrong shop"])
    {
        add(found, at, Intent::Goodbye);
    }
}

/// "I have the brake job on Friday, can I come in Wednesday instead": another time for a
/// booking the caller has.
fn instead_of_the_booking(n: &Normalized, found: &mut Found) {
    let Some(at) = n.first_of(&["instead", "earlier", "later"]) else {
        return;
    };
    let booked = n.has_any(&[
        "i have an appointment",
        "i have my",
        "i have the",
        "i have a booking",
        "my appointment",
        "my appt",
        "im booked",
        "i am booked",
        "im scheduled",
        "i am scheduled",
    ]);
    if booked && !has(found, Intent::Cancel) {
        add(found, at, Intent::Reschedule);
    }
}

fn has(found: &Found, i: Intent) -> bool {
    found.iter().any(|(_, x)| *x == i)
}

fn remove(found: &mut Found, i: Intent) {
    found.retain(|(_, x)| *x != i);
}

fn add(found: &mut Found, at: usize, i: Intent) {
    if !has(found, i) {
        found.push((at, i));
    }
}

/// "sí", "si claro", "claro que sí", "dale": a yes.
fn yes_in_spanish(words: &[&str], found: &mut Found) {
    let first = words.first().copied().unwrap_or("");
    let short = words.len() <= 4;
    if short && matches!(first, "si" | "claro" | "dale" | "correcto" | "exacto") {
        add(found, 0, Intent::Affirm);
    }
    if short && matches!(first, "no") && words.get(1) == Some(&"gracias") {
        add(found, 0, Intent::Deny);
    }
}

/// "what time you close sat", "when do you guys open tomorrow", "how late are you open":
/// a question word with opening or closing.
fn hours_by_verb(n: &Normalized, words: &[&str], found: &mut Found) {
    let asks = n.has_any(&[
        "what time",
        "when",
        "how late",
        "how early",
        "until when",
        "til when",
    ]);
    let verb = words.iter().position(|w| {
        matches!(
            *w,
            "close" | "closes" | "closing" | "open" | "opens" | "opening"
        )
    });
    let Some(k) = verb else { return };
    // "when can I open an account", "what time do the doors open for the event": an object
    // after the verb is something else opening.
    let object = matches!(
        words.get(k + 1).copied(),
        Some("a" | "an" | "my" | "the" | "account" | "up")
    );
    let who = words[..k]
        .iter()
        .any(|w| matches!(*w, "you" | "yall" | "shop" | "guys" | "store" | "place"));
    if asks && who && !object {
        add(
            found,
            n.first_of(&["what", "when", "how", "until", "til"])
                .unwrap_or(0),
            Intent::Hours,
        );
    }
}

/// Words that ask for another time in the same breath.
const ANOTHER_TIME: &[&str] = &[
    "instead",
    "another",
    "different",
    "could we do",
    "can we do",
    "could you do",
    "can you do",
    "how about",
    "what about",
    "move",
    "push",
    "switch",
    "same time",
    "later",
    "reschedule",
    "rebook",
];

/// "can't make it tomorrow, could we do Friday instead": a reschedule; "something came up,
/// I can't make it": a cancellation (the engine asks for a new time when one is wanted).
fn gave_up_the_slot(n: &Normalized, found: &mut Found) {
    let Some(at) = n.first_of(&[
        "cant make it",
        "cannot make it",
        "wont make it",
        "wont be able to make",
        "not going to make it",
        "not gonna make it",
        "not going to be able to make it",
        "gonna have to miss",
        "gonna have to miss",
        "something came up",
        "something has come up",
        "somethings come up",
        "something just came up",
    ]) else {
        return;
    };
    // "I can't make it on time", "can't make it before 5": running late, not calling it off.
    if n.has_any(&[
        "make it on time",
        "make it in time",
        "make it before",
        "make it by",
        "make it until",
        "make it till",
        "make it there before",
        "make it there by",
    ]) {
        return;
    }
    let another = n.has_any(ANOTHER_TIME);
    if another {
        remove(found, Intent::Cancel);
        add(found, at, Intent::Reschedule);
    } else if !has(found, Intent::Reschedule) {
        add(found, at, Intent::Cancel);
    }
}

/// "won't need it after all, I sold the car", "got it fixed somewhere else": the car no
/// longer needs the booking. ("I won't need it anymore" alone may be a card or a room.)
fn no_longer_needed(n: &Normalized, found: &mut Found) {
    let Some(at) = n.first_of(&[
        "sold the car",
        "sold my car",
        "sold the truck",
        "sold my truck",
        "got it fixed somewhere else",
        "got it done somewhere else",
        "got it fixed elsewhere",
        "totaled",
    ]) else {
        return;
    };
    if has(found, Intent::Reschedule) {
        return;
    }
    add(found, at, Intent::Cancel);
}

/// "push my oil change back a couple days", "move it up", "bump it to Friday": a reschedule
/// when the caller names their booking or it.
fn push_or_move_it(n: &Normalized, words: &[&str], time: Option<&TimeExpr>, found: &mut Found) {
    let verb = words
        .iter()
        .position(|w| matches!(*w, "push" | "move" | "bump" | "shift" | "slide"));
    let Some(k) = verb else { return };
    let tail = &words[k + 1..words.len().min(k + 7)];
    // "move it to Friday", "push my appointment back", "push my oil change back a day"; not
    // "move my savings to another account".
    let it = tail.first().is_some_and(|w| *w == "it")
        || tail.iter().any(|w| {
            matches!(
                *w,
                "appointment" | "appt" | "booking" | "reservation" | "visit" | "slot"
            )
        });
    let back = tail
        .iter()
        .any(|w| matches!(*w, "back" | "up" | "forward" | "later" | "earlier"));
    // "move it to next week", not "move it to my savings".
    let booked = tail
        .iter()
        .any(|w| matches!(*w, "appointment" | "appt" | "booking" | "reservation"));
    let to = tail.contains(&"to") && (time.is_some() || booked);
    // "move my oil change to Thursday at 9": my + what + to + a time.
    let mine = tail.first() == Some(&"my");
    if (it || mine) && (back || to) && !has(found, Intent::Cancel) {
        add(
            found,
            n.first_of(&["push", "move", "bump", "shift", "slide"])
                .unwrap_or(0),
            Intent::Reschedule,
        );
    }
}
