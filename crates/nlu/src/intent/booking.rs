//! Booking, cancelling and moving a visit: the phrase lists of `requests` read with the
//! frames that keep them to the visit ("cancel my appointment", not "cancel my card"; "come
//! in", not "did my salary come in"; "another day" for a visit, not for a payment).

use super::booking_senses::*;
use super::*;

/// Cancel, reschedule and book, with booking's precision guards; returns where cancel and
/// reschedule were found.
pub(super) fn change_and_book(s: &Said, found: &mut Found) -> (Option<usize>, Option<usize>) {
    let n = s.n;
    let time = s.time;
    let service_said = s.service_said;
    let words = &s.words[..];
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    // cancel / reschedule / book
    let cancel = frames::first_where(n, CANCEL, |a, b| !cancels_money(words, a, b));
    add(cancel, Intent::Cancel);
    // "move it to my savings": a verb of moving that takes it to a place.
    let to_a_place = words
        .iter()
        .position(|w| matches!(*w, "move" | "push"))
        .is_some_and(|k| super::own_words::moved_to_a_place(&words[k + 1..words.len().min(k + 5)]));
    let resched =
        frames::first_where(n, RESCHEDULE, |a, b| another_time_ok(s, a, b)).filter(|_| !to_a_place);
    add(resched, Intent::Reschedule);
    let book_ok = cancel.is_none() && resched.is_none();
    let money = frames::money_talk(s);
    if book_ok {
        // "bring my 08 Civic in", "drop the truck off"
        let words_pos: Vec<&str> = n.words().collect();
        let carry_in = words_pos.iter().enumerate().find_map(|(k, w)| {
            matches!(*w, "bring" | "drop")
                .then(|| {
                    words_pos[k + 1..words_pos.len().min(k + 7)]
                        .iter()
                        .any(|x| matches!(*x, "in" | "off" | "by"))
                })
                .filter(|b| *b)
        });
        if carry_in.is_some()
            && !money
            && !n.has_any(&["drop me off", "in cash", "drop off the key", "in case"])
        {
            add(first(n, &["bring", "drop"]), Intent::Book);
        }
        // "I need a salon appointment", "make me a doctor's appointment"
        if let Some(k) = words
            .iter()
            .position(|w| matches!(*w, "appointment" | "appt"))
        {
            let lead = &words[k.saturating_sub(6)..k];
            if lead.iter().any(|w| {
                matches!(
                    *w,
                    "make"
                        | "need"
                        | "set"
                        | "want"
                        | "book"
                        | "schedule"
                        | "like"
                        | "get"
                        | "fix"
                        | "wish"
                        | "new"
                )
            }) && !lead.contains(&"my")
            {
                add(first(n, &["appointment", "appt"]), Intent::Book);
            }
        }
        // "let's try 12:45", "try again for the 9th", "I'd like to go in at 3"
        if time.is_some()
            && !money
            && !retries_alone(words)
            && frames::first_where(
                n,
                &[
                    "try",
                    "lets try",
                    "try again",
                    "like to go",
                    "want to go",
                    "go in at",
                    "come in at",
                ],
                |_, b| goes_at_a_time(words, b),
            )
            .is_some()
        {
            add(
                first(n, &["try", "like", "want", "go", "come"]),
                Intent::Book,
            );
        }
        let p = frames::first_where(n, BOOK, |a, b| book_phrase_ok(s, money, a, b)).filter(|_| {
            !n.has_any(&[
                "schedule transferring",
                "schedule the payment",
                "schedule a payment",
                "schedule a transfer",
                "schedule the transfer",
            ])
        });
        let guard = n.has_any(&[
            "booked",
            "booking under",
            "the booking",
            "my booking",
            "my reservation",
            "the reservation",
            "existing booking",
            "current booking",
            "my appointment",
            "i have a booking",
            "i have a reservation",
            "i have an appointment",
            "we have a booking",
            "we have a reservation",
            "we have an appointment",
        ]) && !n.has_any(&[
            "make an appointment",
            "book a",
            "book an",
            "to book",
            "like to book",
            "want to book",
            "book my",
            "book the",
            "make my appointment",
            "schedule my appointment",
            "set my appointment",
        ]);
        let weak = n.has_any(&["available", "availability", "get a"])
            && !n.has_any(&[
                "book",
                "booking",
                "reserve",
                "reservation",
                "appointment",
                "schedule",
            ]);
        let weak_ok = !weak
            || service_said
            || n.has_any(&[
                "any availability",
                "have availability",
                "anything available",
                "is available",
                "availability for",
                "availability between",
                "you available",
                "have any availability",
                "available at",
                "available on",
                "available for",
            ]);
        if p.is_some() && !guard && weak_ok {
            let getting = !n.has("get a")
                || n.has_any(&[
                    "get a room",
                    "get a table",
                    "get an appointment",
                    "get a honeymoon",
                    "get a suite",
                    "get a slot",
                    "get a time",
                ]);
            // "can I get a price on ..." asks for a price, not a slot
            let asks_price_only =
                n.has_any(&[
                    "get a price",
                    "get a quote",
                    "get an estimate",
                    "get a ballpark",
                    "get pricing",
                ]) && !n.has_any(&["book", "schedule", "appointment", "come in", "bring"]);
            let booking = getting
                || service_said
                || n.has_any(&["book", "reserve", "appointment", "schedule"]);
            if booking && !asks_price_only {
                add(p, Intent::Book);
            }
        }
    }

    (cancel, resched)
}

/// "cancel my credit card", "cancel the direct debit", "call off the transfer", "I no longer
/// need my credit card": what is cancelled is money or a document, not the visit.
fn cancels_money(words: &[&str], a: usize, b: usize) -> bool {
    match words[a] {
        "cancel" => frames::object_is_money(words, a),
        "call" => frames::object_is_money(words, a + 1),
        // "cancellation" asks about cancelling ("the cancellation fee").
        "cancellation" => false,
        _ => frames::object_is_money(words, b - 1),
    }
}

/// A reschedule phrase said of the visit: what is moved is no payment ("postpone my loan
/// payment"); "push back" is no "push back on this fee"; "another
/// day" / "a different time" needs a visit in the sentence ("can I come another day", "is
/// there another time available") or the short answer alone, not "I'll pay the rest another
/// time" or "the receipt shows a different time".
fn another_time_ok(s: &Said, a: usize, b: usize) -> bool {
    let words = &s.words[..];
    // "postpone my loan payment", "reschedule the transfer": money is moved, not the visit.
    if frames::object_is_money(words, b - 1) {
        return false;
    }
    match words[a] {
        "push" => !matches!(words.get(b), Some(&("on" | "against"))),
        "another" | "different" => {
            let visit = s.service_said
                || words.iter().any(|w| {
                    own_words::is_visit_verb(w)
                        || own_words::is_booking_word(w)
                        || matches!(
                            *w,
                            "available"
                                | "have"
                                | "works"
                                | "work"
                                | "change"
                                | "book"
                                | "schedule"
                                | "reschedule"
                                | "rebook"
                                | "try"
                        )
                });
            !frames::money_talk(s) && (visit || s.nwords <= 5)
        }
        _ => true,
    }
}

/// Words of a booking itself, which stand even in a sentence about money ("book a meeting
/// about my mortgage").
fn is_booking_phrase_word(w: &str) -> bool {
    matches!(
        w,
        "book" | "booking" | "reserve" | "reservation" | "appointment" | "appt" | "meeting"
    )
}

/// A booking phrase said as a request for a visit:
/// - in a sentence about money only the booking words themselves count ("did my salary come
///   in", "the earliest I can withdraw", "schedule a direct debit" are no visits);
/// - "looked at", "checked out" are a request when wanted ("I need it looked at"), not when
///   told ("the guy who looked at my car said", "I checked out yesterday");
/// - "have a look", "take a look at" ask the shop to look, not "I'll have a look at the
///   invoice";
/// - "get in" is to come in, not "get in the building" or "get in touch".
fn book_phrase_ok(s: &Said, money: bool, a: usize, b: usize) -> bool {
    let words = &s.words[..];
    // "I have the money ready, can I come in Friday": the caller still comes in.
    let caller_comes = matches!(words[a], "come" | "stop" | "swing" | "drop" | "bring")
        && frames::caller_subject(words, a);
    if money && !caller_comes && !words[a..b].iter().any(|w| is_booking_phrase_word(w)) {
        return false;
    }
    let before = |m: usize| &words[a.saturating_sub(m)..a];
    match &words[a..b] {
        ["have" | "got", "time"] | ["have", "any", "time"] => !frames::caller_subject(words, a),
        ["earliest" | "soonest" | "opening" | "openings"] | ["first", "available"] => {
            of_a_visit(words.get(b).copied())
        }
        ["a", "table" | "session"] => {
            s.time.is_some()
                || words.get(b) == Some(&"for")
                || before(4).iter().any(|w| {
                    matches!(
                        *w,
                        "want" | "need" | "like" | "get" | "have" | "book" | "reserve" | "wanna"
                    )
                })
        }
        ["available"] => available_for_a_visit(s, a),
        ["book" | "reserve" | "schedule"] => {
            frames::opens_clause(s.n, a) || said_as_a_verb(words, a)
        }
        // "come in for", "bring it in for", not "check in for my friend"
        ["in", "for"] => before(3).iter().any(|w| {
            own_words::is_visit_verb(w)
                || matches!(
                    *w,
                    "squeeze" | "fit" | "pencil" | "put" | "book" | "schedule" | "take" | "have"
                )
        }),
        [.., "see" | "visit", "a" | "the" | "an" | "this" | "that"]
        | [.., "see" | "visit"]
        | ["visit" | "see", ..] => sees_someone_who_serves(s, b),
        [w, ..] if matches!(*w, "looked" | "checked") => before(5).iter().any(|w| {
            matches!(
                *w,
                "get"
                    | "got"
                    | "have"
                    | "has"
                    | "had"
                    | "need"
                    | "needs"
                    | "want"
                    | "wants"
                    | "like"
                    | "be"
            )
        }),
        ["have" | "take", "a", "look", ..] | ["look", "at", ..] => !before(2).iter().any(|w| {
            matches!(
                *w,
                "i" | "ill" | "id" | "im" | "we" | "well" | "me" | "lets"
            )
        }),
        ["get", "in"] => !matches!(
            words.get(b),
            Some(&("the" | "a" | "my" | "your" | "touch" | "to" | "line" | "trouble" | "there"))
        ),
        _ => true,
    }
}
