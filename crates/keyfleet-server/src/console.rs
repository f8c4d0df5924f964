//! The MSP web console's pages, embedded by `keyfleet-console`: `/console/` and its assets, with
//! a strict Content-Security-Policy, and `/` redirected to `/console/` unless the operator serves
//! something else there (a Bitwarden web vault). Provider invitation links point into the console
//! (`/console/#/providers/…`); the links Bitwarden's apps also know (`/#/accept-organization…`)
//! keep their fragment through the `/` redirect and open the matching console screen.

use crate::state::AppState;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

/// The page's policy: scripts and styles only from the console itself (no inline code), the
/// WebAssembly the Argon2id worker compiles, API calls to this origin only, never in a frame.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     connect-src 'self'; style-src 'self'; img-src 'self' data:; worker-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The console's routes; `/` redirects to it when `root_redirect` is set.
pub fn routes(root_redirect: bool) -> Router<AppState> {
    let r =
        Router::new()
            .route("/console", get(|| async { Redirect::to("/console/") }))
            .route(
                "/console/",
                get(|headers: HeaderMap| async move { serve("", &headers) }),
            )
            .route(
                "/console/{file}",
                get(|Path(file): Path<String>, headers: HeaderMap| async move {
                    serve(&file, &headers)
                }),
            );
    if root_redirect {
        r.route("/", get(|| async { Redirect::to("/console/") }))
    } else {
        r
    }
}

/// Whether `Accept-Encoding` lists gzip with a non-zero weight.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let zero = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !zero
        })
}

/// One embedded file with the console's headers; `304` when the browser's copy is current.
fn serve(file: &str, headers: &HeaderMap) -> Response {
    let Some(asset) = keyfleet_console::asset(file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = asset.etag();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else if accepts_gzip(headers) {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(asset.content_type),
                ),
                (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
            ],
            asset.gzipped(),
        )
            .into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            )],
            asset.bytes,
        )
            .into_response()
    };
    let h = res.headers_mut();
    // One ETag for both encodings is fine: the bytes a browser caches are what it decoded.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    // Revalidate every time: a new build takes effect at once, and the ETag keeps it cheap.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "publickey-credentials-get=(self), publickey-credentials-create=(self)",
        ),
    );
    res
}
