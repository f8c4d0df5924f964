//! Organization wire types: organizations, members, collections, groups, policies, events.
//! Requests are typed (clients send camelCase; unknown fields are ignored as the official server
//! does). Large responses that clients only read are built by the server's views.

use crate::identity::{MasterPasswordAuthenticationData, MasterPasswordUnlockData};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use utoipa::ToSchema;

/// `{publicKey, encryptedPrivateKey}`: the org key pair (private key under the org key).
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationKeysRequest {
    /// Base64 SPKI.
    pub public_key: String,
    /// Type-2 EncString under the org key.
    pub encrypted_private_key: String,
}

/// `POST /api/organizations`: the web vault's create form (billing fields ignored).
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationCreateRequest {
    /// Display name.
    pub name: String,
    /// Business name.
    #[serde(default)]
    pub business_name: Option<String>,
    /// Billing contact.
    pub billing_email: String,
    /// PlanType number.
    #[serde(default)]
    pub plan_type: i32,
    /// The org key wrapped to the creator's public key (type 4).
    pub key: String,
    /// The org key pair.
    #[serde(default)]
    pub keys: Option<OrganizationKeysRequest>,
    /// Name of the first collection, under the org key.
    #[serde(default)]
    pub collection_name: Option<String>,
    /// Seats bought on top of the plan's base (Keyfleet: the seat count of paid plans).
    #[serde(default)]
    pub additional_seats: Option<i32>,
}

/// `PUT /api/organizations/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUpdateRequest {
    /// Display name.
    pub name: String,
    /// Business name.
    #[serde(default)]
    pub business_name: Option<String>,
    /// Billing contact.
    #[serde(default)]
    pub billing_email: Option<String>,
    /// Keys, for an org created without them.
    #[serde(default)]
    pub keys: Option<OrganizationKeysRequest>,
}

/// `POST /api/organizations/{id}/subscription`: change the seat count by a delta.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationSeatRequest {
    /// Seats to add (negative to remove).
    pub seat_adjustment: i32,
}

/// `{id, readOnly, hidePasswords, manage}` (`SelectionReadOnlyRequestModel`): access of a member
/// or group to a collection, or of a collection for a member/group.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
pub struct SelectionReadOnly {
    /// Collection, member or group id.
    pub id: String,
    /// May not change items.
    #[serde(default)]
    pub read_only: bool,
    /// May not see passwords.
    #[serde(default)]
    pub hide_passwords: bool,
    /// May manage.
    #[serde(default)]
    pub manage: bool,
}

/// `POST /api/organizations/{id}/users/invite`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserInviteRequest {
    /// Addresses to invite.
    pub emails: Vec<String>,
    /// OrganizationUserType number.
    #[serde(rename = "type")]
    pub member_type: i32,
    /// Custom permissions.
    #[serde(default)]
    pub permissions: Option<Value>,
    /// Direct collection access.
    #[serde(default)]
    pub collections: Vec<SelectionReadOnly>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<String>,
}

/// `PUT /api/organizations/{id}/users/{orgUserId}`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserUpdateRequest {
    /// OrganizationUserType number.
    #[serde(rename = "type")]
    pub member_type: i32,
    /// Custom permissions.
    #[serde(default)]
    pub permissions: Option<Value>,
    /// Direct collection access.
    #[serde(default)]
    pub collections: Vec<SelectionReadOnly>,
    /// Groups; absent means "leave them as they are" (the web vault leaves them out when its
    /// user may not change them), unlike an empty list.
    #[serde(default)]
    pub groups: Option<Vec<String>>,
}

/// `POST …/users/{orgUserId}/accept`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct OrganizationUserAcceptRequest {
    /// The invitation token from the link.
    pub token: String,
    /// The web vault's automatic account recovery enrolment: the user key wrapped to the org
    /// public key (type 4), sent when the org's Account recovery policy enrols automatically.
    #[serde(default)]
    pub reset_password_key: Option<String>,
}

/// `PUT …/users/{userId}/reset-password-enrollment` (the member's own USER id): enrol in account
/// recovery with the user key wrapped to the org public key, or withdraw with `null`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserResetPasswordEnrollmentRequest {
    /// Type-4 EncString of the 64-byte user key (RSA-OAEP-SHA1 to the org public key);
    /// `null` or empty withdraws.
    #[serde(default)]
    pub reset_password_key: Option<String>,
    /// The member's master password hash (checked when enrolling).
    #[serde(default)]
    pub master_password_hash: Option<String>,
}

/// `PUT …/users/{orgUserId}/recover-account` (and `…/reset-password`): the web vault's
/// "Recover account" with the new password's hash and the user key re-wrapped under it.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserResetPasswordRequest {
    /// Set a new master password (older clients omit it: they only reset passwords).
    #[serde(default = "yes")]
    pub reset_master_password: bool,
    /// Remove the member's two-step login providers.
    #[serde(default)]
    pub reset_two_factor: bool,
    /// The new master password hash (client-side PBKDF2 of the new master key).
    #[serde(default)]
    pub new_master_password_hash: Option<String>,
    /// The member's user key under the new stretched master key (type 2).
    #[serde(default)]
    pub key: Option<String>,
    /// Newer clients' form of the new hash (with `unlock_data`, instead of the two above):
    /// the KDF and salt must be the member's own.
    #[serde(default)]
    pub authentication_data: Option<MasterPasswordAuthenticationData>,
    /// Newer clients' form of the new key (with `authentication_data`).
    #[serde(default)]
    pub unlock_data: Option<MasterPasswordUnlockData>,
}

fn yes() -> bool {
    true
}

/// `POST …/users/{orgUserId}/confirm`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserConfirmRequest {
    /// The org key wrapped to the member's public key (type 4).
    pub key: String,
    /// Name of the member's default collection (unused by Keyfleet; accepted).
    #[serde(default)]
    pub default_user_collection_name: Option<String>,
}

/// One `{id, key}` of a bulk confirm.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyedId {
    /// Member id.
    pub id: String,
    /// Wrapped key.
    pub key: String,
}

/// `POST …/users/confirm`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserBulkConfirmRequest {
    /// Members and their wrapped keys.
    pub keys: Vec<KeyedId>,
}

/// `{ids}` for bulk member calls (reinvite, revoke, restore, remove, public-keys).
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserBulkRequest {
    /// Member ids.
    pub ids: Vec<String>,
}

/// `POST/PUT /api/organizations/{id}/collections[/{id}]`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct CollectionRequest {
    /// Name under the org key.
    pub name: String,
    /// Directory id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Group access.
    #[serde(default)]
    pub groups: Vec<SelectionReadOnly>,
    /// Member access.
    #[serde(default)]
    pub users: Vec<SelectionReadOnly>,
}

/// `POST/PUT /api/organizations/{id}/groups[/{id}]`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct GroupRequest {
    /// Name (plain text by protocol).
    pub name: String,
    /// Directory id.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Collection access.
    #[serde(default)]
    pub collections: Vec<SelectionReadOnly>,
    /// Member ids.
    #[serde(default)]
    pub users: Vec<String>,
}

/// `PUT /api/organizations/{id}/policies/{type}`. The current web vault and SDK send Bitwarden's
/// `SavePolicyRequest`, `{"policy": {"enabled", "data"}, "metadata": null | {…}}` (the official
/// server takes only that since 2026-04); older tools send the flat `{"enabled", "data"}` (with
/// a `type` the path already gives). Both read into this one value; it is written in the
/// current shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyRequest {
    /// On or off.
    pub enabled: bool,
    /// Type-specific settings.
    pub data: Option<Value>,
    /// `SavePolicyRequest.metadata` (only the organization data ownership policy sends any).
    pub metadata: Option<Value>,
}

/// The policy itself, as both shapes carry it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct PolicyFields {
    /// On or off.
    pub enabled: bool,
    /// Type-specific settings.
    #[serde(default)]
    pub data: Option<Value>,
}

/// `SavePolicyRequest`, the shape [`PolicyRequest`] is written in (what the console sends).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct SavePolicyRequest {
    /// The policy.
    pub policy: PolicyFields,
    /// Only the organization data ownership policy sends any.
    #[serde(default)]
    pub metadata: Option<Value>,
}

impl<'de> Deserialize<'de> for PolicyRequest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut body = serde_json::Map::<String, Value>::deserialize(d)?;
        // The current shape names its one policy `policy`; the older one has `enabled` at the top.
        if body.contains_key("policy") {
            let saved: SavePolicyRequest =
                serde_json::from_value(Value::Object(body)).map_err(D::Error::custom)?;
            return Ok(PolicyRequest {
                enabled: saved.policy.enabled,
                data: saved.policy.data,
                metadata: saved.metadata,
            });
        }
        body.remove("type");
        let flat: PolicyFields =
            serde_json::from_value(Value::Object(body)).map_err(D::Error::custom)?;
        Ok(PolicyRequest {
            enabled: flat.enabled,
            data: flat.data,
            metadata: None,
        })
    }
}

impl Serialize for PolicyRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        SavePolicyRequest {
            policy: PolicyFields {
                enabled: self.enabled,
                data: self.data.clone(),
            },
            metadata: self.metadata.clone(),
        }
        .serialize(s)
    }
}

/// `POST /api/ciphers/bulk-collections` (`CipherBulkUpdateCollectionsRequestModel`): the admin
/// console's "assign to collections" for many items.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CipherBulkUpdateCollectionsRequest {
    /// The organization of every item.
    pub organization_id: String,
    /// The items.
    pub cipher_ids: Vec<String>,
    /// The collections to add (or take away).
    pub collection_ids: Vec<String>,
    /// Take the collections away instead of adding them.
    #[serde(default)]
    pub remove_collections: bool,
}

/// `PUT /api/ciphers/{id}/share`: a personal item re-encrypted with the org key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CipherShareRequest {
    /// The item, `organizationId` set.
    pub cipher: crate::vault::CipherRequest,
    /// Collections it goes into.
    #[serde(default)]
    pub collection_ids: Vec<String>,
}

/// One item of a bulk share: the item and its id.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CipherWithIdRequest {
    /// The item's id.
    pub id: String,
    /// The item, re-encrypted with the org key.
    #[serde(flatten)]
    pub cipher: crate::vault::CipherRequest,
}

/// `PUT /api/ciphers/share`: several personal items into an organization at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CipherBulkShareRequest {
    /// The items.
    pub ciphers: Vec<CipherWithIdRequest>,
    /// Collections they all go into.
    #[serde(default)]
    pub collection_ids: Vec<String>,
}

/// `PUT /api/ciphers/{id}/collections[_v2]`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CipherCollectionsRequest {
    /// The collections the item should be in.
    #[serde(default)]
    pub collection_ids: Vec<String>,
}

/// One client-reported event for `POST /events/collect`.
#[derive(Debug, Clone, Serialize, Deserialize, Default, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct EventCollectRequest {
    /// EventType number.
    #[serde(rename = "type")]
    pub event_type: i32,
    /// Item concerned.
    #[serde(default)]
    pub cipher_id: Option<String>,
    /// When (client clock).
    #[serde(default)]
    pub date: Option<String>,
    /// Organization concerned.
    #[serde(default)]
    pub organization_id: Option<String>,
}

/// `GET /api/organizations/{org}/policies/token?token=&email=&organizationUserId=`: the invitation
/// the web vault reads the organization's policies with before accepting it (anonymous).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoliciesByInviteQuery {
    /// The invitation token from the link.
    #[serde(default)]
    pub token: Option<String>,
    /// The invited address.
    #[serde(default)]
    pub email: Option<String>,
    /// The invited membership.
    #[serde(default)]
    pub organization_user_id: Option<String>,
}

/// `?start&end&continuationToken` of the event lists (org, member, item, public API, provider):
/// ISO 8601 dates, and the cursor from the previous page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS, ToSchema)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct EventRangeQuery {
    /// Oldest event to include (ISO 8601).
    #[serde(default)]
    pub start: Option<String>,
    /// Newest event to include (ISO 8601).
    #[serde(default)]
    pub end: Option<String>,
    /// `continuationToken` of the previous page.
    #[serde(default)]
    pub continuation_token: Option<String>,
}

/// `{masterPasswordHash}` (`SecretVerificationRequestModel`): the password re-check of org
/// deletion, leaving, and viewing or rotating the org API key.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct SecretVerificationRequest {
    /// The caller's master password hash.
    #[serde(default, alias = "MasterPasswordHash")]
    pub master_password_hash: Option<String>,
}

/// Custom permissions (`permissions` on the wire); only meaningful for Custom members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Permissions {
    /// Read the event log.
    pub access_event_logs: bool,
    /// Import and export.
    pub access_import_export: bool,
    /// Reports.
    pub access_reports: bool,
    /// Create collections.
    pub create_new_collections: bool,
    /// Edit every collection.
    pub edit_any_collection: bool,
    /// Delete every collection.
    pub delete_any_collection: bool,
    /// Manage groups.
    pub manage_groups: bool,
    /// Manage policies.
    pub manage_policies: bool,
    /// Manage SSO.
    pub manage_sso: bool,
    /// Manage members.
    pub manage_users: bool,
    /// Account recovery.
    pub manage_reset_password: bool,
    /// SCIM.
    pub manage_scim: bool,
}

impl Permissions {
    /// Parses stored or sent permissions; anything unreadable means no permissions.
    pub fn parse(json: &str) -> Permissions {
        serde_json::from_str(json).unwrap_or_default()
    }

    /// As stored.
    pub fn to_json(self) -> String {
        serde_json::to_string(&self).unwrap_or_else(|_| "{}".into())
    }

    fn flags(self) -> [bool; 12] {
        [
            self.access_event_logs,
            self.access_import_export,
            self.access_reports,
            self.create_new_collections,
            self.edit_any_collection,
            self.delete_any_collection,
            self.manage_groups,
            self.manage_policies,
            self.manage_sso,
            self.manage_users,
            self.manage_reset_password,
            self.manage_scim,
        ]
    }

    /// Whether every permission in `other` is also in `self` (nobody hands out more).
    pub fn covers(self, other: Permissions) -> bool {
        self.flags()
            .into_iter()
            .zip(other.flags())
            .all(|(mine, theirs)| mine || !theirs)
    }
}
