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
    add(
        frames::first_where(n, GOODBYE, |a, b| goodbye_phrase_ok(words, a, b)),
        Intent::Goodbye,
    );
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
    let same_clause = |k: usize| frames::clause_of(n, k).contains(&(k + 1));
    if let Some(p) = frames::first_where(n, THANKS, |a, _| thanked(words, a, same_clause(a))) {
        add(Some(p), Intent::Thanks);
    }
    if n.has_any(&["no thanks", "no thank you", "nope thanks"]) {
        add(first(n, &["thanks", "thank"]), Intent::Thanks);
    }
}

/// "that's all" ends the call ("that's all the help I need" too), not "that's all the cash I
/// have" (all of a thing); "see you"
/// takes leave, not "I'd like to see you about a loan".
fn goodbye_phrase_ok(words: &[&str], a: usize, b: usize) -> bool {
    match &words[a..b] {
        // "that's all the help I need" closes like "that's all I need".
        [.., "all"]
            if words[b..]
                .iter()
                .skip(1)
                .take(3)
                .any(|w| matches!(*w, "need" | "needed" | "want" | "wanted")) =>
        {
            true
        }
        [.., "all"] => !matches!(
            words.get(b),
            Some(
                &("the"
                    | "my"
                    | "your"
                    | "a"
                    | "an"
                    | "of"
                    | "these"
                    | "those"
                    | "his"
                    | "her"
                    | "our"
                    | "their"
                    | "that"
                    | "this")
            )
        ),
        ["see", "you" | "ya"] => a == 0 || !matches!(words[a - 1], "to" | "can" | "could"),
        _ => true,
    }
}

/// The thanks word at `k` thanks someone (`goes_on`: the clause goes on after it; "thanks, to
/// confirm ..." thanks): not "thanks to the delay" (a cause) nor "I'd
/// appreciate a late checkout", "I'd be grateful if ..." (a polite request).
fn thanked(words: &[&str], k: usize, goes_on: bool) -> bool {
    let cause = words[k] == "thanks"
        && goes_on
        && words.get(k + 1) == Some(&"to")
        && !matches!(
            words.get(k + 2),
            Some(&("you" | "yall" | "everyone" | "everybody" | "all" | "both" | "your"))
        );
    let would = matches!(
        words[k],
        "appreciate" | "appreciated" | "grateful" | "thankful"
    ) && words[k.saturating_sub(2)..k]
        .iter()
        .any(|w| matches!(*w, "would" | "id" | "wed" | "will" | "ill" | "be"));
    // "I'd appreciate it" thanks; "I'd appreciate a late checkout", "... it if you could"
    // ask for something.
    let rest = &words[k + 1..];
    let asks = matches!(
        rest,
        [
            "if" | "a" | "an" | "the" | "some" | "any" | "for" | "your" | "help",
            ..
        ] | ["it" | "that", "if", ..]
    );
    let request = would && asks;
    !(cause || request)
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
    // "what was that?", "sorry, come again?", "I missed that": the whole clause; not "what was
    // that noise", "we'd love to come again next year", "I missed that payment".
    add(
        frames::first_where(
            n,
            &["what was that", "come again", "missed that", "missed what"],
            |a, b| {
                frames::closes_clause(n, b) && (words[a] != "come" || frames::opens_clause(n, a))
            },
        ),
        Intent::Repeat,
    );
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
    add(
        frames::first_where(n, HUMAN, |_, b| {
            !one_of_theirs(words, b) && !a_compound(words, b)
        }),
        Intent::Human,
    );
    add(
        frames::first_where(n, PERSON, |k, _| frames::reached(s, k)),
        Intent::Human,
    );
    add(connect_me(s), Intent::Human);
    if let Some(p) = frames::first_where(n, &["human", "humans"], |_, b| !a_compound(words, b))
        && !n.has_any(&["little humans", "two humans"])
    {
        add(Some(p), Intent::Human);
    }

    // "is Joe there?", "is Maria in?": someone by name, written with a capital unless the whole
    // message is lowercase ("is breakfast available", "Is parking there?", "is Friday open" ask
    // about something else).
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
        && (said_as_a_name(n, lead + 1)
            || (words[lead + 2] == "there"
                && (matches!(words[lead + 1], "he" | "she")
                    || !n.raw.chars().any(char::is_uppercase))))
        && present_now(words.get(lead + 3..).unwrap_or(&[]))
    {
        add(Some(0), Intent::Human);
    }
}

/// The word before `b` begins a compound noun: "human resources", "human error", "human
/// rights" name no person to talk to.
fn a_compound(words: &[&str], b: usize) -> bool {
    matches!(
        words.get(b),
        Some(&("resources" | "rights" | "error" | "errors" | "nature" | "body" | "trafficking"))
    )
}

/// The person reached after word `b` is one of the caller's own: "I need to speak with my
/// wife first" is no request for someone here.
fn one_of_theirs(words: &[&str], b: usize) -> bool {
    let b = if matches!(words.get(b), Some(&("to" | "with"))) {
        b + 1
    } else {
        b
    };
    matches!(words.get(b), Some(&("my" | "our")))
        && words.get(b + 1).is_some_and(|w| {
            matches!(
                *w,
                "wife"
                    | "husband"
                    | "partner"
                    | "son"
                    | "daughter"
                    | "mom"
                    | "mum"
                    | "mother"
                    | "dad"
                    | "father"
                    | "family"
                    | "brother"
                    | "sister"
                    | "boss"
                    | "lawyer"
                    | "accountant"
                    | "kids"
                    | "friend"
                    | "girlfriend"
                    | "boyfriend"
            )
        })
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
