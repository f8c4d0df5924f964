//! WebAuthn (FIDO2 security keys and passkeys) as a two-step login provider (type 7), the way
//! Bitwarden clients drive it: up to five keys in slots 1–5, registered from the web vault, and a
//! login challenge served inside the token endpoint's "two factor required" answer.
//!
//! The relying party is the server's public URL: its host is the RP id and its origin the only
//! accepted origin. A public URL whose host is an IP address cannot be an RP id (browsers refuse
//! it too), so WebAuthn is then unavailable.
//!
//! Ceremony state (the challenge and what webauthn-rs needs to check the answer) lives in the
//! store, not in memory: any server instance can finish a ceremony another started, and taking
//! the state deletes it, so a challenge answers once. Registration uses webauthn-rs's
//! security-key flow (no resident key, attestation "none"), matching what Bitwarden asks for.

use crate::error::DomainError;
use crate::identity::caller::Caller;
use crate::store::{TwoFactorRow, UserRow, WebauthnChallengeRow};
use crate::Domain;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use keyfleet_api::kinds::TwoFactorProviderType;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use webauthn_rs::prelude::{
    Credential, PublicKeyCredential, RegisterPublicKeyCredential, SecurityKey,
    SecurityKeyAuthentication, SecurityKeyRegistration, Url, Webauthn, WebauthnBuilder,
};

/// Highest key slot: Bitwarden stores keys as `Key1`…`Key5`.
pub const MAX_KEYS: i32 = 5;
/// How long a challenge stays good (webauthn-rs's default authenticator timeout).
const CEREMONY_SECS: i64 = 5 * 60;
const REGISTER: &str = "register";
const LOGIN: &str = "login";
const NAME_MAX_CHARS: usize = 50;

/// One registered key as the setup screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct WebauthnKey {
    /// Slot, 1–5.
    pub id: i32,
    /// The name the user gave it.
    pub name: String,
    /// Whether it was migrated from the old U2F provider (never, here).
    pub migrated: bool,
}

/// The WebAuthn setup screen.
#[derive(Debug, Clone)]
pub struct WebauthnSetup {
    /// Whether login requires a key.
    pub enabled: bool,
    /// Registered keys by slot.
    pub keys: Vec<WebauthnKey>,
    /// A short-lived token that stands in for the password on the following setup calls.
    pub user_verification_token: String,
}

/// Provider 7's stored data.
#[derive(Debug, Default, Serialize, Deserialize)]
struct WebauthnData {
    keys: Vec<StoredKey>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredKey {
    id: i32,
    name: String,
    credential: SecurityKey,
    registered: i64,
}

/// The relying party for `public_url`, or `None` when its host is not a domain name.
pub(crate) fn relying_party(public_url: &str) -> Option<Webauthn> {
    let origin = Url::parse(public_url).ok()?;
    let rp_id = origin.domain()?.to_string();
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name("Keyfleet")
        .build()
        .ok()
}

fn internal(what: &str, e: impl std::fmt::Debug) -> DomainError {
    DomainError::Internal(format!("webauthn {what}: {e:?}"))
}

fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64 in either alphabet, padded or not: the web vault sends the attestation in the
/// standard alphabet, the login connector in the URL-safe one.
fn decode_b64(s: &str) -> Option<Vec<u8>> {
    let url_safe: String = s
        .trim()
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    URL_SAFE_NO_PAD.decode(url_safe).ok()
}

/// A member of a JSON object by name, ignoring ASCII case: Bitwarden clients send
/// `AttestationObject` and `clientDataJson` where the WebAuthn spec says `attestationObject` and
/// `clientDataJSON` (the official server's JSON binding is case-insensitive).
fn member<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn bytes_member(v: &Value, name: &str) -> Option<Vec<u8>> {
    decode_b64(member(v, name)?.as_str()?)
}

/// The challenge a `clientDataJSON` answers, normalised to base64url without padding.
fn challenge_of(client_data_json: &[u8]) -> Option<String> {
    let client_data: Value = serde_json::from_slice(client_data_json).ok()?;
    let challenge = client_data.get("challenge")?.as_str()?;
    Some(b64url(&decode_b64(challenge)?))
}

/// The credential id: from `id` (base64url), because the web vault sends `rawId` as
/// `btoa(id)`, i.e. base64 of the base64url text rather than of the raw bytes.
fn credential_id(v: &Value) -> Option<Vec<u8>> {
    decode_b64(member(v, "id")?.as_str()?).filter(|id| !id.is_empty())
}

/// Bitwarden's `deviceResponse` → webauthn-rs's registration answer and the challenge it answers.
fn registration_answer(v: &Value) -> Option<(RegisterPublicKeyCredential, String)> {
    let id = credential_id(v)?;
    let response = member(v, "response")?;
    let attestation = bytes_member(response, "attestationObject")?;
    let client_data = bytes_member(response, "clientDataJSON")?;
    let challenge = challenge_of(&client_data)?;
    let answer = serde_json::from_value(json!({
        "id": b64url(&id),
        "rawId": b64url(&id),
        "type": "public-key",
        "response": {
            "attestationObject": b64url(&attestation),
            "clientDataJSON": b64url(&client_data),
        },
    }))
    .ok()?;
    Some((answer, challenge))
}

/// The login connector's `twoFactorToken` (a JSON string) → webauthn-rs's assertion and the
/// challenge it answers.
fn assertion_answer(token: &str) -> Option<(PublicKeyCredential, String)> {
    let v: Value = serde_json::from_str(token).ok()?;
    let id = credential_id(&v)?;
    let response = member(&v, "response")?;
    let authenticator_data = bytes_member(response, "authenticatorData")?;
    let client_data = bytes_member(response, "clientDataJSON")?;
    let signature = bytes_member(response, "signature")?;
    let user_handle = bytes_member(response, "userHandle");
    let challenge = challenge_of(&client_data)?;
    let answer = serde_json::from_value(json!({
        "id": b64url(&id),
        "rawId": b64url(&id),
        "type": "public-key",
        "response": {
            "authenticatorData": b64url(&authenticator_data),
            "clientDataJSON": b64url(&client_data),
            "signature": b64url(&signature),
            "userHandle": user_handle.map(|h| b64url(&h)),
        },
    }))
    .ok()?;
    Some((answer, challenge))
}

/// The options object as Bitwarden serves it (Fido2NetLib adds `status`/`errorMessage`), and the
/// challenge in it. The `hints` member is dropped: it would steer browsers to roaming security
/// keys only, while Bitwarden accepts any authenticator, passkeys on a phone included.
fn served_options(options: &impl Serialize) -> Result<(Value, String), DomainError> {
    let mut options = serde_json::to_value(options).map_err(|e| internal("options", e))?;
    let challenge = options
        .get("challenge")
        .and_then(Value::as_str)
        .and_then(decode_b64)
        .map(|c| b64url(&c))
        .ok_or_else(|| internal("options", "no challenge"))?;
    if let Some(map) = options.as_object_mut() {
        map.remove("hints");
        map.insert("status".into(), json!("ok"));
        map.insert("errorMessage".into(), json!(""));
    }
    Ok((options, challenge))
}

fn parse_data(row: Option<&TwoFactorRow>) -> Result<WebauthnData, DomainError> {
    match row {
        Some(row) => serde_json::from_str(&row.data).map_err(|e| internal("stored keys", e)),
        None => Ok(WebauthnData::default()),
    }
}

fn key_views(data: &WebauthnData) -> Vec<WebauthnKey> {
    data.keys
        .iter()
        .map(|k| WebauthnKey {
            id: k.id,
            name: k.name.clone(),
            migrated: false,
        })
        .collect()
}

impl Domain {
    fn relying_party(&self) -> Result<&Webauthn, DomainError> {
        self.webauthn.as_ref().ok_or_else(|| {
            DomainError::bad_request(
                "WebAuthn needs the server's public URL to use a host name, not an IP address.",
            )
        })
    }

    async fn webauthn_row(&self, user: &UserRow) -> Result<Option<TwoFactorRow>, DomainError> {
        Ok(self
            .store
            .two_factors(user.id)
            .await?
            .into_iter()
            .find(|r| r.provider == TwoFactorProviderType::WebAuthn))
    }

    fn webauthn_view(
        &self,
        user: &UserRow,
        data: &WebauthnData,
    ) -> Result<WebauthnSetup, DomainError> {
        let user_verification_token = self.tokens.issue_purpose_token(
            "2fa-setup",
            &user.id.to_string(),
            10 * 60,
            self.now(),
        )?;
        Ok(WebauthnSetup {
            enabled: !data.keys.is_empty(),
            keys: key_views(data),
            user_verification_token,
        })
    }

    /// The WebAuthn setup screen: whether it is on and which keys are registered.
    pub async fn webauthn_setup(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
    ) -> Result<WebauthnSetup, DomainError> {
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let row = self.webauthn_row(&caller.user).await?;
        self.webauthn_view(&caller.user, &parse_data(row.as_ref())?)
    }

    /// Starts registering a key: the options `navigator.credentials.create` takes.
    pub async fn webauthn_registration_challenge(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
    ) -> Result<Value, DomainError> {
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let rp = self.relying_party()?;
        let user = &caller.user;
        let data = parse_data(self.webauthn_row(user).await?.as_ref())?;
        let exclude = data
            .keys
            .iter()
            .map(|k| k.credential.cred_id().clone())
            .collect();
        let display_name = user.name.as_deref().unwrap_or(&user.email);
        let (creation, state) = rp
            .start_securitykey_registration(
                user.id.uuid(),
                &user.email,
                display_name,
                Some(exclude),
                None,
                None,
            )
            .map_err(|e| internal("registration start", e))?;
        let (options, challenge) = served_options(&creation.public_key)?;
        self.keep_ceremony(user, REGISTER, challenge, &state)
            .await?;
        Ok(options)
    }

    async fn keep_ceremony(
        &self,
        user: &UserRow,
        purpose: &str,
        challenge: String,
        state: &impl Serialize,
    ) -> Result<(), DomainError> {
        let now = self.now();
        let row = WebauthnChallengeRow {
            user_id: user.id,
            purpose: purpose.into(),
            challenge,
            state: serde_json::to_string(state).map_err(|e| internal("state", e))?,
            expires: now.plus_secs(CEREMONY_SECS),
        };
        Ok(self.store.put_webauthn_challenge(&row, now).await?)
    }

    /// Finishes registering a key into `slot` (replacing what was there) and turns WebAuthn on.
    pub async fn register_webauthn_key(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
        slot: i32,
        name: &str,
        device_response: &Value,
    ) -> Result<WebauthnSetup, DomainError> {
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        if !(1..=MAX_KEYS).contains(&slot) {
            return Err(DomainError::invalid(
                "id",
                format!("The key slot must be between 1 and {MAX_KEYS}."),
            ));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
            return Err(DomainError::invalid(
                "name",
                format!("The key needs a name of at most {NAME_MAX_CHARS} characters."),
            ));
        }
        let rp = self.relying_party()?;
        let failed = || DomainError::bad_request("Unable to complete WebAuthn registration.");
        let (answer, challenge) = registration_answer(device_response).ok_or_else(failed)?;
        let user = &caller.user;
        let now = self.now();
        let state = self
            .store
            .take_webauthn_challenge(user.id, REGISTER, &challenge, now)
            .await?
            .ok_or_else(failed)?;
        let state: SecurityKeyRegistration =
            serde_json::from_str(&state).map_err(|e| internal("state", e))?;
        let credential = rp
            .finish_securitykey_registration(&answer, &state)
            .map_err(|e| {
                tracing::info!(user = %user.id, error = ?e, "WebAuthn registration refused");
                failed()
            })?;
        let row = self.webauthn_row(user).await?;
        let mut data = parse_data(row.as_ref())?;
        if data
            .keys
            .iter()
            .any(|k| k.id != slot && k.credential.cred_id() == credential.cred_id())
        {
            return Err(DomainError::bad_request(
                "This security key is already registered.",
            ));
        }
        data.keys.retain(|k| k.id != slot);
        data.keys.push(StoredKey {
            id: slot,
            name: name.to_string(),
            credential,
            registered: now.0,
        });
        data.keys.sort_by_key(|k| k.id);
        let row = TwoFactorRow {
            provider: TwoFactorProviderType::WebAuthn,
            enabled: true,
            data: serde_json::to_string(&data).map_err(|e| internal("keys", e))?,
            last_used_step: None,
        };
        self.store.save_two_factor(user.id, &row, None, now).await?;
        tracing::info!(user = %user.id, slot, "WebAuthn key registered");
        self.restore_after_two_factor_enabled(user.id).await?;
        self.webauthn_view(user, &data)
    }

    /// Removes the key in `slot`; removing the last one turns WebAuthn off.
    pub async fn delete_webauthn_key(
        &self,
        caller: &Caller,
        hash: Option<&str>,
        verification_token: Option<&str>,
        slot: i32,
    ) -> Result<WebauthnSetup, DomainError> {
        self.verify_setup_secret(caller, hash, verification_token)
            .await?;
        let user = &caller.user;
        let row = self.webauthn_row(user).await?;
        let mut data = parse_data(row.as_ref())?;
        if !data.keys.iter().any(|k| k.id == slot) {
            return Err(DomainError::invalid("id", "There is no key in that slot."));
        }
        data.keys.retain(|k| k.id != slot);
        let now = self.now();
        if data.keys.is_empty() {
            self.store
                .remove_two_factor(user.id, Some(TwoFactorProviderType::WebAuthn), now)
                .await?;
        } else {
            let row = TwoFactorRow {
                provider: TwoFactorProviderType::WebAuthn,
                enabled: true,
                data: serde_json::to_string(&data).map_err(|e| internal("keys", e))?,
                last_used_step: None,
            };
            self.store.save_two_factor(user.id, &row, None, now).await?;
        }
        tracing::info!(user = %user.id, slot, "WebAuthn key removed");
        self.webauthn_view(user, &data)
    }

    /// A fresh login challenge for the user's keys: the value of provider 7 in
    /// `TwoFactorProviders2`. `None` when WebAuthn is unavailable on this server.
    pub(crate) async fn webauthn_login_options(
        &self,
        user: &UserRow,
        row: &TwoFactorRow,
    ) -> Result<Option<Value>, DomainError> {
        let Some(rp) = self.webauthn.as_ref() else {
            return Ok(None);
        };
        let data = parse_data(Some(row))?;
        if data.keys.is_empty() {
            return Ok(None);
        }
        let keys: Vec<SecurityKey> = data.keys.iter().map(|k| k.credential.clone()).collect();
        let (request, state) = rp
            .start_securitykey_authentication(&keys)
            .map_err(|e| internal("login start", e))?;
        let (options, challenge) = served_options(&request.public_key)?;
        self.keep_ceremony(user, LOGIN, challenge, &state).await?;
        Ok(Some(options))
    }

    /// Checks a login assertion against a challenge this server issued (using the challenge up)
    /// and records the key's new signature counter.
    pub(crate) async fn verify_webauthn_assertion(
        &self,
        user: &UserRow,
        row: &TwoFactorRow,
        token: &str,
    ) -> Result<bool, DomainError> {
        let Some(rp) = self.webauthn.as_ref() else {
            return Ok(false);
        };
        let Some((answer, challenge)) = assertion_answer(token) else {
            return Ok(false);
        };
        let Some(state) = self
            .store
            .take_webauthn_challenge(user.id, LOGIN, &challenge, self.now())
            .await?
        else {
            return Ok(false);
        };
        let state: SecurityKeyAuthentication =
            serde_json::from_str(&state).map_err(|e| internal("state", e))?;
        let result = match rp.finish_securitykey_authentication(&answer, &state) {
            Ok(result) => result,
            Err(e) => {
                tracing::info!(user = %user.id, error = ?e, "WebAuthn assertion refused");
                return Ok(false);
            }
        };
        let mut data = parse_data(Some(row))?;
        let Some(key) = data
            .keys
            .iter_mut()
            .find(|k| k.credential.cred_id() == result.cred_id())
        else {
            return Ok(false);
        };
        // webauthn-rs checked the signature counter against the keys as they were when this
        // challenge was issued; another login may have moved it on since. An answer that does
        // not go past the stored counter is what a cloned key looks like (WebAuthn §6.1.1).
        let stored_counter = Credential::from(key.credential.clone()).counter;
        if (result.counter() > 0 || stored_counter > 0) && result.counter() <= stored_counter {
            tracing::warn!(user = %user.id, "WebAuthn counter did not advance: possible cloned key");
            return Ok(false);
        }
        if key.credential.update_credential(&result) == Some(true) {
            let updated = serde_json::to_string(&data).map_err(|e| internal("keys", e))?;
            // Compare-and-set against the data this login read: if another login moved the
            // counter meanwhile, this assertion was checked against a stale counter, so refuse it
            // rather than let the counter go backwards.
            if !self
                .store
                .replace_two_factor_data(
                    user.id,
                    TwoFactorProviderType::WebAuthn,
                    &row.data,
                    &updated,
                )
                .await?
            {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_read_in_either_alphabet_with_or_without_padding() {
        let bytes = [0xfb, 0xff, 0x01, 0x02];
        assert_eq!(decode_b64("+/8BAg==").unwrap(), bytes);
        assert_eq!(decode_b64("-_8BAg").unwrap(), bytes);
        assert_eq!(decode_b64("not base64!"), None);
    }

    #[test]
    fn the_challenge_is_taken_from_the_client_data() {
        let client_data =
            br#"{"type":"webauthn.get","challenge":"AAEC_w","origin":"https://k.example"}"#;
        assert_eq!(challenge_of(client_data).as_deref(), Some("AAEC_w"));
        assert_eq!(challenge_of(b"{}"), None);
    }

    #[test]
    fn the_web_vaults_registration_shape_is_understood() {
        // As the web vault sends it: rawId = btoa(id), standard base64, PascalCase member.
        let client_data =
            br#"{"type":"webauthn.create","challenge":"AAEC_w","origin":"https://k.example"}"#;
        let v = json!({
            "id": "AQID",
            "rawId": "QVFJRA==",
            "type": "public-key",
            "extensions": {"credProps": {"rk": false}},
            "response": {
                "AttestationObject": base64::engine::general_purpose::STANDARD.encode([1u8, 2, 3]),
                "clientDataJson": base64::engine::general_purpose::STANDARD.encode(client_data),
            },
        });
        let (answer, challenge) = registration_answer(&v).unwrap();
        assert_eq!(challenge, "AAEC_w");
        assert_eq!(answer.raw_id, vec![1, 2, 3]);
        assert_eq!(answer.response.attestation_object, vec![1, 2, 3]);
    }

    #[test]
    fn malformed_assertions_are_not_understood() {
        assert!(assertion_answer("not json").is_none());
        assert!(assertion_answer(r#"{"id":"AQID","response":{}}"#).is_none());
    }

    #[test]
    fn an_ip_address_cannot_be_the_relying_party() {
        assert!(relying_party("https://127.0.0.1:8443").is_none());
        assert!(relying_party("https://vault.example.com").is_some());
        assert!(relying_party("https://localhost:8443").is_some());
    }

    #[test]
    fn served_options_look_like_bitwardens() {
        let (v, challenge) =
            served_options(&json!({"challenge": "AAEC_w", "hints": ["security-key"]})).unwrap();
        assert_eq!(challenge, "AAEC_w");
        assert_eq!(v["status"], "ok");
        assert_eq!(v["errorMessage"], "");
        assert!(v.get("hints").is_none());
    }
}
