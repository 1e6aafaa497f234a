//! Replies already given and replies by text: a delivery answered before gets its stored reply
//! (and its text, if that was never queued), and a line that answers by text queues the reply
//! once per delivery, whoever asks.

use frontdesk_engine::{Effect, Engine};

use super::{Line, Reply};
use crate::app::App;
use crate::outbox::{self, SmsJob};
use crate::store::Conversation;

/// The reply already given for a delivery, if any. A reply by text that was recorded but never
/// queued (a crash between the two, in an older version) is queued now.
pub(super) async fn stored_reply(
    app: &App,
    engine: &Engine,
    line: Line,
    conv: &Conversation,
    key: &str,
) -> anyhow::Result<Option<Reply>> {
    let reply_key = format!("{key}#reply");
    let Some(turn) = app.store.turn_by_key(conv.id, &reply_key).await? else {
        return Ok(None);
    };
    text_reply(app, engine, line, conv, &turn.text, key).await?;
    let effects: Vec<Effect> = turn
        .effects
        .iter()
        .filter_map(|e| serde_json::from_value(e.clone()).ok())
        .collect();
    let transfer = effects.iter().find_map(|e| match e {
        Effect::Transfer { to, whisper, .. } => Some((to.clone(), whisper.clone())),
        _ => None,
    });
    Ok(Some(Reply {
        conversation_id: conv.id,
        text: turn.text.clone(),
        done: effects.iter().any(|e| matches!(e, Effect::EndCall)),
        effects,
        transfer,
        flow: turn.flow.clone().unwrap_or_default(),
        replayed: true,
        understanding: None,
    }))
}

/// Queues the reply as a text when the line answers by text: once per delivery, whoever asks.
pub(super) async fn text_reply(
    app: &App,
    engine: &Engine,
    line: Line,
    conv: &Conversation,
    text: &str,
    key: &str,
) -> anyhow::Result<()> {
    let Some(index) = line.texts_from else {
        return Ok(());
    };
    if text.is_empty() {
        return Ok(());
    }
    let profile = engine.profile();
    let to = match conv.contact_id {
        Some(id) => app.store.contact(&profile.business.id, id).await?,
        None => None,
    };
    let Some(to) = to.map(|c| c.phone).filter(|p| crate::phone::textable(p)) else {
        return Ok(());
    };
    let from = profile
        .business
        .phones
        .get(index)
        .or(profile.business.phones.first())
        .cloned()
        .unwrap_or_default();
    let sms = SmsJob::new(&to, &from, text, "reply").in_conversation(conv.id);
    outbox::enqueue(
        app,
        &profile.business.id,
        &sms,
        &format!("reply:{key}"),
        None,
    )
    .await?;
    Ok(())
}
