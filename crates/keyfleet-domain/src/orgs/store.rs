//! What the organization use cases need from persistence: organizations, memberships,
//! collections, groups, org items, policies and events. Every method takes the organization it
//! works in and filters on it; every write is one transaction that also stores the write's audit
//! events and bumps the revision date of each member whose sync output changes.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::identity::store::CredentialUpdate;
use crate::ids::{CipherId, CollectionId, EventId, GroupId, OrgId, OrgUserId, PolicyId, UserId};
use crate::vault::store::{BulkCipherChange, CipherRow};
use keyfleet_api::kinds::{
    EventType, OrganizationUserStatus, OrganizationUserType, PlanType, PolicyType, RevocationReason,
};

/// An organization.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    /// Id.
    pub id: OrgId,
    /// Display name (plain text, as in the official server).
    pub name: String,
    /// Business name.
    pub business_name: Option<String>,
    /// Billing contact.
    pub billing_email: String,
    /// The plan.
    pub plan_type: PlanType,
    /// Seats: members that are not revoked (invited ones included) may not exceed it.
    pub seats: i32,
    /// Most collections (Free plan), `None` for no limit.
    pub max_collections: Option<i32>,
    /// The org's RSA public key (base64 SPKI).
    pub public_key: Option<String>,
    /// The org's private key under the org key.
    pub private_key: Option<String>,
    /// The digest of its API key (`tokens::api_key_digest`), empty until one is issued.
    pub api_key_digest: String,
    /// Whether members can use it.
    pub enabled: bool,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// A membership (or an invitation) in an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgUserRow {
    /// Id ("organizationUserId").
    pub id: OrgUserId,
    /// Organization.
    pub org_id: OrgId,
    /// The member's account; `None` while invited.
    pub user_id: Option<UserId>,
    /// The invited address; cleared once accepted.
    pub email: Option<String>,
    /// The member's role.
    pub member_type: OrganizationUserType,
    /// Where the membership stands.
    pub status: OrganizationUserStatus,
    /// The org key wrapped to the member's public key (type 4), set on confirm.
    pub key: Option<String>,
    /// Custom permissions as a JSON object.
    pub permissions: String,
    /// Directory id.
    pub external_id: Option<String>,
    /// When the current invitation was issued; a reinvite replaces it, voiding older links.
    pub invited_at: Option<Timestamp>,
    /// Why the member is revoked: `None` by an admin, or a policy (see `orgs::revocation`).
    pub revocation_reason: Option<RevocationReason>,
    /// Account recovery enrolment: the member's user key wrapped to the org public key (type 4),
    /// made by the member's client; `None` while not enrolled. New rows are never enrolled
    /// (inserts leave it out); `update_org_user` writes it.
    pub reset_password_key: Option<String>,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// A member with what the admin views show of the account behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgMemberDetails {
    /// The membership.
    pub member: OrgUserRow,
    /// The account's name.
    pub name: Option<String>,
    /// The account's email, or the invited email.
    pub email: String,
    /// Whether the account has two-step login on.
    pub two_factor_enabled: bool,
    /// Direct collection access.
    pub collections: Vec<AccessSelection>,
    /// Groups the member is in.
    pub groups: Vec<GroupId>,
}

/// Access to a collection, for a member or a group (`id` is the member's or group's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessSelection {
    /// Member, group or collection id, by context.
    pub id: uuid::Uuid,
    /// May not change items.
    pub read_only: bool,
    /// May not see passwords.
    pub hide_passwords: bool,
    /// May manage the collection (its access and items).
    pub manage: bool,
}

/// A collection.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionRow {
    /// Id.
    pub id: CollectionId,
    /// Organization.
    pub org_id: OrgId,
    /// Name, an EncString under the org key.
    pub name: String,
    /// Directory id.
    pub external_id: Option<String>,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// A collection with one user's access to it (sync `collections`).
#[derive(Debug, Clone, PartialEq)]
pub struct UserCollection {
    /// The collection.
    pub collection: CollectionRow,
    /// The user's combined access (direct and through groups).
    pub access: AccessSelection,
}

/// Who can reach a collection.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CollectionAccess {
    /// Members (`id` = org user id).
    pub users: Vec<AccessSelection>,
    /// Groups (`id` = group id).
    pub groups: Vec<AccessSelection>,
}

/// A group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    /// Id.
    pub id: GroupId,
    /// Organization.
    pub org_id: OrgId,
    /// Name (plain text by protocol).
    pub name: String,
    /// Directory id.
    pub external_id: Option<String>,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// An organization policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRow {
    /// Id.
    pub id: PolicyId,
    /// Organization.
    pub org_id: OrgId,
    /// The policy.
    pub policy_type: PolicyType,
    /// On or off.
    pub enabled: bool,
    /// Settings as a JSON object, when the type has any.
    pub data: Option<String>,
    /// Last change.
    pub revision_date: Timestamp,
}

/// One audit event (Bitwarden event type numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// Id (time-ordered; also the continuation cursor).
    pub id: EventId,
    /// What happened.
    pub event_type: EventType,
    /// When.
    pub date: Timestamp,
    /// Organization concerned.
    pub org_id: Option<OrgId>,
    /// User concerned (user events).
    pub user_id: Option<UserId>,
    /// Who did it.
    pub acting_user_id: Option<UserId>,
    /// Member concerned.
    pub org_user_id: Option<OrgUserId>,
    /// Item concerned.
    pub cipher_id: Option<CipherId>,
    /// Collection concerned.
    pub collection_id: Option<CollectionId>,
    /// Group concerned.
    pub group_id: Option<GroupId>,
    /// Policy concerned.
    pub policy_id: Option<PolicyId>,
    /// Provider concerned (provider events).
    pub provider_id: Option<uuid::Uuid>,
    /// Provider member concerned.
    pub provider_user_id: Option<uuid::Uuid>,
    /// Provider–organization link concerned.
    pub provider_org_id: Option<uuid::Uuid>,
    /// Device type of the acting client.
    pub device_type: Option<i32>,
    /// Acting client's IP.
    pub ip_address: Option<String>,
}

impl EventRow {
    /// An event of `event_type` at `date` (a new id), concerning nothing yet: the caller sets
    /// the ids it carries.
    pub fn new(event_type: EventType, date: Timestamp) -> EventRow {
        EventRow {
            id: EventId::new(),
            event_type,
            date,
            org_id: None,
            user_id: None,
            acting_user_id: None,
            org_user_id: None,
            cipher_id: None,
            collection_id: None,
            group_id: None,
            policy_id: None,
            provider_id: None,
            provider_user_id: None,
            provider_org_id: None,
            device_type: None,
            ip_address: None,
        }
    }
}

/// Which events to read.
#[derive(Debug, Clone, PartialEq)]
pub struct EventQuery {
    /// Organization (always set for org queries).
    pub org_id: Option<OrgId>,
    /// Only events about or by this member's account.
    pub user_id: Option<UserId>,
    /// Only events about this member.
    pub org_user_id: Option<OrgUserId>,
    /// Only events about this item.
    pub cipher_id: Option<CipherId>,
    /// From (inclusive).
    pub start: Timestamp,
    /// To (inclusive).
    pub end: Timestamp,
    /// Continue after this event (newest first).
    pub before: Option<(Timestamp, EventId)>,
    /// Page size.
    pub limit: u32,
}

/// Organizations and their memberships.
#[async_trait::async_trait]
pub trait OrgStore: Send + Sync {
    // --- organizations
    /// Creates an organization with its first owner and first collection (owner-managed).
    async fn insert_org(
        &self,
        org: &OrgRow,
        owner: &OrgUserRow,
        collection: Option<&CollectionRow>,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// One organization.
    async fn org(&self, id: OrgId) -> Result<Option<OrgRow>, StoreError>;
    /// Replaces name, business name, billing email, seats and keys.
    async fn update_org(&self, org: &OrgRow, events: &[EventRow]) -> Result<(), StoreError>;
    /// Stores the digest of the organization's API key with its events (`update_org` never
    /// writes the key); false when `write` is `Issue` and a key was issued already (nothing
    /// written).
    async fn set_org_api_key(
        &self,
        org_id: OrgId,
        digest: &str,
        write: crate::identity::store::ApiKeyWrite,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Deletes an organization with everything in it.
    async fn delete_org(&self, id: OrgId, now: Timestamp) -> Result<(), StoreError>;
    /// Members that use a seat (everyone not revoked).
    async fn seats_used(&self, org_id: OrgId) -> Result<i64, StoreError>;
    /// Confirmed owners (the last one may not leave, be removed, revoked or demoted).
    async fn confirmed_owners(&self, org_id: OrgId) -> Result<i64, StoreError>;
    /// The accounts of the organization's confirmed members (who are told when its items change).
    async fn confirmed_member_users(&self, org_id: OrgId) -> Result<Vec<UserId>, StoreError>;
    /// Collections in the organization.
    async fn collection_count(&self, org_id: OrgId) -> Result<i64, StoreError>;

    // --- memberships
    /// The user's membership in an organization, whatever its status.
    async fn membership(
        &self,
        org_id: OrgId,
        user_id: UserId,
    ) -> Result<Option<OrgUserRow>, StoreError>;
    /// Every membership of a user with its organization (sync, organization list).
    async fn memberships_of_user(
        &self,
        user_id: UserId,
    ) -> Result<Vec<(OrgRow, OrgUserRow)>, StoreError>;
    /// One member of an organization.
    async fn org_user(
        &self,
        org_id: OrgId,
        id: OrgUserId,
    ) -> Result<Option<OrgUserRow>, StoreError>;
    /// Members' public keys (only members with an account), as `(member, user, public key)`:
    /// one query for the whole list.
    async fn org_member_public_keys(
        &self,
        org_id: OrgId,
        ids: &[OrgUserId],
    ) -> Result<Vec<(OrgUserId, UserId, Option<String>)>, StoreError>;
    /// Whether `org_id` holds a membership of `user_id` in any status, or an invitation to
    /// `email` (who may read the org public key: an invitee enrols on accepting).
    async fn has_membership_or_invitation(
        &self,
        org_id: OrgId,
        user_id: UserId,
        email: &str,
    ) -> Result<bool, StoreError>;
    /// A membership by id alone (accepting an invitation, before the caller belongs anywhere).
    async fn org_user_unscoped_for_accept(
        &self,
        id: OrgUserId,
    ) -> Result<Option<OrgUserRow>, StoreError>;
    /// Every member with account details, direct collection access and groups.
    async fn org_member_details(
        &self,
        org_id: OrgId,
        only: Option<OrgUserId>,
    ) -> Result<Vec<OrgMemberDetails>, StoreError>;
    /// Creates invitations with their collection access and groups.
    async fn insert_org_users(
        &self,
        rows: &[OrgUserRow],
        collections: &[AccessSelection],
        groups: &[GroupId],
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Writes a membership's type, status, key, account, email, permissions, invite time and
    /// account recovery enrolment. `access` (when given) replaces its direct collection access and groups.
    async fn update_org_user(
        &self,
        row: &OrgUserRow,
        access: Option<(&[AccessSelection], &[GroupId])>,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Removes a membership.
    async fn delete_org_user(
        &self,
        org_id: OrgId,
        id: OrgUserId,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Account recovery of `user_id`, a member of `org_id`: writes `update` (when given; its
    /// `force_password_reset` is set) as a password change does, removes every two-step login
    /// provider and the recovery code when `reset_two_factor`, writes the memberships `revoked`
    /// for it (organizations requiring two-step login), and stores `events`, in one
    /// transaction. `false` (and nothing written) when the user is no longer a member of it.
    #[allow(clippy::too_many_arguments)]
    async fn recover_member_account(
        &self,
        org_id: OrgId,
        user_id: UserId,
        update: Option<&CredentialUpdate>,
        reset_two_factor: bool,
        revoked: &[OrgUserRow],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError>;
}

/// Collections and groups of an organization.
#[async_trait::async_trait]
pub trait CollectionStore: Send + Sync {
    /// Every collection of the organization.
    async fn collections(&self, org_id: OrgId) -> Result<Vec<CollectionRow>, StoreError>;
    /// One collection.
    async fn collection(
        &self,
        org_id: OrgId,
        id: CollectionId,
    ) -> Result<Option<CollectionRow>, StoreError>;
    /// Who can reach each given collection (all of the org's with `None`).
    async fn collection_access(
        &self,
        org_id: OrgId,
        ids: Option<&[CollectionId]>,
    ) -> Result<Vec<(CollectionId, CollectionAccess)>, StoreError>;
    /// The collections a user reaches, with their combined access: every collection of orgs
    /// where they are a confirmed owner or admin, else through direct or group assignments.
    async fn user_collections(&self, user_id: UserId) -> Result<Vec<UserCollection>, StoreError>;
    /// Creates or updates a collection and replaces its access lists.
    async fn save_collection(
        &self,
        row: &CollectionRow,
        access: &CollectionAccess,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Deletes collections (their items stay in the org, unassigned).
    async fn delete_collections(
        &self,
        org_id: OrgId,
        ids: &[CollectionId],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<u64, StoreError>;

    /// Every group of the organization.
    async fn groups(&self, org_id: OrgId) -> Result<Vec<GroupRow>, StoreError>;
    /// One group.
    async fn group(&self, org_id: OrgId, id: GroupId) -> Result<Option<GroupRow>, StoreError>;
    /// A group's collection access and members.
    async fn group_details(
        &self,
        org_id: OrgId,
        id: GroupId,
    ) -> Result<(Vec<AccessSelection>, Vec<OrgUserId>), StoreError>;
    /// Creates or updates a group, replacing its collection access and members.
    async fn save_group(
        &self,
        row: &GroupRow,
        collections: &[AccessSelection],
        members: &[OrgUserId],
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Deletes groups of the organization in one transaction; answers how many there were.
    async fn delete_groups(
        &self,
        org_id: OrgId,
        ids: &[GroupId],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<u64, StoreError>;
}

/// Items owned by organizations.
#[async_trait::async_trait]
pub trait OrgItemStore: Send + Sync {
    /// Creates an org item in the given collections.
    async fn insert_org_cipher(
        &self,
        cipher: &CipherRow,
        collections: &[CollectionId],
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Moves a personal item of `owner` into an organization with new content, if its revision
    /// is still `expected`; the caller's folder and favorite stay with them.
    async fn share_cipher(
        &self,
        owner: UserId,
        cipher: &CipherRow,
        collections: &[CollectionId],
        attachments: &[crate::vault::store::AttachmentNames],
        expected: Timestamp,
        events: &[EventRow],
    ) -> Result<bool, StoreError>;
    /// Replaces an org item's content (and its attachments' names and keys) if its revision is
    /// still `expected`.
    async fn update_org_cipher(
        &self,
        cipher: &CipherRow,
        attachments: &[crate::vault::store::AttachmentNames],
        expected: Timestamp,
        events: &[EventRow],
    ) -> Result<bool, StoreError>;
    /// Replaces the collections of an org item.
    async fn set_cipher_collections(
        &self,
        org_id: OrgId,
        changes: &[(CipherId, Vec<CollectionId>)],
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Applies a bulk change to org items of one organization.
    async fn change_org_ciphers(
        &self,
        org_id: OrgId,
        ids: &[CipherId],
        change: BulkCipherChange,
        events: &[EventRow],
        now: Timestamp,
    ) -> Result<u64, StoreError>;
    /// Every item of an organization with its collections (admin vault view).
    async fn org_ciphers(
        &self,
        org_id: OrgId,
    ) -> Result<Vec<(CipherRow, Vec<CollectionId>)>, StoreError>;
    /// One item of an organization with its collections (the `*-admin` endpoints).
    async fn org_cipher(
        &self,
        org_id: OrgId,
        id: CipherId,
    ) -> Result<Option<(CipherRow, Vec<CollectionId>)>, StoreError>;
    /// The organization owning an item, whoever asks: the `*-admin` endpoints name only the
    /// item, and the caller's rights in that organization are checked right after.
    async fn org_of_cipher_unscoped(&self, id: CipherId) -> Result<Option<OrgId>, StoreError>;
    /// Who is told of a change to item `id` of `org_id`, and the collections they are told it
    /// is in — one read, made after every item write while someone listens.
    async fn cipher_push_audience(
        &self,
        org_id: OrgId,
        id: CipherId,
    ) -> Result<CipherPushAudience, StoreError>;
}

/// The answer of [`OrgItemStore::cipher_push_audience`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CipherPushAudience {
    /// The item's collections, by id (none when it is gone or in no collection).
    pub collections: Vec<CollectionId>,
    /// The accounts of the organization's confirmed members, by id.
    pub recipients: Vec<UserId>,
}

/// Policies and the audit log.
#[async_trait::async_trait]
pub trait AuditStore: Send + Sync {
    /// The organization's policies.
    async fn policies(&self, org_id: OrgId) -> Result<Vec<PolicyRow>, StoreError>;
    /// Policies of every organization the user is a confirmed or accepted member of.
    async fn policies_of_user(&self, user_id: UserId) -> Result<Vec<PolicyRow>, StoreError>;
    /// Creates or replaces the organization's policy of that type.
    async fn save_policy(&self, row: &PolicyRow, events: &[EventRow]) -> Result<(), StoreError>;

    /// Stores events on their own (client-reported events, launches).
    async fn insert_events(&self, events: &[EventRow]) -> Result<(), StoreError>;
    /// Reads events, newest first.
    async fn events(&self, query: &EventQuery) -> Result<Vec<EventRow>, StoreError>;
}
