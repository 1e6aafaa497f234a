//! The caller's name: "this is Sam", "my name's Dana Li", "it's under Pat Garcia", "Madelene
//! Abson is my name", or a bare name right after the assistant asked for one. A name is one to
//! three words that are not common English words; capitalisation is trusted when the caller
//! uses it and not required when they write all in lowercase.

use crate::normalize::{Kind, Normalized};
use crate::{Asked, Context};

/// Words that end or cannot be part of a name.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "for",
    "at",
    "on",
    "in",
    "of",
    "to",
    "by",
    "with",
    "from",
    "as",
    "is",
    "am",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "i",
    "im",
    "me",
    "my",
    "we",
    "our",
    "us",
    "you",
    "your",
    "he",
    "she",
    "they",
    "them",
    "his",
    "her",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "speaking",
    "please",
    "thanks",
    "thank",
    "yes",
    "yeah",
    "yep",
    "no",
    "not",
    "sure",
    "ok",
    "okay",
    "hi",
    "hello",
    "hey",
    "sorry",
    "so",
    "just",
    "also",
    "still",
    "really",
    "very",
    "well",
    "oh",
    "um",
    "uh",
    "actually",
    "again",
    "now",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "morning",
    "afternoon",
    "evening",
    "night",
    "lunch",
    "dinner",
    "breakfast",
    "brunch",
    "table",
    "party",
    "people",
    "persons",
    "guests",
    "adults",
    "kids",
    "children",
    "reservation",
    "booking",
    "appointment",
    "name",
    "names",
    "first",
    "last",
    "second",
    "surname",
    "person",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "calling",
    "looking",
    "trying",
    "going",
    "gonna",
    "wondering",
    "hoping",
    "interested",
    "afraid",
    "running",
    "late",
    "early",
    "here",
    "fine",
    "good",
    "great",
    "done",
    "ready",
    "single",
    "married",
    "new",
    "existing",
    "customer",
    "client",
    "patient",
    "the",
    "same",
    "again",
    "about",
    "calling",
    "need",
    "want",
    "would",
    "like",
    "could",
    "can",
    "will",
    "should",
    "have",
    "has",
    "had",
    "do",
    "does",
    "did",
    "get",
    "got",
    "make",
    "made",
    "book",
    "booked",
    "cancel",
    "change",
    "under",
    "listed",
    "if",
    "then",
    "than",
    "when",
    "what",
    "which",
    "who",
    "how",
    "why",
    "where",
    "pm",
    "am",
    "noon",
    "midday",
    "o",
    "clock",
    "oclock",
    "st",
    "nd",
    "rd",
    "th",
    "mr",
    "mrs",
    "ms",
    "dr",
    "miss",
    "sir",
    "madam",
    "maam",
    "lol",
    "haha",
    "by",
    "way",
    "think",
    "guess",
    "believe",
    "probably",
    "likely",
    "maybe",
    "perhaps",
    "myself",
    "both",
    "all",
    "some",
    "any",
    "more",
    "less",
    "only",
    "account",
    "card",
    "room",
    "car",
    "truck",
    "vehicle",
    "phone",
    "number",
    "email",
    "call",
    "text",
    "right",
    "correct",
    "exactly",
    "there",
    "wife",
    "husband",
    "family",
    "friend",
    "friends",
    "son",
    "daughter",
    "mom",
    "mum",
    "dad",
    "boss",
    "team",
    "company",
    "office",
    "doctor",
    "dentist",
    "week",
    "weekend",
    "month",
    "year",
    "day",
    "days",
    "time",
    "pax",
    "everyone",
    "someone",
    "somebody",
    "anyone",
    "nobody",
    "none",
    "each",
    "other",
    "another",
    "lady",
    "gentleman",
    "men",
    "women",
    "guy",
    "guys",
    "x",
    "via",
    "regarding",
    "re",
    "reserved",
    "booking",
    "requested",
    "under",
    "confirm",
    "confirmed",
    "let",
    "know",
    "tell",
    "see",
    "go",
    "come",
    "coming",
    "arrive",
    "arriving",
    "leave",
    "leaving",
    "stay",
    "staying",
    "thats",
    "whats",
    "dont",
    "cant",
    "wont",
    "isnt",
    "ill",
    "ive",
    "id",
    "youre",
    "theyre",
    "lets",
    "sat",
    "needs",
    "wants",
    "said",
    "say",
    "says",
    "told",
    "tell",
    "spelled",
    "spell",
    "sounds",
    "much",
    "many",
    "few",
    "lot",
    "something",
    "anything",
    "nothing",
    "everything",
    "hours",
    "minutes",
    "quick",
    "question",
    "info",
    "information",
    "help",
    "issue",
    "problem",
    "btw",
    "warranty",
    "hood",
    "budget",
    "contract",
    "pressure",
    "water",
    "control",
    "ridiculous",
    "unacceptable",
    "terrible",
    "frustrated",
    "angry",
    "upset",
    "furious",
    "serious",
    "crazy",
    "back",
    "anytime",
    "asap",
    "certain",
    "until",
    "after",
    "nights",
    "wanted",
    "cash",
    "credit",
    "debit",
    "cheque",
    "check",
    "because",
    "things",
    "princess",
    "yea",
    "ny",
    "contact",
    "doing",
    "best",
    "next",
    "address",
    "nearby",
    "half",
    "past",
    "quarter",
    "available",
    "later",
    "located",
    "nice",
    "true",
    "open",
    "closed",
    "possible",
    "free",
    "busy",
    "close",
    "far",
    "cheap",
    "expensive",
    "old",
    "broken",
    "fixed",
    "covered",
    "included",
    "urgent",
    "important",
    "okay",
    "alright",
    "unisex",
    "fine",
    "noon",
    "midnight",
    "tomorrows",
    "todays",
    "usual",
    "also",
    "too",
    "either",
    "neither",
    "never",
    "always",
    "already",
    "soon",
    "asap",
    "ok",
    "cool",
    "perfect",
    "awesome",
    "definitely",
    "absolutely",
    "certainly",
    "around",
    "salon",
    "shop",
    "clinic",
    "garage",
    "dealership",
    "hair",
    "barber",
    "beauty",
    "auto",
    "called",
    "named",
    "still",
    "doc",
];

fn is_stop(w: &str) -> bool {
    STOP.contains(&w)
}

/// Whether token i can be part of a name.
fn nameish(n: &Normalized, i: usize, need_capital: bool) -> bool {
    let Some(t) = n.tok(i) else { return false };
    if t.kind != Kind::Word || t.text.len() < 2 || t.text.len() > 20 {
        return false;
    }
    if !t.text.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if is_stop(&t.text) {
        return false;
    }
    if need_capital && !t.capital {
        return false;
    }
    // verbs and adverbs are rarely names
    if !t.capital && (t.text.ends_with("ing") || t.text.ends_with("ly")) && t.text.len() > 5 {
        return false;
    }
    true
}

/// Reads a name of up to three words from token i.
fn read_name(n: &Normalized, i: usize, need_capital: bool) -> Option<(String, usize)> {
    let mut j = i;
    // skip titles
    if matches!(n.text_at(j), "mr" | "mrs" | "ms" | "dr" | "miss") {
        j += 1;
        if n.text_at(j) == "." {
            j += 1;
        }
    }
    let start = j;
    while j < n.tokens.len() && j - start < 3 && nameish(n, j, need_capital && j == start) {
        // a second word must be glued by space only (no punctuation between)
        j += 1;
        // "O'Brien", "Mary-Jane": a hyphen joins two name parts
        if n.text_at(j) == "-"
            && n.tok(j + 1).is_some_and(|t| !t.spaced)
            && nameish(n, j + 1, false)
        {
            j += 2;
        }
        // lowercase text: a capitalised-only follower must not be a sentence start
        if need_capital && n.tok(j).is_some_and(|t| !t.capital) {
            break;
        }
    }
    if j == start {
        return None;
    }
    let raw = n.span(start, j).trim().to_string();
    Some((raw, j))
}

/// Token index right after the phrase starting at token i, if the words match.
fn phrase_at(n: &Normalized, i: usize, words: &[&str]) -> Option<usize> {
    let mut j = i;
    for w in words {
        while n
            .tok(j)
            .is_some_and(|t| t.kind == Kind::Punct && t.text != ",")
        {
            j += 1;
        }
        if n.text_at(j) != *w {
            return None;
        }
        j += 1;
    }
    Some(j)
}

const STRONG: &[&[&str]] = &[
    &["my", "name", "is"],
    &["my", "names"],
    &["my", "name", ","],
    &["s", "name", ","],
    &["names", ","],
    &["name", ","],
    &["name", "is"],
    &["names"],
    &["under", "the", "name", "of"],
    &["under", "the", "name"],
    &["under", "name"],
    &["in", "the", "name", "of"],
    &["the", "name", "of"],
    &["the", "name"],
    &["on", "the", "name"],
    &["on", "name"],
    &["name", "of"],
    &["listed", "under"],
    &["booked", "under"],
    &["booking", "under"],
    &["reservation", "under"],
    &["made", "under"],
    &["under", "my", "name", ","],
    &["is", "under"],
    &["its", "under"],
    &["it", "under"],
    &["am", "under"],
    &["under"],
    &["known", "as"],
    &["call", "me"],
    &["call", "be"],
    &["go", "by"],
    &["first", "name"],
    &["last", "name"],
    &["second", "name", "is"],
    &["the", "second", "name"],
    &["on", "the", "account", "is"],
    &["name", "on", "it", "is"],
    &["on", "the", "account"],
    &["surname", "is"],
    &["surname"],
    &["this", "is"],
    &["i", "am", "called"],
    &["i", "am"],
    &["im", "called"],
    &["named", "me"],
    &["under", "my", "name"],
    &["under", "the", "reservation"],
    &["for", "i", "think"],
    &["first", "name", "is"],
    &["reservation", "is"],
    &["im", "with"],
    &["i", "am", "with"],
    &["its", "still"],
    &["im"],
];

/// Weak triggers: the name must be capitalised (or the text all lowercase).
const WEAK: &[&[&str]] = &[
    &["for"],
    &["by"],
    &["its"],
    &["it", "is"],
    &["should", "be"],
    &["hello", ","],
    &["hi", ","],
    &["hello"],
    &["hi"],
];

pub fn find(n: &Normalized, ctx: &Context) -> Option<String> {
    let len = n.tokens.len();
    if len == 0 {
        return None;
    }
    // Casual lowercase writing: no capitals except "I" and sentence starts.
    let all_lower = !n.tokens.iter().enumerate().any(|(k, t)| {
        t.capital
            && t.text != "i"
            && k > 0
            && !matches!(n.text_at(k - 1), "." | "!" | "?")
            && t.kind == Kind::Word
            && !crate::is_time_word(&t.text)
    });
    let asked = matches!(ctx.asked, Some(Asked::Name));

    // "X is my name", "X here", "X speaking", "X is the reservation name"
    for i in 0..len {
        let e = phrase_at(n, i, &["is", "my", "name"])
            .or_else(|| phrase_at(n, i, &["is", "the", "reservation", "name"]))
            .or_else(|| phrase_at(n, i, &["is", "the", "name"]))
            .or_else(|| phrase_at(n, i, &["speaking"]))
            .or_else(|| phrase_at(n, i, &["here", ","]).filter(|_| i > 0))
            .or_else(|| phrase_at(n, i, &["here"]).filter(|_| i > 0 && i + 1 >= len));
        if e.is_some() && i > 0 {
            // walk back over up to three name words
            let mut s = i;
            while s > 0 && i - s < 3 && nameish(n, s - 1, false) {
                s -= 1;
            }
            if s < i
                && (s == 0
                    || matches!(
                        n.text_at(s - 1),
                        "," | "." | "its" | "is" | "hi" | "hello" | "i" | "am" | "im" | "this"
                    ))
            {
                // "it's page guynn speaking"
                if let Some((name, _)) = read_name(n, s, false) {
                    return Some(name);
                }
            }
        }
    }

    if let Some(name) = relative_name(n).or_else(|| name_before_vehicle(n)) {
        return Some(name);
    }
    if asked && let Some(bare) = bare_name(n, true) {
        return Some(join_last_name(n, bare));
    }
    if let Some(lead) = leading_name(n) {
        return Some(lead);
    }
    if let Some(p) = party_name(n) {
        return Some(p);
    }
    if let Some(t) = trailing_name(n) {
        return Some(t);
    }
    let mut best: Option<(usize, String)> = None;
    for (strong, list) in [(true, STRONG), (false, WEAK)] {
        for i in 0..len {
            if best.as_ref().is_some_and(|(b, _)| *b <= i) {
                break;
            }
            for p in list {
                let Some(e) = phrase_at(n, i, p) else {
                    continue;
                };
                // "the dentist's name is ...": someone else's name
                if matches!(p[0], "name" | "names")
                    && i > 0
                    && matches!(
                        n.text_at(i - 1),
                        "dentists"
                            | "doctors"
                            | "doctor"
                            | "dentist"
                            | "salons"
                            | "salon"
                            | "therapists"
                            | "stylists"
                            | "mechanics"
                            | "shops"
                            | "its"
                            | "their"
                            | "his"
                            | "her"
                            | "company"
                            | "companys"
                            | "businesss"
                            | "offices"
                            | "places"
                            | "restaurants"
                    )
                {
                    continue;
                }
                // "for Dr. Robert Gilbert": a doctor is not the caller
                if !strong && matches!(n.text_at(e), "dr" | "doc" | "doctor") {
                    continue;
                }
                let mut e = e;
                while matches!(n.text_at(e), "," | ":" | "\"" | "-") {
                    e += 1;
                }
                // "my name is not X" / "under my name"
                // weak triggers in all-lowercase text only right after the name question,
                // or for a full name closing the utterance ("..., it's dalana palomares")
                if !strong && all_lower && !asked {
                    let closing = read_name(n, e, false).is_some_and(|(name, end)| {
                        name.contains(' ')
                            && (end..len).all(|k| n.tok(k).is_some_and(|t| t.kind == Kind::Punct))
                    });
                    if !closing {
                        continue;
                    }
                }
                let need_cap = !strong && !all_lower;
                let weak_im = matches!(p[0], "im" | "i" | "this");
                if let Some((name, end)) = read_name(n, e, need_cap) {
                    if weak_im && !asked {
                        // "I'm looking", "this is great": require the clause to end or a
                        // capitalised name
                        let first_cap = n.tok(e).is_some_and(|t| t.capital);
                        let ends = matches!(
                            n.text_at(end),
                            "" | ","
                                | "."
                                | "and"
                                | "!"
                                | "from"
                                | "i"
                                | "calling"
                                | "speaking"
                                | "here"
                        );
                        if !(first_cap || ends) {
                            continue;
                        }
                    }
                    if !strong && p[0] == "for" {
                        // "for Signe Decos" – not "for Thursday" (stop list) nor a place
                        let nxt = n.text_at(end);
                        if matches!(nxt, "street" | "avenue" | "road") {
                            continue;
                        }
                    }
                    best = Some((i, name));
                    break;
                }
            }
        }
    }
    if let Some((_, name)) = best {
        return Some(join_last_name(n, name));
    }

    if asked {
        // A bare name: skip fillers.
        let mut i = 0;
        while i < len
            && (matches!(
                n.text_at(i),
                "yes"
                    | "yeah"
                    | "sure"
                    | "ok"
                    | "okay"
                    | "oh"
                    | "um"
                    | "uh"
                    | "sorry"
                    | "its"
                    | "it"
                    | "is"
                    | "well"
                    | "hi"
                    | "hello"
            ) || n.tok(i).is_some_and(|t| t.kind == Kind::Punct))
        {
            i += 1;
        }
        if let Some((name, _)) = read_name(n, i, false) {
            return Some(name);
        }
    }
    None
}

/// Whom a caller books for besides themself.
const RELATIVES: &[&str] = &[
    "son",
    "daughter",
    "wife",
    "husband",
    "mom",
    "mother",
    "dad",
    "father",
    "kid",
    "boyfriend",
    "girlfriend",
    "partner",
    "brother",
    "sister",
    "friend",
    "grandson",
    "granddaughter",
    "grandma",
    "grandpa",
    "employee",
    "boss",
    "neighbor",
    "coworker",
    "roommate",
    "buddy",
    "client",
    "customer",
    "tenant",
    "nephew",
    "niece",
    "uncle",
    "aunt",
    "cousin",
];

/// "book it for my son, his name is Leo Park", "it's for my wife, Ana Ruiz": the booking is
/// under the person it is for.
fn relative_name(n: &Normalized) -> Option<String> {
    let len = n.tokens.len();
    // "for my son", "for my coworker": any word after "my" when "his/her name is" follows;
    // a bare capitalised name after the comma only for the usual relations.
    let rel = (1..len)
        .find(|&i| {
            n.text_at(i - 1) == "my"
                && n.tok(i).is_some_and(|t| t.kind == Kind::Word)
                && ["his", "her", "their", "named", "called"]
                    .iter()
                    .any(|w| (i + 1..(i + 4).min(len)).any(|k| n.text_at(k) == *w))
        })
        .or_else(|| {
            (1..len).find(|&i| {
                n.text_at(i - 1) == "my" && RELATIVES.contains(&n.text_at(i).trim_end_matches('s'))
            })
        })?;
    let mut j = rel + 1;
    while matches!(n.text_at(j), "," | "-" | ":") {
        j += 1;
    }
    let after = phrase_at(n, j, &["his", "name", "is"])
        .or_else(|| phrase_at(n, j, &["her", "name", "is"]))
        .or_else(|| phrase_at(n, j, &["their", "name", "is"]))
        .or_else(|| phrase_at(n, j, &["his", "names"]))
        .or_else(|| phrase_at(n, j, &["her", "names"]))
        .or_else(|| phrase_at(n, j, &["named"]))
        .or_else(|| phrase_at(n, j, &["called"]))
        .or_else(|| {
            let relative = RELATIVES.contains(&n.text_at(rel).trim_end_matches('s'));
            (relative && j > rel + 1 && n.tok(j).is_some_and(|t| t.capital)).then_some(j)
        })?;
    let mut e = after;
    while matches!(n.text_at(e), "," | ":") {
        e += 1;
    }
    read_name(n, e, false).map(|(name, _)| name)
}

/// "Kim Lee, 2019 Nissan Rogue": a capitalised full name at the start of a clause, right
/// before the car.
fn name_before_vehicle(n: &Normalized) -> Option<String> {
    let len = n.tokens.len();
    for i in 0..len {
        // At a clause start, or right after a time ("wed 1pm Tia Ross 2017 Honda HR-V").
        let after_time = i > 0
            && (n.tok(i - 1).is_some_and(|t| t.kind == Kind::Num)
                || matches!(n.text_at(i - 1), "am" | "pm"));
        if i > 0 && !after_time && !matches!(n.text_at(i - 1), "," | "." | "?" | "!") {
            continue;
        }
        let Some((name, end)) = read_name(n, i, true) else {
            continue;
        };
        if !name.contains(' ') || crate::is_time_word(&n.text_at(i).to_lowercase()) {
            continue;
        }
        // "a Honda Civic 2015" is a car, not a name.
        if (i..end).any(|k| crate::vehicle::canonical_make(n.text_at(k)).is_some()) {
            continue;
        }
        let mut k = end;
        if n.text_at(k) == "," {
            k += 1;
        }
        let year = n
            .tok(k)
            .is_some_and(|t| t.kind == Kind::Num && matches!(t.text.len(), 2 | 4));
        let make = crate::vehicle::canonical_make(n.text_at(k)).is_some();
        if year || make {
            return Some(name);
        }
    }
    None
}

/// "Erlinda Farrar, table of four", "Jenette Hanby here.", "Kristy Eheler has a booking",
/// "Jaime Kaaz is what you can call me", "Probably Percy Duplaga has done the booking".
fn leading_name(n: &Normalized) -> Option<String> {
    let mut i = 0;
    while matches!(
        n.text_at(i),
        "probably" | "maybe" | "perhaps" | "hi" | "hello" | "hey" | ","
    ) {
        i += 1;
    }
    let t = n.tok(i)?;
    if !t.capital || t.text == "i" {
        return None;
    }
    let (name, end) = read_name(n, i, true)?;
    let words = end - i;
    let next = n.text_at(end);
    let next2 = n.text_at(end + 1);
    let ok = match next {
        "" => words >= 2 && n.tokens.len() == end,
        "," => words >= 2 || i > 0,
        "here" | "speaking" | "party" => true,
        "has" | "made" | "booked" => words >= 2,
        "tomorrow" | "today" | "tonight" => words >= 2,
        "is" => matches!(next2, "what" | "my" | "the"),
        _ => false,
    };
    ok.then_some(name)
}

/// "..., table for four, Vaughn Cassavaugh": a full capitalised name closing the utterance
/// after a comma.
fn trailing_name(n: &Normalized) -> Option<String> {
    let len = n.tokens.len();
    let mut end = len;
    while end > 0 && matches!(n.text_at(end - 1), "." | "!") {
        end -= 1;
    }
    for start in (end.saturating_sub(3)..end).rev() {
        if start == 0 || n.text_at(start - 1) != "," {
            continue;
        }
        if let Some((name, e)) = read_name(n, start, true)
            && e == end
            && name.contains(' ')
        {
            return Some(name);
        }
    }
    None
}

/// "the Sodini party", "the Lois Swoager table", "a Collette Kiekbusch booking".
fn party_name(n: &Normalized) -> Option<String> {
    for i in 0..n.tokens.len() {
        if !matches!(n.text_at(i), "the" | "a") {
            continue;
        }
        let Some((name, end)) = read_name(n, i + 1, true) else {
            continue;
        };
        if matches!(
            n.text_at(end),
            "party" | "table" | "booking" | "reservation" | "family"
        ) {
            return Some(name);
        }
    }
    None
}

/// "First name Carry, last name Jocoy", "Dulcie, Petsch", "Armando and Eves": a surname said
/// apart from the first name joins it.
fn join_last_name(n: &Normalized, first: String) -> String {
    let len = n.tokens.len();
    for i in 0..len {
        let after = if n.text_at(i) == "last" && n.text_at(i + 1) == "name" {
            let mut k = i + 2;
            if n.text_at(k) == "is" {
                k += 1;
            }
            Some(k)
        } else {
            None
        };
        if let Some(k) = after
            && let Some((last, _)) = read_name(n, k, false)
            && !first.contains(' ')
            && !first.eq_ignore_ascii_case(&last)
        {
            return format!("{first} {last}");
        }
    }
    // "Dulcie, Petsch" / "Armando and Eves" as the whole answer
    if !first.contains(' ') && len <= 4 {
        let words: Vec<usize> = (0..len)
            .filter(|k| n.tok(*k).is_some_and(|t| t.kind == Kind::Word))
            .collect();
        if words.len() == 3 && n.text_at(words[1]) == "and" || len == 3 && n.text_at(1) == "," {
            let last_idx = *words.last().unwrap_or(&0);
            if let Some((last, e)) = read_name(n, last_idx, false)
                && e == len.min(last_idx + 1).max(e)
                && !last.eq_ignore_ascii_case(&first)
            {
                return format!("{first} {last}");
            }
        }
    }
    first
}

/// A name at the very start of an answer to "what's your name?" ("Mark. Also known as ...",
/// "John and the doctor's name is ...").
fn bare_name(n: &Normalized, _asked: bool) -> Option<String> {
    let t = n.tok(0)?;
    if !t.capital || matches!(t.text.as_str(), "mr" | "mrs" | "ms" | "dr" | "doc") {
        return None;
    }
    let (name, end) = read_name(n, 0, false)?;
    match n.text_at(end) {
        "" | "." | "," | "and" | "!" | "-" | "here" | "speaking" => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::DateTime;

    fn name(text: &str, asked: Option<Asked>) -> Option<String> {
        let n = Normalized::new(text);
        let ctx = Context {
            now: DateTime::constant(2026, 11, 24, 19, 30, 0, 0),
            asked,
        };
        find(&n, &ctx)
    }

    #[test]
    fn this_is_sam_names_sam() {
        assert_eq!(name("Hi, this is Sam", None).as_deref(), Some("Sam"));
    }

    #[test]
    fn my_names_dana_li_names_dana_li() {
        assert_eq!(
            name("my name's Dana Li and I need brakes", None).as_deref(),
            Some("Dana Li")
        );
    }

    #[test]
    fn under_pat_garcia_names_pat_garcia() {
        assert_eq!(
            name("it's under Pat Garcia", None).as_deref(),
            Some("Pat Garcia")
        );
    }

    #[test]
    fn a_bare_name_counts_only_after_the_name_question() {
        assert_eq!(
            name("Sam Jones", Some(Asked::Name)).as_deref(),
            Some("Sam Jones")
        );
        assert_eq!(name("oil change", None), None);
    }

    #[test]
    fn im_looking_is_not_a_name() {
        assert_eq!(name("I'm looking for a brake job", None), None);
    }
}
