//! The circuit breaker: after a run of consecutive failures the model is skipped for a
//! cool-down, then one trial call is let through (half-open); its success closes the breaker,
//! its failure opens it for another cool-down. The clock is passed in, so the policy is tested
//! without sleeping.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub(crate) struct Breaker {
    threshold: u32,
    cool_down: Duration,
    failures: u32,
    /// Set while open: calls are skipped until then.
    open_until: Option<Instant>,
    /// When the half-open trial call was let through; a trial abandoned by its caller (the
    /// future dropped) stops blocking others after one cool-down.
    trial_since: Option<Instant>,
}

impl Breaker {
    pub fn new(threshold: u32, cool_down: Duration) -> Breaker {
        Breaker {
            threshold,
            cool_down,
            failures: 0,
            open_until: None,
            trial_since: None,
        }
    }

    /// Whether calls are being skipped at `now`.
    pub fn is_open(&self, now: Instant) -> bool {
        match self.open_until {
            None => false,
            Some(until) if now < until => true,
            Some(_) => self
                .trial_since
                .is_some_and(|t| now.duration_since(t) < self.cool_down),
        }
    }

    /// Lets a call through (and marks it the trial call when half-open), or refuses it.
    pub fn admit(&mut self, now: Instant) -> bool {
        if self.is_open(now) {
            return false;
        }
        if self.open_until.is_some() {
            self.trial_since = Some(now);
        }
        true
    }

    /// Records the outcome of an admitted call.
    pub fn record(&mut self, ok: bool, now: Instant) {
        self.trial_since = None;
        if ok {
            self.failures = 0;
            self.open_until = None;
            return;
        }
        self.failures = self.failures.saturating_add(1);
        let half_open = self.open_until.is_some();
        if half_open || self.failures >= self.threshold {
            self.open_until = Some(now + self.cool_down);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COOL: Duration = Duration::from_secs(30);

    #[test]
    fn the_breaker_stays_closed_until_the_fifth_consecutive_failure() {
        let t0 = Instant::now();
        let mut b = Breaker::new(5, COOL);
        for _ in 0..4 {
            assert!(b.admit(t0));
            b.record(false, t0);
        }
        assert!(!b.is_open(t0));
        assert!(b.admit(t0));
        b.record(false, t0);
        assert!(b.is_open(t0));
        assert!(!b.admit(t0 + Duration::from_secs(29)));
    }

    #[test]
    fn a_success_resets_the_count_of_consecutive_failures() {
        let t0 = Instant::now();
        let mut b = Breaker::new(3, COOL);
        for ok in [false, false, true, false, false] {
            assert!(b.admit(t0));
            b.record(ok, t0);
        }
        assert!(!b.is_open(t0));
    }

    #[test]
    fn after_the_cool_down_one_trial_call_passes_and_others_wait_for_it() {
        let t0 = Instant::now();
        let mut b = Breaker::new(1, COOL);
        b.admit(t0);
        b.record(false, t0);
        let later = t0 + COOL;
        assert!(b.admit(later), "the trial call is let through");
        assert!(!b.admit(later), "a second call waits for the trial");
        b.record(true, later + Duration::from_millis(5));
        assert!(!b.is_open(later + Duration::from_millis(5)));
        assert!(b.admit(later + Duration::from_millis(6)));
    }

    #[test]
    fn a_failed_trial_opens_the_breaker_for_another_cool_down() {
        let t0 = Instant::now();
        let mut b = Breaker::new(5, COOL);
        for _ in 0..5 {
            b.admit(t0);
            b.record(false, t0);
        }
        let trial = t0 + COOL;
        assert!(b.admit(trial));
        b.record(false, trial);
        assert!(b.is_open(trial + COOL - Duration::from_millis(1)));
        assert!(b.admit(trial + COOL));
    }

    #[test]
    fn an_abandoned_trial_stops_blocking_after_one_cool_down() {
        let t0 = Instant::now();
        let mut b = Breaker::new(1, COOL);
        b.admit(t0);
        b.record(false, t0);
        assert!(b.admit(t0 + COOL));
        // The trial's caller dropped its future: no outcome is ever recorded.
        assert!(!b.admit(t0 + COOL + Duration::from_secs(1)));
        assert!(b.admit(t0 + COOL + COOL));
    }
}
