//! What the model heard beyond the typed [`Understanding`]: that the caller corrected a time
//! or a service said before ("Wednesday, oh shoot, Thursday works better"; "brakes, scratch
//! that, an oil change"), which of the times just offered they chose ("whichever is after two
//! thirty"), that they asked about a car already at the shop, that they complained about work
//! done, and that they speak Spanish. Each is read on its own and only kept when it fits the
//! rest of the report: a correction needs the new value in the reading (and a time correction
//! a time the built-in resolver read from the model's own words), a pick is a number from one
//! to four. None of them books, moves or cancels anything: a pick leads to a read-back the caller
//! must say yes to; a status question, a complaint and a Spanish caller go to a person.

use frontdesk_nlu::Understanding;
use serde_json::Value;

/// Which part of the request a correction changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrects {
    Time,
    Service,
}

/// The model's signals, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// The caller changed a time or a service said before; the new one is in the reading.
    pub corrects: Option<Corrects>,
    /// Which of the times the assistant just offered the caller chose, counting from 1.
    pub pick: Option<u8>,
    /// A question about a car already at the shop ("you've had my Camry since Monday").
    pub status: bool,
    /// A complaint or billing dispute about work already done.
    pub complaint: bool,
    /// The caller speaks Spanish.
    pub spanish: bool,
}

impl Signals {
    /// The signals as a few words for the transcript; `None` when there are none.
    pub fn to_json(&self) -> Option<Value> {
        let mut v = serde_json::Map::new();
        if let Some(c) = self.corrects {
            let slot = match c {
                Corrects::Time => "time",
                Corrects::Service => "service",
            };
            v.insert("corrects".into(), slot.into());
        }
        if let Some(p) = self.pick {
            v.insert("pick".into(), p.into());
        }
        for (key, on) in [
            ("status_question", self.status),
            ("complaint", self.complaint),
            ("spanish", self.spanish),
        ] {
            if on {
                v.insert(key.into(), true.into());
            }
        }
        (!v.is_empty()).then_some(Value::Object(v))
    }
}

/// A model's whole reading: the typed understanding and its signals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    pub understanding: Understanding,
    pub signals: Signals,
}

/// Reads the signals of a report whose understanding `u` is already validated. `time_by_words`:
/// the reading's time is the built-in resolution of the model's own words for it.
pub(crate) fn read(v: &Value, u: &Understanding, time_by_words: bool) -> Signals {
    let flag = |key: &str| v.get(key).and_then(Value::as_bool) == Some(true);
    let word = |key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_lowercase())
    };
    let corrects = match word("corrects").as_deref() {
        Some("time") if u.time.is_some() && time_by_words => Some(Corrects::Time),
        Some("service") if !u.services.is_empty() => Some(Corrects::Service),
        _ => None,
    };
    Signals {
        corrects,
        pick: v
            .get("pick")
            .and_then(Value::as_u64)
            .filter(|n| (1..=4).contains(n))
            .and_then(|n| u8::try_from(n).ok()),
        status: flag("status_question"),
        complaint: flag("complaint"),
        spanish: matches!(word("language").as_deref(), Some("es" | "spanish")),
    }
}

/// The caller's words as lower-case words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Where `part`'s words first occur, as whole words, in `text`'s (a word index).
fn position(text: &[String], part: &str) -> Option<usize> {
    let part = words(part);
    if part.is_empty() || part.len() > text.len() {
        return None;
    }
    text.windows(part.len()).position(|w| w == part.as_slice())
}

/// Whether the words of `new` come after those of `old` in what the caller said: within one
/// message the last stated choice stands.
pub(crate) fn said_after(text: &str, new: &str, old: &str) -> bool {
    let said = words(text);
    match (position(&said, new), position(&said, old)) {
        (Some(n), Some(o)) => n > o,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_correction_needs_the_new_value_in_the_reading() {
        let none = Understanding::default();
        let v = json!({"corrects": "time"});
        assert_eq!(read(&v, &none, true).corrects, None);
        let v = json!({"corrects": "service"});
        assert_eq!(read(&v, &none, true).corrects, None);
        let oil = Understanding {
            services: vec!["oil".into()],
            ..Understanding::default()
        };
        assert_eq!(read(&v, &oil, false).corrects, Some(Corrects::Service));
        assert_eq!(
            read(&json!({"corrects": "price"}), &oil, true).corrects,
            None
        );
    }

    #[test]
    fn a_pick_is_one_to_four_and_the_flags_are_booleans() {
        let u = Understanding::default();
        assert_eq!(read(&json!({"pick": 2}), &u, false).pick, Some(2));
        assert_eq!(read(&json!({"pick": 0}), &u, false).pick, None);
        assert_eq!(read(&json!({"pick": 9}), &u, false).pick, None);
        assert_eq!(read(&json!({"pick": "2"}), &u, false).pick, None);
        let s = read(
            &json!({"status_question": true, "complaint": "yes", "language": "ES"}),
            &u,
            false,
        );
        assert!(s.status && !s.complaint && s.spanish);
        assert!(!read(&json!({"language": "en"}), &u, false).spanish);
    }

    #[test]
    fn the_last_stated_choice_is_the_one_said_after() {
        let text = "wednesday morning, oh shoot, Thursday morning works better";
        assert!(said_after(text, "thursday morning", "Wednesday morning"));
        assert!(!said_after(text, "wednesday morning", "thursday morning"));
        assert!(!said_after(text, "friday", "wednesday"));
    }
}
