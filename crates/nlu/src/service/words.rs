//! Word lists the matcher consults: question fillers, everyday talk that never names a
//! service alone, FAQ keywords too common to count, and frequent words never read as slips.

use super::*;

/// Question words that say nothing about which FAQ is asked.
pub(super) const QUESTION_FILLER: &[&str] = &[
    "what", "how", "when", "where", "why", "which", "who", "have", "any", "or", "will", "would",
    "could", "should", "does", "did", "if", "there", "offer", "before",
];

/// Everyday words that may sit in a service alias ("pulling to the right", "brakes done") but
/// never name a service on their own.
pub(super) const COMMON_TALK: &[&str] = &[
    "right", "left", "done", "running", "feel", "feels", "balance", "set", "side", "one", "new",
    "check", "on", "off", "noise", "soft", "ride", "front", "rear", "change", "service", "light",
    "car", "test", "time", "start", "cam", "state", "annual", "full", "put", "replace", "floor",
    "pedal", "goes", "blowing", "hot", "cold", "not", "buy", "buying", "used", "before", "kit",
    "code", "read", "soon", "run", "out", "over", "care", "rough", "idle", "job", "wheel", "4",
    "timing", "four", "2", "two", "1", "3", "5", "6", "8",
];

/// A capitalised word inside a sentence ("his name is Walter Green") is a name, never a slip
/// of a service word ("water").
pub(super) fn proper_noun(n: &Normalized, pos: usize) -> bool {
    pos > 0
        && n.tok(pos).is_some_and(|t| t.capital)
        && !matches!(n.text_at(pos - 1), "." | "!" | "?")
}

/// Whether a (stemmed) word is everyday talk.
pub(super) fn self_common(w: &str) -> bool {
    static STEMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    STEMS
        .get_or_init(|| COMMON_TALK.iter().map(|c| stem(c)).collect())
        .iter()
        .any(|c| c == w)
}

/// Keywords too common to name a FAQ on their own.
pub(super) const WEAK_KEYWORDS: &[&str] = &[
    "make", "pay", "check", "wait", "ride", "covered", "approve", "truck", "drop", "work", "take",
    "card", "car", "service", "time", "parts", "part", "price",
];

/// Frequent words never treated as slips of a service word.
pub(super) const COMMON: &[&str] = &[
    "about",
    "after",
    "again",
    "appointment",
    "around",
    "because",
    "before",
    "could",
    "would",
    "should",
    "there",
    "their",
    "think",
    "thanks",
    "thank",
    "today",
    "tomorrow",
    "morning",
    "afternoon",
    "evening",
    "please",
    "really",
    "right",
    "since",
    "still",
    "where",
    "which",
    "while",
    "without",
    "hello",
    "sorry",
    "maybe",
    "great",
    "sounds",
    "friday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "saturday",
    "sunday",
    "there",
    "these",
    "those",
    "thing",
    "things",
    "somebody",
    "someone",
    "something",
    "price",
    "much",
    "cost",
    "honda",
    "toyota",
];
