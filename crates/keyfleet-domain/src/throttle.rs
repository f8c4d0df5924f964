//! Throttles: attempts per key (an account, an address, a second factor) within a fixed window
//! that starts with the key's first attempt, counted in the store — so a restart clears no
//! lock-out and every instance on one database shares one budget. An attempt is counted
//! *before* it is judged (one atomic step: "refuse when failures plus attempts in flight reach
//! the limit"), so a burst of concurrent attempts cannot all be judged against a count that has
//! not seen the others. A success then gives its hit back (or wipes the key).

use crate::clock::Timestamp;
use crate::store::{Store, StoreError};

/// Limits for one kind of key.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Attempts allowed inside the window (failures and attempts in flight).
    pub max_failures: usize,
    /// Window length in seconds.
    pub window_secs: i64,
}

/// One kind of throttle: a scope in the store and its limit.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    scope: &'static str,
    limit: Limit,
}

/// One store write in this many sweeps windows that are over, so the table stays small under a
/// spray of keys without a background task.
const SWEEP_ONE_IN: u32 = 256;

impl Throttle {
    /// A throttle named `scope` (its keys are apart from other scopes') with `limit`.
    pub const fn new(scope: &'static str, limit: Limit) -> Self {
        Throttle { scope, limit }
    }

    /// Counts an attempt for `key` before it is judged. `Ok(Err(retry_after_secs))` when the key
    /// has reached its limit (this attempt must not go on).
    pub async fn reserve(
        &self,
        store: &dyn Store,
        key: &str,
        now: Timestamp,
    ) -> Result<Result<(), u64>, StoreError> {
        if rand::random::<u32>().is_multiple_of(SWEEP_ONE_IN) {
            store.throttle_sweep(now).await?;
        }
        let (hits, reset_at) = store
            .throttle_hit(self.scope, key, self.limit.window_secs, now)
            .await?;
        let max = i64::try_from(self.limit.max_failures).unwrap_or(i64::MAX);
        if hits > max {
            let retry_ms = (reset_at.0 - now.0).max(1000);
            return Ok(Err(u64::try_from(retry_ms / 1000).unwrap_or(1)));
        }
        Ok(Ok(()))
    }

    /// Gives back the hit of an attempt that did not fail.
    pub async fn release(&self, store: &dyn Store, key: &str) -> Result<(), StoreError> {
        store.throttle_release(self.scope, key).await
    }

    /// Forgets `key`'s attempts (a success that wipes earlier failures).
    pub async fn clear(&self, store: &dyn Store, key: &str) -> Result<(), StoreError> {
        store.throttle_clear(self.scope, key).await
    }
}
