//! Offers come only from the scheduler: the soonest matching slots, a bare clock placed where
//! the shop works, an exact time checked against the rules (or the closest times with the
//! reason it cannot be had), and the words the offers are said in.

use super::*;

impl<'e> Turn<'e, '_> {
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
}
