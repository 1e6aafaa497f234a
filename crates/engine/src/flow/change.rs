//! Moving or cancelling the caller's own appointment: which one, the new time (the caller's
//! own slot counted as free), the confirmation, then the effect.

use super::*;

impl Turn<'_, '_> {
    pub(super) fn change(&mut self, kind: ChangeKind, u: &Understanding) {
        self.flow(match kind {
            ChangeKind::Reschedule => "reschedule",
            ChangeKind::Cancel => "cancel",
        });
        self.s.draft = None;
        let ups = &self.ctx.caller.upcoming;
        if ups.is_empty() {
            self.say(say::NO_APPOINTMENT);
            self.say("Would you like to book one?");
            self.ask(Awaiting::OfferBooking, Some(Asked::Confirm));
            return;
        }
        let mut candidates: Vec<&crate::AppointmentView> = ups
            .iter()
            .filter(|a| u.services.is_empty() || u.services.contains(&a.service_id))
            .collect();
        let mut time_used = false;
        if let Some(t) = u.time.as_ref().filter(|t| t.has_date) {
            let on_day: Vec<_> = candidates
                .iter()
                .copied()
                .filter(|a| self.zone().to_datetime(a.start).date() == t.start.date())
                .collect();
            if !on_day.is_empty() {
                // "I'm booked for 1 today, can I come at 3 instead": a clock other than the
                // booking's is the new time, not the one that names the booking.
                let names_it = !t.has_clock
                    || on_day.iter().any(|a| {
                        let at = self.zone().to_datetime(a.start);
                        at.hour() == t.start.hour() && at.minute() == t.start.minute()
                    });
                candidates = on_day;
                time_used = names_it;
            }
        }
        if candidates.is_empty() {
            candidates = ups.iter().collect();
        }
        let mut c = Change {
            kind,
            ..Change::default()
        };
        if candidates.len() > 1 {
            let list: Vec<String> = candidates
                .iter()
                .map(|a| {
                    format!(
                        "your {} {}",
                        self.e.service_name(&a.service_id),
                        self.near(a.start)
                    )
                })
                .collect();
            self.say(say::which_appointment(&speak::and_list(&list)));
            self.s.change = Some(c);
            self.ask(Awaiting::ChangeWhich, None);
            return;
        }
        c.appointment = candidates.first().map(|a| (*a).clone());
        let mut u = u.clone();
        if time_used {
            u.time = None;
        }
        self.change_next(c, &u);
    }

    pub(super) fn change_next(&mut self, mut c: Change, u: &Understanding) {
        let Some(appt) = c.appointment.clone() else {
            self.s.change = None;
            self.say(say::NO_APPOINTMENT);
            return;
        };
        let service = self.e.service_name(&appt.service_id);
        match c.kind {
            ChangeKind::Cancel => {
                self.flow("cancel");
                self.say(say::confirm_cancel(&service, &self.full(appt.start)));
                self.s.change = Some(c);
                self.ask(Awaiting::ChangeConfirm, Some(Asked::Confirm));
            }
            ChangeKind::Reschedule => {
                self.flow("reschedule");
                let own = [Busy::appointment(appt.start, appt.end)];
                let duration =
                    u32::try_from((appt.end - appt.start).get_minutes().max(1)).unwrap_or(60);
                let svc = self
                    .p()
                    .service(&appt.service_id)
                    .cloned()
                    .unwrap_or_else(|| Service {
                        id: appt.service_id.clone(),
                        name: service.clone(),
                        aliases: vec![],
                        price: frontdesk_profile::Price::Free,
                        duration_minutes: duration,
                        bookable: true,
                        ask: vec![],
                        description: None,
                    });
                let svc = Service {
                    duration_minutes: duration,
                    ..svc
                };
                let shifted = u.time.is_none().then(|| self.shifted(appt.start)).flatten();
                let u = &Understanding {
                    time: u.time.clone().or(shifted),
                    ..u.clone()
                };
                if let Some(i) = self.pick_in(&c.offers, u) {
                    c.chosen = c.offers.get(i).copied();
                } else if let Some(t) = &u.time {
                    if is_exact_start(t) {
                        match self.exact_with(&svc, t, &own) {
                            Ok(slot) => c.chosen = Some(slot),
                            Err((why, offers)) => {
                                let list = self.slot_words(&offers);
                                let when = self.near_local(t.start);
                                self.say(say::exact_refused(&when, &why, &list));
                                c.offers = offers;
                                self.s.change = Some(c);
                                self.ask(Awaiting::ChangePick, Some(Asked::Time));
                                return;
                            }
                        }
                    } else {
                        let w = want(t, self.now_local());
                        c.offers = self.offers_for(&svc, &w, &own, None);
                        let list = self.slot_words(&c.offers);
                        if list.is_empty() {
                            self.say(say::no_offers(&format!("for {}", t.text)));
                        } else {
                            self.say(say::offers(&list));
                        }
                        self.s.change = Some(c);
                        self.ask(Awaiting::ChangePick, Some(Asked::Time));
                        return;
                    }
                }
                match c.chosen {
                    Some(slot) => {
                        let from = self.near(appt.start);
                        let to = self.full(slot.start);
                        self.say(say::confirm_move(&service, &from, &to));
                        self.s.change = Some(c);
                        self.ask(Awaiting::ChangeConfirm, Some(Asked::Confirm));
                    }
                    None => {
                        if c.offers.is_empty() && self.cues.earliest {
                            // "move it to the next available": the soonest times.
                            let w = Want::default();
                            c.offers = self.offers_for(&svc, &w, &own, None);
                            let list = self.slot_words(&c.offers);
                            if !list.is_empty() {
                                self.say(say::offers(&list));
                                self.s.change = Some(c);
                                self.ask(Awaiting::ChangePick, Some(Asked::Time));
                                return;
                            }
                        }
                        if c.offers.is_empty() {
                            self.say(say::ask_new_time(&service, &self.full(appt.start)));
                        } else {
                            self.say(say::WHICH_ONE);
                        }
                        self.s.change = Some(c);
                        self.ask(Awaiting::ChangePick, Some(Asked::Time));
                    }
                }
            }
        }
    }

    /// Fresh offers for the appointment being moved, minus a slot just taken.
    pub(super) fn change_offers(
        &self,
        c: &Change,
        t: Option<&TimeExpr>,
        taken: Option<Slot>,
    ) -> (Vec<Slot>, String) {
        let Some(appt) = &c.appointment else {
            return (Vec::new(), String::new());
        };
        let Some(svc) = self.p().service(&appt.service_id) else {
            return (Vec::new(), String::new());
        };
        let w = t.map(|t| want(t, self.now_local())).unwrap_or_default();
        let own = [Busy::appointment(appt.start, appt.end)];
        let offers = self.offers_for(svc, &w, &own, taken);
        let list = self.slot_words(&offers);
        (offers, list)
    }

    pub(super) fn change_which(&mut self, u: &Understanding) -> bool {
        let Some(mut c) = self.s.change.clone() else {
            return false;
        };
        let ups = &self.ctx.caller.upcoming;
        let slots: Vec<Slot> = ups
            .iter()
            .map(|a| Slot {
                start: a.start,
                end: a.end,
            })
            .collect();
        let by_service = ups.iter().position(|a| u.services.contains(&a.service_id));
        let Some(i) = by_service.or_else(|| self.pick_in(&slots, u)) else {
            return false;
        };
        c.appointment = ups.get(i).cloned();
        let mut u = u.clone();
        u.time = None;
        self.change_next(c, &u);
        true
    }

    pub(super) fn change_pick(&mut self, u: &Understanding) -> bool {
        let Some(c) = self.s.change.clone() else {
            return false;
        };
        if u.time.is_none() && self.pick_in(&c.offers, u).is_none() {
            return false;
        }
        self.change_next(c, u);
        true
    }

    pub(super) fn change_confirm(&mut self, u: &Understanding) -> bool {
        let Some(mut c) = self.s.change.clone() else {
            return false;
        };
        let has = |i: Intent| u.intents.contains(&i);
        if u.time.is_some() && c.kind == ChangeKind::Reschedule {
            c.chosen = None;
            c.offers.clear();
            self.change_next(c, u);
            return true;
        }
        if has(Intent::Affirm) && !has(Intent::Deny) {
            let Some(appt) = c.appointment.clone() else {
                return false;
            };
            match c.kind {
                ChangeKind::Cancel => {
                    self.flow("cancel");
                    self.effects.push(Effect::Cancel {
                        appointment_id: appt.id.clone(),
                    });
                }
                ChangeKind::Reschedule => {
                    self.flow("reschedule");
                    let Some(slot) = c.chosen else {
                        return false;
                    };
                    if !self.ctx.calendar.reachable {
                        self.s.change = Some(c);
                        self.change_request();
                        return true;
                    }
                    self.effects.push(Effect::Reschedule {
                        appointment_id: appt.id.clone(),
                        start: slot.start,
                        end: slot.end,
                    });
                }
            }
            self.s.change = Some(c);
            self.ask(Awaiting::ChangeOutcome, None);
            return true;
        }
        if has(Intent::Deny) {
            self.flow(match c.kind {
                ChangeKind::Reschedule => "reschedule",
                ChangeKind::Cancel => "cancel",
            });
            self.s.change = None;
            self.say(say::LEFT_AS_IS);
            self.say(say::ANYTHING_ELSE);
            return true;
        }
        false
    }

    /// The calendar cannot be written for a move: a task for a person to do it.
    pub(super) fn change_request(&mut self) {
        let c = self.s.change.take().unwrap_or_default();
        let Some(appt) = c.appointment else {
            self.say(say::transfer_failed());
            return;
        };
        let service = self.e.service_name(&appt.service_id);
        let to = c.chosen.map(|s| self.full(s.start)).unwrap_or_default();
        let reason = format!("move {service} from {} to {to}", self.full(appt.start));
        let context = self.task_context(&reason);
        self.effects.push(Effect::CreateTask {
            task: TaskKind::ManualBooking,
            urgency: Urgency::Normal,
            title: format!("Move appointment for {}: {reason}", self.who()),
            context,
        });
        self.effects.push(Effect::NotifyOwner {
            urgency: Urgency::Normal,
            subject: format!("Reschedule to confirm: {service}"),
            body: reason,
        });
        let open = self.p().is_open(self.ctx.now);
        let when = c.chosen.map(|s| self.near(s.start)).unwrap_or_default();
        self.say(say::request_taken(&when, open));
    }
}

/// "push it back a day", "move it up a week", "two days later": how many days, signed, a move
/// shifts the appointment by; `None` when the words name no such shift.
fn shift_days(text: &str) -> Option<i64> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let (k, unit) = words.iter().enumerate().find_map(|(k, w)| match *w {
        "day" | "days" => Some((k, 1)),
        "week" | "weeks" => Some((k, 7)),
        _ => None,
    })?;
    let count = match words.get(k.wrapping_sub(1)).copied() {
        Some("a" | "an" | "one" | "1") => 1,
        Some("two" | "2" | "couple") => 2,
        Some("three" | "3") => 3,
        _ => return None,
    };
    let later = words
        .iter()
        .any(|w| matches!(*w, "back" | "later" | "push" | "after"));
    let earlier = words
        .iter()
        .any(|w| matches!(*w, "up" | "earlier" | "sooner" | "forward" | "before"));
    match (later, earlier) {
        (true, false) => Some(count * unit),
        (false, true) => Some(-count * unit),
        _ => None,
    }
}

impl Turn<'_, '_> {
    /// The appointment's own clock on the day the caller's shift names ("push it back a day"),
    /// as an exact time; `None` when the words name no shift.
    fn shifted(&self, start: jiff::Timestamp) -> Option<TimeExpr> {
        let days = shift_days(&self.text)?;
        let at = self
            .zone()
            .to_datetime(start)
            .checked_add(jiff::Span::new().days(days))
            .ok()?;
        Some(TimeExpr::exact_at(at, self.text.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::shift_days;

    #[test]
    fn a_shift_in_days_or_weeks_is_read_with_its_direction() {
        assert_eq!(shift_days("can i push my oil change back a day"), Some(1));
        assert_eq!(shift_days("move it up a week"), Some(-7));
        assert_eq!(shift_days("could we do it a couple days later"), Some(2));
        assert_eq!(shift_days("can I reschedule for friday"), None);
        assert_eq!(shift_days("what day works"), None);
    }
}
