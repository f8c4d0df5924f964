//! What clients send to the provider (MSP) API (`/api/providers/{provider}/…`) and the operator
//! API (`/admin/providers`): Bitwarden's provider request models where they exist
//! (shared/protocol/providers.md), Keyfleet's additions beside them (docs/provider-api.md).
//! Unknown fields are ignored, as the official server does.

use crate::orgs::OrganizationKeysRequest;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// `POST /admin/providers`: the operator creates a provider and invites its owner.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct AdminProviderCreateRequest {
    /// Display name.
    pub name: String,
    /// The owner to invite.
    pub owner_email: String,
    /// Business name.
    #[serde(default)]
    pub business_name: Option<String>,
    /// Billing contact.
    #[serde(default)]
    pub billing_email: Option<String>,
}

/// `POST /api/providers/{provider}/setup` (`ProviderSetupRequestModel`): the invited owner sets
/// the provider up with its first wrapped key.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderSetupRequest {
    /// Display name.
    pub name: String,
    /// Business name.
    #[serde(default)]
    pub business_name: Option<String>,
    /// Billing contact.
    pub billing_email: String,
    /// The setup token from the invitation.
    pub token: String,
    /// A fresh 64-byte provider key wrapped to the owner's public key (type-4 EncString).
    pub key: String,
}

/// `PUT /api/providers/{provider}` (`ProviderUpdateRequestModel`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderUpdateRequest {
    /// Display name.
    pub name: String,
    /// Business name.
    #[serde(default)]
    pub business_name: Option<String>,
    /// Billing contact.
    #[serde(default)]
    pub billing_email: Option<String>,
    /// Keyfleet: launching into a client needs the member's master password (absent: unchanged).
    #[serde(default)]
    pub launch_requires_password: Option<bool>,
}

/// `POST …/users/invite` (`ProviderUserInviteRequestModel` plus Keyfleet's roles).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderUserInviteRequest {
    /// Addresses to invite (at most 100).
    pub emails: Vec<String>,
    /// The role the new members get.
    #[serde(flatten)]
    pub role: ProviderRoleChoice,
    /// Clients (provider organization ids) to assign the new members to.
    #[serde(default)]
    pub client_ids: Vec<String>,
}

/// `{ids}` (`ProviderUserBulkRequestModel`): bulk reinvite, delete and public keys.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct ProviderUserBulkRequest {
    /// Provider member ids.
    pub ids: Vec<String>,
}

/// `POST …/users/{member}/accept` (`ProviderUserAcceptRequestModel`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct ProviderUserAcceptRequest {
    /// The invitation token from the link.
    pub token: String,
}

/// `POST …/users/{member}/confirm` (`ProviderUserConfirmRequestModel`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct ProviderUserConfirmRequest {
    /// The provider key wrapped to the member's public key (type-4 EncString).
    pub key: String,
}

/// One `{id, key}` of a bulk confirm.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct ProviderUserKeyedId {
    /// Provider member id.
    pub id: String,
    /// The provider key wrapped to that member's public key (type 4).
    pub key: String,
}

/// `POST …/users/confirm` (`ProviderUserBulkConfirmRequestModel`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct ProviderUserBulkConfirmRequest {
    /// Members and their wrapped keys.
    pub keys: Vec<ProviderUserKeyedId>,
}

/// `PUT …/users/{member}` (`ProviderUserUpdateRequestModel` plus Keyfleet's roles).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderUserUpdateRequest {
    /// The member's new role.
    #[serde(flatten)]
    pub role: ProviderRoleChoice,
}

/// A role as an invitation or a role change names it: Keyfleet's `role` (with `roleId` for a
/// custom role) or else Bitwarden's `type`. Both bodies carry these same three keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderRoleChoice {
    /// ProviderUserType: 0 ProviderAdmin, 1 ServiceUser; decides the role when `role` is absent.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub member_type: Option<i32>,
    /// `admin`, `technician` or `custom`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The custom role, with `role: "custom"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<String>,
}

/// `PUT …/users/{member}/clients` (Keyfleet): the clients the member is assigned to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderUserClientsRequest {
    /// Provider organization ids; the whole new set.
    pub client_ids: Vec<String>,
}

/// `POST …/users/{member}/transfer-ownership` (Keyfleet): the owner re-enters their password.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderTransferOwnershipRequest {
    /// The caller's master password hash.
    #[serde(default)]
    pub master_password_hash: Option<String>,
}

/// `POST …/clients/{client}/launch` (Keyfleet; the body is optional): the member's own master
/// password hash, the server-checked step-up before launching. Required when the provider's
/// `launchRequiresPassword` is on; checked whenever it is sent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderClientLaunchRequest {
    /// The caller's master password hash.
    #[serde(default)]
    pub master_password_hash: Option<String>,
}

/// `POST`/`PUT …/roles[/{role}]` (Keyfleet): a custom role.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
pub struct ProviderRoleRequest {
    /// Display name.
    pub name: String,
    /// Names from the permission catalog; an unknown one is a 400 naming the catalog in
    /// `validationErrors.permissions`.
    // Text, not `Vec<Permission>`: the domain parses the names, so an unknown one gets that
    // field's refusal rather than serde's "body is not valid". The console and the OpenAPI
    // document see the catalog type.
    #[serde(default)]
    #[ts(as = "Vec<crate::kinds::Permission>")]
    #[schema(value_type = Vec<crate::kinds::Permission>)]
    pub permissions: Vec<String>,
    /// `all` or `assigned` (the default). Text, like `permissions`: the domain reads it, so an
    /// unknown word gets this field's refusal.
    #[serde(default)]
    #[ts(as = "Option<crate::kinds::ProviderScope>")]
    #[schema(value_type = Option<crate::kinds::ProviderScope>)]
    pub scope: Option<String>,
}

/// `POST …/roles/{role}/clone` (Keyfleet).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
pub struct ProviderRoleCloneRequest {
    /// The copy's name.
    pub name: String,
}

/// `POST …/clients` (`CreateClientOrganizationRequestBody` plus Keyfleet's fields): a new client
/// organization, everything secret already wrapped by the client.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderClientCreateRequest {
    /// Organization name.
    pub name: String,
    /// The client's own owner to invite (`clientOwnerEmail` is Bitwarden's name).
    #[serde(default, alias = "clientOwnerEmail")]
    pub owner_email: Option<String>,
    /// PlanType (17–20: Teams or Enterprise, monthly or annually).
    pub plan_type: i32,
    /// Seats.
    #[serde(default)]
    pub seats: Option<i32>,
    /// The org key wrapped with the provider key (type-2 EncString).
    pub key: String,
    /// The org's key pair (private key under the org key).
    pub key_pair: OrganizationKeysRequest,
    /// First collection's name, encrypted with the org key.
    #[serde(default)]
    pub collection_name: Option<String>,
    /// Billing contact (defaults to the provider's).
    #[serde(default)]
    pub billing_email: Option<String>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// `POST …/clients/existing` (`ProviderOrganizationAddRequestModel`): link an org the caller owns.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderClientLinkRequest {
    /// The organization.
    pub organization_id: String,
    /// Its org key wrapped with the provider key (type 2).
    pub key: String,
    /// The caller's master password hash.
    #[serde(default)]
    pub master_password_hash: Option<String>,
}

/// `PUT …/clients/{client}` (`UpdateClientOrganizationRequestBody` plus Keyfleet's fields): only
/// the fields present change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderClientUpdateRequest {
    /// Organization name.
    #[serde(default)]
    pub name: Option<String>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Seats (`assignedSeats` is Bitwarden's name).
    #[serde(default, alias = "assignedSeats")]
    pub seats: Option<i32>,
}

/// `PUT …/clients/{client}/members` (Keyfleet): the provider members assigned to the client.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderClientMembersRequest {
    /// Provider member ids; the whole new set.
    pub member_ids: Vec<String>,
}

/// `?start&end&continuationToken&member&client&type&format` of `GET …/events` and
/// `GET …/users/{member}/events`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEventsQuery {
    /// Range and cursor.
    #[serde(flatten)]
    pub range: crate::orgs::EventRangeQuery,
    /// Keep the events of this provider member (done to them or by them).
    #[serde(default)]
    pub member: Option<String>,
    /// Keep the events of this client (provider organization id).
    #[serde(default)]
    pub client: Option<String>,
    /// Keep one event type (a number).
    #[serde(default, rename = "type")]
    pub event_type: Option<String>,
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}

/// `?format` of `GET …/reports/usage`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
pub struct ReportFormatQuery {
    /// `json` (default) or `csv`.
    #[serde(default)]
    pub format: Option<String>,
}
