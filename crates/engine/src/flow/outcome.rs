//! What the runtime reports back after an effect: booked, taken, calendar down, moved,
//! cancelled, transfer failed; each turned into what the caller hears and what the owner gets.

use super::*;

impl Turn<'_, '_> {
    pub(super) fn outcome(&mut self, o: Outcome) {
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
                // "same time tomorrow" in the answer means the time just cancelled.
                if let Some(a) = &appt {
                    let at = self.zone().to_datetime(a.start);
                    self.s.draft = Some(Draft {
                        want: Some(TimeExpr::exact_at(at, when.clone())),
                        ..Draft::default()
                    });
                }
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

    pub(super) fn booked(&mut self, a: &crate::AppointmentView) {
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
    pub(super) fn manual_request(&mut self) {
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
}
