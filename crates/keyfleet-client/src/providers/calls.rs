//! The provider calls that need an access token but no vault key ([`ProviderCalls`]).

use super::{list_data, provider_path, ClientEdit, MemberRole, ProviderEventFilter, RoleScope};
use crate::{Client, ClientError, RawBody, Session};
use keyfleet_crypto::PublicKey;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

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
