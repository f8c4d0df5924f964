//! What the personal vault needs from persistence: folders and ciphers.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::ids::{CipherId, CollectionId, FolderId, OrgId, UserId};
use futures::stream::BoxStream;

/// A folder.
#[derive(Debug, Clone, PartialEq)]
pub struct FolderRow {
    /// Id.
    pub id: FolderId,
    /// Encrypted name.
    pub name: String,
    /// Last change.
    pub revision_date: Timestamp,
}

/// A vault item as stored: the encrypted content is one canonical JSON object (`data`) so that
/// sync can splice it into the response without parsing it again.
#[derive(Debug, Clone, PartialEq)]
pub struct CipherRow {
    /// Id.
    pub id: CipherId,
    /// Owner of a personal item.
    pub user_id: Option<UserId>,
    /// Organization of an org item (then `user_id` is `None`).
    pub org_id: Option<OrgId>,
    /// Cipher type number.
    pub cipher_type: i32,
    /// Canonical JSON object with the encrypted fields (`name`, `notes`, `login`, …).
    pub data: String,
    /// Created.
    pub creation_date: Timestamp,
    /// Last change.
    pub revision_date: Timestamp,
    /// Soft-deleted at.
    pub deleted_date: Option<Timestamp>,
    /// Archived at.
    pub archived_date: Option<Timestamp>,
}

/// Appends one item (its wire shape, decided by the caller) to a page's bytes; see
/// [`VaultStore::cipher_pages`].
pub type ItemWriter = std::sync::Arc<dyn Fn(&mut CipherView, &mut Vec<u8>) + Send + Sync>;

/// A cipher together with the reading user's own settings for it.
#[derive(Debug, Clone, PartialEq)]
pub struct CipherView {
    /// The item.
    pub cipher: CipherRow,
    /// This user's folder for it.
    pub folder_id: Option<FolderId>,
    /// This user's favorite flag.
    pub favorite: bool,
    /// Collections of an org item that this user reaches.
    pub collection_ids: Vec<CollectionId>,
    /// What this user may do with it.
    pub access: ItemAccess,
    /// Its uploaded attachments (the store fills them; the domain adds their download URLs).
    pub attachments: Vec<AttachmentRow>,
}

/// New name and key of an attachment, as a save re-encrypts them (`attachments2`): the clients
/// send them when an item moves into an organization. Stored with the item's write; an id that
/// is not the item's changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentNames {
    /// The attachment.
    pub id: crate::files::FileId,
    /// Its file name (EncString).
    pub file_name: String,
    /// Its key (EncString).
    pub key: String,
}

/// A file attached to an item. The file itself is in the domain's `FileStore` under
/// `FileKey::attachment(cipher_id, id)`; the row is written before the upload and marked
/// `uploaded` once the whole file is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentRow {
    /// Id (also the file's name in the store).
    pub id: crate::files::FileId,
    /// The item it belongs to.
    pub cipher_id: CipherId,
    /// EncString of the file's name.
    pub file_name: String,
    /// EncString of the file's own key.
    pub key: String,
    /// Bytes, as announced before the upload (the upload must have exactly these).
    pub size: i64,
    /// Whether the file is stored.
    pub uploaded: bool,
    /// Created.
    pub creation_date: Timestamp,
    /// Where a client downloads it: empty as stored, filled by the domain when it hands the
    /// row out (a short-lived signed link).
    pub download_url: String,
}

/// Whose storage an attachment counts against: a personal item's owner or an org item's
/// organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageOwner {
    /// A user's personal items.
    User(UserId),
    /// An organization's items.
    Org(OrgId),
}

/// Attachments' rows; the files are the `FileStore`'s.
#[async_trait::async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Adds a not-yet-uploaded attachment when `owner`'s attachments (uploaded or not) plus
    /// this one stay within `limit_bytes`, in one statement; stamps the item's revision date,
    /// stores `events` and bumps the revision date of everyone who syncs the item. `false`:
    /// over the limit, nothing written.
    async fn insert_attachment(
        &self,
        row: &AttachmentRow,
        owner: StorageOwner,
        limit_bytes: i64,
        events: &[crate::orgs::store::EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// An item's uploaded attachments.
    async fn cipher_attachments(&self, cipher: CipherId) -> Result<Vec<AttachmentRow>, StoreError>;
    /// One attachment of an item (uploaded or not); the caller has already checked the item.
    async fn attachment(
        &self,
        cipher: CipherId,
        id: &crate::files::FileId,
    ) -> Result<Option<AttachmentRow>, StoreError>;
    /// Marks an attachment uploaded; `false` when its row is gone (the item was purged
    /// meanwhile). Bumps the revision date of everyone who syncs the item.
    async fn mark_attachment_uploaded(
        &self,
        cipher: CipherId,
        id: &crate::files::FileId,
        owner: StorageOwner,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Removes an attachment's row (its file is queued for deletion), stamps the item's
    /// revision date, stores `events`; `false` when there was none.
    async fn delete_attachment(
        &self,
        cipher: CipherId,
        id: &crate::files::FileId,
        owner: StorageOwner,
        events: &[crate::orgs::store::EventRow],
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Rows of attachments never uploaded, created before `before`, removed (files queued).
    async fn delete_stale_attachments(&self, before: Timestamp) -> Result<u64, StoreError>;
    /// Files whose rows are gone, waiting to be deleted (at most `limit`).
    async fn queued_file_deletions(
        &self,
        limit: i64,
    ) -> Result<Vec<(CipherId, crate::files::FileId)>, StoreError>;
    /// Forgets queued deletions once their files are gone.
    async fn forget_file_deletions(
        &self,
        done: &[(CipherId, crate::files::FileId)],
    ) -> Result<(), StoreError>;
}

/// A user's rights on one item: all of them for personal items; for org items the most generous
/// of the user's role and their collections' access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAccess {
    /// May change or delete it.
    pub edit: bool,
    /// May see its passwords.
    pub view_password: bool,
    /// May manage it (its collections).
    pub manage: bool,
}

impl ItemAccess {
    /// Every right (personal items, org owners and admins).
    pub const FULL: ItemAccess = ItemAccess {
        edit: true,
        view_password: true,
        manage: true,
    };
}

/// What to do to a set of ciphers in one bulk write.
#[derive(Debug, Clone, Copy)]
pub enum BulkCipherChange {
    /// Set `deleted_date` (soft delete).
    SoftDelete(Timestamp),
    /// Clear `deleted_date`.
    Restore,
    /// Remove the rows.
    Purge,
}

impl BulkCipherChange {
    /// The revision date the change stores on the items it keeps (a soft delete's own date,
    /// else `now`), which their push carries.
    pub fn revision_date(self, now: Timestamp) -> Timestamp {
        match self {
            BulkCipherChange::SoftDelete(at) => at,
            _ => now,
        }
    }
}

/// Folders and ciphers; every method is scoped to the owning user.
#[async_trait::async_trait]
pub trait VaultStore: Send + Sync {
    // --- folders
    /// The user's folders.
    async fn folders(&self, user_id: UserId) -> Result<Vec<FolderRow>, StoreError>;
    /// One of the user's folders.
    async fn folder(&self, user_id: UserId, id: FolderId) -> Result<Option<FolderRow>, StoreError>;
    /// Creates a folder.
    async fn insert_folder(&self, user_id: UserId, folder: &FolderRow) -> Result<(), StoreError>;
    /// Renames a folder; `None` when it is not the user's.
    async fn rename_folder(
        &self,
        user_id: UserId,
        id: FolderId,
        name: &str,
        now: Timestamp,
    ) -> Result<Option<FolderRow>, StoreError>;
    /// Deletes folders (all of the user's when `ids` is `None`), unfiling their ciphers.
    async fn delete_folders(
        &self,
        user_id: UserId,
        ids: Option<&[FolderId]>,
        now: Timestamp,
    ) -> Result<u64, StoreError>;

    // --- ciphers
    /// One cipher the user can read.
    async fn cipher(&self, user_id: UserId, id: CipherId)
        -> Result<Option<CipherView>, StoreError>;
    /// Every cipher the user can read (personal, then org), streamed so a 10,000-item sync never
    /// sits in memory.
    fn ciphers_stream(&self, user_id: UserId) -> BoxStream<'_, Result<CipherView, StoreError>>;
    /// The same items as [`VaultStore::ciphers_stream`], in the same order, as bytes: each page
    /// read is passed through `write` item by item on the thread that read it, and the page's
    /// bytes are answered in one piece (an empty page answers nothing). A sync costs one
    /// hand-off per page this way, not one per item.
    fn cipher_pages(
        &self,
        user_id: UserId,
        write: ItemWriter,
    ) -> BoxStream<'_, Result<Vec<u8>, StoreError>>;
    /// Stores a new personal cipher with the owner's folder/favorite.
    async fn insert_cipher(&self, view: &CipherView) -> Result<(), StoreError>;
    /// Replaces a cipher's content if its revision is still `expected_revision`, with the new
    /// names and keys of its attachments in the same transaction; `false` when it is not the
    /// user's or changed meanwhile.
    async fn update_cipher(
        &self,
        user_id: UserId,
        view: &CipherView,
        attachments: &[AttachmentNames],
        expected_revision: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Sets the user's own folder/favorite for a cipher they can read; `false` if they cannot.
    async fn set_cipher_user_state(
        &self,
        user_id: UserId,
        id: CipherId,
        folder_id: Option<FolderId>,
        favorite: bool,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Moves the user's ciphers into a folder (or none).
    async fn move_ciphers(
        &self,
        user_id: UserId,
        ids: &[CipherId],
        folder_id: Option<FolderId>,
        now: Timestamp,
    ) -> Result<u64, StoreError>;
    /// Applies a bulk change to the user's ciphers; returns how many rows changed.
    async fn change_ciphers(
        &self,
        user_id: UserId,
        ids: &[CipherId],
        change: BulkCipherChange,
        now: Timestamp,
    ) -> Result<u64, StoreError>;
}

/// The organization half of an import: new collections, item placements and the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgImport {
    /// The organization imported into (every item's `org_id`).
    pub org_id: OrgId,
    /// Collections to create.
    pub collections: Vec<crate::orgs::store::CollectionRow>,
    /// The importing member, who manages the new collections (`None` for a provider member
    /// acting in the client, who is no member of it).
    pub manager: Option<crate::ids::OrgUserId>,
    /// Which item goes into which collection (each pair once).
    pub placements: Vec<(CipherId, CollectionId)>,
    /// One event per collection created and per item.
    pub events: Vec<crate::orgs::store::EventRow>,
}

/// Everything one import writes, all or nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch {
    /// Who imports: owns the folders, and the folder/favorite of each item is theirs.
    pub importer: UserId,
    /// Folders to create for the importer.
    pub folders: Vec<FolderRow>,
    /// The items (personal ones owned by the importer, or all of `org`'s organization), each
    /// with the importer's folder and favorite for it.
    pub ciphers: Vec<CipherView>,
    /// Set for an organization import.
    pub org: Option<OrgImport>,
    /// Revision date for every account whose sync changes (the importer's, and for an
    /// organization import every member's), bumped once.
    pub now: Timestamp,
}

/// Imports: many rows in one transaction.
#[async_trait::async_trait]
pub trait ImportStore: Send + Sync {
    /// Writes the whole batch in one transaction (multi-row statements, so 10,000 items take
    /// a few hundred statements); nothing is stored if any part fails.
    async fn import_items(&self, batch: &ImportBatch) -> Result<(), StoreError>;
}
