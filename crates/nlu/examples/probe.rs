//! Prints what the built-in understanding reads in each argument, against the auto-shop
//! profile's lexicon: `cargo run -p frontdesk-nlu --example probe -- [--now 2026-11-30T10:00]
//! [--asked time] "text"...`. A tool for writing rules, not a check.

use frontdesk_nlu::{Asked, Context, Lexicon, ServiceTerm, understand};

fn lexicon() -> Lexicon {
    let body = std::fs::read_to_string("examples/auto-shop.toml").unwrap_or_default();
    let doc: toml::Table = body.parse().unwrap_or_default();
    let services = doc
        .get("services")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|s| ServiceTerm {
            id: s.get("id").and_then(|v| v.as_str()).unwrap_or("").into(),
            name: s.get("name").and_then(|v| v.as_str()).unwrap_or("").into(),
            aliases: s
                .get("aliases")
                .and_then(toml::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    Lexicon::new(services, Vec::new())
}

fn main() {
    let lex = lexicon();
    let mut now: jiff::civil::DateTime = "2026-11-30T10:00".parse().expect("date");
    let mut asked = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--now" => now = args.next().and_then(|s| s.parse().ok()).unwrap_or(now),
            "--asked" => {
                asked = args
                    .next()
                    .and_then(|s| serde_json::from_value::<Asked>(serde_json::json!(s)).ok())
            }
            text => {
                let u = understand(text, &Context { now, asked }, &lex);
                let m: Vec<String> = lex
                    .service_matches(text)
                    .iter()
                    .map(|m| format!("{}={:.2}", m.id, m.confidence))
                    .collect();
                println!("  matches={}", m.join(","));
                let t = u.time.as_ref().map(|t| {
                    format!(
                        "{} {:?} end={:?} {:?} date={} clock={} corr={} latent={}",
                        t.start,
                        t.grain,
                        t.end,
                        t.bound,
                        t.has_date,
                        t.has_clock,
                        t.correction,
                        t.latent
                    )
                });
                println!(
                    "{text:?}\n  intents={:?} services={:?} name={:?} phone={:?} veh={:?} urg={:?}\n  time={}",
                    u.intents,
                    u.services,
                    u.name,
                    u.phone,
                    u.vehicle,
                    u.urgency,
                    t.unwrap_or_default()
                );
            }
        }
    }
}
