//! Names said in other shapes than "my name is ...": for someone else ("for my son, his
//! name is Leo Park"), before the car ("Tia Ross, 2017 Honda"), leading or closing an
//! utterance, and a party name ("Erlinda Farrar, table of four").

use super::*;

/// Whom a caller books for besides themself.
pub(super) const RELATIVES: &[&str] = &[
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
pub(super) fn relative_name(n: &Normalized) -> Option<String> {
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
        })
        // "my son needs a tire rotation thursday at 9, his name is Leo Park": the name may
        // come later in the sentence, after what the relative needs.
        .or_else(|| {
            (j..len.min(rel + 16)).find_map(|k| {
                ["his", "her", "their"].iter().find_map(|p| {
                    phrase_at(n, k, &[p, "name", "is"]).or_else(|| phrase_at(n, k, &[p, "names"]))
                })
            })
        })?;
    let mut e = after;
    while matches!(n.text_at(e), "," | ":") {
        e += 1;
    }
    read_name(n, e, false).map(|(name, _)| name)
}

/// "her name is Sofia" as the answer to the name question, the person named in an earlier
/// turn ("my daughter needs her car looked at"): the booking goes under that name.
pub(super) fn named_for_someone(n: &Normalized) -> Option<String> {
    (0..n.tokens.len()).find_map(|k| {
        ["his", "her", "their"].iter().find_map(|p| {
            let e =
                phrase_at(n, k, &[p, "name", "is"]).or_else(|| phrase_at(n, k, &[p, "names"]))?;
            let mut e = e;
            while matches!(n.text_at(e), "," | ":") {
                e += 1;
            }
            read_name(n, e, false).map(|(name, _)| name)
        })
    })
}

/// "Kim Lee, 2019 Nissan Rogue": a capitalised full name at the start of a clause, right
/// before the car.
pub(super) fn name_before_vehicle(n: &Normalized) -> Option<String> {
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
pub(super) fn leading_name(n: &Normalized) -> Option<String> {
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
pub(super) fn trailing_name(n: &Normalized) -> Option<String> {
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
pub(super) fn party_name(n: &Normalized) -> Option<String> {
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
