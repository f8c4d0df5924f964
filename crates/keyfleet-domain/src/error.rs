//! The domain's error: what went wrong in domain terms. It never mentions HTTP; the server maps it.

use crate::store::StoreError;

/// A failed use case.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The object does not exist *or the caller may not see it* (never tell the two apart).
    #[error("not found")]
    NotFound,
    /// Input that breaks a rule; the message is safe to show to the caller.
    #[error("invalid: {message}")]
    Invalid {
        /// Field the message is about, when one is.
        field: Option<&'static str>,
        /// Safe, user-facing text.
        message: String,
    },
    /// The caller's master password (hash) did not verify on a re-check.
    #[error("invalid master password")]
    InvalidPassword,
    /// Login failed: unknown user or wrong password (indistinguishable on purpose).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// A refresh/ API token is invalid, expired, reused or revoked.
    #[error("invalid grant")]
    InvalidGrant,
    /// Too many attempts; retry after this many seconds.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until another attempt is allowed.
        retry_after_secs: u64,
    },
    /// The object changed since the client last saw it.
    #[error("stale revision")]
    StaleRevision,
    /// The bearer token is missing, malformed, expired or revoked (the only case for a 401).
    #[error("unauthorized")]
    Unauthorized,
    /// Device fields are missing from a grant that needs them.
    #[error("no device information provided")]
    MissingDeviceInfo,
    /// The password was right; a second factor is needed (these provider types are enabled).
    #[error("two-step login required")]
    TwoFactorRequired {
        /// Enabled providers, each with what the client needs to use it.
        providers: Vec<crate::two_factor::ProviderChallenge>,
        /// Set when email codes are offered: lets the client ask for another code.
        email_login: Option<crate::email_two_factor::EmailLoginHint>,
    },
    /// The second factor was wrong, expired or already used.
    #[error("invalid two-step token")]
    InvalidTwoFactor,
    /// Registration is switched off.
    #[error("registration disabled")]
    RegistrationDisabled,
    /// The server is at its limit for this kind of work; retry after this many seconds (503).
    #[error("busy")]
    Busy {
        /// Seconds to wait before retrying.
        retry_after_secs: u64,
    },
    /// Storage failed.
    #[error("storage")]
    Store(#[from] StoreError),
    /// A bug or an environment failure (e.g. a blocking task panicked).
    #[error("internal: {0}")]
    Internal(String),
}

impl DomainError {
    /// An `Invalid` about one field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }
    /// An `Invalid` about the request as a whole.
    pub fn bad_request(message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field: None,
            message: message.into(),
        }
    }
}
