//! `bw import` into the personal vault, and what organization imports share with it: the
//! limits, the relationship lists (items tied to folders or collections by position) and the
//! importer's folders. An import is all or nothing: every item is checked as a single create
//! would check it before anything is written, and the store writes it in one transaction.

use super::{cipher_content_json, parse_folder_id};
use crate::clock::Timestamp;
use crate::error::DomainError;
use crate::identity::accounts::check_enc_string;
use crate::identity::caller::Caller;
use crate::ids::{CipherId, FolderId};
use crate::store::{CipherRow, CipherView, FolderRow, ImportBatch, ItemAccess};
use crate::Domain;
use keyfleet_api::imports::{ImportCiphersRequest, ImportFolderRequest, ImportRelationship};
use keyfleet_api::vault::CipherRequest;
use std::collections::{HashMap, HashSet};

/// Most items one import may hold (the official cloud allows 7,000; a self-hosted server
/// decides its own). A bigger export is imported in parts.
pub const MAX_IMPORT_ITEMS: usize = 20_000;
/// Most folders one import may hold.
pub const MAX_IMPORT_FOLDERS: usize = 2_000;
/// Most collections one import may hold.
pub const MAX_IMPORT_COLLECTIONS: usize = 2_000;
/// Most relationships one list may hold (an item may be in several collections).
pub const MAX_IMPORT_RELATIONSHIPS: usize = 2 * MAX_IMPORT_ITEMS;
const MAX_FOLDER_NAME_LEN: usize = 1_000;

/// `Invalid` unless `n` is within `max`, saying what to do about it.
pub(crate) fn check_import_count(
    field: &'static str,
    n: usize,
    max: usize,
) -> Result<(), DomainError> {
    if n > max {
        return Err(DomainError::invalid(
            field,
            format!(
                "An import may hold at most {max} {field} ({n} were sent). Split the file and import it in parts."
            ),
        ));
    }
    Ok(())
}

/// The error of item number `i` (from 0), told as the item's number from 1, so the user can
/// find it in their file.
pub(crate) fn item_error(i: usize, e: DomainError) -> DomainError {
    match e {
        DomainError::Invalid { field, message } => DomainError::invalid(
            "ciphers",
            match field {
                Some(f) => format!("Item {} ({f}): {message}", i + 1),
                None => format!("Item {}: {message}", i + 1),
            },
        ),
        other => other,
    }
}

/// The relationship list as `(item, target)` positions, each checked against the lists it
/// points into (an out-of-range position is a malformed request, never skipped silently).
pub(crate) fn relationship_pairs(
    field: &'static str,
    list: &[ImportRelationship],
    items: usize,
    targets: usize,
) -> Result<Vec<(usize, usize)>, DomainError> {
    check_import_count(field, list.len(), MAX_IMPORT_RELATIONSHIPS)?;
    list.iter()
        .map(|r| {
            let item = usize::try_from(r.key).ok().filter(|k| *k < items);
            let target = usize::try_from(r.value).ok().filter(|v| *v < targets);
            match (item, target) {
                (Some(i), Some(t)) => Ok((i, t)),
                _ => Err(DomainError::invalid(
                    field,
                    format!(
                        "The relationship {{key: {}, value: {}}} names an item or a target the import does not hold.",
                        r.key, r.value
                    ),
                )),
            }
        })
        .collect()
}

/// An import's folders, resolved for the importer.
pub(crate) struct ImportedFolders {
    /// The folder at each position of the request's list.
    pub by_position: Vec<FolderId>,
    /// The ones to create.
    pub new: Vec<FolderRow>,
    /// Every folder of the importer's (existing and new), for items that name one themselves.
    pub known: HashSet<FolderId>,
}

impl Domain {
    /// Resolves an import's folders: one naming a folder of the caller's is that folder, any
    /// other is created (a new id, as the official server gives one).
    pub(crate) async fn import_folders(
        &self,
        caller: &Caller,
        folders: &[ImportFolderRequest],
        now: Timestamp,
    ) -> Result<ImportedFolders, DomainError> {
        check_import_count("folders", folders.len(), MAX_IMPORT_FOLDERS)?;
        let mut known: HashSet<FolderId> = self
            .store
            .folders(caller.user.id)
            .await?
            .into_iter()
            .map(|f| f.id)
            .collect();
        let mut by_position = Vec::with_capacity(folders.len());
        let mut new = Vec::new();
        for (i, f) in folders.iter().enumerate() {
            check_enc_string("folders", &f.name, MAX_FOLDER_NAME_LEN).map_err(|e| match e {
                DomainError::Invalid { message, .. } => {
                    DomainError::invalid("folders", format!("Folder {}: {message}", i + 1))
                }
                other => other,
            })?;
            let existing =
                f.id.as_deref()
                    .and_then(|s| s.parse::<FolderId>().ok())
                    .filter(|id| known.contains(id));
            let id = match existing {
                Some(id) => id,
                None => {
                    let row = FolderRow {
                        id: FolderId::new(),
                        name: f.name.clone(),
                        revision_date: now,
                    };
                    let id = row.id;
                    new.push(row);
                    id
                }
            };
            by_position.push(id);
        }
        known.extend(new.iter().map(|f| f.id));
        Ok(ImportedFolders {
            by_position,
            new,
            known,
        })
    }

    /// The importer's folder for each item: the relationship's (the last one wins), else the
    /// item's own `folderId`, which must name one of the importer's folders.
    pub(crate) fn import_item_folders(
        folders: &ImportedFolders,
        relationships: &[ImportRelationship],
        ciphers: &[CipherRequest],
    ) -> Result<Vec<Option<FolderId>>, DomainError> {
        let pairs = relationship_pairs(
            "folderRelationships",
            relationships,
            ciphers.len(),
            folders.by_position.len(),
        )?;
        let placed: HashMap<usize, FolderId> = pairs
            .into_iter()
            .map(|(item, folder)| (item, folders.by_position[folder]))
            .collect();
        ciphers
            .iter()
            .enumerate()
            .map(|(i, c)| match placed.get(&i) {
                Some(f) => Ok(Some(*f)),
                None => {
                    let own =
                        parse_folder_id(c.folder_id.as_deref()).map_err(|e| item_error(i, e))?;
                    match own {
                        Some(f) if !folders.known.contains(&f) => Err(item_error(
                            i,
                            DomainError::invalid("folderId", "Invalid folder."),
                        )),
                        other => Ok(other),
                    }
                }
            })
            .collect()
    }

    /// `POST /api/ciphers/import`: items and folders into the caller's personal vault, all or
    /// nothing; refused like a single create (a personal-ownership policy, plaintext where an
    /// EncString belongs, an organization item).
    pub async fn import_personal(
        &self,
        caller: &Caller,
        req: &ImportCiphersRequest,
    ) -> Result<(), DomainError> {
        check_import_count("ciphers", req.ciphers.len(), MAX_IMPORT_ITEMS)?;
        if req.ciphers.is_empty() && req.folders.is_empty() {
            return Err(DomainError::bad_request("The import holds no items."));
        }
        self.check_personal_ownership(caller).await?;
        let now = self.now();
        let folders = self.import_folders(caller, &req.folders, now).await?;
        let item_folders =
            Self::import_item_folders(&folders, &req.folder_relationships, &req.ciphers)?;
        let mut ciphers = Vec::with_capacity(req.ciphers.len());
        for (i, (c, folder_id)) in req.ciphers.iter().zip(item_folders).enumerate() {
            let data = Self::refuse_organization_items(c)
                .and_then(|()| Self::check_encrypted_for(caller, c))
                .and_then(|()| cipher_content_json(c))
                .map_err(|e| item_error(i, e))?;
            ciphers.push(CipherView {
                cipher: CipherRow {
                    id: CipherId::new(),
                    user_id: Some(caller.user.id),
                    org_id: None,
                    cipher_type: c.cipher_type,
                    data,
                    creation_date: now,
                    revision_date: now,
                    deleted_date: None,
                    archived_date: c.archived_date.as_deref().and_then(Timestamp::parse_iso),
                },
                folder_id,
                favorite: c.favorite.unwrap_or(false),
                collection_ids: vec![],
                access: ItemAccess::FULL,
                attachments: vec![],
            });
        }
        self.store
            .import_items(&ImportBatch {
                importer: caller.user.id,
                folders: folders.new,
                ciphers,
                org: None,
                now,
            })
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(key: i64, value: i64) -> ImportRelationship {
        ImportRelationship { key, value }
    }

    #[test]
    fn relationships_must_point_inside_the_import() {
        assert_eq!(
            relationship_pairs("r", &[rel(0, 1), rel(2, 0)], 3, 2).unwrap(),
            vec![(0, 1), (2, 0)]
        );
        for bad in [rel(3, 0), rel(0, 2), rel(-1, 0), rel(0, -1)] {
            assert!(relationship_pairs("r", &[bad], 3, 2).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_item_error_names_the_item_from_one() {
        let e = item_error(
            4,
            DomainError::invalid("name", "The Name field is required."),
        );
        match e {
            DomainError::Invalid { field, message } => {
                assert_eq!(field, Some("ciphers"));
                assert_eq!(message, "Item 5 (name): The Name field is required.");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_many_items_are_refused_with_what_to_do() {
        assert!(check_import_count("ciphers", MAX_IMPORT_ITEMS, MAX_IMPORT_ITEMS).is_ok());
        let e = check_import_count("ciphers", MAX_IMPORT_ITEMS + 1, MAX_IMPORT_ITEMS);
        assert!(format!("{e:?}").contains("Split the file"));
    }
}
