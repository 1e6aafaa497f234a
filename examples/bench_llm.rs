//! The latency a language model adds to a caller turn: every caller line of the shipped
//! scenarios (`scenarios/*.toml` and `scenarios/llm/*.toml`) that the runtime would send to the
//! model (three words or more) is read by the configured model once with the voice deadline and
//! once with the SMS deadline, one call at a time, as a turn would. Prints, per channel, how many
//! calls answered in time, timed out or failed, and the p50 / p90 / p99 / max wall time of a call
//! (what a turn waits; a timeout counts as the deadline). The built-in reading costs
//! microseconds, so this is the added latency of a turn that asks the model.
//!
//! Run: `LLM_BASE_URL=http://127.0.0.1:8080/v1 LLM_MODEL=any cargo run --release --example
//! bench_llm -- [MAX_LINES]` (all lines by default; `LLM_OUTPUT=json_schema` for llama.cpp).

use std::time::{Duration, Instant};

use frontdesk_llm::{Llm, LlmConfig, LlmError};

fn lines(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "toml"));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(s) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(v) = toml::from_str::<toml::Value>(&s) else {
            continue;
        };
        for turn in v
            .get("turn")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(say) = turn.get("say").and_then(|s| s.as_str())
                && say.split_whitespace().count() >= 3
            {
                out.push(say.to_string());
            }
        }
    }
    out
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn channel(llm: &Llm, name: &str, deadline: Duration, said: &[String]) {
    let engine = frontdesk_engine::Engine::new(frontdesk_profile::example());
    let view = frontdesk::model::view(&engine);
    let now = jiff::civil::date(2026, 11, 30).at(10, 0, 0, 0);
    let (mut ok, mut late, mut failed) = (0, 0, 0);
    let mut took = Vec::new();
    for text in said {
        let started = Instant::now();
        let r = llm.understand(text, None, now, &[], &view, deadline).await;
        took.push(started.elapsed());
        match r {
            Ok(_) => ok += 1,
            Err(LlmError::Timeout) => late += 1,
            Err(e) => {
                failed += 1;
                eprintln!("  {name}: {e}");
            }
        }
    }
    took.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:5} deadline {:>5.0} ms  calls {:>3}  in time {ok:>3}  timed out {late:>3}  failed {failed:>3}  p50 {:>6.0} ms  p90 {:>6.0} ms  p99 {:>6.0} ms  max {:>6.0} ms",
        ms(deadline),
        said.len(),
        ms(quantile(&took, 0.5)),
        ms(quantile(&took, 0.9)),
        ms(quantile(&took, 0.99)),
        ms(*took.last().unwrap_or(&Duration::ZERO)),
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let config = LlmConfig::from_env()
        .ok_or_else(|| anyhow::anyhow!("set LLM_BASE_URL and LLM_MODEL to the model to measure"))?;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut said = lines(&root.join("scenarios"));
    said.extend(lines(&root.join("scenarios/llm")));
    if let Some(max) = std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<usize>().ok())
    {
        said.truncate(max);
    }
    println!(
        "model {} at {} ({:?} output, stream {}), {} caller lines",
        config.model,
        config.base_url,
        config.output,
        config.stream,
        said.len()
    );
    // No breaker here: every line is measured, even after failures.
    let llm = Llm::new(config.clone()).with_breaker(u32::MAX, Duration::ZERO);
    // One warm-up call (loading the model is not a turn's latency).
    let _ = channel(
        &llm,
        "warm",
        config.sms_deadline * 10,
        &said[..said.len().min(1)],
    )
    .await;
    channel(&llm, "voice", config.voice_deadline, &said).await;
    channel(&llm, "sms", config.sms_deadline, &said).await;
    Ok(())
}
