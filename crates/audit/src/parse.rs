//! Reading a call log: one pass over the CSV with a reused `csv::ByteRecord`, turning each row
//! into a compact `Leg` (no per-row allocation). Dates are parsed by hand in the forms providers
//! use: `2026-11-02 14:03:11 UTC`, RFC 2822 `Mon, 02 Nov 2026 14:03:11 +0000`, ISO 8601 with an
//! offset, and local forms without one (`2026-11-02 14:03`, `11/02/2026 2:03 PM`) that are read in
//! the shop's zone. A row that cannot be read is counted and named by row and column, never fatal.

use std::io::Read;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::AuditError;
use crate::columns::{ColumnMap, Columns, Field};

/// A call status, as Twilio names them plus `Voicemail` for providers that report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Completed,
    InProgress,
    Pending,
    NoAnswer,
    Busy,
    Canceled,
    Failed,
    Voicemail,
}

/// Which way a leg went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
    /// Twilio `outbound-dial`: a leg the shop's number dialed, usually forwarding an inbound call.
    Dial,
    Unknown,
}

/// One row of the log, reduced to what the audit uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    /// Start, Unix seconds.
    pub ts: i64,
    pub from: u64,
    pub to: u64,
    pub sid: u128,
    pub parent: u128,
    /// Seconds; `u32::MAX` when the log has no duration column.
    pub duration: u32,
    pub status: Status,
    pub direction: Direction,
    pub from_hidden: bool,
}

/// A row that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BadRow {
    pub row: u64,
    pub column: String,
    pub problem: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "row {}, column \"{}\": {}",
            self.row, self.column, self.problem
        )
    }
}

/// Everything read from a log.
#[derive(Debug, Default)]
pub struct Parsed {
    pub legs: Vec<Leg>,
    pub rows: u64,
    pub bad_rows: u64,
    /// The first `MAX_BAD_EXAMPLES` bad rows.
    pub bad: Vec<BadRow>,
    pub has_duration: bool,
}

pub const MAX_BAD_EXAMPLES: usize = 100;

// ---------------------------------------------------------------------------------------------
// Values

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// Lowercase letters and digits of `b` into `buf`; `None` when longer than the buffer.
fn squash<'a>(b: &[u8], buf: &'a mut [u8; 32]) -> Option<&'a [u8]> {
    let mut n = 0;
    for &c in b {
        if c.is_ascii_alphanumeric() {
            *buf.get_mut(n)? = c.to_ascii_lowercase();
            n += 1;
        }
    }
    Some(&buf[..n])
}

pub fn parse_status(b: &[u8]) -> Option<Status> {
    let mut buf = [0u8; 32];
    let s = squash(b, &mut buf)?;
    Some(match s {
        b"completed" | b"complete" | b"answered" | b"connected" | b"success" | b"successful" => {
            Status::Completed
        }
        b"inprogress" | b"active" => Status::InProgress,
        b"queued" | b"ringing" | b"initiated" => Status::Pending,
        b"noanswer" | b"missed" | b"unanswered" | b"notanswered" | b"timeout" => Status::NoAnswer,
        b"busy" => Status::Busy,
        b"canceled" | b"cancelled" | b"abandoned" | b"hangup" | b"callerhungup" => Status::Canceled,
        b"failed" | b"fail" | b"rejected" | b"error" => Status::Failed,
        b"voicemail" | b"vm" | b"leftvoicemail" => Status::Voicemail,
        _ => return None,
    })
}

pub fn parse_direction(b: &[u8]) -> Option<Direction> {
    let mut buf = [0u8; 32];
    let s = squash(b, &mut buf)?;
    Some(match s {
        b"" => Direction::Unknown,
        b"inbound" | b"incoming" | b"in" | b"inboundcall" | b"trunkingterminating" => {
            Direction::Inbound
        }
        b"outboundapi"
        | b"outgoingapi"
        | b"outbound"
        | b"outgoing"
        | b"out"
        | b"outboundcall"
        | b"trunkingoriginating" => Direction::Outbound,
        b"outbounddial" | b"outgoingdial" => Direction::Dial,
        _ => return None,
    })
}

/// Seconds from `95`, `95.4`, `1:35` or `0:01:35`; empty is 0.
pub fn parse_duration(b: &[u8]) -> Option<u32> {
    let b = trim(b);
    let mut total: u64 = 0;
    let mut part: u64 = 0;
    let mut colons = 0;
    let mut digits = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                part = part * 10 + u64::from(c - b'0');
                digits += 1;
                if digits > 9 {
                    return None;
                }
            }
            b':' => {
                if digits == 0 || colons == 2 {
                    return None;
                }
                total = (total + part) * 60;
                part = 0;
                digits = 0;
                colons += 1;
            }
            b'.' if colons == 0 && digits > 0 => {
                // Fractions of a second are dropped; only digits may follow.
                if !b[i + 1..].iter().all(u8::is_ascii_digit) {
                    return None;
                }
                break;
            }
            _ => return None,
        }
        i += 1;
    }
    if colons > 0 && digits == 0 {
        return None;
    }
    u32::try_from(total + part).ok()
}

const TWILIO_HIDDEN: [u64; 5] = [
    266_696_687,
    86_282_452_253,
    8_656_696,
    2_562_533,
    7_378_742_833,
];

/// A caller key from a phone number: its digits as a number (NANP numbers without the leading 1),
/// or a hash with the top bit set for ids that are not numbers (`client:bob`, `sip:...`).
/// The flag is true for hidden or missing caller ids.
pub fn phone_key(b: &[u8]) -> (u64, bool) {
    let b = trim(b);
    if b.is_empty() {
        return (0, true);
    }
    let mut n: u64 = 0;
    let mut digits = 0;
    let mut numeric = true;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 18 {
                    numeric = false;
                    break;
                }
                n = n * 10 + u64::from(c - b'0');
            }
            b'+' | b'-' | b'(' | b')' | b' ' | b'.' => {}
            _ => {
                numeric = false;
                break;
            }
        }
    }
    if numeric && digits >= 3 {
        if digits == 11 && n / 10_000_000_000 == 1 {
            n %= 10_000_000_000;
        }
        return (n, TWILIO_HIDDEN.contains(&n));
    }
    let mut buf = [0u8; 32];
    if let Some(word) = squash(b, &mut buf)
        && matches!(
            word,
            b"anonymous"
                | b"restricted"
                | b"unknown"
                | b"private"
                | b"unavailable"
                | b"blocked"
                | b"withheld"
                | b"noname"
                | b"none"
        )
    {
        return (0, true);
    }
    (fnv64(b) | (1 << 63), false)
}

/// How a caller key is shown to the owner.
pub fn display_phone(key: u64) -> String {
    if key >> 63 == 1 {
        return "(caller id not a phone number)".to_string();
    }
    if (1_000_000_000..10_000_000_000).contains(&key) {
        let s = key.to_string();
        return format!("({}) {}-{}", &s[..3], &s[3..6], &s[6..]);
    }
    format!("+{key}")
}

fn fnv64(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in b {
        h ^= u64::from(c);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Hex digit values; 0x80 marks bytes that are not hex digits.
static HEX: [u8; 256] = {
    let mut t = [0x80u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// A call id: Twilio's `CA` + 32 hex digits as the 128-bit number they spell, anything else
/// hashed; 0 when empty.
pub fn sid_key(b: &[u8]) -> u128 {
    let b = trim(b);
    if b.is_empty() {
        return 0;
    }
    if b.len() == 34 && b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic() {
        // Branch-free: every digit goes through the table; a non-hex byte sets the top bit.
        let mut hi: u64 = 0;
        let mut lo: u64 = 0;
        let mut bad: u8 = 0;
        for &c in &b[2..18] {
            let d = HEX[usize::from(c)];
            bad |= d;
            hi = (hi << 4) | u64::from(d & 15);
        }
        for &c in &b[18..34] {
            let d = HEX[usize::from(c)];
            bad |= d;
            lo = (lo << 4) | u64::from(d & 15);
        }
        let v = (u128::from(hi) << 64) | u128::from(lo);
        if bad & 0x80 == 0 && v != 0 {
            return v;
        }
    }
    // Other ids: two different 64-bit hashes, without allocating.
    let hi = fnv64(b);
    let lo = b.iter().rev().fold(hi ^ 0x9e37_79b9_7f4a_7c15, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    ((u128::from(hi) << 64) | u128::from(lo)).max(1)
}

// ---------------------------------------------------------------------------------------------
// Dates

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }

    /// 1 to `max` digits.
    fn num(&mut self, max: usize) -> Option<u32> {
        let start = self.i;
        let mut v: u32 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            if self.i - start == max {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
            self.i += 1;
        }
        (self.i > start).then_some(v)
    }

    fn word(&mut self) -> &[u8] {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.i += 1;
        }
        &self.b[start..self.i]
    }

    fn rest(&self) -> &[u8] {
        &self.b[self.i.min(self.b.len())..]
    }
}

fn month_from_name(w: &[u8]) -> Option<u32> {
    const NAMES: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    if w.len() < 3 {
        return None;
    }
    let l = [
        w[0].to_ascii_lowercase(),
        w[1].to_ascii_lowercase(),
        w[2].to_ascii_lowercase(),
    ];
    NAMES.iter().position(|n| **n == l).map(|p| p as u32 + 1)
}

/// Offset in seconds of a zone suffix (`Z`, `UTC`, `GMT`, `+0000`, `-05:00`, `CST`...);
/// `Some(None)` when the suffix is empty (local time).
fn zone_suffix(rest: &[u8]) -> Option<Option<i32>> {
    let r = trim(rest);
    if r.is_empty() {
        return Some(None);
    }
    let mut upper = [0u8; 8];
    if r.len() <= 8 && r.iter().all(u8::is_ascii_alphabetic) {
        for (i, c) in r.iter().enumerate() {
            upper[i] = c.to_ascii_uppercase();
        }
        let hours = match &upper[..r.len()] {
            b"Z" | b"UTC" | b"GMT" | b"UT" => 0,
            b"EST" => -5,
            b"EDT" => -4,
            b"CST" => -6,
            b"CDT" => -5,
            b"MST" => -7,
            b"MDT" => -6,
            b"PST" => -8,
            b"PDT" => -7,
            _ => return None,
        };
        return Some(Some(hours * 3600));
    }
    let sign = match r[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let d = &r[1..];
    let (h, m) = match d.len() {
        4 => (&d[..2], &d[2..]),
        5 if d[2] == b':' => (&d[..2], &d[3..]),
        2 => (d, &b"00"[..]),
        _ => return None,
    };
    if !h.iter().chain(m).all(u8::is_ascii_digit) {
        return None;
    }
    let h = i32::from(h[0] - b'0') * 10 + i32::from(h[1] - b'0');
    let m = i32::from(m[0] - b'0') * 10 + i32::from(m[1] - b'0');
    if h > 23 || m > 59 {
        return None;
    }
    Some(Some(sign * (h * 3600 + m * 60)))
}

/// `HH:MM[:SS[.fff]]`.
fn clock(c: &mut Cur<'_>) -> Option<(u32, u32, u32)> {
    let h = c.num(2)?;
    if !c.eat(b':') {
        return None;
    }
    let mi = c.num(2)?;
    let mut s = 0;
    if c.eat(b':') {
        s = c.num(2)?;
        if c.eat(b'.') || c.eat(b',') {
            while c.peek().is_some_and(|x| x.is_ascii_digit()) {
                c.i += 1;
            }
        }
    }
    Some((h, mi, s))
}

/// A clock time with an optional `AM`/`PM`; the cursor is left before any zone.
fn clock_ampm(c: &mut Cur<'_>) -> Option<(u32, u32, u32)> {
    let (hh, mm, ss) = clock(c)?;
    let before = c.i;
    c.spaces();
    let ampm = c.word();
    let hh = match ampm.len() {
        2 if ampm.eq_ignore_ascii_case(b"am") && (1..=12).contains(&hh) => hh % 12,
        2 if ampm.eq_ignore_ascii_case(b"pm") && (1..=12).contains(&hh) => hh % 12 + 12,
        2 if ampm.eq_ignore_ascii_case(b"am") || ampm.eq_ignore_ascii_case(b"pm") => return None,
        _ => {
            // Not AM/PM: leave it for the zone.
            c.i = before;
            hh
        }
    };
    Some((hh, mm, ss))
}

/// Unix seconds for a date and time; a date without zone is local to `zone`.
pub fn parse_when(b: &[u8], zone: &TimeZone) -> Option<i64> {
    let b = trim(b);
    let mut c = Cur { b, i: 0 };
    let (y, m, d, h, mi, s, offset);
    match b.first()? {
        b'0'..=b'9' => {
            let first = c.num(4)?;
            if c.eat(b'-') {
                // ISO-like: YYYY-MM-DD[T ]HH:MM[:SS][zone]
                y = i64::from(first);
                m = c.num(2)?;
                if !c.eat(b'-') {
                    return None;
                }
                d = c.num(2)?;
                if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
                    return None;
                }
                c.spaces();
                (h, mi, s) = clock(&mut c)?;
                offset = zone_suffix(c.rest())?;
            } else if c.eat(b'/') {
                // US: M/D/YYYY[ ,]H:MM[:SS][ AM|PM], local.
                m = first;
                d = c.num(2)?;
                if !c.eat(b'/') {
                    return None;
                }
                let start = c.i;
                let yy = c.num(4)?;
                y = match c.i - start {
                    2 => 2000 + i64::from(yy),
                    4 => i64::from(yy),
                    _ => return None,
                };
                c.eat(b',');
                if !(c.eat(b' ') || c.eat(b'T')) {
                    return None;
                }
                c.spaces();
                (h, mi, s) = clock_ampm(&mut c)?;
                offset = zone_suffix(c.rest())?;
            } else if c.eat(b' ') {
                // RFC 2822 without the weekday: DD Mon YYYY HH:MM:SS zone.
                d = first;
                (y, m, h, mi, s, offset) = rfc2822_tail(&mut c)?;
            } else {
                return None;
            }
        }
        _ => {
            // Weekday names never read as month names, so the first word tells the form apart.
            if let Some(month) = month_from_name(c.word()) {
                // Spelled-out month first: `Nov 2, 2026 2:03 PM`, `November 02 2026 14:03:11 UTC`.
                m = month;
                c.spaces();
                d = c.num(2)?;
                c.eat(b',');
                c.spaces();
                let start = c.i;
                y = i64::from(c.num(4)?);
                if c.i - start != 4 {
                    return None;
                }
                c.eat(b',');
                if !(c.eat(b' ') || c.eat(b'T')) {
                    return None;
                }
                c.spaces();
                (h, mi, s) = clock_ampm(&mut c)?;
                offset = zone_suffix(c.rest())?;
            } else {
                // RFC 2822: Www, DD Mon YYYY HH:MM:SS zone.
                c.eat(b',');
                c.spaces();
                d = c.num(2)?;
                if !c.eat(b' ') {
                    return None;
                }
                (y, m, h, mi, s, offset) = rfc2822_tail(&mut c)?;
            }
        }
    }
    if !(1970..=2200).contains(&y)
        || !(1..=12).contains(&m)
        || d == 0
        || d > days_in_month(y, m)
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    let s = s.min(59);
    match offset {
        Some(off) => {
            let days = days_from_civil(y, m, d);
            Some(days * 86_400 + i64::from(h * 3600 + mi * 60 + s) - i64::from(off))
        }
        None => {
            let dt =
                DateTime::new(y as i16, m as i8, d as i8, h as i8, mi as i8, s as i8, 0).ok()?;
            let ts = zone.to_ambiguous_timestamp(dt).compatible().ok()?;
            Some(ts.as_second())
        }
    }
}

type Tail = (i64, u32, u32, u32, u32, Option<i32>);

fn rfc2822_tail(c: &mut Cur<'_>) -> Option<Tail> {
    c.spaces();
    let m = month_from_name(c.word())?;
    c.spaces();
    let start = c.i;
    let y = i64::from(c.num(4)?);
    if c.i - start != 4 {
        return None;
    }
    c.spaces();
    let (h, mi, s) = clock(c)?;
    let offset = zone_suffix(c.rest())?;
    Some((y, m, h, mi, s, offset))
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Options for reading.
pub struct ReadOptions<'a> {
    pub columns: &'a ColumnMap,
    pub zone: &'a TimeZone,
    /// Called now and then with the number of bytes read so far.
    pub progress: Option<&'a mut dyn FnMut(u64)>,
}

/// Reads a whole call log.
pub fn read_log<R: Read>(input: R, opts: ReadOptions<'_>) -> Result<Parsed, AuditError> {
    let ReadOptions {
        columns,
        zone,
        mut progress,
    } = opts;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(input);
    let header: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| AuditError::Csv {
            row: 1,
            problem: e.to_string(),
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(AuditError::EmptyLog);
    }
    let cols = Columns::resolve(&header, columns)?;
    let i_from = cols.get(Field::From);
    let i_to = cols.get(Field::To);
    let i_start = cols.get(Field::Start);
    let i_created = cols.get(Field::Created);
    let i_status = cols.get(Field::Status);
    let i_duration = cols.get(Field::Duration);
    let i_direction = cols.get(Field::Direction);
    let i_sid = cols.get(Field::Sid);
    let i_parent = cols.get(Field::Parent);

    let mut parsed = Parsed {
        has_duration: i_duration.is_some(),
        ..Parsed::default()
    };
    let mut rec = csv::ByteRecord::new();
    let mut row: u64 = 1;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // A broken record (bad quoting, bad encoding): count it and go on if the reader can.
                row += 1;
                parsed.rows += 1;
                note_bad(
                    &mut parsed,
                    row,
                    "(whole row)",
                    format!("cannot read the row: {e}"),
                );
                if parsed.bad_rows > 1_000_000 || matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(AuditError::Csv {
                        row,
                        problem: e.to_string(),
                    });
                }
                continue;
            }
        }
        row = rec.position().map_or(row + 1, |p| p.line());
        parsed.rows += 1;
        if parsed.rows & 0x3fff == 0
            && let Some(p) = progress.as_mut()
        {
            p(rec.position().map_or(0, |p| p.byte()));
        }
        if rec.iter().all(|f| trim(f).is_empty()) {
            parsed.rows -= 1;
            continue;
        }
        let field = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or(b"");
        // Start time, falling back to the creation time (Twilio leaves it empty for calls that
        // never rang).
        let start_raw = field(i_start);
        let (when_raw, when_field) = if trim(start_raw).is_empty() && i_created.is_some() {
            (field(i_created), Field::Created)
        } else if i_start.is_some() {
            (start_raw, Field::Start)
        } else {
            (field(i_created), Field::Created)
        };
        let Some(ts) = parse_when(when_raw, zone) else {
            let problem = if trim(when_raw).is_empty() {
                "no date".to_string()
            } else {
                format!(
                    "cannot read date \"{}\"",
                    String::from_utf8_lossy(trim(when_raw))
                )
            };
            note_bad(&mut parsed, row, cols.name(when_field), problem);
            continue;
        };
        let status_raw = field(i_status);
        let Some(status) = parse_status(status_raw) else {
            let problem = if trim(status_raw).is_empty() {
                "no call status".to_string()
            } else {
                format!(
                    "unknown call status \"{}\" (expected completed, no-answer, busy, ...)",
                    String::from_utf8_lossy(trim(status_raw))
                )
            };
            note_bad(&mut parsed, row, cols.name(Field::Status), problem);
            continue;
        };
        let duration = match i_duration {
            None => u32::MAX,
            Some(_) => match parse_duration(field(i_duration)) {
                Some(d) => d,
                None => {
                    let problem = format!(
                        "cannot read duration \"{}\" (seconds, or m:ss)",
                        String::from_utf8_lossy(trim(field(i_duration)))
                    );
                    note_bad(&mut parsed, row, cols.name(Field::Duration), problem);
                    continue;
                }
            },
        };
        let direction = match parse_direction(field(i_direction)) {
            Some(d) => d,
            None => {
                let problem = format!(
                    "unknown direction \"{}\" (known: inbound, outbound-api, outbound-dial)",
                    String::from_utf8_lossy(trim(field(i_direction)))
                );
                note_bad(&mut parsed, row, cols.name(Field::Direction), problem);
                continue;
            }
        };
        let (from, from_hidden) = phone_key(field(i_from));
        let (to, _) = phone_key(field(i_to));
        parsed.legs.push(Leg {
            ts,
            from,
            to,
            sid: sid_key(field(i_sid)),
            parent: sid_key(field(i_parent)),
            duration,
            status,
            direction,
            from_hidden,
        });
    }
    Ok(parsed)
}

fn note_bad(parsed: &mut Parsed, row: u64, column: &str, problem: String) {
    parsed.bad_rows += 1;
    if parsed.bad.len() < MAX_BAD_EXAMPLES {
        parsed.bad.push(BadRow {
            row,
            column: column.to_string(),
            problem,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>()
            .expect("valid test timestamp")
            .as_second()
    }

    fn chicago() -> TimeZone {
        TimeZone::get("America/Chicago").expect("bundled zone")
    }

    #[test]
    fn both_twilio_date_forms_read_as_the_same_instant() {
        let z = chicago();
        let want = utc("2026-11-02T14:03:11Z");
        assert_eq!(parse_when(b"2026-11-02 14:03:11 UTC", &z), Some(want));
        assert_eq!(
            parse_when(b"Mon, 02 Nov 2026 14:03:11 +0000", &z),
            Some(want)
        );
        assert_eq!(parse_when(b"02 Nov 2026 08:03:11 -0600", &z), Some(want));
        assert_eq!(parse_when(b"2026-11-02T14:03:11Z", &z), Some(want));
        assert_eq!(parse_when(b"2026-11-02T08:03:11.250-06:00", &z), Some(want));
        assert_eq!(parse_when(b"Mon, 02 Nov 2026 08:03:11 CST", &z), Some(want));
    }

    #[test]
    fn dates_without_a_zone_are_read_in_the_shop_zone() {
        let z = chicago();
        let want = utc("2026-11-02T20:03:00Z");
        assert_eq!(parse_when(b"2026-11-02 14:03", &z), Some(want));
        assert_eq!(parse_when(b"11/02/2026 2:03 PM", &z), Some(want));
        assert_eq!(parse_when(b"11/2/26 14:03", &z), Some(want));
        assert_eq!(parse_when(b"11/02/2026, 2:03:00 pm", &z), Some(want));
        assert_eq!(parse_when(b"Nov 2, 2026 2:03 PM", &z), Some(want));
        assert_eq!(parse_when(b"November 02 2026 14:03", &z), Some(want));
        assert_eq!(parse_when(b"Nov 02 2026 20:03:00 UTC", &z), Some(want));
        // Summer time: CDT is UTC-5.
        assert_eq!(
            parse_when(b"2026-07-01 09:00:00", &z),
            Some(utc("2026-07-01T14:00:00Z"))
        );
    }

    #[test]
    fn impossible_dates_are_refused_rather_than_guessed() {
        let z = chicago();
        for bad in [
            &b"2026-13-02 10:00:00"[..],
            b"2026-02-30 10:00:00",
            b"2026-11-02",
            b"yesterday",
            b"2026-11-02 25:00:00",
            b"2026-11-02 10:00:00 +9999",
            b"13/45/2026 10:00",
            b"11/02/2026 13:00 PM",
            b"",
            b"Mon, 02 Foo 2026 14:03:11 +0000",
            b"1850-01-01 00:00:00 UTC",
        ] {
            assert_eq!(
                parse_when(bad, &z),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn statuses_from_twilio_and_other_providers_are_understood() {
        assert_eq!(parse_status(b"no-answer"), Some(Status::NoAnswer));
        assert_eq!(parse_status(b"Missed"), Some(Status::NoAnswer));
        assert_eq!(parse_status(b"in-progress"), Some(Status::InProgress));
        assert_eq!(parse_status(b"Cancelled"), Some(Status::Canceled));
        assert_eq!(parse_status(b" ANSWERED "), Some(Status::Completed));
        assert_eq!(parse_status(b"Voicemail"), Some(Status::Voicemail));
        assert_eq!(parse_status(b"maybe"), None);
        assert_eq!(parse_status(&[b'x'; 64]), None);
        assert_eq!(parse_direction(b"outbound-dial"), Some(Direction::Dial));
        assert_eq!(parse_direction(b"Incoming"), Some(Direction::Inbound));
        assert_eq!(parse_direction(b"Outgoing Dial"), Some(Direction::Dial));
        assert_eq!(parse_direction(b"Outgoing API"), Some(Direction::Outbound));
        assert_eq!(parse_status(b"No Answer"), Some(Status::NoAnswer));
        assert_eq!(parse_direction(b"sideways"), None);
    }

    #[test]
    fn durations_read_as_seconds_in_any_common_form() {
        assert_eq!(parse_duration(b"95"), Some(95));
        assert_eq!(parse_duration(b"1:35"), Some(95));
        assert_eq!(parse_duration(b"0:01:35"), Some(95));
        assert_eq!(parse_duration(b"95.7"), Some(95));
        assert_eq!(parse_duration(b""), Some(0));
        assert_eq!(parse_duration(b"-3"), None);
        assert_eq!(parse_duration(b"1:"), None);
        assert_eq!(parse_duration(b"12 sec"), None);
        assert_eq!(parse_duration(b"99999999999"), None);
    }

    #[test]
    fn the_same_phone_number_written_differently_is_one_caller() {
        let a = phone_key(b"+15125550100");
        assert_eq!(phone_key(b"(512) 555-0100"), a);
        assert_eq!(phone_key(b"512.555.0100"), a);
        assert!(!a.1);
        assert_eq!(display_phone(a.0), "(512) 555-0100");
        assert!(phone_key(b"+266696687").1);
        assert!(phone_key(b"Anonymous").1);
        assert!(phone_key(b"").1);
        let client = phone_key(b"client:front-desk");
        assert!(!client.1 && client.0 >> 63 == 1);
    }

    #[test]
    fn a_large_log_reports_its_progress_while_it_is_read() {
        let mut text = String::from("From,Start Time,Status,Duration\n");
        for i in 0..40_000 {
            text.push_str(&format!(
                "+1512555{:04},2026-11-02 15:00:00 UTC,completed,60\n",
                i % 10_000
            ));
        }
        let mut seen: Vec<u64> = Vec::new();
        let mut tick = |bytes: u64| seen.push(bytes);
        let map = ColumnMap::default();
        let parsed = read_log(
            text.as_bytes(),
            ReadOptions {
                columns: &map,
                zone: &chicago(),
                progress: Some(&mut tick),
            },
        )
        .expect("reads");
        assert_eq!(parsed.rows, 40_000);
        assert_eq!(seen.len(), 2, "one report every 16,384 rows");
        assert!(seen[0] > 0 && seen[1] > seen[0] && seen[1] < text.len() as u64);
    }

    #[test]
    fn twilio_call_sids_are_kept_exactly() {
        let a = sid_key(b"CA0123456789abcdef0123456789abcdef");
        assert_eq!(a, 0x0123456789abcdef0123456789abcdef);
        assert_ne!(sid_key(b"call-17"), sid_key(b"call-18"));
        assert_eq!(sid_key(b"  "), 0);
    }
}
