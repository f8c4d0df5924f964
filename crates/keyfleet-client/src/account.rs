//! Account calls made with an access token ([`AccountCalls`]): the sync profile, the revision
//! date, and two-step login settings re-checked with the master password hash.

use crate::authed::{send, Bearer, NO_BODY};
use crate::{Client, ClientError};
use keyfleet_api::accounts::ProfileResponse;
use keyfleet_api::two_factor::{
    AuthenticatorRequest, DisableTwoFactorRequest, EmailRequest, TwoFactorAuthenticatorResponse,
    TwoFactorProviderResponse, TwoFactorRecoverResponse, TwoFactorWebAuthnResponse,
    VerificationRequest, WebauthnKeyRequest,
};
use keyfleet_api::ListResponse;
use reqwest::Method;
use serde::Deserialize;

/// A connection with an access token that is not (yet) a [`crate::Session`]: a saved session's
/// tokens, for calls that need no vault key.
#[derive(Clone, Copy)]
pub struct Authorized<'a> {
    client: &'a Client,
    token: &'a str,
}

impl Client {
    /// This connection with `access_token`, for the token-only calls.
    pub fn with_token<'a>(&'a self, access_token: &'a str) -> Authorized<'a> {
        Authorized {
            client: self,
            token: access_token,
        }
    }
}

impl Bearer for Authorized<'_> {
    fn bearer(&self) -> (&Client, &str) {
        (self.client, self.token)
    }
}

/// `sync` read for its profile only (the items are skipped).
#[derive(Deserialize)]
struct SyncProfile {
    profile: ProfileResponse,
}

/// The master password re-check every two-step login settings call carries.
fn verify(master_password_hash: &str) -> VerificationRequest {
    VerificationRequest {
        master_password_hash: Some(master_password_hash.to_string()),
        user_verification_token: None,
    }
}

/// Account calls that need an access token but no vault key. Two-step login settings take
/// the master password hash the server re-checks ([`Client::password_hash`]).
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait AccountCalls: Bearer {
    /// The sync `profile`: memberships of organizations and providers with their wrapped
    /// keys, and the clients reachable through providers.
    async fn profile(&self) -> Result<ProfileResponse, ClientError> {
        let sync: SyncProfile =
            send(self, Method::GET, "/api/sync?excludeDomains=true", NO_BODY).await?;
        Ok(sync.profile)
    }

    /// `GET /api/accounts/revision-date` (milliseconds): also tells whether the token is
    /// still good.
    async fn account_revision_date(&self) -> Result<i64, ClientError> {
        send(self, Method::GET, "/api/accounts/revision-date", NO_BODY).await
    }

    /// `GET /api/two-factor`: each second factor and whether it is on.
    async fn two_factor_providers(&self) -> Result<Vec<TwoFactorProviderResponse>, ClientError> {
        let l: ListResponse<_> = send(self, Method::GET, "/api/two-factor", NO_BODY).await?;
        Ok(l.data)
    }

    /// `POST /api/two-factor/get-authenticator`.
    async fn get_authenticator(
        &self,
        master_password_hash: &str,
    ) -> Result<TwoFactorAuthenticatorResponse, ClientError> {
        let body = verify(master_password_hash);
        send(
            self,
            Method::POST,
            "/api/two-factor/get-authenticator",
            Some(&body),
        )
        .await
    }

    /// `PUT /api/accounts/update-temp-password`: replaces the password an account recovery set
    /// (hash and re-wrapped key made by the caller).
    async fn put_update_temp_password(
        &self,
        req: &keyfleet_api::accounts::UpdateTempPasswordRequest,
    ) -> Result<(), ClientError> {
        send(
            self,
            Method::PUT,
            "/api/accounts/update-temp-password",
            Some(req),
        )
        .await
    }

    /// `PUT /api/two-factor/authenticator`: on with `key` and the app's current `code`.
    async fn put_authenticator(
        &self,
        master_password_hash: &str,
        key: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        let body = AuthenticatorRequest {
            verification: verify(master_password_hash),
            key: key.to_string(),
            token: code.to_string(),
        };
        let _: serde::de::IgnoredAny = send(
            self,
            Method::PUT,
            "/api/two-factor/authenticator",
            Some(&body),
        )
        .await?;
        Ok(())
    }

    /// `PUT /api/two-factor/disable` for one provider type.
    async fn disable_two_factor(
        &self,
        master_password_hash: &str,
        provider_type: i32,
    ) -> Result<(), ClientError> {
        let body = DisableTwoFactorRequest {
            verification: verify(master_password_hash),
            provider: provider_type,
        };
        let _: serde::de::IgnoredAny =
            send(self, Method::PUT, "/api/two-factor/disable", Some(&body)).await?;
        Ok(())
    }

    /// `POST /api/two-factor/get-recover`: a new recovery code (the previous one stops
    /// working).
    async fn get_recovery_code(
        &self,
        master_password_hash: &str,
    ) -> Result<TwoFactorRecoverResponse, ClientError> {
        let body = verify(master_password_hash);
        send(
            self,
            Method::POST,
            "/api/two-factor/get-recover",
            Some(&body),
        )
        .await
    }

    /// `POST /api/two-factor/send-email`: a setup code mailed to `email`.
    async fn send_two_factor_email(
        &self,
        master_password_hash: &str,
        email: &str,
    ) -> Result<(), ClientError> {
        let body = EmailRequest {
            verification: verify(master_password_hash),
            email: email.to_string(),
            token: String::new(),
        };
        send(
            self,
            Method::POST,
            "/api/two-factor/send-email",
            Some(&body),
        )
        .await
    }

    /// `PUT /api/two-factor/email`: email codes on for `email` with the mailed `code`.
    async fn put_two_factor_email(
        &self,
        master_password_hash: &str,
        email: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        let body = EmailRequest {
            verification: verify(master_password_hash),
            email: email.to_string(),
            token: code.to_string(),
        };
        let _: serde::de::IgnoredAny =
            send(self, Method::PUT, "/api/two-factor/email", Some(&body)).await?;
        Ok(())
    }

    /// `DELETE /api/two-factor/email`: email codes off.
    async fn delete_two_factor_email(&self, master_password_hash: &str) -> Result<(), ClientError> {
        let body = verify(master_password_hash);
        send(self, Method::DELETE, "/api/two-factor/email", Some(&body)).await
    }

    /// `POST /api/two-factor/get-webauthn`: whether WebAuthn is on and the keys.
    async fn get_webauthn(
        &self,
        master_password_hash: &str,
    ) -> Result<TwoFactorWebAuthnResponse, ClientError> {
        let body = verify(master_password_hash);
        send(
            self,
            Method::POST,
            "/api/two-factor/get-webauthn",
            Some(&body),
        )
        .await
    }

    /// `DELETE /api/two-factor/webauthn`: removes the key in `slot`; the last one turns
    /// WebAuthn off.
    async fn delete_webauthn(
        &self,
        master_password_hash: &str,
        slot: i32,
    ) -> Result<TwoFactorWebAuthnResponse, ClientError> {
        let body = WebauthnKeyRequest {
            verification: verify(master_password_hash),
            id: Some(slot),
            ..WebauthnKeyRequest::default()
        };
        send(
            self,
            Method::DELETE,
            "/api/two-factor/webauthn",
            Some(&body),
        )
        .await
    }
}

impl<T: Bearer + ?Sized> AccountCalls for T {}
