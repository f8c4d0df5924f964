//! The domain's error: what went wrong in domain terms. It never mentions HTTP; the server maps it.

/// Storage failed. Lookups that find nothing return `Ok(None)`, not an error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated (e.g. email taken).
    #[error("already exists")]
    Conflict,
    /// The database said no; the source is logged at the edge, never sent to clients.
    #[error("database error")]
    Db(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored value could not be decoded (corrupt row or schema drift).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// No database connection came free in time: the server is overloaded (a 503 to retry,
    /// not a failure).
    #[error("database busy")]
    Busy,
}

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
        providers: Vec<ProviderChallenge>,
        /// Set when email codes are offered: lets the client ask for another code.
        email_login: Option<EmailLoginHint>,
    },
    /// The account must turn on two-step login before this access (provider members): a 400
    /// with a stable marker, so a console can lead the user to the set-up screen.
    #[error("two-step login must be turned on")]
    TwoStepLoginRequired,
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

/// One enabled provider in a "second factor needed" answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderChallenge {
    /// Provider type.
    pub provider: keyfleet_api::kinds::TwoFactorProviderType,
    /// What the client needs to use it (`TwoFactorProviders2` value): WebAuthn's assertion
    /// options, email's masked address; `None` for the authenticator app.
    pub params: Option<serde_json::Value>,
}

/// What the login challenge adds when email codes are offered (Bitwarden's top-level
/// `SsoEmail2faSessionToken` and `Email`).
#[derive(Debug, Clone, PartialEq)]
pub struct EmailLoginHint {
    /// Lets the client ask for another code without the password, for about two minutes.
    pub session_token: String,
    /// The account's email (the client sends it back to `send-email-login`).
    pub email: String,
}
