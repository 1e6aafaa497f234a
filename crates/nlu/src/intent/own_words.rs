//! Requests in the caller's own words, applied after the phrase lists: each rule is one small
//! function that adds or removes an intent at a position. Indirect reschedules and
//! cancellations ("can't make it tomorrow, could we do Friday", "sold the car"), hours asked
//! with a verb ("what time you close Saturday"), and yes in another language ("sí").
//!
//! These rules read everyday words ("move", "instead", "something came up", "wrong number"),
//! so each one also asks what the words are about: the caller's booking or visit, not money,
//! a document or a form ("move my savings to Friday", "something came up on my statement").

use super::Said;
use crate::Intent;
use crate::normalize::Normalized;

/// The intents found so far, with the byte position each was found at.
pub(super) type Found = Vec<(usize, Intent)>;

/// Applies every rule in order.
pub(super) fn apply(s: &Said, found: &mut Found) {
    let (n, words) = (s.n, &s.words[..]);
    yes_in_spanish(words, found);
    hours_by_verb(n, words, found);
    // "something came up, I'll transfer the money tomorrow", "push it back into my savings":
    // in a sentence about money these words do not give up or move a visit.
    if !super::frames::money_talk(s) {
        gave_up_the_slot(n, words, found);
        no_longer_needed(n, words, found);
        push_or_move_it(s, found);
    }
    instead_of_the_booking(s, found);
    wrong_number(n, words, found);
}

/// "to my savings", "to another account", "to a different card": the words after a verb of
/// moving take it to a place, not to a time ("to a different day", "to another time").
pub(super) fn moved_to_a_place(tail: &[&str]) -> bool {
    let Some(t) = tail
        .iter()
        .position(|w| matches!(*w, "to" | "into" | "onto"))
    else {
        return false;
    };
    if tail[t] != "to" {
        return true;
    }
    let (det, then) = (tail.get(t + 1).copied(), tail.get(t + 2).copied());
    let a_time = |w: Option<&str>| {
        matches!(
            w,
            Some("different" | "later" | "earlier" | "new" | "day" | "time" | "date" | "week")
        )
    };
    // "to the top of the list", "to the fraud team"; not "to the 15th", "to the afternoon".
    let the_place = |w: Option<&str>| {
        w.is_some_and(|w| {
            !super::frames::is_when_word(w)
                && !a_time(Some(w))
                && !matches!(w, "following" | "same" | "first" | "last" | "end")
        })
    };
    match det {
        Some("my" | "your" | "his" | "her" | "our" | "their") => true,
        Some("a" | "an" | "another") => !a_time(then),
        Some("the") => the_place(then),
        _ => false,
    }
}

/// Nouns for a visit the caller has booked.
pub(super) fn is_booking_word(w: &str) -> bool {
    matches!(
        w,
        "appointment" | "appt" | "booking" | "reservation" | "visit" | "slot"
    )
}

/// Verbs of coming in or of changing the visit ("come in earlier", "do it later").
pub(super) fn is_visit_verb(w: &str) -> bool {
    matches!(
        w,
        "come" | "bring" | "drop" | "do" | "make" | "get" | "move" | "push" | "switch" | "go"
    )
}

/// Words that may come before "wrong number" when it is said of this call: apologies and
/// "I (must) have / dialed / called the", not "I typed / entered / sent to the".
fn is_wrong_number_lead(w: &str) -> bool {
    matches!(
        w,
        "oh" | "sorry"
            | "oops"
            | "um"
            | "uh"
            | "my"
            | "bad"
            | "i"
            | "think"
            | "guess"
            | "must"
            | "have"
            | "ive"
            | "got"
            | "dialed"
            | "dialled"
            | "called"
            | "the"
            | "a"
            | "you"
            | "this"
            | "is"
            | "its"
            | "thats"
            | "probably"
            | "just"
    )
}

/// "oh sorry, wrong number", "I must have dialed the wrong number": the call was not for us.
/// Only when nothing but apologies and dialing come around it ("I entered the wrong number
/// on the form", "I have the wrong number for the account" are about a number, not this call).
fn wrong_number(n: &Normalized, words: &[&str], found: &mut Found) {
    if words.len() > 10 {
        return;
    }
    let misdialed = n.first_of(&["misdialed", "misdialled", "dialed wrong"]);
    let wrong = words
        .windows(2)
        .position(|w| w[0] == "wrong" && matches!(w[1], "number" | "shop"))
        .filter(|k| words[..*k].iter().all(|w| is_wrong_number_lead(w)))
        // "... the wrong number for the account" is about a number.
        .filter(|k| {
            words[k + 2..].iter().all(|w| {
                matches!(
                    *w,
                    "sorry" | "bye" | "my" | "bad" | "oops" | "then" | "thanks"
                )
            })
        })
        .and_then(|_| n.first_of(&["wrong number", "wrong shop"]));
    if let Some(at) = misdialed.or(wrong) {
        add(found, at, Intent::Goodbye);
    }
}

/// Where the caller asks for another time for the visit: "instead" with a time or a verb of
/// coming, or "earlier" / "later" / "sooner" right after one ("come in earlier", "do it
/// later", "anything sooner"); not "my appointment is later today" or "check in earlier".
fn another_time_for_the_visit(s: &Said) -> Option<usize> {
    use super::frames::{clause_of, in_question, is_money_word};
    let words = &s.words[..];
    if let Some(k) = words.iter().position(|w| *w == "instead") {
        // The clause of "instead" says the new time: "can I come in Wednesday instead", "can
        // we come at 8 instead"; not "can I pay by card instead of cash", "can my wife come
        // instead" (someone else) or "can we make it four people instead" (a count).
        let range = clause_of(s.n, k);
        let clause = &words[range];
        let when = (0..clause.len()).any(|i| says_a_time(clause, i));
        if !clause.iter().any(|w| is_money_word(w)) && when {
            return s.n.first_of(&["instead"]);
        }
    }
    let k = words
        .iter()
        .position(|w| matches!(*w, "earlier" | "later" | "sooner"))?;
    let lead = &words[k.saturating_sub(4)..k];
    let before = k.checked_sub(1).and_then(|j| words.get(j)).copied();
    let asked =
        lead.iter().any(|w| is_visit_verb(w)) || matches!(before, Some("something" | "anything"));
    // Asked for, not told: "could I come earlier", "I'd like to do it later"; not "I'll get
    // there earlier to fill in the forms".
    let clause = clause_of(s.n, k);
    let request = in_question(s.n, k)
        || words[clause].iter().any(|w| {
            matches!(
                *w,
                "can"
                    | "could"
                    | "want"
                    | "like"
                    | "need"
                    | "possible"
                    | "please"
                    | "prefer"
                    | "rather"
                    | "would"
                    | "any"
                    | "anything"
                    | "something"
            )
        });
    if !asked || !request {
        return None;
    }
    s.n.first_of(&["earlier", "later", "sooner"])
}

/// The caller says they have a booking: "my appointment", "our reservation", "I have a
/// booking", "we've got an appointment".
fn has_a_booking(words: &[&str]) -> bool {
    words
        .windows(2)
        .any(|w| matches!(w[0], "my" | "our") && is_booking_word(w[1]))
        || words.windows(3).any(|w| {
            matches!(w[0], "have" | "got") && matches!(w[1], "a" | "an") && is_booking_word(w[2])
        })
}

/// The `i`-th word says when: a day or part of day, or a number said as a clock ("at 8", "3
/// pm"), not a count ("four people", "bring 2").
fn says_a_time(words: &[&str], i: usize) -> bool {
    let w = words[i];
    let number =
        w.starts_with(|c: char| c.is_ascii_digit()) || crate::normalize::unit_word(w).is_some();
    if !number {
        return super::frames::is_when_word(w);
    }
    let before = i.checked_sub(1).map(|j| words[j]);
    let after = words.get(i + 1).copied();
    matches!(
        before,
        Some("at" | "around" | "by" | "after" | "before" | "until" | "til" | "till")
    ) || matches!(
        after,
        Some("am" | "pm" | "oclock" | "thirty" | "fifteen" | "forty")
    ) || w.ends_with("th")
        || w.ends_with("st")
        || w.ends_with("nd")
        || w.ends_with("rd")
}

/// "I have the brake job on Friday, can I come in Wednesday instead": another time for a
/// booking the caller has, said as a booking ("my appointment") or as the job on the menu
/// they have ("I have the brake job"), not "I have my card, I'll pay cash instead".
fn instead_of_the_booking(s: &Said, found: &mut Found) {
    let n = s.n;
    let Some(at) = another_time_for_the_visit(s) else {
        return;
    };
    let booked = has_a_booking(&s.words)
        || n.has_any(&["im booked", "i am booked", "im scheduled", "i am scheduled"])
        || (s.service_said && n.has_any(&["i have my", "i have the", "i have a"]));
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
    // "Dale" is also a name: as a yes only alone or with "si" ("dale, si").
    let dale = first == "dale" && words.iter().all(|w| matches!(*w, "dale" | "si"));
    if short && (matches!(first, "si" | "claro" | "correcto" | "exacto") || dale) {
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
    // "when can I open an account", "when do you close accounts": a thing being opened or
    // closed. The shop's hours end the question or go on with when ("close sat", "open until 6").
    let object = !super::asks::says_when_after(n, k);
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
fn gave_up_the_slot(n: &Normalized, words: &[&str], found: &mut Found) {
    let Some(at) = n.first_of(&[
        "cant make it",
        "cannot make it",
        "wont make it",
        "wont be able to make",
        "not going to make it",
        "not gonna make it",
        "not going to be able to make it",
        "gonna have to miss",
        "something came up",
        "something has come up",
        "somethings come up",
        "something just came up",
    ]) else {
        return;
    };
    if running_late(n)
        || make_it_in_another_sense(words)
        || came_up_on_a_document(words)
        || missed_somewhere_else(words)
        || a_reason_alone(n, words)
    {
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

/// "I can't make it on time", "can't make it before 5": running late, not calling it off.
fn running_late(n: &Normalized) -> bool {
    n.has_any(&[
        "make it on time",
        "make it in time",
        "make it before",
        "make it by",
        "make it until",
        "make it till",
        "make it there before",
        "make it there by",
    ])
}

/// "something came up and I have to leave early": a reason, not yet a request; it gives up the
/// slot with a time, another time, a word that gives up, or as the whole short message.
fn a_reason_alone(n: &Normalized, words: &[&str]) -> bool {
    let reason_only = n.has_any(&[
        "something came up",
        "something has come up",
        "somethings come up",
        "something just came up",
    ]) && !n.has_any(&[
        "cant make it",
        "cannot make it",
        "wont make it",
        "wont be able",
        "not going to make it",
        "not gonna make it",
        "cant come",
        "cannot come",
        "wont be coming",
        "need to cancel",
        "have to cancel",
        "miss",
    ]);
    let with_a_time = n.has_any(&[
        "today",
        "tonight",
        "tomorrow",
        "morning",
        "afternoon",
        "this week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]);
    reason_only && !with_a_time && !n.has_any(ANOTHER_TIME) && words.len() > 6
}

/// "I won't make it to the branch before it closes", "won't be able to make the payment",
/// "gonna have to miss this month's payment", "we won't make it for check in": the caller
/// misses something other than the visit. A time ("make it on Friday", "for my 9 am") or the
/// visit itself ("my appointment", "to the shop", "it") is ours.
fn missed_somewhere_else(words: &[&str]) -> bool {
    let gives_up = |k: usize| {
        words[k.saturating_sub(5)..k]
            .iter()
            .any(|w| matches!(*w, "cant" | "cannot" | "wont" | "not" | "to"))
    };
    let Some(k) = (0..words.len()).find(|&k| matches!(words[k], "make" | "miss") && gives_up(k))
    else {
        return false;
    };
    let mut rest = words[k + 1..].iter().copied().peekable();
    // "make it to the branch", "make it for check in": where "it" is to be made
    if rest.peek() == Some(&"it") {
        rest.next();
        if !matches!(rest.peek(), Some(&("to" | "for"))) {
            return false;
        }
        rest.next();
    }
    let what = rest.find(|w| {
        !matches!(
            *w,
            "the" | "my" | "our" | "this" | "that" | "your" | "months" | "month" | "weeks" | "s"
        )
    });
    let Some(what) = what else { return false };
    let ours = matches!(
        what,
        "appointment" | "appt" | "booking" | "visit" | "shop" | "garage" | "it" | "one"
    ) || crate::is_time_word(what)
        || what.chars().next().is_some_and(|c| c.is_ascii_digit())
        || matches!(
            what,
            "today" | "tonight" | "tomorrow" | "morning" | "afternoon"
        );
    !ours
}

/// "I can't make it work", "I can't make it out": "make it" with a particle is another verb.
fn make_it_in_another_sense(words: &[&str]) -> bool {
    words.windows(3).any(|w| {
        w[0] == "make"
            && w[1] == "it"
            && matches!(
                w[2],
                "work" | "out" | "happen" | "through" | "right" | "up" | "stop" | "better"
            )
    })
}

/// "something came up on my statement", "came up twice": something showed up on a page or a
/// screen, not an event in the caller's day.
fn came_up_on_a_document(words: &[&str]) -> bool {
    let Some(k) = words
        .windows(2)
        .position(|w| matches!(w[0], "came" | "come") && w[1] == "up")
    else {
        return false;
    };
    let after = &words[k + 2..words.len().min(k + 6)];
    match after.first().copied() {
        Some("twice" | "as" | "with") => true,
        Some("on" | "in") => after.iter().any(|w| {
            matches!(
                *w,
                "statement"
                    | "account"
                    | "card"
                    | "bill"
                    | "screen"
                    | "report"
                    | "app"
                    | "search"
                    | "list"
                    | "history"
                    | "record"
                    | "records"
                    | "transactions"
            )
        }),
        _ => false,
    }
}

/// "won't need it after all, I sold the car", "got it fixed somewhere else": the car no
/// longer needs the booking. Fixed elsewhere says so by itself; a car sold or totaled only
/// when the caller says it is not needed or says nothing else ("sold my car, want to pay off
/// the loan" asks for something else); "totaled" only of the car ("my purchases totaled $250"
/// is a sum).
fn no_longer_needed(n: &Normalized, words: &[&str], found: &mut Found) {
    let elsewhere = n.first_of(&[
        "got it fixed somewhere else",
        "got it done somewhere else",
        "got it fixed elsewhere",
        "fixed it myself",
    ]);
    let gone = n.first_of(&[
        "sold the car",
        "sold my car",
        "sold the truck",
        "sold my truck",
        "car got totaled",
        "car was totaled",
        "truck got totaled",
        "truck was totaled",
        "got totaled",
        "its totaled",
        "totaled it",
        "totaled my car",
        "totaled the car",
    ]);
    let says_so = n.has_any(&[
        "wont need",
        "dont need",
        "do not need",
        "no longer",
        "anymore",
        "after all",
        "never mind",
        "nevermind",
        "nvm",
    ]);
    // "sold my car, need to close the loan": the sale is the reason for a money request.
    let money = words.iter().any(|w| super::frames::is_money_word(w));
    let gone = gone.filter(|_| says_so || (words.len() <= 8 && !money));
    let Some(at) = elsewhere.or(gone) else {
        return;
    };
    if !has(found, Intent::Reschedule) {
        add(found, at, Intent::Cancel);
    }
}

/// "push my oil change back a couple days", "move it up", "bump it to Friday": a reschedule
/// when what is moved is "it", the caller's booking, or a job on the menu they name ("move my
/// oil change to Thursday"); not "move my savings to Friday" or "move it to my savings".
fn push_or_move_it(s: &Said, found: &mut Found) {
    let words = &s.words[..];
    let verb = words
        .iter()
        .position(|w| matches!(*w, "push" | "move" | "bump" | "shift" | "slide"));
    let Some(k) = verb else { return };
    let tail = &words[k + 1..words.len().min(k + 7)];
    let it = tail.first().is_some_and(|w| *w == "it");
    let booking = tail.iter().any(|w| is_booking_word(w));
    let mine = tail.first() == Some(&"my") && (booking || s.service_said);
    // "move it up" is earlier; "bump it up to 5000" is more.
    let up = tail.contains(&"up") && (words[k] == "move" || s.time.is_some());
    let back = up
        || tail
            .iter()
            .any(|w| matches!(*w, "back" | "forward" | "later" | "earlier"));
    // "to" a time ("move it to next week"), not to a place or an account ("to my savings").
    // "move it up to the top of the list", "forward to the fraud team": to a place.
    if moved_to_a_place(tail) {
        return;
    }
    let to = tail.contains(&"to") && (s.time.is_some() || booking);
    if (it || mine) && (back || to) && !has(found, Intent::Cancel) {
        add(
            found,
            s.n.first_of(&["push", "move", "bump", "shift", "slide"])
                .unwrap_or(0),
            Intent::Reschedule,
        );
    }
}
