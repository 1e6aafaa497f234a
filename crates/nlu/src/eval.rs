//! The scorer behind `frontdesk eval`: reads JSONL cases in the shared eval format (one caller
//! utterance, its reference clock, what was just asked, and the labels its source provides),
//! predicts with [`understand`](crate::understand), and scores field by field with the rules of
//! the eval README: per-intent recall (precision only on `intents_complete` cases), exact time
//! values (start, end, grain), date, clock, `no_time`, name, service, vehicle, urgency, phone.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::DateTime;
use serde_json::{Map, Value, json};

use crate::{Asked, Context, Grain, Intent, Lexicon, Understanding};

/// One eval case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub source: String,
    /// RFC 3339 with offset; resolved as its local wall-clock time.
    pub now: String,
    pub asked: Option<Asked>,
    pub text: String,
    pub expect: Value,
}

/// Reads a JSONL case file. Blank lines are skipped; any other malformed line is an error
/// naming the file and line.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, String> {
    let body = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read case file \"{}\": {e}", path.display()))?;
    parse_cases(&body, &path.display().to_string())
}

/// Parses JSONL case text; `origin` names the file in errors.
pub fn parse_cases(body: &str, origin: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let at = |msg: String| format!("{origin}:{}: {msg}", i + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| at(format!("invalid json: {e}")))?;
        let field = |k: &str| -> Result<String, String> {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| at(format!("missing string field \"{k}\"")))
        };
        let now = field("now")?;
        if parse_now(&now).is_none() {
            return Err(at(format!("invalid \"now\" \"{now}\"")));
        }
        let asked = match v.get("asked") {
            None | Some(Value::Null) => None,
            Some(a) => Some(
                serde_json::from_value::<Asked>(a.clone())
                    .map_err(|_| at(format!("unknown \"asked\" value {a}")))?,
            ),
        };
        let expect = v
            .get("expect")
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        if !expect.is_object() {
            return Err(at("\"expect\" is not an object".to_string()));
        }
        cases.push(Case {
            id: field("id")?,
            source: v
                .get("source")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            now,
            asked,
            text: field("text")?,
            expect,
        });
    }
    Ok(cases)
}

/// The local wall-clock time of an RFC 3339 stamp (the offset is dropped), and the offset in
/// seconds when one is given.
pub fn parse_now(s: &str) -> Option<(DateTime, Option<i32>)> {
    let s = s.trim();
    let civil = s.get(..19)?.parse::<DateTime>().ok()?;
    let rest = s.get(19..).unwrap_or("");
    let rest = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match rest {
        "" => None,
        "Z" | "z" => Some(0),
        r if r.len() == 6 => {
            let sign = if r.starts_with('-') { -1 } else { 1 };
            let h: i32 = r.get(1..3)?.parse().ok()?;
            let m: i32 = r.get(4..6)?.parse().ok()?;
            Some(sign * (h * 3600 + m * 60))
        }
        _ => None,
    };
    Some((civil, offset))
}

fn grain_name(g: Grain) -> &'static str {
    match g {
        Grain::Second => "second",
        Grain::Minute => "minute",
        Grain::Hour => "hour",
        Grain::Day => "day",
        Grain::Week => "week",
        Grain::Month => "month",
        Grain::Year => "year",
    }
}

fn fmt_dt(d: DateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

fn intent_name(i: Intent) -> String {
    serde_json::to_value(i)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What one case's text is understood as.
pub fn understand_case(case: &Case, lex: &Lexicon) -> Understanding {
    let (now, offset) =
        parse_now(&case.now).unwrap_or((DateTime::constant(2000, 1, 1, 0, 0, 0, 0), None));
    let ctx = Context {
        now,
        asked: case.asked,
    };
    crate::understand_with_offset(&case.text, &ctx, lex, offset)
}

/// The prediction for one case, in the shape of `expect`.
pub fn predict(case: &Case, lex: &Lexicon) -> Value {
    to_prediction(&case.id, &understand_case(case, lex))
}

fn to_prediction(id: &str, u: &Understanding) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert(
        "intents".into(),
        Value::Array(u.intents.iter().map(|i| json!(intent_name(*i))).collect()),
    );
    if !u.faqs.is_empty() {
        m.insert("faqs".into(), json!(u.faqs));
    }
    if let Some(t) = &u.time {
        let mut tm = Map::new();
        tm.insert("start".into(), json!(fmt_dt(t.start)));
        tm.insert("grain".into(), json!(grain_name(t.grain)));
        if let Some(e) = t.end {
            tm.insert("end".into(), json!(fmt_dt(e)));
        }
        m.insert("time".into(), Value::Object(tm));
        if t.latent {
            m.insert("latent".into(), json!(true));
        }
    }
    if let Some(n) = &u.name {
        m.insert("name".into(), json!(n));
    }
    if let Some(s) = u.services.first() {
        m.insert("service".into(), json!(s));
        if u.services.len() > 1 {
            m.insert("services".into(), json!(u.services));
        }
    }
    if let Some(v) = &u.vehicle {
        m.insert(
            "vehicle".into(),
            serde_json::to_value(v).unwrap_or(Value::Null),
        );
    }
    if let Some(mi) = u.mileage {
        m.insert("mileage".into(), json!(mi));
    }
    if let Some(p) = &u.phone {
        m.insert("phone".into(), json!(p));
    }
    let urgency = match u.urgency {
        crate::Urgency::Normal => "normal",
        crate::Urgency::Upset => "upset",
        crate::Urgency::Emergency => "emergency",
    };
    m.insert("urgency".into(), json!(urgency));
    Value::Object(m)
}

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

fn fold_name(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn fold_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn canonical_make(s: &str) -> String {
    let k = fold_key(s);
    crate::vehicle::canonical_make(&k)
        .map(fold_key)
        .unwrap_or(k)
}

fn phone_key(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 10 {
        format!("1{digits}")
    } else {
        digits
    }
}

fn record(f: &mut FieldScore, ok: bool, case: &Case, expected: Value, got: Value) {
    f.total += 1;
    if ok {
        f.right += 1;
    } else {
        f.misses.push(Miss {
            id: case.id.clone(),
            text: case.text.clone(),
            expected,
            got,
        });
    }
}

/// Scores the cases; returns the report and the predictions (one per case, in order).
pub fn score(cases: &[Case], lex: &Lexicon) -> (Report, Vec<Value>) {
    let mut report = Report {
        cases: cases.len(),
        ..Report::default()
    };
    let mut preds = Vec::with_capacity(cases.len());
    for case in cases {
        let pred = predict(case, lex);
        score_one(&mut report, case, &pred);
        preds.push(pred);
    }
    (report, preds)
}

fn score_one(report: &mut Report, case: &Case, pred: &Value) {
    let exp = &case.expect;
    let got_time = pred.get("time").cloned().unwrap_or(Value::Null);
    let got_start = got_time.get("start").and_then(Value::as_str).unwrap_or("");

    if let Some(want) = exp.get("intents").and_then(Value::as_array) {
        let got: Vec<&str> = pred
            .get("intents")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let want: Vec<&str> = want.iter().filter_map(Value::as_str).collect();
        let complete = exp
            .get("intents_complete")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut all = true;
        for w in &want {
            let s = report.intents.entry((*w).to_string()).or_default();
            s.expected += 1;
            if got.contains(w) {
                s.recalled += 1;
            } else {
                all = false;
            }
        }
        let field = report.fields.entry("intents".into()).or_default();
        record(
            field,
            all,
            case,
            json!(want),
            pred.get("intents").cloned().unwrap_or(Value::Null),
        );
        if complete {
            for g in &got {
                let s = report.intents.entry((*g).to_string()).or_default();
                if want.contains(g) {
                    s.true_pos += 1;
                } else {
                    s.false_pos += 1;
                    report.intent_false_pos.push(Miss {
                        id: case.id.clone(),
                        text: case.text.clone(),
                        expected: json!(want),
                        got: json!(got),
                    });
                }
            }
        }
    }
    if let Some(want) = exp.get("time") {
        let ok = want.get("start") == got_time.get("start")
            && want.get("grain") == got_time.get("grain")
            && want.get("end") == got_time.get("end");
        let f = report.fields.entry("time".into()).or_default();
        record(f, ok, case, want.clone(), got_time.clone());
        if exp.get("latent").and_then(Value::as_bool) == Some(true) {
            let got_latent = pred.get("latent").and_then(Value::as_bool) == Some(true);
            let f = report.fields.entry("latent".into()).or_default();
            record(f, got_latent && ok, case, json!(true), json!(got_latent));
        }
    }
    if let Some(want) = exp.get("date").and_then(Value::as_str) {
        let ok = got_start.get(..10) == Some(want);
        let f = report.fields.entry("date".into()).or_default();
        record(f, ok, case, json!(want), got_time.clone());
    }
    if let Some(want) = exp.get("clock").and_then(Value::as_str) {
        let ok = got_start.get(11..16) == Some(want);
        let f = report.fields.entry("clock".into()).or_default();
        record(f, ok, case, json!(want), got_time.clone());
    }
    if exp.get("no_time").and_then(Value::as_bool) == Some(true) {
        let f = report.fields.entry("no_time".into()).or_default();
        record(f, got_time.is_null(), case, json!(null), got_time.clone());
    }
    if let Some(want) = exp.get("name").and_then(Value::as_str) {
        let got = pred.get("name").and_then(Value::as_str).unwrap_or("");
        let f = report.fields.entry("name".into()).or_default();
        record(
            f,
            fold_name(want) == fold_name(got),
            case,
            json!(want),
            json!(got),
        );
    }
    if let Some(want) = exp.get("service").and_then(Value::as_str) {
        let got = pred.get("service").and_then(Value::as_str).unwrap_or("");
        let f = report.fields.entry("service".into()).or_default();
        record(
            f,
            want == got,
            case,
            json!(want),
            pred.get("services").cloned().unwrap_or_else(|| json!(got)),
        );
    }
    if let Some(want) = exp.get("vehicle").and_then(Value::as_object) {
        let got = pred.get("vehicle").cloned().unwrap_or(Value::Null);
        let mut ok = true;
        for (k, v) in want {
            let g = got.get(k);
            let same = match (k.as_str(), v, g) {
                ("year", _, Some(g)) => v.as_i64() == g.as_i64(),
                ("make", Value::String(w), Some(Value::String(g))) => {
                    canonical_make(w) == canonical_make(g)
                }
                ("model", Value::String(w), Some(Value::String(g))) => fold_key(w) == fold_key(g),
                _ => false,
            };
            ok &= same;
        }
        let f = report.fields.entry("vehicle".into()).or_default();
        record(f, ok, case, Value::Object(want.clone()), got);
    }
    if let Some(want) = exp.get("urgency").and_then(Value::as_str) {
        let got = pred
            .get("urgency")
            .and_then(Value::as_str)
            .unwrap_or("normal");
        let f = report.fields.entry("urgency".into()).or_default();
        record(f, want == got, case, json!(want), json!(got));
    }
    if let Some(want) = exp.get("phone").and_then(Value::as_str) {
        let got = pred.get("phone").and_then(Value::as_str).unwrap_or("");
        let f = report.fields.entry("phone".into()).or_default();
        record(
            f,
            !got.is_empty() && phone_key(want) == phone_key(got),
            case,
            json!(want),
            json!(got),
        );
    }
}

/// Scores understandings made elsewhere (the language-model path of `frontdesk eval --llm`):
/// `understood[i]` is what was understood of `cases[i]`. Same rules as [`score`].
pub fn score_understood(cases: &[Case], understood: &[Understanding]) -> (Report, Vec<Value>) {
    let mut report = Report {
        cases: cases.len(),
        ..Report::default()
    };
    let mut preds = Vec::with_capacity(cases.len());
    for (case, u) in cases.iter().zip(understood) {
        let pred = to_prediction(&case.id, u);
        score_one(&mut report, case, &pred);
        preds.push(pred);
    }
    (report, preds)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"{"id":"a-1","source":"frontdesk","now":"2026-11-24T19:30:00-06:00","text":"yes please","expect":{"intents":["affirm"],"intents_complete":true}}

{"id":"a-2","source":"frontdesk","now":"2026-11-24T19:30:00-06:00","asked":"name","text":"Sam Jones","expect":{"name":"sam  jones"}}
"#;

    #[test]
    fn case_files_parse_with_asked_and_blank_lines() {
        let cases = parse_cases(TWO, "two.jsonl").expect("parses");
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[1].asked, Some(Asked::Name));
        assert_eq!(cases[0].now, "2026-11-24T19:30:00-06:00");
    }

    #[test]
    fn a_bad_line_is_reported_with_file_and_line() {
        let err = parse_cases("{\"id\":1}\n", "bad.jsonl").unwrap_err();
        assert!(err.starts_with("bad.jsonl:1:"), "{err}");
    }

    #[test]
    fn now_keeps_the_wall_clock_and_reads_the_offset() {
        let (dt, off) = parse_now("2013-02-12T04:30:00-02:00").expect("parses");
        assert_eq!(dt, DateTime::constant(2013, 2, 12, 4, 30, 0, 0));
        assert_eq!(off, Some(-7200));
    }

    #[test]
    fn names_score_after_case_folding_and_collapsing_spaces() {
        let cases = parse_cases(TWO, "two.jsonl").expect("parses");
        let (report, preds) = score(&cases, &Lexicon::empty());
        assert_eq!(preds.len(), 2);
        assert_eq!(report.fields["name"].total, 1);
        assert_eq!(report.fields["name"].right, 1);
        assert_eq!(report.intents["affirm"].recalled, 1);
    }

    #[test]
    fn a_missing_urgency_counts_as_normal() {
        let body = r#"{"id":"u","now":"2026-11-24T19:30:00-06:00","text":"hello there","expect":{"urgency":"normal"}}"#;
        let cases = parse_cases(body, "u.jsonl").expect("parses");
        let (report, _) = score(&cases, &Lexicon::empty());
        assert_eq!(report.fields["urgency"].right, 1);
        assert!(report.render_text().contains("urgency"));
    }
}
