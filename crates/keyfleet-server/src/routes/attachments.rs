//! Attachments, as the official clients call them (`api.service.ts`,
//! `cipher-file-upload.service.ts`, `bitwarden-file-upload.service.ts`): announce the file
//! (`POST …/attachment/v2`), upload it as multipart part `data` (`POST …/attachment/{attId}`,
//! streamed into the file store), ask for a download link (`GET …/attachment/{attId}`, whose
//! `url` the clients fetch with no bearer token: it carries a signed token valid for minutes),
//! delete (`DELETE …/attachment/{attId}`, `POST …/delete`, and the admin console's `/admin`
//! variants). The legacy one-step `POST …/attachment` and `…/attachment/{attId}/share` (used by
//! clients only for attachments without their own key) are not served.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::state::AppState;
use crate::views::{self, raw_json, write_cipher};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::{StreamExt, TryStreamExt};
use keyfleet_api::vault::{AttachmentRequest, AttachmentResponse, AttachmentUploadDataHead};
use keyfleet_domain::DomainError;
use serde::Deserialize;

/// Largest upload request: the official server's 501 MiB (a 500 MiB file and its multipart
/// framing). The configured file limit is checked when the file is announced, and the upload
/// must then have exactly the announced length.
pub const MAX_UPLOAD_BODY_BYTES: u64 = 501 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/ciphers/{id}/attachment/v2", post(create_attachment))
        .route(
            "/api/ciphers/{id}/attachment/{attachment}",
            get(get_attachment)
                .post(upload_attachment)
                .delete(delete_attachment)
                // The body is streamed to the file store (multer bounds it); no extractor
                // buffers it, so this limit only documents the route's exception.
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY_BYTES as usize)),
        )
        .route(
            "/api/ciphers/{id}/attachment/{attachment}/delete",
            post(delete_attachment),
        )
        .route(
            "/api/ciphers/{id}/attachment/{attachment}/admin",
            get(get_attachment_admin).delete(delete_attachment_admin),
        )
        .route(
            "/api/ciphers/{id}/attachment/{attachment}/delete-admin",
            post(delete_attachment_admin),
        )
        .route("/api/ciphers/attachment/download", get(download_attachment))
}

/// Whether a request is a file upload (an attachment's or a file Send's), which may take longer
/// than the request timeout (the idle timeout still ends a stalled one).
pub(crate) fn is_upload(method: &axum::http::Method, path: &str) -> bool {
    if method != axum::http::Method::POST {
        return false;
    }
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    matches!(
        parts.as_slice(),
        ["", "api", "ciphers", _, "attachment", last] if *last != "v2"
    ) || matches!(
        parts.as_slice(),
        ["", "api", "sends", send, "file", _] if *send != "access"
    )
}

/// `POST /api/ciphers/{id}/attachment/v2`: announces a file; answers where to upload it and
/// the item with the new attachment (`cipherResponse`, or `cipherMiniResponse` for the admin
/// console's `adminRequest`).
async fn create_attachment(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<AttachmentRequest>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let (row, view) = app.domain.create_attachment(&caller, id, &req).await?;
    let head = AttachmentUploadDataHead {
        object: "attachment-fileUpload".into(),
        attachment_id: row.id.to_string(),
        url: format!("{}/api/ciphers/{id}/attachment/{}", app.public_url, row.id),
        file_upload_type: 0,
    };
    let mut out = serde_json::to_vec(&head).map_err(|e| DomainError::Internal(e.to_string()))?;
    out.pop(); // re-open the object for the item
    if req.admin_request {
        out.extend_from_slice(b",\"cipherResponse\":null,\"cipherMiniResponse\":");
        write_cipher(&mut out, &view, "cipherMini");
    } else {
        out.extend_from_slice(b",\"cipherResponse\":");
        write_cipher(&mut out, &view, "cipher");
        out.extend_from_slice(b",\"cipherMiniResponse\":null");
    }
    out.push(b'}');
    Ok(raw_json(out))
}

/// `POST /api/ciphers/{id}/attachment/{attachmentId}`: the file, as multipart part `data`,
/// streamed into the file store; its length must be the announced one.
async fn upload_attachment(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, attachment)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<(), ApiError> {
    let id = path_id(&id)?;
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| ApiError(DomainError::bad_request("Invalid content.")))?;
    let constraints = multer::Constraints::new()
        .size_limit(multer::SizeLimit::new().whole_stream(MAX_UPLOAD_BODY_BYTES));
    let mut form =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    loop {
        let field = form
            .next_field()
            .await
            .map_err(|_| ApiError(DomainError::bad_request("Invalid content.")))?
            .ok_or_else(|| ApiError(DomainError::bad_request("No file was sent.")))?;
        if field.name() != Some("data") {
            continue; // other parts are skipped as they are read past
        }
        let stream = field.map_err(std::io::Error::other).boxed();
        app.domain
            .upload_attachment(&caller, id, &attachment, stream)
            .await?;
        return Ok(());
    }
}

/// `GET /api/ciphers/{id}/attachment/{attachmentId}`: the attachment with a fresh link.
async fn get_attachment(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<axum::Json<AttachmentResponse>, ApiError> {
    let row = app
        .domain
        .attachment(&caller, path_id(&id)?, &attachment, false)
        .await?;
    Ok(axum::Json(views::attachment(&row)))
}

/// `GET /api/ciphers/{id}/attachment/{attachmentId}/admin`.
async fn get_attachment_admin(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<axum::Json<AttachmentResponse>, ApiError> {
    let row = app
        .domain
        .attachment(&caller, path_id(&id)?, &attachment, true)
        .await?;
    Ok(axum::Json(views::attachment(&row)))
}

fn deleted(view: &keyfleet_domain::store::CipherView) -> Response {
    let mut out = b"{\"object\":\"deleteAttachment\",\"cipher\":".to_vec();
    write_cipher(&mut out, view, "cipherMini");
    out.push(b'}');
    raw_json(out)
}

/// `DELETE /api/ciphers/{id}/attachment/{attachmentId}` (and `POST …/delete`).
async fn delete_attachment(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .delete_attachment(&caller, path_id(&id)?, &attachment, false)
        .await?;
    Ok(deleted(&view))
}

/// `DELETE /api/ciphers/{id}/attachment/{attachmentId}/admin` (and `POST …/delete-admin`).
async fn delete_attachment_admin(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let view = app
        .domain
        .delete_attachment(&caller, path_id(&id)?, &attachment, true)
        .await?;
    Ok(deleted(&view))
}

#[derive(Deserialize)]
struct DownloadQuery {
    #[serde(default)]
    token: String,
}

/// `GET /api/ciphers/attachment/download?token=`: the file, streamed. No bearer token (the
/// clients fetch the link as is); the signed token names the file and expires in minutes.
async fn download_attachment(
    State(app): State<AppState>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, ApiError> {
    let (_, len, stream) = app.domain.download_attachment(&q.token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::is_upload;
    use axum::http::Method;

    #[test]
    fn only_file_uploads_are_uploads() {
        assert!(is_upload(&Method::POST, "/api/ciphers/abc/attachment/xyz"));
        assert!(!is_upload(&Method::POST, "/api/ciphers/abc/attachment/v2"));
        assert!(!is_upload(&Method::GET, "/api/ciphers/abc/attachment/xyz"));
        assert!(!is_upload(
            &Method::POST,
            "/api/ciphers/abc/attachment/xyz/delete"
        ));
        assert!(!is_upload(&Method::POST, "/api/ciphers/import"));
        assert!(is_upload(&Method::POST, "/api/sends/abc/file/xyz"));
        assert!(!is_upload(&Method::POST, "/api/sends/file/v2"));
        assert!(!is_upload(&Method::GET, "/api/sends/abc/file/xyz"));
        assert!(!is_upload(&Method::POST, "/api/sends/access/file/xyz"));
    }
}
