//! A conversation's turns as pages show them (the transcript and the simulator): who spoke,
//! what was understood (stored on the caller's turn, shown with the reply to it), which flow
//! answered, how long it took, and one line per effect instead of the raw document.

use serde_json::Value;
use uuid::Uuid;

use super::page::Res;
use crate::app::App;
use crate::store::Speaker;

/// One turn of a transcript as the transcript page and the simulator show it.
pub struct TurnView {
    pub seq: i64,
    pub assistant: bool,
    /// Caller, Assistant, System, or the staff member's name ("Maria (staff)").
    pub speaker: String,
    pub text: String,
    pub flow: String,
    pub understood: String,
    pub processing: String,
    pub effects: Vec<String>,
    /// What the caller said just before (the default question for a correction).
    pub asked: String,
}

/// Who said a turn, as a page shows it: a staff turn names the person.
pub fn speaker_label(speaker: Speaker, understanding: Option<&Value>) -> String {
    match speaker {
        Speaker::Caller => "Caller".into(),
        Speaker::Assistant => "Assistant".into(),
        Speaker::System => "System".into(),
        Speaker::Staff => {
            let name = understanding
                .and_then(|u| u.get("staff"))
                .and_then(Value::as_str)
                .unwrap_or("Staff");
            format!("{name} (staff)")
        }
    }
}

/// A compact reading of a stored understanding: the non-empty fields.
pub fn understood(v: Option<&Value>) -> String {
    let Some(Value::Object(map)) = v else {
        return String::new();
    };
    map.iter()
        .filter(|(_, v)| {
            !matches!(v, Value::Null) && v != &&Value::Array(vec![]) && v != &&Value::Bool(false)
        })
        .map(|(k, v)| match v {
            Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line for a stored effect: its kind and its most telling field, not the raw document.
fn effect_line(v: &Value) -> String {
    let Value::Object(m) = v else {
        return v.to_string();
    };
    let kind = m
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("effect")
        .replace('_', " ");
    let detail = [
        "title", "subject", "service", "start", "text", "to", "reason",
    ]
    .iter()
    .find_map(|k| m.get(*k).and_then(Value::as_str))
    .unwrap_or("");
    let mut line = if detail.is_empty() {
        kind
    } else {
        format!("{kind}: {detail}")
    };
    if line.chars().count() > 160 {
        line = line.chars().take(157).collect::<String>() + "...";
    }
    line
}

/// A conversation's turns for a page, each assistant turn with the understanding of the
/// caller's words it answered.
pub async fn turn_views(app: &App, conversation: Uuid) -> Res<Vec<TurnView>> {
    let mut asked = String::new();
    // The understanding is stored on the caller's turn; it is shown with the reply to it.
    let mut heard = String::new();
    let mut out = Vec::new();
    for t in app.store.turns(conversation).await? {
        let assistant = t.speaker == Speaker::Assistant;
        let own = understood(t.understanding.as_ref());
        let understood = if assistant && own.is_empty() {
            std::mem::take(&mut heard)
        } else {
            own
        };
        out.push(TurnView {
            seq: t.seq,
            assistant,
            speaker: speaker_label(t.speaker, t.understanding.as_ref()),
            text: t.text.clone(),
            flow: t.flow.clone().unwrap_or_default(),
            understood: if assistant {
                understood.clone()
            } else {
                String::new()
            },
            processing: t
                .processing_us
                .map(|us| format!("{:.2} ms", us as f64 / 1000.0))
                .unwrap_or_default(),
            effects: t.effects.iter().map(effect_line).collect(),
            asked: asked.clone(),
        });
        if t.speaker == Speaker::Caller {
            asked = t.text;
            heard = understood;
        }
    }
    Ok(out)
}
