//! The report of an eval run: per-field scores with their misses, per-intent recall and
//! precision, rendered as text or JSON.

use super::*;

/// One miss, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub id: String,
    pub text: String,
    pub expected: Value,
    pub got: Value,
}

/// Right and total for one field, with its misses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldScore {
    pub right: usize,
    pub total: usize,
    pub misses: Vec<Miss>,
}

impl FieldScore {
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
}

/// Counts for one intent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntentScore {
    /// Cases listing the intent, and how many of them produced it.
    pub expected: usize,
    pub recalled: usize,
    /// On `intents_complete` cases: produced and right, produced and wrong.
    pub true_pos: usize,
    pub false_pos: usize,
}

/// The scores of one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub cases: usize,
    /// Field name ("time", "date", "clock", "no_time", "latent", "name", "service", "vehicle",
    /// "urgency", "phone", "intents") → score; "intents" counts cases whose listed intents
    /// were all produced.
    pub fields: BTreeMap<String, FieldScore>,
    pub intents: BTreeMap<String, IntentScore>,
    /// False positives of intents on complete cases, with text, for the misses list.
    pub intent_false_pos: Vec<Miss>,
}

/// Misses listed per field in the text report.
const MISSES_SHOWN: usize = 12;

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "   -  ".to_string()
    } else {
        format!("{:5.1}%", 100.0 * a as f64 / b as f64)
    }
}

impl Report {
    /// Intent recall over all listed intents (micro average).
    pub fn intent_recall(&self) -> (usize, usize) {
        self.intents
            .values()
            .fold((0, 0), |(r, e), s| (r + s.recalled, e + s.expected))
    }

    /// Intent precision on complete cases (micro average).
    pub fn intent_precision(&self) -> (usize, usize) {
        self.intents.values().fold((0, 0), |(t, p), s| {
            (t + s.true_pos, p + s.true_pos + s.false_pos)
        })
    }

    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "cases: {}", self.cases);
        let _ = writeln!(out, "\nfield        right / total  accuracy");
        for (name, f) in &self.fields {
            let _ = writeln!(
                out,
                "{name:<12} {:>5} / {:<5}  {}",
                f.right,
                f.total,
                pct(f.right, f.total)
            );
        }
        if !self.intents.is_empty() {
            let (r, e) = self.intent_recall();
            let (tp, p) = self.intent_precision();
            let _ = writeln!(
                out,
                "\nintent       recall             precision (complete cases)"
            );
            for (name, s) in &self.intents {
                let _ = writeln!(
                    out,
                    "{name:<12} {:>4}/{:<4} {}   {:>4}/{:<4} {}",
                    s.recalled,
                    s.expected,
                    pct(s.recalled, s.expected),
                    s.true_pos,
                    s.true_pos + s.false_pos,
                    pct(s.true_pos, s.true_pos + s.false_pos)
                );
            }
            let _ = writeln!(
                out,
                "{:<12} {:>4}/{:<4} {}   {:>4}/{:<4} {}",
                "all",
                r,
                e,
                pct(r, e),
                tp,
                p,
                pct(tp, p)
            );
        }
        for (name, f) in &self.fields {
            if f.misses.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "\nmisses: {name} ({} of {}, first {})",
                f.misses.len(),
                f.total,
                f.misses.len().min(MISSES_SHOWN)
            );
            for m in f.misses.iter().take(MISSES_SHOWN) {
                let _ = writeln!(
                    out,
                    "  {}  {:?}\n      expected {}  got {}",
                    m.id, m.text, m.expected, m.got
                );
            }
        }
        if !self.intent_false_pos.is_empty() {
            let _ = writeln!(
                out,
                "\nfalse intents on complete cases ({}, first {})",
                self.intent_false_pos.len(),
                self.intent_false_pos.len().min(MISSES_SHOWN)
            );
            for m in self.intent_false_pos.iter().take(MISSES_SHOWN) {
                let _ = writeln!(
                    out,
                    "  {}  {:?}\n      expected {}  got {}",
                    m.id, m.text, m.expected, m.got
                );
            }
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let fields: Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, f)| {
                (
                    k.clone(),
                    json!({
                        "right": f.right,
                        "total": f.total,
                        "accuracy": f.accuracy(),
                        "misses": f.misses.iter().map(|m| json!({
                            "id": m.id, "text": m.text, "expected": m.expected, "got": m.got
                        })).collect::<Vec<_>>(),
                    }),
                )
            })
            .collect();
        let intents: Map<String, Value> = self
            .intents
            .iter()
            .map(|(k, s)| {
                (
                    k.clone(),
                    json!({
                        "expected": s.expected,
                        "recalled": s.recalled,
                        "true_pos": s.true_pos,
                        "false_pos": s.false_pos,
                    }),
                )
            })
            .collect();
        let (r, e) = self.intent_recall();
        let (tp, p) = self.intent_precision();
        json!({
            "cases": self.cases,
            "fields": fields,
            "intents": intents,
            "intent_recall": if e == 0 { Value::Null } else { json!(r as f64 / e as f64) },
            "intent_precision": if p == 0 { Value::Null } else { json!(tp as f64 / p as f64) },
        })
    }
}
