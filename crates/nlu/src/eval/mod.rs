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
mod report;

pub use report::{FieldScore, IntentScore, Miss, Report};

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
mod tests;
