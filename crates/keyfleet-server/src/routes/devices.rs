//! `/api/devices/…`: the caller's devices (list with pending login requests, one by id or
//! identifier, rename, deactivate/remove). `knowndevice` (anonymous) lives in `accounts`.
//! Trusted-device keys (`…/keys`, `retrieve-keys`, `untrust`, `lost-trust`) are stored and
//! handed back as ciphertext for protocol completeness: the official apps use them only with SSO
//! trusted-device encryption, which Keyfleet does not offer. `update-trust` re-wraps them after
//! a key rotation (the rotation itself also carries them).

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::routes::path_id;
use crate::state::AppState;
use crate::views;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use keyfleet_api::devices::{
    DeviceKeysRequest, DeviceRequest, DeviceResponse, ProtectedDeviceResponse,
    UntrustDevicesRequest, UpdateDevicesTrustRequest,
};
use keyfleet_api::ListResponse;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/devices", get(list_devices))
        .route(
            "/api/devices/{id}",
            get(get_device)
                .put(rename_device)
                .post(rename_device)
                .delete(remove_device),
        )
        .route("/api/devices/{id}/deactivate", post(remove_device))
        // `{id}` is the device's identifier in these two, as on the official server.
        .route(
            "/api/devices/{id}/keys",
            axum::routing::put(set_device_keys).post(set_device_keys),
        )
        .route(
            "/api/devices/{id}/retrieve-keys",
            post(retrieve_device_keys),
        )
        .route("/api/devices/untrust", post(untrust_devices))
        .route("/api/devices/update-trust", post(update_devices_trust))
        .route("/api/devices/lost-trust", post(lose_device_trust))
        .route(
            "/api/devices/identifier/{identifier}",
            get(get_device_by_identifier),
        )
}

/// `GET /api/devices`: each device with its newest pending login request.
async fn list_devices(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Result<axum::Json<ListResponse<DeviceResponse>>, ApiError> {
    let devices = app.domain.list_devices(&caller).await?;
    Ok(axum::Json(ListResponse::new(
        devices
            .iter()
            .map(|l| views::device(&l.device, l.pending.as_ref()))
            .collect(),
    )))
}

/// `GET /api/devices/{id}`.
async fn get_device(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<axum::Json<DeviceResponse>, ApiError> {
    let device = app.domain.device_of(&caller, path_id(&id)?).await?;
    Ok(axum::Json(views::device(&device, None)))
}

/// `GET /api/devices/identifier/{identifier}`.
async fn get_device_by_identifier(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(identifier): Path<String>,
) -> Result<axum::Json<DeviceResponse>, ApiError> {
    let device = app
        .domain
        .device_with_identifier(&caller, &identifier)
        .await?;
    Ok(axum::Json(views::device(&device, None)))
}

/// `PUT|POST /api/devices/{id}` `{name, …}`: renames the device.
async fn rename_device(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
    Json(req): Json<DeviceRequest>,
) -> Result<axum::Json<DeviceResponse>, ApiError> {
    let device = app
        .domain
        .rename_device(&caller, path_id(&id)?, &req.name)
        .await?;
    Ok(axum::Json(views::device(&device, None)))
}

/// `POST /api/devices/{id}/deactivate`, `DELETE /api/devices/{id}`: removes the device and
/// revokes its refresh tokens.
async fn remove_device(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(id): Path<String>,
) -> Result<(), ApiError> {
    Ok(app.domain.remove_device(&caller, path_id(&id)?).await?)
}

/// `PUT|POST /api/devices/{identifier}/keys`: the device's trusted-device keys.
async fn set_device_keys(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(identifier): Path<String>,
    Json(req): Json<DeviceKeysRequest>,
) -> Result<axum::Json<DeviceResponse>, ApiError> {
    let device = app
        .domain
        .set_device_keys(&caller, &identifier, &req)
        .await?;
    Ok(axum::Json(views::device(&device, None)))
}

/// `POST /api/devices/{identifier}/retrieve-keys`.
async fn retrieve_device_keys(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(identifier): Path<String>,
) -> Result<axum::Json<ProtectedDeviceResponse>, ApiError> {
    let device = app
        .domain
        .device_with_identifier(&caller, &identifier)
        .await?;
    Ok(axum::Json(views::protected_device(&device)))
}

/// `POST /api/devices/untrust` `{devices: [id]}`.
async fn untrust_devices(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<UntrustDevicesRequest>,
) -> Result<(), ApiError> {
    Ok(app.domain.untrust_devices(&caller, &req.devices).await?)
}

/// The calling device's identifier (the `Device-Identifier` header, as the official server
/// reads it for these calls); empty names no device.
fn device_identifier(headers: &HeaderMap) -> &str {
    headers
        .get("Device-Identifier")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// `POST /api/devices/lost-trust`: the calling device (its `Device-Identifier` header) forgets
/// its keys.
async fn lose_device_trust(
    State(app): State<AppState>,
    Authed(caller): Authed,
    headers: HeaderMap,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .lose_device_trust(&caller, device_identifier(&headers))
        .await?)
}

/// `POST /api/devices/update-trust` `{masterPasswordHash, currentDevice, otherDevices}`: the
/// calling device (`Device-Identifier`) and the listed others get re-wrapped keys, every other
/// trusted device loses its trust.
async fn update_devices_trust(
    State(app): State<AppState>,
    Authed(caller): Authed,
    headers: HeaderMap,
    Json(req): Json<UpdateDevicesTrustRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .update_device_trust(&caller, device_identifier(&headers), &req)
        .await?)
}
