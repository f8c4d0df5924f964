//! Time as the domain sees it: milliseconds since the Unix epoch, from a `Clock` so tests can
//! move time (token expiry, rate-limit windows) without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A timestamp written as ISO-8601 UTC with milliseconds ([`Timestamp::iso`]).
#[derive(Debug, Clone, Copy)]
pub struct Iso(Timestamp);

impl std::fmt::Display for Iso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let nanos = i128::from(self.0 .0) * 1_000_000;
        match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(t) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            ),
            Err(_) => f.write_str("1970-01-01T00:00:00.000Z"),
        }
    }
}

/// A point in time, in milliseconds since the Unix epoch (how both databases store it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// ISO-8601 UTC with milliseconds, as Bitwarden clients expect (`2026-01-01T00:00:00.000Z`).
    pub fn to_iso(self) -> String {
        self.iso().to_string()
    }

    /// [`Timestamp::to_iso`] as a `Display`, to write into a buffer without a `String` of its
    /// own (sync writes three dates per item).
    pub fn iso(self) -> Iso {
        Iso(self)
    }

    /// Parses an ISO-8601 / RFC 3339 date as clients send it.
    pub fn parse_iso(s: &str) -> Option<Timestamp> {
        let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        let ms = t.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(ms).ok().map(Timestamp)
    }

    /// This time plus `secs` seconds.
    pub fn plus_secs(self, secs: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    /// Appends [`Timestamp::iso`] to `out` without the formatting machinery: a sync writes
    /// three dates for each of thousands of items. Years outside 0000–9999 take the general path.
    pub fn write_iso(self, out: &mut Vec<u8>) {
        let days = self.0.div_euclid(86_400_000);
        let ms_of_day = self.0.rem_euclid(86_400_000);
        // Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        if !(0..=9999).contains(&year) {
            use std::io::Write;
            let _ = write!(out, "{}", self.iso());
            return;
        }
        let (h, rest) = (ms_of_day / 3_600_000, ms_of_day % 3_600_000);
        let (m, rest) = (rest / 60_000, rest % 60_000);
        let (sec, ms) = (rest / 1000, rest % 1000);
        let digit = |n: i64| b'0' + (n % 10) as u8;
        out.extend_from_slice(&[
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
            b'T',
            digit(h / 10),
            digit(h),
            b':',
            digit(m / 10),
            digit(m),
            b':',
            digit(sec / 10),
            digit(sec),
            b'.',
            digit(ms / 100),
            digit(ms / 10),
            digit(ms),
            b'Z',
        ]);
    }

    /// Whole seconds since the epoch (JWT `exp`).
    pub fn unix_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }
}

/// Where the domain reads the current time.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
        Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
    }
}

/// A clock tests set and advance by hand.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// Starts at `start`.
    pub fn new(start: Timestamp) -> Self {
        ManualClock(Arc::new(AtomicI64::new(start.0)))
    }
    /// Moves time forward.
    pub fn advance_secs(&self, secs: i64) {
        self.0.fetch_add(secs * 1000, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_round_trip_with_millisecond_precision() {
        let t = Timestamp(1_795_472_114_123);
        let iso = t.to_iso();
        assert_eq!(iso, "2026-11-23T22:15:14.123Z");
        assert_eq!(Timestamp::parse_iso(&iso), Some(t));
    }

    #[test]
    fn the_direct_iso_writer_agrees_with_the_formatter() {
        let day = 86_400_000_i64;
        let mut times = vec![
            0,
            -1,
            1,
            951_782_400_000,     // 2000-02-29
            4_107_542_400_000,   // 2100-03-01
            253_402_300_799_999, // 9999-12-31T23:59:59.999
            253_402_300_800_000, // year 10000: the general path
            -62_167_219_200_000, // 0000-01-01
            -62_167_219_200_001, // year -1: the general path
        ];
        // Every day for 1,600 years around the epoch, at a time of day that moves.
        let mut t = -day * 365 * 400;
        while t < day * 365 * 1_200 {
            times.push(t);
            t += day + 3_723_456;
        }
        for t in times {
            let mut out = Vec::new();
            Timestamp(t).write_iso(&mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                Timestamp(t).to_iso(),
                "{t}"
            );
        }
    }

    #[test]
    fn iso_dates_with_microseconds_from_other_servers_parse() {
        let t = Timestamp::parse_iso("2026-11-23T22:16:20.055555Z");
        assert_eq!(t, Some(Timestamp(1_795_472_180_055)));
    }
}
