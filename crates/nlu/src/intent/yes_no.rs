//! Yes and no: where each was said, with the guards that keep "not sure", "right now" and
//! "no problem" from counting, and corrections of a read-back counted as a no (SGD's
//! convention).

use super::*;

/// "why not", "sure, why not": a yes when it ends a short answer; "why not? I paid on time"
/// and "why not just let me pay online" are questions.
fn why_not_yes(s: &Said) -> bool {
    s.nwords <= 4 && s.words.ends_with(&["why", "not"])
}

/// A yes asks nothing and gives no other sense to its words: "that's correct" but not "which
/// address is correct?", "is my card all set?", "does that sound good to you?"; "go on" ends
/// its clause ("go on then"), not "go on a payment holiday". Requests such as "go ahead" or
/// "please do" stay a yes inside a question ("could you go ahead and book it").
fn said_as_a_yes(s: &Said, a: usize, b: usize) -> bool {
    let words = &s.words[..];
    if words[a..b] == ["go", "on"] {
        return frames::closes_clause(s.n, b) || words.get(b) == Some(&"and");
    }
    let request = matches!(
        words[a],
        "go" | "please" | "book" | "yes" | "lets" | "make" | "i" | "id" | "confirmed"
    );
    request || !frames::in_question(s.n, a)
}

/// "confirmed!", "that is confirmed", "it's confirmed": the word is the answer, or is said of
/// what was just read back; not "my booking was confirmed last week".
fn said_of_what_was_read_back(n: &crate::normalize::Normalized, words: &[&str], a: usize) -> bool {
    let prev = |k: usize| a.checked_sub(k).map(|j| words[j]);
    frames::opens_clause(n, a)
        || matches!(prev(1), Some("thats" | "its" | "all"))
        || (prev(1) == Some("is") && matches!(prev(2), Some("that" | "it" | "this")))
}

/// "how about Friday", "what about the 3 o'clock", "how about you check 4 pm": another choice
/// offered, not "how about you?" (a question back).
fn offers_another(n: &crate::normalize::Normalized, words: &[&str]) -> bool {
    (0..words.len().saturating_sub(1)).any(|k| {
        matches!(words[k], "how" | "what")
            && words[k + 1] == "about"
            && match words.get(k + 2) {
                None => true,
                // "how about you?" asks back; "how about you book the 3 pm" suggests.
                Some(&("you" | "yourself" | "yours" | "yall")) => !frames::closes_clause(n, k + 3),
                Some(_) => true,
            }
    })
}

/// "10:30 instead", "can you find another one instead": a new choice for what was read back,
/// not "can I pay by card instead of cash" (a way to pay).
fn instead_of_the_choice(s: &Said) -> bool {
    let Some(k) = s.words.iter().position(|w| *w == "instead") else {
        return false;
    };
    !s.words[frames::clause_of(s.n, k)]
        .iter()
        .any(|w| frames::is_money_word(w))
}

/// Where a yes was said, if one was.
pub(super) fn affirm(s: &Said, cancel: Option<usize>) -> Option<usize> {
    let n = s.n;
    let ctx = s.ctx;
    let words = &s.words[..];
    let nwords = s.nwords;
    // affirm
    let confirm_ctx = matches!(ctx.asked, Some(Asked::Confirm));
    let mut affirm = None;
    if starts(n, AFFIRM_START) {
        affirm = Some(0);
    }
    if let Some(p) = frames::first_where(n, AFFIRM_ANY, |a, b| said_as_a_yes(s, a, b)) {
        affirm = Some(affirm.map_or(p, |a: usize| a.min(p)));
    }
    if let Some(p) = frames::first_where(n, AFFIRM_CLOSING, |a, b| {
        words[a] != "confirmed"
            && (frames::closes_clause(n, b)
                || matches!(
                    words.get(b),
                    Some(&("very" | "too" | "much" | "indeed" | "a"))
                ))
            || words[a] == "confirmed" && said_of_what_was_read_back(n, words, a)
    }) {
        affirm = Some(affirm.map_or(p, |a: usize| a.min(p)));
    }
    // "roger" alone, not "Roger Smith here"
    if affirm.is_none() && nwords == 1 && words[0] == "roger" {
        affirm = Some(0);
    }
    if affirm.is_none() && why_not_yes(s) {
        affirm = first(n, &["why not"]);
    }
    // "…, yes." at the end, "oh yes" / "well yeah" at the start
    let yes_word = |w: &str| matches!(w, "yes" | "yeah" | "yep" | "yup");
    if affirm.is_none()
        && (words.last().is_some_and(|w| yes_word(w)) && nwords > 1
            || nwords > 1 && matches!(words[0], "oh" | "well" | "um" | "uh") && yes_word(words[1]))
    {
        affirm = first(n, &["yes", "yeah", "yep", "yup"]);
    }
    let okish = starts(
        n,
        &[
            "ok",
            "okay",
            "okey",
            "alright",
            "all right",
            "k",
            "kk",
            "okie",
        ],
    );
    let ok_then_thanks = matches!(words.get(1), Some(&"thanks" | &"thank" | &"bye" | &"then"));
    if okish && (confirm_ctx || !ok_then_thanks) {
        affirm = Some(0);
    }
    if nwords <= 2
        && matches!(
            words[0],
            "good" | "nice" | "fine" | "brilliant" | "super" | "excellent"
        )
        && !matches!(
            words.get(1),
            Some(&"bye" | &"evening" | &"morning" | &"afternoon" | &"night" | &"day")
        )
    {
        affirm = Some(0);
    }
    if confirm_ctx && n.has_any(&["good", "great", "perfect", "fine", "works", "ok", "okay"]) {
        affirm = Some(affirm.unwrap_or(0));
    }
    // "right?" as a question, "sure" in "not sure"
    let right_alone = words[0] == "right"
        && n.tokens
            .get(1)
            .is_some_and(|t| t.kind == crate::normalize::Kind::Punct);
    if affirm.is_none()
        && (right_alone
            || words[0] == "good"
                && n.tokens
                    .get(1)
                    .is_some_and(|t| t.text == "." || t.text == "!"))
    {
        affirm = Some(0);
    }
    if affirm == Some(0)
        && starts(
            n,
            &["right now", "right away", "right after", "right before"],
        )
    {
        affirm = None;
    }
    if affirm == Some(0) && (n.has("not sure") || words[0] == "right" && nwords > 2 && !right_alone)
    {
        affirm = None;
    }
    if words[0] == "great" && n.has_any(&["thank", "thanks"]) && !confirm_ctx {
        affirm = None;
    }
    if n.has_any(&[
        "not what i said",
        "not what i want",
        "not exactly",
        "not fine",
        "not okay",
        "definitely not",
        "absolutely not",
        "certainly not",
        "of course not",
        "please do not",
        "sure not",
    ]) || (cancel.is_some() && affirm.is_some() && !starts(n, AFFIRM_START))
        || starts(
            n,
            &[
                "good bye",
                "good evening",
                "good morning",
                "good night",
                "good afternoon",
            ],
        ) && affirm == Some(0)
            && !n.has_any(AFFIRM_ANY)
    {
        affirm = None;
    }

    affirm
}

/// Where a no was said, if one was (corrections of a read-back count as no).
pub(super) fn deny(s: &Said, cancel: Option<usize>, resched: Option<usize>) -> Option<usize> {
    let n = s.n;
    let time = s.time;
    let words = &s.words[..];
    let nwords = s.nwords;
    // deny
    let mut deny = None;
    let guarded = n.has_any(NOT_DENY) || why_not_yes(s);
    let hedge = nwords > 1
        && matches!(words[0], "hmm" | "um" | "uh" | "umm" | "well" | "oh" | "ah")
        && matches!(words[1], "no" | "nope" | "nah");
    if (starts(n, DENY_START) || hedge)
        && !n.has_any(&[
            "no problem",
            "no worries",
            "not sure",
            "no rush",
            "no later than",
            "no earlier than",
            "not later than",
            "no more than",
            "no need to",
        ])
    {
        deny = Some(0);
    } else if !guarded && let Some(p) = first(n, NEGATION) {
        deny = Some(p);
    }
    // Corrections of a read-back count as "no" (SGD's convention).
    if deny.is_none()
        && resched.is_none()
        && (starts(n, &["actually", "on second thought", "instead"])
            || offers_another(n, words)
            || instead_of_the_choice(s)
            || n.has_any(&[
                "change the time",
                "change the date",
                "change it to",
                "make it for",
                "rather have",
                "i meant",
                "its not okay",
                "not okay",
                "could we do",
                "would be better",
                "is better",
                "be better",
                "change that to",
                "lets make it",
                "make it at",
                "doesnt work",
                "does not work",
                "wont work",
                "will not work",
                "not work for me",
            ]))
    {
        deny = first(
            n,
            &[
                "actually", "change", "make", "rather", "meant", "instead", "not",
            ],
        )
        .or(Some(0));
    }
    if deny.is_some() {
        // A negation inside a request for a human, a cancellation, or "don't need anything
        // else" is no "no".
        let absorbed = n.has_any(&[
            "dont feel comfortable",
            "dont want to meet",
            "wont be able to make",
            "cant make it to my",
            "cannot make it to my",
            "is not working",
            "not leading anywhere",
            "not working at all",
            "no longer need",
        ]) && !starts(n, DENY_START);
        if absorbed {
            deny = None;
        }
    }
    // Declining an offer: "maybe later", "some other time", "nothing for now".
    if deny.is_none() {
        let declines = first(
            n,
            &[
                "maybe later",
                "perhaps later",
                "possibly later",
                "later on",
                "another time",
                "some other time",
                "a later time",
                "a later date",
                "not now",
                "not right now",
                "not at the moment",
                "maybe in a bit",
                "let me think about it",
                "i will later",
                "no thank you",
                "no thanks",
            ],
        );
        let nothing = words[0] == "nothing"
            && (nwords == 1
                || n.tokens
                    .get(1)
                    .is_some_and(|t| t.kind == crate::normalize::Kind::Punct)
                || matches!(words.get(1), Some(&"else" | &"more" | &"for")));
        // "I'll pay the rest another time" puts off a payment, not the offer.
        let declines = declines.filter(|_| !frames::money_talk(s));
        deny = declines.or(nothing.then_some(0));
    }
    // "make that four in the evening", "change to the 5th", "can you make it March 2nd?"
    if deny.is_none()
        && resched.is_none()
        && time.is_some()
        && n.has_any(&[
            "make that",
            "change to",
            "can you make it",
            "change it",
            "make it",
        ])
        && !n.has_any(&[
            "make it to",
            "make it on time",
            "make it in time",
            "make that payment",
        ])
    {
        deny = first(n, &["make", "change"]);
    }
    // "I won't need the appointment anymore": the negation is the cancellation
    if cancel.is_some() && deny.is_some_and(|p| p > 0) {
        deny = None;
    }
    deny
}
