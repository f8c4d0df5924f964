//! Account recovery (Bitwarden's "admin password reset"): a member's enrolment, the details an
//! administrator's client needs, the recovery itself, and the member's new password afterwards.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::Router;
use keyfleet_api::accounts::UpdateTempPasswordRequest;
use keyfleet_api::org_responses::OrganizationUserResetPasswordDetailsResponse;
use keyfleet_api::orgs::{
    OrganizationUserBulkRequest, OrganizationUserResetPasswordEnrollmentRequest,
    OrganizationUserResetPasswordRequest,
};
use keyfleet_api::ListResponse;

pub fn routes() -> Router<AppState> {
    Router::new()
        // `{id}` is the member's USER id here (the official clients send it so), the
        // organization-user id in the calls below.
        .route(
            "/api/organizations/{org}/users/{id}/reset-password-enrollment",
            put(set_enrolment),
        )
        .route(
            "/api/organizations/{org}/users/{id}/reset-password-details",
            get(recovery_details),
        )
        .route(
            "/api/organizations/{org}/users/account-recovery-details",
            post(recovery_details_of_many),
        )
        .route(
            "/api/organizations/{org}/users/{id}/recover-account",
            put(recover_account),
        )
        // The older name, still served by Vaultwarden (same body).
        .route(
            "/api/organizations/{org}/users/{id}/reset-password",
            put(recover_account),
        )
        .route(
            "/api/accounts/update-temp-password",
            put(update_temp_password),
        )
}

/// `PUT /api/organizations/{org}/users/{userId}/reset-password-enrollment`
/// `{resetPasswordKey, masterPasswordHash}`: enrol (or withdraw with `null`).
async fn set_enrolment(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<OrganizationUserResetPasswordEnrollmentRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .set_recovery_enrolment(&caller, path_id(&org)?, path_id(&id)?, &req)
        .await?)
}

/// `GET /api/organizations/{org}/users/{id}/reset-password-details`.
async fn recovery_details(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<axum::Json<OrganizationUserResetPasswordDetailsResponse>, ApiError> {
    let d = app
        .domain
        .recovery_details(&caller, path_id(&org)?, path_id(&id)?)
        .await?;
    Ok(axum::Json(crate::org_views::recovery_details(&d)))
}

/// `POST /api/organizations/{org}/users/account-recovery-details` `{ids}`: the details of the
/// named members the caller may recover (the others are left out).
async fn recovery_details_of_many(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Result<axum::Json<ListResponse<OrganizationUserResetPasswordDetailsResponse>>, ApiError> {
    let details = app
        .domain
        .recovery_details_of_many(&caller, path_id(&org)?, &req.ids)
        .await?;
    Ok(axum::Json(ListResponse::new(
        details
            .iter()
            .map(crate::org_views::recovery_details)
            .collect(),
    )))
}

/// `PUT /api/organizations/{org}/users/{id}/recover-account` (and `…/reset-password`)
/// `{resetMasterPassword, resetTwoFactor, newMasterPasswordHash, key}`.
async fn recover_account(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<OrganizationUserResetPasswordRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .recover_account(&caller, path_id(&org)?, path_id(&id)?, &req)
        .await?)
}

/// `PUT /api/accounts/update-temp-password` `{newMasterPasswordHash, key, masterPasswordHint}`.
async fn update_temp_password(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<UpdateTempPasswordRequest>,
) -> Result<(), ApiError> {
    Ok(app.domain.update_temp_password(&caller, &req).await?)
}
