//! The `[templates]` section: the owner's own wording for the texts the assistant sends. A
//! placeholder that is unknown or malformed is reported at its place in the text with the
//! allowed ones; an empty template is an error, since removing it keeps the built-in text.

use super::hints::nearest;
use super::{Ck, Tab};
use crate::templates::{PLACEHOLDERS, TemplateKey, Templates, placeholder_problems};

impl Ck<'_> {
    pub(super) fn templates(&mut self, root: &Tab) -> Templates {
        let mut out = Templates::default();
        let Some(t) = self.table(root, "templates") else {
            return out;
        };
        let names: Vec<&str> = TemplateKey::ALL.iter().map(|k| k.as_str()).collect();
        self.known(&t, &names);
        for key in TemplateKey::ALL {
            let Some((text, span)) = self.string(&t, key.as_str(), None) else {
                continue;
            };
            let problems = placeholder_problems(&text);
            for p in &problems {
                let needle = &text[p.start..p.end];
                let raw = self.src.text.get(span.clone()).unwrap_or("");
                let at = raw.find(needle).map_or(span.clone(), |i| {
                    span.start + i..span.start + i + needle.len()
                });
                let allowed: Vec<String> =
                    PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect();
                let name = needle.trim_matches(|c| c == '{' || c == '}');
                let hint = match nearest(name, PLACEHOLDERS.iter().copied()) {
                    Some(n) => format!("did you mean `{{{n}}}`? allowed: {}", allowed.join(", ")),
                    None => format!("allowed: {}", allowed.join(", ")),
                };
                self.err(
                    at,
                    format!("{} in template `{}`", p.message, key.as_str()),
                    Some(hint),
                );
            }
            if text.trim().is_empty() {
                self.err(
                    span,
                    format!("template `{}` is empty", key.as_str()),
                    Some("remove it to use the built-in text".into()),
                );
            } else if problems.is_empty() {
                out.set(key, text);
            }
        }
        out
    }
}
