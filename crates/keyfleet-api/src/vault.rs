//! Folders and ciphers. The server treats every encrypted field as an opaque EncString and the
//! type-specific objects (`login`, `card`, …) as opaque JSON it validates and echoes back.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// `POST/PUT /api/folders` body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FolderRequest {
    /// EncString under the user key.
    pub name: String,
}

/// A folder (`object: "folder"`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FolderResponse {
    /// Folder id.
    pub id: String,
    /// EncString.
    pub name: String,
    /// ISO date.
    pub revision_date: String,
    /// `"folder"`.
    pub object: String,
}

/// `CipherRequestModel`, as `bw create/edit item` sends it. When serialized (by the client),
/// the organization, folder, item key, history and the type objects other than the item's own
/// are left out when unset, while `notes` and `lastKnownRevisionDate` go as null: the body a
/// login item has always been sent with.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherRequest {
    /// Login 1, SecureNote 2, Card 3, Identity 4, SshKey 5.
    #[serde(rename = "type")]
    pub cipher_type: i32,
    /// Owning organization, when shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// Per-user folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Per-user favorite.
    #[serde(default)]
    pub favorite: Option<bool>,
    /// 0 none, 1 ask for master password.
    #[serde(default)]
    pub reprompt: Option<i32>,
    /// Per-item key (type 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// EncString.
    pub name: String,
    /// EncString.
    #[serde(default)]
    pub notes: Option<String>,
    /// Custom fields.
    #[serde(default)]
    pub fields: Option<Value>,
    /// Previous passwords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_history: Option<Value>,
    /// Login data.
    #[serde(default)]
    pub login: Option<Value>,
    /// Card data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Value>,
    /// Identity data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Value>,
    /// Secure note data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_note: Option<Value>,
    /// SSH key data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh_key: Option<Value>,
    /// The revision the client edited; stale edits are refused.
    #[serde(default)]
    pub last_known_revision_date: Option<String>,
    /// Archive date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_date: Option<String>,
    /// The acting user id the client encrypted for.
    #[serde(default)]
    pub encrypted_for: Option<String>,
    /// The item's attachments' names and keys by attachment id, which the clients send with
    /// every save and re-encrypt when the item moves into an organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments2: Option<std::collections::BTreeMap<String, AttachmentMetadataRequest>>,
}

/// One entry of a cipher request's `attachments2` (`AttachmentRequestModel` without a size).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentMetadataRequest {
    /// EncString of the file's name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// EncString of the file's key.
    #[serde(default)]
    pub key: Option<String>,
}

/// A login item's `login` object as the client sends it (`CipherRequest::login` stays free
/// JSON on the server, which stores it as given).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherLoginRequest {
    /// EncString.
    pub username: Option<String>,
    /// EncString.
    pub password: Option<String>,
    /// The item's URIs.
    #[serde(default)]
    pub uris: Vec<CipherLoginUriRequest>,
    /// EncString of the TOTP seed.
    pub totp: Option<String>,
}

/// One URI of a login item.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherLoginUriRequest {
    /// EncString.
    pub uri: Option<String>,
    /// `UriMatchType` number, null for the default.
    #[serde(rename = "match")]
    pub match_type: Option<i32>,
}

/// `POST /api/ciphers/create`: an org cipher with its collections.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherCreateRequest {
    /// The cipher.
    pub cipher: CipherRequest,
    /// Collections it goes into.
    #[serde(default)]
    pub collection_ids: Vec<String>,
}

/// `PUT /api/ciphers/{id}/partial`: per-user fields only.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherPartialRequest {
    /// Folder.
    #[serde(default)]
    pub folder_id: Option<String>,
    /// Favorite.
    #[serde(default)]
    pub favorite: bool,
}

/// Bulk delete/restore body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherBulkRequest {
    /// Cipher ids.
    pub ids: Vec<String>,
    /// Organization (admin bulk operations).
    #[serde(default)]
    pub organization_id: Option<String>,
}

/// `PUT /api/ciphers/move` body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherBulkMoveRequest {
    /// Cipher ids.
    pub ids: Vec<String>,
    /// Target folder (null = no folder).
    #[serde(default)]
    pub folder_id: Option<String>,
}

/// Bulk folder delete body.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdsRequest {
    /// Ids.
    pub ids: Vec<String>,
}

/// A cipher as clients read it (`CipherDetailsResponse`); the server writes this shape directly
/// from stored JSON, clients and tests parse it with this type.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherDetailsResponse {
    /// `"cipherDetails"` (or `"cipher"`, `"cipherMini"`).
    pub object: String,
    /// Id.
    pub id: String,
    /// Owning organization.
    pub organization_id: Option<String>,
    /// Folder for this user.
    #[serde(default)]
    pub folder_id: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub cipher_type: i32,
    /// EncString.
    pub name: String,
    /// EncString.
    pub notes: Option<String>,
    /// Favorite for this user.
    #[serde(default)]
    pub favorite: bool,
    /// Reprompt.
    pub reprompt: i32,
    /// Per-item key.
    pub key: Option<String>,
    /// Login.
    pub login: Option<Value>,
    /// Card.
    pub card: Option<Value>,
    /// Identity.
    pub identity: Option<Value>,
    /// Secure note.
    pub secure_note: Option<Value>,
    /// SSH key.
    pub ssh_key: Option<Value>,
    /// Fields.
    pub fields: Option<Value>,
    /// Password history.
    pub password_history: Option<Value>,
    /// Attachments.
    pub attachments: Option<Value>,
    /// ISO.
    pub creation_date: String,
    /// ISO.
    pub revision_date: String,
    /// ISO or null.
    pub deleted_date: Option<String>,
    /// ISO or null.
    pub archived_date: Option<String>,
    /// Whether the caller may edit.
    #[serde(default)]
    pub edit: bool,
    /// Whether the caller may see the password.
    #[serde(default)]
    pub view_password: bool,
    /// Collections.
    #[serde(default)]
    pub collection_ids: Vec<String>,
    /// What the caller may do to the item.
    #[serde(default)]
    pub permissions: CipherPermissionsResponse,
    /// Always true: TOTP codes are not a paid feature here.
    #[serde(default)]
    pub organization_use_totp: bool,
}

/// `permissions` of a cipher: Bitwarden's `CipherPermissionsResponseModel`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CipherPermissionsResponse {
    /// May move it to the trash or delete it.
    pub delete: bool,
    /// May restore it from the trash.
    pub restore: bool,
}

/// `AttachmentRequestModel`: what the clients send to `POST /api/ciphers/{id}/attachment/v2`
/// before uploading the file (`cipher-file-upload.service.ts`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentRequest {
    /// The file's own key, wrapped with the item key (or the user/org key): EncString.
    pub key: String,
    /// The file's name: EncString.
    pub file_name: String,
    /// Bytes of the encrypted file the client will upload.
    #[ts(type = "number")]
    pub file_size: i64,
    /// Sent by the admin console: act with the right to manage every item of the organization.
    #[serde(default)]
    pub admin_request: bool,
    /// The client's revision date of the item (refused when older than the stored one).
    #[serde(default)]
    pub last_known_revision_date: Option<String>,
}

/// `AttachmentResponseModel` (`object: "attachment"`): in items' `attachments` and as the
/// answer of `GET /api/ciphers/{id}/attachment/{attachmentId}`, whose `url` the clients then
/// fetch without a bearer token.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentResponse {
    /// Id.
    pub id: String,
    /// Download link (carries a short-lived signed token).
    pub url: String,
    /// EncString.
    pub file_name: String,
    /// EncString.
    pub key: String,
    /// Bytes, as a string (the official server sends a string).
    pub size: String,
    /// Human-readable size, the way the official server writes it ("200 KB", "19.53 MB").
    pub size_name: String,
    /// Always `"attachment"`.
    pub object: String,
}

/// `AttachmentUploadDataResponseModel` (`object: "attachment-fileUpload"`) without its item:
/// the server writes `cipherResponse`/`cipherMiniResponse` after these fields, from the stored
/// item JSON.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentUploadDataHead {
    /// Always `"attachment-fileUpload"`.
    pub object: String,
    /// The new attachment's id, which names the upload URL.
    pub attachment_id: String,
    /// Where to upload (the clients post Direct uploads to their own API path instead).
    pub url: String,
    /// 0 Direct (a multipart POST to this server), 1 Azure.
    pub file_upload_type: i32,
}
