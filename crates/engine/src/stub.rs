//! TEMPORARY stand-in for the engine while its flows are written; replaced on merge.
use crate::*;
pub struct Engine { profile: frontdesk_profile::Profile }
impl Engine {
    pub fn new(profile: frontdesk_profile::Profile) -> Engine { Engine { profile } }
    pub fn profile(&self) -> &frontdesk_profile::Profile { &self.profile }
    pub fn start(&self, _ctx: &TurnContext) -> Step { Step { state: State::default(), reply: "hello".into(), effects: vec![], flow: "greet".into(), understanding: None, done: false } }
    pub fn turn(&self, s: &State, _i: Input, _ctx: &TurnContext) -> Step { Step { state: s.clone(), reply: "ok".into(), effects: vec![], flow: "x".into(), understanding: None, done: false } }
}
