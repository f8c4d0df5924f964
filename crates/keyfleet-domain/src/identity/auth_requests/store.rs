//! What login with a device needs from persistence: the requests and their answers.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::ids::{AuthRequestId, DeviceId, OrgId, OrgUserId, UserId};
use crate::orgs::store::EventRow;
pub use keyfleet_api::kinds::AuthRequestType;

/// A login-with-device request (Bitwarden's `AuthRequest`).
#[derive(Debug, Clone)]
pub struct AuthRequestRow {
    /// Id.
    pub id: AuthRequestId,
    /// The account it asks to log in to.
    pub user_id: UserId,
    /// What it asks for.
    pub request_type: AuthRequestType,
    /// The organization whose administrators answer it (admin approval only).
    pub organization_id: Option<OrgId>,
    /// The requesting device's identifier.
    pub request_device_identifier: String,
    /// The requesting device's DeviceType number.
    pub request_device_type: i32,
    /// The address it came from.
    pub request_ip: String,
    /// The requester's public key (base64 SPKI).
    pub public_key: String,
    /// The keyed digest of the access code (`TokenIssuer::keyed_digest`); the code itself is
    /// never stored.
    pub access_code_digest: String,
    /// The wrapped key the approver sent (opaque).
    pub key: Option<String>,
    /// The older clients' wrapped master password hash (opaque).
    pub master_password_hash: Option<String>,
    /// Made.
    pub creation_date: Timestamp,
    /// Answered.
    pub response_date: Option<Timestamp>,
    /// The answer; `None` while pending.
    pub approved: Option<bool>,
    /// The device that answered.
    pub response_device_id: Option<DeviceId>,
    /// When a login used it (once only).
    pub authentication_date: Option<Timestamp>,
}

/// An approver's answer to a request.
#[derive(Debug, Clone)]
pub struct AuthRequestAnswer {
    /// Approve or deny.
    pub approved: bool,
    /// The wrapped key (approvals only).
    pub key: Option<String>,
    /// The older clients' wrapped master password hash (approvals only).
    pub master_password_hash: Option<String>,
    /// The approver's device (`None` for an administrator's answer to an admin approval).
    pub response_device_id: Option<DeviceId>,
}

/// A pending admin approval request with the membership it concerns (an organization's list).
#[derive(Debug, Clone)]
pub struct OrgAuthRequestRow {
    /// The request.
    pub request: AuthRequestRow,
    /// The requesting member's membership of the organization.
    pub org_user_id: OrgUserId,
    /// The requesting member's email.
    pub email: String,
}

/// The most requests a list answers (their creation is throttled and old ones are swept, so
/// this is a backstop).
pub const MAX_AUTH_REQUESTS_LISTED: i64 = 200;

/// Login-with-device requests.
#[async_trait::async_trait]
pub trait AuthRequestStore: Send + Sync {
    /// Stores a request unless its user already has `max_pending` unanswered requests made
    /// since `pending_since` (then false, nothing written); requests of the user made before
    /// `sweep_before` are deleted in the same transaction.
    async fn insert_auth_request(
        &self,
        row: &AuthRequestRow,
        max_pending: i64,
        pending_since: Timestamp,
        sweep_before: Timestamp,
    ) -> Result<bool, StoreError>;
    /// A request by id, whoever owns it (the anonymous answer and the token endpoint check the
    /// access code themselves).
    async fn auth_request(&self, id: AuthRequestId) -> Result<Option<AuthRequestRow>, StoreError>;
    /// The user's requests, newest first (at most [`MAX_AUTH_REQUESTS_LISTED`]).
    async fn auth_requests_of(&self, user_id: UserId) -> Result<Vec<AuthRequestRow>, StoreError>;
    /// Answers the user's request if it is still unanswered (compare-and-set); false when it
    /// was answered meanwhile or is not the user's.
    async fn answer_auth_request(
        &self,
        user_id: UserId,
        id: AuthRequestId,
        answer: &AuthRequestAnswer,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Stores admin approval requests (one per organization of the user, `rows` all of one
    /// user) with their audit `events` in one transaction, unless the user already has
    /// `max_pending` unanswered requests made since `pending_since` (then false, nothing
    /// written); the user's admin approval requests made before `sweep_before` are deleted.
    async fn insert_admin_auth_requests(
        &self,
        rows: &[AuthRequestRow],
        events: &[EventRow],
        max_pending: i64,
        pending_since: Timestamp,
        sweep_before: Timestamp,
    ) -> Result<bool, StoreError>;
    /// The organization's unanswered admin approval requests made since `since`, of members
    /// with a membership of it, newest first (at most [`MAX_AUTH_REQUESTS_LISTED`]).
    async fn pending_org_auth_requests(
        &self,
        org_id: OrgId,
        since: Timestamp,
    ) -> Result<Vec<OrgAuthRequestRow>, StoreError>;
    /// Answers the organization's admin approval request `id` if it is still unanswered
    /// (compare-and-set), storing `events` in the same transaction; false (nothing written)
    /// when it was answered meanwhile or is not the organization's.
    async fn answer_org_auth_request(
        &self,
        org_id: OrgId,
        id: AuthRequestId,
        answer: &AuthRequestAnswer,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Marks an approved request used by a login (compare-and-set on `authentication_date`):
    /// of two racing logins with it, one gets false.
    async fn use_auth_request(&self, id: AuthRequestId, now: Timestamp)
        -> Result<bool, StoreError>;
}
