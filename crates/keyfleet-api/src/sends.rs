//! Send: `/api/sends…` and the anonymous access calls, as the official server's `SendsController`
//! models them (`SendRequestModel`, `SendResponseModel`, `SendAccessResponseModel`), plus the
//! identity server's `send_access` grant answers. Every secret field is an EncString under the
//! Send's own key (derived client-side from key material only the link carries); `key` is that
//! material wrapped with the owner's user key.

use serde::{Deserialize, Serialize};

/// A text Send's content (`SendTextModel`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SendTextModel {
    /// EncString of the text.
    pub text: Option<String>,
    /// Whether the recipient sees it masked until revealed.
    #[serde(default)]
    pub hidden: bool,
}

/// A file Send's file (`SendFileModel`): shown to owners and recipients.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SendFileModel {
    /// File id.
    pub id: Option<String>,
    /// EncString of the file name.
    pub file_name: Option<String>,
    /// Size in bytes, as a string (the clients read it so).
    pub size: Option<String>,
    /// Human-readable size.
    pub size_name: Option<String>,
}

/// `POST /api/sends`, `PUT /api/sends/{id}` body, as `SendRequest` of the clients builds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    /// 0 text, 1 file.
    #[serde(rename = "type")]
    pub send_type: i32,
    /// 0 email, 1 password, 2 none; older clients leave it out.
    #[serde(default)]
    pub auth_type: Option<i32>,
    /// File length hint (file Sends).
    #[serde(default)]
    pub file_length: Option<i64>,
    /// EncString of the name.
    pub name: Option<String>,
    /// EncString of the owner's private notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Key material wrapped with the user key (EncString).
    pub key: Option<String>,
    /// Most accesses allowed; `null` for no limit.
    #[serde(default)]
    pub max_access_count: Option<i64>,
    /// ISO date after which it cannot be opened.
    #[serde(default)]
    pub expiration_date: Option<String>,
    /// ISO date after which the server deletes it (at most 31 days ahead).
    pub deletion_date: Option<String>,
    /// The text of a text Send.
    #[serde(default)]
    pub text: Option<SendTextModel>,
    /// The file of a file Send.
    #[serde(default)]
    pub file: Option<SendFileModel>,
    /// Client-side PBKDF2 of the access password over the key material (Base64); the server
    /// stores only a slow hash of it.
    #[serde(default)]
    pub password: Option<String>,
    /// Email-verified access (not offered by Keyfleet).
    #[serde(default)]
    pub emails: Option<String>,
    /// Access turned off.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Hide the owner's email from recipients.
    #[serde(default)]
    pub hide_email: Option<bool>,
}

/// A Send as its owner sees it (`object: "send"`), in `/api/sends` answers and sync.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SendResponse {
    /// Send id.
    pub id: String,
    /// URL-safe Base64 of the id's bytes in .NET `Guid` order: the id in the Send link.
    pub access_id: String,
    /// 0 text, 1 file.
    #[serde(rename = "type")]
    pub send_type: i32,
    /// 1 password, 2 none.
    pub auth_type: i32,
    /// EncString of the name.
    pub name: String,
    /// EncString of the notes.
    pub notes: Option<String>,
    /// Text content.
    pub text: Option<SendTextModel>,
    /// File content.
    pub file: Option<SendFileModel>,
    /// Wrapped key material.
    pub key: String,
    /// Access limit.
    pub max_access_count: Option<i64>,
    /// Accesses so far.
    pub access_count: i64,
    /// The stored (server-side) password hash when one is set: clients only test it for
    /// presence, as with the official server, which answers its own hash here too.
    pub password: Option<String>,
    /// Email-verified access (always null).
    pub emails: Option<String>,
    /// Access turned off.
    pub disabled: bool,
    /// Owner's email hidden from recipients.
    pub hide_email: bool,
    /// Last change.
    pub revision_date: String,
    /// Expiry.
    pub expiration_date: Option<String>,
    /// Deletion.
    pub deletion_date: String,
    /// `"send"`.
    pub object: String,
}

/// What a recipient receives (`object: "send-access"`): no notes, no key, no counters.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SendAccessResponse {
    /// The access id (not the Send's id).
    pub id: String,
    /// 0 text, 1 file.
    #[serde(rename = "type")]
    pub send_type: i32,
    /// 1 password, 2 none.
    pub auth_type: i32,
    /// EncString of the name.
    pub name: String,
    /// Text content.
    pub text: Option<SendTextModel>,
    /// File content.
    pub file: Option<SendFileModel>,
    /// Expiry.
    pub expiration_date: Option<String>,
    /// The owner's email, unless they hid it.
    pub creator_identifier: Option<String>,
    /// `"send-access"`.
    pub object: String,
}

/// Legacy anonymous access body (`POST /api/sends/access/{accessId}`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendAccessRequest {
    /// The client-side password hash, for a protected Send.
    #[serde(default)]
    pub password: Option<String>,
}

/// `/identity/connect/token` answer to the `send_access` grant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendAccessTokenResponse {
    /// Bearer token for `POST /api/sends/access`.
    pub access_token: String,
    /// Seconds.
    pub expires_in: i64,
    /// `"Bearer"`.
    pub token_type: String,
    /// `"api.send.access"`.
    pub scope: String,
}

/// `send_access` grant refusal: OAuth `error` plus the `send_access_error_type` the clients
/// branch on (`password_hash_b64_required`, `password_hash_b64_invalid`, `send_id_invalid`, …).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SendAccessErrorResponse {
    /// `invalid_request` or `invalid_grant`.
    pub error: String,
    /// Human-readable text.
    pub error_description: String,
    /// The precise refusal.
    pub send_access_error_type: String,
}

/// `POST /api/sends/file/v2` answer (`SendFileUploadDataResponseModel`, `object:
/// "send-fileUpload"`): the new Send and where its file goes. With `fileUploadType` 0 (direct)
/// the clients post the file to `/api/sends/{id}/file/{fileId}` and do not use `url`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SendFileUploadDataResponse {
    /// The upload URL.
    pub url: String,
    /// 0: direct to this server (1 would be Azure).
    pub file_upload_type: i32,
    /// The Send as its owner sees it, with `file.id`.
    pub send_response: SendResponse,
    /// `"send-fileUpload"`.
    pub object: String,
}

/// `POST /api/sends/access/file/{fileId}` answer (`SendFileDownloadDataResponseModel`,
/// `object: "send-fileDownload"`): the URL the recipient fetches the encrypted file from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SendFileDownloadDataResponse {
    /// The file id.
    pub id: String,
    /// Absolute, short-lived download URL (no authorization header needed).
    pub url: String,
    /// `"send-fileDownload"`.
    pub object: String,
}
