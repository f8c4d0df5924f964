//! `/api/auth-requests/…`: log in with a device. Creating a request and reading its answer are
//! anonymous (the access code proves the requester); listing and answering need the account's
//! bearer token. The login itself is the password grant with `authRequest` (`identity`).
//! Admin approval: `admin-request` (anonymous here, like a type-0 request: Keyfleet has no SSO
//! session to ask it in) and the organization's routes under
//! `/api/organizations/{org}/auth-requests`, where an administrator answers.

use crate::error::ApiError;
use crate::extract::{Authed, ClientIp, Json};
use crate::routes::path_id;
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::devices::{
    AdminAuthRequestUpdateRequest, AuthRequestCreateRequest, AuthRequestResponse,
    AuthRequestUpdateRequest, BulkDenyAdminAuthRequestRequest,
    OrganizationAuthRequestUpdateManyRequest, PendingOrganizationAuthRequestResponse,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::identity::auth_requests::RequestOrigin;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        // The clients post to the trailing-slash form.
        .route(
            "/api/auth-requests",
            get(list_auth_requests).post(create_auth_request),
        )
        .route(
            "/api/auth-requests/",
            axum::routing::post(create_auth_request),
        )
        .route("/api/auth-requests/pending", get(pending_auth_requests))
        .route(
            "/api/auth-requests/admin-request",
            post(create_admin_request),
        )
        .route(
            "/api/organizations/{org}/auth-requests",
            get(org_auth_requests).post(answer_org_auth_requests),
        )
        .route(
            "/api/organizations/{org}/auth-requests/deny",
            post(deny_org_auth_requests),
        )
        .route(
            "/api/organizations/{org}/auth-requests/{id}",
            post(answer_org_auth_request),
        )
        .route(
            "/api/auth-requests/{id}",
            get(get_auth_request).put(answer_auth_request),
        )
        .route(
            "/api/auth-requests/{id}/response",
            get(auth_request_response),
        )
}

/// `POST /api/auth-requests[/]` (anonymous, `Device-Type` header).
async fn create_auth_request(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(req): Json<AuthRequestCreateRequest>,
) -> Result<axum::Json<AuthRequestResponse>, ApiError> {
    let device_type = headers.get("Device-Type").and_then(|v| v.to_str().ok());
    let row = app
        .domain
        .create_auth_request(
            &req,
            RequestOrigin {
                device_type,
                ip: &ip,
            },
        )
        .await?;
    Ok(axum::Json(views::auth_request(&row, &app.public_url, None)))
}

/// `POST /api/auth-requests/admin-request` (anonymous, `Device-Type` header): ask the member's
/// organizations to approve this device.
async fn create_admin_request(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(req): Json<AuthRequestCreateRequest>,
) -> Result<axum::Json<AuthRequestResponse>, ApiError> {
    let device_type = headers.get("Device-Type").and_then(|v| v.to_str().ok());
    let row = app
        .domain
        .create_admin_auth_request(
            &req,
            RequestOrigin {
                device_type,
                ip: &ip,
            },
        )
        .await?;
    Ok(axum::Json(views::auth_request(&row, &app.public_url, None)))
}

/// `GET /api/organizations/{org}/auth-requests`: pending admin approval requests.
async fn org_auth_requests(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Result<axum::Json<ListResponse<PendingOrganizationAuthRequestResponse>>, ApiError> {
    let rows = app
        .domain
        .pending_org_auth_requests(&caller, path_id(&org)?)
        .await?;
    Ok(axum::Json(ListResponse::new(
        rows.iter().map(views::org_auth_request).collect(),
    )))
}

/// `POST /api/organizations/{org}/auth-requests/{id}`: approve or deny one request.
async fn answer_org_auth_request(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<AdminAuthRequestUpdateRequest>,
) -> Result<(), ApiError> {
    app.domain
        .answer_org_auth_request(
            &caller,
            path_id(&org)?,
            path_id(&id)?,
            req.request_approved,
            req.encrypted_user_key.as_deref(),
        )
        .await?;
    Ok(())
}

/// `POST /api/organizations/{org}/auth-requests`: answer several requests.
async fn answer_org_auth_requests(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<Vec<OrganizationAuthRequestUpdateManyRequest>>,
) -> Result<(), ApiError> {
    app.domain
        .answer_org_auth_requests(&caller, path_id(&org)?, &req)
        .await?;
    Ok(())
}

/// `POST /api/organizations/{org}/auth-requests/deny`: deny several requests.
async fn deny_org_auth_requests(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<BulkDenyAdminAuthRequestRequest>,
) -> Result<(), ApiError> {
    let answers: Vec<_> = req
        .ids
        .into_iter()
        .map(|id| OrganizationAuthRequestUpdateManyRequest {
            id,
            key: None,
            approved: false,
        })
        .collect();
    app.domain
        .answer_org_auth_requests(&caller, path_id(&org)?, &answers)
        .await?;
    Ok(())
}

/// `GET /api/auth-requests`.
async fn list_auth_requests(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<AuthRequestResponse>>, ApiError> {
    let rows = app.domain.list_auth_requests(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        rows.iter()
            .map(|r| views::auth_request(r, &app.public_url, None))
            .collect(),
    )))
}

/// `GET /api/auth-requests/pending`: the newest pending request of each device.
async fn pending_auth_requests(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<AuthRequestResponse>>, ApiError> {
    let rows = app.domain.pending_auth_requests(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        rows.iter()
            .map(|p| views::auth_request(&p.request, &app.public_url, Some(p.device_id)))
            .collect(),
    )))
}

/// `GET /api/auth-requests/{id}` (the caller's own only).
async fn get_auth_request(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<AuthRequestResponse>, ApiError> {
    let row = app.domain.auth_request_of(&caller, path_id(&id)?).await?;
    Ok(axum::Json(views::auth_request(&row, &app.public_url, None)))
}

/// `PUT /api/auth-requests/{id}`: approve (with the wrapped user key) or deny.
async fn answer_auth_request(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<AuthRequestUpdateRequest>,
) -> Result<axum::Json<AuthRequestResponse>, ApiError> {
    let row = app
        .domain
        .answer_auth_request(&caller, path_id(&id)?, &req)
        .await?;
    Ok(axum::Json(views::auth_request(&row, &app.public_url, None)))
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

/// `GET /api/auth-requests/{id}/response?code=` (anonymous): the answer, for the access code's
/// holder.
async fn auth_request_response(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Result<axum::Json<AuthRequestResponse>, ApiError> {
    let row = app
        .domain
        .auth_request_response(path_id(&id)?, q.code.as_deref().unwrap_or_default(), &ip)
        .await?;
    Ok(axum::Json(views::auth_request(&row, &app.public_url, None)))
}
