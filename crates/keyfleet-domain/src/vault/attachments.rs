//! Attachments: files the clients encrypt and attach to an item. The flow is the official
//! clients' (`cipher-file-upload.service.ts`): announce the file (its encrypted name, key and
//! size) → a row, not yet uploaded; upload exactly that many bytes into the `FileStore` → the row
//! is marked uploaded; only then do reads, sync and downloads show it. Rights are the item's:
//! whoever reads the item downloads its files; adding and deleting need edit rights (an org
//! item's through the caller's collections or role; the admin console's calls and a launched
//! provider member need the right to manage every item).
//!
//! Files go after their rows: deleting a row (or its item, by cascade) queues its file in the
//! same transaction, and [`Domain::delete_queued_files`] removes queued files afterwards (at once
//! after the use cases that delete, and on the server's periodic sweep).

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::files::{ByteStream, FileError, FileId, FileKey};
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::ids::CipherId;
use crate::orgs::OrgActor;
use crate::store::{AttachmentNames, AttachmentRow, CipherView, ItemAccess, StorageOwner};
use crate::Domain;
use keyfleet_api::kinds::EventType;
use keyfleet_api::vault::AttachmentRequest;

/// Purpose of download tokens (they open one file and nothing else).
const DOWNLOAD_PURPOSE: &str = "attachment-download";
/// How long a download link works. The official server gives one minute; clients fetch the
/// link right after asking for it, and sync's links are only their fallback.
const DOWNLOAD_TTL_SECS: i64 = 300;
/// An attachment announced but not uploaded within this time is removed by the sweep.
pub const STALE_UPLOAD_SECS: i64 = 24 * 3600;
/// Queued file deletions handled per round.
const DELETIONS_PER_ROUND: i64 = 500;
/// Most length of the encrypted name and key.
const MAX_ENC_LEN: usize = 10_000;

/// How large attachments may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// Largest file, in bytes (the official server: 500 MB).
    pub max_file_bytes: i64,
    /// Total of a user's personal items' attachments (the official premium plan: 1 GB).
    pub user_storage_bytes: i64,
    /// Total of an organization's items' attachments (the official plans: 1 GB and up).
    pub org_storage_bytes: i64,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        const MIB: i64 = 1024 * 1024;
        AttachmentLimits {
            max_file_bytes: 500 * MIB,
            user_storage_bytes: 1024 * MIB,
            org_storage_bytes: 1024 * MIB,
        }
    }
}

/// A size the way the official server writes it (`CoreHelpers.ReadableBytesSize`): bytes below
/// 1 KB, else KB/MB/GB with at most two decimals ("200 KB", "19.53 MB").
pub fn readable_size(size: i64) -> String {
    let abs = size.unsigned_abs();
    let (readable, suffix) = if abs >= 1 << 30 {
        ((size >> 20) as f64 / 1024.0, "GB")
    } else if abs >= 1 << 20 {
        ((size >> 10) as f64 / 1024.0, "MB")
    } else if abs >= 1 << 10 {
        (size as f64 / 1024.0, "KB")
    } else {
        return format!("{size} Bytes");
    };
    let text = format!("{readable:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {suffix}")
}

/// An item the caller may change attachments of, with the org actor when it is an org item.
struct EditableItem {
    view: CipherView,
    actor: Option<OrgActor>,
}

impl EditableItem {
    fn owner(&self) -> Result<StorageOwner, DomainError> {
        match (self.view.cipher.user_id, self.view.cipher.org_id) {
            (_, Some(org)) => Ok(StorageOwner::Org(org)),
            (Some(user), None) => Ok(StorageOwner::User(user)),
            (None, None) => Err(DomainError::Internal("item without owner".into())),
        }
    }
}

impl Domain {
    /// The item for a caller who may change it: as an admin of its organization (`admin`, or
    /// when the caller does not read the item through a membership, e.g. a launched provider
    /// member), else as read for the caller, who needs edit rights (400 without them).
    async fn editable_item(
        &self,
        caller: &Caller,
        id: CipherId,
        admin: bool,
    ) -> Result<EditableItem, DomainError> {
        let read = if admin {
            Err(DomainError::NotFound)
        } else {
            self.store
                .cipher(caller.user.id, id)
                .await?
                .ok_or(DomainError::NotFound)
        };
        match read {
            Ok(view) => {
                let actor = match view.cipher.org_id {
                    Some(org) => Some(self.org_actor(caller, org).await?),
                    None => None,
                };
                if !view.access.edit {
                    return Err(DomainError::bad_request(
                        "You do not have permissions to edit this.",
                    ));
                }
                Ok(EditableItem { view, actor })
            }
            Err(DomainError::NotFound) => {
                let (view, actor) = self.admin_org_cipher_with_actor(caller, id).await?;
                Ok(EditableItem {
                    view,
                    actor: Some(actor),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Reads an item's uploaded attachments into a view built in memory (after a write).
    pub(crate) async fn fill_attachments_of(
        &self,
        view: &mut CipherView,
    ) -> Result<(), DomainError> {
        view.attachments = self.store.cipher_attachments(view.cipher.id).await?;
        self.sign_attachments(view);
        Ok(())
    }

    /// The names and keys of the item's attachments a save's `attachments2` carries (the clients
    /// re-encrypt them when the item moves into an organization), stored with the item's write.
    /// The values were checked with the rest of the request.
    pub(crate) fn attachment_names(
        req: &keyfleet_api::vault::CipherRequest,
    ) -> Vec<AttachmentNames> {
        req.attachments2
            .iter()
            .flatten()
            .filter_map(|(attachment, meta)| {
                Some(AttachmentNames {
                    id: FileId::parse(attachment)?,
                    file_name: meta.file_name.clone().filter(|s| !s.is_empty())?,
                    key: meta.key.clone().filter(|s| !s.is_empty())?,
                })
            })
            .collect()
    }

    /// An item's attachments (as read, their links signed) once a save has stored `names` with
    /// it: what a read after the save answers.
    pub(crate) fn renamed(
        mut attachments: Vec<AttachmentRow>,
        names: &[AttachmentNames],
    ) -> Vec<AttachmentRow> {
        for a in &mut attachments {
            if let Some(n) = names.iter().find(|n| n.id == a.id) {
                a.file_name.clone_from(&n.file_name);
                a.key.clone_from(&n.key);
            }
        }
        attachments
    }

    /// Adds download links to a view's attachments.
    pub(crate) fn sign_attachments(&self, view: &mut CipherView) {
        sign(
            &self.tokens,
            &self.settings.attachment_download_url,
            self.now(),
            view,
        );
    }

    /// What [`Domain::sign_attachments`] does, apart from the domain: a sync's pages are
    /// written on the thread that read them.
    pub(crate) fn attachment_signer(&self) -> AttachmentSigner {
        AttachmentSigner {
            tokens: self.tokens.clone(),
            clock: self.clock.clone(),
            url: self.settings.attachment_download_url.clone(),
        }
    }

    /// `POST /api/ciphers/{id}/attachment/v2`: announces a file. Answers the new attachment
    /// and the item as the client keeps it, the new attachment included (it shows nowhere
    /// else until the upload is done).
    pub async fn create_attachment(
        &self,
        caller: &Caller,
        id: CipherId,
        req: &AttachmentRequest,
    ) -> Result<(AttachmentRow, CipherView), DomainError> {
        let item = self.editable_item(caller, id, req.admin_request).await?;
        if let Some(known) = req.last_known_revision_date.as_deref() {
            let known = Timestamp::parse_iso(known)
                .ok_or_else(|| DomainError::invalid("lastKnownRevisionDate", "Invalid date."))?;
            if item.view.cipher.revision_date.0 - known.0 > super::REVISION_TOLERANCE_MS {
                return Err(DomainError::StaleRevision);
            }
        }
        let limits = self.settings.attachments;
        if req.file_size < 1 {
            return Err(DomainError::bad_request("No data to attach."));
        }
        if req.file_size > limits.max_file_bytes {
            return Err(DomainError::bad_request(format!(
                "Max file size is {}.",
                readable_size(limits.max_file_bytes)
            )));
        }
        check_enc_string("fileName", &req.file_name, MAX_ENC_LEN)?;
        check_enc_string("key", &req.key, MAX_ENC_LEN)?;
        let owner = item.owner()?;
        let limit = match owner {
            StorageOwner::User(_) => limits.user_storage_bytes,
            StorageOwner::Org(_) => limits.org_storage_bytes,
        };
        let now = self.now();
        let row = AttachmentRow {
            id: FileId::new(),
            cipher_id: id,
            file_name: req.file_name.clone(),
            key: req.key.clone(),
            size: req.file_size,
            uploaded: false,
            creation_date: now,
            download_url: String::new(),
        };
        let events: Vec<_> = item
            .actor
            .iter()
            .map(|a| self.cipher_event(a, EventType::CipherAttachmentCreated, id))
            .collect();
        if !self
            .store
            .insert_attachment(&row, owner, limit, &events, now)
            .await?
        {
            return Err(DomainError::bad_request("Not enough storage available."));
        }
        let mut view = item.view;
        view.cipher.revision_date = now.max(Timestamp(view.cipher.revision_date.0 + 1));
        view.attachments.push(row.clone());
        self.sign_attachments(&mut view);
        Ok((row, view))
    }

    /// `POST /api/ciphers/{id}/attachment/{attachmentId}`: stores the announced file, streamed.
    /// A body of another length than announced stores nothing and removes the attachment (the
    /// official server does the same: the client's rollback then finds nothing to delete).
    pub async fn upload_attachment(
        &self,
        caller: &Caller,
        id: CipherId,
        attachment: &str,
        body: ByteStream,
    ) -> Result<(), DomainError> {
        let item = self.editable_item(caller, id, false).await?;
        let attachment_id = FileId::parse(attachment).ok_or(DomainError::NotFound)?;
        let row = self
            .store
            .attachment(id, &attachment_id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if row.uploaded {
            return Err(DomainError::bad_request(
                "This attachment's file was already uploaded.",
            ));
        }
        let owner = item.owner()?;
        let key = FileKey::attachment(id, &row.id);
        let size = u64::try_from(row.size).unwrap_or(0);
        match self.files.put(&key, size, body).await {
            Ok(()) => {}
            Err(FileError::WrongLength { .. }) => {
                self.store
                    .delete_attachment(id, &row.id, owner, &[], self.now())
                    .await?;
                self.delete_queued_files().await;
                return Err(DomainError::bad_request(
                    "File received does not match expected file length.",
                ));
            }
            Err(FileError::Body(e)) => {
                tracing::info!(error = %e, "attachment upload interrupted");
                return Err(DomainError::bad_request("The upload was interrupted."));
            }
            Err(e @ FileError::Backend(_)) => {
                return Err(DomainError::Internal(format!("attachment upload: {e}")))
            }
        }
        if !self
            .store
            .mark_attachment_uploaded(id, &row.id, owner, self.now())
            .await?
        {
            // The item (or the attachment) went while the file came in: its file goes too.
            self.delete_file(&key).await;
            return Err(DomainError::NotFound);
        }
        Ok(())
    }

    /// `GET /api/ciphers/{id}/attachment/{attachmentId}` (and `/admin`): an uploaded
    /// attachment of an item the caller reads, with a fresh download link.
    pub async fn attachment(
        &self,
        caller: &Caller,
        id: CipherId,
        attachment: &str,
        admin: bool,
    ) -> Result<AttachmentRow, DomainError> {
        if admin {
            self.admin_item_actor(caller, id).await?;
        } else if self.store.cipher(caller.user.id, id).await?.is_none() {
            // A launched provider member reads the client's items as its admin.
            self.admin_item_actor(caller, id).await?;
        }
        let attachment_id = FileId::parse(attachment).ok_or(DomainError::NotFound)?;
        let row = self
            .store
            .attachment(id, &attachment_id)
            .await?
            .filter(|a| a.uploaded)
            .ok_or(DomainError::NotFound)?;
        let mut view = CipherView {
            attachments: vec![row],
            ..self.empty_view(id)
        };
        self.sign_attachments(&mut view);
        view.attachments.pop().ok_or(DomainError::NotFound)
    }

    fn empty_view(&self, id: CipherId) -> CipherView {
        CipherView {
            cipher: crate::store::CipherRow {
                id,
                user_id: None,
                org_id: None,
                cipher_type: 0,
                data: String::new(),
                creation_date: Timestamp(0),
                revision_date: Timestamp(0),
                deleted_date: None,
                archived_date: None,
            },
            folder_id: None,
            favorite: false,
            collection_ids: vec![],
            access: ItemAccess::FULL,
            attachments: vec![],
        }
    }

    /// `DELETE /api/ciphers/{id}/attachment/{attachmentId}` (and `/admin`): removes the
    /// attachment, then its file; answers the item as it is now.
    pub async fn delete_attachment(
        &self,
        caller: &Caller,
        id: CipherId,
        attachment: &str,
        admin: bool,
    ) -> Result<CipherView, DomainError> {
        let item = self.editable_item(caller, id, admin).await?;
        let attachment_id = FileId::parse(attachment).ok_or(DomainError::NotFound)?;
        let owner = item.owner()?;
        let events: Vec<_> = item
            .actor
            .iter()
            .map(|a| self.cipher_event(a, EventType::CipherAttachmentDeleted, id))
            .collect();
        let now = self.now();
        if !self
            .store
            .delete_attachment(id, &attachment_id, owner, &events, now)
            .await?
        {
            return Err(DomainError::NotFound);
        }
        self.delete_queued_files().await;
        let mut view = item.view;
        view.cipher.revision_date = now.max(Timestamp(view.cipher.revision_date.0 + 1));
        view.attachments.retain(|a| a.id != attachment_id);
        self.sign_attachments(&mut view);
        Ok(view)
    }

    /// The file behind a download link: its length and bytes; `NotFound` for a bad or expired
    /// token or an attachment that is gone.
    pub async fn download_attachment(
        &self,
        token: &str,
    ) -> Result<(AttachmentRow, u64, ByteStream), DomainError> {
        let subject = self
            .tokens
            .purpose_token_subject(token, DOWNLOAD_PURPOSE, self.now())
            .ok_or(DomainError::NotFound)?;
        let (cipher, attachment) = subject.split_once('/').ok_or(DomainError::NotFound)?;
        let cipher: CipherId = cipher.parse().map_err(|_| DomainError::NotFound)?;
        let attachment = FileId::parse(attachment).ok_or(DomainError::NotFound)?;
        let row = self
            .store
            .attachment(cipher, &attachment)
            .await?
            .filter(|a| a.uploaded)
            .ok_or(DomainError::NotFound)?;
        let (len, stream) = self
            .files
            .get(&FileKey::attachment(cipher, &attachment))
            .await
            .map_err(|e| DomainError::Internal(format!("attachment download: {e}")))?
            .ok_or(DomainError::NotFound)?;
        Ok((row, len, stream))
    }

    async fn delete_file(&self, key: &FileKey) {
        if let Err(e) = self.files.delete(key).await {
            tracing::warn!(error = %e, "deleting an attachment's file failed");
        }
    }

    /// Deletes the files whose rows are gone (queued by the database when the rows went), then
    /// forgets them. A failure leaves them queued for the next round. Answers how many went.
    pub async fn delete_queued_files(&self) -> u64 {
        let mut deleted = 0;
        loop {
            let queued = match self.store.queued_file_deletions(DELETIONS_PER_ROUND).await {
                Ok(q) => q,
                Err(e) => {
                    tracing::warn!(error = ?e, "reading queued file deletions failed");
                    return deleted;
                }
            };
            let mut done = Vec::with_capacity(queued.len());
            for (cipher, attachment) in queued {
                match self
                    .files
                    .delete(&FileKey::attachment(cipher, &attachment))
                    .await
                {
                    Ok(()) => done.push((cipher, attachment)),
                    Err(e) => tracing::warn!(error = %e, "deleting an attachment's file failed"),
                }
            }
            let round = done.len();
            if round == 0 {
                return deleted;
            }
            if let Err(e) = self.store.forget_file_deletions(&done).await {
                tracing::warn!(error = ?e, "forgetting file deletions failed");
                return deleted;
            }
            deleted += round as u64;
            if (round as i64) < DELETIONS_PER_ROUND {
                return deleted;
            }
        }
    }

    /// The periodic part: attachments announced long ago and never uploaded go, and every
    /// queued file is deleted.
    pub async fn sweep_attachments(&self) -> Result<u64, DomainError> {
        let before = Timestamp(self.now().0 - STALE_UPLOAD_SECS * 1000);
        self.store.delete_stale_attachments(before).await?;
        Ok(self.delete_queued_files().await)
    }
}

/// Adds download links to attachments, on its own (see [`Domain::attachment_signer`]).
#[derive(Clone)]
pub(crate) struct AttachmentSigner {
    tokens: crate::identity::tokens::TokenIssuer,
    clock: std::sync::Arc<dyn crate::Clock>,
    url: String,
}

impl AttachmentSigner {
    /// Adds download links to a view's attachments.
    pub(crate) fn sign(&self, view: &mut CipherView) {
        sign(&self.tokens, &self.url, self.clock.now(), view);
    }
}

/// Links each of `view`'s attachments to `url` with a download token good for a few minutes.
fn sign(
    tokens: &crate::identity::tokens::TokenIssuer,
    url: &str,
    now: Timestamp,
    view: &mut CipherView,
) {
    for a in &mut view.attachments {
        let subject = format!("{}/{}", a.cipher_id, a.id);
        if let Ok(token) =
            tokens.issue_purpose_token(DOWNLOAD_PURPOSE, &subject, DOWNLOAD_TTL_SECS, now)
        {
            a.download_url = format!("{url}?token={token}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::readable_size;

    #[test]
    fn sizes_read_as_the_official_server_writes_them() {
        assert_eq!(readable_size(512), "512 Bytes");
        assert_eq!(readable_size(200 * 1024), "200 KB");
        assert_eq!(readable_size(1536), "1.5 KB");
        assert_eq!(readable_size(20 * 1024 * 1024), "20 MB");
        assert_eq!(readable_size(20_000_000), "19.07 MB");
        assert_eq!(readable_size(500 * 1024 * 1024), "500 MB");
        assert_eq!(readable_size(3 * 1024 * 1024 * 1024), "3 GB");
    }
}
