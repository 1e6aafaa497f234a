//! Corrections that stick. On any assistant turn the owner can say "this was wrong" and give the
//! right answer (a new FAQ) or the right service (the caller's phrase becomes an alias of it).
//! The profile TOML is edited as text (comments and layout kept) and saved through
//! `profile_edit` like a settings edit (checked, saved with history, written back to its file,
//! put live at once); a regression scenario for `frontdesk test-calls` is written next to the profile
//! in `scenarios/`.

use std::path::{Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::page::{Res, see_other};
use super::profile_edit::apply_profile;
use super::session::Post;
use crate::app::App;
use crate::error::AppError;
use crate::store::Speaker;

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

const STOP: &[&str] = &[
    "what", "when", "where", "which", "your", "you", "have", "does", "with", "that", "this",
    "there", "they", "about", "would", "could", "should", "will", "from", "just", "want", "need",
    "like", "know", "tell", "much", "many", "there's", "what's", "hello", "please", "thanks",
    "also", "some", "any", "guys", "anyone", "open", "the", "and", "for", "can", "are", "how",
    "do", "is",
];

/// Keywords for a new FAQ: the owner's, or the distinctive words of the question.
pub fn keywords(question: &str, given: &str) -> Vec<String> {
    let owned: Vec<String> = given
        .split(',')
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
        .collect();
    if !owned.is_empty() {
        return owned;
    }
    let mut out: Vec<String> = Vec::new();
    for w in question.split(|c: char| !c.is_alphanumeric() && c != '\'') {
        let w = w.to_lowercase();
        if w.len() >= 4 && !STOP.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out.truncate(4);
    out
}

/// The profile text with a new FAQ appended.
pub fn with_faq(text: &str, id: &str, question: &str, keywords: &[String], answer: &str) -> String {
    let kw: Vec<String> = keywords.iter().map(|k| quoted(k)).collect();
    format!(
        "{}\n\n# Added from a correction in the dashboard.\n[[faqs]]\nid = {}\nquestion = {}\nkeywords = [{}]\nanswer = {}\n",
        text.trim_end(),
        quoted(id),
        quoted(question),
        kw.join(", "),
        quoted(answer)
    )
}

/// The profile text with `phrase` added to the aliases of service `service`, or `None` when
/// the service's `id = "..."` line is not found.
pub fn with_alias(text: &str, service: &str, phrase: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let id_line = lines.iter().position(|l| {
        let t = l.trim();
        t.starts_with("id")
            && t.split_once('=')
                .is_some_and(|(k, v)| k.trim() == "id" && v.trim() == quoted(service))
    })?;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let end = lines[id_line + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map(|i| id_line + 1 + i)
        .unwrap_or(lines.len());
    match (id_line + 1..end).find(|&i| lines[i].trim_start().starts_with("aliases")) {
        Some(i) => {
            let at = out[i].find('[')?;
            out[i].insert_str(at + 1, &format!("{}, ", quoted(phrase)));
        }
        None => out.insert(id_line + 1, format!("aliases = [{}]", quoted(phrase))),
    }
    Some(out.join("\n") + "\n")
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
        if out.len() >= 30 {
            break;
        }
    }
    out.trim_end_matches('_').to_string()
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    seq: i64,
    /// `faq` or `alias`.
    kind: String,
    /// What the caller said (the question, or the phrase for the service).
    #[serde(default)]
    asked: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    service: String,
}

/// `POST /b/{b}/conversations/{id}/correct`: applies an owner's correction to an assistant turn.
pub async fn submit(
    State(app): State<App>,
    UrlPath((b, id)): UrlPath<(String, String)>,
    post: Post<CorrectionForm>,
) -> Res {
    let engine = post.who.business(&app, &b)?;
    let editor = post.who.settings_editor()?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    app.store
        .conversation(&b, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let turns = app.store.turns(id).await?;
    let turn = turns
        .iter()
        .find(|t| t.seq == post.form.seq && t.speaker == Speaker::Assistant)
        .ok_or(AppError::NotFound)?;
    let f = &post.form;
    let asked = f.asked.trim();
    if asked.is_empty() {
        return Err(AppError::BadRequest(
            "say what the caller asked (or the phrase they used)".into(),
        ));
    }
    let p = engine.profile().clone();
    let text = app
        .store
        .business_profile(&b)
        .await?
        .unwrap_or_else(|| frontdesk_profile::EXAMPLE_TOML.to_string());
    let (new_text, note, expect) = match f.kind.as_str() {
        "faq" => {
            let answer = f.answer.trim();
            if answer.is_empty() {
                return Err(AppError::BadRequest("give the right answer".into()));
            }
            let kw = keywords(asked, &f.keywords);
            if kw.is_empty() {
                return Err(AppError::BadRequest(
                    "give a keyword or two callers would use for this question".into(),
                ));
            }
            let mut faq_id = format!("owner_{}", slug(asked));
            while p.faq(&faq_id).is_some() {
                faq_id.push('_');
                faq_id.push_str(&Uuid::now_v7().simple().to_string()[24..]);
            }
            let expect: String = answer.chars().take(40).collect();
            (
                with_faq(&text, &faq_id, asked, &kw, answer),
                format!("correction: new FAQ {faq_id:?}"),
                expect,
            )
        }
        "alias" => {
            let service = p
                .service(f.service.trim())
                .ok_or_else(|| AppError::BadRequest(format!("unknown service {:?}", f.service)))?;
            let phrase = asked.to_lowercase();
            let new_text = with_alias(&text, &service.id, &phrase).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "cannot find service {:?} in the profile text",
                    service.id
                ))
            })?;
            (
                new_text,
                format!("correction: {phrase:?} means service {:?}", service.id),
                service.name.clone(),
            )
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown correction {other:?}"
            )));
        }
    };
    let actor = post.who.actor();
    if let Err(report) = apply_profile(&app, &b, &new_text, &actor, &note, editor).await? {
        return Err(AppError::BadRequest(format!(
            "the correction would make the profile invalid:\n{report}"
        )));
    }
    let scenario = write_scenario(&app, &p, asked, &expect, &f.kind, &turn.text)?;
    app.store
        .audit(
            Some(&b),
            &actor,
            "correction",
            &json!({
                "conversation": id, "turn": turn.seq, "kind": f.kind, "asked": asked,
                "was": turn.text, "answer": f.answer, "service": f.service,
                "scenario": scenario.as_ref().map(|s| s.display().to_string()),
            }),
            app.clock.now(),
        )
        .await?;
    Ok(see_other(&format!(
        "/b/{b}/conversations/{id}?corrected={}",
        if f.kind == "faq" { "faq" } else { "alias" }
    )))
}

/// Writes the regression scenario beside the profile file, in `scenarios/`; nothing when the
/// profile did not come from a file.
fn write_scenario(
    app: &App,
    p: &frontdesk_profile::Profile,
    asked: &str,
    expect: &str,
    kind: &str,
    was: &str,
) -> anyhow::Result<Option<PathBuf>> {
    let source = Path::new(&p.source);
    if !source.is_file() {
        return Ok(None);
    }
    let (Some(dir), Some(file)) = (source.parent(), source.file_name()) else {
        return Ok(None);
    };
    let dir = dir.join("scenarios");
    std::fs::create_dir_all(&dir)
        .map_err(|e| anyhow::anyhow!("cannot create {:?}: {e}", dir.display().to_string()))?;
    let now = app.clock.now().to_zoned(p.business.timezone.clone());
    let name = format!(
        "correction-{}-{}.toml",
        now.strftime("%Y%m%d-%H%M%S"),
        slug(asked)
    );
    let path = dir.join(name);
    let text = format!(
        "# A correction from the dashboard ({kind}). The assistant had said: {}\nprofile = {}\nnow = {}\ncaller = \"+15125550143\"\nchannel = \"sms\"\n\n[[turn]]\nsay = {}\nreply_contains = {}\n",
        was.replace('\n', " "),
        quoted(&format!("../{}", file.to_string_lossy())),
        quoted(&now.strftime("%Y-%m-%dT%H:%M").to_string()),
        quoted(asked),
        quoted(expect),
    );
    std::fs::write(&path, text).map_err(|e| {
        anyhow::anyhow!(
            "cannot write scenario {:?}: {e}",
            path.display().to_string()
        )
    })?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_joins_the_services_existing_aliases() {
        let text =
            "[[services]]\nid = \"oil_change\"\naliases = [\"LOF\"]\n\n[[services]]\nid = \"x\"\n";
        let out = with_alias(text, "oil_change", "lube job").unwrap();
        assert!(out.contains("aliases = [\"lube job\", \"LOF\"]"), "{out}");
    }

    #[test]
    fn a_service_without_aliases_gets_a_list() {
        let out = with_alias("[[services]]\nid = \"x\"\nname = \"X\"\n", "x", "thing").unwrap();
        assert!(out.contains("id = \"x\"\naliases = [\"thing\"]"), "{out}");
        assert!(with_alias("id = \"y\"\n", "x", "thing").is_none());
    }

    #[test]
    fn faq_keywords_skip_the_small_words() {
        assert_eq!(
            keywords("Do you guys do tint on windows?", ""),
            vec!["tint", "windows"]
        );
        assert_eq!(
            keywords("anything", "tint, window film"),
            vec!["tint", "window film"]
        );
    }
}
