//! What the provider (MSP) use cases need from persistence: providers, their members and custom
//! roles, client links and assignments, the provider event log and the usage report. Every
//! method takes the provider it works in and filters on it; every write is one transaction that
//! also stores the write's audit events.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::ids::{
    EventId, OrgId, ProviderId, ProviderOrgId, ProviderRoleId, ProviderUserId, UserId,
};
use crate::orgs::store::{AccessSelection, CollectionRow, EventRow, OrgRow, OrgUserRow};
use crate::store::Resync;
use keyfleet_api::kinds::{EventType, ProviderRole, ProviderStatus, ProviderUserStatus};

/// A provider (an MSP).
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRow {
    /// Id.
    pub id: ProviderId,
    /// Display name.
    pub name: String,
    /// Business name.
    pub business_name: Option<String>,
    /// Billing contact (set by the owner at setup).
    pub billing_email: Option<String>,
    /// Set up or not.
    pub status: ProviderStatus,
    /// Off: nobody reaches the provider or its clients through it.
    pub enabled: bool,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
    /// Launching into a client needs the member's master password (checked by the server).
    pub launch_requires_password: bool,
}

/// A custom role: a named set of catalog permissions, for all or only assigned clients.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRoleRow {
    /// Id.
    pub id: ProviderRoleId,
    /// Provider.
    pub provider_id: ProviderId,
    /// Name (unique in the provider).
    pub name: String,
    /// Permission names as a JSON array.
    pub permissions: String,
    /// Whether the permissions cover only the clients the member is assigned to.
    pub assigned_only: bool,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// A membership (or an invitation) in a provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderUserRow {
    /// Id ("providerUserId").
    pub id: ProviderUserId,
    /// Provider.
    pub provider_id: ProviderId,
    /// The member's account; `None` while invited.
    pub user_id: Option<UserId>,
    /// The invited address; cleared once accepted.
    pub email: Option<String>,
    /// Keyfleet role.
    pub role: ProviderRole,
    /// The custom role, when `role` is custom.
    pub role_id: Option<ProviderRoleId>,
    /// Where the membership stands.
    pub status: ProviderUserStatus,
    /// Suspended members reach nothing until restored.
    pub suspended: bool,
    /// The provider key wrapped to the member's public key (type 4), set on confirm.
    pub key: Option<String>,
    /// When the current invitation was issued; a reinvite voids older links.
    pub invited_at: Option<Timestamp>,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// The link between a provider and a client organization.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderOrgRow {
    /// Id ("providerOrganizationId").
    pub id: ProviderOrgId,
    /// Provider.
    pub provider_id: ProviderId,
    /// The client organization.
    pub org_id: OrgId,
    /// The client's org key wrapped with the provider key (type 2).
    pub key: String,
    /// Client website.
    pub website: Option<String>,
    /// Client region (free text, e.g. "EU").
    pub region: Option<String>,
    /// The MSP's notes about the client.
    pub notes: Option<String>,
    /// Linked.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
}

/// A member with what the admin views show of the account behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderMemberDetails {
    /// The membership.
    pub member: ProviderUserRow,
    /// The account's name.
    pub name: Option<String>,
    /// The account's email, or the invited email.
    pub email: String,
    /// Whether the account has two-step login on.
    pub two_factor_enabled: bool,
    /// The custom role's name.
    pub role_name: Option<String>,
    /// Clients the member is assigned to.
    pub assigned: Vec<ProviderOrgId>,
}

/// A client with its organization and seat use.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderClient {
    /// The link.
    pub link: ProviderOrgRow,
    /// The client organization.
    pub org: OrgRow,
    /// Members using a seat (everyone not revoked).
    pub seats_used: i64,
    /// Confirmed members.
    pub user_count: i64,
    /// Provider members assigned to it.
    pub assigned: Vec<ProviderUserId>,
}

/// One client's row of the usage report.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientUsage {
    /// The link.
    pub link: ProviderOrgRow,
    /// The client organization.
    pub org: OrgRow,
    /// Members by status.
    pub confirmed: i64,
    /// Accepted, awaiting confirmation.
    pub accepted: i64,
    /// Invited.
    pub invited: i64,
    /// Revoked.
    pub revoked: i64,
    /// Items in the organization (trash included).
    pub items: i64,
    /// Confirmed or accepted members with two-step login on.
    pub two_factor_members: i64,
    /// Newest event of the organization.
    pub last_activity: Option<Timestamp>,
}

/// A provider membership of one user, with what decides their rights.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderMembership {
    /// The provider.
    pub provider: ProviderRow,
    /// The membership.
    pub member: ProviderUserRow,
    /// Its custom role, when it has one.
    pub role: Option<ProviderRoleRow>,
}

/// How a user reaches an organization through the provider that manages it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderReach {
    /// The user's membership in the managing provider.
    pub membership: ProviderMembership,
    /// The link to the organization.
    pub link: ProviderOrgRow,
    /// Whether the member is assigned to this client.
    pub assigned: bool,
}

/// Which provider events to read.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderEventQuery {
    /// The provider (always set).
    pub provider_id: ProviderId,
    /// Only events about this member (or by their account, when it has one).
    pub member: Option<(ProviderUserId, Option<UserId>)>,
    /// Only events about these clients (`None`: any, including provider-level events).
    pub clients: Option<Vec<ProviderOrgId>>,
    /// Only this event type.
    pub event_type: Option<EventType>,
    /// From (inclusive).
    pub start: Timestamp,
    /// To (inclusive).
    pub end: Timestamp,
    /// Continue after this event (newest first).
    pub before: Option<(Timestamp, EventId)>,
    /// Page size.
    pub limit: u32,
}

/// Providers and everything in them.
#[async_trait::async_trait]
pub trait ProviderStore: Send + Sync {
    // --- providers
    /// Creates a provider with its owner's invitation.
    async fn insert_provider(
        &self,
        provider: &ProviderRow,
        owner: &ProviderUserRow,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// One provider.
    async fn provider(&self, id: ProviderId) -> Result<Option<ProviderRow>, StoreError>;
    /// Every provider with its member and client counts (operator view), oldest first.
    async fn providers(&self) -> Result<Vec<(ProviderRow, i64, i64)>, StoreError>;
    /// Replaces name, business name, billing email, status and enabled.
    async fn update_provider(
        &self,
        row: &ProviderRow,
        events: &[EventRow],
    ) -> Result<(), StoreError>;

    // --- members
    /// The user's membership in a provider (any status) with its custom role.
    async fn provider_membership(
        &self,
        provider_id: ProviderId,
        user_id: UserId,
    ) -> Result<Option<ProviderMembership>, StoreError>;
    /// Every provider membership of a user (sync).
    async fn provider_memberships_of_user(
        &self,
        user_id: UserId,
    ) -> Result<Vec<ProviderMembership>, StoreError>;
    /// How the user reaches `org_id` through the provider managing it, if they are a member of
    /// that provider (whatever their status; the domain decides).
    async fn provider_reach(
        &self,
        org_id: OrgId,
        user_id: UserId,
    ) -> Result<Option<ProviderReach>, StoreError>;
    /// One member or invitation.
    async fn provider_user(
        &self,
        provider_id: ProviderId,
        id: ProviderUserId,
    ) -> Result<Option<ProviderUserRow>, StoreError>;
    /// Members with account details and assignments (all, or one).
    async fn provider_members(
        &self,
        provider_id: ProviderId,
        only: Option<ProviderUserId>,
    ) -> Result<Vec<ProviderMemberDetails>, StoreError>;
    /// Members' public keys (only members with an account), as `(member, user, public key)`.
    async fn provider_member_public_keys(
        &self,
        provider_id: ProviderId,
        ids: &[ProviderUserId],
    ) -> Result<Vec<(ProviderUserId, UserId, Option<String>)>, StoreError>;
    /// Creates invitations with their client assignments.
    async fn insert_provider_users(
        &self,
        rows: &[ProviderUserRow],
        assignments: &[(ProviderUserId, ProviderOrgId)],
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Completes a provider's setup: its new details and its owner's confirmed membership,
    /// written together.
    async fn complete_provider_setup(
        &self,
        provider: &ProviderRow,
        owner: &ProviderUserRow,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Writes memberships (role, status, suspension, key, account, email, invite time) together.
    async fn update_provider_users(
        &self,
        rows: &[ProviderUserRow],
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Removes a membership, its assignments and its wrapped provider key. `resync` is for the
    /// removed member's account (its sync no longer lists the provider).
    async fn delete_provider_user(
        &self,
        provider_id: ProviderId,
        id: ProviderUserId,
        resync: Resync,
        events: &[EventRow],
    ) -> Result<bool, StoreError>;
    /// Replaces the clients a member is assigned to. `resync` is for the member's account (its
    /// sync lists the clients it may launch into).
    async fn set_member_assignments(
        &self,
        provider_id: ProviderId,
        member: ProviderUserId,
        clients: &[ProviderOrgId],
        resync: Resync,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Replaces the members assigned to a client. `resync` is for the accounts of the members
    /// assigned before and after (those losing the client and those gaining it).
    async fn set_client_assignments(
        &self,
        provider_id: ProviderId,
        client: ProviderOrgId,
        members: &[ProviderUserId],
        resync: Resync,
        events: &[EventRow],
    ) -> Result<(), StoreError>;

    // --- custom roles
    /// Custom roles with how many members hold each, by name.
    async fn provider_roles(
        &self,
        provider_id: ProviderId,
    ) -> Result<Vec<(ProviderRoleRow, i64)>, StoreError>;
    /// One custom role.
    async fn provider_role(
        &self,
        provider_id: ProviderId,
        id: ProviderRoleId,
    ) -> Result<Option<ProviderRoleRow>, StoreError>;
    /// Creates or replaces a custom role (a duplicate name is `Conflict`).
    async fn save_provider_role(
        &self,
        row: &ProviderRoleRow,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Deletes a custom role unless a member holds it; false when in use or missing.
    async fn delete_provider_role(
        &self,
        provider_id: ProviderId,
        id: ProviderRoleId,
        events: &[EventRow],
    ) -> Result<bool, StoreError>;

    // --- clients
    /// Clients of the provider (only those assigned to `assigned_to` when given), by name.
    async fn provider_clients(
        &self,
        provider_id: ProviderId,
        assigned_to: Option<ProviderUserId>,
    ) -> Result<Vec<ProviderClient>, StoreError>;
    /// One client of the provider.
    async fn provider_client(
        &self,
        provider_id: ProviderId,
        id: ProviderOrgId,
    ) -> Result<Option<ProviderClient>, StoreError>;
    /// The provider link of an organization, if any provider manages it.
    async fn provider_link_of_org(
        &self,
        org_id: OrgId,
    ) -> Result<Option<ProviderOrgRow>, StoreError>;
    /// Creates a client organization managed by the provider: no member yet, its first
    /// collection, the link, (optionally) its own owner's invitation with access to that
    /// collection, and (optionally) the member it is assigned to.
    #[allow(clippy::too_many_arguments)]
    async fn insert_provider_client(
        &self,
        org: &OrgRow,
        link: &ProviderOrgRow,
        collection: Option<&CollectionRow>,
        owner_invite: Option<(&OrgUserRow, &[AccessSelection])>,
        assign_to: Option<ProviderUserId>,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Links an existing organization (a second provider is `Conflict`), assigned to
    /// `assign_to` when given.
    async fn insert_provider_link(
        &self,
        link: &ProviderOrgRow,
        assign_to: Option<ProviderUserId>,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Writes a link's details and, when given, its organization's name and seats.
    async fn update_provider_link(
        &self,
        link: &ProviderOrgRow,
        org: Option<&OrgRow>,
        events: &[EventRow],
    ) -> Result<(), StoreError>;
    /// Removes a link (with its wrapped key and assignments); false when missing. `resync` is for
    /// every confirmed member of the provider (their sync lists its clients).
    async fn delete_provider_link(
        &self,
        provider_id: ProviderId,
        id: ProviderOrgId,
        resync: Resync,
        events: &[EventRow],
    ) -> Result<bool, StoreError>;
    /// Usage of each client (only those assigned to `assigned_to` when given), by name.
    async fn client_usage(
        &self,
        provider_id: ProviderId,
        assigned_to: Option<ProviderUserId>,
    ) -> Result<Vec<ClientUsage>, StoreError>;

    // --- events
    /// Provider events (rows with this provider id), newest first, with the acting account's
    /// email.
    async fn provider_events(
        &self,
        query: &ProviderEventQuery,
    ) -> Result<Vec<(EventRow, Option<String>)>, StoreError>;
}
