//! What the server answers about providers (MSPs): Bitwarden's provider shapes where they exist
//! (shared/protocol/providers.md §4, §6), with Keyfleet's additions (docs/provider-api.md).

use crate::kinds::{
    Permission, PlanType, ProviderRole, ProviderScope, ProviderStatus, ProviderType,
    ProviderUserStatus, ProviderUserType,
};
use crate::orgs::Permissions;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// `provider`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderResponse {
    pub id: String,
    pub name: String,
    pub business_name: Option<String>,
    pub business_address1: Option<String>,
    pub business_address2: Option<String>,
    pub business_address3: Option<String>,
    pub business_country: Option<String>,
    pub business_tax_number: Option<String>,
    pub billing_email: Option<String>,
    pub creation_date: String,
    /// ProviderStatusType: 0 pending (owner not set up), 1 created.
    pub status: ProviderStatus,
    pub enabled: bool,
    /// ProviderType: 0 MSP.
    #[serde(rename = "type")]
    pub provider_type: ProviderType,
    pub use_events: bool,
    /// Keyfleet: launching into a client needs the member's master password.
    pub launch_requires_password: bool,
    /// `"provider"`.
    pub object: String,
}

/// The operator's view of a provider (`/admin/providers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AdminProviderResponse {
    pub id: String,
    pub name: String,
    pub business_name: Option<String>,
    pub billing_email: Option<String>,
    pub status: ProviderStatus,
    pub enabled: bool,
    pub creation_date: String,
    /// Members (any status).
    pub members: i64,
    /// Client organizations.
    pub clients: i64,
    /// `"adminProvider"`.
    pub object: String,
}

/// An invitation as the inviter gets it back, link included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInviteResponse {
    /// The new member's id.
    pub id: String,
    /// Invited address.
    pub email: Option<String>,
    /// Whether a mail went out.
    pub mailed: bool,
    /// The invitation token.
    pub token: String,
    /// The link the invitee opens.
    pub invite_url: String,
}

/// `providerUserUserDetails` with Keyfleet's role, suspension, two-step and assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderMemberResponse {
    pub id: String,
    pub user_id: Option<String>,
    /// ProviderUserType as the Bitwarden apps know it: 0 provider admin, 1 service user.
    #[serde(rename = "type")]
    pub member_type: ProviderUserType,
    /// ProviderUserStatusType: 0 invited, 1 accepted, 2 confirmed.
    pub status: ProviderUserStatus,
    /// Always empty (org permissions, for the Bitwarden shape).
    pub permissions: Permissions,
    /// Keyfleet's role: `owner`, `admin`, `technician` or `custom`.
    pub role: ProviderRole,
    /// The custom role, when `role` is `custom`.
    pub role_id: Option<String>,
    pub suspended: bool,
    pub name: Option<String>,
    pub email: String,
    /// The custom role's name.
    pub role_name: Option<String>,
    pub two_factor_enabled: bool,
    /// Provider-organization (client) ids assigned to the member.
    pub assigned_clients: Vec<String>,
    /// `"providerUserUserDetails"`.
    pub object: String,
}

/// A custom provider role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderRoleResponse {
    pub id: String,
    pub name: String,
    /// The role's permissions, in catalog order.
    pub permissions: Vec<Permission>,
    /// Every client, or only the member's assigned clients.
    pub scope: ProviderScope,
    /// Members holding the role.
    pub members: i64,
    pub creation_date: String,
    pub revision_date: String,
    /// `"providerRole"`.
    pub object: String,
}

/// `providerOrganizationOrganizationDetail` with Keyfleet's client details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderClientResponse {
    /// The provider–organization link id.
    pub id: String,
    pub provider_id: String,
    pub organization_id: String,
    /// The org key wrapped with the provider key: only for members who may launch into it.
    pub key: Option<String>,
    pub settings: Option<String>,
    pub creation_date: String,
    pub revision_date: String,
    pub user_count: i64,
    pub seats: i32,
    pub occupied_seats: i64,
    pub remaining_seats: i64,
    pub plan: String,
    pub plan_type: PlanType,
    pub organization_name: String,
    pub enabled: bool,
    pub website: Option<String>,
    pub region: Option<String>,
    pub notes: Option<String>,
    /// Provider member ids assigned to the client.
    pub assigned_members: Vec<String>,
    /// `"providerOrganizationOrganizationDetail"`.
    pub object: String,
}

/// Who a provider member is (`GET /providers/{id}/users/names`): for "Managed by" and event
/// filters, readable by anyone who sees clients or events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderMemberNameResponse {
    /// The provider member id.
    pub id: String,
    pub user_id: Option<String>,
    pub name: Option<String>,
    /// The account's address, or the invited one.
    pub email: String,
    /// `"providerUserName"`.
    pub object: String,
}

/// `profileProvider` (sync).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProfileProviderResponse {
    pub id: String,
    pub name: String,
    /// The provider key wrapped to the member's public key.
    pub key: Option<String>,
    pub status: ProviderUserStatus,
    #[serde(rename = "type")]
    pub member_type: ProviderUserType,
    pub enabled: bool,
    pub permissions: Permissions,
    pub user_id: Option<String>,
    pub use_events: bool,
    pub provider_status: ProviderStatus,
    pub provider_type: ProviderType,
    /// Keyfleet's role (the Bitwarden apps ignore it).
    pub role: ProviderRole,
    pub role_id: Option<String>,
    /// The member's own effective permissions, whatever their role (owners and admins: the
    /// whole catalog), in catalog order: what a console may offer them (the server still decides
    /// every call).
    pub role_permissions: Vec<Permission>,
    /// The clients those permissions cover.
    pub role_scope: ProviderScope,
    /// `"profileProvider"`.
    pub object: String,
}

/// One client's usage (`/providers/{id}/usage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderClientUsageResponse {
    pub provider_organization_id: String,
    pub organization_id: String,
    pub name: String,
    pub plan: String,
    pub plan_type: PlanType,
    pub seats: i32,
    /// Confirmed + accepted + invited members (revoked ones use no seat).
    pub seats_used: i64,
    pub members_confirmed: i64,
    pub members_accepted: i64,
    pub members_invited: i64,
    pub members_revoked: i64,
    pub items: i64,
    pub members_with_two_step_login: i64,
    pub last_activity: Option<String>,
    /// `"providerClientUsage"`.
    pub object: String,
}

/// A client just created: the client, and the invitation of its own owner when one was named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderClientCreatedResponse {
    /// The client.
    #[serde(flatten)]
    pub client: ProviderClientResponse,
    /// The client owner's invitation (to the organization itself), link included.
    pub owner_invite: Option<ProviderInviteResponse>,
}

/// A provider the operator just created, with its owner's set-up invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AdminProviderCreatedResponse {
    #[serde(flatten)]
    pub provider: AdminProviderResponse,
    pub owner_email: Option<String>,
    /// The owner's (pending) provider member id.
    pub owner_id: String,
    /// The link the owner opens to set the provider up.
    pub setup_url: String,
    pub token: String,
    /// Whether the link was mailed.
    pub mailed: bool,
}

/// A provider member's public key, for confirming (`users/public-keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderUserPublicKeyResponse {
    pub id: String,
    pub user_id: String,
    pub key: Option<String>,
    /// `"providerUserPublicKeyResponseModel"`.
    pub object: String,
}

/// An organization the caller owns that could be linked to the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct AddableOrganizationResponse {
    pub id: String,
    pub name: String,
    /// Plan display name.
    pub plan: String,
    pub seats: i32,
    pub disabled: bool,
}

/// What a launch into a client answers: the org key wrapped with the provider key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProviderClientLaunchResponse {
    pub provider_id: String,
    pub provider_organization_id: String,
    pub organization_id: String,
    pub organization_name: String,
    pub key: String,
    /// `"providerClientLaunch"`.
    pub object: String,
}
