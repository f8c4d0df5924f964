//! keyfleet-api: the Bitwarden wire protocol as serde types, and the error envelope.
//!
//! Names mirror the official models (`*Request`, `*Response`). The API service speaks camelCase;
//! the identity service answers OAuth snake_case plus PascalCase Bitwarden extras, because the
//! stock clients read those exact keys (see shared/protocol/core-api.md). This crate depends on
//! no other Keyfleet crate and holds no logic beyond (de)serialisation.

pub mod accounts;
pub mod config;
pub mod devices;
pub mod emergency_access;
pub mod error;
pub mod identity;
pub mod imports;
pub mod key_management;
pub mod kinds;
pub mod org_responses;
pub mod orgs;
pub mod provider_requests;
pub mod provider_responses;
pub mod push;
pub mod sends;
pub mod two_factor;
pub mod vault;

pub use error::ErrorModel;

/// `{"object":"list","data":[…],"continuationToken":null}` — every list endpoint's envelope.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    /// Always `"list"`.
    pub object: String,
    /// The items.
    pub data: Vec<T>,
    /// Paging cursor; `null` when everything was returned.
    pub continuation_token: Option<String>,
}

impl<T> ListResponse<T> {
    /// A complete (unpaged) list.
    pub fn new(data: Vec<T>) -> Self {
        ListResponse {
            object: "list".into(),
            data,
            continuation_token: None,
        }
    }
}
