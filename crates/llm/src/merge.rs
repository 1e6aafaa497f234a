//! Merging the built-in understanding with the model's (already validated) one. The built-in
//! layer is exact where it speaks, so its values win; the model fills what it missed. Per field:
//!
//! - `intents`: the built-in intents, in order. The model's are added only when the built-in
//!   layer found none, or when they only add a question or an escalation (price, hours,
//!   location, human, emergency). A model may never add book, reschedule, cancel, affirm or deny
//!   next to a built-in intent: those move the booking flow, and a paraphrase the built-in layer
//!   half-read is where a model's guess is most likely to contradict it ("yes" and "no").
//! - `services`, `faqs`: the built-in ids, then the model's others (both are profile ids, and a
//!   mention only makes the engine ask or quote from the menu). When both name services and
//!   none in common, the service is *disputed*: neither is used, and the flow asks.
//! - `time`: the built-in one; the model's only when there is none (built-in resolution is
//!   exact and knows corrections, bounds and exceptions). When both read a time and they name
//!   another day, or both give a clock and the clocks differ, the time is *disputed*: neither is
//!   used, so the flow asks for it instead of guessing — unless the model reports that the
//!   caller corrected the time and its words for the new one come after the built-in reading's
//!   in what the caller said (within one message the last stated choice stands).
//! - A service correction ("brakes, scratch that, an oil change"): the model's services stand
//!   alone when the built-in reading heard each of them too.
//! - `name`, `mileage`, `phone`: the built-in value, else the model's; a name that is really an
//!   instruction ("Ignore Previous Instructions") is dropped whichever layer read it.
//! - `vehicle`: field by field, the built-in year, make and model, each else the model's.
//! - `urgency`: the more severe of the two. A false emergency costs a transfer; a missed one
//!   leaves a stranded caller waiting. But a model's emergency the built-in reading did not
//!   hear needs a word of danger or of being stranded in what the caller said
//!   ([`frontdesk_nlu::names_a_danger`]): a small model paged the on-call person for oil changes.

use frontdesk_nlu::{Intent, TimeExpr, Understanding, Urgency, Vehicle};

use crate::signals::{Corrects, Reading, said_after};

/// The merged reading and what the two readings disagreed on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    pub understanding: Understanding,
    /// `"time"` and/or `"service"`: both readings had one and they differ, so the merged
    /// reading has none and the flow asks.
    pub disputed: Vec<&'static str>,
}

/// Intents a model may add next to built-in ones: they ask something or escalate.
const ADDABLE: [Intent; 5] = [
    Intent::Price,
    Intent::Hours,
    Intent::Location,
    Intent::Human,
    Intent::Emergency,
];

fn union(first: &[String], then: &[String]) -> Vec<String> {
    let mut out = first.to_vec();
    for s in then {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

fn severity(u: Urgency) -> u8 {
    match u {
        Urgency::Normal => 0,
        Urgency::Upset => 1,
        Urgency::Emergency => 2,
    }
}

/// Whether two readings of a time name another day, or two different clock times.
fn times_differ(a: &TimeExpr, b: &TimeExpr) -> bool {
    let day = a.has_date && b.has_date && a.start.date() != b.start.date();
    let clock = a.has_clock && b.has_clock && a.start.time() != b.start.time();
    day || clock
}

/// The built-in understanding with the gaps the model filled; see the module docs for why
/// each field is decided the way it is.
pub fn merge(builtin: &Understanding, model: &Understanding) -> Understanding {
    reconcile(builtin, model).understanding
}

/// [`merge`], and what the readings disputed: a time or a service both read differently is
/// left out of the merged reading and named in [`Merged::disputed`].
pub fn reconcile(builtin: &Understanding, model: &Understanding) -> Merged {
    let reading = Reading {
        understanding: model.clone(),
        ..Reading::default()
    };
    reconcile_in("", builtin, &reading)
}

/// [`reconcile`] with the model's signals and the caller's words (`text`): a correction the
/// model reports decides a disputed time or service when the caller's words back it.
pub fn reconcile_in(text: &str, builtin: &Understanding, reading: &Reading) -> Merged {
    let model = &reading.understanding;
    let corrects = reading.signals.corrects;
    let mut disputed = Vec::new();
    let time = match (&builtin.time, &model.time) {
        (Some(b), Some(m)) if times_differ(b, m) => {
            if corrects == Some(Corrects::Time) && said_after(text, &m.text, &b.text) {
                Some(m.clone())
            } else {
                disputed.push("time");
                None
            }
        }
        (b, m) => b.clone().or_else(|| m.clone()),
    };
    let heard_too = model.services.iter().all(|s| builtin.services.contains(s));
    let services = if corrects == Some(Corrects::Service) && heard_too {
        model.services.clone()
    } else if !builtin.services.is_empty()
        && !model.services.is_empty()
        && !model.services.iter().any(|s| builtin.services.contains(s))
    {
        disputed.push("service");
        Vec::new()
    } else {
        union(&builtin.services, &model.services)
    };
    // A model's emergency (its urgency or its intent) needs danger in the caller's words.
    let danger = builtin.urgency == Urgency::Emergency
        || builtin.intents.contains(&Intent::Emergency)
        || frontdesk_nlu::names_a_danger(text);
    let mut intents = builtin.intents.clone();
    for i in &model.intents {
        let allowed = (builtin.intents.is_empty() || ADDABLE.contains(i))
            && (*i != Intent::Emergency || danger);
        if allowed && !intents.contains(i) {
            intents.push(*i);
        }
    }
    let model_urgency = match model.urgency {
        Urgency::Emergency if !danger => builtin.urgency,
        u => u,
    };
    let urgency = if severity(model_urgency) > severity(builtin.urgency) {
        model_urgency
    } else {
        builtin.urgency
    };
    if urgency == Urgency::Emergency && !intents.contains(&Intent::Emergency) {
        intents.push(Intent::Emergency);
    }
    let vehicle = match (&builtin.vehicle, &model.vehicle) {
        (None, m) => m.clone(),
        (b, None) => b.clone(),
        (Some(b), Some(m)) => Some(Vehicle {
            year: b.year.or(m.year),
            make: b.make.clone().or_else(|| m.make.clone()),
            model: b.model.clone().or_else(|| m.model.clone()),
        }),
    };
    let understanding = Understanding {
        intents,
        faqs: union(&builtin.faqs, &model.faqs),
        services,
        time,
        name: builtin
            .name
            .clone()
            .or_else(|| model.name.clone())
            .filter(|n| !crate::validate::is_instruction(n)),
        vehicle,
        mileage: builtin.mileage.or(model.mileage),
        phone: builtin.phone.clone().or_else(|| model.phone.clone()),
        urgency,
    };
    Merged {
        understanding,
        disputed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(intents: &[Intent]) -> Understanding {
        Understanding {
            intents: intents.to_vec(),
            ..Understanding::default()
        }
    }

    #[test]
    fn model_intents_are_used_when_the_builtin_layer_found_none() {
        let m = merge(&u(&[]), &u(&[Intent::Book, Intent::Price]));
        assert_eq!(m.intents, [Intent::Book, Intent::Price]);
    }

    #[test]
    fn a_model_cannot_add_a_flow_moving_intent_next_to_a_builtin_one() {
        let m = merge(
            &u(&[Intent::Affirm]),
            &u(&[Intent::Deny, Intent::Cancel, Intent::Price]),
        );
        assert_eq!(m.intents, [Intent::Affirm, Intent::Price]);
    }

    #[test]
    fn builtin_values_win_and_the_model_fills_the_gaps_field_by_field() {
        let builtin = Understanding {
            services: vec!["brakes".into()],
            name: Some("Sam".into()),
            vehicle: Some(Vehicle {
                year: Some(2014),
                make: None,
                model: None,
            }),
            ..Understanding::default()
        };
        let model = Understanding {
            services: vec!["oil".into(), "brakes".into()],
            name: Some("Samuel".into()),
            vehicle: Some(Vehicle {
                year: Some(2015),
                make: Some("Honda".into()),
                model: Some("Civic".into()),
            }),
            mileage: Some(120_000),
            urgency: Urgency::Upset,
            ..Understanding::default()
        };
        let m = merge(&builtin, &model);
        assert_eq!(m.services, ["brakes", "oil"]);
        assert_eq!(m.name.as_deref(), Some("Sam"));
        assert_eq!(
            m.vehicle,
            Some(Vehicle {
                year: Some(2014),
                make: Some("Honda".into()),
                model: Some("Civic".into())
            })
        );
        assert_eq!(m.mileage, Some(120_000));
        assert_eq!(m.urgency, Urgency::Upset);
    }

    fn at(day: i8, hour: Option<i8>) -> Option<TimeExpr> {
        let start = jiff::civil::date(2026, 11, day).at(hour.unwrap_or(0), 0, 0, 0);
        Some(TimeExpr {
            text: "t".into(),
            start,
            grain: if hour.is_some() {
                frontdesk_nlu::Grain::Hour
            } else {
                frontdesk_nlu::Grain::Day
            },
            end: None,
            bound: frontdesk_nlu::Bound::Exact,
            has_date: true,
            has_clock: hour.is_some(),
            asap: false,
            except_weekdays: Vec::new(),
            correction: false,
            latent: false,
        })
    }

    #[test]
    fn two_readings_of_another_day_leave_the_time_out_and_name_it_disputed() {
        let builtin = Understanding {
            time: at(25, None),
            ..u(&[Intent::Book])
        };
        let model = Understanding {
            time: at(26, Some(9)),
            ..u(&[])
        };
        let m = reconcile(&builtin, &model);
        assert_eq!(m.understanding.time, None);
        assert_eq!(m.disputed, ["time"]);
        // The same day, one reading with a clock: no dispute, the built-in one is kept.
        let model = Understanding {
            time: at(25, Some(9)),
            ..u(&[])
        };
        let m = reconcile(&builtin, &model);
        assert_eq!(m.understanding.time, builtin.time);
        assert!(m.disputed.is_empty());
    }

    #[test]
    fn two_readings_naming_different_services_leave_the_service_out() {
        let builtin = Understanding {
            services: vec!["brakes".into()],
            ..u(&[])
        };
        let other = Understanding {
            services: vec!["oil".into()],
            ..u(&[])
        };
        let m = reconcile(&builtin, &other);
        assert!(m.understanding.services.is_empty());
        assert_eq!(m.disputed, ["service"]);
        let overlapping = Understanding {
            services: vec!["oil".into(), "brakes".into()],
            ..u(&[])
        };
        assert_eq!(
            reconcile(&builtin, &overlapping).understanding.services,
            ["brakes", "oil"]
        );
    }

    fn reading(model: Understanding, corrects: Corrects) -> Reading {
        Reading {
            understanding: model,
            signals: crate::signals::Signals {
                corrects: Some(corrects),
                ..Default::default()
            },
        }
    }

    #[test]
    fn a_correction_said_last_decides_the_day_and_one_said_first_is_still_disputed() {
        let text = "wednesday morning, oh shoot, thursday works better";
        let mut wednesday = at(25, None).unwrap();
        wednesday.text = "wednesday morning".into();
        let mut thursday = at(26, None).unwrap();
        thursday.text = "thursday".into();
        let builtin = Understanding {
            time: Some(wednesday.clone()),
            ..u(&[Intent::Book])
        };
        let model = Understanding {
            time: Some(thursday.clone()),
            ..u(&[])
        };
        let m = reconcile_in(text, &builtin, &reading(model.clone(), Corrects::Time));
        assert_eq!(m.understanding.time, Some(thursday.clone()));
        assert!(m.disputed.is_empty());
        // Without the correction, or with the model's day said first, the two still dispute.
        assert_eq!(
            reconcile_in(text, &builtin, &reading(model, Corrects::Service)).disputed,
            ["time"]
        );
        let backwards = Understanding {
            time: Some(thursday),
            ..u(&[Intent::Book])
        };
        let first = Understanding {
            time: Some(wednesday),
            ..u(&[])
        };
        let m = reconcile_in(text, &backwards, &reading(first, Corrects::Time));
        assert_eq!(m.disputed, ["time"]);
    }

    #[test]
    fn a_service_correction_keeps_only_the_new_service_when_the_caller_named_it() {
        let builtin = Understanding {
            services: vec!["brakes".into(), "oil".into()],
            ..u(&[])
        };
        let oil = Understanding {
            services: vec!["oil".into()],
            ..u(&[])
        };
        let m = reconcile_in("", &builtin, &reading(oil, Corrects::Service));
        assert_eq!(m.understanding.services, ["oil"]);
        // A service nobody said is not a correction: the two readings dispute it.
        let tires = Understanding {
            services: vec!["tires".into()],
            ..u(&[])
        };
        let m = reconcile_in("", &builtin, &reading(tires, Corrects::Service));
        assert!(m.understanding.services.is_empty());
        assert_eq!(m.disputed, ["service"]);
    }

    #[test]
    fn a_model_emergency_raises_urgency_and_adds_the_emergency_intent() {
        let model = Reading {
            understanding: Understanding {
                urgency: Urgency::Emergency,
                ..Understanding::default()
            },
            ..Reading::default()
        };
        let said = "the car just died on me and I've got the kids in the back";
        let m = reconcile_in(said, &u(&[Intent::Book]), &model).understanding;
        assert_eq!(m.urgency, Urgency::Emergency);
        assert_eq!(m.intents, [Intent::Book, Intent::Emergency]);
    }

    #[test]
    fn a_model_emergency_without_a_word_of_danger_in_the_callers_words_is_not_followed() {
        let model = Reading {
            understanding: Understanding {
                urgency: Urgency::Emergency,
                ..Understanding::default()
            },
            ..Reading::default()
        };
        let said = "can I get an oil change tomorrow morning";
        let m = reconcile_in(said, &u(&[Intent::Book]), &model).understanding;
        assert_eq!(m.urgency, Urgency::Normal);
        assert_eq!(m.intents, [Intent::Book]);
        let only_the_intent = Reading {
            understanding: u(&[Intent::Emergency]),
            ..Reading::default()
        };
        let m = reconcile_in(said, &u(&[]), &only_the_intent).understanding;
        assert!(m.intents.is_empty(), "{:?}", m.intents);
    }
}
