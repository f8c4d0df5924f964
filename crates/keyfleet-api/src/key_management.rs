//! `POST /api/accounts/key-management/rotate-user-account-keys`: user key rotation as the
//! current clients send it (`RotateUserAccountKeysAndDataRequestModel` of the official server,
//! `src/Api/KeyManagement/Models/Requests/`). The client makes a new user key, re-encrypts every
//! personal item, folder and Send with it and re-wraps it for each way back to it (master key,
//! emergency access grantees, organizations' account recovery, trusted devices); the server
//! stores it all at once.

use crate::devices::OtherDeviceKeysUpdateRequest;
use crate::kinds::EmergencyAccessType;
use crate::sends::SendRequest;
use crate::vault::CipherRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The whole rotation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotateUserAccountKeysRequest {
    /// The current master password hash (the rotation is refused without it).
    pub old_master_key_authentication_hash: String,
    /// Every way back to the new user key.
    pub account_unlock_data: UnlockDataRequest,
    /// The account's key pair: the same public key, the private key wrapped with the new user key.
    pub account_keys: AccountKeysRequest,
    /// Every personal item, folder and Send, re-encrypted.
    pub account_data: AccountDataRequest,
    /// The SDK's id of the new user key (hex), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_user_key_id: Option<String>,
}

/// `UnlockDataRequestModel`: the new user key, wrapped for each unlock path.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnlockDataRequest {
    /// The master password path (KDF and salt must stay as they are).
    pub master_password_unlock_data: MasterPasswordUnlockAndAuthenticationData,
    /// Each emergency access the user grants that holds a key, re-wrapped to its grantee.
    #[serde(default)]
    pub emergency_access_unlock_data: Vec<EmergencyAccessWithIdRequest>,
    /// Each organization the user is enrolled in for account recovery, re-wrapped to its key.
    #[serde(default)]
    pub organization_account_recovery_unlock_data: Vec<OrganizationUserAccountRecoveryRequest>,
    /// Passkey login keys: Keyfleet has no passkey login with PRF, so nothing is kept from it.
    #[serde(default)]
    pub passkey_unlock_data: Vec<Value>,
    /// Trusted devices to keep, each with the new user key wrapped to its public key and that
    /// public key under the new user key; a trusted device left out loses its trust.
    #[serde(default)]
    pub device_key_unlock_data: Vec<OtherDeviceKeysUpdateRequest>,
}

/// `MasterPasswordUnlockAndAuthenticationDataModel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MasterPasswordUnlockAndAuthenticationData {
    /// 0 PBKDF2-SHA256, 1 Argon2id (unchanged).
    pub kdf_type: i32,
    /// Iterations (unchanged).
    pub kdf_iterations: i32,
    /// Argon2id memory in MiB (unchanged).
    #[serde(default)]
    pub kdf_memory: Option<i32>,
    /// Argon2id parallelism (unchanged).
    #[serde(default)]
    pub kdf_parallelism: Option<i32>,
    /// The account's email (the salt when `master_password_salt` is absent).
    pub email: String,
    /// The master password hash from now on (the password may change with the rotation).
    pub master_key_authentication_hash: String,
    /// The new user key wrapped with the stretched master key (type 2).
    pub master_key_encrypted_user_key: String,
    /// The hint from now on.
    #[serde(default)]
    pub master_password_hint: Option<String>,
    /// The salt (unchanged); the email when absent.
    #[serde(default)]
    pub master_password_salt: Option<String>,
    /// The SDK's id of the key inside `master_key_encrypted_user_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contained_key_id: Option<String>,
}

/// `AccountKeysRequestModel`. Only version-1 accounts (an RSA key pair, no signing key) exist
/// in Keyfleet, so the version-2 objects are refused when present.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountKeysRequest {
    /// The private key (PKCS#8) wrapped with the new user key (type 2).
    pub user_key_encrypted_account_private_key: String,
    /// The account's public key (base64 SPKI), which must not change.
    pub account_public_key: String,
    /// Version-2 key pair object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_encryption_key_pair: Option<Value>,
    /// Version-2 signing key pair.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_key_pair: Option<Value>,
    /// Version-2 security state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_state: Option<Value>,
}

/// `AccountDataRequestModel`: exactly the account's personal items, folders and Sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDataRequest {
    /// Every personal item (trash included), re-encrypted.
    #[serde(default)]
    pub ciphers: Vec<CipherWithIdRequest>,
    /// Every folder, its name re-encrypted.
    #[serde(default)]
    pub folders: Vec<FolderWithIdRequest>,
    /// Every Send, its key re-wrapped.
    #[serde(default)]
    pub sends: Vec<SendWithIdRequest>,
}

/// `CipherWithIdRequestModel`: a cipher request naming the item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CipherWithIdRequest {
    /// The item.
    pub id: String,
    /// Its content, encrypted with the new user key (or its own key, re-wrapped).
    #[serde(flatten)]
    pub cipher: CipherRequest,
}

/// `FolderWithIdRequestModel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderWithIdRequest {
    /// The folder.
    pub id: String,
    /// Its name encrypted with the new user key.
    pub name: String,
}

/// `SendWithIdRequestModel`. Of a Send only `key` changes in a rotation: everything else is
/// encrypted with the Send's own key, which stays.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendWithIdRequest {
    /// The Send.
    pub id: String,
    /// The Send as the clients send it.
    #[serde(flatten)]
    pub send: SendRequest,
}

/// `EmergencyAccessWithIdRequestModel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyAccessWithIdRequest {
    /// The emergency access (the user is its grantor).
    pub id: String,
    /// View or Takeover (sent by the clients; a rotation does not change it).
    #[serde(rename = "type")]
    pub access_type: EmergencyAccessType,
    /// Wait time (sent by the clients; a rotation does not change it).
    pub wait_time_days: i32,
    /// The new user key wrapped to the grantee's public key (type 4).
    pub key_encrypted: Option<String>,
}

/// `OrganizationUserAccountRecoveryRequestModel`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationUserAccountRecoveryRequest {
    /// An organization the user is enrolled in.
    pub organization_id: String,
    /// The new user key wrapped to the organization's public key (type 4).
    pub reset_password_key: Option<String>,
}
