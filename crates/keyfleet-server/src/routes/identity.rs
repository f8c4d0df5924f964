//! The identity service: prelogin, registration, and `/identity/connect/token`.

use crate::error::{ApiError, IdentityError};
use crate::extract::{ClientIp, Form, Json};
use crate::state::AppState;
use crate::views;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use keyfleet_api::identity::RefreshResponse;
use keyfleet_api::identity::{
    PreloginRequest, PreloginResponse, RegisterFinishRequest, RegisterFinishResponse,
    RegisterRequest, SendVerificationEmailRequest,
};
use keyfleet_domain::identity::accounts::{
    InvitedTo, NewAccount, RegistrationProof, RegistrationStart,
};
use keyfleet_domain::identity::two_factor::TwoFactorProviderType;
use keyfleet_domain::store::KdfParams;
use keyfleet_domain::{DeviceInfo, DomainError, SecondFactor};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/identity/accounts/prelogin", post(prelogin))
        .route("/identity/accounts/prelogin/password", post(prelogin))
        .route("/api/accounts/prelogin", post(prelogin))
        .route(
            "/identity/accounts/register/send-verification-email",
            post(send_verification_email),
        )
        .route(
            "/identity/accounts/register/verification-email-clicked",
            post(verification_email_clicked),
        )
        .route("/identity/accounts/register/finish", post(register_finish))
        .route("/identity/accounts/register", post(register_legacy))
        .route("/api/accounts/register", post(register_legacy))
        .route("/identity/connect/token", post(token))
}

/// `POST /identity/accounts/prelogin[/password]`.
async fn prelogin(
    State(app): State<AppState>,
    Json(req): Json<PreloginRequest>,
) -> Result<axum::Json<PreloginResponse>, ApiError> {
    let info = app.domain.prelogin(&req.email).await?;
    Ok(axum::Json(PreloginResponse {
        kdf: info.kdf.kdf_type,
        kdf_iterations: info.kdf.iterations,
        kdf_memory: info.kdf.memory,
        kdf_parallelism: info.kdf.parallelism,
        kdf_settings: views::kdf_settings(info.kdf),
        salt: Some(info.salt),
    }))
}

/// `POST …/register/send-verification-email`: with a mail server, mails the link and answers 204
/// (as the official server); without one, answers the registration token itself (a JSON
/// string), which clients pass straight to `finish`.
async fn send_verification_email(
    State(app): State<AppState>,
    Json(req): Json<SendVerificationEmailRequest>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    Ok(match app.domain.start_registration(&req.email).await? {
        RegistrationStart::Token(token) => axum::Json(token).into_response(),
        RegistrationStart::Mailed => axum::http::StatusCode::NO_CONTENT.into_response(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerificationClicked {
    email: String,
    email_verification_token: String,
}

/// `POST …/register/verification-email-clicked`: checks the token is still good.
async fn verification_email_clicked(
    State(app): State<AppState>,
    Json(req): Json<VerificationClicked>,
) -> Result<(), ApiError> {
    app.domain
        .check_registration_token(&req.email, &req.email_verification_token)
        .map_err(ApiError)
}

fn kdf_from_flat(
    kdf: Option<i32>,
    iterations: Option<i32>,
    memory: Option<i32>,
    parallelism: Option<i32>,
) -> Result<KdfParams, ApiError> {
    match (kdf, iterations) {
        (Some(kdf_type), Some(iterations)) => Ok(KdfParams {
            kdf_type,
            iterations,
            memory,
            parallelism,
        }),
        _ => Err(ApiError(DomainError::invalid(
            "kdf",
            "KDF settings are required.",
        ))),
    }
}

/// `POST /identity/accounts/register/finish` (flat or nested form).
async fn register_finish(
    State(app): State<AppState>,
    Json(req): Json<RegisterFinishRequest>,
) -> Result<axum::Json<RegisterFinishResponse>, ApiError> {
    let (hash, kdf) = match &req.master_password_authentication {
        Some(auth) => (
            auth.master_password_authentication_hash.clone(),
            KdfParams {
                kdf_type: auth.kdf.kdf_type,
                iterations: auth.kdf.iterations,
                memory: auth.kdf.memory,
                parallelism: auth.kdf.parallelism,
            },
        ),
        None => (
            req.master_password_hash.clone().ok_or_else(|| {
                ApiError(DomainError::invalid(
                    "masterPasswordHash",
                    "The master password hash is required.",
                ))
            })?,
            kdf_from_flat(
                req.kdf,
                req.kdf_iterations,
                req.kdf_memory,
                req.kdf_parallelism,
            )?,
        ),
    };
    let key = match (&req.master_password_unlock, &req.user_symmetric_key) {
        (Some(unlock), _) => unlock.master_key_wrapped_user_key.clone(),
        (None, Some(key)) => key.clone(),
        (None, None) => {
            return Err(ApiError(DomainError::invalid(
                "userSymmetricKey",
                "The user key is required.",
            )))
        }
    };
    let email_lower = keyfleet_domain::identity::accounts::salt_for(&req.email);
    for salt in [
        req.master_password_authentication.as_ref().map(|a| &a.salt),
        req.master_password_unlock.as_ref().map(|u| &u.salt),
    ]
    .into_iter()
    .flatten()
    {
        if *salt != email_lower {
            return Err(ApiError(DomainError::invalid(
                "salt",
                "The salt must be the normalised email.",
            )));
        }
    }
    let proof = match (
        req.email_verification_token.as_deref(),
        (
            req.org_invite_token.as_deref(),
            req.organization_user_id.as_deref(),
        ),
        (
            req.provider_invite_token.as_deref(),
            req.provider_user_id.as_deref(),
        ),
        (
            req.accept_emergency_access_invite_token.as_deref(),
            req.accept_emergency_access_id.as_deref(),
        ),
    ) {
        (Some(token), _, _, _) => RegistrationProof::EmailToken(token),
        (None, (Some(token), Some(member_id)), _, _) => RegistrationProof::Invitation {
            to: InvitedTo::Organization,
            member_id,
            token,
        },
        (None, _, (Some(token), Some(member_id)), _) => RegistrationProof::Invitation {
            to: InvitedTo::Provider,
            member_id,
            token,
        },
        (None, _, _, (Some(token), Some(member_id))) => RegistrationProof::Invitation {
            to: InvitedTo::EmergencyAccess,
            member_id,
            token,
        },
        _ => {
            return Err(ApiError(DomainError::invalid(
                "emailVerificationToken",
                "A registration token is required.",
            )))
        }
    };
    let keys = req.user_asymmetric_keys.clone();
    app.domain
        .register(
            proof,
            NewAccount {
                email: req.email.clone(),
                name: req.name.clone(),
                master_password_hash: hash,
                hint: req.master_password_hint.clone(),
                key,
                public_key: keys.as_ref().map(|k| k.public_key.clone()),
                encrypted_private_key: keys.map(|k| k.encrypted_private_key),
                kdf,
            },
        )
        .await?;
    Ok(axum::Json(RegisterFinishResponse {
        object: "registerFinish".into(),
    }))
}

/// Legacy `POST /identity/accounts/register` (older clients).
async fn register_legacy(
    State(app): State<AppState>,
    Json(req): Json<RegisterRequest>,
) -> Result<axum::Json<RegisterFinishResponse>, ApiError> {
    app.domain
        .register(
            RegistrationProof::None,
            NewAccount {
                email: req.email,
                name: req.name,
                master_password_hash: req.master_password_hash,
                hint: req.master_password_hint,
                key: req.key,
                public_key: req.keys.as_ref().map(|k| k.public_key.clone()),
                encrypted_private_key: req.keys.map(|k| k.encrypted_private_key),
                kdf: KdfParams {
                    kdf_type: req.kdf,
                    iterations: req.kdf_iterations,
                    memory: req.kdf_memory,
                    parallelism: req.kdf_parallelism,
                },
            },
        )
        .await?;
    Ok(axum::Json(RegisterFinishResponse {
        object: "registerFinish".into(),
    }))
}

/// The token endpoint's form; field names exactly as the clients send them.
#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    username: Option<String>,
    password: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    refresh_token: Option<String>,
    #[serde(rename = "deviceType", alias = "devicetype", alias = "DeviceType")]
    device_type: Option<String>,
    #[serde(
        rename = "deviceIdentifier",
        alias = "deviceidentifier",
        alias = "DeviceIdentifier"
    )]
    device_identifier: Option<String>,
    #[serde(rename = "deviceName", alias = "devicename", alias = "DeviceName")]
    device_name: Option<String>,
    #[serde(rename = "twoFactorToken", alias = "TwoFactorToken")]
    two_factor_token: Option<String>,
    #[serde(rename = "twoFactorProvider", alias = "TwoFactorProvider")]
    two_factor_provider: Option<String>,
    #[serde(rename = "twoFactorRemember", alias = "TwoFactorRemember")]
    two_factor_remember: Option<String>,
    /// Log in with a device: the approved request's id (`password` is then its access code).
    #[serde(rename = "authRequest", alias = "AuthRequest")]
    auth_request: Option<String>,
    /// `send_access` grant: the Send's access id, and the client's hash of its password.
    send_id: Option<String>,
    password_hash_b64: Option<String>,
}

fn second_factor(form: &TokenForm) -> Result<Option<SecondFactor>, DomainError> {
    let (Some(token), Some(provider)) = (&form.two_factor_token, &form.two_factor_provider) else {
        return Ok(None);
    };
    let provider: i32 = provider
        .trim()
        .parse()
        .map_err(|_| DomainError::bad_request("twoFactorProvider must be a number."))?;
    let provider = TwoFactorProviderType::try_from(provider)
        .map_err(|_| DomainError::bad_request("This server has no such two-step login method."))?;
    Ok(Some(SecondFactor {
        provider,
        token: token.clone(),
        remember: form.two_factor_remember.as_deref() == Some("1"),
    }))
}

fn device(form: &TokenForm) -> Result<DeviceInfo, DomainError> {
    DeviceInfo::from_form(
        form.device_identifier.as_deref(),
        form.device_type.as_deref(),
        form.device_name.as_deref(),
    )
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, IdentityError> {
    value
        .as_deref()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| IdentityError(DomainError::bad_request(format!("{name} is required."))))
}

/// `POST /identity/connect/token`: password, refresh_token, client_credentials and send_access
/// grants.
async fn token(
    State(app): State<AppState>,
    ClientIp(ip): ClientIp,
    Form(form): Form<TokenForm>,
) -> Result<Response, IdentityError> {
    match form.grant_type.as_str() {
        "password" => {
            let username = required(&form.username, "username")?;
            let password = required(&form.password, "password")?;
            let client_id = required(&form.client_id, "client_id")?;
            if let Some(auth_request) = form.auth_request.as_deref() {
                let outcome = app
                    .domain
                    .login_auth_request(
                        username,
                        password,
                        auth_request,
                        client_id,
                        device(&form)?,
                        second_factor(&form)?.as_ref(),
                        &ip,
                    )
                    .await?;
                return Ok(axum::Json(views::token_response(&outcome)).into_response());
            }
            let outcome = app
                .domain
                .login_password(
                    username,
                    password,
                    client_id,
                    device(&form)?,
                    second_factor(&form)?.as_ref(),
                    &ip,
                )
                .await?;
            Ok(axum::Json(views::token_response(&outcome)).into_response())
        }
        "client_credentials" => {
            let client_id = required(&form.client_id, "client_id")?;
            let secret = required(&form.client_secret, "client_secret")?;
            if client_id.starts_with("organization.") {
                // The organization API key: a token for the public API, no user behind it.
                let token = app.domain.login_org_api_key(client_id, secret, &ip).await?;
                let answer = keyfleet_api::org_responses::OrganizationTokenResponse {
                    access_token: token.token,
                    expires_in: token.expires_in,
                    token_type: "Bearer".into(),
                    scope: keyfleet_domain::identity::tokens::ORG_API_SCOPE.into(),
                };
                return Ok(axum::Json(answer).into_response());
            }
            let outcome = app
                .domain
                .login_api_key(client_id, secret, device(&form)?, &ip)
                .await?;
            Ok(axum::Json(views::token_response(&outcome)).into_response())
        }
        "refresh_token" => {
            let refresh = required(&form.refresh_token, "refresh_token")?;
            let outcome = app.domain.refresh(refresh).await?;
            let refresh_token = outcome
                .refresh
                .clone()
                .ok_or(IdentityError(DomainError::InvalidGrant))?;
            Ok(axum::Json(RefreshResponse {
                access_token: outcome.access.token,
                expires_in: outcome.access.expires_in,
                token_type: "Bearer".into(),
                refresh_token,
                scope: outcome.scope,
            })
            .into_response())
        }
        "send_access" => {
            crate::routes::sends::send_access_grant(
                &app,
                form.send_id.as_deref(),
                form.password_hash_b64.as_deref(),
                &ip,
            )
            .await
        }
        _ => Err(IdentityError(DomainError::bad_request(
            "Unsupported grant_type.",
        ))),
    }
}
