//! `/api/accounts/…` and `/api/users/{id}/public-key`.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::accounts::{
    ApiKeyResponse, KdfRequest, PasswordRequest, ProfileResponse, SecretVerificationRequest,
    UpdateProfileRequest, UserKeyIdRequest, UserKeyResponse,
};
use keyfleet_api::key_management::RotateUserAccountKeysRequest;
use keyfleet_domain::store::KdfParams;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/accounts/profile",
            get(get_profile).put(update_profile).post(update_profile),
        )
        .route("/api/accounts/revision-date", get(revision_date))
        .route(
            "/api/accounts/key-management/user-key-id",
            post(set_user_key_id),
        )
        .route(
            "/api/accounts/key-management/rotate-user-account-keys",
            // The whole personal vault comes in one request, as in an import.
            post(rotate_user_account_keys).layer(axum::extract::DefaultBodyLimit::max(
                crate::routes::transfer::MAX_IMPORT_BODY_BYTES,
            )),
        )
        .route("/api/accounts/api-key", post(view_api_key))
        .route("/api/accounts/rotate-api-key", post(rotate_api_key))
        .route("/api/accounts/password", post(change_password))
        .route("/api/accounts/kdf", post(change_kdf))
        .route("/api/accounts/verify-password", post(verify_password))
        .route("/api/users/{id}/public-key", get(user_public_key))
        .route("/api/accounts", axum::routing::delete(delete_account))
        .route("/api/accounts/delete", post(delete_account))
        .route("/api/devices/knowndevice", get(known_device))
}

/// `GET /api/accounts/profile`.
async fn get_profile(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ProfileResponse>, ApiError> {
    Ok(axum::Json(
        crate::routes::sync::full_profile(&app, &caller, caller.user()).await?,
    ))
}

/// `PUT /api/accounts/profile`.
async fn update_profile(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<UpdateProfileRequest>,
) -> Result<axum::Json<ProfileResponse>, ApiError> {
    let user = app
        .domain
        .update_profile(&caller, req.name, req.culture, req.master_password_hint)
        .await?;
    Ok(axum::Json(
        crate::routes::sync::full_profile(&app, &caller, &user).await?,
    ))
}

/// `GET /api/accounts/revision-date`: a bare number, epoch milliseconds.
async fn revision_date(Authed(caller): Authed) -> axum::Json<i64> {
    axum::Json(caller.user().revision_date.0)
}

/// `POST /api/accounts/key-management/user-key-id`: bw 2026.9 fails login without it.
async fn set_user_key_id(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<UserKeyIdRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .set_user_key_id(&caller, &req.user_key_id)
        .await?)
}

/// `POST /api/accounts/key-management/rotate-user-account-keys`: a new user key, everything it
/// protects re-encrypted, stored at once; every session ends.
async fn rotate_user_account_keys(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<RotateUserAccountKeysRequest>,
) -> Result<(), ApiError> {
    Ok(app.domain.rotate_user_keys(&caller, &req).await?)
}

fn api_key_response(
    (api_key, at): (String, keyfleet_domain::Timestamp),
) -> axum::Json<ApiKeyResponse> {
    axum::Json(ApiKeyResponse {
        api_key,
        revision_date: at.to_iso(),
        object: "apiKey".into(),
    })
}

/// `POST /api/accounts/api-key`: shows the personal API key after a password re-check.
async fn view_api_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<SecretVerificationRequest>,
) -> Result<axum::Json<ApiKeyResponse>, ApiError> {
    let key = app
        .domain
        .api_key(&caller, req.master_password_hash.as_deref())
        .await?;
    Ok(api_key_response(key))
}

/// `POST /api/accounts/rotate-api-key`.
async fn rotate_api_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<SecretVerificationRequest>,
) -> Result<axum::Json<ApiKeyResponse>, ApiError> {
    let key = app
        .domain
        .rotate_api_key(&caller, req.master_password_hash.as_deref())
        .await?;
    Ok(api_key_response(key))
}

/// `POST /api/accounts/password`: new hash and re-wrapped user key; all sessions end.
async fn change_password(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<PasswordRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .change_password(
            &caller,
            &req.master_password_hash,
            req.new_master_password_hash,
            req.master_password_hint,
            req.key,
        )
        .await?)
}

/// `POST /api/accounts/kdf`.
async fn change_kdf(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<KdfRequest>,
) -> Result<(), ApiError> {
    let kdf = KdfParams {
        kdf_type: req.kdf,
        iterations: req.kdf_iterations,
        memory: req.kdf_memory,
        parallelism: req.kdf_parallelism,
    };
    Ok(app
        .domain
        .change_kdf(
            &caller,
            &req.master_password_hash,
            req.new_master_password_hash,
            kdf,
            req.key,
        )
        .await?)
}

/// `POST /api/accounts/verify-password`: clients re-check the password before sensitive UI.
async fn verify_password(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<SecretVerificationRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .verify_master_password(caller.user(), req.master_password_hash.as_deref())
        .await?)
}

/// `GET /api/users/{id}/public-key`.
async fn user_public_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<UserKeyResponse>, ApiError> {
    let (user_id, public_key) = app.domain.user_public_key(&caller, path_id(&id)?).await?;
    Ok(axum::Json(UserKeyResponse {
        user_id: user_id.to_string(),
        public_key,
        object: "userKey".into(),
    }))
}

/// `DELETE /api/accounts`: the caller deletes their own account (password re-check).
async fn delete_account(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<SecretVerificationRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_account(&caller, req.master_password_hash.as_deref())
        .await?)
}

/// `GET /api/devices/knowndevice` with `X-Request-Email` (base64url) and `X-Device-Identifier`.
async fn known_device(
    State(app): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<axum::Json<bool>, ApiError> {
    use base64::Engine as _;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let email = header("X-Request-Email")
        .and_then(|e| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(e.trim_end_matches('='))
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok());
    let (Some(email), Some(device)) = (email, header("X-Device-Identifier")) else {
        return Err(ApiError(keyfleet_domain::DomainError::bad_request(
            "X-Request-Email and X-Device-Identifier are required.",
        )));
    };
    Ok(axum::Json(
        app.domain.is_known_device(&email, device).await?,
    ))
}
