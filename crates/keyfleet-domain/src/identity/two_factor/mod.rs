//! Two-step login: the authenticator app (RFC 6238 TOTP: SHA-1, 30 s, 6 digits, ±1 step, each
//! code accepted once), a recovery code (shown once, stored hashed; using it turns two-step login
//! off), remembered devices (30 days; revoked with the password or when two-step login goes off),
//! and throttling of wrong codes. WebAuthn keys (provider 7) are in [`crate::identity::two_factor::webauthn`], mailed
//! codes (provider 1) in [`crate::identity::two_factor::email`].

pub mod email;
pub mod store;
pub mod webauthn;

pub use crate::error::ProviderChallenge;

use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::identity::throttling::{ThrottleKind, ThrottleOutcome};
use crate::identity::tokens::hash_opaque_token;
use crate::store::{TwoFactorRow, UserRow};
use crate::Domain;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Totp};

pub use keyfleet_api::kinds::TwoFactorProviderType;

/// How long "remember this device" lasts.
pub const REMEMBER_DEVICE_SECS: i64 = 30 * 24 * 3600;
const TOTP_STEP_SECS: i64 = 30;

/// The second factor a login presents.
#[derive(Debug, Clone)]
pub struct SecondFactor {
    /// Provider type.
    pub provider: TwoFactorProviderType,
    /// The code or token.
    pub token: String,
    /// Whether to remember this device.
    pub remember: bool,
}

/// The authenticator's state as the setup screen shows it.
#[derive(Debug, Clone)]
pub struct AuthenticatorSetup {
    /// Whether it is already on.
    pub enabled: bool,
    /// Base32 secret (a fresh proposal when not enabled yet).
    pub key: String,
    /// A short-lived token that stands in for the password on the enable/disable call.
    pub user_verification_token: String,
}

fn totp_for(secret_b32: &str) -> Result<Totp, DomainError> {
    let secret = data_encoding::BASE32_NOPAD
        .decode(
            secret_b32
                .trim_end_matches('=')
                .to_ascii_uppercase()
                .as_bytes(),
        )
        .map_err(|_| DomainError::invalid("key", "The authenticator key is not valid Base32."))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(TOTP_STEP_SECS as u64)
        .with_secret(secret)
        .build()
        .map_err(|_| DomainError::invalid("key", "The authenticator key is too short."))
}

/// The time step (within ±1 of now) whose code equals `code`, if any.
fn matching_step(secret_b32: &str, code: &str, now_secs: i64) -> Result<Option<i64>, DomainError> {
    let totp = totp_for(secret_b32)?;
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let now_step = now_secs.div_euclid(TOTP_STEP_SECS);
    for step in [now_step - 1, now_step, now_step + 1] {
        let at = u64::try_from(step * TOTP_STEP_SECS).unwrap_or(0);
        if bool::from(
            totp.generate(at)
                .to_string()
                .as_bytes()
                .ct_eq(code.as_bytes()),
        ) {
            return Ok(Some(step));
        }
    }
    Ok(None)
}

/// A recovery code: 32 Base32 characters in groups of four (160 bits).
fn new_recovery_code() -> String {
    let raw = data_encoding::BASE32_NOPAD.encode(&rand::random::<[u8; 20]>());
    raw.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[derive(serde::Serialize, serde::Deserialize)]
struct AuthenticatorData {
    key: String,
}

impl Domain {
    /// The caller's providers with their state.
    pub async fn two_factor_providers(
        &self,
        user: &UserRow,
    ) -> Result<Vec<TwoFactorRow>, DomainError> {
        Ok(self.store.two_factors(user.id).await?)
    }

    /// Whether the user must pass a second factor at login.
    pub async fn two_factor_enabled(&self, user: &UserRow) -> Result<bool, DomainError> {
        Ok(self
            .store
            .two_factors(user.id)
            .await?
            .iter()
            .any(|r| r.enabled))
    }

    fn verify_or_token(&self, user: &UserRow, token: Option<&str>) -> bool {
        token.is_some_and(|t| {
            self.tokens
                .check_purpose_token(t, "2fa-setup", &user.id.to_string(), self.now())
        })
    }

    pub(crate) async fn verify_setup_secret(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        token: Option<&str>,
    ) -> Result<(), DomainError> {
        if self.verify_or_token(&caller.user, token) {
            return Ok(());
        }
        self.verify_master_password(&caller.user, hash).await
    }

    /// The authenticator setup screen: the current key, or a fresh proposal.
    pub async fn authenticator_setup(
        &self,
        caller: &Caller,
        hash: Option<&str>,
    ) -> Result<AuthenticatorSetup, DomainError> {
        self.verify_master_password(&caller.user, hash).await?;
        let current = self
            .store
            .two_factors(caller.user.id)
            .await?
            .into_iter()
            .find(|r| r.provider == TwoFactorProviderType::Authenticator && r.enabled);
        let (enabled, key) = match current {
            Some(row) => {
                let data: AuthenticatorData = serde_json::from_str(&row.data)
                    .map_err(|e| DomainError::Internal(format!("2fa data: {e}")))?;
                (true, data.key)
            }
            None => (
                false,
                data_encoding::BASE32_NOPAD.encode(&rand::random::<[u8; 20]>()),
            ),
        };
        let user_verification_token = self.tokens.issue_purpose_token(
            "2fa-setup",
            &caller.user.id.to_string(),
            10 * 60,
            self.now(),
        )?;
        Ok(AuthenticatorSetup {
            enabled,
            key,
            user_verification_token,
        })
    }

    /// Turns the authenticator on once the app's current code proves the key was copied right.
    pub async fn enable_authenticator(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
        key: &str,
        code: &str,
    ) -> Result<(), DomainError> {
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let key = key.trim().trim_end_matches('=').to_ascii_uppercase();
        if key.len() < 16 || key.len() > 128 {
            return Err(DomainError::invalid(
                "key",
                "The authenticator key is not valid.",
            ));
        }
        let Some(step) = matching_step(&key, code, self.now().unix_secs())? else {
            return Err(DomainError::invalid("token", "Invalid token."));
        };
        let data = serde_json::to_string(&AuthenticatorData { key })
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        let row = TwoFactorRow {
            provider: TwoFactorProviderType::Authenticator,
            enabled: true,
            data,
            last_used_step: Some(step),
        };
        self.store
            .save_two_factor(caller.user.id, &row, None, self.now())
            .await?;
        tracing::info!(user = %caller.user.id, "authenticator enabled");
        self.restore_after_two_factor_enabled(caller.user.id).await
    }

    /// Turns one provider off (all with `None`).
    pub async fn disable_two_factor(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
        provider: Option<TwoFactorProviderType>,
    ) -> Result<(), DomainError> {
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        self.store
            .remove_two_factor(caller.user.id, provider, self.now())
            .await?;
        tracing::info!(user = %caller.user.id, ?provider, "two-step login provider disabled");
        Ok(())
    }

    /// Makes a new recovery code (the old one stops working) and returns it: it is shown once.
    pub async fn new_recovery_code(
        &self,
        caller: &Caller,
        hash: Option<&str>,
    ) -> Result<String, DomainError> {
        self.verify_master_password(&caller.user, hash).await?;
        let rows = self.store.two_factors(caller.user.id).await?;
        let Some(row) = rows.into_iter().find(|r| r.enabled) else {
            return Err(DomainError::bad_request(
                "Turn on two-step login before creating a recovery code.",
            ));
        };
        let code = new_recovery_code();
        let hash = hash_opaque_token(&normalize_recovery_code(&code));
        self.store
            .save_two_factor(caller.user.id, &row, Some(&hash), self.now())
            .await?;
        Ok(code)
    }

    /// The "second factor needed" answer: each usable provider, with what the client needs to
    /// use it (for WebAuthn a fresh, stored challenge; for email the masked address).
    async fn two_factor_required(&self, user: &UserRow, usable: &[TwoFactorRow]) -> DomainError {
        let mut providers = Vec::with_capacity(usable.len());
        let mut email_login = None;
        for row in usable {
            let params = match row.provider {
                TwoFactorProviderType::WebAuthn => {
                    match self.webauthn_login_options(user, row).await {
                        Ok(params) => params,
                        Err(e) => return e,
                    }
                }
                TwoFactorProviderType::Email => match self.email_challenge(user, row) {
                    Ok(Some((params, hint))) => {
                        email_login = Some(hint);
                        Some(params)
                    }
                    Ok(None) => continue,
                    Err(e) => return e,
                },
                _ => None,
            };
            providers.push(ProviderChallenge {
                provider: row.provider,
                params,
            });
        }
        DomainError::TwoFactorRequired {
            providers,
            email_login,
        }
    }

    /// Checks the second factor of a login whose password already verified. `Ok(true)` when the
    /// device should be remembered.
    pub(crate) async fn check_second_factor(
        &self,
        user: &UserRow,
        device_identifier: &str,
        factor: Option<&SecondFactor>,
    ) -> Result<bool, DomainError> {
        let enabled: Vec<TwoFactorRow> = self
            .store
            .two_factors(user.id)
            .await?
            .into_iter()
            .filter(|r| r.enabled)
            .collect();
        if enabled.is_empty() {
            return Ok(false);
        }
        // Email codes need a mailer: without one (SMTP removed after the user turned them on)
        // they are not offered, and a user with no other provider is told so — never let in.
        let usable: Vec<TwoFactorRow> = enabled
            .iter()
            .filter(|r| {
                r.provider != TwoFactorProviderType::Email || self.email_two_factor_available()
            })
            .cloned()
            .collect();
        let recovering = factor.is_some_and(|f| f.provider == TwoFactorProviderType::RecoveryCode);
        if usable.is_empty() && !recovering {
            return Err(DomainError::bad_request(
                "Two-step login by email is on for this account, but this server cannot send mail \
                 (no SMTP configured). Ask the operator to configure SMTP, or log in with your \
                 recovery code.",
            ));
        }
        let Some(factor) = factor else {
            return Err(self.two_factor_required(user, &usable).await);
        };
        let now = self.now();
        let key = format!("2fa:{}", user.id);
        self.throttle_one(ThrottleKind::TwoStep, &key, now).await?;
        let ok = match factor.provider {
            TwoFactorProviderType::Remember => {
                let remembered = self
                    .store
                    .remembered_device(user.id, device_identifier)
                    .await?;
                let valid = remembered.is_some_and(|(hash, expires)| {
                    expires > now
                        && bool::from(
                            hash.as_bytes()
                                .ct_eq(hash_opaque_token(&factor.token).as_bytes()),
                        )
                });
                // A stale remember token is not an attack signal: just ask for a code (and give
                // its hit back).
                self.throttle_done(ThrottleKind::TwoStep, &key, ThrottleOutcome::Release)
                    .await?;
                return if valid {
                    Ok(false)
                } else {
                    Err(self.two_factor_required(user, &usable).await)
                };
            }
            TwoFactorProviderType::Authenticator => match enabled
                .iter()
                .find(|r| r.provider == TwoFactorProviderType::Authenticator)
            {
                Some(row) => {
                    let data: AuthenticatorData = serde_json::from_str(&row.data)
                        .map_err(|e| DomainError::Internal(format!("2fa data: {e}")))?;
                    match matching_step(&data.key, &factor.token, now.unix_secs())? {
                        Some(step) => self.store.use_totp_step(user.id, step).await?,
                        None => false,
                    }
                }
                None => false,
            },
            TwoFactorProviderType::Email => match usable
                .iter()
                .find(|r| r.provider == TwoFactorProviderType::Email)
            {
                Some(row) => {
                    self.verify_email_login_code(user, row, &factor.token)
                        .await?
                }
                None => false,
            },
            TwoFactorProviderType::WebAuthn => match enabled
                .iter()
                .find(|r| r.provider == TwoFactorProviderType::WebAuthn)
            {
                Some(row) => {
                    self.verify_webauthn_assertion(user, row, &factor.token)
                        .await?
                }
                None => false,
            },
            TwoFactorProviderType::RecoveryCode => {
                let stored = self.store.recovery_code_hash(user.id).await?;
                let given = hash_opaque_token(&normalize_recovery_code(&factor.token));
                let valid =
                    stored.is_some_and(|s| bool::from(s.as_bytes().ct_eq(given.as_bytes())));
                if valid {
                    self.store.remove_two_factor(user.id, None, now).await?;
                    tracing::warn!(user = %user.id, "recovery code used: two-step login turned off");
                }
                valid
            }
        };
        if !ok {
            return Err(DomainError::InvalidTwoFactor);
        }
        self.throttle_done(ThrottleKind::TwoStep, &key, ThrottleOutcome::Clear)
            .await?;
        Ok(factor.remember && factor.provider != TwoFactorProviderType::RecoveryCode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", truncated to 6 digits.
    const RFC_SECRET_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_match_the_rfc_6238_vectors_within_one_step() {
        assert_eq!(
            matching_step(RFC_SECRET_B32, "287082", 59).unwrap(),
            Some(1)
        );
        assert_eq!(
            matching_step(RFC_SECRET_B32, "081804", 1_111_111_109).unwrap(),
            Some(37_037_036)
        );
        // One step of drift either way is accepted; two are not.
        assert_eq!(
            matching_step(RFC_SECRET_B32, "287082", 89).unwrap(),
            Some(1)
        );
        assert_eq!(matching_step(RFC_SECRET_B32, "287082", 119).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET_B32, "000000", 59).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET_B32, "28708", 59).unwrap(), None);
    }

    #[test]
    fn recovery_codes_are_long_and_compared_loosely_on_format() {
        let code = new_recovery_code();
        assert_eq!(normalize_recovery_code(&code).len(), 32);
        assert_eq!(
            normalize_recovery_code(&code.to_lowercase().replace('-', " ")),
            normalize_recovery_code(&code)
        );
    }
}
