//! `ApiError`: the one place domain errors become HTTP responses with Bitwarden's error JSON.
//! Permission failures are 404 (clients log out on 401/403, and 404 hides what exists).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use keyfleet_api::error::IdentityErrorResponse;
use keyfleet_api::ErrorModel;
use keyfleet_domain::DomainError;

/// The `validationErrors` key of the answer to a provider member without two-step login: a
/// stable marker for consoles (the text may change).
pub const TWO_STEP_LOGIN_REQUIRED: &str = "twoStepLoginRequired";
/// Its text (also the `message`, which the Bitwarden apps and the CLI show).
pub const TWO_STEP_LOGIN_REQUIRED_TEXT: &str = "Two-step login is required for provider members. \
     Turn it on in your account's two-step login settings and try again.";

/// An error from an API (`/api/…`) handler.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl<E: Into<DomainError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl ApiError {
    fn status_and_body(&self) -> (StatusCode, ErrorModel) {
        use DomainError as E;
        match &self.0 {
            E::NotFound => (StatusCode::NOT_FOUND, ErrorModel::new("Resource not found.")),
            E::Invalid { field: Some(f), message } => (StatusCode::BAD_REQUEST, ErrorModel::validation(f, message.clone())),
            E::Invalid { field: None, message } => (StatusCode::BAD_REQUEST, ErrorModel::new(message.clone())),
            E::InvalidPassword => (
                StatusCode::BAD_REQUEST,
                ErrorModel::validation("MasterPasswordHash", "Invalid password."),
            ),
            E::InvalidCredentials => (
                StatusCode::BAD_REQUEST,
                ErrorModel::new("Username or password is incorrect. Try again."),
            ),
            E::InvalidGrant => (StatusCode::BAD_REQUEST, ErrorModel::new("invalid_grant")),
            E::RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorModel::new(if *retry_after_secs < 90 {
                    format!("Too many attempts. Try again in {retry_after_secs} seconds.")
                } else {
                    format!("Too many attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60))
                }),
            ),
            E::StaleRevision => (
                StatusCode::BAD_REQUEST,
                ErrorModel::new("The client copy of this cipher is out of date. Resync the client and try again."),
            ),
            E::RegistrationDisabled => (
                StatusCode::BAD_REQUEST,
                ErrorModel::new("Open registration has been disabled by the system administrator."),
            ),
            E::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorModel::new("Unauthorized.")),
            E::MissingDeviceInfo => (StatusCode::BAD_REQUEST, ErrorModel::new("no device information provided")),
            E::TwoFactorRequired { .. } => (StatusCode::BAD_REQUEST, ErrorModel::new("Two factor required.")),
            E::TwoStepLoginRequired => (StatusCode::BAD_REQUEST, {
                let mut body = ErrorModel::validation(TWO_STEP_LOGIN_REQUIRED, TWO_STEP_LOGIN_REQUIRED_TEXT);
                body.message = TWO_STEP_LOGIN_REQUIRED_TEXT.into();
                body
            }),
            E::InvalidTwoFactor => (
                StatusCode::BAD_REQUEST,
                ErrorModel::new("Two-step token is invalid. Try again."),
            ),
            E::Busy { retry_after_secs } => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorModel::new(format!(
                    "The server is busy. Try again in {retry_after_secs} seconds."
                )),
            ),
            E::Store(keyfleet_domain::StoreError::Busy) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorModel::new("The server is busy. Try again in a few seconds."),
            ),
            E::Store(_) | E::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorModel::new("An unhandled server error has occurred."),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.status_and_body();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = ?self.0, "request refused: busy");
        } else if status.is_server_error() {
            tracing::error!(error = ?self.0, "request failed");
        }
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after(&self.0) {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// How long a refused client should wait (`Retry-After`), for throttles and overload.
pub(crate) fn retry_after(e: &DomainError) -> Option<u64> {
    match e {
        DomainError::RateLimited { retry_after_secs } | DomainError::Busy { retry_after_secs } => {
            Some(*retry_after_secs)
        }
        DomainError::Store(keyfleet_domain::StoreError::Busy) => Some(2),
        _ => None,
    }
}

/// An error from `/identity/connect/token`: OAuth shape with a PascalCase `ErrorModel`.
#[derive(Debug)]
pub struct IdentityError(pub DomainError);

impl<E: Into<DomainError>> From<E> for IdentityError {
    fn from(e: E) -> Self {
        IdentityError(e.into())
    }
}

impl IntoResponse for IdentityError {
    fn into_response(self) -> Response {
        use DomainError as E;
        let (status, body) = match &self.0 {
            E::InvalidCredentials => (
                StatusCode::BAD_REQUEST,
                IdentityErrorResponse::new(
                    "invalid_grant",
                    "invalid_username_or_password",
                    "Username or password is incorrect. Try again.",
                ),
            ),
            // Clients log the user out on this: the session is over.
            E::InvalidGrant => (
                StatusCode::BAD_REQUEST,
                IdentityErrorResponse {
                    error: "invalid_grant".into(),
                    error_description: None,
                    error_model: None,
                    two_factor_providers2: None,
                    two_factor_providers: None,
                },
            ),
            E::MissingDeviceInfo => (
                StatusCode::BAD_REQUEST,
                IdentityErrorResponse::new(
                    "device_error",
                    "no device information provided",
                    "no device information provided",
                ),
            ),
            E::RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                IdentityErrorResponse::new(
                    "invalid_grant",
                    "too_many_attempts",
                    &format!(
                        "Too many failed login attempts. Try again in {} minute(s).",
                        retry_after_secs.div_ceil(60)
                    ),
                ),
            ),
            E::Invalid { message, .. } => (
                StatusCode::BAD_REQUEST,
                IdentityErrorResponse::new("invalid_request", message, message),
            ),
            // Clients recognise the challenge only from a 400 with a non-empty TwoFactorProviders2.
            E::TwoFactorRequired {
                providers,
                email_login,
            } => {
                let mut body = serde_json::json!({
                    "error": "invalid_grant",
                    "error_description": "Two factor required.",
                    "TwoFactorProviders": providers.iter().map(|p| p.provider.code().to_string()).collect::<Vec<_>>(),
                    "TwoFactorProviders2": providers
                        .iter()
                        .map(|p| (p.provider.code().to_string(), p.params.clone().unwrap_or(serde_json::Value::Null)))
                        .collect::<serde_json::Map<_, _>>(),
                    "MasterPasswordPolicy": { "Object": "masterPasswordPolicy" },
                });
                // As the official server: with email codes offered, a token that lets the client
                // ask for another code (`send-email-login`) and the account's email.
                if let Some(hint) = email_login {
                    body["SsoEmail2faSessionToken"] = hint.session_token.clone().into();
                    body["Email"] = hint.email.clone().into();
                }
                return (StatusCode::BAD_REQUEST, Json(body)).into_response();
            }
            E::InvalidTwoFactor => (
                StatusCode::BAD_REQUEST,
                IdentityErrorResponse::new(
                    "invalid_grant",
                    "invalid_two_factor_token",
                    "Two-step token is invalid. Try again.",
                ),
            ),
            E::Busy { .. } | E::Store(keyfleet_domain::StoreError::Busy) => {
                return ApiError(self.0).into_response();
            }
            other => {
                let api = ApiError(DomainError::Internal(other.to_string()));
                tracing::error!(error = ?self.0, "token request failed");
                return api.into_response();
            }
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(secs) = retry_after(&self.0) {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// The last word on every response, whatever produced it: an error status always carries
/// Bitwarden's JSON envelope — axum's own answers (a method the path does not take, a malformed
/// query string or path, a body over the limit) come as text or empty, which the apps cannot
/// read — and every answer carries the headers a password manager's API owes its clients:
/// `nosniff`, `no-store` (tokens and vault data are never to be cached), HSTS when Keyfleet
/// itself terminates TLS, and on HTTP/1.1 how long an idle connection is kept (`keep_alive`,
/// `timeout=…`; HTTP/2 forbids the header and pings instead).
pub async fn finish_response(
    hsts: bool,
    keep_alive: Option<axum::http::HeaderValue>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::header::{self, HeaderValue};
    let http1 = req.version() == axum::http::Version::HTTP_11;
    let mut res = next.run(req).await;
    let status = res.status();
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if (status.is_client_error() || status.is_server_error()) && !json {
        let (mut parts, body) = res.into_parts();
        let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let message = match status {
            StatusCode::NOT_FOUND => "Resource not found.".to_string(),
            StatusCode::METHOD_NOT_ALLOWED => "Method not allowed.".to_string(),
            StatusCode::PAYLOAD_TOO_LARGE => "The request is too large.".to_string(),
            s if s.is_client_error() && !text.trim().is_empty() => {
                format!("The request is not valid: {}", text.trim())
            }
            s => s.canonical_reason().unwrap_or("Error").to_string() + ".",
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        let body = serde_json::to_vec(&ErrorModel::new(message)).unwrap_or_default();
        res = Response::from_parts(parts, axum::body::Body::from(body));
    }
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if let Some(keep_alive) = keep_alive.filter(|_| http1) {
        headers.insert(header::HeaderName::from_static("keep-alive"), keep_alive);
    }
    res
}
