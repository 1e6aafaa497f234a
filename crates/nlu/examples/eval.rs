//! Scores the built-in understanding on a JSONL case file:
//! `cargo run -p frontdesk-nlu --example eval -- FILE.jsonl [--profile PROFILE.toml]
//! [--predictions OUT.jsonl] [--json]`. The profile's `[[services]]` (id, name, aliases) and
//! `[[faqs]]` (id, question, keywords) become the lexicon; without one the lexicon is empty.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use frontdesk_nlu::{FaqTerm, Lexicon, ServiceTerm, eval};

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn load_profile(path: &PathBuf) -> Result<Lexicon, String> {
    let body = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read profile \"{}\": {e}", path.display()))?;
    let doc: toml::Table = body
        .parse()
        .map_err(|e| format!("invalid toml in \"{}\": {e}", path.display()))?;
    let text =
        |t: &toml::Value, k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    let services = doc
        .get("services")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .map(|s| ServiceTerm {
                    id: text(s, "id"),
                    name: text(s, "name"),
                    aliases: strings(s.get("aliases")),
                })
                .collect()
        })
        .unwrap_or_default();
    let faqs = doc
        .get("faqs")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .map(|f| FaqTerm {
                    id: text(f, "id"),
                    question: text(f, "question"),
                    keywords: strings(f.get("keywords")),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Lexicon::new(services, faqs))
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut files = Vec::new();
    let mut profile = None;
    let mut predictions = None;
    let mut as_json = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--profile" => {
                profile = Some(PathBuf::from(args.next().ok_or("--profile needs a file")?))
            }
            "--predictions" => {
                predictions = Some(PathBuf::from(
                    args.next().ok_or("--predictions needs a file")?,
                ))
            }
            "--json" => as_json = true,
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        return Err(
            "usage: eval FILE.jsonl... [--profile PROFILE.toml] [--predictions OUT.jsonl] [--json]"
                .into(),
        );
    }
    let lex = match &profile {
        Some(p) => load_profile(p)?,
        None => Lexicon::empty(),
    };
    let mut all_preds = Vec::new();
    for f in &files {
        let cases = eval::read_cases(f)?;
        let (report, preds) = eval::score(&cases, &lex);
        // Time the understanding alone (a second pass, so one-time set-up is not counted).
        let started = std::time::Instant::now();
        for c in &cases {
            std::hint::black_box(eval::understand_case(c, &lex));
        }
        let took = started.elapsed();
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) ends the output quietly.
        if as_json {
            let _ = writeln!(out, "{}", report.to_json());
        } else {
            let _ = writeln!(
                out,
                "== {} ({} µs per utterance, understanding only)\n{}",
                f.display(),
                took.as_micros() / cases.len().max(1) as u128,
                report.render_text()
            );
        }
        all_preds.extend(preds);
    }
    if let Some(p) = predictions {
        let body: String = all_preds.iter().map(|v| format!("{v}\n")).collect();
        std::fs::write(&p, body).map_err(|e| format!("cannot write \"{}\": {e}", p.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
