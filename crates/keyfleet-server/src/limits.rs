//! Limits on concurrent work, so that one tenant (or one attacker with an account) cannot take
//! the server from everyone else: open sync responses per user and overall. A sync page holds
//! a database connection only while it is read (see the store's `ciphers_stream`); what these
//! bound is the memory and the tasks of responses waiting on slow clients.

use keyfleet_domain::ids::UserId;
use keyfleet_domain::DomainError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Seconds a client refused for being at a limit is asked to wait.
const RETRY_AFTER_SECS: u64 = 5;

/// The open sync responses: at most `per_user` for one account and `total` overall.
#[derive(Debug)]
pub struct SyncSlots {
    total: Arc<Semaphore>,
    per_user: usize,
    open: Mutex<HashMap<UserId, usize>>,
}

/// One open sync response; the slot frees itself when the response ends (or is dropped).
#[derive(Debug)]
pub struct SyncSlot {
    _total: OwnedSemaphorePermit,
    user: UserId,
    slots: Arc<SyncSlots>,
}

impl SyncSlots {
    /// At most `total` sync responses open at once, `per_user` of them for one account.
    pub fn new(total: usize, per_user: usize) -> Arc<Self> {
        Arc::new(SyncSlots {
            total: Arc::new(Semaphore::new(total)),
            per_user,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for `user`, or `Busy` (503 with `Retry-After`) at either limit — never a wait:
    /// a queue of stalled syncs would be the exhaustion this prevents.
    pub fn acquire(self: &Arc<Self>, user: UserId) -> Result<SyncSlot, DomainError> {
        let busy = DomainError::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        };
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let mine = open.entry(user).or_insert(0);
        if *mine >= self.per_user {
            return Err(busy);
        }
        let permit = self.total.clone().try_acquire_owned().map_err(|_| busy)?;
        *mine += 1;
        Ok(SyncSlot {
            _total: permit,
            user,
            slots: Arc::clone(self),
        })
    }
}

impl Drop for SyncSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_holds_at_most_its_share_and_a_closed_sync_frees_its_slot() {
        let slots = SyncSlots::new(3, 2);
        let (a, b) = (UserId::new(), UserId::new());
        let first = slots.acquire(a).unwrap();
        let _second = slots.acquire(a).unwrap();
        assert!(matches!(slots.acquire(a), Err(DomainError::Busy { .. })));
        let _other = slots.acquire(b).unwrap();
        // The total is reached: even another account waits.
        assert!(slots.acquire(UserId::new()).is_err());
        drop(first);
        assert!(slots.acquire(a).is_ok());
    }
}
