//! `/admin`: the operator's API (creating providers), authorised by the admin token from the
//! configuration. Off (404) when no token is configured. No Bitwarden app calls these routes, so
//! a wrong token may answer 401.

use crate::error::ApiError;
use crate::extract::{ClientIp, Json};
use crate::provider_views as pv;
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use keyfleet_api::provider_requests::AdminProviderCreateRequest;
use keyfleet_api::provider_responses::{
    AdminProviderCreatedResponse, AdminProviderResponse, ProviderResponse,
};
use keyfleet_api::ErrorModel;
use keyfleet_api::ListResponse;
use serde_json::Value;

/// A handler's answer: the typed response as JSON, or the error envelope.
type Answer<T = Value> = Result<axum::Json<T>, ApiError>;

crate::routes::route_table! {
    get "/admin/providers" => list_providers,
    post "/admin/providers" => create_provider,
    post "/admin/providers/{id}/disable" => disable_provider,
    post "/admin/providers/{id}/enable" => enable_provider,
}

/// The operator, proven by `Authorization: Bearer <admin token>`.
pub struct Operator;

/// Why an admin call was refused.
pub enum AdminRejection {
    /// No admin token configured: the admin API does not exist.
    Off,
    /// Missing or wrong token.
    BadToken,
    /// Too many wrong tokens from this address, or the check itself failed.
    Refused(ApiError),
}

impl IntoResponse for AdminRejection {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            AdminRejection::Off => (StatusCode::NOT_FOUND, "Resource not found."),
            AdminRejection::BadToken => (StatusCode::UNAUTHORIZED, "Invalid admin token."),
            AdminRejection::Refused(e) => return e.into_response(),
        };
        (status, axum::Json(ErrorModel::new(message))).into_response()
    }
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = AdminRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let expected = state.admin_token.as_deref().ok_or(AdminRejection::Off)?;
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("")
            .to_string();
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        match state
            .domain
            .authenticate_operator(expected, &given, &ip)
            .await
        {
            Ok(()) => Ok(Operator),
            Err(keyfleet_domain::DomainError::Unauthorized) => Err(AdminRejection::BadToken),
            Err(e) => Err(AdminRejection::Refused(ApiError(e))),
        }
    }
}

/// `POST /admin/providers` `{name, ownerEmail, businessName?, billingEmail?}`.
async fn create_provider(
    State(app): State<AppState>,
    _op: Operator,
    Json(req): Json<AdminProviderCreateRequest>,
) -> Answer<AdminProviderCreatedResponse> {
    let (p, invite) = app.domain.admin_create_provider(&req).await?;
    Ok(axum::Json(AdminProviderCreatedResponse {
        provider: pv::admin_provider(&p, 1, 0),
        owner_email: invite.member.email,
        owner_id: invite.member.id.to_string(),
        setup_url: invite.link,
        token: invite.token,
        mailed: invite.mailed,
    }))
}

/// `GET /admin/providers`.
async fn list_providers(
    State(app): State<AppState>,
    _op: Operator,
) -> Answer<ListResponse<AdminProviderResponse>> {
    let rows = app.domain.admin_providers().await?;
    Ok(axum::Json(crate::org_views::list(
        rows.iter()
            .map(|(p, m, c)| pv::admin_provider(p, *m, *c))
            .collect(),
        None,
    )))
}

async fn set_enabled(app: AppState, id: &str, enabled: bool) -> Answer<ProviderResponse> {
    let p = app
        .domain
        .admin_set_provider_enabled(path_id(id)?, enabled)
        .await?;
    Ok(axum::Json(pv::provider(&p)))
}

/// `POST /admin/providers/{id}/disable`.
async fn disable_provider(
    State(app): State<AppState>,
    _op: Operator,
    Path(id): Path<String>,
) -> Answer<ProviderResponse> {
    set_enabled(app, &id, false).await
}

/// `POST /admin/providers/{id}/enable`.
async fn enable_provider(
    State(app): State<AppState>,
    _op: Operator,
    Path(id): Path<String>,
) -> Answer<ProviderResponse> {
    set_enabled(app, &id, true).await
}
