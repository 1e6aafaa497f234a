//! Which offer the caller picked: "the first one", "the later one", "2 works", "Thursday",
//! or a counter-offer relative to the times just offered ("anything later?").

use super::*;

impl<'e> Turn<'e, '_> {
    /// Which offer the caller picked: "the first one", "the later one", "2 works", "Thursday".
    pub(super) fn pick_index(&self, u: &Understanding) -> Option<usize> {
        let offers: &[Slot] = match self.prev {
            Awaiting::ChangePick => self.s.change.as_ref().map(|c| &c.offers[..]),
            _ => self.s.draft.as_ref().map(|d| &d.offers[..]),
        }
        .unwrap_or(&[]);
        // The caller's own words first; a model's pick only when they name none.
        self.pick_in(offers, u)
            .or_else(|| self.hints.pick.filter(|i| *i < offers.len()))
    }

    /// At the read-back, "no wait, make it the first one": another of the times still on offer
    /// is chosen and read back. False when the words pick none, or the one already chosen.
    pub(super) fn repick(&mut self, u: &Understanding) -> bool {
        let Some(mut d) = self.s.draft.clone() else {
            return false;
        };
        if d.offers.len() < 2 || u.time.is_some() {
            return false;
        }
        let Some(slot) = self
            .pick_in(&d.offers, u)
            .and_then(|i| d.offers.get(i).copied())
        else {
            return false;
        };
        if d.chosen == Some(slot) {
            return false;
        }
        let Some(svc) = self.service(&d) else {
            return false;
        };
        self.flow("book");
        d.chosen = Some(slot);
        self.details(d, svc);
        true
    }

    /// At the read-back, "oh sorry it's a 2011 not 2010": the car's model year said again, the
    /// one not negated, replaces the one read back.
    pub(super) fn year_corrected(&mut self) -> bool {
        let Some(mut car) = self.known_vehicle() else {
            return false;
        };
        let next_year = i32::from(self.now_local().year()) + 1;
        let words: Vec<&str> = self.words().collect();
        let year = words.iter().enumerate().find_map(|(i, w)| {
            let y: i32 = w.parse().ok().filter(|_| w.len() == 4)?;
            let negated = i > 0 && matches!(words[i - 1], "not" | "no");
            ((1950..=next_year).contains(&y) && !negated && Some(y) != car.year).then_some(y)
        });
        let (Some(year), Some(d)) = (year, self.s.draft.clone()) else {
            return false;
        };
        let Some(svc) = self.service(&d) else {
            return false;
        };
        self.flow("book");
        car.year = Some(year);
        self.s.vehicle = Some(car);
        self.details(d, svc);
        true
    }

    /// "Anything later?" (true) or "anything earlier?" (false): a counter-offer relative to the
    /// times just offered, not a pick ("the later one").
    pub(super) fn shift_asked(&self) -> Option<bool> {
        let words: Vec<&str> = self.words().take(60).collect();
        if words.contains(&"one") {
            return None;
        }
        let asking = self.text.contains('?')
            || words
                .iter()
                .any(|w| matches!(*w, "anything" | "something" | "any" | "have" | "got"));
        if !asking {
            return None;
        }
        if words.contains(&"later") {
            Some(true)
        } else if words.contains(&"earlier") || words.contains(&"sooner") {
            Some(false)
        } else {
            None
        }
    }

    pub(super) fn pick_in(&self, offers: &[Slot], u: &Understanding) -> Option<usize> {
        if offers.is_empty() {
            return None;
        }
        let words: Vec<&str> = self.words().take(60).collect();
        let any = [
            "whenever",
            "anytime",
            "any time",
            "doesn't matter",
            "whatever works",
            "either",
        ];
        if any.iter().any(|p| self.text.contains(p)) {
            // "whenever tomorrow": the first offer on the day named, if there is one.
            if let Some(t) = u.time.as_ref().filter(|t| t.has_date) {
                let zone = self.zone();
                return offers
                    .iter()
                    .position(|s| zone.to_datetime(s.start).date() == t.start.date());
            }
            return Some(0);
        }
        let shifting = self.shift_asked().is_some();
        for w in &words {
            if shifting && matches!(*w, "later" | "earlier") {
                continue;
            }
            if matches!(*w, "last" | "later" | "latest") {
                return Some(offers.len() - 1);
            }
            if let Some((_, i)) = ORDINALS.iter().find(|(o, _)| o == w) {
                return (*i < offers.len()).then_some(*i);
            }
        }
        let zone = self.zone();
        if let Some(t) = &u.time {
            if t.has_clock {
                let (h, m) = (t.start.hour(), t.start.minute());
                let found = offers.iter().position(|s| {
                    let at = zone.to_datetime(s.start);
                    let same_clock = at.hour() % 12 == h % 12 && at.minute() == m;
                    same_clock && (!t.has_date || at.date() == t.start.date())
                });
                if found.is_some() {
                    return found;
                }
                return None;
            }
            if t.has_date {
                let question = self.text.contains('?')
                    || words
                        .iter()
                        .any(|w| matches!(*w, "anything" | "any" | "what" | "how"));
                let same_day: Vec<usize> = offers
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| zone.to_datetime(s.start).date() == t.start.date())
                    .map(|(i, _)| i)
                    .collect();
                // "not today, tomorrow": a new wish, not a pick of tomorrow's one offer.
                let counter = words.contains(&"not") || words.first() == Some(&"no");
                if !question && !counter && same_day.len() == 1 {
                    return same_day.first().copied();
                }
                return None;
            }
        }
        let one = offers.len() == 1;
        let yes = u.intents.contains(&Intent::Affirm)
            || words
                .windows(2)
                .any(|p| p == ["that", "works"] || p == ["sounds", "good"]);
        (one && yes).then_some(0)
    }
}
