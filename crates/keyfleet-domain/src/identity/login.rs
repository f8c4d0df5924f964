//! Login grants, refresh-token rotation with reuse detection, and bearer authentication.

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::caller::{Caller, DeviceInfo};
use crate::identity::tokens::{
    api_key_matches, hash_opaque_token, new_refresh_token, AccessToken, REFRESH_TOKEN_SECS,
};
use crate::identity::two_factor::SecondFactor;
use crate::ids::{AuthRequestId, UserId};
use crate::store::{RefreshTokenRow, UserRow};
use crate::Domain;
use keyfleet_crypto::normalize_email;

/// Scopes of a password login.
const PASSWORD_SCOPES: &[&str] = &["api", "offline_access"];
/// Scope of an API-key login (no refresh token, as the official server).
const API_KEY_SCOPES: &[&str] = &["api"];

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

impl Domain {
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
        self.finish_password_login(user, client_id, device, remember, now)
            .await
    }

    /// Password grant with `authRequest=<id>` and the request's access code as the password
    /// (log in with a device): valid only for an approved, unused, unexpired type-0 request of
    /// this account, asked from this very device, which the account already knows. Every failure
    /// is the wrong-password answer and counts against the same throttles. Two-step login then
    /// applies as after a password; the request is used up only once that passed (a compare-
    /// and-set, so two racing logins cannot both use it).
    #[allow(clippy::too_many_arguments)]
    pub async fn login_auth_request(
        &self,
        username: &str,
        access_code: &str,
        auth_request: &str,
        client_id: &str,
        device: DeviceInfo,
        second_factor: Option<&SecondFactor>,
        ip: &str,
    ) -> Result<LoginOutcome, DomainError> {
        let email = normalize_email(username);
        let now = self.now();
        self.throttle_reserve(&email, ip, now).await?;
        let user = self.store.user_by_email(&email).await?;
        let id = auth_request.trim().parse::<AuthRequestId>().ok();
        let usable = match (&user, id) {
            (Some(u), Some(id)) => {
                self.auth_request_for_login(u.id, id, access_code, &device.identifier, now)
                    .await?
            }
            _ => false,
        };
        let (Some(user), Some(id), true) = (user, id, usable) else {
            return Err(DomainError::InvalidCredentials);
        };
        self.throttle_succeeded(&email, ip).await?;
        let remember = self
            .check_second_factor(&user, &device.identifier, second_factor)
            .await?;
        if !self.store.use_auth_request(id, now).await? {
            return Err(DomainError::InvalidCredentials);
        }
        self.finish_password_login(user, client_id, device, remember, now)
            .await
    }

    /// Tokens for a password-grant login whose secret and second factor passed, and a
    /// "remember this device" token when one was asked for.
    async fn finish_password_login(
        &self,
        user: UserRow,
        client_id: &str,
        device: DeviceInfo,
        remember: bool,
        now: Timestamp,
    ) -> Result<LoginOutcome, DomainError> {
        let mut outcome = self
            .issue_tokens(user, client_id, Some(device), PASSWORD_SCOPES, None, now)
            .await?;
        if let (true, Some(device_id)) = (remember, outcome.device_id) {
            let token = new_refresh_token();
            let expires = now.plus_secs(crate::identity::two_factor::REMEMBER_DEVICE_SECS);
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
            .filter(|(_, c)| {
                !c.scope
                    .iter()
                    .any(|s| s == crate::identity::tokens::ORG_API_SCOPE)
            })
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
