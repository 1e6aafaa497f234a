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
    if words[0] == "nothing"
        && (nwords == 1
            || n.tokens
                .get(1)
                .is_some_and(|t| t.kind == crate::normalize::Kind::Punct)
            || matches!(words.get(1), Some(&"else" | &"more" | &"for")))
    {
        add(Some(0), Intent::Goodbye);
    }
    if let Some(p) = first(n, THANKS)
        && !n.has("no thanks to")
    {
        add(Some(p), Intent::Thanks);
    }
    if n.has_any(&["no thanks", "no thank you", "nope thanks"]) {
        add(first(n, &["thanks", "thank"]), Intent::Thanks);
    }
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
    if what_were_they(words) {
        add(first(n, &["what were"]), Intent::Repeat);
    }
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

/// "a real person", "is Joe there?".
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
            "anyone" | "anybody" | "somebody" | "someone" | "this"
        )
        && (words[lead + 2] == "there" || said_as_a_name(n, lead + 1))
    {
        add(Some(0), Intent::Human);
    }
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
    // "what are your saturday hours", "holiday hours"
    if n.has("hours")
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
    let cancel = first(n, CANCEL);
    add(cancel, Intent::Cancel);
    // "move it to my savings": a verb of moving that takes it to a place.
    let to_a_place = words
        .iter()
        .position(|w| matches!(*w, "move" | "push"))
        .is_some_and(|k| super::own_words::moved_to_a_place(&words[k + 1..words.len().min(k + 5)]));
    let resched = first(n, RESCHEDULE).filter(|_| !to_a_place);
    add(resched, Intent::Reschedule);
    let book_ok = cancel.is_none() && resched.is_none();
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
        let p = first(n, BOOK).filter(|_| {
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
        add(first(n, PRICE), Intent::Price);
    }
    if !n.has_any(&[
        "anything open",
        "something open",
        "any openings",
        "anything opened",
        "slots open",
        "spots open",
    ]) {
        add(first(n, HOURS), Intent::Hours);
    }
    if let Some(p) = first(n, LOCATION)
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
    if n.has("where") && n.has_any(&["located", "find you", "find them"]) {
        add(first(n, &["where"]), Intent::Location);
    }
}
