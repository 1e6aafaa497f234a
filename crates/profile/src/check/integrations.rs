//! The `[calendar]` and `[[webhooks]]` sections, and the secrets they name. A profile never holds
//! a password or signing secret itself, only the name of an environment variable, and that name
//! must be one the operator set for this business (`FRONTDESK_SECRET_<ID>_...`).

use super::{Ck, Span, Tab};
use crate::model::{CalendarConfig, WebhookConfig};

impl Ck<'_> {
    pub(super) fn calendar(&mut self, root: &Tab) -> Option<CalendarConfig> {
        let t = self.table(root, "calendar")?;
        self.known(
            &t,
            &["caldav_url", "username", "password_env", "deadline_ms"],
        );
        let url = self.string(&t, "caldav_url", Some("\"https://cal.example/joe/shop/\""));
        if let Some((u, span)) = &url {
            self.url("caldav_url", u, span.clone());
        }
        let username = self.opt_string(&t, "username");
        let password_env = self.string(&t, "password_env", None).map(|(p, span)| {
            self.env_name("password_env", &p, span);
            p
        });
        let deadline_ms = self.number(&t, "deadline_ms", 3000, 1, 60_000);
        url.map(|(caldav_url, _)| CalendarConfig {
            caldav_url,
            username,
            password_env,
            deadline_ms,
        })
    }

    /// Secrets a profile names must be the operator's for this business: environment
    /// variables named `FRONTDESK_SECRET_<ID>_...`, never any variable of the server.
    pub(super) fn secret_names(&mut self, id: &str) {
        if id.is_empty() {
            return;
        }
        let prefix = crate::secret_prefix(id);
        for (key, name, span) in std::mem::take(&mut self.secret_refs) {
            if !crate::secret_allowed(id, &name) {
                self.err(
                    span,
                    format!("`{key}` `{name}` is not one of this business's secrets"),
                    Some(format!(
                        "a profile may only name variables the operator set for this business: `{prefix}` and then letters and digits, like \"{prefix}CALDAV\""
                    )),
                );
            }
        }
    }

    fn env_name(&mut self, key: &'static str, v: &str, span: Span) {
        self.secret_refs.push((key, v.to_string(), span.clone()));
        let ok = !v.is_empty()
            && v.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
            && !v.as_bytes()[0].is_ascii_digit();
        if !ok {
            self.err(
                span,
                format!("`{key}` `{v}` is not an environment variable name"),
                Some("name the variable that holds the secret, like \"FRONTDESK_SECRET_JOES_AUTO_CALDAV\"; never put the secret itself in the file".into()),
            );
        }
    }

    pub(super) fn webhooks(&mut self, root: &Tab) -> Vec<WebhookConfig> {
        let mut out = Vec::new();
        for t in self.tables(root, "webhooks") {
            self.known(&t, &["url", "secret_env", "events"]);
            let url = self.string(&t, "url", Some("\"https://example.com/hooks/frontdesk\""));
            if let Some((u, span)) = &url {
                self.url("url", u, span.clone());
            }
            let secret_env = self.string(&t, "secret_env", None).map(|(s, span)| {
                self.env_name("secret_env", &s, span);
                s
            });
            let events = self
                .string_list(&t, "events")
                .into_iter()
                .map(|(e, _)| e)
                .collect();
            if let Some((url, _)) = url {
                out.push(WebhookConfig {
                    url,
                    secret_env,
                    events,
                });
            }
        }
        out
    }
}
