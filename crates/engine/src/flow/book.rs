//! Booking: the service, offers only from the scheduler, a pick or a counter-offer, the
//! missing details, the read-back and the yes; a request for a person when the calendar is down.
//! (Offers: `offer.rs`; which offer was picked: `pick.rs`.)

use super::*;

/// Adds a line to the booking's notes for the shop.
pub(super) fn add_note(d: &mut Draft, note: &str) {
    d.notes = Some(match d.notes.take() {
        Some(n) => format!("{n}; {note}"),
        None => note.to_string(),
    });
}

impl<'e> Turn<'e, '_> {
    pub(super) fn service(&self, d: &Draft) -> Option<&'e Service> {
        d.service_id
            .as_deref()
            .and_then(|id| self.e.profile.service(id))
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
            add_note(&mut d, &format!("also asked about: {list}"));
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
        let one = self.words().any(|w| w == "one");
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
