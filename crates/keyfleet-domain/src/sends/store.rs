//! What Send needs from persistence.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::ids::{SendId, UserId};

/// Send types Keyfleet stores (the protocol's `SendType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendKind {
    /// 0: a text.
    Text,
    /// 1: a file.
    File,
}

impl SendKind {
    /// The wire (and stored) number.
    pub fn code(self) -> i32 {
        match self {
            SendKind::Text => 0,
            SendKind::File => 1,
        }
    }

    /// From the wire (and stored) number.
    pub fn from_code(code: i32) -> Option<SendKind> {
        match code {
            0 => Some(SendKind::Text),
            1 => Some(SendKind::File),
            _ => None,
        }
    }
}

/// A Send as stored. Every secret field is an EncString the server cannot read; the password
/// is a slow hash of the client's own hash of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SendRow {
    /// Id.
    pub id: SendId,
    /// Owner.
    pub user_id: UserId,
    /// Text or file.
    pub kind: SendKind,
    /// EncString of the name.
    pub name: String,
    /// EncString of the owner's notes.
    pub notes: Option<String>,
    /// EncString of the text (text Sends).
    pub text: Option<String>,
    /// Whether recipients see the text masked.
    pub text_hidden: bool,
    /// The file's metadata as a JSON object (file Sends).
    pub file: Option<String>,
    /// Key material wrapped with the owner's user key.
    pub key: String,
    /// Argon2id PHC string of the client's password hash, when protected.
    pub password_hash: Option<String>,
    /// Access limit.
    pub max_access_count: Option<i64>,
    /// Accesses so far.
    pub access_count: i64,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
    /// Cannot be opened after this.
    pub expiration_date: Option<Timestamp>,
    /// Deleted after this.
    pub deletion_date: Timestamp,
    /// Access turned off by the owner.
    pub disabled: bool,
    /// The owner's email is not shown to recipients.
    pub hide_email: bool,
}

impl SendRow {
    /// Whether a recipient may open it at `now`: enabled, under its access limit, not expired,
    /// not due for deletion (the same test the store's atomic access uses).
    pub fn accessible_at(&self, now: Timestamp) -> bool {
        !self.disabled
            && self.max_access_count.is_none_or(|m| self.access_count < m)
            && self.expiration_date.is_none_or(|e| e >= now)
            && self.deletion_date > now
    }
}

/// Sends; owner calls are scoped to the owning user, recipient calls name the one unscoped
/// lookup (`send_unscoped_for_access`).
#[async_trait::async_trait]
pub trait SendStore: Send + Sync {
    /// The user's Sends not yet due for deletion at `now`.
    async fn sends(&self, user_id: UserId, now: Timestamp) -> Result<Vec<SendRow>, StoreError>;
    /// One of the user's Sends not yet due for deletion at `now`.
    async fn send(
        &self,
        user_id: UserId,
        id: SendId,
        now: Timestamp,
    ) -> Result<Option<SendRow>, StoreError>;
    /// How many Sends the user has.
    async fn send_count(&self, user_id: UserId) -> Result<i64, StoreError>;
    /// A Send by id, whoever asks: only for the anonymous access calls, whose rules the domain
    /// applies right after.
    async fn send_unscoped_for_access(&self, id: SendId) -> Result<Option<SendRow>, StoreError>;
    /// Stores a new Send and bumps the owner's revision date.
    async fn insert_send(&self, row: &SendRow) -> Result<(), StoreError>;
    /// Replaces one of the owner's Sends (all but id, owner, kind, counters and creation) and
    /// bumps the owner's revision date; `false` when it is not theirs.
    async fn update_send(&self, row: &SendRow) -> Result<bool, StoreError>;
    /// Deletes one of the user's Sends and bumps their revision date; `false` when not theirs.
    async fn delete_send(
        &self,
        user_id: UserId,
        id: SendId,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Counts one access in one atomic step, only while the Send is accessible at `now`
    /// (enabled, under its limit, not expired, not due for deletion); answers the Send after
    /// the access, or `None` when it was refused. Bumps the owner's revision date.
    async fn record_send_access(
        &self,
        id: SendId,
        now: Timestamp,
    ) -> Result<Option<SendRow>, StoreError>;
    /// Deletes every Send due for deletion at `now`, bumping their owners' revision dates;
    /// answers the ones deleted (their files are the caller's to remove).
    async fn delete_sends_due(&self, now: Timestamp)
        -> Result<Vec<(SendId, SendKind)>, StoreError>;
}
