//! Money and rates as exact integers: amounts are whole cents (`Cents`), rates are parts per
//! million (`Rate`), so every figure in a report is computed without floating point and can be
//! checked by hand. Both parse from what a shop owner types (`400`, `$1,250.50`, `0.6`, `60%`).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// An amount of money in cents (US dollars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

/// The largest amount accepted on the command line: a trillion dollars, far from overflow.
const MAX_CENTS: i64 = 100_000_000_000_000;

impl FromStr for Cents {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not a dollar amount: \"{s}\" (write it like 400 or 412.50)");
        let t = s.trim();
        let t = t.strip_prefix('$').unwrap_or(t).trim();
        if t.is_empty() {
            return Err(bad());
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t, ""),
        };
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let mut dollars: i64 = 0;
        let mut digits = 0;
        for b in whole.bytes() {
            match b {
                b'0'..=b'9' => {
                    digits += 1;
                    dollars = dollars
                        .checked_mul(10)
                        .and_then(|d| d.checked_add(i64::from(b - b'0')))
                        .ok_or_else(bad)?;
                }
                b',' | b'_' => {}
                _ => return Err(bad()),
            }
        }
        if digits == 0 && frac.is_empty() {
            return Err(bad());
        }
        let mut cents: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            cents += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let total = dollars
            .checked_mul(100)
            .and_then(|d| d.checked_add(cents))
            .filter(|c| *c <= MAX_CENTS)
            .ok_or_else(bad)?;
        Ok(Cents(total))
    }
}

impl fmt::Display for Cents {
    /// `$45,360` for whole dollars, `$412.50` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let dollars = group_thousands(abs / 100);
        let cents = abs % 100;
        let sign = if neg { "-" } else { "" };
        if cents == 0 {
            write!(f, "{sign}${dollars}")
        } else {
            write!(f, "{sign}${dollars}.{cents:02}")
        }
    }
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share between 0 and 1, held exactly in parts per million.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Rate(pub u32);

impl Rate {
    pub const ONE: u32 = 1_000_000;

    /// The rate as a fraction, for display only.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / f64::from(Self::ONE)
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("not a rate between 0 and 1: \"{s}\" (write it like 0.6 or 60%)");
        let t = s.trim();
        let (t, percent) = match t.strip_suffix('%') {
            Some(p) => (p.trim(), true),
            None => (t, false),
        };
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 3
        {
            return Err(bad());
        }
        // Value in parts per 10^12 to keep precision of up to 12 fraction digits for percents.
        let scale_digits = if percent { 4 } else { 6 };
        if frac.len() > scale_digits {
            return Err(bad());
        }
        let mut ppm: u64 = whole.bytes().fold(0, |a, b| a * 10 + u64::from(b - b'0'));
        for i in 0..scale_digits {
            let d = frac.as_bytes().get(i).map_or(0, |b| u64::from(b - b'0'));
            ppm = ppm * 10 + d;
        }
        if ppm > u64::from(Self::ONE) {
            return Err(bad());
        }
        Ok(Rate(ppm as u32))
    }
}

impl fmt::Display for Rate {
    /// `60%`, `62.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 10_000;
        let frac = self.0 % 10_000;
        if frac == 0 {
            write!(f, "{whole}%")
        } else {
            let digits = format!("{frac:04}");
            write!(f, "{whole}.{}%", digits.trim_end_matches('0'))
        }
    }
}

/// `count × amount × rate`, rounded half up to the cent.
pub fn apply_rate(count: u64, amount: Cents, rate: Rate) -> Cents {
    let product = i128::from(count) * i128::from(amount.0) * i128::from(rate.0);
    let one = i128::from(Rate::ONE);
    let rounded = (product + one / 2).div_euclid(one);
    Cents(i64::try_from(rounded).unwrap_or(i64::MAX))
}

/// `amount × numerator / denominator`, rounded half up to the cent (0 when the denominator is 0).
pub fn scale(amount: Cents, numerator: u64, denominator: u64) -> Cents {
    if denominator == 0 {
        return Cents(0);
    }
    let product = i128::from(amount.0) * i128::from(numerator);
    let d = i128::from(denominator);
    let rounded = (product * 2 + d).div_euclid(2 * d);
    Cents(i64::try_from(rounded).unwrap_or(i64::MAX))
}

/// `count × rate` written with one decimal, e.g. `113.4` (expected bookings).
pub fn expected_count(count: u64, rate: Rate) -> String {
    // In tenths, rounded half up.
    let tenths = (u128::from(count) * u128::from(rate.0) * 10 + u128::from(Rate::ONE) / 2)
        / u128::from(Rate::ONE);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `2285.4` → `2,285.4`, for display.
pub fn group_decimal(s: &str) -> String {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    match whole.parse::<u64>() {
        Ok(w) if frac.is_empty() => group_thousands(w),
        Ok(w) => format!("{}.{frac}", group_thousands(w)),
        Err(_) => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_can_type_a_ticket_with_or_without_cents_and_commas() {
        assert_eq!("400".parse::<Cents>(), Ok(Cents(40_000)));
        assert_eq!("$1,250.5".parse::<Cents>(), Ok(Cents(125_050)));
        assert_eq!("412.50".parse::<Cents>(), Ok(Cents(41_250)));
        assert_eq!(".99".parse::<Cents>(), Ok(Cents(99)));
        assert!("4OO".parse::<Cents>().unwrap_err().contains("\"4OO\""));
        assert!("1.234".parse::<Cents>().is_err());
        assert!("-5".parse::<Cents>().is_err());
        assert!("".parse::<Cents>().is_err());
        assert!("99999999999999999999".parse::<Cents>().is_err());
    }

    #[test]
    fn a_booking_rate_reads_as_a_fraction_or_a_percent() {
        assert_eq!("0.6".parse::<Rate>(), Ok(Rate(600_000)));
        assert_eq!(".35".parse::<Rate>(), Ok(Rate(350_000)));
        assert_eq!("60%".parse::<Rate>(), Ok(Rate(600_000)));
        assert_eq!("62.5%".parse::<Rate>(), Ok(Rate(625_000)));
        assert_eq!("1".parse::<Rate>(), Ok(Rate(1_000_000)));
        assert!("1.5".parse::<Rate>().is_err());
        assert!("abc".parse::<Rate>().is_err());
        assert_eq!(Rate(625_000).to_string(), "62.5%");
    }

    #[test]
    fn money_figures_are_exact_and_read_like_a_price_tag() {
        assert_eq!(
            apply_rate(189, Cents(40_000), Rate(600_000)),
            Cents(4_536_000)
        );
        assert_eq!(apply_rate(1, Cents(1), Rate(500_000)), Cents(1));
        assert_eq!(Cents(4_536_000).to_string(), "$45,360");
        assert_eq!(Cents(41_250).to_string(), "$412.50");
        assert_eq!(scale(Cents(1000), 30, 7), Cents(4286));
        assert_eq!(expected_count(189, Rate(600_000)), "113.4");
        assert_eq!(group_decimal("2285.4"), "2,285.4");
    }
}
