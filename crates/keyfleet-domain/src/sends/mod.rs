//! Send: a text (or file) shared once with anyone holding the link. The server never sees the
//! content or the key: the link's fragment carries the key material, the owner's copy of it is
//! wrapped with their user key. The server enforces who owns a Send, its limits and dates, the
//! organization policies that restrict Send, and — for recipients, who have no account — the
//! password check and the access count.
//!
//! Recipients of the current clients first get a short-lived Send access token from the identity
//! server's `send_access` grant (the password is checked there), then spend it on
//! `POST /api/sends/access`; the older `POST /api/sends/access/{accessId}` takes the password in
//! its body. Both count one access, atomically, in the store.

pub mod file;
pub mod store;

use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::ids::SendId;
use crate::Domain;
use base64::Engine;
use keyfleet_api::kinds::PolicyType;
use keyfleet_api::sends::SendRequest;
use store::{SendKind, SendRow};

/// Most Sends one user may keep.
pub const MAX_SENDS_PER_USER: i64 = 1_000;
/// Longest EncString accepted for a name, notes or text. The clients cap the plaintext at 1,000
/// characters; its EncString (IV, MAC, Base64) is at most about 1.4 times as long.
pub const MAX_SEND_FIELD_LEN: usize = 5_000;
/// Longest wrapped key accepted.
const MAX_KEY_LEN: usize = 1_000;
/// The furthest ahead a deletion date may be, as on the official server.
const MAX_DELETION_DAYS: i64 = 31;
/// Dates closer than this to now count as past (client clock drift), as on the official server.
const DATE_SLACK_SECS: i64 = 60;
/// How long a Send access token lasts: enough for one access and its file download.
pub const SEND_ACCESS_TOKEN_SECS: i64 = 300;
/// The purpose of Send access tokens (they open nothing else).
const SEND_ACCESS_PURPOSE: &str = "send-access";

/// `AuthType` numbers on the wire.
const AUTH_EMAIL: i32 = 0;
const AUTH_PASSWORD: i32 = 1;
const AUTH_NONE: i32 = 2;

/// Why the `send_access` grant refused; the edge renders each as the `send_access_error_type`
/// the clients branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendAccessRefusal {
    /// No `send_id` in the request.
    SendIdRequired,
    /// Unknown, disabled, expired, used up or deleted (one answer for all, so a link reveals
    /// nothing about a Send it no longer opens).
    SendIdInvalid,
    /// Protected and no password hash given.
    PasswordRequired,
    /// Protected and the password hash is wrong.
    PasswordInvalid,
}

/// What a recipient gets: the Send and, unless hidden, its owner's email.
#[derive(Debug, Clone)]
pub struct AccessedSend {
    /// The Send after this access was counted.
    pub send: SendRow,
    /// The owner's email, unless they chose to hide it.
    pub creator_email: Option<String>,
}

/// The access id of a Send: URL-safe Base64 (no padding) of its id's bytes in .NET `Guid`
/// order, as the official server computes it and the clients put it in the link.
pub fn access_id(id: SendId) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id.uuid().to_bytes_le())
}

/// The Send id an access id names, when it is one.
pub fn parse_access_id(access_id: &str) -> Option<SendId> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(access_id.trim_end_matches('='))
        .ok()?;
    let bytes: [u8; 16] = bytes.try_into().ok()?;
    let uuid = uuid::Uuid::from_bytes_le(bytes);
    (!uuid.is_nil()).then(|| SendId::from(uuid))
}

fn parse_date(field: &'static str, value: Option<&str>) -> Result<Option<Timestamp>, DomainError> {
    match value {
        None | Some("") => Ok(None),
        Some(s) => Timestamp::parse_iso(s).map(Some).ok_or_else(|| {
            DomainError::invalid(field, format!("The field {field} is not a date."))
        }),
    }
}

fn opt_enc(field: &'static str, value: Option<&String>) -> Result<Option<String>, DomainError> {
    match value {
        Some(s) if !s.is_empty() => {
            check_enc_string(field, s, MAX_SEND_FIELD_LEN)?;
            Ok(Some(s.clone()))
        }
        _ => Ok(None),
    }
}

/// The checked, owner-chosen part of a Send request (everything but the password).
struct SendContent {
    kind: SendKind,
    name: String,
    notes: Option<String>,
    text: Option<String>,
    text_hidden: bool,
    key: String,
    max_access_count: Option<i64>,
    expiration_date: Option<Timestamp>,
    deletion_date: Timestamp,
    disabled: bool,
    hide_email: bool,
}

/// Checks a request the way the official server's `ValidateEdit` does (dates) plus Keyfleet's
/// EncString and size checks. `creating` adds the "already expired" rule of `ValidateCreation`
/// (the same rule, so both read the same).
fn parse_request(req: &SendRequest, now: Timestamp) -> Result<SendContent, DomainError> {
    let kind = SendKind::from_code(req.send_type)
        .ok_or_else(|| DomainError::invalid("type", "Unsupported Send type."))?;
    let name = opt_enc("name", req.name.as_ref())?
        .ok_or_else(|| DomainError::invalid("name", "The Name field is required."))?;
    let notes = opt_enc("notes", req.notes.as_ref())?;
    let key = req
        .key
        .as_deref()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| DomainError::invalid("key", "The Key field is required."))?;
    check_enc_string("key", key, MAX_KEY_LEN)?;
    // A file Send's text is ignored (the official `ToSend` keeps only the file's name).
    let (text, text_hidden) = match kind {
        SendKind::Text => {
            let text_model = req
                .text
                .as_ref()
                .ok_or_else(|| DomainError::invalid("text", "Text is required for text Sends."))?;
            (
                opt_enc("text", text_model.text.as_ref())?,
                text_model.hidden,
            )
        }
        SendKind::File => (None, false),
    };
    if let Some(max) = req.max_access_count {
        if max < 1 || max > i64::from(i32::MAX) {
            return Err(DomainError::invalid(
                "maxAccessCount",
                "The field MaxAccessCount must be between 1 and 2147483647.",
            ));
        }
    }
    let deletion_date =
        parse_date("deletionDate", req.deletion_date.as_deref())?.ok_or_else(|| {
            DomainError::invalid("deletionDate", "The DeletionDate field is required.")
        })?;
    let expiration_date = parse_date("expirationDate", req.expiration_date.as_deref())?;
    let soon = now.plus_secs(DATE_SLACK_SECS);
    if deletion_date <= soon {
        return Err(DomainError::bad_request(
            "You cannot have a Send with a deletion date in the past. Adjust the deletion date and try again.",
        ));
    }
    if deletion_date > now.plus_secs(MAX_DELETION_DAYS * 86_400) {
        return Err(DomainError::bad_request(
            "You cannot have a Send with a deletion date that far into the future. Adjust the Deletion Date to a value less than 31 days from now and try again.",
        ));
    }
    if let Some(exp) = expiration_date {
        if exp <= soon {
            return Err(DomainError::bad_request(
                "You cannot have a Send with an expiration date in the past. Adjust the expiration date and try again.",
            ));
        }
        if exp > deletion_date {
            return Err(DomainError::bad_request(
                "You cannot have a Send with an expiration date greater than the deletion date. Adjust the expiration date and try again.",
            ));
        }
    }
    Ok(SendContent {
        kind,
        name,
        notes,
        text,
        text_hidden,
        key: key.to_string(),
        max_access_count: req.max_access_count,
        expiration_date,
        deletion_date,
        disabled: req.disabled.unwrap_or(false),
        hide_email: req.hide_email.unwrap_or(false),
    })
}

/// What to do with the stored password on a save, following the official `ToSendBase`.
enum PasswordChange {
    Keep,
    Clear,
    Set(String),
}

fn password_change(
    req: &SendRequest,
    existing: Option<&SendRow>,
) -> Result<PasswordChange, DomainError> {
    if req.emails.as_deref().is_some_and(|e| !e.trim().is_empty())
        || req.auth_type == Some(AUTH_EMAIL)
    {
        return Err(DomainError::invalid(
            "emails",
            "Email-verified Sends are not available on this server.",
        ));
    }
    let given = req
        .password
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string);
    let had_password = existing.is_some_and(|s| s.password_hash.is_some());
    match (req.auth_type, given) {
        // A new hash replaces the stored one. (The official server keeps the stored hash
        // whenever both say "password", so a password changed in an edit is silently ignored
        // there; the clients never echo the stored hash back, so taking the new one is safe.)
        (Some(AUTH_PASSWORD), Some(hash)) => Ok(PasswordChange::Set(hash)),
        // Editing a protected Send without a new password: the clients send no hash.
        (Some(AUTH_PASSWORD), None) if had_password => Ok(PasswordChange::Keep),
        (Some(AUTH_PASSWORD), None) => Err(DomainError::invalid(
            "password",
            "A password-protected Send needs a password.",
        )),
        // The bw CLI's `send edit` without `--password` says "none": the password goes, as on
        // the official server.
        (Some(AUTH_NONE), _) => Ok(PasswordChange::Clear),
        (Some(_), _) => Err(DomainError::invalid("authType", "Invalid AuthType.")),
        // Clients that send no AuthType: a password given sets it, none keeps what is stored.
        (None, given) => Ok(given.map_or(PasswordChange::Keep, PasswordChange::Set)),
    }
}

impl Domain {
    /// The caller's Sends.
    pub async fn list_sends(&self, caller: &Caller) -> Result<Vec<SendRow>, DomainError> {
        Ok(self.store.sends(caller.user.id, self.now()).await?)
    }

    /// One of the caller's Sends; someone else's is `NotFound`.
    pub async fn send(&self, caller: &Caller, id: SendId) -> Result<SendRow, DomainError> {
        self.store
            .send(caller.user.id, id, self.now())
            .await?
            .ok_or(DomainError::NotFound)
    }

    /// Creates a text Send (file Sends come through [`Domain::create_file_send`]).
    pub async fn create_send(
        &self,
        caller: &Caller,
        req: &SendRequest,
    ) -> Result<SendRow, DomainError> {
        self.insert_new_send(caller, req, SendKind::Text, |_| Ok(None))
            .await
    }

    /// Checks and stores a new Send of `kind`; `file` gives the file metadata (checked after
    /// the request and the policies, so a refused Send reveals nothing about storage).
    async fn insert_new_send(
        &self,
        caller: &Caller,
        req: &SendRequest,
        kind: SendKind,
        file: impl FnOnce(&[SendRow]) -> Result<Option<String>, DomainError>,
    ) -> Result<SendRow, DomainError> {
        let now = self.now();
        let content = parse_request(req, now)?;
        if content.kind != kind {
            return Err(DomainError::bad_request("Invalid content."));
        }
        if let Some(exp) = content.expiration_date {
            if exp <= now.plus_secs(DATE_SLACK_SECS) {
                return Err(DomainError::bad_request(
                    "You cannot create a Send that is already expired. Adjust the expiration date and try again.",
                ));
            }
        }
        self.check_send_policies(caller, content.hide_email).await?;
        if self.store.send_count(caller.user.id).await? >= MAX_SENDS_PER_USER {
            return Err(DomainError::bad_request(format!(
                "You can keep at most {MAX_SENDS_PER_USER} Sends. Delete some and try again."
            )));
        }
        let file = if kind == SendKind::File {
            // Every Send the user keeps, those past their deletion date included (their files
            // are still stored until the sweep removes them).
            let kept = self
                .store
                .sends(caller.user.id, Timestamp(i64::MIN))
                .await?;
            file(&kept)?
        } else {
            None
        };
        let password_hash = match password_change(req, None)? {
            PasswordChange::Set(client_hash) => Some(self.hasher.hash(client_hash).await?),
            PasswordChange::Keep | PasswordChange::Clear => None,
        };
        let row = SendRow {
            id: SendId::new(),
            user_id: caller.user.id,
            kind: content.kind,
            name: content.name,
            notes: content.notes,
            text: content.text,
            text_hidden: content.text_hidden,
            file,
            key: content.key,
            password_hash,
            max_access_count: content.max_access_count,
            access_count: 0,
            creation_date: now,
            revision_date: now,
            expiration_date: content.expiration_date,
            deletion_date: content.deletion_date,
            disabled: content.disabled,
            hide_email: content.hide_email,
        };
        self.store.insert_send(&row).await?;
        self.push_send(
            keyfleet_api::kinds::PushType::SyncSendCreate,
            row.user_id,
            row.id,
            row.revision_date,
            caller.device(),
        );
        Ok(row)
    }

    /// Replaces a Send's content and options; its type cannot change.
    pub async fn update_send(
        &self,
        caller: &Caller,
        id: SendId,
        req: &SendRequest,
    ) -> Result<SendRow, DomainError> {
        let now = self.now();
        let existing = self.send(caller, id).await?;
        let content = parse_request(req, now)?;
        if content.kind != existing.kind {
            return Err(DomainError::invalid("type", "Cannot change a Send's type"));
        }
        self.check_send_policies(caller, content.hide_email).await?;
        let password_hash = match password_change(req, Some(&existing))? {
            PasswordChange::Keep => existing.password_hash.clone(),
            PasswordChange::Clear => None,
            PasswordChange::Set(client_hash) => Some(self.hasher.hash(client_hash).await?),
        };
        let row = SendRow {
            name: content.name,
            notes: content.notes,
            text: content.text,
            text_hidden: content.text_hidden,
            key: content.key,
            password_hash,
            max_access_count: content.max_access_count,
            revision_date: now,
            expiration_date: content.expiration_date,
            deletion_date: content.deletion_date,
            disabled: content.disabled,
            hide_email: content.hide_email,
            ..existing
        };
        if !self.store.update_send(&row).await? {
            return Err(DomainError::NotFound);
        }
        self.push_send(
            keyfleet_api::kinds::PushType::SyncSendUpdate,
            row.user_id,
            row.id,
            row.revision_date,
            caller.device(),
        );
        Ok(row)
    }

    /// Removes a Send's password (a save, so the policies apply as to an edit).
    pub async fn remove_send_password(
        &self,
        caller: &Caller,
        id: SendId,
    ) -> Result<SendRow, DomainError> {
        let existing = self.send(caller, id).await?;
        self.check_send_policies(caller, existing.hide_email)
            .await?;
        let row = SendRow {
            password_hash: None,
            revision_date: self.now(),
            ..existing
        };
        if !self.store.update_send(&row).await? {
            return Err(DomainError::NotFound);
        }
        self.push_send(
            keyfleet_api::kinds::PushType::SyncSendUpdate,
            row.user_id,
            row.id,
            row.revision_date,
            caller.device(),
        );
        Ok(row)
    }

    /// Deletes one of the caller's Sends (allowed whatever the policies say), then its file.
    pub async fn delete_send(&self, caller: &Caller, id: SendId) -> Result<(), DomainError> {
        let now = self.now();
        if !self.store.delete_send(caller.user.id, id, now).await? {
            return Err(DomainError::NotFound);
        }
        self.push_send(
            keyfleet_api::kinds::PushType::SyncSendDelete,
            caller.user.id,
            id,
            now,
            caller.device(),
        );
        self.remove_send_files(vec![id]).await;
        Ok(())
    }

    /// Deletes every Send past its deletion date (the periodic job), then their files; answers
    /// how many.
    pub async fn delete_sends_due(&self) -> Result<u64, DomainError> {
        let gone = self.store.delete_sends_due(self.now()).await?;
        let n = gone.len() as u64;
        let files: Vec<SendId> = gone
            .into_iter()
            .filter(|(_, kind)| *kind == SendKind::File)
            .map(|(id, _)| id)
            .collect();
        self.remove_send_files(files).await;
        Ok(n)
    }

    /// Refuses creating or editing a Send when an organization the caller belongs to (other
    /// than as an owner or admin, as the official policy requirements exempt them) disables
    /// Send, or forbids hiding the email while `hide_email` is asked for.
    async fn check_send_policies(
        &self,
        caller: &Caller,
        hide_email: bool,
    ) -> Result<(), DomainError> {
        for p in self.binding_policies(caller.user.id).await? {
            if p.policy_type == PolicyType::DisableSend {
                return Err(DomainError::bad_request(
                    "Due to an Enterprise Policy, you are only able to delete an existing Send.",
                ));
            }
            if p.policy_type == PolicyType::SendOptions && hide_email {
                let disable_hide_email = p
                    .data
                    .as_deref()
                    .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
                    .and_then(|v| v.get("disableHideEmail").and_then(|b| b.as_bool()))
                    .unwrap_or(false);
                if disable_hide_email {
                    return Err(DomainError::bad_request(
                        "Due to an Enterprise Policy, you are not allowed to hide your email address from recipients when creating or editing a Send.",
                    ));
                }
            }
        }
        Ok(())
    }

    /// A Send as recipients may see it, or `None`; one past its deletion date is deleted now
    /// rather than waiting for the job.
    async fn accessible_send(&self, id: SendId) -> Result<Option<SendRow>, DomainError> {
        let now = self.now();
        let Some(send) = self.store.send_unscoped_for_access(id).await? else {
            return Ok(None);
        };
        if send.deletion_date <= now {
            if self.store.delete_send(send.user_id, send.id, now).await? {
                self.remove_send_files(vec![send.id]).await;
            }
            return Ok(None);
        }
        // A file Send whose file never arrived opens for nobody.
        let uploaded = send.kind != SendKind::File
            || file::SendFileData::of(&send).is_some_and(|f| f.validated);
        Ok((uploaded && send.accessible_at(now)).then_some(send))
    }

    /// Checks `password_hash_b64` against a protected Send; `Ok(())` for an open one. Each
    /// try is counted before it is judged, per Send and per client address (`ip`), so guessing
    /// is refused (`RateLimited`) after a few wrong passwords; a right one gives its hits back.
    async fn check_send_password(
        &self,
        send: &SendRow,
        given: Option<&str>,
        ip: &str,
    ) -> Result<Result<(), SendAccessRefusal>, DomainError> {
        let Some(stored) = &send.password_hash else {
            return Ok(Ok(()));
        };
        let Some(given) = given else {
            return Ok(Err(SendAccessRefusal::PasswordRequired));
        };
        let store = self.store.as_ref();
        let send_key = send.id.to_string();
        let now = self.now();
        if let Err(retry_after_secs) = self
            .send_password_throttle
            .reserve(store, &send_key, now)
            .await?
        {
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        if let Err(retry_after_secs) = self.send_ip_throttle.reserve(store, ip, now).await? {
            self.send_password_throttle
                .release(store, &send_key)
                .await?;
            return Err(DomainError::RateLimited { retry_after_secs });
        }
        let verified = self
            .hasher
            .verify(Some(stored.clone()), given.to_string())
            .await;
        match verified {
            Ok(true) => {
                // Released, not cleared: a recipient who knows the password does not reset the
                // budget of someone guessing it.
                self.send_password_throttle
                    .release(store, &send_key)
                    .await?;
                self.send_ip_throttle.release(store, ip).await?;
                Ok(Ok(()))
            }
            Ok(false) => Ok(Err(SendAccessRefusal::PasswordInvalid)),
            Err(e) => {
                self.send_password_throttle
                    .release(store, &send_key)
                    .await?;
                self.send_ip_throttle.release(store, ip).await?;
                Err(e)
            }
        }
    }

    /// The identity server's `send_access` grant: a short-lived token that opens the Send named
    /// by `access_id`, once its password (if any) is proven.
    pub async fn send_access_token(
        &self,
        access_id: Option<&str>,
        password_hash_b64: Option<&str>,
        ip: &str,
    ) -> Result<Result<String, SendAccessRefusal>, DomainError> {
        let Some(access_id) = access_id else {
            return Ok(Err(SendAccessRefusal::SendIdRequired));
        };
        let Some(id) = parse_access_id(access_id) else {
            return Ok(Err(SendAccessRefusal::SendIdInvalid));
        };
        let Some(send) = self.accessible_send(id).await? else {
            return Ok(Err(SendAccessRefusal::SendIdInvalid));
        };
        if let Err(refusal) = self
            .check_send_password(&send, password_hash_b64, ip)
            .await?
        {
            return Ok(Err(refusal));
        }
        let token = self.tokens.issue_purpose_token(
            SEND_ACCESS_PURPOSE,
            &send.id.to_string(),
            SEND_ACCESS_TOKEN_SECS,
            self.now(),
        )?;
        Ok(Ok(token))
    }

    /// `POST /api/sends/access` with a Send access token: counts one access and answers the
    /// Send; `NotFound` for a bad token or a Send no longer accessible.
    pub async fn access_send_with_token(&self, token: &str) -> Result<AccessedSend, DomainError> {
        let id: SendId = self
            .tokens
            .purpose_token_subject(token, SEND_ACCESS_PURPOSE, self.now())
            .and_then(|s| s.parse().ok())
            .ok_or(DomainError::NotFound)?;
        self.count_access(id).await
    }

    /// The older anonymous access, `POST /api/sends/access/{accessId}` with the password hash in
    /// the body: a wrong or missing password is a 400 (`PasswordInvalid`/`PasswordRequired`),
    /// anything else that does not open is `NotFound`.
    pub async fn access_send_legacy(
        &self,
        access_id: &str,
        password_hash_b64: Option<&str>,
        ip: &str,
    ) -> Result<Result<AccessedSend, SendAccessRefusal>, DomainError> {
        match self
            .open_send_legacy(access_id, password_hash_b64, ip)
            .await?
        {
            Ok(id) => Ok(Ok(self.count_access(id).await?)),
            Err(refusal) => Ok(Err(refusal)),
        }
    }

    /// The Send an older access call names, once its password (if any) checks out; the refusal
    /// otherwise. Nothing is counted yet.
    pub(crate) async fn open_send_legacy(
        &self,
        access_id: &str,
        password_hash_b64: Option<&str>,
        ip: &str,
    ) -> Result<Result<SendId, SendAccessRefusal>, DomainError> {
        let id = parse_access_id(access_id).ok_or(DomainError::NotFound)?;
        let send = self
            .accessible_send(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        Ok(self
            .check_send_password(&send, password_hash_b64, ip)
            .await?
            .map(|()| id))
    }

    /// A recipient opens the Send: a text Send's access is counted now; a file Send's is
    /// counted when the file's download URL is asked for (as on the official server), and one
    /// whose file was never uploaded opens for nobody.
    async fn count_access(&self, id: SendId) -> Result<AccessedSend, DomainError> {
        let send = match self.accessible_send(id).await? {
            Some(send) if send.kind == SendKind::File => send,
            _ => self
                .store
                .record_send_access(id, self.now())
                .await?
                .ok_or(DomainError::NotFound)?,
        };
        let creator_email = if send.hide_email {
            None
        } else {
            self.store.user_by_id(send.user_id).await?.map(|u| u.email)
        };
        Ok(AccessedSend {
            send,
            creator_email,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_id_is_the_id_in_dotnet_guid_byte_order() {
        // .NET's Guid.ToByteArray: the first three groups little-endian, the rest as written.
        let id: SendId = "00112233-4455-6677-8899-aabbccddeeff".parse().unwrap();
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(access_id(id))
            .unwrap();
        assert_eq!(
            bytes,
            [
                0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                0xee, 0xff
            ]
        );
        assert_eq!(parse_access_id(&access_id(id)), Some(id));
        assert_eq!(parse_access_id("not-base64!"), None);
        assert_eq!(parse_access_id("AAAAAAAAAAAAAAAAAAAAAA"), None);
    }
}
