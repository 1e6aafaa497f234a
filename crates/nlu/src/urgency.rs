//! Urgency: danger or being stranded (emergency) versus an upset caller versus normal.

use crate::Urgency;
use crate::normalize::Normalized;

pub fn detect(_n: &Normalized) -> Urgency {
    Urgency::Normal
}
