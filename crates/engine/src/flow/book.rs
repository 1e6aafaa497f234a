//! Booking: the service, offers only from the scheduler, a pick or a counter-offer, the
//! missing details, the read-back and the yes; a request for a person when the calendar is down.

use super::*;

impl<'e> Turn<'e, '_> {
    pub(super) fn service(&self, d: &Draft) -> Option<&'e Service> {
        d.service_id
            .as_deref()
            .and_then(|id| self.e.profile.service(id))
    }

    /// Offers for a service: the soonest matching slots, at most the profile's number.
    pub(super) fn offers_for(
        &self,
        svc: &Service,
        w: &Want,
        exclude_busy: &[Busy],
        taken: Option<Slot>,
    ) -> Vec<Slot> {
        let mut busy: Vec<Busy> = self.busy_without(exclude_busy);
        if let Some(t) = taken {
            busy.push(Busy::blocked(t.start, t.end));
        }
        let n = usize::try_from(self.p().booking.offer_choices.clamp(1, 6)).unwrap_or(3);
        offer(
            &self.e.rules,
            svc.duration_minutes,
            &busy,
            self.ctx.now,
            w,
            n,
        )
    }

    /// The calendar's busy entries, minus one occurrence of each entry in `exclude` (the
    /// caller's own appointment when moving it).
    pub(super) fn busy_without(&self, exclude: &[Busy]) -> Vec<Busy> {
        let mut busy = self.ctx.calendar.busy.clone();
        for x in exclude {
            if let Some(i) = busy
                .iter()
                .position(|b| b.start == x.start && b.end == x.end)
            {
                busy.remove(i);
            }
        }
        busy
    }

    pub(super) fn slot_words(&self, slots: &[Slot]) -> String {
        let starts: Vec<Timestamp> = slots.iter().map(|s| s.start).collect();
        speak::slot_list(&starts, self.ctx.now, self.zone())
    }

    /// Which offer the caller picked: "the first one", "the later one", "2 works", "Thursday".
    pub(super) fn pick_index(&self, u: &Understanding) -> Option<usize> {
        let offers: &[Slot] = match self.prev {
            Awaiting::ChangePick => self.s.change.as_ref().map(|c| &c.offers[..]),
            _ => self.s.draft.as_ref().map(|d| &d.offers[..]),
        }
        .unwrap_or(&[]);
        self.pick_in(offers, u)
    }

    /// "Anything later?" (true) or "anything earlier?" (false): a counter-offer relative to the
    /// times just offered, not a pick ("the later one").
    pub(super) fn shift_asked(&self) -> Option<bool> {
        let words: Vec<&str> = self
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(60)
            .collect();
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
        let words: Vec<&str> = self
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(60)
            .collect();
        let any = [
            "whenever",
            "anytime",
            "any time",
            "doesn't matter",
            "whatever works",
            "either",
        ];
        if any.iter().any(|p| self.text.contains(p)) {
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

    pub(super) fn book(&mut self, u: &Understanding, raw: &str) {
        self.flow("book");
        self.s.misunderstood = 0;
        let picked = if matches!(self.prev, Awaiting::Pick) {
            self.pick_index(u)
        } else {
            None
        };
        let mut d = self.s.draft.take().unwrap_or_default();
        if let Some(m) = u.mileage {
            d.mileage = Some(m);
        }
        // A service only partly named ("bring it in for brakes"): "did you mean ...?" first.
        if d.service_id.is_none()
            && let Some(svc) = self.unsure_service(&u.services, raw)
        {
            if let Some(t) = &u.time {
                d.want = Some(t.clone());
            }
            self.s.draft = Some(d);
            self.ask_did_you_mean(svc);
            return;
        }
        // The service, or a change of service ("no, an oil change instead").
        if let Some(id) = u.services.iter().find(|id| self.p().service(id).is_some())
            && d.service_id.as_deref() != Some(id.as_str())
        {
            let had = d.service_id.is_some();
            d.service_id = Some(id.clone());
            d.priced = false;
            if had {
                // Keep the caller's time if it still fits the new service.
                d.offers.clear();
                d.chosen = d.chosen.filter(|slot| {
                    self.p().service(id).is_some_and(|svc| {
                        check_slot(
                            &self.e.rules,
                            svc.duration_minutes,
                            &self.ctx.calendar.busy,
                            self.ctx.now,
                            slot.start,
                        )
                        .is_ok()
                    })
                });
            }
            if d.notes.is_none() {
                d.notes = Some(raw.chars().take(300).collect());
            }
        }
        let also: Vec<String> = u
            .services
            .iter()
            .filter(|id| Some(id.as_str()) != d.service_id.as_deref())
            .filter_map(|id| self.p().service(id).map(|s| s.name.clone()))
            .collect();
        if !also.is_empty() && d.service_id.is_some() {
            let list = speak::and_list(&also);
            self.say(say::also_noted(&list));
            let note = format!("also asked about: {list}");
            d.notes = Some(match d.notes.take() {
                Some(n) => format!("{n}; {note}"),
                None => note,
            });
        }
        let Some(svc) = self.service(&d) else {
            if let Some(t) = &u.time {
                d.want = Some(t.clone());
            }
            self.s.draft = Some(d);
            self.say(say::WHICH_SERVICE);
            self.ask(Awaiting::Service, Some(Asked::Service));
            return;
        };
        if !d.priced {
            d.priced = true;
            if svc.bookable {
                self.say(say::price_is(&svc.name, &svc.price.spoken()));
            } else {
                self.say(say::needs_a_look(&svc.name));
                if !matches!(svc.price, frontdesk_profile::Price::Quote { .. }) {
                    self.say(say::price_is(&svc.name, &svc.price.spoken()));
                }
            }
        }
        if self.p().after_hours.behaviour == AfterHoursBehaviour::CallbackOnly
            && !self.p().is_open(self.ctx.now)
        {
            let reason = format!("wants to book {}", svc.name);
            self.s.draft = Some(d);
            self.promise_callback(&reason, Urgency::Normal);
            return;
        }

        let context_date = d
            .want
            .as_ref()
            .filter(|w| w.has_date)
            .map(|w| w.start.date());
        let said_time = u
            .time
            .as_ref()
            .filter(|t| !t.latent || self.prev == Awaiting::Pick)
            .map(|t| self.plausible(t, context_date));
        // A wish said before the service was known ("book me for Friday at 3", "oil change").
        let earlier = (matches!(self.prev, Awaiting::Service | Awaiting::ServiceGuess)
            && d.chosen.is_none())
        .then(|| d.want.clone())
        .flatten();
        let shift = (self.prev == Awaiting::Pick && said_time.is_none())
            .then(|| self.shift_asked())
            .flatten();
        if let Some(later) = shift {
            let mut w = d
                .want
                .as_ref()
                .map(|t| want(t, self.now_local()))
                .unwrap_or_default();
            w.preferred = None;
            if later {
                if let Some(last) = d.offers.last() {
                    w.not_before = Some(
                        self.zone()
                            .to_datetime(last.start + jiff::SignedDuration::from_mins(1)),
                    );
                }
            } else {
                w = Want::default();
            }
            // "anything later in the day": later on the day wanted first, else any later day.
            let mut offers = self.offers_for(svc, &w, &[], None);
            if offers.is_empty() && later && !w.windows.is_empty() {
                w.windows.clear();
                offers = self.offers_for(svc, &w, &[], None);
            }
            let same = offers.first() == d.offers.first();
            let list = self.slot_words(&offers);
            if offers.is_empty() {
                self.say(say::no_offers("later than that"));
            } else if !later && same {
                self.say(say::earliest(&list));
            } else {
                self.say(say::offers(&list));
            }
            if !offers.is_empty() {
                d.offers = offers;
            }
            d.chosen = None;
            self.s.draft = Some(d);
            self.ask(Awaiting::Pick, Some(Asked::Time));
            return;
        }
        if let Some(slot) = self.earliest_overall(svc, &d) {
            // "I'll take the earliest you've got": the soonest open time, even when the
            // offers were for a later day.
            d.chosen = Some(slot);
            d.want = None;
            self.say(say::exact_free(&self.near(slot.start)));
        } else if let Some(i) = picked {
            d.chosen = d.offers.get(i).copied();
        } else if let Some(t) = said_time.or(earlier).as_ref() {
            d.want = Some(t.clone());
            d.chosen = None;
            if is_exact_start(t) {
                match self.exact(svc, t) {
                    Ok(slot) => {
                        d.chosen = Some(slot);
                        self.say(say::exact_free(&self.near(slot.start)));
                    }
                    Err((why, offers)) => {
                        let list = self.slot_words(&offers);
                        let when = self.near_local(t.start);
                        self.say(say::exact_refused(&when, &why, &list));
                        d.offers = offers;
                        self.s.draft = Some(d);
                        self.ask(Awaiting::Pick, Some(Asked::Time));
                        return;
                    }
                }
            } else {
                self.offer_slots(&mut d, svc, Some(t));
                return;
            }
        } else if d.chosen.is_none() {
            let affirm = u.intents.contains(&Intent::Affirm);
            if self.prev == Awaiting::Pick && !d.offers.is_empty() && affirm && d.which_asked > 0 {
                // A second yes without a choice: take the first offer; the read-back lets the
                // caller correct it.
                d.chosen = d.offers.first().copied();
                self.details(d, svc);
                return;
            }
            if self.prev == Awaiting::Pick
                && !d.offers.is_empty()
                && (affirm || u.name.is_some() || u.vehicle.is_some())
            {
                d.which_asked += 1;
                self.s.draft = Some(d);
                self.say(say::WHICH_ONE);
                self.ask(Awaiting::Pick, Some(Asked::Time));
                return;
            }
            let t = d.want.clone();
            self.offer_slots(&mut d, svc, t.as_ref());
            return;
        }
        self.details(d, svc);
    }

    /// "the earliest you've got" (not "the earliest one", a pick among the offers) while
    /// offers are open: the soonest slot overall, when it is sooner than the first offer.
    fn earliest_overall(&self, svc: &Service, d: &Draft) -> Option<Slot> {
        let one = self
            .text
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "one");
        if self.prev != Awaiting::Pick || one {
            return None;
        }
        if !self.cues.earliest {
            return None;
        }
        let soonest = *self.offers_for(svc, &Want::default(), &[], None).first()?;
        d.offers
            .first()
            .is_none_or(|o| soonest.start < o.start)
            .then_some(soonest)
    }

    /// A bare clock ("8", "2:30") placed where the shop works: "8" is 8 AM at a shop closed at
    /// 8 PM, "2:30" is 2:30 PM at a shop closed at night, on the day already being talked about
    /// when there is one, else at its next occurrence. The result is a dated time.
    pub(super) fn plausible(&self, t: &TimeExpr, day: Option<jiff::civil::Date>) -> TimeExpr {
        // "afternoon is better" while Thursday is being talked about: Thursday afternoon.
        if t.has_clock
            && !t.has_date
            && let (Some(end), Some(d)) = (t.end, day)
            && let Ok(shift) = t.start.date().until(d)
        {
            let mut out = t.clone();
            out.start = t.start.checked_add(shift).unwrap_or(t.start);
            out.end = end.checked_add(shift).ok();
            out.has_date = true;
            return out;
        }
        if !t.has_clock || t.has_date || t.bound != frontdesk_nlu::Bound::Exact || t.end.is_some() {
            return t.clone();
        }
        let open_at = |h: i8, m: i8| {
            jiff::civil::Time::new(h, m, 0, 0).is_ok_and(|at| {
                self.p()
                    .hours
                    .week
                    .iter()
                    .flatten()
                    .any(|(a, b)| *a <= at && at < *b)
            })
        };
        let (h, m) = (t.start.hour(), t.start.minute());
        let hour = if open_at(h, m) {
            h
        } else if h >= 12 && open_at(h - 12, m) {
            h - 12
        } else if h < 12 && open_at(h + 12, m) {
            h + 12
        } else {
            h
        };
        let zone = self.zone().clone();
        let now = self.now_local();
        let on = |date: jiff::civil::Date| date.at(hour, m, 0, 0).to_zoned(zone.clone()).ok();
        let mut at = day
            .and_then(on)
            .filter(|z| z.timestamp() > self.ctx.now)
            .or_else(|| on(now.date()));
        if let Some(z) = at.as_ref().filter(|z| z.timestamp() <= self.ctx.now) {
            at = z.tomorrow().ok();
        }
        let Some(at) = at else {
            return t.clone();
        };
        let mut out = t.clone();
        out.start = at.datetime();
        out.has_date = true;
        out
    }

    /// Reads out fresh offers for what the caller wants and waits for a pick.
    pub(super) fn offer_slots(&mut self, d: &mut Draft, svc: &Service, t: Option<&TimeExpr>) {
        let w = t.map(|t| want(t, self.now_local())).unwrap_or_default();
        let offers = self.offers_for(svc, &w, &[], None);
        if offers.is_empty() {
            let soonest = if t.is_some() {
                self.offers_for(svc, &Want::default(), &[], None)
            } else {
                Vec::new()
            };
            if !soonest.is_empty() {
                let list = self.slot_words(&soonest);
                self.say(say::nothing_then(&svc.name, &list));
                d.offers = soonest;
                d.chosen = None;
                self.s.draft = Some(d.clone());
                self.ask(Awaiting::Pick, Some(Asked::Time));
            } else {
                self.say(say::nothing_in_horizon());
                self.s.draft = Some(d.clone());
                let reason = format!("wants to book {}, no opening found", svc.name);
                self.promise_callback(&reason, Urgency::Normal);
            }
            return;
        }
        let list = self.slot_words(&offers);
        self.say(say::offers(&list));
        d.offers = offers;
        d.chosen = None;
        self.s.draft = Some(d.clone());
        self.ask(Awaiting::Pick, Some(Asked::Time));
    }

    pub(super) fn near_local(&self, wall: DateTime) -> String {
        match self.zone().to_ambiguous_timestamp(wall).compatible() {
            Ok(ts) => self.near(ts),
            Err(_) => wall.to_string(),
        }
    }

    /// The exact start the caller asked for, or why not and the nearest alternatives.
    pub(super) fn exact(&self, svc: &Service, t: &TimeExpr) -> Result<Slot, (String, Vec<Slot>)> {
        self.exact_with(svc, t, &[])
    }

    pub(super) fn exact_with(
        &self,
        svc: &Service,
        t: &TimeExpr,
        exclude: &[Busy],
    ) -> Result<Slot, (String, Vec<Slot>)> {
        let busy = self.busy_without(exclude);
        let w = want(t, self.now_local());
        let start = self
            .zone()
            .to_ambiguous_timestamp(t.start)
            .compatible()
            .ok();
        let refusal = match start {
            Some(start) => match check_slot(
                &self.e.rules,
                svc.duration_minutes,
                &busy,
                self.ctx.now,
                start,
            ) {
                Ok(slot) => return Ok(slot),
                Err(r) => r,
            },
            None => Refusal::Closed,
        };
        let date = t.start.date();
        let why = match refusal {
            Refusal::Closed if self.p().open_intervals(date).is_empty() => {
                format!("we're closed on {}", speak::day_full(date))
            }
            Refusal::Closed => "we're closed at that time".to_string(),
            Refusal::TooSoon { .. } => "that's sooner than we can take a booking".to_string(),
            Refusal::TooFar => "that's further out than we book".to_string(),
            Refusal::Full => "that time is already taken".to_string(),
            Refusal::OverlapsBreak => "it wouldn't be done before our lunch break".to_string(),
            Refusal::PastClosing => "it wouldn't be done before closing".to_string(),
            _ => "that exact time isn't open".to_string(),
        };
        Err((why, self.offers_for(svc, &w, exclude, None)))
    }

    /// Asks for what is missing (name, vehicle), then reads the booking back.
    pub(super) fn details(&mut self, mut d: Draft, svc: &Service) {
        let name = self.known_name();
        let vehicle = self.known_vehicle();
        let wants_vehicle = svc.ask.contains(&AskField::Vehicle);
        let wants_mileage = svc.ask.contains(&AskField::Mileage) && d.mileage.is_none();
        let missing_name = name.is_none();
        let missing_vehicle = wants_vehicle && vehicle.is_none();
        if (missing_name || missing_vehicle) && d.asked_details < 2 {
            d.asked_details += 1;
            let q = match (missing_name, missing_vehicle) {
                (true, true) => say::ask_name_and_vehicle(wants_mileage),
                (true, false) => say::ask_name(),
                _ => say::ask_vehicle(wants_mileage),
            };
            self.say(q);
            self.s.draft = Some(d);
            let asked = if missing_name {
                Asked::Name
            } else {
                Asked::Vehicle
            };
            self.ask(Awaiting::Details, Some(asked));
            return;
        }
        let Some(slot) = d.chosen else {
            self.s.draft = Some(d);
            return;
        };
        let v = if wants_vehicle {
            vehicle.as_ref().and_then(vehicle_words)
        } else {
            None
        };
        let back = say::read_back(
            &svc.name,
            &self.full(slot.start),
            name.as_deref(),
            v.as_deref(),
        );
        self.say(back);
        self.s.draft = Some(d);
        self.ask(Awaiting::Confirm, Some(Asked::Confirm));
    }

    /// The caller said yes to the read-back: book it (or take a request when the calendar is
    /// down), after checking the slot is still free.
    pub(super) fn commit(&mut self) {
        self.flow("book");
        let d = self.s.draft.clone().unwrap_or_default();
        let (Some(svc), Some(slot)) = (self.service(&d), d.chosen) else {
            let mut d = d;
            let t = d.want.clone();
            match self.service(&d) {
                Some(svc) => self.offer_slots(&mut d, svc, t.as_ref()),
                None => {
                    self.say(say::WHICH_SERVICE);
                    self.ask(Awaiting::Service, Some(Asked::Service));
                }
            }
            return;
        };
        if !self.ctx.calendar.reachable {
            self.manual_request();
            return;
        }
        match check_slot(
            &self.e.rules,
            svc.duration_minutes,
            &self.ctx.calendar.busy,
            self.ctx.now,
            slot.start,
        ) {
            Ok(slot) => {
                let phone = self.known_phone();
                let key_src = format!(
                    "{}|{}|{}|{}",
                    self.s.started.map(|t| t.to_string()).unwrap_or_default(),
                    phone.as_deref().unwrap_or(""),
                    svc.id,
                    slot.start
                );
                let mut notes: Vec<String> = Vec::new();
                if !svc.bookable {
                    notes.push("inspection first: quote before any work".to_string());
                }
                if let Some(m) = d.mileage {
                    notes.push(format!("mileage {m}"));
                }
                if let Some(n) = &d.notes {
                    notes.push(format!("caller said: {n}"));
                }
                self.effects.push(Effect::Book {
                    service_id: svc.id.clone(),
                    start: slot.start,
                    end: slot.end,
                    name: self.known_name(),
                    phone,
                    vehicle: self.known_vehicle(),
                    notes: (!notes.is_empty()).then(|| notes.join("; ")),
                    key: format!("book-{:016x}", fnv(&key_src)),
                });
                self.ask(Awaiting::BookOutcome, None);
            }
            Err(_) => {
                let mut d = d;
                let w = d
                    .want
                    .as_ref()
                    .map(|t| want(t, self.now_local()))
                    .unwrap_or_default();
                d.offers = self.offers_for(svc, &w, &[], Some(slot));
                d.chosen = None;
                let list = self.slot_words(&d.offers);
                self.s.draft = Some(d);
                self.say(say::slot_taken(&list));
                self.ask(Awaiting::Pick, Some(Asked::Time));
            }
        }
    }
}
