//! The `Store` trait: everything the domain needs from persistence (each area's rows and trait
//! live beside its use cases: `identity::store`, `identity::two_factor::store`, `vault::store`,
//! `orgs::store`, `providers::store`, `emergency_access::store`; this module gathers them). `keyfleet-storage` implements
//! it once for SQLite and PostgreSQL. Every method that touches vault data takes the owning user,
//! and every multi-row write is one transaction inside the implementation; writes that change
//! what a sync returns also bump the account revision date in that same transaction.

use crate::clock::Timestamp;
pub use crate::emergency_access::store::*;
pub use crate::identity::auth_requests::store::*;
pub use crate::identity::store::*;
pub use crate::identity::two_factor::store::*;
pub use crate::orgs::store::*;
pub use crate::providers::store::*;
pub use crate::sends::store::*;
pub use crate::vault::store::*;

pub use crate::error::StoreError;

/// Whether a write makes accounts re-sync, and from when: the caller says so explicitly on each
/// write whose rows carry no revision date of their own (an assignment, a removal, an unlink),
/// rather than the store inferring it from the events passed. Which accounts are bumped is
/// written on each method; the rule for callers: `At(now)` whenever the write changes what those
/// accounts' sync lists, `None` only when it changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resync {
    /// No account's sync changes.
    None,
    /// The accounts the method names get this revision date, so their clients re-sync.
    At(Timestamp),
}

impl Resync {
    /// `At(at)` when the write changes something, `None` when it changes nothing.
    pub fn when(changed: bool, at: Timestamp) -> Resync {
        if changed {
            Resync::At(at)
        } else {
            Resync::None
        }
    }
}

/// Persistence as the domain needs it: the sum of the per-area traits.
pub trait Store:
    AccountStore
    + AuthRequestStore
    + VaultStore
    + ImportStore
    + TwoFactorStore
    + OrgStore
    + CollectionStore
    + OrgItemStore
    + AuditStore
    + ProviderStore
    + ThrottleStore
    + SendStore
    + AttachmentStore
    + EmergencyAccessStore
{
}
impl<T> Store for T where
    T: AccountStore
        + AuthRequestStore
        + VaultStore
        + ImportStore
        + TwoFactorStore
        + OrgStore
        + CollectionStore
        + OrgItemStore
        + AuditStore
        + ProviderStore
        + ThrottleStore
        + SendStore
        + AttachmentStore
        + EmergencyAccessStore
{
}

/// Throttle counters (login, two-step codes, mail): fixed windows per `(scope, key)` that start
/// with their first hit, kept where every instance sees them and a restart does not clear them.
#[async_trait::async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Counts one hit for `(scope, key)` — in the current window, or in a new one of
    /// `window_secs` when the last is over — and answers the window's hits and its end, in one
    /// atomic step.
    async fn throttle_hit(
        &self,
        scope: &str,
        key: &str,
        window_secs: i64,
        now: Timestamp,
    ) -> Result<(i64, Timestamp), StoreError>;
    /// Takes one hit back (an attempt that did not fail).
    async fn throttle_release(&self, scope: &str, key: &str) -> Result<(), StoreError>;
    /// Forgets `(scope, key)` (a success that wipes earlier failures).
    async fn throttle_clear(&self, scope: &str, key: &str) -> Result<(), StoreError>;
    /// Drops windows that ended by `now`; answers how many.
    async fn throttle_sweep(&self, now: Timestamp) -> Result<u64, StoreError>;
}
