//! Saving a business profile from the dashboard, for the settings page and for corrections
//! alike: [`apply_profile`] checks the text like `frontdesk check`, and beyond it keeps what the
//! operator manages out of an owner's reach (the numbers, every secret a profile names and the
//! address it is sent to), refuses a number another business answers or an edit that would stop
//! the deployment's profile folder from loading, and refuses URLs that reach private addresses
//! (`egress`). A clean profile is saved with history, written back to its file when it came
//! from one, and put live at once.

use std::path::Path;

use serde_json::json;

use frontdesk_profile::{Diagnostic, Profile};

use crate::app::{App, Directory};
use crate::store::Role;

/// Checks `text` as the new profile of business `b` and, when it has no errors, saves it with
/// history, writes it to the profile file (if it came from one) and puts it live. The inner
/// `Err` is the check report for the owner.
///
/// Besides `frontdesk check`'s rules: an owner (`editor` other than the operator) cannot change
/// what the operator manages (the numbers, and every secret a profile names together with the
/// address it is sent to); nobody can give the business a number another business answers or
/// make the deployment's profile folder fail to load; and the profile's URLs must not reach
/// loopback, private or link-local addresses unless the operator allows it.
pub async fn apply_profile(
    app: &App,
    b: &str,
    text: &str,
    actor: &str,
    note: &str,
    editor: Role,
) -> anyhow::Result<Result<(), String>> {
    let dir = app.directory();
    let Some(current) = dir.by_id(b) else {
        anyhow::bail!("business {b:?} is not served here");
    };
    let source = current.profile().source.clone();
    let parsed = match frontdesk_profile::parse(&source, text) {
        Ok(p) => p,
        Err(report) => return Ok(Err(report.to_string())),
    };
    if parsed.business.id != b {
        return Ok(Err(format!(
            "the business id must stay {b:?} (found {:?})",
            parsed.business.id
        )));
    }
    let mut problems = Vec::new();
    if editor != Role::Operator {
        problems.extend(operator_fields_kept(current.profile(), &parsed, text));
    }
    problems.extend(deployment_still_starts(app, &dir, &parsed, text));
    problems.extend(urls_reachable(app, current.profile(), &parsed, text).await);
    if !problems.is_empty() {
        return Ok(Err(frontdesk_profile::Report {
            diagnostics: problems,
        }
        .to_string()));
    }
    let now = app.clock.now();
    app.store
        .add_profile_version(b, text, actor, note, now)
        .await?;
    app.store
        .upsert_business(b, &parsed.business.name, text, now)
        .await?;
    let file = Path::new(&source);
    if file.is_file() {
        std::fs::write(file, text)
            .map_err(|e| anyhow::anyhow!("cannot write profile {source:?}: {e}"))?;
    }
    let profiles = dir
        .all()
        .iter()
        .map(|e| {
            if e.profile().business.id == b {
                parsed.clone()
            } else {
                e.profile().clone()
            }
        })
        .collect();
    app.replace_profiles(profiles);
    app.store
        .audit(Some(b), actor, "profile.saved", &json!({"note": note}), now)
        .await?;
    Ok(Ok(()))
}

/// What the operator manages in a profile: the numbers, the calendar's address and user when
/// it has a password, and the webhooks that carry a signing secret.
type OperatorFields = (
    Vec<String>,
    Option<(String, Option<String>, String)>,
    Vec<(String, String)>,
);

fn operator_fields(p: &Profile) -> OperatorFields {
    let mut phones = p.business.phones.clone();
    phones.sort();
    let calendar = p.calendar.as_ref().and_then(|c| {
        c.password_env
            .clone()
            .map(|pw| (c.caldav_url.clone(), c.username.clone(), pw))
    });
    let mut hooks: Vec<(String, String)> = p
        .webhooks
        .iter()
        .filter_map(|w| w.secret_env.clone().map(|s| (w.url.clone(), s)))
        .collect();
    hooks.sort();
    (phones, calendar, hooks)
}

/// An owner's edit must leave the operator's fields as they are.
fn operator_fields_kept(current: &Profile, new: &Profile, text: &str) -> Vec<Diagnostic> {
    let (was, now) = (operator_fields(current), operator_fields(new));
    let file = &new.source;
    let mut out = Vec::new();
    if was.0 != now.0 {
        out.push(frontdesk_profile::error_at(
            file,
            text,
            "phones",
            format!(
                "`phones` is the operator's to change: this business answers {:?}",
                current.business.phones
            ),
            Some("numbers are assigned by the operator of this deployment; put `phones` back and ask them to add or move a number".into()),
        ));
    }
    if was.1 != now.1 {
        out.push(frontdesk_profile::error_at(
            file,
            text,
            "[calendar]",
            "a calendar with a password (`password_env`) is the operator's to change",
            Some("the calendar's address, user and password are set by the operator; put [calendar] back as it was and ask them".into()),
        ));
    }
    if was.2 != now.2 {
        out.push(frontdesk_profile::error_at(
            file,
            text,
            "secret_env",
            "webhooks with a signing secret (`secret_env`) are the operator's to add, change or remove",
            Some("put those [[webhooks]] back as they were and ask the operator; webhooks without a secret are yours to edit".into()),
        ));
    }
    out
}

/// No number may route to two businesses, and the deployment's profiles (the `--profile` file
/// or folder) must still load with the new text in place, so `serve` still starts.
fn deployment_still_starts(
    app: &App,
    dir: &Directory,
    new: &Profile,
    text: &str,
) -> Vec<Diagnostic> {
    let file = &new.source;
    let mut out = Vec::new();
    for phone in &new.business.phones {
        let other = dir
            .for_number(phone)
            .filter(|e| e.profile().business.id != new.business.id);
        if let Some(other) = other {
            out.push(frontdesk_profile::error_at(
                file,
                text,
                phone,
                format!(
                    "phone number `{phone}` is answered by `{}`",
                    other.profile().business.id
                ),
                Some("a dialled number must route to exactly one business; remove it here".into()),
            ));
        }
    }
    if let Some(path) = &app.settings.profile_path {
        let source = Path::new(&new.source);
        if source.is_file() {
            let key = |d: &Diagnostic| (d.file.clone(), d.line, d.message.clone());
            let (_, before) = frontdesk_profile::load_with_report(path);
            let known: Vec<_> = before
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(key)
                .collect();
            let (_, after) = frontdesk_profile::load_with_text(path, source, text);
            for d in after.diagnostics.into_iter().filter(|d| d.is_error()) {
                let repeated = out.iter().any(|o: &Diagnostic| o.message == d.message);
                if !known.contains(&key(&d)) && !repeated {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// Every URL the profile makes this server connect to must reach a public address.
/// (Addresses already in the current profile were checked when saved, and are checked again at
/// every connection.)
async fn urls_reachable(
    app: &App,
    current: &Profile,
    new: &Profile,
    text: &str,
) -> Vec<Diagnostic> {
    let known: Vec<&str> = current
        .calendar
        .iter()
        .map(|c| c.caldav_url.as_str())
        .chain(current.webhooks.iter().map(|w| w.url.as_str()))
        .collect();
    let urls = new
        .calendar
        .iter()
        .map(|c| ("caldav_url", c.caldav_url.as_str()))
        .chain(new.webhooks.iter().map(|w| ("url", w.url.as_str())));
    let mut out = Vec::new();
    for (key, url) in urls.filter(|(_, u)| !known.contains(u)) {
        if let Err(e) = crate::egress::check_url(&app.settings, url).await {
            out.push(frontdesk_profile::error_at(
                &new.source,
                text,
                url,
                format!("`{key}` refused: {e}"),
                Some(crate::egress::HINT.into()),
            ));
        }
    }
    out
}
