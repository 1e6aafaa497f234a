//! The caller's name: "this is Sam", "my name's Dana Li", "it's under Pat Garcia", "Madelene
//! Abson is my name", or a bare name right after the assistant asked for one. A name is one to
//! three words that are not common English words; capitalisation is trusted when the caller
//! uses it and not required when they write all in lowercase.

use crate::normalize::{Kind, Normalized};
use crate::{Asked, Context};

mod forms;
mod stop;

use forms::*;
use stop::*;

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
    if asked && let Some(name) = forms::named_for_someone(n) {
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
                let Some(mut e) = phrase_at(n, i, p) else {
                    continue;
                };
                // "the name's actually John Parks": a filler after a naming phrase.
                if matches!(p.last(), Some(&"is" | &"names"))
                    && matches!(n.text_at(e), "actually" | "really" | "just")
                {
                    e += 1;
                }
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
        // "sure thing", "ok cool": a yes and a lowercase word right after it, with no pause
        // between, is one answer ("sure, sam lee" and "sure Sam Lee" still name someone).
        let yes_then_word = i > 0
            && matches!(n.text_at(i - 1), "yes" | "yeah" | "sure" | "ok" | "okay")
            && n.tok(i).is_some_and(|t| !t.capital);
        if !yes_then_word && let Some((name, _)) = read_name(n, i, false) {
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
mod tests;
