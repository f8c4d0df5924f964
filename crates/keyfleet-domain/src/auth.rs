//! Login grants, refresh-token rotation with reuse detection, and bearer authentication.

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::ids::UserId;
use crate::store::{RefreshTokenRow, UserRow};
use crate::tokens::{
    api_key_matches, hash_opaque_token, new_refresh_token, AccessClaims, AccessToken,
    REFRESH_TOKEN_SECS,
};
use crate::two_factor::SecondFactor;
use crate::Domain;
use keyfleet_crypto::normalize_email;

/// Scopes of a password login.
const PASSWORD_SCOPES: &[&str] = &["api", "offline_access"];
/// Scope of an API-key login (no refresh token, as the official server).
const API_KEY_SCOPES: &[&str] = &["api"];

/// The device fields of a grant.
#[derive(Debug, Clone)]
pub struct DeviceInfo {
    /// Stable per install.
    pub identifier: String,
    /// DeviceType number.
    pub device_type: i32,
    /// Device name.
    pub name: String,
}

impl DeviceInfo {
    /// Builds device info from optional form fields; all three are required.
    pub fn from_form(
        identifier: Option<&str>,
        device_type: Option<&str>,
        name: Option<&str>,
    ) -> Result<Self, DomainError> {
        let (Some(identifier), Some(device_type), Some(name)) = (identifier, device_type, name)
        else {
            return Err(DomainError::MissingDeviceInfo);
        };
        let device_type: i32 = device_type
            .trim()
            .parse()
            .map_err(|_| DomainError::MissingDeviceInfo)?;
        if identifier.is_empty()
            || identifier.len() > 128
            || name.len() > 128
            || !(0..=100).contains(&device_type)
        {
            return Err(DomainError::MissingDeviceInfo);
        }
        Ok(DeviceInfo {
            identifier: identifier.to_string(),
            device_type,
            name: name.to_string(),
        })
    }
}

/// A successful grant.
#[derive(Debug, Clone)]
pub struct LoginOutcome {
    /// The user (with keys and KDF the token response carries).
    pub user: UserRow,
    /// Access token.
    pub access: AccessToken,
    /// Refresh token (password and refresh grants).
    pub refresh: Option<String>,
    /// Granted scope, space separated.
    pub scope: String,
    /// A "remember this device" token for the next logins, when one was asked for.
    pub two_factor_token: Option<String>,
    /// The device the login came from.
    pub device_id: Option<crate::ids::DeviceId>,
    /// The combined master password requirements of the user's organizations.
    pub master_password_policy: Option<serde_json::Value>,
}

/// The throttles other than login's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThrottleKind {
    /// Second-factor codes per account.
    TwoStep,
    /// Master password re-checks per account.
    Reverify,
    /// Code mails per account, per minute …
    MailMinute,
    /// … and per hour.
    MailHour,
}

/// How a throttled attempt ended, when not by failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThrottleOutcome {
    /// Succeeded: wipe the key's failures.
    Clear,
    /// Was not judged (e.g. a stale remember-device token): give its hit back.
    Release,
}

/// An authenticated API caller. Built only by [`Domain::authenticate`], which proves the token;
/// its fields are not public.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user, freshly loaded for this request.
    pub(crate) user: UserRow,
    /// The token's claims.
    pub(crate) claims: AccessClaims,
}

impl Caller {
    /// The user, freshly loaded for this request.
    pub fn user(&self) -> &UserRow {
        &self.user
    }

    /// The token's claims.
    pub fn claims(&self) -> &AccessClaims {
        &self.claims
    }
}

impl Domain {
    /// Counts a login attempt under the address and account throttles before its secret is
    /// verified; refused (`RateLimited`) when either is at its limit, attempts in flight
    /// included. A refused attempt gives the address's hit back (it never ran). A failed attempt
    /// leaves both counted; a successful one calls [`Domain::throttle_succeeded`].
    pub(crate) async fn throttle_reserve(
        &self,
        account_key: &str,
        ip: &str,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        if let Err(retry_after_secs) = self.ip_throttle.reserve(store, ip, now).await? {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        if let Err(retry_after_secs) = self
            .account_throttle
            .reserve(store, account_key, now)
            .await?
        {
            self.ip_throttle.release(store, ip).await?;
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        Ok(())
    }

    /// The attempt reserved with [`Domain::throttle_reserve`] succeeded: the account's failures
    /// are wiped and the address gets its hit back.
    pub(crate) async fn throttle_succeeded(
        &self,
        account_key: &str,
        ip: &str,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        self.account_throttle.clear(store, account_key).await?;
        self.ip_throttle.release(store, ip).await?;
        Ok(())
    }

    /// The attempt reserved with [`Domain::throttle_reserve`] was not judged (the server was
    /// too busy to verify it): both hits are given back.
    pub(crate) async fn throttle_abandoned(
        &self,
        account_key: &str,
        ip: &str,
    ) -> Result<(), DomainError> {
        let store = self.store.as_ref();
        self.account_throttle.release(store, account_key).await?;
        self.ip_throttle.release(store, ip).await?;
        Ok(())
    }

    /// A second factor or a master password re-check, throttled per `key` by `throttle`.
    pub(crate) async fn throttle_one(
        &self,
        throttle: ThrottleKind,
        key: &str,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        match self
            .throttle_of(throttle)
            .reserve(self.store.as_ref(), key, now)
            .await?
        {
            Ok(()) => Ok(()),
            Err(retry_after_secs) => Err(DomainError::RateLimited { retry_after_secs }),
        }
    }

    /// The attempt reserved with [`Domain::throttle_one`] ended: `Clear` after a success (the
    /// failures are wiped), `Release` when it was not judged (its hit given back).
    pub(crate) async fn throttle_done(
        &self,
        throttle: ThrottleKind,
        key: &str,
        outcome: ThrottleOutcome,
    ) -> Result<(), DomainError> {
        let t = self.throttle_of(throttle);
        match outcome {
            ThrottleOutcome::Clear => t.clear(self.store.as_ref(), key).await?,
            ThrottleOutcome::Release => t.release(self.store.as_ref(), key).await?,
        }
        Ok(())
    }

    fn throttle_of(&self, kind: ThrottleKind) -> &crate::throttle::Throttle {
        match kind {
            ThrottleKind::TwoStep => &self.two_factor_throttle,
            ThrottleKind::Reverify => &self.reverify_throttle,
            ThrottleKind::MailMinute => &self.mail_interval,
            ThrottleKind::MailHour => &self.mail_hourly,
        }
    }

    /// Password grant. Unknown users and wrong passwords fail identically and take the same time.
    pub async fn login_password(
        &self,
        username: &str,
        client_hash: &str,
        client_id: &str,
        device: DeviceInfo,
        second_factor: Option<&SecondFactor>,
        ip: &str,
    ) -> Result<LoginOutcome, DomainError> {
        let email = normalize_email(username);
        let now = self.now();
        self.throttle_reserve(&email, ip, now).await?;
        let user = self.store.user_by_email(&email).await?;
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        let verified = match self.hasher.verify(stored, client_hash.to_string()).await {
            Ok(v) => v,
            Err(busy) => {
                self.throttle_abandoned(&email, ip).await?;
                return Err(busy);
            }
        };
        if !verified {
            return Err(DomainError::InvalidCredentials);
        }
        let user = user.ok_or(DomainError::InvalidCredentials)?;
        self.throttle_succeeded(&email, ip).await?;
        // Only a caller who knows the password learns that a second factor is needed.
        let remember = self
            .check_second_factor(&user, &device.identifier, second_factor)
            .await?;
        let mut outcome = self
            .issue_tokens(user, client_id, Some(device), PASSWORD_SCOPES, None, now)
            .await?;
        if let (true, Some(device_id)) = (remember, outcome.device_id) {
            let token = new_refresh_token();
            let expires = now.plus_secs(crate::two_factor::REMEMBER_DEVICE_SECS);
            self.store
                .remember_device(device_id, &hash_opaque_token(&token), expires)
                .await?;
            outcome.two_factor_token = Some(token);
        }
        Ok(outcome)
    }

    /// client_credentials grant with a personal API key (`client_id = user.<id>`).
    pub async fn login_api_key(
        &self,
        client_id: &str,
        client_secret: &str,
        device: DeviceInfo,
        ip: &str,
    ) -> Result<LoginOutcome, DomainError> {
        let now = self.now();
        let key = client_id.to_ascii_lowercase();
        self.throttle_reserve(&key, ip, now).await?;
        let user_id = client_id
            .strip_prefix("user.")
            .and_then(|id| id.parse::<UserId>().ok());
        let user = match user_id {
            Some(id) => self.store.user_by_id(id).await?,
            None => None,
        };
        let valid = user
            .as_ref()
            .is_some_and(|u| api_key_matches(&u.api_key_digest, client_secret));
        let Some(user) = user.filter(|_| valid) else {
            return Err(DomainError::InvalidCredentials);
        };
        self.throttle_succeeded(&key, ip).await?;
        let mut outcome = self
            .issue_tokens(user, client_id, Some(device), API_KEY_SCOPES, None, now)
            .await?;
        outcome.refresh = None;
        Ok(outcome)
    }

    async fn issue_tokens(
        &self,
        user: UserRow,
        client_id: &str,
        device: Option<DeviceInfo>,
        scopes: &[&str],
        rotate_from: Option<&RefreshTokenRow>,
        now: Timestamp,
    ) -> Result<LoginOutcome, DomainError> {
        let device_row = match (&device, rotate_from.and_then(|r| r.device_id)) {
            (Some(d), _) => Some(
                self.store
                    .upsert_device(user.id, &d.identifier, d.device_type, &d.name, now)
                    .await?,
            ),
            // A refresh keeps the device of the login it continues.
            (None, Some(id)) => self.store.device(id).await?,
            (None, None) => None,
        };
        let device_id = device_row.as_ref().map(|d| d.id);
        let access = self.tokens.issue(
            &user,
            client_id,
            device_row
                .as_ref()
                .map(|d| (d.identifier.as_str(), d.device_type)),
            scopes,
            now,
        )?;
        let master_password_policy = self.master_password_policy_for(user.id).await?;
        let refresh = new_refresh_token();
        let row = RefreshTokenRow {
            token_hash: hash_opaque_token(&refresh),
            family: rotate_from.map(|r| r.family).unwrap_or_default(),
            user_id: user.id,
            device_id: device_row
                .map(|d| d.id)
                .or(rotate_from.and_then(|r| r.device_id)),
            client_id: client_id.to_string(),
            security_stamp: user.security_stamp.clone(),
            created: now,
            expires: now.plus_secs(REFRESH_TOKEN_SECS),
            used: None,
            revoked: false,
        };
        match rotate_from {
            None => self.store.insert_refresh_token(&row).await?,
            Some(old) => {
                if !self
                    .store
                    .rotate_refresh_token(&old.token_hash, &row, now)
                    .await?
                {
                    // Lost a race with another use of the same token: that is reuse.
                    self.store.revoke_token_family(old.family).await?;
                    return Err(DomainError::InvalidGrant);
                }
            }
        }
        Ok(LoginOutcome {
            user,
            access,
            refresh: Some(refresh),
            scope: scopes.join(" "),
            two_factor_token: None,
            device_id,
            master_password_policy,
        })
    }

    /// refresh_token grant: rotates the token. Presenting an already-used token revokes its whole
    /// family (a stolen token and its legitimate twin both stop working).
    pub async fn refresh(&self, refresh_token: &str) -> Result<LoginOutcome, DomainError> {
        let now = self.now();
        let hash = hash_opaque_token(refresh_token);
        let row = self
            .store
            .refresh_token(&hash)
            .await?
            .ok_or(DomainError::InvalidGrant)?;
        if row.revoked || row.expires <= now {
            return Err(DomainError::InvalidGrant);
        }
        if row.used.is_some() {
            tracing::warn!(user = %row.user_id, "refresh token reused; revoking its family");
            self.store.revoke_token_family(row.family).await?;
            return Err(DomainError::InvalidGrant);
        }
        let user = self
            .store
            .user_by_id(row.user_id)
            .await?
            .ok_or(DomainError::InvalidGrant)?;
        if user.security_stamp != row.security_stamp {
            return Err(DomainError::InvalidGrant);
        }
        let client_id = row.client_id.clone();
        self.issue_tokens(user, &client_id, None, PASSWORD_SCOPES, Some(&row), now)
            .await
    }

    /// Authenticates a bearer token: signature, expiry, and the user's current security stamp.
    pub async fn authenticate(&self, bearer: &str) -> Result<Caller, DomainError> {
        let now = self.now();
        let (user_id, claims) = self
            .tokens
            .verify(bearer, now)
            .filter(|(_, c)| !c.scope.iter().any(|s| s == crate::tokens::ORG_API_SCOPE))
            .ok_or(DomainError::Unauthorized)?;
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(DomainError::Unauthorized)?;
        if user.security_stamp != claims.sstamp {
            return Err(DomainError::Unauthorized);
        }
        Ok(Caller { user, claims })
    }
}
