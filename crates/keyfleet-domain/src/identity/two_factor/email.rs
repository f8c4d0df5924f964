//! Email codes as a two-step login provider (type 1), offered only when the operator configured a
//! mailer. A code is six random digits, good for one use within [`EMAIL_CODE_SECS`] (the official
//! server's email token lifetime), stored as a keyed digest in the provider's row, so every
//! server instance sees it and a database copy does not reveal it. Only the latest code works.
//! Sending is limited per account ([`MAIL_INTERVAL_SECS`], [`MAILS_PER_HOUR`]) so the endpoint
//! cannot be used to flood a mailbox; wrong codes at login count toward the same lock-out as the
//! other providers.

pub use crate::error::EmailLoginHint;

use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::identity::throttling::{ThrottleKind, ThrottleOutcome};
use crate::store::{TwoFactorRow, UserRow};
use crate::Domain;
use keyfleet_api::kinds::TwoFactorProviderType;
use keyfleet_crypto::normalize_email;
use rand::Rng as _;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// How long a mailed code stays good (the official server keeps email tokens for 5 minutes).
pub const EMAIL_CODE_SECS: i64 = 5 * 60;
/// At most one code mail per account in this many seconds.
pub const MAIL_INTERVAL_SECS: i64 = 60;
/// At most this many code mails per account per hour.
pub const MAILS_PER_HOUR: usize = 5;
/// Lifetime of the session token the login challenge carries, with which a client may ask for
/// another code without the password (official: just over the clients' 2-minute session).
const EMAIL_SESSION_SECS: i64 = 123;

/// The answer when an operator has not configured SMTP.
pub const NEEDS_SMTP: &str =
    "Email two-step login needs a mail server (SMTP) configured by the operator.";

/// Purpose of a code: turning the provider on (to a new address) or logging in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum CodePurpose {
    Setup,
    Login,
}

/// The one code in flight.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PendingCode {
    purpose: CodePurpose,
    /// The address it was mailed to.
    email: String,
    /// [`crate::identity::tokens::TokenIssuer::keyed_digest`] of the code with its context.
    digest: String,
    /// Unix milliseconds.
    expires: i64,
}

/// The provider's JSON in `two_factor.data`. A row exists, disabled and without `email`, while a
/// first setup is under way.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct EmailData {
    /// Where login codes go (lower-cased), once enabled; Bitwarden's `MetaData.Email`.
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    code: Option<PendingCode>,
}

/// The email provider as the setup screen shows it.
#[derive(Debug, Clone)]
pub struct EmailSetup {
    /// Whether email codes are on.
    pub enabled: bool,
    /// The address codes go to, when on.
    pub email: Option<String>,
    /// A short-lived token that stands in for the password on the next setup calls.
    pub user_verification_token: String,
}

/// Masks an address as the official server does (`RedactEmailAddress`): up to two leading
/// characters of the local part stay, the rest become `*`; the domain stays.
pub fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let len = local.chars().count();
    let shown = match len {
        0..=2 => 0,
        3..=4 => 1,
        _ => 2,
    };
    let head: String = local.chars().take(shown).collect();
    format!("{head}{}@{domain}", "*".repeat(len - shown))
}

fn new_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32))
}

fn parse_data(row: Option<&TwoFactorRow>) -> Result<EmailData, DomainError> {
    match row {
        Some(row) => serde_json::from_str(&row.data)
            .map_err(|e| DomainError::Internal(format!("email 2fa data: {e}"))),
        None => Ok(EmailData::default()),
    }
}

fn to_json(data: &EmailData) -> Result<String, DomainError> {
    serde_json::to_string(data).map_err(|e| DomainError::Internal(e.to_string()))
}

impl Domain {
    /// Whether email codes can be used at all (a mailer is configured).
    pub fn email_two_factor_available(&self) -> bool {
        self.mailer.is_some()
    }

    fn require_mailer(&self) -> Result<(), DomainError> {
        if self.email_two_factor_available() {
            Ok(())
        } else {
            Err(DomainError::bad_request(NEEDS_SMTP))
        }
    }

    async fn email_row(&self, user: &UserRow) -> Result<Option<TwoFactorRow>, DomainError> {
        Ok(self
            .store
            .two_factors(user.id)
            .await?
            .into_iter()
            .find(|r| r.provider == TwoFactorProviderType::Email))
    }

    fn code_digest(&self, user: &UserRow, purpose: CodePurpose, email: &str, code: &str) -> String {
        let purpose = match purpose {
            CodePurpose::Setup => "setup",
            CodePurpose::Login => "login",
        };
        self.tokens.keyed_digest(
            "email-2fa-code",
            &format!("{}\n{purpose}\n{email}\n{}", user.id, code.trim()),
        )
    }

    /// `POST /two-factor/get-email`: whether email codes are on and where they go, after the
    /// password (or a verification token) re-check.
    pub async fn email_two_factor_setup(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
    ) -> Result<EmailSetup, DomainError> {
        self.require_mailer()?;
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let row = self.email_row(&caller.user).await?;
        let data = parse_data(row.as_ref())?;
        let enabled = row.is_some_and(|r| r.enabled) && data.email.is_some();
        Ok(EmailSetup {
            enabled,
            email: data.email.filter(|_| enabled),
            user_verification_token: self.tokens.issue_purpose_token(
                "2fa-setup",
                &caller.user.id.to_string(),
                10 * 60,
                self.now(),
            )?,
        })
    }

    /// Mails a setup code to `email`; [`Domain::enable_email_two_factor`] checks it.
    pub async fn send_email_setup_code(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
        email: &str,
    ) -> Result<(), DomainError> {
        self.require_mailer()?;
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let email = crate::identity::accounts::parse_email(email)?;
        self.mail_code(&caller.user, CodePurpose::Setup, &email)
            .await
    }

    /// Turns email codes on for `email` when `code` is the setup code mailed there. Returns the
    /// address.
    pub async fn enable_email_two_factor(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
        email: &str,
        code: &str,
    ) -> Result<String, DomainError> {
        self.require_mailer()?;
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let email = crate::identity::accounts::parse_email(email)?;
        let user = &caller.user;
        let now = self.now();
        // Its own key: a logged-in user guessing setup codes must not lock their own logins.
        let key = format!("2fa-setup:{}", user.id);
        self.throttle_one(ThrottleKind::TwoStep, &key, now).await?;
        let row = self.email_row(user).await?;
        let mut data = parse_data(row.as_ref())?;
        let valid = data.code.as_ref().is_some_and(|c| {
            c.purpose == CodePurpose::Setup
                && c.email == email
                && c.expires > now.0
                && bool::from(
                    c.digest.as_bytes().ct_eq(
                        self.code_digest(user, CodePurpose::Setup, &email, code)
                            .as_bytes(),
                    ),
                )
        });
        if !valid {
            return Err(DomainError::invalid("token", "Invalid token."));
        }
        self.throttle_done(ThrottleKind::TwoStep, &key, ThrottleOutcome::Clear)
            .await?;
        data.code = None;
        data.email = Some(email.clone());
        let row = TwoFactorRow {
            provider: TwoFactorProviderType::Email,
            enabled: true,
            data: to_json(&data)?,
            last_used_step: None,
        };
        self.store.save_two_factor(user.id, &row, None, now).await?;
        tracing::info!(user = %user.id, "email two-step login enabled");
        self.restore_after_two_factor_enabled(user.id).await?;
        Ok(email)
    }

    /// `POST /two-factor/send-email-login` (anonymous): mails a login code once the caller proves
    /// the password, or presents the session token of a recent challenge. An unknown account and a
    /// wrong password fail alike and count toward the login throttle like a failed login.
    pub async fn send_email_login_code(
        &self,
        email: &str,
        hash: Option<&str>,
        session_token: Option<&str>,
        ip: &str,
    ) -> Result<(), DomainError> {
        const REFUSED: &str = "Cannot send two-factor email.";
        let email = normalize_email(email);
        let now = self.now();
        self.throttle_reserve(&email, ip, now).await?;
        let user = self.store.user_by_email(&email).await?;
        let by_session = match (session_token, &user) {
            (Some(t), Some(u)) if !t.is_empty() => {
                self.tokens
                    .check_purpose_token(t, "email-2fa-session", &u.id.to_string(), now)
            }
            _ => false,
        };
        let verified = by_session || {
            let stored = user.as_ref().map(|u| u.password_hash.clone());
            self.hasher
                .verify(stored, hash.unwrap_or_default().to_string())
                .await?
        };
        let Some(user) = user.filter(|_| verified) else {
            return Err(DomainError::bad_request(REFUSED));
        };
        self.throttle_succeeded(&email, ip).await?;
        self.require_mailer()?;
        let row = self.email_row(&user).await?.filter(|r| r.enabled);
        let to = parse_data(row.as_ref())?.email;
        let Some(to) = to else {
            return Err(DomainError::bad_request(
                "Email two-step login is not turned on for this account.",
            ));
        };
        self.mail_code(&user, CodePurpose::Login, &to).await
    }

    /// Makes a code, stores its digest in the provider row (replacing any earlier one) and mails
    /// it, within the per-account sending limits.
    async fn mail_code(
        &self,
        user: &UserRow,
        purpose: CodePurpose,
        to: &str,
    ) -> Result<(), DomainError> {
        let Some(mailer) = &self.mailer else {
            return Err(DomainError::bad_request(NEEDS_SMTP));
        };
        let now = self.now();
        let key = user.id.to_string();
        // Counted before sending, so a failing mail server is not hammered either; a mail the
        // hourly limit refuses gives the minute's hit back.
        self.throttle_one(ThrottleKind::MailMinute, &key, now)
            .await?;
        if let Err(e) = self.throttle_one(ThrottleKind::MailHour, &key, now).await {
            self.throttle_done(ThrottleKind::MailMinute, &key, ThrottleOutcome::Release)
                .await?;
            return Err(e);
        }
        let code = new_code();
        let pending = PendingCode {
            purpose,
            email: to.to_string(),
            digest: self.code_digest(user, purpose, to, &code),
            expires: now.plus_secs(EMAIL_CODE_SECS).0,
        };
        let row = self.email_row(user).await?;
        let mut data = parse_data(row.as_ref())?;
        data.code = Some(pending);
        let json = to_json(&data)?;
        match row {
            Some(row) => {
                if !self
                    .store
                    .replace_two_factor_data(
                        user.id,
                        TwoFactorProviderType::Email,
                        &row.data,
                        &json,
                    )
                    .await?
                {
                    // Another request changed the row meanwhile (a code sent or used): ask again.
                    return Err(DomainError::bad_request(
                        "Another code request is in progress. Try again.",
                    ));
                }
            }
            None => {
                // First setup: a disabled row holds the code until the user proves they got it.
                let row = TwoFactorRow {
                    provider: TwoFactorProviderType::Email,
                    enabled: false,
                    data: json,
                    last_used_step: None,
                };
                self.store.save_two_factor(user.id, &row, None, now).await?;
            }
        }
        let (subject, intro) = match purpose {
            CodePurpose::Setup => (
                "Keyfleet: confirm two-step login by email",
                "Enter this code to turn on two-step login by email for your Keyfleet account",
            ),
            CodePurpose::Login => (
                "Keyfleet: your two-step login code",
                "Enter this code to finish logging in to your Keyfleet account",
            ),
        };
        let body = format!(
            "{intro} ({account}):\r\n\r\n    {code}\r\n\r\nThe code works once, within {minutes} minutes. \
             If you did not ask for it, someone may know your master password: change it.\r\n",
            account = user.email,
            minutes = EMAIL_CODE_SECS / 60,
        );
        mailer.send(to, subject, &body).await.map_err(|e| {
            DomainError::Internal(format!("mailing a two-step login code failed: {e}"))
        })?;
        tracing::info!(user = %user.id, ?purpose, "two-step login code mailed");
        Ok(())
    }

    /// The challenge entry for an enabled email row (`{"Email": "t***@example.com"}`) and the
    /// session token for resending; `None` when email codes cannot be used (no mailer).
    pub(crate) fn email_challenge(
        &self,
        user: &UserRow,
        row: &TwoFactorRow,
    ) -> Result<Option<(serde_json::Value, EmailLoginHint)>, DomainError> {
        if !self.email_two_factor_available() {
            return Ok(None);
        }
        let Some(email) = parse_data(Some(row))?.email else {
            return Ok(None);
        };
        let session_token = self.tokens.issue_purpose_token(
            "email-2fa-session",
            &user.id.to_string(),
            EMAIL_SESSION_SECS,
            self.now(),
        )?;
        Ok(Some((
            serde_json::json!({ "Email": mask_email(&email) }),
            EmailLoginHint {
                session_token,
                email: user.email.clone(),
            },
        )))
    }

    /// Checks a login code against the enabled email row and uses it up (compare-and-set, so of
    /// two logins racing with one code only one wins).
    pub(crate) async fn verify_email_login_code(
        &self,
        user: &UserRow,
        row: &TwoFactorRow,
        code: &str,
    ) -> Result<bool, DomainError> {
        if !self.email_two_factor_available() {
            return Ok(false);
        }
        let mut data = parse_data(Some(row))?;
        let now = self.now();
        let valid = match (&data.email, &data.code) {
            (Some(email), Some(c)) => {
                c.purpose == CodePurpose::Login
                    && &c.email == email
                    && c.expires > now.0
                    && bool::from(
                        c.digest.as_bytes().ct_eq(
                            self.code_digest(user, CodePurpose::Login, email, code)
                                .as_bytes(),
                        ),
                    )
            }
            _ => false,
        };
        if !valid {
            return Ok(false);
        }
        data.code = None;
        Ok(self
            .store
            .replace_two_factor_data(
                user.id,
                TwoFactorProviderType::Email,
                &row.data,
                &to_json(&data)?,
            )
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_like_the_official_server() {
        assert_eq!(mask_email("test@example.com"), "t***@example.com");
        assert_eq!(mask_email("alice@example.com"), "al***@example.com");
        assert_eq!(mask_email("bob@example.com"), "b**@example.com");
        assert_eq!(mask_email("jo@example.com"), "**@example.com");
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
