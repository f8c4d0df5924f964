//! File Sends, as the current clients make and open them (the official server's
//! `PostFile`, `PostFileForExistingSend`, `GetSendFileDownloadDataUsingAuth`): the owner
//! announces the file (its encrypted name and length) and gets the Send with a file id, then
//! uploads exactly that many bytes of ciphertext to Keyfleet itself (`fileUploadType` 0, direct);
//! until then the Send opens for nobody. A recipient who may open the Send asks for the file's
//! download URL — that request is the one that counts the access, as on the official server — and
//! fetches the bytes anonymously with the short-lived signed token the URL carries.
//!
//! The file's metadata is the Send's `file` column: a JSON object of the file id, the encrypted
//! name, the length and whether the upload is done. The bytes are in the domain's
//! [`FileStore`](crate::files::FileStore) under [`FileKey::send`]; deleting a Send (by its owner,
//! the sweep, a recipient finding it past its date, or account deletion) deletes the row first and
//! the files after.

use super::store::{SendKind, SendRow};
use super::{SendAccessRefusal, SEND_ACCESS_PURPOSE};
use crate::error::DomainError;
use crate::files::{ByteStream, FileError, FileId, FileKey};
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::ids::SendId;
use crate::Domain;
use keyfleet_api::sends::SendRequest;
use serde::{Deserialize, Serialize};

/// How long a file download URL works: the client fetches it at once.
pub const SEND_FILE_DOWNLOAD_SECS: i64 = 120;
/// The purpose of download tokens (they open nothing else).
const SEND_FILE_PURPOSE: &str = "send-file";
/// Longest encrypted file name accepted (the official server caps it at 1,000 characters).
const MAX_FILE_NAME_LEN: usize = 1_000;

/// A file Send's file, as stored in its row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendFileData {
    /// The file id (also in URLs and the storage key).
    pub id: String,
    /// EncString of the file name.
    pub file_name: String,
    /// Length in bytes (announced, then confirmed by the upload).
    pub size: u64,
    /// Whether the bytes were uploaded in full; until then nobody can open the Send.
    pub validated: bool,
}

impl SendFileData {
    /// The file of a file Send (`None` for a text Send or unreadable metadata).
    pub fn of(send: &SendRow) -> Option<SendFileData> {
        if send.kind != SendKind::File {
            return None;
        }
        serde_json::from_str(send.file.as_deref()?).ok()
    }

    fn to_json(&self) -> Result<String, DomainError> {
        serde_json::to_string(self).map_err(|e| DomainError::Internal(format!("send file: {e}")))
    }
}

/// A size as the official server words it (`CoreHelpers.ReadableBytesSize`): `"1.91 MB"`.
pub fn readable_size(size: u64) -> String {
    const UNITS: [&str; 5] = ["Bytes", "KB", "MB", "GB", "TB"];
    if size == 0 {
        return "0 Bytes".into();
    }
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let rounded = (value * 100.0).round() / 100.0;
    format!("{rounded} {}", UNITS[unit])
}

/// A size limit in the words of the official server's "Max file size is 500 MB.".
fn limit_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else {
        readable_size(bytes)
    }
}

/// A file the recipient may download now: the key and the token for its URL.
#[derive(Debug, Clone)]
pub struct SendFileDownload {
    /// The Send.
    pub send_id: SendId,
    /// The file id.
    pub file_id: String,
    /// The signed token the download URL carries.
    pub token: String,
}

fn file_error(e: FileError) -> DomainError {
    match e {
        FileError::WrongLength { .. } => {
            DomainError::bad_request("File received does not match expected file length.")
        }
        FileError::Body(_) => DomainError::bad_request("The upload was interrupted."),
        FileError::Backend(text) => DomainError::Internal(format!("file storage: {text}")),
    }
}

impl Domain {
    /// Largest file a file Send may hold (the upload route sizes its body limit by it).
    pub fn send_file_max_bytes(&self) -> u64 {
        self.settings.send_file_max_bytes
    }

    /// `POST /api/sends/file/v2`: a file Send announced with its encrypted name and length; the
    /// answer's file id names the upload. Refused (400, nothing stored) past the file size limit
    /// or the owner's storage.
    pub async fn create_file_send(
        &self,
        caller: &Caller,
        req: &SendRequest,
    ) -> Result<(SendRow, FileId), DomainError> {
        let len = req.file_length.ok_or_else(|| {
            DomainError::bad_request("Invalid content. File size hint is required.")
        })?;
        let max = self.settings.send_file_max_bytes;
        if len < 1 {
            return Err(DomainError::bad_request("No file data."));
        }
        let len = u64::try_from(len).unwrap_or(u64::MAX);
        if len > max {
            return Err(DomainError::bad_request(format!(
                "Max file size is {}.",
                limit_text(max)
            )));
        }
        let file_name = req
            .file
            .as_ref()
            .and_then(|f| f.file_name.clone())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| DomainError::bad_request("File metadata is required for file sends."))?;
        check_enc_string("fileName", &file_name, MAX_FILE_NAME_LEN)?;
        let file_id = FileId::new();
        let storage = self.settings.send_storage_per_user_bytes;
        let data = SendFileData {
            id: file_id.to_string(),
            file_name,
            size: len,
            validated: false,
        };
        let row = self
            .insert_new_send(caller, req, SendKind::File, |kept| {
                let used: u64 = kept
                    .iter()
                    .filter_map(SendFileData::of)
                    .map(|f| f.size)
                    .sum();
                if used.saturating_add(len) > storage {
                    return Err(DomainError::bad_request("Not enough storage available."));
                }
                Ok(Some(data.to_json()?))
            })
            .await?;
        Ok((row, file_id))
    }

    /// The caller's file Send whose upload `file_id` is still to come (`NotFound` otherwise:
    /// someone else's, another file, or already uploaded — as the official server answers).
    pub async fn pending_send_upload(
        &self,
        caller: &Caller,
        id: SendId,
        file_id: &str,
    ) -> Result<(SendRow, SendFileData), DomainError> {
        let send = self.send(caller, id).await?;
        match SendFileData::of(&send) {
            Some(f) if f.id == file_id && !f.validated => Ok((send, f)),
            _ => Err(DomainError::NotFound),
        }
    }

    /// `POST /api/sends/{id}/file/{fileId}`: stores exactly the announced number of bytes from
    /// `body`, then marks the file uploaded. A body of another length stores nothing (400); the
    /// Send stays unopenable, for the client to delete (the clients do at once).
    pub async fn upload_send_file(
        &self,
        caller: &Caller,
        id: SendId,
        file_id: &str,
        body: ByteStream,
    ) -> Result<(), DomainError> {
        let (send, file) = self.pending_send_upload(caller, id, file_id).await?;
        let key_id = FileId::parse(&file.id)
            .ok_or_else(|| DomainError::Internal("stored send file id".into()))?;
        let key = FileKey::send(send.id, &key_id);
        self.files
            .put(&key, file.size, body)
            .await
            .map_err(file_error)?;
        let done = SendFileData {
            validated: true,
            ..file
        };
        let row = SendRow {
            file: Some(done.to_json()?),
            revision_date: self.now(),
            ..send
        };
        if !self.store.update_send(&row).await? {
            // Deleted while uploading: its file goes too.
            self.remove_send_files(vec![row.id]).await;
            return Err(DomainError::NotFound);
        }
        Ok(())
    }

    /// `POST /api/sends/access/file/{fileId}` with a Send access token: counts one access (the
    /// file download is what counts for a file Send) and answers a download token.
    pub async fn send_file_download(
        &self,
        token: &str,
        file_id: &str,
    ) -> Result<SendFileDownload, DomainError> {
        let id: SendId = self
            .tokens
            .purpose_token_subject(token, SEND_ACCESS_PURPOSE, self.now())
            .and_then(|s| s.parse().ok())
            .ok_or(DomainError::NotFound)?;
        self.count_file_access(id, file_id).await
    }

    /// The older `POST /api/sends/{accessId}/access/file/{fileId}` with the password hash in the
    /// body; refusals as for [`Domain::access_send_legacy`].
    pub async fn send_file_download_legacy(
        &self,
        access_id: &str,
        file_id: &str,
        password_hash_b64: Option<&str>,
        ip: &str,
    ) -> Result<Result<SendFileDownload, SendAccessRefusal>, DomainError> {
        match self
            .open_send_legacy(access_id, password_hash_b64, ip)
            .await?
        {
            Ok(id) => Ok(Ok(self.count_file_access(id, file_id).await?)),
            Err(refusal) => Ok(Err(refusal)),
        }
    }

    async fn count_file_access(
        &self,
        id: SendId,
        file_id: &str,
    ) -> Result<SendFileDownload, DomainError> {
        let send = self
            .accessible_send(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        match SendFileData::of(&send) {
            Some(f) if f.validated && f.id == file_id => {}
            _ => return Err(DomainError::NotFound),
        }
        self.store
            .record_send_access(id, self.now())
            .await?
            .ok_or(DomainError::NotFound)?;
        let token = self.tokens.issue_purpose_token(
            SEND_FILE_PURPOSE,
            &format!("{id}/{file_id}"),
            SEND_FILE_DOWNLOAD_SECS,
            self.now(),
        )?;
        Ok(SendFileDownload {
            send_id: id,
            file_id: file_id.to_string(),
            token,
        })
    }

    /// The file a download token opens: its length and bytes, streamed. `NotFound` for a bad or
    /// expired token, or a Send deleted since.
    pub async fn open_send_file(
        &self,
        id: SendId,
        file_id: &str,
        token: &str,
    ) -> Result<(u64, ByteStream), DomainError> {
        let subject = format!("{id}/{file_id}");
        if !self
            .tokens
            .check_purpose_token(token, SEND_FILE_PURPOSE, &subject, self.now())
        {
            return Err(DomainError::NotFound);
        }
        let file_id = FileId::parse(file_id).ok_or(DomainError::NotFound)?;
        // The row is the truth: a Send deleted after the token was issued opens nothing.
        let send = self
            .store
            .send_unscoped_for_access(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if SendFileData::of(&send).is_none_or(|f| !f.validated || f.id != file_id.as_str()) {
            return Err(DomainError::NotFound);
        }
        self.files
            .get(&FileKey::send(id, &file_id))
            .await
            .map_err(file_error)?
            .ok_or(DomainError::NotFound)
    }

    /// Removes the files of Sends whose rows are already gone. A failure is logged, not
    /// returned: the rows are the truth, a leftover file is an orphan nobody can reach.
    pub(crate) async fn remove_send_files(&self, ids: Vec<SendId>) {
        for id in ids {
            if let Err(e) = self.files.delete_prefix(&FileKey::sends_of(id)).await {
                tracing::warn!(send = %id, error = %e, "could not remove a deleted Send's files");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_on_the_official_server() {
        assert_eq!(readable_size(0), "0 Bytes");
        assert_eq!(readable_size(1000), "1000 Bytes");
        assert_eq!(readable_size(2 * 1024 * 1024), "2 MB");
        assert_eq!(readable_size(2_000_000), "1.91 MB");
        assert_eq!(limit_text(500 * 1024 * 1024), "500 MB");
    }
}
