//! Turns the model's JSON report into an [`Understanding`], one field at a time: each field is
//! read on its own, so a bad one is dropped alone and the rest is kept. A field survives only
//! when it names something the profile has (service and FAQ ids, the fourteen intents), is
//! grounded in what the caller actually said (a name, a time's words, a phone number, a car's
//! make, model and year) and is
//! plausible (a real future date and clock time, a vehicle year in 1950..=next year, a mileage
//! under a million, a name that is not an instruction). The FAQ answer is checked the same way:
//! it must cite one of the profile's FAQs and state no amount, time, date or phone number that
//! FAQ does not, and must not repeat the prompt.

use frontdesk_nlu::{
    Asked, Bound, Context, Grain, Lexicon, TimeExpr, Understanding, Urgency, Vehicle,
};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use serde_json::Value;

use crate::ProfileView;
use crate::prompt::{INTENTS, leaks_prompt};
use crate::signals::Reading;
use frontdesk_nlu::claims::claims;

/// Words that make a "name" an instruction or a trick rather than a person's name.
const NOT_NAME_WORDS: &[&str] = &[
    "ignore",
    "ignoring",
    "previous",
    "prior",
    "instruction",
    "instructions",
    "prompt",
    "system",
    "assistant",
    "developer",
    "admin",
    "administrator",
    "override",
    "disregard",
    "forget",
    "rules",
    "jailbreak",
    "pretend",
    "free",
    "discount",
    "price",
    "prices",
    "book",
    "cancel",
    "appointment",
    "appointments",
    "model",
    "ai",
    "bot",
    "you",
    "your",
    "me",
    "my",
    "all",
    "above",
    "below",
    "reveal",
    "repeat",
    "owner",
    "number",
    "phone",
    "cell",
    "null",
    "none",
    "unknown",
    "caller",
    "customer",
    "name",
];

/// Words no person's name contains but an injected instruction does; a name holding one is
/// dropped even when the built-in layer read it.
const INSTRUCTION_WORDS: &[&str] = &[
    "ignore",
    "previous",
    "instruction",
    "instructions",
    "prompt",
    "system",
    "assistant",
    "disregard",
    "override",
    "jailbreak",
    "developer",
];

/// Whether a "name" is really an instruction ("Ignore Previous Instructions").
pub(crate) fn is_instruction(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| INSTRUCTION_WORDS.contains(&w.as_str()))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn collapsed(text: &str) -> String {
    words(text).join(" ")
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
pub(crate) fn understanding(
    v: &Value,
    text: &str,
    asked: Option<Asked>,
    now: DateTime,
    view: &ProfileView,
) -> Understanding {
    reading(v, text, asked, now, view).understanding
}

/// The model's whole report, validated: the typed understanding and the signals beside it
/// (see [`crate::signals`]).
pub(crate) fn reading(
    v: &Value,
    text: &str,
    asked: Option<Asked>,
    now: DateTime,
    view: &ProfileView,
) -> Reading {
    let time = time(v.get("time"), text, asked, now);
    let by_words = time.as_ref().is_some_and(|(_, by_words)| *by_words);
    let understanding = Understanding {
        intents: intents(v.get("intents")),
        faqs: ids(
            v.get("faqs"),
            view.faqs.iter().map(|(id, _, _)| id.as_str()),
        ),
        services: ids(
            v.get("services"),
            view.services.iter().map(|(id, _)| id.as_str()),
        ),
        time: time.map(|(t, _)| t),
        name: name(v.get("name"), text),
        vehicle: vehicle(v.get("vehicle"), text, now),
        mileage: v
            .get("mileage")
            .and_then(Value::as_u64)
            .filter(|m| (1..1_000_000).contains(m))
            .map(|m| m as u32),
        phone: phone(v.get("phone"), text),
        urgency: match v.get("urgency").and_then(Value::as_str) {
            Some("emergency") => Urgency::Emergency,
            Some("upset") => Urgency::Upset,
            _ => Urgency::Normal,
        },
    };
    let signals = crate::signals::read(v, &understanding, by_words);
    Reading {
        understanding,
        signals,
    }
}

fn strings(v: Option<&Value>) -> impl Iterator<Item = &str> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::trim)
}

fn intents(v: Option<&Value>) -> Vec<frontdesk_nlu::Intent> {
    let mut out = Vec::new();
    for s in strings(v) {
        if let Some((i, _)) = INTENTS.iter().find(|(_, n)| n.eq_ignore_ascii_case(s))
            && !out.contains(i)
        {
            out.push(*i);
        }
    }
    out
}

fn ids<'a>(v: Option<&Value>, known: impl Iterator<Item = &'a str> + Clone) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in strings(v) {
        if known.clone().any(|k| k == s) && !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

/// A name the caller said: one to four words of letters, each found in the caller's text, none
/// of them an instruction word.
fn name(v: Option<&Value>, text: &str) -> Option<String> {
    let raw = v?.as_str()?.trim();
    if raw.is_empty() || raw.chars().count() > 40 {
        return None;
    }
    if !raw
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '.'))
    {
        return None;
    }
    let parts = words(raw);
    let said = words(text);
    let ok = (1..=4).contains(&parts.len())
        && parts.iter().all(|w| said.contains(w))
        && !parts.iter().any(|w| NOT_NAME_WORDS.contains(&w.as_str()));
    ok.then(|| raw.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A make or model: short, no instruction words, and at most four digits ("F-150", "2500HD"),
/// so no phone number can ride in it.
fn vehicle_word(v: Option<&Value>) -> Option<String> {
    let s = v?.as_str()?.trim();
    let ok = !s.is_empty()
        && s.chars().filter(char::is_ascii_digit).count() <= 4
        && s.chars().count() <= 30
        && s.split_whitespace().count() <= 3
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '\''))
        && !words(s)
            .iter()
            .any(|w| NOT_NAME_WORDS.contains(&w.as_str()));
    ok.then(|| s.to_string())
}

/// A make or model the caller said: every word of it is one of theirs ("yota" read as
/// "Toyota" is the built-in reading's to make; a make out of nowhere is dropped).
fn said_word(v: Option<&Value>, text: &str) -> Option<String> {
    let word = vehicle_word(v)?;
    let said = format!(" {} ", collapsed(text));
    said.contains(&format!(" {} ", collapsed(&word)))
        .then_some(word)
}

fn vehicle(v: Option<&Value>, text: &str, now: DateTime) -> Option<Vehicle> {
    let v = v?;
    let next_year = i64::from(now.year()) + 1;
    let vehicle = Vehicle {
        year: v
            .get("year")
            .and_then(Value::as_i64)
            .filter(|y| (1950..=next_year).contains(y))
            .map(|y| y as i32)
            .filter(|y| crate::year::said(*y, text)),
        make: said_word(v.get("make"), text),
        model: said_word(v.get("model"), text),
    };
    (vehicle != Vehicle::default()).then_some(vehicle)
}

/// A phone number the caller said or typed, as E.164 (US/Canada for ten digits).
fn phone(v: Option<&Value>, text: &str) -> Option<String> {
    let d = digits(v?.as_str()?);
    let national = match d.len() {
        10 => d,
        11 if d.starts_with('1') => d[1..].to_string(),
        _ => return None,
    };
    digits(text)
        .contains(&national)
        .then(|| format!("+1{national}"))
}

fn clock(s: &str) -> Option<(i8, i8)> {
    let (h, m) = s.trim().split_once(':')?;
    let m = m.get(..2)?;
    let h: i8 = h.parse().ok().filter(|h| (0..=23).contains(h))?;
    let m: i8 = m.parse().ok().filter(|m| (0..=59).contains(m))?;
    Some((h, m))
}

/// The time the caller said. Its words must be in the caller's text (unless the assistant had
/// just asked for a time or date and the report carries no words). The model's date and clock
/// must be real, not in the past and within a year, or the time is dropped; then the words
/// are read by the built-in resolver when it can (it is exact) and the model resolved them
/// alike, else the model's date and clock are used. The flag says which: `true` when the time
/// is the built-in resolution of the model's words (what a correction needs to stand).
fn time(
    v: Option<&Value>,
    text: &str,
    asked: Option<Asked>,
    now: DateTime,
) -> Option<(TimeExpr, bool)> {
    let v = v?.as_object()?;
    let words_said = v.get("text").and_then(Value::as_str).unwrap_or("").trim();
    let grounded = if words_said.is_empty() {
        matches!(asked, Some(Asked::Time | Asked::Date))
    } else {
        let said = collapsed(words_said);
        !said.is_empty() && format!(" {} ", collapsed(text)).contains(&format!(" {said} "))
    };
    if !grounded {
        return None;
    }
    // A date or clock the model gave must be real, or the whole time is dropped: a model that
    // reports an impossible time has misread the caller.
    let date = match v.get("date") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim().parse::<Date>().ok()?),
        Some(_) => return None,
    };
    let clock = match v.get("clock") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(clock(s)?),
        Some(_) => return None,
    };
    let today = now.date();
    if let Some(d) = date
        && (d < today || d > today.checked_add(366.days()).ok()?)
    {
        return None;
    }
    let source = if words_said.is_empty() {
        text
    } else {
        words_said
    };
    // A bare answer ("eight") is read as a time when the model reports it as one and gave no
    // date or clock of its own; otherwise the words are read as the caller's turn was, so that
    // "the one after" is not taken for one o'clock.
    let ctx = Context {
        now,
        asked: if date.is_none() && clock.is_none() {
            Some(asked.unwrap_or(Asked::Time))
        } else {
            asked
        },
    };
    if let Some(t) = frontdesk_nlu::understand(source, &ctx, &Lexicon::empty()).time {
        // The built-in resolution is exact (grain, bounds, exceptions) and kept, unless the
        // model resolved the same words to another day or clock: then the model's reading
        // stands as it is, and the merge finds the two readings disagree and asks.
        let other_day = date.is_some_and(|d| d != t.start.date());
        let other_clock = clock.is_some_and(|(h, m)| (h, m) != (t.start.hour(), t.start.minute()));
        if !(other_day || (t.has_clock && other_clock)) {
            return Some((t, true));
        }
    }
    let (start, grain) = match (date, clock) {
        (None, None) => return None,
        (Some(d), None) => (d.to_datetime(jiff::civil::Time::midnight()), Grain::Day),
        (Some(d), Some((h, m))) => (d.at(h, m, 0, 0), Grain::Minute),
        (None, Some((h, m))) => {
            let at = today.at(h, m, 0, 0);
            let at = if at < now {
                at.checked_add(1.day()).ok()?
            } else {
                at
            };
            (at, Grain::Minute)
        }
    };
    if grain == Grain::Minute && start < now {
        return None;
    }
    let t = TimeExpr {
        text: source.to_string(),
        start,
        grain,
        end: None,
        bound: Bound::Exact,
        has_date: date.is_some(),
        has_clock: clock.is_some(),
        asap: false,
        except_weekdays: Vec::new(),
        correction: false,
        latent: false,
    };
    Some((t, false))
}

/// The model's FAQ answer when it is grounded in one of the profile's FAQs.
pub(crate) fn answer(v: &Value, view: &ProfileView) -> Option<String> {
    if v.get("covered").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let id = v.get("faq_id")?.as_str()?.trim();
    let (_, question, source) = view.faqs.iter().find(|(fid, _, _)| fid == id)?;
    let said = v.get("answer")?.as_str()?.trim();
    if said.is_empty() || said.chars().count() > 600 || leaks_prompt(said) {
        return None;
    }
    let trusted = format!("{question}\n{source}");
    // Every phone-like digit run must be one the FAQ itself gives.
    let trusted_digits = digits(&trusted);
    for run in digit_runs(said) {
        if run.len() >= 7 && !trusted_digits.contains(&run) {
            return None;
        }
    }
    let known = claims(&trusted);
    claims(said)
        .iter()
        .all(|c| known.iter().any(|k| c.supported_by(k)))
        .then(|| said.to_string())
}

/// The model's summary of a conversation, when it states nothing the transcript does not: every
/// amount, time, date and phone-like number in it must be one the transcript gives.
pub(crate) fn summary(v: &Value, transcript: &str) -> Option<String> {
    let said = v.get("summary")?.as_str()?.trim();
    if said.is_empty() || said.chars().count() > 400 || leaks_prompt(said) || said.contains("http")
    {
        return None;
    }
    let trusted_digits = digits(transcript);
    for run in digit_runs(said) {
        if run.len() >= 7 && !trusted_digits.contains(&run) {
            return None;
        }
    }
    let known = claims(transcript);
    claims(said)
        .iter()
        .all(|c| known.iter().any(|k| c.supported_by(k)))
        .then(|| said.to_string())
}

/// Runs of digits joined by the separators phone numbers are written with.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+') && !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        runs.push(cur);
    }
    runs
}

#[cfg(test)]
mod tests;
