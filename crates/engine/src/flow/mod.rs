//! The flows: one caller turn in, the reply, the new state and the effects out. [`Engine::turn`]
//! reads the utterance with the built-in understanding (and its conversation cues), then
//! handles, in this order: emergencies (transfer at once), "say that again", the cues (`cues`:
//! a Spanish speaker, "am I talking to a robot?", a complaint or a status question for a
//! person, a question about the caller's own appointment, "how long does it take?"), a request
//! for a person, whatever the last reply left open (a read-back, an offer, a callback number,
//! "did you mean ...?"), cancel and reschedule, the questions asked (price, hours, location,
//! FAQs, answered in the order asked) and finally booking, which offers only slots from the
//! scheduler and prices only from the profile. What was offered, asked or read back is part of
//! the reading: "the first one", "same time", "make it Friday instead" (the time said stands). Nothing here reads a clock or
//! does I/O; the same state, input and context always give the same step.

use frontdesk_nlu::{
    Asked, Context, Cues, Intent, Lexicon, TimeExpr, Understanding, Vehicle, understand,
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
use crate::{Channel, Effect, Hints, Input, Outcome, Step, TaskKind, TurnContext, Urgency};

mod answer;
mod book;
mod callback;
mod change;
mod converse;
mod cues;
mod offer;
mod outcome;
mod pick;

/// The conversation engine for one business: the profile plus what is computed from it once.
#[derive(Debug)]
pub struct Engine {
    profile: Profile,
    lexicon: Lexicon,
    rules: Rules,
    /// What any reply may state, read once from the profile (see [`crate::check`]).
    allowed: frontdesk_nlu::claims::Allowed,
}

impl Engine {
    /// Builds the engine, precomputing the understanding vocabulary and the booking rules.
    pub fn new(profile: Profile) -> Engine {
        let lexicon = crate::lexicon(&profile);
        let rules = crate::rules(&profile);
        let allowed = crate::check::profile_allowed(&profile);
        Engine {
            profile,
            lexicon,
            rules,
            allowed,
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
        // Every booking ahead, up to three: "an oil change Thursday at 7:30 AM and a tire
        // rotation Friday at 9 AM".
        let ahead: Vec<String> = ctx
            .caller
            .upcoming
            .iter()
            .take(3)
            .map(|a| {
                let service = self.service_name(&a.service_id);
                format!(
                    "{} {service} {}",
                    speak::article(&service),
                    speak::when_near(a.start, ctx.now, &p.business.timezone)
                )
            })
            .collect();
        if !ahead.is_empty() {
            extras.push(say::upcoming(&speak::and_list(&ahead)));
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
        let mut step = Step {
            state,
            reply,
            effects: Vec::new(),
            flow: "greeting".to_string(),
            understanding: None,
            done: false,
            screened: Vec::new(),
        };
        crate::check::screen(p, &self.allowed, &State::default(), ctx, &mut step);
        step
    }

    /// One step of the conversation. See the module documentation for the order of handling.
    pub fn turn(&self, state: &State, input: Input, ctx: &TurnContext) -> Step {
        let mut t = Turn::new(self, state, ctx);
        match input {
            Input::Outcome(o) => t.outcome(o),
            Input::Silence => t.silence(),
            Input::Dtmf(keys) => {
                let text = t.dtmf_text(&keys);
                let (u, cues) = self.read_with_cues(&text, state.asked, ctx.now);
                t.cues = cues;
                t.said(&text, u);
            }
            Input::Said(text) => {
                let (u, cues) = self.read_with_cues(&text, state.asked, ctx.now);
                t.builtin = true;
                t.cues = cues;
                t.said(&text, u);
            }
            Input::Understood {
                text,
                mut understanding,
                hints,
            } => {
                // The runtime hands the built-in reading over this way too when a model is
                // configured but was not needed: then it is still the caller's own words.
                let (own, cues) = self.read_with_cues(&text, state.asked, ctx.now);
                t.builtin = own == understanding;
                t.cues = cues;
                t.take_hints(hints, &own);
                understanding
                    .services
                    .retain(|id| self.profile.service(id).is_some());
                understanding
                    .faqs
                    .retain(|id| self.profile.faq(id).is_some());
                t.said(&text, understanding);
            }
        }
        let mut step = t.finish();
        crate::check::screen(&self.profile, &self.allowed, state, ctx, &mut step);
        step
    }

    fn read(&self, text: &str, asked: Option<Asked>, now: Timestamp) -> Understanding {
        self.read_with_cues(text, asked, now).0
    }

    fn read_with_cues(
        &self,
        text: &str,
        asked: Option<Asked>,
        now: Timestamp,
    ) -> (Understanding, Cues) {
        let zone = &self.profile.business.timezone;
        let local = zone.to_datetime(now);
        let offset = zone.to_offset(now).seconds();
        frontdesk_nlu::understand_with_cues(
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

    /// The built-in understanding of `text` in this conversation (what the last reply asked
    /// changes how a bare answer is read), as [`Engine::turn`] would make it.
    pub fn understand_in(&self, text: &str, state: &State, now: Timestamp) -> Understanding {
        self.read(text, state.asked, now)
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
    /// The understanding is the built-in reading of the caller's words (not a model's).
    builtin: bool,
    /// The conversation cues of the caller's words (status, robot, same time, ...).
    cues: Cues,
    /// What a model heard beyond the understanding (see [`Hints`]).
    hints: Hints,
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
            builtin: false,
            cues: Cues::default(),
            hints: Hints::default(),
        }
    }

    /// The caller's words, lower-cased, without punctuation.
    fn words(&self) -> impl Iterator<Item = &str> {
        self.text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
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
            || ["name", "this is", "i'm", "i am", "it's", "for my "]
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
        if self.hints.day_unclear && !pending && matches!(self.flow, "book" | "reschedule") {
            self.parts.insert(0, say::WHICH_DAY.to_string());
        }
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
            screened: Vec::new(),
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
                | Awaiting::ServiceGuess
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
}

fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or(full).to_string()
}
