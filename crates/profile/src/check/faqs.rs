//! The `[[faqs]]` sections: ids used once, the question, its keywords and the answer the
//! assistant says. A keyword that is also how callers name a service, or another FAQ's keyword,
//! is a warning, since a caller saying it could mean either.

use std::collections::HashMap;

use super::hints::normalize;
use super::services::Said;
use super::{Ck, Span, Tab};
use crate::model::Faq;

impl Ck<'_> {
    pub(super) fn faqs(&mut self, root: &Tab, said: &Said) -> Vec<Faq> {
        // normalized keyword -> faq id
        let mut keyword_owner: HashMap<String, String> = HashMap::new();
        let mut out = Vec::new();
        let mut ids: HashMap<String, Span> = HashMap::new();
        for t in self.tables(root, "faqs") {
            self.known(&t, &["id", "question", "keywords", "answer"]);
            let id = self.string(&t, "id", Some("\"warranty\""));
            if let Some((id, span)) = &id {
                if let Some(first) = ids.get(id) {
                    let (line, _) = self.src.line_col(first.start);
                    self.err(
                        span.clone(),
                        format!("faq id `{id}` is used twice"),
                        Some(format!("the first is on line {line}")),
                    );
                } else {
                    ids.insert(id.clone(), span.clone());
                }
            }
            let question = self.string(&t, "question", Some("\"Do you offer a warranty?\""));
            let keywords = self.string_list(&t, "keywords");
            let fid = id.as_ref().map_or(String::new(), |(id, _)| id.clone());
            self.faq_keywords(&keywords, &fid, said, &mut keyword_owner);
            let answer = self.faq_answer(&t, id.as_ref());
            if let (Some((id, _)), Some((question, _)), Some((answer, _))) = (id, question, answer)
            {
                out.push(Faq {
                    id,
                    question,
                    keywords: keywords.into_iter().map(|(k, _)| k).collect(),
                    answer,
                });
            }
        }
        out
    }

    /// Warns about a keyword that is also a service's name or alias, or another FAQ's keyword;
    /// `keyword_owner` maps each normalized keyword to the FAQ that has it.
    fn faq_keywords(
        &mut self,
        keywords: &[(String, Span)],
        fid: &str,
        said: &Said,
        keyword_owner: &mut HashMap<String, String>,
    ) {
        for (k, span) in keywords {
            let norm = normalize(k);
            if let Some((service, spelled)) = said.get(&norm) {
                self.warn(
                    span.clone(),
                    format!("faq keyword `{k}` is also how callers name service `{service}`"),
                    Some(format!("a caller saying \"{spelled}\" probably wants the service; remove the keyword or the alias")),
                );
            } else if let Some(other) = keyword_owner.get(&norm).filter(|o| **o != fid) {
                self.warn(
                    span.clone(),
                    format!("faq keyword `{k}` is also a keyword of faq `{other}`"),
                    Some("keep each keyword on the one question it best answers".into()),
                );
            } else {
                keyword_owner.insert(norm, fid.to_string());
            }
        }
    }

    /// The answer the assistant says: present and not blank.
    fn faq_answer(&mut self, t: &Tab, id: Option<&(String, Span)>) -> Option<(String, Span)> {
        match t.get("answer") {
            None => {
                let which = id.map_or(String::new(), |(id, _)| format!(" `{id}`"));
                self.err(
                    t.span.clone(),
                    format!("faq{which} has no answer"),
                    Some("add `answer = \"...\"`, the words the assistant should say".into()),
                );
                None
            }
            Some(_) => match self.string(t, "answer", None) {
                Some((a, span)) if a.trim().is_empty() => {
                    self.err(
                        span,
                        "faq answer is empty",
                        Some("write the words the assistant should say".into()),
                    );
                    None
                }
                other => other,
            },
        }
    }
}
