//! `/api/folders`.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use axum::Router;
use keyfleet_api::vault::{FolderRequest, FolderResponse, IdsRequest};
use keyfleet_api::ListResponse;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/folders",
            get(list_folders).post(create_folder).delete(delete_folders),
        )
        .route("/api/folders/all", delete(delete_all_folders))
        .route(
            "/api/folders/{id}",
            get(get_folder)
                .put(rename_folder)
                .post(rename_folder)
                .delete(delete_folder),
        )
        .route("/api/folders/{id}/delete", post(delete_folder))
}

/// `GET /api/folders`.
async fn list_folders(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<FolderResponse>>, ApiError> {
    let folders = app.domain.list_folders(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        folders.iter().map(views::folder).collect(),
    )))
}

/// `GET /api/folders/{id}`.
async fn get_folder(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<FolderResponse>, ApiError> {
    let folder = app.domain.folder(&caller, path_id(&id)?).await?;
    Ok(axum::Json(views::folder(&folder)))
}

/// `POST /api/folders`.
async fn create_folder(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<FolderRequest>,
) -> Result<axum::Json<FolderResponse>, ApiError> {
    let folder = app.domain.create_folder(&caller, &req.name).await?;
    Ok(axum::Json(views::folder(&folder)))
}

/// `PUT /api/folders/{id}`.
async fn rename_folder(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<FolderRequest>,
) -> Result<axum::Json<FolderResponse>, ApiError> {
    let folder = app
        .domain
        .rename_folder(&caller, path_id(&id)?, &req.name)
        .await?;
    Ok(axum::Json(views::folder(&folder)))
}

/// `DELETE /api/folders/{id}`: its items stay, unfiled.
async fn delete_folder(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app.domain.delete_folder(&caller, path_id(&id)?).await?)
}

/// `DELETE /api/folders` with `{ids}`.
async fn delete_folders(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<IdsRequest>,
) -> Result<(), ApiError> {
    Ok(app.domain.delete_folders(&caller, Some(&req.ids)).await?)
}

/// `DELETE /api/folders/all`.
async fn delete_all_folders(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<(), ApiError> {
    Ok(app.domain.delete_folders(&caller, None).await?)
}
