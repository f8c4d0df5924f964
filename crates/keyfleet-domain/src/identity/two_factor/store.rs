//! What two-step login needs from persistence: providers, the recovery code, remembered
//! devices, WebAuthn ceremonies.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::ids::{DeviceId, UserId};
use keyfleet_api::kinds::TwoFactorProviderType;

/// One two-step login provider of a user.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoFactorRow {
    /// Provider type (Authenticator 0, WebAuthn 7, …).
    pub provider: TwoFactorProviderType,
    /// Whether login requires it (a pending setup is stored disabled).
    pub enabled: bool,
    /// Provider data as JSON (for the authenticator: the Base32 secret).
    pub data: String,
    /// Last TOTP time step accepted, so a code is never accepted twice.
    pub last_used_step: Option<i64>,
}

/// Two-step login state: providers, recovery code, remembered devices.
#[async_trait::async_trait]
pub trait TwoFactorStore: Send + Sync {
    /// The user's providers (enabled or pending).
    async fn two_factors(&self, user_id: UserId) -> Result<Vec<TwoFactorRow>, StoreError>;
    /// Creates or replaces one provider and sets the recovery code hash, in one transaction.
    async fn save_two_factor(
        &self,
        user_id: UserId,
        row: &TwoFactorRow,
        recovery_code_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Removes one provider (all with `None`); when none stays enabled, also forgets the
    /// recovery code and every remembered device. Returns how many providers were removed.
    async fn remove_two_factor(
        &self,
        user_id: UserId,
        provider: Option<TwoFactorProviderType>,
        now: Timestamp,
    ) -> Result<u64, StoreError>;
    /// Records `step` as used if it is newer than the last one used (compare-and-set): false
    /// means the code was already used.
    async fn use_totp_step(&self, user_id: UserId, step: i64) -> Result<bool, StoreError>;
    /// The hash of the user's recovery code.
    async fn recovery_code_hash(&self, user_id: UserId) -> Result<Option<String>, StoreError>;
    /// Remembers a device for two-step login until `expires`.
    async fn remember_device(
        &self,
        device: DeviceId,
        token_hash: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError>;
    /// The remember token of a user's device (hash and expiry).
    async fn remembered_device(
        &self,
        user_id: UserId,
        identifier: &str,
    ) -> Result<Option<(String, Timestamp)>, StoreError>;
    /// Replaces a provider's data only if it still equals `expected` (compare-and-set, no
    /// revision bump): false means another request changed it first.
    async fn replace_two_factor_data(
        &self,
        user_id: UserId,
        provider: TwoFactorProviderType,
        expected: &str,
        data: &str,
    ) -> Result<bool, StoreError>;
    /// Keeps the state of a WebAuthn ceremony until `expires`, and drops the user's expired ones.
    async fn put_webauthn_challenge(
        &self,
        challenge: &WebauthnChallengeRow,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Removes and returns a ceremony's state (so it can be used once), if it has not expired.
    async fn take_webauthn_challenge(
        &self,
        user_id: UserId,
        purpose: &str,
        challenge: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError>;
}

/// The server-side state of one WebAuthn ceremony (registration or login) in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct WebauthnChallengeRow {
    /// Whose ceremony it is.
    pub user_id: UserId,
    /// `register` or `login`: a registration challenge never satisfies a login.
    pub purpose: String,
    /// The challenge as the browser echoes it in `clientDataJSON` (base64url, no padding).
    pub challenge: String,
    /// The relying-party library's state, serialised.
    pub state: String,
    /// When it stops being accepted.
    pub expires: Timestamp,
}
