//! The flows: one caller turn in, the reply, the new state and the effects out. [`Engine::turn`]
//! reads the utterance with the built-in understanding, then handles, in this order: emergencies
//! (transfer at once), "say that again", a request for a person, whatever the last reply left
//! open (a read-back, an offer, a callback number), cancel and reschedule, the questions asked
//! (price, hours, location, FAQs, answered in the order asked) and finally booking, which offers
//! only slots from the scheduler and prices only from the profile. Nothing here reads a clock or
//! does I/O; the same state, input and context always give the same step.

use frontdesk_nlu::{
    Asked, Context, Intent, Lexicon, TimeExpr, Understanding, Vehicle, understand,
};
use frontdesk_profile::{AfterHoursBehaviour, AskField, Profile, Service, TemplateKey, render};
use frontdesk_schedule::{Busy, Refusal, Rules, Slot, Want, check_slot, offer};
use jiff::Timestamp;
use jiff::civil::DateTime;
use serde_json::json;

use crate::phrases as say;
use crate::speak;
use crate::state::{Awaiting, Change, ChangeKind, Draft, PendingCallback, State};
use crate::want::{is_exact_start, want};
use crate::{Channel, Effect, Input, Outcome, Step, TaskKind, TurnContext, Urgency};

/// The conversation engine for one business: the profile plus what is computed from it once.
#[derive(Debug)]
pub struct Engine {
    profile: Profile,
    lexicon: Lexicon,
    rules: Rules,
}

impl Engine {
    /// Builds the engine, precomputing the understanding vocabulary and the booking rules.
    pub fn new(profile: Profile) -> Engine {
        let lexicon = crate::lexicon(&profile);
        let rules = crate::rules(&profile);
        Engine {
            profile,
            lexicon,
            rules,
        }
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The greeting of a new conversation: the owner's greeting, the caller's name and next
    /// appointment when they are known, and a word that the shop is closed when it is.
    pub fn start(&self, ctx: &TurnContext) -> Step {
        let mut state = State {
            started: Some(ctx.now),
            ..State::default()
        };
        let p = &self.profile;
        let name = ctx.caller.name.as_deref();
        let greeting = render(
            p.template(TemplateKey::Greeting),
            &[
                ("business", &p.business.name),
                ("name", name.unwrap_or("there")),
                ("address", &p.business.address),
            ],
        );
        let mut extras = Vec::new();
        if ctx.caller.returning || name.is_some() {
            extras.push(say::returning(name));
        }
        if let Some(a) = ctx.caller.upcoming.first() {
            let service = self.service_name(&a.service_id);
            extras.push(say::upcoming(
                &service,
                &speak::when_near(a.start, ctx.now, &p.business.timezone),
            ));
        }
        if !p.is_open(ctx.now) {
            extras.push(match p.after_hours.behaviour {
                AfterHoursBehaviour::BookAndCallback => say::AFTER_HOURS.to_string(),
                AfterHoursBehaviour::CallbackOnly => say::AFTER_HOURS_CALLBACK_ONLY.to_string(),
            });
        }
        let reply = speak::for_channel(&insert_before_question(&greeting, &extras), ctx.channel);
        state.last_reply = reply.clone();
        state.note("assistant", &reply);
        Step {
            state,
            reply,
            effects: Vec::new(),
            flow: "greeting".to_string(),
            understanding: None,
            done: false,
        }
    }

    /// One step of the conversation. See the module documentation for the order of handling.
    pub fn turn(&self, state: &State, input: Input, ctx: &TurnContext) -> Step {
        let mut t = Turn::new(self, state, ctx);
        match input {
            Input::Outcome(o) => t.outcome(o),
            Input::Silence => t.silence(),
            Input::Dtmf(keys) => {
                let text = t.dtmf_text(&keys);
                let u = self.read(&text, state.asked, ctx.now);
                t.said(&text, u);
            }
            Input::Said(text) => {
                let u = self.read(&text, state.asked, ctx.now);
                t.said(&text, u);
            }
            Input::Understood {
                text,
                mut understanding,
            } => {
                understanding
                    .services
                    .retain(|id| self.profile.service(id).is_some());
                understanding
                    .faqs
                    .retain(|id| self.profile.faq(id).is_some());
                t.said(&text, understanding);
            }
        }
        t.finish()
    }

    fn read(&self, text: &str, asked: Option<Asked>, now: Timestamp) -> Understanding {
        let zone = &self.profile.business.timezone;
        let local = zone.to_datetime(now);
        let offset = zone.to_offset(now).seconds();
        frontdesk_nlu::understand_with_offset(
            text,
            &Context { now: local, asked },
            &self.lexicon,
            Some(offset),
        )
    }

    fn service_name(&self, id: &str) -> String {
        self.profile
            .service(id)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| id.replace('_', " "))
    }

    /// Reads one utterance without a conversation, with the engine's vocabulary (for tools).
    pub fn understand(&self, text: &str, now: DateTime) -> Understanding {
        understand(text, &Context { now, asked: None }, &self.lexicon)
    }
}

/// Puts extra sentences before the greeting's closing question, so the reply still ends asking.
fn insert_before_question(greeting: &str, extras: &[String]) -> String {
    if extras.is_empty() {
        return greeting.to_string();
    }
    let extra = extras.join(" ");
    let g = greeting.trim();
    if let Some(body) = g.strip_suffix('?')
        && let Some(i) = body.rfind(['.', '!'])
    {
        let (head, tail) = g.split_at(i + 1);
        return format!("{head} {extra} {}", tail.trim());
    }
    format!("{g} {extra}")
}

/// A deterministic 64-bit FNV-1a hash, for idempotency keys.
fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// "2008 Honda Civic".
pub fn vehicle_words(v: &Vehicle) -> Option<String> {
    // "Mazda Mazda3" reads as "Mazda3".
    let make = v.make.clone().filter(|make| {
        !v.model
            .as_deref()
            .is_some_and(|m| m.to_lowercase().starts_with(&make.to_lowercase()))
    });
    let parts: Vec<String> = [v.year.map(|y| y.to_string()), make, v.model.clone()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

const ORDINALS: [(&str, usize); 10] = [
    ("first", 0),
    ("1st", 0),
    ("earliest", 0),
    ("earlier", 0),
    ("second", 1),
    ("2nd", 1),
    ("middle", 1),
    ("third", 2),
    ("3rd", 2),
    ("fourth", 3),
];

/// One turn being worked out.
struct Turn<'e, 'c> {
    e: &'e Engine,
    ctx: &'c TurnContext<'c>,
    s: State,
    /// What the previous reply left open.
    prev: Awaiting,
    parts: Vec<String>,
    effects: Vec<Effect>,
    flow: &'static str,
    done: bool,
    understanding: Option<Understanding>,
    /// The caller's words, lower-cased and bounded.
    text: String,
    asked: Option<Asked>,
    repeat: bool,
    /// A price was given for a bookable service: end the reply offering a time.
    offer_time: bool,
    /// The times the last reply offered have passed since.
    stale: bool,
}

impl<'e, 'c> Turn<'e, 'c> {
    fn new(e: &'e Engine, state: &State, ctx: &'c TurnContext<'c>) -> Turn<'e, 'c> {
        let mut s = state.clone();
        if s.started.is_none() {
            s.started = Some(ctx.now);
        }
        // A conversation picked up again later (a text the next day): times already past are
        // no longer on offer.
        if let Some(d) = s.draft.as_mut() {
            d.offers.retain(|slot| slot.start > ctx.now);
            d.chosen = d.chosen.filter(|slot| slot.start > ctx.now);
        }
        if let Some(c) = s.change.as_mut() {
            c.offers.retain(|slot| slot.start > ctx.now);
            c.chosen = c.chosen.filter(|slot| slot.start > ctx.now);
        }
        let stale = match s.awaiting {
            Awaiting::Pick => s.draft.as_ref().is_none_or(|d| d.offers.is_empty()),
            Awaiting::Confirm => s.draft.as_ref().is_none_or(|d| d.chosen.is_none()),
            Awaiting::ChangeConfirm => s
                .change
                .as_ref()
                .is_none_or(|c| c.kind == ChangeKind::Reschedule && c.chosen.is_none()),
            _ => false,
        };
        if stale {
            s.awaiting = Awaiting::Nothing;
            s.asked = None;
        }
        let prev = s.awaiting;
        s.awaiting = Awaiting::Nothing;
        Turn {
            e,
            ctx,
            s,
            prev,
            parts: Vec::new(),
            effects: Vec::new(),
            flow: "",
            done: false,
            understanding: None,
            text: String::new(),
            asked: None,
            repeat: false,
            offer_time: false,
            stale,
        }
    }

    fn p(&self) -> &'e Profile {
        &self.e.profile
    }

    fn zone(&self) -> &'e jiff::tz::TimeZone {
        &self.e.profile.business.timezone
    }

    fn now_local(&self) -> DateTime {
        self.zone().to_datetime(self.ctx.now)
    }

    fn say(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.parts.push(s);
        }
    }

    fn ask(&mut self, awaiting: Awaiting, asked: Option<Asked>) {
        self.s.awaiting = awaiting;
        self.asked = asked;
    }

    fn flow(&mut self, f: &'static str) {
        if self.flow.is_empty() {
            self.flow = f;
        }
    }

    /// A name is taken only when one was asked for or the caller introduces themself, so a word
    /// misread as a name elsewhere never ends up on a booking.
    fn name_expected(&self) -> bool {
        self.s.asked == Some(Asked::Name)
            || self.prev == Awaiting::Details
            || self
                .understanding
                .as_ref()
                .is_some_and(|u| u.vehicle.is_some())
            || ["name", "this is", "i'm", "i am", "it's"]
                .iter()
                .any(|w| self.text.contains(w))
    }

    fn known_phone(&self) -> Option<String> {
        self.s
            .phone
            .clone()
            .or_else(|| self.ctx.caller.phone.clone())
    }

    fn known_name(&self) -> Option<String> {
        self.s.name.clone().or_else(|| self.ctx.caller.name.clone())
    }

    fn known_vehicle(&self) -> Option<Vehicle> {
        self.s
            .vehicle
            .clone()
            .or_else(|| self.ctx.caller.vehicles.first().cloned())
    }

    fn who(&self) -> String {
        match (self.known_name(), self.known_phone()) {
            (Some(n), Some(p)) => format!("{n} ({})", speak::phone(&p)),
            (Some(n), None) => n,
            (None, Some(p)) => speak::phone(&p),
            (None, None) => "a caller with no number".to_string(),
        }
    }

    fn near(&self, ts: Timestamp) -> String {
        speak::when_near(ts, self.ctx.now, self.zone())
    }

    fn full(&self, ts: Timestamp) -> String {
        speak::when_full(ts, self.zone())
    }

    fn finish(mut self) -> Step {
        let pending = self.effects.iter().any(|e| {
            matches!(
                e,
                Effect::Book { .. } | Effect::Reschedule { .. } | Effect::Cancel { .. }
            )
        });
        let mut reply = if pending {
            String::new()
        } else {
            speak::for_channel(&self.parts.join(" "), self.ctx.channel)
        };
        if reply.is_empty() && !pending {
            reply = say::HOW_CAN_I_HELP.to_string();
        }
        if self.repeat {
            self.asked = self.s.asked;
            self.s.awaiting = self.prev;
        } else if !reply.is_empty() {
            self.s.last_reply = reply.clone();
        }
        self.s.asked = self.asked;
        self.s.done = self.done;
        self.s.note("assistant", &reply);
        Step {
            state: self.s,
            reply,
            effects: self.effects,
            flow: if self.flow.is_empty() {
                "answer"
            } else {
                self.flow
            }
            .to_string(),
            understanding: self.understanding,
            done: self.done,
        }
    }

    /// Keys pressed, as words the understanding reads: 0 asks for a person, 1 and 2 answer yes
    /// and no to a question, a digit picks an offer, ten or more digits are a phone number.
    fn dtmf_text(&self, keys: &str) -> String {
        let digits: String = keys.chars().filter(char::is_ascii_digit).take(20).collect();
        let yes_no = matches!(
            self.prev,
            Awaiting::Confirm
                | Awaiting::ChangeConfirm
                | Awaiting::CallbackNumber
                | Awaiting::OfferBooking
        );
        match digits.as_str() {
            "0" => "I want to talk to a person".to_string(),
            "1" if yes_no => "yes".to_string(),
            "2" if yes_no => "no".to_string(),
            "1" | "2" | "3" | "4" if self.prev == Awaiting::Pick => {
                let i = usize::from(digits.as_bytes()[0] - b'1');
                format!("the {} one", ["first", "second", "third", "fourth"][i])
            }
            _ => digits,
        }
    }

    // ----- caller words -------------------------------------------------------------------

    fn said(&mut self, raw: &str, u: Understanding) {
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
        if has(Intent::Human) {
            self.human(raw);
            return;
        }
        // A day named in an hours question ("are you open Saturday?") answers the question; it
        // is not a wish for an appointment time.
        let hours_time = u.time.clone();
        let mut u = u;
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
            Awaiting::ChangeConfirm if self.change_confirm(&u) => return,
            Awaiting::ChangeWhich if self.change_which(&u) => return,
            Awaiting::ChangePick if self.change_pick(&u) => return,
            Awaiting::Confirm if !changes && affirm && !deny => {
                self.commit();
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
        if self.offer_time && !has(Intent::Book) {
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

    /// "What's your phone number?": the shop's own line, which is in the profile.
    fn asks_our_number(&self) -> bool {
        [
            "your phone number",
            "your number",
            "shop's number",
            "shop number",
            "number for the shop",
        ]
        .iter()
        .any(|p| self.text.contains(p))
    }

    /// "A weird noise when I turn left in the rain": a vague problem nobody can price or book
    /// from words alone, outside a booking in progress. A person calls back.
    fn vague_problem(&self, u: &Understanding) -> bool {
        let vague = self
            .text
            .split(|c: char| !c.is_alphanumeric())
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
    fn reprompt(&mut self) {
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

    fn not_understood(&mut self, raw: &str) {
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

    fn close(&mut self) {
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

    fn silence(&mut self) {
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

    // ----- callbacks, transfers, emergencies -----------------------------------------------

    fn callback_promise_text(&self) -> String {
        let p = self.p();
        let phone = p
            .business
            .shop_phone
            .as_deref()
            .map(speak::phone)
            .unwrap_or_default();
        render(
            p.template(TemplateKey::CallbackPromise),
            &[
                ("business", &p.business.name),
                ("name", self.known_name().as_deref().unwrap_or("there")),
                ("phone", &phone),
                ("address", &p.business.address),
            ],
        )
    }

    /// Promise a call back; confirm the number on a call, take it as given on a text.
    fn promise_callback(&mut self, reason: &str, urgency: Urgency) {
        self.flow("callback");
        let promise = self.callback_promise_text();
        self.say(promise);
        self.s.callback = Some(PendingCallback {
            reason: reason.to_string(),
            urgency,
        });
        match (self.known_phone(), self.ctx.channel) {
            (Some(_), Channel::Sms) => self.create_callback(),
            (Some(p), Channel::Voice) => {
                self.say(say::confirm_number(&speak::phone(&p)));
                self.ask(Awaiting::CallbackNumber, Some(Asked::Confirm));
            }
            (None, _) => {
                self.say(say::WHAT_NUMBER);
                self.ask(Awaiting::CallbackNumber, Some(Asked::Phone));
            }
        }
    }

    /// The caller's answer to "is this the best number?". False when it was not an answer.
    fn callback_number(&mut self, u: &Understanding) -> bool {
        let has = |i: Intent| u.intents.contains(&i);
        if u.phone.is_some() || (has(Intent::Affirm) && self.known_phone().is_some()) {
            self.create_callback();
            let p = self.known_phone().unwrap_or_default();
            self.say(say::callback_booked(&speak::phone(&p)));
            self.say(say::ANYTHING_ELSE);
            return true;
        }
        if has(Intent::Deny) {
            self.flow("callback");
            self.say(say::WHAT_NUMBER);
            self.ask(Awaiting::CallbackNumber, Some(Asked::Phone));
            return true;
        }
        false
    }

    fn task_context(&self, reason: &str) -> serde_json::Value {
        let d = self.s.draft.as_ref();
        json!({
            "reason": reason,
            "phone": self.known_phone(),
            "name": self.known_name(),
            "vehicle": self.known_vehicle(),
            "service": d.and_then(|d| d.service_id.clone()),
            "wanted": d.and_then(|d| d.want.as_ref().map(|w| w.text.clone())),
            "slot": d.and_then(|d| d.chosen.map(|s| s.start.to_string())),
            "notes": d.and_then(|d| d.notes.clone()),
            "understood": self.understanding,
            "transcript": self.s.transcript,
        })
    }

    fn create_callback(&mut self) {
        let Some(cb) = self.s.callback.take() else {
            return;
        };
        self.flow("callback");
        let who = self.who();
        let context = self.task_context(&cb.reason);
        let last = self
            .s
            .transcript
            .iter()
            .rev()
            .find(|l| l.who == "caller")
            .map(|l| l.text.clone())
            .unwrap_or_default();
        self.effects.push(Effect::CreateTask {
            task: TaskKind::Callback,
            urgency: cb.urgency,
            title: format!("Call back {who}: {}", cb.reason),
            context,
        });
        self.effects.push(Effect::NotifyOwner {
            urgency: cb.urgency,
            subject: format!("Call back {who}"),
            body: format!("Reason: {}.\nLast said: \"{last}\"", cb.reason),
        });
        self.s.callback_taken = true;
    }

    fn emergency(&mut self, raw: &str) {
        self.flow = "emergency";
        let fire = ["smok", "fire", "flame", "burning"]
            .iter()
            .any(|w| self.text.contains(w));
        if fire {
            self.say(say::SAFETY);
        }
        let person = self
            .p()
            .on_call()
            .into_iter()
            .find(|p| p.phone.is_some())
            .map(|p| (first_name(&p.name), p.phone.clone().unwrap_or_default()));
        let what: String = raw.chars().take(160).collect();
        match (self.ctx.channel, person) {
            (Channel::Voice, Some((name, to))) => {
                let number = self
                    .known_phone()
                    .map(|p| speak::phone(&p))
                    .unwrap_or_else(|| "unknown".to_string());
                self.effects.push(Effect::Transfer {
                    to,
                    whisper: format!(
                        "Emergency call from {}: \"{what}\". Their number is {number}.",
                        self.known_name().unwrap_or_else(|| "a caller".to_string())
                    ),
                    reason: "emergency".to_string(),
                });
                self.effects.push(Effect::NotifyOwner {
                    urgency: Urgency::Emergency,
                    subject: format!("Emergency call from {}, transferring to {name}", self.who()),
                    body: format!("Caller said: \"{what}\""),
                });
                self.say(say::transfer(&name));
                self.s.emergency = true;
                self.ask(Awaiting::Transfer, None);
            }
            (_, person) => {
                let name = person
                    .map(|(n, _)| n)
                    .unwrap_or_else(|| "the shop".to_string());
                self.s.callback = Some(PendingCallback {
                    reason: format!("emergency: {what}"),
                    urgency: Urgency::Emergency,
                });
                self.create_callback();
                self.flow = "emergency";
                let number = self.known_phone().map(|p| speak::phone(&p));
                self.say(say::emergency_alerted(&name, number.as_deref()));
                if number.is_none() {
                    self.say(say::WHAT_NUMBER);
                    self.ask(Awaiting::CallbackNumber, Some(Asked::Phone));
                }
            }
        }
    }

    fn human(&mut self, raw: &str) {
        self.flow("human");
        let p = self.p();
        let to = p.business.shop_phone.clone().or_else(|| {
            p.callback_people()
                .into_iter()
                .find_map(|person| person.phone.clone())
        });
        if self.ctx.channel == Channel::Voice
            && p.is_open(self.ctx.now)
            && let Some(to) = to
        {
            let what: String = raw.chars().take(160).collect();
            self.effects.push(Effect::Transfer {
                to,
                whisper: format!("{} asked for a person: \"{what}\"", self.who()),
                reason: "caller asked for a person".to_string(),
            });
            self.say(say::human_transfer());
            self.s.emergency = false;
            self.ask(Awaiting::Transfer, None);
            return;
        }
        self.promise_callback("caller asked to speak with someone", Urgency::Normal);
    }

    // ----- outcomes -------------------------------------------------------------------------

    fn outcome(&mut self, o: Outcome) {
        match o {
            Outcome::Booked { appointment } => self.booked(&appointment),
            Outcome::SlotTaken => {
                if self.prev == Awaiting::ChangeOutcome {
                    self.flow("reschedule");
                    let mut c = self.s.change.take().unwrap_or_default();
                    let taken = c.chosen.take();
                    let (offers, list) = self.change_offers(&c, None, taken);
                    c.offers = offers;
                    self.s.change = Some(c);
                    self.say(say::slot_taken(&list));
                    self.ask(Awaiting::ChangePick, Some(Asked::Time));
                } else {
                    self.flow("book");
                    let mut d = self.s.draft.take().unwrap_or_default();
                    let taken = d.chosen.take();
                    let list = match self.service(&d) {
                        Some(svc) => {
                            let w = d
                                .want
                                .as_ref()
                                .map(|t| want(t, self.now_local()))
                                .unwrap_or_default();
                            d.offers = self.offers_for(svc, &w, &[], taken);
                            self.slot_words(&d.offers)
                        }
                        None => String::new(),
                    };
                    self.s.draft = Some(d);
                    self.say(say::slot_taken(&list));
                    self.ask(Awaiting::Pick, Some(Asked::Time));
                }
            }
            Outcome::CalendarDown => {
                if self.prev == Awaiting::ChangeOutcome {
                    self.flow("reschedule");
                    self.change_request();
                } else {
                    self.manual_request();
                }
            }
            Outcome::Rescheduled { appointment } => {
                self.flow("reschedule");
                let service = self.e.service_name(&appointment.service_id);
                let texted = self.known_phone().is_some();
                if let Some(to) = self.known_phone() {
                    let body = format!(
                        "{}: your {service} is now {}. Reply C to confirm or R to reschedule.",
                        self.p().business.name,
                        self.full(appointment.start)
                    );
                    self.effects.push(Effect::SendSms {
                        to,
                        body,
                        purpose: "reschedule_confirmation".to_string(),
                    });
                }
                self.effects.push(Effect::NotifyOwner {
                    urgency: Urgency::Normal,
                    subject: format!("Moved: {service} for {}", self.who()),
                    body: format!("Now {}.", self.full(appointment.start)),
                });
                self.s.change = None;
                let voice = self.ctx.channel == Channel::Voice;
                self.say(say::moved(
                    &service,
                    &self.near(appointment.start),
                    texted && voice,
                ));
                self.say(say::ANYTHING_ELSE);
            }
            Outcome::Cancelled { appointment_id } => {
                self.flow("cancel");
                let appt = self
                    .s
                    .change
                    .take()
                    .and_then(|c| c.appointment)
                    .or_else(|| {
                        self.ctx
                            .caller
                            .upcoming
                            .iter()
                            .find(|a| a.id == appointment_id)
                            .cloned()
                    });
                let (service, when) = match &appt {
                    Some(a) => (self.e.service_name(&a.service_id), self.full(a.start)),
                    None => ("appointment".to_string(), "the booked time".to_string()),
                };
                self.effects.push(Effect::NotifyOwner {
                    urgency: Urgency::Normal,
                    subject: format!("Cancelled: {service} for {}", self.who()),
                    body: format!("Was {when}."),
                });
                self.say(say::cancelled(&service, &when));
                self.ask(Awaiting::OfferBooking, Some(Asked::Confirm));
            }
            Outcome::TransferFailed { reason } => {
                let urgency = if self.s.emergency {
                    Urgency::Emergency
                } else {
                    Urgency::Normal
                };
                self.flow(if self.s.emergency {
                    "emergency"
                } else {
                    "callback"
                });
                self.say(say::transfer_failed());
                let why = if self.s.emergency {
                    format!("emergency, transfer failed ({reason})")
                } else {
                    format!("asked for a person, transfer failed ({reason})")
                };
                if self.s.emergency && self.known_phone().is_some() {
                    self.s.callback = Some(PendingCallback {
                        reason: why,
                        urgency,
                    });
                    self.create_callback();
                    let promise = self.callback_promise_text();
                    self.say(promise);
                    let number = speak::phone(&self.known_phone().unwrap_or_default());
                    self.say(say::callback_booked(&number));
                } else {
                    self.promise_callback(&why, urgency);
                }
                self.s.emergency = false;
            }
        }
    }

    fn booked(&mut self, a: &crate::AppointmentView) {
        self.flow("book");
        let p = self.p();
        let service = self.e.service_name(&a.service_id);
        let name = self.known_name();
        let vehicle = self.known_vehicle();
        let when_full = self.full(a.start);
        let texted = self.known_phone().is_some();
        if let Some(to) = self.known_phone() {
            let shop = p
                .business
                .shop_phone
                .as_deref()
                .map(speak::phone)
                .unwrap_or_default();
            let body = render(
                p.template(TemplateKey::Confirmation),
                &[
                    ("business", &p.business.name),
                    ("name", name.as_deref().unwrap_or("there")),
                    ("service", &service),
                    ("when", &format!("on {when_full}")),
                    ("address", &p.business.address),
                    ("phone", &shop),
                    (
                        "review_link",
                        p.business.review_link.as_deref().unwrap_or(""),
                    ),
                ],
            );
            self.effects.push(Effect::SendSms {
                to,
                body,
                purpose: "confirmation".to_string(),
            });
        }
        let d = self.s.draft.take().unwrap_or_default();
        let mut body = vec![
            format!("{service}, {when_full}"),
            format!("Customer: {}", self.who()),
        ];
        if let Some(v) = vehicle.as_ref().and_then(vehicle_words) {
            body.push(format!("Vehicle: {v}"));
        }
        if let Some(m) = d.mileage {
            body.push(format!("Mileage: {m}"));
        }
        if let Some(n) = &d.notes {
            body.push(format!("Caller said: \"{n}\""));
        }
        self.effects.push(Effect::NotifyOwner {
            urgency: Urgency::Normal,
            subject: format!("New booking: {service}, {when_full}"),
            body: body.join("\n"),
        });
        self.effects.push(Effect::UpdateContact { name, vehicle });
        let voice = self.ctx.channel == Channel::Voice;
        self.say(say::booked(&service, &self.near(a.start), texted && voice));
        if !p.is_open(self.ctx.now)
            && let Some(m) = &p.after_hours.message
        {
            self.say(m.clone());
        }
        self.say(say::ANYTHING_ELSE);
    }

    /// The calendar cannot be written: take a booking request for a person to confirm.
    fn manual_request(&mut self) {
        self.flow("book");
        let d = self.s.draft.clone().unwrap_or_default();
        let service = d
            .service_id
            .as_deref()
            .map(|id| self.e.service_name(id))
            .unwrap_or_else(|| "a visit".to_string());
        let (when, when_full) = match (d.chosen, &d.want) {
            (Some(slot), _) => (self.near(slot.start), self.full(slot.start)),
            (None, Some(w)) => (w.text.clone(), w.text.clone()),
            (None, None) => (
                "the first opening".to_string(),
                "the first opening".to_string(),
            ),
        };
        let reason = format!("book {service}, {when_full}");
        let context = self.task_context(&reason);
        self.effects.push(Effect::CreateTask {
            task: TaskKind::ManualBooking,
            urgency: Urgency::Normal,
            title: format!(
                "Confirm booking: {service}, {when_full}, for {}",
                self.who()
            ),
            context,
        });
        self.effects.push(Effect::NotifyOwner {
            urgency: Urgency::Normal,
            subject: format!("Booking request to confirm: {service}, {when_full}"),
            body: format!(
                "The calendar could not be written. Please book it and text {}.",
                self.who()
            ),
        });
        self.effects.push(Effect::UpdateContact {
            name: self.known_name(),
            vehicle: self.known_vehicle(),
        });
        self.s.draft = None;
        let open = self.p().is_open(self.ctx.now);
        self.say(say::request_taken(&when, open));
        self.say(say::ANYTHING_ELSE);
    }

    // ----- questions -------------------------------------------------------------------------

    fn price(&mut self, u: &Understanding, raw: &str) {
        self.flow("price");
        let mut ids = u.services.clone();
        if ids.is_empty()
            && let Some(id) = self.s.draft.as_ref().and_then(|d| d.service_id.clone())
        {
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

    fn hours(&mut self, time: Option<&TimeExpr>) {
        self.flow("hours");
        let p = self.p();
        if let Some(t) = time.filter(|t| t.has_date) {
            let date = t.start.date();
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
            return;
        }
        let words = speak::weekly_hours(&p.hours, self.ctx.channel);
        self.say(say::hours(&words));
    }

    fn location(&mut self) {
        self.flow("location");
        let p = self.p();
        self.say(say::location(&p.business.address));
        if self.ctx.channel == Channel::Sms
            && let Some(w) = &p.business.website
        {
            self.say(w.clone());
        }
    }

    // ----- booking -------------------------------------------------------------------------

    fn service(&self, d: &Draft) -> Option<&'e Service> {
        d.service_id
            .as_deref()
            .and_then(|id| self.e.profile.service(id))
    }

    /// Offers for a service: the soonest matching slots, at most the profile's number.
    fn offers_for(
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
    fn busy_without(&self, exclude: &[Busy]) -> Vec<Busy> {
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

    fn slot_words(&self, slots: &[Slot]) -> String {
        let starts: Vec<Timestamp> = slots.iter().map(|s| s.start).collect();
        speak::slot_list(&starts, self.ctx.now, self.zone())
    }

    /// Which offer the caller picked: "the first one", "the later one", "2 works", "Thursday".
    fn pick_index(&self, u: &Understanding) -> Option<usize> {
        let offers: &[Slot] = match self.prev {
            Awaiting::ChangePick => self.s.change.as_ref().map(|c| &c.offers[..]),
            _ => self.s.draft.as_ref().map(|d| &d.offers[..]),
        }
        .unwrap_or(&[]);
        self.pick_in(offers, u)
    }

    /// "Anything later?" (true) or "anything earlier?" (false): a counter-offer relative to the
    /// times just offered, not a pick ("the later one").
    fn shift_asked(&self) -> Option<bool> {
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

    fn pick_in(&self, offers: &[Slot], u: &Understanding) -> Option<usize> {
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
                if !question && same_day.len() == 1 {
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

    fn book(&mut self, u: &Understanding, raw: &str) {
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
        let earlier = (self.prev == Awaiting::Service && d.chosen.is_none())
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
                    w.windows.clear();
                    w.not_before = Some(
                        self.zone()
                            .to_datetime(last.start + jiff::SignedDuration::from_mins(1)),
                    );
                }
            } else {
                w = Want::default();
            }
            let offers = self.offers_for(svc, &w, &[], None);
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
        if let Some(i) = picked {
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

    /// A bare clock ("8", "2:30") placed where the shop works: "8" is 8 AM at a shop closed at
    /// 8 PM, "2:30" is 2:30 PM at a shop closed at night, on the day already being talked about
    /// when there is one, else at its next occurrence. The result is a dated time.
    fn plausible(&self, t: &TimeExpr, day: Option<jiff::civil::Date>) -> TimeExpr {
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
    fn offer_slots(&mut self, d: &mut Draft, svc: &Service, t: Option<&TimeExpr>) {
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

    fn near_local(&self, wall: DateTime) -> String {
        match self.zone().to_ambiguous_timestamp(wall).compatible() {
            Ok(ts) => self.near(ts),
            Err(_) => wall.to_string(),
        }
    }

    /// The exact start the caller asked for, or why not and the nearest alternatives.
    fn exact(&self, svc: &Service, t: &TimeExpr) -> Result<Slot, (String, Vec<Slot>)> {
        self.exact_with(svc, t, &[])
    }

    fn exact_with(
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
    fn details(&mut self, mut d: Draft, svc: &Service) {
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
    fn commit(&mut self) {
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

    // ----- reschedule and cancel ---------------------------------------------------------------

    fn change(&mut self, kind: ChangeKind, u: &Understanding) {
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
                candidates = on_day;
                time_used = true;
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

    fn change_next(&mut self, mut c: Change, u: &Understanding) {
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
    fn change_offers(
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

    fn change_which(&mut self, u: &Understanding) -> bool {
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

    fn change_pick(&mut self, u: &Understanding) -> bool {
        let Some(c) = self.s.change.clone() else {
            return false;
        };
        if u.time.is_none() && self.pick_in(&c.offers, u).is_none() {
            return false;
        }
        self.change_next(c, u);
        true
    }

    fn change_confirm(&mut self, u: &Understanding) -> bool {
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
    fn change_request(&mut self) {
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

fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or(full).to_string()
}
