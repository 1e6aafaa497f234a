//! A small in-memory executor for driving the engine as the runtime would: it carries out
//! Book, Reschedule and Cancel against a list of busy times and feeds the outcome back, and it
//! keeps every reply and effect for the tests to inspect.

#![allow(dead_code)]

use frontdesk_engine::{
    AppointmentView, CalendarView, Caller, Channel, Effect, Engine, Input, Outcome, State, Step,
    TurnContext,
};
use frontdesk_schedule::Busy;
use jiff::Timestamp;
use jiff::civil::DateTime;

/// A business-local wall-clock time in Austin as an instant.
pub fn local(s: &str) -> Timestamp {
    let dt: DateTime = s.parse().unwrap();
    dt.to_zoned(jiff::tz::TimeZone::get("America/Chicago").unwrap())
        .unwrap()
        .timestamp()
}

pub struct Call {
    pub engine: Engine,
    pub state: State,
    pub now: Timestamp,
    pub channel: Channel,
    pub caller: Caller,
    pub busy: Vec<Busy>,
    pub reachable: bool,
    /// Appointments the executor holds (the caller's and, when booked, new ones).
    pub appointments: Vec<AppointmentView>,
    pub replies: Vec<String>,
    pub effects: Vec<Effect>,
    pub steps: Vec<Step>,
    /// The next Book is answered with SlotTaken.
    pub take_next: bool,
    /// Writes to the calendar fail.
    pub calendar_down: bool,
    pub done: bool,
}

impl Call {
    pub fn new(profile: frontdesk_profile::Profile, now: &str, channel: Channel) -> Call {
        Call {
            engine: Engine::new(profile),
            state: State::default(),
            now: local(now),
            channel,
            caller: Caller {
                phone: Some("+15125550199".to_string()),
                ..Caller::default()
            },
            busy: Vec::new(),
            reachable: true,
            appointments: Vec::new(),
            replies: Vec::new(),
            effects: Vec::new(),
            steps: Vec::new(),
            take_next: false,
            calendar_down: false,
            done: false,
        }
    }

    /// Gives the caller an existing appointment.
    pub fn with_appointment(mut self, id: &str, service: &str, start: &str, minutes: i64) -> Call {
        let start = local(start);
        let end = start + jiff::SignedDuration::from_mins(minutes);
        let a = AppointmentView {
            id: id.to_string(),
            service_id: service.to_string(),
            start,
            end,
        };
        self.busy.push(Busy::appointment(start, end));
        self.caller.upcoming.push(a.clone());
        self.appointments.push(a);
        self
    }

    fn calendar(&self) -> CalendarView {
        CalendarView {
            busy: self.busy.clone(),
            reachable: self.reachable,
        }
    }

    pub fn start(&mut self) -> String {
        let cal = self.calendar();
        let ctx = TurnContext {
            now: self.now,
            channel: self.channel,
            caller: &self.caller,
            calendar: &cal,
        };
        let step = self.engine.start(&ctx);
        self.state = step.state.clone();
        self.replies.push(step.reply.clone());
        let reply = step.reply.clone();
        self.steps.push(step);
        reply
    }

    pub fn say(&mut self, text: &str) -> String {
        self.input(Input::Said(text.to_string()))
    }

    /// One input; effects needing an outcome are carried out and the outcome fed back. Returns
    /// what the caller hears.
    pub fn input(&mut self, input: Input) -> String {
        let mut input = input;
        loop {
            let cal = self.calendar();
            let ctx = TurnContext {
                now: self.now,
                channel: self.channel,
                caller: &self.caller,
                calendar: &cal,
            };
            let step = self.engine.turn(&self.state, input, &ctx);
            self.state = step.state.clone();
            self.effects.extend(step.effects.iter().cloned());
            self.done = step.done;
            let outcome = step.effects.iter().find_map(|e| self.carry_out(e));
            let reply = step.reply.clone();
            self.steps.push(step);
            match outcome {
                Some(o) => {
                    assert!(
                        reply.is_empty(),
                        "a step waiting for an outcome said {reply:?}"
                    );
                    input = Input::Outcome(o);
                }
                None => {
                    self.replies.push(reply.clone());
                    return reply;
                }
            }
        }
    }

    fn carry_out(&mut self, e: &Effect) -> Option<Outcome> {
        match e {
            Effect::Book {
                service_id,
                start,
                end,
                ..
            } => {
                if self.calendar_down {
                    return Some(Outcome::CalendarDown);
                }
                if self.take_next {
                    self.take_next = false;
                    self.busy.push(Busy::blocked(*start, *end));
                    return Some(Outcome::SlotTaken);
                }
                let a = AppointmentView {
                    id: format!("a{}", self.appointments.len() + 1),
                    service_id: service_id.clone(),
                    start: *start,
                    end: *end,
                };
                self.busy.push(Busy::appointment(*start, *end));
                self.appointments.push(a.clone());
                Some(Outcome::Booked { appointment: a })
            }
            Effect::Reschedule {
                appointment_id,
                start,
                end,
            } => {
                let a = self
                    .appointments
                    .iter_mut()
                    .find(|a| &a.id == appointment_id)?;
                let old = Busy::appointment(a.start, a.end);
                a.start = *start;
                a.end = *end;
                let moved = a.clone();
                self.busy.retain(|b| *b != old);
                self.busy.push(Busy::appointment(*start, *end));
                Some(Outcome::Rescheduled { appointment: moved })
            }
            Effect::Cancel { appointment_id } => {
                let i = self
                    .appointments
                    .iter()
                    .position(|a| &a.id == appointment_id)?;
                let a = self.appointments.remove(i);
                self.busy
                    .retain(|b| *b != Busy::appointment(a.start, a.end));
                Some(Outcome::Cancelled {
                    appointment_id: a.id,
                })
            }
            _ => None,
        }
    }

    pub fn booked(&self) -> Vec<&AppointmentView> {
        self.appointments
            .iter()
            .filter(|a| !self.caller.upcoming.iter().any(|u| u.id == a.id))
            .collect()
    }

    pub fn sms(&self) -> Vec<&str> {
        self.effects
            .iter()
            .filter_map(|e| match e {
                Effect::SendSms { body, .. } => Some(body.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn tasks(&self) -> Vec<&Effect> {
        self.effects
            .iter()
            .filter(|e| matches!(e, Effect::CreateTask { .. }))
            .collect()
    }

    pub fn transfers(&self) -> Vec<&Effect> {
        self.effects
            .iter()
            .filter(|e| matches!(e, Effect::Transfer { .. }))
            .collect()
    }

    pub fn notes(&self) -> Vec<&Effect> {
        self.effects
            .iter()
            .filter(|e| matches!(e, Effect::NotifyOwner { .. }))
            .collect()
    }
}
