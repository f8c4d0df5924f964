//! `/api/organizations` and `/api/organizations/{id}/users`: organizations and their members.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::org_views as v;
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::Router;
use keyfleet_api::org_responses::{
    ApiKeyResponse, BulkMemberResponse, OrganizationKeysResponse, OrganizationPublicKeyResponse,
    OrganizationResponse, OrganizationUserDetailsResponse, OrganizationUserInviteResponse,
    OrganizationUserMiniDetailsResponse, OrganizationUserPublicKeyResponse,
};
use keyfleet_api::orgs::{
    OrganizationCreateRequest, OrganizationKeysRequest, OrganizationSeatRequest,
    OrganizationUpdateRequest, OrganizationUserAcceptRequest, OrganizationUserBulkConfirmRequest,
    OrganizationUserBulkRequest, OrganizationUserConfirmRequest, OrganizationUserInviteRequest,
    OrganizationUserUpdateRequest, SecretVerificationRequest,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::membership::BulkMemberAction;
use keyfleet_domain::orgs::{InviteOutcome, MemberChange};
use keyfleet_domain::{Caller, DomainError};
use serde_json::Value;

/// A handler's answer: the typed response as JSON, or the error envelope.
type Answer<T = Value> = Result<axum::Json<T>, ApiError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/organizations", get(list_orgs).post(create_org))
        .route(
            "/api/organizations/create-without-payment",
            post(create_org),
        )
        .route(
            "/api/organizations/{org}",
            get(get_org)
                .put(update_org)
                .post(update_org)
                .delete(delete_org),
        )
        .route("/api/organizations/{org}/delete", post(delete_org))
        .route("/api/organizations/{org}/leave", post(leave_org))
        .route("/api/organizations/{org}/subscription", post(adjust_seats))
        .route("/api/organizations/{org}/public-key", get(org_public_key))
        // `GET …/keys` is the older name of `…/public-key`: the official server answers only the
        // public key there since 2023.8, and the current clients read only that.
        .route(
            "/api/organizations/{org}/keys",
            get(org_public_key).post(set_org_keys),
        )
        .route("/api/organizations/{org}/api-key", post(org_api_key))
        .route(
            "/api/organizations/{org}/rotate-api-key",
            post(rotate_org_api_key),
        )
        .route(
            "/api/organizations/{org}/users",
            get(list_members).delete(remove_members),
        )
        .route(
            "/api/organizations/{org}/users/mini-details",
            get(list_members_mini),
        )
        .route(
            "/api/organizations/{org}/users/invite",
            post(invite_members),
        )
        .route(
            "/api/organizations/{org}/users/reinvite",
            post(reinvite_members),
        )
        .route(
            "/api/organizations/{org}/users/public-keys",
            post(member_public_keys),
        )
        .route(
            "/api/organizations/{org}/users/confirm",
            post(confirm_members),
        )
        .route("/api/organizations/{org}/users/revoke", put(revoke_members))
        .route(
            "/api/organizations/{org}/users/restore",
            put(restore_members),
        )
        .route(
            "/api/organizations/{org}/users/remove",
            post(remove_members),
        )
        .route(
            "/api/organizations/{org}/users/{id}",
            get(get_member)
                .put(update_member)
                .post(update_member)
                .delete(remove_member),
        )
        .route(
            "/api/organizations/{org}/users/{id}/remove",
            post(remove_member),
        )
        .route(
            "/api/organizations/{org}/users/{id}/reinvite",
            post(reinvite_member),
        )
        .route(
            "/api/organizations/{org}/users/{id}/accept",
            post(accept_invite),
        )
        .route(
            "/api/organizations/{org}/users/{id}/confirm",
            post(confirm_member),
        )
        .route(
            "/api/organizations/{org}/users/{id}/revoke",
            put(revoke_member),
        )
        .route(
            "/api/organizations/{org}/users/{id}/restore",
            put(restore_member),
        )
        .route(
            "/api/organizations/{org}/users/{id}/restore/vnext",
            put(restore_member),
        )
}

fn invites_json(invites: &[InviteOutcome]) -> ListResponse<OrganizationUserInviteResponse> {
    // With no mail server (or a refused message) the link goes to the inviting admin to pass
    // on; a mailed link is never shown to anyone but its recipient.
    v::list(
        invites
            .iter()
            .map(|i| {
                let (token, link) = match i.mailed {
                    true => (None, None),
                    false => (Some(i.token.as_str()), Some(i.link.as_str())),
                };
                OrganizationUserInviteResponse {
                    id: i.member.id.to_string(),
                    email: i.member.email.clone(),
                    mailed: i.mailed,
                    token: token.map(str::to_string),
                    invite_url: link.map(str::to_string),
                    object: "organizationUserInvite".into(),
                }
            })
            .collect(),
        None,
    )
}

/// Bitwarden's name for an org bulk answer.
const ORG_BULK: &str = "OrganizationBulkConfirmResponseModel";

/// A bulk member call's answer; a reinvite's link only when it was not mailed (as
/// [`invites_json`]).
async fn bulk_members(
    app: &AppState,
    caller: &Caller,
    org: &str,
    action: BulkMemberAction<'_>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    let outcomes = app
        .domain
        .bulk_org_members(caller, path_id(org)?, action)
        .await?;
    Ok(axum::Json(crate::routes::bulk_answer(
        outcomes,
        ORG_BULK,
        |answer, invite: InviteOutcome| {
            answer.mailed = Some(invite.mailed);
            if !invite.mailed {
                answer.invite_url = Some(invite.link);
                answer.token = Some(invite.token);
            }
        },
    )))
}

// ------------------------------------------------------------------ organizations

/// `GET /api/organizations`: the caller's organizations.
async fn list_orgs(
    State(app): State<AppState>,
    Authed(caller): Authed,
) -> Answer<ListResponse<keyfleet_api::org_responses::ProfileOrganizationResponse>> {
    let orgs = app.domain.my_orgs(&caller).await?;
    Ok(axum::Json(v::list(
        orgs.iter()
            .map(|(o, m)| v::profile_organization(o, m))
            .collect(),
        None,
    )))
}

/// `POST /api/organizations`: the caller becomes the owner.
async fn create_org(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Json(req): Json<OrganizationCreateRequest>,
) -> Answer<OrganizationResponse> {
    let (org, _) = app.domain.create_org(&caller, &req).await?;
    Ok(axum::Json(v::organization(&org)))
}

/// `GET /api/organizations/{org}`.
async fn get_org(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<OrganizationResponse> {
    let actor = app.domain.get_org(&caller, path_id(&org)?).await?;
    Ok(axum::Json(v::organization(actor.org())))
}

/// `PUT /api/organizations/{org}`.
async fn update_org(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUpdateRequest>,
) -> Answer<OrganizationResponse> {
    let org = app.domain.update_org(&caller, path_id(&org)?, &req).await?;
    Ok(axum::Json(v::organization(&org)))
}

/// `POST /api/organizations/{org}/subscription` `{seatAdjustment}`.
async fn adjust_seats(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationSeatRequest>,
) -> Answer<OrganizationResponse> {
    let org = app
        .domain
        .adjust_seats(&caller, path_id(&org)?, req.seat_adjustment)
        .await?;
    Ok(axum::Json(v::organization(&org)))
}

/// `DELETE /api/organizations/{org}` `{masterPasswordHash}`.
async fn delete_org(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<SecretVerificationRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .delete_org(&caller, path_id(&org)?, req.master_password_hash.as_deref())
        .await?)
}

/// `POST /api/organizations/{org}/leave`.
async fn leave_org(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Result<(), ApiError> {
    Ok(app.domain.leave_org(&caller, path_id(&org)?).await?)
}

/// `GET /api/organizations/{org}/public-key`.
async fn org_public_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<OrganizationPublicKeyResponse> {
    let public_key = app.domain.org_public_key(&caller, path_id(&org)?).await?;
    Ok(axum::Json(OrganizationPublicKeyResponse {
        public_key,
        object: "organizationPublicKey".into(),
    }))
}

/// `POST /api/organizations/{org}/keys`: an organization made without a key pair gets one (the
/// private half under the org key, made by the client); answers the pair.
async fn set_org_keys(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationKeysRequest>,
) -> Answer<OrganizationKeysResponse> {
    let org = app
        .domain
        .set_org_keys(&caller, path_id(&org)?, &req)
        .await?;
    Ok(axum::Json(OrganizationKeysResponse {
        public_key: org.public_key,
        private_key: org.private_key,
        object: "organizationKeys".into(),
    }))
}

async fn api_key_answer(
    app: &AppState,
    caller: &Caller,
    org: &str,
    body: SecretVerificationRequest,
    rotate: bool,
) -> Answer<ApiKeyResponse> {
    let (key, revision) = app
        .domain
        .org_api_key(
            caller,
            path_id(org)?,
            body.master_password_hash.as_deref(),
            rotate,
        )
        .await?;
    Ok(axum::Json(ApiKeyResponse {
        api_key: key,
        revision_date: revision.to_iso(),
        object: "apiKey".into(),
    }))
}

/// `POST /api/organizations/{org}/api-key` `{masterPasswordHash}` (owners only).
async fn org_api_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(body): Json<SecretVerificationRequest>,
) -> Answer<ApiKeyResponse> {
    api_key_answer(&app, &caller, &org, body, false).await
}

/// `POST /api/organizations/{org}/rotate-api-key` (owners only).
async fn rotate_org_api_key(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(body): Json<SecretVerificationRequest>,
) -> Answer<ApiKeyResponse> {
    api_key_answer(&app, &caller, &org, body, true).await
}

// ------------------------------------------------------------------ members

/// `GET /api/organizations/{org}/users` (`bw list org-members`).
async fn list_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<OrganizationUserDetailsResponse>> {
    let members = app
        .domain
        .org_members(&caller, path_id(&org)?, None)
        .await?;
    Ok(axum::Json(v::list(
        members
            .iter()
            .map(|d| v::member(d, "organizationUserUserDetails"))
            .collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/users/mini-details`.
async fn list_members_mini(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
) -> Answer<ListResponse<OrganizationUserMiniDetailsResponse>> {
    let members = app
        .domain
        .org_members(&caller, path_id(&org)?, None)
        .await?;
    Ok(axum::Json(v::list(
        members.iter().map(v::member_mini).collect(),
        None,
    )))
}

/// `GET /api/organizations/{org}/users/{id}`.
async fn get_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Answer<OrganizationUserDetailsResponse> {
    let members = app
        .domain
        .org_members(&caller, path_id(&org)?, Some(path_id(&id)?))
        .await?;
    let member = members.first().ok_or(ApiError(DomainError::NotFound))?;
    Ok(axum::Json(v::member(member, "organizationUserDetails")))
}

/// `POST /api/organizations/{org}/users/invite`.
async fn invite_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserInviteRequest>,
) -> Answer<ListResponse<OrganizationUserInviteResponse>> {
    let invites = app
        .domain
        .invite_members(&caller, path_id(&org)?, &req)
        .await?;
    Ok(axum::Json(invites_json(&invites)))
}

/// `POST /api/organizations/{org}/users/reinvite` `{ids}`.
async fn reinvite_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    bulk_members(&app, &caller, &org, BulkMemberAction::Reinvite(&req.ids)).await
}

/// `POST /api/organizations/{org}/users/{id}/reinvite`.
async fn reinvite_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Answer<ListResponse<OrganizationUserInviteResponse>> {
    let invite = app
        .domain
        .reinvite_member(&caller, path_id(&org)?, path_id(&id)?)
        .await?;
    Ok(axum::Json(invites_json(&[invite])))
}

/// `POST /api/organizations/{org}/users/{id}/accept` `{token}`.
async fn accept_invite(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<OrganizationUserAcceptRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .accept_invite(
            &caller,
            path_id(&org)?,
            path_id(&id)?,
            &req.token,
            req.reset_password_key.as_deref(),
        )
        .await?)
}

/// `POST /api/organizations/{org}/users/public-keys` `{ids}`.
async fn member_public_keys(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Answer<ListResponse<OrganizationUserPublicKeyResponse>> {
    let keys = app
        .domain
        .org_member_public_keys(&caller, path_id(&org)?, &req.ids)
        .await?;
    Ok(axum::Json(v::list(
        keys.into_iter()
            .map(|(id, user_id, key)| OrganizationUserPublicKeyResponse {
                id: id.to_string(),
                user_id: user_id.to_string(),
                key,
                object: "organizationUserPublicKeyResponseModel".into(),
            })
            .collect(),
        None,
    )))
}

/// `POST /api/organizations/{org}/users/{id}/confirm` `{key}` (`bw confirm org-member`).
async fn confirm_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<OrganizationUserConfirmRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .confirm_member(&caller, path_id(&org)?, path_id(&id)?, &req.key)
        .await?)
}

/// `POST /api/organizations/{org}/users/confirm` `{keys:[{id,key}]}`.
async fn confirm_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkConfirmRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    let keys: Vec<(String, String)> = req.keys.into_iter().map(|k| (k.id, k.key)).collect();
    bulk_members(&app, &caller, &org, BulkMemberAction::Confirm(&keys)).await
}

/// `PUT /api/organizations/{org}/users/{id}`: role, permissions, access.
async fn update_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
    Json(req): Json<OrganizationUserUpdateRequest>,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .update_member(&caller, path_id(&org)?, path_id(&id)?, &req)
        .await?)
}

/// `PUT /api/organizations/{org}/users/{id}/revoke`.
async fn revoke_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<(), ApiError> {
    change_member(&app, &caller, &org, &id, MemberChange::Revoke).await
}

/// `PUT /api/organizations/{org}/users/{id}/restore`.
async fn restore_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<(), ApiError> {
    change_member(&app, &caller, &org, &id, MemberChange::Restore).await
}

/// `DELETE /api/organizations/{org}/users/{id}`.
async fn remove_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((org, id)): Path<(String, String)>,
) -> Result<(), ApiError> {
    change_member(&app, &caller, &org, &id, MemberChange::Remove).await
}

async fn change_member(
    app: &AppState,
    caller: &Caller,
    org: &str,
    id: &str,
    change: MemberChange,
) -> Result<(), ApiError> {
    Ok(app
        .domain
        .change_member(caller, path_id(org)?, path_id(id)?, change)
        .await?)
}

/// `PUT /api/organizations/{org}/users/revoke` `{ids}`.
async fn revoke_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    bulk_members(&app, &caller, &org, BulkMemberAction::Revoke(&req.ids)).await
}

/// `PUT /api/organizations/{org}/users/restore` `{ids}`.
async fn restore_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    bulk_members(&app, &caller, &org, BulkMemberAction::Restore(&req.ids)).await
}

/// `DELETE /api/organizations/{org}/users` `{ids}`.
async fn remove_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(org): Path<String>,
    Json(req): Json<OrganizationUserBulkRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    bulk_members(&app, &caller, &org, BulkMemberAction::Remove(&req.ids)).await
}
