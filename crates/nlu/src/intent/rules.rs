//! The intent rules, one function per intent family, in the order `detect` runs them. Each
//! reads the utterance through [`Said`] and records where in the text it matched.

use super::*;

/// "hi", "hello", "good morning": at the start only, and not a bare time answer.
pub(super) fn greet(s: &Said, found: &mut Found) {
    let n = s.n;
    let ctx = s.ctx;
    let words = &s.words[..];
    let nwords = s.nwords;
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    // greet: at the start only
    let mut lead = 0;
    while lead < nwords.min(3)
        && matches!(
            words[lead],
            "um" | "uh" | "umm" | "uhh" | "yeah" | "so" | "oh" | "ok" | "okay" | "well" | "er"
        )
    {
        lead += 1;
    }
    let greet_word = matches!(
        words.get(lead),
        Some(
            &"hi"
                | &"hello"
                | &"hey"
                | &"hiya"
                | &"howdy"
                | &"greetings"
                | &"heya"
                | &"hallo"
                | &"yo"
        )
    ) || (lead < nwords
        && words[lead] == "good"
        && matches!(
            words.get(lead + 1),
            Some(&"morning" | &"afternoon" | &"evening" | &"day")
        ));
    let time_answer = matches!(ctx.asked, Some(Asked::Time | Asked::Date)) && nwords <= 2;
    if ((starts(n, GREET) && !(words[0] == "morning" && nwords > 2)) || greet_word) && !time_answer
    {
        add(Some(0), Intent::Greet);
    }
}

/// "bye", "that's all", "nothing else"; "thanks", "no thanks".
pub(super) fn goodbye_and_thanks(s: &Said, found: &mut Found) {
    let n = s.n;
    let words = &s.words[..];
    let nwords = s.nwords;
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    add(first(n, GOODBYE), Intent::Goodbye);
    add(
        frames::first_where(n, GOODBYE_CLOSING, |a, b| {
            frames::closes_clause(n, b) && !frames::in_question(n, a)
        }),
        Intent::Goodbye,
    );
    // "so long!" opens and closes its clause; "why does it take so long" is no goodbye.
    add(
        frames::first_where(n, &["so long"], |a, b| {
            frames::opens_clause(n, a) && frames::closes_clause(n, b)
        }),
        Intent::Goodbye,
    );
    if words[0] == "nothing"
        && (nwords == 1
            || n.tokens
                .get(1)
                .is_some_and(|t| t.kind == crate::normalize::Kind::Punct)
            || matches!(words.get(1), Some(&"else" | &"more" | &"for")))
    {
        add(Some(0), Intent::Goodbye);
    }
    if let Some(p) = frames::first_where(n, THANKS, |a, _| thanked(words, a)) {
        add(Some(p), Intent::Thanks);
    }
    if n.has_any(&["no thanks", "no thank you", "nope thanks"]) {
        add(first(n, &["thanks", "thank"]), Intent::Thanks);
    }
}

/// The thanks word at `k` thanks someone: not "thanks to the delay" (a cause) nor "I'd
/// appreciate a late checkout" (a polite request).
fn thanked(words: &[&str], k: usize) -> bool {
    let cause = words[k] == "thanks"
        && words.get(k + 1) == Some(&"to")
        && !matches!(
            words.get(k + 2),
            Some(&("you" | "yall" | "everyone" | "everybody" | "all" | "both" | "your"))
        );
    let would = words[k] == "appreciate"
        && words[k.saturating_sub(2)..k]
            .iter()
            .any(|w| matches!(*w, "would" | "id" | "wed" | "will" | "ill"));
    !cause && !would
}

/// "sorry?", "what was that?", "say that again".
pub(super) fn repeat(s: &Said, found: &mut Found) {
    let n = s.n;
    let words = &s.words[..];
    let nwords = s.nwords;
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    // repeat
    let short_sorry = nwords <= 2 && matches!(words[0], "sorry" | "what" | "huh" | "eh");
    if short_sorry {
        add(Some(0), Intent::Repeat);
    }
    add(first(n, REPEAT), Intent::Repeat);
    add(asked_again(n, words), Intent::Repeat);
    if what_were_they(words) {
        add(first(n, &["what were"]), Intent::Repeat);
    }
}

/// "repeat that", "one more time please", "pardon?", "I didn't catch what you said": the
/// words asked as a request to say it again, not "a repeat payment", "let me try one more
/// time", "pardon me for asking, ..." or "I did what you said".
fn asked_again(n: &Normalized, words: &[&str]) -> Option<usize> {
    let det = |k: usize| {
        k > 0
            && matches!(
                words[k - 1],
                "a" | "an" | "the" | "my" | "your" | "our" | "this" | "that"
            )
    };
    let saying = |k: usize| {
        words[k.saturating_sub(4)..k].iter().any(|w| {
            matches!(
                *w,
                "say" | "said" | "repeat" | "tell" | "read" | "explain" | "go" | "give"
            )
        })
    };
    let hearing = |k: usize| {
        words[k.saturating_sub(4)..k].iter().any(|w| {
            matches!(
                *w,
                "hear" | "catch" | "get" | "understand" | "follow" | "missed" | "repeat"
            )
        })
    };
    let alone = |b: usize| words[b..].iter().all(|w| matches!(*w, "me" | "please"));
    frames::first_where(
        n,
        &["repeat", "one more time", "pardon", "what you said"],
        |a, b| match words[a] {
            "repeat" => !det(a),
            "one" => a == 0 || saying(a),
            "pardon" => alone(b) || (a > 0 && words[a - 1] == "your"),
            _ => hearing(a),
        },
    )
}

/// "what were those times?", "what were my options again": asking for what was just said,
/// only as the whole question ("what were the times of the transfers" asks something new).
fn what_were_they(words: &[&str]) -> bool {
    let Some(k) = words.windows(2).position(|w| w == ["what", "were"]) else {
        return false;
    };
    let mut rest = &words[k + 2..];
    if let Some((&"again", head)) = rest.split_last() {
        rest = head;
    }
    match rest {
        [w] => matches!(*w, "those" | "they" | "them"),
        [d, noun] => {
            matches!(*d, "my" | "the" | "those" | "your")
                && matches!(*noun, "options" | "choices" | "times" | "slots" | "dates")
        }
        _ => false,
    }
}

/// "a real person", "can I speak to the manager", "is Joe there?".
pub(super) fn human(s: &Said, found: &mut Found) {
    let n = s.n;
    let words = &s.words[..];
    let nwords = s.nwords;
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    // human
    add(first(n, HUMAN), Intent::Human);
    add(
        frames::first_where(n, PERSON, |k, _| frames::reached(s, k)),
        Intent::Human,
    );
    add(connect_me(s), Intent::Human);
    if n.has_any(&["human", "humans"]) && !n.has_any(&["little humans", "two humans"]) {
        add(first(n, &["human", "humans"]), Intent::Human);
    }

    // "is Joe there?", "is Maria in?": someone by name ("is breakfast available", "is Friday
    // open" ask about something else).
    let lead = words
        .iter()
        .take(3)
        .take_while(|w| matches!(**w, "hi" | "hello" | "hey" | "yeah" | "um" | "uh" | "oh"))
        .count();
    // Not "is anyone there?", a check that the line is live.
    if nwords >= lead + 3
        && words[lead] == "is"
        && matches!(words[lead + 2], "there" | "in" | "around" | "available")
        && !matches!(
            words[lead + 1],
            "anyone"
                | "anybody"
                | "somebody"
                | "someone"
                | "everyone"
                | "everybody"
                | "this"
                | "that"
                | "it"
                | "everything"
                | "anything"
                | "something"
        )
        && (words[lead + 2] == "there" || said_as_a_name(n, lead + 1))
        && present_now(words.get(lead + 3..).unwrap_or(&[]))
    {
        add(Some(0), Intent::Human);
    }
}

/// What follows "is Joe there / in / available" asks whether the person is here now: nothing,
/// a time ("today", "right now", "this afternoon") or a purpose ("to talk"); not "is Amex
/// available as a payment option" or "is Netflix available in the rooms".
fn present_now(rest: &[&str]) -> bool {
    match rest.first() {
        None => true,
        Some(w) => {
            crate::is_time_word(w)
                || matches!(
                    *w,
                    "today"
                        | "tonight"
                        | "now"
                        | "right"
                        | "this"
                        | "at"
                        | "to"
                        | "please"
                        | "yet"
                        | "by"
                        | "or"
                )
        }
    }
}

/// "connect me", "connect me with someone", "connect me to the front desk": put through to a
/// person, not "connect me to the hotel wifi".
fn connect_me(s: &Said) -> Option<usize> {
    let k = s.words.windows(2).position(|w| w == ["connect", "me"])?;
    let rest = &s.words[k + 2..];
    let to_a_person = match rest.first() {
        None => true,
        Some(&("to" | "with" | "through")) => rest[1..]
            .iter()
            .take(3)
            .any(|w| is_person_role(w) || *w == "someone"),
        Some(&"please") => true,
        _ => false,
    };
    to_a_person.then(|| s.n.first_of(&["connect me"])).flatten()
}

/// The `k`-th word was written with a capital and is no weekday or month: a name.
fn said_as_a_name(n: &Normalized, k: usize) -> bool {
    n.tokens
        .iter()
        .filter(|t| t.kind != crate::normalize::Kind::Punct)
        .nth(k)
        .is_some_and(|t| t.capital && !crate::is_time_word(&t.text))
}

/// "what are your Saturday hours", "are you open weekends".
pub(super) fn hours_by_day(s: &Said, found: &mut Found) {
    let n = s.n;
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    // "what are your saturday hours", "holiday hours"; not "two hours today"
    let hours_word = s.words.iter().position(|w| *w == "hours");
    if hours_word.is_some_and(|k| !counted(&s.words, k))
        && n.has_any(&[
            "saturday",
            "sunday",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "weekend",
            "holiday",
            "today",
            "tomorrow",
        ])
    {
        add(first(n, &["hours"]), Intent::Hours);
    }
    // "do you do oil changes on Saturdays?", "are you guys open weekends"
    if starts(
        n,
        &[
            "do you",
            "do yall",
            "do you guys",
            "are you",
            "are yall",
            "are you guys",
        ],
    ) && n.has_any(&[
        "saturdays",
        "sundays",
        "weekends",
        "on the weekend",
        "on weekends",
        "evenings",
        "nights",
        "on saturday",
        "on sunday",
    ]) {
        add(Some(0), Intent::Hours);
    }
}

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
    let cancel = first(n, CANCEL).filter(|&p| !cancels_money(words, frames::word_at(n, p)));
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
            && n.has_any(&[
                "try",
                "lets try",
                "try again",
                "like to go",
                "want to go",
                "go in at",
                "come in at",
            ])
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

/// "cancel my credit card", "cancel the direct debit", "call off the transfer": what is
/// cancelled is money or a document, not the visit.
fn cancels_money(words: &[&str], k: usize) -> bool {
    match words.get(k) {
        Some(&"cancel") => frames::object_is_money(words, k),
        Some(&"call") => frames::object_is_money(words, k + 1),
        _ => false,
    }
}

/// A reschedule phrase said of the visit: "push back" is no "push back on this fee"; "another
/// day" / "a different time" needs a visit in the sentence ("can I come another day", "is
/// there another time available") or the short answer alone, not "I'll pay the rest another
/// time" or "the receipt shows a different time".
fn another_time_ok(s: &Said, a: usize, b: usize) -> bool {
    let words = &s.words[..];
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
    if money && !words[a..b].iter().any(|w| is_booking_phrase_word(w)) {
        return false;
    }
    let before = |m: usize| &words[a.saturating_sub(m)..a];
    match &words[a..b] {
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

/// Price, hours and location questions.
pub(super) fn questions(s: &Said, found: &mut Found) {
    let n = s.n;
    let mut add = |pos: Option<usize>, i: Intent| {
        if let Some(p) = pos {
            found.push((p, i));
        }
    };
    // price, hours, location
    if !n.has_any(&["how much time", "how much longer", "how much more time"]) {
        add(
            frames::first_where(n, PRICE, |a, _| price_word_ok(s, a)),
            Intent::Price,
        );
    }
    if !n.has_any(&[
        "anything open",
        "something open",
        "any openings",
        "anything opened",
        "slots open",
        "spots open",
    ]) {
        add(
            frames::first_where(n, HOURS, |a, b| hours_phrase_ok(s, a, b)),
            Intent::Hours,
        );
    }
    // An address or a location on a statement, a card or the caller's record is no question
    // about where the business is.
    let records = frames::money_talk(s)
        || n.has_any(&[
            "on file",
            "on record",
            "registered",
            "linked to",
            "connected to",
            "associated with",
            "attached to",
        ]);
    if let Some(p) = first(n, LOCATION)
        && !records
        && !n.has_any(&[
            "my address",
            "my location",
            "home address",
            "billing address",
            "usual address",
            "email address",
            "mailing address",
            "new address",
            "address change",
            "change address",
            "update address",
        ])
    {
        add(Some(p), Intent::Location);
    }
    if n.has("where") && !records && n.has_any(&["located", "find you", "find them"]) {
        add(first(n, &["where"]), Intent::Location);
    }
}

/// "charge" and "rate" ask a price as nouns in a question or with what they are for ("is there
/// a charge for parking", "what are your rates"), not as verbs ("can I charge my phone", "I'd
/// like to rate my stay") nor as charges that happened ("two charges on my statement").
fn price_word_ok(s: &Said, k: usize) -> bool {
    let words = &s.words[..];
    if !matches!(words[k], "charge" | "charges" | "rate" | "rates") {
        return true;
    }
    let prev = k.checked_sub(1).map(|j| words[j]);
    let next = words.get(k + 1).copied();
    let verb = matches!(
        prev,
        Some("to" | "i" | "ill" | "can" | "could" | "you" | "we" | "will" | "would" | "please")
    ) && matches!(
        next,
        Some("my" | "the" | "your" | "it" | "our" | "a" | "this" | "that" | "me" | "us" | "them")
    );
    let what_for = matches!(next, Some("for" | "per" | "to" | "of" | "please"));
    let asked = frames::in_question(s.n, k)
        || (matches!(
            prev,
            Some("the" | "your" | "any" | "what" | "whats" | "extra" | "additional")
        ) && !matches!(next, Some("on" | "from" | "in")));
    !verb && (what_for || asked || s.nwords <= 3)
}

/// An hours phrase said of the business's hours:
/// - "open" and "close" end the question or go on with when ("are you open?", "what time do
///   you close Saturday"), not with a thing ("when you open an account", "what time do you
///   close the transfer window", "are you open to suggestions");
/// - "how late" / "how early" ask about the business ("how late are you open", "how early can
///   I drop it off"), not "how late can a transfer arrive";
/// - "hours" counted ("two hours on hold") is a duration.
fn hours_phrase_ok(s: &Said, a: usize, b: usize) -> bool {
    let words = &s.words[..];
    let is_verb = |w: &str| {
        matches!(
            w,
            "open" | "close" | "closed" | "closing" | "opens" | "closes"
        )
    };
    let until = (b + 1).min(words.len());
    if let Some(k) = (a..until).find(|&k| is_verb(words[k])) {
        return own_words::says_when_after(s.n, k);
    }
    if matches!(words[a..b], ["how", "late" | "early"]) {
        return words[b..words.len().min(b + 4)].iter().any(|w| {
            is_verb(w)
                || matches!(
                    *w,
                    "you"
                        | "yall"
                        | "guys"
                        | "shop"
                        | "store"
                        | "place"
                        | "come"
                        | "drop"
                        | "pick"
                        | "bring"
                        | "stay"
                        | "serve"
                        | "take"
                )
        });
    }
    match words[a..b].iter().position(|w| *w == "hours") {
        Some(h) => !counted(words, a + h),
        None => true,
    }
}

/// The word at `k` is counted: "two hours", "24 hours", "a few hours", "for hours".
pub(super) fn counted(words: &[&str], k: usize) -> bool {
    let Some(prev) = k.checked_sub(1).map(|j| words[j]) else {
        return false;
    };
    prev.chars().all(|c| c.is_ascii_digit())
        || crate::normalize::unit_word(prev).is_some()
        || matches!(
            prev,
            "few" | "couple" | "several" | "many" | "some" | "for" | "of" | "an" | "more"
        )
}
