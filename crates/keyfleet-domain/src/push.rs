//! Live sync: after a write has been committed, the domain tells the clients whose view changed
//! through the `Pusher` port (the server's notifications hub, and on PostgreSQL every other
//! instance). A push carries ids and dates only, never content: the client fetches what changed
//! with its own token, so the rights of the read decide what it gets.
//!
//! Who is told what is decided here, next to the use cases that call it:
//! * a personal item, folder or Send: its owner;
//! * an organization item: every confirmed member of its organization (as the official server's
//!   organization group; a member without access fetches, gets 404 and drops it). Provider
//!   members who launch into a client are not told: they are no members, their sync holds none
//!   of the client's items (the admin console reads them on demand), so there is nothing to update;
//! * memberships, collection and group access, provider membership and assignments: the members
//!   concerned get `SyncOrgKeys` (a forced sync) or `SyncVault`, one message each, since clients
//!   drop a message that names another account;
//! * credentials replaced (account recovery, takeover) or the account deleted: `LogOut` (the hub
//!   then closes that account's connections).
//!
//! Pushing never fails a use case and never waits: the port queues.

use crate::ids::{OrgId, UserId};
use crate::vault::store::CipherRow;
use crate::{Domain, Timestamp};
use keyfleet_api::kinds::PushType;
use keyfleet_api::push::{
    AuthRequestPayload, LogOutPayload, PushNotification, PushPayload, SyncCipherPayload,
    SyncFolderPayload, SyncSendPayload, UserPayload,
};

/// One notification for some accounts, or for the device waiting on a login request.
#[derive(Debug, Clone, PartialEq)]
pub struct Push {
    /// The accounts whose connections receive it (on the hub).
    pub to: Vec<UserId>,
    /// The login request whose anonymous connections receive it instead (the anonymous hub,
    /// where a device without a session waits for its request's answer).
    pub auth_request: Option<String>,
    /// What they receive.
    pub notification: PushNotification,
}

/// Delivers pushes to connected clients. Implementations queue and return at once.
pub trait Pusher: Send + Sync {
    /// Queues `push` for delivery.
    fn push(&self, push: Push);
    /// Whether anyone may hear a push (a connection here, or other instances): when nobody
    /// can, the reads that find a push's recipients are skipped.
    fn listening(&self) -> bool;
}

impl Domain {
    /// Delivers pushes through `pusher` from now on.
    pub fn with_pusher(mut self, pusher: std::sync::Arc<dyn Pusher>) -> Self {
        self.pusher = Some(pusher);
        self
    }

    /// `by`: the device whose request caused the push (`ContextId`; its apps skip it, they made
    /// the change). Set for item, folder and Send changes, as the official server does.
    fn send_push(
        &self,
        to: Vec<UserId>,
        push_type: PushType,
        payload: PushPayload,
        by: Option<&str>,
    ) {
        if to.is_empty() {
            return;
        }
        if let Some(pusher) = &self.pusher {
            pusher.push(Push {
                to,
                auth_request: None,
                notification: PushNotification {
                    context_id: by.map(str::to_string),
                    push_type,
                    payload,
                },
            });
        }
    }

    fn listening(&self) -> bool {
        self.pusher.as_ref().is_some_and(|p| p.listening())
    }

    /// A whole-account sync message (`SyncVault`, `SyncOrgKeys`, …) to each of `users`.
    pub(crate) fn push_sync(&self, users: &[UserId], push_type: PushType) {
        if self.pusher.is_none() {
            return;
        }
        let date = self.now().to_iso();
        for user in users {
            self.send_push(
                vec![*user],
                push_type,
                PushPayload::User(UserPayload {
                    user_id: user.to_string(),
                    date: date.clone(),
                }),
                None,
            );
        }
    }

    /// `AuthRequest` to `user`'s connections: a device asks to log in (their logged-in apps
    /// offer to approve it).
    pub fn push_auth_request(&self, user: UserId, request: &str) {
        self.send_push(
            vec![user],
            PushType::AuthRequest,
            PushPayload::AuthRequest(AuthRequestPayload {
                id: request.to_string(),
                user_id: user.to_string(),
            }),
            None,
        );
    }

    /// `AuthRequestResponse` to the device waiting on `request` (anonymous hub): it was
    /// approved, the device may fetch the answer with its access code.
    pub fn push_auth_request_response(&self, user: UserId, request: &str) {
        if let Some(pusher) = &self.pusher {
            pusher.push(Push {
                to: Vec::new(),
                auth_request: Some(request.to_string()),
                notification: PushNotification {
                    context_id: None,
                    push_type: PushType::AuthRequestResponse,
                    payload: PushPayload::AuthRequest(AuthRequestPayload {
                        id: request.to_string(),
                        user_id: user.to_string(),
                    }),
                },
            });
        }
    }

    /// `LogOut` to `user`'s connections (their credentials were replaced).
    pub(crate) fn push_logout(&self, user: UserId) {
        self.push_logout_because(user, None);
    }

    /// `LogOut` with Bitwarden's reason (0 KDF change, 1 key rotation).
    pub(crate) fn push_logout_because(&self, user: UserId, reason: Option<i32>) {
        self.send_push(
            vec![user],
            PushType::LogOut,
            PushPayload::LogOut(LogOutPayload {
                user_id: user.to_string(),
                reason,
            }),
            None,
        );
    }

    /// An item was created, changed or deleted (`cipher` as it is now, or was before a purge):
    /// its owner, or every confirmed member of its organization, fetches it again or drops it.
    /// Clients fetch an organization item they do not hold only when its collections meet theirs,
    /// and skip one whose revision date they already have: `cipher` carries the date the write
    /// stored, and the collections are read with the recipients.
    pub(crate) async fn push_cipher(
        &self,
        push_type: PushType,
        cipher: &CipherRow,
        by: Option<&str>,
    ) {
        if !self.listening() {
            return;
        }
        let (to, payload) = match (cipher.user_id, cipher.org_id) {
            (Some(owner), _) => (
                vec![owner],
                SyncCipherPayload {
                    id: cipher.id.to_string(),
                    user_id: Some(owner.to_string()),
                    organization_id: None,
                    collection_ids: None,
                    revision_date: cipher.revision_date.to_iso(),
                },
            ),
            (None, Some(org)) => {
                // The write has the item's revision date (the one stored); one read answers the
                // collections (which the apps check before fetching) and the recipients.
                let audience = match self.store.cipher_push_audience(org, cipher.id).await {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(error = ?e, "reading an item's push recipients failed");
                        return;
                    }
                };
                (
                    audience.recipients,
                    SyncCipherPayload {
                        id: cipher.id.to_string(),
                        user_id: None,
                        organization_id: Some(org.to_string()),
                        collection_ids: Some(
                            audience.collections.iter().map(|c| c.to_string()).collect(),
                        ),
                        revision_date: cipher.revision_date.to_iso(),
                    },
                )
            }
            (None, None) => return,
        };
        self.send_push(to, push_type, PushPayload::Cipher(payload), by);
    }

    /// Many items of an organization changed (bulk moves, deletes, imports): every confirmed
    /// member syncs.
    pub(crate) async fn push_org_sync(&self, org: OrgId, push_type: PushType) {
        if !self.listening() {
            return;
        }
        let users = self.org_recipients(org).await;
        self.push_sync(&users, push_type);
    }

    /// A folder of `user` was created, renamed or deleted.
    pub(crate) fn push_folder(
        &self,
        push_type: PushType,
        user: UserId,
        folder: crate::ids::FolderId,
        revision_date: Timestamp,
        by: Option<&str>,
    ) {
        self.send_push(
            vec![user],
            push_type,
            PushPayload::Folder(SyncFolderPayload {
                id: folder.to_string(),
                user_id: user.to_string(),
                revision_date: revision_date.to_iso(),
            }),
            by,
        );
    }

    /// A Send of `user` was created, changed or deleted.
    pub(crate) fn push_send(
        &self,
        push_type: PushType,
        user: UserId,
        send: crate::ids::SendId,
        revision_date: Timestamp,
        by: Option<&str>,
    ) {
        self.send_push(
            vec![user],
            push_type,
            PushPayload::Send(SyncSendPayload {
                id: send.to_string(),
                user_id: user.to_string(),
                revision_date: revision_date.to_iso(),
            }),
            by,
        );
    }

    /// The confirmed members of `org` (a failed read pushes to nobody: the clients still sync on
    /// their own schedule).
    async fn org_recipients(&self, org: OrgId) -> Vec<UserId> {
        match self.store.confirmed_member_users(org).await {
            Ok(users) => users,
            Err(e) => {
                tracing::warn!(error = ?e, "reading an organization's members for a push failed");
                Vec::new()
            }
        }
    }
}

/// The push for an item deleted, restored or purged: soft deletes and restores are updates
/// (the item stays, with or without its deleted date), a purge removes it.
pub(crate) fn change_push(change: crate::vault::store::BulkCipherChange) -> PushType {
    match change {
        crate::vault::store::BulkCipherChange::Purge => PushType::SyncCipherDelete,
        _ => PushType::SyncCipherUpdate,
    }
}
