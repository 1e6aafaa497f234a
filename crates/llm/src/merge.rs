//! Merging the built-in understanding with the model's (already validated) one. The built-in
//! layer is exact where it speaks, so its values win; the model fills what it missed. Per field:
//!
//! - `intents`: the built-in intents, in order. The model's are added only when the built-in
//!   layer found none, or when they only add a question or an escalation (price, hours,
//!   location, human, emergency). A model may never add book, reschedule, cancel, affirm or deny
//!   next to a built-in intent: those move the booking flow, and a paraphrase the built-in layer
//!   half-read is where a model's guess is most likely to contradict it ("yes" and "no").
//! - `services`, `faqs`: the built-in ids, then the model's others (both are profile ids, and a
//!   mention only makes the engine ask or quote from the menu).
//! - `time`: the built-in one; the model's only when there is none (built-in resolution is
//!   exact and knows corrections, bounds and exceptions).
//! - `name`, `mileage`, `phone`: the built-in value, else the model's; a name that is really an
//!   instruction ("Ignore Previous Instructions") is dropped whichever layer read it.
//! - `vehicle`: field by field, the built-in year, make and model, each else the model's.
//! - `urgency`: the more severe of the two. A false emergency costs a transfer; a missed one
//!   leaves a stranded caller waiting.

use frontdesk_nlu::{Intent, Understanding, Urgency, Vehicle};

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

/// The built-in understanding with the gaps the model filled; see the module docs for why
/// each field is decided the way it is.
pub fn merge(builtin: &Understanding, model: &Understanding) -> Understanding {
    let mut intents = builtin.intents.clone();
    for i in &model.intents {
        if (builtin.intents.is_empty() || ADDABLE.contains(i)) && !intents.contains(i) {
            intents.push(*i);
        }
    }
    let urgency = if severity(model.urgency) > severity(builtin.urgency) {
        model.urgency
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
    Understanding {
        intents,
        faqs: union(&builtin.faqs, &model.faqs),
        services: union(&builtin.services, &model.services),
        time: builtin.time.clone().or_else(|| model.time.clone()),
        name: builtin
            .name
            .clone()
            .or_else(|| model.name.clone())
            .filter(|n| !crate::validate::is_instruction(n)),
        vehicle,
        mileage: builtin.mileage.or(model.mileage),
        phone: builtin.phone.clone().or_else(|| model.phone.clone()),
        urgency,
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

    #[test]
    fn a_model_emergency_raises_urgency_and_adds_the_emergency_intent() {
        let model = Understanding {
            urgency: Urgency::Emergency,
            ..Understanding::default()
        };
        let m = merge(&u(&[Intent::Book]), &model);
        assert_eq!(m.urgency, Urgency::Emergency);
        assert_eq!(m.intents, [Intent::Book, Intent::Emergency]);
    }
}
