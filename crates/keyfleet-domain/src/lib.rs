//! keyfleet-domain: Keyfleet's use cases and their rules — accounts, login and tokens, the
//! personal vault — plus the `Store` trait that `keyfleet-storage` implements. It decides *who may
//! do what*; it knows nothing of HTTP (no axum) or SQL (no sqlx).

pub mod clock;
pub mod emergency_access;
pub mod error;
pub mod files;
pub mod identity;
pub mod ids;
pub mod mail;
pub mod membership;
pub mod operator;
pub mod orgs;
pub mod providers;
pub mod push;
pub mod sends;
pub mod store;
pub mod throttle;
pub mod vault;

pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use error::DomainError;
pub use identity::caller::{Caller, DeviceInfo};
pub use identity::login::LoginOutcome;
pub use identity::two_factor::SecondFactor;
pub use store::{Store, StoreError};

use identity::password::PasswordHasher;
use identity::tokens::TokenIssuer;
use std::sync::Arc;
use throttle::{Limit, Throttle};

/// Operator choices the domain needs.
#[derive(Debug, Clone)]
pub struct DomainSettings {
    /// Whether anyone may create an account.
    pub registration_open: bool,
    /// With a mail server, still take registrations that prove no address (the legacy endpoint).
    pub unverified_registration: bool,
    /// Token issuer (the server's public URL).
    pub issuer: String,
    /// Failed logins allowed per account in the window.
    pub account_failures: Limit,
    /// Failed logins allowed per client IP in the window.
    pub ip_failures: Limit,
    /// Wrong second-factor codes allowed per account in the window.
    pub two_factor_failures: Limit,
    /// Wrong Send passwords allowed per Send in the window.
    pub send_password_failures: Limit,
    /// Wrong Send passwords allowed per client IP in the window (all Sends together).
    pub send_password_ip_failures: Limit,
    /// Largest file a file Send may hold, in bytes (Bitwarden: 500 MiB).
    pub send_file_max_bytes: u64,
    /// Most bytes one user's file Sends may hold together.
    pub send_storage_per_user_bytes: u64,
    /// Attachment sizes and storage totals.
    pub attachments: vault::attachments::AttachmentLimits,
    /// The URL attachments are downloaded from (a signed `token` is added as its query).
    pub attachment_download_url: String,
}

impl DomainSettings {
    /// Production defaults: 10 failures per account (and per Send password) and 50 per IP in
    /// 15 minutes; file Sends up to 500 MiB each and 10 GiB per user.
    pub fn new(issuer: String) -> Self {
        DomainSettings {
            attachments: vault::attachments::AttachmentLimits::default(),
            attachment_download_url: format!(
                "{}/api/ciphers/attachment/download",
                issuer.trim_end_matches('/')
            ),
            registration_open: true,
            unverified_registration: false,
            issuer,
            account_failures: Limit {
                max_failures: 10,
                window_secs: 15 * 60,
            },
            ip_failures: Limit {
                max_failures: 50,
                window_secs: 15 * 60,
            },
            two_factor_failures: Limit {
                max_failures: 5,
                window_secs: 15 * 60,
            },
            send_password_failures: Limit {
                max_failures: 10,
                window_secs: 15 * 60,
            },
            send_password_ip_failures: Limit {
                max_failures: 50,
                window_secs: 15 * 60,
            },
            send_file_max_bytes: 500 * 1024 * 1024,
            send_storage_per_user_bytes: 10 * 1024 * 1024 * 1024,
        }
    }
}

/// Every use case, sharing the store, the clock and the secrets.
pub struct Domain {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    hasher: PasswordHasher,
    tokens: TokenIssuer,
    account_throttle: Throttle,
    ip_throttle: Throttle,
    two_factor_throttle: Throttle,
    /// Wrong Send passwords per Send …
    send_password_throttle: Throttle,
    /// … and per client address.
    send_ip_throttle: Throttle,
    /// Wrong master passwords on calls that re-check it (API key, ownership transfer, …).
    reverify_throttle: Throttle,
    auth_request_throttle: Throttle,
    auth_request_ip_throttle: Throttle,
    auth_request_answer_throttle: Throttle,
    /// Code mails per account: one a minute …
    mail_interval: Throttle,
    /// … and a handful an hour.
    mail_hourly: Throttle,
    settings: DomainSettings,
    mailer: Option<Arc<dyn mail::Mailer>>,
    /// Where attachments and file Sends are kept.
    files: Arc<dyn files::FileStore>,
    /// The WebAuthn relying party; `None` when the public URL's host is not a domain name.
    webauthn: Option<webauthn_rs::Webauthn>,
    /// Where live-sync notifications go (the server's hub); `None`: nobody is told.
    pusher: Option<Arc<dyn push::Pusher>>,
}

/// Settings key of the token signing secret (generated on first start, shared by all instances).
const JWT_SECRET_SETTING: &str = "jwt_secret";

impl Domain {
    /// Builds the domain, creating the token signing secret on first start.
    pub async fn new(
        store: Arc<dyn Store>,
        files: Arc<dyn files::FileStore>,
        clock: Arc<dyn Clock>,
        settings: DomainSettings,
    ) -> Result<Self, DomainError> {
        let candidate = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            rand::random::<[u8; 32]>(),
        );
        let secret = store.setting_init(JWT_SECRET_SETTING, &candidate).await?;
        let secret = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, secret)
            .map_err(|_| DomainError::Internal("stored token secret is not base64".into()))?;
        let webauthn = identity::two_factor::webauthn::relying_party(&settings.issuer);
        if webauthn.is_none() {
            tracing::info!(
                public_url = %settings.issuer,
                "WebAuthn two-step login is unavailable: the public URL's host is not a domain name"
            );
        }
        Ok(Domain {
            webauthn,
            tokens: TokenIssuer::new(&secret, settings.issuer.clone()),
            hasher: PasswordHasher::new()?,
            account_throttle: Throttle::new("account", settings.account_failures),
            ip_throttle: Throttle::new("address", settings.ip_failures),
            two_factor_throttle: Throttle::new("two-step", settings.two_factor_failures),
            reverify_throttle: Throttle::new("reverify", settings.account_failures),
            // Login-with-device requests an account and an address may make per 15 minutes.
            auth_request_throttle: Throttle::new(
                "auth-request",
                Limit {
                    max_failures: 20,
                    window_secs: 15 * 60,
                },
            ),
            auth_request_ip_throttle: Throttle::new(
                "auth-request-address",
                Limit {
                    max_failures: 100,
                    window_secs: 15 * 60,
                },
            ),
            // Wrong access codes (or unknown requests) per address reading an answer.
            auth_request_answer_throttle: Throttle::new(
                "auth-request-answer",
                settings.ip_failures,
            ),
            send_password_throttle: Throttle::new("send", settings.send_password_failures),
            send_ip_throttle: Throttle::new("send-address", settings.send_password_ip_failures),
            mail_interval: Throttle::new(
                "mail-minute",
                Limit {
                    max_failures: 1,
                    window_secs: identity::two_factor::email::MAIL_INTERVAL_SECS,
                },
            ),
            mail_hourly: Throttle::new(
                "mail-hour",
                Limit {
                    max_failures: identity::two_factor::email::MAILS_PER_HOUR,
                    window_secs: 3600,
                },
            ),
            store,
            files,
            clock,
            settings,
            mailer: None,
            pusher: None,
        })
    }

    /// Sends invitations, notices and two-step login codes through `mailer` from now on (email
    /// two-step login is offered only then).
    pub fn with_mailer(mut self, mailer: Arc<dyn mail::Mailer>) -> Self {
        self.mailer = Some(mailer);
        self
    }

    /// Where attachments and file Sends are kept.
    pub fn files(&self) -> &dyn files::FileStore {
        self.files.as_ref()
    }

    /// Current time from the domain clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

impl Domain {
    /// Whether new accounts may be created.
    pub fn registration_open(&self) -> bool {
        self.settings.registration_open
    }
}
