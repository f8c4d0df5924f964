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
    fn iso_dates_with_microseconds_from_other_servers_parse() {
        let t = Timestamp::parse_iso("2026-11-23T22:16:20.055555Z");
        assert_eq!(t, Some(Timestamp(1_795_472_180_055)));
    }
}
