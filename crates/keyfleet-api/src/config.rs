//! `GET /api/config`: fetched by every client before anything else.

use serde::{Deserialize, Serialize};

/// Server configuration as clients read it (`ServerConfigResponse` in the clients).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigResponse {
    /// Must parse as semver: clients gate features on it.
    pub version: String,
    /// Build identifier.
    pub git_hash: String,
    /// `{name, url}` of a third-party server.
    pub server: Option<ServerInfo>,
    /// The URLs clients should use.
    pub environment: EnvironmentUrls,
    /// Feature flags; absent keys mean false.
    pub feature_states: serde_json::Map<String, serde_json::Value>,
    /// Push settings (SignalR = 0).
    pub push: PushSettings,
    /// Registration and onboarding switches.
    pub settings: ConfigSettings,
    /// Only for SSO cookie vendors; always null here.
    pub communication: Option<serde_json::Value>,
    /// Always `"config"`.
    pub object: String,
}

/// Identifies a non-Bitwarden server in client UIs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerInfo {
    /// Product name.
    pub name: String,
    /// Product URL.
    pub url: String,
}

/// Service URLs; self-hosted servers leave `cloudRegion` null.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentUrls {
    /// Always null for self-hosted servers.
    pub cloud_region: Option<String>,
    /// Web vault URL.
    pub vault: String,
    /// API base (`…/api`).
    pub api: String,
    /// Identity base (`…/identity`).
    pub identity: String,
    /// Notifications base.
    pub notifications: String,
    /// SSO base; empty when unused.
    pub sso: String,
}

/// Push technology advertised to clients.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushSettings {
    /// 0 = SignalR.
    pub push_technology: i32,
    /// Web push key; null.
    pub vapid_public_key: Option<String>,
}

/// Account-creation switches shown in client UIs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigSettings {
    /// Hides the "create account" links.
    pub disable_user_registration: bool,
    /// Skips onboarding screens.
    pub suppress_onboarding_interstitials: bool,
}
