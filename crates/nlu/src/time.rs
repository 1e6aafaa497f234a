//! Time expressions: finds dates, clock times, parts of day, intervals and open bounds in an
//! utterance and resolves them against the business-local clock with Duckling's conventions.

use crate::normalize::Normalized;
use crate::{Context, TimeExpr};

pub fn find(_n: &Normalized, _ctx: &Context, _offset: Option<i32>) -> Option<TimeExpr> {
    None
}
