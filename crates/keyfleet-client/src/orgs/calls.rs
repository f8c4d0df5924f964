//! The organization calls that need an access token but no vault key ([`OrgCalls`]): one typed
//! method per server call, taking and answering the `keyfleet-api` wire types.

use crate::authed::{send, Bearer, NO_BODY};
use crate::{query_string, ClientError};
use keyfleet_api::accounts::{SecretVerificationRequest, UserKeyResponse};
use keyfleet_api::kinds::PolicyType;
use keyfleet_api::org_responses::{
    ApiKeyResponse, CollectionAccessDetailsResponse, CollectionResponse, EventResponse,
    GroupDetailsResponse, OrganizationPublicKeyResponse, OrganizationResponse,
    OrganizationUserDetailsResponse, OrganizationUserInviteResponse,
    OrganizationUserResetPasswordDetailsResponse, PolicyResponse, ProfileOrganizationResponse,
};
use keyfleet_api::orgs::{
    CollectionRequest, GroupRequest, OrganizationCreateRequest, OrganizationSeatRequest,
    OrganizationUserAcceptRequest, OrganizationUserConfirmRequest, OrganizationUserInviteRequest,
    OrganizationUserResetPasswordEnrollmentRequest, OrganizationUserResetPasswordRequest,
    OrganizationUserUpdateRequest, PolicyRequest,
};
use keyfleet_api::ListResponse;
use reqwest::Method;

fn org_path(org_id: &str) -> String {
    format!("/api/organizations/{org_id}")
}

/// Filters of the organization event log (all optional; the server's default range is the
/// last 30 days).
#[derive(Debug, Clone, Default)]
pub struct OrgEventFilter {
    /// From (ISO 8601).
    pub start: Option<String>,
    /// Until (ISO 8601).
    pub end: Option<String>,
    /// The next page of an earlier answer.
    pub continuation_token: Option<String>,
}

impl OrgEventFilter {
    fn query(&self) -> String {
        query_string(&[
            ("start", self.start.as_deref()),
            ("end", self.end.as_deref()),
            ("continuationToken", self.continuation_token.as_deref()),
        ])
    }
}

/// The organization calls that need an access token but no vault key (the ones that encrypt,
/// such as creating an organization or confirming a member, are [`crate::Session`] methods).
// Callers await these where they are; none needs the futures to be `Send`.
#[allow(async_fn_in_trait)]
pub trait OrgCalls: Bearer {
    /// `GET /api/organizations`: the caller's confirmed memberships.
    async fn orgs(&self) -> Result<Vec<ProfileOrganizationResponse>, ClientError> {
        let l: ListResponse<_> = send(self, Method::GET, "/api/organizations", NO_BODY).await?;
        Ok(l.data)
    }

    /// `POST /api/organizations` (the body carries keys made by the caller).
    async fn post_org(
        &self,
        req: &OrganizationCreateRequest,
    ) -> Result<OrganizationResponse, ClientError> {
        send(self, Method::POST, "/api/organizations", Some(req)).await
    }

    /// `GET /api/organizations/{id}`.
    async fn org(&self, org_id: &str) -> Result<OrganizationResponse, ClientError> {
        send(self, Method::GET, &org_path(org_id), NO_BODY).await
    }

    /// `POST /api/organizations/{id}/subscription`: seats up or down by `delta`.
    async fn adjust_org_seats(
        &self,
        org_id: &str,
        delta: i32,
    ) -> Result<OrganizationResponse, ClientError> {
        let path = format!("{}/subscription", org_path(org_id));
        let body = OrganizationSeatRequest {
            seat_adjustment: delta,
        };
        send(self, Method::POST, &path, Some(&body)).await
    }

    /// `POST /api/organizations/{id}/api-key` (owners, master password re-check): the key,
    /// the first time only.
    async fn org_api_key(
        &self,
        org_id: &str,
        verification: &SecretVerificationRequest,
    ) -> Result<ApiKeyResponse, ClientError> {
        let path = format!("{}/api-key", org_path(org_id));
        send(self, Method::POST, &path, Some(verification)).await
    }

    /// `POST /api/organizations/{id}/rotate-api-key`: a new key; the old one stops working.
    async fn rotate_org_api_key(
        &self,
        org_id: &str,
        verification: &SecretVerificationRequest,
    ) -> Result<ApiKeyResponse, ClientError> {
        let path = format!("{}/rotate-api-key", org_path(org_id));
        send(self, Method::POST, &path, Some(verification)).await
    }

    /// `GET /api/organizations/{id}/users`.
    async fn org_members(
        &self,
        org_id: &str,
    ) -> Result<Vec<OrganizationUserDetailsResponse>, ClientError> {
        let path = format!("{}/users", org_path(org_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/organizations/{id}/users/{orgUserId}`.
    async fn org_member(
        &self,
        org_id: &str,
        member_id: &str,
    ) -> Result<OrganizationUserDetailsResponse, ClientError> {
        let path = format!("{}/users/{member_id}", org_path(org_id));
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `POST /api/organizations/{id}/users/invite`: the invitations (a link when not mailed).
    async fn invite_org_members(
        &self,
        org_id: &str,
        req: &OrganizationUserInviteRequest,
    ) -> Result<Vec<OrganizationUserInviteResponse>, ClientError> {
        let path = format!("{}/users/invite", org_path(org_id));
        let l: ListResponse<_> = send(self, Method::POST, &path, Some(req)).await?;
        Ok(l.data)
    }

    /// `POST /api/organizations/{id}/users/{orgUserId}/accept` with the link's token.
    async fn accept_org_invite(
        &self,
        org_id: &str,
        member_id: &str,
        token: &str,
    ) -> Result<(), ClientError> {
        self.accept_org_invite_with_key(org_id, member_id, token, None)
            .await
    }

    /// `POST …/users/{orgUserId}/accept` `{token, resetPasswordKey}`: the acceptance that enrols
    /// in account recovery (required when the org's policy enrols automatically).
    async fn accept_org_invite_with_key(
        &self,
        org_id: &str,
        member_id: &str,
        token: &str,
        reset_password_key: Option<&str>,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/accept", org_path(org_id));
        let body = OrganizationUserAcceptRequest {
            token: token.to_string(),
            reset_password_key: reset_password_key.map(str::to_string),
        };
        send(self, Method::POST, &path, Some(&body)).await
    }

    /// `GET /api/organizations/{id}/keys`: the org public key (any signed-in user; the name
    /// the official clients call).
    async fn org_public_key(
        &self,
        org_id: &str,
    ) -> Result<OrganizationPublicKeyResponse, ClientError> {
        let path = format!("{}/keys", org_path(org_id));
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `PUT …/users/{userId}/reset-password-enrollment` (the caller's USER id): enrol in account
    /// recovery, or withdraw with no key.
    async fn put_recovery_enrolment(
        &self,
        org_id: &str,
        user_id: &str,
        req: &OrganizationUserResetPasswordEnrollmentRequest,
    ) -> Result<(), ClientError> {
        let path = format!(
            "{}/users/{user_id}/reset-password-enrollment",
            org_path(org_id)
        );
        send(self, Method::PUT, &path, Some(req)).await
    }

    /// `GET …/users/{orgUserId}/reset-password-details`.
    async fn recovery_details(
        &self,
        org_id: &str,
        member_id: &str,
    ) -> Result<OrganizationUserResetPasswordDetailsResponse, ClientError> {
        let path = format!(
            "{}/users/{member_id}/reset-password-details",
            org_path(org_id)
        );
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `POST …/users/account-recovery-details` `{ids}`: the details of those of `member_ids`
    /// the caller may recover.
    async fn recovery_details_of_many(
        &self,
        org_id: &str,
        member_ids: &[&str],
    ) -> Result<Vec<OrganizationUserResetPasswordDetailsResponse>, ClientError> {
        let path = format!("{}/users/account-recovery-details", org_path(org_id));
        let body = keyfleet_api::orgs::OrganizationUserBulkRequest {
            ids: member_ids.iter().map(|s| s.to_string()).collect(),
        };
        let list: keyfleet_api::ListResponse<OrganizationUserResetPasswordDetailsResponse> =
            send(self, Method::POST, &path, Some(&body)).await?;
        Ok(list.data)
    }

    /// `PUT …/users/{orgUserId}/recover-account` (hash and key made by the caller's client).
    async fn put_recover_account(
        &self,
        org_id: &str,
        member_id: &str,
        req: &OrganizationUserResetPasswordRequest,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/recover-account", org_path(org_id));
        send(self, Method::PUT, &path, Some(req)).await
    }

    /// `POST /api/organizations/{id}/users/{orgUserId}/confirm` (the org key wrapped to the
    /// member's public key).
    async fn confirm_org_member(
        &self,
        org_id: &str,
        member_id: &str,
        req: &OrganizationUserConfirmRequest,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/confirm", org_path(org_id));
        send(self, Method::POST, &path, Some(req)).await
    }

    /// `PUT /api/organizations/{id}/users/{orgUserId}`: role, permissions, access, groups.
    async fn update_org_member(
        &self,
        org_id: &str,
        member_id: &str,
        req: &OrganizationUserUpdateRequest,
    ) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}", org_path(org_id));
        send(self, Method::PUT, &path, Some(req)).await
    }

    /// `PUT /api/organizations/{id}/users/{orgUserId}/revoke`.
    async fn revoke_org_member(&self, org_id: &str, member_id: &str) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/revoke", org_path(org_id));
        send(self, Method::PUT, &path, NO_BODY).await
    }

    /// `PUT /api/organizations/{id}/users/{orgUserId}/restore`.
    async fn restore_org_member(&self, org_id: &str, member_id: &str) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}/restore", org_path(org_id));
        send(self, Method::PUT, &path, NO_BODY).await
    }

    /// `DELETE /api/organizations/{id}/users/{orgUserId}`.
    async fn remove_org_member(&self, org_id: &str, member_id: &str) -> Result<(), ClientError> {
        let path = format!("{}/users/{member_id}", org_path(org_id));
        send(self, Method::DELETE, &path, NO_BODY).await
    }

    /// `GET /api/users/{userId}/public-key`.
    async fn user_public_key(&self, user_id: &str) -> Result<UserKeyResponse, ClientError> {
        let path = format!("/api/users/{user_id}/public-key");
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `GET /api/organizations/{id}/collections/details`: every collection with its access.
    async fn org_collection_details(
        &self,
        org_id: &str,
    ) -> Result<Vec<CollectionAccessDetailsResponse>, ClientError> {
        let path = format!("{}/collections/details", org_path(org_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `GET /api/organizations/{id}/collections/{cid}/details`.
    async fn org_collection_detail(
        &self,
        org_id: &str,
        collection_id: &str,
    ) -> Result<CollectionAccessDetailsResponse, ClientError> {
        let path = format!("{}/collections/{collection_id}/details", org_path(org_id));
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `POST /api/organizations/{id}/collections` (the name encrypted under the org key).
    async fn post_org_collection(
        &self,
        org_id: &str,
        req: &CollectionRequest,
    ) -> Result<CollectionAccessDetailsResponse, ClientError> {
        let path = format!("{}/collections", org_path(org_id));
        send(self, Method::POST, &path, Some(req)).await
    }

    /// `PUT /api/organizations/{id}/collections/{cid}`: name and access replaced. The server
    /// answers the access details, or only the collection when the caller's own access went.
    async fn update_org_collection(
        &self,
        org_id: &str,
        collection_id: &str,
        req: &CollectionRequest,
    ) -> Result<CollectionResponse, ClientError> {
        let path = format!("{}/collections/{collection_id}", org_path(org_id));
        send(self, Method::PUT, &path, Some(req)).await
    }

    /// `DELETE /api/organizations/{id}/collections/{cid}`.
    async fn delete_org_collection(
        &self,
        org_id: &str,
        collection_id: &str,
    ) -> Result<(), ClientError> {
        let path = format!("{}/collections/{collection_id}", org_path(org_id));
        send(self, Method::DELETE, &path, NO_BODY).await
    }

    /// `GET /api/organizations/{id}/groups/details`.
    async fn org_group_details(
        &self,
        org_id: &str,
    ) -> Result<Vec<GroupDetailsResponse>, ClientError> {
        let path = format!("{}/groups/details", org_path(org_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `POST /api/organizations/{id}/groups`.
    async fn create_org_group(
        &self,
        org_id: &str,
        req: &GroupRequest,
    ) -> Result<GroupDetailsResponse, ClientError> {
        let path = format!("{}/groups", org_path(org_id));
        send(self, Method::POST, &path, Some(req)).await
    }

    /// `DELETE /api/organizations/{id}/groups/{gid}`.
    async fn delete_org_group(&self, org_id: &str, group_id: &str) -> Result<(), ClientError> {
        let path = format!("{}/groups/{group_id}", org_path(org_id));
        send(self, Method::DELETE, &path, NO_BODY).await
    }

    /// `GET /api/organizations/{id}/policies`: the policies ever set.
    async fn org_policies(&self, org_id: &str) -> Result<Vec<PolicyResponse>, ClientError> {
        let path = format!("{}/policies", org_path(org_id));
        let l: ListResponse<_> = send(self, Method::GET, &path, NO_BODY).await?;
        Ok(l.data)
    }

    /// `PUT /api/organizations/{id}/policies/{type}` (sent in the current `SavePolicyRequest`
    /// shape).
    async fn save_org_policy(
        &self,
        org_id: &str,
        policy_type: PolicyType,
        req: &PolicyRequest,
    ) -> Result<PolicyResponse, ClientError> {
        let path = format!("{}/policies/{}", org_path(org_id), policy_type.code());
        send(self, Method::PUT, &path, Some(req)).await
    }

    /// `GET /api/organizations/{id}/events`: one page, newest first.
    async fn org_events(
        &self,
        org_id: &str,
        filter: &OrgEventFilter,
    ) -> Result<ListResponse<EventResponse>, ClientError> {
        let path = format!("{}/events{}", org_path(org_id), filter.query());
        send(self, Method::GET, &path, NO_BODY).await
    }

    /// `GET /api/organizations/{id}/users/{orgUserId}/events`: one page about one member.
    async fn org_member_events(
        &self,
        org_id: &str,
        member_id: &str,
        filter: &OrgEventFilter,
    ) -> Result<ListResponse<EventResponse>, ClientError> {
        let path = format!(
            "{}/users/{member_id}/events{}",
            org_path(org_id),
            filter.query()
        );
        send(self, Method::GET, &path, NO_BODY).await
    }
}

impl<T: Bearer + ?Sized> OrgCalls for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_event_filters_escape_iso_times() {
        assert_eq!(OrgEventFilter::default().query(), "");
        let f = OrgEventFilter {
            start: Some("2026-01-01T00:00:00+01:00".into()),
            continuation_token: Some("t".into()),
            ..OrgEventFilter::default()
        };
        assert_eq!(
            f.query(),
            "?start=2026-01-01T00%3A00%3A00%2B01%3A00&continuationToken=t"
        );
    }
}
