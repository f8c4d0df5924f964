//! `/api/devices/…` and `/api/auth-requests/…`: the devices a user logged in from, and "log in
//! with a device" (Bitwarden's auth requests), as the official clients send and read them.

use serde::{Deserialize, Serialize};

/// A login request waiting on one of the device's answers (`devicePendingAuthRequest`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingAuthRequestResponse {
    /// The request's id.
    pub id: String,
    /// When it was made (ISO 8601, UTC).
    pub creation_date: String,
}

/// Bitwarden's `DeviceAuthRequestResponseModel` (`object: "device"`): what the web vault's and
/// the apps' device lists show, with the device's trusted-device keys when it has them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceResponse {
    /// Device id.
    pub id: String,
    /// Name the client gave (`linux`, `chrome`, …).
    pub name: String,
    /// DeviceType number (25: Linux CLI).
    #[serde(rename = "type")]
    pub device_type: i32,
    /// The client's stable identifier (its app id).
    pub identifier: String,
    /// First login from it.
    pub creation_date: String,
    /// Its latest login.
    pub last_activity_date: Option<String>,
    /// Whether it holds trusted-device keys.
    pub is_trusted: bool,
    /// Trusted-device encryption: the user key wrapped to the device's public key.
    pub encrypted_user_key: Option<String>,
    /// Trusted-device encryption: the device's public key under the user key.
    pub encrypted_public_key: Option<String>,
    /// The most recent pending login request from this device (lists only).
    #[serde(default)]
    pub device_pending_auth_request: Option<PendingAuthRequestResponse>,
    /// Always `"device"`.
    pub object: String,
}

/// `PUT /api/devices/{id}` (and its `POST` alias): Bitwarden's `DeviceRequestModel`. Only the
/// name changes: a device's type and identifier are what its logins say.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRequest {
    /// New name.
    pub name: String,
    /// DeviceType number (ignored).
    #[serde(default, rename = "type")]
    pub device_type: Option<i32>,
    /// Identifier (ignored).
    #[serde(default)]
    pub identifier: Option<String>,
    /// Push token (ignored: no push relay).
    #[serde(default)]
    pub push_token: Option<String>,
}

/// `POST /api/auth-requests`: a logged-out device asks to log in with another device's help
/// (Bitwarden's `AuthRequestCreateRequestModel`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequestCreateRequest {
    /// The account's email.
    pub email: String,
    /// Base64 SPKI of a fresh RSA-2048 key the approving device wraps the user key to.
    pub public_key: String,
    /// The requesting device's identifier (must be a device the account already used).
    pub device_identifier: String,
    /// A secret the requester keeps (clients make 25 characters); it reads the answer and logs
    /// in with it.
    pub access_code: String,
    /// AuthRequestType number (0 log in and unlock, 1 unlock at `/auth-requests`; 2, admin
    /// approval, at `/auth-requests/admin-request` only).
    #[serde(rename = "type")]
    pub request_type: i32,
}

/// `PUT /api/auth-requests/{id}`: the logged-in device's answer (`AuthRequestUpdateRequestModel`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequestUpdateRequest {
    /// The user key wrapped to the request's public key (type-4 EncString); older clients sent
    /// the master key so wrapped. Required when approving.
    #[serde(default)]
    pub key: Option<String>,
    /// Older clients: the master password hash wrapped to the request's key (kept opaque).
    #[serde(default)]
    pub master_password_hash: Option<String>,
    /// The approving device's identifier (one of the approver's devices).
    pub device_identifier: String,
    /// Approve or deny.
    pub request_approved: bool,
}

/// Bitwarden's `AuthRequestResponseModel` (`object: "auth-request"`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthRequestResponse {
    /// Request id.
    pub id: String,
    /// The requester's public key (base64 SPKI): both devices show its fingerprint phrase.
    pub public_key: String,
    /// The requesting device's identifier.
    pub request_device_identifier: String,
    /// Its DeviceType number.
    pub request_device_type_value: i32,
    /// Its DeviceType's display name (`Linux CLI`).
    pub request_device_type: String,
    /// The address the request came from.
    pub request_ip_address: String,
    /// Not looked up: always null.
    pub request_country_name: Option<String>,
    /// The wrapped key, once approved.
    pub key: Option<String>,
    /// The older clients' wrapped master password hash, once approved.
    pub master_password_hash: Option<String>,
    /// When it was made (ISO 8601, UTC, `Z`): clients compute expiry from it.
    pub creation_date: String,
    /// When it was answered; null while pending.
    pub response_date: Option<String>,
    /// Approved (false while pending and when denied; `responseDate` tells them apart).
    pub request_approved: bool,
    /// The vault's URL.
    pub origin: String,
    /// The id of the device the request came from (`/pending` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_device_id: Option<String>,
    /// Always `"auth-request"`.
    pub object: String,
}

/// Bitwarden's `PendingOrganizationAuthRequestResponseModel` (`object:
/// "pending-org-auth-request"`): an admin approval request in `GET
/// /api/organizations/{orgId}/auth-requests`. The administrator's client shows the fingerprint
/// phrase of `email` and `publicKey`, as the member's device does.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingOrganizationAuthRequestResponse {
    /// Request id.
    pub id: String,
    /// The requesting member's account.
    pub user_id: String,
    /// Their membership of the organization (its `reset-password-details` give the key).
    pub organization_user_id: String,
    /// Their email.
    pub email: String,
    /// The requesting device's public key (base64 SPKI).
    pub public_key: String,
    /// The requesting device's identifier.
    pub request_device_identifier: String,
    /// Its DeviceType's display name (`Linux CLI`).
    pub request_device_type: String,
    /// The address the request came from.
    pub request_ip_address: String,
    /// Not looked up: always null.
    pub request_country_name: Option<String>,
    /// When it was made (ISO 8601, UTC).
    pub creation_date: String,
    /// Always `"pending-org-auth-request"`.
    pub object: String,
}

/// `POST /api/organizations/{orgId}/auth-requests/{requestId}` (Bitwarden's
/// `AdminAuthRequestUpdateRequestModel`): an administrator's answer to one request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminAuthRequestUpdateRequest {
    /// The member's user key wrapped to the request's public key (type-4 EncString); required
    /// when approving.
    #[serde(default)]
    pub encrypted_user_key: Option<String>,
    /// Approve or deny.
    pub request_approved: bool,
}

/// One entry of `POST /api/organizations/{orgId}/auth-requests` (a JSON array of these:
/// Bitwarden's `OrganizationAuthRequestUpdateManyRequestModel`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationAuthRequestUpdateManyRequest {
    /// Request id.
    pub id: String,
    /// The member's user key wrapped to the request's public key (approvals).
    #[serde(default)]
    pub key: Option<String>,
    /// Approve or deny.
    pub approved: bool,
}

/// `POST /api/organizations/{orgId}/auth-requests/deny` (Bitwarden's
/// `BulkDenyAdminAuthRequestRequestModel`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkDenyAdminAuthRequestRequest {
    /// Request ids.
    pub ids: Vec<String>,
}

/// `PUT /api/devices/{identifier}/keys` (and its `POST` alias): Bitwarden's
/// `DeviceKeysRequestModel`, a device's trusted-device keys (all ciphertext).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceKeysRequest {
    /// The user key wrapped to the device's public key (type-4 EncString).
    pub encrypted_user_key: String,
    /// The device's public key under the user key (type-2 EncString).
    pub encrypted_public_key: String,
    /// The device's private key under the device's own key (type-2 EncString).
    pub encrypted_private_key: String,
}

/// `POST /api/devices/{identifier}/retrieve-keys`: Bitwarden's `ProtectedDeviceResponseModel`
/// (`object: "protectedDevice"`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtectedDeviceResponse {
    /// Device id.
    pub id: String,
    /// Name.
    pub name: String,
    /// DeviceType number.
    #[serde(rename = "type")]
    pub device_type: i32,
    /// The client's identifier.
    pub identifier: String,
    /// First login from it.
    pub creation_date: String,
    /// The user key wrapped to the device's public key; null when not trusted.
    pub encrypted_user_key: Option<String>,
    /// The device's public key under the user key; null when not trusted.
    pub encrypted_public_key: Option<String>,
    /// Always `"protectedDevice"`.
    pub object: String,
}

/// `POST /api/devices/untrust` (Bitwarden's `UntrustDevicesRequestModel`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UntrustDevicesRequest {
    /// Device ids (the caller's own).
    pub devices: Vec<String>,
}

/// Bitwarden's `DeviceKeysUpdateRequestModel`: a trusted device's keys re-wrapped after the
/// user key changed. The device's private key (under the device's own key) stays as it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceKeysUpdateRequest {
    /// The device's public key under the new user key (type-2 EncString).
    pub encrypted_public_key: String,
    /// The new user key wrapped to the device's public key (type-4 EncString).
    pub encrypted_user_key: String,
}

/// Bitwarden's `OtherDeviceKeysUpdateRequestModel`: [`DeviceKeysUpdateRequest`] for a device
/// named by id (`otherDevices` of `update-trust`, `deviceKeyUnlockData` of a key rotation).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherDeviceKeysUpdateRequest {
    /// The device's id (not its identifier).
    pub device_id: String,
    /// The device's public key under the new user key (type-2 EncString).
    pub encrypted_public_key: String,
    /// The new user key wrapped to the device's public key (type-4 EncString).
    pub encrypted_user_key: String,
}

/// `POST /api/devices/update-trust` (Bitwarden's `UpdateDevicesTrustRequestModel`, a
/// `SecretVerificationRequestModel`): after a user verification, the calling device
/// (`Device-Identifier` header) and the listed other devices get re-wrapped keys; every other
/// trusted device loses its trust. The official web vault sends it after a key rotation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDevicesTrustRequest {
    /// The caller's master password hash (Keyfleet verifies users by master password only).
    #[serde(default, alias = "MasterPasswordHash")]
    pub master_password_hash: Option<String>,
    /// The calling device's new keys.
    pub current_device: DeviceKeysUpdateRequest,
    /// Other trusted devices to keep, with their new keys.
    #[serde(default)]
    pub other_devices: Option<Vec<OtherDeviceKeysUpdateRequest>>,
}
