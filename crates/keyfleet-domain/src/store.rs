//! The `Store` trait: everything the domain needs from persistence. `keyfleet-storage` implements
//! it once for SQLite and PostgreSQL. Every method that touches vault data takes the owning user,
//! and every multi-row write is one transaction inside the implementation; writes that change
//! what a sync returns also bump the account revision date in that same transaction.

use crate::clock::Timestamp;
use crate::ids::{CipherId, CollectionId, DeviceId, FolderId, OrgId, TokenFamilyId, UserId};
pub use crate::org_store::*;
pub use crate::provider_store::*;
use futures::stream::BoxStream;
use keyfleet_api::kinds::TwoFactorProviderType;

/// Storage failed. Lookups that find nothing return `Ok(None)`, not an error.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated (e.g. email taken).
    #[error("already exists")]
    Conflict,
    /// The database said no; the source is logged at the edge, never sent to clients.
    #[error("database error")]
    Db(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored value could not be decoded (corrupt row or schema drift).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// No database connection came free in time: the server is overloaded (a 503 to retry,
    /// not a failure).
    #[error("database busy")]
    Busy,
}

/// KDF settings as stored and sent on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// 0 PBKDF2, 1 Argon2id.
    pub kdf_type: i32,
    /// Iterations / time cost.
    pub iterations: i32,
    /// Argon2 memory in MiB.
    pub memory: Option<i32>,
    /// Argon2 parallelism.
    pub parallelism: Option<i32>,
}

/// A user account.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Id.
    pub id: UserId,
    /// Normalised (trimmed, lower-cased) email.
    pub email: String,
    /// Display name.
    pub name: Option<String>,
    /// Server-side slow hash (Argon2id PHC string) of the client's master password hash.
    pub password_hash: String,
    /// Hint, as the user typed it.
    pub password_hint: Option<String>,
    /// KDF the client uses.
    pub kdf: KdfParams,
    /// User key under the stretched master key (type-2 EncString).
    pub key: String,
    /// Base64 SPKI.
    pub public_key: Option<String>,
    /// Private key under the user key.
    pub private_key: Option<String>,
    /// Rotated on credential changes; tokens carry it.
    pub security_stamp: String,
    /// The SDK's backfilled user key id.
    pub user_key_id: Option<String>,
    /// The digest of its API key (`tokens::api_key_digest`), empty until one is issued.
    pub api_key_digest: String,
    /// Locale.
    pub culture: String,
    /// Created.
    pub creation_date: Timestamp,
    /// Account revision: bumped whenever sync output changes.
    pub revision_date: Timestamp,
}

/// How an API key digest is written (personal and organization keys alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyWrite {
    /// The first key: written only while none is stored (two first views cannot both win).
    Issue,
    /// Replaces whatever key is stored.
    Rotate,
}

/// Credential changes applied atomically (password or KDF change).
#[derive(Debug, Clone)]
pub struct CredentialUpdate {
    /// New server-side hash.
    pub password_hash: String,
    /// New hint (`None` keeps the old one unless `replace_hint`).
    pub password_hint: Option<String>,
    /// Whether to overwrite the hint.
    pub replace_hint: bool,
    /// New wrapped user key.
    pub key: String,
    /// New KDF.
    pub kdf: KdfParams,
    /// New security stamp (invalidates every token issued before).
    pub security_stamp: String,
}

/// A stored refresh token (only its hash is kept).
#[derive(Debug, Clone)]
pub struct RefreshTokenRow {
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// Rotation family.
    pub family: TokenFamilyId,
    /// Owner.
    pub user_id: UserId,
    /// Device the login came from.
    pub device_id: Option<DeviceId>,
    /// OAuth client id (`cli`, `web`, …), echoed into new access tokens.
    pub client_id: String,
    /// The user's security stamp when issued; a different current stamp revokes it.
    pub security_stamp: String,
    /// Issued.
    pub created: Timestamp,
    /// Expiry.
    pub expires: Timestamp,
    /// Set once it has been exchanged; a second use is reuse.
    pub used: Option<Timestamp>,
    /// Set when its family was revoked.
    pub revoked: bool,
}

/// A device seen at login.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    /// Id.
    pub id: DeviceId,
    /// Owner.
    pub user_id: UserId,
    /// Client-chosen identifier (stable per install).
    pub identifier: String,
    /// DeviceType number.
    pub device_type: i32,
    /// Name (`linux`, `chrome`, …).
    pub name: String,
}

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

/// Persistence as the domain needs it: the sum of the per-area traits.
pub trait Store:
    AccountStore
    + VaultStore
    + TwoFactorStore
    + OrgStore
    + CollectionStore
    + OrgItemStore
    + AuditStore
    + ProviderStore
    + ThrottleStore
{
}
impl<T> Store for T where
    T: AccountStore
        + VaultStore
        + TwoFactorStore
        + OrgStore
        + CollectionStore
        + OrgItemStore
        + AuditStore
        + ProviderStore
        + ThrottleStore
{
}

/// Throttle counters (login, two-step codes, mail): fixed windows per `(scope, key)` that start
/// with their first hit, kept where every instance sees them and a restart does not clear them.
#[async_trait::async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Counts one hit for `(scope, key)` — in the current window, or in a new one of
    /// `window_secs` when the last is over — and answers the window's hits and its end, in one
    /// atomic step.
    async fn throttle_hit(
        &self,
        scope: &str,
        key: &str,
        window_secs: i64,
        now: Timestamp,
    ) -> Result<(i64, Timestamp), StoreError>;
    /// Takes one hit back (an attempt that did not fail).
    async fn throttle_release(&self, scope: &str, key: &str) -> Result<(), StoreError>;
    /// Forgets `(scope, key)` (a success that wipes earlier failures).
    async fn throttle_clear(&self, scope: &str, key: &str) -> Result<(), StoreError>;
    /// Drops windows that ended by `now`; answers how many.
    async fn throttle_sweep(&self, now: Timestamp) -> Result<u64, StoreError>;
}

/// One two-step login provider of a user.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoFactorRow {
    /// Provider type (Authenticator 0, WebAuthn 7, …).
    pub provider: TwoFactorProviderType,
    /// Whether login requires it (a pending setup is stored disabled).
    pub enabled: bool,
    /// Provider data as JSON (for the authenticator: the Base32 secret).
    pub data: String,
    /// Last TOTP time step accepted, so a code is never accepted twice.
    pub last_used_step: Option<i64>,
}

/// Two-step login state: providers, recovery code, remembered devices.
#[async_trait::async_trait]
pub trait TwoFactorStore: Send + Sync {
    /// The user's providers (enabled or pending).
    async fn two_factors(&self, user_id: UserId) -> Result<Vec<TwoFactorRow>, StoreError>;
    /// Creates or replaces one provider and sets the recovery code hash, in one transaction.
    async fn save_two_factor(
        &self,
        user_id: UserId,
        row: &TwoFactorRow,
        recovery_code_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Removes one provider (all with `None`); when none stays enabled, also forgets the
    /// recovery code and every remembered device. Returns how many providers were removed.
    async fn remove_two_factor(
        &self,
        user_id: UserId,
        provider: Option<TwoFactorProviderType>,
        now: Timestamp,
    ) -> Result<u64, StoreError>;
    /// Records `step` as used if it is newer than the last one used (compare-and-set): false
    /// means the code was already used.
    async fn use_totp_step(&self, user_id: UserId, step: i64) -> Result<bool, StoreError>;
    /// The hash of the user's recovery code.
    async fn recovery_code_hash(&self, user_id: UserId) -> Result<Option<String>, StoreError>;
    /// Remembers a device for two-step login until `expires`.
    async fn remember_device(
        &self,
        device: DeviceId,
        token_hash: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError>;
    /// The remember token of a user's device (hash and expiry).
    async fn remembered_device(
        &self,
        user_id: UserId,
        identifier: &str,
    ) -> Result<Option<(String, Timestamp)>, StoreError>;
    /// Replaces a provider's data only if it still equals `expected` (compare-and-set, no
    /// revision bump): false means another request changed it first.
    async fn replace_two_factor_data(
        &self,
        user_id: UserId,
        provider: TwoFactorProviderType,
        expected: &str,
        data: &str,
    ) -> Result<bool, StoreError>;
    /// Keeps the state of a WebAuthn ceremony until `expires`, and drops the user's expired ones.
    async fn put_webauthn_challenge(
        &self,
        challenge: &WebauthnChallengeRow,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Removes and returns a ceremony's state (so it can be used once), if it has not expired.
    async fn take_webauthn_challenge(
        &self,
        user_id: UserId,
        purpose: &str,
        challenge: &str,
        now: Timestamp,
    ) -> Result<Option<String>, StoreError>;
}

/// The server-side state of one WebAuthn ceremony (registration or login) in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct WebauthnChallengeRow {
    /// Whose ceremony it is.
    pub user_id: UserId,
    /// `register` or `login`: a registration challenge never satisfies a login.
    pub purpose: String,
    /// The challenge as the browser echoes it in `clientDataJSON` (base64url, no padding).
    pub challenge: String,
    /// The relying-party library's state, serialised.
    pub state: String,
    /// When it stops being accepted.
    pub expires: Timestamp,
}

/// Accounts, devices, refresh tokens and server settings.
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
    // --- users
    /// Inserts a new user; `Conflict` when the email is taken.
    async fn insert_user(&self, user: &UserRow) -> Result<(), StoreError>;
    /// Looks a user up by normalised email.
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError>;
    /// Looks a user up by id.
    async fn user_by_id(&self, id: UserId) -> Result<Option<UserRow>, StoreError>;
    /// Replaces credentials and revokes every refresh token of the user, in one transaction.
    async fn update_credentials(
        &self,
        id: UserId,
        update: &CredentialUpdate,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Records the SDK's user key id.
    async fn set_user_key_id(&self, id: UserId, key_id: &str) -> Result<(), StoreError>;
    /// Stores the digest of a personal API key; false when `write` is `Issue` and a key was
    /// issued already (nothing written).
    async fn set_api_key(
        &self,
        id: UserId,
        digest: &str,
        write: ApiKeyWrite,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Updates name, culture and hint.
    async fn update_profile(
        &self,
        id: UserId,
        name: Option<&str>,
        culture: &str,
        hint: Option<&str>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    // --- devices and refresh tokens
    /// Finds or creates the device with this identifier for the user, updating its name/type.
    async fn upsert_device(
        &self,
        user_id: UserId,
        identifier: &str,
        device_type: i32,
        name: &str,
        now: Timestamp,
    ) -> Result<DeviceRow, StoreError>;
    /// Whether the user has logged in from a device with this identifier.
    async fn device_exists(&self, user_id: UserId, identifier: &str) -> Result<bool, StoreError>;
    /// A device by id (to keep its identity in refreshed tokens).
    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRow>, StoreError>;
    /// Deletes a user and, by cascade, their devices, tokens, folders and personal items.
    async fn delete_user(&self, id: UserId) -> Result<(), StoreError>;
    /// Stores a new refresh token.
    async fn insert_refresh_token(&self, token: &RefreshTokenRow) -> Result<(), StoreError>;
    /// Looks a refresh token up by hash.
    async fn refresh_token(&self, token_hash: &str) -> Result<Option<RefreshTokenRow>, StoreError>;
    /// Marks `old_hash` used and stores `new`, atomically. Returns false (and stores nothing)
    /// when `old_hash` was already used — the caller treats that as reuse.
    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new: &RefreshTokenRow,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Revokes every token of a family (reuse detected).
    async fn revoke_token_family(&self, family: TokenFamilyId) -> Result<(), StoreError>;

    // --- server settings
    /// Reads a server-wide setting (e.g. the token signing secret).
    async fn setting(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Stores a setting unless one exists; returns the value now stored (first writer wins).
    async fn setting_init(&self, key: &str, value: &str) -> Result<String, StoreError>;
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
    /// Stores a new personal cipher with the owner's folder/favorite.
    async fn insert_cipher(&self, view: &CipherView) -> Result<(), StoreError>;
    /// Replaces a cipher's content if its revision is still `expected_revision`; `false` when it
    /// is not the user's or changed meanwhile.
    async fn update_cipher(
        &self,
        user_id: UserId,
        view: &CipherView,
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
