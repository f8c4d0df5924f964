//! What emergency access needs from persistence.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::identity::store::CredentialUpdate;
use crate::ids::{EmergencyAccessId, OrgUserId, UserId};
use crate::orgs::store::EventRow;
pub use keyfleet_api::kinds::{EmergencyAccessStatusType, EmergencyAccessType};

/// One emergency access: a grantor trusts a grantee (invited by address, then bound to their
/// account) to view or take over their account after a wait time.
#[derive(Debug, Clone, PartialEq)]
pub struct EmergencyAccessRow {
    /// Id.
    pub id: EmergencyAccessId,
    /// Whose account it opens.
    pub grantor_id: UserId,
    /// The trusted contact's account (set on acceptance).
    pub grantee_id: Option<UserId>,
    /// The invited address (cleared on acceptance).
    pub email: Option<String>,
    /// The grantor's user key wrapped to the grantee's public key (type 4; set on confirmation).
    pub key_encrypted: Option<String>,
    /// View or Takeover.
    pub access_type: EmergencyAccessType,
    /// Where it stands.
    pub status: EmergencyAccessStatusType,
    /// Days between the grantee's request and its automatic approval.
    pub wait_time_days: i32,
    /// When the grantee asked for access.
    pub recovery_initiated_at: Option<Timestamp>,
    /// When the grantor was last told about the request.
    pub last_notification_at: Option<Timestamp>,
    /// When the current invitation was issued (part of its token's subject).
    pub invited_at: Option<Timestamp>,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

impl EmergencyAccessRow {
    /// Whether the wait time of a pending request is over at `now` (then it is approved).
    pub fn wait_over_at(&self, now: Timestamp) -> bool {
        self.status == EmergencyAccessStatusType::RecoveryInitiated
            && self.recovery_initiated_at.is_some_and(|t| {
                t.0.saturating_add(i64::from(self.wait_time_days) * DAY_MS) <= now.0
            })
    }
}

impl EmergencyAccessRow {
    /// Whether a pending request is due for its reminder at `now` (the same rule as
    /// `EmergencyAccessStore::remind_due_emergency_accesses`, checked before writing).
    pub fn reminder_due_at(&self, now: Timestamp) -> bool {
        let days = i64::from(self.wait_time_days);
        self.status == EmergencyAccessStatusType::RecoveryInitiated
            && self.recovery_initiated_at.is_some_and(|t| {
                t.0.saturating_add((days - 1) * DAY_MS) <= now.0
                    && self
                        .last_notification_at
                        .is_none_or(|n| n.0.saturating_add(DAY_MS) <= now.0)
            })
    }
}

/// A day in milliseconds (stored times are milliseconds).
pub const DAY_MS: i64 = 86_400_000;

/// A row with the other party's name and address: the grantee's for the grantor's list (the
/// invited address until accepted), the grantor's for the grantee's list.
#[derive(Debug, Clone, PartialEq)]
pub struct EmergencyAccessDetails {
    /// The row.
    pub row: EmergencyAccessRow,
    /// The other party's name.
    pub name: Option<String>,
    /// The other party's address.
    pub email: Option<String>,
}

/// Emergency access rows. Reads name the user they are for (grantor or grantee); the one
/// unscoped read serves acceptance, whose token the domain checks right after.
#[async_trait::async_trait]
pub trait EmergencyAccessStore: Send + Sync {
    /// The rows `grantor` created, with each grantee's name and address.
    async fn emergency_accesses_of_grantor(
        &self,
        grantor: UserId,
    ) -> Result<Vec<EmergencyAccessDetails>, StoreError>;
    /// The rows naming `grantee` (accepted or later), with each grantor's name and address.
    async fn emergency_accesses_of_grantee(
        &self,
        grantee: UserId,
    ) -> Result<Vec<EmergencyAccessDetails>, StoreError>;
    /// One row of which `user` is the grantor or the grantee.
    async fn emergency_access(
        &self,
        id: EmergencyAccessId,
        user: UserId,
    ) -> Result<Option<EmergencyAccessRow>, StoreError>;
    /// A row by id, whoever asks: only for accepting an invitation.
    async fn emergency_access_unscoped_for_accept(
        &self,
        id: EmergencyAccessId,
    ) -> Result<Option<EmergencyAccessRow>, StoreError>;
    /// Stores a new row.
    async fn insert_emergency_access(&self, row: &EmergencyAccessRow) -> Result<(), StoreError>;
    /// Writes a row (all but id, grantor and creation) if its stored status is still
    /// `expected`; `false` (nothing written) otherwise, so racing transitions cannot both pass.
    async fn update_emergency_access(
        &self,
        row: &EmergencyAccessRow,
        expected: EmergencyAccessStatusType,
    ) -> Result<bool, StoreError>;
    /// Deletes a row of which `user` is the grantor or the grantee; `false` when none.
    async fn delete_emergency_access(
        &self,
        id: EmergencyAccessId,
        user: UserId,
    ) -> Result<bool, StoreError>;
    /// Approves every request whose wait time is over at `now` (RecoveryInitiated, initiated
    /// + wait days <= now → RecoveryApproved) in one statement; answers the rows approved.
    async fn approve_due_emergency_accesses(
        &self,
        now: Timestamp,
    ) -> Result<Vec<EmergencyAccessRow>, StoreError>;
    /// Records a reminder (last notification = `now`) on every pending request due for one —
    /// its wait time ends within a day and the grantor was last told a day ago or more — or
    /// only on `only`; answers the rows. One statement: whoever sweeps, a reminder goes once.
    async fn remind_due_emergency_accesses(
        &self,
        now: Timestamp,
        only: Option<EmergencyAccessId>,
    ) -> Result<Vec<EmergencyAccessRow>, StoreError>;
    /// An emergency takeover, in one transaction, only while row `id` still lets `grantee`
    /// take over `grantor`'s account (Takeover, RecoveryApproved): writes `update` as a
    /// password change does (every session ends), removes every two-step login provider and
    /// the recovery code, removes the memberships `removed` (never an owner's), and stores
    /// `events`. `false` (nothing written) when the row no longer allows it.
    #[allow(clippy::too_many_arguments)]
    async fn emergency_takeover(
        &self,
        id: EmergencyAccessId,
        grantor: UserId,
        grantee: UserId,
        update: &CredentialUpdate,
        removed: &[OrgUserId],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError>;
}
