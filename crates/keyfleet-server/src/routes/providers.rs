//! `/api/providers/{provider}/…`: the provider (MSP) layer — the provider, its members, custom
//! roles, client companies, launching into a client, events and the usage report
//! (docs/provider-api.md). Bitwarden's paths where they exist, Keyfleet's additions beside them.

use crate::error::ApiError;
use crate::extract::{Authed, Json};
use crate::org_views::list;
use crate::provider_views as pv;
use crate::routes::path_id;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use keyfleet_api::org_responses::BulkMemberResponse;
use keyfleet_api::provider_requests::{
    ProviderClientCreateRequest, ProviderClientLaunchRequest, ProviderClientLinkRequest,
    ProviderClientMembersRequest, ProviderClientUpdateRequest, ProviderEventsQuery,
    ProviderRoleCloneRequest, ProviderRoleRequest, ProviderSetupRequest,
    ProviderTransferOwnershipRequest, ProviderUpdateRequest, ProviderUserAcceptRequest,
    ProviderUserBulkConfirmRequest, ProviderUserBulkRequest, ProviderUserClientsRequest,
    ProviderUserConfirmRequest, ProviderUserInviteRequest, ProviderUserUpdateRequest,
    ReportFormatQuery,
};
use keyfleet_api::provider_responses::{
    AddableOrganizationResponse, ProviderClientCreatedResponse, ProviderClientLaunchResponse,
    ProviderClientResponse, ProviderInviteResponse, ProviderMemberNameResponse,
    ProviderMemberResponse, ProviderResponse, ProviderRoleResponse, ProviderUserPublicKeyResponse,
};
use keyfleet_api::ListResponse;
use keyfleet_domain::membership::BulkMemberAction;
use keyfleet_domain::providers::{ProviderEventFilter, ProviderInvite};
use keyfleet_domain::DomainError;
use serde_json::Value;

/// A handler's answer: the typed response as JSON, or the error envelope.
type Answer<T = Value> = Result<axum::Json<T>, ApiError>;

crate::routes::route_table! {
    get "/api/providers/{provider}" => get_provider,
    put "/api/providers/{provider}" => update_provider,
    post "/api/providers/{provider}" => update_provider,
    post "/api/providers/{provider}/setup" => setup_provider,
    // members
    get "/api/providers/{provider}/users" => list_members,
    get "/api/providers/{provider}/users/names" => member_names,
    delete "/api/providers/{provider}/users" => delete_members,
    post "/api/providers/{provider}/users/invite" => invite_members,
    post "/api/providers/{provider}/users/reinvite" => reinvite_members,
    post "/api/providers/{provider}/users/public-keys" => member_public_keys,
    post "/api/providers/{provider}/users/confirm" => confirm_members,
    post "/api/providers/{provider}/users/delete" => delete_members,
    get "/api/providers/{provider}/users/{member}" => get_member,
    put "/api/providers/{provider}/users/{member}" => update_member,
    post "/api/providers/{provider}/users/{member}" => update_member,
    delete "/api/providers/{provider}/users/{member}" => delete_member,
    post "/api/providers/{provider}/users/{member}/delete" => delete_member,
    post "/api/providers/{provider}/users/{member}/reinvite" => reinvite_member,
    post "/api/providers/{provider}/users/{member}/accept" => accept_invite,
    post "/api/providers/{provider}/users/{member}/confirm" => confirm_member,
    put "/api/providers/{provider}/users/{member}/clients" => assign_member_clients,
    post "/api/providers/{provider}/users/{member}/suspend" => suspend_member,
    post "/api/providers/{provider}/users/{member}/restore" => restore_member,
    post "/api/providers/{provider}/users/{member}/transfer-ownership" => transfer_ownership,
    get "/api/providers/{provider}/users/{member}/events" => member_events,
    // custom roles
    get "/api/providers/{provider}/roles" => list_roles,
    post "/api/providers/{provider}/roles" => create_role,
    put "/api/providers/{provider}/roles/{role}" => update_role,
    delete "/api/providers/{provider}/roles/{role}" => delete_role,
    post "/api/providers/{provider}/roles/{role}/clone" => clone_role,
    // clients
    get "/api/providers/{provider}/organizations" => list_clients,
    post "/api/providers/{provider}/organizations" => create_client,
    post "/api/providers/{provider}/organizations/add" => link_client,
    delete "/api/providers/{provider}/organizations/{client}" => unlink_client,
    post "/api/providers/{provider}/organizations/{client}/delete" => unlink_client,
    get "/api/providers/{provider}/clients" => list_clients,
    post "/api/providers/{provider}/clients" => create_client,
    get "/api/providers/{provider}/clients/addable" => addable_orgs,
    post "/api/providers/{provider}/clients/existing" => link_client,
    get "/api/providers/{provider}/clients/{client}" => get_client,
    put "/api/providers/{provider}/clients/{client}" => edit_client,
    delete "/api/providers/{provider}/clients/{client}" => unlink_client,
    put "/api/providers/{provider}/clients/{client}/members" => assign_client_members,
    post "/api/providers/{provider}/clients/{client}/launch" => launch_client,
    // reports
    get "/api/providers/{provider}/events" => provider_events,
    get "/api/providers/{provider}/reports/usage" => usage_report,
}

/// Bitwarden's name for a provider bulk answer.
const PROVIDER_BULK: &str = "providerBulkConfirmResponseModel";

/// A bulk member call's answer; a reinvite's link always (as [`pv::invite`]).
async fn bulk_members(
    app: &AppState,
    caller: &keyfleet_domain::Caller,
    provider: &str,
    action: BulkMemberAction<'_>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    let outcomes = app
        .domain
        .bulk_provider_members(caller, path_id(provider)?, action)
        .await?;
    Ok(axum::Json(crate::routes::bulk_answer(
        outcomes,
        PROVIDER_BULK,
        |answer, invite: ProviderInvite| {
            let i = pv::invite(&invite);
            answer.email = i.email;
            answer.mailed = Some(i.mailed);
            answer.token = Some(i.token);
            answer.invite_url = Some(i.invite_url);
        },
    )))
}

// ------------------------------------------------------------------ the provider

async fn get_provider(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
) -> Answer<ProviderResponse> {
    let actor = app
        .domain
        .get_provider(&caller, path_id(&provider)?)
        .await?;
    Ok(axum::Json(pv::provider(actor.provider())))
}

async fn update_provider(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderUpdateRequest>,
) -> Answer<ProviderResponse> {
    let p = app
        .domain
        .update_provider(&caller, path_id(&provider)?, &req)
        .await?;
    Ok(axum::Json(pv::provider(&p)))
}

async fn setup_provider(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderSetupRequest>,
) -> Answer<ProviderResponse> {
    let p = app
        .domain
        .setup_provider(&caller, path_id(&provider)?, &req)
        .await?;
    Ok(axum::Json(pv::provider(&p)))
}

// ------------------------------------------------------------------ members

async fn list_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
) -> Answer<ListResponse<ProviderMemberResponse>> {
    let members = app
        .domain
        .provider_members(&caller, path_id(&provider)?, None)
        .await?;
    Ok(axum::Json(list(
        members.iter().map(pv::member).collect(),
        None,
    )))
}

/// Names of every member, for whoever sees clients or events ("Managed by", event filters).
async fn member_names(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
) -> Answer<ListResponse<ProviderMemberNameResponse>> {
    let members = app
        .domain
        .provider_member_names(&caller, path_id(&provider)?)
        .await?;
    Ok(axum::Json(list(
        members.iter().map(pv::member_name).collect(),
        None,
    )))
}

async fn get_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
) -> Answer<ProviderMemberResponse> {
    let mut members = app
        .domain
        .provider_members(&caller, path_id(&provider)?, Some(path_id(&member)?))
        .await?;
    let m = members.pop().ok_or(DomainError::NotFound)?;
    Ok(axum::Json(pv::member(&m)))
}

async fn invite_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderUserInviteRequest>,
) -> Answer<ListResponse<ProviderInviteResponse>> {
    let invites = app
        .domain
        .invite_provider_members(&caller, path_id(&provider)?, &req)
        .await?;
    Ok(axum::Json(list(
        invites.iter().map(pv::invite).collect(),
        None,
    )))
}

async fn reinvite_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderUserBulkRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    bulk_members(
        &app,
        &caller,
        &provider,
        BulkMemberAction::Reinvite(&req.ids),
    )
    .await
}

async fn reinvite_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
) -> Answer<ProviderInviteResponse> {
    let i = app
        .domain
        .reinvite_provider_member(&caller, path_id(&provider)?, path_id(&member)?)
        .await?;
    Ok(axum::Json(pv::invite(&i)))
}

async fn accept_invite(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
    Json(req): Json<ProviderUserAcceptRequest>,
) -> Result<(), ApiError> {
    app.domain
        .accept_provider_invite(&caller, path_id(&provider)?, path_id(&member)?, &req.token)
        .await?;
    Ok(())
}

async fn member_public_keys(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderUserBulkRequest>,
) -> Answer<ListResponse<ProviderUserPublicKeyResponse>> {
    let keys = app
        .domain
        .provider_member_public_keys(&caller, path_id(&provider)?, &req.ids)
        .await?;
    Ok(axum::Json(list(
        keys.iter()
            .map(|(id, user, key)| ProviderUserPublicKeyResponse {
                id: id.to_string(),
                user_id: user.to_string(),
                key: key.clone(),
                object: "providerUserPublicKeyResponseModel".into(),
            })
            .collect(),
        None,
    )))
}

async fn confirm_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
    Json(req): Json<ProviderUserConfirmRequest>,
) -> Result<(), ApiError> {
    app.domain
        .confirm_provider_member(&caller, path_id(&provider)?, path_id(&member)?, &req.key)
        .await?;
    Ok(())
}

async fn confirm_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderUserBulkConfirmRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    let keys: Vec<(String, String)> = req.keys.into_iter().map(|k| (k.id, k.key)).collect();
    bulk_members(&app, &caller, &provider, BulkMemberAction::Confirm(&keys)).await
}

async fn update_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
    Json(req): Json<ProviderUserUpdateRequest>,
) -> Answer<ProviderMemberResponse> {
    let (pid, mid) = (path_id(&provider)?, path_id(&member)?);
    app.domain
        .update_provider_member_role(&caller, pid, mid, &req.role)
        .await?;
    member_json(&app, &caller, pid, mid).await
}

async fn member_json(
    app: &AppState,
    caller: &keyfleet_domain::Caller,
    pid: keyfleet_domain::ids::ProviderId,
    mid: keyfleet_domain::ids::ProviderUserId,
) -> Answer<ProviderMemberResponse> {
    let m = app
        .domain
        .provider_members(caller, pid, Some(mid))
        .await?
        .pop()
        .ok_or(DomainError::NotFound)?;
    Ok(axum::Json(pv::member(&m)))
}

async fn assign_member_clients(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
    Json(req): Json<ProviderUserClientsRequest>,
) -> Answer<ProviderMemberResponse> {
    let (pid, mid) = (path_id(&provider)?, path_id(&member)?);
    app.domain
        .assign_member_clients(&caller, pid, mid, &req.client_ids)
        .await?;
    member_json(&app, &caller, pid, mid).await
}

async fn suspend_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
) -> Answer<ProviderMemberResponse> {
    let (pid, mid) = (path_id(&provider)?, path_id(&member)?);
    app.domain
        .set_provider_member_suspended(&caller, pid, mid, true)
        .await?;
    member_json(&app, &caller, pid, mid).await
}

async fn restore_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
) -> Answer<ProviderMemberResponse> {
    let (pid, mid) = (path_id(&provider)?, path_id(&member)?);
    app.domain
        .set_provider_member_suspended(&caller, pid, mid, false)
        .await?;
    member_json(&app, &caller, pid, mid).await
}

async fn delete_member(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
) -> Result<(), ApiError> {
    app.domain
        .delete_provider_member(&caller, path_id(&provider)?, path_id(&member)?)
        .await?;
    Ok(())
}

async fn delete_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderUserBulkRequest>,
) -> Answer<ListResponse<BulkMemberResponse>> {
    bulk_members(&app, &caller, &provider, BulkMemberAction::Remove(&req.ids)).await
}

async fn transfer_ownership(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
    Json(req): Json<ProviderTransferOwnershipRequest>,
) -> Result<(), ApiError> {
    app.domain
        .transfer_provider_ownership(
            &caller,
            path_id(&provider)?,
            path_id(&member)?,
            req.master_password_hash.as_deref(),
        )
        .await?;
    Ok(())
}

// ------------------------------------------------------------------ custom roles

async fn list_roles(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
) -> Answer<ListResponse<ProviderRoleResponse>> {
    let roles = app
        .domain
        .provider_roles(&caller, path_id(&provider)?)
        .await?;
    Ok(axum::Json(list(
        roles
            .iter()
            .map(|(r, n)| pv::provider_role(r, *n))
            .collect(),
        None,
    )))
}

async fn create_role(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderRoleRequest>,
) -> Answer<ProviderRoleResponse> {
    let r = app
        .domain
        .save_provider_role(
            &caller,
            path_id(&provider)?,
            None,
            &req.name,
            &req.permissions,
            req.scope.as_deref(),
        )
        .await?;
    Ok(axum::Json(pv::provider_role(&r, 0)))
}

async fn update_role(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, role)): Path<(String, String)>,
    Json(req): Json<ProviderRoleRequest>,
) -> Answer<ProviderRoleResponse> {
    let pid = path_id(&provider)?;
    let r = app
        .domain
        .save_provider_role(
            &caller,
            pid,
            Some(path_id(&role)?),
            &req.name,
            &req.permissions,
            req.scope.as_deref(),
        )
        .await?;
    let members = app
        .domain
        .provider_roles(&caller, pid)
        .await?
        .into_iter()
        .find(|(x, _)| x.id == r.id)
        .map_or(0, |(_, n)| n);
    Ok(axum::Json(pv::provider_role(&r, members)))
}

async fn clone_role(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, role)): Path<(String, String)>,
    Json(req): Json<ProviderRoleCloneRequest>,
) -> Answer<ProviderRoleResponse> {
    let r = app
        .domain
        .clone_provider_role(&caller, path_id(&provider)?, path_id(&role)?, &req.name)
        .await?;
    Ok(axum::Json(pv::provider_role(&r, 0)))
}

async fn delete_role(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, role)): Path<(String, String)>,
) -> Result<(), ApiError> {
    app.domain
        .delete_provider_role(&caller, path_id(&provider)?, path_id(&role)?)
        .await?;
    Ok(())
}

// ------------------------------------------------------------------ clients

async fn list_clients(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
) -> Answer<ListResponse<ProviderClientResponse>> {
    let clients = app
        .domain
        .provider_clients(&caller, path_id(&provider)?)
        .await?;
    Ok(axum::Json(list(
        clients.iter().map(pv::client).collect(),
        None,
    )))
}

async fn get_client(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, client)): Path<(String, String)>,
) -> Answer<ProviderClientResponse> {
    let c = app
        .domain
        .provider_client(&caller, path_id(&provider)?, path_id(&client)?)
        .await?;
    Ok(axum::Json(pv::client(&c)))
}

async fn create_client(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderClientCreateRequest>,
) -> Answer<ProviderClientCreatedResponse> {
    let created = app
        .domain
        .create_provider_client(&caller, path_id(&provider)?, &req)
        .await?;
    Ok(axum::Json(ProviderClientCreatedResponse {
        client: pv::client(&created.client),
        owner_invite: created.owner_invite.map(|i| ProviderInviteResponse {
            id: i.member.id.to_string(),
            email: i.member.email,
            mailed: i.mailed,
            token: i.token,
            invite_url: i.link,
        }),
    }))
}

async fn addable_orgs(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
) -> Answer<Vec<AddableOrganizationResponse>> {
    let orgs = app
        .domain
        .addable_orgs(&caller, path_id(&provider)?)
        .await?;
    Ok(axum::Json(
        orgs.iter()
            .map(|o| AddableOrganizationResponse {
                id: o.id.to_string(),
                name: o.name.clone(),
                plan: o.plan_type.name().into(),
                seats: o.seats,
                disabled: !o.enabled,
            })
            .collect(),
    ))
}

async fn link_client(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Json(req): Json<ProviderClientLinkRequest>,
) -> Answer<ProviderClientResponse> {
    let c = app
        .domain
        .link_provider_client(
            &caller,
            path_id(&provider)?,
            &req.organization_id,
            &req.key,
            req.master_password_hash.as_deref(),
        )
        .await?;
    Ok(axum::Json(pv::client(&c)))
}

async fn edit_client(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, client)): Path<(String, String)>,
    Json(req): Json<ProviderClientUpdateRequest>,
) -> Answer<ProviderClientResponse> {
    let c = app
        .domain
        .edit_provider_client(&caller, path_id(&provider)?, path_id(&client)?, &req)
        .await?;
    Ok(axum::Json(pv::client(&c)))
}

async fn assign_client_members(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, client)): Path<(String, String)>,
    Json(req): Json<ProviderClientMembersRequest>,
) -> Answer<ProviderClientResponse> {
    let c = app
        .domain
        .assign_client_members(
            &caller,
            path_id(&provider)?,
            path_id(&client)?,
            &req.member_ids,
        )
        .await?;
    Ok(axum::Json(pv::client(&c)))
}

async fn unlink_client(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, client)): Path<(String, String)>,
) -> Result<(), ApiError> {
    app.domain
        .unlink_provider_client(&caller, path_id(&provider)?, path_id(&client)?)
        .await?;
    Ok(())
}

async fn launch_client(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, client)): Path<(String, String)>,
    body: Option<Json<ProviderClientLaunchRequest>>,
) -> Answer<ProviderClientLaunchResponse> {
    let c = app
        .domain
        .launch_into_client(
            &caller,
            path_id(&provider)?,
            path_id(&client)?,
            body.map(|Json(b)| b)
                .unwrap_or_default()
                .master_password_hash
                .as_deref(),
        )
        .await?;
    Ok(axum::Json(ProviderClientLaunchResponse {
        provider_id: c.link.provider_id.to_string(),
        provider_organization_id: c.link.id.to_string(),
        organization_id: c.org.id.to_string(),
        organization_name: c.org.name,
        key: c.link.key,
        object: "providerClientLaunch".into(),
    }))
}

// ------------------------------------------------------------------ reports

fn wants_csv(format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        None | Some("") | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(DomainError::invalid("format", "Choose json or csv.").into()),
    }
}

fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn events_answer(
    app: &AppState,
    caller: &keyfleet_domain::Caller,
    provider: &str,
    q: &ProviderEventsQuery,
    member: Option<&str>,
) -> Result<Response, ApiError> {
    let csv = wants_csv(q.format.as_deref())?;
    let event_type = match q.event_type.as_deref() {
        None | Some("") => None,
        Some(t) => Some(
            t.parse()
                .map_err(|_| DomainError::invalid("type", "The type filter is not a number."))?,
        ),
    };
    let page = app
        .domain
        .provider_events(
            caller,
            path_id(provider)?,
            &ProviderEventFilter {
                range: crate::routes::org_audit::event_range(&q.range),
                member: member.or(q.member.as_deref()),
                client: q.client.as_deref(),
                event_type,
            },
            csv,
        )
        .await?;
    if csv {
        return Ok(csv_response(
            "provider-events.csv",
            pv::events_csv(&page.events),
        ));
    }
    Ok(axum::Json(list(
        page.events
            .iter()
            .map(|(e, email)| pv::event(e, email.as_deref()))
            .collect(),
        page.continuation,
    ))
    .into_response())
}

async fn provider_events(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Query(q): Query<ProviderEventsQuery>,
) -> Result<Response, ApiError> {
    events_answer(&app, &caller, &provider, &q, None).await
}

async fn member_events(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path((provider, member)): Path<(String, String)>,
    Query(q): Query<ProviderEventsQuery>,
) -> Result<Response, ApiError> {
    events_answer(&app, &caller, &provider, &q, Some(&member)).await
}

async fn usage_report(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Path(provider): Path<String>,
    Query(q): Query<ReportFormatQuery>,
) -> Result<Response, ApiError> {
    let csv = wants_csv(q.format.as_deref())?;
    let rows = app
        .domain
        .provider_usage(&caller, path_id(&provider)?)
        .await?;
    if csv {
        return Ok(csv_response("client-usage.csv", pv::usage_csv(&rows)));
    }
    Ok(axum::Json(list(rows.iter().map(pv::usage).collect(), None)).into_response())
}
