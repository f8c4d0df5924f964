//! `/api/ciphers`: vault items, personal and organizational.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::routes::sync::stream_ciphers;
use crate::state::AppState;
use crate::views::{cipher_list_response, cipher_response, raw_json, write_cipher};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use keyfleet_api::orgs::{
    CipherBulkShareRequest, CipherBulkUpdateCollectionsRequest, CipherCollectionsRequest,
    CipherShareRequest,
};
use keyfleet_api::vault::{
    CipherBulkMoveRequest, CipherBulkRequest, CipherCreateRequest, CipherPartialRequest,
    CipherRequest,
};
use keyfleet_domain::store::BulkCipherChange;
use keyfleet_domain::DomainError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/ciphers",
            get(list_ciphers).post(create_cipher).delete(purge_ciphers),
        )
        .route("/api/ciphers/create", post(create_cipher_with_collections))
        .route(
            "/api/ciphers/delete",
            put(soft_delete_ciphers).post(purge_ciphers),
        )
        .route("/api/ciphers/restore", put(restore_ciphers))
        .route("/api/ciphers/move", put(move_ciphers).post(move_ciphers))
        .route("/api/ciphers/share", put(share_ciphers).post(share_ciphers))
        .route(
            "/api/ciphers/{id}",
            get(get_cipher)
                .put(update_cipher)
                .post(update_cipher)
                .delete(purge_cipher),
        )
        .route("/api/ciphers/{id}/details", get(get_cipher_details))
        .route("/api/ciphers/{id}/full-details", get(get_cipher_details))
        .route(
            "/api/ciphers/{id}/partial",
            put(update_partial).post(update_partial),
        )
        .route(
            "/api/ciphers/{id}/delete",
            put(soft_delete_cipher).post(purge_cipher),
        )
        .route("/api/ciphers/{id}/restore", put(restore_cipher))
        .route(
            "/api/ciphers/{id}/share",
            put(share_cipher).post(share_cipher),
        )
        .route(
            "/api/ciphers/{id}/collections",
            put(set_collections).post(set_collections),
        )
        .route(
            "/api/ciphers/{id}/collections_v2",
            put(set_collections_v2).post(set_collections_v2),
        )
        .route(
            "/api/ciphers/{id}/collections-admin",
            put(set_collections_admin).post(set_collections_admin),
        )
        .route("/api/ciphers/organization-details", get(org_cipher_details))
        .route(
            "/api/ciphers/bulk-collections",
            post(bulk_update_collections),
        )
        .route("/api/ciphers/admin", post(create_cipher_with_collections))
        .route(
            "/api/ciphers/{id}/admin",
            put(admin_update_cipher)
                .post(admin_update_cipher)
                .delete(admin_purge_cipher),
        )
        .route(
            "/api/ciphers/{id}/delete-admin",
            put(admin_soft_delete_cipher).post(admin_purge_cipher),
        )
        .route("/api/ciphers/{id}/restore-admin", put(admin_restore_cipher))
}

/// `GET /api/ciphers`: every item the caller can read, streamed like sync.
async fn list_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<Response, ApiError> {
    let slot = app.sync_slots.acquire(caller.user().id)?;
    Ok(stream_ciphers(
        app.domain.clone(),
        caller,
        slot,
        b"{\"object\":\"list\",\"data\":[".to_vec(),
        b"],\"continuationToken\":null}",
    ))
}

/// `GET /api/ciphers/{id}`.
async fn get_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = app.domain.cipher(&caller, path_id(&id)?).await?;
    Ok(cipher_response(&view, "cipher"))
}

/// `GET /api/ciphers/{id}/details`.
async fn get_cipher_details(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let view = app.domain.cipher(&caller, path_id(&id)?).await?;
    Ok(cipher_response(&view, "cipherDetails"))
}

/// `POST /api/ciphers`.
async fn create_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherRequest>,
) -> Result<Response, ApiError> {
    let view = if req
        .organization_id
        .as_deref()
        .is_some_and(|o| !o.is_empty())
    {
        app.domain.create_org_cipher(&caller, &req, &[]).await?
    } else {
        app.domain.create_cipher(&caller, &req).await?
    };
    Ok(cipher_response(&view, "cipherDetails"))
}

/// `POST /api/ciphers/create`: the organization form; personal items are accepted without collections.
async fn create_cipher_with_collections(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherCreateRequest>,
) -> Result<Response, ApiError> {
    let org = req
        .cipher
        .organization_id
        .as_deref()
        .filter(|o| !o.is_empty());
    let view = match org {
        Some(_) => {
            app.domain
                .create_org_cipher(&caller, &req.cipher, &req.collection_ids)
                .await?
        }
        None if req.collection_ids.is_empty() => {
            app.domain.create_cipher(&caller, &req.cipher).await?
        }
        None => {
            return Err(ApiError(DomainError::invalid(
                "collectionIds",
                "Collections belong to organization items: set organizationId.",
            )))
        }
    };
    Ok(cipher_response(&view, "cipherDetails"))
}

/// `PUT /api/ciphers/{id}`: refused when the client's copy is stale.
async fn update_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherRequest>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .update_cipher(&caller, path_id(&id)?, &req)
        .await?;
    Ok(cipher_response(&view, "cipherDetails"))
}

/// `PUT /api/ciphers/{id}/admin`: an admin (or a provider member launched into the client)
/// edits any item of the organization.
async fn admin_update_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherRequest>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .admin_update_org_cipher(&caller, path_id(&id)?, &req)
        .await?;
    Ok(cipher_response(&view, "cipherMiniDetails"))
}

/// `PUT /api/ciphers/{id}/partial`: folder and favorite only.
async fn update_partial(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherPartialRequest>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .set_cipher_folder_and_favorite(
            &caller,
            path_id(&id)?,
            req.folder_id.as_deref(),
            req.favorite,
        )
        .await?;
    Ok(cipher_response(&view, "cipherDetails"))
}

/// `PUT /api/ciphers/{id}/delete`: soft delete (to the trash).
async fn soft_delete_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    let change = app.domain.soft_delete_now();
    Ok(app
        .domain
        .change_cipher(&caller, path_id(&id)?, change)
        .await?)
}

/// `PUT /api/ciphers/{id}/restore`: out of the trash.
async fn restore_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    app.domain
        .change_cipher(&caller, id, BulkCipherChange::Restore)
        .await?;
    let view = app.domain.cipher(&caller, id).await?;
    Ok(cipher_response(&view, "cipher"))
}

/// `DELETE /api/ciphers/{id}`: permanent.
async fn purge_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .change_cipher(&caller, path_id(&id)?, BulkCipherChange::Purge)
        .await?)
}

/// `PUT /api/ciphers/delete` with `{ids}`: bulk soft delete.
async fn soft_delete_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherBulkRequest>,
) -> Result<(), ApiError> {
    let change = app.domain.soft_delete_now();
    app.domain.change_ciphers(&caller, &req.ids, change).await?;
    Ok(())
}

/// `PUT /api/ciphers/restore` with `{ids}`: answers the restored items.
async fn restore_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherBulkRequest>,
) -> Result<Response, ApiError> {
    let ids = app
        .domain
        .change_ciphers(&caller, &req.ids, BulkCipherChange::Restore)
        .await?;
    let mut views = Vec::with_capacity(ids.len());
    for id in ids {
        if let Ok(v) = app.domain.cipher(&caller, id).await {
            views.push(v);
        }
    }
    Ok(cipher_list_response(&views, "cipherMini"))
}

/// `DELETE /api/ciphers` with `{ids}`: bulk permanent delete.
async fn purge_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherBulkRequest>,
) -> Result<(), ApiError> {
    app.domain
        .change_ciphers(&caller, &req.ids, BulkCipherChange::Purge)
        .await?;
    Ok(())
}

/// `PUT /api/ciphers/move` with `{ids, folderId}`.
async fn move_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherBulkMoveRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .move_ciphers(&caller, &req.ids, req.folder_id.as_deref())
        .await?)
}

/// `PUT /api/ciphers/{id}/share` `{cipher, collectionIds}`: a personal item into an organization.
async fn share_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherShareRequest>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .share_cipher(&caller, path_id(&id)?, &req.cipher, &req.collection_ids)
        .await?;
    Ok(cipher_response(&view, "cipherDetails"))
}

/// `PUT /api/ciphers/share` `{ciphers:[…+id], collectionIds}`: answers the shared items.
async fn share_ciphers(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherBulkShareRequest>,
) -> Result<Response, ApiError> {
    let items: Vec<(String, CipherRequest)> =
        req.ciphers.into_iter().map(|c| (c.id, c.cipher)).collect();
    let views = app
        .domain
        .share_ciphers(&caller, &items, &req.collection_ids)
        .await?;
    Ok(cipher_list_response(&views, "cipherMini"))
}

/// `PUT /api/ciphers/{id}/collections` `{collectionIds}`: answers the item.
async fn set_collections(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherCollectionsRequest>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    match app
        .domain
        .set_cipher_collections(&caller, id, &req.collection_ids)
        .await?
    {
        Some(view) => Ok(cipher_response(&view, "cipherDetails")),
        None => Ok(raw_json(b"{}".to_vec())),
    }
}

/// `PUT /api/ciphers/{id}/collections-admin` `{collectionIds}`: the admin vault view's change of
/// an org item's collections (admins, launched provider members); answers the item.
async fn set_collections_admin(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherCollectionsRequest>,
) -> Result<Response, ApiError> {
    match app
        .domain
        .set_cipher_collections_admin(&caller, path_id(&id)?, &req.collection_ids)
        .await?
    {
        Some(view) => Ok(cipher_response(&view, "cipherDetails")),
        None => Ok(raw_json(b"{}".to_vec())),
    }
}

/// `POST /api/ciphers/bulk-collections`: collections added to (or taken from) many org items.
async fn bulk_update_collections(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<CipherBulkUpdateCollectionsRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .bulk_update_cipher_collections(&caller, &req)
        .await?)
}

/// `PUT /api/ciphers/{id}/collections_v2`: `{unavailable, cipher}` (the caller may have moved
/// the item out of their own reach).
async fn set_collections_v2(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<CipherCollectionsRequest>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .set_cipher_collections(&caller, path_id(&id)?, &req.collection_ids)
        .await?;
    let mut out = b"{\"object\":\"optionalCipherDetails\",\"unavailable\":".to_vec();
    match view {
        Some(view) => {
            out.extend_from_slice(b"false,\"cipher\":");
            write_cipher(&mut out, &view, "cipherDetails");
        }
        None => out.extend_from_slice(b"true,\"cipher\":null"),
    }
    out.push(b'}');
    Ok(raw_json(out))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrgQuery {
    organization_id: String,
}

/// `GET /api/ciphers/organization-details?organizationId=`: the admin vault view.
async fn org_cipher_details(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Query(q): Query<OrgQuery>,
) -> Result<Response, ApiError> {
    let views = app
        .domain
        .org_cipher_details(&caller, path_id(&q.organization_id)?)
        .await?;
    Ok(cipher_list_response(&views, "cipherMiniDetails"))
}

/// Runs an admin change on one org item found through the admin view.
async fn admin_change(
    app: &AppState,
    caller: &keyfleet_domain::Caller,
    id: &str,
    change: BulkCipherChange,
) -> Result<(), ApiError> {
    let id: keyfleet_domain::ids::CipherId = path_id(id)?;
    let org = app.domain.admin_item_actor(caller, id).await?.org().id;
    match app
        .domain
        .admin_change_org_ciphers(caller, org, &[id], change)
        .await?
    {
        0 => Err(ApiError(DomainError::NotFound)),
        _ => Ok(()),
    }
}

/// `DELETE /api/ciphers/{id}/admin`.
async fn admin_purge_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    admin_change(&app, &caller, &id, BulkCipherChange::Purge).await
}

/// `PUT /api/ciphers/{id}/delete-admin`.
async fn admin_soft_delete_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    let change = app.domain.soft_delete_now();
    admin_change(&app, &caller, &id, change).await
}

/// `PUT /api/ciphers/{id}/restore-admin`.
async fn admin_restore_cipher(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    admin_change(&app, &caller, &id, BulkCipherChange::Restore).await?;
    let view = app.domain.admin_org_cipher(&caller, path_id(&id)?).await?;
    Ok(cipher_response(&view, "cipherMini"))
}
