//! Extractors: the authenticated `Caller`, JSON and form bodies whose rejections answer in
//! Bitwarden's error JSON, and the client IP used for login throttling.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use keyfleet_api::ErrorModel;
use keyfleet_domain::{Caller, DomainError};
use std::net::SocketAddr;

/// The signed-in user behind `Authorization: Bearer …`. Anything wrong with the token is a 401.
pub struct Authed(pub Caller);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError(DomainError::Unauthorized))?;
        Ok(Authed(state.domain.authenticate(token).await?))
    }
}

/// The organization behind an organization API key token (`Authorization: Bearer …`).
pub struct OrgAuthed(pub keyfleet_domain::orgs::OrgApiCaller);

impl FromRequestParts<AppState> for OrgAuthed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError(DomainError::Unauthorized))?;
        Ok(OrgAuthed(state.domain.authenticate_org(token).await?))
    }
}

/// The bearer token of a request, when it has one.
pub(crate) fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

/// A rejected body: 400 (or 413 / 415) with the Bitwarden envelope.
pub struct BodyRejection(StatusCode, String);

impl IntoResponse for BodyRejection {
    fn into_response(self) -> Response {
        (self.0, axum::Json(ErrorModel::new(self.1))).into_response()
    }
}

impl From<JsonRejection> for BodyRejection {
    fn from(r: JsonRejection) -> Self {
        let status = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "The request body is too large.".to_string(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                "Expected a JSON body (Content-Type: application/json).".to_string()
            }
            // serde's message names the field and position, never the value.
            _ => format!("The request body is not valid: {}", r.body_text()),
        };
        BodyRejection(status, message)
    }
}

impl From<FormRejection> for BodyRejection {
    fn from(r: FormRejection) -> Self {
        let status = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::BAD_REQUEST
        };
        BodyRejection(status, "The form body is not valid.".into())
    }
}

/// A JSON body; malformed input is a Bitwarden-shaped 400.
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = BodyRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(v))
    }
}

/// An optional JSON body (`Option<Json<T>>`): none without a `Content-Type` and with an empty
/// body; anything sent is parsed as [`Json`] is.
impl<T, S> axum::extract::OptionalFromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = BodyRejection;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let untyped = !req.headers().contains_key(header::CONTENT_TYPE);
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0");
        if untyped || empty {
            return Ok(None);
        }
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Some(Json(v)))
    }
}

/// A form body (the token endpoint); malformed input is a Bitwarden-shaped 400.
pub struct Form<T>(pub T);

impl<T, S> FromRequest<S> for Form<T>
where
    axum::Form<T>: FromRequest<S, Rejection = FormRejection>,
    S: Send + Sync,
{
    type Rejection = BodyRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(v) = axum::Form::<T>::from_request(req, state).await?;
        Ok(Form(v))
    }
}

/// The client's address as the login throttles key it (see `client_ip`): the socket's peer, or
/// what a trusted proxy says; IPv6 by /64.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
        else {
            return Ok(ClientIp("unknown".into()));
        };
        let header = |name: &str| {
            let values: Vec<&str> = parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            (!values.is_empty()).then(|| values.join(","))
        };
        let ip = crate::client_ip::client_address(
            peer,
            header("forwarded").as_deref(),
            header("x-forwarded-for").as_deref(),
            &state.trusted_proxies,
        );
        Ok(ClientIp(crate::client_ip::throttle_key(ip)))
    }
}
