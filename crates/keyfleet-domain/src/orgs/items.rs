//! Org items: create into collections, share a personal item into an organization, edit with the
//! rights the caller's collections give, change collections, delete/restore, and the admin view.

use super::{parse_id, OrgActor, OrgCapability};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{CipherId, CollectionId, OrgId};
use crate::orgs::store::EventRow;
use crate::store::{BulkCipherChange, CipherRow, CipherView, ItemAccess};
use crate::vault::{cipher_content_json, MAX_BULK_IDS};
use crate::Domain;
use keyfleet_api::kinds::{EventType, PushType};
use keyfleet_api::orgs::CipherBulkUpdateCollectionsRequest;
use keyfleet_api::vault::CipherRequest;
use std::collections::HashSet;

/// The event a bulk change records for each item.
fn change_event(change: BulkCipherChange) -> EventType {
    match change {
        BulkCipherChange::SoftDelete(_) => EventType::CipherSoftDeleted,
        BulkCipherChange::Restore => EventType::CipherRestored,
        BulkCipherChange::Purge => EventType::CipherDeleted,
    }
}

fn org_of(req: &CipherRequest) -> Result<OrgId, DomainError> {
    match req.organization_id.as_deref() {
        Some(s) if !s.is_empty() => parse_id("organizationId", s),
        _ => Err(DomainError::invalid(
            "organizationId",
            "An organization item needs its organization.",
        )),
    }
}

impl Domain {
    pub(crate) fn cipher_event(&self, actor: &OrgActor, t: EventType, id: CipherId) -> EventRow {
        EventRow {
            cipher_id: Some(id),
            ..self.org_event(actor, t)
        }
    }

    /// Parses collection ids and checks the actor may put items into each: by role, or because
    /// a collection grants them write access.
    async fn writable_collections(
        &self,
        actor: &OrgActor,
        raw: &[String],
    ) -> Result<Vec<CollectionId>, DomainError> {
        if raw.len() > MAX_BULK_IDS {
            return Err(DomainError::invalid(
                "collectionIds",
                "Too many collections.",
            ));
        }
        let ids: Vec<CollectionId> = raw
            .iter()
            .map(|s| parse_id("collectionIds", s))
            .collect::<Result<HashSet<_>, _>>()?
            .into_iter()
            .collect();
        let writable: HashSet<CollectionId> = if actor.can(OrgCapability::ManageAllItems) {
            self.store
                .collections(actor.org.id)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect()
        } else {
            self.store
                .user_collections(actor.user_id)
                .await?
                .into_iter()
                .filter(|c| c.collection.org_id == actor.org.id && !c.access.read_only)
                .map(|c| c.collection.id)
                .collect()
        };
        if ids.iter().any(|id| !writable.contains(id)) {
            return Err(DomainError::invalid(
                "collectionIds",
                "You do not have permission to add items to one of these collections.",
            ));
        }
        Ok(ids)
    }

    /// Creates an org item in collections the caller may write to (at least one).
    pub async fn create_org_cipher(
        &self,
        caller: &Caller,
        req: &CipherRequest,
        collection_ids: &[String],
    ) -> Result<CipherView, DomainError> {
        let org_id = org_of(req)?;
        let actor = self.org_actor(caller, org_id).await?;
        let collections = self.writable_collections(&actor, collection_ids).await?;
        if collections.is_empty() && !actor.can(OrgCapability::ManageAllItems) {
            return Err(DomainError::invalid(
                "collectionIds",
                "You must select at least one collection.",
            ));
        }
        let data = cipher_content_json(req)?;
        let now = self.now();
        let cipher = CipherRow {
            id: CipherId::new(),
            user_id: None,
            org_id: Some(org_id),
            cipher_type: req.cipher_type,
            data,
            creation_date: now,
            revision_date: now,
            deleted_date: None,
            archived_date: None,
        };
        let events = [self.cipher_event(&actor, EventType::CipherCreated, cipher.id)];
        self.store
            .insert_org_cipher(&cipher, &collections, &events)
            .await?;
        self.push_cipher(PushType::SyncCipherCreate, &cipher, actor.device())
            .await;
        if actor.via_provider.is_some() {
            // A provider member is no member of the client: the per-user read below would not
            // find the item they just created. They hold owner rights on all of it.
            return Ok(CipherView {
                cipher,
                folder_id: None,
                favorite: false,
                collection_ids: collections,
                access: ItemAccess::FULL,
                attachments: vec![],
            });
        }
        self.cipher(caller, cipher.id).await
    }

    /// Moves one of the caller's personal items into an organization, re-encrypted with the org
    /// key, into collections the caller may write to.
    pub async fn share_cipher(
        &self,
        caller: &Caller,
        id: CipherId,
        req: &CipherRequest,
        collection_ids: &[String],
    ) -> Result<CipherView, DomainError> {
        let current = self.cipher(caller, id).await?;
        if current.cipher.user_id != Some(caller.user.id) {
            return Err(DomainError::bad_request(
                "This item already belongs to an organization.",
            ));
        }
        let org_id = org_of(req)?;
        let actor = self.org_actor(caller, org_id).await?;
        let collections = self.writable_collections(&actor, collection_ids).await?;
        if collections.is_empty() {
            return Err(DomainError::invalid(
                "collectionIds",
                "You must select at least one collection.",
            ));
        }
        if req.cipher_type != current.cipher.cipher_type {
            return Err(DomainError::invalid(
                "type",
                "The item type cannot be changed.",
            ));
        }
        let data = cipher_content_json(req)?;
        let cipher = CipherRow {
            user_id: None,
            org_id: Some(org_id),
            data,
            revision_date: self
                .now()
                .max(crate::clock::Timestamp(current.cipher.revision_date.0 + 1)),
            ..current.cipher.clone()
        };
        let events = [self.cipher_event(&actor, EventType::CipherShared, id)];
        if !self
            .store
            .share_cipher(
                caller.user.id,
                &cipher,
                &collections,
                &Self::attachment_names(req),
                current.cipher.revision_date,
                &events,
            )
            .await?
        {
            return Err(DomainError::StaleRevision);
        }
        self.push_cipher(PushType::SyncCipherUpdate, &cipher, actor.device())
            .await;
        self.cipher(caller, id).await
    }

    /// Shares several personal items at once; stops at the first that cannot be shared (those
    /// before it stay shared: each share is its own transaction, as in the official server).
    pub async fn share_ciphers(
        &self,
        caller: &Caller,
        items: &[(String, CipherRequest)],
        collection_ids: &[String],
    ) -> Result<Vec<CipherView>, DomainError> {
        if items.len() > MAX_BULK_IDS {
            return Err(DomainError::invalid(
                "ciphers",
                format!("At most {MAX_BULK_IDS} items per request."),
            ));
        }
        let mut shared = Vec::with_capacity(items.len());
        for (id, req) in items {
            let id: CipherId = id.parse().map_err(|_| DomainError::NotFound)?;
            shared.push(self.share_cipher(caller, id, req, collection_ids).await?);
        }
        Ok(shared)
    }

    /// Replaces an org item's content (edit rights needed); `current` was read for the caller.
    pub(crate) async fn update_org_cipher(
        &self,
        caller: &Caller,
        current: CipherView,
        req: &CipherRequest,
    ) -> Result<CipherView, DomainError> {
        let org_id = current.cipher.org_id.ok_or(DomainError::NotFound)?;
        let actor = self.org_actor(caller, org_id).await?;
        if !current.access.edit {
            return Err(DomainError::bad_request(
                "You do not have permission to edit this item.",
            ));
        }
        let cipher = self.write_org_cipher(&actor, &current.cipher, req).await?;
        // The caller's folder and favorite are theirs, not the item's.
        let folder = req.folder_id.as_deref().filter(|s| !s.is_empty());
        self.set_cipher_folder_and_favorite(
            caller,
            cipher.id,
            folder,
            req.favorite.unwrap_or(false),
        )
        .await
    }

    /// Writes new content over `current` (same organization, revision compare-and-set).
    async fn write_org_cipher(
        &self,
        actor: &OrgActor,
        current: &CipherRow,
        req: &CipherRequest,
    ) -> Result<CipherRow, DomainError> {
        if org_of(req).ok() != Some(actor.org.id) {
            return Err(DomainError::invalid(
                "organizationId",
                "An item cannot change organization.",
            ));
        }
        if req.cipher_type != current.cipher_type {
            return Err(DomainError::invalid(
                "type",
                "The item type cannot be changed.",
            ));
        }
        let data = cipher_content_json(req)?;
        let cipher = CipherRow {
            data,
            revision_date: self
                .now()
                .max(crate::clock::Timestamp(current.revision_date.0 + 1)),
            archived_date: req
                .archived_date
                .as_deref()
                .and_then(crate::clock::Timestamp::parse_iso),
            ..current.clone()
        };
        let events = [self.cipher_event(actor, EventType::CipherUpdated, cipher.id)];
        if !self
            .store
            .update_org_cipher(
                &cipher,
                &Self::attachment_names(req),
                current.revision_date,
                &events,
            )
            .await?
        {
            return Err(DomainError::StaleRevision);
        }
        self.push_cipher(PushType::SyncCipherUpdate, &cipher, actor.device())
            .await;
        Ok(cipher)
    }

    /// The organization of an item named by a `*-admin` endpoint, with the caller acting there
    /// with the right to manage every item (members and provider members alike).
    pub async fn admin_item_actor(
        &self,
        caller: &Caller,
        id: CipherId,
    ) -> Result<OrgActor, DomainError> {
        let org_id = self
            .store
            .org_of_cipher_unscoped(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageAllItems)?;
        Ok(actor)
    }

    /// An item as the admin vault view shows it, for a caller who manages every item.
    pub async fn admin_org_cipher(
        &self,
        caller: &Caller,
        id: CipherId,
    ) -> Result<CipherView, DomainError> {
        Ok(self.admin_org_cipher_with_actor(caller, id).await?.0)
    }

    /// [`Domain::admin_org_cipher`] with the actor whose admin rights reach it.
    pub(crate) async fn admin_org_cipher_with_actor(
        &self,
        caller: &Caller,
        id: CipherId,
    ) -> Result<(CipherView, OrgActor), DomainError> {
        let actor = self.admin_item_actor(caller, id).await?;
        let (cipher, collection_ids) = self
            .store
            .org_cipher(actor.org.id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let mut view = CipherView {
            cipher,
            folder_id: None,
            favorite: false,
            collection_ids,
            access: ItemAccess::FULL,
            attachments: vec![],
        };
        self.fill_attachments_of(&mut view).await?;
        Ok((view, actor))
    }

    /// An admin's edit of any item of the organization (`PUT /ciphers/{id}/admin`); a member
    /// who may edit the item through a collection keeps editing it here as before.
    pub async fn admin_update_org_cipher(
        &self,
        caller: &Caller,
        id: CipherId,
        req: &CipherRequest,
    ) -> Result<CipherView, DomainError> {
        let actor = match self.admin_item_actor(caller, id).await {
            Ok(actor) => actor,
            Err(DomainError::NotFound) => return self.update_cipher(caller, id, req).await,
            Err(e) => return Err(e),
        };
        let (current, collection_ids) = self
            .store
            .org_cipher(actor.org.id, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        if let Some(known) = req.last_known_revision_date.as_deref() {
            let known = crate::clock::Timestamp::parse_iso(known)
                .ok_or_else(|| DomainError::invalid("lastKnownRevisionDate", "Invalid date."))?;
            if current.revision_date.0 - known.0 > crate::vault::REVISION_TOLERANCE_MS {
                return Err(DomainError::StaleRevision);
            }
        }
        let cipher = self.write_org_cipher(&actor, &current, req).await?;
        let mut view = CipherView {
            cipher,
            folder_id: None,
            favorite: false,
            collection_ids,
            access: ItemAccess::FULL,
            attachments: vec![],
        };
        self.fill_attachments_of(&mut view).await?;
        Ok(view)
    }

    /// Replaces the collections of an org item (those who manage it, or admins).
    pub async fn set_cipher_collections(
        &self,
        caller: &Caller,
        id: CipherId,
        collection_ids: &[String],
    ) -> Result<Option<CipherView>, DomainError> {
        let current = self.cipher(caller, id).await?;
        let org_id = current.cipher.org_id.ok_or(DomainError::NotFound)?;
        let actor = self.org_actor(caller, org_id).await?;
        if !current.access.manage && !actor.can(OrgCapability::ManageAllItems) {
            return Err(DomainError::bad_request(
                "You do not have permission to change this item's collections.",
            ));
        }
        let collections = self.writable_collections(&actor, collection_ids).await?;
        if collections.is_empty() && !actor.can(OrgCapability::ManageAllItems) {
            return Err(DomainError::invalid(
                "collectionIds",
                "You must select at least one collection.",
            ));
        }
        let events = [self.cipher_event(&actor, EventType::CipherUpdatedCollections, id)];
        self.store
            .set_cipher_collections(org_id, &[(id, collections)], &events, self.now())
            .await?;
        // Who reaches the item changed: those who lost it drop it, those who gained it fetch it.
        self.push_org_sync(org_id, PushType::SyncCiphers).await;
        // The caller may no longer reach the item through the collections left.
        Ok(self.cipher(caller, id).await.ok())
    }

    /// Replaces an org item's collections from the admin vault view (`collections-admin`): for
    /// those who manage every item — a launched provider member included — whether or not a
    /// collection of theirs holds it (answers the item as the admin view shows it); anyone else
    /// makes the member's change ([`Domain::set_cipher_collections`]).
    pub async fn set_cipher_collections_admin(
        &self,
        caller: &Caller,
        id: CipherId,
        collection_ids: &[String],
    ) -> Result<Option<CipherView>, DomainError> {
        let actor = match self.admin_item_actor(caller, id).await {
            Ok(actor) => actor,
            Err(DomainError::NotFound) => {
                return self
                    .set_cipher_collections(caller, id, collection_ids)
                    .await
            }
            Err(e) => return Err(e),
        };
        let collections = self.writable_collections(&actor, collection_ids).await?;
        let events = [self.cipher_event(&actor, EventType::CipherUpdatedCollections, id)];
        self.store
            .set_cipher_collections(actor.org.id, &[(id, collections)], &events, self.now())
            .await?;
        self.push_org_sync(actor.org.id, PushType::SyncCiphers)
            .await;
        Ok(Some(self.admin_org_cipher(caller, id).await?))
    }

    /// Adds collections to many org items at once, or (`remove`) takes them away — the admin
    /// console's "assign to collections". Every item must be one the actor manages (or they
    /// manage every item) and every collection one they may put items into; all or nothing.
    pub async fn bulk_update_cipher_collections(
        &self,
        caller: &Caller,
        req: &CipherBulkUpdateCollectionsRequest,
    ) -> Result<(), DomainError> {
        let org_id: OrgId = parse_id("organizationId", &req.organization_id)?;
        let actor = self.org_actor(caller, org_id).await?;
        if req.cipher_ids.is_empty() || req.cipher_ids.len() > MAX_BULK_IDS {
            return Err(DomainError::invalid(
                "cipherIds",
                format!("Choose between 1 and {MAX_BULK_IDS} items."),
            ));
        }
        let collections = self
            .writable_collections(&actor, &req.collection_ids)
            .await?;
        if collections.is_empty() {
            return Err(DomainError::invalid(
                "collectionIds",
                "You must select at least one collection.",
            ));
        }
        let all_items = actor.can(OrgCapability::ManageAllItems);
        let mut changes = Vec::with_capacity(req.cipher_ids.len());
        for raw in &req.cipher_ids {
            let id: CipherId = parse_id("cipherIds", raw)?;
            let current = if all_items {
                self.store
                    .org_cipher(org_id, id)
                    .await?
                    .ok_or(DomainError::NotFound)?
                    .1
            } else {
                let view = self.cipher(caller, id).await?;
                if view.cipher.org_id != Some(org_id) {
                    return Err(DomainError::NotFound);
                }
                if !view.access.manage {
                    return Err(DomainError::bad_request(
                        "You do not have permission to change this item's collections.",
                    ));
                }
                view.collection_ids
            };
            let mut next: Vec<CollectionId> = current
                .into_iter()
                .filter(|c| !(req.remove_collections && collections.contains(c)))
                .collect();
            if !req.remove_collections {
                for c in &collections {
                    if !next.contains(c) {
                        next.push(*c);
                    }
                }
            }
            changes.push((id, next));
        }
        let events: Vec<EventRow> = changes
            .iter()
            .map(|(id, _)| self.cipher_event(&actor, EventType::CipherUpdatedCollections, *id))
            .collect();
        self.store
            .set_cipher_collections(org_id, &changes, &events, self.now())
            .await?;
        self.push_org_sync(org_id, PushType::SyncCiphers).await;
        Ok(())
    }

    /// Soft-deletes, restores or purges an org item (edit rights needed).
    pub(crate) async fn change_org_cipher(
        &self,
        caller: &Caller,
        view: &CipherView,
        change: BulkCipherChange,
    ) -> Result<(), DomainError> {
        if !view.access.edit {
            return Err(DomainError::bad_request(
                "You do not have permission to delete this item.",
            ));
        }
        self.change_editable_org_ciphers(caller, std::slice::from_ref(view), change)
            .await?;
        self.after_change(change).await;
        Ok(())
    }

    /// Applies `change` to org items already read for the caller with edit rights: one actor
    /// check and one write per organization, however many items.
    pub(crate) async fn change_editable_org_ciphers(
        &self,
        caller: &Caller,
        views: &[CipherView],
        change: BulkCipherChange,
    ) -> Result<(), DomainError> {
        let mut orgs: Vec<OrgId> = views.iter().filter_map(|v| v.cipher.org_id).collect();
        orgs.sort();
        orgs.dedup();
        for org_id in orgs {
            let actor = self.org_actor(caller, org_id).await?;
            let ids: Vec<CipherId> = views
                .iter()
                .filter(|v| v.cipher.org_id == Some(org_id) && v.access.edit)
                .map(|v| v.cipher.id)
                .collect();
            let events: Vec<EventRow> = ids
                .iter()
                .map(|id| self.cipher_event(&actor, change_event(change), *id))
                .collect();
            let now = self.now();
            self.store
                .change_org_ciphers(org_id, &ids, change, &events, now)
                .await?;
            match views.iter().find(|v| ids == [v.cipher.id]) {
                Some(one) => {
                    let changed = CipherRow {
                        revision_date: change.revision_date(now),
                        ..one.cipher.clone()
                    };
                    self.push_cipher(crate::push::change_push(change), &changed, actor.device())
                        .await;
                }
                None => self.push_org_sync(org_id, PushType::SyncCiphers).await,
            }
        }
        Ok(())
    }

    /// Every item of the organization with its collections (the admin vault view).
    pub async fn org_cipher_details(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<Vec<CipherView>, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageAllItems)?;
        Ok(self
            .store
            .org_ciphers(org_id)
            .await?
            .into_iter()
            .map(|(cipher, collection_ids)| CipherView {
                cipher,
                folder_id: None,
                favorite: false,
                collection_ids,
                access: ItemAccess::FULL,
                attachments: vec![],
            })
            .collect())
    }

    /// An admin's change to any item of the organization (`*-admin` endpoints).
    pub async fn admin_change_org_ciphers(
        &self,
        caller: &Caller,
        org_id: OrgId,
        ids: &[CipherId],
        change: BulkCipherChange,
    ) -> Result<u64, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        actor.require(OrgCapability::ManageAllItems)?;
        if ids.len() > MAX_BULK_IDS {
            return Err(DomainError::invalid(
                "ids",
                format!("At most {MAX_BULK_IDS} items per request."),
            ));
        }
        let events: Vec<EventRow> = ids
            .iter()
            .map(|id| self.cipher_event(&actor, change_event(change), *id))
            .collect();
        let n = self
            .store
            .change_org_ciphers(org_id, ids, change, &events, self.now())
            .await?;
        if n > 0 {
            self.push_org_sync(org_id, PushType::SyncCiphers).await;
        }
        self.after_change(change).await;
        Ok(n)
    }
}
