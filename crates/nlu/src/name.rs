//! The caller's name: "this is Sam", "my name's Dana Li", "it's under Pat Garcia", or a bare
//! name right after the assistant asked for one.

use crate::Context;
use crate::normalize::Normalized;

pub fn find(_n: &Normalized, _ctx: &Context) -> Option<String> {
    None
}
