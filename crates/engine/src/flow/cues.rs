//! Turns the conversation acts on that are not bookings: a caller speaking Spanish (one
//! Spanish sentence and a callback task that says so), "am I talking to a robot?" (an honest
//! answer, then the conversation goes on), a question about the car in the shop or a
//! complaint (a person: a transfer in open hours on a call, else a callback with the
//! context; a car the store knows is at the shop gets its status as staff set it), a question about the caller's own appointment (answered from it), and "same
//! time" (the clock of the appointment or slot being changed).

use frontdesk_nlu::Cues;

use super::*;

impl Turn<'_, '_> {
    /// Handles what the cues decide alone; true when the turn is answered.
    pub(super) fn cue_turn(&mut self, raw: &str, u: &Understanding, cues: &Cues) -> bool {
        if cues.spanish {
            self.spanish_caller();
            return true;
        }
        let has = |i: Intent| u.intents.contains(&i);
        let moving = has(Intent::Cancel) || has(Intent::Reschedule);
        if cues.robot && !moving {
            self.flow("robot");
            let line = say::robot(&self.p().business.name);
            self.say(line);
            self.s.misunderstood = 0;
            if matches!(self.prev, Awaiting::Nothing) {
                self.say(say::HOW_CAN_I_HELP);
            } else {
                self.reprompt();
            }
            return true;
        }
        if self.prev == Awaiting::CallbackNumber {
            return false;
        }
        if cues.callback && !moving && !cues.status && !cues.complaint && u.phone.is_none() {
            // "I need someone to call me about a warranty claim": the call, with the reason.
            self.s.misunderstood = 0;
            let what: String = raw.chars().take(160).collect();
            self.promise_callback(
                &format!("asked for a call back: \"{what}\""),
                Urgency::Normal,
            );
            return true;
        }
        // "you guys did my tires yesterday and now it shakes, this is unacceptable"
        let complaint =
            cues.complaint || (cues.past_work && u.urgency == frontdesk_nlu::Urgency::Upset);
        if complaint && !moving {
            self.s.misunderstood = 0;
            self.say(say::SORRY_UPSET);
            self.hand_to_a_person(raw, "complaint or billing question");
            return true;
        }
        if cues.status && !moving && !has(Intent::Book) {
            self.s.misunderstood = 0;
            if self.car_status() {
                return true;
            }
            self.say(say::FOR_A_PERSON);
            self.hand_to_a_person(raw, "asks about their car's status");
            return true;
        }
        // "what time should I drop it off" reads as a booking word but asks about the one made.
        let new_booking = has(Intent::Book) && (!u.services.is_empty() || u.time.is_some());
        if cues.own_appointment
            && !moving
            && !new_booking
            && let Some(a) = self.ctx.caller.upcoming.first().cloned()
        {
            self.s.misunderstood = 0;
            if has(Intent::Price) {
                // "how much is my appointment gonna cost": the booked service's price.
                let mut u = u.clone();
                u.services = vec![a.service_id.clone()];
                self.price(&u, raw);
                if self.s.awaiting == Awaiting::Nothing {
                    self.reprompt();
                }
                return true;
            }
            self.flow("appointment");
            let ups = &self.ctx.caller.upcoming;
            let named: Vec<_> = ups
                .iter()
                .filter(|x| u.services.contains(&x.service_id))
                .collect();
            if named.is_empty() && ups.len() > 1 {
                // Two or more bookings and none named: all of them.
                let list: Vec<String> = ups
                    .iter()
                    .take(3)
                    .map(|x| {
                        let service = self.e.service_name(&x.service_id);
                        format!(
                            "{} {service} {}",
                            speak::article(&service),
                            self.near(x.start)
                        )
                    })
                    .collect();
                self.say(say::upcoming(&speak::and_list(&list)));
            } else {
                let a = named.first().map_or(a, |x| (*x).clone());
                let service = self.e.service_name(&a.service_id);
                let when = self.near(a.start);
                self.say(say::your_appointment(&service, &when));
            }
            if self.s.awaiting == Awaiting::Nothing {
                self.reprompt();
            }
            return true;
        }
        if cues.how_long && !moving && self.how_long(u) {
            return true;
        }
        false
    }

    /// "is my car ready?" from a customer whose car is at the shop: its status, note and
    /// expected time as staff set them. False when the store knows of no car of theirs.
    fn car_status(&mut self) -> bool {
        let Some(w) = self.ctx.caller.in_shop.first().cloned() else {
            if self.ctx.caller.shop_cars.is_empty() {
                return false;
            }
            // Another number: find the car by the name on the order and the car.
            self.flow("status");
            self.say(say::STATUS_WHO);
            self.ask(Awaiting::StatusWho, Some(Asked::Name));
            return true;
        };
        self.say_status(&w);
        true
    }

    /// The car's status as staff set it, then the conversation goes on.
    fn say_status(&mut self, w: &crate::WorkView) {
        self.flow("status");
        let line = crate::repair::status_sentence(self.p(), w, self.ctx.now);
        self.say(&line);
        if self.s.awaiting == Awaiting::Nothing {
            self.reprompt();
        }
    }

    /// The name and car of a car at the shop, from a caller whose number has none: when one
    /// car fits both, they are asked for the last four digits of the number on the order;
    /// otherwise a person calls them. Nothing about the car is said before that.
    pub(super) fn status_who(&mut self, raw: &str) -> bool {
        self.s.misunderstood = 0;
        match crate::repair::find_car(&self.ctx.caller.shop_cars, raw) {
            Some(found) => {
                self.flow("status");
                self.s.status_car = Some(found.work.appointment_id.clone());
                self.say(say::STATUS_PROVE);
                self.ask(Awaiting::StatusConfirm, None);
            }
            None => {
                self.say(say::STATUS_NOT_FOUND);
                self.hand_to_a_person(raw, "asks about a car's status from another number");
            }
        }
        true
    }

    /// The last four digits of the number on the order: right, the car's status (without
    /// staff's note or the estimate); wrong, a person. One try.
    pub(super) fn status_confirm(&mut self, raw: &str) -> bool {
        let Some(id) = self.s.status_car.take() else {
            return false;
        };
        let car = self
            .ctx
            .caller
            .shop_cars
            .iter()
            .find(|c| c.work.appointment_id == id);
        let said = crate::repair::digits_said(raw);
        match car.cloned() {
            Some(c) if said.len() >= 4 && said.ends_with(&c.phone_last4) => {
                self.say_status(&c.public())
            }
            _ => {
                self.say(say::FOR_A_PERSON);
                self.hand_to_a_person(raw, "asks about a car's status from another number");
            }
        }
        true
    }

    /// "how long does an oil change take?": the service's duration from the profile.
    fn how_long(&mut self, u: &Understanding) -> bool {
        let id = u
            .services
            .first()
            .cloned()
            .or_else(|| self.s.draft.as_ref().and_then(|d| d.service_id.clone()));
        let Some(svc) = id.and_then(|id| self.p().service(&id)) else {
            return false;
        };
        self.flow("answer");
        self.s.misunderstood = 0;
        self.say(say::takes_about(&svc.name, svc.duration_minutes));
        if self.prev == Awaiting::Nothing && self.s.draft.is_none() && svc.bookable {
            self.s.draft = Some(Draft {
                service_id: Some(svc.id.clone()),
                ..Draft::default()
            });
            self.say(say::WANT_A_TIME);
            self.ask(Awaiting::OfferBooking, Some(Asked::Confirm));
        } else {
            self.reprompt();
        }
        true
    }

    /// A person for what the assistant cannot answer: a warm transfer in open hours on a
    /// call when the profile has a number, else a callback with the reason.
    fn hand_to_a_person(&mut self, raw: &str, reason: &str) {
        let p = self.p();
        let can_transfer = self.ctx.channel == Channel::Voice
            && p.is_open(self.ctx.now)
            && p.business.shop_phone.is_some()
            && reason.starts_with("complaint");
        if can_transfer {
            self.human(raw);
            return;
        }
        let what: String = raw.chars().take(160).collect();
        self.promise_callback(&format!("{reason}: \"{what}\""), Urgency::Normal);
    }

    /// A model's hints join the cues of the caller's words. Spanish is taken only when the
    /// built-in reading (`own`) found no English request in them: a model that mistakes an
    /// English caller for a Spanish one would otherwise end the conversation.
    pub(super) fn take_hints(&mut self, hints: Hints, own: &Understanding) {
        let small_talk = own
            .intents
            .iter()
            .all(|i| matches!(i, Intent::Greet | Intent::Thanks | Intent::Goodbye));
        let english = !small_talk
            || !own.services.is_empty()
            || own.time.is_some()
            || own.vehicle.is_some()
            || own.phone.is_some();
        self.cues.status |= hints.status;
        self.cues.complaint |= hints.complaint;
        self.cues.spanish |= hints.spanish && !english;
        self.hints = hints;
    }

    /// One Spanish sentence, and a callback task that says the caller speaks Spanish.
    fn spanish_caller(&mut self) {
        self.flow("callback");
        self.s.misunderstood = 0;
        self.s.callback = Some(PendingCallback {
            reason: "caller speaks Spanish (habla español): call back in Spanish".to_string(),
            urgency: Urgency::Normal,
        });
        if self.known_phone().is_some() {
            self.create_callback();
            self.say(say::SPANISH_CALLBACK);
            if self.ctx.channel == Channel::Voice {
                self.effects.push(Effect::EndCall);
            }
            self.done = true;
        } else {
            self.say(say::SPANISH_NUMBER);
            self.ask(Awaiting::CallbackNumber, Some(Asked::Phone));
        }
    }

    /// "Friday, same time": the day said, at the clock of the appointment being moved or the
    /// slot being booked.
    pub(super) fn same_time(&self, u: &mut Understanding, cues: &Cues) {
        // At a read-back, "make it Friday instead" moves the day and keeps the time.
        let read_back = matches!(self.prev, Awaiting::Confirm | Awaiting::ChangeConfirm);
        if !cues.same_time && !read_back {
            return;
        }
        let Some(t) = u.time.as_mut().filter(|t| t.has_date && !t.has_clock) else {
            return;
        };
        if t.grain != frontdesk_nlu::Grain::Day || t.bound != frontdesk_nlu::Bound::Exact {
            return;
        }
        let moving = u.intents.contains(&Intent::Reschedule) || self.s.change.is_some();
        let reference = if moving {
            self.s
                .change
                .as_ref()
                .and_then(|c| c.appointment.as_ref().map(|a| a.start))
                .or_else(|| self.ctx.caller.upcoming.first().map(|a| a.start))
        } else {
            self.s
                .draft
                .as_ref()
                .and_then(|d| d.chosen.map(|s| s.start))
        };
        let reference = if moving && read_back {
            self.s
                .change
                .as_ref()
                .and_then(|c| c.chosen.map(|s| s.start))
                .or(reference)
        } else {
            reference
        };
        let clock = match reference {
            Some(at) => self.zone().to_datetime(at).time(),
            // After a cancellation: the time just given up.
            None => match self
                .s
                .draft
                .as_ref()
                .and_then(|d| d.want.as_ref())
                .filter(|w| w.has_clock && w.has_date)
            {
                Some(w) => w.start.time(),
                None => return,
            },
        };
        t.start = t.start.date().to_datetime(clock);
        t.end = None;
        t.grain = frontdesk_nlu::Grain::Minute;
        t.has_clock = true;
    }
}
