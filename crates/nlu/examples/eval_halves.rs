//! Scores the built-in understanding on JSONL case files split into two halves by a stable
//! hash of the case id (FNV-1a 64): half A (even hash) is for tuning, half B (odd) is held
//! out. Prints one table per file: each field's accuracy and the intent recall/precision on
//! both halves, so a gap between them (memorising) shows at a glance.
//!
//! `cargo run -p frontdesk-nlu --release --example eval_halves -- FILE.jsonl...
//! [--profile PROFILE.toml] [--misses]` (`--misses` lists half A's misses only; half B stays
//! unseen). Files named `auto-shop*` use `examples/auto-shop.toml` unless `--profile` is given.

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
    let list = |key: &str| {
        doc.get(key)
            .and_then(toml::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let services = list("services")
        .iter()
        .map(|s| ServiceTerm {
            id: text(s, "id"),
            name: text(s, "name"),
            aliases: strings(s.get("aliases")),
        })
        .collect();
    let faqs = list("faqs")
        .iter()
        .map(|f| FaqTerm {
            id: text(f, "id"),
            question: text(f, "question"),
            keywords: strings(f.get("keywords")),
        })
        .collect();
    Ok(Lexicon::new(services, faqs))
}

/// FNV-1a, 64 bits: stable across runs, platforms and Rust versions.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "    -  ".into()
    } else {
        format!("{:5.1} %", 100.0 * a as f64 / b as f64)
    }
}

fn run() -> Result<(), String> {
    let mut files = Vec::new();
    let mut profile = None;
    let mut misses = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--profile" => {
                profile = Some(PathBuf::from(args.next().ok_or("--profile needs a file")?))
            }
            "--misses" => misses = true,
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        return Err("usage: eval_halves FILE.jsonl... [--profile P.toml] [--misses]".into());
    }
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let lex = match (&profile, name.starts_with("auto-shop")) {
            (Some(p), _) => load_profile(p)?,
            (None, true) => load_profile(&PathBuf::from("examples/auto-shop.toml"))?,
            (None, false) => Lexicon::empty(),
        };
        let cases = eval::read_cases(f)?;
        let (a, b): (Vec<_>, Vec<_>) = cases
            .into_iter()
            .partition(|c| fnv1a(&c.id).is_multiple_of(2));
        let (ra, _) = eval::score(&a, &lex);
        let (rb, _) = eval::score(&b, &lex);
        println!(
            "== {} (A {} cases, B {} cases)",
            f.display(),
            a.len(),
            b.len()
        );
        println!(
            "{:<14} {:>13} {:>8}   {:>13} {:>8}",
            "field", "A", "", "B", ""
        );
        let mut keys: Vec<&String> = ra.fields.keys().chain(rb.fields.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (x, y) = (ra.fields.get(k), rb.fields.get(k));
            let (xr, xt) = x.map_or((0, 0), |s| (s.right, s.total));
            let (yr, yt) = y.map_or((0, 0), |s| (s.right, s.total));
            println!(
                "{k:<14} {:>6}/{:<6} {}   {:>6}/{:<6} {}",
                xr,
                xt,
                pct(xr, xt),
                yr,
                yt,
                pct(yr, yt)
            );
        }
        let (xr, xe) = ra.intent_recall();
        let (yr, ye) = rb.intent_recall();
        if xe + ye > 0 {
            println!(
                "{:<14} {:>6}/{:<6} {}   {:>6}/{:<6} {}",
                "intent recall",
                xr,
                xe,
                pct(xr, xe),
                yr,
                ye,
                pct(yr, ye)
            );
            let (xt, xp) = ra.intent_precision();
            let (yt, yp) = rb.intent_precision();
            println!(
                "{:<14} {:>6}/{:<6} {}   {:>6}/{:<6} {}",
                "intent prec.",
                xt,
                xp,
                pct(xt, xp),
                yt,
                yp,
                pct(yt, yp)
            );
        }
        if misses {
            println!("{}", ra.render_text());
        }
        println!();
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
