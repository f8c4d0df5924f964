//! File Sends: the owner's announce (`POST /api/sends/file/v2`) and direct upload
//! (`POST /api/sends/{id}/file/{fileId}`, multipart part `data`, streamed into the file store —
//! the one Send route whose body limit is the file size limit), the recipients' download data
//! (`POST /api/sends/access/file/{fileId}` with a Send access token, or the older
//! `POST /api/sends/{accessId}/access/file/{fileId}` with the password in the body) and the
//! anonymous download the answered URL points at (a signed token in the query string, which
//! the request log never shows).

use super::{legacy_refusal, send_response, SendAccessBearer};
use crate::error::ApiError;
use crate::extract::{Authed, ClientIp, Json};
use crate::routes::path_id;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use keyfleet_api::sends::{
    SendAccessRequest, SendFileDownloadDataResponse, SendFileUploadDataResponse, SendRequest,
};
use keyfleet_domain::sends::file::SendFileDownload;
use keyfleet_domain::DomainError;

/// Room for the multipart framing around the file (boundaries, part headers, the file name).
const MULTIPART_SLACK: u64 = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/sends/file/v2", post(create_file_send))
        .route(
            "/api/sends/{id}/file/{file_id}",
            // The body is bounded in the handler by the announced length, itself bounded by
            // the configured file size limit.
            post(upload_send_file)
                .layer(DefaultBodyLimit::disable())
                .get(renew_send_file_upload),
        )
        .route(
            "/api/sends/{id}/file/{file_id}/download",
            get(download_send_file),
        )
        .route("/api/sends/access/file/{file_id}", post(send_file_download))
        .route(
            "/api/sends/{id}/access/file/{file_id}",
            post(send_file_download_legacy),
        )
}

/// Where the clients post a direct upload (the official server answers this relative path).
fn upload_url(id: &str, file_id: &str) -> String {
    format!("/sends/{id}/file/{file_id}")
}

/// `POST /api/sends/file/v2` `{…send, file: {fileName}, fileLength}`.
async fn create_file_send(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<SendRequest>,
) -> Result<axum::Json<SendFileUploadDataResponse>, ApiError> {
    let (send, file_id) = app.domain.create_file_send(&caller, &req).await?;
    Ok(axum::Json(SendFileUploadDataResponse {
        url: upload_url(&send.id.to_string(), file_id.as_str()),
        file_upload_type: 0,
        send_response: send_response(&send),
        object: "send-fileUpload".into(),
    }))
}

/// `GET /api/sends/{id}/file/{fileId}`: the upload URL again, while the file is not uploaded.
async fn renew_send_file_upload(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<axum::Json<SendFileUploadDataResponse>, ApiError> {
    let (send, _) = app
        .domain
        .pending_send_upload(&caller, path_id(&id)?, &file_id)
        .await?;
    Ok(axum::Json(SendFileUploadDataResponse {
        url: upload_url(&id, &file_id),
        file_upload_type: 0,
        send_response: send_response(&send),
        object: "send-fileUpload".into(),
    }))
}

fn invalid_content() -> ApiError {
    ApiError(DomainError::bad_request("Invalid content."))
}

/// `POST /api/sends/{id}/file/{fileId}`, multipart with the encrypted file in part `data`:
/// streamed into the file store, never held whole.
async fn upload_send_file(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((id, file_id)): Path<(String, String)>,
    req: Request,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id)?;
    // Nothing is read before the Send is known to wait for this upload.
    let (_, file) = app
        .domain
        .pending_send_upload(&caller, id, &file_id)
        .await?;
    let limit = usize::try_from(file.size.saturating_add(MULTIPART_SLACK)).unwrap_or(usize::MAX);
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    let mut multipart = Multipart::from_request(req, &app)
        .await
        .map_err(|_| invalid_content())?;
    let mut field = loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("data") => break field,
            Ok(Some(_)) => continue,
            Ok(None) | Err(_) => return Err(invalid_content()),
        }
    };
    // The field borrows the request, the store wants a stream it owns: a small channel between
    // them keeps at most a couple of chunks in memory.
    let (mut tx, rx) = futures::channel::mpsc::channel::<std::io::Result<Bytes>>(2);
    let pump = async move {
        loop {
            let item = match field.chunk().await {
                Ok(Some(chunk)) => Ok(chunk),
                Ok(None) => break,
                Err(e) => Err(std::io::Error::other(e.body_text())),
            };
            let failed = item.is_err();
            if tx.send(item).await.is_err() || failed {
                break;
            }
        }
    };
    let store = app
        .domain
        .upload_send_file(&caller, id, &file_id, rx.boxed());
    let ((), stored) = futures::join!(pump, store);
    stored?;
    Ok(StatusCode::OK)
}

fn download_answer(app: &AppState, d: SendFileDownload) -> SendFileDownloadDataResponse {
    SendFileDownloadDataResponse {
        url: format!(
            "{}/api/sends/{}/file/{}/download?t={}",
            app.public_url, d.send_id, d.file_id, d.token
        ),
        id: d.file_id,
        object: "send-fileDownload".into(),
    }
}

/// `POST /api/sends/access/file/{fileId}` with a Send access token: counts the access.
async fn send_file_download(
    State(app): State<AppState>,
    SendAccessBearer(token): SendAccessBearer,
    Path(file_id): Path<String>,
) -> Result<axum::Json<SendFileDownloadDataResponse>, ApiError> {
    let d = app.domain.send_file_download(&token, &file_id).await?;
    Ok(axum::Json(download_answer(&app, d)))
}

/// `POST /api/sends/{accessId}/access/file/{fileId}` `{password}`: the older clients' form.
async fn send_file_download_legacy(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Path((access_id, file_id)): Path<(String, String)>,
    Json(body): Json<SendAccessRequest>,
) -> Result<axum::Json<SendFileDownloadDataResponse>, ApiError> {
    match app
        .domain
        .send_file_download_legacy(&access_id, &file_id, body.password.as_deref(), &ip)
        .await?
    {
        Ok(d) => Ok(axum::Json(download_answer(&app, d))),
        Err(refusal) => Err(legacy_refusal(refusal)),
    }
}

#[derive(serde::Deserialize)]
struct DownloadQuery {
    t: String,
}

/// `GET /api/sends/{id}/file/{fileId}/download?t=…`: the encrypted file, streamed, to whoever
/// holds a download token (no account: recipients have none).
async fn download_send_file(
    State(app): State<AppState>,
    Path((id, file_id)): Path<(String, String)>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, ApiError> {
    let (len, stream) = app
        .domain
        .open_send_file(path_id(&id)?, &file_id, &q.t)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
