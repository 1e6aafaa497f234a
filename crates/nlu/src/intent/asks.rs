//! Questions about the business: its prices, its hours and where it is. A question word is
//! read with what it asks about: "open" and "close" of the business with a when after them
//! ("are you open Saturday", not "when you open an account"), a charge or a rate asked (not
//! "two charges on my statement"), an address that is the business's (not one on file).

use super::*;

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
    // "I'm located in Canada": where the caller is.
    let theirs = |a: usize, b: usize| {
        !(s.words[a] == "located" && frames::caller_subject(&s.words, a))
            && (s.words[a] != "directions" || directions_asked(&s.words, a, b))
    };
    if let Some(p) = frames::first_where(n, LOCATION, theirs)
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

/// "directions", "give me directions", "directions to the shop": asked for, not "follow the
/// directions in the app".
fn directions_asked(words: &[&str], a: usize, b: usize) -> bool {
    let next = words.get(b).copied();
    let prev = a.checked_sub(1).map(|j| words[j]);
    matches!(
        next,
        None | Some("to" | "from" | "there" | "here" | "please" | "pls")
    ) || matches!(
        prev,
        Some("get" | "give" | "send" | "need" | "text" | "email" | "some" | "any" | "me")
    )
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
        return says_when_after(s.n, k) && !a_thing_opens(words, k);
    }
    // "what time do you open", "what time are you in tomorrow": the business's own day; not
    // "what time do you need me there" or "what time are you expecting the delivery".
    if matches!(words[a..b], ["what", "time", "do" | "are", "you"]) {
        let next = words[b..]
            .iter()
            .find(|w| !matches!(**w, "guys" | "yall" | "usually" | "normally" | "generally"));
        return next.is_none_or(|w| {
            is_verb(w)
                || matches!(
                    *w,
                    "start"
                        | "stop"
                        | "finish"
                        | "shut"
                        | "begin"
                        | "end"
                        | "get"
                        | "serve"
                        | "stay"
                        | "there"
                        | "in"
                        | "around"
                        | "done"
                        | "off"
                        | "leave"
                )
        });
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

/// What opens or closes at word `k` is a thing, not the business: "the account was closed on
/// Monday", "the offer is open until Friday", "is my complaint still open", "the app is open
/// now". The subject is the caller's own ("my ...") or money, a document, a case or a screen.
fn a_thing_opens(words: &[&str], k: usize) -> bool {
    let mut j = k;
    while j > 0
        && matches!(
            words[j - 1],
            "is" | "are"
                | "was"
                | "were"
                | "be"
                | "been"
                | "still"
                | "already"
                | "now"
                | "currently"
                | "get"
                | "got"
                | "gets"
                | "being"
        )
    {
        j -= 1;
    }
    let Some(subject) = j.checked_sub(1).map(|i| words[i]) else {
        return false;
    };
    let owned = j >= 2 && matches!(words[j - 2], "my" | "our");
    owned
        || frames::is_money_word(subject)
        || matches!(
            subject,
            "offer"
                | "complaint"
                | "case"
                | "ticket"
                | "claim"
                | "application"
                | "request"
                | "dispute"
                | "deal"
                | "promotion"
                | "form"
                | "file"
                | "app"
                | "website"
                | "site"
                | "page"
                | "screen"
                | "window"
                | "door"
                | "safe"
                | "tab"
                | "portal"
                | "sale"
        )
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

/// What follows the `k`-th word is the end of a clause or says when: "close?", "open
/// tomorrow", "close sat", "open until 6", "open up on Sundays", "open this weekend".
pub(super) fn says_when_after(n: &Normalized, k: usize) -> bool {
    use crate::normalize::Kind;
    let toks: Vec<_> = n.tokens.iter().collect();
    let Some(at) = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != Kind::Punct)
        .nth(k)
        .map(|(i, _)| i)
    else {
        return false;
    };
    let mut rest = toks[at + 1..].iter();
    let mut next = rest.next();
    if next.is_some_and(|t| matches!(t.text.as_str(), "up" | "back")) {
        next = rest.next();
    }
    let Some(t) = next else { return true };
    let w = t.text.as_str();
    // "open on Sundays", "close at 6", "closed for lunch"; not "close on the house", "open
    // in the app", "closed for fraud".
    let then_a_time = || {
        let mut after = rest
            .clone()
            .filter(|t| t.kind != Kind::Punct)
            .map(|t| t.text.as_str())
            .skip_while(|w| matches!(*w, "the" | "a" | "an" | "this" | "next" | "most"));
        after.next().is_some_and(is_a_when)
    };
    if matches!(w, "on" | "at" | "in" | "for" | "during") {
        return then_a_time();
    }
    let when_word = matches!(
        w,
        "until"
            | "til"
            | "till"
            | "today"
            | "tonight"
            | "tomorrow"
            | "now"
            | "late"
            | "early"
            | "weekends"
            | "saturdays"
            | "sundays"
            | "sat"
            | "sun"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thurs"
            | "fri"
            | "again"
    );
    if w == "right" {
        return rest.next().is_some_and(|t| t.text == "now");
    }
    let this_or_next = matches!(w, "this" | "next")
        && rest.next().is_some_and(|t| {
            crate::is_time_word(&t.text)
                || matches!(t.text.as_str(), "weekend" | "week" | "evening" | "morning")
        });
    t.kind == Kind::Punct || when_word || this_or_next || t.num.is_some() || crate::is_time_word(w)
}

/// A word that can follow "open on / at / in / for" when it says when: a day, a part of day,
/// a number, a season or a break.
fn is_a_when(w: &str) -> bool {
    super::frames::is_when_word(w)
        || matches!(
            w,
            "weekend"
                | "weekends"
                | "weekdays"
                | "holiday"
                | "holidays"
                | "lunch"
                | "christmas"
                | "thanksgiving"
                | "easter"
                | "day"
                | "night"
                | "nights"
                | "mornings"
                | "evenings"
                | "afternoons"
                | "saturdays"
                | "sundays"
                | "season"
                | "summer"
                | "winter"
                | "hour"
                | "hours"
                | "sat"
                | "sun"
                | "mon"
                | "tue"
                | "tues"
                | "wed"
                | "thu"
                | "thurs"
                | "fri"
                | "new"
                | "memorial"
                | "labor"
                | "time"
                | "least"
        )
}
