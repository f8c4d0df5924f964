//! Data into and out of an organization: `bw import --organizationid` (items with their
//! collections, all or nothing) and the organization export `bw export --organizationid` reads.
//!
//! Who may import follows the official server: whoever holds import/export rights (owners,
//! admins, Custom with `accessImportExport`, a provider member launched into the client), or
//! someone who may create the new collections the import brings and manages every existing one
//! it names (a Manager into their own collections). Anyone else gets the official 400; someone
//! who does not reach the organization at all gets 404.

use super::{parse_id, OrgCapability};
use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::ids::{CipherId, CollectionId, OrgId};
use crate::orgs::store::{CollectionRow, EventRow};
use crate::store::{CipherRow, CipherView, ImportBatch, ItemAccess, OrgImport};
use crate::vault::cipher_content_json;
use crate::vault::import::{
    check_import_count, item_error, relationship_pairs, MAX_IMPORT_COLLECTIONS, MAX_IMPORT_ITEMS,
};
use crate::Domain;
use keyfleet_api::imports::ImportOrganizationCiphersRequest;
use keyfleet_api::kinds::EventType;
use std::collections::{HashMap, HashSet};

const MAX_COLLECTION_NAME_LEN: usize = super::collections::MAX_COLLECTION_NAME_LEN;
const MAX_EXTERNAL_ID_LEN: usize = 300;

/// What an organization export holds: the collections and the items with their collections.
#[derive(Debug, Clone)]
pub struct OrgExport {
    /// Collections.
    pub collections: Vec<CollectionRow>,
    /// Items (deleted ones included, as the official server sends them; clients skip them).
    pub ciphers: Vec<CipherView>,
}

impl Domain {
    /// `POST /api/ciphers/import-organization`: items into an organization, into existing or
    /// new collections, all or nothing, with one event per collection created and per item,
    /// and every member's sync bumped once.
    pub async fn import_org(
        &self,
        caller: &Caller,
        org_id: OrgId,
        req: &ImportOrganizationCiphersRequest,
    ) -> Result<(), DomainError> {
        check_import_count("ciphers", req.ciphers.len(), MAX_IMPORT_ITEMS)?;
        check_import_count("collections", req.collections.len(), MAX_IMPORT_COLLECTIONS)?;
        let actor = self.org_actor(caller, org_id).await?;
        if req.ciphers.is_empty() && req.collections.is_empty() {
            return Err(DomainError::bad_request("The import holds no items."));
        }
        let now = self.now();

        // Collections: one naming a collection of this organization is that collection; any
        // other is created.
        let existing: HashSet<CollectionId> = self
            .store
            .collections(org_id)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut by_position = Vec::with_capacity(req.collections.len());
        let mut named_existing = HashSet::new();
        let mut new_collections = Vec::new();
        for (i, c) in req.collections.iter().enumerate() {
            let found =
                c.id.as_deref()
                    .and_then(|s| s.parse::<CollectionId>().ok())
                    .filter(|id| existing.contains(id));
            if let Some(id) = found {
                named_existing.insert(id);
                by_position.push(id);
                continue;
            }
            let bad = |m: String| {
                DomainError::invalid("collections", format!("Collection {}: {m}", i + 1))
            };
            crate::identity::accounts::check_enc_string("name", &c.name, MAX_COLLECTION_NAME_LEN)
                .map_err(|e| match e {
                DomainError::Invalid { message, .. } => bad(message),
                other => other,
            })?;
            let external_id = match c.external_id.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(s) if s.len() <= MAX_EXTERNAL_ID_LEN => Some(s.to_string()),
                Some(_) => return Err(bad("The external id is too long.".into())),
            };
            let row = CollectionRow {
                id: CollectionId::new(),
                org_id,
                name: c.name.clone(),
                external_id,
                creation_date: now,
                revision_date: now,
            };
            by_position.push(row.id);
            new_collections.push(row);
        }

        // Rights (the official `CheckOrgImportPermissionAsync`).
        let full = actor.can(OrgCapability::ImportExport);
        if !full {
            let managed: HashSet<CollectionId> = if actor.can(OrgCapability::EditAnyCollection) {
                existing.clone()
            } else {
                self.store
                    .user_collections(actor.user_id)
                    .await?
                    .into_iter()
                    .filter(|c| c.collection.org_id == org_id && c.access.manage)
                    .map(|c| c.collection.id)
                    .collect()
            };
            let allowed = !req.collections.is_empty()
                && (new_collections.is_empty() || actor.can(OrgCapability::CreateCollections))
                && named_existing.iter().all(|c| managed.contains(c));
            if !allowed {
                return Err(DomainError::bad_request(
                    "Not enough privileges to import into this organization.",
                ));
            }
        }
        if !new_collections.is_empty() {
            if let Some(max) = actor.org.max_collections {
                let count = self.store.collection_count(org_id).await?;
                if count + new_collections.len() as i64 > i64::from(max) {
                    return Err(DomainError::bad_request(format!(
                        "This organization's plan allows {max} collection(s); the import would make {}. Upgrade, or import into existing collections.",
                        count + new_collections.len() as i64
                    )));
                }
            }
        }

        // Placements, each (item, collection) once.
        let pairs = relationship_pairs(
            "collectionRelationships",
            &req.collection_relationships,
            req.ciphers.len(),
            by_position.len(),
        )?;
        let ids: Vec<CipherId> = req.ciphers.iter().map(|_| CipherId::new()).collect();
        let mut seen = HashSet::new();
        let placements: Vec<(CipherId, CollectionId)> = pairs
            .into_iter()
            .map(|(item, col)| (ids[item], by_position[col]))
            .filter(|p| seen.insert(*p))
            .collect();
        if !full {
            // Without import rights every item goes into a collection: one left out would be
            // an item nobody but admins could reach (the clients refuse such files too).
            let placed: HashSet<CipherId> = placements.iter().map(|(c, _)| *c).collect();
            if let Some(i) = ids.iter().position(|id| !placed.contains(id)) {
                return Err(item_error(
                    i,
                    DomainError::invalid(
                        "collectionRelationships",
                        "Every item must go into a collection.",
                    ),
                ));
            }
        }

        let folders = self.import_folders(caller, &req.folders, now).await?;
        let item_folders =
            Self::import_item_folders(&folders, &req.folder_relationships, &req.ciphers)?;
        let mut collections_of: HashMap<CipherId, Vec<CollectionId>> = HashMap::new();
        for (c, col) in &placements {
            collections_of.entry(*c).or_default().push(*col);
        }
        let mut ciphers = Vec::with_capacity(req.ciphers.len());
        let mut events = Vec::with_capacity(req.ciphers.len() + new_collections.len());
        for row in &new_collections {
            events.push(EventRow {
                collection_id: Some(row.id),
                ..self.org_event(&actor, EventType::CollectionCreated)
            });
        }
        for (i, ((c, folder_id), id)) in req.ciphers.iter().zip(item_folders).zip(&ids).enumerate()
        {
            let org_ok = match c.organization_id.as_deref() {
                None | Some("") => true,
                Some(s) => parse_id::<OrgId>("organizationId", s).ok() == Some(org_id),
            };
            if !org_ok {
                return Err(item_error(
                    i,
                    DomainError::invalid(
                        "organizationId",
                        "The item belongs to another organization.",
                    ),
                ));
            }
            let data = cipher_content_json(c).map_err(|e| item_error(i, e))?;
            ciphers.push(CipherView {
                cipher: CipherRow {
                    id: *id,
                    user_id: None,
                    org_id: Some(org_id),
                    cipher_type: c.cipher_type,
                    data,
                    creation_date: now,
                    revision_date: now,
                    deleted_date: None,
                    archived_date: None,
                },
                folder_id,
                favorite: false,
                collection_ids: collections_of.remove(id).unwrap_or_default(),
                access: ItemAccess::FULL,
                attachments: vec![],
            });
            events.push(EventRow {
                cipher_id: Some(*id),
                ..self.org_event(&actor, EventType::CipherCreated)
            });
        }
        // A member who may not edit every collection manages the ones they create (as a
        // single create gives them); a provider member is no member, and needs no grant.
        let manager = actor
            .member
            .as_ref()
            .filter(|_| !actor.can(OrgCapability::EditAnyCollection))
            .map(|m| m.id);
        self.store
            .import_items(&ImportBatch {
                importer: caller.user.id,
                folders: folders.new,
                ciphers,
                org: Some(OrgImport {
                    org_id,
                    collections: new_collections,
                    manager,
                    placements,
                    events,
                }),
                now,
            })
            .await?;
        Ok(())
    }

    /// `GET /api/organizations/{id}/export`: the whole organization vault for those with
    /// import/export rights; for other members the collections they manage and their items
    /// (the official `ExportManagedCollections`), and `NotFound` when they manage none. The
    /// export is recorded in the organization's log (`OrganizationClientExportedVault`).
    pub async fn export_org(
        &self,
        caller: &Caller,
        org_id: OrgId,
    ) -> Result<OrgExport, DomainError> {
        let actor = self.org_actor(caller, org_id).await?;
        let all = self.store.org_ciphers(org_id).await?;
        let (collections, ciphers) = if actor.can(OrgCapability::ImportExport) {
            (self.store.collections(org_id).await?, all)
        } else {
            let managed: Vec<CollectionRow> = self
                .store
                .user_collections(actor.user_id)
                .await?
                .into_iter()
                .filter(|c| c.collection.org_id == org_id && c.access.manage)
                .map(|c| c.collection)
                .collect();
            if managed.is_empty() {
                return Err(DomainError::NotFound);
            }
            let ids: HashSet<CollectionId> = managed.iter().map(|c| c.id).collect();
            let items = all
                .into_iter()
                .filter_map(|(cipher, cols)| {
                    let mine: Vec<CollectionId> =
                        cols.into_iter().filter(|c| ids.contains(c)).collect();
                    (!mine.is_empty()).then_some((cipher, mine))
                })
                .collect();
            (managed, items)
        };
        self.store
            .insert_events(&[self.org_event(&actor, EventType::OrganizationClientExportedVault)])
            .await?;
        Ok(OrgExport {
            collections,
            ciphers: ciphers
                .into_iter()
                .map(|(cipher, collection_ids)| CipherView {
                    cipher,
                    folder_id: None,
                    favorite: false,
                    collection_ids,
                    access: ItemAccess::FULL,
                    attachments: vec![],
                })
                .collect(),
        })
    }
}
