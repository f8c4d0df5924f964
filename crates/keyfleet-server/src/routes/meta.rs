//! Server metadata: `/api/config`, `/alive`, version, and the fallback 404.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use keyfleet_api::config::{
    ConfigResponse, ConfigSettings, EnvironmentUrls, PushSettings, ServerInfo,
};
use keyfleet_api::ErrorModel;

/// The protocol version we implement; clients gate features on it (must be semver).
pub const PROTOCOL_VERSION: &str = "2026.8.0";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/config", get(get_config))
        .route("/alive", get(alive))
        .route("/api/alive", get(alive))
        .route("/api/version", get(|| async { Json(PROTOCOL_VERSION) }))
}

/// `GET /api/config`.
async fn get_config(State(app): State<AppState>) -> Json<ConfigResponse> {
    let base = &app.public_url;
    Json(ConfigResponse {
        version: PROTOCOL_VERSION.into(),
        git_hash: env!("CARGO_PKG_VERSION").into(),
        server: Some(ServerInfo {
            name: "Keyfleet".into(),
            url: "https://keyfleet.invalid".into(),
        }),
        environment: EnvironmentUrls {
            cloud_region: None,
            vault: base.to_string(),
            api: format!("{base}/api"),
            identity: format!("{base}/identity"),
            notifications: format!("{base}/notifications"),
            sso: String::new(),
        },
        feature_states: serde_json::Map::new(),
        push: PushSettings {
            push_technology: 0,
            vapid_public_key: None,
        },
        settings: ConfigSettings {
            disable_user_registration: !app.domain.registration_open(),
            suppress_onboarding_interstitials: true,
        },
        communication: None,
        object: "config".into(),
    })
}

/// `GET /alive`: the current time, as the official server answers.
async fn alive(State(app): State<AppState>) -> Json<String> {
    Json(app.domain.now().to_iso())
}

/// Unknown routes: 404 in the Bitwarden envelope.
pub async fn not_found() -> (StatusCode, Json<ErrorModel>) {
    (
        StatusCode::NOT_FOUND,
        Json(ErrorModel::new("Resource not found.")),
    )
}
