//! What the notifications hub sends: `ReceiveMessage` with one `{ContextId, Type, Payload}`.
//!
//! The official server serialises these with MessagePack's contractless resolver, so the keys
//! are the C# property names (PascalCase); clients read them case-insensitively. Dates travel as
//! ISO-8601 strings (clients pass them to `new Date(…)`).

use crate::kinds::PushType;
use serde::Serialize;

/// One notification: the argument of the hub's `ReceiveMessage` invocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PushNotification {
    /// The `Device-Identifier` of the client whose request caused it (that client ignores it);
    /// null when unknown.
    pub context_id: Option<String>,
    /// What the client should do.
    #[serde(rename = "Type")]
    pub push_type: PushType,
    /// What it concerns.
    pub payload: PushPayload,
}

/// The payload of a notification, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PushPayload {
    /// Item create/update/delete.
    Cipher(SyncCipherPayload),
    /// Folder create/update/delete.
    Folder(SyncFolderPayload),
    /// Send create/update/delete.
    Send(SyncSendPayload),
    /// A whole-account sync (vault, ciphers, org keys, settings).
    User(UserPayload),
    /// Log out.
    LogOut(LogOutPayload),
    /// A login request (and its answer on the anonymous hub).
    AuthRequest(AuthRequestPayload),
}

/// `SyncCipherCreate`/`Update`/`Delete`: the client fetches `GET /api/ciphers/{Id}` (or drops it).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SyncCipherPayload {
    /// The item.
    pub id: String,
    /// Its owner, for a personal item.
    pub user_id: Option<String>,
    /// Its organization, for an organization item.
    pub organization_id: Option<String>,
    /// Its collections, for an organization item.
    pub collection_ids: Option<Vec<String>>,
    /// Its revision date.
    pub revision_date: String,
}

/// `SyncFolderCreate`/`Update`/`Delete`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SyncFolderPayload {
    /// The folder.
    pub id: String,
    /// Its owner.
    pub user_id: String,
    /// Its revision date.
    pub revision_date: String,
}

/// `SyncSendCreate`/`Update`/`Delete`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SyncSendPayload {
    /// The Send.
    pub id: String,
    /// Its owner.
    pub user_id: String,
    /// Its revision date.
    pub revision_date: String,
}

/// `SyncVault`, `SyncCiphers`, `SyncOrgKeys`, `SyncSettings`: the recipient syncs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPayload {
    /// The recipient (clients drop a message naming another account).
    pub user_id: String,
    /// When it changed.
    pub date: String,
}

/// `LogOut`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogOutPayload {
    /// The recipient.
    pub user_id: String,
    /// Bitwarden's reason (0 KDF change, 1 key rotation); null otherwise.
    pub reason: Option<i32>,
}

/// `AuthRequest` and `AuthRequestResponse`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthRequestPayload {
    /// The login request.
    pub id: String,
    /// The account it is for.
    pub user_id: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_cipher_notification_has_the_official_keys() {
        let n = PushNotification {
            context_id: None,
            push_type: PushType::SyncCipherUpdate,
            payload: PushPayload::Cipher(SyncCipherPayload {
                id: "c".into(),
                user_id: None,
                organization_id: Some("o".into()),
                collection_ids: Some(vec!["k".into()]),
                revision_date: "2026-01-01T00:00:00.000Z".into(),
            }),
        };
        assert_eq!(
            serde_json::to_value(&n).unwrap(),
            serde_json::json!({
                "ContextId": null,
                "Type": 0,
                "Payload": {
                    "Id": "c", "UserId": null, "OrganizationId": "o",
                    "CollectionIds": ["k"], "RevisionDate": "2026-01-01T00:00:00.000Z"
                }
            })
        );
    }
}
