//! The word senses booking's phrase rules check before they count: a retry the caller makes
//! alone ("I'll try again tomorrow"), a time that goes with coming in, "book" and "schedule"
//! said as verbs, seeing someone who serves, words of a visit, "available" for a visit.

use super::*;

/// "I'll try again tomorrow", "we'll try again on Monday": the caller will retry something
/// on their own, not ask for a slot ("let's try 12:45", "can we try Friday").
pub(super) fn retries_alone(words: &[&str]) -> bool {
    words.iter().position(|w| *w == "try").is_some_and(|k| {
        k > 0 && matches!(words[k - 1], "ill" | "well" | "will" | "gonna" | "shall")
    })
}

/// After "try" or "like to go", the words go on with when or where to come, or with a verb
/// of arranging: "let's try 12:45", "try making it on the 12th", "I want to go on the 8th";
/// not "I want to go hiking
/// tomorrow" or "I'd like to try the steak tomorrow".
pub(super) fn goes_at_a_time(words: &[&str], b: usize) -> bool {
    match words.get(b) {
        None => true,
        Some(w) => {
            frames::is_when_word(w)
                || matches!(
                    *w,
                    "again"
                        | "for"
                        | "at"
                        | "on"
                        | "in"
                        | "by"
                        | "there"
                        | "around"
                        | "then"
                        | "over"
                        | "the"
                        | "to"
                        | "this"
                        | "that"
                        | "it"
                        | "make"
                        | "making"
                        | "do"
                        | "doing"
                        | "come"
                        | "coming"
                        | "book"
                        | "booking"
                        | "get"
                        | "getting"
                        | "schedule"
                        | "scheduling"
                        | "something"
                        | "another"
                        | "any"
                        | "anything"
                        | "one"
                        | "with"
                        | "sometime"
                )
        }
    }
}

/// "book", "reserve", "schedule" as verbs ("can you book me", "I want to schedule an oil
/// change", "schedule it for 3"), not as nouns ("I left a book in the room", "the train
/// schedule", "my schedule is full").
pub(super) fn said_as_a_verb(words: &[&str], a: usize) -> bool {
    let prev = a.checked_sub(1).map(|j| words[j]);
    let next = words.get(a + 1).copied();
    let det = matches!(
        prev,
        Some(
            "a" | "an" | "the" | "my" | "this" | "that" | "your" | "his" | "her" | "our" | "their"
        )
    );
    // "make a schedule of the visit": the noun made is the booking.
    let made = words[a.saturating_sub(4)..a.saturating_sub(1)]
        .iter()
        .any(|w| {
            matches!(
                *w,
                "make" | "set" | "get" | "want" | "need" | "like" | "fix" | "arrange"
            )
        });
    if det {
        return made;
    }
    if words[a] != "schedule" {
        return true;
    }
    matches!(
        prev,
        None | Some(
            "to" | "can"
                | "could"
                | "please"
                | "i"
                | "id"
                | "ill"
                | "lets"
                | "wanna"
                | "and"
                | "you"
                | "we"
                | "also"
                | "then"
                | "just"
                | "me"
        )
    ) || matches!(
        next,
        Some(
            "me" | "us"
                | "a"
                | "an"
                | "the"
                | "my"
                | "it"
                | "this"
                | "that"
                | "him"
                | "her"
                | "something"
                | "one"
                | "for"
                | "in"
                | "another"
                | "them"
                | "with"
        )
    )
}

/// "see a dentist", "visit the salon", "want to see the doctor": someone who serves or a
/// place that does, within three words; not "see the menu", "see the view", "visit the old
/// town". A visit said with a time ("visit the spa tomorrow") stands.
pub(super) fn sees_someone_who_serves(s: &Said, b: usize) -> bool {
    let words = &s.words[..];
    // "visit this one", "see them", "I'd like to visit that": the provider just named.
    let named_before = matches!(
        words[b - 1],
        "this" | "that" | "them" | "him" | "her" | "it"
    ) && words
        .get(b)
        .is_none_or(|w| matches!(*w, "one" | "place" | "please" | "then"));
    let visit = named_before
        || words[b..]
            .iter()
            .take(4)
            .any(|w| frames::serves(w) || matches!(*w, "one" | "place" | "them" | "him" | "her"));
    let with_a_time = words.contains(&"visit") && s.time.is_some();
    visit || with_a_time
}

/// "the earliest appointment", "the soonest you can fit me in", "first available": said of a
/// visit or a time, not "the soonest train back".
pub(super) fn of_a_visit(next: Option<&str>) -> bool {
    next.is_none_or(|w| {
        frames::is_when_word(w)
            || frames::serves(w)
            || frames::is_visit_word(w)
            || matches!(
                w,
                "available"
                    | "availability"
                    | "possible"
                    | "opening"
                    | "openings"
                    | "slot"
                    | "slots"
                    | "time"
                    | "times"
                    | "date"
                    | "day"
                    | "spot"
                    | "one"
                    | "thing"
                    | "you"
                    | "i"
                    | "we"
                    | "they"
                    | "youve"
                    | "youd"
                    | "youll"
                    | "theyve"
                    | "ive"
                    | "id"
                    | "he"
                    | "she"
                    | "it"
                    | "there"
                    | "that"
                    | "this"
                    | "then"
                    | "please"
                    | "on"
                    | "at"
                    | "in"
                    | "for"
                    | "with"
            )
    })
}

/// "is Friday available", "anything available at 4", "is the dentist available": a time, a
/// visit or someone who serves is available; not "is the gym available on weekends" or "is
/// room service available at night" (a thing the place offers).
pub(super) fn available_for_a_visit(s: &Said, a: usize) -> bool {
    let words = &s.words[..];
    let mut k = a;
    while k > 0 && matches!(words[k - 1], "still" | "currently" | "also" | "even" | "be") {
        k -= 1;
    }
    let Some(prev) = k.checked_sub(1).map(|j| words[j]) else {
        return true;
    };
    // "is Dr Patel available": a name.
    let named = k > 1
        && s.n
            .tokens
            .iter()
            .filter(|t| t.kind != crate::normalize::Kind::Punct)
            .nth(k - 1)
            .is_some_and(|t| t.capital);
    let thing = !named
        && !frames::serves(prev)
        && !frames::is_when_word(prev)
        && !frames::is_visit_word(prev)
        && !matches!(
            prev,
            "is" | "are"
                | "was"
                | "whats"
                | "what"
                | "thats"
                | "it"
                | "that"
                | "this"
                | "one"
                | "anything"
                | "something"
                | "nothing"
                | "any"
                | "you"
                | "yall"
                | "he"
                | "she"
                | "they"
                | "anyone"
                | "someone"
                | "somebody"
                | "anybody"
                | "slot"
                | "slots"
                | "time"
                | "times"
                | "date"
                | "dates"
                | "day"
                | "days"
                | "spot"
                | "spots"
                | "opening"
                | "openings"
                | "dentist"
                | "doctor"
                | "stylist"
                | "therapist"
                | "mechanic"
                | "barber"
                | "hairdresser"
                | "technician"
                | "dr"
                | "still"
                | "be"
                | "stuff"
                | "else"
                | "i"
                | "we"
                | "am"
                | "will"
                | "would"
                | "should"
                | "can"
                | "could"
                | "might"
                | "there"
                | "and"
                | "or"
                | "now"
                | "then"
                | "a"
                | "an"
                | "the"
                | "some"
                | "no"
                | "other"
                | "only"
        );
    !thing
}
