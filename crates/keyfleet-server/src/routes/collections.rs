//! `/api/organizations/{org}/collections`, `/api/organizations/{org}/groups` and
//! `/api/collections`.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::org_views as v;
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::org_responses::{
    CollectionAccessDetailsResponse, CollectionDetailsResponse, CollectionResponse,
    GroupDetailsResponse, GroupResponse,
};
use keyfleet_api::orgs::{CollectionRequest, GroupRequest, OrganizationUserBulkRequest};
use keyfleet_api::ListResponse;
use keyfleet_domain::DomainError;
use serde_json::Value;

/// A handler's answer: the typed response as JSON, or the error envelope.
type Answer<T = Value> = Result<axum::Json<T>, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/collections", get(my_collections))
        .route(
            "/api/organizations/{org}/collections",
            get(list_collections)
                .post(create_collection)
                .delete(delete_collections),
        )
        .route(
            "/api/organizations/{org}/collections/details",
            get(list_collection_details),
        )
        .route(
            "/api/organizations/{org}/collections/delete",
            post(delete_collections),
        )
        .route(
            "/api/organizations/{org}/collections/{id}",
            get(get_collection)
                .put(update_collection)
                .post(update_collection)
                .delete(delete_collection),
        )
        .route(
            "/api/organizations/{org}/collections/{id}/details",
            get(get_collection_details),
        )
        .route(
            "/api/organizations/{org}/collections/{id}/delete",
            post(delete_collection),
        )
        .route(
            "/api/organizations/{org}/groups",
            get(list_groups).post(create_group).delete(delete_groups),
        )
        .route(
            "/api/organizations/{org}/groups/delete",
            post(delete_groups),
        )
        .route(
            "/api/organizations/{org}/groups/details",
            get(list_group_details),
        )
        .route(
            "/api/organizations/{org}/groups/{id}",
            get(get_group)
                .put(update_group)
                .post(update_group)
                .delete(delete_group),
        )
        .route(
            "/api/organizations/{org}/groups/{id}/details",
            get(get_group),
        )
        .route(
            "/api/organizations/{org}/groups/{id}/users",
            get(group_members),
        )
        .route(
            "/api/organizations/{org}/groups/{id}/user/{member}",
            axum::routing::delete(remove_group_member).post(remove_group_member),
        )
}

/// `GET /api/collections`: every collection the caller reaches, across organizations.
async fn my_collections(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Answer<ListResponse<CollectionDetailsResponse>> {
    let collections = app.domain.my_collections(&caller).await?;
    Ok(axum::Json(v::list(
        collections.iter().map(v::collection_details).collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/collections` (`bw list org-collections`).
async fn list_collections(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<CollectionResponse>> {
    let collections = app.domain.org_collections(&caller, path_id(&org)?).await?;
    Ok(axum::Json(v::list(
        collections.iter().map(v::collection).collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/collections/details`.
async fn list_collection_details(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<CollectionAccessDetailsResponse>> {
    let details = app
        .domain
        .org_collection_details(&caller, path_id(&org)?, None)
        .await?;
    Ok(axum::Json(v::list(
        details
            .iter()
            .map(|(c, a, mine)| v::collection_access_details(c, a, mine.as_ref()))
            .collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/collections/{id}`.
async fn get_collection(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Answer<CollectionResponse> {
    let details = app
        .domain
        .org_collection_details(&caller, path_id(&org)?, Some(path_id(&id)?))
        .await?;
    let (c, _, _) = details.first().ok_or(ApiError(DomainError::NotFound))?;
    Ok(axum::Json(v::collection(c)))
}

/// `GET /api/organizations/{org}/collections/{id}/details`.
async fn get_collection_details(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Answer<CollectionAccessDetailsResponse> {
    let details = app
        .domain
        .org_collection_details(&caller, path_id(&org)?, Some(path_id(&id)?))
        .await?;
    let (c, a, mine) = details.first().ok_or(ApiError(DomainError::NotFound))?;
    Ok(axum::Json(v::collection_access_details(
        c,
        a,
        mine.as_ref(),
    )))
}

/// `POST /api/organizations/{org}/collections`.
async fn create_collection(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<CollectionRequest>,
) -> Answer<CollectionAccessDetailsResponse> {
    let org_id = path_id(&org)?;
    let c = app.domain.create_collection(&caller, org_id, &req).await?;
    collection_answer(&app, &caller, org_id, c.id).await
}

async fn collection_answer(
    app: &AppState,
    caller: &keyfleet_domain::Caller,
    org_id: keyfleet_domain::ids::OrgId,
    id: keyfleet_domain::ids::CollectionId,
) -> Answer<CollectionAccessDetailsResponse> {
    let details = app
        .domain
        .org_collection_details(caller, org_id, Some(id))
        .await?;
    let (c, a, mine) = details.first().ok_or(ApiError(DomainError::NotFound))?;
    Ok(axum::Json(v::collection_access_details(
        c,
        a,
        mine.as_ref(),
    )))
}

/// `PUT /api/organizations/{org}/collections/{id}`.
async fn update_collection(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<CollectionRequest>,
) -> Answer {
    let org_id = path_id(&org)?;
    let c = app
        .domain
        .update_collection(&caller, org_id, path_id(&id)?, &req)
        .await?;
    // The caller may have removed their own access: answer what was saved.
    let answer = match collection_answer(&app, &caller, org_id, c.id).await {
        Err(ApiError(DomainError::NotFound)) => serde_json::to_value(v::collection(&c)),
        other => serde_json::to_value(other?.0),
    };
    Ok(axum::Json(answer.map_err(|e| {
        ApiError(DomainError::Internal(e.to_string()))
    })?))
}

/// `DELETE /api/organizations/{org}/collections/{id}`.
async fn delete_collection(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_collections(&caller, path_id(&org)?, &[id])
        .await?)
}

/// `DELETE /api/organizations/{org}/collections` `{ids}`.
async fn delete_collections(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_collections(&caller, path_id(&org)?, &req.ids)
        .await?)
}

// ------------------------------------------------------------------ groups

/// `GET /api/organizations/{org}/groups`.
async fn list_groups(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<GroupResponse>> {
    let groups = app.domain.org_groups(&caller, path_id(&org)?).await?;
    Ok(axum::Json(v::list(
        groups.iter().map(v::group).collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/groups/details`.
async fn list_group_details(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<GroupDetailsResponse>> {
    let org_id = path_id(&org)?;
    let groups = app.domain.org_groups(&caller, org_id).await?;
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        out.push(group_answer(&app, &caller, org_id, g.id).await?.0);
    }
    Ok(axum::Json(v::list(out, None)))
}

async fn group_answer(
    app: &AppState,
    caller: &keyfleet_domain::Caller,
    org_id: keyfleet_domain::ids::OrgId,
    id: keyfleet_domain::ids::GroupId,
) -> Answer<GroupDetailsResponse> {
    let (g, collections, users) = app.domain.org_group(caller, org_id, id).await?;
    let users: Vec<String> = users.iter().map(ToString::to_string).collect();
    Ok(axum::Json(v::group_details(&g, &collections, &users)))
}

/// `GET /api/organizations/{org}/groups/{id}[/details]`.
async fn get_group(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Answer<GroupDetailsResponse> {
    group_answer(&app, &caller, path_id(&org)?, path_id(&id)?).await
}

/// `GET /api/organizations/{org}/groups/{id}/users`: member ids.
async fn group_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<axum::Json<Vec<String>>, ApiError> {
    let (_, _, users) = app
        .domain
        .org_group(&caller, path_id(&org)?, path_id(&id)?)
        .await?;
    Ok(axum::Json(users.iter().map(ToString::to_string).collect()))
}

/// `POST /api/organizations/{org}/groups`.
async fn create_group(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<GroupRequest>,
) -> Answer<GroupDetailsResponse> {
    let org_id = path_id(&org)?;
    let g = app.domain.save_group(&caller, org_id, None, &req).await?;
    group_answer(&app, &caller, org_id, g.id).await
}

/// `PUT /api/organizations/{org}/groups/{id}`.
async fn update_group(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<GroupRequest>,
) -> Answer<GroupDetailsResponse> {
    let org_id = path_id(&org)?;
    let g = app
        .domain
        .save_group(&caller, org_id, Some(path_id(&id)?), &req)
        .await?;
    group_answer(&app, &caller, org_id, g.id).await
}

/// `DELETE /api/organizations/{org}/groups/{id}/user/{member}`.
async fn remove_group_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id, member)): Path<(String, String, String)>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .remove_group_member(&caller, path_id(&org)?, path_id(&id)?, path_id(&member)?)
        .await?)
}

/// `DELETE /api/organizations/{org}/groups/{id}`.
/// `DELETE /api/organizations/{org}/groups` (and `POST …/groups/delete`), `{ids}`: the admin
/// console's bulk delete.
async fn delete_groups(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_groups(&caller, path_id(&org)?, &req.ids)
        .await?)
}

async fn delete_group(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_group(&caller, path_id(&org)?, path_id(&id)?)
        .await?)
}
