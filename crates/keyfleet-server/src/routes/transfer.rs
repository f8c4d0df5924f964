//! Data in and out: `POST /api/ciphers/import` and `POST /api/ciphers/import-organization`
//! (`bw import`, every format the clients convert), and `GET /api/organizations/{org}/export`
//! (`bw export --organizationid`).

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::org_views;
use crate::routes::path_id;
use crate::state::AppState;
use crate::views::{raw_json, write_cipher};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::imports::{
    ImportCiphersRequest, ImportOrganizationCiphersRequest, ImportOrganizationQuery,
};
use keyfleet_api::ErrorModel;

/// Largest import body: the clients send a whole file's items in one request, and 20,000
/// encrypted logins come to about 25 MiB. Every other route keeps the 2 MiB limit.
pub const MAX_IMPORT_BODY_BYTES: usize = 32 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/ciphers/import",
            post(import_ciphers)
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BODY_BYTES))
                .layer(axum::middleware::map_response(explain_too_large)),
        )
        .route(
            "/api/ciphers/import-organization",
            post(import_org_ciphers)
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BODY_BYTES))
                .layer(axum::middleware::map_response(explain_too_large)),
        )
        .route("/api/organizations/{org}/export", get(export_org))
}

/// An import over the body limit says what to do, instead of the generic "too large".
async fn explain_too_large(res: Response) -> Response {
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return res;
    }
    let message = format!(
        "The import is larger than {} MiB. Split the file and import it in parts.",
        MAX_IMPORT_BODY_BYTES / (1024 * 1024)
    );
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        axum::Json(ErrorModel::new(message)),
    )
        .into_response()
}

/// `POST /api/ciphers/import`: items and folders into the caller's own vault.
async fn import_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<ImportCiphersRequest>,
) -> Result<(), ApiError> {
    Ok(app.domain.import_personal(&caller, &req).await?)
}

/// `POST /api/ciphers/import-organization?organizationId=`: items and collections into an
/// organization.
async fn import_org_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Query(q): Query<ImportOrganizationQuery>,
    Json(req): Json<ImportOrganizationCiphersRequest>,
) -> Result<(), ApiError> {
    let org = path_id(&q.organization_id)?;
    Ok(app.domain.import_org(&caller, org, &req).await?)
}

/// `GET /api/organizations/{org}/export`: `{collections, ciphers, object:
/// "organizationExport"}`, the items as `cipherMiniDetails` spliced from their stored JSON.
async fn export_org(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Result<Response, ApiError> {
    let export = app.domain.export_org(&caller, path_id(&org)?).await?;
    let collections: Vec<_> = export
        .collections
        .iter()
        .map(org_views::collection)
        .collect();
    let mut out = b"{\"object\":\"organizationExport\",\"collections\":".to_vec();
    serde_json::to_writer(&mut out, &collections).map_err(|e| {
        ApiError(keyfleet_domain::DomainError::Internal(format!(
            "export: {e}"
        )))
    })?;
    out.extend_from_slice(b",\"ciphers\":[");
    for (i, v) in export.ciphers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_cipher(&mut out, v, "cipherMiniDetails");
    }
    out.extend_from_slice(b"]}");
    Ok(raw_json(out))
}
