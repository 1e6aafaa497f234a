//! Callbacks, transfers and emergencies: the promise (from the owner's template), the number
//! confirmed or asked for, the task with the transcript, the warm transfer with its whisper and
//! the urgent alert.

use super::*;

impl Turn<'_, '_> {
    pub(super) fn callback_promise_text(&self) -> String {
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
    pub(super) fn promise_callback(&mut self, reason: &str, urgency: Urgency) {
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
    pub(super) fn callback_number(&mut self, u: &Understanding) -> bool {
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

    pub(super) fn task_context(&self, reason: &str) -> serde_json::Value {
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

    pub(super) fn create_callback(&mut self) {
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

    pub(super) fn emergency(&mut self, raw: &str) {
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

    /// Someone of the shop asked for by first name: "is maria in today?", "can I talk to
    /// Joe", "get maria on the phone".
    pub(super) fn staff_asked_for(&self) -> Option<&frontdesk_profile::Person> {
        const REACH: &[&str] = &[
            "talk", "speak", "get", "reach", "put", "is", "ask", "with", "transfer", "connect",
            "for", "want", "need",
        ];
        let words: Vec<&str> = self.words().collect();
        self.p().people.iter().find(|person| {
            let first = person
                .name
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            !first.is_empty()
                && words.iter().enumerate().any(|(i, w)| {
                    *w == first
                        && words[i.saturating_sub(3)..i]
                            .iter()
                            .any(|x| REACH.contains(x))
                })
        })
    }

    pub(super) fn human(&mut self, raw: &str) {
        self.flow("human");
        let asked_for = self.staff_asked_for().map(|person| person.name.clone());
        let p = self.p();
        let to = p.business.shop_phone.clone().or_else(|| {
            p.callback_people()
                .into_iter()
                .find_map(|person| person.phone.clone())
        });
        // "can somebody call me back": a callback was asked for, not a transfer.
        let asks_callback = [
            "call me back",
            "call me",
            "callback",
            "call back",
            "give me a call",
            "have someone call",
            "have somebody call",
        ]
        .iter()
        .any(|w| self.text.contains(w));
        if self.ctx.channel == Channel::Voice
            && p.is_open(self.ctx.now)
            && !asks_callback
            && let Some(to) = to
        {
            let what: String = raw.chars().take(160).collect();
            let whom = asked_for.as_deref().unwrap_or("a person");
            self.effects.push(Effect::Transfer {
                to,
                whisper: format!("{} asked for {whom}: \"{what}\"", self.who()),
                reason: format!("caller asked for {whom}"),
            });
            self.say(say::human_transfer());
            self.s.emergency = false;
            self.ask(Awaiting::Transfer, None);
            return;
        }
        let reason = match asked_for {
            Some(name) => format!("caller asked to speak with {name}"),
            None => "caller asked to speak with someone".to_string(),
        };
        self.promise_callback(&reason, Urgency::Normal);
    }
}
