//! Account endpoints and the sync payload's profile.

use crate::identity::{
    AccountKeys, KdfSettings, MasterPasswordAuthenticationData, MasterPasswordUnlockData,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Body of every "verify it is you" call: the current master password hash (one type for
/// accounts and organizations).
pub use crate::orgs::SecretVerificationRequest;

/// `POST /api/accounts/password`: change the master password (flat form).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRequest {
    /// Current hash.
    pub master_password_hash: String,
    /// New hash.
    pub new_master_password_hash: String,
    /// New hint.
    #[serde(default)]
    pub master_password_hint: Option<String>,
    /// User key re-wrapped under the new stretched master key.
    pub key: String,
}

/// `PUT /api/accounts/update-temp-password`: the member replaces the password an account
/// recovery gave them (no current-password proof, as on the official server: only a session of
/// a user with `forcePasswordReset` may call it).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct UpdateTempPasswordRequest {
    /// New hash (older form; newer clients send `authentication_data`).
    #[serde(default)]
    pub new_master_password_hash: Option<String>,
    /// User key re-wrapped under the new stretched master key (older form; newer clients send
    /// `unlock_data`).
    #[serde(default)]
    pub key: Option<String>,
    /// New hint.
    #[serde(default)]
    pub master_password_hint: Option<String>,
    /// Newer clients' form of the new hash (with `unlock_data`): the KDF and salt stay the
    /// user's own.
    #[serde(default)]
    pub authentication_data: Option<MasterPasswordAuthenticationData>,
    /// Newer clients' form of the new key (with `authentication_data`).
    #[serde(default)]
    pub unlock_data: Option<MasterPasswordUnlockData>,
}

/// `POST /api/accounts/kdf`: change KDF (flat form).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KdfRequest {
    /// New KDF type.
    pub kdf: i32,
    /// New iterations.
    pub kdf_iterations: i32,
    /// New memory.
    #[serde(default)]
    pub kdf_memory: Option<i32>,
    /// New parallelism.
    #[serde(default)]
    pub kdf_parallelism: Option<i32>,
    /// Current hash.
    pub master_password_hash: String,
    /// Hash under the new KDF.
    pub new_master_password_hash: String,
    /// User key re-wrapped.
    pub key: String,
}

/// `PUT /api/accounts/profile`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProfileRequest {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Locale.
    #[serde(default)]
    pub culture: Option<String>,
    /// Hint.
    #[serde(default)]
    pub master_password_hint: Option<String>,
}

/// `POST /api/accounts/key-management/user-key-id`: the SDK's one-time key id backfill.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserKeyIdRequest {
    /// 32 hex characters derived by the client.
    pub user_key_id: String,
}

/// `POST /api/accounts/api-key` / `rotate-api-key` answer: the same shape as an organization's.
pub use crate::org_responses::ApiKeyResponse;

/// `GET /api/users/{id}/public-key`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserKeyResponse {
    /// The user.
    pub user_id: String,
    /// Base64 SPKI.
    pub public_key: String,
    /// `"userKey"`.
    pub object: String,
}

/// `ProfileResponse` (also `sync.profile`). The client logs out if `securityStamp` changes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileResponse {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Email.
    pub email: String,
    /// Always true (no mail verification needed to use the vault).
    pub email_verified: bool,
    /// Premium features are on for everyone on a self-hosted server.
    pub premium: bool,
    /// False.
    pub premium_from_organization: bool,
    /// Locale.
    pub culture: String,
    /// Whether any second factor is enabled.
    pub two_factor_enabled: bool,
    /// User key under the stretched master key.
    pub key: String,
    /// Deprecated copy of the wrapped private key.
    pub private_key: Option<String>,
    /// The SDK refreshes its crypto state from this.
    pub account_keys: Option<AccountKeys>,
    /// Must stay stable between syncs unless credentials changed.
    pub security_stamp: String,
    /// False.
    pub force_password_reset: bool,
    /// False.
    pub uses_key_connector: bool,
    /// Null.
    pub avatar_color: Option<String>,
    /// ISO date.
    pub creation_date: String,
    /// False: a mail-less server never asks for new-device OTPs.
    pub verify_devices: bool,
    /// Confirmed memberships.
    pub organizations: Vec<crate::org_responses::ProfileOrganizationResponse>,
    /// Provider memberships.
    pub providers: Vec<crate::provider_responses::ProfileProviderResponse>,
    /// Organizations reachable through providers.
    pub provider_organizations: Vec<crate::org_responses::ProfileOrganizationResponse>,
    /// `"profile"`.
    pub object: String,
}

/// `sync.userDecryption`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncUserDecryption {
    /// Unlock data.
    pub master_password_unlock: Option<SyncMasterPasswordUnlock>,
    /// Null.
    pub web_authn_prf_options: Option<serde_json::Value>,
    /// Null.
    pub v2_upgrade_token: Option<serde_json::Value>,
    /// The backfilled key id; once present the SDK stops re-posting it.
    pub user_key_id: Option<String>,
}

/// `sync.userDecryption.masterPasswordUnlock`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncMasterPasswordUnlock {
    /// KDF.
    pub kdf: KdfSettings,
    /// User key under the stretched master key.
    pub master_key_encrypted_user_key: String,
    /// The KDF salt.
    pub salt: String,
    /// The user key id, when known.
    pub contained_key_id: Option<String>,
}

/// `domains` (sync and `GET /api/settings/domains`): Keyfleet keeps no equivalent domains.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainsResponse {
    /// Always empty.
    pub equivalent_domains: Vec<Vec<String>>,
    /// Always empty.
    pub global_equivalent_domains: Vec<serde_json::Value>,
    /// `"domains"`.
    pub object: String,
}

impl DomainsResponse {
    /// No equivalent domains.
    pub fn empty() -> Self {
        DomainsResponse {
            equivalent_domains: Vec::new(),
            global_equivalent_domains: Vec::new(),
            object: "domains".into(),
        }
    }
}

/// Everything of `GET /api/sync` but `ciphers`, which the server streams after it (it writes
/// this object, then re-opens it to append the `ciphers` array).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncHeadResponse {
    /// `"sync"`.
    pub object: String,
    /// The profile with organizations and providers.
    pub profile: ProfileResponse,
    /// The folders.
    pub folders: Vec<crate::vault::FolderResponse>,
    /// The collections the user reaches.
    pub collections: Vec<crate::org_responses::CollectionDetailsResponse>,
    /// The policies of the user's organizations.
    pub policies: Vec<crate::org_responses::PolicyResponse>,
    /// The user's Sends (`crate::sends::SendResponse` objects; kept as JSON values here so the
    /// console's generated types need not carry them).
    pub sends: Vec<serde_json::Value>,
    /// Null with `excludeDomains=true`.
    pub domains: Option<DomainsResponse>,
    /// Unlock data.
    pub user_decryption: SyncUserDecryption,
}

/// `GET /api/sync` as clients read it: the head ([`SyncHeadResponse`]) and `ciphers`. The
/// server writes this by hand, streaming the ciphers; clients parse it with this type.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncResponse {
    /// Everything but the items, as the server writes it first.
    #[serde(flatten)]
    pub head: SyncHeadResponse,
    /// Every item the user reads (`object: "cipherDetails"`), written last.
    pub ciphers: Vec<crate::vault::CipherDetailsResponse>,
}
