//! A signed-in session: tokens plus the unlocked user key, and the vault calls made with them.

use crate::{Client, ClientError, RawBody};
use keyfleet_api::accounts::ApiKeyResponse;
use keyfleet_api::identity::TokenResponse;
use keyfleet_api::vault::{CipherDetailsResponse, FolderResponse};
use keyfleet_crypto::{
    derive_master_key, master_password_hash, stretch_master_key, EncString, PrivateKey,
    SymmetricKey,
};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

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
    let claims: Value =
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))?;
    claims["sub"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| ClientError::Decode("access token has no sub".into()))
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

    /// An authenticated call decoding JSON.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
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
    pub async fn sync(&self) -> Result<Value, ClientError> {
        self.call(Method::GET, "/api/sync?excludeDomains=true", None)
            .await
    }

    /// `GET /api/accounts/revision-date`.
    pub async fn revision_date(&self) -> Result<i64, ClientError> {
        self.call(Method::GET, "/api/accounts/revision-date", None)
            .await
    }

    /// Creates a folder named `name` (encrypted here).
    pub async fn create_folder(&self, name: &str) -> Result<FolderResponse, ClientError> {
        self.call(
            Method::POST,
            "/api/folders",
            Some(json!({ "name": self.encrypt(name) })),
        )
        .await
    }

    /// The request body bw sends for a login item.
    pub fn login_item_body(&self, name: &str, username: &str, password: &str) -> Value {
        json!({
            "type": 1,
            "name": self.encrypt(name),
            "notes": null,
            "favorite": false,
            "reprompt": 0,
            "encryptedFor": self.user_id,
            "lastKnownRevisionDate": null,
            "login": {
                "username": self.encrypt(username),
                "password": self.encrypt(password),
                "uris": [],
                "totp": null,
            },
            "fields": [],
        })
    }

    /// Creates a login item.
    pub async fn create_login(
        &self,
        name: &str,
        username: &str,
        password: &str,
    ) -> Result<CipherDetailsResponse, ClientError> {
        let body = self.login_item_body(name, username, password);
        self.call(Method::POST, "/api/ciphers", Some(body)).await
    }

    /// Reads one item.
    pub async fn get_cipher(&self, id: &str) -> Result<CipherDetailsResponse, ClientError> {
        self.call(Method::GET, &format!("/api/ciphers/{id}"), None)
            .await
    }

    pub(crate) async fn verify_body(&self, password: &str) -> Result<Value, ClientError> {
        let (hash, _) = self.client.password_hash(&self.email, password).await?;
        Ok(json!({ "masterPasswordHash": hash }))
    }

    /// Shows the personal API key (password re-check).
    pub async fn api_key(&self, password: &str) -> Result<ApiKeyResponse, ClientError> {
        let body = self.verify_body(password).await?;
        self.call(Method::POST, "/api/accounts/api-key", Some(body))
            .await
    }

    /// Rotates the personal API key (password re-check).
    pub async fn rotate_api_key(&self, password: &str) -> Result<ApiKeyResponse, ClientError> {
        let body = self.verify_body(password).await?;
        self.call(Method::POST, "/api/accounts/rotate-api-key", Some(body))
            .await
    }

    /// The key the authenticator app should use (a fresh one until enabled) and whether it is on.
    pub async fn authenticator_setup(&self, password: &str) -> Result<(bool, String), ClientError> {
        let body = self.verify_body(password).await?;
        let v: Value = self
            .call(
                Method::POST,
                "/api/two-factor/get-authenticator",
                Some(body),
            )
            .await?;
        let key = v["key"]
            .as_str()
            .ok_or_else(|| ClientError::Decode("no authenticator key".into()))?;
        Ok((v["enabled"].as_bool().unwrap_or(false), key.to_string()))
    }

    /// Turns the authenticator on with `key` and the app's current `code`.
    pub async fn enable_authenticator(
        &self,
        password: &str,
        key: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        let mut body = self.verify_body(password).await?;
        body["key"] = json!(key);
        body["token"] = json!(code);
        let _: Value = self
            .call(Method::PUT, "/api/two-factor/authenticator", Some(body))
            .await?;
        Ok(())
    }

    /// Turns the authenticator off.
    pub async fn disable_authenticator(&self, password: &str) -> Result<(), ClientError> {
        let mut body = self.verify_body(password).await?;
        body["type"] = json!(0);
        let _: Value = self
            .call(Method::PUT, "/api/two-factor/disable", Some(body))
            .await?;
        Ok(())
    }

    /// A new recovery code (the previous one stops working).
    pub async fn recovery_code(&self, password: &str) -> Result<String, ClientError> {
        let body = self.verify_body(password).await?;
        let v: Value = self
            .call(Method::POST, "/api/two-factor/get-recover", Some(body))
            .await?;
        v["code"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| ClientError::Decode("no recovery code".into()))
    }

    /// Email codes: whether they are on and the address they go to (`get-email`).
    pub async fn email_two_factor(
        &self,
        password: &str,
    ) -> Result<(bool, Option<String>), ClientError> {
        let body = self.verify_body(password).await?;
        let v: Value = self
            .call(Method::POST, "/api/two-factor/get-email", Some(body))
            .await?;
        Ok((
            v["email"]["enabled"].as_bool().unwrap_or(false),
            v["email"]["email"].as_str().map(str::to_string),
        ))
    }

    /// Asks the server to mail a setup code to `email` (`send-email`).
    pub async fn send_email_setup_code(
        &self,
        password: &str,
        email: &str,
    ) -> Result<(), ClientError> {
        let mut body = self.verify_body(password).await?;
        body["email"] = json!(email);
        let _: Value = self
            .call(Method::POST, "/api/two-factor/send-email", Some(body))
            .await?;
        Ok(())
    }

    /// Turns email codes on for `email` with the mailed setup `code` (`PUT /two-factor/email`).
    pub async fn enable_email_two_factor(
        &self,
        password: &str,
        email: &str,
        code: &str,
    ) -> Result<(), ClientError> {
        let mut body = self.verify_body(password).await?;
        body["email"] = json!(email);
        body["token"] = json!(code);
        let _: Value = self
            .call(Method::PUT, "/api/two-factor/email", Some(body))
            .await?;
        Ok(())
    }

    /// Turns email codes off (`DELETE /two-factor/email`).
    pub async fn disable_email_two_factor(&self, password: &str) -> Result<(), ClientError> {
        let body = self.verify_body(password).await?;
        let _: Value = self
            .call(Method::DELETE, "/api/two-factor/email", Some(body))
            .await?;
        Ok(())
    }

    /// WebAuthn's state: whether it is on and the registered keys as `(slot, name)`.
    pub async fn webauthn_keys(
        &self,
        password: &str,
    ) -> Result<(bool, Vec<(i64, String)>), ClientError> {
        let body = self.verify_body(password).await?;
        let v: Value = self
            .call(Method::POST, "/api/two-factor/get-webauthn", Some(body))
            .await?;
        let keys = v["keys"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|k| {
                        (
                            k["id"].as_i64().unwrap_or(-1),
                            k["name"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok((v["enabled"].as_bool().unwrap_or(false), keys))
    }

    /// Starts registering a WebAuthn key: the options for `navigator.credentials.create`.
    pub async fn webauthn_challenge(&self, password: &str) -> Result<Value, ClientError> {
        let body = self.verify_body(password).await?;
        self.call(
            Method::POST,
            "/api/two-factor/get-webauthn-challenge",
            Some(body),
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
        device_response: Value,
    ) -> Result<Value, ClientError> {
        let mut body = self.verify_body(password).await?;
        body["id"] = json!(slot);
        body["name"] = json!(name);
        body["deviceResponse"] = device_response;
        self.call(Method::PUT, "/api/two-factor/webauthn", Some(body))
            .await
    }

    /// Removes the WebAuthn key in `slot`; the last one turns WebAuthn off.
    pub async fn delete_webauthn_key(
        &self,
        password: &str,
        slot: i32,
    ) -> Result<Value, ClientError> {
        let mut body = self.verify_body(password).await?;
        body["id"] = json!(slot);
        self.call(Method::DELETE, "/api/two-factor/webauthn", Some(body))
            .await
    }

    /// `(provider type, enabled)` for each two-step login provider.
    pub async fn two_factor_status(&self) -> Result<Vec<(i64, bool)>, ClientError> {
        let v: Value = self.call(Method::GET, "/api/two-factor", None).await?;
        Ok(v["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| {
                        (
                            p["type"].as_i64().unwrap_or(-1),
                            p["enabled"].as_bool().unwrap_or(false),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Changes the master password: the user key stays, re-wrapped under the new master key.
    pub async fn change_password(&self, current: &str, new: &str) -> Result<(), ClientError> {
        let (current_hash, kdf) = self.client.password_hash(&self.email, current).await?;
        let new_master = derive_master_key(new, &self.email, &kdf)?;
        let wrapped =
            EncString::encrypt_aes(&stretch_master_key(&new_master), &self.user_key.to_bytes())
                .to_string();
        let body = json!({
            "masterPasswordHash": current_hash,
            "newMasterPasswordHash": master_password_hash(&new_master, new),
            "masterPasswordHint": null,
            "key": wrapped,
        });
        self.client
            .raw(
                Method::POST,
                "/api/accounts/password",
                Some(&self.access_token),
                RawBody::Json(body),
            )
            .await
            .and_then(|r| {
                if (200..300).contains(&r.status) {
                    Ok(())
                } else {
                    Err(crate::api_error(r.status, &r.body))
                }
            })
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
