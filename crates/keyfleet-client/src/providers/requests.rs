//! Provider request bodies that `keyfleet-api` does not type yet: they are still declared in
//! `keyfleet-server/src/routes/{providers,admin}.rs`.
// TODO(#12): use the keyfleet-api request types once the server's move them there.

use keyfleet_api::orgs::OrganizationKeysRequest;
use serde::Serialize;

/// `PUT /providers/{pid}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProviderUpdateRequest<'a> {
    pub name: &'a str,
    pub business_name: Option<&'a str>,
    pub billing_email: &'a str,
}

/// `POST /providers/{pid}/setup`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProviderSetupRequest<'a> {
    pub name: &'a str,
    pub business_name: Option<&'a str>,
    pub billing_email: &'a str,
    pub token: &'a str,
    /// The provider key wrapped to the caller's public key.
    pub key: String,
}

/// `{role, roleId}` as the member calls take it (invitations add `emails` and `clientIds`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProviderRoleFields<'a> {
    pub role: &'static str,
    pub role_id: Option<&'a str>,
}

/// `POST /providers/{pid}/users/invite`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProviderInviteRequest<'a> {
    pub emails: &'a [String],
    #[serde(flatten)]
    pub role: ProviderRoleFields<'a>,
    pub client_ids: &'a [String],
}

/// `{ids}` for the bulk member calls.
#[derive(Serialize)]
pub(crate) struct IdsRequest<'a> {
    pub ids: &'a [String],
}

/// `{token}`: accepting an invitation.
#[derive(Serialize)]
pub(crate) struct TokenRequest<'a> {
    pub token: &'a str,
}

/// `{key}`: confirming a member with the provider key wrapped to them.
#[derive(Serialize)]
pub(crate) struct KeyRequest {
    pub key: String,
}

/// `{clientIds}`: a member's assigned clients.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientIdsRequest<'a> {
    pub client_ids: &'a [String],
}

/// `{memberIds}`: who manages a client.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MemberIdsRequest<'a> {
    pub member_ids: &'a [String],
}

/// `{masterPasswordHash}`: transferring ownership.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PasswordCheckRequest<'a> {
    pub master_password_hash: &'a str,
}

/// `POST/PUT /providers/{pid}/roles[/{rid}]`.
#[derive(Serialize)]
pub(crate) struct RoleRequest<'a> {
    pub name: &'a str,
    pub permissions: &'a [String],
    pub scope: &'static str,
}

/// `{name}`: cloning a role.
#[derive(Serialize)]
pub(crate) struct NameRequest<'a> {
    pub name: &'a str,
}

/// `POST /providers/{pid}/clients`: keys made by the caller.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateClientRequest {
    /// The organization's name.
    pub name: String,
    /// Invite this address as the client's owner.
    pub owner_email: Option<String>,
    /// PlanType number.
    pub plan_type: i32,
    /// Seats.
    pub seats: Option<i32>,
    /// The org key wrapped with the provider key (type 2).
    pub key: String,
    /// The org key pair, its private half under the org key.
    pub key_pair: OrganizationKeysRequest,
    /// The first collection's name under the org key.
    pub collection_name: Option<String>,
    /// Billing email.
    pub billing_email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// `POST /providers/{pid}/clients/existing`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LinkRequest<'a> {
    pub organization_id: &'a str,
    pub key: String,
    pub master_password_hash: String,
}

/// `PUT /providers/{pid}/clients/{poid}`.
#[derive(Serialize)]
pub(crate) struct EditClientRequest<'a> {
    pub name: Option<&'a str>,
    pub website: Option<&'a str>,
    pub region: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub seats: Option<i32>,
}

/// `POST /admin/providers`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreateProviderRequest<'a> {
    pub name: &'a str,
    pub owner_email: &'a str,
    pub business_name: Option<&'a str>,
    pub billing_email: Option<&'a str>,
}
