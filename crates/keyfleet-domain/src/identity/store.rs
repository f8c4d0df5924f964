//! What identity needs from persistence: accounts, devices, refresh tokens.

use crate::clock::Timestamp;
use crate::error::StoreError;
use crate::ids::{
    CipherId, DeviceId, EmergencyAccessId, FolderId, OrgId, SendId, TokenFamilyId, UserId,
};
use crate::orgs::store::EventRow;

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
    /// An administrator recovered the account: clients ask for a new master password
    /// (`ForcePasswordReset`) until `update-temp-password` clears it.
    pub force_password_reset: bool,
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
    /// The new `force_password_reset`: set by an account recovery, cleared by any password the
    /// user chose themselves.
    pub force_password_reset: bool,
}

/// The rows a user key protects, by id ([`AccountStore::rotation_inventory`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RotationInventory {
    /// Personal items (trash included) and their types.
    pub ciphers: Vec<(CipherId, i32)>,
    /// Folders.
    pub folders: Vec<FolderId>,
    /// Sends.
    pub sends: Vec<SendId>,
    /// Emergency accesses the user grants that hold a key (confirmed or later).
    pub emergency_access: Vec<EmergencyAccessId>,
    /// Organizations where the user's membership is enrolled in account recovery.
    pub enrolments: Vec<OrgId>,
    /// Trusted devices (those holding keys).
    pub trusted_devices: Vec<DeviceId>,
}

/// One personal item re-encrypted by a rotation.
#[derive(Debug, Clone, PartialEq)]
pub struct RotatedCipher {
    /// The item.
    pub id: CipherId,
    /// Its new canonical content JSON.
    pub data: String,
    /// New names and keys of its attachments.
    pub attachments: Vec<crate::store::AttachmentNames>,
}

/// Everything a user key rotation writes ([`AccountStore::rotate_user_keys`]); each list holds
/// exactly the rows of the user's [`RotationInventory`].
#[derive(Debug, Clone)]
pub struct UserKeyRotation {
    /// The new user key wrapped with the master key, hash, hint and security stamp.
    pub credentials: CredentialUpdate,
    /// The private key wrapped with the new user key.
    pub private_key: String,
    /// The SDK's id of the new user key, when the client sent one.
    pub user_key_id: Option<String>,
    /// Personal items.
    pub ciphers: Vec<RotatedCipher>,
    /// Folders and their new names.
    pub folders: Vec<(FolderId, String)>,
    /// Sends and their re-wrapped keys.
    pub sends: Vec<(SendId, String)>,
    /// Emergency accesses and the new user key wrapped to each grantee.
    pub emergency_access: Vec<(EmergencyAccessId, String)>,
    /// Enrolled organizations and the new user key wrapped to each one's public key.
    pub enrolments: Vec<(OrgId, String)>,
    /// The trusted devices that stay trusted, with their re-wrapped keys; every other trusted
    /// device loses its trust ([`AccountStore::update_device_trust`]).
    pub devices: Vec<DeviceTrustUpdate>,
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
    /// First login from it.
    pub creation_date: Timestamp,
    /// Its latest login.
    pub last_seen: Timestamp,
    /// Its trusted-device keys (`None`: not trusted).
    pub keys: Option<DeviceKeys>,
}

/// A trusted device's keys (Bitwarden's trusted-device encryption), all ciphertext: the server
/// cannot open any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKeys {
    /// The user key wrapped to the device's public key (type 4).
    pub encrypted_user_key: String,
    /// The device's public key under the user key.
    pub encrypted_public_key: String,
    /// The device's private key under the device's own key.
    pub encrypted_private_key: String,
}

/// A trusted device's keys re-wrapped for a new user key (`update-trust`, key rotation); its
/// private key, under the device's own key, stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceTrustUpdate {
    /// The device.
    pub device: DeviceId,
    /// The new user key wrapped to the device's public key (type 4).
    pub encrypted_user_key: String,
    /// The device's public key under the new user key (type 2).
    pub encrypted_public_key: String,
}

/// The most devices a device list answers (a user logs in from a handful; every new device
/// identifier adds one row, so the list is bounded rather than trusted to stay small).
pub const MAX_DEVICES_LISTED: i64 = 500;

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
    /// Replaces credentials, revokes every refresh token of the user and stores `events`, in
    /// one transaction.
    async fn update_credentials(
        &self,
        id: UserId,
        update: &CredentialUpdate,
        events: &[EventRow],
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

    // --- user key rotation
    /// What the user's key protects: personal items (with their type), folders, Sends,
    /// emergency accesses they grant that hold a key, and memberships enrolled in account
    /// recovery.
    async fn rotation_inventory(&self, user_id: UserId) -> Result<RotationInventory, StoreError>;
    /// Stores a user key rotation in one transaction: the credentials (new security stamp,
    /// refresh tokens revoked, as [`AccountStore::update_credentials`]), the private key and
    /// every re-encrypted row, each write scoped to the user. False, with nothing written, when
    /// the rows no longer match the rotation's (one was added or removed meanwhile).
    async fn rotate_user_keys(
        &self,
        user_id: UserId,
        rotation: &UserKeyRotation,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

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
    /// The user's devices, most recently seen first (at most [`MAX_DEVICES_LISTED`]).
    async fn devices_of(&self, user_id: UserId) -> Result<Vec<DeviceRow>, StoreError>;
    /// The user's device with this identifier.
    async fn device_by_identifier(
        &self,
        user_id: UserId,
        identifier: &str,
    ) -> Result<Option<DeviceRow>, StoreError>;
    /// Renames the user's device; false when the user has no such device.
    async fn rename_device(
        &self,
        user_id: UserId,
        id: DeviceId,
        name: &str,
    ) -> Result<bool, StoreError>;
    /// Removes the user's device and ends its sessions, in one transaction: its refresh tokens
    /// are revoked (and detached from it), its remembered second factor goes with the row.
    /// False when the user has no such device.
    async fn remove_device(&self, user_id: UserId, id: DeviceId) -> Result<bool, StoreError>;
    /// Sets (or with `None` clears) the trusted-device keys of the user's device `identifier`;
    /// false when the user has no such device.
    async fn set_device_keys(
        &self,
        user_id: UserId,
        identifier: &str,
        keys: Option<&DeviceKeys>,
    ) -> Result<bool, StoreError>;
    /// Re-keys exactly the user's trusted devices in `devices` and clears the keys of the
    /// user's other trusted devices, in one transaction (nothing is left wrapped to an old user
    /// key). False, with nothing written, when one of `devices` is not a trusted device of the
    /// user.
    async fn update_device_trust(
        &self,
        user_id: UserId,
        devices: &[DeviceTrustUpdate],
    ) -> Result<bool, StoreError>;
    /// Clears the trusted-device keys of the user's devices among `ids` (others' are untouched).
    async fn clear_device_keys(&self, user_id: UserId, ids: &[DeviceId]) -> Result<(), StoreError>;
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
