//! Emergency access (`/api/emergency-access/…`): the grantor's trusted contacts and the
//! grantee's requests, views and takeovers. The domain decides every right; refusals are 400
//! "Emergency Access not valid." as on the official server.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::emergency_access::{
    EmergencyAccessAcceptRequest, EmergencyAccessConfirmRequest,
    EmergencyAccessGranteeDetailsResponse, EmergencyAccessGrantorDetailsResponse,
    EmergencyAccessInviteRequest, EmergencyAccessInviteResponse, EmergencyAccessPasswordRequest,
    EmergencyAccessTakeoverResponse, EmergencyAccessUpdateRequest,
};
use keyfleet_api::org_responses::PolicyResponse;
use keyfleet_api::vault::AttachmentResponse;
use keyfleet_api::ListResponse;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/emergency-access/trusted", get(trusted))
        .route("/api/emergency-access/granted", get(granted))
        .route("/api/emergency-access/invite", post(invite))
        .route(
            "/api/emergency-access/{id}",
            get(contact).put(update).post(update).delete(delete),
        )
        .route("/api/emergency-access/{id}/delete", post(delete))
        .route("/api/emergency-access/{id}/reinvite", post(reinvite))
        .route("/api/emergency-access/{id}/accept", post(accept))
        .route("/api/emergency-access/{id}/confirm", post(confirm))
        .route("/api/emergency-access/{id}/initiate", post(initiate))
        .route("/api/emergency-access/{id}/approve", post(approve))
        .route("/api/emergency-access/{id}/reject", post(reject))
        .route("/api/emergency-access/{id}/view", post(view))
        .route(
            "/api/emergency-access/{id}/{cipher}/attachment/{attachment}",
            get(attachment),
        )
        .route("/api/emergency-access/{id}/takeover", post(takeover))
        .route("/api/emergency-access/{id}/policies", get(policies))
        .route("/api/emergency-access/{id}/password", post(password))
}

/// `GET /api/emergency-access/trusted`: the caller's trusted contacts.
async fn trusted(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<EmergencyAccessGranteeDetailsResponse>>, ApiError> {
    let list = app.domain.trusted_contacts(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        list.iter().map(views::emergency_grantee).collect(),
    )))
}

/// `GET /api/emergency-access/granted`: who trusts the caller.
async fn granted(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<EmergencyAccessGrantorDetailsResponse>>, ApiError> {
    let list = app.domain.granted_emergency_accesses(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        list.iter().map(views::emergency_grantor).collect(),
    )))
}

/// `GET /api/emergency-access/{id}`: one of the caller's trusted contacts.
async fn contact(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<EmergencyAccessGranteeDetailsResponse>, ApiError> {
    let d = app.domain.trusted_contact(&caller, path_id(&id)?).await?;
    Ok(axum::Json(views::emergency_grantee(&d)))
}

/// `POST /api/emergency-access/invite` `{email, type, waitTimeDays}`.
async fn invite(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<EmergencyAccessInviteRequest>,
) -> Result<axum::Json<EmergencyAccessInviteResponse>, ApiError> {
    let i = app.domain.invite_emergency_contact(&caller, &req).await?;
    Ok(axum::Json(views::emergency_invite(&i)))
}

/// `PUT /api/emergency-access/{id}` (and `POST`) `{type, waitTimeDays, keyEncrypted}`.
async fn update(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<EmergencyAccessUpdateRequest>,
) -> Result<(), ApiError> {
    app.domain
        .update_emergency_contact(&caller, path_id(&id)?, &req)
        .await?;
    Ok(())
}

/// `DELETE /api/emergency-access/{id}` (and `POST …/delete`): by the grantor or the grantee.
async fn delete(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_emergency_access(&caller, path_id(&id)?)
        .await?)
}

/// `POST /api/emergency-access/{id}/reinvite`.
async fn reinvite(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<EmergencyAccessInviteResponse>, ApiError> {
    let i = app
        .domain
        .reinvite_emergency_contact(&caller, path_id(&id)?)
        .await?;
    Ok(axum::Json(views::emergency_invite(&i)))
}

/// `POST /api/emergency-access/{id}/accept` `{token}`.
async fn accept(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<EmergencyAccessAcceptRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .accept_emergency_access(&caller, path_id(&id)?, &req.token)
        .await?)
}

/// `POST /api/emergency-access/{id}/confirm` `{key}`.
async fn confirm(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<EmergencyAccessConfirmRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .confirm_emergency_access(&caller, path_id(&id)?, &req.key)
        .await?)
}

/// `POST /api/emergency-access/{id}/initiate`.
async fn initiate(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .initiate_emergency_access(&caller, path_id(&id)?)
        .await?)
}

/// `POST /api/emergency-access/{id}/approve`.
async fn approve(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .approve_emergency_access(&caller, path_id(&id)?)
        .await?)
}

/// `POST /api/emergency-access/{id}/reject`.
async fn reject(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .reject_emergency_access(&caller, path_id(&id)?)
        .await?)
}

/// `POST /api/emergency-access/{id}/view`: the grantor's personal items.
async fn view(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let v = app.domain.emergency_view(&caller, path_id(&id)?).await?;
    Ok(views::emergency_view(&v))
}

/// `GET /api/emergency-access/{id}/{cipherId}/attachment/{attachmentId}`.
async fn attachment(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, cipher, attachment)): Path<(String, String, String)>,
) -> Result<axum::Json<AttachmentResponse>, ApiError> {
    let a = app
        .domain
        .emergency_attachment(&caller, path_id(&id)?, path_id(&cipher)?, &attachment)
        .await?;
    Ok(axum::Json(views::attachment(&a)))
}

/// `POST /api/emergency-access/{id}/takeover`: the grantor's KDF, salt and wrapped key.
async fn takeover(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<EmergencyAccessTakeoverResponse>, ApiError> {
    let t = app
        .domain
        .emergency_takeover_details(&caller, path_id(&id)?)
        .await?;
    Ok(axum::Json(views::emergency_takeover(&t)))
}

/// `GET /api/emergency-access/{id}/policies`: the grantor's policies when they own an
/// organization. The official server answers `data: null` otherwise; an empty list means the
/// same to its clients (no requirement on the new password).
async fn policies(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<ListResponse<PolicyResponse>>, ApiError> {
    let list = app
        .domain
        .emergency_grantor_policies(&caller, path_id(&id)?)
        .await?
        .unwrap_or_default();
    Ok(axum::Json(ListResponse::new(
        list.iter().map(crate::org_views::policy).collect(),
    )))
}

/// `POST /api/emergency-access/{id}/password`: the grantor's new master password
/// (`{newMasterPasswordHash, key}` or `{authenticationData, unlockData}`).
async fn password(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<EmergencyAccessPasswordRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .emergency_password(&caller, path_id(&id)?, &req)
        .await?)
}
