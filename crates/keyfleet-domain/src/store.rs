//! The `Store` trait: everything the domain needs from persistence (each area's rows and trait
//! live beside its use cases: `identity::store`, `identity::two_factor::store`, `vault::store`,
//! `orgs::store`, `providers::store`; this module gathers them). `keyfleet-storage` implements
//! it once for SQLite and PostgreSQL. Every method that touches vault data takes the owning user,
//! and every multi-row write is one transaction inside the implementation; writes that change
//! what a sync returns also bump the account revision date in that same transaction.

use crate::clock::Timestamp;
pub use crate::identity::store::*;
pub use crate::identity::two_factor::store::*;
pub use crate::orgs::store::*;
pub use crate::providers::store::*;
pub use crate::vault::store::*;

pub use crate::error::StoreError;

/// Persistence as the domain needs it: the sum of the per-area traits.
pub trait Store:
    AccountStore
    + VaultStore
    + TwoFactorStore
    + OrgStore
    + CollectionStore
    + OrgItemStore
    + AuditStore
    + ProviderStore
    + ThrottleStore
{
}
impl<T> Store for T where
    T: AccountStore
        + VaultStore
        + TwoFactorStore
        + OrgStore
        + CollectionStore
        + OrgItemStore
        + AuditStore
        + ProviderStore
        + ThrottleStore
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
