//! `frontdesk chat`: talk to the receptionist in the terminal as a caller would, on the same
//! engine, runtime and store as a real call, with each effect printed as it happens.

use std::io::{BufRead, Write};
use std::sync::Arc;

use anyhow::Context as _;
use frontdesk_engine::Input;

use crate::app::{App, Settings};
use crate::clock::{Clock, ShiftedClock, SystemClock};
use crate::runtime::{self, Line};
use crate::store::{Channel, Store};

/// Options of one chat session.
pub struct ChatOptions {
    pub sms: bool,
    pub caller: String,
    /// Business-local start time ("2026-11-24T19:30"), or the real clock.
    pub now: Option<String>,
    /// The language model reading beside the built-in layer (`LLM_*`), if any.
    pub llm: Option<frontdesk_llm::Llm>,
}

/// Parses a business-local time like `2026-11-24T19:30` in the profile's zone.
pub fn local_instant(text: &str, zone: &jiff::tz::TimeZone) -> anyhow::Result<jiff::Timestamp> {
    let civil: jiff::civil::DateTime = text.parse().with_context(|| {
        format!("cannot read {text:?} as a local time like \"2026-11-24T19:30\"")
    })?;
    Ok(civil.to_zoned(zone.clone())?.timestamp())
}

/// Runs the conversation: lines from `input`, replies and effects to `out`.
pub async fn run(
    store: Arc<dyn Store>,
    profile: frontdesk_profile::Profile,
    opts: ChatOptions,
    input: impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let zone = profile.business.timezone.clone();
    let clock: Arc<dyn Clock> = match &opts.now {
        Some(text) => Arc::new(ShiftedClock::new(local_instant(text, &zone)?)),
        None => Arc::new(SystemClock),
    };
    let app = App::new(
        store.clone(),
        clock.clone(),
        vec![profile],
        Settings::default(),
    )
    .with_llm(opts.llm.clone());
    app.register_businesses().await?;
    let engine = app.directory().all()[0].clone();
    let line = Line {
        channel: Channel::Chat,
        sms_flavour: opts.sms,
        texts_from: None,
    };
    let now = clock.now().to_zoned(zone.clone());
    writeln!(
        out,
        "{} — you are calling as {} ({}), it is {}. Type what the caller says; an empty line is silence; Ctrl-D hangs up.",
        engine.profile().business.name,
        opts.caller,
        if opts.sms { "text" } else { "voice" },
        now.strftime("%A %B %-d, %-I:%M %p %Z")
    )?;
    let first = runtime::begin(&app, &engine, line, Some(&opts.caller), None).await?;
    print_reply(out, &first, &zone)?;
    let conversation = first.conversation_id;
    let mut done = first.done;
    for text in input.lines() {
        if done {
            break;
        }
        let text = text?;
        let said = if text.trim().is_empty() {
            Input::Silence
        } else {
            Input::Said(text)
        };
        let reply = runtime::respond(&app, &engine, line, conversation, said, None).await?;
        if let Some(readings) = crate::scenario::readings(store.as_ref(), conversation).await {
            writeln!(out, "  ~ {readings}")?;
        }
        print_reply(out, &reply, &zone)?;
        done = reply.done;
    }
    writeln!(out, "(conversation over)")?;
    Ok(())
}

fn print_reply(
    out: &mut impl Write,
    reply: &runtime::Reply,
    zone: &jiff::tz::TimeZone,
) -> std::io::Result<()> {
    writeln!(out, "receptionist> {}", reply.text)?;
    for effect in &reply.effects {
        writeln!(out, "  · {}", runtime::describe(effect, zone))?;
    }
    out.flush()
}
