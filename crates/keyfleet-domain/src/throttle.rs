//! In-memory failure counters for login: per account and per client IP. A sliding window of
//! failures; once a key reaches its limit, attempts are refused until the oldest failure ages out.

use crate::clock::Timestamp;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Limits for one kind of key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Failures allowed inside the window.
    pub max_failures: usize,
    /// Window length in seconds.
    pub window_secs: i64,
}

/// Counts failures per key (an email or an IP address).
#[derive(Debug)]
pub struct Throttle {
    limit: Limit,
    failures: Mutex<HashMap<String, VecDeque<Timestamp>>>,
}

/// Entries above which expired keys are swept, so memory stays bounded under a spray attack.
const SWEEP_ABOVE: usize = 10_000;

impl Throttle {
    /// A throttle with these limits.
    pub fn new(limit: Limit) -> Self {
        Throttle {
            limit,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(retry_after_secs)` when `key` is locked out at `now`.
    pub fn check(&self, key: &str, now: Timestamp) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(q) = map.get_mut(key) else {
            return Ok(());
        };
        let cutoff = now.plus_secs(-self.limit.window_secs);
        while q.front().is_some_and(|t| *t <= cutoff) {
            q.pop_front();
        }
        if q.len() >= self.limit.max_failures {
            let oldest = q.front().copied().unwrap_or(now);
            let retry_ms = oldest.plus_secs(self.limit.window_secs).0 - now.0;
            return Err(u64::try_from(retry_ms.max(1000) / 1000).unwrap_or(1));
        }
        Ok(())
    }

    /// Records one failure for `key`.
    pub fn record_failure(&self, key: &str, now: Timestamp) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > SWEEP_ABOVE {
            let cutoff = now.plus_secs(-self.limit.window_secs);
            map.retain(|_, q| q.back().is_some_and(|t| *t > cutoff));
        }
        let q = map.entry(key.to_string()).or_default();
        q.push_back(now);
        while q.len() > self.limit.max_failures {
            q.pop_front();
        }
    }

    /// Forgets `key`'s failures (after a successful login).
    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_locked_after_its_limit_and_unlocked_when_the_window_passes() {
        let t = Throttle::new(Limit {
            max_failures: 3,
            window_secs: 60,
        });
        let now = Timestamp(1_000_000);
        for _ in 0..3 {
            assert!(t.check("a", now).is_ok());
            t.record_failure("a", now);
        }
        let retry = t.check("a", now).unwrap_err();
        assert_eq!(retry, 60);
        assert!(t.check("b", now).is_ok(), "other keys are unaffected");
        assert!(t.check("a", now.plus_secs(61)).is_ok());
    }

    #[test]
    fn clearing_a_key_unlocks_it() {
        let t = Throttle::new(Limit {
            max_failures: 1,
            window_secs: 60,
        });
        let now = Timestamp(0);
        t.record_failure("a", now);
        assert!(t.check("a", now).is_err());
        t.clear("a");
        assert!(t.check("a", now).is_ok());
    }
}
