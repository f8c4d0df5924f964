//! `/api/two-factor/…`: the setup calls of two-step login (authenticator app, email codes,
//! WebAuthn keys, the recovery code) and their answers, as the Bitwarden clients send and read
//! them — both the current `userVerificationToken` form and the older password form.

use crate::kinds::TwoFactorProviderType;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// The secret a setup call is verified with: the master password hash, or the short-lived
/// token an earlier call of the same setup answered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct VerificationRequest {
    /// The master password hash.
    // Unset fields are left out, not sent as null: a client proves itself one way per call.
    #[serde(
        default,
        alias = "MasterPasswordHash",
        skip_serializing_if = "Option::is_none"
    )]
    pub master_password_hash: Option<String>,
    /// The token an earlier setup answer carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_verification_token: Option<String>,
}

/// `PUT|POST|DELETE /api/two-factor/authenticator`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorRequest {
    /// How the call is verified.
    #[serde(flatten)]
    pub verification: VerificationRequest,
    /// The base32 secret the app was given.
    #[serde(default)]
    pub key: String,
    /// The app's current code.
    #[serde(default)]
    pub token: String,
}

/// `PUT|POST /api/two-factor/disable` (older clients): `{type, masterPasswordHash}`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisableTwoFactorRequest {
    /// How the call is verified.
    #[serde(flatten)]
    pub verification: VerificationRequest,
    /// The provider to turn off (a number outside the set is refused by the server).
    #[serde(rename = "type")]
    pub provider: i32,
}

/// `POST /api/two-factor/send-email` and `PUT /api/two-factor/email` (`token` is the mailed
/// code; absent on `send-email`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmailRequest {
    /// How the call is verified.
    #[serde(flatten)]
    pub verification: VerificationRequest,
    /// The address codes go to.
    #[serde(default)]
    pub email: String,
    /// The mailed code (left out when empty, as `send-email` carries none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub token: String,
}

/// `POST /api/two-factor/send-email-login` (anonymous): Bitwarden's
/// `TwoFactorEmailLoginRequest`. Login with a device (`authRequestAccessCode`) is not supported:
/// such a request needs the password like any other.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct EmailLoginRequest {
    /// The account.
    #[serde(default)]
    pub email: String,
    /// The master password hash.
    #[serde(
        default,
        alias = "MasterPasswordHash",
        skip_serializing_if = "Option::is_none"
    )]
    pub master_password_hash: Option<String>,
    /// The token the "second factor needed" answer carried.
    #[serde(
        default,
        alias = "ssoEmail2faSessionToken",
        skip_serializing_if = "Option::is_none"
    )]
    pub sso_email2_fa_session_token: Option<String>,
}

/// `PUT|POST|DELETE /api/two-factor/webauthn`: `id` is the key slot (1–5); `deviceResponse` is
/// the browser's attestation as the web vault forwards it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct WebauthnKeyRequest {
    /// How the call is verified.
    #[serde(flatten)]
    pub verification: VerificationRequest,
    /// The key slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i32>,
    /// The key's name (left out when empty: deleting a key names only its slot).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The browser's attestation (only when registering).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "unknown")]
    pub device_response: Option<Value>,
}

/// `twoFactorProvider`: one provider's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorProviderResponse {
    /// On or off.
    pub enabled: bool,
    /// The provider.
    #[serde(rename = "type")]
    pub provider: TwoFactorProviderType,
    /// `"twoFactorProvider"`.
    pub object: String,
}

impl TwoFactorProviderResponse {
    /// The state of `provider`.
    pub fn new(provider: TwoFactorProviderType, enabled: bool) -> Self {
        TwoFactorProviderResponse {
            enabled,
            provider,
            object: "twoFactorProvider".into(),
        }
    }
}

/// The authenticator's key and state, nested as current clients read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuthenticatorDetails {
    /// On or off.
    pub enabled: bool,
    /// The base32 secret.
    pub key: String,
}

/// `twoFactorAuthenticator`. Older clients read `enabled`/`key` at the top level, newer ones
/// under `authenticator`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorAuthenticatorResponse {
    /// On or off.
    pub enabled: bool,
    /// The base32 secret (a fresh proposal until enabled).
    pub key: String,
    /// The same, nested.
    pub authenticator: AuthenticatorDetails,
    /// Stands in for the password on the next call of this setup.
    pub user_verification_token: Option<String>,
    /// `"twoFactorAuthenticator"`.
    pub object: String,
}

impl TwoFactorAuthenticatorResponse {
    /// The answer for `key` in state `enabled`.
    pub fn new(enabled: bool, key: &str, user_verification_token: Option<String>) -> Self {
        TwoFactorAuthenticatorResponse {
            enabled,
            key: key.into(),
            authenticator: AuthenticatorDetails {
                enabled,
                key: key.into(),
            },
            user_verification_token,
            object: "twoFactorAuthenticator".into(),
        }
    }
}

/// `twoFactorRecover`: the new recovery code, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorRecoverResponse {
    /// The code.
    pub code: String,
    /// `"twoFactorRecover"`.
    pub object: String,
}

/// One registered WebAuthn key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WebauthnKeyResponse {
    /// Its name.
    pub name: String,
    /// Its slot.
    pub id: i32,
    /// Migrated from U2F (never, here).
    pub migrated: bool,
}

/// Bitwarden's `TwoFactorWebAuthnResponseModel` (plus a verification token for the next call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorWebAuthnResponse {
    /// On or off.
    pub enabled: bool,
    /// The registered keys.
    pub keys: Vec<WebauthnKeyResponse>,
    /// Stands in for the password on the next call of this setup.
    pub user_verification_token: Option<String>,
    /// `"twoFactorWebAuthn"`.
    pub object: String,
}

/// Bitwarden's `TwoFactorEmailDetails`: current clients read `email.enabled`/`email.email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TwoFactorEmailDetails {
    /// On or off.
    pub enabled: bool,
    /// The address codes go to.
    pub email: Option<String>,
}

/// `twoFactorEmail` (`get-email`) and `twoFactorEmailUpdate` (enabling).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TwoFactorEmailResponse {
    /// On or off.
    pub enabled: bool,
    /// The details.
    pub email: TwoFactorEmailDetails,
    /// Stands in for the password on the next call of this setup (absent once enabled).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_verification_token: Option<String>,
    /// `"twoFactorEmail"` or `"twoFactorEmailUpdate"`.
    pub object: String,
}
