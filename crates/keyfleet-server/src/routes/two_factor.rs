//! `/api/two-factor/…`: the authenticator app, WebAuthn keys, recovery code and disabling, as the
//! Bitwarden clients call them (both the current `userVerificationToken` form and the older
//! password form).

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::Router;
use keyfleet_api::ListResponse;
use keyfleet_domain::two_factor::provider;
use keyfleet_domain::webauthn::WebauthnSetup;
use keyfleet_domain::{Caller, DomainError};
use serde::Deserialize;
use serde_json::{json, Value};

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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Verification {
    #[serde(default, alias = "MasterPasswordHash")]
    master_password_hash: Option<String>,
    #[serde(default)]
    user_verification_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthenticatorRequest {
    #[serde(flatten)]
    verification: Verification,
    #[serde(default)]
    key: String,
    #[serde(default)]
    token: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DisableRequest {
    #[serde(flatten)]
    verification: Verification,
    #[serde(rename = "type")]
    provider: i32,
}

/// `PUT/POST/DELETE /api/two-factor/webauthn`: `id` is the key slot (1–5); `deviceResponse` is
/// the browser's attestation as the web vault forwards it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebauthnKeyRequest {
    #[serde(flatten)]
    verification: Verification,
    #[serde(default)]
    id: Option<i32>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    device_response: Option<Value>,
}

impl WebauthnKeyRequest {
    fn slot(&self) -> Result<i32, ApiError> {
        self.id
            .ok_or_else(|| ApiError(DomainError::invalid("id", "The key slot is required.")))
    }
}

/// `GET /api/two-factor`.
async fn list_providers(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<Value>>, ApiError> {
    let rows = app.domain.two_factor_providers(&caller.user).await?;
    let data = rows
        .iter()
        .map(|r| json!({ "enabled": r.enabled, "type": r.provider, "object": "twoFactorProvider" }))
        .collect();
    Ok(axum::Json(ListResponse::new(data)))
}

fn authenticator_body(enabled: bool, key: &str, token: Option<&str>, object: &str) -> Value {
    // Older clients read enabled/key at the top level, newer ones under `authenticator`.
    json!({
        "enabled": enabled,
        "key": key,
        "authenticator": { "enabled": enabled, "key": key },
        "userVerificationToken": token,
        "object": object,
    })
}

/// `POST /api/two-factor/get-authenticator`: the key to show (a fresh one until enabled).
async fn get_authenticator(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<Value>, ApiError> {
    let setup = app
        .domain
        .authenticator_setup(&caller, req.master_password_hash.as_deref())
        .await?;
    Ok(axum::Json(authenticator_body(
        setup.enabled,
        &setup.key,
        Some(&setup.user_verification_token),
        "twoFactorAuthenticator",
    )))
}

/// `PUT /api/two-factor/authenticator`: turns it on when `token` is the app's current code.
async fn enable_authenticator(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<AuthenticatorRequest>,
) -> Result<axum::Json<Value>, ApiError> {
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
    Ok(axum::Json(authenticator_body(
        true,
        &req.key,
        None,
        "twoFactorAuthenticator",
    )))
}

/// `DELETE /api/two-factor/authenticator`.
async fn disable_authenticator(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<AuthenticatorRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    disable(&app, &caller, &req.verification, provider::AUTHENTICATOR).await
}

/// `PUT /api/two-factor/disable` (older clients): `{type, masterPasswordHash}`.
async fn disable_provider(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<DisableRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    disable(&app, &caller, &req.verification, req.provider).await
}

async fn disable(
    app: &AppState,
    caller: &Caller,
    v: &Verification,
    provider: i32,
) -> Result<axum::Json<Value>, ApiError> {
    app.domain
        .disable_two_factor(
            caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            Some(provider),
        )
        .await?;
    Ok(axum::Json(
        json!({ "enabled": false, "type": provider, "object": "twoFactorProvider" }),
    ))
}

/// `POST /api/two-factor/get-recover`: a new recovery code, shown this once.
async fn get_recovery_code(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<Value>, ApiError> {
    let code = app
        .domain
        .new_recovery_code(&caller, req.master_password_hash.as_deref())
        .await?;
    Ok(axum::Json(
        json!({ "code": code, "object": "twoFactorRecover" }),
    ))
}

/// Bitwarden's `TwoFactorWebAuthnResponseModel` (plus a verification token for the next call).
fn webauthn_body(setup: &WebauthnSetup) -> Value {
    json!({
        "enabled": setup.enabled,
        "keys": setup
            .keys
            .iter()
            .map(|k| json!({ "name": k.name, "id": k.id, "migrated": k.migrated }))
            .collect::<Vec<_>>(),
        "userVerificationToken": setup.user_verification_token,
        "object": "twoFactorWebAuthn",
    })
}

/// `POST /api/two-factor/get-webauthn`: whether WebAuthn is on and the registered keys.
async fn get_webauthn(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<Value>, ApiError> {
    let setup = app
        .domain
        .webauthn_setup(
            &caller,
            req.master_password_hash.as_deref(),
            req.user_verification_token.as_deref(),
        )
        .await?;
    Ok(axum::Json(webauthn_body(&setup)))
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
) -> Result<axum::Json<Value>, ApiError> {
    let v = &req.verification;
    let setup = app
        .domain
        .register_webauthn_key(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            req.slot()?,
            &req.name,
            req.device_response.as_ref().unwrap_or(&Value::Null),
        )
        .await?;
    Ok(axum::Json(webauthn_body(&setup)))
}

/// `DELETE /api/two-factor/webauthn`: removes one key (the last one turns WebAuthn off).
async fn delete_webauthn_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<WebauthnKeyRequest>,
) -> Result<axum::Json<Value>, ApiError> {
    let v = &req.verification;
    let setup = app
        .domain
        .delete_webauthn_key(
            &caller,
            v.master_password_hash.as_deref(),
            v.user_verification_token.as_deref(),
            req.slot()?,
        )
        .await?;
    Ok(axum::Json(webauthn_body(&setup)))
}

/// `DELETE /api/two-factor/webauthn/all` (newer web vaults): turns WebAuthn off.
async fn disable_webauthn(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Verification>,
) -> Result<axum::Json<Value>, ApiError> {
    disable(&app, &caller, &req, provider::WEBAUTHN).await
}
