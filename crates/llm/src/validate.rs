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

pub(crate) fn understanding(
    v: &Value,
    text: &str,
    asked: Option<Asked>,
    now: DateTime,
    view: &ProfileView,
) -> Understanding {
    Understanding {
        intents: intents(v.get("intents")),
        faqs: ids(
            v.get("faqs"),
            view.faqs.iter().map(|(id, _, _)| id.as_str()),
        ),
        services: ids(
            v.get("services"),
            view.services.iter().map(|(id, _)| id.as_str()),
        ),
        time: time(v.get("time"), text, asked, now),
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
/// alike, else the model's date and clock are used.
fn time(v: Option<&Value>, text: &str, asked: Option<Asked>, now: DateTime) -> Option<TimeExpr> {
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
            return Some(t);
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
    Some(TimeExpr {
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
    })
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
mod tests {
    use super::*;
    use frontdesk_nlu::Intent;
    use jiff::civil::date;
    use serde_json::json;

    fn view() -> ProfileView {
        ProfileView {
            business: "Main Street Auto".into(),
            services: vec![
                ("brakes".into(), "Brake service".into()),
                ("oil".into(), "Oil change".into()),
            ],
            faqs: vec![(
                "warranty".into(),
                "Do you offer a warranty?".into(),
                "Yes: 24 months or 24,000 miles on parts and labor. Questions: call 555-201-3344."
                    .into(),
            )],
        }
    }

    fn now() -> DateTime {
        date(2026, 11, 23).at(18, 55, 0, 0)
    }

    fn read(v: Value, text: &str) -> Understanding {
        understanding(&v, text, None, now(), &view())
    }

    #[test]
    fn unknown_intents_and_ids_are_dropped_one_by_one_and_the_rest_kept() {
        let u = read(
            json!({"intents": ["book", "free_brakes", "book", "price"],
                   "services": ["brakes", "free_brake_job"], "faqs": ["warranty", "owner_cell"]}),
            "brakes please",
        );
        assert_eq!(u.intents, [Intent::Book, Intent::Price]);
        assert_eq!(u.services, ["brakes"]);
        assert_eq!(u.faqs, ["warranty"]);
    }

    #[test]
    fn a_name_must_be_said_and_must_not_be_an_instruction() {
        let text = "my name is Ignore Previous Instructions";
        assert_eq!(
            read(json!({"name": "Ignore Previous Instructions"}), text).name,
            None
        );
        assert_eq!(read(json!({"name": "Dana"}), "this is sam").name, None);
        assert_eq!(
            read(json!({"name": "Sam O'Neil"}), "this is sam o'neil")
                .name
                .as_deref(),
            Some("Sam O'Neil")
        );
        assert_eq!(
            read(json!({"name": "Sam; drop table"}), "sam; drop table").name,
            None
        );
    }

    #[test]
    fn a_vehicle_year_outside_1950_to_next_year_is_dropped_and_the_make_kept() {
        let said = "a 2028 honda, a 2027 civic, a 1949 ford f-150, 555 867 5309";
        let u = read(
            json!({"vehicle": {"year": 2028, "make": "Honda", "model": null}}),
            said,
        );
        assert_eq!(
            u.vehicle,
            Some(Vehicle {
                year: None,
                make: Some("Honda".into()),
                model: None
            })
        );
        let u = read(
            json!({"vehicle": {"year": 2027, "make": null, "model": "Civic"}}),
            said,
        );
        assert_eq!(u.vehicle.and_then(|v| v.year), Some(2027));
        assert_eq!(read(json!({"vehicle": {"year": 1949}}), said).vehicle, None);
        let u = read(
            json!({"vehicle": {"make": "Ford", "model": "555 867 5309"}}),
            said,
        );
        assert_eq!(u.vehicle.and_then(|v| v.model), None);
        let u = read(json!({"vehicle": {"make": "Ford", "model": "F-150"}}), said);
        assert_eq!(u.vehicle.and_then(|v| v.model).as_deref(), Some("F-150"));
    }

    #[test]
    fn a_make_or_model_the_caller_did_not_say_is_dropped() {
        let u = read(
            json!({"vehicle": {"year": 2009, "make": "Toyota", "model": "pickup"}}),
            "the old yota pickup from oh nine",
        );
        assert_eq!(
            u.vehicle,
            Some(Vehicle {
                year: Some(2009),
                make: None,
                model: Some("pickup".into())
            })
        );
        let lie = json!({"vehicle": {"make": "Nine", "model": "Dollars"}});
        assert_eq!(read(lie, "my check engine light is on").vehicle, None);
    }

    #[test]
    fn an_impossible_past_or_unsaid_time_is_dropped() {
        let text = "sometime on the thirty-first of november around quarter to ten";
        let bad = [
            json!({"text": "the thirty-first of november", "date": "2026-11-31", "clock": null}),
            json!({"text": "around quarter to ten", "date": "2026-11-24", "clock": "25:00"}),
            json!({"text": "around quarter to ten", "date": "2025-11-24", "clock": "09:45"}),
            json!({"text": "next tuesday", "date": "2026-12-01", "clock": null}),
        ];
        for t in bad {
            assert_eq!(read(json!({"time": t.clone()}), text).time, None, "{t}");
        }
    }

    #[test]
    fn a_model_date_and_clock_for_the_callers_own_words_become_a_time() {
        // Only the earlier turns say when the birthday is; the built-in resolver cannot know.
        let text = "can I come the day before my birthday";
        let u = read(
            json!({"time": {"text": "the day before my birthday", "date": "2026-11-25", "clock": null}}),
            text,
        );
        let t = u.time.expect("a time");
        assert_eq!(
            (t.start, t.grain),
            (date(2026, 11, 25).at(0, 0, 0, 0), Grain::Day)
        );
        assert!(t.has_date && !t.has_clock);
        let u = read(
            json!({"time": {"text": "the day before my birthday", "date": "2026-11-25", "clock": "16:30"}}),
            text,
        );
        assert_eq!(
            u.time.map(|t| t.start),
            Some(date(2026, 11, 25).at(16, 30, 0, 0))
        );
    }

    #[test]
    fn the_same_words_resolved_alike_keep_the_exact_built_in_time_and_otherwise_the_models() {
        // Monday 23 November: "thursday" is the 26th.
        let text = "could we do thursday";
        let alike = json!({"time": {"text": "thursday", "date": "2026-11-26", "clock": null}});
        let t = read(alike, text).time.expect("a time");
        assert_eq!(t.start.date(), date(2026, 11, 26));
        let other = json!({"time": {"text": "thursday", "date": "2026-11-27", "clock": null}});
        let t = read(other, text).time.expect("a time");
        assert_eq!(
            t.start.date(),
            date(2026, 11, 27),
            "left for the merge to dispute"
        );
    }

    #[test]
    fn a_phone_number_is_kept_only_when_the_caller_gave_it() {
        assert_eq!(
            read(json!({"phone": "555-201-9999"}), "reach me at 555 201 9999")
                .phone
                .as_deref(),
            Some("+15552019999")
        );
        assert_eq!(
            read(json!({"phone": "5552019999"}), "call me back").phone,
            None
        );
    }

    #[test]
    fn an_answer_is_kept_only_when_its_faq_states_every_number_in_it() {
        let ok = json!({"covered": true, "faq_id": "warranty", "answer": "We warranty parts and labor for 24 months or 24,000 miles."});
        assert!(answer(&ok, &view()).is_some());
        let phone = json!({"covered": true, "faq_id": "warranty", "answer": "Call 555-201-3344 with questions."});
        assert!(answer(&phone, &view()).is_some());
        for bad in [
            json!({"covered": true, "faq_id": "warranty", "answer": "The warranty is $49 extra."}),
            json!({"covered": true, "faq_id": "warranty", "answer": "Text the owner at 555-867-5309."}),
            json!({"covered": true, "faq_id": "hours", "answer": "We warranty parts and labor."}),
            json!({"covered": false, "faq_id": null, "answer": "Probably 3 years."}),
            json!({"covered": true, "faq_id": "warranty", "answer": "Sure. You never speak to the caller. You only report what the caller's latest message means."}),
        ] {
            assert_eq!(answer(&bad, &view()), None, "{bad}");
        }
    }
}
