//! The personal vault: folders and ciphers. The server never decrypts anything: it checks that
//! every encrypted field really is an EncString (so plaintext cannot slip in), stores the content
//! as one canonical JSON object, and enforces ownership and revision order.

pub mod attachments;
pub mod import;
pub mod store;

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::ids::{CipherId, FolderId};
use crate::store::{BulkCipherChange, CipherRow, CipherView, FolderRow, ItemAccess};
use crate::Domain;
use keyfleet_api::kinds::PushType;
use keyfleet_api::vault::CipherRequest;
use keyfleet_crypto::validate_enc_string;
use serde_json::{Map, Value};

/// Most ids one bulk request may name.
pub const MAX_BULK_IDS: usize = 1000;
const MAX_NAME_LEN: usize = 1_000;
const MAX_NOTES_LEN: usize = 10_000;
const MAX_LEAF_LEN: usize = 100_000;
const MAX_LIST_LEN: usize = 1_000;
const MAX_DEPTH: usize = 6;
/// Clients' clocks and rounding differ; the official server also tolerates about a second.
pub(crate) const REVISION_TOLERANCE_MS: i64 = 1_000;

/// Whether `key`, directly inside the object found under `container` (an array's items count as
/// under the array's key), holds a plain value by protocol: dates at the places the protocol
/// puts them. Anywhere else every string must be an EncString — the legacy `response`
/// placeholder included, which clients send as `null`.
fn plain_by_protocol(container: &str, key: &str) -> bool {
    matches!(
        (container, key),
        ("login", "passwordRevisionDate")
            | ("passwordHistory", "lastUsedDate")
            | ("fido2Credentials", "creationDate")
    )
}

/// The cipher types Keyfleet stores, with the name of their type-specific object.
fn type_object_key(cipher_type: i32) -> Option<&'static str> {
    match cipher_type {
        1 => Some("login"),
        2 => Some("secureNote"),
        3 => Some("card"),
        4 => Some("identity"),
        5 => Some("sshKey"),
        _ => None,
    }
}

fn check_leaves(
    field: &'static str,
    container: &str,
    value: &Value,
    depth: usize,
) -> Result<(), DomainError> {
    if depth > MAX_DEPTH {
        return Err(DomainError::invalid(
            field,
            format!("The field {field} is nested too deeply."),
        ));
    }
    match value {
        Value::String(s) if s.is_empty() => Ok(()),
        Value::String(s) => check_enc_string(field, s, MAX_LEAF_LEN),
        Value::Array(items) => {
            if items.len() > MAX_LIST_LEN {
                return Err(DomainError::invalid(
                    field,
                    format!("The field {field} has too many entries."),
                ));
            }
            items
                .iter()
                .try_for_each(|v| check_leaves(field, container, v, depth + 1))
        }
        Value::Object(map) => map
            .iter()
            .filter(|(k, _)| !plain_by_protocol(container, k))
            .try_for_each(|(k, v)| check_leaves(field, k, v, depth + 1)),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

fn opt_enc(field: &'static str, value: &Option<String>, max: usize) -> Result<Value, DomainError> {
    match value {
        Some(s) if !s.is_empty() => {
            check_enc_string(field, s, max)?;
            Ok(Value::String(s.clone()))
        }
        _ => Ok(Value::Null),
    }
}

fn opt_object(
    field: &'static str,
    value: &Option<Value>,
    must_be: fn(&Value) -> bool,
) -> Result<Value, DomainError> {
    match value {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(v) if must_be(v) => {
            check_leaves(field, field, v, 0)?;
            Ok(v.clone())
        }
        Some(_) => Err(DomainError::invalid(
            field,
            format!("The field {field} has the wrong type."),
        )),
    }
}

/// Validates a cipher request and renders its encrypted content as canonical JSON.
pub fn cipher_content_json(req: &CipherRequest) -> Result<String, DomainError> {
    let type_key = type_object_key(req.cipher_type)
        .ok_or_else(|| DomainError::invalid("type", "Unsupported cipher type."))?;
    if req.name.is_empty() {
        return Err(DomainError::invalid("name", "The Name field is required."));
    }
    check_enc_string("name", &req.name, MAX_NAME_LEN)?;
    let reprompt = req.reprompt.unwrap_or(0);
    if !(0..=1).contains(&reprompt) {
        return Err(DomainError::invalid("reprompt", "Invalid reprompt value."));
    }
    for meta in req.attachments2.iter().flat_map(|m| m.values()) {
        for value in [&meta.file_name, &meta.key].into_iter().flatten() {
            check_enc_string("attachments2", value, MAX_NAME_LEN * 10)?;
        }
    }
    let mut data = Map::new();
    data.insert("name".into(), Value::String(req.name.clone()));
    data.insert("notes".into(), opt_enc("notes", &req.notes, MAX_NOTES_LEN)?);
    data.insert("key".into(), opt_enc("key", &req.key, MAX_NAME_LEN)?);
    data.insert("reprompt".into(), Value::from(reprompt));
    data.insert(
        "fields".into(),
        opt_object("fields", &req.fields, Value::is_array)?,
    );
    data.insert(
        "passwordHistory".into(),
        opt_object("passwordHistory", &req.password_history, Value::is_array)?,
    );
    let objects = [
        ("login", &req.login),
        ("secureNote", &req.secure_note),
        ("card", &req.card),
        ("identity", &req.identity),
        ("sshKey", &req.ssh_key),
    ];
    for (key, value) in objects {
        let v = if key == type_key {
            match opt_object(key, value, Value::is_object)? {
                Value::Null if key == "secureNote" => serde_json::json!({ "type": 0 }),
                Value::Null => {
                    return Err(DomainError::invalid(
                        key,
                        format!("The field {key} is required for this item type."),
                    ))
                }
                v => v,
            }
        } else {
            Value::Null
        };
        data.insert(key.into(), v);
    }
    serde_json::to_string(&Value::Object(data))
        .map_err(|e| DomainError::Internal(format!("cipher json: {e}")))
}

fn parse_folder_id(raw: Option<&str>) -> Result<Option<FolderId>, DomainError> {
    match raw {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| DomainError::invalid("folderId", "Invalid folder.")),
    }
}

fn parse_ids(ids: &[String]) -> Result<Vec<CipherId>, DomainError> {
    if ids.len() > MAX_BULK_IDS {
        return Err(DomainError::invalid(
            "ids",
            format!("At most {MAX_BULK_IDS} items per request."),
        ));
    }
    // An id that is not a UUID cannot name anything the caller owns: skip it, as for unknown ids.
    Ok(ids.iter().filter_map(|s| s.parse().ok()).collect())
}

impl Domain {
    fn refuse_organization_items(req: &CipherRequest) -> Result<(), DomainError> {
        if req
            .organization_id
            .as_deref()
            .is_some_and(|o| !o.is_empty())
        {
            return Err(DomainError::invalid(
                "organizationId",
                "Organization items are created with their collections (POST /api/ciphers/create).",
            ));
        }
        Ok(())
    }

    fn check_encrypted_for(caller: &Caller, req: &CipherRequest) -> Result<(), DomainError> {
        match req.encrypted_for.as_deref() {
            Some(id) if !id.eq_ignore_ascii_case(&caller.user.id.to_string()) => {
                Err(DomainError::invalid(
                    "encryptedFor",
                    "This item was encrypted for another user. Resync the client and try again.",
                ))
            }
            _ => Ok(()),
        }
    }

    /// Validates a cipher request for the caller: its content JSON and the caller's folder.
    async fn prepare_cipher(
        &self,
        caller: &Caller,
        req: &CipherRequest,
    ) -> Result<(String, Option<FolderId>), DomainError> {
        Self::refuse_organization_items(req)?;
        Self::check_encrypted_for(caller, req)?;
        let data = cipher_content_json(req)?;
        let folder_id = parse_folder_id(req.folder_id.as_deref())?;
        self.check_folder(caller, folder_id).await?;
        Ok((data, folder_id))
    }

    async fn check_folder(
        &self,
        caller: &Caller,
        folder: Option<FolderId>,
    ) -> Result<(), DomainError> {
        if let Some(id) = folder {
            if self.store.folder(caller.user.id, id).await?.is_none() {
                return Err(DomainError::invalid("folderId", "Invalid folder."));
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- folders

    /// The caller's folders.
    pub async fn list_folders(&self, caller: &Caller) -> Result<Vec<FolderRow>, DomainError> {
        Ok(self.store.folders(caller.user.id).await?)
    }

    /// One of the caller's folders.
    pub async fn folder(&self, caller: &Caller, id: FolderId) -> Result<FolderRow, DomainError> {
        self.store
            .folder(caller.user.id, id)
            .await?
            .ok_or(DomainError::NotFound)
    }

    /// Creates a folder with an encrypted name.
    pub async fn create_folder(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<FolderRow, DomainError> {
        check_enc_string("name", name, MAX_NAME_LEN)?;
        let folder = FolderRow {
            id: FolderId::new(),
            name: name.to_string(),
            revision_date: self.now(),
        };
        self.store.insert_folder(caller.user.id, &folder).await?;
        self.push_folder(
            PushType::SyncFolderCreate,
            caller.user.id,
            folder.id,
            folder.revision_date,
            caller.device(),
        );
        Ok(folder)
    }

    /// Renames one of the caller's folders.
    pub async fn rename_folder(
        &self,
        caller: &Caller,
        id: FolderId,
        name: &str,
    ) -> Result<FolderRow, DomainError> {
        check_enc_string("name", name, MAX_NAME_LEN)?;
        let folder = self
            .store
            .rename_folder(caller.user.id, id, name, self.now())
            .await?
            .ok_or(DomainError::NotFound)?;
        self.push_folder(
            PushType::SyncFolderUpdate,
            caller.user.id,
            folder.id,
            folder.revision_date,
            caller.device(),
        );
        Ok(folder)
    }

    /// Deletes one folder; its items stay, unfiled.
    pub async fn delete_folder(&self, caller: &Caller, id: FolderId) -> Result<(), DomainError> {
        let now = self.now();
        match self
            .store
            .delete_folders(caller.user.id, Some(&[id]), now)
            .await?
        {
            0 => Err(DomainError::NotFound),
            _ => {
                self.push_folder(
                    PushType::SyncFolderDelete,
                    caller.user.id,
                    id,
                    now,
                    caller.device(),
                );
                Ok(())
            }
        }
    }

    /// Deletes several folders (or all with `None`).
    pub async fn delete_folders(
        &self,
        caller: &Caller,
        ids: Option<&[String]>,
    ) -> Result<(), DomainError> {
        let ids: Option<Vec<FolderId>> = match ids {
            Some(ids) if ids.len() > MAX_BULK_IDS => {
                return Err(DomainError::invalid(
                    "ids",
                    format!("At most {MAX_BULK_IDS} folders per request."),
                ))
            }
            Some(ids) => Some(ids.iter().filter_map(|s| s.parse().ok()).collect()),
            None => None,
        };
        if self
            .store
            .delete_folders(caller.user.id, ids.as_deref(), self.now())
            .await?
            > 0
        {
            self.push_sync(&[caller.user.id], PushType::SyncVault);
        }
        Ok(())
    }

    // ---------------------------------------------------------------- ciphers

    /// One cipher the caller can read.
    pub async fn cipher(&self, caller: &Caller, id: CipherId) -> Result<CipherView, DomainError> {
        let mut view = self
            .store
            .cipher(caller.user.id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        self.sign_attachments(&mut view);
        Ok(view)
    }

    /// Creates a personal cipher.
    pub async fn create_cipher(
        &self,
        caller: &Caller,
        req: &CipherRequest,
    ) -> Result<CipherView, DomainError> {
        let (data, folder_id) = self.prepare_cipher(caller, req).await?;
        self.check_personal_ownership(caller).await?;
        let now = self.now();
        let view = CipherView {
            cipher: CipherRow {
                id: CipherId::new(),
                user_id: Some(caller.user.id),
                org_id: None,
                cipher_type: req.cipher_type,
                data,
                creation_date: now,
                revision_date: now,
                deleted_date: None,
                archived_date: req.archived_date.as_deref().and_then(Timestamp::parse_iso),
            },
            folder_id,
            favorite: req.favorite.unwrap_or(false),
            collection_ids: vec![],
            access: ItemAccess::FULL,
            attachments: vec![],
        };
        self.store.insert_cipher(&view).await?;
        self.push_cipher(PushType::SyncCipherCreate, &view.cipher, caller.device())
            .await;
        Ok(view)
    }

    /// Replaces a cipher's content; refused when the client's copy is older than the stored one.
    pub async fn update_cipher(
        &self,
        caller: &Caller,
        id: CipherId,
        req: &CipherRequest,
    ) -> Result<CipherView, DomainError> {
        let current = self.cipher(caller, id).await?;
        if let Some(known) = req.last_known_revision_date.as_deref() {
            let known = Timestamp::parse_iso(known)
                .ok_or_else(|| DomainError::invalid("lastKnownRevisionDate", "Invalid date."))?;
            if current.cipher.revision_date.0 - known.0 > REVISION_TOLERANCE_MS {
                return Err(DomainError::StaleRevision);
            }
        }
        if req.cipher_type != current.cipher.cipher_type {
            return Err(DomainError::invalid(
                "type",
                "The item type cannot be changed.",
            ));
        }
        if current.cipher.org_id.is_some() {
            return self.update_org_cipher(caller, current, req).await;
        }
        let (data, folder_id) = self.prepare_cipher(caller, req).await?;
        let now = self.now();
        let names = Self::attachment_names(req);
        let expected = current.cipher.revision_date;
        let view = CipherView {
            cipher: CipherRow {
                data,
                revision_date: now.max(Timestamp(expected.0 + 1)),
                archived_date: req.archived_date.as_deref().and_then(Timestamp::parse_iso),
                ..current.cipher
            },
            folder_id,
            favorite: req.favorite.unwrap_or(false),
            collection_ids: vec![],
            access: ItemAccess::FULL,
            // As the write leaves them: it renames them in the same transaction, and only if
            // the item is still as read (an attachment added or removed since changes it).
            attachments: Self::renamed(current.attachments, &names),
        };
        if !self
            .store
            .update_cipher(caller.user.id, &view, &names, expected)
            .await?
        {
            // Someone else wrote in between: the client's copy is now out of date.
            return Err(DomainError::StaleRevision);
        }
        self.push_cipher(PushType::SyncCipherUpdate, &view.cipher, caller.device())
            .await;
        Ok(view)
    }

    /// Sets the caller's folder and favorite flag for a cipher.
    pub async fn set_cipher_folder_and_favorite(
        &self,
        caller: &Caller,
        id: CipherId,
        folder_id: Option<&str>,
        favorite: bool,
    ) -> Result<CipherView, DomainError> {
        let folder_id = parse_folder_id(folder_id)?;
        self.check_folder(caller, folder_id).await?;
        if !self
            .store
            .set_cipher_user_state(caller.user.id, id, folder_id, favorite, self.now())
            .await?
        {
            return Err(DomainError::NotFound);
        }
        // The folder and favourite are the caller's own: only their other clients need to know.
        self.push_sync(&[caller.user.id], PushType::SyncCiphers);
        self.cipher(caller, id).await
    }

    /// Moves ciphers into one of the caller's folders (or out of any folder).
    pub async fn move_ciphers(
        &self,
        caller: &Caller,
        ids: &[String],
        folder_id: Option<&str>,
    ) -> Result<(), DomainError> {
        let ids = parse_ids(ids)?;
        let folder_id = parse_folder_id(folder_id)?;
        self.check_folder(caller, folder_id).await?;
        self.store
            .move_ciphers(caller.user.id, &ids, folder_id, self.now())
            .await?;
        self.push_sync(&[caller.user.id], PushType::SyncCiphers);
        Ok(())
    }

    /// Soft-deletes, restores or purges one cipher; `NotFound` when the caller has no such cipher.
    pub async fn change_cipher(
        &self,
        caller: &Caller,
        id: CipherId,
        change: BulkCipherChange,
    ) -> Result<(), DomainError> {
        let view = self.cipher(caller, id).await?;
        if view.cipher.org_id.is_some() {
            return self.change_org_cipher(caller, &view, change).await;
        }
        let now = self.now();
        self.store
            .change_ciphers(caller.user.id, &[id], change, now)
            .await?;
        let changed = CipherRow {
            revision_date: change.revision_date(now),
            ..view.cipher
        };
        self.push_cipher(crate::push::change_push(change), &changed, caller.device())
            .await;
        self.after_change(change).await;
        Ok(())
    }

    /// The bulk form of [`Domain::change_cipher`]; ids the caller cannot change are ignored.
    pub async fn change_ciphers(
        &self,
        caller: &Caller,
        ids: &[String],
        change: BulkCipherChange,
    ) -> Result<Vec<CipherId>, DomainError> {
        let ids = parse_ids(ids)?;
        let personal = self
            .store
            .change_ciphers(caller.user.id, &ids, change, self.now())
            .await?;
        if personal < ids.len() as u64 {
            // The rest may be org items the caller can edit: read for the caller, then changed
            // with one write per organization.
            let mut editable = Vec::new();
            for id in &ids {
                if let Ok(view) = self.cipher(caller, *id).await {
                    if view.cipher.org_id.is_some() && view.access.edit {
                        editable.push(view);
                    }
                }
            }
            self.change_editable_org_ciphers(caller, &editable, change)
                .await?;
        }
        if personal > 0 {
            self.push_sync(&[caller.user.id], PushType::SyncCiphers);
        }
        self.after_change(change).await;
        Ok(ids)
    }

    /// After a purge, the purged items' files go (their rows went with the items).
    pub(crate) async fn after_change(&self, change: BulkCipherChange) {
        if matches!(change, BulkCipherChange::Purge) {
            self.delete_queued_files().await;
        }
    }

    /// Soft-delete timestamp for "now".
    pub fn soft_delete_now(&self) -> BulkCipherChange {
        BulkCipherChange::SoftDelete(self.now())
    }
}

/// Rejects plaintext where an EncString belongs (exposed for the folder/collection paths).
pub fn is_enc_string(s: &str) -> bool {
    validate_enc_string(s).is_ok()
}

impl Domain {
    /// Every cipher the caller can read, as pages of bytes (for sync): `write` appends one item
    /// in its wire shape, its attachments' download links already signed. See
    /// [`store::VaultStore::cipher_pages`].
    pub fn cipher_pages(
        &self,
        caller: &Caller,
        write: store::ItemWriter,
    ) -> futures::stream::BoxStream<'_, Result<Vec<u8>, crate::StoreError>> {
        let signer = self.attachment_signer();
        let write: store::ItemWriter = std::sync::Arc::new(move |view, out| {
            if !view.attachments.is_empty() {
                signer.sign(view);
            }
            write(view, out)
        });
        self.store.cipher_pages(caller.user.id, write)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENC: &str = "2.o9kdBbecZOuOKiuySDrh/A==|JYpRGoGjoVGdUJ2/HtQuxSRQyNRNtmOYUieEIZFgv2s=|6ZVLMcpDFGaeXt1Sc5rto6k2ul+Z9Jid84mW8t4uba8=";

    fn login_request() -> CipherRequest {
        CipherRequest {
            cipher_type: 1,
            name: ENC.into(),
            login: Some(
                serde_json::json!({"username": ENC, "password": ENC, "uris": [{"uri": ENC, "match": null}], "passwordRevisionDate": "2026-01-01T00:00:00Z"}),
            ),
            ..Default::default()
        }
    }

    #[test]
    fn a_login_is_stored_with_only_its_own_type_object() {
        let mut req = login_request();
        req.card = Some(serde_json::json!({"number": ENC}));
        let json: Value = serde_json::from_str(&cipher_content_json(&req).unwrap()).unwrap();
        assert_eq!(json["login"]["username"], ENC);
        assert_eq!(json["card"], Value::Null);
        assert_eq!(json["name"], ENC);
    }

    #[test]
    fn plaintext_anywhere_in_the_item_is_refused() {
        let mut req = login_request();
        req.name = "My bank".into();
        assert!(cipher_content_json(&req).is_err());
        let mut req = login_request();
        req.login = Some(serde_json::json!({"username": "alice", "password": ENC}));
        assert!(cipher_content_json(&req).is_err());
        let mut req = login_request();
        req.fields = Some(serde_json::json!([{"name": ENC, "value": "secret", "type": 0}]));
        assert!(cipher_content_json(&req).is_err());
    }

    #[test]
    fn plain_values_pass_only_where_the_protocol_puts_them() {
        let with_login = |login: Value| CipherRequest {
            login: Some(login),
            ..login_request()
        };
        // Where they belong: fine (and the `response` placeholder as null).
        let fine = with_login(serde_json::json!({
            "username": ENC, "passwordRevisionDate": "2026-01-01T00:00:00Z", "response": null,
            "uris": [{"uri": ENC, "response": null}],
            "fido2Credentials": [{"credentialId": ENC, "creationDate": "2026-01-01T00:00:00Z"}],
        }));
        assert!(cipher_content_json(&fine).is_ok());
        let mut history = login_request();
        history.password_history =
            Some(serde_json::json!([{"password": ENC, "lastUsedDate": "2026-01-01T00:00:00Z"}]));
        assert!(cipher_content_json(&history).is_ok());
        // The same keys anywhere else carry plaintext: refused.
        let mut field = login_request();
        field.fields = Some(
            serde_json::json!([{"name": ENC, "value": ENC, "type": 0, "response": "my PIN 1234"}]),
        );
        assert!(cipher_content_json(&field).is_err());
        let mut field = login_request();
        field.fields = Some(
            serde_json::json!([{"name": ENC, "value": ENC, "type": 0, "passwordRevisionDate": "hunter2"}]),
        );
        assert!(cipher_content_json(&field).is_err());
        for login in [
            serde_json::json!({"username": ENC, "response": "plain"}),
            serde_json::json!({"username": ENC, "lastUsedDate": "plain"}),
            serde_json::json!({"uris": [{"uri": ENC, "passwordRevisionDate": "plain"}]}),
        ] {
            assert!(
                cipher_content_json(&with_login(login.clone())).is_err(),
                "{login}"
            );
        }
    }

    #[test]
    fn a_login_without_its_login_object_is_refused_and_a_note_gets_a_default() {
        let mut req = login_request();
        req.login = None;
        assert!(cipher_content_json(&req).is_err());
        let note = CipherRequest {
            cipher_type: 2,
            name: ENC.into(),
            ..Default::default()
        };
        let json: Value = serde_json::from_str(&cipher_content_json(&note).unwrap()).unwrap();
        assert_eq!(json["secureNote"]["type"], 0);
    }

    #[test]
    fn unknown_types_are_refused() {
        let req = CipherRequest {
            cipher_type: 42,
            name: ENC.into(),
            ..Default::default()
        };
        assert!(cipher_content_json(&req).is_err());
    }
}
