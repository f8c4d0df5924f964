//! Emergency access (`/api/emergency-access/…`): a grantor names a trusted contact (the grantee)
//! who, after a wait time, may view the grantor's personal vault or take the account over.
//! Shapes as the official server's `EmergencyAccess*RequestModel`s and
//! `EmergencyAccess*ResponseModel`s, which only the web vault reads.

use crate::identity::{MasterPasswordAuthenticationData, MasterPasswordUnlockData};
use crate::kinds::{EmergencyAccessStatusType, EmergencyAccessType};
use crate::vault::CipherDetailsResponse;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST /api/emergency-access/invite`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessInviteRequest {
    /// The grantee's address (they accept with an account of this address).
    pub email: String,
    /// View or Takeover.
    #[serde(rename = "type")]
    pub access_type: EmergencyAccessType,
    /// Days between the grantee's request and its automatic approval.
    pub wait_time_days: i32,
}

/// The answer to `POST /api/emergency-access/invite` and `…/{id}/reinvite`. The official server
/// answers nothing (its web vault reads nothing); Keyfleet, like its organization invitations,
/// hands the link to the grantor when no mail went out (no SMTP), so it can be passed on.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessInviteResponse {
    /// The new emergency access.
    pub id: String,
    /// Whether the invitation went out by mail.
    pub mailed: bool,
    /// The invitation token (only when not mailed).
    pub token: Option<String>,
    /// The accept link (only when not mailed).
    pub link: Option<String>,
    /// `"emergencyAccessInvite"`.
    pub object: String,
}

/// `PUT /api/emergency-access/{id}` (and its `POST` alias).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessUpdateRequest {
    /// View or Takeover.
    #[serde(rename = "type")]
    pub access_type: EmergencyAccessType,
    /// Days between the grantee's request and its automatic approval.
    pub wait_time_days: i32,
    /// A re-wrapped key (key rotation); applied only when the row already holds one.
    #[serde(default)]
    pub key_encrypted: Option<String>,
}

/// `POST /api/emergency-access/{id}/accept`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessAcceptRequest {
    /// The invitation token from the mail link.
    pub token: String,
}

/// `POST /api/emergency-access/{id}/confirm` (the same model as an org confirm).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessConfirmRequest {
    /// The grantor's user key wrapped to the grantee's public key (RSA, type 4).
    pub key: String,
}

/// `POST /api/emergency-access/{id}/password`: the grantor's new master password, set by the
/// grantee's client with the grantor's unchanged user key. Older clients send
/// `newMasterPasswordHash` + `key`, newer ones `authenticationData` + `unlockData`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessPasswordRequest {
    /// New hash (older form).
    #[serde(default)]
    pub new_master_password_hash: Option<String>,
    /// The user key under the new stretched master key (older form).
    #[serde(default)]
    pub key: Option<String>,
    /// Newer form of the hash (with `unlock_data`): the grantor's KDF and salt.
    #[serde(default)]
    pub authentication_data: Option<MasterPasswordAuthenticationData>,
    /// Newer form of the key (with `authentication_data`).
    #[serde(default)]
    pub unlock_data: Option<MasterPasswordUnlockData>,
}

/// A trusted contact as the grantor lists it (`emergencyAccessGranteeDetails`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessGranteeDetailsResponse {
    /// Id.
    pub id: String,
    /// Where it stands.
    pub status: EmergencyAccessStatusType,
    /// View or Takeover.
    #[serde(rename = "type")]
    pub access_type: EmergencyAccessType,
    /// Wait time in days.
    pub wait_time_days: i32,
    /// The grantee's account (`null` until accepted).
    pub grantee_id: Option<String>,
    /// The grantee's name.
    pub name: Option<String>,
    /// The grantee's address (the invited one until accepted).
    pub email: Option<String>,
    /// Avatar colour (Keyfleet keeps none).
    pub avatar_color: Option<String>,
    /// `"emergencyAccessGranteeDetails"`.
    pub object: String,
}

/// Someone who trusts the caller, as the grantee lists it (`emergencyAccessGrantorDetails`):
/// the grantor's name and address, nothing else of them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessGrantorDetailsResponse {
    /// Id.
    pub id: String,
    /// Where it stands.
    pub status: EmergencyAccessStatusType,
    /// View or Takeover.
    #[serde(rename = "type")]
    pub access_type: EmergencyAccessType,
    /// Wait time in days.
    pub wait_time_days: i32,
    /// The grantor's account.
    pub grantor_id: String,
    /// The grantor's name.
    pub name: Option<String>,
    /// The grantor's address.
    pub email: Option<String>,
    /// Avatar colour (Keyfleet keeps none).
    pub avatar_color: Option<String>,
    /// `"emergencyAccessGrantorDetails"`.
    pub object: String,
}

/// `POST /api/emergency-access/{id}/takeover`: what the grantee's client needs to set the
/// grantor's new master password (their KDF and salt, and the wrapped user key).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessTakeoverResponse {
    /// The grantor's user key wrapped to the grantee's public key (type 4).
    pub key_encrypted: String,
    /// The grantor's KDF type.
    pub kdf: i32,
    /// Its iterations.
    pub kdf_iterations: i32,
    /// Argon2id memory (MiB).
    pub kdf_memory: Option<i32>,
    /// Argon2id lanes.
    pub kdf_parallelism: Option<i32>,
    /// The grantor's KDF salt (their address, lower-cased and trimmed).
    pub salt: Option<String>,
    /// `"emergencyAccessTakeover"`.
    pub object: String,
}

/// `POST /api/emergency-access/{id}/view`: the grantor's personal items and the wrapped key
/// that opens them. The server writes it directly (the items are spliced from stored JSON);
/// clients parse it with this type.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessViewResponse {
    /// The grantor's user key wrapped to the grantee's public key (type 4).
    pub key_encrypted: String,
    /// The grantor's personal items (`object: "cipher"`).
    pub ciphers: Vec<CipherDetailsResponse>,
    /// `"emergencyAccessView"`.
    pub object: String,
}
