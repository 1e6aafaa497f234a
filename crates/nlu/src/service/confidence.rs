//! How confident a service match is: how much of a name or alias was said (not counting
//! words that name no particular job), and whether the caller asked for another kind of work
//! near the match ("rebuild a transmission" is no transmission fluid service). Quoting and
//! booking need a confident match.

use super::*;

impl Lexicon {
    /// The services a caller's words name, in order of mention, each with how confident the
    /// match is: 1.0 when a whole name or alias was said ("brake pads"), less when only part
    /// of one was ("transmission" for "transmission fluid service"). Quote or book on a
    /// confident match only, or after the caller said yes to "did you mean ...?".
    pub fn service_matches(&self, text: &str) -> Vec<ServiceMatch> {
        self.services_scored(&Normalized::new(text))
    }

    pub(super) fn services_scored(&self, n: &Normalized) -> Vec<ServiceMatch> {
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
}

/// Words in a service's name that say what is done, not to what: "battery swap" is about the
/// battery.
pub(super) const GENERIC_JOB: &[&str] = &[
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
pub(super) const JOB_WORDS: &[&str] = &[
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
