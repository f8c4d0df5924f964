//! The router: one module per resource, following the URL.

/// Builds a module's `routes()` from one table of `method "path" => handler` lines and exposes
/// the same table as `ROUTES`, so the OpenAPI document is checked against the routes the
/// router really serves (`openapi` tests), not against a copy.
macro_rules! route_table {
    ($($method:ident $path:literal => $handler:expr),* $(,)?) => {
        /// Every `(method, path)` this module serves, as its router registers them.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        pub fn routes() -> axum::Router<crate::state::AppState> {
            axum::Router::new()$(.route($path, axum::routing::$method($handler)))*
        }
    };
}
pub(crate) use route_table;

mod account_recovery;
mod accounts;
pub(crate) mod admin;
mod attachments;
mod auth_requests;
mod ciphers;
mod collections;
mod devices;
mod emergency_access;
mod folders;
mod identity;
mod meta;
pub(crate) mod org_audit;
mod organizations;
pub(crate) mod providers;
pub(crate) mod public_api;
pub(crate) mod sends;
pub(crate) mod sync;
mod transfer;
mod two_factor;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::Router;
use keyfleet_domain::DomainError;
use std::str::FromStr;

/// Largest request body accepted (a vault item with long notes is well under this).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Parses an id from the path; a malformed id names nothing, so it is a 404.
pub(crate) fn path_id<T: FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError(DomainError::NotFound))
}

/// The answer of a bulk member call, the same for organizations and providers: one entry per id
/// in the order sent, `error` empty when it worked or the refusal's text; `object` is the
/// table's Bitwarden model name, and `fill` adds what an outcome produced (a reinvite's link).
pub(crate) fn bulk_answer<T>(
    outcomes: Vec<keyfleet_domain::membership::BulkOutcome<Option<T>>>,
    object: &str,
    fill: impl Fn(&mut keyfleet_api::org_responses::BulkMemberResponse, T),
) -> keyfleet_api::ListResponse<keyfleet_api::org_responses::BulkMemberResponse> {
    use keyfleet_api::org_responses::BulkMemberResponse;
    crate::org_views::list(
        outcomes
            .into_iter()
            .map(|o| match o.result {
                Ok(produced) => {
                    let mut answer = BulkMemberResponse::new(o.id, String::new(), object);
                    if let Some(p) = produced {
                        fill(&mut answer, p);
                    }
                    answer
                }
                Err(refusal) => BulkMemberResponse::new(o.id, refusal, object),
            })
            .collect(),
        None,
    )
}

/// What the Bitwarden apps, Keyfleet's CLI and the provider layer use.
fn clients() -> Router<AppState> {
    Router::new()
        .merge(meta::routes())
        .merge(identity::routes())
        .merge(accounts::routes())
        .merge(devices::routes())
        .merge(auth_requests::routes())
        .merge(sync::routes())
        .merge(folders::routes())
        .merge(ciphers::routes())
        .merge(attachments::routes())
        .merge(transfer::routes())
        .merge(two_factor::routes())
        .merge(organizations::routes())
        .merge(account_recovery::routes())
        .merge(emergency_access::routes())
        .merge(collections::routes())
        .merge(org_audit::routes())
        .merge(public_api::routes())
        .merge(sends::routes())
        // The provider's lists (clients, members, events, usage) grow with the MSP; the console
        // asks for gzip and gets a tenth of the bytes (2,000 clients: 1.4 MB of JSON).
        .merge(
            providers::routes().layer(tower_http::compression::CompressionLayer::new().gzip(true)),
        )
        .merge(crate::openapi::routes())
        .merge(crate::hub::routes())
}

/// Which routes a listener serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Everything (the operator's `/admin` included).
    All,
    /// Everything but `/admin` (served on a listener of its own).
    Clients,
    /// Only `/admin`.
    Operator,
}

/// How the edge treats every request.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    /// A handler that takes longer is cut off with a 503.
    pub request_timeout: std::time::Duration,
    /// Send `Strict-Transport-Security` (served over TLS).
    pub hsts: bool,
    /// Redirect `/` to the web console.
    pub console_at_root: bool,
    /// How long an HTTP/1.1 connection may sit idle between requests before the server closes
    /// it (hyper's header-read timeout runs from the end of one answer to the next request's
    /// headers), announced in `Keep-Alive: timeout=…` so clients give up a pooled connection
    /// before the server does instead of sending a request into a closing socket.
    pub keep_alive: std::time::Duration,
}

/// The routes of `surface` (the web console with the client routes), with the body limit, the request timeout, the response finish
/// (JSON errors, security headers) and request tracing (method and path only: never bodies,
/// headers or query strings, which may carry secrets).
pub fn router(state: AppState, surface: Surface, edge: Edge) -> Router {
    let Edge {
        request_timeout,
        hsts,
        console_at_root,
        keep_alive,
    } = edge;
    // Written once, sent on every HTTP/1.1 answer (digits: always a valid header value).
    let keep_alive =
        axum::http::HeaderValue::try_from(format!("timeout={}", keep_alive.as_secs())).ok();
    let routes = match surface {
        Surface::Operator => Router::new().merge(admin::routes()),
        Surface::Clients => clients().merge(crate::console::routes(console_at_root)),
        Surface::All => clients()
            .merge(admin::routes())
            .merge(crate::console::routes(console_at_root)),
    };
    routes
        .fallback(meta::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A handler that takes longer than this is cut off with a 503 (its transaction, if
        // any, rolls back). A streamed answer's body is not counted: its handler returns at once
        // and the idle timeout bounds the rest.
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| async move {
                // A file upload takes as long as its bytes do; the idle timeout ends a stalled one.
                if attachments::is_upload(req.method(), req.uri().path()) {
                    return next.run(req).await;
                }
                match tokio::time::timeout(request_timeout, next.run(req)).await {
                    Ok(response) => response,
                    Err(_) => {
                        tracing::warn!("request timed out");
                        crate::error::ApiError(keyfleet_domain::DomainError::Busy {
                            retry_after_secs: 5,
                        })
                        .into_response()
                    }
                }
            },
        ))
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::error::finish_response(hsts, keep_alive.clone(), req, next)
        }))
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            }),
        )
        .with_state(state)
}
