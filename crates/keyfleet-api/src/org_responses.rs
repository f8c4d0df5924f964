//! What the server answers about organizations, members, collections, groups, policies and
//! events, with the field names and `object` values the official server sends
//! (shared/protocol/core-api.md §6, §9–§13). The server builds these from its rows; the client
//! and the CLI read them.

use crate::kinds::{
    EventType, OrganizationUserStatus, OrganizationUserType, PlanType, PolicyType, ProductTierType,
    ProviderType, RevocationReason,
};
use crate::orgs::Permissions;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use utoipa::ToSchema;

/// `{id, readOnly, hidePasswords, manage}`: one collection (or group) access entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SelectionResponse {
    /// Collection, member or group id.
    pub id: String,
    /// Read only.
    pub read_only: bool,
    /// Passwords hidden.
    pub hide_passwords: bool,
    /// May manage the collection.
    pub manage: bool,
}

/// The feature flags of an organization, in `Organization` and `ProfileOrganization` alike.
/// Self-hosted: nothing is sold separately; paid plans get the paid features.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct OrganizationFeatures {
    pub use_policies: bool,
    pub use_groups: bool,
    pub use_directory: bool,
    pub use_events: bool,
    pub use_totp: bool,
    #[serde(rename = "use2fa")]
    pub use_2fa: bool,
    pub use_api: bool,
    pub use_sso: bool,
    pub use_organization_domains: bool,
    pub use_key_connector: bool,
    pub use_scim: bool,
    pub use_custom_permissions: bool,
    pub use_reset_password: bool,
    pub use_secrets_manager: bool,
    pub use_password_manager: bool,
    pub use_pam: bool,
    pub use_activate_autofill_policy: bool,
    pub use_automatic_user_confirmation: bool,
    pub use_risk_insights: bool,
    pub use_admin_sponsored_families: bool,
    #[serde(rename = "useDisableSMAdsForUsers")]
    pub use_disable_sm_ads_for_users: bool,
    pub use_phishing_blocker: bool,
    pub use_my_items: bool,
    pub use_invite_links: bool,
    pub self_host: bool,
    pub users_get_premium: bool,
}

impl OrganizationFeatures {
    /// What a Keyfleet organization has: `paid` for Teams and Enterprise plans.
    pub fn keyfleet(paid: bool) -> Self {
        OrganizationFeatures {
            use_policies: paid,
            use_groups: paid,
            use_directory: false,
            use_events: paid,
            use_totp: true,
            use_2fa: true,
            use_api: true,
            use_sso: false,
            use_organization_domains: false,
            use_key_connector: false,
            use_scim: false,
            use_custom_permissions: paid,
            // Account recovery works in every Keyfleet organization (the server checks the
            // policy, not the plan), so the apps must not hide it on a free one.
            use_reset_password: true,
            use_secrets_manager: false,
            use_password_manager: true,
            use_pam: false,
            use_activate_autofill_policy: false,
            use_automatic_user_confirmation: false,
            use_risk_insights: false,
            use_admin_sponsored_families: false,
            use_disable_sm_ads_for_users: true,
            use_phishing_blocker: false,
            use_my_items: false,
            use_invite_links: false,
            self_host: true,
            users_get_premium: true,
        }
    }
}

/// The collection-limit flags both organization shapes carry (Keyfleet: none set; admins reach
/// every item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CollectionLimits {
    pub limit_collection_creation: bool,
    pub limit_collection_deletion: bool,
    pub limit_item_deletion: bool,
    pub allow_admin_access_to_all_collection_items: bool,
}

impl Default for CollectionLimits {
    fn default() -> Self {
        CollectionLimits {
            limit_collection_creation: false,
            limit_collection_deletion: false,
            limit_item_deletion: false,
            allow_admin_access_to_all_collection_items: true,
        }
    }
}

/// `Organization` (`GET/PUT /api/organizations/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationResponse {
    /// Id.
    pub id: String,
    /// SSO identifier (always null).
    pub identifier: Option<String>,
    /// Name.
    pub name: String,
    /// Business name.
    pub business_name: Option<String>,
    /// Billing email.
    pub billing_email: String,
    /// Plan display name.
    pub plan: String,
    /// PlanType number.
    pub plan_type: PlanType,
    /// ProductTierType number.
    pub product_tier_type: ProductTierType,
    /// Seats.
    pub seats: i32,
    /// Always null.
    pub max_autoscale_seats: Option<i32>,
    /// Collection limit (Free plan).
    pub max_collections: Option<i32>,
    /// Storage (GB).
    pub max_storage_gb: i32,
    /// Whether the org has its key pair.
    pub has_public_and_private_keys: bool,
    /// Collection limits.
    #[serde(flatten)]
    pub limits: CollectionLimits,
    /// Whether members can use it.
    pub enabled: bool,
    /// Features.
    #[serde(flatten)]
    pub features: OrganizationFeatures,
    /// `"organization"`.
    pub object: String,
}

/// `ProfileOrganization`: one confirmed membership as sync and `GET /api/organizations` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct ProfileOrganizationResponse {
    pub id: String,
    pub identifier: Option<String>,
    pub name: String,
    /// OrganizationUserStatusType number.
    pub status: OrganizationUserStatus,
    /// OrganizationUserType number.
    #[serde(rename = "type")]
    pub member_type: OrganizationUserType,
    pub enabled: bool,
    /// The org key wrapped to the member's public key.
    pub key: Option<String>,
    pub permissions: Permissions,
    pub user_id: Option<String>,
    /// The membership (null in `profileProviderOrganization`: reached through the provider).
    pub organization_user_id: Option<String>,
    pub seats: i32,
    pub max_collections: Option<i32>,
    pub max_storage_gb: i32,
    pub has_public_and_private_keys: bool,
    pub sso_bound: bool,
    pub reset_password_enrolled: bool,
    pub product_tier_type: ProductTierType,
    pub access_secrets_manager: bool,
    #[serde(flatten)]
    pub limits: CollectionLimits,
    pub user_is_managed_by_organization: bool,
    pub user_is_claimed_by_organization: bool,
    pub key_connector_enabled: bool,
    pub key_connector_url: Option<String>,
    pub sso_enabled: bool,
    pub sso_member_decryption_type: Option<i32>,
    /// Set in `profileProviderOrganization`.
    pub provider_id: Option<String>,
    pub provider_name: Option<String>,
    pub provider_type: Option<ProviderType>,
    pub family_sponsorship_friendly_name: Option<String>,
    pub family_sponsorship_available: bool,
    pub family_sponsorship_last_sync_date: Option<String>,
    pub family_sponsorship_valid_until: Option<String>,
    pub family_sponsorship_to_delete: Option<bool>,
    pub is_admin_initiated: bool,
    #[serde(flatten)]
    pub features: OrganizationFeatures,
    /// `"profileOrganization"`.
    pub object: String,
}

/// `organizationUserUserDetails` (the member list) or `organizationUserDetails` (one member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct OrganizationUserDetailsResponse {
    pub id: String,
    pub user_id: Option<String>,
    /// OrganizationUserType number.
    #[serde(rename = "type")]
    pub member_type: OrganizationUserType,
    /// OrganizationUserStatusType number.
    pub status: OrganizationUserStatus,
    pub name: Option<String>,
    pub email: String,
    pub avatar_color: Option<String>,
    pub two_factor_enabled: bool,
    pub sso_bound: bool,
    pub uses_key_connector: bool,
    pub has_master_password: bool,
    pub reset_password_enrolled: bool,
    pub access_secrets_manager: bool,
    /// Owners and admins reach every collection.
    pub access_all: bool,
    pub permissions: Permissions,
    pub external_id: Option<String>,
    pub collections: Vec<SelectionResponse>,
    /// Group ids.
    pub groups: Vec<String>,
    pub managed_by_organization: bool,
    pub claimed_by_organization: bool,
    pub revocation_reason: Option<RevocationReason>,
    pub creation_date: String,
    /// `"organizationUserUserDetails"` or `"organizationUserDetails"`.
    pub object: String,
}

/// `organizationUserUserMiniDetails` (`/users/mini-details`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct OrganizationUserMiniDetailsResponse {
    pub id: String,
    pub user_id: Option<String>,
    #[serde(rename = "type")]
    pub member_type: OrganizationUserType,
    pub status: OrganizationUserStatus,
    pub name: Option<String>,
    pub email: String,
    /// `"organizationUserUserMiniDetails"`.
    pub object: String,
}

/// The fields every collection answer carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CollectionFields {
    pub id: String,
    pub organization_id: String,
    /// Encrypted with the org key.
    pub name: String,
    pub external_id: Option<String>,
    /// CollectionType: 0 shared.
    #[serde(rename = "type")]
    pub collection_type: i32,
    pub default_user_collection_email: Option<String>,
}

/// `Collection`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CollectionResponse {
    /// The collection.
    #[serde(flatten)]
    pub collection: CollectionFields,
    /// `"collection"`.
    pub object: String,
}

/// `CollectionDetails` (sync, `GET /api/collections`): with the caller's access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CollectionDetailsResponse {
    #[serde(flatten)]
    pub collection: CollectionFields,
    pub read_only: bool,
    pub hide_passwords: bool,
    pub manage: bool,
    /// `"collectionDetails"`.
    pub object: String,
}

/// `CollectionAccessDetails` (admin console): access lists and the caller's own access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct CollectionAccessDetailsResponse {
    #[serde(flatten)]
    pub collection: CollectionFields,
    /// Whether the caller has access of their own.
    pub assigned: bool,
    pub read_only: bool,
    pub hide_passwords: bool,
    pub manage: bool,
    /// Nobody (member or group) manages it.
    pub unmanaged: bool,
    pub users: Vec<SelectionResponse>,
    pub groups: Vec<SelectionResponse>,
    /// `"collectionAccessDetails"`.
    pub object: String,
}

/// The fields every group answer carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct GroupFields {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub external_id: Option<String>,
}

/// `Group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupResponse {
    /// The group.
    #[serde(flatten)]
    pub group: GroupFields,
    /// `"group"`.
    pub object: String,
}

/// `GroupDetails`: with collection access (and member ids, a Keyfleet convenience).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct GroupDetailsResponse {
    #[serde(flatten)]
    pub group: GroupFields,
    pub collections: Vec<SelectionResponse>,
    /// Member (organization user) ids.
    pub users: Vec<String>,
    /// `"groupDetails"`.
    pub object: String,
}

/// `Policy`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct PolicyResponse {
    pub id: String,
    pub organization_id: String,
    /// PolicyType number.
    #[serde(rename = "type")]
    pub policy_type: PolicyType,
    /// The policy's options (shape per type), or null.
    pub data: Option<Value>,
    pub enabled: bool,
    /// Last change (ISO 8601). bw parses it with `new Date(…)` and writes it back with
    /// `toISOString()`, which throws on a missing one once the account has policies.
    #[serde(default)]
    pub revision_date: Option<String>,
    /// `"policy"`.
    pub object: String,
}

/// `Event` (org and provider logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct EventResponse {
    /// EventType number.
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub user_id: Option<String>,
    pub organization_id: Option<String>,
    pub provider_id: Option<String>,
    pub cipher_id: Option<String>,
    pub collection_id: Option<String>,
    pub group_id: Option<String>,
    pub policy_id: Option<String>,
    pub organization_user_id: Option<String>,
    pub provider_user_id: Option<String>,
    pub provider_organization_id: Option<String>,
    pub acting_user_id: Option<String>,
    pub installation_id: Option<String>,
    pub date: String,
    pub device_type: Option<i32>,
    pub ip_address: Option<String>,
    pub system_user: Option<i32>,
    pub domain_name: Option<String>,
    pub secret_id: Option<String>,
    pub project_id: Option<String>,
    pub service_account_id: Option<String>,
    pub granted_service_account_id: Option<String>,
    pub send_id: Option<String>,
    /// `"event"`.
    pub object: String,
}

/// A provider log event: the event with the acting account's email and the event's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderEventResponse {
    /// The event.
    #[serde(flatten)]
    pub event: EventResponse,
    /// Email of the acting account, when it still exists.
    pub acting_user_email: Option<String>,
    /// What happened, in words.
    pub event_name: String,
}

/// One member's result in a bulk member call, organizations and providers alike
/// (`OrganizationBulkConfirmResponseModel`, `providerBulkConfirmResponseModel`): `error` is empty
/// when it worked; a reinvite also answers whether it was mailed and, when it was not, the link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct BulkMemberResponse {
    pub id: String,
    /// Empty, or why this member was not changed.
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub mailed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub invite_url: Option<String>,
    /// The Bitwarden model name of the table's bulk answer.
    pub object: String,
}

impl BulkMemberResponse {
    /// The answer for `id`: worked when `error` is empty.
    pub fn new(id: String, error: String, object: &str) -> Self {
        BulkMemberResponse {
            id,
            error,
            email: None,
            mailed: None,
            token: None,
            invite_url: None,
            object: object.into(),
        }
    }
}

/// An invitation as the inviting admin gets it back: the link only when it was not mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct OrganizationUserInviteResponse {
    pub id: String,
    pub email: Option<String>,
    pub mailed: bool,
    pub token: Option<String>,
    pub invite_url: Option<String>,
    /// `"organizationUserInvite"`.
    pub object: String,
}

/// A member's public key, for confirming (`users/public-keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct OrganizationUserPublicKeyResponse {
    pub id: String,
    pub user_id: String,
    pub key: String,
    /// `"organizationUserPublicKeyResponseModel"`.
    pub object: String,
}

/// `GET /organizations/{id}/public-key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationPublicKeyResponse {
    /// The org's public key.
    pub public_key: Option<String>,
    /// `"organizationPublicKey"`.
    pub object: String,
}

/// `GET …/users/{orgUserId}/reset-password-details`: what the recovering admin's client needs to
/// unwrap the member's user key (with the org private key) and derive a new master key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserResetPasswordDetailsResponse {
    /// The membership.
    pub organization_user_id: String,
    /// The member's KDF type (0 PBKDF2, 1 Argon2id).
    pub kdf: i32,
    /// KDF iterations.
    pub kdf_iterations: i32,
    /// Argon2id memory (MiB).
    pub kdf_memory: Option<i32>,
    /// Argon2id parallelism.
    pub kdf_parallelism: Option<i32>,
    /// The KDF salt: the member's email, trimmed and lower-cased.
    pub master_password_salt: String,
    /// The member's enrolment (type 4 to the org public key).
    pub reset_password_key: String,
    /// The organization's private key under the org key (type 2).
    pub encrypted_private_key: String,
    /// `"organizationUserResetPasswordDetails"`.
    pub object: String,
}

/// The org's key pair (`POST /organizations/{id}/keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationKeysResponse {
    /// Public key.
    pub public_key: Option<String>,
    /// Private key under the org key.
    pub private_key: Option<String>,
    /// `"organizationKeys"`.
    pub object: String,
}

/// An API key as shown once (`api-key`, `rotate-api-key`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyResponse {
    /// The key.
    pub api_key: String,
    /// When it was made.
    pub revision_date: String,
    /// `"apiKey"`.
    pub object: String,
}

/// A member as the organization's public API lists it (`GET /api/public/members`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct PublicMemberResponse {
    pub id: String,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub email: String,
    /// OrganizationUserType number.
    #[serde(rename = "type")]
    pub member_type: OrganizationUserType,
    /// OrganizationUserStatusType number.
    pub status: OrganizationUserStatus,
    pub two_factor_enabled: bool,
    pub external_id: Option<String>,
    pub collections: Vec<SelectionResponse>,
    /// `"member"`.
    pub object: String,
}

/// The token an organization API key logs in with (OAuth snake_case, as the identity service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct OrganizationTokenResponse {
    /// The bearer token for `/api/public/*`.
    pub access_token: String,
    /// Seconds.
    pub expires_in: i64,
    /// `"Bearer"`.
    pub token_type: String,
    /// `"api.organization"`.
    pub scope: String,
}

#[cfg(test)]
mod feature_tests {
    use super::OrganizationFeatures;

    #[test]
    fn account_recovery_is_offered_on_every_plan() {
        // Sync, the profile and org details all answer these flags: a free organization's
        // members see account recovery too, since the server lets its policy work.
        for paid in [false, true] {
            assert!(OrganizationFeatures::keyfleet(paid).use_reset_password);
        }
    }
}
