//! Organization calls with their client-side crypto: the org key is made here, wrapped to each
//! member's public key, and every org item and collection name is encrypted under it.

use crate::authed::Bearer;
use crate::keys::{org_key_in_profile, wrap_to_public, NewOrgKeys};
use crate::{ClientError, Session};
use keyfleet_api::org_responses::{
    CollectionAccessDetailsResponse, OrganizationResponse, OrganizationUserDetailsResponse,
    OrganizationUserInviteResponse,
};
use keyfleet_api::orgs::{
    CollectionRequest, OrganizationCreateRequest, OrganizationUserConfirmRequest,
    OrganizationUserInviteRequest, SelectionReadOnly,
};
use keyfleet_api::vault::{CipherCreateRequest, CipherDetailsResponse, CipherRequest};
use keyfleet_crypto::{EncString, PublicKey, SymmetricKey};
use serde_json::json;

mod calls;
mod recovery;

pub use calls::{OrgCalls, OrgEventFilter};
pub use recovery::{recovered_user_key, recovery_credentials, recovery_key};

/// Access of a member or group to a collection, as the org calls take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    /// May not change items.
    pub read_only: bool,
    /// May not see passwords.
    pub hide_passwords: bool,
    /// May manage the collection.
    pub manage: bool,
}

impl Access {
    /// Read and write, no management.
    pub const EDIT: Access = Access {
        read_only: false,
        hide_passwords: false,
        manage: false,
    };
    /// Read only.
    pub const READ_ONLY: Access = Access {
        read_only: true,
        hide_passwords: false,
        manage: false,
    };
    /// Everything.
    pub const MANAGE: Access = Access {
        read_only: false,
        hide_passwords: false,
        manage: true,
    };

    /// `{id, readOnly, hidePasswords, manage}`.
    pub fn selection(self, id: &str) -> SelectionReadOnly {
        SelectionReadOnly {
            id: id.to_string(),
            read_only: self.read_only,
            hide_passwords: self.hide_passwords,
            manage: self.manage,
        }
    }
}

/// A new organization as the server answered it, with its key.
pub struct CreatedOrg {
    /// The `organization` response.
    pub org: OrganizationResponse,
    /// The org key (kept client side).
    pub key: SymmetricKey,
}

impl Session {
    pub(crate) fn private_key_required(&self) -> Result<&keyfleet_crypto::PrivateKey, ClientError> {
        self.private_key()
            .ok_or_else(|| ClientError::Decode("this account has no key pair".into()))
    }

    /// Creates an organization owned by this user: a fresh org key and key pair, the org key
    /// wrapped to the user's own public key, and a first collection.
    pub async fn create_org(
        &self,
        name: &str,
        billing_email: &str,
        plan_type: i32,
        seats: Option<i32>,
        first_collection: &str,
    ) -> Result<CreatedOrg, ClientError> {
        let my_public = self.private_key_required()?.public_key();
        let keys = NewOrgKeys::generate()?;
        let req = OrganizationCreateRequest {
            name: name.to_string(),
            business_name: None,
            billing_email: billing_email.to_string(),
            plan_type,
            key: wrap_to_public(&my_public, &keys.key)?,
            keys: Some(keys.key_pair()),
            collection_name: Some(EncString::encrypt_str(&keys.key, first_collection)),
            additional_seats: seats,
        };
        let org = self.post_org(&req).await?;
        Ok(CreatedOrg { org, key: keys.key })
    }

    /// The org key of an organization this user is a confirmed member of, or reaches as a
    /// provider member who may launch into it (from sync).
    pub async fn org_key(&self, org_id: &str) -> Result<SymmetricKey, ClientError> {
        let sync = self.sync().await?;
        org_key_in_profile(&sync.head.profile, org_id, self.private_key_required()?)
    }

    /// Invites addresses with a member type and direct collection access; answers the
    /// invitations (with their links).
    pub async fn invite_members(
        &self,
        org_id: &str,
        emails: &[&str],
        member_type: i32,
        collections: &[(String, Access)],
    ) -> Result<Vec<OrganizationUserInviteResponse>, ClientError> {
        let req = OrganizationUserInviteRequest {
            emails: emails.iter().map(|e| e.to_string()).collect(),
            member_type,
            // No custom permissions: `{}` as the web vault sends for a non-Custom member (the
            // wire type keeps `permissions` free-form).
            permissions: Some(json!({})),
            collections: collections.iter().map(|(id, a)| a.selection(id)).collect(),
            groups: Vec::new(),
        };
        self.invite_org_members(org_id, &req).await
    }

    /// Accepts an invitation with the token from its link.
    pub async fn accept_invite(
        &self,
        org_id: &str,
        org_user_id: &str,
        token: &str,
    ) -> Result<(), ClientError> {
        self.accept_org_invite(org_id, org_user_id, token).await
    }

    /// The public key of an accepted member and its account fingerprint phrase (to compare out
    /// of band with the one the member's app shows).
    pub async fn member_public_key(
        &self,
        org_id: &str,
        org_user_id: &str,
    ) -> Result<(PublicKey, String), ClientError> {
        member_public_key(self, org_id, org_user_id).await
    }

    /// Confirms an accepted member: wraps the org key to their public key.
    pub async fn confirm_member(
        &self,
        org_id: &str,
        org_user_id: &str,
        org_key: &SymmetricKey,
    ) -> Result<String, ClientError> {
        let (public, fingerprint) = self.member_public_key(org_id, org_user_id).await?;
        self.confirm_member_with_key(org_id, org_user_id, org_key, &public)
            .await?;
        Ok(fingerprint)
    }

    /// Confirms an accepted member with the public key the admin already checked (its
    /// fingerprint shown), so the key wrapped is exactly the one that was verified.
    pub async fn confirm_member_with_key(
        &self,
        org_id: &str,
        org_user_id: &str,
        org_key: &SymmetricKey,
        public: &PublicKey,
    ) -> Result<(), ClientError> {
        let req = OrganizationUserConfirmRequest {
            key: wrap_to_public(public, org_key)?,
            default_user_collection_name: None,
        };
        self.confirm_org_member(org_id, org_user_id, &req).await
    }

    /// Creates a collection named `name` (encrypted under the org key) with member access.
    pub async fn create_collection(
        &self,
        org_id: &str,
        org_key: &SymmetricKey,
        name: &str,
        users: &[(String, Access)],
    ) -> Result<CollectionAccessDetailsResponse, ClientError> {
        let req = CollectionRequest {
            name: EncString::encrypt_str(org_key, name),
            external_id: None,
            groups: Vec::new(),
            users: users.iter().map(|(id, a)| a.selection(id)).collect(),
        };
        self.post_org_collection(org_id, &req).await
    }

    /// The body of a login item encrypted under `key` for an organization.
    pub fn org_login_item_body(
        &self,
        org_id: &str,
        key: &SymmetricKey,
        name: &str,
        username: &str,
        password: &str,
    ) -> CipherRequest {
        crate::session::login_item(key, &self.user_id, Some(org_id), name, username, password)
    }

    /// Creates a login item in org collections.
    pub async fn create_org_login(
        &self,
        org_id: &str,
        key: &SymmetricKey,
        collection_ids: &[&str],
        name: &str,
        username: &str,
        password: &str,
    ) -> Result<CipherDetailsResponse, ClientError> {
        let body = CipherCreateRequest {
            cipher: self.org_login_item_body(org_id, key, name, username, password),
            collection_ids: collection_ids.iter().map(|c| c.to_string()).collect(),
        };
        self.create_cipher_in_collections(&body).await
    }
}

/// An accepted member's public key (through their account) and its fingerprint phrase.
pub async fn member_public_key(
    who: &(impl Bearer + ?Sized),
    org_id: &str,
    org_user_id: &str,
) -> Result<(PublicKey, String), ClientError> {
    let member: OrganizationUserDetailsResponse = who.org_member(org_id, org_user_id).await?;
    let user_id = member
        .user_id
        .ok_or_else(|| ClientError::Decode("the member has not accepted yet".into()))?;
    let key = who.user_public_key(&user_id).await?;
    let public = PublicKey::from_spki_der_b64(&key.public_key)?;
    // The same phrase the member's own Bitwarden app shows under "fingerprint phrase".
    let fingerprint = public.fingerprint_phrase(&user_id)?;
    Ok((public, fingerprint))
}
