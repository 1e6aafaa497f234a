//! Intent rules: keyword and phrase patterns for the fourteen intents, read with what the
//! assistant just asked.

use crate::normalize::Normalized;
use crate::{Context, Intent, TimeExpr};

pub fn detect(_n: &Normalized, _ctx: &Context, _time: Option<&TimeExpr>) -> Vec<Intent> {
    Vec::new()
}
