//! `/api/public/…`: the read-only public API an organization API key reaches (members,
//! collections, events of that organization), shaped like the official public API's models.

use crate::error::ApiError;
use crate::extract::OrgAuthed;
use crate::org_views as v;
use crate::routes::org_audit::event_range;
use crate::state::AppState;
use axum::extract::{Query, State};
use keyfleet_api::org_responses::{CollectionResponse, EventResponse, PublicMemberResponse};
use keyfleet_api::orgs::EventRangeQuery;
use keyfleet_api::ListResponse;
use serde_json::Value;

/// A handler's answer: the typed response as JSON, or the error envelope.
type Answer<T = Value> = Result<axum::Json<T>, ApiError>;

crate::routes::route_table! {
    get "/api/public/members" => members,
    get "/api/public/collections" => collections,
    get "/api/public/events" => events,
}

/// `GET /api/public/members`.
async fn members(
    State(app): State<AppState>,
    OrgAuthed(org): OrgAuthed,
) -> Answer<ListResponse<PublicMemberResponse>> {
    let members = app.domain.public_members(&org).await?;
    Ok(axum::Json(v::list(
        members
            .iter()
            .map(|d| PublicMemberResponse {
                id: d.member.id.to_string(),
                user_id: d.member.user_id.map(|u| u.to_string()),
                name: d.name.clone(),
                email: d.email.clone(),
                member_type: d.member.member_type,
                status: d.member.status,
                two_factor_enabled: d.two_factor_enabled,
                external_id: d.member.external_id.clone(),
                collections: d.collections.iter().map(v::selection).collect(),
                object: "member".into(),
            })
            .collect(),
        None,
    )))
}

/// `GET /api/public/collections`.
async fn collections(
    State(app): State<AppState>,
    OrgAuthed(org): OrgAuthed,
) -> Answer<ListResponse<CollectionResponse>> {
    let collections = app.domain.public_collections(&org).await?;
    Ok(axum::Json(v::list(
        collections.iter().map(v::collection).collect(),
        None,
    )))
}

/// `GET /api/public/events?start&end&continuationToken`.
async fn events(
    State(app): State<AppState>,
    OrgAuthed(org): OrgAuthed,
    Query(q): Query<EventRangeQuery>,
) -> Answer<ListResponse<EventResponse>> {
    let page = app.domain.public_events(&org, &event_range(&q)).await?;
    Ok(axum::Json(v::list(
        page.events.iter().map(v::event).collect(),
        page.continuation_token,
    )))
}
