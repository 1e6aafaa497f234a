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

/// Words that carry no meaning for matching a service.
const FILLER: &[&str] = &[
    "a", "an", "the", "my", "to", "and", "of", "on", "for", "i", "me", "it", "is", "in", "at",
    "do", "get", "need", "your", "our", "some", "s", "im", "its", "be", "was", "are", "with",
    "that", "this", "please", "can", "you", "we", "just", "so", "up",
];

/// Speech-recognition slips and spelling variants: (heard, meant).
const RESPELL: &[(&[&str], &[&str])] = &[
    (&["in", "gin"], &["engine"]),
    (&["en", "gin"], &["engine"]),
    (&["engine", "lite"], &["engine", "light"]),
    (&["chuck", "engine"], &["check", "engine"]),
    (&["weekend", "break"], &["weekend", "rest"]),
    (&["lunch", "break"], &["lunch", "rest"]),
    // "a break job", "a break check": the car's brakes; "take a break": a rest.
    (&["a", "break", "job"], &["a", "brake", "job"]),
    (&["a", "break", "check"], &["a", "brake", "check"]),
    (&["a", "break", "inspection"], &["a", "brake", "inspection"]),
    (&["a", "break", "service"], &["a", "brake", "service"]),
    (&["a", "break", "fluid"], &["a", "brake", "fluid"]),
    (&["a", "break", "pad"], &["a", "brake", "pad"]),
    (&["a", "break", "light"], &["a", "brake", "light"]),
    (&["a", "break"], &["a", "rest"]),
    // "if my car breaks down": no brakes.
    (&["breaks", "down"], &["broken", "down"]),
    (&["break", "down"], &["broken", "down"]),
    (&["spring", "break"], &["spring", "rest"]),
    (&["break"], &["brake"]),
    (&["breaks"], &["brake"]),
    (&["braking"], &["brake"]),
    (&["tyre"], &["tire"]),
    (&["tyres"], &["tire"]),
    (&["tires"], &["tire"]),
    (&["a", "c"], &["ac"]),
    (&["air", "con"], &["ac"]),
    (&["aircon"], &["ac"]),
    (&["tranny"], &["transmission"]),
    (&["trans"], &["transmission"]),
    (&["tune", "up"], &["tuneup"]),
    (&["tune"], &["tuneup"]),
    (&["wiper"], &["wiper"]),
    (&["windshield", "wipers"], &["wiper"]),
    (&["oil", "chain"], &["oil", "change"]),
    (&["all", "change"], &["oil", "change"]),
    (&["pre", "purchase"], &["prepurchase"]),
    (&["prepurchase"], &["prepurchase"]),
    (&["pre", "buy"], &["prepurchase"]),
    (&["anti", "freeze"], &["antifreeze"]),
    (&["wont"], &["not"]),
    (&["doesnt"], &["not"]),
    (&["dont"], &["not"]),
    (&["cant"], &["not"]),
    (&["isnt"], &["not"]),
];

/// Generic car talk: if every group has a word in the utterance (within a few words of each
/// other), the canonical phrase is added where the first group matched.
struct CarTalk {
    groups: &'static [&'static [&'static str]],
    canonical: &'static [&'static str],
}

const CAR_TALK: &[CarTalk] = &[
    CarTalk {
        groups: &[
            &["engine", "motor"],
            &[
                "light",
                "symbol",
                "icon",
                "lamp",
                "warning",
                "sign",
                "indicator",
                "lit",
                "on",
            ],
        ],
        canonical: &["check", "engine", "light"],
    },
    CarTalk {
        groups: &[&["cel", "obd", "code", "codes"]],
        canonical: &["check", "engine", "light"],
    },
    CarTalk {
        groups: &[
            &["brake"],
            &[
                "squeal",
                "squeak",
                "squeaking",
                "squealing",
                "squeaky",
                "squeals",
                "squeaks",
                "grind",
                "grinding",
                "grinds",
                "noise",
                "noisy",
                "soft",
                "spongy",
                "pedal",
                "check",
                "checked",
                "look",
                "looked",
                "looking",
                "inspect",
                "inspected",
                "vibrate",
                "vibrating",
                "shake",
                "shaking",
                "pulsing",
                "pulsating",
                "screech",
                "screeching",
                "squealin",
                "light",
                "warning",
            ],
        ],
        canonical: &["brake", "inspection"],
    },
    CarTalk {
        groups: &[
            &["pad", "pads", "rotor", "rotors", "caliper"],
            &["brake", "front", "rear"],
        ],
        canonical: &["brake", "pad"],
    },
    CarTalk {
        groups: &[
            &["start", "crank", "turn", "starting", "cranking"],
            &["not", "never"],
        ],
        canonical: &["dead", "battery"],
    },
    CarTalk {
        groups: &[
            &["battery", "alternator", "charging"],
            &[
                "light", "warning", "dead", "died", "drain", "draining", "drained", "weak",
            ],
        ],
        canonical: &["dead", "battery"],
    },
    CarTalk {
        groups: &[
            &["jump", "jumpstart", "jumped", "dead", "died"],
            &["car", "battery", "truck", "it"],
        ],
        canonical: &["dead", "battery"],
    },
    CarTalk {
        groups: &[&["ac", "conditioning", "conditioner", "freon", "refrigerant"]],
        canonical: &["ac", "service"],
    },
    CarTalk {
        groups: &[&["air"], &["cold", "hot", "warm", "blowing", "blow"]],
        canonical: &["ac", "service"],
    },
    CarTalk {
        groups: &[
            &["pull", "pulls", "pulling", "drift", "drifts", "drifting"],
            &["left", "right", "side"],
        ],
        canonical: &["alignment"],
    },
    CarTalk {
        groups: &[
            &["steering", "wheel"],
            &["crooked", "off", "center", "straight"],
        ],
        canonical: &["alignment"],
    },
    CarTalk {
        groups: &[&[
            "clunk", "clunking", "clunks", "bouncy", "bouncing", "bounce", "shock", "strut",
            "struts", "shocks",
        ]],
        canonical: &["suspension"],
    },
    CarTalk {
        groups: &[&[
            "misfire",
            "misfiring",
            "rough",
            "sputter",
            "sputtering",
            "hesitat",
            "stall",
            "stalling",
            "plug",
            "plugs",
        ]],
        canonical: &["running", "rough"],
    },
    CarTalk {
        groups: &[&["sticker", "emissions", "emission", "smog"]],
        canonical: &["state", "inspection"],
    },
    CarTalk {
        groups: &[
            &["inspection", "inspected", "inspect"],
            &["state", "annual", "yearly", "safety", "expired", "expiring"],
        ],
        canonical: &["state", "inspection"],
    },
    CarTalk {
        groups: &[&["wiper", "wipers", "wiperblade"]],
        canonical: &["wiper", "blade"],
    },
    CarTalk {
        groups: &[&["rotate", "rotated", "rotation", "rotating"], &["tire"]],
        canonical: &["tire", "rotation"],
    },
    CarTalk {
        groups: &[
            &["tire"],
            &[
                "new",
                "replace",
                "replaced",
                "buy",
                "bought",
                "mount",
                "mounted",
                "install",
                "installed",
                "balance",
                "set",
                "worn",
                "bald",
            ],
        ],
        canonical: &["new", "tire"],
    },
    CarTalk {
        groups: &[
            &["transmission"],
            &[
                "fluid", "flush", "slipping", "slips", "shifting", "shift", "service",
            ],
        ],
        canonical: &["transmission", "fluid", "service"],
    },
    CarTalk {
        groups: &[&[
            "overheat",
            "overheating",
            "overheated",
            "coolant",
            "antifreeze",
            "radiator",
        ]],
        canonical: &["coolant", "flush"],
    },
    CarTalk {
        groups: &[&["timing"], &["belt", "chain"]],
        canonical: &["timing", "belt"],
    },
    CarTalk {
        groups: &[
            &["used", "buying", "purchase", "buy"],
            &[
                "car",
                "vehicle",
                "truck",
                "suv",
                "inspect",
                "inspection",
                "check",
                "mechanic",
                "look",
                "over",
            ],
        ],
        canonical: &["prepurchase", "inspection"],
    },
    CarTalk {
        groups: &[
            &["oil"],
            &[
                "change", "changed", "due", "service", "light", "sticker", "overdue",
            ],
        ],
        canonical: &["oil", "change"],
    },
    CarTalk {
        groups: &[&["diagnose", "diagnostic", "diagnosis", "diagnostics", "scan"]],
        canonical: &["diagnostic"],
    },
];

/// The car-talk groups with every word stemmed, computed once.
fn car_talk_stems() -> &'static Vec<Vec<Vec<String>>> {
    static STEMS: std::sync::OnceLock<Vec<Vec<Vec<String>>>> = std::sync::OnceLock::new();
    STEMS.get_or_init(|| {
        CAR_TALK
            .iter()
            .map(|ct| {
                ct.groups
                    .iter()
                    .map(|g| g.iter().map(|x| stem(x)).collect())
                    .collect()
            })
            .collect()
    })
}

fn stem(w: &str) -> String {
    let w = w.trim_matches('\'');
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Splits a profile phrase or an utterance into canonical words (respelled, stemmed), with
/// each word's token index.
fn canon_words(n: &Normalized) -> Vec<(String, usize)> {
    let raw: Vec<(&str, usize)> = n
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != Kind::Punct)
        .map(|(i, t)| (t.text.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(raw.len() + 4);
    let mut k = 0;
    'outer: while k < raw.len() {
        for (heard, meant) in RESPELL {
            if k + heard.len() <= raw.len()
                && heard.iter().enumerate().all(|(j, h)| raw[k + j].0 == *h)
            {
                for m in *meant {
                    out.push((stem(m), raw[k].1));
                }
                k += heard.len();
                continue 'outer;
            }
        }
        out.push((stem(raw[k].0), raw[k].1));
        k += 1;
    }
    out
}

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

    /// The services a caller's words name, in order of mention, each with how confident the
    /// match is: 1.0 when a whole name or alias was said ("brake pads"), less when only part
    /// of one was ("transmission" for "transmission fluid service"). Quote or book on a
    /// confident match only, or after the caller said yes to "did you mean ...?".
    pub fn service_matches(&self, text: &str) -> Vec<ServiceMatch> {
        self.services_scored(&Normalized::new(text))
    }

    fn services_scored(&self, n: &Normalized) -> Vec<ServiceMatch> {
        if self.services.is_empty() {
            return Vec::new();
        }
        let enc = self.encode(n);
        if enc.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(f32, usize, usize)> = Vec::new(); // (coverage, pos, index)
        for (k, e) in self.services.iter().enumerate() {
            if let Some((cov, pos)) = Lexicon::score(e, &enc, &self.words, false) {
                hits.push((cov, pos, k));
            }
        }
        if hits.is_empty() {
            // "bring it in for brakes": a word two or three services share; the best covered
            // (first in the profile on a tie) wins.
            let mut best: Option<(f32, usize, usize)> = None;
            for (k, e) in self.services.iter().enumerate() {
                if let Some((cov, pos)) = Lexicon::score(e, &enc, &self.words, true)
                    && best.is_none_or(|b| cov > b.0)
                {
                    best = Some((cov, pos, k));
                }
            }
            hits.extend(best);
        }
        // Full matches win; partial ones count only where no full match covers that place.
        let full: Vec<(f32, usize, usize)> = hits.iter().copied().filter(|h| h.0 >= 0.99).collect();
        let mut chosen: Vec<(usize, usize, f32)> = full.iter().map(|h| (h.1, h.2, h.0)).collect();
        let mut partial: Vec<(f32, usize, usize)> =
            hits.iter().copied().filter(|h| h.0 < 0.99).collect();
        partial.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        for p in partial {
            if chosen.iter().any(|c| c.0.abs_diff(p.1) <= 3) {
                continue;
            }
            chosen.push((p.1, p.2, p.0));
        }
        // A partial match is no match when the caller names a different job ("rebuild a
        // transmission" is not the transmission fluid service): never the nearest service.
        chosen.retain(|(pos, k, _)| !self.foreign_job(*k, *pos, n));
        // Several services said at one place ("brakes"): keep the best one there.
        chosen.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
        let mut out: Vec<ServiceMatch> = Vec::new();
        let mut last_pos: Option<(usize, f32)> = None;
        for (pos, k, cov) in chosen {
            if let Some((lp, lc)) = last_pos
                && lp == pos
                && cov <= lc
                && cov < 0.99
            {
                continue;
            }
            let id = &self.services[k].id;
            if !out.iter().any(|m| &m.id == id) {
                let core = self.core_coverage(k, &enc);
                out.push(ServiceMatch {
                    id: id.clone(),
                    confidence: cov.max(core).clamp(0.0, 1.0),
                });
            }
            last_pos = Some((pos, cov));
        }
        out
    }

    /// How much of service `k`'s name was said, not counting words that name no
    /// particular job ("swap", "service", "replacement"): "a battery" says all of "battery
    /// swap", "a transmission" only half of "transmission fluid service".
    fn core_coverage(&self, k: usize, enc: &[(u32, usize)]) -> f32 {
        let Some(e) = self.services.get(k) else {
            return 0.0;
        };
        // The name only (the first phrase): aliases are already matched whole or not at all.
        let mut best = 0.0f32;
        for p in e.phrases.iter().take(1) {
            let core: Vec<(u32, f32)> = p
                .words
                .iter()
                .zip(&p.weights)
                .filter(|(id, _)| {
                    self.words
                        .get(**id as usize)
                        .is_some_and(|w| !GENERIC_JOB.contains(&w.as_str()))
                })
                .map(|(id, wt)| (*id, *wt))
                .collect();
            let total: f32 = core.iter().map(|(_, wt)| wt).sum();
            if total <= 0.0 {
                continue;
            }
            let got: f32 = core
                .iter()
                .filter(|(id, _)| enc.iter().any(|(x, _)| x == id))
                .map(|(_, wt)| wt)
                .sum();
            best = best.max(got / total);
        }
        best
    }

    /// The caller names a kind of work ("rebuild", "paint", "replace") that service `k`'s
    /// own words do not: a partial match then is a different job.
    /// Only a job word near the match counts ("rebuild the engine", not "an oil change, and
    /// can you paint the hood too").
    fn foreign_job(&self, k: usize, pos: usize, n: &Normalized) -> bool {
        let Some(e) = self.services.get(k) else {
            return false;
        };
        let near = pos.saturating_sub(4)..pos + 4;
        let words = n
            .tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| near.contains(i) && JOB_WORDS.contains(&t.text.as_str()))
            .map(|(_, t)| t.text.as_str());
        words.into_iter().any(|w| {
            let st = stem(w);
            !e.phrases.iter().any(|p| {
                p.words.iter().any(|id| {
                    self.words
                        .get(*id as usize)
                        .is_some_and(|x| *x == st || x == w)
                })
            })
        })
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

/// Question words that say nothing about which FAQ is asked.
const QUESTION_FILLER: &[&str] = &[
    "what", "how", "when", "where", "why", "which", "who", "have", "any", "or", "will", "would",
    "could", "should", "does", "did", "if", "there", "offer", "before",
];

/// Everyday words that may sit in a service alias ("pulling to the right", "brakes done") but
/// never name a service on their own.
const COMMON_TALK: &[&str] = &[
    "right", "left", "done", "running", "feel", "feels", "balance", "set", "side", "one", "new",
    "check", "on", "off", "noise", "soft", "ride", "front", "rear", "change", "service", "light",
    "car", "test", "time", "start", "cam", "state", "annual", "full", "put", "replace", "floor",
    "pedal", "goes", "blowing", "hot", "cold", "not", "buy", "buying", "used", "before", "kit",
    "code", "read", "soon", "run", "out", "over", "care", "rough", "idle", "job", "wheel", "4",
    "timing", "four", "2", "two", "1", "3", "5", "6", "8",
];

/// Whether a (stemmed) word is everyday talk.
/// A capitalised word inside a sentence ("his name is Walter Green") is a name, never a slip
/// of a service word ("water").
fn proper_noun(n: &Normalized, pos: usize) -> bool {
    pos > 0
        && n.tok(pos).is_some_and(|t| t.capital)
        && !matches!(n.text_at(pos - 1), "." | "!" | "?")
}

/// Words in a service's name that say what is done, not to what: "battery swap" is about the
/// battery.
const GENERIC_JOB: &[&str] = &[
    "service",
    "repair",
    "replacement",
    "replace",
    "swap",
    "change",
    "install",
    "installation",
    "check",
    "test",
    "job",
    "work",
    "quick",
];

/// Kinds of work a caller may ask for: a service that does not name the same kind of work is
/// not the job asked for.
const JOB_WORDS: &[&str] = &[
    "rebuild",
    "rebuilt",
    "rebuilding",
    "overhaul",
    "paint",
    "painting",
    "repaint",
    "respray",
    "dent",
    "dents",
    "bodywork",
    "weld",
    "welding",
    "swap",
    "upholstery",
    "tint",
    "tinting",
    "wrap",
    "detail",
    "detailing",
];

fn self_common(w: &str) -> bool {
    static STEMS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    STEMS
        .get_or_init(|| COMMON_TALK.iter().map(|c| stem(c)).collect())
        .iter()
        .any(|c| c == w)
}

/// Keywords too common to name a FAQ on their own.
const WEAK_KEYWORDS: &[&str] = &[
    "make", "pay", "check", "wait", "ride", "covered", "approve", "truck", "drop", "work", "take",
    "card", "car", "service", "time", "parts", "part", "price",
];

/// Frequent words never treated as slips of a service word.
const COMMON: &[&str] = &[
    "about",
    "after",
    "again",
    "appointment",
    "around",
    "because",
    "before",
    "could",
    "would",
    "should",
    "there",
    "their",
    "think",
    "thanks",
    "thank",
    "today",
    "tomorrow",
    "morning",
    "afternoon",
    "evening",
    "please",
    "really",
    "right",
    "since",
    "still",
    "where",
    "which",
    "while",
    "without",
    "hello",
    "sorry",
    "maybe",
    "great",
    "sounds",
    "friday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "saturday",
    "sunday",
    "there",
    "these",
    "those",
    "thing",
    "things",
    "somebody",
    "someone",
    "something",
    "price",
    "much",
    "cost",
    "honda",
    "toyota",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        let s = |id: &str, name: &str, aliases: &[&str]| ServiceTerm {
            id: id.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        Lexicon::new(
            vec![
                s("oil", "oil change", &["lube oil and filter"]),
                s("diag", "check engine light diagnostic", &["engine light"]),
                s(
                    "pads",
                    "brake pad replacement",
                    &["brake job", "new brakes"],
                ),
                s("brake_check", "brake inspection", &["brake check"]),
                s("rotate", "tire rotation", &["rotate tires"]),
            ],
            vec![FaqTerm {
                id: "warranty".into(),
                question: "Do you offer a warranty?".into(),
                keywords: vec!["warranty".into(), "guarantee".into()],
            }],
        )
    }

    fn services(text: &str) -> Vec<String> {
        lex().services_in(&Normalized::new(text))
    }

    #[test]
    fn a_paraphrased_engine_light_is_a_diagnostic() {
        assert_eq!(services("the little engine symbol is lit"), ["diag"]);
        assert_eq!(services("my engine light came on"), ["diag"]);
    }

    #[test]
    fn speech_slips_still_find_the_service() {
        assert_eq!(services("check in gin light is on"), ["diag"]);
        assert_eq!(services("I need break pads"), ["pads"]);
    }

    #[test]
    fn several_services_come_in_order_of_mention() {
        assert_eq!(
            services("rotate my tires and do an oil change"),
            ["rotate", "oil"]
        );
    }

    #[test]
    fn squealing_brakes_are_a_brake_inspection() {
        assert_eq!(services("my brakes are squealing"), ["brake_check"]);
    }

    #[test]
    fn a_faq_keyword_in_a_question_matches_the_faq() {
        let l = lex();
        assert_eq!(
            l.faqs_in(&Normalized::new("do you guys have a warranty on that?")),
            ["warranty"]
        );
        assert!(l.faqs_in(&Normalized::new("hello")).is_empty());
    }
}
