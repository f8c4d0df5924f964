//! A signed-in session: tokens plus the unlocked user key, and the vault calls made with them.

use crate::authed::{send, NO_BODY};
use crate::{AccountCalls, Client, ClientError, RawBody};
use keyfleet_api::accounts::{
    ApiKeyResponse, PasswordRequest, SecretVerificationRequest, SyncResponse,
};
use keyfleet_api::identity::TokenResponse;
use keyfleet_api::two_factor::{
    TwoFactorEmailResponse, TwoFactorWebAuthnResponse, VerificationRequest, WebauthnKeyRequest,
};
use keyfleet_api::vault::{
    CipherCreateRequest, CipherDetailsResponse, CipherLoginRequest, CipherRequest, FolderRequest,
    FolderResponse,
};
use keyfleet_crypto::{
    derive_master_key, master_password_hash, stretch_master_key, EncString, PrivateKey,
    SymmetricKey,
};
use reqwest::Method;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;

/// The sync every client call reads (the domains list is never needed here).
pub(crate) const SYNC_PATH: &str = "/api/sync?excludeDomains=true";

/// The claim of the access token the session needs.
#[derive(Deserialize)]
struct Claims {
    sub: String,
}

/// A logged-in, unlocked user.
pub struct Session {
    client: Client,
    /// The user's id (from the access token).
    pub user_id: String,
    /// The email used to log in.
    pub email: String,
    /// Current access token.
    pub access_token: String,
    /// Current refresh token.
    pub refresh_token: Option<String>,
    /// The "remember this device" token, when the login asked for one.
    pub two_factor_token: Option<String>,
    /// The organizations' master password requirements the login answered.
    pub master_password_policy: Option<keyfleet_api::identity::MasterPasswordPolicyResponse>,
    user_key: SymmetricKey,
    private_key: Option<PrivateKey>,
}

fn jwt_subject(token: &str) -> Result<String, ClientError> {
    use base64::Engine as _;
    let payload = token
        .split('.')
        .nth(1)
        .ok_or_else(|| ClientError::Decode("access token is not a JWT".into()))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ClientError::Decode("access token payload is not base64url".into()))?;
    let claims: Claims = serde_json::from_slice(&bytes)
        .map_err(|e| ClientError::Decode(format!("access token claims: {e}")))?;
    Ok(claims.sub)
}

impl Session {
    pub(crate) fn new(
        client: Client,
        email: &str,
        token: TokenResponse,
        user_key: SymmetricKey,
        private_key: Option<PrivateKey>,
    ) -> Result<Session, ClientError> {
        Ok(Session {
            user_id: jwt_subject(&token.access_token)?,
            client,
            email: email.to_string(),
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            two_factor_token: token.two_factor_token,
            master_password_policy: token.master_password_policy,
            user_key,
            private_key,
        })
    }

    pub(crate) fn resumed(
        client: Client,
        email: &str,
        access_token: &str,
        refresh_token: Option<&str>,
        user_key: SymmetricKey,
        private_key: Option<PrivateKey>,
    ) -> Result<Session, ClientError> {
        Ok(Session {
            user_id: jwt_subject(access_token)?,
            client,
            email: email.to_string(),
            access_token: access_token.to_string(),
            refresh_token: refresh_token.map(str::to_string),
            two_factor_token: None,
            master_password_policy: None,
            user_key,
            private_key,
        })
    }

    /// The connection this session uses.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The unlocked user key.
    pub fn user_key(&self) -> &SymmetricKey {
        &self.user_key
    }

    /// The unlocked RSA private key, when the account has one.
    pub fn private_key(&self) -> Option<&PrivateKey> {
        self.private_key.as_ref()
    }

    /// An authenticated call with any JSON body, decoding the answer: the low-level escape
    /// hatch tests use to send what no typed call would (malformed, foreign or stale bodies).
    /// Everything in this crate goes through the typed calls instead.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        // Free-form on purpose: the body is whatever the test wants the server to see.
        body: Option<serde_json::Value>,
    ) -> Result<T, ClientError> {
        let body = body.map(RawBody::Json).unwrap_or(RawBody::Empty);
        self.client
            .call(method, path, Some(&self.access_token), body)
            .await
    }

    /// Exchanges the refresh token for new tokens (rotation).
    pub async fn refresh(&mut self) -> Result<(), ClientError> {
        let refresh = self
            .refresh_token
            .clone()
            .ok_or_else(|| ClientError::Decode("this session has no refresh token".into()))?;
        let r = self.client.refresh(&refresh).await?;
        self.access_token = r.access_token;
        self.refresh_token = Some(r.refresh_token);
        Ok(())
    }

    /// Encrypts a string under the user key.
    pub fn encrypt(&self, plaintext: &str) -> String {
        EncString::encrypt_str(&self.user_key, plaintext)
    }

    /// Decrypts a type-2 string under the user key.
    pub fn decrypt(&self, enc: &str) -> Result<String, ClientError> {
        Ok(EncString::decrypt_str(enc, &self.user_key)?)
    }

    /// `GET /api/sync`.
    pub async fn sync(&self) -> Result<SyncResponse, ClientError> {
        send(self, Method::GET, SYNC_PATH, NO_BODY).await
    }

    /// `GET /api/sync` as the JSON the server sent, for tests that check the wire itself.
    // Untyped on purpose: it shows what a client without our types would read.
    pub async fn sync_json(&self) -> Result<serde_json::Value, ClientError> {
        send(self, Method::GET, SYNC_PATH, NO_BODY).await
    }

    /// `GET /api/accounts/revision-date`.
    pub async fn revision_date(&self) -> Result<i64, ClientError> {
        self.account_revision_date().await
    }

    /// Creates a folder named `name` (encrypted here).
    pub async fn create_folder(&self, name: &str) -> Result<FolderResponse, ClientError> {
        let body = FolderRequest {
            name: self.encrypt(name),
        };
        send(self, Method::POST, "/api/folders", Some(&body)).await
    }

    /// The request body bw sends for a login item.
    pub fn login_item_body(&self, name: &str, username: &str, password: &str) -> CipherRequest {
        login_item(
            &self.user_key,
            &self.user_id,
            None,
            name,
            username,
            password,
        )
    }

    /// Creates a login item.
    pub async fn create_login(
        &self,
        name: &str,
        username: &str,
        password: &str,
    ) -> Result<CipherDetailsResponse, ClientError> {
        let body = self.login_item_body(name, username, password);
        send(self, Method::POST, "/api/ciphers", Some(&body)).await
    }

    /// Creates an organization item in collections (`POST /api/ciphers/create`).
    pub(crate) async fn create_cipher_in_collections(
        &self,
        body: &CipherCreateRequest,
    ) -> Result<CipherDetailsResponse, ClientError> {
        send(self, Method::POST, "/api/ciphers/create", Some(body)).await
    }

    /// Reads one item.
    pub async fn get_cipher(&self, id: &str) -> Result<CipherDetailsResponse, ClientError> {
        send(self, Method::GET, &format!("/api/ciphers/{id}"), NO_BODY).await
    }

    /// The master password hash the server re-checks `password` against.
    pub(crate) async fn hash(&self, password: &str) -> Result<String, ClientError> {
        Ok(self.client.password_hash(&self.email, password).await?.0)
    }

    /// Shows the personal API key (password re-check).
    pub async fn api_key(&self, password: &str) -> Result<ApiKeyResponse, ClientError> {
        let body = SecretVerificationRequest {
            master_password_hash: Some(self.hash(password).await?),
        };
        send(self, Method::POST, "/api/accounts/api-key", Some(&body)).await
    }

    /// Rotates the personal API key (password re-check).
    pub async fn rotate_api_key(&self, password: &str) -> Result<ApiKeyResponse, ClientError> {
        let body = SecretVerificationRequest {
            master_password_hash: Some(self.hash(password).await?),
        };
        send(
            self,
            Method::POST,
            "/api/accounts/rotate-api-key",
            Some(&body),
        )
        .await
    }

    /// The key the authenticator app should use (a fresh one until enabled) and whether it is on.
    pub async fn authenticator_setup(&self, password: &str) -> Result<(bool, String), ClientError> {
        let answer = self.get_authenticator(&self.hash(password).await?).await?;
        Ok((answer.enabled, answer.key))
    }

    /// Turns the authenticator on with `key` and the app's current `code`.
    pub async fn enable_authenticator(
        &self,
        password: &str,
        key: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        self.put_authenticator(&self.hash(password).await?, key, code)
            .await
    }

    /// Turns the authenticator off.
    pub async fn disable_authenticator(&self, password: &str) -> Result<(), ClientError> {
        let authenticator = keyfleet_api::kinds::TwoFactorProviderType::Authenticator.code();
        self.disable_two_factor(&self.hash(password).await?, authenticator)
            .await
    }

    /// A new recovery code (the previous one stops working).
    pub async fn recovery_code(&self, password: &str) -> Result<String, ClientError> {
        Ok(self
            .get_recovery_code(&self.hash(password).await?)
            .await?
            .code)
    }

    /// Email codes: whether they are on and the address they go to (`get-email`).
    pub async fn email_two_factor(
        &self,
        password: &str,
    ) -> Result<(bool, Option<String>), ClientError> {
        let body = verification(self.hash(password).await?);
        let answer: TwoFactorEmailResponse =
            send(self, Method::POST, "/api/two-factor/get-email", Some(&body)).await?;
        Ok((answer.email.enabled, answer.email.email))
    }

    /// Asks the server to mail a setup code to `email` (`send-email`).
    pub async fn send_email_setup_code(
        &self,
        password: &str,
        email: &str,
    ) -> Result<(), ClientError> {
        self.send_two_factor_email(&self.hash(password).await?, email)
            .await
    }

    /// Turns email codes on for `email` with the mailed setup `code` (`PUT /two-factor/email`).
    pub async fn enable_email_two_factor(
        &self,
        password: &str,
        email: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        self.put_two_factor_email(&self.hash(password).await?, email, code)
            .await
    }

    /// Turns email codes off (`DELETE /two-factor/email`).
    pub async fn disable_email_two_factor(&self, password: &str) -> Result<(), ClientError> {
        self.delete_two_factor_email(&self.hash(password).await?)
            .await
    }

    /// WebAuthn's state: whether it is on and the registered keys as `(slot, name)`.
    pub async fn webauthn_keys(
        &self,
        password: &str,
    ) -> Result<(bool, Vec<(i64, String)>), ClientError> {
        let answer = self.get_webauthn(&self.hash(password).await?).await?;
        let keys = answer
            .keys
            .into_iter()
            .map(|k| (i64::from(k.id), k.name))
            .collect();
        Ok((answer.enabled, keys))
    }

    /// Starts registering a WebAuthn key: the options for `navigator.credentials.create`.
    // Free-form: webauthn-rs's `CreationChallengeResponse`, handed to the authenticator as is.
    pub async fn webauthn_challenge(
        &self,
        password: &str,
    ) -> Result<serde_json::Value, ClientError> {
        let body = verification(self.hash(password).await?);
        send(
            self,
            Method::POST,
            "/api/two-factor/get-webauthn-challenge",
            Some(&body),
        )
        .await
    }

    /// Registers the key whose attestation is `device_response` (shaped as the web vault sends
    /// it) into `slot` (1–5).
    pub async fn register_webauthn_key(
        &self,
        password: &str,
        slot: i32,
        name: &str,
        // Free-form: the browser's attestation, forwarded as the web vault does.
        device_response: serde_json::Value,
    ) -> Result<TwoFactorWebAuthnResponse, ClientError> {
        let body = WebauthnKeyRequest {
            verification: verification(self.hash(password).await?),
            id: Some(slot),
            name: name.to_string(),
            device_response: Some(device_response),
        };
        send(self, Method::PUT, "/api/two-factor/webauthn", Some(&body)).await
    }

    /// Removes the WebAuthn key in `slot`; the last one turns WebAuthn off.
    pub async fn delete_webauthn_key(
        &self,
        password: &str,
        slot: i32,
    ) -> Result<TwoFactorWebAuthnResponse, ClientError> {
        self.delete_webauthn(&self.hash(password).await?, slot)
            .await
    }

    /// `(provider type, enabled)` for each two-step login provider.
    pub async fn two_factor_status(&self) -> Result<Vec<(i64, bool)>, ClientError> {
        Ok(self
            .two_factor_providers()
            .await?
            .into_iter()
            .map(|p| (i64::from(p.provider.code()), p.enabled))
            .collect())
    }

    /// Changes the master password: the user key stays, re-wrapped under the new master key.
    pub async fn change_password(&self, current: &str, new: &str) -> Result<(), ClientError> {
        let (current_hash, kdf) = self.client.password_hash(&self.email, current).await?;
        let new_master = derive_master_key(new, &self.email, &kdf)?;
        let wrapped =
            EncString::encrypt_aes(&stretch_master_key(&new_master), &self.user_key.to_bytes())
                .to_string();
        let body = PasswordRequest {
            master_password_hash: current_hash,
            new_master_password_hash: master_password_hash(&new_master, new),
            master_password_hint: None,
            key: wrapped,
        };
        let _: IgnoredAny = send(self, Method::POST, "/api/accounts/password", Some(&body)).await?;
        Ok(())
    }
}

/// The master password re-check of a two-step login settings call.
fn verification(master_password_hash: String) -> VerificationRequest {
    VerificationRequest {
        master_password_hash: Some(master_password_hash),
        user_verification_token: None,
    }
}

/// A login item encrypted under `key` for `user_id`, in `org_id` when given, with the fields
/// bw sends for a new login.
pub(crate) fn login_item(
    key: &SymmetricKey,
    user_id: &str,
    org_id: Option<&str>,
    name: &str,
    username: &str,
    password: &str,
) -> CipherRequest {
    let login = CipherLoginRequest {
        username: Some(EncString::encrypt_str(key, username)),
        password: Some(EncString::encrypt_str(key, password)),
        uris: Vec::new(),
        totp: None,
    };
    CipherRequest {
        cipher_type: 1,
        organization_id: org_id.map(str::to_string),
        name: EncString::encrypt_str(key, name),
        notes: None,
        favorite: Some(false),
        reprompt: Some(0),
        encrypted_for: Some(user_id.to_string()),
        last_known_revision_date: None,
        // `login` and `fields` are free JSON in the wire type (the server stores them as
        // given); the login is built typed above, and there are no custom fields.
        login: serde_json::to_value(login).ok(),
        fields: Some(serde_json::Value::Array(Vec::new())),
        ..CipherRequest::default()
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens and keys are credentials: never in debug output.
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}
