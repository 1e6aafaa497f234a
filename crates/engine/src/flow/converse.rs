//! Reading one caller turn: emergencies first, then "say that again", a person, whatever
//! the last reply left open, cancel and reschedule, questions, booking, and the fallbacks when
//! nothing was understood (a callback offer, never a loop), silence and goodbye.

use super::*;

impl Turn<'_, '_> {
    pub(super) fn said(&mut self, raw: &str, u: Understanding) {
        self.s.turns = self.s.turns.saturating_add(1);
        self.s.silences = 0;
        self.s.note("caller", raw);
        self.text = raw.chars().take(2000).collect::<String>().to_lowercase();
        self.understanding = Some(u.clone());
        if let Some(n) = u.name.as_ref().filter(|_| self.name_expected()) {
            self.s.name = Some(n.clone());
        }
        if let Some(v) = &u.vehicle {
            self.s.vehicle = Some(v.clone());
        }
        if let Some(p) = &u.phone {
            self.s.phone = Some(p.clone());
        }
        self.understanding = Some(u.clone());
        let has = |i: Intent| u.intents.contains(&i);

        if u.urgency == frontdesk_nlu::Urgency::Emergency || has(Intent::Emergency) {
            self.emergency(raw);
            return;
        }
        if has(Intent::Repeat)
            && u.services.is_empty()
            && u.time.is_none()
            && u.intents
                .iter()
                .all(|i| matches!(i, Intent::Repeat | Intent::Greet))
        {
            self.flow("repeat");
            self.repeat = true;
            let last = self.s.last_reply.clone();
            self.say(last);
            return;
        }
        let cues = self.cues;
        if self.cue_turn(raw, &u, &cues) {
            return;
        }
        // "yes please have them call me back" answers "is this the best number?".
        let answers_number =
            self.prev == Awaiting::CallbackNumber && (has(Intent::Affirm) || u.phone.is_some());
        let asks_for_staff = self.staff_asked_for().is_some()
            && u.services.is_empty()
            && !has(Intent::Book)
            && !has(Intent::Price);
        if (has(Intent::Human) || asks_for_staff) && !answers_number {
            self.human(raw);
            return;
        }
        // A day named in an hours question ("are you open Saturday?") answers the question; it
        // is not a wish for an appointment time.
        let hours_time = u.time.clone();
        let mut u = u;
        self.same_time(&mut u, &cues);
        self.understanding = Some(u.clone());
        if u.intents.contains(&Intent::Hours) {
            u.time = None;
        }
        let has = |i: Intent| u.intents.contains(&i);
        let question = has(Intent::Price)
            || has(Intent::Hours)
            || has(Intent::Location)
            || has(Intent::Cancel)
            || has(Intent::Reschedule)
            || !u.faqs.is_empty();
        if self.stale && u.time.as_ref().is_none_or(|t| !t.has_date) && !question {
            let mut d = self.s.draft.clone().unwrap_or_default();
            if let Some(svc) = self.service(&d) {
                self.flow("book");
                self.say(say::TIMES_PASSED);
                let t = d.want.clone().filter(|t| t.start > self.now_local());
                self.offer_slots(&mut d, svc, t.as_ref());
                return;
            }
        }
        let affirm = has(Intent::Affirm);
        let deny = has(Intent::Deny);
        let changes = u.time.is_some()
            || (!u.services.is_empty() && (deny || !affirm))
            || (u.name.is_some() && !affirm);
        let prev = self.prev;
        match prev {
            Awaiting::CallbackNumber if self.callback_number(&u) => return,
            Awaiting::ServiceGuess if self.service_guess(&u, raw) => return,
            Awaiting::StatusWho if self.status_who(raw) => return,
            Awaiting::StatusConfirm if self.status_confirm(raw) => return,
            Awaiting::ChangeConfirm if self.change_confirm(&u) => return,
            Awaiting::ChangeWhich if self.change_which(&u) => return,
            Awaiting::ChangePick if self.change_pick(&u) => return,
            Awaiting::Confirm if self.repick(&u) => return,
            Awaiting::Confirm if u.time.is_none() && self.year_corrected() => return,
            Awaiting::Confirm if !changes && hesitates(&self.text) => {
                // "yes, no wait", "ok hold on": a yes put off or taken back books nothing.
                self.flow("book");
                if takes_it_back(&self.text) {
                    self.say(say::WHAT_TO_CHANGE);
                    self.ask(Awaiting::Details, None);
                } else {
                    self.say(say::TAKE_YOUR_TIME);
                    self.ask(Awaiting::Confirm, Some(Asked::Confirm));
                }
                return;
            }
            Awaiting::Confirm if !changes && affirm && !deny => {
                self.commit();
                return;
            }
            Awaiting::Confirm | Awaiting::Pick | Awaiting::Details
                if !changes && self.calls_it_off() =>
            {
                self.flow("book");
                self.s.draft = None;
                self.say(say::WONT_BOOK);
                self.say(say::ANYTHING_ELSE);
                return;
            }
            Awaiting::Confirm if !changes && deny => {
                self.flow("book");
                self.say(say::WHAT_TO_CHANGE);
                self.ask(Awaiting::Details, None);
                return;
            }
            Awaiting::OfferBooking if deny && !changes => {
                self.flow("book");
                self.s.draft = None;
                self.say(say::ANYTHING_ELSE);
                return;
            }
            Awaiting::Transfer | Awaiting::BookOutcome | Awaiting::ChangeOutcome => {}
            _ => {}
        }
        if u.urgency == frontdesk_nlu::Urgency::Upset
            && u.services.is_empty()
            && u.faqs.is_empty()
            && !has(Intent::Cancel)
            && !has(Intent::Reschedule)
        {
            self.say(say::SORRY_UPSET);
            self.human(raw);
            return;
        }
        if self.vague_problem(&u) {
            self.s.misunderstood = 0;
            self.promise_callback(
                "a problem the assistant cannot diagnose over the phone",
                Urgency::Normal,
            );
            return;
        }
        if has(Intent::Cancel) {
            self.change(ChangeKind::Cancel, &u);
            return;
        }
        if self.moves_the_booking(&u) {
            self.change(ChangeKind::Reschedule, &u);
            return;
        }
        if has(Intent::Reschedule) {
            self.change(ChangeKind::Reschedule, &u);
            return;
        }

        // Questions, answered in the order asked.
        let mut answered = false;
        for intent in &u.intents {
            match intent {
                Intent::Price => {
                    answered = true;
                    self.price(&u, raw);
                }
                Intent::Hours => {
                    answered = true;
                    self.hours(hours_time.as_ref());
                }
                Intent::Location => {
                    answered = true;
                    self.location();
                }
                _ => {}
            }
        }
        for id in u.faqs.iter().take(2) {
            if let Some(f) = self.p().faq(id) {
                answered = true;
                self.flow("faq");
                self.say(f.answer.clone());
            }
        }
        if self.asks_our_number()
            && let Some(n) = &self.p().business.shop_phone
        {
            answered = true;
            self.flow("faq");
            self.say(say::our_number(&speak::phone(n)));
        }
        if self.s.callback.is_some() && self.s.awaiting == Awaiting::CallbackNumber {
            return;
        }
        // "how much is an alignment, and can you do it Friday": the price, then times.
        let time_said = u.time.as_ref().is_some_and(|t| !t.latent);
        if self.offer_time && !has(Intent::Book) && !time_said {
            self.say(say::WANT_A_TIME);
            self.ask(Awaiting::OfferBooking, Some(Asked::Confirm));
            self.s.misunderstood = 0;
            return;
        }

        let in_booking = matches!(
            self.prev,
            Awaiting::Pick | Awaiting::Details | Awaiting::Service | Awaiting::Confirm
        ) || (self.prev == Awaiting::OfferBooking && affirm);
        let has_draft = self.s.draft.is_some();
        let picked = self.prev == Awaiting::Pick && self.pick_index(&u).is_some();
        let booking = has(Intent::Book)
            || (self.offer_time && time_said)
            || (!u.services.is_empty() && !has(Intent::Price) && u.faqs.is_empty())
            || (self.prev == Awaiting::OfferBooking && (affirm || u.time.is_some()))
            || (in_booking
                && has_draft
                && (u.time.is_some()
                    || u.name.is_some()
                    || u.vehicle.is_some()
                    || u.mileage.is_some()
                    || !u.services.is_empty()
                    || picked
                    || affirm
                    || self.shift_asked().is_some()))
            || (self.prev == Awaiting::Service && !answered)
            || (self.prev == Awaiting::Nothing
                && !answered
                && u.time.as_ref().is_some_and(|t| !t.latent)
                && u.intents.iter().all(|i| matches!(i, Intent::Greet)));
        if booking {
            self.book(&u, raw);
            return;
        }
        if answered {
            self.s.misunderstood = 0;
            if self.s.awaiting == Awaiting::Nothing {
                self.reprompt();
            }
            return;
        }
        let goodbye = has(Intent::Goodbye) || has(Intent::Thanks);
        if goodbye {
            self.close();
            return;
        }
        let understood = !u.intents.is_empty()
            || u.time.is_some()
            || u.name.is_some()
            || u.vehicle.is_some()
            || u.phone.is_some()
            || u.mileage.is_some();
        let idle = self.prev == Awaiting::Nothing;
        if idle
            && has(Intent::Deny)
            && self.s.turns > 1
            && raw.split_whitespace().take(6).count() <= 4
            && u.intents
                .iter()
                .all(|i| matches!(i, Intent::Deny | Intent::Thanks | Intent::Goodbye))
        {
            // "No" to "anything else?".
            self.close();
            return;
        }
        if understood {
            self.flow("answer");
            if idle && self.s.misunderstood >= 1 {
                // A yes, no or hello to nothing, again: not a loop, a person.
                self.not_understood(raw);
                return;
            }
            if idle {
                self.s.misunderstood = self.s.misunderstood.saturating_add(1);
                self.say(say::HOW_CAN_I_HELP);
            } else {
                self.s.misunderstood = 0;
                self.reprompt();
            }
            return;
        }
        self.not_understood(raw);
    }

    /// A booked caller asking for another time for what they booked ("can we do later in the
    /// week instead for the alignment"): a reschedule, not a second booking.
    pub(super) fn moves_the_booking(&self, u: &Understanding) -> bool {
        let ups = &self.ctx.caller.upcoming;
        if ups.is_empty() || self.prev != Awaiting::Nothing || self.s.draft.is_some() {
            return false;
        }
        let same_service = u.services.is_empty()
            || u.services
                .iter()
                .any(|s| ups.iter().any(|a| &a.service_id == s));
        let another = [
            "instead",
            "another day",
            "different day",
            "another time",
            "different time",
            "later in the week",
            "earlier in the week",
        ]
        .iter()
        .any(|p| self.text.contains(p));
        same_service && another && !u.intents.contains(&Intent::Price)
    }

    /// "never mind", "forget it", "I'll call back later": the booking in progress is off.
    pub(super) fn calls_it_off(&self) -> bool {
        [
            "never mind",
            "nevermind",
            "nvm",
            "forget it",
            "forget about it",
            "don't book",
            "dont book",
            "call back later",
            "call you back",
            "hold off",
            "not right now",
        ]
        .iter()
        .any(|p| self.text.contains(p))
    }

    /// "What's your phone number?": the shop's own line, which is in the profile.
    pub(super) fn asks_our_number(&self) -> bool {
        [
            "your phone number",
            "your number",
            "shop's number",
            "shop number",
            "number for the shop",
            "ur phone number",
            "ur number",
            "your phone #",
            "ur phone #",
        ]
        .iter()
        .any(|p| self.text.contains(p))
    }

    /// "A weird noise when I turn left in the rain": a vague problem nobody can price or book
    /// from words alone, outside a booking in progress. A person calls back.
    pub(super) fn vague_problem(&self, u: &Understanding) -> bool {
        let vague = self
            .words()
            .any(|w| matches!(w, "weird" | "strange" | "funny" | "odd"))
            || ["not sure what", "don't know what"]
                .iter()
                .any(|p| self.text.contains(p));
        vague
            && !u.intents.contains(&Intent::Book)
            && !u.intents.contains(&Intent::Price)
            && self.s.draft.is_none()
            && matches!(self.prev, Awaiting::Nothing)
    }

    /// After an answer, bring the caller back to what was open, or ask what else.
    pub(super) fn reprompt(&mut self) {
        match self.prev {
            Awaiting::Pick => {
                self.say(say::WHICH_ONE);
                self.ask(Awaiting::Pick, Some(Asked::Time));
            }
            Awaiting::Confirm => {
                let d = self.s.draft.clone().unwrap_or_default();
                match (self.service(&d), d.chosen) {
                    (Some(svc), Some(_)) => self.details(d, svc),
                    _ => {
                        self.say("Shall I book it?");
                        self.ask(Awaiting::Confirm, Some(Asked::Confirm));
                    }
                }
            }
            Awaiting::Details => {
                let mileage = false;
                self.say(say::ask_vehicle(mileage));
                self.ask(Awaiting::Details, Some(Asked::Vehicle));
            }
            Awaiting::OfferBooking => {
                self.say(say::WANT_A_TIME);
                self.ask(Awaiting::OfferBooking, Some(Asked::Confirm));
            }
            Awaiting::CallbackNumber => {
                self.flow("callback");
                match self.known_phone() {
                    Some(p) => {
                        self.say(say::confirm_number(&speak::phone(&p)));
                        self.ask(Awaiting::CallbackNumber, Some(Asked::Confirm));
                    }
                    None => {
                        self.say(say::WHAT_NUMBER);
                        self.ask(Awaiting::CallbackNumber, Some(Asked::Phone));
                    }
                }
            }
            Awaiting::ChangeConfirm | Awaiting::ChangeWhich | Awaiting::ChangePick => {
                self.s.awaiting = self.prev;
                self.asked = self.s.asked;
                self.say(say::ANYTHING_ELSE);
            }
            _ => {
                if self.s.draft.is_none() || self.flow != "price" {
                    self.say(say::ANYTHING_ELSE);
                }
            }
        }
    }

    pub(super) fn not_understood(&mut self, raw: &str) {
        self.flow("fallback");
        self.s.misunderstood = self.s.misunderstood.saturating_add(1);
        let words = raw.split_whitespace().take(6).count();
        if self.s.misunderstood >= 3 || (self.s.misunderstood >= 2 && self.s.callback_taken) {
            if self.s.callback.is_some() && self.known_phone().is_some() {
                self.create_callback();
            }
            if self.s.callback_taken {
                self.say("Someone from the shop will call you back.");
            }
            self.close();
            return;
        }
        let idle = self.prev == Awaiting::Nothing;
        if self.s.misunderstood >= 2 || (words >= 5 && idle) {
            let reason = if words >= 5 && idle {
                "caller asked something the assistant could not answer"
            } else {
                "caller was not understood twice"
            };
            self.promise_callback(reason, Urgency::Normal);
            return;
        }
        if idle {
            self.say(say::NOT_UNDERSTOOD);
            self.asked = self.s.asked;
            self.s.awaiting = self.prev;
        } else {
            self.say(say::SORRY_AGAIN);
            self.reprompt();
            if self.s.awaiting == Awaiting::Nothing {
                self.asked = self.s.asked;
                self.s.awaiting = self.prev;
            }
        }
    }

    pub(super) fn close(&mut self) {
        self.flow("goodbye");
        if self.s.callback.is_some() && self.known_phone().is_some() {
            self.create_callback();
        }
        let bye = say::goodbye(&self.p().business.name, self.ctx.channel);
        self.say(bye);
        if self.ctx.channel == Channel::Voice {
            self.effects.push(Effect::EndCall);
        }
        self.done = true;
    }

    pub(super) fn silence(&mut self) {
        self.flow("silence");
        self.s.silences = self.s.silences.saturating_add(1);
        if self.s.silences == 1 {
            self.say(say::STILL_THERE);
            self.asked = self.s.asked;
            self.s.awaiting = self.prev;
            return;
        }
        let said_something = self.s.transcript.iter().any(|l| l.who == "caller");
        if said_something
            && !self.s.callback_taken
            && let Some(p) = self.known_phone()
        {
            if self.s.callback.is_none() {
                self.s.callback = Some(PendingCallback {
                    reason: "the call went silent before we finished".to_string(),
                    urgency: Urgency::Normal,
                });
            }
            self.create_callback();
            let promise = self.callback_promise_text();
            self.say(promise);
            self.say(say::callback_booked(&speak::phone(&p)));
        }
        self.close();
    }
}

/// Words of a caller who puts an answer off: "wait", "hold on", "hang on", "one sec".
const PAUSE: &[&str] = &[
    "wait",
    "hold on",
    "hold up",
    "hang on",
    "one sec",
    "one second",
    "a sec",
    "a second",
    "not yet",
    "let me think",
    "let me check",
];

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect()
}

/// A no after the first word that is not "no problem", "no worries", "no rush": "yeah no",
/// "sure, wait, actually no" take a yes back.
fn takes_it_back(text: &str) -> bool {
    let w = words(text);
    w.iter().enumerate().skip(1).any(|(i, x)| {
        matches!(*x, "no" | "nah" | "nope")
            && !w.get(i + 1).is_some_and(|n| {
                matches!(
                    *n,
                    "problem" | "problems" | "worries" | "rush" | "hurry" | "doubt"
                )
            })
    })
}

/// At a read-back: the caller puts the answer off or takes a yes back ("yes, no wait", "ok
/// hold on", "yeah no").
fn hesitates(text: &str) -> bool {
    // "wait, what time was that?" asks for the read-back again.
    let question = text.contains('?')
        || words(text)
            .iter()
            .any(|w| matches!(*w, "what" | "when" | "which" | "how" | "where" | "whats"));
    if question {
        return false;
    }
    // "yes, can't wait" is eager, not a pause.
    let joined = format!(" {} ", words(text).join(" "))
        .replace(" can't wait ", " ")
        .replace(" cant wait ", " ");
    PAUSE.iter().any(|p| joined.contains(&format!(" {p} "))) || takes_it_back(text)
}

#[cfg(test)]
mod tests {
    use super::hesitates;

    #[test]
    fn a_yes_put_off_or_taken_back_hesitates_and_a_plain_yes_does_not() {
        for pause in [
            "yes, no wait",
            "yeah no, hold on",
            "ok hold on",
            "sure, wait, actually no",
            "yeah no",
        ] {
            assert!(hesitates(pause), "{pause}");
        }
        for yes in [
            "yes",
            "yes please, no problem",
            "yep, can't wait",
            "sure no rush",
        ] {
            assert!(!hesitates(yes), "{yes}");
        }
    }
}
