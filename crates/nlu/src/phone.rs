//! Phone numbers said or typed, in digits or words, returned as E.164 (US/Canada assumed for
//! ten digits).

use crate::normalize::Normalized;

pub fn find(_n: &Normalized) -> Option<String> {
    None
}
