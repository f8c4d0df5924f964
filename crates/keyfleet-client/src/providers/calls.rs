//! The provider calls that need an access token but no vault key ([`ProviderCalls`]).

use super::{provider_path, ClientEdit, MemberRole, ProviderEventFilter, RoleScope};
use crate::authed::{send, send_text, Bearer, NO_BODY};
use crate::{AccountCalls, ClientError};
use keyfleet_api::kinds::Permission;
use keyfleet_api::org_responses::{BulkMemberResponse, ProviderEventResponse};
use keyfleet_api::provider_requests::{
    ProviderClientLaunchRequest, ProviderClientMembersRequest, ProviderClientUpdateRequest,
    ProviderRoleChoice, ProviderRoleCloneRequest, ProviderRoleRequest,
    ProviderTransferOwnershipRequest, ProviderUpdateRequest, ProviderUserAcceptRequest,
    ProviderUserBulkRequest, ProviderUserClientsRequest, ProviderUserInviteRequest,
    ProviderUserUpdateRequest,
};
use keyfleet_api::provider_responses::{
    AddableOrganizationResponse, ProfileProviderResponse, ProviderClientLaunchResponse,
    ProviderClientResponse, ProviderClientUsageResponse, ProviderInviteResponse,
    ProviderMemberResponse, ProviderResponse, ProviderRoleResponse, ProviderUserPublicKeyResponse,
};
use keyfleet_api::ListResponse;
use keyfleet_crypto::PublicKey;
use reqwest::Method;

/// The provider calls that need an access token but no vault key.
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait ProviderCalls: Bearer {
    /// The caller's provider memberships from sync (`profile.providers`): confirmed, active
    /// memberships of enabled providers, while two-step login is on.
    async fn my_providers(&self) -> Result<Vec<ProfileProviderResponse>, ClientError> {
        Ok(self.profile().await?.providers)
    }

    /// `GET /providers/{pid}`.
    async fn provider(&self, provider_id: &str) -> Result<ProviderResponse, ClientError> {
        send(self, Method::GET, &provider_path(provider_id), NO_BODY).await
    }

    /// `PUT /providers/{pid}` (owner, admin): every field as given (absent ones clear, except
    /// `launchRequiresPassword`, which absent keeps its value).
    async fn update_provider(
        &self,
        provider_id: &str,
        body: &ProviderUpdateRequest,
    ) -> Result<ProviderResponse, ClientError> {
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
        send(
            self,
            Method::POST,
            &path,
            Some(&ProviderUserAcceptRequest {
                token: token.into(),
            }),
        )
        .await
    }

    /// `GET /providers/{pid}/users`.
    async fn provider_members(
        &self,
        provider_id: &str,
    ) -> Result<Vec<ProviderMemberResponse>, ClientError> {
        let path = format!("{}/users", provider_path(provider_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /providers/{pid}/users/{puid}`.
    async fn provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<ProviderMemberResponse, ClientError> {
        let path = format!("{}/users/{member_id}", provider_path(provider_id));
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `POST /providers/{pid}/users/invite`: the invitations, with their links.
    async fn invite_provider_members(
        &self,
        provider_id: &str,
        emails: &[String],
        role: &MemberRole,
        client_ids: &[String],
    ) -> Result<Vec<ProviderInviteResponse>, ClientError> {
        let (role, role_id) = role.fields();
        let body = ProviderUserInviteRequest {
            emails: emails.to_vec(),
            role: ProviderRoleChoice {
                member_type: None,
                role: Some(role.into()),
                role_id: role_id.map(Into::into),
            },
            client_ids: client_ids.to_vec(),
        };
        let path = format!("{}/users/invite", provider_path(provider_id));
        let l: ListResponse<_> = send(self, Method::POST, &path, Some(&body)).await?;
        Ok(l.data)
    }

    /// `POST /providers/{pid}/users/{puid}/reinvite`: a new link; older ones stop working.
    async fn reinvite_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<ProviderInviteResponse, ClientError> {
        let path = format!("{}/users/{member_id}/reinvite", provider_path(provider_id));
        send(self, Method::POST, &path, NO_BODY).await
    }

    /// `POST /providers/{pid}/users/reinvite`: `{id, error, …}` per member.
    async fn reinvite_provider_members(
        &self,
        provider_id: &str,
        member_ids: &[String],
    ) -> Result<Vec<BulkMemberResponse>, ClientError> {
        let path = format!("{}/users/reinvite", provider_path(provider_id));
        let body = ProviderUserBulkRequest {
            ids: member_ids.to_vec(),
        };
        let l: ListResponse<_> = send(self, Method::POST, &path, Some(&body)).await?;
        Ok(l.data)
    }

    /// `POST /providers/{pid}/users/public-keys`: accepted members' public keys.
    async fn provider_member_public_keys(
        &self,
        provider_id: &str,
        member_ids: &[String],
    ) -> Result<Vec<ProviderUserPublicKeyResponse>, ClientError> {
        let path = format!("{}/users/public-keys", provider_path(provider_id));
        let body = ProviderUserBulkRequest {
            ids: member_ids.to_vec(),
        };
        let l: ListResponse<_> = send(self, Method::POST, &path, Some(&body)).await?;
        Ok(l.data)
    }

    /// An accepted member's public key ([`ProviderCalls::provider_member_public_keys`]) and
    /// its account fingerprint phrase, to compare with the one the member's own app shows.
    async fn provider_member_public_key(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<(PublicKey, String), ClientError> {
        let keys = self
            .provider_member_public_keys(provider_id, &[member_id.to_string()])
            .await?;
        let entry = keys
            .iter()
            .find(|k| k.id.eq_ignore_ascii_case(member_id))
            .ok_or_else(|| {
                ClientError::Decode("no public key for that member (not accepted yet?)".into())
            })?;
        let public = PublicKey::from_spki_der_b64(entry.key.as_deref().unwrap_or(""))?;
        let fingerprint = public.fingerprint_phrase(&entry.user_id)?;
        Ok((public, fingerprint))
    }

    /// `PUT /providers/{pid}/users/{puid}`: a new role.
    async fn set_provider_member_role(
        &self,
        provider_id: &str,
        member_id: &str,
        role: &MemberRole,
    ) -> Result<ProviderMemberResponse, ClientError> {
        let path = format!("{}/users/{member_id}", provider_path(provider_id));
        let (role, role_id) = role.fields();
        let body = ProviderUserUpdateRequest {
            role: ProviderRoleChoice {
                member_type: None,
                role: Some(role.into()),
                role_id: role_id.map(Into::into),
            },
        };
        send(self, Method::PUT, &path, Some(&body)).await
    }

    /// `PUT /providers/{pid}/users/{puid}/clients`: replaces the member's assigned clients.
    async fn assign_member_clients(
        &self,
        provider_id: &str,
        member_id: &str,
        client_ids: &[String],
    ) -> Result<ProviderMemberResponse, ClientError> {
        let path = format!("{}/users/{member_id}/clients", provider_path(provider_id));
        let body = ProviderUserClientsRequest {
            client_ids: client_ids.to_vec(),
        };
        send(self, Method::PUT, &path, Some(&body)).await
    }

    /// `POST /providers/{pid}/users/{puid}/suspend`: access ends with the next request.
    async fn suspend_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<ProviderMemberResponse, ClientError> {
        let path = format!("{}/users/{member_id}/suspend", provider_path(provider_id));
        send(self, Method::POST, &path, NO_BODY).await
    }

    /// `POST /providers/{pid}/users/{puid}/restore`.
    async fn restore_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<ProviderMemberResponse, ClientError> {
        let path = format!("{}/users/{member_id}/restore", provider_path(provider_id));
        send(self, Method::POST, &path, NO_BODY).await
    }

    /// `DELETE /providers/{pid}/users/{puid}`: the membership and its wrapped key are gone.
    async fn delete_provider_member(
        &self,
        provider_id: &str,
        member_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}", provider_path(provider_id));
        send(self, Method::DELETE, &path, NO_BODY).await
    }

    /// `DELETE /providers/{pid}/users`: `{id, error}` per member.
    async fn delete_provider_members(
        &self,
        provider_id: &str,
        member_ids: &[String],
    ) -> Result<Vec<BulkMemberResponse>, ClientError> {
        let path = format!("{}/users", provider_path(provider_id));
        let body = ProviderUserBulkRequest {
            ids: member_ids.to_vec(),
        };
        let l: ListResponse<_> = send(self, Method::DELETE, &path, Some(&body)).await?;
        Ok(l.data)
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
        let body = ProviderTransferOwnershipRequest {
            master_password_hash: Some(master_password_hash.into()),
        };
        send(self, Method::POST, &path, Some(&body)).await
    }

    /// `GET /providers/{pid}/roles`.
    async fn provider_roles(
        &self,
        provider_id: &str,
    ) -> Result<Vec<ProviderRoleResponse>, ClientError> {
        let path = format!("{}/roles", provider_path(provider_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `POST /providers/{pid}/roles`.
    async fn create_provider_role(
        &self,
        provider_id: &str,
        name: &str,
        permissions: &[Permission],
        scope: RoleScope,
    ) -> Result<ProviderRoleResponse, ClientError> {
        let path = format!("{}/roles", provider_path(provider_id));
        let body = ProviderRoleRequest {
            name: name.into(),
            permissions: permissions.iter().map(|p| p.name().to_string()).collect(),
            scope: Some(scope.name().into()),
        };
        send(self, Method::POST, &path, Some(&body)).await
    }

    /// `PUT /providers/{pid}/roles/{rid}`: replaces name, permissions and scope.
    async fn update_provider_role(
        &self,
        provider_id: &str,
        role_id: &str,
        name: &str,
        permissions: &[Permission],
        scope: RoleScope,
    ) -> Result<ProviderRoleResponse, ClientError> {
        let path = format!("{}/roles/{role_id}", provider_path(provider_id));
        let body = ProviderRoleRequest {
            name: name.into(),
            permissions: permissions.iter().map(|p| p.name().to_string()).collect(),
            scope: Some(scope.name().into()),
        };
        send(self, Method::PUT, &path, Some(&body)).await
    }

    /// `POST /providers/{pid}/roles/{rid}/clone`.
    async fn clone_provider_role(
        &self,
        provider_id: &str,
        role_id: &str,
        name: &str,
    ) -> Result<ProviderRoleResponse, ClientError> {
        let path = format!("{}/roles/{role_id}/clone", provider_path(provider_id));
        send(
            self,
            Method::POST,
            &path,
            Some(&ProviderRoleCloneRequest { name: name.into() }),
        )
        .await
    }

    /// `DELETE /providers/{pid}/roles/{rid}` (refused while members hold it).
    async fn delete_provider_role(
        &self,
        provider_id: &str,
        role_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/roles/{role_id}", provider_path(provider_id));
        send(self, Method::DELETE, &path, NO_BODY).await
    }

    /// `GET /providers/{pid}/organizations`: the clients in the caller's scope.
    async fn provider_clients(
        &self,
        provider_id: &str,
    ) -> Result<Vec<ProviderClientResponse>, ClientError> {
        let path = format!("{}/organizations", provider_path(provider_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /providers/{pid}/clients/addable`: organizations the caller owns that no provider
    /// manages.
    async fn addable_orgs(
        &self,
        provider_id: &str,
    ) -> Result<Vec<AddableOrganizationResponse>, ClientError> {
        let path = format!("{}/clients/addable", provider_path(provider_id));
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `PUT /providers/{pid}/clients/{poid}`.
    async fn edit_provider_client(
        &self,
        provider_id: &str,
        client_id: &str,
        edit: &ClientEdit,
    ) -> Result<ProviderClientResponse, ClientError> {
        let path = format!("{}/clients/{client_id}", provider_path(provider_id));
        let body = ProviderClientUpdateRequest {
            name: edit.name.clone(),
            website: edit.website.clone(),
            region: edit.region.clone(),
            notes: edit.notes.clone(),
            seats: edit.seats,
        };
        send(self, Method::PUT, &path, Some(&body)).await
    }

    /// `PUT /providers/{pid}/clients/{poid}/members`: replaces who manages the client.
    async fn assign_client_members(
        &self,
        provider_id: &str,
        client_id: &str,
        member_ids: &[String],
    ) -> Result<ProviderClientResponse, ClientError> {
        let path = format!("{}/clients/{client_id}/members", provider_path(provider_id));
        let body = ProviderClientMembersRequest {
            member_ids: member_ids.to_vec(),
        };
        send(self, Method::PUT, &path, Some(&body)).await
    }

    /// `DELETE /providers/{pid}/organizations/{poid}`: the link and its wrapped key go; the
    /// org key is not rotated (its owners may do so).
    async fn unlink_provider_client(
        &self,
        provider_id: &str,
        client_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/organizations/{client_id}", provider_path(provider_id));
        send(self, Method::DELETE, &path, NO_BODY).await
    }

    /// `POST /providers/{pid}/clients/{poid}/launch` (logged in the provider's and the
    /// client's event logs), with the caller's master password hash as the step-up when given:
    /// the key still wrapped with the provider key ([`crate::Session::launch_into_client`]
    /// unwraps it).
    async fn launch_client(
        &self,
        provider_id: &str,
        client_id: &str,
        master_password_hash: Option<&str>,
    ) -> Result<ProviderClientLaunchResponse, ClientError> {
        let path = format!("{}/clients/{client_id}/launch", provider_path(provider_id));
        match master_password_hash {
            Some(hash) => {
                let body = ProviderClientLaunchRequest {
                    master_password_hash: Some(hash.to_string()),
                };
                send(self, Method::POST, &path, Some(&body)).await
            }
            None => send(self, Method::POST, &path, NO_BODY).await,
        }
    }

    /// `GET /providers/{pid}/events`: one page.
    async fn provider_events(
        &self,
        provider_id: &str,
        filter: &ProviderEventFilter,
    ) -> Result<ListResponse<ProviderEventResponse>, ClientError> {
        let path = format!(
            "{}/events{}",
            provider_path(provider_id),
            filter.query(false)
        );
        send(self, Method::GET, &path, NO_BODY).await
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

    /// `GET /providers/{pid}/users/{puid}/events`: one page.
    async fn provider_member_events(
        &self,
        provider_id: &str,
        member_id: &str,
        filter: &ProviderEventFilter,
    ) -> Result<ListResponse<ProviderEventResponse>, ClientError> {
        let path = format!(
            "{}/users/{member_id}/events{}",
            provider_path(provider_id),
            filter.query(false)
        );
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `GET /providers/{pid}/reports/usage`: one row per client.
    async fn provider_usage(
        &self,
        provider_id: &str,
    ) -> Result<Vec<ProviderClientUsageResponse>, ClientError> {
        let path = format!("{}/reports/usage", provider_path(provider_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// The usage report as CSV text, with its `TOTAL` row.
    async fn provider_usage_csv(&self, provider_id: &str) -> Result<String, ClientError> {
        let path = format!("{}/reports/usage?format=csv", provider_path(provider_id));
        send_text(self, &path).await
    }
}

impl<T: Bearer + ?Sized> ProviderCalls for T {}
