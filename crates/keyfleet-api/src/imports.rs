//! `bw import` and `bw export --organizationid`: the bodies of `POST /api/ciphers/import` and
//! `POST /api/ciphers/import-organization?organizationId=`, as the official clients build them
//! (`ImportCiphersRequest`, `ImportOrganizationCiphersRequest`): every item and folder or
//! collection in one body, tied together by their positions in the lists.

use crate::vault::CipherRequest;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `KvpRequest<number, number>`: item number `key` goes into folder or collection number
/// `value` (positions in the request's lists, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportRelationship {
    /// Position of the item in `ciphers`.
    pub key: i64,
    /// Position of the folder in `folders` (or collection in `collections`).
    pub value: i64,
}

/// `FolderWithOptionalIdRequest`: a folder to create, or (`id` naming one of the importer's
/// folders) to put items into.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportFolderRequest {
    /// An existing folder of the importer; anything else makes a new folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// EncString under the user key.
    pub name: String,
}

/// `CollectionWithIdRequest`: a collection to create, or (`id` naming one of the
/// organization's) to put items into. The clients also send `groups`/`users` lists, always
/// empty for an import; the importer manages what they create, as on the official server.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportCollectionRequest {
    /// An existing collection of the organization; anything else makes a new collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// EncString under the org key.
    pub name: String,
    /// Directory id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

/// `POST /api/ciphers/import`: items into the caller's personal vault, with folders.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportCiphersRequest {
    /// Folders, created unless they name one of the caller's.
    #[serde(default)]
    pub folders: Vec<ImportFolderRequest>,
    /// The items, encrypted with the user key (or their own item keys).
    #[serde(default)]
    pub ciphers: Vec<CipherRequest>,
    /// Which item goes into which folder.
    #[serde(default)]
    pub folder_relationships: Vec<ImportRelationship>,
}

/// `POST /api/ciphers/import-organization?organizationId=`: items into an organization, with
/// collections (and, rarely, folders of the importer's own).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOrganizationCiphersRequest {
    /// Collections, created unless they name one of the organization's.
    #[serde(default)]
    pub collections: Vec<ImportCollectionRequest>,
    /// The items, encrypted with the org key.
    #[serde(default)]
    pub ciphers: Vec<CipherRequest>,
    /// Which item goes into which collection (an item may be in several).
    #[serde(default)]
    pub collection_relationships: Vec<ImportRelationship>,
    /// The importer's folders for these items.
    #[serde(default)]
    pub folders: Vec<ImportFolderRequest>,
    /// Which item goes into which of the importer's folders.
    #[serde(default)]
    pub folder_relationships: Vec<ImportRelationship>,
}

/// The `organizationId` query of `import-organization`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOrganizationQuery {
    /// The organization imported into.
    pub organization_id: String,
}

/// `GET /api/organizations/{id}/export` (`OrganizationExportResponseModel`): the collections
/// and the items (as `cipherMiniDetails`) that `bw export --organizationid` decrypts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationExportResponse {
    /// `"organizationExport"`.
    pub object: String,
    /// The organization's collections (for a member without import/export rights, the ones
    /// they manage).
    pub collections: Vec<crate::org_responses::CollectionResponse>,
    /// The items, with their collections.
    pub ciphers: Vec<crate::vault::CipherDetailsResponse>,
}
