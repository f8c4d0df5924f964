//! keyfleet-client: a typed HTTP client for a Keyfleet (or any Bitwarden-compatible) server that
//! does the client-side crypto itself — key generation at registration, the master password hash
//! at login, encryption of vault fields. The `keyfleet` CLI and the integration tests both use it,
//! so tests exercise the same code path as users.
//!
//! Every server call is one typed method taking and answering the `keyfleet-api` wire types:
//! the calls that need only an access token are the [`OrgCalls`], [`ProviderCalls`] and
//! [`AccountCalls`] traits, implemented for anything that is a [`Bearer`] (a [`Session`], or
//! [`Client::with_token`] for a saved session's tokens); the calls that encrypt or decrypt are
//! methods of [`Session`]; the operator's are methods of [`Client`]. Callers name no URL path.

mod account;
mod authed;
mod devices;
mod emergency;
mod imports;
pub mod keys;
mod orgs;
mod providers;
mod rotation;
mod session;

pub use account::{AccountCalls, Authorized};
pub use authed::Bearer;
pub use devices::{auth_request_fingerprint, rewrap_device_keys, DeviceCalls, DeviceLoginRequest};
pub use emergency::{takeover_credentials, EmergencyAccessCalls, EmergencyVault};
pub use imports::{
    encrypt_item, org_import_request, parse_csv, parse_import, ImportFormat, PlainImport,
    TransferCalls,
};
/// The wire types the calls take and answer.
pub use keyfleet_api as api;
pub use orgs::{
    recovered_user_key, recovery_credentials, recovery_key, Access, CreatedOrg, OrgCalls,
    OrgEventFilter,
};
pub use providers::{
    new_client_body, ClientEdit, CreateClientRequest, CreatedClient, LaunchedClient, MemberRole,
    NewClient, ProviderCalls, ProviderEventFilter, RoleScope,
};
pub use session::Session;

/// A second factor presented at login.
#[derive(Debug, Clone)]
pub struct SecondFactor {
    /// Provider type: 0 authenticator, 1 mailed code, 5 remembered device, 7 WebAuthn, 8 recovery
    /// code.
    pub provider: i32,
    /// The code or remember token.
    pub token: String,
    /// Ask the server to remember this device.
    pub remember: bool,
}

use keyfleet_api::identity::{
    KeysRequest, PreloginRequest, PreloginResponse, RefreshResponse, RegisterFinishRequest,
    SendVerificationEmailRequest, TokenResponse,
};
use keyfleet_api::two_factor::EmailLoginRequest;
use keyfleet_api::ErrorModel;
use keyfleet_crypto::{
    derive_master_key, make_account_keys, master_password_hash, unlock_private_key,
    unlock_user_key, CryptoError, Kdf,
};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
pub use reqwest::Method;
use serde::de::DeserializeOwned;
use std::path::Path;

/// The device type this client reports (SDK).
const DEVICE_TYPE: &str = "21";
/// The device name this client logs in with.
const DEVICE_NAME: &str = "keyfleet";

/// The password grant's form (`/identity/connect/token`) as the official CLI sends it, naming the
/// device `device_id` / `device_name`; `secret` is the master password hash (or a login
/// request's access code). Second-factor fields are added by the caller.
pub fn password_grant_form(
    email: &str,
    secret: &str,
    device_id: &str,
    device_name: &str,
) -> Vec<(String, String)> {
    [
        ("grant_type", "password"),
        ("username", email),
        ("password", secret),
        ("scope", "api offline_access"),
        ("client_id", "cli"),
        ("deviceType", DEVICE_TYPE),
        ("deviceIdentifier", device_id),
        ("deviceName", device_name),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// What went wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connection, TLS or protocol failure.
    #[error("cannot reach the server: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered with an error.
    #[error("server error {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// What the server said (Bitwarden `message`, or the identity `ErrorModel.Message`).
        message: String,
        /// The OAuth `error` code on identity errors (`invalid_grant`, …).
        oauth_error: Option<String>,
    },
    /// Local crypto failed (e.g. the password does not unlock the vault).
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
    /// The answer was not what the protocol says.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// The server verifies email addresses: it mailed a link to finish registering with.
    #[error("a verification link was mailed to the address: finish registering with it")]
    VerificationMailed,
    /// The password was right and the server asks for a second factor of these types.
    #[error("two-step login required")]
    TwoFactorRequired {
        /// Enabled provider types.
        providers: Vec<i32>,
        /// `TwoFactorProviders2`: per provider type (as a string), what the client needs to use
        /// it (for WebAuthn, `"7"`, the assertion options).
        // Free-form: each provider's own shape (webauthn-rs's assertion options for WebAuthn),
        // handed to whatever answers that factor.
        params: serde_json::Map<String, serde_json::Value>,
    },
    /// Reading the CA file failed.
    #[error("cannot read {0}")]
    Io(String),
}

impl ClientError {
    /// The HTTP status, when the server answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A body for [`Client::raw`].
pub enum RawBody {
    /// No body.
    Empty,
    /// JSON: free-form, so tests can send what no typed request would ([`RawBody::typed`]
    /// makes one from a `keyfleet-api` request).
    Json(serde_json::Value),
    /// Arbitrary bytes with a content type (for malformed and oversized bodies).
    Bytes(Vec<u8>, &'static str),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<(String, String)>),
}

impl RawBody {
    /// The JSON of a typed request. It goes through `serde_json::Value` so keys are sent in
    /// the same (sorted) order as a `json!` body.
    pub fn typed(body: &(impl serde::Serialize + ?Sized)) -> Result<RawBody, ClientError> {
        serde_json::to_value(body)
            .map(RawBody::Json)
            .map_err(|e| ClientError::Decode(format!("request body: {e}")))
    }
}

/// A response from [`Client::raw`], whatever its status.
#[derive(Debug)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
}

impl RawResponse {
    /// The body as JSON (`Null` when it is not JSON).
    // Free-form: a raw answer is read whatever its status or shape (tests check error bodies).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// An unauthenticated connection to one server.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    device_id: String,
}

/// How long an idle connection stays in the pool: well under the server's default keep-alive.
const POOL_IDLE: std::time::Duration = std::time::Duration::from_secs(5);

impl Client {
    /// A client for `base_url`, trusting `extra_ca_pem` in addition to the system roots.
    pub fn new(base_url: &str, extra_ca_pem: Option<&Path>) -> Result<Client, ClientError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            "Bitwarden-Client-Name",
            HeaderValue::from_static("keyfleet-cli"),
        );
        headers.insert(
            "Bitwarden-Client-Version",
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );
        headers.insert("Device-Type", HeaderValue::from_static(DEVICE_TYPE));
        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(concat!("Keyfleet-CLI/", env!("CARGO_PKG_VERSION")))
            // The server closes a connection idle for 10 s (it says so in `Keep-Alive`); a
            // pooled connection reused just as it closes fails the request, so ours go first.
            .pool_idle_timeout(POOL_IDLE)
            .use_rustls_tls();
        if let Some(path) = extra_ca_pem {
            let pem =
                std::fs::read(path).map_err(|_| ClientError::Io(path.display().to_string()))?;
            let cert = reqwest::Certificate::from_pem(&pem)?;
            builder = builder.add_root_certificate(cert);
        }
        Ok(Client {
            http: builder.build()?,
            base: base_url.trim_end_matches('/').to_string(),
            device_id: uuid::Uuid::new_v4().to_string(),
        })
    }

    /// The device identifier this client sends at login (stable for the life of the client).
    pub fn device_identifier(&self) -> &str {
        &self.device_id
    }

    /// The same connection presenting itself as the device `identifier` (an install that
    /// logged in before keeps its identifier across logins).
    pub fn with_device_identifier(mut self, identifier: &str) -> Client {
        self.device_id = identifier.to_string();
        self
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// Sends any request and returns the status and body without judging them (for tests).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: RawBody,
    ) -> Result<RawResponse, ClientError> {
        self.raw_with_headers(method, path, token, body, &[]).await
    }

    /// [`Client::raw`] with extra request headers.
    pub async fn raw_with_headers(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: RawBody,
        headers: &[(&str, &str)],
    ) -> Result<RawResponse, ClientError> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req = match body {
            RawBody::Empty => req,
            RawBody::Json(v) => req.json(&v),
            RawBody::Bytes(b, content_type) => req.header(CONTENT_TYPE, content_type).body(b),
            RawBody::Form(f) => req.form(&f),
        };
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let body = resp.text().await?;
        Ok(RawResponse { status, body })
    }

    /// Sends a request and decodes a successful JSON answer, or turns an error answer into
    /// [`ClientError::Api`].
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: RawBody,
    ) -> Result<T, ClientError> {
        let resp = self.raw(method, path, token, body).await?;
        if !(200..300).contains(&resp.status) {
            return Err(api_error(resp.status, &resp.body));
        }
        let text = if resp.body.trim().is_empty() {
            "null"
        } else {
            resp.body.as_str()
        };
        serde_json::from_str(text).map_err(|e| ClientError::Decode(format!("{path}: {e}")))
    }

    /// Like [`Client::call`] for answers that are text, not JSON (CSV exports).
    pub(crate) async fn call_text(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> Result<String, ClientError> {
        let resp = self.raw(method, path, token, RawBody::Empty).await?;
        if !(200..300).contains(&resp.status) {
            return Err(api_error(resp.status, &resp.body));
        }
        Ok(resp.body)
    }

    /// `GET /api/organizations/{org}/policies/token` (no login): the enabled policies of the
    /// organization an invitation (`member_id`, `email`, `token` from the link) is to.
    pub async fn policies_by_invite(
        &self,
        org_id: &str,
        member_id: &str,
        email: &str,
        token: &str,
    ) -> Result<Vec<keyfleet_api::org_responses::PolicyResponse>, ClientError> {
        let path = format!(
            "/api/organizations/{org_id}/policies/token{}",
            query_string(&[
                ("token", Some(token)),
                ("email", Some(email)),
                ("organizationUserId", Some(member_id)),
            ])
        );
        let list: keyfleet_api::ListResponse<keyfleet_api::org_responses::PolicyResponse> =
            self.call(Method::GET, &path, None, RawBody::Empty).await?;
        Ok(list.data)
    }

    /// Prelogin: the account's KDF settings.
    pub async fn prelogin(&self, email: &str) -> Result<Kdf, ClientError> {
        let body = PreloginRequest {
            email: email.to_string(),
        };
        let p: PreloginResponse = self
            .call(
                Method::POST,
                "/identity/accounts/prelogin/password",
                None,
                RawBody::typed(&body)?,
            )
            .await?;
        let s = p.kdf_settings;
        let kdf = Kdf::from_wire(s.kdf_type, s.iterations, s.memory, s.parallelism)?;
        // Refuse a server that asks for a weak KDF: it could be trying to make the hash guessable.
        kdf.check_minimums()?;
        Ok(kdf)
    }

    /// Creates an account: keys are generated here; the server only sees wrapped keys and a hash.
    /// A server that verifies addresses answers [`ClientError::VerificationMailed`]: finish with
    /// [`Client::finish_registration`] and the token of the mailed link.
    pub async fn register(
        &self,
        email: &str,
        password: &str,
        name: Option<&str>,
        kdf: Kdf,
    ) -> Result<(), ClientError> {
        match self.start_registration(email, name).await? {
            Some(token) => {
                self.finish_registration(email, password, name, kdf, &token)
                    .await
            }
            None => Err(ClientError::VerificationMailed),
        }
    }

    /// `send-verification-email`: the registration token when the server hands it out (it has
    /// no mail server), `None` when it mailed a link to `email` instead.
    pub async fn start_registration(
        &self,
        email: &str,
        name: Option<&str>,
    ) -> Result<Option<String>, ClientError> {
        let body = SendVerificationEmailRequest {
            email: email.to_string(),
            name: name.map(str::to_string),
            receive_marketing_emails: Some(false),
        };
        let res = self
            .raw(
                Method::POST,
                "/identity/accounts/register/send-verification-email",
                None,
                RawBody::typed(&body)?,
            )
            .await?;
        match res.status {
            204 => Ok(None),
            200 => serde_json::from_str::<String>(&res.body)
                .map(Some)
                .map_err(|e| ClientError::Decode(e.to_string())),
            status => Err(ClientError::Api {
                status,
                message: res.json()["message"]
                    .as_str()
                    .unwrap_or(&res.body)
                    .to_string(),
                oauth_error: None,
            }),
        }
    }

    /// Finishes a registration with `token` (handed out by the server, or from the mailed link).
    pub async fn finish_registration(
        &self,
        email: &str,
        password: &str,
        name: Option<&str>,
        kdf: Kdf,
        token: &str,
    ) -> Result<(), ClientError> {
        let proof = RegisterFinishRequest {
            email_verification_token: Some(token.to_string()),
            ..RegisterFinishRequest::default()
        };
        self.register_with(email, password, name, kdf, proof).await
    }

    /// Creates the account an invitation was sent to, with the invitation's token and member id
    /// (`provider`: a provider invitation, else an organization's) — possible when open
    /// registration is off.
    pub async fn register_from_invitation(
        &self,
        email: &str,
        password: &str,
        kdf: Kdf,
        provider: bool,
        member_id: &str,
        token: &str,
    ) -> Result<(), ClientError> {
        let proof = if provider {
            RegisterFinishRequest {
                provider_invite_token: Some(token.to_string()),
                provider_user_id: Some(member_id.to_string()),
                ..RegisterFinishRequest::default()
            }
        } else {
            RegisterFinishRequest {
                org_invite_token: Some(token.to_string()),
                organization_user_id: Some(member_id.to_string()),
                ..RegisterFinishRequest::default()
            }
        };
        self.register_with(email, password, None, kdf, proof).await
    }

    /// Creates the account an emergency access invitation was sent to, with its token and the
    /// emergency access id — possible when open registration is off.
    pub async fn register_from_emergency_invitation(
        &self,
        email: &str,
        password: &str,
        kdf: Kdf,
        emergency_access_id: &str,
        token: &str,
    ) -> Result<(), ClientError> {
        let proof = RegisterFinishRequest {
            accept_emergency_access_invite_token: Some(token.to_string()),
            accept_emergency_access_id: Some(emergency_access_id.to_string()),
            ..RegisterFinishRequest::default()
        };
        self.register_with(email, password, None, kdf, proof).await
    }

    /// `register/finish` with the keys made here and the proof fields of `proof`.
    async fn register_with(
        &self,
        email: &str,
        password: &str,
        name: Option<&str>,
        kdf: Kdf,
        proof: RegisterFinishRequest,
    ) -> Result<(), ClientError> {
        let keys = make_account_keys(email, password, &kdf)?;
        let req = RegisterFinishRequest {
            email: email.to_string(),
            email_verification_token: proof.email_verification_token,
            org_invite_token: proof.org_invite_token,
            organization_user_id: proof.organization_user_id,
            provider_invite_token: proof.provider_invite_token,
            provider_user_id: proof.provider_user_id,
            accept_emergency_access_invite_token: proof.accept_emergency_access_invite_token,
            accept_emergency_access_id: proof.accept_emergency_access_id,
            name: name.map(str::to_string),
            master_password_hash: Some(keys.master_password_hash.clone()),
            master_password_hint: None,
            user_symmetric_key: Some(keys.encrypted_user_key.clone()),
            user_asymmetric_keys: Some(KeysRequest {
                public_key: keys.public_key_b64.clone(),
                encrypted_private_key: keys.encrypted_private_key.clone(),
            }),
            kdf: Some(kdf.kdf_type()),
            kdf_iterations: Some(kdf.iterations()),
            kdf_memory: kdf.memory(),
            kdf_parallelism: kdf.parallelism(),
            master_password_authentication: None,
            master_password_unlock: None,
        };
        let _: serde::de::IgnoredAny = self
            .call(
                Method::POST,
                "/identity/accounts/register/finish",
                None,
                RawBody::typed(&req)?,
            )
            .await?;
        Ok(())
    }

    fn device_fields(&self) -> Vec<(String, String)> {
        vec![
            ("deviceType".into(), DEVICE_TYPE.into()),
            ("deviceIdentifier".into(), self.device_id.clone()),
            ("deviceName".into(), DEVICE_NAME.into()),
        ]
    }

    /// The master password hash for `email`/`password` under the account's KDF.
    pub async fn password_hash(
        &self,
        email: &str,
        password: &str,
    ) -> Result<(String, Kdf), ClientError> {
        let kdf = self.prelogin(email).await?;
        let master_key = derive_master_key(password, email, &kdf)?;
        Ok((master_password_hash(&master_key, password), kdf))
    }

    /// Password grant, then unlocks the user key locally.
    pub async fn login_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Session, ClientError> {
        self.login_password_with(email, password, None).await
    }

    /// Password grant with a second factor, then unlocks the user key locally. A server that
    /// wants a second factor answers [`ClientError::TwoFactorRequired`].
    pub async fn login_password_with(
        &self,
        email: &str,
        password: &str,
        second_factor: Option<&SecondFactor>,
    ) -> Result<Session, ClientError> {
        let (hash, kdf) = self.password_hash(email, password).await?;
        let mut form = password_grant_form(email, &hash, &self.device_id, DEVICE_NAME);
        form.extend(second_factor_fields(second_factor));
        let token: TokenResponse = self
            .call(
                Method::POST,
                "/identity/connect/token",
                None,
                RawBody::Form(form),
            )
            .await?;
        let user_key = unlock_user_key(email, password, &kdf, &token.key)?;
        let private_key = match &token.private_key {
            Some(p) => Some(unlock_private_key(&user_key, p)?),
            None => None,
        };
        Session::new(self.clone(), email, token, user_key, private_key)
    }

    /// Unlocks a saved session (its tokens) with the master password, without a new login: the
    /// wrapped user and private keys come from sync, so no second factor is asked again.
    pub async fn resume(
        &self,
        email: &str,
        password: &str,
        access_token: &str,
        refresh_token: Option<&str>,
    ) -> Result<Session, ClientError> {
        let kdf = self.prelogin(email).await?;
        let profile = self.with_token(access_token).profile().await?;
        let user_key = unlock_user_key(email, password, &kdf, &profile.key)?;
        let private_key = match profile.private_key.as_deref() {
            Some(p) => Some(unlock_private_key(&user_key, p)?),
            None => None,
        };
        Session::resumed(
            self.clone(),
            email,
            access_token,
            refresh_token,
            user_key,
            private_key,
        )
    }

    /// Asks the server to mail a login code (two-step login by email), proving the password as
    /// the Bitwarden clients do (`send-email-login`).
    pub async fn send_email_login_code(
        &self,
        email: &str,
        password: &str,
    ) -> Result<(), ClientError> {
        let (hash, _) = self.password_hash(email, password).await?;
        let body = EmailLoginRequest {
            email: email.to_string(),
            master_password_hash: Some(hash),
            sso_email2_fa_session_token: None,
        };
        let _: serde::de::IgnoredAny = self
            .call(
                Method::POST,
                "/api/two-factor/send-email-login",
                None,
                RawBody::typed(&body)?,
            )
            .await?;
        Ok(())
    }

    /// client_credentials grant with a personal API key (no refresh token, no unlock).
    pub async fn login_api_key(
        &self,
        client_id: &str,
        client_secret: &str,
    ) -> Result<TokenResponse, ClientError> {
        let mut form = vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("client_id".into(), client_id.to_string()),
            ("client_secret".into(), client_secret.to_string()),
            ("scope".into(), "api".into()),
        ];
        form.extend(self.device_fields());
        self.call(
            Method::POST,
            "/identity/connect/token",
            None,
            RawBody::Form(form),
        )
        .await
    }

    /// refresh_token grant.
    pub async fn refresh(&self, refresh_token: &str) -> Result<RefreshResponse, ClientError> {
        let form = vec![
            ("grant_type".to_string(), "refresh_token".to_string()),
            ("client_id".into(), "cli".into()),
            ("refresh_token".into(), refresh_token.to_string()),
        ];
        self.call(
            Method::POST,
            "/identity/connect/token",
            None,
            RawBody::Form(form),
        )
        .await
    }
}

/// The token form's second-factor fields, when one is presented.
pub(crate) fn second_factor_fields(second_factor: Option<&SecondFactor>) -> Vec<(String, String)> {
    second_factor
        .map(|f| {
            vec![
                ("twoFactorProvider".into(), f.provider.to_string()),
                ("twoFactorToken".into(), f.token.clone()),
                (
                    "twoFactorRemember".into(),
                    if f.remember { "1" } else { "0" }.into(),
                ),
            ]
        })
        .unwrap_or_default()
}

/// `?k=v&…` from the parameters that are set, each value percent-encoded (ISO times carry `:`
/// and `+`); empty when none is set.
pub fn query_string(params: &[(&str, Option<&str>)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let parts: Vec<String> = params
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", enc(v))))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Turns an error body (API envelope or identity shape) into a [`ClientError::Api`].
pub fn api_error(status: u16, body: &str) -> ClientError {
    // Free-form: an error comes as the API envelope, the identity shape or the two-factor
    // challenge, and a proxy may answer with neither; each is probed below.
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
    if let Some(providers) = json
        .get("TwoFactorProviders2")
        .and_then(|p| p.as_object())
        .filter(|p| !p.is_empty())
    {
        return ClientError::TwoFactorRequired {
            providers: providers.keys().filter_map(|k| k.parse().ok()).collect(),
            params: providers.clone(),
        };
    }
    let oauth_error = json
        .get("error")
        .and_then(|e| e.as_str())
        .map(str::to_string);
    let message = json
        .get("ErrorModel")
        .and_then(|m| m.get("Message"))
        .and_then(|m| m.as_str())
        .map(str::to_string)
        .or_else(|| {
            serde_json::from_value::<ErrorModel>(json.clone())
                .ok()
                .map(|m| m.single_message().to_string())
        })
        .or_else(|| oauth_error.clone())
        .unwrap_or_else(|| format!("HTTP {status}"));
    ClientError::Api {
        status,
        message,
        oauth_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_keep_set_parameters_and_escape_iso_times() {
        assert_eq!(query_string(&[("start", None)]), "");
        assert_eq!(
            query_string(&[
                ("start", Some("2026-01-01T00:00:00+01:00")),
                ("end", None),
                ("type", Some("1800")),
            ]),
            "?start=2026-01-01T00%3A00%3A00%2B01%3A00&type=1800"
        );
    }

    #[test]
    fn identity_errors_expose_their_error_model_message() {
        let e = api_error(
            400,
            r#"{"error":"invalid_grant","error_description":"x","ErrorModel":{"Message":"Username or password is incorrect. Try again.","Object":"error"}}"#,
        );
        let ClientError::Api {
            status,
            message,
            oauth_error,
        } = e
        else {
            panic!()
        };
        assert_eq!(
            (status, message.as_str(), oauth_error.as_deref()),
            (
                400,
                "Username or password is incorrect. Try again.",
                Some("invalid_grant")
            )
        );
    }

    #[test]
    fn api_errors_prefer_the_first_validation_message() {
        let e = api_error(
            400,
            r#"{"message":"The model state is invalid.","validationErrors":{"name":["The field name is not a valid encrypted string."]},"object":"error"}"#,
        );
        assert_eq!(
            e.to_string(),
            "server error 400: The field name is not a valid encrypted string."
        );
        let e = api_error(404, r#"{"message":"Resource not found.","object":"error"}"#);
        assert_eq!(e.status(), Some(404));
        assert!(
            matches!(api_error(502, "<html>"), ClientError::Api { message, .. } if message == "HTTP 502")
        );
    }
}
