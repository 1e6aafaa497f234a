//! Questions answered from the profile alone: prices (exact, range with what moves it, or a
//! quote callback), hours (the week, or the day asked about), the address.

use super::*;

impl<'e> Turn<'e, '_> {
    pub(super) fn price(&mut self, u: &Understanding, raw: &str) {
        self.flow("price");
        let mut ids = u.services.clone();
        let at_hand = self.s.draft.as_ref().and_then(|d| d.service_id.clone());
        if ids.is_empty()
            && let Some(id) = at_hand.clone()
        {
            if !names_no_job(raw) {
                // "how much to rebuild a transmission?" while an oil change is on offer: a job
                // of its own that is not on the menu, not the price of the one at hand.
                self.say(say::unknown_price());
                if let Some(d) = self.s.draft.as_mut() {
                    super::book::add_note(d, &format!("also asked for a quote: \"{}\"", clip(raw)));
                }
                return;
            }
            ids.push(id);
        }
        if ids.is_empty() {
            if raw.split_whitespace().count() > 4 {
                self.say(say::unknown_price());
                self.promise_callback(
                    "wants a quote for something not on the menu",
                    Urgency::Normal,
                );
            } else {
                self.say("Which service would you like a price for?");
                self.ask(Awaiting::Service, Some(Asked::Service));
            }
            return;
        }
        if self.guess_service(&u.services, raw) {
            return;
        }
        let mut first_bookable = None;
        for id in &ids {
            if let Some(svc) = self.p().service(id) {
                self.say(say::price_is(&svc.name, &svc.price.spoken()));
                if first_bookable.is_none() {
                    first_bookable = Some(svc.id.clone());
                }
            }
        }
        let wants_booking = u.intents.contains(&Intent::Book);
        let draft_service = self.s.draft.as_ref().and_then(|d| d.service_id.clone());
        if let Some(id) = first_bookable {
            if draft_service.as_deref() == Some(id.as_str()) {
                if let Some(d) = self.s.draft.as_mut() {
                    d.priced = true;
                }
            } else if draft_service.is_none() {
                self.s.draft = Some(Draft {
                    service_id: Some(id),
                    priced: true,
                    notes: Some(raw.chars().take(300).collect()),
                    ..Draft::default()
                });
                self.offer_time = !wants_booking;
            }
        }
    }

    pub(super) fn hours(&mut self, time: Option<&TimeExpr>) {
        self.flow("hours");
        if self.asks_about_now() {
            self.say_open_now();
            return;
        }
        // "are you open on the weekend", "Monday to Wednesday": each day of a span of days.
        if let Some(t) = time.filter(|t| t.has_date)
            && let Some(end) = t.end
            && (end.date() - t.start.date()).get_days() >= 2
        {
            let mut day = t.start.date();
            if t.start.hour() >= 12 {
                day = day.tomorrow().unwrap_or(day);
            }
            let mut said = 0;
            while day < end.date() && said < 7 {
                self.say_hours_on(day);
                said += 1;
                day = match day.tomorrow() {
                    Ok(d) => d,
                    Err(_) => break,
                };
            }
            if said > 0 {
                return;
            }
        }
        if let Some(t) = time.filter(|t| t.has_date) {
            self.say_hours_on(t.start.date());
            return;
        }
        let p = self.p();
        let words = speak::weekly_hours(&p.hours, self.ctx.channel);
        self.say(say::hours(&words));
    }

    /// "are you open right now?", "you guys still open?": a question about this moment.
    fn asks_about_now(&self) -> bool {
        [
            "right now",
            "open now",
            "still open",
            "currently open",
            "open at the moment",
            "open yet",
        ]
        .iter()
        .any(|p| self.text.contains(p))
    }

    /// Open or closed at this moment, and until when or when next: "We're open right now, until
    /// 1 PM." / "We're closed right now. Monday we're open 7:30 AM to 12 PM and 1 PM to 6 PM."
    fn say_open_now(&mut self) {
        let p = self.p();
        let now = self.now_local();
        let today = now.date();
        let current = p
            .open_intervals(today)
            .into_iter()
            .find(|(a, b)| *a <= now.time() && now.time() < *b);
        if let Some((_, end)) = current {
            self.say(say::open_now_until(&frontdesk_profile::clock(end)));
            return;
        }
        self.say(say::CLOSED_NOW);
        let later_today = p.open_intervals(today).iter().any(|(a, _)| *a > now.time());
        let next = (0..8)
            .filter_map(|k| today.checked_add(jiff::ToSpan::days(k)).ok())
            .find(|d| (*d != today || later_today) && !p.open_intervals(*d).is_empty());
        if let Some(day) = next {
            self.say_hours_on(day);
        }
    }

    /// The hours of one day: "Tomorrow we're open 8 AM to 7 PM", "We're closed on Sunday".
    fn say_hours_on(&mut self, date: jiff::civil::Date) {
        let p = self.p();
        let today = self.now_local().date();
        let day = match (date - today).get_days() {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            2..=6 => speak::weekday(date.weekday()).to_string(),
            _ => speak::day_full(date),
        };
        let shifts = p.open_intervals(date);
        if shifts.is_empty() {
            self.say(speak::capitalise(&say::closed_on(&day)));
        } else {
            let words: Vec<String> = shifts
                .iter()
                .map(|(a, b)| {
                    format!(
                        "{} to {}",
                        frontdesk_profile::clock(*a),
                        frontdesk_profile::clock(*b)
                    )
                })
                .collect();
            self.say(speak::capitalise(&say::open_on(
                &day,
                &speak::and_list(&words),
            )));
        }
    }

    pub(super) fn location(&mut self) {
        self.flow("location");
        let p = self.p();
        self.say(say::location(&p.business.address));
        if self.ctx.channel == Channel::Sms
            && let Some(w) = &p.business.website
        {
            self.say(w.clone());
        }
    }

    /// A price asked for a service only partly named ("how much is a transmission?"): ask
    /// "did you mean the transmission fluid service?" before quoting. True when asked.
    fn guess_service(&mut self, said: &[String], raw: &str) -> bool {
        let Some(svc) = self.unsure_service(said, raw) else {
            return false;
        };
        self.ask_did_you_mean(svc);
        true
    }

    /// The one service the caller's own words name only in part ("brakes", "a
    /// transmission"): quoting or booking it needs a yes to "did you mean ...?" first.
    pub(super) fn unsure_service(&self, said: &[String], raw: &str) -> Option<&'e Service> {
        if !self.builtin || said.len() != 1 || self.prev == Awaiting::ServiceGuess {
            return None;
        }
        let id = &said[0];
        let confident = self
            .e
            .lexicon
            .service_matches(raw)
            .iter()
            .find(|m| &m.id == id)
            .is_none_or(|m| m.confidence >= 0.9);
        self.p().service(id).filter(|_| !confident)
    }

    pub(super) fn ask_did_you_mean(&mut self, svc: &Service) {
        self.say(say::did_you_mean(&svc.name));
        self.s.guess = Some(svc.id.clone());
        self.ask(Awaiting::ServiceGuess, Some(Asked::Confirm));
    }

    /// The answer to "did you mean ...?": a yes quotes that service, a no is a job for a
    /// person to quote. False when it was neither.
    pub(super) fn service_guess(&mut self, u: &Understanding, raw: &str) -> bool {
        let Some(id) = self.s.guess.take() else {
            return false;
        };
        let has = |i: Intent| u.intents.contains(&i);
        let booking = self.s.draft.is_some();
        if has(Intent::Affirm) && !has(Intent::Deny) {
            let mut u = u.clone();
            u.services = vec![id];
            if booking {
                self.book(&u, raw);
                return true;
            }
            self.price(&u, raw);
            if self.offer_time {
                self.say(say::WANT_A_TIME);
                self.ask(Awaiting::OfferBooking, Some(Asked::Confirm));
            }
            return true;
        }
        // "no, a whole new transmission": the same words again are still not that service.
        if has(Intent::Deny) && u.services.iter().all(|s| *s == id) {
            if booking && u.services.is_empty() {
                self.flow("book");
                self.say(say::WHICH_SERVICE);
                self.ask(Awaiting::Service, Some(Asked::Service));
                return true;
            }
            self.flow("price");
            self.say(say::needs_a_quote());
            self.promise_callback("wants a quote for a job not on the menu", Urgency::Normal);
            return true;
        }
        // "front only, 2015 civic": details of the job, neither yes nor no. Asked once more,
        // so the question the caller came with is not dropped.
        let details_only = u.intents.is_empty() && u.services.is_empty() && u.time.is_none();
        if details_only
            && !self.s.last_reply.ends_with(say::YES_OR_NO)
            && let Some(svc) = self.p().service(&id)
        {
            self.flow(if booking { "book" } else { "price" });
            self.ask_did_you_mean(svc);
            self.say(say::YES_OR_NO);
            return true;
        }
        false
    }
}

/// Words a price question about the service already being booked is made of ("how much is that
/// gonna run me?", "what's the total again?"); any other word names a job of its own.
const PLAIN_PRICE_WORDS: &[&str] = &[
    "how",
    "much",
    "is",
    "it",
    "its",
    "that",
    "thats",
    "this",
    "the",
    "a",
    "an",
    "what",
    "whats",
    "will",
    "would",
    "be",
    "cost",
    "costs",
    "price",
    "prices",
    "pricing",
    "charge",
    "run",
    "me",
    "for",
    "again",
    "total",
    "so",
    "ok",
    "okay",
    "and",
    "also",
    "about",
    "does",
    "do",
    "you",
    "i",
    "to",
    "going",
    "gonna",
    "one",
    "job",
    "service",
    "quote",
    "estimate",
    "roughly",
    "ballpark",
    "approximately",
    "guys",
    "just",
    "wondering",
    "was",
    "pay",
    "owe",
    "on",
    "of",
    "like",
    "um",
    "uh",
    "hey",
    "hi",
    "please",
    "pls",
    "thanks",
    "hw",
    "wat",
    "u",
    "ur",
    "r",
    "4",
    "set",
    "back",
    "damage",
    "altogether",
    "all",
    "in",
    "out",
    "door",
    "with",
    "tax",
    "labor",
    "parts",
    "including",
    "y'all",
    "yall",
    "then",
    "there",
    "now",
    "exactly",
    "usually",
    "typically",
    "normally",
    "can",
    "tell",
];

/// Whether a price question names no job of its own (see [`PLAIN_PRICE_WORDS`]). Only the
/// clause that asks the price counts: "how much is it and are you open Saturday?" asks about
/// the job at hand and the hours.
fn names_no_job(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    let clauses: Vec<Vec<&str>> = lower
        .split([',', '?', '.', '!', ';'])
        .flat_map(|c| {
            let words: Vec<&str> = c
                .split(|ch: char| !ch.is_alphanumeric() && ch != '\'')
                .filter(|w| !w.is_empty())
                .collect();
            words
                .split(|w| matches!(*w, "and" | "but" | "plus"))
                .map(<[&str]>::to_vec)
                .collect::<Vec<_>>()
        })
        .collect();
    let asks_price = |c: &Vec<&str>| {
        c.iter()
            .any(|w| matches!(*w, "much" | "price" | "cost" | "costs" | "charge" | "run"))
    };
    let clause = clauses
        .iter()
        .find(|c| asks_price(c))
        .cloned()
        .unwrap_or_else(|| clauses.concat());
    clause
        .iter()
        .all(|w| PLAIN_PRICE_WORDS.contains(&w.replace('\'', "").as_str()))
}

/// The caller's words, bounded, for a note.
fn clip(raw: &str) -> String {
    raw.chars().take(160).collect()
}

#[cfg(test)]
mod tests {
    use super::names_no_job;

    #[test]
    fn a_price_question_about_the_job_at_hand_names_no_job_and_one_about_another_does() {
        for plain in [
            "how much is that gonna run me?",
            "what's the total again",
            "how much is it and are you open Saturday?",
            "hw much 4 that",
        ] {
            assert!(names_no_job(plain), "{plain}");
        }
        for other in [
            "how much to rebuild a transmission?",
            "also how much for a new clutch",
            "and what would you charge to paint the hood",
        ] {
            assert!(!names_no_job(other), "{other}");
        }
    }
}
