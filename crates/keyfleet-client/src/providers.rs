//! Provider (MSP) calls, as `docs/provider-api.md` describes them, with their client-side crypto:
//! the provider key is made here at setup and wrapped to each member's public key; each client's
//! org key is made here (or unwrapped from the linking owner's membership) and kept on the server
//! only wrapped with the provider key.
//!
//! Calls that need no vault key are the [`ProviderCalls`] trait, implemented for [`Session`] and
//! for anything else holding an access token (the CLI's saved session, which only unlocks the
//! keys with the master password for the commands that encrypt or decrypt). Calls that do need a
//! key are methods of [`Session`]. The operator's calls (admin token) are methods of [`Client`].

use crate::keys::{
    org_key_in_profile, provider_key_in_profile, unwrap_with, wrap_to_public, wrap_with, NewOrgKeys,
};
use crate::{query_string, Client, ClientError, RawBody, Session};
use keyfleet_crypto::{EncString, PublicKey, SymmetricKey};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

fn provider_path(provider_id: &str) -> String {
    format!("/api/providers/{provider_id}")
}

/// The `data` array of a list answer.
fn list_data(v: Value) -> Vec<Value> {
    match v {
        Value::Object(mut m) => match m.remove("data") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
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
    /// `{role, roleId}` as the member calls take it.
    fn fields(&self) -> Value {
        match self {
            MemberRole::Admin => json!({ "role": "admin", "roleId": null }),
            MemberRole::Technician => json!({ "role": "technician", "roleId": null }),
            MemberRole::Custom(id) => json!({ "role": "custom", "roleId": id }),
        }
    }
}

/// Which clients a custom role's permissions reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleScope {
    /// Every client of the provider.
    All,
    /// Only the clients the member is assigned to.
    Assigned,
}

impl RoleScope {
    /// The wire word.
    pub fn name(self) -> &'static str {
        match self {
            RoleScope::All => "all",
            RoleScope::Assigned => "assigned",
        }
    }
}

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
    /// The client JSON (`providerOrganizationOrganizationDetail` plus `ownerInvite`).
    pub client: Value,
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
) -> Result<(Value, SymmetricKey), ClientError> {
    let keys = NewOrgKeys::generate()?;
    let body = json!({
        "name": client.name,
        "ownerEmail": client.owner_email,
        "planType": client.plan_type,
        "seats": client.seats,
        "key": wrap_with(provider_key, &keys.key),
        "keyPair": keys.key_pair_json(),
        "collectionName": client
            .collection_name
            .as_deref()
            .map(|n| EncString::encrypt_str(&keys.key, n)),
        "billingEmail": client.billing_email,
        "website": client.website,
        "region": client.region,
        "notes": client.notes,
    });
    Ok((body, keys.key))
}

async fn send<T: DeserializeOwned>(
    who: &(impl ProviderCalls + ?Sized),
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<T, ClientError> {
    let (client, token) = who.bearer();
    let body = body.map(RawBody::Json).unwrap_or(RawBody::Empty);
    client.call(method, path, Some(token), body).await
}

async fn send_list(
    who: &(impl ProviderCalls + ?Sized),
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Vec<Value>, ClientError> {
    Ok(list_data(send(who, method, path, body).await?))
}

async fn send_text(who: &(impl ProviderCalls + ?Sized), path: &str) -> Result<String, ClientError> {
    let (client, token) = who.bearer();
    client.call_text(Method::GET, path, Some(token)).await
}

/// The provider calls that need an access token but no vault key.
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait ProviderCalls {
    /// The connection and the access token to send.
    fn bearer(&self) -> (&Client, &str);

    /// The caller's provider memberships from sync (`profile.providers`): confirmed, active
    /// memberships of enabled providers, while two-step login is on.
    async fn my_providers(&self) -> Result<Vec<Value>, ClientError> {
        let sync: Value = send(self, Method::GET, "/api/sync?excludeDomains=true", None).await?;
        Ok(sync["profile"]["providers"]
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// `GET /providers/{pid}`.
    async fn provider(&self, provider_id: &str) -> Result<Value, ClientError> {
        send(self, Method::GET, &provider_path(provider_id), None).await
    }

    /// `PUT /providers/{pid}` (owner, admin).
    async fn update_provider(
        &self,
        provider_id: &str,
        name: &str,
        business_name: Option<&str>,
        billing_email: &str,
    ) -> Result<Value, ClientError> {
        let body =
            json!({ "name": name, "businessName": business_name, "billingEmail": billing_email });
        send(self, Method::PUT, &provider_path(provider_id), Some(body)).await
    }

    /// `POST /providers/{pid}/users/{puid}/accept`: the invitee accepts with the link's token.
    async fn accept_provider_invite(
        &self,
        provider_id: &str,
        member_id: &str,
        token: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/accept", provider_path(provider_id));
        send(self, Method::POST, &path, Some(json!({ "token": token }))).await
    }

    /// `GET /providers/{pid}/users`.
    async fn provider_members(&self, provider_id: &str) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/users", provider_path(provider_id));
        send_list(self, Method::GET, &path, None).await
    }

    /// `GET /providers/{pid}/users/{puid}`.
    async fn provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/users/{member_id}", provider_path(provider_id));
        send(self, Method::GET, &path, None).await
    }

    /// `POST /providers/{pid}/users/invite`: the invitations, with their links.
    async fn invite_provider_members(
        &self,
        provider_id: &str,
        emails: &[String],
        role: &MemberRole,
        client_ids: &[String],
    ) -> Result<Vec<Value>, ClientError> {
        let mut body = role.fields();
        body["emails"] = json!(emails);
        body["clientIds"] = json!(client_ids);
        let path = format!("{}/users/invite", provider_path(provider_id));
        send_list(self, Method::POST, &path, Some(body)).await
    }

    /// `POST /providers/{pid}/users/{puid}/reinvite`: a new link; older ones stop working.
    async fn reinvite_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/users/{member_id}/reinvite", provider_path(provider_id));
        send(self, Method::POST, &path, None).await
    }

    /// `POST /providers/{pid}/users/reinvite`: `{id, error, …}` per member.
    async fn reinvite_provider_members(
        &self,
        provider_id: &str,
        member_ids: &[String],
    ) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/users/reinvite", provider_path(provider_id));
        send_list(
            self,
            Method::POST,
            &path,
            Some(json!({ "ids": member_ids })),
        )
        .await
    }

    /// An accepted member's public key (`POST …/users/public-keys`) and its account
    /// fingerprint phrase, to compare with the one the member's own app shows.
    async fn provider_member_public_key(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<(PublicKey, String), ClientError> {
        let path = format!("{}/users/public-keys", provider_path(provider_id));
        let keys = send_list(
            self,
            Method::POST,
            &path,
            Some(json!({ "ids": [member_id] })),
        )
        .await?;
        let entry = keys
            .iter()
            .find(|k| {
                k["id"]
                    .as_str()
                    .is_some_and(|id| id.eq_ignore_ascii_case(member_id))
            })
            .ok_or_else(|| {
                ClientError::Decode("no public key for that member (not accepted yet?)".into())
            })?;
        let user_id = entry["userId"]
            .as_str()
            .ok_or_else(|| ClientError::Decode("the public key answer has no userId".into()))?;
        let public = PublicKey::from_spki_der_b64(entry["key"].as_str().unwrap_or(""))?;
        let fingerprint = public.fingerprint_phrase(user_id)?;
        Ok((public, fingerprint))
    }

    /// `PUT /providers/{pid}/users/{puid}`: a new role.
    async fn set_provider_member_role(
        &self,
        provider_id: &str,
        member_id: &str,
        role: &MemberRole,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/users/{member_id}", provider_path(provider_id));
        send(self, Method::PUT, &path, Some(role.fields())).await
    }

    /// `PUT /providers/{pid}/users/{puid}/clients`: replaces the member's assigned clients.
    async fn assign_member_clients(
        &self,
        provider_id: &str,
        member_id: &str,
        client_ids: &[String],
    ) -> Result<Value, ClientError> {
        let path = format!("{}/users/{member_id}/clients", provider_path(provider_id));
        let body = json!({ "clientIds": client_ids });
        send(self, Method::PUT, &path, Some(body)).await
    }

    /// `POST /providers/{pid}/users/{puid}/suspend`: access ends with the next request.
    async fn suspend_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/users/{member_id}/suspend", provider_path(provider_id));
        send(self, Method::POST, &path, None).await
    }

    /// `POST /providers/{pid}/users/{puid}/restore`.
    async fn restore_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/users/{member_id}/restore", provider_path(provider_id));
        send(self, Method::POST, &path, None).await
    }

    /// `DELETE /providers/{pid}/users/{puid}`: the membership and its wrapped key are gone.
    async fn delete_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}", provider_path(provider_id));
        send(self, Method::DELETE, &path, None).await
    }

    /// `DELETE /providers/{pid}/users`: `{id, error}` per member.
    async fn delete_provider_members(
        &self,
        provider_id: &str,
        member_ids: &[String],
    ) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/users", provider_path(provider_id));
        send_list(
            self,
            Method::DELETE,
            &path,
            Some(json!({ "ids": member_ids })),
        )
        .await
    }

    /// `POST /providers/{pid}/users/{puid}/transfer-ownership` (the owner, re-checked with the
    /// master password hash): the member becomes owner, the caller admin.
    async fn transfer_provider_ownership(
        &self,
        provider_id: &str,
        member_id: &str,
        master_password_hash: &str,
    ) -> Result<(), ClientError> {
        let path = format!(
            "{}/users/{member_id}/transfer-ownership",
            provider_path(provider_id)
        );
        let body = json!({ "masterPasswordHash": master_password_hash });
        send(self, Method::POST, &path, Some(body)).await
    }

    /// `GET /providers/{pid}/roles`.
    async fn provider_roles(&self, provider_id: &str) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/roles", provider_path(provider_id));
        send_list(self, Method::GET, &path, None).await
    }

    /// `POST /providers/{pid}/roles`.
    async fn create_provider_role(
        &self,
        provider_id: &str,
        name: &str,
        permissions: &[String],
        scope: RoleScope,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/roles", provider_path(provider_id));
        let body = json!({ "name": name, "permissions": permissions, "scope": scope.name() });
        send(self, Method::POST, &path, Some(body)).await
    }

    /// `PUT /providers/{pid}/roles/{rid}`: replaces name, permissions and scope.
    async fn update_provider_role(
        &self,
        provider_id: &str,
        role_id: &str,
        name: &str,
        permissions: &[String],
        scope: RoleScope,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/roles/{role_id}", provider_path(provider_id));
        let body = json!({ "name": name, "permissions": permissions, "scope": scope.name() });
        send(self, Method::PUT, &path, Some(body)).await
    }

    /// `POST /providers/{pid}/roles/{rid}/clone`.
    async fn clone_provider_role(
        &self,
        provider_id: &str,
        role_id: &str,
        name: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/roles/{role_id}/clone", provider_path(provider_id));
        send(self, Method::POST, &path, Some(json!({ "name": name }))).await
    }

    /// `DELETE /providers/{pid}/roles/{rid}` (refused while members hold it).
    async fn delete_provider_role(
        &self,
        provider_id: &str,
        role_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/roles/{role_id}", provider_path(provider_id));
        send(self, Method::DELETE, &path, None).await
    }

    /// `GET /providers/{pid}/organizations`: the clients in the caller's scope.
    async fn provider_clients(&self, provider_id: &str) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/organizations", provider_path(provider_id));
        send_list(self, Method::GET, &path, None).await
    }

    /// `GET /providers/{pid}/clients/addable`: organizations the caller owns that no provider
    /// manages.
    async fn addable_orgs(&self, provider_id: &str) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/clients/addable", provider_path(provider_id));
        send(self, Method::GET, &path, None).await
    }

    /// `PUT /providers/{pid}/clients/{poid}`.
    async fn edit_provider_client(
        &self,
        provider_id: &str,
        client_id: &str,
        edit: &ClientEdit,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/clients/{client_id}", provider_path(provider_id));
        let body = json!({
            "name": edit.name, "website": edit.website, "region": edit.region,
            "notes": edit.notes, "seats": edit.seats,
        });
        send(self, Method::PUT, &path, Some(body)).await
    }

    /// `PUT /providers/{pid}/clients/{poid}/members`: replaces who manages the client.
    async fn assign_client_members(
        &self,
        provider_id: &str,
        client_id: &str,
        member_ids: &[String],
    ) -> Result<Value, ClientError> {
        let path = format!("{}/clients/{client_id}/members", provider_path(provider_id));
        let body = json!({ "memberIds": member_ids });
        send(self, Method::PUT, &path, Some(body)).await
    }

    /// `DELETE /providers/{pid}/organizations/{poid}`: the link and its wrapped key go; the
    /// org key is not rotated (its owners may do so).
    async fn unlink_provider_client(
        &self,
        provider_id: &str,
        client_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/organizations/{client_id}", provider_path(provider_id));
        send(self, Method::DELETE, &path, None).await
    }

    /// `POST /providers/{pid}/clients/{poid}/launch` (logged in the provider's and the
    /// client's event logs): `{organizationId, organizationName, key, …}`, the key still
    /// wrapped with the provider key ([`Session::launch_into_client`] unwraps it).
    async fn launch_client(
        &self,
        provider_id: &str,
        client_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("{}/clients/{client_id}/launch", provider_path(provider_id));
        send(self, Method::POST, &path, None).await
    }

    /// `GET /providers/{pid}/events`: `{data, continuationToken}`.
    async fn provider_events(
        &self,
        provider_id: &str,
        filter: &ProviderEventFilter,
    ) -> Result<Value, ClientError> {
        let path = format!(
            "{}/events{}",
            provider_path(provider_id),
            filter.query(false)
        );
        send(self, Method::GET, &path, None).await
    }

    /// The event log as CSV text (`format=csv`).
    async fn provider_events_csv(
        &self,
        provider_id: &str,
        filter: &ProviderEventFilter,
    ) -> Result<String, ClientError> {
        let path = format!(
            "{}/events{}",
            provider_path(provider_id),
            filter.query(true)
        );
        send_text(self, &path).await
    }

    /// `GET /providers/{pid}/users/{puid}/events`.
    async fn provider_member_events(
        &self,
        provider_id: &str,
        member_id: &str,
        filter: &ProviderEventFilter,
    ) -> Result<Value, ClientError> {
        let path = format!(
            "{}/users/{member_id}/events{}",
            provider_path(provider_id),
            filter.query(false)
        );
        send(self, Method::GET, &path, None).await
    }

    /// `GET /providers/{pid}/reports/usage`: one row per client.
    async fn provider_usage(&self, provider_id: &str) -> Result<Vec<Value>, ClientError> {
        let path = format!("{}/reports/usage", provider_path(provider_id));
        send_list(self, Method::GET, &path, None).await
    }

    /// The usage report as CSV text, with its `TOTAL` row.
    async fn provider_usage_csv(&self, provider_id: &str) -> Result<String, ClientError> {
        let path = format!("{}/reports/usage?format=csv", provider_path(provider_id));
        send_text(self, &path).await
    }
}

impl ProviderCalls for Session {
    fn bearer(&self) -> (&Client, &str) {
        (self.client(), &self.access_token)
    }
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
    ) -> Result<(Value, SymmetricKey), ClientError> {
        let my_public = self.private_key_required()?.public_key();
        let key = SymmetricKey::generate();
        let body = json!({
            "name": name,
            "businessName": business_name,
            "billingEmail": billing_email,
            "token": token,
            "key": wrap_to_public(&my_public, &key)?,
        });
        let path = format!("{}/setup", provider_path(provider_id));
        let provider: Value = self.call(Method::POST, &path, Some(body)).await?;
        Ok((provider, key))
    }

    /// The provider key, unwrapped from this user's sync with their private key.
    pub async fn provider_key(&self, provider_id: &str) -> Result<SymmetricKey, ClientError> {
        let sync = self.sync().await?;
        provider_key_in_profile(&sync["profile"], provider_id, self.private_key_required()?)
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
        let body = json!({ "key": wrap_to_public(public, provider_key)? });
        self.call(Method::POST, &path, Some(body)).await
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
        let client: Value = self.call(Method::POST, &path, Some(body)).await?;
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
    ) -> Result<Value, ClientError> {
        let sync = self.sync().await?;
        let private = self.private_key_required()?;
        let provider_key = provider_key_in_profile(&sync["profile"], provider_id, private)?;
        let org_key = org_key_in_profile(&sync["profile"], organization_id, private)?;
        let mut body = self.verify_body(password).await?;
        body["organizationId"] = json!(organization_id);
        body["key"] = json!(wrap_with(&provider_key, &org_key));
        let path = format!("{}/clients/existing", provider_path(provider_id));
        self.call(Method::POST, &path, Some(body)).await
    }

    /// Launches into a client ([`ProviderCalls::launch_client`]): the organization id and its
    /// key, unwrapped with the provider key.
    pub async fn launch_into_client(
        &self,
        provider_id: &str,
        client_id: &str,
    ) -> Result<LaunchedClient, ClientError> {
        let provider_key = self.provider_key(provider_id).await?;
        let v = self.launch_client(provider_id, client_id).await?;
        let field = |k: &str| {
            v[k].as_str()
                .map(str::to_string)
                .ok_or_else(|| ClientError::Decode(format!("the launch answer has no {k}")))
        };
        Ok(LaunchedClient {
            key: unwrap_with(&provider_key, &field("key")?)?,
            organization_id: field("organizationId")?,
            organization_name: v["organizationName"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            provider_organization_id: v["providerOrganizationId"]
                .as_str()
                .unwrap_or(client_id)
                .to_string(),
        })
    }
}

/// The operator's calls, authorised by the admin token (`serve --admin-token`), not by a user.
impl Client {
    async fn admin_call(
        &self,
        admin_token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, ClientError> {
        let body = body.map(RawBody::Json).unwrap_or(RawBody::Empty);
        self.call(method, path, Some(admin_token), body).await
    }

    /// `POST /admin/providers`: a pending provider and its owner's setup invitation
    /// (`setupUrl`, `token`, `mailed`).
    pub async fn admin_create_provider(
        &self,
        admin_token: &str,
        name: &str,
        owner_email: &str,
        business_name: Option<&str>,
        billing_email: Option<&str>,
    ) -> Result<Value, ClientError> {
        let body = json!({
            "name": name,
            "ownerEmail": owner_email,
            "businessName": business_name,
            "billingEmail": billing_email,
        });
        self.admin_call(admin_token, Method::POST, "/admin/providers", Some(body))
            .await
    }

    /// `GET /admin/providers`.
    pub async fn admin_providers(&self, admin_token: &str) -> Result<Vec<Value>, ClientError> {
        let v = self
            .admin_call(admin_token, Method::GET, "/admin/providers", None)
            .await?;
        Ok(list_data(v))
    }

    /// `POST /admin/providers/{id}/disable`: no member reaches the provider or its clients
    /// through it until it is enabled again.
    pub async fn admin_disable_provider(
        &self,
        admin_token: &str,
        provider_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("/admin/providers/{provider_id}/disable");
        self.admin_call(admin_token, Method::POST, &path, None)
            .await
    }

    /// `POST /admin/providers/{id}/enable`.
    pub async fn admin_enable_provider(
        &self,
        admin_token: &str,
        provider_id: &str,
    ) -> Result<Value, ClientError> {
        let path = format!("/admin/providers/{provider_id}/enable");
        self.admin_call(admin_token, Method::POST, &path, None)
            .await
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
        assert_eq!(
            (
                &body["name"],
                &body["planType"],
                &body["seats"],
                &body["ownerEmail"]
            ),
            (
                &json!("Acme"),
                &json!(17),
                &json!(5),
                &json!("it@acme.example")
            )
        );
        assert!(
            !body.to_string().contains("Servers"),
            "no clear collection name"
        );
    }

    #[test]
    fn member_roles_and_event_filters_take_their_wire_forms() {
        assert_eq!(
            MemberRole::Custom("r1".into()).fields(),
            json!({ "role": "custom", "roleId": "r1" })
        );
        assert_eq!(MemberRole::Technician.fields()["role"], "technician");
        let filter = ProviderEventFilter {
            member: Some("m1".into()),
            event_type: Some(1800),
            ..ProviderEventFilter::default()
        };
        assert_eq!(filter.query(false), "?member=m1&type=1800");
        assert_eq!(ProviderEventFilter::default().query(true), "?format=csv");
        assert_eq!(
            list_data(json!({ "data": [1, 2], "object": "list" })),
            vec![json!(1), json!(2)]
        );
        assert!(list_data(json!([1])).is_empty());
    }
}
