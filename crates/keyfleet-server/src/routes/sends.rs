//! `/api/sends…`: the owner's Send calls, and the anonymous access calls recipients make — with a
//! Send access token from the identity server's `send_access` grant (`POST /api/sends/access`,
//! the current clients) or with the password in the body (`POST /api/sends/access/{accessId}`,
//! older clients).

mod files;

use crate::error::{ApiError, IdentityError};
use crate::extract::{bearer, Authed, ClientIp, Json};
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use keyfleet_api::sends::{
    SendAccessErrorResponse, SendAccessRequest, SendAccessResponse, SendAccessTokenResponse,
    SendFileModel, SendRequest, SendResponse, SendTextModel,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::sends::file::{readable_size, SendFileData};
use keyfleet_domain::sends::{access_id, AccessedSend, SendAccessRefusal, SEND_ACCESS_TOKEN_SECS};
use keyfleet_domain::store::{SendKind, SendRow};
use keyfleet_domain::DomainError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/sends", get(list_sends).post(create_send))
        .route(
            "/api/sends/{id}",
            get(get_send).put(update_send).delete(delete_send),
        )
        .route("/api/sends/{id}/remove-password", put(remove_send_password))
        .route("/api/sends/{id}/remove-auth", put(remove_send_password))
        .route("/api/sends/access", post(access_send))
        .route("/api/sends/access/{access_id}", post(access_send_legacy))
        .merge(files::routes())
}

/// `AuthType` as the clients read it: 1 password, 2 none.
fn auth_type(s: &SendRow) -> i32 {
    if s.password_hash.is_some() {
        1
    } else {
        2
    }
}

/// A file Send's file as owners and recipients see it (`SendFileModel`).
fn file_of(s: &SendRow) -> Option<SendFileModel> {
    SendFileData::of(s).map(|f| SendFileModel {
        id: Some(f.id),
        file_name: Some(f.file_name),
        size: Some(f.size.to_string()),
        size_name: Some(readable_size(f.size)),
    })
}

fn text_of(s: &SendRow) -> Option<SendTextModel> {
    (s.kind == SendKind::Text).then(|| SendTextModel {
        text: s.text.clone(),
        hidden: s.text_hidden,
    })
}

/// A Send as its owner sees it (`SendResponseModel`).
pub(crate) fn send_response(s: &SendRow) -> SendResponse {
    SendResponse {
        id: s.id.to_string(),
        access_id: access_id(s.id),
        send_type: s.kind.code(),
        auth_type: auth_type(s),
        name: s.name.clone(),
        notes: s.notes.clone(),
        text: text_of(s),
        file: file_of(s),
        key: s.key.clone(),
        max_access_count: s.max_access_count,
        access_count: s.access_count,
        password: s.password_hash.clone(),
        emails: None,
        disabled: s.disabled,
        hide_email: s.hide_email,
        revision_date: s.revision_date.to_iso(),
        expiration_date: s.expiration_date.map(|t| t.to_iso()),
        deletion_date: s.deletion_date.to_iso(),
        object: "send".into(),
    }
}

/// What a recipient reads (`SendAccessResponseModel`).
fn access_response(a: &AccessedSend) -> SendAccessResponse {
    let s = &a.send;
    SendAccessResponse {
        id: access_id(s.id),
        send_type: s.kind.code(),
        auth_type: auth_type(s),
        name: s.name.clone(),
        text: text_of(s),
        file: file_of(s),
        expiration_date: s.expiration_date.map(|t| t.to_iso()),
        creator_identifier: a.creator_email.clone(),
        object: "send-access".into(),
    }
}

/// `GET /api/sends`.
async fn list_sends(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<SendResponse>>, ApiError> {
    let sends = app.domain.list_sends(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        sends.iter().map(send_response).collect(),
    )))
}

/// `GET /api/sends/{id}`.
async fn get_send(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<SendResponse>, ApiError> {
    let send = app.domain.send(&caller, path_id(&id)?).await?;
    Ok(axum::Json(send_response(&send)))
}

/// `POST /api/sends`: a text Send.
async fn create_send(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<SendRequest>,
) -> Result<axum::Json<SendResponse>, ApiError> {
    let send = app.domain.create_send(&caller, &req).await?;
    Ok(axum::Json(send_response(&send)))
}

/// `PUT /api/sends/{id}`.
async fn update_send(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<SendRequest>,
) -> Result<axum::Json<SendResponse>, ApiError> {
    let send = app.domain.update_send(&caller, path_id(&id)?, &req).await?;
    Ok(axum::Json(send_response(&send)))
}

/// `PUT /api/sends/{id}/remove-password` (and `remove-auth`, its newer name).
async fn remove_send_password(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<SendResponse>, ApiError> {
    let send = app
        .domain
        .remove_send_password(&caller, path_id(&id)?)
        .await?;
    Ok(axum::Json(send_response(&send)))
}

/// `DELETE /api/sends/{id}`.
async fn delete_send(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.domain.delete_send(&caller, path_id(&id)?).await?;
    Ok(StatusCode::OK)
}

/// The bearer of `POST /api/sends/access`: a Send access token, not a user's (those have
/// another audience and open no Send). A missing one is a 401 like any missing token.
pub(crate) struct SendAccessBearer(pub(crate) String);

impl FromRequestParts<AppState> for SendAccessBearer {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        bearer(parts)
            .map(|t| SendAccessBearer(t.to_string()))
            .ok_or(ApiError(DomainError::Unauthorized))
    }
}

/// `POST /api/sends/access`: a recipient spends a Send access token; counts one access.
async fn access_send(
    State(app): State<AppState>,
    SendAccessBearer(token): SendAccessBearer,
) -> Result<axum::Json<SendAccessResponse>, ApiError> {
    let accessed = app.domain.access_send_with_token(&token).await?;
    Ok(axum::Json(access_response(&accessed)))
}

/// `POST /api/sends/access/{accessId}` `{password}`: the older anonymous access. A missing or
/// wrong password is a 400 (the older clients then ask for it), as on the official server.
async fn access_send_legacy(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(access_id): Path<String>,
    Json(body): Json<SendAccessRequest>,
) -> Result<axum::Json<SendAccessResponse>, ApiError> {
    let password = body.password;
    match app
        .domain
        .access_send_legacy(&access_id, password.as_deref(), &ip)
        .await?
    {
        Ok(accessed) => Ok(axum::Json(access_response(&accessed))),
        Err(refusal) => Err(legacy_refusal(refusal)),
    }
}

/// A legacy access call's password refusal: a 400 the older clients answer by asking for it.
pub(crate) fn legacy_refusal(refusal: SendAccessRefusal) -> ApiError {
    match refusal {
        SendAccessRefusal::PasswordRequired => {
            ApiError(DomainError::invalid("password", "Password is required."))
        }
        _ => ApiError(DomainError::invalid("password", "Invalid password.")),
    }
}

/// The identity server's `send_access` grant (`grant_type=send_access`, `send_id`,
/// `password_hash_b64`): a token, or the OAuth error with the `send_access_error_type` the
/// clients branch on (they ask for the password on `password_hash_b64_required`).
pub(crate) async fn send_access_grant(
    app: &AppState,
    send_id: Option<&str>,
    password_hash_b64: Option<&str>,
    ip: &str,
) -> Result<Response, IdentityError> {
    let refusal = match app
        .domain
        .send_access_token(send_id, password_hash_b64, ip)
        .await
    {
        // Too many wrong passwords: the answer of the official server's rate limit on
        // `/connect/token` (a 429 with its error model and `Retry-After`).
        Err(DomainError::RateLimited { retry_after_secs }) => {
            let message = format!(
                "Slow down! Too many requests. Try again in {}m.",
                retry_after_secs.div_ceil(60)
            );
            return Ok((
                StatusCode::TOO_MANY_REQUESTS,
                [(
                    axum::http::header::RETRY_AFTER,
                    retry_after_secs.to_string(),
                )],
                axum::Json(keyfleet_api::ErrorModel::new(message)),
            )
                .into_response());
        }
        Err(e) => return Err(e.into()),
        Ok(Ok(token)) => {
            return Ok(axum::Json(SendAccessTokenResponse {
                access_token: token,
                expires_in: SEND_ACCESS_TOKEN_SECS,
                token_type: "Bearer".into(),
                scope: "api.send.access".into(),
            })
            .into_response())
        }
        Ok(Err(refusal)) => refusal,
    };
    let (error, kind, description) = match refusal {
        SendAccessRefusal::SendIdRequired => (
            "invalid_request",
            "send_id_required",
            "send_id is required.",
        ),
        SendAccessRefusal::SendIdInvalid => {
            ("invalid_grant", "send_id_invalid", "send_id is invalid.")
        }
        SendAccessRefusal::PasswordRequired => (
            "invalid_request",
            "password_hash_b64_required",
            "password_hash_b64 is required.",
        ),
        SendAccessRefusal::PasswordInvalid => (
            "invalid_grant",
            "password_hash_b64_invalid",
            "password_hash_b64 is invalid.",
        ),
    };
    Ok((
        StatusCode::BAD_REQUEST,
        axum::Json(SendAccessErrorResponse {
            error: error.into(),
            error_description: description.into(),
            send_access_error_type: kind.into(),
        }),
    )
        .into_response())
}
