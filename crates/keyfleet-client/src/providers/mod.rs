//! Provider (MSP) calls, as `docs/provider-api.md` describes them, with their client-side crypto:
//! the provider key is made here at setup and wrapped to each member's public key; each client's
//! org key is made here (or unwrapped from the linking owner's membership) and kept on the server
//! only wrapped with the provider key.
//!
//! Calls that need no vault key are the [`ProviderCalls`] trait, implemented for every
//! [`crate::Bearer`]: a [`Session`], and
//! anything else holding an access token (the CLI's saved session, which only unlocks the
//! keys with the master password for the commands that encrypt or decrypt). Calls that do need a
//! key are methods of [`Session`]. The operator's calls (admin token) are methods of [`Client`].

use crate::authed::send;
use crate::keys::{
    org_key_in_profile, provider_key_in_profile, unwrap_with, wrap_to_public, wrap_with, NewOrgKeys,
};
use crate::{query_string, ClientError, Session};
use keyfleet_api::kinds::ProviderRole;
use keyfleet_api::provider_requests::{
    ProviderClientLinkRequest, ProviderSetupRequest, ProviderUserConfirmRequest,
};
use keyfleet_api::provider_responses::{
    ProviderClientCreatedResponse, ProviderClientResponse, ProviderResponse,
};
use keyfleet_crypto::{EncString, PublicKey, SymmetricKey};
use reqwest::Method;

mod calls;
mod operator;

pub use calls::ProviderCalls;
pub use keyfleet_api::provider_requests::ProviderClientCreateRequest as CreateClientRequest;

fn provider_path(provider_id: &str) -> String {
    format!("/api/providers/{provider_id}")
}

/// A provider member's role as invitations and role changes give it (the owner is made by the
/// operator and by transferring ownership, never by these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberRole {
    /// Everything but transferring ownership, on all clients.
    Admin,
    /// Views and launches into the clients assigned to them.
    Technician,
    /// The permissions and scope of the custom role with this id.
    Custom(String),
}

impl MemberRole {
    /// `(role, roleId)` as the member calls take them.
    fn fields(&self) -> (&'static str, Option<&str>) {
        match self {
            MemberRole::Admin => (ProviderRole::Admin.name(), None),
            MemberRole::Technician => (ProviderRole::Technician.name(), None),
            MemberRole::Custom(id) => (ProviderRole::Custom.name(), Some(id.as_str())),
        }
    }
}

/// Which clients a custom role's permissions reach (the wire's closed set).
pub use keyfleet_api::kinds::ProviderScope as RoleScope;

/// Filters of the provider event log (all optional; the server's default range is the last
/// 30 days).
#[derive(Debug, Clone, Default)]
pub struct ProviderEventFilter {
    /// From (ISO 8601).
    pub start: Option<String>,
    /// Until (ISO 8601).
    pub end: Option<String>,
    /// Only events about this provider member (id).
    pub member: Option<String>,
    /// Only events about this client (provider-organization id).
    pub client: Option<String>,
    /// Only this event type.
    pub event_type: Option<i32>,
    /// The next page of an earlier answer.
    pub continuation_token: Option<String>,
}

impl ProviderEventFilter {
    fn query(&self, csv: bool) -> String {
        let event_type = self.event_type.map(|t| t.to_string());
        query_string(&[
            ("start", self.start.as_deref()),
            ("end", self.end.as_deref()),
            ("member", self.member.as_deref()),
            ("client", self.client.as_deref()),
            ("type", event_type.as_deref()),
            ("continuationToken", self.continuation_token.as_deref()),
            ("format", csv.then_some("csv")),
        ])
    }
}

/// A client company to create under a provider.
#[derive(Debug, Clone, Default)]
pub struct NewClient {
    /// The organization's name.
    pub name: String,
    /// Plan type: 17 Teams (monthly), 18, 19 Enterprise (monthly), 20.
    pub plan_type: i32,
    /// Seats.
    pub seats: Option<i32>,
    /// Invite this address as the client's owner.
    pub owner_email: Option<String>,
    /// The first collection's name (encrypted here).
    pub collection_name: Option<String>,
    /// Billing email (the server's default otherwise).
    pub billing_email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Free-form notes.
    pub notes: Option<String>,
}

/// Changes to a client's details; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ClientEdit {
    /// New name.
    pub name: Option<String>,
    /// New website.
    pub website: Option<String>,
    /// New region.
    pub region: Option<String>,
    /// New notes.
    pub notes: Option<String>,
    /// New seat count.
    pub seats: Option<i32>,
}

/// A client created under a provider, with its org key.
pub struct CreatedClient {
    /// The client (`providerOrganizationOrganizationDetail` plus `ownerInvite`).
    pub client: ProviderClientCreatedResponse,
    /// The new org key (kept client side).
    pub key: SymmetricKey,
}

/// What launching into a client gives: the organization and its key, usable with the
/// organization calls (`org_members`, `create_collection`, `confirm_member`, …).
pub struct LaunchedClient {
    /// The client's organization id.
    pub organization_id: String,
    /// Its name.
    pub organization_name: String,
    /// The link's id (`providerOrganizationId`).
    pub provider_organization_id: String,
    /// The org key, unwrapped with the provider key.
    pub key: SymmetricKey,
}

/// The body of `POST /providers/{pid}/clients` and the new org key: the org key wrapped with
/// the provider key (type 2), a fresh org key pair whose private half is wrapped with the org
/// key, and the first collection's name encrypted with the org key.
pub fn new_client_body(
    provider_key: &SymmetricKey,
    client: &NewClient,
) -> Result<(CreateClientRequest, SymmetricKey), ClientError> {
    let keys = NewOrgKeys::generate()?;
    let body = CreateClientRequest {
        name: client.name.clone(),
        owner_email: client.owner_email.clone(),
        plan_type: client.plan_type,
        seats: client.seats,
        key: wrap_with(provider_key, &keys.key),
        key_pair: keys.key_pair(),
        collection_name: client
            .collection_name
            .as_deref()
            .map(|n| EncString::encrypt_str(&keys.key, n)),
        billing_email: client.billing_email.clone(),
        website: client.website.clone(),
        region: client.region.clone(),
        notes: client.notes.clone(),
    };
    Ok((body, keys.key))
}
/// The provider calls that need the caller's keys.
impl Session {
    /// Sets up a provider the operator created for this user: a fresh 64-byte provider key,
    /// wrapped to the caller's own public key, sent with the setup token. Answers the provider
    /// and its key.
    pub async fn setup_provider(
        &self,
        provider_id: &str,
        token: &str,
        name: &str,
        business_name: Option<&str>,
        billing_email: &str,
    ) -> Result<(ProviderResponse, SymmetricKey), ClientError> {
        let my_public = self.private_key_required()?.public_key();
        let key = SymmetricKey::generate();
        let body = ProviderSetupRequest {
            name: name.into(),
            business_name: business_name.map(Into::into),
            billing_email: billing_email.into(),
            token: token.into(),
            key: wrap_to_public(&my_public, &key)?,
        };
        let path = format!("{}/setup", provider_path(provider_id));
        let provider = send(self, Method::POST, &path, Some(&body)).await?;
        Ok((provider, key))
    }

    /// The provider key, unwrapped from this user's sync with their private key.
    pub async fn provider_key(&self, provider_id: &str) -> Result<SymmetricKey, ClientError> {
        let sync = self.sync().await?;
        provider_key_in_profile(
            &sync.head.profile,
            provider_id,
            self.private_key_required()?,
        )
    }

    /// Confirms an accepted provider member: wraps the provider key to their public key.
    /// Answers the member's fingerprint phrase (check it with them before trusting the result;
    /// [`Session::confirm_provider_member_with_key`] confirms a key already checked).
    pub async fn confirm_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<String, ClientError> {
        let provider_key = self.provider_key(provider_id).await?;
        let (public, fingerprint) = self
            .provider_member_public_key(provider_id, member_id)
            .await?;
        self.confirm_provider_member_with_key(provider_id, member_id, &provider_key, &public)
            .await?;
        Ok(fingerprint)
    }

    /// Confirms an accepted provider member with the public key whose fingerprint was checked.
    pub async fn confirm_provider_member_with_key(
        &self,
        provider_id: &str,
        member_id: &str,
        provider_key: &SymmetricKey,
        public: &PublicKey,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/confirm", provider_path(provider_id));
        let body = ProviderUserConfirmRequest {
            key: wrap_to_public(public, provider_key)?,
        };
        send(self, Method::POST, &path, Some(&body)).await
    }

    /// Creates a client company under the provider (keys made here, see [`new_client_body`]).
    pub async fn create_provider_client(
        &self,
        provider_id: &str,
        client: &NewClient,
    ) -> Result<CreatedClient, ClientError> {
        let provider_key = self.provider_key(provider_id).await?;
        let (body, key) = new_client_body(&provider_key, client)?;
        let path = format!("{}/clients", provider_path(provider_id));
        let client = send(self, Method::POST, &path, Some(&body)).await?;
        Ok(CreatedClient { client, key })
    }

    /// Links an organization this user owns to the provider: the org key, unwrapped from the
    /// user's membership, wrapped with the provider key; the server re-checks the master
    /// password.
    pub async fn link_org_to_provider(
        &self,
        provider_id: &str,
        organization_id: &str,
        password: &str,
    ) -> Result<ProviderClientResponse, ClientError> {
        let sync = self.sync().await?;
        let private = self.private_key_required()?;
        let provider_key = provider_key_in_profile(&sync.head.profile, provider_id, private)?;
        let org_key = org_key_in_profile(&sync.head.profile, organization_id, private)?;
        let (master_password_hash, _) = self.client().password_hash(&self.email, password).await?;
        let body = ProviderClientLinkRequest {
            organization_id: organization_id.into(),
            key: wrap_with(&provider_key, &org_key),
            master_password_hash: Some(master_password_hash),
        };
        let path = format!("{}/clients/existing", provider_path(provider_id));
        send(self, Method::POST, &path, Some(&body)).await
    }

    /// Launches into a client ([`ProviderCalls::launch_client`]): the organization id and its
    /// key, unwrapped with the provider key.
    pub async fn launch_into_client(
        &self,
        provider_id: &str,
        client_id: &str,
        master_password_hash: Option<&str>,
    ) -> Result<LaunchedClient, ClientError> {
        let provider_key = self.provider_key(provider_id).await?;
        let v = self
            .launch_client(provider_id, client_id, master_password_hash)
            .await?;
        Ok(LaunchedClient {
            key: unwrap_with(&provider_key, &v.key)?,
            organization_id: v.organization_id,
            organization_name: v.organization_name,
            provider_organization_id: v.provider_organization_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyfleet_crypto::PrivateKey;

    #[test]
    fn a_client_create_payload_decrypts_with_the_provider_key() {
        let provider_key = SymmetricKey::generate();
        let (body, org_key) = new_client_body(
            &provider_key,
            &NewClient {
                name: "Acme".into(),
                plan_type: 17,
                seats: Some(5),
                owner_email: Some("it@acme.example".into()),
                collection_name: Some("Servers".into()),
                ..NewClient::default()
            },
        )
        .unwrap();
        let body = serde_json::to_value(&body).unwrap();
        let wrapped = body["key"].as_str().unwrap();
        assert!(wrapped.starts_with("2."), "type 2 under the provider key");
        assert_eq!(unwrap_with(&provider_key, wrapped).unwrap(), org_key);
        let private_der = body["keyPair"]["encryptedPrivateKey"]
            .as_str()
            .unwrap()
            .parse::<EncString>()
            .unwrap()
            .decrypt_aes(&org_key)
            .unwrap();
        let private = PrivateKey::from_pkcs8_der(&private_der).unwrap();
        assert_eq!(
            private.public_key().to_spki_der_b64().unwrap(),
            body["keyPair"]["publicKey"].as_str().unwrap()
        );
        assert_eq!(
            EncString::decrypt_str(body["collectionName"].as_str().unwrap(), &org_key).unwrap(),
            "Servers"
        );
        assert_eq!(body["name"], "Acme");
        assert_eq!(body["planType"], 17);
        assert_eq!(body["seats"], 5);
        assert_eq!(body["ownerEmail"], "it@acme.example");
        assert!(
            !body.to_string().contains("Servers"),
            "no clear collection name"
        );
    }

    #[test]
    fn member_roles_and_event_filters_take_their_wire_forms() {
        let custom = MemberRole::Custom("r1".into());
        assert_eq!(custom.fields(), ("custom", Some("r1")));
        assert_eq!(MemberRole::Technician.fields(), ("technician", None));
        let filter = ProviderEventFilter {
            member: Some("m1".into()),
            event_type: Some(1800),
            ..ProviderEventFilter::default()
        };
        assert_eq!(filter.query(false), "?member=m1&type=1800");
        assert_eq!(ProviderEventFilter::default().query(true), "?format=csv");
    }
}
