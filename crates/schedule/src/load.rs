//! How many bays are taken at each instant, built once from the busy list and then queried.
//!
//! Every busy entry becomes a +weight event at its start and a -weight event at its end (plus the
//! turnaround buffer for appointments); one sort and one sweep turn them into a step function of
//! taken bays. A candidate fits when the step function stays below the bay count over its whole
//! span, which counts true simultaneous overlap: two back-to-back appointments never add up.

use jiff::{SignedDuration, Timestamp};

use crate::Busy;

/// The number of taken bays as a step function of time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Load {
    /// Instants where the load changes, strictly increasing.
    times: Vec<Timestamp>,
    /// `loads[i]` holds from `times[i]` until `times[i + 1]`; the load before `times[0]` is 0.
    loads: Vec<u64>,
}

/// The span an entry keeps busy and how many bays it takes, or `None` if it takes nothing.
pub(crate) fn footprint(
    b: &Busy,
    bays: u32,
    buffer: SignedDuration,
) -> Option<(Timestamp, Timestamp, u64)> {
    if b.end <= b.start || b.bays == 0 {
        return None;
    }
    if b.bays == Busy::ALL_BAYS {
        return Some((b.start, b.end, u64::from(bays.max(1))));
    }
    let end = b.end.checked_add(buffer).unwrap_or(Timestamp::MAX);
    Some((b.start, end, u64::from(b.bays.min(bays.max(1)))))
}

impl Load {
    /// Builds the step function from the entries that overlap `[from, to)`.
    pub fn new(
        busy: &[Busy],
        bays: u32,
        buffer: SignedDuration,
        from: Timestamp,
        to: Timestamp,
    ) -> Load {
        let mut events: Vec<(Timestamp, i64)> = Vec::with_capacity(busy.len() * 2);
        for b in busy {
            if let Some((s, e, w)) = footprint(b, bays, buffer)
                && s < to
                && e > from
            {
                let w = i64::try_from(w).unwrap_or(i64::MAX);
                events.push((s, w));
                events.push((e, -w));
            }
        }
        events.sort_unstable_by_key(|&(t, _)| t);
        let mut times = Vec::with_capacity(events.len());
        let mut loads = Vec::with_capacity(events.len());
        let mut current: i64 = 0;
        let mut i = 0;
        while i < events.len() {
            let t = events[i].0;
            while i < events.len() && events[i].0 == t {
                current = current.saturating_add(events[i].1);
                i += 1;
            }
            times.push(t);
            loads.push(u64::try_from(current).unwrap_or(0));
        }
        Load { times, loads }
    }

    /// The highest number of bays taken at any instant of `[from, to)`.
    pub fn max_over(&self, from: Timestamp, to: Timestamp) -> u64 {
        let i = self.times.partition_point(|&t| t <= from);
        let mut max = if i == 0 { 0 } else { self.loads[i - 1] };
        for (t, &load) in self.times[i..].iter().zip(&self.loads[i..]) {
            if *t >= to {
                break;
            }
            max = max.max(load);
        }
        max
    }

    /// True when one more bay is free over all of `[from, to)`.
    pub fn fits(&self, from: Timestamp, to: Timestamp, bays: u32) -> bool {
        bays > 0 && self.max_over(from, to) < u64::from(bays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(hm: &str) -> Timestamp {
        format!("2026-03-05T{hm}:00Z").parse().unwrap()
    }

    fn appt(a: &str, b: &str) -> Busy {
        Busy::appointment(ts(a), ts(b))
    }

    #[test]
    fn back_to_back_appointments_take_one_bay_not_two() {
        let busy = [appt("09:00", "10:00"), appt("10:00", "11:00")];
        let load = Load::new(&busy, 2, SignedDuration::ZERO, ts("00:00"), ts("23:00"));
        assert_eq!(load.max_over(ts("09:30"), ts("10:30")), 1);
        assert!(load.fits(ts("09:30"), ts("10:30"), 2));
        assert!(!load.fits(ts("09:30"), ts("10:30"), 1));
    }

    #[test]
    fn overlapping_appointments_fill_two_bays_only_where_they_overlap() {
        let busy = [appt("09:00", "10:00"), appt("09:30", "10:30")];
        let load = Load::new(&busy, 2, SignedDuration::ZERO, ts("00:00"), ts("23:00"));
        assert_eq!(load.max_over(ts("09:00"), ts("09:30")), 1);
        assert_eq!(load.max_over(ts("09:45"), ts("09:50")), 2);
        assert_eq!(load.max_over(ts("10:00"), ts("10:30")), 1);
        assert_eq!(load.max_over(ts("10:30"), ts("11:30")), 0);
    }

    #[test]
    fn buffer_extends_an_appointment_but_not_an_external_block() {
        let busy = [
            appt("09:00", "10:00"),
            Busy::blocked(ts("12:00"), ts("13:00")),
        ];
        let load = Load::new(
            &busy,
            3,
            SignedDuration::from_mins(15),
            ts("00:00"),
            ts("23:00"),
        );
        assert_eq!(load.max_over(ts("10:00"), ts("10:15")), 1);
        assert_eq!(load.max_over(ts("10:15"), ts("11:00")), 0);
        assert_eq!(load.max_over(ts("12:30"), ts("12:31")), 3);
        assert_eq!(load.max_over(ts("13:00"), ts("13:15")), 0);
    }

    #[test]
    fn empty_inverted_and_zero_bay_entries_take_nothing() {
        let busy = [
            appt("09:00", "09:00"),
            appt("11:00", "10:00"),
            Busy {
                start: ts("12:00"),
                end: ts("13:00"),
                bays: 0,
            },
        ];
        let load = Load::new(&busy, 1, SignedDuration::ZERO, ts("00:00"), ts("23:00"));
        assert!(load.fits(ts("08:00"), ts("14:00"), 1));
    }

    #[test]
    fn no_bays_means_nothing_fits() {
        let load = Load::new(&[], 0, SignedDuration::ZERO, ts("00:00"), ts("23:00"));
        assert!(!load.fits(ts("08:00"), ts("09:00"), 0));
    }

    #[test]
    fn an_appointment_claiming_more_bays_than_exist_takes_them_all() {
        let busy = [Busy {
            start: ts("09:00"),
            end: ts("10:00"),
            bays: 7,
        }];
        let load = Load::new(&busy, 2, SignedDuration::ZERO, ts("00:00"), ts("23:00"));
        assert_eq!(load.max_over(ts("09:00"), ts("10:00")), 2);
    }
}
