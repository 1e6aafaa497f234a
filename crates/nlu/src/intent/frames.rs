//! Frames: what a rule's words are about and where they stand in the sentence. The same
//! phrase names an intent in one sentence and something else in another ("cancel my
//! appointment" / "cancel my card", "take care, bye" / "take care of my car", "that's correct" /
//! "which address is correct?", "a real person" / "a person at the branch told me"). Rules ask
//! these questions instead of listing the sentences where they misfire:
//!
//! - the *topic*: money and documents with no visit named ([`money_talk`]);
//! - the *object* of a verb ([`object_is_money`]);
//! - the *clause*: whether a phrase closes it ([`closes_clause`]), opens it
//!   ([`opens_clause`]), or stands in a question ([`in_question`]);
//! - *who* is reached: a person word counts as a request for one only after a verb of
//!   reaching ([`reached`]).

use super::Said;
use crate::normalize::{Kind, Normalized};

/// Nouns and verbs of money, banking products and documents about them, and goods on their
/// way ("when will the package come in" is no visit either).
pub(crate) fn is_money_word(w: &str) -> bool {
    matches!(
        w,
        "account"
            | "accounts"
            | "statement"
            | "statements"
            | "card"
            | "cards"
            | "payment"
            | "payments"
            | "transfer"
            | "transfers"
            | "transaction"
            | "transactions"
            | "debit"
            | "balance"
            | "salary"
            | "wage"
            | "wages"
            | "paycheck"
            | "money"
            | "cash"
            | "funds"
            | "invoice"
            | "bill"
            | "receipt"
            | "loan"
            | "mortgage"
            | "overdraft"
            | "credit"
            | "pin"
            | "password"
            | "banking"
            | "deposit"
            | "savings"
            | "cheque"
            | "refund"
            | "interest"
            | "limit"
            | "iban"
            | "wire"
            | "withdraw"
            | "withdrawal"
            | "pay"
            | "paid"
            | "charged"
            | "spent"
            | "owe"
            | "repay"
            | "repayment"
            // goods on their way
            | "package"
            | "parcel"
            | "delivery"
            | "shipment"
            | "mail"
            | "parts"
            | "order"
            | "orders"
    )
}

/// Nouns of a visit, a stay or a job at the business.
pub(super) fn is_visit_word(w: &str) -> bool {
    matches!(
        w,
        "appointment"
            | "appointments"
            | "appt"
            | "booking"
            | "bookings"
            | "reservation"
            | "reservations"
            | "room"
            | "rooms"
            | "suite"
            | "table"
            | "stay"
            | "night"
            | "nights"
            | "session"
            | "slot"
            | "visit"
            | "car"
            | "truck"
            | "vehicle"
            | "massage"
            | "spa"
            | "treatment"
            | "haircut"
            | "checkup"
            | "meeting"
            | "consultation"
    )
}

/// The sentence is about money, documents or goods and names no visit, nor a job on the menu: "did
/// my salary come in", "the earliest I can withdraw from my savings", "where is the money I
/// sent". Words that ask for a visit ("come in", "available", "earliest") say something else
/// there.
pub(super) fn money_talk(s: &Said) -> bool {
    !s.service_said
        && s.words.iter().any(|w| is_money_word(w))
        && !s.words.iter().any(|w| is_visit_word(w))
}

/// The thing the verb at word `k` acts on is money, a document or a purchase: "cancel my
/// credit card", "schedule a direct debit", "cancel a standing order", "cancel my order". Reads up to four words after the verb,
/// up to the first preposition (where the object ends).
pub(super) fn object_is_money(words: &[&str], k: usize) -> bool {
    for w in words.iter().skip(k + 1).take(4) {
        if is_visit_word(w) {
            return false;
        }
        if is_money_word(w) || matches!(*w, "subscription" | "membership") {
            return true;
        }
        if matches!(
            *w,
            "to" | "for"
                | "at"
                | "on"
                | "with"
                | "by"
                | "because"
                | "and"
                | "but"
                | "if"
                | "please"
        ) {
            return false;
        }
    }
    false
}

/// Word index of a byte position in the flat text (as `first_of` reports it).
pub(super) fn word_at(n: &Normalized, pos: usize) -> usize {
    n.flat.as_bytes()[..pos.min(n.flat.len())]
        .iter()
        .filter(|b| **b == b' ')
        .count()
}

/// The leftmost occurrence of any of the phrases for which `ok(first word, word after)`
/// holds. One automaton pass lists every occurrence, overlapping ones included.
pub(super) fn first_where(
    n: &Normalized,
    phrases: &[&str],
    ok: impl Fn(usize, usize) -> bool,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (at, i) in n.all_of(phrases) {
        if best.is_some_and(|b| b <= at) {
            continue;
        }
        let a = word_at(n, at);
        let len = phrases[i].bytes().filter(|c| *c == b' ').count() + 1;
        if ok(a, a + len) {
            best = Some(at);
        }
    }
    best
}

/// Punctuation that ends a clause.
fn is_clause_mark(t: &crate::normalize::Token) -> bool {
    t.kind == Kind::Punct && matches!(t.text.as_str(), "," | "." | "?" | "!" | ";" | ":")
}

/// Token index of the `k`-th word.
fn token_of_word(n: &Normalized, k: usize) -> Option<usize> {
    n.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != Kind::Punct)
        .nth(k)
        .map(|(i, _)| i)
}

/// Words that may follow a closing phrase in the same breath: "I have to go now", "take care,
/// bye", "that's all I needed, thanks".
fn is_closing_word(w: &str) -> bool {
    matches!(
        w,
        "now"
            | "bye"
            | "goodbye"
            | "thanks"
            | "thank"
            | "then"
            | "sorry"
            | "ok"
            | "okay"
            | "cheers"
            | "anyway"
            | "anyways"
            | "today"
            | "here"
            | "so"
            | "please"
            | "have"
            | "see"
            | "talk"
            | "guys"
            | "mate"
    )
}

/// Nothing but the end of the clause or a closing word follows: "take care!", "I have to go
/// now", not "take care of my car" or "have to go to the bank". `after` is the word index
/// just past the phrase.
pub(super) fn closes_clause(n: &Normalized, after: usize) -> bool {
    let Some(last) = after.checked_sub(1).and_then(|k| token_of_word(n, k)) else {
        return false;
    };
    match n.tokens.get(last + 1) {
        None => true,
        Some(t) if t.kind == Kind::Punct => true,
        Some(t) => {
            is_closing_word(&t.text)
                || (t.text == "for"
                    && n.tokens
                        .get(last + 2)
                        .is_some_and(|x| matches!(x.text.as_str(), "now" | "today" | "the")))
                || (t.text == "right" && n.tokens.get(last + 2).is_some_and(|x| x.text == "now"))
        }
    }
}

/// The phrase starting at word `k` opens its clause, after at most a filler: "so long!",
/// "ok so long", not "it takes so long".
pub(super) fn opens_clause(n: &Normalized, k: usize) -> bool {
    let Some(t) = token_of_word(n, k) else {
        return false;
    };
    let mut i = t;
    let mut fillers = 0;
    while i > 0 {
        let prev = &n.tokens[i - 1];
        if is_clause_mark(prev) {
            return true;
        }
        let filler = matches!(
            prev.text.as_str(),
            "ok" | "okay" | "well" | "alright" | "right" | "anyway" | "oh" | "um" | "uh"
        );
        if !filler || fillers == 1 {
            return false;
        }
        fillers += 1;
        i -= 1;
    }
    true
}

/// Words that make a clause opening with an auxiliary a question: "is *my* card all set",
/// "does *the* blue one sound good" (not "would be great", "is fine").
fn is_subject_word(w: &str) -> bool {
    matches!(
        w,
        "i" | "you"
            | "we"
            | "they"
            | "he"
            | "she"
            | "it"
            | "that"
            | "this"
            | "there"
            | "my"
            | "your"
            | "the"
            | "a"
            | "an"
            | "our"
            | "his"
            | "her"
            | "their"
            | "these"
            | "those"
            | "everything"
            | "anything"
            | "yall"
    )
}

/// The clause holding word `k` is a question: it opens with a question word ("which", "what",
/// "how", ...) or with an auxiliary and a subject ("is my card ...", "does that ..."). A
/// question mark alone does not make one: "that is correct and tell me where they are?"
/// still says yes.
pub(super) fn in_question(n: &Normalized, k: usize) -> bool {
    let Some(t) = token_of_word(n, k) else {
        return false;
    };
    let start = n.tokens[..t]
        .iter()
        .rposition(is_clause_mark)
        .map_or(0, |i| i + 1);
    let end = n.tokens[t..].iter().position(is_clause_mark).map(|i| t + i);
    let mut words = n.tokens[start..end.unwrap_or(n.tokens.len())]
        .iter()
        .filter(|t| t.kind != Kind::Punct)
        .map(|t| t.text.as_str());
    let (Some(a), b) = (words.next(), words.next()) else {
        return false;
    };
    let wh = matches!(
        a,
        "which" | "what" | "whats" | "where" | "wheres" | "when" | "how" | "who" | "why"
    );
    let aux = matches!(
        a,
        "is" | "are"
            | "does"
            | "do"
            | "did"
            | "can"
            | "could"
            | "will"
            | "would"
            | "should"
            | "shall"
            | "may"
            | "was"
            | "were"
            | "has"
            | "have"
    );
    wh || (aux && b.is_some_and(is_subject_word))
}

/// Verbs and words that reach for someone: "speak to", "get me", "I need", "put ... on".
fn is_reach_word(w: &str) -> bool {
    matches!(
        w,
        "speak"
            | "talk"
            | "chat"
            | "get"
            | "give"
            | "want"
            | "wanna"
            | "need"
            | "like"
            | "prefer"
            | "rather"
            | "have"
            | "put"
            | "transfer"
            | "connect"
            | "pass"
            | "reach"
            | "call"
            | "contact"
            | "see"
            | "deal"
            | "with"
            | "there"
    )
}

/// A person word at word `k` ("a person", "the manager", "someone else", "front desk") is
/// asked for: a verb of reaching comes just before it ("can I speak to the manager", "get me
/// someone else"), or it is the whole message ("operator", "front desk please"). Not "someone
/// else used my card", "a person at the branch told me", "I'm the owner of the account".
pub(super) fn reached(s: &Said, k: usize) -> bool {
    s.nwords <= 3
        || s.words[k.saturating_sub(4)..k]
            .iter()
            .any(|w| is_reach_word(w))
}

/// Word range of the clause holding word `k` (clauses end at , . ? ! ; :).
pub(super) fn clause_of(n: &Normalized, k: usize) -> std::ops::Range<usize> {
    let (mut start, mut w) = (0, 0);
    for t in &n.tokens {
        if is_clause_mark(t) {
            if w > k {
                return start..w;
            }
            start = w;
        } else if t.kind != Kind::Punct {
            w += 1;
        }
    }
    start..w
}

/// A word that says when: a weekday or month, a number, "tomorrow", "morning", "later".
pub(super) fn is_when_word(w: &str) -> bool {
    crate::is_time_word(w)
        || w.starts_with(|c: char| c.is_ascii_digit())
        || matches!(
            w,
            "today"
                | "tomorrow"
                | "tonight"
                | "morning"
                | "afternoon"
                | "evening"
                | "noon"
                | "week"
                | "weekend"
                | "next"
                | "earlier"
                | "later"
                | "sooner"
                | "am"
                | "pm"
                | "oclock"
        )
}

/// The caller is the subject of the phrase at word `a`: "I'll have a look", "we have time",
/// "can I come in", "let me take a look".
pub(super) fn caller_subject(words: &[&str], a: usize) -> bool {
    words[a.saturating_sub(2)..a].iter().any(|w| {
        matches!(
            *w,
            "i" | "ill" | "id" | "im" | "ive" | "we" | "well" | "wed" | "me" | "lets"
        )
    })
}

/// Someone who serves, or a place that does: "dentist(s)", "pediatrician", "chiropractor",
/// "stylist", "salon", "doctor's office". Trades end in -ist or -ian; longer -or words are
/// practitioners ("counselor", "chiropractor").
pub(super) fn serves(w: &str) -> bool {
    let w = w.strip_suffix('s').filter(|r| r.len() >= 3).unwrap_or(w);
    (w.len() >= 6 && (w.ends_with("ist") || w.ends_with("ian")))
        || (w.len() >= 8 && w.ends_with("or"))
        || is_visit_word(w)
        || matches!(
            w,
            "doctor"
                | "dr"
                | "doc"
                | "gp"
                | "ent"
                | "surgeon"
                | "nurse"
                | "vet"
                | "hairdresser"
                | "barber"
                | "masseuse"
                | "mechanic"
                | "salon"
                | "clinic"
                | "shop"
                | "garage"
                | "office"
                | "someone"
                | "somebody"
                | "person"
                | "professional"
                | "provider"
                | "advisor"
                | "adviser"
                | "hospital"
                | "practice"
        )
}
