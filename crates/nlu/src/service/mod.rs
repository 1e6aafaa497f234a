//! The per-profile lexicon: service names and aliases, FAQ questions and keywords, precomputed
//! once into token phrases over a shared vocabulary, so matching an utterance is a few hash
//! look-ups. Matching is forgiving: light stemming ("brakes" = "brake"), a respelling table for
//! speech-recognition slips ("check in gin light", "break pads"), edit-distance matching of
//! rare words ("alignmnet"), and a built-in table of generic car talk that rewrites paraphrases
//! into canonical phrases ("the little engine symbol is lit" → "check engine light"), which
//! are then matched against whatever names and aliases the profile uses. Nothing here knows a
//! profile's service ids.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: short words hash much faster than with SipHash, and the keys are not attacker
/// controlled in a way that matters (the lexicon is built from the profile).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

use crate::normalize::{Kind, Normalized};
use crate::{FaqTerm, ServiceTerm};

mod car_talk;
mod confidence;
mod words;

use car_talk::*;
use words::*;

/// One phrase over vocabulary ids, with the weight of each word.
#[derive(Debug, Clone)]
struct Phrase {
    words: Vec<u32>,
    weights: Vec<f32>,
}

#[derive(Debug, Clone)]
struct Entry {
    id: String,
    phrases: Vec<Phrase>,
}

/// One service the caller's words name, and how much of its name or best alias was said.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceMatch {
    pub id: String,
    /// 0..=1: the share of the best phrase's weight that was said; 1.0 is a whole phrase.
    pub confidence: f32,
}

/// Precomputed matchers for one profile's services and FAQs. Build once, share freely.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    vocab: FastMap<String, u32>,
    /// Vocabulary words by id, for edit-distance matching of unknown words.
    words: Vec<String>,
    services: Vec<Entry>,
    faqs: Vec<Entry>,
    /// Content words of each FAQ's question.
    faq_questions: Vec<Vec<u32>>,
}

impl Lexicon {
    pub fn new(services: Vec<ServiceTerm>, faqs: Vec<FaqTerm>) -> Lexicon {
        let mut lex = Lexicon::default();
        // Which services use each word, for weights.
        let mut phrase_words: Vec<Vec<Vec<String>>> = Vec::new();
        for s in &services {
            let mut list = Vec::new();
            for p in std::iter::once(&s.name).chain(s.aliases.iter()) {
                let words: Vec<String> = canon_words(&Normalized::new(p))
                    .into_iter()
                    .map(|(w, _)| w)
                    .filter(|w| !FILLER.contains(&w.as_str()))
                    .collect();
                if !words.is_empty() {
                    list.push(words);
                }
            }
            phrase_words.push(list);
        }
        let mut spread: HashMap<String, usize> = HashMap::new();
        for list in &phrase_words {
            let mut seen: Vec<&String> = list.iter().flatten().collect();
            seen.sort();
            seen.dedup();
            for w in seen {
                *spread.entry(w.clone()).or_default() += 1;
            }
        }
        for (s, list) in services.iter().zip(phrase_words) {
            let phrases = list
                .into_iter()
                .map(|words| {
                    let weights = words
                        .iter()
                        .map(|w| match spread.get(w).copied().unwrap_or(1) {
                            0 | 1 => 1.0,
                            2 | 3 => 0.5,
                            _ => 0.25,
                        })
                        .collect();
                    let ids = words.iter().map(|w| lex.intern(w)).collect();
                    Phrase {
                        words: ids,
                        weights,
                    }
                })
                .collect();
            lex.services.push(Entry {
                id: s.id.clone(),
                phrases,
            });
        }
        for f in &faqs {
            let phrases = f
                .keywords
                .iter()
                .filter_map(|k| {
                    // FAQ keywords are matched as whole phrases, fillers included
                    // ("do you work on").
                    let words: Vec<String> = canon_words(&Normalized::new(k))
                        .into_iter()
                        .map(|(w, _)| w)
                        .collect();
                    if words.is_empty() {
                        return None;
                    }
                    let ids: Vec<u32> = words.iter().map(|w| lex.intern(w)).collect();
                    Some(Phrase {
                        weights: vec![1.0; ids.len()],
                        words: ids,
                    })
                })
                .collect();
            lex.faqs.push(Entry {
                id: f.id.clone(),
                phrases,
            });
            let q: Vec<u32> = canon_words(&Normalized::new(&f.question))
                .into_iter()
                .map(|(w, _)| w)
                .filter(|w| !FILLER.contains(&w.as_str()) && !QUESTION_FILLER.contains(&w.as_str()))
                .map(|w| lex.intern(&w))
                .collect();
            lex.faq_questions.push(q);
        }
        // Canonical car-talk words must be in the vocabulary to be matched.
        for ct in CAR_TALK {
            for w in ct.canonical {
                lex.intern(&stem(w));
            }
        }
        lex
    }

    /// A lexicon with no services and no FAQs (intents, times, names still work).
    pub fn empty() -> Lexicon {
        Lexicon::default()
    }

    fn intern(&mut self, w: &str) -> u32 {
        if let Some(id) = self.vocab.get(w) {
            return *id;
        }
        let id = self.words.len() as u32;
        self.words.push(w.to_string());
        self.vocab.insert(w.to_string(), id);
        id
    }

    /// Maps the utterance to vocabulary ids with positions (canonical car talk included).
    fn encode(&self, n: &Normalized) -> Vec<(u32, usize)> {
        let words = canon_words(n);
        let mut out: Vec<(u32, usize)> = Vec::with_capacity(words.len() + 4);
        for (w, pos) in &words {
            if let Some(id) = self.vocab.get(w) {
                out.push((*id, *pos));
            } else if w.len() >= 6 && !COMMON.contains(&w.as_str()) && !proper_noun(n, *pos) {
                // a slip of a rare word: "alignmnet", "transmision" (same first letter)
                let mut best: Option<(f64, u32)> = None;
                let first = w.as_bytes()[0];
                for (id, v) in self.words.iter().enumerate() {
                    if v.len() < 5 || v.len().abs_diff(w.len()) > 2 || v.as_bytes()[0] != first {
                        continue;
                    }
                    let sim = strsim::normalized_levenshtein(w, v);
                    if sim >= 0.83 && best.is_none_or(|(b, _)| sim > b) {
                        best = Some((sim, id as u32));
                    }
                }
                if let Some((_, id)) = best {
                    out.push((id, *pos));
                }
            }
        }
        // generic car talk
        let mut at: FastMap<&str, Vec<usize>> = FastMap::default();
        for (w, p) in &words {
            at.entry(w.as_str()).or_default().push(*p);
        }
        let stems = car_talk_stems();
        for (ct, groups) in CAR_TALK.iter().zip(stems) {
            let mut anchor: Option<usize> = None;
            let mut ok = true;
            for g in groups {
                let hit = g
                    .iter()
                    .filter_map(|x| at.get(x.as_str()))
                    .flatten()
                    .copied()
                    .filter(|p| anchor.is_none_or(|a| p.abs_diff(a) <= 8))
                    .min();
                match hit {
                    Some(p) => {
                        anchor = Some(anchor.map_or(p, |a| a.min(p)));
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && let Some(a) = anchor {
                for w in ct.canonical {
                    if let Some(id) = self.vocab.get(&stem(w)) {
                        out.push((*id, a));
                    }
                }
            }
        }
        out
    }

    /// Best match of an entry: (coverage, position of mention).
    /// `loose`: accept a shared, non-everyday word ("brakes") when nothing distinctive was said.
    fn score(
        entry: &Entry,
        enc: &[(u32, usize)],
        words_of: &[String],
        loose: bool,
    ) -> Option<(f32, usize)> {
        let mut best: Option<(f32, usize)> = None;
        for p in &entry.phrases {
            let total: f32 = p.weights.iter().sum();
            if total <= 0.0 {
                continue;
            }
            let mut got = 0.0f32;
            let mut first: Option<usize> = None;
            let mut distinctive = false;
            let mut shared = false;
            for (w, wt) in p.words.iter().zip(&p.weights) {
                // nearest occurrence to the phrase's first hit
                let hit = enc
                    .iter()
                    .filter(|(id, _)| id == w)
                    .map(|(_, pos)| *pos)
                    .min_by_key(|pos| first.map_or(0, |f| pos.abs_diff(f)));
                if let Some(pos) = hit
                    && first.is_none_or(|f| pos.abs_diff(f) <= p.words.len() + 4)
                {
                    got += wt;
                    distinctive |= *wt >= 1.0 && !self_common(&words_of[*w as usize]);
                    shared |= *wt >= 0.5 && !self_common(&words_of[*w as usize]);
                    first = Some(first.map_or(pos, |f| f.min(pos)));
                }
            }
            let cov = got / total;
            // A partial match needs a distinctive word ("alignment", not "right" or "done").
            let ok = distinctive
                || (cov >= 0.99 && p.words.len() > 1)
                || (loose && shared && cov >= 0.5);
            if ok && let Some(f) = first {
                let better = match best {
                    None => true,
                    Some((bc, bp)) => cov > bc || (cov == bc && f < bp),
                };
                if better {
                    best = Some((cov, f));
                }
            }
        }
        best
    }

    pub(crate) fn services_in(&self, n: &Normalized) -> Vec<String> {
        self.services_scored(n).into_iter().map(|m| m.id).collect()
    }

    /// The phrase occurs word after word (a punctuation mark or an unknown word between two
    /// of its words is allowed).
    fn contiguous(words: &[u32], enc: &[(u32, usize)]) -> bool {
        let Some(first) = words.first() else {
            return false;
        };
        enc.iter().filter(|(id, _)| id == first).any(|(_, start)| {
            let mut at = *start;
            words[1..].iter().all(|w| {
                let next = enc
                    .iter()
                    .filter(|(id, p)| id == w && *p > at && *p <= at + 2)
                    .map(|(_, p)| *p)
                    .min();
                match next {
                    Some(p) => {
                        at = p;
                        true
                    }
                    None => false,
                }
            })
        })
    }

    pub(crate) fn faqs_in(&self, n: &Normalized) -> Vec<String> {
        if self.faqs.is_empty() {
            return Vec::new();
        }
        let enc = self.encode(n);
        let mut scored: Vec<(f32, usize)> = Vec::new();
        for (k, e) in self.faqs.iter().enumerate() {
            let mut score = 0.0f32;
            let mut used: Vec<u32> = Vec::new();
            for p in &e.phrases {
                if Lexicon::contiguous(&p.words, &enc) {
                    score += if p.words.len() > 1 {
                        2.0
                    } else if WEAK_KEYWORDS.contains(&self.words[p.words[0] as usize].as_str()) {
                        0.5
                    } else {
                        1.5
                    };
                    used.extend(&p.words);
                } else if p.words.len() > 2 {
                    // "drop my car off after hours" for "after hours drop off": every word,
                    // close together, in another order
                    let pos: Option<Vec<usize>> = p
                        .words
                        .iter()
                        .map(|w| enc.iter().find(|(id, _)| id == w).map(|(_, q)| *q))
                        .collect();
                    if let Some(pos) = pos {
                        let lo = pos.iter().min().copied().unwrap_or(0);
                        let hi = pos.iter().max().copied().unwrap_or(0);
                        if hi - lo <= p.words.len() + 4 {
                            score += 1.0;
                            used.extend(&p.words);
                        }
                    }
                }
            }
            if score == 0.0 {
                continue;
            }
            let overlap = self.faq_questions[k]
                .iter()
                .filter(|w| !used.contains(w) && enc.iter().any(|(id, _)| id == *w))
                .count();
            score += overlap as f32 * 0.5;
            if score >= 1.5 {
                scored.push((score, k));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .map(|(_, k)| self.faqs[k].id.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests;
