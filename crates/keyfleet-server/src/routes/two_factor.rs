//! `/api/two-factor/…`: the authenticator app, email codes, WebAuthn keys, recovery code and
//! disabling, as the Bitwarden clients call them (both the current `userVerificationToken` form and
//! the older password form).

use crate::error::ApiError;
use crate::extract::{Authed, ClientIp, Json};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use keyfleet_api::two_factor::{
    AuthenticatorRequest, DisableTwoFactorRequest, EmailLoginRequest, EmailRequest,
    TwoFactorAuthenticatorResponse, TwoFactorEmailDetails, TwoFactorEmailResponse,
    TwoFactorProviderResponse, TwoFactorRecoverResponse, TwoFactorWebAuthnResponse,
    VerificationRequest as Verification, WebauthnKeyRequest, WebauthnKeyResponse,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::identity::two_factor::email::EmailSetup;
use keyfleet_domain::identity::two_factor::webauthn::WebauthnSetup;
use keyfleet_domain::identity::two_factor::TwoFactorProviderType;
use keyfleet_domain::{Caller, DomainError};
use serde_json::Value;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/two-factor", get(list_providers))
        .route("/api/two-factor/get-authenticator", post(get_authenticator))
        .route(
            "/api/two-factor/authenticator",
            put(enable_authenticator)
                .post(enable_authenticator)
                .delete(disable_authenticator),
        )
        .route(
            "/api/two-factor/disable",
            put(disable_provider).post(disable_provider),
        )
        .route("/api/two-factor/get-recover", post(get_recovery_code))
        .route("/api/two-factor/get-email", post(get_email))
        .route("/api/two-factor/send-email", post(send_email_setup_code))
        .route(
            "/api/two-factor/email",
            put(enable_email).post(enable_email).delete(disable_email),
        )
        .route("/api/two-factor/send-email-login", post(send_email_login))
        .route("/api/two-factor/get-webauthn", post(get_webauthn))
        .route(
            "/api/two-factor/get-webauthn-challenge",
            post(get_webauthn_challenge),
        )
        .route(
            "/api/two-factor/webauthn",
            put(register_webauthn_key)
                .post(register_webauthn_key)
                .delete(delete_webauthn_key),
        )
        .route(
            "/api/two-factor/webauthn/all",
            axum::routing::delete(disable_webauthn),
        )
}

fn slot(req: &WebauthnKeyRequest) -> Result<i32, ApiError> {
    req.id
        .ok_or_else(|| ApiError(DomainError::invalid("id", "The key slot is required.")))
}

/// `GET /api/two-factor`.
async fn list_providers(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<TwoFactorProviderResponse>>, ApiError> {
    let rows = app.domain.two_factor_providers(caller.user()).await?;
    let data = rows
        .iter()
        .map(|r| TwoFactorProviderResponse::new(r.provider, r.enabled))
        .collect();
    Ok(axum::Json(ListResponse::new(data)))
}

/// `POST /api/two-factor/get-authenticator`: the key to show (a fresh one until enabled).
async fn get_authenticator(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<TwoFactorAuthenticatorResponse>, ApiError> {
    let setup = app
        .domain
        .authenticator_setup(&caller, req.master_password_hash.as_deref())
        .await?;
    Ok(axum::Json(TwoFactorAuthenticatorResponse::new(
        setup.enabled,
        &setup.key,
        Some(setup.user_verification_token),
    )))
}

/// `PUT /api/two-factor/authenticator`: turns it on when `token` is the app's current code.
async fn enable_authenticator(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<AuthenticatorRequest>,
) -> Result<axum::Json<TwoFactorAuthenticatorResponse>, ApiError> {
    let v = &req.verification;
    app.domain
        .enable_authenticator(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            &req.key,
            &req.token,
        )
        .await?;
    Ok(axum::Json(TwoFactorAuthenticatorResponse::new(
        true, &req.key, None,
    )))
}

/// `DELETE /api/two-factor/authenticator`.
async fn disable_authenticator(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<AuthenticatorRequest>,
) -> Result<axum::Json<TwoFactorProviderResponse>, ApiError> {
    disable(
        &app,
        &caller,
        &req.verification,
        TwoFactorProviderType::Authenticator,
    )
    .await
}

/// `PUT /api/two-factor/disable` (older clients): `{type, masterPasswordHash}`.
async fn disable_provider(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<DisableTwoFactorRequest>,
) -> Result<axum::Json<TwoFactorProviderResponse>, ApiError> {
    let provider = TwoFactorProviderType::try_from(req.provider).map_err(|_| {
        DomainError::invalid("type", "This server has no such two-step login method.")
    })?;
    disable(&app, &caller, &req.verification, provider).await
}

async fn disable(
    app: &AppState,
    caller: &Caller,
    v: &Verification,
    provider: TwoFactorProviderType,
) -> Result<axum::Json<TwoFactorProviderResponse>, ApiError> {
    app.domain
        .disable_two_factor(
            caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            Some(provider),
        )
        .await?;
    Ok(axum::Json(TwoFactorProviderResponse::new(provider, false)))
}

/// `POST /api/two-factor/get-recover`: a new recovery code, shown this once.
async fn get_recovery_code(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<TwoFactorRecoverResponse>, ApiError> {
    let code = app
        .domain
        .new_recovery_code(&caller, req.master_password_hash.as_deref())
        .await?;
    Ok(axum::Json(TwoFactorRecoverResponse {
        code,
        object: "twoFactorRecover".into(),
    }))
}

fn webauthn_body(setup: WebauthnSetup) -> TwoFactorWebAuthnResponse {
    TwoFactorWebAuthnResponse {
        enabled: setup.enabled,
        keys: setup
            .keys
            .into_iter()
            .map(|k| WebauthnKeyResponse {
                name: k.name,
                id: k.id,
                migrated: k.migrated,
            })
            .collect(),
        user_verification_token: Some(setup.user_verification_token),
        object: "twoFactorWebAuthn".into(),
    }
}

/// `POST /api/two-factor/get-webauthn`: whether WebAuthn is on and the registered keys.
async fn get_webauthn(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<TwoFactorWebAuthnResponse>, ApiError> {
    let setup = app
        .domain
        .webauthn_setup(
            &caller,
            req.master_password_hash.as_deref(),
            req.user_verification_token.as_deref(),
        )
        .await?;
    Ok(axum::Json(webauthn_body(setup)))
}

/// `POST /api/two-factor/get-webauthn-challenge`: options for `navigator.credentials.create`.
async fn get_webauthn_challenge(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<Value>, ApiError> {
    let options = app
        .domain
        .webauthn_registration_challenge(
            &caller,
            req.master_password_hash.as_deref(),
            req.user_verification_token.as_deref(),
        )
        .await?;
    Ok(axum::Json(options))
}

/// `PUT /api/two-factor/webauthn` (`POST` too): registers the key that answered the challenge.
async fn register_webauthn_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<WebauthnKeyRequest>,
) -> Result<axum::Json<TwoFactorWebAuthnResponse>, ApiError> {
    let v = &req.verification;
    let setup = app
        .domain
        .register_webauthn_key(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            slot(&req)?,
            &req.name,
            req.device_response.as_ref().unwrap_or(&Value::Null),
        )
        .await?;
    Ok(axum::Json(webauthn_body(setup)))
}

/// `DELETE /api/two-factor/webauthn`: removes one key (the last one turns WebAuthn off).
async fn delete_webauthn_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<WebauthnKeyRequest>,
) -> Result<axum::Json<TwoFactorWebAuthnResponse>, ApiError> {
    let v = &req.verification;
    let setup = app
        .domain
        .delete_webauthn_key(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            slot(&req)?,
        )
        .await?;
    Ok(axum::Json(webauthn_body(setup)))
}

/// `DELETE /api/two-factor/webauthn/all` (newer web vaults): turns WebAuthn off.
async fn disable_webauthn(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<TwoFactorProviderResponse>, ApiError> {
    disable(&app, &caller, &req, TwoFactorProviderType::WebAuthn).await
}

/// `POST /api/two-factor/get-email`: whether email codes are on, and a verification token for
/// the next calls. (Older web vaults read `email` as a string; the current shape wins.)
async fn get_email(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<TwoFactorEmailResponse>, ApiError> {
    let EmailSetup {
        enabled,
        email,
        user_verification_token,
    } = app
        .domain
        .email_two_factor_setup(
            &caller,
            req.master_password_hash.as_deref(),
            req.user_verification_token.as_deref(),
        )
        .await?;
    Ok(axum::Json(TwoFactorEmailResponse {
        enabled,
        email: TwoFactorEmailDetails { enabled, email },
        user_verification_token: Some(user_verification_token),
        object: "twoFactorEmail".into(),
    }))
}

/// `POST /api/two-factor/send-email`: mails a setup code to `email`.
async fn send_email_setup_code(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<EmailRequest>,
) -> Result<(), ApiError> {
    let v = &req.verification;
    app.domain
        .send_email_setup_code(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            &req.email,
        )
        .await?;
    Ok(())
}

/// `PUT /api/two-factor/email` (`POST` too): turns email codes on when `token` is the code mailed
/// to `email`.
async fn enable_email(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<EmailRequest>,
) -> Result<axum::Json<TwoFactorEmailResponse>, ApiError> {
    let v = &req.verification;
    let email = app
        .domain
        .enable_email_two_factor(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            &req.email,
            &req.token,
        )
        .await?;
    Ok(axum::Json(TwoFactorEmailResponse {
        enabled: true,
        email: TwoFactorEmailDetails {
            enabled: true,
            email: Some(email),
        },
        user_verification_token: None,
        object: "twoFactorEmailUpdate".into(),
    }))
}

/// `DELETE /api/two-factor/email`: turns email codes off (204, as the official server).
async fn disable_email(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<StatusCode, ApiError> {
    let _ = disable(&app, &caller, &req, TwoFactorProviderType::Email).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/two-factor/send-email-login`: mails a login code (the password or the challenge's
/// session token proves the caller; failures do not tell whether the account exists).
async fn send_email_login(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<EmailLoginRequest>,
) -> Result<(), ApiError> {
    app.domain
        .send_email_login_code(
            &req.email,
            req.master_password_hash.as_deref(),
            req.sso_email2_fa_session_token.as_deref(),
            &ip,
        )
        .await?;
    Ok(())
}
