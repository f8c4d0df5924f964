//! Identity service: prelogin, registration and `/identity/connect/token`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST /identity/accounts/prelogin[/password]` body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreloginRequest {
    /// The email as typed.
    #[serde(alias = "Email")]
    pub email: String,
}

/// KDF parameters in the nested form (`kdfSettings`, `MasterPasswordUnlock.Kdf` is PascalCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KdfSettings {
    /// 0 = PBKDF2-SHA256, 1 = Argon2id.
    #[serde(alias = "KdfType")]
    pub kdf_type: i32,
    /// PBKDF2 iterations or Argon2 time cost.
    #[serde(alias = "Iterations")]
    pub iterations: i32,
    /// Argon2 memory in MiB.
    #[serde(alias = "Memory", default)]
    pub memory: Option<i32>,
    /// Argon2 lanes.
    #[serde(alias = "Parallelism", default)]
    pub parallelism: Option<i32>,
}

/// Prelogin answer: both the flat fields (old clients) and `kdfSettings` (bw 2026.9 requires it).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreloginResponse {
    /// KDF type.
    pub kdf: i32,
    /// KDF iterations.
    pub kdf_iterations: i32,
    /// Argon2 memory (MiB).
    pub kdf_memory: Option<i32>,
    /// Argon2 parallelism.
    pub kdf_parallelism: Option<i32>,
    /// Nested form read by current clients.
    pub kdf_settings: KdfSettings,
    /// The KDF salt: the trimmed, lower-cased email.
    pub salt: Option<String>,
}

/// The account's RSA pair as sent at registration.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeysRequest {
    /// Base64 SPKI DER.
    #[serde(alias = "PublicKey")]
    pub public_key: String,
    /// Type-2 EncString of the PKCS#8 private key under the user key.
    #[serde(alias = "EncryptedPrivateKey")]
    pub encrypted_private_key: String,
}

/// New nested form: how to authenticate with the master password.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MasterPasswordAuthenticationData {
    /// KDF used.
    pub kdf: KdfSettings,
    /// The master password hash.
    pub master_password_authentication_hash: String,
    /// The KDF salt.
    pub salt: String,
}

/// New nested form: how to unlock with the master password.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MasterPasswordUnlockData {
    /// KDF used.
    pub kdf: KdfSettings,
    /// User key under the stretched master key (type 2).
    pub master_key_wrapped_user_key: String,
    /// The KDF salt.
    pub salt: String,
}

/// `POST /identity/accounts/register/send-verification-email` body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendVerificationEmailRequest {
    /// Email to register.
    pub email: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Ignored.
    #[serde(default)]
    pub receive_marketing_emails: Option<bool>,
}

/// `POST /identity/accounts/register/finish` body; accepts the flat and the nested forms.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterFinishRequest {
    /// Email.
    pub email: String,
    /// Token from send-verification-email.
    #[serde(default)]
    pub email_verification_token: Option<String>,
    /// Instead of the email token: an organization invitation's token (with
    /// `organizationUserId`), which also works when open registration is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_invite_token: Option<String>,
    /// The invited organization membership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_user_id: Option<String>,
    /// Instead of the email token: an emergency access invitation's token (with
    /// `acceptEmergencyAccessId`), as the web vault sends it when a trusted contact registers
    /// from the invitation link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_emergency_access_invite_token: Option<String>,
    /// The emergency access the invitation is to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_emergency_access_id: Option<String>,
    /// Instead of the email token: a provider invitation's token (with `providerUserId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_invite_token: Option<String>,
    /// The invited provider membership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_user_id: Option<String>,
    /// Display name (Keyfleet extension; official takes it from the verification step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Flat form: master password hash.
    #[serde(default)]
    pub master_password_hash: Option<String>,
    /// Password hint (stored as sent).
    #[serde(default)]
    pub master_password_hint: Option<String>,
    /// Flat form: user key under the stretched master key.
    #[serde(default)]
    pub user_symmetric_key: Option<String>,
    /// RSA pair.
    #[serde(default)]
    pub user_asymmetric_keys: Option<KeysRequest>,
    /// Flat form KDF type.
    #[serde(default)]
    pub kdf: Option<i32>,
    /// Flat form iterations.
    #[serde(default)]
    pub kdf_iterations: Option<i32>,
    /// Flat form memory.
    #[serde(default)]
    pub kdf_memory: Option<i32>,
    /// Flat form parallelism.
    #[serde(default)]
    pub kdf_parallelism: Option<i32>,
    /// Nested form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_password_authentication: Option<MasterPasswordAuthenticationData>,
    /// Nested form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_password_unlock: Option<MasterPasswordUnlockData>,
}

/// Legacy `POST /identity/accounts/register` body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    /// Email.
    pub email: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Master password hash.
    pub master_password_hash: String,
    /// Password hint.
    #[serde(default)]
    pub master_password_hint: Option<String>,
    /// User key under the stretched master key.
    pub key: String,
    /// RSA pair.
    pub keys: Option<KeysRequest>,
    /// KDF type.
    pub kdf: i32,
    /// Iterations.
    pub kdf_iterations: i32,
    /// Memory (MiB).
    #[serde(default)]
    pub kdf_memory: Option<i32>,
    /// Parallelism.
    #[serde(default)]
    pub kdf_parallelism: Option<i32>,
}

/// Body of registration responses.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RegisterFinishResponse {
    /// `"registerFinish"`.
    pub object: String,
}

/// `AccountKeys` / `accountKeys`: the inner keys must be exact camelCase (the SDK reads them so).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountKeys {
    /// The RSA pair.
    pub public_key_encryption_key_pair: PublicKeyEncryptionKeyPair,
    /// V2 accounts only; null otherwise.
    pub signature_key_pair: Option<serde_json::Value>,
    /// V2 accounts only; null otherwise.
    pub security_state: Option<serde_json::Value>,
    /// `"privateKeys"`.
    pub object: String,
}

/// The RSA pair inside [`AccountKeys`].
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyEncryptionKeyPair {
    /// Private key under the user key (type 2).
    pub wrapped_private_key: String,
    /// Base64 SPKI.
    pub public_key: String,
    /// V2 only.
    pub signed_public_key: Option<String>,
    /// `"publicKeyEncryptionKeyPair"`.
    pub object: String,
}

impl AccountKeys {
    /// A V1 account's keys.
    pub fn v1(wrapped_private_key: String, public_key: String) -> Self {
        AccountKeys {
            public_key_encryption_key_pair: PublicKeyEncryptionKeyPair {
                wrapped_private_key,
                public_key,
                signed_public_key: None,
                object: "publicKeyEncryptionKeyPair".into(),
            },
            signature_key_pair: None,
            security_state: None,
            object: "privateKeys".into(),
        }
    }
}

/// KDF block inside `UserDecryptionOptions` (PascalCase on the identity service).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityKdf {
    /// KDF type.
    pub kdf_type: i32,
    /// Iterations.
    pub iterations: i32,
    /// Memory.
    pub memory: Option<i32>,
    /// Parallelism.
    pub parallelism: Option<i32>,
}

/// `UserDecryptionOptions.MasterPasswordUnlock`; bw 2026.9 refuses a login without it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityMasterPasswordUnlock {
    /// KDF.
    pub kdf: IdentityKdf,
    /// User key under the stretched master key.
    pub master_key_encrypted_user_key: String,
    /// Same value; mobile clients read this name.
    pub master_key_wrapped_user_key: String,
    /// The KDF salt.
    pub salt: String,
}

/// `UserDecryptionOptions` of the token response.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "PascalCase")]
pub struct UserDecryptionOptions {
    /// Always true for Keyfleet accounts.
    pub has_master_password: bool,
    /// Unlock data.
    pub master_password_unlock: Option<IdentityMasterPasswordUnlock>,
    /// `"userDecryptionOptions"`.
    pub object: String,
}

/// Successful password / client_credentials grant.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TokenResponse {
    /// JWT.
    pub access_token: String,
    /// Seconds.
    pub expires_in: i64,
    /// `"Bearer"`.
    pub token_type: String,
    /// Present for the password grant.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub refresh_token: Option<String>,
    /// Granted scope.
    pub scope: String,
    /// User key under the stretched master key.
    #[serde(rename = "Key")]
    pub key: String,
    /// Deprecated copy of the wrapped private key.
    #[serde(rename = "PrivateKey")]
    pub private_key: Option<String>,
    /// Required by bw 2026.9 for accounts with a key pair.
    #[serde(rename = "AccountKeys")]
    pub account_keys: Option<AccountKeys>,
    /// KDF type.
    #[serde(rename = "Kdf")]
    pub kdf: i32,
    /// Iterations.
    #[serde(rename = "KdfIterations")]
    pub kdf_iterations: i32,
    /// Memory.
    #[serde(rename = "KdfMemory")]
    pub kdf_memory: Option<i32>,
    /// Parallelism.
    #[serde(rename = "KdfParallelism")]
    pub kdf_parallelism: Option<i32>,
    /// Always false.
    #[serde(rename = "ResetMasterPassword")]
    pub reset_master_password: bool,
    /// Always false.
    #[serde(rename = "ForcePasswordReset")]
    pub force_password_reset: bool,
    /// Master password policy in force (null when none).
    #[serde(rename = "MasterPasswordPolicy")]
    pub master_password_policy: Option<MasterPasswordPolicyResponse>,
    /// Unlock data.
    #[serde(rename = "UserDecryptionOptions")]
    pub user_decryption_options: UserDecryptionOptions,
    /// Remember-device token, when requested and granted.
    #[serde(
        rename = "TwoFactorToken",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub two_factor_token: Option<String>,
}

/// Refresh grant answer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RefreshResponse {
    /// JWT.
    pub access_token: String,
    /// Seconds.
    pub expires_in: i64,
    /// `"Bearer"`.
    pub token_type: String,
    /// The rotated refresh token.
    pub refresh_token: String,
    /// Granted scope.
    pub scope: String,
}

/// `MasterPasswordPolicy` of the token response: the organizations' combined requirements
/// (`minComplexity`, `minLength`, `requireUpper`, …, `enforceOnLogin`, as the policy's data
/// names them; clients check the password against them and, with `enforceOnLogin`, ask for a
/// change).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct MasterPasswordPolicyResponse {
    /// The requirements, keyed as the master password policy's data.
    #[serde(flatten)]
    pub requirements: serde_json::Map<String, serde_json::Value>,
    /// `"masterPasswordPolicy"`.
    pub object: String,
}
