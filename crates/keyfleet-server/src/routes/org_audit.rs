//! Organization policies and the event log: `/api/organizations/{org}/policies`,
//! `/api/organizations/{org}/events`, `/api/ciphers/{id}/events` and `/events/collect`.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::org_views as v;
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::org_responses::{EventResponse, PolicyResponse};
use keyfleet_api::orgs::{
    EventCollectRequest, EventRangeQuery, PoliciesByInviteQuery, PolicyRequest,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::orgs::{EventPage, EventRange};
use serde_json::Value;

/// A handler's answer: the typed response as JSON, or the error envelope.
type Answer<T = Value> = Result<axum::Json<T>, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/organizations/{org}/policies", get(list_policies))
        .route(
            "/api/organizations/{org}/policies/token",
            get(policies_by_invite),
        )
        .route(
            "/api/organizations/{org}/policies/{type}",
            get(get_policy).put(save_policy),
        )
        .route("/api/organizations/{org}/events", get(org_events))
        .route(
            "/api/organizations/{org}/users/{id}/events",
            get(member_events),
        )
        .route("/api/ciphers/{id}/events", get(cipher_events))
        .route("/events/collect", post(collect_events))
        .route("/api/events/collect", post(collect_events))
}

/// The domain's view of `?start&end&continuationToken`.
pub(crate) fn event_range(q: &EventRangeQuery) -> EventRange<'_> {
    EventRange {
        start: q.start.as_deref(),
        end: q.end.as_deref(),
        continuation_token: q.continuation_token.as_deref(),
    }
}

fn page(p: EventPage) -> ListResponse<EventResponse> {
    v::list(
        p.events.iter().map(v::event).collect(),
        p.continuation_token,
    )
}

fn policy_type(raw: &str) -> Result<i32, ApiError> {
    raw.parse()
        .map_err(|_| ApiError(keyfleet_domain::DomainError::NotFound))
}

/// `GET /api/organizations/{org}/policies`.
async fn list_policies(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<PolicyResponse>> {
    let policies = app.domain.org_policies(&caller, path_id(&org)?).await?;
    Ok(axum::Json(v::list(
        policies.iter().map(v::policy).collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/policies/token?token=&email=&organizationUserId=` (anonymous):
/// the enabled policies an invitee's web vault reads before accepting.
async fn policies_by_invite(
    State(app): State<AppState>,
    Path(org): Path<String>,
    Query(q): Query<PoliciesByInviteQuery>,
) -> Answer<ListResponse<PolicyResponse>> {
    let (Some(token), Some(email), Some(member)) = (&q.token, &q.email, &q.organization_user_id)
    else {
        return Err(ApiError(keyfleet_domain::DomainError::NotFound));
    };
    let policies = app
        .domain
        .policies_by_invite(path_id(&org)?, member, email, token)
        .await?;
    Ok(axum::Json(v::list(
        policies.iter().map(v::policy).collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/policies/{type}`.
async fn get_policy(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, t)): Path<(String, String)>,
) -> Answer<PolicyResponse> {
    let p = app
        .domain
        .org_policy(&caller, path_id(&org)?, policy_type(&t)?)
        .await?;
    Ok(axum::Json(v::policy(&p)))
}

/// `PUT /api/organizations/{org}/policies/{type}` `{enabled, data}`.
async fn save_policy(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, t)): Path<(String, String)>,
    Json(req): Json<PolicyRequest>,
) -> Answer<PolicyResponse> {
    let p = app
        .domain
        .save_policy(&caller, path_id(&org)?, policy_type(&t)?, &req)
        .await?;
    Ok(axum::Json(v::policy(&p)))
}

/// `GET /api/organizations/{org}/events?start&end&continuationToken`.
async fn org_events(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Query(q): Query<EventRangeQuery>,
) -> Answer<ListResponse<EventResponse>> {
    let p = app
        .domain
        .org_events(&caller, path_id(&org)?, &event_range(&q))
        .await?;
    Ok(axum::Json(page(p)))
}

/// `GET /api/organizations/{org}/users/{id}/events`.
async fn member_events(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Query(q): Query<EventRangeQuery>,
) -> Answer<ListResponse<EventResponse>> {
    let p = app
        .domain
        .org_member_events(&caller, path_id(&org)?, path_id(&id)?, &event_range(&q))
        .await?;
    Ok(axum::Json(page(p)))
}

/// `GET /api/ciphers/{id}/events`.
async fn cipher_events(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Query(q): Query<EventRangeQuery>,
) -> Answer<ListResponse<EventResponse>> {
    let p = app
        .domain
        .cipher_events(&caller, path_id(&id)?, &event_range(&q))
        .await?;
    Ok(axum::Json(page(p)))
}

/// `POST /events/collect` `[{type, cipherId?, date, organizationId?}]`.
async fn collect_events(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<Vec<EventCollectRequest>>,
) -> Result<(), ApiError> {
    Ok(app.domain.collect_events(&caller, &req).await?)
}
