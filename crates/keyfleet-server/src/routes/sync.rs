//! `GET /api/sync`: the whole vault, streamed. The head (profile, folders, …) is small and built
//! up front; ciphers follow page by page (a few hundred items each, written by the store's
//! reader), so memory stays flat however large the vault is.

use crate::extract::Authed;
use crate::limits::SyncSlot;
use crate::state::AppState;
use crate::{org_views, provider_views, views};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use futures::StreamExt;
use keyfleet_api::accounts::{DomainsResponse, SyncHeadResponse};
use keyfleet_domain::store::ItemWriter;
use keyfleet_domain::{Caller, Domain};
use serde::Deserialize;
use std::sync::Arc;

/// How long a chunk may wait for the client to take it before the response is abandoned.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/sync", get(sync)).route(
        "/api/settings/domains",
        get(|| async { axum::Json(DomainsResponse::empty()) }),
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SyncQuery {
    #[serde(default)]
    exclude_domains: Option<bool>,
}

/// `GET /api/sync?excludeDomains=…`.
async fn sync(
    State(app): State<AppState>,
    Authed(caller): Authed,
    Query(q): Query<SyncQuery>,
) -> Result<Response, crate::error::ApiError> {
    let slot = app.sync_slots.acquire(caller.user().id)?;
    let folders: Vec<_> = app
        .domain
        .list_folders(&caller)
        .await?
        .iter()
        .map(views::folder)
        .collect();
    let domains = (!q.exclude_domains.unwrap_or(false)).then(DomainsResponse::empty);
    let collections: Vec<_> = app
        .domain
        .my_collections(&caller)
        .await?
        .iter()
        .map(org_views::collection_details)
        .collect();
    let policies: Vec<_> = app
        .domain
        .my_policies(&caller)
        .await?
        .iter()
        .map(org_views::policy)
        .collect();
    let sends = app
        .domain
        .list_sends(&caller)
        .await?
        .iter()
        .map(|s| serde_json::to_value(super::sends::send_response(s)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| keyfleet_domain::DomainError::Internal(e.to_string()))?;
    let head = SyncHeadResponse {
        object: "sync".into(),
        profile: full_profile(&app, &caller, caller.user()).await?,
        folders,
        collections,
        policies,
        sends,
        domains,
        user_decryption: views::sync_user_decryption(caller.user()),
    };
    let mut first_chunk = serde_json::to_vec(&head)
        .map_err(|e| keyfleet_domain::DomainError::Internal(e.to_string()))?;
    // Re-open the object to append `ciphers` last, after everything that is not streamed.
    first_chunk.pop();
    first_chunk.extend_from_slice(b",\"ciphers\":[");

    Ok(stream_ciphers(
        app.domain.clone(),
        caller,
        slot,
        first_chunk,
        b"]}",
    ))
}

/// The profile with the caller's organizations (sync and `GET /api/accounts/profile`).
pub(crate) async fn full_profile(
    app: &AppState,
    caller: &Caller,
    user: &keyfleet_domain::store::UserRow,
) -> Result<keyfleet_api::accounts::ProfileResponse, crate::error::ApiError> {
    let two_factor = app.domain.two_factor_enabled(user).await?;
    let organizations = app
        .domain
        .my_orgs(caller)
        .await?
        .iter()
        .map(|(o, m)| org_views::profile_organization(o, m))
        .collect();
    let mut profile = views::profile(user, two_factor, organizations);
    let providers = app.domain.my_providers(caller).await?;
    profile.providers = providers
        .memberships
        .iter()
        .map(provider_views::profile_provider)
        .collect();
    profile.provider_organizations = providers
        .clients
        .iter()
        .map(|(m, c)| {
            provider_views::profile_provider_organization(&m.provider, &c.org, &c.link.key, user.id)
        })
        .collect();
    Ok(profile)
}

/// Streams `head`, then every cipher the caller can read (comma separated), then `tail`.
/// The store writes the items page by page on the thread that read each page; a page is one
/// chunk of the response. `slot` (one of the caller's open syncs) is held until the response
/// body is done or dropped; a client that stops reading for `SEND_TIMEOUT` ends it, so a
/// stalled response holds neither a connection to the database (the store reads in pages) nor
/// memory for long.
pub(crate) fn stream_ciphers(
    domain: Arc<Domain>,
    caller: Caller,
    slot: SyncSlot,
    head: Vec<u8>,
    tail: &'static [u8],
) -> Response {
    // At most two pages of a sync are in memory: the one hyper is writing out and the one
    // waiting here (the next is read only once this one is taken).
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tokio::spawn(async move {
        // Room for one more chunk, or `None` once the client went away or stopped reading.
        let room = || async {
            match tokio::time::timeout(SEND_TIMEOUT, tx.reserve()).await {
                Ok(Ok(room)) => Some(room),
                _ => None,
            }
        };
        let Some(first_room) = room().await else {
            return;
        };
        first_room.send(Ok(Bytes::from(head)));
        // Each item is written with a comma before it; the very first item's is cut off.
        let write: ItemWriter = Arc::new(|view, out| {
            out.push(b',');
            views::write_cipher(out, view, "cipherDetails");
        });
        let mut pages = domain.cipher_pages(&caller, write);
        let mut first = true;
        loop {
            // Room for the next page first, then its read: a client that does not read holds
            // the page hyper is writing and the one waiting, never a third.
            let Some(room) = room().await else {
                return;
            };
            match pages.next().await {
                Some(Ok(page)) => {
                    let mut page = Bytes::from(page);
                    if std::mem::take(&mut first) {
                        page = page.slice(1..);
                    }
                    room.send(Ok(page));
                }
                Some(Err(e)) => {
                    tracing::error!(error = ?e, "sync stream failed");
                    room.send(Err(std::io::Error::other("storage error")));
                    return;
                }
                None => {
                    room.send(Ok(Bytes::from_static(tail)));
                    return;
                }
            }
        }
    });
    // The body holds the slot, not the producer: the producer may be done while a page waits
    // in hyper's buffer for a client that does not read.
    let body = Body::from_stream(futures::stream::unfold(
        (rx, slot),
        |(mut rx, slot)| async move { rx.recv().await.map(|item| (item, (rx, slot))) },
    ));
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}
